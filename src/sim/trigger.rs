//! The one trigger path's pure part (docs/CONTRACT.md): reading a payload (size limit, JSON, shape)
//! and checking its parameters against a signal's contract (declared names, types under the
//! Lenient/Strict policy, required, defaults, allowed values), reporting every problem.
//!
//! Conversion table. Strict: a JSON string fits String, and Date/DateTime when it parses; an
//! integer number (7, or 7.0) fits Integer; any number fits Decimal; a boolean fits Boolean. Lenient adds:
//! a string that [`Value::parse_as`] reads as the declared type (recorded as a conversion); a
//! number or boolean for a String parameter (its JSON text, recorded as a conversion). Dates
//! have no JSON type, so reading one from a string is not a conversion. JSON `null` counts as
//! omitted (default, or absent). Nested objects and arrays are always rejected.

use super::run::{Conversion, ErrorKind, Origin, TriggerError, Variable};
use crate::model::{ConversionPolicy, SignalContract, Type, Value};
use serde_json::Value as Json;

/// The largest payload accepted, in bytes (64 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// A payload read into its parts; problems of its shape are reported next to it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Payload {
    /// Who triggers (empty when missing).
    pub source: String,
    /// The parameters, in payload order.
    pub parameters: Vec<(String, Json)>,
    /// The parameters could not be read (too large, malformed JSON, not an object): their
    /// checks are skipped so that only the real problem is reported.
    pub unreadable: bool,
}

/// Reads a payload from bytes: the size limit on the byte length, then JSON (with line and
/// column), then its shape. Errors are returned with whatever could be read.
pub fn read_bytes(bytes: &[u8]) -> (Payload, Vec<TriggerError>) {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return (
            unreadable(),
            vec![TriggerError::payload(
                ErrorKind::TooLarge,
                format!(
                    "the payload is {} bytes; the limit is {MAX_PAYLOAD_BYTES} bytes (64 KiB)",
                    bytes.len()
                ),
            )],
        );
    }
    match serde_json::from_slice::<Keyed>(bytes) {
        Ok(Keyed { value, duplicates }) => {
            let (payload, mut errors) = read_json(value);
            errors.extend(duplicates.iter().map(|path| duplicate_error(path)));
            (payload, errors)
        }
        Err(e) => (
            unreadable(),
            vec![TriggerError::payload(
                ErrorKind::MalformedJson,
                format!(
                    "malformed JSON at line {}, column {}: {}",
                    e.line(),
                    e.column(),
                    strip_position(&e.to_string())
                ),
            )],
        ),
    }
}

/// The problem of a key given twice: a parameter (`parameters.NAME`) or a key of the payload.
fn duplicate_error(path: &[String]) -> TriggerError {
    match path {
        [params, name] if params == "parameters" => TriggerError::param(
            ErrorKind::DuplicateKey,
            name,
            format!("'{name}' is given more than once in 'parameters': send each parameter once"),
        ),
        _ => TriggerError::payload(
            ErrorKind::DuplicateKey,
            format!(
                "the key '{}' is given more than once in the payload: send each key once",
                path.join(".")
            ),
        ),
    }
}

/// JSON read with the keys that objects in it repeat (serde_json keeps the last value of a
/// repeated key; the payload rules refuse them). Each duplicate is the path of keys to it.
struct Keyed {
    value: Json,
    duplicates: Vec<Vec<String>>,
}

impl<'de> serde::Deserialize<'de> for Keyed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyedVisitor)
    }
}

struct KeyedVisitor;

