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
        assert_eq!(
            check.status.code(),
            Some(1),
            "{condition}: {}",
            stdout(&check)
        );
        let line = stdout(&check)
            .lines()
            .find(|l| l.starts_with("WKF1/test1: error:"))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("{condition}: {}", stdout(&check)));
        assert!(
            line.contains("arguments") && line.contains("got "),
            "{line}"
        );
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
            assert_eq!(
                o.status.code(),
                Some(1),
                "{condition} {format}: {}",
                stderr(&o)
            );
            assert!(
                stderr(&o).contains(&line),
                "{condition} {format}: {}",
                stderr(&o)
            );
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
    assert!(
        stdout(&o).contains("_News-letter_2/sig-1_"),
        "{}",
        stdout(&o)
    );
    let o = flowcall(&["export", file, "--format", "schema", "--signal", signal]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = flowcall(&["export", file, "--format", "curl", "--signal", signal]);
    assert!(
        stdout(&o)
            .contains("/workflow/execution/_News-letter_2/activities/activity/sig-1_/trigger"),
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
    assert!(
        stderr(&o).contains("must be WORKFLOW/SIGNAL"),
        "{}",
        stderr(&o)
    );
}

/// The newsletter example with `template` allowing `values` (its default first).
fn with_allowed(dir: &Path, name: &str, values: impl Iterator<Item = String>) -> PathBuf {
    let text = std::fs::read_to_string(NEWSLETTER).unwrap();
    let mut list = String::from("allowed: [\n String(\"newsletter_default\"),\n");
    for v in values {
        list.push_str(&format!("String(\"{v}\"),\n"));
    }
    list.push(']');
    let text = text.replace(
        "allowed: [\n                                    String(\"newsletter_default\"),\n                                    String(\"newsletter_gold\"),\n                                ]",
        &list,
    );
    assert!(text.contains("String(\"newsletter_default\"),\nString("));
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// Item 6: 100,000 allowed values took `check` 6.3 s, the schema export 12.2 s and `diff` 38 s
/// (pairs compared, every value listed in every message); 10,000 Test conditions gave a 905 MB
/// BPMN file (each flow's guard repeated every earlier condition); `payloads` ran on a signal of
/// 1,000 parameters that `check` refuses. Times are measured by `benches/scale.rs`; this test
/// checks the sizes, which grew with the square of the count, and the refusal.
#[test]
fn regression_allowed_values_test_conditions_and_parameters_cost_linear_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    let old = with_allowed(dir.path(), "old.flow.ron", (0..n).map(|i| format!("t{i}")));
    let new = with_allowed(
        dir.path(),
        "new.flow.ron",
        (n / 2..n + n / 2).map(|i| format!("t{i}")),
    );
    let o = flowcall(&["check", path_str(&old)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = flowcall(&["diff", path_str(&old), path_str(&new)]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.len() < 5_000, "{} bytes", text.len());
    assert!(
        text.contains("no longer allows \"t0\", \"t1\", \"t2\", \"t3\", \"t4\", \"t5\", \"t6\", \"t7\", \"t8\", \"t9\" and 9,990 more"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.len() < 1_000), "{text}");
    let o = flowcall(&["diff", "--json", path_str(&old), path_str(&new)]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let narrowed = changes
        .iter()
        .find(|c| c["kind"] == "allowed_narrowed")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(
        narrowed["rejected"].as_array().unwrap().len(),
        n / 2,
        "--json lists them all"
    );
    let o = flowcall(&["export", path_str(&old), "--format", "schema"]);
    assert_eq!(o.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let template =
        &schema["NEWSLETTER/signal1"]["properties"]["parameters"]["properties"]["template"];
    // Optional, so `anyOf: [{enum}, {type: null}]`.
    assert_eq!(
        template["anyOf"][0]["enum"].as_array().map(Vec::len),
        Some(n + 1)
    );
    // A rejected trigger names a few allowed values, not 20,000.
    let payload = dir.path().join("p.json");
    std::fs::write(
        &payload,
        r#"{"source": "t", "parameters": {"audience": "a", "email": "e", "contentURL": "u", "template": "nope"}}"#,
    )
    .unwrap();
    let o = flowcall(&[
        "run",
        path_str(&old),
        "--signal",
        "NEWSLETTER/signal1",
        "--payload",
        path_str(&payload),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("and 19,991 more)"), "{}", stdout(&o));
    assert!(stdout(&o).len() < 2_000);

    // 2,000 Test conditions: a BPMN file of a few MB (it was over 100 MB, growing with the
    // square of the count), evaluated by a job, with a warning that says why.
    let conditions: String = (0..2_000)
        .map(|i| {
            format!(
                "(id: \"c{i}\", label: \"C{i}\", expression: \"$long(vars/@recCount) > {i} AND Upper($(vars/@discountDesc)) <> 'X{i}'\"),\n"
            )
        })
        .collect();
    let file = with_condition(
        dir.path(),
        "conditions.flow.ron",
        "$long(vars/@recCount) > 0",
    );
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "                        ],\n                        default_transition: true,",
        &format!("{conditions}],\n default_transition: true,"),
        1,
    );
    std::fs::write(&file, text).unwrap();
    let o = flowcall(&["export", path_str(&file), "--format", "bpmn"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.len() < 4_000_000, "{} bytes", o.stdout.len());
    assert!(
        stderr(&o).contains("WKF1/test1: 2001 conditions, more than the 32 exported as FEEL"),
        "{}",
        stderr(&o)
    );

    // 1,000 parameters: `check` refuses the signal, and so does `payloads` (1.6 GB before).
    let params: String = (0..1_000)
        .map(|i| format!("(name: \"p{i}\", type: String),\n"))
        .collect();
    let text = std::fs::read_to_string(NEWSLETTER).unwrap().replacen(
        "parameters: [\n",
        &format!("parameters: [\n{params}"),
        1,
    );
    let many = dir.path().join("many.flow.ron");
    std::fs::write(&many, text).unwrap();
    for args in [
        vec!["check", path_str(&many)],
        vec![
            "payloads",
            path_str(&many),
            "--signal",
            "NEWSLETTER/signal1",
            "--count",
            "10",
        ],
        vec!["run", path_str(&many), "--signal", "NEWSLETTER/signal1"],
        vec!["test", path_str(&many)],
        vec!["export", path_str(&many), "--format", "schema"],
    ] {
        let o = flowcall(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            all.contains(
                "NEWSLETTER/signal1: error: the signal declares 1004 parameters; the limit is 100"
            ),
            "{args:?}: {all}"
        );
        match args[0] {
            "check" => {}
            "test" => assert_eq!(stdout(&o), "0 passed, 0 failed\n"),
            _ => assert!(stdout(&o).is_empty(), "{args:?} wrote: {}", stdout(&o)),
        }
    }
}

/// The newsletter example indented with two spaces: valid, not canonical.
fn not_canonical(dir: &Path, name: &str) -> PathBuf {
    let text = std::fs::read_to_string(NEWSLETTER)
        .unwrap()
        .replace("    ", "  ");
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// Item 2: `batch --payloads p.jsonl --out p.jsonl` emptied the payload file ("0 payloads"),
/// `export --out DESIGN` and `payloads --out DESIGN` overwrote the design, all with exit 0. An
/// output that is the same file as an input (the same device and inode: another spelling, a
/// hard or symbolic link) is refused before anything is written.
#[test]
fn regression_an_output_that_is_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.flow.ron");
    std::fs::copy(EXAMPLE, &design).unwrap();
    let payloads = dir.path().join("p.jsonl");
    std::fs::copy("examples/payloads/file-to-audience.jsonl", &payloads).unwrap();
    let hard = dir.path().join("hard.jsonl");
    std::fs::hard_link(&payloads, &hard).unwrap();
    let soft = dir.path().join("soft.flow.ron");
    std::os::unix::fs::symlink(&design, &soft).unwrap();
    let spelled = dir.path().join(".").join("p.jsonl");
    let before = (
        std::fs::read(&design).unwrap(),
        std::fs::read(&payloads).unwrap(),
    );
    let (d, p) = (path_str(&design), path_str(&payloads));
    for (args, what) in [
        (
            vec![
                "batch",
                d,
                "--signal",
                "WKF1/signal1",
                "--payloads",
                p,
                "--out",
                p,
            ],
            "payloads",
        ),
        (
            vec![
                "batch",
                d,
                "--signal",
                "WKF1/signal1",
                "--payloads",
                p,
                "--out",
                path_str(&spelled),
            ],
            "payloads",
        ),
        (
            vec![
                "batch",
                d,
                "--signal",
                "WKF1/signal1",
                "--payloads",
                p,
                "--out",
                path_str(&hard),
            ],
            "payloads",
        ),
        (
            vec![
                "batch",
                d,
                "--signal",
                "WKF1/signal1",
                "--payloads",
                p,
                "--out",
                d,
            ],
            "design",
        ),
        (vec!["export", d, "--format", "bpmn", "--out", d], "design"),
        (
            vec!["export", d, "--format", "json", "--out", path_str(&soft)],
            "design",
        ),
        (
            vec!["payloads", d, "--signal", "WKF1/signal1", "--out", d],
            "design",
        ),
    ] {
        let o = flowcall(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains(&format!("is the same file as the {what}"))
                && stderr(&o).contains("write to another file"),
            "{args:?}: {}",
            stderr(&o)
        );
        let after = (
            std::fs::read(&design).unwrap(),
            std::fs::read(&payloads).unwrap(),
        );
        assert!(after == before, "{args:?} changed an input");
    }
    // Another file is written as before.
    let out = dir.path().join("results.jsonl");
    let o = flowcall(&[
        "batch",
        d,
        "--signal",
        "WKF1/signal1",
        "--payloads",
        p,
        "--out",
        path_str(&out),
    ]);
    assert!(stderr(&o).contains("7 payloads"), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().lines().count() > 1);
}

/// Runs `flowcall args...` in a shell whose file size limit is `blocks` (a write past it fails
/// with EFBIG, SIGXFSZ ignored), as a full disk would fail it.
fn flowcall_with_file_limit(blocks: u32, args: &[&str]) -> Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f {blocks}; trap '' XFSZ; exec '{}' {}",
            env!("CARGO_BIN_EXE_flowcall"),
            quoted.join(" ")
        ))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Item 3: `payloads --out` (and `batch --out`) truncated the file first, so a full disk left a
/// truncated file where a good one was (exit 2). Both write a temporary file and rename it, as
/// `fmt` and `export --out` do: a failure leaves the earlier file whole, and no temporary file.
#[test]
fn regression_payloads_and_batch_out_are_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("good.jsonl");
    let good = "{\"source\": \"kept\"}\n".repeat(2_000);
    std::fs::write(&out, &good).unwrap();
    let o = flowcall_with_file_limit(
        16,
        &[
            "payloads",
            EXAMPLE,
            "--signal",
            "WKF1/signal1",
            "--count",
            "5000",
            "--out",
            path_str(&out),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("File too large"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        good,
        "the good file was kept"
    );
    let payloads = dir.path().join("many.jsonl");
    let o = flowcall(&[
        "payloads",
        EXAMPLE,
        "--signal",
        "WKF1/signal1",
        "--count",
        "3000",
        "--out",
        path_str(&payloads),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = flowcall_with_file_limit(
        16,
        &[
            "batch",
            EXAMPLE,
            "--signal",
            "WKF1/signal1",
            "--payloads",
            path_str(&payloads),
            "--out",
            path_str(&out),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        good,
        "the good file was kept"
    );
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
}

fn is_root() -> bool {
    let o = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&o.stdout).trim() == "0"
}

/// Runs flowcall as the user `nobody` (65534) with its group.
fn flowcall_as_nobody(args: &[&str]) -> Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_flowcall"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Item 4: `fmt` replaced a 0444 design owned by another user in a world-writable folder (a
/// rename there is allowed) and made its user the owner; it dropped `//` comments without a
/// word; `fmt a b c` stopped at the first file that failed. Now a file whose own permissions
/// forbid writing it is refused with a clear message, owner and mode are kept (in place when a
/// rename cannot keep the owner), comments are listed and kept unless `--drop-comments`, and
/// every file that can be formatted is, the others reported, exit 1.
#[test]
fn regression_fmt_respects_permissions_owner_comments_and_every_file() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();

    // A file its user may not write.
    let locked = not_canonical(dir.path(), "locked.flow.ron");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&locked).unwrap();
    let o = if is_root() {
        flowcall_as_nobody(&["fmt", path_str(&locked)])
    } else {
        flowcall(&["fmt", path_str(&locked)])
    };
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is read-only for you"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&locked).unwrap(), before);
    let meta = std::fs::metadata(&locked).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o444);

    if is_root() {
        // Another user's file, formatted by the super-user: owner, group and mode kept.
        let theirs = not_canonical(dir.path(), "theirs.flow.ron");
        std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
        std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o640)).unwrap();
        let o = flowcall(&["fmt", path_str(&theirs)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let meta = std::fs::metadata(&theirs).unwrap();
        assert_eq!(
            (meta.uid(), meta.gid(), meta.mode() & 0o777),
            (65534, 65534, 0o640)
        );
        assert_eq!(
            flowcall(&["fmt", "--check", path_str(&theirs)])
                .status
                .code(),
            Some(0)
        );
        // A file `nobody` may write through its group but does not own: rewritten in place
        // (same inode, owner kept), since a rename would make `nobody` its owner.
        let shared = not_canonical(dir.path(), "shared.flow.ron");
        std::os::unix::fs::chown(&shared, Some(0), Some(65534)).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
        let inode = std::fs::metadata(&shared).unwrap().ino();
        let o = flowcall_as_nobody(&["fmt", path_str(&shared)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let meta = std::fs::metadata(&shared).unwrap();
        assert_eq!((meta.uid(), meta.gid(), meta.ino()), (0, 65534, inode));
        assert_eq!(
            flowcall(&["fmt", "--check", path_str(&shared)])
                .status
                .code(),
            Some(0)
        );
    }

    // Comments: listed, and the file kept, unless --drop-comments.
    let commented = dir.path().join("commented.flow.ron");
    let text = std::fs::read_to_string(NEWSLETTER).unwrap().replacen(
        "    format_version: 1,\n",
        "    // Owned by the CMS team.\n    format_version: 1, /* v1 */\n",
        1,
    );
    std::fs::write(&commented, &text).unwrap();
    let o = flowcall(&["fmt", "--check", path_str(&commented)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("its comments at lines 2 and 3 would be dropped"),
        "{}",
        stdout(&o)
    );
    let o = flowcall(&["fmt", path_str(&commented)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("holds comments (lines 2 and 3), which the canonical form cannot keep; it was not changed"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&commented).unwrap(), text);
    let o = flowcall(&["fmt", "--drop-comments", path_str(&commented)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("formatted; dropped its comments at lines 2 and 3"),
        "{}",
        stdout(&o)
    );

    // Every file that can be formatted is; the others are reported; exit 1.
    let a = not_canonical(dir.path(), "a.flow.ron");
    let broken = dir.path().join("broken.flow.ron");
    std::fs::write(&broken, "(format_version: 1, workflows: [").unwrap();
    let c = not_canonical(dir.path(), "c.flow.ron");
    let o = flowcall(&["fmt", path_str(&a), path_str(&broken), path_str(&c)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("a.flow.ron: formatted"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("c.flow.ron: formatted"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("broken.flow.ron"), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 of 3 files could not be formatted (above); the others were"));
}

/// Item 5: nothing capped what was read: `check /dev/zero` reached 2.5 GB in 10 s and `run
/// --payload /dev/zero` 1 GB in 4 s. A design is read up to 64 MiB, a payload up to 64 KiB
/// (then rejected as every entry point rejects it), a payload file's line or row up to 128 KiB.
#[test]
fn regression_files_are_read_with_a_cap() {
    let o = flowcall(&["check", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/dev/zero is larger than 64 MiB (over 67108864 bytes), the most flowcall reads as a design"),
        "{}",
        stderr(&o)
    );
    let o = flowcall(&[
        "run",
        NEWSLETTER,
        "--signal",
        "NEWSLETTER/signal1",
        "--payload",
        "/dev/zero",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["accepted"], false);
    assert_eq!(
        v["errors"][0]["message"],
        "the payload is over 65536 bytes; the limit is 65536 bytes (64 KiB)"
    );
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    std::fs::write(&big, format!("{{\"source\": \"{}\"}}", "x".repeat(70_000))).unwrap();
    let o = flowcall(&[
        "run",
        NEWSLETTER,
        "--signal",
        "NEWSLETTER/signal1",
        "--payload",
        path_str(&big),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("the payload is 70014 bytes; the limit is 65536 bytes (64 KiB)"),
        "{}",
        stdout(&o)
    );
    let o = flowcall(&[
        "batch",
        NEWSLETTER,
        "--signal",
        "NEWSLETTER/signal1",
        "--payloads",
        "/dev/zero",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 1: longer than 131072 bytes"),
        "{}",
        stderr(&o)
    );
    let huge = dir.path().join("huge.flow.ron");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(65 * 1024 * 1024).unwrap();
    let o = flowcall(&["check", path_str(&huge)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("(it has 68157440 bytes)"),
        "{}",
        stderr(&o)
    );
}

/// Item 7: `check` printed an id's ESC and BEL bytes in its location prefix and `run` printed
/// payload values raw (`ESC[2J` cleared the screen, OSC 0 set the window title). Every control
/// character but the line end and the tab reaches the terminal escaped (`\u001b`), JSON output
/// included (where the escape means the same).
#[test]
fn regression_terminal_escapes_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let raw = |o: &Output| {
        o.stdout
            .iter()
            .chain(&o.stderr)
            .any(|b| (*b < 0x20 && *b != b'\n' && *b != b'\t') || *b == 0x7f)
            || String::from_utf8_lossy(&o.stdout).contains('\u{9b}')
    };
    let text = std::fs::read_to_string(NEWSLETTER).unwrap().replacen(
        "\"NEWSLETTER\"",
        "\"NEWS\\u{1b}[2J\\u{7}\"",
        1,
    );
    let file = dir.path().join("esc.flow.ron");
    std::fs::write(&file, text).unwrap();
    for args in [
        vec!["check", path_str(&file)],
        vec!["check", "--json", path_str(&file)],
    ] {
        let o = flowcall(&args);
        assert_eq!(o.status.code(), Some(1));
        assert!(!raw(&o), "{args:?}: {:?}", stdout(&o));
        assert!(
            stdout(&o).contains("NEWS\\u001b[2J\\u0007"),
            "{}",
            stdout(&o)
        );
    }
    let payload = dir.path().join("p.json");
    std::fs::write(
        &payload,
        "{\"source\": \"s\\u001b]0;pwned\\u0007\", \"parameters\": {\"audience\": \"\\u001b[2Jgold\\u009b31m\", \"email\": \"e\\u007f\", \"contentURL\": \"u\"}}",
    )
    .unwrap();
    for extra in [None, Some("--json"), Some("--trace")] {
        let mut args = vec![
            "run",
            NEWSLETTER,
            "--signal",
            "NEWSLETTER/signal1",
            "--payload",
            path_str(&payload),
        ];
        args.extend(extra);
        let o = flowcall(&args);
        assert!(!raw(&o), "{args:?}: {:?}", stdout(&o));
        assert!(stdout(&o).contains("\\u001b[2Jgold"), "{}", stdout(&o));
        if extra.is_some() {
            let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            assert!(
                v.to_string().contains("\\u001b[2Jgold\u{9b}31m"),
                "the JSON means the same"
            );
        }
    }
}

/// Item 9: a key given twice in audiences, options or files kept the last and dropped the
/// first without a word (and `fmt` then deleted it from the file); two profile columns with the
/// same name passed. Each is now a load error naming both places, and the file is kept.
#[test]
fn regression_duplicates_in_the_data_are_load_errors_naming_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let first_file = "            \"/incoming/customers_2025-01.csv\": ";
    let duplicated = text.replacen(
        first_file,
        &format!("            \"/incoming/customers_2025-02.csv\": \"email\\nx@example.com\\n\",\n{first_file}"),
        1,
    );
    assert_ne!(duplicated, text);
    let file = dir.path().join("files.flow.ron");
    std::fs::write(&file, &duplicated).unwrap();
    for args in [vec!["check", path_str(&file)], vec!["fmt", path_str(&file)]] {
        let o = flowcall(&args);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(
            stderr(&o).contains("sample.files: the key \"/incoming/customers_2025-02.csv\" is given twice (entries 1 and 3)"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("line 256, column"), "{}", stderr(&o));
    }
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        duplicated,
        "fmt kept the file"
    );
    let options = text.replacen(
        "audiences: {},",
        "audiences: {\"vip\": [\"a\"], \"vip\": []},",
        1,
    );
    std::fs::write(&file, &options).unwrap();
    let o = flowcall(&["check", path_str(&file)]);
    assert!(
        stderr(&o).contains("sample.audiences: the key \"vip\" is given twice (entries 1 and 2)"),
        "{}",
        stderr(&o)
    );
    let columns = text.replacen("name: \"country\",", "name: \"email\",", 1);
    std::fs::write(&file, &columns).unwrap();
    let o = flowcall(&["check", path_str(&file)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(
            "design: error: sample profiles: the column 'email' is named twice (columns 1 and 3)"
        ),
        "{}",
        stdout(&o)
    );
    // A saved scenario's payload that names a parameter twice (the trigger refuses that).
    let payload = std::fs::read_to_string(NEWSLETTER).unwrap();
    let at = payload.find("\"audience\": ").unwrap();
    let twice = format!("{}\"audience\": \"x\", {}", &payload[..at], &payload[at..]);
    std::fs::write(&file, &twice).unwrap();
    let o = flowcall(&["check", path_str(&file)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the payload: the key \"audience\" is given twice (entries 1 and 2)"),
        "{}",
        stderr(&o)
    );
}

/// A workflow: a signal, a Fork of `branches` branches each to an End, and a transition from
/// a port the Fork does not have when `stray` is set.
fn fork_design(branches: usize, stray: bool) -> flowcall::model::Design {
    use flowcall::model::{
        Activity, ActivityKind, Design, ForkSettings, KindTag, Port, Transition, Workflow,
    };
    let mut wf = Workflow::new("WKF1", "A wide Fork");
    wf.activities
        .push(Activity::new("signal1", "Signal", KindTag::ExternalSignal));
    let mut fork = Activity::new("fork1", "Fork", KindTag::Fork);
    let names: Vec<String> = (0..branches).map(|i| format!("b{i}")).collect();
    fork.kind = ActivityKind::Fork(ForkSettings {
        branches: names.clone(),
    });
    wf.activities.push(fork);
    wf.transitions.push(Transition {
        from: "signal1".into(),
        port: Port::Out,
        to: "fork1".into(),
    });
    for (i, name) in names.into_iter().enumerate() {
        wf.activities
            .push(Activity::new(format!("end{i}"), "End", KindTag::End));
        wf.transitions.push(Transition {
            from: "fork1".into(),
            port: Port::Branch(name),
            to: format!("end{i}"),
        });
    }
    if stray {
        wf.transitions.push(Transition {
            from: "fork1".into(),
            port: Port::Branch("nowhere".into()),
            to: "end0".into(),
        });
    }
    Design {
        workflows: vec![wf],
        ..Design::default()
    }
}

/// Item 10: messages gave advice no user can follow: "try increasing
/// `ron::Options::recursion_limit` and using `serde_stacker`", "raise the step limit" (fixed, no
/// option), and a Fork of 100,000 branches was named with every port on one 1.7 MB line.
#[test]
fn regression_every_message_gives_advice_a_user_can_follow() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("nested.flow.ron");
    std::fs::write(
        &nested,
        format!("(format_version: 1, workflows: {}", "[".repeat(500)),
    )
    .unwrap();
    let o = flowcall(&["check", path_str(&nested)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("the text nests brackets more than 128 levels deep"),
        "{err}"
    );
    assert!(
        err.contains("look for brackets opened and never closed"),
        "{err}"
    );
    assert!(
        !err.contains("serde_stacker") && !err.contains("recursion_limit"),
        "{err}"
    );

    let wide = dir.path().join("wide.flow.ron");
    let text = flowcall::io::to_ron_string(&fork_design(20_000, true)).unwrap();
    std::fs::write(&wide, text).unwrap();
    let o = flowcall(&["check", path_str(&wide)]);
    assert_eq!(o.status.code(), Some(1));
    let line = stdout(&o)
        .lines()
        .find(|l| l.contains("which this Fork activity does not have"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("{}", stdout(&o)));
    assert!(line.len() < 600, "{} bytes", line.len());
    assert!(line.ends_with("branch 'b9' and 19,990 more)"), "{line}");

    let over = dir.path().join("over.flow.ron");
    let text = flowcall::io::to_ron_string(&fork_design(10_001, false)).unwrap();
    std::fs::write(&over, text).unwrap();
    let o = flowcall(&["run", path_str(&over), "--signal", "WKF1/signal1"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("step limit of 10000 activity visits reached"),
        "{}",
        &out[..out.len().min(2_000)]
    );
    assert!(out.contains("split the work over several triggers"));
    assert!(!out.contains("raise the step limit"));
}

/// Regression: `run`'s readable report printed a payload value's line ends raw, so a value
/// could start lines of its own that pass for the report's (a fake run, a fake end).
#[test]
fn regression_run_text_keeps_a_value_with_a_line_end_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("payload.json");
    let value =
        "customers_2025-01.csv\nrun 9 of WKF9/signal1 (finished) from 'forged'\n  end: end9";
    std::fs::write(
        &payload,
        serde_json::json!({"source": "line\nbreak", "parameters": {"fileToTarget": value}})
            .to_string(),
    )
    .unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/file-to-audience.flow.ron");
    let o = flowcall(&[
        "run",
        path_str(&example),
        "--signal",
        "WKF1/signal1",
        "--payload",
        path_str(&payload),
    ]);
    let out = stdout(&o);
    assert!(out.contains("from 'line\\nbreak'"), "{out}");
    assert!(out.contains("\\nrun 9 of WKF9/signal1"), "{out}");
    for line in out.lines() {
        assert!(
            !line.starts_with("run 9") && !line.trim_start().starts_with("end: end9"),
            "a value started a line of its own: {line:?}\n{out}"
        );
    }
}
