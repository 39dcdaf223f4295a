//! Helpers the designer's UI tests share: a harness around the real app, typing into a field,
//! clicking at a place, and the canvas widgets (whose accessibility rectangles are in graph
//! coordinates).
#![allow(dead_code)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flowcall::ui::App;
use std::time::{Duration, Instant};

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

/// Presses at `from`, moves in a few steps and releases at `to`, as a hand would.
pub fn drag(h: &mut Harness<'_, App>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.step();
    h.drag_at(from);
    h.step();
    for i in 1..=6 {
        h.hover_at(from + (to - from) * (i as f32 / 6.0));
        h.step();
    }
    h.drop_at(to);
    h.step();
    h.run_ok();
}

/// Clicks a canvas widget (a "+", a node title) found by its label, where it is on screen.
pub fn click_canvas_widget(h: &mut Harness<'_, App>, label: &str) {
    let at = canvas_widget_rect(h, &h.state().canvas, label).center();
    click_at(h, at, egui::PointerButton::Primary);
}

/// Clicks the entry `label` of a menu drawn over the canvas (the palette on the left has
/// buttons with the same labels: the one right of the left panel is the menu's).
pub fn click_over_canvas(h: &mut Harness<'_, App>, label: &str) {
    let left = h.state().canvas.view_rect().left();
    let at = h
        .get_all_by_label(label)
        .map(|n| n.rect().center())
        .find(|c| c.x > left)
        .unwrap_or_else(|| panic!("no '{label}' over the canvas"));
    click_at(h, at, egui::PointerButton::Primary);
}

/// Every activity of `workflow` in the canvas's view (their nodes drawn inside it).
pub fn all_in_view(h: &Harness<'_, App>, workflow: &str) -> Result<(), String> {
    let app = h.state();
    let wf = app.design().workflow(workflow).ok_or("no workflow")?;
    let view = app.canvas.view_rect();
    for a in &wf.activities {
        let r = app
            .canvas
            .node_screen_rect(&a.id)
            .ok_or(format!("{} not laid out", a.id))?;
        if !view.contains_rect(r) {
            return Err(format!("{} at {r:?} is out of the view {view:?}", a.id));
        }
    }
    Ok(())
}

/// Steps the harness until the simulator's background job is done (at most 20 s).
pub fn wait_idle(h: &mut Harness<'_, App>) {
    let start = Instant::now();
    loop {
        h.step();
        if !h.state().simulator().busy() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the simulator is still busy after 20 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_ok();
}
