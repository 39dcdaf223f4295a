//! What the scenarios reach (`flowcall test --coverage`) and payloads generated from a contract
//! (`flowcall payloads`), through the real binary; and, for generated contracts, that every
//! generated payload gets what it says it expects from the simulator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flowcall::model::{ConversionPolicy, Parameter, SignalContract, Type, Value};
use flowcall::sim::generate::{Expect, GenerateOptions, PayloadGenerator};
use flowcall::sim::{BatchControl, BatchRunner, PayloadFormat, Prepared, Simulator, open_payloads};
use proptest::prelude::*;
use std::process::{Command, Output};
use std::sync::Arc;

fn flowcall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn the_examples_scenarios_cover_every_activity_and_transition() {
    let o = flowcall(&[
        "test",
        "examples/cms-newsletter.flow.ron",
        "examples/file-to-audience.flow.ron",
        "--coverage",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for f in j["files"].as_array().unwrap() {
        let c = &f["coverage"];
        assert_eq!(c["percent"], 100.0, "{}", f["file"]);
        assert_eq!(c["covered"], c["total"]);
        for w in c["workflows"].as_array().unwrap() {
            assert_eq!(w["uncovered"], serde_json::json!([]), "{w}");
        }
    }
    let cms = &j["files"][0]["coverage"];
    assert_eq!(cms["workflows"][0]["activities"]["total"], 4);
    assert_eq!(cms["workflows"][0]["transitions"]["total"], 3);
    // Every parameter is passed by some scenario, and every allowed template is used (one
    // through its default).
    assert_eq!(
        cms["signals"][0]["parameters_not_passed"],
        serde_json::json!([])
    );
    assert_eq!(cms["signals"][0]["allowed_not_used"], serde_json::json!({}));
}

#[test]
fn coverage_names_what_no_scenario_reaches() {
    // The file-to-audience example without its scenario of an empty file.
    let o = flowcall(&["test", "tests/coverage/partial.flow.ron", "--coverage"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("coverage: 90.9% (20 of 22 activities and transitions)"),
        "{text}"
    );
    assert!(text.contains("  WKF1: 86.7% (13 of 15)\n    not reached: WKF1/end2\n    not reached: WKF1/test1 -> end2 (default)\n  WKF2: 100.0% (7 of 7)\n"), "{text}");
    let o = flowcall(&[
        "test",
        "tests/coverage/partial.flow.ron",
        "--json",
        "--coverage",
    ]);
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        j["files"][0]["coverage"]["workflows"][0]["uncovered"],
        serde_json::json!(["WKF1/end2", "WKF1/test1 -> end2 (default)"])
    );
}

#[test]
fn min_coverage_fails_a_design_its_scenarios_cover_less() {
    let o = flowcall(&[
        "test",
        "tests/coverage/partial.flow.ron",
        "--min-coverage",
        "95",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(
            "tests/coverage/partial.flow.ron: the scenarios cover 90.9%, below the minimum of 95%"
        ),
        "{}",
        stdout(&o)
    );
    let o = flowcall(&[
        "test",
        "tests/coverage/partial.flow.ron",
        "--min-coverage",
        "90",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = flowcall(&[
        "test",
        "examples/file-to-audience.flow.ron",
        "--min-coverage",
        "100%",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let o = flowcall(&[
        "test",
        "examples/file-to-audience.flow.ron",
        "--min-coverage",
        "120",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// What [`generate_and_batch`] made and got.
struct Generated {
    /// The payload file.
    payloads: String,
    /// The result file.
    results: String,
    /// The batch's summary.
    summary: String,
}

/// Generates `count` payloads for `signal` of `design` with `--invalid 0.3` and seed `seed`,
/// runs them through `batch` and checks that each got the outcome it expects.
fn generate_and_batch(
    design: &str,
    signal: &str,
    format: &str,
    count: &str,
    seed: &str,
) -> Generated {
    let dir = tempfile::tempdir().unwrap();
    let payloads = dir.path().join(format!("payloads.{format}"));
    let o = flowcall(&[
        "payloads",
        design,
        "--signal",
        signal,
        "--count",
        count,
        "--seed",
        seed,
        "--invalid",
        "0.3",
        "--out",
        payloads.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let results = dir.path().join("results.jsonl");
    let o = flowcall(&[
        "batch",
        design,
        "--signal",
        signal,
        "--payloads",
        payloads.to_str().unwrap(),
        "--out",
        results.to_str().unwrap(),
    ]);
    let summary = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(0), "{summary}");
    let results = std::fs::read_to_string(&results).unwrap();
    for line in results.lines() {
        let j: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(j["mismatch"].is_null(), "{line}");
        // Accepted: what fits the contract, and what names missing data (then fails a run).
        let expected = j["expected"].as_str().unwrap_or_default();
        let fits = expected == "accepted" || expected.starts_with("failed-run:");
        assert_eq!(j["accepted"], fits, "{line}");
    }
    Generated {
        payloads: std::fs::read_to_string(&payloads).unwrap(),
        results,
        summary,
    }
}

/// The batch's results, byte for byte, on generated payloads of both examples (valid and
/// invalid, every run's ends, outbox and errors): what a change of the engine must keep
/// (issue 26: "keep every result byte-identical"). The payloads' first 120 characters are in
/// the snapshot too (the too-large ones are over 64 KB), so a change of the generator shows as
/// such.
#[test]
fn batch_results_of_generated_payloads_stay_byte_identical() {
    for (name, design, signal) in [
        (
            "file_to_audience",
            "examples/file-to-audience.flow.ron",
            "WKF1/signal1",
        ),
        (
            "cms_newsletter",
            "examples/cms-newsletter.flow.ron",
            "NEWSLETTER/signal1",
        ),
    ] {
        let g = generate_and_batch(design, signal, "jsonl", "80", "26");
        assert_eq!(g.payloads.lines().count(), 80);
        assert_eq!(g.results.lines().count(), 80);
        assert!(g.summary.contains("80 payloads:"), "{}", g.summary);
        let heads: Vec<String> = g
            .payloads
            .lines()
            .map(|l| l.chars().take(120).collect())
            .collect();
        insta::assert_snapshot!(
            format!("batch_generated_{name}"),
            format!(
                "{}\n--- results\n{}--- summary\n{}",
                heads.join("\n"),
                g.results,
                g.summary
            )
        );
    }
}

#[test]
fn ten_thousand_generated_payloads_per_example_signal_are_treated_as_they_expect() {
    for (design, signal) in [
        ("examples/cms-newsletter.flow.ron", "NEWSLETTER/signal1"),
        ("examples/file-to-audience.flow.ron", "WKF1/signal1"),
        ("examples/file-to-audience.flow.ron", "WKF2/signal1"),
    ] {
        let summary = generate_and_batch(design, signal, "jsonl", "10000", "11").summary;
        assert!(summary.contains("10000 payloads"), "{summary}");
        assert!(
            summary
                .contains("expected outcomes: 10000 lines said what they expect, 0 did not get it"),
            "{summary}"
        );
        let accepted: usize = summary
            .lines()
            .find_map(|l| l.trim().strip_prefix("accepted: "))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!((6500..7500).contains(&accepted), "{summary}");
        // Every rule that the contract lets a payload break was broken.
        for rule in [
            "undeclared",
            "missing-required",
            "too-large",
            "empty-source",
            "wrong-type",
        ] {
            assert!(
                summary.contains(&format!("    {rule}: ")),
                "{rule}: {summary}"
            );
        }
        let csv = generate_and_batch(design, signal, "csv", "2000", "11").summary;
        assert!(csv.contains("0 did not get it"), "{csv}");
    }
}

#[test]
fn generated_payloads_are_deterministic_for_a_seed() {
    let run = |seed: &str| {
        stdout(&flowcall(&[
            "payloads",
            "examples/cms-newsletter.flow.ron",
            "--signal",
            "NEWSLETTER/signal1",
            "--count",
            "300",
            "--seed",
            seed,
            "--invalid",
            "0.5",
        ]))
    };
    let a = run("3");
    assert_eq!(a.lines().count(), 300);
    assert_eq!(a, run("3"));
    assert_ne!(a, run("4"));
    // Every allowed value of `template` comes first, in the systematic part.
    let first: Vec<&str> = a.lines().take(40).collect();
    for t in ["newsletter_default", "newsletter_gold"] {
        assert!(first.iter().any(|l| l.contains(t)), "{t}");
    }
}

/// A contract of one to five parameters of any type, with defaults and allowed values that fit
/// their types, under either policy.
fn contract() -> impl Strategy<Value = SignalContract> {
    let value = |ty: Type| -> BoxedStrategy<Value> {
        match ty {
            Type::String => "[a-z]{1,6}".prop_map(Value::String).boxed(),
            Type::Integer => (-1000i64..1000).prop_map(Value::Integer).boxed(),
            Type::Decimal => (-1000i32..1000)
                .prop_map(|n| Value::Decimal(f64::from(n) / 4.0))
                .boxed(),
            Type::Boolean => any::<bool>().prop_map(Value::Boolean).boxed(),
            Type::Date => (0u32..300)
                .prop_map(|d| {
                    Value::Date(
                        jiff::civil::date(2025, 1, 1)
                            .checked_add(jiff::Span::new().days(i64::from(d)))
                            .unwrap(),
                    )
                })
                .boxed(),
            Type::DateTime => (0i64..1_000_000)
                .prop_map(|s| {
                    Value::DateTime(jiff::Timestamp::from_second(1_700_000_000 + s).unwrap())
                })
                .boxed(),
        }
    };
    let parameter = (
        prop::sample::select(Type::ALL.to_vec()),
        any::<bool>(),
        any::<bool>(),
        0usize..4,
    )
        .prop_flat_map(move |(ty, required, with_default, allowed)| {
            (
                Just(ty),
                Just(required),
                prop::collection::vec(value(ty), allowed),
                prop::option::of(value(ty)).prop_map(move |d| d.filter(|_| with_default)),
            )
        })
        .prop_map(|(ty, required, mut allowed, default)| {
            allowed.dedup();
            let mut p = Parameter::new("p", ty);
            p.required = required;
            if let Some(d) = default.filter(|_| !required) {
                if !allowed.is_empty() && !allowed.contains(&d) {
                    allowed.push(d.clone());
                }
                p.default = Some(d);
            }
            p.allowed = allowed;
            p
        });
    (prop::collection::vec(parameter, 1..6), any::<bool>()).prop_map(|(mut params, strict)| {
        for (i, p) in params.iter_mut().enumerate() {
            p.name = format!("param{i}");
        }
        SignalContract {
            parameters: params,
            conversion: if strict {
                ConversionPolicy::Strict
            } else {
                ConversionPolicy::Lenient
            },
        }
    })
}

/// A design of one workflow `signal1 -> end1` with this contract.
fn design_with(contract: SignalContract) -> Arc<Prepared> {
    use flowcall::model::{Activity, ActivityKind, Design, KindTag, Port, Transition, Workflow};
    let mut wf = Workflow::new("WKF1", "Generated contract");
    let mut signal = Activity::new("signal1", "Signal", KindTag::ExternalSignal);
    signal.kind = ActivityKind::ExternalSignal(contract);
    wf.activities.push(signal);
    wf.activities
        .push(Activity::new("end1", "End", KindTag::End));
    wf.transitions.push(Transition {
        from: "signal1".into(),
        port: Port::Out,
        to: "end1".into(),
    });
    Arc::new(Prepared::new(Design {
        workflows: vec![wf],
        ..Design::default()
    }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For any contract, every generated payload (JSONL and CSV) that says it fits is accepted,
    /// and every one that says it breaks a rule is rejected for that rule only.
    #[test]
    fn every_generated_payload_gets_what_it_expects(c in contract(), seed in any::<u64>()) {
        let prepared = design_with(c.clone());
        for format in [PayloadFormat::Jsonl, PayloadFormat::Csv] {
            let options = GenerateOptions { count: 150, seed, invalid: 0.4, format };
            let mut bytes = Vec::new();
            PayloadGenerator::new(&c, options).unwrap().write_all(&mut bytes).unwrap();
            let mut source = open_payloads(&bytes[..], format, Some(&c)).unwrap();
            let mut n = 0;
            while let Some(p) = source.next_payload().unwrap() {
                n += 1;
                let expect = p.expect.unwrap();
                let mut sim = Simulator::new(prepared.clone());
                sim.start_all();
                let outcome = sim.trigger_bytes("WKF1", "signal1", &p.bytes);
                let kinds: Vec<_> = outcome.errors().iter().map(|e| e.kind).collect();
                let mismatch = expect.mismatch(outcome.accepted(), &kinds, &[]);
                prop_assert!(
                    mismatch.is_none(),
                    "{format:?} line {}: {mismatch:?}\npayload {}\nerrors {:?}",
                    p.line,
                    String::from_utf8_lossy(&p.bytes),
                    outcome.errors()
                );
                prop_assert!(matches!(expect, Expect::Accepted | Expect::Breaks(_)));
            }
            prop_assert_eq!(n, 150);
        }
    }
}

/// Issue 22: payloads generated from the design, not only the contract. On both examples, at
/// least 90% of the valid payloads (JSONL and CSV) finish without a failed run, and every one
/// gets what it expects (the misses, labelled `failed-run:WORKFLOW/activity`, fail there).
#[test]
fn payloads_generated_from_the_design_finish_their_runs() {
    for (file, workflow, signal) in [
        ("examples/file-to-audience.flow.ron", "WKF1", "signal1"),
        ("examples/cms-newsletter.flow.ron", "NEWSLETTER", "signal1"),
    ] {
        let design = flowcall::io::load(std::path::Path::new(file)).unwrap();
        let contract = design.signal(workflow, signal).unwrap().clone();
        let data = flowcall::sim::data_refs::data_refs(&design, workflow, signal);
        assert!(!data.is_empty(), "{file}: a parameter names sample data");
        let prepared = Arc::new(Prepared::new(design));
        for format in [PayloadFormat::Jsonl, PayloadFormat::Csv] {
            let options = GenerateOptions {
                count: 2000,
                seed: 7,
                invalid: 0.3,
                format,
            };
            let mut bytes = Vec::new();
            PayloadGenerator::new(&contract, options)
                .unwrap()
                .with_data(data.clone())
                .write_all(&mut bytes)
                .unwrap();
            let mut source = open_payloads(&bytes[..], format, Some(&contract)).unwrap();
            let runner = BatchRunner::new(prepared.clone(), workflow, signal);
            let summary = runner
                .run_source(
                    source.as_mut(),
                    &mut |_| Ok(()),
                    &BatchControl::new(),
                    &mut |_| {},
                )
                .unwrap();
            assert_eq!(summary.lines, 2000);
            assert_eq!(
                summary.mismatch_count(),
                0,
                "{file} {format:?}: {:?}",
                summary.first_mismatch
            );
            let misses = summary.expected.get("failed-run").copied().unwrap_or(0);
            assert!(
                misses > 0,
                "{file} {format:?}: some payloads name missing data"
            );
            let valid = summary.accepted;
            let finished = valid - summary.failed;
            assert_eq!(
                summary.failed, misses,
                "{file} {format:?}: only the misses fail"
            );
            assert!(
                finished * 10 >= valid * 9,
                "{file} {format:?}: {finished} of {valid} valid payloads finished"
            );
        }
    }
}
