//! Files as flowcall reads and writes them: reading with a cap per kind of file (a design, a
//! payload), telling whether two paths name the same file (so that an output never overwrites
//! an input), and writing atomically, also as a stream ([`AtomicFile`]): a temporary file in the
//! same folder, flushed to disk, then renamed over the target, which keeps its permissions and
//! owner where the system allows and is refused when its own permissions forbid writing it.

use std::fs::{File, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The largest design file read, in bytes (64 MiB). A design of 100,000 activities takes about
/// 30 MB of RON; a larger file is not a design (`/dev/zero`, a log) and would take the memory of
/// several times its size to parse.
pub const MAX_DESIGN_BYTES: u64 = 64 * 1024 * 1024;

/// `64 MiB`, `64 KiB`, `1000 bytes`.
pub fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1024;
    match bytes {
        b if b >= KIB * KIB && b.is_multiple_of(KIB * KIB) => format!("{} MiB", b / (KIB * KIB)),
        b if b >= KIB && b.is_multiple_of(KIB) => format!("{} KiB", b / KIB),
        b => format!("{b} bytes"),
    }
}

/// Why a file could not be read whole.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The system refused.
    #[error("cannot read {}: {error}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system error.
        error: io::Error,
    },
    /// The file holds more than the cap of its kind.
    #[error(
        "{} is larger than {} ({}), the most flowcall reads as {what}; {advice}",
        .path.display(),
        size_text(*.limit),
        match .size { Some(s) => format!("it has {s} bytes"), None => format!("over {limit} bytes") }
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size when the system says it (a regular file), `None` for a stream.
        size: Option<u64>,
        /// The cap.
        limit: u64,
        /// What the file was read as (`a design`, `a payload`).
        what: &'static str,
        /// What the user can do.
        advice: &'static str,
    },
}

/// Reads `input` (named `path` in errors) up to `limit` bytes; more is [`ReadError::TooLarge`]
/// without reading further, so `/dev/zero` or a stream that never ends costs `limit` bytes.
pub fn read_capped_from(
    mut input: impl Read,
    path: &Path,
    limit: u64,
    what: &'static str,
    advice: &'static str,
) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    (&mut input)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| ReadError::Io {
            path: path.to_owned(),
            error,
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_owned(),
            size: None,
            limit,
            what,
            advice,
        });
    }
    Ok(bytes)
}

/// Reads the file `path` whole when it holds at most `limit` bytes. A regular file larger than
/// that is refused before anything is read, with its size.
pub fn read_capped(
    path: &Path,
    limit: u64,
    what: &'static str,
    advice: &'static str,
) -> Result<Vec<u8>, ReadError> {
    let io_err = |error| ReadError::Io {
        path: path.to_owned(),
        error,
    };
    let file = File::open(path).map_err(io_err)?;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.len() > limit
    {
        return Err(ReadError::TooLarge {
            path: path.to_owned(),
            size: Some(meta.len()),
            limit,
            what,
            advice,
        });
    }
    read_capped_from(file, path, limit, what, advice)
}

/// Whether `a` and `b` name the same existing file (the same device and inode on Unix, after
/// symbolic links; the same canonical path elsewhere): `--out p.jsonl` for `--payloads
/// ./p.jsonl`, a hard link or a symbolic link to it all count. `false` when either does not
/// exist.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => same_identity(&x, &y, a, b),
        _ => false,
    }
}

#[cfg(unix)]
fn same_identity(x: &Metadata, y: &Metadata, _: &Path, _: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    x.dev() == y.dev() && x.ino() == y.ino()
}

#[cfg(not(unix))]
fn same_identity(_: &Metadata, _: &Metadata, a: &Path, b: &Path) -> bool {
    matches!(
        (std::fs::canonicalize(a), std::fs::canonicalize(b)),
        (Ok(x), Ok(y)) if x == y
    )
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The system refused.
    #[error("cannot write {}: {error}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system error.
        error: io::Error,
    },
    /// The file exists and its permissions do not let this user write it: it is left as it is
    /// (a rename in its folder could replace it, but that is not the file's owner's choice).
    #[error(
        "{} is read-only for you (its permissions do not allow writing it); it was not changed: make it writable (chmod u+w) or write to another file",
        .path.display()
    )]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be rewritten in place and its earlier content is kept aside.
    #[error(
        "could not finish writing {} ({error}); its earlier content is kept in {}",
        .path.display(),
        .backup.display()
    )]
    InPlace {
        /// The file.
        path: PathBuf,
        /// Where its earlier content is.
        backup: PathBuf,
        /// The system error.
        error: io::Error,
    },
}

