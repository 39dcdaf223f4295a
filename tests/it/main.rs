//! flowcall's integration tests, in one test binary (one link of the crate instead of one per
//! file): each module tests one concern on the real binary, real files or the real app.
//!
//! `cargo test --test it MODULE::` runs one module's tests (`cargo test --test it serve::`);
//! the designer's modules need the default `gui` feature. Two tests stay binaries of their own,
//! for what they install in the whole process: `tests/sim_alloc.rs` a counting global allocator,
//! `tests/panic_recovery.rs` a panic hook.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(feature = "gui")]
mod common;
mod designs;

mod cli_check;
mod coverage;
#[cfg(feature = "gui")]
mod data_tab;
mod design_files;
#[cfg(feature = "gui")]
mod designer;
#[cfg(feature = "gui")]
mod designer_ergonomics;
#[cfg(feature = "gui")]
mod designer_features;
#[cfg(feature = "gui")]
mod designer_recovery;
mod diff;
mod exports;
mod expr_calls;
mod hardening;
mod hostile;
#[cfg(feature = "gui")]
mod journey;
mod life;
#[cfg(feature = "gui")]
mod life_ui;
mod schema_agreement;
mod serve;
mod serve_load;
mod sim_cli;
mod sim_snapshots;
#[cfg(feature = "gui")]
mod simulator_ui;
