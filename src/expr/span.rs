//! Places in an expression's source text: byte spans, their line and column, errors located by
//! a span, and how an error is shown under its line (as rustc does).

/// A byte range `start..end` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The 1-based line and column (in characters) where this span starts in `src`.
    pub fn line_col(self, src: &str) -> (usize, usize) {
        line_col(src, self.start)
    }
}

/// The 1-based line and column (counted in characters) of byte `offset` in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(src, offset);
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(src: &str, offset: usize) -> usize {
    let mut o = offset.min(src.len());
    while o > 0 && !src.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// A parse or evaluation error: what was expected, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    /// Where in the source the problem is.
    pub span: Span,
    /// What went wrong and what was expected.
    pub message: String,
}

impl ExprError {
    /// An error at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> ExprError {
        ExprError {
            span,
            message: message.into(),
        }
    }
}

/// Renders an error like rustc: the message, the position, the source line and carets under the span.
pub fn render_error(src: &str, err: &ExprError) -> String {
    render_at(src, "error", err.span, &err.message)
}

/// Renders `message` labelled `label` (`error`, `warning`) under the line `span` starts on.
pub(crate) fn render_at(src: &str, label: &str, span: Span, message: &str) -> String {
    let start = floor_char_boundary(src, span.start);
    let end = floor_char_boundary(src, span.end.max(start));
    let (line, col) = line_col(src, start);
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let text = &src[line_start..line_end];
    let width = src[start..end.min(line_end).max(start)]
        .chars()
        .count()
        .max(1);
    let num = line.to_string();
    let pad = " ".repeat(num.len());
    format!(
        "{label}: {message}\n{pad}--> line {line}, column {col}\n{pad} |\n{num} | {text}\n{pad} | {}{}",
        " ".repeat(col - 1),
        "^".repeat(width)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("abc", 99), (1, 4));
    }

    #[test]
    fn renders_carets_under_span() {
        let src = "Upper(1 +)";
        let err = ExprError::new(Span::new(9, 10), "expected an operand after `+`");
        let out = render_error(src, &err);
        assert_eq!(
            out,
            "error: expected an operand after `+`\n --> line 1, column 10\n  |\n1 | Upper(1 +)\n  |          ^"
        );
        let err = ExprError::new(Span::new(0, 5), "x");
        assert!(render_error(src, &err).ends_with("| ^^^^^"));
    }

    #[test]
    fn renders_second_line() {
        let src = "1 +\n foo";
        let err = ExprError::new(Span::new(5, 8), "unknown name");
        let out = render_error(src, &err);
        assert!(out.contains("line 2, column 2"));
        assert!(out.ends_with("2 |  foo\n  |  ^^^"));
    }
}
