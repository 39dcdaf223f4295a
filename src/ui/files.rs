//! File plumbing of the designer, away from drawing code: native dialogs (designs, exports,
//! payload files for batches) run on a worker thread and report through a channel polled each
//! frame; recent files; the recovery file written in the background when the design has unsaved
//! changes.

use crate::export::Format;
use crate::model::Design;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

/// What a dialog picked.
#[derive(Debug)]
pub enum Picked {
    /// A file to open.
    Open(PathBuf),
    /// A file to save to.
    SaveAs(PathBuf),
    /// A file to export to, in this format.
    Export(Format, PathBuf),
}

/// The usual file name ending of an export.
pub fn export_extension(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::Schema => "schema.json",
        Format::Openapi => "openapi.json",
        Format::Bpmn => "bpmn",
        Format::Curl => "sh",
    }
}

/// Native dialogs on a worker thread.
pub struct Dialogs {
    tx: Sender<Option<Picked>>,
    rx: Receiver<Option<Picked>>,
    /// A dialog is open.
    pub busy: bool,
}

impl Default for Dialogs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Dialogs {
            tx,
            rx,
            busy: false,
        }
    }
}

impl Dialogs {
    /// Opens an Open dialog without blocking the window.
    pub fn open(&mut self, ctx: &egui::Context) {
        self.spawn(ctx, false);
    }

    /// Opens a Save dialog without blocking the window.
    pub fn save_as(&mut self, ctx: &egui::Context) {
        self.spawn(ctx, true);
    }

    /// Opens a Save dialog for an export, suggesting `{stem}.{extension}`.
    pub fn export(&mut self, ctx: &egui::Context, format: Format, stem: &str) {
        if self.busy {
            return;
        }
        self.busy = true;
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        let ext = export_extension(format);
        let name = format!("{stem}.{ext}");
        let filter = ext.rsplit('.').next().unwrap_or(ext).to_owned();
        std::thread::spawn(move || {
            let picked = rfd::FileDialog::new()
                .add_filter(&filter, &[filter.as_str()])
                .add_filter("all files", &["*"])
                .set_file_name(&name)
                .save_file()
                .map(|p| Picked::Export(format, p));
            let _ = tx.send(picked);
            ctx.request_repaint();
        });
    }

    fn spawn(&mut self, ctx: &egui::Context, save: bool) {
        if self.busy {
            return;
        }
        self.busy = true;
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let dialog = rfd::FileDialog::new()
                .add_filter("flowcall design", &["ron"])
                .add_filter("all files", &["*"]);
            let picked = if save {
                dialog
                    .set_file_name("design.flow.ron")
                    .save_file()
                    .map(Picked::SaveAs)
            } else {
                dialog.pick_file().map(Picked::Open)
            };
            let _ = tx.send(picked);
            ctx.request_repaint();
        });
    }

    /// What a finished dialog picked, if one finished.
    pub fn poll(&mut self) -> Option<Picked> {
        match self.rx.try_recv() {
            Ok(p) => {
                self.busy = false;
                p
            }
            Err(_) => None,
        }
    }
}

/// Opens a dialog for a file of payloads (JSONL or CSV) on a worker thread; the receiver gets
/// the file picked, or `None` when the dialog was closed without one.
pub fn pick_payloads(ctx: &egui::Context) -> Receiver<Option<PathBuf>> {
    let (tx, rx) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let picked = rfd::FileDialog::new()
            .add_filter("payloads (JSONL, CSV)", &["jsonl", "ndjson", "csv"])
            .add_filter("all files", &["*"])
            .pick_file();
        let _ = tx.send(picked);
        ctx.request_repaint();
    });
    rx
}

/// Whether a dropped file is a payload file for the Batch tab rather than a design.
pub fn is_payload_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["jsonl", "ndjson", "csv"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// The recovery file: where unsaved work is written periodically.
pub fn recovery_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "flowcall")
        .map(|d| d.data_dir().join("recovery.flow.ron"))
}

/// Writes the recovery file in the background.
pub fn write_recovery(path: &Path, design: &Design) {
    let Ok(text) = crate::io::to_ron_string(design) else {
        return;
    };
    let path = path.to_owned();
    std::thread::spawn(move || {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::io::write_atomic(&path, text.as_bytes());
    });
}

/// Removes the recovery file (after a save, or when the user discards it).
pub fn remove_recovery(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Adds `path` at the front of the recent list (at most 10, no duplicates).
pub fn push_recent(recent: &mut Vec<PathBuf>, path: &Path) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_owned());
    recent.truncate(10);
}
