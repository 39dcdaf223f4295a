//! Every function of the table, called with every argument count from 0 to its maximum plus two
//! (its minimum plus five when it takes any number), in every expression field of a design that
//! has every kind of activity with expressions, goes through `check`, a run of each signal,
//! the saved scenarios (`test`), every export, `diff` against the design without the calls and
//! payloads generated from each signal: no panic (issue 28 found 22 panic sites in the BPMN
//! export alone). A property test does the same with generated arguments (literals, variable
//! reads of each reader, nested calls); `PROPTEST_CASES` runs it longer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flowcall::export::Format;
use flowcall::expr::functions::{Kind, TABLE};
use flowcall::model::{
    Activity, ActivityKind, Condition, ConversionPolicy, Design, EndTrigger, KindTag,
    NamedExpression, Parameter, Port, Scenario, SignalContract, Transition, Type, Workflow,
};
use flowcall::sim::generate::{GenerateOptions, PayloadGenerator};
use flowcall::sim::{PayloadFormat, Prepared, Simulator, run_scenario};
use proptest::prelude::*;
use std::sync::Arc;

/// The signal's parameters: one per type, each read somewhere by the generated arguments.
fn contract() -> SignalContract {
    let p = |name: &str, ty: Type| Parameter::new(name, ty);
    SignalContract {
        parameters: vec![
            p("audience", Type::String),
            p("count", Type::Integer),
            p("ratio", Type::Decimal),
            p("active", Type::Boolean),
            p("since", Type::Date),
            p("at", Type::DateTime),
        ],
        conversion: ConversionPolicy::Lenient,
    }
}

fn step(from: &str, port: Port, to: &str) -> Transition {
    Transition {
        from: from.into(),
        port,
        to: to.into(),
    }
}

/// A design whose first workflow chains every kind of activity that holds expressions (Query,
/// Read audience, Transfer file, Load file, Save audience, Test, Email delivery, an End that
/// triggers the second workflow), each field holding `call` (wrapped to the field's type), and
/// a saved scenario.
fn design_with(call: &str) -> Design {
    let boolean = format!("IsNull({call})");
    let text = format!("ToString({call})");
    let mut wf = Workflow::new("WKF1", "Every expression field");
    let mut signal = Activity::new("signal1", "Signal", KindTag::ExternalSignal);
    signal.kind = ActivityKind::ExternalSignal(contract());
    let mut kinds = Vec::new();
    for tag in [
        KindTag::Query,
        KindTag::ReadAudience,
        KindTag::TransferFile,
        KindTag::LoadFile,
        KindTag::SaveAudience,
        KindTag::Test,
        KindTag::EmailDelivery,
        KindTag::End,
    ] {
        let mut a = Activity::new(format!("{}1", tag.id_prefix()), "A", tag);
        match &mut a.kind {
            ActivityKind::Query(q) => {
                q.filter = boolean.clone();
                q.segment_code = text.clone();
            }
            ActivityKind::ReadAudience(r) => {
                r.audience = text.clone();
                r.segment_code = text.clone();
            }
            ActivityKind::TransferFile(t) => t.path = text.clone(),
            ActivityKind::SaveAudience(s) => s.label = text.clone(),
            ActivityKind::Test(t) => {
                t.conditions = vec![
                    Condition {
                        id: "c1".into(),
                        label: "C1".into(),
                        expression: boolean.clone(),
                    },
                    Condition {
                        id: "c2".into(),
                        label: "C2".into(),
                        expression: format!("NOT {boolean}"),
                    },
                ];
                t.default_transition = true;
            }
            ActivityKind::EmailDelivery(e) => {
                e.label = text.clone();
                e.template = text.clone();
                e.parameters = vec![NamedExpression {
                    name: "p1".into(),
                    expression: text.clone(),
                }];
            }
            ActivityKind::End(e) => {
                e.trigger = Some(EndTrigger {
                    workflow: "WKF2".into(),
                    signal: "signal1".into(),
                    parameters: vec![NamedExpression {
                        name: "text".into(),
                        expression: text.clone(),
                    }],
                });
            }
            _ => {}
        }
        kinds.push(a);
    }
    let mut prev = "signal1".to_owned();
    wf.activities.push(signal);
    for a in kinds {
        let id = a.id.clone();
        let port = if prev.starts_with("test") {
            Port::Condition("c1".into())
        } else {
            Port::Out
        };
        wf.transitions.push(step(&prev, port, &id));
        if id.starts_with("test") {
            wf.transitions
                .push(step(&id, Port::Condition("c2".into()), "end9"));
            wf.transitions.push(step(&id, Port::Default, "end9"));
        }
        wf.activities.push(a);
        prev = id;
    }
    wf.activities
        .push(Activity::new("end9", "Other", KindTag::End));
    let mut receiver = Workflow::new("WKF2", "Receiver");
    let mut s2 = Activity::new("signal1", "Signal", KindTag::ExternalSignal);
    s2.kind = ActivityKind::ExternalSignal(SignalContract {
        parameters: vec![Parameter::new("text", Type::String)],
        conversion: ConversionPolicy::Strict,
    });
    receiver.activities.push(s2);
    receiver
        .activities
        .push(Activity::new("end1", "End", KindTag::End));
    receiver
        .transitions
        .push(step("signal1", Port::Out, "end1"));
    let payload = flowcall::export::curl::example_payload(&contract());
    Design {
        workflows: vec![wf, receiver],
        scenarios: vec![Scenario {
            name: "example".into(),
            workflow: "WKF1".into(),
            signal: "signal1".into(),
            payload,
            expect: Default::default(),
            steps: Vec::new(),
        }],
        ..Design::default()
    }
}

