//! The node canvas: an adapter between a [`Workflow`] of the model and an
//! `egui_snarl::Snarl<NodeRef>`. The snarl is rebuilt from the model whenever the model changed
//! (the app's revision counter); canvas edits (moves, connections, deletions, additions) are not
//! applied to the snarl but turned into [`Command`]s that the app applies to the model. Node bodies
//! outside the view, or too small to read when zoomed out, only reserve their previous size.
//! The simulator's [`Overlay`] is drawn on top: the selected run's path (visited nodes ringed
//! and tinted with a visit count, taken transitions in the path colour, the rest faint), the
//! stepping position (current, next), failures, and a breakpoint toggle in every header.

use super::command::Command;
use crate::model::{ActivityKind, EndSettings, KindTag, Port, Position, Workflow};
use egui::emath::TSTransform;
use egui::{Color32, Id, Pos2, Rect, RichText, Stroke, Ui, Vec2};
use egui_snarl::ui::{PinInfo, SnarlStyle, SnarlViewer, SnarlWidget};
use egui_snarl::{InPin, InPinId, NodeId, OutPin, OutPinId, Snarl};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What the canvas shows of one activity: a light copy made when the snarl is rebuilt.
#[derive(Debug, Clone)]
pub struct NodeRef {
    /// The activity id.
    pub id: String,
    /// The kind.
    pub tag: KindTag,
    /// The label (or id).
    pub title: String,
    /// Input pins: 0 on entries, 1 otherwise.
    pub inputs: usize,
    /// Output ports, in pin order.
    pub outputs: Vec<Port>,
    /// The End trigger target, like `WKF2/signal1`.
    pub badge: Option<String>,
    /// Compact lines of the body (an External signal's parameters).
    pub lines: Vec<String>,
}

/// What the simulator shows on the canvas of one workflow: the path of the selected run, the
/// activity a stepping simulation is at, and the breakpoints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    /// Visits per activity id in the selected run (absent: not visited).
    pub visits: BTreeMap<String, usize>,
    /// Transitions the selected run took: (from, port, to).
    pub taken: BTreeSet<(String, Port, String)>,
    /// The activity the stepping simulation visited last.
    pub current: Option<String>,
    /// The next activity a stepping simulation will visit.
    pub next: Option<String>,
    /// Activities that failed in the selected run.
    pub failed: BTreeSet<String>,
    /// Activities with a breakpoint.
    pub breakpoints: BTreeSet<String>,
}

/// A glyph for each kind.
pub fn kind_icon(tag: KindTag) -> &'static str {
    match tag {
        KindTag::Start => "▶",
        KindTag::ExternalSignal => "⚡",
        KindTag::Query => "🔍",
        KindTag::ReadAudience => "👥",
        KindTag::SaveAudience => "💾",
        KindTag::TransferFile => "📁",
        KindTag::LoadFile => "📄",
        KindTag::UpdateData => "🔄",
        KindTag::Test => "❓",
        KindTag::Fork => "🔀",
        KindTag::AndJoin => "🔗",
        KindTag::Wait => "⏱",
        KindTag::EmailDelivery => "✉",
        KindTag::End => "⏹",
    }
}

fn port_label(port: &Port) -> String {
    match port {
        Port::Out => String::new(),
        Port::Condition(c) => c.clone(),
        Port::Default => "default".into(),
        Port::Branch(b) => b.clone(),
    }
}

/// The canvas state of the designer: the snarl of the current workflow and the maps to the model.
pub struct Canvas {
    /// The graph the widget draws.
    pub snarl: Snarl<NodeRef>,
    /// Activity id to snarl node.
    pub by_id: HashMap<String, NodeId>,
    /// The workflow shown, and the model revision the snarl was built from.
    built: Option<(String, u64)>,
    /// The last drawn rectangle of each node (graph coordinates).
    rects: HashMap<NodeId, Rect>,
    /// The last drawn size of each node's header and body.
    header_sizes: HashMap<NodeId, Vec2>,
    body_sizes: HashMap<NodeId, Vec2>,
    /// A zoom to fit is pending.
    pub fit_pending: bool,
    /// A reset to 1:1 zoom (graph origin at the view's top left) is pending.
    pub one_to_one_pending: bool,
    /// The current zoom (1.0 = 1:1).
    pub scale: f32,
    /// Graph to screen transform of the last frame (tests map positions with it).
    pub to_global: TSTransform,
    view_rect: Rect,
    last_widget_selection: Vec<NodeId>,
    /// The row of each pin (node, is output, index) and the pin size, from the last frame.
    pin_rows: HashMap<(NodeId, bool, usize), Rect>,
    pin_size: f32,
    frame_margin: f32,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            snarl: Snarl::new(),
            by_id: HashMap::new(),
            built: None,
            rects: HashMap::new(),
            header_sizes: HashMap::new(),
            body_sizes: HashMap::new(),
            fit_pending: false,
            one_to_one_pending: false,
            scale: 1.0,
            to_global: TSTransform::IDENTITY,
            view_rect: Rect::NOTHING,
            last_widget_selection: Vec::new(),
            pin_rows: HashMap::new(),
            pin_size: 10.0,
            frame_margin: 6.0,
        }
    }
}

