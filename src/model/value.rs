//! Typed values and their types: what a parameter declares, what a default holds, what an
//! expression computes and what a run's event variables carry.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// The declared type of a parameter or a column.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Type {
    /// Text.
    String,
    /// 64-bit signed integer.
    Integer,
    /// 64-bit floating point number.
    Decimal,
    /// `true` or `false`.
    Boolean,
    /// A calendar date without time.
    Date,
    /// An instant in UTC.
    DateTime,
}

impl Type {
    /// Every type, in the order forms and menus list them.
    pub const ALL: [Type; 6] = [
        Type::String,
        Type::Integer,
        Type::Decimal,
        Type::Boolean,
        Type::Date,
        Type::DateTime,
    ];

    /// The name users see (`String`, `Integer`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Type::String => "String",
            Type::Integer => "Integer",
            Type::Decimal => "Decimal",
            Type::Boolean => "Boolean",
            Type::Date => "Date",
            Type::DateTime => "DateTime",
        }
    }

    /// Looks a type up by its name, ignoring case.
    pub fn from_name(name: &str) -> Option<Type> {
        Type::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// A short example of text that converts to this type, for hints.
    pub fn example(self) -> &'static str {
        match self {
            Type::String => "text",
            Type::Integer => "42",
            Type::Decimal => "3.5",
            Type::Boolean => "true",
            Type::Date => "2024-03-31",
            Type::DateTime => "2024-03-31 08:17:19.100Z",
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A typed value. `Null` only appears at run time (an absent variable, a null expression result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Value {
    /// No value.
    Null,
    /// Text.
    String(String),
    /// 64-bit signed integer.
    Integer(i64),
    /// 64-bit float (always finite).
    Decimal(f64),
    /// Boolean.
    Boolean(bool),
    /// Calendar date, written `"YYYY-MM-DD"`.
    Date(NaiveDate),
    /// Instant in UTC, written in RFC 3339.
    DateTime(DateTime<Utc>),
}

/// Why a text could not be read as a given type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{text}\" is not a valid {ty} (expected something like {example})", example = ty.example())]
pub struct ParseValueError {
    /// The text that was read.
    pub text: String,
    /// The type it was read as.
    pub ty: Type,
}

impl Value {
    /// The type of this value, or `None` for `Null`.
    pub fn ty(&self) -> Option<Type> {
        Some(match self {
            Value::Null => return None,
            Value::String(_) => Type::String,
            Value::Integer(_) => Type::Integer,
            Value::Decimal(_) => Type::Decimal,
            Value::Boolean(_) => Type::Boolean,
            Value::Date(_) => Type::Date,
            Value::DateTime(_) => Type::DateTime,
        })
    }

    /// The type name users see, `null` included.
    pub fn type_name(&self) -> &'static str {
        self.ty().map_or("null", Type::name)
    }

    /// True for `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this value may stand where `ty` is declared (exact type; `Null` never fits).
    pub fn fits(&self, ty: Type) -> bool {
        self.ty() == Some(ty)
    }

    /// Reads text as a value of type `ty`: the rules of the Lenient conversion policy and of CSV
    /// cells. The accepted shapes are exactly the [`text_patterns`] (shared with the JSON Schema
    /// export, so that the schema and the simulator agree): integers and decimals in plain
    /// decimal notation, booleans `true`/`false`/`1`/`0` in any case, dates `YYYY-MM-DD`,
    /// date-times in RFC 3339 or `YYYY-MM-DD HH:MM:SS[.fff][Z]` (UTC), `YYYY-MM-DD HH:MM[Z]`, or
    /// a bare date (midnight UTC). Surrounding white space is ignored except for String.
    pub fn parse_as(text: &str, ty: Type) -> Result<Value, ParseValueError> {
        let err = || ParseValueError {
            text: text.to_owned(),
            ty,
        };
        if ty == Type::String {
            return Ok(Value::String(text.to_owned()));
        }
        if !text_patterns::matches(ty, text) {
            return Err(err());
        }
        let t = text.trim();
        match ty {
            Type::String => Ok(Value::String(text.to_owned())),
            Type::Integer => t.parse::<i64>().map(Value::Integer).map_err(|_| err()),
            Type::Decimal => match t.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(Value::Decimal(f)),
                _ => Err(err()),
            },
            Type::Boolean => match t.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Value::Boolean(true)),
                "false" | "0" => Ok(Value::Boolean(false)),
                _ => Err(err()),
            },
            Type::Date => parse_date(t).map(Value::Date).ok_or_else(err),
            Type::DateTime => parse_datetime(t).map(Value::DateTime).ok_or_else(err),
        }
    }

    /// Compares two values of comparable types (numbers with numbers, dates with date-times,
    /// same types otherwise). `None` when they cannot be compared.
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        match (self, other) {
            (String(a), String(b)) => Some(a.cmp(b)),
            (Integer(a), Integer(b)) => Some(a.cmp(b)),
            (Integer(a), Decimal(b)) => (*a as f64).partial_cmp(b),
            (Decimal(a), Integer(b)) => a.partial_cmp(&(*b as f64)),
            (Decimal(a), Decimal(b)) => a.partial_cmp(b),
            (Boolean(a), Boolean(b)) => Some(a.cmp(b)),
            (Date(a), Date(b)) => Some(a.cmp(b)),
            (DateTime(a), DateTime(b)) => Some(a.cmp(b)),
            (Date(a), DateTime(b)) => Some(midnight(*a).cmp(b)),
            (DateTime(a), Date(b)) => Some(a.cmp(&midnight(*b))),
            _ => None,
        }
    }

    /// The value as a JSON value (dates and date-times as strings).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Decimal(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Boolean(b) => serde_json::Value::Bool(*b),
            Value::Date(_) | Value::DateTime(_) => serde_json::Value::String(self.to_string()),
        }
    }
}

