//! The floor of `flowcall batch`: a program that only reads a JSONL file line by line (as
//! `batch` reads it) and parses each non-blank line with serde_json, with the same allocator as
//! the `flowcall` binary. Comparing the CPU time of the two on the same file says how far the
//! batch is from what reading its input costs:
//!
//! ```sh
//! cargo build --release --no-default-features --example parse_jsonl
//! /usr/bin/time target/release/examples/parse_jsonl payloads.jsonl
//! ```
//!
//! (README, "Batch speed", has the payload file and the figures.)

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_jsonl FILE.jsonl");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot open {}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let mut input = BufReader::new(file);
    let (mut lines, mut keys, mut malformed) = (0usize, 0usize, 0usize);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match input.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("cannot read {}: {e}", path.to_string_lossy());
                return ExitCode::from(2);
            }
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        lines += 1;
        match serde_json::from_slice::<serde_json::Value>(&buf) {
            Ok(v) => keys += v.as_object().map_or(0, serde_json::Map::len),
            Err(_) => malformed += 1,
        }
    }
    let summary = format!("{lines} lines parsed: {keys} top-level keys, {malformed} malformed");
    match writeln!(std::io::stdout(), "{summary}") {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write to standard output: {e}");
            ExitCode::from(2)
        }
    }
}
