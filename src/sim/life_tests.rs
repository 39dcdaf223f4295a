//! Unit tests of the workflows' life cycle (docs/SIMULATOR.md, "Workflow states" and
//! "Execution and errors"): Suspend and Resume, Ignore and the consecutive errors threshold,
//! held and released branches, skipped branches, an End that stops all tasks, Restart, and the
//! commands each state refuses with why.

use super::*;

fn read(id: &str, audience: &str) -> Activity {
    act(
        id,
        ActivityKind::ReadAudience(ReadAudienceSettings {
            audience: audience.into(),
            segment_code: String::new(),
        }),
    )
}

fn email(id: &str) -> Activity {
    act(
        id,
        ActivityKind::EmailDelivery(EmailSettings {
            label: "'News'".into(),
            template: "'news'".into(),
            parameters: Vec::new(),
        }),
    )
}

fn with(mut a: Activity, options: ActivityOptions) -> Activity {
    a.options = options;
    a
}

fn suspend() -> ActivityOptions {
    ActivityOptions {
        on_error: OnError::Suspend,
        ..ActivityOptions::default()
    }
}

fn execution(execution: Execution) -> ActivityOptions {
    ActivityOptions {
        execution,
        ..ActivityOptions::default()
    }
}

/// `signal1(aud) -> read1($(vars/@aud)) -> email1 -> end1`, read1 with `options`.
fn reader(options: ActivityOptions) -> Arc<Prepared> {
    linear(vec![
        sig(&[("aud", Type::String)]),
        with(read("read1", "$(vars/@aud)"), options),
        email("email1"),
        act("end1", end()),
    ])
}

fn aud(sim: &mut Simulator, audience: &str) -> TriggerOutcome {
    trigger(
        sim,
        &format!(r#"{{"source": "x", "parameters": {{"aud": "{audience}"}}}}"#),
    )
}

/// The same design with the audience `name` in its sample data.
fn with_audience(p: &Arc<Prepared>, name: &str) -> Arc<Prepared> {
    let mut d = p.design.clone();
    d.sample
        .audiences
        .insert(name.into(), vec!["a@x.com".into()]);
    Arc::new(Prepared::new(d))
}

#[test]
fn suspend_makes_the_workflow_erroneous_and_resume_runs_the_activity_again() {
    let d = reader(suspend());
    let mut sim = started(&d);
    let TriggerOutcome::Started(id) = aud(&mut sim, "Late") else {
        panic!("not started")
    };
    assert_eq!(sim.run_to_end(), Stop::Idle);
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Erroneous));
    let s = sim.suspension("WKF1").expect("suspended");
    assert_eq!(s.activity, "read1");
    assert!(
        s.message.contains("audience 'Late' does not exist"),
        "{}",
        s.message
    );
    let run = sim.run(id).unwrap();
    assert_eq!(run.status, RunStatus::Suspended);
    assert!(
        run.errors.is_empty(),
        "the error waits, it is not the run's yet"
    );
    let v = visit(&sim, "read1");
    assert_eq!(v.status, VisitStatus::Suspended);
    assert_eq!(v.status_name(), "suspended");

    // A trigger while erroneous is queued, as while paused.
    assert_eq!(aud(&mut sim, "Gold"), TriggerOutcome::Queued);
    // Pause and Start are refused with what to do instead.
    assert_eq!(
        sim.pause("WKF1").unwrap_err().to_string(),
        "cannot pause workflow 'WKF1': it is erroneous (it waits already; resume or stop it)"
    );
    assert!(
        sim.start("WKF1")
            .unwrap_err()
            .to_string()
            .contains("resume it")
    );

    // The user fixes the data; Resume runs read1 again, then the queued trigger.
    sim.adopt(with_audience(&d, "Late")).unwrap();
    sim.resume("WKF1").unwrap();
    assert_eq!(sim.run_to_end(), Stop::Idle);
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Started));
    assert!(sim.suspension("WKF1").is_none());
    let run = sim.run(id).unwrap();
    assert_eq!(run.status, RunStatus::Finished, "{:?}", run.errors);
    assert_eq!(run.ends.len(), 1);
    let reads: Vec<VisitStatus> = sim
        .trace()
        .iter()
        .filter(|v| v.activity == "read1" && v.run == id)
        .map(|v| v.status)
        .collect();
    assert_eq!(reads, [VisitStatus::Suspended, VisitStatus::Ran]);
    assert!(
        sim.trace()
            .iter()
            .find(|v| v.activity == "read1")
            .and_then(|v| v.until)
            .is_some(),
        "the suspended task ends when resumed"
    );
    assert_eq!(sim.runs().len(), 2, "the queued trigger ran on resume");
    assert!(sim.runs().iter().all(|r| r.status == RunStatus::Finished));
}

