//! The local trigger endpoint (README.md, "Local trigger endpoint"): an HTTP server (axum on tokio)
//! over one shared simulator session, as `flowcall serve` runs it and as the designer can start it
//! in-process.
//!
//! Entry point: [`start`] takes a [`SharedSimulator`] and a [`Config`], binds (loopback unless
//! [`Config::allow_remote`]), serves on a background thread with its own tokio runtime, and
//! returns a [`Server`] handle with the bound address, the token, live [`Summary`] counters and
//! [`Server::shutdown`] (graceful: in-flight requests finish).
//!
//! Decisions made here:
//! - Every call needs `Authorization: Bearer TOKEN`; the token is compared in constant time
//!   ([`tokens_match`]). Without it: 401, whatever the path.
//! - Time: the session's virtual clock follows real time. At [`start`] the server notes the
//!   simulator's clock (the design's `clock_start` for a fresh simulator) and the real instant;
//!   before each trigger or command it moves the virtual clock forward to that clock plus the
//!   real time elapsed (never backwards: a run whose Wait moved the clock ahead keeps it). The
//!   cooldown therefore counts real seconds, and a 429 carries `Retry-After` in seconds.
//! - Each accepted trigger runs to the end before the answer (202 `{"run": id, "queued":
//!   false}`), so `GET /runs/{id}` shows the finished run and its chained runs. Each trigger
//!   gets its own budget of [`crate::sim::DEFAULT_STEP_LIMIT`] activity visits (a queued
//!   trigger too, when a resume delivers it): a trigger that spends it fails alone, and the
//!   session goes on serving.
//! - Memory: the session keeps the latest [`Config::keep_runs`] runs (default
//!   [`DEFAULT_KEEP_RUNS`]) with their visits and outbox entries; `GET /runs/{id}` of an older
//!   run answers 410 saying it was dropped, and `GET /stats` counts every run.
//! - Nothing that locks the session runs on the runtime's worker threads: every handler that
//!   needs it (simulating or only reading) runs on tokio's blocking pool, so a request that
//!   needs no session (a 401, a 404 path) is never queued behind a simulation.
//! - Status of a rejected trigger, when it has several kinds of problems (the body lists them
//!   all): 413 too large, then 404 unknown target, then 400 (JSON, shape or parameters), then
//!   409 not listening, then 429 cooldown. Request bodies are read with a 64 KiB limit (checked
//!   on `Content-Length` first, then on the bytes read) and a read timeout (408).
//! - Commands that the workflow's state does not allow are a 400, as the OpenAPI export says.
//! - The reference's paths (`/{organization}/campaign/workflow/execution/...`, [`reference`],
//!   docs/API.md) sit beside flowcall's own and share their handling; only the answers differ
//!   ([`answer`]). Their hrefs are absolute URLs under the base the request came in on: the
//!   [`Config::public_url`] when set (a proxy in front), else `http://` and the request's `Host`.
//!   With [`Config::api_key`], they also require that `X-Api-Key` (403 otherwise); flowcall's own
//!   paths never look at it.
//! - Connections are served by our own accept loop over hyper (HTTP/1.1, keep-alive) with a
//!   header read timeout ([`Config::header_timeout`]): a client that does not finish sending
//!   its request headers in time (a slow or stalled client) is disconnected, and so is a
//!   keep-alive connection that stays idle that long.
//! - Shutdown stops accepting at once and lets in-flight requests finish for at most
//!   [`Config::shutdown_grace`].

mod answer;
mod handlers;
mod reference;
pub mod snippet;

use crate::sim::Simulator;
use chrono::{DateTime, TimeDelta, Utc};
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// How long a shutdown waits for in-flight requests by default.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// One simulator session shared by the server and its owner (the CLI or the designer).
pub type SharedSimulator = Arc<Mutex<Simulator>>;

/// The address `flowcall serve` listens on by default.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8640";

/// How long request headers may take to arrive (and a keep-alive connection may stay idle).
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request body may take to arrive by default.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// The threads of the blocking pool that handlers lock the session on.
const BLOCKING_THREADS: usize = 4;

/// How many runs the session keeps by default (a finished run takes a few kilobytes).
pub const DEFAULT_KEEP_RUNS: usize = 10_000;

