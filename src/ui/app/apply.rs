//! The one place commands are applied, after drawing: [`App::apply`] hands each concern to its
//! own exhaustive `apply` (files in `file`, edits, the view, the simulator, batches and the sample
//! data here; the Data tab's edits in its panel). A
//! command that fails leaves the document as it was and shows why in the banner.

use super::{App, Banner, Dialog, Toast};
use crate::model::{Activity, ActivityKind, Design, KindTag, Port, Position, Transition};
use crate::ui::batch::GenerateSettings;
use crate::ui::command::{
    BatchCommand, BottomTab, Command, DataCommand, EditCommand, SimCommand, ViewCommand,
};
use crate::ui::document::{Clip, Document};
use crate::ui::tidy::tidy;
use std::time::Instant;

impl App {
    /// Applies a command now.
    pub fn apply(&mut self, cmd: impl Into<Command>) {
        let result = match cmd.into() {
            Command::File(c) => self.apply_file(c),
            Command::Edit(c) => self.apply_edit(c),
            Command::View(c) => {
                self.apply_view(c);
                Ok(())
            }
            Command::Sim(c) => self.apply_sim(c),
            Command::Batch(c) => self.apply_batch(c),
            Command::Data(c) => self.apply_data(c),
        };
        if let Err(e) = result {
            self.banner = Some(Banner::Error(format!("{e:#}")));
        }
    }

    /// Applies what was queued and what this frame's drawing collected (and draws again: what
    /// was drawn is from before them); an edit that changed the structure lets auto-run know.
    pub(super) fn apply_frame(&mut self, out: Vec<Command>) {
        let queued = std::mem::take(&mut self.pending);
        if (!queued.is_empty() || !out.is_empty())
            && let Some(ctx) = &self.ctx
        {
            ctx.request_repaint();
        }
        let rev = self.doc.rev();
        for cmd in queued.into_iter().chain(out) {
            self.apply(cmd);
        }
        if self.doc.rev() != rev {
            self.sim.touched();
        }
    }

    // Table: one arm per edit command, each calling the function that applies it.
    fn apply_edit(&mut self, c: EditCommand) -> anyhow::Result<()> {
        match c {
            EditCommand::Undo => self.history(Document::undo),
            EditCommand::Redo => self.history(Document::redo),
            c @ (EditCommand::DeleteSelected
            | EditCommand::Copy
            | EditCommand::Cut
            | EditCommand::Paste
            | EditCommand::PasteText(_)
            | EditCommand::Duplicate
            | EditCommand::Nudge(..)) => self.apply_selection_edit(c)?,
            c @ (EditCommand::AddWorkflow
            | EditCommand::RenameWorkflow { .. }
            | EditCommand::SetConsecutiveErrors { .. }
            | EditCommand::DeleteWorkflow(_)
            | EditCommand::ConfirmDeleteWorkflow(_)
            | EditCommand::NewTargetWorkflow { .. }) => self.apply_workflow_edit(c)?,
            EditCommand::AppendActivity {
                workflow,
                from,
                port,
                tag,
                position,
            } => self.append_activity(&workflow, (&from, port), tag, position)?,
            EditCommand::InsertActivity {
                workflow,
                transition,
                tag,
                position,
                moves,
            } => {
                let id =
                    self.doc
                        .insert_on_transition(&workflow, &transition, tag, position, moves)?;
                self.select_new(&workflow, id);
            }
            EditCommand::AddActivity { tag, position } => self.add_activity(tag, position)?,
            EditCommand::TidyLayout => self.tidy_layout()?,
            EditCommand::SetCooldown(c) => self.doc.set_cooldown(c)?,
            EditCommand::EditActivity {
                workflow,
                activity,
                coalesce,
            } => self.doc.replace_activity(&workflow, *activity, &coalesce)?,
            EditCommand::RenameActivity { workflow, old, new } => {
                self.rename_activity(&workflow, &old, new.trim())?;
            }
            EditCommand::MoveActivities { workflow, moves } => {
                self.doc.move_activities(&workflow, moves)?;
            }
            EditCommand::Connect {
                workflow,
                from,
                port,
                to,
            } => self.doc.connect(&workflow, Transition { from, port, to })?,
            EditCommand::Disconnect {
                workflow,
                from,
                port,
                to,
            } => self
                .doc
                .disconnect(&workflow, &Transition { from, port, to })?,
            EditCommand::DeleteActivities { workflow, ids } => {
                self.delete_activities(&workflow, &ids)?
            }
            EditCommand::SaveScenario(name) => self.save_scenario(&name)?,
            EditCommand::EditScenarioExpectations { name, expect } => {
                self.doc.set_expectations(&name, *expect)?;
                self.sim.forget_mark(&name);
            }
            EditCommand::DeleteScenario(name) => {
                self.doc.delete_scenario(&name)?;
                self.sim.forget_mark(&name);
            }
            EditCommand::UpdateScenarioPayload(name) => {
                let (design, rev) = (self.doc.design(), self.doc.rev());
                let doing = "updating the scenario from it";
                let (w, s, payload) = self.sim.form_payload(design, rev, doing)?;
                self.doc.set_scenario_payload(&name, &w, &s, payload)?;
                self.sim.forget_mark(&name);
            }
        }
        Ok(())
    }

