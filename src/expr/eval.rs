//! The evaluator: computes an expression's value over a run's event variables (and a row, in
//! Query filters). Total and bounded: every failure is an [`ExprError`] with a span; strings are
//! capped at [`MAX_STRING_LEN`]; the clock, options, UUIDs and random draws come from the caller.
//!
//! Null rules (SQL-like): arithmetic, comparisons, `IN`, `LIKE`, unary minus and every function
//! whose table row says [`Nulls::Propagate`] give null when an operand is null. `IS NULL`, the
//! functions marked [`Nulls::Handles`] (`IsNull`, `Coalesce`, `Iif`, `Case`...) handle null
//! themselves. `AND`, `OR` and `NOT` use three-valued logic (`false AND null` is false, `true OR
//! null` is true, otherwise null wins). The functions themselves are in `builtins/`.

use super::ast::{BinOp, Callee, Expr, ExprKind, Reader, UnaryOp};
use super::builtins::{self, Call, a_an, check_len, finite, overflow};
use super::functions::{Availability, Func, Nulls};
use super::{ExprError, Span};
use crate::model::{Column, Value, format_datetime, midnight};
use chrono::{DateTime, Utc};
use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

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
    /// Where `Random()` takes its 64-bit draws (the simulator's seeded generator); `None` makes
    /// `Random()` an error rather than a value nobody can reproduce.
    pub random: Option<&'a dyn Fn() -> u64>,
}

