//! The Problems tab: every design-time diagnostic (as `flowcall check` reports them), counted by
//! severity; a click on one reveals its workflow, activity and field.
//!
//! A panel: it imports only the shared modules of `ui`.

use super::command::{Command, ViewCommand};
use crate::check::{Diagnostic, Severity};
use egui::{RichText, Ui};

/// Draws the tab.
pub fn problems_ui(ui: &mut Ui, diagnostics: &[Diagnostic], out: &mut Vec<Command>) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    ui.label(RichText::new(format!("Problems — {errors} errors, {warnings} warnings")).strong());
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
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
