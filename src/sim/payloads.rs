//! Payload files for batches: JSONL (one JSON payload per line) and CSV (a header row naming the
//! parameters, one payload per row). Both are read as a stream of [`PayloadLine`]s, the bytes of
//! a `{"source": ..., "parameters": {...}}` payload with the line it comes from, so that every
//! payload of a file goes through the one trigger path and its validation.
//!
//! CSV rules:
//! - The header row names the columns; names are trimmed. A column named `source` gives the
//!   payload's `source` (an empty cell, or no such column, gives [`DEFAULT_CSV_SOURCE`]), unless
//!   the signal itself declares a parameter named `source`, which then takes the column.
//! - CSV has no types, so the signal's contract types the cells: a cell of an Integer, Decimal or
//!   Boolean parameter that reads as that type (the same reading as the Lenient policy) becomes
//!   a JSON number or boolean, under both conversion policies; any other cell stays a string, so
//!   that validation reports a value that does not fit and names its parameter.
//! - An empty cell means the parameter is omitted (its default applies, or a required one is
//!   reported missing).
//! - A column that the signal does not declare is passed through, so validation rejects the row
//!   naming it.
//! - A malformed file (rows with a different number of fields than the header, text that is not
//!   UTF-8, a header with an empty or repeated name, no header at all) is an error that says its
//!   line; it stops the whole file rather than one row.

use super::format::PayloadFormat;
use super::generate::{EXPECT_KEY, Expect, take_expectation};
use super::trigger::MAX_PAYLOAD_BYTES;
use crate::model::{SignalContract, Type, Value};
use serde_json::{Map, Value as Json};
use std::io::{self, BufRead, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The `source` of CSV rows that do not give one.
pub const DEFAULT_CSV_SOURCE: &str = "csv";

/// The CSV column that gives the payload's source.
pub const SOURCE_COLUMN: &str = "source";

/// One payload of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadLine {
    /// The 1-based line of the file where the payload starts.
    pub line: usize,
    /// The payload's bytes (JSON).
    pub bytes: Vec<u8>,
    /// What the line expects (`flowcall payloads` marks each line it generates).
    pub expect: Option<Expect>,
}

/// The most bytes one JSONL line or CSV row may take: twice the 64 KiB a payload may have, so
/// that a payload a little over the limit is still read whole and rejected for its size, with
/// that size, as every entry point rejects it. A longer line stops the file: it is not a payload
/// file (`/dev/zero`, a dump on one line), and reading it whole could take all memory.
pub const MAX_LINE_BYTES: usize = 2 * MAX_PAYLOAD_BYTES;

/// Why a payload file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    /// A line (a CSV row) is longer than [`MAX_LINE_BYTES`].
    #[error(
        "line {line}: longer than {MAX_LINE_BYTES} bytes, while a payload may have 64 KiB ({MAX_PAYLOAD_BYTES} bytes): this is not a payload file of one payload per line (JSONL) or per row (CSV); nothing after it was read"
    )]
    TooLong {
        /// The 1-based line where the long line or row starts.
        line: u64,
    },
    /// The file could not be read.
    #[error("cannot read the payloads: {0}")]
    Io(io::Error),
    /// The CSV is malformed.
    #[error("line {line}: {message}")]
    Csv {
        /// The 1-based line of the problem.
        line: u64,
        /// What is wrong and what to do.
        message: String,
    },
}

// The messages above hold their cause (`{0}`), so the cause is not also a `source()`: an error
// chain printed at the edge (`{:#}`) would say it twice ("Broken pipe: Broken pipe").
impl From<io::Error> for PayloadError {
    fn from(e: io::Error) -> PayloadError {
        PayloadError::Io(e)
    }
}

/// A stream of payloads read from a file.
pub trait PayloadSource {
    /// The next payload, `None` at the end.
    fn next_payload(&mut self) -> Result<Option<PayloadLine>, PayloadError>;
    /// The bytes read so far (for progress).
    fn bytes_read(&self) -> u64;
}

/// Opens a payload stream over `input` in `format`. `contract` types CSV cells (without it
/// every cell stays a string); JSONL lines are passed as they are.
pub fn open_payloads<'a, R: BufRead + 'a>(
    input: R,
    format: PayloadFormat,
    contract: Option<&SignalContract>,
) -> Result<Box<dyn PayloadSource + 'a>, PayloadError> {
    Ok(match format {
        PayloadFormat::Jsonl => Box::new(JsonlPayloads::new(input)),
        PayloadFormat::Csv => Box::new(CsvPayloads::new(input, contract)?),
    })
}

