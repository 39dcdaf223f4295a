//! Load test of `flowcall serve` (ignored: not run in CI; `tools/load-test.sh` runs it in
//! release mode). Starts the real binary on a copy of the newsletter example with the cooldown
//! off, then sends batches of `REQUESTS` (default 10,000) triggers from `CONCURRENCY` (default
//! 32) keep-alive clients, a mix of accepted and rejected payloads, alternately on flowcall's own
//! trigger path and on the reference's (`/{organization}/campaign/...`, with the headers Adobe's
//! SDK sends), `ROUNDS` (default 5) batches each, the order swapped every round. Checks that no
//! answer is a 5xx or a transport error, that the runs recorded (`GET /stats`, and the shutdown
//! summary after SIGINT) equal the 202 answers, and that the reference path's median throughput
//! is within 10% of the native path's. Prints each batch's throughput and latency percentiles,
//! the medians per path, the latency of calls without a token sent meanwhile (they need no
//! session, so they must not wait for the simulations), and the server's resident memory before
//! and after (Linux).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const NATIVE: &str = "/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger";
const REFERENCE: &str =
    "/ORGANIZATION/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger";

const BODIES: [&str; 5] = [
    r#"{"source": "load", "parameters": {"audience": "GoldMembers", "email": "Hi", "contentURL": "https://example.com/1"}}"#,
    r#"{"source": "load", "parameters": {"audience": "GoldMembers", "email": "Hi", "template": "newsletter_gold", "contentURL": "https://example.com/2"}}"#,
    r#"{"source": "load", "parameters": {"audience": "GoldMembers", "email": "Hi", "contentURL": "x", "contentUrl": "y"}}"#,
    r#"{"source": "load", "parameters": {"audience": "GoldMembers", "email": "#,
    r#"{"source": "load", "parameters": {"audience": "GoldMembers", "email": "Hi", "template": "nope"}}"#,
];

/// The resident memory of process `pid` in KiB (Linux), if known.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one batch saw: each answer's status (0: transport error) and latency, and its length.
struct Batch {
    seen: Vec<(u16, Duration)>,
    elapsed: Duration,
}

impl Batch {
    fn throughput(&self) -> f64 {
        self.seen.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency at quantile `q`, in milliseconds.
    fn latency_ms(&self, q: f64) -> f64 {
        let mut d: Vec<Duration> = self.seen.iter().map(|(_, d)| *d).collect();
        d.sort();
        let i = ((d.len() as f64 * q).ceil() as usize).clamp(1, d.len()) - 1;
        d[i].as_secs_f64() * 1000.0
    }

    fn statuses(&self) -> BTreeMap<u16, usize> {
        let mut statuses = BTreeMap::new();
        for (s, _) in &self.seen {
            *statuses.entry(*s).or_default() += 1;
        }
        statuses
    }
}

/// Headers sent with every trigger of a batch.
type Headers = &'static [(&'static str, &'static str)];

/// Sends `requests` triggers to `url` from `concurrency` keep-alive clients.
fn batch(url: &str, headers: Headers, requests: usize, concurrency: usize) -> Batch {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let next = next.clone();
            let url = url.to_owned();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(30)))
                    .build()
                    .into();
                let mut seen = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let t = Instant::now();
                    let mut r = agent.post(&url).header("Authorization", "Bearer load");
                    for (k, v) in headers {
                        r = r.header(*k, *v);
                    }
                    let status = match r.send(BODIES[i % BODIES.len()]) {
                        Ok(mut r) => {
                            let _ = r.body_mut().read_to_string();
                            r.status().as_u16()
                        }
                        Err(_) => 0,
                    };
                    seen.push((status, t.elapsed()));
                }
                seen
            })
        })
        .collect();
    let seen = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    Batch {
        seen,
        elapsed: started.elapsed(),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Calls without a token, every 5 ms until `done`: their statuses and latencies.
fn probe(
    url: String,
    done: Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<Vec<(u16, Duration)>> {
    std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut seen = Vec::new();
        while !done.load(Ordering::Relaxed) {
            let t = Instant::now();
            let status = agent.get(&url).call().map_or(0, |r| r.status().as_u16());
            seen.push((status, t.elapsed()));
            std::thread::sleep(Duration::from_millis(5));
        }
        seen
    })
}

