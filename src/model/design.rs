//! Designs, workflows, activities (with the settings of each kind) and transitions.

use super::contract::SignalContract;
use super::options::ActivityOptions;
use super::sample::SampleData;
use super::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One document: workflows, sample data for simulation and saved scenarios.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// Behaviours kept for compatibility with the reference product.
    #[serde(default)]
    pub compatibility: Compatibility,
    /// The workflows, in the order the designer lists them.
    #[serde(default)]
    pub workflows: Vec<Workflow>,
    /// Sample data the simulator runs against.
    #[serde(default)]
    pub sample: SampleData,
    /// Saved scenarios (named payloads with expectations).
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
}

/// Design-level compatibility settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compatibility {
    /// The minimum time between two triggers of the same signal.
    #[serde(default)]
    pub trigger_cooldown: Cooldown,
}

/// The trigger cooldown rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Cooldown {
    /// No cooldown: a signal may be triggered at any time.
    Off,
    /// At least this many seconds between two triggers of the same signal.
    Seconds(u64),
}

impl Default for Cooldown {
    /// The reference product's rule: once every 10 minutes.
    fn default() -> Self {
        Cooldown::Seconds(600)
    }
}

/// A workflow: activities joined by transitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    /// Unique in the design (like `WKF1`).
    pub id: String,
    /// What users see.
    #[serde(default)]
    pub label: String,
    /// The activities, in creation order.
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// The transitions between activities.
    #[serde(default)]
    pub transitions: Vec<Transition>,
    /// "Consecutive errors": how many failures of activities whose errors are ignored the
    /// workflow takes in a row before it is suspended (Erroneous); 0, the default, never
    /// suspends it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub consecutive_errors: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A position on the canvas, in canvas units. Written as a pair `(x, y)` to keep files short.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(from = "(f32, f32)", into = "(f32, f32)")]
pub struct Position {
    /// Horizontal, growing to the right.
    pub x: f32,
    /// Vertical, growing downwards.
    pub y: f32,
}

impl From<(f32, f32)> for Position {
    fn from((x, y): (f32, f32)) -> Self {
        Position { x, y }
    }
}

impl From<Position> for (f32, f32) {
    fn from(p: Position) -> Self {
        (p.x, p.y)
    }
}

/// One activity of a workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Stable id, unique in its workflow (like `signal1`).
    pub id: String,
    /// What users see.
    #[serde(default)]
    pub label: String,
    /// Where the canvas draws it.
    #[serde(default)]
    #[schemars(with = "(f32, f32)")]
    pub position: Position,
    /// The kind and its settings.
    pub kind: ActivityKind,
    /// Execution options: "Execution", "In case of error", an End's "Stop all tasks in
    /// progress" (written only when one is not the default).
    #[serde(default, skip_serializing_if = "ActivityOptions::is_default")]
    pub options: ActivityOptions,
}

/// The kind of an activity with its settings (docs/SIMULATOR.md). Expression fields hold text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ActivityKind {
    /// Starts a run when the workflow is started.
    Start,
    /// Waits for a trigger; declares the parameter contract.
    ExternalSignal(SignalContract),
    /// Filters the sample profiles.
    Query(QuerySettings),
    /// Loads a saved audience.
    ReadAudience(ReadAudienceSettings),
    /// Saves the population under a label.
    SaveAudience(SaveAudienceSettings),
    /// Finds files in the sample file store.
    TransferFile(TransferFileSettings),
    /// Parses the transferred CSV file into a population.
    LoadFile,
    /// Passes the population on and records the update.
    UpdateData(UpdateDataSettings),
    /// Picks the first output whose condition holds.
    Test(TestSettings),
    /// Splits into parallel branches.
    Fork(ForkSettings),
    /// Waits for every incoming branch.
    AndJoin,
    /// Advances the virtual clock.
    Wait(WaitSettings),
    /// Records an outbox entry.
    EmailDelivery(EmailSettings),
    /// Ends the branch, optionally triggering a signal.
    End(EndSettings),
}

/// The kinds users pick from, without settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KindTag {
    /// [`ActivityKind::Start`]
    Start,
    /// [`ActivityKind::ExternalSignal`]
    ExternalSignal,
    /// [`ActivityKind::Query`]
    Query,
    /// [`ActivityKind::ReadAudience`]
    ReadAudience,
    /// [`ActivityKind::SaveAudience`]
    SaveAudience,
    /// [`ActivityKind::TransferFile`]
    TransferFile,
    /// [`ActivityKind::LoadFile`]
    LoadFile,
    /// [`ActivityKind::UpdateData`]
    UpdateData,
    /// [`ActivityKind::Test`]
    Test,
    /// [`ActivityKind::Fork`]
    Fork,
    /// [`ActivityKind::AndJoin`]
    AndJoin,
    /// [`ActivityKind::Wait`]
    Wait,
    /// [`ActivityKind::EmailDelivery`]
    EmailDelivery,
    /// [`ActivityKind::End`]
    End,
}

