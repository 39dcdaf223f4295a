//! `flowcall run FILE --signal WKF/SIGNAL [--payload FILE|-] [--json|--trace]`: starts every
//! workflow, triggers one signal, runs to the end (chained runs included) and prints the runs
//! (with `--trace`, every visit and variable change too, as `tools/exec-check` replays them).

use super::{EXIT_REJECTED, load_checked, split_signal};
use crate::sim::{Prepared, RunStatus, Simulator, TriggerOutcome, report};
use anyhow::Context as _;
use serde_json::Value as Json;
use std::io::{Read as _, Write as _};
use std::path::PathBuf;
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
    /// Print one JSON object `{accepted, errors, runs}`.
    #[arg(long)]
    pub json: bool,
    /// Print one JSON object `{accepted, errors, clock, halted, runs, visits, outbox}`: the runs
    /// with their variable changes, and every visit with its ports and resolved settings.
    #[arg(long, conflicts_with = "json")]
    pub trace: bool,
}

/// Reads a payload file, or standard input for `-`.
pub fn read_payload(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read the payload from standard input")?;
        Ok(buf)
    } else {
        std::fs::read(path).with_context(|| format!("cannot read payload {}", path.display()))
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
        None => br#"{"source": "cli"}"#.to_vec(),
    };
    let prepared = Arc::new(Prepared::new(design));
    let mut sim = Simulator::new(prepared);
    sim.start_all();
    let outcome = sim.trigger_bytes(workflow, signal, &payload);
    sim.run_to_end();
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
    // A closed pipe (`| head`) is an I/O error reported once, not a panic.
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("cannot write to standard output")?;
    let ok = matches!(outcome, TriggerOutcome::Started(_))
        && sim.runs().iter().all(|r| r.status == RunStatus::Finished);
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REJECTED)
    })
}