/// Counts the payloads of a file (non-blank JSONL lines, CSV rows after the header); a CSV file
/// is checked for the same problems as when it runs.
pub fn count_payloads<R: BufRead>(input: R, format: PayloadFormat) -> Result<usize, PayloadError> {
    match format {
        PayloadFormat::Jsonl => {
            let mut source = JsonlPayloads::new(input);
            let mut n = 0;
            while source.next_line()?.is_some() {
                n += 1;
            }
            Ok(n)
        }
        PayloadFormat::Csv => CsvPayloads::new(input, None)?.count(),
    }
}

/// JSONL payloads: one per non-blank line.
#[derive(Debug)]
pub struct JsonlPayloads<R> {
    input: R,
    line: usize,
    read: u64,
}

impl<R: BufRead> JsonlPayloads<R> {
    /// Payloads from the lines of `input`.
    pub fn new(input: R) -> Self {
        JsonlPayloads {
            input,
            line: 0,
            read: 0,
        }
    }

    fn next_line(&mut self) -> Result<Option<PayloadLine>, PayloadError> {
        loop {
            let mut buf = Vec::new();
            let n = match read_line_capped(&mut self.input, &mut buf, MAX_LINE_BYTES)? {
                Line::End => return Ok(None),
                Line::Read(n) => n,
                Line::TooLong => {
                    return Err(PayloadError::TooLong {
                        line: self.line as u64 + 1,
                    });
                }
            };
            self.read += n as u64;
            self.line += 1;
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            if !buf.iter().all(u8::is_ascii_whitespace) {
                let expect = take_expectation(&mut buf);
                return Ok(Some(PayloadLine {
                    line: self.line,
                    bytes: buf,
                    expect,
                }));
            }
        }
    }
}

/// What [`read_line_capped`] read.
enum Line {
    /// A line (with its end) of this many bytes.
    Read(usize),
    /// The end of the input.
    End,
    /// A line longer than the cap; the input stops there.
    TooLong,
}

/// [`BufRead::read_until`] of a line end, but at most `cap` bytes (and the line end) are kept:
/// a longer line is [`Line::TooLong`] once `cap` bytes of it are read, never more.
fn read_line_capped<R: BufRead>(input: &mut R, buf: &mut Vec<u8>, cap: usize) -> io::Result<Line> {
    let mut total = 0;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(if total == 0 {
                Line::End
            } else {
                Line::Read(total)
            });
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (available.get(..=i).unwrap_or(available), true),
            None => (available, false),
        };
        let content = chunk.len() - usize::from(done);
        if buf.len() + content > cap {
            return Ok(Line::TooLong);
        }
        buf.extend_from_slice(chunk);
        let used = chunk.len();
        input.consume(used);
        total += used;
        if done {
            return Ok(Line::Read(total));
        }
    }
}

impl<R: BufRead> PayloadSource for JsonlPayloads<R> {
    fn next_payload(&mut self) -> Result<Option<PayloadLine>, PayloadError> {
        self.next_line()
    }

    fn bytes_read(&self) -> u64 {
        self.read
    }
}

/// What a CSV column feeds.
#[derive(Debug, Clone)]
enum Column {
    /// The payload's `source`.
    Source,
    /// What the row expects ([`EXPECT_KEY`]), not part of the payload.
    Expect,
    /// A parameter, with its declared type (`None`: not declared, passed as text).
    Parameter { name: String, ty: Option<Type> },
}

/// A reader that refuses to give more than [`MAX_LINE_BYTES`] (and a buffer's worth) past the
/// start of the current CSV row: the CSV reader buffers a whole row, so a row with no end would
/// otherwise take all memory.
#[derive(Debug)]
struct RowCap<R> {
    inner: R,
    read: u64,
    row_start: Arc<AtomicU64>,
    over: Arc<AtomicBool>,
}

/// What the CSV reader may read ahead of the row it is on (its buffer is 8 KiB).
const CSV_SLACK: u64 = 64 * 1024;

