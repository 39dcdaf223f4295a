//! Saved scenarios run headless: a fresh simulator with every workflow started, the scenario's
//! payload triggered and run to the end, then each of its steps (resume, release, restart...)
//! given and run to the end, and the results compared with the expectations as readable lines
//! of differences.

use super::engine::{SimError, Simulator, Stop, TriggerOutcome, WorkflowCommand};
use super::prepared::Prepared;
use super::run::OutboxEntry;
use crate::model::{
    CountExpectation, Expectations, OutboxExpectation, Scenario, ScenarioStep, Value, WorkflowState,
};
use std::cmp::Ordering;
use std::sync::Arc;

/// The outcome of one scenario.
#[derive(Debug)]
pub struct ScenarioResult {
    /// The scenario's name.
    pub name: String,
    /// What the trigger gave.
    pub outcome: TriggerOutcome,
    /// Every difference from the expectations (empty when it passed).
    pub differences: Vec<String>,
    /// The simulator after the run, for traces.
    pub simulator: Simulator,
}

impl ScenarioResult {
    /// True when nothing differed.
    pub fn passed(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Runs one scenario in a fresh simulator (every workflow started) and compares.
pub fn run_scenario(prepared: &Arc<Prepared>, scenario: &Scenario) -> ScenarioResult {
    let mut sim = Simulator::new(prepared.clone());
    sim.start_all();
    let outcome = sim.trigger_json(&scenario.workflow, &scenario.signal, &scenario.payload);
    let mut halts = Vec::new();
    if let Stop::Halted(m) = sim.run_to_end() {
        halts.push(m);
    }
    let mut step_errors = Vec::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        if let Err(e) = give(&mut sim, step) {
            step_errors.push(format!("step {} ({}): {e}", i + 1, step.describe()));
        }
        if let Stop::Halted(m) = sim.run_to_end() {
            halts.push(m);
        }
    }
    let mut differences = step_errors;
    differences.extend(compare(&scenario.expect, &outcome, &sim));
    for m in halts {
        differences.push(format!("the simulation was halted: {m}"));
    }
    ScenarioResult {
        name: scenario.name.clone(),
        outcome,
        differences,
        simulator: sim,
    }
}

/// Gives one step's command to the session.
pub fn give(sim: &mut Simulator, step: &ScenarioStep) -> Result<(), SimError> {
    match step {
        ScenarioStep::Start(w) => sim.command(w, WorkflowCommand::Start),
        ScenarioStep::Pause(w) => sim.command(w, WorkflowCommand::Pause),
        ScenarioStep::Resume(w) => sim.command(w, WorkflowCommand::Resume),
        ScenarioStep::Stop(w) => sim.command(w, WorkflowCommand::Stop),
        ScenarioStep::Restart(w) => sim.command(w, WorkflowCommand::Restart),
        ScenarioStep::Release(at) => {
            let (w, a) = at.split_once('/').unwrap_or((at.as_str(), ""));
            sim.release(w, a).map(|_| ())
        }
        ScenarioStep::Advance(seconds) => sim.advance_clock(*seconds),
    }
}

fn same(a: &Value, b: &Value) -> bool {
    a == b || a.compare(b) == Some(Ordering::Equal)
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::String(s) => format!("{s:?}"),
        v => format!("{v} ({})", v.type_name()),
    }
}

/// The differences between expectations and a finished simulation.
pub fn compare(expect: &Expectations, outcome: &TriggerOutcome, sim: &Simulator) -> Vec<String> {
    let mut diffs = Vec::new();
    trigger_differences(expect, outcome, &mut diffs);
    let run_errors: Vec<&str> = sim
        .runs()
        .iter()
        .flat_map(|r| r.errors.iter().map(|e| e.message.as_str()))
        .collect();
    missing_mentions(
        &expect.run_errors,
        &run_errors,
        "a run error",
        "but no run failed",
        &mut diffs,
    );
    end_differences(expect, sim, &mut diffs);
    variable_differences(expect, sim, &mut diffs);
    outbox_differences(expect, sim, &mut diffs);
    life_cycle(expect, sim, &mut diffs);
    for c in &expect.counts {
        count_differences(c, sim, &mut diffs);
    }
    diffs
}

/// Whether the trigger was accepted or rejected as expected, and with the errors expected.
fn trigger_differences(expect: &Expectations, outcome: &TriggerOutcome, diffs: &mut Vec<String>) {
    let messages: Vec<&str> = outcome
        .errors()
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    match expect.accepted {
        Some(true) if !outcome.accepted() => diffs.push(format!(
            "expected the trigger to be accepted, but it was rejected: {}",
            messages.join("; ")
        )),
        Some(false) if outcome.accepted() => {
            diffs.push("expected the trigger to be rejected, but it was accepted".into())
        }
        _ => {}
    }
    missing_mentions(
        &expect.error_contains,
        &messages,
        "an error",
        "but there was no error",
        diffs,
    );
}

