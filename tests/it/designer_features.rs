//! UI tests of the designer's views of the library's newer features, through the real app
//! (egui_kittest, no window): the function picker by the reference's families, the Contract
//! changes view of the Problems tab, scenario coverage drawn on the canvas, and a batch of
//! payloads generated from the contract.
#![cfg(feature = "gui")]
#![allow(clippy::expect_used, clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flowcall::ui::{App, BottomTab, EditCommand, ViewCommand};

use crate::common;
use common::harness;
use std::time::{Duration, Instant};

/// Steps the app (with a short sleep between frames) until `done` holds; fails after 60 s.
fn wait_until(h: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out after 60 s waiting for {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_ok();
}

/// The menu entry (not a plain label) named `name`.
fn menu_entry<'h>(h: &'h Harness<'_, App>, name: &'h str) -> Option<egui_kittest::Node<'h>> {
    h.query_all_by_label(name)
        .find(|n| egui_kittest::kittest::NodeT::accesskit_node(n).role() != egui::Role::Label)
}

fn label_starting(h: &Harness<'_, App>, prefix: &str) -> bool {
    h.query_by(|n| n.label().is_some_and(|l| l.starts_with(prefix)))
        .is_some()
}

#[test]
fn the_function_picker_lists_the_reference_families_and_inserts_a_function() {
    let mut h = harness(flowcall::ui::example_app().expect("example loads"));
    h.state_mut()
        .apply(ViewCommand::Select(Some("save1".into())));
    h.run_ok();
    h.get_all_by_label("ƒ()")
        .next()
        .expect("a function picker")
        .click();
    h.run_ok();
    // Sub-menus are named after the families.
    for family in [
        "Dates",
        "Geomarketing",
        "Numerical",
        "Others",
        "String",
        "Event variables",
    ] {
        assert!(menu_entry(&h, family).is_some(), "{family}");
    }
    menu_entry(&h, "String").expect("String").click();
    h.run_ok();
    h.get_by(|n| n.label().is_some_and(|l| l.starts_with("JuxtWords(")))
        .click();
    h.run_ok();
    let wf = h.state().design().workflow("WKF1").unwrap();
    let label = match &wf.activity("save1").unwrap().kind {
        flowcall::model::ActivityKind::SaveAudience(s) => s.label.clone(),
        other => panic!("{other:?}"),
    };
    assert!(label.ends_with("JuxtWords("), "{label}");
}

#[test]
fn a_type_change_is_listed_as_breaking_until_undone() {
    let mut h = harness(flowcall::ui::example_app().expect("example loads"));
    h.get_by_label_contains("Contract changes since saved — no contract changes");
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF2".into()));
    h.state_mut()
        .apply(ViewCommand::Select(Some("signal1".into())));
    h.run_ok();
    // segmentCode is WKF2/signal1's third parameter: make it an Integer.
    h.get_all_by_label("Type")
        .nth(2)
        .expect("third type")
        .click();
    h.run_ok();
    h.get_by_label("Integer").click();
    h.run_ok();
    assert!(h.state().contract_changes().is_breaking());
    assert!(
        label_starting(&h, "WKF2/signal1: breaking: "),
        "a breaking line for the signal"
    );
    h.get_by_label_contains("Contract changes since saved — 1 breaking for API callers");
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    h.run_ok();
    h.get_by_label_contains("Contract changes since saved — no contract changes");
    assert!(!label_starting(&h, "WKF2/signal1: breaking: "));
}

#[test]
fn coverage_draws_what_no_scenario_reaches_on_the_canvas() {
    let design = flowcall::io::load(std::path::Path::new("tests/coverage/partial.flow.ron"))
        .expect("the partial design loads");
    let mut h = harness(App::new(design, None, "partial.flow.ron"));
    h.state_mut()
        .apply(ViewCommand::ShowTab(BottomTab::Scenarios));
    h.run_ok();
    h.get_by_label("Coverage").click();
    h.run_ok();
    wait_until(&mut h, "the coverage to be measured", |a| {
        a.simulator().coverage().is_some() && !a.simulator().busy()
    });
    h.get_by_label_contains("Coverage: 90.9% (20 of 22 activities and transitions)");
    h.get_by_label_contains("not reached: WKF1/test1 -> end2 (default)");
    let overlay = h.state().simulator().overlay().clone();
    assert!(overlay.coverage);
    assert!(overlay.missed.contains("end2"), "{overlay:?}");
    // Four of the scenarios are accepted and visit the signal.
    assert_eq!(overlay.visits.get("signal1"), Some(&4), "{overlay:?}");
    // The canvas says it too, on the activity (revealed, as a click on a problem reveals it:
    // the canvas draws only what is in view).
    h.state_mut().apply(ViewCommand::Reveal {
        workflow: Some("WKF1".into()),
        activity: Some("end2".into()),
        field: None,
    });
    h.run_ok();
    h.run_ok();
    h.get_by_label("✖ not reached");
    // Off again: the canvas shows no coverage.
    h.get_by_label("Coverage").click();
    h.run_ok();
    assert!(!h.state().simulator().overlay().coverage);
}

#[test]
fn a_batch_of_generated_payloads_gets_what_each_expects() {
    let mut h = harness(flowcall::ui::example_app().expect("example loads"));
    h.state_mut().apply(ViewCommand::ShowTab(BottomTab::Batch));
    h.state_mut().batch.generate.count = 300;
    h.state_mut().batch.generate.invalid = 0.4;
    h.run_ok();
    h.get_by_label("Generate payloads").click();
    h.run_ok();
    wait_until(&mut h, "the payloads to be generated and counted", |a| {
        !a.batch.is_generating() && !a.batch.is_counting() && a.batch.file().is_some()
    });
    assert_eq!(h.state().batch.file().and_then(|f| f.payloads), Some(300));
    h.get_by_label("Run batch").click();
    h.step();
    wait_until(&mut h, "the batch to finish", |a| !a.batch.is_running());
    let s = &h.state().batch.result().expect("a result").summary;
    assert_eq!(s.expected_lines(), 300);
    assert_eq!(s.mismatch_count(), 0, "{:?}", s.first_mismatch);
    assert!(s.rejected > 60, "{}", s.rejected);
    h.get_by_label_contains("Expected outcomes: 300 lines said what they expect, 0 did not get it");
}
