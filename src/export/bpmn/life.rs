//! What the life-cycle options of a workflow's activities make of its BPMN (docs/CAMUNDA.md,
//! "Execution and errors"): an activity set to "Do not enable" is a none end event that ends
//! its branch, and what is reached only through it is left out; one set to "Enable but do not
//! execute" waits behind a user task that releases it; the workflow's consecutive errors
//! threshold travels as a task header and a counter the failure boundaries raise. This module
//! decides which activities are which; `bpmn.rs` writes the elements.

use crate::model::{ActivityKind, Execution, Workflow};
use std::collections::{BTreeMap, BTreeSet};

/// The task header carrying the workflow's consecutive errors threshold, on every job whose
/// failure counts toward it.
pub const THRESHOLD_HEADER: &str = "flowcall.errorsThreshold";

/// The process variable counting the failures of the instance so far (raised by each failure
/// boundary event, read by the worker against [`THRESHOLD_HEADER`]).
pub const ERRORS_VARIABLE: &str = "flowcallErrorsInRow";

/// The activities of one workflow as the life-cycle options shape its export.
#[derive(Debug, Default)]
pub struct Life<'a> {
    /// Set to "Do not enable": a none end event, its outgoing flows not exported.
    pub skipped: BTreeSet<&'a str>,
    /// Set to "Enable but do not execute": a user task releases them.
    pub held: BTreeSet<&'a str>,
    /// Reached only through a skipped activity: not exported.
    pub dropped: BTreeSet<&'a str>,
    /// Start events set to hold or skip: a start event can neither wait behind a task nor be
    /// an end, so they export as if Normal (the export warns).
    pub ignored: Vec<&'a str>,
}

impl<'a> Life<'a> {
    /// The life-cycle shape of `wf`.
    pub fn of(wf: &'a Workflow) -> Life<'a> {
        let mut life = Life::default();
        for a in &wf.activities {
            let starts = matches!(
                a.kind,
                ActivityKind::Start | ActivityKind::ExternalSignal(_)
            );
            if starts && a.options.execution != Execution::Normal {
                life.ignored.push(a.id.as_str());
                continue;
            }
            match a.options.execution {
                Execution::DoNotEnable => {
                    life.skipped.insert(a.id.as_str());
                }
                Execution::EnableButDoNotExecute => {
                    life.held.insert(a.id.as_str());
                }
                Execution::Normal => {}
            }
        }
        if !life.skipped.is_empty() {
            let open = reachable(wf, &BTreeSet::new());
            let cut = reachable(wf, &life.skipped);
            life.dropped = open.difference(&cut).copied().collect();
            life.held.retain(|a| !life.dropped.contains(a));
        }
        life
    }

    /// Whether `act` is exported.
    pub fn kept(&self, act: &str) -> bool {
        !self.dropped.contains(act)
    }

    /// Whether the transition from `from` to `to` is exported: neither end is left out and it
    /// does not leave a skipped activity.
    pub fn flows(&self, from: &str, to: &str) -> bool {
        self.kept(from) && self.kept(to) && !self.skipped.contains(from)
    }
}

/// The activities reached from the workflow's roots (those no transition enters), not going
/// on past the `barriers` (which are reached themselves).
fn reachable<'a>(wf: &'a Workflow, barriers: &BTreeSet<&'a str>) -> BTreeSet<&'a str> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut entered: BTreeSet<&str> = BTreeSet::new();
    for t in &wf.transitions {
        next.entry(t.from.as_str()).or_default().push(t.to.as_str());
        entered.insert(t.to.as_str());
    }
    let mut todo: Vec<&str> = wf
        .activities
        .iter()
        .map(|a| a.id.as_str())
        .filter(|a| !entered.contains(a))
        .collect();
    let mut seen: BTreeSet<&str> = todo.iter().copied().collect();
    while let Some(a) = todo.pop() {
        if barriers.contains(a) {
            continue;
        }
        for &to in next.get(a).into_iter().flatten() {
            if seen.insert(to) {
                todo.push(to);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow() -> Workflow {
        let design = crate::io::load_str(include_str!("../../../tests/life/skipped.flow.ron"))
            .unwrap_or_else(|e| panic!("{e}"));
        design
            .workflows
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("a workflow"))
    }

    #[test]
    fn what_only_a_skipped_activity_reaches_is_dropped() {
        let wf = workflow();
        let life = Life::of(&wf);
        assert_eq!(life.skipped, BTreeSet::from(["email1"]));
        assert_eq!(life.dropped, BTreeSet::from(["end1"]));
        assert!(life.kept("email1") && life.kept("end2"));
        assert!(!life.flows("email1", "end1"));
        assert!(life.flows("fork1", "email1"));
    }

    #[test]
    fn a_start_event_is_neither_held_nor_skipped() {
        let mut wf = workflow();
        for a in &mut wf.activities {
            if a.id == "signal1" {
                a.options.execution = Execution::DoNotEnable;
            }
        }
        let life = Life::of(&wf);
        assert_eq!(life.ignored, ["signal1"]);
        assert!(!life.skipped.contains("signal1"));
        assert!(life.kept("read1"));
    }

    #[test]
    fn an_activity_reached_another_way_stays() {
        let mut wf = workflow();
        let mut t = wf.transitions[0].clone();
        t.from = "update1".into();
        t.to = "end1".into();
        wf.transitions.push(t);
        let life = Life::of(&wf);
        assert!(life.dropped.is_empty(), "{:?}", life.dropped);
    }

    #[test]
    fn a_loop_no_root_reaches_stays_as_it_was() {
        let mut wf = workflow();
        // email1 and end1 now only reach each other: no root reaches them, with or without
        // the barrier, so the option changes nothing about them.
        wf.transitions.retain(|t| t.to != "email1");
        let mut t = wf.transitions[0].clone();
        t.from = "end1".into();
        t.to = "email1".into();
        wf.transitions.push(t);
        assert!(Life::of(&wf).dropped.is_empty());
    }
}
