//! boardpress turns a safeguarding board's plans (YAML) and narrative
//! (Markdown) into an accessible static website.
//!
//! The modules form a stack in the order the data flows; each imports only
//! from those below it (`tests/layers.rs` fails on an import that goes up or
//! closes a loop):
//!
//! 1. Leaf helpers, usable by every stage: [`slug`] (names safe in URLs and
//!    ids, and the names the site keeps), [`scan`] (looking for a few
//!    kinds of byte in a text quickly), [`spreadsheet`] (CSV files a
//!    spreadsheet opens safely), [`json`] (JSON strings written quickly,
//!    as serde_json writes them), [`files`] (reading files inside the
//!    site root and nowhere else), [`spanned`] (a YAML value with the line
//!    and column it was written at), [`diagnostics`] (content errors with file,
//!    line, column and a fix), [`yaml`] (typed YAML with located errors),
//!    [`timescale`] ("March 2013", "Ongoing", document periods).
//! 2. [`model`]: the content as written (serde types), the checked model
//!    the renderer consumes, and the compact summary of a document.
//! 3. [`cache`]: fingerprints and the rebuild record, so that a rebuild
//!    keeps the pages of documents that did not change.
//! 4. [`load`]: `content/` into the model, fingerprinting each document and
//!    leaving unchanged ones unread.
//! 5. [`validate`]: every rule, returning the checked model.
//! 6. [`data`]: a board's data series for charts, read from `data/`, and the
//!    tables that ```table blocks show.
//! 7. [`render`]: Markdown, charts, views and templates make each document's
//!    pages and the board's own pages, in memory.
//! 8. [`index`]: the site-wide stage; pages spanning documents and boards,
//!    made from every document's summary. [`memory`]: what a preview keeps
//!    of each board between rebuilds, to skip boards no save touched.
//! 9. [`site`]: writes `output/`, only once everything has rendered;
//!    [`links`] follows every link of the rendered pages instead.
//! 10. [`pdf`] makes PDFs from the document pages; [`init`] writes a starter
//!     site; [`scaffold`] adds a document or section from a template
//!     (`new`); [`serve`] previews the site, rebuilding it on every save.
//!     This file runs the stages in order and reports their problems
//!     together.

pub mod cache;
pub mod data;
pub mod diagnostics;
pub mod files;
pub mod index;
pub mod init;
pub mod json;
pub mod links;
pub mod load;
pub mod memory;
pub mod model;
pub mod pdf;
pub mod render;
pub mod scaffold;
pub mod scan;
pub mod serve;
pub mod site;
pub mod slug;
pub mod spanned;
pub mod spreadsheet;
pub mod timescale;
pub mod validate;
pub mod yaml;

use std::path::PathBuf;

use rayon::prelude::*;
use std::time::{Duration, Instant};

use diagnostics::Diagnostics;

/// Checked options for `build` and `check`, made once from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root, holding `content/` and optionally `themes/`.
    pub root: PathBuf,
    /// Where the site is written; `<root>/output` by default.
    pub output: PathBuf,
    /// Also make each document's PDF.
    pub pdf: Option<pdf::PdfOptions>,
    /// Render every document, ignoring what the previous build recorded.
    pub fresh: bool,
    /// The output folder is this process's own (the preview's), so the
    /// files of unchanged documents are kept without reading them back.
    pub private_output: bool,
    /// The preview's memory of its last successful build and of the files
    /// changed since (see [`memory`]).
    pub memory: Option<std::sync::Arc<memory::Memory>>,
}

impl BuildOptions {
    pub fn new(root: Option<PathBuf>, output: Option<PathBuf>) -> Self {
        let root = root.unwrap_or_else(|| PathBuf::from("."));
        let output = output.unwrap_or_else(|| root.join("output"));
        BuildOptions {
            root,
            output,
            pdf: None,
            fresh: false,
            private_output: false,
            memory: None,
        }
    }
}

