//! UI tests of the Data tab and of what it unblocks (egui_kittest drives the real [`App`], no
//! window): a file added in the Data tab makes a failing run finish, so does the file the failed
//! run's button creates, a CSV imported into the
//! profiles, rows pasted, a refused cell marked in place with the document unchanged, undo of
//! each data edit, File > New's profiles, "Advance the clock and run" past the cooldown,
//! its form button disabled while a job runs, Stop ending a long run of scenarios or coverage,
//! scenarios' expectations edited as a form and saved, a scenario's payload loaded into the run
//! form and the form saved back into it.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flowcall::model::{Cooldown, Design, SampleData, Value};
use flowcall::ui::{
    App, BottomTab, DataCommand, DataSection, DataTable, FileCommand, ImportInto, Note,
};

use crate::common::{harness, select_all_and_type};
use std::time::{Duration, Instant};

/// WKF1: an External signal, a Transfer file of `/incoming/clients.csv`, a Load file and an
/// End; the starter sample data, no file; no cooldown.
const CLIENTS: &str = r#"(
    format_version: 1,
    compatibility: (trigger_cooldown: Off),
    workflows: [
        (
            id: "WKF1",
            label: "Import clients",
            activities: [
                (id: "signal1", label: "Clients dropped", position: (40.0, 160.0),
                 kind: ExternalSignal((parameters: [], conversion: Lenient))),
                (id: "transfer1", label: "Transfer file", position: (290.0, 160.0),
                 kind: TransferFile((path: "'/incoming/clients.csv'"))),
                (id: "load1", label: "Load file", position: (540.0, 160.0), kind: LoadFile),
                (id: "end1", label: "End", position: (790.0, 160.0), kind: End(())),
            ],
            transitions: [
                (from: "signal1", to: "transfer1"),
                (from: "transfer1", to: "load1"),
                (from: "load1", to: "end1"),
            ],
        ),
    ],
)"#;

fn clients_app() -> Harness<'static, App> {
    let mut design: Design = flowcall::io::load_str(CLIENTS).expect("the test design loads");
    design.sample = SampleData::starter();
    harness(App::new(design, None, "clients.flow.ron"))
}

fn example() -> Harness<'static, App> {
    harness(flowcall::ui::example_app().expect("example loads"))
}

fn click(h: &mut Harness<'_, App>, label: &str) {
    h.get_by_label(label).click();
    h.run_ok();
}

/// Scrolls the widget labelled `label` into view, then clicks it.
fn click_in_view(h: &mut Harness<'_, App>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    click(h, label);
}

/// Clicks the button whose label starts with `label` (buttons with a shortcut add its text).
fn click_starting(h: &mut Harness<'_, App>, label: &str) {
    h.get_by(|n| n.label().is_some_and(|l| l.starts_with(label)))
        .click();
    h.run_ok();
}

