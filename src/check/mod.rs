//! Design-time diagnostics over a model (docs/CHECKS.md): parameter contracts, End triggers against
//! their targets, reachability, dead ends, Test conditions, empty required fields and scenarios.
//! Expressions are parsed and type-checked against the variables available where they are.
//! The same list feeds `flowcall check` and the designer's Problems panel.

mod diagnostic;
mod exprs;
mod graph;
mod life;

pub use diagnostic::{Diagnostic, Severity, Span, describe_field};
pub use exprs::{environment, environments, fits_parameter, variables_set_by};
pub use graph::{reachable_from_entries, upstream_of};

use crate::model::{
    Activity, ActivityKind, Design, EmailSettings, EndSettings, ForkSettings, Links,
    MAX_PARAMETERS, Parameter, Port, SignalContract, TestSettings, Type, Value, Workflow, listed,
    name_problem, repeated_positions,
};
use std::collections::{BTreeMap, BTreeSet};

/// Collects diagnostics for one design.
struct Sink<'a> {
    out: Vec<Diagnostic>,
    workflow: Option<&'a str>,
}

impl<'a> Sink<'a> {
    fn push(
        &mut self,
        severity: Severity,
        activity: Option<&str>,
        field: Option<String>,
        message: String,
    ) {
        self.out.push(Diagnostic {
            severity,
            workflow: self.workflow.map(str::to_owned),
            activity: activity.map(str::to_owned),
            field,
            message,
            span: None,
        });
    }
    fn error(&mut self, activity: Option<&str>, field: Option<String>, message: String) {
        self.push(Severity::Error, activity, field, message);
    }
    fn warning(&mut self, activity: Option<&str>, field: Option<String>, message: String) {
        self.push(Severity::Warning, activity, field, message);
    }
}

