//! The inspector (right panel): the selected activity's label, id and settings. It edits a copy
//! of the activity and, when the copy differs, emits one [`Command::EditActivity`] (keyed by the
//! field, so a burst of typing is one undo step); id renames emit [`Command::RenameActivity`].
//! Expression fields show their diagnostics in place and offer variable and function pickers.

use super::command::Command;
use crate::check::{self, Diagnostic, Severity};
use crate::expr::functions::TABLE;
use crate::model::{
    ActivityKind, Condition, ConversionPolicy, Design, EndSettings, EndTrigger, NamedExpression,
    Parameter, Type, UpdateOperation, Value, Workflow,
};
use egui::{Color32, RichText, Ui};

/// What the inspector needs besides the design.
pub struct InspectorCtx<'a> {
    /// The whole design (End targets).
    pub design: &'a Design,
    /// The current workflow.
    pub workflow: &'a Workflow,
    /// The current diagnostics.
    pub diagnostics: &'a [Diagnostic],
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
        super::canvas::kind_icon(a.kind.tag()),
        a.kind.tag().name()
    ));
    egui::Grid::new("inspector-head")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label("Label");
            if ui
                .text_edit_singleline(&mut a.label)
                .labelled_by(l.id)
                .changed()
            {
                key = "label".into();
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
                out.push(Command::RenameActivity {
                    workflow: cx.workflow.id.clone(),
                    old: id.to_owned(),
                    new: buffer.clone(),
                });
            }
            ui.end_row();
        });
    for d in cx.diagnostics.iter().filter(|d| {
        d.workflow.as_deref() == Some(&cx.workflow.id)
            && d.activity.as_deref() == Some(id)
            && d.field.is_none()
    }) {
        diagnostic_label(ui, d);
    }
    ui.separator();
    let env = check::environment(cx.workflow, id);
    let mut fx = FieldCx {
        cx,
        id,
        env: &env,
        key: &mut key,
    };
    match &mut a.kind {
        ActivityKind::Start | ActivityKind::LoadFile | ActivityKind::AndJoin => {
            ui.label("This activity has no settings.");
        }
        ActivityKind::ExternalSignal(c) => {
            signal_ui(ui, c, &mut fx);
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
        ActivityKind::UpdateData(u) => {
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
        ActivityKind::Test(t) => {
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
                        if ui.button("Remove condition").clicked() {
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
        ActivityKind::Fork(f) => {
            let mut remove = None;
            for (i, b) in f.branches.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    let l = ui.label(format!("Branch {}", i + 1));
                    if ui.text_edit_singleline(b).labelled_by(l.id).changed() {
                        *fx.key = format!("branch{i}");
                    }
                    if ui.button(format!("Remove branch {}", i + 1)).clicked() {
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
        ActivityKind::Wait(w) => {
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
        ActivityKind::EmailDelivery(e) => {
            fx.expr_ui(ui, "Delivery label", "label", &mut e.label);
            fx.expr_ui(ui, "Template", "template", &mut e.template);
            ui.label(RichText::new("Delivery parameters").strong());
            named_list_ui(ui, &mut e.parameters, &mut fx);
        }
        ActivityKind::End(end) => end_ui(ui, end, &mut fx),
    }
    if a != *original && !key.is_empty() {
        out.push(Command::EditActivity {
            workflow: cx.workflow.id.clone(),
            activity: Box::new(a),
            coalesce: format!("{id}/{key}"),
        });
    }
}

struct FieldCx<'a, 'b> {
    cx: &'a mut InspectorCtx<'b>,
    id: &'a str,
    env: &'a std::collections::BTreeMap<String, crate::expr::VarInfo>,
    key: &'a mut String,
}

fn diagnostic_label(ui: &mut Ui, d: &Diagnostic) {
    let (icon, color) = match d.severity {
        Severity::Error => ("⛔", Color32::from_rgb(0xef, 0x44, 0x44)),
        Severity::Warning => ("⚠", Color32::from_rgb(0xf5, 0x9e, 0x0b)),
    };
    ui.label(RichText::new(format!("{icon} {}", d.message)).color(color));
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
                egui::ScrollArea::vertical()
                    .max_height(300.0)
                    .show(ui, |ui| {
                        for f in &TABLE {
                            if ui.button(f.signature()).on_hover_text(f.meaning).clicked() {
                                text.push_str(&format!("{}(", f.name));
                                *self.key = field.to_owned();
                                ui.close();
                            }
                        }
                    });
            })
            .response
            .on_hover_text(format!("Insert a function into {label}"));
        });
        for d in self.cx.diagnostics.iter().filter(|d| {
            d.workflow.as_deref() == Some(&self.cx.workflow.id)
                && d.activity.as_deref() == Some(self.id)
                && d.field.as_deref() == Some(field)
        }) {
            diagnostic_label(ui, d);
        }
    }
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
                if ui.button(format!("Remove parameter {}", p.name)).clicked() {
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

fn signal_ui(ui: &mut Ui, c: &mut crate::model::SignalContract, fx: &mut FieldCx<'_, '_>) {
    ui.horizontal(|ui| {
        let l = ui.label("Conversion");
        egui::ComboBox::from_id_salt("conversion")
            .selected_text(format!("{:?}", c.conversion))
            .show_ui(ui, |ui| {
                for p in [ConversionPolicy::Lenient, ConversionPolicy::Strict] {
                    if ui
                        .selectable_value(&mut c.conversion, p, format!("{p:?}"))
                        .changed()
                    {
                        *fx.key = "conversion".into();
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    ui.label(RichText::new("Parameters").strong());
    let n = c.parameters.len();
    let mut action: Option<(usize, i32)> = None; // (index, -1 up, +1 down, 0 remove)
    let mut dragged: Option<(usize, usize)> = None; // (from, to)
    for (i, p) in c.parameters.iter_mut().enumerate() {
        let row = ui.push_id(i, |ui| {
            egui::Frame::group(ui.style())
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.dnd_drag_source(egui::Id::new(("param-drag", fx.id, i)), i, |ui| {
                            ui.label(RichText::new("☰").strong())
                                .on_hover_text("Drag onto another parameter to reorder");
                        });
                        ui.label(RichText::new(format!("{}: {}", p.name, p.ty)).strong());
                    });
                    param_ui(ui, i, p, fx);
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(i > 0, egui::Button::new(format!("Move {} up", p.name)))
                            .clicked()
                        {
                            action = Some((i, -1));
                        }
                        if ui
                            .add_enabled(
                                i + 1 < n,
                                egui::Button::new(format!("Move {} down", p.name)),
                            )
                            .clicked()
                        {
                            action = Some((i, 1));
                        }
                        if ui.button(format!("Remove {}", p.name)).clicked() {
                            action = Some((i, 0));
                        }
                    });
                    for d in fx.cx.diagnostics.iter().filter(|d| {
                        d.workflow.as_deref() == Some(&fx.cx.workflow.id)
                            && d.activity.as_deref() == Some(fx.id)
                            && d.field.as_deref() == Some(&format!("parameter:{}", p.name))
                    }) {
                        diagnostic_label(ui, d);
                    }
                })
                .response
        });
        if let Some(from) = row.inner.dnd_release_payload::<usize>()
            && *from != i
        {
            dragged = Some((*from, i));
        }
    }
    if let Some((from, to)) = dragged
        && from < c.parameters.len()
    {
        let moved = c.parameters.remove(from);
        c.parameters.insert(to.min(c.parameters.len()), moved);
        *fx.key = "parameters".into();
    }
    match action {
        Some((i, 0)) => {
            c.parameters.remove(i);
        }
        Some((i, -1)) => c.parameters.swap(i, i - 1),
        Some((i, _)) => c.parameters.swap(i, i + 1),
        None => {}
    }
    if action.is_some() {
        *fx.key = "parameters".into();
    }
    if ui.button("Add parameter").clicked() {
        let name = (1..)
            .map(|k| format!("param{k}"))
            .find(|n| c.parameter(n).is_none())
            .unwrap_or_default();
        c.parameters.push(Parameter::new(name, Type::String));
        *fx.key = "parameters".into();
    }
}

fn param_ui(ui: &mut Ui, i: usize, p: &mut Parameter, fx: &mut FieldCx<'_, '_>) {
    let k = |s: &str| format!("param{i}-{s}");
    egui::Grid::new("param").num_columns(2).show(ui, |ui| {
        let l = ui.label("Name");
        if ui
            .text_edit_singleline(&mut p.name)
            .labelled_by(l.id)
            .changed()
        {
            *fx.key = k("name");
        }
        ui.end_row();
        let l = ui.label("Type");
        let before = p.ty;
        egui::ComboBox::from_id_salt("type")
            .selected_text(p.ty.name())
            .show_ui(ui, |ui| {
                for t in Type::ALL {
                    ui.selectable_value(&mut p.ty, t, t.name());
                }
            })
            .response
            .labelled_by(l.id);
        if p.ty != before {
            // Never leave a default or an allowed value that no longer fits the type.
            if p.default.as_ref().is_some_and(|d| !d.fits(p.ty)) {
                p.default = None;
            }
            p.allowed.retain(|v| v.fits(p.ty));
            *fx.key = k("type");
        }
        ui.end_row();
        ui.label("Required");
        if ui
            .checkbox(&mut p.required, format!("{} is required", p.name))
            .changed()
        {
            *fx.key = k("required");
        }
        ui.end_row();
        let l = ui.label("Default");
        ui.horizontal(|ui| {
            let mut has = p.default.is_some();
            if ui.checkbox(&mut has, "has default").changed() {
                p.default = has.then(|| zero(p.ty));
                *fx.key = k("default");
            }
            if let Some(v) = &mut p.default
                && value_ui(ui, v, p.ty, l.id)
            {
                *fx.key = k("default");
            }
        });
        ui.end_row();
        let l = ui.label("Allowed values");
        let mut text = p
            .allowed
            .iter()
            .map(value_text)
            .collect::<Vec<_>>()
            .join(", ");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text("comma separated; empty allows any"),
            )
            .labelled_by(l.id);
        if r.changed() {
            let parsed: Result<Vec<Value>, _> = text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::parse_as(s, p.ty))
                .collect();
            if let Ok(values) = parsed {
                p.allowed = values;
                *fx.key = k("allowed");
            }
        }
        ui.end_row();
        let l = ui.label("Description");
        if ui
            .text_edit_singleline(&mut p.description)
            .labelled_by(l.id)
            .changed()
        {
            *fx.key = k("description");
        }
        ui.end_row();
    });
}

pub(super) fn zero(ty: Type) -> Value {
    match ty {
        Type::String => Value::String(String::new()),
        Type::Integer => Value::Integer(0),
        Type::Decimal => Value::Decimal(0.0),
        Type::Boolean => Value::Boolean(false),
        Type::Date => Value::parse_as("2024-01-01", Type::Date).unwrap_or(Value::Null),
        Type::DateTime => {
            Value::parse_as("2024-01-01T00:00:00Z", Type::DateTime).unwrap_or(Value::Null)
        }
    }
}

pub(super) fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(d) => d.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
        Value::DateTime(dt) => crate::model::format_datetime_rfc3339(dt),
    }
}

