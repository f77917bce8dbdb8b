//! Benchmarks `boardpress build` on generated sites and prints wall time,
//! pages and bytes written, and peak memory, writing to a RAM disk
//! (`/dev/shm`) and to the normal disk: the first build, an unchanged
//! rebuild, a rebuild after one milestone's status changed, and a rebuild
//! with `--fresh` (everything rendered again into an existing output).
//!
//! Each build is run `RUNS` times (5 by default) and the median printed,
//! beside a floor program run on the same site before each first build
//! (see [`floor`]): the first build is also given as a multiple of it.
//!
//! `cargo build --release && cargo run --release --example bench_build`
//! (add `small` or `national` to run one size; `BOARDPRESS_BIN` names
//! another binary to measure, such as `target/dist/boardpress`; `ZOLA` names a
//! Zola binary to run on the same Markdown, see [`zola_site`]). Targets (first-build
//! issue): the national corpus's first build faster than Zola's (about 8×
//! the floor), peak memory under 64 MiB; the example under 20 ms.

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

/// Time a command to its end; peak memory is the child's own (wait4).
/// Returns its run (stdout as the summary) and its wait status.
// The child is reaped by wait4, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn measured(command: &mut Command) -> (Run, i32) {
    let start = Instant::now();
    let child = command
        .stdout(std::process::Stdio::piped())
        // Warnings (the generated boards have no accessibility contact)
        // would bury the table.
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the program runs");
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
    let run = Run {
        wall,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        summary: summary.trim().to_string(),
    };
    (run, status)
}

/// Run the release binary's build once.
fn run(bin: &Path, root: &Path, out: &Path, fresh: bool) -> Run {
    let mut command = Command::new(bin);
    command
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(fresh.then_some("--fresh"));
    measured(&mut command).0
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

/// The floor: the least any publisher of this site must do. Read every
/// input file, render every Markdown file with pulldown-cmark, and write one
/// page per document (each document folder's sections, in file order), on
/// both cores as boardpress does. boardpress's first build is reported as a
/// multiple of it, a ratio that holds when the machine's speed drifts.
fn floor(root: &Path, out: &Path) {
    use rayon::prelude::*;
    let mut folders: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    folders.sort();
    folders.par_iter().for_each(|folder| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
            .expect("folder read")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        let mut page = String::new();
        for file in &files {
            let bytes = std::fs::read(file).expect("input read");
            if file.extension().is_some_and(|e| e == "md") {
                let text = String::from_utf8(bytes).expect("Markdown is UTF-8");
                let parser = pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all());
                pulldown_cmark::html::push_html(&mut page, parser);
            }
        }
        if page.is_empty() {
            return;
        }
        let target = out.join(folder.strip_prefix(root).expect("inside"));
        std::fs::create_dir_all(&target).expect("output folder made");
        let html = format!("<!DOCTYPE html><html><body>{page}</body></html>");
        std::fs::write(target.join("index.html"), html).expect("page written");
    });
}

