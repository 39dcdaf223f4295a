//! Hostile designs: labels and values written to break out of the exports (shell injection
//! through the curl script, characters XML cannot hold in the BPMN), and ids that would, which
//! the loader refuses. The real binary
//! exports them, a real shell runs the curl script with a `curl` that only records its
//! arguments, and a real XML parser (roxmltree) reads the BPMN.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flowcall::model::{
    Activity, ActivityKind, Design, EndSettings, EndTrigger, KindTag, NamedExpression, Parameter,
    Port, SignalContract, Transition, Type, Value, Workflow,
};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Texts that try every way out of a quoted shell word, a comment, an XML attribute or text.
const HOSTILE: &[&str] = &[
    "Content published\ntouch PWNED #",
    "'; touch PWNED; echo '",
    "$(touch PWNED)",
    "`touch PWNED`",
    "\"; touch PWNED; \"",
    "\\'\\\"\\\\",
    "a\rtouch PWNED\r",
    "bell\u{7} start\u{1} nul\u{0} end\u{FFFE}\u{FFFF}",
    "<tag attr=\"x\">&amp;</tag>]]>",
    "tab\there\u{2028}line sep",
];

fn transition(from: &str, to: &str) -> Transition {
    Transition {
        from: from.into(),
        port: Port::Out,
        to: to.into(),
    }
}

/// A design whose every label, parameter values and descriptions and an End trigger's
/// parameter carry hostile texts. It passes the loader's structural rules: its ids use every
/// kind of character an id may hold (letters, digits, `_`, `-`); ids that could break out of a
/// URL, a shell word or XML are refused when the file loads
/// (`hostile_ids_are_load_errors_that_say_how_to_rename`).
fn hostile_design() -> Design {
    let mut design = Design::default();
    for (w, text) in HOSTILE.iter().enumerate() {
        let id = format!("_WKF-{w}_x");
        let mut wf = Workflow::new(id.clone(), *text);
        let mut signal = Activity::new(format!("sig-{w}__"), *text, KindTag::ExternalSignal);
        let mut p = Parameter::new("audience", Type::String);
        p.default = Some(Value::String((*text).to_owned()));
        p.description = (*text).to_owned();
        let mut q = Parameter::new("segment", Type::String);
        q.allowed = vec![Value::String((*text).to_owned()), Value::String("b".into())];
        signal.kind = ActivityKind::ExternalSignal(SignalContract {
            parameters: vec![p, q],
            ..SignalContract::default()
        });
        let signal_id = signal.id.clone();
        wf.activities.push(signal);
        let mut end = Activity::new("end1", *text, KindTag::End);
        end.kind = ActivityKind::End(EndSettings {
            trigger: Some(EndTrigger {
                workflow: id.clone(),
                signal: signal_id.clone(),
                parameters: vec![NamedExpression {
                    name: "audience".into(),
                    expression: format!("'{}'", text.replace('\'', "''")),
                }],
            }),
        });
        wf.activities.push(end);
        wf.transitions.push(transition(&signal_id, "end1"));
        design.workflows.push(wf);
    }
    design
}

fn write_design(dir: &Path) -> PathBuf {
    let file = dir.join("hostile.flow.ron");
    std::fs::write(
        &file,
        flowcall::io::to_ron_string(&hostile_design()).unwrap(),
    )
    .unwrap();
    file
}

fn export(file: &Path, format: &str) -> (String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(["export", &file.to_string_lossy(), "--format", format])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{format}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// Runs `script` with `sh` in `dir`, with a `curl` on the PATH that appends its arguments
/// (NUL-separated, one call per line of the record) to `dir/calls`.
fn run_with_fake_curl(dir: &Path, script: &str) -> Vec<Vec<String>> {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("curl");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> \"$CALLS\"; done\nprintf '\\036' >> \"$CALLS\"\n",
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&fake).status().unwrap();
    std::fs::write(dir.join("x.sh"), script).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let o = Command::new("sh")
        .arg("x.sh")
        .current_dir(dir)
        .env("PATH", path)
        .env("CALLS", dir.join("calls"))
        .env("FLOWCALL_TOKEN", "t0ken")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "the script failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let calls = std::fs::read(dir.join("calls")).unwrap_or_default();
    String::from_utf8(calls)
        .unwrap()
        .split('\u{1e}')
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.split('\0')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// Decodes `%XX` escapes.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn regression_curl_export_runs_in_a_real_shell_without_injection() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_design(dir.path());
    let (script, _) = export(&file, "curl");
    let calls = run_with_fake_curl(dir.path(), &script);
    let design = hostile_design();
    assert_eq!(calls.len(), design.workflows.len(), "{script}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !leftovers.iter().any(|f| f.contains("PWNED")),
        "{leftovers:?}"
    );
    for (call, wf) in calls.iter().zip(&design.workflows) {
        let signal = &wf.activities[0];
        // curl -sS -X POST URL -H AUTH -H CT --data-binary PAYLOAD
        assert_eq!(call[0..3], ["-sS", "-X", "POST"]);
        let url = &call[3];
        let path = url.strip_prefix("http://127.0.0.1:8640").unwrap();
        let segments: Vec<String> = path.split('/').map(percent_decode).collect();
        assert_eq!(segments[3], wf.id, "{url}");
        assert_eq!(segments[6], signal.id, "{url}");
        assert_eq!(call[5], "Authorization: Bearer t0ken");
        let payload: serde_json::Value = serde_json::from_str(call.last().unwrap()).unwrap();
        let contract = signal.kind.signal().unwrap();
        assert_eq!(
            payload,
            flowcall::export::curl::example_payload(contract),
            "the payload reached curl unchanged"
        );
    }
}

