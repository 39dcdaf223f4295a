//! The Problems tab: every design-time diagnostic (as `flowcall check` reports them), counted by
//! severity, or a line saying that the design passes every check; a click on one reveals its
//! workflow, activity and field.
//!
//! A panel: it imports only the shared modules of `ui`.

use super::command::{Command, ViewCommand};
use super::widgets::ok_line_ui;
use super::words::count_s;
use crate::check::{Diagnostic, Severity};
use egui::{RichText, Ui};

/// The height of one row of the list.
pub fn row_height(ui: &Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) + 4.0
}

/// Draws the tab.
pub fn problems_ui(ui: &mut Ui, diagnostics: &[Diagnostic], out: &mut Vec<Command>) {
    if diagnostics.is_empty() {
        ok_line_ui(ui, "✔ No problems: the design passes every check");
        return;
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let summary = match (errors, warnings) {
        (0, w) => count_s(w, "warning"),
        (e, 0) => count_s(e, "error"),
        (e, w) => format!("{}, {}", count_s(e, "error"), count_s(w, "warning")),
    };
    ui.label(RichText::new(format!("Problems: {summary}")).strong())
        .on_hover_text("Click a problem to show its activity and field");
    let row_h = row_height(ui);
    egui::ScrollArea::vertical().auto_shrink(false).show_rows(
        ui,
        row_h,
        diagnostics.len(),
        |ui, range| {
            for d in diagnostics.get(range).unwrap_or_default() {
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
                    out.push(Command::View(ViewCommand::Reveal {
                        workflow: d.workflow.clone(),
                        activity: d.activity.clone(),
                        field: d.field.clone(),
                    }));
                }
            }
        },
    );
}
