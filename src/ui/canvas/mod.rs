//! The node canvas of one workflow, drawn on egui's `Scene` (pan with a drag or the wheel, zoom
//! with Ctrl+wheel). The model stays the only truth: the canvas lays out each activity once per
//! design revision (`layout`), reads positions from the model each frame, and turns what the
//! user does (moves, connections, deletions, additions, breakpoints) into [`Command`]s that the
//! app applies after drawing. Only what is in view is drawn and made interactive.
//!
//! Each workflow keeps its own view (`view`), restored when the user comes back to it; the first
//! view of a workflow fits its activities without ever zooming below the size at which every
//! text is 12 px on screen (a workflow too large for that is shown from its entry). The user
//! zooms in small steps, never below the zoom at which titles read; below the detail zoom,
//! nodes are drawn with their titles only, larger. The simulator's [`Overlay`] is drawn on top
//! (`marks`): the selected run's path (visited nodes ringed with a visit count, taken
//! transitions in the path colour with the population that went through each, the rest faint),
//! the stepping position, failures, and a breakpoint toggle in every header. A minimap in the
//! corner shows the whole workflow while part of it is out of view.
//!
//! A panel: it imports only the shared modules of `ui`. `layout` lays nodes out, `view` holds
//! the views, `draw` draws nodes and wires, `gesture` handles drags, menus and placement,
//! `append` the "+" of free outputs and drops on transitions, `minimap` the map in the corner,
//! `marks` maps the overlay onto the nodes.

mod append;
mod draw;
mod gesture;
mod layout;
mod marks;
mod minimap;
mod view;

use super::command::{Command, EditCommand, ViewCommand};
use super::document::Clip;
use super::overlay::Overlay;
use super::theme::{self, CanvasPalette};
use crate::model::{KindTag, Position, Transition, Workflow};
use append::{append_menu_ui, append_spot, insert_spot, plus_buttons_ui};
use draw::{Scene, node_ui, paint_wire, wires_ui};
use egui::containers::DragPanButtons;
use egui::emath::TSTransform;
use egui::{Pos2, Rect, Stroke, Ui, Vec2};
use gesture::{Gesture, Interaction, add_menu_ui, follows, free_spot, wire_under, wire_widget_ui};
use layout::{HEADER_H, Layout, MIN_W, default_size};
pub use layout::{READABLE_SCALE, TEXT_SIZE, TITLE_SIZE};
use marks::Marks;
use minimap::{Map, minimap_ui};
use std::collections::{BTreeMap, HashMap};
use view::View;
pub use view::ZOOM_RANGE;

/// The canvas state of the designer: the layout of the workflow shown, each workflow's view,
/// and what the user is doing.
pub struct Canvas {
    layout: Layout,
    /// The design revision given to [`Canvas::sync`].
    rev: u64,
    views: HashMap<String, View>,
    /// A zoom to fit is pending (for the workflow shown next).
    pub fit_pending: bool,
    /// A reset to 1:1 zoom (canvas origin near the top left) is pending.
    pub one_to_one_pending: bool,
    /// A rectangle to pan into view, in a workflow.
    reveal: Option<(String, Rect)>,
    /// The current zoom (1.0 = 1:1).
    pub scale: f32,
    /// Canvas to screen transform of the last frame.
    pub to_global: TSTransform,
    view_rect: Rect,
    positions: Vec<Pos2>,
    act: Interaction,
    /// Where the pointer is over the canvas (canvas units), when nothing covers it there.
    pointer: Option<Pos2>,
    /// The minimap is shown (while part of the workflow is out of view).
    pub minimap: bool,
    /// The minimap was drawn at the last frame.
    minimap_shown: bool,
    /// The menu of kinds open on a "+".
    append: Option<append::Append>,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            layout: Layout::default(),
            rev: 0,
            views: HashMap::new(),
            fit_pending: false,
            one_to_one_pending: false,
            reveal: None,
            scale: 1.0,
            to_global: TSTransform::IDENTITY,
            view_rect: Rect::NOTHING,
            positions: Vec::new(),
            act: Interaction::default(),
            pointer: None,
            minimap: true,
            minimap_shown: false,
            append: None,
        }
    }
}

