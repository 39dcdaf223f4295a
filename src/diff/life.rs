//! Changes of the workflows' life cycle between two versions (docs/DIFF.md, "Changes inside
//! the design"): an activity's "Execution" or "In case of error", an End's "Stop all tasks in
//! progress", a workflow's consecutive errors. No caller is refused because of them, but the
//! runs they start behave differently: each is listed as a change inside the design.

use super::pairing::WorkflowPairing;
use super::{Change, Class, Kind};
use crate::model::{ActivityOptions, Workflow};

/// The life-cycle changes of one pair of workflows (activities paired by id).
pub(super) fn life_changes(pairing: &WorkflowPairing<'_>, out: &mut Vec<Change>) {
    let (Some(old), Some(new)) = (pairing.old, pairing.new) else {
        return;
    };
    threshold(old, new, out);
    for a in &old.activities {
        let Some(b) = new.activity(&a.id) else {
            continue;
        };
        options(&old.id, &a.id, &a.options, &b.options, out);
    }
}

fn threshold(old: &Workflow, new: &Workflow, out: &mut Vec<Change>) {
    let (from, to) = (old.consecutive_errors, new.consecutive_errors);
    if from == to {
        return;
    }
    let shown = |n: u32| {
        if n == 0 {
            "none".to_owned()
        } else {
            n.to_string()
        }
    };
    let consequence = match to {
        0 => "failures whose errors are ignored never suspend the workflow".to_owned(),
        n => {
            format!("{n} ignored failures in a row suspend the workflow (Erroneous) until resumed")
        }
    };
    out.push(Change::new(
        Class::Inside,
        (Some(&old.id), None),
        None,
        Kind::ConsecutiveErrorsChanged { from, to },
        format!(
            "the consecutive errors threshold is now {} (it was {})",
            shown(to),
            shown(from)
        ),
        &consequence,
    ));
}

/// What an activity set to `e` does to the branches that reach it.
fn execution_consequence(e: crate::model::Execution) -> &'static str {
    match e {
        crate::model::Execution::Normal => "it runs when a branch reaches it",
        crate::model::Execution::EnableButDoNotExecute => "branches wait there until released",
        crate::model::Execution::DoNotEnable => {
            "branches end there without running it or what follows"
        }
    }
}

/// What a failure of an activity set to `o` does.
fn on_error_consequence(o: crate::model::OnError) -> &'static str {
    match o {
        crate::model::OnError::Ignore => "a failure there ends its branch and the workflow goes on",
        crate::model::OnError::Suspend => "a failure there suspends the workflow until resumed",
    }
}

fn options(
    workflow: &str,
    activity: &str,
    a: &ActivityOptions,
    b: &ActivityOptions,
    out: &mut Vec<Change>,
) {
    let mut push = |kind: Kind, head: String, consequence: &str| {
        out.push(Change::new(
            Class::Inside,
            (Some(workflow), None),
            None,
            kind,
            head,
            consequence,
        ));
    };
    if a.execution != b.execution {
        push(
            Kind::ExecutionChanged {
                activity: activity.to_owned(),
                from: a.execution,
                to: b.execution,
            },
            format!(
                "activity '{activity}': Execution is now {} (it was {})",
                b.execution.label(),
                a.execution.label()
            ),
            execution_consequence(b.execution),
        );
    }
    if a.on_error != b.on_error {
        push(
            Kind::OnErrorChanged {
                activity: activity.to_owned(),
                from: a.on_error,
                to: b.on_error,
            },
            format!(
                "activity '{activity}': In case of error is now {} (it was {})",
                b.on_error.label(),
                a.on_error.label()
            ),
            on_error_consequence(b.on_error),
        );
    }
    if a.stop_all_tasks != b.stop_all_tasks {
        push(
            Kind::StopAllTasksChanged {
                activity: activity.to_owned(),
                to: b.stop_all_tasks,
            },
            format!(
                "End '{activity}' {} all tasks in progress",
                if b.stop_all_tasks {
                    "now stops"
                } else {
                    "no longer stops"
                }
            ),
            if b.stop_all_tasks {
                "reaching it stops the workflow, cutting its other branches"
            } else {
                "the workflow's other branches go on when it is reached"
            },
        );
    }
}
