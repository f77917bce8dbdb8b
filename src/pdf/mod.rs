//! PDFs of each document, made from its page (`index.html`, which prints as
//! an A4 document through the theme's print.css) by an
//! external engine: WeasyPrint first (tagged PDF/UA), headless Chromium
//! second (tagged, not declared PDF/UA). Both give contents page numbers,
//! running headers, bookmarks and the author and subject; Chromium's need a
//! second pass ([`chromium`]).
//!
//! Engines run under a hard timeout, in their own process group so that a
//! hung engine and everything it started can be killed together. Each PDF is
//! written to a temporary file beside its target and renamed into place only
//! when the engine succeeded, so a failure never leaves a partial PDF.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

mod chromium;
mod reader;

use crate::render::PrintJob;

/// Which engine to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    #[default]
    Auto,
    WeasyPrint,
    Chromium,
}

/// Checked options for making PDFs.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub engine: EngineChoice,
    /// The WeasyPrint command (default `weasyprint` on PATH).
    pub weasyprint: Option<PathBuf>,
    /// The Chromium command (default `chromium`, `chromium-browser` or
    /// `google-chrome` on PATH).
    pub chromium: Option<PathBuf>,
    pub timeout: Duration,
    /// Document folder names to make; all when empty.
    pub documents: Vec<String>,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            engine: EngineChoice::Auto,
            weasyprint: None,
            chromium: None,
            timeout: Duration::from_secs(120),
            documents: Vec::new(),
        }
    }
}

/// An engine found on this machine.
#[derive(Debug, Clone)]
pub struct Engine {
    pub kind: EngineChoice,
    pub command: PathBuf,
}

impl Engine {
    pub fn name(&self) -> &'static str {
        match self.kind {
            EngineChoice::Chromium => "Chromium",
            _ => "WeasyPrint",
        }
    }

    /// What the print version asks for that this engine leaves out, for
    /// the build to say; `None` when it does everything.
    pub fn lacks(&self) -> Option<&'static str> {
        match self.kind {
            EngineChoice::Chromium => Some(
                "the PDF/UA mark: its PDFs are tagged, with bookmarks, numbered contents and running headers, but not declared PDF/UA-1",
            ),
            _ => None,
        }
    }
}

/// Why a PDF could not be made.
#[derive(Debug)]
pub enum PdfError {
    NoEngine(String),
    UnknownDocument(String, Vec<String>),
    /// Document folder and what went wrong, for each failure; and the
    /// PDFs that were made all the same.
    Failed(Vec<(String, String)>, Vec<String>),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::NoEngine(why) => write!(f, "error: {why}"),
            PdfError::UnknownDocument(name, known) => {
                write!(
                    f,
                    "there is no document `{name}`; the documents are: {}",
                    known.join(", ")
                )
            }
            PdfError::Failed(failures, _) => {
                for (i, (doc, why)) in failures.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "error: the PDF of `{doc}` was not made: {why}")?;
                }
                Ok(())
            }
        }
    }
}

const INSTALL: &str = "install WeasyPrint (`pip install weasyprint`, or `apt-get install weasyprint`) \
or Chromium (`apt-get install chromium`), or name the program with --weasyprint PATH or --chromium PATH";

/// Find the engine to use, or say exactly what to install.
pub fn find_engine(opts: &PdfOptions) -> Result<Engine, PdfError> {
    let weasy = || {
        opts.weasyprint
            .clone()
            .or_else(|| on_path("weasyprint"))
            .map(|command| Engine {
                kind: EngineChoice::WeasyPrint,
                command,
            })
    };
    let chromium = || {
        opts.chromium
            .clone()
            .or_else(|| {
                ["chromium", "chromium-browser", "google-chrome"]
                    .iter()
                    .find_map(|n| on_path(n))
            })
            .map(|command| Engine {
                kind: EngineChoice::Chromium,
                command,
            })
    };
    let found = match opts.engine {
        EngineChoice::WeasyPrint => weasy(),
        EngineChoice::Chromium => chromium(),
        EngineChoice::Auto => weasy().or_else(chromium),
    };
    let found = found.filter(|e| e.command.is_file());
    found.ok_or_else(|| {
        let what = match opts.engine {
            EngineChoice::WeasyPrint => "WeasyPrint was not found",
            EngineChoice::Chromium => "Chromium was not found",
            EngineChoice::Auto => "no PDF engine was found",
        };
        PdfError::NoEngine(format!("{what}: {INSTALL}"))
    })
}

