//! The inspector (right panel): the selected activity's label, id and settings. It edits a copy
//! of the activity and, when the copy differs, emits one [`Command::EditActivity`] (keyed by the
//! field, so a burst of typing is one undo step); id renames emit [`Command::RenameActivity`].
//! Expression fields show their diagnostics in a line reserved under each (fields never move
//! when a problem comes or goes) and offer variable and function pickers. An End's target list
//! offers "New workflow…"; a passed parameter that the caller has a variable of the same name
//! for offers it in one click.
//!
//! A panel: it imports only the shared modules of `ui`. A `match` over the activity kinds calls
//! one function per kind.

mod params;

use super::command::{Command, EditCommand};
use super::widgets::{icon_button_ui, kind_icon, problem_line_ui, warning_line_ui};
use crate::check::Diagnostic;
use crate::expr::VarInfo;
use crate::expr::functions::{Family, PickerEntry, by_family};
use crate::model::{
    ActivityKind, ActivityOptions, Condition, Design, EmailSettings, EndSettings, EndTrigger,
    Execution, ForkSettings, NamedExpression, OnError, SignalContract, TestSettings, Type,
    UpdateDataSettings, UpdateOperation, WaitSettings, Workflow,
};
use egui::{RichText, Ui};
use std::collections::BTreeMap;

/// What the inspector needs besides the design.
pub struct InspectorCtx<'a> {
    /// The whole design (End targets).
    pub design: &'a Design,
    /// The current workflow.
    pub workflow: &'a Workflow,
    /// The current diagnostics.
    pub diagnostics: &'a [Diagnostic],
    /// The variables available at the activity inspected (for the Var pickers).
    pub env: &'a BTreeMap<String, VarInfo>,
    /// A field to focus (from the Problems panel), taken when drawn.
    pub focus_field: &'a mut Option<String>,
    /// The id being typed in the id box (applied when focus leaves).
    pub id_buffer: &'a mut Option<(String, String)>,
}

/// Draws the inspector of activity `id`.
pub fn inspector_ui(ui: &mut Ui, cx: &mut InspectorCtx<'_>, id: &str, out: &mut Vec<Command>) {
    let Some(original) = cx.workflow.activity(id) else {
        ui.label("No activity selected. Click a node's title to inspect it.");
        return;
    };
    let mut a = original.clone();
    let mut key = String::new();
    ui.heading(format!(
        "{} {}",
        kind_icon(a.kind.tag()),
        a.kind.tag().name()
    ));
    head_ui(ui, cx, id, &mut a.label, &mut key, out);
    let problems: Vec<&Diagnostic> = cx
        .diagnostics
        .iter()
        .filter(|d| {
            d.workflow.as_deref() == Some(&cx.workflow.id)
                && d.activity.as_deref() == Some(id)
                && d.field.is_none()
        })
        .collect();
    problem_line_ui(ui, &problems);
    ui.separator();
    let options_problems: Vec<&Diagnostic> = cx
        .diagnostics
        .iter()
        .filter(|d| {
            d.workflow.as_deref() == Some(&cx.workflow.id)
                && d.activity.as_deref() == Some(id)
                && d.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with("options."))
        })
        .collect();
    let workflow = cx.workflow;
    let env = cx.env;
    let mut fx = FieldCx {
        cx,
        id,
        env,
        key: &mut key,
        out,
    };
    kind_ui(ui, &mut a.kind, &mut fx);
    ui.separator();
    options_ui(ui, &mut a.options, &a.kind, &options_problems, &mut key);
    if a != *original && !key.is_empty() {
        out.push(Command::Edit(EditCommand::EditActivity {
            workflow: workflow.id.clone(),
            activity: Box::new(a),
            coalesce: format!("{id}/{key}"),
        }));
    }
}

