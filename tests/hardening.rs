//! Issue 28, "a second hostile pass": the real binary on the designs, files and arguments that
//! made it panic, lose data or blow up. One regression test per defect, named after it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn flowcall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run flowcall: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

const EXAMPLE: &str = "examples/file-to-audience.flow.ron";
const NEWSLETTER: &str = "examples/cms-newsletter.flow.ron";

/// The bundled example with its Test condition replaced by `condition`, written in `dir`.
fn with_condition(dir: &Path, name: &str, condition: &str) -> PathBuf {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let text = text.replace("$long(vars/@recCount) > 0", condition);
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// Item 1: a function called with the wrong number of arguments made the BPMN export panic
/// (exit 101, index out of bounds in the FEEL translation); in the designer, File > Export is
/// the same call. The call is refused where it is parsed, and every export refuses a design
/// with errors as `check` reports them: exit 1, the problems listed, nothing written.
#[test]
fn regression_export_of_a_wrong_argument_count_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for (i, condition) in [
        "Iif()",
        "Decode(1, 1)",
        "DaysDiff(1) > 0",
        "IsEmptyString(1, 1)",
        "AddHours() > GetDate()",
        "Replace(1, 1) = 'x'",
        "ExtractRight('a') = 'x'",
        "Case(When(true)) = 1",
    ]
    .iter()
    .enumerate()
    {
        let file = with_condition(dir.path(), &format!("arity{i}.flow.ron"), condition);
        let check = flowcall(&["check", path_str(&file)]);
        assert_eq!(check.status.code(), Some(1), "{condition}: {}", stdout(&check));
        let line = stdout(&check)
            .lines()
            .find(|l| l.starts_with("WKF1/test1: error:"))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("{condition}: {}", stdout(&check)));
        assert!(line.contains("arguments") && line.contains("got "), "{line}");
        for format in ["json", "schema", "openapi", "bpmn", "curl"] {
            let out = dir.path().join(format!("out{i}.{format}"));
            let o = flowcall(&[
                "export",
                path_str(&file),
                "--format",
                format,
                "--out",
                path_str(&out),
            ]);
            assert_eq!(o.status.code(), Some(1), "{condition} {format}: {}", stderr(&o));
            assert!(stderr(&o).contains(&line), "{condition} {format}: {}", stderr(&o));
            assert!(stderr(&o).contains("nothing was done"), "{}", stderr(&o));
            assert!(!out.exists(), "{condition} {format}: an export was written");
            assert!(stdout(&o).is_empty());
        }
    }
}

