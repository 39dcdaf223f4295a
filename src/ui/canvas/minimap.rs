//! The minimap: the whole workflow drawn small in the canvas's bottom right corner (each
//! activity a block in its family's colour), with the part in view outlined. A click or a drag
//! on it moves the view there. It shows only while part of the workflow is out of view (when
//! all of it is in view there is nothing to find), so that it never covers a workflow shown
//! whole.

use crate::ui::theme::{self, CanvasPalette};
use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};

/// The largest the minimap is, in points.
const MAX_SIZE: Vec2 = Vec2::new(200.0, 130.0);
/// Its distance from the canvas's edges.
const INSET: f32 = 12.0;
/// The margin inside it.
const PAD: f32 = 6.0;

/// The map between canvas units and the minimap's rectangle on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Map {
    /// The canvas units shown (the activities and the view).
    pub world: Rect,
    /// Where it is on screen.
    pub screen: Rect,
}

impl Map {
    /// The map of `world` (canvas units) into the bottom right corner of `canvas` (screen).
    pub fn new(world: Rect, canvas: Rect) -> Option<Map> {
        if !world.is_positive() || !world.is_finite() {
            return None;
        }
        let room = (MAX_SIZE - Vec2::splat(2.0 * PAD)).max(Vec2::splat(1.0));
        let scale = (room.x / world.width()).min(room.y / world.height());
        let size = world.size() * scale + Vec2::splat(2.0 * PAD);
        let corner = canvas.max - Vec2::splat(INSET);
        let screen = Rect::from_min_max(corner - size, corner);
        (canvas.width() > size.x * 2.0 && canvas.height() > size.y * 2.0)
            .then_some(Map { world, screen })
    }

    fn scale(self) -> f32 {
        (self.screen.width() - 2.0 * PAD) / self.world.width()
    }

    /// A canvas point on screen.
    pub fn to_screen(self, p: Pos2) -> Pos2 {
        self.screen.min + Vec2::splat(PAD) + (p - self.world.min) * self.scale()
    }

    /// The canvas point under a screen point of the minimap.
    pub fn to_world(self, p: Pos2) -> Pos2 {
        self.world.min + (p - self.screen.min - Vec2::splat(PAD)) / self.scale()
    }

    fn rect_to_screen(self, r: Rect) -> Rect {
        Rect::from_min_max(self.to_screen(r.min), self.to_screen(r.max))
    }
}

/// Draws the minimap of `nodes` (canvas rectangles and their colours) with `visible` (the part
/// in view) outlined, on its own layer above the canvas. Gives the canvas point to centre the
/// view on when it is clicked or dragged.
pub fn minimap_ui(
    ctx: &egui::Context,
    map: Map,
    nodes: &[(Rect, Color32)],
    visible: Rect,
    palette: &CanvasPalette,
) -> Option<Pos2> {
    let id = egui::Id::unique("canvas-minimap");
    egui::Area::new(id)
        .order(egui::Order::Middle)
        .fixed_pos(map.screen.min)
        .constrain(false)
        .fade_in(false)
        .show(ctx, |ui| {
            let (rect, r) = ui.allocate_exact_size(map.screen.size(), Sense::click_and_drag());
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Minimap"));
            let painter = ui.painter();
            painter.rect_filled(rect, 4.0, palette.node.gamma_multiply(0.92));
            painter.rect_stroke(
                rect,
                4.0,
                Stroke::new(1.0, palette.wire),
                egui::StrokeKind::Inside,
            );
            let clip = painter.with_clip_rect(rect.shrink(1.0));
            for (r, color) in nodes {
                let block = map.rect_to_screen(*r);
                let block = Rect::from_min_size(block.min, block.size().max(Vec2::splat(2.0)));
                clip.rect_filled(block, 1.0, *color);
            }
            let view = map.rect_to_screen(visible).intersect(rect);
            clip.rect_stroke(
                view,
                2.0,
                Stroke::new(1.5, theme::SELECTED),
                egui::StrokeKind::Inside,
            );
            let r = r.on_hover_text("Minimap: click or drag to move the view");
            let pressed = r.is_pointer_button_down_on() || r.clicked() || r.dragged();
            pressed
                .then(|| r.interact_pointer_pos())
                .flatten()
                .map(|p| map.to_world(p.clamp(rect.min, rect.max)))
        })
        .inner
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::*;

    #[test]
    fn the_map_goes_both_ways_and_keeps_the_shape() {
        let world = Rect::from_min_size(Pos2::new(-100.0, 50.0), Vec2::new(4000.0, 1000.0));
        let canvas = Rect::from_min_size(Pos2::new(200.0, 30.0), Vec2::new(1100.0, 700.0));
        let map = Map::new(world, canvas).expect("room for it");
        assert!(canvas.contains_rect(map.screen));
        assert!(map.screen.width() <= MAX_SIZE.x + 0.01);
        let p = Pos2::new(1234.0, 567.0);
        assert!((map.to_world(map.to_screen(p)) - p).length() < 0.01);
        let inner = map.screen.shrink(PAD);
        let ratio = inner.width() / inner.height();
        assert!((ratio - 4.0).abs() < 0.01, "{ratio}");
        // No room on a tiny canvas.
        let tiny = Rect::from_min_size(Pos2::ZERO, Vec2::new(250.0, 120.0));
        assert!(Map::new(world, tiny).is_none());
    }
}