/// What went wrong with a build, for the CLI to report and map to an exit code.
#[derive(Debug)]
pub enum Error {
    /// Mistakes in the content: exit 1.
    Content(Diagnostics),
    /// An output folder that must not be used: a usage error, exit 2.
    Refused(site::OutputRefused),
    /// The disk failed us while writing: exit 1.
    Io(std::io::Error, PathBuf),
    /// Files of the site could not be staged (each with its file and what
    /// was being done): exit 1, with the published site as it was.
    Write(Vec<String>),
    /// No PDF engine, or an engine failed: exit 1 (the site itself was built).
    Pdf(pdf::PdfError),
    /// Links in the rendered pages that lead nowhere (`check --links`): exit 1.
    Links(links::Report),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Content(d) => write!(f, "{d}"),
            Error::Refused(r) => write!(f, "{r}"),
            Error::Io(e, path) => write!(f, "error: writing {} failed: {e}", path.display()),
            Error::Write(failures) => {
                for failure in failures {
                    writeln!(f, "error: {failure}")?;
                }
                let n = failures.len();
                write!(
                    f,
                    "\n{n} file{} of the site could not be written (a problem with the disk or its permissions, not with the content); the published site was not changed.",
                    plural(n)
                )
            }
            Error::Pdf(e) => write!(f, "{e}"),
            Error::Links(r) => write!(f, "{r}"),
        }
    }
}

impl std::error::Error for Error {}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub documents: usize,
    /// Documents unchanged since the previous build, kept as they were.
    pub reused: usize,
    /// Boards whose pages made from summaries (home, leads, tracker, open
    /// data) were kept as they were, none of their documents' summaries
    /// having changed.
    pub boards_kept: usize,
    pub pages: usize,
    pub files: usize,
    pub write: site::WriteReport,
    /// PDFs made, and by which engine.
    pub pdfs: Vec<pdf::Made>,
    pub engine: Option<String>,
    pub elapsed: Duration,
    /// Warnings about the content, which did not stop the build.
    pub warnings: Diagnostics,
}

impl BuildReport {
    /// The one-line summary the CLI prints.
    pub fn summary(&self) -> String {
        let pdfs = match &self.engine {
            Some(engine) => format!(
                ", {} PDF{} by {engine}",
                self.pdfs.len(),
                plural(self.pdfs.len())
            ),
            None => String::new(),
        };
        let reused = match self.reused {
            0 => String::new(),
            n if n == self.documents => " (all unchanged)".to_string(),
            n => format!(" ({n} unchanged)"),
        };
        format!(
            "Built {} document{}{reused} into {} page{} ({} files: {} written, {} unchanged, {} removed{pdfs}) in {} ms",
            self.documents,
            plural(self.documents),
            self.pages,
            plural(self.pages),
            self.files,
            self.write.written,
            self.write.unchanged,
            self.write.removed,
            self.elapsed.as_millis()
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Time taken by each stage, summed over boards (which run in parallel, so
/// the sums can exceed the wall time) and printed to stderr when
/// `BOARDPRESS_TIMINGS` is set (for benchmarking; see README).
struct Timings {
    on: bool,
    totals: std::sync::Mutex<Vec<(&'static str, Duration)>>,
}

impl Timings {
    fn start() -> Self {
        Timings {
            on: std::env::var_os("BOARDPRESS_TIMINGS").is_some(),
            totals: Default::default(),
        }
    }

    /// A stopwatch for one thread of work, adding its laps to the totals.
    fn watch(&self) -> Stopwatch<'_> {
        Stopwatch {
            timings: self,
            last: Instant::now(),
        }
    }

    fn add(&self, stage: &'static str, spent: Duration) {
        let mut totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        match totals.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, total)) => *total += spent,
            None => totals.push((stage, spent)),
        }
    }
}

struct Stopwatch<'a> {
    timings: &'a Timings,
    last: Instant,
}

impl Stopwatch<'_> {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.add(stage, now - self.last);
        self.last = now;
    }
}

impl Drop for Timings {
    fn drop(&mut self) {
        if self.on {
            let totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
            for (stage, total) in totals.iter() {
                eprintln!("{stage:>9}: {:7.1} ms", total.as_secs_f64() * 1000.0);
            }
        }
    }
}

