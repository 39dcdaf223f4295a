//! The simulator engine: workflow states, the trigger path's stateful part (listening state,
//! paused queue, cooldown on the virtual clock), runs, and the discrete-event loop that visits
//! activities one at a time (docs/SIMULATOR.md). Tokens wait in a queue ordered by (virtual time,
//! sequence number), so results are deterministic and a debugger can step, stop at
//! breakpoints and inspect every piece of state between steps.

use super::exprs::{self, Compiled, Scope};
use super::population::Population;
use super::prepared::Prepared;
use super::run::{
    ChainOutcome, EndReached, ErrorKind, OutboxEntry, Run, RunError, RunId, RunStatus,
    TriggerError, Variable, VariableChange, Visit,
};
use super::trigger::{self, Injected, Payload};
use crate::model::{ActivityKind, Cooldown, Port, Value, format_datetime};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value as Json;
use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
use std::sync::Arc;

/// Activity visits allowed to one trigger by default: the run it starts and the runs its End
/// activities start at once, together.
pub const DEFAULT_STEP_LIMIT: usize = 10_000;

/// How many recipients' addresses an outbox entry shows.
pub const OUTBOX_SAMPLE: usize = 5;

/// How many recent visits the step-limit error looks at to name the loop.
const LOOP_WINDOW: usize = 200;

/// The state of a workflow in the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowState {
    /// Not started: triggers are rejected.
    NotStarted,
    /// Listening: triggers start runs.
    Started,
    /// Paused: triggers are queued until resume.
    Paused,
    /// Stopped: triggers are rejected.
    Stopped,
}

impl WorkflowState {
    /// `not started`, `started`, `paused`, `stopped`.
    pub fn name(self) -> &'static str {
        match self {
            WorkflowState::NotStarted => "not started",
            WorkflowState::Started => "started",
            WorkflowState::Paused => "paused",
            WorkflowState::Stopped => "stopped",
        }
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
    #[error("cannot {action} workflow '{workflow}': it is {state}")]
    InvalidTransition {
        /// The workflow id.
        workflow: String,
        /// `start`, `pause`, `resume` or `stop`.
        action: &'static str,
        /// The current state's name.
        state: &'static str,
    },
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
}

/// A pending visit in the queue, ordered so that the heap pops the earliest (time, sequence).
#[derive(Debug, Clone)]
struct Queued {
    at: DateTime<Utc>,
    seq: u64,
    token: Token,
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
    states: Vec<WorkflowState>,
    clock: DateTime<Utc>,
    runs: Vec<Run>,
    queue: BinaryHeap<Queued>,
    seq: u64,
    held: Vec<VecDeque<HeldTrigger>>,
    last_trigger: BTreeMap<(usize, usize), DateTime<Utc>>,
    joins: BTreeMap<(RunId, usize, usize), Vec<(usize, Population)>>,
    outbox: Vec<OutboxEntry>,
    trace: Vec<Visit>,
    saved: BTreeMap<String, Population>,
    step_limit: usize,
    steps: usize,
    detail: bool,
    last_halt: Option<String>,
    uuids: Cell<u64>,
    window: Option<usize>,
    first_id: RunId,
    keep_visits: bool,
}

/// What visiting an activity decided, before it is applied to the state.
#[derive(Default)]
struct Effect {
    detail: bool,
    settings: Vec<(String, String)>,
    notes: Vec<String>,
    error: Option<String>,
    sets: Few<(&'static str, Value)>,
    emit: Few<(Port, Population)>,
    until: Option<DateTime<Utc>>,
    files: Option<Arc<Vec<String>>>,
    outbox: Option<OutboxEntry>,
    save: Option<(String, Population)>,
    end: Option<Option<EndFire>>,
    warn: Option<String>,
}

/// A short list kept inline up to three items (most activities set one or two variables and
/// emit on one port), so that a visit does not allocate for it.
struct Few<T> {
    inline: [Option<T>; 3],
    more: Vec<T>,
}

impl<T> Default for Few<T> {
    fn default() -> Self {
        Few {
            inline: [None, None, None],
            more: Vec::new(),
        }
    }
}

impl<T> Few<T> {
    fn push(&mut self, item: T) {
        match self.inline.iter_mut().find(|s| s.is_none()) {
            Some(slot) => *slot = Some(item),
            None => self.more.push(item),
        }
    }

    fn clear(&mut self) {
        *self = Few::default();
    }

    fn into_items(self) -> impl Iterator<Item = T> {
        self.inline.into_iter().flatten().chain(self.more)
    }
}

struct EndFire {
    workflow: String,
    signal: String,
    parameters: Vec<(String, Json)>,
    errors: Vec<TriggerError>,
}

impl Simulator {
    /// A fresh simulator: every workflow not started, the clock at the sample's `clock_start`.
    pub fn new(prepared: Arc<Prepared>) -> Self {
        let n = prepared.design.workflows.len();
        Simulator {
            clock: prepared.design.sample.clock_start,
            states: vec![WorkflowState::NotStarted; n],
            held: vec![VecDeque::new(); n],
            prepared,
            runs: Vec::new(),
            queue: BinaryHeap::new(),
            seq: 0,
            last_trigger: BTreeMap::new(),
            joins: BTreeMap::new(),
            outbox: Vec::new(),
            trace: Vec::new(),
            saved: BTreeMap::new(),
            step_limit: DEFAULT_STEP_LIMIT,
            steps: 0,
            detail: true,
            last_halt: None,
            uuids: Cell::new(0),
            window: None,
            first_id: 1,
            keep_visits: true,
        }
    }

    /// Sets the number of activity visits allowed to each trigger (its run and the runs its
    /// End activities start at once).
    pub fn with_step_limit(mut self, limit: usize) -> Self {
        self.step_limit = limit;
        self
    }

    /// Keeps the trace of visits (on by default) or not; with it off, runs still record their
    /// paths, resolved settings are not kept. A long-lived session that shows runs but not
    /// visits (`flowcall serve`) saves most of its memory this way.
    pub fn with_visits(mut self, on: bool) -> Self {
        self.keep_visits = on;
        self
    }

    /// Keeps at most about `keep` finished runs (with their visits and outbox entries); older
    /// ones are dropped, oldest first, in batches of a quarter of the window, so up to
    /// `keep + keep / 4` may be held at a time. Running runs are never dropped. `None` keeps
    /// every run (the default).
    pub fn set_run_window(&mut self, keep: Option<usize>) {
        self.window = keep.map(|k| k.max(1));
        self.trim_runs();
    }

