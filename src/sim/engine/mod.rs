//! The simulator engine (docs/SIMULATOR.md): one session over a prepared design, its workflow
//! states, runs and virtual clock, and the discrete-event loop that visits activities one at a
//! time. Pending visits wait in a queue ordered by (virtual time, sequence number), so results
//! are deterministic and a debugger can step, stop at breakpoints and inspect every piece of
//! state between steps.
//!
//! One room per concern: this module holds the session and its types; `lifecycle` the states
//! of workflows and the ends of runs (start, pause, resume, stop, restart, release; finished
//! or failed, the run window, a reset for batches); `intake` the trigger path's stateful part
//! (validation against the state and the cooldown, the paused queue, starting runs);
//! `schedule` the pending visits (those of a paused or erroneous workflow parked until it
//! resumes), each trigger's visit budget and the loop it names, AND-joins, and an activity's
//! execution options (held, skipped); `activities` what a visit of each kind decides, one
//! function per kind over the compiled plan; `effect` what a visit changes and what it records
//! (the trace and the runs' own records only when the session keeps detail), and what a
//! failure does (ignored, or the workflow suspended).

pub(super) mod activities;
mod effect;
pub(super) mod error;
mod intake;
mod lifecycle;
mod queue;
mod schedule;

use super::files::FileMatches;
use super::plan::Sym;
use super::population::{DataSet, Population};
use super::prepared::Prepared;
use super::run::{OutboxEntry, Run, RunId, TriggerError, Visit};
use super::trigger::Injected;
use crate::model::{Cooldown, Value, format_datetime};
use jiff::Timestamp;
use queue::{Due, Pending};
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// Activity visits allowed to one trigger by default: the run it starts and the runs its End
/// activities start at once, together.
pub const DEFAULT_STEP_LIMIT: usize = 10_000;

/// How many recipients' addresses an outbox entry shows.
pub const OUTBOX_SAMPLE: usize = 5;

pub use crate::model::WorkflowState;

/// A command on a workflow's state (docs/SIMULATOR.md, "Workflow states"); Release, which
/// concerns one activity, is [`Simulator::release`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkflowCommand {
    /// Starts a workflow never started or stopped.
    Start,
    /// Pauses a started workflow.
    Pause,
    /// Resumes a paused or erroneous workflow.
    Resume,
    /// Stops a workflow.
    Stop,
    /// Stops a workflow (unless it is stopped) and starts it again.
    Restart,
}

impl WorkflowCommand {
    /// Every command, in the order the designer shows them.
    pub const ALL: [WorkflowCommand; 5] = [
        WorkflowCommand::Start,
        WorkflowCommand::Pause,
        WorkflowCommand::Resume,
        WorkflowCommand::Stop,
        WorkflowCommand::Restart,
    ];

    /// `start`, `pause`, `resume`, `stop`, `restart`.
    pub fn name(self) -> &'static str {
        match self {
            WorkflowCommand::Start => "start",
            WorkflowCommand::Pause => "pause",
            WorkflowCommand::Resume => "resume",
            WorkflowCommand::Stop => "stop",
            WorkflowCommand::Restart => "restart",
        }
    }

    /// The command of a name (`None` for any other word).
    pub fn parse(name: &str) -> Option<WorkflowCommand> {
        WorkflowCommand::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A simulator control error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// Moving the virtual clock would pass the latest time it can hold.
    #[error(
        "cannot move the virtual clock {seconds} seconds forward from {from}: that is past the latest time it can hold ({latest}); advance it by less"
    )]
    ClockOverflow {
        /// The clock before.
        from: String,
        /// The seconds asked for.
        seconds: u64,
        /// The latest time the clock can hold.
        latest: String,
    },
    /// No workflow has this id.
    #[error("workflow '{0}' does not exist")]
    UnknownWorkflow(String),
    /// The command does not apply in the workflow's state.
    #[error("cannot {action} workflow '{workflow}': it is {state}{hint}")]
    InvalidTransition {
        /// The workflow id.
        workflow: String,
        /// `start`, `pause`, `resume`, `stop` or `restart`.
        action: &'static str,
        /// The current state's name.
        state: &'static str,
        /// What would apply instead (` (resume it)`), or nothing.
        hint: &'static str,
    },
    /// No activity of the workflow has this id.
    #[error("workflow '{workflow}' has no activity '{activity}'")]
    UnknownActivity {
        /// The workflow id.
        workflow: String,
        /// The activity id.
        activity: String,
    },
    /// Release named an activity that holds no task.
    #[error("cannot release '{activity}' of workflow '{workflow}': it holds no task ({why})")]
    NothingHeld {
        /// The workflow id.
        workflow: String,
        /// The activity id.
        activity: String,
        /// Why: its execution option, or that no branch has reached it.
        why: &'static str,
    },
    /// The session cannot go on over an edited design.
    #[error(
        "the session cannot go on with the edited design: {0}; restart the workflows (or run again) to use it"
    )]
    DesignChanged(String),
}

