//! Times the example plan's PDF with each engine that is installed.
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
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut opts = BuildOptions::new(Some(root.clone()), Some(dir.path().join("output")));
        opts.pdf = Some(pdf_opts);
        let start = Instant::now();
        let report = build(&opts).expect("the example builds");
        let elapsed = start.elapsed();
        let pdf = dir.path().join("output").join(&report.pdfs[0].path);
        println!(
            "{}: {} pages in {:.2} s (whole build included)",
            found.name(),
            pages(&pdf),
            elapsed.as_secs_f64()
        );
    }
}