/// The id of the canvas widget of a workflow.
pub fn canvas_id(workflow: &str) -> Id {
    Id::new("flowcall-canvas").with(workflow)
}

impl Canvas {
    /// Rebuilds the snarl when the workflow or the model revision changed.
    pub fn sync(&mut self, wf: &Workflow, rev: u64) {
        if self
            .built
            .as_ref()
            .is_some_and(|(w, r)| *w == wf.id && *r == rev)
        {
            return;
        }
        if self.built.as_ref().is_some_and(|(w, _)| *w != wf.id) {
            self.rects.clear();
            self.header_sizes.clear();
            self.body_sizes.clear();
        }
        self.rebuild(wf);
        self.built = Some((wf.id.clone(), rev));
    }

    /// Forces a rebuild at the next [`Canvas::sync`].
    pub fn invalidate(&mut self) {
        self.built = None;
    }

    fn rebuild(&mut self, wf: &Workflow) {
        let mut snarl = Snarl::new();
        self.by_id.clear();
        for a in &wf.activities {
            let (badge, lines) = match &a.kind {
                ActivityKind::End(EndSettings { trigger: Some(t) }) => {
                    (Some(format!("⚡ {}/{}", t.workflow, t.signal)), Vec::new())
                }
                ActivityKind::ExternalSignal(c) => (
                    None,
                    c.parameters
                        .iter()
                        .map(|p| {
                            format!(
                                "{}{}: {}",
                                p.name,
                                if p.required { "*" } else { "" },
                                p.ty.name()
                            )
                        })
                        .collect(),
                ),
                _ => (None, Vec::new()),
            };
            let node = NodeRef {
                id: a.id.clone(),
                tag: a.kind.tag(),
                title: a.display_name().to_owned(),
                inputs: usize::from(!a.kind.is_entry()),
                outputs: a.kind.output_ports(),
                badge,
                lines,
            };
            let nid = snarl.insert_node(Pos2::new(a.position.x, a.position.y), node);
            self.by_id.insert(a.id.clone(), nid);
        }
        for t in &wf.transitions {
            let (Some(&from), Some(&to)) = (self.by_id.get(&t.from), self.by_id.get(&t.to)) else {
                continue;
            };
            let Some(output) = snarl
                .get_node(from)
                .and_then(|n| n.outputs.iter().position(|p| *p == t.port))
            else {
                continue;
            };
            if snarl.get_node(to).is_some_and(|n| n.inputs > 0) {
                snarl.connect(
                    OutPinId { node: from, output },
                    InPinId { node: to, input: 0 },
                );
            }
        }
        self.snarl = snarl;
    }

