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
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        out: Vec::new(),
    };
    while let Some(c) = s.at(s.i) {
        match c {
            b'\n' => {
                s.newline_at(s.i);
                s.i += 1;
            }
            b'/' if matches!(s.at(s.i + 1), Some(b'/' | b'*')) => s.comment(),
            b'"' => s.string(),
            b'\'' => s.character(),
            b'r' if s.raw_string_starts() => s.raw_string(),
            _ => s.i += 1,
        }
    }
    s.out
}

/// One pass over a RON text: where it is, which line it is on, and the comments found so far.
struct Scanner<'t> {
    /// The text.
    text: &'t str,
    /// Its bytes.
    bytes: &'t [u8],
    /// The byte being looked at.
    i: usize,
    /// Its 1-based line.
    line: usize,
    /// The byte offset where that line starts.
    line_start: usize,
    /// The comments found.
    out: Vec<Comment>,
}

impl Scanner<'_> {
    /// The byte at `i`, if the text is that long.
    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// Counts the newline at byte `i`: the next line starts after it.
    fn newline_at(&mut self, i: usize) {
        self.line += 1;
        self.line_start = i + 1;
    }

    /// A comment starting at `i` (`//` or `/*`): records where, and steps over it.
    fn comment(&mut self) {
        let column = self
            .text
            .get(self.line_start..self.i)
            .map_or(1, |before| before.chars().count() + 1);
        self.out.push(Comment {
            line: self.line,
            column,
        });
        if self.at(self.i + 1) == Some(b'/') {
            while self.at(self.i).is_some_and(|b| b != b'\n') {
                self.i += 1;
            }
        } else {
            self.block_comment();
        }
    }

    /// Steps over a `/* ... */` comment starting at `i`, nested ones included, to the end of
    /// the text if it is never closed, counting its newlines.
    fn block_comment(&mut self) {
        let end = block_comment_end(self.bytes, self.i);
        for k in self.i..end {
            if self.at(k) == Some(b'\n') {
                self.newline_at(k);
            }
        }
        self.i = end;
    }

    /// Steps over a `"..."` string starting at `i`, escapes included (a line continued with
    /// `\` at its end counts its newline).
    fn string(&mut self) {
        self.i += 1;
        while let Some(b) = self.at(self.i) {
            match b {
                b'\\' => {
                    if self.at(self.i + 1) == Some(b'\n') {
                        self.newline_at(self.i + 1);
                    }
                    self.i += 2;
                }
                b'"' => break,
                b'\n' => {
                    self.newline_at(self.i);
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
        self.i += 1;
    }

    /// Steps over a character starting at `i`: `'x'`, `'é'`, `'\''`, `'"'`, `'\u{e9}'`; over
    /// the quote alone when no character literal starts there.
    fn character(&mut self) {
        self.i = char_end(self.text, self.i).unwrap_or(self.i + 1);
    }

    /// Whether the `r` at `i` may start a raw string: `#` or `"` follows, and it does not end
    /// a word.
    fn raw_string_starts(&self) -> bool {
        matches!(self.at(self.i + 1), Some(b'#' | b'"'))
            && !self
                .at(self.i.wrapping_sub(1))
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
    }

    /// Steps over a raw string `r#"..."#` starting at `i`, or over the `r` alone when no `"`
    /// follows its hashes.
    fn raw_string(&mut self) {
        let mut j = self.i + 1;
        let mut hashes = 0;
        while self.at(j) == Some(b'#') {
            hashes += 1;
            j += 1;
        }
        if self.at(j) != Some(b'"') {
            self.i += 1;
            return;
        }
        j += 1;
        loop {
            match self.at(j) {
                None => break,
                Some(b'"') if (1..=hashes).all(|k| self.at(j + k) == Some(b'#')) => {
                    j += 1 + hashes;
                    break;
                }
                Some(b'\n') => {
                    self.newline_at(j);
                    j += 1;
                }
                Some(_) => j += 1,
            }
        }
        self.i = j;
    }
}

/// The byte just past the character literal whose opening `'` is at byte `i` of `text`
/// (`'x'`, `'é'`, `'\''`, `'\u{e9}'`), or `None` when no literal starts there.
pub(super) fn char_end(text: &str, i: usize) -> Option<usize> {
    let body = text.get(i + 1..)?;
    let mut chars = body.char_indices();
    let (_, first) = chars.next()?;
    let closing = if first == '\\' {
        let (k, escaped) = chars.next()?;
        let rest = k + escaped.len_utf8();
        rest + body.get(rest..)?.find('\'')?
    } else {
        first.len_utf8()
    };
    body.get(closing..)?
        .starts_with('\'')
        .then_some(i + 1 + closing + 1)
}

/// The byte just past the `/* ... */` comment starting at byte `i` of `bytes`, nested comments
/// included; the end of the text when it is never closed.
pub(super) fn block_comment_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 2;
    let mut depth = 1usize;
    while depth > 0 {
        match (bytes.get(j), bytes.get(j + 1)) {
            (None, _) => return bytes.len(),
            (Some(b'*'), Some(b'/')) => {
                depth -= 1;
                j += 2;
            }
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                j += 2;
            }
            _ => j += 1,
        }
    }
    j
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
    fn regression_a_comment_after_a_non_ascii_character_literal_is_found() {
        // `'é'` was stepped over as three bytes, one short: the scan then read its closing
        // quote as the start of another character and missed the comment.
        assert_eq!(lines("(c: 'é',// x\n)"), vec![(1, 9)]);
        assert_eq!(lines("(c: '\\u{e9}', d: '\\'') // x"), vec![(1, 24)]);
    }

    #[test]
    fn regression_a_string_continued_on_the_next_line_counts_that_line() {
        // A `\` at a line's end inside a string skipped the newline uncounted: the comments
        // after it were reported a line too early.
        assert_eq!(lines("(s: \"a\\\n\") // x"), vec![(2, 4)]);
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