/// Steps until `done` holds (at most 20 s).
fn wait_for(h: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    loop {
        h.step();
        if done(h.state()) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "still waiting for {what} after 20 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_ok();
}

fn wait_idle(h: &mut Harness<'_, App>) {
    wait_for(h, "the simulator", |a| !a.simulator().busy());
}

/// Types `text` over the field labelled `label` and presses Enter, which writes it.
fn type_and_enter(h: &mut Harness<'_, App>, label: &str, text: &str) {
    select_all_and_type(h, label, text);
    h.key_press(egui::Key::Enter);
    h.run_ok();
}

fn run_statuses(h: &Harness<'_, App>) -> Vec<String> {
    flowcall::ui::lock_session(h.state().simulator())
        .runs()
        .iter()
        .map(|r| r.status.name().to_owned())
        .collect()
}

fn note(h: &Harness<'_, App>) -> String {
    h.state()
        .data()
        .note()
        .map(|n| n.text().to_owned())
        .unwrap_or_default()
}

#[test]
fn a_file_added_in_the_data_tab_makes_the_failing_run_finish() {
    let mut h = clients_app();
    click(&mut h, "Simulator");
    click_starting(&mut h, "▶ Run");
    wait_idle(&mut h);
    assert_eq!(run_statuses(&h), ["failed"]);
    h.get_by_label_contains("no file in the file store matches '/incoming/clients.csv'");
    // The Data tab: its Files part says what files are for, then a new file named as the
    // Transfer file asks.
    click(&mut h, "Data");
    click(&mut h, "Files");
    h.get_by_label_contains("Transfer file activities match their path against these files");
    click(&mut h, "New file");
    assert_eq!(
        h.state().data().selected_file(),
        Some("/incoming/new-file.csv")
    );
    type_and_enter(&mut h, "File path", "/incoming/clients.csv");
    let files = &h.state().design().sample.files;
    assert!(files.contains_key("/incoming/clients.csv"), "{files:?}");
    assert!(h.state().is_dirty(), "saved with the design");
    // The file's rows as a table: one added and written.
    click(&mut h, "Add row");
    type_and_enter(&mut h, "email, row 1", "zoe@example.com");
    assert!(
        h.state().design().sample.files["/incoming/clients.csv"].contains("\nzoe@example.com,"),
        "{:?}",
        h.state().design().sample.files
    );
    click(&mut h, "Simulator");
    click_starting(&mut h, "▶ Run");
    wait_idle(&mut h);
    assert_eq!(
        run_statuses(&h),
        ["finished"],
        "a fresh session on the new data"
    );
    h.get_by_label_contains("Finished: nothing left to do");
}

#[test]
fn the_failed_runs_button_creates_the_missing_file_and_the_run_then_finishes() {
    let mut h = clients_app();
    click(&mut h, "Simulator");
    click_starting(&mut h, "▶ Run");
    wait_idle(&mut h);
    assert_eq!(run_statuses(&h), ["failed"]);
    assert!(!h.state().is_dirty());
    // The run's error carries the button; it creates the file and shows it in the Data tab.
    h.get_by_label_contains("missing: file '/incoming/clients.csv'");
    click_in_view(&mut h, "Create this file");
    assert_eq!(h.state().bottom_tab, BottomTab::Data);
    assert_eq!(
        h.state().data().selected_file(),
        Some("/incoming/clients.csv")
    );
    let text = h.state().design().sample.files["/incoming/clients.csv"].clone();
    // The workflow reads no column by name: the file gets the key column, `email`, with the
    // first profiles' emails.
    assert!(text.starts_with("email\n"), "{text:?}");
    assert!(text.lines().count() > 1, "{text:?}");
    assert!(h.state().is_dirty(), "saved with the design");
    click(&mut h, "Simulator");
    click_starting(&mut h, "▶ Run");
    wait_idle(&mut h);
    assert_eq!(run_statuses(&h), ["finished"]);
    // One undo step takes it away again.
    h.state_mut().apply(flowcall::ui::EditCommand::Undo);
    h.run_ok();
    assert!(h.state().design().sample.files.is_empty());
}

#[test]
fn file_new_starts_with_profiles_and_every_part_says_what_it_is_for() {
    let mut h = example();
    h.state_mut().apply(FileCommand::New);
    h.run_ok();
    let s = &h.state().design().sample;
    assert_eq!(s.profiles.rows.len(), 6);
    assert!(s.profiles.typed_rows().is_ok());
    assert!(!h.state().is_dirty(), "a new design is clean");
    click(&mut h, "Data");
    assert_eq!(
        h.get_by_label("email, row 1").value().as_deref(),
        Some("ana.lima@example.com")
    );
    assert_eq!(h.get_by_label("age, row 1").value().as_deref(), Some("34"));
    click(&mut h, "Options");
    h.get_by_label_contains("Expressions read options with GetOption('name')");
    click(&mut h, "Audiences");
    h.get_by_label_contains("Subscribers (4)");
    click(&mut h, "Clock");
    h.get_by_label_contains("Every simulation");
    // An empty profiles table says what it is for.
    h.state_mut()
        .apply(DataCommand::Show(DataSection::Profiles));
    for _ in 0..8 {
        h.state_mut().apply(DataCommand::RemoveColumn {
            table: DataTable::Profiles,
            column: 0,
        });
    }
    h.run_ok();
    h.get_by_label_contains("No profiles yet. Query activities filter this table");
}

#[test]
fn a_csv_file_imports_into_the_profiles_and_a_bad_one_changes_nothing() {
    let mut h = clients_app();
    click(&mut h, "Data");
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("people.csv");
    std::fs::write(
        &good,
        "\u{feff}email;age;vip\n\"a;b@example.com\";34;true\nc@example.com;;false\nd@example.com;52;true\n",
    )
    .unwrap();
    h.state_mut().queue(DataCommand::ImportFrom {
        into: ImportInto::Table(DataTable::Profiles),
        path: good,
    });
    wait_for(&mut h, "the import", |a| !a.data().is_importing());
    let p = &h.state().design().sample.profiles;
    assert_eq!(p.rows.len(), 3);
    assert_eq!(p.rows[0][0], "a;b@example.com");
    assert_eq!(
        p.column("age").map(|c| c.ty),
        Some(flowcall::model::Type::Integer)
    );
    assert_eq!(
        p.column("vip").map(|c| c.ty),
        Some(flowcall::model::Type::Boolean)
    );
    h.get_by_label_contains("Imported 3 rows");
    // A cell that does not read as its column's type: named by line and column, nothing
    // changes.
    let before = h.state().design().clone();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "email,age\nx@example.com,31\ny@example.com,old\n").unwrap();
    h.state_mut().queue(DataCommand::ImportFrom {
        into: ImportInto::Table(DataTable::Profiles),
        path: bad,
    });
    wait_for(&mut h, "the import", |a| !a.data().is_importing());
    assert_eq!(h.state().design(), &before);
    assert!(
        note(&h).contains("line 3, column 2 ('age'): \"old\" is not a valid Integer"),
        "{}",
        note(&h)
    );
    h.get_by_label_contains("bad.csv was not imported");
    // Ragged rows too.
    std::fs::write(dir.path().join("ragged.csv"), "a,b\n1,2\n3\n").unwrap();
    h.state_mut().queue(DataCommand::ImportFrom {
        into: ImportInto::Table(DataTable::Profiles),
        path: dir.path().join("ragged.csv"),
    });
    wait_for(&mut h, "the import", |a| !a.data().is_importing());
    assert_eq!(h.state().design(), &before);
    assert!(
        note(&h).contains("line 3 has 1 cell where 2 are expected"),
        "{}",
        note(&h)
    );
    // A JSONL file into the file store.
    let jsonl = dir.path().join("clients.jsonl");
    std::fs::write(&jsonl, "{\"email\":\"q@example.com\",\"points\":3}\n").unwrap();
    h.state_mut().queue(DataCommand::ImportFrom {
        into: ImportInto::NewFile,
        path: jsonl,
    });
    wait_for(&mut h, "the import", |a| !a.data().is_importing());
    assert_eq!(
        h.state()
            .design()
            .sample
            .files
            .get("/incoming/clients.csv")
            .map(String::as_str),
        Some("email,points\nq@example.com,3\n")
    );
    assert_eq!(
        h.state().data().selected_file(),
        Some("/incoming/clients.csv")
    );
}