/// Why the server could not start or stop.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address is not loopback and remote access was not allowed.
    #[error(
        "refusing to listen on {0}: it is not a loopback address; pass --allow-remote to accept calls from other machines"
    )]
    NotLoopback(SocketAddr),
    /// The token is empty.
    #[error("the bearer token must not be empty")]
    EmptyToken,
    /// The token has characters a client cannot send, or surrounding spaces.
    #[error(
        "the bearer token {0:?} cannot be sent by a client: use only visible ASCII characters, with no space at the start or end"
    )]
    UnusableToken(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime or its thread could not be created.
    #[error("cannot start the server's runtime: {0}")]
    Runtime(std::io::Error),
    /// The operating system's random generator failed.
    #[error("cannot generate a token: {0}")]
    Random(String),
    /// The server stopped with an error.
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
    /// The server thread panicked.
    #[error("the server thread panicked")]
    Panicked,
    /// The public URL is not an absolute `http` or `https` URL without query or fragment.
    #[error(
        "the public URL {0:?} cannot be used: give the absolute http:// or https:// URL clients reach the server at, with no query or fragment (like https://flowcall.example.com/api)"
    )]
    PublicUrl(String),
    /// The API key has characters a client cannot send, or surrounding spaces.
    #[error(
        "the API key {0:?} cannot be sent by a client: use only visible ASCII characters, with no space at the start or end"
    )]
    UnusableApiKey(String),
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (port 0 picks a free port; [`Server::addr`] tells which).
    pub addr: SocketAddr,
    /// The bearer token every call must carry.
    pub token: String,
    /// Accept a non-loopback address.
    pub allow_remote: bool,
    /// How long a request body may take to arrive (then 408).
    pub body_timeout: Duration,
    /// How long the request headers may take to arrive (then the connection is closed).
    pub header_timeout: Duration,
    /// How long a shutdown waits for in-flight requests.
    pub shutdown_grace: Duration,
    /// Worker threads of the server's runtime.
    pub workers: usize,
    /// How many runs the session keeps (`None`: all of them).
    pub keep_runs: Option<usize>,
    /// The base URL clients reach the server at, behind a proxy: hrefs in answers start with it
    /// (`None`: `http://` and the request's `Host`).
    pub public_url: Option<String>,
    /// The `X-Api-Key` the reference's paths require (`None`: any value, or none).
    pub api_key: Option<String>,
}

impl Config {
    /// Loopback on the default port, with this token and the default timeouts.
    pub fn new(token: impl Into<String>) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8640)),
            token: token.into(),
            allow_remote: false,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            shutdown_grace: SHUTDOWN_GRACE,
            workers: 2,
            keep_runs: Some(DEFAULT_KEEP_RUNS),
            public_url: None,
            api_key: None,
        }
    }

    /// The same, on another address.
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }
}

/// A random token: 32 hexadecimal characters from the operating system's generator.
pub fn generate_token() -> Result<String, ServeError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ServeError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Why `token` cannot serve as a bearer token, if it cannot: clients send it in a header whose
/// value is trimmed, so it must be visible ASCII (spaces inside allowed) with no space around.
pub fn check_token(token: &str) -> Result<(), ServeError> {
    if token.is_empty() {
        return Err(ServeError::EmptyToken);
    }
    let visible = token.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    if !visible || token.trim() != token {
        return Err(ServeError::UnusableToken(token.to_owned()));
    }
    Ok(())
}

/// `url` without its trailing slashes, if it is an absolute `http` or `https` URL with a host
/// and no query or fragment, made only of visible ASCII.
pub fn check_public_url(url: &str) -> Result<String, ServeError> {
    let bad = || ServeError::PublicUrl(url.to_owned());
    if !url.bytes().all(|b| b.is_ascii_graphic()) || url.contains(['?', '#']) {
        return Err(bad());
    }
    let uri: axum::http::Uri = url.parse().map_err(|_| bad())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let host_ok = uri
        .authority()
        .is_some_and(|a| !a.host().is_empty() && !a.as_str().contains('@'));
    if !scheme_ok || !host_ok {
        return Err(bad());
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// Compares a token given by a caller with the expected one in time that depends only on the
/// expected token's length.
pub fn tokens_match(given: &[u8], expected: &[u8]) -> bool {
    let mut diff = given.len() ^ expected.len();
    for (i, e) in expected.iter().enumerate() {
        let g = given.get(i).copied().unwrap_or(!*e);
        diff |= usize::from(g ^ *e);
    }
    std::hint::black_box(diff) == 0
}

/// What the server has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Requests answered or being answered (every call, rejected ones included).
    pub requests: u64,
    /// Triggers accepted that started a run.
    pub started: u64,
    /// Triggers accepted while the workflow was paused.
    pub queued: u64,
    /// Triggers rejected (any 4xx of the trigger endpoint).
    pub rejected: u64,
    /// Runs recorded in the simulator session (chained and Start runs included, and the runs
    /// the run window dropped).
    pub runs: u64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "served {} requests: {} triggers started a run, {} queued, {} rejected; {} runs recorded",
            self.requests, self.started, self.queued, self.rejected, self.runs
        )
    }
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    started: AtomicU64,
    queued: AtomicU64,
    rejected: AtomicU64,
}

