//! The Batch tab: a file of payloads (JSONL or CSV) run through one External signal off the UI
//! thread, with progress, cancel and a summary (counts, rejection reasons, Ends reached, and a
//! bar plot of those counts).
//!
//! Drawing only reads this state and pushes [`Command`]s; the app applies them by calling the
//! methods here (`open_path`, `set_target`, `run`, `cancel`; the payload file dialog is the
//! app's, like every dialog), and [`BatchPanel::poll`] picks up what the background jobs
//! (counting the file, running the batch) finished at the start of each frame. A batch runs on
//! a [`Prepared`] built from a copy of the design taken when it starts, so editing the design
//! while it runs changes nothing for it.
//!
//! A panel: it imports only the shared modules of `ui`.

use super::background::{Job, Polled};
use super::command::{BatchCommand, Command};
use super::theme;
use super::widgets::error_line_ui;
use super::words::count_s;
use crate::model::Design;
use crate::sim::{
    BatchControl, BatchRunner, BatchSummary, PayloadFormat, Prepared, count_payloads, open_payloads,
};
use egui::{RichText, Ui};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the tab repaints while a batch runs.
const REPAINT: Duration = Duration::from_millis(100);

/// The payload file of the tab.
#[derive(Debug, Clone, PartialEq)]
pub struct PayloadFile {
    /// Where it is.
    pub path: PathBuf,
    /// How it is read.
    pub format: PayloadFormat,
    /// Its payloads, once counted.
    pub payloads: Option<usize>,
}

impl PayloadFile {
    /// The file name shown.
    pub fn name(&self) -> String {
        display_name(&self.path)
    }
}

/// A batch that finished or was cancelled.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchResult {
    /// The totals (partial when cancelled).
    pub summary: BatchSummary,
    /// The signal triggered, as (workflow, signal).
    pub target: (String, String),
    /// The file name.
    pub file: String,
    /// The payloads of the file when the batch started.
    pub total: usize,
    /// How long it ran.
    pub elapsed: Duration,
}

/// What the batch thread gives back.
type Outcome = Result<(BatchSummary, Duration), String>;

/// A running batch.
struct Running {
    job: Job<Outcome, BatchControl>,
    target: (String, String),
    file: String,
    total: usize,
}

/// How payloads are generated from the contract (the fields of the tab).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateSettings {
    /// How many.
    pub count: u64,
    /// The seed.
    pub seed: u64,
    /// The share that breaks one rule each.
    pub invalid: f64,
}

impl Default for GenerateSettings {
    fn default() -> Self {
        GenerateSettings {
            count: 1000,
            seed: 1,
            invalid: 0.3,
        }
    }
}

/// Generated payloads: the folder that holds their file (removed with it), and the job writing
/// them.
struct Generated {
    /// Kept so that the folder (and the file) live as long as they are used.
    _dir: tempfile::TempDir,
    job: Option<Job<Result<PathBuf, String>>>,
}

/// The state of the Batch tab.
#[derive(Default)]
pub struct BatchPanel {
    target: Option<(String, String)>,
    path_text: String,
    file: Option<PayloadFile>,
    counting: Option<Job<Result<usize, String>>>,
    job: Option<Running>,
    result: Option<BatchResult>,
    error: Option<String>,
    /// The fields of "Generate payloads".
    pub generate: GenerateSettings,
    generated: Option<Generated>,
}

