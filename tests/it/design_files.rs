//! Design files: every example round-trips, formatting is idempotent, generated designs
//! round-trip, and each broken file of the corpus gives its own message without panicking.

use flowcall::io::{self, LoadError};
use proptest::prelude::*;
use std::path::Path;

use crate::designs;
use designs::design;

fn examples() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir("examples")
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.to_string_lossy().ends_with(".flow.ron"));
    v.sort();
    v
}

#[test]
fn every_example_round_trips_and_is_canonical() {
    let files = examples();
    assert!(files.len() >= 2, "examples missing: {files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let design = io::load_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let saved = io::to_ron_string(&design).unwrap_or_default();
        assert_eq!(saved, text, "{} is not in canonical form", path.display());
        let again = io::load_str(&saved).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, design, "{} changed on a round trip", path.display());
    }
}

#[test]
fn save_is_atomic_and_refuses_to_overwrite_newer_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let design =
        io::load(Path::new("examples/cms-newsletter.flow.ron")).unwrap_or_else(|e| panic!("{e}"));
    let target = dir.path().join("copy.flow.ron");
    io::save(&target, &design).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(io::load(&target).ok(), Some(design.clone()));
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(names.len(), 1, "{names:?}");

    let newer = dir.path().join("newer.flow.ron");
    let text = "(format_version: 99, workflows: [])";
    std::fs::write(&newer, text).unwrap_or_else(|e| panic!("{e}"));
    let err = io::save(&newer, &design)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("newer than this flowcall"), "{err}");
    assert_eq!(std::fs::read_to_string(&newer).ok().as_deref(), Some(text));
}

/// Each broken file and a fragment its error must contain.
const BROKEN: &[(&str, &str)] = &[
    (
        "truncated",
        "(in workflow 'NEWSLETTER', activity 'signal1', parameter 'template'): Unexpected end of RON",
    ),
    (
        "unknown-kind",
        "line 45, column 27 (in workflow 'WKF1', activity 'load1'): Unexpected variant named `LoadFiles` in enum `ActivityKind`",
    ),
    (
        "unknown-type",
        "(in workflow 'NEWSLETTER', activity 'signal1', parameter 'audience'): Unexpected variant named `Strng` in enum `Type`",
    ),
    (
        "unknown-field",
        "(in workflow 'NEWSLETTER', activity 'readAudience1'): Unexpected field named `colour`",
    ),
    (
        "wrong-type",
        "line 14, column 32 (in workflow 'NEWSLETTER', activity 'signal1'): Expected float",
    ),
    (
        "newer-version",
        "format_version 7, newer than this flowcall supports (1)",
    ),
    ("no-version", "the file has no format_version"),
    (
        "empty",
        "line 1, column 1: Expected opening `(` for a flowcall design",
    ),
    (
        "json-shaped",
        "line 1, column 1: Expected opening `(` for a flowcall design",
    ),
    (
        "duplicate-activity",
        "WKF1/end1: duplicate activity id 'end1' in workflow 'WKF1'",
    ),
    ("duplicate-workflow", "WKF1: duplicate workflow id 'WKF1'"),
    (
        "missing-target",
        "WKF1/test1: a transition from 'test1' goes to activity 'end9', which does not exist in workflow 'WKF1'",
    ),
    (
        "missing-port",
        "WKF1/test1: a transition leaves 'test1' from port condition 'hasRecs', which this Test activity does not have",
    ),
    (
        "bad-default",
        "WKF1/signal1: parameter 'discountDesc' is declared String but its default is an Integer",
    ),
    (
        "bad-sample-cell",
        "sample profiles: row 1, column 'age': \"thirty-four\" is not a valid Integer",
    ),
];

#[test]
fn each_broken_file_gives_its_own_message() {
    for (name, fragment) in BROKEN {
        let path = format!("tests/broken/{name}.flow.ron");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        match io::load_str(&text) {
            Ok(_) => panic!("{path} loaded"),
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.contains(fragment),
                    "{path}: expected «{fragment}» in «{msg}»"
                );
            }
        }
    }
    let read = io::load(Path::new("tests/broken/not-utf8.flow.ron"));
    assert!(matches!(read, Err(LoadError::NotUtf8 { .. })));
}

#[test]
fn every_broken_file_is_in_the_table() {
    let listed: Vec<String> = BROKEN
        .iter()
        .map(|(n, _)| format!("{n}.flow.ron"))
        .collect();
    for entry in std::fs::read_dir("tests/broken")
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            listed.contains(&name) || name == "not-utf8.flow.ron",
            "{name} is not tested"
        );
    }
}