/// Load, validate and render the site, handing files to `sink`. With a
/// `previous` build's record, documents are fingerprinted and those that are
/// unchanged are kept rather than rendered (see [`cache`]).
pub fn render_only(
    opts: &BuildOptions,
    sink: &dyn render::Sink,
    previous: Option<cache::Record>,
) -> Result<render::RenderedSite, Error> {
    // Pages link to the PDFs being made: all documents' or those named.
    let pdf_links = opts.pdf.as_ref().map(|p| p.documents.clone());
    let mut diags = Diagnostics::default();
    diags.set_root(&opts.root);
    let paths = load::SitePaths {
        root: opts.root.clone(),
    };
    let clock = Timings::start();
    let Some(plan) = load::plan_site(&paths, &mut diags) else {
        return Err(Error::Content(diags));
    };
    let Some(theme) =
        render::templates::load_theme(&opts.root, plan.config.theme.as_ref(), &mut diags)
    else {
        return Err(Error::Content(diags));
    };
    let reuse = previous.map(|record| cache::Reuse {
        record,
        out: &opts.output,
        private: opts.private_output,
        site: site_fingerprint(&plan, &theme, pdf_links.as_deref()),
        multi: plan.is_multi_board(),
    });
    let renderer = render::SiteRenderer::new(
        &plan.config,
        plan.is_multi_board(),
        &theme,
        &opts.root,
        pdf_links.as_deref(),
    );
    // Boards are independent: they load, check and render in parallel (each
    // document in parallel too), and their results are put back in order.
    // Once a mistake is found nothing more is written, but every board is
    // still loaded, checked and rendered so that all mistakes are reported
    // in one run (including those only rendering finds, such as broken
    // links in Markdown).
    let base_url = validate::site_url(&plan.config, &mut diags);
    let recorder = Recorder::new(sink);
    let shared = match plan.is_multi_board() {
        true => load::shared_agencies(&opts.root, &plan.boards),
        false => Default::default(),
    };
    let memory = opts.memory.as_deref();
    let recalled = memory
        .map(|m| m.recall(&plan.boards, plan.is_multi_board(), &shared))
        .unwrap_or_default();
    let run = Run {
        opts,
        shared: &shared,
        memory,
        recalled: &recalled,
        sink: &recorder,
        recorder: &recorder,
        base_url: base_url.as_deref(),
        reuse: reuse.as_ref(),
        renderer: &renderer,
        clock: &clock,
        failed: Failed(std::sync::atomic::AtomicBool::new(!diags.is_empty())),
    };
    let boards: Vec<BoardOutcome> = plan
        .boards
        .par_iter()
        .map(|(slug, dir)| run.board(slug, dir))
        .collect();
    run.site_wide(plan.is_multi_board(), boards, diags)
}

/// What every board's run through the stages shares.
struct Run<'a> {
    opts: &'a BuildOptions,
    /// Agencies that several boards name (see `load::shared_agencies`).
    shared: &'a std::collections::BTreeSet<String>,
    /// The preview's memory, and the boards it gives back unchanged.
    memory: Option<&'a memory::Memory>,
    recalled: &'a std::collections::BTreeMap<String, memory::Board>,
    sink: &'a dyn render::Sink,
    /// The same sink, for the pages it has been given.
    recorder: &'a Recorder<'a>,
    /// The site's public address from site.yaml, ending in `/`.
    base_url: Option<&'a str>,
    reuse: Option<&'a cache::Reuse<'a>>,
    renderer: &'a render::SiteRenderer<'a>,
    clock: &'a Timings,
    failed: Failed,
}

