//! UI tests of the designer's ergonomics (issue 23), on the real app driven by egui_kittest:
//! append and connect with the "+" of a free output, a kind dropped on a transition, deleting
//! the middle of a chain, the inspector collapsed while nothing is selected, the whole first
//! workflow of the example in view, the minimap, Ctrl+wheel, the clipboard through egui's copy,
//! cut and paste events, Ctrl+F and Ctrl+K, the arrows and Escape, the confirmation before a
//! workflow that others depend on is deleted, and a layout that holds still while problems come
//! and go.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use flowcall::model::{Activity, Design, KindTag, Port, Position, Transition, Workflow};
use flowcall::ui::{App, EditCommand, ViewCommand};
use std::collections::BTreeMap;

use crate::common::{
    all_in_view, canvas_widget_rect, click_at, click_canvas_widget, drag, harness, harness_sized,
    select_all_and_type,
};

/// The example at the size of the screen the issue was measured on.
fn example_1440() -> Harness<'static, App> {
    let app = flowcall::ui::example_app().expect("example loads");
    harness_sized(app, egui::vec2(1440.0, 900.0))
}

/// WKF1: "Incoming" (signal1) and, 400 units right of it, "Finish" (end1), with or without the
/// transition between them.
fn two(connected: bool) -> Design {
    two_at(connected, 400.0)
}

/// [`two`] with "Finish" `x` units right of "Incoming".
fn two_at(connected: bool, x: f32) -> Design {
    let mut w = Workflow::new("WKF1", "Caller");
    let s = Activity::new("signal1", "Incoming", KindTag::ExternalSignal);
    w.activities.push(s);
    let mut e = Activity::new("end1", "Finish", KindTag::End);
    e.position = Position { x, y: 0.0 };
    w.activities.push(e);
    if connected {
        w.transitions.push(link("signal1", "end1"));
    }
    let mut d = Design::default();
    d.workflows.push(w);
    d
}

fn link(from: &str, to: &str) -> Transition {
    Transition {
        from: from.into(),
        port: Port::Out,
        to: to.into(),
    }
}

fn workflow<'a>(h: &'a Harness<'_, App>, id: &str) -> &'a Workflow {
    h.state().design().workflow(id).expect("workflow")
}

fn has_link(h: &Harness<'_, App>, wf: &str, from: &str, to: &str) -> bool {
    workflow(h, wf).transitions.contains(&link(from, to))
}

fn select(h: &mut Harness<'_, App>, id: &str) {
    h.state_mut().apply(ViewCommand::Select(Some(id.into())));
    h.run_ok();
}

/// The rectangles on screen of every node of `wf`, by id.
fn node_rects(h: &Harness<'_, App>, wf: &str) -> BTreeMap<String, egui::Rect> {
    workflow(h, wf)
        .activities
        .iter()
        .filter_map(|a| Some((a.id.clone(), h.state().canvas.node_screen_rect(&a.id)?)))
        .collect()
}

fn assert_no_overlap(rects: &BTreeMap<String, egui::Rect>) {
    let all: Vec<(&String, &egui::Rect)> = rects.iter().collect();
    for (i, (a, ra)) in all.iter().enumerate() {
        for (b, rb) in &all[i + 1..] {
            assert!(!ra.intersects(**rb), "{a} {ra:?} overlaps {b} {rb:?}");
        }
    }
}

