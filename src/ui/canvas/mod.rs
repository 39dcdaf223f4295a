//! The node canvas: an adapter between a [`Workflow`] of the model and an
//! `egui_snarl::Snarl<NodeRef>`. The snarl is rebuilt from the model whenever the model changed
//! (the app's revision counter); canvas edits (moves, connections, deletions, additions) are not
//! applied to the snarl but turned into [`Command`]s that the app applies to the model. Node bodies
//! outside the view, or too small to read when zoomed out, only reserve their previous size.
//! The simulator's [`Overlay`] is drawn on top: the selected run's path (visited nodes ringed
//! and tinted with a visit count, taken transitions in the path colour, the rest faint), the
//! stepping position (current, next), failures, and a breakpoint toggle in every header.
//!
//! A panel: it imports only the shared modules of `ui`. `viewer` is the snarl's viewer (how each
//! node, pin and menu is drawn), `marks` maps the overlay onto the snarl's nodes and draws it.

mod marks;
mod node;
mod viewer;

use super::command::{Command, EditCommand, ViewCommand};
use super::overlay::Overlay;
use crate::model::{ActivityKind, EndSettings, Position, Workflow};
use egui::emath::TSTransform;
use egui::{Id, Pos2, Rect, Ui, Vec2};
use egui_snarl::ui::{SnarlStyle, SnarlWidget};
use egui_snarl::{InPinId, NodeId, OutPinId, Snarl};
use marks::Marks;
pub use node::NodeRef;
use std::collections::HashMap;
use viewer::Viewer;

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
        let style = snarl_style(marks.path);
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
        self.report_moves(wf, out);
        self.report_selection(ui.ctx(), id, selected, out);
    }

    /// Moves: the widget moved nodes in the snarl; reports them to the model.
    fn report_moves(&self, wf: &Workflow, out: &mut Vec<Command>) {
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
            out.push(Command::Edit(EditCommand::MoveActivities {
                workflow: wf.id.clone(),
                moves,
            }));
        }
    }

    /// A selection made in the widget (Shift+click, box select) becomes the app's selection.
    fn report_selection(
        &mut self,
        ctx: &egui::Context,
        id: Id,
        selected: Option<&str>,
        out: &mut Vec<Command>,
    ) {
        let picked = egui_snarl::ui::get_selected_nodes(id, ctx);
        if picked != self.last_widget_selection {
            if let Some(last) = picked.last()
                && let Some(node) = self.snarl.get_node(*last)
                && selected != Some(node.id.as_str())
            {
                out.push(Command::View(ViewCommand::Select(Some(node.id.clone()))));
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

/// The snarl's style: zoom range, no collapsing; wider wires while a run's path is shown.
fn snarl_style(path: bool) -> SnarlStyle {
    let mut style = SnarlStyle::new();
    style.min_scale = Some(0.02);
    style.max_scale = Some(2.0);
    style.crisp_magnified_text = Some(false);
    style.collapsible = Some(false);
    style.centering = Some(false);
    if path {
        // Wires have one width for all (see `OverlayPalette`): wider so the path's colour shows.
        style.wire_width = Some(2.0);
    }
    style
}
