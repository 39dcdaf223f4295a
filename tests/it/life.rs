//! Integration tests of the workflows' life cycle through the real binary (docs/SIMULATOR.md,
//! "Workflow states" and "Execution and errors"): a test design per behaviour, whose saved
//! scenarios `flowcall test` passes; `check` on them; `run --then` giving commands and refusing
//! those the state does not allow; `fmt` writing the options only when not default; an unknown
//! option value refused naming where it is and what is allowed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DESIGNS: [&str; 5] = [
    "tests/life/suspend-resume.flow.ron",
    "tests/life/ignore-threshold.flow.ron",
    "tests/life/held.flow.ron",
    "tests/life/skipped.flow.ron",
    "tests/life/stop-all.flow.ron",
];

fn flowcall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn every_life_cycle_design_passes_its_scenarios() {
    for design in DESIGNS {
        let out = flowcall(&["test", design, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{design}: {}", text(&out));
        let v = json(&out);
        let scenarios = v["files"][0]["scenarios"]
            .as_array()
            .or_else(|| v[0]["scenarios"].as_array())
            .cloned()
            .unwrap_or_default();
        assert!(!scenarios.is_empty(), "{design}: {v}");
    }
}

#[test]
fn check_warns_of_a_branch_that_can_never_run() {
    let out = flowcall(&["check", "tests/life/skipped.flow.ron"]);
    let t = text(&out);
    assert!(
        t.contains("'end1' can never run") || t.contains("can never run"),
        "{t}"
    );
    assert!(t.contains("'email1'"), "{t}");
    let out = flowcall(&["check", "tests/life/stop-all.flow.ron"]);
    let t = text(&out);
    assert!(t.contains("stops all tasks in progress"), "{t}");
    assert!(t.contains("End 'end2', which triggers TEAM/signal1"), "{t}");
}

#[test]
fn run_then_resume_finishes_the_suspended_run() {
    let payload = r#"{"source": "t", "parameters": {"audience": "JanuaryGold"}}"#;
    let file = tmp("payload.json");
    std::fs::write(&file, payload).unwrap();
    let f = file.to_str().unwrap();
    let args = [
        "run",
        "tests/life/suspend-resume.flow.ron",
        "--signal",
        "CAMPAIGN/signal1",
        "--payload",
        f,
        "--json",
    ];
    let out = flowcall(&args);
    let v = json(&out);
    assert_eq!(v["workflows"]["CAMPAIGN"]["state"], "erroneous", "{v}");
    assert_eq!(v["workflows"]["CAMPAIGN"]["status"], "Erroneous");
    assert_eq!(v["workflows"]["CAMPAIGN"]["suspended"]["activity"], "read1");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a suspended run is not a success"
    );

    let mut then = args.to_vec();
    then.extend(["--then", "resume:CAMPAIGN"]);
    let out = flowcall(&then);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v = json(&out);
    assert!(v.get("workflows").is_none(), "every workflow started: {v}");

    let mut refused = args.to_vec();
    refused.extend(["--then", "pause:CAMPAIGN"]);
    let out = flowcall(&refused);
    assert_eq!(out.status.code(), Some(1));
    let t = String::from_utf8_lossy(&out.stderr);
    assert!(
        t.contains("cannot pause workflow 'CAMPAIGN': it is erroneous (it waits already; resume or stop it)"),
        "{t}"
    );

    let out = flowcall(&[
        "run",
        "tests/life/held.flow.ron",
        "--signal",
        "NEWSLETTER/signal1",
        "--then",
        "explode:X",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("unknown command 'explode'"),
        "{}",
        text(&out)
    );
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("life");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}-{name}", std::process::id()))
}

#[test]
fn fmt_writes_the_options_only_when_not_default() {
    for design in DESIGNS {
        let copy = tmp(Path::new(design).file_name().unwrap().to_str().unwrap());
        std::fs::copy(design, &copy).unwrap();
        let out = flowcall(&["fmt", "--drop-comments", copy.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let before = std::fs::read_to_string(design).unwrap();
        let after = std::fs::read_to_string(&copy).unwrap();
        for written in [
            "on_error: Suspend",
            "execution: EnableButDoNotExecute",
            "execution: DoNotEnable",
            "stop_all_tasks: true",
            "consecutive_errors:",
        ] {
            assert_eq!(
                after.matches(written).count(),
                before.matches(written).count(),
                "{design}: {written}\n{after}"
            );
        }
        for default in [
            "Normal",
            "Ignore",
            "stop_all_tasks: false",
            "consecutive_errors: 0",
        ] {
            assert!(
                !after.contains(default),
                "{design} writes {default}:\n{after}"
            );
        }
        // The activities with an option not default keep an `options:`, the others lose it
        // (ignore-threshold.flow.ron writes Ignore, the default, on read2).
        assert_eq!(
            after.matches("options: (").count(),
            [
                "on_error: Suspend",
                "execution: EnableButDoNotExecute",
                "execution: DoNotEnable",
                "stop_all_tasks: true"
            ]
            .iter()
            .map(|v| before.matches(v).count())
            .sum::<usize>(),
            "{design}:\n{after}"
        );
        // The formatted file runs the same.
        let out = flowcall(&["test", copy.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    let copy = tmp("threshold.flow.ron");
    std::fs::copy(DESIGNS[1], &copy).unwrap();
    flowcall(&["fmt", "--drop-comments", copy.to_str().unwrap()]);
    let after = std::fs::read_to_string(&copy).unwrap();
    assert_eq!(after.matches("consecutive_errors: 2").count(), 1, "{after}");
}

#[test]
fn an_unknown_option_value_names_the_field_and_the_allowed_values() {
    let design = std::fs::read_to_string(DESIGNS[0]).unwrap();
    let bad = design.replace("options: (on_error: Suspend)", "options: (on_error: Retry)");
    assert_ne!(bad, design);
    let file = tmp("bad-option.flow.ron");
    std::fs::write(&file, &bad).unwrap();
    let out = flowcall(&["check", file.to_str().unwrap()]);
    // A file that does not load exits 2, as every file `check` cannot read.
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("(in workflow 'CAMPAIGN', activity 'read1')"),
        "{t}"
    );
    assert!(t.contains("options.on_error (\"In case of error\")"), "{t}");
    assert!(t.contains("Ignore") && t.contains("Suspend"), "{t}");
    let line = bad
        .lines()
        .position(|l| l.contains("on_error: Retry"))
        .unwrap()
        + 1;
    assert!(
        t.contains(&format!(":{line}:")) || t.contains(&format!("line {line}")),
        "{t}"
    );
}