#[test]
fn the_plus_of_a_free_output_appends_a_connected_activity_in_one_undo_step() {
    let mut h = harness(App::new(two_at(false, 700.0), None, "t.flow.ron"));
    select(&mut h, "signal1");
    let before = h.state().design().clone();
    click_canvas_widget(&mut h, "Append after Incoming");
    // The menu lists only kinds that can follow: no entry.
    assert!(
        h.query_by_label("Append and connect").is_some(),
        "menu open"
    );
    h.get_by_label("Search").type_text("transfer");
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(has_link(&h, "WKF1", "signal1", "transfer1"), "connected");
    assert_eq!(h.state().selected(), Some("transfer1"));
    let rects = node_rects(&h, "WKF1");
    let (s, t) = (rects["signal1"], rects["transfer1"]);
    assert!(t.left() > s.right(), "right of its output: {s:?} {t:?}");
    assert!(
        (t.top() - s.top()).abs() < 1.0,
        "level with it: {s:?} {t:?}"
    );
    assert_no_overlap(&rects);
    assert!(h.state().canvas.view_rect().contains_rect(t), "in view");
    // The field a Transfer file needs has the focus: typing fills it.
    assert!(
        h.get_by_label("Path").is_focused(),
        "the path has the focus"
    );
    h.get_by_label("Path").type_text("'/in/' + $(vars/@x)");
    h.run_ok();
    // A selected activity with no free output has no "+": signal1 is now connected.
    select(&mut h, "signal1");
    assert!(h.query_by_label("Append after Incoming").is_none());
    h.state_mut().apply(EditCommand::Undo);
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    assert_eq!(h.state().design(), &before, "one undo step each");
}

#[test]
fn a_kind_dropped_on_a_transition_goes_between_its_two_ends() {
    let mut h = harness(App::new(two(true), None, "t.flow.ron"));
    let before = h.state().design().clone();
    let canvas = &h.state().canvas;
    let from = canvas.pin_screen_pos("signal1", true, 0).expect("out pin");
    let to = canvas.pin_screen_pos("end1", false, 0).expect("in pin");
    let middle = from + (to - from) * 0.5;
    let kind = h.get_by_label("🔄 Update data").rect().center();
    drag(&mut h, kind, middle);
    assert!(
        has_link(&h, "WKF1", "signal1", "update1"),
        "into it: {:?} {:?}",
        workflow(&h, "WKF1"),
        h.state().message()
    );
    assert!(has_link(&h, "WKF1", "update1", "end1"), "out of it");
    assert!(
        !has_link(&h, "WKF1", "signal1", "end1"),
        "the transition replaced"
    );
    assert_eq!(h.state().selected(), Some("update1"));
    let rects = node_rects(&h, "WKF1");
    assert_no_overlap(&rects);
    assert!(rects["signal1"].right() < rects["update1"].left());
    assert!(rects["update1"].right() < rects["end1"].left(), "{rects:?}");
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    assert_eq!(h.state().design(), &before, "one undo step");
}

#[test]
fn deleting_an_activity_in_a_chain_reconnects_its_neighbours() {
    let app = flowcall::ui::example_app().expect("example loads");
    let mut h = harness(app);
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF2".into()));
    h.run_ok();
    let before = h.state().design().clone();
    select(&mut h, "email1");
    h.key_press(egui::Key::Delete);
    h.run_ok();
    assert!(workflow(&h, "WKF2").activity("email1").is_none());
    assert!(has_link(&h, "WKF2", "readAudience1", "end1"), "reconnected");
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    assert_eq!(h.state().design(), &before, "one undo step");
}

#[test]
fn the_inspector_is_a_thin_strip_until_an_activity_is_selected() {
    let mut h = example_1440();
    let wide = h.state().canvas.view_rect();
    assert!(
        wide.width() > 1100.0,
        "the canvas takes the width: {wide:?}"
    );
    assert!(h.query_by_label("Label").is_none(), "no inspector fields");
    // The End at the right: selecting it opens the inspector, and it stays in view.
    select(&mut h, "end1");
    let narrow = h.state().canvas.view_rect();
    assert!(narrow.width() < wide.width() - 300.0, "{narrow:?}");
    assert_eq!(narrow.left(), wide.left(), "the canvas's left stays");
    h.get_by_label("Label");
    h.run_ok();
    let end = h.state().canvas.node_screen_rect("end1").expect("drawn");
    assert!(
        narrow.contains_rect(end),
        "the selection is in view: {end:?}"
    );
    // Escape clears the selection and gives the width back.
    h.key_press(egui::Key::Escape);
    h.run_ok();
    assert_eq!(h.state().selected(), None);
    assert_eq!(h.state().canvas.view_rect(), wide);
}

