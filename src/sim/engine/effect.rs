//! What a visit changes and what it records. An activity decides an [`Effect`] (variables to
//! set, populations to send out of its exits, an audience to save, an email, an End reached,
//! a later time, an error) without touching the session; [`Session::apply`] then changes the
//! session. What is only recorded (the trace's visit with its resolved settings and notes, the
//! run's variables with their origins and their changes, warnings, saved audiences, the path)
//! goes through one sink: the [`Effect`]'s methods for the visit, [`Session::record`] for the
//! run, both of which do nothing when the session keeps no detail. A failure (an activity's
//! error, an End whose trigger is refused) is ignored (the branch ends, the workflow goes on)
//! or suspends the workflow, by the activity's "In case of error" option and the workflow's
//! consecutive errors.

use super::error::ActivityError;
use super::{Session, Suspension, Token, WorkflowState};
use crate::model::{OnError, Value};
use crate::sim::missing::MissingData;
use crate::sim::plan::{EndTarget, Step, Sym};
use crate::sim::population::Population;
use crate::sim::prepared::Prepared;
use crate::sim::run::{
    ChainOutcome, EndReached, Origin, OutboxEntry, Run, RunError, RunId, RunStatus, TriggerError,
    Variable, VariableChange, Visit, VisitStatus,
};
use crate::sim::trigger::Payload;
use jiff::Timestamp;
use serde_json::Value as Json;
use std::sync::Arc;

/// Where a visit happens.
#[derive(Debug, Clone, Copy)]
pub(super) struct Site {
    /// The run.
    pub(super) run: RunId,
    /// The workflow index.
    pub(super) workflow: usize,
    /// The activity index.
    pub(super) activity: usize,
}

/// What visiting an activity decided, before it is applied to the session.
pub(super) struct Effect<'p> {
    /// The visit as the trace will show it; `None` when the session keeps no detail.
    log: Option<Box<Visit>>,
    error: Option<String>,
    /// The sample data whose absence caused `error`, if that is why.
    missing: Option<Box<MissingData>>,
    warn: Option<String>,
    sets: Vec<(Sym, Value)>,
    emit: Vec<(usize, Population)>,
    /// When the successors are visited (a Wait), if later than now.
    pub(super) until: Option<Timestamp>,
    /// The files transferred, for the Load files downstream.
    pub(super) files: Option<Arc<Vec<String>>>,
    /// An audience to save under its label.
    pub(super) save: Option<(String, Population)>,
    sent: bool,
    outbox: Option<Box<OutboxEntry>>,
    /// An End reached, with what it triggers.
    pub(super) end: Option<Option<EndFire<'p>>>,
    /// The failure suspended the workflow, with this message: the visit runs again on resume.
    pub(super) suspend: Option<String>,
    /// The End's trigger was refused.
    rejected: bool,
}

/// The trigger an End fires: its target and the parameters it evaluated (or the problems of
/// those that failed).
pub(super) struct EndFire<'p> {
    /// What it triggers.
    pub(super) target: &'p EndTarget,
    /// The parameters evaluated, as a payload's.
    pub(super) parameters: Vec<(String, Json)>,
    /// The parameters whose expression failed.
    pub(super) errors: Vec<TriggerError>,
}

impl<'p> Effect<'p> {
    /// An effect that records into `log` (`None`: records nothing), its lists kept in the room
    /// of `sets` and `emit` (empty).
    pub(super) fn new(
        log: Option<Box<Visit>>,
        sets: Vec<(Sym, Value)>,
        emit: Vec<(usize, Population)>,
    ) -> Self {
        Effect {
            log,
            error: None,
            missing: None,
            warn: None,
            sets,
            emit,
            until: None,
            files: None,
            save: None,
            sent: false,
            outbox: None,
            end: None,
            suspend: None,
            rejected: false,
        }
    }

    /// Whether the activity did its work: no error, no refused trigger.
    pub(super) fn ended_clean(&self) -> bool {
        self.error.is_none() && self.suspend.is_none() && !self.rejected
    }

