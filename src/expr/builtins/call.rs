//! One call of a function as its body sees it ([`Call`]: the function, its span, its argument
//! expressions, the context), the argument readers every family shares, and the errors and
//! bounds of results (string length, overflow, finite decimals, date range).

use crate::expr::ast::Expr;
use crate::expr::context::EvalContext;
use crate::expr::functions::{Func, Kind};
use crate::expr::limits::MAX_STRING_LEN;
use crate::expr::span::{ExprError, Span};
use crate::model::{Type, Value, midnight};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime as Civil};
use std::borrow::Cow;
use std::ops::Range;

/// One call of a function, its arguments evaluated. Bodies give owned values, so the context is
/// seen with one lifetime (`'a`, the shorter of the evaluation's two).
pub(crate) struct Call<'x, 'a> {
    /// The function.
    pub f: Func,
    /// The whole call's span.
    pub span: Span,
    /// The argument expressions (for their spans and count).
    pub args: &'x [Expr],
    /// What the evaluation may read.
    pub ctx: &'x EvalContext<'a, 'a>,
}

/// The error of a body asked for a function the evaluator runs itself (`Iif`, `Case`...) or
/// refuses (`RowId`...): never reached, since the evaluator handles those before asking.
pub(crate) fn no_body(c: &Call) -> ExprError {
    c.err(format!("internal error: `{}` has no body here", c.f.name()))
}

/// "an Integer", "a String", "null".
pub(crate) fn a_an(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Integer(_) => "an Integer".to_owned(),
        _ => format!("a {}", v.type_name()),
    }
}

/// An error when a string result would exceed [`MAX_STRING_LEN`].
pub(crate) fn check_len(len: usize, span: Span) -> Result<(), ExprError> {
    if len > MAX_STRING_LEN {
        Err(ExprError::new(
            span,
            format!("string result too long: {len} bytes, expected at most {MAX_STRING_LEN}"),
        ))
    } else {
        Ok(())
    }
}

/// A Decimal, or an error when it is not finite.
pub(crate) fn finite(f: f64, span: Span) -> Result<Value, ExprError> {
    if f.is_finite() {
        Ok(Value::Decimal(f))
    } else {
        Err(ExprError::new(
            span,
            "decimal result out of range: expected a finite number",
        ))
    }
}

/// The integer overflow error.
pub(crate) fn overflow(span: Span) -> ExprError {
    ExprError::new(
        span,
        format!(
            "integer overflow: expected a result between {} and {}",
            i64::MIN,
            i64::MAX
        ),
    )
}

/// The date out of range error.
pub(crate) fn date_range(span: Span) -> ExprError {
    ExprError::new(
        span,
        "date out of range: expected a year between -9999 and 9999",
    )
}

impl Call<'_, '_> {
    /// Argument `i` does not have the kind the function expects.
    pub fn bad(&self, i: usize, kind: Kind, v: &Value) -> ExprError {
        let spec = self.f.spec();
        ExprError::new(
            self.args.get(i).map_or(self.span, |a| a.span),
            format!(
                "argument {} of `{}` ({}) expects {}, found {}",
                i + 1,
                spec.name,
                spec.param_name(i),
                kind.expected(),
                a_an(v)
            ),
        )
    }

    /// An error about the whole call.
    pub fn err(&self, msg: String) -> ExprError {
        ExprError::new(self.span, msg)
    }

    /// An error about argument `i`.
    pub fn err_at(&self, i: usize, msg: String) -> ExprError {
        ExprError::new(self.args.get(i).map_or(self.span, |a| a.span), msg)
    }

    /// Argument `i` as a string slice.
    pub fn str<'v>(&self, v: &'v Value, i: usize) -> Result<&'v str, ExprError> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(self.bad(i, Kind::Str, other)),
        }
    }

    /// Argument `i` as an owned string: its own buffer when it owns one, else a copy.
    pub fn string(&self, v: Cow<'_, Value>, i: usize) -> Result<String, ExprError> {
        match v {
            Cow::Owned(Value::String(s)) => Ok(s),
            Cow::Borrowed(Value::String(s)) => Ok(s.clone()),
            other => Err(self.bad(i, Kind::Str, &other)),
        }
    }

    /// The bytes `range` of argument `i` (a String; the range on character boundaries, as
    /// `find` and `char_indices` give them) as an owned string, cut from its own buffer when it
    /// owns one, else copied.
    pub fn string_part(
        &self,
        v: Cow<'_, Value>,
        i: usize,
        range: Range<usize>,
    ) -> Result<String, ExprError> {
        match v {
            Cow::Owned(Value::String(mut s)) if s.get(range.clone()).is_some() => {
                s.truncate(range.end);
                s.drain(..range.start);
                Ok(s)
            }
            other => Ok(self
                .str(&other, i)?
                .get(range)
                .unwrap_or_default()
                .to_owned()),
        }
    }

    /// Argument `i` as an Integer.
    pub fn int(&self, v: &Value, i: usize) -> Result<i64, ExprError> {
        match v {
            Value::Integer(n) => Ok(*n),
            other => Err(self.bad(i, Kind::Int, other)),
        }
    }

    /// Argument `i` as a number (an Integer converted).
    pub fn num(&self, v: &Value, i: usize) -> Result<f64, ExprError> {
        match v {
            Value::Integer(n) => Ok(*n as f64),
            Value::Decimal(d) => Ok(*d),
            other => Err(self.bad(i, Kind::Num, other)),
        }
    }

    /// Argument `i` as an instant (a Date at its midnight UTC).
    pub fn instant(&self, v: &Value, i: usize) -> Result<Timestamp, ExprError> {
        match v {
            Value::Date(d) => midnight(*d).ok_or_else(|| date_range(self.span)),
            Value::DateTime(dt) => Ok(*dt),
            other => Err(self.bad(i, Kind::DateLike, other)),
        }
    }

    /// Argument `i` as a UTC clock reading.
    pub fn naive(&self, v: &Value, i: usize) -> Result<Civil, ExprError> {
        match v {
            Value::Date(d) => Ok(d.to_datetime(jiff::civil::Time::midnight())),
            other => self.instant(other, i).map(crate::model::time::utc),
        }
    }

    /// Argument `i` as a calendar date (a DateTime's UTC date).
    pub fn date_of(&self, v: &Value, i: usize) -> Result<Date, ExprError> {
        match v {
            Value::Date(d) => Ok(*d),
            Value::DateTime(dt) => Ok(crate::model::time::date_of(*dt)),
            other => Err(self.bad(i, Kind::DateLike, other)),
        }
    }

    /// A count argument that must not be negative.
    pub fn count(&self, v: &Value, i: usize, what: &str) -> Result<usize, ExprError> {
        let n = self.int(v, i)?;
        usize::try_from(n).map_err(|_| {
            self.err_at(
                i,
                format!("`{}` expects a {what} of 0 or more, got {n}", self.f.name()),
            )
        })
    }

    /// A String result, capped.
    pub fn text(&self, t: String) -> Result<Value, ExprError> {
        check_len(t.len(), self.span)?;
        Ok(Value::String(t))
    }

    /// The error for a value that does not convert to `target`.
    pub fn not_convertible(&self, v: &Value, target: Type) -> ExprError {
        self.err(format!(
            "`{}` cannot convert {} to {target}{}",
            self.f.name(),
            a_an(v),
            match v {
                Value::String(s) => format!(
                    ": \"{}\" is not a valid {target} (expected something like {})",
                    s.chars().take(40).collect::<String>(),
                    target.example()
                ),
                _ => String::new(),
            }
        ))
    }
}
