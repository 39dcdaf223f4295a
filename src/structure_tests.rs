//! The crate's structure, checked on its source files (read at test time, so a new file is
//! checked as soon as it exists). One walk over `src/` gives every file its module path, its
//! code (comments, strings and `#[cfg(test)]` items blanked, lines kept), the items it defines
//! and the files it imports; the tests below hold the rules of ARCHITECTURE.md and the
//! developers' guide on them:
//!
//! - layers: the table of ARCHITECTURE.md is [`LAYERS`], and each top-level module imports
//!   exactly the modules its row names (the table stays true both ways);
//! - files: the import graph of the files of `src/` has no cycle;
//! - functions: none is over 80 lines unless a `// Table:` comment just above it says why;
//! - docs: every file opens with a `//!` paragraph, and the library warns of public items
//!   without docs (`#![warn(missing_docs)]`, an error under CI's clippy);
//! - the engine: the files of `src/sim/engine/` import one way, in the order of [`ENGINE_ORDER`];
//! - the designer: the files of `src/ui` import only from lower layers of [`UI_LAYERS`], the
//!   modules of [`NO_EGUI`] name no egui, and a function taking a `&mut Ui` is named `ui` or
//!   `*_ui`.
//!
//! A file imports another when it names an item defined there: a path `crate::…`, `super::…`,
//! `self::…` or `child::…` (a module the file declares), in a `use` or anywhere in its code, is
//! followed module by module and then through `use` declarations (re-exports, named or glob) to
//! the file that defines the item. A re-export is an import too: a `mod.rs` that re-exports a
//! child depends on it, so a child must not import what that `mod.rs` defines (that is the
//! cycle). A glob (`use super::*`) imports the module's own file. Test code (`#[cfg(test)]`
//! items and files) is left out, and so is `main.rs`, the binary over the library.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// ARCHITECTURE.md's table of layers: each top-level module of the library and the modules it
/// uses. [`the_layer_table_is_architecture_md`] holds the document to it and
/// [`each_layer_imports_exactly_what_its_row_says`] the code.
const LAYERS: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("expr", &["model"]),
    ("check", &["model", "expr"]),
    ("sim", &["model", "expr"]),
    ("io", &["model"]),
    ("diff", &["model", "check", "sim"]),
    ("export", &["model", "expr", "check", "io"]),
    ("serve", &["model", "sim", "export"]),
    (
        "ui",
        &[
            "model", "expr", "check", "sim", "io", "diff", "export", "serve",
        ],
    ),
    (
        "cli",
        &[
            "model", "expr", "check", "sim", "io", "diff", "export", "serve", "ui",
        ],
    ),
];

/// The files of the simulator's engine (`src/sim/engine/`), each importing only files listed
/// before it (ARCHITECTURE.md, "Inside `src/sim`"): the session and its types at the bottom,
/// the trigger path and the life cycle on it, then why an activity fails, what a visit
/// changes, what each kind decides and the stepping that drives them.
const ENGINE_ORDER: &[&str] = &[
    "sim::engine::queue",
    "sim::engine",
    "sim::engine::intake",
    "sim::engine::lifecycle",
    "sim::engine::error",
    "sim::engine::effect",
    "sim::engine::activities",
    "sim::engine::schedule",
];

/// The longest a function may be without a reason.
const MAX_LINES: usize = 80;

/// Where a top-level module of `ui` sits: shared modules at rank 0 and 1, panels at 10, the
/// app at 20. A module may import only modules of a lower rank.
const UI_LAYERS: &[(&str, u32)] = &[
    ("theme", 0),
    ("value", 0),
    ("overlay", 0),
    ("document", 0),
    ("background", 0),
    ("command", 0),
    ("tidy", 0),
    ("words", 0),
    ("widgets", 1),
    ("files", 1),
    ("canvas", 10),
    ("inspector", 10),
    ("workflows", 10),
    ("problems", 10),
    ("simulator", 10),
    ("scenarios", 10),
    ("batch", 10),
    ("data", 10),
    ("app", 20),
];

/// Modules of `ui` that must not use egui at all.
const NO_EGUI: &[&str] = &[
    "ui::value",
    "ui::overlay",
    "ui::document",
    "ui::tidy",
    "ui::words",
    "ui::simulator::run_form",
    "ui::data::edit",
    "ui::data::import",
    "ui::scenarios::form",
];

