//! Expression diagnostics: every expression field of every activity is parsed and type-checked
//! against the variables available at that activity (the parameters of the signals upstream and
//! the built-in variables set by activities upstream), Test conditions must be Boolean, and an
//! End trigger's expressions must fit the types its target declares.

use super::diagnostic::{Diagnostic, Severity, Span, describe_field};
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
    let envs = environments(wf);
    wf.activities
        .iter()
        .position(|a| a.id == id)
        .and_then(|i| envs.into_iter().nth(i))
        .unwrap_or_default()
}

/// The variables activity `act` (at document index `i`) itself provides: the parameters of
/// its signal and the built-in variables it sets, each tagged with `i`.
fn provided_by(i: usize, act: &Activity) -> Vec<(String, usize, VarInfo)> {
    let mut v = Vec::new();
    if let Some(contract) = act.kind.signal() {
        for p in &contract.parameters {
            v.push((
                p.name.clone(),
                i,
                VarInfo {
                    ty: p.ty,
                    origin: format!("parameter of signal '{}'", act.id),
                },
            ));
        }
    }
    for (name, ty) in variables_set_by(&act.kind) {
        v.push((
            (*name).to_owned(),
            i,
            VarInfo {
                ty: *ty,
                origin: format!("set by activity '{}'", act.id),
            },
        ));
    }
    v
}

/// The variables every activity of `wf` may read, in activity order: the parameters of the
/// signals upstream and the built-in variables set by activities upstream. When several
/// upstream activities provide a name, the first in document order gives its type and origin.
/// Computed for the whole workflow at once by propagating along transitions to a fixpoint.
pub fn environments(wf: &Workflow) -> Vec<BTreeMap<String, VarInfo>> {
    let n = wf.activities.len();
    let index: BTreeMap<&str, usize> = wf
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for t in &wf.transitions {
        if let (Some(&f), Some(&to)) = (index.get(t.from.as_str()), index.get(t.to.as_str())) {
            succs[f].push(to);
            preds[to].push(f);
        }
    }
    // What each activity itself provides, tagged with its document index.
    let own: Vec<Vec<(String, usize, VarInfo)>> = wf
        .activities
        .iter()
        .enumerate()
        .map(|(i, act)| provided_by(i, act))
        .collect();
    // env[i]: name -> (document index of the provider, info). A provider with a lower index wins.
    let mut env: Vec<BTreeMap<String, (usize, VarInfo)>> = vec![BTreeMap::new(); n];
    // Visit activities after the ones upstream (reverse postorder of a depth-first walk), so
    // that a workflow without loops settles in one pass whatever its document order.
    let mut queue: std::collections::VecDeque<usize> = reverse_postorder(&succs).into();
    let mut queued = vec![true; n];
    while let Some(i) = queue.pop_front() {
        queued[i] = false;
        let mut next: BTreeMap<String, (usize, VarInfo)> = BTreeMap::new();
        for &p in &preds[i] {
            let offered = env[p]
                .iter()
                .map(|(k, (d, v))| (k, *d, v))
                .chain(own[p].iter().map(|(k, d, v)| (k, *d, v)));
            for (k, d, v) in offered {
                match next.get(k) {
                    Some((existing, _)) if *existing <= d => {}
                    _ => {
                        next.insert(k.clone(), (d, v.clone()));
                    }
                }
            }
        }
        if next != env[i] {
            env[i] = next;
            for &s in &succs[i] {
                if !queued[s] {
                    queued[s] = true;
                    queue.push_back(s);
                }
            }
        }
    }
    env.into_iter()
        .map(|m| m.into_iter().map(|(k, (_, v))| (k, v)).collect())
        .collect()
}

/// Every node, each after its predecessors where the graph has no cycle: the reverse postorder
/// of depth-first walks from each unvisited node in order (iterative, linear).
fn reverse_postorder(succs: &[Vec<usize>]) -> Vec<usize> {
    let n = succs.len();
    let mut seen = vec![false; n];
    let mut post = Vec::with_capacity(n);
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut frames = vec![(start, 0usize)];
        while let Some((v, pos)) = frames.last_mut() {
            let v = *v;
            if let Some(&w) = succs[v].get(*pos) {
                *pos += 1;
                if !seen[w] {
                    seen[w] = true;
                    frames.push((w, 0));
                }
            } else {
                post.push(v);
                frames.pop();
            }
        }
    }
    post.reverse();
    post
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
    let envs = environments(wf);
    for (act, variables) in wf.activities.iter().zip(envs) {
        let exprs = act.kind.expression_fields();
        if exprs.iter().all(|(_, src)| src.trim().is_empty()) {
            continue;
        }
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

/// Whether a value of type `got` can be passed where `want` is declared under `policy`, as the
/// simulator passes it (its JSON form through the trigger's conversions): a String fits where
/// some text is accepted (under Lenient anything, under Strict a Date or DateTime, which JSON
/// carries as text); any other type fits where every value of it is accepted.
pub fn fits_parameter(got: Type, want: Type, policy: ConversionPolicy) -> bool {
    let lenient = policy == ConversionPolicy::Lenient;
    let dated = |t: Type| matches!(t, Type::Date | Type::DateTime);
    got == want
        || (got == Type::Integer && want == Type::Decimal)
        || (got == Type::Date && want == Type::DateTime)
        // Dates travel as their text; under Lenient numbers and Booleans become their JSON text.
        || (want == Type::String && (dated(got) || lenient))
        || (got == Type::String && (lenient || dated(want)))
}

/// What to do when an End's expression does not fit a parameter of type `want`.
fn conversion_hint(want: Type) -> &'static str {
    match want {
        Type::String => "make it text with ToString(...)",
        Type::Integer => "make it an Integer with ToInt64(...)",
        Type::Decimal => "make it a number with ToDouble(...)",
        Type::Boolean => "make it a Boolean with a comparison or ToBoolean(...)",
        Type::Date => "make it a Date with ToDate(...)",
        Type::DateTime => "make it a DateTime with ToDateTime(...)",
    }
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
                    "parameter '{name}' is declared {} by signal '{}' of workflow '{}' ({:?} policy), but this expression gives {ty}; {}",
                    p.ty,
                    t.signal,
                    t.workflow,
                    contract.conversion,
                    conversion_hint(p.ty)
                )
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_follow_transitions_and_keep_the_first_provider() {
        let design = crate::io::load(std::path::Path::new("examples/file-to-audience.flow.ron"));
        let Ok(design) = design else {
            panic!("example does not load")
        };
        let Some(wf) = design.workflow("WKF1") else {
            panic!("no WKF1")
        };
        let names = |id: &str| -> Vec<String> { environment(wf, id).into_keys().collect() };
        assert!(names("signal1").is_empty());
        assert_eq!(names("transfer1"), ["discountDesc", "fileToTarget"]);
        assert_eq!(
            names("test1"),
            [
                "discountDesc",
                "fileName",
                "fileToTarget",
                "filename",
                "filenames",
                "filesCount",
                "recCount"
            ]
        );
        let env = environment(wf, "end1");
        assert_eq!(
            env.get("recCount").map(|v| v.origin.as_str()),
            Some("set by activity 'load1'")
        );
        assert_eq!(env.get("fileToTarget").map(|v| v.ty), Some(Type::String));
        let all = environments(wf);
        assert_eq!(all.len(), wf.activities.len());
    }
}
