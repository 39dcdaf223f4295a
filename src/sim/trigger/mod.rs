//! The one trigger path's pure part (docs/CONTRACT.md): reading a payload (size limit, JSON, shape:
//! `read`) and checking its parameters against a signal's contract (declared names, types under
//! the Lenient/Strict policy, required, defaults, allowed values), reporting every problem.
//!
//! Conversion table. Strict: a JSON string fits String, and Date/DateTime when it parses; an
//! integer number (7, or 7.0) fits Integer; any number fits Decimal; a boolean fits Boolean. Lenient adds:
//! a string that [`Value::parse_as`] reads as the declared type (recorded as a conversion); a
//! number or boolean for a String parameter (its JSON text, recorded as a conversion). Dates
//! have no JSON type, so reading one from a string is not a conversion. JSON `null` counts as
//! omitted (default, or absent). Nested objects and arrays are always rejected.

mod read;

pub use read::{MAX_PAYLOAD_BYTES, Payload, json_type, read_bytes, read_json};

use super::run::{Conversion, ErrorKind, Origin, TriggerError, Variable};
use crate::model::{ConversionPolicy, Parameter, SignalContract, Type, Value};
use read::shown;
use serde_json::Value as Json;

/// The variables a valid trigger injects, with the conversions made.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Injected {
    /// Parameters and defaults, in contract order.
    pub variables: Vec<Variable>,
    /// Lenient conversions, in contract order.
    pub conversions: Vec<Conversion>,
}

/// Checks parameters against the contract of `workflow`'s `signal`, reporting every problem.
pub fn check_parameters(
    workflow: &str,
    signal: &str,
    contract: &SignalContract,
    parameters: &[(String, Json)],
) -> Result<Injected, Vec<TriggerError>> {
    let checked = check_values(workflow, signal, contract, &mut parameters.to_vec())?;
    Ok(Injected {
        variables: checked
            .values
            .into_iter()
            .filter_map(|(i, value, origin)| {
                Some(Variable {
                    name: contract.parameters.get(i)?.name.clone(),
                    value,
                    origin,
                })
            })
            .collect(),
        conversions: checked.conversions,
    })
}

/// The values of a valid trigger by the contract's parameters: what [`Injected`] holds, with
/// each variable named by the index of its parameter in the contract rather than by a copy of
/// its name.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Checked {
    /// (parameter index, value, origin), in contract order.
    pub(crate) values: Vec<(usize, Value, Origin)>,
    /// Lenient conversions, in contract order.
    pub(crate) conversions: Vec<Conversion>,
}

/// [`check_parameters`], giving each value with its parameter's index in the contract. A text
/// passed to a String parameter without allowed values is moved out of `parameters` (an
/// empty text is left in its place), not copied.
pub(crate) fn check_values(
    workflow: &str,
    signal: &str,
    contract: &SignalContract,
    parameters: &mut [(String, Json)],
) -> Result<Checked, Vec<TriggerError>> {
    let mut errors = Vec::new();
    for (name, _) in parameters.iter() {
        if contract.parameter(name).is_none() {
            errors.push(TriggerError::param(
                ErrorKind::Undeclared,
                name,
                format!("'{name}' is not declared by signal '{signal}' of workflow '{workflow}'"),
            ));
        }
    }
    let mut checked = Checked {
        values: Vec::with_capacity(contract.parameters.len()),
        conversions: Vec::new(),
    };
    for (i, p) in contract.parameters.iter().enumerate() {
        let passed = parameters
            .iter_mut()
            .find(|(n, _)| *n == p.name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null());
        let Some(json) = passed else {
            if p.required {
                errors.push(TriggerError::param(
                    ErrorKind::MissingRequired,
                    &p.name,
                    format!(
                        "'{}' is required by signal '{signal}' of workflow '{workflow}' but was not passed",
                        p.name
                    ),
                ));
            } else if let Some(d) = &p.default {
                checked.values.push((i, d.clone(), Origin::Default));
            }
            continue;
        };
        if let (Json::String(text), Type::String, true) = (&mut *json, p.ty, p.allowed.is_empty()) {
            // What `passed_value` gives, without the copy.
            let value = Value::String(std::mem::take(text));
            checked.values.push((i, value, Origin::Parameter));
            continue;
        }
        match passed_value(p, json, contract.conversion) {
            Ok((value, conversion)) => {
                let origin = match conversion {
                    Some((c, origin)) => {
                        checked.conversions.push(c);
                        origin
                    }
                    None => Origin::Parameter,
                };
                checked.values.push((i, value, origin));
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

/// The value a parameter was passed, typed by its declaration, with the conversion made (and
/// the origin it gives) under the Lenient policy; or why it does not fit.
fn passed_value(
    p: &Parameter,
    json: &Json,
    policy: ConversionPolicy,
) -> Result<(Value, Option<(Conversion, Origin)>), TriggerError> {
    let (value, converted) = convert(json, p.ty, policy).map_err(|why| {
        TriggerError::param(
            ErrorKind::WrongType,
            &p.name,
            format!("'{}': {why}", p.name),
        )
    })?;
    if !p.allowed.is_empty()
        && !p
            .allowed
            .iter()
            .any(|a| a.compare(&value) == Some(std::cmp::Ordering::Equal))
    {
        return Err(not_allowed(p, json));
    }
    if !converted {
        return Ok((value, None));
    }
    let conversion = Conversion {
        parameter: p.name.clone(),
        message: format!(
            "received {} ({}), converted to {} ({})",
            shown(json),
            json_type(json),
            value,
            p.ty
        ),
    };
    let origin = Origin::Converted {
        from: shown(json),
        from_type: json_type(json).to_owned(),
    };
    Ok((value, Some((conversion, origin))))
}

/// The problem of a value outside a parameter's allowed list.
fn not_allowed(p: &Parameter, json: &Json) -> TriggerError {
    TriggerError::param(
        ErrorKind::NotAllowed,
        &p.name,
        format!(
            "'{}': {} is not one of the allowed values ({})",
            p.name,
            shown(json),
            crate::model::listed(&p.allowed)
        ),
    )
}

/// Why a JSON value does not fit a declared type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConvertError {
    /// An object or an array: parameters are flat values.
    #[error(
        "nested objects and arrays are not allowed: expected {expected}, received {received} ({json_type})"
    )]
    Nested {
        /// The declared type.
        expected: Type,
        /// The value received, shortened.
        received: String,
        /// Its JSON type.
        json_type: &'static str,
    },
    /// A value of another type, or text that does not read as the declared type.
    #[error(
        "expected {expected}{}, received {received} ({json_type}){}",
        example_hint(*.expected),
        if *.strict_text { " (the signal's conversion policy is Strict)" } else { "" }
    )]
    Mismatch {
        /// The declared type.
        expected: Type,
        /// The value received, shortened.
        received: String,
        /// Its JSON type.
        json_type: &'static str,
        /// Text refused because the policy is Strict.
        strict_text: bool,
    },
}