impl KindTag {
    /// Every kind, in palette order.
    pub const ALL: [KindTag; 14] = [
        KindTag::Start,
        KindTag::ExternalSignal,
        KindTag::Query,
        KindTag::ReadAudience,
        KindTag::SaveAudience,
        KindTag::TransferFile,
        KindTag::LoadFile,
        KindTag::UpdateData,
        KindTag::Test,
        KindTag::Fork,
        KindTag::AndJoin,
        KindTag::Wait,
        KindTag::EmailDelivery,
        KindTag::End,
    ];

    /// The name users see.
    pub fn name(self) -> &'static str {
        match self {
            KindTag::Start => "Start",
            KindTag::ExternalSignal => "External signal",
            KindTag::Query => "Query",
            KindTag::ReadAudience => "Read audience",
            KindTag::SaveAudience => "Save audience",
            KindTag::TransferFile => "Transfer file",
            KindTag::LoadFile => "Load file",
            KindTag::UpdateData => "Update data",
            KindTag::Test => "Test",
            KindTag::Fork => "Fork",
            KindTag::AndJoin => "AND-join",
            KindTag::Wait => "Wait",
            KindTag::EmailDelivery => "Email delivery",
            KindTag::End => "End",
        }
    }

    /// The prefix of ids given to new activities of this kind (`query` for `query1`).
    pub fn id_prefix(self) -> &'static str {
        match self {
            KindTag::Start => "start",
            KindTag::ExternalSignal => "signal",
            KindTag::Query => "query",
            KindTag::ReadAudience => "readAudience",
            KindTag::SaveAudience => "saveAudience",
            KindTag::TransferFile => "transfer",
            KindTag::LoadFile => "load",
            KindTag::UpdateData => "update",
            KindTag::Test => "test",
            KindTag::Fork => "fork",
            KindTag::AndJoin => "join",
            KindTag::Wait => "wait",
            KindTag::EmailDelivery => "email",
            KindTag::End => "end",
        }
    }

    /// The family the reference product files this kind under (its palette groups kinds so).
    pub fn family(self) -> Family {
        match self {
            KindTag::Query | KindTag::ReadAudience | KindTag::SaveAudience => Family::Targeting,
            KindTag::Start
            | KindTag::ExternalSignal
            | KindTag::Test
            | KindTag::Fork
            | KindTag::AndJoin
            | KindTag::Wait
            | KindTag::End => Family::FlowControl,
            KindTag::EmailDelivery => Family::Actions,
            KindTag::TransferFile | KindTag::LoadFile | KindTag::UpdateData => {
                Family::DataManagement
            }
        }
    }

    /// A new kind value with empty settings.
    pub fn default_kind(self) -> ActivityKind {
        match self {
            KindTag::Start => ActivityKind::Start,
            KindTag::ExternalSignal => ActivityKind::ExternalSignal(SignalContract::default()),
            KindTag::Query => ActivityKind::Query(QuerySettings::default()),
            KindTag::ReadAudience => ActivityKind::ReadAudience(ReadAudienceSettings::default()),
            KindTag::SaveAudience => ActivityKind::SaveAudience(SaveAudienceSettings::default()),
            KindTag::TransferFile => ActivityKind::TransferFile(TransferFileSettings::default()),
            KindTag::LoadFile => ActivityKind::LoadFile,
            KindTag::UpdateData => ActivityKind::UpdateData(UpdateDataSettings::default()),
            KindTag::Test => ActivityKind::Test(TestSettings::default()),
            KindTag::Fork => ActivityKind::Fork(ForkSettings {
                branches: vec!["branch1".into(), "branch2".into()],
            }),
            KindTag::AndJoin => ActivityKind::AndJoin,
            KindTag::Wait => ActivityKind::Wait(WaitSettings::default()),
            KindTag::EmailDelivery => ActivityKind::EmailDelivery(EmailSettings::default()),
            KindTag::End => ActivityKind::End(EndSettings::default()),
        }
    }
}

/// The families activities are grouped in, as the reference product groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Building and saving populations: Query, Read audience, Save audience.
    Targeting,
    /// Where runs begin, branch, wait and end: Start, External signal, Test, Fork, AND-join,
    /// Wait, End.
    FlowControl,
    /// What is sent: Email delivery.
    Actions,
    /// Files and data: Transfer file, Load file, Update data.
    DataManagement,
}

