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

#[test]
fn a_batch_line_allocates_little() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/file-to-audience.flow.ron");
    let prepared = Arc::new(Prepared::new(flowcall::io::load(&path).unwrap()));
    let runner = BatchRunner::new(prepared, "WKF1", "signal1");
    let line = br#"{"source": "bench", "parameters": {"fileToTarget": "customers_2025-01.csv", "discountDesc": "5% off"}}"#;
    let warm = runner.run_line(1, line);
    assert!(warm.accepted && warm.finished, "{}", warm.json);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let outcome = runner.run_line(2, line);
    let used = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert!(outcome.accepted);
    println!("allocations for one accepted line (two chained runs): {used}");
    assert!(used < 90, "{used} allocations");
}