/// Every diagnostic of the design, in document order.
pub fn check(design: &Design) -> Vec<Diagnostic> {
    let mut sink = Sink {
        out: Vec::new(),
        workflow: None,
    };
    sink.out.extend(
        design
            .structure_problems()
            .into_iter()
            .map(Diagnostic::from),
    );
    if design.workflows.is_empty() {
        sink.warning(None, None, "the design has no workflow; add one".into());
    }
    for wf in &design.workflows {
        sink.workflow = Some(&wf.id);
        check_workflow(design, wf, &mut sink);
        exprs::check_workflow_expressions(design, wf, &mut sink.out);
        life::check_workflow_life(wf, &mut sink.out);
    }
    sink.workflow = None;
    check_scenarios(design, &mut sink);
    life::check_scenario_life(design, &mut sink.out);
    check_sample(design, &mut sink);
    sink.out
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// The problems of one workflow's shape (no entry, unreachable activities, dead ends), then of
/// each activity's settings.
fn check_workflow(design: &Design, wf: &Workflow, sink: &mut Sink<'_>) {
    let entries: Vec<&str> = wf
        .activities
        .iter()
        .filter(|a| a.kind.is_entry())
        .map(|a| a.id.as_str())
        .collect();
    check_entries(wf, &entries, sink);
    let reachable = reachable_from_entries(wf);
    let links = wf.links();
    for act in &wf.activities {
        check_reached(act, &entries, &reachable, &links, sink);
        check_way_out(act, &links, sink);
        check_activity(design, &links, act, sink);
    }
}

/// A workflow that is empty, or has activities but no Start or External signal to begin at.
fn check_entries(wf: &Workflow, entries: &[&str], sink: &mut Sink<'_>) {
    if wf.activities.is_empty() {
        sink.warning(
            None,
            None,
            format!(
                "workflow '{}' is empty: it can never run; add a Start or an External signal, then the activities it leads to",
                wf.id
            ),
        );
    }
    if entries.is_empty() && !wf.activities.is_empty() {
        sink.error(
            None,
            None,
            format!(
                "workflow '{}' has no Start or External signal activity, so it can never run; add one",
                wf.id
            ),
        );
    }
}

/// An entry that a transition leads into, or another activity no path reaches from an entry.
fn check_reached(
    act: &Activity,
    entries: &[&str],
    reachable: &BTreeSet<&str>,
    links: &Links<'_>,
    sink: &mut Sink<'_>,
) {
    let a = Some(act.id.as_str());
    if act.kind.is_entry() {
        if let Some(t) = links.incoming(&act.id).next() {
            sink.error(
                a,
                None,
                format!(
                    "a transition from '{}' leads into this {}; runs only begin here, nothing may lead into it",
                    t.from,
                    act.kind.tag().name()
                ),
            );
        }
    } else if !entries.is_empty() && !reachable.contains(act.id.as_str()) {
        sink.error(
            a,
            None,
            format!(
                "'{}' is unreachable: no path leads to it from a Start or External signal; connect it or delete it",
                act.display_name()
            ),
        );
    }
}

/// An activity other than an End with no way out, or a Test's or Fork's unconnected outputs.
fn check_way_out(act: &Activity, links: &Links<'_>, sink: &mut Sink<'_>) {
    let connected: BTreeSet<&Port> = links.outgoing(&act.id).map(|t| &t.port).collect();
    match &act.kind {
        ActivityKind::End(_) => {}
        ActivityKind::Test(_) | ActivityKind::Fork(_) => {
            check_branch_outputs(act, &connected, sink)
        }
        _ => {
            if connected.is_empty() {
                sink.error(
                    Some(act.id.as_str()),
                    None,
                    format!(
                        "'{}' has no way out and is not an End; connect it to the next activity or to an End",
                        act.display_name()
                    ),
                );
            }
        }
    }
}

/// A Test or Fork with none of its outputs connected (an error), or some (a warning each).
fn check_branch_outputs(act: &Activity, connected: &BTreeSet<&Port>, sink: &mut Sink<'_>) {
    let a = Some(act.id.as_str());
    let ports = act.kind.output_ports();
    if connected.is_empty() && !ports.is_empty() {
        sink.error(
            a,
            None,
            format!(
                "'{}' has no way out and is not an End; connect its outputs or add an End",
                act.display_name()
            ),
        );
    } else {
        for p in ports.iter().filter(|p| !connected.contains(p)) {
            sink.warning(
                a,
                None,
                format!(
                    "output {} of '{}' is not connected: a branch taking it stops without an End",
                    p.describe(),
                    act.display_name()
                ),
            );
        }
    }
}

/// The settings of one activity, by kind, then its empty expressions.
fn check_activity(design: &Design, links: &Links<'_>, act: &Activity, sink: &mut Sink<'_>) {
    let a = Some(act.id.as_str());
    match &act.kind {
        ActivityKind::ExternalSignal(contract) => check_signal(contract, a, sink),
        ActivityKind::Test(t) => check_test(act, t, sink),
        ActivityKind::Fork(f) => check_fork(f, a, sink),
        ActivityKind::AndJoin => check_and_join(act, links, sink),
        ActivityKind::EmailDelivery(e) => check_email(e, a, sink),
        ActivityKind::End(EndSettings { trigger: Some(t) }) => {
            check_end_trigger(design, act, t, sink)
        }
        _ => {}
    }
    check_empty_expressions(act, sink);
}

/// A signal's contract: how many parameters it declares, then each parameter.
fn check_signal(contract: &SignalContract, a: Option<&str>, sink: &mut Sink<'_>) {
    if contract.parameters.len() > MAX_PARAMETERS {
        sink.error(
            a,
            None,
            format!(
                "the signal declares {} parameters; the limit is {MAX_PARAMETERS}",
                contract.parameters.len()
            ),
        );
    }
    let mut seen = BTreeSet::new();
    for p in &contract.parameters {
        let field = Some(format!("parameter:{}", p.name));
        if let Some(problem) = name_problem(&p.name) {
            sink.error(
                a,
                field.clone(),
                format!("invalid parameter name: {problem}"),
            );
        }
        if !seen.insert(p.name.as_str()) {
            sink.error(
                a,
                field.clone(),
                format!(
                    "parameter '{}' is declared twice; names must be unique in a signal",
                    p.name
                ),
            );
        }
        check_allowed_and_default(p, a, &field, sink);
    }
}

/// A declared parameter's allowed values listed twice, and a default that is not allowed or
/// never used.
fn check_allowed_and_default(
    p: &Parameter,
    a: Option<&str>,
    field: &Option<String>,
    sink: &mut Sink<'_>,
) {
    // Sorted, not compared pairwise: a parameter may list 100,000 values.
    for i in repeated_positions(&p.allowed) {
        if let Some(v) = p.allowed.get(i) {
            sink.warning(
                a,
                field.clone(),
                format!("parameter '{}' lists the allowed value '{v}' twice", p.name),
            );
        }
    }
    let Some(d) = &p.default else {
        return;
    };
    if !p.allowed.is_empty() && !p.allowed.contains(d) {
        sink.error(
            a,
            field.clone(),
            format!(
                "the default '{d}' of parameter '{}' is not one of its allowed values",
                p.name
            ),
        );
    }
    if p.required {
        sink.warning(
            a,
            field.clone(),
            format!(
                "parameter '{}' is required, so its default is never used; make it optional or remove the default",
                p.name
            ),
        );
    }
}

/// A Test with no condition, or with a condition id used twice.
fn check_test(act: &Activity, t: &TestSettings, sink: &mut Sink<'_>) {
    let a = Some(act.id.as_str());
    if t.conditions.is_empty() {
        sink.error(
            a,
            None,
            format!(
                "Test '{}' has no condition; add at least one",
                act.display_name()
            ),
        );
    }
    let mut ids = BTreeSet::new();
    for c in &t.conditions {
        if !ids.insert(c.id.as_str()) {
            sink.error(
                a,
                Some(format!("condition:{}", c.id)),
                format!("condition id '{}' is used twice in this Test", c.id),
            );
        }
    }
}

/// A Fork with a branch named twice, or with fewer than two branches.
fn check_fork(f: &ForkSettings, a: Option<&str>, sink: &mut Sink<'_>) {
    let mut names = BTreeSet::new();
    for b in &f.branches {
        if !names.insert(b.as_str()) {
            sink.error(a, None, format!("branch '{b}' is named twice in this Fork"));
        }
    }
    if f.branches.len() < 2 {
        sink.warning(
            a,
            None,
            "a Fork with fewer than two branches does not split anything".into(),
        );
    }
}

/// An AND-join with fewer than two incoming transitions.
fn check_and_join(act: &Activity, links: &Links<'_>, sink: &mut Sink<'_>) {
    let n = links.incoming(&act.id).count();
    if n < 2 {
        sink.warning(
            Some(act.id.as_str()),
            None,
            format!("this AND-join has {n} incoming transition(s); it joins nothing"),
        );
    }
}

/// A delivery parameter set twice or with an empty name.
fn check_email(e: &EmailSettings, a: Option<&str>, sink: &mut Sink<'_>) {
    let mut names = BTreeSet::new();
    for p in &e.parameters {
        if !names.insert(p.name.as_str()) {
            sink.error(
                a,
                Some(format!("parameter:{}", p.name)),
                format!("delivery parameter '{}' is set twice", p.name),
            );
        }
        if p.name.trim().is_empty() {
            sink.error(a, None, "a delivery parameter has an empty name".into());
        }
    }
}

/// An expression field left empty that must hold an expression.
fn check_empty_expressions(act: &Activity, sink: &mut Sink<'_>) {
    for (field, src) in act.kind.expression_fields() {
        if src.trim().is_empty() && !field.may_be_empty() {
            sink.error(
                Some(act.id.as_str()),
                Some(field.key()),
                format!("{} is empty; write an expression", describe_field(&field)),
            );
        }
    }
}

fn check_end_trigger(
    design: &Design,
    act: &crate::model::Activity,
    t: &crate::model::EndTrigger,
    sink: &mut Sink<'_>,
) {
    let a = Some(act.id.as_str());
    if let Some(contract) = end_target(design, a, t, sink) {
        check_end_parameters(contract, t, a, sink);
    }
}

/// The contract of the signal an End triggers, or an error saying why there is none (no
/// workflow or signal named yet, or one that does not exist).
fn end_target<'d>(
    design: &'d Design,
    a: Option<&str>,
    t: &crate::model::EndTrigger,
    sink: &mut Sink<'_>,
) -> Option<&'d crate::model::SignalContract> {
    let Some(target) = design.workflow(&t.workflow) else {
        let known: Vec<&str> = design.workflows.iter().map(|w| w.id.as_str()).collect();
        let message = if t.workflow.is_empty() {
            format!(
                "this End is to trigger a signal but names no workflow yet; choose its target \
                 workflow (workflows: {})",
                list_or_none(&known)
            )
        } else {
            format!(
                "this End triggers workflow '{}', which does not exist (workflows: {})",
                t.workflow,
                list_or_none(&known)
            )
        };
        sink.error(a, Some("trigger.workflow".into()), message);
        return None;
    };
    if t.signal.is_empty() {
        let known: Vec<&str> = target.signals().map(|(a, _)| a.id.as_str()).collect();
        sink.error(
            a,
            Some("trigger.signal".into()),
            format!(
                "this End names no signal of workflow '{}' yet; choose one (its signals: {})",
                t.workflow,
                list_or_none(&known)
            ),
        );
        return None;
    }
    let Some(contract) = target.signal(&t.signal) else {
        let known: Vec<&str> = target.signals().map(|(a, _)| a.id.as_str()).collect();
        let what = if target.activity(&t.signal).is_some() {
            "which is not an External signal"
        } else {
            "which does not exist"
        };
        sink.error(
            a,
            Some("trigger.signal".into()),
            format!(
                "this End triggers signal '{}' of workflow '{}', {what} (its signals: {})",
                t.signal,
                t.workflow,
                list_or_none(&known)
            ),
        );
        return None;
    };
    Some(contract)
}