/// Item 8: a workflow id holding `/` passed `check`, yet no `--signal WKF/SIGNAL` could name
/// its signals. Such an id is now a load error; every id that loads (letters, digits, `_`,
/// `-`) is named by `--signal` in `run`, `export` and `payloads`, and the curl and OpenAPI
/// paths carry it as it is.
#[test]
fn regression_signal_names_every_id_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(NEWSLETTER)
        .unwrap()
        .replace("\"NEWSLETTER\"", "\"_News-letter_2\"")
        .replace("\"signal1\"", "\"sig-1_\"");
    let file = dir.path().join("ids.flow.ron");
    std::fs::write(&file, &text).unwrap();
    let file = path_str(&file);
    let signal = "_News-letter_2/sig-1_";
    let payload = "examples/payloads/cms-newsletter.json";
    let o = flowcall(&["run", file, "--signal", signal, "--payload", payload]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("_News-letter_2/sig-1_"), "{}", stdout(&o));
    let o = flowcall(&["export", file, "--format", "schema", "--signal", signal]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = flowcall(&["export", file, "--format", "curl", "--signal", signal]);
    assert!(
        stdout(&o).contains("/workflow/execution/_News-letter_2/activities/activity/sig-1_/trigger"),
        "{}",
        stdout(&o)
    );
    let o = flowcall(&["payloads", file, "--signal", signal, "--count", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let slashed = dir.path().join("slash.flow.ron");
    std::fs::write(
        &slashed,
        text.replace("\"_News-letter_2\"", "\"News/letter\""),
    )
    .unwrap();
    let o = flowcall(&["check", path_str(&slashed)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("the workflow id \"News/letter\" holds the character '/' (U+002F)"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("rename it, e.g. to 'News_letter'"));
    let o = flowcall(&["run", path_str(&slashed), "--signal", "News/letter/sig-1_"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("must be WORKFLOW/SIGNAL"), "{}", stderr(&o));
}

/// The newsletter example with `template` allowing `values` (its default first).
fn with_allowed(dir: &Path, name: &str, values: impl Iterator<Item = String>) -> PathBuf {
    let text = std::fs::read_to_string(NEWSLETTER).unwrap();
    let mut list = String::from("allowed: [\n String(\"newsletter_default\"),\n");
    for v in values {
        list.push_str(&format!("String(\"{v}\"),\n"));
    }
    list.push(']');
    let text = text.replace(
        "allowed: [\n                                    String(\"newsletter_default\"),\n                                    String(\"newsletter_gold\"),\n                                ]",
        &list,
    );
    assert!(text.contains("String(\"newsletter_default\"),\nString("));
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// Item 6: 100,000 allowed values took `check` 6.3 s, the schema export 12.2 s and `diff` 38 s
/// (pairs compared, every value listed in every message); 10,000 Test conditions gave a 905 MB
/// BPMN file (each flow's guard repeated every earlier condition); `payloads` ran on a signal of
/// 1,000 parameters that `check` refuses. Times are measured by `benches/scale.rs`; this test
/// checks the sizes, which grew with the square of the count, and the refusal.
#[test]
fn regression_allowed_values_test_conditions_and_parameters_cost_linear_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    let old = with_allowed(dir.path(), "old.flow.ron", (0..n).map(|i| format!("t{i}")));
    let new = with_allowed(
        dir.path(),
        "new.flow.ron",
        (n / 2..n + n / 2).map(|i| format!("t{i}")),
    );
    let o = flowcall(&["check", path_str(&old)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = flowcall(&["diff", path_str(&old), path_str(&new)]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.len() < 5_000, "{} bytes", text.len());
    assert!(
        text.contains("no longer allows \"t0\", \"t1\", \"t2\", \"t3\", \"t4\", \"t5\", \"t6\", \"t7\", \"t8\", \"t9\" and 9,990 more"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.len() < 1_000), "{text}");
    let o = flowcall(&["diff", "--json", path_str(&old), path_str(&new)]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let narrowed = changes
        .iter()
        .find(|c| c["kind"] == "allowed_narrowed")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(narrowed["rejected"].as_array().unwrap().len(), n / 2, "--json lists them all");
    let o = flowcall(&["export", path_str(&old), "--format", "schema"]);
    assert_eq!(o.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let template = &schema["NEWSLETTER/signal1"]["properties"]["parameters"]["properties"]["template"];
    // Optional, so `anyOf: [{enum}, {type: null}]`.
    assert_eq!(template["anyOf"][0]["enum"].as_array().map(Vec::len), Some(n + 1));
    // A rejected trigger names a few allowed values, not 20,000.
    let payload = dir.path().join("p.json");
    std::fs::write(
        &payload,
        r#"{"source": "t", "parameters": {"audience": "a", "email": "e", "contentURL": "u", "template": "nope"}}"#,
    )
    .unwrap();
    let o = flowcall(&["run", path_str(&old), "--signal", "NEWSLETTER/signal1", "--payload", path_str(&payload)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("and 19,991 more)"), "{}", stdout(&o));
    assert!(stdout(&o).len() < 2_000);

    // 2,000 Test conditions: a BPMN file of a few MB (it was over 100 MB, growing with the
    // square of the count), evaluated by a job, with a warning that says why.
    let conditions: String = (0..2_000)
        .map(|i| {
            format!(
                "(id: \"c{i}\", label: \"C{i}\", expression: \"$long(vars/@recCount) > {i} AND Upper($(vars/@discountDesc)) <> 'X{i}'\"),\n"
            )
        })
        .collect();
    let file = with_condition(dir.path(), "conditions.flow.ron", "$long(vars/@recCount) > 0");
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "                        ],\n                        default_transition: true,",
        &format!("{conditions}],\n default_transition: true,"),
        1,
    );
    std::fs::write(&file, text).unwrap();
    let o = flowcall(&["export", path_str(&file), "--format", "bpmn"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.len() < 4_000_000, "{} bytes", o.stdout.len());
    assert!(
        stderr(&o).contains("WKF1/test1: 2001 conditions, more than the 32 exported as FEEL"),
        "{}",
        stderr(&o)
    );

    // 1,000 parameters: `check` refuses the signal, and so does `payloads` (1.6 GB before).
    let params: String = (0..1_000)
        .map(|i| format!("(name: \"p{i}\", type: String),\n"))
        .collect();
    let text = std::fs::read_to_string(NEWSLETTER)
        .unwrap()
        .replacen("parameters: [\n", &format!("parameters: [\n{params}"), 1);
    let many = dir.path().join("many.flow.ron");
    std::fs::write(&many, text).unwrap();
    for args in [
        vec!["check", path_str(&many)],
        vec!["payloads", path_str(&many), "--signal", "NEWSLETTER/signal1", "--count", "10"],
        vec!["run", path_str(&many), "--signal", "NEWSLETTER/signal1"],
        vec!["test", path_str(&many)],
        vec!["export", path_str(&many), "--format", "schema"],
    ] {
        let o = flowcall(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            all.contains("NEWSLETTER/signal1: error: the signal declares 1004 parameters; the limit is 100"),
            "{args:?}: {all}"
        );
        match args[0] {
            "check" => {}
            "test" => assert_eq!(stdout(&o), "0 passed, 0 failed\n"),
            _ => assert!(stdout(&o).is_empty(), "{args:?} wrote: {}", stdout(&o)),
        }
    }
}
