//! The drawing of the Simulator tab: the toolbar (drive buttons, Stop, auto-run, the endpoint
//! switch, the virtual clock), each workflow's state, the run form of the chosen signal, the runs
//! list and the selected run (event variables, errors, Ends, outbox, path); and the selected
//! run's visits of an activity, shown in the inspector. Drawing reads the panel's state and the
//! session view of this frame (never the lock) and collects commands; only the run form's
//! fields and the clock step are edited in place.

use super::run_form::{FormValue, RunForm, contract_of};
use super::view::{RunRow, WorkflowRow};
use super::{SimPanel, Tone, as_count};
use crate::model::{Cooldown, Design, MAX_DURATION_SECONDS, Parameter, SignalContract, Value};
use crate::sim::{self, RunStatus};
use crate::ui::command::{
    Command, DataCommand, EditCommand, SimCommand, ViewCommand, WorkflowMethod,
};
use crate::ui::theme;
use crate::ui::value::value_text;
use crate::ui::widgets::{
    command_button_ui, error_line_ui, ok_line_ui, shortcut_button_ui, value_ui, warning_line_ui,
};
use crate::ui::words::count_s;
use egui::{RichText, Ui};
use jiff::Timestamp;
use serde_json::Value as Json;

impl SimPanel {
    /// The Simulator tab.
    pub fn ui(&mut self, ui: &mut Ui, design: &Design, rev: u64, out: &mut Vec<Command>) {
        self.toolbar_ui(ui, design, rev, out);
        ui.separator();
        ui.columns(3, |cols| {
            let [left, middle, right] = cols else {
                return;
            };
            egui::ScrollArea::vertical()
                .id_salt("sim-left")
                .auto_shrink(false)
                .show(left, |ui| {
                    self.states_ui(ui, out);
                    egui::CollapsingHeader::new("Log and tasks")
                        .id_salt("sim-tasks-header")
                        .show(ui, |ui| tasks_ui(ui, &self.view.tasks));
                    ui.separator();
                    self.form_ui(ui, design, rev, out);
                });
            self.runs_ui(middle, out);
            egui::ScrollArea::vertical()
                .id_salt("sim-run")
                .auto_shrink(false)
                .show(right, |ui| self.run_ui(ui, out));
        });
    }

