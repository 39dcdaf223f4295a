//! The Batch tab: a file of payloads (JSONL or CSV) run through one External signal off the UI
//! thread, with progress, cancel and a summary (counts, rejection reasons, Ends reached, and a
//! bar plot of those counts).
//!
//! Drawing only reads this state and pushes [`Command`]s; the app applies them by calling the
//! methods here (`open_dialog`, `open_path`, `set_target`, `run`, `cancel`), and [`BatchPanel::poll`]
//! picks up what the worker threads finished at the start of each frame. A batch runs on a
//! [`Prepared`] built from a copy of the design taken when it starts, so editing the design
//! while it runs changes nothing for it.

use super::command::Command;
use super::files;
use crate::model::Design;
use crate::sim::{
    BatchControl, BatchRunner, BatchSummary, PayloadFormat, Prepared, count_payloads, open_payloads,
};
use egui::{Color32, RichText, Ui};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::thread::JoinHandle;
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
struct Job {
    control: Arc<BatchControl>,
    handle: JoinHandle<Outcome>,
    target: (String, String),
    file: String,
    total: usize,
}

/// The state of the Batch tab.
#[derive(Default)]
pub struct BatchPanel {
    target: Option<(String, String)>,
    path_text: String,
    dialog: Option<Receiver<Option<PathBuf>>>,
    file: Option<PayloadFile>,
    counting: Option<JoinHandle<Result<usize, String>>>,
    job: Option<Job>,
    result: Option<BatchResult>,
    error: Option<String>,
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

    /// Opens the payload file dialog on a worker thread (the window keeps drawing).
    pub fn open_dialog(&mut self, ctx: Option<&egui::Context>) {
        if self.dialog.is_none()
            && let Some(ctx) = ctx
        {
            self.dialog = Some(files::pick_payloads(ctx));
        }
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
        let ctx = ctx.cloned();
        let spawned = std::thread::Builder::new()
            .name("flowcall-batch-count".into())
            .spawn(move || {
                let counted = std::fs::File::open(&path)
                    .map_err(|e| format!("cannot open {}: {e}", path.display()))
                    .and_then(|f| {
                        count_payloads(BufReader::new(f), format)
                            .map_err(|e| format!("{}: {e}", path.display()))
                    });
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
                counted
            });
        match spawned {
            Ok(h) => self.counting = Some(h),
            Err(e) => self.error = Some(format!("cannot count the payloads: {e}")),
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
        let control = Arc::new(BatchControl::new());
        let name = file.name();
        let design = design.clone();
        let ctx = ctx.cloned();
        let (w, s, c) = (workflow.clone(), signal.clone(), control.clone());
        let spawned = std::thread::Builder::new()
            .name("flowcall-batch".into())
            .spawn(move || {
                let outcome = run_batch(design, &w, &s, &file, &c, ctx.as_ref());
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
                outcome
            });
        match spawned {
            Ok(handle) => {
                self.job = Some(Job {
                    control,
                    handle,
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
        if let Some(job) = &self.job {
            job.control.cancel();
        }
    }

    /// Picks up what the worker threads finished (dialog, counting, batch); call it once per
    /// frame, outside drawing. Keeps repainting while a batch runs.
    pub fn poll(&mut self, ctx: &egui::Context) {
        if let Some(rx) = &self.dialog {
            match rx.try_recv() {
                Ok(picked) => {
                    self.dialog = None;
                    if let Some(path) = picked {
                        self.open_path(path, Some(ctx));
                    }
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.dialog = None,
            }
        }
        if self.counting.as_ref().is_some_and(JoinHandle::is_finished)
            && let Some(h) = self.counting.take()
        {
            match h.join() {
                Ok(Ok(n)) => {
                    if let Some(f) = &mut self.file {
                        f.payloads = Some(n);
                    }
                }
                Ok(Err(e)) => {
                    self.file = None;
                    self.error = Some(e);
                }
                Err(_) => {
                    self.file = None;
                    self.error = Some("reading the payload file stopped unexpectedly".into());
                }
            }
        }
        if let Some(job) = &self.job {
            if !job.handle.is_finished() {
                ctx.request_repaint_after(REPAINT);
                return;
            }
            if let Some(job) = self.job.take() {
                match job.handle.join() {
                    Ok(Ok((summary, elapsed))) => {
                        self.result = Some(BatchResult {
                            summary,
                            target: job.target,
                            file: job.file,
                            total: job.total,
                            elapsed,
                        });
                    }
                    Ok(Err(e)) => self.error = Some(e),
                    Err(_) => self.error = Some("the batch stopped unexpectedly".into()),
                }
            }
        }
    }

    /// Draws the tab.
    pub fn ui(&mut self, ui: &mut Ui, design: &Design, out: &mut Vec<Command>) {
        let target = resolve_target(design, self.target.as_ref());
        ui.horizontal_wrapped(|ui| {
            self.target_ui(ui, design, target.as_ref(), out);
            ui.separator();
            let open = Command::BatchOpenFile;
            if ui
                .add_enabled(self.dialog.is_none(), egui::Button::new(open.label()))
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
                out.push(Command::BatchOpenPath(PathBuf::from(self.path_text.trim())));
            }
        });
        ui.horizontal(|ui| {
            match &self.file {
                Some(f) => {
                    let count = match f.payloads {
                        Some(1) => "1 payload".to_owned(),
                        Some(n) => format!("{n} payloads"),
                        None => "counting…".to_owned(),
                    };
                    ui.label(format!("📄 {} — {count} ({})", f.name(), f.format.name()))
                        .on_hover_text(f.path.display().to_string());
                }
                None => {
                    ui.label(RichText::new("No payload file: open a JSONL or CSV file.").weak());
                }
            }
            let run = Command::BatchRun;
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
            if let Some(job) = &self.job {
                let done = job.control.done();
                let fraction = if job.total == 0 {
                    0.0
                } else {
                    done as f32 / job.total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction.min(1.0))
                        .desired_width(260.0)
                        .text(format!("{done} / {}", job.total)),
                );
                let cancel = Command::BatchCancel;
                if ui
                    .add_enabled(
                        !job.control.is_cancelled(),
                        egui::Button::new(cancel.label()),
                    )
                    .on_hover_text(cancel.tooltip())
                    .clicked()
                {
                    out.push(cancel);
                }
            }
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(format!("⛔ {e}")).color(Color32::from_rgb(0xef, 0x44, 0x44)));
        }
        if let Some(r) = &self.result {
            ui.separator();
            result_ui(ui, r);
        }
        // Keep the panel at the size the user gave it.
        ui.allocate_space(ui.available_size());
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
                        out.push(Command::BatchTarget {
                            workflow: w.id.clone(),
                            signal: a.id.clone(),
                        });
                    }
                }
            })
            .response
            .labelled_by(l.id)
            .on_hover_text(
                Command::BatchTarget {
                    workflow: String::new(),
                    signal: String::new(),
                }
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
                            out.push(Command::BatchTarget {
                                workflow: w.id.clone(),
                                signal: a.id.clone(),
                            });
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

const ACCEPTED: Color32 = Color32::from_rgb(0x22, 0xc5, 0x5e);
const REJECTED: Color32 = Color32::from_rgb(0xef, 0x44, 0x44);
const FAILED: Color32 = Color32::from_rgb(0xf5, 0x9e, 0x0b);
const END: Color32 = Color32::from_rgb(0x3b, 0x82, 0xf6);

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
        FAILED
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
        ui.vertical(|ui| plot_ui(ui, s, height));
    });
}