impl Counters {
    fn summary(&self, sim: &SharedSimulator) -> Summary {
        self.summary_of(lock(sim).runs_total())
    }

    fn summary_of(&self, runs: u64) -> Summary {
        Summary {
            requests: self.requests.load(Ordering::Relaxed),
            started: self.started.load(Ordering::Relaxed),
            queued: self.queued.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            runs,
        }
    }
}

/// The real-time clock of the session: the virtual time at start and the real instant.
#[derive(Debug)]
struct RealClock {
    virtual_start: DateTime<Utc>,
    real_start: Instant,
}

impl RealClock {
    /// Moves the simulator's clock forward to the real time elapsed since start (at most to
    /// the latest time the clock can hold).
    fn sync(&self, sim: &mut Simulator) {
        let elapsed = TimeDelta::from_std(self.real_start.elapsed()).unwrap_or(TimeDelta::MAX);
        let target = self
            .virtual_start
            .checked_add_signed(elapsed)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let behind = (target - sim.clock()).num_seconds();
        if let Ok(seconds) = u64::try_from(behind)
            && seconds > 0
        {
            // Cannot fail: the target is a time the clock can hold.
            let _ = sim.advance_clock(seconds);
        }
    }
}

/// Locks the session, recovering it if a panic poisoned the lock.
fn lock(sim: &SharedSimulator) -> MutexGuard<'_, Simulator> {
    sim.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running server. Dropping it shuts it down too.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    public_url: Option<String>,
    token: String,
    sim: SharedSimulator,
    counters: Arc<Counters>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

/// Accepts connections until `stop` fires, serving each with hyper (HTTP/1.1, keep-alive, a
/// header read timeout); then lets in-flight requests finish for at most `grace`.
async fn accept_loop(
    listener: std::net::TcpListener,
    app: axum::Router,
    header_timeout: Duration,
    grace: Duration,
    mut stop: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let mut builder = hyper::server::conn::http1::Builder::new();
                    builder
                        .timer(TokioTimer::new())
                        .header_read_timeout(header_timeout);
                    let conn = builder.serve_connection(
                        TokioIo::new(stream),
                        TowerToHyperService::new(app.clone()),
                    );
                    let served = graceful.watch(conn);
                    tokio::spawn(async move {
                        // A connection error (a reset, a timeout) ends that connection only.
                        let _ = served.await;
                    });
                }
                // Out of file descriptors or a connection reset before accept: wait a little
                // and go on (the server stays up).
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            _ = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {}
    }
    Ok(())
}