/// The label and the id; a new id is a rename, sent when the id box loses the focus.
fn head_ui(
    ui: &mut Ui,
    cx: &mut InspectorCtx<'_>,
    id: &str,
    label: &mut String,
    key: &mut String,
    out: &mut Vec<Command>,
) {
    egui::Grid::new("inspector-head")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label("Label");
            if ui.text_edit_singleline(label).labelled_by(l.id).changed() {
                *key = "label".into();
            }
            ui.end_row();
            let l = ui.label("Id");
            let buffer = match cx.id_buffer {
                Some((for_id, text)) if for_id == id => text,
                _ => {
                    *cx.id_buffer = Some((id.to_owned(), id.to_owned()));
                    match cx.id_buffer {
                        Some((_, text)) => text,
                        None => return,
                    }
                }
            };
            let r = ui.text_edit_singleline(buffer).labelled_by(l.id);
            if (r.lost_focus() || (r.changed() && !r.has_focus())) && buffer != id {
                out.push(Command::Edit(EditCommand::RenameActivity {
                    workflow: cx.workflow.id.clone(),
                    old: id.to_owned(),
                    new: buffer.clone(),
                }));
            }
            ui.end_row();
        });
}

/// The reference's "Advanced options" of every activity: "Execution", "In case of error" and,
/// on an End, "Stop all tasks in progress" (docs/SIMULATOR.md, "Execution and errors"), with
/// the diagnostics of those fields.
fn options_ui(
    ui: &mut Ui,
    o: &mut ActivityOptions,
    kind: &ActivityKind,
    diagnostics: &[&Diagnostic],
    key: &mut String,
) {
    ui.label(RichText::new("Execution and errors").strong());
    egui::Grid::new("inspector-options")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label("Execution");
            egui::ComboBox::from_id_salt("execution")
                .selected_text(o.execution.label())
                .show_ui(ui, |ui| {
                    for e in Execution::ALL {
                        if ui
                            .selectable_value(&mut o.execution, e, e.label())
                            .changed()
                        {
                            *key = "options.execution".into();
                        }
                    }
                })
                .response
                .labelled_by(l.id)
                .on_hover_text(
                    "Normal: the activity runs. Enable but do not execute: branches wait here \
                     until released. Do not enable: branches end here, not running it or what \
                     follows.",
                );
            ui.end_row();
            let l = ui.label("In case of error");
            egui::ComboBox::from_id_salt("on_error")
                .selected_text(o.on_error.label())
                .show_ui(ui, |ui| {
                    for e in OnError::ALL {
                        if ui.selectable_value(&mut o.on_error, e, e.label()).changed() {
                            *key = "options.on_error".into();
                        }
                    }
                })
                .response
                .labelled_by(l.id)
                .on_hover_text(
                    "Ignore: the branch ends and the workflow goes on (counted towards the \
                     workflow's consecutive errors). Suspend the process: the workflow becomes \
                     Erroneous until resumed, which runs the activity again.",
                );
            ui.end_row();
        });
    if matches!(kind, ActivityKind::End(_))
        && ui
            .checkbox(&mut o.stop_all_tasks, "Stop all tasks in progress")
            .on_hover_text("Reaching this End stops the workflow, cutting its other branches")
            .changed()
    {
        *key = "options.stop_all_tasks".into();
    }
    problem_line_ui(ui, diagnostics);
}

/// The settings of the activity's kind: one function per kind.
fn kind_ui(ui: &mut Ui, kind: &mut ActivityKind, fx: &mut FieldCx<'_, '_>) {
    match kind {
        ActivityKind::Start | ActivityKind::LoadFile | ActivityKind::AndJoin => {
            ui.label("This activity has no settings.");
        }
        ActivityKind::ExternalSignal(c) => {
            let (workflow, id, diagnostics) = (&fx.cx.workflow.id, fx.id, fx.cx.diagnostics);
            let problems = |field: &str| {
                diagnostics
                    .iter()
                    .filter(|d| {
                        d.workflow.as_deref() == Some(workflow.as_str())
                            && d.activity.as_deref() == Some(id)
                            && d.field.as_deref() == Some(field)
                    })
                    .cloned()
                    .collect()
            };
            if let Some(k) = params::signal_ui(ui, c, id, &problems) {
                *fx.key = k;
            }
        }
        ActivityKind::Query(q) => {
            fx.expr_ui(ui, "Filter", "filter", &mut q.filter);
            fx.expr_ui(ui, "Segment code", "segment_code", &mut q.segment_code);
        }
        ActivityKind::ReadAudience(r) => {
            fx.expr_ui(ui, "Audience", "audience", &mut r.audience);
            fx.expr_ui(ui, "Segment code", "segment_code", &mut r.segment_code);
        }
        ActivityKind::SaveAudience(s) => fx.expr_ui(ui, "Audience label", "label", &mut s.label),
        ActivityKind::TransferFile(t) => fx.expr_ui(ui, "Path", "path", &mut t.path),
        ActivityKind::UpdateData(u) => update_ui(ui, u, fx),
        ActivityKind::Test(t) => test_ui(ui, t, fx),
        ActivityKind::Fork(f) => fork_ui(ui, f, fx),
        ActivityKind::Wait(w) => wait_ui(ui, w, fx),
        ActivityKind::EmailDelivery(e) => email_ui(ui, e, fx),
        ActivityKind::End(end) => end_ui(ui, end, fx),
    }
}

