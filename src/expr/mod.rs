//! The expression language: parse with spans, type-check, evaluate (docs/EXPRESSIONS.md).
//!
//! [`parse`] turns source text into an [`Expr`] whose nodes carry byte spans; [`check`] infers
//! a static type against a [`TypeEnv`] and reports [`Diagnostic`]s; [`eval`] computes a
//! [`Value`](crate::model::Value) in an [`EvalContext`]. Evaluation is total and bounded: every
//! failure is an [`ExprError`] with a span, nesting depth and string sizes are capped, and the
//! only clock, options and UUIDs are those the caller passes in. The function table in
//! [`functions`] drives the parser's arity check, the checker and the generated reference
//! `docs/EXPRESSIONS.md`.
//!
//! This file only declares and re-exports: the files below take what they share from each
//! other (`span`, `limits`, `ast`, `functions`), never from here, so that they import one way.

mod ast;
mod builtins;
mod check;
mod context;
mod docs;
mod eval;
#[cfg(test)]
mod eval_tests;
pub mod functions;
mod limits;
mod parse;
mod span;

pub use ast::*;
pub use check::*;
pub use context::*;
pub use docs::{CHOICES, reference_markdown};
pub use eval::*;
pub use functions::{Family, Func, by_family};
pub use limits::{MAX_DEPTH, MAX_SOURCE_LEN, MAX_STRING_LEN};
pub use parse::parse;
pub use span::{ExprError, Span, line_col, render_error};

/// Renders a diagnostic the same way as [`render_error`], labelled `error` or `warning`.
pub fn render_diagnostic(src: &str, d: &Diagnostic) -> String {
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    span::render_at(src, label, d.span, &d.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_warnings() {
        let d = Diagnostic {
            severity: Severity::Warning,
            span: Span::new(0, 21),
            message: "reads as Integer".to_owned(),
        };
        let out = render_diagnostic("$long(vars/@audience)", &d);
        assert!(out.starts_with("warning: reads as Integer\n"));
        assert!(out.ends_with(&format!("  | {}", "^".repeat(21))));
    }
}
