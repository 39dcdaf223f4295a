//! Hostile designs: labels, ids and values written to break out of the exports (shell
//! injection through the curl script, characters XML cannot hold in the BPMN). The real binary
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

/// A design whose every label, many ids, parameter values and an End trigger's parameter
/// carry hostile texts. It passes the loader's structural rules (ids have no control
/// characters).
fn hostile_design() -> Design {
    let mut design = Design::default();
    for (w, text) in HOSTILE.iter().enumerate() {
        let id = format!("WKF{w} '$(touch PWNED)'/<&>");
        let mut wf = Workflow::new(id.clone(), *text);
        let mut signal = Activity::new(
            format!("sig`touch PWNED`{w}"),
            *text,
            KindTag::ExternalSignal,
        );
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