    /// True when run `id` existed but was dropped by the run window.
    pub fn evicted(&self, id: RunId) -> bool {
        id >= 1 && id < self.first_id
    }

    /// How many runs this session has started, dropped ones included.
    pub fn runs_total(&self) -> u64 {
        self.first_id - 1 + self.runs.len() as u64
    }

    /// Keeps the trace, resolved settings, paths and variable changes (on by default), or only
    /// the runs' status, variables, conversions, ends, errors and the outbox (for batches).
    pub fn with_trace(mut self, on: bool) -> Self {
        self.detail = on;
        self
    }

    /// Changes the number of activity visits allowed to each trigger.
    pub fn set_step_limit(&mut self, limit: usize) {
        self.step_limit = limit;
    }

    /// The number of activity visits allowed to each trigger.
    pub fn step_limit(&self) -> usize {
        self.step_limit
    }

    /// When the cooldown next allows `workflow`'s `signal` to be triggered, if it does not now
    /// (`None` when allowed now, the cooldown is off, or the target does not exist).
    pub fn next_trigger_allowed(&self, workflow: &str, signal: &str) -> Option<DateTime<Utc>> {
        let Cooldown::Seconds(n) = self.prepared.design.compatibility.trigger_cooldown else {
            return None;
        };
        let w = self.prepared.workflow_index(workflow)?;
        let s = self.prepared.design.workflows[w]
            .activities
            .iter()
            .position(|a| a.id == signal)?;
        let next = later(*self.last_trigger.get(&(w, s))?, n).unwrap_or(DateTime::<Utc>::MAX_UTC);
        (self.clock < next).then_some(next)
    }

    /// The number of activity visits so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The prepared design.
    pub fn prepared(&self) -> &Arc<Prepared> {
        &self.prepared
    }

    /// The virtual clock.
    pub fn clock(&self) -> DateTime<Utc> {
        self.clock
    }

    /// Moves the virtual clock forward (pending visits keep their times); refused, with the
    /// clock unchanged, when it would pass the latest time the clock can hold.
    pub fn advance_clock(&mut self, seconds: u64) -> Result<(), SimError> {
        self.clock = later(self.clock, seconds).ok_or_else(|| SimError::ClockOverflow {
            from: format_datetime(&self.clock),
            seconds,
            latest: format_datetime(&DateTime::<Utc>::MAX_UTC),
        })?;
        Ok(())
    }

    /// Every run, in order of start.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// The run with this id (`None` when it never existed or the run window dropped it).
    pub fn run(&self, id: RunId) -> Option<&Run> {
        self.runs
            .get(usize::try_from(id.checked_sub(self.first_id)?).ok()?)
    }

    /// The pending visits in the order they will happen, with their times.
    pub fn pending(&self) -> impl Iterator<Item = (DateTime<Utc>, &Token)> {
        let mut all: Vec<&Queued> = self.queue.iter().collect();
        all.sort_by(|a, b| b.cmp(a));
        all.into_iter().map(|q| (q.at, &q.token))
    }

    /// The next pending visit as (workflow id, activity id).
    pub fn next_visit(&self) -> Option<(&str, &str)> {
        let tok = &self.queue.peek()?.token;
        self.ids(tok.workflow, tok.activity)
    }

    /// The most recent visit (the "current activity" of a debugger).
    pub fn current(&self) -> Option<&Visit> {
        self.trace.last()
    }

    /// Every visit so far, in order.
    pub fn trace(&self) -> &[Visit] {
        &self.trace
    }

    /// The emails recorded so far, in order.
    pub fn outbox(&self) -> &[OutboxEntry] {
        &self.outbox
    }

    /// Audiences saved in this session, by label.
    pub fn saved_audiences(&self) -> &BTreeMap<String, Population> {
        &self.saved
    }

    /// Triggers waiting for a paused workflow to resume.
    pub fn held_triggers(&self, workflow: &str) -> &[HeldTrigger] {
        match self.prepared.workflow_index(workflow) {
            Some(i) => self.held.get(i).map_or(&[], |q| q.as_slices().0),
            None => &[],
        }
    }

    /// The message of the latest step-limit halt: a trigger that spent its visit budget (its
    /// runs failed with it; the session goes on).
    pub fn halted(&self) -> Option<&str> {
        self.last_halt.as_deref()
    }

    /// True when nothing is pending.
    pub fn is_idle(&self) -> bool {
        self.queue.is_empty()
    }

    /// The state of a workflow.
    pub fn state(&self, workflow: &str) -> Option<WorkflowState> {
        self.states
            .get(self.prepared.workflow_index(workflow)?)
            .copied()
    }

    fn ids(&self, w: usize, a: usize) -> Option<(&str, &str)> {
        let wf = self.prepared.design.workflows.get(w)?;
        Some((wf.id.as_str(), wf.activities.get(a)?.id.as_str()))
    }

    fn wf_index(&self, workflow: &str) -> Result<usize, SimError> {
        self.prepared
            .workflow_index(workflow)
            .ok_or_else(|| SimError::UnknownWorkflow(workflow.to_owned()))
    }

    fn transition(
        &mut self,
        workflow: &str,
        action: &'static str,
        from: &[WorkflowState],
        to: WorkflowState,
    ) -> Result<usize, SimError> {
        let i = self.wf_index(workflow)?;
        let state = self
            .states
            .get(i)
            .copied()
            .unwrap_or(WorkflowState::NotStarted);
        if !from.contains(&state) {
            return Err(SimError::InvalidTransition {
                workflow: workflow.to_owned(),
                action,
                state: state.name(),
            });
        }
        if let Some(s) = self.states.get_mut(i) {
            *s = to;
        }
        Ok(i)
    }

    /// Starts (or restarts after stop) a workflow: it listens, and each Start activity begins a
    /// run.
    pub fn start(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.transition(
            workflow,
            "start",
            &[WorkflowState::NotStarted, WorkflowState::Stopped],
            WorkflowState::Started,
        )?;
        let starts: Vec<usize> = self.prepared.design.workflows[w]
            .activities
            .iter()
            .enumerate()
            .filter(|(_, a)| matches!(a.kind, ActivityKind::Start))
            .map(|(i, _)| i)
            .collect();
        for a in starts {
            self.start_run(w, a, "start".into(), None, None, Injected::default());
        }
        Ok(())
    }