/// What a trigger gave.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerOutcome {
    /// Accepted: this run started.
    Started(RunId),
    /// Accepted while the workflow is paused: delivered on resume.
    Queued,
    /// Refused, with every problem.
    Rejected(Vec<TriggerError>),
}

impl TriggerOutcome {
    /// True unless rejected.
    pub fn accepted(&self) -> bool {
        !matches!(self, TriggerOutcome::Rejected(_))
    }

    /// The problems of a rejected trigger (empty otherwise).
    pub fn errors(&self) -> &[TriggerError] {
        match self {
            TriggerOutcome::Rejected(e) => e,
            _ => &[],
        }
    }
}

/// A pending visit: a run's population on its way to an activity.
#[derive(Debug, Clone)]
pub struct Token {
    /// The run.
    pub run: RunId,
    /// The workflow index in the design.
    pub workflow: usize,
    /// The activity index in the workflow.
    pub activity: usize,
    /// The transition it came along (`None` at the run's first activity).
    pub via: Option<usize>,
    /// The rows carried.
    pub population: Population,
    /// The files transferred upstream, for Load file.
    pub files: Option<Arc<Vec<String>>>,
    /// Released from an activity set to "Enable but do not execute" (or run again on resume):
    /// the activity runs instead of holding it.
    pub released: bool,
}

/// The failed visit an erroneous workflow waits with: Resume runs it again.
#[derive(Debug, Clone)]
pub struct Suspension {
    /// The visit, as it will run again.
    pub token: Token,
    /// The activity id.
    pub activity: String,
    /// The error.
    pub message: String,
    /// When it failed, on the virtual clock.
    pub since: Timestamp,
    /// The step number of the failed visit in the trace.
    pub step: usize,
}

/// A branch held at an activity set to "Enable but do not execute", until released.
#[derive(Debug, Clone)]
pub struct Hold {
    /// The visit, as it will run when released.
    pub token: Token,
    /// The activity id.
    pub activity: String,
    /// When it arrived, on the virtual clock.
    pub since: Timestamp,
    /// The step number of its arrival in the trace.
    pub step: usize,
}

/// A pending visit in the queue, ordered so that the heap pops the earliest (time, sequence).
#[derive(Debug, Clone)]
pub(super) struct Queued {
    pub(super) at: Timestamp,
    seq: u64,
    pub(super) token: Token,
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Due for Queued {
    /// The earliest time first, then the order of queueing.
    fn due(&self) -> (Timestamp, u64) {
        (self.at, self.seq)
    }
}

impl Ord for Queued {
    /// Reversed: the earliest (time, sequence) is the greatest, popped first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// A trigger accepted while its workflow is paused.
#[derive(Debug, Clone)]
pub struct HeldTrigger {
    /// The External signal activity index.
    pub signal: usize,
    /// Who triggered.
    pub source: String,
    /// The calling run, for chained triggers.
    pub parent: Option<RunId>,
    /// The validated variables.
    pub injected: Injected,
}

/// Why stepping stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// Nothing is left to do.
    Idle,
    /// The next visit is at this breakpoint (workflow id, activity id).
    Breakpoint(String, String),
    /// A trigger spent its visit budget: its runs failed with this message (which names the
    /// loop when there is one). Other runs were not touched.
    Halted(String),
}

/// What one call to [`Simulator::step`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Stepped {
    /// Visited an activity: the index of the visit in the trace.
    Visited(usize),
    /// Nothing was pending.
    Idle,
    /// The next visit was over its trigger's visit budget: that trigger's runs failed with
    /// this message, nothing was visited, and the rest of the session goes on.
    Halted(String),
}

