//! Unit tests of the comparison rules on small designs built in code; `tests/it/diff.rs` runs the
//! binary on a pair of files for each kind of change.

use super::*;
use crate::model::{
    Activity, ActivityKind, ConversionPolicy, Design, EndSettings, EndTrigger, KindTag,
    NamedExpression, Parameter, SignalContract, Transition, Type, Value, Workflow,
};

fn signal_design(workflow: &str, parameters: Vec<Parameter>, policy: ConversionPolicy) -> Design {
    let mut wf = Workflow::new(workflow, "Label");
    let mut signal = Activity::new("signal1", "Signal", KindTag::ExternalSignal);
    signal.kind = ActivityKind::ExternalSignal(SignalContract {
        parameters,
        conversion: policy,
    });
    wf.activities.push(signal);
    wf.activities
        .push(Activity::new("end1", "End", KindTag::End));
    wf.transitions.push(Transition {
        from: "signal1".into(),
        port: crate::model::Port::Out,
        to: "end1".into(),
    });
    Design {
        workflows: vec![wf],
        ..Design::default()
    }
}

fn p(name: &str, ty: Type) -> Parameter {
    Parameter::new(name, ty)
}

fn kinds(diff: &ContractDiff) -> Vec<(Class, &Kind)> {
    diff.changes.iter().map(|c| (c.class, &c.kind)).collect()
}

#[test]
fn a_design_compared_with_itself_has_no_change() {
    let design = crate::model::generated_design(3, 40);
    let diff = compare(&design, &design);
    assert!(diff.changes.is_empty(), "{:?}", diff.lines());
    assert!(diff.scenarios.is_empty());
    assert_eq!(diff.signals.len(), 3);
    assert!(
        diff.signals
            .iter()
            .all(|s| s.status == Status::Unchanged && !s.breaking)
    );
    assert_eq!(diff.summary().to_string(), "no contract changes");
    assert!(!diff.is_breaking());
}

#[test]
fn a_rename_needs_the_same_position_and_type() {
    let old = signal_design(
        "W",
        vec![
            p("a", Type::String),
            p("b", Type::String),
            p("c", Type::Integer),
        ],
        ConversionPolicy::Lenient,
    );
    // Same position and type: a likely rename.
    let renamed = signal_design(
        "W",
        vec![
            p("a", Type::String),
            p("bee", Type::String),
            p("c", Type::Integer),
        ],
        ConversionPolicy::Lenient,
    );
    let diff = compare(&old, &renamed);
    assert_eq!(diff.changes.len(), 1, "{:?}", diff.lines());
    assert!(matches!(
        &diff.changes[0].kind,
        Kind::ParameterRenamed { from, to, position: 2, ty: Type::String } if from == "b" && to == "bee"
    ));
    // Same position, another type: a removal and an addition.
    let retyped = signal_design(
        "W",
        vec![
            p("a", Type::String),
            p("bee", Type::Boolean),
            p("c", Type::Integer),
        ],
        ConversionPolicy::Lenient,
    );
    let diff = compare(&old, &retyped);
    assert!(
        matches!(
            kinds(&diff).as_slice(),
            [
                (Class::Breaking, Kind::ParameterRemoved),
                (
                    Class::Compatible,
                    Kind::ParameterAdded {
                        ty: Type::Boolean,
                        required: false
                    }
                )
            ]
        ),
        "{:?}",
        diff.lines()
    );
    // Same type, another position: a removal and an addition (and no reorder of the rest).
    let moved = signal_design(
        "W",
        vec![
            p("a", Type::String),
            p("c", Type::Integer),
            p("bee", Type::String),
        ],
        ConversionPolicy::Lenient,
    );
    let diff = compare(&old, &moved);
    assert!(
        matches!(
            kinds(&diff).as_slice(),
            [
                (Class::Breaking, Kind::ParameterRemoved),
                (Class::Compatible, Kind::ParameterAdded { .. })
            ]
        ),
        "{:?}",
        diff.lines()
    );
}

#[test]
fn strict_is_compatible_when_nothing_was_converted() {
    let old = signal_design("W", vec![p("day", Type::Date)], ConversionPolicy::Lenient);
    let new = signal_design("W", vec![p("day", Type::Date)], ConversionPolicy::Strict);
    let diff = compare(&old, &new);
    assert!(
        matches!(
            kinds(&diff).as_slice(),
            [(Class::Compatible, Kind::PolicyStrict { affected })] if affected.is_empty()
        ),
        "{:?}",
        diff.lines()
    );
    let old = signal_design("W", vec![p("n", Type::Integer)], ConversionPolicy::Lenient);
    let new = signal_design("W", vec![p("n", Type::Integer)], ConversionPolicy::Strict);
    let diff = compare(&old, &new);
    assert_eq!(
        diff.lines(),
        [
            "W/signal1: breaking: the conversion policy is now Strict (it was Lenient): values the Lenient policy converted are rejected: 'n' (Integer) no longer accepts text (like \"42\")"
        ]
    );
}

