//! What the simulator shows on the other panels, as plain data without egui: the canvas
//! [`Overlay`] of one workflow (the selected run's path, the stepping position, breakpoints) and a
//! scenario's last result ([`ScenarioMark`]) for the Scenarios tab. The simulator panel fills
//! them; the canvas and the Scenarios tab read them, without knowing the simulator panel.
//!
//! This module imports nothing else from `ui`.

use crate::model::{Port, Transition};
use crate::sim::coverage::WorkflowCoverage;
use crate::sim::{RunId, Visit, VisitStatus};
use std::collections::{BTreeMap, BTreeSet};

/// What the simulator shows on the canvas of one workflow: the path of the selected run, the
/// activity a stepping simulation is at, and the breakpoints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    /// Visits per activity id in the selected run (absent: not visited).
    pub visits: BTreeMap<String, usize>,
    /// Transitions the selected run took: (from, port, to).
    pub taken: BTreeSet<(String, Port, String)>,
    /// The population that went through each taken transition, summed over the visits of its
    /// source (absent: the visits that took it counted nothing).
    pub counts: BTreeMap<(String, Port, String), usize>,
    /// The run the path is of.
    pub run: Option<RunId>,
    /// The activity the stepping simulation visited last.
    pub current: Option<String>,
    /// The next activity a stepping simulation will visit.
    pub next: Option<String>,
    /// Activities that failed in the selected run.
    pub failed: BTreeSet<String>,
    /// Activities whose latest visit in the selected run did not run: held (Enable but do not
    /// execute, not released yet), skipped (Do not enable) or suspended (the workflow waits on
    /// its failure).
    pub kept: BTreeMap<String, VisitStatus>,
    /// Activities with a breakpoint.
    pub breakpoints: BTreeSet<String>,
    /// Coverage is shown instead of a run: `visits` counts the visits of every scenario's runs
    /// and `taken` the transitions they took.
    pub coverage: bool,
    /// Activities no saved scenario reaches (when coverage is shown).
    pub missed: BTreeSet<String>,
    /// Transitions no saved scenario takes (when coverage is shown): (from, port, to).
    pub missed_transitions: BTreeSet<(String, Port, String)>,
}

impl Overlay {
    /// What the saved scenarios reach of one workflow, with its breakpoints.
    pub fn from_coverage(coverage: &WorkflowCoverage, breakpoints: BTreeSet<String>) -> Overlay {
        let mut o = Overlay {
            coverage: true,
            breakpoints,
            ..Overlay::default()
        };
        for (id, n) in &coverage.activities {
            if *n > 0 {
                o.visits.insert(id.clone(), *n);
            } else {
                o.missed.insert(id.clone());
            }
        }
        for (t, n) in &coverage.transitions {
            let key = (t.from.clone(), t.port.clone(), t.to.clone());
            if *n > 0 {
                o.taken.insert(key);
            } else {
                o.missed_transitions.insert(key);
            }
        }
        o
    }

    /// Adds the path of `run` in `workflow` from a simulator's `trace`: visits per activity,
    /// failures, the transitions of `transitions` out of each visit through the ports it took,
    /// and the population each carried (the visit's count out).
    pub fn add_path(
        &mut self,
        trace: &[Visit],
        workflow: &str,
        transitions: &[Transition],
        run: RunId,
    ) {
        self.run = Some(run);
        for v in trace
            .iter()
            .filter(|v| v.run == run && v.workflow == workflow)
        {
            if v.ran() {
                *self.visits.entry(v.activity.clone()).or_default() += 1;
                self.kept.remove(&v.activity);
            } else {
                self.kept.insert(v.activity.clone(), v.status);
            }
            if v.error.is_some() && v.ran() {
                self.failed.insert(v.activity.clone());
            }
            for t in transitions {
                if t.from == v.activity && v.ports.contains(&t.port) {
                    let key = (t.from.clone(), t.port.clone(), t.to.clone());
                    if let Some(n) = v.count_out {
                        *self.counts.entry(key.clone()).or_default() += n;
                    }
                    self.taken.insert(key);
                }
            }
        }
    }
}

/// A scenario's last result.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioMark {
    /// Every difference from its expectations (empty: passed).
    pub differences: Vec<String>,
    /// The design revision it ran on.
    pub rev: u64,
}
