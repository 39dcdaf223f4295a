//! Batches: one payload per line of a payload file (JSONL or CSV, see [`super::payloads`]),
//! each in a fresh simulator session (every workflow started), results written one line per
//! payload in input order. Lines are processed in chunks on all cores (rayon) so memory stays
//! bounded whatever the input size; the design is prepared once and shared by every thread,
//! and each thread reuses one simulator, reset before each payload. A [`BatchControl`]
//! shared with another thread counts the lines done and cancels the rest.

use super::engine::{Simulator, TriggerOutcome};
use super::generate::Expect;
use super::payloads::{JsonlPayloads, PayloadError, PayloadSource};
use super::prepared::Prepared;
use super::run::{Run, RunStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering as AtomicOrdering};

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
    /// The problems of a rejected payload: (kind, message), in report order.
    pub errors: Vec<(&'static str, String)>,
    /// The Ends reached, as `WORKFLOW/activity`.
    pub ends: Vec<String>,
    /// What the line expected (lines `flowcall payloads` generated say).
    pub expected: Option<Expect>,
    /// How the outcome differs from what the line expected.
    pub mismatch: Option<String>,
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
    /// For each kind of rejection, its first occurrence: (line, message).
    pub first_rejection: BTreeMap<&'static str, (usize, String)>,
    /// The batch was cancelled before every line ran: the totals count the lines that ran.
    pub cancelled: bool,
    /// Lines that said what they expected, by expectation (`accepted` or the rule broken).
    pub expected: BTreeMap<&'static str, usize>,
    /// Lines whose outcome differed from what they expected, by expectation.
    pub mismatches: BTreeMap<&'static str, usize>,
    /// The first mismatch: (line, what differed).
    pub first_mismatch: Option<(usize, String)>,
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
        for (kind, message) in &o.errors {
            self.first_rejection
                .entry(kind)
                .or_insert_with(|| (o.line, message.clone()));
        }
        for e in &o.ends {
            match self.ends.get_mut(e) {
                Some(n) => *n += 1,
                None => {
                    self.ends.insert(e.clone(), 1);
                }
            }
        }
        if let Some(x) = &o.expected {
            *self.expected.entry(x.name()).or_default() += 1;
            if let Some(m) = &o.mismatch {
                *self.mismatches.entry(x.name()).or_default() += 1;
                self.first_mismatch
                    .get_or_insert_with(|| (o.line, m.clone()));
            }
        }
    }

    /// Lines that said what they expected.
    pub fn expected_lines(&self) -> usize {
        self.expected.values().sum()
    }

    /// Lines whose outcome differed from what they expected.
    pub fn mismatch_count(&self) -> usize {
        self.mismatches.values().sum()
    }

    /// Whether the batch went as it should: when every line said what it expected, none
    /// differed; otherwise every payload was accepted and its runs finished.
    pub fn as_expected(&self) -> bool {
        if self.lines > 0 && self.expected_lines() == self.lines {
            self.mismatch_count() == 0
        } else {
            self.rejected == 0 && self.failed == 0
        }
    }

    /// The summary as readable lines.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{}{} payloads: {} accepted ({} with a failed run), {} rejected\n",
            if self.cancelled {
                "cancelled after "
            } else {
                ""
            },
            self.lines,
            self.accepted,
            self.failed,
            self.rejected
        );
        for (r, n) in &self.rejected_by_reason {
            s.push_str(&format!("  rejected, {r}: {n}\n"));
        }
        for (e, n) in &self.ends {
            s.push_str(&format!("  end {e}: {n}\n"));
        }
        if !self.expected.is_empty() {
            s.push_str(&format!(
                "  expected outcomes: {} lines said what they expect, {} did not get it\n",
                self.expected_lines(),
                self.mismatch_count()
            ));
            for (x, n) in &self.expected {
                let m = self.mismatches.get(x).copied().unwrap_or(0);
                s.push_str(&format!("    {x}: {n} ({m} mismatched)\n"));
            }
            if let Some((line, m)) = &self.first_mismatch {
                s.push_str(&format!("  first mismatch, line {line}: {m}\n"));
            }
        }
        s
    }
}

/// Progress and cancellation of a running batch, shared with whoever watches it.
#[derive(Debug, Default)]
pub struct BatchControl {
    done: AtomicUsize,
    cancel: AtomicBool,
}

impl BatchControl {
    /// A control with nothing done and no cancel request.
    pub fn new() -> Self {
        BatchControl::default()
    }

    /// Asks the batch to stop: lines not yet started are skipped.
    pub fn cancel(&self) {
        self.cancel.store(true, AtomicOrdering::Relaxed);
    }

