//! Exports for servers (README.md, "Exports"): the design as JSON, a JSON Schema per signal
//! payload, an OpenAPI 3.1 document of the trigger endpoints, BPMN 2.0 with Camunda 8 (Zeebe)
//! extensions, and ready `curl` calls. Every export is deterministic: the same design gives the
//! same bytes.

pub mod bpmn;
pub mod curl;
mod feel;
pub mod openapi;
pub mod schema;

use crate::check::{Diagnostic, Severity};
use crate::model::Design;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The design as a JSON document (see `assets/flowcall-design.schema.json`).
    Json,
    /// JSON Schema (2020-12) of each signal's trigger payload.
    Schema,
    /// OpenAPI 3.1 of the trigger endpoints.
    Openapi,
    /// BPMN 2.0 XML with Camunda 8 (Zeebe) extensions.
    Bpmn,
    /// A `curl` call per signal.
    Curl,
}

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

/// The errors `flowcall check` finds in `design`; an export refuses a design that has any.
pub fn design_errors(design: &Design) -> Vec<Diagnostic> {
    crate::check::check(design)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
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

/// A `WORKFLOW/SIGNAL` choice, checked against the design.
pub fn check_signal(design: &Design, workflow: &str, signal: &str) -> Result<(), ExportError> {
    let Some(wf) = design.workflow(workflow) else {
        return Err(ExportError::UnknownWorkflow {
            workflow: workflow.to_owned(),
            known: design.workflows.iter().map(|w| w.id.clone()).collect(),
        });
    };
    if wf.signal(signal).is_none() {
        return Err(ExportError::UnknownSignal {
            workflow: workflow.to_owned(),
            signal: signal.to_owned(),
            known: wf.signals().map(|(a, _)| a.id.clone()).collect(),
        });
    }
    Ok(())
}

fn pretty(v: &serde_json::Value) -> Result<String, ExportError> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    Ok(s)
}

/// Exports `design` as `format`, for one signal when `signal` is given. A design with errors
/// (those of `flowcall check`) is refused with [`ExportError::Rejected`].
pub fn export(
    design: &Design,
    format: Format,
    signal: Option<(&str, &str)>,
) -> Result<Export, ExportError> {
    if let Some((w, s)) = signal {
        check_signal(design, w, s)?;
    }
    let errors = design_errors(design);
    if !errors.is_empty() {
        return Err(ExportError::Rejected(errors));
    }
    let include = |w: &str, s: &str| signal.is_none_or(|(sw, ss)| sw == w && ss == s);
    let plain = |text| Export {
        text,
        warnings: Vec::new(),
    };
    match format {
        Format::Json => {
            if signal.is_some() {
                return Err(ExportError::SignalNotApplicable("json"));
            }
            let text = crate::io::to_json_string(design)?;
            Ok(plain(text))
        }
        Format::Schema => {
            let mut all = serde_json::Map::new();
            for wf in &design.workflows {
                for (act, contract) in wf.signals() {
                    if include(&wf.id, &act.id) {
                        all.insert(
                            format!("{}/{}", wf.id, act.id),
                            schema::payload_schema(&wf.id, &act.id, contract),
                        );
                    }
                }
            }
            let value = match (signal, all.len()) {
                (Some(_), 1) => all.into_iter().next().map(|(_, v)| v).unwrap_or_default(),
                _ => serde_json::Value::Object(all),
            };
            Ok(plain(pretty(&value)?))
        }
        Format::Openapi => Ok(plain(pretty(&openapi::openapi(design, &include))?)),
        Format::Curl => Ok(plain(curl::curl(design, &include, curl::DEFAULT_BASE_URL))),
        Format::Bpmn => {
            if signal.is_some() {
                return Err(ExportError::SignalNotApplicable("bpmn"));
            }
            bpmn::bpmn(design)
        }
    }
}
