//! The File concern: new, open, save, export, close, and the answers to the unsaved-changes
//! prompt and the recovery offer. An action that would lose unsaved changes waits for the prompt's
//! answer ([`Pending`]); dialogs are background jobs whose pick comes back as a command
//! (`Load`, `SaveTo`, `ExportTo`), applied here like any other.

use super::{App, Banner, Pending};
use crate::model::Design;
use crate::ui::command::{FileCommand, RecoveryChoice, UnsavedChoice};
use crate::ui::document::new_design;
use crate::ui::files;
use crate::ui::simulator::SimPanel;
use crate::ui::words::count_s;
use std::path::{Path, PathBuf};

impl App {
    pub(super) fn apply_file(&mut self, c: FileCommand) -> anyhow::Result<()> {
        match c {
            FileCommand::New => self.guard(Pending::New)?,
            FileCommand::Open => self.guard(Pending::OpenDialog)?,
            FileCommand::OpenPath(p) => self.guard(Pending::Open(p))?,
            FileCommand::Load(p) => self.load(&p)?,
            FileCommand::Save => match self.doc.path().map(Path::to_owned) {
                Some(p) => self.save_to(&p)?,
                None => self.apply_file(FileCommand::SaveAs)?,
            },
            FileCommand::SaveAs => {
                if let Some(ctx) = &self.ctx {
                    self.files.dialogs.save_as(ctx)?;
                }
            }
            FileCommand::SaveTo(p) => self.save_to(&p)?,
            FileCommand::Export(format) => {
                if let Some(ctx) = &self.ctx {
                    let stem = self
                        .doc
                        .path()
                        .and_then(Path::file_name)
                        .map(|n| n.to_string_lossy().trim_end_matches(".flow.ron").to_owned())
                        .unwrap_or_else(|| "design".to_owned());
                    self.files.dialogs.export(ctx, format, &stem)?;
                }
            }
            FileCommand::ExportTo(format, p) => self.export_to(format, &p)?,
            FileCommand::Close => self.guard(Pending::Close)?,
            FileCommand::Unsaved(choice) => self.answer_unsaved(choice)?,
            FileCommand::Recovery(choice) => self.answer_recovery(choice),
        }
        Ok(())
    }

    /// Runs `p` now, or asks first when there are unsaved changes.
    fn guard(&mut self, p: Pending) -> anyhow::Result<()> {
        if self.doc.is_dirty() {
            self.files.prompt = Some(p);
            Ok(())
        } else {
            self.run_pending(p)
        }
    }

    fn run_pending(&mut self, p: Pending) -> anyhow::Result<()> {
        match p {
            Pending::New => {
                let d = new_design();
                let signal = d
                    .workflows
                    .first()
                    .and_then(|w| w.signals().next())
                    .map(|(a, _)| a.id.clone());
                self.replace_design(d, None, "untitled.flow.ron");
                self.selected = signal;
            }
            Pending::OpenDialog => {
                if let Some(ctx) = &self.ctx {
                    self.files.dialogs.open(ctx)?;
                }
            }
            Pending::Open(path) => self.load(&path)?,
            Pending::Close => {
                self.files.allow_close = true;
                if let Some(ctx) = &self.ctx {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
        }
        Ok(())
    }

    fn answer_unsaved(&mut self, choice: UnsavedChoice) -> anyhow::Result<()> {
        let Some(p) = self.files.prompt.take() else {
            return Ok(());
        };
        match choice {
            UnsavedChoice::Save => {
                self.files.after_save = Some(p);
                self.apply_file(FileCommand::Save)
            }
            UnsavedChoice::Discard => self.run_pending(p),
            UnsavedChoice::Cancel => Ok(()),
        }
    }

    fn answer_recovery(&mut self, choice: RecoveryChoice) {
        let Some(r) = &mut self.recovery else {
            return;
        };
        let Some(design) = r.offered.take() else {
            return;
        };
        match choice {
            RecoveryChoice::Restore => {
                self.doc.restore_recovered(design);
                self.after_history();
            }
            RecoveryChoice::Discard => files::remove_recovery(&r.path),
        }
    }

    /// A new design in the window: fresh view, and a fresh simulator session (an endpoint that
    /// was listening stops and listens again, on the same address, to the new session).
    fn replace_design(&mut self, design: Design, path: Option<PathBuf>, name: &str) {
        self.doc.replace(design, path, name);
        self.current = self.first_workflow();
        self.selected = None;
        self.selections.clear();
        self.id_buffer = None;
        self.canvas.invalidate();
        self.canvas.forget_views();
        let addr = self.sim.listening_addr();
        self.sim = SimPanel::new(self.doc.design(), self.doc.rev());
        if let Some(a) = addr
            && let Err(e) = self.sim.listen(Some(a))
        {
            self.banner = Some(Banner::Error(format!("{e:#}")));
        }
    }

    fn load(&mut self, path: &Path) -> anyhow::Result<()> {
        // A file that fails to load leaves the current design open.
        let design = crate::io::load(path)
            .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.replace_design(design, Some(path.to_owned()), &name);
        files::push_recent(&mut self.recent, path);
        self.banner = None;
        Ok(())
    }

    fn save_to(&mut self, path: &Path) -> anyhow::Result<()> {
        crate::io::save(path, self.doc.design())
            .map_err(|e| anyhow::anyhow!("cannot save {}: {e}", path.display()))?;
        self.doc.saved_to(path);
        files::push_recent(&mut self.recent, path);
        if let Some(r) = &self.recovery {
            files::remove_recovery(&r.path);
        }
        if let Some(p) = self.files.after_save.take() {
            self.run_pending(p)?;
        }
        Ok(())
    }

    fn export_to(&mut self, format: crate::export::Format, p: &Path) -> anyhow::Result<()> {
        let out = crate::export::export(self.doc.design(), format, None)
            .map_err(|e| anyhow::anyhow!("cannot export: {e}"))?;
        crate::io::write_atomic(p, out.text.as_bytes())
            .map_err(|e| anyhow::anyhow!("cannot export: {e}"))?;
        let note = if out.warnings.is_empty() {
            format!("Exported to {}", p.display())
        } else {
            format!(
                "Exported to {} with {}:\n{}",
                p.display(),
                count_s(out.warnings.len(), "warning"),
                out.warnings.join("\n")
            )
        };
        self.banner = Some(Banner::Note(note));
        Ok(())
    }
}
