//! `flowcall diff` on real files: a pair of designs for each kind of contract change
//! (`tests/diff/old.flow.ron` against `tests/diff/KIND.flow.ron`), with the exact lines and exit
//! code; the JSON shape under snapshots; JSON design files; `--signal`; usage and I/O errors;
//! the contract digest shared with the exports; and the rejected scenarios checked against the
//! simulator itself.

use flowcall::diff::{Class, compare};
use flowcall::io;
use flowcall::sim::{Prepared, Simulator};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

const OLD: &str = "tests/diff/old.flow.ron";

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

/// Each new version of `OLD`, the exit code of `flowcall diff OLD NEW` and its whole output.
const CASES: &[(&str, i32, &[&str])] = &[
    (
        "allowed-narrowed",
        1,
        &[
            "WKF2/signal1: breaking: 'segmentCode' now only allows \"SEG-A\", \"SEG-B\": it allowed any String; callers passing another value are rejected",
            "WKF2/signal1: breaking: 'tier' no longer allows \"bronze\": callers passing it are rejected (it allows \"gold\", \"silver\")",
            "WKF2/signal1: scenario 'bronze tier' is now rejected: 'tier': \"bronze\" is not one of the allowed values (gold, silver)",
            "summary: 2 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 1 saved scenario rejected",
        ],
    ),
    (
        "allowed-widened",
        0,
        &[
            "WKF2/signal1: compatible: 'tier' now also allows \"platinum\"",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 1 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "cooldown-longer",
        1,
        &[
            "design: breaking: the trigger cooldown is now 3600 s (it was 600 s): callers that trigger a signal more often than that are refused (429 Too Many Requests)",
            "summary: 1 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "cooldown-off",
        0,
        &[
            "design: compatible: the trigger cooldown is now off (it was 600 s): every call allowed before is still allowed",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 1 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "default-added",
        0,
        &[
            "WKF2/signal1: compatible: 'segmentCode' now has a default \"NONE\": it is used when a caller omits the parameter",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 1 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "default-changed",
        0,
        &[
            "WKF2/signal1: compatible: the default of 'tier' changed from \"silver\" to \"gold\": no call is refused, but callers that omit it now get the new value",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 1 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "default-removed",
        1,
        &[
            "WKF2/signal1: breaking: 'maxRecipients' no longer has a default: callers that omit it got 100, now the variable is not set",
            "summary: 1 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "documentation",
        0,
        &[
            "WKF2: compatible: the workflow's label changed from 'Send the discount' to 'Send the discount email'",
            "WKF2/signal1: compatible: the signal's label changed from 'Audience ready' to 'Audience imported'",
            "WKF2/signal1: compatible: the description of 'tier' changed",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 3 compatible; 0 saved scenarios rejected",
        ],
    ),
    ("layout-only", 0, &["summary: no contract changes"]),
    (
        "made-optional",
        0,
        &[
            "WKF2/signal1: compatible: 'discountDesc' is no longer required",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 1 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "made-required",
        1,
        &[
            "WKF2/signal1: breaking: 'segmentCode' is now required",
            "WKF2/signal1: breaking inside: End 'WKF1/end1': required parameter 'segmentCode' (String) of signal 'signal1' of workflow 'WKF2' is not passed (because 'segmentCode' is now required)",
            "WKF2/signal1: scenario 'gold tier' is now rejected: 'segmentCode' is required by signal 'signal1' of workflow 'WKF2' but was not passed",
            "WKF2/signal1: scenario 'bronze tier' is now rejected: 'segmentCode' is required by signal 'signal1' of workflow 'WKF2' but was not passed",
            "summary: 1 breaking for API callers, 1 breaking for Ends inside the design, 0 compatible; 2 saved scenarios rejected",
        ],
    ),
    (
        "optional-added",
        0,
        &[
            "WKF2/signal1: compatible: optional parameter 'channel' (String) was added",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 1 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "parameter-removed",
        1,
        &[
            "WKF2/signal1: breaking: 'discountDesc' (String) was removed: callers that pass it are rejected (it is not declared)",
            "WKF2/signal1: breaking inside: End 'WKF1/end1': 'discountDesc' is not declared by signal 'signal1' of workflow 'WKF2'; remove it or declare it there (because 'discountDesc' (String) was removed)",
            "WKF2/signal1: scenario 'gold tier' is now rejected: 'discountDesc' is not declared by signal 'signal1' of workflow 'WKF2'",
            "WKF2/signal1: scenario 'bronze tier' is now rejected: 'discountDesc' is not declared by signal 'signal1' of workflow 'WKF2'",
            "summary: 1 breaking for API callers, 1 breaking for Ends inside the design, 0 compatible; 2 saved scenarios rejected",
        ],
    ),
    (
        "parameter-renamed",
        1,
        &[
            "WKF2/signal1: breaking: 'segmentCode' was likely renamed to 'segment' (same type String and position 3): callers that pass 'segmentCode' are rejected (it is not declared)",
            "summary: 1 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "policy-lenient",
        0,
        &[
            "WKF3/signal1: compatible: the conversion policy is now Lenient (it was Strict): text that reads as the declared type is accepted and converted",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 1 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "policy-strict",
        1,
        &[
            "WKF2/signal1: breaking: the conversion policy is now Strict (it was Lenient): values the Lenient policy converted are rejected: 'audienceToTarget', 'discountDesc', 'segmentCode', 'tier' (String) no longer accept numbers (like 42) or booleans (like true); 'maxRecipients' (Integer) no longer accepts text (like \"42\")",
            "WKF2/signal1: scenario 'gold tier' is now rejected: 'maxRecipients': expected Integer, received \"250\" (string) (the signal's conversion policy is Strict)",
            "summary: 1 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 1 saved scenario rejected",
        ],
    ),
    (
        "reordered",
        0,
        &[
            "WKF2/signal1: compatible: the parameters are now in the order audienceToTarget, discountDesc, segmentCode, maxRecipients, tier, sendOn (they were in the order audienceToTarget, discountDesc, segmentCode, tier, maxRecipients, sendOn): callers pass them by name, so only forms and exports change",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 1 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "required-added",
        1,
        &[
            "WKF2/signal1: breaking: required parameter 'channel' (String) was added: callers that do not pass it are rejected",
            "WKF2/signal1: breaking inside: End 'WKF1/end1': required parameter 'channel' (String) of signal 'signal1' of workflow 'WKF2' is not passed (because required parameter 'channel' (String) was added)",
            "WKF2/signal1: scenario 'gold tier' is now rejected: 'channel' is required by signal 'signal1' of workflow 'WKF2' but was not passed",
            "WKF2/signal1: scenario 'bronze tier' is now rejected: 'channel' is required by signal 'signal1' of workflow 'WKF2' but was not passed",
            "summary: 1 breaking for API callers, 1 breaking for Ends inside the design, 0 compatible; 2 saved scenarios rejected",
        ],
    ),
    (
        "signal-id-changed",
        1,
        &[
            "WKF3/signal1: breaking: the signal id changed from 'signal1' to 'feed1' (likely: same parameters): callers must now POST to /workflow/execution/WKF3/activities/activity/feed1/trigger",
            "WKF3/signal1: scenario 'partner 7' is now rejected: 'signal1' is not an External signal of workflow 'WKF3'",
            "summary: 1 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 1 saved scenario rejected",
        ],
    ),
    (
        "signal-removed",
        1,
        &[
            "WKF2/signal1: breaking: signal 'signal1' was removed (activity 'signal1' is now a Start): POST /workflow/execution/WKF2/activities/activity/signal1/trigger no longer exists",
            "WKF2/signal1: breaking inside: End 'WKF1/end1': this End triggers signal 'signal1' of workflow 'WKF2', which is not an External signal (its signals: none) (because signal 'signal1' was removed (activity 'signal1' is now a Start))",
            "WKF2/signal1: scenario 'gold tier' is now rejected: 'signal1' is not an External signal of workflow 'WKF2'",
            "WKF2/signal1: scenario 'bronze tier' is now rejected: 'signal1' is not an External signal of workflow 'WKF2'",
            "summary: 1 breaking for API callers, 1 breaking for Ends inside the design, 0 compatible; 2 saved scenarios rejected",
        ],
    ),
    (
        "type-changed-breaking",
        1,
        &[
            "WKF2/signal1: breaking: 'segmentCode' changed type from String to Integer: the Lenient conversion still accepts some values old callers could send (\"42\", \"-7\", \"0\", ...) but rejects others (\"text\", \"\", \"3.5\", ...)",
            "summary: 1 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "type-changed-compatible",
        0,
        &[
            "WKF2/signal1: compatible: 'maxRecipients' changed type from Integer to Decimal: every value old callers could send is still accepted (like 42, -7, 0, ...)",
            "WKF2/signal1: compatible: 'sendOn' changed type from Date to DateTime: every value old callers could send is still accepted (like \"2024-03-31\")",
            "summary: 0 breaking for API callers, 0 breaking for Ends inside the design, 2 compatible; 0 saved scenarios rejected",
        ],
    ),
    (
        "type-changed-inside",
        1,
        &[
            "WKF2/signal1: breaking: 'maxRecipients' changed type from Integer to Boolean: the Lenient conversion still accepts some values old callers could send (\"0\") but rejects others (42, -7, 0, ...)",
            "WKF2/signal1: compatible: the default of 'maxRecipients' changed from 100 to true: no call is refused, but callers that omit it now get the new value",
            "WKF2/signal1: breaking inside: End 'WKF1/end1': parameter 'maxRecipients' is declared Boolean by signal 'signal1' of workflow 'WKF2' (Lenient policy), but this expression gives Integer; make it a Boolean with a comparison or ToBoolean(...) (because 'maxRecipients' changed type from Integer to Boolean; the default of 'maxRecipients' changed from 100 to true)",
            "WKF2/signal1: scenario 'gold tier' is now rejected: 'maxRecipients': expected Boolean, received \"250\" (string)",
            "summary: 1 breaking for API callers, 1 breaking for Ends inside the design, 1 compatible; 1 saved scenario rejected",
        ],
    ),
    (
        "workflow-id-changed",
        1,
        &[
            "WKF3/signal1: breaking: the workflow id changed from 'WKF3' to 'PARTNERS' (likely: same label 'Partner feed'): callers must now POST to /workflow/execution/PARTNERS/activities/activity/signal1/trigger",
            "WKF3/signal1: scenario 'partner 7' is now rejected: workflow 'WKF3' does not exist",
            "summary: 1 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 1 saved scenario rejected",
        ],
    ),
    (
        "workflow-removed",
        1,
        &[
            "WKF3/signal1: breaking: workflow 'WKF3' was removed: POST /workflow/execution/WKF3/activities/activity/signal1/trigger no longer exists",
            "WKF3/signal1: scenario 'partner 7' is now rejected: workflow 'WKF3' does not exist",
            "summary: 1 breaking for API callers, 0 breaking for Ends inside the design, 0 compatible; 1 saved scenario rejected",
        ],
    ),
];

fn new_path(name: &str) -> String {
    format!("tests/diff/{name}.flow.ron")
}

#[test]
fn each_kind_of_change_is_classified_with_its_message() {
    for (name, code, lines) in CASES {
        let o = flowcall(&["diff", OLD, &new_path(name)]);
        let got: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
        assert_eq!(got, *lines, "{name}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(*code), "{name}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{name}: {}", stderr(&o));
    }
}

#[test]
fn every_kind_of_change_has_its_pair() {
    // Every kind the library reports is shown by at least one pair above (or by the README
    // pairs of the examples, for the kinds that need a richer design).
    let mut kinds = std::collections::BTreeSet::new();
    for (name, _, _) in CASES {
        let diff = compare(&load(OLD), &load(&new_path(name)));
        for c in &diff.changes {
            let json = serde_json::to_value(c).unwrap_or_default();
            kinds.insert(format!(
                "{}:{}",
                json["class"].as_str().unwrap_or(""),
                json["kind"].as_str().unwrap_or("")
            ));
        }
    }
    let expected = [
        "breaking:allowed_narrowed",
        "breaking:cooldown_changed",
        "breaking:default_removed",
        "breaking:made_required",
        "breaking:parameter_added",
        "breaking:parameter_removed",
        "breaking:parameter_renamed",
        "breaking:policy_strict",
        "breaking:signal_id_changed",
        "breaking:signal_removed",
        "breaking:type_changed",
        "breaking:workflow_id_changed",
        "breaking:workflow_removed",
        "breaking_inside:end_trigger",
        "compatible:allowed_widened",
        "compatible:cooldown_changed",
        "compatible:default_added",
        "compatible:default_changed",
        "compatible:description_changed",
        "compatible:made_optional",
        "compatible:parameter_added",
        "compatible:parameters_reordered",
        "compatible:policy_lenient",
        "compatible:signal_label_changed",
        "compatible:type_changed",
        "compatible:workflow_label_changed",
    ];
    let got: Vec<&str> = kinds.iter().map(String::as_str).collect();
    assert_eq!(got, expected);
}

fn load(path: &str) -> flowcall::model::Design {
    io::load(Path::new(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_design_against_itself_changes_nothing() {
    for f in [
        OLD,
        "examples/cms-newsletter.flow.ron",
        "examples/file-to-audience.flow.ron",
    ] {
        let o = flowcall(&["diff", f, f]);
        assert_eq!(stdout(&o), "summary: no contract changes\n", "{f}");
        assert_eq!(o.status.code(), Some(0), "{f}");
    }
}

#[test]
fn json_design_files_compare_like_ron() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let json = dir.path().join("old.json");
    let o = flowcall(&[
        "export",
        OLD,
        "--format",
        "json",
        "--out",
        &json.to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = json.to_string_lossy().into_owned();
    let o = flowcall(&["diff", &json, OLD]);
    assert_eq!(stdout(&o), "summary: no contract changes\n");
    let o = flowcall(&["diff", &json, &new_path("made-required")]);
    let ron = flowcall(&["diff", OLD, &new_path("made-required")]);
    assert_eq!(stdout(&o), stdout(&ron));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn signal_option_keeps_one_signal_by_its_old_or_new_address() {
    let o = flowcall(&[
        "diff",
        OLD,
        &new_path("made-required"),
        "--signal",
        "WKF3/signal1",
    ]);
    assert_eq!(stdout(&o), "summary: no contract changes\n");
    assert_eq!(o.status.code(), Some(0));
    for at in ["WKF3/signal1", "PARTNERS/signal1"] {
        let o = flowcall(&[
            "diff",
            OLD,
            &new_path("workflow-id-changed"),
            "--signal",
            at,
        ]);
        let out = stdout(&o);
        assert!(
            out.starts_with(
                "WKF3/signal1: breaking: the workflow id changed from 'WKF3' to 'PARTNERS'"
            ),
            "{at}: {out}"
        );
        assert_eq!(o.status.code(), Some(1), "{at}");
    }
    let o = flowcall(&[
        "diff",
        OLD,
        &new_path("made-required"),
        "--signal",
        "WKF2/signal1",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["signals"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["summary"]["rejected_scenarios"], 2);
}

#[test]
fn usage_and_io_errors_exit_2_and_say_what_to_do() {
    let o = flowcall(&["diff", OLD, "tests/diff/missing.flow.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot load tests/diff/missing.flow.ron"),
        "{}",
        stderr(&o)
    );
    let o = flowcall(&["diff", "tests/broken/truncated.flow.ron", OLD]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("tests/broken/truncated.flow.ron") && stderr(&o).contains("line "),
        "{}",
        stderr(&o)
    );
    let o = flowcall(&["diff", OLD, OLD, "--signal", "WKF9/signal1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("has signal 'signal1' in workflow 'WKF9' (signals: WKF1/signal1, WKF2/signal1, WKF3/signal1); pass one of them"),
        "{}",
        stderr(&o)
    );
    let o = flowcall(&["diff", OLD, OLD, "--signal", "WKF1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("must be WORKFLOW/SIGNAL"),
        "{}",
        stderr(&o)
    );
    let o = flowcall(&["diff", OLD]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
}

/// `flowcall diff --json` on the README's pairs and two more, as snapshots of the documented
/// shape (docs/DIFF.md).
#[test]
fn json_shape() {
    let pairs = [
        (
            "examples/file-to-audience.flow.ron",
            "tests/diff/file-to-audience-v2.flow.ron",
            "file_to_audience_v2",
        ),
        (
            "examples/cms-newsletter.flow.ron",
            "tests/diff/cms-newsletter-v2.flow.ron",
            "cms_newsletter_v2",
        ),
        (
            OLD,
            "tests/diff/type-changed-breaking.flow.ron",
            "type_changed_breaking",
        ),
        (
            OLD,
            "tests/diff/workflow-id-changed.flow.ron",
            "workflow_id_changed",
        ),
    ];
    for (old, new, name) in pairs {
        let o = flowcall(&["diff", "--json", old, new]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let text = stdout(&o);
        let v: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v["format"], "flowcall-diff/1");
        insta::assert_snapshot!(format!("diff_json_{name}"), text);
    }
}

#[test]
fn readme_pairs_are_breaking_and_name_their_evidence() {
    let o = flowcall(&[
        "diff",
        "examples/file-to-audience.flow.ron",
        "tests/diff/file-to-audience-v2.flow.ron",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("WKF2/signal1: breaking: 'segmentCode' is now required\n"),
        "{out}"
    );
    assert!(out.contains("WKF2/signal1: breaking inside: End 'WKF1/end1': required parameter 'discountText' (String) of signal 'signal1' of workflow 'WKF2' is not passed (because 'discountDesc' was likely renamed to 'discountText' (same type String and position 2))"), "{out}");
    assert!(
        out.contains(
            "WKF1/signal1: scenario 'default discount' is now rejected: 'campaign' is required"
        ),
        "{out}"
    );
}

/// The README shows the real output of `flowcall diff` on both examples against their copies.
#[test]
fn readme_shows_the_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap_or_else(|e| panic!("{e}"));
    for name in ["file-to-audience", "cms-newsletter"] {
        let (old, new) = (
            format!("examples/{name}.flow.ron"),
            format!("tests/diff/{name}-v2.flow.ron"),
        );
        let o = flowcall(&["diff", &old, &new]);
        let block = format!("$ flowcall diff {old} {new}   # exit 1\n{}```", stdout(&o));
        assert!(readme.contains(&block), "README.md must show:\n{block}");
    }
}

/// The digest `diff` reports for each signal is the `x-flowcall-contract` of both exports (of
/// the versions without errors: a design with errors is not exported).
#[test]
fn contract_digest_is_the_exports() {
    for (design, new) in [
        (
            "examples/file-to-audience.flow.ron",
            "tests/diff/file-to-audience-v2.flow.ron",
        ),
        (
            "examples/cms-newsletter.flow.ron",
            "tests/diff/cms-newsletter-v2.flow.ron",
        ),
    ] {
        let o = flowcall(&["diff", "--json", design, new]);
        let v: serde_json::Value =
            serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
        let Some(signals) = v["signals"].as_array() else {
            panic!("no signals")
        };
        for pair in signals {
            for (side, file) in [("old", design), ("new", new)] {
                let r = &pair[side];
                let at = format!(
                    "{}/{}",
                    r["workflow"].as_str().unwrap_or(""),
                    r["signal"].as_str().unwrap_or("")
                );
                let schema = flowcall(&["export", file, "--format", "schema", "--signal", &at]);
                if schema.status.code() == Some(1) {
                    // A version with errors (an End that no longer fits) has no export: every
                    // export refuses what `check` refuses.
                    assert!(stderr(&schema).contains(": error: "), "{}", stderr(&schema));
                    continue;
                }
                let schema: serde_json::Value =
                    serde_json::from_str(&stdout(&schema)).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(
                    schema["x-flowcall-contract"], r["contract"],
                    "{file} {at} schema"
                );
                let api = flowcall(&["export", file, "--format", "openapi", "--signal", &at]);
                let api: serde_json::Value =
                    serde_json::from_str(&stdout(&api)).unwrap_or_else(|e| panic!("{e}"));
                let path = format!(
                    "/workflow/execution/{}/activities/activity/{}/trigger",
                    r["workflow"].as_str().unwrap_or(""),
                    r["signal"].as_str().unwrap_or("")
                );
                assert_eq!(
                    api["paths"][&path]["post"]["x-flowcall-contract"], r["contract"],
                    "{file} {at} openapi"
                );
            }
            let changed = pair["status"] != "unchanged";
            assert_eq!(
                pair["old"]["contract"] != pair["new"]["contract"],
                changed,
                "{pair}"
            );
        }
    }
}

/// The scenarios `diff` reports as rejected are exactly the saved scenarios of OLD that the
/// simulator accepts on OLD and rejects on NEW (every workflow started, as `flowcall test`
/// runs them); and whenever one is rejected, some change is breaking.
#[test]
fn rejected_scenarios_agree_with_the_simulator() {
    let mut pairs: Vec<(String, String)> = CASES
        .iter()
        .map(|(n, _, _)| (OLD.to_owned(), new_path(n)))
        .collect();
    pairs.push((
        "examples/file-to-audience.flow.ron".into(),
        "tests/diff/file-to-audience-v2.flow.ron".into(),
    ));
    pairs.push((
        "examples/cms-newsletter.flow.ron".into(),
        "tests/diff/cms-newsletter-v2.flow.ron".into(),
    ));
    for (old_path, new_path) in pairs {
        let (old, new) = (load(&old_path), load(&new_path));
        let diff = compare(&old, &new);
        let on_old = Arc::new(Prepared::new(old.clone()));
        let on_new = Arc::new(Prepared::new(new.clone()));
        let accepted = |prepared: &Arc<Prepared>, s: &flowcall::model::Scenario| {
            let mut sim = Simulator::new(prepared.clone());
            sim.start_all();
            sim.trigger_json(&s.workflow, &s.signal, &s.payload)
                .accepted()
        };
        let expected: Vec<&str> = old
            .scenarios
            .iter()
            .filter(|s| accepted(&on_old, s) && !accepted(&on_new, s))
            .map(|s| s.name.as_str())
            .collect();
        let reported: Vec<&str> = diff.scenarios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(reported, expected, "{new_path}");
        if !reported.is_empty() {
            assert!(
                diff.changes.iter().any(|c| c.class == Class::Breaking),
                "{new_path}: {:?}",
                diff.lines()
            );
        }
    }
}

/// Regression: `flowcall diff ... | head` panicked on the closed pipe ("failed printing to
/// stdout"); it is an I/O error now, reported once with exit code 2.
#[test]
fn closed_stdout_is_an_io_error_not_a_panic() {
    let (reader, writer) = std::io::pipe().unwrap_or_else(|e| panic!("{e}"));
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(["diff", "--json", OLD, &new_path("made-required")])
        .stdout(writer)
        .output()
        .unwrap_or_else(|e| panic!("cannot run flowcall: {e}"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot write to standard output"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}
