//! Drawing the canvas: each node (its family's colours, an entry's rounded start, an End's
//! double outline, pins, port labels that fit inside it, body lines, the selection and the
//! overlay's marks), each wire (a curve ending in an arrowhead, the shown run's path in its
//! colour, the population that went through it in a chip), and the widgets a node needs (its
//! body to click and drag, its pins to drag wires from, its breakpoint toggle, its menu). What
//! the user does comes back as [`Event`]s and commands. Only what is in view is drawn; zoomed
//! out below [`DETAIL_SCALE`], where the smaller texts would no longer read, a node shows its
//! title alone, drawn larger so that it still reads at the least zoom.

use super::layout::{
    BREAKPOINT, HEADER_H, Layout, LineKind, NodeShape, PAD, PIN_R, ROW_H, TEXT_SIZE, TITLE_SIZE,
    one_line,
};
use super::marks::{Marks, breakpoint_ui, chip_ui, dashed_rect, node_chips_ui, thousands};
use crate::ui::command::{Command, EditCommand, SimCommand, ViewCommand};
use crate::ui::theme::{self, CanvasPalette};
use egui::epaint::{CornerRadius, CubicBezierShape};
use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2};
use std::collections::BTreeSet;

/// Below this zoom the smaller texts (13 units: port labels, parameters, badges, counts) would
/// be under 10.4 px: nodes show their title alone, larger.
pub const DETAIL_SCALE: f32 = 0.8;
/// The least height of a title on screen, in points, whatever the zoom.
const TITLE_PX: f32 = 11.0;

/// What the user did to a node this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Clicked node `i` (with Shift held: `add`).
    Click {
        /// The node.
        node: usize,
        /// Shift was held.
        add: bool,
    },
    /// Began dragging node `i`.
    DragStart(usize),
    /// Dragged the nodes being moved by this much (canvas units).
    Drag(Vec2),
    /// Let go of the nodes being moved.
    DragStop,
    /// Began dragging a wire from node `i`'s output `output`, or into its input (`None`).
    WireStart {
        /// The node.
        node: usize,
        /// The output pin, or `None` for the input.
        output: Option<usize>,
    },
    /// Let go of the wire being dragged.
    WireStop,
}

/// What drawing one frame of the canvas needs.
pub struct Scene<'a> {
    /// The workflow id.
    pub workflow: &'a str,
    /// The layout drawn.
    pub layout: &'a Layout,
    /// Where each node is this frame (its top left), moves being dragged included.
    pub positions: &'a [Pos2],
    /// The overlay on the nodes and wires.
    pub marks: &'a Marks,
    /// The theme's canvas colours.
    pub palette: CanvasPalette,
    /// The zoom.
    pub scale: f32,
    /// The part of the canvas in view (canvas units), with a margin.
    pub visible: Rect,
    /// The node the inspector shows.
    pub selected: Option<usize>,
    /// The nodes selected with Shift or a box.
    pub selection: &'a BTreeSet<String>,
}

impl Scene<'_> {
    /// Whether the smaller texts, the breakpoint toggles and the chips are drawn.
    pub fn detailed(&self) -> bool {
        self.scale >= DETAIL_SCALE
    }

    /// The size titles are drawn at, in canvas units: [`TITLE_SIZE`], or larger when that would
    /// be under [`TITLE_PX`] on screen (in whole units, so that zooming reuses galleys).
    fn title_size(&self) -> f32 {
        TITLE_SIZE.max((TITLE_PX / self.scale.max(0.05)).ceil())
    }

    /// A colour as drawn on a node off the shown path: faded towards the background.
    fn fade(&self, i: usize, c: Color32) -> Color32 {
        if self.marks.dimmed(i) {
            c.lerp_to_gamma(self.palette.background, 0.6)
        } else {
            c
        }
    }
}

/// How far a wire that goes back left turns out beyond its ends.
const TURN: f32 = 40.0;

