//! Helpers the designer's UI tests share: a harness around the real app, typing into a field,
//! clicking at a place, and the canvas widgets (whose accessibility rectangles are in graph
//! coordinates).
#![allow(dead_code)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flowcall::ui::App;

/// A headless 1600×1100 window on `app`, after its first frames.
pub fn harness(app: App) -> Harness<'static, App> {
    harness_sized(app, egui::vec2(1600.0, 1100.0))
}

/// A headless window of `size` on `app`, after its first frames (wide enough, the whole of a
/// workflow is in view at the readable zoom: the canvas draws only what is in view).
pub fn harness_sized(app: App, size: egui::Vec2) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut App| app.frame_ui(ui), app);
    h.run_ok();
    h
}

/// Focuses the field with this accessible label, selects its text and types `text` over it.
pub fn select_all_and_type(h: &mut Harness<'_, App>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_by_label(label).type_text(text);
    h.run_ok();
}

/// Where a canvas widget found by its label is on screen: accesskit gives the rectangles of
/// widgets inside the canvas in graph coordinates.
pub fn canvas_widget_rect<S>(
    h: &Harness<'_, S>,
    canvas: &flowcall::ui::Canvas,
    label: &str,
) -> egui::Rect {
    canvas.to_global * h.get_by_label(label).rect()
}

/// Hovers `at`, then presses and releases `button` there.
pub fn click_at(h: &mut Harness<'_, App>, at: egui::Pos2, button: egui::PointerButton) {
    h.hover_at(at);
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.run_ok();
}

/// Clicks the breakpoint toggle of an activity, where it is on screen.
pub fn click_breakpoint_toggle(h: &mut Harness<'_, App>, activity: &str) {
    let label = format!("Breakpoint on {activity}");
    let at = canvas_widget_rect(h, &h.state().canvas, &label).center();
    click_at(h, at, egui::PointerButton::Primary);
}
