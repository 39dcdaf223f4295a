//! Fuzz target `expr_fields`: arbitrary UTF-8 as the expression of every expression field of
//! the bundled example (Test condition, End trigger parameters, audience, path, labels...)
//! never panics in `check`, a run of each signal, any export or `diff` against the example; an
//! export is made exactly when `check` finds no error. The property test `tests/expr_calls.rs`
//! sweeps every function at every argument count the same way.
#![no_main]

use flowcall::export::Format;
use flowcall::model::{ActivityKind, Design, EndSettings};
use flowcall::sim::{Prepared, Simulator};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

fn example() -> Option<&'static Design> {
    static D: OnceLock<Option<Design>> = OnceLock::new();
    D.get_or_init(|| {
        flowcall::io::load_str(include_str!("../../examples/file-to-audience.flow.ron")).ok()
    })
    .as_ref()
}

/// Every expression field of `kind`, to write into.
fn fields(kind: &mut ActivityKind) -> Vec<&mut String> {
    match kind {
        ActivityKind::Query(q) => vec![&mut q.filter, &mut q.segment_code],
        ActivityKind::ReadAudience(r) => vec![&mut r.audience, &mut r.segment_code],
        ActivityKind::SaveAudience(s) => vec![&mut s.label],
        ActivityKind::TransferFile(t) => vec![&mut t.path],
        ActivityKind::Test(t) => t.conditions.iter_mut().map(|c| &mut c.expression).collect(),
        ActivityKind::EmailDelivery(e) => {
            let mut v = vec![&mut e.label, &mut e.template];
            v.extend(e.parameters.iter_mut().map(|p| &mut p.expression));
            v
        }
        ActivityKind::End(EndSettings { trigger: Some(t) }) => {
            t.parameters.iter_mut().map(|p| &mut p.expression).collect()
        }
        _ => Vec::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Some(base) = example() else { return };
    let mut design = base.clone();
    for wf in &mut design.workflows {
        for act in &mut wf.activities {
            for field in fields(&mut act.kind) {
                *field = src.to_owned();
            }
        }
    }
    let errors = flowcall::export::design_errors(&design);
    let mut sim = Simulator::new(Arc::new(Prepared::new(design.clone()))).with_step_limit(1_000);
    sim.start_all();
    for wf in &design.workflows {
        for (act, contract) in wf.signals() {
            let payload = flowcall::export::curl::example_payload(contract);
            sim.trigger_json(&wf.id, &act.id, &payload);
            sim.run_to_end();
        }
    }
    for format in [Format::Json, Format::Schema, Format::Openapi, Format::Bpmn, Format::Curl] {
        let made = flowcall::export::export(&design, format, None).is_ok();
        assert_eq!(made, errors.is_empty(), "an export of a design with errors, or none without");
    }
    let _ = flowcall::diff::compare(base, &design).lines();
});
