//! Reading and writing designs: the versioned RON document (`*.flow.ron`), its migrations,
//! errors that say where (line, column, workflow, activity), canonical formatting and atomic
//! saving.

mod comments;
mod files;
mod locate;
pub mod recovery;

pub use comments::{Comment, comments, describe_lines};
pub use files::{
    AtomicFile, MAX_DESIGN_BYTES, ReadError, WriteError, read_capped, read_capped_from, same_file,
    size_text,
};
pub use locate::{Enclosing, enclosing, offset_of};

use crate::model::{Compatibility, Design, SampleData, Scenario, StructureProblem, Workflow};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The format version this build writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// The oldest format version this build reads (through migrations).
pub const OLDEST_FORMAT_VERSION: u32 = 1;

/// Why a design could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read, or is larger than [`MAX_DESIGN_BYTES`].
    #[error(transparent)]
    Read(ReadError),
    /// The file is not UTF-8 text.
    #[error(
        "{}: line {line}, column {column}: the file is not UTF-8 text (byte 0x{byte:02X} at offset {offset}); save it as UTF-8",
        .path.display()
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first byte that is not UTF-8.
        line: usize,
        /// 1-based column (in characters) of that byte.
        column: usize,
        /// Its offset in bytes.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// The text is not valid RON, or does not have the shape of a design.
    #[error("{}", syntax_message(.line, .column, .message, .context))]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
        /// What encloses the position (`in workflow 'WKF1', activity 'end1'`).
        context: Option<String>,
    },
    /// The text has no `format_version`.
    #[error(
        "the file has no format_version; a flowcall design starts with `(format_version: {FORMAT_VERSION}, ...`"
    )]
    MissingVersion,
    /// The file was written by a newer flowcall.
    #[error(
        "the file has format_version {found}, newer than this flowcall supports ({FORMAT_VERSION}); \
         open it with a newer flowcall (the file was not changed)"
    )]
    NewerVersion {
        /// The version in the file.
        found: u32,
    },
    /// The file's version is older than any this build can migrate.
    #[error(
        "the file has format_version {found}, which this flowcall cannot read (it reads {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION})"
    )]
    UnknownVersion {
        /// The version in the file.
        found: u32,
    },
    /// The design parses but breaks a structural rule.
    #[error("{}", structure_message(.0))]
    Structure(Vec<StructureProblem>),
}

fn syntax_message(line: &usize, column: &usize, message: &str, context: &Option<String>) -> String {
    match context {
        Some(c) => format!("line {line}, column {column} ({c}): {message}"),
        None => format!("line {line}, column {column}: {message}"),
    }
}

fn structure_message(problems: &[StructureProblem]) -> String {
    let mut s = format!(
        "the design has {} structural problem{}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    s
}

/// Why a design could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Serialisation failed (should not happen for a valid design).
    #[error("cannot write the design as RON: {0}")]
    Serialize(String),
    /// The file system refused, or the file may not be written.
    #[error(transparent)]
    Write(WriteError),
    /// The target file was written by a newer flowcall; it is left untouched.
    #[error(
        "{} has format_version {found}, newer than this flowcall ({FORMAT_VERSION}); it was not overwritten. Save under another name",
        .path.display()
    )]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: u32,
    },
}

/// The document as written: the format version first, then the design.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(
    title = "flowcall design",
    description = "A flowcall design document: workflows, sample data for simulation and saved scenarios. The JSON form of a `.flow.ron` file (the `json` export)."
)]
struct DocumentOut<'a> {
    format_version: u32,
    compatibility: &'a Compatibility,
    workflows: &'a [Workflow],
    sample: &'a SampleData,
    scenarios: &'a [Scenario],
}

