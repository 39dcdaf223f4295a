//! Integration tests of `flowcall run`, `batch` and `test` on the example designs, through the
//! real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn flowcall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

const FTA: &str = "examples/file-to-audience.flow.ron";
const CMS: &str = "examples/cms-newsletter.flow.ron";

#[test]
fn run_accepted_prints_runs_as_json() {
    let out = flowcall(&[
        "run",
        FTA,
        "--signal",
        "WKF1/signal1",
        "--payload",
        "examples/payloads/file-to-audience.json",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["accepted"], true);
    assert_eq!(v["errors"], serde_json::json!([]));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "the End triggers WKF2");
    assert_eq!(runs[0]["workflow"], "WKF1");
    assert_eq!(runs[0]["signal"], "signal1");
    assert_eq!(runs[0]["status"], "finished");
    assert_eq!(
        runs[0]["path"],
        serde_json::json!([
            "signal1",
            "transfer1",
            "load1",
            "update1",
            "test1",
            "save1",
            "end1"
        ])
    );
    let vars = runs[0]["variables"].as_array().unwrap();
    let file = vars.iter().find(|v| v["name"] == "fileName").unwrap();
    assert_eq!(file["type"], "String");
    assert_eq!(file["value"], "/incoming/customers_2025-01.csv");
    assert_eq!(file["origin"], "set by transfer1");
    assert_eq!(runs[0]["ends"][0]["activity"], "end1");
    assert_eq!(runs[0]["ends"][0]["trigger"]["outcome"], "started");
    assert!(runs[0]["conversions"].is_array());
    assert_eq!(runs[1]["outbox"][0]["recipients"], 4);
    assert_eq!(runs[1]["outbox"][0]["template"], "discount_offer");
}

#[test]
fn run_rejected_names_the_parameter_and_exits_1() {
    let out = flowcall(&[
        "run",
        CMS,
        "--signal",
        "NEWSLETTER/signal1",
        "--payload",
        "examples/payloads/cms-newsletter-undeclared.json",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["accepted"], false);
    assert_eq!(
        v["errors"],
        serde_json::json!([{
            "parameter": "contentUrl",
            "message": "'contentUrl' is not declared by signal 'signal1' of workflow 'NEWSLETTER'"
        }])
    );
    assert_eq!(v["runs"], serde_json::json!([]));
}

#[test]
fn run_reads_stdin_and_defaults_to_cli_source() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args([
            "run",
            CMS,
            "--signal",
            "NEWSLETTER/signal1",
            "--payload",
            "-",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"source": "cms", "parameters": {"audience": "GoldMembers", "email": "Hi", "contentURL": "u"}}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("accepted: run 1 started"), "{text}");
    assert!(text.contains("outbox: email1 to 4 recipient(s)"), "{text}");

    // Without --payload the source is "cli": here the required parameters are missing.
    let out = flowcall(&["run", CMS, "--signal", "NEWSLETTER/signal1", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["errors"].as_array().unwrap().len(), 3);
}

#[test]
fn run_usage_errors_exit_2() {
    let out = flowcall(&["run", CMS, "--signal", "NEWSLETTER"]);
    assert_eq!(out.status.code(), Some(2));
    let out = flowcall(&["run", "nope.flow.ron", "--signal", "A/b"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn batch_writes_one_line_per_payload_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.jsonl");
    let out = flowcall(&[
        "batch",
        FTA,
        "--signal",
        "WKF1/signal1",
        "--payloads",
        "examples/payloads/file-to-audience.jsonl",
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "some payloads are rejected");
    let text = std::fs::read_to_string(&out_path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let input_lines = std::fs::read_to_string("examples/payloads/file-to-audience.jsonl")
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(lines.len(), input_lines);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["line"], i + 1);
    }
    assert_eq!(lines[0]["accepted"], true);
    assert_eq!(lines[0]["runs"][0]["ends"], serde_json::json!(["end1"]));
    assert_eq!(lines[3]["runs"][0]["ends"], serde_json::json!(["end2"]));
    assert_eq!(lines[1]["runs"][1]["workflow"], "WKF2");
    let rejected: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["accepted"] == false).collect();
    assert_eq!(rejected.len(), 3);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("7 payloads: 4 accepted"), "{summary}");
    assert!(
        summary.contains("rejected, undeclared parameter: 1"),
        "{summary}"
    );
    assert!(summary.contains("end WKF2/end1: 3"), "{summary}");
}

#[test]
fn batch_reads_csv_payloads_one_per_row() {
    let out = flowcall(&[
        "batch",
        FTA,
        "--signal",
        "WKF1/signal1",
        "--payloads",
        "examples/payloads/file-to-audience.csv",
    ]);
    assert_eq!(out.status.code(), Some(1), "two rows are rejected");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "one result per row, the header excluded");
    // Result lines carry the file's line numbers: the first row is line 2.
    let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, vec![2, 3, 4, 5, 6, 7]);
    assert_eq!(lines[0]["accepted"], true);
    assert_eq!(
        lines[2]["accepted"], true,
        "an empty source cell gives the default"
    );
    assert_eq!(lines[3]["runs"][0]["ends"], serde_json::json!(["end2"]));
    assert_eq!(lines[4]["accepted"], false);
    assert_eq!(lines[4]["errors"][0]["parameter"], "fileToTarget");
    assert_eq!(lines[5]["accepted"], false);
    assert_eq!(
        lines[5]["errors"][0]["message"],
        "'discount' is not declared by signal 'signal1' of workflow 'WKF1'"
    );
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("6 payloads: 4 accepted"), "{summary}");
    assert!(summary.contains("end WKF2/end1: 3"), "{summary}");
    assert!(
        summary.contains("rejected, missing required parameter: 1"),
        "{summary}"
    );
}

