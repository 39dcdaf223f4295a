//! A ready `curl` call per signal, to `flowcall serve`'s trigger URL, with an example payload
//! built from defaults, allowed values and types.
//!
//! The output is a POSIX shell script, and every text from the design is made safe for it:
//! arguments are single-quoted (a quote inside is written `'\''`), the ids in the URL are
//! percent-encoded, and comments (which end at a newline) show control characters escaped
//! (`\n`, `\u{1}`), so that no label, id or value can add a command.

use crate::model::{Design, Parameter, SignalContract, Type, Value};
use serde_json::{Map, Value as Json, json};

/// The address `flowcall serve` listens on by default.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8640";

/// An example value for a parameter: its default, else its first allowed value, else one of
/// its type.
pub fn example_value(p: &Parameter) -> Json {
    if let Some(d) = &p.default {
        return d.to_json();
    }
    if let Some(a) = p.allowed.first() {
        return a.to_json();
    }
    match p.ty {
        Type::String => json!(format!("example {}", p.name)),
        Type::Integer => json!(42),
        Type::Decimal => json!(3.5),
        Type::Boolean => json!(true),
        Type::Date | Type::DateTime => {
            Value::parse_as(p.ty.example(), p.ty).map_or(Json::Null, |v| v.to_json())
        }
    }
}

/// An example payload for a signal: every declared parameter with an example value.
pub fn example_payload(contract: &SignalContract) -> Json {
    let parameters: Map<String, Json> = contract
        .parameters
        .iter()
        .map(|p| (p.name.clone(), example_value(p)))
        .collect();
    json!({"source": "curl", "parameters": parameters})
}

/// The trigger URL of `workflow`'s `signal` under `base_url`, the ids percent-encoded.
pub fn trigger_url(base_url: &str, workflow: &str, signal: &str) -> String {
    format!("{base_url}{}", trigger_path(workflow, signal))
}

/// The path of `workflow`'s `signal` trigger endpoint, the ids percent-encoded.
pub fn trigger_path(workflow: &str, signal: &str) -> String {
    format!(
        "/workflow/execution/{}/activities/activity/{}/trigger",
        path_segment(workflow),
        path_segment(signal)
    )
}

/// Percent-encodes `s` as one URL path segment: only letters, digits and `-._~` stay as they are.
pub fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text for a shell comment: control characters (a newline would end the comment) are shown
/// escaped.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// One `curl` command line posting `payload` to the trigger URL of `workflow`'s `signal` under
/// `base_url`, with the bearer `token` (or `$FLOWCALL_TOKEN` when `None`).
pub fn curl_call(
    base_url: &str,
    workflow: &str,
    signal: &str,
    payload: &Json,
    token: Option<&str>,
) -> String {
    let auth = match token {
        Some(t) => shell_quote(&format!("Authorization: Bearer {t}")),
        None => "\"Authorization: Bearer $FLOWCALL_TOKEN\"".to_owned(),
    };
    format!(
        "curl -sS -X POST {} -H {auth} -H 'Content-Type: application/json' --data-binary {}",
        shell_quote(&trigger_url(base_url, workflow, signal)),
        shell_quote(&payload.to_string())
    )
}

/// Quotes text for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The `curl` calls for the signals chosen by `include(workflow, signal)`, one block each.
pub fn curl(design: &Design, include: &dyn Fn(&str, &str) -> bool, base_url: &str) -> String {
    let mut out = String::new();
    for wf in &design.workflows {
        for (act, contract) in wf.signals() {
            if !include(&wf.id, &act.id) {
                continue;
            }
            let payload = serde_json::to_string_pretty(&example_payload(contract))
                .unwrap_or_else(|_| "{}".into());
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&comment_text(&format!(
                "# Trigger signal '{}' of workflow '{}'{}",
                act.id,
                wf.id,
                if act.label.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", act.label)
                }
            )));
            out.push('\n');
            out.push_str(&format!(
                "curl -sS -X POST {} \\\n  -H \"Authorization: Bearer $FLOWCALL_TOKEN\" \\\n  -H 'Content-Type: application/json' \\\n  --data-binary {}\n",
                shell_quote(&trigger_url(base_url, &wf.id, &act.id)),
                shell_quote(&payload)
            ));
        }
    }
    out
}
