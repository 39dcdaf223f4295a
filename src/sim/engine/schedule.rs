//! Scheduling: the pending visits in one queue ordered by (virtual time, sequence), stepping
//! through them (those of a paused or erroneous workflow wait aside until it resumes), the
//! visit budget of each trigger (and, when one is spent, the message that names the loop),
//! AND-joins, which hold arrivals until every incoming transition has brought one, and the
//! activities' "Execution" options: a branch held until released, or skipped.

use super::activities::{self, Cx};
use super::effect::{Effect, Site, count};
use super::error::missing_data;
use super::{Breakpoints, Hold, Queued, Session, Simulator, Stepped, Stop, Token, WorkflowState};
use crate::model::Execution;
use crate::sim::plan::{Action, OUT, Step, Sym};
use crate::sim::population::Population;
use crate::sim::prepared::Prepared;
use crate::sim::run::{RunId, Visit, VisitStatus};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// How many recent visits the step-limit error looks at to name the loop.
const LOOP_WINDOW: usize = 200;

impl Simulator {
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
        self.s.step(&self.prepared)
    }
}

impl Session {
    /// Queues a visit at `at` (aside, when its workflow is paused or erroneous); its run has
    /// one more branch pending.
    pub(super) fn push(&mut self, at: Timestamp, token: Token) {
        self.seq += 1;
        if let Some(r) = self.run_mut(token.run) {
            r.open += 1;
        }
        let w = token.workflow;
        let queued = Queued {
            at,
            seq: self.seq,
            token,
        };
        match self.states.get(w) {
            Some(WorkflowState::Paused | WorkflowState::Erroneous) => {
                if let Some(parked) = self.parked.get_mut(w) {
                    parked.push(queued);
                }
            }
            _ => self.queue.push(queued),
        }
    }

    fn step(&mut self, p: &Prepared) -> Stepped {
        let Some(Queued { at, token, .. }) = self.queue.pop() else {
            return Stepped::Idle;
        };
        if let Some(r) = self.run_mut(token.run) {
            r.open = r.open.saturating_sub(1);
        }
        let root = self.root_of(token.run);
        if self.run(root).map_or(0, |r| r.budget.visits) >= self.step_limit {
            let message = self.loop_message(p, root);
            self.fail_trigger(root, &message);
            self.last_halt = Some(message.clone());
            return Stepped::Halted(message);
        }
        if at > self.clock {
            self.clock = at;
        }
        Stepped::Visited(self.visit(p, token, root))
    }

    /// One visit: the activity decides its effect, the effect is applied, the run ends when
    /// nothing of it is left pending. The index of the visit in the trace.
    fn visit(&mut self, p: &Prepared, token: Token, root: RunId) -> usize {
        let Some(step) = p.plan().step(token.workflow, token.activity) else {
            return self.trace.len();
        };
        self.steps += 1;
        self.spend(root, (token.workflow, token.activity, token.run));
        let site = Site {
            run: token.run,
            workflow: token.workflow,
            activity: token.activity,
        };
        let log = self.log_of(p, step, &site, token.population.len());
        match step.execution {
            Execution::DoNotEnable => return self.skip(p, step, token.run, log),
            Execution::EnableButDoNotExecute if !token.released => {
                return self.hold_branch(step, token, log);
            }
            _ => {}
        }
        let retry = step.may_suspend.then(|| token.clone());
        let Token {
            run,
            workflow,
            via,
            population,
            files,
            ..
        } = token;
        let (sets, emit) = (
            std::mem::take(&mut self.spare_sets),
            std::mem::take(&mut self.spare_emit),
        );
        let mut fx = Effect::new(log, sets, emit);
        match &step.action {
            Action::AndJoin { incoming } => self.join(&site, via, population, incoming, &mut fx),
            _ => {
                let cx = Cx::new(p, self, step, &site, files.as_ref());
                if let Err(e) = activities::run(&cx, population, &mut fx) {
                    let missing = p
                        .design
                        .workflows
                        .get(workflow)
                        .and_then(|w| missing_data(&p.design, w, &step.id, &e));
                    fx.fail(e, missing);
                }
            }
        }
        self.apply(p, step, &site, files, &mut fx);
        self.record(run, |r| r.path.push(step.id.clone()));
        let suspend = fx.suspend.take();
        let stop_all = step.stop_all && fx.ended_clean();
        let (visit, sets, emit) = fx.finish();
        (self.spare_sets, self.spare_emit) = (sets, emit);
        self.keep(visit);
        if let (Some(message), Some(mut token)) = (suspend, retry) {
            token.released = true;
            self.suspend(step, token, message);
        }
        if stop_all {
            self.stop_all(p, step, site.workflow);
        }
        self.finish_if_done(p, run);
        self.trace.len().saturating_sub(1)
    }

    /// Keeps a visit in the trace (when the session keeps visits).
    fn keep(&mut self, visit: Option<Box<Visit>>) {
        if let Some(v) = visit
            && self.keep_visits
        {
            self.trace.push(*v);
        }
    }

    /// A branch reached an activity set to "Do not enable": it ends there, the activity not
    /// run.
    fn skip(&mut self, p: &Prepared, step: &Step, run: RunId, log: Option<Box<Visit>>) -> usize {
        let visit = log.map(|mut v| {
            v.status = VisitStatus::Skipped;
            v.notes.push(format!(
                "not enabled (Execution: Do not enable): '{}' does not run and its branch ends here",
                step.id
            ));
            v
        });
        self.keep(visit);
        self.finish_if_done(p, run);
        self.trace.len().saturating_sub(1)
    }