    fn toolbar_ui(&mut self, ui: &mut Ui, design: &Design, rev: u64, out: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            let idle = self.job.is_none();
            for c in SimCommand::DRIVE.map(Command::Sim) {
                if shortcut_button_ui(ui, idle, &c).clicked() {
                    out.push(c);
                }
            }
            let reset = Command::Sim(SimCommand::Reset);
            if command_button_ui(ui, &reset).clicked() {
                out.push(reset);
            }
            if let Some(r) = &self.job {
                ui.spinner();
                ui.label(r.what);
                let cancel = Command::Sim(SimCommand::Cancel);
                if command_button_ui(ui, &cancel).clicked() {
                    out.push(cancel);
                }
            }
            ui.separator();
            self.switches_ui(ui, out);
            ui.separator();
            self.clock_ui(ui, out);
        });
        if rev != self.session_rev && !self.auto_run && self.job.is_none() {
            warning_line_ui(
                ui,
                "The design changed since the simulator was reset: Run resets it first.",
            );
        }
        if let Some(s) = &self.status {
            let color = match s.tone {
                Tone::Ok => theme::ok(ui.visuals()),
                Tone::Error => theme::error(ui.visuals()),
                Tone::Note => ui.visuals().strong_text_color(),
            };
            ui.add(egui::Label::new(RichText::new(&s.text).color(color).strong()).wrap());
            if s.cooldown {
                advance_and_run_ui(ui, self.job.is_none(), out);
            }
        }
        if let Some((base, token)) = self.listening() {
            self.listening_ui(ui, design, rev, (&base, &token), out);
        }
        if let Some(e) = &self.listen_error {
            warning_line_ui(ui, e);
        }
    }

    /// The auto-run and endpoint switches.
    fn switches_ui(&self, ui: &mut Ui, out: &mut Vec<Command>) {
        let auto_run = Command::Sim(SimCommand::ToggleAutoRun);
        let mut auto = self.auto_run;
        if ui
            .checkbox(&mut auto, auto_run.label())
            .on_hover_text(auto_run.tooltip())
            .changed()
        {
            out.push(auto_run);
        }
        let mut on = self.listening.is_some();
        if ui
            .checkbox(&mut on, "Listen for API calls")
            .on_hover_text(Command::Sim(SimCommand::Listen(true)).tooltip())
            .changed()
        {
            out.push(Command::Sim(SimCommand::Listen(on)));
        }
    }

    /// The virtual clock and its advance button.
    fn clock_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        ui.label(format!(
            "Clock: {}",
            crate::model::format_datetime(&self.view.clock)
        ))
        .on_hover_text("The simulator's virtual clock (UTC)");
        let l = ui.label("advance by (minutes)");
        ui.add(egui::DragValue::new(&mut self.advance_minutes).range(1..=525_600))
            .labelled_by(l.id);
        if command_button_ui(ui, &Command::Sim(SimCommand::AdvanceClock(0))).clicked() {
            out.push(Command::Sim(SimCommand::AdvanceClock(self.advance_minutes)));
        }
    }

    fn listening_ui(
        &mut self,
        ui: &mut Ui,
        design: &Design,
        rev: u64,
        (base, token): (&str, &str),
        out: &mut Vec<Command>,
    ) {
        let summary = self.listen_summary;
        ui.horizontal_wrapped(|ui| {
            ok_line_ui(ui, format!("Listening on {base}"));
            ui.label("token:");
            ui.code(token);
            let copy = Command::Sim(SimCommand::CopyToken);
            if command_button_ui(ui, &copy).clicked() {
                out.push(copy);
            }
            if let Some(s) = summary {
                ui.label(format!(
                    "{}, {} started, {} queued, {} rejected",
                    count_s(as_count(s.requests), "request"),
                    count_s(as_count(s.started), "run"),
                    s.queued,
                    s.rejected
                ));
            }
        });
        if let Some((w, s)) = &self.target {
            reference_urls_ui(ui, base, w, s);
        }
        let Some(curl) = self.listening_curl(design, rev, base, token) else {
            return;
        };
        // The same command as the run form's "Copy as curl": while listening, it copies this
        // call, with the endpoint's address and token; the SDK snippet triggers the same payload
        // the way an integration written for Campaign Standard does.
        ui.horizontal(|ui| {
            for c in [SimCommand::CopyCurl, SimCommand::CopySdkSnippet] {
                let c = Command::Sim(c);
                if command_button_ui(ui, &c).clicked() {
                    out.push(c);
                }
            }
        });
        ui.add(egui::Label::new(RichText::new(curl).monospace().small()).wrap());
    }

    /// The curl call of the run form's payload with the endpoint's token, made again only when
    /// the signal or the payload changed.
    fn listening_curl(
        &mut self,
        design: &Design,
        rev: u64,
        base: &str,
        token: &str,
    ) -> Option<String> {
        let (w, s) = self.target.clone()?;
        let contract = contract_of(design, &w, &s)?;
        self.form_mut(design, rev, &w, &s)?;
        let signal = (w, s);
        let bytes = self.forms.get(&signal)?.bytes();
        if let Some(((kw, ks, kb), curl)) = &self.listen_curl
            && (kw, ks, kb.as_slice()) == (&signal.0, &signal.1, bytes)
        {
            return Some(curl.clone());
        }
        let key = (signal.0, signal.1, bytes.to_vec());
        let payload = serde_json::from_slice::<Json>(&key.2)
            .unwrap_or_else(|_| crate::export::curl::example_payload(contract));
        let curl = crate::export::curl::curl_call(base, &key.0, &key.1, &payload, Some(token));
        self.listen_curl = Some((key, curl.clone()));
        Some(curl)
    }

    /// Each workflow's state and commands on one line, wrapped to the column (as a grid row
    /// they ran under the runs list at 1440 px), then what it is suspended on and the branches
    /// it holds.
    fn states_ui(&self, ui: &mut Ui, out: &mut Vec<Command>) {
        ui.label(RichText::new("Workflows").strong());
        for w in &self.view.states {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&w.id).strong());
                match w.state {
                    None => {
                        ui.label("new: not simulated yet")
                            .on_hover_text("Reset the simulator to simulate this workflow too");
                    }
                    Some(state) => {
                        ui.label(format!("{} ({})", state.name(), state.status()))
                            .on_hover_text("flowcall's state, and the reference's status");
                        if w.held > 0 {
                            ui.label(format!("{} queued", w.held));
                        }
                        workflow_commands_ui(ui, w, out);
                    }
                }
            });
            life_rows_ui(ui, w, out);
        }
    }

    fn form_ui(&mut self, ui: &mut Ui, design: &Design, rev: u64, out: &mut Vec<Command>) {
        ui.label(RichText::new("Run form").strong());
        let Some((w, s)) = self.target.clone() else {
            ui.label("The design has no External signal.");
            return;
        };
        signal_ui(ui, design, &w, &s, out);
        let Some(contract) = contract_of(design, &w, &s) else {
            return;
        };
        let watched =
            self.auto_run && self.last_request == Some(super::Request::Form(w.clone(), s.clone()));
        let next_allowed = self.view.next_allowed;
        let offered_above = self.status.as_ref().is_some_and(|s| s.cooldown);
        let idle = self.job.is_none();
        let Some(form) = self.form_mut(design, rev, &w, &s) else {
            return;
        };
        let changed = form_fields_ui(ui, form, contract);
        if changed {
            form.changed(contract);
        }
        problems_ui(ui, form, next_allowed);
        if next_allowed.is_some() && !offered_above && form.problems().is_empty() {
            advance_and_run_ui(ui, idle, out);
        }
        ui.horizontal(|ui| {
            let curl = Command::Sim(SimCommand::CopyCurl);
            if command_button_ui(ui, &curl).clicked() {
                out.push(curl);
            }
        });
        if changed && watched {
            self.touched();
        }
        cooldown_ui(ui, design, &w, &s, next_allowed, out);
    }

    fn runs_ui(&self, ui: &mut Ui, out: &mut Vec<Command>) {
        let rows = &self.view.rows;
        ui.label(RichText::new(format!("Runs ({})", rows.len())).strong());
        if let Some(h) = &self.view.halted {
            error_line_ui(ui, format!("Halted: {h}"));
        }
        // Only the rows in view are laid out: a listening session can hold many thousands.
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical()
            .id_salt("sim-runs")
            .auto_shrink(false)
            .show_rows(ui, row_h, rows.len(), |ui, range| {
                for r in rows.get(range).unwrap_or_default() {
                    run_row_ui(ui, r, self.selected_run == Some(r.id), out);
                }
            });
    }

    fn run_ui(&self, ui: &mut Ui, out: &mut Vec<Command>) {
        let Some(d) = &self.view.detail else {
            ui.label("Select a run to see its event variables, errors and outbox.");
            return;
        };
        let run = &d.run;
        ui.horizontal_wrapped(|ui| {
            if let Some(p) = run.parent
                && ui
                    .link(format!("triggered by run #{p}"))
                    .on_hover_text("Show the run whose End triggered this one")
                    .clicked()
            {
                out.push(Command::Sim(SimCommand::SelectRun(Some(p))));
                if let Some(w) = &d.parent_workflow {
                    out.push(Command::View(ViewCommand::SelectWorkflow(w.clone())));
                }
            }
            for (id, workflow) in &d.children {
                if ui
                    .link(format!("chained run #{id}"))
                    .on_hover_text(format!("Show the run this one triggered in {workflow}"))
                    .clicked()
                {
                    out.push(Command::Sim(SimCommand::SelectRun(Some(*id))));
                    out.push(Command::View(ViewCommand::SelectWorkflow(workflow.clone())));
                }
            }
        });
        ui.label(
            RichText::new(format!(
                "Run #{} of {}/{} — {}",
                run.id,
                run.workflow,
                run.signal,
                run.status.name()
            ))
            .strong(),
        );
        variables_ui(ui, run);
        outcomes_ui(ui, run, out);
        outbox_ui(ui, &d.outbox);
        if !run.path.is_empty() {
            ui.label(RichText::new("Path").strong());
            ui.label(run.path.join(" ➡ "));
        }
    }

    /// The selected run's visits of the selected activity (as of this frame's view), for the
    /// inspector: resolved settings, counts in and out, notes and errors.
    pub fn visits_ui(&self, ui: &mut Ui) {
        let (Some(run), visits) = (self.selected_run, &self.view.visits) else {
            return;
        };
        if visits.is_empty() {
            return;
        }
        egui::CollapsingHeader::new(format!("In run #{run}: {}", count_s(visits.len(), "visit")))
            .default_open(true)
            .show(ui, |ui| {
                for v in visits {
                    visit_ui(ui, v);
                }
                ui.separator();
            });
    }
}

