//! The drawing of the Data tab: its parts (profiles, audiences, files, options, clock), each
//! with what it is for when it is empty; tables with typed headers (name, type, move, remove)
//! and editable cells, of which only the rows in view are laid out; the paste box and Ctrl+V
//! over a table; the audience members picked from the profiles' keys; the file store with its
//! files as tables or as text. Drawing reads the design and collects commands; only what is
//! being typed (a cell, a name) is kept here, and it is applied when its field loses the focus.

use super::edit::CellKey;
use super::{DataPanel, Naming, Note};
use crate::model::{Design, Table, Type, Value};
use crate::ui::command::{Command, DataCommand, DataSection, DataTable, ImportInto};
use crate::ui::theme;
use crate::ui::widgets::{
    command_button_ui, error_line_ui, icon_button_ui, ok_line_ui, value_ui, warning_line_ui,
};
use crate::ui::words::count_s;
use egui::{RichText, Ui};

/// The width of a table's row-number column.
const ROW_NUMBER_WIDTH: f32 = 64.0;
/// The width a data column starts at.
const COLUMN_WIDTH: f32 = 150.0;
/// The width of the lists of files and audiences.
const LIST_WIDTH: f32 = 240.0;

/// What a table is drawn with: which table, whether its columns are typed.
struct TableCx<'a> {
    table: &'a DataTable,
    value: &'a Table,
    typed: bool,
}

impl DataPanel {
    /// The Data tab.
    pub fn ui(&mut self, ui: &mut Ui, design: &Design, rev: u64, out: &mut Vec<Command>) {
        self.sections_ui(ui, design, out);
        ui.separator();
        match self.section {
            DataSection::Profiles => self.profiles_ui(ui, design, out),
            DataSection::Audiences => self.audiences_ui(ui, design, out),
            DataSection::Files => self.files_ui(ui, design, rev, out),
            DataSection::Options => self.options_ui(ui, design, out),
            DataSection::Clock => clock_ui(ui, design, out),
        }
    }

