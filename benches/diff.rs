//! `diff::compare` as the designer would call it on each edit: the file-to-audience example
//! against its edited copy (`tests/diff/file-to-audience-v2.flow.ron`), with and without the
//! `check` diagnostics already at hand, and a generated design of 2,000 activities against a
//! copy with one parameter made required.

use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::model::{ActivityKind, Design};
use std::hint::black_box;
use std::path::Path;

fn load(path: &str) -> Design {
    match flowcall::io::load(Path::new(path)) {
        Ok(d) => d,
        Err(e) => panic!("{path}: {e}"),
    }
}

fn compare(c: &mut Criterion) {
    let old = load("examples/file-to-audience.flow.ron");
    let new = load("tests/diff/file-to-audience-v2.flow.ron");
    let (old_checked, new_checked) = (flowcall::check::check(&old), flowcall::check::check(&new));
    assert!(flowcall::diff::compare(&old, &new).is_breaking());
    let mut group = c.benchmark_group("diff_file_to_audience");
    group.bench_function("compare", |b| {
        b.iter(|| {
            flowcall::diff::compare(black_box(&old), black_box(&new))
                .changes
                .len()
        })
    });
    group.bench_function("compare_with_diagnostics", |b| {
        b.iter(|| {
            flowcall::diff::compare_with(
                black_box(&old),
                black_box(&new),
                &old_checked,
                &new_checked,
            )
            .changes
            .len()
        })
    });
    group.bench_function("check_new_only", |b| {
        b.iter(|| flowcall::check::check(black_box(&new)).len())
    });
    group.finish();

    let big = flowcall::model::generated_design(4, 500);
    let mut edited = big.clone();
    if let Some(ActivityKind::ExternalSignal(contract)) = edited.workflows[0]
        .activity_mut("signal1")
        .map(|a| &mut a.kind)
        && let Some(p) = contract.parameters.get_mut(1)
    {
        p.required = true;
    }
    let (big_checked, edited_checked) = (
        flowcall::check::check(&big),
        flowcall::check::check(&edited),
    );
    assert!(flowcall::diff::compare(&big, &edited).is_breaking());
    let mut group = c.benchmark_group("diff_2000_activities");
    group.bench_function("compare_with_diagnostics", |b| {
        b.iter(|| {
            flowcall::diff::compare_with(
                black_box(&big),
                black_box(&edited),
                &big_checked,
                &edited_checked,
            )
            .changes
            .len()
        })
    });
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