    /// The edits of the selection: delete, copy, cut, paste, duplicate, nudge.
    fn apply_selection_edit(&mut self, c: EditCommand) -> anyhow::Result<()> {
        match c {
            EditCommand::DeleteSelected => self.delete_selected()?,
            EditCommand::Copy => {
                self.copy();
            }
            EditCommand::Cut if self.copy() => self.delete_selected()?,
            EditCommand::Paste => {
                if let Some(clip) = self.clipboard.clone() {
                    self.paste(&clip)?;
                }
            }
            EditCommand::PasteText(text) => {
                // Text that holds no activities: what the designer copied last, if anything.
                if let Some(clip) = Clip::from_text(&text).or_else(|| self.clipboard.clone()) {
                    self.paste(&clip)?;
                }
            }
            EditCommand::Duplicate => self.duplicate()?,
            EditCommand::Nudge(dx, dy) => self.nudge(dx, dy)?,
            _ => {}
        }
        Ok(())
    }

    /// The edits of the design's workflows: add, rename, delete (asking first when something
    /// depends on it), a new target for an End.
    fn apply_workflow_edit(&mut self, c: EditCommand) -> anyhow::Result<()> {
        match c {
            EditCommand::AddWorkflow => {
                let id = self.doc.add_workflow()?;
                self.show_workflow(id, None);
            }
            EditCommand::RenameWorkflow { workflow, label } => {
                self.doc.rename_workflow(&workflow, label)?;
            }
            EditCommand::SetConsecutiveErrors {
                workflow,
                threshold,
            } => self.doc.set_consecutive_errors(&workflow, threshold)?,
            EditCommand::DeleteWorkflow(id) => {
                let dependents = self.dependents(&id);
                if dependents.is_empty() {
                    self.delete_workflow(&id)?;
                } else {
                    self.dialog = Some(Dialog::DeleteWorkflow {
                        workflow: id,
                        dependents,
                    });
                }
            }
            EditCommand::ConfirmDeleteWorkflow(id) => {
                self.dialog = None;
                self.delete_workflow(&id)?;
            }
            EditCommand::NewTargetWorkflow { workflow, end } => {
                let (w, signal) = self.doc.add_target_workflow(&workflow, &end)?;
                self.banner = Some(Banner::Note(format!(
                    "{w} added; {workflow}/{end} triggers its signal. Declare the parameters the \
                     End passes here, then go back to {workflow}."
                )));
                self.show_workflow(w, Some(signal));
            }
            _ => {}
        }
        Ok(())
    }

    /// Adds an activity at `position`, or (without one) next to the selection, in view, on no
    /// other node; it becomes the selection.
    fn add_activity(&mut self, tag: KindTag, position: Option<Position>) -> anyhow::Result<()> {
        let Some(wf) = self.workflow() else {
            anyhow::bail!("add a workflow first (Edit > Add workflow), then add activities to it");
        };
        let id = wf.id.clone();
        let at = match position {
            Some(p) => p,
            None => {
                let p = self.canvas.free_spot(wf, self.selected.as_deref(), tag);
                self.canvas.reveal(&id, p, tag);
                p
            }
        };
        let new = self.doc.add_activity(&id, tag, at)?;
        self.select_new(&id, new);
        Ok(())
    }

    /// Adds an activity of kind `tag` at `position` after output `port` of `from`, connected;
    /// it becomes the selection, in view.
    fn append_activity(
        &mut self,
        workflow: &str,
        (from, port): (&str, Port),
        tag: KindTag,
        position: Position,
    ) -> anyhow::Result<()> {
        let id = self
            .doc
            .append_activity(workflow, from, port, tag, position)?;
        self.canvas.reveal(workflow, position, tag);
        self.select_new(workflow, id);
        Ok(())
    }

