//! The simulator's [`Overlay`] on the canvas: mapped onto the layout's nodes and wires once per
//! frame ([`Marks`]), and the pieces drawn from it: the chips standing on a node (visit count,
//! current, next, failed, not reached by any scenario), the count chip of a transition, the breakpoint toggle of a header,
//! the dashed frame of the next activity.

use super::layout::{Layout, TEXT_SIZE};
use crate::sim::VisitStatus;
use crate::ui::overlay::Overlay;
use crate::ui::theme::OverlayPalette;
use egui::{Color32, FontFamily, FontId, Pos2, Rect, Stroke, Ui, Vec2};

/// What the overlay says about one node.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mark {
    /// Visits in the shown run.
    pub visits: usize,
    /// The stepping simulation visited it last.
    pub current: bool,
    /// The stepping simulation visits it next.
    pub next: bool,
    /// It failed in the shown run.
    pub failed: bool,
    /// It has a breakpoint.
    pub breakpoint: bool,
    /// No saved scenario reaches it (coverage shown).
    pub missed: bool,
    /// Its latest visit in the shown run did not run it: held, skipped or suspended.
    pub kept: Option<VisitStatus>,
}

/// What the overlay says about one wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WireMark {
    /// The shown run took it.
    pub taken: bool,
    /// The population that went through it, when counted.
    pub count: Option<usize>,
    /// No saved scenario takes it (coverage shown).
    pub missed: bool,
}

/// The [`Overlay`] mapped onto a layout's nodes and wires, for one frame.
pub struct Marks {
    nodes: Vec<Mark>,
    wires: Vec<WireMark>,
    /// Output pins (node, pin) with a taken wire.
    taken_pins: std::collections::HashSet<(usize, usize)>,
    /// A run's path is shown: nodes and wires off the path are drawn faint.
    pub path: bool,
    /// The saved scenarios' coverage is shown rather than a run.
    pub coverage: bool,
    /// The run shown.
    pub run: Option<crate::sim::RunId>,
    /// The overlay's colours.
    pub palette: OverlayPalette,
}