/// A file written atomically as a stream: the bytes go to a temporary file in the target's
/// folder, and [`AtomicFile::commit`] flushes it to disk and renames it over the target. Until
/// then the target is untouched; dropped without a commit, the temporary file is removed, so a
/// failure (a full disk, a broken input) never leaves a truncated target.
///
/// The target keeps its identity where a rename allows: a symbolic link is followed (the file it
/// names is replaced), an existing file keeps its permissions and, where the system lets this
/// user give it, its owner and group; a new file gets `0666` less the umask. An existing file
/// this user may not write is refused ([`WriteError::ReadOnly`]). When its owner cannot be
/// kept by a rename (another user's file this user may write), the file is rewritten in place
/// instead, its earlier content kept in a temporary file until the new one is on disk. A rename
/// cannot keep hard links: other names of the old file keep the old content.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    dir: PathBuf,
    existing: Option<Metadata>,
    tmp: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Starts writing `path`: checks that an existing file may be written, then creates the
    /// temporary file (removing those an interrupted save of the same file left over a minute
    /// ago).
    pub fn create(path: &Path) -> Result<AtomicFile, WriteError> {
        let werr = |error| WriteError::Io {
            path: path.to_owned(),
            error,
        };
        let target = resolve_symlinks(path).map_err(werr)?;
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let existing = std::fs::metadata(&target).ok().filter(Metadata::is_file);
        if existing.is_some() {
            // The file's own permission decides, as it would for a program writing in place.
            match std::fs::OpenOptions::new().write(true).open(&target) {
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    return Err(WriteError::ReadOnly { path: target });
                }
                Err(error) => return Err(werr(error)),
                Ok(_) => {}
            }
        }
        let prefix = temp_prefix(&target);
        remove_stale_temps(&dir, &prefix);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            // The mode of a new file; the umask applies to it as to any file created.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(&dir).map_err(werr)?;
        Ok(AtomicFile {
            target,
            dir,
            existing,
            tmp,
        })
    }

    /// The file that a commit replaces (symbolic links followed).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Makes the written bytes the target's content: flushes them to disk, gives the temporary
    /// file the target's permissions and owner, and renames it over the target (or, when the
    /// owner cannot be kept, rewrites the target in place).
    pub fn commit(mut self) -> Result<(), WriteError> {
        let target = self.target.clone();
        let werr = |error| WriteError::Io {
            path: target.clone(),
            error,
        };
        self.tmp.flush().map_err(werr)?;
        if let Some(meta) = &self.existing {
            self.tmp
                .as_file()
                .set_permissions(meta.permissions())
                .map_err(werr)?;
            if !keep_owner(self.tmp.as_file(), meta) {
                return self.rewrite_in_place();
            }
        }
        self.tmp.as_file().sync_all().map_err(werr)?;
        self.tmp.persist(&target).map_err(|e| werr(e.error))?;
        // Make the rename itself durable where the platform allows it.
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Writes the new content into the target itself (its inode, owner and links stay), after
    /// keeping its earlier content in the temporary file, which is removed once the new content
    /// is on disk, and named in the error otherwise.
    fn rewrite_in_place(self) -> Result<(), WriteError> {
        let AtomicFile { target, tmp, .. } = self;
        let werr = |error| WriteError::Io {
            path: target.clone(),
            error,
        };
        let mut new = tmp.reopen().map_err(werr)?;
        let mut content = Vec::new();
        std::io::Seek::rewind(&mut new).map_err(werr)?;
        new.read_to_end(&mut content).map_err(werr)?;
        // The temporary file now keeps the earlier content.
        let mut backup = tmp.as_file();
        std::io::Seek::rewind(&mut backup).map_err(werr)?;
        backup.set_len(0).map_err(werr)?;
        let mut old = File::open(&target).map_err(werr)?;
        io::copy(&mut old, &mut backup).map_err(werr)?;
        backup.sync_all().map_err(werr)?;
        let written = (|| {
            let mut f = std::fs::OpenOptions::new().write(true).open(&target)?;
            f.write_all(&content)?;
            f.set_len(content.len() as u64)?;
            f.sync_all()
        })();
        match written {
            Ok(()) => Ok(()),
            Err(error) => {
                let backup = tmp.into_temp_path().keep().map_err(|e| werr(e.error))?;
                Err(WriteError::InPlace {
                    path: target,
                    backup,
                    error,
                })
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// Gives `file` the owner and group of `meta`; `false` when the system refuses (another user's
/// file, for a user who is not the super-user).
#[cfg(unix)]
fn keep_owner(file: &File, meta: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(mine) = file.metadata() else {
        return false;
    };
    if mine.uid() == meta.uid() && mine.gid() == meta.gid() {
        return true;
    }
    std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_ok()
}

#[cfg(not(unix))]
fn keep_owner(_: &File, _: &Metadata) -> bool {
    true
}

/// The file `path` names once symlinks are followed (itself when it is not a symlink, even
/// when it does not exist yet; a dangling link resolves to the file it would create).
pub(crate) fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "{} is a chain of more than 40 symbolic links; point it at the file",
        path.display()
    )))
}

