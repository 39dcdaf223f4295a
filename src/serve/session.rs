//! The session the server shares between its handlers: the simulator behind one lock
//! ([`SharedSimulator`], [`lock`]), the real-time clock that moves it, the counters of what was
//! served ([`Summary`]), and the comparison of bearer tokens.

use crate::model::time;
use crate::sim::Simulator;
use jiff::Timestamp;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

/// One simulator session shared by the server and its owner (the CLI or the designer).
pub type SharedSimulator = Arc<Mutex<Simulator>>;

/// Compares a token given by a caller with the expected one in time that depends only on the
/// expected token's length.
pub fn tokens_match(given: &[u8], expected: &[u8]) -> bool {
    let mut diff = given.len() ^ expected.len();
    for (i, e) in expected.iter().enumerate() {
        let g = given.get(i).copied().unwrap_or(!*e);
        diff |= usize::from(g ^ *e);
    }
    std::hint::black_box(diff) == 0
}

/// What the server has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Requests answered or being answered (every call, rejected ones included).
    pub requests: u64,
    /// Triggers accepted that started a run.
    pub started: u64,
    /// Triggers accepted while the workflow was paused.
    pub queued: u64,
    /// Triggers rejected (any 4xx of the trigger endpoint).
    pub rejected: u64,
    /// Runs recorded in the simulator session (chained and Start runs included, and the runs
    /// the run window dropped).
    pub runs: u64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "served {} requests: {} triggers started a run, {} queued, {} rejected; {} runs recorded",
            self.requests, self.started, self.queued, self.rejected, self.runs
        )
    }
}

#[derive(Debug, Default)]
pub(super) struct Counters {
    pub(super) requests: AtomicU64,
    pub(super) started: AtomicU64,
    pub(super) queued: AtomicU64,
    pub(super) rejected: AtomicU64,
}

impl Counters {
    pub(super) fn summary(&self, sim: &SharedSimulator) -> Summary {
        self.summary_of(lock(sim).runs_total())
    }

    pub(super) fn summary_of(&self, runs: u64) -> Summary {
        Summary {
            requests: self.requests.load(Ordering::Relaxed),
            started: self.started.load(Ordering::Relaxed),
            queued: self.queued.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            runs,
        }
    }
}

/// The real-time clock of the session: the virtual time at start and the real instant.
#[derive(Debug)]
pub(super) struct RealClock {
    pub(super) virtual_start: Timestamp,
    pub(super) real_start: Instant,
}

impl RealClock {
    /// Moves the simulator's clock forward to the real time elapsed since start (at most to
    /// the latest time the clock can hold).
    pub(super) fn sync(&self, sim: &mut Simulator) {
        let elapsed = i64::try_from(self.real_start.elapsed().as_secs()).unwrap_or(i64::MAX);
        let target = time::add_seconds(self.virtual_start, elapsed).unwrap_or(Timestamp::MAX);
        let behind = time::seconds_between(sim.clock(), target);
        if let Ok(seconds) = u64::try_from(behind)
            && seconds > 0
        {
            // Cannot fail: the target is a time the clock can hold.
            let _ = sim.advance_clock(seconds);
        }
    }
}

/// Locks the session, recovering it if a panic poisoned the lock.
pub(super) fn lock(sim: &SharedSimulator) -> MutexGuard<'_, Simulator> {
    sim.lock().unwrap_or_else(PoisonError::into_inner)
}