/// The full path of a program on PATH (with Windows' `.exe` and the like).
fn on_path(name: &str) -> Option<PathBuf> {
    which::which(name).ok()
}

/// A PDF made.
#[derive(Debug)]
pub struct Made {
    /// Relative to the output folder.
    pub path: String,
    pub pages_bytes: u64,
    pub elapsed: Duration,
    /// What the engine could not do for this PDF, when something.
    pub note: Option<String>,
}

/// Make the PDFs of `jobs` (already written to `out`), in parallel, printing
/// progress to stderr. Either every PDF is made or the errors are returned;
/// the PDFs that did succeed are kept.
pub fn make_pdfs(
    out: &Path,
    jobs: &[PrintJob],
    opts: &PdfOptions,
) -> Result<(Engine, Vec<Made>), PdfError> {
    let jobs = select(jobs, &opts.documents)?;
    let engine = find_engine(opts)?;
    let done = AtomicUsize::new(0);
    let total = jobs.len();
    let results: Vec<Result<Made, (String, String)>> = jobs
        .par_iter()
        .map(|job| {
            let result =
                make_one(out, job, &engine, opts.timeout).map_err(|e| (job.folder.clone(), e));
            let n = done.fetch_add(1, Ordering::SeqCst) + 1;
            match &result {
                Ok(m) => eprintln!(
                    "[{n}/{total}] {} ({:.1} s){}",
                    m.path,
                    m.elapsed.as_secs_f64(),
                    m.note.as_ref().map_or(String::new(), |n| format!(": {n}"))
                ),
                Err((doc, _)) => eprintln!("[{n}/{total}] {doc}: failed"),
            }
            result
        })
        .collect();
    let (made, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    if !failed.is_empty() {
        let made_paths = made
            .into_iter()
            .filter_map(Result::ok)
            .map(|m| m.path)
            .collect();
        return Err(PdfError::Failed(
            failed.into_iter().filter_map(Result::err).collect(),
            made_paths,
        ));
    }
    Ok((engine, made.into_iter().filter_map(Result::ok).collect()))
}

/// The jobs for the documents named (all when none are), or which name is unknown.
pub fn select<'a>(jobs: &'a [PrintJob], wanted: &[String]) -> Result<Vec<&'a PrintJob>, PdfError> {
    if wanted.is_empty() {
        return Ok(jobs.iter().collect());
    }
    wanted
        .iter()
        .map(|w| {
            jobs.iter()
                .find(|j| j.slug == *w || j.folder == *w)
                .ok_or_else(|| {
                    PdfError::UnknownDocument(
                        w.clone(),
                        jobs.iter().map(|j| j.folder.clone()).collect(),
                    )
                })
        })
        .collect()
}

/// The PDF's path relative to the output folder: `<folder>/<slug>.pdf`.
pub fn pdf_path(job: &PrintJob) -> String {
    format!("{}/{}.pdf", job.folder, job.slug)
}

fn make_one(
    out: &Path,
    job: &PrintJob,
    engine: &Engine,
    timeout: Duration,
) -> Result<Made, String> {
    let start = Instant::now();
    let source = out.join(&job.folder).join("index.html");
    let target = out.join(pdf_path(job));
    let partial = target.with_extension("pdf.partial");
    let log = target.with_extension("pdf.log");
    let _ = fs::remove_file(&partial);
    let result = match engine.kind {
        EngineChoice::Chromium => chromium::print(engine, job, &source, &partial, &log, timeout),
        _ => run_engine(engine, &source, &partial, &log, timeout).map(|()| None),
    };
    let result = result.and_then(|note| check_pdf(&partial).map(|()| note));
    let _ = fs::remove_file(&log);
    match result {
        Ok(note) => {
            fs::rename(&partial, &target)
                .map_err(|e| format!("could not move the PDF into place: {e}"))?;
            let pages_bytes = fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
            Ok(Made {
                path: pdf_path(job),
                pages_bytes,
                elapsed: start.elapsed(),
                note,
            })
        }
        Err(why) => {
            let _ = fs::remove_file(&partial);
            Err(why)
        }
    }
}

/// An engine may exit 0 and still leave no usable file.
fn check_pdf(path: &Path) -> Result<(), String> {
    let head = fs::read(path).map_err(|_| "the engine finished but wrote no PDF".to_string())?;
    if head.starts_with(b"%PDF-") && head.len() > 200 {
        Ok(())
    } else {
        Err("the engine finished but its output is not a PDF".into())
    }
}

