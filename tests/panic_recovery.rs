//! The designer's panic hook (`flowcall::io::recovery`), installed in a process of its own (a
//! panic hook is global): a panic on any thread writes the unsaved work to the recovery file and
//! leaves a notice that the next start reads once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flowcall::io::recovery::{PanicRecovery, take_notice};

#[test]
fn a_panic_writes_the_recovery_file_and_a_notice_for_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recovery.flow.ron");
    let recovery = PanicRecovery::new(path.clone());
    recovery.install();
    let design =
        flowcall::io::load(std::path::Path::new("examples/cms-newsletter.flow.ron")).unwrap();
    let text = flowcall::io::to_ron_string(&design).unwrap();
    recovery.set_unsaved(Some(text.clone()));
    let crashed = std::thread::spawn(|| {
        let v: Vec<u8> = Vec::new();
        let i = v.len() + 3;
        // An index out of bounds, as the BPMN export's was (issue 28).
        v[i]
    })
    .join();
    assert!(crashed.is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert_eq!(
        flowcall::io::load(&path).unwrap(),
        design,
        "the recovery file loads"
    );
    let notice = take_notice(&path).unwrap();
    assert!(notice.recovered);
    assert!(
        notice.message.contains("index out of bounds"),
        "{}",
        notice.message
    );
    assert!(
        notice.message.contains("tests/panic_recovery.rs:"),
        "{}",
        notice.message
    );
    assert!(take_notice(&path).is_none());
}
