//! The one adapter between the simulator and the expression language: a field's expression
//! parsed once (the compiled plan holds every field of a design, see `plan`) and evaluated
//! against a run's variables, an optional row, the virtual clock, the design's options and a
//! deterministic uuid generator.

use crate::expr;
use crate::model::Value;
use chrono::{DateTime, Utc};
use std::cell::Cell;
use std::collections::BTreeMap;

/// One parsed expression field.
#[derive(Debug, Clone)]
pub enum Compiled {
    /// The field is empty.
    Empty,
    /// Parsed successfully.
    Parsed(expr::Expr),
    /// Did not parse: the error text.
    Invalid(String),
}

impl Compiled {
    /// Parses one field's text: `Empty` when blank, `Invalid` with the parser's message when it
    /// does not parse.
    pub fn new(src: &str) -> Compiled {
        if src.trim().is_empty() {
            Compiled::Empty
        } else {
            match expr::parse(src) {
                Ok(e) => Compiled::Parsed(e),
                Err(e) => Compiled::Invalid(e.to_string()),
            }
        }
    }
}

/// A row of a population as the expression language reads it (`@field`).
pub struct RowLookup<'a> {
    /// Column names.
    pub columns: &'a [String],
    /// The row's values, one per column.
    pub cells: &'a [Value],
}

impl expr::Lookup for RowLookup<'_> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.columns
            .iter()
            .position(|c| c == name)
            .and_then(|i| self.cells.get(i))
    }
}

/// What an evaluation may read.
pub struct Scope<'a> {
    /// The run's variables.
    pub vars: &'a dyn expr::Lookup,
    /// The row being filtered: column names and values.
    pub row: Option<(&'a [String], &'a [Value])>,
    /// The virtual clock.
    pub now: DateTime<Utc>,
    /// The design's options.
    pub options: &'a BTreeMap<String, String>,
    /// The run id, seed of generated uuids.
    pub run: u64,
    /// Counter of generated uuids and `Random()` draws in this simulator.
    pub uuids: &'a Cell<u64>,
}

/// A deterministic uuid: version-4 shape, derived from the run id and a counter.
pub fn deterministic_uuid(run: u64, n: u64) -> String {
    format!(
        "00000000-0000-4000-8000-{:04x}{:08x}",
        run & 0xffff,
        n & 0xffff_ffff
    )
}

/// Why a field's expression gave no value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// The field's text does not parse (`check` reports it too).
    #[error("{0}")]
    Invalid(String),
    /// The evaluation failed (a missing variable, a type error, an overflow...).
    #[error(transparent)]
    Failed(#[from] expr::ExprError),
}

/// Evaluates a parsed field; `Empty` gives `Null`.
pub fn eval(c: &Compiled, scope: &Scope<'_>) -> Result<Value, EvalError> {
    let e = match c {
        Compiled::Empty => return Ok(Value::Null),
        Compiled::Invalid(m) => return Err(EvalError::Invalid(m.clone())),
        Compiled::Parsed(e) => e,
    };
    let row = scope
        .row
        .map(|(columns, cells)| RowLookup { columns, cells });
    let uuid = || {
        let n = scope.uuids.get() + 1;
        scope.uuids.set(n);
        deterministic_uuid(scope.run, n)
    };
    // `Random()` draws from the run id and the simulator's counter: the same design and
    // scenario give the same numbers on every run, and designs without `Random()` keep their uuids.
    let random = || {
        let n = scope.uuids.get() + 1;
        scope.uuids.set(n);
        expr::seeded_draw(scope.run, n)
    };
    let ctx = expr::EvalContext {
        vars: scope.vars,
        row: row.as_ref().map(|r| r as &dyn expr::Lookup),
        now: scope.now,
        options: scope.options,
        uuid: &uuid,
        random: Some(&random),
    };
    Ok(expr::eval(e, &ctx)?)
}
