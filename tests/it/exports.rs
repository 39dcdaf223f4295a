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
    "tests/exports/camunda.flow.ron",
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

/// The BPMN export of a design, parsed: (text, warnings).
fn bpmn_of(path: &str) -> (String, Vec<String>) {
    let design = io::load(Path::new(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let e = export(&design, Format::Bpmn, None).unwrap_or_else(|e| panic!("{path}: {e}"));
    (e.text, e.warnings)
}

fn zeebe<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.descendants().filter(move |n| {
        n.tag_name().name() == name
            && n.tag_name().namespace() == Some("http://camunda.org/schema/zeebe/1.0")
    })
}

#[test]
fn untranslatable_expressions_travel_as_task_headers_never_as_input_values() {
    for path in DESIGNS {
        let design = io::load(Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        let (text, warnings) = bpmn_of(path);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let headers: Vec<(&str, &str)> = zeebe(doc.root(), "header")
            .map(|h| {
                (
                    h.attribute("key").unwrap_or(""),
                    h.attribute("value").unwrap_or(""),
                )
            })
            .collect();
        // Every expression of the design either has a FEEL input (or condition) or is a header.
        for wf in &design.workflows {
            for act in &wf.activities {
                for (_, src) in act.kind.expression_fields() {
                    if src.trim().is_empty() {
                        continue;
                    }
                    // The flowcall text as a FEEL string literal: what the old export sent.
                    let literal = serde_json::Value::String(src.to_owned()).to_string();
                    for input in zeebe(doc.root(), "input") {
                        let source = input.attribute("source").unwrap_or("");
                        assert!(
                            !source.contains(&literal),
                            "{path}: {}/{}: the flowcall text travels as a value: {source}",
                            wf.id,
                            act.id
                        );
                    }
                }
            }
        }
        for w in &warnings {
            if let Some((_, src)) = w.split_once("(no input mapping): ") {
                assert!(
                    headers
                        .iter()
                        .any(|(k, v)| k.starts_with("flowcall.expression.") && *v == src),
                    "{path}: no header holds {src}: {headers:?}"
                );
            }
        }
    }
    let (_, warnings) = bpmn_of("tests/exports/camunda.flow.ron");
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
}

#[test]
fn each_trigger_is_published_with_a_key_of_its_own_carried_by_the_variables() {
    for path in DESIGNS {
        let (text, _) = bpmn_of(path);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        for s in zeebe(doc.root(), "subscription") {
            assert_eq!(
                s.attribute("correlationKey"),
                Some("=flowcallTriggerId"),
                "{path}"
            );
        }
        for start in doc
            .descendants()
            .filter(|n| n.tag_name().name() == "startEvent")
            .filter(|n| {
                n.descendants()
                    .any(|d| d.tag_name().name() == "messageEventDefinition")
            })
        {
            let outputs: Vec<&str> = zeebe(start, "output")
                .filter_map(|o| o.attribute("target"))
                .collect();
            assert!(
                outputs.ends_with(&["flowcallTriggerId", "flowcallSource"]),
                "{path}: {outputs:?}"
            );
        }
    }
}

#[test]
fn every_job_maps_back_the_variables_the_simulator_sets_and_fails_to_a_boundary_event() {
    let design =
        io::load(Path::new("tests/exports/camunda.flow.ron")).unwrap_or_else(|e| panic!("{e}"));
    let (text, _) = bpmn_of("tests/exports/camunda.flow.ron");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let by_id = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id));
    for wf in &design.workflows {
        for act in &wf.activities {
            let id = format!("{}_{}", wf.id, act.id);
            let Some(el) = by_id(&id) else {
                panic!("{id} is not exported")
            };
            if el.tag_name().name() != "serviceTask" {
                continue;
            }
            let outputs: Vec<&str> = zeebe(el, "output")
                .filter_map(|o| o.attribute("target"))
                .collect();
            let set: Vec<&str> = flowcall::check::variables_set_by(&act.kind)
                .iter()
                .map(|(n, _)| *n)
                .collect();
            assert_eq!(outputs, set, "{id}");
            let boundary = by_id(&format!("{id}_failed"))
                .unwrap_or_else(|| panic!("{id} has no boundary event"));
            assert_eq!(boundary.attribute("attachedToRef"), Some(id.as_str()));
            assert!(
                boundary
                    .descendants()
                    .any(|d| d.attribute("errorRef") == Some("Error_flowcall_activity_failed"))
            );
        }
    }
    let error = doc.descendants().find(|n| n.tag_name().name() == "error");
    assert_eq!(
        error.and_then(|e| e.attribute("errorCode")),
        Some("flowcall-activity-failed")
    );
}

#[test]
fn a_test_feel_cannot_express_is_evaluated_by_a_job_whose_result_the_gateway_reads() {
    let (text, warnings) = bpmn_of("tests/exports/camunda.flow.ron");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let task = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("ORDERS_test1_evaluate"))
        .unwrap_or_else(|| panic!("no evaluating task"));
    assert!(zeebe(task, "taskDefinition").any(|t| t.attribute("type") == Some("flowcall-test")));
    let into = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("Flow_ORDERS_7"))
        .and_then(|f| f.attribute("targetRef"));
    assert_eq!(
        into,
        Some("ORDERS_test1_evaluate"),
        "the join's flow enters the evaluating task"
    );
    let conditions: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "conditionExpression")
        .filter_map(|n| n.text().map(str::to_owned))
        .collect();
    assert!(
        conditions.contains(&"=flowcallTest_test1 = \"vip\"".to_owned()),
        "{conditions:?}"
    );
    assert!(
        conditions.contains(&"=flowcallTest_test1 = \"many\"".to_owned()),
        "{conditions:?}"
    );
    // The other Test translates: its second condition holds only when the first does not.
    assert!(
        conditions.contains(&"=(recCount >= 1) = true and not((recCount >= 4) = true)".to_owned()),
        "{conditions:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("ORDERS/test1 condition vip")),
        "{warnings:?}"
    );
}