/// The JSON Schema (2020-12) of the design document (JSON form), as shipped in
/// `assets/flowcall-design.schema.json`.
pub fn document_schema() -> String {
    let mut schema = schemars::schema_for!(DocumentOut<'static>);
    schema.insert(
        "$id".into(),
        serde_json::json!(format!("urn:flowcall:design:{FORMAT_VERSION}")),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

fn document(design: &Design) -> DocumentOut<'_> {
    DocumentOut {
        format_version: FORMAT_VERSION,
        compatibility: &design.compatibility,
        workflows: &design.workflows,
        sample: &design.sample,
        scenarios: &design.scenarios,
    }
}

/// The document as read (version 1).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentV1 {
    #[serde(default)]
    format_version: u32,
    #[serde(default)]
    compatibility: Compatibility,
    #[serde(default)]
    workflows: Vec<Workflow>,
    #[serde(default)]
    sample: SampleData,
    #[serde(default)]
    scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
struct VersionProbe {
    /// 0 when absent (no real version is 0).
    #[serde(default)]
    format_version: u32,
}

/// The deepest nesting of brackets a design text may have. A design nests about a dozen
/// levels; the limit keeps the parser's recursion bounded on hostile text.
const MAX_NESTING: usize = 128;

fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(MAX_NESTING)
}

/// What the parser expected, in words a designer can act on (the parser's own words for a too
/// deep text are advice to a programmer using the RON library).
fn ron_message(code: &ron::error::Error) -> String {
    match code {
        ron::error::Error::ExceededRecursionLimit => format!(
            "the text nests brackets more than {MAX_NESTING} levels deep, where a design nests about a dozen: look for brackets opened and never closed before this point"
        ),
        other => option_field(
            other
                .to_string()
                .replace("struct `VersionProbe`", "a flowcall design")
                .replace("struct `DocumentV1`", "a flowcall design"),
        ),
    }
}

/// A parser's message about an activity option's enum, naming the option's field too
/// (`in enum `OnError`,` becomes `in enum `OnError` of options.on_error ("In case of error"):`).
fn option_field(message: String) -> String {
    crate::model::OPTION_ENUMS
        .iter()
        .fold(message, |m, (name, field)| {
            m.replace(
                &format!("in enum `{name}`,"),
                &format!("in enum `{name}` of {field}:"),
            )
        })
}

fn syntax_error(text: &str, e: &ron::error::SpannedError) -> LoadError {
    let line = e.span.start.line;
    let column = e.span.start.col;
    let context = enclosing(text, offset_of(text, line, column)).describe();
    LoadError::Syntax {
        line,
        column,
        message: ron_message(&e.code),
        context,
    }
}

/// The format version a text declares, without reading the rest.
pub fn probe_version(text: &str) -> Result<u32, LoadError> {
    let probe: VersionProbe = ron_options()
        .from_str(text)
        .map_err(|e| syntax_error(text, &e))?;
    match probe.format_version {
        0 => Err(LoadError::MissingVersion),
        v => Ok(v),
    }
}

/// `text` without a leading byte order mark (U+FEFF), which some editors write at the start of
/// UTF-8 files; it says nothing about the design.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Reads a design from RON text, migrating older versions and refusing newer ones. A leading
/// byte order mark is skipped.
pub fn load_str(text: &str) -> Result<Design, LoadError> {
    let text = without_bom(text);
    // Parse as the current version first (one pass in the common case); only when that fails,
    // or gives another version, look at the version alone to say the right thing.
    let doc = match ron_options().from_str::<DocumentV1>(text) {
        Ok(doc) if doc.format_version == FORMAT_VERSION => doc,
        parsed => {
            let version = probe_version(text)?;
            if version > FORMAT_VERSION {
                return Err(LoadError::NewerVersion { found: version });
            }
            if version < OLDEST_FORMAT_VERSION {
                return Err(LoadError::UnknownVersion { found: version });
            }
            // Version 1 is the only version so far; a later version adds a migration step
            // from `DocumentV1` here.
            parsed.map_err(|e| syntax_error(text, &e))?
        }
    };
    finish(doc)
}

fn finish(doc: DocumentV1) -> Result<Design, LoadError> {
    let design = Design {
        compatibility: doc.compatibility,
        workflows: doc.workflows,
        sample: doc.sample,
        scenarios: doc.scenarios,
    };
    let problems = design.structure_problems();
    if problems.is_empty() {
        Ok(design)
    } else {
        Err(LoadError::Structure(problems))
    }
}

/// What the user can do with a design file over [`MAX_DESIGN_BYTES`].
const DESIGN_TOO_LARGE: &str =
    "check that it is a flowcall design, and split a design this large into several files";

/// Reads a design file: JSON when its name ends in `.json`, RON otherwise. At most
/// [`MAX_DESIGN_BYTES`] are read.
pub fn load(path: &Path) -> Result<Design, LoadError> {
    let bytes = read_capped(path, MAX_DESIGN_BYTES, "a design", DESIGN_TOO_LARGE)
        .map_err(LoadError::Read)?;
    let text =
        String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), &e.utf8_error()))?;
    if is_json_path(path) {
        load_json_str(&text)
    } else {
        load_str(&text)
    }
}