/// The parameters an End passes, against its target's contract: each declared, passed once,
/// a constant among the allowed values, and every required one passed.
fn check_end_parameters(
    contract: &crate::model::SignalContract,
    t: &crate::model::EndTrigger,
    a: Option<&str>,
    sink: &mut Sink<'_>,
) {
    let mut passed: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &t.parameters {
        *passed.entry(p.name.as_str()).or_default() += 1;
        if contract.parameter(&p.name).is_none() {
            sink.error(
                a,
                Some(format!("parameter:{}", p.name)),
                format!(
                    "'{}' is not declared by signal '{}' of workflow '{}'; remove it or declare it there",
                    p.name, t.signal, t.workflow
                ),
            );
        }
    }
    for (name, n) in passed {
        if n > 1 {
            sink.error(
                a,
                Some(format!("parameter:{name}")),
                format!("parameter '{name}' is passed {n} times"),
            );
        }
    }
    for q in &t.parameters {
        if let Some(d) = contract.parameter(&q.name) {
            check_constant_allowed(q, d, t, a, sink);
        }
    }
    for p in contract.parameters.iter().filter(|p| p.required) {
        if !t.parameters.iter().any(|q| q.name == p.name) {
            sink.error(
                a,
                Some(format!("parameter:{}", p.name)),
                format!(
                    "required parameter '{}' ({}) of signal '{}' of workflow '{}' is not passed",
                    p.name, p.ty, t.signal, t.workflow
                ),
            );
        }
    }
}