/// A Zola site holding the same Markdown, for a side-by-side run when `ZOLA`
/// names a Zola binary: each board a section, each document a page of its
/// Markdown sections in their order (each under its title as a heading),
/// with plain templates: a page with its contents list, a section listing
/// its pages. The Zola figure is for the Markdown alone; with
/// `plans` each plan is there too, in its place, its priorities and
/// objectives as headings and its milestones as Markdown tables.
fn zola_site(root: &Path, site: &Path, plans: bool) {
    let _ = std::fs::remove_dir_all(site);
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).expect("templates folder made");
    let files = [
        (
            "config.toml",
            "base_url = \"https://example.org\"\ntitle = \"Boards\"\ncompile_sass = false\n\
             build_search_index = false\ngenerate_feeds = false\n",
        ),
        (
            "templates/base.html",
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>{% block title %}{{ config.title }}{% endblock %}</title></head>\
             <body><main>{% block content %}{% endblock %}</main></body></html>\n",
        ),
        (
            "templates/index.html",
            "{% extends \"base.html\" %}{% block content %}<h1>{{ config.title }}</h1><ul>\
             {% for s in section.subsections %}<li>{{ s }}</li>{% endfor %}</ul>{% endblock %}\n",
        ),
        (
            "templates/section.html",
            "{% extends \"base.html\" %}{% block title %}{{ section.title }}{% endblock %}\
             {% block content %}<h1>{{ section.title }}</h1><ul>{% for page in section.pages %}\
             <li><a href=\"{{ page.permalink }}\">{{ page.title }}</a></li>{% endfor %}</ul>\
             {% endblock %}\n",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block title %}{{ page.title }}{% endblock %}\
             {% block content %}<h1>{{ page.title }}</h1><nav><ul>{% for h in page.toc %}\
             <li><a href=\"#{{ h.id }}\">{{ h.title }}</a></li>{% endfor %}</ul></nav>\
             {{ page.content | safe }}{% endblock %}\n",
        ),
    ];
    for (path, text) in files {
        std::fs::write(site.join(path), text).expect("Zola file written");
    }
    let content = site.join("content");
    std::fs::create_dir_all(&content).expect("content folder made");
    std::fs::write(content.join("_index.md"), "+++\ntitle = \"Boards\"\n+++\n").expect("written");
    let boards = sorted_entries(&root.join("content/boards"));
    for board in boards {
        let name = board
            .file_name()
            .expect("named")
            .to_string_lossy()
            .to_string();
        let section = content.join(&name);
        std::fs::create_dir_all(&section).expect("section folder made");
        let index = format!("+++\ntitle = \"{name}\"\nsort_by = \"title\"\n+++\n");
        std::fs::write(section.join("_index.md"), index).expect("section written");
        for document in sorted_entries(&board.join("documents")) {
            let doc = document
                .file_name()
                .expect("named")
                .to_string_lossy()
                .to_string();
            let mut parts: Vec<(i64, String)> = Vec::new();
            for file in sorted_entries(&document) {
                let text = std::fs::read_to_string(&file).expect("input read");
                if file.extension().is_some_and(|e| e == "md") {
                    let (title, order, body) = split_front_matter(&text);
                    parts.push((order, format!("\n# {title}\n\n{body}\n")));
                } else if plans && file.file_name().is_some_and(|n| n == "plan.yaml") {
                    let plan: ZolaPlan = serde_saphyr::from_str(&text).expect("plan read");
                    parts.push((plan.order, plan.markdown()));
                }
            }
            parts.sort_by_key(|(order, _)| *order);
            let mut page = format!("+++\ntitle = \"{name} {doc}\"\n+++\n");
            for (_, text) in parts {
                page.push_str(&text);
            }
            std::fs::write(section.join(format!("{doc}.md")), page).expect("page written");
        }
    }
}

fn sorted_entries(folder: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("folder read")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
}

/// A section's title, its order and its Markdown without the front matter.
fn split_front_matter(text: &str) -> (&str, i64, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("Section", 0, text);
    };
    let (front, body) = rest.split_once("\n---\n").expect("front matter closed");
    let field = |name: &str| front.lines().find_map(|l| l.strip_prefix(name));
    let order = field("order: ").and_then(|o| o.trim().parse().ok());
    (
        field("title: ").unwrap_or("Section"),
        order.unwrap_or(0),
        body,
    )
}

/// What the Zola site shows of a generated plan: its priorities and
/// objectives as headings, each objective's milestones as a table.
#[derive(serde::Deserialize)]
struct ZolaPlan {
    title: String,
    order: i64,
    priorities: Vec<ZolaPriority>,
}

#[derive(serde::Deserialize)]
struct ZolaPriority {
    number: String,
    title: String,
    objectives: Vec<ZolaObjective>,
}

#[derive(serde::Deserialize)]
struct ZolaObjective {
    number: String,
    title: String,
    milestones: Vec<ZolaMilestone>,
}

#[derive(serde::Deserialize)]
struct ZolaMilestone {
    text: String,
    leads: Vec<String>,
    monitored_by: Vec<String>,
    timescale: String,
    status: String,
}

impl ZolaPlan {
    fn markdown(&self) -> String {
        let mut md = format!("\n# {}\n", self.title);
        for p in &self.priorities {
            md.push_str(&format!("\n## {} {}\n", p.number, p.title));
            for o in &p.objectives {
                md.push_str(&format!("\n### {} {}\n\n", o.number, o.title));
                md.push_str("| Milestone | Lead | Monitored by | Timescale | Status |\n");
                md.push_str("|---|---|---|---|---|\n");
                for m in &o.milestones {
                    md.push_str(&format!(
                        "| {} | {} | {} | {} | {} |\n",
                        m.text,
                        m.leads.join("; "),
                        m.monitored_by.join("; "),
                        m.timescale,
                        m.status
                    ));
                }
            }
        }
        md
    }
}

/// Run `zola build` on the site made by [`zola_site`], measured as `run` is.
fn run_zola(zola: &Path, site: &Path, out: &Path) -> Run {
    let _ = std::fs::remove_dir_all(out);
    let mut command = Command::new(zola);
    command
        .arg("--root")
        .arg(site)
        .arg("build")
        .arg("--output-dir")
        .arg(out)
        .arg("--force");
    let (run, status) = measured(&mut command);
    assert_eq!(status, 0, "zola build failed");
    run
}

