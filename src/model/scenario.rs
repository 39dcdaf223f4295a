//! Saved scenarios: a named payload for one signal, with the results expected from running it.

use super::lifecycle::{ScenarioStep, WorkflowState};
use super::value::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A named payload sent to one signal, with optional expectations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique name within the design.
    pub name: String,
    /// Target workflow id.
    pub workflow: String,
    /// Target External signal activity id.
    pub signal: String,
    /// The API payload, `{"source": ..., "parameters": {...}}`, kept as JSON (a key given
    /// twice is a load error).
    #[serde(deserialize_with = "super::unique::payload")]
    pub payload: serde_json::Value,
    /// What the run should give.
    #[serde(default)]
    pub expect: Expectations,
    /// Commands given after the trigger has run to the end, each run to the end in turn
    /// (resume, release, restart...); the expectations are checked after the last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<ScenarioStep>,
}

/// What a scenario expects. Unset fields are not checked.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// Whether the trigger is accepted (`None`: not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<bool>,
    /// Texts the rejection errors must mention, each somewhere in them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_contains: Vec<String>,
    /// Texts the run-time errors (of any run, chained ones included) must mention, each
    /// somewhere in them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub run_errors: Vec<String>,
    /// The End activities reached, as `WORKFLOW/activity`, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ends: Vec<String>,
    /// Event variables of the first run and their values.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::unique::variables"
    )]
    pub variables: BTreeMap<String, Value>,
    /// Outbox entries expected, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outbox: Vec<OutboxExpectation>,
    /// Counts expected at activities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counts: Vec<CountExpectation>,
    /// The state each workflow named is in at the end.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::unique::states"
    )]
    pub states: BTreeMap<String, WorkflowState>,
    /// The activities holding tasks at the end ("Enable but do not execute", not released),
    /// as `WORKFLOW/activity`, one per task, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<String>,
}

/// An expected outbox entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutboxExpectation {
    /// The email delivery activity, as `WORKFLOW/activity`.
    pub activity: String,
    /// Number of recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<usize>,
    /// Resolved label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Resolved template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Resolved delivery parameters (string forms).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::unique::delivery_parameters"
    )]
    pub parameters: BTreeMap<String, String>,
}

/// Expected counts at one activity.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountExpectation {
    /// The activity, as `WORKFLOW/activity`.
    pub activity: String,
    /// Rows that came in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_in: Option<usize>,
    /// Rows that went out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_out: Option<usize>,
}
