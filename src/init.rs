//! `boardpress init DIR`: a small starter site that builds as it is: a
//! board, a plan, and an annual report on the plan with the sections the
//! statutory guidance expects.

use std::fs;
use std::io;
use std::path::Path;

const FILES: &[(&str, &str)] = &[
    ("content/board.yaml", include_str!("starter/board.yaml")),
    (
        "content/documents/business-plan-2025-26/document.yaml",
        include_str!("starter/document.yaml"),
    ),
    (
        "content/documents/business-plan-2025-26/plan.yaml",
        include_str!("starter/plan.yaml"),
    ),
    (
        "content/documents/business-plan-2025-26/10-introduction.md",
        include_str!("starter/introduction.md"),
    ),
    (
        "content/documents/annual-report-2025-26/document.yaml",
        include_str!("starter/report/document.yaml"),
    ),
    (
        "content/documents/annual-report-2025-26/progress.yaml",
        include_str!("starter/report/progress.yaml"),
    ),
    (
        "content/documents/annual-report-2025-26/10-foreword.md",
        include_str!("starter/report/foreword.md"),
    ),
    (
        "content/documents/annual-report-2025-26/30-impact-and-training.md",
        include_str!("starter/report/impact.md"),
    ),
    (
        "content/documents/annual-report-2025-26/40-learning-from-reviews.md",
        include_str!("starter/report/reviews.md"),
    ),
    (
        "content/documents/annual-report-2025-26/50-voice-of-children.md",
        include_str!("starter/report/voice.md"),
    ),
    (".gitignore", "/output\n"),
];

/// Write the starter site into `dir`, which must be new or empty.
pub fn init(dir: &Path) -> io::Result<()> {
    if dir.is_file() {
        return Err(io::Error::other(format!(
            "{} is a file, not a folder",
            dir.display()
        )));
    }
    if dir.is_dir() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::other(format!(
            "{} is not empty; init only writes into a new or empty folder",
            dir.display()
        )));
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, text)?;
    }
    Ok(())
}