#[test]
#[ignore = "load test: run with tools/load-test.sh"]
fn load() {
    let requests = env_or("REQUESTS", 10_000);
    let concurrency = env_or("CONCURRENCY", 32);
    let rounds = env_or("ROUNDS", 5).max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let design = std::fs::read_to_string(root.join("examples/cms-newsletter.flow.ron"))
        .unwrap()
        .replace("trigger_cooldown: Seconds(600)", "trigger_cooldown: Off");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("load.flow.ron");
    std::fs::write(&file, design).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .arg("serve")
        .arg(&file)
        .args(["--addr", "127.0.0.1:0", "--token", "load"])
        .args(
            std::env::var("SERVE_ARGS")
                .ok()
                .iter()
                .flat_map(|a| a.split_whitespace().map(str::to_owned).collect::<Vec<_>>()),
        )
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_owned();

    let rss_before = rss_kib(child.id());
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let prober = probe(format!("{base}/stats"), done.clone());
    const SDK_HEADERS: &[(&str, &str)] = &[
        ("Content-Type", "application/json;charset=utf-8"),
        ("Cache-Control", "no-cache"),
        ("X-Api-Key", "load"),
    ];
    const NATIVE_HEADERS: &[(&str, &str)] = &[("Content-Type", "application/json")];
    let paths: [(&str, &str, Headers); 2] = [
        ("native", NATIVE, NATIVE_HEADERS),
        ("reference", REFERENCE, SDK_HEADERS),
    ];
    let mut results: BTreeMap<&str, Vec<Batch>> = BTreeMap::new();
    for round in 0..rounds {
        for k in 0..2 {
            let (name, path, headers) = paths[(round + k) % 2];
            let b = batch(&format!("{base}{path}"), headers, requests, concurrency);
            println!(
                "round {round} {name:9}: {} requests at concurrency {concurrency} in {:.2} s: {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; statuses {:?}",
                b.seen.len(),
                b.elapsed.as_secs_f64(),
                b.throughput(),
                b.latency_ms(0.5),
                b.latency_ms(0.99),
                b.latency_ms(1.0),
                b.statuses()
            );
            results.entry(name).or_default().push(b);
        }
    }
    done.store(true, Ordering::Relaxed);
    let mut probes = prober.join().unwrap();
    probes.sort_by_key(|(_, d)| *d);
    assert!(
        probes.iter().all(|(s, _)| *s == 401),
        "calls without a token get 401"
    );
    let rss_after = rss_kib(child.id());

    let throughput = |name: &str| median(results[name].iter().map(Batch::throughput).collect());
    let p50 = |name: &str| median(results[name].iter().map(|b| b.latency_ms(0.5)).collect());
    let (native, reference) = (throughput("native"), throughput("reference"));
    println!(
        "medians over {rounds} rounds: native {native:.0} req/s (p50 {:.2} ms), reference {reference:.0} req/s (p50 {:.2} ms); reference / native = {:.3}",
        p50("native"),
        p50("reference"),
        reference / native
    );
    if !probes.is_empty() {
        let p = |q: f64| {
            let i = ((probes.len() as f64 * q).ceil() as usize).clamp(1, probes.len()) - 1;
            probes[i].1.as_secs_f64() * 1000.0
        };
        println!(
            "{} calls without a token meanwhile (401): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            probes.len(),
            p(0.50),
            p(0.99),
            p(1.0)
        );
    }
    if let (Some(b), Some(a)) = (rss_before, rss_after) {
        println!(
            "server resident memory: {:.1} MiB before, {:.1} MiB after",
            b as f64 / 1024.0,
            a as f64 / 1024.0
        );
    }

    let stats: serde_json::Value = serde_json::from_str(
        &ureq::get(format!("{base}/stats"))
            .header("Authorization", "Bearer load")
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    println!("stats: {stats}");
    assert!(
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(child.wait().unwrap().success());
    let summary = rest.last().unwrap();
    println!("shutdown: {summary}");

    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for b in results.values().flatten() {
        for (s, n) in b.statuses() {
            *statuses.entry(s).or_default() += n;
        }
    }
    let accepted = statuses.get(&202).copied().unwrap_or(0);
    let fivexx: usize = statuses.range(500..600).map(|(_, n)| n).sum();
    println!(
        "202 answers: {accepted}; runs recorded: {}; 5xx: {fivexx}",
        stats["runs"]
    );
    assert_eq!(statuses.get(&0), None, "transport errors");
    assert_eq!(fivexx, 0);
    assert_eq!(stats["runs"], serde_json::json!(accepted));
    assert!(
        summary.contains(&format!("{accepted} runs recorded")),
        "{summary}"
    );
    assert!(
        reference >= 0.9 * native,
        "the reference path's median throughput ({reference:.0} req/s) is not within 10% of the native path's ({native:.0} req/s)"
    );
}