/// The course of a wire, as cubic curves: one curve when its input is to the right of its
/// output; otherwise (a row that wraps, a loop) a turn down from the output, a run left along
/// the middle between its ends (below both when they are level), and a turn into the input, so
/// that it does not cross the activities between.
#[derive(Debug, Clone, Copy)]
pub struct WirePath {
    segs: [[Pos2; 4]; 3],
    len: usize,
}

impl WirePath {
    /// The course from the output pin `from` to the input pin `to` (the curve ends where the
    /// arrowhead begins).
    pub fn new(from: Pos2, to: Pos2) -> WirePath {
        let end = to - Vec2::new(PIN_R + 8.0, 0.0);
        if end.x >= from.x + TURN * 0.5 {
            let dx = ((to.x - from.x).abs() * 0.5).max(TURN);
            let seg = [
                from,
                from + Vec2::new(dx, 0.0),
                end - Vec2::new(dx, 0.0),
                end,
            ];
            return WirePath {
                segs: [seg; 3],
                len: 1,
            };
        }
        let mid_y = if (to.y - from.y).abs() > 2.0 * TURN {
            (from.y + to.y) * 0.5
        } else {
            from.y.max(to.y) + 2.0 * TURN
        };
        let (a, b) = (Pos2::new(from.x, mid_y), Pos2::new(end.x, mid_y));
        WirePath {
            segs: [
                [
                    from,
                    from + Vec2::new(TURN, 0.0),
                    a + Vec2::new(TURN, 0.0),
                    a,
                ],
                [a, a + (b - a) / 3.0, a + (b - a) * (2.0 / 3.0), b],
                [b, b - Vec2::new(TURN, 0.0), end - Vec2::new(TURN, 0.0), end],
            ],
            len: 3,
        }
    }

    /// Its curves: end points and control points.
    pub fn segments(&self) -> &[[Pos2; 4]] {
        &self.segs[..self.len]
    }

    /// A rectangle that holds it.
    pub fn bounds(&self) -> Rect {
        self.segments()
            .iter()
            .map(|s| Rect::from_points(s))
            .fold(Rect::NOTHING, Rect::union)
    }

    /// The point halfway along it (where its count stands).
    pub fn middle(&self) -> Pos2 {
        let p = self.segs[self.len / 2];
        let v =
            (p[0].to_vec2() + 3.0 * p[1].to_vec2() + 3.0 * p[2].to_vec2() + p[3].to_vec2()) / 8.0;
        v.to_pos2()
    }

    /// Points along it, for finding the wire under the pointer.
    pub fn samples(&self) -> impl Iterator<Item = Pos2> + '_ {
        self.segments().iter().flat_map(|p| {
            (0..=16).map(move |k| {
                let t = k as f32 / 16.0;
                let u = 1.0 - t;
                let v = u * u * u * p[0].to_vec2()
                    + 3.0 * u * u * t * p[1].to_vec2()
                    + 3.0 * u * t * t * p[2].to_vec2()
                    + t * t * t * p[3].to_vec2();
                v.to_pos2()
            })
        })
    }
}

/// The ends of wire `w` (its output pin, its input pin) at this frame's positions.
pub fn wire_ends(s: &Scene<'_>, w: usize) -> Option<(Pos2, Pos2)> {
    let wire = s.layout.wires.get(w)?;
    let (a, b) = (s.layout.nodes.get(wire.from)?, s.layout.nodes.get(wire.to)?);
    let (pa, pb) = (*s.positions.get(wire.from)?, *s.positions.get(wire.to)?);
    Some((a.output_pos(pa, wire.output), b.input_pos(pb)))
}

/// A wire from `from` to `to`: its course ([`WirePath`]), then an arrowhead whose tip touches
/// the input pin.
pub fn paint_wire(ui: &Ui, from: Pos2, to: Pos2, stroke: Stroke) {
    let painter = ui.painter();
    for seg in WirePath::new(from, to).segments() {
        painter.add(CubicBezierShape::from_points_stroke(
            *seg,
            false,
            Color32::TRANSPARENT,
            stroke,
        ));
    }
    let tip = to - Vec2::new(PIN_R + 1.0, 0.0);
    let (len, half) = (9.0 + stroke.width, 5.0 + stroke.width * 0.5);
    painter.add(Shape::convex_polygon(
        vec![tip, tip - Vec2::new(len, half), tip - Vec2::new(len, -half)],
        stroke.color,
        Stroke::NONE,
    ));
}

