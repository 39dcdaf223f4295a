//! What the user does on the canvas beyond a single node: moving nodes (one undo step when let
//! go), dragging wires between pins (a refusal becomes a hint), Shift+click and box selection,
//! the wire under the pointer (its tooltip and its menu), the right-click menu that adds an
//! activity (search, arrows, Enter), and where a new activity goes when the palette is clicked
//! (next to the selection, in view, on no other node).

use super::draw::{Event, Scene, WirePath, wire_ends, wire_hover_text};
use super::layout::{Layout, PIN_R, default_size};
use crate::model::{KindTag, Position, Workflow};
use crate::ui::command::{Command, EditCommand, ViewCommand};
use crate::ui::widgets::kind_icon;
use egui::{Pos2, Rect, Sense, Ui, Vec2};
use std::collections::BTreeSet;

/// What a drag on the canvas is doing.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Gesture {
    /// Nothing.
    #[default]
    Idle,
    /// Moving these nodes by `delta` (canvas units).
    Move {
        /// The nodes.
        nodes: Vec<usize>,
        /// How far.
        delta: Vec2,
    },
    /// A wire from node `node`'s output `output`, or to its input (`None`).
    Wire {
        /// The node.
        node: usize,
        /// The output pin, or the input.
        output: Option<usize>,
    },
    /// A selection box from this corner (canvas units).
    Box(Pos2),
}

/// The "add activity" menu of the background.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddMenu {
    /// Where it was opened (canvas units): the new activity goes there.
    pub at: Option<Pos2>,
    /// What is typed in its search field.
    pub search: String,
    /// The highlighted kind (Enter adds it), among the ones the search leaves.
    pub highlight: usize,
}

/// The canvas's interaction state, kept between frames.
#[derive(Debug, Default)]
pub struct Interaction {
    /// The drag under way.
    pub gesture: Gesture,
    /// The nodes selected with Shift+click or a box (activity ids).
    pub selection: BTreeSet<String>,
    /// The background's menu.
    pub menu: AddMenu,
    /// The wire whose menu is open, and where.
    pub wire_menu: Option<(usize, Pos2)>,
    /// The wire a palette kind being dragged is over (letting go puts it there).
    pub drop_wire: Option<usize>,
}

impl Interaction {
    /// Forgets what refers to nodes by index (the layout changed).
    pub fn reset(&mut self) {
        self.gesture = Gesture::Idle;
        self.wire_menu = None;
        self.drop_wire = None;
    }

    /// Where each node of `layout` is drawn this frame: its activity's position, plus the drag.
    pub fn positions(&self, wf: &Workflow, layout: &Layout, out: &mut Vec<Pos2>) {
        out.clear();
        out.extend(
            wf.activities
                .iter()
                .take(layout.nodes.len())
                .map(|a| Pos2::new(a.position.x, a.position.y)),
        );
        if let Gesture::Move { nodes, delta } = &self.gesture {
            for i in nodes {
                if let Some(p) = out.get_mut(*i) {
                    *p += *delta;
                }
            }
        }
    }

    /// Turns this frame's node events into gestures and commands; `pointer` is where the
    /// pointer is (canvas units).
    pub fn handle(
        &mut self,
        events: Vec<Event>,
        s: &Scene<'_>,
        pointer: Option<Pos2>,
        out: &mut Vec<Command>,
        hint: &mut Option<String>,
    ) {
        for e in events {
            match e {
                Event::Click { node, add } => self.click(s, node, add, out),
                Event::DragStart(node) => self.start_move(s, node, out),
                Event::Drag(d) => {
                    if let Gesture::Move { delta, .. } = &mut self.gesture {
                        *delta += d;
                    }
                }
                Event::DragStop => self.stop_move(s, out),
                Event::WireStart { node, output } => {
                    self.gesture = Gesture::Wire { node, output };
                }
                Event::WireStop => {
                    if let (Gesture::Wire { node, output }, Some(p)) = (&self.gesture, pointer) {
                        connect(s, *node, *output, p, out, hint);
                    }
                    self.gesture = Gesture::Idle;
                }
            }
        }
    }

    fn click(&mut self, s: &Scene<'_>, node: usize, add: bool, out: &mut Vec<Command>) {
        let Some(n) = s.layout.nodes.get(node) else {
            return;
        };
        if add {
            if !self.selection.remove(&n.id) {
                self.selection.insert(n.id.clone());
                if let Some(sel) = s.selected.and_then(|i| s.layout.nodes.get(i)) {
                    self.selection.insert(sel.id.clone());
                }
            }
        } else {
            self.selection.clear();
        }
        out.push(Command::View(ViewCommand::Select(Some(n.id.clone()))));
    }

