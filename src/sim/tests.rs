//! Unit tests of the simulator: each trigger rule of docs/CONTRACT.md and each activity of
//! docs/SIMULATOR.md, on designs built in code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::model::*;
use std::collections::BTreeMap;
use std::sync::Arc;

fn act(id: &str, kind: ActivityKind) -> Activity {
    Activity {
        id: id.into(),
        label: String::new(),
        position: Position::default(),
        kind,
        options: Default::default(),
    }
}

fn tr(from: &str, to: &str) -> Transition {
    Transition {
        from: from.into(),
        port: Port::Out,
        to: to.into(),
    }
}

fn trp(from: &str, port: Port, to: &str) -> Transition {
    Transition {
        from: from.into(),
        port,
        to: to.into(),
    }
}

fn signal(params: Vec<Parameter>, conversion: ConversionPolicy) -> ActivityKind {
    ActivityKind::ExternalSignal(SignalContract {
        parameters: params,
        conversion,
    })
}

fn end() -> ActivityKind {
    ActivityKind::End(EndSettings::default())
}

fn sample() -> SampleData {
    let mut s = SampleData {
        profiles: Table {
            columns: vec![
                Column {
                    name: "email".into(),
                    ty: Type::String,
                },
                Column {
                    name: "country".into(),
                    ty: Type::String,
                },
                Column {
                    name: "points".into(),
                    ty: Type::Integer,
                },
            ],
            rows: vec![
                vec!["a@x.com".into(), "FR".into(), "10".into()],
                vec!["b@x.com".into(), "BR".into(), "500".into()],
                vec!["c@x.com".into(), "FR".into(), "900".into()],
            ],
        },
        ..SampleData::default()
    };
    s.audiences
        .insert("Gold".into(), vec!["b@x.com".into(), "c@x.com".into()]);
    s.files.insert(
        "/in/a_1.csv".into(),
        "email,name\nz@x.com,Zed\ny@x.com,Y\n".into(),
    );
    s.files
        .insert("/in/a_2.csv".into(), "email,name\nq@x.com,Q\n".into());
    s.files.insert("/in/other.txt".into(), "x\n1\n".into());
    s
}

fn design(workflows: Vec<Workflow>) -> Arc<Prepared> {
    Arc::new(Prepared::new(Design {
        compatibility: Compatibility {
            trigger_cooldown: Cooldown::Off,
        },
        workflows,
        sample: sample(),
        scenarios: Vec::new(),
    }))
}

fn wf(id: &str, activities: Vec<Activity>, transitions: Vec<Transition>) -> Workflow {
    Workflow {
        id: id.into(),
        label: String::new(),
        activities,
        transitions,
        consecutive_errors: 0,
    }
}

/// A workflow `signal1 -> end1` with the given parameters.
fn contract_design(params: Vec<Parameter>, conversion: ConversionPolicy) -> Arc<Prepared> {
    design(vec![wf(
        "WKF1",
        vec![
            act("signal1", signal(params, conversion)),
            act("end1", end()),
        ],
        vec![tr("signal1", "end1")],
    )])
}

fn started(p: &Arc<Prepared>) -> Simulator {
    let mut sim = Simulator::new(p.clone());
    sim.start_all();
    sim
}

fn trigger(sim: &mut Simulator, payload: &str) -> TriggerOutcome {
    sim.trigger_bytes("WKF1", "signal1", payload.as_bytes())
}

fn messages(o: &TriggerOutcome) -> Vec<String> {
    o.errors().iter().map(|e| e.message.clone()).collect()
}

fn var(sim: &Simulator, run: RunId, name: &str) -> Option<Value> {
    sim.run(run)?.variable(name).map(|v| v.value.clone())
}

fn p(name: &str, ty: Type) -> Parameter {
    Parameter::new(name, ty)
}

// ---- Triggering and validation (docs/CONTRACT.md) ----

