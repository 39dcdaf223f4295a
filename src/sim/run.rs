//! What a simulation records: runs with their typed event variables (and where each came
//! from), trigger errors, the visits of the trace, outbox entries and the Ends reached.

use super::plan::{Names, Sym};
use crate::model::{Port, Value};
use jiff::Timestamp;
use serde::Serialize;

/// A run's stable numeric id (1, 2, ... in order of start within one simulator).
pub type RunId = u64;

/// Where a variable's value came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Origin {
    /// Passed by the caller with the declared type.
    Parameter,
    /// The parameter's default (the caller omitted it).
    Default,
    /// Passed by the caller as another JSON type and converted (Lenient policy).
    Converted {
        /// The JSON text received.
        from: String,
        /// The JSON type received (`string`, `number`, `boolean`).
        from_type: String,
    },
    /// Set by an activity.
    SetBy {
        /// The activity id.
        activity: String,
    },
}

impl Origin {
    /// How users read it: `parameter`, `default`, `converted from "7" (string)`, `set by load1`.
    pub fn describe(&self) -> String {
        match self {
            Origin::Parameter => "parameter".into(),
            Origin::Default => "default".into(),
            Origin::Converted { from, from_type } => format!("converted from {from} ({from_type})"),
            Origin::SetBy { activity } => format!("set by {activity}"),
        }
    }
}

/// One event variable of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variable {
    /// The name `vars/@name` reads.
    pub name: String,
    /// The typed value (never `Null`: an absent variable is not listed).
    pub value: Value,
    /// Where it came from (the last change).
    pub origin: Origin,
}

/// One change of a variable by an activity, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariableChange {
    /// The activity that set it.
    pub activity: String,
    /// The variable.
    pub name: String,
    /// The new value.
    pub value: Value,
}

/// A recorded Lenient conversion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conversion {
    /// The parameter converted.
    pub parameter: String,
    /// `received "7" (string), converted to 7 (Integer)`.
    pub message: String,
}

/// What kind of problem rejected a trigger (for batch summaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ErrorKind {
    /// The payload is larger than 64 KiB.
    TooLarge,
    /// The payload is not JSON.
    MalformedJson,
    /// The payload is not of the expected shape (`source`, `parameters`).
    Shape,
    /// The workflow or signal does not exist.
    UnknownTarget,
    /// A parameter the signal does not declare.
    Undeclared,
    /// A value that does not fit the declared type.
    WrongType,
    /// A parameter or payload key given more than once.
    DuplicateKey,
    /// A required parameter is missing.
    MissingRequired,
    /// A value not in the allowed list.
    NotAllowed,
    /// An End trigger's expression failed to evaluate.
    Expression,
    /// The workflow is not started or stopped.
    NotListening,
    /// The signal was triggered too recently.
    Cooldown,
}

impl ErrorKind {
    /// A short name for summaries.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::TooLarge => "payload too large",
            ErrorKind::MalformedJson => "malformed JSON",
            ErrorKind::Shape => "bad payload shape",
            ErrorKind::UnknownTarget => "unknown workflow or signal",
            ErrorKind::Undeclared => "undeclared parameter",
            ErrorKind::WrongType => "wrong type",
            ErrorKind::DuplicateKey => "duplicate key",
            ErrorKind::MissingRequired => "missing required parameter",
            ErrorKind::NotAllowed => "value not allowed",
            ErrorKind::Expression => "expression error",
            ErrorKind::NotListening => "workflow not listening",
            ErrorKind::Cooldown => "cooldown",
        }
    }
}

/// One problem of a rejected trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriggerError {
    /// The parameter concerned, or `None` for the payload as a whole.
    pub parameter: Option<String>,
    /// What is wrong, in a sentence that names the parameter.
    pub message: String,
    /// The kind of problem.
    #[serde(skip)]
    pub kind: ErrorKind,
}

impl TriggerError {
    /// A problem of the payload as a whole.
    pub fn payload(kind: ErrorKind, message: impl Into<String>) -> Self {
        TriggerError {
            parameter: None,
            message: message.into(),
            kind,
        }
    }

    /// A problem of one parameter.
    pub fn param(kind: ErrorKind, name: &str, message: impl Into<String>) -> Self {
        TriggerError {
            parameter: Some(name.to_owned()),
            message: message.into(),
            kind,
        }
    }
}

