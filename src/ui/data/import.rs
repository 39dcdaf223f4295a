//! Tables read from text and written back, without egui: CSV and JSONL files imported into the
//! profiles table or the file store, rows pasted from a spreadsheet (TSV or CSV), a stored
//! file's CSV text shown as a table, and tables exported as CSV or JSONL.
//!
//! Reading is forgiving where a serious tool is (a UTF-8 byte order mark is dropped; the
//! separator is found from the header line: comma, semicolon, tab or bar; quoted cells may hold
//! separators, quotes and line breaks) and strict where guessing would lose data: a row with
//! another number of cells than the header, a header cell that is empty or repeated, text that
//! is not UTF-8, a JSONL line that is not a flat object, or a cell that does not read as its
//! column's type is an [`ImportError`] naming its line and column, and nothing is imported.
//! Cells of a typed table are checked with the design loader's own rules and messages
//! ([`Value::parse_as`]).

use crate::model::{Column, ParseValueError, Table, Type, Value};
use crate::ui::words::count_s;
use std::io::Read as _;
use std::path::Path;

/// The largest file the Data tab imports: sample data lives in the design file (and in each
/// undo step), so a larger file is refused with advice to import a sample of it.
pub const MAX_IMPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Why a text does not import; nothing is imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        message: String,
    },
    /// The file is larger than [`MAX_IMPORT_BYTES`].
    #[error(
        "{path} is larger than the 16 MiB the Data tab imports (sample data is kept in the design \
         file): import a sample of it"
    )]
    TooLarge {
        /// The file.
        path: String,
    },
    /// Bytes that are not UTF-8.
    #[error(
        "line {line}, column {column}: the text is not UTF-8; save the file as UTF-8 and import it again"
    )]
    NotUtf8 {
        /// The line, from 1.
        line: usize,
        /// The byte in the line, from 1.
        column: usize,
    },
    /// Nothing but blank lines.
    #[error("the text is empty: it needs a header row naming the columns")]
    Empty,
    /// A header cell without a name.
    #[error("line {line}, column {column}: the header cell is empty; every column needs a name")]
    UnnamedColumn {
        /// The header's line.
        line: usize,
        /// The column, from 1.
        column: usize,
    },
    /// Two header cells with one name.
    #[error("line {line}: column '{name}' is named twice (columns {first} and {second})")]
    RepeatedColumn {
        /// The header's line.
        line: usize,
        /// The name.
        name: String,
        /// The first column, from 1.
        first: usize,
        /// The second, from 1.
        second: usize,
    },
    /// A row with another number of cells than the header.
    #[error(
        "line {line} has {} where {expected} are expected (one per column{separator}); quote a \
         cell that holds the separator",
        count_s(*found, "cell")
    )]
    Ragged {
        /// The row's line.
        line: usize,
        /// Cells found.
        found: usize,
        /// Columns.
        expected: usize,
        /// `, separated by ';'` when the separator is not a comma.
        separator: String,
    },
    /// A cell that does not read as its column's type.
    #[error("line {line}, column {column} ('{name}'): {source}")]
    Cell {
        /// The row's line.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// The column's name.
        name: String,
        /// What was wrong.
        source: ParseValueError,
    },
    /// A JSONL line that is not JSON.
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// The line.
        line: usize,
        /// The character in the line, from 1.
        column: usize,
        /// What the JSON reader said.
        message: String,
    },
    /// A JSONL line that is not an object.
    #[error(
        "line {line}: expected a JSON object such as {{\"email\": \"a@example.com\"}}, one per line"
    )]
    NotObject {
        /// The line.
        line: usize,
    },
    /// A JSONL value that is an object or an array.
    #[error(
        "line {line}, key '{key}': an object or array cannot be a cell; use text, a number or a boolean"
    )]
    Nested {
        /// The line.
        line: usize,
        /// The key.
        key: String,
    },
    /// A CSV reader error.
    #[error("line {line}: {message}")]
    Csv {
        /// The line.
        line: usize,
        /// What the CSV reader said.
        message: String,
    },
    /// A table that could not be written as CSV.
    #[error("cannot write the table as CSV: {0}")]
    Write(String),
}

/// How a file's text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// A header row, then one row per line (the separator found from the header).
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl TextFormat {
    /// JSONL for `.jsonl` and `.ndjson` names, CSV otherwise.
    pub fn of_path(path: &Path) -> TextFormat {
        let jsonl = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
        if jsonl {
            TextFormat::Jsonl
        } else {
            TextFormat::Csv
        }
    }
}

