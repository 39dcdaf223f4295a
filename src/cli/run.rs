//! `flowcall run FILE --signal WKF/SIGNAL [--payload FILE|-] [--then COMMAND]... [--json|--trace]`:
//! starts every workflow, triggers one signal, runs to the end (chained runs included), gives
//! each `--then` command (resume, release, restart...) and runs to the end again, and prints the
//! runs (with `--trace`, every visit and variable change too, as `tools/exec-check` replays
//! them). A command the workflow's state does not allow is refused with why (exit 1).

use super::common::{EXIT_REJECTED, errln, load_checked, split_signal};
use crate::io::ReadError;
use crate::model::ScenarioStep;
use crate::sim::trigger::{MAX_PAYLOAD_BYTES, Payload};
use crate::sim::{
    ErrorKind, Prepared, RunStatus, Simulator, TriggerError, TriggerOutcome, give, report,
};
use anyhow::Context as _;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The design file.
    pub file: PathBuf,
    /// The signal to trigger, as `WORKFLOW/SIGNAL`.
    #[arg(long, value_name = "WKF/SIGNAL")]
    pub signal: String,
    /// The payload file (`-` for standard input); without it, `{"source": "cli"}`.
    #[arg(long, value_name = "FILE|-")]
    pub payload: Option<PathBuf>,
    /// A command given after the trigger has run to the end (repeatable, in order, each run to
    /// the end): `resume:WKF`, `release:WKF/ACTIVITY`, `restart:WKF`, `pause:WKF`, `stop:WKF`,
    /// `start:WKF`, `advance:SECONDS`.
    #[arg(long, value_name = "COMMAND", value_parser = ScenarioStep::parse)]
    pub then: Vec<ScenarioStep>,
    /// Print one JSON object `{accepted, errors, runs}`.
    #[arg(long)]
    pub json: bool,
    /// Print one JSON object `{accepted, errors, clock, halted, runs, visits, outbox}`: the runs
    /// with their variable changes, and every visit with its ports and resolved settings.
    #[arg(long, conflicts_with = "json")]
    pub trace: bool,
}

/// A payload as read: its bytes, or its size when it is over the 64 KiB every entry point
/// allows (`None` when a stream does not say; reading stopped at the limit).
pub enum PayloadBytes {
    /// The whole payload.
    Read(Vec<u8>),
    /// Larger than [`MAX_PAYLOAD_BYTES`]: not read further.
    TooLarge(Option<u64>),
}

/// Reads a payload file, or standard input for `-`, up to [`MAX_PAYLOAD_BYTES`] (and one byte
/// to tell a larger one): `--payload /dev/zero` costs 64 KiB, not all memory.
pub fn read_payload(path: &Path) -> anyhow::Result<PayloadBytes> {
    const ADVICE: &str = "a payload is at most 64 KiB at every entry point";
    let limit = MAX_PAYLOAD_BYTES as u64;
    let read = if path.as_os_str() == "-" {
        crate::io::read_capped_from(std::io::stdin().lock(), path, limit, "a payload", ADVICE)
    } else {
        crate::io::read_capped(path, limit, "a payload", ADVICE)
    };
    match read {
        Ok(bytes) => Ok(PayloadBytes::Read(bytes)),
        Err(ReadError::TooLarge { size, .. }) => Ok(PayloadBytes::TooLarge(size)),
        Err(e) if path.as_os_str() == "-" => {
            Err(e).context("cannot read the payload from standard input")
        }
        Err(e) => Err(e).context("cannot read the payload"),
    }
}

/// Triggers `workflow`'s `signal` with a payload as read: through the one trigger path, a
/// payload over the limit is rejected as every entry point rejects it.
fn trigger(
    sim: &mut Simulator,
    workflow: &str,
    signal: &str,
    payload: &PayloadBytes,
) -> TriggerOutcome {
    match payload {
        PayloadBytes::Read(bytes) => sim.trigger_bytes(workflow, signal, bytes),
        PayloadBytes::TooLarge(size) => {
            let size = match size {
                Some(n) => format!("{n} bytes"),
                None => format!("over {MAX_PAYLOAD_BYTES} bytes"),
            };
            let error = TriggerError::payload(
                ErrorKind::TooLarge,
                format!("the payload is {size}; the limit is {MAX_PAYLOAD_BYTES} bytes (64 KiB)"),
            );
            let unreadable = Payload {
                unreadable: true,
                ..Payload::default()
            };
            sim.trigger_payload(workflow, signal, unreadable, vec![error], None)
        }
    }
}

/// Runs `run`: exit 0 when accepted and every run finished, 1 otherwise, 2 on usage or I/O.
pub fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let (workflow, signal) = split_signal(&args.signal)?;
    let design = match load_checked(&args.file)? {
        Ok(design) => design,
        Err(refused) => return Ok(refused),
    };
    let payload = match &args.payload {
        Some(p) => read_payload(p)?,
        None => PayloadBytes::Read(br#"{"source": "cli"}"#.to_vec()),
    };
    let prepared = Arc::new(Prepared::new(design));
    let mut sim = Simulator::new(prepared);
    sim.start_all();
    let outcome = trigger(&mut sim, workflow, signal, &payload);
    sim.run_to_end();
    let mut refused = None;
    for (i, step) in args.then.iter().enumerate() {
        if let Err(e) = give(&mut sim, step) {
            refused = Some(format!("--then {} ({}): {e}", i + 1, step.describe()));
            break;
        }
        sim.run_to_end();
    }
    let mut text = if args.trace {
        let mut trace = report::trace_json(&sim);
        if let (Some(t), Json::Object(r)) =
            (trace.as_object_mut(), report::result_json(&outcome, &sim))
        {
            for key in ["accepted", "errors"] {
                if let Some(v) = r.get(key) {
                    t.insert(key.into(), v.clone());
                }
            }
        }
        serde_json::to_string_pretty(&trace).context("cannot write JSON")?
    } else if args.json {
        serde_json::to_string_pretty(&report::result_json(&outcome, &sim))
            .context("cannot write JSON")?
    } else {
        report::result_text(&outcome, &sim)
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    // Payload values reach the terminal with their control characters shown escaped; a
    // closed pipe (`| head`) is an I/O error reported once, not a panic.
    super::write_out_str(&text)?;
    if let Some(r) = refused {
        errln!("flowcall: {r}");
        return Ok(ExitCode::from(EXIT_REJECTED));
    }
    let ok = matches!(outcome, TriggerOutcome::Started(_))
        && sim.runs().iter().all(|r| r.status == RunStatus::Finished);
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REJECTED)
    })
}
