//! `flowcall payloads FILE --signal WKF/SIGNAL [--count N] [--seed S] [--invalid RATIO]
//! [--format jsonl|csv] [--out FILE]`: payloads generated from a signal's contract and the
//! design's sample data (a parameter that names a file, an audience or an option draws from
//! those that exist), each line saying what it expects, ready for `flowcall batch`.

use super::common::load_checked;
use super::common::split_signal;
use crate::sim::PayloadFormat;
use crate::sim::generate::{GenerateOptions, PayloadGenerator};
use anyhow::Context as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// The output formats of `payloads`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON payload per line, its expectation as the last key (`flowcall_expect`).
    Jsonl,
    /// A header row naming the parameters, one payload per row, a `flowcall_expect` column.
    Csv,
}

/// Arguments of `payloads`.
#[derive(Debug, clap::Args)]
pub struct PayloadsArgs {
    /// The design file.
    pub file: PathBuf,
    /// The signal whose contract the payloads are made for, as `WORKFLOW/SIGNAL`.
    #[arg(long, value_name = "WKF/SIGNAL")]
    pub signal: String,
    /// How many payloads.
    #[arg(long, default_value_t = 100)]
    pub count: u64,
    /// The seed: the same seed gives the same payloads.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The share of payloads that break the contract, one rule each (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "RATIO")]
    pub invalid: f64,
    /// The output format (by default CSV when --out ends in .csv, JSONL otherwise).
    #[arg(long)]
    pub format: Option<Format>,
    /// Where to write the payloads (standard output by default).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs `payloads`: exit 0 when written, 2 on a usage or I/O error.
pub fn payloads(args: &PayloadsArgs) -> anyhow::Result<ExitCode> {
    let (workflow, signal) = split_signal(&args.signal)?;
    let design = match load_checked(&args.file)? {
        Ok(design) => design,
        Err(refused) => return Ok(refused),
    };
    if let Some(out) = &args.out {
        super::refuse_output_over_input(out, &[("design", &args.file)])?;
    }
    let Some(contract) = design.signal(workflow, signal) else {
        anyhow::bail!(
            "{} has no External signal '{signal}' in a workflow '{workflow}'",
            args.file.display()
        );
    };
    let format = match (args.format, &args.out) {
        (Some(Format::Csv), _) => PayloadFormat::Csv,
        (Some(Format::Jsonl), _) => PayloadFormat::Jsonl,
        (None, Some(path)) => PayloadFormat::from_path(path),
        (None, None) => PayloadFormat::Jsonl,
    };
    let options = GenerateOptions {
        count: args.count,
        seed: args.seed,
        invalid: args.invalid,
        format,
    };
    // Parameters that name sample data draw from the data that exists (issue 22).
    let data = crate::sim::data_refs::data_refs(&design, workflow, signal);
    let generator = PayloadGenerator::new(contract, options)?.with_data(data);
    match &args.out {
        Some(path) => {
            // Written atomically: a full disk or an error leaves the earlier file as it was.
            let mut file = crate::io::AtomicFile::create(path)?;
            generator
                .write_all(&mut file)
                .with_context(|| format!("writing to {}", path.display()))?;
            file.commit()?;
        }
        None => {
            generator
                .write_all(std::io::stdout().lock())
                .context("writing to standard output")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
