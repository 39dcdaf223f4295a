//! The designer after a panic (issue 28): the app keeps the panic hook's copy of the unsaved
//! work current, so that a panic writes the last edit to the recovery file, and the next start
//! says what happened and offers the work back. The hook is not installed here (a panic hook is
//! global to the test process; `tests/panic_recovery.rs` installs one in a process of its own):
//! the test calls what the hook calls.

use crate::common::harness;
use flowcall::io::recovery::PanicRecovery;
use flowcall::ui::{EditCommand, RecoveryChoice};

#[test]
fn a_panic_after_an_edit_keeps_the_edit_and_the_next_start_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recovery.flow.ron");
    let hook = PanicRecovery::new(path.clone());
    let app = flowcall::ui::example_app()
        .unwrap()
        .with_recovery(path.clone())
        .with_panic_recovery(hook.clone());
    let mut h = harness(app);
    // Nothing unsaved yet: a panic now has nothing to keep.
    assert!(!hook.write_now("before any edit").unwrap());
    h.state_mut().apply(EditCommand::AddWorkflow);
    h.run_ok();
    let edited = h.state().design().clone();
    assert!(
        hook.write_now("index out of bounds at src/export/feel.rs:442:5")
            .unwrap()
    );
    assert_eq!(flowcall::io::load(&path).unwrap(), edited);

    // The next start tells the user and offers the work back.
    let next = flowcall::ui::example_app()
        .unwrap()
        .with_recovery(path.clone());
    let mut h = harness(next);
    let told = h.state().message().unwrap_or_default().to_owned();
    assert!(told.contains("stopped unexpectedly"), "{told}");
    assert!(told.contains("feel.rs:442"), "{told}");
    h.state_mut()
        .apply(flowcall::ui::FileCommand::Recovery(RecoveryChoice::Restore));
    h.run_ok();
    assert_eq!(h.state().design(), &edited);
    // Told once.
    let third = harness(flowcall::ui::example_app().unwrap().with_recovery(path));
    assert!(
        !third
            .state()
            .message()
            .is_some_and(|m| m.contains("stopped unexpectedly"))
    );
}
