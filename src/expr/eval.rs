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
use super::context::EvalContext;
use super::functions::{Availability, Func, Nulls, OtherFn, StringFn};
use super::span::{ExprError, Span};
use crate::model::{Value, format_datetime, midnight};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Evaluates an expression to a value of its own (what [`eval_cow`] gives, copied when lent).
pub fn eval(expr: &Expr, ctx: &EvalContext<'_, '_>) -> Result<Value, ExprError> {
    eval_cow(expr, ctx).map(Cow::into_owned)
}

/// Evaluates an expression without copying what it reads as it is: a literal is lent from
/// `expr`, a variable (or row field) read as its stored type (`$(...)` of a String, `$long` of an
/// Integer...) from the context's [`Lookup`](super::context::Lookup); every other result is owned.
/// The same values and errors as [`eval`].
pub fn eval_cow<'e>(
    expr: &'e Expr,
    ctx: &EvalContext<'_, 'e>,
) -> Result<Cow<'e, Value>, ExprError> {
    Evaluator { ctx }.eval(expr)
}

/// A value evaluated: lent from the expression or the variables, or computed.
type Val<'e> = Cow<'e, Value>;

/// The owned null, the value of every null result.
const NULL: Val<'static> = Cow::Owned(Value::Null);

/// Writes a value the way the reference shows results: `'text'`, `42`, `2.5`, `true`,
/// `Date 2024-03-31`, `DateTime 2024-03-31 08:17:19.000Z`, `null`.
pub fn describe_value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(d) => format!("{d:?}"),
        Value::Boolean(b) => b.to_string(),
        Value::Date(d) => format!("Date {}", crate::model::time::date_text(*d)),
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

struct Evaluator<'c, 'a, 'e> {
    ctx: &'c EvalContext<'a, 'e>,
}

