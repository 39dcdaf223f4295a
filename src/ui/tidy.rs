//! The "Tidy layout" of a workflow, without egui: its activities laid out left to right along
//! its transitions. Each activity goes in the column of its longest path from a source (an
//! activity nothing leads into: entries, and the start of any part not reached from one;
//! transitions that close a loop are left out), columns are as wide as their widest node, and
//! inside a column nodes are ordered by where their predecessors are and stacked without
//! overlapping (branches below one another), each as close as it can to the middle of its
//! predecessors' pins. Columns that would run wider than the room given wrap into rows, each
//! below the one before, as text wraps, so that a long chain stays compact enough to be read
//! whole. The whole stays where its top left corner was, so that the view does not jump.
//!
//! This module imports nothing else from `ui`.

use crate::model::{Position, Workflow};
use std::collections::{BTreeMap, HashMap};

/// The horizontal gap between columns.
const GAP_X: f32 = 90.0;
/// The vertical gap between nodes of a column.
const GAP_Y: f32 = 50.0;
/// The vertical gap between rows of columns.
const GAP_ROW: f32 = 70.0;
/// The size of a node the caller did not measure.
const DEFAULT_SIZE: (f32, f32) = (180.0, 44.0);

/// The new position of every activity of `wf`, given the size of each node (by activity id),
/// in rows no wider than `max_width` (a column wider than that has a row of its own).
pub fn tidy(
    wf: &Workflow,
    sizes: &BTreeMap<String, (f32, f32)>,
    max_width: f32,
) -> Vec<(String, Position)> {
    let n = wf.activities.len();
    if n == 0 {
        return Vec::new();
    }
    let index: HashMap<&str, usize> = wf
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let size = |i: usize| {
        sizes
            .get(&wf.activities[i].id)
            .copied()
            .unwrap_or(DEFAULT_SIZE)
    };
    let edges = forward_edges(wf, &index);
    let column = columns(n, &edges);
    let order = orders(n, &edges, &column);
    let xs = column_lefts(n, &column, size);
    let ys = stack(n, &edges, &column, &order, size);
    let (xs, ys) = wrap(&column, (&xs, &ys), size, max_width);
    let (min_x, min_y) = wf
        .activities
        .iter()
        .fold((f32::MAX, f32::MAX), |(x, y), a| {
            (x.min(a.position.x), y.min(a.position.y))
        });
    let top = ys.iter().copied().fold(f32::MAX, f32::min);
    (0..n)
        .map(|i| {
            let p = Position {
                x: min_x + xs[i],
                y: min_y + ys[i] - top,
            };
            (wf.activities[i].id.clone(), p)
        })
        .collect()
}

/// The transitions as (from, to) indices, in the workflow's order, without the ones that close a
/// loop (found by a depth-first walk from the sources, then from whatever is left).
fn forward_edges(wf: &Workflow, index: &HashMap<&str, usize>) -> Vec<(usize, usize)> {
    let n = wf.activities.len();
    let all: Vec<(usize, usize)> = wf
        .transitions
        .iter()
        .filter_map(|t| Some((*index.get(t.from.as_str())?, *index.get(t.to.as_str())?)))
        .filter(|(a, b)| a != b)
        .collect();
    let mut out_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut has_in = vec![false; n];
    for (k, (a, b)) in all.iter().enumerate() {
        out_of[*a].push(k);
        has_in[*b] = true;
    }
    // 0: not seen, 1: on the walk's stack, 2: done.
    let mut state = vec![0u8; n];
    let mut back = vec![false; all.len()];
    let roots = (0..n).filter(|i| !has_in[*i]).chain(0..n);
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some((v, next)) = stack.pop() {
            let Some(&k) = out_of[v].get(next) else {
                state[v] = 2;
                continue;
            };
            stack.push((v, next + 1));
            let w = all[k].1;
            match state[w] {
                0 => {
                    state[w] = 1;
                    stack.push((w, 0));
                }
                1 => back[k] = true,
                _ => {}
            }
        }
    }
    all.into_iter()
        .zip(back)
        .filter(|(_, b)| !b)
        .map(|(e, _)| e)
        .collect()
}

/// Each node's column: the length of its longest path from a source.
fn columns(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, b) in edges {
        indegree[*b] += 1;
        out_of[*a].push(*b);
    }
    let mut column = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|i| indegree[*i] == 0).collect();
    while let Some(v) = ready.pop() {
        for &w in &out_of[v] {
            column[w] = column[w].max(column[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push(w);
            }
        }
    }
    column
}

