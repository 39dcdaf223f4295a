//! The designer's simulator: one session ([`SimPanel`]) shared with the in-process trigger
//! endpoint, the Simulator tab (workflow states, a run form generated from the chosen signal's
//! contract or a JSON payload checked as it is typed, the virtual clock, the runs and the
//! selected run's event variables, errors and outbox), the stepping controls, auto-run, the
//! canvas overlay of the path taken, and the visits shown in the inspector.
//!
//! Drawing only reads the session (through its lock) and collects [`Command`]s; triggers and
//! steps happen when the app applies them. Anything that may take long (continuing, running to
//! the end, resetting, auto-runs, scenarios) runs on a background thread in chunks that release
//! the lock, so the window keeps drawing and a Stop button can cancel it.

use super::canvas::Overlay;
use super::command::Command;
use crate::model::{Design, Scenario, SignalContract, Value};
use crate::serve::{self, SharedSimulator};
use crate::sim::{
    self, Breakpoints, Prepared, RunId, RunStatus, Simulator, Stepped, TriggerError,
    TriggerOutcome, WorkflowState, trigger,
};
use egui::{Color32, RichText, Ui};
use serde_json::{Map, Value as Json};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Red for errors and failures.
pub const RED: Color32 = Color32::from_rgb(0xef, 0x44, 0x44);
/// Green for passes and accepted triggers.
pub const GREEN: Color32 = Color32::from_rgb(0x22, 0xc5, 0x5e);
/// Amber for warnings and pending things.
pub const AMBER: Color32 = Color32::from_rgb(0xf5, 0x9e, 0x0b);

/// Visits made per lock in background jobs (the window can draw between chunks).
const CHUNK: usize = 256;

/// A workflow command of the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowMethod {
    /// Start listening (Start activities begin runs).
    Start,
    /// Queue triggers until resume.
    Pause,
    /// Deliver the queued triggers and listen again.
    Resume,
    /// Refuse triggers.
    Stop,
}

impl WorkflowMethod {
    /// Every method, in button order.
    pub const ALL: [WorkflowMethod; 4] = [
        WorkflowMethod::Start,
        WorkflowMethod::Pause,
        WorkflowMethod::Resume,
        WorkflowMethod::Stop,
    ];

    /// The button text.
    pub fn name(self) -> &'static str {
        match self {
            WorkflowMethod::Start => "Start",
            WorkflowMethod::Pause => "Pause",
            WorkflowMethod::Resume => "Resume",
            WorkflowMethod::Stop => "Stop",
        }
    }

    fn allowed(self, state: WorkflowState) -> bool {
        match self {
            WorkflowMethod::Start => {
                matches!(state, WorkflowState::NotStarted | WorkflowState::Stopped)
            }
            WorkflowMethod::Pause => state == WorkflowState::Started,
            WorkflowMethod::Resume => state == WorkflowState::Paused,
            WorkflowMethod::Stop => {
                matches!(state, WorkflowState::Started | WorkflowState::Paused)
            }
        }
    }
}

/// One parameter's entry in a run form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormValue {
    /// Whether the payload passes it (required parameters are always passed).
    pub send: bool,
    /// The typed value.
    pub value: Value,
}

/// The run form of one signal: a typed entry per parameter, or a JSON payload.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormState {
    /// Who triggers (the payload's `source`).
    pub source: String,
    /// Entries by parameter name.
    pub values: BTreeMap<String, FormValue>,
    /// Whether the JSON text is the payload (else the typed entries are).
    pub as_json: bool,
    /// The JSON payload text.
    pub json: String,
}

impl FormState {
    /// A form for `contract`: defaults filled (and not sent, so the default applies), required
    /// parameters sent.
    pub fn new(contract: &SignalContract) -> FormState {
        let mut f = FormState {
            source: "designer".into(),
            ..FormState::default()
        };
        f.reconcile(contract);
        f.json = pretty(&f.payload_json(contract));
        f
    }

    /// Adds entries for new parameters and resets those whose type changed.
    pub fn reconcile(&mut self, contract: &SignalContract) {
        self.values
            .retain(|name, v| contract.parameter(name).is_some_and(|p| v.value.fits(p.ty)));
        for p in &contract.parameters {
            self.values.entry(p.name.clone()).or_insert_with(|| {
                let value = p
                    .default
                    .clone()
                    .or_else(|| p.allowed.first().cloned())
                    .unwrap_or_else(|| super::inspector::zero(p.ty));
                FormValue {
                    send: p.required,
                    value,
                }
            });
        }
    }

    /// The payload the typed entries give.
    pub fn payload_json(&self, contract: &SignalContract) -> Json {
        let mut parameters = Map::new();
        for p in &contract.parameters {
            if let Some(v) = self.values.get(&p.name)
                && (v.send || p.required)
            {
                parameters.insert(p.name.clone(), v.value.to_json());
            }
        }
        serde_json::json!({"source": self.source, "parameters": parameters})
    }

    /// The payload's bytes: the JSON text, or the typed entries.
    pub fn payload_bytes(&self, contract: &SignalContract) -> Vec<u8> {
        if self.as_json {
            self.json.clone().into_bytes()
        } else {
            self.payload_json(contract).to_string().into_bytes()
        }
    }
}

fn pretty(j: &Json) -> String {
    serde_json::to_string_pretty(j).unwrap_or_else(|_| j.to_string())
}

/// Every problem of a payload for a signal, as the simulator would report them.
pub fn payload_problems(
    workflow: &str,
    signal: &str,
    contract: &SignalContract,
    bytes: &[u8],
) -> Vec<TriggerError> {
    let (payload, mut errors) = trigger::read_bytes(bytes);
    if !payload.unreadable
        && let Err(e) = trigger::check_parameters(workflow, signal, contract, &payload.parameters)
    {
        errors.extend(e);
    }
    errors
}