    /// Whether a cancel was asked.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(AtomicOrdering::Relaxed)
    }

    /// The payload lines run so far.
    pub fn done(&self) -> usize {
        self.done.load(AtomicOrdering::Relaxed)
    }
}

/// Why a batch stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The payload file could not be read.
    #[error(transparent)]
    Input(#[from] PayloadError),
    /// A result could not be written.
    #[error("cannot write the results: {0}")]
    Output(io::Error),
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

    /// Runs one payload in a fresh simulator and gives its result line:
    /// `{"line", "accepted", "errors": [{parameter, message}], "runs": [{id, workflow, signal,
    /// status, ends, outbox, errors}]}`.
    pub fn run_line(&self, line: usize, payload: &[u8]) -> LineOutcome {
        self.run_line_in(&mut self.simulator(), line, payload, None)
    }

    /// A simulator for this runner's payloads: it keeps no detail, and each payload gets a
    /// fresh session of it (see [`Simulator::reset`]).
    fn simulator(&self) -> Simulator {
        Simulator::new(self.prepared.clone()).with_trace(false)
    }

    /// Runs one payload in a fresh session of `sim`.
    fn run_line_in(
        &self,
        sim: &mut Simulator,
        line: usize,
        payload: &[u8],
        expected: Option<Expect>,
    ) -> LineOutcome {
        sim.reset();
        sim.start_all();
        let outcome = sim.trigger_bytes(&self.workflow, &self.signal, payload);
        sim.run_to_end();
        let errors = outcome.errors();
        let kinds: Vec<_> = errors.iter().map(|e| e.kind).collect();
        // Where runs failed, as `WORKFLOW/activity`: only a payload expecting a failed run
        // asks (the others pay nothing for it).
        let failed_at: Vec<String> = match &expected {
            Some(Expect::FailsAt(_)) => sim
                .runs()
                .iter()
                .flat_map(|r| {
                    r.errors
                        .iter()
                        .map(move |e| format!("{}/{}", r.workflow, e.activity))
                })
                .collect(),
            _ => Vec::new(),
        };
        let mismatch = expected
            .as_ref()
            .and_then(|x| x.mismatch(outcome.accepted(), &kinds, &failed_at));
        let mut out = String::with_capacity(256);
        out.push_str("{\"line\":");
        write_num(&mut out, line as u64);
        write_trigger(&mut out, &outcome);
        let ends = write_runs(&mut out, sim.runs());
        if let Some(x) = &expected {
            out.push_str(",\"expected\":");
            write_str(&mut out, &x.label());
            out.push_str(",\"mismatch\":");
            match &mismatch {
                Some(m) => write_str(&mut out, m),
                None => out.push_str("null"),
            }
        }
        out.push('}');
        LineOutcome {
            line,
            json: out,
            accepted: outcome.accepted(),
            finished: !matches!(outcome, TriggerOutcome::Queued)
                && sim.runs().iter().all(|r| r.status == RunStatus::Finished),
            reasons: errors.iter().map(|e| e.kind.name()).collect(),
            errors: errors
                .iter()
                .map(|e| (e.kind.name(), e.message.clone()))
                .collect(),
            ends,
            expected,
            mismatch,
        }
    }

    /// Streams a JSONL input to a JSONL output, in order, chunk by chunk on all cores; calls
    /// `progress` with the bytes read so far after each chunk.
    pub fn run<R: BufRead, W: Write>(
        &self,
        input: R,
        mut output: W,
        progress: &mut dyn FnMut(u64),
    ) -> io::Result<BatchSummary> {
        let mut source = JsonlPayloads::new(input);
        let summary = self.run_source(
            &mut source,
            &mut |o| {
                output.write_all(o.json.as_bytes())?;
                output.write_all(b"\n")
            },
            &BatchControl::new(),
            progress,
        );
        output.flush()?;
        summary.map_err(|e| match e {
            BatchError::Input(PayloadError::Io(e)) | BatchError::Output(e) => e,
            other => io::Error::other(other),
        })
    }

    /// Runs every payload of `source`, chunk by chunk on all cores, giving each result to
    /// `sink` in input order; counts the lines done on `control` and stops when it is
    /// cancelled (the summary then says so and counts the lines that ran); calls `progress`
    /// with the bytes read so far after each chunk.
    pub fn run_source(
        &self,
        source: &mut dyn PayloadSource,
        sink: &mut dyn FnMut(&LineOutcome) -> io::Result<()>,
        control: &BatchControl,
        progress: &mut dyn FnMut(u64),
    ) -> Result<BatchSummary, BatchError> {
        use rayon::prelude::*;
        let mut summary = BatchSummary::default();
        let mut chunk = Vec::with_capacity(CHUNK_LINES);
        loop {
            if control.is_cancelled() {
                summary.cancelled = true;
                break;
            }
            chunk.clear();
            let mut eof = false;
            while chunk.len() < CHUNK_LINES {
                match source.next_payload()? {
                    Some(p) => chunk.push(p),
                    None => {
                        eof = true;
                        break;
                    }
                }
            }
            let results: Vec<Option<LineOutcome>> = chunk
                .par_iter()
                .map_init(
                    || self.simulator(),
                    |sim, p| {
                        if control.is_cancelled() {
                            return None;
                        }
                        let outcome = self.run_line_in(sim, p.line, &p.bytes, p.expect.clone());
                        control.done.fetch_add(1, AtomicOrdering::Relaxed);
                        Some(outcome)
                    },
                )
                .collect();
            for r in &results {
                match r {
                    Some(r) => {
                        sink(r).map_err(BatchError::Output)?;
                        summary.add(r);
                    }
                    None => summary.cancelled = true,
                }
            }
            progress(source.bytes_read());
            if eof || summary.cancelled {
                break;
            }
        }
        Ok(summary)
    }
}

