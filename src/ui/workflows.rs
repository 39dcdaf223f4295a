//! The left panel: the design's workflows (select, add, delete, the current one's label) in a
//! list of fixed height, then the palette of activity kinds grouped by family, each family in
//! its canvas colour (the canvas's legend). A kind is dragged onto the canvas (it lands where
//! it is dropped) or clicked (it goes next to the selected activity, in view). Nothing in the
//! panel moves when workflows are added or renamed.
//!
//! Deleting a workflow asks first when scenarios, callers or runs depend on it (the app decides).
//!
//! A panel: it imports only the shared modules of `ui`.

use super::command::{Command, EditCommand, ViewCommand};
use super::theme::CanvasPalette;
use super::widgets::kind_icon;
use crate::model::{Design, Family, KindTag};
use egui::{RichText, Ui};

/// How many workflows the list shows before it scrolls.
const LIST_ROWS: f32 = 5.0;

/// Draws the panel's content.
pub fn workflows_ui(ui: &mut Ui, design: &Design, current: Option<&str>, out: &mut Vec<Command>) {
    ui.label(RichText::new("Workflows").strong());
    let row = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
    let height = row * LIST_ROWS;
    egui::ScrollArea::vertical()
        .id_salt("workflow-list")
        .min_scrolled_height(height)
        .max_height(height)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for w in &design.workflows {
                let on = current == Some(w.id.as_str());
                let text = format!("{} — {}", w.id, w.label);
                let r = ui
                    .add(egui::Button::selectable(on, text.as_str()).truncate())
                    .on_hover_text(&text);
                if r.clicked() {
                    out.push(Command::View(ViewCommand::SelectWorkflow(w.id.clone())));
                }
            }
        });
    ui.horizontal(|ui| {
        let add = Command::Edit(EditCommand::AddWorkflow);
        if ui
            .button(add.label())
            .on_hover_text(add.tooltip())
            .clicked()
        {
            out.push(add);
        }
        let delete = Command::Edit(EditCommand::DeleteWorkflow(
            current.unwrap_or_default().to_owned(),
        ));
        let r = ui
            .add_enabled(current.is_some(), egui::Button::new(delete.label()))
            .on_hover_text(delete.tooltip());
        if r.clicked() && current.is_some() {
            out.push(delete);
        }
    });
    label_ui(ui, design, current, out);
    ui.separator();
    palette_ui(ui, out);
}

/// The current workflow's label (an empty, disabled field when there is none, so that nothing
/// below moves).
fn label_ui(ui: &mut Ui, design: &Design, current: Option<&str>, out: &mut Vec<Command>) {
    let l = ui.label("Workflow label");
    let wf = current.and_then(|id| design.workflow(id));
    let mut label = wf.map(|w| w.label.clone()).unwrap_or_default();
    let r = ui
        .add_enabled(
            wf.is_some(),
            egui::TextEdit::singleline(&mut label).desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    if let (true, Some(w)) = (r.changed(), wf) {
        out.push(Command::Edit(EditCommand::RenameWorkflow {
            workflow: w.id.clone(),
            label,
        }));
    }
    threshold_ui(ui, wf, out);
}

/// The workflow's consecutive errors threshold (the reference's "Consecutive errors").
fn threshold_ui(ui: &mut Ui, wf: Option<&crate::model::Workflow>, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let l = ui.label("Consecutive errors");
        let mut n = wf.map_or(0, |w| w.consecutive_errors);
        let meta = Command::Edit(EditCommand::SetConsecutiveErrors {
            workflow: String::new(),
            threshold: 0,
        });
        let r = ui
            .add_enabled(wf.is_some(), egui::DragValue::new(&mut n).range(0..=1000))
            .labelled_by(l.id)
            .on_hover_text(meta.tooltip());
        if let (true, Some(w)) = (r.changed(), wf) {
            out.push(Command::Edit(EditCommand::SetConsecutiveErrors {
                workflow: w.id.clone(),
                threshold: n,
            }));
        }
    });
}

/// One kind of the palette: a button that adds it next to the selection when clicked, and
/// that can be dragged onto the canvas (the canvas adds it where it is let go).
fn kind_ui(ui: &mut Ui, tag: KindTag, accent: egui::Color32, out: &mut Vec<Command>) {
    let text = format!("{} {}", kind_icon(tag), tag.name());
    let r = ui.add(
        egui::Button::new(text.as_str())
            .stroke(egui::Stroke::new(1.0, accent))
            .sense(egui::Sense::click_and_drag()),
    );
    if r.drag_started() {
        egui::DragAndDrop::set_payload(ui.ctx(), tag);
    }
    if r.dragged() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
        if let Some(p) = ui.ctx().pointer_latest_pos() {
            let layer = egui::LayerId::new(egui::Order::Tooltip, egui::Id::unique("palette-drag"));
            ui.ctx().layer_painter(layer).text(
                p + egui::vec2(14.0, 4.0),
                egui::Align2::LEFT_TOP,
                &text,
                egui::FontId::proportional(14.0),
                accent,
            );
        }
    }
    if r.clicked() {
        out.push(Command::Edit(EditCommand::add(tag)));
    }
    r.on_hover_text(format!(
        "{} ({}): drag onto the canvas, or click to add it next to the selection",
        tag.name(),
        tag.family().name()
    ));
}

/// The kinds by family: a swatch of the family's colour and its name, then a button per kind
/// that can be dragged onto the canvas or clicked.
fn palette_ui(ui: &mut Ui, out: &mut Vec<Command>) {
    ui.label(RichText::new("Activities").strong())
        .on_hover_text("Drag a kind onto the canvas, or click it to add it next to the selection");
    let palette = CanvasPalette::new(ui.visuals().dark_mode);
    egui::ScrollArea::vertical()
        .id_salt("palette")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for family in Family::ALL {
                let colors = palette.family(family);
                ui.horizontal(|ui| {
                    let (r, _) =
                        ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                    ui.painter().rect_filled(r, 2.0, colors.accent);
                    ui.label(RichText::new(family.name()).color(colors.accent).strong());
                });
                for tag in family.kinds() {
                    kind_ui(ui, tag, colors.accent, out);
                }
                ui.add_space(4.0);
            }
        });
}
