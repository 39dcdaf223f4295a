//! Design-time diagnostics over a model (SPEC §7).