    /// The parts of the tab with their counts, and the tab's last note.
    fn sections_ui(&self, ui: &mut Ui, design: &Design, out: &mut Vec<Command>) {
        let s = &design.sample;
        ui.horizontal_wrapped(|ui| {
            for section in DataSection::ALL {
                let count = match section {
                    DataSection::Profiles => count_s(s.profiles.rows.len(), "row"),
                    DataSection::Audiences => s.audiences.len().to_string(),
                    DataSection::Files => s.files.len().to_string(),
                    DataSection::Options => s.options.len().to_string(),
                    DataSection::Clock => crate::model::format_datetime(&s.clock_start),
                };
                let show = DataCommand::Show(section);
                if ui
                    .selectable_label(self.section == section, section.name())
                    .on_hover_text(show.meta().tooltip)
                    .clicked()
                {
                    out.push(Command::Data(show));
                }
                ui.label(RichText::new(count).weak());
                ui.add_space(8.0);
            }
            if let Some(imp) = &self.importing {
                ui.spinner();
                ui.label(format!("Reading {}…", imp.name));
            }
        });
        match &self.note {
            Some(Note::Done(t)) if self.importing.is_none() => {
                ok_line_ui(ui, format!("✔ {t}"));
            }
            Some(Note::Error(t)) => {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("⛔ {t}")).color(theme::error(ui.visuals())),
                    )
                    .wrap(),
                );
            }
            _ => {}
        }
    }

    /// The profiles table, its toolbar and its empty state.
    fn profiles_ui(&mut self, ui: &mut Ui, design: &Design, out: &mut Vec<Command>) {
        let table = DataTable::Profiles;
        let t = &design.sample.profiles;
        ui.horizontal_wrapped(|ui| {
            self.table_toolbar_ui(ui, &table, t, out);
            ui.label(
                RichText::new(
                    "Query filters read these columns (@name); audiences list the first column's keys.",
                )
                .weak(),
            );
        });
        self.paste_box_ui(ui, &table, out);
        if t.columns.is_empty() {
            empty_ui(
                ui,
                "No profiles yet. Query activities filter this table (@column in their filter), \
                 Read audience takes its members from it and Email delivery writes to its email \
                 column. Add a column, paste rows from a spreadsheet, or import a CSV or JSONL file.",
            );
            return;
        }
        let cx = TableCx {
            table: &table,
            value: t,
            typed: true,
        };
        self.table_ui(ui, &cx, out);
    }

    /// Add row, Add column, Paste rows…, Import, Export.
    fn table_toolbar_ui(
        &mut self,
        ui: &mut Ui,
        table: &DataTable,
        t: &Table,
        out: &mut Vec<Command>,
    ) {
        let add_row = DataCommand::AddRow(table.clone());
        if ui
            .add_enabled(
                !t.columns.is_empty(),
                egui::Button::new(add_row.meta().label),
            )
            .on_hover_text(add_row.meta().tooltip)
            .clicked()
        {
            out.push(Command::Data(add_row));
        }
        for c in [
            DataCommand::AddColumn(table.clone()),
            DataCommand::Import(ImportInto::Table(table.clone())),
            DataCommand::Export(table.clone()),
        ] {
            let c = Command::Data(c);
            if command_button_ui(ui, &c).clicked() {
                out.push(c);
            }
        }
        let paste = DataCommand::PasteRows {
            table: table.clone(),
            text: String::new(),
        };
        if ui
            .add_enabled(
                !t.columns.is_empty(),
                egui::Button::new("Paste rows…").selected(self.paste.is_some()),
            )
            .on_hover_text(paste.meta().tooltip)
            .clicked()
        {
            self.paste = if self.paste.is_some() {
                None
            } else {
                Some(String::new())
            };
        }
    }

    /// The box rows are pasted into, while it is open.
    fn paste_box_ui(&mut self, ui: &mut Ui, table: &DataTable, out: &mut Vec<Command>) {
        let Some(text) = &mut self.paste else {
            return;
        };
        let l = ui.label("Rows to add (tab- or comma-separated, one per line; a header row naming the columns is skipped)");
        ui.add(
            egui::TextEdit::multiline(text)
                .desired_rows(4)
                .desired_width(f32::INFINITY)
                .code_editor(),
        )
        .labelled_by(l.id);
        let mut close = false;
        ui.horizontal(|ui| {
            let add = DataCommand::PasteRows {
                table: table.clone(),
                text: text.clone(),
            };
            if ui
                .add_enabled(!text.trim().is_empty(), egui::Button::new(add.meta().label))
                .on_hover_text(add.meta().tooltip)
                .clicked()
            {
                out.push(Command::Data(add));
            }
            close = ui.button("Cancel").clicked();
        });
        if close {
            self.paste = None;
        }
    }

    /// A table: a header per column (name; type, move and remove), then the rows in view, each
    /// with its number and a delete button. Ctrl+V over it, with no field focused, adds the
    /// pasted rows.
    // Table: the builder's header and body are one chain of calls.
    fn table_ui(&mut self, ui: &mut Ui, cx: &TableCx<'_>, out: &mut Vec<Command>) {
        let t = cx.value;
        let rect = ui.available_rect_before_wrap();
        let nothing_focused = ui.ctx().memory(|m| m.focused()).is_none();
        if nothing_focused && ui.rect_contains_pointer(rect) {
            let pasted: Vec<String> = ui.input(|i| {
                i.events
                    .iter()
                    .filter_map(|e| match e {
                        egui::Event::Paste(text) => Some(text.clone()),
                        _ => None,
                    })
                    .collect()
            });
            for text in pasted {
                out.push(Command::Data(DataCommand::PasteRows {
                    table: cx.table.clone(),
                    text,
                }));
            }
        }
        let row_height = ui.spacing().interact_size.y + 4.0;
        let header_height = if cx.typed {
            2.0 * row_height + 4.0
        } else {
            row_height + 4.0
        };
        let scroll_to = self
            .scroll_to
            .take()
            .filter(|(tb, _)| tb == cx.table)
            .map(|(_, r)| r);
        let mut drawn = false;
        // The table scrolls inside the room the panel has left (its horizontal scroll bar
        // included), so that it never grows the panel and pushes the tab strip out of view.
        let room = (ui.available_height() - ui.spacing().scroll.bar_width - 8.0).max(60.0);
        egui::ScrollArea::horizontal()
            .id_salt(("data-table-h", cx.table))
            .auto_shrink([false, true])
            .show(ui, |ui| {
                let mut builder = egui_extras::TableBuilder::new(ui)
                    .id_salt(("data-table", cx.table))
                    .striped(true)
                    .resizable(true)
                    .auto_shrink([false, true])
                    .max_scroll_height(room)
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                    .column(egui_extras::Column::exact(ROW_NUMBER_WIDTH));
                for _ in &t.columns {
                    builder = builder.column(
                        egui_extras::Column::initial(COLUMN_WIDTH)
                            .at_least(70.0)
                            .clip(true)
                            .resizable(true),
                    );
                }
                if let Some(r) = scroll_to {
                    builder = builder.scroll_to_row(r, Some(egui::Align::Center));
                }
                builder
                    .header(header_height, |mut header| {
                        header.col(|ui| {
                            ui.label(RichText::new("#").weak());
                        });
                        for i in 0..t.columns.len() {
                            header.col(|ui| self.header_ui(ui, cx, i, out));
                        }
                    })
                    .body(|body| {
                        body.rows(row_height, t.rows.len(), |mut row| {
                            let r = row.index();
                            row.col(|ui| row_number_ui(ui, cx.table, r, out));
                            for c in 0..t.columns.len() {
                                row.col(|ui| drawn |= self.cell_ui(ui, cx, (r, c), out));
                            }
                        });
                    });
            });
        self.commit_hidden_cell(cx.table, drawn, out);
    }

    /// A cell being typed into that scrolled out of view is written now (its field is gone, so
    /// it will not lose the focus).
    fn commit_hidden_cell(&mut self, table: &DataTable, drawn: bool, out: &mut Vec<Command>) {
        if drawn {
            return;
        }
        if let Some(((t, row, column), text)) = self.typing.take_if(|(k, _)| k.0 == *table) {
            out.push(Command::Data(DataCommand::SetCell {
                table: t,
                row,
                column,
                text,
            }));
        }
    }

    /// A column's header: its name (renamed when the field loses the focus), its type (typed
    /// tables), buttons to move it and remove it.
    fn header_ui(&mut self, ui: &mut Ui, cx: &TableCx<'_>, i: usize, out: &mut Vec<Command>) {
        let Some(col) = cx.value.columns.get(i) else {
            return;
        };
        let table = cx.table.clone();
        ui.vertical(|ui| {
            let naming = Naming::Column(table.clone(), i);
            if let Some(name) =
                self.name_field_ui(ui, naming, &col.name, &format!("Name of column {}", i + 1))
            {
                out.push(Command::Data(DataCommand::RenameColumn {
                    table: table.clone(),
                    column: i,
                    name,
                }));
            }
            ui.horizontal(|ui| {
                if cx.typed {
                    type_ui(ui, i, col.ty, &col.name, out);
                }
                let n = cx.value.columns.len();
                let moves = [
                    ("⬅", "left", i.checked_sub(1)),
                    ("➡", "right", (i + 1 < n).then_some(i + 1)),
                ];
                for (icon, way, to) in moves {
                    let name = format!("Move {} {way}", col.name);
                    if icon_button_ui(ui, icon, &name, to.is_some()).clicked()
                        && let Some(to) = to
                    {
                        out.push(Command::Data(DataCommand::MoveColumn {
                            table: table.clone(),
                            column: i,
                            to,
                        }));
                    }
                }
                let remove = format!("Remove column {}", col.name);
                if icon_button_ui(ui, "✖", &remove, true).clicked() {
                    out.push(Command::Data(DataCommand::RemoveColumn {
                        table: table.clone(),
                        column: i,
                    }));
                }
            });
        });
    }

    /// A name's field: the name, or what is being typed over it; returns the new name when the
    /// field loses the focus with another text.
    fn name_field_ui(
        &mut self,
        ui: &mut Ui,
        naming: Naming,
        name: &str,
        label: &str,
    ) -> Option<String> {
        let mut text = match &self.naming {
            Some((n, t)) if *n == naming => t.clone(),
            _ => name.to_owned(),
        };
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .id_salt(("data-name", format!("{naming:?}")))
                    .desired_width(f32::INFINITY),
            )
            .accessible_name(label);
        if r.has_focus() {
            self.naming = Some((naming, text));
            return None;
        }
        if self.naming.as_ref().is_some_and(|(n, _)| *n == naming) {
            self.naming = None;
        }
        (r.lost_focus() && text.trim() != name && !text.trim().is_empty())
            .then(|| text.trim().to_owned())
    }

    /// A cell: its text (or what is being typed, or refused text marked in the error colour,
    /// the reason in its tooltip). Written when its field loses the focus. Returns whether it
    /// is the cell being typed into.
    fn cell_ui(
        &mut self,
        ui: &mut Ui,
        cx: &TableCx<'_>,
        (r, c): (usize, usize),
        out: &mut Vec<Command>,
    ) -> bool {
        let key: CellKey = (cx.table.clone(), r, c);
        let stored = cx
            .value
            .rows
            .get(r)
            .and_then(|row| row.get(c))
            .map_or("", String::as_str);
        let typing = self
            .typing
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, t)| t.clone());
        let bad = self.bad.get(&key).cloned();
        let is_typing = typing.is_some();
        let mut text = typing
            .or_else(|| bad.as_ref().map(|b| b.text.clone()))
            .unwrap_or_else(|| stored.to_owned());
        let name = cx.value.columns.get(c).map_or("", |col| col.name.as_str());
        let r_ = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .id_salt(("data-cell", cx.table, r, c))
                    .desired_width(f32::INFINITY)
                    .frame(egui::Frame::NONE),
            )
            .accessible_name(format!("{name}, row {}", r + 1));
        let r_ = match &bad {
            Some(b) => {
                ui.painter().rect_stroke(
                    r_.rect.expand(1.0),
                    2.0,
                    egui::Stroke::new(1.5, theme::error(ui.visuals())),
                    egui::StrokeKind::Inside,
                );
                r_.on_hover_text(format!(
                    "{}. Type a value that fits, or empty the cell.",
                    b.message
                ))
            }
            None => r_,
        };
        if r_.has_focus() {
            self.typing = Some((key, text));
            return true;
        }
        if r_.lost_focus() || is_typing {
            self.typing = None;
            if text != stored || bad.is_some() {
                out.push(Command::Data(DataCommand::SetCell {
                    table: cx.table.clone(),
                    row: r,
                    column: c,
                    text,
                }));
            }
        }
        false
    }

    /// Saved audiences: the list, and the chosen one's name and members.
    fn audiences_ui(&mut self, ui: &mut Ui, design: &Design, out: &mut Vec<Command>) {
        let s = &design.sample;
        if self
            .audience
            .as_ref()
            .is_none_or(|a| !s.audiences.contains_key(a))
        {
            self.audience = s.audiences.keys().next().cloned();
        }
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(LIST_WIDTH);
                let add = Command::Data(DataCommand::AddAudience);
                if command_button_ui(ui, &add).clicked() {
                    out.push(add);
                }
                egui::ScrollArea::vertical()
                    .id_salt("data-audiences")
                    .show(ui, |ui| {
                        for (name, members) in &s.audiences {
                            let on = self.audience.as_ref() == Some(name);
                            if ui
                                .selectable_label(on, format!("{name} ({})", members.len()))
                                .clicked()
                            {
                                out.push(Command::Data(DataCommand::SelectAudience(name.clone())));
                            }
                        }
                    });
            });
            ui.separator();
            ui.vertical(|ui| match self.audience.clone() {
                None => empty_ui(
                    ui,
                    "No saved audience yet. Read audience activities read one by name (a Save \
                     audience earlier in the same simulation can save one too); its members are \
                     profiles, listed by the key in the profiles' first column.",
                ),
                Some(name) => self.audience_ui(ui, design, &name, out),
            });
        });
    }

    /// One audience: its name, Delete, and its members picked from the profiles' keys.
    fn audience_ui(&mut self, ui: &mut Ui, design: &Design, name: &str, out: &mut Vec<Command>) {
        let s = &design.sample;
        let members = s.audiences.get(name).cloned().unwrap_or_default();
        ui.horizontal(|ui| {
            ui.label("Name");
            ui.scope(|ui| {
                ui.set_width(220.0);
                if let Some(to) =
                    self.name_field_ui(ui, Naming::Audience(name.to_owned()), name, "Audience name")
                {
                    out.push(Command::Data(DataCommand::RenameAudience {
                        from: name.to_owned(),
                        to,
                    }));
                }
            });
            let delete = DataCommand::DeleteAudience(name.to_owned());
            if ui
                .button(delete.meta().label)
                .on_hover_text(delete.meta().tooltip)
                .clicked()
            {
                out.push(Command::Data(delete));
            }
        });
        let keys: Vec<&String> = s.profiles.rows.iter().filter_map(|r| r.first()).collect();
        let strays: Vec<&String> = members.iter().filter(|m| !keys.contains(m)).collect();
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} of {} (ticked)",
                count_s(members.len(), "member"),
                count_s(keys.len(), "profile")
            ));
            let l = ui.label("Filter");
            ui.add(egui::TextEdit::singleline(&mut self.member_filter).desired_width(180.0))
                .labelled_by(l.id);
        });
        if !strays.is_empty() {
            warning_line_ui(
                ui,
                format!(
                    "Not in the profiles (no row has this key): {}",
                    strays
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        if keys.is_empty() {
            empty_ui(
                ui,
                "The profiles table has no row: add profiles first, then tick the ones this audience holds.",
            );
            return;
        }
        let filter = self.member_filter.to_lowercase();
        let shown: Vec<usize> = s
            .profiles
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                filter.is_empty() || r.iter().any(|c| c.to_lowercase().contains(&filter))
            })
            .map(|(i, _)| i)
            .collect();
        let row_h = ui.spacing().interact_size.y;
        egui::ScrollArea::vertical()
            .id_salt("data-members")
            .auto_shrink([false, false])
            .show_rows(ui, row_h, shown.len(), |ui, range| {
                for i in shown.get(range).unwrap_or_default() {
                    member_ui(ui, design, name, &members, *i, out);
                }
            });
    }

    /// The file store: the list, and the chosen file's path, buttons and rows.
    fn files_ui(&mut self, ui: &mut Ui, design: &Design, rev: u64, out: &mut Vec<Command>) {
        let s = &design.sample;
        if self.file.as_ref().is_none_or(|f| !s.files.contains_key(f)) {
            self.file = s.files.keys().next().cloned();
        }
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(LIST_WIDTH);
                ui.horizontal_wrapped(|ui| {
                    for c in [
                        DataCommand::AddFile,
                        DataCommand::Import(ImportInto::NewFile),
                    ] {
                        let c = Command::Data(c);
                        if command_button_ui(ui, &c).clicked() {
                            out.push(c);
                        }
                    }
                });
                egui::ScrollArea::vertical()
                    .id_salt("data-files")
                    .show(ui, |ui| {
                        for path in s.files.keys() {
                            let on = self.file.as_ref() == Some(path);
                            if ui.selectable_label(on, path).clicked() {
                                out.push(Command::Data(DataCommand::SelectFile(path.clone())));
                            }
                        }
                    });
            });
            ui.separator();
            ui.vertical(|ui| match self.file.clone() {
                None => empty_ui(
                    ui,
                    "No file yet. Transfer file activities match their path against these files \
                     (* and ? match within a folder) and Load file reads the first match as CSV \
                     rows (a header row naming the columns). Add a file or import one.",
                ),
                Some(path) => self.file_ui(ui, design, rev, &path, out),
            });
        });
    }

    /// One stored file: its path, Delete, Export, Edit as text, then its rows or its text.
    fn file_ui(
        &mut self,
        ui: &mut Ui,
        design: &Design,
        rev: u64,
        path: &str,
        out: &mut Vec<Command>,
    ) {
        let Some(text) = design.sample.files.get(path) else {
            return;
        };
        let table = DataTable::File(path.to_owned());
        ui.horizontal(|ui| {
            ui.label("Path");
            ui.scope(|ui| {
                ui.set_width(300.0);
                if let Some(to) =
                    self.name_field_ui(ui, Naming::File(path.to_owned()), path, "File path")
                {
                    out.push(Command::Data(DataCommand::RenameFile {
                        from: path.to_owned(),
                        to,
                    }));
                }
            });
            for c in [
                DataCommand::DeleteFile(path.to_owned()),
                DataCommand::Export(table.clone()),
            ] {
                let c = Command::Data(c);
                if command_button_ui(ui, &c).clicked() {
                    out.push(c);
                }
            }
            ui.checkbox(&mut self.file_as_text, "Edit as text")
                .on_hover_text("Edit the file's CSV text as it is stored");
        });
        let key = (path.to_owned(), rev);
        if self.file_view.as_ref().is_none_or(|(k, _)| *k != key) {
            self.file_view = Some((key, super::import::file_table(text)));
        }
        // Taken out while drawn (a stored file may be large: it is not copied per frame).
        let view = self.file_view.take();
        match view.as_ref().map(|(_, t)| t) {
            Some(Ok(t)) if !self.file_as_text => {
                ui.horizontal_wrapped(|ui| self.table_toolbar_ui(ui, &table, t, out));
                self.paste_box_ui(ui, &table, out);
                let cx = TableCx {
                    table: &table,
                    value: t,
                    typed: false,
                };
                self.table_ui(ui, &cx, out);
            }
            other => {
                if let Some(Err(e)) = other {
                    error_line_ui(ui, format!("⛔ This text is not a table yet: {e}"));
                }
                file_text_ui(ui, path, text, out);
            }
        }
        if self.file_view.is_none() {
            self.file_view = view;
        }
    }

    /// Options: name, value, delete; New option.
    fn options_ui(&mut self, ui: &mut Ui, design: &Design, out: &mut Vec<Command>) {
        let add = Command::Data(DataCommand::AddOption);
        if command_button_ui(ui, &add).clicked() {
            out.push(add);
        }
        let options = &design.sample.options;
        if options.is_empty() {
            empty_ui(
                ui,
                "No option yet. Expressions read options with GetOption('name') (an option that \
                 does not exist reads as null), as the reference product's options hold values \
                 that workflows share.",
            );
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("data-options")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("data-options-grid")
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label(RichText::new("name").weak());
                        ui.label(RichText::new("value").weak());
                        ui.end_row();
                        for (key, value) in options {
                            self.option_ui(ui, key, value, out);
                            ui.end_row();
                        }
                    });
            });
    }

    /// One option's row.
    fn option_ui(&mut self, ui: &mut Ui, key: &str, value: &str, out: &mut Vec<Command>) {
        ui.scope(|ui| {
            ui.set_width(220.0);
            if let Some(to) = self.name_field_ui(
                ui,
                Naming::Option(key.to_owned()),
                key,
                &format!("Name of option {key}"),
            ) {
                out.push(Command::Data(DataCommand::RenameOption {
                    from: key.to_owned(),
                    to,
                }));
            }
        });
        let mut v = value.to_owned();
        if ui
            .add(egui::TextEdit::singleline(&mut v).desired_width(360.0))
            .accessible_name(format!("Value of option {key}"))
            .changed()
        {
            out.push(Command::Data(DataCommand::SetOption {
                key: key.to_owned(),
                value: v,
            }));
        }
        if icon_button_ui(ui, "✖", &format!("Delete option {key}"), true).clicked() {
            out.push(Command::Data(DataCommand::DeleteOption(key.to_owned())));
        }
    }
}

