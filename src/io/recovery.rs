//! Unsaved work kept when the designer panics. The designer keeps a [`PanicRecovery`] up to
//! date with the document's unsaved text (after each edit, and `None` once saved); a panic hook
//! ([`PanicRecovery::install`]) writes that text to the recovery file, the one the 30-second
//! timer writes, before the process ends, and leaves a notice beside it. At the next start,
//! [`take_notice`] reads (and removes) the notice, so the designer can say what happened while it
//! offers the recovery file back as usual.
//!
//! The hook is written for the moment it runs in: it never panics (a panic inside a panic hook
//! aborts the process), never waits for a lock (the panicking thread may hold it: it then keeps
//! the file the timer last wrote), and only writes atomically, so an older recovery file is
//! replaced whole or not at all.

use super::{SaveError, write_atomic};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The notice's file: the recovery file's name with `.panic` added.
pub fn notice_path(recovery: &Path) -> PathBuf {
    let mut name = recovery.as_os_str().to_owned();
    name.push(".panic");
    PathBuf::from(name)
}

/// What the next start is told about a panic.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PanicNotice {
    /// When, in RFC 3339 (UTC).
    pub at: String,
    /// The panic's message and where it was raised.
    pub message: String,
    /// Whether unsaved work was written to the recovery file.
    pub recovered: bool,
}

impl PanicNotice {
    /// What the designer shows: `flowcall stopped unexpectedly at ...: message. Your unsaved
    /// work was kept and is offered back.`
    pub fn text(&self) -> String {
        let kept = if self.recovered {
            "Your unsaved work was kept in the recovery file and is offered back."
        } else {
            "There was no unsaved work to keep."
        };
        format!(
            "flowcall stopped unexpectedly at {} ({}). {kept}",
            self.at, self.message
        )
    }
}

/// The document's unsaved state, shared between the designer and the panic hook.
#[derive(Debug)]
pub struct PanicRecovery {
    path: PathBuf,
    unsaved: Mutex<Option<Arc<str>>>,
}

impl PanicRecovery {
    /// Recovery at `path` (the recovery file), with nothing unsaved yet.
    pub fn new(path: PathBuf) -> Arc<PanicRecovery> {
        Arc::new(PanicRecovery {
            path,
            unsaved: Mutex::new(None),
        })
    }

    /// The recovery file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The document's text as it would be saved (`io::to_string_for`), after an edit; `None`
    /// when there is nothing unsaved (after a save, on a new untouched document).
    pub fn set_unsaved(&self, text: Option<String>) {
        let text = text.map(Arc::from);
        match self.unsaved.lock() {
            Ok(mut slot) => *slot = text,
            Err(poisoned) => *poisoned.into_inner() = text,
        }
    }

    /// Writes the unsaved text (if any) to the recovery file and the notice beside it; what the
    /// hook does. Returns whether unsaved work was written. Never waits: when the text's lock is
    /// held (by the thread that panicked), the recovery file is left as the timer last wrote it.
    pub fn write_now(&self, message: &str) -> Result<bool, SaveError> {
        let text = match self.unsaved.try_lock() {
            Ok(slot) => slot.clone(),
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner().clone(),
            Err(std::sync::TryLockError::WouldBlock) => None,
        };
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let recovered = match &text {
            Some(t) => write_atomic(&self.path, t.as_bytes()).is_ok(),
            None => false,
        };
        let notice = PanicNotice {
            at: crate::model::format_datetime_rfc3339(&chrono::DateTime::<chrono::Utc>::from(
                std::time::SystemTime::now(),
            )),
            message: message.chars().take(2_000).collect(),
            recovered,
        };
        let json = serde_json::to_string(&notice).unwrap_or_default();
        write_atomic(&notice_path(&self.path), json.as_bytes())?;
        Ok(recovered)
    }

    /// Installs a panic hook that calls [`PanicRecovery::write_now`] with the panic's message and
    /// place, then the hook that was there before (which prints the message). Call it once, at
    /// the designer's start.
    pub fn install(self: &Arc<Self>) {
        let recovery = Arc::clone(self);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = recovery.write_now(&panic_message(info));
            previous(info);
        }));
    }
}

/// `message at src/ui/app/mod.rs:12:5`.
fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned());
    match info.location() {
        Some(l) => format!("{what} at {}:{}:{}", l.file(), l.line(), l.column()),
        None => what,
    }
}

/// The notice a panic left beside the recovery file at `recovery`, removed as it is read (so
/// it is told once); `None` when the last run did not panic.
pub fn take_notice(recovery: &Path) -> Option<PanicNotice> {
    let path = notice_path(recovery);
    let text = super::read_capped(&path, 64 * 1024, "a panic notice", "").ok()?;
    let _ = std::fs::remove_file(&path);
    serde_json::from_slice(&text).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_unsaved_text_and_a_notice_are_written_and_the_notice_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("recovery.flow.ron");
        let r = PanicRecovery::new(path.clone());
        assert!(!r.write_now("boom").unwrap(), "nothing unsaved");
        assert!(!path.exists());
        let n = take_notice(&path).unwrap();
        assert!(!n.recovered);
        assert!(n.text().contains("There was no unsaved work to keep."));
        assert_eq!(take_notice(&path), None, "told once");
        r.set_unsaved(Some("(format_version: 1)\n".into()));
        assert!(r.write_now("index out of bounds at src/x.rs:1:2").unwrap());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "(format_version: 1)\n"
        );
        let n = take_notice(&path).unwrap();
        assert_eq!(n.message, "index out of bounds at src/x.rs:1:2");
        assert!(n.text().starts_with("flowcall stopped unexpectedly at "));
        assert!(
            n.text()
                .ends_with("Your unsaved work was kept in the recovery file and is offered back.")
        );
        r.set_unsaved(None);
        assert!(!r.write_now("again").unwrap());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "(format_version: 1)\n",
            "the file the timer or an earlier panic wrote stays"
        );
    }

    #[test]
    fn the_hook_never_waits_for_a_lock_the_panicking_thread_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("recovery.flow.ron");
        let r = PanicRecovery::new(path.clone());
        r.set_unsaved(Some("text".into()));
        let held = r.unsaved.lock().unwrap();
        assert!(!r.write_now("while locked").unwrap());
        drop(held);
        assert!(take_notice(&path).is_some());
    }
}
