//! The left panel: the design's workflows (select, add, delete, the current one's label) and the
//! palette of activity kinds, which adds an activity at the centre of the view.
//!
//! A panel: it imports only the shared modules of `ui`.

use super::command::{Command, EditCommand, ViewCommand};
use super::widgets::kind_icon;
use crate::model::{Design, KindTag, Position};
use egui::{RichText, Ui};

/// Draws the panel's content; `center` is where the palette adds activities (canvas units).
pub fn workflows_ui(
    ui: &mut Ui,
    design: &Design,
    current: Option<&str>,
    center: Position,
    out: &mut Vec<Command>,
) {
    ui.label(RichText::new("Workflows").strong());
    for w in &design.workflows {
        let on = current == Some(w.id.as_str());
        if ui
            .selectable_label(on, format!("{} — {}", w.id, w.label))
            .clicked()
        {
            out.push(Command::View(ViewCommand::SelectWorkflow(w.id.clone())));
        }
    }
    ui.horizontal(|ui| {
        if ui.button("Add workflow").clicked() {
            out.push(Command::Edit(EditCommand::AddWorkflow));
        }
        if let Some(id) = current
            && ui.button("Delete workflow").clicked()
        {
            out.push(Command::Edit(EditCommand::DeleteWorkflow(id.to_owned())));
        }
    });
    if let Some(w) = current.and_then(|id| design.workflow(id)) {
        let mut label = w.label.clone();
        let l = ui.label("Workflow label");
        if ui
            .text_edit_singleline(&mut label)
            .labelled_by(l.id)
            .changed()
        {
            out.push(Command::Edit(EditCommand::RenameWorkflow {
                workflow: w.id.clone(),
                label,
            }));
        }
    }
    ui.separator();
    ui.label(RichText::new("Palette").strong());
    egui::ScrollArea::vertical().show(ui, |ui| {
        for tag in KindTag::ALL {
            if ui
                .button(format!("{} {}", kind_icon(tag), tag.name()))
                .on_hover_text(format!("Add a {} activity", tag.name()))
                .clicked()
            {
                out.push(Command::Edit(EditCommand::AddActivity {
                    tag,
                    position: center,
                }));
            }
        }
    });
}