/// What the last trigger was made from: auto-run triggers it again after each edit.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// The run form of this workflow's signal.
    Form(String, String),
    /// A saved scenario, by name.
    Scenario(String),
}

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
    fn describe(&self) -> String {
        match self {
            Finished::Idle => "Finished: nothing left to do".into(),
            Finished::Breakpoint(w, a) => format!("Stopped at breakpoint {w}/{a}"),
            Finished::Halted(m) => format!("Halted: {m}. Reset to simulate again"),
            Finished::Cancelled => "Stopped by the user".into(),
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

/// What a background job sends back.
enum JobResult {
    /// The shared session was driven.
    Drove(Finished),
    /// A fresh session was built (and maybe triggered and driven) on the design of `rev`.
    Rebuilt {
        sim: Box<Simulator>,
        rev: u64,
        outcome: Option<TriggerOutcome>,
        finished: Finished,
        marks: Vec<(String, ScenarioMark)>,
        note: Option<String>,
    },
    /// Scenarios ran (the simulator of the last one, to show it).
    Scenarios {
        marks: Vec<(String, ScenarioMark)>,
        shown: Option<(Box<Simulator>, TriggerOutcome)>,
        rev: u64,
    },
}

struct Job {
    what: &'static str,
    cancel: Arc<AtomicBool>,
    rx: mpsc::Receiver<JobResult>,
}

/// What a rebuild does after starting every workflow.
struct Rebuild {
    design: Design,
    rev: u64,
    trigger: Option<(String, String, Vec<u8>)>,
    /// After the trigger: run (stopping at these breakpoints, if any) or stay before the first
    /// visit (`None`).
    then: Option<Option<Breakpoints>>,
    scenarios: Vec<Scenario>,
    note: Option<String>,
}

/// Locks a session, recovering it if a panic poisoned the lock.
pub fn lock(sim: &SharedSimulator) -> MutexGuard<'_, Simulator> {
    sim.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Steps `sim` until idle, halted, cancelled, or (with breakpoints, after the first visit) the
/// next visit is at a breakpoint. The lock is taken per chunk of visits.
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
        if cancel.load(Ordering::Relaxed) {
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
        if cancel.load(Ordering::Relaxed) {
            return Finished::Cancelled;
        }
    }
}

fn run_scenarios(
    prepared: &Arc<Prepared>,
    scenarios: &[Scenario],
    rev: u64,
) -> Vec<(String, ScenarioMark)> {
    scenarios
        .iter()
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
    let marks = run_scenarios(&prepared, &job.scenarios, job.rev);
    JobResult::Rebuilt {
        sim: Box::new(sim),
        rev: job.rev,
        outcome,
        finished,
        marks,
        note: job.note,
    }
}

/// What the cached path of an overlay depends on.
type PathKey = (u64, u64, String, Option<RunId>, usize);

/// The in-process trigger endpoint, while listening.
struct Listening {
    server: serve::Server,
}

/// The simulator session of the designer and the state of its tab.
pub struct SimPanel {
    shared: SharedSimulator,
    /// The design revision the session was built from.
    session_rev: u64,
    /// Re-run the last trigger (and the scenarios with a mark) after every edit.
    pub auto_run: bool,
    target: Option<(String, String)>,
    forms: BTreeMap<(String, String), FormState>,
    selected_run: Option<RunId>,
    last_request: Option<Request>,
    last_outcome: Option<(String, TriggerOutcome)>,
    status: Option<String>,
    job: Option<Job>,
    advance_minutes: u32,
    /// Scenario results by name.
    pub marks: BTreeMap<String, ScenarioMark>,
    /// When auto-run runs next (edits push it back).
    rerun_due: Option<Instant>,
    listening: Option<Listening>,
    listen_error: Option<String>,
    /// Counts session replacements (keys the path cache).
    generation: u64,
    /// The path part of the last overlay: (session generation, design revision, workflow,
    /// run, trace length) and the overlay.
    path_cache: RefCell<Option<(PathKey, Overlay)>>,
    /// The name typed for saving the current run as a scenario.
    pub scenario_name: String,
}

impl SimPanel {
    /// A session on `design` (revision `rev`): every workflow started, Start activities run.
    pub fn new(design: &Design, rev: u64) -> SimPanel {
        let mut sim = Simulator::new(Arc::new(Prepared::new(design.clone())));
        sim.start_all();
        let starts = !sim.is_idle();
        let target = first_signal(design);
        let mut panel = SimPanel {
            shared: Arc::new(Mutex::new(sim)),
            session_rev: rev,
            auto_run: false,
            target,
            forms: BTreeMap::new(),
            selected_run: None,
            last_request: None,
            last_outcome: None,
            status: None,
            job: None,
            advance_minutes: 60,
            marks: BTreeMap::new(),
            rerun_due: None,
            listening: None,
            listen_error: None,
            generation: 0,
            path_cache: RefCell::new(None),
            scenario_name: String::new(),
        };
        if starts {
            // Runs begun by Start activities go on in the background.
            panel.spawn_drive(None);
        }
        panel
    }

    /// The address the trigger endpoint listens on, if it does.
    pub fn listening_addr(&self) -> Option<SocketAddr> {
        self.listening.as_ref().map(|l| l.server.addr())
    }

    /// The session (shared with the trigger endpoint while listening).
    pub fn session(&self) -> &SharedSimulator {
        &self.shared
    }

    /// The selected run.
    pub fn selected_run(&self) -> Option<RunId> {
        self.selected_run
    }

    /// The status line (how the last job or step ended).
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Whether a background job is running.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The chosen signal (workflow id, signal id).
    pub fn target(&self) -> Option<(&str, &str)> {
        self.target.as_ref().map(|(w, s)| (w.as_str(), s.as_str()))
    }

    /// The base URL and token of the trigger endpoint while listening.
    pub fn listening(&self) -> Option<(String, String)> {
        self.listening
            .as_ref()
            .map(|l| (l.server.base_url(), l.server.token().to_owned()))
    }

    /// The form of a signal, made from its contract on first use.
    pub fn form_mut(
        &mut self,
        design: &Design,
        workflow: &str,
        signal: &str,
    ) -> Option<&mut FormState> {
        let contract = contract_of(design, workflow, signal)?;
        let f = self
            .forms
            .entry((workflow.to_owned(), signal.to_owned()))
            .or_insert_with(|| FormState::new(contract));
        f.reconcile(contract);
        Some(f)
    }

    /// The current form's request: (workflow, signal, payload bytes).
    fn form_request(&mut self, design: &Design) -> anyhow::Result<(String, String, Vec<u8>)> {
        let (w, s) = self.target.clone().ok_or_else(|| {
            anyhow::anyhow!("the design has no External signal to trigger: add one first")
        })?;
        self.request_payload(design, &Request::Form(w, s))
    }

    /// What a request triggers: (workflow, signal, payload bytes).
    fn request_payload(
        &mut self,
        design: &Design,
        r: &Request,
    ) -> anyhow::Result<(String, String, Vec<u8>)> {
        match r {
            Request::Form(w, s) => {
                let gone = || {
                    anyhow::anyhow!(
                        "signal '{s}' of workflow '{w}' no longer exists: choose another signal \
                         in the run form"
                    )
                };
                let contract = contract_of(design, w, s).ok_or_else(gone)?.clone();
                let form = self.form_mut(design, w, s).ok_or_else(gone)?;
                Ok((w.clone(), s.clone(), form.payload_bytes(&contract)))
            }
            Request::Scenario(name) => {
                let sc = design
                    .scenarios
                    .iter()
                    .find(|s| &s.name == name)
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "scenario '{name}' no longer exists: run another scenario or the form"
                        )
                    })?;
                Ok((
                    sc.workflow.clone(),
                    sc.signal.clone(),
                    sc.payload.to_string().into_bytes(),
                ))
            }
        }
    }

    /// A scenario named `name` from the run form: its payload, and the expectations a headless
    /// run of it gives on `design` now (what `flowcall test` will compare against).
    pub fn scenario_from_form(&mut self, design: &Design, name: &str) -> anyhow::Result<Scenario> {
        let name = name.trim();
        if name.is_empty() {
            anyhow::bail!("give the scenario a name");
        }
        let (workflow, signal, bytes) = self.form_request(design)?;
        let payload: Json = serde_json::from_slice(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "the payload is not valid JSON (line {}, column {}): fix it before saving it as a scenario",
                e.line(),
                e.column()
            )
        })?;
        let mut scenario = Scenario {
            name: name.to_owned(),
            workflow,
            signal,
            payload,
            expect: crate::model::Expectations::default(),
        };
        let prepared = Arc::new(Prepared::new(design.clone()));
        let r = sim::run_scenario(&prepared, &scenario);
        scenario.expect = sim::expectations_from(&r.outcome, &r.simulator);
        Ok(scenario)
    }

    /// Receives what background jobs finished and schedules auto-runs; call once per frame
    /// before drawing, with the design and its revision.
    pub fn poll(&mut self, ctx: &egui::Context, design: &Design, rev: u64) {
        if let Some(job) = &self.job {
            match job.rx.try_recv() {
                Ok(result) => {
                    self.job = None;
                    self.receive(result);
                }
                Err(mpsc::TryRecvError::Empty) => {
                    ctx.request_repaint_after(Duration::from_millis(30));
                }
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.job = None;
                    self.status = Some("The background run stopped unexpectedly".into());
                }
            }
        }
        if self
            .target
            .as_ref()
            .is_none_or(|(w, s)| contract_of(design, w, s).is_none())
        {
            self.target = first_signal(design);
        }
        if self.auto_run && rev != self.session_rev && self.rerun_due.is_none() {
            self.rerun_due = Some(Instant::now() + Duration::from_millis(250));
        }
        if self.auto_run
            && let Some(due) = self.rerun_due
        {
            if Instant::now() >= due && self.job.is_none() {
                self.rerun_due = None;
                self.auto_rerun(design, rev);
            } else {
                ctx.request_repaint_after(Duration::from_millis(50));
            }
        }
        if self.listening.is_some() {
            ctx.request_repaint_after(Duration::from_millis(250));
        }
    }

    fn receive(&mut self, result: JobResult) {
        match result {
            JobResult::Drove(f) => self.status = Some(f.describe()),
            JobResult::Rebuilt {
                sim,
                rev,
                outcome,
                finished,
                marks,
                note,
            } => {
                *lock(&self.shared) = *sim;
                self.generation += 1;
                self.session_rev = rev;
                self.selected_run = None;
                if let Some(o) = outcome {
                    self.take_outcome(o);
                }
                self.marks.extend(marks);
                let mut status = finished.describe();
                if let Some(n) = note {
                    status = format!("{n}. {status}");
                }
                self.status = Some(status);
            }
            JobResult::Scenarios { marks, shown, rev } => {
                let n = marks.len();
                let failed = marks
                    .iter()
                    .filter(|(_, m)| !m.differences.is_empty())
                    .count();
                self.marks.extend(marks);
                if let Some((sim, outcome)) = shown {
                    *lock(&self.shared) = *sim;
                    self.generation += 1;
                    self.session_rev = rev;
                    self.selected_run = None;
                    self.take_outcome(outcome);
                }
                self.status = Some(format!(
                    "{n} scenario(s) ran: {} passed, {failed} failed",
                    n - failed
                ));
            }
        }
    }

    fn take_outcome(&mut self, o: TriggerOutcome) {
        let text = match &o {
            TriggerOutcome::Started(id) => {
                self.selected_run = Some(*id);
                format!("Accepted: run #{id} started")
            }
            TriggerOutcome::Queued => "Accepted and queued: the workflow is paused".into(),
            TriggerOutcome::Rejected(errors) => format!(
                "Rejected with {} problem(s):\n{}",
                errors.len(),
                errors
                    .iter()
                    .map(|e| format!("• {}", e.message))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        };
        self.last_outcome = Some((text, o));
    }

    fn spawn(
        &mut self,
        what: &'static str,
        f: impl FnOnce(&AtomicBool) -> JobResult + Send + 'static,
    ) {
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let c = cancel.clone();
        std::thread::spawn(move || {
            let _ = tx.send(f(&c));
        });
        self.status = Some(format!("{what}…"));
        self.job = Some(Job { what, cancel, rx });
    }

    fn spawn_drive(&mut self, breakpoints: Option<Breakpoints>) {
        let shared = self.shared.clone();
        let what = if breakpoints.is_some() {
            "Running to the next breakpoint"
        } else {
            "Running to the end"
        };
        self.spawn(what, move |cancel| {
            JobResult::Drove(drive(&shared, breakpoints.as_ref(), cancel))
        });
    }

    fn spawn_rebuild(&mut self, job: Rebuild) {
        let what = if job.trigger.is_some() {
            "Running"
        } else {
            "Resetting"
        };
        self.spawn(what, move |cancel| rebuild(job, cancel));
    }

    fn auto_rerun(&mut self, design: &Design, rev: u64) {
        let trigger = self
            .last_request
            .clone()
            .and_then(|r| self.request_payload(design, &r).ok());
        let scenarios = design
            .scenarios
            .iter()
            .filter(|s| self.marks.contains_key(&s.name))
            .cloned()
            .collect();
        self.spawn_rebuild(Rebuild {
            design: design.clone(),
            rev,
            trigger,
            then: Some(None),
            scenarios,
            note: Some("Auto-run after an edit".into()),
        });
    }

    fn ensure_idle(&self) -> anyhow::Result<()> {
        match &self.job {
            Some(j) => anyhow::bail!(
                "the simulator is busy ({}); stop it first",
                j.what.to_lowercase()
            ),
            None => Ok(()),
        }
    }

    /// Applies a simulator command (called by the app after drawing).
    pub fn apply(
        &mut self,
        cmd: Command,
        design: &Design,
        rev: u64,
        breakpoints: &Breakpoints,
        ctx: Option<&egui::Context>,
    ) -> anyhow::Result<()> {
        match cmd {
            Command::SimSelectSignal { workflow, signal } => {
                self.target = Some((workflow, signal));
            }
            Command::SimRun | Command::SimTriggerOnly => {
                self.ensure_idle()?;
                let step = cmd == Command::SimTriggerOnly;
                let (w, s, bytes) = self.form_request(design)?;
                self.last_request = Some(Request::Form(w.clone(), s.clone()));
                if rev != self.session_rev {
                    // The design changed since the session was built: build a new one first.
                    self.spawn_rebuild(Rebuild {
                        design: design.clone(),
                        rev,
                        trigger: Some((w, s, bytes)),
                        then: (!step).then(|| Some(breakpoints.clone())),
                        scenarios: Vec::new(),
                        note: Some("The design changed: the simulator was reset".into()),
                    });
                    return Ok(());
                }
                let outcome = {
                    let mut sim = lock(&self.shared);
                    sim.trigger_bytes(&w, &s, &bytes)
                };
                let accepted = matches!(outcome, TriggerOutcome::Started(_));
                self.take_outcome(outcome);
                if step {
                    self.status = Some("Triggered: step through the run".into());
                } else if accepted {
                    self.spawn_drive(Some(breakpoints.clone()));
                }
            }
            Command::SimStep => {
                self.ensure_idle()?;
                let stepped = {
                    let mut sim = lock(&self.shared);
                    sim.step()
                };
                self.status = Some(match stepped {
                    Stepped::Visited(i) => {
                        let sim = lock(&self.shared);
                        match sim.trace().get(i) {
                            Some(v) => {
                                self.selected_run = Some(v.run);
                                format!("Visited {}/{} (run #{})", v.workflow, v.activity, v.run)
                            }
                            None => "Visited an activity".into(),
                        }
                    }
                    Stepped::Idle => Finished::Idle.describe(),
                    Stepped::Halted(m) => Finished::Halted(m).describe(),
                });
            }
            Command::SimContinue => {
                self.ensure_idle()?;
                self.spawn_drive(Some(breakpoints.clone()));
            }
            Command::SimRunToEnd => {
                self.ensure_idle()?;
                self.spawn_drive(None);
            }
            Command::SimReset => {
                if let Some(j) = &self.job {
                    j.cancel.store(true, Ordering::Relaxed);
                    self.job = None;
                }
                self.spawn_rebuild(Rebuild {
                    design: design.clone(),
                    rev,
                    trigger: None,
                    then: None,
                    scenarios: Vec::new(),
                    note: Some("Reset".into()),
                });
            }
            Command::SimCancel => {
                if let Some(j) = &self.job {
                    j.cancel.store(true, Ordering::Relaxed);
                }
            }
            Command::SimWorkflow { workflow, method } => {
                let mut sim = lock(&self.shared);
                let r = match method {
                    WorkflowMethod::Start => sim.start(&workflow),
                    WorkflowMethod::Pause => sim.pause(&workflow),
                    WorkflowMethod::Resume => sim.resume(&workflow),
                    WorkflowMethod::Stop => sim.stop(&workflow),
                };
                drop(sim);
                r.map_err(|e| anyhow::anyhow!("{e}"))?;
                if matches!(method, WorkflowMethod::Start | WorkflowMethod::Resume)
                    && self.job.is_none()
                {
                    self.spawn_drive(Some(breakpoints.clone()));
                }
            }
            Command::SimAdvanceClock(minutes) => {
                lock(&self.shared)
                    .advance_clock(u64::from(minutes) * 60)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            Command::SimSelectRun(id) => self.selected_run = id,
            Command::SimCopyCurl => {
                let (w, s, bytes) = self.form_request(design)?;
                let payload: Json = serde_json::from_slice(&bytes)
                    .map_err(|e| anyhow::anyhow!("the payload is not valid JSON: {e}"))?;
                let (base, token) = self.listening().map_or(
                    (crate::export::curl::DEFAULT_BASE_URL.to_owned(), None),
                    |(b, t)| (b, Some(t)),
                );
                let text =
                    crate::export::curl::curl_call(&base, &w, &s, &payload, token.as_deref());
                if let Some(ctx) = ctx {
                    ctx.copy_text(text);
                }
                self.status = Some("Copied the curl call to the clipboard".into());
            }
            Command::SimToggleAutoRun => {
                self.auto_run = !self.auto_run;
                // When turned on, run now, so that the views follow from here on.
                self.rerun_due = self.auto_run.then(Instant::now);
            }
            Command::SimListen(on) => {
                if on {
                    self.listen(None)?;
                } else if let Some(l) = self.listening.take() {
                    let summary = l
                        .server
                        .shutdown()
                        .map_err(|e| anyhow::anyhow!("cannot stop the endpoint: {e}"))?;
                    self.status = Some(format!(
                        "Stopped listening: {} request(s), {} run(s) started",
                        summary.requests, summary.started
                    ));
                }
            }
            Command::RunScenarios(names) => {
                self.ensure_idle()?;
                let chosen: Vec<Scenario> = design
                    .scenarios
                    .iter()
                    .filter(|s| names.as_ref().is_none_or(|n| n.contains(&s.name)))
                    .cloned()
                    .collect();
                if let [one] = chosen.as_slice() {
                    self.last_request = Some(Request::Scenario(one.name.clone()));
                }
                let design = design.clone();
                self.spawn("Running scenarios", move |_| {
                    let prepared = Arc::new(Prepared::new(design));
                    // One scenario is also shown in the Simulator tab; several only get marks.
                    if let [one] = chosen.as_slice() {
                        let r = sim::run_scenario(&prepared, one);
                        let mark = ScenarioMark {
                            differences: r.differences,
                            rev,
                        };
                        return JobResult::Scenarios {
                            marks: vec![(one.name.clone(), mark)],
                            shown: Some((Box::new(r.simulator), r.outcome)),
                            rev,
                        };
                    }
                    let marks = run_scenarios(&prepared, &chosen, rev);
                    JobResult::Scenarios {
                        marks,
                        shown: None,
                        rev,
                    }
                });
            }
            other => anyhow::bail!("'{}' is not a simulator command", other.label()),
        }
        Ok(())
    }

    /// Starts the trigger endpoint on the session (at `addr`, default 127.0.0.1:8640; another
    /// free port when that one is taken).
    pub fn listen(&mut self, addr: Option<SocketAddr>) -> anyhow::Result<()> {
        if self.listening.is_some() {
            return Ok(());
        }
        let token = serve::generate_token().map_err(|e| anyhow::anyhow!("{e}"))?;
        let default: SocketAddr = serve::DEFAULT_ADDR
            .parse()
            .map_err(|e| anyhow::anyhow!("bad default address: {e}"))?;
        let first = addr.unwrap_or(default);
        let server = match serve::start(
            self.shared.clone(),
            serve::Config::new(token.clone()).with_addr(first),
        ) {
            Ok(s) => s,
            Err(e) if addr.is_none() => {
                let any = SocketAddr::from(([127, 0, 0, 1], 0));
                let s = serve::start(
                    self.shared.clone(),
                    serve::Config::new(token).with_addr(any),
                )
                .map_err(|e2| anyhow::anyhow!("cannot listen: {e2}"))?;
                self.listen_error = Some(format!(
                    "{first} is not available ({e}); listening on {} instead",
                    s.addr()
                ));
                s
            }
            Err(e) => {
                self.listen_error = Some(e.to_string());
                return Err(anyhow::anyhow!("cannot listen: {e}"));
            }
        };
        self.status = Some(format!("Listening for API calls on {}", server.base_url()));
        self.listening = Some(Listening { server });
        Ok(())
    }

    /// Marks that an edit happened now: with auto-run on, a run follows once edits pause for
    /// 250 ms.
    pub fn touched(&mut self) {
        if self.auto_run {
            self.rerun_due = Some(Instant::now() + Duration::from_millis(250));
        }
    }

    /// The canvas overlay of `workflow`: the selected run's path, the stepping position and the
    /// breakpoints.
    pub fn overlay(
        &self,
        design: &Design,
        rev: u64,
        workflow: &str,
        breakpoints: &Breakpoints,
    ) -> Overlay {
        let mut o = Overlay {
            breakpoints: breakpoints
                .iter()
                .filter(|(w, _)| w == workflow)
                .map(|(_, a)| a.clone())
                .collect(),
            ..Overlay::default()
        };
        let sim = lock(&self.shared);
        let key = (
            self.generation,
            rev,
            workflow.to_owned(),
            self.selected_run,
            sim.trace().len(),
        );
        let cached = self.path_cache.borrow().as_ref().and_then(|(k, path)| {
            (*k == key).then(|| (path.visits.clone(), path.taken.clone(), path.failed.clone()))
        });
        if let Some((visits, taken, failed)) = cached {
            o.visits = visits;
            o.taken = taken;
            o.failed = failed;
        } else if let Some(run) = self.selected_run {
            let wf = design.workflow(workflow);
            for v in sim
                .trace()
                .iter()
                .filter(|v| v.run == run && v.workflow == workflow)
            {
                *o.visits.entry(v.activity.clone()).or_default() += 1;
                if v.error.is_some() {
                    o.failed.insert(v.activity.clone());
                }
                if let Some(wf) = wf {
                    for t in &wf.transitions {
                        if t.from == v.activity && v.ports.contains(&t.port) {
                            o.taken
                                .insert((t.from.clone(), t.port.clone(), t.to.clone()));
                        }
                    }
                }
            }
            *self.path_cache.borrow_mut() = Some((key, o.clone()));
        }
        if !sim.is_idle() {
            if let Some(v) = sim.current()
                && v.workflow == workflow
            {
                o.current = Some(v.activity.clone());
            }
            if let Some((w, a)) = sim.next_visit()
                && w == workflow
            {
                o.next = Some(a.to_owned());
            }
        }
        o
    }

    /// The Simulator tab.
    pub fn ui(&mut self, ui: &mut Ui, design: &Design, rev: u64, out: &mut Vec<Command>) {
        self.toolbar_ui(ui, design, rev, out);
        ui.separator();
        ui.columns(3, |cols| {
            let [left, middle, right] = cols else {
                return;
            };
            egui::ScrollArea::vertical()
                .id_salt("sim-left")
                .auto_shrink(false)
                .show(left, |ui| {
                    self.states_ui(ui, design, out);
                    ui.separator();
                    self.form_ui(ui, design, out);
                });
            self.runs_ui(middle, out);
            egui::ScrollArea::vertical()
                .id_salt("sim-run")
                .auto_shrink(false)
                .show(right, |ui| self.run_ui(ui, out));
        });
    }

    fn toolbar_ui(&mut self, ui: &mut Ui, design: &Design, rev: u64, out: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            let idle = self.job.is_none();
            for c in Command::SIMULATE.into_iter().take(5) {
                let b = egui::Button::new(c.label()).shortcut_text(c.shortcut_text(ui.ctx()));
                if ui.add_enabled(idle, b).on_hover_text(c.tooltip()).clicked() {
                    out.push(c);
                }
            }
            if ui
                .button(Command::SimReset.label())
                .on_hover_text(Command::SimReset.tooltip())
                .clicked()
            {
                out.push(Command::SimReset);
            }
            if let Some(j) = &self.job {
                ui.spinner();
                ui.label(j.what);
                if ui
                    .button(Command::SimCancel.label())
                    .on_hover_text(Command::SimCancel.tooltip())
                    .clicked()
                {
                    out.push(Command::SimCancel);
                }
            }
            ui.separator();
            let mut auto = self.auto_run;
            if ui
                .checkbox(&mut auto, Command::SimToggleAutoRun.label())
                .on_hover_text(Command::SimToggleAutoRun.tooltip())
                .changed()
            {
                out.push(Command::SimToggleAutoRun);
            }
            let mut on = self.listening.is_some();
            if ui
                .checkbox(&mut on, "Listen for API calls")
                .on_hover_text(Command::SimListen(true).tooltip())
                .changed()
            {
                out.push(Command::SimListen(on));
            }
            ui.separator();
            let clock = lock(&self.shared).clock();
            ui.label(format!("Clock: {}", crate::model::format_datetime(&clock)))
                .on_hover_text("The simulator's virtual clock (UTC)");
            let l = ui.label("advance by (minutes)");
            ui.add(egui::DragValue::new(&mut self.advance_minutes).range(1..=525_600))
                .labelled_by(l.id);
            if ui
                .button(Command::SimAdvanceClock(0).label())
                .on_hover_text(Command::SimAdvanceClock(0).tooltip())
                .clicked()
            {
                out.push(Command::SimAdvanceClock(self.advance_minutes));
            }
        });
        if rev != self.session_rev && !self.auto_run && self.job.is_none() {
            ui.label(
                RichText::new(
                    "The design changed since the simulator was reset: Run resets it first.",
                )
                .color(AMBER),
            );
        }
        if let Some(s) = &self.status {
            ui.label(RichText::new(s).strong());
        }
        if let Some((base, token)) = self.listening() {
            self.listening_ui(ui, design, &base, &token);
        }
        if let Some(e) = &self.listen_error {
            ui.label(RichText::new(e).color(AMBER));
        }
    }

    fn listening_ui(&mut self, ui: &mut Ui, design: &Design, base: &str, token: &str) {
        let summary = self.listening.as_ref().map(|l| l.server.summary());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("Listening on {base}")).color(GREEN));
            ui.label("token:");
            ui.code(token);
            if ui.button("Copy token").clicked() {
                ui.ctx().copy_text(token.to_owned());
            }
            if let Some(s) = summary {
                ui.label(format!(
                    "{} request(s), {} run(s) started, {} queued, {} rejected",
                    s.requests, s.started, s.queued, s.rejected
                ));
            }
        });
        if let Some((w, s)) = self.target.clone()
            && let Some(contract) = contract_of(design, &w, &s).cloned()
            && let Some(form) = self.form_mut(design, &w, &s)
        {
            let payload = serde_json::from_slice::<Json>(&form.payload_bytes(&contract))
                .unwrap_or_else(|_| crate::export::curl::example_payload(&contract));
            let curl = crate::export::curl::curl_call(base, &w, &s, &payload, Some(token));
            if ui
                .button("Copy curl call")
                .on_hover_text("Copy this call, with the token and the run form's payload")
                .clicked()
            {
                ui.ctx().copy_text(curl.clone());
            }
            ui.add(egui::Label::new(RichText::new(&curl).monospace().small()).wrap());
        }
    }

    fn states_ui(&mut self, ui: &mut Ui, design: &Design, out: &mut Vec<Command>) {
        ui.label(RichText::new("Workflows").strong());
        let sim = lock(&self.shared);
        egui::Grid::new("sim-states").striped(true).show(ui, |ui| {
            for w in &design.workflows {
                ui.label(&w.id);
                let Some(state) = sim.state(&w.id) else {
                    ui.label("(reset to simulate)");
                    ui.end_row();
                    continue;
                };
                ui.label(state.name());
                let held = sim.held_triggers(&w.id).len();
                ui.label(if held > 0 {
                    format!("{held} queued")
                } else {
                    String::new()
                });
                ui.horizontal(|ui| {
                    for m in WorkflowMethod::ALL {
                        let b = ui
                            .add_enabled(m.allowed(state), egui::Button::new(m.name()).small())
                            .on_hover_text(format!("{} workflow {}", m.name(), w.id));
                        if b.clicked() {
                            out.push(Command::SimWorkflow {
                                workflow: w.id.clone(),
                                method: m,
                            });
                        }
                    }
                });
                ui.end_row();
            }
        });
    }

    fn form_ui(&mut self, ui: &mut Ui, design: &Design, out: &mut Vec<Command>) {
        ui.label(RichText::new("Run form").strong());
        let signals: Vec<(String, String)> = design
            .workflows
            .iter()
            .flat_map(|w| w.signals().map(|(a, _)| (w.id.clone(), a.id.clone())))
            .collect();
        let Some((w, s)) = self.target.clone() else {
            ui.label("The design has no External signal.");
            return;
        };
        ui.horizontal(|ui| {
            let l = ui.label("Signal");
            egui::ComboBox::from_id_salt("sim-signal")
                .selected_text(format!("{w}/{s}"))
                .show_ui(ui, |ui| {
                    for (sw, ss) in &signals {
                        if ui
                            .selectable_label(*sw == w && *ss == s, format!("{sw}/{ss}"))
                            .clicked()
                        {
                            out.push(Command::SimSelectSignal {
                                workflow: sw.clone(),
                                signal: ss.clone(),
                            });
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
        let Some(contract) = contract_of(design, &w, &s).cloned() else {
            return;
        };
        let auto = self.auto_run;
        let Some(form) = self.form_mut(design, &w, &s) else {
            return;
        };
        let before = form.clone();
        ui.horizontal(|ui| {
            let l = ui.label("source");
            ui.text_edit_singleline(&mut form.source).labelled_by(l.id);
        });
        let mut as_json = form.as_json;
        if ui
            .checkbox(&mut as_json, "Edit as JSON")
            .on_hover_text("Write or paste the whole payload instead of filling the form")
            .changed()
        {
            if as_json {
                form.json = pretty(&form.payload_json(&contract));
            } else if let Some(values) = values_from_json(&form.json, &contract) {
                form.values = values;
                form.reconcile(&contract);
            }
            form.as_json = as_json;
        }
        if form.as_json {
            let l = ui.label("Payload JSON");
            ui.add(
                egui::TextEdit::multiline(&mut form.json)
                    .code_editor()
                    .desired_rows(6)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        } else {
            ui.spacing_mut().text_edit_width = 220.0;
            for p in &contract.parameters {
                let Some(entry) = form.values.get_mut(&p.name) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    let name = if p.required {
                        format!("{} *", p.name)
                    } else {
                        p.name.clone()
                    };
                    let mut hover = format!("{} ({})", p.description, p.ty.name());
                    if p.description.is_empty() {
                        hover = p.ty.name().to_owned();
                    }
                    let l = ui
                        .add_sized([150.0, 20.0], egui::Label::new(name))
                        .on_hover_text(hover);
                    if p.required {
                        ui.add_sized([60.0, 20.0], egui::Label::new("sent"));
                    } else {
                        ui.add_sized([60.0, 20.0], egui::Checkbox::new(&mut entry.send, "send"))
                            .on_hover_text(match &p.default {
                                Some(d) => format!(
                                    "Unticked: the parameter is omitted and its default {} applies",
                                    super::inspector::value_text(d)
                                ),
                                None => "Unticked: the parameter is omitted".to_owned(),
                            });
                    }
                    let before = entry.value.clone();
                    ui.push_id(&p.name, |ui| {
                        if p.allowed.is_empty() {
                            super::inspector::value_ui(ui, &mut entry.value, p.ty, l.id);
                        } else {
                            egui::ComboBox::from_id_salt("allowed")
                                .selected_text(super::inspector::value_text(&entry.value))
                                .show_ui(ui, |ui| {
                                    for a in &p.allowed {
                                        ui.selectable_value(
                                            &mut entry.value,
                                            a.clone(),
                                            super::inspector::value_text(a),
                                        );
                                    }
                                })
                                .response
                                .labelled_by(l.id);
                        }
                    });
                    if entry.value != before {
                        entry.send = true;
                    }
                });
            }
        }
        let bytes = form.payload_bytes(&contract);
        let changed = *form != before;
        let problems = payload_problems(&w, &s, &contract, &bytes);
        if problems.is_empty() {
            ui.label(RichText::new("✔ The payload is valid for this signal").color(GREEN));
        } else {
            for e in &problems {
                let text = match &e.parameter {
                    Some(p) => format!("⛔ {p}: {}", e.message),
                    None => format!("⛔ {}", e.message),
                };
                ui.label(RichText::new(text).color(RED));
            }
        }
        ui.horizontal(|ui| {
            if ui
                .button(Command::SimCopyCurl.label())
                .on_hover_text(Command::SimCopyCurl.tooltip())
                .clicked()
            {
                out.push(Command::SimCopyCurl);
            }
        });
        if changed && auto && self.last_request == Some(Request::Form(w.clone(), s.clone())) {
            self.touched();
        }
        if let Some((text, o)) = &self.last_outcome {
            let color = if o.accepted() { GREEN } else { RED };
            ui.label(RichText::new(text).color(color));
        }
    }

    fn runs_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let sim = lock(&self.shared);
        let runs = sim.runs();
        ui.label(RichText::new(format!("Runs ({})", runs.len())).strong());
        if let Some(h) = sim.halted() {
            ui.label(RichText::new(format!("Halted: {h}")).color(RED));
        }
        // Roots first (newest first), each followed by its chained runs.
        let mut children: BTreeMap<RunId, Vec<usize>> = BTreeMap::new();
        let mut roots = Vec::new();
        for (i, r) in runs.iter().enumerate() {
            match r.parent {
                Some(p) if sim.run(p).is_some() => children.entry(p).or_default().push(i),
                _ => roots.push(i),
            }
        }
        let mut rows: Vec<(usize, usize)> = Vec::new();
        let mut stack: Vec<(usize, usize)> = roots.iter().map(|i| (*i, 0)).collect();
        while let Some((i, depth)) = stack.pop() {
            rows.push((i, depth));
            if let Some(run) = runs.get(i)
                && let Some(c) = children.get(&run.id)
            {
                stack.extend(c.iter().rev().map(|j| (*j, depth + 1)));
            }
        }
        // Only the rows in view are laid out: a listening session can hold many thousands.
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical()
            .id_salt("sim-runs")
            .auto_shrink(false)
            .show_rows(ui, row_h, rows.len(), |ui, range| {
                for (i, depth) in rows.get(range).unwrap_or_default().iter().copied() {
                    let Some(r) = runs.get(i) else { continue };
                    let (icon, color) = match r.status {
                        RunStatus::Running => ("⏵", AMBER),
                        RunStatus::Finished => ("✔", GREEN),
                        RunStatus::Failed => ("❌", RED),
                    };
                    let indent = "    ".repeat(depth);
                    let chain = if depth > 0 { "↪ " } else { "" };
                    let text = format!(
                        "{indent}{chain}{icon} #{} {}/{} — {} ({})",
                        r.id,
                        r.workflow,
                        r.signal,
                        r.status.name(),
                        r.source
                    );
                    let on = self.selected_run == Some(r.id);
                    if ui
                        .selectable_label(on, RichText::new(text).color(color))
                        .on_hover_text(format!(
                            "Started at {}{}",
                            crate::model::format_datetime(&r.started_at),
                            r.parent
                                .map(|p| format!(", triggered by run #{p}"))
                                .unwrap_or_default()
                        ))
                        .clicked()
                    {
                        out.push(Command::SimSelectRun(Some(r.id)));
                        out.push(Command::SelectWorkflow(r.workflow.clone()));
                    }
                }
            });
    }

    fn run_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let sim = lock(&self.shared);
        let Some(run) = self.selected_run.and_then(|id| sim.run(id)) else {
            ui.label("Select a run to see its event variables, errors and outbox.");
            return;
        };
        ui.horizontal_wrapped(|ui| {
            if let Some(p) = run.parent
                && ui
                    .link(format!("triggered by run #{p}"))
                    .on_hover_text("Show the run whose End triggered this one")
                    .clicked()
            {
                out.push(Command::SimSelectRun(Some(p)));
                if let Some(parent) = sim.run(p) {
                    out.push(Command::SelectWorkflow(parent.workflow.clone()));
                }
            }
            for child in sim.runs().iter().filter(|r| r.parent == Some(run.id)) {
                if ui
                    .link(format!("chained run #{}", child.id))
                    .on_hover_text(format!(
                        "Show the run this one triggered in {}",
                        child.workflow
                    ))
                    .clicked()
                {
                    out.push(Command::SimSelectRun(Some(child.id)));
                    out.push(Command::SelectWorkflow(child.workflow.clone()));
                }
            }
        });
        ui.label(
            RichText::new(format!(
                "Run #{} of {}/{} — {}",
                run.id,
                run.workflow,
                run.signal,
                run.status.name()
            ))
            .strong(),
        );
        ui.label(RichText::new("Event variables").strong());
        egui::Grid::new("sim-vars").striped(true).show(ui, |ui| {
            for h in ["name", "type", "value", "origin"] {
                ui.label(RichText::new(h).weak());
            }
            ui.end_row();
            for v in &run.variables {
                ui.label(&v.name);
                ui.label(v.value.type_name());
                ui.label(match &v.value {
                    Value::String(s) => format!("{s:?}"),
                    Value::Null => "null".into(),
                    other => other.to_string(),
                });
                let origin = v.origin.describe();
                if matches!(v.origin, sim::Origin::Converted { .. }) {
                    ui.label(RichText::new(origin).color(AMBER));
                } else {
                    ui.label(origin);
                }
                ui.end_row();
            }
        });
        for c in &run.conversions {
            ui.label(
                RichText::new(format!("conversion of {}: {}", c.parameter, c.message)).color(AMBER),
            );
        }
        if !run.changes.is_empty() {
            ui.collapsing(
                format!("Changes by activities ({})", run.changes.len()),
                |ui| {
                    for c in &run.changes {
                        ui.label(format!("{} set {} = {}", c.activity, c.name, c.value));
                    }
                },
            );
        }
        if !run.errors.is_empty() {
            ui.label(RichText::new("Errors").strong());
            for e in &run.errors {
                ui.label(RichText::new(format!("⛔ {}: {}", e.activity, e.message)).color(RED));
            }
        }
        for w in &run.warnings {
            ui.label(RichText::new(format!("⚠ {w}")).color(AMBER));
        }
        if !run.ends.is_empty() {
            ui.label(RichText::new("Ends reached").strong());
            for e in &run.ends {
                let chained = match &e.trigger {
                    None => String::new(),
                    Some((target, sim::ChainOutcome::Started(id))) => {
                        format!(" ➡ {target}: run #{id}")
                    }
                    Some((target, sim::ChainOutcome::Queued)) => format!(" ➡ {target}: queued"),
                    Some((target, sim::ChainOutcome::Rejected(errs))) => format!(
                        " ➡ {target}: rejected ({})",
                        errs.iter()
                            .map(|e| e.message.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                };
                ui.label(format!("⏹ {}{chained}", e.activity));
            }
        }
        let outbox: Vec<_> = sim.outbox().iter().filter(|o| o.run == run.id).collect();
        if !outbox.is_empty() {
            ui.label(RichText::new("Outbox").strong());
            for o in outbox {
                ui.label(format!(
                    "✉ {} — {} recipient(s), label {:?}, template {:?}",
                    o.activity, o.recipients, o.label, o.template
                ));
                for (k, v) in &o.parameters {
                    ui.label(format!("      {k} = {v}"));
                }
                if !o.sample.is_empty() {
                    ui.label(RichText::new(format!("      to {}", o.sample.join(", "))).weak());
                }
            }
        }
        if !run.path.is_empty() {
            ui.label(RichText::new("Path").strong());
            ui.label(run.path.join(" ➡ "));
        }
    }

    /// The selected run's visits of one activity, for the inspector: resolved settings, counts
    /// in and out, notes and errors.
    pub fn visits_ui(&self, ui: &mut Ui, workflow: &str, activity: &str) {
        let Some(run) = self.selected_run else {
            return;
        };
        let sim = lock(&self.shared);
        let visits: Vec<_> = sim
            .trace()
            .iter()
            .filter(|v| v.run == run && v.workflow == workflow && v.activity == activity)
            .collect();
        if visits.is_empty() {
            return;
        }
        egui::CollapsingHeader::new(format!("In run #{run}: {} visit(s)", visits.len()))
            .default_open(true)
            .show(ui, |ui| {
                for v in visits {
                    ui.label(
                        RichText::new(format!(
                            "Step {} at {}: {} in{}",
                            v.step,
                            crate::model::format_datetime(&v.at),
                            v.count_in,
                            v.count_out
                                .map(|o| format!(", {o} out"))
                                .unwrap_or_default()
                        ))
                        .strong(),
                    );
                    egui::Grid::new(("visit", v.step))
                        .striped(true)
                        .show(ui, |ui| {
                            for (k, val) in &v.settings {
                                ui.label(k);
                                ui.label(val);
                                ui.end_row();
                            }
                        });
                    for n in &v.notes {
                        ui.label(RichText::new(n).weak());
                    }
                    if let Some(e) = &v.error {
                        ui.label(RichText::new(format!("⛔ {e}")).color(RED));
                    }
                }
                ui.separator();
            });
    }
}

fn first_signal(design: &Design) -> Option<(String, String)> {
    design.workflows.iter().find_map(|w| {
        w.signals()
            .next()
            .map(|(a, _)| (w.id.clone(), a.id.clone()))
    })
}

fn contract_of<'a>(design: &'a Design, workflow: &str, signal: &str) -> Option<&'a SignalContract> {
    design
        .workflow(workflow)?
        .signals()
        .find(|(a, _)| a.id == signal)
        .map(|(_, c)| c)
}

/// The typed entries a valid JSON payload gives (values converted as the signal would).
fn values_from_json(text: &str, contract: &SignalContract) -> Option<BTreeMap<String, FormValue>> {
    let (payload, errors) = trigger::read_bytes(text.as_bytes());
    if payload.unreadable || !errors.is_empty() {
        return None;
    }
    let mut values = BTreeMap::new();
    for (name, json) in &payload.parameters {
        let p = contract.parameter(name)?;
        let (value, _) = trigger::convert(json, p.ty, contract.conversion).ok()?;
        values.insert(name.clone(), FormValue { send: true, value });
    }
    Some(values)
}