fn update_ui(ui: &mut Ui, u: &mut UpdateDataSettings, fx: &mut FieldCx<'_, '_>) {
    let l = ui.label("Operation");
    egui::ComboBox::from_id_salt("operation")
        .selected_text(format!("{:?}", u.operation))
        .show_ui(ui, |ui| {
            for op in [
                UpdateOperation::InsertOrUpdate,
                UpdateOperation::Insert,
                UpdateOperation::Update,
                UpdateOperation::Delete,
            ] {
                if ui
                    .selectable_value(&mut u.operation, op, format!("{op:?}"))
                    .changed()
                {
                    *fx.key = "operation".into();
                }
            }
        })
        .response
        .labelled_by(l.id);
}

fn test_ui(ui: &mut Ui, t: &mut TestSettings, fx: &mut FieldCx<'_, '_>) {
    let mut remove = None;
    for (i, c) in t.conditions.iter_mut().enumerate() {
        ui.push_id(i, |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Output label");
                if ui
                    .text_edit_singleline(&mut c.label)
                    .labelled_by(l.id)
                    .changed()
                {
                    *fx.key = format!("condlabel{i}");
                }
                if icon_button_ui(ui, "🗑", "Remove condition", true).clicked() {
                    remove = Some(i);
                }
            });
            let field = format!("condition:{}", c.id);
            fx.expr_ui(
                ui,
                &format!("Condition {}", c.id),
                &field,
                &mut c.expression,
            );
        });
    }
    if let Some(i) = remove {
        t.conditions.remove(i);
        *fx.key = "conditions".into();
    }
    if ui.button("Add condition").clicked() {
        let n = (1..)
            .map(|n| format!("c{n}"))
            .find(|id| t.conditions.iter().all(|c| &c.id != id))
            .unwrap_or_default();
        t.conditions.push(Condition {
            id: n.clone(),
            label: n,
            expression: "true".into(),
        });
        *fx.key = "conditions".into();
    }
    if ui
        .checkbox(
            &mut t.default_transition,
            "Default output when no condition holds",
        )
        .changed()
    {
        *fx.key = "default".into();
    }
}

fn fork_ui(ui: &mut Ui, f: &mut ForkSettings, fx: &mut FieldCx<'_, '_>) {
    let mut remove = None;
    for (i, b) in f.branches.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let l = ui.label(format!("Branch {}", i + 1));
            if ui.text_edit_singleline(b).labelled_by(l.id).changed() {
                *fx.key = format!("branch{i}");
            }
            if icon_button_ui(ui, "🗑", &format!("Remove branch {}", i + 1), true).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        f.branches.remove(i);
        *fx.key = "branches".into();
    }
    if ui.button("Add branch").clicked() {
        f.branches.push(format!("branch{}", f.branches.len() + 1));
        *fx.key = "branches".into();
    }
}

fn wait_ui(ui: &mut Ui, w: &mut WaitSettings, fx: &mut FieldCx<'_, '_>) {
    ui.horizontal(|ui| {
        let l = ui.label("Seconds");
        if ui
            .add(egui::DragValue::new(&mut w.seconds))
            .labelled_by(l.id)
            .changed()
        {
            *fx.key = "seconds".into();
        }
    });
}

fn email_ui(ui: &mut Ui, e: &mut EmailSettings, fx: &mut FieldCx<'_, '_>) {
    fx.expr_ui(ui, "Delivery label", "label", &mut e.label);
    fx.expr_ui(ui, "Template", "template", &mut e.template);
    ui.label(RichText::new("Delivery parameters").strong());
    named_list_ui(ui, &mut e.parameters, fx);
}