#[test]
fn type_changes_are_judged_by_the_simulators_conversion() {
    let cases = [
        (
            Type::Integer,
            Type::Decimal,
            ConversionPolicy::Lenient,
            Class::Compatible,
        ),
        (
            Type::Integer,
            Type::String,
            ConversionPolicy::Lenient,
            Class::Compatible,
        ),
        (
            Type::Integer,
            Type::String,
            ConversionPolicy::Strict,
            Class::Breaking,
        ),
        (
            Type::Decimal,
            Type::Integer,
            ConversionPolicy::Lenient,
            Class::Breaking,
        ),
        (
            Type::Date,
            Type::DateTime,
            ConversionPolicy::Strict,
            Class::Compatible,
        ),
        (
            Type::DateTime,
            Type::Date,
            ConversionPolicy::Lenient,
            Class::Breaking,
        ),
        (
            Type::Boolean,
            Type::Integer,
            ConversionPolicy::Lenient,
            Class::Breaking,
        ),
    ];
    for (from, to, policy, class) in cases {
        let old = signal_design("W", vec![p("x", from)], policy);
        let new = signal_design("W", vec![p("x", to)], policy);
        let diff = compare(&old, &new);
        let [change] = diff.changes.as_slice() else {
            panic!("{from} -> {to}: {:?}", diff.lines())
        };
        assert_eq!(
            change.class, class,
            "{from} -> {to} ({policy:?}): {}",
            change
        );
        let Kind::TypeChanged {
            still_accepted,
            rejected,
            ..
        } = &change.kind
        else {
            panic!("{change}")
        };
        assert_eq!(rejected.is_empty(), class == Class::Compatible, "{change}");
        // Every value listed as rejected really is rejected by the simulator under NEW.
        let Some(contract) = new.signal("W", "signal1") else {
            panic!("no signal")
        };
        for j in rejected {
            let passed = [("x".to_owned(), j.clone())];
            assert!(
                crate::sim::trigger::check_parameters("W", "signal1", contract, &passed).is_err(),
                "{j} should be rejected: {change}"
            );
        }
        for j in still_accepted {
            let passed = [("x".to_owned(), j.clone())];
            assert!(
                crate::sim::trigger::check_parameters("W", "signal1", contract, &passed).is_ok(),
                "{j} should be accepted: {change}"
            );
        }
    }
}

#[test]
fn allowed_values_compare_as_the_simulator_does() {
    let with = |allowed: Vec<Value>| {
        let mut x = p("x", Type::Decimal);
        x.allowed = allowed;
        signal_design("W", vec![x], ConversionPolicy::Lenient)
    };
    // 2 and 2.0 are the same allowed value; 3.5 is dropped, 4 is new.
    let old = with(vec![Value::Decimal(2.0), Value::Decimal(3.5)]);
    let new = with(vec![Value::Decimal(2.0), Value::Decimal(4.0)]);
    let diff = compare(&old, &new);
    assert!(
        matches!(
            kinds(&diff).as_slice(),
            [
                (Class::Breaking, Kind::AllowedNarrowed { rejected, .. }),
                (Class::Compatible, Kind::AllowedWidened { added, .. })
            ] if rejected == &[serde_json::json!(3.5)] && added == &[serde_json::json!(4.0)]
        ),
        "{:?}",
        diff.lines()
    );
}

#[test]
fn an_end_broken_by_a_change_names_it_and_an_edited_end_is_left_to_check() {
    let mut old = signal_design(
        "TARGET",
        vec![p("a", Type::String)],
        ConversionPolicy::Lenient,
    );
    let mut caller = Workflow::new("CALLER", "Caller");
    caller
        .activities
        .push(Activity::new("start1", "Start", KindTag::Start));
    let mut end = Activity::new("end1", "End", KindTag::End);
    end.kind = ActivityKind::End(EndSettings {
        trigger: Some(EndTrigger {
            workflow: "TARGET".into(),
            signal: "signal1".into(),
            parameters: vec![NamedExpression {
                name: "a".into(),
                expression: "'x'".into(),
            }],
        }),
    });
    caller.activities.push(end);
    caller.transitions.push(Transition {
        from: "start1".into(),
        port: crate::model::Port::Out,
        to: "end1".into(),
    });
    old.workflows.push(caller);
    assert!(!crate::check::has_errors(&crate::check::check(&old)));
    // The contract gains a required parameter: the End breaks because of it.
    let mut new = old.clone();
    if let Some(ActivityKind::ExternalSignal(c)) = new.workflows[0]
        .activity_mut("signal1")
        .map(|a| &mut a.kind)
    {
        let mut b = p("b", Type::Integer);
        b.required = true;
        c.parameters.push(b);
    }
    let diff = compare(&old, &new);
    let inside: Vec<&Change> = diff
        .changes
        .iter()
        .filter(|c| c.class == Class::BreakingInside)
        .collect();
    assert_eq!(inside.len(), 1, "{:?}", diff.lines());
    assert!(
        matches!(
            &inside[0].kind,
            Kind::EndTrigger { caller, causes, .. }
                if caller == "CALLER/end1" && causes == &["required parameter 'b' (Integer) was added"]
        ),
        "{}",
        inside[0]
    );
    assert_eq!(inside[0].location(), "TARGET/signal1");
    // The End passes a parameter nobody declares, the contract is unchanged: not a contract
    // change, so not listed (check reports it).
    let mut edited = old.clone();
    if let Some(ActivityKind::End(EndSettings { trigger: Some(t) })) = edited.workflows[1]
        .activity_mut("end1")
        .map(|a| &mut a.kind)
    {
        t.parameters.push(NamedExpression {
            name: "zzz".into(),
            expression: "'y'".into(),
        });
    }
    assert!(crate::check::has_errors(&crate::check::check(&edited)));
    assert_eq!(
        compare(&old, &edited),
        ContractDiff {
            signals: compare(&old, &old).signals,
            ..ContractDiff::default()
        }
    );
}