#[test]
fn rows_pasted_with_ctrl_v_or_in_the_paste_box_are_added() {
    let mut h = clients_app();
    click(&mut h, "Data");
    // Ctrl+V over the table, no field focused: egui-winit delivers it as a Paste event.
    let at = h.get_by_label("email, row 3").rect().center();
    h.hover_at(at);
    h.run_ok();
    h.event(egui::Event::Paste(
        "email\tfirstName\tlastName\tcountry\tsegment\tage\toptIn\tlastPurchase\n\
         g@example.com\tGus\tGo\tDE\tgold\t30\ttrue\t2024-05-01\n\
         h@example.com\tHal\tHo\tDE\tsilver\t\tfalse\t\n"
            .into(),
    ));
    h.run_ok();
    let p = &h.state().design().sample.profiles;
    assert_eq!(p.rows.len(), 8, "the header row is skipped");
    assert_eq!(p.rows[7][0], "h@example.com");
    h.get_by_label_contains("Added 2 pasted rows");
    // The paste box, with a row that does not fit: refused as a whole, naming line and column.
    let before = h.state().design().clone();
    click(&mut h, "Paste rows…");
    select_all_and_type(
        &mut h,
        "Rows to add (tab- or comma-separated, one per line; a header row naming the columns is skipped)",
        "i@example.com,Ida,Ix,DE,gold,31,true,2024-05-01\nj@example.com,Jo,Jx,DE,gold,old,true,",
    );
    click(&mut h, "Add pasted rows");
    assert_eq!(h.state().design(), &before);
    assert!(
        note(&h).starts_with("line 2, column 6 ('age')"),
        "{}",
        note(&h)
    );
}

