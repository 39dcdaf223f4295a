//! The Scenarios tab: the design's saved scenarios (the ones `flowcall test` runs) with their
//! pass/fail marks and differences, running one or all, saving the run form as a new scenario,
//! and editing a scenario's expectations as RON text checked as it is typed.

use super::command::Command;
use super::simulator::{AMBER, GREEN, RED, SimPanel};
use crate::model::Design;
use egui::{RichText, Ui};

/// The tab's own editing state.
#[derive(Debug, Default)]
pub struct ScenarioEditor {
    /// The scenario whose expectations are being edited, and the text.
    editing: Option<(String, String)>,
}

impl ScenarioEditor {
    /// Draws the Scenarios tab.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        sim: &mut SimPanel,
        design: &Design,
        rev: u64,
        out: &mut Vec<Command>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let busy = sim.busy();
            if ui
                .add_enabled(
                    !busy && !design.scenarios.is_empty(),
                    egui::Button::new("Run all scenarios"),
                )
                .on_hover_text(Command::RunScenarios(None).tooltip())
                .clicked()
            {
                out.push(Command::RunScenarios(None));
            }
            ui.separator();
            let l = ui.label("Scenario name");
            ui.add(egui::TextEdit::singleline(&mut sim.scenario_name).desired_width(180.0))
                .labelled_by(l.id);
            let name = sim.scenario_name.trim().to_owned();
            let taken = design.scenarios.iter().any(|s| s.name == name);
            let target = sim
                .target()
                .map(|(w, s)| format!("{w}/{s}"))
                .unwrap_or_default();
            if ui
                .add_enabled(
                    !name.is_empty() && !taken && !target.is_empty(),
                    egui::Button::new("Save run form as scenario"),
                )
                .on_hover_text(format!(
                    "{} (the form of {target}, in the Simulator tab)",
                    Command::SaveScenario(String::new()).tooltip()
                ))
                .clicked()
            {
                out.push(Command::SaveScenario(name.clone()));
            }
            if taken {
                ui.label(RichText::new("a scenario has this name").color(AMBER));
            }
            if let Some(s) = sim.status() {
                ui.label(s);
            }
        });
        ui.separator();
        if design.scenarios.is_empty() {
            ui.label("No scenario yet. Fill the run form in the Simulator tab, name it here and save it.");
            return;
        }
        let passed = design
            .scenarios
            .iter()
            .filter(|s| {
                sim.marks
                    .get(&s.name)
                    .is_some_and(|m| m.differences.is_empty())
            })
            .count();
        let failed = design
            .scenarios
            .iter()
            .filter(|s| {
                sim.marks
                    .get(&s.name)
                    .is_some_and(|m| !m.differences.is_empty())
            })
            .count();
        ui.label(
            RichText::new(format!(
                "{} scenario(s): {passed} passed, {failed} failed",
                design.scenarios.len()
            ))
            .strong(),
        );
        egui::ScrollArea::vertical()
            .id_salt("scenarios")
            .auto_shrink(false)
            .show(ui, |ui| {
                for sc in &design.scenarios {
                    let mark = sim.marks.get(&sc.name);
                    ui.horizontal(|ui| {
                        let (icon, text, color) = match mark {
                            None => ("○", "not run".to_owned(), ui.visuals().weak_text_color()),
                            Some(m) if m.differences.is_empty() => ("✔", "passed".into(), GREEN),
                            Some(_) => ("❌", "failed".into(), RED),
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
                        ui.label(format!("{}/{}", sc.workflow, sc.signal));
                        if ui
                            .add_enabled(!sim.busy(), egui::Button::new("Run").small())
                            .on_hover_text(format!(
                                "Run '{}' and show it in the Simulator tab",
                                sc.name
                            ))
                            .clicked()
                        {
                            out.push(Command::RunScenarios(Some(vec![sc.name.clone()])));
                        }
                        if ui
                            .button("Edit expectations")
                            .on_hover_text(format!("Edit what '{}' expects", sc.name))
                            .clicked()
                        {
                            let text = crate::io::expectations_to_ron(&sc.expect)
                                .unwrap_or_else(|e| format!("// {e}"));
                            self.editing = Some((sc.name.clone(), text));
                        }
                        if ui
                            .button("Delete")
                            .on_hover_text(format!("Delete scenario '{}'", sc.name))
                            .clicked()
                        {
                            out.push(Command::DeleteScenario(sc.name.clone()));
                        }
                    });
                    if let Some(m) = mark {
                        for d in &m.differences {
                            ui.label(RichText::new(format!("      • {d}")).color(RED));
                        }
                    }
                    if let Some((name, text)) = &mut self.editing
                        && *name == sc.name
                    {
                        let mut close = false;
                        ui.indent("edit", |ui| {
                            let l = ui.label(format!("Expectations of '{name}' (RON)"));
                            ui.add(
                                egui::TextEdit::multiline(text)
                                    .code_editor()
                                    .desired_rows(8)
                                    .desired_width(f32::INFINITY),
                            )
                            .labelled_by(l.id);
                            let parsed = crate::io::expectations_from_ron(text);
                            ui.horizontal(|ui| match &parsed {
                                Ok(expect) => {
                                    if ui.button("Apply expectations").clicked() {
                                        out.push(Command::EditScenarioExpectations {
                                            name: name.clone(),
                                            expect: Box::new(expect.clone()),
                                        });
                                        close = true;
                                    }
                                    if ui.button("Cancel").clicked() {
                                        close = true;
                                    }
                                }
                                Err(e) => {
                                    ui.label(RichText::new(format!("⛔ {e}")).color(RED));
                                    if ui.button("Cancel").clicked() {
                                        close = true;
                                    }
                                }
                            });
                        });
                        if close {
                            self.editing = None;
                        }
                    }
                }
            });
    }
}
