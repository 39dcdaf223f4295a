//! Finds which workflow, activity, parameter or scenario encloses a position of a RON design
//! text, so that a syntax or structure error can name them. A small scanner that understands
//! RON's strings, comments and brackets; it never fails, it only knows less on odd input.

/// What encloses a position of the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Enclosing {
    /// The workflow id.
    pub workflow: Option<String>,
    /// The activity id.
    pub activity: Option<String>,
    /// The parameter name.
    pub parameter: Option<String>,
    /// The scenario name.
    pub scenario: Option<String>,
}

impl Enclosing {
    /// `in workflow 'WKF1', activity 'end1'`, or `None` when nothing is known.
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(s) = &self.scenario {
            parts.push(format!("scenario '{s}'"));
        }
        if let Some(w) = &self.workflow {
            parts.push(format!("workflow '{w}'"));
        }
        if let Some(a) = &self.activity {
            parts.push(format!("activity '{a}'"));
        }
        if let Some(p) = &self.parameter {
            parts.push(format!("parameter '{p}'"));
        }
        (!parts.is_empty()).then(|| format!("in {}", parts.join(", ")))
    }
}

use super::comments::{block_comment_end, char_end};
use std::collections::BTreeMap;

struct Frame {
    serial: usize,
    open: char,
    key: Option<String>,
    name: Option<String>,
}

/// Byte offset of a 1-based line and column (columns count characters).
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let in_line: usize = l
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(l.len(), |(b, _)| b);
            return offset + in_line;
        }
        offset += l.len();
    }
    text.len()
}

/// What encloses byte `offset` of `text`. One pass, linear in the text: the scan stops once
/// every frame open at `offset` is closed or has its name.
pub fn enclosing(text: &str, offset: usize) -> Enclosing {
    let mut scan = Scan {
        text,
        bytes: text.as_bytes(),
        i: 0,
        stack: Vec::new(),
        snapshot: None,
        names: BTreeMap::new(),
        snap_depth: 0,
        unnamed: 0,
        pending_key: None,
        last_ident: None,
        serial: 0,
    };
    while let Some(&c) = scan.bytes.get(scan.i) {
        if scan.snapshot.is_none() && scan.i >= offset {
            scan.take_snapshot();
        }
        if scan.snapshot.is_some() && scan.unnamed == 0 {
            break;
        }
        scan.step(c);
    }
    scan.enclosing()
}

/// A frame as the snapshot keeps it: its serial, its opening bracket and its key.
type Snapped = (usize, char, Option<String>);

/// The state of one [`enclosing`] scan.
struct Scan<'t> {
    /// The text.
    text: &'t str,
    /// Its bytes.
    bytes: &'t [u8],
    /// The byte being looked at.
    i: usize,
    /// The brackets open at `i`, outermost first.
    stack: Vec<Frame>,
    /// The frames open at the offset, once the scan has reached it.
    snapshot: Option<Vec<Snapped>>,
    /// The name (`id` or `name`) found for each frame, by serial.
    names: BTreeMap<usize, String>,
    /// The frames of the snapshot still on the stack (the bottom ones).
    snap_depth: usize,
    /// How many of those have no name yet.
    unnamed: usize,
    /// The key the next value belongs to (`key:` just read).
    pending_key: Option<String>,
    /// The identifier just read.
    last_ident: Option<String>,
    /// The serial of the last frame opened.
    serial: usize,
}

