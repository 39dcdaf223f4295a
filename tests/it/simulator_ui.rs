//! UI tests of the designer's simulator (egui_kittest drives the real [`App`], no window): the
//! run form and the event variables, a pasted payload with an undeclared parameter, stepping
//! to a breakpoint, and scenarios saved from the form that pass and then fail after an edit.
#![cfg(feature = "gui")]
#![allow(clippy::expect_used, clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flowcall::model::{ActivityKind, Port, Value};
use flowcall::ui::{App, EditCommand, FileCommand, ViewCommand};

use crate::common;
use common::{click_breakpoint_toggle, harness, select_all_and_type, wait_idle};
use std::time::{Duration, Instant};

/// A harness on `app` with the bottom panel dragged taller, as a user who works in the
/// Simulator tab does (its height is the user's).
fn tall(mut app: App) -> Harness<'static, App> {
    app.set_bottom_height(420.0);
    harness(app)
}

fn example() -> Harness<'static, App> {
    let mut h = tall(flowcall::ui::example_app().expect("example loads"));
    h.get_by_label("Simulator").click();
    h.run_ok();
    h
}

/// Clicks the button whose label starts with `label` (buttons with a shortcut add its text).
fn click_contains(h: &mut Harness<'_, App>, label: &str) {
    h.get_by(|n| n.label().is_some_and(|l| l.starts_with(label)))
        .click();
    h.run_ok();
}

fn click(h: &mut Harness<'_, App>, label: &str) {
    h.get_by_label(label).click();
    h.run_ok();
}

#[test]
fn fill_the_form_run_and_read_the_variables() {
    let mut h = example();
    select_all_and_type(&mut h, "fileToTarget *", "customers_2025-01.csv");
    h.get_by_label_contains("The payload is valid");
    click_contains(&mut h, "▶ Run");
    wait_idle(&mut h);
    // One status line: the trigger's answer and how its run ended.
    h.get_by_label_contains("Accepted: run #1 started; Finished: nothing left to do");
    // The variables table: the typed parameter, the default, and a variable set by an activity.
    h.get_by_label("\"customers_2025-01.csv\"");
    h.get_by_label("\"10% off your next order\"");
    assert!(h.get_all_by_label("parameter").count() >= 1);
    assert!(h.get_all_by_label("default").count() >= 1);
    h.get_by_label_contains("set by load1");
    // The run and its chained run are listed, the chained one under its parent.
    h.get_by_label_contains("#1 WKF1/signal1 — finished (designer)");
    h.get_by_label_contains("↪");
    // The path is on the canvas.
    let o = h.state().overlay();
    for a in ["signal1", "transfer1", "load1", "update1", "test1"] {
        assert_eq!(o.visits.get(a), Some(&1), "{a} visited once: {o:?}");
    }
    assert!(
        o.taken
            .contains(&("signal1".into(), Port::Out, "transfer1".into())),
        "{o:?}"
    );
    assert!(!o.visits.contains_key("end2"), "{o:?}");
    // Selecting a visited activity shows its resolved settings in the inspector.
    h.state_mut()
        .apply(ViewCommand::Select(Some("transfer1".into())));
    h.run_ok();
    h.get_by_label_contains("In run #1: 1 visit");
    assert!(
        h.get_all_by_label("/incoming/customers_2025-01.csv")
            .next()
            .is_some()
    );
}

#[test]
fn a_pasted_payload_with_an_undeclared_parameter_is_named() {
    let mut h = example();
    click(&mut h, "Edit as JSON");
    select_all_and_type(
        &mut h,
        "Payload JSON",
        r#"{"source": "cms", "parameters": {"fileToTarget": "a.csv", "bogus": 1}}"#,
    );
    h.get_by_label_contains("⛔ 'bogus' is not declared by signal 'signal1'");
    // Regression: the message names the parameter once, not "bogus: 'bogus' ...".
    assert!(h.query_by_label_contains("bogus: 'bogus'").is_none());
    // Malformed JSON says where.
    select_all_and_type(
        &mut h,
        "Payload JSON",
        r#"{"source": "cms", "parameters": {"#,
    );
    h.get_by_label_contains("malformed JSON at line 1");
    select_all_and_type(
        &mut h,
        "Payload JSON",
        r#"{"source": "cms", "parameters": {"fileToTarget": "a.csv", "bogus": 1}}"#,
    );
    click_contains(&mut h, "▶ Run");
    wait_idle(&mut h);
    h.get_by_label_contains("Rejected with 1 problem:");
    let runs = flowcall::ui::lock_session(h.state().simulator())
        .runs()
        .len();
    assert_eq!(runs, 0, "a rejected trigger starts no run");
}