/// An End that passes a constant (`'platinum'`, `500`, `-1`) to a parameter with allowed values
/// must pass one of them: the trigger would refuse it at run time and the calling run fail.
/// Expressions that read variables are left to the simulator.
fn check_constant_allowed(
    q: &crate::model::NamedExpression,
    d: &crate::model::Parameter,
    t: &crate::model::EndTrigger,
    activity: Option<&str>,
    sink: &mut Sink<'_>,
) {
    if d.allowed.is_empty() {
        return;
    }
    let Some(value) = constant(&q.expression) else {
        return;
    };
    // The same value as the parameter's type (an Integer for a Decimal), or left to the
    // simulator's conversions.
    let value = match (value, d.ty) {
        (Value::Integer(i), Type::Decimal) => Value::Decimal(i as f64),
        (v, ty) if v.ty() == Some(ty) => v,
        _ => return,
    };
    if d.allowed
        .iter()
        .any(|a| a.compare(&value) == Some(std::cmp::Ordering::Equal))
    {
        return;
    }
    let list = listed(d.allowed.iter().map(crate::expr::describe_value));
    let value = crate::expr::describe_value(&value);
    sink.error(
        activity,
        Some(format!("parameter:{}", q.name)),
        format!(
            "parameter '{}' passes {value}, which signal '{}' of workflow '{}' does not allow (allowed values: {}); pass one of them, or allow it there",
            q.name,
            t.signal,
            t.workflow,
            list
        ),
    );
}

/// The value of an expression that is a literal, or a negated number literal.
fn constant(expression: &str) -> Option<Value> {
    use crate::expr::{ExprKind, UnaryOp};
    let e = crate::expr::parse(expression).ok()?;
    match e.kind {
        ExprKind::Literal(v) => Some(v),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => match operand.kind {
            ExprKind::Literal(Value::Integer(i)) => i.checked_neg().map(Value::Integer),
            ExprKind::Literal(Value::Decimal(x)) => Some(Value::Decimal(-x)),
            _ => None,
        },
        _ => None,
    }
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        listed(items)
    }
}

