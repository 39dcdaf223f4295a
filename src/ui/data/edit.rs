//! The Data tab's edits of the design's sample data, without egui: one function per kind of
//! edit, each over [`SampleData`] and refused with a [`DataError`] that says what and where, so
//! that the panel runs each through [`crate::ui::document::Document::edit_sample`] (one undo
//! step, nothing recorded when refused). Cells of the profiles table are checked with the
//! design loader's own rules and messages; a stored file is edited as the table its CSV text
//! reads as and written back as CSV.
//!
//! Also here: [`BadCells`], what was typed into a cell and refused, kept (and shown in place)
//! until it is corrected, so that nothing typed is lost.

use super::import::{self, ImportError};
use crate::model::{CLOCK_START_YEARS, Column, SampleData, Table, TableError, Type, Value};
use crate::sim::MissingData;
use crate::ui::command::{DataCommand, DataTable};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// How many profiles a file created for a run that missed it copies (their columns the file
/// has), so that the run that needed it has rows to go on with.
const MISSING_FILE_ROWS: usize = 3;

/// Why an edit of the sample data was refused; the data stays as it was.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    /// A cell that does not read as its column's type (the loader's message).
    #[error(transparent)]
    Cell(#[from] TableError),
    /// Text that does not import (pasted rows, a stored file's text).
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A name left empty.
    #[error("{0} needs a name")]
    NoName(&'static str),
    /// Two columns of one name.
    #[error("the table has a column named '{0}' already")]
    ColumnExists(String),
    /// A column that is not there.
    #[error("the table has no column {0}")]
    NoColumn(usize),
    /// A row that is not there.
    #[error("the table has no row {0}")]
    NoRow(usize),
    /// A row or paste into a table without columns.
    #[error("the table has no column yet: add one first (a row holds one cell per column)")]
    NoColumns,
    /// A file that is not in the store.
    #[error("the file store has no file '{0}'")]
    NoFile(String),
    /// A path the store holds already.
    #[error("the file store holds '{0}' already")]
    FileExists(String),
    /// A path with a wildcard.
    #[error(
        "'{0}' holds a wildcard (* ? [ ]): Transfer file activities match their paths against \
         the stored ones, which are written without them"
    )]
    Wildcard(String),
    /// A stored file whose text is not a table.
    #[error("file '{path}' does not read as a table ({source}): fix its text with 'Edit as text'")]
    FileText {
        /// The file.
        path: String,
        /// Why.
        source: ImportError,
    },
    /// An audience that is not there.
    #[error("there is no audience '{0}'")]
    NoAudience(String),
    /// An audience name taken.
    #[error("an audience named '{0}' exists already")]
    AudienceExists(String),
    /// An option that is not there.
    #[error("there is no option '{0}'")]
    NoOption(String),
    /// An option name taken.
    #[error("an option named '{0}' exists already")]
    OptionExists(String),
    /// A clock start outside the years the clock may start in.
    #[error("the clock cannot start in the year {0}: choose a year from 1 to 9999")]
    ClockYear(i32),
}

/// Runs `f` on `table` of `s`: the profiles as they are, a stored file as the table its text
/// reads as (written back as CSV).
fn on_table(
    s: &mut SampleData,
    table: &DataTable,
    f: impl FnOnce(&mut Table) -> Result<(), DataError>,
) -> Result<(), DataError> {
    match table {
        DataTable::Profiles => f(&mut s.profiles),
        DataTable::File(path) => {
            let text = s
                .files
                .get_mut(path)
                .ok_or_else(|| DataError::NoFile(path.clone()))?;
            let mut t = import::file_table(text).map_err(|source| DataError::FileText {
                path: path.clone(),
                source,
            })?;
            f(&mut t)?;
            *text = import::to_csv(&t)?;
            Ok(())
        }
    }
}

/// The first of `prefix1`, `prefix2`... that `taken` does not hold.
fn first_free(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|n| !taken(n))
        .unwrap_or_default()
}

/// A name, trimmed; refused when empty.
fn named(name: &str, what: &'static str) -> Result<String, DataError> {
    let n = name.trim();
    if n.is_empty() {
        return Err(DataError::NoName(what));
    }
    Ok(n.to_owned())
}

fn check_column(t: &Table, column: usize) -> Result<(), DataError> {
    if column < t.columns.len() {
        Ok(())
    } else {
        Err(DataError::NoColumn(column + 1))
    }
}

fn check_row(t: &Table, row: usize) -> Result<(), DataError> {
    if row < t.rows.len() {
        Ok(())
    } else {
        Err(DataError::NoRow(row + 1))
    }
}