/// Where the first byte that is not UTF-8 is.
fn not_utf8(path: &Path, bytes: &[u8], e: &std::str::Utf8Error) -> LoadError {
    let offset = e.valid_up_to();
    let valid = String::from_utf8_lossy(&bytes[..offset]);
    let line = valid.matches('\n').count() + 1;
    let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    LoadError::NotUtf8 {
        path: path.to_owned(),
        line,
        column,
        offset,
        byte: bytes.get(offset).copied().unwrap_or_default(),
    }
}

/// Whether a path names a JSON design (`*.json`).
pub fn is_json_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads a design from its JSON form (the `json` export): the same shape and rules as RON. A
/// leading byte order mark is skipped.
pub fn load_json_str(text: &str) -> Result<Design, LoadError> {
    let text = without_bom(text);
    let located = |e: serde_json::Error| LoadError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned(),
        context: None,
    };
    let doc: DocumentV1 = match serde_json::from_str::<DocumentV1>(text) {
        Ok(doc) if doc.format_version == FORMAT_VERSION => doc,
        parsed => {
            let probe: serde_json::Value = serde_json::from_str(text).map_err(located)?;
            let version = probe
                .get("format_version")
                .and_then(serde_json::Value::as_u64)
                .ok_or(LoadError::MissingVersion)?;
            let version = u32::try_from(version).unwrap_or(u32::MAX);
            if version > FORMAT_VERSION {
                return Err(LoadError::NewerVersion { found: version });
            }
            if version < OLDEST_FORMAT_VERSION {
                return Err(LoadError::UnknownVersion { found: version });
            }
            parsed.map_err(located)?
        }
    };
    finish(doc)
}

/// The JSON form of a design: the document of the RON file, as JSON (two-space indentation,
/// a final newline). Its JSON Schema is `assets/flowcall-design.schema.json`.
pub fn to_json_string(design: &Design) -> Result<String, SaveError> {
    let mut text = serde_json::to_string_pretty(&document(design))
        .map_err(|e| SaveError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The canonical RON text of a design: stable order, four-space indentation, a final newline.
pub fn to_ron_string(design: &Design) -> Result<String, SaveError> {
    let doc = document(design);
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .escape_strings(true);
    let mut text = ron::ser::to_string_pretty(&doc, config)
        .map_err(|e| SaveError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// A scenario's expectations as RON text (the form they have in design files), for editing.
pub fn expectations_to_ron(expect: &crate::model::Expectations) -> Result<String, SaveError> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .escape_strings(true);
    ron::ser::to_string_pretty(expect, config).map_err(|e| SaveError::Serialize(e.to_string()))
}

/// Reads expectations from RON text; errors say the line and column.
pub fn expectations_from_ron(text: &str) -> Result<crate::model::Expectations, LoadError> {
    ron_options().from_str(text).map_err(|e| {
        let (line, column) = (e.span.start.line, e.span.start.col);
        LoadError::Syntax {
            line,
            column,
            message: ron_message(&e.code),
            context: None,
        }
    })
}

/// Writes `bytes` to `path` atomically through an [`AtomicFile`]: a temporary file in the same
/// folder is written, flushed to disk and renamed over the target, so a crash leaves the old
/// file or the new one. The target keeps its permissions and owner where the system allows, a
/// file its permissions forbid this user to write is refused, and symbolic links are followed
/// (see [`AtomicFile`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let mut file = AtomicFile::create(path).map_err(SaveError::Write)?;
    file.write_all(bytes).map_err(|error| {
        SaveError::Write(WriteError::Io {
            path: path.to_owned(),
            error,
        })
    })?;
    file.commit().map_err(SaveError::Write)
}

/// The canonical text of a design for this path: JSON for `*.json`, RON otherwise.
pub fn to_string_for(path: &Path, design: &Design) -> Result<String, SaveError> {
    if is_json_path(path) {
        to_json_string(design)
    } else {
        to_ron_string(design)
    }
}

/// Saves a design in canonical form (JSON for `*.json`, RON otherwise), atomically. Refuses to overwrite a file of a newer format.
pub fn save(path: &Path, design: &Design) -> Result<(), SaveError> {
    if let Ok(existing) = read_capped(path, MAX_DESIGN_BYTES, "a design", DESIGN_TOO_LARGE)
        && let Ok(existing) = String::from_utf8(existing)
        && let Ok(found) = probe_version(&existing)
        && found > FORMAT_VERSION
    {
        return Err(SaveError::NewerVersion {
            path: path.to_owned(),
            found,
        });
    }
    let text = to_string_for(path, design)?;
    write_atomic(path, text.as_bytes())
}

impl fmt::Display for Enclosing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe().as_deref().unwrap_or("at the top level"))
    }
}