    /// The bounding box of every node, in graph coordinates.
    fn nodes_bb(&self) -> Rect {
        let mut bb = Rect::NOTHING;
        for (nid, pos, _) in self.snarl.nodes_pos_ids() {
            let r = self
                .rects
                .get(&nid)
                .copied()
                .unwrap_or_else(|| Rect::from_min_size(pos, Vec2::new(160.0, 60.0)));
            bb = bb.union(r);
        }
        bb
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
        self.view_rect = ui.available_rect_before_wrap();
        let id = canvas_id(&wf.id);
        let marks = Marks::new(overlay, &self.by_id, &self.snarl, ui.visuals().dark_mode);
        let mut style = SnarlStyle::new();
        style.min_scale = Some(0.02);
        style.max_scale = Some(2.0);
        style.crisp_magnified_text = Some(false);
        style.collapsible = Some(false);
        style.centering = Some(false);
        if marks.path {
            // Wires have one width for all (see `Palette`): wider so the path's colour shows.
            style.wire_width = Some(2.0);
        }
        let selected_node = selected.and_then(|s| self.by_id.get(s).copied());
        let mut viewer = Viewer {
            workflow: &wf.id,
            out,
            hint,
            selected_node,
            fit: self.fit_pending.then(|| (self.nodes_bb(), self.view_rect)),
            one_to_one: self.one_to_one_pending.then_some(self.view_rect),
            scale: self.scale,
            to_global: self.to_global,
            rects: &mut self.rects,
            pin_rows: &mut self.pin_rows,
            pin_size: &mut self.pin_size,
            frame_margin: &mut self.frame_margin,
            header_sizes: &mut self.header_sizes,
            body_sizes: &mut self.body_sizes,
            search: ui
                .ctx()
                .data_mut(|d| d.get_temp::<String>(id.with("search")).unwrap_or_default()),
            marks,
        };
        ui.scope(|ui| {
            ui.style_mut().interaction.selectable_labels = false;
            SnarlWidget::new()
                .id(id)
                .style(style)
                .show(&mut self.snarl, &mut viewer, ui);
        });
        let search = std::mem::take(&mut viewer.search);
        self.scale = viewer.scale;
        self.to_global = viewer.to_global;
        self.fit_pending = false;
        self.one_to_one_pending = false;
        ui.ctx()
            .data_mut(|d| d.insert_temp(id.with("search"), search));

        // Moves: the widget moved nodes in the snarl; report them to the model.
        let mut moves = Vec::new();
        for a in &wf.activities {
            if let Some(info) = self
                .by_id
                .get(&a.id)
                .and_then(|n| self.snarl.get_node_info(*n))
                && (a.position.x != info.pos.x || a.position.y != info.pos.y)
            {
                moves.push((
                    a.id.clone(),
                    Position {
                        x: info.pos.x,
                        y: info.pos.y,
                    },
                ));
            }
        }
        if !moves.is_empty() {
            out.push(Command::MoveActivities {
                workflow: wf.id.clone(),
                moves,
            });
        }
        // Selection made in the widget (Shift+click, box select) becomes the app's selection.
        let picked = egui_snarl::ui::get_selected_nodes(id, ui.ctx());
        if picked != self.last_widget_selection {
            if let Some(last) = picked.last()
                && let Some(node) = self.snarl.get_node(*last)
                && selected != Some(node.id.as_str())
            {
                out.push(Command::Select(Some(node.id.clone())));
            }
            self.last_widget_selection = picked;
        }
    }

    /// The activity ids the widget has selected (box or Shift+click selection).
    pub fn widget_selection(&self, ctx: &egui::Context, workflow: &str) -> Vec<String> {
        egui_snarl::ui::get_selected_nodes(canvas_id(workflow), ctx)
            .into_iter()
            .filter_map(|n| self.snarl.get_node(n).map(|n| n.id.clone()))
            .collect()
    }

    /// Where a pin of an activity is on screen after the last frame (for tests that drag
    /// wires): its `index`-th output when `output`, else its input.
    pub fn pin_screen_pos(&self, activity: &str, output: bool, index: usize) -> Option<Pos2> {
        let nid = self.by_id.get(activity)?;
        let row = self.pin_rows.get(&(*nid, output, index))?;
        let node = self.rects.get(nid)?;
        let inset = self.frame_margin + self.pin_size * 0.5;
        let x = if output {
            node.max.x - inset
        } else {
            node.min.x + inset
        };
        Some(self.to_global * Pos2::new(x, row.center().y))
    }

    /// The centre of an activity's node on screen, after the last frame (for tests).
    pub fn node_screen_rect(&self, activity: &str) -> Option<Rect> {
        let nid = self.by_id.get(activity)?;
        self.rects.get(nid).map(|r| self.to_global * *r)
    }
}

/// Headers are drawn from this zoom up, bodies from [`BODY_MIN_SCALE`] up.
const HEADER_MIN_SCALE: f32 = 0.2;
/// See [`HEADER_MIN_SCALE`].
const BODY_MIN_SCALE: f32 = 0.35;
/// The fill of input pins.
const IN_PIN: Color32 = Color32::from_rgb(0x60, 0xa5, 0xfa);
/// The fill of output pins.
const OUT_PIN: Color32 = Color32::from_rgb(0x34, 0xd3, 0x99);
/// The stroke of the selected node.
const SELECTED: Color32 = Color32::from_rgb(0x3b, 0x82, 0xf6);

/// The overlay's colours for one theme: each mark as a fill, and the text drawn on that fill.
///
/// egui-snarl 0.12 gives no per-wire width and colours a wire with the midpoint of the colours
/// its two pins ask for. So while a path is shown every input pin asks for `wire_in` and each
/// output pin for `wire_taken` or `wire_untaken`: whichever node a wire leads into, a taken
/// wire comes out in one colour (green) and any other in another (faint grey).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Palette {
    path: Color32,
    on_path: Color32,
    current: Color32,
    on_current: Color32,
    next: Color32,
    on_next: Color32,
    failed: Color32,
    on_failed: Color32,
    wire_in: Color32,
    wire_taken: Color32,
    wire_untaken: Color32,
}