    fn start_move(&mut self, s: &Scene<'_>, node: usize, out: &mut Vec<Command>) {
        let Some(n) = s.layout.nodes.get(node) else {
            return;
        };
        let nodes = if self.selection.contains(&n.id) {
            self.selection
                .iter()
                .filter_map(|id| s.layout.by_id.get(id).copied())
                .collect()
        } else {
            self.selection.clear();
            if s.selected != Some(node) {
                out.push(Command::View(ViewCommand::Select(Some(n.id.clone()))));
            }
            vec![node]
        };
        self.gesture = Gesture::Move {
            nodes,
            delta: Vec2::ZERO,
        };
    }

    fn stop_move(&mut self, s: &Scene<'_>, out: &mut Vec<Command>) {
        let Gesture::Move { nodes, delta } = std::mem::take(&mut self.gesture) else {
            return;
        };
        if delta == Vec2::ZERO {
            return;
        }
        let moves = nodes
            .iter()
            .filter_map(|i| {
                let (n, p) = (s.layout.nodes.get(*i)?, s.positions.get(*i)?);
                Some((n.id.clone(), Position { x: p.x, y: p.y }))
            })
            .collect();
        out.push(Command::Edit(EditCommand::MoveActivities {
            workflow: s.workflow.to_owned(),
            moves,
        }));
    }

    /// The selection box ends at `to`: the nodes it touches are selected, the last one shown in
    /// the inspector.
    pub fn finish_box(&mut self, s: &Scene<'_>, to: Pos2, out: &mut Vec<Command>) {
        let Gesture::Box(from) = std::mem::take(&mut self.gesture) else {
            return;
        };
        let area = Rect::from_two_pos(from, to);
        self.selection = s
            .layout
            .nodes
            .iter()
            .zip(s.positions)
            .filter(|(n, p)| area.intersects(n.rect(**p)))
            .map(|(n, _)| n.id.clone())
            .collect();
        if let Some(last) = self.selection.iter().next_back() {
            out.push(Command::View(ViewCommand::Select(Some(last.clone()))));
        }
    }
}

/// The node whose rectangle (grown by a pin) holds `p`, the top-most first.
fn node_at(s: &Scene<'_>, p: Pos2) -> Option<usize> {
    (0..s.layout.nodes.len()).rev().find(|i| {
        let (Some(n), Some(pos)) = (s.layout.nodes.get(*i), s.positions.get(*i)) else {
            return false;
        };
        n.rect(*pos).expand(PIN_R * 2.0).contains(p)
    })
}

/// A wire let go at `p`: from an output onto a node's input, or from an input onto a node's
/// output (the pin nearest `p`). A refusal says why in `hint`.
fn connect(
    s: &Scene<'_>,
    node: usize,
    output: Option<usize>,
    p: Pos2,
    out: &mut Vec<Command>,
    hint: &mut Option<String>,
) {
    let Some(other) = node_at(s, p).filter(|o| *o != node) else {
        return;
    };
    let (from, to, pin) = match output {
        Some(k) => (node, other, k),
        None => {
            let (n, pos) = (&s.layout.nodes[other], s.positions[other]);
            let nearest = (0..n.outputs.len()).min_by(|a, b| {
                let da = n.output_pos(pos, *a).distance(p);
                da.total_cmp(&n.output_pos(pos, *b).distance(p))
            });
            let Some(k) = nearest else {
                *hint = Some(format!(
                    "'{}' has no output: an End ends the branch",
                    n.title
                ));
                return;
            };
            (other, node, k)
        }
    };
    let (a, b) = (&s.layout.nodes[from], &s.layout.nodes[to]);
    if !b.input {
        *hint = Some(format!(
            "'{}' is an entry ({}): nothing may lead into it",
            b.title,
            b.tag.name()
        ));
        return;
    }
    out.push(Command::Edit(EditCommand::Connect {
        workflow: s.workflow.to_owned(),
        from: a.id.clone(),
        port: a.outputs[pin].port.clone(),
        to: b.id.clone(),
    }));
}

/// The wire in view nearest the pointer `p`, within a few points of it.
pub fn wire_under(s: &Scene<'_>, p: Pos2) -> Option<usize> {
    let reach = 6.0 / s.scale.max(0.05);
    let mut best: Option<(usize, f32)> = None;
    for w in 0..s.layout.wires.len() {
        let Some((from, to)) = wire_ends(s, w) else {
            continue;
        };
        let path = WirePath::new(from, to);
        if !path.bounds().expand(reach).contains(p) {
            continue;
        }
        let samples: Vec<Pos2> = path.samples().collect();
        let d = samples
            .windows(2)
            .map(|seg| segment_distance(p, seg[0], seg[1]))
            .fold(f32::INFINITY, f32::min);
        if d <= reach && best.is_none_or(|(_, b)| d < b) {
            best = Some((w, d));
        }
    }
    best.map(|(w, _)| w)
}

fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(f32::EPSILON)).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

/// The widget of the wire under the pointer (or of the wire whose menu is open): its tooltip,
/// and a right-click menu that removes it.
pub fn wire_widget_ui(
    ui: &mut Ui,
    s: &Scene<'_>,
    hovered: Option<(usize, Pos2)>,
    menu: &mut Option<(usize, Pos2)>,
    out: &mut Vec<Command>,
) {
    let Some((w, at)) = menu.or(hovered) else {
        return;
    };
    let side = 12.0 / s.scale.max(0.05);
    let id = egui::Id::unique(("canvas-wire", s.workflow));
    let r = ui.interact(
        Rect::from_center_size(at, Vec2::splat(side)),
        id,
        Sense::click(),
    );
    let count = s.marks.wire(w).count;
    let Some(wire) = s.layout.wires.get(w) else {
        *menu = None;
        return;
    };
    let (a, b) = (&s.layout.nodes[wire.from], &s.layout.nodes[wire.to]);
    let port = a.outputs[wire.output].port.clone();
    let text = match count {
        Some(n) => wire_hover_text(s, w, n),
        None => format!("'{}' ({}) → '{}'", a.title, port.describe(), b.title),
    };
    if r.secondary_clicked() {
        *menu = Some((w, at));
    }
    let r = r.on_hover_text(format!("{text}\nRight-click to remove this transition"));
    let open = r.context_menu(|ui| {
        if ui.button("Remove transition").clicked() {
            out.push(Command::Edit(EditCommand::Disconnect {
                workflow: s.workflow.to_owned(),
                from: a.id.clone(),
                port: port.clone(),
                to: b.id.clone(),
            }));
            ui.close();
        }
    });
    if open.is_none() {
        *menu = None;
    }
}

/// The kinds whose name contains `search` (any case), in palette order, among those `keep`
/// lets through.
fn matching(search: &str, keep: fn(KindTag) -> bool) -> Vec<KindTag> {
    let needle = search.trim().to_lowercase();
    KindTag::ALL
        .into_iter()
        .filter(|t| keep(*t) && t.name().to_lowercase().contains(&needle))
        .collect()
}

/// Any kind.
fn any_kind(_: KindTag) -> bool {
    true
}

/// A kind that can follow another (it has an input: not an entry).
pub fn follows(tag: KindTag) -> bool {
    !matches!(tag, KindTag::Start | KindTag::ExternalSignal)
}

/// A searchable list of kinds: a search field (focused), the kinds it leaves among those `keep`
/// lets through (the highlighted one moved with the arrow keys), Enter or a click to pick one.
/// Gives the kind picked; the search is then cleared.
pub fn kind_menu_ui(ui: &mut Ui, menu: &mut AddMenu, keep: fn(KindTag) -> bool) -> Option<KindTag> {
    let kinds = matching(&menu.search, keep);
    let (down, up, enter) = ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
            i.key_pressed(egui::Key::Enter),
        )
    });
    if down {
        menu.highlight = (menu.highlight + 1).min(kinds.len().saturating_sub(1));
    }
    if up {
        menu.highlight = menu.highlight.saturating_sub(1);
    }
    let label = ui.label("Search");
    let r = ui
        .text_edit_singleline(&mut menu.search)
        .labelled_by(label.id);
    r.request_focus();
    if r.changed() {
        menu.highlight = 0;
    }
    let mut picked = None;
    for (k, tag) in kinds.iter().enumerate() {
        let b = egui::Button::new(format!("{} {}", kind_icon(*tag), tag.name()))
            .selected(k == menu.highlight);
        if ui.add(b).clicked() {
            picked = Some(*tag);
        }
    }
    if kinds.is_empty() {
        ui.label("No kind has this name");
    }
    if enter && picked.is_none() {
        picked = kinds.get(menu.highlight).copied();
    }
    if picked.is_some() {
        menu.search.clear();
        menu.highlight = 0;
    }
    picked
}

/// The background's "add activity" menu: [`kind_menu_ui`] over every kind; the kind picked is
/// added where the menu was opened.
pub fn add_menu_ui(ui: &mut Ui, menu: &mut AddMenu, out: &mut Vec<Command>) {
    ui.label("Add activity");
    if let Some(tag) = kind_menu_ui(ui, menu, any_kind) {
        let at = menu.at.unwrap_or(Pos2::ZERO);
        out.push(Command::Edit(EditCommand::AddActivity {
            tag,
            position: Some(Position { x: at.x, y: at.y }),
        }));
        ui.close();
    }
}

