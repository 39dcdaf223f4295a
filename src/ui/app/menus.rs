//! The menu bar and the keyboard, both read from the command vocabulary: the menus are
//! [`menu_bar`] as it is (each command once), the shortcuts are [`keymap`]. Input handling
//! (shortcuts, the copy, cut and paste events that egui-winit makes of Ctrl+C, Ctrl+X and
//! Ctrl+V, the arrow keys that nudge the selection and Escape that clears it, dropped files, the
//! window's close button, finished dialogs) only queues commands. A focused text field keeps
//! the keys it uses for itself.

use super::App;
use crate::ui::command::{
    BatchCommand, Command, EditCommand, FileCommand, MenuEntry, ViewCommand, keymap, menu_bar,
};
use crate::ui::files;
use egui::Ui;
use std::path::PathBuf;

impl App {
    /// Queues what the keyboard, dropped files, the close button and finished dialogs ask for.
    pub(super) fn handle_input(&mut self, ctx: &egui::Context) {
        let text_focused = ctx.memory(|m| m.focused()).is_some();
        for (shortcut, cmd) in keymap() {
            if text_focused && cmd.yields_to_text() {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(shortcut)) {
                self.pending.push(cmd.clone());
            }
        }
        let free = !text_focused && !self.modal_open() && !egui::Popup::is_any_open(ctx);
        if free {
            self.clipboard_events(ctx);
            self.canvas_keys(ctx);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.pending.push(if files::is_payload_file(&p) {
                BatchCommand::OpenPath(p).into()
            } else {
                FileCommand::OpenPath(p).into()
            });
        }
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.is_dirty()
            && !self.files.allow_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending.push(FileCommand::Close.into());
        }
        if let Some(cmd) = self.files.dialogs.poll() {
            self.pending.push(cmd);
        }
    }

    /// The copy, cut and paste events (egui-winit turns Ctrl+C, Ctrl+X and Ctrl+V into these,
    /// not into key presses), when no text field has the focus.
    fn clipboard_events(&mut self, ctx: &egui::Context) {
        let events = ctx.input(|i| i.events.clone());
        for e in events {
            match e {
                egui::Event::Copy => self.pending.push(EditCommand::Copy.into()),
                egui::Event::Cut => self.pending.push(EditCommand::Cut.into()),
                egui::Event::Paste(text) => self.pending.push(EditCommand::PasteText(text).into()),
                _ => {}
            }
        }
    }

    /// The arrow keys nudge the selected activities (with Shift, further); Escape clears the
    /// selection.
    fn canvas_keys(&mut self, ctx: &egui::Context) {
        if self.selected.is_none() {
            return;
        }
        const STEP: f32 = 10.0;
        let keys = [
            (egui::Key::ArrowLeft, -1.0, 0.0),
            (egui::Key::ArrowRight, 1.0, 0.0),
            (egui::Key::ArrowUp, 0.0, -1.0),
            (egui::Key::ArrowDown, 0.0, 1.0),
        ];
        for (key, dx, dy) in keys {
            for (mods, step) in [
                (egui::Modifiers::SHIFT, STEP * 4.0),
                (egui::Modifiers::NONE, STEP),
            ] {
                if ctx.input_mut(|i| i.consume_key(mods, key)) {
                    self.pending
                        .push(EditCommand::Nudge(dx * step, dy * step).into());
                }
            }
        }
        if !self.focus_was
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.canvas.clear_selection();
            self.pending.push(ViewCommand::Select(None).into());
        }
    }

    /// The menu bar and the theme switch.
    pub(super) fn menu_ui(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                for menu in menu_bar() {
                    ui.menu_button(menu.title, |ui| {
                        for entry in &menu.entries {
                            self.entry_ui(ui, entry, out);
                        }
                    });
                }
                ui.separator();
                let toggle = Command::View(ViewCommand::ToggleTheme);
                let theme = if self.dark { "☀ Light" } else { "🌙 Dark" };
                if ui.button(theme).on_hover_text(toggle.tooltip()).clicked() {
                    out.push(toggle);
                }
            });
        });
    }

    fn entry_ui(&self, ui: &mut Ui, entry: &MenuEntry, out: &mut Vec<Command>) {
        match entry {
            MenuEntry::Command(c) => item_ui(ui, c, out),
            MenuEntry::Submenu(title, commands) => {
                ui.menu_button(*title, |ui| {
                    for c in commands {
                        item_ui(ui, c, out);
                    }
                });
            }
            MenuEntry::Recent => {
                ui.menu_button("Open recent", |ui| {
                    if self.recent.is_empty() {
                        ui.label("No recent file");
                    }
                    for p in &self.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            out.push(FileCommand::OpenPath(p.clone()).into());
                            ui.close();
                        }
                    }
                });
            }
        }
    }
}

/// A menu item: label, shortcut and tooltip from the command; a click closes the menu.
fn item_ui(ui: &mut Ui, cmd: &Command, out: &mut Vec<Command>) {
    let b = egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(ui.ctx()));
    if ui.add(b).on_hover_text(cmd.tooltip()).clicked() {
        out.push(cmd.clone());
        ui.close();
    }
}
