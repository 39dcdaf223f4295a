//! Views of simulation results: the JSON shapes of `flowcall run --json` (and batch lines) and
//! the full trace used by snapshots and debuggers, plus the readable text of `flowcall run`.

use super::engine::{Hold, Simulator, TriggerOutcome};
use super::run::{ChainOutcome, EndReached, OutboxEntry, Run, TriggerError, Visit, VisitStatus};
use crate::model::WorkflowState;
use crate::model::format_datetime;
use serde_json::{Map, Value as Json, json};
use std::fmt::Write as _;

/// `{parameter, message}` of a trigger error (`parameter` is null for the payload as a whole).
pub fn error_json(e: &TriggerError) -> Json {
    json!({"parameter": e.parameter, "message": e.message})
}

/// An outbox entry as JSON.
pub fn outbox_json(o: &OutboxEntry) -> Json {
    let params: Map<String, Json> = o
        .parameters
        .iter()
        .map(|(n, v)| (n.clone(), Json::String(v.clone())))
        .collect();
    json!({
        "workflow": o.workflow,
        "activity": o.activity,
        "at": format_datetime(&o.at),
        "recipients": o.recipients,
        "sample": o.sample,
        "label": o.label,
        "template": o.template,
        "parameters": params,
    })
}

/// An End reached, with its trigger's outcome.
pub fn end_json(e: &EndReached) -> Json {
    let mut m = Map::new();
    m.insert("activity".into(), Json::String(e.activity.clone()));
    if let Some((target, outcome)) = &e.trigger {
        let t = match outcome {
            ChainOutcome::Started(id) => json!({"target": target, "outcome": "started", "run": id}),
            ChainOutcome::Queued => json!({"target": target, "outcome": "queued"}),
            ChainOutcome::Rejected(errors) => json!({
                "target": target,
                "outcome": "rejected",
                "errors": errors.iter().map(error_json).collect::<Vec<_>>(),
            }),
        };
        m.insert("trigger".into(), t);
    }
    Json::Object(m)
}

/// A run as JSON: `{id, workflow, signal, source, parent, status, variables, conversions,
/// path, outbox, ends, errors, warnings, saved_audiences}`.
pub fn run_json(run: &Run, outbox: &[OutboxEntry]) -> Json {
    json!({
        "id": run.id,
        "workflow": run.workflow,
        "signal": run.signal,
        "source": run.source,
        "parent": run.parent,
        "status": run.status.name(),
        "variables": run.variables.iter().map(|v| json!({
            "name": v.name,
            "type": v.value.type_name(),
            "value": v.value.to_json(),
            "origin": v.origin.describe(),
        })).collect::<Vec<_>>(),
        "conversions": run.conversions.iter().map(|c| json!({
            "parameter": c.parameter,
            "message": c.message,
        })).collect::<Vec<_>>(),
        "path": run.path,
        "outbox": outbox.iter().filter(|o| o.run == run.id).map(outbox_json).collect::<Vec<_>>(),
        "ends": run.ends.iter().map(end_json).collect::<Vec<_>>(),
        "errors": run.errors.iter().map(|e| json!({"activity": e.activity, "message": e.message})).collect::<Vec<_>>(),
        "warnings": run.warnings,
        "saved_audiences": run.saved_audiences.iter().map(|(l, n)| json!({"label": l, "count": n})).collect::<Vec<_>>(),
    })
}

/// The result of one trigger run to the end: `{accepted, errors, runs}`, and `workflows` and
/// `held` (see [`life_cycle_json`]) when a workflow is not simply started or a branch is held.
pub fn result_json(outcome: &TriggerOutcome, sim: &Simulator) -> Json {
    let mut j = json!({
        "accepted": outcome.accepted(),
        "errors": outcome.errors().iter().map(error_json).collect::<Vec<_>>(),
        "runs": sim.runs().iter().map(|r| run_json(r, sim.outbox())).collect::<Vec<_>>(),
    });
    add_life_cycle(&mut j, sim);
    j
}

/// Adds `workflows` and `held` to `j` when they are not empty.
fn add_life_cycle(j: &mut Json, sim: &Simulator) {
    let (states, held) = life_cycle_json(sim);
    if let Some(m) = j.as_object_mut() {
        if !states.is_empty() {
            m.insert("workflows".into(), Json::Object(states));
        }
        if !held.is_empty() {
            m.insert("held".into(), Json::Array(held));
        }
    }
}

/// The id of the workflow whose branch `h` holds ("" when the design has no such workflow).
fn hold_workflow<'a>(sim: &'a Simulator, h: &Hold) -> &'a str {
    sim.prepared()
        .design
        .workflows
        .get(h.token.workflow)
        .map_or("", |w| w.id.as_str())
}