#[test]
fn step_through_a_run_and_stop_at_a_breakpoint() {
    let mut h = example();
    // The breakpoint dot on the node's title.
    click_breakpoint_toggle(&mut h, "update1");
    assert!(
        h.state()
            .breakpoints()
            .contains(&("WKF1".into(), "update1".into()))
    );
    select_all_and_type(&mut h, "fileToTarget *", "customers_2025-01.csv");
    click_contains(&mut h, "▶ Run");
    wait_idle(&mut h);
    h.get_by_label_contains("Stopped at breakpoint WKF1/update1");
    let o = h.state().overlay();
    assert_eq!(o.next.as_deref(), Some("update1"), "{o:?}");
    assert_eq!(o.current.as_deref(), Some("load1"), "{o:?}");
    assert!(o.breakpoints.contains("update1"));
    assert!(!o.visits.contains_key("update1"));
    click_contains(&mut h, "Step");
    h.get_by_label_contains("Visited WKF1/update1");
    let o = h.state().overlay();
    assert_eq!(o.current.as_deref(), Some("update1"), "{o:?}");
    assert_eq!(o.visits.get("update1"), Some(&1));
    click_contains(&mut h, "Continue");
    wait_idle(&mut h);
    h.get_by_label_contains("Finished: nothing left to do");
    h.get_by_label_contains("#1 WKF1/signal1 — finished (designer)");
}

