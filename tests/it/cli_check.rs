//! The real binary on real files: `check` and `fmt` exit codes, messages and JSON.

use std::process::{Command, Output};

fn flowcall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run flowcall: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn examples_check_clean_and_are_formatted() {
    for f in [
        "examples/cms-newsletter.flow.ron",
        "examples/file-to-audience.flow.ron",
    ] {
        let o = flowcall(&["check", f]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{f}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(stderr(&o).contains("0 errors"), "{}", stderr(&o));
        let o = flowcall(&["fmt", "--check", f]);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", stdout(&o));
    }
}

/// Each problem design, the line `check` must print for it.
const PROBLEMS: &[(&str, &str)] = &[
    (
        "invalid-parameter-name",
        "NEWSLETTER/signal1: error: invalid parameter name: 'e-mail' may only hold ASCII letters, digits and '_'",
    ),
    (
        "builtin-parameter-name",
        "NEWSLETTER/signal1: error: invalid parameter name: 'recCount' is a built-in variable",
    ),
    (
        "duplicate-parameter",
        "NEWSLETTER/signal1: error: parameter 'audience' is declared twice",
    ),
    (
        "default-not-allowed",
        "NEWSLETTER/signal1: error: the default 'newsletter_silver' of parameter 'template' is not one of its allowed values",
    ),
    (
        "end-target-missing",
        "WKF1/end1: error: this End triggers workflow 'WKF9', which does not exist (workflows: WKF1, WKF2)",
    ),
    (
        "end-signal-missing",
        "WKF1/end1: error: this End triggers signal 'signal7' of workflow 'WKF2', which does not exist (its signals: signal1)",
    ),
    (
        "end-undeclared-parameter",
        "WKF1/end1: error: 'segmentKode' is not declared by signal 'signal1' of workflow 'WKF2'",
    ),
    (
        "end-missing-required",
        "WKF1/end1: error: required parameter 'discountDesc' (String) of signal 'signal1' of workflow 'WKF2' is not passed",
    ),
    (
        "unreachable",
        "NEWSLETTER/readAudience1: error: 'Read audience' is unreachable",
    ),
    (
        "dead-end",
        "NEWSLETTER/email1: error: 'Newsletter email' has no way out and is not an End",
    ),
    (
        "test-without-conditions",
        "WKF1/test1: error: Test 'Any records?' has no condition",
    ),
    (
        "expr-syntax-error",
        "NEWSLETTER/email1: error: the label, column 1: expected `)` to close `$(vars/@email`",
    ),
    (
        "expr-unknown-variable",
        "NEWSLETTER/readAudience1: error: the audience name, column 1: unknown variable 'audiance': no signal declares it and no upstream activity sets it; did you mean 'audience'?",
    ),
    (
        "expr-variable-of-other-workflow",
        "WKF2/readAudience1: error: the audience name, column 1: unknown variable 'fileToTarget'",
    ),
    (
        "expr-unknown-function",
        "NEWSLETTER/email1: error: parameter 'audience', column 1: unknown function `Uper`; did you mean `Upper`?",
    ),
    (
        "expr-wrong-arity",
        "NEWSLETTER/email1: error: parameter 'audience', column 1: `Left` takes 2 arguments (string, count); got 1",
    ),
    (
        "expr-condition-not-boolean",
        "WKF1/test1: error: condition 'hasRecords' gives Integer; a condition must give a Boolean",
    ),
    (
        "end-constant-not-allowed",
        "WKF1/end1: error: parameter 'tier' passes 'platinum', which signal 'signal1' of workflow 'WKF2' does not allow (allowed values: 'gold', 'silver', 'bronze'); pass one of them, or allow it there",
    ),
    (
        "expr-end-parameter-type",
        "WKF1/end1: error: parameter 'discountDesc' is declared String by signal 'signal1' of workflow 'WKF2' (Strict policy), but this expression gives Boolean; make it text with ToString(...)",
    ),
];

#[test]
fn each_problem_design_exits_1_with_its_message() {
    for (name, line) in PROBLEMS {
        let path = format!("tests/problems/{name}.flow.ron");
        let o = flowcall(&["check", &path]);
        assert_eq!(o.status.code(), Some(1), "{path}: {}", stdout(&o));
        assert!(
            stdout(&o).lines().any(|l| l.starts_with(line)),
            "{path}: expected «{line}» in\n{}",
            stdout(&o)
        );
    }
}

#[test]
fn an_empty_workflow_is_a_problem_not_silence() {
    let o = flowcall(&["check", "tests/problems/empty-workflow.flow.ron"]);
    assert_eq!(o.status.code(), Some(0), "a warning: {}", stdout(&o));
    assert!(
        stdout(&o).lines().any(|l| l.starts_with(
            "WKF2: warning: workflow 'WKF2' is empty: it can never run; add a Start or an External signal"
        )),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("0 errors, 1 warning"), "{}", stderr(&o));
}

#[test]
fn check_json_lists_severity_workflow_activity_field_message() {
    let o = flowcall(&[
        "check",
        "--json",
        "tests/problems/end-undeclared-parameter.flow.ron",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    let first = &v[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["workflow"], "WKF1");
    assert_eq!(first["activity"], "end1");
    assert_eq!(first["field"], "parameter:segmentKode");
    assert!(
        first["message"]
            .as_str()
            .unwrap_or("")
            .contains("'segmentKode' is not declared")
    );
    let o = flowcall(&["check", "--json", "examples/cms-newsletter.flow.ron"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&o.stdout).ok(),
        Some(serde_json::json!([]))
    );
}

#[test]
fn structural_problems_exit_1_and_syntax_errors_exit_2() {
    let o = flowcall(&["check", "tests/broken/duplicate-activity.flow.ron"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("WKF1/end1: error: duplicate activity id 'end1'"),
        "{}",
        stdout(&o)
    );
    let o = flowcall(&["check", "tests/broken/truncated.flow.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot load tests/broken/truncated.flow.ron: line 36, column 63"),
        "{}",
        stderr(&o)
    );
    let o = flowcall(&["check", "tests/no-such-file.flow.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("No such file"), "{}", stderr(&o));
    let o = flowcall(&["check"]);
    assert_eq!(o.status.code(), Some(2), "a usage error");
}

#[test]
fn fmt_rewrites_to_canonical_form_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("messy.flow.ron");
    let messy = "(format_version:1,workflows:[(id:\"W\",activities:[(id:\"s\",kind:Start),(id:\"e\",kind:End(()))],transitions:[(from:\"s\",to:\"e\")])])";
    std::fs::write(&path, messy).unwrap_or_else(|e| panic!("{e}"));
    let p = path.to_string_lossy().into_owned();
    let o = flowcall(&["fmt", "--check", &p]);
    assert_eq!(o.status.code(), Some(1), "not canonical yet");
    assert_eq!(
        std::fs::read_to_string(&path).ok().as_deref(),
        Some(messy),
        "--check changes nothing"
    );
    let o = flowcall(&["fmt", &p]);
    assert_eq!(o.status.code(), Some(0));
    let once = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(once.starts_with("(\n    format_version: 1,\n"), "{once}");
    let o = flowcall(&["fmt", &p]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), once);
    assert_eq!(flowcall(&["fmt", "--check", &p]).status.code(), Some(0));
}

#[test]
fn fmt_never_rewrites_a_newer_file() {
    let o = flowcall(&["fmt", "tests/broken/newer-version.flow.ron"]);
    // A file fmt cannot format is reported, exit 1 (issue 28: the others are still formatted).
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("newer than this flowcall"),
        "{}",
        stderr(&o)
    );
}

/// Without the designer, no arguments prints help (with it, the designer window opens).
#[cfg(not(feature = "gui"))]
#[test]
fn no_arguments_prints_help() {
    let o = flowcall(&[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Usage"), "{}", stdout(&o));
}

#[test]
fn help_prints_usage() {
    let o = flowcall(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Usage"), "{}", stdout(&o));
}

#[test]
fn a_typed_reader_on_an_incompatible_parameter_is_a_warning() {
    let o = flowcall(&["check", "tests/problems/expr-typed-reader-warning.flow.ron"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "warnings do not fail: {}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("NEWSLETTER/email1: warning: parameter 'audience', column 10: `$long(vars/@audience)` reads 'audience' as Integer, but it is declared String"),
        "{}",
        stdout(&o)
    );
    let o = flowcall(&[
        "check",
        "--json",
        "tests/problems/expr-typed-reader-warning.flow.ron",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(v[0]["severity"], "warning");
    assert_eq!(v[0]["field"], "parameter:audience");
    assert_eq!(v[0]["span"], serde_json::json!({"start": 9, "end": 30}));
}

#[test]
fn eval_prints_value_and_type() {
    let o = flowcall(&[
        "eval",
        "Iif($long(vars/@recCount) > 0, Upper($(vars/@audience)), 'none')",
        "--vars",
        r#"{"recCount": 3, "audience": "gold"}"#,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "'GOLD' (String)");
    let o = flowcall(&[
        "eval",
        "AddDays(@since, 1)",
        "--row",
        r#"{"since": "2024-02-28"}"#,
        "--json",
    ]);
    assert_eq!(stdout(&o).trim(), r#"{"value":"2024-02-29","type":"Date"}"#);
    let o = flowcall(&[
        "eval",
        "DateFormat(GetDate(), '%4Y/%2M/%2D %2H:%2N')",
        "--now",
        "2024-07-01T13:05:00Z",
    ]);
    assert_eq!(stdout(&o).trim(), "'2024/07/01 13:05' (String)");
}

#[test]
fn eval_of_a_bad_expression_exits_1_with_a_caret_under_the_column() {
    let o = flowcall(&["eval", "Upper('a') + Lenght('x')"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("unknown function `Lenght`; did you mean `Length`?"),
        "{err}"
    );
    assert!(
        err.contains("1 | Upper('a') + Lenght('x')\n  |              ^^^^^^"),
        "{err:?}"
    );
    let o = flowcall(&["eval", "1 / (2 - 2)"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("division by zero"), "{}", stderr(&o));
    let o = flowcall(&["eval", "'abc", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(v["line"], 1);
    assert_eq!(v["column"], 1);
    let o = flowcall(&["eval", "1", "--vars", "[1]"]);
    assert_eq!(o.status.code(), Some(2), "bad --vars is a usage error");
}

#[test]
fn eval_speaks_the_reference_syntax() {
    let o = flowcall(&[
        "eval",
        "Case(When(@lastName LIKE 'Mart%n' AND @domain IN 'mail', JuxtWords('Dear', Smart(@lastName))), Else('Hello'))",
        "--row",
        r#"{"lastName": "martin", "domain": "gmail.com"}"#,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "'Hello' (String)");
    let o = flowcall(&[
        "eval",
        "Case(When(@lastName LIKE 'mart%n' AND @domain IN 'mail', JuxtWords('Dear', Smart(@lastName))), Else('Hello'))",
        "--row",
        r#"{"lastName": "martin", "domain": "gmail.com"}"#,
    ]);
    assert_eq!(stdout(&o).trim(), "'Dear Martin' (String)");
    // Random() is seeded: the same command gives the same number.
    let a = flowcall(&["eval", "Random()"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&flowcall(&["eval", "Random()"])));
    let o = flowcall(&["eval", "TruncWeek(ToDate('2025-01-12'))"]);
    assert_eq!(stdout(&o).trim(), "Date 2025-01-06 (Date)");
}

#[test]
fn eval_refuses_server_functions_and_wrong_signatures_with_spans() {
    let o = flowcall(&["eval", "'x' + GetMirrorURL('a')"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("`GetMirrorURL` cannot be simulated"), "{err}");
    assert!(
        err.contains("1 | 'x' + GetMirrorURL('a')\n  |       ^^^^^^^^^^^^"),
        "{err:?}"
    );
    let o = flowcall(&["eval", "SubDays(GetDate())"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "`SubDays` takes 2 arguments (date, days); got 1 (signature: `SubDays(date, days)`)"
        ),
        "{}",
        stderr(&o)
    );
    let o = flowcall(&[
        "eval",
        "@lastName LIKE Mart%n",
        "--row",
        r#"{"lastName": "Martin"}"#,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("quoted pattern"), "{}", stderr(&o));
}
