//! Benchmark: a batch of 100,000 generated payloads through the first workflow of the
//! `file-to-audience` example, against merely parsing the same JSONL with serde_json.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::sim::{BatchRunner, Prepared};
use std::hint::black_box;
use std::sync::Arc;

/// The same allocator as the `flowcall` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PAYLOADS: usize = 100_000;

fn jsonl() -> Vec<u8> {
    let files = [
        "customers_2025-01.csv",
        "customers_2025-02.csv",
        "customers_*.csv",
        "empty.csv",
    ];
    let mut out = String::new();
    for i in 0..PAYLOADS {
        let line = match i % 10 {
            // A rejected payload now and then: undeclared parameter, missing required one.
            7 => format!(
                r#"{{"source": "bench", "parameters": {{"fileToTarget": "{}", "discount": "{i}%"}}}}"#,
                files[i % files.len()]
            ),
            9 => r#"{"source": "bench", "parameters": {}}"#.to_owned(),
            _ => format!(
                r#"{{"source": "bench-{}", "parameters": {{"fileToTarget": "{}", "discountDesc": "{}% off"}}}}"#,
                i % 7,
                files[i % files.len()],
                i % 50
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/file-to-audience.flow.ron");
    let design = flowcall::io::load(&path).expect("the example loads");
    let prepared = Arc::new(Prepared::new(design));
    let first = prepared.design.workflows[0].clone();
    let signal = first.signals().next().expect("a signal").0.id.clone();
    let runner = BatchRunner::new(prepared, &first.id, &signal);
    let input = jsonl();

    let mut group = c.benchmark_group("batch_100k");
    group.sample_size(10);
    group.bench_function("serde_json_parse", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for line in input.split(|b| *b == b'\n') {
                if line.is_empty() {
                    continue;
                }
                let v: serde_json::Value = serde_json::from_slice(line).unwrap();
                n += v.as_object().map_or(0, |o| o.len());
            }
            black_box(n)
        })
    });
    group.bench_function("batch", |b| {
        b.iter(|| {
            let summary = runner
                .run(&input[..], std::io::sink(), &mut |_| {})
                .unwrap();
            assert_eq!(summary.lines, PAYLOADS);
            black_box(summary)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
