//! The designer's state and frame: panels, modals, keyboard shortcuts, and the single place where
//! [`Command`]s are applied to the model (with undo points, coalescing, revisions and dirtiness).
//! Drawing code only reads the design and collects commands; file I/O happens when commands are
//! applied, after drawing.

use super::batch::BatchPanel;
use super::canvas::{Canvas, Overlay, kind_icon};
use super::command::Command;
use super::files::{self, Dialogs, Picked};
use super::inspector::{InspectorCtx, inspector_ui};
use super::scenarios::ScenarioEditor;
use super::simulator::SimPanel;
use crate::check::{self, Diagnostic, Severity};
use crate::model::{Activity, Design, KindTag, Position, Transition, Workflow};
use egui::{Color32, RichText, Ui};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An action waiting for the user's answer about unsaved changes.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    New,
    Open(Option<PathBuf>),
    Close,
}

/// The tabs of the bottom panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BottomTab {
    /// Design-time diagnostics.
    Problems,
    /// The simulator: run forms, runs, event variables, stepping.
    Simulator,
    /// Saved scenarios.
    Scenarios,
    /// Batches of payloads from a file.
    Batch,
}

impl BottomTab {
    /// Every tab, in display order.
    pub const ALL: [BottomTab; 4] = [
        BottomTab::Problems,
        BottomTab::Simulator,
        BottomTab::Scenarios,
        BottomTab::Batch,
    ];

    /// The tab's title.
    pub fn name(self) -> &'static str {
        match self {
            BottomTab::Problems => "Problems",
            BottomTab::Simulator => "Simulator",
            BottomTab::Scenarios => "Scenarios",
            BottomTab::Batch => "Batch",
        }
    }
}

/// The designer application state.
pub struct App {
    design: Design,
    saved: Design,
    /// The file the design is saved to, if any.
    pub path: Option<PathBuf>,
    name: String,
    dirty: bool,
    current: Option<String>,
    selected: Option<String>,
    undo: Vec<Design>,
    redo: Vec<Design>,
    last_edit: Option<(String, Instant)>,
    rev: u64,
    checked_rev: u64,
    diagnostics: Vec<Diagnostic>,
    /// The node canvas of the current workflow.
    pub canvas: Canvas,
    pending: Vec<Command>,
    message: Option<(String, bool)>,
    dark: bool,
    palette_open: bool,
    palette_query: String,
    prompt: Option<Pending>,
    after_save: Option<Pending>,
    allow_close: bool,
    dialogs: Dialogs,
    /// Recently opened or saved files, newest first.
    pub recent: Vec<PathBuf>,
    recovery: Option<PathBuf>,
    last_recovery: Instant,
    recovered: Option<Design>,
    focus_field: Option<String>,
    id_buffer: Option<(String, String)>,
    clipboard: Option<Activity>,
    title_sent: String,
    ctx: Option<egui::Context>,
    theme_applied: Option<bool>,
    /// The tab shown in the bottom panel.
    pub bottom_tab: BottomTab,
    breakpoints: crate::sim::Breakpoints,
    /// The batch tab.
    pub batch: BatchPanel,
    sim: SimPanel,
    scenario_editor: ScenarioEditor,
}

impl App {
    /// A designer on `design`, shown as `name`, saved to `path` when given.
    pub fn new(design: Design, path: Option<PathBuf>, name: &str) -> App {
        let current = design.workflows.first().map(|w| w.id.clone());
        let mut canvas = Canvas::default();
        canvas.fit_pending = true;
        let design_for_sim = design.clone();
        App {
            saved: design.clone(),
            design,
            path,
            name: name.to_owned(),
            dirty: false,
            current,
            selected: None,
            undo: Vec::new(),
            redo: Vec::new(),
            last_edit: None,
            rev: 1,
            checked_rev: 0,
            diagnostics: Vec::new(),
            canvas,
            pending: Vec::new(),
            message: None,
            dark: true,
            palette_open: false,
            palette_query: String::new(),
            prompt: None,
            after_save: None,
            allow_close: false,
            dialogs: Dialogs::default(),
            recent: Vec::new(),
            recovery: None,
            last_recovery: Instant::now(),
            recovered: None,
            focus_field: None,
            id_buffer: None,
            clipboard: None,
            title_sent: String::new(),
            ctx: None,
            theme_applied: None,
            bottom_tab: BottomTab::Problems,
            breakpoints: crate::sim::Breakpoints::new(),
            batch: BatchPanel::default(),
            sim: SimPanel::new(&design_for_sim, 1),
            scenario_editor: ScenarioEditor::default(),
        }
    }

