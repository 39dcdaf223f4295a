//! A design prepared for simulation: everything immutable per design computed once and shared
//! by every simulator (the compiled plan with every expression parsed, typed sample profiles
//! and the sample audiences selected from them, parsed CSV files, the transition graph by
//! activity index).

use super::graph::{Graph, graph_of};
use super::plan::Plan;
use super::population::{DataSet, Population};
use crate::model::{Design, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

/// Why sample data a run needs cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    /// The sample profiles do not fit their column types.
    #[error("the sample profiles do not load: {0}; fix them in the design's sample data")]
    Profiles(String),
    /// A path the file store does not hold.
    #[error("'{0}' is not in the file store")]
    NotInStore(String),
    /// A stored file that is not CSV.
    #[error("file '{path}' is not valid CSV: {message}")]
    Csv {
        /// The file's path in the store.
        path: String,
        /// What the CSV reader said, with its line.
        message: String,
    },
}

/// A design ready to simulate; share it with `Arc` between simulators and threads.
#[derive(Debug)]
pub struct Prepared {
    /// The design itself.
    pub design: Design,
    /// Every activity compiled: settings, expressions, exits, interned variable names.
    plan: Plan,
    /// The graph of each workflow, in design order.
    pub graphs: Vec<Graph>,
    /// The typed sample profiles, or why they do not load.
    pub profiles: Result<Arc<DataSet>, DataError>,
    /// Transitions that name an unknown activity (ignored by the simulator).
    pub dangling: Vec<String>,
    /// An empty data set, shared by the empty populations runs start with.
    pub empty: Arc<DataSet>,
    /// The design's sample audiences, selected from the profiles (empty when they do not load).
    audiences: BTreeMap<String, Population>,
    files: BTreeMap<String, OnceLock<Result<Arc<DataSet>, DataError>>>,
}

impl Prepared {
    /// Prepares a design: parses its expressions, types its profiles and indexes its graphs.
    pub fn new(design: Design) -> Self {
        let mut dangling = Vec::new();
        let graphs: Vec<Graph> = design
            .workflows
            .iter()
            .map(|w| graph_of(w, &mut dangling))
            .collect();
        let plan = Plan::new(&design, &graphs);
        let profiles = design
            .sample
            .profiles
            .typed_rows()
            .map(|rows| {
                Arc::new(DataSet {
                    columns: design
                        .sample
                        .profiles
                        .columns
                        .iter()
                        .map(|c| c.name.clone())
                        .collect(),
                    rows,
                })
            })
            .map_err(|e| DataError::Profiles(e.to_string()));
        let audiences = match &profiles {
            Ok(p) => sample_audiences(&design, p),
            Err(_) => BTreeMap::new(),
        };
        let files = design
            .sample
            .files
            .keys()
            .map(|k| (k.clone(), OnceLock::new()))
            .collect();
        Prepared {
            design,
            plan,
            graphs,
            profiles,
            dangling,
            empty: Arc::new(DataSet::default()),
            audiences,
            files,
        }
    }

    /// The compiled plan of the design.
    pub(crate) fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The sample audience `name`, selected from the profiles once: `None` when the design has
    /// no such audience, the profiles' error when they do not load.
    pub(crate) fn sample_audience(&self, name: &str) -> Option<Result<Population, DataError>> {
        self.design.sample.audiences.get(name)?;
        Some(match &self.profiles {
            Ok(_) => Ok(self.audiences.get(name)?.clone()),
            Err(e) => Err(e.clone()),
        })
    }

    /// The file store's paths, sorted.
    pub fn file_paths(&self) -> impl Iterator<Item = &str> {
        self.design.sample.files.keys().map(String::as_str)
    }

    /// The parsed CSV of a stored file (header row = column names, every value a String),
    /// parsed at most once per design.
    pub fn file(&self, path: &str) -> Result<Arc<DataSet>, DataError> {
        let (Some(cell), Some(text)) = (self.files.get(path), self.design.sample.files.get(path))
        else {
            return Err(DataError::NotInStore(path.to_owned()));
        };
        cell.get_or_init(|| parse_csv(path, text)).clone()
    }

    /// The index of a workflow by id.
    pub fn workflow_index(&self, id: &str) -> Option<usize> {
        self.design.workflows.iter().position(|w| w.id == id)
    }
}

/// Parses CSV text: the header row names the columns; every value is a String.
pub fn parse_csv(path: &str, text: &str) -> Result<Arc<DataSet>, DataError> {
    let csv_error = |e: csv::Error| DataError::Csv {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        rows.push(record.iter().map(|c| Value::String(c.to_owned())).collect());
    }
    Ok(Arc::new(DataSet { columns, rows }))
}

/// The design's sample audiences: for each, the profiles whose first column is listed.
fn sample_audiences(design: &Design, profiles: &Arc<DataSet>) -> BTreeMap<String, Population> {
    design
        .sample
        .audiences
        .iter()
        .map(|(name, keys)| {
            let wanted: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
            let rows = profiles
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.first()
                        .is_some_and(|k| wanted.contains(k.to_string().as_str()))
                })
                .map(|(i, _)| i)
                .collect();
            (name.clone(), Population::select(profiles.clone(), rows))
        })
        .collect()
}
