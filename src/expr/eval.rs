//! The evaluator: computes an expression's value over a run's event variables (and a row, in
//! Query filters). Total and bounded: every failure is an [`ExprError`] with a span; strings are
//! capped at [`MAX_STRING_LEN`]; the clock, options and UUIDs come from the caller.
//!
//! Null rules (SQL-like): arithmetic, comparisons, unary minus and every function propagate
//! null (any null argument gives null), except `IsNull`, `IsEmptyString`, `ToString`, `Iif`,
//! `Case` and `Coalesce`, which handle null explicitly. `AND`, `OR` and `NOT` use three-valued
//! logic (`false AND null` is false, `true OR null` is true, otherwise null wins).

use super::ast::{BinOp, Callee, Expr, ExprKind, Reader, UnaryOp};
use super::functions::{Func, Kind};
use super::{ExprError, MAX_STRING_LEN, Span};
use crate::model::{Column, Type, Value, format_datetime, midnight, parse_date, parse_datetime};
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};
use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Something that maps names to values: the event variables, or a row's fields.
pub trait Lookup {
    /// The value named `name`, if present.
    fn lookup(&self, name: &str) -> Option<&Value>;
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

/// Everything an evaluation may read.
pub struct EvalContext<'a> {
    /// The run's event variables.
    pub vars: &'a dyn Lookup,
    /// The row being filtered (Query filters only); `None` makes `@field` an error.
    pub row: Option<&'a dyn Lookup>,
    /// What `GetDate()` returns (the simulator's virtual clock).
    pub now: DateTime<Utc>,
    /// The options `GetOption` reads.
    pub options: &'a BTreeMap<String, String>,
    /// Where `newUUID()` takes its values.
    pub uuid: &'a dyn Fn() -> String,
}

impl<'a> EvalContext<'a> {
    /// A context without a row.
    pub fn new(
        vars: &'a dyn Lookup,
        now: DateTime<Utc>,
        options: &'a BTreeMap<String, String>,
        uuid: &'a dyn Fn() -> String,
    ) -> EvalContext<'a> {
        EvalContext {
            vars,
            row: None,
            now,
            options,
            uuid,
        }
    }

    /// The same context filtering `row`.
    pub fn with_row(mut self, row: &'a dyn Lookup) -> EvalContext<'a> {
        self.row = Some(row);
        self
    }
}

/// Evaluates an expression.
pub fn eval(expr: &Expr, ctx: &EvalContext) -> Result<Value, ExprError> {
    Evaluator { ctx }.eval(expr)
}

/// Writes a value the way the reference shows results: `'text'`, `42`, `2.5`, `true`,
/// `Date 2024-03-31`, `DateTime 2024-03-31 08:17:19.000Z`, `null`.
pub fn describe_value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(d) => format!("{d:?}"),
        Value::Boolean(b) => b.to_string(),
        Value::Date(d) => format!("Date {}", d.format("%Y-%m-%d")),
        Value::DateTime(dt) => format!("DateTime {}", format_datetime(dt)),
    }
}

fn a_an(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Integer(_) => "an Integer".to_owned(),
        _ => format!("a {}", v.type_name()),
    }
}

fn check_len(len: usize, span: Span) -> Result<(), ExprError> {
    if len > MAX_STRING_LEN {
        Err(ExprError::new(
            span,
            format!("string result too long: {len} bytes, expected at most {MAX_STRING_LEN}"),
        ))
    } else {
        Ok(())
    }
}

fn finite(f: f64, span: Span) -> Result<Value, ExprError> {
    if f.is_finite() {
        Ok(Value::Decimal(f))
    } else {
        Err(ExprError::new(
            span,
            "decimal result out of range: expected a finite number",
        ))
    }
}

fn overflow(span: Span) -> ExprError {
    ExprError::new(
        span,
        format!(
            "integer overflow: expected a result between {} and {}",
            i64::MIN,
            i64::MAX
        ),
    )
}

