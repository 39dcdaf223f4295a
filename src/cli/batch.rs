//! `flowcall batch FILE --signal WKF/SIGNAL --payloads FILE.jsonl [--out FILE.jsonl]`: one
//! result line per payload line, in order, streaming on all cores, with a progress bar on a
//! terminal and a summary on standard error.

use super::load_design;
use super::run::split_signal;
use crate::sim::{BatchRunner, Prepared};
use anyhow::Context as _;
use std::io::{BufReader, BufWriter, IsTerminal as _, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// The design file.
    pub file: PathBuf,
    /// The signal to trigger, as `WORKFLOW/SIGNAL`.
    #[arg(long, value_name = "WKF/SIGNAL")]
    pub signal: String,
    /// The payloads, one JSON object per line.
    #[arg(long, value_name = "FILE.jsonl")]
    pub payloads: PathBuf,
    /// Where to write the result lines (standard output by default).
    #[arg(long, value_name = "FILE.jsonl")]
    pub out: Option<PathBuf>,
}

/// Runs `batch`: exit 0 when every payload was accepted and its runs finished, 1 otherwise.
pub fn batch(args: &BatchArgs) -> anyhow::Result<ExitCode> {
    let (workflow, signal) = split_signal(&args.signal)?;
    let design = load_design(&args.file)?;
    let prepared = Arc::new(Prepared::new(design));
    if prepared.design.signal(workflow, signal).is_none() {
        anyhow::bail!(
            "{} has no External signal '{signal}' in a workflow '{workflow}'",
            args.file.display()
        );
    }
    let input = std::fs::File::open(&args.payloads)
        .with_context(|| format!("cannot open {}", args.payloads.display()))?;
    let total = input.metadata().map(|m| m.len()).unwrap_or(0);
    let output: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {elapsed} (eta {eta})",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let runner = BatchRunner::new(prepared, workflow, signal);
    let summary = runner
        .run(BufReader::new(input), BufWriter::new(output), &mut |read| {
            if let Some(b) = &bar {
                b.set_position(read);
            }
        })
        .context("cannot write the results")?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    eprint!("{}", summary.text());
    Ok(if summary.rejected == 0 && summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_REJECTED)
    })
}
