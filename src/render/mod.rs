//! Rendering: the checked model becomes pages in memory.
//!
//! [`SiteRenderer`] renders one board at a time: each document's page,
//! which prints as its A4 version ([`document`]), and the board's own pages (glossary,
//! structure, standards; [`pages`]), handing every file to a [`Sink`] as soon
//! as it is made. Pages that span documents (a board's home page, the site
//! index) are made afterwards by [`crate::index`] from every document's
//! summary. Nothing is written here; `site` writes the files only when the
//! whole site rendered without error.
//!
//! Markdown becomes HTML in [`markdown`], data series and status counts
//! become figures in [`charts`], the model becomes the small borrowed
//! structures templates see in [`views`], and [`templates`] holds the theme.
//!
//! All links are relative (`../glossary/index.html`) so the output works from
//! a sub-folder of a council website and opened straight from disk.

pub mod charts;
mod document;
pub mod markdown;
pub mod pages;
mod running_heads;
pub mod search;
pub mod templates;
pub mod views;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::cache::{Entry, Kept, Output};
use crate::data::BoardData;
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::load::ReusedDocument;
use crate::model::SiteConfig;
use crate::model::checked::Board;
use crate::model::summary::DocumentSummary;
use pages::BoardPages;
use templates::{Context, Theme};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The rendered site, ready to write.
#[derive(Debug, Default)]
pub struct RenderedSite {
    /// How many files the site has.
    pub files: usize,
    pub pages: usize,
    pub documents: usize,
    /// Each document's page, for the PDF stage.
    pub print_jobs: Vec<PrintJob>,
    /// Documents left as the previous build made them.
    pub reused: usize,
    /// Boards whose pages made from summaries (home, leads, tracker, open
    /// data) were left as the previous build made them.
    pub boards_kept: usize,
    /// What to record for the next build (see [`crate::cache`]).
    pub built: Vec<(String, Entry)>,
    /// Warnings about the content, which did not stop the build.
    pub warnings: Diagnostics,
}

impl RenderedSite {
    /// Add a board's part of the site (boards render in parallel).
    pub fn absorb(&mut self, part: RenderedSite) {
        self.files += part.files;
        self.pages += part.pages;
        self.documents += part.documents;
        self.print_jobs.extend(part.print_jobs);
        self.reused += part.reused;
        self.boards_kept += part.boards_kept;
        self.built.extend(part.built);
    }
}

/// Where a document's page is, relative to the output folder, and what its
/// PDF says of itself.
#[derive(Debug, Clone)]
pub struct PrintJob {
    /// `<document>` or `<board>/<document>`: holds its `index.html`.
    pub folder: String,
    pub slug: String,
    pub title: String,
    /// For the PDF's metadata: the board, and "Business plan, 2012-2013".
    pub author: String,
    pub subject: String,
}

/// Relative links from one page to the site's shared places.
#[derive(Serialize, Clone)]
pub struct PageLinks {
    /// From this page to the output root ("", "../", "../../").
    pub root: String,
    /// From this page to its board's home folder.
    pub board_root: String,
    pub site_home: String,
    pub board_home: String,
    pub glossary: Option<String>,
    pub structure: Option<String>,
    pub standards: Option<String>,
    /// Who leads what (a board's pages only).
    pub leads: Option<String>,
    /// The board's tracker of every milestone (a board's pages only).
    pub tracker: Option<String>,
    /// The board's search (a board's pages only).
    pub search: Option<String>,
    /// The board's accessibility statement, unless `site.yaml` turns it off.
    pub accessibility: Option<String>,
    pub stylesheet: String,
}

impl PageLinks {
    /// Links for a page `depth` folders below its board's folder, which is
    /// itself `board_depth` folders below the output root.
    fn new(board: &Board, board_depth: usize, depth: usize, statement: bool) -> Self {
        let root = "../".repeat(board_depth + depth);
        let board_root = "../".repeat(depth);
        PageLinks {
            site_home: format!("{root}index.html"),
            board_home: format!("{board_root}index.html"),
            glossary: (!board.glossary.is_empty())
                .then(|| format!("{board_root}glossary/index.html")),
            structure: (!board.structure.is_empty() || !board.members.is_empty())
                .then(|| format!("{board_root}structure/index.html")),
            standards: (!board.frameworks.is_empty())
                .then(|| format!("{board_root}standards/index.html")),
            accessibility: statement.then(|| format!("{board_root}accessibility/index.html")),
            stylesheet: format!("{root}static/style.css"),
            leads: Some(format!("{board_root}leads/index.html")),
            tracker: Some(format!("{board_root}tracker/index.html")),
            search: Some(format!("{board_root}search/index.html")),
            board_root,
            root,
        }
    }