impl Scan<'_> {
    /// Keeps the frames open now, at the offset.
    fn take_snapshot(&mut self) {
        self.snap_depth = self.stack.len();
        self.unnamed = self.stack.iter().filter(|f| f.name.is_none()).count();
        self.snapshot = Some(self.frames());
    }

    /// The frames open now, as the snapshot keeps them.
    fn frames(&self) -> Vec<Snapped> {
        self.stack
            .iter()
            .map(|f| (f.serial, f.open, f.key.clone()))
            .collect()
    }

    /// Reads what starts with byte `c` at `i`, and steps past it.
    fn step(&mut self, c: u8) {
        let next = self.bytes.get(self.i + 1).copied();
        match c {
            b'/' if next == Some(b'/') => self.line_comment(),
            b'/' if next == Some(b'*') => self.block_comment(),
            b'"' => self.string(),
            b'\'' => self.i = char_end(self.text, self.i).unwrap_or(self.i + 1),
            b'r' if matches!(next, Some(b'#' | b'"')) => self.raw_string(),
            b'(' | b'[' | b'{' => self.open(c),
            b')' | b']' | b'}' => self.close(),
            b':' => self.colon(),
            b',' => self.comma(),
            c if c.is_ascii_alphabetic() || c == b'_' => self.ident(),
            _ => self.i += 1,
        }
    }

    /// Steps over a `//` comment, to the end of its line.
    fn line_comment(&mut self) {
        while self.bytes.get(self.i).is_some_and(|&b| b != b'\n') {
            self.i += 1;
        }
    }

    /// Steps over a `/* ... */` comment, nested ones included (as RON reads them).
    fn block_comment(&mut self) {
        self.i = block_comment_end(self.bytes, self.i);
    }

    /// Reads a `"..."` string: the name of the innermost frame when it follows `id:` or
    /// `name:` and that frame has none yet.
    fn string(&mut self) {
        let start = self.i + 1;
        self.i += 1;
        while let Some(&b) = self.bytes.get(self.i) {
            if b == b'"' {
                break;
            }
            if b == b'\\' {
                self.i += 1;
            }
            self.i += 1;
        }
        let s = self
            .text
            .get(start..self.i.min(self.bytes.len()))
            .unwrap_or("")
            .to_owned();
        self.name_top(s);
        self.pending_key = None;
        self.last_ident = None;
        self.i += 1;
    }

    /// Names the innermost frame `s` when the string follows `id:` or `name:` and the frame
    /// has no name yet.
    fn name_top(&mut self, s: String) {
        let depth = self.stack.len();
        if matches!(self.pending_key.as_deref(), Some("id" | "name"))
            && let Some(top) = self.stack.last_mut()
            && top.name.is_none()
        {
            top.name = Some(s.clone());
            self.names.insert(top.serial, s);
            if self.snapshot.is_some() && depth <= self.snap_depth {
                self.unnamed -= 1;
            }
        }
    }

    /// Steps over a raw string `r#"..."#`, or over the `r` alone when no `"` follows its
    /// hashes.
    fn raw_string(&mut self) {
        let mut hashes = 0;
        let mut j = self.i + 1;
        while self.bytes.get(j) == Some(&b'#') {
            hashes += 1;
            j += 1;
        }
        if self.bytes.get(j) != Some(&b'"') {
            self.i += 1;
            return;
        }
        j += 1;
        let closing: Vec<u8> = std::iter::once(b'"')
            .chain(std::iter::repeat_n(b'#', hashes))
            .collect();
        while self
            .bytes
            .get(j..)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with(&closing))
        {
            j += 1;
        }
        self.i = j + closing.len();
        self.pending_key = None;
    }

    /// Opens a frame for the bracket `c`, under the pending key or, inside a list, the list's.
    fn open(&mut self, c: u8) {
        let inherited = self
            .stack
            .last()
            .filter(|f| f.open == '[')
            .and_then(|f| f.key.clone());
        self.serial += 1;
        self.stack.push(Frame {
            serial: self.serial,
            open: c as char,
            key: self.pending_key.take().or(inherited),
            name: None,
        });
        self.last_ident = None;
        self.i += 1;
    }

    /// Closes the innermost frame, counting it off the snapshot's when it is one of them.
    fn close(&mut self) {
        let depth = self.stack.len();
        if let Some(f) = self.stack.pop()
            && self.snapshot.is_some()
            && depth <= self.snap_depth
        {
            self.snap_depth -= 1;
            if f.name.is_none() {
                self.unnamed -= 1;
            }
        }
        self.pending_key = None;
        self.i += 1;
    }

    /// A `:` makes the identifier just read the key of what follows.
    fn colon(&mut self) {
        if let Some(id) = self.last_ident.take() {
            self.pending_key = Some(id);
        }
        self.i += 1;
    }

    /// A `,` ends a field.
    fn comma(&mut self) {
        self.pending_key = None;
        self.last_ident = None;
        self.i += 1;
    }

    /// Reads an identifier.
    fn ident(&mut self) {
        let start = self.i;
        while self
            .bytes
            .get(self.i)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.i += 1;
        }
        self.last_ident = self.text.get(start..self.i).map(str::to_owned);
    }

    /// What encloses the offset: the workflow, activity, parameter and scenario frames of the
    /// snapshot (of the frames still open at the end when the text ends before the offset).
    fn enclosing(self) -> Enclosing {
        let snap = match self.snapshot {
            Some(snap) => snap,
            None => self.frames(),
        };
        let mut out = Enclosing::default();
        for (s, open, key) in snap {
            if open != '(' {
                continue;
            }
            let name = self.names.get(&s).cloned();
            match key.as_deref() {
                Some("workflows") => out.workflow = name,
                Some("activities") => out.activity = name,
                Some("parameters") if out.activity.is_some() && out.scenario.is_none() => {
                    out.parameter = name
                }
                Some("scenarios") => out.scenario = name,
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"(
    format_version: 1,
    workflows: [
        (
            id: "WKF1",
            activities: [
                (id: "signal1", kind: ExternalSignal((parameters: [(name: "count", type: Intger)]))),
                (id: "end1", kind: Bogus),
            ],
        ),
    ],
)"#;

    #[test]
    fn names_workflow_activity_and_parameter() {
        let at = TEXT.find("Intger").unwrap_or(0);
        let e = enclosing(TEXT, at);
        assert_eq!(e.workflow.as_deref(), Some("WKF1"));
        assert_eq!(e.activity.as_deref(), Some("signal1"));
        assert_eq!(e.parameter.as_deref(), Some("count"));
        let at = TEXT.find("Bogus").unwrap_or(0);
        assert_eq!(
            enclosing(TEXT, at).describe().as_deref(),
            Some("in workflow 'WKF1', activity 'end1'")
        );
    }

    #[test]
    fn regression_a_quote_character_does_not_start_a_string() {
        // `'"'` was read as the start of a string, which swallowed the rest of the text.
        let text = r#"(workflows: [(id: "W", activities: [(c: '"', id: "a1", kind: Bogus)])])"#;
        let at = text.find("Bogus").unwrap_or(0);
        assert_eq!(enclosing(text, at).activity.as_deref(), Some("a1"));
    }

    #[test]
    fn regression_nested_block_comments_are_skipped_whole() {
        // The scan ended a block comment at its first `*/`, reading the rest of an outer
        // comment as code: a commented-out activity named the position.
        let text = r#"(workflows: [(id: "W", activities: [
            /* (id: "ghost", x: /* inner */ kind: Gone) */
            (id: "a1", kind: Bogus),
        ])])"#;
        let at = text.find("Bogus").unwrap_or(0);
        assert_eq!(enclosing(text, at).activity.as_deref(), Some("a1"));
        let at = text.find("kind: Gone").unwrap_or(0);
        assert_eq!(enclosing(text, at).activity, None);
    }

    #[test]
    fn finds_an_id_written_after_the_position() {
        let text =
            r#"(workflows: [(label: "x", activities: [(kind: Bogus, id: "a9")], id: "W2")])"#;
        let at = text.find("Bogus").unwrap_or(0);
        let e = enclosing(text, at);
        assert_eq!(e.workflow.as_deref(), Some("W2"));
        assert_eq!(e.activity.as_deref(), Some("a9"));
    }

    #[test]
    fn regression_deeply_nested_text_is_located_in_linear_time() {
        // 100,000 open brackets: the old scan rebuilt the bracket stack for every byte after
        // the position (26 s); `benches/load_check.rs` times it (milliseconds).
        let text = "(".repeat(100_000);
        assert_eq!(enclosing(&text, 128), Enclosing::default());
        let deep = format!(
            "(workflows: [(id: \"W\", activities: [{}",
            "(".repeat(100_000)
        );
        let e = enclosing(&deep, deep.len() - 10);
        assert_eq!(e.workflow.as_deref(), Some("W"));
    }

    #[test]
    fn line_and_column_to_offset() {
        assert_eq!(offset_of("ab\ncd", 2, 2), 4);
        assert_eq!(offset_of("ab\ncd", 9, 1), 5);
        assert_eq!(offset_of("é\nx", 1, 2), 2);
    }
}
