//! The seed's use case built as a new user builds it, from File > New, at 1440×900, counting
//! what the user does: each click, drag, key chord or typed field is one action (issue 23 asks
//! for at most 40 to a finished chained run).
//!
//! Workflow A: an External signal declaring `fileToTarget` and `discountDesc` → Transfer file →
//! Load file → Test → an End that triggers B with two values. Workflow B: an External signal →
//! Read audience → Email delivery → End. Then A is run from the Simulator tab.
//!
//! The first run fails at Transfer file: a new design has no sample file. The failed run's
//! "Create this file" button (issue 22) creates it in the Data tab, and ▶ Run runs again on the
//! reset simulator: both counted. A passes B one of the new design's
//! starter audiences, `Subscribers`.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flowcall::ui::App;

use crate::common::{canvas_widget_rect, click_at, harness_sized};

/// The app and the user's actions so far.
struct Journey {
    h: Harness<'static, App>,
    actions: Vec<String>,
}

impl Journey {
    fn count(&mut self, what: String) {
        self.actions.push(what);
    }

    /// Clicks the widget labelled `label`.
    fn click(&mut self, label: &str) {
        self.h.get_by_label(label).click();
        self.h.run_ok();
        self.count(format!("click {label}"));
    }

    /// Clicks the button whose label starts with `label` (menu items and buttons with a
    /// shortcut add its text).
    fn click_starting(&mut self, label: &str) {
        self.h
            .get_by(|n| {
                n.role() == egui::accesskit::Role::Button
                    && n.label().is_some_and(|l| l.starts_with(label))
            })
            .click();
        self.h.run_ok();
        self.count(format!("click {label}"));
    }

    /// Clicks a widget drawn on the canvas (a "+"), where it is on screen.
    fn click_canvas(&mut self, label: &str) {
        let at = canvas_widget_rect(&self.h, &self.h.state().canvas, label).center();
        click_at(&mut self.h, at, egui::PointerButton::Primary);
        self.count(format!("click {label}"));
    }

    /// Clicks an entry of the menu of kinds a "+" opened (over the canvas: the palette on the
    /// left has buttons with the same labels).
    fn pick_kind(&mut self, label: &str) {
        let left = self.h.state().canvas.view_rect().left();
        let at = self
            .h
            .get_all_by_label(label)
            .map(|n| n.rect().center())
            .find(|c| c.x > left)
            .unwrap_or_else(|| panic!("no menu entry '{label}'"));
        click_at(&mut self.h, at, egui::PointerButton::Primary);
        self.count(format!("pick {label}"));
    }

    /// Types `text` into the field that has the focus.
    fn type_text(&mut self, text: &str) {
        self.h.event(egui::Event::Text(text.to_owned()));
        self.h.run_ok();
        self.count(format!("type {text}"));
    }

    /// Appends a kind after an output: the "+", then the kind in its menu.
    fn append(&mut self, after: &str, kind: &str) {
        self.click_canvas(&format!("Append after {after}"));
        self.pick_kind(kind);
    }

    fn selected(&self) -> Option<&str> {
        self.h.state().selected()
    }

    fn focused(&self, label: &str) -> bool {
        self.h.query_all_by_label(label).any(|n| n.is_focused())
    }
}

/// Workflow A, from File > New to its End triggering a new workflow B.
fn build_a(j: &mut Journey) {
    j.click("File");
    j.click_starting("New");
    assert_eq!(j.h.state().current_workflow(), Some("WKF1"));
    assert_eq!(
        j.selected(),
        Some("signal1"),
        "a new design begins with a signal"
    );
    for name in ["fileToTarget", "discountDesc"] {
        j.click("Add parameter");
        j.type_text(name);
    }
    j.append("External signal", "📁 Transfer file");
    assert!(j.focused("Path"), "the path has the focus");
    j.type_text("'/incoming/' + $(vars/@fileToTarget)");
    j.append("Transfer file", "📄 Load file");
    j.append("Load file", "❓ Test");
    assert!(j.focused("Condition c1"), "the condition has the focus");
    j.type_text("$long(vars/@recCount) > 0");
    j.append("Test (c1)", "⏹ End");
    assert_eq!(j.selected(), Some("end1"));
    j.click("Target workflow");
    j.click("New workflow…");
}