    /// Enables the periodic recovery file at `path`, offering back what it holds now.
    pub fn with_recovery(mut self, path: PathBuf) -> App {
        if let Ok(d) = crate::io::load(&path)
            && d != self.design
        {
            self.recovered = Some(d);
        }
        self.recovery = Some(path);
        self
    }

    /// The design being edited.
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// The diagnostics of the design (as of the last frame).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The current workflow id.
    pub fn current_workflow(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// The selected activity id.
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// The simulator session and its tab.
    pub fn simulator(&self) -> &SimPanel {
        &self.sim
    }

    /// The simulator session and its tab, to change.
    pub fn simulator_mut(&mut self) -> &mut SimPanel {
        &mut self.sim
    }

    /// The canvas overlay of the current workflow (path of the selected run, breakpoints).
    pub fn overlay(&self) -> Overlay {
        match &self.current {
            Some(w) => self
                .sim
                .overlay(&self.design, self.rev, w, &self.breakpoints),
            None => Overlay::default(),
        }
    }

    /// The breakpoints: (workflow id, activity id).
    pub fn breakpoints(&self) -> &crate::sim::Breakpoints {
        &self.breakpoints
    }

    /// Whether there are unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The message banner (errors, hints), if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_ref().map(|(m, _)| m.as_str())
    }