/// `.NAME.flowcall-save-`: the start of the temporary files of saves of `target` (the name
/// cut to 100 bytes, so that the whole stays a valid file name).
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cut = name.len().min(100);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}.flowcall-save-", name.get(..cut).unwrap_or_default())
}

/// Removes the temporary files of earlier saves of the same file (and of flowcall versions
/// that named them `.flowcall-save-*.tmp`) that were last written over a minute ago: a save
/// killed between writing and renaming leaves one. Errors are ignored: this is tidying.
fn remove_stale_temps(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let stale_before = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = (name.starts_with(prefix) || name.starts_with(".flowcall-save-"))
            && name.ends_with(".tmp");
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < stale_before);
        if ours && old && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn capped_reads_stop_at_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(read_capped(&f, 5, "a test", "").unwrap(), b"12345");
        let e = read_capped(&f, 4, "a design", "split it").unwrap_err();
        assert!(
            matches!(e, ReadError::TooLarge { size: Some(5), .. }),
            "{e}"
        );
        assert_eq!(
            e.to_string(),
            format!(
                "{} is larger than 4 bytes (it has 5 bytes), the most flowcall reads as a design; split it",
                f.display()
            )
        );
        // A stream that never ends costs the cap.
        let e = read_capped_from(io::repeat(0), Path::new("-"), 1024, "a payload", "").unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { size: None, .. }));
        assert!(
            e.to_string()
                .contains("larger than 1 KiB (over 1024 bytes)"),
            "{e}"
        );
        assert_eq!(size_text(MAX_DESIGN_BYTES), "64 MiB");
    }

    #[test]
    fn same_file_sees_links_and_other_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::write(&a, b"x").unwrap();
        let other = dir.path().join("b");
        std::fs::write(&other, b"x").unwrap();
        assert!(same_file(&a, &dir.path().join(".").join("a")));
        assert!(!same_file(&a, &other));
        assert!(!same_file(&a, &dir.path().join("missing")));
        let hard = dir.path().join("hard");
        std::fs::hard_link(&a, &hard).unwrap();
        assert!(same_file(&a, &hard));
        #[cfg(unix)]
        {
            let soft = dir.path().join("soft");
            std::os::unix::fs::symlink(&a, &soft).unwrap();
            assert!(same_file(&soft, &a));
        }
    }

    #[test]
    fn an_atomic_file_replaces_the_target_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("out.jsonl");
        std::fs::write(&f, b"old").unwrap();
        let mut w = AtomicFile::create(&f).unwrap();
        w.write_all(b"new content").unwrap();
        assert_eq!(
            std::fs::read(&f).unwrap(),
            b"old",
            "untouched until the commit"
        );
        drop(w);
        assert_eq!(
            std::fs::read(&f).unwrap(),
            b"old",
            "a dropped write changes nothing"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
        let mut w = AtomicFile::create(&f).unwrap();
        w.write_all(b"new content").unwrap();
        w.commit().unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"new content");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_its_permissions_forbid_writing_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("locked.flow.ron");
        std::fs::write(&f, b"old").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
        // The super-user may write any file: the refusal is only for users who may not.
        let writable = std::fs::OpenOptions::new().write(true).open(&f).is_ok();
        match AtomicFile::create(&f) {
            Err(e @ WriteError::ReadOnly { .. }) => {
                assert!(!writable);
                assert!(e.to_string().contains("is read-only for you"), "{e}");
            }
            Ok(_) => assert!(writable, "a read-only file was opened for replacement"),
            Err(e) => panic!("{e}"),
        }
        assert_eq!(std::fs::read(&f).unwrap(), b"old");
    }
}
