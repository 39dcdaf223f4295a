//! What drawing shows of the shared session, copied once per frame under a single lock
//! ([`SessionView::refresh`]): the clock, each workflow's state, the runs (as rows of the runs
//! list), the selected run with its chained runs and outbox, its visits of the selected
//! activity, and the canvas overlay of the current workflow. Drawing then reads this copy and
//! never locks the session, which the trigger endpoint and background jobs share. What costs
//! more than a few fields is copied again only when the session moved on (a step, a new run,
//! a command, another session); the run tree is built after the lock is released.

use crate::model::{Design, Workflow};
use crate::sim::{
    Breakpoints, OutboxEntry, Run, RunId, RunStatus, Simulator, Visit, WorkflowState,
};
use crate::ui::command::WorkflowMethod;
use crate::ui::overlay::Overlay;
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// One workflow's line of the states table.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowRow {
    /// The workflow id.
    pub id: String,
    /// Its state (`None`: not in the session yet; a reset adds it).
    pub state: Option<WorkflowState>,
    /// Triggers queued while paused or erroneous.
    pub held: usize,
    /// Per [`WorkflowMethod::ALL`]: why the state refuses it (`None`: it applies).
    pub refusals: Vec<Option<String>>,
    /// The failed activity an erroneous workflow waits with, and its error.
    pub suspended: Option<(String, String)>,
    /// The activities holding branches (Enable but do not execute), each with how many.
    pub holds: Vec<(String, usize)>,
}

impl WorkflowRow {
    /// The row of `workflow` in `sim`.
    fn of(sim: &Simulator, workflow: &str) -> WorkflowRow {
        let index = sim.prepared().workflow_index(workflow);
        let mut holds: Vec<(String, usize)> = Vec::new();
        for h in sim
            .holds()
            .iter()
            .filter(|h| Some(h.token.workflow) == index)
        {
            match holds.iter_mut().find(|(a, _)| *a == h.activity) {
                Some((_, n)) => *n += 1,
                None => holds.push((h.activity.clone(), 1)),
            }
        }
        WorkflowRow {
            id: workflow.to_owned(),
            state: sim.state(workflow),
            held: sim.held_triggers(workflow).len(),
            refusals: WorkflowMethod::ALL
                .iter()
                .map(|m| {
                    sim.allows(workflow, m.command())
                        .err()
                        .map(|e| e.to_string())
                })
                .collect(),
            suspended: sim
                .suspension(workflow)
                .map(|s| (s.activity.clone(), s.message.clone())),
            holds,
        }
    }
}

/// How many tasks the Log and tasks view keeps: the latest.
pub const TASKS_SHOWN: usize = 500;

/// One line of the runs list.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// The run.
    pub id: RunId,
    /// How deep it is chained (0: a root).
    pub depth: usize,
    /// Its workflow.
    pub workflow: String,
    /// Its signal.
    pub signal: String,
    /// Who triggered it.
    pub source: String,
    /// Its state.
    pub status: RunStatus,
    /// The run whose End triggered it.
    pub parent: Option<RunId>,
    /// When it started, on the virtual clock.
    pub started_at: Timestamp,
}

/// The selected run and what surrounds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDetail {
    /// The run.
    pub run: Run,
    /// The workflow of the run that triggered it, when that run is in the session.
    pub parent_workflow: Option<String>,
    /// The runs it triggered: (id, workflow).
    pub children: Vec<(RunId, String)>,
    /// Its outbox entries.
    pub outbox: Vec<OutboxEntry>,
}

/// Marks of how far the session has moved on: what is copied again when it changes.
type Moved = (u64, u64, usize, usize);

/// What the overlay's path depends on: (moved, design revision, workflow, run).
type PathKey = (Moved, u64, String, Option<RunId>);

/// What drawing shows of the session this frame.
#[derive(Debug, Default)]
pub struct SessionView {
    /// The virtual clock.
    pub clock: Timestamp,
    /// A workflow per design workflow, in design order.
    pub states: Vec<WorkflowRow>,
    /// The step-limit error, when the session was halted.
    pub halted: Option<String>,
    /// Every run, roots newest first (as the session lists them), each followed by its chain.
    pub rows: Vec<RunRow>,
    /// The selected run, when it is in the session.
    pub detail: Option<RunDetail>,
    /// The selected run's visits of the selected activity (for the inspector).
    pub visits: Vec<Visit>,
    /// The overlay of the current workflow.
    pub overlay: Overlay,
    /// The Log and tasks: the latest [`TASKS_SHOWN`] visits of the session, in order.
    pub tasks: Vec<Visit>,
    /// When the cooldown next lets the run form's signal be triggered, while it does not now.
    pub next_allowed: Option<Timestamp>,
    moved: Option<Moved>,
    detail_key: Option<(Moved, Option<RunId>)>,
    visits_key: Option<(Moved, Option<RunId>, String, String)>,
    path_key: Option<PathKey>,
}

