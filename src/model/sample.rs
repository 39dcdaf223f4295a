//! Sample data the simulator runs against: profiles, saved audiences, a file store and options.

use super::value::{Type, Value};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The design's sample data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleData {
    /// Where the virtual clock starts for every simulation.
    #[serde(default = "default_clock_start", with = "super::time::instant_serde")]
    #[schemars(with = "Timestamp")]
    pub clock_start: Timestamp,
    /// The profiles table that Query filters and audiences refer to.
    #[serde(default)]
    pub profiles: Table,
    /// Saved audiences by name: the key values (first column) of their profiles.
    #[serde(default, deserialize_with = "super::unique::audiences")]
    pub audiences: BTreeMap<String, Vec<String>>,
    /// The file store, path to CSV text.
    #[serde(default, deserialize_with = "super::unique::files")]
    pub files: BTreeMap<String, String>,
    /// Named options that `GetOption` reads.
    #[serde(default, deserialize_with = "super::unique::options")]
    pub options: BTreeMap<String, String>,
}

impl Default for SampleData {
    fn default() -> Self {
        SampleData {
            clock_start: default_clock_start(),
            profiles: Table::default(),
            audiences: BTreeMap::new(),
            files: BTreeMap::new(),
            options: BTreeMap::new(),
        }
    }
}

impl SampleData {
    /// The sample data a new design starts with: a small profiles table with the columns the
    /// bundled examples use (key `email`, names, country, segment, age, opt-in, last purchase),
    /// six profiles, and one saved audience of those who opted in; so that a first run of Query,
    /// Read audience or Email delivery has something to work on.
    pub fn starter() -> SampleData {
        let profiles = Table {
            columns: STARTER_COLUMNS
                .iter()
                .map(|(name, ty)| Column {
                    name: (*name).to_owned(),
                    ty: *ty,
                })
                .collect(),
            rows: STARTER_ROWS
                .iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect(),
        };
        let subscribers = STARTER_ROWS
            .iter()
            .filter(|r| r[6] == "true")
            .map(|r| r[0].to_owned())
            .collect();
        SampleData {
            profiles,
            audiences: BTreeMap::from([("Subscribers".to_owned(), subscribers)]),
            ..SampleData::default()
        }
    }
}

/// The columns of [`SampleData::starter`]'s profiles.
const STARTER_COLUMNS: [(&str, Type); 8] = [
    ("email", Type::String),
    ("firstName", Type::String),
    ("lastName", Type::String),
    ("country", Type::String),
    ("segment", Type::String),
    ("age", Type::Integer),
    ("optIn", Type::Boolean),
    ("lastPurchase", Type::Date),
];
/// The rows of [`SampleData::starter`]'s profiles.
const STARTER_ROWS: [[&str; 8]; 6] = [
    [
        "ana.lima@example.com",
        "Ana",
        "Lima",
        "BR",
        "gold",
        "34",
        "true",
        "2024-12-20",
    ],
    [
        "ben.okafor@example.com",
        "Ben",
        "Okafor",
        "NG",
        "silver",
        "41",
        "true",
        "2024-11-02",
    ],
    [
        "chloe.martin@example.com",
        "Chloé",
        "Martin",
        "FR",
        "gold",
        "29",
        "false",
        "2024-12-28",
    ],
    [
        "dev.patel@example.com",
        "Dev",
        "Patel",
        "IN",
        "bronze",
        "52",
        "true",
        "2023-06-15",
    ],
    [
        "eva.novak@example.com",
        "Eva",
        "Novak",
        "CZ",
        "gold",
        "45",
        "true",
        "",
    ],
    [
        "finn.berg@example.com",
        "Finn",
        "Berg",
        "NO",
        "silver",
        "23",
        "false",
        "2024-10-11",
    ],
];

/// 2025-01-06 09:00 UTC, a Monday morning.
pub fn default_clock_start() -> Timestamp {
    super::time::default_clock_start()
}

/// A typed column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The name `@field` refers to.
    pub name: String,
    /// The type cells are read as.
    #[serde(rename = "type")]
    pub ty: Type,
}

/// A table with named, typed columns; cells are written as text (empty for null).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The columns; the first is the key that audiences list.
    pub columns: Vec<Column>,
    /// The rows, one cell per column; each written on one line as a tuple.
    #[serde(with = "rows_as_tuples")]
    #[schemars(with = "Vec<Vec<String>>")]
    pub rows: Vec<Vec<String>>,
}

/// A problem in a sample table cell.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// A row has the wrong number of cells.
    #[error("row {row} has {found} cells; the table has {expected} columns")]
    Width {
        /// 1-based row number.
        row: usize,
        /// Cells found.
        found: usize,
        /// Columns declared.
        expected: usize,
    },
    /// A cell does not fit its column's type.
    #[error("row {row}, column '{column}': {source}")]
    Cell {
        /// 1-based row number.
        row: usize,
        /// Column name.
        column: String,
        /// What was wrong.
        source: super::value::ParseValueError,
    },
}

impl Table {
    /// The typed cells of every row (empty text is `Null`), or the first problem.
    pub fn typed_rows(&self) -> Result<Vec<Vec<Value>>, TableError> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                if row.len() != self.columns.len() {
                    return Err(TableError::Width {
                        row: i + 1,
                        found: row.len(),
                        expected: self.columns.len(),
                    });
                }
                row.iter()
                    .zip(&self.columns)
                    .map(|(cell, col)| {
                        if cell.is_empty() {
                            Ok(Value::Null)
                        } else {
                            Value::parse_as(cell, col.ty).map_err(|source| TableError::Cell {
                                row: i + 1,
                                column: col.name.clone(),
                                source,
                            })
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Writes each row as a RON tuple `("a", "b")` so that a row stays on one line.
mod rows_as_tuples {
    use serde::de::{SeqAccess, Visitor};
    use serde::ser::{SerializeSeq, SerializeTuple};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    struct Row<'a>(&'a [String]);

    impl serde::Serialize for Row<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut t = s.serialize_tuple(self.0.len())?;
            for cell in self.0 {
                t.serialize_element(cell)?;
            }
            t.end()
        }
    }

    pub fn serialize<S: Serializer>(rows: &[Vec<String>], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(rows.len()))?;
        for r in rows {
            seq.serialize_element(&Row(r))?;
        }
        seq.end()
    }

    struct RowOut(Vec<String>);

    impl<'de> serde::Deserialize<'de> for RowOut {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = RowOut;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a row of text cells such as (\"a\", \"b\")")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RowOut, A::Error> {
                    let mut cells = Vec::new();
                    while let Some(c) = seq.next_element::<String>()? {
                        cells.push(c);
                    }
                    Ok(RowOut(cells))
                }
            }
            d.deserialize_tuple(usize::MAX, V)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<String>>, D::Error> {
        let rows: Vec<RowOut> = serde::Deserialize::deserialize(d)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_starter_data_loads_and_its_audience_lists_profiles() {
        let s = SampleData::starter();
        let rows = s.profiles.typed_rows().expect("every cell fits its column");
        assert_eq!(rows.len(), 6);
        assert_eq!(
            s.profiles.column("age").map(|c| c.ty),
            Some(Type::Integer),
            "typed columns"
        );
        let keys: Vec<&String> = s.profiles.rows.iter().filter_map(|r| r.first()).collect();
        let members = &s.audiences["Subscribers"];
        assert_eq!(members.len(), 4);
        assert!(members.iter().all(|m| keys.contains(&m)));
    }
}
