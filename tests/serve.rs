//! `boardpress serve`, driven as a user's browser would: over HTTP on
//! loopback, against a copy of the example site whose files the tests edit.
//! Requests are written by hand on a TCP socket so that hostile paths reach
//! the server exactly as sent (an HTTP client would tidy them first).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `boardpress serve` on a copy of the example, stopped on drop.
struct Server {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    root: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        common::copy_tree(&common::repo().join("content"), &root.join("content"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_boardpress"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            lines,
            seen: Vec::new(),
            root,
            _dir: dir,
        };
        let line = server.wait_for_line("Serving ");
        let port = line.rsplit(':').next().unwrap();
        server.port = port.split('/').next().unwrap().parse().unwrap();
        server
    }

    /// The next line of the terminal containing `text` (within 20 s).
    fn wait_for_line(&mut self, text: &str) -> String {
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                self.seen.push(line.clone());
                if line.contains(text) {
                    return line;
                }
            }
        }
        panic!("no line with {text:?}; the server printed {:#?}", self.seen);
    }

    fn get(&self, target: &str) -> Reply {
        request(self.port, "GET", target)
    }

    /// Wait until `target` is served with a body containing `text`.
    fn wait_for_page(&self, target: &str, text: &str) -> Reply {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let reply = self.get(target);
            if reply.body.contains(text) || Instant::now() > until {
                return reply;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Lines printed so far (after draining what is waiting).
    fn printed(&mut self) -> Vec<String> {
        while let Ok(line) = self.lines.try_recv() {
            self.seen.push(line);
        }
        self.seen.clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn request(port: u16, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse(&raw)
}

fn parse(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

/// The live-reload stream, read event by event.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /__boardpress/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        Events { reader }
    }

    /// The next status the server sends.
    fn next(&mut self) -> serde_json::Value {
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "the stream ended"
            );
            if let Some(data) = line.strip_prefix("data: ") {
                return serde_json::from_str(data.trim()).unwrap();
            }
        }
    }
}

const FOREWORD: &str = "content/documents/business-plan-2012-13/10-foreword.md";
const PLAN_PAGE: &str = "/business-plan-2012-13/";

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_built_site_is_served_with_the_live_script_and_output_is_never_touched() {
    let server = Server::start();
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
    assert!(home.body.contains("<script src=\"/__boardpress/live.js\""));
    let page = server.get(PLAN_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Business Plan"), "{}", &page.body[..200]);
    let script = server.get("/__boardpress/live.js");
    assert_eq!(
        script.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.body.contains("EventSource"));
    for (target, kind) in [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/tracker.js", "text/javascript; charset=utf-8"),
        (
            "/business-plan-2012-13/actions.csv",
            "text/csv; charset=utf-8",
        ),
        ("/business-plan-2012-13/actions.json", "application/json"),
    ] {
        let reply = server.get(target);
        assert_eq!(
            (reply.status, reply.header("Content-Type")),
            (200, Some(kind)),
            "{target}"
        );
        assert!(!reply.body.contains("__boardpress"), "{target} was changed");
    }
    // The preview's own folder is private: the site root gains no output/.
    assert!(!server.root.join("output").exists());
}

#[test]
fn requests_cannot_leave_the_site_and_only_get_and_head_are_answered() {
    let server = Server::start();
    for target in [
        "/../content/board.yaml",
        "/%2e%2e/content/board.yaml",
        "/%2E%2E%2Fcontent%2Fboard.yaml",
        "/static/..%2f..%2fcontent/board.yaml",
        "/static\\..\\..\\content\\board.yaml",
        "/static/%5c..%5c..%5ccontent%5cboard.yaml",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/%00",
    ] {
        let reply = server.get(target);
        assert!(
            matches!(reply.status, 400 | 404),
            "{target}: {}",
            reply.status
        );
        assert!(!reply.body.contains("members:"), "{target} leaked a file");
    }
    assert_eq!(server.get("/.boardpress-manifest").status, 404);
    assert_eq!(server.get("/no-such-page.html").status, 404);
    let folder = server.get("/business-plan-2012-13");
    assert_eq!(
        (folder.status, folder.header("Location")),
        (301, Some(PLAN_PAGE))
    );
    // A folder without an index page is not listed.
    assert_eq!(server.get("/business-plan-2012-13/data/").status, 404);
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let reply = request(server.port, method, "/");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"));
    }
    let head = request(server.port, "HEAD", "/");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
}

