//! Fuzz target: any bytes read as a CSV payload file (typed by the example signal's contract)
//! never panic; every payload produced is valid JSON, and the simulator validates it without
//! panicking.
#![no_main]

use flowcall::sim::{PayloadFormat, Prepared, Simulator, open_payloads};
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
    let Some(contract) = p.design.signal("WKF1", "signal1").cloned() else {
        return;
    };
    let Ok(mut source) = open_payloads(data, PayloadFormat::Csv, Some(&contract)) else {
        return;
    };
    let mut sim = Simulator::new(p.clone());
    sim.start_all();
    for _ in 0..64 {
        match source.next_payload() {
            Ok(Some(line)) => {
                assert!(
                    serde_json::from_slice::<serde_json::Value>(&line.bytes).is_ok(),
                    "a CSV row became invalid JSON"
                );
                let _ = sim.trigger_bytes("WKF1", "signal1", &line.bytes);
            }
            Ok(None) | Err(_) => break,
        }
    }
});