    /// A branch reached an activity set to "Enable but do not execute": it waits there, its
    /// run open, until released.
    fn hold_branch(&mut self, step: &Step, token: Token, log: Option<Box<Visit>>) -> usize {
        let visit = log.map(|mut v| {
            v.status = VisitStatus::Held;
            v.notes.push(format!(
                "held (Execution: Enable but do not execute): '{}' waits to be released",
                step.id
            ));
            v
        });
        self.keep(visit);
        if let Some(r) = self.run_mut(token.run) {
            r.open += 1;
        }
        let mut token = token;
        token.released = true;
        self.holds.push(Hold {
            token,
            activity: step.id.clone(),
            since: self.clock,
            step: self.steps,
        });
        self.trace.len().saturating_sub(1)
    }

    /// The visit as the trace will show it, before the activity decides; `None` without detail.
    fn log_of(
        &self,
        p: &Prepared,
        step: &Step,
        site: &Site,
        count_in: usize,
    ) -> Option<Box<Visit>> {
        let workflow = p.plan().workflows.get(site.workflow);
        self.detail.then(|| {
            Box::new(Visit {
                step: self.steps,
                run: site.run,
                workflow: workflow.map(|w| w.id.clone()).unwrap_or_default(),
                activity: step.id.clone(),
                kind: step.kind,
                at: self.clock,
                count_in,
                count_out: None,
                ports: Vec::new(),
                settings: Vec::new(),
                notes: Vec::new(),
                error: None,
                status: VisitStatus::Ran,
                until: None,
            })
        })
    }

    /// Counts a visit against trigger `root`'s budget; near the limit, keeps it as (workflow,
    /// activity, run) for the loop message.
    fn spend(&mut self, root: RunId, at: (usize, usize, RunId)) {
        let limit = self.step_limit;
        if let Some(r) = self.run_mut(root) {
            r.budget.visits += 1;
            if r.budget.visits.saturating_add(LOOP_WINDOW) > limit {
                if r.budget.recent.len() >= LOOP_WINDOW {
                    r.budget.recent.pop_front();
                }
                r.budget.recent.push_back(at);
            }
        }
    }

    /// An arrival at an AND-join: held until one has come along each incoming transition of
    /// the same run, then the union goes on.
    fn join(
        &mut self,
        site: &Site,
        via: Option<usize>,
        population: Population,
        incoming: &[usize],
        fx: &mut Effect<'_>,
    ) {
        let key = (site.run, site.workflow, site.activity);
        let arrivals = self.joins.entry(key).or_default();
        let via = via.unwrap_or(usize::MAX);
        match arrivals.iter_mut().find(|(t, _)| *t == via) {
            Some(slot) => slot.1 = population,
            None => arrivals.push((via, population)),
        }
        let complete = incoming
            .iter()
            .all(|t| arrivals.iter().any(|(a, _)| a == t));
        if !complete {
            // This arrival is held by the join until the other branches arrive.
            let arrived = arrivals.len();
            fx.note(|| format!("waiting: {arrived} of {} branches arrived", incoming.len()));
            return;
        }
        let parts: Vec<Population> = self
            .joins
            .remove(&key)
            .unwrap_or_default()
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        let merged = Population::union(&parts);
        fx.setting("merge", || "union".into());
        fx.set(Sym::REC_COUNT, count(merged.len()));
        fx.emit(OUT, merged);
    }

    /// The AND-joins of run `id` still waiting, as errors of the run.
    pub(super) fn waiting_joins(&self, p: &Prepared, id: RunId) -> Vec<String> {
        self.joins
            .iter()
            .filter(|((r, _, _), _)| *r == id)
            .filter_map(|((_, w, a), arrived)| {
                let step = p.plan().step(*w, *a)?;
                let expected = match &step.action {
                    Action::AndJoin { incoming } => incoming.len(),
                    _ => 0,
                };
                Some(format!(
                    "AND-join '{}' waited for {expected} branches but only {} arrived",
                    step.id,
                    arrived.len()
                ))
            })
            .collect()
    }

    /// The step-limit message for trigger `root`: the loop inside a workflow (activities on a
    /// cycle of its transitions that its runs visited again), the loop of End triggers
    /// (workflows repeating in the chain of runs), or that there is no loop.
    fn loop_message(&self, p: &Prepared, root: RunId) -> String {
        let recent: Vec<(usize, usize, RunId)> = self
            .run(root)
            .map(|r| r.budget.recent.iter().copied().collect())
            .unwrap_or_default();
        let repeating = repeating(p, &recent);
        let chain = self.chain(recent.last().map(|(_, _, r)| *r));
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

    /// The workflows of the chain of End triggers that led to run `last`, first caller first.
    fn chain(&self, last: Option<RunId>) -> Vec<String> {
        let mut chain = Vec::new();
        let mut cur = last;
        while let Some(id) = cur {
            let Some(run) = self.run(id) else { break };
            chain.push(run.workflow.clone());
            cur = run.parent;
        }
        chain.reverse();
        chain
    }
}

/// The activities on a cycle that a run visited more than once among `recent` visits, as
/// `WORKFLOW/activity`, starting at the first in document order.
fn repeating(p: &Prepared, recent: &[(usize, usize, RunId)]) -> Vec<String> {
    let mut counts: BTreeMap<(RunId, usize, usize), usize> = BTreeMap::new();
    for (w, a, r) in recent {
        *counts.entry((*r, *w, *a)).or_default() += 1;
    }
    let mut repeating: Vec<(usize, usize)> = Vec::new();
    for (w, a, r) in recent {
        let on_cycle = p.plan().step(*w, *a).is_some_and(|s| s.cyclic);
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
    repeating
        .iter()
        .filter_map(|(w, a)| {
            let wf = p.plan().workflows.get(*w)?;
            Some(format!("{}/{}", wf.id, wf.steps.get(*a)?.id))
        })
        .collect()
}
