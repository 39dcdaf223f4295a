//! Life cycles: the states of workflows and the commands that move them (one table of which
//! command applies from which state, and why the others do not), what each command does to the
//! session (runs begun at Start activities, visits parked while a workflow is paused or
//! erroneous, the failed visit run again on resume, held branches released, everything of a
//! workflow dropped when it stops), the ends of runs (finished when nothing of them is pending,
//! failed when an error was recorded or their workflow was stopped), the run window that drops
//! old runs, and the reset that gives a batch a fresh session without allocating one.

use super::intake::Launch;
use super::{Queued, Session, SimError, Simulator, Token, WorkflowCommand, WorkflowState};
use crate::model::Execution;
use crate::sim::prepared::Prepared;
use crate::sim::run::{RunError, RunId, RunStatus};
use jiff::Timestamp;
use std::collections::BTreeSet;
use std::sync::Arc;

/// How many runs of earlier sessions a simulator keeps for their buffers.
const SPARE_RUNS: usize = 8;

impl WorkflowCommand {
    /// Whether the command applies from `state`; when it does not, what to do instead.
    fn refusal(self, state: WorkflowState) -> Option<&'static str> {
        use WorkflowCommand as C;
        use WorkflowState as S;
        match (self, state) {
            (C::Start, S::NotStarted | S::Stopped)
            | (C::Pause, S::Started)
            | (C::Resume, S::Paused | S::Erroneous)
            | (C::Stop, S::Started | S::Paused | S::Erroneous)
            | (C::Restart, S::Started | S::Paused | S::Erroneous | S::Stopped) => None,
            (C::Start, S::Started) => Some(" already (restart it to begin again)"),
            (C::Start, S::Paused) => Some(" (resume it, or restart it)"),
            (C::Start, S::Erroneous) => {
                Some(" (resume it to run the failed activity again, or restart it)")
            }
            (C::Pause, S::Paused) => Some(" already"),
            (C::Pause, S::Erroneous) => Some(" (it waits already; resume or stop it)"),
            (C::Pause | C::Resume | C::Stop | C::Restart, S::NotStarted) => {
                Some(" (start it first)")
            }
            (C::Pause | C::Resume, S::Stopped) => Some(" (start or restart it)"),
            (C::Resume, S::Started) => Some(" (nothing to resume)"),
            (C::Stop, S::Stopped) => Some(" already"),
        }
    }
}

impl Simulator {
    /// Applies `command` to `workflow`: see [`Simulator::start`] and the others.
    pub fn command(&mut self, workflow: &str, command: WorkflowCommand) -> Result<(), SimError> {
        match command {
            WorkflowCommand::Start => self.start(workflow),
            WorkflowCommand::Pause => self.pause(workflow),
            WorkflowCommand::Resume => self.resume(workflow),
            WorkflowCommand::Stop => self.stop(workflow),
            WorkflowCommand::Restart => self.restart(workflow),
        }
    }

    /// Whether `command` applies to `workflow` now; the error says why not (the designer
    /// shows it on the disabled button).
    pub fn allows(&self, workflow: &str, command: WorkflowCommand) -> Result<(), SimError> {
        let w = self.index(workflow)?;
        self.allows_at(w, command)
    }

    /// Starts (or restarts after stop) a workflow: it listens, and each Start activity begins a
    /// run.
    pub fn start(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.apply_command(workflow, WorkflowCommand::Start)?;
        self.begin_start_runs(w);
        Ok(())
    }

    /// Starts every workflow that is not started.
    pub fn start_all(&mut self) {
        for w in 0..self.s.states.len() {
            if self.s.states.get(w) == Some(&WorkflowState::NotStarted)
                && self.command_at(w, WorkflowCommand::Start).is_ok()
            {
                self.begin_start_runs(w);
            }
        }
    }

    /// Begins a run at each Start activity of workflow `w`.
    fn begin_start_runs(&mut self, w: usize) {
        if let Some(n) = self.s.errors_in_row.get_mut(w) {
            *n = 0;
        }
        let p = &*self.prepared;
        let starts = p.plan().workflows.get(w).map_or(&[][..], |wf| &wf.starts);
        for &a in starts {
            let launch = Launch::new(w, a, "start".into(), None, None);
            self.s.start_run(p, launch, [], Vec::new());
        }
    }

