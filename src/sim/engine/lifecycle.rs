//! Life cycles: the states of workflows and the commands that move them (one table of which
//! command applies from which state), and the ends of runs (finished when nothing of them is
//! pending, failed when an error was recorded or their workflow was stopped), the run window
//! that drops old runs, and the reset that gives a batch a fresh session without allocating
//! one.

use super::intake::Launch;
use super::{Session, SimError, Simulator, WorkflowState};
use crate::sim::prepared::Prepared;
use crate::sim::run::{RunError, RunId, RunStatus};
use std::collections::BTreeSet;

/// A command on a workflow's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    Start,
    Pause,
    Resume,
    Stop,
}

impl Command {
    /// How errors name it.
    fn name(self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::Pause => "pause",
            Command::Resume => "resume",
            Command::Stop => "stop",
        }
    }

    /// The states it applies from, and the state it leaves the workflow in.
    fn moves(self) -> (&'static [WorkflowState], WorkflowState) {
        use WorkflowState::*;
        match self {
            Command::Start => (&[NotStarted, Stopped], Started),
            Command::Pause => (&[Started], Paused),
            Command::Resume => (&[Paused], Started),
            Command::Stop => (&[Started, Paused], Stopped),
        }
    }
}

impl Simulator {
    /// Starts (or restarts after stop) a workflow: it listens, and each Start activity begins a
    /// run.
    pub fn start(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.command(workflow, Command::Start)?;
        self.begin_start_runs(w);
        Ok(())
    }

    /// Starts every workflow that is not started.
    pub fn start_all(&mut self) {
        for w in 0..self.s.states.len() {
            if self.s.states.get(w) == Some(&WorkflowState::NotStarted)
                && self.command_at(w, Command::Start).is_ok()
            {
                self.begin_start_runs(w);
            }
        }
    }

    /// Begins a run at each Start activity of workflow `w`.
    fn begin_start_runs(&mut self, w: usize) {
        let p = &*self.prepared;
        let starts = p.plan().workflows.get(w).map_or(&[][..], |wf| &wf.starts);
        for &a in starts {
            let launch = Launch::new(w, a, "start".into(), None, None);
            self.s.start_run(p, launch, [], Vec::new());
        }
    }

    /// Pauses a started workflow: its triggers queue until resume.
    pub fn pause(&mut self, workflow: &str) -> Result<(), SimError> {
        self.command(workflow, Command::Pause).map(|_| ())
    }

    /// Resumes a paused workflow and delivers its queued triggers in order.
    pub fn resume(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.command(workflow, Command::Resume)?;
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

    /// Stops a workflow: queued triggers are dropped and its running runs end as failed.
    pub fn stop(&mut self, workflow: &str) -> Result<(), SimError> {
        let w = self.command(workflow, Command::Stop)?;
        let s = &mut self.s;
        if let Some(h) = s.held.get_mut(w) {
            h.clear();
        }
        let mut touched = BTreeSet::new();
        s.queue.retain(|q| {
            if q.token.workflow == w {
                touched.insert(q.token.run);
            }
            q.token.workflow != w
        });
        s.joins.retain(|(r, jw, _), _| {
            if *jw == w {
                touched.insert(*r);
            }
            *jw != w
        });
        for r in touched {
            if let Some(run) = s.run_mut(r) {
                run.open = 0;
                run.errors.push(RunError {
                    activity: String::new(),
                    message: format!("workflow '{workflow}' was stopped"),
                    missing: None,
                });
                run.status = RunStatus::Failed;
            }
        }
        Ok(())
    }

    /// Gives this simulator a fresh session over the same design (as [`Simulator::new`] with
    /// the same settings), keeping the room its buffers took.
    pub(crate) fn reset(&mut self) {
        let s = &mut self.s;
        s.states.fill(WorkflowState::NotStarted);
        s.clock = self.prepared.design.sample.clock_start;
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

    /// Applies `command` to `workflow`'s state; the workflow's index.
    fn command(&mut self, workflow: &str, command: Command) -> Result<usize, SimError> {
        let w = self
            .prepared
            .workflow_index(workflow)
            .ok_or_else(|| SimError::UnknownWorkflow(workflow.to_owned()))?;
        self.command_at(w, command).map(|()| w)
    }

    /// Applies `command` to the state of workflow `w`, when its state allows it.
    fn command_at(&mut self, w: usize, command: Command) -> Result<(), SimError> {
        let (from, to) = command.moves();
        let state = self
            .s
            .states
            .get(w)
            .copied()
            .unwrap_or(WorkflowState::NotStarted);
        if !from.contains(&state) {
            let workflow = self.prepared.plan().workflows.get(w).map(|wf| &wf.id);
            return Err(SimError::InvalidTransition {
                workflow: workflow.cloned().unwrap_or_default(),
                action: command.name(),
                state: state.name(),
            });
        }
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
        self.joins.retain(|(r, _, _), _| *r != id);
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
}