#[test]
fn regression_bpmn_export_is_well_formed_xml_with_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_design(dir.path());
    let (xml, warnings) = export(&file, "bpmn");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "definitions");
    assert!(xml.contains('\u{FFFD}'));
    assert!(
        warnings.contains("characters that XML 1.0 cannot hold"),
        "{warnings}"
    );
    assert!(
        warnings.contains("/label"),
        "the warning names where: {warnings}"
    );
    // The texts XML can hold come back as they were written.
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("process"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert!(names.contains(&"$(touch PWNED)"), "{names:?}");
    assert!(
        names.contains(&"<tag attr=\"x\">&amp;</tag>]]>"),
        "{names:?}"
    );
}

/// The hostile design with the ids it had before issue 28 in its first workflow.
fn hostile_ids_design() -> Design {
    let mut design = hostile_design();
    if let Some(first) = design.workflows.first_mut() {
        first.id = "WKF0 '$(touch PWNED)'/<&>".into();
        if let Some(signal) = first.activities.first_mut() {
            signal.id = "sig`touch PWNED`0".into();
        }
    }
    design
}

/// Ids written to break out of a URL, a shell word, XML or `--signal` (the ids the hostile
/// design had before issue 28) are load errors that name the id, the character and a name to
/// rename it to; the file is left as it was.
#[test]
fn hostile_ids_are_load_errors_that_say_how_to_rename() {
    let dir = tempfile::tempdir().unwrap();
    let design = hostile_ids_design();
    let file = dir.path().join("ids.flow.ron");
    let text = flowcall::io::to_ron_string(&design).unwrap();
    std::fs::write(&file, &text).unwrap();
    for args in [
        vec!["export", file.to_str().unwrap(), "--format", "bpmn"],
        vec!["run", file.to_str().unwrap(), "--signal", "WKF0/sig"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_flowcall"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(
                "the workflow id \"WKF0 '$(touch PWNED)'/<&>\" holds the character ' ' (U+0020)"
            ),
            "{err}"
        );
        assert!(
            err.contains("rename it, e.g. to 'WKF0____touch_PWNED______'"),
            "{err}"
        );
        assert!(
            err.contains("the activity id \"sig`touch PWNED`0\" holds the character '`' (U+0060)"),
            "{err}"
        );
    }
    let o = Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(["check", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert!(!dir.path().join("PWNED").exists());
}

#[test]
fn every_export_of_the_hostile_design_is_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_design(dir.path());
    for format in ["json", "schema", "openapi"] {
        let (text, _) = export(&file, format);
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{format}: {e}"));
    }
    let o = Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(["check", &file.to_string_lossy()])
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(101), "check panicked");
}

use crate::designs;

use flowcall::export::Format;
use flowcall::sim::{Prepared, Simulator};
use proptest::prelude::*;
use std::sync::Arc;