/// One source file.
struct File {
    /// Its module path (`["sim", "engine"]`; empty for `lib.rs`, `["main"]` for `main.rs`).
    module: Vec<String>,
    /// Its path under the crate (`src/sim/engine.rs`).
    path: String,
    /// The text as written.
    text: String,
    /// The text with comments, strings and `#[cfg(test)]` items blanked (lines kept).
    code: String,
    /// Whether the whole file is test code (declared by a `#[cfg(test)] mod x;`).
    test: bool,
    /// The items it defines (functions, types, traits, constants, statics, macros).
    defines: BTreeSet<String>,
    /// Its `use` declarations: the tree as written, its line, and whether it is `pub` (a
    /// re-export, which a glob of the file sees).
    uses: Vec<(String, usize, bool)>,
}

impl File {
    /// `a::b` (`lib` for the root).
    fn name(&self) -> String {
        module_name(&self.module)
    }

    fn is_bin(&self) -> bool {
        self.module == ["main"]
    }
}

fn module_name(module: &[String]) -> String {
    if module.is_empty() {
        "lib".to_owned()
    } else {
        module.join("::")
    }
}

/// The library's sources, read once per test run.
struct Crate {
    files: Vec<File>,
    /// Module path to its index in `files`.
    index: BTreeMap<Vec<String>, usize>,
    /// File to the files it imports, each with the first line that names it.
    edges: BTreeMap<usize, BTreeMap<usize, usize>>,
}

static CRATE: LazyLock<Crate> = LazyLock::new(Crate::read);

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with its module path.
fn walk(dir: &Path, prefix: &[String], out: &mut Vec<(Vec<String>, PathBuf)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            let mut sub = prefix.to_vec();
            sub.push(stem);
            walk(&p, &sub, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let mut module = prefix.to_vec();
            let root = prefix.is_empty() && stem == "lib";
            if !(root || stem == "mod") {
                module.push(stem);
            }
            out.push((module, p));
        }
    }
}

