//! Renders 1,000 trend charts (three areas, twelve years each) and prints the
//! time per chart. Run with: `cargo run --release --example chart_bench`.
//! Target: under 1 ms per chart on a release build.

use std::time::Instant;

use boardpress::data::{Cell, ChartKind, Dataset, Measure, Role, Series, SeriesSpec};
use boardpress::render::charts;

fn dataset(seed: usize) -> Dataset {
    let periods: Vec<String> = (2013..2025).map(|y| y.to_string()).collect();
    let series = ["Local", "Statistical neighbours (median)", "England"]
        .iter()
        .enumerate()
        .map(|(i, label)| Series {
            label: label.to_string(),
            role: [Role::Local, Role::Neighbours, Role::England][i],
            cells: (0..periods.len())
                .map(|p| {
                    // Deterministic, varied figures; a suppressed cell now and then.
                    let v = ((seed * 7 + p * 13 + i * 29) % 97) as f64 + 20.0;
                    if (seed + p).is_multiple_of(17) && i == 1 {
                        Cell::Missing("c".into())
                    } else {
                        Cell::Value(v)
                    }
                })
                .collect(),
        })
        .collect();
    Dataset {
        id: format!("series-{seed}"),
        file: "content/data/x.yaml".into(),
        spec: SeriesSpec {
            title: "Children on child protection plans fell after 2019".into(),
            measure: Measure::RatePer10000,
            measure_label: None,
            subject: Some("children on child protection plans at 31 March".into()),
            place: Some("Exampleshire".into()),
            source: "Department for Education".into(),
            notes: Vec::new(),
            kind: ChartKind::Line,
            csv: None,
            areas: Vec::new(),
            dfe: None,
        },
        periods,
        series,
        data_notes: Vec::new(),
    }
}

fn main() {
    let sets: Vec<Dataset> = (0..1000).map(dataset).collect();
    // Warm up once so the first allocation costs are not counted.
    let _ = charts::Figure::trend(&sets[0], None, "warm").view();
    let start = Instant::now();
    let mut bytes = 0;
    for (i, ds) in sets.iter().enumerate() {
        let view = charts::Figure::trend(ds, None, &format!("chart-{i}"))
            .view()
            .expect("chart renders");
        bytes += view.svg_html.len();
    }
    let elapsed = start.elapsed();
    println!(
        "rendered {} trend charts in {:.1} ms: {:.3} ms per chart ({} KiB of SVG)",
        sets.len(),
        elapsed.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64() * 1000.0 / sets.len() as f64,
        bytes / 1024
    );
}