impl<'a> EvalContext<'a> {
    /// A context without a row and without a random source.
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
            random: None,
        }
    }

    /// The same context filtering `row`.
    pub fn with_row(mut self, row: &'a dyn Lookup) -> EvalContext<'a> {
        self.row = Some(row);
        self
    }

    /// The same context drawing `Random()` from `random`.
    pub fn with_random(mut self, random: &'a dyn Fn() -> u64) -> EvalContext<'a> {
        self.random = Some(random);
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

/// Whether `text` matches the LIKE `pattern`: `%` any run of characters, `_` exactly one, `\`
/// escapes the next character; everything else matches itself (case-sensitive), and the whole
/// text must match.
pub fn like(text: &str, pattern: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum P {
        Any,
        One,
        Lit(char),
    }
    let mut pat = Vec::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        pat.push(match c {
            '%' => P::Any,
            '_' => P::One,
            '\\' => P::Lit(chars.next().unwrap_or('\\')),
            c => P::Lit(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // Greedy matching with backtracking to the last `%`: linear in practice, O(n·m) at worst.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pat.get(p) {
            Some(P::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(P::One) => {
                t += 1;
                p += 1;
            }
            Some(P::Lit(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pat[p..].iter().all(|x| *x == P::Any)
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
            ExprKind::Unary { op, operand } => unary(*op, self.eval(operand)?, e.span),
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

    /// Whether two evaluated values are equal as `=` says; null is equal to nothing.
    fn equal(&self, a: &Expr, b: &Expr, f: Func) -> Result<bool, ExprError> {
        let (x, y) = (self.eval(a)?, self.eval(b)?);
        if x.is_null() || y.is_null() {
            return Ok(false);
        }
        match x.compare(&y) {
            Some(o) => Ok(o == Ordering::Equal),
            None => Err(ExprError::new(
                a.span.to(b.span),
                format!(
                    "`{}` cannot compare {} with {}: expected two numbers, two dates or two values of the same type",
                    f.name(),
                    a_an(&x),
                    a_an(&y)
                ),
            )),
        }
    }

    /// The functions that choose which arguments to evaluate; `None` for every other function.
    fn lazy(&self, f: Func, args: &[Expr]) -> Option<Result<Value, ExprError>> {
        let n = args.len();
        Some(match f {
            Func::Iif => self
                .truthy(&args[0], f)
                .and_then(|c| self.eval(&args[if c { 1 } else { 2 }])),
            Func::Case => self.case(args),
            Func::Coalesce => self.coalesce(args),
            Func::Decode => self
                .equal(&args[0], &args[1], f)
                .and_then(|eq| self.eval(&args[if eq { 2 } else { 3 }])),
            Func::IfEquals => self
                .equal(&args[0], &args[1], f)
                .and_then(|eq| self.eval(&args[if eq { 2 } else { 3 }])),
            Func::IsEmptyString if n == 3 => self.eval(&args[0]).and_then(|v| {
                let empty = match &v {
                    Value::Null => true,
                    Value::String(s) => s.is_empty(),
                    _ => false,
                };
                self.eval(&args[if empty { 1 } else { 2 }])
            }),
            _ => return None,
        })
    }

    /// `Case(When(c, v), ..., Else(v))`, or the legacy `Case(c, v, ..., default)`.
    fn case(&self, args: &[Expr]) -> Result<Value, ExprError> {
        if let Some(branches) = case_branches(args)? {
            for b in branches {
                match b {
                    CaseBranch::When(cond, value) => {
                        if self.truthy(cond, Func::Case)? {
                            return self.eval(value);
                        }
                    }
                    CaseBranch::Else(value) => return self.eval(value),
                }
            }
            return Ok(Value::Null);
        }
        let n = args.len();
        let mut i = 0;
        while i + 1 < n {
            if self.truthy(&args[i], Func::Case)? {
                return self.eval(&args[i + 1]);
            }
            i += 2;
        }
        if i < n {
            self.eval(&args[i])
        } else {
            Ok(Value::Null)
        }
    }

    fn coalesce(&self, args: &[Expr]) -> Result<Value, ExprError> {
        let Some((last, rest)) = args.split_last() else {
            return Ok(Value::Null);
        };
        for a in rest {
            let v = self.eval(a)?;
            let absent = match v {
                Value::Null => true,
                Value::Integer(i) => i == 0,
                Value::Decimal(d) => d == 0.0,
                _ => false,
            };
            if !absent {
                return Ok(v);
            }
        }
        self.eval(last)
    }

    fn call(&self, f: Func, span: Span, args: &[Expr]) -> Result<Value, ExprError> {
        let spec = f.spec();
        let n = args.len();
        match spec.availability {
            Availability::Refused(why) => {
                return Err(ExprError::new(
                    span,
                    format!("`{}` cannot be simulated: {why}", spec.name),
                ));
            }
            Availability::InsideCase => {
                return Err(ExprError::new(
                    span,
                    format!(
                        "`{}` is only allowed as an argument of `Case`, like `Case(When(condition, value), Else(value))`",
                        spec.name
                    ),
                ));
            }
            Availability::Everywhere => {}
        }
        // The parser refuses wrong counts; kept so that the evaluator stands alone.
        if let Some(problem) = spec.arity_problem(n) {
            return Err(ExprError::new(span, problem));
        }
        if let Some(v) = self.lazy(f, args) {
            return v;
        }
        // Every other function has at most 4 parameters (checked above).
        let mut vals = [Value::Null, Value::Null, Value::Null, Value::Null];
        let mut any_null = false;
        for (slot, a) in vals.iter_mut().zip(args) {
            *slot = self.eval(a)?;
            any_null |= slot.is_null();
        }
        if any_null && spec.nulls == Nulls::Propagate {
            return Ok(Value::Null);
        }
        builtins::run(
            &Call {
                f,
                span,
                args,
                ctx: self.ctx,
            },
            vals,
        )
    }
}

/// One argument of a `Case` in the reference form.
pub(crate) enum CaseBranch<'e> {
    /// `When(condition, value)`.
    When(&'e Expr, &'e Expr),
    /// `Else(value)`.
    Else(&'e Expr),
}

/// The branches of a `Case` in the reference form; `None` for the legacy form (no `When` or
/// `Else` argument). Mixing both forms, a misplaced `Else` or a wrong `When`/`Else` arity is an
/// error.
pub(crate) fn case_branches(args: &[Expr]) -> Result<Option<Vec<CaseBranch<'_>>>, ExprError> {
    fn kind(a: &Expr) -> Option<(Func, &[Expr])> {
        match &a.kind {
            ExprKind::Call {
                callee: Callee::Known(f @ (Func::When | Func::Else)),
                args,
                ..
            } => Some((*f, args.as_slice())),
            _ => None,
        }
    }
    let marked = args.iter().filter(|a| kind(a).is_some()).count();
    if marked == 0 {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        match kind(a) {
            None => {
                return Err(ExprError::new(
                    a.span,
                    "`Case` mixes its two forms: write every argument as `When(condition, value)` (and a last `Else(value)`), or use none of them",
                ));
            }
            Some((Func::When, [c, v])) => out.push(CaseBranch::When(c, v)),
            Some((Func::Else, [v])) if i + 1 == args.len() => out.push(CaseBranch::Else(v)),
            Some((Func::Else, [_])) => {
                return Err(ExprError::new(
                    a.span,
                    "`Else` must be the last argument of `Case`",
                ));
            }
            Some((f, got)) => {
                return Err(ExprError::new(
                    a.span,
                    format!(
                        "`{}` {}; got {}",
                        f.name(),
                        f.spec().arity_text(),
                        got.len()
                    ),
                ));
            }
        }
    }
    Ok(Some(out))
}

fn unary(op: UnaryOp, v: Value, span: Span) -> Result<Value, ExprError> {
    match (op, v) {
        (UnaryOp::IsNull, v) => Ok(Value::Boolean(v.is_null())),
        (UnaryOp::IsNotNull, v) => Ok(Value::Boolean(!v.is_null())),
        (_, Value::Null) => Ok(Value::Null),
        (UnaryOp::Neg, Value::Integer(i)) => i
            .checked_neg()
            .map(Value::Integer)
            .ok_or_else(|| overflow(span)),
        (UnaryOp::Neg, Value::Decimal(d)) => Ok(Value::Decimal(-d)),
        (UnaryOp::Not, Value::Boolean(b)) => Ok(Value::Boolean(!b)),
        (UnaryOp::Neg, v) => Err(ExprError::new(
            span,
            format!(
                "`-` expects a number (Integer or Decimal), found {}",
                a_an(&v)
            ),
        )),
        (UnaryOp::Not, v) => Err(ExprError::new(
            span,
            format!("`NOT` expects a Boolean, found {}", a_an(&v)),
        )),
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

fn text_match(op: BinOp, span: Span, l: Value, r: Value) -> Result<Value, ExprError> {
    let (Value::String(a), Value::String(b)) = (&l, &r) else {
        return Err(ExprError::new(
            span,
            format!(
                "`{}` expects two Strings, found {} and {}{}",
                op.symbol(),
                a_an(&l),
                a_an(&r),
                " (convert with `ToString`)"
            ),
        ));
    };
    Ok(Value::Boolean(match op {
        BinOp::In => a.contains(b.as_str()),
        BinOp::Like => like(a, b),
        _ => !like(a, b),
    }))
}

fn binary(op: BinOp, span: Span, l: Value, r: Value) -> Result<Value, ExprError> {
    use Value::*;
    if l.is_null() || r.is_null() {
        return Ok(Null);
    }
    if op.is_text_match() {
        return text_match(op, span, l, r);
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