/// One visit as JSON; `status` (`suspended`, `held`, `skipped`) when the activity did not
/// simply run, `until` when its task ended later than it began.
pub fn visit_json(v: &Visit) -> Json {
    let settings: Map<String, Json> = v
        .settings
        .iter()
        .map(|(n, s)| (n.clone(), Json::String(s.clone())))
        .collect();
    let mut j = json!({
        "step": v.step,
        "run": v.run,
        "workflow": v.workflow,
        "activity": v.activity,
        "kind": v.kind,
        "at": format_datetime(&v.at),
        "count_in": v.count_in,
        "count_out": v.count_out,
        "ports": v.ports.iter().map(|p| p.describe()).collect::<Vec<_>>(),
        "settings": settings,
        "notes": v.notes,
        "error": v.error,
    });
    if let Some(m) = j.as_object_mut() {
        if v.status != VisitStatus::Ran {
            m.insert("status".into(), json!(v.status_name()));
        }
        if let Some(until) = &v.until {
            m.insert("until".into(), json!(format_datetime(until)));
        }
    }
    j
}

/// The life cycle of the session's workflows, for those not simply started: `{WORKFLOW:
/// {state, status, suspended?: {activity, run, error, since}}}`, and the held branches
/// `[{workflow, activity, run, since}]`; both empty when every workflow is started and nothing
/// is held.
pub fn life_cycle_json(sim: &Simulator) -> (Map<String, Json>, Vec<Json>) {
    let mut states = Map::new();
    for wf in &sim.prepared().design.workflows {
        let Some(state) = sim.state(&wf.id) else {
            continue;
        };
        if state == WorkflowState::Started {
            continue;
        }
        let mut m = Map::new();
        m.insert("state".into(), json!(state.name()));
        m.insert("status".into(), json!(state.status()));
        if let Some(s) = sim.suspension(&wf.id) {
            m.insert(
                "suspended".into(),
                json!({"activity": s.activity, "run": s.token.run, "error": s.message, "since": format_datetime(&s.since)}),
            );
        }
        states.insert(wf.id.clone(), Json::Object(m));
    }
    let held = sim
        .holds()
        .iter()
        .map(|h| {
            let workflow = hold_workflow(sim, h);
            json!({"workflow": workflow, "activity": h.activity, "run": h.token.run, "since": format_datetime(&h.since)})
        })
        .collect();
    (states, held)
}

/// Everything a simulator recorded: the clock, runs (with variable changes), every visit and
/// the outbox.
pub fn trace_json(sim: &Simulator) -> Json {
    let mut j = json!({
        "clock": format_datetime(&sim.clock()),
        "halted": sim.halted(),
        "runs": sim.runs().iter().map(|r| {
            let mut j = run_json(r, sim.outbox());
            if let Some(m) = j.as_object_mut() {
                m.insert("changes".into(), r.changes.iter().map(|c| json!({
                    "activity": c.activity,
                    "name": c.name,
                    "value": c.value.to_json(),
                })).collect());
            }
            j
        }).collect::<Vec<_>>(),
        "visits": sim.trace().iter().map(visit_json).collect::<Vec<_>>(),
        "outbox": sim.outbox().iter().map(outbox_json).collect::<Vec<_>>(),
    });
    add_life_cycle(&mut j, sim);
    j
}

/// Text from a design or a payload on one line of the readable report: a line end inside it
/// is shown as `\n` (`\r` as `\r`), so that no value can start a line of its own and pass for
/// the report's (the terminal's own escaping, `cli::terminal_text`, keeps line ends).
struct OneLine<'a>(&'a str);

impl std::fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// The readable text of a trigger's result and its runs.
pub fn result_text(outcome: &TriggerOutcome, sim: &Simulator) -> String {
    let mut out = String::new();
    outcome_text(&mut out, outcome);
    for run in sim.runs() {
        run_text(&mut out, run, sim);
    }
    life_cycle_text(&mut out, sim);
    if let Some(h) = sim.halted() {
        let _ = writeln!(out, "\nhalted: {}", OneLine(h));
    }
    out
}

/// Whether the trigger was accepted (the run started or queued) or rejected, and why.
fn outcome_text(out: &mut String, outcome: &TriggerOutcome) {
    match outcome {
        TriggerOutcome::Rejected(errors) => {
            let _ = writeln!(out, "rejected ({} problem(s)):", errors.len());
            for e in errors {
                let _ = writeln!(out, "  - {}", OneLine(&e.message));
            }
        }
        TriggerOutcome::Queued => {
            let _ = writeln!(out, "accepted: queued until the workflow resumes");
        }
        TriggerOutcome::Started(id) => {
            let _ = writeln!(out, "accepted: run {id} started");
        }
    }
}