struct FieldCx<'a, 'b> {
    cx: &'a mut InspectorCtx<'b>,
    id: &'a str,
    env: &'a BTreeMap<String, VarInfo>,
    key: &'a mut String,
    /// Commands beyond the activity's own edit (a new target workflow).
    out: &'a mut Vec<Command>,
}

fn reader(ty: Type) -> &'static str {
    match ty {
        Type::String => "$",
        Type::Integer => "$long",
        Type::Decimal => "$float",
        Type::Boolean => "$boolean",
        Type::Date | Type::DateTime => "$datetime",
    }
}

impl FieldCx<'_, '_> {
    /// One expression editor: label, text, pickers, diagnostics of this field.
    fn expr_ui(&mut self, ui: &mut Ui, label: &str, field: &str, text: &mut String) {
        let l = ui.label(label);
        ui.horizontal(|ui| {
            let r = ui.add(
                egui::TextEdit::singleline(text)
                    .code_editor()
                    .desired_width((ui.available_width() - 90.0).max(120.0)),
            );
            let r = r.labelled_by(l.id);
            if self.cx.focus_field.as_deref() == Some(field) {
                r.request_focus();
                *self.cx.focus_field = None;
            }
            if r.changed() {
                *self.key = field.to_owned();
            }
            ui.menu_button("Var", |ui| {
                if self.env.is_empty() {
                    ui.label("No variable is available here.");
                }
                for (name, info) in self.env {
                    let b = ui
                        .button(format!("{name}: {}", info.ty.name()))
                        .on_hover_text(&info.origin);
                    if b.clicked() {
                        text.push_str(&format!("{}(vars/@{name})", reader(info.ty)));
                        *self.key = field.to_owned();
                        ui.close();
                    }
                }
            })
            .response
            .on_hover_text(format!("Insert a variable into {label}"));
            ui.menu_button("ƒ()", |ui| {
                if let Some(name) = function_picker_ui(ui) {
                    text.push_str(&format!("{name}("));
                    *self.key = field.to_owned();
                    ui.close();
                }
            })
            .response
            .on_hover_text(format!("Insert a function into {label}"));
        });
        let problems: Vec<&Diagnostic> = self
            .cx
            .diagnostics
            .iter()
            .filter(|d| {
                d.workflow.as_deref() == Some(&self.cx.workflow.id)
                    && d.activity.as_deref() == Some(self.id)
                    && d.field.as_deref() == Some(field)
            })
            .collect();
        problem_line_ui(ui, &problems);
    }
}

/// The functions by the reference's families, built once.
static FAMILIES: std::sync::LazyLock<Vec<(Family, Vec<PickerEntry>)>> =
    std::sync::LazyLock::new(by_family);

/// The function picker: one sub-menu per family of the reference, each function with its
/// meaning, an example and its result; functions the checker refuses are shown greyed out with
/// the reason. Gives the name of the function picked.
fn function_picker_ui(ui: &mut Ui) -> Option<&'static str> {
    let mut picked = None;
    for (family, entries) in FAMILIES.iter() {
        ui.menu_button(family.title(), |ui| {
            ui.label(RichText::new(family.blurb()).weak());
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for f in entries {
                        let tip = match f.refused {
                            Some(why) => format!("{}\n\nNot available: {why}", f.summary),
                            None => format!("{}\n\n{} → {}", f.summary, f.example, f.result),
                        };
                        let spec = f.func.spec();
                        let b = ui
                            .add_enabled(f.usable, egui::Button::new(spec.signature()))
                            .on_hover_text(&tip)
                            .on_disabled_hover_text(&tip);
                        if b.clicked() {
                            picked = Some(f.name);
                        }
                    }
                });
        });
    }
    picked
}

