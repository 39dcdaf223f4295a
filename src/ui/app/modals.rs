//! The modal dialogs: the unsaved-changes prompt, the offer of work recovered from a previous
//! session, the command palette (commands, then activities: "Go to …"), Find (activities by
//! label or id in every workflow) and the confirmation of a workflow's deletion that names what
//! depends on it. Each returns the user's answer as commands; none of them loads, restores,
//! saves or deletes anything while it is drawn. Over the canvas, the message banner and the
//! Undo toast of a deletion: drawn on a layer of their own, they push nothing aside.

use super::{App, Dialog, Palette, TOAST_FOR};
use crate::ui::command::{
    Command, EditCommand, FileCommand, RecoveryChoice, UnsavedChoice, ViewCommand, palette,
};
use crate::ui::document::{Found, find_activities};
use crate::ui::theme;
use egui::{RichText, Ui};

/// How many activities a search lists at most.
const FOUND_MAX: usize = 12;

impl Palette {
    /// Shows or hides it.
    pub(super) fn toggle(&mut self) {
        self.open = !self.open;
    }

    fn close(&mut self) {
        self.open = false;
        self.query.clear();
    }

    /// The palette: the commands whose label contains the text typed, then the activities whose
    /// label or id does ("Go to …"); Enter takes the first.
    fn ui(&mut self, ctx: &egui::Context, design: &crate::model::Design, out: &mut Vec<Command>) {
        if !self.open {
            return;
        }
        let mut picked = None;
        let r = egui::Modal::new(egui::Id::unique("palette")).show(ctx, |ui| {
            ui.set_width(420.0);
            let l = ui.label("Command");
            let te = ui.text_edit_singleline(&mut self.query).labelled_by(l.id);
            te.request_focus();
            let q = self.query.to_lowercase();
            let commands = palette().filter(|c| c.label().to_lowercase().contains(&q));
            let mut first: Option<Command> = None;
            for cmd in commands {
                first.get_or_insert_with(|| cmd.clone());
                let b = egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(ui.ctx()));
                if ui.add(b).on_hover_text(cmd.tooltip()).clicked() {
                    picked = Some(cmd.clone());
                }
            }
            let found = find_activities(design, &self.query);
            if !found.is_empty() {
                ui.separator();
            }
            if let Some(c) = found_list_ui(ui, &found, "Go to ") {
                picked = Some(c);
            }
            first = first.or_else(|| found.first().map(reveal));
            if picked.is_none() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                picked = first;
            }
        });
        if let Some(c) = picked {
            out.push(c);
            self.close();
        } else if r.should_close() {
            self.close();
        }
    }

    /// Find: the activities of every workflow whose label or id contains the text typed; Enter
    /// or a click shows the first (or the one clicked) on the canvas.
    fn find_ui(
        &mut self,
        ctx: &egui::Context,
        design: &crate::model::Design,
        out: &mut Vec<Command>,
    ) {
        if !self.open {
            return;
        }
        let mut picked = None;
        let r = egui::Modal::new(egui::Id::unique("find")).show(ctx, |ui| {
            ui.set_width(420.0);
            let l = ui.label("Find activity");
            let te = ui
                .add(egui::TextEdit::singleline(&mut self.query).hint_text("label or id"))
                .labelled_by(l.id);
            te.request_focus();
            let found = find_activities(design, &self.query);
            if found.is_empty() && !self.query.trim().is_empty() {
                ui.label(RichText::new("No activity has this label or id").weak());
            }
            picked = found_list_ui(ui, &found, "");
            if picked.is_none() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                picked = found.first().map(reveal);
            }
        });
        if let Some(c) = picked {
            out.push(c);
            self.close();
        } else if r.should_close() {
            self.close();
        }
    }
}

/// The command that shows a found activity: its workflow, the activity selected and in view.
fn reveal(f: &Found) -> Command {
    Command::View(ViewCommand::Reveal {
        workflow: Some(f.workflow.clone()),
        activity: Some(f.activity.clone()),
        field: None,
    })
}

/// A button per found activity (the first [`FOUND_MAX`]), `prefix` before each; the command of
/// the one clicked.
fn found_list_ui(ui: &mut Ui, found: &[Found], prefix: &str) -> Option<Command> {
    let mut picked = None;
    for f in found.iter().take(FOUND_MAX) {
        let text = format!("{prefix}{} ({}) in {}", f.label, f.activity, f.workflow);
        let b = egui::Button::new(text.as_str()).truncate();
        let tip = format!("{text}: {}", f.workflow_label);
        if ui.add(b).on_hover_text(tip).clicked() {
            picked = Some(reveal(f));
        }
    }
    if found.len() > FOUND_MAX {
        ui.label(RichText::new(format!("and {} more: type more", found.len() - FOUND_MAX)).weak());
    }
    picked
}