impl Crate {
    fn read() -> Crate {
        let mut found = Vec::new();
        walk(&src_dir(), &[], &mut found);
        let mut files: Vec<File> = found
            .into_iter()
            .map(|(module, p)| {
                let text = std::fs::read_to_string(&p).unwrap();
                let (code, _) = strip_tests(&code_of(&text));
                let rel = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
                File {
                    path: rel.to_string_lossy().into_owned(),
                    defines: definitions(&code),
                    uses: uses(&code),
                    module,
                    text,
                    code,
                    test: false,
                }
            })
            .collect();
        // Files declared by `#[cfg(test)] mod x;` are test code, and so is all below them.
        let mut test_modules = BTreeSet::new();
        for f in &files {
            for child in strip_tests(&code_of(&f.text)).1 {
                let mut m = f.module.clone();
                m.push(child);
                test_modules.insert(m);
            }
        }
        for f in &mut files {
            f.test = test_modules.iter().any(|t| f.module.starts_with(t));
        }
        let index = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.module.clone(), i))
            .collect();
        let mut c = Crate {
            files,
            index,
            edges: BTreeMap::new(),
        };
        c.edges = (0..c.files.len()).map(|i| (i, c.imports_of(i))).collect();
        c
    }

    fn file(&self, module: &[String]) -> Option<&File> {
        self.index.get(module).map(|&i| &self.files[i])
    }

    /// The library's files that are not test code.
    fn library(&self) -> impl Iterator<Item = (usize, &File)> {
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.test && !f.is_bin())
    }

    /// The files file `i` imports, each with the first line naming it.
    fn imports_of(&self, i: usize) -> BTreeMap<usize, usize> {
        let f = &self.files[i];
        let mut out = BTreeMap::new();
        if f.test || f.is_bin() {
            return out;
        }
        let mut add = |target: Vec<String>, line: usize| {
            if let Some(&t) = self.index.get(&target)
                && t != i
                && !self.files[t].test
            {
                out.entry(t).or_insert(line);
            }
        };
        for (tree, line, _) in &f.uses {
            for (path, _) in expand(tree) {
                if let Some((base, rest)) = self.start(&f.module, &path) {
                    add(self.resolve(&base, &rest, 0), *line);
                }
            }
        }
        let declared = children(&f.code);
        for (path, line) in inline_paths(&f.code) {
            let head = path.first().map(String::as_str).unwrap_or_default();
            if !matches!(head, "crate" | "super" | "self") && !declared.contains(head) {
                continue;
            }
            if let Some((base, rest)) = self.start(&f.module, &path) {
                add(self.resolve(&base, &rest, 0), line);
            }
        }
        out
    }

    /// Where a path written in `module` starts: the module it is relative to and the segments
    /// left; `None` for a path into another crate.
    fn start(&self, module: &[String], path: &[String]) -> Option<(Vec<String>, Vec<String>)> {
        let head = path.first()?;
        match head.as_str() {
            "crate" => Some((Vec::new(), path[1..].to_vec())),
            "self" => Some((module.to_vec(), path[1..].to_vec())),
            "super" => {
                let ups = path.iter().take_while(|s| *s == "super").count();
                let base = module[..module.len().saturating_sub(ups)].to_vec();
                Some((base, path[ups..].to_vec()))
            }
            _ => {
                let mut child = module.to_vec();
                child.push(head.clone());
                self.index
                    .contains_key(&child)
                    .then(|| (module.to_vec(), path.to_vec()))
            }
        }
    }

    /// The file that defines what `path` names from `module`: modules are followed, then the
    /// item is looked up among the module's definitions and `use` declarations. What cannot be
    /// followed further (an item of another crate, a name a macro makes) is the module's file.
    fn resolve(&self, module: &[String], path: &[String], depth: usize) -> Vec<String> {
        let mut cur = module.to_vec();
        for seg in path {
            let mut child = cur.clone();
            child.push(seg.clone());
            if self.index.contains_key(&child) {
                cur = child;
                continue;
            }
            if seg == "self" || seg == "*" {
                return cur;
            }
            return self.item(&cur, seg, depth, false).unwrap_or(cur);
        }
        cur
    }

    /// The file that defines item `name` of `module`, through its `use` declarations (only its
    /// `pub use` ones when the module is seen through a glob, which re-exports nothing else).
    fn item(
        &self,
        module: &[String],
        name: &str,
        depth: usize,
        globbed: bool,
    ) -> Option<Vec<String>> {
        let f = self.file(module)?;
        if f.defines.contains(name) {
            return Some(module.to_vec());
        }
        if depth > 8 {
            return None;
        }
        for (tree, _, public) in &f.uses {
            if globbed && !public {
                continue;
            }
            for (path, alias) in expand(tree) {
                let last = path.last().map(String::as_str).unwrap_or_default();
                let glob = last == "*";
                if !glob && alias.as_deref().unwrap_or(last) != name {
                    continue;
                }
                let Some((base, mut rest)) = self.start(module, &path[..path.len() - 1]) else {
                    continue;
                };
                if glob {
                    let from = self.resolve(&base, &rest, depth + 1);
                    if let Some(found) = self.item(&from, name, depth + 1, true) {
                        return Some(found);
                    }
                } else {
                    rest.push(last.to_owned());
                    return Some(self.resolve(&base, &rest, depth + 1));
                }
            }
        }
        None
    }
}