/// What the view is of: the design and the selection of the frame.
pub struct ViewOf<'a> {
    /// The design.
    pub design: &'a Design,
    /// Its revision.
    pub rev: u64,
    /// Counts session replacements.
    pub generation: u64,
    /// Counts the commands the panel applied to the session.
    pub applied: u64,
    /// The selected run.
    pub run: Option<RunId>,
    /// The current workflow.
    pub workflow: Option<&'a str>,
    /// The selected activity.
    pub activity: Option<&'a str>,
    /// The breakpoints.
    pub breakpoints: &'a Breakpoints,
    /// The signal the run form triggers: (workflow, signal).
    pub target: Option<(&'a str, &'a str)>,
}

impl SessionView {
    /// Copies what drawing needs from `sim` (the caller holds its lock for this call only), then
    /// builds the run tree when the runs changed.
    pub fn refresh(&mut self, sim: &Simulator, of: &ViewOf<'_>) {
        let moved = (of.generation, of.applied, sim.runs().len(), sim.steps());
        self.clock = sim.clock();
        self.halted = sim.halted().map(str::to_owned);
        self.next_allowed = of.target.and_then(|(w, s)| sim.next_trigger_allowed(w, s));
        self.states = of
            .design
            .workflows
            .iter()
            .map(|w| WorkflowRow::of(sim, &w.id))
            .collect();
        let flat = (self.moved != Some(moved)).then(|| flat_rows(sim));
        if self.moved != Some(moved) {
            let trace = sim.trace();
            let from = trace.len().saturating_sub(TASKS_SHOWN);
            self.tasks = trace.get(from..).map(<[Visit]>::to_vec).unwrap_or_default();
        }
        self.moved = Some(moved);
        self.refresh_detail(sim, of, moved);
        self.refresh_visits(sim, of, moved);
        self.refresh_overlay(sim, of, moved);
        if let Some(flat) = flat {
            self.rows = run_tree(flat);
        }
    }

    fn refresh_detail(&mut self, sim: &Simulator, of: &ViewOf<'_>, moved: Moved) {
        if self.detail_key == Some((moved, of.run)) {
            return;
        }
        self.detail_key = Some((moved, of.run));
        self.detail = of.run.and_then(|id| sim.run(id)).map(|run| RunDetail {
            parent_workflow: run
                .parent
                .and_then(|p| sim.run(p))
                .map(|p| p.workflow.clone()),
            children: sim
                .runs()
                .iter()
                .filter(|r| r.parent == Some(run.id))
                .map(|r| (r.id, r.workflow.clone()))
                .collect(),
            outbox: sim
                .outbox()
                .iter()
                .filter(|o| o.run == run.id)
                .cloned()
                .collect(),
            run: run.clone(),
        });
    }

    fn refresh_visits(&mut self, sim: &Simulator, of: &ViewOf<'_>, moved: Moved) {
        let (Some(run), Some(workflow), Some(activity)) = (of.run, of.workflow, of.activity) else {
            self.visits.clear();
            self.visits_key = None;
            return;
        };
        let key = (moved, Some(run), workflow.to_owned(), activity.to_owned());
        if self.visits_key.as_ref() == Some(&key) {
            return;
        }
        self.visits = sim
            .trace()
            .iter()
            .filter(|v| v.run == run && v.workflow == workflow && v.activity == activity)
            .cloned()
            .collect();
        self.visits_key = Some(key);
    }