/// A type picker of a typed column's header.
fn type_ui(ui: &mut Ui, i: usize, ty: Type, name: &str, out: &mut Vec<Command>) {
    let retype = DataCommand::RetypeColumn { column: i, ty };
    egui::ComboBox::from_id_salt(("data-type", i))
        .selected_text(ty.name())
        .width(90.0)
        .show_ui(ui, |ui| {
            for t in Type::ALL {
                if ui.selectable_label(t == ty, t.name()).clicked() && t != ty {
                    out.push(Command::Data(DataCommand::RetypeColumn {
                        column: i,
                        ty: t,
                    }));
                }
            }
        })
        .response
        .accessible_name(format!("Type of {name}"))
        .on_hover_text(retype.meta().tooltip);
}

/// A row's number and its delete button.
fn row_number_ui(ui: &mut Ui, table: &DataTable, r: usize, out: &mut Vec<Command>) {
    let n = r + 1;
    if icon_button_ui(ui, "🗑", &format!("Delete row {n}"), true).clicked() {
        out.push(Command::Data(DataCommand::DeleteRow {
            table: table.clone(),
            row: r,
        }));
    }
    ui.label(RichText::new(n.to_string()).weak());
}

/// One profile in an audience's members list: ticked when a member.
fn member_ui(
    ui: &mut Ui,
    design: &Design,
    audience: &str,
    members: &[String],
    i: usize,
    out: &mut Vec<Command>,
) {
    let p = &design.sample.profiles;
    let Some(row) = p.rows.get(i) else {
        return;
    };
    let Some(key) = row.first() else {
        return;
    };
    let mut on = members.contains(key);
    let rest: Vec<&str> = row.iter().skip(1).take(2).map(String::as_str).collect();
    let text = if rest.is_empty() {
        key.clone()
    } else {
        format!("{key}  ({})", rest.join(" "))
    };
    if ui.checkbox(&mut on, text).changed() {
        let keys = p.rows.iter().filter_map(|r| r.first());
        let mut next: Vec<String> = keys
            .filter(|k| if *k == key { on } else { members.contains(*k) })
            .cloned()
            .collect();
        // Members that no profile has keep their place at the end.
        next.extend(
            members
                .iter()
                .filter(|m| !p.rows.iter().any(|r| r.first() == Some(m)))
                .cloned(),
        );
        out.push(Command::Data(DataCommand::SetMembers {
            name: audience.to_owned(),
            members: next,
        }));
    }
}

