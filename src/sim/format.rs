//! The formats of payload files (JSONL and CSV), which files are read in (`payloads`) and
//! generated in (`generate`).

use std::path::Path;

/// The format of a payload file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadFormat {
    /// One JSON payload per line; blank lines are skipped.
    Jsonl,
    /// A header row naming the parameters, then one payload per row.
    Csv,
}

impl PayloadFormat {
    /// The format a file name says: `.csv` (any case) is CSV, anything else JSONL.
    pub fn from_path(path: &Path) -> PayloadFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => PayloadFormat::Csv,
            _ => PayloadFormat::Jsonl,
        }
    }

    /// The name users see (`JSONL`, `CSV`).
    pub fn name(self) -> &'static str {
        match self {
            PayloadFormat::Jsonl => "JSONL",
            PayloadFormat::Csv => "CSV",
        }
    }
}
