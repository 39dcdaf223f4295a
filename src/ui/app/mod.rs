//! The designer's window: the [`App`] holds the [`Document`], the view state (current workflow,
//! selection, theme, tabs) and the panels, draws one frame ([`App::frame_ui`]) and then applies
//! the commands that frame collected. Drawing only reads the design and collects commands;
//! loading, saving, simulating and every edit happen when commands are applied, after drawing.
//!
//! The top of `ui`: it imports the panels and the shared modules. This file holds the state
//! (every type of it), the frame and the panels' places; its parts extend [`App`] and import
//! only this file:
//!
//! - `apply`: the one place commands are applied, one exhaustive `apply` per concern;
//! - `file`: the File concern (new, open, save, export, the unsaved-changes flow, recovery);
//! - `menus`: the menu bar and the keyboard, both read from the command vocabulary;
//! - `modals`: the unsaved-changes prompt, the recovery offer, the command palette (commands
//!   and activities), Find (Ctrl+F) and the confirmation of a workflow's deletion, which return
//!   commands; the message banner and the Undo toast, drawn over the canvas so that they move
//!   nothing.
//!
//! The panels hold still: the bottom panel's height is the user's (dragged, remembered between
//! sessions), never its content's; the inspector collapses to a thin strip while nothing is
//! selected and gives its width to the canvas (the view is kept relative to the canvas's top
//! left corner, so nothing on the canvas moves when it opens or closes).

mod apply;
mod file;
mod menus;
mod modals;

use super::batch::BatchPanel;
use super::canvas::Canvas;
use super::command::{BottomTab, Command, ViewCommand};
use super::document::Document;
use super::files::{self, Dialogs};
use super::inspector::{InspectorCtx, inspector_ui};
use super::overlay::Overlay;
use super::problems::problems_ui;
use super::scenarios::{ScenarioCx, ScenarioEditor};
use super::simulator::SimPanel;
use super::theme;
use super::workflows::workflows_ui;
use crate::check::{self, Diagnostic};
use crate::diff::ContractDiff;
use crate::expr::VarInfo;
use crate::io::recovery::PanicRecovery;
use crate::model::{Design, Workflow};
use crate::ui::document::Clip;
use egui::{RichText, Ui};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the variables at an activity depend on: (design revision, workflow, activity).
type EnvKey = (u64, String, String);

/// The smallest the bottom panel is.
const BOTTOM_MIN: f32 = 90.0;
/// The bottom panel's height until the user drags it: its tabs and a few rows, leaving the
/// canvas most of a 900 px tall window.
const BOTTOM_DEFAULT: f32 = 320.0;
/// The width of the inspector while nothing is selected.
const STRIP_W: f32 = 24.0;
/// How long the Undo toast of a deletion stays.
const TOAST_FOR: Duration = Duration::from_secs(8);
/// How fast Ctrl+wheel zooms (egui's default, 1/200, makes a notch about 20%).
const ZOOM_SPEED: f32 = 1.0 / 500.0;

/// A grip along the top of a panel `height` points tall, showing that it can be resized: the
/// new height while it is dragged.
fn grip_ui(ui: &mut Ui, height: f32) -> Option<f32> {
    let (rect, r) =
        ui.allocate_exact_size(egui::vec2(ui.available_width(), 8.0), egui::Sense::drag());
    let r = r
        .on_hover_cursor(egui::CursorIcon::ResizeVertical)
        .on_hover_text("Drag to resize the panel");
    let color = if r.hovered() || r.dragged() {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().weak_text_color()
    };
    let bar = egui::Rect::from_center_size(rect.center(), egui::vec2(48.0, 4.0));
    ui.painter().rect_filled(bar, 2.0, color);
    r.dragged().then(|| height - r.drag_delta().y)
}

/// How often unsaved work is written to the recovery file.
const RECOVERY_EVERY: Duration = Duration::from_secs(30);

/// The message banner under the menu bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banner {
    /// Something failed: what, where and what to do.
    Error(String),
    /// A note (a hint, where an export went).
    Note(String),
}

impl Banner {
    /// The text shown.
    pub fn text(&self) -> &str {
        match self {
            Banner::Error(t) | Banner::Note(t) => t,
        }
    }
}

/// An action waiting for the user's answer about unsaved changes.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    /// A new, empty design.
    New,
    /// The Open dialog.
    OpenDialog,
    /// Open this file.
    Open(PathBuf),
    /// Close the window.
    Close,
}