    /// Whether the visit is recorded (the session keeps detail): what only the record shows
    /// need not be made otherwise.
    #[inline]
    pub(super) fn records(&self) -> bool {
        self.log.is_some()
    }

    /// Records a resolved setting; `value` is computed only when recorded.
    #[inline]
    pub(super) fn setting(&mut self, name: &'static str, value: impl FnOnce() -> String) {
        if let Some(v) = &mut self.log {
            v.settings.push((name.to_owned(), value()));
        }
    }

    /// Records a resolved setting whose name is made too (`parameter:NAME`).
    #[inline]
    pub(super) fn setting_with(&mut self, pair: impl FnOnce() -> (String, String)) {
        if let Some(v) = &mut self.log {
            v.settings.push(pair());
        }
    }

    /// Records a note of the visit.
    #[inline]
    pub(super) fn note(&mut self, text: impl FnOnce() -> String) {
        if let Some(v) = &mut self.log {
            v.notes.push(text());
        }
    }

    /// Records a warning: a note of the visit and a warning of the run.
    #[inline]
    pub(super) fn warn(&mut self, text: impl FnOnce() -> String) {
        if self.log.is_some() {
            self.warn = Some(text());
        }
    }

    /// Sets a variable of the run.
    #[inline]
    pub(super) fn set(&mut self, name: Sym, value: Value) {
        self.sets.push((name, value));
    }

    /// Sends `population` out of exit `exit`.
    #[inline]
    pub(super) fn emit(&mut self, exit: usize, population: Population) {
        self.emit.push((exit, population));
    }

    /// Adds an entry to the outbox; the entry is made only when recording.
    #[inline]
    pub(super) fn send(&mut self, entry: impl FnOnce() -> OutboxEntry) {
        self.sent = true;
        if self.log.is_some() {
            self.outbox = Some(Box::new(entry()));
        }
    }

    /// The activity failed: the error is recorded on the run and the visit, and the branch
    /// ends there (nothing is set, sent, saved, reached or sent out).
    /// `missing` is the sample data whose absence caused it, if that is why.
    pub(super) fn fail(&mut self, error: ActivityError, missing: Option<MissingData>) {
        self.error = Some(error.to_string());
        self.missing = missing.map(Box::new);
        self.emit.clear();
        self.sets.clear();
        self.sent = false;
        self.outbox = None;
        self.save = None;
        self.end = None;
    }

    /// The visit as recorded, when recording, and the room its lists took, emptied.
    pub(super) fn finish(&mut self) -> Finished {
        self.sets.clear();
        self.emit.clear();
        (
            self.log.take(),
            std::mem::take(&mut self.sets),
            std::mem::take(&mut self.emit),
        )
    }
}

/// What a visit leaves: its record (with detail), and the room of the effect's lists.
pub(super) type Finished = (
    Option<Box<Visit>>,
    Vec<(Sym, Value)>,
    Vec<(usize, Population)>,
);

impl Session {
    /// Writes to run `id`'s own record (variables with origins, changes, warnings, saved
    /// audiences, path) when the session keeps detail.
    pub(super) fn record(&mut self, id: RunId, write: impl FnOnce(&mut Run)) {
        if self.detail
            && let Some(run) = self.run_mut(id)
        {
            write(run);
        }
    }

