//! Graph queries over one workflow: what is reachable from its entries, what lies upstream of
//! an activity.

use crate::model::Workflow;
use std::collections::BTreeSet;

/// The ids of activities reachable from a Start or External signal (entries included), in
/// time linear in activities plus transitions.
pub fn reachable_from_entries(wf: &Workflow) -> BTreeSet<&str> {
    let links = wf.links();
    let starts = wf
        .activities
        .iter()
        .filter(|a| a.kind.is_entry())
        .map(|a| a.id.as_str());
    walk(starts, |id| {
        links.outgoing(id).map(|t| t.to.as_str()).collect()
    })
}

/// The ids of activities from which `id` can be reached (`id` excluded unless on a cycle).
pub fn upstream_of<'a>(wf: &'a Workflow, id: &str) -> BTreeSet<&'a str> {
    let links = wf.links();
    let preds = |n: &str| -> Vec<&'a str> { links.incoming(n).map(|t| t.from.as_str()).collect() };
    walk(preds(id).into_iter(), preds)
}

/// Every id reached from `starts` by following `next` (the starts included).
pub(super) fn walk<'a>(
    starts: impl Iterator<Item = &'a str>,
    next: impl Fn(&str) -> Vec<&'a str>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&str> = starts.collect();
    while let Some(id) = todo.pop() {
        if seen.insert(id) {
            todo.extend(next(id));
        }
    }
    seen
}
