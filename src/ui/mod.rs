//! The desktop designer (eframe/egui; the node canvas is drawn on egui's `Scene`). Everything that touches
//! egui lives under this module. Its modules import one way, in three layers (ARCHITECTURE.md
//! has the table; `layering_tests` checks it):
//!
//! - shared, at the bottom, importing nothing from `ui` but each other (in this order):
//!   `theme` (every colour), `value` (value text and zeros, no egui), `overlay` (what the
//!   simulator shows on other panels, no egui), `document` (the design, its history and edit
//!   operations, no egui), `background` (the one pattern of background jobs), `command` (the
//!   vocabulary), `tidy` (the tidy layout of a workflow, no egui), `words` (counts as English,
//!   no egui), then `widgets` and `files`;
//! - panels, importing only shared modules, never each other: `canvas`, `inspector`,
//!   `workflows`, `problems`, `simulator`, `scenarios`, `batch`;
//! - `app` on top: the window, the frame, and the one place commands are applied.

mod app;
mod background;
mod batch;
mod canvas;
mod command;
mod document;
mod files;
mod inspector;
#[cfg(test)]
mod layering_tests;
mod overlay;
mod problems;
mod scenarios;
mod simulator;
mod theme;
mod tidy;
mod value;
mod widgets;
mod words;
mod workflows;

pub use app::{App, Banner};
pub use canvas::{Canvas, READABLE_SCALE, TEXT_SIZE, TITLE_SIZE, ZOOM_RANGE};
pub use command::{
    BatchCommand, BottomTab, Command, EditCommand, FileCommand, Meta, RecoveryChoice, SimCommand,
    UnsavedChoice, ViewCommand, WorkflowMethod,
};
pub use document::{Clip, Document, EditError};
pub use overlay::{Overlay, ScenarioMark};
pub use simulator::{FormState, FormValue, SimPanel, payload_problems};
pub use widgets::kind_icon;

/// The simulator session of a designer, locked (for tests and tools reading its runs).
pub fn lock_session(panel: &SimPanel) -> std::sync::MutexGuard<'_, crate::sim::Simulator> {
    panel.lock()
}

use anyhow::Context as _;
use std::path::PathBuf;

/// The example design opened when no file is given.
pub const EXAMPLE: &str = include_str!("../../examples/file-to-audience.flow.ron");

/// The file name shown for the bundled example.
pub const EXAMPLE_NAME: &str = "file-to-audience.flow.ron";

/// The app on the bundled example (no file attached: saving asks where).
pub fn example_app() -> anyhow::Result<App> {
    let design = crate::io::load_str(EXAMPLE).context("the bundled example does not load")?;
    Ok(App::new(design, None, EXAMPLE_NAME))
}

/// Opens the designer window on `initial` (or the bundled example) and runs until it closes.
pub fn run(initial: Option<PathBuf>) -> anyhow::Result<()> {
    let mut app = match &initial {
        Some(path) => {
            let design =
                crate::io::load(path).with_context(|| format!("cannot open {}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            App::new(design, Some(path.clone()), &name)
        }
        None => example_app()?,
    };
    if let Some(r) = files::recovery_path() {
        // A panic writes the unsaved work to the recovery file before the process ends.
        let hook = crate::io::recovery::PanicRecovery::new(r.clone());
        hook.install();
        app = app.with_recovery(r).with_panic_recovery(hook);
    }
    let title = app.title();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title.clone())
            .with_inner_size([1400.0, 860.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "flowcall",
        options,
        Box::new(move |cc| {
            match cc.storage {
                Some(s) => app.load_settings(s),
                None => app.fill_screen(),
            }
            if let Some(p) = &initial {
                app.recent.retain(|r| r != p);
                app.recent.insert(0, p.clone());
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the designer window failed: {e}"))
}