/// The source without comments, string and char literals (lines kept).
fn code_of(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|c| *c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = &rest[2 + hashes..];
            let end = body
                .find(&close)
                .map_or(rest.len(), |e| 2 + hashes + e + close.len());
            out.push_str("\"\"");
            out.extend(rest[..end].chars().filter(|c| *c == '\n'));
            i += end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            out.extend(src[i..(j + 1).min(b.len())].chars().filter(|c| *c == '\n'));
            i = j + 1;
        } else if let Some(len) = char_literal(rest) {
            out.push_str("' '");
            i += len;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The length of a char literal at the start of `s` (`'x'`, `'\n'`, `'\u{..}'`), if one is.
fn char_literal(s: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    if chars.next()?.1 != '\'' {
        return None;
    }
    let (_, c) = chars.next()?;
    if c == '\\' {
        let close = s[2..].find('\'')?;
        return Some(2 + close + 1);
    }
    let (j, q) = chars.next()?;
    (q == '\'').then_some(j + 1)
}

/// `code` with every `#[cfg(test)]` item blanked (lines kept), and the modules declared as
/// test files (`#[cfg(test)] mod x;`).
fn strip_tests(code: &str) -> (String, Vec<String>) {
    const MARK: &str = "#[cfg(test)]";
    let mut out = code.to_owned();
    let mut test_files = Vec::new();
    let mut from = 0;
    while let Some(at) = out[from..].find(MARK).map(|k| from + k) {
        let b = out.as_bytes();
        let mut j = at + MARK.len();
        // Further attributes.
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if !out[j..].starts_with("#[") {
                break;
            }
            j = matching(b, j + 1, b'[', b']').map_or(b.len(), |e| e + 1);
        }
        let item_start = j;
        // The item ends at a `;` outside brackets, or with its braced body.
        let mut depth = 0i32;
        let mut end = b.len();
        while j < b.len() {
            match b[j] {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth == 0 => {
                    end = j + 1;
                    break;
                }
                b'{' if depth == 0 => {
                    end = matching(b, j, b'{', b'}').map_or(b.len(), |e| e + 1);
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        let item = &out[item_start..end];
        if let Some(name) = item
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ")
            .strip_prefix("mod ")
            .and_then(|s| s.strip_suffix(';'))
        {
            test_files.push(name.trim().to_owned());
        }
        let blank: String = out[at..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blank);
        from = at + blank.len();
    }
    (out, test_files)
}

/// The index of the bracket closing the one at `open`.
fn matching(b: &[u8], open: usize, left: u8, right: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &c) in b.iter().enumerate().skip(open) {
        if c == left {
            depth += 1;
        } else if c == right {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// The leading identifier of `s`.
fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The items a file defines: the name after `fn`, `struct`, `enum`, `trait`, `type`, `const`,
/// `static`, `union`, `mod` or `macro_rules!` at the start of a line (after a visibility and
/// qualifiers).
fn definitions(code: &str) -> BTreeSet<String> {
    const KINDS: [&str; 10] = [
        "fn",
        "struct",
        "enum",
        "trait",
        "type",
        "const",
        "static",
        "union",
        "mod",
        "macro_rules!",
    ];
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut k = 0;
        while let Some(w) = words.get(k) {
            let qualifier = w.starts_with("pub") || matches!(*w, "async" | "unsafe" | "default");
            let const_fn = *w == "const" && words.get(k + 1).is_some_and(|n| n == &"fn");
            if !(qualifier || const_fn) {
                break;
            }
            k += 1;
        }
        if words.get(k).is_some_and(|w| KINDS.contains(w))
            && let Some(name) = words.get(k + 1).map(|w| ident(w))
            && !name.is_empty()
        {
            out.insert(name.to_owned());
        }
    }
    out
}

/// The `use` declarations of a file: the tree after `use`, its line, and whether it is `pub`
/// (in any form).
fn uses(code: &str) -> Vec<(String, usize, bool)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (n, line) in code.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let (public, after_vis) = match trimmed.split_once(' ') {
            Some((vis, rest)) if vis.starts_with("pub") => (true, rest.trim_start()),
            _ => (false, trimmed),
        };
        if let Some(tree) = after_vis.strip_prefix("use ") {
            let start = offset + (line.len() - tree.len());
            let end = code[start..].find(';').map_or(code.len(), |e| start + e);
            out.push((code[start..end].to_owned(), n + 1, public));
        }
        offset += line.len();
    }
    out
}

/// The paths a `use` tree names, each with its alias (`a::{b, c::d as e}` gives `a::b` and
/// `a::c::d` as `e`).
fn expand(tree: &str) -> Vec<(Vec<String>, Option<String>)> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let (path, alias) = match tree.split_once(" as ") {
            Some((p, a)) => (p.trim(), Some(a.trim().to_owned())),
            None => (tree, None),
        };
        let segs: Vec<String> = path
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        return if segs.is_empty() {
            Vec::new()
        } else {
            vec![(segs, alias)]
        };
    };
    let head = &tree[..open];
    let close = tree.rfind('}').unwrap_or(tree.len());
    let mut items = vec![String::new()];
    let mut depth = 0usize;
    for c in tree[open + 1..close].chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(String::new());
                continue;
            }
            _ => {}
        }
        items.last_mut().unwrap().push(c);
    }
    items
        .iter()
        .filter(|i| !i.trim().is_empty())
        .flat_map(|i| expand(&format!("{head}{}", i.trim())))
        .collect()
}