    /// A new activity becomes the selection, and the field it cannot work without (a Transfer
    /// file's path, a Test's first condition...) takes the focus when it is empty.
    fn select_new(&mut self, workflow: &str, id: String) {
        self.focus_field = self
            .doc
            .design()
            .workflow(workflow)
            .and_then(|w| w.activity(&id))
            .and_then(key_field);
        self.canvas.clear_selection();
        self.selected = Some(id);
    }

    /// Shows workflow `id` with `selected` selected, the current workflow's selection kept for
    /// when the user comes back to it.
    pub(super) fn show_workflow(&mut self, id: String, selected: Option<String>) {
        if let (Some(cur), Some(sel)) = (&self.current, &self.selected) {
            self.selections.insert(cur.clone(), sel.clone());
        }
        self.canvas.clear_selection();
        self.current = Some(id);
        self.selected = selected;
        self.id_buffer = None;
    }

    /// What depends on workflow `id`, one line each: the saved scenarios that trigger it, the
    /// Ends of other workflows that trigger it, the runs of the simulator session in it.
    fn dependents(&self, id: &str) -> Vec<String> {
        let d = self.doc.design();
        let mut out = Vec::new();
        let scenarios: Vec<&str> = d
            .scenarios
            .iter()
            .filter(|s| s.workflow == id)
            .map(|s| s.name.as_str())
            .collect();
        if !scenarios.is_empty() {
            out.push(format!(
                "{}: {}",
                crate::ui::words::count_s(scenarios.len(), "saved scenario"),
                scenarios.join(", ")
            ));
        }
        for w in d.workflows.iter().filter(|w| w.id != id) {
            for a in &w.activities {
                if let ActivityKind::End(e) = &a.kind
                    && e.trigger.as_ref().is_some_and(|t| t.workflow == id)
                {
                    out.push(format!(
                        "the End '{}' of {} ({}), which triggers it",
                        a.display_name(),
                        w.id,
                        a.id
                    ));
                }
            }
        }
        let runs = self
            .sim
            .lock()
            .runs()
            .iter()
            .filter(|r| r.workflow == id)
            .count();
        if runs > 0 {
            out.push(format!(
                "{} in the simulator",
                crate::ui::words::count_s(runs, "run")
            ));
        }
        out
    }

    /// Deletes workflow `id` now, with an Undo toast for a few seconds.
    fn delete_workflow(&mut self, id: &str) -> anyhow::Result<()> {
        let label = self
            .doc
            .design()
            .workflow(id)
            .map(|w| w.label.clone())
            .unwrap_or_default();
        self.doc.delete_workflow(id)?;
        self.selections.remove(id);
        if self.current.as_deref() == Some(id) {
            self.current = self.first_workflow();
            self.selected = None;
        }
        self.toast = Some(Toast {
            text: format!("Deleted workflow {id} ('{label}')"),
            rev: self.doc.rev(),
            shown: Instant::now(),
        });
        Ok(())
    }

    /// Pans the current workflow's view so that `activity` is in it (a problem or a contract
    /// change clicked in the Problems tab shows its activity even when it was out of view).
    fn reveal_on_canvas(&mut self, activity: Option<&str>) {
        let (Some(wf), Some(id)) = (
            self.current
                .as_deref()
                .and_then(|w| self.doc.design().workflow(w)),
            activity,
        ) else {
            return;
        };
        self.canvas.reveal_activity(wf, id);
    }

    /// Lays the current workflow out along its transitions, as one undo step.
    fn tidy_layout(&mut self) -> anyhow::Result<()> {
        let Some(wf) = self.workflow() else {
            anyhow::bail!("there is no workflow to tidy: add one first");
        };
        let moves = tidy(wf, &self.canvas.node_sizes(wf), self.canvas.tidy_width());
        let id = wf.id.clone();
        self.doc.arrange(&id, moves)?;
        self.canvas.fit_pending = true;
        Ok(())
    }

    /// The activities Copy, Cut and Duplicate act on: the box selection when it holds the
    /// selected activity, else the selected activity.
    fn selection_ids(&self) -> Vec<String> {
        let Some(sel) = self.selected.clone() else {
            return Vec::new();
        };
        let ids = self.canvas.widget_selection();
        if ids.contains(&sel) { ids } else { vec![sel] }
    }

    /// Copies the selection to the designer's clipboard and, as text, to the system's; false
    /// when nothing is selected.
    fn copy(&mut self) -> bool {
        let Some(clip) = self
            .workflow()
            .and_then(|w| Clip::of(w, &self.selection_ids()))
        else {
            return false;
        };
        if let Some(ctx) = &self.ctx {
            ctx.copy_text(clip.to_text());
        }
        self.clipboard = Some(clip);
        true
    }

