//! CPU time of one designer frame, headless: `Context::run_ui` with the app's frame code, then
//! `tessellate` (no GPU), on generated workflows of 20 to 2,000 activities, at 1:1 zoom, zoomed
//! to fit (never below the readable zoom: the first view of a workflow) and zoomed out as far as
//! the canvas goes (50%, where titles are drawn larger and the smaller texts left out; the
//! minimap shows the rest). The `canvas` group draws the canvas alone, without and with a
//! simulator overlay (half the activities visited, the transitions between them taken, a
//! current and a next activity, a breakpoint on every tenth).

mod common;

use common::{frame, input};
use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::model::Workflow;
use flowcall::ui::{App, Canvas, Overlay};

/// A run's overlay on `wf`: the first half of its activities visited (every third twice), the
/// transitions between them taken, the last visited one current and the one after it next.
fn half_visited(wf: &Workflow) -> Overlay {
    let half = wf.activities.len() / 2;
    let mut overlay = Overlay::default();
    for (i, a) in wf.activities.iter().enumerate() {
        if i < half {
            overlay
                .visits
                .insert(a.id.clone(), 1 + usize::from(i % 3 == 0));
        }
        if i % 10 == 0 {
            overlay.breakpoints.insert(a.id.clone());
        }
    }
    for t in &wf.transitions {
        if overlay.visits.contains_key(&t.from) && overlay.visits.contains_key(&t.to) {
            overlay
                .taken
                .insert((t.from.clone(), t.port.clone(), t.to.clone()));
        }
    }
    overlay.current = half
        .checked_sub(1)
        .and_then(|i| wf.activities.get(i))
        .map(|a| a.id.clone());
    overlay.next = wf.activities.get(half).map(|a| a.id.clone());
    overlay
}

fn canvas_frame(
    ctx: &egui::Context,
    canvas: &mut Canvas,
    wf: &Workflow,
    overlay: &Overlay,
) -> usize {
    let out = ctx.run_ui(input(), |ui| {
        canvas.sync(wf, 0);
        let (mut commands, mut hint) = (Vec::new(), None);
        canvas.ui(ui, wf, None, overlay, &mut commands, &mut hint);
    });
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

/// The views a frame is measured at.
#[derive(Clone, Copy)]
enum Shown {
    /// 1:1 zoom.
    OneToOne,
    /// Zoom to fit (never below the readable zoom): the first view of a workflow.
    Fit,
    /// Zoomed out as far as the canvas goes (Ctrl+wheel over it).
    AllOut,
}

impl Shown {
    fn name(self) -> &'static str {
        match self {
            Shown::OneToOne => "1to1",
            Shown::Fit => "fit",
            Shown::AllOut => "out",
        }
    }
}

/// Brings `app`'s canvas to the view `shown`, with a few frames to settle.
fn show(ctx: &egui::Context, app: &mut App, shown: Shown) {
    match shown {
        Shown::OneToOne => app.canvas.one_to_one_pending = true,
        Shown::Fit => app.canvas.fit_pending = true,
        Shown::AllOut => {
            for _ in 0..10 {
                let mut raw = input();
                raw.events
                    .push(egui::Event::PointerMoved(egui::pos2(640.0, 300.0)));
                raw.events.push(egui::Event::Zoom(0.5));
                let out = ctx.run_ui(raw, |ui| app.frame_ui(ui));
                ctx.tessellate(out.shapes, out.pixels_per_point);
            }
            let least = flowcall::ui::ZOOM_RANGE.0;
            assert!(
                app.canvas.scale <= least + 1e-3,
                "zoomed out to {} (the Zoom events missed the canvas)",
                app.canvas.scale
            );
        }
    }
    for _ in 0..3 {
        frame(ctx, app);
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    for n in [20usize, 200, 500, 2000] {
        for shown in [Shown::OneToOne, Shown::Fit, Shown::AllOut] {
            let design = flowcall::model::generated_design(1, n);
            let mut app = App::new(design, None, "bench.flow.ron");
            let ctx = egui::Context::default();
            // Settle: fonts, layout sizes, then the view.
            for _ in 0..3 {
                frame(&ctx, &mut app);
            }
            show(&ctx, &mut app, shown);
            group.bench_function(format!("{n}/{}", shown.name()), |b| {
                b.iter(|| frame(&ctx, &mut app));
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("canvas");
    group.sample_size(20);
    for n in [20usize, 200, 500, 2000] {
        let design = flowcall::model::generated_design(1, n);
        let Some(wf) = design.workflows.first() else {
            continue;
        };
        for fit in [false, true] {
            for (name, overlay) in [("plain", Overlay::default()), ("overlay", half_visited(wf))] {
                let mut canvas = Canvas::default();
                let ctx = egui::Context::default();
                for _ in 0..3 {
                    canvas_frame(&ctx, &mut canvas, wf, &overlay);
                }
                if fit {
                    canvas.fit_pending = true;
                } else {
                    canvas.one_to_one_pending = true;
                }
                for _ in 0..3 {
                    canvas_frame(&ctx, &mut canvas, wf, &overlay);
                }
                let view = if fit { "fit" } else { "1to1" };
                group.bench_function(format!("{n}/{view}/{name}"), |b| {
                    b.iter(|| canvas_frame(&ctx, &mut canvas, wf, &overlay));
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