impl Marks {
    /// The overlay on `layout`'s nodes and wires.
    pub fn new(overlay: &Overlay, layout: &Layout, dark: bool) -> Marks {
        let mut nodes = vec![Mark::default(); layout.nodes.len()];
        let mut mark = |id: &str, set: &dyn Fn(&mut Mark)| {
            if let Some(m) = layout.by_id.get(id).and_then(|i| nodes.get_mut(*i)) {
                set(m);
            }
        };
        for (id, visits) in &overlay.visits {
            mark(id, &|m| m.visits = *visits);
        }
        for id in &overlay.failed {
            mark(id, &|m| m.failed = true);
        }
        for (id, status) in &overlay.kept {
            mark(id, &|m| m.kept = Some(*status));
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
        let wires = if overlay.taken.is_empty() && overlay.missed_transitions.is_empty() {
            vec![WireMark::default(); layout.wires.len()]
        } else {
            layout
                .wires
                .iter()
                .map(|w| {
                    let (from, to) = (&layout.nodes[w.from], &layout.nodes[w.to]);
                    let key = (
                        from.id.clone(),
                        from.outputs[w.output].port.clone(),
                        to.id.clone(),
                    );
                    WireMark {
                        taken: overlay.taken.contains(&key),
                        count: overlay.counts.get(&key).copied(),
                        missed: overlay.missed_transitions.contains(&key),
                    }
                })
                .collect()
        };
        let taken_pins = layout
            .wires
            .iter()
            .zip(&wires)
            .filter(|(_, m)| m.taken)
            .map(|(w, _)| (w.from, w.output))
            .collect();
        Marks {
            nodes,
            wires,
            taken_pins,
            path: !overlay.visits.is_empty() || !overlay.taken.is_empty() || overlay.coverage,
            coverage: overlay.coverage,
            run: overlay.run,
            palette: OverlayPalette::new(dark),
        }
    }

    /// The mark of node `i`.
    pub fn node(&self, i: usize) -> Mark {
        self.nodes.get(i).copied().unwrap_or_default()
    }

    /// The mark of wire `i`.
    pub fn wire(&self, i: usize) -> WireMark {
        self.wires.get(i).copied().unwrap_or_default()
    }

    /// Whether output pin `pin` of node `node` has a taken wire.
    pub fn pin_taken(&self, node: usize, pin: usize) -> bool {
        self.taken_pins.contains(&(node, pin))
    }

    /// Off the shown path: drawn faint.
    pub fn dimmed(&self, i: usize) -> bool {
        let m = self.node(i);
        self.path
            && m.visits == 0
            && !m.current
            && !m.next
            && !m.failed
            && !m.missed
            && m.kept.is_none()
    }

    /// The colour a node's fill leans to, and how far.
    pub fn tint(&self, i: usize) -> Option<(Color32, f32)> {
        let m = self.node(i);
        let p = &self.palette;
        if m.failed || m.kept == Some(VisitStatus::Suspended) {
            Some((p.failed, 0.22))
        } else if m.kept == Some(VisitStatus::Held) {
            Some((p.next, 0.22))
        } else if m.kept == Some(VisitStatus::Skipped) {
            Some((p.untaken, 0.22))
        } else if m.missed {
            Some((p.failed, 0.12))
        } else if m.current {
            Some((p.current, 0.22))
        } else if m.visits > 0 {
            Some((p.path, 0.14))
        } else {
            None
        }
    }

    /// The solid ring drawn around a node: failed, current or visited.
    pub fn ring(&self, i: usize) -> Option<Stroke> {
        let m = self.node(i);
        let p = &self.palette;
        if m.failed || m.kept == Some(VisitStatus::Suspended) {
            Some(Stroke::new(3.0, p.failed))
        } else if m.kept == Some(VisitStatus::Held) {
            Some(Stroke::new(3.0, p.next))
        } else if m.kept == Some(VisitStatus::Skipped) {
            Some(Stroke::new(2.0, p.untaken))
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

/// The chip of an activity whose latest visit did not run it: (key, text, colours, hover).
fn kept_chip(
    kept: Option<VisitStatus>,
    p: &OverlayPalette,
) -> Option<(&'static str, &'static str, (Color32, Color32), &'static str)> {
    match kept? {
        VisitStatus::Suspended => Some((
            "suspended",
            "⚠ suspended",
            (p.failed, p.on_failed),
            "this activity failed and suspended its workflow (Erroneous): Resume runs it again",
        )),
        VisitStatus::Held => Some((
            "held",
            "⏸ held",
            (p.next, p.on_next),
            "Enable but do not execute: the branch waits here until released (Simulator tab, or \
             this node's right-click menu)",
        )),
        VisitStatus::Skipped => Some((
            "skipped",
            "⊘ skipped",
            (p.untaken, p.on_path),
            "Do not enable: the branch ended here without running it",
        )),
        VisitStatus::Ran => None,
    }
}

/// A rounded chip with `text` on `fill`, its left edge at `left` and vertical centre at `y`
/// (canvas units), or its right edge when `from_right`; registered for screen readers as a
/// label, with `hover` as its tooltip. Returns its rectangle.
#[allow(clippy::too_many_arguments)]
pub fn chip_ui(
    ui: &mut Ui,
    id: egui::Id,
    at: Pos2,
    from_right: bool,
    text: &str,
    colors: (Color32, Color32),
    hover: &str,
) -> Rect {
    let galley = ui.painter().layout_no_wrap(
        text.to_owned(),
        FontId::new(TEXT_SIZE, FontFamily::Proportional),
        colors.1,
    );
    let size = galley.size() + Vec2::new(10.0, 4.0);
    let min = if from_right {
        Pos2::new(at.x - size.x, at.y - size.y * 0.5)
    } else {
        Pos2::new(at.x, at.y - size.y * 0.5)
    };
    let rect = Rect::from_min_size(min, size);
    if ui.is_rect_visible(rect) {
        ui.painter().rect_filled(rect, 5.0, colors.0);
        ui.painter()
            .galley(rect.min + Vec2::new(5.0, 2.0), galley, colors.1);
    }
    let text = text.to_owned();
    let r = ui.interact(rect, id, egui::Sense::hover());
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    if !hover.is_empty() {
        r.on_hover_text(hover);
    }
    rect
}

/// The overlay's chips of node `i` (visit count, current, next, failed), standing on the right
/// of its top edge, outside the node so that it keeps its size while a run is stepped through.
pub fn node_chips_ui(
    ui: &mut Ui,
    i: usize,
    rect: Rect,
    mark: Mark,
    p: &OverlayPalette,
    coverage: bool,
) {
    let mut right = rect.right() - 8.0;
    let y = rect.top() - 2.0;
    let base = egui::Id::unique(("canvas-mark", i));
    let mut chip = |key: &str, text: String, colors: (Color32, Color32), hover: String| {
        let r = chip_ui(
            ui,
            base.with(key),
            Pos2::new(right, y),
            true,
            &text,
            colors,
            &hover,
        );
        right = r.left() - 3.0;
    };
    if mark.failed {
        chip(
            "failed",
            "✖ failed".into(),
            (p.failed, p.on_failed),
            "this activity failed in the selected run".into(),
        );
    }
    if let Some((key, text, colors, hover)) = kept_chip(mark.kept, p) {
        chip(key, text.into(), colors, hover.into());
    }
    if mark.next {
        chip(
            "next",
            "⏭ next".into(),
            (p.next, p.on_next),
            "the stepping simulation visits this activity next".into(),
        );
    }
    if mark.current {
        chip(
            "current",
            "⏵ current".into(),
            (p.current, p.on_current),
            "the stepping simulation visited this activity last".into(),
        );
    }
    if mark.visits > 0 {
        let times = if mark.visits == 1 { "time" } else { "times" };
        chip(
            "visits",
            format!("✔ {}", mark.visits),
            (p.path, p.on_path),
            if coverage {
                format!(
                    "visited {} {times} by the saved scenarios' runs",
                    mark.visits
                )
            } else {
                format!("visited {} {times} in the selected run", mark.visits)
            },
        );
    }
    if mark.missed {
        chip(
            "missed",
            "✖ not reached".into(),
            (p.failed, p.on_failed),
            "no saved scenario reaches this activity: add one that does".into(),
        );
    }
}

/// The breakpoint toggle of a node's header, in `rect`: a red dot when set, a faint ring to
/// click when not. Its accessible name is `Breakpoint on <activity>`, checked when set.
pub fn breakpoint_ui(
    ui: &mut Ui,
    rect: Rect,
    activity: &str,
    set: bool,
    colors: (Color32, Color32),
) -> egui::Response {
    let resp = ui.interact(
        rect,
        egui::Id::unique(("canvas-breakpoint", activity)),
        egui::Sense::click(),
    );
    let label = format!("Breakpoint on {activity}");
    resp.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, set, &label));
    if ui.is_rect_visible(rect) {
        let (centre, radius) = (rect.center(), rect.width() * 0.32);
        let (red, faint) = colors;
        if set {
            ui.painter().circle_filled(centre, radius, red);
        } else {
            let color = if resp.hovered() { red } else { faint };
            ui.painter()
                .circle_stroke(centre, radius, Stroke::new(1.5, color));
        }
    }
    resp.on_hover_text(if set {
        "Breakpoint: the simulator stops before it visits this activity. Click to clear it."
    } else {
        "Click to set a breakpoint: the simulator stops before it visits this activity."
    })
}

/// A dashed rectangle.
pub fn dashed_rect(painter: &egui::Painter, rect: Rect, stroke: Stroke) {
    let corners = [
        rect.left_top(),
        rect.right_top(),
        rect.right_bottom(),
        rect.left_bottom(),
        rect.left_top(),
    ];
    painter.extend(egui::Shape::dashed_line(&corners, stroke, 6.0, 4.0));
}

/// A population count as people read it: `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
