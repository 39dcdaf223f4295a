//! What a comparison finds: each [`Change`] with its [`Kind`] and [`Class`], the signals
//! paired ([`SignalPair`]), the scenarios the new version rejects, their [`Summary`] and the
//! whole [`ContractDiff`]; and the trigger URL changes are reported against.

use crate::model::{Execution, OnError, Type};
use serde::Serialize;
use serde_json::Value as Json;
use std::fmt;

/// The name and version of the JSON shape, written first in `flowcall diff --json`.
pub const FORMAT: &str = "flowcall-diff/1";

/// Who a change concerns and whether it breaks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Some call an outside system made to the old version is refused, or receives less, now.
    Breaking,
    /// Every call to the old version is still accepted and receives the same variables.
    Compatible,
    /// An End of the new design no longer fits the signal it triggers (a `check` error of the
    /// new design caused by a contract change).
    BreakingInside,
    /// A change inside the design that refuses no caller but changes what runs do: an
    /// activity's execution options, a workflow's consecutive errors.
    Inside,
}

impl Class {
    /// The word of the text output: `breaking`, `compatible`, `breaking inside`.
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Compatible => "compatible",
            Class::BreakingInside => "breaking inside",
            Class::Inside => "inside",
        }
    }

    /// Whether it breaks a caller of some kind.
    pub fn breaks(self) -> bool {
        matches!(self, Class::Breaking | Class::BreakingInside)
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What changed, with the facts the message states. Written in JSON as `"kind"` with the
/// fields beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// The design's trigger cooldown changed (`None`: no cooldown).
    CooldownChanged {
        /// Seconds before.
        from: Option<u64>,
        /// Seconds now.
        to: Option<u64>,
    },
    /// A workflow's label changed.
    WorkflowLabelChanged {
        /// The old label.
        from: String,
        /// The new label.
        to: String,
    },
    /// The signal's workflow is gone.
    WorkflowRemoved {
        /// The trigger URL that no longer exists.
        url: String,
    },
    /// The signal's workflow has another id (a removed and an added workflow share a label or
    /// their activity ids): the trigger URL changes.
    WorkflowIdChanged {
        /// The old workflow id.
        from: String,
        /// The new workflow id.
        to: String,
        /// Why they are taken for the same workflow.
        evidence: String,
        /// The old trigger URL.
        old_url: String,
        /// The new trigger URL.
        new_url: String,
    },
    /// The signal is gone (its workflow remains).
    SignalRemoved {
        /// The trigger URL that no longer exists.
        url: String,
    },
    /// The signal has another id (a removed and an added signal share their parameters or
    /// label): the trigger URL changes.
    SignalIdChanged {
        /// The old signal id.
        from: String,
        /// The new signal id.
        to: String,
        /// Why they are taken for the same signal.
        evidence: String,
        /// The old trigger URL.
        old_url: String,
        /// The new trigger URL.
        new_url: String,
    },
    /// A new signal.
    SignalAdded {
        /// Its trigger URL.
        url: String,
    },
    /// The signal's label changed.
    SignalLabelChanged {
        /// The old label.
        from: String,
        /// The new label.
        to: String,
    },
    /// Lenient to Strict.
    PolicyStrict {
        /// The parameters whose converted values are now rejected.
        affected: Vec<String>,
    },
    /// Strict to Lenient.
    PolicyLenient,
    /// A parameter is gone.
    ParameterRemoved,
    /// A removed and an added parameter share their type and position.
    ParameterRenamed {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
        /// The shared position, from 1.
        position: usize,
        /// The shared type.
        #[serde(rename = "type")]
        ty: Type,
    },
    /// A new parameter.
    ParameterAdded {
        /// Its type.
        #[serde(rename = "type")]
        ty: Type,
        /// Whether callers must pass it.
        required: bool,
    },
    /// The declared type changed.
    TypeChanged {
        /// The old type.
        from: Type,
        /// The new type.
        to: Type,
        /// Values old callers could send that are still accepted (JSON).
        still_accepted: Vec<Json>,
        /// Values old callers could send that are now rejected (JSON).
        rejected: Vec<Json>,
    },
    /// Optional to required.
    MadeRequired,
    /// Required to optional.
    MadeOptional,
    /// The default is gone.
    DefaultRemoved {
        /// The old default.
        was: Json,
    },
    /// A default was added.
    DefaultAdded {
        /// The new default.
        value: Json,
    },
    /// The default changed.
    DefaultChanged {
        /// The old default.
        from: Json,
        /// The new default.
        to: Json,
    },
    /// Fewer values are allowed.
    AllowedNarrowed {
        /// Values accepted before and rejected now; empty when any value was allowed before.
        rejected: Vec<Json>,
        /// The values allowed now.
        allowed: Vec<Json>,
    },
    /// More values are allowed.
    AllowedWidened {
        /// Values rejected before and accepted now; empty when any value is allowed now.
        added: Vec<Json>,
        /// The values allowed now (empty: any).
        allowed: Vec<Json>,
    },
    /// A parameter's description changed.
    DescriptionChanged,
    /// The parameters are in another order.
    ParametersReordered {
        /// The old order.
        from: Vec<String>,
        /// The new order.
        to: Vec<String>,
    },
    /// An activity's "Execution" changed.
    ExecutionChanged {
        /// The activity id.
        activity: String,
        /// Before.
        from: Execution,
        /// Now.
        to: Execution,
    },
    /// An activity's "In case of error" changed.
    OnErrorChanged {
        /// The activity id.
        activity: String,
        /// Before.
        from: OnError,
        /// Now.
        to: OnError,
    },
    /// An End's "Stop all tasks in progress" was set or cleared.
    StopAllTasksChanged {
        /// The End's id.
        activity: String,
        /// Whether it stops all tasks now.
        to: bool,
    },
    /// A workflow's consecutive errors threshold changed (0: none).
    ConsecutiveErrorsChanged {
        /// Before.
        from: u32,
        /// Now.
        to: u32,
    },
    /// An End of the new design no longer fits this signal.
    EndTrigger {
        /// The End, as `WORKFLOW/activity`.
        caller: String,
        /// The End's field `check` names (`parameter:NAME`, `trigger.signal`...).
        field: Option<String>,
        /// The `check` error of the new design.
        problem: String,
        /// The messages of the changes that caused it.
        causes: Vec<String>,
    },
}

