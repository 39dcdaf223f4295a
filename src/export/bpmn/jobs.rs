//! The jobs of the BPMN export, the worker contract of `docs/CAMUNDA.md` in code: for each
//! service-like activity its job type, its input mappings (translated FEEL, computed by Zeebe),
//! its task headers (configuration, and the flowcall text of every expression FEEL cannot
//! express, for the worker to evaluate: never a value) and its output mappings (the built-in
//! variables the simulator sets, so that what a worker returns lands in the process scope).
//! A Test becomes FEEL conditions when every condition translates, each guarded by the ones
//! before it so that the first true condition wins whatever order an engine tries the flows in;
//! otherwise a `flowcall-test` job evaluates the conditions in order before the gateway and the
//! flows read its result.

use super::Ctx;
use crate::check::variables_set_by;
use crate::export::feel::string_literal;
use crate::model::{Activity, ActivityKind, EndSettings, FieldRef, TestSettings, Workflow};

/// The header prefix of an expression left for the worker: `flowcall.expression.label`.
pub const EXPRESSION_HEADER: &str = "flowcall.expression.";

/// The job type of the task that evaluates a Test FEEL cannot express.
pub const TEST_JOB: &str = "flowcall-test";

/// What a job worker is given and must give back.
#[derive(Debug, Default)]
pub struct Job {
    /// The `zeebe:taskDefinition` type.
    pub kind: &'static str,
    /// Input mappings: (target, `=FEEL`).
    pub inputs: Vec<(String, String)>,
    /// Task headers: (key, value).
    pub headers: Vec<(String, String)>,
    /// Output mappings: (target, `=FEEL`).
    pub outputs: Vec<(String, String)>,
}

/// How a Test's conditions are exported.
#[derive(Debug)]
pub enum Gate {
    /// FEEL on each condition's flow, by condition index.
    Feel(Vec<String>),
    /// A `flowcall-test` job before the gateway sets `variable` to the id of the first true
    /// condition (or null); each flow compares it with its condition id.
    Worker {
        /// The evaluating job.
        job: Job,
        /// The process variable it sets.
        variable: String,
    },
}

impl Gate {
    /// The FEEL condition of condition `index` (id `id`).
    pub fn condition(&self, index: usize, id: &str) -> String {
        match self {
            Gate::Feel(list) => list.get(index).cloned().unwrap_or_else(|| "=false".into()),
            Gate::Worker { variable, .. } => format!("={variable} = {}", string_literal(id)),
        }
    }
}

/// The Zeebe job type of a service-task kind.
pub fn task_type(kind: &ActivityKind) -> Option<&'static str> {
    Some(match kind {
        ActivityKind::Query(_) => "flowcall-query",
        ActivityKind::ReadAudience(_) => "flowcall-read-audience",
        ActivityKind::SaveAudience(_) => "flowcall-save-audience",
        ActivityKind::TransferFile(_) => "flowcall-transfer-file",
        ActivityKind::LoadFile => "flowcall-load-file",
        ActivityKind::UpdateData(_) => "flowcall-update-data",
        ActivityKind::EmailDelivery(_) => "flowcall-email-delivery",
        ActivityKind::End(EndSettings { trigger: Some(_) }) => "flowcall-publish-message",
        _ => return None,
    })
}