fn summary_ui(ui: &mut Ui, s: &BatchSummary) {
    egui::Grid::new("batch-counts")
        .num_columns(2)
        .spacing([16.0, 2.0])
        .show(ui, |ui| {
            ui.label(format!("Payloads: {}", s.lines));
            ui.label(RichText::new(format!("Accepted: {}", s.accepted)).color(ACCEPTED));
            ui.end_row();
            ui.label(RichText::new(format!("Rejected: {}", s.rejected)).color(REJECTED));
            ui.label(RichText::new(format!("Failed runs: {}", s.failed)).color(FAILED))
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
    ui.add_space(4.0);
    ui.label(RichText::new("Ends reached").strong());
    if s.ends.is_empty() {
        ui.label(RichText::new("none").weak());
    }
    for (end, n) in by_count(&s.ends) {
        ui.label(format!("{end}: {n}"));
    }
}

/// A horizontal bar per count: the outcomes, each rejection reason, each End.
fn plot_ui(ui: &mut Ui, s: &BatchSummary, height: f32) {
    use egui_plot::{Bar, BarChart, Plot, PlotPoint, Text};
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
    let y = |i: usize| (count - i) as f64;
    let groups = [
        ("Accepted", ACCEPTED),
        ("Rejected", REJECTED),
        ("Failed runs", FAILED),
        ("Ends reached", END),
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
                        format!("{label}: {n}"),
                    )
                    .anchor(egui::Align2::LEFT_CENTER)
                    .allow_hover(false),
                );
            }
        });
}
