//! UI tests of the designer: egui_kittest drives the real [`App`] (no window): parameters
//! declared in the inspector, a transition, an End trigger with generated rows, the Problems
//! panel reacting to a bad and a fixed expression, undo/redo, save and load, and batches of
//! payload files in the Batch tab (JSONL, CSV, cancel).
#![cfg(feature = "gui")]
#![allow(clippy::expect_used, clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flowcall::model::{
    Activity, ActivityKind, Design, EndSettings, KindTag, Parameter, Port, Position,
    SignalContract, Type, Workflow,
};
use flowcall::ui::{App, BatchCommand, Command, EditCommand, FileCommand, ViewCommand};

use crate::common;
use common::{
    canvas_widget_rect, click_at, click_breakpoint_toggle, drag, harness, harness_sized,
    select_all_and_type,
};

/// WKF1: signal1 -> (nothing) end1; WKF2: signal1 declaring `audience` (String, required).
fn small_design() -> Design {
    let mut d = Design::default();
    let mut w1 = Workflow::new("WKF1", "Caller");
    let mut s = Activity::new("signal1", "Incoming", KindTag::ExternalSignal);
    s.position = Position { x: 0.0, y: 0.0 };
    w1.activities.push(s);
    let mut e = Activity::new("end1", "Finish", KindTag::End);
    e.position = Position { x: 300.0, y: 0.0 };
    w1.activities.push(e);
    let mut w2 = Workflow::new("WKF2", "Callee");
    let mut contract = SignalContract::default();
    let mut p = Parameter::new("audience", Type::String);
    p.required = true;
    contract.parameters.push(p);
    contract
        .parameters
        .push(Parameter::new("count", Type::Integer));
    w2.activities.push(Activity {
        id: "signal1".into(),
        label: "Start here".into(),
        position: Position::default(),
        kind: ActivityKind::ExternalSignal(contract),
        options: Default::default(),
    });
    let mut e2 = Activity::new("end1", "Done", KindTag::End);
    e2.position = Position { x: 300.0, y: 0.0 };
    w2.activities.push(e2);
    w2.transitions.push(flowcall::model::Transition {
        from: "signal1".into(),
        port: Port::Out,
        to: "end1".into(),
    });
    d.workflows = vec![w1, w2];
    d
}

fn end_trigger(app: &App) -> Option<flowcall::model::EndTrigger> {
    match &app.design().workflow("WKF1")?.activity("end1")?.kind {
        ActivityKind::End(EndSettings { trigger }) => trigger.clone(),
        _ => None,
    }
}

#[test]
fn opens_on_the_bundled_example() {
    let app = flowcall::ui::example_app().expect("example loads");
    let mut h = harness(app);
    assert_eq!(h.state().title(), "flowcall — file-to-audience.flow.ron");
    h.get_by_label_contains("No problems");
    h.get_by_label_contains("WKF1 — ");
    h.state_mut().apply(ViewCommand::ZoomToFit);
    h.run_ok();
}

#[test]
fn declare_two_typed_parameters() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.state_mut()
        .apply(ViewCommand::Select(Some("signal1".into())));
    h.run_ok();
    h.get_by_label("Add parameter").click();
    h.run_ok();
    select_all_and_type(&mut h, "Name", "audience");
    h.get_by_label("audience is required").click();
    h.run_ok();
    h.get_by_label("Add parameter").click();
    h.run_ok();
    let names = h.get_all_by_label("Name").count();
    assert_eq!(names, 2);
    // The second parameter: type Integer.
    let second_name = h.get_all_by_label("Name").nth(1).expect("second name");
    second_name.focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_all_by_label("Name")
        .nth(1)
        .expect("second name")
        .type_text("count");
    h.run_ok();
    h.get_all_by_label("Type")
        .nth(1)
        .expect("second type")
        .click();
    h.run_ok();
    h.get_by_label("Integer").click();
    h.run_ok();
    let c = h
        .state()
        .design()
        .signal("WKF1", "signal1")
        .expect("signal")
        .clone();
    assert_eq!(c.parameters.len(), 2);
    assert_eq!(c.parameters[0].name, "audience");
    assert_eq!(c.parameters[0].ty, Type::String);
    assert!(c.parameters[0].required);
    assert_eq!(c.parameters[1].name, "count");
    assert_eq!(c.parameters[1].ty, Type::Integer);
    assert!(!c.parameters[1].required);
    // The node shows the parameters compactly.
    h.get_by_label_contains("audience*: String");
}

