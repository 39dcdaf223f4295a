//! Costs that must grow linearly with the size of a design:
//! - `check` and the BPMN export of generated designs of 10,000 and 100,000 activities in one
//!   workflow (the hardest case for work per activity; they took 1.6 s and 3 minutes at 10,000
//!   and 100,000 when they scanned every transition for each activity);
//! - `check`, the JSON Schema export and `diff` of a signal whose parameter allows 1,000, 10,000
//!   and 100,000 values (6.3 s, 12.2 s and 38 s at 100,000 when values were compared in pairs);
//! - the BPMN export of a Test of 1,000 and 10,000 conditions, each leading to an End (905 MB
//!   and 3.6 GB of memory at 10,000 when each flow's guard repeated every earlier condition).
//!
//! Linear means ten times the size costs about ten times the median, not a hundred.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use flowcall::export::Format;
use flowcall::model::{
    Activity, ActivityKind, Condition, Design, KindTag, Parameter, Port, SignalContract,
    Transition, Type, Value, Workflow,
};
use std::hint::black_box;
use std::time::Duration;

fn generated(c: &mut Criterion) {
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
                flowcall::export::export(black_box(d), Format::Bpmn, None).map(|e| e.text.len())
            })
        });
    }
    group.finish();
}

fn transition(from: &str, port: Port, to: &str) -> Transition {
    Transition {
        from: from.into(),
        port,
        to: to.into(),
    }
}

/// One workflow: a signal whose `template` allows `values` (from `first` on), then an End.
fn allowed_design(values: usize, first: usize) -> Design {
    let mut wf = Workflow::new("WKF1", "Allowed values");
    let mut p = Parameter::new("template", Type::String);
    p.allowed = (first..first + values)
        .map(|i| Value::String(format!("t{i}")))
        .collect();
    let mut signal = Activity::new("signal1", "Signal", KindTag::ExternalSignal);
    signal.kind = ActivityKind::ExternalSignal(SignalContract {
        parameters: vec![p],
        ..SignalContract::default()
    });
    wf.activities.push(signal);
    wf.activities
        .push(Activity::new("end1", "End", KindTag::End));
    wf.transitions
        .push(transition("signal1", Port::Out, "end1"));
    Design {
        workflows: vec![wf],
        ..Design::default()
    }
}

fn allowed_values(c: &mut Criterion) {
    let mut group = c.benchmark_group("allowed_values");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for n in [1_000usize, 10_000, 100_000] {
        let old = allowed_design(n, 0);
        // Half the values kept, half new: narrowed and widened both.
        let new = allowed_design(n, n / 2);
        group.bench_with_input(BenchmarkId::new("check", n), &old, |b, d| {
            b.iter(|| flowcall::check::check(black_box(d)).len())
        });
        group.bench_with_input(BenchmarkId::new("export_schema", n), &old, |b, d| {
            b.iter(|| {
                flowcall::export::export(black_box(d), Format::Schema, None).map(|e| e.text.len())
            })
        });
        group.bench_with_input(BenchmarkId::new("diff", n), &(old, new), |b, (o, d)| {
            b.iter(|| {
                flowcall::diff::compare(black_box(o), black_box(d))
                    .changes
                    .len()
            })
        });
    }
    group.finish();
}

/// One workflow: a signal, a Test of `n` conditions each leading to its own End, and a default.
fn conditions_design(n: usize) -> Design {
    let mut wf = Workflow::new("WKF1", "A Test of many conditions");
    let mut signal = Activity::new("signal1", "Signal", KindTag::ExternalSignal);
    signal.kind = ActivityKind::ExternalSignal(SignalContract {
        parameters: vec![Parameter::new("count", Type::Integer)],
        ..SignalContract::default()
    });
    wf.activities.push(signal);
    let mut test = Activity::new("test1", "Test", KindTag::Test);
    if let ActivityKind::Test(t) = &mut test.kind {
        t.conditions = (0..n)
            .map(|i| Condition {
                id: format!("c{i}"),
                label: format!("Condition {i}"),
                expression: format!(
                    "$long(vars/@count) > {i} AND Upper(ToString($long(vars/@count))) <> 'X{i}'"
                ),
            })
            .collect();
        t.default_transition = true;
    }
    wf.activities.push(test);
    wf.transitions
        .push(transition("signal1", Port::Out, "test1"));
    for i in 0..n {
        wf.activities
            .push(Activity::new(format!("end{i}"), "End", KindTag::End));
        wf.transitions.push(transition(
            "test1",
            Port::Condition(format!("c{i}")),
            &format!("end{i}"),
        ));
    }
    wf.activities
        .push(Activity::new("endDefault", "End", KindTag::End));
    wf.transitions
        .push(transition("test1", Port::Default, "endDefault"));
    Design {
        workflows: vec![wf],
        ..Design::default()
    }
}

fn test_conditions(c: &mut Criterion) {
    let mut group = c.benchmark_group("test_conditions");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for n in [1_000usize, 10_000] {
        let design = conditions_design(n);
        assert!(flowcall::export::design_errors(&design).is_empty());
        group.bench_with_input(BenchmarkId::new("export_bpmn", n), &design, |b, d| {
            b.iter(|| {
                flowcall::export::export(black_box(d), Format::Bpmn, None).map(|e| e.text.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, generated, allowed_values, test_conditions);
criterion_main!(benches);
