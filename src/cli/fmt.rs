//! `flowcall fmt FILE... [--check] [--drop-comments]`: rewrite designs in canonical form (load,
//! then save atomically, keeping each file's permissions and owner). Every file is formatted that
//! can be; the others are reported and the exit code is 1. A file whose own permissions forbid
//! writing it is left alone, and so is one with comments, which the canonical form cannot keep,
//! unless `--drop-comments` says to drop them (they are listed either way).

use super::{EXIT_REJECTED, errln, outln};
use crate::io::{comments, describe_lines};
use anyhow::Context as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// The design files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Change nothing; exit 1 if a file is not in canonical form.
    #[arg(long)]
    pub check: bool,
    /// Rewrite files that hold comments too, dropping them (the canonical form has none).
    #[arg(long)]
    pub drop_comments: bool,
}

/// What became of one file.
enum Done {
    /// Already canonical.
    Canonical,
    /// Rewritten; the comments it dropped, described.
    Formatted(Option<String>),
    /// Not canonical, left as it is (`--check`); the comments it holds, described.
    NotCanonical(Option<String>),
}

/// Runs `fmt`: exit 0 when every file is (now) canonical, 1 when a file is not (`--check`) or
/// could not be formatted (each reported; the others are formatted all the same).
pub fn fmt(args: &FmtArgs) -> anyhow::Result<ExitCode> {
    let mut differs = false;
    let mut failed = Vec::new();
    for path in &args.files {
        match fmt_one(path, args) {
            Ok(Done::Canonical) => {}
            Ok(Done::Formatted(None)) => outln!("{}: formatted", path.display())?,
            Ok(Done::Formatted(Some(dropped))) => outln!(
                "{}: formatted; dropped its comments at {dropped}",
                path.display()
            )?,
            Ok(Done::NotCanonical(comments)) => {
                differs = true;
                let note = comments
                    .map(|c| format!("; its comments at {c} would be dropped"))
                    .unwrap_or_default();
                outln!(
                    "{}: not in canonical form (run `flowcall fmt {}`){note}",
                    path.display(),
                    path.display()
                )?;
            }
            Err(e) => {
                errln!("error: {e:#}");
                failed.push(path);
            }
        }
    }
    if !failed.is_empty() {
        errln!(
            "{} of {} file{} could not be formatted (above){}",
            failed.len(),
            args.files.len(),
            if args.files.len() == 1 { "" } else { "s" },
            if failed.len() < args.files.len() && !args.check {
                "; the others were"
            } else {
                ""
            }
        );
    }
    Ok(if differs || !failed.is_empty() {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Formats one file, or says why not (the file is then unchanged).
fn fmt_one(path: &Path, args: &FmtArgs) -> anyhow::Result<Done> {
    let design =
        crate::io::load(path).with_context(|| format!("cannot load {}", path.display()))?;
    let canonical = crate::io::to_string_for(path, &design)?;
    let current = crate::io::read_capped(
        path,
        crate::io::MAX_DESIGN_BYTES,
        "a design",
        "check that it is a flowcall design",
    )?;
    if current == canonical.as_bytes() {
        return Ok(Done::Canonical);
    }
    let found = if crate::io::is_json_path(path) {
        Vec::new()
    } else {
        comments(&String::from_utf8_lossy(&current))
    };
    let described = (!found.is_empty()).then(|| describe_lines(&found));
    if args.check {
        return Ok(Done::NotCanonical(described));
    }
    if let Some(lines) = &described
        && !args.drop_comments
    {
        anyhow::bail!(
            "{} holds comments ({lines}), which the canonical form cannot keep; it was not changed: move them into labels or descriptions, or run `flowcall fmt --drop-comments {}` to drop them",
            path.display(),
            path.display()
        );
    }
    crate::io::save(path, &design)?;
    Ok(Done::Formatted(described))
}