/// One run: where it came from, its variables and conversions, its path, its outbox, the Ends
/// it reached, its errors and warnings.
fn run_text(out: &mut String, run: &Run, sim: &Simulator) {
    let _ = writeln!(
        out,
        "\nrun {} of {}/{} ({}) from '{}'{}",
        run.id,
        run.workflow,
        run.signal,
        run.status.name(),
        OneLine(&run.source),
        run.parent
            .map(|p| format!(", triggered by run {p}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "  variables:");
    for v in &run.variables {
        let _ = writeln!(
            out,
            "    {:<16} {:<8} {:<32} {}",
            v.name,
            v.value.type_name(),
            v.value.to_json().to_string(),
            v.origin.describe()
        );
    }
    for c in &run.conversions {
        let _ = writeln!(
            out,
            "  conversion: {}: {}",
            OneLine(&c.parameter),
            OneLine(&c.message)
        );
    }
    let _ = writeln!(out, "  path:");
    for v in sim.trace().iter().filter(|v| v.run == run.id) {
        visit_text(out, v);
    }
    for o in sim.outbox().iter().filter(|o| o.run == run.id) {
        outbox_text(out, o);
    }
    for e in &run.ends {
        let _ = writeln!(out, "  end: {}", e.activity);
    }
    for e in &run.errors {
        let _ = writeln!(out, "  error: {}", OneLine(&e.message));
    }
    for w in &run.warnings {
        let _ = writeln!(out, "  warning: {}", OneLine(w));
    }
}

/// One visit of a run's path: when, which activity, the counts, the ports taken and the
/// settings, then its notes, error and status.
fn visit_text(out: &mut String, v: &Visit) {
    let counts = match v.count_out {
        Some(o) => format!("{} -> {}", v.count_in, o),
        None => format!("{} -> -", v.count_in),
    };
    let settings: Vec<String> = v
        .settings
        .iter()
        .map(|(n, s)| format!("{n}={}", OneLine(s)))
        .collect();
    let ports: Vec<String> = v.ports.iter().map(|p| p.describe()).collect();
    let _ = writeln!(
        out,
        "    {} {:<14} {:<15} {:<10} {}{}",
        format_datetime(&v.at),
        v.activity,
        v.kind,
        counts,
        if ports.is_empty() {
            String::new()
        } else {
            format!("[{}] ", ports.join(", "))
        },
        settings.join("  ")
    );
    for n in &v.notes {
        let _ = writeln!(out, "      note: {}", OneLine(n));
    }
    if let Some(e) = &v.error {
        let _ = writeln!(out, "      error: {}", OneLine(e));
    }
    if v.status != VisitStatus::Ran {
        let _ = writeln!(out, "      status: {}", v.status_name());
    }
}

/// One outbox entry of a run: the delivery, its recipients (and a sample of them), label,
/// template and parameters.
fn outbox_text(out: &mut String, o: &OutboxEntry) {
    let params: Vec<String> = o
        .parameters
        .iter()
        .map(|(n, v)| format!("{n}={}", OneLine(v)))
        .collect();
    let _ = writeln!(
        out,
        "  outbox: {} to {} recipient(s){}: label '{}', template '{}'{}",
        o.activity,
        o.recipients,
        if o.sample.is_empty() {
            String::new()
        } else {
            format!(" ({})", OneLine(&o.sample.join(", ")))
        },
        OneLine(&o.label),
        OneLine(&o.template),
        if params.is_empty() {
            String::new()
        } else {
            format!(", parameters {}", params.join(", "))
        }
    );
}

/// The workflows not simply started, and the held branches, with what to do about them.
fn life_cycle_text(out: &mut String, sim: &Simulator) {
    for wf in &sim.prepared().design.workflows {
        match sim.state(&wf.id) {
            Some(WorkflowState::Started) | None => {}
            Some(state) => {
                let _ = write!(
                    out,
                    "\nworkflow {}: {} ({})",
                    wf.id,
                    state.name(),
                    state.status()
                );
                if let Some(s) = sim.suspension(&wf.id) {
                    let _ = write!(
                        out,
                        ": '{}' of run {} failed: {}; resume it to run '{}' again",
                        s.activity,
                        s.token.run,
                        OneLine(&s.message),
                        s.activity
                    );
                }
                let _ = writeln!(out);
            }
        }
    }
    for h in sim.holds() {
        let workflow = hold_workflow(sim, h);
        let _ = writeln!(
            out,
            "\nheld: {workflow}/{} (run {}) since {}: release it to run it",
            h.activity,
            h.token.run,
            format_datetime(&h.since)
        );
    }
}
