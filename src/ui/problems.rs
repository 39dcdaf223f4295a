//! The Problems tab: every design-time diagnostic (as `flowcall check` reports them), counted by
//! severity, and the contract changes since the design was last saved or opened (as `flowcall
//! diff` reports them), so that a designer sees "this breaks API callers" before saving; a click
//! on one reveals its workflow, activity and field. Each row is one line (cut with "…" when
//! longer than the tab is wide), its whole text on hover.
//!
//! A panel: it imports only the shared modules of `ui`.

use super::command::{Command, ViewCommand};
use super::theme;
use super::widgets::ok_line_ui;
use super::words::count_s;
use crate::check::{Diagnostic, Severity};
use crate::diff::{Class, ContractDiff};
use egui::{RichText, Ui};

/// The height of one row of the list.
pub fn row_height(ui: &Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) + 4.0
}

/// Draws the tab.
pub fn problems_ui(
    ui: &mut Ui,
    diagnostics: &[Diagnostic],
    contract: &ContractDiff,
    out: &mut Vec<Command>,
) {
    contract_changes_ui(ui, contract, out);
    ui.separator();
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
    egui::ScrollArea::vertical()
        .id_salt("problems")
        .auto_shrink(false)
        .show_rows(ui, row_h, diagnostics.len(), |ui, range| {
            for d in diagnostics.get(range).unwrap_or_default() {
                diagnostic_row_ui(ui, d, out);
            }
        });
}

fn diagnostic_row_ui(ui: &mut Ui, d: &Diagnostic, out: &mut Vec<Command>) {
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
    let row = ui
        .add(egui::Button::selectable(false, text.as_str()).truncate())
        .on_hover_text(&text);
    if row.clicked() {
        out.push(Command::View(ViewCommand::Reveal {
            workflow: d.workflow.clone(),
            activity: d.activity.clone(),
            field: d.field.clone(),
        }));
    }
}

/// The Contract changes view: the summary, then each change (coloured by whom it breaks, the
/// whole message in its tooltip; a click reveals the signal) and each saved scenario the design
/// now rejects.
fn contract_changes_ui(ui: &mut Ui, contract: &ContractDiff, out: &mut Vec<Command>) {
    let summary = contract.summary();
    let head = RichText::new(format!("Contract changes since saved — {summary}")).strong();
    ui.label(if summary.is_breaking() {
        head.color(theme::error(ui.visuals()))
    } else {
        head
    })
    .on_hover_text("The signals' contracts compared with the last saved version, as flowcall diff compares two files");
    if contract.changes.is_empty() && contract.scenarios.is_empty() {
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("contract changes")
        .max_height(120.0)
        .show(ui, |ui| {
            for c in &contract.changes {
                let color = match c.class {
                    Class::Breaking => theme::error(ui.visuals()),
                    Class::BreakingInside => theme::warning(ui.visuals()),
                    Class::Compatible => theme::ok(ui.visuals()),
                    Class::Inside => ui.visuals().strong_text_color(),
                };
                let text = RichText::new(format!("{}: {}: {}", c.location(), c.class, c.headline))
                    .color(color);
                let row = ui
                    .add(egui::Button::selectable(false, text).truncate())
                    .on_hover_text(&c.message);
                if row.clicked() {
                    let target = contract.signal_of(c).and_then(|s| s.new.as_ref());
                    out.push(Command::View(ViewCommand::Reveal {
                        workflow: target.map(|t| t.workflow.clone()).or(c.workflow.clone()),
                        activity: target.map(|t| t.signal.clone()),
                        field: None,
                    }));
                }
            }
            for s in &contract.scenarios {
                ui.label(RichText::new(s.to_string()).color(theme::error(ui.visuals())));
            }
        });
}