/// Each node's rank inside its column: the first column's in the workflow's order, then column
/// by column by the mean rank of their predecessors (ties by the workflow's order).
fn orders(n: usize, edges: &[(usize, usize)], column: &[usize]) -> Vec<f32> {
    let mut rank: Vec<f32> = (0..n).map(|i| i as f32).collect();
    let depth = column.iter().copied().max().unwrap_or(0);
    for c in 1..=depth {
        let mut members: Vec<(f32, usize)> = (0..n)
            .filter(|i| column[*i] == c)
            .map(|i| {
                let preds: Vec<f32> = edges
                    .iter()
                    .filter(|(_, b)| *b == i)
                    .map(|(a, _)| rank[*a])
                    .collect();
                let mean = preds.iter().sum::<f32>() / preds.len().max(1) as f32;
                (mean, i)
            })
            .collect();
        members.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (k, (_, i)) in members.into_iter().enumerate() {
            rank[i] = k as f32;
        }
    }
    rank
}

/// The left edge of each column: the columns before it, each as wide as its widest node.
fn column_lefts(n: usize, column: &[usize], size: impl Fn(usize) -> (f32, f32)) -> Vec<f32> {
    let depth = column.iter().copied().max().unwrap_or(0);
    let mut width = vec![0.0f32; depth + 1];
    for i in 0..n {
        width[column[i]] = width[column[i]].max(size(i).0);
    }
    let mut lefts = Vec::with_capacity(depth + 1);
    let mut x = 0.0;
    for w in width {
        lefts.push(x);
        x += w + GAP_X;
    }
    lefts
}

/// Each node's left and top once the columns (whose lefts are `lefts`, the nodes' tops `tops`)
/// are wrapped into rows no wider than `max_width`: a row's columns start again at the left,
/// below the row before.
fn wrap(
    column: &[usize],
    (lefts, tops): (&[f32], &[f32]),
    size: impl Fn(usize) -> (f32, f32),
    max_width: f32,
) -> (Vec<f32>, Vec<f32>) {
    let n = column.len();
    let mut right = vec![0.0f32; lefts.len()];
    for i in 0..n {
        right[column[i]] = right[column[i]].max(lefts[column[i]] + size(i).0);
    }
    // The row of each column, and each row's first column.
    let mut row_of = vec![0usize; lefts.len()];
    let mut starts = vec![0usize];
    for c in 1..lefts.len() {
        let start = starts.last().copied().unwrap_or(0);
        if right[c] - lefts[start] > max_width {
            starts.push(c);
        }
        row_of[c] = starts.len() - 1;
    }
    // Each row's span of tops and bottoms, then where it goes.
    let rows = starts.len();
    let mut span = vec![(f32::MAX, f32::MIN); rows];
    for i in 0..n {
        let r = row_of[column[i]];
        span[r].0 = span[r].0.min(tops[i]);
        span[r].1 = span[r].1.max(tops[i] + size(i).1);
    }
    let mut row_top = vec![0.0f32; rows];
    for r in 1..rows {
        let height = (span[r - 1].1 - span[r - 1].0).max(0.0);
        row_top[r] = row_top[r - 1] + height + GAP_ROW;
    }
    let xs = (0..n)
        .map(|i| lefts[column[i]] - lefts[starts[row_of[column[i]]]])
        .collect();
    let ys = (0..n)
        .map(|i| {
            let r = row_of[column[i]];
            tops[i] - span[r].0 + row_top[r]
        })
        .collect();
    (xs, ys)
}