impl<'e> Evaluator<'_, '_, 'e> {
    fn eval(&self, e: &'e Expr) -> Result<Val<'e>, ExprError> {
        match &e.kind {
            ExprKind::Literal(v) => Ok(Cow::Borrowed(v)),
            ExprKind::Var { reader, name, slot } => {
                let vars: &'e dyn super::context::Lookup = self.ctx.vars;
                let found = match slot {
                    Some(s) => vars.lookup_slot(*s, name),
                    None => vars.lookup(name),
                };
                match found {
                    None => Ok(NULL),
                    Some(v) => read_var(*reader, name, v, e.span),
                }
            }
            ExprKind::Field(name) => self.field(name, e.span),
            ExprKind::Unary { op, operand } => {
                unary(*op, &*self.eval(operand)?, e.span).map(Cow::Owned)
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => match op {
                BinOp::And | BinOp::Or => self.logic(*op, *op_span, lhs, rhs).map(Cow::Owned),
                _ => {
                    let l = self.eval(lhs)?;
                    let r = self.eval(rhs)?;
                    binary(*op, *op_span, l, r).map(Cow::Owned)
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

    /// `@name`: the row's field, lent.
    fn field(&self, name: &str, span: Span) -> Result<Val<'e>, ExprError> {
        let Some(row) = self.ctx.row else {
            return Err(ExprError::new(
                span,
                "`@field` is only allowed in Query filters",
            ));
        };
        row.lookup(name).map(Cow::Borrowed).ok_or_else(|| {
            ExprError::new(
                span,
                format!("unknown field '@{name}': the row has no such column"),
            )
        })
    }

    fn logic(
        &self,
        op: BinOp,
        span: Span,
        lhs: &'e Expr,
        rhs: &'e Expr,
    ) -> Result<Value, ExprError> {
        let as_bool = |v: &Value, side: &str| match v {
            Value::Null => Ok(None),
            Value::Boolean(b) => Ok(Some(*b)),
            other => Err(ExprError::new(
                span,
                format!(
                    "`{}` expects Boolean operands, found {} on the {side}",
                    op.symbol(),
                    a_an(other)
                ),
            )),
        };
        let short = op == BinOp::Or; // the value that decides alone
        let l = as_bool(&*self.eval(lhs)?, "left")?;
        if l == Some(short) {
            return Ok(Value::Boolean(short));
        }
        let r = as_bool(&*self.eval(rhs)?, "right")?;
        Ok(match (l, r) {
            (_, Some(b)) if b == short => Value::Boolean(short),
            (Some(_), Some(_)) => Value::Boolean(!short),
            _ => Value::Null,
        })
    }

    fn truthy(&self, cond: &'e Expr, f: Func) -> Result<bool, ExprError> {
        match &*self.eval(cond)? {
            Value::Boolean(b) => Ok(*b),
            Value::Null => Ok(false),
            other => Err(ExprError::new(
                cond.span,
                format!(
                    "a condition of `{}` expects a Boolean, found {}",
                    f.name(),
                    a_an(other)
                ),
            )),
        }
    }

    /// Whether two evaluated values are equal as `=` says; null is equal to nothing.
    fn equal(&self, a: &'e Expr, b: &'e Expr, f: Func) -> Result<bool, ExprError> {
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
    /// The chosen argument's value is passed on as it is (lent when it was).
    fn lazy(&self, f: Func, args: &'e [Expr]) -> Option<Result<Val<'e>, ExprError>> {
        let n = args.len();
        Some(match f {
            Func::Others(OtherFn::Iif) => self
                .truthy(&args[0], f)
                .and_then(|c| self.eval(&args[if c { 1 } else { 2 }])),
            Func::Others(OtherFn::Case) => self.case(args),
            Func::Others(OtherFn::Coalesce) => self.coalesce(args),
            Func::Others(OtherFn::Decode) => self
                .equal(&args[0], &args[1], f)
                .and_then(|eq| self.eval(&args[if eq { 2 } else { 3 }])),
            Func::String(StringFn::IfEquals) => self
                .equal(&args[0], &args[1], f)
                .and_then(|eq| self.eval(&args[if eq { 2 } else { 3 }])),
            Func::Others(OtherFn::IsEmptyString) if n == 3 => self.eval(&args[0]).and_then(|v| {
                let empty = match &*v {
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
    fn case(&self, args: &'e [Expr]) -> Result<Val<'e>, ExprError> {
        if let Some(branches) = case_branches(args)? {
            for b in branches {
                match b {
                    CaseBranch::When(cond, value) => {
                        if self.truthy(cond, Func::Others(OtherFn::Case))? {
                            return self.eval(value);
                        }
                    }
                    CaseBranch::Else(value) => return self.eval(value),
                }
            }
            return Ok(NULL);
        }
        let n = args.len();
        let mut i = 0;
        while i + 1 < n {
            if self.truthy(&args[i], Func::Others(OtherFn::Case))? {
                return self.eval(&args[i + 1]);
            }
            i += 2;
        }
        if i < n { self.eval(&args[i]) } else { Ok(NULL) }
    }

    fn coalesce(&self, args: &'e [Expr]) -> Result<Val<'e>, ExprError> {
        let Some((last, rest)) = args.split_last() else {
            return Ok(NULL);
        };
        for a in rest {
            let v = self.eval(a)?;
            let absent = match &*v {
                Value::Null => true,
                Value::Integer(i) => *i == 0,
                Value::Decimal(d) => *d == 0.0,
                _ => false,
            };
            if !absent {
                return Ok(v);
            }
        }
        self.eval(last)
    }

    fn call(&self, f: Func, span: Span, args: &'e [Expr]) -> Result<Val<'e>, ExprError> {
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
        let mut vals: [Val<'e>; 4] = [NULL; 4];
        let mut any_null = false;
        for (slot, a) in vals.iter_mut().zip(args) {
            *slot = self.eval(a)?;
            any_null |= slot.is_null();
        }
        if any_null && spec.nulls == Nulls::Propagate {
            return Ok(NULL);
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
        .map(Cow::Owned)
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
                callee:
                    Callee::Known(f @ (Func::Others(OtherFn::When) | Func::Others(OtherFn::Else))),
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
            Some((Func::Others(OtherFn::When), [c, v])) => out.push(CaseBranch::When(c, v)),
            Some((Func::Others(OtherFn::Else), [v])) if i + 1 == args.len() => {
                out.push(CaseBranch::Else(v))
            }
            Some((Func::Others(OtherFn::Else), [_])) => {
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

fn unary(op: UnaryOp, v: &Value, span: Span) -> Result<Value, ExprError> {
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
                a_an(v)
            ),
        )),
        (UnaryOp::Not, v) => Err(ExprError::new(
            span,
            format!("`NOT` expects a Boolean, found {}", a_an(v)),
        )),
    }
}

/// A variable's value as `reader` reads it: lent when the reader takes the stored type as it is.
fn read_var<'v>(
    reader: Reader,
    name: &str,
    v: &'v Value,
    span: Span,
) -> Result<Val<'v>, ExprError> {
    let ty = match (reader, v) {
        (_, Value::Null) => return Ok(NULL),
        (Reader::Text, Value::String(_))
        | (Reader::Long, Value::Integer(_))
        | (Reader::Float, Value::Decimal(_))
        | (Reader::Boolean, Value::Boolean(_))
        | (Reader::DateTime, Value::DateTime(_)) => return Ok(Cow::Borrowed(v)),
        (Reader::Text, other) => return Ok(Cow::Owned(Value::String(other.to_string()))),
        (Reader::Float, Value::Integer(i)) => return Ok(Cow::Owned(Value::Decimal(*i as f64))),
        (Reader::DateTime, Value::Date(d)) => {
            if let Some(at) = midnight(*d) {
                return Ok(Cow::Owned(Value::DateTime(at)));
            }
            reader.ty()
        }
        (r, _) => r.ty(),
    };
    let text = match v {
        Value::String(s) => Cow::Borrowed(s.as_str()),
        other => Cow::Owned(other.to_string()),
    };
    Value::parse_as(&text, ty).map(Cow::Owned).map_err(|e| {
        ExprError::new(
            span,
            format!(
                "cannot read variable '{name}' with `{}(...)`: {e}",
                reader.prefix()
            ),
        )
    })
}

fn text_match(op: BinOp, span: Span, l: &Value, r: &Value) -> Result<Value, ExprError> {
    let (Value::String(a), Value::String(b)) = (l, r) else {
        return Err(ExprError::new(
            span,
            format!(
                "`{}` expects two Strings, found {} and {}{}",
                op.symbol(),
                a_an(l),
                a_an(r),
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

/// A comparison (`=`, `<>`, `<`, `<=`, `>`, `>=`) of two values that are not null.
fn compare(op: BinOp, span: Span, l: &Value, r: &Value) -> Result<Value, ExprError> {
    let Some(ord) = l.compare(r) else {
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
    Ok(Value::Boolean(b))
}

fn binary(op: BinOp, span: Span, l: Val<'_>, r: Val<'_>) -> Result<Value, ExprError> {
    if l.is_null() || r.is_null() {
        return Ok(Value::Null);
    }
    if op.is_text_match() {
        return text_match(op, span, &l, &r);
    }
    if op.is_comparison() {
        return compare(op, span, &l, &r);
    }
    match (op, l, &*r) {
        (BinOp::Add, Cow::Owned(Value::String(a)), Value::String(b)) => concat_onto(a, b, span),
        (BinOp::Add, Cow::Borrowed(Value::String(a)), Value::String(b)) => concat(a, b, span),
        (op, l, r) => arithmetic(op, span, &l, r),
    }
}

/// `a + b` of two Strings: one allocation of the exact length, after the length check.
fn concat(a: &str, b: &str, span: Span) -> Result<Value, ExprError> {
    check_len(a.len().saturating_add(b.len()), span)?;
    let mut out = String::with_capacity(a.len() + b.len());
    out.push_str(a);
    out.push_str(b);
    Ok(Value::String(out))
}

/// `a + b` where `a` is a String of the evaluation's own: appended in place when its buffer has
/// room, else as [`concat`] does.
fn concat_onto(mut a: String, b: &str, span: Span) -> Result<Value, ExprError> {
    if a.capacity() - a.len() < b.len() {
        return concat(&a, b, span);
    }
    check_len(a.len().saturating_add(b.len()), span)?;
    a.push_str(b);
    Ok(Value::String(a))
}

/// `+`, `-`, `*`, `/` of two values that are not null and not two Strings.
fn arithmetic(op: BinOp, span: Span, l: &Value, r: &Value) -> Result<Value, ExprError> {
    use Value::*;
    let num = |v: &Value| match v {
        Integer(i) => Some(*i as f64),
        Decimal(d) => Some(*d),
        _ => None,
    };
    match (op, l, r) {
        (BinOp::Add, Integer(a), Integer(b)) => {
            a.checked_add(*b).map(Integer).ok_or_else(|| overflow(span))
        }
        (BinOp::Sub, Integer(a), Integer(b)) => {
            a.checked_sub(*b).map(Integer).ok_or_else(|| overflow(span))
        }
        (BinOp::Mul, Integer(a), Integer(b)) => {
            a.checked_mul(*b).map(Integer).ok_or_else(|| overflow(span))
        }
        (BinOp::Div, Integer(_), Integer(0)) => Err(ExprError::new(span, "division by zero")),
        (BinOp::Div, Integer(a), Integer(b)) => {
            a.checked_div(*b).map(Integer).ok_or_else(|| overflow(span))
        }
        (op, l, r) => match (num(l), num(r)) {
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

#[cfg(test)]
mod tests {
    use super::{Span, Value, concat, concat_onto};
    use crate::expr::limits::MAX_STRING_LEN;

    #[test]
    fn concatenation_checks_the_length_before_it_appends() {
        let span = Span::new(0, 1);
        let mut full = String::with_capacity(MAX_STRING_LEN + 16);
        full.extend(std::iter::repeat_n('x', MAX_STRING_LEN));
        let e = concat_onto(full.clone(), "y", span).err();
        assert!(e.is_some_and(|e| e.message.starts_with("string result too long")));
        let e = concat(&full, "y", span).err();
        assert!(e.is_some_and(|e| e.message.starts_with("string result too long")));
        full.pop();
        let joined = concat_onto(full, "y", span);
        assert!(matches!(joined, Ok(Value::String(s)) if s.len() == MAX_STRING_LEN));
    }

    #[test]
    fn an_owned_left_string_with_room_is_appended_in_place() {
        let mut a = String::with_capacity(16);
        a.push_str("ab");
        let at = a.as_ptr();
        match concat_onto(a, "cd", Span::new(0, 1)) {
            Ok(Value::String(s)) => {
                assert_eq!(s, "abcd");
                assert_eq!(s.as_ptr(), at);
            }
            other => panic!("expected a String, got {other:?}"),
        }
        let exact = "ab".to_owned();
        assert_eq!(
            concat_onto(exact, "cd", Span::new(0, 1)),
            Ok(Value::String("abcd".to_owned()))
        );
    }
}
