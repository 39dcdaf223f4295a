//! Typed values as the designer writes and starts them, without egui: the text a value is edited
//! as, and the value a new entry of a type starts from. The inspector's default editor and the
//! run form share them.
//!
//! This module imports nothing else from `ui`.

use crate::model::{Type, Value};

/// The value a new entry of type `ty` starts from: empty, zero, false, or 2024-01-01 (midnight
/// UTC for a DateTime).
pub fn zero(ty: Type) -> Value {
    match ty {
        Type::String => Value::String(String::new()),
        Type::Integer => Value::Integer(0),
        Type::Decimal => Value::Decimal(0.0),
        Type::Boolean => Value::Boolean(false),
        Type::Date => Value::parse_as("2024-01-01", Type::Date).unwrap_or(Value::Null),
        Type::DateTime => {
            Value::parse_as("2024-01-01T00:00:00Z", Type::DateTime).unwrap_or(Value::Null)
        }
    }
}

/// The text a value is edited as (strings without quotes, DateTimes in RFC 3339, null empty).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(d) => d.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
        Value::DateTime(dt) => crate::model::format_datetime_rfc3339(dt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_starts_from_a_value_of_that_type_that_reads_back() {
        for ty in Type::ALL {
            let v = zero(ty);
            assert!(v.fits(ty), "{ty:?}: {v:?}");
            assert_eq!(Value::parse_as(&value_text(&v), ty).ok(), Some(v), "{ty:?}");
        }
    }
}
