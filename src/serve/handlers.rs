//! The routes of the trigger endpoint: the guard (bearer token, and `X-Api-Key` on the
//! reference's paths with `--api-key`), flowcall's own paths (trigger, workflow state,
//! commands, runs and counters), the reference's paths ([`super::reference`]), and an answer
//! for every error (unknown paths and methods included) in the dialect of the path asked.
//!
//! What a trigger or a command does is written once ([`trigger_core`], [`command_core`],
//! [`read_workflow`]); each dialect only writes the answer.

// Helpers return the refusal to give as their error: built once per request, never moved far.
#![allow(clippy::result_large_err)]

use super::answer::{Cause, Refusal, answer, is_reference_path};
use super::session::{Counters, RealClock, SharedSimulator, lock, tokens_match};
use crate::model::format_datetime;
use crate::sim::trigger::MAX_PAYLOAD_BYTES;
use crate::sim::{Prepared, SimError, Simulator, TriggerOutcome, WorkflowCommand, report};
use axum::Router;
use axum::body::{Body, HttpBody as _};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value as Json, json};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// What every handler shares.
#[derive(Clone)]
pub(super) struct AppState {
    pub(super) sim: SharedSimulator,
    pub(super) token: Arc<[u8]>,
    /// The X-Api-Key the reference's paths require (`--api-key`), if any.
    pub(super) api_key: Option<Arc<[u8]>>,
    /// `http://ADDR` of the bound address.
    pub(super) base_url: Arc<str>,
    /// The base URL clients reach the server at behind a proxy (`--public-url`).
    pub(super) public_url: Option<Arc<str>>,
    pub(super) clock: Arc<RealClock>,
    pub(super) counters: Arc<Counters>,
    pub(super) body_timeout: Duration,
    pub(super) keep_runs: Option<usize>,
}

/// The routes, flowcall's and the reference's (`reference`), behind the guard (which also
/// counts requests).
pub(super) fn router(state: AppState, reference: Router<AppState>) -> Router {
    Router::new()
        .route("/workflow/execution/{workflow}", get(workflow_state))
        .route(
            "/workflow/execution/{workflow}/activities/activity/{signal}/trigger",
            post(trigger),
        )
        .route("/workflow/execution/{workflow}/commands", post(command))
        .route("/runs/{id}", get(run))
        .route("/stats", get(stats))
        .merge(reference)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Writes `refusal` in the dialect of `path`.
fn refuse(path: &str, refusal: Refusal) -> Response {
    if is_reference_path(path) {
        refusal.reference()
    } else {
        refusal.native()
    }
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
    let ok = given.is_some_and(|t| tokens_match(t.as_bytes(), &st.token));
    let path = req.uri().path();
    if !ok {
        return refuse(
            path,
            Refusal::of(StatusCode::UNAUTHORIZED, Cause::Unauthorized),
        );
    }
    if let Some(key) = &st.api_key
        && is_reference_path(path)
    {
        let given = req.headers().get("x-api-key").map(|v| v.as_bytes());
        if !given.is_some_and(|g| tokens_match(g, key)) {
            return Refusal::of(
                StatusCode::FORBIDDEN,
                Cause::ApiKey {
                    given: given.is_some(),
                },
            )
            .reference();
        }
    }
    next.run(req).await
}

async fn not_found(method: Method, uri: Uri) -> Response {
    refuse(
        uri.path(),
        Refusal::request(
            StatusCode::NOT_FOUND,
            format!("no endpoint {method} {}", uri.path()),
        ),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    refuse(
        uri.path(),
        Refusal::request(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("method {method} is not allowed on {}", uri.path()),
        ),
    )
}

/// The refusal of a path whose segments cannot be read.
pub(super) fn bad_path(e: &PathRejection) -> Refusal {
    Refusal::request(StatusCode::BAD_REQUEST, format!("bad path: {e}"))
}

/// The base URL a request came in on: `--public-url` when set, else `http://` and the
/// request's `Host` header (when it is a plain host and port), else the bound address.
pub(super) fn request_base(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(public) = &st.public_url {
        return public.to_string();
    }
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| plain_authority(h))
        .map_or_else(|| st.base_url.to_string(), |h| format!("http://{h}"))
}

/// A host and optional port of letters, digits and `.-_:[]` (IPv6 in brackets), nothing else.
fn plain_authority(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'[' | b']')
        })
}