/// Midnight UTC of a date.
pub fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

/// Parses `YYYY-MM-DD` (exactly that shape).
pub fn parse_date(t: &str) -> Option<NaiveDate> {
    if !text_patterns::DATE.is_match(t) {
        return None;
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Parses the date-time forms described at [`Value::parse_as`] (exactly those shapes).
pub fn parse_datetime(t: &str) -> Option<DateTime<Utc>> {
    if text_patterns::DATETIME_OFFSET.is_match(t) {
        let normalized = t.replacen([' ', 't'], "T", 1).replace('z', "Z");
        return DateTime::parse_from_rfc3339(&normalized)
            .ok()
            .map(|dt| dt.with_timezone(&Utc));
    }
    if text_patterns::DATETIME_UTC.is_match(t) {
        let body = t.trim_end_matches(['Z', 'z']).replacen(['T', 't'], " ", 1);
        let fmt = if body.len() == 16 {
            "%Y-%m-%d %H:%M"
        } else {
            "%Y-%m-%d %H:%M:%S%.f"
        };
        return NaiveDateTime::parse_from_str(&body, fmt)
            .ok()
            .map(|n| n.and_utc());
    }
    parse_date(t).map(midnight)
}

/// The shapes of text each type accepts, as regular expressions written in the common subset of
/// Rust's `regex` and ECMA-262 (JSON Schema `pattern`). The simulator's conversions and the JSON
/// Schema export both use them, so a schema and the simulator agree on every shape. What a
/// pattern cannot say (an impossible calendar day such as Feb 30, an integer beyond 64 bits, a
/// decimal exponent that overflows) is left to the parser and documented in the schema export.
pub mod text_patterns {
    use super::Type;
    use regex::Regex;
    use std::sync::LazyLock;

    /// An integer: optional sign, decimal digits.
    pub const INTEGER_SRC: &str = r"^\s*[+-]?[0-9]+\s*$";
    /// A decimal in plain or exponent notation.
    pub const DECIMAL_SRC: &str = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$";
    /// `true`, `false`, `1` or `0`, in any case.
    pub const BOOLEAN_SRC: &str = r"^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)\s*$";
    const Y: &str = "[0-9]{4}";
    const MO: &str = "(0[1-9]|1[0-2])";
    const D: &str = "(0[1-9]|[12][0-9]|3[01])";
    const H: &str = "([01][0-9]|2[0-3])";
    const MI: &str = "[0-5][0-9]";

    /// A calendar date `YYYY-MM-DD`.
    pub fn date_src() -> String {
        format!("^{Y}-{MO}-{D}$")
    }
    /// A date-time with an explicit zone (`Z` or `+hh:mm`), RFC 3339.
    pub fn datetime_offset_src() -> String {
        format!(r"^{Y}-{MO}-{D}[Tt ]{H}:{MI}:{MI}(\.[0-9]+)?([Zz]|[+-]{H}:{MI})$")
    }
    /// A date-time in UTC without a zone, or `Z`, seconds optional, like `2019-04-03 08:17:19.100Z`.
    pub fn datetime_utc_src() -> String {
        format!(r"^{Y}-{MO}-{D}[Tt ]{H}:{MI}(:{MI}(\.[0-9]+)?)?[Zz]?$")
    }

    fn compile(src: &str) -> Regex {
        // The patterns are constants; a failure would be a programming error caught by tests.
        Regex::new(src).unwrap_or_else(|_| Regex::new("^$").unwrap_or_else(|_| unreachable!()))
    }

    /// Compiled [`INTEGER_SRC`].
    pub static INTEGER: LazyLock<Regex> = LazyLock::new(|| compile(INTEGER_SRC));
    /// Compiled [`DECIMAL_SRC`].
    pub static DECIMAL: LazyLock<Regex> = LazyLock::new(|| compile(DECIMAL_SRC));
    /// Compiled [`BOOLEAN_SRC`].
    pub static BOOLEAN: LazyLock<Regex> = LazyLock::new(|| compile(BOOLEAN_SRC));
    /// Compiled [`date_src`].
    pub static DATE: LazyLock<Regex> = LazyLock::new(|| compile(&date_src()));
    /// Compiled [`datetime_offset_src`].
    pub static DATETIME_OFFSET: LazyLock<Regex> = LazyLock::new(|| compile(&datetime_offset_src()));
    /// Compiled [`datetime_utc_src`].
    pub static DATETIME_UTC: LazyLock<Regex> = LazyLock::new(|| compile(&datetime_utc_src()));

    /// The patterns a text of type `ty` may match (any one of them). Empty for String (any text).
    pub fn sources(ty: Type) -> Vec<String> {
        match ty {
            Type::String => Vec::new(),
            Type::Integer => vec![INTEGER_SRC.to_owned()],
            Type::Decimal => vec![DECIMAL_SRC.to_owned()],
            Type::Boolean => vec![BOOLEAN_SRC.to_owned()],
            Type::Date => vec![date_src()],
            Type::DateTime => vec![datetime_offset_src(), datetime_utc_src(), date_src()],
        }
    }

    /// Whether `text` has a shape `ty` accepts.
    pub fn matches(ty: Type, text: &str) -> bool {
        match ty {
            Type::String => true,
            Type::Integer => INTEGER.is_match(text),
            Type::Decimal => DECIMAL.is_match(text),
            Type::Boolean => BOOLEAN.is_match(text),
            Type::Date => DATE.is_match(text),
            Type::DateTime => {
                DATETIME_OFFSET.is_match(text) || DATETIME_UTC.is_match(text) || DATE.is_match(text)
            }
        }
    }
}

/// Formats a date-time the way the reference product writes it: `2019-04-03 08:17:19.100Z`.
pub fn format_datetime(dt: &DateTime<Utc>) -> String {
    dt.format("%Y-%m-%d %H:%M:%S%.3fZ").to_string()
}

/// Formats a date-time as RFC 3339 with milliseconds (for JSON exports).
pub fn format_datetime_rfc3339(dt: &DateTime<Utc>) -> String {
    dt.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Value {
    /// A total order for sorting values and finding repeats: by type (`Null` first), then as
    /// [`Value::compare`] orders two values of one type. Two values of one type are equal here
    /// exactly when `compare` says they are (`0.0` and `-0.0` too); a NaN, which no design
    /// holds, sorts after every number.
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        use Value::*;
        let rank = |v: &Value| match v {
            Null => 0,
            String(_) => 1,
            Integer(_) => 2,
            Decimal(_) => 3,
            Boolean(_) => 4,
            Date(_) => 5,
            DateTime(_) => 6,
        };
        match (self, other) {
            (Decimal(a), Decimal(b)) => match (a.is_nan(), b.is_nan()) {
                (false, false) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
                (false, true) => Ordering::Less,
                (true, false) => Ordering::Greater,
                (true, true) => a.total_cmp(b),
            },
            (Null, Null) => Ordering::Equal,
            _ if rank(self) == rank(other) => self.compare(other).unwrap_or(Ordering::Equal),
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

/// The positions of the values that repeat an earlier one, in order (`[a, b, a, a]` gives
/// `[2, 3]`), in O(n log n): a parameter may list 100,000 allowed values.
pub fn repeated_positions(values: &[Value]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    let at = |i: usize| values.get(i).unwrap_or(&Value::Null);
    order.sort_by(|&i, &j| at(i).total_cmp(at(j)).then(i.cmp(&j)));
    let mut out: Vec<usize> = order
        .windows(2)
        .filter_map(|w| match w {
            [i, j] if at(*i).total_cmp(at(*j)) == Ordering::Equal => Some(*j),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out
}

/// A set of values for membership tests in O(log n), with the equality of
/// [`Value::total_cmp`] (that of the trigger's allowed-value check for values of one type).
#[derive(Debug, Clone, Default)]
pub struct ValueSet {
    given: Vec<Value>,
    sorted: Vec<Value>,
}

impl ValueSet {
    /// The set of `values`.
    pub fn new(values: &[Value]) -> ValueSet {
        let mut sorted = values.to_vec();
        sorted.sort_by(Value::total_cmp);
        ValueSet {
            given: values.to_vec(),
            sorted,
        }
    }

    /// Whether `v` is in the set.
    pub fn contains(&self, v: &Value) -> bool {
        self.sorted.binary_search_by(|x| x.total_cmp(v)).is_ok()
    }

    /// True when the set has no value.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The values, in their order as given.
    pub fn values(&self) -> &[Value] {
        &self.given
    }
}

impl fmt::Display for Value {
    /// The string form, as `$(vars/@name)` reads it; `Null` shows as the empty string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => Ok(()),
            Value::String(s) => f.write_str(s),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Boolean(b) => write!(f, "{b}"),
            Value::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Value::DateTime(dt) => f.write_str(&format_datetime(dt)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_and_sets_follow_compare() {
        let v = [
            Value::Integer(3),
            Value::Decimal(0.0),
            Value::Integer(3),
            Value::Decimal(-0.0),
            Value::String("a".into()),
            Value::Integer(3),
            Value::Decimal(3.0),
        ];
        assert_eq!(repeated_positions(&v), vec![2, 3, 5]);
        let set = ValueSet::new(&v);
        assert!(set.contains(&Value::Decimal(-0.0)));
        assert!(set.contains(&Value::String("a".into())));
        assert!(!set.contains(&Value::String("b".into())));
        assert!(!set.contains(&Value::Null));
        let nan = [
            Value::Decimal(f64::NAN),
            Value::Decimal(1.0),
            Value::Decimal(f64::NAN),
        ];
        assert_eq!(repeated_positions(&nan), vec![2]);
        let many: Vec<Value> = (0..100_000).map(|i| Value::Integer(i % 50_000)).collect();
        assert_eq!(repeated_positions(&many).len(), 50_000);
    }

    #[test]
    fn parses_each_type() {
        assert_eq!(Value::parse_as(" 7 ", Type::Integer), Ok(Value::Integer(7)));
        assert_eq!(
            Value::parse_as("2.5", Type::Decimal),
            Ok(Value::Decimal(2.5))
        );
        assert!(Value::parse_as("NaN", Type::Decimal).is_err());
        assert!(Value::parse_as("inf", Type::Decimal).is_err());
        assert_eq!(
            Value::parse_as("TRUE", Type::Boolean),
            Ok(Value::Boolean(true))
        );
        assert!(Value::parse_as("yes", Type::Boolean).is_err());
        assert!(Value::parse_as("2024-02-30", Type::Date).is_err());
        assert!(Value::parse_as("2024-2-3", Type::Date).is_err());
        assert!(Value::parse_as(" 2024-02-03", Type::Date).is_err());
        assert_eq!(Value::parse_as("+7", Type::Integer), Ok(Value::Integer(7)));
        assert!(Value::parse_as("7.0", Type::Integer).is_err());
        assert!(Value::parse_as("99999999999999999999", Type::Integer).is_err());
        assert_eq!(
            Value::parse_as(".5e1", Type::Decimal),
            Ok(Value::Decimal(5.0))
        );
        assert!(Value::parse_as("1e400", Type::Decimal).is_err());
        assert!(Value::parse_as("1e", Type::Decimal).is_err());
        assert!(Value::parse_as("2019-04-03T08:17:19+02:00", Type::DateTime).is_ok());
        assert!(Value::parse_as("2019-04-03 08:17", Type::DateTime).is_ok());
        assert!(Value::parse_as("2019-04-03", Type::DateTime).is_ok());
        assert!(Value::parse_as("2019-04-03 25:17", Type::DateTime).is_err());
        assert!(Value::parse_as("2019-04-03T08:17:19+0200", Type::DateTime).is_err());
        let dt = Value::parse_as("2019-04-03 08:17:19.100Z", Type::DateTime);
        assert_eq!(
            dt.as_ref().map(ToString::to_string),
            Ok("2019-04-03 08:17:19.100Z".to_owned())
        );
        assert_eq!(
            Value::parse_as("2019-04-03T08:17:19Z", Type::DateTime).map(|v| v.to_string()),
            Ok("2019-04-03 08:17:19.000Z".to_owned())
        );
    }

    #[test]
    fn error_names_type_and_example() {
        let e = Value::parse_as("abc", Type::Integer)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("\"abc\" is not a valid Integer (expected something like 42)")
        );
    }

    #[test]
    fn compares_across_numeric_and_date_types() {
        assert_eq!(
            Value::Integer(2).compare(&Value::Decimal(2.5)),
            Some(Ordering::Less)
        );
        assert_eq!(Value::String("a".into()).compare(&Value::Integer(1)), None);
        let d = Value::parse_as("2024-01-01", Type::Date).unwrap_or(Value::Null);
        let dt = Value::parse_as("2024-01-01 00:00:01Z", Type::DateTime).unwrap_or(Value::Null);
        assert_eq!(d.compare(&dt), Some(Ordering::Less));
    }
}
