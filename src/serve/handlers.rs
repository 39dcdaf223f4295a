//! The routes of the trigger endpoint: bearer-token guard, trigger, workflow state, commands,
//! runs and counters, and JSON answers for every error (unknown paths and methods included).

// Helpers return the answer to give as their error: built once per request, never moved far.
#![allow(clippy::result_large_err)]

use super::{Counters, RealClock, SharedSimulator, lock};
use crate::sim::trigger::MAX_PAYLOAD_BYTES;
use crate::sim::{ErrorKind, Simulator, TriggerError, TriggerOutcome, report};
use axum::Router;
use axum::body::{Body, HttpBody as _};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value as Json, json};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// What every handler shares.
#[derive(Clone)]
pub(super) struct AppState {
    pub(super) sim: SharedSimulator,
    pub(super) token: Arc<[u8]>,
    pub(super) base_url: Arc<str>,
    pub(super) clock: Arc<RealClock>,
    pub(super) counters: Arc<Counters>,
    pub(super) body_timeout: Duration,
    pub(super) keep_runs: Option<usize>,
}

/// The routes, behind the token guard (which also counts requests).
pub(super) fn router(state: AppState) -> Router {
    Router::new()
        .route("/workflow/execution/{workflow}", get(workflow_state))
        .route(
            "/workflow/execution/{workflow}/activities/activity/{signal}/trigger",
            post(trigger),
        )
        .route("/workflow/execution/{workflow}/commands", post(command))
        .route("/runs/{id}", get(run))
        .route("/stats", get(stats))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// A JSON answer.
fn answer(status: StatusCode, body: &Json) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

/// `{"errors": [{"parameter": null, "message": ...}]}` with this status.
fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    answer(
        status,
        &json!({"errors": [{"parameter": null, "message": message.into()}]}),
    )
}

/// The same, closing the connection (the request body was not read to its end).
fn problem_closing(status: StatusCode, message: impl Into<String>) -> Response {
    let mut r = problem(status, message);
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

fn errors_json(errors: &[TriggerError]) -> Json {
    json!({"errors": errors.iter().map(report::error_json).collect::<Vec<_>>()})
}

async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    st.counters.requests.fetch_add(1, Ordering::Relaxed);
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let ok = given.is_some_and(|t| super::tokens_match(t.as_bytes(), &st.token));
    if !ok {
        let mut r = problem(
            StatusCode::UNAUTHORIZED,
            "a valid bearer token is required (Authorization: Bearer TOKEN)",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return r;
    }
    next.run(req).await
}

async fn not_found(method: Method, uri: Uri) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        format!("no endpoint {method} {}", uri.path()),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    problem(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("method {method} is not allowed on {}", uri.path()),
    )
}

fn bad_path(e: &PathRejection) -> Response {
    problem(StatusCode::BAD_REQUEST, format!("bad path: {e}"))
}

/// Runs `f` on the locked session, its clock moved to real time, on a blocking thread: waiting
/// for the lock or simulating never holds up the runtime's workers.
async fn with_sim<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&mut Simulator) -> T + Send + 'static,
) -> Result<T, Response> {
    let clock = st.clock.clone();
    blocking(st, move |sim| {
        clock.sync(sim);
        f(sim)
    })
    .await
}

/// Runs `f` on the locked session on a blocking thread.
async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&mut Simulator) -> T + Send + 'static,
) -> Result<T, Response> {
    let sim = st.sim.clone();
    tokio::task::spawn_blocking(move || f(&mut lock(&sim)))
        .await
        .map_err(|e| {
            problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the simulation failed: {e}"),
            )
        })
}

/// Why a request body could not be read.
enum BodyError {
    TooLarge(usize),
    Timeout,
    Broken(String),
}

/// Reads a body up to `limit` bytes within `timeout`.
async fn read_body(mut body: Body, limit: usize, timeout: Duration) -> Result<Vec<u8>, BodyError> {
    let read = async {
        let mut buf = Vec::new();
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            let frame = frame.map_err(|e| BodyError::Broken(e.to_string()))?;
            if let Ok(data) = frame.into_data() {
                let total = buf.len() + data.len();
                if total > limit {
                    return Err(BodyError::TooLarge(total));
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok(buf)
    };
    tokio::time::timeout(timeout, read)
        .await
        .unwrap_or(Err(BodyError::Timeout))
}

fn too_large(bytes: usize, exact: bool) -> Response {
    let size = if exact {
        format!("{bytes} bytes")
    } else {
        format!("over {} bytes", bytes.saturating_sub(1))
    };
    problem_closing(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the payload is {size}; the limit is {MAX_PAYLOAD_BYTES} bytes (64 KiB)"),
    )
}

/// The body of a request, or the answer to give: 413 on `Content-Length` or on the bytes read,
/// 408 when it does not arrive in time, 400 when it breaks off.
async fn body_of(st: &AppState, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, Response> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(n) = declared
        && n > MAX_PAYLOAD_BYTES as u64
    {
        return Err(too_large(usize::try_from(n).unwrap_or(usize::MAX), true));
    }
    read_body(body, MAX_PAYLOAD_BYTES, st.body_timeout)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge(n) => too_large(n, false),
            BodyError::Timeout => problem_closing(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {} seconds",
                    st.body_timeout.as_secs_f64()
                ),
            ),
            BodyError::Broken(why) => problem_closing(
                StatusCode::BAD_REQUEST,
                format!("the request body could not be read: {why}"),
            ),
        })
}