/// The header and the rows of a text, each row with its line.
struct Raw {
    header_line: usize,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

/// Reads a file to import: at most [`MAX_IMPORT_BYTES`], UTF-8, its byte order mark dropped.
pub fn read_file(path: &Path) -> Result<String, ImportError> {
    let shown = path.display().to_string();
    let io = |e: std::io::Error| ImportError::Io {
        path: shown.clone(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { path: shown });
    }
    utf8(bytes)
}

/// The bytes as text, or where they stop being UTF-8.
pub fn utf8(bytes: Vec<u8>) -> Result<String, ImportError> {
    String::from_utf8(bytes).map_err(|e| {
        let ok = e
            .as_bytes()
            .get(..e.utf8_error().valid_up_to())
            .unwrap_or(&[]);
        let line_start = ok.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        ImportError::NotUtf8 {
            line: ok.iter().filter(|b| **b == b'\n').count() + 1,
            column: ok.len() - line_start + 1,
        }
    })
}

/// The text without a leading byte order mark.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The separator of a CSV text: the one of comma, semicolon, tab and bar that its first line
/// holds most often outside quotes (a comma when it holds none).
pub fn sniff_separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(s, _)| *s == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .fold((b',', 0), |best, c| if c.1 > best.1 { *c } else { best })
        .0
}

/// Reads CSV text (separator found from the header line): the header and the rows.
fn read_csv(text: &str, separator: u8) -> Result<Raw, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv {
            line: e.position().map_or(0, |p| p.line() as usize),
            message: e.to_string(),
        })?;
        // The reader skips blank lines itself.
        let line = record.position().map_or(0, |p| p.line() as usize);
        records.push((line, record.iter().map(str::to_owned).collect::<Vec<_>>()));
    }
    let mut records = records.into_iter();
    let (header_line, header) = records.next().ok_or(ImportError::Empty)?;
    let header = header.into_iter().map(|h| h.trim().to_owned()).collect();
    let rows: Vec<(usize, Vec<String>)> = records.collect();
    let raw = Raw {
        header_line,
        header,
        rows,
    };
    check_header(&raw)?;
    check_widths(&raw, separator)?;
    Ok(raw)
}

/// Every header cell has a name, and no name is used twice.
fn check_header(raw: &Raw) -> Result<(), ImportError> {
    for (i, name) in raw.header.iter().enumerate() {
        if name.is_empty() {
            return Err(ImportError::UnnamedColumn {
                line: raw.header_line,
                column: i + 1,
            });
        }
        if let Some(first) = raw.header[..i].iter().position(|n| n == name) {
            return Err(ImportError::RepeatedColumn {
                line: raw.header_line,
                name: name.clone(),
                first: first + 1,
                second: i + 1,
            });
        }
    }
    Ok(())
}

/// Every row has one cell per column.
fn check_widths(raw: &Raw, separator: u8) -> Result<(), ImportError> {
    let expected = raw.header.len();
    match raw.rows.iter().find(|(_, r)| r.len() != expected) {
        Some((line, r)) => Err(ImportError::Ragged {
            line: *line,
            found: r.len(),
            expected,
            separator: separator_words(separator),
        }),
        None => Ok(()),
    }
}

fn separator_words(separator: u8) -> String {
    match separator {
        b',' => String::new(),
        b'\t' => ", separated by tabs".to_owned(),
        s => format!(", separated by '{}'", char::from(s)),
    }
}