/// The paths written in code outside `use` declarations (`a::b::c`), with their lines.
fn inline_paths(code: &str) -> Vec<(Vec<String>, usize)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("use ") || trimmed.starts_with("pub use ") {
            continue;
        }
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let word_start = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
            let colon_before = i > 0 && b[i - 1] == b':';
            if !word_start || colon_before || !(b[i].is_ascii_alphabetic() || b[i] == b'_') {
                i += 1;
                continue;
            }
            let mut segs = Vec::new();
            let mut j = i;
            loop {
                let id = ident(&line[j..]);
                if id.is_empty() {
                    break;
                }
                segs.push(id.to_owned());
                j += id.len();
                if line[j..].starts_with("::") {
                    j += 2;
                } else {
                    break;
                }
            }
            if segs.len() > 1 {
                out.push((segs, n + 1));
            }
            i = j.max(i + 1);
        }
    }
    // A continued `use` spans lines that do not start with it.
    let in_use: BTreeSet<usize> = uses(code)
        .iter()
        .flat_map(|(tree, line, _)| *line..=*line + tree.matches('\n').count())
        .collect();
    out.retain(|(_, line)| !in_use.contains(line));
    out
}

/// The `mod x;` children a file declares.
fn children(code: &str) -> BTreeSet<String> {
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l
                .split_once("mod ")
                .filter(|(v, _)| v.is_empty() || v.starts_with("pub"))?;
            Some(l.1.strip_suffix(';')?.trim().to_owned())
        })
        .collect()
}

/// A function, as the checks below see it.
struct Function {
    /// `module::name`.
    path: String,
    /// Its name.
    name: String,
    /// Its file's module path.
    module: Vec<String>,
    /// Its signature, up to the opening brace (comments and strings blanked).
    signature: String,
    /// Its lines, signature to closing brace (none for a declaration without a body).
    lines: Option<usize>,
    /// Whether a `// Table:` comment stands among the comments and attributes just above it.
    table: bool,
}

/// Every function of every file that is not test code.
fn functions() -> Vec<Function> {
    let mut out = Vec::new();
    for f in CRATE.files.iter().filter(|f| !f.test) {
        let lines: Vec<&str> = f.code.lines().collect();
        let original: Vec<&str> = f.text.lines().collect();
        for (k, line) in lines.iter().enumerate() {
            let Some(name) = fn_name(line) else { continue };
            let end = lines[k..]
                .iter()
                .position(|l| l.contains('{') || l.contains(';'))
                .map_or(lines.len(), |e| k + e + 1);
            let table = original[..k]
                .iter()
                .rev()
                .take_while(|l| {
                    let l = l.trim();
                    l.starts_with("//") || l.starts_with("#[")
                })
                .any(|l| l.trim().starts_with("// Table:"));
            let mut path = f.module.clone();
            path.push(name.clone());
            out.push(Function {
                path: path.join("::"),
                signature: lines[k..end].join(" "),
                lines: body_lines(&lines[k..]),
                module: f.module.clone(),
                table,
                name,
            });
        }
    }
    out
}

/// The name of the function a line starts, if it does.
fn fn_name(line: &str) -> Option<String> {
    let mut words = line.split_whitespace().peekable();
    while let Some(w) = words.peek() {
        if w.starts_with("pub") || matches!(*w, "const" | "async" | "unsafe" | "default") {
            words.next();
        } else {
            break;
        }
    }
    if words.next()? != "fn" {
        return None;
    }
    let name = ident(words.next()?);
    (!name.is_empty()).then(|| name.to_owned())
}