    /// A copy of the selection beside it (the clipboard is left alone).
    fn duplicate(&mut self) -> anyhow::Result<()> {
        let Some(clip) = self
            .workflow()
            .and_then(|w| Clip::of(w, &self.selection_ids()))
        else {
            return Ok(());
        };
        let Some(wf) = self.workflow() else {
            return Ok(());
        };
        let offset = self.canvas.paste_offset(wf, &clip, None);
        let id = wf.id.clone();
        let ids = self.doc.paste(&id, &clip, offset)?;
        self.select_pasted(&id, ids);
        Ok(())
    }

    /// Moves the selection by (`dx`, `dy`) canvas units.
    fn nudge(&mut self, dx: f32, dy: f32) -> anyhow::Result<()> {
        let Some(wf) = self.workflow() else {
            return Ok(());
        };
        let ids = self.selection_ids();
        let moves = wf
            .activities
            .iter()
            .filter(|a| ids.contains(&a.id))
            .map(|a| {
                let p = Position {
                    x: a.position.x + dx,
                    y: a.position.y + dy,
                };
                (a.id.clone(), p)
            })
            .collect();
        let id = wf.id.clone();
        self.doc.move_activities(&id, moves)?;
        Ok(())
    }

    /// Undo or redo (`step`); when it moved, the view follows.
    fn history(&mut self, step: fn(&mut Document) -> bool) {
        if step(&mut self.doc) {
            self.after_history();
        }
    }

    pub(super) fn first_workflow(&self) -> Option<String> {
        self.doc.design().workflows.first().map(|w| w.id.clone())
    }

    /// After undo or redo: the current workflow and the selection still exist, or are reset.
    pub(super) fn after_history(&mut self) {
        if self.workflow().is_none() {
            self.current = self.first_workflow();
        }
        if let Some(sel) = &self.selected
            && self.workflow().and_then(|w| w.activity(sel)).is_none()
        {
            self.selected = None;
        }
        self.id_buffer = None;
    }

    /// Deletes the selection: the widget's box selection when it includes the selected
    /// activity, else the selected activity alone.
    fn delete_selected(&mut self) -> anyhow::Result<()> {
        let (Some(wf), Some(sel)) = (self.current.clone(), self.selected.clone()) else {
            return Ok(());
        };
        let mut ids = self.canvas.widget_selection();
        if !ids.contains(&sel) {
            ids = vec![sel];
        }
        self.delete_activities(&wf, &ids)
    }

    fn delete_activities(&mut self, workflow: &str, ids: &[String]) -> anyhow::Result<()> {
        self.doc.delete_activities(workflow, ids)?;
        if self.selected.as_ref().is_some_and(|s| ids.contains(s)) {
            self.selected = None;
        }
        Ok(())
    }

    /// Pastes `clip` into the current workflow: at the pointer when it is over the canvas, else
    /// beside the originals, on no other activity; what was pasted becomes the selection.
    fn paste(&mut self, clip: &Clip) -> anyhow::Result<()> {
        let Some(wf) = self.workflow() else {
            anyhow::bail!("add a workflow first (Edit > Add workflow), then paste into it");
        };
        let offset = self
            .canvas
            .paste_offset(wf, clip, self.canvas.pointer_pos());
        let id = wf.id.clone();
        let ids = self.doc.paste(&id, clip, offset)?;
        self.select_pasted(&id, ids);
        Ok(())
    }

    /// What was pasted becomes the selection (the box selection when more than one).
    fn select_pasted(&mut self, _workflow: &str, ids: Vec<String>) {
        self.canvas.select_many(&ids);
        self.selected = ids.last().cloned();
    }

    /// Renames an activity everywhere; its breakpoint and the selection follow it.
    fn rename_activity(&mut self, workflow: &str, old: &str, new: &str) -> anyhow::Result<()> {
        let res = self.doc.rename_activity(workflow, old, new);
        self.id_buffer = None;
        res?;
        self.sim.follow_rename(workflow, old, new);
        if self.selected.as_deref() == Some(old) {
            self.selected = Some(new.to_owned());
        }
        Ok(())
    }

    /// Saves the run form as a scenario expecting what it gives now, then runs it.
    fn save_scenario(&mut self, name: &str) -> anyhow::Result<()> {
        let scenario = self
            .sim
            .scenario_from_form(self.doc.design(), self.doc.rev(), name)?;
        self.doc.add_scenario(scenario)?;
        self.scenario_editor.name.clear();
        self.apply_sim(SimCommand::RunScenarios(Some(vec![name.to_owned()])))
    }

