//! The one place commands are applied, after drawing: [`App::apply`] hands each concern to its
//! own exhaustive `apply` (files in `file`, edits, the view, the simulator, batches here). A
//! command that fails leaves the document as it was and shows why in the banner.

use super::{App, Banner};
use crate::model::{Activity, Design, KindTag, Position, Transition};
use crate::ui::batch::GenerateSettings;
use crate::ui::command::{BatchCommand, BottomTab, Command, EditCommand, SimCommand, ViewCommand};
use crate::ui::document::Document;
use crate::ui::tidy::tidy;

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

    fn apply_edit(&mut self, c: EditCommand) -> anyhow::Result<()> {
        match c {
            EditCommand::Undo => self.history(Document::undo),
            EditCommand::Redo => self.history(Document::redo),
            EditCommand::DeleteSelected => self.delete_selected()?,
            EditCommand::Copy => {
                self.clipboard = self.selected_activity().cloned();
            }
            EditCommand::Paste => self.paste()?,
            EditCommand::AddWorkflow => {
                let id = self.doc.add_workflow()?;
                self.current = Some(id);
                self.selected = None;
            }
            EditCommand::RenameWorkflow { workflow, label } => {
                self.doc.rename_workflow(&workflow, label)?;
            }
            EditCommand::SetConsecutiveErrors {
                workflow,
                threshold,
            } => self.doc.set_consecutive_errors(&workflow, threshold)?,
            EditCommand::DeleteWorkflow(id) => {
                self.doc.delete_workflow(&id)?;
                if self.current.as_deref() == Some(&id) {
                    self.current = self.first_workflow();
                    self.selected = None;
                }
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
        self.selected = Some(self.doc.add_activity(&id, tag, at)?);
        Ok(())
    }

    /// Pans the current workflow's view so that `activity` is in it (a problem or a contract
    /// change clicked in the Problems tab shows its activity even when it was out of view).
    fn reveal_on_canvas(&mut self, activity: Option<&str>) {
        let Some(wf) = self.workflow() else {
            return;
        };
        if let Some(a) = activity.and_then(|id| wf.activities.iter().find(|a| a.id == id)) {
            let (id, at, tag) = (wf.id.clone(), a.position, a.kind.tag());
            self.canvas.reveal(&id, at, tag);
        }
    }

    /// Lays the current workflow out along its transitions, as one undo step.
    fn tidy_layout(&mut self) -> anyhow::Result<()> {
        let Some(wf) = self.workflow() else {
            anyhow::bail!("there is no workflow to tidy: add one first");
        };
        let moves = tidy(wf, &self.canvas.node_sizes(wf));
        let id = wf.id.clone();
        self.doc.arrange(&id, moves)?;
        self.canvas.fit_pending = true;
        Ok(())
    }

    fn selected_activity(&self) -> Option<&Activity> {
        let id = self.selected.as_deref()?;
        self.workflow()?.activity(id)
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

    fn paste(&mut self) -> anyhow::Result<()> {
        let (Some(wf), Some(a)) = (self.current.clone(), self.clipboard.clone()) else {
            return Ok(());
        };
        self.selected = Some(self.doc.paste_activity(&wf, a)?);
        Ok(())
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
            ViewCommand::CommandPalette => self.palette.toggle(),
            ViewCommand::SelectWorkflow(id) => {
                if self.current.as_deref() != Some(&id) {
                    self.current = Some(id);
                    self.selected = None;
                }
            }
            ViewCommand::Select(id) => self.selected = id,
            ViewCommand::Reveal {
                workflow,
                activity,
                field,
            } => {
                if let Some(w) = workflow {
                    self.current = Some(w);
                }
                self.reveal_on_canvas(activity.as_deref());
                self.selected = activity;
                self.focus_field = field;
            }
            ViewCommand::ShowTab(tab) => self.bottom_tab = tab,
            ViewCommand::DismissMessage => self.banner = None,
        }
    }

    fn apply_sim(&mut self, c: SimCommand) -> anyhow::Result<()> {
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
}