impl Run<'_> {
    /// One board through the stages: load, validate, data, render, and its
    /// pages spanning documents.
    fn board(&self, slug: &str, dir: &std::path::Path) -> BoardOutcome {
        if let Some(board) = self.recalled.get(slug) {
            return self.replay(slug, board);
        }
        let tracked = Tracked::new(self.sink);
        let outcome = self.render_board(slug, dir, &tracked);
        if let (Some(memory), Some(listing)) = (self.memory, &outcome.2)
            && outcome.0.is_empty()
        {
            let part = &outcome.1;
            let board = memory::Board {
                listing: listing.clone(),
                files: tracked.into_noted(),
                pages: part.pages,
                documents: part.documents,
                built: part.built.clone(),
                print_jobs: part.print_jobs.clone(),
                warnings: outcome.0.warnings().into_iter().cloned().collect(),
            };
            memory.stage(slug, board);
        }
        outcome
    }

    /// A board no change touched since the preview's last build, given back
    /// as that build made it: its files kept, nothing read.
    fn replay(&self, slug: &str, board: &memory::Board) -> BoardOutcome {
        let mut diags = Diagnostics::default();
        for warning in &board.warnings {
            diags.warn(warning.clone());
        }
        let to = self.failed.sink(self.sink, &diags);
        for file in &board.files {
            to.keep(file);
        }
        to.keep_record(&cache::Summaries::file(slug));
        let part = render::RenderedSite {
            files: board.files.len(),
            pages: board.pages,
            documents: board.documents,
            reused: board.documents,
            boards_kept: 1,
            built: board.built.clone(),
            print_jobs: board.print_jobs.clone(),
            ..Default::default()
        };
        if let Some(memory) = self.memory {
            memory.stage(slug, board.clone());
        }
        self.failed.note(&diags);
        (diags, part, Some(board.listing.clone()))
    }

    fn render_board(
        &self,
        slug: &str,
        dir: &std::path::Path,
        sink: &dyn render::Sink,
    ) -> BoardOutcome {
        let root = &self.opts.root;
        let mut watch = self.clock.watch();
        let mut diags = Diagnostics::default();
        let mut part = render::RenderedSite::default();
        let index = load::load_board(root, slug, dir, self.reuse, &mut diags).map(|mut loaded| {
            watch.lap("load");
            let reused = std::mem::take(&mut loaded.reused);
            let kept_files = loaded.kept_files.take();
            let previous = loaded.previous.take();
            let board_print = loaded.board_print.take();
            let board = validate::validate_board(root, loaded, &mut diags);
            // Only documents draw on the data: with every one kept from the
            // last build (whose fingerprints cover data/), it is not read.
            let data = if board.documents.is_empty() {
                data::BoardData::default()
            } else {
                data::BoardData::load(root, &board, dir, &mut diags)
            };
            watch.lap("validate");
            let to = self.failed.sink(sink, &diags);
            let done = self
                .renderer
                .board(&board, &data, reused, to, &mut part, &mut diags);
            watch.lap("render");
            let mut done = done;
            // The board's pages are made from its documents' summaries: if
            // none changed, neither did the pages.
            let kept_files = kept_files.or_else(|| {
                previous
                    .filter(|p| p.summaries == done.summaries)
                    .map(|p| p.files)
            });
            let index = index::BoardIndex::new(&board, std::mem::take(&mut done.summaries));
            let to = self.failed.sink(sink, &diags);
            done.kept.board_print = board_print;
            done.kept.board_files = match kept_files {
                Some(files) => keep_files(files, to, &mut part),
                None => self.board_files(&done.pages, &index, to, &mut part, &mut diags),
            };
            watch.lap("index");
            let feed = match self.base_url {
                Some(_) => index::feeds::entries(&index.name, &done.pages.prefix, &index.documents),
                None => Vec::new(),
            };
            let agencies = index::shared_agencies(&done.pages, &index, self.shared, &mut diags);
            self.keep_summaries(&done.kept, &index.documents, slug, to, &mut diags);
            watch.lap("index");
            index.listing(feed, agencies)
        });
        self.failed.note(&diags);
        (diags, part, index)
    }

    /// The board's pages and files spanning its documents: its home page,
    /// the pages per lead and agency, its standards and what cites them,
    /// and its open data.
    fn board_files(
        &self,
        pages: &render::pages::BoardPages,
        index: &index::BoardIndex,
        to: &dyn render::Sink,
        part: &mut render::RenderedSite,
        diags: &mut Diagnostics,
    ) -> Vec<cache::Output> {
        let mut made = vec![index::board_home(pages, index)];
        made.extend(index::partner_pages(pages, index, diags));
        made.extend(index::standards_page(pages, index));
        made.push(index::search_page(pages, index));
        let mut written = self.renderer.put_pages(made, to, part, diags);
        let files = index::open_data::board_files(index, &pages.prefix);
        written.extend(self.renderer.put_files(files, to, part, diags));
        written
    }

    /// Keep a board's document summaries for the next build (not for
    /// `check`, which records nothing, nor for a board with mistakes).
    fn keep_summaries(
        &self,
        kept: &cache::Kept,
        summaries: &[model::summary::DocumentSummary],
        slug: &str,
        to: &dyn render::Sink,
        diags: &mut Diagnostics,
    ) {
        if self.reuse.is_none() || !diags.is_empty() {
            return;
        }
        let file = cache::Summaries::file(slug);
        if let Err(e) = kept
            .bytes(summaries)
            .and_then(|bytes| to.put_record(&file, &bytes))
        {
            diags.push(diagnostics::Diagnostic::new(
                self.opts.output.join(cache::SUMMARIES),
                format!("could not write the summaries of this board's documents: {e}"),
            ));
        }
    }

    /// Gather the boards in order, then the pages spanning boards and the
    /// theme's static files.
    fn site_wide(
        &self,
        multi: bool,
        boards: Vec<BoardOutcome>,
        mut diags: Diagnostics,
    ) -> Result<render::RenderedSite, Error> {
        let mut watch = self.clock.watch();
        let mut rendered = render::RenderedSite::default();
        let mut indexes = Vec::new();
        let mut feed = Vec::new();
        for (local, part, index) in boards {
            diags.merge(local);
            rendered.absorb(part);
            if let Some(mut index) = index {
                feed.append(&mut index.feed);
                indexes.push(index);
            }
        }
        let to = self.failed.sink(self.sink, &diags);
        if multi {
            let mut pages = vec![index::site_home(self.renderer, &indexes)];
            pages.extend(index::site_agency_pages(self.renderer, &indexes));
            pages.push(index::site_tracker(self.renderer, &indexes));
            self.renderer
                .put_pages(pages, to, &mut rendered, &mut diags);
            if self.renderer.config.pages.not_found {
                let page = index::site_not_found(self.renderer);
                self.renderer
                    .put_pages(vec![page], to, &mut rendered, &mut diags);
            }
        }
        if let Some(base) = self.base_url {
            let title = match (&self.renderer.config.title, &indexes[..]) {
                (Some(title), _) => title.as_str(),
                (None, [only]) if !multi => only.name.as_str(),
                (None, _) => "Safeguarding boards",
            };
            let pages = self.recorder.pages();
            let mut files = vec![index::feeds::sitemap(base, &pages)];
            files.extend(index::feeds::feed(base, title, &feed));
            self.renderer
                .put_files(files, to, &mut rendered, &mut diags);
        }
        self.renderer.put_statics(to, &mut rendered, &mut diags);
        diags.extend(self.recorder.case_collisions());
        watch.lap("index");
        if diags.is_empty() {
            rendered.warnings = diags.take_warnings();
            Ok(rendered)
        } else {
            Err(Error::Content(diags))
        }
    }
}