/// Reads JSONL text: the keys of every line, in the order first seen, are the columns.
fn read_jsonl(text: &str) -> Result<Raw, ImportError> {
    let mut header: Vec<String> = Vec::new();
    let mut objects = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let json: serde_json::Value =
            serde_json::from_str(line).map_err(|e| ImportError::Json {
                line: i + 1,
                column: e.column(),
                message: e.to_string(),
            })?;
        let serde_json::Value::Object(map) = json else {
            return Err(ImportError::NotObject { line: i + 1 });
        };
        for k in map.keys() {
            if !header.contains(k) {
                header.push(k.clone());
            }
        }
        objects.push((i + 1, map));
    }
    if objects.is_empty() {
        return Err(ImportError::Empty);
    }
    let rows = objects
        .into_iter()
        .map(|(line, map)| {
            let cells = header
                .iter()
                .map(|k| json_cell(line, k, map.get(k)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((line, cells))
        })
        .collect::<Result<Vec<_>, ImportError>>()?;
    let raw = Raw {
        header_line: 1,
        header,
        rows,
    };
    check_header(&raw)?;
    Ok(raw)
}

/// A JSON value as a cell's text (null and a missing key are empty).
fn json_cell(line: usize, key: &str, v: Option<&serde_json::Value>) -> Result<String, ImportError> {
    use serde_json::Value as J;
    Ok(match v {
        None | Some(J::Null) => String::new(),
        Some(J::String(s)) => s.clone(),
        Some(J::Bool(b)) => b.to_string(),
        Some(J::Number(n)) => n.to_string(),
        Some(J::Array(_) | J::Object(_)) => {
            return Err(ImportError::Nested {
                line,
                key: key.to_owned(),
            });
        }
    })
}

/// A table from a file's text. With `typed_like` (the profiles' columns), a column keeps the
/// type of the column of its name there and a new column gets the narrowest type all its cells
/// read as; every cell is checked. Without it, every column is text (the file store).
pub fn parse_table(
    text: &str,
    format: TextFormat,
    typed_like: Option<&[Column]>,
) -> Result<Table, ImportError> {
    let text = without_bom(text);
    let raw = match format {
        TextFormat::Csv => read_csv(text, sniff_separator(text))?,
        TextFormat::Jsonl => read_jsonl(text)?,
    };
    let columns: Vec<Column> = raw
        .header
        .iter()
        .enumerate()
        .map(|(i, name)| Column {
            name: name.clone(),
            ty: match typed_like {
                None => Type::String,
                Some(like) => like
                    .iter()
                    .find(|c| c.name == *name)
                    .map_or_else(|| infer(raw.rows.iter().map(|(_, r)| r.get(i))), |c| c.ty),
            },
        })
        .collect();
    check_cells(&columns, &raw.rows)?;
    Ok(Table {
        columns,
        rows: raw.rows.into_iter().map(|(_, r)| r).collect(),
    })
}

/// The narrowest type every non-empty cell reads as: Integer, Decimal, Date, DateTime, Boolean
/// (`true`/`false`), else String.
fn infer<'a>(cells: impl Iterator<Item = Option<&'a String>> + Clone) -> Type {
    let filled = cells.flatten().filter(|c| !c.trim().is_empty());
    if filled.clone().next().is_none() {
        return Type::String;
    }
    let all = |ty: Type| filled.clone().all(|c| Value::parse_as(c, ty).is_ok());
    let words = filled
        .clone()
        .all(|c| matches!(c.trim().to_ascii_lowercase().as_str(), "true" | "false"));
    [Type::Integer, Type::Decimal, Type::Date, Type::DateTime]
        .into_iter()
        .find(|ty| all(*ty))
        .or(words.then_some(Type::Boolean))
        .unwrap_or(Type::String)
}

/// Every cell reads as its column's type (an empty cell is a null and always does).
fn check_cells(columns: &[Column], rows: &[(usize, Vec<String>)]) -> Result<(), ImportError> {
    for (line, row) in rows {
        for (i, (cell, col)) in row.iter().zip(columns).enumerate() {
            check_cell(*line, i, col, cell)?;
        }
    }
    Ok(())
}

/// One cell of `col` (column `i`, from 0) at `line`.
fn check_cell(line: usize, i: usize, col: &Column, cell: &str) -> Result<(), ImportError> {
    if cell.is_empty() || col.ty == Type::String {
        return Ok(());
    }
    Value::parse_as(cell, col.ty)
        .map(|_| ())
        .map_err(|source| ImportError::Cell {
            line,
            column: i + 1,
            name: col.name.clone(),
            source,
        })
}