fn check_scenarios(design: &Design, sink: &mut Sink<'_>) {
    let mut names = BTreeSet::new();
    for s in &design.scenarios {
        let field = Some(format!("scenario:{}", s.name));
        if !names.insert(s.name.as_str()) {
            sink.error(
                None,
                field.clone(),
                format!("scenario '{}' is defined twice", s.name),
            );
        }
        match design.workflow(&s.workflow) {
            None => sink.error(
                None,
                field.clone(),
                format!(
                    "scenario '{}' targets workflow '{}', which does not exist",
                    s.name, s.workflow
                ),
            ),
            Some(w) if w.signal(&s.signal).is_none() => sink.error(
                None,
                field.clone(),
                format!(
                    "scenario '{}' targets signal '{}' of workflow '{}', which is not an External signal there",
                    s.name, s.signal, s.workflow
                ),
            ),
            Some(_) => {}
        }
    }
}

fn check_sample(design: &Design, sink: &mut Sink<'_>) {
    let keys: BTreeSet<&str> = design
        .sample
        .profiles
        .rows
        .iter()
        .filter_map(|r| r.first().map(String::as_str))
        .collect();
    for (name, members) in &design.sample.audiences {
        for m in members.iter().filter(|m| !keys.contains(m.as_str())) {
            sink.warning(
                None,
                Some(format!("sample.audiences:{name}")),
                format!("sample audience '{name}' lists '{m}', which is not the key of any sample profile"),
            );
        }
    }
}

#[cfg(test)]
mod constant_tests {
    use super::constant;
    use crate::model::Value;

    #[test]
    fn literals_and_negated_numbers_are_constants() {
        assert_eq!(constant("'gold'"), Some(Value::String("gold".into())));
        assert_eq!(constant("500"), Some(Value::Integer(500)));
        assert_eq!(constant("-1"), Some(Value::Integer(-1)));
        assert_eq!(constant("-2.5"), Some(Value::Decimal(-2.5)));
        assert_eq!(constant("true"), Some(Value::Boolean(true)));
    }

    #[test]
    fn expressions_that_compute_or_read_are_not() {
        assert_eq!(constant("$(vars/@tier)"), None);
        assert_eq!(constant("'go' + 'ld'"), None);
        assert_eq!(constant("Upper('gold')"), None);
        assert_eq!(constant("'unclosed"), None);
    }
}

#[cfg(test)]
mod end_target_tests {
    use super::check;
    use crate::model::{
        Activity, ActivityKind, Design, EndSettings, EndTrigger, KindTag, Port, Transition,
        Workflow,
    };

    /// WKF1: signal1 → end1, whose trigger names `workflow` and `signal`; WKF2: a signal.
    fn design(workflow: &str, signal: &str) -> Design {
        let mut w = Workflow::new("WKF1", "Caller");
        w.activities
            .push(Activity::new("signal1", "In", KindTag::ExternalSignal));
        let mut end = Activity::new("end1", "Out", KindTag::End);
        end.kind = ActivityKind::End(EndSettings {
            trigger: Some(EndTrigger {
                workflow: workflow.into(),
                signal: signal.into(),
                parameters: Vec::new(),
            }),
        });
        w.activities.push(end);
        w.transitions.push(Transition {
            from: "signal1".into(),
            port: Port::Out,
            to: "end1".into(),
        });
        let mut w2 = Workflow::new("WKF2", "Callee");
        w2.activities
            .push(Activity::new("signal1", "In", KindTag::ExternalSignal));
        Design {
            workflows: vec![w, w2],
            ..Design::default()
        }
    }

    fn messages(d: &Design) -> Vec<String> {
        check(d).into_iter().map(|x| x.message).collect()
    }

    /// Regression: ticking "Trigger an external signal" before choosing a target said "this End
    /// triggers workflow '', which does not exist".
    #[test]
    fn an_end_with_no_target_chosen_yet_names_no_empty_workflow_or_signal() {
        for (w, s) in [("", ""), ("WKF2", "")] {
            let all = messages(&design(w, s));
            assert!(!all.is_empty(), "a missing target is a problem");
            for m in &all {
                assert!(!m.contains("''"), "{m}");
            }
        }
        let all = messages(&design("", ""));
        assert!(
            all.iter().any(|m| m.contains("names no workflow yet")),
            "{all:?}"
        );
        let all = messages(&design("WKF2", ""));
        assert!(
            all.iter()
                .any(|m| m.contains("names no signal of workflow 'WKF2' yet")),
            "{all:?}"
        );
    }
}