impl Palette {
    fn new(dark: bool) -> Palette {
        if dark {
            Palette {
                path: Color32::from_rgb(0x22, 0xc5, 0x5e),
                on_path: Color32::BLACK,
                current: Color32::from_rgb(0xf5, 0x9e, 0x0b),
                on_current: Color32::BLACK,
                next: Color32::from_rgb(0xa7, 0x8b, 0xfa),
                on_next: Color32::BLACK,
                failed: Color32::from_rgb(0xef, 0x44, 0x44),
                on_failed: Color32::BLACK,
                wire_in: Color32::from_gray(100),
                wire_taken: Color32::from_rgb(0x00, 0xff, 0x6e),
                wire_untaken: Color32::from_rgba_premultiplied(100, 100, 100, 140),
            }
        } else {
            Palette {
                path: Color32::from_rgb(0x16, 0xa3, 0x4a),
                on_path: Color32::WHITE,
                current: Color32::from_rgb(0xd9, 0x77, 0x06),
                on_current: Color32::WHITE,
                next: Color32::from_rgb(0x7c, 0x3a, 0xed),
                on_next: Color32::WHITE,
                failed: Color32::from_rgb(0xdc, 0x26, 0x26),
                on_failed: Color32::WHITE,
                wire_in: Color32::from_gray(110),
                wire_taken: Color32::from_rgb(0x00, 0xaa, 0x3c),
                wire_untaken: Color32::from_rgba_premultiplied(20, 20, 20, 40),
            }
        }
    }
}

/// What the overlay says about one node.
#[derive(Debug, Clone, Copy, Default)]
struct Mark {
    visits: usize,
    current: bool,
    next: bool,
    failed: bool,
    breakpoint: bool,
}

/// The [`Overlay`] mapped onto the snarl's nodes and output pins, for one frame.
struct Marks {
    nodes: HashMap<NodeId, Mark>,
    /// Output pins with a taken transition.
    taken: HashSet<OutPinId>,
    /// A run's path is shown: nodes and wires off the path are drawn faint.
    path: bool,
    palette: Palette,
}

impl Marks {
    fn new(
        overlay: &Overlay,
        by_id: &HashMap<String, NodeId>,
        snarl: &Snarl<NodeRef>,
        dark: bool,
    ) -> Marks {
        let mut nodes: HashMap<NodeId, Mark> = HashMap::new();
        let mut mark = |id: &str, set: &dyn Fn(&mut Mark)| {
            if let Some(n) = by_id.get(id) {
                set(nodes.entry(*n).or_default());
            }
        };
        for (id, visits) in &overlay.visits {
            mark(id, &|m| m.visits = *visits);
        }
        for id in &overlay.failed {
            mark(id, &|m| m.failed = true);
        }
        for id in &overlay.breakpoints {
            mark(id, &|m| m.breakpoint = true);
        }
        if let Some(id) = &overlay.current {
            mark(id, &|m| m.current = true);
        }
        if let Some(id) = &overlay.next {
            mark(id, &|m| m.next = true);
        }
        // An output pin is one port: it counts as taken when any of its transitions was.
        let taken = overlay
            .taken
            .iter()
            .filter_map(|(from, port, _)| {
                let node = *by_id.get(from)?;
                let output = snarl
                    .get_node(node)?
                    .outputs
                    .iter()
                    .position(|p| p == port)?;
                Some(OutPinId { node, output })
            })
            .collect();
        Marks {
            nodes,
            taken,
            path: !overlay.visits.is_empty() || !overlay.taken.is_empty(),
            palette: Palette::new(dark),
        }
    }

    fn get(&self, node: NodeId) -> Mark {
        self.nodes.get(&node).copied().unwrap_or_default()
    }

    /// Off the shown path: drawn faint.
    fn dimmed(&self, node: NodeId) -> bool {
        let m = self.get(node);
        self.path && m.visits == 0 && !m.current && !m.next && !m.failed
    }

    /// The colour a node's fill leans to, and how far.
    fn tint(&self, node: NodeId) -> Option<(Color32, f32)> {
        let m = self.get(node);
        let p = &self.palette;
        if m.failed {
            Some((p.failed, 0.2))
        } else if m.current {
            Some((p.current, 0.2))
        } else if m.visits > 0 {
            Some((p.path, 0.12))
        } else {
            None
        }
    }

    /// The solid ring drawn around a node: failed, current or visited.
    fn ring(&self, node: NodeId) -> Option<Stroke> {
        let m = self.get(node);
        let p = &self.palette;
        if m.failed {
            Some(Stroke::new(3.0, p.failed))
        } else if m.current {
            Some(Stroke::new(3.5, p.current))
        } else if m.visits > 0 {
            Some(Stroke::new(2.0, p.path))
        } else {
            None
        }
    }
}