/// One contract change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Who it concerns and whether it breaks them.
    pub class: Class,
    /// The workflow (the old id when it changed), or `None` for the whole design.
    pub workflow: Option<String>,
    /// The signal (the old id when it changed), or `None` for a workflow or the design.
    pub signal: Option<String>,
    /// The parameter (the old name for a rename), when the change concerns one.
    pub parameter: Option<String>,
    /// What changed.
    #[serde(flatten)]
    pub kind: Kind,
    /// One sentence saying what changed and what it does to callers.
    pub message: String,
    /// What changed, without what it does to callers (the start of `message`): what a short
    /// list shows and what a broken End names as its cause.
    #[serde(skip)]
    pub headline: String,
}

impl Change {
    /// A change at `(workflow, signal)`: its message is `head`, then `: consequence` unless
    /// that is empty.
    pub fn new(
        class: Class,
        (workflow, signal): (Option<&str>, Option<&str>),
        parameter: Option<&str>,
        kind: Kind,
        head: String,
        consequence: &str,
    ) -> Self {
        let message = if consequence.is_empty() {
            head.clone()
        } else {
            format!("{head}: {consequence}")
        };
        Change {
            class,
            workflow: workflow.map(str::to_owned),
            signal: signal.map(str::to_owned),
            parameter: parameter.map(str::to_owned),
            kind,
            message,
            headline: head,
        }
    }

    /// `WKF2/signal1`, `WKF2` or `design`.
    pub fn location(&self) -> String {
        match (&self.workflow, &self.signal) {
            (Some(w), Some(s)) => format!("{w}/{s}"),
            (Some(w), None) => w.clone(),
            (None, _) => "design".into(),
        }
    }
}

impl fmt::Display for Change {
    /// `WKF2/signal1: breaking: 'segmentCode' is now required`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.location(), self.class, self.message)
    }
}

/// One signal in one version: where callers trigger it and the digest of its contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalRef {
    /// The workflow id.
    pub workflow: String,
    /// The signal id.
    pub signal: String,
    /// `sha256:...` of the canonical contract (the exports' `x-flowcall-contract`).
    pub contract: String,
}

/// What happened to a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In both versions, no change listed.
    Unchanged,
    /// In both versions (maybe under another id), with changes.
    Changed,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

/// A signal of the old version, the new one, or both (the same signal, maybe renamed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalPair {
    /// What happened to it.
    pub status: Status,
    /// In the old version.
    pub old: Option<SignalRef>,
    /// In the new version.
    pub new: Option<SignalRef>,
    /// Whether any of its changes breaks a caller.
    pub breaking: bool,
}

impl SignalPair {
    /// Where its changes are listed: the old address, or the new one for an added signal.
    pub fn location(&self) -> Option<(&str, &str)> {
        self.old
            .as_ref()
            .or(self.new.as_ref())
            .map(|r| (r.workflow.as_str(), r.signal.as_str()))
    }

    fn is_at(&self, workflow: &str, signal: &str) -> bool {
        [&self.old, &self.new]
            .into_iter()
            .flatten()
            .any(|r| r.workflow == workflow && r.signal == signal)
    }
}

/// One problem the new version finds in a saved scenario's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioProblem {
    /// The parameter concerned, or `None` for the payload as a whole.
    pub parameter: Option<String>,
    /// The simulator's message.
    pub message: String,
}

/// A saved scenario of the old version whose payload the old version accepts and the new one
/// rejects: a concrete call that breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedScenario {
    /// The scenario's name.
    pub name: String,
    /// Its target workflow.
    pub workflow: String,
    /// Its target signal.
    pub signal: String,
    /// Every problem the new version's trigger validation reports.
    pub problems: Vec<ScenarioProblem>,
}