/// The transform `egui::Scene` uses for `scene_rect` shown in `outer`.
fn scene_transform(outer: Rect, scene_rect: Rect) -> TSTransform {
    let scale = (outer.size() / scene_rect.size())
        .min_elem()
        .clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
    TSTransform::from_translation(outer.center().to_vec2() - scale * scene_rect.center().to_vec2())
        * TSTransform::from_scaling(scale)
}

impl Canvas {
    /// Takes the design revision the next frame draws (the layout is made again when it or the
    /// workflow changed).
    pub fn sync(&mut self, _wf: &Workflow, rev: u64) {
        self.rev = rev;
    }

    /// Forces a new layout at the next frame.
    pub fn invalidate(&mut self) {
        self.layout.built = None;
    }

    /// Forgets every workflow's view (another design was opened).
    pub fn forget_views(&mut self) {
        self.views.clear();
        self.act = Interaction::default();
    }

    /// The view of `wf` this frame: a pending fit, 1:1 or reveal applied; the first view of a
    /// workflow fits it.
    fn view_of(&mut self, wf: &Workflow, size: Vec2) -> View {
        let fit = self.fit_pending || !self.views.contains_key(&wf.id);
        let mut view = if self.one_to_one_pending {
            View::one_to_one()
        } else if fit {
            View::fit(self.nodes_bb(wf), size, self.entry_rect(wf))
        } else {
            self.views
                .get(&wf.id)
                .copied()
                .unwrap_or_else(View::one_to_one)
        };
        if let Some((_, rect)) = self.reveal.take_if(|(w, _)| *w == wf.id) {
            view = view.reveal(rect, size);
        }
        self.fit_pending = false;
        self.one_to_one_pending = false;
        view
    }

    /// The rectangle of every node of `wf`, in canvas units.
    fn rects(&self, wf: &Workflow) -> Vec<Rect> {
        wf.activities
            .iter()
            .map(|a| {
                let size = self
                    .layout
                    .size_of(&a.id)
                    .unwrap_or_else(|| default_size(a.kind.tag()));
                Rect::from_min_size(Pos2::new(a.position.x, a.position.y), size)
            })
            .collect()
    }

    /// The bounding box of every node of `wf`, in canvas units.
    fn nodes_bb(&self, wf: &Workflow) -> Rect {
        self.rects(wf).into_iter().fold(Rect::NOTHING, Rect::union)
    }

    /// The rectangle of the first entry (External signal, Start) of `wf`, where a fit too large
    /// to read whole begins.
    fn entry_rect(&self, wf: &Workflow) -> Option<Rect> {
        let i = wf.activities.iter().position(|a| a.kind.is_entry())?;
        self.rects(wf).get(i).copied()
    }

