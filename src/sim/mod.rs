//! The simulator (SPEC §4, §6, §8): the one trigger path with its validation, runs with typed
//! event variables and their origins, activities simulated over the design's sample data on a
//! virtual clock, an engine a debugger can step, saved scenarios, batches and reports.
//!
//! Entry points: [`Prepared::new`] once per design (parses every expression, types the sample
//! profiles), then a fresh [`Simulator`] per session; [`run_scenario`] for saved scenarios;
//! [`BatchRunner`] for JSONL batches; [`report`] for the JSON and text views of results.

mod batch;
mod engine;
pub mod exprs;
mod population;
mod prepared;
pub mod report;
mod run;
mod scenario;
pub mod trigger;

pub use batch::*;
pub use engine::*;
pub use population::*;
pub use prepared::*;
pub use run::*;
pub use scenario::*;

#[cfg(test)]
mod tests;
