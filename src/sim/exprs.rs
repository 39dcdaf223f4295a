//! The one adapter between the simulator and the expression language: a field's expression
//! parsed once (the compiled plan holds every field of a design, see `plan`) and evaluated
//! against a run's variables, an optional row, the virtual clock, the design's options and a
//! deterministic uuid generator.

use crate::expr;
use crate::model::Value;
use jiff::Timestamp;
use std::borrow::Cow;
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

impl Compiled {
    /// Resolves its variable reads to the slots `slot_of` gives (see
    /// [`expr::Expr::resolve_vars`]).
    pub(crate) fn resolve(&mut self, slot_of: &dyn Fn(&str) -> Option<u32>) {
        if let Compiled::Parsed(e) = self {
            e.resolve_vars(slot_of);
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
        cell(self.columns, self.cells, name)
    }
}

/// The value of the column `name` of a row.
fn cell<'v>(columns: &[String], cells: &'v [Value], name: &str) -> Option<&'v Value> {
    columns
        .iter()
        .position(|c| c == name)
        .and_then(|i| cells.get(i))
}

/// A row as a [`Scope`] holds it (column names, values), read as [`RowLookup`] reads it.
impl expr::Lookup for (&[String], &[Value]) {
    fn lookup(&self, name: &str) -> Option<&Value> {
        cell(self.0, self.1, name)
    }
}

/// What an evaluation may read.
pub struct Scope<'a> {
    /// The run's variables.
    pub vars: &'a dyn expr::Lookup,
    /// The row being filtered: column names and values.
    pub row: Option<(&'a [String], &'a [Value])>,
    /// The virtual clock.
    pub now: Timestamp,
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
    eval_cow(c, scope).map(Cow::into_owned)
}

/// Evaluates a parsed field like [`eval`], lending what it reads as it is (a literal of the
/// field, a variable or row value read as its stored type) instead of copying it. The result
/// lives as long as the scope's borrows and the scope itself (which holds the row it lends from).
pub fn eval_cow<'a>(c: &'a Compiled, scope: &'a Scope<'a>) -> Result<Cow<'a, Value>, EvalError> {
    let e = match c {
        Compiled::Empty => return Ok(Cow::Owned(Value::Null)),
        Compiled::Invalid(m) => return Err(EvalError::Invalid(m.clone())),
        Compiled::Parsed(e) => e,
    };
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
        row: scope.row.as_ref().map(|r| r as &dyn expr::Lookup),
        now: scope.now,
        options: scope.options,
        uuid: &uuid,
        random: Some(&random),
    };
    Ok(expr::eval_cow(e, &ctx)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> BTreeMap<String, Value> {
        BTreeMap::from([
            ("word".to_owned(), Value::String("abc".to_owned())),
            ("count".to_owned(), Value::Integer(3)),
        ])
    }

    /// Evaluates `src` as `Cx::eval` does (a scope over borrowed variables and an optional row)
    /// and gives what it saw: the value, whether it was lent, and the uuid counter after.
    fn seen(
        src: &str,
        row: Option<(&[String], &[Value])>,
    ) -> (Result<Value, EvalError>, bool, u64) {
        let vars = vars();
        let options = BTreeMap::new();
        let uuids = Cell::new(0);
        let compiled = Compiled::new(src);
        let scope = Scope {
            vars: &vars,
            row,
            now: crate::model::default_clock_start(),
            options: &options,
            run: 7,
            uuids: &uuids,
        };
        let v = eval_cow(&compiled, &scope);
        let lent = matches!(v, Ok(Cow::Borrowed(_)));
        let owned = eval(&compiled, &scope);
        assert_eq!(v.map(Cow::into_owned), owned, "{src}");
        (owned, lent, uuids.get())
    }

    #[test]
    fn eval_cow_lends_variables_fields_and_literals() {
        let columns = ["email".to_owned()];
        let cells = [Value::String("a@b.org".to_owned())];
        let text = |s: &str| Ok(Value::String(s.to_owned()));
        assert_eq!(seen("$(vars/@word)", None), (text("abc"), true, 0));
        assert_eq!(
            seen("$long(vars/@count)", None),
            (Ok(Value::Integer(3)), true, 0)
        );
        assert_eq!(seen("'x'", None), (text("x"), true, 0));
        let row = Some((&columns[..], &cells[..]));
        assert_eq!(seen("@email", row), (text("a@b.org"), true, 0));
        assert_eq!(seen("'to ' + @email", row), (text("to a@b.org"), false, 0));
        assert_eq!(seen("$(vars/@count)", None), (text("3"), false, 0));
        assert_eq!(seen("  ", None), (Ok(Value::Null), false, 0));
    }

    #[test]
    fn eval_cow_keeps_errors_and_the_uuid_counter() {
        // `seen` evaluates twice (lent, then owned), so each draws one uuid.
        let (v, lent, n) = seen("ToString(newUUID() = newUUID())", None);
        assert_eq!(v, Ok(Value::String("false".to_owned())));
        assert!(!lent);
        assert_eq!(n, 4);
        let vars = vars();
        let (options, uuids) = (BTreeMap::new(), Cell::new(0));
        let scope = Scope {
            vars: &vars,
            row: None,
            now: crate::model::default_clock_start(),
            options: &options,
            run: 7,
            uuids: &uuids,
        };
        let compiled = Compiled::new("newUUID()");
        let first = eval_cow(&compiled, &scope).map(Cow::into_owned);
        assert_eq!(first, Ok(Value::String(deterministic_uuid(7, 1))));
        assert_eq!(
            eval(&compiled, &scope),
            Ok(Value::String(deterministic_uuid(7, 2)))
        );
        assert!(matches!(seen("1 +", None).0, Err(EvalError::Invalid(_))));
        let (v, _, _) = seen("@email", None);
        assert!(matches!(v, Err(EvalError::Failed(e)) if e.message.contains("Query filters")));
    }
}
