//! What an export gives ([`Export`]: its text and its warnings) and why it fails
//! ([`ExportError`]), shared by the exports of every format.

use crate::check::Diagnostic;

/// An export's text and the warnings met while making it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The exported text, ending with a newline.
    pub text: String,
    /// What could not be exported faithfully (never dropped silently).
    pub warnings: Vec<String>,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// `--signal` names a workflow that does not exist.
    #[error("workflow '{workflow}' does not exist (workflows: {})", crate::model::listed(.known))]
    UnknownWorkflow {
        /// The workflow asked for.
        workflow: String,
        /// The design's workflows.
        known: Vec<String>,
    },
    /// `--signal` names a signal its workflow does not have.
    #[error("workflow '{workflow}' has no External signal '{signal}' (its signals: {})", crate::model::listed(.known))]
    UnknownSignal {
        /// The workflow.
        workflow: String,
        /// The signal asked for.
        signal: String,
        /// The workflow's signals.
        known: Vec<String>,
    },
    /// The chosen format does not take a signal.
    #[error("the {0} export covers the whole design; remove --signal")]
    SignalNotApplicable(&'static str),
    /// A JSON export could not be written.
    #[error("cannot write the export as JSON: {0}")]
    Json(serde_json::Error),
    /// The BPMN could not be written.
    #[error("cannot write the BPMN export: {0}")]
    Xml(std::io::Error),
    /// Two BPMN elements would get the same id (ids are the design's ids joined with `_`).
    #[error("the BPMN export would give two elements the same id ({}): its ids join the design's with '_' (workflow 'A_B' with activity 'c' and workflow 'A' with activity 'B_c' are both 'A_B_c'; an activity 'c_failed' meets the failure event of activity 'c'); rename one of the ids", crate::model::listed(.0))]
    DuplicateIds(Vec<String>),
    /// The design could not be written as a document.
    #[error(transparent)]
    Design(#[from] crate::io::SaveError),
    /// The design has errors, as `flowcall check` reports them: it would not run as drawn, so
    /// no export is made of it.
    #[error("{}", rejected_message(.0))]
    Rejected(Vec<Diagnostic>),
}

/// "the design has 2 errors (as `flowcall check` reports them); ...", one problem per line.
fn rejected_message(errors: &[Diagnostic]) -> String {
    let mut s = format!(
        "the design has {} error{} (as `flowcall check` reports them); fix {} and export again:",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        if errors.len() == 1 { "it" } else { "them" }
    );
    for d in errors {
        s.push_str("\n  ");
        s.push_str(&d.to_string());
    }
    s
}

// The messages above hold their cause (`{0}`), so the cause is not also a `source()`: an error
// chain printed at the edge (`{:#}`) would say it twice ("Broken pipe: Broken pipe").
impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> ExportError {
        ExportError::Json(e)
    }
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> ExportError {
        ExportError::Xml(e)
    }
}
