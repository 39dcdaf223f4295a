//! What a check reports: a [`Diagnostic`] (its [`Severity`], the workflow, activity and field
//! it concerns, a [`Span`] inside an expression field), and the names of fields in messages.

use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The design cannot run as drawn.
    Error,
    /// Probably a mistake, but the design runs.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A byte range inside an expression field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// One problem, with the workflow, activity and field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The workflow id, if the problem is inside one.
    pub workflow: Option<String>,
    /// The activity id, if the problem is on one.
    pub activity: Option<String>,
    /// The field (`parameter:audience`, `filter`, `condition:c1`, `scenario:name`...).
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
    /// Where in the field's expression, when the field is an expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Diagnostic {
    /// The location prefix: `WKF1/end1`, `WKF1` or `design`.
    pub fn location(&self) -> String {
        match (&self.workflow, &self.activity) {
            (Some(w), Some(a)) => format!("{w}/{a}"),
            (Some(w), None) => w.clone(),
            (None, _) => "design".into(),
        }
    }
}

impl From<crate::model::StructureProblem> for Diagnostic {
    /// A structural problem is an error diagnostic.
    fn from(p: crate::model::StructureProblem) -> Self {
        Diagnostic {
            severity: Severity::Error,
            workflow: p.workflow,
            activity: p.activity,
            field: p.field,
            message: p.message,
            span: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `WKF1/end1: error: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity,
            self.message
        )
    }
}

/// A readable name of a field for messages.
pub fn describe_field(field: &crate::model::FieldRef) -> String {
    use crate::model::FieldRef::*;
    match field {
        Filter => "the filter".into(),
        SegmentCode => "the segment code".into(),
        Audience => "the audience name".into(),
        Label => "the label".into(),
        Path => "the file path".into(),
        Template => "the template".into(),
        Condition(c) => format!("condition '{c}'"),
        Parameter(p) => format!("parameter '{p}'"),
    }
}
