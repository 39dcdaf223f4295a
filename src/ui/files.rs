//! File plumbing of the designer, away from drawing code: native dialogs (designs, exports,
//! payload files for batches, sample data imported and exported) run as background jobs, one at a time, and what they pick becomes
//! a command ([`Picked::command`]) applied like any other; recent files; the recovery file,
//! written in the background while the design has unsaved changes.
//!
//! This module imports only the other shared modules of `ui` (`background`, `command`).

use super::background::{Job, Polled};
use super::command::{BatchCommand, Command, DataCommand, DataTable, FileCommand, ImportInto};
use crate::export::Format;
use crate::model::Design;
use std::path::{Path, PathBuf};

/// What a dialog picked.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    /// A design file to open.
    Open(PathBuf),
    /// A file to save the design to.
    SaveAs(PathBuf),
    /// A file to export to, in this format.
    Export(Format, PathBuf),
    /// A payload file for the Batch tab.
    Payloads(PathBuf),
    /// A CSV or JSONL file to import into the sample data.
    DataImport(ImportInto, PathBuf),
    /// A file to export a table of the sample data to.
    DataExport(DataTable, PathBuf),
}

impl Picked {
    /// The command that carries the pick out: the same one a path given any other way takes.
    pub fn command(self) -> Command {
        match self {
            Picked::Open(p) => FileCommand::Load(p).into(),
            Picked::SaveAs(p) => FileCommand::SaveTo(p).into(),
            Picked::Export(f, p) => FileCommand::ExportTo(f, p).into(),
            Picked::Payloads(p) => BatchCommand::OpenPath(p).into(),
            Picked::DataImport(into, path) => DataCommand::ImportFrom { into, path }.into(),
            Picked::DataExport(table, path) => DataCommand::ExportTo { table, path }.into(),
        }
    }
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

/// The native dialog that is open, if any (one at a time), as a background job.
#[derive(Default)]
pub struct Dialogs {
    job: Option<Job<Option<Picked>>>,
}

/// The dialog a job shows.
enum Dialog {
    Open,
    SaveAs,
    Export(Format, String),
    Payloads,
    DataImport(ImportInto),
    DataExport(DataTable),
}

impl Dialog {
    fn show(self) -> Option<Picked> {
        let dialog = rfd::FileDialog::new();
        match self {
            Dialog::Open => design_filter(dialog).pick_file().map(Picked::Open),
            Dialog::SaveAs => design_filter(dialog)
                .set_file_name("design.flow.ron")
                .save_file()
                .map(Picked::SaveAs),
            Dialog::Export(format, stem) => {
                let ext = export_extension(format);
                let filter = ext.rsplit('.').next().unwrap_or(ext);
                dialog
                    .add_filter(filter, &[filter])
                    .add_filter("all files", &["*"])
                    .set_file_name(format!("{stem}.{ext}"))
                    .save_file()
                    .map(|p| Picked::Export(format, p))
            }
            Dialog::Payloads => dialog
                .add_filter("payloads (JSONL, CSV)", &["jsonl", "ndjson", "csv"])
                .add_filter("all files", &["*"])
                .pick_file()
                .map(Picked::Payloads),
            Dialog::DataImport(into) => dialog
                .add_filter(
                    "tables (CSV, JSONL)",
                    &["csv", "tsv", "txt", "jsonl", "ndjson"],
                )
                .add_filter("all files", &["*"])
                .pick_file()
                .map(|p| Picked::DataImport(into, p)),
            Dialog::DataExport(table) => {
                let name = match &table {
                    DataTable::Profiles => "profiles.csv".to_owned(),
                    DataTable::File(p) => p.rsplit('/').next().unwrap_or(p).to_owned(),
                };
                dialog
                    .add_filter("CSV", &["csv"])
                    .add_filter("JSONL", &["jsonl"])
                    .set_file_name(name)
                    .save_file()
                    .map(|p| Picked::DataExport(table, p))
            }
        }
    }
}

fn design_filter(dialog: rfd::FileDialog) -> rfd::FileDialog {
    dialog
        .add_filter("flowcall design", &["ron"])
        .add_filter("all files", &["*"])
}

impl Dialogs {
    /// Whether a dialog is open.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Opens an Open dialog without blocking the window.
    pub fn open(&mut self, ctx: &egui::Context) -> std::io::Result<()> {
        self.show(ctx, Dialog::Open)
    }