#[test]
fn connect_trigger_problems_undo_redo_save_and_load() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    // Connect signal1 -> end1 (the canvas emits this command when a wire is dropped).
    h.state_mut().apply(EditCommand::Connect {
        workflow: "WKF1".into(),
        from: "signal1".into(),
        port: Port::Out,
        to: "end1".into(),
    });
    h.run_ok();
    assert_eq!(
        h.state()
            .design()
            .workflow("WKF1")
            .expect("wf")
            .transitions
            .len(),
        1
    );
    // A connection into an entry is refused with a hint.
    h.state_mut().apply(EditCommand::Connect {
        workflow: "WKF1".into(),
        from: "end1".into(),
        port: Port::Out,
        to: "signal1".into(),
    });
    h.run_ok();
    assert!(h.state().message().is_some_and(|m| m.contains("entry")));
    assert_eq!(
        h.state()
            .design()
            .workflow("WKF1")
            .expect("wf")
            .transitions
            .len(),
        1
    );

    // Configure the End's trigger.
    h.state_mut()
        .apply(ViewCommand::Select(Some("end1".into())));
    h.run_ok();
    h.get_by_label("Trigger an external signal").click();
    h.run_ok();
    h.get_by_label("Target workflow").click();
    h.run_ok();
    h.get_by_label("WKF2 (Callee)").click();
    h.run_ok();
    // Generated rows, one per declared parameter.
    h.get_by_label("audience * : String");
    h.get_by_label("count : Integer");
    h.get_by_label("Value of audience");
    h.get_by_label("Value of count");
    let t = end_trigger(h.state()).expect("trigger");
    assert_eq!(
        (t.workflow.as_str(), t.signal.as_str()),
        ("WKF2", "signal1")
    );
    // The node carries the badge.
    h.get_by_label_contains("WKF2/signal1");

    // A bad expression shows in the Problems panel.
    select_all_and_type(&mut h, "Value of audience", "Upper(");
    let problem = "WKF1/end1 [parameter:audience]";
    assert!(
        h.query_by_label_contains(problem).is_some(),
        "problem shown"
    );
    let before_fix = h.state().design().clone();
    // Fixed: the problem disappears (after a pause so this is its own undo step).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    select_all_and_type(&mut h, "Value of audience", "'VIP'");
    assert!(h.query_by_label_contains(problem).is_none(), "problem gone");
    let fixed = h.state().design().clone();

    // Undo and redo (keyboard).
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_ok();
    assert_eq!(h.state().design(), &before_fix);
    assert!(
        h.query_by_label_contains(problem).is_some(),
        "problem back after undo"
    );
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_ok();
    assert_eq!(h.state().design(), &fixed);
    assert!(h.query_by_label_contains(problem).is_none());

    // Save to a temporary file and load it back.
    assert!(h.state().is_dirty());
    assert!(h.state().title().ends_with('•'));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("saved.flow.ron");
    h.state_mut().apply(FileCommand::SaveTo(path.clone()));
    h.run_ok();
    assert!(!h.state().is_dirty());
    assert_eq!(h.state().title(), "flowcall — saved.flow.ron");
    let loaded = flowcall::io::load(&path).expect("loads");
    assert_eq!(&loaded, h.state().design());
    let mut other = harness(App::new(Design::default(), None, "empty"));
    other.state_mut().apply(FileCommand::OpenPath(path));
    other.run_ok();
    assert_eq!(other.state().design(), &fixed);
}

#[test]
fn renaming_an_activity_updates_references() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF1".into()));
    h.state_mut()
        .apply(ViewCommand::Select(Some("end1".into())));
    h.run_ok();
    h.get_by_label("Trigger an external signal").click();
    h.run_ok();
    h.get_by_label("Target workflow").click();
    h.run_ok();
    h.get_by_label("WKF2 (Callee)").click();
    h.run_ok();
    h.state_mut().apply(EditCommand::RenameActivity {
        workflow: "WKF2".into(),
        old: "signal1".into(),
        new: "incoming".into(),
    });
    h.run_ok();
    assert_eq!(end_trigger(h.state()).expect("trigger").signal, "incoming");
    let w2 = h.state().design().workflow("WKF2").expect("wf");
    assert_eq!(w2.transitions[0].from, "incoming");
}

#[test]
fn a_file_that_fails_to_load_keeps_the_design() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.flow.ron");
    std::fs::write(&path, "(format_version: 1,\n  workflows: [ (id: 3) ]\n)").expect("write");
    h.state_mut().apply(FileCommand::OpenPath(path));
    h.run_ok();
    let msg = h.state().message().expect("error shown").to_owned();
    assert!(msg.contains("line"), "{msg}");
    assert_eq!(h.state().design(), &small_design());
}

#[test]
fn add_activity_palette_and_delete() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.get_by_label("🔍 Query").click();
    h.run_ok();
    assert!(
        h.state()
            .design()
            .workflow("WKF1")
            .expect("wf")
            .activity("query1")
            .is_some()
    );
    assert_eq!(h.state().selected(), Some("query1"));
    h.key_press(egui::Key::Delete);
    h.run_ok();
    assert!(
        h.state()
            .design()
            .workflow("WKF1")
            .expect("wf")
            .activity("query1")
            .is_none()
    );
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    assert!(
        h.state()
            .design()
            .workflow("WKF1")
            .expect("wf")
            .activity("query1")
            .is_some()
    );
}

