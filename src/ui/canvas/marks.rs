//! The simulator's [`Overlay`] on the canvas: mapped onto the snarl's nodes and output pins once
//! per frame ([`Marks`]), and the pieces drawn from it (the markers standing on a node, the
//! breakpoint toggle of its header, the dashed frame of the next activity).

use super::node::NodeRef;
use crate::ui::overlay::Overlay;
use crate::ui::theme::OverlayPalette;
use crate::ui::widgets::chip_ui;
use egui::{Color32, Pos2, Rect, RichText, Stroke, Ui, Vec2};
use egui_snarl::{NodeId, OutPinId, Snarl};
use std::collections::{HashMap, HashSet};

/// What the overlay says about one node.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Mark {
    pub(super) visits: usize,
    pub(super) current: bool,
    pub(super) next: bool,
    pub(super) failed: bool,
    pub(super) breakpoint: bool,
    /// No saved scenario reaches it (coverage shown).
    pub(super) missed: bool,
}

/// The [`Overlay`] mapped onto the snarl's nodes and output pins, for one frame.
pub(super) struct Marks {
    nodes: HashMap<NodeId, Mark>,
    /// Output pins with a taken transition.
    pub(super) taken: HashSet<OutPinId>,
    /// Output pins whose transitions no saved scenario takes (coverage shown).
    pub(super) missed: HashSet<OutPinId>,
    /// Coverage is shown rather than a run.
    pub(super) coverage: bool,
    /// A run's path is shown: nodes and wires off the path are drawn faint.
    pub(super) path: bool,
    pub(super) palette: OverlayPalette,
}

impl Marks {
    pub(super) fn new(
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
        for id in &overlay.missed {
            mark(id, &|m| m.missed = true);
        }
        if let Some(id) = &overlay.current {
            mark(id, &|m| m.current = true);
        }
        if let Some(id) = &overlay.next {
            mark(id, &|m| m.next = true);
        }
        // An output pin is one port: it counts as taken when any of its transitions was.
        let pins = |set: &std::collections::BTreeSet<(String, crate::model::Port, String)>| {
            set.iter()
                .filter_map(|(from, port, _)| {
                    let node = *by_id.get(from)?;
                    let output = snarl
                        .get_node(node)?
                        .outputs
                        .iter()
                        .position(|p| p == port)?;
                    Some(OutPinId { node, output })
                })
                .collect()
        };
        Marks {
            nodes,
            taken: pins(&overlay.taken),
            missed: pins(&overlay.missed_transitions),
            coverage: overlay.coverage,
            path: !overlay.visits.is_empty() || !overlay.taken.is_empty() || overlay.coverage,
            palette: OverlayPalette::new(dark),
        }
    }

    pub(super) fn get(&self, node: NodeId) -> Mark {
        self.nodes.get(&node).copied().unwrap_or_default()
    }

    /// Off the shown path: drawn faint.
    pub(super) fn dimmed(&self, node: NodeId) -> bool {
        let m = self.get(node);
        self.path && m.visits == 0 && !m.current && !m.next && !m.failed && !m.missed
    }

    /// The colour a node's fill leans to, and how far.
    pub(super) fn tint(&self, node: NodeId) -> Option<(Color32, f32)> {
        let m = self.get(node);
        let p = &self.palette;
        if m.failed {
            Some((p.failed, 0.2))
        } else if m.missed {
            Some((p.failed, 0.12))
        } else if m.current {
            Some((p.current, 0.2))
        } else if m.visits > 0 {
            Some((p.path, 0.12))
        } else {
            None
        }
    }

    /// The solid ring drawn around a node: failed, current or visited.
    pub(super) fn ring(&self, node: NodeId) -> Option<Stroke> {
        let m = self.get(node);
        let p = &self.palette;
        if m.failed {
            Some(Stroke::new(3.0, p.failed))
        } else if m.missed {
            Some(Stroke::new(2.0, p.failed))
        } else if m.current {
            Some(Stroke::new(3.5, p.current))
        } else if m.visits > 0 {
            Some(Stroke::new(2.0, p.path))
        } else {
            None
        }
    }
}

/// The overlay's markers of a node (visit count, current, next, failed): chips standing on the
/// right of its top edge, outside the header so that the node keeps its size (and its
/// neighbours stay clear) while a run is stepped through.
pub(super) fn marks_ui(
    ui: &mut Ui,
    node: NodeId,
    rect: Rect,
    mark: Mark,
    p: &OverlayPalette,
    coverage: bool,
) {
    if mark.visits == 0 && !mark.current && !mark.next && !mark.failed && !mark.missed {
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
        .on_hover_text(if coverage {
            format!(
                "visited {} {times} by the saved scenarios' runs",
                mark.visits
            )
        } else {
            format!("visited {} {times} in the selected run", mark.visits)
        });
    }
    if mark.missed {
        chip_ui(
            &mut ui,
            RichText::new("✘ not reached").strong(),
            p.failed,
            p.on_failed,
        )
        .on_hover_text("no saved scenario reaches this activity: add one that does");
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
pub(super) fn breakpoint_ui(
    ui: &mut Ui,
    activity: &str,
    set: bool,
    red: Color32,
) -> egui::Response {
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
pub(super) fn dashed_rect(painter: &egui::Painter, rect: Rect, stroke: Stroke) {
    let corners = [
        rect.left_top(),
        rect.right_top(),
        rect.right_bottom(),
        rect.left_bottom(),
        rect.left_top(),
    ];
    painter.extend(egui::Shape::dashed_line(&corners, stroke, 6.0, 4.0));
}