impl fmt::Display for RejectedScenario {
    /// `WKF2/signal1: scenario 'name' is now rejected: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problems: Vec<&str> = self.problems.iter().map(|p| p.message.as_str()).collect();
        write!(
            f,
            "{}/{}: scenario '{}' is now rejected: {}",
            self.workflow,
            self.signal,
            self.name,
            problems.join("; ")
        )
    }
}

/// How many changes of each class, and how many scenarios are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Changes breaking for API callers.
    pub breaking: usize,
    /// Ends of the new design broken by a change.
    pub breaking_inside: usize,
    /// Compatible changes.
    pub compatible: usize,
    /// Saved scenarios of the old version the new one rejects.
    pub rejected_scenarios: usize,
    /// Changes inside the design (execution options, consecutive errors).
    #[serde(skip_serializing_if = "is_zero")]
    pub inside: usize,
}

/// Whether a count is zero (left out of the JSON then).
fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Whether anything breaks a caller.
    pub fn is_breaking(&self) -> bool {
        self.breaking + self.breaking_inside + self.rejected_scenarios > 0
    }
}

impl fmt::Display for Summary {
    /// `2 breaking for API callers, 1 breaking for Ends inside the design, 3 compatible; 1 saved
    /// scenario rejected`, or `no contract changes`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Summary::default() {
            return f.write_str("no contract changes");
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} breaking for API callers, {} breaking for Ends inside the design, {} compatible; {} rejected",
            self.breaking,
            self.breaking_inside,
            self.compatible,
            plural(self.rejected_scenarios, "saved scenario", "saved scenarios")
        )?;
        if self.inside > 0 {
            write!(
                f,
                "; {} inside the design (execution options)",
                plural(self.inside, "change", "changes")
            )?;
        }
        Ok(())
    }
}

/// Every contract change between two versions of a design.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ContractDiff {
    /// Every signal of either version, old ones in document order then added ones.
    pub signals: Vec<SignalPair>,
    /// Every change: the design's first, then each signal's (its workflow's, its own, its
    /// parameters' in order, then the Ends it breaks).
    pub changes: Vec<Change>,
    /// The saved scenarios of the old version that the new one rejects.
    pub scenarios: Vec<RejectedScenario>,
}

impl ContractDiff {
    /// The counts of each class.
    pub fn summary(&self) -> Summary {
        let count = |c: Class| self.changes.iter().filter(|x| x.class == c).count();
        Summary {
            breaking: count(Class::Breaking),
            breaking_inside: count(Class::BreakingInside),
            compatible: count(Class::Compatible),
            rejected_scenarios: self.scenarios.len(),
            inside: count(Class::Inside),
        }
    }

    /// Whether anything breaks a caller.
    pub fn is_breaking(&self) -> bool {
        self.summary().is_breaking()
    }

    /// The text output: one line per change, then one per rejected scenario.
    pub fn lines(&self) -> Vec<String> {
        self.changes
            .iter()
            .map(ToString::to_string)
            .chain(self.scenarios.iter().map(ToString::to_string))
            .collect()
    }

    /// The signal a change is listed under (its `new` side is where to select it in the new
    /// design), or `None` for a change of the design or of a workflow.
    pub fn signal_of(&self, change: &Change) -> Option<&SignalPair> {
        let (w, s) = (change.workflow.as_deref()?, change.signal.as_deref()?);
        self.signals.iter().find(|p| p.location() == Some((w, s)))
    }

    /// Only what concerns the signal at `workflow/signal` in either version (with the design's
    /// and its workflow's own changes), or `None` when neither version has it.
    pub fn only(&self, workflow: &str, signal: &str) -> Option<ContractDiff> {
        let pair = self.signals.iter().find(|p| p.is_at(workflow, signal))?;
        let (lw, ls) = pair.location()?;
        let workflows: Vec<&str> = [&pair.old, &pair.new]
            .into_iter()
            .flatten()
            .map(|r| r.workflow.as_str())
            .collect();
        let keep = |c: &Change| match (&c.workflow, &c.signal) {
            (None, _) => true,
            (Some(w), None) => workflows.contains(&w.as_str()),
            (Some(w), Some(s)) => w == lw && s == ls,
        };
        Some(ContractDiff {
            signals: vec![pair.clone()],
            changes: self.changes.iter().filter(|c| keep(c)).cloned().collect(),
            scenarios: self
                .scenarios
                .iter()
                .filter(|s| s.workflow == lw && s.signal == ls)
                .cloned()
                .collect(),
        })
    }
}

/// The URL callers POST to trigger `workflow`'s signal `signal` (`flowcall serve`, OpenAPI).
pub fn trigger_url(workflow: &str, signal: &str) -> String {
    format!("/workflow/execution/{workflow}/activities/activity/{signal}/trigger")
}