impl Family {
    /// Every family, in palette order.
    pub const ALL: [Family; 4] = [
        Family::FlowControl,
        Family::Targeting,
        Family::Actions,
        Family::DataManagement,
    ];

    /// The name users see.
    pub fn name(self) -> &'static str {
        match self {
            Family::Targeting => "Targeting",
            Family::FlowControl => "Flow control",
            Family::Actions => "Actions",
            Family::DataManagement => "Data management",
        }
    }

    /// The kinds of the family, in palette order.
    pub fn kinds(self) -> impl Iterator<Item = KindTag> {
        KindTag::ALL.into_iter().filter(move |k| k.family() == self)
    }
}

/// Query settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuerySettings {
    /// Filter expression over `@field` and `vars`; empty keeps every profile.
    #[serde(default)]
    pub filter: String,
    /// Dynamic segment code expression; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub segment_code: String,
}

/// Read audience settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadAudienceSettings {
    /// Expression giving the audience name.
    #[serde(default)]
    pub audience: String,
    /// Dynamic segment code expression; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub segment_code: String,
}

/// Save audience settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveAudienceSettings {
    /// Expression giving the label to save under.
    #[serde(default)]
    pub label: String,
}

/// Transfer file settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferFileSettings {
    /// Expression giving the path; `*` and `?` are wildcards.
    #[serde(default)]
    pub path: String,
}

/// How Update data writes the population.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum UpdateOperation {
    /// Insert new rows and update existing ones.
    #[default]
    InsertOrUpdate,
    /// Insert only.
    Insert,
    /// Update only.
    Update,
    /// Delete the rows.
    Delete,
}

/// Update data settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDataSettings {
    /// The operation recorded.
    #[serde(default)]
    pub operation: UpdateOperation,
}

/// One condition of a Test, with its own output port.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Stable port name, unique in the Test.
    pub id: String,
    /// What users see on the port.
    #[serde(default)]
    pub label: String,
    /// Boolean expression.
    pub expression: String,
}

/// Test settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSettings {
    /// Evaluated in order; the first true one picks its output.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Whether a default output is taken when no condition holds.
    #[serde(default)]
    pub default_transition: bool,
}

/// Fork settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForkSettings {
    /// The branch port names, in order.
    #[serde(default)]
    pub branches: Vec<String>,
}

/// Wait settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitSettings {
    /// How long to wait, in seconds of the virtual clock.
    #[serde(default)]
    pub seconds: u64,
}

/// A named expression (an email delivery parameter, an End trigger parameter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedExpression {
    /// The parameter name.
    pub name: String,
    /// Its value expression.
    pub expression: String,
}

/// Email delivery settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    /// Expression giving the delivery label.
    #[serde(default)]
    pub label: String,
    /// Expression giving the template name.
    #[serde(default)]
    pub template: String,
    /// Delivery parameters, name to expression.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<NamedExpression>,
}

/// End settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndSettings {
    /// The External signal this End triggers, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<EndTrigger>,
}

/// An End's trigger of an External signal.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndTrigger {
    /// Target workflow id.
    pub workflow: String,
    /// Target External signal activity id.
    pub signal: String,
    /// One expression per passed parameter.
    #[serde(default)]
    pub parameters: Vec<NamedExpression>,
}

/// An output port of an activity.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Port {
    /// The single output of most activities.
    #[default]
    Out,
    /// The output of a Test condition, by condition id.
    Condition(String),
    /// A Test's default output.
    Default,
    /// A Fork branch, by branch name.
    Branch(String),
}

impl Port {
    /// A short name for messages (`out`, `condition 'c1'`...).
    pub fn describe(&self) -> String {
        match self {
            Port::Out => "out".into(),
            Port::Condition(c) => format!("condition '{c}'"),
            Port::Default => "default".into(),
            Port::Branch(b) => format!("branch '{b}'"),
        }
    }
}

fn is_out(p: &Port) -> bool {
    *p == Port::Out
}

/// A transition from an output port of one activity to another activity.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// Source activity id.
    pub from: String,
    /// Source port.
    #[serde(default, skip_serializing_if = "is_out")]
    pub port: Port,
    /// Target activity id.
    pub to: String,
}

/// Where an expression lives in an activity, for diagnostics and editors.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldRef {
    /// Query filter.
    Filter,
    /// Dynamic segment code.
    SegmentCode,
    /// Read audience name.
    Audience,
    /// Save audience label or email label.
    Label,
    /// Transfer file path.
    Path,
    /// Email template.
    Template,
    /// A Test condition, by id.
    Condition(String),
    /// An email delivery parameter or End trigger parameter, by name.
    Parameter(String),
}

