//! Load test of `flowcall serve` (ignored: not run in CI; `tools/load-test.sh` runs it in
//! release mode). Starts the real binary on a copy of the newsletter example with the cooldown
//! off, sends `REQUESTS` (default 10,000) triggers from `CONCURRENCY` (default 32) keep-alive
//! clients, a mix of accepted and rejected payloads, then checks that no answer is a 5xx and
//! that the runs recorded (`GET /stats`, and the shutdown summary after SIGINT) equal the 202
//! answers. Prints throughput and latency percentiles, the latency of calls without a token
//! sent meanwhile (they need no session, so they must not wait for the simulations), and the
//! server's resident memory before and after (Linux).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const PATH: &str = "/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger";

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

#[test]
#[ignore = "load test: run with tools/load-test.sh"]
fn load() {
    let requests = env_or("REQUESTS", 10_000);
    let concurrency = env_or("CONCURRENCY", 32);
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
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let probe = {
        let done = done.clone();
        let url = format!("{base}/stats");
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
    };
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let next = next.clone();
            let url = format!("{base}{PATH}");
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
                    let status = match agent
                        .post(&url)
                        .header("Authorization", "Bearer load")
                        .header("Content-Type", "application/json")
                        .send(BODIES[i % BODIES.len()])
                    {
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
    let mut all: Vec<(u16, Duration)> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let mut probes = probe.join().unwrap();
    probes.sort_by_key(|(_, d)| *d);
    assert!(
        probes.iter().all(|(s, _)| *s == 401),
        "calls without a token get 401"
    );
    let rss_after = rss_kib(child.id());

    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for (s, _) in &all {
        *statuses.entry(*s).or_default() += 1;
    }
    all.sort_by_key(|(_, d)| *d);
    let pct = |p: f64| {
        let i = ((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1;
        all[i].1.as_secs_f64() * 1000.0
    };
    println!(
        "{} requests at concurrency {concurrency} in {:.2} s: {:.0} req/s",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
    println!("statuses (0 = transport error): {statuses:?}");
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
}
