//! Adding activities in the flow of a workflow: the "+" on each free output of the selected
//! activity, the searchable menu of kinds it opens (typing filters, the arrows move the
//! highlight, Enter or a click picks), where the new activity goes (right of that output, level
//! with it, on no other node), and where a kind dropped on a transition goes (between its two
//! ends, the activities after it moved right when they are in the way).

use super::draw::Scene;
use super::gesture::{AddMenu, follows, free_spot, kind_menu_ui};
use super::layout::{HEADER_H, Layout, NodeShape, PIN_R, default_size};
use crate::model::{KindTag, Port, Position, Workflow};
use crate::ui::theme;
use egui::{Pos2, Rect, Sense, Stroke, Ui, Vec2};
use std::collections::{BTreeMap, BTreeSet};

/// The radius of a "+", in canvas units.
const PLUS_R: f32 = 9.0;
/// How far right of its output pin a "+" stands.
const PLUS_GAP: f32 = 18.0;
/// The room between an activity and the one appended after it.
pub const GAP_X: f32 = 70.0;
/// The room between activities stacked in a column.
const GAP_Y: f32 = 30.0;

/// The menu of kinds open on an output: the activity, its output, the menu's search.
#[derive(Debug, Clone, PartialEq)]
pub struct Append {
    /// The activity id.
    pub node: String,
    /// Its output's index among its pins.
    pub output: usize,
    /// That output's port.
    pub port: Port,
    /// The search and highlight.
    pub menu: AddMenu,
    /// Opened this frame (the click that opened it is not a click elsewhere).
    pub fresh: bool,
}

/// The centre of the "+" of output `k` of node `n` at `pos`.
pub fn plus_pos(n: &NodeShape, pos: Pos2, k: usize) -> Pos2 {
    n.output_pos(pos, k) + Vec2::new(PIN_R + PLUS_GAP, 0.0)
}

/// The outputs of node `i` that no transition leaves.
pub fn free_outputs(layout: &Layout, i: usize) -> Vec<usize> {
    let taken: BTreeSet<usize> = layout
        .wires
        .iter()
        .filter(|w| w.from == i)
        .map(|w| w.output)
        .collect();
    let n = layout.nodes.get(i).map_or(0, |n| n.outputs.len());
    (0..n).filter(|k| !taken.contains(k)).collect()
}

/// What a "+" is called (screen readers, tests, its tooltip).
pub fn plus_name(n: &NodeShape, k: usize) -> String {
    match n.outputs.get(k).and_then(|o| o.label.as_ref()) {
        Some(l) => format!("Append after {} ({})", n.title, l.text),
        None => format!("Append after {}", n.title),
    }
}

/// The "+" of each free output of the selected node; a click opens the menu of kinds on it.
pub fn plus_buttons_ui(ui: &mut Ui, s: &Scene<'_>, append: &mut Option<Append>) {
    let Some(i) = s.selected else {
        return;
    };
    let (Some(n), Some(pos)) = (s.layout.nodes.get(i), s.positions.get(i)) else {
        return;
    };
    for k in free_outputs(s.layout, i) {
        let at = plus_pos(n, *pos, k);
        if !s.visible.contains(at) {
            continue;
        }
        let id = egui::Id::unique(("canvas-plus", &n.id, k));
        let r = ui.interact(
            Rect::from_center_size(at, Vec2::splat(PLUS_R * 2.4)),
            id,
            Sense::click(),
        );
        let name = plus_name(n, k);
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        let open = append
            .as_ref()
            .is_some_and(|a| a.node == n.id && a.output == k);
        let fill = if r.hovered() || open {
            theme::SELECTED
        } else {
            s.palette.node
        };
        let painter = ui.painter();
        let radius = if r.hovered() { PLUS_R + 1.5 } else { PLUS_R };
        painter.circle(at, radius, fill, Stroke::new(1.5, theme::SELECTED));
        let ink = if r.hovered() || open {
            s.palette.node
        } else {
            theme::SELECTED
        };
        let arm = radius * 0.55;
        let stroke = Stroke::new(2.0, ink);
        painter.line_segment([at - Vec2::new(arm, 0.0), at + Vec2::new(arm, 0.0)], stroke);
        painter.line_segment([at - Vec2::new(0.0, arm), at + Vec2::new(0.0, arm)], stroke);
        let port = n.outputs.get(k).map(|o| o.port.clone());
        if r.clicked()
            && let Some(port) = port
        {
            *append = (!open).then(|| Append {
                node: n.id.clone(),
                output: k,
                port,
                menu: AddMenu::default(),
                fresh: true,
            });
        }
        r.on_hover_text(format!(
            "{name}: choose a kind; it is added to the right, connected"
        ));
    }
}

/// The menu of kinds of an open "+", at `at` on screen: the kinds that can follow, searchable.
/// Gives the kind picked; Escape or a click elsewhere closes it.
pub fn append_menu_ui(
    ctx: &egui::Context,
    at: Pos2,
    append: &mut Option<Append>,
) -> Option<KindTag> {
    let a = append.as_mut()?;
    let fresh = std::mem::replace(&mut a.fresh, false);
    let id = egui::Id::unique(("canvas-append-menu", &a.node, a.output));
    let r = egui::Area::new(id)
        .order(egui::Order::Foreground)
        .fixed_pos(at)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(220.0);
                ui.label(egui::RichText::new("Append and connect").strong());
                kind_menu_ui(ui, &mut a.menu, follows)
            })
        });
    let picked = r.inner.inner;
    let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
    if picked.is_some() || escape || (!fresh && r.response.clicked_elsewhere()) {
        *append = None;
    }
    picked
}

