//! Where the canvas looks: one [`View`] per workflow (its zoom and pan, kept when the user goes
//! to another workflow and restored when they come back), and the views the canvas computes:
//! fitting a workflow's activities, which never zooms below [`READABLE_SCALE`] (a workflow too
//! large for the canvas at that zoom is centred on the axis it fits and shown from its entry on
//! the other: the largest readable part, starting where runs start; the user pans from there or
//! with the minimap), and 1:1. The user's own zoom stays within [`ZOOM_RANGE`], whose lower end
//! keeps titles readable.
//!
//! A view is stored relative to the canvas's top left corner, so that resizing the panels
//! around the canvas keeps the graph where it is.

use super::layout::READABLE_SCALE;
use egui::emath::TSTransform;
use egui::{Rect, Vec2};

/// The margin kept around the activities when fitting them.
pub const FIT_MARGIN: f32 = 40.0;
/// The most a fit zooms in: small workflows are shown 1:1, centred.
const FIT_MAX: f32 = 1.0;
/// How far the user may zoom out and in: at the lower end, titles are still drawn 11 px tall
/// (the canvas draws them larger than the rest below its detail zoom).
pub const ZOOM_RANGE: (f32, f32) = (0.5, 2.0);

/// The zoom and pan of one workflow's canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// Canvas units to points, relative to the canvas's top left corner.
    pub local: TSTransform,
}

impl View {
    /// The transform to screen for a canvas whose rectangle is `canvas`.
    pub fn to_global(self, canvas: Rect) -> TSTransform {
        TSTransform::from_translation(canvas.min.to_vec2()) * self.local
    }

    /// The view that a transform to screen gives for a canvas whose rectangle is `canvas`.
    pub fn from_global(to_global: TSTransform, canvas: Rect) -> View {
        View {
            local: TSTransform::from_translation(-canvas.min.to_vec2()) * to_global,
        }
    }

    /// Activities inside `bb` (canvas units) shown in a canvas of `size`: zoomed so that they
    /// fit, between [`READABLE_SCALE`] and 1:1; centred on each axis they fit along, and along
    /// an axis they do not, shown from `entry` (the rectangle of the workflow's entry, else
    /// their start): as much as reads, beginning where runs begin.
    pub fn fit(bb: Rect, size: Vec2, entry: Option<Rect>) -> View {
        if !bb.is_finite() || !bb.is_positive() || size.x <= 0.0 || size.y <= 0.0 {
            return View::one_to_one();
        }
        let bb = bb.expand(FIT_MARGIN);
        let scale = (size.x / bb.width())
            .min(size.y / bb.height())
            .clamp(READABLE_SCALE, FIT_MAX);
        let entry = entry.filter(|e| bb.contains_rect(*e));
        // The first canvas unit shown along an axis: centred when it fits, else from the entry
        // (its start edge, or its middle across), kept inside the activities' span.
        let first = |len: f32, min: f32, max: f32, from: Option<f32>| {
            let shown = len / scale;
            if max - min <= shown {
                (min + max - shown) * 0.5
            } else {
                from.unwrap_or(min).clamp(min, max - shown)
            }
        };
        let x = first(
            size.x,
            bb.min.x,
            bb.max.x,
            entry.map(|e| e.min.x - FIT_MARGIN),
        );
        let y = first(
            size.y,
            bb.min.y,
            bb.max.y,
            entry.map(|e| e.center().y - size.y / scale * 0.5),
        );
        View {
            local: TSTransform::new(-Vec2::new(x, y) * scale, scale),
        }
    }

    /// The same zoom, panned so that the canvas point `centre` is in the middle of a canvas of
    /// `size` (the minimap's click).
    pub fn centred_on(self, centre: egui::Pos2, size: Vec2) -> View {
        let now = self.visible(size).center();
        View {
            local: self.local * TSTransform::from_translation(now - centre),
        }
    }

    /// 1:1, the canvas origin 20 points in from the top left corner.
    pub fn one_to_one() -> View {
        View {
            local: TSTransform::new(Vec2::splat(20.0), 1.0),
        }
    }

    /// The part of the canvas (canvas units) shown in a canvas of `size`.
    pub fn visible(self, size: Vec2) -> Rect {
        self.local.inverse() * Rect::from_min_size(egui::Pos2::ZERO, size)
    }

