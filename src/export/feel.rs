//! Translation of flowcall expressions to FEEL (Camunda 8): `$(vars/@x)` becomes `x`, operators
//! and functions map to FEEL built-ins of the DMN standard where FEEL has an equivalent. An
//! argument used more than once is bound once in a context (`{fc_1: ..., fc_r: ...}.fc_r`), so
//! translations stay linear in size; where FEEL's null rules differ from flowcall's (`=` of two
//! nulls, `if` on a null condition), the translation tests for null first. What cannot be
//! translated is reported (the caller exports the original text for a worker and warns), never
//! dropped. `tools/feel-check.sh` evaluates the translations with a FEEL interpreter and
//! compares them with flowcall's own values.

use crate::expr::functions::{DateFn, EventFn, Func, GeoFn, NumFn, OtherFn, StringFn};
use crate::expr::{self, BinOp, Callee, Expr, ExprKind, Reader, TypeEnv, UnaryOp, VarInfo};
use crate::model::{Type, Value};
use std::cell::Cell;
use std::collections::BTreeMap;

/// Why an expression has no FEEL translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslatable(pub String);

/// Longest translation produced, in bytes.
const MAX_FEEL_LEN: usize = 64 * 1024;

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

/// A regular expression (XPath, Java and JavaScript syntax alike) matching `s` literally.
fn regex_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '^' | '$' | '.' | '|' | '?' | '*' | '+' | '(' | ')' | '[' | ']' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The anchored regular expression of a LIKE pattern.
fn like_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            '\\' => out.push_str(&regex_literal(&chars.next().unwrap_or('\\').to_string())),
            c => out.push_str(&regex_literal(&c.to_string())),
        }
    }
    out.push('$');
    out
}

fn string_of(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Literal(Value::String(s)) => Some(s),
        _ => None,
    }
}

fn is_literal(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Literal(v) if !v.is_null())
}

/// Whether a translated text can be repeated without evaluating anything twice.
fn is_atom(s: &str) -> bool {
    let name = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let number = !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
    let string = s.len() < 40 && s.starts_with('"') && s.ends_with('"') && !s.contains('\\');
    name || number || string
}

/// Translates an expression. `vars` gives declared types (a text read of a non-String
/// variable becomes `string(x)`, typed reads convert where the declared type differs).
pub fn translate(e: &Expr, vars: &BTreeMap<String, Type>) -> Result<String, Untranslatable> {
    let env = TypeEnv {
        variables: vars
            .iter()
            .map(|(k, ty)| {
                (
                    k.clone(),
                    VarInfo {
                        ty: *ty,
                        origin: String::new(),
                    },
                )
            })
            .collect(),
        fields: None,
    };
    let t = Translator {
        vars,
        env,
        next: Cell::new(0),
    };
    let out = t.expr(e)?;
    if out.len() > MAX_FEEL_LEN {
        return Err(Untranslatable(format!(
            "its FEEL translation would take {} bytes, more than {MAX_FEEL_LEN}",
            out.len()
        )));
    }
    Ok(out)
}

struct Translator<'a> {
    vars: &'a BTreeMap<String, Type>,
    env: TypeEnv,
    next: Cell<usize>,
}

type R = Result<String, Untranslatable>;

