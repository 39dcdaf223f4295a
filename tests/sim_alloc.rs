//! Allocation budget of one batch line: counts heap allocations made while running a payload
//! through the `file-to-audience` example, so that the batch fast path stays lean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flowcall::sim::{BatchRunner, Prepared};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The tests count the allocations of the whole process: one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A runner of the `file-to-audience` example's signal, with the turn to count allocations.
fn example_runner() -> (std::sync::MutexGuard<'static, ()>, BatchRunner) {
    let turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/file-to-audience.flow.ron");
    let prepared = Arc::new(Prepared::new(flowcall::io::load(&path).unwrap()));
    (turn, BatchRunner::new(prepared, "WKF1", "signal1"))
}

#[test]
fn a_batch_line_allocates_little() {
    let (_one, runner) = example_runner();
    let line = br#"{"source": "bench", "parameters": {"fileToTarget": "customers_2025-01.csv", "discountDesc": "5% off"}}"#;
    let warm = runner.run_line(1, line);
    assert!(warm.accepted && warm.finished, "{}", warm.json);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let outcome = runner.run_line(2, line);
    let used = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert!(outcome.accepted);
    println!("allocations for one accepted line (two chained runs): {used}");
    assert!(used < 70, "{used} allocations");
}

/// A batch reuses one session per thread: past the first payloads, a payload allocates what its
/// own texts need (read, checked, evaluated, written), not the session's buffers again.
#[test]
fn a_batch_allocates_little_per_payload() {
    let (_one, runner) = example_runner();
    let files = [
        "customers_2025-01.csv",
        "customers_2025-02.csv",
        "customers_*.csv",
    ];
    let lines = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|i| {
                format!(
                    r#"{{"source": "s{i}", "parameters": {{"fileToTarget": "{}", "discountDesc": "{i}% off"}}}}"#,
                    files[i % files.len()]
                ) + "\n"
            })
            .collect::<String>()
            .into_bytes()
    };
    let count = |input: &[u8]| {
        let mut out = Vec::with_capacity(input.len() * 8);
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let summary = runner.run(input, &mut out, &mut |_| {}).unwrap();
        assert_eq!((summary.accepted, summary.failed), (summary.lines, 0));
        ALLOCATIONS.load(Ordering::Relaxed) - before
    };
    let (few, many) = (count(&lines(100)), count(&lines(3_100)));
    let per_payload = (many - few) as f64 / 3_000.0;
    println!("allocations per payload of a batch (two chained runs each): {per_payload:.1}");
    assert!(per_payload < 45.0, "{per_payload} allocations per payload");
}