/// Run the floor as a child of this same program, measured as `run` is.
fn run_floor(root: &Path, out: &Path) -> Run {
    let _ = std::fs::remove_dir_all(out);
    let me = std::env::current_exe().expect("own path");
    let mut command = Command::new(me);
    command.arg("--floor").arg(root).arg(out);
    let (run, status) = measured(&mut command);
    assert_eq!(status, 0, "the floor program failed");
    let _ = std::fs::remove_dir_all(out);
    run
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, root, out] = &args[..]
        && flag == "--floor"
    {
        floor(Path::new(root), Path::new(out));
        return;
    }
    // A Zola site alone, to look at or to build by hand: the Markdown
    // (`--zola-site`), or with the plans too (`--zola-site-plans`).
    if let [_, flag, root, site] = &args[..]
        && (flag == "--zola-site" || flag == "--zola-site-plans")
    {
        zola_site(
            Path::new(root),
            Path::new(site),
            flag == "--zola-site-plans",
        );
        return;
    }
    // The release build by default; BOARDPRESS_BIN names another, such as
    // the `dist` profile's (target/dist/boardpress).
    let bin = std::env::var_os("BOARDPRESS_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/boardpress"),
        PathBuf::from,
    );
    assert!(
        bin.is_file(),
        "build the binary first: cargo build --release (or name it in BOARDPRESS_BIN)"
    );
    let only = std::env::args().nth(1);
    // A Zola binary to run on the same Markdown, for the first-build target.
    let zola = std::env::var_os("ZOLA").map(PathBuf::from);
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
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    println!("medians of {runs} runs (RUNS=n to change); the floor runs before each first build");
    println!(
        "{:<9} {:<6} {:<10} {:>8} {:>9} {:>9} {:>7}  runs (s); last summary",
        "site", "disk", "build", "wall s", "MiB out", "peak MiB", "× floor"
    );
    for (name, root) in &sites {
        for (disk_name, base) in [("shm", PathBuf::from("/dev/shm")), ("disk", disk.clone())] {
            let out = base.join(format!("boardpress-bench-{name}-out"));
            let floor_out = base.join(format!("boardpress-bench-{name}-floor"));
            // Zola runs only on the generated sites (their boards' Markdown).
            let zola_root = base.join(format!("boardpress-bench-{name}-zola"));
            let zola = zola
                .as_ref()
                .filter(|_| root.join("content/boards").is_dir());
            if zola.is_some() {
                zola_site(root, &zola_root.join("zola"), false);
                zola_site(root, &zola_root.join("zola+plans"), true);
            }
            let mut passes = vec!["floor", "first", "rebuild", "one-edit", "fresh"];
            if zola.is_some() {
                passes.splice(1..1, ["zola", "zola+plans"]);
            }
            let mut results: Vec<Vec<Run>> = passes.iter().map(|_| Vec::new()).collect();
            let mut mib = vec![0.0; passes.len()];
            for _ in 0..runs {
                let _ = std::fs::remove_dir_all(&out);
                for (i, pass) in passes.iter().enumerate() {
                    if *pass == "floor" {
                        results[i].push(run_floor(root, &floor_out));
                        continue;
                    }
                    if let (Some(zola), true) = (zola, pass.starts_with("zola")) {
                        let public = zola_root.join("public");
                        results[i].push(run_zola(zola, &zola_root.join(pass), &public));
                        mib[i] = bytes_in(&public) as f64 / 1024.0 / 1024.0;
                        continue;
                    }
                    let edited = (*pass == "one-edit").then(|| edit_one_plan(root));
                    results[i].push(run(&bin, root, &out, *pass == "fresh"));
                    if let Some((file, original)) = edited {
                        std::fs::write(file, original).expect("plan restored");
                    }
                    mib[i] = bytes_in(&out) as f64 / 1024.0 / 1024.0;
                }
            }
            let floor_wall = median(results[0].iter().map(|r| r.wall).collect());
            for (i, pass) in passes.iter().enumerate() {
                let walls: Vec<f64> = results[i].iter().map(|r| r.wall).collect();
                let wall = median(walls.clone());
                let peak = median(results[i].iter().map(|r| r.peak_mib).collect());
                let multiple = match *pass {
                    "first" | "zola" | "zola+plans" => format!("{:.1}", wall / floor_wall),
                    _ => String::new(),
                };
                let listed: Vec<String> = walls.iter().map(|w| format!("{w:.3}")).collect();
                let summary = results[i].last().map_or("", |r| r.summary.as_str());
                println!(
                    "{name:<9} {disk_name:<6} {pass:<10} {wall:>8.3} {:>9.1} {peak:>9.1} {multiple:>7}  {}; {summary}",
                    mib[i],
                    listed.join(" ")
                );
            }
            let _ = std::fs::remove_dir_all(&out);
            let _ = std::fs::remove_dir_all(&zola_root);
        }
    }
}
