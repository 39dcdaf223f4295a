//! The modal dialogs: the unsaved-changes prompt, the offer of work recovered from a previous
//! session, and the command palette. Each returns the user's answer as commands; none of them
//! loads, restores, saves or deletes anything while it is drawn.

use super::{App, Palette};
use crate::ui::command::{Command, FileCommand, RecoveryChoice, UnsavedChoice, palette};
use egui::Ui;

impl Palette {
    /// Shows or hides it.
    pub(super) fn toggle(&mut self) {
        self.open = !self.open;
    }

    fn close(&mut self) {
        self.open = false;
        self.query.clear();
    }

    /// The palette: the commands whose label contains the text typed; Enter takes the first.
    fn ui(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        if !self.open {
            return;
        }
        let mut picked = false;
        let r = egui::Modal::new(egui::Id::unique("palette")).show(ctx, |ui| {
            ui.set_width(380.0);
            let l = ui.label("Command");
            let te = ui.text_edit_singleline(&mut self.query).labelled_by(l.id);
            te.request_focus();
            let q = self.query.to_lowercase();
            let mut first = None;
            for cmd in palette().filter(|c| c.label().to_lowercase().contains(&q)) {
                first.get_or_insert(cmd);
                let b = egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(ui.ctx()));
                if ui.add(b).on_hover_text(cmd.tooltip()).clicked() {
                    out.push(cmd.clone());
                    picked = true;
                }
            }
            if ui.input(|i| i.key_pressed(egui::Key::Enter))
                && let Some(c) = first
            {
                out.push(c.clone());
                picked = true;
            }
        });
        if picked || r.should_close() {
            self.close();
        }
    }
}

impl App {
    /// The modals shown this frame; their answers go to `out`.
    pub(super) fn modals_ui(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        if self.files.prompt.is_some() {
            egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| unsaved_ui(ui, out));
        }
        if self.recovery.as_ref().is_some_and(|r| r.offered.is_some()) {
            egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| recovery_ui(ui, out));
        }
        self.palette.ui(ctx, out);
    }
}

/// Buttons for `choices`, labelled from the command vocabulary.
fn choices_ui(ui: &mut Ui, choices: impl IntoIterator<Item = Command>, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        for c in choices {
            if ui.button(c.label()).clicked() {
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