#[test]
fn resume_without_a_fix_suspends_again() {
    let d = reader(suspend());
    let mut sim = started(&d);
    aud(&mut sim, "Late");
    sim.run_to_end();
    sim.resume("WKF1").unwrap();
    sim.run_to_end();
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Erroneous));
    let suspended = sim
        .trace()
        .iter()
        .filter(|v| v.status == VisitStatus::Suspended)
        .count();
    assert_eq!(suspended, 2);
}

#[test]
fn adopting_an_edit_that_changes_the_shape_is_refused() {
    let d = reader(suspend());
    let mut sim = started(&d);
    let mut edited = d.design.clone();
    edited.workflows[0].activities.pop();
    edited.workflows[0].transitions.pop();
    let e = sim.adopt(Arc::new(Prepared::new(edited))).unwrap_err();
    assert!(
        e.to_string()
            .contains("activities of workflow 'WKF1' were added or removed"),
        "{e}"
    );
}

#[test]
fn ignore_ends_the_branch_and_the_workflow_goes_on() {
    let d = reader(ActivityOptions::default());
    let mut sim = started(&d);
    aud(&mut sim, "Nope");
    sim.run_to_end();
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Started));
    let run = &sim.runs()[0];
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(run.errors[0].activity, "read1");
    assert!(run.ends.is_empty());
    assert_eq!(sim.errors_in_row("WKF1"), 1);
    // A run that finishes clean sets the count back to 0.
    aud(&mut sim, "Gold");
    sim.run_to_end();
    assert_eq!(sim.errors_in_row("WKF1"), 0);
}

/// Two Read audience activities on parallel branches; the workflow allows `threshold`
/// consecutive errors.
fn two_reads(threshold: u32) -> Arc<Prepared> {
    let mut w = wf(
        "WKF1",
        vec![
            sig(&[("a", Type::String), ("b", Type::String)]),
            act(
                "fork1",
                ActivityKind::Fork(ForkSettings {
                    branches: vec!["a".into(), "b".into()],
                }),
            ),
            read("read1", "$(vars/@a)"),
            read("read2", "$(vars/@b)"),
            act("end1", end()),
            act("end2", end()),
        ],
        vec![
            tr("signal1", "fork1"),
            trp("fork1", Port::Branch("a".into()), "read1"),
            trp("fork1", Port::Branch("b".into()), "read2"),
            tr("read1", "end1"),
            tr("read2", "end2"),
        ],
    );
    w.consecutive_errors = threshold;
    design(vec![w])
}

fn two(sim: &mut Simulator, a: &str, b: &str) {
    trigger(
        sim,
        &format!(r#"{{"source": "x", "parameters": {{"a": "{a}", "b": "{b}"}}}}"#),
    );
    sim.run_to_end();
}

#[test]
fn the_threshold_not_reached_ignores_the_error() {
    let mut sim = started(&two_reads(2));
    two(&mut sim, "Gold", "Nope");
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Started));
    assert_eq!(sim.runs()[0].errors.len(), 1);
    assert_eq!(sim.runs()[0].ends.len(), 1);
}

#[test]
fn the_threshold_reached_suspends_the_workflow() {
    let mut sim = started(&two_reads(2));
    two(&mut sim, "Nope", "Never");
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Erroneous));
    assert_eq!(
        sim.runs()[0].errors.len(),
        1,
        "the first failure is ignored"
    );
    let s = sim.suspension("WKF1").unwrap();
    assert_eq!(s.activity, "read2");
    let v = sim
        .trace()
        .iter()
        .find(|v| v.status == VisitStatus::Suspended)
        .unwrap();
    assert!(
        v.notes
            .iter()
            .any(|n| n.contains("threshold of 2 consecutive errors")),
        "{:?}",
        v.notes
    );
    // Resume starts the count again: the second failure is ignored this time.
    sim.resume("WKF1").unwrap();
    sim.run_to_end();
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Started));
    assert_eq!(sim.runs()[0].errors.len(), 2);
    assert_eq!(sim.runs()[0].status, RunStatus::Failed);

    // Without a threshold, every failure is ignored.
    let mut sim = started(&two_reads(0));
    two(&mut sim, "Nope", "Never");
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Started));
    assert_eq!(sim.runs()[0].errors.len(), 2);
}

