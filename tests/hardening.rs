//! Issue 28, "a second hostile pass": the real binary on the designs, files and arguments that
//! made it panic, lose data or blow up. One regression test per defect, named after it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn flowcall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowcall"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run flowcall: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

const EXAMPLE: &str = "examples/file-to-audience.flow.ron";
const NEWSLETTER: &str = "examples/cms-newsletter.flow.ron";

/// The bundled example with its Test condition replaced by `condition`, written in `dir`.
fn with_condition(dir: &Path, name: &str, condition: &str) -> PathBuf {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let text = text.replace("$long(vars/@recCount) > 0", condition);
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// Item 1: a function called with the wrong number of arguments made the BPMN export panic
/// (exit 101, index out of bounds in the FEEL translation); in the designer, File > Export is
/// the same call. The call is refused where it is parsed, and every export refuses a design
/// with errors as `check` reports them: exit 1, the problems listed, nothing written.
#[test]
fn regression_export_of_a_wrong_argument_count_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for (i, condition) in [
        "Iif()",
        "Decode(1, 1)",
        "DaysDiff(1) > 0",
        "IsEmptyString(1, 1)",
        "AddHours() > GetDate()",
        "Replace(1, 1) = 'x'",
        "ExtractRight('a') = 'x'",
        "Case(When(true)) = 1",
    ]
    .iter()
    .enumerate()
    {
        let file = with_condition(dir.path(), &format!("arity{i}.flow.ron"), condition);
        let check = flowcall(&["check", path_str(&file)]);
        assert_eq!(check.status.code(), Some(1), "{condition}: {}", stdout(&check));
        let line = stdout(&check)
            .lines()
            .find(|l| l.starts_with("WKF1/test1: error:"))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("{condition}: {}", stdout(&check)));
        assert!(line.contains("arguments") && line.contains("got "), "{line}");
        for format in ["json", "schema", "openapi", "bpmn", "curl"] {
            let out = dir.path().join(format!("out{i}.{format}"));
            let o = flowcall(&[
                "export",
                path_str(&file),
                "--format",
                format,
                "--out",
                path_str(&out),
            ]);
            assert_eq!(o.status.code(), Some(1), "{condition} {format}: {}", stderr(&o));
            assert!(stderr(&o).contains(&line), "{condition} {format}: {}", stderr(&o));
            assert!(stderr(&o).contains("nothing was done"), "{}", stderr(&o));
            assert!(!out.exists(), "{condition} {format}: an export was written");
            assert!(stdout(&o).is_empty());
        }
    }
}

/// Item 8: a workflow id holding `/` passed `check`, yet no `--signal WKF/SIGNAL` could name
/// its signals. Such an id is now a load error; every id that loads (letters, digits, `_`,
/// `-`) is named by `--signal` in `run`, `export` and `payloads`, and the curl and OpenAPI
/// paths carry it as it is.
#[test]
fn regression_signal_names_every_id_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(NEWSLETTER)
        .unwrap()
        .replace("\"NEWSLETTER\"", "\"_News-letter_2\"")
        .replace("\"signal1\"", "\"sig-1_\"");
    let file = dir.path().join("ids.flow.ron");
    std::fs::write(&file, &text).unwrap();
    let file = path_str(&file);
    let signal = "_News-letter_2/sig-1_";
    let payload = "examples/payloads/cms-newsletter.json";
    let o = flowcall(&["run", file, "--signal", signal, "--payload", payload]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("_News-letter_2/sig-1_"), "{}", stdout(&o));
    let o = flowcall(&["export", file, "--format", "schema", "--signal", signal]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = flowcall(&["export", file, "--format", "curl", "--signal", signal]);
    assert!(
        stdout(&o).contains("/workflow/execution/_News-letter_2/activities/activity/sig-1_/trigger"),
        "{}",
        stdout(&o)
    );
    let o = flowcall(&["payloads", file, "--signal", signal, "--count", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let slashed = dir.path().join("slash.flow.ron");
    std::fs::write(
        &slashed,
        text.replace("\"_News-letter_2\"", "\"News/letter\""),
    )
    .unwrap();
    let o = flowcall(&["check", path_str(&slashed)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("the workflow id \"News/letter\" holds the character '/' (U+002F)"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("rename it, e.g. to 'News_letter'"));
    let o = flowcall(&["run", path_str(&slashed), "--signal", "News/letter/sig-1_"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("must be WORKFLOW/SIGNAL"), "{}", stderr(&o));
}