impl<R: Read> Read for RowCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let limit = self.row_start.load(Ordering::Relaxed) + MAX_LINE_BYTES as u64 + CSV_SLACK;
        if self.read > limit {
            self.over.store(true, Ordering::Relaxed);
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a CSV row longer than a payload file allows",
            ));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// CSV payloads: a header row naming the parameters, then one payload per row.
#[derive(Debug)]
pub struct CsvPayloads<R> {
    reader: csv::Reader<RowCap<R>>,
    columns: Vec<Column>,
    record: csv::StringRecord,
    row_start: Arc<AtomicU64>,
    over: Arc<AtomicBool>,
}

impl<R: Read> CsvPayloads<R> {
    /// Reads the header row of `input`; `contract` types the cells of its parameters.
    pub fn new(input: R, contract: Option<&SignalContract>) -> Result<Self, PayloadError> {
        let row_start = Arc::new(AtomicU64::new(0));
        let over = Arc::new(AtomicBool::new(false));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(RowCap {
                inner: input,
                read: 0,
                row_start: row_start.clone(),
                over: over.clone(),
            });
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(_) if over.load(Ordering::Relaxed) => {
                return Err(PayloadError::TooLong { line: 1 });
            }
            Err(e) => return Err(csv_error(e)),
        };
        row_start.store(reader.position().byte(), Ordering::Relaxed);
        if headers.is_empty() || (headers.len() == 1 && headers.get(0) == Some("")) {
            return Err(PayloadError::Csv {
                line: 1,
                message: "the file is empty: its first row must name the parameters (and \
                          optionally 'source')"
                    .into(),
            });
        }
        let declares_source = contract.is_some_and(|c| c.parameter(SOURCE_COLUMN).is_some());
        let mut columns = Vec::with_capacity(headers.len());
        let mut seen: Vec<&str> = Vec::with_capacity(headers.len());
        for (i, raw) in headers.iter().enumerate() {
            let name = raw.trim();
            if name.is_empty() {
                return Err(PayloadError::Csv {
                    line: 1,
                    message: format!(
                        "column {} of the header has no name: name every column after a parameter",
                        i + 1
                    ),
                });
            }
            if let Some(first) = seen.iter().position(|s| *s == name) {
                return Err(PayloadError::Csv {
                    line: 1,
                    message: format!(
                        "column '{name}' appears twice in the header (columns {} and {})",
                        first + 1,
                        i + 1
                    ),
                });
            }
            seen.push(name);
            columns.push(if name == SOURCE_COLUMN && !declares_source {
                Column::Source
            } else if name == EXPECT_KEY {
                Column::Expect
            } else {
                Column::Parameter {
                    name: name.to_owned(),
                    ty: contract.and_then(|c| c.parameter(name)).map(|p| p.ty),
                }
            });
        }
        Ok(CsvPayloads {
            reader,
            columns,
            record: csv::StringRecord::new(),
            row_start,
            over,
        })
    }

    /// Reads the next row into `self.record`; `false` at the end.
    fn read_row(&mut self) -> Result<bool, PayloadError> {
        let line = self.reader.position().line();
        match self.reader.read_record(&mut self.record) {
            Ok(more) => {
                self.row_start
                    .store(self.reader.position().byte(), Ordering::Relaxed);
                Ok(more)
            }
            Err(_) if self.over.load(Ordering::Relaxed) => Err(PayloadError::TooLong { line }),
            Err(e) => Err(csv_error(e)),
        }
    }

    /// Counts the remaining rows, checking each.
    pub fn count(mut self) -> Result<usize, PayloadError> {
        let mut n = 0;
        while self.read_row()? {
            n += 1;
        }
        Ok(n)
    }

    /// What the current record expects (its `flowcall_expect` cell), if it says.
    fn expectation(&self, line: u64) -> Result<Option<Expect>, PayloadError> {
        let Some(i) = self
            .columns
            .iter()
            .position(|c| matches!(c, Column::Expect))
        else {
            return Ok(None);
        };
        match self.record.get(i).unwrap_or_default() {
            "" => Ok(None),
            cell => Expect::parse(cell).map(Some).ok_or_else(|| PayloadError::Csv {
                line,
                message: format!(
                    "'{cell}' in column {EXPECT_KEY} is not an expectation: write accepted or one of {}",
                    super::generate::Rule::ALL.map(|r| r.name()).join(", ")
                ),
            }),
        }
    }

    /// The payload of the current record.
    fn payload(&self) -> Vec<u8> {
        let mut source = DEFAULT_CSV_SOURCE;
        let mut parameters = Map::new();
        for (column, cell) in self.columns.iter().zip(self.record.iter()) {
            if cell.is_empty() {
                continue;
            }
            match column {
                Column::Source => source = cell,
                Column::Expect => {}
                Column::Parameter { name, ty } => {
                    parameters.insert(name.clone(), cell_json(cell, *ty));
                }
            }
        }
        let mut payload = Map::new();
        payload.insert("source".into(), Json::String(source.to_owned()));
        payload.insert("parameters".into(), Json::Object(parameters));
        serde_json::to_vec(&Json::Object(payload)).unwrap_or_default()
    }
}