    /// Starts every workflow that is not started.
    pub fn start_all(&mut self) {
        let prepared = self.prepared.clone();
        for (w, wf) in prepared.design.workflows.iter().enumerate() {
            if self.states.get(w) == Some(&WorkflowState::NotStarted) {
                // Cannot fail: the workflow exists and is not started.
                let _ = self.start(&wf.id);
            }
        }
    }

    /// Pauses a started workflow: its triggers queue until resume.
    pub fn pause(&mut self, workflow: &str) -> Result<(), SimError> {
        self.transition(
            workflow,
            "pause",
            &[WorkflowState::Started],
            WorkflowState::Paused,
        )
        .map(|_| ())
    }

    /// Resumes a paused workflow and delivers its queued triggers in order.
    pub fn resume(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.transition(
            workflow,
            "resume",
            &[WorkflowState::Paused],
            WorkflowState::Started,
        )?;
        let held = self.held.get_mut(w).map(std::mem::take).unwrap_or_default();
        for h in held {
            self.start_run(w, h.signal, h.source, h.parent, None, h.injected);
        }
        Ok(())
    }

    /// Stops a workflow: queued triggers are dropped and its running runs end as failed.
    pub fn stop(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.transition(
            workflow,
            "stop",
            &[WorkflowState::Started, WorkflowState::Paused],
            WorkflowState::Stopped,
        )?;
        if let Some(h) = self.held.get_mut(w) {
            h.clear();
        }
        let mut touched = BTreeSet::new();
        self.queue.retain(|q| {
            if q.token.workflow == w {
                touched.insert(q.token.run);
            }
            q.token.workflow != w
        });
        self.joins.retain(|(r, jw, _), _| {
            if *jw == w {
                touched.insert(*r);
            }
            *jw != w
        });
        for r in touched {
            if let Some(run) = self.run_mut(r) {
                run.open = 0;
                run.errors.push(RunError {
                    activity: String::new(),
                    message: format!("workflow '{workflow}' was stopped"),
                });
                run.status = RunStatus::Failed;
            }
        }
        Ok(())
    }

    fn run_mut(&mut self, id: RunId) -> Option<&mut Run> {
        self.runs
            .get_mut(usize::try_from(id.checked_sub(self.first_id)?).ok()?)
    }

    /// Triggers a signal with a payload's bytes (API, CLI, batch line).
    pub fn trigger_bytes(&mut self, workflow: &str, signal: &str, bytes: &[u8]) -> TriggerOutcome {
        let (payload, errors) = trigger::read_bytes(bytes);
        self.trigger_payload(workflow, signal, payload, errors, None)
    }

    /// Triggers a signal with a payload already read as JSON (scenarios, pasted JSON).
    pub fn trigger_json(&mut self, workflow: &str, signal: &str, json: &Json) -> TriggerOutcome {
        let (payload, errors) = trigger::read_json(json.clone());
        self.trigger_payload(workflow, signal, payload, errors, None)
    }

    /// Triggers a signal with typed values (the designer's form).
    pub fn trigger_values(
        &mut self,
        workflow: &str,
        signal: &str,
        source: &str,
        values: &[(String, Value)],
    ) -> TriggerOutcome {
        let mut params = serde_json::Map::new();
        for (n, v) in values {
            params.insert(n.clone(), v.to_json());
        }
        let json = serde_json::json!({"source": source, "parameters": params});
        self.trigger_json(workflow, signal, &json)
    }

    /// The one trigger path: every source ends here. `errors` holds the payload's own problems
    /// so that all problems are reported together.
    pub fn trigger_payload(
        &mut self,
        workflow: &str,
        signal: &str,
        payload: Payload,
        mut errors: Vec<TriggerError>,
        parent: Option<RunId>,
    ) -> TriggerOutcome {
        if payload.unreadable {
            return TriggerOutcome::Rejected(errors);
        }
        let Some(w) = self.prepared.workflow_index(workflow) else {
            errors.push(TriggerError::payload(
                ErrorKind::UnknownTarget,
                format!("workflow '{workflow}' does not exist"),
            ));
            return TriggerOutcome::Rejected(errors);
        };
        let prepared = self.prepared.clone();
        let wf = &prepared.design.workflows[w];
        let found = wf
            .activities
            .iter()
            .enumerate()
            .find(|(_, a)| a.id == signal)
            .and_then(|(i, a)| a.kind.signal().map(|c| (i, c)));
        let Some((s, contract)) = found else {
            errors.push(TriggerError::payload(
                ErrorKind::UnknownTarget,
                format!("'{signal}' is not an External signal of workflow '{workflow}'"),
            ));
            return TriggerOutcome::Rejected(errors);
        };
        let injected =
            match trigger::check_parameters(workflow, signal, contract, &payload.parameters) {
                Ok(i) => Some(i),
                Err(e) => {
                    errors.extend(e);
                    None
                }
            };
        let state = self
            .states
            .get(w)
            .copied()
            .unwrap_or(WorkflowState::NotStarted);
        match state {
            WorkflowState::NotStarted => errors.push(TriggerError::payload(
                ErrorKind::NotListening,
                format!("workflow '{workflow}' is not started: start it before triggering"),
            )),
            WorkflowState::Stopped => errors.push(TriggerError::payload(
                ErrorKind::NotListening,
                format!("workflow '{workflow}' is stopped: it does not accept triggers"),
            )),
            WorkflowState::Started | WorkflowState::Paused => {}
        }
        if let Cooldown::Seconds(n) = prepared.design.compatibility.trigger_cooldown
            && let Some(last) = self.last_trigger.get(&(w, s))
        {
            match later(*last, n) {
                Some(next) if self.clock >= next => {}
                next => errors.push(TriggerError::payload(
                    ErrorKind::Cooldown,
                    format!(
                        "too soon: signal '{signal}' of workflow '{workflow}' was triggered at {}; next allowed at {}",
                        format_datetime(last),
                        next.map_or_else(
                            || "no time the virtual clock can hold (the cooldown is too long)".to_owned(),
                            |t| format_datetime(&t)
                        )
                    ),
                )),
            }
        }
        let Some(injected) = injected.filter(|_| errors.is_empty()) else {
            return TriggerOutcome::Rejected(errors);
        };
        self.last_trigger.insert((w, s), self.clock);
        if state == WorkflowState::Paused {
            if let Some(q) = self.held.get_mut(w) {
                q.push_back(HeldTrigger {
                    signal: s,
                    source: payload.source,
                    parent,
                    injected,
                });
            }
            return TriggerOutcome::Queued;
        }
        let root = parent.map(|p| self.root_of(p));
        TriggerOutcome::Started(self.start_run(w, s, payload.source, parent, root, injected))
    }