    /// The same zoom, panned so that `rect` (canvas units) is inside the canvas of `size`, with a
    /// margin; unchanged when it already is.
    pub fn reveal(self, rect: Rect, size: Vec2) -> View {
        let shown = self.visible(size).shrink(FIT_MARGIN / self.local.scaling);
        let mut shift = Vec2::ZERO;
        if rect.max.x > shown.max.x {
            shift.x = shown.max.x - rect.max.x;
        }
        if rect.min.x + shift.x < shown.min.x {
            shift.x = shown.min.x - rect.min.x;
        }
        if rect.max.y > shown.max.y {
            shift.y = shown.max.y - rect.max.y;
        }
        if rect.min.y + shift.y < shown.min.y {
            shift.y = shown.min.y - rect.min.y;
        }
        View {
            local: self.local * TSTransform::from_translation(shift),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::Pos2;

    #[test]
    fn a_small_workflow_is_shown_one_to_one_and_centred() {
        let bb = Rect::from_min_size(Pos2::new(100.0, 50.0), Vec2::new(200.0, 100.0));
        let v = View::fit(bb, Vec2::new(1000.0, 600.0), None);
        assert_eq!(v.local.scaling, 1.0);
        let centre = v.local * bb.center();
        assert!(
            (centre - Pos2::new(500.0, 300.0)).length() < 0.01,
            "{centre:?}"
        );
    }

    #[test]
    fn fitting_a_large_workflow_stops_at_the_readable_zoom_and_shows_its_start() {
        let bb = Rect::from_min_size(Pos2::new(0.0, 0.0), Vec2::new(5000.0, 200.0));
        let size = Vec2::new(900.0, 600.0);
        let v = View::fit(bb, size, None);
        assert_eq!(v.local.scaling, READABLE_SCALE);
        // Its left edge (with the margin) is at the canvas's left; vertically it is centred.
        let left = v.local * Pos2::new(-FIT_MARGIN, 100.0);
        assert!(left.x.abs() < 0.01, "{left:?}");
        assert!((left.y - 300.0).abs() < 0.01, "{left:?}");
    }

    #[test]
    fn a_medium_workflow_is_zoomed_out_just_enough() {
        let bb = Rect::from_min_size(Pos2::ZERO, Vec2::new(850.0, 100.0));
        let v = View::fit(bb, Vec2::new(900.0, 600.0), None);
        assert!(v.local.scaling > READABLE_SCALE && v.local.scaling < 1.0);
        let shown = v.visible(Vec2::new(900.0, 600.0));
        assert!(shown.contains_rect(bb), "{shown:?} holds {bb:?}");
    }

    #[test]
    fn a_workflow_too_large_to_read_whole_is_shown_from_its_entry() {
        let bb = Rect::from_min_size(Pos2::new(0.0, 0.0), Vec2::new(5000.0, 3000.0));
        let entry = Rect::from_min_size(Pos2::new(2000.0, 1500.0), Vec2::new(200.0, 80.0));
        let size = Vec2::new(900.0, 600.0);
        let v = View::fit(bb, size, Some(entry));
        assert_eq!(v.local.scaling, READABLE_SCALE);
        let shown = v.visible(size);
        assert!(shown.contains_rect(entry), "{shown:?} shows {entry:?}");
        assert!(
            (shown.min.x - (entry.min.x - FIT_MARGIN)).abs() < 0.5,
            "the entry at the left: {shown:?}"
        );
        assert!((shown.center().y - entry.center().y).abs() < 0.5);
        // An entry near the end of the span: the view stops at the span's end.
        let late = Rect::from_min_size(Pos2::new(4900.0, 2950.0), Vec2::new(100.0, 50.0));
        let shown = View::fit(bb, size, Some(late)).visible(size);
        assert!(shown.max.x <= bb.max.x + FIT_MARGIN + 0.5, "{shown:?}");
        // The minimap's move keeps the zoom.
        let moved = v.centred_on(Pos2::new(100.0, 100.0), size);
        assert_eq!(moved.local.scaling, v.local.scaling);
        assert!((moved.visible(size).center() - Pos2::new(100.0, 100.0)).length() < 0.01);
    }

    #[test]
    fn a_view_survives_the_canvas_moving_and_reveal_pans_only_when_needed() {
        let canvas = Rect::from_min_size(Pos2::new(200.0, 30.0), Vec2::new(800.0, 500.0));
        let v = View {
            local: TSTransform::new(Vec2::new(15.0, -40.0), 0.8),
        };
        assert_eq!(View::from_global(v.to_global(canvas), canvas), v);
        let inside = Rect::from_min_size(Pos2::new(100.0, 100.0), Vec2::splat(50.0));
        assert_eq!(v.reveal(inside, canvas.size()), v);
        let outside = Rect::from_min_size(Pos2::new(3000.0, 100.0), Vec2::splat(50.0));
        let moved = v.reveal(outside, canvas.size());
        assert_eq!(moved.local.scaling, v.local.scaling);
        assert!(moved.visible(canvas.size()).contains_rect(outside));
    }
}
