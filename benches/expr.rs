//! Benchmark of the expression evaluator's hot path: a pre-parsed `Iif` over two variable reads.

use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::expr::{EvalContext, SequentialUuids, eval, parse};
use flowcall::model::Value;
use std::collections::BTreeMap;
use std::hint::black_box;

fn bench_eval(c: &mut Criterion) {
    let src = "Iif($long(vars/@recCount) > 0, Upper($(vars/@audience)), 'none')";
    let Ok(expr) = parse(src) else {
        panic!("the benchmark expression does not parse");
    };
    let mut vars = BTreeMap::new();
    vars.insert("recCount".to_owned(), Value::Integer(12));
    vars.insert(
        "audience".to_owned(),
        Value::String("gold members".to_owned()),
    );
    let options = BTreeMap::new();
    let uuids = SequentialUuids::new();
    let next_uuid = || uuids.generate();
    let now = flowcall::model::default_clock_start();
    let ctx = EvalContext::new(&vars, now, &options, &next_uuid);
    assert_eq!(
        eval(&expr, &ctx),
        Ok(Value::String("GOLD MEMBERS".to_owned()))
    );
    c.bench_function("eval_iif_upper", |b| {
        b.iter(|| eval(black_box(&expr), black_box(&ctx)))
    });
}

criterion_group!(benches, bench_eval);
criterion_main!(benches);
