//! Answering the browser: the built site's files and nothing else, plus the
//! live-reload script and its event stream under `/__boardpress/`.
//!
//! A request's path is decoded one segment at a time and refused (400) if a
//! segment could climb out of the site or name a drive or another folder:
//! `..`, `.`, an encoded `/` or `\`, a backslash, a colon, a NUL or an empty
//! segment. Hidden files (the build's manifest and cache) are not served,
//! and a path that resolves through a symbolic link to somewhere outside
//! the site is answered as not found. Only GET and HEAD are allowed.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

use super::Live;

/// The script added to every page served, never to the built files.
const LIVE_SCRIPT: &str = include_str!("live.js");
const SCRIPT_PATH: &str = "/__boardpress/live.js";
const EVENTS_PATH: &str = "/__boardpress/events";

/// At most this many pages are kept up to date at once; each holds a
/// connection and a thread.
const MAX_LIVE: usize = 64;

/// How often an idle live connection is sent a comment, so that a closed
/// tab is noticed and its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The built site and the state of the latest build.
#[derive(Clone)]
pub struct Pages {
    site: PathBuf,
    live: Arc<Live>,
    streams: Arc<AtomicUsize>,
}

/// What a request's path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// A folder asked for without its final `/`: the browser must ask
    /// again with it, or the page's relative links would miss.
    Redirect(String),
    NotFound,
    Bad,
}

impl Pages {
    pub fn new(site: PathBuf, live: Arc<Live>) -> Self {
        Pages {
            site,
            live,
            streams: Default::default(),
        }
    }

    /// Answer one request. A client that has gone away is no concern.
    pub fn answer(&self, request: Request) {
        if !matches!(request.method(), Method::Get | Method::Head) {
            let response = text(405, "Only GET and HEAD are allowed.\n")
                .with_header(header("Allow", "GET, HEAD"));
            let _ = request.respond(response);
            return;
        }
        let url = request.url().to_string();
        let path = url.split(['?', '#']).next().unwrap_or_default();
        if path == SCRIPT_PATH {
            let response = Response::from_string(LIVE_SCRIPT)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"));
            let _ = request.respond(fresh(response));
            return;
        }
        if path == EVENTS_PATH && request.method() == &Method::Get {
            self.stream(request);
            return;
        }
        let response = match resolve(&self.site, &url) {
            Target::File(file) => self.file(&file),
            Target::Redirect(to) => {
                text(301, "Moved to the folder's address.\n").with_header(header("Location", &to))
            }
            Target::NotFound => self.not_found(),
            Target::Bad => text(
                400,
                "Bad request: that address cannot name a page of this site.\n",
            ),
        };
        let _ = request.respond(response);
    }

    fn file(&self, file: &Path) -> Response<std::io::Cursor<Vec<u8>>> {
        match std::fs::read(file) {
            Ok(bytes) => self.page(200, file, bytes),
            // Removed since it was resolved: a rebuild is under way.
            Err(_) => self.not_found(),
        }
    }

    /// A file of the site, with the live script added to HTML pages.
    fn page(&self, status: u16, file: &Path, bytes: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
        let kind = content_type(file);
        let bytes = match kind.starts_with("text/html") {
            true => with_live_script(bytes, self.live.status().version),
            false => bytes,
        };
        fresh(Response::from_data(bytes).with_status_code(status))
            .with_header(header("Content-Type", kind))
    }