/// Each text of `wanted` that no message of `got` mentions; `what` names the messages (`an
/// error`) and says what it means that there is none (`but there was no error`).
fn missing_mentions(
    wanted: &[String],
    got: &[&str],
    what: &str,
    none: &str,
    diffs: &mut Vec<String>,
) {
    for text in wanted {
        if !got.iter().any(|m| m.contains(text.as_str())) {
            diffs.push(if got.is_empty() {
                format!("expected {what} mentioning {text:?}, {none}")
            } else {
                format!(
                    "expected {what} mentioning {text:?}, got: {}",
                    got.join("; ")
                )
            });
        }
    }
}

/// The Ends reached, in any order, against those expected.
fn end_differences(expect: &Expectations, sim: &Simulator, diffs: &mut Vec<String>) {
    if expect.ends.is_empty() {
        return;
    }
    let actual: Vec<String> = sim
        .runs()
        .iter()
        .flat_map(|r| {
            r.ends
                .iter()
                .map(move |e| format!("{}/{}", r.workflow, e.activity))
        })
        .collect();
    unordered_difference("ends", "reached", expect.ends.clone(), actual, diffs);
}

/// `expected WHAT [...], GOT [...]` when `wanted` and `actual` differ in any order: `what`
/// they are and what happened to them, `got` (`ends`, `reached`).
fn unordered_difference(
    what: &str,
    got: &str,
    mut wanted: Vec<String>,
    mut actual: Vec<String>,
    diffs: &mut Vec<String>,
) {
    actual.sort();
    wanted.sort();
    if actual != wanted {
        diffs.push(format!(
            "expected {what} [{}], {got} [{}]",
            wanted.join(", "),
            actual.join(", ")
        ));
    }
}

/// The first run's event variables against those expected (an expected null may be unset).
fn variable_differences(expect: &Expectations, sim: &Simulator, diffs: &mut Vec<String>) {
    if expect.variables.is_empty() {
        return;
    }
    let Some(run) = sim.runs().first() else {
        diffs.push("expected variables, but no run started".into());
        return;
    };
    for (name, want) in &expect.variables {
        match run.variable(name) {
            None if want.is_null() => {}
            None => diffs.push(format!(
                "variable '{name}': expected {}, but it is not set",
                shown(want)
            )),
            Some(v) if !same(&v.value, want) => diffs.push(format!(
                "variable '{name}': expected {}, got {}",
                shown(want),
                shown(&v.value)
            )),
            Some(_) => {}
        }
    }
}

/// The outbox against the entries expected: how many, then each in order.
fn outbox_differences(expect: &Expectations, sim: &Simulator, diffs: &mut Vec<String>) {
    if expect.outbox.is_empty() {
        return;
    }
    let outbox = sim.outbox();
    if outbox.len() != expect.outbox.len() {
        diffs.push(format!(
            "expected {} outbox entries, got {}",
            expect.outbox.len(),
            outbox.len()
        ));
    }
    for (i, (want, got)) in expect.outbox.iter().zip(outbox).enumerate() {
        outbox_entry_differences(i + 1, want, got, diffs);
    }
}

/// Outbox entry `n` against the one expected: its activity, and what the expectation names of
/// its recipients, label, template and parameters.
fn outbox_entry_differences(
    n: usize,
    want: &OutboxExpectation,
    got: &OutboxEntry,
    diffs: &mut Vec<String>,
) {
    let got_activity = format!("{}/{}", got.workflow, got.activity);
    if want.activity != got_activity {
        diffs.push(format!(
            "outbox entry {n}: expected from {}, got from {got_activity}",
            want.activity
        ));
    }
    if let Some(r) = want.recipients
        && r != got.recipients
    {
        diffs.push(format!(
            "outbox entry {n}: expected {r} recipients, got {}",
            got.recipients
        ));
    }
    if let Some(l) = &want.label
        && *l != got.label
    {
        diffs.push(format!(
            "outbox entry {n}: expected label {l:?}, got {:?}",
            got.label
        ));
    }
    if let Some(t) = &want.template
        && *t != got.template
    {
        diffs.push(format!(
            "outbox entry {n}: expected template {t:?}, got {:?}",
            got.template
        ));
    }
    for (name, value) in &want.parameters {
        match got.parameters.iter().find(|(n, _)| n == name) {
            Some((_, v)) if v == value => {}
            Some((_, v)) => diffs.push(format!(
                "outbox entry {n}: parameter '{name}' expected {value:?}, got {v:?}"
            )),
            None => diffs.push(format!(
                "outbox entry {n}: parameter '{name}' expected {value:?}, but it is not set"
            )),
        }
    }
}

