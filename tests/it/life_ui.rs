//! UI tests of the workflows' life cycle in the designer (egui_kittest drives the real [`App`]):
//! a suspended activity shown and run again by Resume; a held branch released by its button;
//! the Log and tasks listing the tasks of a chained run; the Execution and errors section of the
//! inspector and the workflow's consecutive errors.
#![cfg(feature = "gui")]
#![allow(clippy::expect_used, clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use flowcall::model::{OnError, WorkflowState};
use flowcall::sim::RunStatus;
use flowcall::ui::{App, ViewCommand};
use std::path::Path;

use crate::common;
use common::{harness, select_all_and_type, wait_idle};

fn open(name: &str) -> Harness<'static, App> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/life")
        .join(name);
    let design = flowcall::io::load(&path).expect("the design loads");
    let mut app = App::new(design, None, name);
    // The Simulator tab taller, as a user who works in it makes it (its height is the user's).
    app.set_bottom_height(420.0);
    let mut h = harness(app);
    h.get_by_label("Simulator").click();
    h.run_ok();
    h
}

fn run_with(h: &mut Harness<'_, App>, field: &str, value: &str) {
    select_all_and_type(h, field, value);
    h.get_by(|n| n.label().is_some_and(|l| l.starts_with("▶ Run")))
        .click();
    h.run_ok();
    wait_idle(h);
}

fn state(h: &Harness<'_, App>, workflow: &str) -> Option<WorkflowState> {
    flowcall::ui::lock_session(h.state().simulator()).state(workflow)
}

#[test]
fn a_suspended_activity_is_shown_and_resume_runs_it_again() {
    let mut h = open("suspend-resume.flow.ron");
    run_with(&mut h, "audience *", "JanuaryGold");
    assert_eq!(state(&h, "CAMPAIGN"), Some(WorkflowState::Erroneous));
    h.get_by_label_contains("erroneous (Erroneous)");
    h.get_by_label_contains("suspended on 'read1'");
    let o = h.state().overlay();
    assert_eq!(
        o.kept.get("read1"),
        Some(&flowcall::sim::VisitStatus::Suspended),
        "{o:?}"
    );
    // Pause is refused while erroneous; Resume is the way on.
    let pauses: Vec<bool> = h
        .get_all_by_label("Pause")
        .map(|n| n.accesskit_node().is_disabled())
        .collect();
    assert_eq!(
        pauses,
        [true, false],
        "CAMPAIGN's Pause disabled, BUILDER's not"
    );
    let resume = h
        .get_all_by_label("Resume")
        .find(|n| !n.accesskit_node().is_disabled())
        .expect("an enabled Resume");
    resume.click();
    h.run_ok();
    wait_idle(&mut h);
    assert_eq!(state(&h, "CAMPAIGN"), Some(WorkflowState::Started));
    assert!(h.query_by_label_contains("suspended on 'read1'").is_none());
    let sim = flowcall::ui::lock_session(h.state().simulator());
    let run = sim.run(1).expect("run 1");
    assert_eq!(run.status, RunStatus::Finished, "{:?}", run.errors);
    assert_eq!(sim.outbox().len(), 1);
}

#[test]
fn a_held_branch_is_released_by_its_button() {
    let mut h = open("held.flow.ron");
    run_with(&mut h, "audience *", "GoldMembers");
    h.get_by_label_contains("1 branch held at 'email1'");
    assert_eq!(
        h.state().overlay().kept.get("email1"),
        Some(&flowcall::sim::VisitStatus::Held)
    );
    h.get_by_label("Release email1").click();
    h.run_ok();
    wait_idle(&mut h);
    assert!(h.query_by_label("Release email1").is_none());
    let sim = flowcall::ui::lock_session(h.state().simulator());
    assert!(sim.holds().is_empty());
    assert_eq!(sim.outbox().len(), 1);
    assert_eq!(sim.runs()[0].status, RunStatus::Finished);
}

#[test]
fn the_log_and_tasks_lists_the_tasks_of_a_chained_run() {
    let mut h = open("suspend-resume.flow.ron");
    run_with(&mut h, "audience *", "JanuaryGold");
    h.get_by_label("Log and tasks").click();
    h.run_ok();
    for task in [
        "CAMPAIGN/signal1",
        "CAMPAIGN/end2",
        "CAMPAIGN/read1",
        "BUILDER/signal1",
        "BUILDER/wait1",
        "BUILDER/save1",
    ] {
        h.get_by_label(task);
    }
    h.get_by_label("suspended");
    // The chained run's tasks are on the virtual clock: the save an hour after the trigger.
    assert!(h.get_all_by_label("10:00:00").next().is_some());
}

#[test]
fn the_inspector_shows_the_execution_options_and_the_threshold() {
    let mut h = open("ignore-threshold.flow.ron");
    h.state_mut()
        .queue(ViewCommand::Select(Some("read1".into())));
    h.run_ok();
    h.get_by_label("Execution and errors");
    // The two choices, each named by its label for screen readers.
    h.get_by_label("Execution");
    h.get_by_label("In case of error");
    h.get_by_label("Consecutive errors");
    let threshold = h.state().design().workflows[0].consecutive_errors;
    assert_eq!(threshold, 2);
    let mut h = open("suspend-resume.flow.ron");
    h.state_mut()
        .queue(ViewCommand::Select(Some("read1".into())));
    h.run_ok();
    h.get_by_label("In case of error");
    assert_eq!(
        h.state().design().workflows[0].activities[3]
            .options
            .on_error,
        OnError::Suspend
    );
}