/// Where an activity of kind `tag` added without a place goes: right of `anchor` (the selected
/// node), else below, above or left of it, or in the middle of `visible`; when that place is
/// taken, the nearest place that overlaps no node of `rects`, preferring places inside
/// `visible`.
pub fn free_spot(rects: &[Rect], anchor: Option<Rect>, visible: Rect, tag: KindTag) -> Pos2 {
    let size = default_size(tag);
    const GAP: f32 = 40.0;
    let free = |p: Pos2| {
        let r = Rect::from_min_size(p, size).expand(GAP * 0.5);
        !rects.iter().any(|o| o.intersects(r))
    };
    let inside = |p: Pos2| {
        visible
            .shrink(4.0)
            .contains_rect(Rect::from_min_size(p, size))
    };
    let beside = anchor.map(|a| {
        [
            Pos2::new(a.max.x + GAP * 1.5, a.min.y),
            Pos2::new(a.min.x, a.max.y + GAP),
            Pos2::new(a.min.x, a.min.y - GAP - size.y),
            Pos2::new(a.min.x - GAP * 1.5 - size.x, a.min.y),
        ]
    });
    if let Some(p) = beside.iter().flatten().find(|p| free(**p) && inside(**p)) {
        return *p;
    }
    let start = match beside {
        Some(b) => b[0],
        None => visible.center() - size * 0.5,
    };
    let step = size + Vec2::splat(GAP);
    let mut candidates: Vec<(f32, Pos2)> = Vec::new();
    for ring in 0..12i32 {
        for dx in -ring..=ring {
            for dy in -ring..=ring {
                if dx.abs().max(dy.abs()) != ring {
                    continue;
                }
                let p = start + Vec2::new(dx as f32 * step.x, dy as f32 * step.y * 0.5);
                let d = (p - start).length() + if dx < 0 { step.x * 0.5 } else { 0.0 };
                candidates.push((d, p));
            }
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    candidates
        .iter()
        .find(|(_, p)| free(*p) && inside(*p))
        .or_else(|| candidates.iter().find(|(_, p)| free(*p)))
        .map_or(start, |(_, p)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_activity_goes_beside_the_selection_on_no_other_node() {
        let selected = Rect::from_min_size(Pos2::new(0.0, 0.0), Vec2::new(200.0, 50.0));
        let right = Rect::from_min_size(Pos2::new(260.0, 0.0), Vec2::new(200.0, 50.0));
        let visible = Rect::from_min_size(Pos2::new(-100.0, -300.0), Vec2::new(1200.0, 800.0));
        let rects = [selected, right];
        let p = free_spot(&rects, Some(selected), visible, KindTag::Query);
        let placed = Rect::from_min_size(p, default_size(KindTag::Query));
        assert!(rects.iter().all(|r| !r.intersects(placed)), "{placed:?}");
        assert!(visible.contains_rect(placed), "{placed:?}");
        // The right is taken: it goes below.
        assert!(
            placed.min.y >= selected.max.y && placed.min.x == selected.min.x,
            "below the selection: {placed:?}"
        );
        let alone = free_spot(&[selected], Some(selected), visible, KindTag::Query);
        assert!(
            alone.x >= selected.max.x && alone.y == selected.min.y,
            "{alone:?}"
        );
        // Twice in a row: the second goes elsewhere.
        let rects = [selected, right, placed];
        let q = free_spot(&rects, Some(selected), visible, KindTag::Query);
        let second = Rect::from_min_size(q, default_size(KindTag::Query));
        assert!(rects.iter().all(|r| !r.intersects(second)), "{second:?}");
    }

    #[test]
    fn without_a_selection_it_goes_in_the_middle_of_the_view() {
        let visible = Rect::from_min_size(Pos2::new(1000.0, 1000.0), Vec2::new(800.0, 600.0));
        let p = free_spot(&[], None, visible, KindTag::End);
        let placed = Rect::from_min_size(p, default_size(KindTag::End));
        assert!((placed.center() - visible.center()).length() < 1.0);
    }

    #[test]
    fn the_search_keeps_the_kinds_whose_name_it_contains() {
        assert_eq!(matching("que", any_kind), [KindTag::Query]);
        assert_eq!(matching("AUDIENCE", any_kind).len(), 2);
        assert_eq!(matching("", any_kind).len(), KindTag::ALL.len());
        assert_eq!(matching("", follows).len(), KindTag::ALL.len() - 2);
        assert!(matching("signal", follows).is_empty(), "no entry follows");
    }
}
