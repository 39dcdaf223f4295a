//! Helpers of the expression tests: a fixed context (clock `2025-01-06 09:00:00Z`, option
//! `brand` = `Acme`, a few variables, no variable `missing`) and short ways to evaluate.

use crate::expr::{
    EvalContext, ExprError, Lookup, SeededRandom, SequentialUuids, describe_value, eval, parse,
};
use crate::model::{Type, Value, default_clock_start};
use std::collections::BTreeMap;

/// The variables every test sees.
pub fn vars() -> BTreeMap<String, Value> {
    let mut v = BTreeMap::new();
    v.insert(
        "audience".to_owned(),
        Value::String("gold members".to_owned()),
    );
    v.insert("recCount".to_owned(), Value::Integer(12));
    v.insert("n".to_owned(), Value::String(" 7 ".to_owned()));
    v.insert("word".to_owned(), Value::String("abc".to_owned()));
    v.insert("price".to_owned(), Value::Decimal(2.5));
    v.insert("flag".to_owned(), Value::String("TRUE".to_owned()));
    v.insert(
        "day".to_owned(),
        Value::parse_as("2024-02-29", Type::Date).unwrap_or(Value::Null),
    );
    v.insert("nothing".to_owned(), Value::Null);
    v
}

/// Evaluates `src` with an optional row and random seed.
pub fn run_full(
    src: &str,
    row: Option<&dyn Lookup>,
    seed: Option<u64>,
) -> Result<Value, ExprError> {
    let vars = vars();
    let options = BTreeMap::from([("brand".to_owned(), "Acme".to_owned())]);
    let uuids = SequentialUuids::new();
    let next = || uuids.generate();
    let random = SeededRandom::new(seed.unwrap_or(0));
    let draw = || random.draw();
    let mut ctx = EvalContext::new(&vars, default_clock_start(), &options, &next);
    ctx.row = row;
    if seed.is_some() {
        ctx = ctx.with_random(&draw);
    }
    let e = parse(src)?;
    eval(&e, &ctx)
}

/// Runs `f` in the context every test sees (no row, no random source).
pub fn with_context<R>(f: impl FnOnce(&EvalContext<'_, '_>) -> R) -> R {
    let vars = vars();
    let options = BTreeMap::from([("brand".to_owned(), "Acme".to_owned())]);
    let uuids = SequentialUuids::new();
    let next = || uuids.generate();
    f(&EvalContext::new(
        &vars,
        default_clock_start(),
        &options,
        &next,
    ))
}

/// Evaluates `src` without a row or random source.
pub fn run(src: &str) -> Result<Value, ExprError> {
    run_full(src, None, None)
}

/// The result as [`describe_value`] writes it, or `ERR message`.
pub fn r(src: &str) -> String {
    show(run(src))
}

/// Like [`r`], with `Random()` seeded.
pub fn r_seeded(src: &str, seed: u64) -> String {
    show(run_full(src, None, Some(seed)))
}

fn show(v: Result<Value, ExprError>) -> String {
    match v {
        Ok(v) => describe_value(&v),
        Err(e) => format!("ERR {}", e.message),
    }
}

/// The error of `src`; panics (failing the test) when it evaluates.
pub fn err(src: &str) -> ExprError {
    match run(src) {
        Ok(v) => panic!("expected an error for {src}, got {v:?}"),
        Err(e) => e,
    }
}