    /// Opens a Save dialog without blocking the window.
    pub fn save_as(&mut self, ctx: &egui::Context) -> std::io::Result<()> {
        self.show(ctx, Dialog::SaveAs)
    }

    /// Opens a Save dialog for an export, suggesting `{stem}.{extension}`.
    pub fn export(
        &mut self,
        ctx: &egui::Context,
        format: Format,
        stem: &str,
    ) -> std::io::Result<()> {
        self.show(ctx, Dialog::Export(format, stem.to_owned()))
    }

    /// Opens a dialog for a file of payloads (JSONL or CSV).
    pub fn payloads(&mut self, ctx: &egui::Context) -> std::io::Result<()> {
        self.show(ctx, Dialog::Payloads)
    }

    /// Opens a dialog for a CSV or JSONL file to import into the sample data.
    pub fn data_import(&mut self, ctx: &egui::Context, into: ImportInto) -> std::io::Result<()> {
        self.show(ctx, Dialog::DataImport(into))
    }

    /// Opens a Save dialog for a table of the sample data.
    pub fn data_export(&mut self, ctx: &egui::Context, table: DataTable) -> std::io::Result<()> {
        self.show(ctx, Dialog::DataExport(table))
    }

    fn show(&mut self, ctx: &egui::Context, dialog: Dialog) -> std::io::Result<()> {
        if self.job.is_none() {
            self.job = Some(Job::start("flowcall-dialog", Some(ctx), move |_| {
                dialog.show()
            })?);
        }
        Ok(())
    }

    /// What a finished dialog picked, as the command that carries it out (none while the dialog
    /// is open, or when it was closed without a pick).
    pub fn poll(&mut self) -> Option<Command> {
        let picked = match self.job.as_ref()?.poll() {
            Polled::Running => return None,
            Polled::Done(p) => p,
            Polled::Lost => None,
        };
        self.job = None;
        picked.map(Picked::command)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pick_goes_through_the_command_a_path_given_otherwise_takes() {
        let p = PathBuf::from("/tmp/x");
        assert_eq!(
            Picked::Open(p.clone()).command(),
            Command::File(FileCommand::Load(p.clone()))
        );
        assert_eq!(
            Picked::SaveAs(p.clone()).command(),
            Command::File(FileCommand::SaveTo(p.clone()))
        );
        assert_eq!(
            Picked::Export(Format::Bpmn, p.clone()).command(),
            Command::File(FileCommand::ExportTo(Format::Bpmn, p.clone()))
        );
        assert_eq!(
            Picked::Payloads(p.clone()).command(),
            Command::Batch(BatchCommand::OpenPath(p.clone()))
        );
        assert_eq!(
            Picked::DataImport(ImportInto::NewFile, p.clone()).command(),
            Command::Data(DataCommand::ImportFrom {
                into: ImportInto::NewFile,
                path: p.clone()
            })
        );
        assert_eq!(
            Picked::DataExport(DataTable::Profiles, p.clone()).command(),
            Command::Data(DataCommand::ExportTo {
                table: DataTable::Profiles,
                path: p
            })
        );
    }

    #[test]
    fn recent_files_are_unique_newest_first_and_at_most_ten() {
        let mut recent = Vec::new();
        for i in 0..12 {
            push_recent(&mut recent, Path::new(&format!("/f{i}")));
        }
        push_recent(&mut recent, Path::new("/f5"));
        assert_eq!(recent.len(), 10);
        assert_eq!(recent[0], Path::new("/f5"));
        assert_eq!(recent.iter().filter(|p| *p == Path::new("/f5")).count(), 1);
    }
}