    /// Applies what a visit of `step` at `site` decided; `files` are those its token carried.
    pub(super) fn apply(
        &mut self,
        p: &Prepared,
        step: &Step,
        site: &Site,
        files: Option<Arc<Vec<String>>>,
        fx: &mut Effect<'_>,
    ) {
        self.set_variables(p, step, site.run, fx);
        if let Some(m) = fx.error.clone() {
            if let Some(v) = &mut fx.log {
                v.error = Some(m.clone());
            }
            self.fail(p, step, site, m, fx);
        }
        if let Some(w) = fx.warn.take() {
            self.record(site.run, |r| r.warnings.push(w.clone()));
            fx.note(|| w);
        }
        if let Some((label, population)) = fx.save.take() {
            let n = population.len();
            self.record(site.run, |r| r.saved_audiences.push((label.clone(), n)));
            self.saved.insert(label, population);
        }
        if std::mem::take(&mut fx.sent) {
            if let Some(run) = self.run_mut(site.run) {
                run.sent += 1;
            }
            self.outbox.extend(fx.outbox.take().map(|o| *o));
        }
        if let Some(fire) = fx.end.take() {
            self.reach_end(p, step, site, fire, fx);
        }
        self.follow_exits(step, site, files, fx);
    }

    /// Sets the variables the visit decided, each with its origin and change recorded.
    fn set_variables(&mut self, p: &Prepared, step: &Step, id: RunId, fx: &mut Effect<'_>) {
        let names = &p.plan().names;
        for (name, value) in fx.sets.drain(..) {
            self.record(id, |run| {
                let name = names.name(name);
                run.changes.push(VariableChange {
                    activity: step.id.clone(),
                    name: name.to_owned(),
                    value: value.clone(),
                });
                let origin = Origin::SetBy {
                    activity: step.id.clone(),
                };
                match run.variables.iter_mut().find(|v| v.name == name) {
                    Some(v) => {
                        v.value = value.clone();
                        v.origin = origin;
                    }
                    None => run.variables.push(Variable {
                        name: name.to_owned(),
                        value: value.clone(),
                        origin,
                    }),
                }
            });
            if let Some(run) = self.run_mut(id) {
                run.vars.set(name, value);
            }
        }
    }

    /// The run reached an End: it triggers its target as any caller would (a refusal is an
    /// error of this run), and the End is recorded with what became of its trigger.
    fn reach_end(
        &mut self,
        p: &Prepared,
        step: &Step,
        site: &Site,
        fire: Option<EndFire<'_>>,
        fx: &mut Effect<'_>,
    ) {
        let id = site.run;
        let trigger = fire.map(|f| {
            let target = &f.target.target;
            let payload = Payload {
                source: f.target.source.clone(),
                parameters: f.parameters,
                unreadable: false,
            };
            let outcome = self.trigger(
                p,
                &f.target.workflow,
                &f.target.signal,
                payload,
                f.errors,
                Some(id),
            );
            let chain = match outcome {
                super::TriggerOutcome::Started(run) => {
                    fx.note(|| format!("triggered {target}: run {run}"));
                    ChainOutcome::Started(run)
                }
                super::TriggerOutcome::Queued => {
                    fx.note(|| format!("triggered {target}: queued until resume"));
                    ChainOutcome::Queued
                }
                super::TriggerOutcome::Rejected(errors) => {
                    let text: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
                    let message =
                        format!("the trigger of {target} was rejected: {}", text.join("; "));
                    if let Some(v) = &mut fx.log {
                        v.error = Some(message.clone());
                    }
                    fx.rejected = true;
                    self.fail(p, step, site, message, fx);
                    ChainOutcome::Rejected(errors)
                }
            };
            (target.clone(), chain)
        });
        if fx.suspend.is_some() {
            // Not reached yet: Resume runs the End, and its trigger, again.
            return;
        }
        if let Some(run) = self.run_mut(id) {
            run.ends.push(EndReached {
                activity: step.id.clone(),
                trigger,
            });
        }
    }