/// Draws every wire in view: the path of the shown run in its colour and wider, the others
/// faint while a path is shown; `hovered` in the selection colour. Counts stand in chips at
/// their middle, with a tooltip naming the transition and the run.
pub fn wires_ui(ui: &mut Ui, s: &Scene<'_>, hovered: Option<usize>) {
    let p = &s.marks.palette;
    for w in 0..s.layout.wires.len() {
        let Some((from, to)) = wire_ends(s, w) else {
            continue;
        };
        let path = WirePath::new(from, to);
        let bb = path.bounds().expand(PIN_R * 2.0);
        if !s.visible.intersects(bb) {
            continue;
        }
        let mark = s.marks.wire(w);
        let mut stroke = match (s.marks.path, mark.taken) {
            (_, true) => Stroke::new(3.0, p.path),
            (true, false) if mark.missed => Stroke::new(2.0, p.failed),
            (true, false) => Stroke::new(1.5, p.untaken),
            (false, false) => Stroke::new(1.8, s.palette.wire),
        };
        if hovered == Some(w) {
            stroke = Stroke::new(stroke.width + 1.0, theme::SELECTED);
        }
        paint_wire(ui, from, to, stroke);
        if let (Some(n), true) = (mark.count, s.detailed()) {
            count_chip_ui(ui, s, w, path.middle(), n);
        }
    }
}

/// The count chip of wire `w`, at `at`.
fn count_chip_ui(ui: &mut Ui, s: &Scene<'_>, w: usize, at: Pos2, n: usize) {
    let p = &s.marks.palette;
    let text = thousands(n);
    let hover = wire_hover_text(s, w, n);
    let half = ui
        .painter()
        .layout_no_wrap(
            text.clone(),
            egui::FontId::proportional(TEXT_SIZE),
            p.on_path,
        )
        .size()
        .x
        * 0.5;
    let id = egui::Id::unique(("canvas-count", s.workflow, w));
    chip_ui(
        ui,
        id,
        at - Vec2::new(half + 5.0, 0.0),
        false,
        &text,
        (p.path, p.on_path),
        &hover,
    );
}

/// What hovering wire `w` says: its count and run, or what it joins.
pub fn wire_hover_text(s: &Scene<'_>, w: usize, count: usize) -> String {
    let Some(wire) = s.layout.wires.get(w) else {
        return String::new();
    };
    let (a, b) = (&s.layout.nodes[wire.from], &s.layout.nodes[wire.to]);
    let port = a.outputs[wire.output].port.describe();
    let run = s
        .marks
        .run
        .map(|r| format!(" in run #{r}"))
        .unwrap_or_default();
    let what = if count == 1 { "record" } else { "records" };
    format!(
        "{} {what} went from '{}' ({port}) to '{}'{run}",
        thousands(count),
        a.title,
        b.title
    )
}

/// The corner radius of a node: an entry's left side and an End's right side are round.
fn corners(n: &NodeShape) -> CornerRadius {
    let (round, square) = (16, 6);
    if n.is_entry() {
        CornerRadius {
            nw: round,
            sw: round,
            ne: square,
            se: square,
        }
    } else if n.is_end() {
        CornerRadius {
            nw: square,
            sw: square,
            ne: round,
            se: round,
        }
    } else {
        CornerRadius::same(square)
    }
}