/// The problem of `text` in column `column` of row `row` (from 0), by the loader's rules.
pub fn cell_problem(col: &Column, row: usize, text: &str) -> Option<TableError> {
    if text.is_empty() || col.ty == Type::String {
        return None;
    }
    Value::parse_as(text, col.ty)
        .err()
        .map(|source| TableError::Cell {
            row: row + 1,
            column: col.name.clone(),
            source,
        })
}

/// Adds a text column `column<n>` at the end, an empty cell in every row.
pub fn add_column(s: &mut SampleData, table: &DataTable) -> Result<(), DataError> {
    on_table(s, table, |t| {
        let name = first_free("column", |n| t.column(n).is_some());
        t.columns.push(Column {
            name,
            ty: Type::String,
        });
        for r in &mut t.rows {
            r.push(String::new());
        }
        Ok(())
    })
}

/// Renames a column; refused when empty or taken by another column.
pub fn rename_column(
    s: &mut SampleData,
    table: &DataTable,
    column: usize,
    name: &str,
) -> Result<(), DataError> {
    let name = named(name, "a column")?;
    on_table(s, table, |t| {
        check_column(t, column)?;
        if t.columns
            .iter()
            .enumerate()
            .any(|(i, c)| i != column && c.name == name)
        {
            return Err(DataError::ColumnExists(name));
        }
        if let Some(c) = t.columns.get_mut(column) {
            c.name = name;
        }
        Ok(())
    })
}

/// Gives a profiles column another type; refused at the first cell that does not read as it.
pub fn retype_column(s: &mut SampleData, column: usize, ty: Type) -> Result<(), DataError> {
    let t = &mut s.profiles;
    check_column(t, column)?;
    let Some(col) = t.columns.get(column) else {
        return Err(DataError::NoColumn(column + 1));
    };
    let retyped = Column {
        name: col.name.clone(),
        ty,
    };
    for (i, row) in t.rows.iter().enumerate() {
        if let Some(e) = row.get(column).and_then(|c| cell_problem(&retyped, i, c)) {
            return Err(e.into());
        }
    }
    if let Some(c) = t.columns.get_mut(column) {
        c.ty = ty;
    }
    Ok(())
}

/// Removes a column and its cells.
pub fn remove_column(
    s: &mut SampleData,
    table: &DataTable,
    column: usize,
) -> Result<(), DataError> {
    on_table(s, table, |t| {
        check_column(t, column)?;
        t.columns.remove(column);
        for r in &mut t.rows {
            if column < r.len() {
                r.remove(column);
            }
        }
        Ok(())
    })
}

/// Moves a column (with its cells) to place `to`.
pub fn move_column(
    s: &mut SampleData,
    table: &DataTable,
    column: usize,
    to: usize,
) -> Result<(), DataError> {
    on_table(s, table, |t| {
        check_column(t, column)?;
        check_column(t, to)?;
        let c = t.columns.remove(column);
        t.columns.insert(to, c);
        for r in &mut t.rows {
            if column < r.len() && to < r.len() {
                let cell = r.remove(column);
                r.insert(to, cell);
            }
        }
        Ok(())
    })
}

/// Adds an empty row at the end (empty cells read as nulls).
pub fn add_row(s: &mut SampleData, table: &DataTable) -> Result<(), DataError> {
    on_table(s, table, |t| {
        if t.columns.is_empty() {
            return Err(DataError::NoColumns);
        }
        t.rows.push(vec![String::new(); t.columns.len()]);
        Ok(())
    })
}

/// Deletes a row.
pub fn delete_row(s: &mut SampleData, table: &DataTable, row: usize) -> Result<(), DataError> {
    on_table(s, table, |t| {
        check_row(t, row)?;
        t.rows.remove(row);
        Ok(())
    })
}

/// Writes a cell; refused when the text does not read as the column's type.
pub fn set_cell(
    s: &mut SampleData,
    table: &DataTable,
    row: usize,
    column: usize,
    text: &str,
) -> Result<(), DataError> {
    on_table(s, table, |t| {
        check_row(t, row)?;
        check_column(t, column)?;
        if let Some(e) = t
            .columns
            .get(column)
            .and_then(|c| cell_problem(c, row, text))
        {
            return Err(e.into());
        }
        if let Some(cell) = t.rows.get_mut(row).and_then(|r| r.get_mut(column)) {
            *cell = text.to_owned();
        }
        Ok(())
    })
}