/// Runs `f` on the locked session, its clock moved to real time, on a blocking thread: waiting
/// for the lock or simulating never holds up the runtime's workers.
async fn with_sim<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&mut Simulator) -> T + Send + 'static,
) -> Result<T, Refusal> {
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
) -> Result<T, Refusal> {
    let sim = st.sim.clone();
    tokio::task::spawn_blocking(move || f(&mut lock(&sim)))
        .await
        .map_err(|e| {
            Refusal::request(
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

fn too_large(bytes: usize, exact: bool) -> Refusal {
    let size = if exact {
        format!("{bytes} bytes")
    } else {
        format!("over {} bytes", bytes.saturating_sub(1))
    };
    Refusal::request(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the payload is {size}; the limit is {MAX_PAYLOAD_BYTES} bytes (64 KiB)"),
    )
    .closing()
}

/// The body of a request, or the refusal to give: 413 on `Content-Length` or on the bytes
/// read, 408 when it does not arrive in time, 400 when it breaks off.
async fn body_of(st: &AppState, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, Refusal> {
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
            BodyError::Timeout => Refusal::request(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {} seconds",
                    st.body_timeout.as_secs_f64()
                ),
            )
            .closing(),
            BodyError::Broken(why) => Refusal::request(
                StatusCode::BAD_REQUEST,
                format!("the request body could not be read: {why}"),
            )
            .closing(),
        })
}

/// The 404 for an unknown workflow, or for an activity that is not one of its signals.
fn check_target(sim: &Simulator, workflow: &str, signal: Option<&str>) -> Result<(), Refusal> {
    let prepared = sim.prepared();
    let Some(wf) = prepared.design.workflows.iter().find(|w| w.id == workflow) else {
        return Err(Refusal::of(
            StatusCode::NOT_FOUND,
            Cause::UnknownWorkflow(workflow.to_owned()),
        ));
    };
    if let Some(signal) = signal
        && !wf.signals().any(|(a, _)| a.id == signal)
    {
        return Err(Refusal::of(
            StatusCode::NOT_FOUND,
            Cause::NotASignal {
                workflow: workflow.to_owned(),
                activity: signal.to_owned(),
                exists: wf.activity(signal).is_some(),
            },
        ));
    }
    Ok(())
}

/// What an accepted trigger did.
pub(super) enum Accepted {
    /// A run started (and ran to its end) with this id.
    Started(u64),
    /// The workflow is paused: the trigger waits for a resume.
    Queued,
}

/// Reads the body of a trigger of `workflow`'s `signal`, triggers it on the session and runs
/// it to the end; counts it started, queued or rejected.
pub(super) async fn trigger_core(
    st: &AppState,
    workflow: String,
    signal: String,
    req: Request,
) -> Result<Accepted, Refusal> {
    let refused = |r: Refusal| {
        st.counters.rejected.fetch_add(1, Ordering::Relaxed);
        r
    };
    let (parts, body) = req.into_parts();
    let bytes = body_of(st, &parts.headers, body).await.map_err(refused)?;
    let done = with_sim(st, move |sim| {
        check_target(sim, &workflow, Some(&signal))?;
        let outcome = sim.trigger_bytes(&workflow, &signal, &bytes);
        if matches!(outcome, TriggerOutcome::Started(_)) {
            sim.run_to_end();
        }
        let retry = sim
            .next_trigger_allowed(&workflow, &signal)
            .map(|next| crate::model::time::seconds_until(sim.clock(), next));
        Ok((outcome, retry))
    })
    .await;
    let (outcome, retry) = done.and_then(|d| d).map_err(refused)?;
    match outcome {
        TriggerOutcome::Started(id) => {
            st.counters.started.fetch_add(1, Ordering::Relaxed);
            Ok(Accepted::Started(id))
        }
        TriggerOutcome::Queued => {
            st.counters.queued.fetch_add(1, Ordering::Relaxed);
            Ok(Accepted::Queued)
        }
        TriggerOutcome::Rejected(errors) => Err(refused(Refusal::trigger(errors, retry))),
    }
}

async fn trigger(
    State(st): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    req: Request,
) -> Response {
    let (workflow, signal) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e).native(),
    };
    match trigger_core(&st, workflow, signal, req).await {
        Ok(Accepted::Started(id)) => {
            answer(StatusCode::ACCEPTED, &json!({"run": id, "queued": false}))
        }
        Ok(Accepted::Queued) => answer(StatusCode::ACCEPTED, &json!({"queued": true})),
        Err(r) => r.native(),
    }
}

