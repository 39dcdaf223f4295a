//! Callers that show a change breaks something: the Ends of the new design whose triggers no
//! longer fit (taken from `check`, which already judges End triggers against their targets),
//! and the saved scenarios of the old design whose payloads the old version accepts and the new
//! one rejects (run through the simulator's trigger validation).

use super::change::{
    Change, Class, ContractDiff, Kind, RejectedScenario, ScenarioProblem, SignalPair,
};
use crate::check::{Diagnostic, Severity};
use crate::model::{ActivityKind, Design, EndSettings, EndTrigger, Scenario, SignalContract};
use crate::sim::trigger;
use std::collections::BTreeSet;

/// A diagnostic's identity, to tell new problems from those the old design already had.
type Key<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str);

fn key(d: &Diagnostic) -> Key<'_> {
    (
        d.workflow.as_deref(),
        d.activity.as_deref(),
        d.field.as_deref(),
        d.message.as_str(),
    )
}

/// Whether `check` reports this about an End's trigger (its target or its parameters).
fn is_trigger_field(field: Option<&str>) -> bool {
    field.is_some_and(|f| f.starts_with("parameter:") || f.starts_with("trigger."))
}

/// The End trigger a diagnostic is about, in `design`.
fn end_trigger<'a>(design: &'a Design, d: &Diagnostic) -> Option<&'a EndTrigger> {
    let act = design
        .workflow(d.workflow.as_deref()?)?
        .activity(d.activity.as_deref()?)?;
    match &act.kind {
        ActivityKind::End(EndSettings { trigger: Some(t) }) => Some(t),
        _ => None,
    }
}

/// Appends, for each End trigger error of `new` that `old` did not have, a breaking inside
/// change on the signal it triggers, naming the contract changes that caused it. An error no
/// contract change explains (the End itself was edited) is left to `check`.
pub fn end_triggers(
    new: &Design,
    old_diagnostics: &[Diagnostic],
    new_diagnostics: &[Diagnostic],
    diff: &mut ContractDiff,
) {
    let before: BTreeSet<Key<'_>> = old_diagnostics.iter().map(key).collect();
    let mut found = Vec::new();
    for d in new_diagnostics {
        if d.severity != Severity::Error
            || !is_trigger_field(d.field.as_deref())
            || before.contains(&key(d))
        {
            continue;
        }
        let Some(t) = end_trigger(new, d) else {
            continue;
        };
        let Some(pair) = target_pair(&diff.signals, t) else {
            continue;
        };
        let Some((w, s)) = pair.location() else {
            continue;
        };
        let causes = causes(&diff.changes, w, s, d.field.as_deref());
        if causes.is_empty() {
            continue;
        }
        let caller = d.location();
        let parameter = d
            .field
            .as_deref()
            .and_then(|f| f.strip_prefix("parameter:"));
        let head = format!("End '{caller}': {}", d.message);
        let because = format!("{head} (because {})", causes.join("; "));
        let mut change = Change::new(
            Class::BreakingInside,
            (Some(w), Some(s)),
            parameter,
            Kind::EndTrigger {
                caller,
                field: d.field.clone(),
                problem: d.message.clone(),
                causes,
            },
            head,
            "",
        );
        change.message = because;
        found.push(change);
    }
    diff.changes.extend(found);
}

/// The signal an End triggers: its new address first, else its old one (an End left pointing
/// at a signal that was removed or moved).
fn target_pair<'a>(pairs: &'a [SignalPair], t: &EndTrigger) -> Option<&'a SignalPair> {
    let at = |r: &Option<super::change::SignalRef>| {
        r.as_ref()
            .is_some_and(|r| r.workflow == t.workflow && r.signal == t.signal)
    };
    pairs
        .iter()
        .find(|p| at(&p.new))
        .or_else(|| pairs.iter().find(|p| at(&p.old)))
}

/// The messages of the changes of `workflow/signal` that explain a problem on `field`: those of
/// the same parameter (by old or new name), else those of the whole signal.
fn causes(changes: &[Change], workflow: &str, signal: &str, field: Option<&str>) -> Vec<String> {
    let mine: Vec<&Change> = changes
        .iter()
        .filter(|c| c.class != Class::BreakingInside)
        .filter(|c| c.workflow.as_deref() == Some(workflow) && c.signal.as_deref() == Some(signal))
        .collect();
    let name = field.and_then(|f| f.strip_prefix("parameter:"));
    let of_parameter: Vec<String> = mine
        .iter()
        .filter(|c| {
            name.is_some_and(|n| {
                c.parameter.as_deref() == Some(n)
                    || matches!(&c.kind, Kind::ParameterRenamed { to, .. } if to == n)
            })
        })
        .map(|c| c.headline.clone())
        .collect();
    if !of_parameter.is_empty() {
        return of_parameter;
    }
    mine.iter()
        .filter(|c| c.parameter.is_none())
        .filter(|c| signal_level_cause(&c.kind))
        .map(|c| c.headline.clone())
        .collect()
}

/// Changes of a whole signal that can make an End's trigger fail.
fn signal_level_cause(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::WorkflowRemoved { .. }
            | Kind::WorkflowIdChanged { .. }
            | Kind::SignalRemoved { .. }
            | Kind::SignalIdChanged { .. }
            | Kind::PolicyStrict { .. }
    )
}

/// The saved scenarios of `old` that `old` accepts and `new` rejects, with `new`'s problems.
pub fn rejected_scenarios(old: &Design, new: &Design) -> Vec<RejectedScenario> {
    old.scenarios
        .iter()
        .filter_map(|s| rejected(old, new, s))
        .collect()
}

fn rejected(old: &Design, new: &Design, s: &Scenario) -> Option<RejectedScenario> {
    let (payload, shape) = trigger::read_json(s.payload.clone());
    if payload.unreadable || !shape.is_empty() {
        return None;
    }
    let old_contract = old.signal(&s.workflow, &s.signal)?;
    let check = |c: &SignalContract| {
        trigger::check_parameters(&s.workflow, &s.signal, c, &payload.parameters)
    };
    check(old_contract).ok()?;
    let problems: Vec<ScenarioProblem> = match target(new, &s.workflow, &s.signal) {
        Err(message) => vec![ScenarioProblem {
            parameter: None,
            message,
        }],
        Ok(contract) => check(contract)
            .err()?
            .into_iter()
            .map(|e| ScenarioProblem {
                parameter: e.parameter,
                message: e.message,
            })
            .collect(),
    };
    Some(RejectedScenario {
        name: s.name.clone(),
        workflow: s.workflow.clone(),
        signal: s.signal.clone(),
        problems,
    })
}

/// The contract at `workflow/signal` in `design`, or the simulator's message for a missing one.
fn target<'a>(
    design: &'a Design,
    workflow: &str,
    signal: &str,
) -> Result<&'a SignalContract, String> {
    let wf = design
        .workflow(workflow)
        .ok_or_else(|| format!("workflow '{workflow}' does not exist"))?;
    wf.signal(signal)
        .ok_or_else(|| format!("'{signal}' is not an External signal of workflow '{workflow}'"))
}
