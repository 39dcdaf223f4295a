//! Saved scenarios run headless: a fresh simulator with every workflow started, the scenario's
//! payload triggered and run to the end, and the results compared with the expectations as
//! readable lines of differences.

use super::engine::{Simulator, Stop, TriggerOutcome};
use super::prepared::Prepared;
use crate::model::{Expectations, Scenario, Value};
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
    let stop = sim.run_to_end();
    let mut differences = compare(&scenario.expect, &outcome, &sim);
    if let Stop::Halted(m) = stop {
        differences.push(format!("the simulation was halted: {m}"));
    }
    ScenarioResult {
        name: scenario.name.clone(),
        outcome,
        differences,
        simulator: sim,
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
    for text in &expect.error_contains {
        if !messages.iter().any(|m| m.contains(text.as_str())) {
            diffs.push(if messages.is_empty() {
                format!("expected an error mentioning {text:?}, but there was no error")
            } else {
                format!(
                    "expected an error mentioning {text:?}, got: {}",
                    messages.join("; ")
                )
            });
        }
    }
    let run_errors: Vec<&str> = sim
        .runs()
        .iter()
        .flat_map(|r| r.errors.iter().map(|e| e.message.as_str()))
        .collect();
    for text in &expect.run_errors {
        if !run_errors.iter().any(|m| m.contains(text.as_str())) {
            diffs.push(if run_errors.is_empty() {
                format!("expected a run error mentioning {text:?}, but no run failed")
            } else {
                format!(
                    "expected a run error mentioning {text:?}, got: {}",
                    run_errors.join("; ")
                )
            });
        }
    }
    if !expect.ends.is_empty() {
        let mut actual: Vec<String> = sim
            .runs()
            .iter()
            .flat_map(|r| {
                r.ends
                    .iter()
                    .map(move |e| format!("{}/{}", r.workflow, e.activity))
            })
            .collect();
        let mut wanted = expect.ends.clone();
        actual.sort();
        wanted.sort();
        if actual != wanted {
            diffs.push(format!(
                "expected ends [{}], reached [{}]",
                wanted.join(", "),
                actual.join(", ")
            ));
        }
    }
    if !expect.variables.is_empty() {
        match sim.runs().first() {
            None => diffs.push("expected variables, but no run started".into()),
            Some(run) => {
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
        }
    }
    if !expect.outbox.is_empty() {
        let outbox = sim.outbox();
        if outbox.len() != expect.outbox.len() {
            diffs.push(format!(
                "expected {} outbox entries, got {}",
                expect.outbox.len(),
                outbox.len()
            ));
        }
        for (i, (want, got)) in expect.outbox.iter().zip(outbox).enumerate() {
            let n = i + 1;
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
    }
    for c in &expect.counts {
        let visit = sim
            .trace()
            .iter()
            .find(|v| format!("{}/{}", v.workflow, v.activity) == c.activity);
        let Some(v) = visit else {
            diffs.push(format!(
                "expected counts at {}, but it was not visited",
                c.activity
            ));
            continue;
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
    diffs
}

/// Expectations that describe what a finished simulation did: whether the trigger was accepted
/// (and its errors), run errors, the Ends reached, the first run's event variables (parameters,
/// defaults and conversions), the outbox, and the counts at the first visit of each activity.
/// A scenario saved with them passes on the same design, and fails when the design changes
/// what they describe.
pub fn expectations_from(outcome: &TriggerOutcome, sim: &Simulator) -> Expectations {
    use super::run::Origin;
    use crate::model::{CountExpectation, OutboxExpectation};
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
    let mut seen = std::collections::BTreeSet::new();
    for v in sim.trace() {
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