    /// Links for a page of the multi-board site's own, `depth` folders
    /// below the output root.
    pub fn site_page(depth: usize) -> Self {
        let root = "../".repeat(depth);
        PageLinks {
            site_home: format!("{root}index.html"),
            board_home: format!("{root}index.html"),
            stylesheet: format!("{root}static/style.css"),
            board_root: root.clone(),
            root,
            ..PageLinks::site_index()
        }
    }

    /// Links for the multi-board site index at the output root.
    pub fn site_index() -> Self {
        PageLinks {
            root: String::new(),
            board_root: String::new(),
            site_home: "index.html".into(),
            board_home: "index.html".into(),
            glossary: None,
            structure: None,
            standards: None,
            leads: None,
            tracker: None,
            search: None,
            accessibility: None,
            stylesheet: "static/style.css".into(),
        }
    }
}

/// Diagnostics, asset paths and chart data files gathered while building
/// views.
#[derive(Default)]
pub struct Problems {
    pub diagnostics: Vec<Diagnostic>,
    pub assets: Vec<PathBuf>,
    /// Each chart's data as CSV, by its file name beside the page.
    pub data_files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl Problems {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// A chart drawn for the page, whose data is then written beside it;
    /// or why it could not be drawn, as a mistake in `file`.
    pub fn figure(
        &mut self,
        made: Result<charts::FigureView, String>,
        file: PathBuf,
    ) -> Option<charts::FigureView> {
        match made {
            Ok(f) => {
                self.data_file(&f);
                Some(f)
            }
            Err(e) => {
                self.push(Diagnostic::new(file, e));
                None
            }
        }
    }

    pub fn data_file(&mut self, f: &charts::FigureView) {
        self.data_files.insert(f.data_file.clone(), f.csv.clone());
    }

    /// The charts among a Markdown block's fragments.
    pub fn fragments(&mut self, fragments: &[markdown::Fragment]) {
        for f in fragments {
            if let markdown::Fragment::Figure { figure } = f {
                self.data_file(figure);
            }
        }
    }

    /// Turn Markdown problems (byte offsets in `body`) into located
    /// diagnostics. `start` is where the body begins in the file; its column
    /// also applies to later lines (a YAML block scalar is indented evenly).
    pub fn markdown(
        &mut self,
        file: &Path,
        body: &str,
        start: Position,
        problems: Vec<markdown::Problem>,
    ) {
        for p in problems {
            let before = body.get(..p.offset).unwrap_or(body);
            let line = start.line + before.matches('\n').count();
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + start.column;
            self.push(
                Diagnostic::new(file, p.message)
                    .at(Some(Position::new(line, column)))
                    .help(p.help),
            );
        }
    }
}

/// A page waiting for its template.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub context: Context,
}

/// Renders a site board by board, handing each file to a [`Sink`] as soon as
/// it is made. `lib` loads, checks and renders each board on its own
/// (several in parallel: a thread waiting on one board's documents may start
/// another board), so memory holds a handful of boards, not the whole site.
pub struct SiteRenderer<'a> {
    pub(crate) theme: &'a Theme,
    root: &'a Path,
    pdf_links: Option<&'a [String]>,
    pub(crate) lang: &'a str,
    multi: bool,
    pub(crate) config: &'a SiteConfig,
}

/// A board rendered: its documents' summaries (rendered and reused) for the
/// pages that span documents, how to render those pages, and the summaries
/// to keep for the next build.
pub struct RenderedBoard<'a> {
    pub pages: BoardPages<'a>,
    pub summaries: Vec<DocumentSummary>,
    pub kept: Kept,
}

impl<'a> SiteRenderer<'a> {
    pub fn new(
        config: &'a SiteConfig,
        multi: bool,
        theme: &'a Theme,
        root: &'a Path,
        pdf_links: Option<&'a [String]>,
    ) -> Self {
        SiteRenderer {
            theme,
            root,
            pdf_links,
            lang: config.language.as_deref().unwrap_or("en-GB"),
            multi,
            config,
        }
    }