    /// The window title.
    pub fn title(&self) -> String {
        let name = self
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.name.clone());
        format!("flowcall — {name}{}", if self.dirty { " •" } else { "" })
    }

    /// Queues a command, applied after the next frame's drawing.
    pub fn queue(&mut self, cmd: Command) {
        self.pending.push(cmd);
    }

    /// Applies a command now.
    pub fn apply(&mut self, cmd: Command) {
        if let Err(e) = self.apply_inner(cmd) {
            self.message = Some((format!("{e:#}"), true));
        }
    }

    fn workflow(&self) -> Option<&Workflow> {
        self.current
            .as_deref()
            .and_then(|id| self.design.workflow(id))
    }

    /// Records an undo point (unless coalesced), runs `f`, and updates revisions and dirtiness.
    fn edit(
        &mut self,
        key: Option<String>,
        structural: bool,
        f: impl FnOnce(&mut Design) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let before = self.design.clone();
        if let Err(e) = f(&mut self.design) {
            self.design = before;
            return Err(e);
        }
        if self.design == before {
            return Ok(());
        }
        let now = Instant::now();
        let coalesce = match (&key, &self.last_edit) {
            (Some(k), Some((last, at))) => {
                k == last && now.duration_since(*at) < Duration::from_secs(1)
            }
            _ => false,
        };
        if !coalesce {
            self.undo.push(before);
            if self.undo.len() > 200 {
                self.undo.remove(0);
            }
        }
        self.last_edit = key.map(|k| (k, now));
        self.redo.clear();
        if structural {
            self.rev += 1;
        }
        self.dirty = self.design != self.saved;
        Ok(())
    }

    fn replace_design(&mut self, design: Design, path: Option<PathBuf>, name: &str) {
        self.saved = design.clone();
        self.design = design;
        self.path = path;
        self.name = name.to_owned();
        self.dirty = false;
        self.undo.clear();
        self.redo.clear();
        self.last_edit = None;
        self.rev += 1;
        self.current = self.design.workflows.first().map(|w| w.id.clone());
        self.selected = None;
        self.id_buffer = None;
        self.canvas.invalidate();
        self.canvas.fit_pending = true;
        // A new design gets a new simulator session; an endpoint that was listening stops and
        // listens again, on the same address, to the new session.
        let addr = self.sim.listening_addr();
        self.sim = SimPanel::new(&self.design, self.rev);
        if let Some(a) = addr
            && let Err(e) = self.sim.listen(Some(a))
        {
            self.message = Some((format!("{e:#}"), true));
        }
        self.breakpoints.clear();
    }

    fn restore(&mut self, design: Design) {
        self.design = design;
        self.rev += 1;
        self.last_edit = None;
        self.dirty = self.design != self.saved;
        if self.workflow().is_none() {
            self.current = self.design.workflows.first().map(|w| w.id.clone());
        }
        if let Some(sel) = &self.selected
            && self.workflow().and_then(|w| w.activity(sel)).is_none()
        {
            self.selected = None;
        }
        self.id_buffer = None;
    }

    fn run_pending(&mut self, p: Pending) -> anyhow::Result<()> {
        match p {
            Pending::New => {
                let mut d = Design::default();
                d.workflows.push(Workflow::new("WKF1", "New workflow"));
                self.replace_design(d, None, "untitled.flow.ron");
            }
            Pending::Open(None) => {
                if let Some(ctx) = &self.ctx {
                    self.dialogs.open(ctx);
                }
            }
            Pending::Open(Some(path)) => self.load(&path)?,
            Pending::Close => {
                self.allow_close = true;
                if let Some(ctx) = &self.ctx {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
        }
        Ok(())
    }

    fn guard(&mut self, p: Pending) -> anyhow::Result<()> {
        if self.dirty {
            self.prompt = Some(p);
            Ok(())
        } else {
            self.run_pending(p)
        }
    }

    fn load(&mut self, path: &Path) -> anyhow::Result<()> {
        // A file that fails to load leaves the current design open.
        let design = crate::io::load(path)
            .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.replace_design(design, Some(path.to_owned()), &name);
        files::push_recent(&mut self.recent, path);
        self.message = None;
        Ok(())
    }

    fn save_to(&mut self, path: &Path) -> anyhow::Result<()> {
        crate::io::save(path, &self.design)
            .map_err(|e| anyhow::anyhow!("cannot save {}: {e}", path.display()))?;
        self.saved = self.design.clone();
        self.dirty = false;
        self.path = Some(path.to_owned());
        files::push_recent(&mut self.recent, path);
        if let Some(r) = &self.recovery {
            files::remove_recovery(r);
        }
        if let Some(p) = self.after_save.take() {
            self.run_pending(p)?;
        }
        Ok(())
    }

    fn apply_inner(&mut self, cmd: Command) -> anyhow::Result<()> {
        match cmd {
            Command::New => self.guard(Pending::New)?,
            Command::Open => self.guard(Pending::Open(None))?,
            Command::OpenPath(p) => self.guard(Pending::Open(Some(p)))?,
            Command::Save => match self.path.clone() {
                Some(p) => self.save_to(&p)?,
                None => self.apply_inner(Command::SaveAs)?,
            },
            Command::SaveAs => {
                if let Some(ctx) = &self.ctx {
                    self.dialogs.save_as(ctx);
                }
            }
            Command::SaveTo(p) => self.save_to(&p)?,
            Command::Export(format) => {
                if let Some(ctx) = &self.ctx {
                    let stem = self
                        .path
                        .as_deref()
                        .and_then(Path::file_name)
                        .map(|n| n.to_string_lossy().trim_end_matches(".flow.ron").to_owned())
                        .unwrap_or_else(|| "design".to_owned());
                    self.dialogs.export(ctx, format, &stem);
                }
            }
            Command::ExportTo(format, p) => {
                let out = crate::export::export(&self.design, format, None)
                    .map_err(|e| anyhow::anyhow!("cannot export: {e}"))?;
                crate::io::write_atomic(&p, out.text.as_bytes())
                    .map_err(|e| anyhow::anyhow!("cannot export: {e}"))?;
                let note = if out.warnings.is_empty() {
                    format!("Exported to {}", p.display())
                } else {
                    format!(
                        "Exported to {} with {} warning(s):\n{}",
                        p.display(),
                        out.warnings.len(),
                        out.warnings.join("\n")
                    )
                };
                self.message = Some((note, false));
            }
            Command::Undo => {
                if let Some(prev) = self.undo.pop() {
                    let cur = std::mem::replace(&mut self.design, prev.clone());
                    self.redo.push(cur);
                    self.restore(prev);
                }
            }
            Command::Redo => {
                if let Some(next) = self.redo.pop() {
                    self.undo.push(self.design.clone());
                    self.restore(next);
                }
            }
            Command::DeleteSelected => {
                let Some(wf) = self.current.clone() else {
                    return Ok(());
                };
                let Some(sel) = self.selected.clone() else {
                    return Ok(());
                };
                // The widget's box selection counts only when it includes the selected activity.
                let mut ids = self
                    .ctx
                    .as_ref()
                    .map(|c| self.canvas.widget_selection(c, &wf))
                    .unwrap_or_default();
                if !ids.contains(&sel) {
                    ids = vec![sel];
                }
                self.apply_inner(Command::DeleteActivities { workflow: wf, ids })?;
            }
            Command::Copy => {
                self.clipboard = self
                    .selected
                    .as_deref()
                    .and_then(|s| self.workflow().and_then(|w| w.activity(s)))
                    .cloned();
            }
            Command::Paste => {
                let (Some(wf), Some(mut a)) = (self.current.clone(), self.clipboard.clone()) else {
                    return Ok(());
                };
                let mut new_id = String::new();
                self.edit(None, true, |d| {
                    let w = d
                        .workflow_mut(&wf)
                        .ok_or_else(|| anyhow::anyhow!("no workflow {wf}"))?;
                    a.id = w.fresh_activity_id(a.kind.tag().id_prefix());
                    a.position.x += 40.0;
                    a.position.y += 40.0;
                    new_id = a.id.clone();
                    w.activities.push(a);
                    Ok(())
                })?;
                self.selected = Some(new_id);
            }
            Command::ZoomToFit => self.canvas.fit_pending = true,
            Command::ToggleTheme => self.dark = !self.dark,
            Command::CommandPalette => self.palette_open = !self.palette_open,
            Command::AddWorkflow => {
                let mut id = String::new();
                self.edit(None, true, |d| {
                    id = (1..)
                        .map(|n| format!("WKF{n}"))
                        .find(|id| d.workflow(id).is_none())
                        .unwrap_or_default();
                    d.workflows.push(Workflow::new(id.clone(), "New workflow"));
                    Ok(())
                })?;
                self.current = Some(id);
                self.selected = None;
            }
            Command::SelectWorkflow(id) => {
                if self.current.as_deref() != Some(&id) {
                    self.current = Some(id);
                    self.selected = None;
                    self.canvas.fit_pending = true;
                }
            }
            Command::RenameWorkflow { workflow, label } => {
                let key = format!("wflabel/{workflow}");
                self.edit(Some(key), true, |d| {
                    if let Some(w) = d.workflow_mut(&workflow) {
                        w.label = label;
                    }
                    Ok(())
                })?;
            }
            Command::DeleteWorkflow(id) => {
                self.edit(None, true, |d| {
                    d.workflows.retain(|w| w.id != id);
                    Ok(())
                })?;
                if self.current.as_deref() == Some(&id) {
                    self.current = self.design.workflows.first().map(|w| w.id.clone());
                    self.selected = None;
                }
            }
            Command::AddActivity { tag, position } => {
                let Some(wf) = self.current.clone() else {
                    anyhow::bail!("add a workflow first");
                };
                let mut new_id = String::new();
                self.edit(None, true, |d| {
                    let w = d
                        .workflow_mut(&wf)
                        .ok_or_else(|| anyhow::anyhow!("no workflow {wf}"))?;
                    new_id = w.fresh_activity_id(tag.id_prefix());
                    let mut a = Activity::new(new_id.clone(), tag.name(), tag);
                    a.position = position;
                    w.activities.push(a);
                    Ok(())
                })?;
                self.selected = Some(new_id);
            }
            Command::Select(id) => {
                self.selected = id;
            }
            Command::Reveal {
                workflow,
                activity,
                field,
            } => {
                if let Some(w) = workflow {
                    if self.current.as_deref() != Some(&w) {
                        self.canvas.fit_pending = true;
                    }
                    self.current = Some(w);
                }
                self.selected = activity;
                self.focus_field = field;
            }
            Command::EditActivity {
                workflow,
                activity,
                coalesce,
            } => {
                self.edit(Some(coalesce), true, |d| {
                    let a = d
                        .workflow_mut(&workflow)
                        .and_then(|w| w.activity_mut(&activity.id))
                        .ok_or_else(|| anyhow::anyhow!("no activity {}", activity.id))?;
                    *a = *activity;
                    Ok(())
                })?;
            }
            Command::RenameActivity { workflow, old, new } => {
                let new = new.trim().to_owned();
                let res = self.edit(None, true, |d| rename_activity(d, &workflow, &old, &new));
                self.id_buffer = None;
                res?;
                // A breakpoint follows its activity to the new id.
                if self.breakpoints.remove(&(workflow.clone(), old.clone())) {
                    self.breakpoints.insert((workflow, new.clone()));
                }
                if self.selected.as_deref() == Some(&old) {
                    self.selected = Some(new);
                }
            }
            Command::MoveActivities { workflow, moves } => {
                let key = format!("move/{workflow}");
                self.edit(Some(key), false, |d| {
                    if let Some(w) = d.workflow_mut(&workflow) {
                        for (id, pos) in moves {
                            if let Some(a) = w.activity_mut(&id) {
                                a.position = pos;
                            }
                        }
                    }
                    Ok(())
                })?;
            }
            Command::Connect {
                workflow,
                from,
                port,
                to,
            } => {
                self.edit(None, true, |d| {
                    let w = d.workflow_mut(&workflow).ok_or_else(|| {
                        anyhow::anyhow!("cannot connect: workflow '{workflow}' no longer exists")
                    })?;
                    let missing = [&from, &to]
                        .into_iter()
                        .find(|id| w.activity(id).is_none());
                    if let Some(id) = missing {
                        anyhow::bail!(
                            "cannot connect: activity '{id}' no longer exists in workflow '{workflow}'"
                        );
                    }
                    let (Some(a), Some(b)) = (w.activity(&from), w.activity(&to)) else {
                        return Ok(());
                    };
                    if b.kind.is_entry() {
                        anyhow::bail!(
                            "'{}' is an entry: nothing may lead into it",
                            b.display_name()
                        );
                    }
                    if !a.kind.output_ports().contains(&port) {
                        anyhow::bail!("'{}' has no output {}", a.display_name(), port.describe());
                    }
                    let t = Transition { from, port, to };
                    if !w.transitions.contains(&t) {
                        w.transitions.push(t);
                    }
                    Ok(())
                })?;
            }
            Command::Disconnect {
                workflow,
                from,
                port,
                to,
            } => {
                self.edit(None, true, |d| {
                    if let Some(w) = d.workflow_mut(&workflow) {
                        w.transitions
                            .retain(|t| !(t.from == from && t.port == port && t.to == to));
                    }
                    Ok(())
                })?;
            }
            Command::SaveScenario(name) => {
                let scenario = self.sim.scenario_from_form(&self.design, &name)?;
                self.edit(None, true, |d| {
                    if d.scenarios.iter().any(|s| s.name == scenario.name) {
                        anyhow::bail!("a scenario named '{}' exists already", scenario.name);
                    }
                    d.scenarios.push(scenario);
                    Ok(())
                })?;
                self.sim.scenario_name.clear();
                self.sim.apply(
                    Command::RunScenarios(Some(vec![name])),
                    &self.design,
                    self.rev,
                    &self.breakpoints,
                    self.ctx.as_ref(),
                )?;
            }
            Command::EditScenarioExpectations { name, expect } => {
                self.edit(None, true, |d| {
                    let s = d
                        .scenarios
                        .iter_mut()
                        .find(|s| s.name == name)
                        .ok_or_else(|| anyhow::anyhow!("scenario '{name}' no longer exists"))?;
                    s.expect = *expect;
                    Ok(())
                })?;
                self.sim.marks.remove(&name);
            }
            Command::DeleteScenario(name) => {
                self.edit(None, true, |d| {
                    d.scenarios.retain(|s| s.name != name);
                    Ok(())
                })?;
                self.sim.marks.remove(&name);
            }
            Command::ToggleBreakpoint { workflow, activity } => {
                let key = (workflow, activity);
                if !self.breakpoints.remove(&key) {
                    self.breakpoints.insert(key);
                }
            }
            Command::BatchOpenFile => {
                self.bottom_tab = BottomTab::Batch;
                self.batch.open_dialog(self.ctx.as_ref());
            }
            Command::BatchOpenPath(p) => {
                self.bottom_tab = BottomTab::Batch;
                self.batch.open_path(p, self.ctx.as_ref());
            }
            Command::BatchTarget { workflow, signal } => self.batch.set_target(workflow, signal),
            Command::BatchRun => {
                self.bottom_tab = BottomTab::Batch;
                self.batch.run(&self.design, self.ctx.as_ref());
            }
            Command::BatchCancel => self.batch.cancel(),
            Command::DeleteActivities { workflow, ids } => {
                self.edit(None, true, |d| {
                    if let Some(w) = d.workflow_mut(&workflow) {
                        w.activities.retain(|a| !ids.contains(&a.id));
                        w.transitions
                            .retain(|t| !ids.contains(&t.from) && !ids.contains(&t.to));
                    }
                    Ok(())
                })?;
                if self.selected.as_ref().is_some_and(|s| ids.contains(s)) {
                    self.selected = None;
                }
            }
            // Every command not matched above belongs to the simulator panel (which refuses
            // any other).
            cmd => {
                self.sim.apply(
                    cmd,
                    &self.design,
                    self.rev,
                    &self.breakpoints,
                    self.ctx.as_ref(),
                )?;
            }
        }
        Ok(())
    }

    fn refresh_diagnostics(&mut self) {
        if self.checked_rev != self.rev {
            self.diagnostics = check::check(&self.design);
            self.checked_rev = self.rev;
        }
    }

    fn handle_input(&mut self, ctx: &egui::Context) {
        let text_focused = ctx.memory(|m| m.focused()).is_some();
        // Longer shortcuts first: Ctrl+Shift+Z before Ctrl+Z, Ctrl+Shift+S before Ctrl+S.
        let order = [
            Command::Redo,
            Command::SaveAs,
            Command::Undo,
            Command::Save,
            Command::New,
            Command::Open,
            Command::ZoomToFit,
            Command::CommandPalette,
            Command::Copy,
            Command::Paste,
            Command::DeleteSelected,
            Command::SimRun,
            Command::SimStep,
            Command::SimContinue,
        ];
        for cmd in order {
            if text_focused
                && matches!(
                    cmd,
                    Command::Copy | Command::Paste | Command::DeleteSelected
                )
            {
                continue;
            }
            if let Some(s) = cmd.shortcut()
                && ctx.input_mut(|i| i.consume_shortcut(&s))
            {
                self.pending.push(cmd);
            }
        }
        let y = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Y);
        if ctx.input_mut(|i| i.consume_shortcut(&y)) {
            self.pending.push(Command::Redo);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.pending.push(if files::is_payload_file(&p) {
                Command::BatchOpenPath(p)
            } else {
                Command::OpenPath(p)
            });
        }
        if ctx.input(|i| i.viewport().close_requested()) && self.dirty && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.prompt = Some(Pending::Close);
        }
        match self.dialogs.poll() {
            Some(Picked::Open(p)) => {
                if let Err(e) = self.load(&p) {
                    self.message = Some((format!("{e:#}"), true));
                }
            }
            Some(Picked::SaveAs(p)) => self.pending.push(Command::SaveTo(p)),
            Some(Picked::Export(format, p)) => self.pending.push(Command::ExportTo(format, p)),
            None => {}
        }
    }

    /// One frame of the whole designer, drawn into `ui` (the window's root).
    pub fn ui_frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        if self.theme_applied != Some(self.dark) {
            ctx.set_theme(if self.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            self.theme_applied = Some(self.dark);
        }
        self.handle_input(&ctx);
        self.batch.poll(&ctx);
        self.refresh_diagnostics();
        self.sim.poll(&ctx, &self.design, self.rev);
        let mut out = Vec::new();
        self.menu_ui(ui, &mut out);
        self.bottom_ui(ui, &mut out);
        self.workflows_ui(ui, &mut out);
        self.inspector_panel_ui(ui, &mut out);
        self.canvas_ui(ui, &mut out);
        self.modals_ui(&ctx, &mut out);
        // Apply after drawing.
        let queued = std::mem::take(&mut self.pending);
        let rev = self.rev;
        for cmd in queued.into_iter().chain(out) {
            self.apply(cmd);
        }
        if self.rev != rev {
            self.sim.touched();
        }
        let title = self.title();
        if title != self.title_sent {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_sent = title;
        }
        if let Some(r) = &self.recovery
            && self.dirty
            && self.last_recovery.elapsed() > Duration::from_secs(30)
        {
            files::write_recovery(r, &self.design);
            self.last_recovery = Instant::now();
        }
    }

    fn menu_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                let item = |ui: &mut Ui, out: &mut Vec<Command>, cmd: Command| {
                    let b =
                        egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(ui.ctx()));
                    if ui.add(b).on_hover_text(cmd.tooltip()).clicked() {
                        out.push(cmd);
                        ui.close();
                    }
                };
                ui.menu_button("File", |ui| {
                    for c in [Command::New, Command::Open, Command::Save, Command::SaveAs] {
                        item(ui, out, c);
                    }
                    ui.menu_button("Export", |ui| {
                        for f in [
                            crate::export::Format::Json,
                            crate::export::Format::Schema,
                            crate::export::Format::Openapi,
                            crate::export::Format::Bpmn,
                            crate::export::Format::Curl,
                        ] {
                            item(ui, out, Command::Export(f));
                        }
                    });
                    ui.menu_button("Open recent", |ui| {
                        if self.recent.is_empty() {
                            ui.label("No recent file");
                        }
                        for p in &self.recent {
                            if ui.button(p.display().to_string()).clicked() {
                                out.push(Command::OpenPath(p.clone()));
                                ui.close();
                            }
                        }
                    });
                });
                ui.menu_button("Edit", |ui| {
                    for c in [
                        Command::Undo,
                        Command::Redo,
                        Command::Copy,
                        Command::Paste,
                        Command::DeleteSelected,
                        Command::AddWorkflow,
                    ] {
                        item(ui, out, c);
                    }
                });
                ui.menu_button("View", |ui| {
                    for c in [
                        Command::ZoomToFit,
                        Command::ToggleTheme,
                        Command::CommandPalette,
                    ] {
                        item(ui, out, c);
                    }
                });
                ui.menu_button("Simulate", |ui| {
                    for c in Command::SIMULATE {
                        item(ui, out, c);
                    }
                });
                ui.separator();
                let theme = if self.dark { "☀ Light" } else { "🌙 Dark" };
                if ui
                    .button(theme)
                    .on_hover_text(Command::ToggleTheme.tooltip())
                    .clicked()
                {
                    out.push(Command::ToggleTheme);
                }
            });
            if let Some((msg, is_error)) = self.message.clone() {
                ui.horizontal(|ui| {
                    let color = if is_error {
                        Color32::from_rgb(0xef, 0x44, 0x44)
                    } else {
                        Color32::from_rgb(0xf5, 0x9e, 0x0b)
                    };
                    ui.label(RichText::new(msg).color(color));
                    if ui.button("Dismiss").clicked() {
                        self.message = None;
                    }
                });
            }
        });
    }

    fn bottom_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        egui::Panel::bottom("bottom")
            .resizable(true)
            .default_size(340.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    for tab in BottomTab::ALL {
                        ui.selectable_value(&mut self.bottom_tab, tab, tab.name());
                    }
                });
                ui.separator();
                match self.bottom_tab {
                    BottomTab::Problems => self.problems_ui(ui, out),
                    BottomTab::Simulator => self.sim.ui(ui, &self.design, self.rev, out),
                    BottomTab::Scenarios => {
                        self.scenario_editor
                            .ui(ui, &mut self.sim, &self.design, self.rev, out)
                    }
                    BottomTab::Batch => self.batch.ui(ui, &self.design, out),
                }
            });
    }

    fn problems_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        {
            {
                let errors = self
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                let warnings = self.diagnostics.len() - errors;
                ui.label(
                    RichText::new(format!("Problems — {errors} errors, {warnings} warnings"))
                        .strong(),
                );
                let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
                egui::ScrollArea::vertical().auto_shrink(false).show_rows(
                    ui,
                    row_h,
                    self.diagnostics.len(),
                    |ui, range| {
                        for d in self.diagnostics.get(range).unwrap_or_default() {
                            let icon = if d.severity == Severity::Error {
                                "⛔"
                            } else {
                                "⚠"
                            };
                            let field = d
                                .field
                                .as_deref()
                                .map(|f| format!(" [{f}]"))
                                .unwrap_or_default();
                            let text = format!("{icon} {}{field}: {}", d.location(), d.message);
                            if ui.selectable_label(false, text).clicked() {
                                out.push(Command::Reveal {
                                    workflow: d.workflow.clone(),
                                    activity: d.activity.clone(),
                                    field: d.field.clone(),
                                });
                            }
                        }
                    },
                );
            }
        }
    }

    fn workflows_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        egui::Panel::left("workflows")
            .resizable(true)
            .default_size(210.0)
            .show(ui, |ui| {
                ui.label(RichText::new("Workflows").strong());
                for w in &self.design.workflows {
                    let on = self.current.as_deref() == Some(&w.id);
                    if ui
                        .selectable_label(on, format!("{} — {}", w.id, w.label))
                        .clicked()
                    {
                        out.push(Command::SelectWorkflow(w.id.clone()));
                    }
                }
                ui.horizontal(|ui| {
                    if ui.button("Add workflow").clicked() {
                        out.push(Command::AddWorkflow);
                    }
                    if let Some(id) = &self.current
                        && ui.button("Delete workflow").clicked()
                    {
                        out.push(Command::DeleteWorkflow(id.clone()));
                    }
                });
                if let Some(w) = self.workflow() {
                    let mut label = w.label.clone();
                    let l = ui.label("Workflow label");
                    if ui
                        .text_edit_singleline(&mut label)
                        .labelled_by(l.id)
                        .changed()
                    {
                        out.push(Command::RenameWorkflow {
                            workflow: w.id.clone(),
                            label,
                        });
                    }
                }
                ui.separator();
                ui.label(RichText::new("Palette").strong());
                let center = self.canvas.to_global.inverse() * ui.ctx().content_rect().center();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for tag in KindTag::ALL {
                        if ui
                            .button(format!("{} {}", kind_icon(tag), tag.name()))
                            .on_hover_text(format!("Add a {} activity", tag.name()))
                            .clicked()
                        {
                            out.push(Command::AddActivity {
                                tag,
                                position: Position {
                                    x: center.x,
                                    y: center.y,
                                },
                            });
                        }
                    }
                });
            });
    }

    fn inspector_panel_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let wf = self
                        .current
                        .as_deref()
                        .and_then(|id| self.design.workflow(id));
                    let (Some(wf), Some(sel)) = (wf, self.selected.clone()) else {
                        ui.label("Select an activity (click its title) to inspect it.");
                        return;
                    };
                    self.sim.visits_ui(ui, &wf.id, &sel);
                    let mut cx = InspectorCtx {
                        design: &self.design,
                        workflow: wf,
                        diagnostics: &self.diagnostics,
                        focus_field: &mut self.focus_field,
                        id_buffer: &mut self.id_buffer,
                    };
                    inspector_ui(ui, &mut cx, &sel, out);
                });
            });
    }

    fn canvas_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let Some(wf) = self
                .current
                .as_deref()
                .and_then(|id| self.design.workflow(id))
            else {
                ui.label("The design has no workflow. Add one in the left panel.");
                return;
            };
            self.canvas.sync(wf, self.rev);
            let mut hint = None;
            let overlay = self
                .sim
                .overlay(&self.design, self.rev, &wf.id, &self.breakpoints);
            self.canvas
                .ui(ui, wf, self.selected.as_deref(), &overlay, out, &mut hint);
            if let Some(h) = hint {
                self.message = Some((h, false));
            }
        });
    }

    fn modals_ui(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        if let Some(p) = self.prompt.clone() {
            let mut choice = None;
            egui::Modal::new(egui::Id::new("unsaved")).show(ctx, |ui| {
                ui.heading("Unsaved changes");
                ui.label("The design has changes that are not saved.");
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        choice = Some(0);
                    }
                    if ui.button("Discard").clicked() {
                        choice = Some(1);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(2);
                    }
                });
            });
            match choice {
                Some(0) => {
                    self.prompt = None;
                    self.after_save = Some(p);
                    out.push(Command::Save);
                }
                Some(1) => {
                    self.prompt = None;
                    if let Err(e) = self.run_pending(p) {
                        self.message = Some((format!("{e:#}"), true));
                    }
                }
                Some(2) => self.prompt = None,
                _ => {}
            }
        }
        if let Some(d) = self.recovered.clone() {
            egui::Modal::new(egui::Id::new("recovery")).show(ctx, |ui| {
                ui.heading("Recover unsaved work?");
                ui.label("flowcall found unsaved work from a previous session.");
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        self.undo.push(self.design.clone());
                        self.restore(d);
                        self.dirty = true;
                        self.recovered = None;
                    }
                    if ui.button("Discard recovered work").clicked() {
                        if let Some(r) = &self.recovery {
                            files::remove_recovery(r);
                        }
                        self.recovered = None;
                    }
                });
            });
        }
        if self.palette_open {
            let mut close = false;
            let r = egui::Modal::new(egui::Id::new("palette")).show(ctx, |ui| {
                ui.set_width(380.0);
                let l = ui.label("Command");
                let te = ui
                    .text_edit_singleline(&mut self.palette_query)
                    .labelled_by(l.id);
                te.request_focus();
                let q = self.palette_query.to_lowercase();
                let mut first = None;
                for cmd in Command::GLOBAL {
                    if cmd == Command::CommandPalette || !cmd.label().to_lowercase().contains(&q) {
                        continue;
                    }
                    first.get_or_insert_with(|| cmd.clone());
                    let b =
                        egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(ui.ctx()));
                    if ui.add(b).on_hover_text(cmd.tooltip()).clicked() {
                        out.push(cmd);
                        close = true;
                    }
                }
                if ui.input(|i| i.key_pressed(egui::Key::Enter))
                    && let Some(c) = first
                {
                    out.push(c);
                    close = true;
                }
            });
            if close || r.should_close() {
                self.palette_open = false;
                self.palette_query.clear();
            }
        }
    }
}