/// A FEEL name made of `parts`: ASCII letters, digits and `_` (others become `_`).
pub fn feel_name(parts: &[&str]) -> String {
    parts
        .concat()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The job of `act`, when it has one.
pub fn job<'a>(ctx: &mut Ctx<'a>, wf: &'a Workflow, act: &Activity) -> Option<Job> {
    let mut job = Job {
        kind: task_type(&act.kind)?,
        ..Job::default()
    };
    match &act.kind {
        ActivityKind::UpdateData(u) => {
            job.headers
                .push(("flowcall.operation".into(), format!("{:?}", u.operation)));
        }
        ActivityKind::EmailDelivery(e) => {
            for (target, src) in [("label", &e.label), ("template", &e.template)] {
                if !src.trim().is_empty() {
                    expression(ctx, wf, act, &mut job, target, src);
                }
            }
            let named = e.parameters.iter().map(|p| (&p.name, &p.expression));
            context(ctx, wf, act, &mut job, "deliveryParameters", named);
        }
        ActivityKind::End(EndSettings { trigger: Some(t) }) => {
            job.headers.push((
                "flowcall.message".into(),
                super::message_name(&t.workflow, &t.signal),
            ));
            job.headers
                .push(("flowcall.source".into(), format!("{}/{}", wf.id, act.id)));
            let named = t.parameters.iter().map(|p| (&p.name, &p.expression));
            context(ctx, wf, act, &mut job, "parameters", named);
        }
        kind => {
            for (field, src) in kind.expression_fields() {
                if !src.trim().is_empty() {
                    let key = match field {
                        FieldRef::SegmentCode => "segmentCode".to_owned(),
                        f => f.key(),
                    };
                    expression(ctx, wf, act, &mut job, &key, src);
                }
            }
        }
    }
    for (name, _) in variables_set_by(&act.kind) {
        job.outputs.push(((*name).to_owned(), format!("={name}")));
    }
    Some(job)
}

/// One expression field: an input mapping when it translates, else a header.
fn expression<'a>(
    ctx: &mut Ctx<'a>,
    wf: &'a Workflow,
    act: &Activity,
    job: &mut Job,
    target: &str,
    src: &str,
) {
    match ctx.translate(wf, act, src) {
        Ok(feel) => job.inputs.push((target.to_owned(), format!("={feel}"))),
        Err(why) => left_to_worker(ctx, wf, act, job, target, &why, src),
    }
}

/// Named expressions as one FEEL context input `target` (`{"name": ...}`) of the ones that
/// translate, and a header `flowcall.expression.TARGET.NAME` for each of the others.
fn context<'a, 'n>(
    ctx: &mut Ctx<'a>,
    wf: &'a Workflow,
    act: &Activity,
    job: &mut Job,
    target: &str,
    named: impl Iterator<Item = (&'n String, &'n String)>,
) {
    let mut entries = Vec::new();
    let mut any = false;
    for (name, src) in named {
        any = true;
        match ctx.translate(wf, act, src) {
            Ok(feel) => entries.push(format!("{}: {feel}", string_literal(name))),
            Err(why) => {
                left_to_worker(ctx, wf, act, job, &format!("{target}.{name}"), &why, src);
            }
        }
    }
    if any {
        job.inputs
            .push((target.to_owned(), format!("={{{}}}", entries.join(", "))));
    }
}

/// Leaves `src` to the worker as the header `flowcall.expression.TARGET`, with a warning.
fn left_to_worker(
    ctx: &mut Ctx<'_>,
    wf: &Workflow,
    act: &Activity,
    job: &mut Job,
    target: &str,
    why: &str,
    src: &str,
) {
    let key = format!("{EXPRESSION_HEADER}{target}");
    ctx.warnings.push(format!(
        "{}/{} {target}: {why}; exported as the task header '{key}' for the job worker to evaluate (no input mapping): {src}",
        wf.id, act.id
    ));
    job.headers.push((key, src.to_owned()));
}

/// The most conditions a Test exports as guarded FEEL. Each condition's flow repeats the
/// conditions before it (see [`guarded`]), so their text grows with the square of their count;
/// a Test with more conditions is evaluated by a `flowcall-test` job, whose size is linear.
pub const MAX_GUARDED_CONDITIONS: usize = 32;