    /// Pauses a started workflow: the visits it has pending wait, no new activity runs, and
    /// its triggers queue, until resume.
    pub fn pause(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.apply_command(workflow, WorkflowCommand::Pause)?;
        self.s.park(w);
        Ok(())
    }

    /// Resumes a paused or erroneous workflow: an erroneous one runs its failed activity again
    /// first; then the visits that waited go on and the queued triggers are delivered in
    /// order.
    pub fn resume(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.apply_command(workflow, WorkflowCommand::Resume)?;
        if let Some(n) = self.s.errors_in_row.get_mut(w) {
            *n = 0;
        }
        if let Some(suspension) = self.s.suspended.get_mut(w).and_then(Option::take) {
            let clock = self.s.clock;
            self.s.ended(suspension.step, clock);
            if let Some(run) = self.s.run_mut(suspension.token.run) {
                run.open = run.open.saturating_sub(1);
                run.status = RunStatus::Running;
            }
            self.s.push(clock, suspension.token);
        }
        self.s.unpark(w);
        let held = self
            .s
            .held
            .get_mut(w)
            .map(std::mem::take)
            .unwrap_or_default();
        let p = &*self.prepared;
        for h in held {
            let names = &p.plan().names;
            let vars = h
                .injected
                .variables
                .into_iter()
                // Every name a contract declares is interned, so none is left out.
                .filter_map(|v| Some((names.sym(&v.name)?, v.value, v.origin)));
            let launch = Launch::new(w, h.signal, h.source, h.parent, None);
            self.s.start_run(p, launch, vars, h.injected.conversions);
        }
        Ok(())
    }

    /// Stops a workflow: queued triggers are dropped, and with them everything it had pending
    /// (visits, held branches, the failed visit of an erroneous workflow); its running runs
    /// end as failed.
    pub fn stop(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.apply_command(workflow, WorkflowCommand::Stop)?;
        let message = format!("workflow '{workflow}' was stopped");
        for r in self.s.drop_pending(w) {
            if let Some(run) = self.s.run_mut(r) {
                run.open = 0;
                run.errors.push(RunError {
                    activity: String::new(),
                    message: message.clone(),
                    missing: None,
                });
                run.status = RunStatus::Failed;
            }
        }
        Ok(())
    }

    /// Stops a workflow (unless it is stopped already) and starts it again, as the reference's
    /// Restart does.
    pub fn restart(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.index(workflow)?;
        self.allows_at(w, WorkflowCommand::Restart)?;
        if self.s.states.get(w) != Some(&WorkflowState::Stopped) {
            self.stop(workflow)?;
        }
        self.start(workflow)
    }

    /// Releases the branches held at `activity` of `workflow` (set to "Enable but do not
    /// execute"): each runs the activity now and goes on (while the workflow is paused or
    /// erroneous, when it resumes). The number of branches released; an error when it holds
    /// none.
    pub fn release(&mut self, workflow: &str, activity: &str) -> Result<usize, SimError> {
        let w = self.index(workflow)?;
        let plan = self.prepared.plan();
        let Some(a) = plan
            .workflows
            .get(w)
            .and_then(|wf| wf.steps.iter().position(|s| s.id == activity))
        else {
            return Err(SimError::UnknownActivity {
                workflow: workflow.to_owned(),
                activity: activity.to_owned(),
            });
        };
        let mine = |t: &Token| t.workflow == w && t.activity == a;
        if !self.s.holds.iter().any(|h| mine(&h.token)) {
            let held = plan
                .step(w, a)
                .is_some_and(|s| s.execution == Execution::EnableButDoNotExecute);
            return Err(SimError::NothingHeld {
                workflow: workflow.to_owned(),
                activity: activity.to_owned(),
                why: if held {
                    "no branch has reached it since it was last released"
                } else {
                    "its Execution option is not Enable but do not execute"
                },
            });
        }
        let (released, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.s.holds)
            .into_iter()
            .partition(|h| mine(&h.token));
        self.s.holds = kept;
        let clock = self.s.clock;
        let n = released.len();
        for h in released {
            self.s.ended(h.step, clock);
            if let Some(run) = self.s.run_mut(h.token.run) {
                run.open = run.open.saturating_sub(1);
            }
            self.s.push(clock, h.token);
        }
        Ok(n)
    }

