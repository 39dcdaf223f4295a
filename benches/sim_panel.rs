//! CPU time of one designer frame with the Simulator tab open on a session that holds many runs
//! (as a listening session collects them): the runs list lays out only the rows in view, and the
//! canvas path of the selected run is cached. The example design, 10 to 10,000 triggers (each
//! starts a run and its chained run).

mod common;

use common::frame;
use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::ui::{BottomTab, SimCommand};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("sim_panel");
    group.sample_size(20);
    let payload = serde_json::json!({
        "source": "bench",
        "parameters": {"fileToTarget": "customers_2025-01.csv"}
    });
    for n in [10usize, 1_000, 10_000] {
        let Ok(mut app) = flowcall::ui::example_app() else {
            return;
        };
        app.bottom_tab = BottomTab::Simulator;
        let mut last = None;
        {
            let mut sim = flowcall::ui::lock_session(app.simulator());
            for _ in 0..n {
                // Past the example's trigger cooldown (600 s).
                if sim.advance_clock(601).is_err() {
                    break;
                }
                if let flowcall::sim::TriggerOutcome::Started(id) =
                    sim.trigger_json("WKF1", "signal1", &payload)
                {
                    last = Some(id);
                }
                sim.run_to_end();
            }
        }
        assert!(last.is_some(), "no trigger was accepted");
        app.apply(SimCommand::SelectRun(last));
        let ctx = egui::Context::default();
        for _ in 0..3 {
            frame(&ctx, &mut app);
        }
        group.bench_function(format!("{n}"), |b| {
            b.iter(|| frame(&ctx, &mut app));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
