//! What the designer benchmarks share: one headless frame of the app.

use flowcall::ui::App;

/// The input of a 1400×860 window.
pub fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 860.0),
        )),
        ..Default::default()
    }
}

/// One frame of `app`: the frame code, then tessellation (no GPU); the number of meshes.
pub fn frame(ctx: &egui::Context, app: &mut App) -> usize {
    let out = ctx.run_ui(input(), |ui| app.frame_ui(ui));
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}