impl Translator<'_> {
    fn ty(&self, e: &Expr) -> Option<Type> {
        expr::check(e, &self.env).ty
    }

    /// Binds each non-atomic value to a fresh name, so `body` may use it several times. The
    /// values are a fixed-size array, so `body` takes them by position without a check.
    fn bind<const N: usize>(
        &self,
        values: [String; N],
        body: impl FnOnce(&[String; N]) -> String,
    ) -> String {
        let mut entries = Vec::new();
        let names = values.map(|v| self.name_of(v, &mut entries));
        let b = body(&names);
        self.with_entries(&entries, b)
    }

    /// [`Self::bind`] for a list whose length the call decides (`AllNonNull2`, `JuxtWords`...).
    fn bind_all(&self, values: &[String], body: impl FnOnce(&[String]) -> String) -> String {
        let mut entries = Vec::new();
        let names: Vec<String> = values
            .iter()
            .map(|v| self.name_of(v.clone(), &mut entries))
            .collect();
        let b = body(&names);
        self.with_entries(&entries, b)
    }

    /// `v` itself when it is an atom, else a fresh name bound to it in `entries`.
    fn name_of(&self, v: String, entries: &mut Vec<String>) -> String {
        if is_atom(&v) {
            return v;
        }
        let n = self.next.get() + 1;
        self.next.set(n);
        let name = format!("fc_{n}");
        entries.push(format!("{name}: {v}"));
        name
    }

    /// `body` inside a context binding `entries`, or `body` alone when there are none.
    fn with_entries(&self, entries: &[String], body: String) -> String {
        if entries.is_empty() {
            return body;
        }
        let n = self.next.get() + 1;
        self.next.set(n);
        format!("{{{}, fc_r{n}: {body}}}.fc_r{n}", entries.join(", "))
    }

    /// `body` when no value is null, else null (for FEEL forms that do not propagate null).
    fn guarded<const N: usize>(
        &self,
        values: [String; N],
        body: impl FnOnce(&[String; N]) -> String,
    ) -> String {
        self.bind(values, |n| {
            let test: Vec<String> = n
                .iter()
                .filter(|x| !x.starts_with('"') && !x.chars().all(|c| c.is_ascii_digit()))
                .map(|x| format!("{x} = null"))
                .collect();
            let b = body(n);
            if test.is_empty() {
                b
            } else {
                format!("(if {} then null else {b})", test.join(" or "))
            }
        })
    }

    /// A duration of `n` units (`n` may be negative): `duration("P5D")`, `duration("-PT3H")`.
    fn duration(&self, n: &str, prefix: &str, unit: &str) -> String {
        if let Ok(k) = n
            .trim_start_matches('(')
            .trim_end_matches(')')
            .parse::<i64>()
        {
            let sign = if k < 0 { "-" } else { "" };
            return format!("duration(\"{sign}{prefix}{}{unit}\")", k.unsigned_abs());
        }
        self.bind([n.to_owned()], |n| {
            let n = &n[0];
            format!(
                "duration((if {n} < 0 then \"-\" else \"\") + \"{prefix}\" + string(abs({n})) + \"{unit}\")"
            )
        })
    }

    /// A value as a date-time: a Date at midnight UTC.
    fn as_date_time(&self, e: &Expr, s: String) -> String {
        if self.ty(e) == Some(Type::Date) {
            format!("date and time({s}, time(\"00:00:00Z\"))")
        } else {
            s
        }
    }

    /// Whole seconds of a days-and-time duration.
    fn seconds_of(&self, duration: String) -> String {
        self.bind([duration], |d| {
            let d = &d[0];
            format!("({d}.days * 86400 + {d}.hours * 3600 + {d}.minutes * 60 + {d}.seconds)")
        })
    }

    fn trunc(&self, x: String) -> String {
        self.bind([x], |x| {
            let x = &x[0];
            format!("(if {x} >= 0 then floor({x}) else ceiling({x}))")
        })
    }

    fn expr(&self, e: &Expr) -> R {
        Ok(match &e.kind {
            ExprKind::Literal(v) => literal(v),
            ExprKind::Var {
                reader, name: n, ..
            } => self.var(*reader, n),
            ExprKind::Field(f) => {
                return Err(Untranslatable(format!(
                    "`@{f}` reads a row of the filtered population, which a process has no notion of"
                )));
            }
            ExprKind::Unary { op, operand } => {
                let x = self.expr(operand)?;
                match op {
                    UnaryOp::Neg => format!("(-{x})"),
                    UnaryOp::Not => format!("not({x})"),
                    UnaryOp::IsNull => format!("({x} = null)"),
                    UnaryOp::IsNotNull => format!("({x} != null)"),
                }
            }
            ExprKind::Binary { op, lhs, rhs, .. } => self.binary(*op, lhs, rhs)?,
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
            } => self.call(*f, args)?,
        })
    }

    fn var(&self, reader: Reader, n: &str) -> String {
        let declared = self.vars.get(n).copied();
        let v = name(n);
        match (reader, declared) {
            (Reader::Text, Some(Type::String) | None) => v,
            (Reader::Text, Some(_)) => format!("string({v})"),
            (Reader::Long, Some(Type::Integer))
            | (Reader::Float, Some(Type::Integer | Type::Decimal)) => v,
            (Reader::Long, _) => format!("floor(number(string({v})))"),
            (Reader::Float, _) => format!("number(string({v}))"),
            (Reader::Boolean, Some(Type::Boolean)) => v,
            (Reader::Boolean, _) => format!(
                "(if lower case(string({v})) = \"true\" or string({v}) = \"1\" then true else if lower case(string({v})) = \"false\" or string({v}) = \"0\" then false else null)"
            ),
            (Reader::DateTime, Some(Type::Date)) => {
                format!("date and time(date({v}), time(\"00:00:00Z\"))")
            }
            (Reader::DateTime, _) => format!("date and time({v})"),
        }
    }

    /// Whether a node surely gives an Integer (for flowcall's truncating integer division).
    fn surely_integer(&self, e: &Expr) -> bool {
        self.ty(e) == Some(Type::Integer)
    }

    fn binary(&self, op: BinOp, lhs: &Expr, rhs: &Expr) -> R {
        if matches!(op, BinOp::Like | BinOp::NotLike) {
            let Some(pattern) = string_of(rhs) else {
                return Err(Untranslatable(
                    "`LIKE` with a pattern that is not a quoted string has no FEEL equivalent"
                        .into(),
                ));
            };
            let m = format!(
                "matches({}, {}, \"s\")",
                self.expr(lhs)?,
                string_literal(&like_regex(pattern))
            );
            return Ok(if op == BinOp::Like {
                m
            } else {
                format!("not({m})")
            });
        }
        let (mut a, mut b) = (self.expr(lhs)?, self.expr(rhs)?);
        if op.is_comparison() {
            let (lt, rt) = (self.ty(lhs), self.ty(rhs));
            if lt == Some(Type::Date) && rt == Some(Type::DateTime) {
                a = self.as_date_time(lhs, a);
            }
            if lt == Some(Type::DateTime) && rt == Some(Type::Date) {
                b = self.as_date_time(rhs, b);
            }
        }
        Ok(match op {
            BinOp::Div if self.surely_integer(lhs) && self.surely_integer(rhs) => {
                self.trunc(format!("{a} / {b}"))
            }
            BinOp::Eq | BinOp::Ne if !(is_literal(lhs) && is_literal(rhs)) => {
                // FEEL says `null = null` is true and `null != 1` is true; flowcall says null.
                let sym = if op == BinOp::Eq { "=" } else { "!=" };
                self.guarded([a, b], |n| format!("({} {sym} {})", n[0], n[1]))
            }
            BinOp::In => format!("contains({a}, {b})"),
            _ => format!("({a} {} {b})", feel_symbol(op)),
        })
    }

    fn call(&self, f: Func, args: &[Expr]) -> R {
        let none = |why: &str| Err(Untranslatable(format!("`{}` {why}", f.name())));
        if let Some(problem) = f.spec().arity_problem(args.len()) {
            return Err(Untranslatable(problem));
        }
        match f {
            Func::Others(OtherFn::Case) => return self.case(args),
            Func::Others(OtherFn::Iif)
            | Func::Others(OtherFn::Coalesce)
            | Func::Others(OtherFn::Decode)
            | Func::String(StringFn::IfEquals)
            | Func::Others(OtherFn::IsEmptyString) => {
                return self.choice(f, args);
            }
            Func::Others(OtherFn::When) | Func::Others(OtherFn::Else) => {
                return none("is only allowed inside `Case`");
            }
            Func::Others(OtherFn::GetMirrorUrl)
            | Func::Others(OtherFn::RowId)
            | Func::String(StringFn::AesDecrypt)
            | Func::String(StringFn::AesEncrypt) => {
                return none("is refused by the checker (server only)");
            }
            Func::Dates(DateFn::ToDate) | Func::Dates(DateFn::ToDateTime) => {
                if let Some(v) = self.folded_conversion(f, args) {
                    return Ok(v);
                }
            }
            _ => {}
        }
        let a: Vec<String> = args
            .iter()
            .map(|x| self.expr(x))
            .collect::<Result<_, _>>()?;
        // The parser refuses a wrong count, so no argument is ever missing on a parsed
        // expression; an export still never indexes what a user wrote.
        match f {
            Func::Dates(g) => self.date_call(f, g, args, &a),
            Func::Geomarketing(g) => self.geo_call(f, g),
            Func::Numerical(g) => self.number_call(f, g, args, &a),
            Func::Others(g) => self.other_call(f, g, args, &a),
            Func::String(g) => self.string_call(f, g, args, &a),
            Func::EventVariables(g) => self.event_call(f, g, args, &a),
        }
    }

    // Table: one arm per Dates function, each its FEEL template (shifts, parts and
    // differences share theirs).
    /// A Dates function in FEEL, its arguments translated (`a`) and as written (`args`).
    fn date_call(&self, f: Func, g: DateFn, args: &[Expr], a: &[String]) -> R {
        let none = |why: &str| Err(Untranslatable(format!("`{}` {why}", f.name())));
        let arg = |i: usize| a.get(i).cloned().ok_or_else(|| missing(f, i));
        let at = |i: usize| args.get(i).ok_or_else(|| missing(f, i));
        let ty = |i: usize| args.get(i).and_then(|x| self.ty(x));
        Ok(match g {
            DateFn::GetDate => "now()".into(),
            DateFn::ToDate => match ty(0) {
                Some(Type::Date) => arg(0)?,
                _ => format!("date({})", arg(0)?),
            },
            DateFn::ToDateTime => match ty(0) {
                Some(Type::DateTime) => arg(0)?,
                Some(Type::Date) => self.as_date_time(at(0)?, arg(0)?),
                _ => format!("date and time(replace({}, \" \", \"T\"))", arg(0)?),
            },
            DateFn::ToDateTimeWithTimezone => match args.get(1).map(string_of) {
                None => format!("date and time(replace({}, \" \", \"T\"))", arg(0)?),
                Some(Some(zone)) => format!(
                    "date and time(replace({}, \" \", \"T\") + {})",
                    arg(0)?,
                    string_literal(&format!("@{zone}"))
                ),
                _ => {
                    return none(
                        "with a time zone that is not a quoted string has no FEEL equivalent",
                    );
                }
            },
            DateFn::AddDays
            | DateFn::SubDays
            | DateFn::AddMonths
            | DateFn::SubMonths
            | DateFn::AddYears
            | DateFn::SubYears => {
                let unit = match f {
                    Func::Dates(DateFn::AddDays) | Func::Dates(DateFn::SubDays) => "D",
                    Func::Dates(DateFn::AddMonths) | Func::Dates(DateFn::SubMonths) => "M",
                    _ => "Y",
                };
                let op = if matches!(
                    f,
                    Func::Dates(DateFn::AddDays)
                        | Func::Dates(DateFn::AddMonths)
                        | Func::Dates(DateFn::AddYears)
                ) {
                    "+"
                } else {
                    "-"
                };
                format!("({} {op} {})", arg(0)?, self.duration(&arg(1)?, "P", unit))
            }
            DateFn::AddHours
            | DateFn::SubHours
            | DateFn::AddMinutes
            | DateFn::SubMinutes
            | DateFn::AddSeconds
            | DateFn::SubSeconds => {
                let unit = match f {
                    Func::Dates(DateFn::AddHours) | Func::Dates(DateFn::SubHours) => "H",
                    Func::Dates(DateFn::AddMinutes) | Func::Dates(DateFn::SubMinutes) => "M",
                    _ => "S",
                };
                let op = if matches!(
                    f,
                    Func::Dates(DateFn::AddHours)
                        | Func::Dates(DateFn::AddMinutes)
                        | Func::Dates(DateFn::AddSeconds)
                ) {
                    "+"
                } else {
                    "-"
                };
                format!(
                    "({} {op} {})",
                    self.as_date_time(at(0)?, arg(0)?),
                    self.duration(&arg(1)?, "PT", unit)
                )
            }
            DateFn::DaysAgo => format!("(today() - {})", self.duration(&arg(0)?, "P", "D")),
            DateFn::DaysAgoInt => format!(
                "number(replace(string(today() - {}), \"-\", \"\"))",
                self.duration(&arg(0)?, "P", "D")
            ),
            DateFn::MonthsAgo => format!("(today() - {})", self.duration(&arg(0)?, "P", "M")),
            DateFn::DateOnly => format!("date({})", arg(0)?),
            DateFn::Year => format!("({}).year", arg(0)?),
            DateFn::Month => format!("({}).month", arg(0)?),
            DateFn::Day => format!("({}).day", arg(0)?),
            DateFn::DayOfYear => format!("day of year({})", arg(0)?),
            DateFn::WeekDay => format!("({}).weekday", arg(0)?),
            DateFn::YearAndMonth => self.bind([arg(0)?], |d| {
                format!("({d}.year * 100 + {d}.month)", d = d[0])
            }),
            DateFn::Hour | DateFn::Minute | DateFn::Second => {
                let part = match f {
                    Func::Dates(DateFn::Hour) => "hour",
                    Func::Dates(DateFn::Minute) => "minute",
                    _ => "second",
                };
                if ty(0) == Some(Type::Date) {
                    self.guarded([arg(0)?], |_| "0".into())
                } else {
                    format!("({}).{part}", arg(0)?)
                }
            }
            DateFn::DaysDiff | DateFn::HoursDiff | DateFn::MinutesDiff | DateFn::SecondsDiff => {
                self.diff(f, at(0)?, arg(0)?, at(1)?, arg(1)?)
            }
            DateFn::DaysOld => {
                let now = "now()".to_owned();
                self.diff(Func::Dates(DateFn::DaysDiff), at(0)?, now, at(0)?, arg(0)?)
            }
            DateFn::MonthsDiff | DateFn::YearsDiff => self.months(
                f,
                &format!("date({})", arg(1)?),
                &format!("date({})", arg(0)?),
            ),
            DateFn::MonthsOld => self.months(
                Func::Dates(DateFn::MonthsDiff),
                &format!("date({})", arg(0)?),
                "today()",
            ),
            DateFn::YearsOld => self.months(
                Func::Dates(DateFn::YearsDiff),
                &format!("date({})", arg(0)?),
                "today()",
            ),
            DateFn::Oldest => {
                if ty(0) != ty(1) {
                    return none("of a Date and a DateTime has no FEEL equivalent");
                }
                self.guarded([arg(0)?, arg(1)?], |n| {
                    format!("(if {x} <= {y} then {x} else {y})", x = n[0], y = n[1])
                })
            }
            DateFn::TruncDate | DateFn::TruncTime => {
                let origin = if f == Func::Dates(DateFn::TruncDate) {
                    "date and time(\"1970-01-01T00:00:00Z\")".to_owned()
                } else {
                    format!("date and time(date({}), time(\"00:00:00Z\"))", arg(0)?)
                };
                let d = self.as_date_time(at(0)?, arg(0)?);
                self.bind([origin, d, arg(1)?], |n| {
                    let (o, d, step) = (&n[0], &n[1], &n[2]);
                    let secs = self.seconds_of(format!("({d} - {o})"));
                    let kept = self.bind([secs], |s| format!("floor({} / {step}) * {step}", s[0]));
                    format!("({o} + {})", self.duration(&kept, "PT", "S"))
                })
            }
            DateFn::TruncWeek | DateFn::TruncQuarter | DateFn::TruncYear => {
                let day = self.bind([format!("date({})", arg(0)?)], |d| {
                    let d = &d[0];
                    match f {
                        Func::Dates(DateFn::TruncWeek) => format!(
                            "({d} - {})",
                            self.duration(&format!("{d}.weekday - 1"), "P", "D")
                        ),
                        Func::Dates(DateFn::TruncQuarter) => {
                            format!("date({d}.year, floor(({d}.month - 1) / 3) * 3 + 1, 1)")
                        }
                        _ => format!("date({d}.year, 1, 1)"),
                    }
                });
                if ty(0) == Some(Type::DateTime) {
                    format!("date and time({day}, time(\"00:00:00Z\"))")
                } else {
                    day
                }
            }
            DateFn::LocalToUtc => {
                let Some(zone) = string_of(at(1)?) else {
                    return none(
                        "with a time zone that is not a quoted string has no FEEL equivalent",
                    );
                };
                let reading = if ty(0) == Some(Type::Date) {
                    format!("string({}) + \"T00:00:00\"", arg(0)?)
                } else {
                    format!("substring(string({}), 1, 19)", arg(0)?)
                };
                format!(
                    "date and time({reading} + {})",
                    string_literal(&format!("@{zone}"))
                )
            }
            DateFn::TruncDateTz => {
                return none(
                    "needs local-time arithmetic in a time zone, which FEEL does not have",
                );
            }
        })
    }

    /// The Geomarketing function, which FEEL cannot compute.
    fn geo_call(&self, f: Func, g: GeoFn) -> R {
        match g {
            GeoFn::Distance => Err(Untranslatable(format!(
                "`{}` needs trigonometric functions, which FEEL does not have",
                f.name()
            ))),
        }
    }

    /// A Numerical function in FEEL, its arguments translated (`a`) and as written (`args`).
    fn number_call(&self, f: Func, g: NumFn, args: &[Expr], a: &[String]) -> R {
        let none = |why: &str| Err(Untranslatable(format!("`{}` {why}", f.name())));
        let arg = |i: usize| a.get(i).cloned().ok_or_else(|| missing(f, i));
        let ty = |i: usize| args.get(i).and_then(|x| self.ty(x));
        Ok(match g {
            NumFn::Abs => format!("abs({})", arg(0)?),
            NumFn::Ceil => format!("ceiling({})", arg(0)?),
            NumFn::Floor => format!("floor({})", arg(0)?),
            NumFn::Round => format!(
                "round half up({}, {})",
                arg(0)?,
                a.get(1).map_or("0", String::as_str)
            ),
            NumFn::Trunc => format!(
                "round down({}, {})",
                arg(0)?,
                a.get(1).map_or("0", String::as_str)
            ),
            NumFn::Greatest | NumFn::Least => self.guarded([arg(0)?, arg(1)?], |n| {
                let cmp = if f == Func::Numerical(NumFn::Greatest) {
                    ">="
                } else {
                    "<="
                };
                format!("(if {x} {cmp} {y} then {x} else {y})", x = n[0], y = n[1])
            }),
            NumFn::Mod => self.bind([arg(0)?, arg(1)?], |n| {
                let (x, y) = (&n[0], &n[1]);
                format!("({x} - {y} * {})", self.trunc(format!("{x} / {y}")))
            }),
            NumFn::Percent => self.bind([arg(0)?, arg(1)?], |n| {
                let (x, y) = (&n[0], &n[1]);
                format!("(if {y} = 0 then 0 else {x} / {y} * 100)")
            }),
            NumFn::Sign => self.guarded([arg(0)?], |n| {
                format!(
                    "(if {x} > 0 then 1 else if {x} < 0 then -1 else 0)",
                    x = n[0]
                )
            }),
            NumFn::Random => "floor(random number() * 2147483648)".into(),
            NumFn::ToDouble => match ty(0) {
                Some(Type::Integer | Type::Decimal) => arg(0)?,
                Some(Type::String) => format!("number({})", arg(0)?),
                Some(Type::Boolean) => {
                    self.guarded([arg(0)?], |n| format!("(if {} then 1.0 else 0.0)", n[0]))
                }
                _ => return none("of a value of unknown type has no FEEL equivalent"),
            },
            NumFn::ToInteger | NumFn::ToInt64 => match ty(0) {
                Some(Type::Integer) => arg(0)?,
                Some(Type::Decimal) => self.trunc(arg(0)?),
                Some(Type::String) => self.trunc(format!("number({})", arg(0)?)),
                Some(Type::Boolean) => {
                    self.guarded([arg(0)?], |n| format!("(if {} then 1 else 0)", n[0]))
                }
                _ => return none("of a value of unknown type has no FEEL equivalent"),
            },
        })
    }

    /// An Others function in FEEL, its arguments translated (`a`) and as written (`args`).
    fn other_call(&self, f: Func, g: OtherFn, args: &[Expr], a: &[String]) -> R {
        let none = |why: &str| Err(Untranslatable(format!("`{}` {why}", f.name())));
        let arg = |i: usize| a.get(i).cloned().ok_or_else(|| missing(f, i));
        let ty = |i: usize| args.get(i).and_then(|x| self.ty(x));
        Ok(match g {
            OtherFn::GetEmailDomain => self.bind([arg(0)?], |s| {
                format!(
                    "(if contains({s}, \"@\") then lower case(replace({s}, \"^.*@\", \"\", \"s\")) else null)",
                    s = s[0]
                )
            }),
            OtherFn::NoNull => self.bind([arg(0)?], |x| {
                format!("(if {x} = null then \"\" else {x})", x = x[0])
            }),
            OtherFn::ToBoolean => match ty(0) {
                Some(Type::Boolean) => arg(0)?,
                Some(Type::Integer | Type::Decimal) => {
                    self.guarded([arg(0)?], |n| format!("({} != 0)", n[0]))
                }
                Some(Type::String) => self.bind([format!("lower case(replace({}, \"^\\\\s+|\\\\s+$\", \"\"))", arg(0)?)], |n| {
                    format!(
                        "(if {x} = \"true\" or {x} = \"1\" then true else if {x} = \"false\" or {x} = \"0\" then false else null)",
                        x = n[0]
                    )
                }),
                _ => return none("of a value of unknown type has no FEEL equivalent"),
            },
            OtherFn::ClearBit | OtherFn::SetBit | OtherFn::IsBitSet => {
                return none("needs bitwise operators, which FEEL does not have");
            }
            OtherFn::NewUuid => return none("has no FEEL equivalent"),
            OtherFn::Case | OtherFn::Iif | OtherFn::Coalesce | OtherFn::Decode | OtherFn::IsEmptyString | OtherFn::When | OtherFn::Else | OtherFn::GetMirrorUrl | OtherFn::RowId => return none("has no FEEL equivalent"),
        })
    }

    // Table: one arm per String function, each its FEEL template.
    /// A String function in FEEL, its arguments translated (`a`) and as written (`args`).
    fn string_call(&self, f: Func, g: StringFn, args: &[Expr], a: &[String]) -> R {
        let none = |why: &str| Err(Untranslatable(format!("`{}` {why}", f.name())));
        let arg = |i: usize| a.get(i).cloned().ok_or_else(|| missing(f, i));
        let at = |i: usize| args.get(i).ok_or_else(|| missing(f, i));
        Ok(match g {
            StringFn::Upper => format!("upper case({})", arg(0)?),
            StringFn::Lower => format!("lower case({})", arg(0)?),
            StringFn::Left => format!("substring({}, 1, {})", arg(0)?, arg(1)?),
            StringFn::Right => self.bind([arg(0)?, arg(1)?], |n| {
                let (s, k) = (&n[0], &n[1]);
                format!(
                    "(if {k} = 0 then \"\" else substring({s}, -(min([{k}, string length({s})]))))"
                )
            }),
            StringFn::Substring => format!("substring({}, {}, {})", arg(0)?, arg(1)?, arg(2)?),
            StringFn::Length => format!("string length({})", arg(0)?),
            StringFn::Trim => format!("replace({}, \"^\\\\s+|\\\\s+$\", \"\")", arg(0)?),
            StringFn::Ltrim => format!("replace({}, \"^\\\\s+\", \"\")", arg(0)?),
            StringFn::Rtrim => format!("replace({}, \"\\\\s+$\", \"\")", arg(0)?),
            StringFn::ToString => self.bind([arg(0)?], |x| {
                format!("(if {x} = null then \"\" else string({x}))", x = x[0])
            }),
            StringFn::ToIntlString => format!("string({})", arg(0)?),
            StringFn::MemoContains => format!("contains({}, {})", arg(0)?, arg(1)?),
            StringFn::Replace => {
                let (Some(find), Some(rep)) = (string_of(at(1)?), string_of(at(2)?)) else {
                    return none("with a search or replacement that is not a quoted string has no FEEL equivalent");
                };
                if rep.contains(['$', '\\']) {
                    return none("with `$` or `\\` in the replacement has no FEEL form every engine reads alike");
                }
                if find.is_empty() {
                    arg(0)?
                } else {
                    format!(
                        "replace({}, {}, {})",
                        arg(0)?,
                        string_literal(&regex_literal(find)),
                        string_literal(rep)
                    )
                }
            }
            StringFn::LPad | StringFn::RPad => self.bind([arg(0)?, arg(1)?, arg(2)?], |n| {
                let (s, len, pad) = (&n[0], &n[1], &n[2]);
                let fill = format!(
                    "string join(for i in 1..({len} - string length({s})) return substring({pad}, 1, 1), \"\")"
                );
                let padded = if f == Func::String(StringFn::LPad) {
                    format!("{fill} + {s}")
                } else {
                    format!("{s} + {fill}")
                };
                format!("(if string length({s}) >= {len} then {s} else {padded})")
            }),
            StringFn::Charindex => self.guarded([arg(0)?, arg(1)?], |n| {
                let (s, x) = (&n[0], &n[1]);
                format!(
                    "(if contains({s}, {x}) then string length(substring before({s}, {x})) + 1 else 0)"
                )
            }),
            StringFn::GetLine => self.bind([format!("split({}, \"\\n\")", arg(0)?), arg(1)?], |n| {
                let (lines, k) = (&n[0], &n[1]);
                format!(
                    "(if {k} > count({lines}) then \"\" else replace({lines}[{k}], \"\\r$\", \"\"))"
                )
            }),
            StringFn::IsMemoNull => self.bind([arg(0)?], |x| {
                format!("({x} = null or {x} = \"\")", x = x[0])
            }),
            StringFn::AllNonNull2 | StringFn::AllNonNull3 => self.bind_all(a, |n| {
                let tests: Vec<String> = n
                    .iter()
                    .map(|x| format!("{x} != null and {x} != \"\""))
                    .collect();
                format!("({})", tests.join(" and "))
            }),
            StringFn::JuxtWords | StringFn::JuxtWords3 => format!(
                "string join([{}][item != null and item != \"\"], \" \")",
                a.join(", ")
            ),
            StringFn::VirtualLink | StringFn::VirtualLinkStr => self.bind([arg(0)?, arg(1)?, arg(2)?], |n| {
                format!(
                    "(if {x} != null and {y} != null and {x} = {y} then {k} else null)",
                    k = n[0],
                    x = n[1],
                    y = n[2]
                )
            }),
            StringFn::Ascii | StringFn::Char => return none("needs character codes, which FEEL does not have"),
            StringFn::DataLength => return none("needs UTF-8 byte counts, which FEEL does not have"),
            StringFn::Md5Digest | StringFn::Sha256Digest | StringFn::Sha384Digest | StringFn::Sha512Digest => {
                return none("needs a digest function, which FEEL does not have");
            }
            StringFn::Smart => return none("needs per-word capitalisation, which FEEL does not have"),
            StringFn::IfEquals | StringFn::AesDecrypt | StringFn::AesEncrypt => return none("has no FEEL equivalent"),
        })
    }

    /// An event-variable function in FEEL, its arguments translated (`a`) and as written (`args`).
    fn event_call(&self, f: Func, g: EventFn, args: &[Expr], a: &[String]) -> R {
        let none = |why: &str| Err(Untranslatable(format!("`{}` {why}", f.name())));
        let arg = |i: usize| a.get(i).cloned().ok_or_else(|| missing(f, i));
        let at = |i: usize| args.get(i).ok_or_else(|| missing(f, i));
        Ok(match g {
            EventFn::EndWith => format!("ends with({}, {})", arg(0)?, arg(1)?),
            EventFn::StartWith => format!("starts with({}, {})", arg(0)?, arg(1)?),
            EventFn::Extract => self.bind([arg(0)?, arg(1)?], |n| {
                let (s, sep) = (&n[0], &n[1]);
                format!(
                    "(if {sep} != \"\" and contains({s}, {sep}) then substring before({s}, {sep}) else {s})"
                )
            }),
            EventFn::ExtractRight => {
                let Some(sep) = string_of(at(1)?) else {
                    return none("with a separator that is not a quoted string has no FEEL equivalent");
                };
                if sep.is_empty() {
                    arg(0)?
                } else {
                    format!(
                        "replace({}, {}, \"\", \"s\")",
                        arg(0)?,
                        string_literal(&format!("^.*{}", regex_literal(sep)))
                    )
                }
            }
            EventFn::FileName | EventFn::FileExt => {
                let base = format!("replace({}, \"^.*[/\\\\\\\\]\", \"\", \"s\")", arg(0)?);
                self.bind([base], |b| {
                    let b = &b[0];
                    if f == Func::EventVariables(EventFn::FileName) {
                        format!(
                            "(if matches({b}, \"^.+\\\\.[^.]*$\", \"s\") then replace({b}, \"\\\\.[^.]*$\", \"\", \"s\") else {b})"
                        )
                    } else {
                        format!(
                            "(if matches({b}, \"^.+\\\\.[^.]*$\", \"s\") then replace({b}, \"^.*\\\\.\", \"\", \"s\") else \"\")"
                        )
                    }
                })
            }
            EventFn::IsNull => format!("({} = null)", arg(0)?),
            EventFn::DateFormat => {
                let Some(fmt) = string_of(at(1)?) else {
                    return none("with a format that is not a quoted string has no FEEL equivalent");
                };
                self.date_format(at(0)?, arg(0)?, fmt)
            }
            EventFn::UrlUtf8Encode => return none("needs URL encoding, which FEEL does not have"),
            EventFn::GetOption => return none("reads the sample data's options, which a process does not have"),
        })
    }

    /// `ToDate('2024-03-31')` and `ToDateTime('...')` of a quoted string: the FEEL literal of
    /// the value flowcall reads from it.
    fn folded_conversion(&self, f: Func, args: &[Expr]) -> Option<String> {
        let text = string_of(args.first()?)?.trim();
        let v = match f {
            Func::Dates(DateFn::ToDate) => crate::model::parse_date(text)
                .or_else(|| crate::model::parse_datetime(text).map(crate::model::time::date_of))
                .map(Value::Date),
            _ => crate::model::parse_datetime(text).map(Value::DateTime),
        }?;
        Some(literal(&v))
    }

    fn diff(&self, f: Func, end: &Expr, e: String, start: &Expr, s: String) -> String {
        if f == Func::Dates(DateFn::DaysDiff)
            && self.ty(end) == Some(Type::Date)
            && self.ty(start) == Some(Type::Date)
        {
            return format!("({e} - {s}).days");
        }
        let e = self.as_date_time(end, e);
        let s = self.as_date_time(start, s);
        let secs = self.seconds_of(format!("({e} - {s})"));
        match f {
            Func::Dates(DateFn::DaysDiff) => self.trunc(format!("{secs} / 86400")),
            Func::Dates(DateFn::HoursDiff) => self.trunc(format!("{secs} / 3600")),
            Func::Dates(DateFn::MinutesDiff) => self.trunc(format!("{secs} / 60")),
            _ => self.trunc(secs),
        }
    }

    fn months(&self, f: Func, start: &str, end: &str) -> String {
        self.bind(
            [format!("years and months duration({start}, {end})")],
            |d| {
                let d = &d[0];
                if f == Func::Dates(DateFn::YearsDiff) {
                    format!("{d}.years")
                } else {
                    format!("({d}.years * 12 + {d}.months)")
                }
            },
        )
    }

    fn date_format(&self, e: &Expr, d: String, fmt: &str) -> String {
        let is_date = self.ty(e) == Some(Type::Date);
        self.bind([d], |d| {
            let d = &d[0];
            let mut parts: Vec<String> = Vec::new();
            let mut text = String::new();
            let mut rest = fmt;
            let two = |p: &str| format!("substring(\"0\" + string({d}.{p}), -2)");
            while let Some((before, after)) = rest.split_once('%') {
                text.push_str(before);
                let part = match after.get(..2) {
                    Some("4Y") => Some(format!(
                        "(if {d}.year >= 1000 then string({d}.year) else substring(\"000\" + string({d}.year), -4))"
                    )),
                    Some("2M") => Some(two("month")),
                    Some("2D") => Some(two("day")),
                    Some("2H" | "2N" | "2S") if is_date => Some("\"00\"".to_owned()),
                    Some("2H") => Some(two("hour")),
                    Some("2N") => Some(two("minute")),
                    Some("2S") => Some(two("second")),
                    _ => None,
                };
                match (part, after.get(2..)) {
                    (Some(p), Some(tail)) => {
                        if !text.is_empty() {
                            parts.push(string_literal(&std::mem::take(&mut text)));
                        }
                        parts.push(p);
                        rest = tail;
                    }
                    _ => {
                        text.push('%');
                        rest = after;
                    }
                }
            }
            text.push_str(rest);
            if !text.is_empty() || parts.is_empty() {
                parts.push(string_literal(&text));
            }
            format!("(if {d} = null then null else {})", parts.join(" + "))
        })
    }

    fn case(&self, args: &[Expr]) -> R {
        let mut out = String::new();
        let mut tail = "null".to_owned();
        match expr::case_branches(args).map_err(|e| Untranslatable(e.message))? {
            Some(branches) => {
                for b in branches {
                    match b {
                        expr::CaseBranch::When(c, v) => {
                            out.push_str(&format!(
                                "if {} then {} else ",
                                self.expr(c)?,
                                self.expr(v)?
                            ));
                        }
                        expr::CaseBranch::Else(v) => tail = self.expr(v)?,
                    }
                }
            }
            None => {
                // The legacy form: condition, value, ..., [default].
                for pair in args.chunks(2) {
                    match pair {
                        [cond, value] => out.push_str(&format!(
                            "if {} then {} else ",
                            self.expr(cond)?,
                            self.expr(value)?
                        )),
                        [default] => tail = self.expr(default)?,
                        _ => {}
                    }
                }
            }
        }
        Ok(format!("({out}{tail})"))
    }

    /// The functions that pick one of their arguments.
    fn choice(&self, f: Func, args: &[Expr]) -> R {
        let a: Vec<String> = args
            .iter()
            .map(|x| self.expr(x))
            .collect::<Result<_, _>>()?;
        let arg = |i: usize| a.get(i).cloned().ok_or_else(|| missing(f, i));
        Ok(match f {
            Func::Others(OtherFn::Iif) => {
                format!("(if {} then {} else {})", arg(0)?, arg(1)?, arg(2)?)
            }
            Func::Others(OtherFn::Coalesce) => {
                let Some((last, rest)) = a.split_last() else {
                    return Ok("null".into());
                };
                let mut out = last.clone();
                for (x, e) in rest.iter().zip(args).rev() {
                    let numeric = matches!(self.ty(e), Some(Type::Integer | Type::Decimal));
                    out = self.bind([x.clone()], |[x]| {
                        if numeric {
                            format!("(if {x} != null and {x} != 0 then {x} else {out})")
                        } else {
                            format!("(if {x} != null then {x} else {out})")
                        }
                    });
                }
                out
            }
            Func::Others(OtherFn::Decode) | Func::String(StringFn::IfEquals) => {
                let (then, otherwise) = (arg(2)?, arg(3)?);
                self.bind([arg(0)?, arg(1)?], |[x, y]| {
                    format!(
                        "(if {x} != null and {y} != null and {x} = {y} then {then} else {otherwise})"
                    )
                })
            }
            _ if a.len() == 1 => self.bind([arg(0)?], |[x]| format!("({x} = null or {x} = \"\")")),
            _ => {
                let (if_empty, otherwise) = (arg(1)?, arg(2)?);
                self.bind([arg(0)?], |[x]| {
                    format!("(if {x} = null or {x} = \"\" then {if_empty} else {otherwise})")
                })
            }
        })
    }
}