    /// The site's own 404 page if it has one. Before the first build has
    /// succeeded there is nothing to show but the errors, which the live
    /// script shows over this page.
    fn not_found(&self) -> Response<std::io::Cursor<Vec<u8>>> {
        let page = self.site.join("404.html");
        if let Ok(bytes) = std::fs::read(&page) {
            return self.page(404, &page, bytes);
        }
        let body = match self.live.status().error {
            Some(_) => {
                "<h1>The site could not be built</h1><p>The errors are shown below. Fix them and save: this page updates by itself.</p>"
            }
            None => "<h1>Page not found</h1><p>There is no page at this address in the site.</p>",
        };
        let html = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>boardpress preview</title></head><body><main>{body}</main></body></html>"
        );
        self.page(404, Path::new("404.html"), html.into_bytes())
    }

    /// The live-reload stream: the build's status now, then each time it
    /// changes (server-sent events, which browsers reconnect by themselves).
    fn stream(&self, request: Request) {
        if self.streams.fetch_add(1, Ordering::SeqCst) >= MAX_LIVE {
            self.streams.fetch_sub(1, Ordering::SeqCst);
            let _ = request.respond(text(503, "Too many pages are open on this preview.\n"));
            return;
        }
        let (live, streams) = (self.live.clone(), self.streams.clone());
        std::thread::spawn(move || {
            let _ = send_events(request.into_writer(), &live);
            streams.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Write events until the page goes away.
fn send_events(mut out: Box<dyn std::io::Write + Send>, live: &Live) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
    )?;
    let mut seen = live.status();
    loop {
        let event = serde_json::json!({ "version": seen.version, "error": seen.error });
        write!(out, "data: {event}\n\n")?;
        out.flush()?;
        let mut now = live.wait(&seen, KEEP_ALIVE);
        while now == seen {
            out.write_all(b": still here\n\n")?;
            out.flush()?;
            now = live.wait(&seen, KEEP_ALIVE);
        }
        seen = now;
    }
}

/// What a request's target names inside `site`.
pub fn resolve(site: &Path, url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Some(rest) = path.strip_prefix('/') else {
        return Target::Bad;
    };
    if path.contains('\\') {
        return Target::Bad;
    }
    let mut segments: Vec<&str> = rest.split('/').collect();
    let folder = segments.last() == Some(&"");
    if folder {
        segments.pop();
    }
    let mut file = site.to_path_buf();
    for segment in segments {
        match decoded(segment) {
            Some(name) if name.starts_with('.') => return Target::NotFound,
            Some(name) => file.push(name),
            None => return Target::Bad,
        }
    }
    let Ok(real) = std::fs::canonicalize(&file) else {
        return Target::NotFound;
    };
    let inside = std::fs::canonicalize(site).is_ok_and(|site| real.starts_with(site));
    if !inside {
        return Target::NotFound;
    }
    if real.is_dir() {
        let index = real.join("index.html");
        return match (folder || path == "/", index.is_file()) {
            (true, true) => Target::File(index),
            (true, false) => Target::NotFound,
            (false, _) => Target::Redirect(with_slash(url, path)),
        };
    }
    match folder {
        true => Target::NotFound,
        false => Target::File(real),
    }
}

/// One path segment, decoded, if it names a file or folder in this one.
fn decoded(segment: &str) -> Option<String> {
    let name = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    let climbs = name.is_empty() || name == "." || name == "..";
    let unsafe_char = name.contains(['/', '\\', ':', '\0']);
    (!climbs && !unsafe_char).then(|| name.into_owned())
}

/// `/board?x` → `/board/?x`.
fn with_slash(url: &str, path: &str) -> String {
    format!("{path}/{}", &url[path.len()..])
}

/// The page with the live script added just before `</body>` (or at the
/// end, for a page without one).
fn with_live_script(mut html: Vec<u8>, version: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-version=\"{version}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

/// The content type of a built file, from its extension.
pub fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

/// No caching: a preview changes under the browser.
fn fresh<R: std::io::Read>(response: Response<R>) -> Response<R> {
    response
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    fresh(Response::from_string(body).with_status_code(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("board")).unwrap();
        std::fs::write(dir.path().join("index.html"), "home").unwrap();
        std::fs::write(dir.path().join("board/index.html"), "board").unwrap();
        std::fs::write(dir.path().join("board/a b.png"), "png").unwrap();
        std::fs::write(dir.path().join(".boardpress-manifest"), "x").unwrap();
        dir
    }

    #[test]
    fn paths_inside_the_site_are_found() {
        let dir = site();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            resolve(dir.path(), "/"),
            Target::File(root.join("index.html"))
        );
        assert_eq!(
            resolve(dir.path(), "/board/?q=x"),
            Target::File(root.join("board/index.html"))
        );
        assert_eq!(
            resolve(dir.path(), "/board/a%20b.png"),
            Target::File(root.join("board/a b.png"))
        );
        assert_eq!(
            resolve(dir.path(), "/board?q=x"),
            Target::Redirect("/board/?q=x".into())
        );
    }

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        let dir = site();
        for url in [
            "/../etc/passwd",
            "/board/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/board%2f..%2f..%2fx",
            "/board%5c..%5cx",
            "/board\\..\\x",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/board/./index.html",
            "/%00",
            "/%ff",
            "http://example.org/",
            "*",
        ] {
            assert_eq!(resolve(dir.path(), url), Target::Bad, "{url}");
        }
        assert_eq!(
            resolve(dir.path(), "/.boardpress-manifest"),
            Target::NotFound
        );
        assert_eq!(resolve(dir.path(), "/missing.html"), Target::NotFound);
        assert_eq!(resolve(dir.path(), "/index.html/"), Target::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_site_is_not_followed() {
        let dir = site();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        assert_eq!(resolve(dir.path(), "/out/secret.txt"), Target::NotFound);
    }

    #[test]
    fn the_live_script_goes_before_the_end_of_the_body() {
        let page = with_live_script(b"<body><p>x</p></body></html>".to_vec(), 3);
        let page = String::from_utf8(page).unwrap();
        assert_eq!(
            page,
            "<body><p>x</p><script src=\"/__boardpress/live.js\" data-version=\"3\"></script></body></html>"
        );
    }
}
