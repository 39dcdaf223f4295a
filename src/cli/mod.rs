//! The command line (README.md, "Command line"): argument parsing with clap, one file per
//! subcommand, exit codes 0 (success), 1 (the design or payload was rejected, a scenario
//! failed, a contract change breaks callers), 2 (usage or I/O).

mod batch;
mod check;
mod common;
mod diff;
mod eval;
mod export;
mod fmt;
mod payloads;
mod run;
mod serve;
mod test;

pub use common::{
    EXIT_REJECTED, EXIT_USAGE, load_checked, load_design, refuse_output_over_input,
    report_design_errors, split_signal, terminal_text,
};
pub(crate) use common::{errln, write_err, write_out, write_out_str};

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// flowcall: design, check, simulate and export workflows that outside systems call with typed
/// parameters.
#[derive(Debug, Parser)]
#[command(name = "flowcall", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; without one, the designer opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A design (`*.flow.ron`) to open in the designer.
    pub file: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report every design-time problem of a design.
    Check(check::CheckArgs),
    /// Rewrite designs in canonical form.
    Fmt(fmt::FmtArgs),
    /// Trigger one signal with a payload and run to the end.
    Run(run::RunArgs),
    /// Trigger one signal with every payload of a JSONL or CSV file.
    Batch(batch::BatchArgs),
    /// Run the saved scenarios of designs.
    Test(test::TestArgs),
    /// Generate payloads from a signal's contract and the design's sample data, for `batch`.
    Payloads(payloads::PayloadsArgs),
    /// Evaluate one expression and print its value and type.
    Eval(eval::EvalArgs),
    /// Compare two versions of a design: what the new one breaks for its callers.
    Diff(diff::DiffArgs),
    /// Export the design for servers: JSON, JSON Schema, OpenAPI, BPMN or curl.
    Export(export::ExportArgs),
    /// Serve the trigger endpoints over HTTP, with a bearer token, until Ctrl+C.
    Serve(serve::ServeArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            errln!("error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Check(args)) => check::check(&args),
        Some(Command::Fmt(args)) => fmt::fmt(&args),
        Some(Command::Run(args)) => run::run(&args),
        Some(Command::Batch(args)) => batch::batch(&args),
        Some(Command::Test(args)) => test::test(&args),
        Some(Command::Payloads(args)) => payloads::payloads(&args),
        Some(Command::Eval(args)) => eval::eval(&args),
        Some(Command::Diff(args)) => diff::diff(&args),
        Some(Command::Export(args)) => export::export(&args),
        Some(Command::Serve(args)) => serve::serve(&args),
        None => open_designer(cli.file.as_deref()),
    }
}

/// Without a subcommand: the designer on `file` (or on the bundled example).
#[cfg(feature = "gui")]
fn open_designer(file: Option<&Path>) -> anyhow::Result<ExitCode> {
    crate::ui::run(file.map(Path::to_path_buf))?;
    Ok(ExitCode::SUCCESS)
}

/// Without a subcommand, in a build without the designer: print help.
#[cfg(not(feature = "gui"))]
fn open_designer(file: Option<&Path>) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    use clap::CommandFactory as _;
    use common::outln;
    if let Some(file) = file {
        anyhow::bail!(
            "cannot open {} in the designer: this build has no designer (the `gui` feature); use a subcommand such as `flowcall check {}`",
            file.display(),
            file.display()
        );
    }
    Cli::command().print_help().context("cannot print help")?;
    outln!()?;
    Ok(ExitCode::SUCCESS)
}