/// A run's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RunStatus {
    /// Branches are still pending.
    Running,
    /// Every branch ended without error.
    Finished,
    /// Every branch ended and at least one error was recorded.
    Failed,
    /// An activity of it failed and suspended its workflow (Erroneous): it waits for Resume
    /// to run that activity again.
    Suspended,
}

impl RunStatus {
    /// `running`, `finished`, `failed`, `suspended`.
    pub fn name(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Finished => "finished",
            RunStatus::Failed => "failed",
            RunStatus::Suspended => "suspended",
        }
    }

    /// Whether the run may still do something (running, or suspended until resume).
    pub fn is_open(self) -> bool {
        matches!(self, RunStatus::Running | RunStatus::Suspended)
    }
}

/// What became of a visit: the activity ran (its `error`, if any, ended the branch), or one of
/// the execution options or a suspension kept it from running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum VisitStatus {
    /// The activity ran (failed when the visit has an error, which ended its branch).
    #[default]
    Ran,
    /// The activity failed and suspended its workflow: it runs again on resume.
    Suspended,
    /// The activity is set to "Enable but do not execute": the branch waits to be released.
    Held,
    /// The activity is set to "Do not enable": the branch ends without running it.
    Skipped,
}

impl VisitStatus {
    /// `suspended`, `held`, `skipped`; `done` or `failed` for a visit that ran (by whether
    /// `failed`).
    pub fn name(self, failed: bool) -> &'static str {
        match self {
            VisitStatus::Ran if failed => "failed",
            VisitStatus::Ran => "done",
            VisitStatus::Suspended => "suspended",
            VisitStatus::Held => "held",
            VisitStatus::Skipped => "skipped",
        }
    }
}

/// What became of an End activity's trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ChainOutcome {
    /// The target run started.
    Started(RunId),
    /// The target workflow is paused: the trigger waits for resume.
    Queued,
    /// The target refused the trigger.
    Rejected(Vec<TriggerError>),
}

/// An End activity reached by a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndReached {
    /// The End activity id.
    pub activity: String,
    /// The target `WORKFLOW/signal` and outcome when the End triggers a signal.
    pub trigger: Option<(String, ChainOutcome)>,
}

/// A run-time error of an activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunError {
    /// The activity concerned (empty for the run as a whole).
    pub activity: String,
    /// What went wrong.
    pub message: String,
    /// The sample data whose absence made it fail (a file, an audience, an option), for a tool
    /// to offer to create.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<super::missing::MissingData>,
}

/// One run of a workflow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// Stable id within the simulator.
    pub id: RunId,
    /// The workflow id.
    pub workflow: String,
    /// The External signal (or Start) activity the run began at.
    pub signal: String,
    /// Who triggered it (the payload's `source`, or `WORKFLOW/end` for a chained trigger).
    pub source: String,
    /// The run whose End triggered this one.
    pub parent: Option<RunId>,
    /// When it started on the virtual clock.
    #[serde(with = "crate::model::time::instant_serde")]
    pub started_at: Timestamp,
    /// Its state.
    pub status: RunStatus,
    /// The event variables, in order of first setting.
    pub variables: Vec<Variable>,
    /// Every change made by an activity, in order.
    pub changes: Vec<VariableChange>,
    /// Lenient conversions made on the trigger.
    pub conversions: Vec<Conversion>,
    /// The activity ids visited, in order (kept only when the simulator keeps its trace).
    pub path: Vec<String>,
    /// The End activities reached.
    pub ends: Vec<EndReached>,
    /// Run-time errors.
    pub errors: Vec<RunError>,
    /// Warnings (a Test without a matching condition, a branch without a way out).
    pub warnings: Vec<String>,
    /// Audiences saved, as (label, count).
    pub saved_audiences: Vec<(String, usize)>,
    /// Pending branches (tokens in the queue, arrivals waiting at a join).
    #[serde(skip)]
    pub open: usize,
    /// The run whose trigger's visit budget this run spends: itself for a trigger from outside
    /// (API, form, scenario, batch line, Start, a delivered queued trigger), its caller's root
    /// for a run an End started at once.
    #[serde(skip)]
    pub root: RunId,
    /// The visit budget of the trigger this run is the root of (unused on other runs).
    #[serde(skip)]
    pub(super) budget: Budget,
    /// The workflow index and the index of the activity the run began at.
    #[serde(skip)]
    pub(super) at: (usize, usize),
    /// The event variables as expressions read them (the record is `variables`).
    #[serde(skip)]
    pub(super) vars: Vars,
    /// The outbox entries this run added.
    #[serde(skip)]
    pub(super) sent: usize,
}

