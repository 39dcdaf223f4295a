//! `check` and the BPMN export of generated designs of 10,000 and 100,000 activities in one
//! workflow (the hardest case for work per activity): both must grow linearly, in activities
//! plus transitions (they took 1.6 s and 3 minutes at 10,000 and 100,000 when they scanned
//! every transition for each activity).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for n in [10_000usize, 100_000] {
        let design = flowcall::model::generated_design(1, n);
        assert!(design.activity_count() >= n);
        group.bench_with_input(BenchmarkId::new("check", n), &design, |b, d| {
            b.iter(|| flowcall::check::check(black_box(d)).len())
        });
        group.bench_with_input(BenchmarkId::new("export_bpmn", n), &design, |b, d| {
            b.iter(|| {
                flowcall::export::export(black_box(d), flowcall::export::Format::Bpmn, None)
                    .map(|e| e.text.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
