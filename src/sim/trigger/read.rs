//! Reading a payload (docs/CONTRACT.md): the size limit on its bytes, JSON with the line and
//! column of a syntax error, keys given more than once (refused, at any depth), then its shape:
//! an object with a non-empty string `source` and an optional flat object `parameters`.
//!
//! Bytes are read straight into the payload's parts (the object's keys one by one, each
//! parameter's value as JSON), not into a JSON object that is then taken apart; the result is
//! the same as reading the JSON value with [`read_json`], duplicates reported after the shape's
//! problems, in the order they appear.

use crate::sim::run::{ErrorKind, TriggerError};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::fmt;

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
    let (read, duplicates) = match serde_json::from_slice::<Document>(bytes) {
        Ok(Document::Object(entries, duplicates)) => (read_entries(entries.list), duplicates),
        Ok(Document::Other(Keyed { value, duplicates })) => (read_json(value), duplicates),
        Err(e) => return (unreadable(), vec![malformed(&e)]),
    };
    let (payload, mut errors) = read;
    errors.extend(duplicates.iter().map(|path| duplicate_error(path)));
    (payload, errors)
}

/// The error of text that is not JSON, with its line and column.
fn malformed(e: &serde_json::Error) -> TriggerError {
    TriggerError::payload(
        ErrorKind::MalformedJson,
        format!(
            "malformed JSON at line {}, column {}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        ),
    )
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

/// A value as messages show it: its JSON text, shortened past 60 characters.
pub(super) fn shown(v: &Json) -> String {
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
    let Json::Object(map) = json else {
        let error = TriggerError::payload(
            ErrorKind::Shape,
            format!(
                "the payload must be a JSON object with 'source' and 'parameters', received {}",
                json_type(&json)
            ),
        );
        return (unreadable(), vec![error]);
    };
    read_entries(map.into_iter().map(|(key, value)| match Key::of(key) {
        Key::Parameters => {
            let params = match value {
                Json::Object(params) => Params::Object(params.into_iter().collect()),
                other => Params::Other(other),
            };
            (Key::Parameters, Value::Parameters(params))
        }
        key => (key, Value::Json(value)),
    }))
}

/// A key of the payload object.
#[derive(Debug, PartialEq)]
enum Key {
    Source,
    Parameters,
    Other(String),
}

impl Key {
    fn of(key: String) -> Key {
        match key.as_str() {
            "source" => Key::Source,
            "parameters" => Key::Parameters,
            _ => Key::Other(key),
        }
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        match self {
            Key::Source => "source",
            Key::Parameters => "parameters",
            Key::Other(k) => k,
        }
    }
}

/// A value of the payload object: `parameters` read apart when it is an object.
#[derive(Debug)]
enum Value {
    Parameters(Params),
    Json(Json),
}

/// The value of `parameters`.
#[derive(Debug)]
enum Params {
    /// An object: its entries in order.
    Object(Vec<(String, Json)>),
    /// Anything else.
    Other(Json),
}

/// The payload's parts from the entries of its object, in order, every problem reported.
fn read_entries(entries: impl IntoIterator<Item = (Key, Value)>) -> (Payload, Vec<TriggerError>) {
    let mut payload = Payload::default();
    let mut errors = Vec::new();
    let mut has_source = false;
    for (key, value) in entries {
        match (key, value) {
            (Key::Source, value) => {
                has_source = true;
                match value {
                    Value::Json(Json::String(s)) if !s.trim().is_empty() => payload.source = s,
                    Value::Json(Json::String(_)) => errors.push(TriggerError::payload(
                        ErrorKind::Shape,
                        "'source' must name who triggers: it is empty",
                    )),
                    Value::Json(other) => errors.push(TriggerError::payload(
                        ErrorKind::Shape,
                        format!(
                            "'source' must be a string, received {} ({})",
                            shown(&other),
                            json_type(&other)
                        ),
                    )),
                    Value::Parameters(_) => {}
                }
            }
            (_, Value::Parameters(Params::Object(params))) => payload.parameters = params,
            (_, Value::Parameters(Params::Other(Json::Null))) => {}
            (_, Value::Parameters(Params::Other(other))) => {
                payload.unreadable = true;
                errors.push(TriggerError::payload(
                    ErrorKind::Shape,
                    format!(
                        "'parameters' must be an object of name to value, received {}",
                        json_type(&other)
                    ),
                ));
            }
            (key, Value::Json(_)) => errors.push(TriggerError::payload(
                ErrorKind::Shape,
                format!(
                    "unknown key '{}' in the payload (expected 'source' and 'parameters')",
                    key.as_ref()
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

/// Entries of a JSON object in order of first appearance; a repeated key keeps its place and
/// takes the last value, as a JSON object read by serde_json does. Past a few entries, keys are
/// found through an index, so that an object of thousands of keys stays linear.
struct Entries<K, V> {
    list: Vec<(K, V)>,
    index: BTreeMap<String, usize>,
}

/// Entries found by a scan below this many, through the index from there.
const SCAN: usize = 16;

impl<K: AsRef<str>, V> Entries<K, V> {
    fn new() -> Self {
        Entries {
            list: Vec::new(),
            index: BTreeMap::new(),
        }
    }

    /// Adds an entry; when its key was already there, its value is replaced and the key given
    /// back.
    fn insert(&mut self, key: K, value: V) -> Option<K> {
        if self.list.len() == SCAN && self.index.is_empty() {
            for (i, (k, _)) in self.list.iter().enumerate() {
                self.index.entry(k.as_ref().to_owned()).or_insert(i);
            }
        }
        let found = if self.list.len() < SCAN {
            self.list
                .iter()
                .position(|(k, _)| k.as_ref() == key.as_ref())
        } else {
            self.index.get(key.as_ref()).copied()
        };
        if let Some(slot) = found.and_then(|i| self.list.get_mut(i)) {
            slot.1 = value;
            return Some(key);
        }
        if self.list.len() >= SCAN {
            self.index.insert(key.as_ref().to_owned(), self.list.len());
        }
        self.list.push((key, value));
        None
    }
}

/// A payload document: an object read entry by entry, or any other JSON value.
enum Document {
    Object(Entries<Key, Value>, Vec<Vec<String>>),
    Other(Keyed),
}

impl<'de> de::Deserialize<'de> for Document {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut entries = Entries::new();
        let mut duplicates = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let (value, nested) = match key {
                Key::Parameters => {
                    let (params, nested) = map.next_value_seed(ParamsSeed)?;
                    (Value::Parameters(params), nested)
                }
                _ => {
                    let Keyed { value, duplicates } = map.next_value::<Keyed>()?;
                    (Value::Json(value), duplicates)
                }
            };
            for mut path in nested {
                path.insert(0, key.as_ref().to_owned());
                duplicates.push(path);
            }
            if let Some(key) = entries.insert(key, value) {
                duplicates.push(vec![key.as_ref().to_owned()]);
            }
        }
        Ok(Document::Object(entries, duplicates))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Document, A::Error> {
        KeyedVisitor.visit_seq(seq).map(Document::Other)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Document, E> {
        Ok(Document::Other(Keyed::plain(Json::Bool(v))))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Document, E> {
        Ok(Document::Other(Keyed::plain(Json::from(v))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Document, E> {
        Ok(Document::Other(Keyed::plain(Json::from(v))))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Document, E> {
        Ok(Document::Other(Keyed::plain(Json::from(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Document, E> {
        Ok(Document::Other(Keyed::plain(Json::String(v.to_owned()))))
    }

    fn visit_unit<E>(self) -> Result<Document, E> {
        Ok(Document::Other(Keyed::plain(Json::Null)))
    }
}

/// A key of the payload object, read without copying `source` and `parameters`.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "source" => Key::Source,
            "parameters" => Key::Parameters,
            _ => Key::Other(v.to_owned()),
        })
    }
}

/// The value of `parameters`: its entries when it is an object, with the keys repeated in it.
struct ParamsSeed;

impl<'de> DeserializeSeed<'de> for ParamsSeed {
    type Value = (Params, Vec<Vec<String>>);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ParamsSeed {
    type Value = (Params, Vec<Vec<String>>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Entries::new();
        let mut duplicates = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let Keyed {
                value,
                duplicates: d,
            } = map.next_value::<Keyed>()?;
            for mut path in d {
                path.insert(0, name.clone());
                duplicates.push(path);
            }
            if let Some(name) = entries.insert(name, value) {
                duplicates.push(vec![name]);
            }
        }
        Ok((Params::Object(entries.list), duplicates))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let Keyed { value, duplicates } = KeyedVisitor.visit_seq(seq)?;
        Ok((Params::Other(value), duplicates))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok((Params::Other(Json::Bool(v)), Vec::new()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok((Params::Other(Json::from(v)), Vec::new()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok((Params::Other(Json::from(v)), Vec::new()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok((Params::Other(Json::from(v)), Vec::new()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((Params::Other(Json::String(v.to_owned())), Vec::new()))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((Params::Other(Json::Null), Vec::new()))
    }
}

/// JSON read with the keys that objects in it repeat (serde_json keeps the last value of a
/// repeated key; the payload rules refuse them). Each duplicate is the path of keys to it.
struct Keyed {
    value: Json,
    duplicates: Vec<Vec<String>>,
}

impl<'de> de::Deserialize<'de> for Keyed {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyedVisitor)
    }
}

struct KeyedVisitor;

impl<'de> Visitor<'de> for KeyedVisitor {
    type Value = Keyed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Keyed, A::Error> {
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

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keyed, A::Error> {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;

    /// What reading gave before the payload was read key by key: the JSON value, then its shape.
    fn through_json(bytes: &[u8]) -> (Payload, Vec<TriggerError>) {
        match serde_json::from_slice::<Keyed>(bytes) {
            Ok(Keyed { value, duplicates }) => {
                let (payload, mut errors) = read_json(value);
                errors.extend(duplicates.iter().map(|path| duplicate_error(path)));
                (payload, errors)
            }
            Err(e) => (unreadable(), vec![malformed(&e)]),
        }
    }

    #[test]
    fn reading_key_by_key_gives_what_the_json_value_gives() {
        let cases: &[&str] = &[
            r#"{"source": "a", "parameters": {"x": 1, "y": "two"}}"#,
            r#"{"parameters": {"x": 1}, "source": "a"}"#,
            r#"{"source": "a", "source": "b"}"#,
            r#"{"source": "", "parameters": [1, {"k": 1, "k": 2}]}"#,
            r#"{"source": 7, "extra": {"a": 1, "a": 2}, "parameters": null}"#,
            r#"{"source": "a", "parameters": {"x": 1, "x": 2, "y": {"z": 1, "z": 2}}}"#,
            r#"{"source": "a", "parameters": {"x": 1}, "parameters": "no"}"#,
            r#"{"source": "a", "parameters": "no", "parameters": {"x": 1}}"#,
            r#"{"source": {"s": 1, "s": 2}}"#,
            r#"[{"a": 1, "a": 2}]"#,
            r#""text""#,
            r#"{"source": "a", "parameters": {"x": 1"#,
            r#"{"source": "a",}"#,
            r#"{"sour\u0063e": "escaped key", "param\u0065ters": {"p": 1}}"#,
            "",
        ];
        for case in cases {
            assert_eq!(
                read_bytes(case.as_bytes()),
                through_json(case.as_bytes()),
                "{case}"
            );
        }
    }

    #[test]
    fn thousands_of_keys_and_repeats_read_the_same() {
        let mut params: Vec<String> = (0..3000).map(|i| format!("\"p{i}\": {i}")).collect();
        params.push("\"p17\": \"again\"".into());
        params.push("\"p2999\": null".into());
        let mut top: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 30)).collect();
        top.push(format!("\"parameters\": {{{}}}", params.join(", ")));
        top.push("\"source\": \"s\"".into());
        let doc = format!("{{{}}}", top.join(", "));
        assert_eq!(read_bytes(doc.as_bytes()), through_json(doc.as_bytes()));
    }

    proptest! {
        #[test]
        fn any_payload_reads_as_its_json_value_does(
            keys in proptest::collection::vec(
                prop_oneof![
                    Just("source".to_owned()),
                    Just("parameters".to_owned()),
                    "[a-z]{1,2}",
                ],
                0..6,
            ),
            names in proptest::collection::vec("[a-e]{1,2}", 0..48),
            values in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\"s\"", "\"\"", "1", "null", "true", "[1,2]", "{\"a\":1,\"a\":2}",
                ]),
                1..8,
            ),
        ) {
            let params: Vec<String> = names.iter().enumerate()
                .map(|(i, n)| format!("\"{n}\": {}", values[i % values.len()]))
                .collect();
            let entries: Vec<String> = keys.iter().enumerate().map(|(i, k)| match k.as_str() {
                "parameters" if i % 2 == 0 => format!("\"parameters\": {{{}}}", params.join(",")),
                k => format!("\"{k}\": {}", values[i % values.len()]),
            }).collect();
            let doc = format!("{{{}}}", entries.join(","));
            prop_assert_eq!(read_bytes(doc.as_bytes()), through_json(doc.as_bytes()));
        }
    }
}
