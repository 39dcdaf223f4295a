//! The bodies of the functions, one file per family: `dates` (Dates), `numbers` (Numerical and
//! Geomarketing), `other` (Others), `text` (String) and `event` (the event-variable functions),
//! over `call` (one call as a body sees it, and the readers and errors the families share).
//! Each family's `run` matches every function of its family by name. The evaluator has already
//! checked the arity, applied the null rule of the table and handled the lazy functions (`Iif`,
//! `Case`, `Coalesce`...); each body still checks its argument types, since evaluation may run
//! without the checker.

mod call;
mod dates;
mod event;
mod numbers;
mod other;
mod text;

pub(crate) use call::{Call, a_an, check_len, finite, overflow};

use crate::expr::functions::Func;
use crate::expr::span::ExprError;
use crate::model::Value;
use std::borrow::Cow;

/// Runs the body of `c.f` on its evaluated arguments (lent when the evaluator could lend them),
/// through its family.
pub(crate) fn run(c: &Call, vals: [Cow<'_, Value>; 4]) -> Result<Value, ExprError> {
    match c.f {
        Func::Dates(f) => dates::run(c, f, vals),
        Func::Geomarketing(f) => numbers::geo(c, f, vals),
        Func::Numerical(f) => numbers::run(c, f, vals),
        Func::Others(f) => other::run(c, f, vals),
        Func::String(f) => text::run(c, f, vals),
        Func::EventVariables(f) => event::run(c, f, vals),
    }
}

#[cfg(test)]
pub(crate) mod test_support;
