//! What an evaluation may read ([`EvalContext`]): the event variables and a row through
//! [`Lookup`], the clock, the options, and the deterministic sources of UUIDs and random draws.

use crate::model::{Column, Value};
use jiff::Timestamp;
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

/// Something that maps names to values: the event variables, or a row's fields.
pub trait Lookup {
    /// The value named `name`, if present.
    fn lookup(&self, name: &str) -> Option<&Value>;

    /// The value of the variable at `slot` of the table its reads were resolved against
    /// ([`Expr::resolve_vars`](super::Expr::resolve_vars)), named `name`; by name unless the
    /// lookup keeps such a table.
    fn lookup_slot(&self, _slot: u32, name: &str) -> Option<&Value> {
        self.lookup(name)
    }
}

impl Lookup for BTreeMap<String, Value> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl<S: std::hash::BuildHasher> Lookup for HashMap<String, Value, S> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

/// A row of a table seen as fields: columns paired with the row's typed cells.
#[derive(Debug, Clone, Copy)]
pub struct ColumnsRow<'a> {
    /// The table's columns.
    pub columns: &'a [Column],
    /// The row's cells, one per column.
    pub cells: &'a [Value],
}

impl Lookup for ColumnsRow<'_> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .and_then(|i| self.cells.get(i))
    }
}

/// A deterministic UUID generator: `00000000-0000-4000-8000-000000000001`, then `...002`, ...
#[derive(Debug, Default)]
pub struct SequentialUuids {
    count: Cell<u64>,
}

impl SequentialUuids {
    /// A generator whose first UUID ends in `1`.
    pub fn new() -> SequentialUuids {
        SequentialUuids::default()
    }

    /// The next UUID.
    pub fn generate(&self) -> String {
        let n = self.count.get().wrapping_add(1);
        self.count.set(n);
        format!("00000000-0000-4000-8000-{:012x}", n & 0xffff_ffff_ffff)
    }
}

/// The `n`-th draw of the pseudo-random sequence seeded with `seed` (SplitMix64): the same seed
/// and draw number always give the same 64 bits.
pub fn seeded_draw(seed: u64, n: u64) -> u64 {
    let mut z = seed
        .wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A deterministic random source for `Random()`: draw 1, 2, 3... of [`seeded_draw`].
#[derive(Debug, Default)]
pub struct SeededRandom {
    seed: u64,
    count: Cell<u64>,
}

impl SeededRandom {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> SeededRandom {
        SeededRandom {
            seed,
            count: Cell::new(0),
        }
    }

    /// The next 64 random bits.
    pub fn draw(&self) -> u64 {
        let n = self.count.get().wrapping_add(1);
        self.count.set(n);
        seeded_draw(self.seed, n)
    }
}

/// Everything an evaluation may read. `'v` is the life of the values read (the variables and
/// the row), which [`eval_cow`](crate::expr::eval_cow) may lend in its result; `'a` is that of
/// everything else (the options and the sources of UUIDs and random draws).
pub struct EvalContext<'a, 'v> {
    /// The run's event variables.
    pub vars: &'v dyn Lookup,
    /// The row being filtered (Query filters only); `None` makes `@field` an error.
    pub row: Option<&'v dyn Lookup>,
    /// What `GetDate()` returns (the simulator's virtual clock).
    pub now: Timestamp,
    /// The options `GetOption` reads.
    pub options: &'a BTreeMap<String, String>,
    /// Where `newUUID()` takes its values.
    pub uuid: &'a dyn Fn() -> String,
    /// Where `Random()` takes its 64-bit draws (the simulator's seeded generator); `None` makes
    /// `Random()` an error rather than a value nobody can reproduce.
    pub random: Option<&'a dyn Fn() -> u64>,
}

impl<'a, 'v> EvalContext<'a, 'v> {
    /// A context without a row and without a random source.
    pub fn new(
        vars: &'v dyn Lookup,
        now: Timestamp,
        options: &'a BTreeMap<String, String>,
        uuid: &'a dyn Fn() -> String,
    ) -> EvalContext<'a, 'v> {
        EvalContext {
            vars,
            row: None,
            now,
            options,
            uuid,
            random: None,
        }
    }

    /// The same context filtering `row`.
    pub fn with_row(mut self, row: &'v dyn Lookup) -> EvalContext<'a, 'v> {
        self.row = Some(row);
        self
    }

    /// The same context drawing `Random()` from `random`.
    pub fn with_random(mut self, random: &'a dyn Fn() -> u64) -> EvalContext<'a, 'v> {
        self.random = Some(random);
        self
    }
}
