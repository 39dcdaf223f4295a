//! Generating 1,000,000 payloads for the newsletter example's signal with 30% invalid ones
//! (`flowcall payloads --count 1000000 --invalid 0.3`), written to nowhere: the generator's
//! own cost. Memory stays flat (it streams); `/usr/bin/time -v flowcall payloads ...` shows it.

use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::sim::PayloadFormat;
use flowcall::sim::generate::{GenerateOptions, PayloadGenerator};
use std::time::Duration;

fn generate(c: &mut Criterion) {
    let Ok(design) = flowcall::io::load(std::path::Path::new("examples/cms-newsletter.flow.ron"))
    else {
        return;
    };
    let Some(contract) = design.signal("NEWSLETTER", "signal1").cloned() else {
        return;
    };
    let mut group = c.benchmark_group("payloads");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    for format in [PayloadFormat::Jsonl, PayloadFormat::Csv] {
        group.bench_function(format!("generate_1000000_{}", format.name()), |b| {
            b.iter(|| {
                let options = GenerateOptions {
                    count: 1_000_000,
                    seed: 1,
                    invalid: 0.3,
                    format,
                };
                PayloadGenerator::new(&contract, options)
                    .and_then(|g| g.write_all(std::io::sink()))
                    .ok()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