    fn site_title<'b>(&'b self, board: &'b Board) -> &'b str {
        match (&self.config.title, self.multi) {
            (Some(title), _) => title,
            (None, false) => &board.name,
            (None, true) => "Safeguarding boards",
        }
    }

    /// Render one board's documents (in parallel) and its own pages, and
    /// keep the pages of documents unchanged since the previous build.
    pub fn board<'b>(
        &'b self,
        b: &'b Board,
        data: &'b BoardData,
        reused: Vec<ReusedDocument>,
        sink: &dyn Sink,
        out: &mut RenderedSite,
        diags: &mut Diagnostics,
    ) -> RenderedBoard<'b> {
        let prefix = if self.multi {
            format!("{}/", b.slug)
        } else {
            String::new()
        };
        let mut tag_problems = Problems::default();
        let pages = BoardPages {
            site_title: self.site_title(b),
            lang: self.lang,
            multi: self.multi,
            board_depth: usize::from(self.multi),
            logo: b.logo.as_deref().map(asset_url),
            prefix,
            board: b,
            data,
            root: self.root,
            pdf_links: self.pdf_links,
            theme: self.theme,
            cache: ChartCache::default(),
            statement: self.config.pages.accessibility_statement,
            not_found: !self.multi && self.config.pages.not_found,
            remote_hosts: &self.config.remote_hosts,
            tags: document::status_tags(self.theme, b, &mut tag_problems),
        };
        diags.extend(tag_problems.diagnostics);
        if pages.statement && b.accessibility.contact.is_none() {
            diags.warn(
                Diagnostic::new(&b.file, "the accessibility statement does not say how to report a problem")
                    .help("add `accessibility:` with `contact:` (an email or web address) to board.yaml, or turn the statement off in site.yaml with `pages: { accessibility_statement: false }` if the council's website has one"),
            );
        }
        // Documents are most of the work: each renders on its own thread, and
        // each page goes to the sink as soon as it is rendered.
        let done: Vec<document::Rendered> = b
            .documents
            .par_iter()
            .map(|d| pages.document_files(d, sink))
            .collect();
        // Only documents show key figures: the board's pages do not need them.
        if let Ok(mut figures) = pages.cache.lock() {
            figures.clear();
        }
        let mut problems = Problems::default();
        let mut summaries = Vec::new();
        let mut kept = Kept::default();
        for d in done {
            out.pages += d.pages;
            out.files += d.files;
            problems.diagnostics.extend(d.problems.diagnostics);
            problems.assets.extend(d.problems.assets);
            if let Some((_, entry)) = &d.recorded {
                kept.insert(d.summary.slug.clone(), entry.fingerprint.clone());
            }
            summaries.push(d.summary);
            out.built.extend(d.recorded);
        }
        for r in reused {
            let (fingerprint, summary) = pages.keep(r, sink, out);
            kept.insert(summary.slug.clone(), fingerprint);
            summaries.push(summary);
        }
        // In folder order, as the documents were found.
        summaries.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut files = render_pages(self.theme, pages.board_pages(), diags);
        out.pages += files.len();
        if let Some(logo) = &b.logo {
            problems.assets.push(logo.clone());
        }
        files.extend(copy_assets(
            self.root,
            std::mem::take(&mut problems.assets),
            diags,
        ));
        put_all(files, sink, out, &mut problems);
        out.documents += summaries.len();
        out.print_jobs.extend(summaries.iter().map(|d| PrintJob {
            folder: format!("{}{}", pages.prefix, d.slug),
            slug: d.slug.clone(),
            title: d.title.clone(),
            author: b.name.clone(),
            subject: format!("{}, {}", d.kind.label(), d.period),
        }));
        diags.extend(problems.diagnostics);
        RenderedBoard {
            pages,
            summaries,
            kept,
        }
    }

    /// Render pages made elsewhere (the site-wide stage's) and hand them
    /// to the sink.
    pub fn put_pages(
        &self,
        pages: Vec<Page>,
        sink: &dyn Sink,
        out: &mut RenderedSite,
        diags: &mut Diagnostics,
    ) -> Vec<Output> {
        let files = render_pages(self.theme, pages, diags);
        out.pages += files.len();
        let mut problems = Problems::default();
        let written = put_all(files, sink, out, &mut problems);
        diags.extend(problems.diagnostics);
        written
    }

    /// Files made elsewhere as they are (the site-wide stage's open data).
    pub fn put_files(
        &self,
        files: Vec<OutputFile>,
        sink: &dyn Sink,
        out: &mut RenderedSite,
        diags: &mut Diagnostics,
    ) -> Vec<Output> {
        let mut problems = Problems::default();
        let written = put_all(files, sink, out, &mut problems);
        diags.extend(problems.diagnostics);
        written
    }

    /// The theme's static files.
    pub fn put_statics(&self, sink: &dyn Sink, out: &mut RenderedSite, diags: &mut Diagnostics) {
        let files = self
            .theme
            .statics
            .iter()
            .map(|(name, bytes)| OutputFile {
                path: format!("static/{name}"),
                bytes: bytes.clone(),
            })
            .collect();
        let mut problems = Problems::default();
        put_all(files, sink, out, &mut problems);
        diags.extend(problems.diagnostics);
    }
}

