//! Integration tests of the trigger endpoint (`flowcall serve`, SPEC §11): the server started
//! in-process on an ephemeral port and called with a real HTTP client for every status, raw
//! TCP for truncated, slow and oversized bodies, concurrent clients, and the real binary shut
//! down with SIGINT.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flowcall::model::{Cooldown, Design};
use flowcall::serve::{self, Config, Server, SharedSimulator};
use flowcall::sim::{Prepared, Simulator};
use serde_json::{Value as Json, json};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "test-token-0123456789";
const NEWSLETTER: &str = "/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger";

fn payload() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/payloads/cms-newsletter.json"),
    )
    .unwrap()
}

fn design(name: &str) -> Design {
    flowcall::io::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap()
}

struct Fixture {
    server: Server,
    sim: SharedSimulator,
    agent: ureq::Agent,
}

struct Answer {
    status: u16,
    retry_after: Option<String>,
    json: Json,
}

fn fixture_with(design: Design, started: bool, body_timeout: Duration) -> Fixture {
    fixture_config(design, started, |c| Config { body_timeout, ..c })
}

fn fixture(name: &str) -> Fixture {
    fixture_with(design(name), true, Duration::from_secs(10))
}

impl Fixture {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    fn call_with(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        auth: Option<&str>,
    ) -> Answer {
        let url = self.url(path);
        let result = match (method, body) {
            ("GET", _) => {
                let mut r = self.agent.get(&url);
                if let Some(a) = auth {
                    r = r.header("Authorization", a);
                }
                r.call()
            }
            (m, body) => {
                let mut r = match m {
                    "POST" => self.agent.post(&url),
                    "PUT" => self.agent.put(&url),
                    _ => panic!("method {m}"),
                };
                if let Some(a) = auth {
                    r = r.header("Authorization", a);
                }
                r.header("Content-Type", "application/json")
                    .send(body.unwrap_or(""))
            }
        };
        let mut resp = result.unwrap();
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        let ct = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let text = resp.body_mut().read_to_string().unwrap();
        assert_eq!(ct.as_deref(), Some("application/json"), "{status} {text}");
        let json = serde_json::from_str(&text).unwrap();
        Answer {
            status,
            retry_after,
            json,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&str>) -> Answer {
        self.call_with(method, path, body, Some(&format!("Bearer {TOKEN}")))
    }

    fn trigger(&self, body: &str) -> Answer {
        self.call("POST", NEWSLETTER, Some(body))
    }

    fn command(&self, workflow: &str, method: &str) -> Answer {
        self.call(
            "POST",
            &format!("/workflow/execution/{workflow}/commands"),
            Some(&json!({"method": method}).to_string()),
        )
    }

    fn runs(&self) -> usize {
        self.sim.lock().unwrap().runs().len()
    }

    /// Sends raw bytes on a new connection and reads the answer until the server closes it
    /// (or `wait` passes).
    fn raw(&self, bytes: &[u8], keep_open: bool, wait: Duration) -> String {
        let mut s = TcpStream::connect(self.server.addr()).unwrap();
        s.set_read_timeout(Some(wait)).unwrap();
        s.write_all(bytes).unwrap();
        if !keep_open {
            s.shutdown(std::net::Shutdown::Write).unwrap();
        }
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// A payload of about 70,000 bytes (over the 64 KiB limit).
fn oversized_payload() -> String {
    format!(
        r#"{{"source": "t", "parameters": {{"audience": "{}"}}}}"#,
        "x".repeat(70_000)
    )
}

fn messages(a: &Answer) -> Vec<String> {
    a.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn accepted_trigger_runs_to_the_end_and_its_run_shows_variables_with_origins() {
    let f = fixture("cms-newsletter.flow.ron");
    let a = f.trigger(&payload());
    assert_eq!(a.status, 202, "{}", a.json);
    assert_eq!(a.json, json!({"run": 1, "queued": false}));
    let r = f.call("GET", "/runs/1", None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json["status"], "finished");
    assert_eq!(r.json["source"], "cms");
    let vars = r.json["variables"].as_array().unwrap();
    let audience = vars.iter().find(|v| v["name"] == "audience").unwrap();
    assert_eq!(audience["value"], "GoldMembers");
    assert_eq!(audience["origin"], "parameter");
    assert_eq!(
        r.json["path"],
        json!(["signal1", "readAudience1", "email1", "end1"])
    );
    assert_eq!(r.json["outbox"].as_array().unwrap().len(), 1);
    assert_eq!(r.json["chained"], json!([]));
    assert_eq!(f.server.summary().started, 1);
}

#[test]
fn chained_runs_are_listed_on_the_caller() {
    let f = fixture("file-to-audience.flow.ron");
    let body = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/payloads/file-to-audience.json"),
    )
    .unwrap();
    let a = f.call(
        "POST",
        "/workflow/execution/WKF1/activities/activity/signal1/trigger",
        Some(&body),
    );
    assert_eq!(a.status, 202, "{}", a.json);
    let id = a.json["run"].as_u64().unwrap();
    let r = f.call("GET", &format!("/runs/{id}"), None);
    let chained = r.json["chained"].as_array().unwrap();
    assert_eq!(chained.len(), 1, "{}", r.json);
    let c = f.call("GET", &format!("/runs/{}", chained[0]), None);
    assert_eq!(c.json["workflow"], "WKF2");
    assert_eq!(c.json["parent"], json!(id));
}

#[test]
fn workflow_state_lists_signals_with_their_trigger_urls() {
    let f = fixture("cms-newsletter.flow.ron");
    let a = f.call("GET", "/workflow/execution/NEWSLETTER", None);
    assert_eq!(a.status, 200);
    assert_eq!(a.json["state"], "started");
    assert_eq!(
        a.json["signals"][0]["url"],
        json!(f.url(NEWSLETTER)),
        "{}",
        a.json
    );
}

#[test]
fn paused_workflow_queues_then_delivers_on_resume() {
    let f = fixture("cms-newsletter.flow.ron");
    let p = f.command("NEWSLETTER", "pause");
    assert_eq!((p.status, &p.json["state"]), (200, &json!("paused")));
    let a = f.trigger(&payload());
    assert_eq!(a.status, 202);
    assert_eq!(a.json, json!({"queued": true}));
    assert_eq!(f.runs(), 0);
    let s = f.call("GET", "/workflow/execution/NEWSLETTER", None);
    assert_eq!(
        (&s.json["state"], &s.json["queued"]),
        (&json!("paused"), &json!(1))
    );
    let r = f.command("NEWSLETTER", "resume");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json,
        json!({"state": "started", "status": "In progress", "commands": ["pause", "stop", "restart"], "runs": [1]})
    );
    let run = f.call("GET", "/runs/1", None);
    assert_eq!(run.json["status"], "finished");
    let again = f.command("NEWSLETTER", "resume");
    assert_eq!(again.status, 409, "{}", again.json);
    assert!(
        messages(&again)[0].contains("it is started (nothing to resume)"),
        "{}",
        again.json
    );
    let bad = f.command("NEWSLETTER", "explode");
    assert_eq!(bad.status, 400);
}

#[test]
fn undeclared_parameter_is_a_400_naming_it() {
    let f = fixture("cms-newsletter.flow.ron");
    let body = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/payloads/cms-newsletter-undeclared.json"),
    )
    .unwrap();
    let a = f.trigger(&body);
    assert_eq!(a.status, 400, "{}", a.json);
    assert_eq!(a.json["errors"][0]["parameter"], "contentUrl");
    assert!(messages(&a)[0].contains("'contentUrl' is not declared"));
    // Every problem at once, each naming its parameter.
    let a = f.trigger(r#"{"source": "t", "parameters": {"x": 1, "template": "nope"}}"#);
    assert_eq!(a.status, 400);
    let params: Vec<&str> = a.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["parameter"].as_str())
        .collect();
    for p in ["x", "audience", "email", "template", "contentURL"] {
        assert!(params.contains(&p), "{p} missing in {}", a.json);
    }
    assert_eq!(f.runs(), 0);
}

#[test]
fn malformed_json_is_a_400_saying_where() {
    let f = fixture("cms-newsletter.flow.ron");
    let a = f.trigger("{\"source\": \"t\",\n  \"parameters\": {\"audience\" \"x\"}}");
    assert_eq!(a.status, 400);
    assert!(messages(&a)[0].contains("line 2, column"), "{}", a.json);
}

#[test]
fn missing_or_wrong_token_is_a_401() {
    let f = fixture("cms-newsletter.flow.ron");
    for auth in [
        None,
        Some("Bearer wrong".to_owned()),
        Some(format!("Basic {TOKEN}")),
        Some(format!("Bearer {TOKEN}x")),
        Some("Bearer".to_owned()),
    ] {
        let a = f.call_with("POST", NEWSLETTER, Some(&payload()), auth.as_deref());
        assert_eq!(a.status, 401, "{auth:?}");
        assert!(messages(&a)[0].contains("bearer token"));
    }
    let a = f.call_with("GET", "/runs/1", None, None);
    assert_eq!(a.status, 401);
    let a = f.call_with("GET", "/nowhere", None, None);
    assert_eq!(a.status, 401);
    assert_eq!(f.runs(), 0);
    // The scheme is case-insensitive.
    let a = f.call_with(
        "POST",
        NEWSLETTER,
        Some(&payload()),
        Some(&format!("bearer {TOKEN}")),
    );
    assert_eq!(a.status, 202);
}

#[test]
fn unknown_workflow_signal_run_or_path_is_a_404_and_wrong_method_a_405() {
    let f = fixture("cms-newsletter.flow.ron");
    let a = f.call(
        "POST",
        "/workflow/execution/WKF9/activities/activity/signal1/trigger",
        Some(&payload()),
    );
    assert_eq!(a.status, 404);
    assert_eq!(messages(&a), ["unknown workflow 'WKF9'"]);
    let a = f.call(
        "POST",
        "/workflow/execution/NEWSLETTER/activities/activity/email1/trigger",
        Some(&payload()),
    );
    assert_eq!(a.status, 404);
    assert_eq!(
        messages(&a),
        ["workflow 'NEWSLETTER' has no signal 'email1'"]
    );
    assert_eq!(f.call("GET", "/workflow/execution/WKF9", None).status, 404);
    assert_eq!(f.command("WKF9", "start").status, 404);
    assert_eq!(f.call("GET", "/runs/1", None).status, 404);
    assert_eq!(f.call("GET", "/runs/abc", None).status, 404);
    assert_eq!(f.call("GET", "/nowhere", None).status, 404);
    assert_eq!(f.call("GET", NEWSLETTER, None).status, 405);
    assert_eq!(f.call("PUT", "/runs/1", Some("{}")).status, 405);
}

#[test]
fn not_started_or_stopped_workflow_is_a_409() {
    let f = fixture_with(
        design("cms-newsletter.flow.ron"),
        false,
        Duration::from_secs(10),
    );
    let a = f.trigger(&payload());
    assert_eq!(a.status, 409, "{}", a.json);
    assert!(messages(&a)[0].contains("not started"));
    assert_eq!(f.command("NEWSLETTER", "start").status, 200);
    assert_eq!(f.command("NEWSLETTER", "stop").status, 200);
    let a = f.trigger(&payload());
    assert_eq!(a.status, 409);
    assert!(messages(&a)[0].contains("stopped"));
    assert_eq!(f.runs(), 0);
}

#[test]
fn oversized_payload_is_a_413() {
    let f = fixture("cms-newsletter.flow.ron");
    // Through the client: Content-Length says 70,000 bytes.
    let big = oversized_payload();
    let a = f.trigger(&big);
    assert_eq!(a.status, 413, "{}", a.json);
    assert!(messages(&a)[0].contains("64 KiB"));
    // Chunked, without Content-Length: the limit holds on the bytes read.
    let chunk = "y".repeat(8192);
    let mut req = format!(
        "POST {NEWSLETTER} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    for _ in 0..9 {
        req.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    req.push_str("0\r\n\r\n");
    let out = f.raw(req.as_bytes(), false, Duration::from_secs(10));
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    // Only headers announcing too much: answered at once, the body never read.
    let out = f.raw(
        format!("POST {NEWSLETTER} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 999999999\r\n\r\n").as_bytes(),
        true,
        Duration::from_secs(10),
    );
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    assert_eq!(f.runs(), 0);
    assert_eq!(f.trigger(&payload()).status, 202);
}

#[test]
fn second_trigger_within_the_cooldown_is_a_429_with_retry_after() {
    let f = fixture("cms-newsletter.flow.ron");
    assert_eq!(f.trigger(&payload()).status, 202);
    let a = f.trigger(&payload());
    assert_eq!(a.status, 429, "{}", a.json);
    assert!(messages(&a)[0].contains("too soon"));
    let secs: u64 = a.retry_after.unwrap().parse().unwrap();
    assert!((590..=600).contains(&secs), "{secs}");
    assert_eq!(f.runs(), 1);
}

#[test]
fn truncated_body_leaves_the_server_up() {
    let f = fixture("cms-newsletter.flow.ron");
    let head = format!(
        "POST {NEWSLETTER} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n{{\"source\":"
    );
    {
        let mut s = TcpStream::connect(f.server.addr()).unwrap();
        s.write_all(head.as_bytes()).unwrap();
    } // closed after 10 bytes of 100
    // Half-closed: the server sees the body end early and answers 400 if it can.
    let out = f.raw(head.as_bytes(), false, Duration::from_secs(10));
    assert!(out.is_empty() || out.starts_with("HTTP/1.1 400"), "{out}");
    assert_eq!(
        f.call("GET", "/workflow/execution/NEWSLETTER", None).status,
        200
    );
    assert_eq!(f.trigger(&payload()).status, 202);
    assert_eq!(f.runs(), 1);
}

#[test]
fn slow_body_is_a_408() {
    let f = fixture_with(
        design("cms-newsletter.flow.ron"),
        true,
        Duration::from_millis(500),
    );
    let head = format!(
        "POST {NEWSLETTER} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n{{\"source\":"
    );
    let out = f.raw(head.as_bytes(), true, Duration::from_secs(10));
    assert!(out.starts_with("HTTP/1.1 408"), "{out}");
    assert!(out.contains("did not arrive"), "{out}");
    assert_eq!(f.trigger(&payload()).status, 202);
}

#[test]
fn concurrent_clients_record_every_accepted_trigger_once() {
    let mut d = design("cms-newsletter.flow.ron");
    d.compatibility.trigger_cooldown = Cooldown::Off;
    let f = Arc::new(fixture_with(d, true, Duration::from_secs(10)));
    let good = payload();
    let bad = r#"{"source": "t", "parameters": {"nope": 1}}"#.to_owned();
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let f = f.clone();
            let (good, bad) = (good.clone(), bad.clone());
            std::thread::spawn(move || {
                let mut accepted = 0;
                for i in 0..25 {
                    let body = if (t + i) % 3 == 0 { &bad } else { &good };
                    match f.trigger(body).status {
                        202 => accepted += 1,
                        400 => {}
                        s => panic!("status {s}"),
                    }
                }
                accepted
            })
        })
        .collect();
    let accepted: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert!(accepted > 100);
    assert_eq!(f.runs(), accepted);
    let stats = f.call("GET", "/stats", None);
    assert_eq!(stats.json["started"], json!(accepted));
    assert_eq!(stats.json["runs"], json!(accepted));
    assert_eq!(stats.json["rejected"], json!(200 - accepted));
}