/// Where the File concern stands: the prompt shown, what runs after a save, the dialog open.
#[derive(Default)]
struct FileFlow {
    /// The action the unsaved-changes prompt asks about.
    prompt: Option<Pending>,
    /// The action to run once the save the prompt asked for is done.
    after_save: Option<Pending>,
    /// The window may close (the user answered for the unsaved changes).
    allow_close: bool,
    /// The native dialogs.
    dialogs: Dialogs,
}

/// The command palette's own state (and Find's): open or not, and the text typed.
#[derive(Debug, Default)]
struct Palette {
    open: bool,
    query: String,
}

/// A dialog that asks before an edit.
#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    /// Delete this workflow, which these (scenarios, callers, runs) depend on?
    DeleteWorkflow {
        /// The workflow id.
        workflow: String,
        /// What depends on it, one line each.
        dependents: Vec<String>,
    },
}

/// A note over the canvas that offers to undo what was just done (a deleted workflow), for a
/// few seconds or until the next edit.
#[derive(Debug, Clone)]
struct Toast {
    text: String,
    /// The document's revision right after the deletion: any later edit ends the offer.
    rev: u64,
    shown: Instant,
}

/// The recovery file and the work it offers back.
struct Recovery {
    path: PathBuf,
    written: Instant,
    /// Work found in the file at start, different from the design opened, not yet answered for.
    offered: Option<Design>,
    /// What the panic hook writes if the designer panics (the unsaved text).
    panic: Option<PanicFeed>,
}

/// The panic hook and the design revision and dirty flag it was last given.
struct PanicFeed {
    hook: Arc<PanicRecovery>,
    given: Option<(u64, bool)>,
}

/// The designer application state.
pub struct App {
    doc: Document,
    current: Option<String>,
    selected: Option<String>,
    checked_rev: u64,
    diagnostics: Vec<Diagnostic>,
    /// The diagnostics of the saved copy, and its saved revision.
    saved_checks: (u64, Vec<Diagnostic>),
    /// The contract changes since the saved copy, as of (revision, saved revision).
    contract: ((u64, u64), ContractDiff),
    /// The variables available at the selected activity, and (revision, workflow, activity).
    env: Option<(EnvKey, BTreeMap<String, VarInfo>)>,
    /// The node canvas of the current workflow.
    pub canvas: Canvas,
    pending: Vec<Command>,
    banner: Option<Banner>,
    dark: bool,
    theme_applied: Option<bool>,
    palette: Palette,
    files: FileFlow,
    /// Recently opened or saved files, newest first.
    pub recent: Vec<PathBuf>,
    recovery: Option<Recovery>,
    focus_field: Option<String>,
    id_buffer: Option<(String, String)>,
    clipboard: Option<Clip>,
    /// The selection each workflow had when the user went to another (restored on coming back).
    selections: BTreeMap<String, String>,
    /// Find (Ctrl+F): open or not, and the text typed.
    find: Palette,
    dialog: Option<Dialog>,
    toast: Option<Toast>,
    title_sent: String,
    ctx: Option<egui::Context>,
    /// The tab shown in the bottom panel.
    pub bottom_tab: BottomTab,
    /// The batch tab.
    pub batch: BatchPanel,
    sim: SimPanel,
    scenario_editor: ScenarioEditor,
    /// The bottom panel's height: the user's, never its content's.
    bottom_height: f32,
    /// The window is to be sized to the screen at the first frame that knows the screen (no
    /// size was saved by an earlier session).
    size_window: bool,
    /// A widget had the keyboard focus at the end of the last frame (egui drops it when Escape
    /// is pressed, before the frame: that Escape was the widget's, not the canvas's).
    focus_was: bool,
}