/// Hand files to the sink, and say what was written (for the record).
fn put_all(
    mut files: Vec<OutputFile>,
    sink: &dyn Sink,
    out: &mut RenderedSite,
    problems: &mut Problems,
) -> Vec<Output> {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    out.files += files.len();
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        written.push(Output::new(f.path.clone(), &f.bytes));
        put(sink, f, problems);
    }
    written
}

/// Receives each file of the built site: the staging writer for `build`,
/// a counter for `check`. Called from several threads at once.
pub trait Sink: Sync {
    /// Take one file of the site.
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Keep a file as the previous build left it (an unchanged document's).
    fn keep(&self, path: &str);
    /// Take one of the build's own records (what the next build needs to
    /// reuse work), which is not a page of the site.
    fn put_record(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Keep one of the build's records as the previous build left it.
    fn keep_record(&self, path: &str);
}

/// A sink that writes nothing: for `check`, and once a build has failed.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn keep(&self, _: &str) {}
    fn put_record(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn keep_record(&self, _: &str) {}
}

fn put(sink: &dyn Sink, file: OutputFile, problems: &mut Problems) {
    if let Err(e) = sink.put(&file.path, &file.bytes) {
        problems.push(Diagnostic::new(
            format!("output/{}", file.path),
            format!("could not write the file: {e}"),
        ));
    }
}

/// Rendered chart figures shared between a board's documents: its key
/// figures are the same on every one of them. Each is kept with its Tera
/// value, which every document's page shares, while the board's documents
/// are rendered.
pub type ChartCache = std::sync::Mutex<
    std::collections::BTreeMap<
        (String, String),
        (std::sync::Arc<charts::FigureView>, templates::Shared),
    >,
>;

/// A template that failed to render: named as the theme file an author
/// would edit to fix it.
pub(crate) fn template_error(template: &str, page: &str, e: &str) -> Diagnostic {
    Diagnostic::new(format!("themes/<theme>/templates/{template}"), format!("rendering {page} failed: {e}"))
        .help("check the template against the variables the built-in theme uses (themes/default/templates)")
}

fn render_pages(theme: &Theme, pages: Vec<Page>, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let results: Vec<Result<OutputFile, Diagnostic>> = pages
        .into_par_iter()
        .map(|page| {
            let mut bytes = Vec::new();
            match theme.render_into(page.template, &page.context, &mut bytes) {
                Ok(()) => Ok(OutputFile {
                    path: page.path,
                    bytes,
                }),
                Err(e) => Err(template_error(page.template, &page.path, &e)),
            }
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    files
}

/// Where a content file is published: `assets/` plus its path under `content/`.
pub(crate) fn asset_url(rel: &Path) -> String {
    let inside = rel.strip_prefix("content").unwrap_or(rel);
    format!("assets/{}", crate::files::display_path(inside))
}

fn copy_assets(root: &Path, mut assets: Vec<PathBuf>, diags: &mut Diagnostics) -> Vec<OutputFile> {
    assets.sort();
    assets.dedup();
    let mut files = Vec::new();
    for rel in assets {
        match crate::files::read_bytes(root, &rel) {
            Ok(bytes) => files.push(OutputFile {
                path: asset_url(&rel),
                bytes,
            }),
            Err(e) => diags.push(e.into()),
        }
    }
    files
}