#[test]
fn source_is_mandatory_and_non_empty() {
    let d = contract_design(vec![], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    let o = trigger(&mut sim, r#"{"parameters": {}}"#);
    assert_eq!(o.errors().len(), 1);
    assert_eq!(o.errors()[0].parameter, None);
    assert!(messages(&o)[0].contains("'source' is missing"));
    let o = trigger(&mut sim, r#"{"source": ""}"#);
    assert!(messages(&o)[0].contains("empty"));
    let o = trigger(&mut sim, r#"{"source": 42}"#);
    assert!(messages(&o)[0].contains("must be a string, received 42 (number)"));
    assert!(trigger(&mut sim, r#"{"source": "cms"}"#).accepted());
}

#[test]
fn parameters_must_be_a_flat_object() {
    let d = contract_design(vec![p("a", Type::String)], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    let o = trigger(&mut sim, r#"{"source": "x", "parameters": [1]}"#);
    assert!(messages(&o)[0].contains("'parameters' must be an object"));
    let o = trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"a": {"b": 1}}}"#,
    );
    assert_eq!(o.errors()[0].parameter.as_deref(), Some("a"));
    assert!(messages(&o)[0].contains("nested objects and arrays are not allowed"));
    let o = trigger(&mut sim, r#"{"source": "x", "parameters": {"a": [1]}}"#);
    assert!(messages(&o)[0].contains("received [1] (array)"));
}

#[test]
fn payload_over_64_kib_is_rejected_before_parsing() {
    let d = contract_design(vec![p("a", Type::String)], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    let big = format!(
        r#"{{"source": "x", "parameters": {{"a": "{}"}}}}"#,
        "y".repeat(70_000)
    );
    let o = trigger(&mut sim, &big);
    assert_eq!(o.errors().len(), 1);
    assert!(messages(&o)[0].contains("the limit is 65536 bytes (64 KiB)"));
    // Malformed but too large: the size is reported, not the JSON.
    let o = trigger(&mut sim, &"{".repeat(MAX_LIMIT + 1));
    assert!(messages(&o)[0].contains("64 KiB"));
}

const MAX_LIMIT: usize = trigger::MAX_PAYLOAD_BYTES;

#[test]
fn malformed_json_gives_line_and_column() {
    let mut req = p("req", Type::String);
    req.required = true;
    let d = contract_design(vec![req], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    let o = trigger(&mut sim, "{\"source\": \"x\",\n  \"parameters\": {,}}");
    assert_eq!(
        o.errors().len(),
        1,
        "only the JSON problem: {:?}",
        messages(&o)
    );
    assert!(
        messages(&o)[0].starts_with("malformed JSON at line 2, column 18"),
        "{:?}",
        messages(&o)
    );
}

#[test]
fn undeclared_parameter_is_named() {
    let d = contract_design(vec![p("audience", Type::String)], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    let o = trigger(
        &mut sim,
        r#"{"source": "cms", "parameters": {"contentURL": "u"}}"#,
    );
    assert_eq!(
        messages(&o),
        vec!["'contentURL' is not declared by signal 'signal1' of workflow 'WKF1'"]
    );
    assert_eq!(o.errors()[0].parameter.as_deref(), Some("contentURL"));
    assert!(sim.runs().is_empty(), "nothing runs");
}

#[test]
fn all_problems_are_reported_together() {
    let mut req = p("req", Type::String);
    req.required = true;
    let d = contract_design(vec![req, p("n", Type::Integer)], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    let o = trigger(&mut sim, r#"{"parameters": {"n": "abc", "zz": 1}}"#);
    let params: Vec<Option<String>> = o.errors().iter().map(|e| e.parameter.clone()).collect();
    assert_eq!(params.len(), 4, "{:?}", messages(&o));
    assert!(params.contains(&None));
    assert!(params.contains(&Some("zz".into())));
    assert!(params.contains(&Some("req".into())));
    assert!(messages(&o).contains(&"'n': expected Integer, received \"abc\" (string)".to_owned()));
    assert!(messages(&o).contains(
        &"'req' is required by signal 'signal1' of workflow 'WKF1' but was not passed".to_owned()
    ));
}

#[test]
fn lenient_converts_strings_and_records_it() {
    let d = contract_design(
        vec![
            p("n", Type::Integer),
            p("b", Type::Boolean),
            p("d", Type::Decimal),
            p("t", Type::DateTime),
            p("s", Type::String),
        ],
        ConversionPolicy::Lenient,
    );
    let mut sim = started(&d);
    let o = trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"n": "7", "b": "true", "d": 3, "t": "2019-04-03 08:17:19.100Z", "s": 12}}"#,
    );
    let TriggerOutcome::Started(id) = o else {
        panic!("{o:?}")
    };
    assert_eq!(var(&sim, id, "n"), Some(Value::Integer(7)));
    assert_eq!(var(&sim, id, "b"), Some(Value::Boolean(true)));
    assert_eq!(var(&sim, id, "d"), Some(Value::Decimal(3.0)));
    assert_eq!(var(&sim, id, "s"), Some(Value::String("12".into())));
    let run = sim.run(id).unwrap();
    let conv: Vec<&str> = run.conversions.iter().map(|c| c.message.as_str()).collect();
    assert_eq!(
        conv,
        vec![
            "received \"7\" (string), converted to 7 (Integer)",
            "received \"true\" (string), converted to true (Boolean)",
            "received 12 (number), converted to 12 (String)",
        ]
    );
    assert_eq!(
        run.variable("n").unwrap().origin,
        Origin::Converted {
            from: "\"7\"".into(),
            from_type: "string".into()
        }
    );
    assert_eq!(run.variable("t").unwrap().origin, Origin::Parameter);
}

#[test]
fn strict_requires_matching_json_types() {
    let d = contract_design(
        vec![
            p("n", Type::Integer),
            p("d", Type::Decimal),
            p("day", Type::Date),
            p("s", Type::String),
        ],
        ConversionPolicy::Strict,
    );
    let mut sim = started(&d);
    let o = trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"n": "7", "s": 1, "day": "2024-02-30"}}"#,
    );
    let m = messages(&o);
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m[0].contains("'n': expected Integer, received \"7\" (string)"));
    assert!(m[0].contains("Strict"));
    assert!(m[1].contains("'day': expected Date (like 2024-03-31), received \"2024-02-30\""));
    assert!(m[2].contains("'s': expected String, received 1 (number)"));
    let o = trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"n": 7, "d": 2, "day": "2024-02-29", "s": "t"}}"#,
    );
    let TriggerOutcome::Started(id) = o else {
        panic!("{o:?}")
    };
    assert!(sim.run(id).unwrap().conversions.is_empty());
    assert_eq!(var(&sim, id, "d"), Some(Value::Decimal(2.0)));
    // A decimal number never fits an Integer.
    let o = trigger(&mut sim, r#"{"source": "x", "parameters": {"n": 7.5}}"#);
    assert!(messages(&o)[0].contains("received 7.5 (number)"));
}

#[test]
fn defaults_null_and_absent_optional() {
    let mut t = p("template", Type::String);
    t.default = Some(Value::String("std".into()));
    let d = contract_design(vec![t, p("opt", Type::Integer)], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    let o = trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"template": null}}"#,
    );
    let TriggerOutcome::Started(id) = o else {
        panic!("{o:?}")
    };
    let run = sim.run(id).unwrap();
    assert_eq!(run.variable("template").unwrap().origin, Origin::Default);
    assert_eq!(var(&sim, id, "template"), Some(Value::String("std".into())));
    assert!(run.variable("opt").is_none(), "absent, so IsNull is true");
}

