//! The Data tab: the design's sample data (the profiles table, saved audiences, the file store,
//! options, where the virtual clock starts) as tables people know from spreadsheets, each
//! change an undo step of the document and saved with the design. [`DataPanel::apply`] carries
//! out the Data commands after drawing; imports are read off the UI thread and come back as
//! one command ([`DataPanel::poll`]). The panel is split by job:
//!
//! - `import`: CSV and JSONL read into tables and written back, pasted rows (no egui);
//! - `edit`: the edits of the sample data, one function each, and the refused cells kept in
//!   place ([`BadCells`]) (no egui);
//! - `tab`: the drawing (only the rows in view are laid out, so a 10,000-row table scrolls as
//!   fast as a small one).
//!
//! A panel: it imports only the shared modules of `ui` (and the library). Inside it, `mod.rs`
//! imports `import` and `edit`, and `tab` imports them and `mod.rs`.

mod edit;
mod import;
mod tab;

pub use edit::{BadCell, BadCells, DataError};
pub use import::{ImportError, MAX_IMPORT_BYTES};

use crate::model::{Design, SampleData, Table};
use crate::ui::background::{Job, Polled};
use crate::ui::command::{Command, DataCommand, DataSection, DataTable, ImportInto};
use crate::ui::document::Document;
use crate::ui::words::count_s;
use edit::{CellKey, Created};
use import::TextFormat;
use std::path::Path;

/// A line the tab shows about the last thing it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Done: what.
    Done(String),
    /// Refused or failed: what, where, and what to do.
    Error(String),
}

impl Note {
    /// The text shown.
    pub fn text(&self) -> &str {
        match self {
            Note::Done(t) | Note::Error(t) => t,
        }
    }
}

/// A file being read and parsed for an import.
struct Importing {
    into: ImportInto,
    /// The file's name, for messages and the path of a new stored file.
    name: String,
    job: Job<Result<Table, ImportError>>,
}

/// A name being typed: a column's, a file's path, an audience's, an option's. It is applied
/// when the field loses the focus.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Naming {
    Column(DataTable, usize),
    File(String),
    Audience(String),
    Option(String),
}

/// The state of the Data tab: what it shows, what is being typed, the refused cells, the import
/// running. The sample data itself is the document's.
#[derive(Default)]
pub struct DataPanel {
    section: DataSection,
    file: Option<String>,
    audience: Option<String>,
    bad: BadCells,
    note: Option<Note>,
    importing: Option<Importing>,
    /// Stored files are edited as text rather than as a table.
    file_as_text: bool,
    /// The paste box's text, while it is open.
    paste: Option<String>,
    /// The cell being typed into, and its text.
    typing: Option<(CellKey, String)>,
    /// The name being typed, and its text.
    naming: Option<(Naming, String)>,
    /// The filter of the audience members list.
    member_filter: String,
    /// The table of the shown file, as of (path, revision).
    file_view: Option<((String, u64), Result<Table, ImportError>)>,
    /// A row to scroll to at the next frame (one just added).
    scroll_to: Option<(DataTable, usize)>,
}

impl DataPanel {
    /// The part of the tab shown.
    pub fn section(&self) -> DataSection {
        self.section
    }

    /// The file shown in the Files part.
    pub fn selected_file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// The last line of the tab (what was done, or why it was refused).
    pub fn note(&self) -> Option<&Note> {
        self.note.as_ref()
    }

    /// The refused cells, each with what was typed.
    pub fn bad_cells(&self) -> &BadCells {
        &self.bad
    }

    /// Whether an import is being read.
    pub fn is_importing(&self) -> bool {
        self.importing.is_some()
    }