#[test]
fn dragging_a_wire_between_pins_adds_a_transition() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.run_ok();
    let from = h
        .state()
        .canvas
        .pin_screen_pos("signal1", true, 0)
        .expect("out pin");
    let to = h
        .state()
        .canvas
        .pin_screen_pos("end1", false, 0)
        .expect("in pin");
    drag(&mut h, from, to);
    let wf = h.state().design().workflow("WKF1").expect("wf");
    assert_eq!(
        wf.transitions.len(),
        1,
        "wire dropped on end1 makes a transition"
    );
    assert_eq!(
        (
            wf.transitions[0].from.as_str(),
            wf.transitions[0].to.as_str()
        ),
        ("signal1", "end1")
    );
}

#[test]
fn command_palette_lists_commands_with_shortcuts() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_ok();
    h.get_by_label("Command").type_text("workflow");
    h.run_ok();
    // The palette's entry (drawn last, above the left panel's button).
    h.get_all_by_label_contains("Add workflow")
        .last()
        .expect("palette entry")
        .click();
    h.run_ok();
    assert_eq!(h.state().design().workflows.len(), 3);
    assert_eq!(h.state().current_workflow(), Some("WKF3"));
    assert!(h.query_by_label("Command").is_none(), "palette closed");
}

#[test]
fn file_menu_exports_the_design_for_servers() {
    // all-kinds has one expression FEEL cannot express (a Query filter on `@age`).
    let design = flowcall::io::load(std::path::Path::new("tests/exports/all-kinds.flow.ron"))
        .expect("example");
    let mut h = harness(App::new(design, None, "all-kinds.flow.ron"));
    h.get_by_label("File").click();
    h.run_ok();
    h.get_by_label("Export").hover();
    for _ in 0..5 {
        h.step();
    }
    h.run_ok();
    let labels: Vec<String> = h
        .get_all_by_label_contains("Export")
        .filter_map(|n| egui_kittest::kittest::NodeT::accesskit_node(&n).label())
        .collect();
    for label in [
        "Export JSON…",
        "Export JSON Schema…",
        "Export OpenAPI…",
        "Export BPMN (Camunda 8)…",
        "Export curl calls…",
    ] {
        assert!(
            labels.iter().any(|l| l.trim() == label),
            "{label} is in File > Export: {labels:?}"
        );
    }
    h.key_press(egui::Key::Escape);
    h.run_ok();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.bpmn");
    h.state_mut().queue(FileCommand::ExportTo(
        flowcall::export::Format::Bpmn,
        path.clone(),
    ));
    h.run_ok();
    let text = std::fs::read_to_string(&path).expect("exported");
    let expected =
        flowcall::export::export(h.state().design(), flowcall::export::Format::Bpmn, None)
            .expect("export");
    assert_eq!(
        text, expected.text,
        "the menu writes the same bytes as the CLI"
    );
    let message = h.state().message().unwrap_or_default().to_owned();
    assert!(
        message.starts_with("Exported to") && message.contains("with 1 warning:"),
        "the designer says where it exported, and the warnings: {message}"
    );
}

#[test]
fn parameters_reorder_by_dragging_their_handle() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.state_mut()
        .queue(ViewCommand::SelectWorkflow("WKF2".into()));
    h.run_ok();
    h.state_mut()
        .queue(ViewCommand::Select(Some("signal1".into())));
    h.run_ok();
    let handles: Vec<egui::Rect> = h.get_all_by_label("☰").map(|n| n.rect()).collect();
    assert_eq!(handles.len(), 2, "one drag handle per parameter");
    // Onto the second parameter's row (its handle is in it).
    let target = handles[1].center();
    let from = handles[0].center();
    drag(&mut h, from, target);
    let names: Vec<String> = h
        .state()
        .design()
        .signal("WKF2", "signal1")
        .expect("signal")
        .parameters
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(
        names,
        ["count", "audience"],
        "dragging audience onto count moves it there"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_ok();
    let names: Vec<&str> = h
        .state()
        .design()
        .signal("WKF2", "signal1")
        .expect("signal")
        .parameters
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["audience", "count"], "one undo step");
}

/// Steps the app (with a short sleep between frames) until `done` holds; fails after 60 s.
fn wait_until(h: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    let start = std::time::Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "timed out after 60 s waiting for {what}"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_ok();
}

/// Opens a payload file in the Batch tab (the command the path field and drops use) and waits
/// until its payloads are counted.
fn open_payloads(h: &mut Harness<'_, App>, path: &std::path::Path) {
    h.state_mut()
        .queue(BatchCommand::OpenPath(path.to_path_buf()));
    h.run_ok();
    wait_until(h, "the payload file to be counted", |a| {
        !a.batch.is_counting()
    });
}

/// Clicks "Run batch" and waits until the batch is over.
fn run_batch(h: &mut Harness<'_, App>) {
    h.get_by_label("Run batch").click();
    h.step();
    assert!(
        h.state().batch.is_running(),
        "the batch runs after the click"
    );
    wait_until(h, "the batch to finish", |a| !a.batch.is_running());
}