#[test]
fn the_example_first_workflow_is_in_full_view_at_1440x900_and_after_zoom_to_fit() {
    let mut h = example_1440();
    all_in_view(&h, "WKF1").unwrap();
    assert!(h.state().canvas.title_px() >= 12.0);
    assert!(!h.state().canvas.minimap_shown(), "nothing to find");
    // Zoomed in, then fitted again.
    h.state_mut().canvas.one_to_one_pending = true;
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    h.run_ok();
    all_in_view(&h, "WKF1").unwrap();
    assert!(h.state().canvas.smallest_text_px() >= 12.0);
    // Tidy layout keeps it whole.
    h.state_mut().apply(EditCommand::TidyLayout);
    h.run_ok();
    all_in_view(&h, "WKF1").unwrap();
    assert!(h.state().canvas.smallest_text_px() >= 12.0);
}

#[test]
fn tidy_layout_wraps_a_long_chain_so_that_it_is_read_whole() {
    // 12 activities in a chain: one row at the readable zoom would be 3,000 units wide.
    let mut w = Workflow::new("WKF1", "Long");
    let mut prev: Option<String> = None;
    for k in 0..12 {
        let tag = if k == 0 {
            KindTag::ExternalSignal
        } else {
            KindTag::Wait
        };
        let id = format!("a{k}");
        let mut a = Activity::new(&id, format!("Step {k}"), tag);
        a.position = Position {
            x: 250.0 * k as f32,
            y: 0.0,
        };
        w.activities.push(a);
        if let Some(p) = prev {
            w.transitions.push(link(&p, &id));
        }
        prev = Some(id);
    }
    let mut d = Design::default();
    d.workflows.push(w);
    let mut h = harness_sized(App::new(d, None, "t"), egui::vec2(1440.0, 900.0));
    assert!(
        all_in_view(&h, "WKF1").is_err(),
        "one long row does not fit"
    );
    h.state_mut().apply(EditCommand::TidyLayout);
    h.run_ok();
    all_in_view(&h, "WKF1").unwrap();
    assert!(h.state().canvas.smallest_text_px() >= 12.0);
    assert_no_overlap(&node_rects(&h, "WKF1"));
}

#[test]
fn the_minimap_shows_a_workflow_too_large_for_the_view_and_a_click_moves_the_view() {
    let design = flowcall::model::generated_design(1, 200);
    let mut h = harness_sized(App::new(design, None, "big"), egui::vec2(1440.0, 900.0));
    assert!(h.state().canvas.minimap_shown());
    let map = h.get_by_label("Minimap").rect();
    assert!(h.state().canvas.view_rect().contains_rect(map), "{map:?}");
    let before = h.state().canvas.to_global;
    let at = egui::pos2(map.right() - 8.0, map.center().y);
    click_at(&mut h, at, egui::PointerButton::Primary);
    h.run_ok();
    let after = h.state().canvas.to_global;
    assert!(
        (after.scaling - before.scaling).abs() < 1e-4,
        "the zoom stays"
    );
    assert!(
        after.translation.x < before.translation.x - 100.0,
        "the view went right: {before:?} -> {after:?}"
    );
    // Dragging on it moves the view too.
    let map = h.get_by_label("Minimap").rect();
    drag(
        &mut h,
        map.center(),
        map.left_center() + egui::vec2(8.0, 0.0),
    );
    assert!(h.state().canvas.to_global.translation.x > after.translation.x + 100.0);
    // It can be hidden.
    h.state_mut().apply(ViewCommand::ToggleMinimap);
    h.run_ok();
    assert!(!h.state().canvas.minimap_shown());
}