    /// What a finished import gives: the command that puts it in the design (one undo step).
    /// Call once per frame; a failed import says why in the tab.
    pub fn poll(&mut self) -> Option<Command> {
        let imp = self.importing.as_ref()?;
        let result = match imp.job.poll() {
            Polled::Running => return None,
            Polled::Done(r) => r,
            Polled::Lost => Err(ImportError::Io {
                path: imp.name.clone(),
                message: "the import stopped unexpectedly".into(),
            }),
        };
        let imp = self.importing.take()?;
        match result {
            Ok(value) => Some(Command::Data(match imp.into {
                ImportInto::Table(table) => DataCommand::SetTable {
                    table,
                    value: Box::new(value),
                },
                ImportInto::NewFile => DataCommand::AddFileWith {
                    path: stored_path(&imp.name),
                    value: Box::new(value),
                },
            })),
            Err(e) => {
                self.note = Some(Note::Error(format!(
                    "{} was not imported: {e}. Nothing changed.",
                    imp.name
                )));
                None
            }
        }
    }

    /// Applies a Data command (called by the app after drawing; the app opens the Import and
    /// Export dialogs itself). A refused edit changes nothing and says why in the tab; text
    /// refused for a cell stays in it, marked.
    // Table: one row per command, nothing else.
    pub fn apply(&mut self, doc: &mut Document, c: DataCommand, ctx: Option<&egui::Context>) {
        use DataCommand as D;
        match &c {
            D::Show(s) => self.section = *s,
            D::SelectFile(p) => self.show_file(p),
            D::SelectAudience(n) => self.show_audience(n),
            D::AddColumn(t) => {
                self.edit(doc, &c, None, |s| edit::add_column(s, t));
            }
            D::RenameColumn {
                table,
                column,
                name,
            } => {
                self.edit(doc, &c, None, |s| {
                    edit::rename_column(s, table, *column, name)
                });
            }
            D::RetypeColumn { column, ty } => {
                self.edit(doc, &c, None, |s| edit::retype_column(s, *column, *ty));
            }
            D::RemoveColumn { table, column } => {
                self.edit(doc, &c, None, |s| edit::remove_column(s, table, *column));
            }
            D::MoveColumn { table, column, to } => {
                self.edit(doc, &c, None, |s| edit::move_column(s, table, *column, *to));
            }
            D::AddRow(t) => self.add_row(doc, &c, t),
            D::DeleteRow { table, row } => {
                self.edit(doc, &c, None, |s| edit::delete_row(s, table, *row));
            }
            D::SetCell {
                table,
                row,
                column,
                text,
            } => self.set_cell(doc, &c, (table.clone(), *row, *column), text),
            D::PasteRows { table, text } => self.paste_rows(doc, &c, table, text),
            D::Import(_) | D::Export(_) => {}
            D::ImportFrom { into, path } => self.start_import(doc.design(), into, path, ctx),
            D::SetTable { table, value } => {
                if self.edit(doc, &c, None, |s| edit::set_table(s, table, value)) {
                    let rows = count_s(value.rows.len(), "row");
                    self.note = Some(Note::Done(format!("Imported {rows}")));
                }
            }
            D::AddFileWith { path, value } => {
                self.add_file(doc, &c, |s| edit::add_file_with(s, path, value));
            }
            D::ExportTo { table, path } => self.export(doc.design(), table, path),
            D::AddFile => self.add_file(doc, &c, edit::add_file),
            D::RenameFile { from, to } => {
                if self.edit(doc, &c, None, |s| edit::rename_file(s, from, to))
                    && self.file.as_ref() == Some(from)
                {
                    self.file = Some(to.trim().to_owned());
                }
            }
            D::DeleteFile(p) => {
                self.edit(doc, &c, None, |s| edit::delete_file(s, p));
            }
            D::SetFileText { path, text } => {
                let key = format!("file-text/{path}");
                self.edit(doc, &c, Some(&key), |s| edit::set_file_text(s, path, text));
            }
            D::AddAudience => {
                let mut name = String::new();
                if self.edit(doc, &c, None, |s| {
                    name = edit::add_audience(s);
                    Ok(())
                }) {
                    self.show_audience(&name);
                }
            }
            D::RenameAudience { from, to } => {
                if self.edit(doc, &c, None, |s| edit::rename_audience(s, from, to))
                    && self.audience.as_ref() == Some(from)
                {
                    self.audience = Some(to.trim().to_owned());
                }
            }
            D::DeleteAudience(n) => {
                self.edit(doc, &c, None, |s| edit::delete_audience(s, n));
            }
            D::SetMembers { name, members } => {
                self.edit(doc, &c, None, |s| edit::set_members(s, name, members));
            }
            D::AddOption => {
                self.edit(doc, &c, None, |s| {
                    edit::add_option(s);
                    Ok(())
                });
            }
            D::SetOption { key, value } => {
                let k = format!("option/{key}");
                self.edit(doc, &c, Some(&k), |s| edit::set_option(s, key, value));
            }
            D::RenameOption { from, to } => {
                self.edit(doc, &c, None, |s| edit::rename_option(s, from, to));
            }
            D::DeleteOption(k) => {
                self.edit(doc, &c, None, |s| edit::delete_option(s, k));
            }
            D::SetClockStart(at) => {
                self.edit(doc, &c, Some("clock-start"), |s| {
                    edit::set_clock_start(s, *at)
                });
            }
            D::CreateMissing(m) => self.create_missing(doc, &c, m),
        }
    }