/// How the conditions of Test `act` are exported.
pub fn gate<'a>(ctx: &mut Ctx<'a>, wf: &'a Workflow, act: &Activity, test: &TestSettings) -> Gate {
    let variable = feel_name(&["flowcallTest_", &act.id]);
    if test.conditions.len() > MAX_GUARDED_CONDITIONS {
        ctx.warnings.push(format!(
            "{}/{}: {} conditions, more than the {MAX_GUARDED_CONDITIONS} exported as FEEL (each flow's condition repeats the ones before it, so they would grow with the square of their count); the Test is evaluated by a '{TEST_JOB}' job before the gateway, whose conditions read its result '{variable}'",
            wf.id,
            act.id,
            test.conditions.len()
        ));
        return worker_gate(test, variable);
    }
    let translated: Vec<Result<String, String>> = test
        .conditions
        .iter()
        .map(|c| {
            ctx.translate(wf, act, &c.expression).and_then(|f| {
                // A FEEL condition is evaluated again for each later flow (see `guarded`):
                // a random draw would differ between them.
                if f.contains("random number(") {
                    Err("it draws a random number, which the guarded FEEL conditions of the later flows would draw again".into())
                } else {
                    Ok(f)
                }
            })
        })
        .collect();
    if translated.iter().all(Result::is_ok) {
        let feel: Vec<String> = translated.into_iter().flatten().collect();
        return Gate::Feel(guarded(&feel));
    }
    for (c, t) in test.conditions.iter().zip(&translated) {
        if let Err(why) = t {
            ctx.warnings.push(format!(
                "{}/{} condition {}: {why}; the Test is evaluated by a '{TEST_JOB}' job before the gateway, whose conditions read its result '{variable}': {}",
                wf.id, act.id, c.id, c.expression
            ));
        }
    }
    worker_gate(test, variable)
}

/// A `flowcall-test` job that evaluates the conditions in order and sets `variable`.
fn worker_gate(test: &TestSettings, variable: String) -> Gate {
    let conditions: Vec<serde_json::Value> = test
        .conditions
        .iter()
        .map(|c| serde_json::json!({"id": c.id, "expression": c.expression}))
        .collect();
    let job = Job {
        kind: TEST_JOB,
        inputs: Vec::new(),
        headers: vec![
            (
                "flowcall.conditions".into(),
                serde_json::Value::Array(conditions).to_string(),
            ),
            ("flowcall.result".into(), variable.clone()),
        ],
        outputs: vec![(variable.clone(), format!("={variable}"))],
    };
    Gate::Worker { job, variable }
}

/// FEEL conditions that hold only when theirs is true and no earlier one is: the simulator takes
/// the first true condition, and a null or non-Boolean result counts as false (where a bare
/// FEEL condition would raise an incident on Zeebe). Their size grows with the square of the
/// count, hence [`MAX_GUARDED_CONDITIONS`].
fn guarded(feel: &[String]) -> Vec<String> {
    let mut earlier: Vec<String> = Vec::with_capacity(feel.len());
    feel.iter()
        .map(|f| {
            let held = format!("{} = true", paren(f));
            let condition = if earlier.is_empty() {
                format!("={held}")
            } else {
                format!("={held} and not({})", earlier.join(" or "))
            };
            earlier.push(held);
            condition
        })
        .collect()
}

/// `f` in parentheses, unless it is one parenthesized expression already.
fn paren(f: &str) -> String {
    if f.starts_with('(') && closing_of_first(f) == Some(f.len() - 1) {
        f.to_owned()
    } else {
        format!("({f})")
    }
}

/// The byte index of the parenthesis closing the first character of `f` (an opening one),
/// skipping FEEL string literals and backquoted names.
fn closing_of_first(f: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in f.char_indices() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                c if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paren_keeps_one_parenthesized_expression_and_wraps_the_rest() {
        assert_eq!(paren("(a > 0)"), "(a > 0)");
        assert_eq!(paren("(a) and (b)"), "((a) and (b))");
        assert_eq!(paren("a > 0"), "(a > 0)");
        assert_eq!(paren("(\")\" = a)"), "(\")\" = a)");
        assert_eq!(paren("(\"\\\")\" = a) or b"), "((\"\\\")\" = a) or b)");
    }

    #[test]
    fn guarded_conditions_exclude_the_earlier_ones() {
        let g = guarded(&["(a > 3)".into(), "b".into(), "c = 1".into()]);
        assert_eq!(
            g,
            vec![
                "=(a > 3) = true".to_owned(),
                "=(b) = true and not((a > 3) = true)".to_owned(),
                "=(c = 1) = true and not((a > 3) = true or (b) = true)".to_owned(),
            ]
        );
    }

    #[test]
    fn feel_names_keep_only_letters_digits_and_underscores() {
        assert_eq!(
            feel_name(&["flowcallTest_", "te-st.1"]),
            "flowcallTest_te_st_1"
        );
    }
}
