//! The drawing of a scenario's expectations editor: accepted or rejected, then a section per
//! kind of expectation with a row per entry (typed value editors for event variables, pickers
//! of the design's Ends, Email deliveries and activities, optional numbers and texts ticked to
//! be checked), "Edit as text" for the RON, Apply and Cancel. Edits change the [`Editing`]
//! state; Apply pushes the one command that replaces the scenario's expectations.

use super::form::{Choices, Editing, ExpectForm, OutboxRow, VarRow};
use crate::model::{CountExpectation, Type, Value};
use crate::ui::command::{Command, EditCommand};
use crate::ui::widgets::{error_line_ui, icon_button_ui, value_ui};
use egui::{RichText, Ui};

/// The editor; returns whether it closes (applied or cancelled).
pub fn editor_ui(ui: &mut Ui, e: &mut Editing, choices: &Choices, out: &mut Vec<Command>) -> bool {
    let mut close = false;
    ui.indent("edit", |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Expectations of '{}'", e.name)).strong());
            let mut as_text = e.as_text;
            if ui
                .checkbox(&mut as_text, "Edit as text")
                .on_hover_text("Edit the expectations as RON, as the design file holds them")
                .changed()
            {
                e.set_as_text(as_text);
            }
        });
        if let Some(p) = &e.problem {
            error_line_ui(ui, format!("⛔ {p}"));
        }
        if e.as_text {
            text_ui(ui, e);
        } else {
            form_ui(ui, &mut e.form, choices);
        }
        close = buttons_ui(ui, e, out);
    });
    close
}

/// The RON text of the expectations.
fn text_ui(ui: &mut Ui, e: &mut Editing) {
    let l = ui.label(format!("Expectations of '{}' (RON)", e.name));
    ui.add(
        egui::TextEdit::multiline(&mut e.text)
            .code_editor()
            .desired_rows(8)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id);
}