#[test]
fn allowed_values_are_checked_after_conversion() {
    let mut n = p("n", Type::Integer);
    n.allowed = vec![Value::Integer(1), Value::Integer(2)];
    let d = contract_design(vec![n], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    assert!(trigger(&mut sim, r#"{"source": "x", "parameters": {"n": "2"}}"#).accepted());
    let o = trigger(&mut sim, r#"{"source": "x", "parameters": {"n": 3}}"#);
    assert_eq!(
        messages(&o),
        vec!["'n': 3 is not one of the allowed values (1, 2)"]
    );
}

#[test]
fn workflow_states_gate_triggers() {
    let d = contract_design(vec![], ConversionPolicy::Lenient);
    let mut sim = Simulator::new(d.clone());
    let o = trigger(&mut sim, r#"{"source": "x"}"#);
    assert!(messages(&o)[0].contains("is not started"));
    sim.start("WKF1").unwrap();
    sim.pause("WKF1").unwrap();
    assert_eq!(
        trigger(&mut sim, r#"{"source": "first"}"#),
        TriggerOutcome::Queued
    );
    assert_eq!(
        trigger(&mut sim, r#"{"source": "second"}"#),
        TriggerOutcome::Queued
    );
    assert_eq!(sim.held_triggers("WKF1").len(), 2);
    assert!(sim.runs().is_empty());
    sim.resume("WKF1").unwrap();
    let sources: Vec<&str> = sim.runs().iter().map(|r| r.source.as_str()).collect();
    assert_eq!(sources, vec!["first", "second"]);
    sim.run_to_end();
    assert!(sim.runs().iter().all(|r| r.status == RunStatus::Finished));
    sim.stop("WKF1").unwrap();
    let o = trigger(&mut sim, r#"{"source": "x"}"#);
    assert!(messages(&o)[0].contains("is stopped"));
    let e = sim.resume("WKF1").unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot resume workflow 'WKF1': it is stopped (start or restart it)"
    );
    assert!(sim.pause("NOPE").is_err());
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Stopped));
}

#[test]
fn cooldown_on_the_virtual_clock() {
    let mut design = contract_design(vec![], ConversionPolicy::Lenient)
        .design
        .clone();
    design.compatibility.trigger_cooldown = Cooldown::Seconds(600);
    let d = Arc::new(Prepared::new(design));
    let mut sim = started(&d);
    assert!(trigger(&mut sim, r#"{"source": "x"}"#).accepted());
    sim.advance_clock(60).unwrap();
    let o = trigger(&mut sim, r#"{"source": "x"}"#);
    assert_eq!(
        messages(&o),
        vec![
            "too soon: signal 'signal1' of workflow 'WKF1' was triggered at 2025-01-06 09:00:00.000Z; next allowed at 2025-01-06 09:10:00.000Z"
        ]
    );
    sim.advance_clock(540).unwrap();
    assert!(trigger(&mut sim, r#"{"source": "x"}"#).accepted());
    // A fresh simulator has its own cooldown.
    let mut other = started(&d);
    assert!(trigger(&mut other, r#"{"source": "x"}"#).accepted());
}

#[test]
fn form_and_json_sources_use_the_same_validation() {
    let d = contract_design(vec![p("n", Type::Integer)], ConversionPolicy::Strict);
    let mut sim = started(&d);
    let o = sim.trigger_values(
        "WKF1",
        "signal1",
        "form",
        &[("n".into(), Value::String("x".into()))],
    );
    assert!(messages(&o)[0].contains("'n': expected Integer"));
    let o = sim.trigger_json(
        "WKF1",
        "signal1",
        &serde_json::json!({"source": "scenario", "parameters": {"n": 1}}),
    );
    assert!(o.accepted());
    let o = sim.trigger_bytes("WKF9", "signal1", br#"{"source": "x"}"#);
    assert_eq!(messages(&o), vec!["workflow 'WKF9' does not exist"]);
    let o = sim.trigger_bytes("WKF1", "end1", br#"{"source": "x"}"#);
    assert_eq!(
        messages(&o),
        vec!["'end1' is not an External signal of workflow 'WKF1'"]
    );
}

// ---- Activities (docs/SIMULATOR.md) ----

fn linear(activities: Vec<Activity>) -> Arc<Prepared> {
    let ids: Vec<String> = activities.iter().map(|a| a.id.clone()).collect();
    let transitions = ids.windows(2).map(|w| tr(&w[0], &w[1])).collect();
    design(vec![wf("WKF1", activities, transitions)])
}

fn run_one(d: &Arc<Prepared>, payload: &str) -> (Simulator, RunId) {
    let mut sim = started(d);
    let o = trigger(&mut sim, payload);
    let TriggerOutcome::Started(id) = o else {
        panic!("{o:?}")
    };
    assert_eq!(sim.run_to_end(), Stop::Idle);
    (sim, id)
}

fn visit<'a>(sim: &'a Simulator, activity: &str) -> &'a Visit {
    sim.trace()
        .iter()
        .find(|v| v.activity == activity)
        .unwrap_or_else(|| panic!("{activity} not visited"))
}

fn setting<'a>(v: &'a Visit, name: &str) -> Option<&'a str> {
    v.settings
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.as_str())
}

fn sig(params: &[(&str, Type)]) -> Activity {
    act(
        "signal1",
        signal(
            params.iter().map(|(n, t)| p(n, *t)).collect(),
            ConversionPolicy::Lenient,
        ),
    )
}

#[test]
fn query_filters_profiles() {
    let d = linear(vec![
        sig(&[("c", Type::String)]),
        act(
            "query1",
            ActivityKind::Query(QuerySettings {
                filter: "@country = $(vars/@c)".into(),
                segment_code: String::new(),
            }),
        ),
        act("query2", ActivityKind::Query(QuerySettings::default())),
        act("end1", end()),
    ]);
    let (sim, id) = run_one(&d, r#"{"source": "x", "parameters": {"c": "FR"}}"#);
    let v = visit(&sim, "query1");
    assert_eq!((v.count_in, v.count_out), (0, Some(2)));
    assert_eq!(visit(&sim, "query2").count_out, Some(3));
    assert_eq!(var(&sim, id, "recCount"), Some(Value::Integer(3)));
    let run = sim.run(id).unwrap();
    assert_eq!(
        run.variable("recCount").unwrap().origin,
        Origin::SetBy {
            activity: "query2".into()
        }
    );
    let changes: Vec<(&str, &str)> = run
        .changes
        .iter()
        .map(|c| (c.activity.as_str(), c.name.as_str()))
        .collect();
    assert_eq!(
        changes,
        vec![("query1", "recCount"), ("query2", "recCount")]
    );
    assert_eq!(run.path, vec!["signal1", "query1", "query2", "end1"]);
}

#[test]
fn read_and_save_audience() {
    let d = linear(vec![
        sig(&[("aud", Type::String)]),
        act(
            "read1",
            ActivityKind::ReadAudience(ReadAudienceSettings {
                audience: "$(vars/@aud)".into(),
                segment_code: "'SEG'".into(),
            }),
        ),
        act(
            "save1",
            ActivityKind::SaveAudience(SaveAudienceSettings {
                label: "'Copy of ' + $(vars/@aud)".into(),
            }),
        ),
        act(
            "read2",
            ActivityKind::ReadAudience(ReadAudienceSettings {
                audience: "'Copy of Gold'".into(),
                segment_code: String::new(),
            }),
        ),
        act("end1", end()),
    ]);
    let (sim, id) = run_one(&d, r#"{"source": "x", "parameters": {"aud": "Gold"}}"#);
    let v = visit(&sim, "read1");
    assert_eq!(setting(v, "audience"), Some("Gold"));
    assert_eq!(setting(v, "segment_code"), Some("SEG"));
    assert_eq!(v.count_out, Some(2));
    assert_eq!(setting(visit(&sim, "save1"), "label"), Some("Copy of Gold"));
    assert_eq!(
        sim.run(id).unwrap().saved_audiences,
        vec![("Copy of Gold".to_owned(), 2)]
    );
    let r2 = visit(&sim, "read2");
    assert_eq!(r2.count_out, Some(2));
    assert_eq!(setting(r2, "from"), Some("saved in this simulation"));
    assert_eq!(sim.saved_audiences().len(), 1);

    // An unknown audience is a run error naming it.
    let mut sim = started(&d);
    trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"aud": "Nope"}}"#,
    );
    sim.run_to_end();
    let run = &sim.runs()[0];
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(
        run.errors[0].message,
        "audience 'Nope' does not exist (known audiences: Gold)"
    );
    assert_eq!(run.errors[0].activity, "read1");
    assert!(run.ends.is_empty());
}

fn file_design() -> Arc<Prepared> {
    linear(vec![
        sig(&[("f", Type::String)]),
        act(
            "transfer1",
            ActivityKind::TransferFile(TransferFileSettings {
                path: "'/in/' + $(vars/@f)".into(),
            }),
        ),
        act("load1", ActivityKind::LoadFile),
        act(
            "update1",
            ActivityKind::UpdateData(UpdateDataSettings {
                operation: UpdateOperation::Insert,
            }),
        ),
        act("end1", end()),
    ])
}

#[test]
fn transfer_file_matches_wildcards_and_load_file_parses_csv() {
    let d = file_design();
    let (sim, id) = run_one(&d, r#"{"source": "x", "parameters": {"f": "a_?.csv"}}"#);
    let t = visit(&sim, "transfer1");
    assert_eq!(setting(t, "path"), Some("/in/a_?.csv"));
    assert_eq!(setting(t, "matched"), Some("/in/a_1.csv,/in/a_2.csv"));
    assert_eq!(
        var(&sim, id, "fileName"),
        Some(Value::String("/in/a_1.csv".into()))
    );
    assert_eq!(var(&sim, id, "filesCount"), Some(Value::Integer(2)));
    assert_eq!(
        var(&sim, id, "filenames"),
        Some(Value::String("/in/a_1.csv,/in/a_2.csv".into()))
    );
    let l = visit(&sim, "load1");
    assert_eq!(setting(l, "file"), Some("/in/a_1.csv"));
    assert_eq!(l.count_out, Some(2));
    assert_eq!(
        var(&sim, id, "filename"),
        Some(Value::String("/in/a_1.csv".into()))
    );
    assert_eq!(var(&sim, id, "recCount"), Some(Value::Integer(2)));
    let u = visit(&sim, "update1");
    assert_eq!(setting(u, "operation"), Some("Insert"));
    assert_eq!((u.count_in, u.count_out), (2, Some(2)));

    let (sim, _) = run_one(&d, r#"{"source": "x", "parameters": {"f": "*.txt"}}"#);
    assert_eq!(visit(&sim, "load1").count_out, Some(1));

    let mut sim = started(&d);
    trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"f": "b*.csv"}}"#,
    );
    sim.run_to_end();
    assert_eq!(
        sim.runs()[0].errors[0].message,
        "no file in the file store matches '/in/b*.csv'"
    );
}

#[test]
fn a_path_matched_again_sees_the_file_store_of_an_adopted_edit() {
    // A session remembers what each Transfer file path matched; an edit that adds a stored
    // file must be seen by the next visit.
    let d = file_design();
    let mut sim = started(&d);
    let payload = r#"{"source": "x", "parameters": {"f": "c_*.csv"}}"#;
    trigger(&mut sim, payload);
    sim.run_to_end();
    assert_eq!(
        sim.runs()[0].errors[0].message,
        "no file in the file store matches '/in/c_*.csv'"
    );
    let mut edited = d.design.clone();
    edited
        .sample
        .files
        .insert("/in/c_1.csv".into(), "email\nw@x.com\n".into());
    sim.adopt(Arc::new(Prepared::new(edited))).unwrap();
    trigger(&mut sim, payload);
    sim.run_to_end();
    let second = &sim.runs()[1];
    assert_eq!(second.status, RunStatus::Finished, "{:?}", second.errors);
    assert_eq!(
        var(&sim, second.id, "fileName"),
        Some(Value::String("/in/c_1.csv".into()))
    );
}

#[test]
fn regression_the_files_a_transfer_matched_reach_every_branch_after_it() {
    // The last visit a branch sends takes the transferred files itself, the others share
    // them: every Load file after a Fork, on either branch and each target of one, finds them.
    let d = design(vec![wf(
        "WKF1",
        vec![
            sig(&[("f", Type::String)]),
            act(
                "transfer1",
                ActivityKind::TransferFile(TransferFileSettings {
                    path: "'/in/' + $(vars/@f)".into(),
                }),
            ),
            act(
                "fork1",
                ActivityKind::Fork(ForkSettings {
                    branches: vec!["a".into(), "b".into()],
                }),
            ),
            act("loadA", ActivityKind::LoadFile),
            act("loadB", ActivityKind::LoadFile),
            act("loadC", ActivityKind::LoadFile),
        ],
        vec![
            tr("signal1", "transfer1"),
            tr("transfer1", "fork1"),
            trp("fork1", Port::Branch("a".into()), "loadA"),
            trp("fork1", Port::Branch("b".into()), "loadB"),
            trp("fork1", Port::Branch("b".into()), "loadC"),
        ],
    )]);
    let (sim, id) = run_one(&d, r#"{"source": "x", "parameters": {"f": "a_?.csv"}}"#);
    let run = sim.run(id).unwrap();
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    for load in ["loadA", "loadB", "loadC"] {
        let l = visit(&sim, load);
        assert_eq!(setting(l, "file"), Some("/in/a_1.csv"), "{load}");
        assert_eq!(l.count_out, Some(2), "{load}");
    }
}

#[test]
fn load_file_without_transfer_is_an_error() {
    let d = linear(vec![
        sig(&[]),
        act("load1", ActivityKind::LoadFile),
        act("end1", end()),
    ]);
    let mut sim = started(&d);
    trigger(&mut sim, r#"{"source": "x"}"#);
    sim.run_to_end();
    assert!(
        sim.runs()[0].errors[0]
            .message
            .contains("no file was transferred")
    );
}

fn test_design(default_transition: bool) -> Arc<Prepared> {
    design(vec![wf(
        "WKF1",
        vec![
            sig(&[("n", Type::Integer)]),
            act(
                "test1",
                ActivityKind::Test(TestSettings {
                    conditions: vec![
                        Condition {
                            id: "big".into(),
                            label: String::new(),
                            expression: "$long(vars/@n) > 100".into(),
                        },
                        Condition {
                            id: "positive".into(),
                            label: String::new(),
                            expression: "$long(vars/@n) > 0".into(),
                        },
                    ],
                    default_transition,
                }),
            ),
            act("endBig", end()),
            act("endPos", end()),
            act("endDefault", end()),
        ],
        vec![
            tr("signal1", "test1"),
            trp("test1", Port::Condition("big".into()), "endBig"),
            trp("test1", Port::Condition("positive".into()), "endPos"),
            trp("test1", Port::Default, "endDefault"),
        ],
    )])
}

#[test]
fn test_picks_first_true_condition_or_default() {
    let d = test_design(true);
    for (n, end) in [("500", "endBig"), ("5", "endPos"), ("-1", "endDefault")] {
        let (sim, id) = run_one(
            &d,
            &format!(r#"{{"source": "x", "parameters": {{"n": {n}}}}}"#),
        );
        let run = sim.run(id).unwrap();
        assert_eq!(run.ends[0].activity, end);
        assert_eq!(run.status, RunStatus::Finished);
    }
    let (sim, _) = run_one(&d, r#"{"source": "x", "parameters": {"n": 500}}"#);
    assert_eq!(
        visit(&sim, "test1").ports,
        vec![Port::Condition("big".into())]
    );
    // Without a default, no match ends the branch with a warning.
    let d = test_design(false);
    let (sim, id) = run_one(&d, r#"{"source": "x", "parameters": {"n": -1}}"#);
    let run = sim.run(id).unwrap();
    assert!(run.ends.is_empty());
    assert_eq!(run.status, RunStatus::Finished);
    assert!(run.warnings[0].contains("no condition of test 'test1' held"));
}

fn fork_design(wait_a: u64) -> Arc<Prepared> {
    design(vec![wf(
        "WKF1",
        vec![
            sig(&[]),
            act("query1", ActivityKind::Query(QuerySettings::default())),
            act(
                "fork1",
                ActivityKind::Fork(ForkSettings {
                    branches: vec!["a".into(), "b".into()],
                }),
            ),
            act(
                "wait1",
                ActivityKind::Wait(WaitSettings { seconds: wait_a }),
            ),
            act(
                "query2",
                ActivityKind::Query(QuerySettings {
                    filter: "@country = 'FR'".into(),
                    segment_code: String::new(),
                }),
            ),
            act("join1", ActivityKind::AndJoin),
            act("end1", end()),
        ],
        vec![
            tr("signal1", "query1"),
            tr("query1", "fork1"),
            trp("fork1", Port::Branch("a".into()), "wait1"),
            trp("fork1", Port::Branch("b".into()), "query2"),
            tr("wait1", "join1"),
            tr("query2", "join1"),
            tr("join1", "end1"),
        ],
    )])
}

#[test]
fn fork_join_and_wait() {
    let d = fork_design(3600);
    let (sim, id) = run_one(&d, r#"{"source": "x"}"#);
    let run = sim.run(id).unwrap();
    assert_eq!(run.status, RunStatus::Finished);
    assert_eq!(run.ends.len(), 1, "the join continues once");
    let joins: Vec<&Visit> = sim
        .trace()
        .iter()
        .filter(|v| v.activity == "join1")
        .collect();
    assert_eq!(joins.len(), 2);
    assert_eq!(joins[0].count_out, None);
    assert!(joins[0].notes[0].contains("1 of 2"));
    assert_eq!(joins[1].count_out, Some(3), "union of both branches");
    assert_eq!(sim.clock().to_string(), "2025-01-06T10:00:00Z");
    assert_eq!(visit(&sim, "end1").at.to_string(), "2025-01-06T10:00:00Z");
    assert_eq!(
        setting(visit(&sim, "wait1"), "until"),
        Some("2025-01-06 10:00:00.000Z")
    );
    assert_eq!(
        visit(&sim, "fork1").ports,
        vec![Port::Branch("a".into()), Port::Branch("b".into())]
    );
}

#[test]
fn email_delivery_records_the_outbox() {
    let d = linear(vec![
        sig(&[("subject", Type::String)]),
        act(
            "query1",
            ActivityKind::Query(QuerySettings {
                filter: "@points > 100".into(),
                segment_code: String::new(),
            }),
        ),
        act(
            "email1",
            ActivityKind::EmailDelivery(EmailSettings {
                label: "'News: ' + $(vars/@subject)".into(),
                template: "'tpl'".into(),
                parameters: vec![NamedExpression {
                    name: "count".into(),
                    expression: "$long(vars/@recCount)".into(),
                }],
            }),
        ),
        act("end1", end()),
    ]);
    let (sim, _) = run_one(&d, r#"{"source": "x", "parameters": {"subject": "Hi"}}"#);
    let o = &sim.outbox()[0];
    assert_eq!(o.recipients, 2);
    assert_eq!(o.sample, vec!["b@x.com", "c@x.com"]);
    assert_eq!(o.label, "News: Hi");
    assert_eq!(o.template, "tpl");
    assert_eq!(o.parameters, vec![("count".to_owned(), "2".to_owned())]);
    assert_eq!(setting(visit(&sim, "email1"), "parameter:count"), Some("2"));
}

fn chain_design(second_required: bool) -> Arc<Prepared> {
    let mut target = p("who", Type::String);
    target.required = second_required;
    let mut extra = p("must", Type::Integer);
    extra.required = second_required;
    design(vec![
        wf(
            "WKF1",
            vec![
                sig(&[("name", Type::String)]),
                act(
                    "end1",
                    ActivityKind::End(EndSettings {
                        trigger: Some(EndTrigger {
                            workflow: "WKF2".into(),
                            signal: "signal1".into(),
                            parameters: vec![NamedExpression {
                                name: "who".into(),
                                expression: "'Dear ' + $(vars/@name)".into(),
                            }],
                        }),
                    }),
                ),
            ],
            vec![tr("signal1", "end1")],
        ),
        wf(
            "WKF2",
            vec![
                act(
                    "signal1",
                    signal(vec![target, extra], ConversionPolicy::Lenient),
                ),
                act("end1", end()),
            ],
            vec![tr("signal1", "end1")],
        ),
    ])
}

#[test]
fn end_trigger_starts_a_chained_run() {
    let d = chain_design(false);
    let (sim, id) = run_one(&d, r#"{"source": "x", "parameters": {"name": "Ann"}}"#);
    assert_eq!(sim.runs().len(), 2);
    let first = sim.run(id).unwrap();
    assert_eq!(
        first.ends[0].trigger,
        Some(("WKF2/signal1".to_owned(), ChainOutcome::Started(2)))
    );
    let second = sim.run(2).unwrap();
    assert_eq!(second.source, "WKF1/end1");
    assert_eq!(second.parent, Some(1));
    assert_eq!(var(&sim, 2, "who"), Some(Value::String("Dear Ann".into())));
    assert_eq!(second.status, RunStatus::Finished);
}

#[test]
fn rejected_chained_trigger_is_recorded_on_the_caller() {
    let d = chain_design(true);
    let (sim, id) = run_one(&d, r#"{"source": "x", "parameters": {"name": "Ann"}}"#);
    assert_eq!(sim.runs().len(), 1);
    let run = sim.run(id).unwrap();
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(run.ends.len(), 1, "the branch still ends");
    assert!(run.errors[0].message.contains(
        "the trigger of WKF2/signal1 was rejected: 'must' is required by signal 'signal1' of workflow 'WKF2'"
    ));
}

#[test]
fn step_limit_stops_a_cycle_and_names_it() {
    let d = design(vec![wf(
        "WKF1",
        vec![
            sig(&[]),
            act("wait1", ActivityKind::Wait(WaitSettings { seconds: 1 })),
            act(
                "update1",
                ActivityKind::UpdateData(UpdateDataSettings::default()),
            ),
        ],
        vec![
            tr("signal1", "wait1"),
            tr("wait1", "update1"),
            tr("update1", "wait1"),
        ],
    )]);
    let mut sim = Simulator::new(d).with_step_limit(50);
    sim.start_all();
    trigger(&mut sim, r#"{"source": "x"}"#);
    let Stop::Halted(m) = sim.run_to_end() else {
        panic!("not halted")
    };
    assert_eq!(
        m,
        "step limit of 50 activity visits reached by one trigger: the loop repeats WKF1/wait1 -> WKF1/update1"
    );
    assert_eq!(sim.runs()[0].status, RunStatus::Failed);
    assert_eq!(sim.trace().len(), 50);
}

#[test]
fn step_limit_stops_a_chain_of_end_triggers() {
    let trigger_other = |target: &str| {
        act(
            "end1",
            ActivityKind::End(EndSettings {
                trigger: Some(EndTrigger {
                    workflow: target.into(),
                    signal: "signal1".into(),
                    parameters: vec![],
                }),
            }),
        )
    };
    let d = design(vec![
        wf(
            "A",
            vec![sig(&[]), trigger_other("B")],
            vec![tr("signal1", "end1")],
        ),
        wf(
            "B",
            vec![sig(&[]), trigger_other("A")],
            vec![tr("signal1", "end1")],
        ),
    ]);
    let mut sim = Simulator::new(d).with_step_limit(100);
    sim.start_all();
    sim.trigger_bytes("A", "signal1", br#"{"source": "x"}"#);
    let Stop::Halted(m) = sim.run_to_end() else {
        panic!("not halted")
    };
    // Each run visits its activities once: the loop is the chain of End triggers.
    assert!(!m.contains("the loop repeats"), "{m}");
    assert!(
        m.contains("the End triggers loop: chain of End triggers: A -> B -> A -> B -> ... ->"),
        "{m}"
    );
}

#[test]
fn debugger_steps_and_breakpoints() {
    let d = file_design();
    let mut sim = started(&d);
    trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"f": "a_1.csv"}}"#,
    );
    assert_eq!(sim.next_visit(), Some(("WKF1", "signal1")));
    assert_eq!(sim.step(), Stepped::Visited(0));
    assert_eq!(sim.current().map(|v| v.activity.as_str()), Some("signal1"));
    assert_eq!(sim.pending().count(), 1);
    let bps: Breakpoints = [("WKF1".to_owned(), "update1".to_owned())].into();
    assert_eq!(
        sim.run_until_breakpoint(&bps),
        Stop::Breakpoint("WKF1".into(), "update1".into())
    );
    assert_eq!(sim.current().map(|v| v.activity.as_str()), Some("load1"));
    assert_eq!(var(&sim, 1, "recCount"), Some(Value::Integer(2)));
    assert_eq!(sim.runs()[0].status, RunStatus::Running);
    assert_eq!(sim.run_until_breakpoint(&bps), Stop::Idle);
    assert_eq!(sim.step(), Stepped::Idle);
    assert_eq!(sim.runs()[0].status, RunStatus::Finished);
}

#[test]
fn results_are_deterministic() {
    let d = fork_design(10);
    let a = {
        let (sim, _) = run_one(&d, r#"{"source": "x"}"#);
        report::trace_json(&sim)
    };
    let b = {
        let (sim, _) = run_one(&d, r#"{"source": "x"}"#);
        report::trace_json(&sim)
    };
    assert_eq!(a, b);
}

#[test]
fn scenario_expectations_are_compared() {
    let d = chain_design(false);
    let mut vars = BTreeMap::new();
    vars.insert("name".to_owned(), Value::String("Bob".into()));
    let scenario = Scenario {
        name: "chain".into(),
        workflow: "WKF1".into(),
        signal: "signal1".into(),
        payload: serde_json::json!({"source": "t", "parameters": {"name": "Ann"}}),
        expect: Expectations {
            accepted: Some(true),
            ends: vec!["WKF1/end1".into(), "WKF2/end1".into()],
            variables: vars,
            counts: vec![CountExpectation {
                activity: "WKF2/end1".into(),
                count_in: Some(0),
                count_out: None,
            }],
            ..Expectations::default()
        },
        steps: Vec::new(),
    };
    let r = run_scenario(&d, &scenario);
    assert_eq!(
        r.differences,
        vec!["variable 'name': expected \"Bob\", got \"Ann\""]
    );
    let rejected = Scenario {
        payload: serde_json::json!({"source": "t", "parameters": {"nope": 1}}),
        expect: Expectations {
            accepted: Some(false),
            error_contains: vec!["'nope' is not declared".into(), "something else".into()],
            ..Expectations::default()
        },
        ..scenario
    };
    let r = run_scenario(&d, &rejected);
    assert_eq!(r.differences.len(), 1);
    assert!(r.differences[0].starts_with("expected an error mentioning \"something else\""));
}

#[test]
fn batch_lines_are_in_order_with_a_summary() {
    let d = file_design();
    let runner = BatchRunner::new(d, "WKF1", "signal1");
    let input = "{\"source\": \"x\", \"parameters\": {\"f\": \"a_1.csv\"}}\n\n{\"source\": \"x\", \"parameters\": {\"g\": 1}}\nnot json\n";
    let mut out = Vec::new();
    let summary = runner.run(input.as_bytes(), &mut out, &mut |_| {}).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["accepted"], true);
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(summary.accepted, 1);
    assert_eq!(summary.rejected, 2);
    assert_eq!(summary.rejected_by_reason.get("malformed JSON"), Some(&1));
    assert_eq!(
        summary.rejected_by_reason.get("undeclared parameter"),
        Some(&1)
    );
    assert_eq!(summary.ends.get("WKF1/end1"), Some(&1));
}

#[test]
fn batch_summary_keeps_the_first_rejection_of_each_kind() {
    let runner = BatchRunner::new(file_design(), "WKF1", "signal1");
    let input = "{\"source\": \"x\", \"parameters\": {\"f\": \"a_1.csv\"}}\n\
                 {\"source\": \"x\", \"parameters\": {\"g\": 1}}\n\
                 {\"source\": \"x\", \"parameters\": {\"h\": 1}}\n";
    let summary = runner
        .run(input.as_bytes(), std::io::sink(), &mut |_| {})
        .unwrap();
    assert!(!summary.cancelled);
    assert_eq!(
        summary.first_rejection.get("undeclared parameter"),
        Some(&(
            2,
            "'g' is not declared by signal 'signal1' of workflow 'WKF1'".to_owned()
        ))
    );
    assert!(summary.text().starts_with("3 payloads: 1 accepted"));
}

#[test]
fn batch_of_csv_rows_goes_through_the_same_validation() {
    let d = file_design();
    let contract = d.design.signal("WKF1", "signal1").unwrap().clone();
    let runner = BatchRunner::new(d, "WKF1", "signal1");
    let csv = "source,f,extra\ncms,a_1.csv,\n,a_2.csv,\nweb,a_1.csv,oops\n";
    let mut source = open_payloads(csv.as_bytes(), PayloadFormat::Csv, Some(&contract)).unwrap();
    let mut lines = Vec::new();
    let control = BatchControl::new();
    let summary = runner
        .run_source(
            &mut *source,
            &mut |o| {
                lines.push(o.clone());
                Ok(())
            },
            &control,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(control.done(), 3);
    assert_eq!(
        (summary.lines, summary.accepted, summary.rejected),
        (3, 2, 1)
    );
    assert_eq!(
        lines.iter().map(|l| l.line).collect::<Vec<_>>(),
        vec![2, 3, 4],
        "result lines are the file's lines"
    );
    assert_eq!(
        lines[2].errors,
        vec![(
            "undeclared parameter",
            "'extra' is not declared by signal 'signal1' of workflow 'WKF1'".to_owned()
        )]
    );
}

#[test]
fn a_cancelled_batch_stops_and_says_so() {
    let runner = BatchRunner::new(file_design(), "WKF1", "signal1");
    let line = "{\"source\": \"x\", \"parameters\": {\"f\": \"a_1.csv\"}}\n";
    let input = line.repeat(5000);
    let control = BatchControl::new();
    let mut seen = 0usize;
    let summary = runner
        .run_source(
            &mut JsonlPayloads::new(input.as_bytes()),
            &mut |_| {
                seen += 1;
                if seen == 10 {
                    control.cancel();
                }
                Ok(())
            },
            &control,
            &mut |_| {},
        )
        .unwrap();
    assert!(summary.cancelled);
    assert!(control.is_cancelled());
    // The first chunk ran before the cancel; nothing after it.
    assert_eq!(summary.lines, CHUNK_LINES);
    assert_eq!(control.done(), CHUNK_LINES);
    assert!(summary.text().starts_with("cancelled after 1024 payloads"));

    let control = BatchControl::new();
    control.cancel();
    let summary = runner
        .run_source(
            &mut JsonlPayloads::new(input.as_bytes()),
            &mut |_| Ok(()),
            &control,
            &mut |_| {},
        )
        .unwrap();
    assert!(summary.cancelled);
    assert_eq!(summary.lines, 0);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "[a-z0-9_*?./ -]{0,12}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::Array),
                prop::collection::btree_map("[a-z]{1,3}", inner, 0..3)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Arbitrary bytes never panic the trigger path, and a rejection always says why.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let d = file_design();
            let mut sim = started(&d);
            let o = trigger(&mut sim, &String::from_utf8_lossy(&bytes));
            prop_assert!(o.accepted() || !o.errors().is_empty());
            sim.run_to_end();
        }

        /// Arbitrary parameter values either run or are rejected with a message per problem.
        #[test]
        fn arbitrary_parameters_never_panic(
            f in json_value(),
            extra in prop::collection::btree_map("[a-z]{1,4}", json_value(), 0..3),
        ) {
            let d = file_design();
            let mut sim = started(&d);
            let mut params = serde_json::Map::new();
            params.insert("f".into(), f);
            params.extend(extra);
            let o = sim.trigger_json(
                "WKF1",
                "signal1",
                &serde_json::json!({"source": "prop", "parameters": params}),
            );
            prop_assert!(o.accepted() || o.errors().iter().all(|e| !e.message.is_empty()));
            prop_assert_eq!(sim.run_to_end(), Stop::Idle);
            for run in sim.runs() {
                prop_assert!(run.status != RunStatus::Running);
            }
        }
    }
}

#[test]
fn expectations_taken_from_a_run_pass_and_catch_a_change() {
    for file in ["file-to-audience", "cms-newsletter"] {
        let path = format!("{}/examples/{file}.flow.ron", env!("CARGO_MANIFEST_DIR"));
        let design = crate::io::load(std::path::Path::new(&path)).unwrap();
        let prepared = Arc::new(Prepared::new(design.clone()));
        assert!(!design.scenarios.is_empty());
        for sc in &design.scenarios {
            let bare = Scenario {
                expect: Expectations::default(),
                ..sc.clone()
            };
            let first = run_scenario(&prepared, &bare);
            let expect = expectations_from(&first.outcome, &first.simulator);
            assert_eq!(
                expect.accepted,
                Some(first.outcome.accepted()),
                "{}",
                sc.name
            );
            if first.outcome.accepted() {
                assert!(!expect.variables.is_empty(), "{}", sc.name);
                assert!(!expect.counts.is_empty(), "{}", sc.name);
            } else {
                assert!(!expect.error_contains.is_empty(), "{}", sc.name);
            }
            let saved = Scenario { expect, ..bare };
            let again = run_scenario(&prepared, &saved);
            assert!(again.passed(), "{}: {:?}", sc.name, again.differences);
        }
    }
    // A change of the design that the expectations describe makes the scenario fail.
    let d = chain_design(false);
    let sc = Scenario {
        name: "chain".into(),
        workflow: "WKF1".into(),
        signal: "signal1".into(),
        payload: serde_json::json!({"source": "t", "parameters": {"name": "Ann"}}),
        expect: Expectations::default(),
        steps: Vec::new(),
    };
    let first = run_scenario(&d, &sc);
    let saved = Scenario {
        expect: expectations_from(&first.outcome, &first.simulator),
        ..sc
    };
    let mut changed = d.design.clone();
    changed.workflows[1].activities.retain(|a| a.id != "end1");
    changed.workflows[1].transitions.clear();
    let r = run_scenario(&Arc::new(Prepared::new(changed)), &saved);
    assert!(
        r.differences.iter().any(|x| x.contains("expected ends")),
        "{:?}",
        r.differences
    );
}

// ---- Hardening: regressions (issue 15) ----

/// `signal1 -> wait1 -> end1` with a Wait of `seconds`, the clock starting at `start`.
fn wait_design(seconds: u64, start: Option<jiff::Timestamp>) -> Arc<Prepared> {
    let mut d = design(vec![wf(
        "WKF1",
        vec![
            sig(&[]),
            act("wait1", ActivityKind::Wait(WaitSettings { seconds })),
            act("end1", end()),
        ],
        vec![tr("signal1", "wait1"), tr("wait1", "end1")],
    )])
    .design
    .clone();
    if let Some(s) = start {
        d.sample.clock_start = s;
    }
    Arc::new(Prepared::new(d))
}

#[test]
fn regression_wait_past_the_clock_range_is_a_run_error_naming_the_wait() {
    let near_end: jiff::Timestamp = jiff::Timestamp::MAX;
    for (seconds, start) in [
        (10_000_000_000_000, None),
        (u64::MAX, None),
        (i64::MAX as u64, None),
        (1, Some(near_end)),
    ] {
        let d = wait_design(seconds, start);
        let mut sim = started(&d);
        let TriggerOutcome::Started(id) = trigger(&mut sim, r#"{"source": "x"}"#) else {
            panic!("not started")
        };
        assert_eq!(sim.run_to_end(), Stop::Idle);
        let run = sim.run(id).unwrap();
        assert_eq!(run.status, RunStatus::Failed, "{seconds}");
        assert_eq!(run.errors[0].activity, "wait1");
        assert!(
            run.errors[0]
                .message
                .contains("would pass the latest time the virtual clock can hold"),
            "{}",
            run.errors[0].message
        );
    }
}

#[test]
fn regression_cooldown_past_the_clock_range_rejects_without_panic() {
    for n in [u64::MAX, i64::MAX as u64, 10_000_000_000_000] {
        let mut design = contract_design(vec![], ConversionPolicy::Lenient)
            .design
            .clone();
        design.compatibility.trigger_cooldown = Cooldown::Seconds(n);
        let d = Arc::new(Prepared::new(design));
        let mut sim = started(&d);
        assert!(trigger(&mut sim, r#"{"source": "x"}"#).accepted());
        assert!(sim.next_trigger_allowed("WKF1", "signal1").is_some());
        let o = trigger(&mut sim, r#"{"source": "x"}"#);
        assert!(!o.accepted());
        assert!(
            messages(&o)[0].starts_with("too soon"),
            "{:?}",
            messages(&o)
        );
    }
}

#[test]
fn regression_advance_clock_past_its_range_is_refused_and_keeps_the_clock() {
    let d = wait_design(1, None);
    let mut sim = started(&d);
    let before = sim.clock();
    let e = sim.advance_clock(u64::MAX).unwrap_err();
    assert!(
        e.to_string().contains("past the latest time it can hold"),
        "{e}"
    );
    assert_eq!(sim.clock(), before);
    sim.advance_clock(60).unwrap();
    assert_eq!(
        sim.clock(),
        crate::model::time::add_seconds(before, 60).unwrap()
    );
}

/// WKF1 loops for ever (`signal1 -> wait1 -> update1 -> wait1`); WKF2 is `signal1 -> end1`.
fn loop_and_plain() -> Arc<Prepared> {
    design(vec![
        wf(
            "WKF1",
            vec![
                sig(&[]),
                act("wait1", ActivityKind::Wait(WaitSettings { seconds: 1 })),
                act(
                    "update1",
                    ActivityKind::UpdateData(UpdateDataSettings::default()),
                ),
            ],
            vec![
                tr("signal1", "wait1"),
                tr("wait1", "update1"),
                tr("update1", "wait1"),
            ],
        ),
        wf(
            "WKF2",
            vec![sig(&[]), act("end1", end())],
            vec![tr("signal1", "end1")],
        ),
    ])
}

#[test]
fn regression_a_step_limit_halt_ends_only_the_trigger_that_caused_it() {
    let d = loop_and_plain();
    let mut sim = Simulator::new(d).with_step_limit(50);
    sim.start_all();
    let TriggerOutcome::Started(looping) = trigger(&mut sim, r#"{"source": "x"}"#) else {
        panic!()
    };
    let TriggerOutcome::Started(plain) =
        sim.trigger_bytes("WKF2", "signal1", br#"{"source": "x"}"#)
    else {
        panic!()
    };
    let Stop::Halted(m) = sim.run_to_end() else {
        panic!("not halted")
    };
    assert!(
        m.contains("the loop repeats WKF1/wait1 -> WKF1/update1"),
        "{m}"
    );
    assert_eq!(sim.run(looping).unwrap().status, RunStatus::Failed);
    assert_eq!(sim.run(plain).unwrap().status, RunStatus::Finished);
    // The session goes on: later triggers run, the looping one fails alone again.
    for _ in 0..3 {
        let TriggerOutcome::Started(id) =
            sim.trigger_bytes("WKF2", "signal1", br#"{"source": "x"}"#)
        else {
            panic!()
        };
        sim.run_to_end();
        let run = sim.run(id).unwrap();
        assert_eq!(run.status, RunStatus::Finished);
        assert_eq!(run.path, ["signal1", "end1"]);
    }
    let TriggerOutcome::Started(again) = trigger(&mut sim, r#"{"source": "x"}"#) else {
        panic!()
    };
    assert!(matches!(sim.run_to_end(), Stop::Halted(_)));
    assert_eq!(sim.run(again).unwrap().status, RunStatus::Failed);
    assert!(sim.is_idle());
}

#[test]
fn regression_queued_triggers_each_get_their_own_visit_budget() {
    let d = loop_and_plain();
    let mut sim = Simulator::new(d).with_step_limit(10);
    sim.start_all();
    sim.pause("WKF2").unwrap();
    for _ in 0..3_000 {
        let o = sim.trigger_bytes("WKF2", "signal1", br#"{"source": "x"}"#);
        assert_eq!(o, TriggerOutcome::Queued);
    }
    sim.resume("WKF2").unwrap();
    assert_eq!(sim.run_to_end(), Stop::Idle);
    assert_eq!(sim.runs().len(), 3_000);
    assert!(sim.runs().iter().all(|r| r.status == RunStatus::Finished));
}

#[test]
fn regression_a_long_loop_free_chain_is_not_called_a_loop() {
    let n = 60;
    let mut activities = vec![sig(&[])];
    let mut transitions = Vec::new();
    let mut prev = "signal1".to_owned();
    for i in 1..=n {
        let id = format!("update{i}");
        activities.push(act(
            &id,
            ActivityKind::UpdateData(UpdateDataSettings::default()),
        ));
        transitions.push(tr(&prev, &id));
        prev = id;
    }
    let d = design(vec![wf("WKF1", activities, transitions)]);
    let mut sim = Simulator::new(d).with_step_limit(50);
    sim.start_all();
    trigger(&mut sim, r#"{"source": "x"}"#);
    let Stop::Halted(m) = sim.run_to_end() else {
        panic!("not halted")
    };
    assert!(!m.contains("the loop repeats"), "{m}");
    assert!(m.contains("this is not a loop"), "{m}");
}

#[test]
fn regression_a_fork_and_join_are_not_called_a_loop() {
    // A fork's branches meet at a join, which is visited twice by the same run: no loop.
    let mut activities = vec![
        sig(&[]),
        act(
            "fork1",
            ActivityKind::Fork(ForkSettings {
                branches: vec!["a".into(), "b".into()],
            }),
        ),
        act("join1", ActivityKind::AndJoin),
    ];
    let mut transitions = vec![
        tr("signal1", "fork1"),
        trp("fork1", Port::Branch("a".into()), "join1"),
        trp("fork1", Port::Branch("b".into()), "join1"),
    ];
    let mut prev = "join1".to_owned();
    for i in 1..=60 {
        let id = format!("update{i}");
        activities.push(act(
            &id,
            ActivityKind::UpdateData(UpdateDataSettings::default()),
        ));
        transitions.push(tr(&prev, &id));
        prev = id;
    }
    let d = design(vec![wf("WKF1", activities, transitions)]);
    let mut sim = Simulator::new(d).with_step_limit(30);
    sim.start_all();
    trigger(&mut sim, r#"{"source": "x"}"#);
    let Stop::Halted(m) = sim.run_to_end() else {
        panic!("not halted")
    };
    assert!(m.contains("this is not a loop"), "{m}");
}

#[test]
fn run_window_drops_the_oldest_finished_runs_with_their_visits() {
    let d = contract_design(vec![], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    sim.set_run_window(Some(100));
    for _ in 0..1_000 {
        trigger(&mut sim, r#"{"source": "x"}"#);
        sim.run_to_end();
    }
    assert_eq!(sim.runs_total(), 1_000);
    assert!(
        sim.runs().len() >= 100 && sim.runs().len() <= 125,
        "{}",
        sim.runs().len()
    );
    assert!(sim.trace().len() <= 2 * 125);
    assert!(sim.evicted(1));
    assert!(sim.run(1).is_none());
    let last = sim.run(1_000).unwrap();
    assert_eq!(last.id, 1_000);
    assert!(!sim.evicted(1_000));
    assert!(!sim.evicted(1_001));
    assert!(sim.trace().iter().all(|v| sim.run(v.run).is_some()));
}

#[test]
fn regression_duplicate_keys_in_a_payload_are_rejected_naming_them() {
    let d = contract_design(vec![p("audience", Type::String)], ConversionPolicy::Lenient);
    let mut sim = started(&d);
    let o = trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"audience": "a", "audience": "b"}}"#,
    );
    assert_eq!(
        messages(&o),
        ["'audience' is given more than once in 'parameters': send each parameter once"]
    );
    assert_eq!(o.errors()[0].parameter.as_deref(), Some("audience"));
    assert_eq!(o.errors()[0].kind, ErrorKind::DuplicateKey);
    let o = trigger(&mut sim, r#"{"source": "x", "source": "y"}"#);
    assert_eq!(
        messages(&o),
        ["the key 'source' is given more than once in the payload: send each key once"]
    );
    // Nested duplicates are found too (and the nested object is refused as well).
    let o = trigger(
        &mut sim,
        r#"{"source": "x", "parameters": {"audience": {"k": 1, "k": 2}}}"#,
    );
    assert!(
        messages(&o).contains(
            &"the key 'parameters.audience.k' is given more than once in the payload: send each key once"
                .to_owned()
        ),
        "{:?}",
        messages(&o)
    );
    assert!(
        trigger(
            &mut sim,
            r#"{"source": "x", "parameters": {"audience": "a"}}"#
        )
        .accepted()
    );
}

/// What the first error of the first run of `payload` says it missed.
fn missed(d: &Arc<Prepared>, payload: &str) -> Option<MissingData> {
    let mut sim = started(d);
    trigger(&mut sim, payload);
    sim.run_to_end();
    let run = sim.runs().first()?;
    assert_eq!(run.status, RunStatus::Failed, "{:?}", run.errors);
    run.errors.first()?.missing.clone()
}

/// Issue 22: a run that fails for sample data that does not exist records what it missed, so
/// that the designer can offer to create it.
#[test]
fn a_failed_run_records_the_sample_data_it_missed() {
    // A file: the path as resolved, with the columns the workflow reads (it updates data, so
    // the profiles' columns).
    let d = file_design();
    let columns: Vec<String> = (d.design.sample.profiles.columns.iter())
        .map(|c| c.name.clone())
        .collect();
    assert!(!columns.is_empty());
    assert_eq!(
        missed(&d, r#"{"source": "x", "parameters": {"f": "b*.csv"}}"#),
        Some(MissingData::File {
            pattern: "/in/b*.csv".into(),
            columns,
        })
    );

    // An audience.
    let d = linear(vec![
        sig(&[("aud", Type::String)]),
        act(
            "read1",
            ActivityKind::ReadAudience(ReadAudienceSettings {
                audience: "$(vars/@aud)".into(),
                segment_code: String::new(),
            }),
        ),
        act("end1", end()),
    ]);
    assert_eq!(
        missed(&d, r#"{"source": "x", "parameters": {"aud": "Nope"}}"#),
        Some(MissingData::Audience {
            name: "Nope".into()
        })
    );

    // An option the path reads by name: GetOption gives null, the path is empty and matches
    // nothing; the option is what to create.
    let d = linear(vec![
        sig(&[]),
        act(
            "transfer1",
            ActivityKind::TransferFile(TransferFileSettings {
                path: "GetOption('inbox') + '/clients.csv'".into(),
            }),
        ),
    ]);
    assert_eq!(
        missed(&d, r#"{"source": "x"}"#),
        Some(MissingData::Option {
            name: "inbox".into()
        })
    );
}

#[path = "life_tests.rs"]
mod life;