/// The counts at the first visit of an activity that ran, against those expected.
fn count_differences(c: &CountExpectation, sim: &Simulator, diffs: &mut Vec<String>) {
    let visit = sim
        .trace()
        .iter()
        .filter(|v| v.ran())
        .find(|v| format!("{}/{}", v.workflow, v.activity) == c.activity);
    let Some(v) = visit else {
        diffs.push(format!(
            "expected counts at {}, but it was not visited",
            c.activity
        ));
        return;
    };
    if let Some(n) = c.count_in
        && n != v.count_in
    {
        diffs.push(format!(
            "{}: expected {n} rows in, got {}",
            c.activity, v.count_in
        ));
    }
    if let Some(n) = c.count_out
        && Some(n) != v.count_out
    {
        diffs.push(format!(
            "{}: expected {n} rows out, got {}",
            c.activity,
            v.count_out.map_or("none".to_owned(), |o| o.to_string())
        ));
    }
}

/// The differences of the workflows' states and of the held branches.
fn life_cycle(expect: &Expectations, sim: &Simulator, diffs: &mut Vec<String>) {
    for (workflow, want) in &expect.states {
        match sim.state(workflow) {
            None => diffs.push(format!(
                "expected workflow '{workflow}' to be {}, but the design has no such workflow",
                want.name()
            )),
            Some(got) if got != *want => diffs.push(format!(
                "expected workflow '{workflow}' to be {} ({}), but it is {} ({}){}",
                want.name(),
                want.status(),
                got.name(),
                got.status(),
                sim.suspension(workflow)
                    .map(|s| format!(": '{}' failed: {}", s.activity, s.message))
                    .unwrap_or_default()
            )),
            Some(_) => {}
        }
    }
    if expect.held.is_empty() {
        return;
    }
    unordered_difference(
        "held tasks",
        "held",
        expect.held.clone(),
        held_tasks(sim),
        diffs,
    );
}

/// The held branches as `WORKFLOW/activity`, one per branch.
fn held_tasks(sim: &Simulator) -> Vec<String> {
    let plan = &sim.prepared().design;
    sim.holds()
        .iter()
        .map(|h| {
            let w = plan
                .workflows
                .get(h.token.workflow)
                .map_or("", |w| w.id.as_str());
            format!("{w}/{}", h.activity)
        })
        .collect()
}

/// Expectations that describe what a finished simulation did: whether the trigger was accepted
/// (and its errors), run errors, the Ends reached, the first run's event variables (parameters,
/// defaults and conversions), the outbox, and the counts at the first visit of each activity.
/// A scenario saved with them passes on the same design, and fails when the design changes
/// what they describe.
pub fn expectations_from(outcome: &TriggerOutcome, sim: &Simulator) -> Expectations {
    use super::run::Origin;
    let mut e = Expectations {
        accepted: Some(outcome.accepted()),
        error_contains: outcome.errors().iter().map(|e| e.message.clone()).collect(),
        ..Expectations::default()
    };
    if !outcome.accepted() {
        return e;
    }
    for r in sim.runs() {
        e.run_errors
            .extend(r.errors.iter().map(|err| err.message.clone()));
        e.ends.extend(
            r.ends
                .iter()
                .map(|end| format!("{}/{}", r.workflow, end.activity)),
        );
    }
    e.ends.sort();
    if let Some(first) = sim.runs().first() {
        e.variables = first
            .variables
            .iter()
            .filter(|v| !matches!(v.origin, Origin::SetBy { .. }))
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect();
    }
    e.outbox = sim
        .outbox()
        .iter()
        .map(|o| OutboxExpectation {
            activity: format!("{}/{}", o.workflow, o.activity),
            recipients: Some(o.recipients),
            label: Some(o.label.clone()),
            template: Some(o.template.clone()),
            parameters: o.parameters.iter().cloned().collect(),
        })
        .collect();
    e.states = sim
        .prepared()
        .design
        .workflows
        .iter()
        .filter_map(|w| Some((w.id.clone(), sim.state(&w.id)?)))
        .filter(|(_, s)| *s != WorkflowState::Started)
        .collect();
    e.held = held_tasks(sim);
    e.held.sort();
    let mut seen = std::collections::BTreeSet::new();
    for v in sim.trace().iter().filter(|v| v.ran()) {
        let activity = format!("{}/{}", v.workflow, v.activity);
        if seen.insert(activity.clone()) {
            e.counts.push(CountExpectation {
                activity,
                count_in: Some(v.count_in),
                count_out: v.count_out,
            });
        }
    }
    e
}
