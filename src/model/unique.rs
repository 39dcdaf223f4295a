//! Maps read from a design with each key once. A RON or JSON map that names a key twice would
//! keep the last value and drop the first without a word (and `fmt` would then delete it from
//! the file); these readers make it an error that names the map, the key and both entries, which
//! the loader reports with the line and column where the second one is.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// The message of a key given twice.
fn twice(map: &str, key: &str, first: usize, second: usize) -> String {
    format!(
        "{map}: the key {key:?} is given twice (entries {first} and {second}); a map keeps one value per key, so one of them would be lost: remove or rename one"
    )
}

/// A map of `what` (for messages) read with each key once.
fn unique_map<'de, D, V>(d: D, what: &'static str) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V> {
        what: &'static str,
        value: PhantomData<V>,
    }
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a map of {} with each key once", self.what)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            let mut entry: BTreeMap<String, usize> = BTreeMap::new();
            let mut n = 0;
            while let Some(key) = map.next_key::<String>()? {
                n += 1;
                if let Some(first) = entry.get(&key) {
                    return Err(de::Error::custom(twice(self.what, &key, *first, n)));
                }
                let value = map.next_value()?;
                entry.insert(key.clone(), n);
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique {
        what,
        value: PhantomData,
    })
}

/// `sample.audiences`, each audience once.
pub(super) fn audiences<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    unique_map(d, "sample.audiences")
}

/// `sample.files`, each path once.
pub(super) fn files<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    unique_map(d, "sample.files")
}

/// `sample.options`, each option once.
pub(super) fn options<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    unique_map(d, "sample.options")
}

/// A scenario's expected workflow states, each workflow once.
pub(super) fn states<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, super::WorkflowState>, D::Error> {
    unique_map(d, "the expected states")
}

/// A scenario's expected variables, each once.
pub(super) fn variables<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, super::Value>, D::Error> {
    unique_map(d, "the expected variables")
}

/// An expected outbox entry's delivery parameters, each once.
pub(super) fn delivery_parameters<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    unique_map(d, "the expected delivery parameters")
}

/// A scenario's payload, a JSON value whose objects name each key once (at any depth): the
/// trigger refuses a key given twice at every entry point, and a saved payload is one.
pub(super) fn payload<'de, D: Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
    d.deserialize_any(JsonOnce)
}

/// Reads a JSON value, refusing an object that names a key twice.
struct JsonOnce;

impl<'de> Deserialize<'de> for Keyed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Keyed, D::Error> {
        d.deserialize_any(JsonOnce).map(Keyed)
    }
}

/// A JSON value read by [`JsonOnce`].
struct Keyed(serde_json::Value);

impl<'de> Visitor<'de> for JsonOnce {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON payload")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_char<E>(self, v: char) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(JsonOnce)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Keyed(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut entry: BTreeMap<String, usize> = BTreeMap::new();
        let mut n = 0;
        while let Some(key) = map.next_key::<String>()? {
            n += 1;
            if let Some(first) = entry.get(&key) {
                return Err(de::Error::custom(twice("the payload", &key, *first, n)));
            }
            let Keyed(value) = map.next_value()?;
            entry.insert(key.clone(), n);
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Expectations, SampleData};

    #[test]
    fn a_key_given_twice_is_an_error_naming_both_entries() {
        let e = ron::from_str::<SampleData>(r#"(options: {"brand": "A", "x": "1", "brand": "B"})"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("sample.options: the key \"brand\" is given twice (entries 1 and 3)"),
            "{e}"
        );
        let ok = ron::from_str::<SampleData>(r#"(options: {"brand": "A", "x": "1"})"#);
        assert!(ok.is_ok());
        let e = ron::from_str::<Expectations>(r#"(variables: {"a": Integer(1), "a": Integer(2)})"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("the expected variables: the key \"a\""), "{e}");
    }
}
