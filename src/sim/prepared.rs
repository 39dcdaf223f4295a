//! A design prepared for simulation: everything immutable per design computed once and shared
//! by every simulator (parsed expressions, typed sample profiles, parsed CSV files, the
//! transition graph by activity index).

use super::exprs::CompiledExprs;
use super::population::DataSet;
use crate::model::{Design, Port, Value};
use std::collections::BTreeMap;
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

/// The graph of one workflow, by activity index.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Activity index by id.
    pub index: BTreeMap<String, usize>,
    /// Per activity: the transitions leaving it as (port, transition index, target index).
    pub outgoing: Vec<Vec<(Port, usize, usize)>>,
    /// Per activity: the distinct transition indices entering it.
    pub incoming: Vec<Vec<usize>>,
    /// Per activity: whether it lies on a cycle of transitions (a loop can repeat it).
    cyclic: Vec<bool>,
}

impl Graph {
    /// True when activity `a` lies on a cycle of transitions.
    pub fn on_cycle(&self, a: usize) -> bool {
        self.cyclic.get(a).copied().unwrap_or(false)
    }
}

/// Which nodes lie on a cycle: the members of strongly connected components of more than one
/// node, and nodes with an edge to themselves. Tarjan's algorithm with an explicit stack, so
/// that long chains do not overflow the call stack; linear in nodes plus edges.
pub fn on_cycles(succs: &[Vec<usize>]) -> Vec<bool> {
    let n = succs.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut cyclic = vec![false; n];
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, position in its successor list)
        let mut frames = vec![(start, 0usize)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut pos)) = frames.last_mut() {
            if let Some(&w) = succs[v].get(*pos) {
                *pos += 1;
                if w == v {
                    cyclic[v] = true;
                } else if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                if members.len() > 1 {
                    for m in members {
                        cyclic[m] = true;
                    }
                }
            }
        }
    }
    cyclic
}

/// A design ready to simulate; share it with `Arc` between simulators and threads.
#[derive(Debug)]
pub struct Prepared {
    /// The design itself.
    pub design: Design,
    /// Every expression, parsed once.
    pub exprs: CompiledExprs,
    /// The graph of each workflow, in design order.
    pub graphs: Vec<Graph>,
    /// The typed sample profiles, or why they do not load.
    pub profiles: Result<Arc<DataSet>, DataError>,
    /// Transitions that name an unknown activity (ignored by the simulator).
    pub dangling: Vec<String>,
    /// An empty data set, shared by the empty populations runs start with.
    pub empty: Arc<DataSet>,
    files: BTreeMap<String, OnceLock<Result<Arc<DataSet>, DataError>>>,
}

impl Prepared {
    /// Prepares a design: parses its expressions, types its profiles and indexes its graphs.
    pub fn new(design: Design) -> Self {
        let exprs = CompiledExprs::compile(&design);
        let mut dangling = Vec::new();
        let graphs = design
            .workflows
            .iter()
            .map(|w| {
                let index: BTreeMap<String, usize> = w
                    .activities
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.id.clone(), i))
                    .collect();
                let mut outgoing = vec![Vec::new(); w.activities.len()];
                let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); w.activities.len()];
                for (ti, t) in w.transitions.iter().enumerate() {
                    match (index.get(&t.from), index.get(&t.to)) {
                        (Some(&f), Some(&to)) => {
                            if let Some(o) = outgoing.get_mut(f) {
                                o.push((t.port.clone(), ti, to));
                            }
                            if let Some(i) = incoming.get_mut(to) {
                                i.push(ti);
                            }
                        }
                        _ => dangling.push(format!(
                            "workflow '{}': transition {} -> {} names an unknown activity",
                            w.id, t.from, t.to
                        )),
                    }
                }
                let succs: Vec<Vec<usize>> = outgoing
                    .iter()
                    .map(|o| o.iter().map(|(_, _, to)| *to).collect())
                    .collect();
                Graph {
                    index,
                    cyclic: on_cycles(&succs),
                    outgoing,
                    incoming,
                }
            })
            .collect();
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
        let files = design
            .sample
            .files
            .keys()
            .map(|k| (k.clone(), OnceLock::new()))
            .collect();
        Prepared {
            design,
            exprs,
            graphs,
            profiles,
            dangling,
            empty: Arc::new(DataSet::default()),
            files,
        }
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

#[cfg(test)]
mod tests {
    use super::on_cycles;

    #[test]
    fn cycles_are_found_and_chains_are_not() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3, 4 -> 4
        let g = vec![vec![1], vec![2], vec![1, 3], vec![], vec![4]];
        assert_eq!(on_cycles(&g), vec![false, true, true, false, true]);
        let chain: Vec<Vec<usize>> = (0..100_000).map(|i| vec![i + 1]).chain([vec![]]).collect();
        assert!(on_cycles(&chain).iter().all(|c| !c));
    }
}