    /// Runs one edit of the sample data on the document; says why when it is refused. Returns
    /// whether it was applied.
    fn edit(
        &mut self,
        doc: &mut Document,
        c: &DataCommand,
        coalesce: Option<&str>,
        f: impl FnOnce(&mut SampleData) -> Result<(), DataError>,
    ) -> bool {
        match doc.edit_sample(coalesce, f) {
            Ok(()) => {
                self.bad.after(c);
                self.note = None;
                true
            }
            Err(e) => {
                self.note = Some(Note::Error(format!("{e}. Nothing changed.")));
                false
            }
        }
    }

    fn show_file(&mut self, path: &str) {
        self.section = DataSection::Files;
        self.file = Some(path.to_owned());
    }

    fn show_audience(&mut self, name: &str) {
        self.section = DataSection::Audiences;
        self.audience = Some(name.to_owned());
    }

    /// Adds a row and scrolls to it.
    fn add_row(&mut self, doc: &mut Document, c: &DataCommand, table: &DataTable) {
        if self.edit(doc, c, None, |s| edit::add_row(s, table)) {
            let rows = table_rows(doc.design(), table);
            self.scroll_to = rows.checked_sub(1).map(|r| (table.clone(), r));
        }
    }

    /// Writes a cell; text that does not read as the column's type stays in the cell, marked.
    fn set_cell(&mut self, doc: &mut Document, c: &DataCommand, key: CellKey, text: &str) {
        let (table, row, column) = &key;
        match doc.edit_sample(None, |s| edit::set_cell(s, table, *row, *column, text)) {
            Ok(()) => {
                self.bad.after(c);
                self.note = None;
            }
            Err(e) => {
                let message = e.to_string();
                self.note = Some(Note::Error(format!(
                    "{message}. The cell keeps what you typed, marked; nothing changed."
                )));
                self.bad.mark(key, text.to_owned(), message);
            }
        }
    }

    fn paste_rows(&mut self, doc: &mut Document, c: &DataCommand, table: &DataTable, text: &str) {
        let before = table_rows(doc.design(), table);
        if self.edit(doc, c, None, |s| edit::paste_rows(s, table, text)) {
            let added = table_rows(doc.design(), table).saturating_sub(before);
            self.note = Some(Note::Done(format!(
                "Added {}",
                count_s(added, "pasted row")
            )));
            self.paste = None;
            self.scroll_to = table_rows(doc.design(), table)
                .checked_sub(1)
                .map(|r| (table.clone(), r));
        }
    }

    /// Adds a file with `f` and shows it.
    fn add_file(
        &mut self,
        doc: &mut Document,
        c: &DataCommand,
        f: impl FnOnce(&mut SampleData) -> Result<String, DataError>,
    ) {
        let mut path = String::new();
        if self.edit(doc, c, None, |s| {
            path = f(s)?;
            Ok(())
        }) {
            self.show_file(&path);
        }
    }

