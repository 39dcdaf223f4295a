//! Translation of flowcall expressions to FEEL (Camunda 8): `$(vars/@x)` becomes `x`, operators
//! and functions map to their FEEL equivalents where FEEL has one. What cannot be translated is
//! reported (the caller exports the original text for a worker and warns), never dropped.

use crate::expr::functions::Func;
use crate::expr::{BinOp, Callee, Expr, ExprKind, Reader, UnaryOp};
use crate::model::{Type, Value};
use std::collections::BTreeMap;

/// Why an expression has no FEEL translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslatable(pub String);

/// A FEEL string literal.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A FEEL name for a variable: plain when it is a simple name, else backquoted.
fn name(n: &str) -> String {
    let plain = n
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            n,
            "and"
                | "or"
                | "not"
                | "if"
                | "then"
                | "else"
                | "for"
                | "in"
                | "return"
                | "some"
                | "every"
                | "satisfies"
                | "instance"
                | "of"
                | "between"
                | "null"
                | "true"
                | "false"
                | "function"
                | "external"
        );
    if plain {
        n.to_owned()
    } else {
        format!("`{n}`")
    }
}

fn literal(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::String(s) => string_literal(s),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(f) => {
            let s = f.to_string();
            if s.contains(['.', 'e', 'E']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        Value::Boolean(b) => b.to_string(),
        Value::Date(_) => format!("date({})", string_literal(&v.to_string())),
        Value::DateTime(dt) => format!(
            "date and time({})",
            string_literal(&crate::model::format_datetime_rfc3339(dt))
        ),
    }
}

/// Whether a node surely gives an Integer (for flowcall's truncating integer division).
fn surely_integer(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Literal(Value::Integer(_)) => true,
        ExprKind::Var {
            reader: Reader::Long,
            ..
        } => true,
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => surely_integer(operand),
        ExprKind::Binary {
            op: BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div,
            lhs,
            rhs,
            ..
        } => surely_integer(lhs) && surely_integer(rhs),
        ExprKind::Call {
            callee: Callee::Known(f),
            ..
        } => matches!(
            f,
            Func::Length | Func::Year | Func::Month | Func::Day | Func::ToInteger
        ),
        _ => false,
    }
}