impl App {
    /// Whether a modal dialog is shown (the keys it uses are its own).
    pub(super) fn modal_open(&self) -> bool {
        self.files.prompt.is_some()
            || self.recovery.as_ref().is_some_and(|r| r.offered.is_some())
            || self.palette.open
            || self.find.open
            || self.dialog.is_some()
    }

    /// The modals shown this frame; their answers go to `out`.
    pub(super) fn modals_ui(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        if self.files.prompt.is_some() {
            egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| unsaved_ui(ui, out));
        }
        if self.recovery.as_ref().is_some_and(|r| r.offered.is_some()) {
            egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| recovery_ui(ui, out));
        }
        if let Some(Dialog::DeleteWorkflow {
            workflow,
            dependents,
        }) = &self.dialog
        {
            let label = self
                .doc
                .design()
                .workflow(workflow)
                .map(|w| w.label.clone())
                .unwrap_or_default();
            let r = egui::Modal::new(egui::Id::unique("delete-workflow")).show(ctx, |ui| {
                delete_workflow_ui(ui, (workflow, &label), dependents, out)
            });
            if r.should_close() {
                out.push(ViewCommand::CloseDialog.into());
            }
        }
        let design = self.doc.design();
        self.palette.ui(ctx, design, out);
        self.find.find_ui(ctx, design, out);
    }

    /// The message banner and the Undo toast, over the top of the canvas: on a layer of their
    /// own, so that they move nothing when they come and go.
    pub(super) fn messages_ui(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        if self
            .toast
            .as_ref()
            .is_some_and(|t| t.rev != self.doc.rev() || t.shown.elapsed() > TOAST_FOR)
        {
            self.toast = None;
        }
        if self.banner.is_none() && self.toast.is_none() {
            return;
        }
        let canvas = self.canvas.view_rect();
        let at = canvas.left_top() + egui::vec2(12.0, 10.0);
        egui::Area::new(egui::Id::unique("messages"))
            .order(egui::Order::Middle)
            .fixed_pos(at)
            .show(ctx, |ui| {
                ui.set_max_width((canvas.width() - 24.0).max(200.0));
                if let Some(t) = &self.toast {
                    ctx.request_repaint_after(TOAST_FOR);
                    message_ui(ui, &t.text, theme::warning(ui.visuals()), true, out);
                }
                if let Some(b) = &self.banner {
                    let color = match b {
                        super::Banner::Error(_) => theme::error(ui.visuals()),
                        super::Banner::Note(_) => theme::warning(ui.visuals()),
                    };
                    message_ui(ui, b.text(), color, false, out);
                }
            });
    }
}

/// One message over the canvas, in a frame: its text, Undo when `undo`, and Dismiss.
fn message_ui(ui: &mut Ui, text: &str, color: egui::Color32, undo: bool, out: &mut Vec<Command>) {
    egui::Frame::popup(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(text).color(color));
            if undo {
                let c = Command::Edit(EditCommand::Undo);
                if ui.button(c.label()).on_hover_text(c.tooltip()).clicked() {
                    out.push(c);
                }
            }
            let dismiss = Command::View(ViewCommand::DismissMessage);
            if ui.button(dismiss.label()).clicked() {
                out.push(dismiss);
            }
        });
    });
}

/// "Delete workflow X?": what depends on it, and Delete or Cancel.
fn delete_workflow_ui(
    ui: &mut Ui,
    (workflow, label): (&str, &str),
    dependents: &[String],
    out: &mut Vec<Command>,
) {
    ui.heading(format!("Delete workflow {workflow}?"));
    ui.label(format!("'{label}' is used by:"));
    for d in dependents {
        ui.label(format!("• {d}"));
    }
    ui.label("They will be broken until you change them. Undo brings the workflow back.");
    choices_ui(
        ui,
        [
            Command::Edit(EditCommand::ConfirmDeleteWorkflow(workflow.to_owned())),
            Command::View(ViewCommand::CloseDialog),
        ],
        out,
    );
}

/// Buttons for `choices`, labelled from the command vocabulary.
fn choices_ui(ui: &mut Ui, choices: impl IntoIterator<Item = Command>, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        for c in choices {
            if ui.button(c.label()).on_hover_text(c.tooltip()).clicked() {
                out.push(c);
            }
        }
    });
}

fn unsaved_ui(ui: &mut Ui, out: &mut Vec<Command>) {
    ui.heading("Unsaved changes");
    ui.label("The design has changes that are not saved.");
    let choices = [
        UnsavedChoice::Save,
        UnsavedChoice::Discard,
        UnsavedChoice::Cancel,
    ];
    choices_ui(
        ui,
        choices.map(|c| Command::File(FileCommand::Unsaved(c))),
        out,
    );
}

fn recovery_ui(ui: &mut Ui, out: &mut Vec<Command>) {
    ui.heading("Recover unsaved work?");
    ui.label("flowcall found unsaved work from a previous session.");
    let choices = [RecoveryChoice::Restore, RecoveryChoice::Discard];
    choices_ui(
        ui,
        choices.map(|c| Command::File(FileCommand::Recovery(c))),
        out,
    );
}
