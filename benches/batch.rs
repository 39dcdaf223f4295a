//! Benchmark: the batch against its floor. In one process, times reading and parsing 100,000
//! JSONL payloads of the `file-to-audience` example with serde_json (the floor: what the input
//! costs), then running `batch` on the same bytes (every payload accepted, two workflows and a
//! chained run each, every run finishing), and prints both medians and their ratio. The batch
//! runs on one thread here, as the parse does, so that the ratio compares work (as CPU time
//! does) rather than cores.
//!
//! ```sh
//! cargo bench --no-default-features --bench batch
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::Criterion;
use flowcall::sim::{BatchRunner, Prepared};
use std::cell::RefCell;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The same allocator as the `flowcall` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PAYLOADS: usize = 100_000;
const SAMPLES: usize = 10;

/// The payloads: the example's files in turn (one of them a wildcard), every other payload
/// without `discountDesc` (its default applies). The README's whole-process figures use the
/// same lines.
fn jsonl() -> Vec<u8> {
    let files = [
        "customers_2025-01.csv",
        "customers_2025-02.csv",
        "customers_*.csv",
    ];
    let mut out = String::new();
    for i in 0..PAYLOADS {
        let file = files[i % files.len()];
        let line = if i % 2 == 0 {
            format!(
                r#"{{"source": "sftp-watcher-{}", "parameters": {{"fileToTarget": "{file}", "discountDesc": "{}% off until Sunday"}}}}"#,
                i % 7,
                i % 50
            )
        } else {
            format!(
                r#"{{"source": "sftp-watcher-{}", "parameters": {{"fileToTarget": "{file}"}}}}"#,
                i % 7
            )
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.into_bytes()
}

/// Reads the lines as `batch` does and parses each with serde_json.
fn parse(input: &[u8]) -> usize {
    let mut keys = 0;
    for line in input.split(|b| *b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(line).unwrap();
        keys += v.as_object().map_or(0, serde_json::Map::len);
    }
    keys
}

/// Times `f` as criterion asks, keeping the time of one iteration of each sample.
fn timed(samples: &RefCell<Vec<f64>>, iters: u64, f: impl Fn()) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    let took = start.elapsed();
    samples
        .borrow_mut()
        .push(took.as_secs_f64() / iters.max(1) as f64);
    took
}

/// The median of the measured samples (criterion's warm-up comes before them).
fn median(samples: &RefCell<Vec<f64>>) -> f64 {
    let all = samples.borrow();
    let mut last: Vec<f64> = all[all.len().saturating_sub(SAMPLES)..].to_vec();
    last.sort_by(f64::total_cmp);
    last[last.len() / 2]
}

fn main() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/file-to-audience.flow.ron");
    let design = flowcall::io::load(&path).expect("the example loads");
    let runner = BatchRunner::new(Arc::new(Prepared::new(design)), "WKF1", "signal1");
    let input = jsonl();
    let (parsed, batched) = (RefCell::new(Vec::new()), RefCell::new(Vec::new()));
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();

    let mut c = Criterion::default()
        .sample_size(SAMPLES)
        .measurement_time(Duration::from_secs(12))
        .configure_from_args();
    let mut group = c.benchmark_group("batch_100k");
    group.bench_function("serde_json_parse", |b| {
        b.iter_custom(|iters| {
            timed(&parsed, iters, || {
                black_box(parse(&input));
            })
        })
    });
    group.bench_function("batch", |b| {
        b.iter_custom(|iters| {
            timed(&batched, iters, || {
                let summary = one_thread
                    .install(|| runner.run(&input[..], std::io::sink(), &mut |_| {}))
                    .unwrap();
                assert_eq!(summary.lines, PAYLOADS);
                assert_eq!(summary.failed + summary.rejected, 0);
                black_box(summary);
            })
        })
    });
    group.finish();
    c.final_summary();
    if parsed.borrow().is_empty() || batched.borrow().is_empty() {
        return; // A filter left one of them out: no ratio.
    }
    let (p, b) = (median(&parsed), median(&batched));
    println!(
        "medians: serde_json parse {:.1} ms, batch {:.1} ms: batch / parse = {:.2}",
        p * 1e3,
        b * 1e3,
        b / p
    );
}
