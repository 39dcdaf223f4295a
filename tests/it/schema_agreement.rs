//! The payload JSON Schema export and the simulator agree: a corpus of good and bad payloads for
//! every signal of the examples (Lenient) and of the all-kinds design (Strict) gets the same
//! verdict from a JSON Schema 2020-12 validator (the `jsonschema` crate, formats checked) and
//! from the simulator's trigger validation.

#![allow(clippy::expect_used)]

use flowcall::export::schema::payload_schema;
use flowcall::model::{ConversionPolicy, Design, SignalContract, Type};
use flowcall::sim::trigger::{check_parameters, read_bytes};
use serde_json::{Value as Json, json};

const DESIGNS: &[&str] = &[
    "examples/cms-newsletter.flow.ron",
    "examples/file-to-audience.flow.ron",
    "tests/exports/all-kinds.flow.ron",
];

/// Values to try for a parameter of type `ty`: right and wrong JSON types and text forms.
fn probes(ty: Type) -> Vec<Json> {
    let mut v = vec![
        json!(null),
        json!({"nested": 1}),
        json!([1, 2]),
        json!(true),
        json!("true"),
        json!("FALSE"),
        json!("1"),
        json!(7),
        json!(7.0),
        json!(7.5),
        json!(-3),
        json!("7"),
        json!(" 7 "),
        json!("+7"),
        json!("7.5"),
        json!(".5e1"),
        json!("1e"),
        json!("abc"),
        json!(""),
        json!("2024-01-31"),
        json!("2024-1-31"),
        json!("2024-13-01"),
        json!("2024-01-31 08:17:19.100Z"),
        json!("2024-01-31T08:17:19Z"),
        json!("2024-01-31T08:17:19+02:00"),
        json!("2024-01-31T08:17:19+0200"),
        json!("2024-01-31 08:17"),
        json!("2024-01-31 25:00"),
        json!("newsletter_default"),
        json!("newsletter_gold"),
        json!("A"),
        json!("a"),
        json!(1),
        json!(2),
        json!(4),
        json!("2"),
        json!("02"),
        json!(0.5),
    ];
    if ty == Type::Integer {
        v.push(json!(9_223_372_036_854_775_807i64));
        v.push(json!(18_446_744_073_709_551_615u64));
    }
    v
}

fn sim_accepts(workflow: &str, signal: &str, contract: &SignalContract, payload: &Json) -> bool {
    let bytes = serde_json::to_vec(payload).unwrap_or_default();
    let (p, errors) = read_bytes(&bytes);
    errors.is_empty() && check_parameters(workflow, signal, contract, &p.parameters).is_ok()
}

fn corpus(contract: &SignalContract) -> Vec<Json> {
    let base = flowcall::export::curl::example_payload(contract);
    let mut out = vec![
        base.clone(),
        json!({"source": "cms"}),
        json!({"source": "cms", "parameters": null}),
        json!({"source": "cms", "parameters": []}),
        json!({"source": "", "parameters": base["parameters"]}),
        json!({"source": "   ", "parameters": base["parameters"]}),
        json!({"source": 42, "parameters": base["parameters"]}),
        json!({"parameters": base["parameters"]}),
        json!({"source": "cms", "parameters": base["parameters"], "extra": 1}),
        json!([base.clone()]),
        json!("cms"),
    ];
    let mut undeclared = base.clone();
    undeclared["parameters"]["notDeclared"] = json!("x");
    out.push(undeclared);
    for p in &contract.parameters {
        let mut without = base.clone();
        if let Some(m) = without["parameters"].as_object_mut() {
            m.remove(&p.name);
        }
        out.push(without);
        for value in probes(p.ty) {
            let mut one = base.clone();
            one["parameters"][&p.name] = value;
            out.push(one);
        }
    }
    out
}

