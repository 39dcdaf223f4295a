//! Batches: one payload per JSONL line, each in its own fresh simulator (every workflow
//! started), results written one line per payload in input order. Lines are processed in
//! chunks on all cores (rayon) so memory stays bounded whatever the input size; the design is
//! prepared once and shared.

use super::engine::{Simulator, TriggerOutcome};
use super::prepared::Prepared;
use super::report::error_json;
use super::run::RunStatus;
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Write};
use std::sync::Arc;

/// Lines read and processed together.
pub const CHUNK_LINES: usize = 1024;

/// The result of one payload line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineOutcome {
    /// The 1-based input line number.
    pub line: usize,
    /// The result line (JSON, without the newline).
    pub json: String,
    /// Whether the trigger was accepted.
    pub accepted: bool,
    /// Whether every run finished without error.
    pub finished: bool,
    /// The kinds of problems of a rejected payload.
    pub reasons: BTreeSet<&'static str>,
    /// The Ends reached, as `WORKFLOW/activity`.
    pub ends: Vec<String>,
}

/// Totals of a batch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchSummary {
    /// Payload lines processed (blank lines are skipped).
    pub lines: usize,
    /// Payloads accepted.
    pub accepted: usize,
    /// Payloads rejected.
    pub rejected: usize,
    /// Accepted payloads with a run that failed.
    pub failed: usize,
    /// Rejected payloads by kind of problem (a payload counts once per kind).
    pub rejected_by_reason: BTreeMap<&'static str, usize>,
    /// How often each End was reached.
    pub ends: BTreeMap<String, usize>,
}

impl BatchSummary {
    fn add(&mut self, o: &LineOutcome) {
        self.lines += 1;
        if o.accepted {
            self.accepted += 1;
            if !o.finished {
                self.failed += 1;
            }
        } else {
            self.rejected += 1;
        }
        for r in &o.reasons {
            *self.rejected_by_reason.entry(r).or_default() += 1;
        }
        for e in &o.ends {
            *self.ends.entry(e.clone()).or_default() += 1;
        }
    }

    /// The summary as readable lines.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{} payloads: {} accepted ({} with a failed run), {} rejected\n",
            self.lines, self.accepted, self.failed, self.rejected
        );
        for (r, n) in &self.rejected_by_reason {
            s.push_str(&format!("  rejected, {r}: {n}\n"));
        }
        for (e, n) in &self.ends {
            s.push_str(&format!("  end {e}: {n}\n"));
        }
        s
    }
}

/// Runs payload lines against one signal of a prepared design.
#[derive(Debug, Clone)]
pub struct BatchRunner {
    prepared: Arc<Prepared>,
    workflow: String,
    signal: String,
}

impl BatchRunner {
    /// A runner for `workflow`'s `signal`.
    pub fn new(prepared: Arc<Prepared>, workflow: &str, signal: &str) -> Self {
        BatchRunner {
            prepared,
            workflow: workflow.to_owned(),
            signal: signal.to_owned(),
        }
    }

    /// Runs one payload in a fresh simulator and gives its result line.
    pub fn run_line(&self, line: usize, payload: &[u8]) -> LineOutcome {
        let mut sim = Simulator::new(self.prepared.clone());
        sim.start_all();
        let outcome = sim.trigger_bytes(&self.workflow, &self.signal, payload);
        sim.run_to_end();
        let mut ends = Vec::new();
        let runs: Vec<Json> = sim
            .runs()
            .iter()
            .map(|r| {
                let run_ends: Vec<&str> = r.ends.iter().map(|e| e.activity.as_str()).collect();
                ends.extend(run_ends.iter().map(|e| format!("{}/{e}", r.workflow)));
                json!({
                    "id": r.id,
                    "workflow": r.workflow,
                    "signal": r.signal,
                    "status": r.status.name(),
                    "ends": run_ends,
                    "outbox": sim.outbox().iter().filter(|o| o.run == r.id).count(),
                    "errors": r.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let errors = outcome.errors();
        let value = json!({
            "line": line,
            "accepted": outcome.accepted(),
            "errors": errors.iter().map(error_json).collect::<Vec<_>>(),
            "runs": runs,
        });
        LineOutcome {
            line,
            json: value.to_string(),
            accepted: outcome.accepted(),
            finished: !matches!(outcome, TriggerOutcome::Queued)
                && sim.runs().iter().all(|r| r.status == RunStatus::Finished),
            reasons: errors.iter().map(|e| e.kind.name()).collect(),
            ends,
        }
    }

    /// Streams a JSONL input to a JSONL output, in order, chunk by chunk on all cores; calls
    /// `progress` with the bytes read so far after each chunk.
    pub fn run<R: BufRead, W: Write>(
        &self,
        mut input: R,
        mut output: W,
        progress: &mut dyn FnMut(u64),
    ) -> io::Result<BatchSummary> {
        use rayon::prelude::*;
        let mut summary = BatchSummary::default();
        let mut line_no = 0usize;
        let mut read = 0u64;
        let mut chunk: Vec<(usize, Vec<u8>)> = Vec::with_capacity(CHUNK_LINES);
        loop {
            chunk.clear();
            let mut eof = false;
            while chunk.len() < CHUNK_LINES {
                let mut buf = Vec::new();
                let n = input.read_until(b'\n', &mut buf)?;
                if n == 0 {
                    eof = true;
                    break;
                }
                read += n as u64;
                line_no += 1;
                while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    buf.pop();
                }
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                chunk.push((line_no, buf));
            }
            let results: Vec<LineOutcome> = chunk
                .par_iter()
                .map(|(n, l)| self.run_line(*n, l))
                .collect();
            for r in &results {
                output.write_all(r.json.as_bytes())?;
                output.write_all(b"\n")?;
                summary.add(r);
            }
            progress(read);
            if eof {
                break;
            }
        }
        output.flush()?;
        Ok(summary)
    }
}
