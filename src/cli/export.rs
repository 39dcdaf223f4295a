//! `flowcall export FILE --format json|schema|openapi|bpmn|curl [--signal WKF/SIGNAL] [--out PATH]`.

use super::errln;
use super::{load_design, report_design_errors, split_signal};
use crate::export::{ExportError, Format, export as make_export};
use anyhow::Context as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The design file.
    pub file: PathBuf,
    /// What to export.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Only this signal, as WORKFLOW/SIGNAL (schema, openapi, curl).
    #[arg(long, value_name = "WKF/SIGNAL")]
    pub signal: Option<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs `export`. Warnings (what could not be translated) go to standard error.
pub fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    if let Some(out) = &args.out {
        super::refuse_output_over_input(out, &[("design", &args.file)])?;
    }
    let design = load_design(&args.file)?;
    let signal = args.signal.as_deref().map(split_signal).transpose()?;
    let out = match make_export(&design, args.format, signal) {
        Ok(out) => out,
        Err(ExportError::Rejected(errors)) => return Ok(report_design_errors(&args.file, &errors)),
        Err(e) => return Err(e.into()),
    };
    for w in &out.warnings {
        errln!("warning: {w}");
    }
    match &args.out {
        Some(path) => crate::io::write_atomic(path, out.text.as_bytes())?,
        // On a terminal, control characters are shown escaped; elsewhere (a pipe, a file)
        // the bytes are those `--out` writes.
        None if std::io::stdout().is_terminal() => super::write_out_str(&out.text)?,
        None => std::io::stdout()
            .write_all(out.text.as_bytes())
            .context("cannot write to standard output")?,
    }
    Ok(ExitCode::SUCCESS)
}