impl<R: Read> PayloadSource for CsvPayloads<R> {
    fn next_payload(&mut self) -> Result<Option<PayloadLine>, PayloadError> {
        if !self.read_row()? {
            return Ok(None);
        }
        let line = self
            .record
            .position()
            .map_or_else(|| self.reader.position().line(), csv::Position::line);
        Ok(Some(PayloadLine {
            line: usize::try_from(line).unwrap_or(usize::MAX),
            bytes: self.payload(),
            expect: self.expectation(line)?,
        }))
    }

    fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }
}

/// A cell as JSON: typed when its parameter is an Integer, Decimal or Boolean and it reads as
/// one, text otherwise.
fn cell_json(cell: &str, ty: Option<Type>) -> Json {
    match ty {
        Some(ty @ (Type::Integer | Type::Decimal | Type::Boolean)) => {
            match Value::parse_as(cell, ty).map(|v| v.to_json()) {
                Ok(json) if !json.is_null() => json,
                _ => Json::String(cell.to_owned()),
            }
        }
        _ => Json::String(cell.to_owned()),
    }
}

/// A CSV error with the line it concerns and what to do.
fn csv_error(e: csv::Error) -> PayloadError {
    let line = e.position().map_or(0, csv::Position::line);
    match e.into_kind() {
        csv::ErrorKind::Io(io) => PayloadError::Io(io),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => PayloadError::Csv {
            line,
            message: format!(
                "this row has {len} field(s) but the header has {expected_len}: every row needs \
                 one cell per column (leave a cell empty to omit a parameter)"
            ),
        },
        csv::ErrorKind::Utf8 { err, .. } => PayloadError::Csv {
            line,
            message: format!(
                "field {} is not valid UTF-8 text: save the file as UTF-8",
                err.field() + 1
            ),
        },
        other => PayloadError::Csv {
            line,
            message: format!("not valid CSV: {other:?}"),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::model::{ConversionPolicy, Parameter};
    use std::path::Path;

    fn contract() -> SignalContract {
        let mut c = SignalContract::default();
        let mut name = Parameter::new("name", Type::String);
        name.required = true;
        c.parameters.push(name);
        c.parameters.push(Parameter::new("count", Type::Integer));
        c.parameters.push(Parameter::new("ratio", Type::Decimal));
        c.parameters.push(Parameter::new("vip", Type::Boolean));
        c.parameters.push(Parameter::new("day", Type::Date));
        c
    }

    fn read_all(text: &str, contract: Option<&SignalContract>) -> Vec<(usize, Json)> {
        let mut source = open_payloads(text.as_bytes(), PayloadFormat::Csv, contract).unwrap();
        let mut out = Vec::new();
        while let Some(p) = source.next_payload().unwrap() {
            out.push((p.line, serde_json::from_slice(&p.bytes).unwrap()));
        }
        out
    }

    fn error(text: &str) -> String {
        let mut source = match open_payloads(text.as_bytes(), PayloadFormat::Csv, None) {
            Ok(s) => s,
            Err(e) => return e.to_string(),
        };
        loop {
            match source.next_payload() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("no error in {text:?}"),
                Err(e) => return e.to_string(),
            }
        }
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(
            PayloadFormat::from_path(Path::new("a/b.CSV")),
            PayloadFormat::Csv
        );
        assert_eq!(
            PayloadFormat::from_path(Path::new("b.jsonl")),
            PayloadFormat::Jsonl
        );
        assert_eq!(
            PayloadFormat::from_path(Path::new("csv")),
            PayloadFormat::Jsonl
        );
    }

    #[test]
    fn csv_cells_are_typed_by_the_contract() {
        let c = contract();
        let rows = read_all(
            "source,name,count,ratio,vip,day\ncms,Ann,7,2.5,true,2025-01-06\n,Bob, 12 ,-1,0,\n",
            Some(&c),
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2, "the first row is line 2");
        assert_eq!(
            rows[0].1,
            serde_json::json!({"source": "cms", "parameters": {
                "name": "Ann", "count": 7, "ratio": 2.5, "vip": true, "day": "2025-01-06"}})
        );
        // An empty source cell gives the default; an empty cell omits its parameter.
        assert_eq!(
            rows[1].1,
            serde_json::json!({"source": DEFAULT_CSV_SOURCE, "parameters": {
                "name": "Bob", "count": 12, "ratio": -1.0, "vip": false}})
        );
    }

    #[test]
    fn csv_cells_that_do_not_fit_stay_text_and_validation_names_them() {
        let c = contract();
        let rows = read_all("name,count,vip,colour\nAnn,seven,maybe,red\n", Some(&c));
        let params = &rows[0].1["parameters"];
        assert_eq!(params["count"], "seven");
        assert_eq!(params["vip"], "maybe");
        assert_eq!(params["colour"], "red", "undeclared columns pass through");
        let pairs: Vec<(String, Json)> = params
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let errors = crate::sim::trigger::check_parameters("WKF1", "signal1", &c, &pairs)
            .expect_err("rejected");
        let text: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
        assert!(
            text.iter()
                .any(|m| m.starts_with("'count': expected Integer"))
        );
        assert!(
            text.iter()
                .any(|m| m.starts_with("'vip': expected Boolean"))
        );
        assert!(
            text.iter()
                .any(|m| m.contains("'colour' is not declared by signal 'signal1'"))
        );
    }

    #[test]
    fn csv_numbers_pass_a_strict_signal() {
        let mut c = contract();
        c.conversion = ConversionPolicy::Strict;
        let rows = read_all("name,count\nAnn,7\n", Some(&c));
        let pairs: Vec<(String, Json)> = rows[0].1["parameters"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let injected = crate::sim::trigger::check_parameters("W", "s", &c, &pairs).unwrap();
        assert!(injected.conversions.is_empty());
    }

    #[test]
    fn without_a_contract_every_cell_is_text() {
        let rows = read_all("count\n7\n", None);
        assert_eq!(rows[0].1["parameters"]["count"], "7");
    }

    #[test]
    fn a_declared_source_parameter_takes_the_column() {
        let mut c = SignalContract::default();
        c.parameters.push(Parameter::new("source", Type::String));
        let rows = read_all("source\nweb\n", Some(&c));
        assert_eq!(rows[0].1["source"], DEFAULT_CSV_SOURCE);
        assert_eq!(rows[0].1["parameters"]["source"], "web");
    }

    #[test]
    fn quoted_cells_and_line_numbers() {
        let rows = read_all(
            "name,note\n\"Ann, Jr\",\"two\nlines\"\nBob,\"say \"\"hi\"\"\"\n",
            None,
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1["parameters"]["name"], "Ann, Jr");
        assert_eq!(rows[0].1["parameters"]["note"], "two\nlines");
        assert_eq!(rows[1].0, 4, "a row after a two-line cell starts on line 4");
        assert_eq!(rows[1].1["parameters"]["note"], "say \"hi\"");
    }

    #[test]
    fn a_byte_order_mark_and_crlf_are_accepted() {
        let rows = read_all("\u{feff}name,count\r\nAnn,7\r\n", Some(&contract()));
        assert_eq!(rows[0].1["parameters"]["name"], "Ann");
        assert_eq!(rows[0].1["parameters"]["count"], 7);
    }

    #[test]
    fn malformed_csv_says_its_line() {
        assert_eq!(
            error("name,count\nAnn,1\nBob\n"),
            "line 3: this row has 1 field(s) but the header has 2: every row needs one cell per \
             column (leave a cell empty to omit a parameter)"
        );
        assert!(error("name,name\nAnn,Bob\n").starts_with("line 1: column 'name' appears twice"));
        assert!(error("name,,x\n").starts_with("line 1: column 2 of the header has no name"));
        assert!(error("").starts_with("line 1: the file is empty"));
        let mut bytes = b"name\nAnn\n".to_vec();
        bytes.extend_from_slice(b"\xff\xfe\n");
        let mut source = open_payloads(&bytes[..], PayloadFormat::Csv, None).unwrap();
        assert!(source.next_payload().unwrap().is_some());
        let e = source.next_payload().unwrap_err().to_string();
        assert!(e.starts_with("line 3: field 1 is not valid UTF-8"), "{e}");
    }

    #[test]
    fn counting_skips_blank_lines_and_the_header() {
        let jsonl = "{\"source\":\"a\"}\n\n  \n{\"source\":\"b\"}\n{\"source\":\"c\"}";
        assert_eq!(
            count_payloads(jsonl.as_bytes(), PayloadFormat::Jsonl).unwrap(),
            3
        );
        assert_eq!(
            count_payloads("a,b\n1,2\n3,4\n".as_bytes(), PayloadFormat::Csv).unwrap(),
            2
        );
        assert!(matches!(
            count_payloads("a,b\n1,2\n3\n".as_bytes(), PayloadFormat::Csv),
            Err(PayloadError::Csv { line: 3, .. })
        ));
    }

    #[test]
    fn jsonl_lines_keep_their_numbers() {
        let mut s = JsonlPayloads::new("a\r\n\nb\n".as_bytes());
        let a = s.next_payload().unwrap().unwrap();
        let b = s.next_payload().unwrap().unwrap();
        assert_eq!((a.line, a.bytes.as_slice()), (1, &b"a"[..]));
        assert_eq!((b.line, b.bytes.as_slice()), (3, &b"b"[..]));
        assert!(s.next_payload().unwrap().is_none());
        assert_eq!(s.bytes_read(), 6);
    }

    /// Issue 28, item 5: a payload file was read a line (a row) at a time with no cap, so a
    /// file of one endless line (`/dev/zero`) took all memory. A line or row over
    /// `MAX_LINE_BYTES` now stops the file, naming its line, after that many bytes; a payload a
    /// little over 64 KiB is still read whole (and rejected for its size).
    #[test]
    fn regression_lines_and_rows_are_read_with_a_cap() {
        let near = format!("{{\"source\": \"{}\"}}", "x".repeat(MAX_PAYLOAD_BYTES));
        let text = format!("{{}}\n{near}\n{{}}\n");
        let mut s = JsonlPayloads::new(text.as_bytes());
        assert_eq!(s.next_payload().unwrap().unwrap().line, 1);
        let long = s.next_payload().unwrap().unwrap();
        assert_eq!((long.line, long.bytes.len()), (2, near.len()));
        assert_eq!(s.next_payload().unwrap().unwrap().line, 3);
        // An endless line: the reader stops at the cap, it does not read on.
        let endless = io::BufReader::new(b"{}\n".chain(io::repeat(b'x')));
        let mut s = JsonlPayloads::new(endless);
        assert!(s.next_payload().unwrap().is_some());
        let e = s.next_payload().unwrap_err();
        assert!(matches!(e, PayloadError::TooLong { line: 2 }), "{e}");
        assert!(
            e.to_string()
                .starts_with("line 2: longer than 131072 bytes"),
            "{e}"
        );
        assert!(matches!(
            count_payloads(io::BufReader::new(io::repeat(b'x')), PayloadFormat::Jsonl),
            Err(PayloadError::TooLong { line: 1 })
        ));
        // CSV: a header, one row, then a row with no end.
        let csv = io::BufReader::new(b"audience\ngold\n\"".chain(io::repeat(b'x')));
        let mut s = CsvPayloads::new(csv, None).unwrap();
        assert!(s.next_payload().unwrap().is_some());
        let e = s.next_payload().unwrap_err();
        assert!(matches!(e, PayloadError::TooLong { line: 3 }), "{e}");
        assert!(matches!(
            CsvPayloads::new(io::repeat(b'x'), None),
            Err(PayloadError::TooLong { line: 1 })
        ));
        // A row near the cap is read.
        let row = format!("audience\n{}\n", "y".repeat(MAX_PAYLOAD_BYTES + 10));
        assert_eq!(
            count_payloads(row.as_bytes(), PayloadFormat::Csv).unwrap(),
            1
        );
    }
}