/// The rows of pasted text for a table of `columns`: tab-separated when its first line holds a
/// tab (as spreadsheets copy), else CSV with the separator found; a first row naming the
/// columns is skipped; each row needs one cell per column and cells that read as their types.
pub fn parse_paste(text: &str, columns: &[Column]) -> Result<Vec<Vec<String>>, ImportError> {
    let text = without_bom(text);
    let separator = if text.lines().next().is_some_and(|l| l.contains('\t')) {
        b'\t'
    } else {
        sniff_separator(text)
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv {
            line: e.position().map_or(0, |p| p.line() as usize),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line, record.iter().map(str::to_owned).collect::<Vec<_>>()));
    }
    let is_header = |r: &[String]| {
        r.len() == columns.len()
            && r.iter()
                .zip(columns)
                .all(|(c, col)| c.trim().eq_ignore_ascii_case(&col.name))
    };
    if rows.first().is_some_and(|(_, r)| is_header(r)) {
        rows.remove(0);
    }
    if let Some((line, r)) = rows.iter().find(|(_, r)| r.len() != columns.len()) {
        return Err(ImportError::Ragged {
            line: *line,
            found: r.len(),
            expected: columns.len(),
            separator: separator_words(separator),
        });
    }
    check_cells(columns, &rows)?;
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// A stored file's CSV text as a table of text columns (read as the simulator reads it: comma
/// separated, a header row).
pub fn file_table(text: &str) -> Result<Table, ImportError> {
    let raw = read_csv(without_bom(text), b',')?;
    Ok(Table {
        columns: raw
            .header
            .into_iter()
            .map(|name| Column {
                name,
                ty: Type::String,
            })
            .collect(),
        rows: raw.rows.into_iter().map(|(_, r)| r).collect(),
    })
}

