//! Fuzz target: loading arbitrary text as a design never panics; whatever loads saves and
//! loads back equal, and checking it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(design) = flowcall::io::load_str(text) {
        let _ = flowcall::check::check(&design);
        if let Ok(saved) = flowcall::io::to_ron_string(&design) {
            match flowcall::io::load_str(&saved) {
                Ok(back) => assert_eq!(back, design, "round trip changed the design"),
                Err(e) => panic!("a saved design does not load: {e}\n{saved}"),
            }
        }
    }
});
