//! An External signal's contract in the inspector: its conversion policy and the parameter
//! table. The table is compact: a header, then one row per parameter (drag handle, name, type,
//! required, default, and small icon buttons with tooltips to show more, move and remove it),
//! with its allowed values and description in a row that opens under it. "Add parameter" stands
//! above the rows, so that it never falls below the fold; the new parameter's name has the focus
//! with its text selected, so that typing names it. A row's problems are an icon in a slot of
//! its own (every message on hover): rows keep their height whatever their problems. Every field
//! is sized to the panel, so that the panel keeps its width whatever is selected.
//!
//! It edits the contract in place and says which part changed (the undo step's key); it imports
//! nothing from the rest of the inspector.

use crate::check::Diagnostic;
use crate::model::{ConversionPolicy, Parameter, SignalContract, Type, Value};
use crate::ui::theme;
use crate::ui::value::{value_text, zero};
use crate::ui::widgets::{compact_value_ui, icon_button_ui, problem_icon_ui};
use egui::{RichText, Ui};

/// The fixed widths of the table's columns (handle, type, required, the icon buttons).
const HANDLE_W: f32 = 14.0;
const TYPE_W: f32 = 76.0;
const REQUIRED_W: f32 = 18.0;
const ICON_W: f32 = 16.0;
/// How many icons end a row: problems, more, up, down, remove.
const ICONS: f32 = 5.0;
/// The space between the cells of a row.
const GAP: f32 = 4.0;

/// What the buttons of a parameter row asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    Up(usize),
    Down(usize),
    Remove(usize),
}

/// The widths of the name and default columns for a table `width` points wide.
fn flexible_widths(width: f32) -> (f32, f32) {
    let fixed = HANDLE_W + TYPE_W + REQUIRED_W + ICON_W * ICONS + GAP * (5.0 + ICONS);
    let rest = (width - fixed).max(120.0);
    (rest * 0.52, rest * 0.48)
}

/// The ids of the header's labels, which name the cells of every row.
struct Header {
    name: egui::Id,
    ty: egui::Id,
    default: egui::Id,
}

/// The contract of an External signal: conversion policy, "Add parameter", the table.
/// Returns the key of what changed, if anything did.
pub fn signal_ui(
    ui: &mut Ui,
    c: &mut SignalContract,
    activity: &str,
    problems: &dyn Fn(&str) -> Vec<Diagnostic>,
) -> Option<String> {
    let mut key = None;
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
                        key = Some("conversion".to_owned());
                    }
                }
            })
            .response
            .labelled_by(l.id)
            .on_hover_text(
                "Lenient converts values that read as the declared type (\"7\" for an Integer); \
                 Strict rejects them",
            );
    });
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Parameters ({})", c.parameters.len())).strong());
        if ui
            .button("Add parameter")
            .on_hover_text("Declare a new parameter (a String, optional)")
            .clicked()
        {
            let name = (1..)
                .map(|k| format!("param{k}"))
                .find(|n| c.parameter(n).is_none())
                .unwrap_or_default();
            c.parameters.push(Parameter::new(name, Type::String));
            let new = c.parameters.len() - 1;
            ui.data_mut(|d| d.insert_temp(name_focus_id(activity), new));
            key = Some("parameters".to_owned());
        }
    });
    if c.parameters.is_empty() {
        ui.label("No parameter yet: a trigger passes none.");
        return key;
    }
    table_ui(ui, c, activity, problems, &mut key);
    key
}

/// Where the index of the parameter whose name takes the focus (a new one) is kept.
fn name_focus_id(activity: &str) -> egui::Id {
    egui::Id::unique(("param-name-focus", activity))
}