    /// Draws the canvas of `wf` with the simulator's `overlay` (the selected run's path, the
    /// stepping position, failures, breakpoints); edits and breakpoint toggles become commands
    /// in `out`, refusals a hint.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        wf: &Workflow,
        selected: Option<&str>,
        overlay: &Overlay,
        out: &mut Vec<Command>,
        hint: &mut Option<String>,
    ) {
        let rect = ui.available_rect_before_wrap();
        self.view_rect = rect;
        if !self.layout.is_of(wf, self.rev) {
            self.layout = Layout::build(ui.painter(), wf, self.rev);
            self.act.reset();
        }
        let dark = ui.visuals().dark_mode;
        let palette = CanvasPalette::new(dark);
        ui.painter().rect_filled(rect, 0.0, palette.background);
        let view = self.view_of(wf, rect.size());
        let mut scene_rect = view.to_global(rect).inverse() * rect;
        let marks = Marks::new(overlay, &self.layout, dark);
        self.act.positions(wf, &self.layout, &mut self.positions);
        let selected = selected.and_then(|s| self.layout.by_id.get(s).copied());
        let mut events = Vec::new();
        let mut pointer = None;
        let mut act = std::mem::take(&mut self.act);
        let mut append = self.append.take();
        let selection = act.selection.clone();
        let (layout, positions) = (&self.layout, &self.positions);
        let background = self
            .scene(ui)
            .show(ui, &mut scene_rect, |ui| {
                let to_global = ui
                    .ctx()
                    .layer_transform_to_global(ui.layer_id())
                    .unwrap_or_default();
                pointer = ui
                    .input(|i| i.pointer.latest_pos())
                    .filter(|p| rect.contains(*p))
                    .map(|p| to_global.inverse() * p);
                let s = Scene {
                    workflow: &wf.id,
                    layout,
                    positions,
                    marks: &marks,
                    palette,
                    scale: to_global.scaling,
                    visible: ui.clip_rect().expand(40.0 / to_global.scaling.max(0.05)),
                    selected,
                    selection: &selection,
                };
                contents_ui(ui, &s, (&mut act, &mut append), pointer, &mut events, out);
                act.handle(std::mem::take(&mut events), &s, pointer, out, hint);
                if let (Gesture::Box(_), Some(p)) = (&act.gesture, pointer)
                    && ui.input(|i| i.pointer.primary_released())
                {
                    act.finish_box(&s, p, out);
                }
            })
            .response;
        self.act = act;
        self.append = append;
        self.pointer = pointer.filter(|_| background.contains_pointer());
        if rect.is_positive() && scene_rect.is_positive() {
            let to_global = scene_transform(rect, scene_rect);
            self.views
                .insert(wf.id.clone(), View::from_global(to_global, rect));
            self.to_global = to_global;
            self.scale = to_global.scaling;
        }
        self.background_ui(&background, pointer, out);
        self.append_ui(ui.ctx(), wf, out);
        self.drop_ui(ui, wf, rect, pointer, out);
        self.minimap_ui(ui.ctx(), wf, rect, &palette);
        if wf.activities.is_empty() {
            empty_hint_ui(ui, rect, &palette);
        }
    }

    /// The menu of kinds of an open "+": the kind picked is appended after that output.
    fn append_ui(&mut self, ctx: &egui::Context, wf: &Workflow, out: &mut Vec<Command>) {
        let Some(a) = &self.append else {
            return;
        };
        let Some(i) = self.layout.by_id.get(&a.node).copied() else {
            self.append = None;
            return;
        };
        let (Some(n), Some(pos)) = (self.layout.nodes.get(i), self.positions.get(i).copied())
        else {
            return;
        };
        let plus = append::plus_pos(n, pos, a.output);
        let at = self.to_global * (plus + Vec2::new(14.0, -12.0));
        let (node, port, pin_y) = (
            a.node.clone(),
            a.port.clone(),
            n.output_pos(pos, a.output).y,
        );
        let Some(tag) = append_menu_ui(ctx, at, &mut self.append) else {
            return;
        };
        let rects = self.rects(wf);
        let p = append_spot(&rects, n.rect(pos), pin_y, tag);
        let position = Position { x: p.x, y: p.y };
        self.reveal(&wf.id, position, tag);
        out.push(Command::Edit(EditCommand::AppendActivity {
            workflow: wf.id.clone(),
            from: node,
            port,
            tag,
            position,
        }));
    }

    /// The minimap, while part of `wf` is out of view: a click or drag on it centres the view
    /// there (from the next frame).
    fn minimap_ui(
        &mut self,
        ctx: &egui::Context,
        wf: &Workflow,
        rect: Rect,
        palette: &CanvasPalette,
    ) {
        self.minimap_shown = false;
        let Some(view) = self.views.get(&wf.id).copied() else {
            return;
        };
        let rects = self.rects(wf);
        let bb = rects.iter().copied().fold(Rect::NOTHING, Rect::union);
        let visible = view.visible(rect.size());
        if !self.minimap || wf.activities.is_empty() || visible.contains_rect(bb) {
            return;
        }
        let Some(map) = Map::new(bb.union(visible).expand(20.0), rect) else {
            return;
        };
        let nodes: Vec<(Rect, egui::Color32)> = wf
            .activities
            .iter()
            .zip(rects)
            .map(|(a, r)| (r, palette.family(a.kind.tag().family()).accent))
            .collect();
        self.minimap_shown = true;
        if let Some(centre) = minimap_ui(ctx, map, &nodes, visible, palette) {
            self.views
                .insert(wf.id.clone(), view.centred_on(centre, rect.size()));
            ctx.request_repaint();
        }
    }

    /// Whether the minimap was drawn at the last frame.
    pub fn minimap_shown(&self) -> bool {
        self.minimap_shown
    }

    /// The scene: pan with a drag (not with the primary button while Shift is held: that draws
    /// a selection box), zoom within [`ZOOM_RANGE`].
    fn scene(&self, ui: &Ui) -> egui::Scene {
        let boxing = ui.input(|i| i.modifiers.shift) || matches!(self.act.gesture, Gesture::Box(_));
        let buttons = if boxing {
            DragPanButtons::SECONDARY | DragPanButtons::MIDDLE
        } else {
            DragPanButtons::all()
        };
        egui::Scene::new()
            .zoom_range(ZOOM_RANGE.0..=ZOOM_RANGE.1)
            .drag_pan_buttons(buttons)
    }

    /// What the background does: a click clears the selection, Shift+drag draws a selection
    /// box, a right-click opens the "add activity" menu where it was clicked.
    fn background_ui(
        &mut self,
        bg: &egui::Response,
        pointer: Option<Pos2>,
        out: &mut Vec<Command>,
    ) {
        if bg.clicked() {
            self.act.selection.clear();
            out.push(Command::View(ViewCommand::Select(None)));
        }
        if bg.drag_started_by(egui::PointerButton::Primary)
            && bg.ctx.input(|i| i.modifiers.shift)
            && let Some(p) = pointer
        {
            self.act.gesture = Gesture::Box(p);
        }
        if bg.secondary_clicked() {
            self.act.menu.at = pointer;
            self.act.menu.search.clear();
            self.act.menu.highlight = 0;
        }
        let menu = &mut self.act.menu;
        bg.context_menu(|ui| add_menu_ui(ui, menu, out));
    }

    /// A kind dragged from the palette: a ghost follows the pointer over the canvas, and letting
    /// go adds the activity there (its header centred on the pointer); let go on a transition
    /// (highlighted while the kind is over it), it goes between the transition's two ends.
    fn drop_ui(
        &self,
        ui: &Ui,
        wf: &Workflow,
        rect: Rect,
        pointer: Option<Pos2>,
        out: &mut Vec<Command>,
    ) {
        let Some(tag) = egui::DragAndDrop::payload::<KindTag>(ui.ctx()) else {
            return;
        };
        let Some(p) = pointer else {
            return;
        };
        let at = p - Vec2::new(MIN_W * 0.5, HEADER_H * 0.5);
        if ui.input(|i| i.pointer.any_released()) {
            egui::DragAndDrop::clear_payload(ui.ctx());
            let insert = self
                .act
                .drop_wire
                .and_then(|w| self.insert_command(wf, w, *tag));
            out.push(insert.unwrap_or_else(|| {
                Command::Edit(EditCommand::AddActivity {
                    tag: *tag,
                    position: Some(Position { x: at.x, y: at.y }),
                })
            }));
            return;
        }
        let ghost = self.to_global * Rect::from_min_size(at, default_size(*tag));
        let painter = ui.ctx().layer_painter(egui::LayerId::new(
            egui::Order::Tooltip,
            egui::Id::unique("canvas-drop"),
        ));
        painter.rect_stroke(
            ghost.intersect(rect),
            6.0,
            Stroke::new(2.0, theme::SELECTED),
            egui::StrokeKind::Inside,
        );
    }

    /// The command that puts a kind `tag` on wire `w` of `wf`, between its ends (none for a
    /// kind that cannot go between two activities).
    fn insert_command(&self, wf: &Workflow, w: usize, tag: KindTag) -> Option<Command> {
        if !between(tag) {
            return None;
        }
        let wire = self.layout.wires.get(w)?;
        let (a, b) = (
            self.layout.nodes.get(wire.from)?,
            self.layout.nodes.get(wire.to)?,
        );
        let port = a.outputs.get(wire.output)?.port.clone();
        let pos = *self.positions.get(wire.from)?;
        let pin_y = a.output_pos(pos, wire.output).y;
        let rects: BTreeMap<String, Rect> = wf
            .activities
            .iter()
            .map(|x| x.id.clone())
            .zip(self.rects(wf))
            .collect();
        let (position, moves) = insert_spot(wf, &rects, (&a.id, pin_y), &b.id, tag);
        Some(Command::Edit(EditCommand::InsertActivity {
            workflow: wf.id.clone(),
            transition: Transition {
                from: a.id.clone(),
                port,
                to: b.id.clone(),
            },
            tag,
            position,
            moves,
        }))
    }

    /// The activity ids selected with Shift+click or a box.
    pub fn widget_selection(&self) -> Vec<String> {
        self.act.selection.iter().cloned().collect()
    }

    /// Forgets the box selection.
    pub fn clear_selection(&mut self) {
        self.act.selection.clear();
    }

    /// Makes `ids` the box selection (when more than one: what was pasted).
    pub fn select_many(&mut self, ids: &[String]) {
        self.act.selection = if ids.len() > 1 {
            ids.iter().cloned().collect()
        } else {
            Default::default()
        };
    }

    /// Where the pointer is over the canvas (canvas units), when nothing covers the canvas
    /// there.
    pub fn pointer_pos(&self) -> Option<Pos2> {
        self.pointer
    }

    /// How far to move `clip`'s activities to paste them into `wf`: their first one's header
    /// centred on `at` when given (the pointer), else beside the originals (right of them when
    /// they are in `wf`, where they were when not), then the nearest place where none of them
    /// lands on an activity of `wf`.
    pub fn paste_offset(&self, wf: &Workflow, clip: &Clip, at: Option<Pos2>) -> (f32, f32) {
        let group: Vec<Rect> = clip
            .activities
            .iter()
            .map(|a| {
                let size = self
                    .layout
                    .size_of(&a.id)
                    .filter(|_| self.layout.is_of(wf, self.rev))
                    .unwrap_or_else(|| default_size(a.kind.tag()));
                Rect::from_min_size(Pos2::new(a.position.x, a.position.y), size)
            })
            .collect();
        let bb = group.iter().copied().fold(Rect::NOTHING, Rect::union);
        if !bb.is_finite() {
            return (0.0, 0.0);
        }
        let same = clip.activities.iter().any(|a| {
            wf.activity(&a.id)
                .is_some_and(|o| o.position == a.position && o.kind.tag() == a.kind.tag())
        });
        let first = group.first().copied().unwrap_or(bb);
        let start = match at {
            Some(p) => p - Vec2::new(MIN_W * 0.5, HEADER_H * 0.5) - first.min,
            None if same => Vec2::new(bb.width() + append::GAP_X, 0.0),
            None => Vec2::ZERO,
        };
        let rects = self.rects(wf);
        let fits = |off: Vec2| {
            group.iter().all(|g| {
                let r = g.translate(off).expand(12.0);
                !rects.iter().any(|o| o.intersects(r))
            })
        };
        let step = Vec2::new(bb.width() + append::GAP_X, 60.0);
        let offsets = (0..16i32).flat_map(|ring| {
            (-ring..=ring).flat_map(move |dy| {
                (-ring..=ring)
                    .filter(move |dx| dx.abs().max(dy.abs()) == ring)
                    .map(move |dx| Vec2::new(dx as f32 * step.x, dy as f32 * step.y))
            })
        });
        let off = offsets
            .map(|d| start + d)
            .find(|off| fits(*off))
            .unwrap_or(start);
        (off.x, off.y)
    }

    /// The widest a tidied workflow may be to show whole at the readable zoom in this canvas
    /// (canvas units).
    pub fn tidy_width(&self) -> f32 {
        let w = if self.view_rect.is_positive() {
            self.view_rect.width()
        } else {
            1200.0
        };
        (w / READABLE_SCALE - 2.0 * view::FIT_MARGIN).max(MIN_W * 2.0)
    }

    /// Where an activity of kind `tag` added without a place goes in `wf`: right of the
    /// `selected` activity (or in the middle of the view), on no other node, in view when there
    /// is room.
    pub fn free_spot(&self, wf: &Workflow, selected: Option<&str>, tag: KindTag) -> Position {
        let rects = self.rects(wf);
        let anchor = selected
            .and_then(|s| wf.activities.iter().position(|a| a.id == s))
            .and_then(|i| rects.get(i).copied());
        let view = self.views.get(&wf.id).copied().unwrap_or_else(|| {
            View::fit(
                rects.iter().copied().fold(Rect::NOTHING, Rect::union),
                self.view_rect.size(),
                None,
            )
        });
        let visible = if self.view_rect.is_positive() {
            view.visible(self.view_rect.size())
        } else {
            Rect::from_min_size(Pos2::ZERO, Vec2::new(800.0, 600.0))
        };
        let p = free_spot(&rects, anchor, visible, tag);
        Position { x: p.x, y: p.y }
    }

    /// Pans `workflow`'s view, at the next frame, so that the node of kind `tag` at `at` is in it.
    pub fn reveal(&mut self, workflow: &str, at: Position, tag: KindTag) {
        let rect = Rect::from_min_size(Pos2::new(at.x, at.y), default_size(tag));
        self.reveal = Some((workflow.to_owned(), rect));
    }

    /// Pans `wf`'s view, at the next frame, so that its activity `id` (as laid out) is in it.
    pub fn reveal_activity(&mut self, wf: &Workflow, id: &str) {
        let Some(i) = wf.activities.iter().position(|a| a.id == id) else {
            return;
        };
        if let Some(rect) = self.rects(wf).get(i).copied() {
            self.reveal = Some((wf.id.clone(), rect));
        }
    }

    /// The size of each node of `wf` (laid out, or as a new one would be), for the tidy layout.
    pub fn node_sizes(&self, wf: &Workflow) -> BTreeMap<String, (f32, f32)> {
        wf.activities
            .iter()
            .zip(self.rects(wf))
            .map(|(a, r)| (a.id.clone(), (r.width(), r.height())))
            .collect()
    }

    /// Where the canvas was on screen at the last frame.
    pub fn view_rect(&self) -> Rect {
        self.view_rect
    }

    /// How tall node titles are on screen at the current zoom, in points.
    pub fn title_px(&self) -> f32 {
        TITLE_SIZE * self.scale
    }

    /// How tall the smallest text of the canvas is on screen at the current zoom, in points.
    pub fn smallest_text_px(&self) -> f32 {
        TEXT_SIZE * self.scale
    }

    /// Where a pin of an activity is on screen after the last frame (for tests that drag
    /// wires): its `index`-th output when `output`, else its input.
    pub fn pin_screen_pos(&self, activity: &str, output: bool, index: usize) -> Option<Pos2> {
        let i = *self.layout.by_id.get(activity)?;
        let (n, pos) = (self.layout.nodes.get(i)?, *self.positions.get(i)?);
        let p = if output {
            (index < n.outputs.len()).then(|| n.output_pos(pos, index))?
        } else {
            n.input.then(|| n.input_pos(pos))?
        };
        Some(self.to_global * p)
    }

    /// An activity's node on screen, after the last frame (for tests).
    pub fn node_screen_rect(&self, activity: &str) -> Option<Rect> {
        let i = *self.layout.by_id.get(activity)?;
        let (n, pos) = (self.layout.nodes.get(i)?, *self.positions.get(i)?);
        Some(self.to_global * n.rect(pos))
    }
}

