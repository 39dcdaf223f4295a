//! The file store as Transfer file activities read it: the stored paths a path matches (`*`
//! and `?` wildcards; exact otherwise), and a session's memory of what each path matched (the
//! store does not change within a session, so a batch matches each path its payloads name
//! once).

use super::prepared::Prepared;
use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

/// The file store paths matching `pattern` (`*` and `?` wildcards; exact otherwise), sorted.
pub fn match_files(prepared: &Prepared, pattern: &str) -> Vec<String> {
    match_files_in(prepared, pattern)
}

/// How many paths a session's [`FileMatches`] remembers before it starts again.
const REMEMBERED_PATHS: usize = 256;

/// What a Transfer file path matched in the file store.
#[derive(Debug)]
pub(crate) struct Matched {
    /// The stored paths it matches, sorted.
    pub(crate) files: Arc<Vec<String>>,
    /// The same, joined by commas (the `filenames` variable).
    pub(crate) joined: String,
}

/// The paths a session's Transfer files matched, by path: the file store does not change
/// during a session, so a path seen again (every payload of a batch names one of a few files)
/// is not matched again. Bounded: past [`REMEMBERED_PATHS`] paths it forgets them all.
#[derive(Debug, Default)]
pub(crate) struct FileMatches(BTreeMap<String, Matched>);

impl FileMatches {
    /// What `pattern` matches, matched once per session (always `Some`: the option only
    /// lets the remembered match be lent without copying the pattern).
    pub(crate) fn matched(&mut self, prepared: &Prepared, pattern: &str) -> Option<&Matched> {
        if !self.0.contains_key(pattern) {
            if self.0.len() >= REMEMBERED_PATHS {
                self.0.clear();
            }
            let files = match_files_in(prepared, pattern);
            let m = Matched {
                joined: files.join(","),
                files: Arc::new(files),
            };
            self.0.insert(pattern.to_owned(), m);
        }
        self.0.get(pattern)
    }
}

/// [`match_files`]: the paths that begin with the pattern's text up to its first wildcard,
/// tried against the whole pattern.
fn match_files_in(prepared: &Prepared, pattern: &str) -> Vec<String> {
    let files = &prepared.design.sample.files;
    let Some(wildcard) = pattern.find(['*', '?']) else {
        return files
            .get_key_value(pattern)
            .map(|(p, _)| vec![p.clone()])
            .unwrap_or_default();
    };
    // Only the paths that begin with the text before the first wildcard can match.
    let literal = pattern.get(..wildcard).unwrap_or_default();
    let mut candidates = files
        .range::<str, _>((Bound::Included(literal), Bound::Unbounded))
        .map(|(p, _)| p)
        .take_while(|p| p.starts_with(literal))
        .peekable();
    if candidates.peek().is_none() {
        return Vec::new();
    }
    let Some(glob) = compile_glob(pattern) else {
        return Vec::new();
    };
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    candidates
        .filter(|p| glob.matches_with(p, options))
        .cloned()
        .collect()
}

/// A wildcard path as a glob: `[` and `]` match themselves; `None` when it is no glob.
fn compile_glob(pattern: &str) -> Option<glob::Pattern> {
    let mut escaped = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        match c {
            '[' => escaped.push_str("[[]"),
            ']' => escaped.push_str("[]]"),
            c => escaped.push(c),
        }
    }
    glob::Pattern::new(&escaped).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::model::Design;

    /// What matching gave before the paths were narrowed to those beginning with the pattern's
    /// text up to its first wildcard: every stored path tried against the whole pattern.
    fn every_path(prepared: &Prepared, pattern: &str) -> Vec<String> {
        if !pattern.contains(['*', '?']) {
            return prepared
                .file_paths()
                .filter(|p| *p == pattern)
                .map(str::to_owned)
                .collect();
        }
        let escaped: String = pattern
            .chars()
            .map(|c| match c {
                '[' => "[[]".to_owned(),
                ']' => "[]]".to_owned(),
                c => c.to_string(),
            })
            .collect();
        let Ok(glob) = glob::Pattern::new(&escaped) else {
            return Vec::new();
        };
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        prepared
            .file_paths()
            .filter(|p| glob.matches_with(p, options))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn matching_only_the_paths_with_the_literal_prefix_finds_the_same_files() {
        let mut design = Design::default();
        for path in [
            "/in/a_1.csv",
            "/in/a_2.csv",
            "/in/A_3.csv",
            "/in/b[1].csv",
            "/in/sub/a_4.csv",
            "/in/.hidden.csv",
            "/other/a_1.csv",
            "relative.csv",
        ] {
            design.sample.files.insert(path.into(), "x\n".into());
        }
        let prepared = Prepared::new(design);
        for pattern in [
            "/in/a_*.csv",
            "/in/*",
            "/in/*.csv",
            "/in/b[1].csv",
            "/in/b[*",
            "/in/b[1]*",
            "*",
            "*.csv",
            "/in/a_?.csv",
            "/in/**",
            "/in/**/a_4.csv",
            "a**b",
            "/nothing*",
            "/in/sub/*",
            "/in/a_1.csv",
            "",
        ] {
            assert_eq!(
                match_files(&prepared, pattern),
                every_path(&prepared, pattern),
                "{pattern}"
            );
        }
        assert_eq!(
            match_files(&prepared, "/in/a_*.csv"),
            ["/in/a_1.csv", "/in/a_2.csv"]
        );
        let mut remembered = FileMatches::default();
        for pattern in [
            "/in/a_*.csv",
            "/in/a_*.csv",
            "a**b",
            "a**b",
            "/in/*",
            "/in/a_*.csv",
            "/in/a_1.csv",
            "/nothing*",
        ] {
            let m = remembered.matched(&prepared, pattern).unwrap();
            assert_eq!(
                *m.files,
                every_path(&prepared, pattern),
                "{pattern} after others"
            );
            assert_eq!(
                m.joined,
                every_path(&prepared, pattern).join(","),
                "{pattern}"
            );
        }
        assert_eq!(remembered.0.len(), 5, "each path matched once");
    }
}
