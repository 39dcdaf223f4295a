//! Load + check of a generated design of 2,000 activities (target: median under 50 ms), and
//! the error of a deeply nested file.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn load_and_check(c: &mut Criterion) {
    let design = flowcall::model::generated_design(4, 500);
    let text = match flowcall::io::to_ron_string(&design) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    assert!(design.activity_count() >= 2000);
    let mut group = c.benchmark_group("design_2000_activities");
    group.bench_function("load", |b| {
        b.iter(|| flowcall::io::load_str(black_box(&text)).map(|d| d.workflows.len()))
    });
    group.bench_function("load_and_check", |b| {
        b.iter(|| {
            flowcall::io::load_str(black_box(&text)).map(|d| flowcall::check::check(&d).len())
        })
    });
    group.finish();
    // A small file nested deeply: its recursion-limit error is located in one linear pass
    // (26-29 s when the locator rebuilt its bracket stack for every byte).
    let nested = "(".repeat(100_000);
    c.bench_function("locate_error_100000_brackets", |b| {
        b.iter(|| flowcall::io::load_str(black_box(&nested)).is_err())
    });
}

criterion_group!(benches, load_and_check);
criterion_main!(benches);
