//! How the canvas draws each node, pin and menu: the snarl's viewer, which turns what the user
//! does on the canvas into commands (connect, disconnect, select, add, delete, breakpoints) and
//! refusals into a hint.

use super::marks::{Marks, breakpoint_ui, dashed_rect, marks_ui};
use super::node::{NodeRef, port_label};
use crate::model::{KindTag, Port, Position};
use crate::ui::command::{Command, EditCommand, SimCommand, ViewCommand};
use crate::ui::theme;
use crate::ui::widgets::{chip_ui, kind_icon};
use egui::emath::TSTransform;
use egui::{Pos2, Rect, RichText, Stroke, Ui, Vec2};
use egui_snarl::ui::{PinInfo, SnarlViewer};
use egui_snarl::{InPin, NodeId, OutPin, OutPinId, Snarl};
use std::collections::HashMap;

/// Headers are drawn from this zoom up, bodies from [`BODY_MIN_SCALE`] up.
const HEADER_MIN_SCALE: f32 = 0.2;
/// See [`HEADER_MIN_SCALE`].
const BODY_MIN_SCALE: f32 = 0.35;
pub(super) struct Viewer<'a> {
    pub(super) workflow: &'a str,
    pub(super) out: &'a mut Vec<Command>,
    pub(super) hint: &'a mut Option<String>,
    pub(super) selected_node: Option<NodeId>,
    pub(super) fit: Option<(Rect, Rect)>,
    pub(super) one_to_one: Option<Rect>,
    pub(super) scale: f32,
    pub(super) to_global: TSTransform,
    pub(super) rects: &'a mut HashMap<NodeId, Rect>,
    pub(super) pin_rows: &'a mut HashMap<(NodeId, bool, usize), Rect>,
    pub(super) pin_size: &'a mut f32,
    pub(super) frame_margin: &'a mut f32,
    pub(super) header_sizes: &'a mut HashMap<NodeId, Vec2>,
    pub(super) body_sizes: &'a mut HashMap<NodeId, Vec2>,
    pub(super) search: String,
    pub(super) marks: Marks,
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
            (false, true) => theme::OUT_PIN,
            (false, false) => theme::IN_PIN,
        };
        let info = PinInfo::circle().with_fill(fill);
        if !self.marks.path {
            return info;
        }
        let missed = output
            && self.marks.missed.contains(&OutPinId {
                node,
                output: index,
            });
        info.with_wire_color(match (output, on_path) {
            (false, _) => p.wire_in,
            (true, true) => p.wire_taken,
            (true, false) if missed => p.failed,
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
        self.out.push(Command::Sim(SimCommand::ToggleBreakpoint {
            workflow: self.workflow.to_owned(),
            activity: activity.to_owned(),
        }));
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
        self.out.push(Command::Edit(if connect {
            EditCommand::Connect {
                workflow,
                from,
                port,
                to,
            }
        } else {
            EditCommand::Disconnect {
                workflow,
                from,
                port,
                to,
            }
        }));
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
            frame = frame.stroke(Stroke::new(2.0, theme::SELECTED));
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
                    v.out
                        .push(Command::View(ViewCommand::Select(Some(n.id.clone()))));
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
                        theme::BADGE,
                        theme::ON_BADGE,
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
            marks_ui(
                ui,
                node,
                rect,
                mark,
                &self.marks.palette,
                self.marks.coverage,
            );
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
                self.out.push(Command::Edit(EditCommand::AddActivity {
                    tag,
                    position: Position { x: pos.x, y: pos.y },
                }));
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
            self.out
                .push(Command::View(ViewCommand::Select(Some(n.id.clone()))));
            ui.close();
        }
        let toggle = Command::Sim(SimCommand::ToggleBreakpoint {
            workflow: self.workflow.to_owned(),
            activity: n.id.clone(),
        });
        if ui
            .add(egui::Button::new(toggle.label()).selected(self.marks.get(node).breakpoint))
            .on_hover_text(toggle.tooltip())
            .clicked()
        {
            self.out.push(toggle);
            ui.close();
        }
        if ui.button("Delete").clicked() {
            self.out.push(Command::Edit(EditCommand::DeleteActivities {
                workflow: self.workflow.to_owned(),
                ids: vec![n.id.clone()],
            }));
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