/// Keep the board's site-wide files as the previous build made them: its
/// documents are the same and unchanged, so the files would be too.
fn keep_files(
    files: Vec<cache::Output>,
    to: &dyn render::Sink,
    part: &mut render::RenderedSite,
) -> Vec<cache::Output> {
    for f in &files {
        to.keep(&f.path);
    }
    part.pages += files.iter().filter(|f| f.path.ends_with(".html")).count();
    part.files += files.len();
    part.boards_kept += 1;
    files
}

/// One board's diagnostics, rendered files and index.
type BoardOutcome = (
    Diagnostics,
    render::RenderedSite,
    Option<index::BoardListing>,
);

/// Passes files on to another sink, noting the path of every file it is
/// given or told to keep: the site's pages for the sitemap ([`Recorder`]),
/// or every file a board made, for the preview to keep next time
/// ([`Tracked`]).
struct Noting<'a, N> {
    inner: &'a dyn render::Sink,
    noted: std::sync::Mutex<N>,
}

/// What a [`Noting`] sink keeps of each path.
trait Note: Send {
    fn note(&mut self, path: &str);
}

/// Every file of the site, in path order.
#[derive(Default)]
struct Paths(std::collections::BTreeSet<String>);

impl Note for Paths {
    fn note(&mut self, path: &str) {
        self.0.insert(path.to_string());
    }
}

