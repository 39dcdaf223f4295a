//! The Batch tab: a file of payloads run through one signal off the UI thread, with progress,
//! cancel and a summary.

use super::command::Command;
use crate::model::Design;
use egui::Ui;

/// The state of the Batch tab.
#[derive(Default)]
pub struct BatchPanel {}

impl BatchPanel {
    /// Draws the tab.
    pub fn ui(&mut self, ui: &mut Ui, _design: &Design, _out: &mut Vec<Command>) {
        ui.label("Not built yet.");
    }
}
