//! Times the example plan's PDF with each engine that is installed: the
//! median of three builds, each from a fresh output folder.
//! Run with: `cargo run --release --example pdf_bench`.
//! Target: at most 3 s for a 30-page document on the development machine.

use std::process::Command;
use std::time::Instant;

use boardpress::pdf::{EngineChoice, PdfOptions, find_engine};
use boardpress::{BuildOptions, build};

fn pages(pdf: &std::path::Path) -> String {
    Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).to_string();
            text.lines()
                .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().to_string()))
        })
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for engine in [EngineChoice::WeasyPrint, EngineChoice::Chromium] {
        let pdf_opts = PdfOptions {
            engine,
            ..PdfOptions::default()
        };
        let Ok(found) = find_engine(&pdf_opts) else {
            println!("{engine:?}: not installed, skipped");
            continue;
        };
        let mut times = Vec::new();
        let mut pages_of = String::new();
        for _ in 0..3 {
            let dir = tempfile::tempdir().expect("temporary folder");
            let mut opts = BuildOptions::new(Some(root.clone()), Some(dir.path().join("output")));
            opts.pdf = Some(PdfOptions {
                documents: vec!["business-plan-2012-13".into()],
                ..pdf_opts.clone()
            });
            let start = Instant::now();
            let report = build(&opts).expect("the example builds");
            times.push(start.elapsed().as_secs_f64());
            pages_of = pages(&dir.path().join("output").join(&report.pdfs[0].path));
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{}: {pages_of} pages in {:.2} s, median of {:.2?} (whole build included)",
            found.name(),
            times[1],
            times
        );
    }
}
