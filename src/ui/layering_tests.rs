//! Checks of the designer's structure, on its source files (read at test time, so a new file is
//! checked as soon as it exists):
//!
//! - every file of `src/ui` belongs to a module of [`LAYERS`], and imports only from lower layers:
//!   shared modules import nothing from `ui` but lower shared ones, panels import only shared
//!   modules (never another panel), `app` imports anything;
//! - the import graph of the files of `src/ui` (a directory module's files counted apart) has no
//!   cycle;
//! - the modules said to have no egui name no egui;
//! - no function is over 80 lines, unless a `// Table:` comment just above it says why;
//! - a function that takes a `&mut Ui` is named `ui` or `*_ui`.
//!
//! Imports are the paths a file names: `use super::…`, `crate::ui::…`, and a directory
//! module's `child::…`, wherever they appear outside comments, strings and the file's
//! `#[cfg(test)]` module. A method called on a value is not an import.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where a top-level module of `ui` sits: shared modules at rank 0 and 1, panels at 10, the app
/// at 20. A module may import only modules of a lower rank.
const LAYERS: &[(&str, u32)] = &[
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

/// Files that must not use egui at all.
const NO_EGUI: &[&str] = &[
    "value",
    "overlay",
    "document",
    "tidy",
    "words",
    "simulator::run_form",
    "data::edit",
    "data::import",
    "scenarios::form",
];

/// The longest a function may be without a reason.
const MAX_LINES: usize = 80;

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui")
}

/// Every `.rs` file under `dir`, with its module path under `ui` (`["simulator", "tab"]`).
fn files(dir: &Path, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            let mut sub = prefix.to_vec();
            sub.push(name);
            files(&p, &sub, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let mut module = prefix.to_vec();
            if name != "mod" {
                module.push(name);
            }
            out.push((module, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

/// The source without comments, string and char literals (lines kept), cut before the file's
/// test module.
fn code_of(src: &str) -> String {
    let src = match src.find("#[cfg(test)]\nmod ") {
        Some(i) => &src[..i],
        None => src,
    };
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

/// The identifiers a path continues with after `s` (`a` in `a::b`, or each of `{a, b::c}`).
fn heads(s: &str) -> Vec<String> {
    let s = s.trim_start();
    if let Some(group) = s.strip_prefix('{') {
        let mut depth = 0usize;
        let mut items = vec![String::new()];
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => items.push(String::new()),
                _ => {
                    if let Some(last) = items.last_mut() {
                        last.push(c);
                    }
                }
            }
        }
        return items
            .iter()
            .filter_map(|i| heads(i).into_iter().next())
            .collect();
    }
    let ident: String = s
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if ident.is_empty() || ident == "self" {
        Vec::new()
    } else {
        vec![ident]
    }
}

/// The module paths under `ui` that `code` (of the file of module `module`) names.
fn imports(module: &[String], code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let word_start = |i: usize| {
        i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':')
    };
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        if !code.is_char_boundary(i) || !word_start(i) {
            i += 1;
            continue;
        }
        if let Some(after) = rest.strip_prefix("crate::ui::") {
            for h in heads(after) {
                out.push(vec![h]);
            }
        } else if rest.starts_with("super::") {
            let mut up = 0;
            let mut r = rest;
            while let Some(next) = r.strip_prefix("super::") {
                up += 1;
                r = next;
            }
            let base = &module[..module.len().saturating_sub(up)];
            for h in heads(r) {
                let mut p = base.to_vec();
                p.push(h);
                out.push(p);
            }
        } else {
            let ident: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if children.contains(&ident) && rest[ident.len()..].starts_with("::") {
                let mut p = module.to_vec();
                p.push(ident.clone());
                out.push(p);
            }
            i += ident.len().max(1);
            continue;
        }
        i += 1;
    }
    out
}

/// The `mod x;` children a file declares.
fn children(code: &str) -> BTreeSet<String> {
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_owned())
        })
        .collect()
}

struct Tree {
    /// Module path (as `a::b`) to its code.
    code: BTreeMap<String, String>,
    /// Module path to the module paths it imports (files only, itself left out).
    edges: BTreeMap<String, BTreeSet<String>>,
}

fn tree() -> Tree {
    let mut all = Vec::new();
    files(&ui_dir(), &[], &mut all);
    let modules: BTreeSet<String> = all.iter().map(|(m, _)| m.join("::")).collect();
    let mut code = BTreeMap::new();
    let mut edges = BTreeMap::new();
    for (module, src) in &all {
        let name = module.join("::");
        let text = code_of(src);
        let kids = children(&text);
        let mut to = BTreeSet::new();
        for path in imports(module, &text, &kids) {
            // The longest prefix of the path that is a file of `ui`.
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|p| modules.contains(p))
                .unwrap_or_else(|| format!("<root>::{}", path.join("::")));
            if target != name {
                to.insert(target);
            }
        }
        code.insert(name.clone(), text);
        edges.insert(name, to);
    }
    Tree { code, edges }
}

fn rank(module: &str) -> Option<u32> {
    let top = module.split("::").next()?;
    LAYERS.iter().find(|(m, _)| *m == top).map(|(_, r)| *r)
}