/// A rounded label with a coloured fill (End trigger targets, overlay markers).
fn chip_ui(ui: &mut Ui, text: RichText, fill: Color32, text_color: Color32) -> egui::Response {
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(4, 1))
        .show(ui, |ui| ui.label(text.color(text_color)))
        .inner
}

/// The overlay's markers of a node (visit count, current, next, failed): chips standing on the
/// right of its top edge, outside the header so that the node keeps its size (and its
/// neighbours stay clear) while a run is stepped through.
fn marks_ui(ui: &mut Ui, node: NodeId, rect: Rect, mark: Mark, p: &Palette) {
    if mark.visits == 0 && !mark.current && !mark.next && !mark.failed {
        return;
    }
    let height = ui.spacing().interact_size.y + 4.0;
    let area = Rect::from_min_max(
        Pos2::new(rect.left(), rect.top() - height + 2.0),
        Pos2::new(rect.right() - 8.0, rect.top() + 2.0),
    );
    let mut ui = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(area)
            .layout(egui::Layout::right_to_left(egui::Align::Max))
            .id_salt(("overlay-marks", node)),
    );
    ui.spacing_mut().item_spacing.x = 3.0;
    if mark.visits > 0 {
        let times = if mark.visits == 1 { "time" } else { "times" };
        chip_ui(
            &mut ui,
            RichText::new(format!("✔ {}", mark.visits)).strong(),
            p.path,
            p.on_path,
        )
        .on_hover_text(format!(
            "visited {} {times} in the selected run",
            mark.visits
        ));
    }
    if mark.current {
        chip_ui(
            &mut ui,
            RichText::new("⏵ current").strong(),
            p.current,
            p.on_current,
        )
        .on_hover_text("the stepping simulation visited this activity last");
    }
    if mark.next {
        chip_ui(&mut ui, RichText::new("⏭ next").strong(), p.next, p.on_next)
            .on_hover_text("the stepping simulation visits this activity next");
    }
    if mark.failed {
        chip_ui(
            &mut ui,
            RichText::new("✖ failed").strong(),
            p.failed,
            p.on_failed,
        )
        .on_hover_text("this activity failed in the selected run");
    }
}

/// The breakpoint toggle of a node's header: a red dot when set, a faint ring to click when not.
/// Its accessible name is `Breakpoint on <activity>`, checked when set.
fn breakpoint_ui(ui: &mut Ui, activity: &str, set: bool, red: Color32) -> egui::Response {
    let side = ui.spacing().icon_width;
    let (rect, resp) = ui.allocate_exact_size(Vec2::splat(side), egui::Sense::click());
    let label = format!("Breakpoint on {activity}");
    resp.widget_info(|| egui::WidgetInfo::selected(egui::WidgetType::Checkbox, true, set, &label));
    if ui.is_rect_visible(rect) {
        let (centre, radius) = (rect.center(), side * 0.3);
        if set {
            ui.painter().circle_filled(centre, radius, red);
        } else {
            let color = if resp.hovered() {
                red
            } else {
                ui.visuals().weak_text_color().gamma_multiply(0.6)
            };
            ui.painter()
                .circle_stroke(centre, radius, Stroke::new(1.0, color));
        }
    }
    resp.on_hover_text(if set {
        "Breakpoint: the simulator stops before it visits this activity. Click to clear it."
    } else {
        "Click to set a breakpoint: the simulator stops before it visits this activity."
    })
}

/// A dashed rectangle.
fn dashed_rect(painter: &egui::Painter, rect: Rect, stroke: Stroke) {
    let corners = [
        rect.left_top(),
        rect.right_top(),
        rect.right_bottom(),
        rect.left_bottom(),
        rect.left_top(),
    ];
    painter.extend(egui::Shape::dashed_line(&corners, stroke, 6.0, 4.0));
}

struct Viewer<'a> {
    workflow: &'a str,
    out: &'a mut Vec<Command>,
    hint: &'a mut Option<String>,
    selected_node: Option<NodeId>,
    fit: Option<(Rect, Rect)>,
    one_to_one: Option<Rect>,
    scale: f32,
    to_global: TSTransform,
    rects: &'a mut HashMap<NodeId, Rect>,
    pin_rows: &'a mut HashMap<(NodeId, bool, usize), Rect>,
    pin_size: &'a mut f32,
    frame_margin: &'a mut f32,
    header_sizes: &'a mut HashMap<NodeId, Vec2>,
    body_sizes: &'a mut HashMap<NodeId, Vec2>,
    search: String,
    marks: Marks,
}