fn engine_command(engine: &Engine, source: &Path, target: &Path) -> Result<Command, String> {
    let mut cmd = Command::new(&engine.command);
    match engine.kind {
        EngineChoice::Chromium => {
            // A fresh profile each time: a shared one locks, and a used one
            // carries state between documents.
            let profile = target.with_extension("profile");
            cmd.args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-pdf-header-footer",
                "--generate-pdf-document-outline",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", target.display()))
            .arg(file_url(source)?);
        }
        _ => {
            cmd.arg("--pdf-variant=pdf/ua-1")
                .arg("--quiet")
                .arg(source)
                .arg(target);
        }
    }
    Ok(cmd)
}

/// The `file:` URL of `path`, with every character a URL cannot hold as it is
/// (`%`, `?`, `#`, spaces, non-ASCII letters) percent-encoded.
fn file_url(path: &Path) -> Result<String, String> {
    let abs = crate::site::absolute(path);
    url::Url::from_file_path(&abs)
        .map(String::from)
        .map_err(|()| {
            format!(
                "{} cannot be given to Chromium as a file URL",
                abs.display()
            )
        })
}

/// Run the engine with a hard timeout; on timeout kill its whole process group.
fn run_engine(
    engine: &Engine,
    source: &Path,
    target: &Path,
    log: &Path,
    timeout: Duration,
) -> Result<(), String> {
    let log_file =
        fs::File::create(log).map_err(|e| format!("could not create {}: {e}", log.display()))?;
    let mut cmd = engine_command(engine, source, target)?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file);
    own_process_group(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| {
        format!(
            "could not start {} ({}): {e}",
            engine.name(),
            engine.command.display()
        )
    })?;
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                kill_group(&mut child);
                let _ = child.wait();
                cleanup_profile(engine, target);
                return Err(format!(
                    "{} took longer than {} s and was stopped",
                    engine.name(),
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(25)),
            Err(e) => return Err(format!("lost track of {}: {e}", engine.name())),
        }
    };
    cleanup_profile(engine, target);
    if status.success() {
        return Ok(());
    }
    let said = fs::read_to_string(log).unwrap_or_default();
    let last: Vec<&str> = said.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = last[last.len().saturating_sub(3)..].join(" | ");
    Err(format!(
        "{} failed ({status}){}",
        engine.name(),
        if tail.is_empty() {
            String::new()
        } else {
            format!(": {tail}")
        }
    ))
}

fn cleanup_profile(engine: &Engine, target: &Path) {
    if engine.kind == EngineChoice::Chromium {
        let _ = fs::remove_dir_all(target.with_extension("profile"));
    }
}

#[cfg(unix)]
fn own_process_group(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
}

#[cfg(not(unix))]
fn own_process_group(_cmd: &mut Command) {}

#[cfg(unix)]
fn kill_group(child: &mut std::process::Child) {
    use rustix::process::{Pid, Signal, kill_process_group};
    // The child leads its own group (process_group(0)), so its id is the
    // group id.
    let _ = kill_process_group(Pid::from_child(child), Signal::KILL);
    let _ = child.kill();
}

#[cfg(not(unix))]
fn kill_group(child: &mut std::process::Child) {
    let _ = child.kill();
}

impl fmt::Display for Made {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} KiB, {:.1} s)",
            self.path,
            self.pages_bytes / 1024,
            self.elapsed.as_secs_f64()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_engine_says_what_to_install() {
        let opts = PdfOptions {
            engine: EngineChoice::WeasyPrint,
            weasyprint: Some(PathBuf::from("/nonexistent/weasyprint")),
            ..PdfOptions::default()
        };
        let err = find_engine(&opts).unwrap_err().to_string();
        assert!(err.contains("WeasyPrint was not found"), "{err}");
        assert!(err.contains("pip install weasyprint"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn file_urls_escape_what_a_url_cannot_hold() {
        let path = Path::new("/tmp/Ynys Môn 100% #1 ?draft/print.html");
        let url = file_url(path).unwrap();
        assert_eq!(
            url,
            "file:///tmp/Ynys%20M%C3%B4n%20100%25%20%231%20%3Fdraft/print.html"
        );
        let back = url::Url::parse(&url).unwrap().to_file_path().unwrap();
        assert_eq!(back, path);
    }

    #[test]
    fn unknown_documents_are_named() {
        let jobs = [PrintJob {
            folder: "plan-2025".into(),
            slug: "plan-2025".into(),
            title: "Plan".into(),
            author: "Board".into(),
            subject: "Business plan, 2025".into(),
        }];
        let err = select(&jobs, &["plan-2024".into()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no document `plan-2024`") && err.contains("plan-2025"),
            "{err}"
        );
    }
}