/// A typed value editor; returns whether the value changed.
pub(super) fn value_ui(ui: &mut Ui, v: &mut Value, ty: Type, label: egui::Id) -> bool {
    match v {
        Value::Boolean(b) => ui.checkbox(b, "true").changed(),
        Value::Integer(i) => ui.add(egui::DragValue::new(i)).labelled_by(label).changed(),
        Value::Decimal(d) => ui
            .add(egui::DragValue::new(d).speed(0.1))
            .labelled_by(label)
            .changed(),
        Value::Date(d) => date_picker_ui(ui, d, label),
        Value::DateTime(dt) => {
            // The date from a picker, the time as text (HH:MM:SS, UTC).
            let mut day = dt.date_naive();
            let mut changed = date_picker_ui(ui, &mut day, label);
            let id = ui.id().with("time-text");
            let mut text = ui
                .data(|d| d.get_temp::<String>(id))
                .unwrap_or_else(|| dt.format("%H:%M:%S").to_string());
            let r = ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(70.0))
                .labelled_by(label)
                .on_hover_text("Time of day, UTC (HH:MM:SS)");
            let time = chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M:%S")
                .or_else(|_| chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M"));
            match time {
                Ok(t) => {
                    let next = day.and_time(t).and_utc();
                    if next != *dt {
                        *dt = next;
                        changed = true;
                    }
                }
                Err(_) => {
                    ui.label(
                        RichText::new("write the time as HH:MM:SS")
                            .color(Color32::from_rgb(0xef, 0x44, 0x44)),
                    );
                }
            }
            if r.has_focus() {
                ui.data_mut(|d| d.insert_temp(id, text));
            } else {
                ui.data_mut(|d| d.remove::<String>(id));
            }
            changed
        }
        _ => {
            let id = ui.id().with("value-text");
            let mut text = ui
                .data(|d| d.get_temp::<String>(id))
                .unwrap_or_else(|| value_text(v));
            let r = ui.text_edit_singleline(&mut text).labelled_by(label);
            let mut changed = false;
            match Value::parse_as(&text, ty) {
                Ok(parsed) => {
                    if parsed != *v {
                        *v = parsed;
                        changed = true;
                    }
                }
                Err(e) => {
                    ui.label(
                        RichText::new(e.to_string()).color(Color32::from_rgb(0xef, 0x44, 0x44)),
                    );
                }
            }
            if r.has_focus() {
                ui.data_mut(|d| d.insert_temp(id, text));
            } else {
                ui.data_mut(|d| d.remove::<String>(id));
            }
            changed
        }
    }
}

