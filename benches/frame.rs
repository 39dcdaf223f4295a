//! CPU time of one designer frame, headless: `Context::run_ui` with the app's frame code, then
//! `tessellate` (no GPU), on generated workflows of 20 to 2,000 activities, at 1:1 zoom and zoomed
//! to fit.

use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::ui::App;

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 860.0),
        )),
        ..Default::default()
    }
}

fn frame(ctx: &egui::Context, app: &mut App) -> usize {
    let out = ctx.run_ui(input(), |ui| app.ui_frame(ui));
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    for n in [20usize, 200, 500, 2000] {
        for fit in [false, true] {
            let design = flowcall::model::generated_design(1, n);
            let mut app = App::new(design, None, "bench.flow.ron");
            let ctx = egui::Context::default();
            // Settle: fonts, layout sizes, then the view.
            for _ in 0..3 {
                frame(&ctx, &mut app);
            }
            if fit {
                app.canvas.fit_pending = true;
            } else {
                app.canvas.one_to_one_pending = true;
            }
            for _ in 0..3 {
                frame(&ctx, &mut app);
            }
            let view = if fit { "fit" } else { "1to1" };
            group.bench_function(format!("{n}/{view}"), |b| {
                b.iter(|| frame(&ctx, &mut app));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