impl Viewer<'_> {
    /// Whether the node is worth drawing in full: visible and not tiny.
    fn visible(&self, ui: &Ui, node: NodeId) -> bool {
        match self.rects.get(&node) {
            Some(r) => ui.is_rect_visible(*r),
            None => true,
        }
    }

    /// Draws a node's header (or body) with `add`, which returns the rectangle it drew, and
    /// records its size. Outside the view, or drawn smaller than the part's minimum scale, it
    /// only reserves the previous size so the layout does not move.
    fn part_ui(
        &mut self,
        ui: &mut Ui,
        node: NodeId,
        snarl: &Snarl<NodeRef>,
        body: bool,
        add: impl FnOnce(&mut Self, &mut Ui, &NodeRef) -> Rect,
    ) {
        let min_scale = if body {
            BODY_MIN_SCALE
        } else {
            HEADER_MIN_SCALE
        };
        let shown = self.visible(ui, node) && self.scale >= min_scale;
        let sizes = if body {
            &mut self.body_sizes
        } else {
            &mut self.header_sizes
        };
        if !shown && let Some(size) = sizes.get(&node) {
            ui.allocate_space(*size);
            return;
        }
        let Some(n) = snarl.get_node(node) else {
            return;
        };
        let rect = add(self, ui, n);
        let sizes = if body {
            &mut self.body_sizes
        } else {
            &mut self.header_sizes
        };
        sizes.insert(node, rect.size());
    }

    /// Records where a pin's row is and says how to draw the pin and its wires: on the path
    /// shown (an output with a taken transition, the input of a visited activity) in the path
    /// colour.
    fn pin_info(&mut self, ui: &Ui, node: NodeId, output: bool, index: usize) -> PinInfo {
        self.pin_rows.insert((node, output, index), ui.max_rect());
        let on_path = if output {
            self.marks.taken.contains(&OutPinId {
                node,
                output: index,
            })
        } else {
            self.marks.get(node).visits > 0
        };
        let p = &self.marks.palette;
        let fill = match (on_path, output) {
            (true, _) => p.path,
            (false, true) => OUT_PIN,
            (false, false) => IN_PIN,
        };
        let info = PinInfo::circle().with_fill(fill);
        if !self.marks.path {
            return info;
        }
        info.with_wire_color(match (output, on_path) {
            (false, _) => p.wire_in,
            (true, true) => p.wire_taken,
            (true, false) => p.wire_untaken,
        })
    }

    /// Text on a node: faint off the shown path, else as given (or `strong`).
    fn node_text(&self, ui: &Ui, node: NodeId, text: RichText, strong: bool) -> RichText {
        if self.marks.dimmed(node) {
            text.color(ui.visuals().weak_text_color())
        } else if strong {
            text.strong()
        } else {
            text
        }
    }

    fn toggle_breakpoint(&mut self, activity: &str) {
        self.out.push(Command::ToggleBreakpoint {
            workflow: self.workflow.to_owned(),
            activity: activity.to_owned(),
        });
    }

    /// The frame of a node or its header, with the overlay's fill.
    fn tinted(&self, frame: egui::Frame, node: NodeId) -> egui::Frame {
        match self.marks.tint(node) {
            Some((color, t)) => frame.fill(frame.fill.lerp_to_gamma(color, t)),
            None => frame,
        }
    }

    fn connection(&mut self, from: &OutPin, to: &InPin, snarl: &Snarl<NodeRef>, connect: bool) {
        let (Some(a), Some(b)) = (snarl.get_node(from.id.node), snarl.get_node(to.id.node)) else {
            return;
        };
        let Some(port) = a.outputs.get(from.id.output).cloned() else {
            *self.hint = Some(format!(
                "'{}' has no output: an End ends the branch",
                a.title
            ));
            return;
        };
        if b.inputs == 0 {
            *self.hint = Some(format!(
                "'{}' is an entry ({}): nothing may lead into it",
                b.title,
                b.tag.name()
            ));
            return;
        }
        let (workflow, from, to) = (self.workflow.to_owned(), a.id.clone(), b.id.clone());
        self.out.push(if connect {
            Command::Connect {
                workflow,
                from,
                port,
                to,
            }
        } else {
            Command::Disconnect {
                workflow,
                from,
                port,
                to,
            }
        });
    }
}