#[test]
fn a_save_rebuilds_the_page_and_an_error_shows_until_it_is_fixed() {
    let mut server = Server::start();
    let mut events = Events::open(server.port);
    let first = events.next();
    assert_eq!(first["error"], serde_json::Value::Null);

    edit(
        &server.file(FOREWORD),
        "title: Foreword",
        "title: Foreword, as saved",
    );
    let page = server.wait_for_page(PLAN_PAGE, "Foreword, as saved");
    assert!(page.body.contains("Foreword, as saved"));
    let rebuilt = events.next();
    assert!(rebuilt["version"].as_u64() > first["version"].as_u64());
    let line = server.wait_for_line("Rebuilt after");
    assert!(line.contains("10-foreword.md changed in "), "{line}");
    assert!(line.contains(" ms"), "{line}");

    // Break the front matter: the stream carries the command line's message
    // with its file, line and column, and the last good page stays.
    edit(
        &server.file(FOREWORD),
        "title: Foreword, as saved",
        "title: [Foreword",
    );
    let broken = events.next();
    let error = broken["error"].as_str().expect("an error");
    assert!(
        error.contains("content/documents/business-plan-2012-13/10-foreword.md:2:8"),
        "{error}"
    );
    assert_eq!(broken["version"], rebuilt["version"]);
    assert!(server.get(PLAN_PAGE).body.contains("Foreword, as saved"));
    let line = server.wait_for_line("error");
    assert!(
        line.contains("1 error in ") && line.contains("shown in the browser"),
        "{line}"
    );

    edit(
        &server.file(FOREWORD),
        "title: [Foreword",
        "title: Foreword, fixed",
    );
    let fixed = events.next();
    assert_eq!(fixed["error"], serde_json::Value::Null);
    assert!(fixed["version"].as_u64() > rebuilt["version"].as_u64());
    assert!(server.get(PLAN_PAGE).body.contains("Foreword, fixed"));
}

#[test]
fn it_survives_files_deleted_and_renamed_mid_edit_and_a_burst_of_50_saves() {
    let mut server = Server::start();
    let foreword = server.file(FOREWORD);
    let aside = server.file("content/documents/business-plan-2012-13/foreword.txt");
    std::fs::rename(&foreword, &aside).unwrap();
    server.wait_for_line("Rebuilt after");
    let without = server.get(PLAN_PAGE);
    assert_eq!(without.status, 200);
    assert!(!without.body.contains("id=\"10-foreword\""));
    std::fs::rename(&aside, &foreword).unwrap();
    server.wait_for_line("Rebuilt after");
    assert!(server.get(PLAN_PAGE).body.contains("id=\"10-foreword\""));

    let before = server.printed().len();
    let original = std::fs::read_to_string(&foreword).unwrap();
    for i in 0..50 {
        std::fs::write(&foreword, format!("{original}\nSaved {i} times.\n")).unwrap();
    }
    let page = server.wait_for_page(PLAN_PAGE, "Saved 49 times.");
    assert!(page.body.contains("Saved 49 times."));
    std::thread::sleep(Duration::from_millis(300));
    let rebuilds: Vec<String> = server.printed()[before..]
        .iter()
        .filter(|l| l.starts_with("Rebuilt"))
        .cloned()
        .collect();
    // One rebuild for the burst. A machine busy with other tests can pause
    // the writing thread longer than the watcher's quiet time, and each
    // such pause lets a rebuild start mid-burst (one of them may even find
    // the file half-written, and say so, before the next shows the last
    // save): a few then, but never one a save.
    assert!((1..=5).contains(&rebuilds.len()), "{rebuilds:#?}");
    assert_eq!(server.get("/").status, 200);
}