#[test]
fn a_held_branch_waits_until_released() {
    let d = linear(vec![
        sig(&[("aud", Type::String)]),
        read("read1", "$(vars/@aud)"),
        with(email("email1"), execution(Execution::EnableButDoNotExecute)),
        act("end1", end()),
    ]);
    let mut sim = started(&d);
    aud(&mut sim, "Gold");
    assert_eq!(sim.run_to_end(), Stop::Idle);
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Started));
    assert_eq!(sim.holds().len(), 1);
    assert_eq!(sim.holds()[0].activity, "email1");
    assert_eq!(sim.runs()[0].status, RunStatus::Running);
    assert!(sim.outbox().is_empty());
    assert_eq!(visit(&sim, "email1").status, VisitStatus::Held);

    // Released while paused, it goes on only when the workflow resumes.
    sim.pause("WKF1").unwrap();
    assert_eq!(sim.release("WKF1", "email1").unwrap(), 1);
    sim.run_to_end();
    assert!(sim.outbox().is_empty());
    assert_eq!(sim.parked("WKF1"), 1);
    sim.resume("WKF1").unwrap();
    sim.run_to_end();
    assert_eq!(sim.outbox().len(), 1);
    assert_eq!(sim.runs()[0].status, RunStatus::Finished);
    assert!(sim.holds().is_empty());

    // Nothing held: refused, saying why.
    let e = sim.release("WKF1", "email1").unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot release 'email1' of workflow 'WKF1': it holds no task (no branch has reached it since it was last released)"
    );
    let e = sim.release("WKF1", "read1").unwrap_err();
    assert!(
        e.to_string().contains("is not Enable but do not execute"),
        "{e}"
    );
    let e = sim.release("WKF1", "nope").unwrap_err();
    assert_eq!(e.to_string(), "workflow 'WKF1' has no activity 'nope'");
}

#[test]
fn stopping_drops_held_branches_and_fails_their_runs() {
    let d = linear(vec![
        sig(&[("aud", Type::String)]),
        with(
            read("read1", "$(vars/@aud)"),
            execution(Execution::EnableButDoNotExecute),
        ),
        act("end1", end()),
    ]);
    let mut sim = started(&d);
    aud(&mut sim, "Gold");
    sim.run_to_end();
    sim.stop("WKF1").unwrap();
    assert!(sim.holds().is_empty());
    assert_eq!(sim.runs()[0].status, RunStatus::Failed);
}

#[test]
fn do_not_enable_skips_the_activity_and_its_branch() {
    let d = linear(vec![
        sig(&[("aud", Type::String)]),
        read("read1", "$(vars/@aud)"),
        with(email("email1"), execution(Execution::DoNotEnable)),
        act("end1", end()),
    ]);
    let mut sim = started(&d);
    aud(&mut sim, "Gold");
    sim.run_to_end();
    let run = &sim.runs()[0];
    assert_eq!(run.status, RunStatus::Finished);
    assert!(run.ends.is_empty());
    assert!(sim.outbox().is_empty());
    assert_eq!(visit(&sim, "email1").status, VisitStatus::Skipped);
    assert!(sim.trace().iter().all(|v| v.activity != "end1"));
}

