//! The widgets the panels share: the typed value editor (text, number field, checkbox, calendar
//! date picker, time of day; a text that does not read is outlined, its reason on hover), the
//! kind icon, diagnostic and status lines in the theme's colours, the problem line and problem
//! icon that hold their place whether there are problems or not, and buttons drawn from a
//! [`Command`]'s label, shortcut and tooltip.
//!
//! This module imports only the other shared modules of `ui` (`theme`, `value`, `command`).

use super::command::Command;
use super::theme;
use super::value::value_text;
use crate::check::{Diagnostic, Severity};
use crate::model::{KindTag, Type, Value};
use egui::{Response, RichText, Ui};

/// A glyph for each kind.
pub fn kind_icon(tag: KindTag) -> &'static str {
    match tag {
        KindTag::Start => "▶",
        KindTag::ExternalSignal => "⚡",
        KindTag::Query => "🔍",
        KindTag::ReadAudience => "👥",
        KindTag::SaveAudience => "💾",
        KindTag::TransferFile => "📁",
        KindTag::LoadFile => "📄",
        KindTag::UpdateData => "🔄",
        KindTag::Test => "❓",
        KindTag::Fork => "🔀",
        KindTag::AndJoin => "🔗",
        KindTag::Wait => "⏱",
        KindTag::EmailDelivery => "✉",
        KindTag::End => "⏹",
    }
}

/// A diagnostic's icon, and its colour on the panels of `ui`.
fn severity_style(ui: &Ui, severity: Severity) -> (&'static str, egui::Color32) {
    match severity {
        Severity::Error => ("⛔", theme::error(ui.visuals())),
        Severity::Warning => ("⚠", theme::warning(ui.visuals())),
    }
}

/// The line reserved under a field for its problems: one line, always there (empty when the
/// field has none), so that nothing below moves when a problem appears or goes. It shows the
/// worst problem on one line (cut with "…" when longer, and "+N more" when there are others);
/// hovering it shows every message whole.
pub fn problem_line_ui(ui: &mut Ui, problems: &[&Diagnostic]) {
    let h = ui.text_style_height(&egui::TextStyle::Body);
    let w = ui.available_width();
    let Some(first) = problems
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or(problems.first())
    else {
        ui.allocate_exact_size(egui::vec2(w, h), egui::Sense::hover());
        return;
    };
    let (icon, color) = severity_style(ui, first.severity);
    let more = match problems.len() {
        0 | 1 => String::new(),
        n => format!(" (+{} more)", n - 1),
    };
    let text = RichText::new(format!("{icon} {}{more}", first.message)).color(color);
    let all: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
    let layout = egui::Layout::left_to_right(egui::Align::Center);
    ui.allocate_ui_with_layout(egui::vec2(w, h), layout, |ui| {
        ui.set_min_size(egui::vec2(w, h));
        ui.add(egui::Label::new(text).truncate())
            .on_hover_text(all.join("\n"));
    });
}

/// The icon of a row's problems in a slot of its own (blank when there are none), every
/// message in its tooltip: a table row keeps its height whatever its problems.
pub fn problem_icon_ui(ui: &mut Ui, problems: &[Diagnostic], width: f32) {
    let size = egui::vec2(width, ui.spacing().interact_size.y.min(18.0));
    let worst = problems
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or(problems.first());
    let Some(d) = worst else {
        ui.allocate_exact_size(size, egui::Sense::hover());
        return;
    };
    let (icon, color) = severity_style(ui, d.severity);
    let all: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
    let text = all.join("\n");
    let r = ui.add_sized(size, egui::Label::new(RichText::new(icon).color(color)));
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    r.on_hover_text(&text);
}

/// A line in the error colour.
pub fn error_line_ui(ui: &mut Ui, text: impl Into<String>) -> Response {
    ui.label(RichText::new(text).color(theme::error(ui.visuals())))
}

/// A line in the warning colour.
pub fn warning_line_ui(ui: &mut Ui, text: impl Into<String>) -> Response {
    ui.label(RichText::new(text).color(theme::warning(ui.visuals())))
}

/// A line in the colour of passes.
pub fn ok_line_ui(ui: &mut Ui, text: impl Into<String>) -> Response {
    ui.label(RichText::new(text).color(theme::ok(ui.visuals())))
}

/// A button with `cmd`'s label and tooltip.
pub fn command_button_ui(ui: &mut Ui, cmd: &Command) -> Response {
    ui.button(cmd.label()).on_hover_text(cmd.tooltip())
}

/// A button with `cmd`'s label, its shortcut as menus show it, and its tooltip; greyed out
/// unless `enabled`.
pub fn shortcut_button_ui(ui: &mut Ui, enabled: bool, cmd: &Command) -> Response {
    let b = egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(ui.ctx()));
    ui.add_enabled(enabled, b).on_hover_text(cmd.tooltip())
}