/// The signal a batch triggers: the chosen one while it exists, else the first signal of the
/// design.
fn resolve_target(design: &Design, chosen: Option<&(String, String)>) -> Option<(String, String)> {
    if let Some((w, s)) = chosen
        && design.signal(w, s).is_some()
    {
        return Some((w.clone(), s.clone()));
    }
    design.workflows.iter().find_map(|w| {
        w.signals()
            .next()
            .map(|(a, _)| (w.id.clone(), a.id.clone()))
    })
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl BatchPanel {
    /// The payload file, if one was opened.
    pub fn file(&self) -> Option<&PayloadFile> {
        self.file.as_ref()
    }

    /// The last finished (or cancelled) batch.
    pub fn result(&self) -> Option<&BatchResult> {
        self.result.as_ref()
    }

    /// The error shown in the tab, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether a batch is running.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// Whether the payload file is still being counted.
    pub fn is_counting(&self) -> bool {
        self.counting.is_some()
    }

    /// Uses `path` as the payload file: its payloads are counted on a worker thread (a malformed
    /// CSV file is reported then, with its line).
    pub fn open_path(&mut self, path: PathBuf, ctx: Option<&egui::Context>) {
        let format = PayloadFormat::from_path(&path);
        self.path_text = path.display().to_string();
        self.error = None;
        self.file = Some(PayloadFile {
            path: path.clone(),
            format,
            payloads: None,
        });
        let counted = Job::start("flowcall-batch-count", ctx, move |_| {
            std::fs::File::open(&path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))
                .and_then(|f| {
                    count_payloads(BufReader::new(f), format)
                        .map_err(|e| format!("{}: {e}", path.display()))
                })
        });
        match counted {
            Ok(job) => self.counting = Some(job),
            Err(e) => self.error = Some(format!("cannot count the payloads: {e}")),
        }
    }

    /// Whether payloads are being generated.
    pub fn is_generating(&self) -> bool {
        self.generated.as_ref().is_some_and(|g| g.job.is_some())
    }

    /// Generates payloads from the contract of the batch's signal, its parameters that name
    /// sample data drawing from the data that exists, into a file of its own (off the UI
    /// thread), which then becomes the payload file.
    pub fn generate(
        &mut self,
        design: &Design,
        settings: GenerateSettings,
        ctx: Option<&egui::Context>,
    ) {
        if self.job.is_some() || self.is_generating() {
            return;
        }
        let Some((workflow, signal)) = resolve_target(design, self.target.as_ref()) else {
            self.error = Some(
                "The design has no External signal: add one to a workflow to generate payloads."
                    .into(),
            );
            return;
        };
        let Some(contract) = design.signal(&workflow, &signal).cloned() else {
            return;
        };
        let data = crate::sim::data_refs::data_refs(design, &workflow, &signal);
        let dir = match tempfile::Builder::new()
            .prefix("flowcall-payloads-")
            .tempdir()
        {
            Ok(d) => d,
            Err(e) => {
                self.error = Some(format!("cannot make a folder for the payloads: {e}"));
                return;
            }
        };
        let path = dir.path().join(format!(
            "{workflow}-{signal}-{}-seed{}.jsonl",
            settings.count, settings.seed
        ));
        self.error = None;
        let job = Job::start("flowcall-payloads", ctx, move |_| {
            write_generated(&contract, data, settings, &path).map(|()| path)
        });
        match job {
            Ok(job) => {
                self.generated = Some(Generated {
                    _dir: dir,
                    job: Some(job),
                })
            }
            Err(e) => self.error = Some(format!("cannot generate payloads: {e}")),
        }
    }

    /// Chooses the signal the batch triggers.
    pub fn set_target(&mut self, workflow: String, signal: String) {
        self.target = Some((workflow, signal));
    }

    /// Starts the batch on a worker thread, on a copy of `design` taken now.
    pub fn run(&mut self, design: &Design, ctx: Option<&egui::Context>) {
        if self.job.is_some() {
            return;
        }
        let Some(file) = self.file.clone() else {
            self.error = Some("Open a payload file (JSONL or CSV) first.".into());
            return;
        };
        let Some(total) = file.payloads else {
            self.error = Some(format!(
                "{} is still being read; run the batch when its payloads are counted.",
                file.name()
            ));
            return;
        };
        let Some((workflow, signal)) = resolve_target(design, self.target.as_ref()) else {
            self.error = Some(
                "The design has no External signal: add one to a workflow to run a batch.".into(),
            );
            return;
        };
        self.error = None;
        let name = file.name();
        let design = design.clone();
        let repaint = ctx.cloned();
        let (w, s) = (workflow.clone(), signal.clone());
        let started = Job::with_stop(
            "flowcall-batch",
            Arc::new(BatchControl::new()),
            ctx,
            move |control| run_batch(design, &w, &s, &file, control, repaint.as_ref()),
        );
        match started {
            Ok(job) => {
                self.job = Some(Running {
                    job,
                    target: (workflow, signal),
                    file: name,
                    total,
                });
            }
            Err(e) => self.error = Some(format!("cannot start the batch: {e}")),
        }
    }

    /// Asks the running batch to stop; payloads not yet run are skipped.
    pub fn cancel(&mut self) {
        if let Some(r) = &self.job {
            r.job.stop();
        }
    }

    /// Picks up what the background jobs finished (counting, batch); call it once per frame,
    /// outside drawing. Keeps repainting while a batch runs.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.poll_generated(ctx);
        if let Some(job) = &self.counting {
            match job.poll() {
                Polled::Running => {}
                Polled::Done(counted) => {
                    self.counting = None;
                    match counted {
                        Ok(n) => {
                            if let Some(f) = &mut self.file {
                                f.payloads = Some(n);
                            }
                        }
                        Err(e) => {
                            self.file = None;
                            self.error = Some(e);
                        }
                    }
                }
                Polled::Lost => {
                    self.counting = None;
                    self.file = None;
                    self.error = Some("reading the payload file stopped unexpectedly".into());
                }
            }
        }
        let Some(r) = &self.job else {
            return;
        };
        let outcome = match r.job.poll() {
            Polled::Running => {
                ctx.request_repaint_after(REPAINT);
                return;
            }
            Polled::Done(outcome) => Some(outcome),
            Polled::Lost => None,
        };
        let Some(r) = self.job.take() else {
            return;
        };
        match outcome {
            Some(Ok((summary, elapsed))) => {
                self.result = Some(BatchResult {
                    summary,
                    target: r.target,
                    file: r.file,
                    total: r.total,
                    elapsed,
                });
            }
            Some(Err(e)) => self.error = Some(e),
            None => self.error = Some("the batch stopped unexpectedly".into()),
        }
    }

    /// Uses the generated payloads once they are written.
    fn poll_generated(&mut self, ctx: &egui::Context) {
        let Some(g) = &mut self.generated else { return };
        let Some(job) = &g.job else { return };
        match job.poll() {
            Polled::Running => {}
            Polled::Done(Ok(path)) => {
                g.job = None;
                self.open_path(path, Some(ctx));
            }
            Polled::Done(Err(e)) => {
                self.generated = None;
                self.error = Some(e);
            }
            Polled::Lost => {
                self.generated = None;
                self.error = Some("generating the payloads stopped unexpectedly".into());
            }
        }
    }

    /// Draws the tab; the Open button waits while `dialog_open`.
    pub fn ui(&mut self, ui: &mut Ui, design: &Design, dialog_open: bool, out: &mut Vec<Command>) {
        let target = resolve_target(design, self.target.as_ref());
        ui.horizontal_wrapped(|ui| {
            self.target_ui(ui, design, target.as_ref(), out);
            ui.separator();
            self.file_picker_ui(ui, dialog_open, out);
        });
        ui.horizontal_wrapped(|ui| self.generate_ui(ui, out));
        // Run batch first: what follows it (the file's name and count, progress) changes width
        // as payloads are generated or counted, and no button may move when it does.
        ui.horizontal(|ui| {
            let run = Command::Batch(BatchCommand::Run);
            let ready = self.job.is_none()
                && target.is_some()
                && self.file.as_ref().is_some_and(|f| f.payloads.is_some());
            if ui
                .add_enabled(ready, egui::Button::new(run.label()))
                .on_hover_text(run.tooltip())
                .clicked()
            {
                out.push(run);
            }
            self.file_ui(ui);
            if let Some(r) = &self.job {
                progress_ui(ui, r, out);
            }
        });
        if let Some(e) = &self.error {
            error_line_ui(ui, format!("⛔ {e}"));
        }
        if let Some(r) = &self.result {
            ui.separator();
            result_ui(ui, r);
        }
        // Keep the panel at the size the user gave it.
        ui.allocate_space(ui.available_size());
    }

    /// The fields of "Generate payloads" and its button.
    fn generate_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let g = &mut self.generate;
        let l = ui.label("Count");
        ui.add(egui::DragValue::new(&mut g.count).range(1..=10_000_000))
            .labelled_by(l.id);
        let l = ui.label("Seed");
        ui.add(egui::DragValue::new(&mut g.seed)).labelled_by(l.id);
        let l = ui.label("Invalid share");
        ui.add(
            egui::Slider::new(&mut g.invalid, 0.0..=1.0)
                .fixed_decimals(2)
                .step_by(0.05),
        )
        .labelled_by(l.id);
        let cmd = Command::Batch(BatchCommand::Generate {
            count: g.count,
            seed: g.seed,
            invalid: g.invalid,
        });
        let busy = self.job.is_some() || self.generated.as_ref().is_some_and(|g| g.job.is_some());
        if ui
            .add_enabled(!busy, egui::Button::new(cmd.label()))
            .on_hover_text(cmd.tooltip())
            .clicked()
        {
            out.push(cmd);
        }
        // The spinner's place is kept while nothing is generated, so that nothing after it
        // moves when it shows.
        let size = egui::vec2(ui.spacing().interact_size.y, ui.spacing().interact_size.y);
        if busy && self.job.is_none() {
            ui.add_sized(size, egui::Spinner::new());
        } else {
            ui.allocate_space(size);
        }
    }

    /// The Open button and the path field.
    fn file_picker_ui(&mut self, ui: &mut Ui, dialog_open: bool, out: &mut Vec<Command>) {
        let open = Command::Batch(BatchCommand::OpenFile);
        if ui
            .add_enabled(!dialog_open, egui::Button::new(open.label()))
            .on_hover_text(open.tooltip())
            .clicked()
        {
            out.push(open);
        }
        let l = ui.label("Payload file");
        let r = ui.add(
            egui::TextEdit::singleline(&mut self.path_text)
                .hint_text("path to a .jsonl or .csv file, then Enter")
                .desired_width(280.0),
        );
        let r = r.labelled_by(l.id);
        if r.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && !self.path_text.trim().is_empty()
        {
            out.push(Command::Batch(BatchCommand::OpenPath(PathBuf::from(
                self.path_text.trim(),
            ))));
        }
    }

    /// The payload file and its count.
    fn file_ui(&self, ui: &mut Ui) {
        match &self.file {
            Some(f) => {
                let count = match f.payloads {
                    Some(n) => count_s(n, "payload"),
                    None => "counting…".to_owned(),
                };
                ui.label(format!("📄 {} — {count} ({})", f.name(), f.format.name()))
                    .on_hover_text(f.path.display().to_string());
            }
            None => {
                ui.label(RichText::new("No payload file: open a JSONL or CSV file.").weak());
            }
        }
    }

    fn target_ui(
        &self,
        ui: &mut Ui,
        design: &Design,
        target: Option<&(String, String)>,
        out: &mut Vec<Command>,
    ) {
        let (cur_w, cur_s) = target.cloned().unwrap_or_default();
        let l = ui.label("Workflow");
        egui::ComboBox::from_id_salt("batch-workflow")
            .selected_text(if cur_w.is_empty() {
                "(no signal)"
            } else {
                &cur_w
            })
            .show_ui(ui, |ui| {
                for w in &design.workflows {
                    let Some((a, _)) = w.signals().next() else {
                        continue;
                    };
                    if ui
                        .selectable_label(cur_w == w.id, format!("{} ({})", w.id, w.label))
                        .clicked()
                    {
                        out.push(Command::Batch(BatchCommand::Target {
                            workflow: w.id.clone(),
                            signal: a.id.clone(),
                        }));
                    }
                }
            })
            .response
            .labelled_by(l.id)
            .on_hover_text(
                Command::Batch(BatchCommand::Target {
                    workflow: String::new(),
                    signal: String::new(),
                })
                .tooltip(),
            );
        let l = ui.label("Signal");
        egui::ComboBox::from_id_salt("batch-signal")
            .selected_text(if cur_s.is_empty() { "(none)" } else { &cur_s })
            .show_ui(ui, |ui| {
                if let Some(w) = design.workflow(&cur_w) {
                    for (a, c) in w.signals() {
                        let text =
                            format!("{} ({}, {} parameters)", a.id, a.label, c.parameters.len());
                        if ui.selectable_label(cur_s == a.id, text).clicked() {
                            out.push(Command::Batch(BatchCommand::Target {
                                workflow: w.id.clone(),
                                signal: a.id.clone(),
                            }));
                        }
                    }
                }
            })
            .response
            .labelled_by(l.id);
    }
}