/// Every expression field of `design` holds `call`: the generated design covers them all.
fn assert_every_field_holds(design: &Design, call: &str) {
    let mut fields = 0;
    for wf in &design.workflows {
        for a in &wf.activities {
            for (field, src) in a.kind.expression_fields() {
                if wf.id == "WKF1" {
                    assert!(src.contains(call), "{} {field:?}: {src}", a.id);
                    fields += 1;
                }
            }
        }
    }
    assert_eq!(
        fields, 12,
        "Query 2, Read audience 2, Transfer 1, Save 1, Test 2, Email 3, End 1"
    );
}

/// An argument of kind `kind`, as a literal or a variable read (`variant` chooses).
fn argument(kind: Kind, variant: usize) -> &'static str {
    let literal = variant.is_multiple_of(2);
    match (kind, literal) {
        (Kind::Str, true) => "'a,b.c'",
        (Kind::Str, false) => "$(vars/@audience)",
        (Kind::Int, true) => "3",
        (Kind::Int, false) => "$long(vars/@count)",
        (Kind::Num, true) => "2.5",
        (Kind::Num, false) => "$float(vars/@ratio)",
        (Kind::Bool, true) => "true",
        (Kind::Bool, false) => "$boolean(vars/@active)",
        (Kind::DateLike, true) => "ToDate('2024-01-31')",
        (Kind::DateLike, false) => "$datetime(vars/@at)",
        (Kind::Any, _) => [
            "'x'",
            "$long(vars/@count)",
            "1.5",
            "$boolean(vars/@active)",
            "$datetime(vars/@since)",
            "$(vars/@audience)",
        ][variant % 6],
    }
}

/// The largest argument count tried for a function: its maximum plus two, or its minimum plus
/// five when it takes any number.
fn top(spec: &flowcall::expr::functions::FuncSpec) -> usize {
    spec.max().unwrap_or(spec.min() + 3) + 2
}

/// `check`, a run of each signal, the scenarios, every export (whole and per signal), `diff`
/// both ways and generated payloads: none may panic. Returns whether the design had errors.
fn exercise(design: &Design, base: &Design) -> bool {
    let diagnostics = flowcall::check::check(design);
    let prepared = Arc::new(Prepared::new(design.clone()));
    let mut sim = Simulator::new(prepared.clone()).with_step_limit(500);
    sim.start_all();
    for wf in &design.workflows {
        for (act, contract) in wf.signals() {
            let payload = flowcall::export::curl::example_payload(contract);
            sim.trigger_json(&wf.id, &act.id, &payload);
            sim.run_to_end();
        }
    }
    let _ = flowcall::sim::report::trace_json(&sim);
    for s in &design.scenarios {
        let _ = run_scenario(&prepared, s);
    }
    let mut exported = 0;
    for format in [
        Format::Json,
        Format::Schema,
        Format::Openapi,
        Format::Bpmn,
        Format::Curl,
    ] {
        if flowcall::export::export(design, format, None).is_ok() {
            exported += 1;
        }
        let _ = flowcall::export::export(design, format, Some(("WKF1", "signal1")));
    }
    let errors = diagnostics
        .iter()
        .any(|d| d.severity == flowcall::check::Severity::Error);
    assert_eq!(
        exported == 0,
        errors,
        "every export refuses exactly the designs with errors"
    );
    let _ = flowcall::diff::compare(base, design).lines();
    let back = flowcall::diff::compare(design, base);
    let _ = serde_json::to_string(&back.report("new", "old")).unwrap();
    for wf in &design.workflows {
        for (_, contract) in wf.signals() {
            for format in [PayloadFormat::Jsonl, PayloadFormat::Csv] {
                let options = GenerateOptions {
                    count: 12,
                    seed: 7,
                    invalid: 0.5,
                    format,
                };
                let generator = PayloadGenerator::new(contract, options).unwrap();
                generator.write_all(Vec::new()).unwrap();
            }
        }
    }
    errors
}