#[test]
fn batch_of_jsonl_payloads_shows_its_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("payloads.jsonl");
    let ok =
        |file: &str| format!(r#"{{"source": "sftp", "parameters": {{"fileToTarget": "{file}"}}}}"#);
    let mut lines = Vec::new();
    for i in 0..6 {
        lines.push(if i % 2 == 0 {
            ok("customers_2025-01.csv")
        } else {
            r#"{"source": "sftp", "parameters": {"fileToTarget": "customers_2025-02.csv", "discountDesc": "20% off"}}"#.to_owned()
        });
    }
    for _ in 0..3 {
        lines.push(ok("empty.csv")); // accepted, ends at WKF1/end2
    }
    for _ in 0..2 {
        lines.push(ok("missing_*.csv")); // accepted, the run fails: no matching file
    }
    for _ in 0..3 {
        lines.push(
            r#"{"source": "sftp", "parameters": {"fileToTarget": "customers_2025-01.csv", "discount": "5%"}}"#
                .to_owned(),
        );
    }
    for _ in 0..2 {
        lines.push(r#"{"source": "sftp", "parameters": {}}"#.to_owned());
    }
    for _ in 0..2 {
        lines.push(r#"{"source": "", "parameters": {"fileToTarget": "empty.csv"}}"#.to_owned());
    }
    lines.push("not json".to_owned());
    lines.push(r#"{"source": "sftp", "parameters": {"fileToTarget": [1]}}"#.to_owned());
    assert_eq!(lines.len(), 20);
    std::fs::write(&path, lines.join("\n") + "\n\n").expect("write payloads");

    let mut h = harness(flowcall::ui::example_app().expect("example loads"));
    open_payloads(&mut h, &path);
    assert_eq!(h.state().bottom_tab, flowcall::ui::BottomTab::Batch);
    h.get_by_label("📄 payloads.jsonl — 20 payloads (JSONL)");
    h.get_by_label("Run batch").click();
    h.step();
    assert!(
        h.state().batch.is_running(),
        "the batch runs after the click"
    );
    // An edit while the batch runs changes nothing for it: it runs on the design as it was.
    // (WKF1's End triggers WKF2: deleting it is confirmed.)
    h.state_mut()
        .apply(EditCommand::ConfirmDeleteWorkflow("WKF2".into()));
    h.run_ok();
    wait_until(&mut h, "the batch to finish", |a| !a.batch.is_running());
    assert!(h.state().design().workflow("WKF2").is_none());

    h.get_by_label_contains("Finished: 20 payloads through WKF1/signal1 from payloads.jsonl");
    h.get_by_label("Payloads: 20");
    h.get_by_label("Accepted: 11");
    h.get_by_label("Rejected: 9");
    h.get_by_label("Failed runs: 2");
    h.get_by_label("undeclared parameter: 3");
    h.get_by_label("missing required parameter: 2");
    h.get_by_label("bad payload shape: 2");
    h.get_by_label("malformed JSON: 1");
    h.get_by_label("wrong type: 1");
    h.get_by_label_contains(
        "first at line 12: 'discount' is not declared by signal 'signal1' of workflow 'WKF1'",
    );
    h.get_by_label("WKF1/end1: 6");
    h.get_by_label("WKF2/end1: 6");
    h.get_by_label("WKF1/end2: 3");
    let summary = &h.state().batch.result().expect("a result").summary;
    assert!(!summary.cancelled);
    assert_eq!((summary.accepted, summary.rejected), (11, 9));
    assert!(h.state().batch.error().is_none());
}

#[test]
fn batch_of_csv_rows_through_a_chosen_signal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rows.csv");
    std::fs::write(
        &path,
        "audienceToTarget,discountDesc,segmentCode,source\n\
         Gold,10% off,,crm\n\
         Silver,,S1,\n\
         ,5% off,,\n\
         Gold,20% off,X,\n",
    )
    .expect("write payloads");
    let mut h = harness(flowcall::ui::example_app().expect("example loads"));
    open_payloads(&mut h, &path);
    h.get_by_label("📄 rows.csv — 4 payloads (CSV)");
    // Choose WKF2 in the combo box (its first signal is taken).
    h.get_by_label("Workflow").click();
    h.run_ok();
    h.get_by_label("WKF2 (Send the discount to the imported audience)")
        .click();
    h.run_ok();
    run_batch(&mut h);
    h.get_by_label_contains("Finished: 4 payloads through WKF2/signal1 from rows.csv");
    h.get_by_label("Accepted: 2");
    h.get_by_label("Rejected: 2");
    // No sample audience: both accepted runs fail at Read audience.
    h.get_by_label("Failed runs: 2");
    h.get_by_label("missing required parameter: 2");
    h.get_by_label_contains("first at line 3: 'discountDesc' is required");

    // A malformed CSV file is reported in the tab with its line; nothing can run.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "audienceToTarget,discountDesc\nGold,x\nGold,x,extra\n",
    )
    .expect("write");
    open_payloads(&mut h, &bad);
    h.get_by_label_contains("bad.csv: line 3: this row has 3 field(s) but the header has 2");
    assert!(h.state().batch.file().is_none());
    {
        use egui_kittest::kittest::NodeT as _;
        assert!(
            h.get_by_label("Run batch").accesskit_node().is_disabled(),
            "nothing to run"
        );
    }
}

#[test]
fn cancelling_a_large_batch_keeps_a_partial_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.jsonl");
    let line =
        "{\"source\": \"sftp\", \"parameters\": {\"fileToTarget\": \"customers_2025-01.csv\"}}\n";
    std::fs::write(&path, line.repeat(100_000)).expect("write payloads");
    let mut h = harness(flowcall::ui::example_app().expect("example loads"));
    open_payloads(&mut h, &path);
    h.get_by_label("📄 large.jsonl — 100000 payloads (JSONL)");
    h.get_by_label("Run batch").click();
    h.run_ok();
    assert!(h.state().batch.is_running());
    h.get_by_label("Cancel").click();
    h.run_ok();
    wait_until(&mut h, "the cancelled batch to stop", |a| {
        !a.batch.is_running()
    });
    let summary = h.state().batch.result().expect("a result").summary.clone();
    assert!(summary.cancelled, "the summary says it was cancelled");
    assert!(summary.lines < 100_000, "ran {} lines", summary.lines);
    assert_eq!(summary.accepted, summary.lines);
    h.get_by_label_contains(&format!(
        "Cancelled after {} of 100000 payloads — partial summary",
        summary.lines
    ));
    h.get_by_label(&format!("Accepted: {}", summary.lines));
}

