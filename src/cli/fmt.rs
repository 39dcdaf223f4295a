//! `flowcall fmt FILE... [--check]`: rewrite designs in canonical form (load, then save).

use super::outln;
use super::{EXIT_REJECTED, load_design};
use anyhow::Context as _;
use std::path::PathBuf;
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
}

/// Runs `fmt`.
pub fn fmt(args: &FmtArgs) -> anyhow::Result<ExitCode> {
    let mut differs = false;
    for path in &args.files {
        let design = load_design(path)?;
        let canonical = crate::io::to_string_for(path, &design)?;
        let current = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if current == canonical {
            continue;
        }
        if args.check {
            differs = true;
            outln!(
                "{}: not in canonical form (run `flowcall fmt {}`)",
                path.display(),
                path.display()
            )?;
        } else {
            crate::io::save(path, &design)?;
            outln!("{}: formatted", path.display())?;
        }
    }
    Ok(if differs {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}