/// 1,000 requests a second for 10 seconds, spread over the example's pages
/// and assets, each on its own connection: every one answered, correctly.
#[test]
fn a_thousand_requests_a_second_for_ten_seconds_all_succeed() {
    let server = Server::start();
    let targets = [
        "/",
        PLAN_PAGE,
        "/annual-report-2012-13/",
        "/tracker/",
        "/static/style.css",
        "/business-plan-2012-13/actions.csv",
    ];
    let (threads, per_thread, every) = (10, 1000, Duration::from_millis(10));
    let start = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let port = server.port;
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..per_thread {
                    let due = start + every * i + Duration::from_micros(t * 1000);
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let target = targets[(i as usize + t as usize) % targets.len()];
                    let reply = request(port, "GET", target);
                    if reply.status != 200 || reply.body.is_empty() {
                        failures.push(format!("{target}: {}", reply.status));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let took = start.elapsed();
    assert!(
        failures.is_empty(),
        "{} failures: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
    // The schedule is 10 s; a server that could not keep up would stretch it.
    assert!(
        took < Duration::from_secs(12),
        "10,000 requests took {took:?}"
    );
}

/// Every file of a built site but boardpress's own bookkeeping, by path.
fn site_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = common::files_of(out);
    files.retain(|(rel, _)| !rel.starts_with(".boardpress"));
    files
}

/// The preview gives back boards that no save touched without reading
/// them: the site it then has must be the one a fresh build makes, after an
/// edit in one board, in the other, at the site level, and after a failed
/// rebuild whose mistake is then fixed.
#[test]
fn boards_the_preview_remembers_build_the_same_site_as_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::two_board_site(dir.path());
    let preview = dir.path().join("preview");
    let memory = std::sync::Arc::new(boardpress::memory::Memory::new(&root));
    let build = |changed: &[PathBuf]| {
        memory.changed(changed);
        let mut opts = boardpress::BuildOptions::new(Some(root.clone()), Some(preview.clone()));
        opts.private_output = true;
        opts.memory = Some(memory.clone());
        boardpress::build(&opts)
    };
    let fresh = |name: &str| {
        let out = dir.path().join(name);
        let opts = boardpress::BuildOptions::new(Some(root.clone()), Some(out.clone()));
        boardpress::build(&opts).unwrap();
        site_files(&out)
    };
    build(&[]).unwrap();
    let resolved = std::fs::canonicalize(&root).unwrap();
    let city = "content/boards/city-and-hackney/documents/business-plan-2012-14/document.yaml";
    let north = "content/boards/northamptonshire/board.yaml";
    let edits = [
        (city, "title: Business Plan", "title: Edited Business Plan"),
        (north, "name: ", "name: Edited "),
        ("content/site.yaml", "", "title: An edited region\n"),
    ];
    for (i, (file, from, to)) in edits.iter().enumerate() {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(text.contains(from), "{from:?} is not in {file}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let report = build(&[resolved.join(file)]).unwrap();
        assert!(report.write.written > 0, "{file}: nothing was written");
        // The board not edited is given back; a site-wide edit rebuilds both.
        assert_eq!(memory.recalled(), [1, 1, 0][i], "after editing {file}");
        assert_eq!(
            site_files(&preview),
            fresh(&format!("fresh-{i}")),
            "after editing {file}"
        );
    }
    // A mistake in one board, then its fix: the other board's earlier
    // change must not be forgotten while the build was failing.
    let north_doc = root.join("content/boards/northamptonshire/documents");
    let north_doc = std::fs::read_dir(&north_doc)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let north_yaml = north_doc.join("document.yaml");
    let good = std::fs::read_to_string(&north_yaml).unwrap();
    let city_path = root.join(city);
    let city_text = std::fs::read_to_string(&city_path).unwrap();
    std::fs::write(&city_path, city_text.replacen("Edited", "Twice edited", 1)).unwrap();
    std::fs::write(&north_yaml, "title: [broken\n").unwrap();
    let changed = [
        resolved.join(city),
        std::fs::canonicalize(&north_yaml).unwrap(),
    ];
    assert!(build(&changed).is_err());
    std::fs::write(&north_yaml, good).unwrap();
    build(&[std::fs::canonicalize(&north_yaml).unwrap()]).unwrap();
    assert_eq!(
        memory.recalled(),
        0,
        "both boards changed since the last good build"
    );
    assert_eq!(site_files(&preview), fresh("fresh-after-fix"));
    assert!(
        site_files(&preview)
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("Twice edited"))
    );
}