/// What the session says of one workflow.
pub(super) struct WorkflowView {
    pub(super) prepared: Arc<Prepared>,
    pub(super) index: usize,
    /// `state`, `status`, `commands`, and `suspended` and `held` when there are (see
    /// [`life_cycle`]).
    pub(super) life: Map<String, Json>,
    pub(super) queued: usize,
}

/// A workflow's life cycle as both dialects answer it: `state` (flowcall's name), `status`
/// (the reference's), `commands` (those its state allows now), `suspended` (the failed
/// activity an erroneous workflow waits with: `{activity, run, error, since}`) and `held` (the
/// branches held at activities set to "Enable but do not execute": `[{activity, run,
/// since}]`), the last two only when there are.
pub(super) fn life_cycle(sim: &Simulator, workflow: &str) -> Map<String, Json> {
    let mut m = Map::new();
    let state = sim
        .state(workflow)
        .unwrap_or(crate::model::WorkflowState::NotStarted);
    m.insert("state".into(), json!(state.name()));
    m.insert("status".into(), json!(state.status()));
    let mut commands: Vec<&str> = WorkflowCommand::ALL
        .into_iter()
        .filter(|c| sim.allows(workflow, *c).is_ok())
        .map(WorkflowCommand::name)
        .collect();
    let index = sim.prepared().workflow_index(workflow);
    let held: Vec<Json> = sim
        .holds()
        .iter()
        .filter(|h| Some(h.token.workflow) == index)
        .map(|h| json!({"activity": h.activity, "run": h.token.run, "since": format_datetime(&h.since)}))
        .collect();
    if !held.is_empty() {
        commands.push("release");
    }
    m.insert("commands".into(), json!(commands));
    if let Some(s) = sim.suspension(workflow) {
        m.insert(
            "suspended".into(),
            json!({"activity": s.activity, "run": s.token.run, "error": s.message, "since": format_datetime(&s.since)}),
        );
    }
    if !held.is_empty() {
        m.insert("held".into(), Json::Array(held));
    }
    m
}

/// Reads `workflow`'s state and queue (404 when it does not exist).
pub(super) async fn read_workflow(
    st: &AppState,
    workflow: String,
) -> Result<WorkflowView, Refusal> {
    let read = blocking(st, move |sim| {
        let life = life_cycle(sim, &workflow);
        let queued = sim.held_triggers(&workflow).len();
        (sim.prepared().clone(), workflow, life, queued)
    })
    .await;
    let (prepared, workflow, life, queued) = read?;
    let Some(index) = prepared
        .design
        .workflows
        .iter()
        .position(|w| w.id == workflow)
    else {
        return Err(Refusal::of(
            StatusCode::NOT_FOUND,
            Cause::UnknownWorkflow(workflow),
        ));
    };
    Ok(WorkflowView {
        prepared,
        index,
        life,
        queued,
    })
}

async fn workflow_state(
    State(st): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let workflow = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e).native(),
    };
    let view = match read_workflow(&st, workflow).await {
        Ok(v) => v,
        Err(r) => return r.native(),
    };
    let Some(wf) = view.prepared.design.workflows.get(view.index) else {
        return Refusal::request(StatusCode::INTERNAL_SERVER_ERROR, "the workflow vanished")
            .native();
    };
    let base = request_base(&st, &headers);
    let signals: Vec<Json> = wf
        .signals()
        .map(|(a, _)| {
            json!({
                "id": a.id,
                "label": a.label,
                "url": crate::export::curl::trigger_url(&base, &wf.id, &a.id),
            })
        })
        .collect();
    let mut body = Map::new();
    body.insert("id".into(), json!(wf.id));
    body.insert("label".into(), json!(wf.label));
    body.extend(view.life);
    body.insert("queued".into(), json!(view.queued));
    body.insert("signals".into(), json!(signals));
    answer(StatusCode::OK, &Json::Object(body))
}

/// A command as a body names it.
enum CommandBody {
    /// A command on the workflow's state.
    Workflow(WorkflowCommand),
    /// Release the branches held at this activity.
    Release(String),
}

/// The command a body names, or why it names none (400).
fn method_of(json: &Json) -> Result<CommandBody, Refusal> {
    const EXPECTED: &str = "expected start, pause, resume, stop, restart or release";
    let bad = |m: String| Refusal::request(StatusCode::BAD_REQUEST, m);
    match json.get("method").and_then(Json::as_str) {
        Some("release") => match json.get("activity").and_then(Json::as_str) {
            Some(a) if !a.is_empty() => Ok(CommandBody::Release(a.to_owned())),
            _ => Err(bad(
                r#"release needs the activity to release: {"method": "release", "activity": "ACTIVITY"}"#
                    .to_owned(),
            )),
        },
        Some(m) => WorkflowCommand::parse(m)
            .map(CommandBody::Workflow)
            .ok_or_else(|| bad(format!("unknown method '{m}': {EXPECTED}"))),
        None => Err(bad(
            r#"the body must be {"method": "start"|"pause"|"resume"|"stop"|"restart"} or {"method": "release", "activity": "ACTIVITY"}"#
                .to_owned(),
        )),
    }
}