#[test]
fn every_module_imports_only_from_lower_layers() {
    let t = tree();
    let mut wrong = Vec::new();
    for (from, tos) in &t.edges {
        if from.is_empty() || from == "layering_tests" {
            continue; // the root declares and re-exports everything
        }
        let Some(r_from) = rank(from) else {
            wrong.push(format!("{from} is not in LAYERS"));
            continue;
        };
        let top_from = from.split("::").next().unwrap_or_default();
        for to in tos {
            let top_to = to.split("::").next().unwrap_or_default();
            if top_to == top_from {
                continue; // the files of one module
            }
            match rank(to) {
                Some(r_to) if r_to < r_from => {}
                Some(_) => wrong.push(format!("{from} imports {to}, which is not below it")),
                None => wrong.push(format!("{from} imports {to}, which is no module of ui")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_import_graph_of_ui_has_no_cycle() {
    let t = tree();
    // Depth-first search with colours: a grey node met again closes a cycle.
    fn visit<'a>(
        n: &'a str,
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        colour: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match colour.get(n) {
            Some(2) => return None,
            Some(1) => {
                let from = stack.iter().position(|s| *s == n).unwrap_or(0);
                let mut cycle: Vec<String> =
                    stack[from..].iter().map(|s| (*s).to_owned()).collect();
                cycle.push(n.to_owned());
                return Some(cycle);
            }
            _ => {}
        }
        colour.insert(n, 1);
        stack.push(n);
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, colour, stack) {
                return Some(c);
            }
        }
        stack.pop();
        colour.insert(n, 2);
        None
    }
    let mut colour = BTreeMap::new();
    for n in t.edges.keys() {
        let mut stack = Vec::new();
        if let Some(cycle) = visit(n, &t.edges, &mut colour, &mut stack) {
            panic!("import cycle in src/ui: {}", cycle.join(" → "));
        }
    }
    // The check sees imports: the app imports panels, panels shared modules.
    assert!(t.edges["app"].contains("canvas"), "{:?}", t.edges["app"]);
    assert!(
        t.edges["canvas"].contains("command"),
        "{:?}",
        t.edges["canvas"]
    );
    assert!(
        t.edges["simulator::tab"].contains("simulator"),
        "{:?}",
        t.edges["simulator::tab"]
    );
}

#[test]
fn the_egui_free_modules_name_no_egui() {
    let t = tree();
    for m in NO_EGUI {
        let code = t.code.get(*m).unwrap_or_else(|| panic!("no module {m}"));
        assert!(!code.contains("egui"), "{m} uses egui");
    }
}

/// A function of `src/ui`, as the checks below see it.
struct Function {
    /// `module::name`.
    path: String,
    /// Its name.
    name: String,
    /// Its signature, up to the opening brace (comments and strings blanked).
    signature: String,
    /// Its lines, signature to closing brace (none for a declaration without a body).
    lines: Option<usize>,
    /// Whether a `// Table:` comment stands among the comments and attributes just above it.
    table: bool,
}

/// Every function of every file of `src/ui` (tests modules left out).
fn functions() -> Vec<Function> {
    let mut all = Vec::new();
    files(&ui_dir(), &[], &mut all);
    let mut out = Vec::new();
    for (module, src) in &all {
        let code = code_of(src);
        let lines: Vec<&str> = code.lines().collect();
        let original: Vec<&str> = src.lines().collect();
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
            out.push(Function {
                path: format!("{}::{name}", module.join("::")),
                signature: lines[k..end].join(" "),
                lines: body_lines(&lines[k..]),
                table,
                name,
            });
        }
    }
    out
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
fn functions_that_draw_are_named_ui() {
    let wrong: Vec<String> = functions()
        .into_iter()
        .filter(|f| {
            let draws = f.signature.contains("&mut Ui") || f.signature.contains("&mut egui::Ui");
            let named = f.name == "ui" || f.name.ends_with("_ui");
            draws && !named
        })
        .map(|f| f.path)
        .collect();
    assert!(
        wrong.is_empty(),
        "take a &mut Ui but are not named *_ui: {wrong:?}"
    );
}

/// The name of the function a line starts, if it does.
fn fn_name(line: &str) -> Option<String> {
    let mut words = line.split_whitespace().peekable();
    while let Some(w) = words.peek() {
        if w.starts_with("pub") || *w == "const" || *w == "async" || *w == "unsafe" {
            words.next();
        } else {
            break;
        }
    }
    if words.next()? != "fn" {
        return None;
    }
    let name: String = words
        .next()?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    Some(name)
}

/// How many lines the function starting at `lines[0]` spans, up to its closing brace (none for
/// a declaration without a body).
fn body_lines(lines: &[&str]) -> Option<usize> {
    let mut depth = 0usize;
    let mut opened = false;
    for (k, line) in lines.iter().enumerate() {
        for c in line.chars() {
            match c {
                ';' if !opened => return None,
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

#[test]
fn the_checker_reads_paths_groups_and_children() {
    let module = vec!["simulator".to_owned(), "tab".to_owned()];
    let code = code_of(
        "use super::{SimPanel, run_form::{RunForm, x}};\n// super::comment::X\nlet s = \"super::in_string\";\nuse crate::ui::theme;\nuse super::super::widgets::chip_ui;\n",
    );
    let found = imports(&module, &code, &BTreeSet::new());
    assert_eq!(
        found,
        [
            vec!["simulator".to_owned(), "SimPanel".to_owned()],
            vec!["simulator".to_owned(), "run_form".to_owned()],
            vec!["theme".to_owned()],
            vec!["widgets".to_owned()],
        ]
    );
    let kids: BTreeSet<String> = ["jobs".to_owned()].into();
    let found = imports(&["simulator".to_owned()], "use jobs::{Running};", &kids);
    assert_eq!(found, [vec!["simulator".to_owned(), "jobs".to_owned()]]);
    assert_eq!(
        fn_name("    pub(super) fn toggle(&mut self) {"),
        Some("toggle".into())
    );
    assert_eq!(
        body_lines(&["fn f() {", "  if x { y }", "}", "fn g() {}"]),
        Some(3)
    );
}
