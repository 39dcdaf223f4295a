//! Populations: the rows of a data set (sample profiles, a loaded file, a saved audience) that
//! flow along transitions. Cheap to clone: the data set is shared and a population only holds
//! which of its rows it keeps.

use crate::model::Value;
use std::sync::Arc;

/// An immutable table of typed rows with named columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataSet {
    /// Column names, in order; the first is the key audiences list.
    pub columns: Vec<String>,
    /// The rows, one value per column.
    pub rows: Vec<Vec<Value>>,
}

impl DataSet {
    /// The position of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// A selection of rows of one shared data set.
#[derive(Debug, Clone)]
pub struct Population {
    /// The data set the rows come from.
    pub data: Arc<DataSet>,
    /// The kept row indices in order, or `None` for every row.
    pub rows: Option<Arc<Vec<usize>>>,
}

impl Population {
    /// Every row of `data`.
    pub fn all(data: Arc<DataSet>) -> Self {
        Population { data, rows: None }
    }

    /// The given rows of `data`.
    pub fn select(data: Arc<DataSet>, rows: Vec<usize>) -> Self {
        Population {
            data,
            rows: Some(Arc::new(rows)),
        }
    }

    /// An empty population without columns.
    pub fn empty() -> Self {
        Population::select(Arc::new(DataSet::default()), Vec::new())
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.as_ref().map_or(self.data.rows.len(), |r| r.len())
    }

    /// True when no row is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kept row indices, in order.
    pub fn indices(&self) -> Vec<usize> {
        match &self.rows {
            Some(r) => r.as_ref().clone(),
            None => (0..self.data.rows.len()).collect(),
        }
    }

    /// The kept rows, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[Value]> + '_ {
        let n = self.len();
        (0..n).filter_map(move |i| {
            let idx = match &self.rows {
                Some(r) => *r.get(i)?,
                None => i,
            };
            self.data.rows.get(idx).map(Vec::as_slice)
        })
    }

    /// The string form of one column over the kept rows (at most `limit` of them).
    pub fn column_values(&self, column: usize, limit: usize) -> Vec<String> {
        self.iter()
            .filter_map(|r| r.get(column))
            .take(limit)
            .map(ToString::to_string)
            .collect()
    }

    /// The union of populations: kept rows of the same data set merged in order of first
    /// appearance; when the data sets differ, the first population alone.
    pub fn union(parts: &[Population]) -> Population {
        let Some(first) = parts.first() else {
            return Population::empty();
        };
        if parts.iter().any(|p| !Arc::ptr_eq(&p.data, &first.data)) {
            return first.clone();
        }
        if parts.iter().any(|p| p.rows.is_none()) {
            return Population::all(first.data.clone());
        }
        let mut seen = vec![false; first.data.rows.len()];
        let mut rows = Vec::new();
        for p in parts {
            for i in p.indices() {
                if let Some(s) = seen.get_mut(i)
                    && !*s
                {
                    *s = true;
                    rows.push(i);
                }
            }
        }
        Population::select(first.data.clone(), rows)
    }
}