/// How many lines the function starting at `lines[0]` spans, up to its closing brace (none for
/// a declaration without a body: a `;` before any brace, outside brackets).
fn body_lines(lines: &[&str]) -> Option<usize> {
    let mut depth = 0usize;
    let mut brackets = 0i32;
    let mut opened = false;
    for (k, line) in lines.iter().enumerate() {
        for c in line.chars() {
            match c {
                '(' | '[' => brackets += 1,
                ')' | ']' => brackets -= 1,
                ';' if !opened && brackets == 0 => return None,
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => {
                    depth = depth.saturating_sub(1);
                    if opened && depth == 0 {
                        return Some(k + 1);
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// The top-level module of a library file (`None` for `lib.rs`).
fn layer(f: &File) -> Option<&str> {
    f.module.first().map(String::as_str)
}

/// The rows of ARCHITECTURE.md's layer table: module to the modules in its "may use" cell.
fn architecture_table() -> BTreeMap<String, BTreeSet<String>> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    let mut rows = BTreeMap::new();
    let mut in_table = false;
    for line in doc.lines() {
        if line.starts_with("| module | owns | may use |") {
            in_table = true;
            continue;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
        let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
            continue;
        };
        let module = first.trim().trim_matches('`').trim_start_matches("src/");
        let used = last
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        rows.insert(module.to_owned(), used);
    }
    rows
}

#[test]
fn the_layer_table_is_architecture_md() {
    let written = architecture_table();
    let data: BTreeMap<String, BTreeSet<String>> = LAYERS
        .iter()
        .map(|(m, used)| {
            let used = used.iter().map(|u| (*u).to_owned()).collect();
            ((*m).to_owned(), used)
        })
        .collect();
    assert_eq!(
        written, data,
        "ARCHITECTURE.md's table (left) and LAYERS (right) differ"
    );
    // Every module of the library has its row.
    let modules: BTreeSet<&str> = CRATE.library().filter_map(|(_, f)| layer(f)).collect();
    let rows: BTreeSet<&str> = LAYERS.iter().map(|(m, _)| *m).collect();
    assert_eq!(modules, rows, "modules of src/ (left) and rows of LAYERS");
}

#[test]
fn the_layers_have_no_cycle() {
    // Each layer may use only layers listed before it.
    let mut seen = BTreeSet::new();
    for (m, used) in LAYERS {
        for u in *used {
            assert!(
                seen.contains(u),
                "{m} uses {u}, which is not listed before it"
            );
        }
        seen.insert(*m);
    }
}

#[test]
fn each_layer_imports_exactly_what_its_row_says() {
    let mut used: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (i, f) in CRATE.library() {
        let Some(from) = layer(f) else { continue };
        let allowed = LAYERS
            .iter()
            .find(|(m, _)| *m == from)
            .map_or(&[][..], |(_, u)| *u);
        for (&t, line) in &CRATE.edges[&i] {
            let target = &CRATE.files[t];
            let Some(to) = layer(target) else {
                wrong.push(format!("{}:{line} imports the crate root", f.path));
                continue;
            };
            if to == from {
                continue;
            }
            used.entry(from).or_default().insert(to);
            if !allowed.contains(&to) {
                wrong.push(format!(
                    "{}:{line} imports {} ({}), which its row of LAYERS does not name",
                    f.path,
                    target.name(),
                    target.path
                ));
            }
        }
    }
    for (m, allowed) in LAYERS {
        for a in *allowed {
            if !used.get(m).is_some_and(|u| u.contains(a)) {
                wrong.push(format!(
                    "{m} does not use {a} any more: take it out of its row (LAYERS and ARCHITECTURE.md)"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The strongly connected components of more than one file, each as its files.
fn cycles(edges: &BTreeMap<usize, BTreeSet<usize>>) -> Vec<Vec<usize>> {
    // Tarjan's algorithm, iterative over an explicit stack.
    struct State {
        index: BTreeMap<usize, usize>,
        low: BTreeMap<usize, usize>,
        stack: Vec<usize>,
        on: BTreeSet<usize>,
        out: Vec<Vec<usize>>,
    }
    fn connect(v: usize, edges: &BTreeMap<usize, BTreeSet<usize>>, s: &mut State) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for &w in edges.get(&v).into_iter().flatten() {
            if !s.index.contains_key(&w) {
                connect(w, edges, s);
                let lw = s.low[&w];
                let lv = s.low.get_mut(&v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(&w) {
                let iw = s.index[&w];
                let lv = s.low.get_mut(&v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[&v] == s.index[&v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(&w);
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort_unstable();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for &v in edges.keys() {
        if !s.index.contains_key(&v) {
            connect(v, edges, &mut s);
        }
    }
    s.out
}

#[test]
fn the_import_graph_of_the_files_has_no_cycle() {
    let c = &*CRATE;
    let graph: BTreeMap<usize, BTreeSet<usize>> = c
        .edges
        .iter()
        .map(|(&a, tos)| (a, tos.keys().copied().collect()))
        .collect();
    let found = cycles(&graph);
    let report: Vec<String> = found
        .iter()
        .map(|component| {
            let mut lines = vec![format!(
                "files that import each other: {}",
                component
                    .iter()
                    .map(|&i| c.files[i].path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )];
            for &a in component {
                for (&b, line) in &c.edges[&a] {
                    if component.contains(&b) {
                        lines.push(format!(
                            "  {}:{line} imports {}",
                            c.files[a].path, c.files[b].path
                        ));
                    }
                }
            }
            lines.join("\n")
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_graph_sees_imports() {
    // Paths, groups, re-exports and globs resolve to the file that defines the item.
    let edge = |a: &str, b: &str| {
        let a = CRATE.index[&to_module(a)];
        let b = CRATE.index[&to_module(b)];
        CRATE.edges[&a].contains_key(&b)
    };
    assert!(edge("ui::app", "ui::canvas"));
    assert!(edge("ui::canvas", "ui::command"));
    assert!(edge("ui::simulator::tab", "ui::simulator"));
    assert!(edge("sim::payloads", "sim::generate"));
    assert!(!edge("sim::generate", "sim::payloads"));
    assert!(edge("sim::engine::schedule", "sim::engine::activities"));
    assert!(edge("sim::engine::intake", "sim::engine"));
    assert!(!edge("sim::engine", "sim::engine::intake"));
    assert!(edge("check", "model::design"), "through model's re-exports");
    assert!(
        edge("expr::docs", "expr::limits"),
        "through expr's named re-exports"
    );
    assert!(
        edge("export::feel", "expr::ast"),
        "through expr's glob re-exports"
    );
    assert!(
        !edge("expr::builtins::event", "expr"),
        "a glob re-exports only what a file makes public"
    );
    assert!(
        !edge("check", "model"),
        "model/mod.rs defines nothing check uses"
    );
}

#[test]
fn the_engine_files_import_one_way() {
    let mut wrong = Vec::new();
    for (i, f) in CRATE.library() {
        if !f.module.starts_with(&to_module("sim::engine")) {
            continue;
        }
        let Some(rank) = ENGINE_ORDER.iter().position(|m| *m == f.name()) else {
            wrong.push(format!("{} is not in ENGINE_ORDER", f.path));
            continue;
        };
        for (&t, line) in &CRATE.edges[&i] {
            let target = &CRATE.files[t];
            let to = ENGINE_ORDER.iter().position(|m| *m == target.name());
            if to.is_some_and(|to| to >= rank) {
                wrong.push(format!(
                    "{}:{line} imports {}, which is not listed before it in ENGINE_ORDER",
                    f.path, target.path
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn to_module(name: &str) -> Vec<String> {
    name.split("::").map(str::to_owned).collect()
}

#[test]
fn no_function_is_over_80_lines_without_a_reason() {
    let long: Vec<String> = functions()
        .into_iter()
        .filter_map(|f| {
            let n = f.lines?;
            (n > MAX_LINES && !f.table).then(|| format!("{}: {n} lines", f.path))
        })
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn every_file_opens_with_a_module_doc() {
    let missing: Vec<&str> = CRATE
        .files
        .iter()
        .filter(|f| {
            let first = f.text.lines().map(str::trim).find(|l| !l.is_empty());
            !first.is_some_and(|l| l.starts_with("//!"))
        })
        .map(|f| f.path.as_str())
        .collect();
    assert!(missing.is_empty(), "no //! paragraph: {missing:?}");
}

#[test]
fn the_library_warns_of_public_items_without_docs() {
    let root = CRATE.file(&[]).unwrap();
    assert!(
        root.code.contains("#![warn(missing_docs)]")
            || root.code.contains("#![deny(missing_docs)]"),
        "lib.rs has no #![warn(missing_docs)]"
    );
}

/// The rank of the top-level module of `ui` that file `f` belongs to.
fn ui_rank(f: &File) -> Option<u32> {
    let top = f.module.get(1)?;
    UI_LAYERS.iter().find(|(m, _)| m == top).map(|(_, r)| *r)
}

#[test]
fn every_module_of_ui_imports_only_from_lower_layers() {
    let mut wrong = Vec::new();
    for (i, f) in CRATE.library() {
        if f.module.first().is_none_or(|m| m != "ui") || f.module.len() == 1 {
            continue; // outside ui, or its root, which declares and re-exports everything
        }
        let Some(r_from) = ui_rank(f) else {
            wrong.push(format!("{} is not in UI_LAYERS", f.name()));
            continue;
        };
        for (&t, line) in &CRATE.edges[&i] {
            let target = &CRATE.files[t];
            if target.module.first().is_none_or(|m| m != "ui")
                || target.module.get(1) == f.module.get(1)
            {
                continue; // outside ui, or the files of one module
            }
            match ui_rank(target) {
                Some(r_to) if r_to < r_from => {}
                Some(_) => wrong.push(format!(
                    "{}:{line} imports {}, which is not below it",
                    f.path,
                    target.name()
                )),
                None => wrong.push(format!(
                    "{}:{line} imports {}, which is no module of UI_LAYERS",
                    f.path,
                    target.name()
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_egui_free_modules_name_no_egui() {
    for m in NO_EGUI {
        let f = CRATE
            .file(&to_module(m))
            .unwrap_or_else(|| panic!("no module {m}"));
        assert!(!f.code.contains("egui"), "{m} uses egui");
    }
}

#[test]
fn functions_that_draw_are_named_ui() {
    let wrong: Vec<String> = functions()
        .into_iter()
        .filter(|f| {
            let draws = f.signature.contains("&mut Ui") || f.signature.contains("&mut egui::Ui");
            let named = f.name == "ui" || f.name.ends_with("_ui");
            f.module.first().is_some_and(|m| m == "ui") && draws && !named
        })
        .map(|f| f.path)
        .collect();
    assert!(
        wrong.is_empty(),
        "take a &mut Ui but are not named *_ui: {wrong:?}"
    );
}

#[test]
fn the_reader_blanks_parses_and_expands() {
    let code = code_of(
        "use super::{A, b::{C, d as e}};\n// super::comment::X\nlet s = \"super::in_string\";\nlet c = '{';\n",
    );
    assert!(!code.contains("comment") && !code.contains("in_string") && !code.contains("'{'"));
    assert_eq!(code.lines().count(), 4);
    let trees = uses(&code);
    assert_eq!(trees.len(), 1);
    let paths: Vec<(String, Option<String>)> = expand(&trees[0].0)
        .into_iter()
        .map(|(p, a)| (p.join("::"), a))
        .collect();
    assert_eq!(
        paths,
        [
            ("super::A".to_owned(), None),
            ("super::b::C".to_owned(), None),
            ("super::b::d".to_owned(), Some("e".to_owned())),
        ]
    );
    let (stripped, test_files) = strip_tests(
        "fn a() {}\n#[cfg(test)]\nmod t;\n#[cfg(test)]\n#[allow(x)]\nmod tests {\n fn b() {}\n}\nfn c(x: [u8; 2]) {}\n",
    );
    assert_eq!(test_files, ["t"]);
    assert!(!stripped.contains("fn b") && stripped.contains("fn c"));
    assert_eq!(stripped.lines().count(), 9);
    assert_eq!(
        inline_paths("let x = crate::sim::run(a::b);\n")
            .into_iter()
            .map(|(p, _)| p.join("::"))
            .collect::<Vec<_>>(),
        ["crate::sim::run", "a::b"]
    );
    assert_eq!(
        fn_name("    pub(super) fn toggle(&mut self) {"),
        Some("toggle".into())
    );
    assert_eq!(
        body_lines(&["fn f(v: [u8; 4]) {", "  if x { y }", "}", "fn g() {}"]),
        Some(3)
    );
    assert_eq!(body_lines(&["fn f(v: [u8; 4]);"]), None);
    let defs =
        definitions("pub(crate) const fn f() {}\npub const N: usize = 1;\nmacro_rules! m {\n");
    assert_eq!(
        defs,
        ["f", "N", "m"].into_iter().map(str::to_owned).collect()
    );
}