    /// The root of run `id`'s trigger (itself when its root was dropped by the run window).
    fn root_of(&self, id: RunId) -> RunId {
        match self.run(id) {
            Some(r) if self.run(r.root).is_some() => r.root,
            _ => id,
        }
    }

    /// Starts a run at activity `a`; `root` is the trigger whose budget it spends (`None`: a
    /// trigger of its own).
    fn start_run(
        &mut self,
        w: usize,
        a: usize,
        source: String,
        parent: Option<RunId>,
        root: Option<RunId>,
        injected: Injected,
    ) -> RunId {
        self.trim_runs();
        let id = self.runs_total() + 1;
        let wf = &self.prepared.design.workflows[w];
        self.runs.push(Run {
            id,
            workflow: wf.id.clone(),
            signal: wf
                .activities
                .get(a)
                .map(|x| x.id.clone())
                .unwrap_or_default(),
            source,
            parent,
            started_at: self.clock,
            status: RunStatus::Running,
            variables: injected.variables,
            changes: Vec::new(),
            conversions: injected.conversions,
            path: Vec::new(),
            ends: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            saved_audiences: Vec::new(),
            open: 0,
            root: root.unwrap_or(id),
            budget: Default::default(),
        });
        self.push(
            self.clock,
            Token {
                run: id,
                workflow: w,
                activity: a,
                via: None,
                population: Population::all(self.prepared.empty.clone()),
                files: None,
            },
        );
        id
    }

    fn push(&mut self, at: DateTime<Utc>, token: Token) {
        self.seq += 1;
        if let Some(r) = self.run_mut(token.run) {
            r.open += 1;
        }
        self.queue.push(Queued {
            at,
            seq: self.seq,
            token,
        });
    }

    /// Runs until nothing is pending. A trigger that spends its visit budget fails on the way
    /// (see [`Stepped::Halted`]) and the others go on; the first such halt is returned.
    pub fn run_to_end(&mut self) -> Stop {
        let mut halt = None;
        loop {
            match self.step() {
                Stepped::Visited(_) => {}
                Stepped::Idle => return halt.map_or(Stop::Idle, Stop::Halted),
                Stepped::Halted(m) => {
                    halt.get_or_insert(m);
                }
            }
        }
    }

    /// Steps at least once, then until the next visit is at a breakpoint or a trigger spent
    /// its visit budget.
    pub fn run_until_breakpoint(&mut self, breakpoints: &Breakpoints) -> Stop {
        let mut first = true;
        loop {
            if !first
                && let Some((w, a)) = self.next_visit()
                && breakpoints.contains(&(w.to_owned(), a.to_owned()))
            {
                return Stop::Breakpoint(w.to_owned(), a.to_owned());
            }
            first = false;
            match self.step() {
                Stepped::Visited(_) => {}
                Stepped::Idle => return Stop::Idle,
                Stepped::Halted(m) => return Stop::Halted(m),
            }
        }
    }

    /// Visits one activity: the earliest pending visit, unless its trigger has spent its visit
    /// budget, in which case that trigger's runs fail and nothing is visited.
    pub fn step(&mut self) -> Stepped {
        let Some(Queued { at, token, .. }) = self.queue.pop() else {
            return Stepped::Idle;
        };
        if let Some(r) = self.run_mut(token.run) {
            r.open = r.open.saturating_sub(1);
        }
        let root = self.root_of(token.run);
        if self.run(root).map_or(0, |r| r.budget.visits) >= self.step_limit {
            let message = self.loop_message(root);
            self.fail_trigger(root, &message);
            self.last_halt = Some(message.clone());
            return Stepped::Halted(message);
        }
        if at > self.clock {
            self.clock = at;
        }
        let prepared = self.prepared.clone();
        let index = self.visit(&prepared, token, root);
        Stepped::Visited(index)
    }

    /// Fails every running run of trigger `root` with `message` and drops what they had pending.
    fn fail_trigger(&mut self, root: RunId, message: &str) {
        let Some(from) = root
            .checked_sub(self.first_id)
            .and_then(|i| usize::try_from(i).ok())
        else {
            return;
        };
        let mut ended = BTreeSet::new();
        for run in self.runs.iter_mut().skip(from) {
            if run.root == root && run.status == RunStatus::Running {
                ended.insert(run.id);
                run.open = 0;
                run.status = RunStatus::Failed;
                run.errors.push(RunError {
                    activity: String::new(),
                    message: message.to_owned(),
                });
            }
        }
        self.queue.retain(|q| !ended.contains(&q.token.run));
        self.joins.retain(|(r, _, _), _| !ended.contains(r));
        if let Some(r) = self.run_mut(root) {
            r.budget.recent.clear();
        }
    }