/// Paints node `i`'s body, header and outline at `rect`.
fn paint_frame(ui: &Ui, s: &Scene<'_>, i: usize, n: &NodeShape, rect: Rect) {
    let fam = s.palette.family(n.tag.family());
    let radius = corners(n);
    let mut fill = s.palette.node;
    if let Some((c, t)) = s.marks.tint(i) {
        fill = fill.lerp_to_gamma(c, t);
    }
    let painter = ui.painter();
    painter.rect_filled(rect, radius, s.fade(i, fill));
    let header = Rect::from_min_size(rect.min, Vec2::new(rect.width(), HEADER_H));
    let top = CornerRadius {
        sw: 0,
        se: 0,
        ..radius
    };
    painter.rect_filled(header, top, s.fade(i, fam.header));
    let width = if n.is_entry() || n.is_end() { 2.5 } else { 1.5 };
    let outline = Stroke::new(width, s.fade(i, fam.accent));
    painter.rect_stroke(rect, radius, outline, egui::StrokeKind::Inside);
    if n.is_end() {
        // An End's double outline, as BPMN draws end events.
        let inner = Stroke::new(1.5, outline.color);
        painter.rect_stroke(rect.shrink(5.0), radius, inner, egui::StrokeKind::Inside);
    }
}

/// Paints the rings around node `i`: selected, the overlay's, the next activity's dashes.
fn paint_rings(ui: &Ui, s: &Scene<'_>, i: usize, n: &NodeShape, rect: Rect) {
    let painter = ui.painter();
    let radius = corners(n);
    if s.selected == Some(i) || s.selection.contains(&n.id) {
        let stroke = Stroke::new(2.5, theme::SELECTED);
        painter.rect_stroke(rect.expand(3.0), radius, stroke, egui::StrokeKind::Outside);
    }
    if let Some(ring) = s.marks.ring(i) {
        painter.rect_stroke(rect.expand(6.0), radius, ring, egui::StrokeKind::Outside);
    }
    if s.marks.node(i).next {
        dashed_rect(
            painter,
            rect.expand(9.0),
            Stroke::new(2.0, s.marks.palette.next),
        );
    }
}

/// A text on the canvas that screen readers (and tests) can find, over `rect`.
fn accessible_label_ui(ui: &mut Ui, id: egui::Id, rect: Rect, text: &str) {
    let r = ui.interact(rect, id, Sense::hover());
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
}

/// Paints node `i`'s texts: title, port labels, body lines (each findable by screen readers).
fn texts_ui(ui: &mut Ui, s: &Scene<'_>, i: usize, n: &NodeShape, rect: Rect) {
    let fam = s.palette.family(n.tag.family());
    let painter = ui.painter().clone();
    let title_size = n.title_text.size;
    let title_at = rect.min + Vec2::new(PAD + BREAKPOINT + 6.0, (HEADER_H - title_size.y) * 0.5);
    let title_rect = Rect::from_min_size(title_at, title_size);
    painter.galley(
        title_at,
        n.title_text.galley(&painter),
        s.fade(i, fam.on_header),
    );
    accessible_label_ui(
        ui,
        egui::Id::unique(("canvas-title", &n.id)),
        title_rect,
        &n.title,
    );
    let weak = s.fade(i, s.palette.weak_text);
    for out in &n.outputs {
        if let Some(label) = &out.label {
            let at = Pos2::new(
                rect.max.x - PAD - PIN_R - label.size.x,
                rect.min.y + out.y - label.size.y * 0.5,
            );
            painter.galley(at, label.galley(&painter), weak);
        }
    }
    for (k, line) in n.lines.iter().enumerate() {
        let size = line.text.size;
        let at = rect.min + Vec2::new(PAD, line.y + (ROW_H - size.y) * 0.5);
        let area = Rect::from_min_size(at, size);
        match line.kind {
            LineKind::Plain => painter.galley(at, line.text.galley(&painter), weak),
            LineKind::Badge => {
                let chip = area.expand2(Vec2::new(5.0, 2.0));
                painter.rect_filled(chip, 5.0, s.fade(i, s.palette.badge));
                let color = s.fade(i, s.palette.on_badge);
                painter.galley(at, line.text.galley(&painter), color);
            }
        }
        let id = egui::Id::unique(("canvas-line", &n.id, k));
        accessible_label_ui(ui, id, area, &line.text.text);
    }
}