/// A stored file's text, edited as it is stored.
fn file_text_ui(ui: &mut Ui, path: &str, text: &str, out: &mut Vec<Command>) {
    let mut t = text.to_owned();
    egui::ScrollArea::vertical()
        .id_salt("data-file-text")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if ui
                .add(
                    egui::TextEdit::multiline(&mut t)
                        .code_editor()
                        .desired_width(f32::INFINITY)
                        .desired_rows(8),
                )
                .accessible_name(format!("Text of {path}"))
                .changed()
            {
                out.push(Command::Data(DataCommand::SetFileText {
                    path: path.to_owned(),
                    text: t,
                }));
            }
        });
}

/// Where the virtual clock starts: a calendar date and a time of day (UTC).
fn clock_ui(ui: &mut Ui, design: &Design, out: &mut Vec<Command>) {
    let start = design.sample.clock_start;
    ui.label(
        "Every simulation (the Simulator tab, scenarios, batches, flowcall run) starts its \
         virtual clock here; GetDate() reads it and Wait activities move it on.",
    );
    ui.horizontal(|ui| {
        let l = ui.label("Clock start (UTC)");
        let mut v = Value::DateTime(start);
        ui.push_id("data-clock", |ui| {
            if value_ui(ui, &mut v, Type::DateTime, l.id)
                && let Value::DateTime(at) = v
            {
                out.push(Command::Data(DataCommand::SetClockStart(at)));
            }
        });
    });
}

/// What an empty part is for, in the weak colour.
fn empty_ui(ui: &mut Ui, text: &str) {
    ui.add_space(6.0);
    ui.add(egui::Label::new(RichText::new(text).weak()).wrap());
}
