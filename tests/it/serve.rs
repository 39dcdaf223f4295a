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
    let mut sim = Simulator::new(Arc::new(Prepared::new(design)));
    if started {
        sim.start_all();
    }
    let sim = Arc::new(Mutex::new(sim));
    let config = Config {
        body_timeout,
        ..Config::new(TOKEN).with_addr("127.0.0.1:0".parse().unwrap())
    };
    let server = serve::start(sim.clone(), config).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    Fixture { server, sim, agent }
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
    assert_eq!(r.json, json!({"state": "started", "runs": [1]}));
    let run = f.call("GET", "/runs/1", None);
    assert_eq!(run.json["status"], "finished");
    let again = f.command("NEWSLETTER", "resume");
    assert_eq!(again.status, 400, "{}", again.json);
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
    let big = format!(
        r#"{{"source": "t", "parameters": {{"audience": "{}"}}}}"#,
        "x".repeat(70_000)
    );
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
