//! The comments of a RON design text (`// ...` to the end of the line, `/* ... */`, which nest),
//! found outside strings. The canonical form a design is saved in holds none, so whoever
//! rewrites a file (`flowcall fmt`, the designer's Save) can say which ones it would drop.

/// Where a comment starts: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Every comment of a RON text, in order. Strings (`"..."` with escapes, raw strings
/// `r#"..."#`) and characters (`'"'`) are skipped, so a `//` inside a value is not a comment. A
/// JSON text has none.
pub fn comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut i = 0;
    let at = |i: usize| bytes.get(i).copied();
    while let Some(c) = at(i) {
        match c {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                i += 1;
            }
            b'/' if matches!(at(i + 1), Some(b'/' | b'*')) => {
                let column = text
                    .get(line_start..i)
                    .map_or(1, |before| before.chars().count() + 1);
                out.push(Comment { line, column });
                if at(i + 1) == Some(b'/') {
                    while at(i).is_some_and(|b| b != b'\n') {
                        i += 1;
                    }
                } else {
                    i += 2;
                    let mut depth = 1usize;
                    while depth > 0 {
                        match (at(i), at(i + 1)) {
                            (None, _) => break,
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                i += 2;
                            }
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                i += 2;
                            }
                            (Some(b'\n'), _) => {
                                line += 1;
                                line_start = i + 1;
                                i += 1;
                            }
                            _ => i += 1,
                        }
                    }
                }
            }
            b'"' => {
                i += 1;
                while let Some(b) = at(i) {
                    match b {
                        b'\\' => i += 2,
                        b'"' => break,
                        b'\n' => {
                            line += 1;
                            line_start = i + 1;
                            i += 1;
                        }
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'\'' => {
                // A character: `'x'`, `'\''`, `'"'`.
                i += if at(i + 1) == Some(b'\\') { 4 } else { 3 };
            }
            b'r' if matches!(at(i + 1), Some(b'#' | b'"'))
                && !at(i.wrapping_sub(1))
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while at(j) == Some(b'#') {
                    hashes += 1;
                    j += 1;
                }
                if at(j) != Some(b'"') {
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    match at(j) {
                        None => break,
                        Some(b'"') if (1..=hashes).all(|k| at(j + k) == Some(b'#')) => {
                            j += 1 + hashes;
                            break;
                        }
                        Some(b'\n') => {
                            line += 1;
                            line_start = j + 1;
                            j += 1;
                        }
                        Some(_) => j += 1,
                    }
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

/// `line 3`, `lines 3 and 17`, `lines 3, 9 and 17`, ten at most then how many more.
pub fn describe_lines(comments: &[Comment]) -> String {
    let lines: Vec<usize> = comments.iter().map(|c| c.line).collect();
    match lines.as_slice() {
        [one] => format!("line {one}"),
        [rest @ .., last] if rest.len() < crate::model::LISTED => format!(
            "lines {} and {last}",
            rest.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => format!("lines {}", crate::model::listed(&lines)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, usize)> {
        comments(text).iter().map(|c| (c.line, c.column)).collect()
    }

    #[test]
    fn finds_line_and_block_comments_outside_strings() {
        assert_eq!(lines("(a: 1) // end"), vec![(1, 8)]);
        assert_eq!(
            lines("(\n  /* a /* nested */ b */ x: 1,\n  y: 2, // two\n)"),
            vec![(2, 3), (3, 9)]
        );
        assert_eq!(
            lines(r#"(url: "http://x", c: '"', d: "a \" // b")"#),
            vec![]
        );
        assert_eq!(lines("(s: r#\"//\n\"# ) // after"), vec![(2, 6)]);
        assert_eq!(lines("(label: \"é\") // é"), vec![(1, 14)]);
        assert_eq!(lines("/* never closed"), vec![(1, 1)]);
        assert!(comments("").is_empty());
    }

    #[test]
    fn describes_where_they_are() {
        let c = |line| Comment { line, column: 1 };
        assert_eq!(describe_lines(&[c(3)]), "line 3");
        assert_eq!(describe_lines(&[c(3), c(17)]), "lines 3 and 17");
        assert_eq!(describe_lines(&[c(3), c(9), c(17)]), "lines 3, 9 and 17");
        let many: Vec<Comment> = (1..=12).map(c).collect();
        assert_eq!(
            describe_lines(&many),
            "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"
        );
    }
}