#[test]
fn ctrl_wheel_zooms_in_small_steps_and_never_below_readable_titles() {
    let mut h = example_1440();
    let at = h.state().canvas.view_rect().center();
    let notch = |h: &mut Harness<'_, App>, dy: f32| {
        h.hover_at(at);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, dy),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::COMMAND,
        });
        for _ in 0..30 {
            h.step();
        }
        h.run_ok();
    };
    let start = h.state().canvas.scale;
    notch(&mut h, -1.0);
    let one = h.state().canvas.scale;
    assert!(
        one < start && one > start * 0.85,
        "one notch: {start} -> {one}"
    );
    for _ in 0..40 {
        notch(&mut h, -1.0);
    }
    let least = h.state().canvas.scale;
    assert!(
        (least - flowcall::ui::ZOOM_RANGE.0).abs() < 1e-3,
        "zoomed out to {least}"
    );
    // Titles are drawn larger there: still 11 px on screen.
    let title = canvas_widget_rect(&h, &h.state().canvas, "File dropped");
    assert!(title.height() >= 11.0, "title {title:?} at {least}");
}

#[test]
fn copy_and_paste_go_through_the_copy_and_paste_events_and_never_land_on_a_node() {
    let mut h = example_1440();
    select(&mut h, "load1");
    h.event(egui::Event::Copy);
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .expect("the activity is copied as text");
    assert!(copied.starts_with("// flowcall activities"), "{copied}");
    h.run_ok();
    // Pasted with the pointer over another node: it lands near, on no node.
    let on = h.state().canvas.node_screen_rect("update1").expect("drawn");
    h.hover_at(on.center());
    h.step();
    h.event(egui::Event::Paste(copied.clone()));
    h.run_ok();
    assert!(workflow(&h, "WKF1").activity("load2").is_some(), "pasted");
    assert_eq!(h.state().selected(), Some("load2"));
    assert_no_overlap(&node_rects(&h, "WKF1"));
    // Pasted again with the pointer off the canvas: beside the original, on no node.
    h.hover_at(egui::pos2(5.0, 600.0));
    h.step();
    h.event(egui::Event::Paste(copied));
    h.run_ok();
    assert!(workflow(&h, "WKF1").activity("load3").is_some());
    assert_no_overlap(&node_rects(&h, "WKF1"));
    // Cut: copied, then gone.
    h.event(egui::Event::Cut);
    h.run_ok();
    assert!(workflow(&h, "WKF1").activity("load3").is_none(), "cut");
    // Ctrl+D duplicates.
    select(&mut h, "test1");
    let n = workflow(&h, "WKF1").activities.len();
    let clip_before = h.state().design().clone();
    h.event(egui::Event::Paste("hello".into()));
    h.run_ok();
    // Text that is not activities: the designer's own clipboard (load1's copy) is pasted.
    assert_eq!(workflow(&h, "WKF1").activities.len(), n + 1);
    assert!(workflow(&h, "WKF1").activity("load3").is_some());
    h.state_mut().apply(EditCommand::Undo);
    h.run_ok();
    assert_eq!(h.state().design(), &clip_before);
    select(&mut h, "test1");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run_ok();
    assert!(
        workflow(&h, "WKF1").activity("test2").is_some(),
        "duplicated"
    );
    assert_eq!(h.state().selected(), Some("test2"));
    assert_no_overlap(&node_rects(&h, "WKF1"));
}

#[test]
fn a_focused_text_field_keeps_copy_and_paste_for_itself() {
    let mut h = example_1440();
    select(&mut h, "transfer1");
    h.get_by_label("Path").focus();
    h.run_ok();
    let n = workflow(&h, "WKF1").activities.len();
    h.event(egui::Event::Copy);
    h.event(egui::Event::Paste("x".into()));
    h.run_ok();
    assert_eq!(
        workflow(&h, "WKF1").activities.len(),
        n,
        "no activity pasted"
    );
}

