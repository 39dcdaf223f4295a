//! `flowcall check FILE [--json]`: every design-time diagnostic, one line each or as JSON.

use super::common::EXIT_REJECTED;
use super::common::{errln, outln};
use crate::check::{Diagnostic, Severity, has_errors};
use crate::io::LoadError;
use anyhow::Context as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The design file.
    pub file: PathBuf,
    /// Print a JSON array of `{severity, workflow, activity, field, message}`.
    #[arg(long)]
    pub json: bool,
}

/// Runs `check`: exit 0 without errors, 1 with errors, 2 when the file cannot be read.
pub fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let diagnostics = match crate::io::load(&args.file) {
        Ok(design) => crate::check::check(&design),
        // A design that parses but breaks structural rules is reported like other problems.
        Err(LoadError::Structure(problems)) => problems.into_iter().map(Diagnostic::from).collect(),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot load {}", args.file.display()));
        }
    };
    if args.json {
        let text = serde_json::to_string_pretty(&diagnostics).context("cannot write JSON")?;
        outln!("{text}")?;
    } else {
        for d in &diagnostics {
            outln!("{d}")?;
        }
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = diagnostics.len() - errors;
        errln!(
            "{}: {errors} error{}, {warnings} warning{}",
            args.file.display(),
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        );
    }
    Ok(if has_errors(&diagnostics) {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}