/// A small button showing `icon`, named `name` for screen readers (and tests) and in its
/// tooltip; greyed out unless `enabled`.
pub fn icon_button_ui(ui: &mut Ui, icon: &str, name: &str, enabled: bool) -> Response {
    let r = ui.add_enabled(enabled, egui::Button::new(icon).small().frame(false));
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, name));
    r.on_hover_text(name)
}

/// A typed value in a field `width` points wide (a checkbox for a Boolean, text otherwise, read
/// as `ty`); a text that does not read is outlined in the error colour, its reason in the
/// tooltip, and the value stays as it was. Returns whether the value changed.
pub fn compact_value_ui(ui: &mut Ui, v: &mut Value, ty: Type, label: egui::Id, width: f32) -> bool {
    if let Value::Boolean(b) = v {
        return ui
            .add(egui::Checkbox::without_text(b))
            .labelled_by(label)
            .changed();
    }
    let id = ui.scope_id().with("compact-value-text");
    let mut text = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| value_text(v));
    let r = ui
        .add(egui::TextEdit::singleline(&mut text).desired_width(width))
        .labelled_by(label);
    let mut changed = false;
    let r = match Value::parse_as(&text, ty) {
        Ok(parsed) => {
            if parsed != *v {
                *v = parsed;
                changed = true;
            }
            // The field may be too narrow for the whole value.
            r.on_hover_text(&text)
        }
        Err(e) => outline_error_ui(ui, r, e.to_string()),
    };
    keep_typed_text_ui(ui, &r, id, text);
    changed
}

/// A typed value editor; returns whether the value changed. `ty` is the type text is read as;
/// `label` names the editor for screen readers (and tests).
pub fn value_ui(ui: &mut Ui, v: &mut Value, ty: Type, label: egui::Id) -> bool {
    match v {
        Value::Boolean(b) => ui.checkbox(b, "true").changed(),
        Value::Integer(i) => ui.add(egui::DragValue::new(i)).labelled_by(label).changed(),
        Value::Decimal(d) => ui
            .add(egui::DragValue::new(d).speed(0.1))
            .labelled_by(label)
            .changed(),
        Value::Date(d) => date_picker_ui(ui, d, label),
        Value::DateTime(dt) => datetime_ui(ui, dt, label),
        _ => text_value_ui(ui, v, ty, label),
    }
}

/// A DateTime: the date from a picker, the time as text (HH:MM:SS, UTC).
fn datetime_ui(ui: &mut Ui, dt: &mut chrono::DateTime<chrono::Utc>, label: egui::Id) -> bool {
    let mut day = dt.date_naive();
    let mut changed = date_picker_ui(ui, &mut day, label);
    let id = ui.scope_id().with("time-text");
    let mut text = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| dt.format("%H:%M:%S").to_string());
    let r = ui
        .add(egui::TextEdit::singleline(&mut text).desired_width(70.0))
        .labelled_by(label)
        .on_hover_text("Time of day, UTC (HH:MM:SS)");
    let time = chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M"));
    let r = match time {
        Ok(t) => {
            let next = day.and_time(t).and_utc();
            if next != *dt {
                *dt = next;
                changed = true;
            }
            r
        }
        Err(_) => outline_error_ui(ui, r, "write the time as HH:MM:SS".into()),
    };
    keep_typed_text_ui(ui, &r, id, text);
    changed
}

/// A value typed as text (strings, and anything else read as `ty`); a text that does not read
/// says why and leaves the value as it was.
fn text_value_ui(ui: &mut Ui, v: &mut Value, ty: Type, label: egui::Id) -> bool {
    let id = ui.scope_id().with("value-text");
    let mut text = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| value_text(v));
    let r = ui.text_edit_singleline(&mut text).labelled_by(label);
    let mut changed = false;
    let r = match Value::parse_as(&text, ty) {
        Ok(parsed) => {
            if parsed != *v {
                *v = parsed;
                changed = true;
            }
            r
        }
        Err(e) => outline_error_ui(ui, r, e.to_string()),
    };
    keep_typed_text_ui(ui, &r, id, text);
    changed
}

/// A field whose text does not read: outlined in the error colour, the reason in its tooltip
/// (no line is added under it, so that nothing moves while typing).
fn outline_error_ui(ui: &Ui, r: Response, why: String) -> Response {
    ui.painter().rect_stroke(
        r.rect.expand(1.0),
        2.0,
        egui::Stroke::new(1.5, theme::error(ui.visuals())),
        egui::StrokeKind::Outside,
    );
    r.on_hover_text(why)
}

/// Keeps what is being typed (which may not read yet) while the field has the focus.
fn keep_typed_text_ui(ui: &mut Ui, r: &Response, id: egui::Id, text: String) {
    if r.has_focus() {
        ui.data_mut(|d| d.insert_temp(id, text));
    } else {
        ui.data_mut(|d| d.remove::<String>(id));
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
    let salt = format!("date-{:?}", ui.scope_id());
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
