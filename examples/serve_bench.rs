//! From saving a Markdown file to its rebuilt page being served by
//! `boardpress serve`: the time a business manager waits after pressing
//! save. Target: 50 ms or less, for the example and for a site of 200
//! documents.
//!
//! `cargo build --release && cargo run --release --example serve_bench`
//!
//! For each site it starts the release binary's `serve`, then 15 times:
//! writes a section with a new sentence, and asks for the page every
//! millisecond until the sentence is in it. Prints the median, the fastest
//! and the slowest. Sites are on /dev/shm so the disk is not measured.

#[path = "gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SAVES: usize = 15;

fn get(port: u16, target: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}

/// The first Markdown section of the first document under `root/content`.
fn a_section(root: &Path) -> (PathBuf, String) {
    let mut files: Vec<PathBuf> = walk(&root.join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let file = files.into_iter().next().expect("a Markdown section");
    let rel = file.strip_prefix(root.join("content")).unwrap();
    // content/[boards/<b>/]documents/<doc>/<file>.md → [<b>/]<doc>/
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    // A site whose boards/ holds one board is built as a one-board site.
    let one_board = std::fs::read_dir(root.join("content/boards")).map_or(true, |d| d.count() == 1);
    let page = match &parts[..] {
        [boards, _, _, doc, _] if boards == "boards" && one_board => format!("/{doc}/"),
        [boards, b, _, doc, _] if boards == "boards" => format!("/{b}/{doc}/"),
        [_, doc, _] => format!("/{doc}/"),
        other => panic!("unexpected layout {other:?}"),
    };
    (file, page)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for file in walk(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
}

fn measure(bin: &Path, name: &str, root: &Path) {
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(at) = line.find("127.0.0.1:") {
            let rest = &line[at + "127.0.0.1:".len()..];
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Drain the terminal so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    let (file, page) = a_section(root);
    let original = std::fs::read_to_string(&file).unwrap();
    let mut times = Vec::new();
    for i in 0..SAVES {
        std::thread::sleep(Duration::from_millis(300));
        let marker = format!("Saved for the benchmark, time {i}.");
        let saved = Instant::now();
        std::fs::write(&file, format!("{original}\n{marker}\n")).unwrap();
        loop {
            if get(port, &page).contains(&marker) {
                break;
            }
            assert!(
                saved.elapsed() < Duration::from_secs(30),
                "{page} never showed the save"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        times.push(saved.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(&file, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    times.sort_by(f64::total_cmp);
    println!(
        "{name:<24} save to served: median {:6.1} ms  fastest {:6.1}  slowest {:6.1}  ({SAVES} saves)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = repo.join("target/release/boardpress");
    assert!(
        bin.is_file(),
        "build the release binary first: cargo build --release"
    );
    let base = PathBuf::from("/dev/shm");
    let example = base.join("boardpress-serve-bench-example");
    let _ = std::fs::remove_dir_all(&example);
    copy_tree(&repo.join("content"), &example.join("content"));
    measure(&bin, "example (2 documents)", &example);
    // 200 documents as 20 boards of 10 (the corpus generator's plans run
    // year by year, so a board holds tens of them, not hundreds).
    let root = base.join("boardpress-serve-bench-20x10");
    if !root.join("content").is_dir() {
        gen_corpus::generate(&root, 20, 10).expect("corpus written");
    }
    measure(&bin, "200 documents, 20 boards", &root);
}