/// The batch thread: prepares the design, reads the file and runs every payload.
fn run_batch(
    design: Design,
    workflow: &str,
    signal: &str,
    file: &PayloadFile,
    control: &BatchControl,
    ctx: Option<&egui::Context>,
) -> Outcome {
    let started = Instant::now();
    let prepared = Arc::new(Prepared::new(design));
    let contract = prepared
        .design
        .signal(workflow, signal)
        .cloned()
        .ok_or_else(|| format!("the design has no External signal {workflow}/{signal}"))?;
    let input = std::fs::File::open(&file.path)
        .map_err(|e| format!("cannot open {}: {e}", file.path.display()))?;
    let mut source = open_payloads(BufReader::new(input), file.format, Some(&contract))
        .map_err(|e| format!("{}: {e}", file.path.display()))?;
    let runner = BatchRunner::new(prepared, workflow, signal);
    let summary = runner
        .run_source(&mut *source, &mut |_| Ok(()), control, &mut |_| {
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        })
        .map_err(|e| format!("{}: {e}", file.path.display()))?;
    Ok((summary, started.elapsed()))
}

/// Counts by name, largest first (ties by name).
fn by_count<K: AsRef<str>>(counts: &std::collections::BTreeMap<K, usize>) -> Vec<(&str, usize)> {
    let mut v: Vec<(&str, usize)> = counts.iter().map(|(k, n)| (k.as_ref(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

/// The progress of a running batch and its Cancel button.
fn progress_ui(ui: &mut Ui, r: &Running, out: &mut Vec<Command>) {
    let done = r.job.control().done();
    let fraction = if r.total == 0 {
        0.0
    } else {
        done as f32 / r.total as f32
    };
    ui.add(
        egui::ProgressBar::new(fraction.min(1.0))
            .desired_width(260.0)
            .text(format!("{done} / {}", r.total)),
    );
    let cancel = Command::Batch(BatchCommand::Cancel);
    if ui
        .add_enabled(!r.job.is_stopped(), egui::Button::new(cancel.label()))
        .on_hover_text(cancel.tooltip())
        .clicked()
    {
        out.push(cancel);
    }
}

/// The summary of a finished batch: counts, reasons, Ends, and the plot.
fn result_ui(ui: &mut Ui, r: &BatchResult) {
    let s = &r.summary;
    let head = if s.cancelled {
        format!(
            "Cancelled after {} of {} payloads — partial summary ({}/{}, {}, {:.2} s)",
            s.lines,
            r.total,
            r.target.0,
            r.target.1,
            r.file,
            r.elapsed.as_secs_f64()
        )
    } else {
        format!(
            "Finished: {} payloads through {}/{} from {} in {:.2} s",
            s.lines,
            r.target.0,
            r.target.1,
            r.file,
            r.elapsed.as_secs_f64()
        )
    };
    let color = if s.cancelled {
        theme::warning(ui.visuals())
    } else {
        ui.visuals().strong_text_color()
    };
    ui.label(RichText::new(head).strong().color(color));
    let height = (ui.available_height() - 4.0).max(120.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(440.0);
            egui::ScrollArea::vertical()
                .id_salt("batch-summary")
                .max_height(height)
                .show(ui, |ui| summary_ui(ui, s));
        });
        ui.separator();
        ui.vertical(|ui| {
            egui::ScrollArea::vertical()
                .id_salt("batch-plot-scroll")
                .max_height(height)
                .show(ui, |ui| plot_ui(ui, s, height));
        });
    });
}

fn summary_ui(ui: &mut Ui, s: &BatchSummary) {
    egui::Grid::new("batch-counts")
        .num_columns(2)
        .spacing([16.0, 2.0])
        .show(ui, |ui| {
            ui.label(format!("Payloads: {}", s.lines));
            ui.label(
                RichText::new(format!("Accepted: {}", s.accepted)).color(theme::ok(ui.visuals())),
            );
            ui.end_row();
            ui.label(
                RichText::new(format!("Rejected: {}", s.rejected))
                    .color(theme::error(ui.visuals())),
            );
            ui.label(
                RichText::new(format!("Failed runs: {}", s.failed))
                    .color(theme::warning(ui.visuals())),
            )
            .on_hover_text("Accepted payloads with a run that ended in an error");
            ui.end_row();
        });
    ui.add_space(4.0);
    ui.label(RichText::new("Rejection reasons").strong());
    if s.rejected_by_reason.is_empty() {
        ui.label(RichText::new("none").weak());
    }
    egui::Grid::new("batch-reasons")
        .num_columns(2)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            for (reason, n) in by_count(&s.rejected_by_reason) {
                ui.label(format!("{reason}: {n}"));
                if let Some((line, message)) = s.first_rejection.get(reason) {
                    ui.label(RichText::new(format!("first at line {line}: {message}")).weak());
                }
                ui.end_row();
            }
        });
    expected_ui(ui, s);
    ui.add_space(4.0);
    ui.label(RichText::new("Ends reached").strong());
    if s.ends.is_empty() {
        ui.label(RichText::new("none").weak());
    }
    for (end, n) in by_count(&s.ends) {
        ui.label(format!("{end}: {n}"));
    }
}