/// Where an activity of kind `tag` appended after an output goes: right of its node (`from`),
/// its input level with the output pin at height `pin_y`, else above or below that place in its
/// column, on no other node of `rects`; else the nearest free place.
pub fn append_spot(rects: &[Rect], from: Rect, pin_y: f32, tag: KindTag) -> Pos2 {
    let size = default_size(tag);
    let x = from.max.x + GAP_X;
    let y = pin_y - HEADER_H * 0.5;
    let free = |p: Pos2| {
        let r = Rect::from_min_size(p, size).expand(GAP_Y * 0.5);
        !rects.iter().any(|o| o.intersects(r))
    };
    let step = size.y + GAP_Y;
    let column = (0..12).flat_map(|k| {
        let d = k as f32 * step;
        [Pos2::new(x, y + d), Pos2::new(x, y - d)]
    });
    for p in column {
        if free(p) {
            return p;
        }
    }
    let everywhere = Rect::everything_right_of(from.max.x);
    free_spot(rects, Some(from), everywhere, tag)
}

/// Where a kind dropped on the transition from `from` (its pin at height `pin_y`) to `to` goes,
/// and the activities that move right to make room: `to` and every activity after it (not
/// `from` nor what leads to it) when the new one would overlap `to`.
pub fn insert_spot(
    wf: &Workflow,
    rects: &BTreeMap<String, Rect>,
    (from, pin_y): (&str, f32),
    to: &str,
    tag: KindTag,
) -> (Position, Vec<(String, Position)>) {
    let Some(from_rect) = rects.get(from).copied() else {
        return (Position::default(), Vec::new());
    };
    let at = Pos2::new(from_rect.max.x + GAP_X, pin_y - HEADER_H * 0.5);
    let new = Rect::from_min_size(at, default_size(tag));
    let position = Position { x: at.x, y: at.y };
    let Some(to_rect) = rects.get(to) else {
        return (position, Vec::new());
    };
    let dx = new.max.x + GAP_X - to_rect.min.x;
    if dx <= 0.0 || !new.expand2(Vec2::new(GAP_X, 0.0)).intersects(*to_rect) {
        return (position, Vec::new());
    }
    let moves = after(wf, to, from)
        .into_iter()
        .filter_map(|id| {
            let r = rects.get(&id)?;
            Some((
                id,
                Position {
                    x: r.min.x + dx,
                    y: r.min.y,
                },
            ))
        })
        .collect();
    (position, moves)
}

/// `start` and every activity its transitions lead to, but `stop`.
fn after(wf: &Workflow, start: &str, stop: &str) -> Vec<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo = vec![start.to_owned()];
    while let Some(id) = todo.pop() {
        if id == stop || !seen.insert(id.clone()) {
            continue;
        }
        todo.extend(wf.outgoing(&id).map(|t| t.to.clone()));
    }
    seen.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activity, Transition};

    #[test]
    fn an_appended_activity_goes_right_of_its_output_level_with_it_or_in_its_column() {
        let from = Rect::from_min_size(Pos2::new(0.0, 0.0), Vec2::new(200.0, 50.0));
        let p = append_spot(&[from], from, 16.0, KindTag::Query);
        assert_eq!(p, Pos2::new(200.0 + GAP_X, 0.0));
        // That place is taken: the next one in the column.
        let taken = Rect::from_min_size(p, default_size(KindTag::Query));
        let q = append_spot(&[from, taken], from, 16.0, KindTag::Query);
        assert_eq!(q.x, p.x);
        let placed = Rect::from_min_size(q, default_size(KindTag::Query));
        assert!(!placed.intersects(taken) && !placed.intersects(from));
    }

    #[test]
    fn an_insert_pushes_the_rest_of_the_chain_right_when_it_is_in_the_way() {
        let mut w = Workflow::new("W", "w");
        for id in ["a", "b", "c"] {
            w.activities.push(Activity::new(id, id, KindTag::Query));
        }
        for (f, t) in [("a", "b"), ("b", "c"), ("c", "a")] {
            w.transitions.push(Transition {
                from: f.into(),
                port: Port::Out,
                to: t.into(),
            });
        }
        let r = |x: f32| Rect::from_min_size(Pos2::new(x, 0.0), Vec2::new(180.0, 44.0));
        let rects: BTreeMap<String, Rect> = [("a", r(0.0)), ("b", r(260.0)), ("c", r(520.0))]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let (at, moves) = insert_spot(&w, &rects, ("a", 16.0), "b", KindTag::Wait);
        assert_eq!(at.x, 180.0 + GAP_X);
        let moved: BTreeSet<&str> = moves.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(moved, ["b", "c"].into(), "a, before the insert, stays");
        let b = moves.iter().find(|(id, _)| id == "b").map(|(_, p)| p.x);
        assert_eq!(b, Some(at.x + 180.0 + GAP_X));
        // Room enough already: nothing moves.
        let far: BTreeMap<String, Rect> = [("a", r(0.0)), ("b", r(900.0))]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        assert!(
            insert_spot(&w, &far, ("a", 16.0), "b", KindTag::Wait)
                .1
                .is_empty()
        );
    }
}
