//! `flowcall batch FILE --signal WKF/SIGNAL --payloads FILE.jsonl|FILE.csv [--out FILE.jsonl]`:
//! one result line per payload, in order, streaming on all cores, with a progress bar on a
//! terminal and a summary on standard error. A `.csv` file is read as CSV payloads (a header row
//! naming the parameters, cells typed by the signal's contract); any other file as JSONL.

use super::err;
use super::load_checked;
use super::split_signal;
use crate::sim::{
    BatchControl, BatchError, BatchRunner, PayloadFormat, Prepared, count_payloads, open_payloads,
};
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
    /// The payloads: one JSON object per line, or a `.csv` file whose header row names the
    /// parameters (and optionally `source`), one payload per row.
    #[arg(long, value_name = "FILE.jsonl|FILE.csv")]
    pub payloads: PathBuf,
    /// Where to write the result lines (standard output by default).
    #[arg(long, value_name = "FILE.jsonl")]
    pub out: Option<PathBuf>,
}

/// Runs `batch`: exit 0 when every payload was accepted and its runs finished (or, when every
/// line says what it expects, as `flowcall payloads` writes them, when every line got it), 1
/// otherwise, 2 when a file cannot be read (a malformed CSV file is reported with its line
/// before anything runs).
pub fn batch(args: &BatchArgs) -> anyhow::Result<ExitCode> {
    let (workflow, signal) = split_signal(&args.signal)?;
    let design = match load_checked(&args.file)? {
        Ok(design) => design,
        Err(refused) => return Ok(refused),
    };
    let prepared = Arc::new(Prepared::new(design));
    let Some(contract) = prepared.design.signal(workflow, signal).cloned() else {
        anyhow::bail!(
            "{} has no External signal '{signal}' in a workflow '{workflow}'",
            args.file.display()
        );
    };
    if let Some(out) = &args.out {
        super::refuse_output_over_input(
            out,
            &[("payloads", &args.payloads), ("design", &args.file)],
        )?;
    }
    let format = PayloadFormat::from_path(&args.payloads);
    let open = || {
        std::fs::File::open(&args.payloads)
            .with_context(|| format!("cannot open {}", args.payloads.display()))
    };
    if format == PayloadFormat::Csv {
        count_payloads(BufReader::new(open()?), format)
            .with_context(|| format!("{} is not valid CSV", args.payloads.display()))?;
    }
    let input = open()?;
    let total = input.metadata().map(|m| m.len()).unwrap_or(0);
    let mut source = open_payloads(BufReader::new(input), format, Some(&contract))
        .with_context(|| format!("{} is not valid CSV", args.payloads.display()))?;
    let target = match &args.out {
        Some(p) => p.display().to_string(),
        None => "standard output".to_owned(),
    };
    // A file is written atomically: until the batch has run to its end, the earlier file (if
    // any) stays as it was, and a failure leaves it so.
    let mut output = BufWriter::new(match &args.out {
        Some(p) => Output::File(Box::new(crate::io::AtomicFile::create(p)?)),
        None => Output::Stdout(std::io::stdout().lock()),
    });
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {elapsed} (eta {eta})",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let on_terminal = args.out.is_none() && std::io::stdout().is_terminal();
    let runner = BatchRunner::new(prepared, workflow, signal);
    let result = runner.run_source(
        &mut *source,
        &mut |o| {
            // On a terminal, control characters of the payloads are shown escaped.
            let line = if on_terminal {
                super::terminal_text(&o.json)
            } else {
                std::borrow::Cow::Borrowed(o.json.as_str())
            };
            output.write_all(line.as_bytes())?;
            output.write_all(b"\n")
        },
        &BatchControl::new(),
        &mut |read| {
            if let Some(b) = &bar {
                b.set_position(read);
            }
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let summary = match result {
        Ok(s) => s,
        Err(BatchError::Input(e)) => {
            return Err(e).with_context(|| format!("cannot read {}", args.payloads.display()));
        }
        Err(e @ BatchError::Output(_)) => {
            return Err(e).with_context(|| format!("writing to {target}"));
        }
    };
    output
        .flush()
        .with_context(|| format!("cannot write the results to {target}"))?;
    let output = output
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write the results to {target}"))?;
    if let Output::File(file) = output {
        file.commit()?;
    }
    err!("{}", summary.text());
    Ok(if summary.as_expected() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_REJECTED)
    })
}

/// Where the result lines go.
enum Output<'a> {
    /// A file, written atomically.
    File(Box<crate::io::AtomicFile>),
    /// Standard output.
    Stdout(std::io::StdoutLock<'a>),
}

impl Write for Output<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::File(f) => f.write(buf),
            Output::Stdout(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::File(f) => f.flush(),
            Output::Stdout(s) => s.flush(),
        }
    }
}
