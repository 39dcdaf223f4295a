//! Fuzz target: loading arbitrary text as a design never panics; whatever loads saves and
//! loads back equal, and checking it, simulating a trigger of each of its signals to the end
//! and every export never panic. Seeds: `fuzz/seeds/load` (hostile texts, the limits of the
//! virtual clock, a byte order mark, deep nesting, the examples).
#![no_main]

use flowcall::export::Format;
use flowcall::sim::{Prepared, Simulator};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(design) = flowcall::io::load_str(text) else {
        return;
    };
    let _ = flowcall::check::check(&design);
    if let Ok(saved) = flowcall::io::to_ron_string(&design) {
        match flowcall::io::load_str(&saved) {
            Ok(back) => assert_eq!(back, design, "round trip changed the design"),
            Err(e) => panic!("a saved design does not load: {e}\n{saved}"),
        }
    }
    let mut sim = Simulator::new(Arc::new(Prepared::new(design.clone()))).with_step_limit(1_000);
    sim.start_all();
    sim.run_to_end();
    for wf in &design.workflows {
        for (act, contract) in wf.signals() {
            let payload = flowcall::export::curl::example_payload(contract);
            sim.trigger_json(&wf.id, &act.id, &payload);
            sim.run_to_end();
        }
    }
    for format in [Format::Json, Format::Schema, Format::Openapi, Format::Bpmn, Format::Curl] {
        let _ = flowcall::export::export(&design, format, None);
    }
});