#[test]
fn a_refused_cell_is_marked_in_place_and_the_document_is_unchanged() {
    let mut h = clients_app();
    click(&mut h, "Data");
    let before = h.state().design().clone();
    let undo_before = h.state().document().can_undo();
    type_and_enter(&mut h, "age, row 2", "forty");
    assert_eq!(h.state().design(), &before, "nothing reaches the design");
    assert_eq!(h.state().document().can_undo(), undo_before, "no undo step");
    let bad = h.state().data().bad_cells();
    let cell = bad.get(&(DataTable::Profiles, 1, 5)).expect("marked");
    assert_eq!(cell.text, "forty", "what was typed is kept");
    assert_eq!(
        cell.message,
        "row 2, column 'age': \"forty\" is not a valid Integer (expected something like 42)"
    );
    // Still shown in the cell, the reason on the tab's line.
    assert_eq!(
        h.get_by_label("age, row 2").value().as_deref(),
        Some("forty")
    );
    h.get_by_label_contains("row 2, column 'age': \"forty\" is not a valid Integer");
    // Corrected: written, the mark gone.
    type_and_enter(&mut h, "age, row 2", "40");
    assert_eq!(h.state().design().sample.profiles.rows[1][5], "40");
    assert!(h.state().data().bad_cells().is_empty());
    assert!(matches!(
        h.state().data().note(),
        None | Some(Note::Done(_))
    ));
}

#[test]
fn each_data_edit_is_one_undo_step() {
    let mut h = clients_app();
    click(&mut h, "Data");
    let mut designs = vec![h.state().design().clone()];
    fn step(h: &mut Harness<'_, App>, designs: &mut Vec<Design>) {
        h.run_ok();
        let d = h.state().design().clone();
        assert_ne!(designs.last(), Some(&d), "the edit changed the design");
        designs.push(d);
    }
    click(&mut h, "Add row");
    step(&mut h, &mut designs);
    type_and_enter(&mut h, "email, row 7", "new@example.com");
    step(&mut h, &mut designs);
    click(&mut h, "Add column");
    step(&mut h, &mut designs);
    type_and_enter(&mut h, "Name of column 9", "points");
    step(&mut h, &mut designs);
    click(&mut h, "Move points left");
    step(&mut h, &mut designs);
    click(&mut h, "Delete row 1");
    step(&mut h, &mut designs);
    click(&mut h, "Files");
    click(&mut h, "New file");
    step(&mut h, &mut designs);
    click(&mut h, "Audiences");
    click(&mut h, "New audience");
    step(&mut h, &mut designs);
    click(&mut h, "Options");
    click(&mut h, "New option");
    step(&mut h, &mut designs);
    select_all_and_type(&mut h, "Value of option option1", "Acme");
    step(&mut h, &mut designs);
    h.state_mut().apply(DataCommand::SetClockStart(
        "2026-02-03T04:05:06Z".parse::<jiff::Timestamp>().unwrap(),
    ));
    step(&mut h, &mut designs);
    assert_eq!(designs.len(), 12);
    // Ctrl+Z takes them back one at a time (typing "Acme" is one step), Ctrl+Shift+Z redoes.
    for expected in designs.iter().rev().skip(1) {
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        h.run_ok();
        assert_eq!(h.state().design(), expected);
    }
    assert!(!h.state().is_dirty());
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_ok();
    assert_eq!(h.state().design(), &designs[1]);
}

