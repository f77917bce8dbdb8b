//! Benchmarks `boardpress build` on generated sites and prints wall time,
//! pages and bytes written, and peak memory, writing to a RAM disk
//! (`/dev/shm`) and to the normal disk: the first build, an unchanged
//! rebuild, a rebuild after one milestone's status changed, and a rebuild
//! with `--fresh` (everything rendered again into an existing output).
//!
//! `cargo build --release && cargo run --release --example bench_build`
//! (add `small` or `national` to run one size). Targets (issue 5): the
//! national corpus under 0.45 s wall to /dev/shm with peak memory under
//! 110 MiB; the example site under 50 ms.

#[path = "gen_corpus.rs"]
mod gen_corpus;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Run {
    wall: f64,
    peak_mib: f64,
    summary: String,
}

/// Run the release binary once; peak memory is the child's own (wait4).
// The child is reaped by wait4, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run(bin: &Path, root: &Path, out: &Path, fresh: bool) -> Run {
    let start = Instant::now();
    let child = Command::new(bin)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(fresh.then_some("--fresh"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("boardpress runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64();
    let mut summary = String::new();
    if let Some(mut stdout) = child.stdout {
        use std::io::Read;
        let _ = stdout.read_to_string(&mut summary);
    }
    Run {
        wall,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        summary: summary.trim().to_string(),
    }
}

/// Reword the first plan's title (a business manager's typical small edit);
/// returns the file and its text to restore.
fn edit_one_plan(root: &Path) -> (PathBuf, String) {
    let plan = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .find(|e| e.file_name() == "plan.yaml")
        .expect("the site has a plan")
        .into_path();
    let original = std::fs::read_to_string(&plan).expect("plan read");
    let edited = match original.strip_prefix("title: ") {
        Some(rest) => format!("title: Revised {rest}"),
        None => original.replacen("\ntitle: ", "\ntitle: Revised ", 1),
    };
    assert_ne!(edited, original, "{} has no title to edit", plan.display());
    std::fs::write(&plan, edited).expect("plan edited");
    (plan, original)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("folder made");
        } else {
            std::fs::copy(entry.path(), &target).expect("file copied");
        }
    }
}

fn bytes_in(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn main() {
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/boardpress");
    assert!(
        bin.is_file(),
        "build the release binary first: cargo build --release"
    );
    let only = std::env::args().nth(1);
    // The example is copied so that the edit never touches the repository.
    let example = PathBuf::from("/dev/shm/boardpress-bench-example");
    let _ = std::fs::remove_dir_all(&example);
    copy_tree(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content"),
        &example.join("content"),
    );
    let disk = std::env::temp_dir().join("boardpress-bench");
    let _ = std::fs::create_dir_all(&disk);
    // Input that once cost more than its size: 50,000 footnotes in one
    // section took 15 s when each note's number was found by a search
    // through the notes before it.
    let footnotes = PathBuf::from("/dev/shm/boardpress-bench-footnotes");
    let _ = std::fs::remove_dir_all(&footnotes);
    copy_tree(&example.join("content"), &footnotes.join("content"));
    let notes: String = (0..50_000)
        .map(|i| format!("Point {i}.[^n{i}]\n"))
        .collect();
    let defs: String = (0..50_000)
        .map(|i| format!("[^n{i}]: Note {i}.\n"))
        .collect();
    std::fs::write(
        footnotes.join("content/documents/business-plan-2012-13/70-notes.md"),
        format!("---\ntitle: Notes\norder: 70\n---\n{notes}\n{defs}"),
    )
    .expect("footnotes section written");
    let mut sites = vec![("example", example.clone()), ("footnotes", footnotes)];
    for (name, boards, docs) in [("small", 10, 5), ("national", 150, 10)] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let root = PathBuf::from(format!("/dev/shm/boardpress-bench-{name}"));
        if !root.join("content").is_dir() {
            let _ = std::fs::remove_dir_all(&root);
            gen_corpus::generate(&root, boards, docs).expect("corpus written");
        }
        sites.push((name, root));
    }
    println!(
        "{:<9} {:<6} {:<8} {:>8} {:>9} {:>9}  summary",
        "site", "disk", "build", "wall s", "MiB out", "peak MiB"
    );
    for (name, root) in &sites {
        for (disk_name, base) in [("shm", PathBuf::from("/dev/shm")), ("disk", disk.clone())] {
            let out = base.join(format!("boardpress-bench-{name}-out"));
            let _ = std::fs::remove_dir_all(&out);
            for pass in ["first", "rebuild", "one-edit", "fresh"] {
                let edited = (pass == "one-edit").then(|| edit_one_plan(root));
                let r = run(&bin, root, &out, pass == "fresh");
                if let Some((file, original)) = edited {
                    std::fs::write(file, original).expect("plan restored");
                }
                let mib = bytes_in(&out) as f64 / 1024.0 / 1024.0;
                println!(
                    "{name:<9} {disk_name:<6} {pass:<8} {:>8.3} {mib:>9.1} {:>9.1}  {}",
                    r.wall, r.peak_mib, r.summary
                );
            }
            let _ = std::fs::remove_dir_all(&out);
        }
    }
}
