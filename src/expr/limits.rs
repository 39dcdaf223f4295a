//! The bounds of the expression language: how long a source text, how deep a tree and how long
//! a string an evaluation may produce (docs/EXPRESSIONS.md, "Limits").

/// Longest accepted source text, in bytes.
pub const MAX_SOURCE_LEN: usize = 64 * 1024;
/// Deepest accepted expression tree (and parser nesting).
pub const MAX_DEPTH: usize = 64;
/// Longest string an evaluation may produce, in bytes.
pub const MAX_STRING_LEN: usize = 1024 * 1024;