    /// Creates what a run missed and shows it.
    fn create_missing(&mut self, doc: &mut Document, c: &DataCommand, m: &crate::sim::MissingData) {
        let mut made = None;
        if !self.edit(doc, c, None, |s| {
            made = Some(edit::create_missing(s, m)?);
            Ok(())
        }) {
            return;
        }
        let what = match made {
            Some(Created::File(p)) => {
                self.show_file(&p);
                format!("file '{p}'")
            }
            Some(Created::Audience(n)) => {
                self.show_audience(&n);
                format!("audience '{n}' (every profile: untick the ones it should not hold)")
            }
            Some(Created::Option(n)) => {
                self.section = DataSection::Options;
                format!("option '{n}' (give it its value)")
            }
            None => return,
        };
        self.note = Some(Note::Done(format!(
            "Created {what}. Run again in the Simulator tab."
        )));
    }

    /// Reads and parses a file off the UI thread.
    fn start_import(
        &mut self,
        design: &Design,
        into: &ImportInto,
        path: &Path,
        ctx: Option<&egui::Context>,
    ) {
        let typed = match into {
            ImportInto::Table(DataTable::Profiles) => Some(design.sample.profiles.columns.clone()),
            _ => None,
        };
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let file = path.to_owned();
        let job = Job::start("flowcall-import", ctx, move |_| {
            let text = import::read_file(&file)?;
            import::parse_table(&text, TextFormat::of_path(&file), typed.as_deref())
        });
        match job {
            Ok(job) => {
                self.note = Some(Note::Done(format!("Reading {name}…")));
                self.importing = Some(Importing {
                    into: into.clone(),
                    name,
                    job,
                });
            }
            Err(e) => self.note = Some(Note::Error(format!("cannot import {name}: {e}"))),
        }
    }

    /// Writes a table to a file: JSONL for `.jsonl` and `.ndjson`, CSV otherwise.
    fn export(&mut self, design: &Design, table: &DataTable, path: &Path) {
        let result = table_of(design, table).and_then(|t| {
            let text = match TextFormat::of_path(path) {
                TextFormat::Jsonl => import::to_jsonl(&t),
                TextFormat::Csv => import::to_csv(&t).map_err(|e| e.to_string())?,
            };
            crate::io::write_atomic(path, text.as_bytes())
                .map_err(|e| e.to_string())
                .map(|()| t.rows.len())
        });
        self.note = Some(match result {
            Ok(n) => Note::Done(format!(
                "Exported {} to {}",
                count_s(n, "row"),
                path.display()
            )),
            Err(e) => Note::Error(format!("cannot export to {}: {e}", path.display())),
        });
    }
}

/// The table of `table` in `design` (a stored file read as a table), or why it is not one.
fn table_of(design: &Design, table: &DataTable) -> Result<Table, String> {
    match table {
        DataTable::Profiles => Ok(design.sample.profiles.clone()),
        DataTable::File(p) => {
            let text = design
                .sample
                .files
                .get(p)
                .ok_or_else(|| format!("the file store has no file '{p}'"))?;
            import::file_table(text).map_err(|e| format!("file '{p}' is not a table: {e}"))
        }
    }
}

/// How many rows `table` has (0 when it is not a table).
fn table_rows(design: &Design, table: &DataTable) -> usize {
    match table {
        DataTable::Profiles => design.sample.profiles.rows.len(),
        DataTable::File(_) => table_of(design, table).map_or(0, |t| t.rows.len()),
    }
}

/// Where an imported file goes in the store: `/incoming/` and its name, with `.csv` for a
/// JSONL file (the store holds CSV).
fn stored_path(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let stem = [".jsonl", ".ndjson"].iter().find_map(|ext| {
        lower
            .ends_with(ext)
            .then(|| &name[..name.len() - ext.len()])
    });
    match stem {
        Some(s) => format!("/incoming/{s}.csv"),
        None => format!("/incoming/{name}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn an_imported_file_is_stored_as_csv_under_incoming() {
        assert_eq!(stored_path("clients.csv"), "/incoming/clients.csv");
        assert_eq!(stored_path("clients.JSONL"), "/incoming/clients.csv");
        assert_eq!(stored_path("x.ndjson"), "/incoming/x.csv");
    }
}
