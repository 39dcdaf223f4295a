//! The simulator (docs/SIMULATOR.md, docs/CONTRACT.md): the one trigger path with its validation,
//! runs with typed event variables and their origins, activities simulated over the design's sample
//! data on a virtual clock, an engine a debugger can step, saved scenarios, batches and reports.
//!
//! Entry points: [`Prepared::new`] once per design (compiles the plan: every expression parsed,
//! every setting resolved, variable names interned; types the sample profiles, indexes the
//! graphs; CSV files are parsed at most once, on first use), then a fresh [`Simulator`] per
//! session; [`run_scenario`] for saved scenarios; [`BatchRunner`] for
//! batches of payload files (JSONL or CSV, read by [`open_payloads`]); [`report`] for the JSON
//! and text views of results.
//!
//! Semantics decided here (docs/SIMULATOR.md says them for users):
//! - Conversions: see [`trigger`] (Lenient converts strings that parse as the declared type, and
//!   numbers or booleans sent for a String; Strict only accepts the matching JSON type; dates
//!   come from strings under both policies). JSON `null` counts as omitted. Unknown top-level
//!   payload keys are refused.
//! - Every trigger (API bytes, JSON, the designer's form, a scenario, a batch line, an End) goes
//!   through [`Simulator::trigger_payload`]: all problems are reported together; a paused
//!   workflow queues the validated trigger (the cooldown counts from the call), a not started
//!   or stopped one refuses it.
//! - Time: visits wait in a queue ordered by (virtual time, sequence); Wait schedules its
//!   successors later, so parallel branches interleave deterministically.
//! - Start activities begin a run when their workflow is started.
//! - Query reads every sample profile (it starts a new population); Read audience looks first
//!   at audiences saved earlier in the same simulator (a chained workflow sees what its caller
//!   saved), then at the sample audiences; Load file loads the first transferred file (a note
//!   records the others); `recCount` is set by Query, Read audience, Save audience, Load file,
//!   Update data and AND-join.
//! - AND-join waits for one arrival along every incoming transition of the same run, then
//!   continues once with the union of the arrivals (rows of the same data set, in order of first
//!   appearance; when branches carry different data sets, the first arrival's population). A
//!   join still waiting when its run has nothing left to do fails the run.
//! - A run fails when an activity errs (the branch ends there) or when its End's trigger is
//!   rejected (recorded on the caller; fire-and-forget, nothing crashes). A Test with no true
//!   condition and no default ends the branch with a warning; the run still finishes.
//! - Safety: each trigger from outside (and each Start run, and each queued trigger a resume
//!   delivers) may spend at most [`DEFAULT_STEP_LIMIT`] activity visits, together with the runs
//!   its End activities start at once. A trigger that spends its budget fails alone (its runs
//!   fail, what they had pending is dropped) and the session goes on. The message names the
//!   loop when there is one: activities on a cycle of transitions that a run visited again, or
//!   workflows repeating in the chain of End triggers; otherwise it says there is no loop.
//! - Time: the virtual clock holds any instant jiff can (years -9999 to 9999); a Wait, a
//!   cooldown or a clock advance that would pass it is refused with an error naming the
//!   activity (the structural rules also bound Wait and cooldown to
//!   [`crate::model::MAX_DURATION_SECONDS`] and `clock_start` to the years 1 to 9999).
//! - Memory: [`Simulator::set_run_window`] keeps only the latest runs (with their visits and
//!   outbox entries) for long-lived sessions such as `flowcall serve`.

mod batch;
pub mod coverage;
pub mod data_refs;
mod engine;
pub mod exprs;
mod files;
mod format;
pub mod generate;
mod graph;
mod missing;
mod payloads;
mod plan;
mod population;
mod prepared;
pub mod report;
mod run;
mod scenario;
pub mod trigger;

pub use batch::*;
pub use engine::error::ActivityError;
pub use engine::*;
pub use files::match_files;
pub use format::PayloadFormat;
pub use graph::*;
pub use missing::*;
pub use payloads::*;
pub use population::*;
pub use prepared::*;
pub use run::*;
pub use scenario::*;

#[cfg(test)]
mod tests;
