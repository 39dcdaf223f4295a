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
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut snapshot: Option<Vec<(usize, char, Option<String>)>> = None;
    let mut names: BTreeMap<usize, String> = BTreeMap::new();
    // The frames of the snapshot still on the stack (the bottom ones), and how many of them
    // have no name yet.
    let mut snap_depth = 0;
    let mut unnamed = 0;
    let mut pending_key: Option<String> = None;
    let mut last_ident: Option<String> = None;
    let mut serial = 0;
    let mut i = 0;
    while i < bytes.len() {
        if snapshot.is_none() && i >= offset {
            snap_depth = stack.len();
            unnamed = stack.iter().filter(|f| f.name.is_none()).count();
            snapshot = Some(
                stack
                    .iter()
                    .map(|f| (f.serial, f.open, f.key.clone()))
                    .collect(),
            );
        }
        if snapshot.is_some() && unnamed == 0 {
            break;
        }
        let c = bytes[i];
        match c {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let s = text.get(start..i.min(bytes.len())).unwrap_or("").to_owned();
                let depth = stack.len();
                if matches!(pending_key.as_deref(), Some("id" | "name"))
                    && let Some(top) = stack.last_mut()
                    && top.name.is_none()
                {
                    top.name = Some(s.clone());
                    names.insert(top.serial, s);
                    if snapshot.is_some() && depth <= snap_depth {
                        unnamed -= 1;
                    }
                }
                pending_key = None;
                last_ident = None;
                i += 1;
                continue;
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'#' | b'"')) => {
                let mut hashes = 0;
                let mut j = i + 1;
                while bytes.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if bytes.get(j) == Some(&b'"') {
                    j += 1;
                    let closing: Vec<u8> = std::iter::once(b'"')
                        .chain(std::iter::repeat_n(b'#', hashes))
                        .collect();
                    while j < bytes.len() && !bytes[j..].starts_with(&closing) {
                        j += 1;
                    }
                    i = j + closing.len();
                    pending_key = None;
                    continue;
                }
            }
            b'(' | b'[' | b'{' => {
                let inherited = stack
                    .last()
                    .filter(|f| f.open == '[')
                    .and_then(|f| f.key.clone());
                serial += 1;
                stack.push(Frame {
                    serial,
                    open: c as char,
                    key: pending_key.take().or(inherited),
                    name: None,
                });
                last_ident = None;
            }
            b')' | b']' | b'}' => {
                let depth = stack.len();
                if let Some(f) = stack.pop()
                    && snapshot.is_some()
                    && depth <= snap_depth
                {
                    snap_depth -= 1;
                    if f.name.is_none() {
                        unnamed -= 1;
                    }
                }
                pending_key = None;
            }
            b':' => {
                if let Some(id) = last_ident.take() {
                    pending_key = Some(id);
                }
            }
            b',' => {
                pending_key = None;
                last_ident = None;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                last_ident = text.get(start..i).map(str::to_owned);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let snap = snapshot.unwrap_or_else(|| {
        stack
            .iter()
            .map(|f| (f.serial, f.open, f.key.clone()))
            .collect()
    });
    let mut out = Enclosing::default();
    for (s, open, key) in snap {
        if open != '(' {
            continue;
        }
        let name = names.get(&s).cloned();
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
