//! Fuzz target: any bytes sent as a trigger payload never panic the simulator; a payload is
//! either accepted (and the run finishes within the step limit) or rejected with reasons.
#![no_main]

use flowcall::sim::{Prepared, Simulator, TriggerOutcome};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

fn prepared() -> Option<Arc<Prepared>> {
    static P: OnceLock<Option<Arc<Prepared>>> = OnceLock::new();
    P.get_or_init(|| {
        let text = include_str!("../../examples/file-to-audience.flow.ron");
        flowcall::io::load_str(text)
            .ok()
            .map(|d| Arc::new(Prepared::new(d)))
    })
    .clone()
}

fuzz_target!(|data: &[u8]| {
    let Some(p) = prepared() else { return };
    let mut sim = Simulator::new(p);
    let _ = sim.start_all();
    match sim.trigger_bytes("WKF1", "signal1", data) {
        TriggerOutcome::Rejected(errors) => assert!(!errors.is_empty()),
        TriggerOutcome::Started(_) | TriggerOutcome::Queued => {
            let _ = sim.run_to_end();
        }
    }
    // The JSON form of a design is parsed by the same loader rules.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = flowcall::io::load_json_str(text);
    }
});