    fn apply_view(&mut self, c: ViewCommand) {
        match c {
            ViewCommand::ZoomToFit => self.canvas.fit_pending = true,
            ViewCommand::ToggleTheme => self.dark = !self.dark,
            ViewCommand::CommandPalette => {
                self.palette.toggle();
                self.find.open = false;
            }
            ViewCommand::SelectWorkflow(id) => {
                if self.current.as_deref() != Some(&id) {
                    let back = self.selections.remove(&id);
                    self.show_workflow(id, back);
                    if !self.selected_exists() {
                        self.selected = None;
                    }
                }
            }
            ViewCommand::Select(id) => {
                let opens = self.selected.is_none() && id.is_some();
                self.selected = id;
                if opens {
                    // The inspector opens over the right of the canvas: keep the node in view.
                    let sel = self.selected.clone();
                    self.reveal_on_canvas(sel.as_deref());
                }
            }
            ViewCommand::Reveal {
                workflow,
                activity,
                field,
            } => {
                if let Some(w) = workflow
                    && self.current.as_deref() != Some(&w)
                {
                    self.show_workflow(w, None);
                }
                self.reveal_on_canvas(activity.as_deref());
                self.selected = activity;
                self.focus_field = field;
            }
            ViewCommand::ShowTab(tab) => self.bottom_tab = tab,
            ViewCommand::DismissMessage => {
                self.banner = None;
                self.toast = None;
            }
            ViewCommand::Find => {
                self.find.toggle();
                self.palette.open = false;
            }
            ViewCommand::ToggleMinimap => self.canvas.minimap = !self.canvas.minimap,
            ViewCommand::CloseDialog => self.dialog = None,
        }
    }

    fn apply_sim(&mut self, c: SimCommand) -> anyhow::Result<()> {
        if matches!(c, SimCommand::LoadScenario(_)) {
            self.bottom_tab = BottomTab::Simulator;
        }
        let (design, rev): (&Design, u64) = (self.doc.design(), self.doc.rev());
        self.sim.apply(c, design, rev, self.ctx.as_ref())
    }

    fn apply_batch(&mut self, c: BatchCommand) -> anyhow::Result<()> {
        match c {
            BatchCommand::OpenFile => {
                self.bottom_tab = BottomTab::Batch;
                if let Some(ctx) = &self.ctx {
                    self.files.dialogs.payloads(ctx)?;
                }
            }
            BatchCommand::OpenPath(p) => {
                self.bottom_tab = BottomTab::Batch;
                self.batch.open_path(p, self.ctx.as_ref());
            }
            BatchCommand::Target { workflow, signal } => self.batch.set_target(workflow, signal),
            BatchCommand::Run => {
                self.bottom_tab = BottomTab::Batch;
                self.batch.run(self.doc.design(), self.ctx.as_ref());
            }
            BatchCommand::Cancel => self.batch.cancel(),
            BatchCommand::Generate {
                count,
                seed,
                invalid,
            } => {
                self.bottom_tab = BottomTab::Batch;
                let settings = GenerateSettings {
                    count,
                    seed,
                    invalid,
                };
                self.batch
                    .generate(self.doc.design(), settings, self.ctx.as_ref());
            }
        }
        Ok(())
    }

    /// The Data tab's commands: its dialogs here (like every dialog), the rest in its panel;
    /// the tab is shown, so that what a command did (data created for a failed run) is in view.
    fn apply_data(&mut self, c: DataCommand) -> anyhow::Result<()> {
        self.bottom_tab = BottomTab::Data;
        match c {
            DataCommand::Import(into) => {
                if let Some(ctx) = &self.ctx {
                    self.files.dialogs.data_import(ctx, into)?;
                }
            }
            DataCommand::Export(table) => {
                if let Some(ctx) = &self.ctx {
                    self.files.dialogs.data_export(ctx, table)?;
                }
            }
            other => self.data.apply(&mut self.doc, other, self.ctx.as_ref()),
        }
        Ok(())
    }
}

/// The field a new activity of this kind cannot work without, when it is empty: it takes the
/// focus, so that typing fills it.
fn key_field(a: &Activity) -> Option<String> {
    let empty = |s: &str| s.trim().is_empty();
    match &a.kind {
        ActivityKind::TransferFile(t) if empty(&t.path) => Some("path".into()),
        ActivityKind::ReadAudience(r) if empty(&r.audience) => Some("audience".into()),
        ActivityKind::SaveAudience(s) if empty(&s.label) => Some("label".into()),
        ActivityKind::Test(t) => t
            .conditions
            .iter()
            .find(|c| empty(&c.expression))
            .map(|c| format!("condition:{}", c.id)),
        _ => None,
    }
}