/// The wires, the nodes in view, the "+" of the selected node's free outputs, and what is being
/// dragged.
fn contents_ui(
    ui: &mut Ui,
    s: &Scene<'_>,
    (act, append): (&mut Interaction, &mut Option<append::Append>),
    pointer: Option<Pos2>,
    events: &mut Vec<draw::Event>,
    out: &mut Vec<Command>,
) {
    if !s.layout.nodes.is_empty() {
        grid_ui(ui, s);
    }
    let idle = act.gesture == Gesture::Idle;
    let dragging_kind = egui::DragAndDrop::has_payload_of_type::<KindTag>(ui.ctx());
    let under = pointer.and_then(|p| wire_under(s, p).map(|w| (w, p)));
    act.drop_wire = under.filter(|_| dragging_kind).map(|(w, _)| w);
    let hovered = under.filter(|_| idle && !dragging_kind);
    wires_ui(
        ui,
        s,
        act.drop_wire.or(hovered.or(act.wire_menu).map(|(w, _)| w)),
    );
    wire_widget_ui(ui, s, hovered, &mut act.wire_menu, out);
    for (i, (n, pos)) in s.layout.nodes.iter().zip(s.positions).enumerate() {
        if s.visible.intersects(n.rect(*pos)) {
            node_ui(ui, s, i, *pos, events, out);
        }
    }
    if idle {
        plus_buttons_ui(ui, s, append);
    }
    let Some(p) = pointer else {
        return;
    };
    match &act.gesture {
        Gesture::Wire { node, output } => {
            let (Some(n), Some(pos)) = (s.layout.nodes.get(*node), s.positions.get(*node)) else {
                return;
            };
            let stroke = Stroke::new(2.0, theme::SELECTED);
            match output {
                Some(k) => paint_wire(ui, n.output_pos(*pos, *k), p, stroke),
                None => paint_wire(ui, p, n.input_pos(*pos), stroke),
            }
        }
        Gesture::Box(from) => {
            let area = Rect::from_two_pos(*from, p);
            ui.painter()
                .rect_filled(area, 0.0, theme::SELECTED.gamma_multiply(0.15));
            ui.painter().rect_stroke(
                area,
                0.0,
                Stroke::new(1.0 / s.scale, theme::SELECTED),
                egui::StrokeKind::Inside,
            );
        }
        Gesture::Idle | Gesture::Move { .. } => {}
    }
}