#[test]
fn advance_the_clock_and_run_gets_past_the_cooldown() {
    let mut h = example();
    assert_eq!(
        h.state().design().compatibility.trigger_cooldown,
        Cooldown::Seconds(600)
    );
    click(&mut h, "Simulator");
    select_all_and_type(&mut h, "fileToTarget *", "customers_2025-01.csv");
    click_starting(&mut h, "▶ Run");
    wait_idle(&mut h);
    click_starting(&mut h, "▶ Run");
    wait_idle(&mut h);
    h.get_by_label_contains("too soon: signal 'signal1' of workflow 'WKF1'");
    assert_eq!(
        run_statuses(&h).len(),
        2,
        "the first trigger and its chained run"
    );
    click(&mut h, "Advance the clock and run");
    wait_idle(&mut h);
    assert_eq!(
        run_statuses(&h),
        ["finished", "finished", "finished", "finished"]
    );
    h.get_by_label_contains(
        "Clock advanced to 2025-01-06 09:10:00.000Z (the cooldown's next allowed time). Accepted: run #3 started",
    );
    // The design's cooldown is as it was.
    assert_eq!(
        h.state().design().compatibility.trigger_cooldown,
        Cooldown::Seconds(600)
    );
}

/// The bundled example with `copies` more copies of its first scenario, on the Simulator tab;
/// and how many scenarios it has.
fn many_scenarios(copies: usize) -> (Harness<'static, App>, usize) {
    let mut design = flowcall::io::load_str(flowcall::ui::EXAMPLE).expect("example loads");
    let first = design
        .scenarios
        .first()
        .cloned()
        .expect("the example has scenarios");
    for i in 0..copies {
        let mut copy = first.clone();
        copy.name = format!("copy-{i}");
        design.scenarios.push(copy);
    }
    let total = design.scenarios.len();
    let mut h = harness(App::new(design, None, "many-scenarios.flow.ron"));
    click(&mut h, "Simulator");
    (h, total)
}

/// Starts the job of `command`, checks it runs, presses Stop (what the toolbar's Stop button
/// pushes: the workflows' own Stop buttons share its label), waits, and gives the status line.
fn start_then_stop(h: &mut Harness<'_, App>, command: flowcall::ui::SimCommand) -> String {
    h.state_mut().queue(command);
    h.step();
    h.step();
    assert!(h.state().simulator().busy(), "the job runs");
    h.state_mut().queue(flowcall::ui::SimCommand::Cancel);
    wait_idle(h);
    h.state()
        .simulator()
        .status()
        .unwrap_or_default()
        .to_owned()
}

/// Regression: the run form's "Advance the clock and run" stayed enabled while a background job
/// ran, and clicking it then started no run (the simulator refuses a second job). It is disabled
/// while the job runs and works again once it is done.
#[test]
fn advance_the_clock_and_run_in_the_form_waits_for_a_running_job() {
    use egui_kittest::kittest::NodeT as _;
    // Enough scenarios that running them all takes far longer than two frames.
    let (mut h, _) = many_scenarios(3_000);
    select_all_and_type(&mut h, "fileToTarget *", "customers_2025-01.csv");
    click_starting(&mut h, "▶ Run");
    wait_idle(&mut h);
    let advance = "Advance the clock and run";
    assert!(
        !h.get_by_label(advance).accesskit_node().is_disabled(),
        "offered under the form while the cooldown runs"
    );

    h.state_mut()
        .queue(flowcall::ui::SimCommand::RunScenarios(None));
    h.step();
    h.step();
    assert!(h.state().simulator().busy(), "the scenarios still run");
    assert!(
        h.get_by_label(advance).accesskit_node().is_disabled(),
        "disabled while a job runs"
    );

    wait_idle(&mut h);
    assert_eq!(
        run_statuses(&h).len(),
        2,
        "the first run and its chained run"
    );
    click_in_view(&mut h, advance);
    wait_idle(&mut h);
    assert_eq!(
        run_statuses(&h),
        ["finished", "finished", "finished", "finished"],
        "the click ran once the job was done; status: {:?}",
        h.state().simulator().status()
    );
}