#[test]
fn a_saved_scenario_passes_then_fails_after_a_design_change() {
    let mut h = example();
    select_all_and_type(&mut h, "fileToTarget *", "customers_2025-01.csv");
    click(&mut h, "Scenarios");
    select_all_and_type(&mut h, "Scenario name", "january import");
    click(&mut h, "Save run form as scenario");
    wait_idle(&mut h);
    h.get_by_label("✔ january import passed");
    let saved = h
        .state()
        .design()
        .scenarios
        .iter()
        .find(|s| s.name == "january import")
        .expect("saved in the design")
        .clone();
    assert_eq!(saved.expect.accepted, Some(true));
    assert_eq!(
        saved.expect.variables.get("discountDesc"),
        Some(&Value::String("10% off your next order".into()))
    );
    // Change the default the scenario saw: it fails, naming the variable.
    let mut signal = h
        .state()
        .design()
        .workflow("WKF1")
        .and_then(|w| w.activity("signal1"))
        .cloned()
        .expect("signal1");
    if let ActivityKind::ExternalSignal(c) = &mut signal.kind {
        c.parameters[1].default = Some(Value::String("20% off".into()));
    }
    h.state_mut().apply(EditCommand::EditActivity {
        workflow: "WKF1".into(),
        activity: Box::new(signal),
        coalesce: "test".into(),
    });
    h.run_ok();
    click(&mut h, "Run all scenarios");
    wait_idle(&mut h);
    h.get_by_label("❌ january import failed");
    assert!(
        h.get_all_by_label_contains(
            "variable 'discountDesc': expected \"10% off your next order\", got \"20% off\""
        )
        .next()
        .is_some()
    );
    // With auto-run on, undoing the change runs the scenarios again: it passes.
    click(&mut h, "Simulator");
    click(&mut h, "Auto-run");
    wait_idle(&mut h);
    h.state_mut().apply(EditCommand::Undo);
    click(&mut h, "Scenarios");
    let start = Instant::now();
    while h.query_by_label("✔ january import passed").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "auto-run did not pass again"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn listening_shows_incoming_api_calls_live() {
    let mut h = example();
    click(&mut h, "Listen for API calls");
    let (base, token) = h
        .state()
        .simulator()
        .listening()
        .expect("the switch starts the endpoint");
    h.get_by_label(&format!("Listening on {base}"));
    h.get_by_label(&token);
    assert!(
        h.query_all_by(|n| n
            .value()
            .is_some_and(|l| l.starts_with("curl -sS -X POST") && l.contains(&token)))
            .next()
            .is_some(),
        "a copyable curl call with the token is shown"
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let url = format!("{base}/workflow/execution/WKF1/activities/activity/signal1/trigger");
    let body = r#"{"source": "cms", "parameters": {"fileToTarget": "customers_2025-01.csv"}}"#;
    let mut resp = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    let answer: serde_json::Value =
        serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
    let id = answer["run"].as_u64().expect("run id in the answer");
    // Without the token: 401, and nothing recorded.
    let resp = agent
        .post(&url)
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    // The run appears in the runs list without any click in the designer.
    let row = format!("#{id} WKF1/signal1 — finished (cms)");
    let start = Instant::now();
    while h.query_by_label_contains(&row).is_none() {
        assert!(start.elapsed() < Duration::from_secs(10), "{row} not shown");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.get_by_label_contains(&row).click();
    h.run_ok();
    h.get_by_label("\"customers_2025-01.csv\"");
    h.get_by_label_contains("2 requests, 1 run started");
    // Opening another design keeps listening, on the same address, to the new design.
    let other = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/cms-newsletter.flow.ron"
    );
    h.state_mut().apply(FileCommand::OpenPath(other.into()));
    h.run_ok();
    let (again, token2) = h.state().simulator().listening().expect("still listening");
    assert_eq!(again, base);
    let resp = agent
        .get(&format!("{base}/workflow/execution/NEWSLETTER"))
        .header("Authorization", &format!("Bearer {token2}"))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    click(&mut h, "Simulator");
    click(&mut h, "Listen for API calls");
    assert!(h.state().simulator().listening().is_none());
    h.get_by_label_contains("Stopped listening: 1 request, 0 runs started");
}

#[test]
fn a_breakpoint_follows_its_activity_when_renamed() {
    let mut h = example();
    click_breakpoint_toggle(&mut h, "update1");
    h.state_mut().apply(EditCommand::RenameActivity {
        workflow: "WKF1".into(),
        old: "update1".into(),
        new: "update_profiles".into(),
    });
    h.run_ok();
    let bps = h.state().breakpoints().clone();
    assert!(
        bps.contains(&("WKF1".into(), "update_profiles".into())),
        "{bps:?}"
    );
    assert!(!bps.contains(&("WKF1".into(), "update1".into())), "{bps:?}");
    h.get_by_label("Breakpoint on update_profiles");
}

#[test]
fn allowed_values_are_a_choice_list_and_conversions_show_as_such() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/cms-newsletter.flow.ron"
    );
    let design = flowcall::io::load(std::path::Path::new(path)).expect("example loads");
    let mut h = tall(App::new(
        design,
        Some(path.into()),
        "cms-newsletter.flow.ron",
    ));
    click(&mut h, "Simulator");
    select_all_and_type(&mut h, "audience *", "gold customers");
    select_all_and_type(&mut h, "email *", "Our new issue");
    select_all_and_type(&mut h, "contentURL *", "https://cms.example/issue-7");
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "template")
        .click();
    h.run_ok();
    click(&mut h, "newsletter_gold");
    click_contains(&mut h, "▶ Run");
    wait_idle(&mut h);
    h.get_by_label("\"newsletter_gold\"");
    h.get_by_label("\"gold customers\"");
    // The same payload as JSON, with a number where the contract says String: the Lenient
    // policy converts it and the variables table says so.
    click(&mut h, "Edit as JSON");
    let json = r#"{"source": "cms", "parameters": {"audience": "gold customers", "email": 7, "contentURL": "https://cms.example/issue-7"}}"#;
    select_all_and_type(&mut h, "Payload JSON", json);
    // Within the design's 600 s cooldown a second trigger is refused: the form says so before
    // the Run, and when the next trigger is allowed.
    h.get_by_label_contains(
        "The payload is valid, but the cooldown refuses a trigger of this signal until 2025-01-06 09:10",
    );
    h.get_by_label_contains("Next trigger of NEWSLETTER/signal1 allowed at 2025-01-06 09:10");
    click_contains(&mut h, "▶ Run");
    wait_idle(&mut h);
    h.get_by_label_contains("Rejected with 1 problem:");
    h.get_by_label_contains("too soon: signal 'signal1' of workflow 'NEWSLETTER'");
    let before = flowcall::ui::lock_session(h.state().simulator()).clock();
    click(&mut h, "Advance clock");
    let after = flowcall::ui::lock_session(h.state().simulator()).clock();
    assert_eq!(flowcall::model::time::seconds_between(before, after), 3_600);
    h.get_by_label("✔ The payload is valid for this signal");
    click_contains(&mut h, "▶ Run");
    wait_idle(&mut h);
    h.get_by_label("converted from 7 (number)");
    h.get_by_label_contains("conversion of email:");
}