/// Renames an activity and every reference to it (transitions, End triggers in any workflow).
fn rename_activity(d: &mut Design, workflow: &str, old: &str, new: &str) -> anyhow::Result<()> {
    if new.is_empty() {
        anyhow::bail!("an activity id cannot be empty");
    }
    if new == old {
        return Ok(());
    }
    let w = d
        .workflow_mut(workflow)
        .ok_or_else(|| anyhow::anyhow!("no workflow {workflow}"))?;
    if w.activity(new).is_some() {
        anyhow::bail!("'{new}' is already used by another activity of {workflow}");
    }
    let a = w
        .activity_mut(old)
        .ok_or_else(|| anyhow::anyhow!("no activity {old}"))?;
    a.id = new.to_owned();
    for t in &mut w.transitions {
        if t.from == old {
            t.from = new.to_owned();
        }
        if t.to == old {
            t.to = new.to_owned();
        }
    }
    for w in &mut d.workflows {
        for a in &mut w.activities {
            if let crate::model::ActivityKind::End(crate::model::EndSettings { trigger: Some(t) }) =
                &mut a.kind
                && t.workflow == workflow
                && t.signal == old
            {
                t.signal = new.to_owned();
            }
        }
    }
    Ok(())
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let recent: Vec<String> = self
            .recent
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        storage.set_string("recent", recent.join("\n"));
        storage.set_string("theme", if self.dark { "dark" } else { "light" }.into());
    }
}

impl App {
    /// Restores recent files and theme from eframe storage.
    pub fn load_settings(&mut self, storage: &dyn eframe::Storage) {
        if let Some(r) = storage.get_string("recent") {
            self.recent = r
                .lines()
                .filter(|l| !l.is_empty())
                .map(PathBuf::from)
                .collect();
        }
        if let Some(t) = storage.get_string("theme") {
            self.dark = t != "light";
        }
    }
}
