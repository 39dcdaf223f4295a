//! JSON Schema (2020-12) of each signal's trigger payload: `source` required and non-empty,
//! `parameters` an object with only the declared names, each typed (formats and patterns for
//! dates, enums for allowed values, the required list). Under the Lenient policy the text forms
//! the simulator converts are allowed too, with the very patterns the simulator uses
//! (`model::text_patterns`). What a pattern cannot say is listed in [`LIMITS`]. Each payload
//! schema carries `x-flowcall-contract`, the digest of the signal's canonical contract.

use crate::model::{
    ConversionPolicy, Parameter, SignalContract, Type, Value, contract_hash, text_patterns,
};
use serde_json::{Value as Json, json};

/// The URI of JSON Schema 2020-12.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Where a schema and the simulator can disagree, because a pattern cannot express it.
pub const LIMITS: &[&str] = &[
    "an impossible calendar day in a date of the right shape (2024-02-30) matches the schema's pattern but is rejected by the simulator",
    "a Lenient integer written as text beyond 64 bits (\"99999999999999999999\") matches the pattern but is rejected",
    "a Lenient decimal written as text whose exponent overflows (\"1e400\") matches the pattern but is rejected",
    "under Lenient, an allowed Decimal or DateTime value written as text is accepted by the schema only in its canonical form",
];

/// The schema of one typed value under a policy (without allowed values).
fn value_schema(ty: Type, policy: ConversionPolicy) -> Json {
    let lenient = policy == ConversionPolicy::Lenient;
    let text_forms = |ty: Type| -> Json {
        let patterns = text_patterns::sources(ty);
        match patterns.as_slice() {
            [one] => json!({"type": "string", "pattern": one}),
            many => json!({
                "type": "string",
                "anyOf": many.iter().map(|p| json!({"pattern": p})).collect::<Vec<_>>(),
            }),
        }
    };
    match ty {
        Type::String if lenient => json!({"type": ["string", "number", "boolean"]}),
        Type::String => json!({"type": "string"}),
        Type::Integer => {
            let int = json!({
                "type": "integer",
                "minimum": i64::MIN,
                "maximum": i64::MAX,
            });
            if lenient {
                json!({"anyOf": [int, text_forms(ty)]})
            } else {
                int
            }
        }
        Type::Decimal => {
            if lenient {
                json!({"anyOf": [{"type": "number"}, text_forms(ty)]})
            } else {
                json!({"type": "number"})
            }
        }
        Type::Boolean => {
            if lenient {
                json!({"anyOf": [{"type": "boolean"}, text_forms(ty)]})
            } else {
                json!({"type": "boolean"})
            }
        }
        Type::Date => {
            let mut s = text_forms(ty);
            s["format"] = json!("date");
            s
        }
        Type::DateTime => text_forms(ty),
    }
}

/// The JSON forms one allowed value may take under a policy.
fn allowed_forms(v: &Value, policy: ConversionPolicy) -> Vec<Json> {
    let lenient = policy == ConversionPolicy::Lenient;
    let mut forms = vec![v.to_json()];
    match v {
        Value::Integer(i) if lenient => forms.push(json!({
            "type": "string",
            "pattern": format!(r"^\s*{}0*{}\s*$", if *i < 0 { "-" } else { r"\+?" }, i.unsigned_abs()),
        })),
        Value::Decimal(_) | Value::DateTime(_) if lenient => {
            forms.push(Json::String(v.to_string()));
        }
        Value::Boolean(b) if lenient => {
            let word: String = (if *b { "true" } else { "false" })
                .chars()
                .map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c))
                .collect();
            forms.push(json!({
                "type": "string",
                "pattern": format!(r"^\s*({word}|{})\s*$", u8::from(*b)),
            }));
        }
        Value::String(s) if lenient => {
            // A number or boolean whose JSON text is the allowed string converts to it.
            if let Ok(j @ (Json::Number(_) | Json::Bool(_))) = serde_json::from_str::<Json>(s) {
                let text = j.to_string();
                if text == *s {
                    forms.push(j);
                }
            }
        }
        _ => {}
    }
    forms
}

/// The schema of one parameter.
pub fn parameter_schema(p: &Parameter, policy: ConversionPolicy) -> Json {
    let mut schema = if p.allowed.is_empty() {
        value_schema(p.ty, policy)
    } else {
        let mut consts = Vec::new();
        // Repeats found by their JSON text, not by comparing pairs: 100,000 allowed values.
        let mut seen = std::collections::BTreeSet::new();
        let mut patterns = Vec::new();
        for v in &p.allowed {
            for f in allowed_forms(v, policy) {
                if !seen.insert(f.to_string()) {
                    continue;
                }
                if f.is_object() {
                    patterns.push(f);
                } else {
                    consts.push(f);
                }
            }
        }
        let enum_schema = json!({"enum": consts});
        let mut s = if patterns.is_empty() {
            enum_schema
        } else {
            patterns.insert(0, enum_schema);
            json!({"anyOf": patterns})
        };
        // Enumerated numbers must still be of the declared JSON type (7 for an Integer, not 7.5).
        if p.ty == Type::Date {
            s["format"] = json!("date");
        }
        s
    };
    if !p.required {
        // JSON null counts as omitted.
        schema = json!({"anyOf": [schema, {"type": "null"}]});
    }
    let obj = schema.as_object_mut();
    if let Some(obj) = obj {
        let mut ordered = serde_json::Map::new();
        ordered.insert("title".into(), json!(p.name));
        if !p.description.is_empty() {
            ordered.insert("description".into(), json!(p.description));
        }
        ordered.insert("x-flowcall-type".into(), json!(p.ty.name()));
        if let Some(d) = &p.default {
            ordered.insert("default".into(), d.to_json());
        }
        for (k, v) in std::mem::take(obj) {
            ordered.insert(k, v);
        }
        *obj = ordered;
    }
    schema
}

/// The schema of the `parameters` object.
pub fn parameters_schema(contract: &SignalContract) -> Json {
    let properties: serde_json::Map<String, Json> = contract
        .parameters
        .iter()
        .map(|p| (p.name.clone(), parameter_schema(p, contract.conversion)))
        .collect();
    let required: Vec<&str> = contract
        .parameters
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    let mut s = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        s["required"] = json!(required);
    }
    s
}

/// The full payload schema of `workflow`'s signal `signal`. `x-flowcall-contract` carries the
/// digest of the canonical contract ([`contract_hash`]), so that two exports can be told apart.
pub fn payload_schema(workflow: &str, signal: &str, contract: &SignalContract) -> Json {
    let has_required = contract.parameters.iter().any(|p| p.required);
    let mut parameters = parameters_schema(contract);
    if !has_required {
        parameters = json!({"anyOf": [parameters, {"type": "null"}]});
    }
    let mut required = vec!["source"];
    if has_required {
        required.push("parameters");
    }
    json!({
        "$schema": DRAFT_2020_12,
        "$id": format!("urn:flowcall:{workflow}:{signal}:payload"),
        "title": format!("Trigger payload of signal '{signal}' of workflow '{workflow}'"),
        "description": format!(
            "POST body of /workflow/execution/{workflow}/activities/activity/{signal}/trigger. Conversion policy: {:?}. At most 64 KiB.",
            contract.conversion
        ),
        "x-flowcall-contract": contract_hash(workflow, signal, contract),
        "type": "object",
        "properties": {
            "source": {
                "description": "Who triggers the workflow (a content system, a script...).",
                "type": "string",
                "minLength": 1,
                "pattern": r"\S",
            },
            "parameters": parameters,
        },
        "required": required,
        "additionalProperties": false,
    })
}
