//! The expression language: parse with spans, type-check, evaluate (SPEC §5).
//!
//! Temporary minimal stand-in on the `sim` branch (variables, `@field`, literals, `>` and `=`,
//! `+`) until the real implementation from the `expr` branch is merged.

use crate::model::Value;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A parse or evaluation error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    /// What went wrong.
    pub message: String,
}

fn err<T>(m: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError { message: m.into() })
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal value.
    Lit(Value),
    /// A variable read with a cast (`$`, `$long`...).
    Var(String, String),
    /// A row field.
    Field(String),
    /// A binary operation.
    Bin(Box<Expr>, String, Box<Expr>),
}

/// Something that maps names to values.
pub trait Lookup {
    /// The value named `name`, if present.
    fn lookup(&self, name: &str) -> Option<&Value>;
}

/// What evaluation may read.
pub struct EvalContext<'a> {
    /// Variables by name.
    pub vars: &'a dyn Lookup,
    /// The row being filtered, by field name.
    pub row: Option<&'a dyn Lookup>,
    /// The simulator's clock.
    pub now: DateTime<Utc>,
    /// Options for `GetOption`.
    pub options: &'a BTreeMap<String, String>,
    /// The uuid generator.
    pub uuid: &'a dyn Fn() -> String,
}

fn atom(s: &str) -> Result<Expr, ExprError> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('$') {
        let (cast, rest) = rest.split_once('(').ok_or(ExprError {
            message: format!("bad variable '{s}'"),
        })?;
        let name = rest
            .strip_suffix(')')
            .and_then(|r| r.strip_prefix("vars/@"))
            .ok_or(ExprError {
                message: format!("bad variable '{s}'"),
            })?;
        return Ok(Expr::Var(cast.to_owned(), name.to_owned()));
    }
    if let Some(f) = s.strip_prefix('@') {
        return Ok(Expr::Field(f.to_owned()));
    }
    if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        return Ok(Expr::Lit(Value::String(s[1..s.len() - 1].to_owned())));
    }
    if s.eq_ignore_ascii_case("true") {
        return Ok(Expr::Lit(Value::Boolean(true)));
    }
    if s.eq_ignore_ascii_case("false") {
        return Ok(Expr::Lit(Value::Boolean(false)));
    }
    match s.parse::<i64>() {
        Ok(i) => Ok(Expr::Lit(Value::Integer(i))),
        Err(_) => err(format!("cannot parse '{s}'")),
    }
}

/// Parses an expression.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let mut in_quote = false;
    for (i, c) in src.char_indices() {
        if c == '\'' {
            in_quote = !in_quote;
        }
        if !in_quote && matches!(c, '>' | '=' | '+') {
            return Ok(Expr::Bin(
                Box::new(atom(&src[..i])?),
                c.to_string(),
                Box::new(parse(&src[i + 1..])?),
            ));
        }
    }
    atom(src)
}

/// Evaluates an expression.
pub fn eval(e: &Expr, ctx: &EvalContext<'_>) -> Result<Value, ExprError> {
    match e {
        Expr::Lit(v) => Ok(v.clone()),
        Expr::Var(cast, name) => {
            let v = ctx.vars.lookup(name).cloned().unwrap_or(Value::Null);
            if v.is_null() {
                return Ok(v);
            }
            match cast.as_str() {
                "" => Ok(Value::String(v.to_string())),
                "long" => {
                    Value::parse_as(&v.to_string(), crate::model::Type::Integer).map_err(|e| {
                        ExprError {
                            message: e.to_string(),
                        }
                    })
                }
                _ => Ok(v),
            }
        }
        Expr::Field(f) => match ctx.row {
            Some(r) => Ok(r.lookup(f).cloned().unwrap_or(Value::Null)),
            None => err("no row"),
        },
        Expr::Bin(a, op, b) => {
            let (a, b) = (eval(a, ctx)?, eval(b, ctx)?);
            if a.is_null() || b.is_null() {
                return Ok(Value::Null);
            }
            match op.as_str() {
                ">" => Ok(Value::Boolean(
                    a.compare(&b) == Some(std::cmp::Ordering::Greater),
                )),
                "=" => Ok(Value::Boolean(
                    a.compare(&b) == Some(std::cmp::Ordering::Equal),
                )),
                _ => match (a, b) {
                    (Value::Integer(x), Value::Integer(y)) => Ok(Value::Integer(x + y)),
                    (a, b) => Ok(Value::String(format!("{a}{b}"))),
                },
            }
        }
    }
}