/// A calendar date picker (egui_extras) over a chrono date; returns whether it changed.
fn date_picker_ui(ui: &mut Ui, d: &mut chrono::NaiveDate, label: egui::Id) -> bool {
    use chrono::Datelike as _;
    let Ok(mut picked) = jiff::civil::Date::new(
        i16::try_from(d.year()).unwrap_or(2024),
        i8::try_from(d.month()).unwrap_or(1),
        i8::try_from(d.day()).unwrap_or(1),
    ) else {
        return false;
    };
    let salt = format!("date-{:?}", ui.id());
    ui.add(egui_extras::DatePickerButton::new(&mut picked).id_salt(&salt))
        .labelled_by(label);
    let next = chrono::NaiveDate::from_ymd_opt(
        i32::from(picked.year()),
        u32::try_from(picked.month()).unwrap_or(1),
        u32::try_from(picked.day()).unwrap_or(1),
    );
    match next {
        Some(n) if n != *d => {
            *d = n;
            true
        }
        _ => false,
    }
}

fn end_ui(ui: &mut Ui, end: &mut EndSettings, fx: &mut FieldCx<'_, '_>) {
    let mut on = end.trigger.is_some();
    if ui.checkbox(&mut on, "Trigger an external signal").changed() {
        end.trigger = on.then(EndTrigger::default);
        *fx.key = "trigger".into();
    }
    let Some(t) = &mut end.trigger else {
        return;
    };
    let design = fx.cx.design;
    ui.horizontal(|ui| {
        let l = ui.label("Target workflow");
        egui::ComboBox::from_id_salt("target-workflow")
            .selected_text(if t.workflow.is_empty() {
                "(choose)"
            } else {
                &t.workflow
            })
            .show_ui(ui, |ui| {
                for w in &design.workflows {
                    if ui
                        .selectable_label(t.workflow == w.id, format!("{} ({})", w.id, w.label))
                        .clicked()
                    {
                        t.workflow = w.id.clone();
                        t.signal = w
                            .signals()
                            .next()
                            .map(|(a, _)| a.id.clone())
                            .unwrap_or_default();
                        *fx.key = "target".into();
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
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
    let Some(contract) = design.signal(&t.workflow, &t.signal) else {
        ui.label("Choose a target workflow and signal to pass parameters.");
        return;
    };
    ui.label(RichText::new("Parameters passed").strong());
    // One row per declared parameter, generated from the target's contract.
    for p in &contract.parameters {
        ui.push_id(&p.name, |ui| {
            ui.label(format!(
                "{}{} : {}",
                p.name,
                if p.required { " *" } else { "" },
                p.ty.name()
            ))
            .on_hover_text(&p.description);
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
    // Rows the target no longer declares.
    let mut remove = None;
    for (i, np) in t.parameters.iter().enumerate() {
        if contract.parameter(&np.name).is_none() {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("⚠ '{}' is not declared by the target", np.name))
                        .color(Color32::from_rgb(0xf5, 0x9e, 0x0b)),
                );
                if ui.button(format!("Remove {}", np.name)).clicked() {
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
