//! The expression language: parse with spans, type-check, evaluate (SPEC §5).
