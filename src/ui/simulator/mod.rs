//! The designer's simulator: one session ([`SimPanel`]) shared with the in-process trigger
//! endpoint, the state of the Simulator tab, and [`SimPanel::apply`], where simulator commands
//! are carried out (after drawing). The panel is split by job:
//!
//! - `run_form`: the run form of a signal, its payload and its problems (no egui);
//! - `jobs`: the background jobs (drive, rebuild, scenarios): what they do, started and
//!   cancelled on the one pattern of `background::Job`;
//! - `view`: what drawing shows of the session, copied under one lock per frame;
//! - `tab`: the drawing of the tab, and of the visits shown in the inspector.
//!
//! A panel: it imports only the shared modules of `ui` (and the library). Inside it, `mod.rs`
//! imports `run_form`, `jobs` and `view`, and `tab` imports them and `mod.rs`; nothing imports
//! `tab`.

mod jobs;
mod run_form;
mod tab;
mod view;

use crate::sim::coverage::Coverage;
use run_form::RunForm;
pub use run_form::{FormState, FormValue, payload_problems};

use crate::model::{Design, Scenario};
use crate::serve::{self, SharedSimulator};
use crate::sim::{self, Breakpoints, Prepared, RunId, Simulator, Stepped, TriggerOutcome};
use crate::ui::command::{SimCommand, WorkflowMethod};
use crate::ui::overlay::{Overlay, ScenarioMark};
use crate::ui::words::count_s;
use jobs::{Finished, JobResult, Rebuild, Running, lock};
use run_form::{contract_of, first_signal};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use view::{SessionView, ViewOf};

/// What the last trigger was made from: auto-run triggers it again after each edit.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// The run form of this workflow's signal.
    Form(String, String),
    /// A saved scenario, by name.
    Scenario(String),
}

/// How a status line reads: good news, a refusal or failure, or a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Accepted, finished, passed.
    Ok,
    /// Rejected, failed, halted.
    Error,
    /// Anything else.
    Note,
}

/// The simulator's one status line: each new answer replaces it. A trigger accepted and then
/// run is one line that says both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// What it says.
    pub text: String,
    /// How it reads.
    pub tone: Tone,
    /// The next run's ending is added to this line (a trigger just accepted).
    pub continued: bool,
    /// The trigger was refused by the cooldown alone: the line offers to advance the clock and
    /// run.
    pub cooldown: bool,
}

impl Status {
    fn new(tone: Tone, text: impl Into<String>) -> Status {
        Status {
            text: text.into(),
            tone,
            continued: false,
            cooldown: false,
        }
    }
}

/// A counter of the endpoint as a count of things.
pub(crate) fn as_count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The tone of how a job ended.
fn finished_tone(f: &Finished) -> Tone {
    match f {
        Finished::Idle => Tone::Ok,
        Finished::Halted(_) => Tone::Error,
        Finished::Breakpoint(..) | Finished::Cancelled => Tone::Note,
    }
}

/// What the listening panel's curl call is made of: (workflow, signal, payload bytes).
type CurlKey = (String, String, Vec<u8>);

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
    forms: BTreeMap<(String, String), RunForm>,
    selected_run: Option<RunId>,
    last_request: Option<Request>,
    status: Option<Status>,
    job: Option<Running>,
    advance_minutes: u32,
    /// Scenario results by name.
    marks: BTreeMap<String, ScenarioMark>,
    /// What the saved scenarios reach, and the design revision it was measured on.
    coverage: Option<(u64, Coverage)>,
    /// Show coverage on the canvas instead of a run.
    show_coverage: bool,
    /// The revision a coverage job was last started for (not started twice for one).
    coverage_asked: Option<u64>,
    /// The canvas overlay of coverage, for (revision, workflow).
    coverage_overlay: Option<((u64, String), Overlay)>,
    /// When auto-run runs next (edits push it back).
    rerun_due: Option<Instant>,
    listening: Option<Listening>,
    listen_error: Option<String>,
    /// What the endpoint did so far, as of this frame (while listening).
    listen_summary: Option<serve::Summary>,
    /// The curl call shown while listening, and what it was made for.
    listen_curl: Option<(CurlKey, String)>,
    /// The breakpoints: (workflow id, activity id).
    breakpoints: Breakpoints,
    /// Counts session replacements.
    generation: u64,
    /// Counts the commands applied to the session.
    applied: u64,
    /// What drawing shows of the session this frame.
    view: SessionView,
    /// The window, to repaint when a job finishes.
    repaint: Option<egui::Context>,
}