/// Regression: Stop did not stop "Run all scenarios" (the job never read its stop flag): with
/// thousands of scenarios the simulator stayed busy until the last one. It now stops before
/// the next scenario and says how many ran.
#[test]
fn stop_ends_a_long_run_of_scenarios() {
    let (mut h, asked) = many_scenarios(20_000);
    let status = start_then_stop(&mut h, flowcall::ui::SimCommand::RunScenarios(None));
    let ran: usize = status
        .strip_prefix("Stopped after ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("status: {status}"));
    assert!(ran < asked, "{status}");
    assert!(
        status.ends_with(&format!("of {asked} scenarios: {ran} passed, 0 failed")),
        "{status}"
    );
}

/// Stop also ends a coverage measurement, which then draws nothing rather than a coverage of
/// some scenarios (the job ignored Stop before).
#[test]
fn stop_ends_a_long_coverage_measurement() {
    let (mut h, total) = many_scenarios(20_000);
    let status = start_then_stop(&mut h, flowcall::ui::SimCommand::ToggleCoverage);
    assert!(
        status.starts_with("Stopped measuring coverage after ")
            && status.contains(&format!(" of {total} scenarios: nothing is drawn")),
        "{status}"
    );
    assert!(h.state().simulator().coverage().is_none());
}

#[test]
fn an_expectation_edited_as_a_form_round_trips_through_the_file() {
    let mut h = harness(App::new(
        flowcall::io::load_str(include_str!("../../examples/cms-newsletter.flow.ron")).unwrap(),
        None,
        "cms-newsletter.flow.ron",
    ));
    click(&mut h, "Scenarios");
    h.get_all_by_label("Edit expectations")
        .next()
        .unwrap()
        .click();
    h.run_ok();
    type_and_enter(&mut h, "recCount =", "5");
    select_all_and_type(&mut h, "entry 1 label", "Our February picks");
    click_in_view(&mut h, "Check count 1 in");
    click_in_view(&mut h, "Add to Ends reached (any order)");
    // A repeated variable name is refused, naming it.
    click_in_view(&mut h, "Add to Event variables of the first run");
    select_all_and_type(&mut h, "Variable 4 name", "audience");
    h.get_by_label_contains("event variable 'audience' is listed twice");
    assert!(format!("{:?}", h.get_by_label("Apply expectations")).contains("disabled: true"));
    click_in_view(&mut h, "Remove variable 4");
    click_in_view(&mut h, "Apply expectations");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.flow.ron");
    h.state_mut().apply(FileCommand::SaveTo(path.clone()));
    h.run_ok();
    let saved = flowcall::io::load(&path).unwrap();
    let e = &saved.scenarios[0].expect;
    assert_eq!(e.variables["recCount"], Value::Integer(5));
    assert_eq!(e.outbox[0].label.as_deref(), Some("Our February picks"));
    assert_eq!(e.counts[0].count_in, None, "unticked: not checked");
    assert_eq!(e.ends, ["NEWSLETTER/end1", "NEWSLETTER/end1"]);
    let original: Design =
        flowcall::io::load_str(include_str!("../../examples/cms-newsletter.flow.ron")).unwrap();
    let mut expected = original.scenarios[0].expect.clone();
    expected
        .variables
        .insert("recCount".into(), Value::Integer(5));
    expected.outbox[0].label = Some("Our February picks".into());
    expected.counts[0].count_in = None;
    expected.ends.push("NEWSLETTER/end1".into());
    assert_eq!(
        e, &expected,
        "the file holds what the form gave, nothing else changed"
    );
    // "Edit as text" shows the same expectations as RON.
    h.get_all_by_label("Edit expectations")
        .next()
        .unwrap()
        .click();
    h.run_ok();
    click(&mut h, "Edit as text");
    let text = h
        .get_by_label("Expectations of 'gold newsletter' (RON)")
        .value()
        .unwrap_or_default();
    assert!(text.contains("\"recCount\": Integer(5)"), "{text}");
}

#[test]
fn a_scenarios_payload_loads_into_the_run_form_and_is_updated_from_it() {
    let mut h = harness(App::new(
        flowcall::io::load_str(include_str!("../../examples/cms-newsletter.flow.ron")).unwrap(),
        None,
        "cms-newsletter.flow.ron",
    ));
    click(&mut h, "Scenarios");
    h.get_all_by_label("Load into run form")
        .nth(1)
        .unwrap()
        .click();
    h.run_ok();
    assert_eq!(h.state().bottom_tab, BottomTab::Simulator);
    h.get_by_label_contains(
        "Loaded scenario 'default template for silver members' into the run form",
    );
    assert_eq!(
        h.get_by_label("audience *").value().as_deref(),
        Some("SilverMembers")
    );
    select_all_and_type(&mut h, "audience *", "GoldMembers");
    click(&mut h, "Scenarios");
    h.get_all_by_label("Update from run form")
        .nth(1)
        .unwrap()
        .click();
    h.run_ok();
    let s = &h.state().design().scenarios[1];
    assert_eq!(s.payload["parameters"]["audience"], "GoldMembers");
    assert_eq!(s.payload["source"], "cms");
    // A rejected scenario's payload (an undeclared parameter) loads as JSON, as it is.
    h.get_all_by_label("Load into run form")
        .nth(3)
        .unwrap()
        .click();
    h.run_ok();
    h.get_by_label_contains("into the run form (as JSON");
    let json = h.get_by_label("Payload JSON").value().unwrap_or_default();
    assert!(json.contains("\"contentUrl\""), "{json}");
}

#[test]
fn listening_shows_the_reference_urls_and_copies_a_node_sdk_snippet() {
    let mut h = example();
    click(&mut h, "Simulator");
    select_all_and_type(&mut h, "fileToTarget *", "customers_2025-01.csv");
    click(&mut h, "Listen for API calls");
    let (base, token) = h.state().simulator().listening().expect("listening");
    let trigger = format!(
        "{base}/ORGANIZATION/campaign/workflow/execution/WKF1/activities/activity/signal1/trigger"
    );
    h.get_by_label(&trigger);
    h.get_by_label(&format!(
        "{base}/ORGANIZATION/campaign/workflow/execution/WKF1"
    ));
    h.get_by_label(&format!(
        "{base}/workflow/execution/WKF1/activities/activity/signal1/trigger"
    ));
    // The URL shown is the one the endpoint answers on, as Adobe's SDK calls it.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let resp = agent
        .post(&trigger)
        .header("Authorization", &format!("Bearer {token}"))
        .header("X-Api-Key", "any")
        .header("Content-Type", "application/json;charset=utf-8")
        .send(r#"{"source": "cms", "parameters": {"fileToTarget": "customers_2025-01.csv"}}"#)
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    // Copy Node SDK snippet: the script with this endpoint, its token and the form's payload.
    h.get_by_label("Copy Node SDK snippet").click();
    h.step();
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let [script] = copied.as_slice() else {
        panic!("one text copied: {copied:?}");
    };
    let expected = flowcall::serve::snippet::node_sdk_snippet(
        &base,
        "WKF1",
        "signal1",
        &serde_json::json!({"source": "designer", "parameters": {"fileToTarget": "customers_2025-01.csv"}}),
        Some(&token),
    );
    assert_eq!(script, &expected);
    assert!(script.contains("require('@adobe/aio-lib-campaign-standard')"));
    h.run_ok();
    h.get_by_label_contains("Copied a Node script for Adobe's Campaign Standard SDK");
    click(&mut h, "Listen for API calls");
}

/// Regression: at 1440×900 the profiles table filled more than the bottom panel's room, the
/// panel laid out from above its top and the tab strip (Problems, Data, Simulator...) went out
/// of view, so that nothing led back from the Data tab.
#[test]
fn regression_the_data_tab_keeps_the_tab_strip_in_view_at_1440x900() {
    let mut h = crate::common::harness_sized(
        flowcall::ui::example_app().expect("example loads"),
        egui::vec2(1440.0, 900.0),
    );
    let before = h.get_by_label("Problems").rect();
    click(&mut h, "Data");
    for _ in 0..4 {
        h.run_ok();
    }
    let after = h.get_by_label("Problems").rect();
    assert_eq!(
        before, after,
        "the tab strip moved when the Data tab was shown"
    );
    assert!(after.min.y >= 0.0 && after.max.y <= 900.0, "{after:?}");
    click(&mut h, "Problems");
    h.get_by_label_contains("No problems");
}