    /// Goes on over `prepared`, an edited version of the session's design, so that Resume
    /// runs a failed activity with the fixed settings or data: refused when the edit changed
    /// what the session's pending work refers to (workflows, activities, transitions, the
    /// parameters of signals).
    pub fn adopt(&mut self, prepared: Arc<Prepared>) -> Result<(), SimError> {
        if let Some(why) = self.prepared.plan().shape_change(prepared.plan()) {
            return Err(SimError::DesignChanged(why));
        }
        self.prepared = prepared;
        // The edit may have changed the file store: what paths matched is asked again.
        self.s.matches = std::cell::RefCell::default();
        Ok(())
    }

    /// Gives this simulator a fresh session over the same design (as [`Simulator::new`] with
    /// the same settings), keeping the room its buffers took.
    pub(crate) fn reset(&mut self) {
        let s = &mut self.s;
        s.states.fill(WorkflowState::NotStarted);
        s.parked.iter_mut().for_each(Vec::clear);
        s.suspended.fill(None);
        s.holds.clear();
        s.errors_in_row.fill(0);
        s.clock = self.prepared.design.sample.clock_start;
        // A few runs are kept for their buffers (a batch's sessions have a few runs each).
        let keep = SPARE_RUNS.saturating_sub(s.spare_runs.len());
        let spare = s.runs.len().min(keep);
        s.spare_runs.extend(s.runs.drain(..spare));
        s.runs.clear();
        s.queue.clear();
        s.seq = 0;
        s.held.iter_mut().for_each(|h| h.clear());
        s.last_trigger.fill(None);
        s.joins.clear();
        s.outbox.clear();
        s.trace.clear();
        s.saved.clear();
        s.steps = 0;
        s.last_halt = None;
        s.uuids.set(0);
        s.first_id = 1;
    }

    /// The index of `workflow`.
    fn index(&self, workflow: &str) -> Result<usize, SimError> {
        self.prepared
            .workflow_index(workflow)
            .ok_or_else(|| SimError::UnknownWorkflow(workflow.to_owned()))
    }

    /// Applies `command` to `workflow`'s state; the workflow's index.
    fn apply_command(
        &mut self,
        workflow: &str,
        command: WorkflowCommand,
    ) -> Result<usize, SimError> {
        let w = self.index(workflow)?;
        self.command_at(w, command).map(|()| w)
    }

    /// Whether `command` applies to workflow `w` now.
    fn allows_at(&self, w: usize, command: WorkflowCommand) -> Result<(), SimError> {
        let state = self
            .s
            .states
            .get(w)
            .copied()
            .unwrap_or(WorkflowState::NotStarted);
        match command.refusal(state) {
            None => Ok(()),
            Some(hint) => {
                let workflow = self.prepared.plan().workflows.get(w).map(|wf| &wf.id);
                Err(SimError::InvalidTransition {
                    workflow: workflow.cloned().unwrap_or_default(),
                    action: command.name(),
                    state: state.name(),
                    hint,
                })
            }
        }
    }

    /// Moves workflow `w` to the state `command` leaves it in, when its state allows it.
    fn command_at(&mut self, w: usize, command: WorkflowCommand) -> Result<(), SimError> {
        self.allows_at(w, command)?;
        let to = match command {
            WorkflowCommand::Start | WorkflowCommand::Resume | WorkflowCommand::Restart => {
                WorkflowState::Started
            }
            WorkflowCommand::Pause => WorkflowState::Paused,
            WorkflowCommand::Stop => WorkflowState::Stopped,
        };
        if let Some(s) = self.s.states.get_mut(w) {
            *s = to;
        }
        Ok(())
    }
}

impl Session {
    /// Ends run `id` when nothing of it is pending: finished, or failed when it recorded an
    /// error (a join still waiting is one).
    pub(super) fn finish_if_done(&mut self, p: &Prepared, id: RunId) {
        match self.run(id) {
            Some(run) if run.open == 0 && run.status == RunStatus::Running => {}
            _ => return,
        }
        let waiting = self.waiting_joins(p, id);
        let Some(run) = self.run_mut(id) else { return };
        for m in waiting {
            run.errors.push(RunError {
                activity: String::new(),
                message: m,
                missing: None,
            });
        }
        run.status = if run.errors.is_empty() {
            RunStatus::Finished
        } else {
            RunStatus::Failed
        };
        let (clean, w) = (run.status == RunStatus::Finished, run.at.0);
        self.joins.retain(|(r, _, _), _| *r != id);
        if clean && let Some(n) = self.errors_in_row.get_mut(w) {
            *n = 0;
        }
    }