impl App {
    /// A designer on `design`, shown as `name`, saved to `path` when given.
    pub fn new(design: Design, path: Option<PathBuf>, name: &str) -> App {
        let current = design.workflows.first().map(|w| w.id.clone());
        let canvas = Canvas::default();
        let doc = Document::new(design, path, name);
        let sim = SimPanel::new(doc.design(), doc.rev());
        App {
            doc,
            current,
            selected: None,
            checked_rev: 0,
            diagnostics: Vec::new(),
            saved_checks: (0, Vec::new()),
            contract: ((0, 0), ContractDiff::default()),
            env: None,
            canvas,
            pending: Vec::new(),
            banner: None,
            dark: true,
            theme_applied: None,
            palette: Palette::default(),
            files: FileFlow::default(),
            recent: Vec::new(),
            recovery: None,
            focus_field: None,
            id_buffer: None,
            clipboard: None,
            selections: BTreeMap::new(),
            find: Palette::default(),
            dialog: None,
            toast: None,
            title_sent: String::new(),
            ctx: None,
            bottom_tab: BottomTab::Problems,
            batch: BatchPanel::default(),
            sim,
            scenario_editor: ScenarioEditor::default(),
            size_window: false,
            bottom_height: BOTTOM_DEFAULT,
            focus_was: false,
        }
    }

    /// Keeps `hook` (installed by the caller) up to date with the unsaved work, so that a panic
    /// writes it to the recovery file; needs [`App::with_recovery`] first.
    pub fn with_panic_recovery(mut self, hook: Arc<PanicRecovery>) -> App {
        if let Some(r) = &mut self.recovery {
            r.panic = Some(PanicFeed { hook, given: None });
        }
        self
    }

    /// Enables the periodic recovery file at `path`, offering back what it holds now, and says
    /// so when the last run of the designer ended in a panic.
    pub fn with_recovery(mut self, path: PathBuf) -> App {
        if let Some(notice) = crate::io::recovery::take_notice(&path) {
            self.banner = Some(Banner::Error(notice.text()));
        }
        let offered = crate::io::load(&path)
            .ok()
            .filter(|d| d != self.doc.design());
        self.recovery = Some(Recovery {
            path,
            written: Instant::now(),
            offered,
            panic: None,
        });
        self
    }

    /// The document: the design, its file and history.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The document, to edit it directly (tests and tools: the sample data has no editor on
    /// this branch yet).
    pub fn document_mut(&mut self) -> &mut Document {
        &mut self.doc
    }

    /// Sets the bottom panel's height, as dragging its grip does.
    pub fn set_bottom_height(&mut self, height: f32) {
        self.bottom_height = height.max(BOTTOM_MIN);
    }

    /// The design being edited.
    pub fn design(&self) -> &Design {
        self.doc.design()
    }

    /// The file the design is saved to, if any.
    pub fn path(&self) -> Option<&Path> {
        self.doc.path()
    }

    /// The diagnostics of the design (as of the last frame).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The contract changes of the design since it was last saved or opened (as of the last
    /// frame).
    pub fn contract_changes(&self) -> &ContractDiff {
        &self.contract.1
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

    /// The canvas overlay of the current workflow (path of the selected run, breakpoints), read
    /// from the session now.
    pub fn overlay(&self) -> Overlay {
        match &self.current {
            Some(w) => self.sim.overlay_now(self.doc.design(), w),
            None => Overlay::default(),
        }
    }

    /// The breakpoints: (workflow id, activity id).
    pub fn breakpoints(&self) -> &crate::sim::Breakpoints {
        self.sim.breakpoints()
    }

    /// Whether there are unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.doc.is_dirty()
    }

    /// The message banner's text (errors, hints), if any.
    pub fn message(&self) -> Option<&str> {
        self.banner.as_ref().map(Banner::text)
    }

    /// The message banner, if any.
    pub fn banner(&self) -> Option<&Banner> {
        self.banner.as_ref()
    }

    /// The window title.
    pub fn title(&self) -> String {
        let dirty = if self.doc.is_dirty() { " •" } else { "" };
        format!("flowcall — {}{dirty}", self.doc.file_name())
    }

    /// Queues a command, applied after the next frame's drawing.
    pub fn queue(&mut self, cmd: impl Into<Command>) {
        self.pending.push(cmd.into());
    }

    fn workflow(&self) -> Option<&Workflow> {
        self.current
            .as_deref()
            .and_then(|id| self.doc.design().workflow(id))
    }

    /// The diagnostics, and the variables at the selected activity, of the design as it is now
    /// (computed again only when the design or the selection changed).
    fn refresh_checks(&mut self) {
        if self.checked_rev != self.doc.rev() {
            self.diagnostics = check::check(self.doc.design());
            self.checked_rev = self.doc.rev();
        }
        if self.saved_checks.0 != self.doc.saved_rev() {
            self.saved_checks = (self.doc.saved_rev(), check::check(self.doc.saved()));
        }
        let key = (self.doc.rev(), self.doc.saved_rev());
        if self.contract.0 != key {
            let diff = crate::diff::compare_with(
                self.doc.saved(),
                self.doc.design(),
                &self.saved_checks.1,
                &self.diagnostics,
            );
            self.contract = (key, diff);
        }
        let (Some(wf), Some(id)) = (self.workflow(), self.selected.as_deref()) else {
            self.env = None;
            return;
        };
        let key = (self.doc.rev(), wf.id.clone(), id.to_owned());
        if self.env.as_ref().is_none_or(|(k, _)| *k != key) {
            self.env = Some((key, check::environment(wf, id)));
        }
    }