/// What the lines that said what they expect got (generated payloads say it).
fn expected_ui(ui: &mut Ui, s: &BatchSummary) {
    if s.expected.is_empty() {
        return;
    }
    ui.add_space(4.0);
    let mismatched = s.mismatch_count();
    let head = RichText::new(format!(
        "Expected outcomes: {} lines said what they expect, {mismatched} did not get it",
        s.expected_lines()
    ))
    .strong();
    ui.label(if mismatched == 0 {
        head.color(theme::BATCH_ACCEPTED)
    } else {
        head.color(theme::BATCH_REJECTED)
    });
    for (x, n) in &s.expected {
        let m = s.mismatches.get(x).copied().unwrap_or(0);
        ui.label(format!("{x}: {n} ({m} mismatched)"));
    }
    if let Some((line, m)) = &s.first_mismatch {
        ui.label(
            RichText::new(format!("first mismatch, line {line}: {m}"))
                .color(theme::error(ui.visuals())),
        );
    }
}

/// Writes the payloads of `settings` for `contract` to `path` (JSONL).
fn write_generated(
    contract: &crate::model::SignalContract,
    data: Vec<crate::sim::data_refs::DataRef>,
    settings: GenerateSettings,
    path: &Path,
) -> Result<(), String> {
    use crate::sim::generate::{GenerateOptions, PayloadGenerator};
    let options = GenerateOptions {
        count: settings.count,
        seed: settings.seed,
        invalid: settings.invalid,
        format: PayloadFormat::Jsonl,
    };
    let file = std::fs::File::create(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    PayloadGenerator::new(contract, options)
        .and_then(|g| g.with_data(data).write_all(file))
        .map(|_| ())
        .map_err(|e| format!("cannot generate payloads: {e}"))
}

/// A horizontal bar per count: the outcomes, each rejection reason, each End.
fn plot_ui(ui: &mut Ui, s: &BatchSummary, height: f32) {
    use egui_plot::{Bar, BarChart, Plot, PlotPoint, Text};
    // The labels at the size of the rest of the tab's text (egui_plot writes them small).
    let text_size = egui::TextStyle::Body.resolve(ui.style()).size;
    let label_color = ui.visuals().text_color();
    let mut rows: Vec<(String, usize, usize)> = vec![
        ("accepted".into(), s.accepted, 0),
        ("rejected".into(), s.rejected, 1),
        ("failed runs".into(), s.failed, 2),
    ];
    rows.extend(
        by_count(&s.rejected_by_reason)
            .into_iter()
            .map(|(r, n)| (r.to_owned(), n, 1)),
    );
    rows.extend(
        by_count(&s.ends)
            .into_iter()
            .map(|(e, n)| (format!("end {e}"), n, 3)),
    );
    let count = rows.len();
    // Room for each label at the text size (the plot scrolls when the panel is lower).
    let height = height.max(count as f32 * (text_size + 8.0) + 40.0);
    let y = |i: usize| (count - i) as f64;
    let groups = [
        ("Accepted", theme::BATCH_ACCEPTED),
        ("Rejected", theme::BATCH_REJECTED),
        ("Failed runs", theme::BATCH_FAILED),
        ("Ends reached", theme::BATCH_END),
    ];
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    Plot::new("batch-plot")
        .height(height)
        .show_x(false)
        .show_y(false)
        .show_axes([true, false])
        .show_grid([true, false])
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .include_x(0.0)
        .include_x(max * 1.45)
        .include_y(0.4)
        .include_y(count as f64 + 0.6)
        .x_axis_label("payloads")
        .show(ui, |plot| {
            for (g, (name, color)) in groups.iter().enumerate() {
                let bars: Vec<Bar> = rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.2 == g)
                    .map(|(i, (label, n, _))| Bar::new(y(i), *n as f64).name(label).width(0.7))
                    .collect();
                if !bars.is_empty() {
                    plot.bar_chart(BarChart::new(*name, bars).horizontal().color(*color));
                }
            }
            for (i, (label, n, _)) in rows.iter().enumerate() {
                plot.text(
                    Text::new(
                        "",
                        PlotPoint::new(*n as f64 + max * 0.02, y(i)),
                        RichText::new(format!("{label}: {n}"))
                            .size(text_size)
                            .color(label_color),
                    )
                    .anchor(egui::Align2::LEFT_CENTER)
                    .allow_hover(false),
                );
            }
        });
}