/// Each node's top: column by column, in rank order, each node as near as it can be to the
/// middle of its predecessors (already placed: they are in earlier columns), below the node
/// before it in its column.
fn stack(
    n: usize,
    edges: &[(usize, usize)],
    column: &[usize],
    order: &[f32],
    size: impl Fn(usize) -> (f32, f32),
) -> Vec<f32> {
    let mut by_rank: Vec<usize> = (0..n).collect();
    by_rank.sort_by(|a, b| {
        column[*a]
            .cmp(&column[*b])
            .then(order[*a].total_cmp(&order[*b]))
    });
    let mut top = vec![0.0f32; n];
    let mut bottom: HashMap<usize, f32> = HashMap::new();
    for i in by_rank {
        let centres: Vec<f32> = edges
            .iter()
            .filter(|(_, b)| *b == i)
            .map(|(a, _)| top[*a] + size(*a).1 * 0.5)
            .collect();
        let h = size(i).1;
        let mean =
            (!centres.is_empty()).then(|| centres.iter().sum::<f32>() / centres.len() as f32);
        let y = match (mean, bottom.get(&column[i]).copied()) {
            (Some(m), Some(floor)) => (m - h * 0.5).max(floor),
            (Some(m), None) => m - h * 0.5,
            (None, Some(floor)) => floor,
            (None, None) => 0.0,
        };
        top[i] = y;
        bottom.insert(column[i], y + h + GAP_Y);
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activity, KindTag, Port, Transition};

    fn wf(ids: &[(&str, KindTag)], links: &[(&str, &str)]) -> Workflow {
        let mut w = Workflow::new("W", "w");
        for (k, (id, tag)) in ids.iter().enumerate() {
            let mut a = Activity::new(*id, *id, *tag);
            a.position = Position {
                x: 500.0 - k as f32 * 10.0,
                y: 300.0 + k as f32 * 7.0,
            };
            w.activities.push(a);
        }
        for (from, to) in links {
            w.transitions.push(Transition {
                from: (*from).into(),
                port: Port::Out,
                to: (*to).into(),
            });
        }
        w
    }

    fn rects(w: &Workflow, moves: &[(String, Position)]) -> Vec<(String, f32, f32, f32, f32)> {
        moves
            .iter()
            .map(|(id, p)| (id.clone(), p.x, p.y, p.x + 180.0, p.y + 44.0))
            .filter(|(id, ..)| w.activity(id).is_some())
            .collect()
    }

    fn overlaps(r: &[(String, f32, f32, f32, f32)]) -> bool {
        r.iter().enumerate().any(|(i, a)| {
            r[i + 1..]
                .iter()
                .any(|b| a.1 < b.3 && b.1 < a.3 && a.2 < b.4 && b.2 < a.4)
        })
    }

    #[test]
    fn a_chain_goes_left_to_right_on_one_line_from_the_old_top_left() {
        let w = wf(
            &[
                ("s", KindTag::ExternalSignal),
                ("a", KindTag::Query),
                ("e", KindTag::End),
            ],
            &[("s", "a"), ("a", "e")],
        );
        let m = tidy(&w, &BTreeMap::new(), f32::INFINITY);
        let at: HashMap<&str, Position> = m.iter().map(|(id, p)| (id.as_str(), *p)).collect();
        assert!(at["s"].x < at["a"].x && at["a"].x < at["e"].x, "{m:?}");
        assert_eq!(at["s"].y, at["a"].y);
        assert_eq!(at["a"].y, at["e"].y);
        assert_eq!((at["s"].x, at["s"].y), (480.0, 300.0), "the old top left");
    }

    #[test]
    fn branches_are_stacked_without_overlap_and_loops_and_strays_do_not_hang() {
        let w = wf(
            &[
                ("s", KindTag::ExternalSignal),
                ("t", KindTag::Test),
                ("x", KindTag::Query),
                ("y", KindTag::Query),
                ("z", KindTag::Query),
                ("j", KindTag::AndJoin),
                ("stray", KindTag::Wait),
                ("e", KindTag::End),
            ],
            &[
                ("s", "t"),
                ("t", "x"),
                ("t", "y"),
                ("t", "z"),
                ("x", "j"),
                ("y", "j"),
                ("j", "e"),
                ("j", "t"), // a loop back
            ],
        );
        let m = tidy(&w, &BTreeMap::new(), f32::INFINITY);
        assert_eq!(m.len(), 8);
        let r = rects(&w, &m);
        assert!(!overlaps(&r), "{r:?}");
        let at: HashMap<&str, Position> = m.iter().map(|(id, p)| (id.as_str(), *p)).collect();
        assert!(at["t"].x < at["x"].x && at["x"].x < at["j"].x && at["j"].x < at["e"].x);
        assert_eq!(at["x"].x, at["y"].x, "siblings share a column");
        assert_ne!(at["x"].y, at["y"].y);
    }

    #[test]
    fn a_long_chain_wraps_into_rows_no_wider_than_the_room() {
        let ids: Vec<(String, KindTag)> =
            (0..9).map(|k| (format!("n{k}"), KindTag::Query)).collect();
        let refs: Vec<(&str, KindTag)> = ids.iter().map(|(i, t)| (i.as_str(), *t)).collect();
        let links: Vec<(&str, &str)> = refs.windows(2).map(|p| (p[0].0, p[1].0)).collect();
        let w = wf(&refs, &links);
        let room = 1000.0;
        let m = tidy(&w, &BTreeMap::new(), room);
        let r = rects(&w, &m);
        assert!(!overlaps(&r), "{r:?}");
        let left = r.iter().map(|x| x.1).fold(f32::MAX, f32::min);
        let right = r.iter().map(|x| x.3).fold(f32::MIN, f32::max);
        assert!(right - left <= room, "{} wide", right - left);
        // Four columns of 180 (and the gaps between them) fit in 1000: rows of four, four and
        // one, each below the last.
        let tops: std::collections::BTreeSet<i32> = r.iter().map(|x| x.2 as i32).collect();
        assert_eq!(tops.len(), 3, "{r:?}");
        let at: HashMap<&str, Position> = m.iter().map(|(id, p)| (id.as_str(), *p)).collect();
        assert_eq!(at["n4"].x, at["n0"].x, "a row starts again at the left");
        assert!(at["n4"].y > at["n3"].y);
        assert_eq!(at["n3"].y, at["n0"].y);
        // Unbounded: one row.
        let one = tidy(&w, &BTreeMap::new(), f32::INFINITY);
        let tops: std::collections::BTreeSet<i32> = one.iter().map(|(_, p)| p.y as i32).collect();
        assert_eq!(tops.len(), 1);
    }
}