impl Note for Vec<String> {
    fn note(&mut self, path: &str) {
        self.push(path.to_string());
    }
}

type Recorder<'a> = Noting<'a, Paths>;
type Tracked<'a> = Noting<'a, Vec<String>>;

impl<'a, N: Note + Default> Noting<'a, N> {
    fn new(inner: &'a dyn render::Sink) -> Self {
        Noting {
            inner,
            noted: Default::default(),
        }
    }

    fn into_noted(self) -> N {
        self.noted.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl<N> Noting<'_, N> {
    fn noted(&self) -> std::sync::MutexGuard<'_, N> {
        self.noted.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Recorder<'_> {
    /// The pages so far, in path order.
    fn pages(&self) -> Vec<String> {
        let paths = self.noted();
        paths
            .0
            .iter()
            .filter(|p| p.ends_with(".html"))
            .cloned()
            .collect()
    }

    /// Files whose paths differ only in case (`Chart.png`, `chart.png`):
    /// on a Windows or macOS web server one would overwrite the other.
    fn case_collisions(&self) -> Vec<diagnostics::Diagnostic> {
        let paths = self.noted();
        // Two paths that read the same in lower case cannot both be in
        // lower case already, so only those that are not are gathered (on
        // most sites none), each with the path it would be in lower case.
        let mut by_case: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
        for path in &paths.0 {
            if path.is_ascii() && !path.bytes().any(|b| b.is_ascii_uppercase()) {
                continue;
            }
            let lower = path.to_lowercase();
            if lower != *path {
                by_case.entry(lower).or_default().push(path);
            }
        }
        for (lower, same) in by_case.iter_mut() {
            if let Some(path) = paths.0.get(lower) {
                same.push(path);
                same.sort_unstable();
            }
        }
        by_case
            .values()
            .filter(|same| same.len() > 1)
            .map(|same| case_collision(same))
            .collect()
    }
}

/// The error for files whose paths differ only in case, naming the files
/// in `content/` they come from where they are copies of them.
fn case_collision(paths: &[&str]) -> diagnostics::Diagnostic {
    let source = |p: &str| match p.split_once("assets/") {
        Some((_, rest)) => format!("content/{rest}"),
        None => p.to_string(),
    };
    let sources: Vec<String> = paths.iter().map(|p| source(p)).collect();
    diagnostics::Diagnostic::new(
        &sources[0],
        format!(
            "the site would have files whose names differ only in capital letters: {}; on a Windows or macOS web server one would replace the other",
            paths.join(" and ")
        ),
    )
    .help(format!(
        "rename one of {} so that the names differ in more than capitals, and change the links to it",
        sources.join(" and ")
    ))
}

impl<N: Note> render::Sink for Noting<'_, N> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.noted().note(path);
        self.inner.put(path, bytes)
    }
    fn keep(&self, path: &str) {
        self.noted().note(path);
        self.inner.keep(path);
    }
    /// Records are not pages of the site: passed on, not noted.
    fn put_record(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.put_record(path, bytes)
    }
    fn keep_record(&self, path: &str) {
        self.inner.keep_record(path);
    }
}

/// Whether any board has failed: from then on nothing more is written.
struct Failed(std::sync::atomic::AtomicBool);

impl Failed {
    fn note(&self, diags: &Diagnostics) {
        if !diags.is_empty() {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Where files go: `sink` until a board has failed, then nowhere.
    fn sink<'a>(&self, sink: &'a dyn render::Sink, diags: &Diagnostics) -> &'a dyn render::Sink {
        self.note(diags);
        if self.0.load(std::sync::atomic::Ordering::Relaxed) {
            &render::Discard
        } else {
            sink
        }
    }
}