#[test]
fn any_prefix_of_a_valid_file_fails_cleanly() {
    let text = std::fs::read_to_string("examples/file-to-audience.flow.ron").unwrap_or_default();
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            let r = io::load_str(&text[..cut]);
            assert!(r.is_err(), "a prefix of {cut} bytes loaded");
        }
        cut += 97;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_designs_round_trip(d in design()) {
        let text = io::to_ron_string(&d).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Structural problems are allowed in generated designs: compare the parsed model.
        match io::load_str(&text) {
            Ok(back) => {
                prop_assert_eq!(&back, &d);
                let again = io::to_ron_string(&back).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(again, text);
            }
            Err(LoadError::Structure(problems)) => {
                prop_assert_eq!(problems, d.structure_problems());
            }
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
        }
    }
}

#[test]
fn regression_a_byte_order_mark_is_skipped() {
    let text = std::fs::read_to_string("examples/cms-newsletter.flow.ron").unwrap_or_default();
    let plain = io::load_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let with_bom = io::load_str(&format!("\u{feff}{text}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(with_bom, plain);
    let json = io::to_json_string(&plain).unwrap_or_default();
    let from_json = io::load_json_str(&format!("\u{feff}{json}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_json, plain);
}

#[test]
fn regression_text_that_is_not_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("latin1.flow.ron");
    std::fs::write(
        &file,
        b"(\n    format_version: 1,\n    workflows: [(id: \"caf\xe9\")],\n)",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let err = io::load(&file)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.ends_with("line 3, column 26: the file is not UTF-8 text (byte 0xE9 at offset 50); save it as UTF-8"),
        "{err}"
    );
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(["check", &file.to_string_lossy()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 3, column 26"));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o7777)
        .unwrap_or_default()
}

/// A copy of the newsletter example that is valid but not in canonical form.
fn not_canonical(dir: &Path, name: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string("examples/cms-newsletter.flow.ron").unwrap_or_default();
    let file = dir.join(name);
    std::fs::write(&file, text.replace("    ", "  ")).unwrap_or_else(|e| panic!("{e}"));
    file
}

fn fmt(file: &Path) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(["fmt", &file.to_string_lossy()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[cfg(unix)]
#[test]
fn regression_fmt_keeps_the_permissions_of_the_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for wanted in [0o644, 0o640, 0o664] {
        let file = not_canonical(dir.path(), "design.flow.ron");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(wanted))
            .unwrap_or_else(|e| panic!("{e}"));
        fmt(&file);
        assert_eq!(mode(&file), wanted, "{wanted:o}");
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let design = io::load_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(io::to_ron_string(&design).unwrap_or_default(), text);
    }
}

#[cfg(unix)]
#[test]
fn regression_fmt_writes_through_a_symlink_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let real = not_canonical(dir.path(), "real.flow.ron");
    std::fs::create_dir(dir.path().join("links")).unwrap_or_else(|e| panic!("{e}"));
    let link = dir.path().join("links/link.flow.ron");
    std::os::unix::fs::symlink("../real.flow.ron", &link).unwrap_or_else(|e| panic!("{e}"));
    fmt(&link);
    let meta = std::fs::symlink_metadata(&link).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        meta.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let text = std::fs::read_to_string(&real).unwrap_or_default();
    let design = io::load_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        io::to_ron_string(&design).unwrap_or_default(),
        text,
        "the target was formatted"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path().join("links"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[cfg(unix)]
#[test]
fn regression_export_out_files_get_the_permissions_of_new_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let usual = dir.path().join("usual");
    std::fs::write(&usual, "x").unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("schema.json");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args([
            "export",
            "examples/cms-newsletter.flow.ron",
            "--format",
            "schema",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mode(&out), mode(&usual));
    assert_ne!(mode(&out), 0o600);
}

#[test]
fn regression_stale_save_temporaries_are_removed_on_the_next_save() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = not_canonical(dir.path(), "design.flow.ron");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let make = |name: &str, modified: Option<std::time::SystemTime>| {
        let p = dir.path().join(name);
        let f = std::fs::File::create(&p).unwrap_or_else(|e| panic!("{e}"));
        if let Some(t) = modified {
            f.set_modified(t).unwrap_or_else(|e| panic!("{e}"));
        }
        p
    };
    let stale = make(".design.flow.ron.flowcall-save-a1b2c3.tmp", Some(old));
    let legacy = make(".flowcall-save-x9y8z7.tmp", Some(old));
    let fresh = make(".design.flow.ron.flowcall-save-d4e5f6.tmp", None);
    let other = make(".other.flow.ron.flowcall-save-g7h8i9.tmp", Some(old));
    let unrelated = make("notes.tmp", Some(old));
    fmt(&file);
    assert!(
        !stale.exists() && !legacy.exists(),
        "stale temporaries were left"
    );
    assert!(
        fresh.exists(),
        "a save in progress (a fresh temporary) was removed"
    );
    assert!(
        other.exists() && unrelated.exists(),
        "files of other saves were removed"
    );
}