fn date_range(span: Span) -> ExprError {
    ExprError::new(
        span,
        "date out of range: expected a year between -262143 and 262142",
    )
}

/// The byte index of the `n`-th character of `s` (its length when shorter).
fn char_index(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn as_count(n: i64, what: &str, f: Func, span: Span) -> Result<usize, ExprError> {
    usize::try_from(n).map_err(|_| {
        ExprError::new(
            span,
            format!("`{}` expects a {what} of 0 or more, got {n}", f.name()),
        )
    })
}

fn delta(span: Span, d: Option<TimeDelta>) -> Result<TimeDelta, ExprError> {
    d.ok_or_else(|| date_range(span))
}

fn add_months_dt(dt: DateTime<Utc>, n: i64, span: Span) -> Result<DateTime<Utc>, ExprError> {
    let m = Months::new(u32::try_from(n.unsigned_abs()).map_err(|_| date_range(span))?);
    if n >= 0 {
        dt.checked_add_months(m)
    } else {
        dt.checked_sub_months(m)
    }
    .ok_or_else(|| date_range(span))
}

fn add_months_d(d: NaiveDate, n: i64, span: Span) -> Result<NaiveDate, ExprError> {
    let m = Months::new(u32::try_from(n.unsigned_abs()).map_err(|_| date_range(span))?);
    if n >= 0 {
        d.checked_add_months(m)
    } else {
        d.checked_sub_months(m)
    }
    .ok_or_else(|| date_range(span))
}

fn naive(v: &Value) -> Option<NaiveDateTime> {
    match v {
        Value::Date(d) => Some(midnight(*d).naive_utc()),
        Value::DateTime(dt) => Some(dt.naive_utc()),
        _ => None,
    }
}

fn date_format(dt: NaiveDateTime, fmt: &str, span: Span) -> Result<String, ExprError> {
    let mut out = String::with_capacity(fmt.len() + 8);
    let mut rest = fmt;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3);
        let written = match code {
            Some("4Y") => write!(out, "{:04}", dt.year()),
            Some("2M") => write!(out, "{:02}", dt.month()),
            Some("2D") => write!(out, "{:02}", dt.day()),
            Some("2H") => write!(out, "{:02}", dt.hour()),
            Some("2N") => write!(out, "{:02}", dt.minute()),
            Some("2S") => write!(out, "{:02}", dt.second()),
            _ => {
                out.push('%');
                rest = &rest[i + 1..];
                continue;
            }
        };
        written.map_err(|_| ExprError::new(span, "could not format the date"))?;
        rest = &rest[i + 3..];
        check_len(out.len(), span)?;
    }
    out.push_str(rest);
    check_len(out.len(), span)?;
    Ok(out)
}

fn url_encode(s: &str, span: Span) -> Result<String, ExprError> {
    let keep = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    let len: usize = s.bytes().map(|b| if keep(b) { 1 } else { 3 }).sum();
    check_len(len, span)?;
    let mut out = String::with_capacity(len);
    for b in s.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Ok(out)
}

fn split_file(path: &str) -> (&str, &str) {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i + 1..]),
        _ => (name, ""),
    }
}

fn round_int(x: i64, digits: i64, span: Span) -> Result<i64, ExprError> {
    if digits >= 0 {
        return Ok(x);
    }
    let p = 10i64
        .checked_pow(u32::try_from(-digits).unwrap_or(u32::MAX))
        .ok_or_else(|| overflow(span))?;
    let r = x % p;
    let q = x - r;
    if r.unsigned_abs().saturating_mul(2) >= p.unsigned_abs() {
        if x >= 0 {
            q.checked_add(p)
        } else {
            q.checked_sub(p)
        }
        .ok_or_else(|| overflow(span))
    } else {
        Ok(q)
    }
}

fn trunc_to_int(d: f64, span: Span) -> Result<i64, ExprError> {
    let t = d.trunc();
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t) {
        Ok(t as i64)
    } else {
        Err(overflow(span))
    }
}

