//! Contract changes between two versions of a design: for each External signal, every change of
//! what callers may send or receive, classified for each kind of caller (API callers, Ends
//! inside the design), with the saved scenarios of the old version that the new one rejects as
//! evidence. `flowcall diff` prints it; the designer shows it against the last saved version.
//!
//! [`compare`] is the one entry point (or [`compare_with`] when the `check` diagnostics of both
//! versions are already at hand, as in the designer). Values a change rejects are found by
//! trying them through the simulator's own trigger validation (`sim::trigger`), End triggers
//! that no longer fit come from `check`, and each signal carries the digest of its canonical
//! contract (`model::contract_hash`), the same as the `x-flowcall-contract` of the exports.
//! docs/DIFF.md documents every classification and the JSON shape.

mod callers;
mod change;
mod life;
mod pairing;
mod params;
mod probe;

pub use change::*;

use crate::check::Diagnostic;
use crate::model::{Cooldown, Design};
use serde::Serialize;

/// Compares `old` with `new`: every contract change, the Ends of `new` they break and the
/// scenarios of `old` that `new` rejects. Runs `check` on both; see [`compare_with`].
pub fn compare(old: &Design, new: &Design) -> ContractDiff {
    compare_with(
        old,
        new,
        &crate::check::check(old),
        &crate::check::check(new),
    )
}

/// [`compare`] with the `check` diagnostics of both versions already computed (the designer
/// keeps them): the End triggers that fail in `new` but not in `old` and follow from a contract
/// change are listed as breaking inside.
pub fn compare_with(
    old: &Design,
    new: &Design,
    old_diagnostics: &[Diagnostic],
    new_diagnostics: &[Diagnostic],
) -> ContractDiff {
    let mut diff = ContractDiff::default();
    cooldown(old, new, &mut diff.changes);
    for pairing in pairing::pair_workflows(old, new) {
        pairing::compare_workflow(&pairing, &mut diff);
        life::life_changes(&pairing, &mut diff.changes);
    }
    callers::end_triggers(new, old_diagnostics, new_diagnostics, &mut diff);
    diff.scenarios = callers::rejected_scenarios(old, new);
    group_changes(&mut diff);
    mark_status(&mut diff);
    diff
}

/// Puts each change after its signal's earlier ones (the Ends it breaks were found last):
/// the design's first, then each signal's in order, its workflow's own before it.
fn group_changes(diff: &mut ContractDiff) {
    let signals = &diff.signals;
    let group = |c: &Change| -> usize {
        let at = |p: &SignalPair| match (p.location(), &c.workflow, &c.signal) {
            (Some((pw, ps)), Some(w), Some(s)) => pw == w && ps == s,
            (Some((pw, _)), Some(w), None) => pw == w,
            _ => false,
        };
        match c.workflow {
            None => 0,
            Some(_) => signals.iter().position(at).map_or(usize::MAX, |i| i + 1),
        }
    };
    let mut keyed: Vec<(usize, Change)> = std::mem::take(&mut diff.changes)
        .into_iter()
        .map(|c| (group(&c), c))
        .collect();
    keyed.sort_by_key(|(g, _)| *g);
    diff.changes = keyed.into_iter().map(|(_, c)| c).collect();
}

/// Sets each signal's status and whether it breaks, from its changes.
fn mark_status(diff: &mut ContractDiff) {
    for pair in &mut diff.signals {
        let Some((w, s)) = pair.location().map(|(w, s)| (w.to_owned(), s.to_owned())) else {
            continue;
        };
        let mine = diff
            .changes
            .iter()
            .filter(|c| c.workflow.as_deref() == Some(&w) && c.signal.as_deref() == Some(&s));
        let (mut any, mut breaking) = (false, false);
        for c in mine {
            any = true;
            breaking |= c.class.breaks();
        }
        breaking |= diff
            .scenarios
            .iter()
            .any(|r| r.workflow == w && r.signal == s);
        pair.breaking = breaking;
        pair.status = match (&pair.old, &pair.new) {
            (Some(_), None) => Status::Removed,
            (None, Some(_)) => Status::Added,
            _ if any => Status::Changed,
            _ => Status::Unchanged,
        };
    }
}

/// The design's trigger cooldown: longer (or switched on) breaks callers that trigger more
/// often; shorter or off is compatible.
fn cooldown(old: &Design, new: &Design, out: &mut Vec<Change>) {
    let seconds = |c: Cooldown| match c {
        Cooldown::Off => None,
        Cooldown::Seconds(n) => Some(n),
    };
    let from = seconds(old.compatibility.trigger_cooldown);
    let to = seconds(new.compatibility.trigger_cooldown);
    if from == to {
        return;
    }
    let shown = |s: Option<u64>| s.map_or("off".to_owned(), |n| format!("{n} s"));
    let longer = match (from, to) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b > a,
    };
    let (class, consequence) = if longer {
        (
            Class::Breaking,
            "callers that trigger a signal more often than that are refused (429 Too Many Requests)",
        )
    } else {
        (
            Class::Compatible,
            "every call allowed before is still allowed",
        )
    };
    out.push(Change::new(
        class,
        (None, None),
        None,
        Kind::CooldownChanged { from, to },
        format!(
            "the trigger cooldown is now {} (it was {})",
            shown(to),
            shown(from)
        ),
        consequence,
    ));
}

/// The document `flowcall diff --json` prints (docs/DIFF.md): the format, both files, whether
/// anything breaks, the counts, then the signals, the changes and the rejected scenarios.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// The old file, as given.
    pub old: &'a str,
    /// The new file, as given.
    pub new: &'a str,
    /// Whether anything breaks a caller (the exit code is then 1).
    pub breaking: bool,
    /// The counts.
    pub summary: Summary,
    /// Every signal of either version.
    pub signals: &'a [SignalPair],
    /// Every change.
    pub changes: &'a [Change],
    /// The saved scenarios of the old version that the new one rejects.
    pub scenarios: &'a [RejectedScenario],
}

impl ContractDiff {
    /// The JSON document of this comparison of the files `old` and `new`.
    pub fn report<'a>(&'a self, old: &'a str, new: &'a str) -> Report<'a> {
        let summary = self.summary();
        Report {
            format: FORMAT,
            old,
            new,
            breaking: summary.is_breaking(),
            summary,
            signals: &self.signals,
            changes: &self.changes,
            scenarios: &self.scenarios,
        }
    }
}

#[cfg(test)]
mod tests;