impl<'de> serde::de::Visitor<'de> for KeyedVisitor {
    type Value = Keyed;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Keyed, E> {
        Ok(Keyed::plain(Json::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Keyed, E> {
        Ok(Keyed::plain(Json::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Keyed, E> {
        Ok(Keyed::plain(Json::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Keyed, E> {
        Ok(Keyed::plain(Json::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Keyed, E> {
        Ok(Keyed::plain(Json::String(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Keyed, E> {
        Ok(Keyed::plain(Json::String(v)))
    }

    fn visit_unit<E>(self) -> Result<Keyed, E> {
        Ok(Keyed::plain(Json::Null))
    }

    fn visit_none<E>(self) -> Result<Keyed, E> {
        Ok(Keyed::plain(Json::Null))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Keyed, A::Error> {
        let mut items = Vec::new();
        let mut duplicates = Vec::new();
        while let Some(Keyed {
            value,
            duplicates: d,
        }) = seq.next_element::<Keyed>()?
        {
            items.push(value);
            duplicates.extend(d);
        }
        Ok(Keyed {
            value: Json::Array(items),
            duplicates,
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Keyed, A::Error> {
        let mut object = serde_json::Map::new();
        let mut duplicates = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let Keyed {
                value,
                duplicates: d,
            } = map.next_value::<Keyed>()?;
            for mut path in d {
                path.insert(0, key.clone());
                duplicates.push(path);
            }
            if object.insert(key.clone(), value).is_some() {
                duplicates.push(vec![key]);
            }
        }
        Ok(Keyed {
            value: Json::Object(object),
            duplicates,
        })
    }
}

impl Keyed {
    fn plain(value: Json) -> Self {
        Keyed {
            value,
            duplicates: Vec::new(),
        }
    }
}

fn unreadable() -> Payload {
    Payload {
        unreadable: true,
        ..Payload::default()
    }
}

fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

/// The JSON type name users see (`string`, `number`, `boolean`, `null`, `object`, `array`).
pub fn json_type(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn shown(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// Reads a payload's shape from JSON: an object with a non-empty string `source` and an
/// optional flat object `parameters`; other keys are refused.
pub fn read_json(json: Json) -> (Payload, Vec<TriggerError>) {
    let mut payload = Payload::default();
    let mut errors = Vec::new();
    let Json::Object(map) = json else {
        payload.unreadable = true;
        errors.push(TriggerError::payload(
            ErrorKind::Shape,
            format!(
                "the payload must be a JSON object with 'source' and 'parameters', received {}",
                json_type(&json)
            ),
        ));
        return (payload, errors);
    };
    let mut has_source = false;
    for (key, value) in map {
        match key.as_str() {
            "source" => {
                has_source = true;
                match value {
                    Json::String(s) if !s.trim().is_empty() => payload.source = s,
                    Json::String(_) => errors.push(TriggerError::payload(
                        ErrorKind::Shape,
                        "'source' must name who triggers: it is empty",
                    )),
                    other => errors.push(TriggerError::payload(
                        ErrorKind::Shape,
                        format!(
                            "'source' must be a string, received {} ({})",
                            shown(&other),
                            json_type(&other)
                        ),
                    )),
                }
            }
            "parameters" => match value {
                Json::Object(params) => payload.parameters = params.into_iter().collect(),
                Json::Null => {}
                other => {
                    payload.unreadable = true;
                    errors.push(TriggerError::payload(
                        ErrorKind::Shape,
                        format!(
                            "'parameters' must be an object of name to value, received {}",
                            json_type(&other)
                        ),
                    ));
                }
            },
            other => errors.push(TriggerError::payload(
                ErrorKind::Shape,
                format!(
                    "unknown key '{other}' in the payload (expected 'source' and 'parameters')"
                ),
            )),
        }
    }
    if !has_source {
        errors.push(TriggerError::payload(
            ErrorKind::Shape,
            "'source' is missing: the payload must name who triggers it",
        ));
    }
    (payload, errors)
}

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
    let mut errors = Vec::new();
    for (name, _) in parameters {
        if contract.parameter(name).is_none() {
            errors.push(TriggerError::param(
                ErrorKind::Undeclared,
                name,
                format!("'{name}' is not declared by signal '{signal}' of workflow '{workflow}'"),
            ));
        }
    }
    let mut injected = Injected::default();
    for p in &contract.parameters {
        let passed = parameters
            .iter()
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
                injected.variables.push(Variable {
                    name: p.name.clone(),
                    value: d.clone(),
                    origin: Origin::Default,
                });
            }
            continue;
        };
        match convert(json, p.ty, contract.conversion) {
            Ok((value, converted)) => {
                if !p.allowed.is_empty()
                    && !p
                        .allowed
                        .iter()
                        .any(|a| a.compare(&value) == Some(std::cmp::Ordering::Equal))
                {
                    errors.push(TriggerError::param(
                        ErrorKind::NotAllowed,
                        &p.name,
                        format!(
                            "'{}': {} is not one of the allowed values ({})",
                            p.name,
                            shown(json),
                            crate::model::listed(&p.allowed)
                        ),
                    ));
                    continue;
                }
                let origin = if converted {
                    injected.conversions.push(Conversion {
                        parameter: p.name.clone(),
                        message: format!(
                            "received {} ({}), converted to {} ({})",
                            shown(json),
                            json_type(json),
                            value,
                            p.ty
                        ),
                    });
                    Origin::Converted {
                        from: shown(json),
                        from_type: json_type(json).to_owned(),
                    }
                } else {
                    Origin::Parameter
                };
                injected.variables.push(Variable {
                    name: p.name.clone(),
                    value,
                    origin,
                });
            }
            Err(why) => errors.push(TriggerError::param(
                ErrorKind::WrongType,
                &p.name,
                format!("'{}': {why}", p.name),
            )),
        }
    }
    if errors.is_empty() {
        Ok(injected)
    } else {
        Err(errors)
    }
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