/// The header and the rows, and the reordering and removals they asked for.
fn table_ui(
    ui: &mut Ui,
    c: &mut SignalContract,
    activity: &str,
    problems: &dyn Fn(&str) -> Vec<Diagnostic>,
    key: &mut Option<String>,
) {
    let width = ui.available_width();
    let (name_w, default_w) = flexible_widths(width);
    let header = header_ui(ui, name_w, default_w);
    let n = c.parameters.len();
    let mut action = None;
    let mut dragged: Option<(usize, usize)> = None;
    for (i, p) in c.parameters.iter_mut().enumerate() {
        let row = ui.push_id(i, |ui| {
            ui.vertical(|ui| {
                let cx = RowCx {
                    activity,
                    i,
                    n,
                    widths: (name_w, default_w),
                    header: &header,
                    problems: problems(&format!("parameter:{}", p.name)),
                };
                row_ui(ui, &cx, p, key, &mut action);
            })
            .response
        });
        if let Some(from) = row.inner.dnd_hover_payload::<usize>()
            && *from != i
        {
            let y = row.inner.rect.top();
            let line = egui::Stroke::new(2.0, ui.visuals().selection.stroke.color);
            ui.painter().hline(row.inner.rect.x_range(), y, line);
        }
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
        *key = Some("parameters".to_owned());
    }
    match action {
        Some(RowAction::Remove(i)) if i < c.parameters.len() => {
            c.parameters.remove(i);
        }
        Some(RowAction::Up(i)) if i > 0 && i < c.parameters.len() => c.parameters.swap(i, i - 1),
        Some(RowAction::Down(i)) if i + 1 < c.parameters.len() => c.parameters.swap(i, i + 1),
        _ => {}
    }
    if action.is_some() {
        *key = Some("parameters".to_owned());
    }
}

/// The header row: the column titles, which name each row's cells for screen readers.
fn header_ui(ui: &mut Ui, name_w: f32, default_w: f32) -> Header {
    let weak = |t: &str| RichText::new(t).weak();
    let h = ui.spacing().interact_size.y;
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = GAP;
        ui.add_space(HANDLE_W + GAP);
        let name = ui.add_sized([name_w, h], egui::Label::new(weak("Name")));
        let ty = ui.add_sized([TYPE_W, h], egui::Label::new(weak("Type")));
        ui.add_sized([REQUIRED_W, h], egui::Label::new(weak("Req.")))
            .on_hover_text("Required: a caller must pass it");
        let default = ui.add_sized([default_w, h], egui::Label::new(weak("Default")));
        Header {
            name: name.id,
            ty: ty.id,
            default: default.id,
        }
    })
    .inner
}

/// What a row needs besides its parameter.
struct RowCx<'a> {
    activity: &'a str,
    i: usize,
    n: usize,
    widths: (f32, f32),
    header: &'a Header,
    /// The parameter's problems.
    problems: Vec<Diagnostic>,
}

/// One parameter's row, and its details row when open.
fn row_ui(
    ui: &mut Ui,
    cx: &RowCx<'_>,
    p: &mut Parameter,
    key: &mut Option<String>,
    action: &mut Option<RowAction>,
) {
    let k = |s: &str| Some(format!("param{}-{s}", cx.i));
    let open_id = egui::Id::unique(("param-open", cx.activity, cx.i));
    let mut open = ui.data(|d| d.get_temp::<bool>(open_id)).unwrap_or(false);
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = GAP;
        ui.dnd_drag_source(
            egui::Id::unique(("param-drag", cx.activity, cx.i)),
            cx.i,
            |ui| {
                ui.add_sized(
                    [HANDLE_W, 18.0],
                    egui::Label::new(RichText::new("☰").strong()),
                )
                .on_hover_text("Drag onto another parameter to move it there");
            },
        );
        let r = ui
            .add(egui::TextEdit::singleline(&mut p.name).desired_width(cx.widths.0))
            .labelled_by(cx.header.name);
        name_focus_ui(ui, &r, cx, &p.name);
        if !cx.problems.is_empty() {
            let stroke = egui::Stroke::new(1.5, theme::error(ui.visuals()));
            ui.painter()
                .rect_stroke(r.rect.expand(1.0), 2.0, stroke, egui::StrokeKind::Outside);
        }
        let r = r.on_hover_text(&p.name);
        if r.changed() {
            *key = k("name");
        }
        if type_ui(ui, p, cx.header.ty) {
            *key = k("type");
        }
        let r = ui.add_sized(
            [REQUIRED_W, 18.0],
            egui::Checkbox::without_text(&mut p.required),
        );
        let (required, name) = (p.required, format!("{} is required", p.name));
        r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, required, &name));
        if r.on_hover_text("Required: a caller must pass it").changed() {
            *key = k("required");
        }
        if default_ui(ui, p, cx.header.default, cx.widths.1) {
            *key = k("default");
        }
        problem_icon_ui(ui, &cx.problems, ICON_W);
        buttons_ui(ui, cx, &p.name, &mut open, action);
    });
    ui.data_mut(|d| d.insert_temp(open_id, open));
    if open {
        details_ui(ui, p, &mut |part| *key = k(part));
    }
}