/// Breakpoints: (workflow id, activity id) pairs.
pub type Breakpoints = BTreeSet<(String, String)>;

/// One simulator session over a prepared design.
#[derive(Debug)]
pub struct Simulator {
    prepared: Arc<Prepared>,
    s: Session,
}

/// Everything a session changes, apart from the prepared design it reads, so that the rooms
/// of the engine read the design while they change the session.
#[derive(Debug)]
struct Session {
    states: Vec<WorkflowState>,
    /// The pending visits of each paused or erroneous workflow, until it resumes.
    parked: Vec<Vec<Queued>>,
    /// The failed visit each erroneous workflow waits with.
    suspended: Vec<Option<Suspension>>,
    /// The branches held at activities set to "Enable but do not execute", in arrival order.
    holds: Vec<Hold>,
    /// Each workflow's ignored failures since its last run that finished without error.
    errors_in_row: Vec<u32>,
    clock: Timestamp,
    runs: Vec<Run>,
    /// Runs of the sessions before a [`Simulator::reset`], whose buffers new runs take.
    spare_runs: Vec<Run>,
    queue: Pending<Queued>,
    seq: u64,
    held: Vec<VecDeque<HeldTrigger>>,
    /// When each External signal was last triggered, by design-wide activity slot.
    last_trigger: Vec<Option<Timestamp>>,
    joins: BTreeMap<(RunId, usize, usize), Vec<(usize, Population)>>,
    outbox: Vec<OutboxEntry>,
    trace: Vec<Visit>,
    saved: BTreeMap<String, Population>,
    /// The data set of the empty populations runs begin with: the session's own, so that
    /// sessions on other threads never share its reference count.
    empty: Arc<DataSet>,
    /// The room of the lists a visit's effect fills, kept from one visit to the next.
    spare_sets: Vec<(Sym, Value)>,
    spare_emit: Vec<(usize, Population)>,
    /// The paths Transfer files matched in this session.
    matches: RefCell<FileMatches>,
    steps: usize,
    last_halt: Option<String>,
    uuids: Cell<u64>,
    first_id: RunId,
    step_limit: usize,
    detail: bool,
    window: Option<usize>,
    keep_visits: bool,
}

impl Simulator {
    /// A fresh simulator: every workflow not started, the clock at the sample's `clock_start`.
    pub fn new(prepared: Arc<Prepared>) -> Self {
        let n = prepared.design.workflows.len();
        Simulator {
            s: Session {
                clock: prepared.design.sample.clock_start,
                states: vec![WorkflowState::NotStarted; n],
                parked: vec![Vec::new(); n],
                suspended: vec![None; n],
                holds: Vec::new(),
                errors_in_row: vec![0; n],
                held: vec![VecDeque::new(); n],
                runs: Vec::new(),
                spare_runs: Vec::new(),
                queue: Pending::default(),
                seq: 0,
                last_trigger: vec![None; prepared.plan().activities],
                joins: BTreeMap::new(),
                outbox: Vec::new(),
                trace: Vec::new(),
                saved: BTreeMap::new(),
                empty: Arc::new(DataSet::default()),
                spare_sets: Vec::new(),
                spare_emit: Vec::new(),
                matches: RefCell::default(),
                step_limit: DEFAULT_STEP_LIMIT,
                steps: 0,
                detail: true,
                last_halt: None,
                uuids: Cell::new(0),
                window: None,
                first_id: 1,
                keep_visits: true,
            },
            prepared,
        }
    }

    /// Sets the number of activity visits allowed to each trigger (its run and the runs its
    /// End activities start at once).
    pub fn with_step_limit(mut self, limit: usize) -> Self {
        self.s.step_limit = limit;
        self
    }