/// Why a call has no argument at position `i` (the parser refuses such calls; an export says so
/// rather than index past the end).
fn missing(f: Func, i: usize) -> Untranslatable {
    Untranslatable(format!(
        "`{}` has no argument {}: {}",
        f.name(),
        i + 1,
        f.spec().arity_text()
    ))
}

fn feel_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::And => "and",
        BinOp::Or => "or",
        BinOp::In | BinOp::Like | BinOp::NotLike => "?",
        // The arithmetic and comparison operators are written as in flowcall.
        _ => op.symbol(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feel(src: &str) -> Result<String, Untranslatable> {
        let vars: BTreeMap<String, Type> = [
            ("audience".to_owned(), Type::String),
            ("count".to_owned(), Type::Integer),
            ("recCount".to_owned(), Type::String),
        ]
        .into_iter()
        .collect();
        match crate::expr::parse(src) {
            Ok(e) => translate(&e, &vars),
            Err(e) => Err(Untranslatable(e.message)),
        }
    }

    fn ok(src: &str) -> String {
        feel(src).unwrap_or_else(|e| format!("UNTRANSLATABLE {}", e.0))
    }

    #[test]
    fn variables_operators_and_functions() {
        assert_eq!(ok("$(vars/@audience)"), "audience");
        assert_eq!(ok("$(vars/@count)"), "string(count)");
        assert_eq!(
            ok("$long(vars/@recCount) > 0"),
            "(floor(number(string(recCount))) > 0)"
        );
        assert_eq!(
            ok("'Imported ' + Upper($(vars/@audience))"),
            "(\"Imported \" + upper case(audience))"
        );
        assert_eq!(
            ok("Iif(NOT IsNull($(vars/@audience)), 'a\"b', 'none')"),
            "(if not((audience = null)) then \"a\\\"b\" else \"none\")"
        );
        assert_eq!(
            ok("$long(vars/@count) / 2"),
            "{fc_1: count / 2, fc_r2: (if fc_1 >= 0 then floor(fc_1) else ceiling(fc_1))}.fc_r2"
        );
        assert_eq!(
            ok("$(vars/@audience) = 'gold'"),
            "(if audience = null then null else (audience = \"gold\"))"
        );
        assert!(feel("@age > 3").is_err());
    }

    #[test]
    fn reference_operators() {
        assert_eq!(
            ok("$(vars/@audience) IN 'mail'"),
            "contains(audience, \"mail\")"
        );
        assert_eq!(
            ok("$(vars/@audience) LIKE 'Mart%n_.x'"),
            "matches(audience, \"^Mart.*n.\\\\.x$\", \"s\")"
        );
        assert_eq!(
            ok("$(vars/@audience) NOT 'Smi%h'"),
            "not(matches(audience, \"^Smi.*h$\", \"s\"))"
        );
        assert_eq!(ok("$(vars/@audience) IS NULL"), "(audience = null)");
        assert_eq!(ok("$(vars/@audience) IS NOT NULL"), "(audience != null)");
        assert!(feel("'a' LIKE $(vars/@audience)").is_err());
    }

    #[test]
    fn durations_accept_negative_counts() {
        assert_eq!(
            ok("AddDays(ToDate('2024-01-31'), $long(vars/@count))"),
            "(date(\"2024-01-31\") + duration((if count < 0 then \"-\" else \"\") + \"P\" + string(abs(count)) + \"D\"))"
        );
        assert!(
            ok("SubHours(ToDate('2024-01-31'), 2)").starts_with(
                "(date and time(date(\"2024-01-31\"), time(\"00:00:00Z\")) - duration("
            )
        );
    }

    #[test]
    fn untranslatable_functions_say_why() {
        for (src, why) in [
            ("Md5Digest('a')", "digest"),
            ("Distance(0, 0, 1, 1)", "trigonometric"),
            ("SetBit(1, 2)", "bitwise"),
            ("GetOption('brand')", "options"),
            ("Replace('a', $(vars/@audience), 'b')", "quoted string"),
            ("DateFormat(GetDate(), $(vars/@audience))", "quoted string"),
            ("RowId", "refused"),
        ] {
            let e = feel(src).err().map(|e| e.0).unwrap_or_default();
            assert!(e.contains(why), "{src}: {e}");
        }
    }

    #[test]
    fn long_translations_are_refused() {
        let deep = format!("{}'a'{}", "Charindex(".repeat(30), ", 'b')".repeat(30));
        let r = feel(&deep);
        assert!(r.is_ok() || r.err().is_some_and(|e| e.0.contains("bytes")));
    }
}

#[cfg(test)]
mod interpreter_tests;