/// What every document's fingerprint shares: the program, the theme,
/// `site.yaml` and the options that change pages.
fn site_fingerprint(
    plan: &load::SitePlan,
    theme: &render::templates::Theme,
    pdf_links: Option<&[String]>,
) -> cache::Fingerprint {
    let mut print = cache::Fingerprint::new();
    print.add_program();
    print.add("theme", theme.fingerprint.as_bytes());
    print.add("site.yaml", plan.config_text.as_bytes());
    print.add("pdf links", format!("{pdf_links:?}").as_bytes());
    print.add("multi", &[u8::from(plan.is_multi_board())]);
    print
}

/// `boardpress check`: everything a build does except writing; every
/// document is checked, whether or not it changed.
pub fn check(opts: &BuildOptions) -> Result<render::RenderedSite, Error> {
    render_only(opts, &render::Discard, None)
}

/// `boardpress check --links`: everything `check` does, then every link,
/// anchor and asset reference in the pages that would be built.
pub fn check_links(opts: &BuildOptions) -> Result<(render::RenderedSite, links::Report), Error> {
    let files = links::Collect::default();
    let rendered = render_only(opts, &files, None)?;
    let report = links::check(&files.into_files());
    match report.broken.is_empty() {
        true => Ok((rendered, report)),
        false => Err(Error::Links(report)),
    }
}

/// `boardpress serve`: the preview, building with [`build`] into its own
/// folder each time.
pub fn serve(opts: &serve::ServeOptions) -> Result<(), serve::ServeError> {
    let root = opts.root.clone();
    let memory = std::sync::Arc::new(memory::Memory::new(&root));
    let build_into = move |out: &std::path::Path, changed: &[PathBuf]| {
        memory.changed(changed);
        let mut opts = BuildOptions::new(Some(root.clone()), Some(out.to_path_buf()));
        opts.private_output = true;
        opts.memory = Some(memory.clone());
        match build(&opts) {
            Ok(report) => Ok(serve::Built {
                written: report.write.written,
                removed: report.write.removed,
                warnings: report.warnings.render_warnings(),
            }),
            Err(e) => Err(serve::Failed {
                errors: match &e {
                    Error::Content(d) => d.len(),
                    _ => 1,
                },
                text: e.to_string(),
            }),
        }
    };
    serve::serve(opts, &build_into)
}

/// `boardpress build`: render the whole site, then bring the output folder
/// up to date. A failure before writing leaves the output as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let result = build_site(opts);
    if let Some(memory) = &opts.memory {
        match &result {
            Ok(_) => memory.commit(),
            Err(_) => memory.discard(),
        }
    }
    result
}

/// How long a build waits for another build of the same output folder.
const LOCK_WAIT: Duration = Duration::from_secs(5);

fn build_site(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    site::check_output_path(&opts.root, &opts.output).map_err(Error::Refused)?;
    let lock = site::OutputLock::acquire(&opts.output, LOCK_WAIT).map_err(|e| match e {
        site::LockError::Busy(why) => Error::Refused(site::OutputRefused(why)),
        site::LockError::Io(e, path) => Error::Io(e, path),
    })?;
    let result = build_locked(opts, start);
    if result.is_err() {
        lock.failed();
    }
    result
}