    /// A failure of `step` at `site`: ignored (recorded on the run; the branch ends, the
    /// workflow goes on) or, by its "In case of error" option or the workflow's consecutive
    /// errors, the workflow is suspended (noted on the effect; the error waits with it).
    fn fail(
        &mut self,
        p: &Prepared,
        step: &Step,
        site: &Site,
        message: String,
        fx: &mut Effect<'_>,
    ) {
        let threshold = p
            .plan()
            .workflows
            .get(site.workflow)
            .map_or(0, |w| w.threshold);
        let in_row = match self.errors_in_row.get_mut(site.workflow) {
            Some(n) => {
                *n = n.saturating_add(1);
                *n
            }
            None => 0,
        };
        let reached = threshold > 0 && in_row >= threshold;
        if step.on_error == OnError::Suspend || reached {
            if let Some(v) = &mut fx.log {
                v.status = VisitStatus::Suspended;
                v.notes.push(if step.on_error == OnError::Suspend {
                    "In case of error: Suspend the process: the workflow is erroneous until resumed".to_owned()
                } else {
                    format!("{in_row} errors in a row reached the workflow's threshold of {threshold} consecutive errors: the workflow is erroneous until resumed")
                });
            }
            fx.suspend = Some(message);
            return;
        }
        let missing = fx.missing.take().map(|m| *m);
        if let Some(run) = self.run_mut(site.run) {
            run.errors.push(RunError {
                activity: step.id.clone(),
                message,
                missing,
            });
        }
    }

    /// Suspends the workflow of `step` on its failed visit `token`: the workflow becomes
    /// erroneous, its pending visits wait, and the run waits with the visit for Resume.
    pub(super) fn suspend(&mut self, step: &Step, token: Token, message: String) {
        let w = token.workflow;
        if let Some(s) = self.states.get_mut(w) {
            *s = WorkflowState::Erroneous;
        }
        self.park(w);
        if let Some(run) = self.run_mut(token.run) {
            run.open += 1;
            run.status = RunStatus::Suspended;
        }
        let suspension = Suspension {
            activity: step.id.clone(),
            message,
            since: self.clock,
            step: self.steps,
            token,
        };
        if let Some(slot) = self.suspended.get_mut(w) {
            *slot = Some(suspension);
        }
    }

    /// Sends each population out of its exit: a visit of each target (the last one takes the
    /// population itself, the others share it), or a warning when no transition leaves it.
    fn follow_exits(
        &mut self,
        step: &Step,
        site: &Site,
        files: Option<Arc<Vec<String>>>,
        fx: &mut Effect<'_>,
    ) {
        let at = fx.until.unwrap_or(self.clock);
        if let (Some(until), Some(v)) = (fx.until, &mut fx.log) {
            v.until = Some(until);
        }
        let mut files = fx.files.take().or(files);
        let mut out_count = None;
        let mut emit = std::mem::take(&mut fx.emit);
        // Exits still to follow after this one: the last takes the files itself.
        let mut after = emit.len();
        for (exit, population) in emit.drain(..) {
            after = after.saturating_sub(1);
            out_count = Some(out_count.unwrap_or(0).max(population.len()));
            let Some(exit) = step.exits.get(exit) else {
                continue;
            };
            if exit.targets.is_empty() {
                self.record(site.run, |r| r.warnings.push(exit.dead_end.clone()));
                fx.note(|| exit.dead_end.clone());
            }
            let mut population = Some(population);
            let mut targets = exit.targets.iter().peekable();
            while let Some((via, target)) = targets.next() {
                // The last visit takes the population (and, out of the last exit, the files)
                // itself; the others share them.
                let last = targets.peek().is_none();
                let carried = if last {
                    population.take()
                } else {
                    population.clone()
                };
                let Some(carried) = carried else { break };
                let token = Token {
                    run: site.run,
                    workflow: site.workflow,
                    activity: *target,
                    via: Some(*via),
                    population: carried,
                    files: if last && after == 0 {
                        files.take()
                    } else {
                        files.clone()
                    },
                    released: false,
                };
                self.push(at, token);
            }
            if let Some(v) = &mut fx.log {
                v.ports.push(exit.port.clone());
            }
        }
        fx.emit = emit;
        if let Some(v) = &mut fx.log {
            v.count_out = out_count;
        }
    }
}

/// A count as an Integer variable.
pub(super) fn count(n: usize) -> Value {
    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}