#[test]
fn ctrl_f_finds_an_activity_in_another_workflow_and_shows_it() {
    let mut h = example_1440();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_ok();
    // By label, any case: WKF2's signal.
    h.get_by_label("Find activity").type_text("audience READY");
    h.run_ok();
    h.get_by_label_contains("Audience ready (signal1) in WKF2");
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert_eq!(h.state().current_workflow(), Some("WKF2"));
    assert_eq!(h.state().selected(), Some("signal1"));
    let view = h.state().canvas.view_rect();
    let node = h.state().canvas.node_screen_rect("signal1").expect("drawn");
    assert!(view.contains_rect(node), "{node:?} in {view:?}");
    // By id, too.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_ok();
    h.get_by_label("Find activity").type_text("transfer1");
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert_eq!(h.state().current_workflow(), Some("WKF1"));
    assert_eq!(h.state().selected(), Some("transfer1"));
}

#[test]
fn ctrl_k_lists_activities_as_well_as_commands() {
    let mut h = example_1440();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_ok();
    h.get_by_label("Command").type_text("read");
    h.run_ok();
    h.get_by_label_contains("Go to Read audience (readAudience1) in WKF2")
        .click();
    h.run_ok();
    assert_eq!(h.state().current_workflow(), Some("WKF2"));
    assert_eq!(h.state().selected(), Some("readAudience1"));
}

#[test]
fn the_arrows_nudge_the_selection_and_escape_clears_it() {
    let mut h = harness(App::new(two(false), None, "t.flow.ron"));
    select(&mut h, "end1");
    let at = |h: &Harness<'_, App>| workflow(h, "WKF1").activity("end1").expect("end").position;
    let start = at(&h);
    h.key_press(egui::Key::ArrowRight);
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowDown);
    h.run_ok();
    assert_eq!(
        at(&h),
        Position {
            x: start.x + 10.0,
            y: start.y + 40.0
        }
    );
    h.key_press(egui::Key::Escape);
    h.run_ok();
    assert_eq!(h.state().selected(), None);
    h.key_press(egui::Key::ArrowRight);
    h.run_ok();
    assert_eq!(at(&h).x, start.x + 10.0, "nothing selected, nothing moves");
}

#[test]
fn deleting_a_workflow_that_others_depend_on_asks_first_and_names_them() {
    let mut h = example_1440();
    // WKF2 is triggered by WKF1's End.
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF2".into()));
    h.run_ok();
    h.get_by_label("Delete workflow").click();
    h.run_ok();
    h.get_by_label("Delete workflow WKF2?");
    h.get_by_label_contains("the End 'Trigger the discount email' of WKF1");
    assert!(h.state().design().workflow("WKF2").is_some(), "not yet");
    h.get_by_label("Cancel").click();
    h.run_ok();
    assert!(h.query_by_label("Delete workflow WKF2?").is_none());
    assert!(h.state().design().workflow("WKF2").is_some(), "cancelled");
    // WKF1 has 9 saved scenarios: named, then deleted on Delete, and back with Undo.
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF1".into()));
    h.run_ok();
    h.get_by_label("Delete workflow").click();
    h.run_ok();
    h.get_by_label_contains("saved scenarios: import the January file");
    h.get_by_label("Delete").click();
    h.run_ok();
    assert!(h.state().design().workflow("WKF1").is_none(), "deleted");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_ok();
    assert!(h.state().design().workflow("WKF1").is_some(), "undone");
}

#[test]
fn a_workflow_nothing_depends_on_is_deleted_at_once_with_an_undo_toast() {
    let mut h = harness(App::new(two(false), None, "t.flow.ron"));
    h.state_mut().apply(EditCommand::AddWorkflow);
    h.run_ok();
    assert_eq!(
        workflow(&h, "WKF2").label,
        "Workflow 2",
        "a label of its own"
    );
    h.get_by_label("Delete workflow").click();
    h.run_ok();
    assert!(h.state().design().workflow("WKF2").is_none());
    h.get_by_label_contains("Deleted workflow WKF2");
    h.get_by_label("Undo").click();
    h.run_ok();
    assert!(h.state().design().workflow("WKF2").is_some(), "back");
}