/// The pins of node `i`, each a widget to drag a wire from; `taken` outputs in the path colour.
fn pins_ui(
    ui: &mut Ui,
    s: &Scene<'_>,
    i: usize,
    n: &NodeShape,
    pos: Pos2,
    events: &mut Vec<Event>,
) {
    if n.input {
        let fill = if s.marks.node(i).visits > 0 {
            s.marks.palette.path
        } else {
            theme::IN_PIN
        };
        let id = egui::Id::unique(("canvas-in", &n.id));
        pin_ui(ui, s, (i, None), n.input_pos(pos), id, fill, events);
    }
    for k in 0..n.outputs.len() {
        let fill = if s.marks.pin_taken(i, k) {
            s.marks.palette.path
        } else {
            theme::OUT_PIN
        };
        let id = egui::Id::unique(("canvas-out", &n.id, k));
        pin_ui(ui, s, (i, Some(k)), n.output_pos(pos, k), id, fill, events);
    }
}

/// One pin of node `pin.0` (its input, or output `pin.1`) at `at`: drawn in `fill`, larger when
/// hovered; a drag from it starts a wire.
fn pin_ui(
    ui: &mut Ui,
    s: &Scene<'_>,
    (node, output): (usize, Option<usize>),
    at: Pos2,
    id: egui::Id,
    fill: Color32,
    events: &mut Vec<Event>,
) {
    let hit = Vec2::splat(PIN_R * 3.0);
    let r = ui.interact(Rect::from_center_size(at, hit), id, Sense::drag());
    let radius = if r.hovered() { PIN_R + 2.0 } else { PIN_R };
    let ring = Stroke::new(1.5, s.palette.node);
    ui.painter().circle(at, radius, s.fade(node, fill), ring);
    if r.drag_started() {
        events.push(Event::WireStart { node, output });
    }
    if r.drag_stopped() {
        events.push(Event::WireStop);
    }
}

/// Draws node `i` at `pos` with its widgets; what the user does goes to `events` and `out`.
pub fn node_ui(
    ui: &mut Ui,
    s: &Scene<'_>,
    i: usize,
    pos: Pos2,
    events: &mut Vec<Event>,
    out: &mut Vec<Command>,
) {
    let Some(n) = s.layout.nodes.get(i) else {
        return;
    };
    let rect = n.rect(pos);
    let body = ui.interact(
        rect,
        egui::Id::unique(("canvas-node", &n.id)),
        Sense::click_and_drag(),
    );
    body.widget_info(|| {
        let what = format!("{} activity {}", n.tag.name(), n.title);
        egui::WidgetInfo::labeled(egui::Role::Button, true, what)
    });
    node_body_events(ui, &body, i, events);
    paint_frame(ui, s, i, n, rect);
    paint_rings(ui, s, i, n, rect);
    if s.detailed() {
        texts_ui(ui, s, i, n, rect);
        let mark = s.marks.node(i);
        let bp = Rect::from_center_size(
            rect.min + Vec2::new(PAD + BREAKPOINT * 0.5, HEADER_H * 0.5),
            Vec2::splat(BREAKPOINT + 4.0),
        );
        let fam = s.palette.family(n.tag.family());
        let faint = fam.on_header.gamma_multiply(0.55);
        if breakpoint_ui(
            ui,
            bp,
            &n.id,
            mark.breakpoint,
            (s.marks.palette.failed, faint),
        )
        .clicked()
        {
            out.push(toggle_breakpoint(s.workflow, &n.id));
        }
        pins_ui(ui, s, i, n, pos, events);
        node_chips_ui(ui, i, rect, mark, &s.marks.palette, s.marks.coverage);
    } else {
        simple_title_ui(ui, s, i, n, rect);
        pins_ui(ui, s, i, n, pos, events);
        if s.marks.node(i).breakpoint {
            ui.painter()
                .circle_filled(rect.left_top(), 6.0 / s.scale, s.marks.palette.failed);
        }
    }
    node_menu(&body, s, n, out);
    if !body.dragged() {
        body.on_hover_text(node_hover_text(n));
    }
}