/// The reference-style URLs of the form's workflow and signal (Campaign Standard's REST paths,
/// which the endpoint answers too), next to flowcall's own.
fn reference_urls_ui(ui: &mut Ui, base: &str, w: &str, s: &str) {
    use crate::serve::snippet::{
        DEFAULT_ORGANIZATION, reference_trigger_url, reference_workflow_url,
    };
    let rows = [
        (
            "Campaign Standard workflow URL",
            reference_workflow_url(base, DEFAULT_ORGANIZATION, w),
            "GET it as Adobe's SDK does (getWorkflow): the answer's trigger href is the URL below",
        ),
        (
            "Campaign Standard trigger URL",
            reference_trigger_url(base, DEFAULT_ORGANIZATION, w, s),
            "POST the payload here as an integration written for Campaign Standard does \
             (any organization segment is accepted)",
        ),
        (
            "flowcall trigger URL",
            crate::export::curl::trigger_url(base, w, s),
            "flowcall's own trigger path (flowcall serve, docs/API.md)",
        ),
    ];
    egui::Grid::new("sim-listen-urls").show(ui, |ui| {
        for (name, url, hover) in rows {
            ui.label(RichText::new(name).weak());
            ui.label(RichText::new(url).monospace())
                .on_hover_text(hover);
            ui.end_row();
        }
    });
}