impl SnarlViewer<NodeRef> for Viewer<'_> {
    fn title(&mut self, node: &NodeRef) -> String {
        node.title.clone()
    }

    fn node_frame(
        &mut self,
        default: egui::Frame,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        _snarl: &Snarl<NodeRef>,
    ) -> egui::Frame {
        *self.frame_margin = default.inner_margin.leftf();
        let mut frame = self.tinted(default.shadow(egui::Shadow::NONE), node);
        if Some(node) == self.selected_node {
            frame = frame.stroke(Stroke::new(2.0, SELECTED));
        }
        frame
    }

    fn header_frame(
        &mut self,
        default: egui::Frame,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        _snarl: &Snarl<NodeRef>,
    ) -> egui::Frame {
        self.tinted(default, node)
    }

    fn show_header(
        &mut self,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut Ui,
        snarl: &mut Snarl<NodeRef>,
    ) {
        self.part_ui(ui, node, snarl, false, |v, ui, n| {
            let breakpoint = v.marks.get(node).breakpoint;
            let red = v.marks.palette.failed;
            let title = RichText::new(format!("{} {}", kind_icon(n.tag), n.title));
            let text = v.node_text(ui, node, title, true);
            ui.horizontal(|ui| {
                if breakpoint_ui(ui, &n.id, breakpoint, red).clicked() {
                    v.toggle_breakpoint(&n.id);
                }
                let title = ui.add(egui::Label::new(text).sense(egui::Sense::click()));
                if title.clicked() {
                    v.out.push(Command::Select(Some(n.id.clone())));
                }
            })
            .response
            .rect
        });
    }

    fn inputs(&mut self, node: &NodeRef) -> usize {
        node.inputs
    }

    fn outputs(&mut self, node: &NodeRef) -> usize {
        node.outputs.len()
    }

    fn show_input(
        &mut self,
        pin: &InPin,
        ui: &mut Ui,
        _snarl: &mut Snarl<NodeRef>,
    ) -> impl egui_snarl::ui::SnarlPin + 'static {
        self.pin_info(ui, pin.id.node, false, pin.id.input)
    }

    fn show_output(
        &mut self,
        pin: &OutPin,
        ui: &mut Ui,
        snarl: &mut Snarl<NodeRef>,
    ) -> impl egui_snarl::ui::SnarlPin + 'static {
        *self.pin_size = ui.spacing().interact_size.y * 0.6;
        if let Some(port) = snarl
            .get_node(pin.id.node)
            .and_then(|n| n.outputs.get(pin.id.output))
            && *port != Port::Out
        {
            let text = RichText::new(port_label(port)).small();
            ui.label(self.node_text(ui, pin.id.node, text, false));
        }
        self.pin_info(ui, pin.id.node, true, pin.id.output)
    }

    fn has_body(&mut self, node: &NodeRef) -> bool {
        node.badge.is_some() || !node.lines.is_empty()
    }

    fn show_body(
        &mut self,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut Ui,
        snarl: &mut Snarl<NodeRef>,
    ) {
        self.part_ui(ui, node, snarl, true, |v, ui, n| {
            ui.vertical(|ui| {
                if let Some(badge) = &n.badge {
                    chip_ui(
                        ui,
                        RichText::new(badge).small(),
                        Color32::from_rgb(0xf5, 0x9e, 0x0b),
                        Color32::BLACK,
                    );
                }
                for line in &n.lines {
                    let text = RichText::new(line).small().monospace();
                    ui.label(v.node_text(ui, node, text, false));
                }
            })
            .response
            .rect
        });
    }

    fn final_node_rect(
        &mut self,
        node: NodeId,
        rect: Rect,
        ui: &mut Ui,
        _snarl: &mut Snarl<NodeRef>,
    ) {
        self.rects.insert(node, rect);
        let mark = self.marks.get(node);
        if !ui.is_rect_visible(rect.expand(12.0)) {
            return;
        }
        if self.scale >= HEADER_MIN_SCALE {
            marks_ui(ui, node, rect, mark, &self.marks.palette);
        }
        let painter = ui.painter();
        let radius = ui.visuals().window_corner_radius;
        if let Some(ring) = self.marks.ring(node) {
            painter.rect_stroke(
                rect.expand(ring.width * 0.5 + 1.0),
                radius,
                ring,
                egui::StrokeKind::Middle,
            );
        }
        if mark.next {
            dashed_rect(
                painter,
                rect.expand(7.0),
                Stroke::new(2.0, self.marks.palette.next),
            );
        }
        // Zoomed out, the header (and its breakpoint dot) is not drawn: a dot on the corner.
        if mark.breakpoint && self.scale < HEADER_MIN_SCALE {
            painter.circle_filled(
                rect.left_top(),
                6.0 / self.scale.max(0.02),
                self.marks.palette.failed,
            );
        }
    }

    fn has_graph_menu(&mut self, _pos: Pos2, _snarl: &mut Snarl<NodeRef>) -> bool {
        true
    }

    fn show_graph_menu(&mut self, pos: Pos2, ui: &mut Ui, _snarl: &mut Snarl<NodeRef>) {
        ui.label("Add activity");
        let label = ui.label("Search");
        ui.text_edit_singleline(&mut self.search)
            .labelled_by(label.id)
            .request_focus();
        let needle = self.search.to_lowercase();
        for tag in KindTag::ALL {
            if !needle.is_empty() && !tag.name().to_lowercase().contains(&needle) {
                continue;
            }
            if ui
                .button(format!("{} {}", kind_icon(tag), tag.name()))
                .clicked()
            {
                self.out.push(Command::AddActivity {
                    tag,
                    position: Position { x: pos.x, y: pos.y },
                });
                self.search.clear();
                ui.close();
            }
        }
    }

    fn has_node_menu(&mut self, _node: &NodeRef) -> bool {
        true
    }

    fn show_node_menu(
        &mut self,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut Ui,
        snarl: &mut Snarl<NodeRef>,
    ) {
        let Some(n) = snarl.get_node(node) else {
            return;
        };
        if ui.button("Select").clicked() {
            self.out.push(Command::Select(Some(n.id.clone())));
            ui.close();
        }
        let toggle = Command::ToggleBreakpoint {
            workflow: self.workflow.to_owned(),
            activity: n.id.clone(),
        };
        if ui
            .add(egui::Button::new(toggle.label()).selected(self.marks.get(node).breakpoint))
            .on_hover_text(toggle.tooltip())
            .clicked()
        {
            self.out.push(toggle);
            ui.close();
        }
        if ui.button("Delete").clicked() {
            self.out.push(Command::DeleteActivities {
                workflow: self.workflow.to_owned(),
                ids: vec![n.id.clone()],
            });
            ui.close();
        }
    }

    fn connect(&mut self, from: &OutPin, to: &InPin, snarl: &mut Snarl<NodeRef>) {
        self.connection(from, to, snarl, true);
    }

    fn disconnect(&mut self, from: &OutPin, to: &InPin, snarl: &mut Snarl<NodeRef>) {
        self.connection(from, to, snarl, false);
    }

    fn drop_outputs(&mut self, pin: &OutPin, snarl: &mut Snarl<NodeRef>) {
        for remote in &pin.remotes {
            let to = snarl.in_pin(*remote);
            self.connection(pin, &to, snarl, false);
        }
    }

    fn drop_inputs(&mut self, pin: &InPin, snarl: &mut Snarl<NodeRef>) {
        for remote in &pin.remotes {
            let from = snarl.out_pin(*remote);
            self.connection(&from, pin, snarl, false);
        }
    }

    fn current_transform(&mut self, to_global: &mut TSTransform, _snarl: &mut Snarl<NodeRef>) {
        if let Some((bb, view)) = self.fit.take()
            && bb.is_finite()
            && view.is_positive()
        {
            let bb = bb.expand(40.0);
            let scale = (view.width() / bb.width())
                .min(view.height() / bb.height())
                .clamp(0.02, 1.0);
            *to_global = TSTransform::new(
                view.center().to_vec2() - bb.center().to_vec2() * scale,
                scale,
            );
        }
        if let Some(view) = self.one_to_one.take() {
            *to_global = TSTransform::new(view.min.to_vec2() + Vec2::splat(20.0), 1.0);
        }
        self.scale = to_global.scaling;
        self.to_global = *to_global;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The colour of a wire egui-snarl 0.12 mixes from pins asking for `a` and `b`: the
    /// midpoint of the premultiplied channels.
    fn mixed(a: Color32, b: Color32) -> [u8; 4] {
        let (a, b) = (a.to_array(), b.to_array());
        [0, 1, 2, 3].map(|i| a[i].midpoint(b[i]))
    }

    /// Every input pin asks for the same colour while a path is shown, so a wire's colour
    /// depends on its output pin alone: green when taken, faint grey otherwise, in both themes.
    #[test]
    fn taken_wires_are_green_and_the_others_faint_grey() {
        for dark in [true, false] {
            let p = Palette::new(dark);
            let taken = mixed(p.wire_taken, p.wire_in);
            let untaken = mixed(p.wire_untaken, p.wire_in);
            assert_eq!(taken[3], 255, "taken wires are opaque");
            assert!(untaken[3] < 255, "other wires are faint");
            // The taken wire is green: its green channel leads clearly.
            assert!(
                taken[1] > taken[0] + 60 && taken[1] > taken[2] + 40,
                "{taken:?}"
            );
            // The others are grey.
            assert!(
                untaken[0] == untaken[1] && untaken[1] == untaken[2],
                "{untaken:?}"
            );
        }
    }
}