/// Gives the name field `r` the focus with its text selected when it is the new parameter's.
fn name_focus_ui(ui: &Ui, r: &egui::Response, cx: &RowCx<'_>, name: &str) {
    let id = name_focus_id(cx.activity);
    if ui.data(|d| d.get_temp::<usize>(id)) != Some(cx.i) {
        return;
    }
    ui.data_mut(|d| d.remove::<usize>(id));
    r.request_focus();
    let mut state = egui::text_edit::TextEditState::load(ui.ctx(), r.id).unwrap_or_default();
    let all = egui::text_selection::CCursorRange::select_all_str(name);
    state.cursor.set_char_range(Some(all));
    state.store(ui.ctx(), r.id);
}

/// The type of a parameter; a change drops a default or allowed values that no longer fit.
fn type_ui(ui: &mut Ui, p: &mut Parameter, label: egui::Id) -> bool {
    let before = p.ty;
    egui::ComboBox::from_id_salt("type")
        .width(TYPE_W)
        .selected_text(p.ty.name())
        .show_ui(ui, |ui| {
            for t in Type::ALL {
                ui.selectable_value(&mut p.ty, t, t.name());
            }
        })
        .response
        .labelled_by(label);
    if p.ty == before {
        return false;
    }
    if p.default.as_ref().is_some_and(|d| !d.fits(p.ty)) {
        p.default = None;
    }
    p.allowed.retain(|v| v.fits(p.ty));
    true
}

/// The default: its value with a button to remove it, or a button to give one.
fn default_ui(ui: &mut Ui, p: &mut Parameter, label: egui::Id, width: f32) -> bool {
    let name = p.name.clone();
    let ty = p.ty;
    match &mut p.default {
        Some(v) => {
            let changed = compact_value_ui(ui, v, ty, label, width - ICON_W - 4.0);
            let remove = icon_button_ui(ui, "✖", &format!("Remove the default of {name}"), true);
            if remove.clicked() {
                p.default = None;
                return true;
            }
            changed
        }
        None => {
            let (rect, _) = ui
                .allocate_exact_size(egui::vec2(width - ICON_W - 4.0, 18.0), egui::Sense::hover());
            ui.painter().text(
                rect.left_center(),
                egui::Align2::LEFT_CENTER,
                "none",
                egui::FontId::proportional(12.5),
                ui.visuals().weak_text_color(),
            );
            let add = icon_button_ui(ui, "+", &format!("Give {name} a default"), true);
            if add.clicked() {
                p.default = Some(p.allowed.first().cloned().unwrap_or_else(|| zero(ty)));
                return true;
            }
            false
        }
    }
}

/// The row's icon buttons: details, move up, move down, remove.
fn buttons_ui(
    ui: &mut Ui,
    cx: &RowCx<'_>,
    name: &str,
    open: &mut bool,
    action: &mut Option<RowAction>,
) {
    let (icon, verb) = if *open {
        ("⏷", "Hide")
    } else {
        ("⏵", "Show")
    };
    let more = format!("{verb} the allowed values and description of {name}");
    if icon_button_ui(ui, icon, &more, true).clicked() {
        *open = !*open;
    }
    if icon_button_ui(ui, "⬆", &format!("Move {name} up"), cx.i > 0).clicked() {
        *action = Some(RowAction::Up(cx.i));
    }
    if icon_button_ui(ui, "⬇", &format!("Move {name} down"), cx.i + 1 < cx.n).clicked() {
        *action = Some(RowAction::Down(cx.i));
    }
    if icon_button_ui(ui, "🗑", &format!("Remove {name}"), true).clicked() {
        *action = Some(RowAction::Remove(cx.i));
    }
}

/// A parameter's allowed values and description, under its row; `edited` is told which part
/// changed.
fn details_ui(ui: &mut Ui, p: &mut Parameter, edited: &mut dyn FnMut(&str)) {
    ui.indent("details", |ui| {
        let l = ui.label("Allowed values");
        // What is being typed is kept while the field has the focus ("gold," does not read
        // back as "gold").
        let typed = ui.scope_id().with("allowed-text");
        let mut text = ui.data(|d| d.get_temp::<String>(typed)).unwrap_or_else(|| {
            p.allowed
                .iter()
                .map(value_text)
                .collect::<Vec<_>>()
                .join(", ")
        });
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text("comma separated; empty allows any")
                    .desired_width(f32::INFINITY),
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
                edited("allowed");
            }
        }
        if r.has_focus() {
            ui.data_mut(|d| d.insert_temp(typed, text));
        } else {
            ui.data_mut(|d| d.remove::<String>(typed));
        }
        let l = ui.label("Description");
        if ui
            .add(
                egui::TextEdit::multiline(&mut p.description)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id)
            .changed()
        {
            edited("description");
        }
    });
}