/// Adds the rows of pasted text (see [`import::parse_paste`]); refused as a whole when a row
/// does not fit.
pub fn paste_rows(s: &mut SampleData, table: &DataTable, text: &str) -> Result<(), DataError> {
    on_table(s, table, |t| {
        if t.columns.is_empty() {
            return Err(DataError::NoColumns);
        }
        let rows = import::parse_paste(text, &t.columns)?;
        t.rows.extend(rows);
        Ok(())
    })
}

/// Replaces a table (by an imported one).
pub fn set_table(s: &mut SampleData, table: &DataTable, value: &Table) -> Result<(), DataError> {
    match table {
        DataTable::Profiles => {
            value.typed_rows()?;
            s.profiles = value.clone();
            Ok(())
        }
        DataTable::File(path) => {
            let text = s
                .files
                .get_mut(path)
                .ok_or_else(|| DataError::NoFile(path.clone()))?;
            *text = import::to_csv(value)?;
            Ok(())
        }
    }
}

/// `path`, or `path` with `-2`, `-3`... before its extension: the first the store does not
/// hold.
fn free_path(s: &SampleData, path: &str) -> String {
    if !s.files.contains_key(path) {
        return path.to_owned();
    }
    let (stem, ext) = match path.rfind('.') {
        Some(i) if i > path.rfind('/').map_or(0, |j| j + 1) => path.split_at(i),
        _ => (path, ""),
    };
    (2..)
        .map(|n| format!("{stem}-{n}{ext}"))
        .find(|p| !s.files.contains_key(p))
        .unwrap_or_default()
}

/// Adds a file holding `value` at `path` (or the first free path like it); returns the path.
pub fn add_file_with(s: &mut SampleData, path: &str, value: &Table) -> Result<String, DataError> {
    let path = free_path(s, &named(path, "a file")?);
    check_no_wildcard(&path)?;
    s.files.insert(path.clone(), import::to_csv(value)?);
    Ok(path)
}

/// Adds a file `/incoming/new-file.csv` (or the first free name like it) with a header row of
/// the profiles' columns (`email` when there are none); returns its path.
pub fn add_file(s: &mut SampleData) -> Result<String, DataError> {
    let mut header: Vec<Column> = s.profiles.columns.clone();
    if header.is_empty() {
        header.push(Column {
            name: "email".into(),
            ty: Type::String,
        });
    }
    let empty = Table {
        columns: header,
        rows: Vec::new(),
    };
    add_file_with(s, "/incoming/new-file.csv", &empty)
}

fn check_no_wildcard(path: &str) -> Result<(), DataError> {
    if path.contains(['*', '?', '[', ']']) {
        return Err(DataError::Wildcard(path.to_owned()));
    }
    Ok(())
}

/// Changes a stored file's path.
pub fn rename_file(s: &mut SampleData, from: &str, to: &str) -> Result<(), DataError> {
    let to = named(to, "a file")?;
    check_no_wildcard(&to)?;
    if to == from {
        return Ok(());
    }
    if s.files.contains_key(&to) {
        return Err(DataError::FileExists(to));
    }
    let text = s
        .files
        .remove(from)
        .ok_or_else(|| DataError::NoFile(from.to_owned()))?;
    s.files.insert(to, text);
    Ok(())
}

/// Removes a stored file.
pub fn delete_file(s: &mut SampleData, path: &str) -> Result<(), DataError> {
    s.files
        .remove(path)
        .map(|_| ())
        .ok_or_else(|| DataError::NoFile(path.to_owned()))
}

/// Replaces a stored file's text, whatever it holds (the tab says when it is not a table).
pub fn set_file_text(s: &mut SampleData, path: &str, text: &str) -> Result<(), DataError> {
    let t = s
        .files
        .get_mut(path)
        .ok_or_else(|| DataError::NoFile(path.to_owned()))?;
    text.clone_into(t);
    Ok(())
}

/// Adds an empty audience `Audience<n>`; returns its name.
pub fn add_audience(s: &mut SampleData) -> String {
    let name = first_free("Audience", |n| s.audiences.contains_key(n));
    s.audiences.insert(name.clone(), Vec::new());
    name
}

/// Renames an audience.
pub fn rename_audience(s: &mut SampleData, from: &str, to: &str) -> Result<(), DataError> {
    rename_key(&mut s.audiences, from, to, "an audience").map_err(|e| match e {
        KeyError::Missing => DataError::NoAudience(from.to_owned()),
        KeyError::Taken(n) => DataError::AudienceExists(n),
        KeyError::Data(d) => d,
    })
}

/// Deletes an audience.
pub fn delete_audience(s: &mut SampleData, name: &str) -> Result<(), DataError> {
    s.audiences
        .remove(name)
        .map(|_| ())
        .ok_or_else(|| DataError::NoAudience(name.to_owned()))
}