#[test]
fn non_loopback_address_is_refused_without_allow_remote() {
    let sim = Arc::new(Mutex::new(Simulator::new(Arc::new(Prepared::new(design(
        "cms-newsletter.flow.ron",
    ))))));
    let e = serve::start(
        sim,
        Config::new(TOKEN).with_addr("0.0.0.0:0".parse().unwrap()),
    )
    .unwrap_err();
    assert!(e.to_string().contains("--allow-remote"), "{e}");
}

#[test]
fn shutdown_returns_the_summary() {
    let f = fixture("cms-newsletter.flow.ron");
    assert_eq!(f.trigger(&payload()).status, 202);
    assert_eq!(f.trigger("{").status, 400);
    let summary = f.server.shutdown().unwrap();
    assert_eq!(
        (
            summary.requests,
            summary.started,
            summary.rejected,
            summary.runs
        ),
        (2, 1, 1, 1)
    );
}

#[test]
fn headers_that_never_finish_are_disconnected_and_the_server_stays_up() {
    let sim = Arc::new(Mutex::new(Simulator::new(Arc::new(Prepared::new(design(
        "cms-newsletter.flow.ron",
    ))))));
    let config = Config {
        header_timeout: Duration::from_millis(300),
        ..Config::new(TOKEN).with_addr("127.0.0.1:0".parse().unwrap())
    };
    let server = serve::start(sim, config).unwrap();
    // A slow client: part of the headers, then nothing.
    let mut slow = TcpStream::connect(server.addr()).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    slow.write_all(b"GET /stats HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let t = std::time::Instant::now();
    let mut buf = Vec::new();
    let n = slow
        .read_to_end(&mut buf)
        .expect("the server closes the connection");
    assert!(
        t.elapsed() >= Duration::from_millis(250) && t.elapsed() < Duration::from_secs(4),
        "closed after {:?}",
        t.elapsed()
    );
    assert!(
        n == 0 || String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 408"),
        "{buf:?}"
    );
    // A complete request on another connection is still served.
    let mut ok = TcpStream::connect(server.addr()).unwrap();
    ok.write_all(
        format!("GET /stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let mut answer = String::new();
    ok.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    server.shutdown().unwrap();
}

#[test]
fn shutdown_does_not_wait_for_a_stuck_connection_beyond_the_grace() {
    let sim = Arc::new(Mutex::new(Simulator::new(Arc::new(Prepared::new(design(
        "cms-newsletter.flow.ron",
    ))))));
    let config = Config {
        shutdown_grace: Duration::from_millis(300),
        ..Config::new(TOKEN).with_addr("127.0.0.1:0".parse().unwrap())
    };
    let server = serve::start(sim, config).unwrap();
    let mut stuck = TcpStream::connect(server.addr()).unwrap();
    stuck
        .write_all(b"POST /runs/1 HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let t = std::time::Instant::now();
    server.shutdown().unwrap();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn every_trigger_status_is_documented_by_the_openapi_export() {
    let doc = flowcall::export::openapi::openapi(&design("cms-newsletter.flow.ron"), &|_, _| true);
    let responses = &doc["paths"][NEWSLETTER]["post"]["responses"];
    for status in ["202", "400", "401", "404", "408", "409", "413", "429"] {
        assert!(responses.get(status).is_some(), "{status} not documented");
    }
    assert!(responses["429"]["headers"].get("Retry-After").is_some());
}

#[test]
fn the_binary_serves_until_sigint_and_exits_cleanly() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "serve",
            "examples/cms-newsletter.flow.ron",
            "--addr",
            "127.0.0.1:0",
            "--token",
            "t",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let resp = agent
        .post(format!("{base}{NEWSLETTER}"))
        .header("Authorization", "Bearer t")
        .send(payload())
        .unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?} {rest:?}");
    let last = rest.last().unwrap();
    assert!(
        last.contains("served 1 requests") && last.contains("1 runs recorded"),
        "{last}"
    );
}

/// Regression: `serve` served a design that `check` refuses (as `run` and `export` do not): it
/// now says why, serves nothing and exits 1.
#[test]
fn regression_serve_refuses_a_design_with_errors() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "serve",
            "tests/problems/dead-end.flow.ron",
            "--addr",
            "127.0.0.1:0",
            "--token",
            "t",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing served");
    assert!(
        stderr.contains("tests/problems/dead-end.flow.ron: 2 errors; nothing was done"),
        "{stderr}"
    );
}

/// The newsletter example plus a workflow `LOOP` whose signal leads into a loop of a Wait and
/// an Update data that never ends.
fn newsletter_and_loop() -> Design {
    use flowcall::model::{
        Activity, ActivityKind, KindTag, Port, Transition, WaitSettings, Workflow,
    };
    let mut d = design("cms-newsletter.flow.ron");
    d.compatibility.trigger_cooldown = Cooldown::Off;
    let mut w = Workflow::new("LOOP", "Loops for ever");
    w.activities
        .push(Activity::new("signal1", "Signal", KindTag::ExternalSignal));
    let mut wait = Activity::new("wait1", "Wait", KindTag::Wait);
    wait.kind = ActivityKind::Wait(WaitSettings { seconds: 1 });
    w.activities.push(wait);
    w.activities
        .push(Activity::new("update1", "Update", KindTag::UpdateData));
    for (from, to) in [
        ("signal1", "wait1"),
        ("wait1", "update1"),
        ("update1", "wait1"),
    ] {
        w.transitions.push(Transition {
            from: from.into(),
            port: Port::Out,
            to: to.into(),
        });
    }
    d.workflows.push(w);
    d
}

#[test]
fn regression_serve_keeps_running_triggers_after_a_step_limit_halt() {
    let f = fixture_with(newsletter_and_loop(), true, Duration::from_secs(10));
    let looping = f.call(
        "POST",
        "/workflow/execution/LOOP/activities/activity/signal1/trigger",
        Some(r#"{"source": "x"}"#),
    );
    assert_eq!(looping.status, 202, "{}", looping.json);
    let id = looping.json["run"].as_u64().unwrap();
    let r = f.call("GET", &format!("/runs/{id}"), None);
    assert_eq!(r.json["status"], "failed");
    let error = r.json["errors"][0]["message"].as_str().unwrap();
    assert!(
        error.contains("the loop repeats LOOP/wait1 -> LOOP/update1"),
        "{error}"
    );
    for _ in 0..3 {
        let a = f.trigger(&payload());
        assert_eq!(a.status, 202, "{}", a.json);
        let id = a.json["run"].as_u64().unwrap();
        let r = f.call("GET", &format!("/runs/{id}"), None);
        assert_eq!(r.json["status"], "finished", "{}", r.json);
        assert_eq!(
            r.json["path"],
            json!(["signal1", "readAudience1", "email1", "end1"])
        );
    }
}

#[test]
fn regression_serve_queued_triggers_each_get_their_own_budget() {
    let f = fixture_with(newsletter_and_loop(), true, Duration::from_secs(10));
    assert_eq!(f.command("NEWSLETTER", "pause").status, 200);
    let body = payload();
    for _ in 0..3_000 {
        let a = f.trigger(&body);
        assert_eq!(a.status, 202);
        assert_eq!(a.json["queued"], true);
    }
    let resumed = f.command("NEWSLETTER", "resume");
    assert_eq!(resumed.status, 200);
    assert_eq!(resumed.json["runs"].as_array().unwrap().len(), 3_000);
    let sim = f.sim.lock().unwrap();
    let failed: Vec<_> = sim
        .runs()
        .iter()
        .filter(|r| r.status != flowcall::sim::RunStatus::Finished)
        .map(|r| (r.id, r.errors.clone()))
        .take(3)
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
}

#[test]
fn regression_serve_drops_old_runs_and_says_so() {
    let mut sim = Simulator::new(Arc::new(Prepared::new(newsletter_and_loop())));
    sim.start_all();
    let sim = Arc::new(Mutex::new(sim));
    let config = Config {
        keep_runs: Some(20),
        ..Config::new(TOKEN).with_addr("127.0.0.1:0".parse().unwrap())
    };
    let server = serve::start(sim.clone(), config).unwrap();
    let f = Fixture {
        server,
        sim,
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into(),
    };
    for _ in 0..100 {
        assert_eq!(f.trigger(&payload()).status, 202);
    }
    assert!(f.runs() <= 25, "{}", f.runs());
    let old = f.call("GET", "/runs/1", None);
    assert_eq!(old.status, 410);
    assert!(
        messages(&old)[0].contains("run 1 was dropped: the server keeps the latest 20 runs"),
        "{:?}",
        messages(&old)
    );
    assert_eq!(f.call("GET", "/runs/100", None).status, 200);
    assert_eq!(f.call("GET", "/runs/101", None).status, 404);
    assert_eq!(f.call("GET", "/stats", None).json["runs"], 100);
}

#[test]
fn regression_a_401_is_not_queued_behind_a_simulation() {
    // The session is held (as by a long simulation) while authorized triggers wait for it;
    // calls that need no session must still be answered at once.
    let f = Arc::new(fixture_with(
        newsletter_and_loop(),
        true,
        Duration::from_secs(10),
    ));
    let guard = f.sim.lock().unwrap();
    let waiting: Vec<_> = (0..4)
        .map(|_| {
            let f = f.clone();
            std::thread::spawn(move || f.trigger(&payload()).status)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let (tx, rx) = std::sync::mpsc::channel();
    let unauthorized = {
        let f = f.clone();
        std::thread::spawn(move || {
            for _ in 0..20 {
                let _ = tx.send(f.call_with("GET", "/stats", None, None).status);
            }
        })
    };
    for _ in 0..20 {
        let status = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("a 401 waited for the session");
        assert_eq!(status, 401);
    }
    drop(guard);
    unauthorized.join().unwrap();
    for w in waiting {
        assert_eq!(w.join().unwrap(), 202);
    }
}

#[test]
fn regression_duplicate_parameters_are_a_400_naming_them() {
    let f = fixture("cms-newsletter.flow.ron");
    let a = f.trigger(
        r#"{"source": "cms", "parameters": {"audience": "GoldMembers", "email": "a@b.c", "audience": "Other"}}"#,
    );
    assert_eq!(a.status, 400, "{}", a.json);
    assert_eq!(a.json["errors"][0]["parameter"], "audience");
    assert!(messages(&a)[0].contains("'audience' is given more than once"));
    assert_eq!(f.runs(), 0);
}

// ---------------------------------------------------------------------------------------------
// The reference's own paths (docs/API.md): /{organization}/campaign/workflow/execution/...

const ORG: &str = "/ORG/campaign";
const RST: &str = "RST-360011 An error has occurred - please contact your administrator.";

/// An answer read whatever its content type.
struct Raw {
    status: u16,
    content_type: Option<String>,
    header: std::collections::BTreeMap<String, String>,
    text: String,
}

impl Raw {
    fn json(&self) -> Json {
        assert_eq!(
            self.content_type.as_deref(),
            Some("application/json"),
            "{} {}",
            self.status,
            self.text
        );
        serde_json::from_str(&self.text).unwrap()
    }

    /// The reference's error form: `{"code", "message", "errors"}`, `code` the status.
    fn reference_error(&self, status: u16) -> (String, Json) {
        assert_eq!(self.status, status, "{}", self.text);
        let j = self.json();
        assert_eq!(j["code"], json!(status), "{j}");
        let message = j["message"].as_str().unwrap().to_owned();
        assert!(message.starts_with(RST), "{message}");
        assert!(j["errors"].as_array().is_some_and(|e| !e.is_empty()), "{j}");
        (message, j["errors"].clone())
    }
}

fn fixture_config(design: Design, started: bool, config: impl FnOnce(Config) -> Config) -> Fixture {
    let mut sim = Simulator::new(Arc::new(Prepared::new(design)));
    if started {
        sim.start_all();
    }
    let sim = Arc::new(Mutex::new(sim));
    let config = config(Config::new(TOKEN).with_addr("127.0.0.1:0".parse().unwrap()));
    let server = serve::start(sim.clone(), config).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    Fixture { server, sim, agent }
}

fn newsletter_without_cooldown() -> Design {
    let mut d = design("cms-newsletter.flow.ron");
    d.compatibility.trigger_cooldown = Cooldown::Off;
    d
}

impl Fixture {
    /// Sends any method with these headers (the bearer token added unless `auth` is false).
    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
        auth: bool,
    ) -> Raw {
        let mut b = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path));
        if auth {
            b = b.header("Authorization", format!("Bearer {TOKEN}"));
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let result = match body {
            Some(body) => self.agent.run(b.body(body.to_owned()).unwrap()),
            None => self.agent.run(b.body(()).unwrap()),
        };
        let mut resp = result.unwrap();
        let header = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect::<std::collections::BTreeMap<_, _>>();
        Raw {
            status: resp.status().as_u16(),
            content_type: header.get("content-type").cloned(),
            header,
            text: resp.body_mut().read_to_string().unwrap(),
        }
    }

    /// A reference-style call as Adobe's SDK makes it (its headers).
    fn sdk(&self, method: &str, path: &str, body: Option<&str>) -> Raw {
        self.send(
            method,
            path,
            body,
            &[
                ("X-Api-Key", "any-key"),
                ("Cache-Control", "no-cache"),
                ("Content-Type", "application/json;charset=utf-8"),
            ],
            true,
        )
    }

    fn ref_trigger(&self, body: &str) -> Raw {
        self.sdk(
            "POST",
            &format!("{ORG}/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger"),
            Some(body),
        )
    }

    fn ref_command(&self, method: &str) -> Raw {
        self.sdk(
            "POST",
            &format!("{ORG}/workflow/execution/NEWSLETTER/commands"),
            Some(&json!({"method": method}).to_string()),
        )
    }
}

#[test]
fn reference_workflow_answers_as_the_reference_with_the_trigger_href() {
    let f = fixture("cms-newsletter.flow.ron");
    let a = f.sdk("GET", &format!("{ORG}/workflow/execution/NEWSLETTER"), None);
    assert_eq!(a.status, 200, "{}", a.text);
    let j = a.json();
    assert_eq!(j["PKey"], "NEWSLETTER");
    assert_eq!(j["id"], "NEWSLETTER");
    assert_eq!(j["label"], "Newsletter triggered by the content system");
    assert_eq!(j["state"], "started");
    let activities = j["activities"]["activity"].as_object().unwrap();
    let names: Vec<&str> = activities.keys().map(String::as_str).collect();
    assert_eq!(names, ["signal1", "readAudience1", "email1", "end1"]);
    for (name, a) in activities {
        assert_eq!(a["name"], json!(name));
        assert!(a["type"].is_string() && a["label"].is_string(), "{a}");
    }
    let signal = &activities["signal1"];
    assert_eq!(signal["type"], "signal");
    assert_eq!(signal["label"], "Content published");
    // An absolute URL on the port the server really got (--addr 127.0.0.1:0).
    let href = signal["trigger"]["href"].as_str().unwrap();
    assert_eq!(
        href,
        format!(
            "http://127.0.0.1:{}/ORG/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger",
            f.server.addr().port()
        )
    );
    let params: Vec<(&str, &str)> = signal["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        params,
        [
            ("audience", "string"),
            ("email", "string"),
            ("template", "string"),
            ("contentURL", "string")
        ]
    );
    assert!(activities["email1"].get("trigger").is_none());
    assert_eq!(activities["email1"]["type"], "emailDelivery");
}

#[test]
fn reference_trigger_on_the_href_with_or_without_its_trailing_slash() {
    let f = fixture_config(newsletter_without_cooldown(), true, |c| c);
    let wf = f
        .sdk("GET", &format!("{ORG}/workflow/execution/NEWSLETTER"), None)
        .json();
    let href = wf["activities"]["activity"]["signal1"]["trigger"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = href.strip_prefix(&f.server.base_url()).unwrap().to_owned();
    for (n, p) in [(1, path.clone()), (2, format!("{path}/"))] {
        let a = f.sdk("POST", &p, Some(&payload()));
        assert_eq!(a.status, 202, "{}", a.text);
        assert_eq!(
            a.json(),
            json!({"run": n, "queued": false, "href": f.url(&format!("/runs/{n}"))})
        );
        let run = f.call("GET", &format!("/runs/{n}"), None);
        assert_eq!(run.json["status"], "finished");
        assert_eq!(run.json["source"], "cms");
    }
    assert_eq!(f.server.summary().started, 2);
}

#[test]
fn reference_undeclared_parameter_answers_the_references_text_naming_it() {
    let f = fixture("cms-newsletter.flow.ron");
    let body = r#"{"source": "cms", "parameters": {"audience": "GoldMembers", "email": "Hi", "contentURL": "https://example.com", "contentUrl": "x"}}"#;
    let (message, errors) = f.ref_trigger(body).reference_error(400);
    assert_eq!(
        message,
        format!(
            "{RST}\n'contentUrl' parameter isn't defined in signal activity.\n\
             XTK-170006 Unable to parse expression 'HandleTrigger(@name, $(source), $({{parameters}}))'.\n\
             RST-360000 Error while assessing 'HandleTrigger(@name, $(source), $({{parameters}}))' expression ('xtk:workflow:execution/activities/signal/trigger' resource)"
        )
    );
    assert_eq!(
        errors,
        json!([{"parameter": "contentUrl", "message": "'contentUrl' is not declared by signal 'signal1' of workflow 'NEWSLETTER'"}])
    );
    assert_eq!(f.runs(), 0);
}

#[test]
fn reference_refusals_list_every_problem_with_its_parameter() {
    let f = fixture("cms-newsletter.flow.ron");
    // Wrong type, missing required, value not allowed, undeclared: one line each.
    let body =
        r#"{"source": "cms", "parameters": {"audience": ["a"], "template": "nope", "x": 1}}"#;
    let (message, errors) = f.ref_trigger(body).reference_error(400);
    let params: Vec<&str> = errors
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["parameter"].as_str())
        .collect();
    for p in ["x", "audience", "email", "template", "contentURL"] {
        assert!(params.contains(&p), "{p} missing in {errors}");
    }
    assert!(
        message.contains("'x' parameter isn't defined in signal activity."),
        "{message}"
    );
    assert!(
        message.contains("'email' is required by signal 'signal1'"),
        "{message}"
    );
    assert!(
        message.contains("'template': \"nope\" is not one of the allowed values"),
        "{message}"
    );
    assert!(
        message.lines().any(|l| l.starts_with("'audience': ")),
        "{message}"
    );
    // Malformed JSON says where.
    let (message, _) = f
        .ref_trigger("{\"source\": \"t\",\n  \"parameters\": {\"audience\" \"x\"}}")
        .reference_error(400);
    assert!(message.contains("line 2, column"), "{message}");
    // No source.
    let (message, _) = f.ref_trigger(r#"{"parameters": {}}"#).reference_error(400);
    assert!(message.contains("'source' is missing"), "{message}");
    assert_eq!(f.runs(), 0);
}

#[test]
fn reference_oversized_payload_is_a_413_in_the_references_form() {
    let f = fixture("cms-newsletter.flow.ron");
    let big = oversized_payload();
    let a = f.ref_trigger(&big);
    let (message, _) = a.reference_error(413);
    assert!(
        message.contains("the limit is 65536 bytes (64 KiB)"),
        "{message}"
    );
    assert_eq!(
        a.header.get("connection").map(String::as_str),
        Some("close")
    );
    assert_eq!(f.runs(), 0);
    assert_eq!(f.ref_trigger(&payload()).status, 202);
}

#[test]
fn reference_cooldown_refusal_is_plain_text_with_retry_after() {
    let f = fixture("cms-newsletter.flow.ron");
    assert_eq!(f.ref_trigger(&payload()).status, 202);
    let a = f.ref_trigger(&payload());
    assert_eq!(a.status, 429, "{}", a.text);
    assert_eq!(a.content_type.as_deref(), Some("text/plain; charset=utf-8"));
    assert!(
        a.text
            .starts_with("too soon: signal 'signal1' of workflow 'NEWSLETTER'"),
        "{}",
        a.text
    );
    assert!(
        a.text
            .contains("cannot be triggered more often than the trigger cooldown allows")
    );
    let secs: u64 = a.header["retry-after"].parse().unwrap();
    assert!((590..=600).contains(&secs), "{secs}");
    assert!(
        a.text.contains(&format!("retry in {secs} seconds")),
        "{}",
        a.text
    );
    // With another problem too, it is JSON again (the status of the other problem).
    let (message, _) = f
        .ref_trigger(r#"{"source": "cms", "parameters": {"audience": "a", "email": "b"}}"#)
        .reference_error(400);
    assert!(message.contains("'contentURL' is required"), "{message}");
    assert!(message.contains("too soon"), "{message}");
    assert_eq!(f.runs(), 1);
}

#[test]
fn reference_commands_pause_queue_resume_stop_and_start() {
    let f = fixture_config(newsletter_without_cooldown(), false, |c| c);
    let (message, _) = f.ref_trigger(&payload()).reference_error(409);
    assert!(
        message.contains("workflow 'NEWSLETTER' is not started"),
        "{message}"
    );
    let start = f.ref_command("start");
    assert_eq!(
        (start.status, start.json()),
        (
            200,
            json!({"state": "started", "status": "In progress", "commands": ["pause", "stop", "restart"], "runs": []})
        )
    );
    let pause = f.ref_command("pause");
    assert_eq!(pause.json()["state"], "paused");
    let queued = f.ref_trigger(&payload());
    assert_eq!(
        (queued.status, queued.json()),
        (202, json!({"queued": true}))
    );
    let wf = f
        .sdk("GET", &format!("{ORG}/workflow/execution/NEWSLETTER"), None)
        .json();
    assert_eq!((&wf["state"], &wf["queued"]), (&json!("paused"), &json!(1)));
    assert_eq!(f.runs(), 0);
    let resume = f.ref_command("resume");
    assert_eq!(
        (&resume.json()["state"], &resume.json()["runs"]),
        (&json!("started"), &json!([1]))
    );
    assert_eq!(f.call("GET", "/runs/1", None).json["status"], "finished");
    let (message, _) = f.ref_command("resume").reference_error(409);
    assert!(message.contains("resume"), "{message}");
    assert_eq!(f.ref_command("stop").json()["state"], "stopped");
    let (message, _) = f.ref_trigger(&payload()).reference_error(409);
    assert!(message.contains("is stopped"), "{message}");
    assert_eq!(f.ref_command("start").json()["state"], "started");
    assert_eq!(f.ref_trigger(&payload()).status, 202);
    // A method other than the four, a body without one, malformed JSON.
    let (message, errors) = f.ref_command("explode").reference_error(400);
    assert!(message.ends_with(
        "unknown method 'explode': expected start, pause, resume, stop, restart or release"
    ));
    assert_eq!(errors[0]["parameter"], Json::Null);
    let commands = format!("{ORG}/workflow/execution/NEWSLETTER/commands");
    let (message, _) = f.sdk("POST", &commands, Some("{}")).reference_error(400);
    assert!(
        message.contains(r#"the body must be {"method""#),
        "{message}"
    );
    let (message, _) = f.sdk("POST", &commands, Some("{")).reference_error(400);
    assert!(message.contains("malformed JSON at line 1"), "{message}");
}

#[test]
fn reference_unknown_workflow_or_activity_is_a_404_in_the_references_form() {
    let f = fixture("cms-newsletter.flow.ron");
    let unknown = "Unable to find document with path 'Workflow' from key 'WKF9' (document with schema 'workflow' and name 'WKF9')";
    for (method, path, body) in [
        ("GET", format!("{ORG}/workflow/execution/WKF9"), None),
        (
            "POST",
            format!("{ORG}/workflow/execution/WKF9/activities/activity/signal1/trigger"),
            Some(payload()),
        ),
        (
            "POST",
            format!("{ORG}/workflow/execution/WKF9/commands"),
            Some(r#"{"method": "start"}"#.to_owned()),
        ),
    ] {
        let (message, errors) = f.sdk(method, &path, body.as_deref()).reference_error(404);
        assert_eq!(message, format!("{RST}\n{unknown}"), "{path}");
        assert_eq!(
            errors,
            json!([{"parameter": null, "message": "unknown workflow 'WKF9'"}])
        );
    }
    let trigger = |activity: &str| {
        f.sdk(
            "POST",
            &format!("{ORG}/workflow/execution/NEWSLETTER/activities/activity/{activity}/trigger"),
            Some(&payload()),
        )
    };
    let (message, _) = trigger("signal9").reference_error(404);
    assert_eq!(
        message,
        format!("{RST}\nworkflow 'NEWSLETTER' has no activity 'signal9'")
    );
    // An activity that exists but is not an External signal.
    let (message, _) = trigger("email1").reference_error(404);
    assert_eq!(
        message,
        format!(
            "{RST}\nactivity 'email1' of workflow 'NEWSLETTER' is not an External signal activity: only External signal activities can be triggered"
        )
    );
    assert_eq!(f.runs(), 0);
}

#[test]
fn reference_accepts_any_organization_and_answers_hrefs_under_it() {
    let f = fixture_config(newsletter_without_cooldown(), true, |c| c);
    for (org, encoded) in [
        ("acme", "acme"),
        ("my org", "my%20org"),
        ("runs", "runs"),
        ("workflow", "workflow"),
        ("stats", "stats"),
    ] {
        let a = f.sdk(
            "GET",
            &format!("/{encoded}/campaign/workflow/execution/NEWSLETTER"),
            None,
        );
        assert_eq!(a.status, 200, "{org}: {}", a.text);
        let href = a.json()["activities"]["activity"]["signal1"]["trigger"]["href"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            href.ends_with(&format!("/{encoded}/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger")),
            "{href}"
        );
        let t = f.sdk(
            "POST",
            href.strip_prefix(&f.server.base_url()).unwrap(),
            Some(&payload()),
        );
        assert_eq!(t.status, 202, "{org}: {}", t.text);
    }
}

#[test]
fn reference_unknown_paths_and_methods_answer_in_the_references_form() {
    let f = fixture("cms-newsletter.flow.ron");
    let (message, _) = f
        .sdk("GET", &format!("{ORG}/profileAndServices/profile"), None)
        .reference_error(404);
    assert_eq!(
        message,
        format!("{RST}\nno endpoint GET /ORG/campaign/profileAndServices/profile")
    );
    let trigger =
        format!("{ORG}/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger");
    let (message, _) = f.sdk("GET", &trigger, None).reference_error(405);
    assert!(
        message.ends_with(&format!("method GET is not allowed on {trigger}")),
        "{message}"
    );
    let workflow = format!("{ORG}/workflow/execution/NEWSLETTER");
    for method in ["OPTIONS", "PUT", "DELETE", "PATCH"] {
        let a = f.sdk(method, &workflow, None);
        a.reference_error(405);
        assert_eq!(
            a.header.get("allow").map(String::as_str),
            Some("GET,HEAD"),
            "{method}"
        );
    }
    // HEAD is GET without the body.
    let head = f.sdk("HEAD", &workflow, None);
    assert_eq!((head.status, head.text.as_str()), (200, ""));
    assert_eq!(head.content_type.as_deref(), Some("application/json"));
    // flowcall's own paths keep their form.
    let native = f.send("OPTIONS", "/workflow/execution/NEWSLETTER", None, &[], true);
    assert_eq!(native.status, 405);
    assert!(native.json().get("code").is_none());
    assert_eq!(f.runs(), 0);
}

#[test]
fn reference_paths_need_the_bearer_token_and_answer_the_gateways_401() {
    let f = fixture("cms-newsletter.flow.ron");
    let path = format!("{ORG}/workflow/execution/NEWSLETTER");
    for auth in [None, Some("Bearer wrong"), Some("Basic x")] {
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", *a)).collect();
        let a = f.send("GET", &path, None, &headers, false);
        assert_eq!(a.status, 401, "{auth:?}");
        assert_eq!(a.header["www-authenticate"], "Bearer");
        let j = a.json();
        assert_eq!(j["error_code"], "401013");
        assert_eq!(j["message"], "Oauth token is not valid");
        assert!(
            j["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("bearer token")
        );
    }
    // Any X-Api-Key (or none) without --api-key.
    assert_eq!(f.send("GET", &path, None, &[], true).status, 200);
    assert_eq!(
        f.send("GET", &path, None, &[("X-Api-Key", "whatever")], true)
            .status,
        200
    );
}

#[test]
fn reference_paths_require_the_api_key_given_with_api_key() {
    let f = fixture_config(design("cms-newsletter.flow.ron"), true, |c| Config {
        api_key: Some("k-123".into()),
        ..c
    });
    let path = format!("{ORG}/workflow/execution/NEWSLETTER");
    let missing = f.send("GET", &path, None, &[], true);
    let (message, errors) = missing.reference_error(403);
    assert!(message.ends_with("Api Key is missing"), "{message}");
    assert!(errors[0]["message"].as_str().unwrap().contains("--api-key"));
    let (message, _) = f
        .send("GET", &path, None, &[("X-Api-Key", "k-124")], true)
        .reference_error(403);
    assert!(message.ends_with("Api Key is invalid"), "{message}");
    assert_eq!(
        f.send("GET", &path, None, &[("X-Api-Key", "k-123")], true)
            .status,
        200
    );
    // The token is checked first; flowcall's own paths never look at the key.
    assert_eq!(
        f.send("GET", &path, None, &[("X-Api-Key", "k-123")], false)
            .status,
        401
    );
    assert_eq!(
        f.call("GET", "/workflow/execution/NEWSLETTER", None).status,
        200
    );
    assert_eq!(f.trigger(&payload()).status, 202);
}

/// A request on a new connection with this `Host` header; the status and the body.
fn with_host(f: &Fixture, path: &str, host: Option<&str>) -> (u16, Json) {
    let host = host.map_or_else(String::new, |h| format!("Host: {h}\r\n"));
    let out = f.raw(
        format!("GET {path} HTTP/1.1\r\n{host}Authorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
        true,
        Duration::from_secs(10),
    );
    let status = out.get(9..12).unwrap().parse().unwrap();
    let body = out.split_once("\r\n\r\n").unwrap().1;
    (status, serde_json::from_str(body).unwrap_or(Json::Null))
}

#[test]
fn hrefs_follow_the_host_the_request_came_in_on() {
    let f = fixture("cms-newsletter.flow.ron");
    let path = format!("{ORG}/workflow/execution/NEWSLETTER");
    let (status, j) = with_host(&f, &path, Some("cms-test.example.com:9000"));
    assert_eq!(status, 200);
    assert_eq!(
        j["activities"]["activity"]["signal1"]["trigger"]["href"],
        "http://cms-test.example.com:9000/ORG/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger"
    );
    // flowcall's own workflow answer follows it too.
    let (_, native) = with_host(&f, "/workflow/execution/NEWSLETTER", Some("[::1]:9000"));
    assert_eq!(
        native["signals"][0]["url"],
        format!("http://[::1]:9000{NEWSLETTER}")
    );
    // A Host that is not a plain host and port gives the bound address.
    let (_, j) = with_host(&f, &path, Some("evil.example/\"x@y"));
    assert_eq!(
        j["href"],
        format!(
            "{}/ORG/campaign/workflow/execution/NEWSLETTER",
            f.server.base_url()
        )
    );
}

#[test]
fn hrefs_start_with_the_public_url_behind_a_proxy() {
    let f = fixture_config(newsletter_without_cooldown(), true, |c| Config {
        public_url: Some("https://flowcall.example.com/api/".into()),
        ..c
    });
    let public = "https://flowcall.example.com/api";
    let (_, j) = with_host(
        &f,
        &format!("{ORG}/workflow/execution/NEWSLETTER"),
        Some("127.0.0.1"),
    );
    assert_eq!(
        j["href"],
        format!("{public}/ORG/campaign/workflow/execution/NEWSLETTER")
    );
    assert_eq!(
        j["activities"]["activity"]["signal1"]["trigger"]["href"],
        format!(
            "{public}/ORG/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger"
        )
    );
    let (_, native) = with_host(&f, "/workflow/execution/NEWSLETTER", Some("127.0.0.1"));
    assert_eq!(native["signals"][0]["url"], format!("{public}{NEWSLETTER}"));
    let t = f.ref_trigger(&payload()).json();
    assert_eq!(t["href"], format!("{public}/runs/1"));
    assert_eq!(f.server.public_base_url(), public);
}

#[test]
fn a_public_url_that_is_not_an_http_url_is_refused_at_start() {
    let sim = Arc::new(Mutex::new(Simulator::new(Arc::new(Prepared::new(design(
        "cms-newsletter.flow.ron",
    ))))));
    for bad in ["flowcall.example.com", "https://h/x?y", "ftp://h"] {
        let config = Config {
            public_url: Some(bad.into()),
            ..Config::new(TOKEN).with_addr("127.0.0.1:0".parse().unwrap())
        };
        let e = serve::start(sim.clone(), config).unwrap_err();
        assert!(
            e.to_string().contains("absolute http:// or https:// URL"),
            "{e}"
        );
    }
}

#[test]
fn the_binary_answers_hrefs_on_its_chosen_port_and_behind_public_url() {
    for public in [None, Some("https://flowcall.example.com/x")] {
        let mut args = vec![
            "serve",
            "examples/cms-newsletter.flow.ron",
            "--addr",
            "127.0.0.1:0",
            "--token",
            "t",
            "--api-key",
            "k",
        ];
        args.extend(public.iter().flat_map(|p| ["--public-url", *p]));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_flowcall"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
        let lines: Vec<String> = out.by_ref().take(4).map(Result::unwrap).collect();
        let base = lines[0]
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap()
            .to_owned();
        let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
        assert_ne!(port, 0);
        let expected = public.map_or_else(|| base.clone(), str::to_owned);
        assert_eq!(
            lines[3],
            format!(
                "Campaign Standard API (any organization): GET {expected}/ORGANIZATION/campaign/workflow/execution/NEWSLETTER"
            )
        );
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let text = agent
            .get(format!(
                "{base}/acme/campaign/workflow/execution/NEWSLETTER"
            ))
            .header("Authorization", "Bearer t")
            .header("X-Api-Key", "k")
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        let j: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(
            j["activities"]["activity"]["signal1"]["trigger"]["href"],
            format!(
                "{expected}/acme/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger"
            )
        );
        assert!(
            std::process::Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap()
                .success()
        );
        let rest: Vec<String> = out.map(Result::unwrap).collect();
        assert!(child.wait().unwrap().success(), "{rest:?}");
    }
}

#[test]
fn the_readme_shows_the_sdk_snippet_the_library_builds() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split_once("<!-- sdk-snippet: begin -->\n```js\n")
        .and_then(|(_, rest)| rest.split_once("```\n<!-- sdk-snippet: end -->"))
        .map(|(block, _)| block)
        .expect("README.md holds the SDK snippet between its markers");
    let documented: Json = serde_json::from_str(&payload()).unwrap();
    let built = flowcall::serve::snippet::node_sdk_snippet(
        "http://127.0.0.1:8640",
        "NEWSLETTER",
        "signal1",
        &documented,
        None,
    );
    assert_eq!(block, built);
}

/// A validator of the OpenAPI export's component `name` (its `$ref`s resolved in the document).
fn component_validator(doc: &Json, name: &str) -> jsonschema::Validator {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"],
    });
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_openapi_export_describes_the_answers_of_the_reference_paths() {
    let doc = flowcall::export::openapi::openapi(&design("cms-newsletter.flow.ron"), &|_, _| true);
    let item = &doc["paths"]["/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger"];
    assert_eq!(
        item["servers"][0]["url"],
        "http://127.0.0.1:8640/{organization}"
    );
    let responses = &item["post"]["responses"];
    for status in [
        "202", "400", "401", "403", "404", "408", "409", "413", "429",
    ] {
        assert!(responses.get(status).is_some(), "{status} not documented");
    }
    // The URL a generated client calls is the one the server answers on.
    let f = fixture("cms-newsletter.flow.ron");
    let path = "/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger";
    let called = format!("/ORGANIZATION{path}");
    let undeclared = f.sdk(
        "POST",
        &called,
        Some(r#"{"source": "cms", "parameters": {"audience": "a", "email": "b", "contentURL": "c", "contentURL2": "d"}}"#),
    );
    assert_eq!(undeclared.status, 400);
    let problems = component_validator(&doc, "ReferenceProblems");
    assert!(problems.is_valid(&undeclared.json()), "{}", undeclared.text);
    // The documented example is the answer's form, word for word but the parameter's name.
    let example = &responses["400"]["content"]["application/json"]["example"]["message"];
    assert_eq!(
        undeclared.json()["message"]
            .as_str()
            .unwrap()
            .replace("contentURL2", "contentURL"),
        example.as_str().unwrap()
    );
    let accepted = f.sdk("POST", &called, Some(&payload()));
    assert!(
        component_validator(&doc, "ReferenceAccepted").is_valid(&accepted.json()),
        "{}",
        accepted.text
    );
    let workflow = f.sdk(
        "GET",
        "/ORGANIZATION/campaign/workflow/execution/NEWSLETTER",
        None,
    );
    assert!(
        component_validator(&doc, "ReferenceWorkflow").is_valid(&workflow.json()),
        "{}",
        workflow.text
    );
    let unauthorized = f.send(
        "GET",
        "/ORGANIZATION/campaign/workflow/execution/NEWSLETTER",
        None,
        &[],
        false,
    );
    assert!(component_validator(&doc, "ReferenceUnauthorized").is_valid(&unauthorized.json()));
    let missing = f.sdk(
        "GET",
        "/ORGANIZATION/campaign/workflow/execution/WKF9",
        None,
    );
    assert!(problems.is_valid(&missing.json()));
    let too_soon = f.sdk("POST", &called, Some(&payload()));
    assert_eq!(too_soon.status, 429);
    assert!(responses["429"]["content"].get("text/plain").is_some());
}

fn life_design(name: &str) -> Design {
    flowcall::io::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/life")
            .join(name),
    )
    .unwrap()
}

#[test]
fn a_held_branch_is_shown_and_released_by_a_command() {
    let f = fixture_with(life_design("held.flow.ron"), true, Duration::from_secs(10));
    let a = f.call(
        "POST",
        "/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger",
        Some(r#"{"source": "t", "parameters": {"audience": "GoldMembers"}}"#),
    );
    assert!(a.status < 300, "{}", a.json);
    let s = f.call("GET", "/workflow/execution/NEWSLETTER", None);
    assert_eq!(s.json["state"], "started");
    assert_eq!(s.json["status"], "In progress");
    assert_eq!(s.json["held"][0]["activity"], "email1", "{}", s.json);
    assert_eq!(
        s.json["commands"],
        json!(["pause", "stop", "restart", "release"])
    );

    let release = |activity: Option<&str>| {
        let mut body = json!({"method": "release"});
        if let Some(a) = activity {
            body["activity"] = json!(a);
        }
        f.call(
            "POST",
            "/workflow/execution/NEWSLETTER/commands",
            Some(&body.to_string()),
        )
    };
    assert_eq!(release(None).status, 400);
    let unknown = release(Some("nope"));
    assert_eq!(unknown.status, 404, "{}", unknown.json);
    let r = release(Some("email1"));
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["released"], 1);
    assert!(r.json.get("held").is_none(), "{}", r.json);
    let run = f.call("GET", "/runs/1", None);
    assert_eq!(run.json["status"], "finished", "{}", run.json);
    let again = release(Some("email1"));
    assert_eq!(again.status, 409, "{}", again.json);
    assert!(
        messages(&again)[0].contains("holds no task"),
        "{}",
        again.json
    );
}

#[test]
fn an_erroneous_workflow_queues_triggers_and_resumes_with_409_for_what_it_refuses() {
    let f = fixture_with(
        life_design("suspend-resume.flow.ron"),
        true,
        Duration::from_secs(10),
    );
    let body = r#"{"source": "t", "parameters": {"audience": "JanuaryGold"}}"#;
    let path = "/workflow/execution/CAMPAIGN/activities/activity/signal1/trigger";
    let a = f.call("POST", path, Some(body));
    assert!(a.status < 300, "{}", a.json);
    let s = f.call("GET", "/workflow/execution/CAMPAIGN", None);
    assert_eq!(s.json["state"], "erroneous", "{}", s.json);
    assert_eq!(s.json["status"], "Erroneous");
    assert_eq!(s.json["suspended"]["activity"], "read1");
    assert_eq!(s.json["commands"], json!(["resume", "stop", "restart"]));
    let queued = f.call("POST", path, Some(body));
    assert_eq!(
        (queued.status, &queued.json),
        (202, &json!({"queued": true}))
    );
    let pause = f.command("CAMPAIGN", "pause");
    assert_eq!(pause.status, 409, "{}", pause.json);
    assert!(
        messages(&pause)[0].contains("resume or stop it"),
        "{}",
        pause.json
    );
}