    /// Keeps the trace of visits (on by default) or not; with it off, runs still record their
    /// paths, resolved settings are not kept. A long-lived session that shows runs but not
    /// visits (`flowcall serve`) saves most of its memory this way.
    pub fn with_visits(mut self, on: bool) -> Self {
        self.s.keep_visits = on;
        self
    }

    /// Keeps the trace, resolved settings, paths, variables with their origins and changes,
    /// warnings and outbox entries (on by default), or only what a batch reports of each run
    /// (its ids, source, parent, status, conversions, Ends and errors, and how many outbox
    /// entries it added): the rest stays empty, and visits decide without writing it.
    pub fn with_trace(mut self, on: bool) -> Self {
        self.s.detail = on;
        self
    }

    /// Keeps at most about `keep` finished runs (with their visits and outbox entries); older
    /// ones are dropped, oldest first, in batches of a quarter of the window, so up to
    /// `keep + keep / 4` may be held at a time. Running runs are never dropped. `None` keeps
    /// every run (the default).
    pub fn set_run_window(&mut self, keep: Option<usize>) {
        self.s.window = keep.map(|k| k.max(1));
        self.s.trim_runs();
    }

    /// True when run `id` existed but was dropped by the run window.
    pub fn evicted(&self, id: RunId) -> bool {
        id >= 1 && id < self.s.first_id
    }

    /// How many runs this session has started, dropped ones included.
    pub fn runs_total(&self) -> u64 {
        self.s.runs_total()
    }

    /// Changes the number of activity visits allowed to each trigger.
    pub fn set_step_limit(&mut self, limit: usize) {
        self.s.step_limit = limit;
    }

    /// The number of activity visits allowed to each trigger.
    pub fn step_limit(&self) -> usize {
        self.s.step_limit
    }

    /// When the cooldown next allows `workflow`'s `signal` to be triggered, if it does not now
    /// (`None` when allowed now, the cooldown is off, or the target does not exist).
    pub fn next_trigger_allowed(&self, workflow: &str, signal: &str) -> Option<Timestamp> {
        let Cooldown::Seconds(n) = self.prepared.design.compatibility.trigger_cooldown else {
            return None;
        };
        let plan = self.prepared.plan();
        let w = self.prepared.workflow_index(workflow)?;
        let s = plan
            .workflows
            .get(w)?
            .steps
            .iter()
            .position(|a| a.id == signal)?;
        let last = (*self.s.last_trigger.get(plan.slot(w, s)?)?)?;
        let next = later(last, n).unwrap_or(Timestamp::MAX);
        (self.s.clock < next).then_some(next)
    }

    /// The number of activity visits so far.
    pub fn steps(&self) -> usize {
        self.s.steps
    }

    /// The prepared design.
    pub fn prepared(&self) -> &Arc<Prepared> {
        &self.prepared
    }

    /// The virtual clock.
    pub fn clock(&self) -> Timestamp {
        self.s.clock
    }

    /// Moves the virtual clock forward (pending visits keep their times); refused, with the
    /// clock unchanged, when it would pass the latest time the clock can hold.
    pub fn advance_clock(&mut self, seconds: u64) -> Result<(), SimError> {
        self.s.clock = later(self.s.clock, seconds).ok_or_else(|| SimError::ClockOverflow {
            from: format_datetime(&self.s.clock),
            seconds,
            latest: format_datetime(&Timestamp::MAX),
        })?;
        Ok(())
    }

    /// Every run, in order of start.
    pub fn runs(&self) -> &[Run] {
        &self.s.runs
    }

    /// The run with this id (`None` when it never existed or the run window dropped it).
    pub fn run(&self, id: RunId) -> Option<&Run> {
        self.s.run(id)
    }

    /// The pending visits in the order they will happen, with their times.
    pub fn pending(&self) -> impl Iterator<Item = (Timestamp, &Token)> {
        let mut all: Vec<&Queued> = self.s.queue.iter().collect();
        all.sort_by(|a, b| b.cmp(a));
        all.into_iter().map(|q| (q.at, &q.token))
    }

