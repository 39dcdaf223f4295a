//! The Scenarios tab: the design's saved scenarios (the ones `flowcall test` runs) with their
//! pass/fail marks and differences, running one or all, saving the run form as a new scenario,
//! loading a scenario's payload into the run form and updating it from there, and editing a
//! scenario's expectations as a form (RON behind "Edit as text"). The panel is split by job:
//!
//! - `form`: the expectations as rows, read back with their problems, and as text (no egui);
//! - `editor`: the drawing of the expectations editor.
//!
//! A panel: it imports only the shared modules of `ui`. What it shows of the simulator comes in
//! a [`ScenarioCx`]. Inside it, `mod.rs` imports `form` and `editor`; `editor` imports `form`.

mod editor;
mod form;

use super::command::{Command, EditCommand, SimCommand};
use super::overlay::ScenarioMark;
use super::theme;
use super::widgets::{error_line_ui, warning_line_ui};
use super::words::count_s;
use crate::model::{Design, Scenario};
use crate::sim::coverage::Coverage;
use egui::{RichText, Ui};
use std::collections::BTreeMap;

/// What the tab shows besides the design.
pub struct ScenarioCx<'a> {
    /// The design.
    pub design: &'a Design,
    /// Its revision (a mark of another revision is stale).
    pub rev: u64,
    /// Whether the simulator is busy (nothing can run).
    pub busy: bool,
    /// The signal the run form triggers, as (workflow, signal).
    pub target: Option<(&'a str, &'a str)>,
    /// The simulator's status line.
    pub status: Option<&'a str>,
    /// The scenarios' last results, by name.
    pub marks: &'a BTreeMap<String, ScenarioMark>,
    /// What the saved scenarios reach, and the revision it was measured on.
    pub coverage: Option<(u64, &'a Coverage)>,
    /// Whether coverage is shown on the canvas.
    pub show_coverage: bool,
}

/// What the saved scenarios reach: the share, each workflow's, and what none reaches.
fn coverage_ui(ui: &mut Ui, cx: &ScenarioCx<'_>) {
    let Some((at, coverage)) = cx.coverage else {
        ui.label(RichText::new("Measuring coverage: running every scenario…").weak());
        return;
    };
    let (covered, total) = coverage.counts();
    let stale = if at == cx.rev {
        ""
    } else {
        " (of the design before the last edit; measuring again…)"
    };
    ui.label(
        RichText::new(format!(
            "Coverage: {:.1}% ({covered} of {total} activities and transitions){stale}",
            coverage.percent()
        ))
        .strong(),
    );
    egui::ScrollArea::vertical()
        .id_salt("coverage")
        .max_height(90.0)
        .show(ui, |ui| {
            for w in &coverage.workflows {
                let (c, t) = w.counts();
                ui.label(format!("{}: {:.1}% ({c} of {t})", w.workflow, w.percent()));
                for u in w.uncovered() {
                    ui.label(
                        RichText::new(format!("  not reached: {u}"))
                            .color(theme::error(ui.visuals())),
                    );
                }
            }
            for s in &coverage.signals {
                for p in &s.parameters_not_passed {
                    warning_line_ui(ui, format!("{}: no scenario passes '{p}'", s.signal));
                }
                for (p, values) in &s.allowed_not_used {
                    warning_line_ui(
                        ui,
                        format!(
                            "{}: no scenario passes '{p}' = {}",
                            s.signal,
                            values.join(", ")
                        ),
                    );
                }
            }
        });
}

/// The tab's own state.
#[derive(Debug, Default)]
pub struct ScenarioEditor {
    /// The name typed for saving the run form as a scenario.
    pub name: String,
    /// The scenario whose expectations are being edited.
    editing: Option<form::Editing>,
}