/// Under a workflow's commands: the activity it is suspended on, and a Release button per
/// activity holding branches.
fn life_rows_ui(ui: &mut Ui, w: &WorkflowRow, out: &mut Vec<Command>) {
    if let Some((activity, error)) = &w.suspended {
        ui.label(
            RichText::new(format!("⚠ suspended on '{activity}'")).color(theme::error(ui.visuals())),
        )
        .on_hover_text(format!(
            "{error}\nFix the data or the design, then Resume runs '{activity}' again"
        ));
    }
    for (activity, n) in &w.holds {
        ui.horizontal_wrapped(|ui| {
            let branches = if *n == 1 { "branch" } else { "branches" };
            ui.label(format!("⏸ {n} {branches} held at '{activity}'"));
            let release = Command::Sim(SimCommand::Release {
                workflow: w.id.clone(),
                activity: activity.clone(),
            });
            if ui
                .button(format!("Release {activity}"))
                .on_hover_text(release.tooltip())
                .clicked()
            {
                out.push(release);
            }
        });
    }
}

/// A workflow's life-cycle commands (Start, Pause, Resume, Stop, Restart), each disabled with
/// why when its state refuses it.
fn workflow_commands_ui(ui: &mut Ui, w: &WorkflowRow, out: &mut Vec<Command>) {
    for (m, refusal) in WorkflowMethod::ALL.iter().zip(&w.refusals) {
        let b = ui
            .add_enabled(refusal.is_none(), egui::Button::new(m.name()).small())
            .on_hover_text(format!("{} workflow {}", m.name(), w.id));
        let b = match refusal {
            Some(why) => b.on_disabled_hover_text(why),
            None => b,
        };
        if b.clicked() {
            out.push(Command::Sim(SimCommand::Workflow {
                workflow: w.id.clone(),
                method: *m,
            }));
        }
    }
}