#[test]
fn an_end_that_stops_all_tasks_cuts_the_other_branches() {
    let d = design(vec![wf(
        "WKF1",
        vec![
            sig(&[]),
            act(
                "fork1",
                ActivityKind::Fork(ForkSettings {
                    branches: vec!["now".into(), "later".into()],
                }),
            ),
            with(
                act("end1", end()),
                ActivityOptions {
                    stop_all_tasks: true,
                    ..ActivityOptions::default()
                },
            ),
            act("wait1", ActivityKind::Wait(WaitSettings { seconds: 60 })),
            act("end2", end()),
        ],
        vec![
            tr("signal1", "fork1"),
            trp("fork1", Port::Branch("now".into()), "end1"),
            trp("fork1", Port::Branch("later".into()), "wait1"),
            tr("wait1", "end2"),
        ],
    )]);
    let mut sim = started(&d);
    trigger(&mut sim, r#"{"source": "x"}"#);
    sim.run_to_end();
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Stopped));
    let run = &sim.runs()[0];
    let ends: Vec<&str> = run.ends.iter().map(|e| e.activity.as_str()).collect();
    assert_eq!(ends, ["end1"]);
    assert_eq!(
        run.status,
        RunStatus::Finished,
        "cut, not failed: {:?}",
        run.errors
    );
    assert!(
        run.warnings
            .iter()
            .any(|w| w.contains("End 'end1' stopped workflow 'WKF1'")),
        "{:?}",
        run.warnings
    );
    assert!(sim.trace().iter().all(|v| v.activity != "end2"));
    // Stopped, it refuses triggers until started again.
    assert!(!trigger(&mut sim, r#"{"source": "x"}"#).accepted());
}

#[test]
fn restart_drops_the_failed_task_and_starts_again() {
    let d = reader(suspend());
    let mut sim = started(&d);
    aud(&mut sim, "Late");
    sim.run_to_end();
    sim.restart("WKF1").unwrap();
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::Started));
    assert!(sim.suspension("WKF1").is_none());
    let run = &sim.runs()[0];
    assert_eq!(run.status, RunStatus::Failed);
    let messages: Vec<&str> = run.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("audience 'Late'")),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"workflow 'WKF1' was stopped"),
        "{messages:?}"
    );
    // A stopped workflow restarts too; a never started one is refused.
    sim.stop("WKF1").unwrap();
    sim.restart("WKF1").unwrap();
    let mut fresh = Simulator::new(d.clone());
    assert_eq!(
        fresh.restart("WKF1").unwrap_err().to_string(),
        "cannot restart workflow 'WKF1': it is not started (start it first)"
    );
}

fn in_state(d: &Arc<Prepared>, state: WorkflowState) -> Simulator {
    let mut sim = Simulator::new(d.clone());
    if state != WorkflowState::NotStarted {
        sim.start("WKF1").unwrap();
    }
    match state {
        WorkflowState::Paused => sim.pause("WKF1").unwrap(),
        WorkflowState::Erroneous => {
            aud(&mut sim, "Late");
            sim.run_to_end();
        }
        WorkflowState::Stopped => sim.stop("WKF1").unwrap(),
        _ => {}
    }
    assert_eq!(sim.state("WKF1"), Some(state));
    sim
}

#[test]
fn every_command_from_every_state_is_allowed_or_says_why() {
    let d = reader(suspend());
    let mut table = Vec::new();
    for state in WorkflowState::ALL {
        let allowed: Vec<&str> = WorkflowCommand::ALL
            .into_iter()
            .filter(|c| {
                let mut sim = in_state(&d, state);
                let asked = sim.allows("WKF1", *c).map_err(|e| e.to_string());
                let given = sim.command("WKF1", *c).map_err(|e| e.to_string());
                assert_eq!(asked, given, "{state:?} {c:?}");
                if let Err(e) = &given {
                    let head = format!(
                        "cannot {} workflow 'WKF1': it is {}",
                        c.name(),
                        state.name()
                    );
                    assert!(e.starts_with(&head), "{e}");
                    assert_eq!(sim.state("WKF1"), Some(state), "a refusal changes nothing");
                }
                given.is_ok()
            })
            .map(|c| c.name())
            .collect();
        table.push((state.name(), allowed));
    }
    assert_eq!(
        table,
        [
            ("not started", vec!["start"]),
            ("started", vec!["pause", "stop", "restart"]),
            ("paused", vec!["resume", "stop", "restart"]),
            ("erroneous", vec!["resume", "stop", "restart"]),
            ("stopped", vec!["start", "restart"]),
        ]
    );
}

#[test]
fn a_reset_session_forgets_the_life_cycle() {
    let d = reader(suspend());
    let mut sim = started(&d);
    aud(&mut sim, "Late");
    sim.run_to_end();
    sim.reset();
    assert_eq!(sim.state("WKF1"), Some(WorkflowState::NotStarted));
    assert!(sim.suspension("WKF1").is_none());
    assert!(sim.holds().is_empty());
    assert_eq!(sim.errors_in_row("WKF1"), 0);
}

#[test]
fn life_cycle_runs_are_deterministic() {
    let go = || {
        let mut sim = started(&two_reads(2));
        two(&mut sim, "Nope", "Never");
        sim.resume("WKF1").unwrap();
        sim.run_to_end();
        report::trace_json(&sim)
    };
    assert_eq!(go(), go());
}