/// The build, once it alone writes the output folder.
fn build_locked(opts: &BuildOptions, start: Instant) -> Result<BuildReport, Error> {
    let staging =
        site::Staging::begin(&opts.output).map_err(|e| Error::Io(e, opts.output.clone()))?;
    let previous = if opts.fresh {
        cache::Record::default()
    } else {
        cache::Record::read(&opts.output)
    };
    let result = render_only(opts, &staging, Some(previous));
    // Writing failed: that is the disk's doing, reported as such, not as
    // mistakes in the content (the renderer counted each as one).
    let failures = staging.failures();
    if !failures.is_empty() {
        staging.abort();
        return Err(Error::Write(failures));
    }
    let mut rendered = match result {
        Ok(rendered) => rendered,
        Err(e) => {
            staging.abort();
            return Err(e);
        }
    };
    // Documents named for PDFs must exist before anything is written.
    if let Some(pdf_opts) = &opts.pdf
        && let Err(e) = pdf::select(&rendered.print_jobs, &pdf_opts.documents)
    {
        staging.abort();
        return Err(Error::Pdf(e));
    }
    let record = cache::Record::bytes(std::mem::take(&mut rendered.built))
        .and_then(|bytes| staging.put_record(cache::CACHE, &bytes));
    if let Err(e) = record {
        staging.abort();
        return Err(Error::Write(vec![e.to_string()]));
    }
    if staging.recovered {
        rendered.warnings.warn(diagnostics::Diagnostic::new(
            &opts.output,
            "the previous build was stopped while it was replacing the site; what it had changed was put back first, so nothing of it was published half-done",
        ));
    }
    let write = staging
        .commit()
        .map_err(|e| Error::Write(vec![e.to_string()]))?;
    let (engine, pdfs) = match &opts.pdf {
        Some(pdf_opts) => {
            let outcome = pdf::make_pdfs(&opts.output, &rendered.print_jobs, pdf_opts);
            // PDFs that were made are recorded even when others failed, so a
            // later build can still remove them with their documents.
            let made: Vec<&str> = match &outcome {
                Ok((_, made)) => made.iter().map(|m| m.path.as_str()).collect(),
                Err(pdf::PdfError::Failed(_, made)) => made.iter().map(String::as_str).collect(),
                Err(_) => Vec::new(),
            };
            site::record(&opts.output, &made).map_err(|e| Error::Io(e, opts.output.clone()))?;
            let (engine, made) = outcome.map_err(Error::Pdf)?;
            for m in &made {
                if let Some(note) = &m.note {
                    rendered.warnings.warn(diagnostics::Diagnostic::new(
                        opts.output.join(&m.path),
                        format!("the PDF was made, but {note}"),
                    ));
                }
            }
            if let Some(lacks) = engine.lacks() {
                rendered.warnings.warn(diagnostics::Diagnostic::new(
                    &opts.output,
                    format!("the PDFs were made by {}, which leaves out {lacks}", engine.name()),
                ).help("install WeasyPrint (`python3 -m pip install weasyprint`, or Debian's weasyprint package) for PDFs with everything the print version has"));
            }
            (Some(engine.name().to_string()), made)
        }
        None => (None, Vec::new()),
    };
    Ok(BuildReport {
        documents: rendered.documents,
        reused: rendered.reused,
        boards_kept: rendered.boards_kept,
        pages: rendered.pages,
        files: write.files,
        write,
        pdfs,
        engine,
        elapsed: start.elapsed(),
        warnings: std::mem::take(&mut rendered.warnings),
    })
}

#[cfg(test)]
mod tests {
    use super::Recorder;
    use crate::render::{Discard, Sink};

    /// The paths that collide, group by group, as the errors name them.
    fn collisions(paths: &[&str]) -> Vec<String> {
        let recorder = Recorder::new(&Discard);
        for path in paths {
            recorder.put(path, b"").unwrap();
        }
        let found = recorder.case_collisions();
        found.iter().map(|d| d.message.clone()).collect()
    }

    #[test]
    fn paths_differing_only_in_case_are_found_in_any_number() {
        let found = collisions(&[
            "a/chart.png",
            "a/CHART.png",
            "a/Chart.png",
            "b/Map.png",
            "B/Map.png",
            "c/Ünïcode.png",
            "c/ünïcode.png",
            "d/plain.png",
            "e/Only.png",
        ]);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0].contains("a/CHART.png and a/Chart.png and a/chart.png"),
            "{}",
            found[0]
        );
        assert!(found[1].contains("B/Map.png and b/Map.png"), "{}", found[1]);
        assert!(
            found[2].contains("c/Ünïcode.png and c/ünïcode.png"),
            "{}",
            found[2]
        );
    }

    #[test]
    fn a_site_in_lower_case_has_no_collisions() {
        assert!(collisions(&["index.html", "a/index.html", "a/b.png", "e/Only.png"]).is_empty());
    }
}
