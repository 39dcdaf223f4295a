//! flowcall: design, check, simulate and export workflows that outside systems call with typed
//! parameters. The library holds every layer but the desktop designer's drawing code, which
//! lives in `ui` behind the `gui` feature.

#![warn(missing_docs)]

pub mod check;
pub mod cli;
pub mod diff;
pub mod export;
pub mod expr;
pub mod io;
pub mod model;
pub mod serve;
pub mod sim;
#[cfg(test)]
mod structure_tests;
#[cfg(feature = "gui")]
pub mod ui;