impl FieldRef {
    /// The field name used in diagnostics (`filter`, `parameter:audience`...).
    pub fn key(&self) -> String {
        match self {
            FieldRef::Filter => "filter".into(),
            FieldRef::SegmentCode => "segment_code".into(),
            FieldRef::Audience => "audience".into(),
            FieldRef::Label => "label".into(),
            FieldRef::Path => "path".into(),
            FieldRef::Template => "template".into(),
            FieldRef::Condition(c) => format!("condition:{c}"),
            FieldRef::Parameter(p) => format!("parameter:{p}"),
        }
    }

    /// Whether an empty expression is allowed here.
    pub fn may_be_empty(&self) -> bool {
        matches!(self, FieldRef::Filter | FieldRef::SegmentCode)
    }
}

impl ActivityKind {
    /// The kind without settings.
    pub fn tag(&self) -> KindTag {
        match self {
            ActivityKind::Start => KindTag::Start,
            ActivityKind::ExternalSignal(_) => KindTag::ExternalSignal,
            ActivityKind::Query(_) => KindTag::Query,
            ActivityKind::ReadAudience(_) => KindTag::ReadAudience,
            ActivityKind::SaveAudience(_) => KindTag::SaveAudience,
            ActivityKind::TransferFile(_) => KindTag::TransferFile,
            ActivityKind::LoadFile => KindTag::LoadFile,
            ActivityKind::UpdateData(_) => KindTag::UpdateData,
            ActivityKind::Test(_) => KindTag::Test,
            ActivityKind::Fork(_) => KindTag::Fork,
            ActivityKind::AndJoin => KindTag::AndJoin,
            ActivityKind::Wait(_) => KindTag::Wait,
            ActivityKind::EmailDelivery(_) => KindTag::EmailDelivery,
            ActivityKind::End(_) => KindTag::End,
        }
    }

    /// Whether runs begin here (Start, External signal): nothing may lead into it.
    pub fn is_entry(&self) -> bool {
        matches!(self, ActivityKind::Start | ActivityKind::ExternalSignal(_))
    }

    /// The output ports, in drawing order. An End has none.
    pub fn output_ports(&self) -> Vec<Port> {
        match self {
            ActivityKind::End(_) => Vec::new(),
            ActivityKind::Test(t) => {
                let mut ports: Vec<Port> = t
                    .conditions
                    .iter()
                    .map(|c| Port::Condition(c.id.clone()))
                    .collect();
                if t.default_transition {
                    ports.push(Port::Default);
                }
                ports
            }
            ActivityKind::Fork(f) => f.branches.iter().cloned().map(Port::Branch).collect(),
            _ => vec![Port::Out],
        }
    }

