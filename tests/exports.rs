//! Exports: snapshots of every export of every example, determinism, the shipped JSON Schema of
//! the design document, JSON design files, and the `export` command.

use flowcall::export::{Format, export};
use flowcall::io;
use std::path::Path;
use std::process::Command;

const DESIGNS: &[&str] = &[
    "examples/cms-newsletter.flow.ron",
    "examples/file-to-audience.flow.ron",
    "tests/exports/all-kinds.flow.ron",
];

const FORMATS: &[(Format, &str)] = &[
    (Format::Json, "json"),
    (Format::Schema, "schema"),
    (Format::Openapi, "openapi"),
    (Format::Bpmn, "bpmn"),
    (Format::Curl, "curl"),
];

fn stem(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().trim_end_matches(".flow.ron").to_owned())
        .unwrap_or_default()
}

#[test]
fn every_export_of_every_design_matches_its_snapshot_and_is_deterministic() {
    for path in DESIGNS {
        let design = io::load(Path::new(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        for (format, name) in FORMATS {
            let a = export(&design, *format, None).unwrap_or_else(|e| panic!("{path} {name}: {e}"));
            let b = export(&design.clone(), *format, None).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(a, b, "{path} {name} is not deterministic");
            let mut text = a.text.clone();
            if !a.warnings.is_empty() {
                text.push_str("\n--- warnings ---\n");
                text.push_str(&a.warnings.join("\n"));
            }
            insta::assert_snapshot!(format!("export_{}_{name}", stem(path)), text);
        }
    }
}

#[test]
fn json_export_loads_back_equal_and_is_checked_like_ron() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for path in DESIGNS {
        let design = io::load(Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        let json = io::to_json_string(&design).unwrap_or_default();
        let back = io::load_json_str(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(back, design, "{path}");
        let file = dir.path().join(format!("{}.json", stem(path)));
        std::fs::write(&file, &json).unwrap_or_else(|e| panic!("{e}"));
        let o = Command::new(env!("CARGO_BIN_EXE_flowcall"))
            .args(["check", &file.to_string_lossy()])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    let bad = io::load_json_str("{\"format_version\": 1, \"workflows\": [{\"id\": 3}]}");
    let msg = bad.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.starts_with("line 1, column "), "{msg}");
    let newer = io::load_json_str("{\"format_version\": 9}")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(newer.contains("newer than this flowcall"), "{newer}");
}

#[test]
fn the_shipped_design_schema_is_current_and_validates_every_json_export() {
    let generated = io::document_schema();
    let path = "assets/flowcall-design.schema.json";
    if std::env::var_os("FLOWCALL_BLESS").is_some() {
        std::fs::write(path, &generated).unwrap_or_else(|e| panic!("{e}"));
    }
    let shipped = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        shipped, generated,
        "{path} is stale: run FLOWCALL_BLESS=1 cargo test --test exports"
    );
    let schema: serde_json::Value = serde_json::from_str(&shipped).unwrap_or_default();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{e}"));
    for path in DESIGNS {
        let design = io::load(Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        let doc: serde_json::Value =
            serde_json::from_str(&io::to_json_string(&design).unwrap_or_default())
                .unwrap_or_default();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        let mut broken = doc.clone();
        broken["workflows"][0]["activities"][0]["kind"] = serde_json::json!({"Teleport": null});
        assert!(
            !validator.is_valid(&broken),
            "the schema must refuse an unknown kind"
        );
    }
}

#[test]
fn export_command_writes_files_and_refuses_unknown_signals() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("schema.json");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_flowcall"))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let o = run(&[
        "export",
        "examples/file-to-audience.flow.ron",
        "--format",
        "schema",
        "--signal",
        "WKF2/signal1",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        schema["properties"]["parameters"]["required"],
        serde_json::json!(["audienceToTarget", "discountDesc"])
    );
    let o = run(&[
        "export",
        "examples/file-to-audience.flow.ron",
        "--format",
        "curl",
        "--signal",
        "WKF2/signal9",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("workflow 'WKF2' has no External signal 'signal9' (its signals: signal1)")
    );
    let o = run(&[
        "export",
        "examples/file-to-audience.flow.ron",
        "--format",
        "bpmn",
        "--signal",
        "WKF2/signal1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "export",
        "examples/file-to-audience.flow.ron",
        "--format",
        "bpmn",
    ]);
    assert_eq!(o.status.code(), Some(0));
    // `FileName` and a `DateFormat` of the documented fields now translate to FEEL: no warning.
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("warning:"), "{stderr}");
    let bpmn = String::from_utf8_lossy(&o.stdout);
    assert!(bpmn.is_empty() || !bpmn.contains("DateFormat("), "{bpmn}");
}