/// Workflow B, shown with its signal selected after "New workflow…".
fn build_b(j: &mut Journey) {
    assert_eq!(j.h.state().current_workflow(), Some("WKF2"));
    assert_eq!(j.selected(), Some("signal1"));
    for name in ["audience", "discountDesc"] {
        j.click("Add parameter");
        j.type_text(name);
    }
    j.append("External signal", "👥 Read audience");
    assert!(j.focused("Audience"), "the audience has the focus");
    j.type_text("$(vars/@audience)");
    j.append("Read audience", "✉ Email delivery");
    j.append("Email delivery", "⏹ End");
}

/// Back in A: the two values the End passes.
fn pass_values(j: &mut Journey) {
    j.click("WKF1 — Workflow 1");
    assert_eq!(j.selected(), Some("end1"), "the End is selected again");
    j.click("Pass $(vars/@discountDesc) as discountDesc");
    // The audience the CMS side picks: one of the new design's starter audiences.
    j.click("Value of audience");
    j.type_text("'Subscribers'");
}

/// Runs A from the Simulator tab with `clients.csv`.
fn first_run(j: &mut Journey) {
    j.click("Simulator");
    let field =
        j.h.get_by_role_and_label(egui::accesskit::Role::TextInput, "fileToTarget")
            .rect();
    assert!(
        field.bottom() < 900.0 && field.top() > j.h.state().canvas.view_rect().bottom(),
        "the field is in view without scrolling: {field:?}"
    );
    click_at(&mut j.h, field.center(), egui::PointerButton::Primary);
    assert!(j.focused("fileToTarget"), "the click reached the field");
    j.count("click the fileToTarget field".into());
    j.type_text("clients.csv");
    j.click_starting("▶ Run");
}

/// Waits until the simulator's background job is done.
fn wait_idle(j: &mut Journey) {
    for _ in 0..500 {
        j.h.run_ok();
        if !j.h.state().simulator().busy() {
            j.h.run_ok();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the run did not finish");
}

#[test]
fn the_seed_use_case_from_file_new_to_the_first_run() {
    let app = flowcall::ui::example_app().expect("example loads");
    let mut j = Journey {
        h: harness_sized(app, egui::vec2(1440.0, 900.0)),
        actions: Vec::new(),
    };
    build_a(&mut j);
    build_b(&mut j);
    pass_values(&mut j);
    assert!(
        j.h.state()
            .diagnostics()
            .iter()
            .all(|d| d.severity != flowcall::check::Severity::Error),
        "both workflows pass every check: {:?}",
        j.h.state().diagnostics()
    );
    first_run(&mut j);
    wait_idle(&mut j);
    let to_first_run = j.actions.len();
    {
        let sim = flowcall::ui::lock_session(j.h.state().simulator());
        let run = sim.runs().first().expect("a run");
        assert_eq!(run.workflow, "WKF1");
        let errors = format!("{:?}", run.errors);
        assert!(
            errors.contains("no file in the file store matches '/incoming/clients.csv'"),
            "{errors}"
        );
    }

    // The data step (issue 22), counted: the failed run's button creates the file A reads (the
    // Data tab shows it); the design changed, so the simulator is reset and ▶ Run runs again
    // (no cooldown in a fresh session).
    j.click_starting("Create this file");
    assert!(
        (j.h.state().design().sample.files).contains_key("/incoming/clients.csv"),
        "the button created the file: {:?}",
        j.h.state().design().sample.files.keys().collect::<Vec<_>>()
    );
    j.click("Simulator");
    j.click_starting("▶ Run");
    wait_idle(&mut j);
    {
        let sim = flowcall::ui::lock_session(j.h.state().simulator());
        let runs = sim.runs();
        let a = runs.last().filter(|r| r.workflow == "WKF1");
        let a = a
            .or_else(|| runs.iter().rev().find(|r| r.workflow == "WKF1"))
            .expect("A ran");
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        let b = runs
            .iter()
            .find(|r| r.parent == Some(a.id))
            .expect("A's End triggered B");
        assert_eq!(b.workflow, "WKF2");
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert!(
            b.ends.iter().any(|e| e.activity == "end1"),
            "B reached its End: {:?}",
            b.ends
        );
    }
    println!(
        "journey: {to_first_run} user actions from File > New to the first run; {} to the \
         finished chained run (the missing file created from the failed run, the run again)",
        j.actions.len()
    );
    for (k, a) in j.actions.iter().enumerate() {
        println!("  {:2}. {a}", k + 1);
    }
    assert!(
        to_first_run <= 37,
        "{to_first_run} actions to the first run"
    );
    assert!(
        j.actions.len() <= 40,
        "{} actions to the finished chained run",
        j.actions.len()
    );
}
