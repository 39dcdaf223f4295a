//! `flowcall test FILE...`: runs every saved scenario of each design, one line per scenario
//! (`PASS name` or `FAIL name: what differed`), then `N passed, M failed`.

use super::{EXIT_REJECTED, load_design};
use crate::sim::{Prepared, run_scenario};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// The design files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs `test`: exit 0 when every scenario passed, 1 otherwise, 2 when a file cannot be read.
pub fn test(args: &TestArgs) -> anyhow::Result<ExitCode> {
    let (mut passed, mut failed) = (0usize, 0usize);
    let many = args.files.len() > 1;
    for file in &args.files {
        let design = load_design(file)?;
        let prepared = Arc::new(Prepared::new(design));
        for scenario in &prepared.design.scenarios {
            let result = run_scenario(&prepared, scenario);
            let name = if many {
                format!("{}: {}", file.display(), result.name)
            } else {
                result.name.clone()
            };
            if result.passed() {
                passed += 1;
                println!("PASS {name}");
            } else {
                failed += 1;
                println!("FAIL {name}: {}", result.differences.join("; "));
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REJECTED)
    })
}