/// Whether a kind can go on a transition, between two activities: it has an input and an
/// output.
fn between(tag: KindTag) -> bool {
    follows(tag) && tag != KindTag::End
}

/// A faint grid behind the nodes, every 40 canvas units (not behind an empty workflow's hint).
fn grid_ui(ui: &Ui, s: &Scene<'_>) {
    const STEP: f32 = 40.0;
    let v = s.visible;
    let stroke = Stroke::new(1.0 / s.scale, s.palette.grid);
    let painter = ui.painter();
    let mut x = (v.min.x / STEP).floor() * STEP;
    while x <= v.max.x {
        painter.vline(x, v.y_range(), stroke);
        x += STEP;
    }
    let mut y = (v.min.y / STEP).floor() * STEP;
    while y <= v.max.y {
        painter.hline(v.x_range(), y, stroke);
        y += STEP;
    }
}

/// What an empty workflow's canvas says to do first.
fn empty_hint_ui(ui: &mut Ui, rect: Rect, palette: &CanvasPalette) {
    let text = "This workflow is empty.\n\nDrag an External signal (runs triggered by a call or \
                another workflow) or a Start from the palette on the left onto the canvas, or \
                right-click here to add one. Then add activities and drag from an output pin to \
                an input pin to connect them.";
    let area = Rect::from_center_size(rect.center(), Vec2::new(rect.width().min(520.0), 140.0));
    ui.put(
        area,
        egui::Label::new(egui::RichText::new(text).size(15.0).color(palette.hint)).wrap(),
    );
}