fn named_list_ui(ui: &mut Ui, list: &mut Vec<NamedExpression>, fx: &mut FieldCx<'_, '_>) {
    let mut remove = None;
    for (i, p) in list.iter_mut().enumerate() {
        ui.push_id(i, |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Parameter name");
                if ui
                    .text_edit_singleline(&mut p.name)
                    .labelled_by(l.id)
                    .changed()
                {
                    *fx.key = format!("pname{i}");
                }
                let name = format!("Remove parameter {}", p.name);
                if icon_button_ui(ui, "🗑", &name, true).clicked() {
                    remove = Some(i);
                }
            });
            let field = format!("parameter:{}", p.name);
            fx.expr_ui(
                ui,
                &format!("Value of {}", p.name),
                &field,
                &mut p.expression,
            );
        });
    }
    if let Some(i) = remove {
        list.remove(i);
        *fx.key = "parameters".into();
    }
    if ui.button("Add parameter").clicked() {
        list.push(NamedExpression {
            name: format!("param{}", list.len() + 1),
            expression: "''".into(),
        });
        *fx.key = "parameters".into();
    }
}

/// An End: whether it triggers a signal, which one (the target list also offers a new
/// workflow), and the parameters it passes.
fn end_ui(ui: &mut Ui, end: &mut EndSettings, fx: &mut FieldCx<'_, '_>) {
    let design = fx.cx.design;
    let mut on = end.trigger.is_some();
    if ui.checkbox(&mut on, "Trigger an external signal").changed() {
        end.trigger = on.then(|| first_target(design, &fx.cx.workflow.id));
        *fx.key = "trigger".into();
    }
    target_ui(ui, design, &mut end.trigger, fx);
    let Some(t) = &mut end.trigger else {
        return;
    };
    let Some(contract) = design.signal(&t.workflow, &t.signal) else {
        ui.label("Choose a target workflow and signal to pass parameters.");
        return;
    };
    ui.label(RichText::new("Parameters passed").strong());
    if contract.parameters.is_empty() {
        ui.label(format!(
            "The signal of {} declares no parameter yet: select it there to declare some.",
            t.workflow
        ));
    }
    passed_ui(ui, contract, t, fx);
    undeclared_ui(ui, contract, t, fx);
}

/// The trigger a ticked End starts with: the first External signal of another workflow (none
/// chosen when there is none).
fn first_target(design: &Design, own: &str) -> EndTrigger {
    design
        .workflows
        .iter()
        .filter(|w| w.id != own)
        .find_map(|w| {
            w.signals().next().map(|(a, _)| EndTrigger {
                workflow: w.id.clone(),
                signal: a.id.clone(),
                parameters: Vec::new(),
            })
        })
        .unwrap_or_default()
}

/// What the target list shows for a workflow id.
fn workflow_text(design: &Design, id: &str) -> String {
    match design.workflow(id) {
        Some(w) => format!("{} ({})", w.id, w.label),
        None if id.is_empty() => "(choose)".into(),
        None => format!("{id} (missing)"),
    }
}