    /// One frame of the whole designer, drawn into `ui` (the window's root).
    pub fn frame_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            // From the next frame on (the kittest harnesses fail on a glyph missing before).
            ctx.set_fonts(theme::fonts());
            // Ctrl+wheel zooms the canvas in small steps (a notch is about 8%).
            ctx.options_mut(|o| o.input_options.scroll_zoom_speed = ZOOM_SPEED);
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
        self.size_window(&ctx);
        self.handle_input(&ctx);
        self.batch.poll(&ctx);
        self.refresh_checks();
        let (design, rev) = (self.doc.design(), self.doc.rev());
        self.sim.poll(&ctx, design, rev);
        self.sim.refresh_view(
            design,
            rev,
            self.current.as_deref(),
            self.selected.as_deref(),
        );
        let mut out = Vec::new();
        self.menu_ui(ui, &mut out);
        self.bottom_ui(ui, &mut out);
        self.workflows_panel_ui(ui, &mut out);
        self.inspector_panel_ui(ui, &mut out);
        self.canvas_ui(ui, &mut out);
        self.messages_ui(&ctx, &mut out);
        self.modals_ui(&ctx, &mut out);
        self.apply_frame(out);
        let title = self.title();
        if title != self.title_sent {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_sent = title;
        }
        self.write_recovery();
        self.focus_was = ctx.memory(|m| m.focused()).is_some();
    }

    /// Sizes the window to the screen, once, when no earlier session saved its size.
    fn size_window(&mut self, ctx: &egui::Context) {
        if !self.size_window {
            return;
        }
        if let Some(screen) = ctx.input(|i| i.viewport().monitor_size) {
            ctx.send_viewport_cmd(egui::ViewportCommand::OuterPosition(egui::Pos2::ZERO));
            ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(screen));
            ctx.send_viewport_cmd(egui::ViewportCommand::Maximized(true));
            self.size_window = false;
        }
    }

    /// Writes the recovery file every 30 s while there are unsaved changes, and gives the panic
    /// hook the unsaved text after each edit, save or discard.
    fn write_recovery(&mut self) {
        let Some(r) = &mut self.recovery else {
            return;
        };
        if self.doc.is_dirty() && r.written.elapsed() > RECOVERY_EVERY {
            files::write_recovery(&r.path, self.doc.design());
            r.written = Instant::now();
        }
        if let Some(feed) = &mut r.panic {
            let now = (self.doc.rev(), self.doc.is_dirty());
            if feed.given != Some(now) {
                let text = now.1.then(|| crate::io::to_ron_string(self.doc.design()));
                feed.hook.set_unsaved(text.and_then(Result::ok));
                feed.given = Some(now);
            }
        }
    }

    /// The bottom panel: a grip to resize it (the height is remembered), the tabs, the tab
    /// shown. Its height is the user's: its content scrolls inside it, never resizes it.
    fn bottom_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let limit = (ui.ctx().content_rect().height() * 0.6).max(BOTTOM_MIN);
        let height = self.bottom_height.clamp(BOTTOM_MIN, limit);
        egui::Panel::bottom("bottom")
            .resizable(false)
            .exact_size(height)
            .show(ui, |ui| {
                if let Some(h) = grip_ui(ui, height) {
                    self.bottom_height = h.clamp(BOTTOM_MIN, limit);
                }
                ui.horizontal(|ui| {
                    for tab in BottomTab::ALL {
                        if ui
                            .selectable_label(self.bottom_tab == tab, tab.name())
                            .clicked()
                        {
                            out.push(Command::View(ViewCommand::ShowTab(tab)));
                        }
                    }
                });
                ui.separator();
                self.tab_ui(ui, out);
            });
    }

    /// The tab shown in the bottom panel.
    fn tab_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let (design, rev) = (self.doc.design(), self.doc.rev());
        match self.bottom_tab {
            BottomTab::Problems => problems_ui(ui, &self.diagnostics, &self.contract.1, out),
            BottomTab::Simulator => self.sim.ui(ui, design, rev, out),
            BottomTab::Scenarios => {
                let cx = ScenarioCx {
                    design,
                    rev,
                    busy: self.sim.busy(),
                    target: self.sim.target(),
                    status: self.sim.status(),
                    marks: self.sim.marks(),
                    coverage: self.sim.coverage(),
                    show_coverage: self.sim.shows_coverage(),
                };
                self.scenario_editor.ui(ui, &cx, out);
            }
            BottomTab::Batch => {
                self.batch.ui(ui, design, self.files.dialogs.busy(), out);
            }
        }
    }

    fn workflows_panel_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        egui::Panel::left("workflows")
            .resizable(true)
            .default_size(220.0)
            .size_range(180.0..=420.0)
            .show(ui, |ui| {
                workflows_ui(ui, self.doc.design(), self.current.as_deref(), out);
            });
    }

    /// Whether the selected activity exists in the current workflow.
    fn selected_exists(&self) -> bool {
        let sel = self.selected.as_deref();
        self.workflow()
            .zip(sel)
            .is_some_and(|(w, id)| w.activity(id).is_some())
    }

    /// The inspector: a thin strip while nothing is selected (the canvas takes the width), the
    /// selected activity's settings at a width of its own otherwise.
    fn inspector_panel_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        if !self.selected_exists() {
            egui::Panel::right("inspector-strip")
                .resizable(false)
                .exact_size(STRIP_W)
                .show(ui, |ui| {
                    ui.add_space(6.0);
                    ui.label(RichText::new("ℹ").weak()).on_hover_text(
                        "Inspector: select an activity on the canvas to see and edit its settings",
                    );
                });
            return;
        }
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(420.0)
            .size_range(340.0..=720.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("inspector")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.inspector_ui(ui, out));
            });
    }

    /// The inspector's content: the visits of the selected activity, then its settings.
    fn inspector_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let design = self.doc.design();
        let wf = self.current.as_deref().and_then(|id| design.workflow(id));
        let (Some(wf), Some(sel)) = (wf, self.selected.as_deref()) else {
            return;
        };
        self.sim.visits_ui(ui);
        let Some((_, env)) = &self.env else {
            return;
        };
        let mut cx = InspectorCtx {
            design,
            workflow: wf,
            diagnostics: &self.diagnostics,
            env,
            focus_field: &mut self.focus_field,
            id_buffer: &mut self.id_buffer,
        };
        inspector_ui(ui, &mut cx, sel, out);
    }

    fn canvas_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let design = self.doc.design();
            let Some(wf) = self.current.as_deref().and_then(|id| design.workflow(id)) else {
                ui.label("The design has no workflow. Add one in the left panel.");
                return;
            };
            self.canvas.sync(wf, self.doc.rev());
            let mut hint = None;
            self.canvas.ui(
                ui,
                wf,
                self.selected.as_deref(),
                self.sim.overlay(),
                out,
                &mut hint,
            );
            if let Some(h) = hint {
                self.banner = Some(Banner::Note(h));
            }
        });
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let recent: Vec<String> = self
            .recent
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        storage.set_string("recent", recent.join("\n"));
        storage.set_string("theme", if self.dark { "dark" } else { "light" }.into());
        storage.set_string("bottom_height", format!("{:.0}", self.bottom_height));
        storage.set_string("minimap", self.canvas.minimap.to_string());
    }
}

impl App {
    /// Asks for the window to be sized to the screen at the first frame (done by `run` when no
    /// earlier session saved a size).
    pub fn fill_screen(&mut self) {
        self.size_window = true;
    }

    /// Restores recent files and theme from eframe storage; without a window size saved by an
    /// earlier session, the window is sized to the screen.
    pub fn load_settings(&mut self, storage: &dyn eframe::Storage) {
        // eframe keeps the window's size and place under this key.
        self.size_window = storage.get_string("window").is_none();
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
        if let Some(h) = storage
            .get_string("bottom_height")
            .and_then(|h| h.parse::<f32>().ok())
            .filter(|h| h.is_finite())
        {
            self.bottom_height = h.max(BOTTOM_MIN);
        }
        if let Some(m) = storage.get_string("minimap") {
            self.canvas.minimap = m != "false";
        }
    }
}