/// Sets an audience's members (each key once, in the order given).
pub fn set_members(s: &mut SampleData, name: &str, members: &[String]) -> Result<(), DataError> {
    let m = s
        .audiences
        .get_mut(name)
        .ok_or_else(|| DataError::NoAudience(name.to_owned()))?;
    let mut seen = std::collections::BTreeSet::new();
    *m = members
        .iter()
        .filter(|k| seen.insert(k.as_str()))
        .cloned()
        .collect();
    Ok(())
}

/// Adds an empty option `option<n>`; returns its name.
pub fn add_option(s: &mut SampleData) -> String {
    let name = first_free("option", |n| s.options.contains_key(n));
    s.options.insert(name.clone(), String::new());
    name
}

/// Changes an option's value.
pub fn set_option(s: &mut SampleData, key: &str, value: &str) -> Result<(), DataError> {
    let v = s
        .options
        .get_mut(key)
        .ok_or_else(|| DataError::NoOption(key.to_owned()))?;
    value.clone_into(v);
    Ok(())
}

/// Renames an option.
pub fn rename_option(s: &mut SampleData, from: &str, to: &str) -> Result<(), DataError> {
    rename_key(&mut s.options, from, to, "an option").map_err(|e| match e {
        KeyError::Missing => DataError::NoOption(from.to_owned()),
        KeyError::Taken(n) => DataError::OptionExists(n),
        KeyError::Data(d) => d,
    })
}

/// Deletes an option.
pub fn delete_option(s: &mut SampleData, key: &str) -> Result<(), DataError> {
    s.options
        .remove(key)
        .map(|_| ())
        .ok_or_else(|| DataError::NoOption(key.to_owned()))
}

/// Why a key of a map could not be renamed.
enum KeyError {
    Missing,
    Taken(String),
    Data(DataError),
}

fn rename_key<V>(
    map: &mut BTreeMap<String, V>,
    from: &str,
    to: &str,
    what: &'static str,
) -> Result<(), KeyError> {
    let to = named(to, what).map_err(KeyError::Data)?;
    if to == from {
        return Ok(());
    }
    if map.contains_key(&to) {
        return Err(KeyError::Taken(to));
    }
    let v = map.remove(from).ok_or(KeyError::Missing)?;
    map.insert(to, v);
    Ok(())
}

/// Moves where the virtual clock starts; refused outside the years 1 to 9999.
pub fn set_clock_start(s: &mut SampleData, at: Timestamp) -> Result<(), DataError> {
    let year = i32::from(crate::model::time::date_of(at).year());
    if !CLOCK_START_YEARS.contains(&year) {
        return Err(DataError::ClockYear(year));
    }
    s.clock_start = at;
    Ok(())
}

/// What [`create_missing`] made, to be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// A file at this path.
    File(String),
    /// An audience of this name.
    Audience(String),
    /// An option of this name.
    Option(String),
}

/// Creates what a run missed: a file at a path its pattern matches, with the columns the
/// workflow reads and a few profiles' cells under them; an audience of every profile; an
/// empty option. Returns what it made.
pub fn create_missing(s: &mut SampleData, m: &MissingData) -> Result<Created, DataError> {
    match m {
        MissingData::File { pattern, columns } => {
            let path = MissingData::file_path(pattern);
            let table = missing_file_table(s, columns);
            add_file_with(s, &path, &table).map(Created::File)
        }
        MissingData::Audience { name } => {
            let name = named(name, "an audience")?;
            if s.audiences.contains_key(&name) {
                return Err(DataError::AudienceExists(name));
            }
            let keys = s.profiles.rows.iter().filter_map(|r| r.first()).cloned();
            s.audiences.insert(name.clone(), keys.collect());
            Ok(Created::Audience(name))
        }
        MissingData::Option { name } => {
            let name = named(name, "an option")?;
            if s.options.contains_key(&name) {
                return Err(DataError::OptionExists(name));
            }
            s.options.insert(name.clone(), String::new());
            Ok(Created::Option(name))
        }
    }
}

