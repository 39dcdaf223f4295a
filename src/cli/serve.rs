//! `flowcall serve FILE [--addr 127.0.0.1:8640] [--token TOKEN] [--allow-remote]
//! [--not-started] [--keep-runs N] [--public-url URL] [--api-key KEY]`: the local trigger
//! endpoint (README.md, docs/API.md) over one simulator session, in flowcall's dialect and the
//! reference's, until Ctrl+C (or SIGTERM); then a summary line.

use super::common::load_checked;
use super::common::{errln, outln};
use crate::serve::{self, Config, DEFAULT_ADDR, DEFAULT_KEEP_RUNS};
use crate::sim::{Prepared, Simulator};
use anyhow::Context as _;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The design file.
    pub file: PathBuf,
    /// Where to listen (port 0 picks a free port).
    #[arg(long, default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
    /// The bearer token calls must carry; without it, a random one is generated and printed.
    #[arg(long)]
    pub token: Option<String>,
    /// Accept a non-loopback address (anyone who can reach it and knows the token can trigger).
    #[arg(long)]
    pub allow_remote: bool,
    /// Leave every workflow not started (start them with the commands endpoint).
    #[arg(long)]
    pub not_started: bool,
    /// How many runs to keep for `GET /runs/{id}` (older ones answer 410); 0 keeps every run.
    #[arg(long, default_value_t = DEFAULT_KEEP_RUNS)]
    pub keep_runs: usize,
    /// The base URL clients reach the server at behind a proxy (like
    /// https://flowcall.example.com/api): the hrefs in answers start with it.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// The X-Api-Key the reference's paths (/{organization}/campaign/...) require; without it,
    /// any value (or none) is accepted.
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
}

/// Runs `serve`: exit 0 after a clean shutdown, 1 when the design has errors (as `check`
/// reports them; nothing is served), 2 when the server cannot start.
pub fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let design = match load_checked(&args.file)? {
        Ok(design) => design,
        Err(refused) => return Ok(refused),
    };
    // Calls show runs (variables, path, outbox), never the trace of visits: it is not kept.
    let mut sim = Simulator::new(Arc::new(Prepared::new(design))).with_visits(false);
    if !args.not_started {
        sim.start_all();
        sim.run_to_end();
    }
    let token = match &args.token {
        Some(t) => t.clone(),
        None => serve::generate_token()?,
    };
    serve::check_token(&token)?;
    let public_url = args
        .public_url
        .as_deref()
        .map(serve::check_public_url)
        .transpose()?;
    if args.allow_remote && !args.addr.ip().is_loopback() {
        errln!(
            "warning: listening on {} accepts calls from other machines; anyone who knows the token can trigger workflows",
            args.addr
        );
    }
    // Signals are caught from here on, before the address is printed.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the signal handler")?;
    let stop = runtime
        .block_on(async { StopSignal::new() })
        .context("cannot catch Ctrl+C")?;
    let config = Config {
        allow_remote: args.allow_remote,
        keep_runs: (args.keep_runs > 0).then_some(args.keep_runs),
        public_url,
        api_key: args.api_key.clone(),
        ..Config::new(token).with_addr(args.addr)
    };
    let server = serve::start(Arc::new(Mutex::new(sim)), config)?;
    outln!("flowcall serve listening on {}", server.base_url())?;
    outln!("token: {}", server.token())?;
    if let Some(curl) = server.curl_example() {
        outln!("try: {curl}")?;
    }
    if let Some(url) = server.reference_url() {
        outln!("Campaign Standard API (any organization): GET {url}")?;
    }
    outln!("Ctrl+C stops the server.")?;
    std::io::stdout()
        .flush()
        .context("cannot write to standard output")?;
    runtime.block_on(stop.wait());
    let summary = server.shutdown()?;
    outln!("{summary}")?;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl+C, and SIGTERM on Unix.
struct StopSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignal {
    #[cfg(unix)]
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(StopSignal {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    #[cfg(not(unix))]
    fn new() -> std::io::Result<Self> {
        Ok(StopSignal {})
    }

    #[cfg(unix)]
    async fn wait(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }

    #[cfg(not(unix))]
    async fn wait(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