#[test]
fn only_keeps_one_signal_and_the_design_wide_changes() {
    let mut old = signal_design("A", vec![p("x", Type::String)], ConversionPolicy::Lenient);
    old.workflows.extend(
        signal_design("B", vec![p("y", Type::String)], ConversionPolicy::Lenient).workflows,
    );
    let mut new = old.clone();
    new.compatibility.trigger_cooldown = crate::model::Cooldown::Seconds(3600);
    new.workflows[0].id = "A2".into();
    new.workflows[1].label = "Other".into();
    let diff = compare(&old, &new);
    assert_eq!(diff.lines().len(), 3, "{:?}", diff.lines());
    // By its new address as well as its old one.
    for at in [("A", "signal1"), ("A2", "signal1")] {
        let Some(only) = diff.only(at.0, at.1) else {
            panic!("{at:?} not found")
        };
        let lines = only.lines();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("design: breaking: the trigger cooldown"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("A/signal1: breaking: the workflow id changed from 'A' to 'A2'"),
            "{lines:?}"
        );
    }
    let moved = diff
        .changes
        .iter()
        .find(|c| matches!(c.kind, Kind::WorkflowIdChanged { .. }));
    let new_side = moved
        .and_then(|c| diff.signal_of(c))
        .and_then(|p| p.new.as_ref())
        .map(|r| (r.workflow.as_str(), r.signal.as_str()));
    assert_eq!(new_side, Some(("A2", "signal1")));
    assert!(
        diff.signal_of(&diff.changes[0]).is_none(),
        "the cooldown is design-wide"
    );
    let Some(b) = diff.only("B", "signal1") else {
        panic!("B not found")
    };
    assert_eq!(b.lines().len(), 2, "{:?}", b.lines());
    assert!(diff.only("C", "signal1").is_none());
}

#[test]
fn summary_counts_each_class() {
    let s = Summary {
        breaking: 2,
        breaking_inside: 1,
        compatible: 3,
        inside: 0,
        rejected_scenarios: 1,
    };
    assert_eq!(
        s.to_string(),
        "2 breaking for API callers, 1 breaking for Ends inside the design, 3 compatible; 1 saved scenario rejected"
    );
    assert!(s.is_breaking());
    assert!(
        !Summary {
            compatible: 4,
            ..Summary::default()
        }
        .is_breaking()
    );
}

#[test]
fn execution_options_are_changes_inside_the_design_that_break_no_caller() {
    let old = signal_design("W", vec![p("a", Type::String)], ConversionPolicy::Lenient);
    let mut new = old.clone();
    let wf = &mut new.workflows[0];
    wf.consecutive_errors = 3;
    wf.activities[0].options.on_error = crate::model::OnError::Suspend;
    wf.activities[1].options.execution = crate::model::Execution::EnableButDoNotExecute;
    wf.activities[1].options.stop_all_tasks = true;
    let diff = compare(&old, &new);
    let found: Vec<&str> = diff
        .changes
        .iter()
        .map(|c| {
            assert_eq!(c.class, Class::Inside, "{:?}", c.kind);
            match c.kind {
                Kind::ConsecutiveErrorsChanged { from: 0, to: 3 } => "threshold",
                Kind::OnErrorChanged { .. } => "on_error",
                Kind::ExecutionChanged { .. } => "execution",
                Kind::StopAllTasksChanged { to: true, .. } => "stop_all",
                _ => "other",
            }
        })
        .collect();
    assert_eq!(found, ["threshold", "on_error", "execution", "stop_all"]);
    assert!(!diff.is_breaking());
    let summary = diff.summary();
    assert_eq!(summary.inside, 4);
    assert!(
        summary.to_string().contains("4 changes inside the design"),
        "{summary}"
    );
    let lines = diff.lines().join("\n");
    assert!(
        lines.contains(
            "activity 'end1': Execution is now Enable but do not execute (it was Normal)"
        ),
        "{lines}"
    );
    // Back to the defaults is a change too, and none when nothing changed.
    assert_eq!(compare(&new, &old).changes.len(), 4);
    assert!(compare(&new, &new).changes.is_empty());
}