/// The Log and tasks, as the reference shows them: every task (visit) with its start and end on
/// the virtual clock, its status and counts, the latest last.
fn tasks_ui(ui: &mut Ui, tasks: &[sim::Visit]) {
    if tasks.is_empty() {
        ui.label("No task yet: run a trigger.");
        return;
    }
    egui::Grid::new("sim-tasks").striped(true).show(ui, |ui| {
        for h in ["#", "Run", "Task", "Start", "End", "Status", "In", "Out"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for v in tasks {
            ui.label(v.step.to_string());
            ui.label(format!("#{}", v.run));
            ui.label(format!("{}/{}", v.workflow, v.activity));
            ui.label(
                crate::model::time::utc(v.at)
                    .strftime("%H:%M:%S")
                    .to_string(),
            );
            ui.label(
                v.until
                    .map(|u| crate::model::time::utc(u).strftime("%H:%M:%S").to_string())
                    .unwrap_or_default(),
            );
            let status = ui.label(v.status_name());
            if let Some(e) = &v.error {
                status.on_hover_text(e);
            }
            ui.label(v.count_in.to_string());
            ui.label(v.count_out.map(|n| n.to_string()).unwrap_or_default());
            ui.end_row();
        }
    });
}

fn signal_ui(ui: &mut Ui, design: &Design, w: &str, s: &str, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let l = ui.label("Signal");
        egui::ComboBox::from_id_salt("sim-signal")
            .selected_text(format!("{w}/{s}"))
            .show_ui(ui, |ui| {
                for wf in &design.workflows {
                    for (a, _) in wf.signals() {
                        if ui
                            .selectable_label(
                                wf.id == w && a.id == s,
                                format!("{}/{}", wf.id, a.id),
                            )
                            .clicked()
                        {
                            out.push(Command::Sim(SimCommand::SelectSignal {
                                workflow: wf.id.clone(),
                                signal: a.id.clone(),
                            }));
                        }
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
}

/// The form's fields: source, the JSON switch, then the JSON text or an entry per parameter.
/// Returns whether anything changed.
fn form_fields_ui(ui: &mut Ui, form: &mut RunForm, contract: &SignalContract) -> bool {
    let before = form.state.clone();
    let f = &mut form.state;
    ui.horizontal(|ui| {
        let l = ui.label("source");
        ui.text_edit_singleline(&mut f.source).labelled_by(l.id);
    });
    let mut as_json = f.as_json;
    if ui
        .checkbox(&mut as_json, "Edit as JSON")
        .on_hover_text("Write or paste the whole payload instead of filling the form")
        .changed()
    {
        f.set_as_json(as_json, contract);
    }
    if f.as_json {
        let l = ui.label("Payload JSON");
        ui.add(
            egui::TextEdit::multiline(&mut f.json)
                .code_editor()
                .desired_rows(6)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    } else {
        ui.spacing_mut().text_edit_width = 220.0;
        for p in &contract.parameters {
            if let Some(entry) = f.values.get_mut(&p.name) {
                ui.horizontal(|ui| entry_ui(ui, p, entry));
            }
        }
    }
    form.state != before
}

/// One parameter's entry: its name (`*` when required), whether it is sent, its value (a choice
/// list when the parameter has allowed values).
fn entry_ui(ui: &mut Ui, p: &Parameter, entry: &mut FormValue) {
    let name = if p.required {
        format!("{} *", p.name)
    } else {
        p.name.clone()
    };
    let mut hover = format!("{} ({})", p.description, p.ty.name());
    if p.description.is_empty() {
        hover = p.ty.name().to_owned();
    }
    let l = ui
        .add_sized([150.0, 20.0], egui::Label::new(name))
        .on_hover_text(hover);
    if p.required {
        ui.add_sized([60.0, 20.0], egui::Label::new("required"))
            .on_hover_text("Always sent; left empty, it counts as not passed");
    } else {
        ui.add_sized([60.0, 20.0], egui::Checkbox::new(&mut entry.send, "send"))
            .on_hover_text(match &p.default {
                Some(d) => format!(
                    "Unticked: the parameter is omitted and its default {} applies",
                    value_text(d)
                ),
                None => "Unticked: the parameter is omitted".to_owned(),
            });
    }
    let before = entry.value.clone();
    ui.push_id(&p.name, |ui| {
        if p.allowed.is_empty() {
            value_ui(ui, &mut entry.value, p.ty, l.id);
        } else {
            choice_ui(ui, &mut entry.value, &p.allowed, l.id);
        }
    });
    if entry.value != before {
        entry.send = true;
    }
}

/// A choice among the allowed values.
fn choice_ui(ui: &mut Ui, value: &mut Value, allowed: &[Value], label: egui::Id) {
    egui::ComboBox::from_id_salt("allowed")
        .selected_text(value_text(value))
        .show_ui(ui, |ui| {
            for a in allowed {
                ui.selectable_value(value, a.clone(), value_text(a));
            }
        })
        .response
        .labelled_by(label);
}

/// "Advance the clock and run", offered where the cooldown refuses a trigger; disabled, with
/// the reason on hover, while a background job runs (the simulator refuses a second one).
fn advance_and_run_ui(ui: &mut Ui, idle: bool, out: &mut Vec<Command>) {
    let c = Command::Sim(SimCommand::AdvanceClockAndRun);
    if ui
        .add_enabled(idle, egui::Button::new(c.label()))
        .on_hover_text(c.tooltip())
        .on_disabled_hover_text("The simulator is busy: wait for it, or press Stop, then run")
        .clicked()
    {
        out.push(c);
    }
}

/// The button that creates what a run missed (and shows it in the Data tab).
fn create_missing_ui(ui: &mut Ui, m: &sim::MissingData, out: &mut Vec<Command>) {
    let c = Command::Data(DataCommand::CreateMissing(m.clone()));
    ui.horizontal(|ui| {
        if command_button_ui(ui, &c).clicked() {
            out.push(c.clone());
        }
        ui.label(RichText::new(format!("missing: {}", m.describe())).weak());
    });
}

/// The payload's problems as last checked, or that it is valid (and, while the cooldown runs,
/// that a trigger now is refused all the same).
fn problems_ui(ui: &mut Ui, form: &RunForm, next_allowed: Option<Timestamp>) {
    match (form.problems().is_empty(), next_allowed) {
        (true, None) => {
            ok_line_ui(ui, "✔ The payload is valid for this signal");
        }
        (true, Some(at)) => {
            warning_line_ui(
                ui,
                format!(
                    "✔ The payload is valid, but the cooldown refuses a trigger of this signal \
                     until {} (virtual clock): advance the clock or wait",
                    crate::model::format_datetime(&at)
                ),
            );
        }
        (false, _) => {}
    }
    // Every message names its parameter already ("'count': expected Integer...").
    for e in form.problems() {
        error_line_ui(ui, format!("⛔ {}", e.message));
    }
}

/// The design's trigger cooldown, editable here (an edit of the design), and when the cooldown
/// next lets the form's signal be triggered while it does not now.
fn cooldown_ui(
    ui: &mut Ui,
    design: &Design,
    w: &str,
    s: &str,
    next_allowed: Option<Timestamp>,
    out: &mut Vec<Command>,
) {
    let current = design.compatibility.trigger_cooldown;
    let meta = Command::Edit(EditCommand::SetCooldown(current));
    ui.horizontal_wrapped(|ui| {
        let mut on = current != Cooldown::Off;
        let mut seconds = match current {
            Cooldown::Seconds(n) => n,
            Cooldown::Off => 600,
        };
        let l = ui
            .checkbox(&mut on, "Trigger cooldown")
            .on_hover_text(meta.tooltip());
        let toggled = l.changed();
        let r = ui.add_enabled(
            on,
            egui::DragValue::new(&mut seconds)
                .range(1..=MAX_DURATION_SECONDS)
                .suffix(" s"),
        );
        let r = r.labelled_by(l.id).on_hover_text(meta.tooltip());
        if on {
            ui.label(
                RichText::new(format!(
                    "({} between two triggers of a signal)",
                    span(seconds)
                ))
                .weak(),
            );
        } else {
            ui.label(RichText::new("(a signal may be triggered at any time)").weak());
        }
        if toggled || r.changed() {
            let next = if on {
                Cooldown::Seconds(seconds)
            } else {
                Cooldown::Off
            };
            out.push(Command::Edit(EditCommand::SetCooldown(next)));
        }
    });
    if let Some(at) = next_allowed {
        warning_line_ui(
            ui,
            format!(
                "⏳ Next trigger of {w}/{s} allowed at {} (virtual clock)",
                crate::model::format_datetime(&at)
            ),
        );
    }
}

/// A number of seconds as people say it: "10 min", "1 h 30 min", "45 s".
fn span(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

/// One line of the runs list; a click shows the run and its workflow.
fn run_row_ui(ui: &mut Ui, r: &RunRow, on: bool, out: &mut Vec<Command>) {
    let (icon, color) = match r.status {
        RunStatus::Running => ("⏵", theme::warning(ui.visuals())),
        RunStatus::Finished => ("✔", theme::ok(ui.visuals())),
        RunStatus::Failed => ("❌", theme::error(ui.visuals())),
        RunStatus::Suspended => ("⚠", theme::error(ui.visuals())),
    };
    let indent = "    ".repeat(r.depth);
    let chain = if r.depth > 0 { "↪ " } else { "" };
    let text = format!(
        "{indent}{chain}{icon} #{} {}/{} — {} ({})",
        r.id,
        r.workflow,
        r.signal,
        r.status.name(),
        r.source
    );
    if ui
        .selectable_label(on, RichText::new(text).color(color))
        .on_hover_text(format!(
            "Started at {}{}",
            crate::model::format_datetime(&r.started_at),
            r.parent
                .map(|p| format!(", triggered by run #{p}"))
                .unwrap_or_default()
        ))
        .clicked()
    {
        out.push(Command::Sim(SimCommand::SelectRun(Some(r.id))));
        out.push(Command::View(ViewCommand::SelectWorkflow(
            r.workflow.clone(),
        )));
    }
}

/// The run's event variables (name, type, value, origin), conversions and changes; a table
/// wider than the column scrolls sideways.
fn variables_ui(ui: &mut Ui, run: &sim::Run) {
    ui.label(RichText::new("Event variables").strong());
    egui::ScrollArea::horizontal()
        .id_salt("sim-vars-scroll")
        .show(ui, |ui| variables_table_ui(ui, run));
    for c in &run.conversions {
        let text = format!("conversion of {}: {}", c.parameter, c.message);
        ui.add(egui::Label::new(RichText::new(text).color(theme::warning(ui.visuals()))).wrap());
    }
    if !run.changes.is_empty() {
        ui.collapsing(
            format!("Changes by activities ({})", run.changes.len()),
            |ui| {
                for c in &run.changes {
                    let text = format!("{} set {} = {}", c.activity, c.name, c.value);
                    ui.add(egui::Label::new(text).wrap());
                }
            },
        );
    }
}

/// The table of event variables.
fn variables_table_ui(ui: &mut Ui, run: &sim::Run) {
    egui::Grid::new("sim-vars").striped(true).show(ui, |ui| {
        for h in ["name", "type", "value", "origin"] {
            ui.label(RichText::new(h).weak());
        }
        ui.end_row();
        for v in &run.variables {
            ui.label(&v.name);
            ui.label(v.value.type_name());
            ui.label(match &v.value {
                Value::String(s) => format!("{s:?}"),
                Value::Null => "null".into(),
                other => other.to_string(),
            });
            let origin = v.origin.describe();
            if matches!(v.origin, sim::Origin::Converted { .. }) {
                warning_line_ui(ui, origin);
            } else {
                ui.label(origin);
            }
            ui.end_row();
        }
    });
}

/// The run's errors (each missing sample data with the button that creates it), warnings and
/// the Ends it reached (with the runs they triggered).
fn outcomes_ui(ui: &mut Ui, run: &sim::Run, out: &mut Vec<Command>) {
    if !run.errors.is_empty() {
        ui.label(RichText::new("Errors").strong());
        for e in &run.errors {
            error_line_ui(ui, format!("⛔ {}: {}", e.activity, e.message));
            if let Some(m) = &e.missing {
                create_missing_ui(ui, m, out);
            }
        }
    }
    for w in &run.warnings {
        warning_line_ui(ui, format!("⚠ {w}"));
    }
    if run.ends.is_empty() {
        return;
    }
    ui.label(RichText::new("Ends reached").strong());
    for e in &run.ends {
        let chained = match &e.trigger {
            None => String::new(),
            Some((target, sim::ChainOutcome::Started(id))) => format!(" ➡ {target}: run #{id}"),
            Some((target, sim::ChainOutcome::Queued)) => format!(" ➡ {target}: queued"),
            Some((target, sim::ChainOutcome::Rejected(errs))) => format!(
                " ➡ {target}: rejected ({})",
                errs.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        ui.label(format!("⏹ {}{chained}", e.activity));
    }
}

/// The emails the run would send.
fn outbox_ui(ui: &mut Ui, outbox: &[sim::OutboxEntry]) {
    if outbox.is_empty() {
        return;
    }
    ui.label(RichText::new("Outbox").strong());
    let wrap = |ui: &mut Ui, text: RichText| ui.add(egui::Label::new(text).wrap());
    for o in outbox {
        wrap(
            ui,
            RichText::new(format!(
                "✉ {} — {}, label {:?}, template {:?}",
                o.activity,
                count_s(o.recipients, "recipient"),
                o.label,
                o.template
            )),
        );
        ui.indent(("outbox", &o.activity, o.at), |ui| {
            for (k, v) in &o.parameters {
                wrap(ui, RichText::new(format!("{k} = {v}")));
            }
            if !o.sample.is_empty() {
                wrap(
                    ui,
                    RichText::new(format!("to {}", o.sample.join(", "))).weak(),
                );
            }
        });
    }
}

/// One visit: step, time, counts, resolved settings, notes, error.
fn visit_ui(ui: &mut Ui, v: &sim::Visit) {
    ui.label(
        RichText::new(format!(
            "Step {} at {}: {} in{}",
            v.step,
            crate::model::format_datetime(&v.at),
            v.count_in,
            v.count_out
                .map(|o| format!(", {o} out"))
                .unwrap_or_default()
        ))
        .strong(),
    );
    egui::Grid::new(("visit", v.step))
        .striped(true)
        .show(ui, |ui| {
            for (k, val) in &v.settings {
                ui.label(k);
                ui.label(val);
                ui.end_row();
            }
        });
    for n in &v.notes {
        ui.label(RichText::new(n).weak());
    }
    if let Some(e) = &v.error {
        error_line_ui(ui, format!("⛔ {e}"));
    }
}