/// Not a check: prints how long a 10,000-line batch takes on the Batch tab's thread path
/// (`cargo test --test designer measure_batch -- --ignored --nocapture`).
#[test]
#[ignore = "a measurement, run on demand"]
fn measure_batch_of_10000_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("measure.jsonl");
    let lines: Vec<String> = (0..10_000)
        .map(|i| match i % 4 {
            0 => r#"{"source": "s", "parameters": {"fileToTarget": "customers_2025-01.csv"}}"#,
            1 => r#"{"source": "s", "parameters": {"fileToTarget": "empty.csv"}}"#,
            2 => r#"{"source": "s", "parameters": {"fileToTarget": "customers_*.csv", "discountDesc": "x"}}"#,
            _ => r#"{"source": "s", "parameters": {"nope": 1}}"#,
        }.to_owned())
        .collect();
    std::fs::write(&path, lines.join("\n")).expect("write payloads");
    let mut h = harness(flowcall::ui::example_app().expect("example loads"));
    open_payloads(&mut h, &path);
    let clicked = std::time::Instant::now();
    run_batch(&mut h);
    let seen = clicked.elapsed();
    let r = h.state().batch.result().expect("a result");
    assert_eq!(r.summary.lines, 10_000);
    println!(
        "10,000 lines: {:.3} s on the batch thread ({:.3} s from the click to the summary on \
         screen), {:.0} lines/s",
        r.elapsed.as_secs_f64(),
        seen.as_secs_f64(),
        10_000.0 / r.elapsed.as_secs_f64()
    );
}

/// Whether the breakpoint toggle with this accessible label shows its breakpoint as set.
fn breakpoint_shown<S>(h: &Harness<'_, S>, activity: &str) -> bool {
    let label = format!("Breakpoint on {activity}");
    let node = h.get_by_label(&label);
    egui_kittest::kittest::NodeT::accesskit_node(&node).toggled()
        == Some(egui::accesskit::Toggled::True)
}

fn has_breakpoint(app: &App, workflow: &str, activity: &str) -> bool {
    app.breakpoints()
        .contains(&(workflow.to_owned(), activity.to_owned()))
}

#[test]
fn clicking_a_node_breakpoint_toggle_sets_and_clears_it() {
    let app = flowcall::ui::example_app().expect("example loads");
    // Wide enough for the whole workflow to be in view (only what is in view is drawn).
    let mut h = harness_sized(app, egui::vec2(2600.0, 1100.0));
    // Every activity of the workflow shown has a toggle, none set.
    for id in [
        "signal1",
        "transfer1",
        "load1",
        "update1",
        "test1",
        "save1",
        "end1",
    ] {
        assert!(
            !breakpoint_shown(&h, id),
            "{id} starts without a breakpoint"
        );
    }
    let design = h.state().design().clone();
    let selected = h.state().selected().map(str::to_owned);

    click_breakpoint_toggle(&mut h, "save1");
    assert!(has_breakpoint(h.state(), "WKF1", "save1"));
    assert_eq!(h.state().breakpoints().len(), 1, "only save1");
    assert!(breakpoint_shown(&h, "save1"), "the node shows the red dot");
    assert!(!breakpoint_shown(&h, "update1"));
    // A click on the toggle neither moves nor selects the node.
    assert_eq!(h.state().design(), &design, "nothing moved");
    assert_eq!(h.state().selected().map(str::to_owned), selected);
    assert!(
        !h.state().is_dirty(),
        "a breakpoint is not an edit of the design"
    );

    click_breakpoint_toggle(&mut h, "save1");
    assert!(!has_breakpoint(h.state(), "WKF1", "save1"));
    assert!(!breakpoint_shown(&h, "save1"), "the red dot is gone");
    assert_eq!(h.state().design(), &design);
}

