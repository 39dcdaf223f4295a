//! The command line (README.md, "Command line"): argument parsing with clap, one file per
//! subcommand, exit codes 0 (success), 1 (the design or payload was rejected, a scenario
//! failed, a contract change breaks callers), 2 (usage or I/O).

mod batch;
mod check;
mod diff;
mod eval;
mod export;
mod fmt;
mod payloads;
mod run;
mod serve;
mod test;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code: the design or payload was rejected, or a scenario failed.
pub const EXIT_REJECTED: u8 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

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

/// `println!` for the subcommands: standard output that is closed (`| head`) or fails is an
/// I/O error, reported once with exit code 2, never a panic. Evaluates to `anyhow::Result<()>`.
macro_rules! outln {
    () => {
        $crate::cli::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the subcommands, as [`outln!`] without the line end.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*))
    };
}

/// `eprintln!` for the subcommands: a closed or failing standard error is ignored, never a panic
/// (there is nowhere left to say it).
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` for the subcommands, as [`errln!`] without the line end.
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::cli::write_err(format_args!($($arg)*))
    };
}

pub(crate) use {err, errln, out, outln};

/// Writes to standard error, ignoring a closed or failing one. Control characters are shown
/// escaped ([`terminal_text`]).
pub(crate) fn write_err(args: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let text = args.to_string();
    let _ = std::io::stderr()
        .lock()
        .write_all(terminal_text(&text).as_bytes());
}

/// Writes to standard output; a closed or failing one is an error that names it. Control
/// characters are shown escaped ([`terminal_text`]).
pub(crate) fn write_out(args: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    let text = args.to_string();
    write_out_str(&text)
}

/// [`write_out`] of text already formatted.
pub(crate) fn write_out_str(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    std::io::stdout()
        .lock()
        .write_all(terminal_text(text).as_bytes())
        .context("cannot write to standard output")
}

/// Text from a design or a payload as it may reach a terminal: every control character but
/// the line end and the tab (an escape sequence, a bell, a carriage return that overwrites the
/// line, the C1 controls some terminals obey) is shown as a `\u001b`-style escape. The escape
/// is JSON's, so JSON output (where only DEL and the C1 controls can be left raw) stays valid
/// and means the same.
pub fn terminal_text(s: &str) -> std::borrow::Cow<'_, str> {
    let raw = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(raw) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Splits `--signal WORKFLOW/SIGNAL`. Ids hold no `/` (the loader refuses one), so every
/// signal of a design that loads can be named this way.
pub fn split_signal(s: &str) -> anyhow::Result<(&str, &str)> {
    match s.split_once('/') {
        Some((w, sig)) if !w.is_empty() && !sig.is_empty() && !sig.contains('/') => Ok((w, sig)),
        _ => anyhow::bail!(
            "--signal must be WORKFLOW/SIGNAL, e.g. WKF1/signal1 (got {s:?}); ids hold no '/'"
        ),
    }
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
    use clap::CommandFactory as _;
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

/// Loads a design file, with the path in the error.
pub fn load_design(path: &Path) -> anyhow::Result<crate::model::Design> {
    crate::io::load(path).with_context(|| format!("cannot load {}", path.display()))
}

/// Loads a design file and refuses it when it has errors, as `flowcall check` reports them:
/// `Err` of the exit code (1) once the problems are written on standard error. The commands
/// that run or export a design refuse what `check` refuses (a signal of 1,000 parameters, a
/// call with a wrong argument count...).
pub fn load_checked(path: &Path) -> anyhow::Result<Result<crate::model::Design, ExitCode>> {
    let design = load_design(path)?;
    let errors = crate::export::design_errors(&design);
    if errors.is_empty() {
        Ok(Ok(design))
    } else {
        Ok(Err(report_design_errors(path, &errors)))
    }
}

/// Refuses `--out` when it names the same file as one of `inputs` (the same device and inode:
/// another spelling, a hard or symbolic link): writing the output would destroy the input.
pub fn refuse_output_over_input(out: &Path, inputs: &[(&str, &Path)]) -> anyhow::Result<()> {
    for (what, input) in inputs {
        if crate::io::same_file(out, input) {
            anyhow::bail!(
                "--out {} is the same file as the {what} {}: writing it would destroy the {what}; write to another file",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// Writes a design's errors on standard error as `check` writes them, and gives exit code 1.
pub fn report_design_errors(path: &Path, errors: &[crate::check::Diagnostic]) -> ExitCode {
    for d in errors {
        errln!("{d}");
    }
    errln!(
        "{}: {} error{}; nothing was done (`flowcall check {}` lists the problems with their fields)",
        path.display(),
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        path.display()
    );
    ExitCode::from(EXIT_REJECTED)
}