/// The target workflow of an End's trigger (none: the run ends there; "New workflow…": a new
/// workflow that begins with an External signal, shown next) and its signal.
fn target_ui(
    ui: &mut Ui,
    design: &Design,
    trigger: &mut Option<EndTrigger>,
    fx: &mut FieldCx<'_, '_>,
) {
    let shown = match trigger {
        Some(t) => workflow_text(design, &t.workflow),
        None => "none: the run ends here".into(),
    };
    ui.horizontal(|ui| {
        let l = ui.label("Target workflow");
        egui::ComboBox::from_id_salt("target-workflow")
            .selected_text(shown.as_str())
            .truncate()
            .width(ui.available_width().min(260.0))
            .show_ui(ui, |ui| target_choices_ui(ui, design, trigger, fx))
            .response
            .labelled_by(l.id)
            .on_hover_text(&shown);
    });
    let Some(t) = trigger else {
        return;
    };
    let target = design.workflow(&t.workflow);
    ui.horizontal(|ui| {
        let l = ui.label("Target signal");
        egui::ComboBox::from_id_salt("target-signal")
            .selected_text(if t.signal.is_empty() {
                "(choose)"
            } else {
                &t.signal
            })
            .show_ui(ui, |ui| {
                for (a, _) in target.into_iter().flat_map(|w| w.signals()) {
                    if ui
                        .selectable_label(
                            t.signal == a.id,
                            format!("{} — {}", a.id, a.display_name()),
                        )
                        .clicked()
                    {
                        t.signal = a.id.clone();
                        *fx.key = "target".into();
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
}

/// The entries of the target list: none, every workflow, a new one.
fn target_choices_ui(
    ui: &mut Ui,
    design: &Design,
    trigger: &mut Option<EndTrigger>,
    fx: &mut FieldCx<'_, '_>,
) {
    if ui
        .selectable_label(trigger.is_none(), "none: the run ends here")
        .clicked()
        && trigger.is_some()
    {
        *trigger = None;
        *fx.key = "trigger".into();
    }
    for w in &design.workflows {
        let on = trigger.as_ref().is_some_and(|t| t.workflow == w.id);
        if ui
            .selectable_label(on, format!("{} ({})", w.id, w.label))
            .clicked()
            && !on
        {
            let t = trigger.get_or_insert_with(EndTrigger::default);
            t.workflow = w.id.clone();
            t.signal = w
                .signals()
                .next()
                .map(|(a, _)| a.id.clone())
                .unwrap_or_default();
            *fx.key = "target".into();
        }
    }
    let new = Command::Edit(EditCommand::NewTargetWorkflow {
        workflow: fx.cx.workflow.id.clone(),
        end: fx.id.to_owned(),
    });
    if ui
        .selectable_label(false, new.label())
        .on_hover_text(new.tooltip())
        .clicked()
    {
        fx.out.push(new);
    }
}

/// One row per parameter the target declares, generated from its contract.
fn passed_ui(ui: &mut Ui, contract: &SignalContract, t: &mut EndTrigger, fx: &mut FieldCx<'_, '_>) {
    for p in &contract.parameters {
        ui.push_id(&p.name, |ui| {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{}{} : {}",
                    p.name,
                    if p.required { " *" } else { "" },
                    p.ty.name()
                ))
                .on_hover_text(&p.description);
                same_name_ui(ui, &p.name, t, fx);
            });
            let idx = match t.parameters.iter().position(|x| x.name == p.name) {
                Some(i) => i,
                None => {
                    t.parameters.push(NamedExpression {
                        name: p.name.clone(),
                        expression: String::new(),
                    });
                    t.parameters.len() - 1
                }
            };
            if let Some(np) = t.parameters.get_mut(idx) {
                let field = format!("parameter:{}", p.name);
                let before = fx.key.clone();
                fx.expr_ui(
                    ui,
                    &format!("Value of {}", p.name),
                    &field,
                    &mut np.expression,
                );
                if np.expression.is_empty() && *fx.key == before {
                    // An untouched empty row is not stored.
                    t.parameters.remove(idx);
                }
            }
        });
    }
}

/// For a parameter `name` the End passes nothing to, while its workflow has a variable of that
/// name: a button that passes the variable.
fn same_name_ui(ui: &mut Ui, name: &str, t: &mut EndTrigger, fx: &mut FieldCx<'_, '_>) {
    let row = t.parameters.iter().position(|x| x.name == name);
    let empty = row
        .and_then(|i| t.parameters.get(i))
        .is_none_or(|x| x.expression.trim().is_empty());
    let Some(info) = fx.env.get(name).filter(|_| empty) else {
        return;
    };
    let value = format!("{}(vars/@{name})", reader(info.ty));
    let what = format!("Pass {value} as {name}");
    let r = ui.add(egui::Button::new(format!("= {value}")).small());
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &what));
    if !r
        .on_hover_text(format!("{what} (this workflow's {})", info.origin))
        .clicked()
    {
        return;
    }
    match row.and_then(|i| t.parameters.get_mut(i)) {
        Some(x) => x.expression = value,
        None => t.parameters.push(NamedExpression {
            name: name.to_owned(),
            expression: value,
        }),
    }
    *fx.key = format!("parameter:{name}");
}

/// Rows the target no longer declares, each with a button to remove it.
fn undeclared_ui(
    ui: &mut Ui,
    contract: &SignalContract,
    t: &mut EndTrigger,
    fx: &mut FieldCx<'_, '_>,
) {
    let mut remove = None;
    for (i, np) in t.parameters.iter().enumerate() {
        if contract.parameter(&np.name).is_none() {
            ui.horizontal(|ui| {
                warning_line_ui(ui, format!("⚠ '{}' is not declared by the target", np.name));
                if icon_button_ui(ui, "🗑", &format!("Remove {}", np.name), true).clicked() {
                    remove = Some(i);
                }
            });
        }
    }
    if let Some(i) = remove {
        t.parameters.remove(i);
        *fx.key = "parameters".into();
    }
}
