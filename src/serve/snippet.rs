//! Ready-made calls to `flowcall serve` in the reference's dialect (docs/API.md): the URLs a
//! Campaign Standard integration uses (`{base}/{organization}/campaign/workflow/execution/...`)
//! and a Node script that triggers a signal through Adobe's own SDK,
//! `@adobe/aio-lib-campaign-standard`, with only its base URL changed. The README shows the
//! script for the newsletter example and CI runs that very text (`tools/sdk-check.sh`); the
//! designer's "Listen for API calls" can offer it next to the `curl` call.
//!
//! Every text from the design reaches the script as a JSON string literal (valid JavaScript),
//! never inside a comment, so no id, label or value can add code.

use crate::export::curl::{path_segment, trigger_path};
use serde_json::Value as Json;

/// The organization segment the snippets use: `flowcall serve` accepts any value there.
pub const DEFAULT_ORGANIZATION: &str = "ORGANIZATION";

/// `{base_url}/{organization}/campaign`: where the reference's paths start, the organization
/// percent-encoded (`base_url` has no trailing slash).
pub fn reference_base(base_url: &str, organization: &str) -> String {
    format!("{base_url}/{}/campaign", path_segment(organization))
}

/// The reference-style URL of `workflow`: `GET` answers it the way Campaign Standard does.
pub fn reference_workflow_url(base_url: &str, organization: &str, workflow: &str) -> String {
    format!(
        "{}/workflow/execution/{}",
        reference_base(base_url, organization),
        path_segment(workflow)
    )
}

/// The reference-style trigger URL of `workflow`'s `signal`: the `trigger.href` its workflow's
/// answer gives.
pub fn reference_trigger_url(
    base_url: &str,
    organization: &str,
    workflow: &str,
    signal: &str,
) -> String {
    format!(
        "{}{}",
        reference_base(base_url, organization),
        trigger_path(workflow, signal)
    )
}

/// A JavaScript string literal holding `s` (JSON's escaping is valid JavaScript).
fn js_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// Whether `v` holds the key `__proto__` at any depth: an object literal would set the
/// prototype instead of passing it as a parameter.
fn has_proto_key(v: &Json) -> bool {
    match v {
        Json::Object(m) => m.iter().any(|(k, v)| k == "__proto__" || has_proto_key(v)),
        Json::Array(a) => a.iter().any(has_proto_key),
        _ => false,
    }
}

/// `payload` as a JavaScript expression: a pretty object literal, or `JSON.parse("...")` when
/// a literal would not carry it unchanged.
fn js_payload(payload: &Json) -> String {
    if has_proto_key(payload) {
        return format!("JSON.parse({})", js_string(&payload.to_string()));
    }
    let pretty = serde_json::to_string_pretty(payload).unwrap_or_else(|_| "{}".to_owned());
    pretty.replace('\n', "\n  ")
}

/// A Node script (CommonJS) that triggers `workflow`'s `signal` on the `flowcall serve` at
/// `base_url` through `@adobe/aio-lib-campaign-standard`: it points the SDK's bundled API
/// description at `base_url` (`FLOWCALL_URL` overrides it), reads the workflow with
/// `getWorkflow`, takes the signal's `trigger.href` and posts `payload` with
/// `triggerSignalActivity`, then prints the answer as JSON. The bearer token is `token`, or
/// `FLOWCALL_TOKEN` from the environment when `None`; the API key is `FLOWCALL_API_KEY` or any
/// value (`flowcall serve` checks it only with `--api-key`).
pub fn node_sdk_snippet(
    base_url: &str,
    workflow: &str,
    signal: &str,
    payload: &Json,
    token: Option<&str>,
) -> String {
    let token = token.map_or_else(|| "process.env.FLOWCALL_TOKEN".to_owned(), js_string);
    format!(
        r#"// Triggers a workflow's External signal on flowcall serve through Adobe's Campaign Standard SDK.
// npm install @adobe/aio-lib-campaign-standard, then: node trigger.js
const spec = require('@adobe/aio-lib-campaign-standard/spec/api.json')
const campaign = require('@adobe/aio-lib-campaign-standard')

// The one change to an integration written for Campaign Standard: the base URL.
const base = process.env.FLOWCALL_URL || {base}
spec.servers[0].url = base + '/{{ORGANIZATION}}/campaign'

async function main () {{
  const client = await campaign.init({organization}, process.env.FLOWCALL_API_KEY || 'any', {token})
  const workflow = await client.getWorkflow({workflow})
  const href = workflow.body.activities.activity[{signal}].trigger.href
  const answer = await client.triggerSignalActivity(href, {payload})
  console.log(JSON.stringify(answer))
}}

main().catch((e) => {{
  console.error(e.message)
  process.exitCode = 1
}})
"#,
        base = js_string(base_url),
        organization = js_string(DEFAULT_ORGANIZATION),
        workflow = js_string(workflow),
        signal = js_string(signal),
        payload = js_payload(payload),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reference_urls_encode_every_segment() {
        assert_eq!(
            reference_workflow_url("http://127.0.0.1:8640", "ORGANIZATION", "NEWSLETTER"),
            "http://127.0.0.1:8640/ORGANIZATION/campaign/workflow/execution/NEWSLETTER"
        );
        assert_eq!(
            reference_trigger_url("http://h:1", "my org", "A/B", "{s}"),
            "http://h:1/my%20org/campaign/workflow/execution/A%2FB/activities/activity/%7Bs%7D/trigger"
        );
    }

    #[test]
    fn the_snippet_carries_design_texts_as_string_literals_only() {
        let hostile = "x\"); require('child_process').exec('touch PWNED'); //\n";
        let s = node_sdk_snippet(
            "http://127.0.0.1:8640",
            hostile,
            "zq'\u{2028}",
            &json!({"source": "cms", "parameters": {"a\nb": "</script>"}}),
            Some("t\"ok"),
        );
        // Each text appears once, as a JSON string literal, and nothing of it outside.
        assert!(s.contains(&serde_json::to_string(hostile).unwrap_or_default()));
        assert!(!s.contains("('touch PWNED'); //\n"));
        assert!(s.contains(r#""t\"ok""#));
        assert!(s.contains(r#""a\nb": "</script>""#));
        // Comments hold no design text.
        for line in s.lines().filter(|l| l.trim_start().starts_with("//")) {
            assert!(!line.contains("PWNED") && !line.contains("zq"), "{line}");
        }
    }

    #[test]
    fn a_proto_key_is_passed_through_json_parse() {
        let p = json!({"source": "cms", "parameters": {"__proto__": "x"}});
        let s = node_sdk_snippet("http://h", "W", "s", &p, None);
        assert!(
            s.contains(
                r#"JSON.parse("{\"source\":\"cms\",\"parameters\":{\"__proto__\":\"x\"}}")"#
            ),
            "{s}"
        );
        assert!(s.contains("process.env.FLOWCALL_TOKEN"));
        let plain = node_sdk_snippet("http://h", "W", "s", &json!({"source": "cms"}), None);
        assert!(
            plain.contains("triggerSignalActivity(href, {\n    \"source\": \"cms\"\n  })"),
            "{plain}"
        );
    }
}
