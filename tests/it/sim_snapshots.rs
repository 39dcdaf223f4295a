//! Snapshot tests (insta): the full trace of every saved scenario of the example designs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flowcall::sim::{Prepared, report, run_scenario};
use std::sync::Arc;

fn snapshot_design(file: &str, prefix: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let design = flowcall::io::load(&path).unwrap();
    let prepared = Arc::new(Prepared::new(design));
    assert!(!prepared.design.scenarios.is_empty());
    for scenario in &prepared.design.scenarios {
        let result = run_scenario(&prepared, scenario);
        let mut value = report::trace_json(&result.simulator);
        if let Some(m) = value.as_object_mut() {
            m.insert(
                "trigger_errors".into(),
                result
                    .outcome
                    .errors()
                    .iter()
                    .map(report::error_json)
                    .collect(),
            );
            m.insert("differences".into(), serde_json::json!(result.differences));
        }
        let name = format!(
            "{prefix}__{}",
            scenario
                .name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
        );
        insta::assert_json_snapshot!(name, value);
    }
}

#[test]
fn cms_newsletter_traces() {
    snapshot_design("examples/cms-newsletter.flow.ron", "cms_newsletter");
}

#[test]
fn file_to_audience_traces() {
    snapshot_design("examples/file-to-audience.flow.ron", "file_to_audience");
}