/// ` (like 2025-01-31)` for dates, nothing for other types.
fn example_hint(ty: Type) -> String {
    match ty {
        Type::Date | Type::DateTime => format!(" (like {})", ty.example()),
        _ => String::new(),
    }
}

/// Converts one JSON value to the declared type: the value and whether it was a conversion,
/// or why it does not fit.
pub fn convert(
    json: &Json,
    ty: Type,
    policy: ConversionPolicy,
) -> Result<(Value, bool), ConvertError> {
    let lenient = policy == ConversionPolicy::Lenient;
    let mismatch = || ConvertError::Mismatch {
        expected: ty,
        received: shown(json),
        json_type: json_type(json),
        strict_text: !lenient && matches!(json, Json::String(_)),
    };
    match (json, ty) {
        (Json::Array(_) | Json::Object(_), _) => Err(ConvertError::Nested {
            expected: ty,
            received: shown(json),
            json_type: json_type(json),
        }),
        (Json::String(s), Type::String) => Ok((Value::String(s.clone()), false)),
        (Json::String(s), Type::Date | Type::DateTime) => Value::parse_as(s, ty)
            .map(|v| (v, false))
            .map_err(|_| mismatch()),
        (Json::String(s), _) if lenient => Value::parse_as(s, ty)
            .map(|v| (v, true))
            .map_err(|_| mismatch()),
        // An integral number written with a fraction (7.0) is an integer, as in JSON Schema.
        (Json::Number(n), Type::Integer) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && (-9.2e18..9.2e18).contains(f))
                    .map(|f| f as i64)
            })
            .map(|i| (Value::Integer(i), false))
            .ok_or_else(mismatch),
        (Json::Number(n), Type::Decimal) => n
            .as_f64()
            .filter(|f| f.is_finite())
            .map(|f| (Value::Decimal(f), false))
            .ok_or_else(mismatch),
        (Json::Bool(b), Type::Boolean) => Ok((Value::Boolean(*b), false)),
        // A number becomes its JSON text; an integral one (7.0) is written as the integer it
        // equals (7), as JSON Schema sees it.
        (Json::Number(n), Type::String) if lenient => {
            let text = n
                .as_f64()
                .filter(|f| n.is_f64() && f.fract() == 0.0 && (-9.2e18..9.2e18).contains(f))
                .map_or_else(|| json.to_string(), |f| (f as i64).to_string());
            Ok((Value::String(text), true))
        }
        (Json::Bool(_), Type::String) if lenient => Ok((Value::String(json.to_string()), true)),
        _ => Err(mismatch()),
    }
}
