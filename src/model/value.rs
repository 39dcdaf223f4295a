//! Typed values and their types: what a parameter declares, what a default holds, what an
//! expression computes and what a run's event variables carry.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// The declared type of a parameter or a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// columns. Integers and decimals in plain decimal notation; booleans `true`/`false`/`1`/`0`
    /// in any case; dates `YYYY-MM-DD`; date-times in RFC 3339 or `YYYY-MM-DD HH:MM:SS[.fff][Z]`
    /// (UTC), or a bare date (midnight UTC).
    pub fn parse_as(text: &str, ty: Type) -> Result<Value, ParseValueError> {
        let err = || ParseValueError {
            text: text.to_owned(),
            ty,
        };
        let t = text.trim();
        match ty {
            Type::String => Ok(Value::String(text.to_owned())),
            Type::Integer => t.parse::<i64>().map(Value::Integer).map_err(|_| err()),
            Type::Decimal => {
                // Only plain notation: reject "inf", "NaN" and friends.
                let plain = !t.is_empty()
                    && t.chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
                match t.parse::<f64>() {
                    Ok(f) if plain && f.is_finite() => Ok(Value::Decimal(f)),
                    _ => Err(err()),
                }
            }
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

/// Parses `YYYY-MM-DD`.
pub fn parse_date(t: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Parses the date-time forms described at [`Value::parse_as`].
pub fn parse_datetime(t: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    let body = t.strip_suffix('Z').unwrap_or(t);
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(body, fmt) {
            return Some(n.and_utc());
        }
    }
    parse_date(t).map(midnight)
}

/// Formats a date-time the way the reference product writes it: `2019-04-03 08:17:19.100Z`.
pub fn format_datetime(dt: &DateTime<Utc>) -> String {
    dt.format("%Y-%m-%d %H:%M:%S%.3fZ").to_string()
}

/// Formats a date-time as RFC 3339 with milliseconds (for JSON exports).
pub fn format_datetime_rfc3339(dt: &DateTime<Utc>) -> String {
    dt.to_rfc3339_opts(SecondsFormat::Millis, true)
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