    fn refresh_overlay(&mut self, sim: &Simulator, of: &ViewOf<'_>, moved: Moved) {
        let Some(workflow) = of.workflow else {
            self.overlay = Overlay::default();
            self.path_key = None;
            return;
        };
        let key = (moved, of.rev, workflow.to_owned(), of.run);
        if self.path_key.as_ref() != Some(&key) {
            self.overlay = Overlay::default();
            if let Some(run) = of.run {
                let wf = of.design.workflow(workflow);
                self.overlay
                    .add_path(sim.trace(), workflow, transitions(wf), run);
            }
            self.path_key = Some(key);
        }
        self.overlay.breakpoints = breakpoints_of(of.breakpoints, workflow);
        (self.overlay.current, self.overlay.next) = position(sim, workflow);
    }
}

fn transitions(wf: Option<&Workflow>) -> &[crate::model::Transition] {
    wf.map_or(&[], |w| w.transitions.as_slice())
}

/// The activities of `workflow` with a breakpoint.
pub fn breakpoints_of(breakpoints: &Breakpoints, workflow: &str) -> BTreeSet<String> {
    breakpoints
        .iter()
        .filter(|(w, _)| w == workflow)
        .map(|(_, a)| a.clone())
        .collect()
}

/// Where a stepping session is in `workflow`: the activity visited last, the one visited next.
pub fn position(sim: &Simulator, workflow: &str) -> (Option<String>, Option<String>) {
    if sim.is_idle() {
        return (None, None);
    }
    let current = sim
        .current()
        .filter(|v| v.workflow == workflow)
        .map(|v| v.activity.clone());
    let next = sim
        .next_visit()
        .filter(|(w, _)| *w == workflow)
        .map(|(_, a)| a.to_owned());
    (current, next)
}

/// The overlay of `workflow` read from `sim` now (not cached: for tests and tools).
pub fn overlay_now(
    sim: &Simulator,
    design: &Design,
    workflow: &str,
    run: Option<RunId>,
    breakpoints: &Breakpoints,
) -> Overlay {
    let mut o = Overlay {
        breakpoints: breakpoints_of(breakpoints, workflow),
        ..Overlay::default()
    };
    if let Some(run) = run {
        o.add_path(
            sim.trace(),
            workflow,
            transitions(design.workflow(workflow)),
            run,
        );
    }
    (o.current, o.next) = position(sim, workflow);
    o
}

/// Every run as a row, in the session's order, depth not yet known.
fn flat_rows(sim: &Simulator) -> Vec<RunRow> {
    sim.runs()
        .iter()
        .map(|r| RunRow {
            id: r.id,
            depth: 0,
            workflow: r.workflow.clone(),
            signal: r.signal.clone(),
            source: r.source.clone(),
            status: r.status,
            parent: r.parent,
            started_at: r.started_at,
        })
        .collect()
}

/// Roots first (newest first), each followed by its chained runs, depth set.
fn run_tree(flat: Vec<RunRow>) -> Vec<RunRow> {
    let ids: BTreeSet<RunId> = flat.iter().map(|r| r.id).collect();
    let mut children: BTreeMap<RunId, Vec<usize>> = BTreeMap::new();
    let mut roots = Vec::new();
    for (i, r) in flat.iter().enumerate() {
        match r.parent {
            Some(p) if ids.contains(&p) => children.entry(p).or_default().push(i),
            _ => roots.push(i),
        }
    }
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(flat.len());
    let mut stack: Vec<(usize, usize)> = roots.iter().map(|i| (*i, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        order.push((i, depth));
        if let Some(run) = flat.get(i)
            && let Some(c) = children.get(&run.id)
        {
            stack.extend(c.iter().rev().map(|j| (*j, depth + 1)));
        }
    }
    let mut slots: Vec<Option<RunRow>> = flat.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(i, depth)| {
            let mut row = slots.get_mut(i)?.take()?;
            row.depth = depth;
            Some(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: RunId, parent: Option<RunId>) -> RunRow {
        RunRow {
            id,
            depth: 0,
            workflow: "W".into(),
            signal: "s".into(),
            source: "t".into(),
            status: RunStatus::Finished,
            parent,
            started_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_run_tree_puts_chained_runs_under_their_parent() {
        // 1 → 2 → 4, 3 alone, 5 chained from a run no longer in the session.
        let flat = vec![
            row(1, None),
            row(2, Some(1)),
            row(3, None),
            row(4, Some(2)),
            row(5, Some(99)),
        ];
        let tree: Vec<(RunId, usize)> = run_tree(flat).iter().map(|r| (r.id, r.depth)).collect();
        assert_eq!(tree, [(5, 0), (3, 0), (1, 0), (2, 1), (4, 2)]);
    }
}