    /// The step-limit message for trigger `root`: the loop inside a workflow (activities on a
    /// cycle of its transitions that its runs visited again), the loop of End triggers
    /// (workflows repeating in the chain of runs), or that there is no loop.
    fn loop_message(&self, root: RunId) -> String {
        let recent = self.run(root).map(|r| &r.budget.recent);
        let recent: Vec<(usize, usize, RunId)> = recent
            .map(|r| r.iter().copied().collect())
            .unwrap_or_default();
        let mut counts: BTreeMap<(RunId, usize, usize), usize> = BTreeMap::new();
        for (w, a, r) in &recent {
            *counts.entry((*r, *w, *a)).or_default() += 1;
        }
        let mut repeating: Vec<(usize, usize)> = Vec::new();
        for (w, a, r) in &recent {
            let on_cycle = self.prepared.graphs.get(*w).is_some_and(|g| g.on_cycle(*a));
            if on_cycle && counts.get(&(*r, *w, *a)) > Some(&1) && !repeating.contains(&(*w, *a)) {
                repeating.push((*w, *a));
            }
        }
        // Start the loop at its first activity in document order, whatever visit the window
        // began with.
        if let Some(first) = repeating
            .iter()
            .enumerate()
            .min_by_key(|(_, k)| **k)
            .map(|(i, _)| i)
        {
            repeating.rotate_left(first);
        }
        let repeating: Vec<String> = repeating
            .iter()
            .filter_map(|(w, a)| self.ids(*w, *a).map(|(wid, aid)| format!("{wid}/{aid}")))
            .collect();
        let mut chain = Vec::new();
        let mut cur = recent.last().map(|(_, _, r)| *r);
        while let Some(id) = cur {
            let Some(run) = self.run(id) else { break };
            chain.push(run.workflow.clone());
            cur = run.parent;
        }
        chain.reverse();
        let chain_loops = chain
            .iter()
            .enumerate()
            .any(|(i, w)| chain[..i].contains(w));
        let chain_text = if chain.len() > 8 {
            format!(
                "{} -> ... -> {} ({} chained runs)",
                chain[..4].join(" -> "),
                chain[chain.len() - 4..].join(" -> "),
                chain.len()
            )
        } else {
            chain.join(" -> ")
        };
        let mut msg = format!(
            "step limit of {} activity visits reached by one trigger",
            self.step_limit
        );
        if !repeating.is_empty() {
            msg.push_str(&format!(": the loop repeats {}", repeating.join(" -> ")));
        }
        if chain_loops {
            msg.push_str(&format!(
                "{} the End triggers loop: chain of End triggers: {chain_text}",
                if repeating.is_empty() { ":" } else { ";" }
            ));
        }
        if repeating.is_empty() && !chain_loops {
            msg.push_str(&format!(
                ": no activity or End trigger repeats, so this is not a loop: the trigger needs more than {} visits{}; a trigger and the runs its End activities start share that budget: split the work over several triggers (fewer activities or Fork branches per run)",
                self.step_limit,
                if chain.len() > 1 {
                    format!(" (chain of End triggers: {chain_text})")
                } else {
                    String::new()
                }
            ));
        }
        msg
    }

    /// Drops the oldest finished runs (with their visits and outbox entries) beyond the run
    /// window, a quarter of the window at a time.
    fn trim_runs(&mut self) {
        let Some(keep) = self.window else { return };
        if self.runs.len() < keep + keep.div_ceil(4) {
            return;
        }
        let excess = self.runs.len() - keep;
        let k = self
            .runs
            .iter()
            .take(excess)
            .take_while(|r| r.status != RunStatus::Running)
            .count();
        if k == 0 {
            return;
        }
        self.runs.drain(..k);
        self.first_id += k as RunId;
        let first = self.first_id;
        let visits = self.trace.iter().take_while(|v| v.run < first).count();
        self.trace.drain(..visits);
        let sent = self.outbox.iter().take_while(|o| o.run < first).count();
        self.outbox.drain(..sent);
    }

    fn visit(&mut self, prepared: &Prepared, token: Token, root: RunId) -> usize {
        let wf = &prepared.design.workflows[token.workflow];
        let Some(activity) = wf.activities.get(token.activity) else {
            return self.trace.len();
        };
        self.steps += 1;
        let limit = self.step_limit;
        if let Some(r) = self.run_mut(root) {
            r.budget.visits += 1;
            if r.budget.visits.saturating_add(LOOP_WINDOW) > limit {
                if r.budget.recent.len() >= LOOP_WINDOW {
                    r.budget.recent.pop_front();
                }
                r.budget
                    .recent
                    .push_back((token.workflow, token.activity, token.run));
            }
        }
        let mut visit = Visit {
            step: self.steps,
            run: token.run,
            workflow: if self.detail {
                wf.id.clone()
            } else {
                String::new()
            },
            activity: if self.detail {
                activity.id.clone()
            } else {
                String::new()
            },
            kind: activity.kind.tag().name(),
            at: self.clock,
            count_in: token.population.len(),
            count_out: None,
            ports: Vec::new(),
            settings: Vec::new(),
            notes: Vec::new(),
            error: None,
        };
        let effect = if matches!(activity.kind, ActivityKind::AndJoin) {
            self.join(&token, &mut visit)
        } else {
            self.execute(&token)
        };
        let run_id = token.run;
        self.apply(prepared, token, effect, &mut visit);
        if self.detail
            && let Some(run) = self.run_mut(run_id)
        {
            run.path.push(activity.id.clone());
        }
        if self.detail && self.keep_visits {
            self.trace.push(visit);
        }
        self.finish_if_done(run_id);
        self.trace.len().saturating_sub(1)
    }

    fn finish_if_done(&mut self, id: RunId) {
        let waiting: Vec<String> = self
            .joins
            .iter()
            .filter(|((r, _, _), _)| *r == id)
            .filter_map(|((_, w, a), arrived)| {
                let g = self.prepared.graphs.get(*w)?;
                let expected = g.incoming.get(*a).map_or(0, Vec::len);
                let (_, aid) = self.ids(*w, *a)?;
                Some(format!(
                    "AND-join '{aid}' waited for {expected} branches but only {} arrived",
                    arrived.len()
                ))
            })
            .collect();
        let Some(run) = self.run_mut(id) else { return };
        if run.open > 0 || run.status != RunStatus::Running {
            return;
        }
        for m in waiting {
            run.errors.push(RunError {
                activity: String::new(),
                message: m,
            });
        }
        run.status = if run.errors.is_empty() {
            RunStatus::Finished
        } else {
            RunStatus::Failed
        };
        self.joins.retain(|(r, _, _), _| *r != id);
    }

    fn join(&mut self, token: &Token, visit: &mut Visit) -> Effect {
        let key = (token.run, token.workflow, token.activity);
        let expected: Vec<usize> = self
            .prepared
            .graphs
            .get(token.workflow)
            .and_then(|g| g.incoming.get(token.activity))
            .cloned()
            .unwrap_or_default();
        let arrivals = self.joins.entry(key).or_default();
        let via = token.via.unwrap_or(usize::MAX);
        match arrivals.iter_mut().find(|(t, _)| *t == via) {
            Some(slot) => slot.1 = token.population.clone(),
            None => arrivals.push((via, token.population.clone())),
        }
        let complete = expected
            .iter()
            .all(|t| arrivals.iter().any(|(a, _)| a == t));
        let arrived = arrivals.len();
        let mut effect = Effect::default();
        if complete {
            let parts: Vec<Population> = self
                .joins
                .remove(&key)
                .unwrap_or_default()
                .into_iter()
                .map(|(_, p)| p)
                .collect();
            let merged = Population::union(&parts);
            if self.detail {
                effect.settings.push(("merge".into(), "union".into()));
            }
            effect.sets.push(("recCount", count(merged.len())));
            effect.emit.push((Port::Out, merged));
        } else {
            // This arrival is held by the join until the other branches arrive.
            visit.notes.push(format!(
                "waiting: {arrived} of {} branches arrived",
                expected.len()
            ));
        }
        effect
    }