/// The 404 for an unknown workflow (or signal).
fn check_target(sim: &Simulator, workflow: &str, signal: Option<&str>) -> Result<(), Response> {
    let prepared = sim.prepared();
    let Some(wf) = prepared.design.workflows.iter().find(|w| w.id == workflow) else {
        return Err(problem(
            StatusCode::NOT_FOUND,
            format!("unknown workflow '{workflow}'"),
        ));
    };
    if let Some(signal) = signal
        && !wf.signals().any(|(a, _)| a.id == signal)
    {
        return Err(problem(
            StatusCode::NOT_FOUND,
            format!("workflow '{workflow}' has no signal '{signal}'"),
        ));
    }
    Ok(())
}

/// The status of a rejected trigger: 413, then 404, then 400, then 409, then 429.
fn status_of(errors: &[TriggerError]) -> StatusCode {
    let has = |k: &[ErrorKind]| errors.iter().any(|e| k.contains(&e.kind));
    if has(&[ErrorKind::TooLarge]) {
        StatusCode::PAYLOAD_TOO_LARGE
    } else if has(&[ErrorKind::UnknownTarget]) {
        StatusCode::NOT_FOUND
    } else if has(&[
        ErrorKind::MalformedJson,
        ErrorKind::Shape,
        ErrorKind::Undeclared,
        ErrorKind::WrongType,
        ErrorKind::DuplicateKey,
        ErrorKind::MissingRequired,
        ErrorKind::NotAllowed,
        ErrorKind::Expression,
    ]) {
        StatusCode::BAD_REQUEST
    } else if has(&[ErrorKind::NotListening]) {
        StatusCode::CONFLICT
    } else if has(&[ErrorKind::Cooldown]) {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::BAD_REQUEST
    }
}

