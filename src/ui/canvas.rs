//! The node canvas: an adapter between a [`Workflow`] of the model and an
//! `egui_snarl::Snarl<NodeRef>`. The snarl is rebuilt from the model whenever the model changed
//! (the app's revision counter); canvas edits (moves, connections, deletions, additions) are not
//! applied to the snarl but turned into [`Command`]s that the app applies to the model. Node bodies
//! outside the view, or too small to read when zoomed out, only reserve their previous size.

use super::command::Command;
use crate::model::{ActivityKind, EndSettings, KindTag, Port, Position, Workflow};
use egui::emath::TSTransform;
use egui::{Color32, Id, Pos2, Rect, RichText, Ui, Vec2};
use egui_snarl::ui::{PinInfo, SnarlStyle, SnarlViewer, SnarlWidget};
use egui_snarl::{InPin, InPinId, NodeId, OutPin, OutPinId, Snarl};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

    /// Draws the canvas of `wf`; edits become commands in `out`, refusals a hint.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        wf: &Workflow,
        selected: Option<&str>,
        overlay: &Overlay,
        out: &mut Vec<Command>,
        hint: &mut Option<String>,
    ) {
        let _ = overlay;
        self.view_rect = ui.available_rect_before_wrap();
        let id = canvas_id(&wf.id);
        let mut style = SnarlStyle::new();
        style.min_scale = Some(0.02);
        style.max_scale = Some(2.0);
        style.crisp_magnified_text = Some(false);
        style.collapsible = Some(false);
        style.centering = Some(false);
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
}

impl Viewer<'_> {
    /// Whether the node is worth drawing in full: visible and not tiny.
    fn visible(&self, ui: &Ui, node: NodeId) -> bool {
        match self.rects.get(&node) {
            Some(r) => ui.is_rect_visible(*r),
            None => true,
        }
    }

    /// Outside the view, or drawn smaller than `min_scale`: keeps the header's (or body's)
    /// previous size so the layout does not move, draws nothing and returns true.
    fn skip_hidden(&self, ui: &mut Ui, node: NodeId, min_scale: f32, body: bool) -> bool {
        if self.visible(ui, node) && self.scale >= min_scale {
            return false;
        }
        let sizes = if body {
            &self.body_sizes
        } else {
            &self.header_sizes
        };
        match sizes.get(&node) {
            Some(size) => {
                ui.allocate_space(*size);
                true
            }
            None => false,
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
        let mut frame = default.shadow(egui::Shadow::NONE);
        if Some(node) == self.selected_node {
            frame = frame.stroke(egui::Stroke::new(2.0, Color32::from_rgb(0x3b, 0x82, 0xf6)));
        }
        frame
    }

    fn show_header(
        &mut self,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut Ui,
        snarl: &mut Snarl<NodeRef>,
    ) {
        if self.skip_hidden(ui, node, 0.2, false) {
            return;
        }
        let Some(n) = snarl.get_node(node) else {
            return;
        };
        let text = format!("{} {}", kind_icon(n.tag), n.title);
        let resp =
            ui.add(egui::Label::new(RichText::new(text).strong()).sense(egui::Sense::click()));
        if resp.clicked() {
            self.out.push(Command::Select(Some(n.id.clone())));
        }
        self.header_sizes.insert(node, resp.rect.size());
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
        self.pin_rows
            .insert((pin.id.node, false, pin.id.input), ui.max_rect());
        PinInfo::circle().with_fill(Color32::from_rgb(0x60, 0xa5, 0xfa))
    }

    fn show_output(
        &mut self,
        pin: &OutPin,
        ui: &mut Ui,
        snarl: &mut Snarl<NodeRef>,
    ) -> impl egui_snarl::ui::SnarlPin + 'static {
        self.pin_rows
            .insert((pin.id.node, true, pin.id.output), ui.max_rect());
        *self.pin_size = ui.spacing().interact_size.y * 0.6;
        if let Some(port) = snarl
            .get_node(pin.id.node)
            .and_then(|n| n.outputs.get(pin.id.output))
            && *port != Port::Out
        {
            ui.label(RichText::new(port_label(port)).small());
        }
        PinInfo::circle().with_fill(Color32::from_rgb(0x34, 0xd3, 0x99))
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
        if self.skip_hidden(ui, node, 0.35, true) {
            return;
        }
        let Some(n) = snarl.get_node(node) else {
            return;
        };
        let resp = ui
            .vertical(|ui| {
                if let Some(badge) = &n.badge {
                    egui::Frame::new()
                        .fill(Color32::from_rgb(0xf5, 0x9e, 0x0b))
                        .corner_radius(4.0)
                        .inner_margin(egui::Margin::symmetric(4, 1))
                        .show(ui, |ui| {
                            ui.label(RichText::new(badge).small().color(Color32::BLACK));
                        });
                }
                for line in &n.lines {
                    ui.label(RichText::new(line).small().monospace());
                }
            })
            .response;
        self.body_sizes.insert(node, resp.rect.size());
    }

    fn final_node_rect(
        &mut self,
        node: NodeId,
        rect: Rect,
        _ui: &mut Ui,
        _snarl: &mut Snarl<NodeRef>,
    ) {
        self.rects.insert(node, rect);
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
