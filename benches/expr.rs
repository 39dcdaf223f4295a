//! Benchmark of the expression evaluator's hot path: a pre-parsed `Iif` over two variable reads,
//! and the typical fields of the example designs (`examples/file-to-audience.flow.ron`), each
//! evaluated to an owned value as the simulator's batch does, and lent where it can be.

use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::expr::{EvalContext, SequentialUuids, eval, eval_cow, parse};
use flowcall::model::Value;
use std::collections::BTreeMap;
use std::hint::black_box;

/// The fields of the example designs, as the simulator evaluates them.
const DESIGN_FIELDS: [&str; 7] = [
    "'/incoming/' + $(vars/@fileToTarget)",
    "$long(vars/@recCount) > 0",
    "'Imported ' + FileName($(vars/@fileName))",
    "$(vars/@discountDesc)",
    "'IMPORT-' + DateFormat(GetDate(), '%4Y%2M%2D')",
    "Coalesce($(vars/@segmentCode), 'NONE')",
    "'discount_offer'",
];

fn variables() -> BTreeMap<String, Value> {
    let text = |s: &str| Value::String(s.to_owned());
    BTreeMap::from([
        ("recCount".to_owned(), Value::Integer(12)),
        ("audience".to_owned(), text("gold members")),
        ("fileToTarget".to_owned(), text("customers_2025-01.csv")),
        (
            "fileName".to_owned(),
            text("/incoming/customers_2025-01.csv"),
        ),
        ("discountDesc".to_owned(), text("10% off your next order")),
        ("segmentCode".to_owned(), text("IMPORT-20250106")),
    ])
}

fn bench_eval(c: &mut Criterion) {
    let src = "Iif($long(vars/@recCount) > 0, Upper($(vars/@audience)), 'none')";
    let Ok(expr) = parse(src) else {
        panic!("the benchmark expression does not parse");
    };
    let vars = variables();
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
    let fields: Vec<_> = DESIGN_FIELDS.iter().filter_map(|s| parse(s).ok()).collect();
    assert_eq!(
        fields.len(),
        DESIGN_FIELDS.len(),
        "a design field does not parse"
    );
    for f in &fields {
        assert!(eval(f, &ctx).is_ok(), "a design field fails: {f:?}");
    }
    c.bench_function("eval_design_fields", |b| {
        b.iter(|| {
            for f in &fields {
                let _ = black_box(eval(black_box(f), black_box(&ctx)));
            }
        })
    });
    c.bench_function("eval_cow_design_fields", |b| {
        b.iter(|| {
            for f in &fields {
                let _ = black_box(eval_cow(black_box(f), black_box(&ctx)));
            }
        })
    });
}

criterion_group!(benches, bench_eval);
criterion_main!(benches);