    fn scope_eval(
        &self,
        token: &Token,
        field: usize,
        row: Option<(&[String], &[Value])>,
    ) -> Result<Value, exprs::EvalError> {
        let c = self
            .prepared
            .exprs
            .get(token.workflow, token.activity, field);
        self.eval_compiled(c, token.run, row)
    }

    fn eval_compiled(
        &self,
        c: &Compiled,
        run: RunId,
        row: Option<(&[String], &[Value])>,
    ) -> Result<Value, exprs::EvalError> {
        let vars = self.run(run).map(|r| r.variables.as_slice()).unwrap_or(&[]);
        let scope = Scope {
            vars,
            row,
            now: self.clock,
            options: &self.prepared.design.sample.options,
            run,
            uuids: &self.uuids,
        };
        exprs::eval(c, &scope)
    }

    fn text_field(&self, token: &Token, field: usize, what: &str) -> Result<String, String> {
        self.scope_eval(token, field, None)
            .map(|v| v.to_string())
            .map_err(|e| format!("the {what} expression failed: {e}"))
    }

    fn execute(&self, token: &Token) -> Effect {
        let mut e = Effect {
            detail: self.detail,
            ..Effect::default()
        };
        let prepared = &self.prepared;
        let wf = &prepared.design.workflows[token.workflow];
        let Some(activity) = wf.activities.get(token.activity) else {
            return e;
        };
        let input = token.population.clone();
        let result: Result<(), String> = (|| {
            match &activity.kind {
                ActivityKind::Start => e.emit.push((Port::Out, input)),
                ActivityKind::ExternalSignal(_) => {
                    if let Some(run) = self.run(token.run) {
                        if e.detail {
                            e.settings.push(("source".into(), run.source.clone()));
                        }
                        for c in &run.conversions {
                            e.notes.push(format!("{}: {}", c.parameter, c.message));
                        }
                    }
                    e.emit.push((Port::Out, input));
                }
                ActivityKind::Query(q) => {
                    let profiles = prepared.profiles.clone().map_err(|e| e.to_string())?;
                    let code = self.text_field(token, 1, "segment code")?;
                    if !code.is_empty() && e.detail {
                        e.settings.push(("segment_code".into(), code));
                    }
                    let out = match prepared.exprs.get(token.workflow, token.activity, 0) {
                        Compiled::Empty => Population::all(profiles),
                        c => {
                            let mut keep = Vec::new();
                            for (i, row) in profiles.rows.iter().enumerate() {
                                let v = self
                                    .eval_compiled(c, token.run, Some((&profiles.columns, row)))
                                    .map_err(|m| {
                                        format!("the filter failed on profile {}: {m}", i + 1)
                                    })?;
                                match v {
                                    Value::Boolean(true) => keep.push(i),
                                    Value::Boolean(false) | Value::Null => {}
                                    other => {
                                        return Err(format!(
                                            "the filter gave {} ({}) on profile {}, expected Boolean",
                                            other,
                                            other.type_name(),
                                            i + 1
                                        ));
                                    }
                                }
                            }
                            Population::select(profiles.clone(), keep)
                        }
                    };
                    if e.detail {
                        e.settings.push(("filter".into(), q.filter.clone()));
                    }
                    e.sets.push(("recCount", count(out.len())));
                    e.emit.push((Port::Out, out));
                }
                ActivityKind::ReadAudience(_) => {
                    let name = self.text_field(token, 0, "audience name")?;
                    let code = self.text_field(token, 1, "segment code")?;
                    if e.detail {
                        e.settings.push(("audience".into(), name.clone()));
                    }
                    if !code.is_empty() && e.detail {
                        e.settings.push(("segment_code".into(), code));
                    }
                    let out = if let Some(p) = self.saved.get(&name) {
                        if e.detail {
                            e.settings
                                .push(("from".into(), "saved in this simulation".into()));
                        }
                        p.clone()
                    } else if let Some(keys) = prepared.design.sample.audiences.get(&name) {
                        let profiles = prepared.profiles.clone().map_err(|e| e.to_string())?;
                        let wanted: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
                        let rows = profiles
                            .rows
                            .iter()
                            .enumerate()
                            .filter(|(_, r)| {
                                r.first()
                                    .is_some_and(|k| wanted.contains(k.to_string().as_str()))
                            })
                            .map(|(i, _)| i)
                            .collect();
                        if e.detail {
                            e.settings.push(("from".into(), "sample data".into()));
                        }
                        Population::select(profiles, rows)
                    } else {
                        let mut known: Vec<&str> = prepared
                            .design
                            .sample
                            .audiences
                            .keys()
                            .chain(self.saved.keys())
                            .map(String::as_str)
                            .collect();
                        known.sort_unstable();
                        known.dedup();
                        return Err(format!(
                            "audience '{name}' does not exist (known audiences: {})",
                            if known.is_empty() {
                                "none".to_owned()
                            } else {
                                known.join(", ")
                            }
                        ));
                    };
                    e.sets.push(("recCount", count(out.len())));
                    e.emit.push((Port::Out, out));
                }
                ActivityKind::SaveAudience(_) => {
                    let label = self.text_field(token, 0, "label")?;
                    if label.is_empty() {
                        return Err("the audience label is empty".into());
                    }
                    if e.detail {
                        e.settings.push(("label".into(), label.clone()));
                    }
                    if e.detail {
                        e.settings.push(("saved".into(), input.len().to_string()));
                    }
                    e.sets.push(("recCount", count(input.len())));
                    e.save = Some((label, input.clone()));
                    e.emit.push((Port::Out, input));
                }
                ActivityKind::TransferFile(_) => {
                    let path = self.text_field(token, 0, "path")?;
                    if e.detail {
                        e.settings.push(("path".into(), path.clone()));
                    }
                    let matched = match_files(prepared, &path);
                    if matched.is_empty() {
                        return Err(format!("no file in the file store matches '{path}'"));
                    }
                    if e.detail {
                        e.settings.push(("matched".into(), matched.join(",")));
                    }
                    e.sets.push(("fileName", Value::String(matched[0].clone())));
                    e.sets.push(("filesCount", count(matched.len())));
                    e.sets.push(("filenames", Value::String(matched.join(","))));
                    e.files = Some(Arc::new(matched));
                    e.emit.push((Port::Out, input));
                }
                ActivityKind::LoadFile => {
                    let files = token.files.as_ref().filter(|f| !f.is_empty()).ok_or(
                        "no file was transferred to load: put a Transfer file before this Load file",
                    )?;
                    let path = &files[0];
                    let data = prepared.file(path).map_err(|e| e.to_string())?;
                    if e.detail {
                        e.settings.push(("file".into(), path.clone()));
                    }
                    if files.len() > 1 {
                        e.notes.push(format!(
                            "{} more matched files were not loaded (Load file reads the first)",
                            files.len() - 1
                        ));
                    }
                    let out = Population::all(data);
                    e.sets.push(("filename", Value::String(path.clone())));
                    e.sets.push(("recCount", count(out.len())));
                    e.emit.push((Port::Out, out));
                }
                ActivityKind::UpdateData(u) => {
                    if e.detail {
                        e.settings
                            .push(("operation".into(), format!("{:?}", u.operation)));
                    }
                    if e.detail {
                        e.settings.push(("rows".into(), input.len().to_string()));
                    }
                    e.sets.push(("recCount", count(input.len())));
                    e.emit.push((Port::Out, input));
                }
                ActivityKind::Test(t) => {
                    let mut chosen = None;
                    for (i, c) in t.conditions.iter().enumerate() {
                        let v = self
                            .scope_eval(token, i, None)
                            .map_err(|m| format!("condition '{}' failed: {m}", c.id))?;
                        if e.detail {
                            e.settings
                                .push((format!("condition:{}", c.id), v.type_name_value()));
                        }
                        match v {
                            Value::Boolean(true) => {
                                chosen = Some(Port::Condition(c.id.clone()));
                                break;
                            }
                            Value::Boolean(false) | Value::Null => {}
                            other => {
                                return Err(format!(
                                    "condition '{}' gave {} ({}), expected Boolean",
                                    c.id,
                                    other,
                                    other.type_name()
                                ));
                            }
                        }
                    }
                    if chosen.is_none() && t.default_transition {
                        chosen = Some(Port::Default);
                    }
                    match chosen {
                        Some(p) => e.emit.push((p, input)),
                        None => {
                            e.warn = Some(format!(
                                "no condition of test '{}' held and it has no default transition: the branch ends",
                                activity.id
                            ))
                        }
                    }
                }
                ActivityKind::Fork(f) => {
                    for b in &f.branches {
                        e.emit.push((Port::Branch(b.clone()), input.clone()));
                    }
                    let graph = prepared.graphs.get(token.workflow);
                    if graph
                        .and_then(|g| g.outgoing.get(token.activity))
                        .is_some_and(|o| o.iter().any(|(p, _, _)| *p == Port::Out))
                    {
                        e.emit.push((Port::Out, input));
                    }
                }
                ActivityKind::AndJoin => {}
                ActivityKind::Wait(w) => {
                    let until = later(self.clock, w.seconds).ok_or_else(|| {
                        format!(
                            "a Wait of {} seconds from {} would pass the latest time the virtual clock can hold ({}); shorten the Wait",
                            w.seconds,
                            format_datetime(&self.clock),
                            format_datetime(&DateTime::<Utc>::MAX_UTC)
                        )
                    })?;
                    if e.detail {
                        e.settings.push(("seconds".into(), w.seconds.to_string()));
                        e.settings.push(("until".into(), format_datetime(&until)));
                    }
                    e.until = Some(until);
                    e.emit.push((Port::Out, input));
                }
                ActivityKind::EmailDelivery(em) => {
                    let label = self.text_field(token, 0, "label")?;
                    let template = self.text_field(token, 1, "template")?;
                    let mut parameters = Vec::new();
                    for (i, p) in em.parameters.iter().enumerate() {
                        let v = self
                            .scope_eval(token, 2 + i, None)
                            .map_err(|m| format!("delivery parameter '{}' failed: {m}", p.name))?;
                        parameters.push((p.name.clone(), v.to_string()));
                    }
                    let sample = input
                        .data
                        .columns
                        .iter()
                        .position(|c| c.eq_ignore_ascii_case("email"))
                        .map(|c| input.column_values(c, OUTBOX_SAMPLE))
                        .unwrap_or_default();
                    if e.detail {
                        e.settings.push(("label".into(), label.clone()));
                    }
                    if e.detail {
                        e.settings.push(("template".into(), template.clone()));
                    }
                    for (n, v) in &parameters {
                        if e.detail {
                            e.settings.push((format!("parameter:{n}"), v.clone()));
                        }
                    }
                    if e.detail {
                        e.settings
                            .push(("recipients".into(), input.len().to_string()));
                    }
                    e.outbox = Some(OutboxEntry {
                        run: token.run,
                        workflow: wf.id.clone(),
                        activity: activity.id.clone(),
                        at: self.clock,
                        recipients: input.len(),
                        sample,
                        label,
                        template,
                        parameters,
                    });
                    e.emit.push((Port::Out, input));
                }
                ActivityKind::End(end) => {
                    let fire = end.trigger.as_ref().map(|t| {
                        let mut parameters = Vec::new();
                        let mut errors = Vec::new();
                        for (i, p) in t.parameters.iter().enumerate() {
                            match self.scope_eval(token, i, None) {
                                Ok(v) => parameters.push((p.name.clone(), v.to_json())),
                                Err(m) => errors.push(TriggerError::param(
                                    ErrorKind::Expression,
                                    &p.name,
                                    format!("'{}': the expression failed: {m}", p.name),
                                )),
                            }
                        }
                        EndFire {
                            workflow: t.workflow.clone(),
                            signal: t.signal.clone(),
                            parameters,
                            errors,
                        }
                    });
                    if let Some(f) = &fire {
                        if e.detail {
                            e.settings
                                .push(("trigger".into(), format!("{}/{}", f.workflow, f.signal)));
                        }
                        for (n, v) in &f.parameters {
                            let text = match v {
                                Json::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            if e.detail {
                                e.settings.push((format!("parameter:{n}"), text));
                            }
                        }
                    }
                    e.end = Some(fire);
                }
            }
            Ok(())
        })();
        if let Err(m) = result {
            e.error = Some(m);
            e.emit.clear();
            e.sets.clear();
            e.outbox = None;
            e.save = None;
            e.end = None;
        }
        e
    }

    fn apply(&mut self, prepared: &Prepared, token: Token, effect: Effect, visit: &mut Visit) {
        let wf = &prepared.design.workflows[token.workflow];
        let workflow_id = wf.id.as_str();
        let activity_id = wf
            .activities
            .get(token.activity)
            .map_or("", |a| a.id.as_str());
        visit.settings = std::mem::take(&mut visit.settings)
            .into_iter()
            .chain(effect.settings)
            .collect();
        visit.notes.extend(effect.notes);
        let detail = self.detail;
        if let Some(run) = self.run_mut(token.run) {
            for (name, value) in effect.sets.into_items() {
                if detail {
                    run.changes.push(VariableChange {
                        activity: activity_id.to_owned(),
                        name: name.to_owned(),
                        value: value.clone(),
                    });
                }
                let origin = super::run::Origin::SetBy {
                    activity: activity_id.to_owned(),
                };
                match run.variables.iter_mut().find(|v| v.name == name) {
                    Some(v) => {
                        v.value = value;
                        v.origin = origin;
                    }
                    None => run.variables.push(Variable {
                        name: name.to_owned(),
                        value,
                        origin,
                    }),
                }
            }
            if let Some(m) = &effect.error {
                run.errors.push(RunError {
                    activity: activity_id.to_owned(),
                    message: m.clone(),
                });
            }
            if let Some(w) = &effect.warn {
                run.warnings.push(w.clone());
            }
            if let Some((label, p)) = &effect.save {
                run.saved_audiences.push((label.clone(), p.len()));
            }
        }
        visit.error = effect.error;
        if let Some(w) = effect.warn {
            visit.notes.push(w);
        }
        if let Some((label, p)) = effect.save {
            self.saved.insert(label, p);
        }
        if let Some(o) = effect.outbox {
            self.outbox.push(o);
        }
        if let Some(fire) = effect.end {
            let trigger = fire.map(|f| {
                let target = format!("{}/{}", f.workflow, f.signal);
                let payload = Payload {
                    source: format!("{workflow_id}/{activity_id}"),
                    parameters: f.parameters,
                    unreadable: false,
                };
                let outcome = self.trigger_payload(
                    &f.workflow,
                    &f.signal,
                    payload,
                    f.errors,
                    Some(token.run),
                );
                let chain = match outcome {
                    TriggerOutcome::Started(id) => {
                        if self.detail {
                            visit.notes.push(format!("triggered {target}: run {id}"));
                        }
                        ChainOutcome::Started(id)
                    }
                    TriggerOutcome::Queued => {
                        visit
                            .notes
                            .push(format!("triggered {target}: queued until resume"));
                        ChainOutcome::Queued
                    }
                    TriggerOutcome::Rejected(errors) => {
                        let text: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
                        let message =
                            format!("the trigger of {target} was rejected: {}", text.join("; "));
                        visit.error = Some(message.clone());
                        if let Some(run) = self.run_mut(token.run) {
                            run.errors.push(RunError {
                                activity: activity_id.to_owned(),
                                message,
                            });
                        }
                        ChainOutcome::Rejected(errors)
                    }
                };
                (target, chain)
            });
            if let Some(run) = self.run_mut(token.run) {
                run.ends.push(EndReached {
                    activity: activity_id.to_owned(),
                    trigger,
                });
            }
        }
        let at = effect.until.unwrap_or(self.clock);
        let files = effect.files.or(token.files);
        let outgoing: &[(Port, usize, usize)] = prepared
            .graphs
            .get(token.workflow)
            .and_then(|g| g.outgoing.get(token.activity))
            .map_or(&[], Vec::as_slice);
        let mut out_count = None;
        for (port, population) in effect.emit.into_items() {
            out_count = Some(out_count.unwrap_or(0).max(population.len()));
            let mut targets = outgoing.iter().filter(|(p, _, _)| *p == port).peekable();
            if targets.peek().is_none() {
                let w = format!(
                    "no transition leaves {} of '{}': the branch ends",
                    port.describe(),
                    activity_id
                );
                visit.notes.push(w.clone());
                if let Some(run) = self.run_mut(token.run) {
                    run.warnings.push(w);
                }
            }
            let mut population = Some(population);
            while let Some((_, ti, target)) = targets.next() {
                // The last target takes the population itself; the others share it.
                let carried = if targets.peek().is_none() {
                    population.take()
                } else {
                    population.clone()
                };
                let Some(carried) = carried else { break };
                self.push(
                    at,
                    Token {
                        run: token.run,
                        workflow: token.workflow,
                        activity: *target,
                        via: Some(*ti),
                        population: carried,
                        files: files.clone(),
                    },
                );
            }
            if self.detail {
                visit.ports.push(port);
            }
        }
        visit.count_out = out_count;
    }
}

/// `at` plus `seconds`, or `None` past the latest time the clock can hold.
fn later(at: DateTime<Utc>, seconds: u64) -> Option<DateTime<Utc>> {
    at.checked_add_signed(TimeDelta::try_seconds(i64::try_from(seconds).ok()?)?)
}

fn count(n: usize) -> Value {
    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The file store paths matching `pattern` (`*` and `?` wildcards; exact otherwise), sorted.
pub fn match_files(prepared: &Prepared, pattern: &str) -> Vec<String> {
    if !pattern.contains(['*', '?']) {
        return prepared
            .file_paths()
            .filter(|p| *p == pattern)
            .map(str::to_owned)
            .collect();
    }
    let escaped: String = pattern
        .chars()
        .map(|c| match c {
            '[' => "[[]".to_owned(),
            ']' => "[]]".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let Ok(glob) = glob::Pattern::new(&escaped) else {
        return Vec::new();
    };
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    prepared
        .file_paths()
        .filter(|p| glob.matches_with(p, options))
        .map(str::to_owned)
        .collect()
}

trait ShowValue {
    fn type_name_value(&self) -> String;
}

impl ShowValue for Value {
    fn type_name_value(&self) -> String {
        match self {
            Value::Null => "null".into(),
            v => v.to_string(),
        }
    }
}