    /// An End set to "Stop all tasks in progress" of workflow `w` was reached: the workflow
    /// stops as the Stop command stops it, except that the runs it cuts are not failed: each
    /// gets a warning naming the End, and ends as its own record says.
    pub(super) fn stop_all(&mut self, p: &Prepared, step: &crate::sim::plan::Step, w: usize) {
        if let Some(s) = self.states.get_mut(w) {
            *s = WorkflowState::Stopped;
        }
        let workflow = p.plan().workflows.get(w).map_or("", |wf| wf.id.as_str());
        let warning = format!(
            "End '{}' stopped workflow '{workflow}' (Stop all tasks in progress): this branch was cut",
            step.id
        );
        for r in self.drop_pending(w) {
            if let Some(run) = self.run_mut(r) {
                run.open = 0;
                if run.status == RunStatus::Suspended {
                    run.status = RunStatus::Running;
                }
            }
            self.record(r, |run| run.warnings.push(warning.clone()));
            self.finish_if_done(p, r);
        }
    }

    /// Moves the pending visits of workflow `w` (paused or erroneous) aside, in order.
    pub(super) fn park(&mut self, w: usize) {
        let (mine, others): (Vec<Queued>, Vec<Queued>) = self
            .queue
            .take_all()
            .into_iter()
            .partition(|q| q.token.workflow == w);
        self.queue.extend(others);
        if let Some(parked) = self.parked.get_mut(w) {
            parked.extend(mine);
        }
    }

    /// Puts the visits workflow `w` parked back in the queue, at their times and order.
    fn unpark(&mut self, w: usize) {
        if let Some(parked) = self.parked.get_mut(w) {
            self.queue.extend(parked.drain(..));
        }
    }

    /// Drops everything workflow `w` has pending (queued triggers and visits, parked visits,
    /// held branches, a failed visit, arrivals at joins); the runs that had something pending.
    pub(super) fn drop_pending(&mut self, w: usize) -> BTreeSet<RunId> {
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
        if let Some(parked) = self.parked.get_mut(w) {
            touched.extend(parked.drain(..).map(|q| q.token.run));
        }
        self.holds.retain(|h| {
            if h.token.workflow == w {
                touched.insert(h.token.run);
            }
            h.token.workflow != w
        });
        if let Some(s) = self.suspended.get_mut(w).and_then(Option::take) {
            touched.insert(s.token.run);
            let message = s.message.clone();
            if let Some(run) = self.run_mut(s.token.run) {
                run.errors.push(RunError {
                    activity: s.activity,
                    message,
                    missing: None,
                });
            }
        }
        self.joins.retain(|(r, jw, _), _| {
            if *jw == w {
                touched.insert(*r);
            }
            *jw != w
        });
        touched
    }

    /// Notes on the visit of step `step` that its task ended at `at` (a held branch released,
    /// a failed visit run again).
    pub(super) fn ended(&mut self, step: usize, at: Timestamp) {
        if let Ok(i) = self.trace.binary_search_by_key(&step, |v| v.step)
            && let Some(v) = self.trace.get_mut(i)
        {
            v.until = Some(at);
        }
    }

    /// Fails every running run of trigger `root` with `message` and drops what they had
    /// pending.
    pub(super) fn fail_trigger(&mut self, root: RunId, message: &str) {
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
                    missing: None,
                });
            }
        }
        self.queue.retain(|q| !ended.contains(&q.token.run));
        for parked in &mut self.parked {
            parked.retain(|q| !ended.contains(&q.token.run));
        }
        self.holds.retain(|h| !ended.contains(&h.token.run));
        self.joins.retain(|(r, _, _), _| !ended.contains(r));
        if let Some(r) = self.run_mut(root) {
            r.budget.recent.clear();
        }
    }

    /// Drops the oldest finished runs (with their visits and outbox entries) beyond the run
    /// window, a quarter of the window at a time.
    pub(super) fn trim_runs(&mut self) {
        let Some(keep) = self.window else { return };
        if self.runs.len() < keep + keep.div_ceil(4) {
            return;
        }
        let excess = self.runs.len() - keep;
        let k = self
            .runs
            .iter()
            .take(excess)
            .take_while(|r| !r.status.is_open())
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
}