/// Every labelled widget on screen and its rectangle: (role, label) to rectangle, for the
/// labels that appear once.
fn layout_of(h: &Harness<'_, App>) -> BTreeMap<String, egui::Rect> {
    let mut seen: BTreeMap<String, Option<egui::Rect>> = BTreeMap::new();
    let mut stack = vec![h.root()];
    while let Some(n) = stack.pop() {
        let node = n.accesskit_node();
        if let (Some(label), Some(_)) = (node.label(), node.bounding_box()) {
            let key = format!("{:?} {label}", node.role());
            let rect = n.rect();
            seen.entry(key)
                .and_modify(|r| *r = None)
                .or_insert(Some(rect));
        }
        stack.extend(n.children());
    }
    seen.into_iter()
        .filter_map(|(k, r)| Some((k, r?)))
        .collect()
}

/// The widgets of `a` that are in `b` too and moved.
fn moved(a: &BTreeMap<String, egui::Rect>, b: &BTreeMap<String, egui::Rect>) -> Vec<String> {
    a.iter()
        .filter_map(|(k, r)| {
            let s = b.get(k)?;
            ((r.min - s.min).length() > 0.5 || (r.size() - s.size()).length() > 0.5)
                .then(|| format!("{k}: {r:?} -> {s:?}"))
        })
        .collect()
}

#[test]
fn nothing_moves_when_a_problem_appears_or_disappears() {
    let mut h = example_1440();
    select(&mut h, "test1");
    h.run_ok();
    let clean = layout_of(&h);
    assert!(clean.len() > 40, "{} widgets", clean.len());
    // A bad condition: its problem shows in the line kept for it.
    select_all_and_type(&mut h, "Condition hasRecords", "$long(vars/@recCount) >");
    let broken = layout_of(&h);
    assert!(
        broken.keys().any(|k| k.contains("condition 'hasRecords'")),
        "the problem is shown"
    );
    let m = moved(&clean, &broken);
    assert!(
        m.is_empty(),
        "moved when the problem appeared:\n{}",
        m.join("\n")
    );
    // Fixed: it goes, and nothing moves either.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    select_all_and_type(&mut h, "Condition hasRecords", "$long(vars/@recCount) > 0");
    let fixed = layout_of(&h);
    let m = moved(&broken, &fixed);
    assert!(
        m.is_empty(),
        "moved when the problem went:\n{}",
        m.join("\n")
    );
    // A parameter's problem is an icon in its row: the rows below stay.
    select(&mut h, "signal1");
    let rows = layout_of(&h);
    let second = h.get_all_by_label("Name").nth(1).expect("second").rect();
    select_all_and_type_nth(&mut h, 1, "fileToTarget");
    assert!(
        h.state()
            .diagnostics()
            .iter()
            .any(|d| d.message.contains("fileToTarget")),
        "a duplicate name is a problem"
    );
    let after = layout_of(&h);
    let m = moved(&rows, &after);
    assert!(
        m.is_empty(),
        "moved with a parameter's problem:\n{}",
        m.join("\n")
    );
    let again = h.get_all_by_label("Name").nth(1).expect("second").rect();
    assert_eq!(second, again);
}

/// Focuses the `n`-th field labelled "Name", selects its text and types `text` over it.
fn select_all_and_type_nth(h: &mut Harness<'_, App>, n: usize, text: &str) {
    h.get_all_by_label("Name").nth(n).expect("field").focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_all_by_label("Name")
        .nth(n)
        .expect("field")
        .type_text(text);
    h.run_ok();
}