struct Evaluator<'c, 'a> {
    ctx: &'c EvalContext<'a>,
}

impl Evaluator<'_, '_> {
    fn eval(&self, e: &Expr) -> Result<Value, ExprError> {
        match &e.kind {
            ExprKind::Literal(v) => Ok(v.clone()),
            ExprKind::Var { reader, name } => match self.ctx.vars.lookup(name) {
                None => Ok(Value::Null),
                Some(v) => read_var(*reader, name, v, e.span),
            },
            ExprKind::Field(name) => {
                let Some(row) = self.ctx.row else {
                    return Err(ExprError::new(
                        e.span,
                        "`@field` is only allowed in Query filters",
                    ));
                };
                row.lookup(name).cloned().ok_or_else(|| {
                    ExprError::new(
                        e.span,
                        format!("unknown field '@{name}': the row has no such column"),
                    )
                })
            }
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand)?;
                match (op, v) {
                    (_, Value::Null) => Ok(Value::Null),
                    (UnaryOp::Neg, Value::Integer(i)) => i
                        .checked_neg()
                        .map(Value::Integer)
                        .ok_or_else(|| overflow(e.span)),
                    (UnaryOp::Neg, Value::Decimal(d)) => Ok(Value::Decimal(-d)),
                    (UnaryOp::Not, Value::Boolean(b)) => Ok(Value::Boolean(!b)),
                    (UnaryOp::Neg, v) => Err(ExprError::new(
                        e.span,
                        format!(
                            "`-` expects a number (Integer or Decimal), found {}",
                            a_an(&v)
                        ),
                    )),
                    (UnaryOp::Not, v) => Err(ExprError::new(
                        e.span,
                        format!("`NOT` expects a Boolean, found {}", a_an(&v)),
                    )),
                }
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => match op {
                BinOp::And | BinOp::Or => self.logic(*op, *op_span, lhs, rhs),
                _ => {
                    let l = self.eval(lhs)?;
                    let r = self.eval(rhs)?;
                    binary(*op, *op_span, l, r)
                }
            },
            ExprKind::Call {
                callee,
                name_span,
                args,
            } => match callee {
                Callee::Unknown(name) => Err(ExprError::new(
                    *name_span,
                    format!("unknown function `{name}`"),
                )),
                Callee::Known(f) => self.call(*f, e.span, args),
            },
        }
    }

    fn logic(&self, op: BinOp, span: Span, lhs: &Expr, rhs: &Expr) -> Result<Value, ExprError> {
        let as_bool = |v: Value, side: &str| match v {
            Value::Null => Ok(None),
            Value::Boolean(b) => Ok(Some(b)),
            other => Err(ExprError::new(
                span,
                format!(
                    "`{}` expects Boolean operands, found {} on the {side}",
                    op.symbol(),
                    a_an(&other)
                ),
            )),
        };
        let short = op == BinOp::Or; // the value that decides alone
        let l = as_bool(self.eval(lhs)?, "left")?;
        if l == Some(short) {
            return Ok(Value::Boolean(short));
        }
        let r = as_bool(self.eval(rhs)?, "right")?;
        Ok(match (l, r) {
            (_, Some(b)) if b == short => Value::Boolean(short),
            (Some(_), Some(_)) => Value::Boolean(!short),
            _ => Value::Null,
        })
    }

    fn truthy(&self, cond: &Expr, f: Func) -> Result<bool, ExprError> {
        match self.eval(cond)? {
            Value::Boolean(b) => Ok(b),
            Value::Null => Ok(false),
            other => Err(ExprError::new(
                cond.span,
                format!(
                    "a condition of `{}` expects a Boolean, found {}",
                    f.name(),
                    a_an(&other)
                ),
            )),
        }
    }

    fn call(&self, f: Func, span: Span, args: &[Expr]) -> Result<Value, ExprError> {
        let spec = f.spec();
        let n = args.len();
        if n < spec.min || spec.max().is_some_and(|m| n > m) {
            return Err(ExprError::new(
                span,
                format!("`{}` {}; got {n}", spec.name, spec.arity_text()),
            ));
        }
        match f {
            Func::Iif => {
                let pick = if self.truthy(&args[0], f)? { 1 } else { 2 };
                return self.eval(&args[pick]);
            }
            Func::Case => {
                let mut i = 0;
                while i + 1 < n {
                    if self.truthy(&args[i], f)? {
                        return self.eval(&args[i + 1]);
                    }
                    i += 2;
                }
                return if i < n {
                    self.eval(&args[i])
                } else {
                    Ok(Value::Null)
                };
            }
            Func::Coalesce => {
                for a in args {
                    let v = self.eval(a)?;
                    if !v.is_null() {
                        return Ok(v);
                    }
                }
                return Ok(Value::Null);
            }
            _ => {}
        }
        // Every other function has at most 3 parameters (checked above).
        let mut vals = [Value::Null, Value::Null, Value::Null];
        let mut any_null = false;
        for (slot, a) in vals.iter_mut().zip(args) {
            *slot = self.eval(a)?;
            any_null |= slot.is_null();
        }
        match f {
            Func::IsNull => return Ok(Value::Boolean(vals[0].is_null())),
            Func::IsEmptyString => {
                return Ok(Value::Boolean(match &vals[0] {
                    Value::Null => true,
                    Value::String(s) => s.is_empty(),
                    _ => false,
                }));
            }
            Func::ToString => {
                let [v, _, _] = vals;
                return Ok(Value::String(match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                }));
            }
            _ if any_null => return Ok(Value::Null),
            _ => {}
        }
        Call {
            f,
            span,
            args,
            ctx: self.ctx,
        }
        .run(vals)
    }
}

