//! The simulator's background jobs, on the one pattern of [`Job`]: driving the shared session
//! (continue, run to the end), rebuilding a fresh session on the design as it is now (reset,
//! run after an edit, auto-run), and running scenarios. Each job steps in chunks that release
//! the lock, so the window keeps drawing and the Stop button ([`Running::cancel`]) can stop
//! it; a job whose session was replaced meanwhile stops instead of stepping the new one.

use crate::model::{Design, Scenario};
use crate::serve::SharedSimulator;
use crate::sim::coverage::{Coverage, coverage};
use crate::sim::{self, Breakpoints, Prepared, Simulator, Stepped, TriggerOutcome};
use crate::ui::background::{Job, Stop};
use crate::ui::overlay::ScenarioMark;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, MutexGuard, PoisonError};

/// Visits made per lock in background jobs (the window can draw between chunks).
const CHUNK: usize = 256;

/// How a background job ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Finished {
    /// Nothing is left to do.
    Idle,
    /// The next visit is at this breakpoint (workflow, activity).
    Breakpoint(String, String),
    /// The step limit halted the simulation.
    Halted(String),
    /// Stopped with the Stop button.
    Cancelled,
}

impl Finished {
    /// The status line.
    pub fn describe(&self) -> String {
        match self {
            Finished::Idle => "Finished: nothing left to do".into(),
            Finished::Breakpoint(w, a) => format!("Stopped at breakpoint {w}/{a}"),
            Finished::Halted(m) => format!("Halted: {m}. Reset to simulate again"),
            Finished::Cancelled => "Stopped by the user".into(),
        }
    }
}

/// What a background job sends back.
pub enum JobResult {
    /// The shared session was driven.
    Drove(Finished),
    /// A fresh session was built (and maybe triggered and driven) on the design of `rev`.
    Rebuilt {
        /// The new session.
        sim: Box<Simulator>,
        /// The design revision it was built on.
        rev: u64,
        /// What the trigger gave, when there was one.
        outcome: Option<TriggerOutcome>,
        /// How the run ended.
        finished: Finished,
        /// The scenarios run again, by name.
        marks: Vec<(String, ScenarioMark)>,
        /// Why it was rebuilt, for the status line.
        note: Option<String>,
    },
    /// Every scenario ran, to measure what they reach.
    Coverage {
        /// Their results, by name.
        marks: Vec<(String, ScenarioMark)>,
        /// What they reach.
        coverage: Coverage,
        /// The design revision they ran on.
        rev: u64,
    },
    /// Stop ended a coverage measurement before every scenario ran: nothing is measured (a
    /// coverage of some scenarios would show as unreached what the others reach).
    CoverageStopped {
        /// The scenarios that ran.
        ran: usize,
        /// The scenarios of the design.
        total: usize,
    },
    /// Scenarios ran (the simulator of the one, when only one ran, to show it).
    Scenarios {
        /// Their results, by name: fewer than `asked` when Stop ended the job early.
        marks: Vec<(String, ScenarioMark)>,
        /// How many scenarios were asked for.
        asked: usize,
        /// The session and trigger outcome of a lone scenario.
        shown: Option<(Box<Simulator>, TriggerOutcome)>,
        /// The design revision they ran on.
        rev: u64,
    },
}

/// A running job and what it is doing (for the busy line).
pub struct Running {
    /// What the job does, as the toolbar says it.
    pub what: &'static str,
    /// The job.
    pub job: Job<JobResult>,
}

/// What a rebuild does after starting every workflow.
pub struct Rebuild {
    /// The design, as it is now.
    pub design: Design,
    /// Its revision.
    pub rev: u64,
    /// The trigger to send: (workflow, signal, payload bytes).
    pub trigger: Option<(String, String, Vec<u8>)>,
    /// After the trigger: run (stopping at these breakpoints, if any) or stay before the first
    /// visit (`None`).
    pub then: Option<Option<Breakpoints>>,
    /// Scenarios to run again on the new design.
    pub scenarios: Vec<Scenario>,
    /// Why, for the status line.
    pub note: Option<String>,
}

/// Locks a session, recovering it if a panic poisoned the lock.
pub fn lock(sim: &SharedSimulator) -> MutexGuard<'_, Simulator> {
    sim.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Steps `shared` until idle, halted, cancelled, or (with breakpoints, after the first visit)
/// the next visit is at a breakpoint. The lock is taken per chunk of visits.
fn drive(
    shared: &SharedSimulator,
    breakpoints: Option<&Breakpoints>,
    cancel: &AtomicBool,
) -> Finished {
    // The session this job drives: a Reset or an auto-run may replace the simulator behind the
    // lock while a chunk is pending; the job must then stop rather than step the new one.
    let session = lock(shared).prepared().clone();
    let mut first = true;
    loop {
        {
            let mut sim = lock(shared);
            if !Arc::ptr_eq(sim.prepared(), &session) {
                return Finished::Cancelled;
            }
            if let Some(f) = drive_chunk(&mut sim, breakpoints, &mut first) {
                return f;
            }
        }
        if cancel.is_stopped() {
            return Finished::Cancelled;
        }
    }
}

fn drive_chunk(
    sim: &mut Simulator,
    breakpoints: Option<&Breakpoints>,
    first: &mut bool,
) -> Option<Finished> {
    for _ in 0..CHUNK {
        if !*first
            && let Some(bps) = breakpoints
            && let Some((w, a)) = sim.next_visit()
            && bps.contains(&(w.to_owned(), a.to_owned()))
        {
            return Some(Finished::Breakpoint(w.to_owned(), a.to_owned()));
        }
        *first = false;
        match sim.step() {
            Stepped::Visited(_) => {}
            Stepped::Idle => return Some(Finished::Idle),
            Stepped::Halted(m) => return Some(Finished::Halted(m)),
        }
    }
    None
}

