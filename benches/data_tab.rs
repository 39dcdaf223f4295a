//! CPU time of one designer frame with the Data tab open on a profiles table of 10,000 rows
//! (eight typed columns, as File > New's), in view at its top and scrolled to its end (a row
//! added there): the table lays out only the rows in view, so the frame does not grow with the
//! rows. Headless:
//! `Context::run_ui` with the app's frame code, then `tessellate` (no GPU), 1400×860.

mod common;

use common::frame;
use criterion::{Criterion, criterion_group, criterion_main};
use flowcall::model::{SampleData, Table};
use flowcall::ui::{App, BottomTab, DataCommand, DataTable};

/// The starter profiles, repeated to `n` rows (each key made unique).
fn profiles(n: usize) -> Table {
    let starter = SampleData::starter().profiles;
    let mut t = Table {
        columns: starter.columns.clone(),
        rows: Vec::with_capacity(n),
    };
    for i in 0..n {
        if let Some(row) = starter.rows.get(i % starter.rows.len()) {
            let mut row = row.clone();
            if let Some(key) = row.first_mut() {
                *key = format!("{i}.{key}");
            }
            t.rows.push(row);
        }
    }
    t
}

/// The app on the example with `n` profiles and the Data tab shown, after a few frames.
fn app_with(ctx: &egui::Context, n: usize) -> Option<App> {
    let mut app = flowcall::ui::example_app().ok()?;
    app.apply(DataCommand::SetTable {
        table: DataTable::Profiles,
        value: Box::new(profiles(n)),
    });
    assert_eq!(app.design().sample.profiles.rows.len(), n);
    app.bottom_tab = BottomTab::Data;
    for _ in 0..3 {
        frame(ctx, &mut app);
    }
    Some(app)
}

/// Adds a row at the end of the table, which scrolls it there.
fn scroll_to_end(ctx: &egui::Context, app: &mut App) {
    app.apply(DataCommand::AddRow(DataTable::Profiles));
    for _ in 0..3 {
        frame(ctx, app);
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("data_tab");
    group.sample_size(20);
    for n in [100usize, 10_000] {
        let ctx = egui::Context::default();
        let Some(mut app) = app_with(&ctx, n) else {
            return;
        };
        group.bench_function(format!("{n}/top"), |b| b.iter(|| frame(&ctx, &mut app)));
        scroll_to_end(&ctx, &mut app);
        group.bench_function(format!("{n}/end"), |b| b.iter(|| frame(&ctx, &mut app)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