/// The whole table: every function, every count from 0 to its maximum plus two, in every
/// expression field.
#[test]
fn every_function_at_every_argument_count_in_every_field_never_panics() {
    let base = design_with("1");
    let (mut cases, mut valid) = (0, 0);
    for spec in TABLE.iter() {
        for n in 0..=top(spec) {
            let args: Vec<&str> = (0..n)
                .map(|i| argument(spec.kind_at(i, n), i + n))
                .collect();
            let call = format!("{}({})", spec.name, args.join(", "));
            let design = design_with(&call);
            assert_every_field_holds(&design, &call);
            let errors = exercise(&design, &base);
            if !spec.accepts_count(n) {
                assert!(errors, "{call} has a wrong count but no error");
            } else if !errors {
                valid += 1;
            } else if std::env::var("SHOW_INVALID").is_ok() {
                let d = flowcall::check::check(&design);
                let first = d
                    .iter()
                    .find(|d| d.severity == flowcall::check::Severity::Error);
                eprintln!(
                    "INVALID {call}: {}",
                    first.map(|d| d.message.clone()).unwrap_or_default()
                );
            }
            cases += 1;
        }
    }
    // 122 functions, 570 (function, count) cases, each call in the 12 fields; 136 counts are
    // right, and their designs are valid and exported but for the functions `check` refuses
    // (server-only ones, `When`/`Else` outside `Case`) and a `Decode` comparing a DateTime
    // with a String (`SHOW_INVALID=1` lists them).
    assert_eq!(TABLE.len(), 122);
    assert_eq!(cases, 570);
    assert!(
        valid >= 125,
        "{valid} of {cases} designs were valid and exported"
    );
    eprintln!(
        "{cases} designs ({} calls in fields), {valid} valid and exported",
        cases * 12
    );
}

/// An argument: a literal or variable read of any type, or a call of any function with any
/// count (nested once).
fn generated_argument() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("'a'".to_owned()),
        Just("''".to_owned()),
        Just("'2024-02-29'".to_owned()),
        Just("'Europe/Paris'".to_owned()),
        Just("'%4Y-%2M-%2D'".to_owned()),
        any::<i64>().prop_map(|i| format!("{}", i.unsigned_abs() % 100_000)),
        Just("-9223372036854775808".to_owned()),
        Just("0".to_owned()),
        Just("1.5".to_owned()),
        Just("true".to_owned()),
        Just("$(vars/@audience)".to_owned()),
        Just("$long(vars/@count)".to_owned()),
        Just("$float(vars/@ratio)".to_owned()),
        Just("$boolean(vars/@active)".to_owned()),
        Just("$datetime(vars/@since)".to_owned()),
        Just("$datetime(vars/@at)".to_owned()),
        Just("$(vars/@missing)".to_owned()),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        (0..TABLE.len(), prop::collection::vec(inner, 0..6)).prop_map(|(f, args)| {
            let spec = &TABLE[f];
            format!("{}({})", spec.name, args.join(", "))
        })
    })
}

/// A call of any function with any count from 0 to its maximum plus two.
fn generated_call() -> impl Strategy<Value = String> {
    (0..TABLE.len())
        .prop_flat_map(|f| {
            let spec = &TABLE[f];
            (
                Just(spec.name),
                prop::collection::vec(generated_argument(), 0..=top(spec)),
            )
        })
        .prop_map(|(name, args)| format!("{name}({})", args.join(", ")))
}

/// The cases of the property test: `PROPTEST_CASES`, 64 by default.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Generated calls in every field: no panic anywhere.
    #[test]
    fn generated_calls_in_every_field_never_panic(call in generated_call()) {
        let base = design_with("1");
        let design = design_with(&call);
        exercise(&design, &base);
    }
}