#[test]
fn the_node_context_menu_toggles_a_breakpoint() {
    let app = flowcall::ui::example_app().expect("example loads");
    let mut h = harness(app);
    for expected in [true, false] {
        let rect = h
            .state()
            .canvas
            .node_screen_rect("update1")
            .expect("update1 drawn");
        // Inside the node, below its header, between its pins.
        let at = egui::pos2(rect.center().x, rect.max.y - 4.0);
        click_at(&mut h, at, egui::PointerButton::Secondary);
        h.get_by_label("Toggle breakpoint").click();
        h.run_ok();
        assert_eq!(has_breakpoint(h.state(), "WKF1", "update1"), expected);
        assert_eq!(breakpoint_shown(&h, "update1"), expected);
        assert!(
            h.query_by_label("Toggle breakpoint").is_none(),
            "menu closed"
        );
    }
}

/// A canvas drawn on its own, with an overlay.
struct OverlayScene {
    canvas: flowcall::ui::Canvas,
    workflow: Workflow,
    overlay: flowcall::ui::Overlay,
    out: Vec<Command>,
}

fn overlay_harness(overlay: flowcall::ui::Overlay) -> Harness<'static, OverlayScene> {
    let app = flowcall::ui::example_app().expect("example loads");
    let workflow = app.design().workflow("WKF1").expect("WKF1").clone();
    let mut canvas = flowcall::ui::Canvas::default();
    canvas.one_to_one_pending = true;
    let scene = OverlayScene {
        canvas,
        workflow,
        overlay,
        out: Vec::new(),
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1800.0, 700.0))
        .build_ui_state(
            |ui, s: &mut OverlayScene| {
                s.canvas.sync(&s.workflow, 0);
                let mut hint = None;
                s.canvas
                    .ui(ui, &s.workflow, None, &s.overlay, &mut s.out, &mut hint);
            },
            scene,
        );
    h.run_ok();
    h
}

#[test]
fn the_overlay_marks_visited_current_failed_and_breakpoint_nodes_only() {
    let mut overlay = flowcall::ui::Overlay::default();
    for (id, visits) in [("signal1", 1), ("transfer1", 1), ("load1", 2)] {
        overlay.visits.insert(id.into(), visits);
    }
    for (from, to) in [("signal1", "transfer1"), ("transfer1", "load1")] {
        overlay.taken.insert((from.into(), Port::Out, to.into()));
    }
    overlay.current = Some("load1".into());
    overlay.failed.insert("load1".into());
    overlay.breakpoints.insert("save1".into());
    let mut h = overlay_harness(overlay);

    // One visit badge per visited node, none on the others.
    assert_eq!(h.get_all_by_label("✔ 1").count(), 2);
    assert_eq!(h.get_all_by_label("✔ 2").count(), 1);
    assert_eq!(h.get_all_by_label_contains("✔").count(), 3);
    assert_eq!(h.get_all_by_label("⏵ current").count(), 1);
    assert_eq!(h.get_all_by_label("✖ failed").count(), 1);
    assert!(h.query_by_label("⏭ next").is_none(), "no next activity");
    // The markers stand on their node: load1's top edge.
    let load1 = h.state().canvas.node_screen_rect("load1").expect("load1");
    for label in ["✔ 2", "⏵ current", "✖ failed"] {
        let r = canvas_widget_rect(&h, &h.state().canvas, label);
        assert!(
            r.max.x > load1.min.x
                && r.min.x < load1.max.x
                && (r.center().y - load1.min.y).abs() < r.height(),
            "{label} at {r:?} stands on load1 {load1:?}"
        );
    }
    let visits = canvas_widget_rect(&h, &h.state().canvas, "✔ 2");
    assert!(
        load1.x_range().contains(visits.min.x) && load1.x_range().contains(visits.max.x),
        "the visit count stands on load1's top right: {visits:?} {load1:?}"
    );
    for (id, set) in [("save1", true), ("load1", false), ("update1", false)] {
        assert_eq!(breakpoint_shown(&h, id), set, "breakpoint marker of {id}");
    }
    // The badge explains itself.
    let badge = canvas_widget_rect(&h, &h.state().canvas, "✔ 2");
    h.hover_at(badge.center());
    h.run_steps(60);
    assert!(
        h.query_by_label("visited 2 times in the selected run")
            .is_some(),
        "hover text of the visit badge"
    );
    // Drawing the overlay emits no command.
    assert!(h.state().out.is_empty(), "{:?}", h.state().out);

    // Markers do not change the nodes' size (the layout stays still while stepping) and go
    // away with the overlay.
    let before = h.state().canvas.node_screen_rect("load1").expect("load1");
    h.state_mut().overlay = flowcall::ui::Overlay::default();
    h.run_ok();
    assert!(h.query_by_label_contains("✔").is_none());
    assert!(h.query_by_label("⏵ current").is_none());
    assert!(h.query_by_label("✖ failed").is_none());
    let after = h.state().canvas.node_screen_rect("load1").expect("load1");
    assert_eq!(before, after, "load1 keeps its size without the overlay");
}

fn activity_of<'a>(app: &'a App, workflow: &str, id: &str) -> Option<&'a Activity> {
    app.design().workflow(workflow)?.activity(id)
}