#[test]
fn schema_and_simulator_give_the_same_verdict() {
    let mut checked = 0;
    let mut accepted = 0;
    let mut policies = Vec::new();
    let mut disagreements = Vec::new();
    for path in DESIGNS {
        let design: Design =
            flowcall::io::load(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        for wf in &design.workflows {
            for (act, contract) in wf.signals() {
                policies.push(contract.conversion);
                let schema = payload_schema(&wf.id, &act.id, contract);
                let validator = jsonschema::options()
                    .should_validate_formats(true)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("{path} {}/{}: {e}", wf.id, act.id));
                for payload in corpus(contract) {
                    let by_schema = validator.is_valid(&payload);
                    let by_sim = sim_accepts(&wf.id, &act.id, contract, &payload);
                    checked += 1;
                    accepted += usize::from(by_sim);
                    if by_schema != by_sim {
                        disagreements.push(format!(
                            "{path} {}/{}: schema says {by_schema}, simulator says {by_sim}: {payload}",
                            wf.id, act.id
                        ));
                    }
                }
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert!(
        policies.contains(&ConversionPolicy::Lenient)
            && policies.contains(&ConversionPolicy::Strict)
    );
    // The corpus holds both verdicts in number.
    assert!(
        checked > 500 && accepted > 100 && checked - accepted > 300,
        "{checked} checked, {accepted} accepted"
    );
    println!(
        "{checked} payloads, {accepted} accepted by both, {} rejected by both",
        checked - accepted
    );
}

#[test]
fn the_documented_limits_are_real() {
    // Each case of `export::schema::LIMITS`: the schema accepts, the simulator refuses.
    let design = flowcall::io::load(std::path::Path::new("tests/exports/all-kinds.flow.ron"))
        .unwrap_or_else(|e| panic!("{e}"));
    let contract = design
        .signal("LENIENT", "signal1")
        .cloned()
        .unwrap_or_default();
    let schema = payload_schema("LENIENT", "signal1", &contract);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{e}"));
    let base = flowcall::export::curl::example_payload(&contract);
    assert!(validator.is_valid(&base) && sim_accepts("LENIENT", "signal1", &contract, &base));
    for (param, value) in [
        ("when", json!("2024-02-30 10:00Z")),
        ("plainCount", json!("99999999999999999999")),
        ("ratio", json!("1e400")),
    ] {
        let mut p = base.clone();
        p["parameters"][param] = value;
        assert!(validator.is_valid(&p), "schema should accept {p}");
        assert!(
            !sim_accepts("LENIENT", "signal1", &contract, &p),
            "simulator should refuse {p}"
        );
    }
    assert_eq!(flowcall::export::schema::LIMITS.len(), 4);
}

/// Regression: `check` and the simulator agree on what an End may pass to a parameter. `check`
/// knows only the type of an End's expression; the simulator passes its value as JSON through
/// the trigger's conversions. A type the simulator accepts whatever the value must fit in
/// `check`, one it never accepts must not, and where it depends on the value a String fits
/// (text that reads as the type) and other types do not (a Decimal for an Integer). `check`
/// called an Integer passed to a String under Lenient an error, which the simulator converts,
/// and a Date passed to a String, which it takes as text.
#[test]
fn check_and_the_simulator_agree_on_what_an_end_may_pass() {
    use flowcall::check::fits_parameter;
    use flowcall::model::Value;
    use flowcall::sim::trigger::convert;
    let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 31).expect("a date");
    let instant = chrono::DateTime::parse_from_rfc3339("2025-01-31T10:00:00Z")
        .expect("an instant")
        .to_utc();
    let samples = |ty: Type| -> Vec<Value> {
        match ty {
            Type::String => [
                "abc",
                "42",
                "2.5",
                "true",
                "2025-01-31",
                "2025-01-31T10:00:00Z",
            ]
            .iter()
            .map(|s| Value::String((*s).to_owned()))
            .collect(),
            Type::Integer => vec![Value::Integer(42), Value::Integer(0)],
            Type::Decimal => vec![Value::Decimal(2.5), Value::Decimal(7.0)],
            Type::Boolean => vec![Value::Boolean(true)],
            Type::Date => vec![Value::Date(date)],
            Type::DateTime => vec![Value::DateTime(instant)],
        }
    };
    let types = [
        Type::String,
        Type::Integer,
        Type::Decimal,
        Type::Boolean,
        Type::Date,
        Type::DateTime,
    ];
    let mut disagreements = Vec::new();
    for policy in [ConversionPolicy::Lenient, ConversionPolicy::Strict] {
        for got in types {
            for want in types {
                let verdicts: Vec<bool> = samples(got)
                    .iter()
                    .map(|v| convert(&v.to_json(), want, policy).is_ok())
                    .collect();
                let (always, never) = (verdicts.iter().all(|a| *a), verdicts.iter().all(|a| !a));
                let should_fit = always || (!never && got == Type::String);
                if should_fit != fits_parameter(got, want, policy) {
                    let what = if always {
                        "accepts every value"
                    } else if never {
                        "accepts no value"
                    } else {
                        "accepts some values"
                    };
                    disagreements.push(format!(
                        "{got} to {want} under {policy:?}: the simulator {what}"
                    ));
                }
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}