fn drive_owned(
    sim: &mut Simulator,
    breakpoints: Option<&Breakpoints>,
    cancel: &AtomicBool,
) -> Finished {
    let mut first = true;
    loop {
        if let Some(f) = drive_chunk(sim, breakpoints, &mut first) {
            return f;
        }
        if cancel.is_stopped() {
            return Finished::Cancelled;
        }
    }
}

/// Runs `scenarios` in order, stopping before the next one once `cancel` is raised.
fn run_scenarios(
    prepared: &Arc<Prepared>,
    scenarios: &[Scenario],
    rev: u64,
    cancel: &AtomicBool,
) -> Vec<(String, ScenarioMark)> {
    scenarios
        .iter()
        .take_while(|_| !cancel.is_stopped())
        .map(|s| {
            let r = sim::run_scenario(prepared, s);
            (
                s.name.clone(),
                ScenarioMark {
                    differences: r.differences,
                    rev,
                },
            )
        })
        .collect()
}

fn rebuild(job: Rebuild, cancel: &AtomicBool) -> JobResult {
    let prepared = Arc::new(Prepared::new(job.design));
    let mut sim = Simulator::new(prepared.clone());
    sim.start_all();
    let mut finished = drive_owned(&mut sim, None, cancel);
    let mut outcome = None;
    if let Some((w, s, bytes)) = &job.trigger
        && finished == Finished::Idle
    {
        let o = sim.trigger_bytes(w, s, bytes);
        outcome = Some(o);
        if let Some(bps) = &job.then {
            finished = drive_owned(&mut sim, bps.as_ref(), cancel);
        }
    }
    let marks = run_scenarios(&prepared, &job.scenarios, job.rev, cancel);
    JobResult::Rebuilt {
        sim: Box::new(sim),
        rev: job.rev,
        outcome,
        finished,
        marks,
        note: job.note,
    }
}

/// Runs `chosen` on `design`; one scenario is also shown in the Simulator tab, several only get
/// marks.
fn scenarios(design: Design, chosen: &[Scenario], rev: u64, cancel: &AtomicBool) -> JobResult {
    let prepared = Arc::new(Prepared::new(design));
    let asked = chosen.len();
    if let [one] = chosen {
        let r = sim::run_scenario(&prepared, one);
        let mark = ScenarioMark {
            differences: r.differences,
            rev,
        };
        return JobResult::Scenarios {
            marks: vec![(one.name.clone(), mark)],
            asked,
            shown: Some((Box::new(r.simulator), r.outcome)),
            rev,
        };
    }
    JobResult::Scenarios {
        marks: run_scenarios(&prepared, chosen, rev, cancel),
        asked,
        shown: None,
        rev,
    }
}

impl Running {
    /// Starts `work` in the background, saying `what` it does.
    fn start(
        what: &'static str,
        repaint: Option<&egui::Context>,
        work: impl FnOnce(&AtomicBool) -> JobResult + Send + 'static,
    ) -> anyhow::Result<Running> {
        let job = Job::start("flowcall-simulator", repaint, work)
            .map_err(|e| anyhow::anyhow!("cannot start the simulator's thread: {e}"))?;
        Ok(Running { what, job })
    }

    /// Drives the shared session (to the next breakpoint when given).
    pub fn drive(
        shared: &SharedSimulator,
        breakpoints: Option<Breakpoints>,
        repaint: Option<&egui::Context>,
    ) -> anyhow::Result<Running> {
        let shared = shared.clone();
        let what = if breakpoints.is_some() {
            "Running to the next breakpoint"
        } else {
            "Running to the end"
        };
        Running::start(what, repaint, move |cancel| {
            JobResult::Drove(drive(&shared, breakpoints.as_ref(), cancel))
        })
    }

    /// Builds a fresh session.
    pub fn rebuild(job: Rebuild, repaint: Option<&egui::Context>) -> anyhow::Result<Running> {
        let what = if job.trigger.is_some() {
            "Running"
        } else {
            "Resetting"
        };
        Running::start(what, repaint, move |cancel| rebuild(job, cancel))
    }

    /// Runs scenarios on `design` (of revision `rev`).
    pub fn scenarios(
        design: Design,
        chosen: Vec<Scenario>,
        rev: u64,
        repaint: Option<&egui::Context>,
    ) -> anyhow::Result<Running> {
        Running::start("Running scenarios", repaint, move |cancel| {
            scenarios(design, &chosen, rev, cancel)
        })
    }

    /// Runs every scenario of `design` (revision `rev`) and measures what they reach.
    pub fn coverage(
        design: Design,
        rev: u64,
        repaint: Option<&egui::Context>,
    ) -> anyhow::Result<Running> {
        Running::start("Measuring coverage", repaint, move |cancel| {
            let prepared = Arc::new(Prepared::new(design));
            let total = prepared.design.scenarios.len();
            let results: Vec<sim::ScenarioResult> = prepared
                .design
                .scenarios
                .iter()
                .take_while(|_| !cancel.is_stopped())
                .map(|s| sim::run_scenario(&prepared, s))
                .collect();
            if results.len() < total {
                return JobResult::CoverageStopped {
                    ran: results.len(),
                    total,
                };
            }
            let coverage = coverage(&prepared.design, &results);
            let marks = results
                .into_iter()
                .map(|r| {
                    let mark = ScenarioMark {
                        differences: r.differences,
                        rev,
                    };
                    (r.name, mark)
                })
                .collect();
            JobResult::Coverage {
                marks,
                coverage,
                rev,
            }
        })
    }

    /// Asks the job to stop.
    pub fn cancel(&self) {
        self.job.stop();
    }
}