/// Translates an expression. `vars` gives declared types (a text read of a non-String
/// variable becomes `string(x)`).
pub fn translate(e: &Expr, vars: &BTreeMap<String, Type>) -> Result<String, Untranslatable> {
    let t = |x: &Expr| translate(x, vars);
    Ok(match &e.kind {
        ExprKind::Literal(v) => literal(v),
        ExprKind::Var { reader, name: n } => {
            let declared = vars.get(n).copied();
            let v = name(n);
            match (reader, declared) {
                (Reader::Text, Some(Type::String) | None) => v,
                (Reader::Text, Some(_)) => format!("string({v})"),
                (Reader::Long, Some(Type::Integer))
                | (Reader::Float, Some(Type::Integer | Type::Decimal)) => v,
                (Reader::Long, _) => format!("floor(number(string({v})))"),
                (Reader::Float, _) => format!("number(string({v}))"),
                (Reader::Boolean, Some(Type::Boolean)) => v,
                (Reader::Boolean, _) => format!("(lower case(string({v})) = \"true\")"),
                (Reader::DateTime, Some(Type::Date)) => {
                    format!("date and time({v}, time(\"00:00:00@UTC\"))")
                }
                (Reader::DateTime, _) => format!("date and time({v})"),
            }
        }
        ExprKind::Field(f) => {
            return Err(Untranslatable(format!(
                "`@{f}` reads a row of the filtered population, which a process has no notion of"
            )));
        }
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => format!("(-{})", t(operand)?),
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => format!("not({})", t(operand)?),
        ExprKind::Binary { op, lhs, rhs, .. } => {
            let (a, b) = (t(lhs)?, t(rhs)?);
            match op {
                BinOp::Div if surely_integer(lhs) && surely_integer(rhs) => {
                    format!("(if {a} / {b} >= 0 then floor({a} / {b}) else ceiling({a} / {b}))")
                }
                BinOp::Add => format!("({a} + {b})"),
                BinOp::Sub => format!("({a} - {b})"),
                BinOp::Mul => format!("({a} * {b})"),
                BinOp::Div => format!("({a} / {b})"),
                BinOp::Eq => format!("({a} = {b})"),
                BinOp::Ne => format!("({a} != {b})"),
                BinOp::Lt => format!("({a} < {b})"),
                BinOp::Le => format!("({a} <= {b})"),
                BinOp::Gt => format!("({a} > {b})"),
                BinOp::Ge => format!("({a} >= {b})"),
                BinOp::And => format!("({a} and {b})"),
                BinOp::Or => format!("({a} or {b})"),
            }
        }
        ExprKind::Call {
            callee: Callee::Unknown(n),
            ..
        } => {
            return Err(Untranslatable(format!("`{n}` is not a known function")));
        }
        ExprKind::Call {
            callee: Callee::Known(f),
            args,
            ..
        } => {
            let a: Vec<String> = args.iter().map(t).collect::<Result<_, _>>()?;
            let arg = |i: usize| a.get(i).cloned().unwrap_or_else(|| "null".into());
            let none = |why: &str| Err(Untranslatable(format!("`{}` {why}", f.name())));
            match f {
                Func::Upper => format!("upper case({})", arg(0)),
                Func::Lower => format!("lower case({})", arg(0)),
                Func::Left => format!("substring({}, 1, {})", arg(0), arg(1)),
                Func::Right => format!(
                    "(if {n} = 0 then \"\" else substring({s}, -(min([{n}, string length({s})]))))",
                    s = arg(0),
                    n = arg(1)
                ),
                Func::Substring => format!("substring({}, {}, {})", arg(0), arg(1), arg(2)),
                Func::Length => format!("string length({})", arg(0)),
                Func::Trim => format!("trim({})", arg(0)),
                Func::ToString => format!("(if {x} = null then \"\" else string({x}))", x = arg(0)),
                Func::EndWith => format!("ends with({}, {})", arg(0), arg(1)),
                Func::StartWith => format!("starts with({}, {})", arg(0), arg(1)),
                Func::Extract => format!(
                    "(if {sep} != \"\" and contains({s}, {sep}) then substring before({s}, {sep}) else {s})",
                    s = arg(0),
                    sep = arg(1)
                ),
                Func::IsEmptyString => format!("({x} = null or {x} = \"\")", x = arg(0)),
                Func::Abs => format!("abs({})", arg(0)),
                Func::Ceil => format!("ceiling({})", arg(0)),
                Func::Floor => format!("floor({})", arg(0)),
                Func::Round => format!(
                    "round half up({}, {})",
                    arg(0),
                    if a.len() > 1 { arg(1) } else { "0".into() }
                ),
                Func::ToDouble => format!("number(string({}))", arg(0)),
                Func::GetDate => "now()".into(),
                Func::ToDate => format!("date({})", arg(0)),
                Func::ToDateTime => format!("date and time({})", arg(0)),
                Func::AddDays => format!("({} + duration(\"P1D\") * {})", arg(0), arg(1)),
                Func::AddHours => format!("({} + duration(\"PT1H\") * {})", arg(0), arg(1)),
                Func::AddMinutes => format!("({} + duration(\"PT1M\") * {})", arg(0), arg(1)),
                Func::AddMonths => format!("({} + duration(\"P1M\") * {})", arg(0), arg(1)),
                Func::AddYears => format!("({} + duration(\"P1Y\") * {})", arg(0), arg(1)),
                Func::DaysAgo => format!("(today() - duration(\"P1D\") * {})", arg(0)),
                Func::DateOnly => format!("date({})", arg(0)),
                Func::Year => format!("({}).year", arg(0)),
                Func::Month => format!("({}).month", arg(0)),
                Func::Day => format!("({}).day", arg(0)),
                Func::Iif => format!("(if {} then {} else {})", arg(0), arg(1), arg(2)),
                Func::Case => {
                    let mut out = String::new();
                    let mut i = 0;
                    while i + 1 < a.len() {
                        out.push_str(&format!("if {} then {} else ", a[i], a[i + 1]));
                        i += 2;
                    }
                    out.push_str(if i < a.len() { &a[i] } else { "null" });
                    format!("({out})")
                }
                Func::Coalesce => {
                    let mut out = String::from("null");
                    for x in a.iter().rev() {
                        out = format!("(if {x} != null then {x} else {out})");
                    }
                    out
                }
                Func::IsNull => format!("({} = null)", arg(0)),
                Func::Replace
                | Func::LPad
                | Func::Char
                | Func::ExtractRight
                | Func::FileName
                | Func::FileExt
                | Func::UrlUtf8Encode
                | Func::ToInteger
                | Func::DateFormat
                | Func::ToBoolean
                | Func::GetOption
                | Func::NewUuid => return none("has no FEEL equivalent"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feel(src: &str) -> Result<String, Untranslatable> {
        let vars: BTreeMap<String, Type> = [
            ("audience".to_owned(), Type::String),
            ("count".to_owned(), Type::Integer),
        ]
        .into_iter()
        .collect();
        match crate::expr::parse(src) {
            Ok(e) => translate(&e, &vars),
            Err(e) => Err(Untranslatable(e.message)),
        }
    }

    #[test]
    fn variables_operators_and_functions() {
        assert_eq!(feel("$(vars/@audience)").ok().as_deref(), Some("audience"));
        assert_eq!(
            feel("$(vars/@count)").ok().as_deref(),
            Some("string(count)")
        );
        assert_eq!(
            feel("$long(vars/@recCount) > 0").ok().as_deref(),
            Some("(floor(number(string(recCount))) > 0)")
        );
        assert_eq!(
            feel("'Imported ' + Upper($(vars/@audience))")
                .ok()
                .as_deref(),
            Some("(\"Imported \" + upper case(audience))")
        );
        assert_eq!(
            feel("Iif(NOT IsNull($(vars/@audience)), 'a\"b', 'none')")
                .ok()
                .as_deref(),
            Some("(if not((audience = null)) then \"a\\\"b\" else \"none\")")
        );
        assert_eq!(
            feel("$long(vars/@count) / 2").ok().as_deref(),
            Some("(if count / 2 >= 0 then floor(count / 2) else ceiling(count / 2))")
        );
        assert!(feel("DateFormat(GetDate(), '%4Y')").is_err());
        assert!(feel("@age > 3").is_err());
    }
}