async fn trigger(
    State(st): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    req: Request,
) -> Response {
    let (workflow, signal) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let (parts, body) = req.into_parts();
    let bytes = match body_of(&st, &parts.headers, body).await {
        Ok(b) => b,
        Err(r) => {
            st.counters.rejected.fetch_add(1, Ordering::Relaxed);
            return r;
        }
    };
    let done = with_sim(&st, move |sim| {
        check_target(sim, &workflow, Some(&signal))?;
        let outcome = sim.trigger_bytes(&workflow, &signal, &bytes);
        if matches!(outcome, TriggerOutcome::Started(_)) {
            sim.run_to_end();
        }
        let retry = sim.next_trigger_allowed(&workflow, &signal).map(|next| {
            (next - sim.clock())
                .num_milliseconds()
                .max(0)
                .unsigned_abs()
                .div_ceil(1000)
        });
        Ok((outcome, retry))
    })
    .await;
    let (outcome, retry) = match done.and_then(|d| d) {
        Ok(d) => d,
        Err(r) => {
            st.counters.rejected.fetch_add(1, Ordering::Relaxed);
            return r;
        }
    };
    match outcome {
        TriggerOutcome::Started(id) => {
            st.counters.started.fetch_add(1, Ordering::Relaxed);
            answer(StatusCode::ACCEPTED, &json!({"run": id, "queued": false}))
        }
        TriggerOutcome::Queued => {
            st.counters.queued.fetch_add(1, Ordering::Relaxed);
            answer(StatusCode::ACCEPTED, &json!({"queued": true}))
        }
        TriggerOutcome::Rejected(errors) => {
            st.counters.rejected.fetch_add(1, Ordering::Relaxed);
            let status = status_of(&errors);
            let mut r = answer(status, &errors_json(&errors));
            if status == StatusCode::TOO_MANY_REQUESTS {
                let seconds = retry.unwrap_or(1).max(1);
                if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            r
        }
    }
}

async fn workflow_state(
    State(st): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let workflow = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let read = blocking(&st, move |sim| {
        let state = sim.state(&workflow).map_or("not started", |s| s.name());
        let queued = sim.held_triggers(&workflow).len();
        (sim.prepared().clone(), workflow, state, queued)
    })
    .await;
    let (prepared, workflow, state, queued) = match read {
        Ok(r) => r,
        Err(r) => return r,
    };
    let Some(wf) = prepared.design.workflows.iter().find(|w| w.id == workflow) else {
        return problem(
            StatusCode::NOT_FOUND,
            format!("unknown workflow '{workflow}'"),
        );
    };
    let signals: Vec<Json> = wf
        .signals()
        .map(|(a, _)| {
            json!({
                "id": a.id,
                "label": a.label,
                "url": crate::export::curl::trigger_url(&st.base_url, &wf.id, &a.id),
            })
        })
        .collect();
    answer(
        StatusCode::OK,
        &json!({
            "id": wf.id,
            "label": wf.label,
            "state": state,
            "queued": queued,
            "signals": signals,
        }),
    )
}

async fn command(
    State(st): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    req: Request,
) -> Response {
    let workflow = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let (parts, body) = req.into_parts();
    let bytes = match body_of(&st, &parts.headers, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let json: Json = match serde_json::from_slice(&bytes) {
        Ok(j) => j,
        Err(e) => {
            return problem(
                StatusCode::BAD_REQUEST,
                format!("malformed JSON at line {}, column {}", e.line(), e.column()),
            );
        }
    };
    let method = match json.get("method").and_then(Json::as_str) {
        Some(m @ ("start" | "pause" | "resume" | "stop")) => m.to_owned(),
        Some(m) => {
            return problem(
                StatusCode::BAD_REQUEST,
                format!("unknown method '{m}': expected start, pause, resume or stop"),
            );
        }
        None => {
            return problem(
                StatusCode::BAD_REQUEST,
                r#"the body must be {"method": "start"|"pause"|"resume"|"stop"}"#,
            );
        }
    };
    let done = with_sim(&st, move |sim| {
        check_target(sim, &workflow, None)?;
        let before = sim.runs_total();
        let result = match method.as_str() {
            "start" => sim.start(&workflow),
            "pause" => sim.pause(&workflow),
            "resume" => sim.resume(&workflow),
            _ => sim.stop(&workflow),
        };
        sim.run_to_end();
        let state = sim.state(&workflow).map_or("not started", |s| s.name());
        let runs: Vec<u64> = sim
            .runs()
            .iter()
            .filter(|r| r.id > before && r.workflow == workflow)
            .map(|r| r.id)
            .collect();
        Ok((result, state, runs))
    })
    .await;
    match done.and_then(|d| d) {
        Ok((Ok(()), state, runs)) => answer(StatusCode::OK, &json!({"state": state, "runs": runs})),
        Ok((Err(e), _, _)) => problem(StatusCode::BAD_REQUEST, e.to_string()),
        Err(r) => r,
    }
}

async fn run(State(st): State<AppState>, path: Result<Path<String>, PathRejection>) -> Response {
    let id = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let keep = st.keep_runs.unwrap_or(usize::MAX);
    let found = blocking(&st, move |sim| run_answer(sim, &id, keep)).await;
    found.unwrap_or_else(|r| r)
}

/// `GET /runs/{id}`: the run, 410 when the run window dropped it, 404 when it never existed.
fn run_answer(sim: &Simulator, id: &str, keep: usize) -> Response {
    let n = id.parse::<u64>().ok();
    let Some(run) = n.and_then(|n| sim.run(n)) else {
        if n.is_some_and(|n| sim.evicted(n)) {
            return problem(
                StatusCode::GONE,
                format!(
                    "run {id} was dropped: the server keeps the latest {keep} runs (flowcall serve --keep-runs N keeps more)"
                ),
            );
        }
        return problem(StatusCode::NOT_FOUND, format!("run '{id}' does not exist"));
    };
    let mut body = report::run_json(run, sim.outbox());
    let chained: Vec<u64> = sim
        .runs()
        .iter()
        .filter(|r| r.parent == Some(run.id))
        .map(|r| r.id)
        .collect();
    if let Json::Object(m) = &mut body {
        m.insert(
            "started_at".into(),
            Json::String(crate::model::format_datetime(&run.started_at)),
        );
        m.insert("chained".into(), json!(chained));
    }
    answer(StatusCode::OK, &body)
}

async fn stats(State(st): State<AppState>) -> Response {
    let s = match blocking(&st, |sim| sim.runs_total()).await {
        Ok(runs) => st.counters.summary_of(runs),
        Err(r) => return r,
    };
    answer(
        StatusCode::OK,
        &json!({
            "requests": s.requests,
            "started": s.started,
            "queued": s.queued,
            "rejected": s.rejected,
            "runs": s.runs,
        }),
    )
}
