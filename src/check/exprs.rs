//! Expression diagnostics: every expression field of every activity is parsed and type-checked
//! against the variables available at that activity (the parameters of the signals upstream and
//! the built-in variables set by activities upstream), Test conditions must be Boolean, and an
//! End trigger's expressions must fit the types its target declares.

use super::{Diagnostic, Severity, Span, describe_field, upstream_of};
use crate::expr::{self, TypeEnv, VarInfo};
use crate::model::{
    Activity, ActivityKind, ConversionPolicy, Design, EndSettings, FieldRef, Type, Workflow,
};
use std::collections::BTreeMap;

/// The built-in variables an activity of this kind sets, with their types.
pub fn variables_set_by(kind: &ActivityKind) -> &'static [(&'static str, Type)] {
    match kind {
        ActivityKind::Query(_)
        | ActivityKind::ReadAudience(_)
        | ActivityKind::SaveAudience(_)
        | ActivityKind::UpdateData(_) => &[("recCount", Type::Integer)],
        ActivityKind::TransferFile(_) => &[
            ("fileName", Type::String),
            ("filesCount", Type::Integer),
            ("filenames", Type::String),
        ],
        ActivityKind::LoadFile => &[("recCount", Type::Integer), ("filename", Type::String)],
        _ => &[],
    }
}

/// The variables an expression of activity `id` may read.
pub fn environment(wf: &Workflow, id: &str) -> BTreeMap<String, VarInfo> {
    let mut vars = BTreeMap::new();
    let upstream = upstream_of(wf, id);
    // Activities in document order, so the first declaration wins deterministically.
    for act in wf
        .activities
        .iter()
        .filter(|a| upstream.contains(a.id.as_str()))
    {
        if let Some(contract) = act.kind.signal() {
            for p in &contract.parameters {
                vars.entry(p.name.clone()).or_insert_with(|| VarInfo {
                    ty: p.ty,
                    origin: format!("parameter of signal '{}'", act.id),
                });
            }
        }
        for (name, ty) in variables_set_by(&act.kind) {
            vars.entry((*name).to_owned()).or_insert_with(|| VarInfo {
                ty: *ty,
                origin: format!("set by activity '{}'", act.id),
            });
        }
    }
    vars
}

/// Expression diagnostics of one workflow.
pub(super) fn check_workflow_expressions(
    design: &Design,
    wf: &Workflow,
    out: &mut Vec<Diagnostic>,
) {
    let fields: BTreeMap<String, Type> = design
        .sample
        .profiles
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty))
        .collect();
    for act in &wf.activities {
        let exprs = act.kind.expression_fields();
        if exprs.iter().all(|(_, src)| src.trim().is_empty()) {
            continue;
        }
        let variables = environment(wf, &act.id);
        for (field, src) in exprs {
            if src.trim().is_empty() {
                continue;
            }
            let env = TypeEnv {
                variables: variables.clone(),
                fields: (field == FieldRef::Filter).then(|| fields.clone()),
            };
            let checked = expr::check_source(src, &env);
            let mut push = |severity, span: Option<Span>, message: String| {
                out.push(Diagnostic {
                    severity,
                    workflow: Some(wf.id.clone()),
                    activity: Some(act.id.clone()),
                    field: Some(field.key()),
                    message,
                    span,
                })
            };
            for d in &checked.diagnostics {
                let (line, col) = d.span.line_col(src);
                let at = if src.contains('\n') {
                    format!("line {line}, column {col}")
                } else {
                    format!("column {col}")
                };
                push(
                    match d.severity {
                        expr::Severity::Error => Severity::Error,
                        expr::Severity::Warning => Severity::Warning,
                    },
                    Some(Span {
                        start: d.span.start,
                        end: d.span.end,
                    }),
                    format!("{}, {at}: {}", describe_field(&field), d.message),
                );
            }
            if checked.has_errors() {
                continue;
            }
            if let Some(problem) = type_problem(design, act, &field, checked.ty) {
                push(Severity::Error, None, problem);
            }
        }
    }
}

/// Whether a value of type `got` can be passed where `want` is declared under `policy`.
pub fn fits_parameter(got: Type, want: Type, policy: ConversionPolicy) -> bool {
    got == want
        || (got == Type::Integer && want == Type::Decimal)
        || (got == Type::Date && want == Type::DateTime)
        || (got == Type::String && policy == ConversionPolicy::Lenient)
}

/// A type mismatch between an expression's type and what its field needs.
fn type_problem(
    design: &Design,
    act: &Activity,
    field: &FieldRef,
    ty: Option<Type>,
) -> Option<String> {
    let ty = ty?;
    match (&act.kind, field) {
        (ActivityKind::Test(_), FieldRef::Condition(id)) if ty != Type::Boolean => Some(format!(
            "condition '{id}' gives {ty}; a condition must give a Boolean (compare it, e.g. `... > 0`)"
        )),
        (ActivityKind::Query(_), FieldRef::Filter) if ty != Type::Boolean => Some(format!(
            "the filter gives {ty}; a filter must give a Boolean"
        )),
        (ActivityKind::End(EndSettings { trigger: Some(t) }), FieldRef::Parameter(name)) => {
            let contract = design.signal(&t.workflow, &t.signal)?;
            let p = contract.parameter(name)?;
            (!fits_parameter(ty, p.ty, contract.conversion)).then(|| {
                format!(
                    "parameter '{name}' is declared {} by signal '{}' of workflow '{}' ({:?} policy), but this expression gives {ty}",
                    p.ty, t.signal, t.workflow, contract.conversion
                )
            })
        }
        _ => None,
    }
}