/// Appends `,"accepted": ..., "errors": [{parameter, message}...]` of a trigger's outcome.
fn write_trigger(out: &mut String, outcome: &TriggerOutcome) {
    out.push_str(if outcome.accepted() {
        ",\"accepted\":true,\"errors\":["
    } else {
        ",\"accepted\":false,\"errors\":["
    });
    for (i, e) in outcome.errors().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"parameter\":");
        match &e.parameter {
            Some(p) => write_str(out, p),
            None => out.push_str("null"),
        }
        out.push_str(",\"message\":");
        write_str(out, &e.message);
        out.push('}');
    }
    out.push(']');
}

/// Appends `,"runs": [{id, workflow, signal, status, ends, outbox, errors}...]`; the Ends the
/// runs reached, as `WORKFLOW/activity`.
fn write_runs(out: &mut String, runs: &[Run]) -> Vec<String> {
    let mut ends = Vec::new();
    out.push_str(",\"runs\":[");
    for (i, r) in runs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        write_num(out, r.id);
        out.push_str(",\"workflow\":");
        write_str(out, &r.workflow);
        out.push_str(",\"signal\":");
        write_str(out, &r.signal);
        out.push_str(",\"status\":");
        write_str(out, r.status.name());
        out.push_str(",\"ends\":[");
        for (j, e) in r.ends.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            write_str(out, &e.activity);
            let mut end = String::with_capacity(r.workflow.len() + 1 + e.activity.len());
            end.push_str(&r.workflow);
            end.push('/');
            end.push_str(&e.activity);
            ends.push(end);
        }
        out.push_str("],\"outbox\":");
        write_num(out, r.sent as u64);
        out.push_str(",\"errors\":[");
        for (j, e) in r.errors.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            write_str(out, &e.message);
        }
        out.push_str("]}");
    }
    out.push(']');
    ends
}

/// Appends a JSON string literal (quoted and escaped as serde_json escapes it).
fn write_str(out: &mut String, s: &str) {
    // serde_json escapes only `"`, `\\` and the control characters below U+0020: text without
    // them is written as it is.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// Appends a number in decimal.
fn write_num(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in digits.get(i..).unwrap_or_default() {
        out.push(char::from(*d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The result lines' texts are written as serde_json writes them.
    fn as_serde_json(s: &str) -> String {
        let mut out = String::new();
        write_str(&mut out, s);
        out
    }

    #[test]
    fn texts_are_escaped_as_serde_json_escapes_them() {
        for s in [
            "",
            "plain",
            "say \"hi\"",
            "back\\slash",
            "line\nend\r\t",
            "\u{0}\u{1f}\u{7f}",
            "é ü 日本 🎉",
            "</script>",
        ] {
            assert_eq!(
                Some(as_serde_json(s)),
                serde_json::to_string(s).ok(),
                "{s:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_is_escaped_as_serde_json_escapes_it(s in any::<String>()) {
            prop_assert_eq!(Some(as_serde_json(&s)), serde_json::to_string(&s).ok());
        }

        #[test]
        fn numbers_are_written_in_decimal(n in any::<u64>()) {
            let mut out = String::new();
            write_num(&mut out, n);
            prop_assert_eq!(out, n.to_string());
        }
    }
}
