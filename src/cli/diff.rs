//! `flowcall diff OLD NEW [--json] [--signal WKF/SIGNAL]`: what the new version of a design
//! breaks for its callers, one line per contract change (`WKF2/signal1: breaking: ...`) and a
//! summary, or the JSON document of docs/DIFF.md.

use super::split_signal;
use super::{EXIT_REJECTED, load_design};
use anyhow::{Context as _, anyhow};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old version of the design (RON or JSON).
    pub old: PathBuf,
    /// The new version of the design (RON or JSON).
    pub new: PathBuf,
    /// Print the JSON document described in docs/DIFF.md.
    #[arg(long)]
    pub json: bool,
    /// Only this signal, as WORKFLOW/SIGNAL (its id in either version).
    #[arg(long, value_name = "WKF/SIGNAL")]
    pub signal: Option<String>,
}

/// Runs `diff`: exit 0 when nothing breaks a caller, 1 when something does, 2 when a file
/// cannot be read or `--signal` names no signal of either version.
pub fn diff(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let old = load_design(&args.old)?;
    let new = load_design(&args.new)?;
    let mut diff = crate::diff::compare(&old, &new);
    if let Some(choice) = &args.signal {
        let (w, s) = split_signal(choice)?;
        let known: Vec<String> = diff
            .signals
            .iter()
            .filter_map(|p| p.location().map(|(w, s)| format!("{w}/{s}")))
            .collect();
        diff = diff.only(w, s).ok_or_else(|| {
            anyhow!(
                "--signal {choice}: neither {} nor {} has signal '{s}' in workflow '{w}' (signals: {}); pass one of them",
                args.old.display(),
                args.new.display(),
                if known.is_empty() { "none".to_owned() } else { crate::model::listed(&known) }
            )
        })?;
    }
    let summary = diff.summary();
    let mut text = if args.json {
        let (old_name, new_name) = (
            args.old.display().to_string(),
            args.new.display().to_string(),
        );
        serde_json::to_string_pretty(&diff.report(&old_name, &new_name))
            .context("cannot write JSON")?
    } else {
        let mut lines = diff.lines();
        lines.push(format!("summary: {summary}"));
        lines.join("\n")
    };
    text.push('\n');
    // Labels and descriptions reach the terminal with their control characters shown escaped;
    // a closed pipe (`| head`) is an I/O error reported once, not a panic.
    super::write_out_str(&text)?;
    Ok(if summary.is_breaking() {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}
