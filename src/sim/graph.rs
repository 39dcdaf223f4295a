//! The transition graph of each workflow, by activity index: the transitions leaving each
//! activity (by port) and entering it, which activities lie on a cycle (a loop can repeat
//! them), and the transitions that name an unknown activity. Built once per design.

use crate::model::{Port, Workflow};
use std::collections::BTreeMap;

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

/// The graph of `w`; transitions naming an unknown activity are left out and described in
/// `dangling`.
pub(crate) fn graph_of(w: &Workflow, dangling: &mut Vec<String>) -> Graph {
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