/// Reads a command's body, applies it to `workflow` and runs what it starts to the end: the
/// workflow's life cycle after it ([`life_cycle`]) with `runs` (the runs started) and, for a
/// release, `released` (how many branches). A command the state does not allow is a 409 that
/// says why.
pub(super) async fn command_core(
    st: &AppState,
    workflow: String,
    req: Request,
) -> Result<Map<String, Json>, Refusal> {
    let (parts, body) = req.into_parts();
    let bytes = body_of(st, &parts.headers, body).await?;
    let json: Json = serde_json::from_slice(&bytes).map_err(|e| {
        Refusal::request(
            StatusCode::BAD_REQUEST,
            format!("malformed JSON at line {}, column {}", e.line(), e.column()),
        )
    })?;
    let method = method_of(&json)?;
    let done = with_sim(st, move |sim| {
        check_target(sim, &workflow, None)?;
        let before = sim.runs_total();
        let result = match &method {
            CommandBody::Workflow(c) => sim.command(&workflow, *c).map(|()| None),
            CommandBody::Release(a) => sim.release(&workflow, a).map(Some),
        };
        let released = match result {
            Ok(r) => r,
            Err(e) => return Err(command_refusal(&e)),
        };
        sim.run_to_end();
        let mut life = life_cycle(sim, &workflow);
        let runs: Vec<u64> = sim
            .runs()
            .iter()
            .filter(|r| r.id > before && r.workflow == workflow)
            .map(|r| r.id)
            .collect();
        life.insert("runs".into(), json!(runs));
        if let Some(n) = released {
            life.insert("released".into(), json!(n));
        }
        Ok(life)
    })
    .await;
    done.and_then(|d| d)
}

/// The refusal of a command the session refused: 404 for an activity that does not exist,
/// 409 for a command the workflow's state (or the activity) does not allow.
fn command_refusal(e: &SimError) -> Refusal {
    let status = match e {
        SimError::UnknownActivity { .. } | SimError::UnknownWorkflow(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::CONFLICT,
    };
    Refusal::request(status, e.to_string())
}

async fn command(
    State(st): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    req: Request,
) -> Response {
    let workflow = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e).native(),
    };
    match command_core(&st, workflow, req).await {
        Ok(life) => answer(StatusCode::OK, &Json::Object(life)),
        Err(r) => r.native(),
    }
}

async fn run(State(st): State<AppState>, path: Result<Path<String>, PathRejection>) -> Response {
    let id = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e).native(),
    };
    let keep = st.keep_runs.unwrap_or(usize::MAX);
    let found = blocking(&st, move |sim| run_answer(sim, &id, keep)).await;
    found.unwrap_or_else(Refusal::native)
}

/// `GET /runs/{id}`: the run, 410 when the run window dropped it, 404 when it never existed.
fn run_answer(sim: &Simulator, id: &str, keep: usize) -> Response {
    let n = id.parse::<u64>().ok();
    let Some(run) = n.and_then(|n| sim.run(n)) else {
        if n.is_some_and(|n| sim.evicted(n)) {
            return Refusal::request(
                StatusCode::GONE,
                format!(
                    "run {id} was dropped: the server keeps the latest {keep} runs (flowcall serve --keep-runs N keeps more)"
                ),
            )
            .native();
        }
        return Refusal::request(StatusCode::NOT_FOUND, format!("run '{id}' does not exist"))
            .native();
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
        Err(r) => return r.native(),
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

#[cfg(test)]
mod tests {
    use super::plain_authority;

    #[test]
    fn only_a_plain_host_and_port_makes_an_href() {
        for good in [
            "127.0.0.1:8640",
            "localhost",
            "[::1]:8640",
            "cms-test.example.com",
        ] {
            assert!(plain_authority(good), "{good}");
        }
        for bad in ["", "a@b", "h/p", "h\"x", "h x", "h?q", "h#f", "é.example"] {
            assert!(!plain_authority(bad), "{bad}");
        }
    }
}