/// What hovering a node says: its whole title and body lines (drawn cut when too long), its
/// kind, family and id, and what can be done with it.
fn node_hover_text(n: &NodeShape) -> String {
    let mut text = format!("{}\n", n.title);
    for line in &n.lines {
        text.push_str(&format!("{}\n", line.text.text));
    }
    text.push_str(&format!(
        "{} — {}, id: {}\nDrag to move, drag from a pin to connect, right-click for more",
        n.tag.name(),
        n.tag.family().name(),
        n.id
    ));
    text
}

/// A node's title zoomed out below [`DETAIL_SCALE`]: larger, on the whole header and body,
/// elided to the node's width (findable by screen readers as at any zoom).
fn simple_title_ui(ui: &mut Ui, s: &Scene<'_>, i: usize, n: &NodeShape, rect: Rect) {
    let fam = s.palette.family(n.tag.family());
    let painter = ui.painter().clone();
    let font = egui::FontId::proportional(s.title_size());
    let galley = one_line(&painter, n.title.clone(), font, rect.width() - 2.0 * PAD);
    let at = Pos2::new(
        rect.min.x + PAD,
        rect.min.y + (HEADER_H.max(rect.height() * 0.5) - galley.size().y) * 0.5,
    );
    let area = Rect::from_min_size(at, galley.size());
    let color = if galley.size().y > HEADER_H {
        s.fade(i, s.palette.text)
    } else {
        s.fade(i, fam.on_header)
    };
    painter.galley(at, galley, color);
    accessible_label_ui(
        ui,
        egui::Id::unique(("canvas-title", &n.id)),
        area,
        &n.title,
    );
}

/// Clicks and drags of a node's body.
fn node_body_events(ui: &Ui, body: &egui::Response, i: usize, events: &mut Vec<Event>) {
    if body.clicked() {
        let add = ui.input(|inp| inp.modifiers.shift);
        events.push(Event::Click { node: i, add });
    }
    if body.drag_started() {
        events.push(Event::DragStart(i));
    }
    if body.dragged() {
        events.push(Event::Drag(body.drag_delta()));
    }
    if body.drag_stopped() {
        events.push(Event::DragStop);
    }
}

fn toggle_breakpoint(workflow: &str, activity: &str) -> Command {
    Command::Sim(SimCommand::ToggleBreakpoint {
        workflow: workflow.to_owned(),
        activity: activity.to_owned(),
    })
}

/// A node's right-click menu: select, release its held branches (when it holds some in the
/// shown run), toggle its breakpoint, delete.
fn node_menu(body: &egui::Response, s: &Scene<'_>, n: &NodeShape, out: &mut Vec<Command>) {
    let mark = s.layout.by_id.get(&n.id).map(|i| s.marks.node(*i));
    let breakpoint = mark.is_some_and(|m| m.breakpoint);
    let held = mark.is_some_and(|m| m.kept == Some(crate::sim::VisitStatus::Held));
    body.context_menu(|ui| {
        if ui.button("Select").clicked() {
            out.push(Command::View(ViewCommand::Select(Some(n.id.clone()))));
            ui.close();
        }
        if held {
            let release = Command::Sim(SimCommand::Release {
                workflow: s.workflow.to_owned(),
                activity: n.id.clone(),
            });
            if ui
                .button(format!("Release {}", n.id))
                .on_hover_text(release.tooltip())
                .clicked()
            {
                out.push(release);
                ui.close();
            }
        }
        let toggle = toggle_breakpoint(s.workflow, &n.id);
        if ui
            .add(egui::Button::new(toggle.label()).selected(breakpoint))
            .on_hover_text(toggle.tooltip())
            .clicked()
        {
            out.push(toggle);
            ui.close();
        }
        if ui.button("Delete").clicked() {
            out.push(Command::Edit(EditCommand::DeleteActivities {
                workflow: s.workflow.to_owned(),
                ids: vec![n.id.clone()],
            }));
            ui.close();
        }
    });
}