/// Apply (when the expectations read) and Cancel; the problems otherwise.
fn buttons_ui(ui: &mut Ui, e: &Editing, out: &mut Vec<Command>) -> bool {
    let result = e.result();
    if let Err(problems) = &result {
        for p in problems {
            error_line_ui(ui, format!("⛔ {p}"));
        }
    }
    let mut close = false;
    ui.horizontal(|ui| {
        let apply = ui
            .add_enabled(result.is_ok(), egui::Button::new("Apply expectations"))
            .on_hover_text("Save these expectations in the scenario (one undo step)");
        if apply.clicked()
            && let Ok(expect) = &result
        {
            out.push(Command::Edit(EditCommand::EditScenarioExpectations {
                name: e.name.clone(),
                expect: Box::new(expect.clone()),
            }));
            close = true;
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    close
}

/// Every section of the form.
fn form_ui(ui: &mut Ui, f: &mut ExpectForm, choices: &Choices) {
    accepted_ui(ui, &mut f.accepted);
    if f.accepted != Some(true) {
        texts_ui(
            ui,
            "Rejection errors mention",
            "Rejection text",
            &mut f.error_contains,
        );
    }
    texts_ui(
        ui,
        "Run errors mention",
        "Run error text",
        &mut f.run_errors,
    );
    ends_ui(ui, &mut f.ends, &choices.ends);
    variables_ui(ui, &mut f.variables);
    outbox_ui(ui, &mut f.outbox, &choices.deliveries);
    counts_ui(ui, &mut f.counts, &choices.activities);
}

/// Whether the trigger is expected to be accepted.
fn accepted_ui(ui: &mut Ui, accepted: &mut Option<bool>) {
    let name = |a: Option<bool>| match a {
        None => "not checked",
        Some(true) => "accepted",
        Some(false) => "rejected",
    };
    ui.horizontal(|ui| {
        let l = ui.label("The trigger is");
        egui::ComboBox::from_id_salt("expect-accepted")
            .selected_text(name(*accepted))
            .show_ui(ui, |ui| {
                for a in [None, Some(true), Some(false)] {
                    ui.selectable_value(accepted, a, name(a));
                }
            })
            .response
            .labelled_by(l.id);
    });
}

/// A section's title and its Add button; returns whether Add was clicked.
fn section_ui(ui: &mut Ui, title: &str) -> bool {
    ui.horizontal(|ui| {
        ui.label(RichText::new(title).strong());
        icon_button_ui(ui, "➕", &format!("Add to {title}"), true).clicked()
    })
    .inner
}

/// A remove button for row `i` of `what`; returns whether it was clicked.
fn remove_ui(ui: &mut Ui, what: &str, i: usize) -> bool {
    icon_button_ui(ui, "✖", &format!("Remove {what} {}", i + 1), true).clicked()
}

/// Texts that errors must mention, one per row.
fn texts_ui(ui: &mut Ui, title: &str, what: &str, rows: &mut Vec<String>) {
    if section_ui(ui, title) {
        rows.push(String::new());
    }
    let mut remove = None;
    for (i, t) in rows.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(t).desired_width(420.0))
                .accessible_name(format!("{what} {}", i + 1));
            if remove_ui(ui, what, i) {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        rows.remove(i);
    }
}

/// A pick among `choices` (`WORKFLOW/activity`), or what is there when it is none of them.
fn pick_ui(ui: &mut Ui, id: (&str, usize), value: &mut String, choices: &[String], name: &str) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(if value.is_empty() {
            "choose…"
        } else {
            value.as_str()
        })
        .width(220.0)
        .show_ui(ui, |ui| {
            for c in choices {
                ui.selectable_value(value, c.clone(), c);
            }
        })
        .response
        .accessible_name(name);
}

/// The Ends reached.
fn ends_ui(ui: &mut Ui, ends: &mut Vec<String>, choices: &[String]) {
    if section_ui(ui, "Ends reached (any order)") {
        ends.push(choices.first().cloned().unwrap_or_default());
    }
    let mut remove = None;
    for (i, end) in ends.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            pick_ui(
                ui,
                ("expect-end", i),
                end,
                choices,
                &format!("End {}", i + 1),
            );
            if remove_ui(ui, "End", i) {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        ends.remove(i);
    }
}

/// The event variables of the first run: name, type (or null) and value.
fn variables_ui(ui: &mut Ui, vars: &mut Vec<VarRow>) {
    if section_ui(ui, "Event variables of the first run") {
        vars.push(VarRow {
            name: String::new(),
            value: Value::String(String::new()),
        });
    }
    let mut remove = None;
    for (i, v) in vars.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.push_id(("expect-var", i), |ui| variable_ui(ui, i, v));
            if remove_ui(ui, "variable", i) {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        vars.remove(i);
    }
}

/// One variable's row.
fn variable_ui(ui: &mut Ui, i: usize, v: &mut VarRow) {
    ui.add(egui::TextEdit::singleline(&mut v.name).desired_width(140.0))
        .accessible_name(format!("Variable {} name", i + 1));
    let ty = v.ty();
    let type_name = |t: Option<Type>| t.map_or("null", Type::name);
    let mut picked = ty;
    egui::ComboBox::from_id_salt("type")
        .selected_text(type_name(ty))
        .width(90.0)
        .show_ui(ui, |ui| {
            for t in Type::ALL.into_iter().map(Some).chain([None]) {
                ui.selectable_value(&mut picked, t, type_name(t));
            }
        })
        .response
        .accessible_name(format!("Type of variable {}", i + 1));
    if picked != ty {
        v.retype(picked);
    }
    let l = ui.label(format!("{} =", v.name));
    match v.ty() {
        Some(t) => {
            value_ui(ui, &mut v.value, t, l.id);
        }
        None => {
            ui.label(RichText::new("null (also matches an unset variable)").weak());
        }
    }
}

/// An optional number, shown as `text` and named `name`: ticked to be checked.
fn optional_count_ui(ui: &mut Ui, n: &mut Option<usize>, text: &str, name: &str) {
    let mut on = n.is_some();
    if ui
        .checkbox(&mut on, text)
        .accessible_name(format!("Check {name}"))
        .changed()
    {
        *n = on.then_some(n.unwrap_or(0));
    }
    if let Some(v) = n {
        ui.add(egui::DragValue::new(v)).accessible_name(name);
    }
}

/// An optional text, shown as `text` and named `name`: ticked to be checked.
fn optional_text_ui(ui: &mut Ui, t: &mut Option<String>, text: &str, name: &str) {
    let mut on = t.is_some();
    if ui
        .checkbox(&mut on, text)
        .accessible_name(format!("Check {name}"))
        .changed()
    {
        *t = on.then(|| t.clone().unwrap_or_default());
    }
    if let Some(v) = t {
        ui.add(egui::TextEdit::singleline(v).desired_width(200.0))
            .accessible_name(name);
    }
}

/// The outbox entries, in order, each with its parameters.
fn outbox_ui(ui: &mut Ui, rows: &mut Vec<OutboxRow>, choices: &[String]) {
    if section_ui(ui, "Outbox entries (in order)") {
        rows.push(OutboxRow {
            activity: choices.first().cloned().unwrap_or_default(),
            ..OutboxRow::default()
        });
    }
    let mut remove = None;
    for (i, o) in rows.iter_mut().enumerate() {
        ui.push_id(("expect-outbox", i), |ui| {
            ui.horizontal_wrapped(|ui| {
                let n = i + 1;
                pick_ui(
                    ui,
                    ("delivery", i),
                    &mut o.activity,
                    choices,
                    &format!("Outbox entry {n} delivery"),
                );
                let name = |what: &str| format!("entry {n} {what}");
                optional_count_ui(ui, &mut o.recipients, "recipients", &name("recipients"));
                optional_text_ui(ui, &mut o.label, "label", &name("label"));
                optional_text_ui(ui, &mut o.template, "template", &name("template"));
                if remove_ui(ui, "outbox entry", i) {
                    remove = Some(i);
                }
            });
            ui.indent("parameters", |ui| parameters_ui(ui, i, &mut o.parameters));
        });
    }
    if let Some(i) = remove {
        rows.remove(i);
    }
}

/// An outbox entry's delivery parameters: name and resolved text.
fn parameters_ui(ui: &mut Ui, entry: usize, params: &mut Vec<(String, String)>) {
    let title = format!("Parameters of entry {}", entry + 1);
    if section_ui(ui, &title) {
        params.push((String::new(), String::new()));
    }
    let mut remove = None;
    for (i, (k, v)) in params.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(k).desired_width(140.0))
                .accessible_name(format!("{title}: name {}", i + 1));
            ui.label("=");
            ui.add(egui::TextEdit::singleline(v).desired_width(260.0))
                .accessible_name(format!("{title}: value of {k}"));
            if remove_ui(ui, "parameter", i) {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        params.remove(i);
    }
}

/// The counts expected at activities.
fn counts_ui(ui: &mut Ui, rows: &mut Vec<CountExpectation>, choices: &[String]) {
    if section_ui(ui, "Rows in and out at activities (first visit)") {
        rows.push(CountExpectation {
            activity: choices.first().cloned().unwrap_or_default(),
            ..CountExpectation::default()
        });
    }
    let mut remove = None;
    for (i, c) in rows.iter_mut().enumerate() {
        ui.push_id(("expect-count", i), |ui| {
            ui.horizontal(|ui| {
                let n = i + 1;
                pick_ui(
                    ui,
                    ("activity", i),
                    &mut c.activity,
                    choices,
                    &format!("Count {n} activity"),
                );
                optional_count_ui(ui, &mut c.count_in, "in", &format!("count {n} in"));
                optional_count_ui(ui, &mut c.count_out, "out", &format!("count {n} out"));
                if remove_ui(ui, "count", i) {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        rows.remove(i);
    }
}