impl SimPanel {
    /// A session on `design` (revision `rev`): every workflow started, Start activities run.
    pub fn new(design: &Design, rev: u64) -> SimPanel {
        let mut sim = Simulator::new(Arc::new(Prepared::new(design.clone())));
        sim.start_all();
        let starts = !sim.is_idle();
        let mut panel = SimPanel {
            shared: Arc::new(Mutex::new(sim)),
            session_rev: rev,
            auto_run: false,
            target: first_signal(design),
            forms: BTreeMap::new(),
            selected_run: None,
            last_request: None,
            status: None,
            job: None,
            advance_minutes: 60,
            marks: BTreeMap::new(),
            coverage: None,
            show_coverage: false,
            coverage_asked: None,
            coverage_overlay: None,
            rerun_due: None,
            listening: None,
            listen_error: None,
            listen_summary: None,
            listen_curl: None,
            breakpoints: Breakpoints::new(),
            generation: 0,
            applied: 0,
            view: SessionView::default(),
            repaint: None,
        };
        // Runs begun by Start activities go on in the background.
        if starts && let Err(e) = panel.spawn_drive(None) {
            panel.say(Tone::Error, format!("{e:#}"));
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

    /// The session, locked (for tests and tools reading its runs; drawing never calls it).
    pub fn lock(&self) -> MutexGuard<'_, Simulator> {
        lock(&self.shared)
    }

    /// The selected run.
    pub fn selected_run(&self) -> Option<RunId> {
        self.selected_run
    }

    /// The status line's text (how the last trigger, job or step ended).
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.text.as_str())
    }

    /// The status line.
    pub fn status_line(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// Replaces the status line.
    fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.status = Some(Status::new(tone, text));
    }

    /// Says how a job ended: on the line of the trigger that began it, when there is one.
    fn say_finished(&mut self, f: &Finished) {
        let tone = finished_tone(f);
        match self.status.take() {
            Some(prev) if prev.continued => {
                let tone = if tone == Tone::Ok { prev.tone } else { tone };
                self.say(tone, format!("{}; {}", prev.text, f.describe()));
            }
            _ => self.say(tone, f.describe()),
        }
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

    /// The breakpoints: (workflow id, activity id).
    pub fn breakpoints(&self) -> &Breakpoints {
        &self.breakpoints
    }

    /// Scenario results by name.
    pub fn marks(&self) -> &BTreeMap<String, ScenarioMark> {
        &self.marks
    }

    /// What the saved scenarios reach, with the design revision it was measured on.
    pub fn coverage(&self) -> Option<(u64, &Coverage)> {
        self.coverage.as_ref().map(|(r, c)| (*r, c))
    }

    /// Whether coverage is shown on the canvas.
    pub fn shows_coverage(&self) -> bool {
        self.show_coverage
    }

    /// Forgets a scenario's result (its expectations changed, or it was deleted).
    pub fn forget_mark(&mut self, name: &str) {
        self.marks.remove(name);
    }

    /// A breakpoint follows its activity to the activity's new id.
    pub fn follow_rename(&mut self, workflow: &str, old: &str, new: &str) {
        if self
            .breakpoints
            .remove(&(workflow.to_owned(), old.to_owned()))
        {
            self.breakpoints
                .insert((workflow.to_owned(), new.to_owned()));
        }
    }

    /// The form of a signal, made from its contract on first use and kept in step with the
    /// design of revision `rev`.
    fn form_mut(
        &mut self,
        design: &Design,
        rev: u64,
        workflow: &str,
        signal: &str,
    ) -> Option<&mut RunForm> {
        let contract = contract_of(design, workflow, signal)?;
        let f = self
            .forms
            .entry((workflow.to_owned(), signal.to_owned()))
            .or_insert_with(|| RunForm::new(workflow, signal, contract, rev));
        f.sync(contract, rev);
        Some(f)
    }

    /// The current form's request: (workflow, signal, payload bytes).
    fn form_request(
        &mut self,
        design: &Design,
        rev: u64,
    ) -> anyhow::Result<(String, String, Vec<u8>)> {
        let (w, s) = self.target.clone().ok_or_else(|| {
            anyhow::anyhow!("the design has no External signal to trigger: add one first")
        })?;
        self.request_payload(design, rev, &Request::Form(w, s))
    }

    /// What a request triggers: (workflow, signal, payload bytes).
    fn request_payload(
        &mut self,
        design: &Design,
        rev: u64,
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
                let contract = contract_of(design, w, s).ok_or_else(gone)?;
                let form = self.form_mut(design, rev, w, s).ok_or_else(gone)?;
                Ok((w.clone(), s.clone(), form.state.payload_bytes(contract)))
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
    pub fn scenario_from_form(
        &mut self,
        design: &Design,
        rev: u64,
        name: &str,
    ) -> anyhow::Result<Scenario> {
        let name = name.trim();
        if name.is_empty() {
            anyhow::bail!("give the scenario a name");
        }
        let (workflow, signal, payload) =
            self.form_payload(design, rev, "saving it as a scenario")?;
        let mut scenario = Scenario {
            name: name.to_owned(),
            workflow,
            signal,
            payload,
            expect: crate::model::Expectations::default(),
            steps: Vec::new(),
        };
        let prepared = Arc::new(Prepared::new(design.clone()));
        let r = sim::run_scenario(&prepared, &scenario);
        scenario.expect = sim::expectations_from(&r.outcome, &r.simulator);
        Ok(scenario)
    }

    /// The run form's signal and payload as JSON, refused (saying so, before `doing`) when the
    /// payload is not JSON: (workflow, signal, payload).
    pub fn form_payload(
        &mut self,
        design: &Design,
        rev: u64,
        doing: &str,
    ) -> anyhow::Result<(String, String, Json)> {
        let (workflow, signal, bytes) = self.form_request(design, rev)?;
        let payload: Json = serde_json::from_slice(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "the payload is not valid JSON (line {}, column {}): fix it before {doing}",
                e.line(),
                e.column()
            )
        })?;
        Ok((workflow, signal, payload))
    }

    /// Fills the run form with a saved scenario's payload and chooses its signal.
    fn load_scenario(&mut self, design: &Design, rev: u64, name: &str) -> anyhow::Result<()> {
        let sc = design
            .scenarios
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| anyhow::anyhow!("scenario '{name}' no longer exists"))?;
        let (w, s) = (sc.workflow.clone(), sc.signal.clone());
        let contract = contract_of(design, &w, &s).ok_or_else(|| {
            anyhow::anyhow!(
                "scenario '{name}' triggers {w}/{s}, which the design no longer has: change its \
                 signal with Update from run form"
            )
        })?;
        let form = self
            .form_mut(design, rev, &w, &s)
            .ok_or_else(|| anyhow::anyhow!("{w}/{s} has no run form"))?;
        form.state.load(&sc.payload, contract);
        form.changed(contract);
        let as_json = form.state.as_json;
        self.target = Some((w, s));
        let how = if as_json {
            "as JSON: its entries would not give the same payload"
        } else {
            "one entry per parameter"
        };
        self.say(
            Tone::Note,
            format!("Loaded scenario '{name}' into the run form ({how})"),
        );
        Ok(())
    }

    /// Moves the virtual clock to when the cooldown next allows the form's signal (when it
    /// holds now), then triggers the form's payload and runs.
    fn advance_and_run(&mut self, design: &Design, rev: u64) -> anyhow::Result<()> {
        self.ensure_idle()?;
        let moved = match (&self.target, rev == self.session_rev) {
            (Some((w, s)), true) => {
                let mut sim = lock(&self.shared);
                match sim.next_trigger_allowed(w, s) {
                    Some(next) => {
                        let seconds = crate::model::time::seconds_until(sim.clock(), next);
                        sim.advance_clock(seconds)
                            .map_err(|e| anyhow::anyhow!("{e}"))?;
                        Some(sim.clock())
                    }
                    None => None,
                }
            }
            _ => None,
        };
        self.trigger(design, rev, true)?;
        if let (Some(at), Some(st)) = (moved, &mut self.status) {
            st.text = format!(
                "Clock advanced to {} (the cooldown's next allowed time). {}",
                crate::model::format_datetime(&at),
                st.text
            );
        }
        Ok(())
    }

    /// Receives what background jobs finished and schedules auto-runs; call once per frame
    /// before drawing, with the design and its revision.
    pub fn poll(&mut self, ctx: &egui::Context, design: &Design, rev: u64) {
        if self.repaint.is_none() {
            self.repaint = Some(ctx.clone());
        }
        self.poll_job(ctx);
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
                if let Err(e) = self.auto_rerun(design, rev) {
                    self.say(Tone::Error, format!("{e:#}"));
                }
            } else {
                ctx.request_repaint_after(Duration::from_millis(50));
            }
        }
        if self.listening.is_some() {
            ctx.request_repaint_after(Duration::from_millis(250));
        }
        self.measure_coverage(design, rev);
    }

    /// While coverage is shown, measures it again (in the background) when the design changed.
    fn measure_coverage(&mut self, design: &Design, rev: u64) {
        let fresh = self.coverage.as_ref().is_some_and(|(r, _)| *r == rev);
        if !self.show_coverage || fresh || self.job.is_some() || self.coverage_asked == Some(rev) {
            return;
        }
        self.coverage_asked = Some(rev);
        match Running::coverage(design.clone(), rev, self.repaint.as_ref()) {
            Ok(job) => self.job = Some(job),
            Err(e) => self.say(Tone::Error, format!("{e:#}")),
        }
    }

    fn poll_job(&mut self, ctx: &egui::Context) {
        let Some(running) = &self.job else {
            return;
        };
        match running.job.poll() {
            crate::ui::background::Polled::Running => {
                ctx.request_repaint_after(Duration::from_millis(30));
            }
            crate::ui::background::Polled::Done(result) => {
                self.job = None;
                self.receive(result);
            }
            crate::ui::background::Polled::Lost => {
                self.job = None;
                self.say(Tone::Error, "The background run stopped unexpectedly");
            }
        }
    }

    /// Copies what drawing shows of the session, under one lock; call once per frame before
    /// drawing, with the current workflow and the selected activity. While listening, the
    /// endpoint's counters are read too (they count the session's runs under a lock of their
    /// own, taken after the view's is released).
    pub fn refresh_view(
        &mut self,
        design: &Design,
        rev: u64,
        workflow: Option<&str>,
        activity: Option<&str>,
    ) {
        let of = ViewOf {
            design,
            rev,
            generation: self.generation,
            applied: self.applied,
            run: self.selected_run,
            workflow,
            activity,
            breakpoints: &self.breakpoints,
            target: self.target.as_ref().map(|(w, s)| (w.as_str(), s.as_str())),
        };
        {
            let sim = lock(&self.shared);
            self.view.refresh(&sim, &of);
        }
        self.refresh_coverage_overlay(workflow);
        self.listen_summary = self.listening.as_ref().map(|l| l.server.summary());
    }

    /// The coverage overlay of `workflow`, built again when the coverage or the workflow
    /// changed; its breakpoints are this frame's.
    fn refresh_coverage_overlay(&mut self, workflow: Option<&str>) {
        let (true, Some((at, coverage)), Some(workflow)) =
            (self.show_coverage, &self.coverage, workflow)
        else {
            self.coverage_overlay = None;
            return;
        };
        let key = (*at, workflow.to_owned());
        if self
            .coverage_overlay
            .as_ref()
            .is_none_or(|(k, _)| *k != key)
        {
            let overlay = coverage
                .workflows
                .iter()
                .find(|w| w.workflow == workflow)
                .map(|w| Overlay::from_coverage(w, Default::default()))
                .unwrap_or_default();
            self.coverage_overlay = Some((key, overlay));
        }
        // A coverage of an earlier revision is still drawn until the new one arrives.
        if let Some((_, o)) = &mut self.coverage_overlay {
            o.breakpoints = view::breakpoints_of(&self.breakpoints, workflow);
        }
    }

    /// The canvas overlay of the workflow the view was refreshed for (this frame's): what the
    /// saved scenarios reach while coverage is shown, else the selected run's path.
    pub fn overlay(&self) -> &Overlay {
        match &self.coverage_overlay {
            Some((_, o)) => o,
            None => &self.view.overlay,
        }
    }

    /// The canvas overlay of `workflow` read from the session now (for tests and tools; drawing
    /// reads [`SimPanel::overlay`]).
    pub fn overlay_now(&self, design: &Design, workflow: &str) -> Overlay {
        let sim = lock(&self.shared);
        view::overlay_now(&sim, design, workflow, self.selected_run, &self.breakpoints)
    }

    fn receive(&mut self, result: JobResult) {
        match result {
            JobResult::Drove(f) => self.say_finished(&f),
            JobResult::Rebuilt {
                sim,
                rev,
                outcome,
                finished,
                marks,
                note,
            } => {
                self.replace_session(*sim, rev);
                self.status = None;
                if let Some(o) = outcome {
                    self.take_outcome(o);
                }
                self.marks.extend(marks);
                if self.status.as_ref().is_none_or(|s| s.continued) {
                    self.say_finished(&finished);
                }
                if let (Some(n), Some(s)) = (note, &mut self.status) {
                    s.text = format!("{n}. {}", s.text);
                }
            }
            JobResult::Coverage {
                marks,
                coverage,
                rev,
            } => {
                self.marks.extend(marks);
                let (covered, total) = coverage.counts();
                self.say(
                    Tone::Note,
                    format!(
                        "The saved scenarios reach {:.1}% of the design ({covered} of {total} activities and transitions)",
                        coverage.percent()
                    ),
                );
                self.coverage = Some((rev, coverage));
            }
            JobResult::CoverageStopped { ran, total } => self.say(
                Tone::Note,
                format!(
                    "Stopped measuring coverage after {ran} of {total} scenarios: nothing is drawn; turn Coverage off and on to measure again"
                ),
            ),
            JobResult::Scenarios {
                marks,
                asked,
                shown,
                rev,
            } => {
                let n = marks.len();
                let failed = marks
                    .iter()
                    .filter(|(_, m)| !m.differences.is_empty())
                    .count();
                self.marks.extend(marks);
                if let Some((sim, outcome)) = shown {
                    self.replace_session(*sim, rev);
                    self.take_outcome(outcome);
                }
                let tone = if failed == 0 { Tone::Ok } else { Tone::Error };
                let ran = match (n, asked) {
                    (n, asked) if n < asked => format!("Stopped after {n} of {asked} scenarios"),
                    (1, _) => "1 scenario ran".to_owned(),
                    (n, _) => format!("{n} scenarios ran"),
                };
                self.say(
                    tone,
                    format!("{ran}: {} passed, {failed} failed", n - failed),
                );
            }
        }
    }

    /// Puts `sim` behind the lock in place of the session (the endpoint serves it from now on).
    fn replace_session(&mut self, mut sim: Simulator, rev: u64) {
        // The endpoint keeps a bounded window of runs; a new session while listening too.
        if self.listening.is_some() {
            sim.set_run_window(Some(serve::DEFAULT_KEEP_RUNS));
        }
        *lock(&self.shared) = sim;
        self.generation += 1;
        self.session_rev = rev;
        self.selected_run = None;
    }

    /// Says what a trigger gave; an accepted one's run ending is added to the same line.
    fn take_outcome(&mut self, o: TriggerOutcome) {
        let status = match &o {
            TriggerOutcome::Started(id) => {
                self.selected_run = Some(*id);
                Status {
                    continued: true,
                    ..Status::new(Tone::Ok, format!("Accepted: run #{id} started"))
                }
            }
            TriggerOutcome::Queued => {
                Status::new(Tone::Note, "Accepted and queued: the workflow is paused")
            }
            TriggerOutcome::Rejected(errors) => Status {
                cooldown: !errors.is_empty()
                    && errors.iter().all(|e| e.kind == sim::ErrorKind::Cooldown),
                ..Status::new(
                    Tone::Error,
                    format!(
                        "Rejected with {}:\n{}",
                        count_s(errors.len(), "problem"),
                        errors
                            .iter()
                            .map(|e| format!("• {}", e.message))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                )
            },
        };
        self.status = Some(status);
    }

    fn auto_rerun(&mut self, design: &Design, rev: u64) -> anyhow::Result<()> {
        let trigger = self
            .last_request
            .clone()
            .and_then(|r| self.request_payload(design, rev, &r).ok());
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
        })
    }

    /// Applies a simulator command (called by the app after drawing).
    pub fn apply(
        &mut self,
        cmd: SimCommand,
        design: &Design,
        rev: u64,
        ctx: Option<&egui::Context>,
    ) -> anyhow::Result<()> {
        self.applied += 1;
        match cmd {
            SimCommand::SelectSignal { workflow, signal } => {
                self.target = Some((workflow, signal));
            }
            SimCommand::Run => self.trigger(design, rev, true)?,
            SimCommand::TriggerOnly => self.trigger(design, rev, false)?,
            SimCommand::Step => self.step()?,
            SimCommand::Continue => {
                self.ensure_idle()?;
                self.spawn_drive(Some(self.breakpoints.clone()))?;
            }
            SimCommand::RunToEnd => {
                self.ensure_idle()?;
                self.spawn_drive(None)?;
            }
            SimCommand::Reset => self.reset(design, rev)?,
            SimCommand::Cancel => self.cancel_job(false),
            SimCommand::Workflow { workflow, method } => {
                self.workflow_method(&workflow, method, design, rev)?;
            }
            SimCommand::Release { workflow, activity } => self.release(&workflow, &activity)?,
            SimCommand::AdvanceClock(minutes) => {
                lock(&self.shared)
                    .advance_clock(u64::from(minutes) * 60)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            SimCommand::AdvanceClockAndRun => self.advance_and_run(design, rev)?,
            SimCommand::LoadScenario(name) => self.load_scenario(design, rev, &name)?,
            SimCommand::SelectRun(id) => self.selected_run = id,
            SimCommand::CopyCurl => self.copy_curl(design, rev, ctx)?,
            SimCommand::CopyToken => self.copy_token(ctx),
            SimCommand::CopySdkSnippet => self.copy_sdk_snippet(design, rev, ctx)?,
            SimCommand::ToggleAutoRun => {
                self.auto_run = !self.auto_run;
                // When turned on, run now, so that the views follow from here on.
                self.rerun_due = self.auto_run.then(Instant::now);
            }
            SimCommand::Listen(true) => self.listen(None)?,
            SimCommand::Listen(false) => self.stop_listening()?,
            SimCommand::RunScenarios(names) => self.run_scenarios(design, rev, names)?,
            SimCommand::ToggleCoverage => {
                self.show_coverage = !self.show_coverage;
                self.coverage_asked = None;
            }
            SimCommand::ToggleBreakpoint { workflow, activity } => {
                let key = (workflow, activity);
                if !self.breakpoints.remove(&key) {
                    self.breakpoints.insert(key);
                }
            }
        }
        Ok(())
    }

    /// Triggers the run form's payload, then runs (`run`) or waits to be stepped. On a session
    /// older than the design, a fresh session is built first, in the background.
    fn trigger(&mut self, design: &Design, rev: u64, run: bool) -> anyhow::Result<()> {
        self.ensure_idle()?;
        let (w, s, bytes) = self.form_request(design, rev)?;
        self.last_request = Some(Request::Form(w.clone(), s.clone()));
        if rev != self.session_rev {
            // The design changed since the session was built: build a new one first.
            return self.spawn_rebuild(Rebuild {
                design: design.clone(),
                rev,
                trigger: Some((w, s, bytes)),
                then: run.then(|| Some(self.breakpoints.clone())),
                scenarios: Vec::new(),
                note: Some("The design changed: the simulator was reset".into()),
            });
        }
        let outcome = lock(&self.shared).trigger_bytes(&w, &s, &bytes);
        let accepted = matches!(outcome, TriggerOutcome::Started(_));
        self.take_outcome(outcome);
        if !run {
            if let Some(st) = &mut self.status {
                st.continued = false;
                if accepted {
                    st.text.push_str(": step through it");
                }
            }
        } else if accepted {
            self.spawn_drive(Some(self.breakpoints.clone()))?;
        }
        Ok(())
    }

    /// Visits the next pending activity.
    fn step(&mut self) -> anyhow::Result<()> {
        self.ensure_idle()?;
        let mut sim = lock(&self.shared);
        let (status, run) = match sim.step() {
            Stepped::Visited(i) => match sim.trace().get(i) {
                Some(v) => (
                    format!("Visited {}/{} (run #{})", v.workflow, v.activity, v.run),
                    Some(v.run),
                ),
                None => ("Visited an activity".into(), None),
            },
            Stepped::Idle => (Finished::Idle.describe(), None),
            Stepped::Halted(m) => (Finished::Halted(m).describe(), None),
        };
        drop(sim);
        if run.is_some() {
            self.selected_run = run;
        }
        self.say(Tone::Note, status);
        Ok(())
    }

    /// A fresh session on the design as it is now, in the background (a running job stops).
    fn reset(&mut self, design: &Design, rev: u64) -> anyhow::Result<()> {
        self.cancel_job(true);
        self.spawn_rebuild(Rebuild {
            design: design.clone(),
            rev,
            trigger: None,
            then: None,
            scenarios: Vec::new(),
            note: Some("Reset".into()),
        })
    }

    /// Applies a workflow command. Resume goes on over the edited design when it changed since
    /// the session was built (so that it runs a failed activity with the fix), when the edit
    /// keeps the workflows, activities and transitions the session refers to; otherwise it
    /// says to restart.
    fn workflow_method(
        &mut self,
        workflow: &str,
        method: WorkflowMethod,
        design: &Design,
        rev: u64,
    ) -> anyhow::Result<()> {
        if method == WorkflowMethod::Resume && rev != self.session_rev {
            let prepared = Arc::new(Prepared::new(design.clone()));
            lock(&self.shared)
                .adopt(prepared)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            self.session_rev = rev;
        }
        lock(&self.shared)
            .command(workflow, method.command())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if method != WorkflowMethod::Pause && method != WorkflowMethod::Stop && self.job.is_none() {
            self.spawn_drive(Some(self.breakpoints.clone()))?;
        }
        Ok(())
    }

    /// Releases the branches held at an activity, and runs them.
    fn release(&mut self, workflow: &str, activity: &str) -> anyhow::Result<()> {
        lock(&self.shared)
            .release(workflow, activity)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if self.job.is_none() {
            self.spawn_drive(Some(self.breakpoints.clone()))?;
        }
        Ok(())
    }

    fn copy_curl(
        &mut self,
        design: &Design,
        rev: u64,
        ctx: Option<&egui::Context>,
    ) -> anyhow::Result<()> {
        let (w, s, bytes) = self.form_request(design, rev)?;
        let payload: Json = serde_json::from_slice(&bytes)
            .map_err(|e| anyhow::anyhow!("the payload is not valid JSON: {e}"))?;
        let (base, token) = self.listening().map_or(
            (crate::export::curl::DEFAULT_BASE_URL.to_owned(), None),
            |(b, t)| (b, Some(t)),
        );
        let text = crate::export::curl::curl_call(&base, &w, &s, &payload, token.as_deref());
        if let Some(ctx) = ctx {
            ctx.copy_text(text);
        }
        self.say(Tone::Note, "Copied the curl call to the clipboard");
        Ok(())
    }

    /// Copies a Node script that triggers the form's payload through Adobe's SDK, pointed at
    /// the listening endpoint with its token (else at the default address, the token read
    /// from `FLOWCALL_TOKEN`).
    fn copy_sdk_snippet(
        &mut self,
        design: &Design,
        rev: u64,
        ctx: Option<&egui::Context>,
    ) -> anyhow::Result<()> {
        let (w, s, payload) = self.form_payload(design, rev, "copying it")?;
        let (base, token) = self.listening().map_or(
            (crate::export::curl::DEFAULT_BASE_URL.to_owned(), None),
            |(b, t)| (b, Some(t)),
        );
        let text = serve::snippet::node_sdk_snippet(&base, &w, &s, &payload, token.as_deref());
        if let Some(ctx) = ctx {
            ctx.copy_text(text);
        }
        self.say(
            Tone::Note,
            "Copied a Node script for Adobe's Campaign Standard SDK to the clipboard",
        );
        Ok(())
    }

    /// Copies the listening endpoint's token, when it listens.
    fn copy_token(&mut self, ctx: Option<&egui::Context>) {
        let Some((_, token)) = self.listening() else {
            self.say(Tone::Note, "Not listening: there is no token to copy");
            return;
        };
        if let Some(ctx) = ctx {
            ctx.copy_text(token);
        }
        self.say(Tone::Note, "Copied the token to the clipboard");
    }

    fn run_scenarios(
        &mut self,
        design: &Design,
        rev: u64,
        names: Option<Vec<String>>,
    ) -> anyhow::Result<()> {
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
        let started = Running::scenarios(design.clone(), chosen, rev, self.repaint.as_ref());
        self.start(started)
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
        self.say(
            Tone::Ok,
            format!("Listening for API calls on {}", server.base_url()),
        );
        self.listening = Some(Listening { server });
        Ok(())
    }

    fn stop_listening(&mut self) -> anyhow::Result<()> {
        if let Some(l) = self.listening.take() {
            let summary = l
                .server
                .shutdown()
                .map_err(|e| anyhow::anyhow!("cannot stop the endpoint: {e}"))?;
            self.say(
                Tone::Note,
                format!(
                    "Stopped listening: {}, {} started",
                    count_s(as_count(summary.requests), "request"),
                    count_s(as_count(summary.started), "run")
                ),
            );
        }
        Ok(())
    }

    /// Makes `started` the panel's job (the toolbar says what it does while it runs).
    fn start(&mut self, started: anyhow::Result<Running>) -> anyhow::Result<()> {
        self.job = Some(started?);
        Ok(())
    }

    fn spawn_drive(&mut self, breakpoints: Option<Breakpoints>) -> anyhow::Result<()> {
        let started = Running::drive(&self.shared, breakpoints, self.repaint.as_ref());
        self.start(started)
    }

    fn spawn_rebuild(&mut self, job: Rebuild) -> anyhow::Result<()> {
        let started = Running::rebuild(job, self.repaint.as_ref());
        self.start(started)
    }

    /// Asks the running job to stop; with `forget`, drops it at once (its result is ignored).
    fn cancel_job(&mut self, forget: bool) {
        if let Some(r) = &self.job {
            r.cancel();
        }
        if forget {
            self.job = None;
        }
    }

    /// Refuses to start another job while one runs.
    fn ensure_idle(&self) -> anyhow::Result<()> {
        match &self.job {
            Some(r) => anyhow::bail!(
                "the simulator is busy ({}); stop it first",
                r.what.to_lowercase()
            ),
            None => Ok(()),
        }
    }

    /// Marks that an edit happened now: with auto-run on, a run follows once edits pause for
    /// 250 ms.
    pub fn touched(&mut self) {
        if self.auto_run {
            self.rerun_due = Some(Instant::now() + Duration::from_millis(250));
        }
    }
}