/// A table with `columns` (`email` when none is given) and the first profiles' cells of those
/// columns.
fn missing_file_table(s: &SampleData, columns: &[String]) -> Table {
    let names: Vec<String> = if columns.is_empty() {
        vec!["email".to_owned()]
    } else {
        columns.to_vec()
    };
    let p = &s.profiles;
    let rows = p
        .rows
        .iter()
        .take(MISSING_FILE_ROWS)
        .map(|r| {
            names
                .iter()
                .map(|n| {
                    p.columns
                        .iter()
                        .position(|c| c.name == *n)
                        .and_then(|i| r.get(i))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    Table {
        columns: names
            .into_iter()
            .map(|name| Column {
                name,
                ty: Type::String,
            })
            .collect(),
        rows,
    }
}

/// Where a cell is: its table, row and column (from 0).
pub type CellKey = (DataTable, usize, usize);

/// Text typed into a cell and refused, with why; shown in place of the cell's value until the
/// cell is written with text that reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCell {
    /// What was typed.
    pub text: String,
    /// Why it was refused (the loader's message).
    pub message: String,
}

/// The refused cells of every table, kept in step with the edits that move rows and columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BadCells {
    cells: BTreeMap<CellKey, BadCell>,
}

impl BadCells {
    /// The refused text of a cell, if any.
    pub fn get(&self, key: &CellKey) -> Option<&BadCell> {
        self.cells.get(key)
    }

    /// How many cells hold refused text.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether no cell holds refused text.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Keeps what was typed into a cell and why it was refused.
    pub fn mark(&mut self, key: CellKey, text: String, message: String) {
        self.cells.insert(key, BadCell { text, message });
    }

    /// Forgets a cell's refused text (it was written, or its edit abandoned).
    pub fn clear(&mut self, key: &CellKey) {
        self.cells.remove(key);
    }

    /// Follows an edit that was applied: a cell written is clear, rows and columns after a
    /// deleted one move up, a moved column takes its cells along, a replaced or deleted table
    /// forgets its cells and a renamed file keeps them.
    pub fn after(&mut self, c: &DataCommand) {
        let cells = std::mem::take(&mut self.cells);
        self.cells = cells
            .into_iter()
            .filter_map(|(k, v)| follow(c, k).map(|k| (k, v)))
            .collect();
    }
}

/// Where a refused cell is after `c`, or `None` when it is gone.
fn follow(c: &DataCommand, (t, r, col): CellKey) -> Option<CellKey> {
    match c {
        DataCommand::SetCell {
            table, row, column, ..
        } if *table == t && (*row, *column) == (r, col) => None,
        DataCommand::DeleteRow { table, row } if *table == t => match r.cmp(row) {
            std::cmp::Ordering::Less => Some((t, r, col)),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some((t, r - 1, col)),
        },
        DataCommand::RemoveColumn { table, column } if *table == t => match col.cmp(column) {
            std::cmp::Ordering::Less => Some((t, r, col)),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some((t, r, col - 1)),
        },
        DataCommand::MoveColumn { table, column, to } if *table == t => {
            Some((t, r, moved(col, *column, *to)))
        }
        DataCommand::SetTable { table, .. } if *table == t => None,
        DataCommand::DeleteFile(p) if t == DataTable::File(p.clone()) => None,
        DataCommand::RenameFile { from, to } if t == DataTable::File(from.clone()) => {
            Some((DataTable::File(to.clone()), r, col))
        }
        _ => Some((t, r, col)),
    }
}

/// Where column `col` is after the column at `from` moved to `to`.
fn moved(col: usize, from: usize, to: usize) -> usize {
    if col == from {
        to
    } else if from < col && col <= to {
        col - 1
    } else if to <= col && col < from {
        col + 1
    } else {
        col
    }
}

#[cfg(test)]
mod tests {
    //! The operations on a real [`Document`]: each is one undo step, a refused one records
    //! nothing and leaves the design as it was.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::model::Design;
    use crate::ui::document::Document;

    fn doc() -> Document {
        let mut d = Design {
            sample: SampleData::starter(),
            ..Design::default()
        };
        d.sample.files.insert(
            "/incoming/a.csv".into(),
            "email,points\nx@example.com,3\n".into(),
        );
        Document::new(d, None, "t.flow.ron")
    }

    /// Runs one edit on the document and checks that undo brings back the design before it.
    fn undoable(
        doc: &mut Document,
        f: impl FnOnce(&mut SampleData) -> Result<(), DataError>,
    ) -> SampleData {
        let before = doc.design().clone();
        doc.edit_sample(None, f).unwrap();
        let after = doc.design().sample.clone();
        assert_ne!(doc.design(), &before, "the edit changed something");
        assert_eq!(doc.is_dirty(), doc.design() != doc.saved());
        assert!(doc.undo());
        assert_eq!(doc.design(), &before, "one undo step takes it back");
        assert!(doc.redo());
        after
    }

    /// Runs an edit that must be refused: nothing recorded, nothing changed.
    fn refused(
        doc: &mut Document,
        f: impl FnOnce(&mut SampleData) -> Result<(), DataError>,
    ) -> String {
        let before = doc.design().clone();
        let could_undo = doc.can_undo();
        let rev = doc.rev();
        let e = doc.edit_sample(None, f).unwrap_err();
        assert_eq!(
            doc.design(),
            &before,
            "a refused edit leaves the design as it was"
        );
        assert_eq!(doc.can_undo(), could_undo);
        assert_eq!(doc.rev(), rev);
        e.to_string()
    }

    const P: DataTable = DataTable::Profiles;

    #[test]
    fn columns_are_added_renamed_retyped_moved_and_removed_one_step_each() {
        let mut doc = doc();
        let s = undoable(&mut doc, |s| add_column(s, &P));
        assert_eq!(s.profiles.columns[8].name, "column1");
        assert!(s.profiles.rows.iter().all(|r| r.len() == 9));
        let s = undoable(&mut doc, |s| rename_column(s, &P, 8, " points "));
        assert_eq!(s.profiles.columns[8].name, "points");
        let s = undoable(&mut doc, |s| set_cell(s, &P, 0, 8, "12"));
        assert_eq!(s.profiles.rows[0][8], "12");
        let s = undoable(&mut doc, |s| retype_column(s, 8, Type::Integer));
        assert_eq!(s.profiles.columns[8].ty, Type::Integer);
        let s = undoable(&mut doc, |s| move_column(s, &P, 8, 1));
        assert_eq!(s.profiles.columns[1].name, "points");
        assert_eq!(s.profiles.rows[0][1], "12");
        assert_eq!(s.profiles.rows[0][2], "Ana");
        let s = undoable(&mut doc, |s| remove_column(s, &P, 1));
        assert_eq!(s.profiles, SampleData::starter().profiles);
        s.profiles.typed_rows().unwrap();
    }

    #[test]
    fn refused_column_edits_say_why_and_change_nothing() {
        let mut doc = doc();
        assert_eq!(
            refused(&mut doc, |s| rename_column(s, &P, 1, "email")),
            "the table has a column named 'email' already"
        );
        assert_eq!(
            refused(&mut doc, |s| rename_column(s, &P, 1, "  ")),
            "a column needs a name"
        );
        assert_eq!(
            refused(&mut doc, |s| retype_column(s, 1, Type::Integer)),
            "row 1, column 'firstName': \"Ana\" is not a valid Integer (expected something like 42)"
        );
        assert_eq!(
            refused(&mut doc, |s| remove_column(s, &P, 20)),
            "the table has no column 21"
        );
        assert_eq!(
            refused(&mut doc, |s| retype_column(s, 0, Type::Boolean))
                .split(':')
                .next(),
            Some("row 1, column 'email'")
        );
    }

    #[test]
    fn rows_are_added_written_and_deleted_and_a_bad_cell_is_refused() {
        let mut doc = doc();
        let s = undoable(&mut doc, |s| add_row(s, &P));
        assert_eq!(s.profiles.rows.len(), 7);
        assert!(s.profiles.rows[6].iter().all(String::is_empty));
        s.profiles.typed_rows().unwrap();
        let s = undoable(&mut doc, |s| set_cell(s, &P, 6, 5, "40"));
        assert_eq!(s.profiles.rows[6][5], "40");
        assert_eq!(
            refused(&mut doc, |s| set_cell(s, &P, 6, 5, "forty")),
            "row 7, column 'age': \"forty\" is not a valid Integer (expected something like 42)"
        );
        assert_eq!(
            refused(&mut doc, |s| set_cell(s, &P, 6, 6, "maybe")),
            "row 7, column 'optIn': \"maybe\" is not a valid Boolean (expected something like true)"
        );
        assert_eq!(
            refused(&mut doc, |s| set_cell(s, &P, 60, 0, "x")),
            "the table has no row 61"
        );
        let s = undoable(&mut doc, |s| delete_row(s, &P, 0));
        assert_eq!(s.profiles.rows[0][0], "ben.okafor@example.com");
        let mut empty = Document::new(Design::default(), None, "e");
        assert_eq!(
            refused(&mut empty, |s| add_row(s, &P)),
            "the table has no column yet: add one first (a row holds one cell per column)"
        );
    }

    #[test]
    fn pasted_rows_are_added_at_once_or_not_at_all() {
        let mut doc = doc();
        let text = "email\tfirstName\tlastName\tcountry\tsegment\tage\toptIn\tlastPurchase\n\
                    g@example.com\tGus\tGo\tDE\tgold\t30\ttrue\t2024-05-01\n\
                    h@example.com\tHal\tHo\tDE\tsilver\t\tfalse\t\n";
        let s = undoable(&mut doc, |s| paste_rows(s, &P, text));
        assert_eq!(s.profiles.rows.len(), 8, "the header row is skipped");
        assert_eq!(s.profiles.rows[7][1], "Hal");
        let bad = "i@example.com,Ida,Ix,DE,gold,31,true,2024-05-01\nj@example.com,Jo,Jx,DE,gold,old,true,\n";
        assert_eq!(
            refused(&mut doc, |s| paste_rows(s, &P, bad)),
            "line 2, column 6 ('age'): \"old\" is not a valid Integer (expected something like 42)"
        );
    }

    #[test]
    fn a_stored_file_is_edited_as_a_table_and_written_back_as_csv() {
        let mut doc = doc();
        let f = DataTable::File("/incoming/a.csv".into());
        let s = undoable(&mut doc, |s| add_row(s, &f));
        assert_eq!(
            s.files["/incoming/a.csv"],
            "email,points\nx@example.com,3\n,\n"
        );
        let s = undoable(&mut doc, |s| set_cell(s, &f, 0, 1, "a, b"));
        assert_eq!(
            s.files["/incoming/a.csv"],
            "email,points\nx@example.com,\"a, b\"\n,\n"
        );
        let s = undoable(&mut doc, |s| {
            set_file_text(s, "/incoming/a.csv", "a,b\n1\n")
        });
        assert_eq!(s.files["/incoming/a.csv"], "a,b\n1\n");
        let e = refused(&mut doc, |s| add_row(s, &f));
        assert!(
            e.starts_with("file '/incoming/a.csv' does not read as a table (line 2 has 1 cell"),
            "{e}"
        );
    }

    #[test]
    fn files_are_added_renamed_and_deleted() {
        let mut doc = doc();
        let mut path = String::new();
        let s = undoable(&mut doc, |s| {
            path = add_file(s)?;
            Ok(())
        });
        assert_eq!(path, "/incoming/new-file.csv");
        assert!(s.files[&path].starts_with("email,firstName,lastName"));
        doc.edit_sample(None, |s| {
            add_file(s).map(|p| assert_eq!(p, "/incoming/new-file-2.csv"))
        })
        .unwrap();
        let s = undoable(&mut doc, |s| {
            rename_file(s, "/incoming/new-file.csv", "/incoming/clients.csv")
        });
        assert!(s.files.contains_key("/incoming/clients.csv"));
        assert_eq!(
            refused(&mut doc, |s| rename_file(
                s,
                "/incoming/clients.csv",
                "/incoming/a.csv"
            )),
            "the file store holds '/incoming/a.csv' already"
        );
        assert!(
            refused(&mut doc, |s| rename_file(
                s,
                "/incoming/clients.csv",
                "/incoming/*.csv"
            ))
            .contains("wildcard")
        );
        let s = undoable(&mut doc, |s| delete_file(s, "/incoming/clients.csv"));
        assert!(!s.files.contains_key("/incoming/clients.csv"));
    }

    #[test]
    fn audiences_options_and_the_clock_are_edits() {
        let mut doc = doc();
        let mut name = String::new();
        undoable(&mut doc, |s| {
            name = add_audience(s);
            Ok(())
        });
        assert_eq!(name, "Audience1");
        let members = vec![
            "ana.lima@example.com".to_owned(),
            "ana.lima@example.com".to_owned(),
        ];
        let s = undoable(&mut doc, |s| set_members(s, "Audience1", &members));
        assert_eq!(s.audiences["Audience1"], ["ana.lima@example.com"]);
        let s = undoable(&mut doc, |s| rename_audience(s, "Audience1", "Gold"));
        assert!(s.audiences.contains_key("Gold"));
        assert_eq!(
            refused(&mut doc, |s| rename_audience(s, "Gold", "Subscribers")),
            "an audience named 'Subscribers' exists already"
        );
        undoable(&mut doc, |s| delete_audience(s, "Gold"));
        undoable(&mut doc, |s| {
            add_option(s);
            Ok(())
        });
        let s = undoable(&mut doc, |s| set_option(s, "option1", "Acme"));
        assert_eq!(s.options["option1"], "Acme");
        let s = undoable(&mut doc, |s| rename_option(s, "option1", "brand"));
        assert_eq!(s.options["brand"], "Acme");
        undoable(&mut doc, |s| delete_option(s, "brand"));
        let at: Timestamp = "2026-03-01T08:30:00Z".parse().unwrap();
        let s = undoable(&mut doc, |s| set_clock_start(s, at));
        assert_eq!(s.clock_start, at);
        let far: Timestamp = "-000001-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            refused(&mut doc, |s| set_clock_start(s, far)),
            "the clock cannot start in the year -1: choose a year from 1 to 9999"
        );
    }

    #[test]
    fn typing_an_option_is_one_undo_step_per_pause() {
        let mut doc = doc();
        doc.edit_sample(None, |s| {
            add_option(s);
            Ok::<(), DataError>(())
        })
        .unwrap();
        let t0 = std::time::Instant::now();
        for (i, text) in ["A", "Ac", "Acm", "Acme"].into_iter().enumerate() {
            let at = t0 + std::time::Duration::from_millis(200 * i as u64);
            doc.edit_sample_at(at, Some("option/option1"), |s| {
                set_option(s, "option1", text)
            })
            .unwrap();
        }
        assert_eq!(doc.design().sample.options["option1"], "Acme");
        assert!(doc.undo());
        assert_eq!(
            doc.design().sample.options["option1"],
            "",
            "four keys, one step"
        );
    }

    #[test]
    fn an_imported_table_replaces_the_profiles_in_one_step() {
        let mut doc = doc();
        let t = import::parse_table(
            "email,score\na@x,1\nb@x,2\n",
            import::TextFormat::Csv,
            Some(&doc.design().sample.profiles.columns),
        )
        .unwrap();
        let s = undoable(&mut doc, |s| set_table(s, &P, &t));
        assert_eq!(s.profiles.columns[1].ty, Type::Integer);
        assert_eq!(s.profiles.rows.len(), 2);
        let mut path = String::new();
        undoable(&mut doc, |s| {
            path = add_file_with(s, "/incoming/a.csv", &t)?;
            Ok(())
        });
        assert_eq!(path, "/incoming/a-2.csv");
    }

    #[test]
    fn missing_data_is_created_where_the_run_looked() {
        let mut doc = doc();
        let mut made = None;
        let missing = MissingData::File {
            pattern: "/incoming/clients_*.csv".into(),
            columns: vec!["email".into(), "firstName".into(), "loyalty".into()],
        };
        let s = undoable(&mut doc, |s| {
            made = Some(create_missing(s, &missing)?);
            Ok(())
        });
        assert_eq!(
            made,
            Some(Created::File("/incoming/clients_sample.csv".into()))
        );
        assert_eq!(
            s.files["/incoming/clients_sample.csv"],
            "email,firstName,loyalty\nana.lima@example.com,Ana,\nben.okafor@example.com,Ben,\nchloe.martin@example.com,Chloé,\n"
        );
        let s = undoable(&mut doc, |s| {
            create_missing(
                s,
                &MissingData::Audience {
                    name: "Gold".into(),
                },
            )
            .map(|_| ())
        });
        assert_eq!(s.audiences["Gold"].len(), 6);
        let s = undoable(&mut doc, |s| {
            create_missing(
                s,
                &MissingData::Option {
                    name: "brand".into(),
                },
            )
            .map(|_| ())
        });
        assert_eq!(s.options["brand"], "");
        assert_eq!(
            refused(&mut doc, |s| create_missing(
                s,
                &MissingData::Audience {
                    name: "Subscribers".into()
                }
            )
            .map(|_| ())),
            "an audience named 'Subscribers' exists already"
        );
    }

    #[test]
    fn refused_cells_follow_the_rows_and_columns_they_are_in() {
        let mut bad = BadCells::default();
        for (r, c) in [(0, 0), (2, 1), (3, 3)] {
            bad.mark((P, r, c), format!("{r}{c}"), "no".into());
        }
        bad.after(&DataCommand::DeleteRow { table: P, row: 2 });
        assert!(bad.get(&(P, 2, 1)).is_none());
        assert_eq!(bad.get(&(P, 2, 3)).map(|b| b.text.as_str()), Some("33"));
        bad.after(&DataCommand::MoveColumn {
            table: P,
            column: 3,
            to: 0,
        });
        assert_eq!(bad.get(&(P, 2, 0)).map(|b| b.text.as_str()), Some("33"));
        assert_eq!(bad.get(&(P, 0, 1)).map(|b| b.text.as_str()), Some("00"));
        bad.after(&DataCommand::SetCell {
            table: P,
            row: 0,
            column: 1,
            text: "ok".into(),
        });
        assert_eq!(bad.len(), 1);
        bad.after(&DataCommand::RemoveColumn {
            table: P,
            column: 0,
        });
        assert!(bad.is_empty());
        let f = DataTable::File("/a".into());
        bad.mark((f, 0, 0), "x".into(), "no".into());
        bad.after(&DataCommand::RenameFile {
            from: "/a".into(),
            to: "/b".into(),
        });
        assert!(bad.get(&(DataTable::File("/b".into()), 0, 0)).is_some());
    }
}