#[test]
fn after_a_run_the_transitions_carry_their_counts() {
    let mut h = example();
    select_all_and_type(&mut h, "fileToTarget *", "customers_2025-01.csv");
    click_contains(&mut h, "▶ Run");
    wait_idle(&mut h);
    let o = h.state().overlay();
    let run = h
        .state()
        .simulator()
        .selected_run()
        .expect("the run is shown");
    assert_eq!(o.run, Some(run));
    // Every taken transition has the population that went through it.
    assert!(!o.taken.is_empty());
    for t in &o.taken {
        assert!(o.counts.contains_key(t), "{t:?} has a count: {o:?}");
    }
    let load = ("load1".to_owned(), Port::Out, "update1".to_owned());
    let rows = o.counts[&load];
    // The sample file of January has rows; the count is what Load file passed on.
    let trace_out = flowcall::ui::lock_session(h.state().simulator())
        .trace()
        .iter()
        .find(|v| v.run == run && v.activity == "load1")
        .and_then(|v| v.count_out)
        .expect("load1 counted its rows");
    assert_eq!(rows, trace_out);
    assert!(rows > 0);
    // The canvas shows each count in a chip on its transition; hovering says what and which run.
    let canvas = &h.state().canvas;
    let (from, to) = (
        canvas.node_screen_rect("load1").expect("load1"),
        canvas.node_screen_rect("update1").expect("update1"),
    );
    let chip = h
        .get_all_by_label(&rows.to_string())
        .map(|n| canvas.to_global * n.rect())
        .find(|r| r.center().x > from.right() && r.center().x < to.left())
        .expect("a count chip on the transition from load1 to update1");
    h.hover_at(chip.center());
    h.run_steps(60);
    let hover =
        format!("{rows} records went from 'Load file' (out) to 'Update profiles' in run #{run}");
    assert!(
        h.query_all_by_label_contains(&hover).next().is_some(),
        "hover text «{hover}»"
    );
}

#[test]
fn an_empty_required_field_is_not_sent_and_gives_the_required_error() {
    let mut h = example();
    // The example's fileToTarget is required and starts empty.
    let required =
        "'fileToTarget' is required by signal 'signal1' of workflow 'WKF1' but was not passed";
    h.get_by_label_contains(required);
    assert!(
        h.query_by_label_contains("The payload is valid").is_none(),
        "not called valid"
    );
    click_contains(&mut h, "▶ Run");
    wait_idle(&mut h);
    h.get_by_label_contains("Rejected with 1 problem:");
    assert!(
        h.get_all_by_label_contains(required).count() >= 2,
        "the run is refused with the same error"
    );
    select_all_and_type(&mut h, "fileToTarget *", "customers_2025-01.csv");
    h.get_by_label_contains("The payload is valid");
}

#[test]
fn the_cooldown_is_shown_and_edited_in_the_simulator_tab() {
    let mut h = example();
    h.get_by_label_contains("(10 min between two triggers of a signal)");
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Trigger cooldown")
        .click();
    h.run_ok();
    assert_eq!(
        h.state().design().compatibility.trigger_cooldown,
        flowcall::model::Cooldown::Off
    );
    h.get_by_label_contains("(a signal may be triggered at any time)");
    assert!(h.state().is_dirty(), "an edit of the design");
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    assert_eq!(
        h.state().design().compatibility.trigger_cooldown,
        flowcall::model::Cooldown::Seconds(600)
    );
}

/// Regression: at 1440x900 each workflow's command buttons, laid out as a grid row, ran under
/// the runs list (its Restart button half covered). They stay in their column now.
#[test]
fn regression_workflow_commands_stay_left_of_the_runs_list_at_1440() {
    let mut h = common::harness_sized(
        flowcall::ui::example_app().expect("example loads"),
        egui::vec2(1440.0, 900.0),
    );
    h.get_by_label("Simulator").click();
    h.run_ok();
    let runs = h.get_by_label("Runs (0)").rect();
    let restarts: Vec<egui::Rect> = h.get_all_by_label("Restart").map(|n| n.rect()).collect();
    assert_eq!(restarts.len(), 2, "one per workflow");
    for r in restarts {
        assert!(
            r.right() < runs.left(),
            "{r:?} reaches the runs list at {runs:?}"
        );
    }
}
