//! `flowcall test FILE... [--coverage] [--json] [--min-coverage P]`: runs every saved scenario
//! of each design, one line per scenario (`PASS name` or `FAIL name: what differed`), then
//! `N passed, M failed`; with `--coverage`, what the scenarios reach of each design (and what
//! they do not), and `--min-coverage` fails a design that they cover less.

use super::{EXIT_REJECTED, load_checked};
use super::{out, outln};
use crate::sim::coverage::{Coverage, coverage};
use crate::sim::{Prepared, ScenarioResult, run_scenario};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// The design files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Report what the scenarios reach: activities, transitions, parameters, allowed values.
    #[arg(long)]
    pub coverage: bool,
    /// Print one JSON document (the scenarios of each file, and the coverage with --coverage).
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when the scenarios of a design cover less than this percentage of its activities
    /// and transitions (implies --coverage).
    #[arg(long, value_name = "PERCENT", value_parser = percentage)]
    pub min_coverage: Option<f64>,
}

fn percentage(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("'{text}' is not a percentage from 0 to 100")),
    }
}

/// One design's results.
struct FileResult {
    file: PathBuf,
    scenarios: Vec<ScenarioResult>,
    coverage: Option<Coverage>,
}

/// Runs `test`: exit 0 when every scenario passed (and the coverage is at least
/// `--min-coverage`), 1 otherwise (a design with errors is refused, its problems listed), 2
/// when a file cannot be read.
pub fn test(args: &TestArgs) -> anyhow::Result<ExitCode> {
    let with_coverage = args.coverage || args.min_coverage.is_some();
    let mut files = Vec::new();
    let mut refused = false;
    for file in &args.files {
        // A design with errors is refused as `check` reports them; the other files still run.
        let design = match load_checked(file)? {
            Ok(design) => design,
            Err(_) => {
                refused = true;
                continue;
            }
        };
        let prepared = Arc::new(Prepared::new(design));
        let scenarios: Vec<ScenarioResult> = prepared
            .design
            .scenarios
            .iter()
            .map(|s| run_scenario(&prepared, s))
            .collect();
        let coverage = with_coverage.then(|| coverage(&prepared.design, &scenarios));
        files.push(FileResult {
            file: file.clone(),
            scenarios,
            coverage,
        });
    }
    let failed: usize = files
        .iter()
        .map(|f| f.scenarios.iter().filter(|s| !s.passed()).count())
        .sum();
    let passed = files.iter().map(|f| f.scenarios.len()).sum::<usize>() - failed;
    let below: Vec<String> = match args.min_coverage {
        Some(min) => files
            .iter()
            .filter_map(|f| {
                let p = f.coverage.as_ref()?.percent();
                (p < min).then(|| {
                    format!(
                        "{}: the scenarios cover {p:.1}%, below the minimum of {min}%",
                        f.file.display()
                    )
                })
            })
            .collect(),
        None => Vec::new(),
    };
    if args.json {
        print_json(&files, passed, failed, &below)?;
    } else {
        print_text(&files, passed, failed, &below)?;
    }
    Ok(if failed == 0 && below.is_empty() && !refused {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REJECTED)
    })
}

fn print_text(
    files: &[FileResult],
    passed: usize,
    failed: usize,
    below: &[String],
) -> anyhow::Result<()> {
    let many = files.len() > 1;
    for f in files {
        for result in &f.scenarios {
            let name = if many {
                format!("{}: {}", f.file.display(), result.name)
            } else {
                result.name.clone()
            };
            if result.passed() {
                outln!("PASS {name}")?;
            } else {
                outln!("FAIL {name}: {}", result.differences.join("; "))?;
            }
        }
    }
    for f in files {
        if let Some(c) = &f.coverage {
            if many {
                outln!("{}:", f.file.display())?;
            }
            out!("{}", c.text())?;
        }
    }
    for b in below {
        outln!("{b}")?;
    }
    outln!("{passed} passed, {failed} failed")
}

fn print_json(
    files: &[FileResult],
    passed: usize,
    failed: usize,
    below: &[String],
) -> anyhow::Result<()> {
    let doc = json!({
        "files": files.iter().map(|f| {
            let mut j = json!({
                "file": f.file.display().to_string(),
                "scenarios": f.scenarios.iter().map(|s| json!({
                    "name": s.name,
                    "passed": s.passed(),
                    "differences": s.differences,
                })).collect::<Vec<_>>(),
            });
            if let (Some(c), Some(m)) = (&f.coverage, j.as_object_mut()) {
                m.insert("coverage".into(), c.json());
            }
            j
        }).collect::<Vec<_>>(),
        "passed": passed,
        "failed": failed,
        "below_minimum": below,
    });
    outln!("{doc:#}")
}