fn read_var(reader: Reader, name: &str, v: &Value, span: Span) -> Result<Value, ExprError> {
    let ty = match (reader, v) {
        (_, Value::Null) => return Ok(Value::Null),
        (Reader::Text, Value::String(s)) => return Ok(Value::String(s.clone())),
        (Reader::Text, other) => return Ok(Value::String(other.to_string())),
        (Reader::Long, Value::Integer(_))
        | (Reader::Float, Value::Decimal(_))
        | (Reader::Boolean, Value::Boolean(_))
        | (Reader::DateTime, Value::DateTime(_)) => return Ok(v.clone()),
        (Reader::Float, Value::Integer(i)) => return Ok(Value::Decimal(*i as f64)),
        (Reader::DateTime, Value::Date(d)) => return Ok(Value::DateTime(midnight(*d))),
        (r, _) => r.ty(),
    };
    let text = match v {
        Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
        other => std::borrow::Cow::Owned(other.to_string()),
    };
    Value::parse_as(&text, ty).map_err(|e| {
        ExprError::new(
            span,
            format!(
                "cannot read variable '{name}' with `{}(...)`: {e}",
                reader.prefix()
            ),
        )
    })
}

fn binary(op: BinOp, span: Span, l: Value, r: Value) -> Result<Value, ExprError> {
    use Value::*;
    if l.is_null() || r.is_null() {
        return Ok(Null);
    }
    if op.is_comparison() {
        let Some(ord) = l.compare(&r) else {
            return Err(ExprError::new(
                span,
                format!(
                    "cannot compare {} with {}: expected two numbers, two dates or two values of the same type",
                    l.type_name(),
                    r.type_name()
                ),
            ));
        };
        let b = match op {
            BinOp::Eq => ord == Ordering::Equal,
            BinOp::Ne => ord != Ordering::Equal,
            BinOp::Lt => ord == Ordering::Less,
            BinOp::Le => ord != Ordering::Greater,
            BinOp::Gt => ord == Ordering::Greater,
            _ => ord != Ordering::Less,
        };
        return Ok(Boolean(b));
    }
    let num = |v: &Value| match v {
        Integer(i) => Some(*i as f64),
        Decimal(d) => Some(*d),
        _ => None,
    };
    match (op, l, r) {
        (BinOp::Add, String(mut a), String(b)) => {
            check_len(a.len().saturating_add(b.len()), span)?;
            a.push_str(&b);
            Ok(String(a))
        }
        (BinOp::Add, Integer(a), Integer(b)) => {
            a.checked_add(b).map(Integer).ok_or_else(|| overflow(span))
        }
        (BinOp::Sub, Integer(a), Integer(b)) => {
            a.checked_sub(b).map(Integer).ok_or_else(|| overflow(span))
        }
        (BinOp::Mul, Integer(a), Integer(b)) => {
            a.checked_mul(b).map(Integer).ok_or_else(|| overflow(span))
        }
        (BinOp::Div, Integer(_), Integer(0)) => Err(ExprError::new(span, "division by zero")),
        (BinOp::Div, Integer(a), Integer(b)) => {
            a.checked_div(b).map(Integer).ok_or_else(|| overflow(span))
        }
        (op, l, r) => match (num(&l), num(&r)) {
            (Some(a), Some(b)) => match op {
                BinOp::Add => finite(a + b, span),
                BinOp::Sub => finite(a - b, span),
                BinOp::Mul => finite(a * b, span),
                _ if b == 0.0 => Err(ExprError::new(span, "division by zero")),
                _ => finite(a / b, span),
            },
            _ => Err(ExprError::new(
                span,
                if op == BinOp::Add {
                    format!(
                        "`+` cannot combine {} and {}: expected two numbers or two Strings",
                        l.type_name(),
                        r.type_name()
                    )
                } else {
                    format!(
                        "`{}` expects numbers (Integer or Decimal), found {} and {}",
                        op.symbol(),
                        l.type_name(),
                        r.type_name()
                    )
                },
            )),
        },
    }
}