impl ScenarioEditor {
    /// Draws the Scenarios tab.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ScenarioCx<'_>, out: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| self.toolbar_ui(ui, cx, out));
        if cx.show_coverage {
            coverage_ui(ui, cx);
        }
        ui.separator();
        let scenarios = &cx.design.scenarios;
        if scenarios.is_empty() {
            ui.label("No scenario yet. Fill the run form in the Simulator tab, name it here and save it.");
            return;
        }
        let count = |pass: bool| {
            scenarios
                .iter()
                .filter(|s| {
                    cx.marks
                        .get(&s.name)
                        .is_some_and(|m| m.differences.is_empty() == pass)
                })
                .count()
        };
        ui.label(
            RichText::new(format!(
                "{}: {} passed, {} failed",
                count_s(scenarios.len(), "scenario"),
                count(true),
                count(false)
            ))
            .strong(),
        );
        egui::ScrollArea::vertical()
            .id_salt("scenarios")
            .auto_shrink(false)
            .show(ui, |ui| {
                for sc in scenarios {
                    self.scenario_ui(ui, cx, sc, out);
                }
            });
    }

    /// Run all, and saving the run form under a name.
    fn toolbar_ui(&mut self, ui: &mut Ui, cx: &ScenarioCx<'_>, out: &mut Vec<Command>) {
        let run_all = Command::Sim(SimCommand::RunScenarios(None));
        if ui
            .add_enabled(
                !cx.busy && !cx.design.scenarios.is_empty(),
                egui::Button::new("Run all scenarios"),
            )
            .on_hover_text(run_all.tooltip())
            .clicked()
        {
            out.push(run_all);
        }
        let toggle = Command::Sim(SimCommand::ToggleCoverage);
        if ui
            .add_enabled(
                !cx.design.scenarios.is_empty(),
                egui::Button::new(toggle.label()).selected(cx.show_coverage),
            )
            .on_hover_text(toggle.tooltip())
            .clicked()
        {
            out.push(toggle);
        }
        ui.separator();
        let l = ui.label("Scenario name");
        ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(180.0))
            .labelled_by(l.id);
        let name = self.name.trim();
        let taken = cx.design.scenarios.iter().any(|s| s.name == name);
        let target = cx
            .target
            .map(|(w, s)| format!("{w}/{s}"))
            .unwrap_or_default();
        if ui
            .add_enabled(
                !name.is_empty() && !taken && !target.is_empty(),
                egui::Button::new("Save run form as scenario"),
            )
            .on_hover_text(format!(
                "{} (the form of {target}, in the Simulator tab)",
                Command::Edit(EditCommand::SaveScenario(String::new())).tooltip()
            ))
            .clicked()
        {
            out.push(Command::Edit(EditCommand::SaveScenario(name.to_owned())));
        }
        if taken {
            warning_line_ui(ui, "a scenario has this name");
        }
        if let Some(s) = cx.status {
            ui.label(s);
        }
    }

    /// One scenario: its mark, its buttons, its differences, and its expectations when edited.
    fn scenario_ui(
        &mut self,
        ui: &mut Ui,
        cx: &ScenarioCx<'_>,
        sc: &Scenario,
        out: &mut Vec<Command>,
    ) {
        let mark = cx.marks.get(&sc.name);
        ui.horizontal(|ui| {
            mark_ui(ui, sc, mark, cx.rev);
            ui.label(format!("{}/{}", sc.workflow, sc.signal));
            if ui
                .add_enabled(!cx.busy, egui::Button::new("Run").small())
                .on_hover_text(format!(
                    "Run '{}' and show it in the Simulator tab",
                    sc.name
                ))
                .clicked()
            {
                out.push(Command::Sim(SimCommand::RunScenarios(Some(vec![
                    sc.name.clone(),
                ]))));
            }
            if ui
                .button("Edit expectations")
                .on_hover_text(format!("Edit what '{}' expects", sc.name))
                .clicked()
            {
                self.editing = Some(form::Editing::new(&sc.name, &sc.expect));
            }
            let load = Command::Sim(SimCommand::LoadScenario(sc.name.clone()));
            if ui
                .button(load.label())
                .on_hover_text(load.tooltip())
                .clicked()
            {
                out.push(load);
            }
            let update = Command::Edit(EditCommand::UpdateScenarioPayload(sc.name.clone()));
            let form = cx
                .target
                .map(|(w, s)| format!(" (now {w}/{s})"))
                .unwrap_or_default();
            if ui
                .add_enabled(cx.target.is_some(), egui::Button::new(update.label()))
                .on_hover_text(format!("{}{form}", update.tooltip()))
                .clicked()
            {
                out.push(update);
            }
            if ui
                .button("Delete")
                .on_hover_text(format!("Delete scenario '{}'", sc.name))
                .clicked()
            {
                out.push(Command::Edit(EditCommand::DeleteScenario(sc.name.clone())));
            }
        });
        if let Some(m) = mark {
            for d in &m.differences {
                error_line_ui(ui, format!("      • {d}"));
            }
        }
        if let Some(e) = &mut self.editing
            && e.name == sc.name
            && editor::editor_ui(ui, e, &form::Choices::of(cx.design), out)
        {
            self.editing = None;
        }
    }
}

/// A scenario's mark: not run, passed or failed, and whether it is from before the last edit.
fn mark_ui(ui: &mut Ui, sc: &Scenario, mark: Option<&ScenarioMark>, rev: u64) {
    let (icon, text, color) = match mark {
        None => ("○", "not run", ui.visuals().weak_text_color()),
        Some(m) if m.differences.is_empty() => ("✔", "passed", theme::ok(ui.visuals())),
        Some(_) => ("❌", "failed", theme::error(ui.visuals())),
    };
    let stale = mark.is_some_and(|m| m.rev != rev);
    ui.label(
        RichText::new(format!("{icon} {} {text}", sc.name))
            .color(color)
            .strong(),
    )
    .on_hover_text(if stale {
        "The design changed since this result"
    } else {
        "The result on the current design"
    });
    if stale {
        ui.label(RichText::new("(before the last edit)").weak());
    }
}