    /// The expression fields with their source text, in display order.
    pub fn expression_fields(&self) -> Vec<(FieldRef, &str)> {
        match self {
            ActivityKind::Query(q) => vec![
                (FieldRef::Filter, q.filter.as_str()),
                (FieldRef::SegmentCode, q.segment_code.as_str()),
            ],
            ActivityKind::ReadAudience(r) => vec![
                (FieldRef::Audience, r.audience.as_str()),
                (FieldRef::SegmentCode, r.segment_code.as_str()),
            ],
            ActivityKind::SaveAudience(s) => vec![(FieldRef::Label, s.label.as_str())],
            ActivityKind::TransferFile(t) => vec![(FieldRef::Path, t.path.as_str())],
            ActivityKind::Test(t) => t
                .conditions
                .iter()
                .map(|c| (FieldRef::Condition(c.id.clone()), c.expression.as_str()))
                .collect(),
            ActivityKind::EmailDelivery(e) => {
                let mut v = vec![
                    (FieldRef::Label, e.label.as_str()),
                    (FieldRef::Template, e.template.as_str()),
                ];
                v.extend(
                    e.parameters
                        .iter()
                        .map(|p| (FieldRef::Parameter(p.name.clone()), p.expression.as_str())),
                );
                v
            }
            ActivityKind::End(EndSettings { trigger: Some(t) }) => t
                .parameters
                .iter()
                .map(|p| (FieldRef::Parameter(p.name.clone()), p.expression.as_str()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The contract, when this is an External signal.
    pub fn signal(&self) -> Option<&SignalContract> {
        match self {
            ActivityKind::ExternalSignal(c) => Some(c),
            _ => None,
        }
    }
}

impl Activity {
    /// A new activity with default settings for `tag`.
    pub fn new(id: impl Into<String>, label: impl Into<String>, tag: KindTag) -> Self {
        Activity {
            id: id.into(),
            label: label.into(),
            position: Position::default(),
            kind: tag.default_kind(),
            options: ActivityOptions::default(),
        }
    }

    /// The label, or the id when the label is empty.
    pub fn display_name(&self) -> &str {
        if self.label.is_empty() {
            &self.id
        } else {
            &self.label
        }
    }
}

impl Workflow {
    /// A new empty workflow.
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Self {
        Workflow {
            id: id.into(),
            label: label.into(),
            activities: Vec::new(),
            transitions: Vec::new(),
            consecutive_errors: 0,
        }
    }

    /// The activity with this id.
    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.activities.iter().find(|a| a.id == id)
    }

    /// The activity with this id, mutably.
    pub fn activity_mut(&mut self, id: &str) -> Option<&mut Activity> {
        self.activities.iter_mut().find(|a| a.id == id)
    }

    /// The External signal activity with this id and its contract.
    pub fn signal(&self, id: &str) -> Option<&SignalContract> {
        self.activity(id).and_then(|a| a.kind.signal())
    }

    /// The External signal activities, in order.
    pub fn signals(&self) -> impl Iterator<Item = (&Activity, &SignalContract)> {
        self.activities
            .iter()
            .filter_map(|a| a.kind.signal().map(|c| (a, c)))
    }

    /// The transitions indexed by the activities they leave and enter, for code that asks
    /// about every activity (built in one pass; [`Workflow::outgoing`] scans them all).
    pub fn links(&self) -> Links<'_> {
        let mut links = Links::default();
        for t in &self.transitions {
            links.leaving.entry(t.from.as_str()).or_default().push(t);
            links.entering.entry(t.to.as_str()).or_default().push(t);
        }
        links
    }

    /// Transitions leaving this activity.
    pub fn outgoing<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Transition> + 'a {
        self.transitions.iter().filter(move |t| t.from == id)
    }

    /// Transitions entering this activity.
    pub fn incoming<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Transition> + 'a {
        self.transitions.iter().filter(move |t| t.to == id)
    }

    /// A fresh activity id `{prefix}{n}` not used in this workflow.
    pub fn fresh_activity_id(&self, prefix: &str) -> String {
        (1..)
            .map(|n| format!("{prefix}{n}"))
            .find(|id| self.activity(id).is_none())
            .unwrap_or_else(|| prefix.to_owned())
    }
}

impl Design {
    /// The workflow with this id.
    pub fn workflow(&self, id: &str) -> Option<&Workflow> {
        self.workflows.iter().find(|w| w.id == id)
    }

    /// The workflow with this id, mutably.
    pub fn workflow_mut(&mut self, id: &str) -> Option<&mut Workflow> {
        self.workflows.iter_mut().find(|w| w.id == id)
    }

    /// The contract of `workflow`'s signal `signal`.
    pub fn signal(&self, workflow: &str, signal: &str) -> Option<&SignalContract> {
        self.workflow(workflow).and_then(|w| w.signal(signal))
    }

    /// Every activity count, across workflows.
    pub fn activity_count(&self) -> usize {
        self.workflows.iter().map(|w| w.activities.len()).sum()
    }
}

/// A workflow's transitions indexed by the activities they leave and enter
/// ([`Workflow::links`]).
#[derive(Debug, Default)]
pub struct Links<'a> {
    leaving: BTreeMap<&'a str, Vec<&'a Transition>>,
    entering: BTreeMap<&'a str, Vec<&'a Transition>>,
}

impl<'a> Links<'a> {
    /// Transitions leaving activity `id`, in document order.
    pub fn outgoing(&self, id: &str) -> impl Iterator<Item = &'a Transition> + '_ {
        self.leaving.get(id).into_iter().flatten().copied()
    }

    /// Transitions entering activity `id`, in document order.
    pub fn incoming(&self, id: &str) -> impl Iterator<Item = &'a Transition> + '_ {
        self.entering.get(id).into_iter().flatten().copied()
    }
}

/// What the options may hold depends on the activity's kind (options.rs knows no kinds).
impl ActivityOptions {
    /// The structural problem of these options on an activity of `kind`, as (field, message):
    /// "Stop all tasks in progress" belongs to End activities.
    pub fn problem(&self, kind: &ActivityKind) -> Option<(&'static str, String)> {
        (self.stop_all_tasks && !matches!(kind, ActivityKind::End(_))).then(|| {
            (
                "options.stop_all_tasks",
                format!(
                    "stop_all_tasks is an option of End activities, not of a {} activity; remove it, or move it to the End that should stop the workflow",
                    kind.tag().name()
                ),
            )
        })
    }
}