/// A payload for a contract: each declared parameter with a value of any JSON type (extreme
/// numbers, hostile texts, nested values, null), some left out, and an undeclared one.
fn payload_values() -> impl Strategy<Value = Vec<serde_json::Value>> {
    prop::collection::vec(
        prop_oneof![
            designs::hostile_text().prop_map(serde_json::Value::String),
            any::<i64>().prop_map(serde_json::Value::from),
            Just(serde_json::json!(u64::MAX)),
            Just(serde_json::json!(1e308)),
            Just(serde_json::json!(-0.0)),
            any::<bool>().prop_map(serde_json::Value::Bool),
            Just(serde_json::Value::Null),
            Just(serde_json::json!({"nested": [1, 2]})),
            Just(serde_json::json!("2025-01-31")),
            Just(serde_json::json!("+262142-12-31T23:59:59Z")),
        ],
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any design (structurally sound or not, with hostile texts and extreme numbers) goes
    /// through `check`, a trigger of each signal with a generated payload run to the end, and
    /// every export without a panic; JSON exports parse, the BPMN is well-formed XML.
    #[test]
    fn generated_designs_check_simulate_and_export_without_panic(
        d in designs::design(),
        values in payload_values(),
    ) {
        let _ = flowcall::check::check(&d);
        let mut sim = Simulator::new(Arc::new(Prepared::new(d.clone()))).with_step_limit(500);
        sim.start_all();
        sim.run_to_end();
        for wf in &d.workflows {
            for (act, contract) in wf.signals() {
                let mut params = serde_json::Map::new();
                for (p, v) in contract.parameters.iter().zip(values.iter().cycle()) {
                    params.insert(p.name.clone(), v.clone());
                }
                params.insert("undeclared".into(), serde_json::json!(1));
                let payload = serde_json::json!({"source": "prop", "parameters": params});
                sim.trigger_json(&wf.id, &act.id, &payload);
                let example = flowcall::export::curl::example_payload(contract);
                sim.trigger_bytes(&wf.id, &act.id, example.to_string().as_bytes());
                sim.run_to_end();
                let _ = sim.advance_clock(u64::MAX);
                let _ = sim.advance_clock(3600);
            }
        }
        let _ = flowcall::sim::report::trace_json(&sim);
        for format in [Format::Json, Format::Schema, Format::Openapi, Format::Bpmn, Format::Curl] {
            let Ok(out) = flowcall::export::export(&d, format, None) else { continue };
            match format {
                Format::Bpmn => {
                    let parsed = roxmltree::Document::parse(&out.text);
                    prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), out.text);
                }
                Format::Curl => {
                    // The script runs in a real shell: one curl call per signal, nothing else.
                    let dir = tempfile::tempdir().unwrap();
                    let calls = run_with_fake_curl(dir.path(), &out.text);
                    let signals: usize = d.workflows.iter().map(|w| w.signals().count()).sum();
                    prop_assert_eq!(calls.len(), signals, "{}", out.text);
                    prop_assert!(!dir.path().join("PWNED").exists(), "{}", out.text);
                }
                _ => {
                    let parsed = serde_json::from_str::<serde_json::Value>(&out.text);
                    prop_assert!(parsed.is_ok(), "{}", out.text);
                }
            }
        }
    }
}

/// Writes the fuzz seeds of the loader (`fuzz/seeds/load`): the hostile design above and
/// designs at the limits the clock can hold. Run it after changing them:
/// `cargo test --test hostile write_fuzz_seeds -- --ignored`.
#[test]
#[ignore]
fn write_fuzz_seeds() {
    use flowcall::model::{Cooldown, MAX_DURATION_SECONDS, WaitSettings};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/load");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, d: &Design| {
        std::fs::write(dir.join(name), flowcall::io::to_ron_string(d).unwrap()).unwrap();
    };
    write("hostile.flow.ron", &hostile_design());
    write("hostile-ids.flow.ron", &hostile_ids_design());
    let mut limits = Design::default();
    limits.compatibility.trigger_cooldown = Cooldown::Seconds(MAX_DURATION_SECONDS);
    limits.sample.clock_start = "9999-12-31T23:59:59Z".parse().unwrap();
    let mut wf = Workflow::new("WKF1", "Waits as long as allowed, in a loop");
    wf.activities
        .push(Activity::new("signal1", "Signal", KindTag::ExternalSignal));
    let mut wait = Activity::new("wait1", "Wait", KindTag::Wait);
    wait.kind = ActivityKind::Wait(WaitSettings {
        seconds: MAX_DURATION_SECONDS,
    });
    wf.activities.push(wait);
    wf.activities
        .push(Activity::new("update1", "Update", KindTag::UpdateData));
    for (from, to) in [
        ("signal1", "wait1"),
        ("wait1", "update1"),
        ("update1", "wait1"),
    ] {
        wf.transitions.push(transition(from, to));
    }
    limits.workflows.push(wf);
    write("limits.flow.ron", &limits);
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cms-newsletter.flow.ron"),
    )
    .unwrap();
    std::fs::write(dir.join("bom.flow.ron"), format!("\u{feff}{example}")).unwrap();
    std::fs::write(dir.join("nested.flow.ron"), "(".repeat(2_000)).unwrap();
}