/// Starts serving `sim` on a background thread. The listener is bound before this returns,
/// so calls can be made at once.
pub fn start(sim: SharedSimulator, config: Config) -> Result<Server, ServeError> {
    if !config.allow_remote && !config.addr.ip().is_loopback() {
        return Err(ServeError::NotLoopback(config.addr));
    }
    check_token(&config.token)?;
    let public_url = config
        .public_url
        .as_deref()
        .map(check_public_url)
        .transpose()?;
    if let Some(key) = &config.api_key {
        check_token(key).map_err(|_| ServeError::UnusableApiKey(key.clone()))?;
    }
    let bind_err = |source| ServeError::Bind {
        addr: config.addr,
        source,
    };
    let listener = std::net::TcpListener::bind(config.addr).map_err(bind_err)?;
    listener.set_nonblocking(true).map_err(bind_err)?;
    let addr = listener.local_addr().map_err(bind_err)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.workers.max(1))
        // Every blocking task takes the one session lock: more threads than this only wait
        // (and each keeps its own allocator caches).
        .max_blocking_threads(BLOCKING_THREADS)
        .thread_name("flowcall-serve")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let counters = Arc::new(Counters::default());
    let virtual_start = {
        let mut guard = lock(&sim);
        guard.set_run_window(config.keep_runs);
        guard.clock()
    };
    let clock = Arc::new(RealClock {
        virtual_start,
        real_start: Instant::now(),
    });
    let state = handlers::AppState {
        sim: sim.clone(),
        token: Arc::from(config.token.as_bytes()),
        api_key: config.api_key.as_deref().map(|k| Arc::from(k.as_bytes())),
        base_url: Arc::from(format!("http://{addr}")),
        public_url: public_url.as_deref().map(Arc::from),
        clock,
        counters: counters.clone(),
        body_timeout: config.body_timeout,
        keep_runs: config.keep_runs,
    };
    let app = handlers::router(state);
    let grace = config.shutdown_grace;
    let header_timeout = config.header_timeout;
    let (tx, rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("flowcall-serve".into())
        .spawn(move || {
            let result = runtime.block_on(accept_loop(listener, app, header_timeout, grace, rx));
            runtime.shutdown_timeout(Duration::from_secs(5));
            result
        })
        .map_err(ServeError::Runtime)?;
    Ok(Server {
        addr,
        public_url,
        token: config.token,
        sim,
        counters,
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

impl Server {
    /// The address bound (with the real port when port 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL clients reach the server at: the public URL when one was given, else
    /// [`Server::base_url`].
    pub fn public_base_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| self.base_url())
    }

    /// The bearer token calls must carry.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The counters so far.
    pub fn summary(&self) -> Summary {
        self.counters.summary(&self.sim)
    }

    /// A ready one-line `curl` call to the design's first External signal, with the token and
    /// an example payload (`None` when the design has no signal).
    pub fn curl_example(&self) -> Option<String> {
        let (wf, act, payload) = self.first_signal()?;
        Some(crate::export::curl::curl_call(
            &self.base_url(),
            &wf,
            &act,
            &payload,
            Some(&self.token),
        ))
    }

    /// The reference-style URL of the workflow of the design's first External signal
    /// (`GET` answers it as Campaign Standard does), under [`Server::public_base_url`].
    pub fn reference_url(&self) -> Option<String> {
        let (wf, _, _) = self.first_signal()?;
        Some(snippet::reference_workflow_url(
            &self.public_base_url(),
            snippet::DEFAULT_ORGANIZATION,
            &wf,
        ))
    }

    /// A ready Node script that triggers the design's first External signal with an example
    /// payload through Adobe's Campaign Standard SDK ([`snippet::node_sdk_snippet`]).
    pub fn sdk_example(&self) -> Option<String> {
        let (wf, act, payload) = self.first_signal()?;
        Some(snippet::node_sdk_snippet(
            &self.public_base_url(),
            &wf,
            &act,
            &payload,
            Some(&self.token),
        ))
    }

    /// The workflow and id of the design's first External signal, with an example payload.
    fn first_signal(&self) -> Option<(String, String, serde_json::Value)> {
        let prepared = lock(&self.sim).prepared().clone();
        prepared.design.workflows.iter().find_map(|wf| {
            wf.signals().next().map(|(a, c)| {
                let payload = crate::export::curl::example_payload(c);
                (wf.id.clone(), a.id.clone(), payload)
            })
        })
    }

    /// Stops accepting connections, lets in-flight requests finish, and returns the summary.
    pub fn shutdown(mut self) -> Result<Summary, ServeError> {
        self.stop()?;
        Ok(self.summary())
    }

    fn stop(&mut self) -> Result<(), ServeError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.thread.take().map(JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(ServeError::Serve(e)),
            Some(Err(_)) => Err(ServeError::Panicked),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(tokens_match(b"abc", b"abc"));
        assert!(!tokens_match(b"abd", b"abc"));
        assert!(!tokens_match(b"ab", b"abc"));
        assert!(!tokens_match(b"abcd", b"abc"));
        assert!(!tokens_match(b"", b"abc"));
    }

    #[test]
    fn regression_a_token_with_surrounding_spaces_is_refused() {
        for bad in [" abc", "abc ", "\tabc", "ab\ncd", "abé"] {
            assert!(
                matches!(check_token(bad), Err(ServeError::UnusableToken(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(check_token(""), Err(ServeError::EmptyToken)));
        check_token("a b-c_D.9~").unwrap();
        let sim = Arc::new(Mutex::new(Simulator::new(Arc::new(
            crate::sim::Prepared::new(crate::model::Design::default()),
        ))));
        let config = Config::new(" abc").with_addr(SocketAddr::from(([127, 0, 0, 1], 0)));
        assert!(matches!(
            start(sim, config),
            Err(ServeError::UnusableToken(_))
        ));
    }

    #[test]
    fn a_public_url_is_an_absolute_http_url_without_query() {
        assert_eq!(
            check_public_url("https://flowcall.example.com/api/").unwrap(),
            "https://flowcall.example.com/api"
        );
        assert_eq!(
            check_public_url("http://[::1]:9000").unwrap(),
            "http://[::1]:9000"
        );
        for bad in [
            "",
            "flowcall.example.com",
            "/api",
            "ftp://h/x",
            "https://h/x?y=1",
            "https://h/x#f",
            "https://user@h/x",
            "https://h/a b",
            "https://h/\u{1b}[2J",
        ] {
            assert!(
                matches!(check_public_url(bad), Err(ServeError::PublicUrl(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn generated_tokens_are_32_hex() {
        let t = generate_token().unwrap();
        assert_eq!(t.len(), 32);
        assert!(t.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(t, generate_token().unwrap());
    }
}