    /// The next pending visit as (workflow id, activity id).
    pub fn next_visit(&self) -> Option<(&str, &str)> {
        let tok = &self.s.queue.peek()?.token;
        self.ids(tok.workflow, tok.activity)
    }

    /// The most recent visit (the "current activity" of a debugger).
    pub fn current(&self) -> Option<&Visit> {
        self.s.trace.last()
    }

    /// Every visit so far, in order.
    pub fn trace(&self) -> &[Visit] {
        &self.s.trace
    }

    /// The emails recorded so far, in order.
    pub fn outbox(&self) -> &[OutboxEntry] {
        &self.s.outbox
    }

    /// Audiences saved in this session, by label.
    pub fn saved_audiences(&self) -> &BTreeMap<String, Population> {
        &self.s.saved
    }

    /// Triggers waiting for a paused workflow to resume.
    pub fn held_triggers(&self, workflow: &str) -> &[HeldTrigger] {
        match self.prepared.workflow_index(workflow) {
            Some(i) => self.s.held.get(i).map_or(&[], |q| q.as_slices().0),
            None => &[],
        }
    }

    /// The message of the latest step-limit halt: a trigger that spent its visit budget (its
    /// runs failed with it; the session goes on).
    pub fn halted(&self) -> Option<&str> {
        self.s.last_halt.as_deref()
    }

    /// True when nothing is pending.
    pub fn is_idle(&self) -> bool {
        self.s.queue.is_empty()
    }

    /// The state of a workflow.
    pub fn state(&self, workflow: &str) -> Option<WorkflowState> {
        self.s
            .states
            .get(self.prepared.workflow_index(workflow)?)
            .copied()
    }

    /// The failed visit an erroneous workflow waits with (`None` unless it is erroneous).
    pub fn suspension(&self, workflow: &str) -> Option<&Suspension> {
        self.s
            .suspended
            .get(self.prepared.workflow_index(workflow)?)?
            .as_ref()
    }

    /// The branches held at activities set to "Enable but do not execute", in arrival order.
    pub fn holds(&self) -> &[Hold] {
        &self.s.holds
    }

    /// The pending visits of a paused or erroneous workflow, waiting for it to resume.
    pub fn parked(&self, workflow: &str) -> usize {
        self.prepared
            .workflow_index(workflow)
            .and_then(|w| self.s.parked.get(w))
            .map_or(0, Vec::len)
    }

    /// The failures of `workflow`'s activities ignored since its last run that finished
    /// without error, which its consecutive-errors threshold counts.
    pub fn errors_in_row(&self, workflow: &str) -> u32 {
        self.prepared
            .workflow_index(workflow)
            .and_then(|w| self.s.errors_in_row.get(w))
            .copied()
            .unwrap_or(0)
    }

    fn ids(&self, w: usize, a: usize) -> Option<(&str, &str)> {
        let wf = self.prepared.plan().workflows.get(w)?;
        Some((wf.id.as_str(), wf.steps.get(a)?.id.as_str()))
    }
}

impl Session {
    fn runs_total(&self) -> u64 {
        self.first_id - 1 + self.runs.len() as u64
    }

    fn run(&self, id: RunId) -> Option<&Run> {
        self.runs
            .get(usize::try_from(id.checked_sub(self.first_id)?).ok()?)
    }

    fn run_mut(&mut self, id: RunId) -> Option<&mut Run> {
        self.runs
            .get_mut(usize::try_from(id.checked_sub(self.first_id)?).ok()?)
    }

    /// The root of run `id`'s trigger (itself when its root was dropped by the run window).
    fn root_of(&self, id: RunId) -> RunId {
        match self.run(id) {
            Some(r) if self.run(r.root).is_some() => r.root,
            _ => id,
        }
    }
}

/// `at` plus `seconds`, or `None` past the latest time the clock can hold.
fn later(at: Timestamp, seconds: u64) -> Option<Timestamp> {
    crate::model::time::add_seconds(at, i64::try_from(seconds).ok()?)
}