#[test]
fn a_kind_dragged_from_the_palette_lands_where_it_is_dropped() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    let from = h.get_by_label("🔍 Query").rect().center();
    let signal = h
        .state()
        .canvas
        .node_screen_rect("signal1")
        .expect("signal1 drawn");
    let to = signal.center() + egui::vec2(40.0, 260.0);
    assert!(
        h.state().canvas.view_rect().contains(to),
        "{to:?} is on the canvas"
    );
    drag(&mut h, from, to);
    assert!(
        activity_of(h.state(), "WKF1", "query1").is_some(),
        "the drop adds a Query"
    );
    assert_eq!(h.state().selected(), Some("query1"));
    let placed = h
        .state()
        .canvas
        .node_screen_rect("query1")
        .expect("query1 drawn");
    assert!(
        placed.contains(to),
        "{placed:?} holds the drop point {to:?}"
    );
    // One undo step takes it away.
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    assert!(activity_of(h.state(), "WKF1", "query1").is_none());
}

#[test]
fn two_clicks_on_the_palette_give_two_activities_side_by_side_in_view() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.state_mut()
        .apply(ViewCommand::Select(Some("end1".into())));
    h.run_ok();
    for _ in 0..2 {
        // The palette's button (the inspector's heading names the new Query too).
        h.get_by_role_and_label(egui::accesskit::Role::Button, "🔍 Query")
            .click();
        h.run_ok();
    }
    let canvas = &h.state().canvas;
    let rects: Vec<(&str, egui::Rect)> = ["signal1", "end1", "query1", "query2"]
        .into_iter()
        .map(|id| (id, canvas.node_screen_rect(id).expect("drawn")))
        .collect();
    for (i, (a, ra)) in rects.iter().enumerate() {
        for (b, rb) in &rects[i + 1..] {
            assert!(!ra.intersects(*rb), "{a} {ra:?} overlaps {b} {rb:?}");
        }
    }
    let view = canvas.view_rect();
    for id in ["query1", "query2"] {
        let r = canvas.node_screen_rect(id).expect("drawn");
        assert!(view.contains_rect(r), "{id} {r:?} is in view {view:?}");
    }
    // The first goes beside the selected End (right of it, or below when the right is out of
    // view), the second beside the first.
    let (end1, q1, q2) = (rects[1].1, rects[2].1, rects[3].1);
    let beside = |a: egui::Rect, b: egui::Rect| {
        (b.left() >= a.right() && b.top() == a.top())
            || (b.top() >= a.bottom() && b.left() == a.left())
    };
    assert!(beside(end1, q1), "{q1:?} beside {end1:?}");
    assert!(beside(q1, q2), "{q2:?} beside {q1:?}");
    assert_eq!(h.state().selected(), Some("query2"));
}

#[test]
fn enter_in_the_right_click_search_adds_the_highlighted_kind_where_clicked() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    let signal = h
        .state()
        .canvas
        .node_screen_rect("signal1")
        .expect("signal1 drawn");
    let at = signal.center() + egui::vec2(0.0, 250.0);
    click_at(&mut h, at, egui::PointerButton::Secondary);
    h.get_by_label("Search").type_text("end");
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(
        activity_of(h.state(), "WKF1", "end2").is_some(),
        "Enter adds the End"
    );
    let placed = h.state().canvas.node_screen_rect("end2").expect("drawn");
    assert!(
        (placed.min - at).length() < 2.0,
        "its corner is where the menu opened: {placed:?} {at:?}"
    );
    assert!(h.query_by_label("Search").is_none(), "the menu closed");
    // The arrow keys move the highlight: the second kind named "audience" is Save audience.
    click_at(
        &mut h,
        at + egui::vec2(300.0, 0.0),
        egui::PointerButton::Secondary,
    );
    h.get_by_label("Search").type_text("audience");
    h.run_ok();
    h.key_press(egui::Key::ArrowDown);
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(activity_of(h.state(), "WKF1", "saveAudience1").is_some());
    assert!(activity_of(h.state(), "WKF1", "readAudience1").is_none());
}

#[test]
fn every_kind_is_in_the_command_palette() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_ok();
    h.get_by_label("Command").type_text("Add Que");
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(activity_of(h.state(), "WKF1", "query1").is_some());
    for tag in KindTag::ALL {
        let label = format!("Add {}", tag.name());
        assert_eq!(
            Command::Edit(EditCommand::add(tag)).label(),
            label,
            "{tag:?}"
        );
    }
}

#[test]
fn the_bundled_example_is_readable_at_the_first_screen() {
    let app = flowcall::ui::example_app().expect("example loads");
    let mut h = harness_sized(app, egui::vec2(1440.0, 900.0));
    for _ in 0..2 {
        let canvas = &h.state().canvas;
        assert!(canvas.title_px() >= 12.0, "titles {} px", canvas.title_px());
        assert!(
            canvas.smallest_text_px() >= 12.0,
            "port labels and badges {} px",
            canvas.smallest_text_px()
        );
        // Measured on screen: the title of the signal, and a port label's row.
        let title = canvas_widget_rect(&h, canvas, "File dropped");
        assert!(title.height() >= 12.0, "title {title:?}");
        let signal = canvas.node_screen_rect("signal1").expect("drawn");
        assert!(
            canvas.view_rect().contains_rect(signal),
            "the entry is in view"
        );
        // Zoom to fit keeps it readable.
        h.state_mut().apply(ViewCommand::ZoomToFit);
        h.run_ok();
    }
}