/// One call of a null-propagating function, its arguments evaluated and non-null.
struct Call<'x, 'a> {
    f: Func,
    span: Span,
    args: &'x [Expr],
    ctx: &'x EvalContext<'a>,
}

impl Call<'_, '_> {
    fn bad(&self, i: usize, kind: Kind, v: &Value) -> ExprError {
        let spec = self.f.spec();
        let pname = spec.params.get(i).map_or("value", |p| p.name);
        ExprError::new(
            self.args.get(i).map_or(self.span, |a| a.span),
            format!(
                "argument {} of `{}` ({pname}) expects {}, found {}",
                i + 1,
                spec.name,
                kind.expected(),
                a_an(v)
            ),
        )
    }

    fn err(&self, msg: String) -> ExprError {
        ExprError::new(self.span, msg)
    }

    fn str<'v>(&self, v: &'v Value, i: usize) -> Result<&'v str, ExprError> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(self.bad(i, Kind::Str, other)),
        }
    }

    fn int(&self, v: &Value, i: usize) -> Result<i64, ExprError> {
        match v {
            Value::Integer(n) => Ok(*n),
            other => Err(self.bad(i, Kind::Int, other)),
        }
    }

    fn string(&self, v: Value, i: usize) -> Result<String, ExprError> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(self.bad(i, Kind::Str, &other)),
        }
    }

    fn date_like(&self, v: &Value, i: usize) -> Result<(), ExprError> {
        match v {
            Value::Date(_) | Value::DateTime(_) => Ok(()),
            other => Err(self.bad(i, Kind::DateLike, other)),
        }
    }

    fn to_datetime(&self, v: &Value, i: usize) -> Result<DateTime<Utc>, ExprError> {
        match v {
            Value::Date(d) => Ok(midnight(*d)),
            Value::DateTime(dt) => Ok(*dt),
            other => Err(self.bad(i, Kind::DateLike, other)),
        }
    }

    fn date_of(&self, v: &Value, i: usize) -> Result<NaiveDate, ExprError> {
        match v {
            Value::Date(d) => Ok(*d),
            Value::DateTime(dt) => Ok(dt.date_naive()),
            other => Err(self.bad(i, Kind::DateLike, other)),
        }
    }

    fn not_convertible(&self, v: &Value, target: Type) -> ExprError {
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

    fn run(&self, vals: [Value; 3]) -> Result<Value, ExprError> {
        use Value as V;
        let span = self.span;
        let [a, b, c] = vals;
        let s = |t: String| -> Result<Value, ExprError> {
            check_len(t.len(), span)?;
            Ok(V::String(t))
        };
        Ok(match self.f {
            Func::Upper => return s(self.str(&a, 0)?.to_uppercase()),
            Func::Lower => return s(self.str(&a, 0)?.to_lowercase()),
            Func::Left => {
                let t = self.string(a, 0)?;
                let n = as_count(self.int(&b, 1)?, "count", self.f, span)?;
                let mut t = t;
                t.truncate(char_index(&t, n));
                V::String(t)
            }
            Func::Right => {
                let t = self.str(&a, 0)?;
                let n = as_count(self.int(&b, 1)?, "count", self.f, span)?;
                let total = t.chars().count();
                V::String(t[char_index(t, total.saturating_sub(n))..].to_owned())
            }
            Func::Substring => {
                let t = self.str(&a, 0)?;
                let start = self.int(&b, 1)?;
                let len = as_count(self.int(&c, 2)?, "length", self.f, span)?;
                if start < 1 {
                    return Err(self.err(format!(
                        "`Substring` counts characters from 1: expected a start of 1 or more, got {start}"
                    )));
                }
                let from = char_index(t, usize::try_from(start - 1).unwrap_or(usize::MAX));
                let rest = &t[from..];
                V::String(rest[..char_index(rest, len)].to_owned())
            }
            Func::Length => V::Integer(
                i64::try_from(self.str(&a, 0)?.chars().count()).map_err(|_| overflow(span))?,
            ),
            Func::Replace => {
                let t = self.string(a, 0)?;
                let find = self.str(&b, 1)?;
                let rep = self.str(&c, 2)?;
                if find.is_empty() {
                    return Ok(V::String(t));
                }
                let count = t.matches(find).count();
                let len =
                    (t.len() - count * find.len()).saturating_add(count.saturating_mul(rep.len()));
                check_len(len, span)?;
                V::String(t.replace(find, rep))
            }
            Func::Trim => {
                let t = self.string(a, 0)?;
                let trimmed = t.trim();
                if trimmed.len() == t.len() {
                    V::String(t)
                } else {
                    V::String(trimmed.to_owned())
                }
            }
            Func::LPad => {
                let t = self.string(a, 0)?;
                let len = as_count(self.int(&b, 1)?, "length", self.f, span)?;
                let Some(pad) = self.str(&c, 2)?.chars().next() else {
                    return Err(self.err("`LPad` expects a non-empty pad string".to_owned()));
                };
                let cur = t.chars().count();
                if cur >= len {
                    return Ok(V::String(t));
                }
                let needed = len - cur;
                let bytes = needed
                    .saturating_mul(pad.len_utf8())
                    .saturating_add(t.len());
                check_len(bytes, span)?;
                let mut out = String::with_capacity(bytes);
                out.extend(std::iter::repeat_n(pad, needed));
                out.push_str(&t);
                V::String(out)
            }
            Func::Char => {
                let code = self.int(&a, 0)?;
                let ch = u32::try_from(code).ok().and_then(char::from_u32).ok_or_else(|| {
                    self.err(format!(
                        "`Char` expects a Unicode code point (0 to 1114111, not a surrogate), got {code}"
                    ))
                })?;
                V::String(ch.to_string())
            }
            Func::EndWith => V::Boolean(self.str(&a, 0)?.ends_with(self.str(&b, 1)?)),
            Func::StartWith => V::Boolean(self.str(&a, 0)?.starts_with(self.str(&b, 1)?)),
            Func::Extract => {
                let t = self.string(a, 0)?;
                let sep = self.str(&b, 1)?;
                match t.find(sep) {
                    Some(i) if !sep.is_empty() => V::String(t[..i].to_owned()),
                    _ => V::String(t),
                }
            }
            Func::ExtractRight => {
                let t = self.string(a, 0)?;
                let sep = self.str(&b, 1)?;
                match t.rfind(sep) {
                    Some(i) if !sep.is_empty() => V::String(t[i + sep.len()..].to_owned()),
                    _ => V::String(t),
                }
            }
            Func::FileName => V::String(split_file(self.str(&a, 0)?).0.to_owned()),
            Func::FileExt => V::String(split_file(self.str(&a, 0)?).1.to_owned()),
            Func::UrlUtf8Encode => V::String(url_encode(self.str(&a, 0)?, span)?),
            Func::Abs => match a {
                V::Integer(i) => V::Integer(i.checked_abs().ok_or_else(|| overflow(span))?),
                V::Decimal(d) => V::Decimal(d.abs()),
                other => return Err(self.bad(0, Kind::Num, &other)),
            },
            Func::Ceil | Func::Floor => match a {
                V::Integer(i) => V::Integer(i),
                V::Decimal(d) => V::Decimal(if self.f == Func::Ceil {
                    d.ceil()
                } else {
                    d.floor()
                }),
                other => return Err(self.bad(0, Kind::Num, &other)),
            },
            Func::Round => {
                let digits = if self.args.len() > 1 {
                    self.int(&b, 1)?
                } else {
                    0
                };
                if !(-15..=15).contains(&digits) {
                    return Err(self.err(format!(
                        "`Round` expects digits between -15 and 15, got {digits}"
                    )));
                }
                match a {
                    V::Integer(i) => V::Integer(round_int(i, digits, span)?),
                    V::Decimal(d) => {
                        let m = 10f64.powi(i32::try_from(digits).unwrap_or(0));
                        let r = (d * m).round() / m;
                        V::Decimal(if r.is_finite() { r } else { d })
                    }
                    other => return Err(self.bad(0, Kind::Num, &other)),
                }
            }
            Func::ToInteger => match a {
                V::Integer(i) => V::Integer(i),
                V::Decimal(d) => V::Integer(trunc_to_int(d, span)?),
                V::Boolean(b) => V::Integer(i64::from(b)),
                V::String(ref t) => match Value::parse_as(t, Type::Integer) {
                    Ok(v) => v,
                    Err(_) => match Value::parse_as(t, Type::Decimal) {
                        Ok(V::Decimal(d)) => V::Integer(trunc_to_int(d, span)?),
                        _ => return Err(self.not_convertible(&a, Type::Integer)),
                    },
                },
                other => return Err(self.not_convertible(&other, Type::Integer)),
            },
            Func::ToDouble => match a {
                V::Integer(i) => V::Decimal(i as f64),
                V::Decimal(d) => V::Decimal(d),
                V::Boolean(b) => V::Decimal(if b { 1.0 } else { 0.0 }),
                V::String(ref t) => Value::parse_as(t, Type::Decimal)
                    .map_err(|_| self.not_convertible(&a, Type::Decimal))?,
                other => return Err(self.not_convertible(&other, Type::Decimal)),
            },
            Func::GetDate => V::DateTime(self.ctx.now),
            Func::ToDate => match a {
                V::Date(d) => V::Date(d),
                V::DateTime(dt) => V::Date(dt.date_naive()),
                V::String(ref t) => {
                    let t = t.trim();
                    match parse_date(t).or_else(|| parse_datetime(t).map(|dt| dt.date_naive())) {
                        Some(d) => V::Date(d),
                        None => return Err(self.not_convertible(&a, Type::Date)),
                    }
                }
                other => return Err(self.not_convertible(&other, Type::Date)),
            },
            Func::ToDateTime => match a {
                V::Date(d) => V::DateTime(midnight(d)),
                V::DateTime(dt) => V::DateTime(dt),
                V::String(ref t) => match parse_datetime(t.trim()) {
                    Some(dt) => V::DateTime(dt),
                    None => return Err(self.not_convertible(&a, Type::DateTime)),
                },
                other => return Err(self.not_convertible(&other, Type::DateTime)),
            },
            Func::AddDays => {
                let n = self.int(&b, 1)?;
                let d = delta(span, TimeDelta::try_days(n))?;
                match a {
                    V::Date(x) => V::Date(x.checked_add_signed(d).ok_or_else(|| date_range(span))?),
                    V::DateTime(x) => {
                        V::DateTime(x.checked_add_signed(d).ok_or_else(|| date_range(span))?)
                    }
                    other => return Err(self.bad(0, Kind::DateLike, &other)),
                }
            }
            Func::AddHours | Func::AddMinutes => {
                let x = self.to_datetime(&a, 0)?;
                let n = self.int(&b, 1)?;
                let d = delta(
                    span,
                    if self.f == Func::AddHours {
                        TimeDelta::try_hours(n)
                    } else {
                        TimeDelta::try_minutes(n)
                    },
                )?;
                V::DateTime(x.checked_add_signed(d).ok_or_else(|| date_range(span))?)
            }
            Func::AddMonths | Func::AddYears => {
                let n = self.int(&b, 1)?;
                let months = if self.f == Func::AddYears {
                    n.checked_mul(12).ok_or_else(|| date_range(span))?
                } else {
                    n
                };
                match a {
                    V::Date(x) => V::Date(add_months_d(x, months, span)?),
                    V::DateTime(x) => V::DateTime(add_months_dt(x, months, span)?),
                    other => return Err(self.bad(0, Kind::DateLike, &other)),
                }
            }
            Func::DaysAgo => {
                let n = self.int(&a, 0)?;
                let d = delta(span, TimeDelta::try_days(n))?;
                V::Date(
                    self.ctx
                        .now
                        .date_naive()
                        .checked_sub_signed(d)
                        .ok_or_else(|| date_range(span))?,
                )
            }
            Func::DateOnly => V::Date(self.date_of(&a, 0)?),
            Func::DateFormat => {
                self.date_like(&a, 0)?;
                let dt = naive(&a).ok_or_else(|| self.bad(0, Kind::DateLike, &a))?;
                V::String(date_format(dt, self.str(&b, 1)?, span)?)
            }
            Func::Year => V::Integer(i64::from(self.date_of(&a, 0)?.year())),
            Func::Month => V::Integer(i64::from(self.date_of(&a, 0)?.month())),
            Func::Day => V::Integer(i64::from(self.date_of(&a, 0)?.day())),
            Func::ToBoolean => match a {
                V::Boolean(x) => V::Boolean(x),
                V::Integer(i) => V::Boolean(i != 0),
                V::Decimal(d) => V::Boolean(d != 0.0),
                V::String(ref t) => Value::parse_as(t, Type::Boolean)
                    .map_err(|_| self.not_convertible(&a, Type::Boolean))?,
                other => return Err(self.not_convertible(&other, Type::Boolean)),
            },
            Func::GetOption => {
                let name = self.str(&a, 0)?;
                self.ctx
                    .options
                    .get(name)
                    .map_or(V::Null, |o| V::String(o.clone()))
            }
            Func::NewUuid => V::String((self.ctx.uuid)()),
            // Handled before argument evaluation or null propagation.
            Func::Iif
            | Func::Case
            | Func::Coalesce
            | Func::IsNull
            | Func::IsEmptyString
            | Func::ToString => V::Null,
        })
    }
}