/// A table as CSV text: a header row of the column names, then the rows (cells quoted when
/// they need it), each line ending in a newline.
pub fn to_csv(table: &Table) -> Result<String, ImportError> {
    let write = |e: &dyn std::fmt::Display| ImportError::Write(e.to_string());
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(table.columns.iter().map(|c| c.name.as_str()))
        .map_err(|e| write(&e))?;
    for row in &table.rows {
        w.write_record(row).map_err(|e| write(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| write(&e))?;
    String::from_utf8(bytes).map_err(|e| write(&e))
}

/// A table as JSONL: one object per row, keys in column order, values typed by the columns
/// (numbers, booleans; an empty cell is null; a cell that does not read stays text).
pub fn to_jsonl(table: &Table) -> String {
    let mut out = String::new();
    for row in &table.rows {
        let mut map = serde_json::Map::new();
        for (col, cell) in table.columns.iter().zip(row) {
            let v = if cell.is_empty() {
                serde_json::Value::Null
            } else {
                Value::parse_as(cell, col.ty)
                    .map_or_else(|_| serde_json::Value::String(cell.clone()), |v| v.to_json())
            };
            map.insert(col.name.clone(), v);
        }
        out.push_str(&serde_json::Value::Object(map).to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn profiles() -> Vec<Column> {
        vec![
            Column {
                name: "email".into(),
                ty: Type::String,
            },
            Column {
                name: "age".into(),
                ty: Type::Integer,
            },
        ]
    }

    #[test]
    fn csv_with_a_bom_semicolons_and_quotes_reads_with_types_kept_and_inferred() {
        let text = "\u{feff}email;age;joined;vip\n\"a;b@example.com\";34;2024-01-02;true\n\"c \"\"q\"\"\";;2024-02-03;false\n";
        let t = parse_table(text, TextFormat::Csv, Some(&profiles())).unwrap();
        let names: Vec<_> = t.columns.iter().map(|c| (c.name.as_str(), c.ty)).collect();
        assert_eq!(
            names,
            [
                ("email", Type::String),
                ("age", Type::Integer),
                ("joined", Type::Date),
                ("vip", Type::Boolean)
            ]
        );
        assert_eq!(t.rows[0][0], "a;b@example.com");
        assert_eq!(t.rows[1][0], "c \"q\"");
        assert_eq!(t.rows[1][1], "", "an empty cell is a null");
        t.typed_rows().unwrap();
    }

    #[test]
    fn a_ragged_row_names_its_line_and_the_separator() {
        let e = parse_table("a;b\n1;2\n3\n", TextFormat::Csv, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 3 has 1 cell where 2 are expected (one per column, separated by ';'); quote a cell that holds the separator"
        );
    }

    #[test]
    fn a_cell_that_does_not_fit_its_column_names_line_and_column() {
        let e = parse_table(
            "email,age\nx@example.com,34\ny@example.com,4x\n",
            TextFormat::Csv,
            Some(&profiles()),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 3, column 2 ('age'): \"4x\" is not a valid Integer (expected something like 42)"
        );
    }

    #[test]
    fn a_quoted_line_break_keeps_the_lines_of_later_rows() {
        let e = parse_table(
            "email,age\n\"two\nlines\",1\nz,oops\n",
            TextFormat::Csv,
            Some(&profiles()),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("line 4, column 2"), "{e}");
    }

    #[test]
    fn headers_must_be_named_once() {
        let e = parse_table("a,,c\n", TextFormat::Csv, None).unwrap_err();
        assert_eq!(e, ImportError::UnnamedColumn { line: 1, column: 2 });
        let e = parse_table("a,b,a\n", TextFormat::Csv, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1: column 'a' is named twice (columns 1 and 3)"
        );
        assert_eq!(
            parse_table("\n\n", TextFormat::Csv, None).unwrap_err(),
            ImportError::Empty
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_name_their_line_and_column() {
        let e = utf8(b"a,b\nok,\xff\n".to_vec()).unwrap_err();
        assert_eq!(e, ImportError::NotUtf8 { line: 2, column: 4 });
    }

    #[test]
    fn jsonl_columns_are_the_keys_in_order_and_nested_values_are_refused() {
        let t = parse_table(
            "{\"email\":\"a@x\",\"age\":3}\n\n{\"email\":\"b@x\",\"vip\":true,\"age\":null}\n",
            TextFormat::Jsonl,
            Some(&profiles()),
        )
        .unwrap();
        assert_eq!(t.columns.len(), 3);
        assert_eq!(t.columns[2].ty, Type::Boolean);
        assert_eq!(t.rows[0], ["a@x", "3", ""]);
        assert_eq!(t.rows[1], ["b@x", "", "true"]);
        let e = parse_table("{\"a\":[1]}\n", TextFormat::Jsonl, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1, key 'a': an object or array cannot be a cell; use text, a number or a boolean"
        );
        let e = parse_table("{\"a\":1}\n{\"a\":\n", TextFormat::Jsonl, None).unwrap_err();
        assert!(e.to_string().starts_with("line 2, column"), "{e}");
        let e = parse_table("[1]\n", TextFormat::Jsonl, None).unwrap_err();
        assert_eq!(e, ImportError::NotObject { line: 1 });
    }

    #[test]
    fn pasted_rows_skip_a_header_and_are_checked() {
        let rows = parse_paste(
            "email\tage\nx@example.com\t3\ny@example.com\t\n",
            &profiles(),
        )
        .unwrap();
        assert_eq!(rows, [["x@example.com", "3"], ["y@example.com", ""]]);
        let rows = parse_paste("z@example.com,5\r\n", &profiles()).unwrap();
        assert_eq!(rows, [["z@example.com", "5"]]);
        let e = parse_paste("x\t1\ty\n", &profiles()).unwrap_err();
        assert!(e.to_string().starts_with("line 1 has 3 cells"), "{e}");
        let e = parse_paste("x\tabc\n", &profiles()).unwrap_err();
        assert!(e.to_string().starts_with("line 1, column 2 ('age')"), "{e}");
    }

    #[test]
    fn tables_round_trip_through_csv_and_export_typed_jsonl() {
        let t = Table {
            columns: profiles(),
            rows: vec![
                vec!["a,b \"x\"".into(), "3".into()],
                vec!["line\nbreak".into(), String::new()],
            ],
        };
        let csv = to_csv(&t).unwrap();
        assert_eq!(file_table(&csv).unwrap().rows, t.rows);
        assert_eq!(
            to_jsonl(&t),
            "{\"email\":\"a,b \\\"x\\\"\",\"age\":3}\n{\"email\":\"line\\nbreak\",\"age\":null}\n"
        );
        let back = parse_table(&to_jsonl(&t), TextFormat::Jsonl, Some(&profiles())).unwrap();
        assert_eq!(back.rows, t.rows);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_without_reading_it_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(MAX_IMPORT_BYTES + 10).unwrap();
        let e = read_file(&path).unwrap_err();
        assert!(matches!(e, ImportError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("16 MiB"));
        let e = read_file(&dir.path().join("none.csv")).unwrap_err();
        assert!(e.to_string().starts_with("cannot read"), "{e}");
    }

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(TextFormat::of_path(Path::new("a.JSONL")), TextFormat::Jsonl);
        assert_eq!(
            TextFormat::of_path(Path::new("a.ndjson")),
            TextFormat::Jsonl
        );
        assert_eq!(TextFormat::of_path(Path::new("a.csv")), TextFormat::Csv);
        assert_eq!(TextFormat::of_path(Path::new("a")), TextFormat::Csv);
    }
}