#[test]
fn each_workflow_keeps_its_own_view() {
    let app = flowcall::ui::example_app().expect("example loads");
    let mut h = harness(app);
    // Pan WKF1 with the wheel.
    let at = h.state().canvas.view_rect().center();
    h.hover_at(at);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(-120.0, -80.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_ok();
    let panned = h.state().canvas.to_global;
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF2".into()));
    h.run_ok();
    assert_ne!(
        h.state().canvas.to_global,
        panned,
        "WKF2 has a view of its own"
    );
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF1".into()));
    h.run_ok();
    let back = h.state().canvas.to_global;
    assert!(
        (back.translation - panned.translation).length() < 0.5 && back.scaling == panned.scaling,
        "WKF1 comes back as it was left: {back:?} {panned:?}"
    );
}

#[test]
fn tidy_layout_lays_a_workflow_out_left_to_right_in_one_undo_step() {
    let app = flowcall::ui::example_app().expect("example loads");
    let mut h = harness(app);
    let messy: Vec<(String, Position)> = ["signal1", "transfer1", "load1", "update1"]
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let p = Position {
                x: 600.0 - 150.0 * i as f32,
                y: 40.0 * i as f32,
            };
            ((*id).to_owned(), p)
        })
        .collect();
    h.state_mut().apply(EditCommand::MoveActivities {
        workflow: "WKF1".into(),
        moves: messy,
    });
    h.run_ok();
    let before = h.state().design().clone();
    h.get_by_label("Edit").click();
    h.run_ok();
    h.get_by_label_contains("Tidy layout").click();
    h.run_ok();
    let x = |app: &App, id: &str| activity_of(app, "WKF1", id).expect("activity").position.x;
    let chain = ["signal1", "transfer1", "load1", "update1", "test1"];
    for pair in chain.windows(2) {
        assert!(
            x(h.state(), pair[0]) < x(h.state(), pair[1]),
            "{} left of {}",
            pair[0],
            pair[1]
        );
    }
    let canvas = &h.state().canvas;
    let wf = h.state().design().workflow("WKF1").expect("wf");
    let sizes = canvas.node_sizes(wf);
    let rects: Vec<egui::Rect> = wf
        .activities
        .iter()
        .map(|a| {
            let (w, hgt) = sizes[&a.id];
            egui::Rect::from_min_size(egui::pos2(a.position.x, a.position.y), egui::vec2(w, hgt))
        })
        .collect();
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            assert!(!a.intersects(*b), "{a:?} overlaps {b:?}");
        }
    }
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    assert_eq!(h.state().design(), &before, "one undo step");
}

#[test]
fn the_inspector_keeps_its_width_whatever_is_selected() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF2".into()));
    h.run_ok();
    // The canvas's sides: with nothing selected the inspector is a strip and the canvas wider;
    // with an activity selected, the inspector's width is its own, whatever is selected.
    let canvas = |h: &Harness<'_, App>| h.state().canvas.view_rect().x_range();
    let strip = canvas(&h);
    h.state_mut()
        .apply(ViewCommand::Select(Some("end1".into())));
    h.run_ok();
    let empty = canvas(&h);
    assert!(empty.max < strip.max - 300.0, "{empty:?} {strip:?}");
    assert_eq!(empty.min, strip.min);
    for id in ["signal1", "end1"] {
        h.state_mut().apply(ViewCommand::Select(Some(id.into())));
        h.run_ok();
        assert_eq!(canvas(&h), empty, "selecting {id} moves nothing");
    }
    // Parameters with long values and descriptions do not widen it.
    h.state_mut()
        .apply(ViewCommand::Select(Some("signal1".into())));
    h.run_ok();
    h.get_by_label("Add parameter").click();
    h.run_ok();
    h.get_by_label("Show the allowed values and description of count")
        .click();
    h.run_ok();
    select_all_and_type(
        &mut h,
        "Description",
        &"a very long description ".repeat(20),
    );
    assert_eq!(canvas(&h), empty);
    // "Add parameter" stays in view with many parameters: it is above the table.
    for _ in 0..12 {
        h.get_by_label("Add parameter").click();
        h.run_ok();
    }
    let add = h.get_by_label("Add parameter").rect();
    assert!(add.max.y < 300.0, "Add parameter at {add:?}");
}

#[test]
fn an_empty_workflow_says_what_to_do_and_shows_its_problem() {
    let mut h = harness(App::new(small_design(), None, "t.flow.ron"));
    h.state_mut().apply(EditCommand::AddWorkflow);
    h.run_ok();
    assert_eq!(h.state().current_workflow(), Some("WKF3"));
    h.get_by_label_contains("This workflow is empty.");
    h.get_by_label_contains("workflow 'WKF3' is empty: it can never run");
    assert!(h.query_by_label_contains("0 errors").is_none());
}