/// A run's variables as the expression language reads them.
pub struct VarsLookup<'a>(pub &'a [Variable]);

impl crate::expr::Lookup for VarsLookup<'_> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|v| v.name == name).map(|v| &v.value)
    }
}

/// A run's event variables as the engine reads them: interned names with their values, in
/// order of first setting (a trigger may inject a name twice; the first one is read).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Vars(Vec<(Sym, Value)>);

impl Vars {
    /// No variables.
    pub(crate) const EMPTY: Vars = Vars(Vec::new());

    /// No variables, keeping the room they took.
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    /// Room for at least `n` variables.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.0.reserve(n);
    }

    /// Adds a variable as a trigger injects it.
    #[inline]
    pub(crate) fn push(&mut self, name: Sym, value: Value) {
        self.0.push((name, value));
    }

    /// Sets a variable: replaces the first of that name, or adds it.
    pub(crate) fn set(&mut self, name: Sym, value: Value) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// The variables as the expression language reads them, by name.
    pub(crate) fn by_name<'a>(&'a self, names: &'a Names) -> VarsByName<'a> {
        VarsByName { vars: self, names }
    }
}

/// A run's variables read by name.
pub(crate) struct VarsByName<'a> {
    vars: &'a Vars,
    names: &'a Names,
}

impl crate::expr::Lookup for VarsByName<'_> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.vars
            .0
            .iter()
            .find(|(n, _)| self.names.name(*n) == name)
            .map(|(_, v)| v)
    }

    /// By symbol: the plan resolved its expressions' reads against the names of `names`.
    fn lookup_slot(&self, slot: u32, _name: &str) -> Option<&Value> {
        self.vars
            .0
            .iter()
            .find(|(n, _)| n.slot() == slot)
            .map(|(_, v)| v)
    }
}

/// What one trigger has spent of its visit budget, and (near the limit) its latest visits as
/// (workflow index, activity index, run), which the step-limit message reads to name a loop.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Budget {
    pub(super) visits: usize,
    pub(super) recent: std::collections::VecDeque<(usize, usize, RunId)>,
}

impl Run {
    /// The variable with this name.
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }
}

/// One visit of an activity by a run: the trace's unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visit {
    /// 1-based step number in the simulator.
    pub step: usize,
    /// The run.
    pub run: RunId,
    /// The workflow id.
    pub workflow: String,
    /// The activity id.
    pub activity: String,
    /// The activity kind's name.
    pub kind: &'static str,
    /// The virtual time of the visit.
    #[serde(with = "crate::model::time::instant_serde")]
    pub at: Timestamp,
    /// Rows that came in.
    pub count_in: usize,
    /// Rows that went out (`None` when nothing went out).
    pub count_out: Option<usize>,
    /// The ports taken.
    pub ports: Vec<Port>,
    /// Resolved settings, name to text (the real file path, audience name, email fields...).
    pub settings: Vec<(String, String)>,
    /// Notes and warnings.
    pub notes: Vec<String>,
    /// The error that ended the branch here.
    pub error: Option<String>,
    /// What became of the visit (the activity ran, or was held, skipped, suspended).
    pub status: VisitStatus,
    /// When its task ended, when later than `at`: a Wait's end, a held branch's release, a
    /// suspended activity's resume.
    pub until: Option<Timestamp>,
}

impl Visit {
    /// `done`, `failed`, `suspended`, `held` or `skipped`, as the Log and tasks show it.
    pub fn status_name(&self) -> &'static str {
        self.status.name(self.error.is_some())
    }

    /// Whether the activity ran on this visit (it may have failed).
    pub fn ran(&self) -> bool {
        self.status == VisitStatus::Ran
    }
}

/// An email the simulation would send.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEntry {
    /// The run.
    pub run: RunId,
    /// The workflow id.
    pub workflow: String,
    /// The Email delivery activity id.
    pub activity: String,
    /// When, on the virtual clock.
    #[serde(with = "crate::model::time::instant_serde")]
    pub at: Timestamp,
    /// The number of recipients (the population's size).
    pub recipients: usize,
    /// The first few recipients' addresses when the population has an `email` column.
    pub sample: Vec<String>,
    /// The resolved label.
    pub label: String,
    /// The resolved template name.
    pub template: String,
    /// The resolved delivery parameters, name to string form.
    pub parameters: Vec<(String, String)>,
}