#[test]
fn the_bottom_panel_keeps_the_height_the_user_gives_it() {
    let mut h = example_1440();
    let canvas = h.state().canvas.view_rect();
    // Many problems at once: every transition of WKF1 removed.
    let links: Vec<Transition> = workflow(&h, "WKF1").transitions.clone();
    for t in links {
        h.state_mut().apply(EditCommand::Disconnect {
            workflow: "WKF1".into(),
            from: t.from,
            port: t.port,
            to: t.to,
        });
    }
    h.run_ok();
    assert!(h.state().diagnostics().len() > 5);
    assert_eq!(
        h.state().canvas.view_rect(),
        canvas,
        "the panel did not grow"
    );
    for tab in ["Simulator", "Scenarios", "Batch", "Problems"] {
        h.get_by_label(tab).click();
        h.run_ok();
        assert_eq!(
            h.state().canvas.view_rect(),
            canvas,
            "{tab} did not resize it"
        );
    }
    // Dragged: it takes that height and keeps it.
    let grip = canvas.bottom() + 6.0;
    let x = canvas.center().x;
    drag(&mut h, egui::pos2(x, grip), egui::pos2(x, grip - 120.0));
    let taller = h.state().canvas.view_rect();
    assert!(
        (taller.bottom() - (canvas.bottom() - 120.0)).abs() < 8.0,
        "{taller:?}"
    );
    h.get_by_label("Simulator").click();
    h.run_ok();
    assert_eq!(h.state().canvas.view_rect(), taller);
}

#[test]
fn a_new_parameter_has_its_name_selected_so_that_typing_names_it() {
    let mut h = harness(App::new(two(false), None, "t.flow.ron"));
    select(&mut h, "signal1");
    h.get_by_label("Add parameter").click();
    h.run_ok();
    // Typed straight away, without a click: it replaces "param1".
    h.event(egui::Event::Text("fileToTarget".into()));
    h.run_ok();
    let c = h
        .state()
        .design()
        .signal("WKF1", "signal1")
        .expect("signal")
        .clone();
    assert_eq!(c.parameters[0].name, "fileToTarget");
}

#[test]
fn the_end_target_list_offers_a_new_workflow_and_names_nothing_empty() {
    let mut h = harness(App::new(two(true), None, "t.flow.ron"));
    select(&mut h, "end1");
    h.get_by_label("Trigger an external signal").click();
    h.run_ok();
    // No workflow to target yet: the problem says so without an empty name.
    for d in h.state().diagnostics() {
        assert!(!d.message.contains("''"), "{}", d.message);
    }
    h.get_by_label("Target workflow").click();
    h.run_ok();
    h.get_by_label("New workflow…").click();
    h.run_ok();
    assert_eq!(h.state().current_workflow(), Some("WKF2"));
    assert_eq!(
        h.state().selected(),
        Some("signal1"),
        "its signal, to declare"
    );
    assert_eq!(workflow(&h, "WKF2").label, "Workflow 2");
    let end = workflow(&h, "WKF1").activity("end1").expect("end").clone();
    let flowcall::model::ActivityKind::End(e) = &end.kind else {
        panic!("an End");
    };
    let t = e.trigger.as_ref().expect("triggers");
    assert_eq!(
        (t.workflow.as_str(), t.signal.as_str()),
        ("WKF2", "signal1")
    );
    // Back to WKF1: the End is selected again.
    h.state_mut()
        .apply(ViewCommand::SelectWorkflow("WKF1".into()));
    h.run_ok();
    assert_eq!(h.state().selected(), Some("end1"));
}

#[test]
fn a_parameter_the_caller_has_a_variable_for_is_passed_in_one_click() {
    let app = flowcall::ui::example_app().expect("example loads");
    let mut h = harness(app);
    // WKF1/end1 passes discountDesc already; take it away, then offer it back.
    select(&mut h, "end1");
    h.get_by_label("Value of discountDesc").focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.key_press(egui::Key::Backspace);
    h.run_ok();
    // Unfocused, the empty row is dropped.
    h.key_press(egui::Key::Escape);
    h.run_ok();
    h.get_by_label("Pass $(vars/@discountDesc) as discountDesc")
        .click();
    h.run_ok();
    let end = workflow(&h, "WKF1").activity("end1").expect("end").clone();
    let flowcall::model::ActivityKind::End(e) = &end.kind else {
        panic!("an End");
    };
    let passed = e
        .trigger
        .as_ref()
        .and_then(|t| t.parameters.iter().find(|p| p.name == "discountDesc"))
        .map(|p| p.expression.clone());
    assert_eq!(passed.as_deref(), Some("$(vars/@discountDesc)"));
}
