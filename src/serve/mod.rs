//! `boardpress serve`: a live preview of the site while its content is
//! edited.
//!
//! The site is built with the ordinary build ([`crate::build`]) into a
//! private temporary folder, never into `output/`, so the preview is the
//! published site byte for byte and a rebuild after a save re-renders only
//! the documents that changed. A debounced watcher ([`watch`]) turns an
//! editor's save (often a write to a temporary file and a rename) or a burst
//! of saves into one rebuild. The server ([`http`]) serves only that folder;
//! into every HTML page it serves (not the files built) it adds one script
//! that reloads the page after a successful rebuild, keeping its scroll
//! position, and shows a rebuild's errors over the last good page.

mod http;
mod watch;

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What `boardpress serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root, holding `content/`.
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user chose otherwise.
    pub bind: IpAddr,
    /// The port; `None` tries [`DEFAULT_PORT`] and then any free port.
    pub port: Option<u16>,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// The port tried first, so the preview's address stays the same from one
/// session to the next when it can.
pub const DEFAULT_PORT: u16 = 8000;

/// How many requests are answered at once (live-reload connections each
/// have a thread of their own and do not count).
const WORKERS: usize = 8;

/// Why the preview could not start.
#[derive(Debug)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the open pages need to know: which build they show and whether the
/// latest rebuild failed. Waiters on `changed` are the live connections.
#[derive(Default)]
pub struct Live {
    state: Mutex<Status>,
    changed: Condvar,
}

#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Status {
    /// Counts the builds that changed the site; a page showing an older one
    /// reloads.
    pub version: u64,
    /// The latest build's errors, exactly as the command line words them.
    pub error: Option<String>,
}

impl Live {
    pub fn status(&self) -> Status {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, change: impl FnOnce(&mut Status)) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut state);
        self.changed.notify_all();
    }

    /// Wait until the status differs from `seen`, or `timeout` passes.
    pub fn wait(&self, seen: &Status, timeout: Duration) -> Status {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |now| now == seen)
            .unwrap_or_else(|e| e.into_inner());
        state.clone()
    }
}

/// What a successful build reports to the preview.
pub struct Built {
    pub written: usize,
    pub removed: usize,
    /// The warnings, as the command line prints them ("" for none).
    pub warnings: String,
}

/// What a failed build reports: how many errors, and their text exactly as
/// the command line prints it.
pub struct Failed {
    pub errors: usize,
    pub text: String,
}

/// Builds the site into the folder given (the crate root's ordinary build),
/// told which files changed since the last build.
pub type Builder = dyn Fn(&Path, &[PathBuf]) -> Result<Built, Failed> + Sync;

/// Build, serve and rebuild on every change until the process is stopped.
pub fn serve(opts: &ServeOptions, build: &Builder) -> Result<(), ServeError> {
    let content = opts.root.join("content");
    if !content.is_dir() {
        return Err(ServeError(format!(
            "there is no content/ folder in {}: run boardpress serve in the site's folder, or give it with --root",
            site_name(&opts.root)
        )));
    }
    let temp = tempfile::Builder::new()
        .prefix("boardpress-serve-")
        .tempdir()
        .map_err(|e| {
            ServeError(format!(
                "could not make a temporary folder for the preview: {e}"
            ))
        })?;
    let live = Arc::new(Live::default());
    let server = listen(opts)?;
    let address = server
        .server_addr()
        .to_ip()
        .expect("bound to an IP address");
    let (events, mut watcher) = watch::start(&opts.root).map_err(|e| {
        ServeError(format!(
            "could not watch {} for changes: {e}",
            content.display()
        ))
    })?;
    let mut builds = Rebuilds {
        build,
        site: temp.path().join("site"),
        live: live.clone(),
        warnings: String::new(),
    };
    builds.run("Built the site", &[]);
    let pages = http::Pages::new(builds.site.clone(), live);
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let (server, pages) = (server.clone(), pages.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                pages.answer(request);
            }
        });
    }
    announce(opts, address);
    stop_on_ctrl_c(temp);
    for changed in events {
        watcher.follow(&changed);
        let what = watch::describe(&opts.root, &changed);
        builds.run(&format!("Rebuilt after {what} changed"), &changed);
    }
    Ok(())
}

fn site_name(root: &Path) -> String {
    crate::site::absolute(root).display().to_string()
}

/// Listen on the chosen address: the port asked for, or the default port
/// if it is free, or any free port.
fn listen(opts: &ServeOptions) -> Result<tiny_http::Server, ServeError> {
    let ports = match opts.port {
        Some(port) => vec![port],
        None => vec![DEFAULT_PORT, 0],
    };
    let mut last = None;
    for port in ports {
        match tiny_http::Server::http(SocketAddr::new(opts.bind, port)) {
            Ok(server) => return Ok(server),
            Err(e) => last = Some(e),
        }
    }
    let why = last.map(|e| e.to_string()).unwrap_or_default();
    Err(ServeError(format!(
        "could not listen on {}{}: {why}",
        opts.bind,
        opts.port.map(|p| format!(" port {p}")).unwrap_or_default()
    )))
}

/// Say where the preview is (and warn when others can reach it).
fn announce(opts: &ServeOptions, address: SocketAddr) {
    let shown = match address.ip() {
        ip if ip.is_unspecified() => SocketAddr::new([127, 0, 0, 1].into(), address.port()),
        _ => address,
    };
    let url = format!("http://{shown}/");
    if !opts.bind.is_loopback() {
        eprintln!(
            "Warning: listening on {}, so other computers on the network can see this unpublished site. Use --bind 127.0.0.1 to keep it to this computer.",
            opts.bind
        );
    }
    println!(
        "Serving {} at {url} (press Ctrl+C to stop)",
        site_name(&opts.root)
    );
    let _ = std::io::stdout().flush();
    if opts.open
        && let Err(e) = opener::open_browser(&url)
    {
        eprintln!("Could not open a browser ({e}); open {url} yourself.");
    }
}

/// Remove the preview's temporary folder when the user stops the server.
fn stop_on_ctrl_c(temp: tempfile::TempDir) {
    let temp = Mutex::new(Some(temp));
    let _ = ctrlc::set_handler(move || {
        drop(temp.lock().unwrap_or_else(|e| e.into_inner()).take());
        println!("Stopped.");
        std::process::exit(0);
    });
}

/// Builds into the preview's folder.
struct Rebuilds<'a> {
    build: &'a Builder,
    site: PathBuf,
    live: Arc<Live>,
    /// The warnings last printed, so that each is printed once, not after
    /// every save.
    warnings: String,
}

impl Rebuilds<'_> {
    /// Build and tell the open pages; one line on the terminal says what
    /// happened and how long it took.
    fn run(&mut self, what: &str, changed: &[PathBuf]) {
        let start = Instant::now();
        let result = (self.build)(&self.site, changed);
        let ms = start.elapsed().as_millis();
        let live = &self.live;
        match result {
            Ok(report) => {
                let changed = report.written + report.removed;
                live.set(|s| {
                    s.error = None;
                    if changed > 0 || s.version == 0 {
                        s.version += 1;
                    }
                });
                println!(
                    "{what} in {ms} ms: {} written, {} removed",
                    count(report.written, "file"),
                    report.removed
                );
                let warnings = report.warnings;
                if warnings != self.warnings && !warnings.is_empty() {
                    eprintln!("{warnings}");
                }
                self.warnings = warnings;
            }
            Err(e) => {
                let errors = count(e.errors, "error");
                let text = e.text;
                live.set(|s| s.error = Some(text.clone()));
                println!(
                    "{what}: {errors} in {ms} ms, shown in the browser; the last good build is still served"
                );
                eprintln!("{text}");
            }
        }
        let _ = std::io::stdout().flush();
    }
}

fn count(n: usize, thing: &str) -> String {
    match n {
        1 => format!("1 {thing}"),
        n => format!("{n} {thing}s"),
    }
}