#[test]
fn batch_refuses_malformed_csv_with_its_line_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "source,fileToTarget\ncms,customers_2025-01.csv\ncms,a.csv,extra\n",
    )
    .unwrap();
    let out = flowcall(&[
        "batch",
        FTA,
        "--signal",
        "WKF1/signal1",
        "--payloads",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not valid CSV: line 3: this row has 3 field(s) but the header has 2"),
        "{err}"
    );
}

#[test]
fn test_runs_the_example_scenarios() {
    let out = flowcall(&["test", CMS, FTA]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.lines()
            .all(|l| l.starts_with("PASS ") || l.ends_with(" 0 failed")),
        "{text}"
    );
    assert_eq!(text.lines().last(), Some("15 passed, 0 failed"));
}

#[test]
fn test_reports_failures_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.flow.ron");
    let text = std::fs::read_to_string(CMS)
        .unwrap()
        .replace("recipients: Some(4)", "recipients: Some(5)");
    std::fs::write(&path, text).unwrap();
    let out = flowcall(&["test", path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("FAIL gold newsletter: outbox entry 1: expected 5 recipients, got 4"),
        "{text}"
    );
    assert_eq!(text.lines().last(), Some("5 passed, 1 failed"));
}

#[test]
fn regression_run_and_batch_reject_duplicate_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let payload = r#"{"source": "cms", "parameters": {"audience": "GoldMembers", "email": "a@b.c", "audience": "Other"}}"#;
    let file = dir.path().join("dup.json");
    std::fs::write(&file, payload).unwrap();
    let out = flowcall(&[
        "run",
        CMS,
        "--signal",
        "NEWSLETTER/signal1",
        "--payload",
        file.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let j = json(&out);
    assert_eq!(j["accepted"], false);
    assert_eq!(j["errors"][0]["parameter"], "audience");
    let lines = dir.path().join("dup.jsonl");
    std::fs::write(&lines, format!("{payload}\n")).unwrap();
    let out = flowcall(&[
        "batch",
        CMS,
        "--signal",
        "NEWSLETTER/signal1",
        "--payloads",
        lines.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("rejected, duplicate key: 1"), "{summary}");
}

#[test]
fn run_trace_prints_every_visit_with_its_ports_and_every_variable_change() {
    let out = flowcall(&[
        "run",
        FTA,
        "--signal",
        "WKF1/signal1",
        "--payload",
        "examples/payloads/file-to-audience.json",
        "--trace",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["accepted"], true);
    assert_eq!(v["runs"].as_array().map(Vec::len), Some(2));
    let test = v["visits"]
        .as_array()
        .and_then(|all| all.iter().find(|x| x["activity"] == "test1"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(test["ports"], serde_json::json!(["condition 'hasRecords'"]));
    let changes = v["runs"][0]["changes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(changes[0]["activity"], "transfer1");
    assert_eq!(changes[0]["name"], "fileName");
    let both = flowcall(&["run", FTA, "--signal", "WKF1/signal1", "--json", "--trace"]);
    assert_eq!(both.status.code(), Some(2), "--json and --trace conflict");
}

#[test]
fn regression_run_into_a_closed_pipe_is_an_error_not_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args([
            "run",
            FTA,
            "--signal",
            "WKF1/signal1",
            "--payload",
            "examples/payloads/file-to-audience.json",
            "--trace",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
}

/// Regression: every subcommand that prints wrote with `println!`, which panics (exit 101) when
/// standard output is a pipe nobody reads (`flowcall check x | head -0`). Each one now reports
/// the closed output once, as an I/O error with exit code 2. The pipe's reading end is closed
/// before the program starts, so every write fails whatever the output's size.
#[test]
fn regression_every_subcommand_into_a_closed_pipe_is_an_error_not_a_panic() {
    let jsonl = "examples/payloads/file-to-audience.jsonl";
    let cases: &[&[&str]] = &[
        &["check", FTA, "--json"],
        &["check", "tests/problems/dead-end.flow.ron"],
        &["test", FTA],
        &["test", FTA, "--coverage"],
        &["test", FTA, "--json"],
        &["eval", "1 + 1"],
        &["diff", FTA, FTA],
        &["export", FTA, "--format", "json"],
        &["payloads", FTA, "--signal", "WKF1/signal1", "--count", "5"],
        &[
            "batch",
            FTA,
            "--signal",
            "WKF1/signal1",
            "--payloads",
            jsonl,
        ],
        &[
            "run",
            FTA,
            "--signal",
            "WKF1/signal1",
            "--payload",
            "examples/payloads/file-to-audience.json",
        ],
    ];
    for args in cases {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_flowcall"))
            .args(*args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("standard output"),
            "{args:?} names what failed: {stderr}"
        );
    }
}

/// Regression: `eprintln!` panics when standard error is closed (`flowcall check x 2>&-`); the
/// subcommands now carry on without it and exit as they would have.
#[test]
fn regression_a_closed_standard_error_is_no_panic() {
    let cases: &[(&[&str], i32)] = &[
        (&["check", FTA], 0),
        (&["check", "tests/problems/dead-end.flow.ron"], 1),
        (&["check", "no-such-file.flow.ron"], 2),
        (&["eval", "1 +"], 1),
    ];
    for (args, code) in cases {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_flowcall"))
            .args(*args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(writer)
            .output()
            .expect("the binary runs");
        assert_eq!(out.status.code(), Some(*code), "{args:?}");
    }
}
