//! Rendering: the validated model becomes pages in memory.
//!
//! [`SiteRenderer`] lays out the pages (home, one per document, glossary,
//! structure, standards), builds each page's view, renders the templates in
//! parallel and returns every output file as bytes. Nothing is written here;
//! `site` writes the result only when the whole site rendered without error.
//!
//! All links are relative (`../glossary/index.html`) so the output works from
//! a sub-folder of a council website and opened straight from disk.

pub mod charts;
pub mod document;
pub mod markdown;
pub mod templates;
pub mod views;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::cache::{Entry, Output};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::*;
use document::{DocContext, DocumentView, document_view};
use templates::{Context, Theme};
use views::{BoardView, board_view, status_views};

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
    /// Each document's print version, for the PDF stage.
    pub print_jobs: Vec<PrintJob>,
    /// Documents left as the previous build made them.
    pub reused: usize,
    /// What to record for the next build (see [`crate::cache`]).
    pub built: Vec<(String, Entry)>,
}

impl RenderedSite {
    /// Add a board's part of the site (boards render in parallel).
    pub fn absorb(&mut self, part: RenderedSite) {
        self.files += part.files;
        self.pages += part.pages;
        self.documents += part.documents;
        self.print_jobs.extend(part.print_jobs);
        self.reused += part.reused;
        self.built.extend(part.built);
    }
}

/// Where a document's print version is, relative to the output folder.
#[derive(Debug, Clone)]
pub struct PrintJob {
    /// `<document>` or `<board>/<document>`: holds `print.html`.
    pub folder: String,
    pub slug: String,
    pub title: String,
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
    pub stylesheet: String,
}

impl PageLinks {
    /// Links for a page `depth` folders below its board's folder, which is
    /// itself `board_depth` folders below the output root.
    fn new(board: &Board, board_depth: usize, depth: usize) -> Self {
        let root = "../".repeat(board_depth + depth);
        let board_root = "../".repeat(depth);
        PageLinks {
            site_home: format!("{root}index.html"),
            board_home: format!("{board_root}index.html"),
            glossary: (!board.glossary.is_empty())
                .then(|| format!("{board_root}glossary/index.html")),
            structure: (!board.structure.is_empty() || !board.members.is_empty())
                .then(|| format!("{board_root}structure/index.html")),
            standards: (!board.standards.is_empty())
                .then(|| format!("{board_root}standards/index.html")),
            stylesheet: format!("{root}static/style.css"),
            board_root,
            root,
        }
    }
}

/// Diagnostics and asset paths gathered while building views.
#[derive(Default)]
pub struct Problems {
    pub diagnostics: Vec<Diagnostic>,
    pub assets: Vec<PathBuf>,
}

impl Problems {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
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

/// What every page template receives besides its own view.
#[derive(Serialize)]
struct Common<'a, B: Serialize> {
    lang: &'a str,
    site_title: &'a str,
    links: &'a PageLinks,
    /// The whole board on its own pages; just its name and logo on a
    /// document's pages, which do not need the rest.
    board: Option<&'a B>,
    multi_board: bool,
}

/// What a document's page needs of its board.
#[derive(Serialize)]
struct BoardHead<'a> {
    name: &'a str,
    short_name: Option<&'a str>,
    logo: Option<String>,
}

/// What a document's page shell needs of the document; the body comes
/// rendered once from `document_body.html` for both web and print pages.
#[derive(Serialize)]
struct DocumentHead<'a> {
    title: &'a str,
    kind: &'static str,
    period: &'a str,
    published: Option<document::DateView>,
    as_at: Option<document::DateView>,
    summary_html: Option<String>,
    milestone_count: usize,
    pdf: Option<String>,
}

/// A page waiting for its template.
struct Page {
    path: String,
    template: &'static str,
    context: Context,
}

/// Renders a site board by board, handing each file to a [`Sink`] as soon as
/// it is made. `lib` loads, validates and renders each board on its own
/// (several in parallel: a thread waiting on one board's documents may start
/// another board) and then calls [`SiteRenderer::finish`] for the site-wide
/// files, so memory holds a handful of boards, not the whole site (17 MiB
/// at peak for the 150-board benchmark).
pub struct SiteRenderer<'a> {
    theme: &'a Theme,
    root: &'a Path,
    pdf_links: Option<&'a [String]>,
    lang: &'a str,
    multi: bool,
    config: &'a SiteConfig,
    cache: ChartCache,
}

/// What the multi-board home page lists of each board.
pub struct BoardSummary {
    name: String,
    areas: Vec<String>,
    slug: String,
    /// (title, period, link), newest first.
    documents: Vec<(String, String, String)>,
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
            cache: ChartCache::default(),
        }
    }

    fn site_title<'b>(&'b self, board: &'b Board) -> &'b str {
        match (&self.config.title, self.multi) {
            (Some(title), _) => title,
            (None, false) => &board.name,
            (None, true) => "Safeguarding boards",
        }
    }

    /// Render one board's pages and its documents (in parallel).
    pub fn board(
        &self,
        b: &BoardSite,
        sink: &dyn Sink,
        out: &mut RenderedSite,
        diags: &mut Diagnostics,
    ) -> BoardSummary {
        let mut problems = Problems::default();
        let prefix = if self.multi {
            format!("{}/", b.slug)
        } else {
            String::new()
        };
        let logo = b.board.logo.as_ref().map(|l| {
            let rel = b.file.parent().unwrap_or(Path::new("")).join(&l.value);
            check_asset(
                self.root,
                &rel,
                &b.file,
                crate::validate::pos(l),
                &mut problems,
            );
            asset_url(&rel)
        });
        let pages_ctx = BoardPages {
            site_title: self.site_title(&b.board),
            lang: self.lang,
            multi: self.multi,
            prefix,
            board_depth: usize::from(self.multi),
            board_site: b,
            logo,
            root: self.root,
            pdf_links: self.pdf_links,
        };
        // Documents are most of the work: each renders on its own thread, and
        // each page goes to the sink as soon as it is rendered.
        let done: Vec<(usize, Problems, Recorded)> = b
            .documents
            .par_iter()
            .map(|d| pages_ctx.document_files(self.theme, d, &self.cache, sink))
            .collect();
        for (count, doc_problems, built) in done {
            out.pages += count;
            out.files += count;
            problems.diagnostics.extend(doc_problems.diagnostics);
            problems.assets.extend(doc_problems.assets);
            out.built.extend(built);
        }
        out.reused += b.documents.iter().filter(|d| d.reused.is_some()).count();
        let mut pages = Vec::new();
        pages_ctx.pages(&mut pages);
        let mut files = render_pages(self.theme, pages, diags);
        out.pages += files.len();
        files.extend(copy_assets(
            self.root,
            std::mem::take(&mut problems.assets),
            diags,
        ));
        self.put_all(files, sink, out, &mut problems);
        out.documents += b.documents.len();
        out.print_jobs.extend(b.documents.iter().map(|d| PrintJob {
            folder: format!("{}{}", pages_ctx.prefix, d.slug),
            slug: d.slug.clone(),
            title: d.document.title.clone(),
        }));
        diags.extend(problems.diagnostics);
        BoardSummary {
            name: b.board.name.clone(),
            areas: b.board.areas.0.clone(),
            slug: b.slug.clone(),
            documents: sorted_documents(&b.documents)
                .into_iter()
                .map(|d| {
                    (
                        d.document.title.clone(),
                        d.document.period.clone(),
                        format!("{}/{}/index.html", b.slug, d.slug),
                    )
                })
                .collect(),
        }
    }

    /// The site-wide files: the multi-board home page and the theme's static files.
    pub fn finish(
        &self,
        boards: &[BoardSummary],
        sink: &dyn Sink,
        out: &mut RenderedSite,
        diags: &mut Diagnostics,
    ) {
        let mut problems = Problems::default();
        let mut files = Vec::new();
        if self.multi {
            files = render_pages(self.theme, vec![self.site_index_page(boards)], diags);
            out.pages += files.len();
        }
        files.extend(self.theme.statics.iter().map(|(name, bytes)| OutputFile {
            path: format!("static/{name}"),
            bytes: bytes.clone(),
        }));
        self.put_all(files, sink, out, &mut problems);
        diags.extend(problems.diagnostics);
    }

    fn put_all(
        &self,
        mut files: Vec<OutputFile>,
        sink: &dyn Sink,
        out: &mut RenderedSite,
        problems: &mut Problems,
    ) {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        out.files += files.len();
        for f in files {
            put(sink, f, problems);
        }
    }

    fn site_index_page(&self, boards: &[BoardSummary]) -> Page {
        #[derive(Serialize)]
        struct BoardLink<'a> {
            name: &'a str,
            areas: &'a [String],
            href: String,
            documents: &'a [(String, String, String)],
        }
        let boards: Vec<BoardLink> = boards
            .iter()
            .map(|b| BoardLink {
                name: &b.name,
                areas: &b.areas,
                href: format!("{}/index.html", b.slug),
                documents: &b.documents,
            })
            .collect();
        let links = PageLinks {
            root: String::new(),
            board_root: String::new(),
            site_home: "index.html".into(),
            board_home: "index.html".into(),
            glossary: None,
            structure: None,
            standards: None,
            stylesheet: "static/style.css".into(),
        };
        let site_title = self
            .config
            .title
            .as_deref()
            .unwrap_or("Safeguarding boards");
        let common: Common<BoardView> = Common {
            lang: self.lang,
            site_title,
            links: &links,
            board: None,
            multi_board: true,
        };
        let mut context = Context::new();
        context.insert("page", &common);
        context.insert("current", "index");
        context.insert("boards", &boards);
        context.insert(
            "description_html",
            &self.config.description.as_deref().map(markdown::inline),
        );
        Page {
            path: "index.html".into(),
            template: "site_index.html",
            context,
        }
    }
}

/// Receives each file of the built site: the staging writer for `build`,
/// a counter for `check`. Called from several threads at once.
pub trait Sink: Sync {
    /// Take one file of the site.
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Keep a file as the previous build left it (an unchanged document's).
    fn keep(&self, path: &str);
}

/// A document's output folder and what to record of it for the next build.
type Recorded = Option<(String, Entry)>;

/// A sink that writes nothing: for `check`, and once a build has failed.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn keep(&self, _: &str) {}
}

fn put(sink: &dyn Sink, file: OutputFile, problems: &mut Problems) {
    if let Err(e) = sink.put(&file.path, &file.bytes) {
        problems.push(Diagnostic::new(
            format!("output/{}", file.path),
            format!("could not write the file: {e}"),
        ));
    }
}

/// Documents newest first: by publication date, then period, then title.
fn sorted_documents(docs: &[LoadedDocument]) -> Vec<&LoadedDocument> {
    let mut sorted: Vec<&LoadedDocument> = docs.iter().collect();
    sorted.sort_by(|a, b| {
        let key = |d: &LoadedDocument| (d.document.published_date, d.document.period.clone());
        key(b)
            .cmp(&key(a))
            .then_with(|| a.document.title.cmp(&b.document.title))
    });
    sorted
}

struct BoardPages<'a> {
    site_title: &'a str,
    lang: &'a str,
    multi: bool,
    prefix: String,
    board_depth: usize,
    board_site: &'a BoardSite,
    logo: Option<String>,
    root: &'a Path,
    pdf_links: Option<&'a [String]>,
}

impl BoardPages<'_> {
    fn pages(&self, pages: &mut Vec<Page>) {
        let board = &self.board_site.board;
        let home_links = PageLinks::new(board, self.board_depth, 0);
        pages.push(self.home(&home_links));
        let sub_links = PageLinks::new(board, self.board_depth, 1);
        let view = self.view(&sub_links);
        for (name, template, wanted) in [
            ("glossary", "glossary.html", sub_links.glossary.is_some()),
            ("structure", "structure.html", sub_links.structure.is_some()),
            ("standards", "standards.html", sub_links.standards.is_some()),
        ] {
            if wanted {
                let mut context = self.context(&sub_links, &view);
                context.insert("current", name);
                pages.push(Page {
                    path: format!("{}{name}/index.html", self.prefix),
                    template,
                    context,
                });
            }
        }
    }

    /// The board as pages at `links`' depth see it (links to the logo and
    /// the standards page are relative to the page).
    fn view(&self, links: &PageLinks) -> BoardView<'_> {
        let standards_page = links.standards.clone().unwrap_or_default();
        let logo = self.logo.as_ref().map(|l| format!("{}{l}", links.root));
        board_view(&self.board_site.board, &standards_page, logo)
    }

    fn context<B: Serialize>(&self, links: &PageLinks, view: &B) -> Context {
        let common = Common {
            lang: self.lang,
            site_title: self.site_title,
            links,
            board: Some(view),
            multi_board: self.multi,
        };
        let mut context = Context::new();
        context.insert("page", &common);
        context
    }

    fn home(&self, links: &PageLinks) -> Page {
        let view = self.view(links);
        let mut context = self.context(links, &view);
        context.insert("current", "home");
        #[derive(Serialize)]
        struct DocLink<'a> {
            title: &'a str,
            kind: &'static str,
            period: &'a str,
            published: Option<document::DateView>,
            summary_html: Option<String>,
            href: String,
        }
        let docs: Vec<DocLink> = sorted_documents(&self.board_site.documents)
            .into_iter()
            .map(|d| DocLink {
                title: &d.document.title,
                kind: d.document.kind.label(),
                period: &d.document.period,
                published: d.document.published_date.map(document::DateView::new),
                summary_html: d.document.summary.as_deref().map(markdown::inline),
                href: format!("{}/index.html", d.slug),
            })
            .collect();
        context.insert("documents", &docs);
        Page {
            path: format!("{}index.html", self.prefix),
            template: "home.html",
            context,
        }
    }

    /// Hand a document's files to the sink: its pages as the previous build
    /// left them when it is unchanged, else freshly rendered. Returns the
    /// page count, problems, and what to record for the next build.
    fn document_files(
        &self,
        theme: &Theme,
        d: &LoadedDocument,
        cache: &ChartCache,
        sink: &dyn Sink,
    ) -> (usize, Problems, Recorded) {
        let folder = format!("{}{}", self.prefix, d.slug);
        if let Some(entry) = &d.reused {
            for o in &entry.outputs {
                sink.keep(&o.path);
            }
            return (
                entry.pages,
                Problems::default(),
                Some((folder, entry.clone())),
            );
        }
        let (files, mut problems) = self.document(theme, d, cache);
        let count = files.len();
        let mut outputs: Vec<Output> = files
            .iter()
            .map(|f| Output::new(f.path.clone(), &f.bytes))
            .collect();
        // Images are copied from the document's folder as they are.
        for rel in &problems.assets {
            let bytes = crate::load::read_bytes(self.root, rel).unwrap_or_default();
            outputs.push(Output::new(asset_url(rel), &bytes));
        }
        for f in files {
            put(sink, f, &mut problems);
        }
        let built = d.fingerprint.clone().map(|fingerprint| {
            let entry = Entry {
                fingerprint,
                pages: count,
                outputs,
            };
            (folder, entry)
        });
        (count, problems, built)
    }

    /// Render a document's web page and print version. The body is
    /// rendered once and shared; charts open their data tables in print.
    fn document(
        &self,
        theme: &Theme,
        doc: &LoadedDocument,
        cache: &ChartCache,
    ) -> (Vec<OutputFile>, Problems) {
        let mut problems = Problems::default();
        let links = PageLinks::new(&self.board_site.board, self.board_depth, 1);
        let statuses = status_views(&doc.document);
        let ctx = DocContext {
            board: &self.board_site.board,
            datasets: &self.board_site.data,
            broken_data: &self.board_site.broken_data,
            links: &links,
            root: self.root,
            chart_cache: cache,
        };
        let mut view: DocumentView = document_view(doc, &statuses, &ctx, &mut problems);
        if let Some(wanted) = self.pdf_links
            && (wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| *w == doc.slug || *w == format!("{}{}", self.prefix, doc.slug)))
        {
            view.pdf = Some(format!("{}.pdf", doc.slug));
        }
        if !problems.diagnostics.is_empty() {
            return (Vec::new(), problems);
        }
        let mut body_context = Context::new();
        body_context.insert("document", &view);
        let web_body = match theme.render("document_body.html", &body_context) {
            Ok(body) => body,
            Err(e) => {
                problems.push(template_error("document_body.html", &doc.slug, &e));
                return (Vec::new(), problems);
            }
        };
        let print_body = web_body.replace(
            "<details class=\"chart__data\">",
            "<details class=\"chart__data\" open>",
        );
        let head = DocumentHead {
            title: view.title,
            kind: view.kind,
            period: view.period,
            published: doc.document.published_date.map(document::DateView::new),
            as_at: doc.document.as_at_date.map(document::DateView::new),
            summary_html: view.summary_html.clone(),
            milestone_count: view.milestone_count,
            pdf: view.pdf.clone(),
        };
        let board = BoardHead {
            name: &self.board_site.board.name,
            short_name: self.board_site.board.short_name.as_deref(),
            logo: self.logo.as_ref().map(|l| format!("{}{l}", links.root)),
        };
        let folder = format!("{}{}", self.prefix, doc.slug);
        let mut files = Vec::new();
        for (template, name, body) in [
            ("document.html", "index.html", web_body),
            ("print.html", "print.html", print_body),
        ] {
            let mut context = self.context(&links, &board);
            context.insert("current", "document");
            context.insert("document", &head);
            // The shell gets a marker, and the body is spliced in after: a
            // long body is then copied once, not through Tera's context.
            context.insert("body_html", BODY_MARKER);
            match theme.render(template, &context) {
                Ok(shell) => files.push(OutputFile {
                    path: format!("{folder}/{name}"),
                    bytes: splice(&shell, &body).into_bytes(),
                }),
                Err(e) => problems.push(template_error(template, &folder, &e)),
            }
        }
        (files, problems)
    }
}

const BODY_MARKER: &str = "<!--boardpress:document-body-->";

/// Put `body` where the shell has the marker (once; a theme that leaves the
/// body out gets none).
fn splice(shell: &str, body: &str) -> String {
    match shell.split_once(BODY_MARKER) {
        Some((before, after)) => {
            let mut page = String::with_capacity(shell.len() + body.len());
            page.push_str(before);
            page.push_str(body);
            page.push_str(after);
            page
        }
        None => shell.to_string(),
    }
}

/// Rendered chart figures shared between documents: a board's key figures
/// are the same on every one of its documents.
pub type ChartCache = std::sync::Mutex<std::collections::BTreeMap<(String, String), String>>;

/// A template that failed to render: named as the theme file an author
/// would edit to fix it.
fn template_error(template: &str, page: &str, e: &str) -> Diagnostic {
    Diagnostic::new(format!("themes/<theme>/templates/{template}"), format!("rendering {page} failed: {e}"))
        .help("check the template against the variables the built-in theme uses (themes/default/templates)")
}

fn render_pages(theme: &Theme, pages: Vec<Page>, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let results: Vec<Result<OutputFile, Diagnostic>> = pages
        .into_par_iter()
        .map(|page| {
            theme
                .render(page.template, &page.context)
                .map(|html| OutputFile {
                    path: page.path.clone(),
                    bytes: html.into_bytes(),
                })
                .map_err(|e| template_error(page.template, &page.path, &e))
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

fn check_asset(
    root: &Path,
    rel: &Path,
    from: &Path,
    at: Option<Position>,
    problems: &mut Problems,
) {
    let problem = match crate::load::check_inside(root, rel) {
        Err(d) => Some((d.message, d.help.unwrap_or_default())),
        Ok(()) if !root.join(rel).is_file() => Some((
            format!(
                "the file `{}` does not exist",
                crate::diagnostics::display_path(rel)
            ),
            "put the file there or correct the path (it is relative to the YAML file's folder)"
                .into(),
        )),
        Ok(()) => None,
    };
    match problem {
        Some((message, help)) => problems.push(Diagnostic::new(from, message).at(at).help(help)),
        None => problems.assets.push(rel.to_path_buf()),
    }
}

/// Where a content file is published: `assets/` plus its path under `content/`.
pub(crate) fn asset_url(rel: &Path) -> String {
    let inside = rel.strip_prefix("content").unwrap_or(rel);
    format!("assets/{}", crate::diagnostics::display_path(inside))
}

fn copy_assets(root: &Path, mut assets: Vec<PathBuf>, diags: &mut Diagnostics) -> Vec<OutputFile> {
    assets.sort();
    assets.dedup();
    let mut files = Vec::new();
    for rel in assets {
        match crate::load::read_bytes(root, &rel) {
            Ok(bytes) => files.push(OutputFile {
                path: asset_url(&rel),
                bytes,
            }),
            Err(d) => diags.push(d),
        }
    }
    files
}

/// Lower-case ASCII letters, digits and single hyphens: safe in a URL and an id.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("Foreword by the Chair"), "foreword-by-the-chair");
        assert_eq!(slugify("10-foreword"), "10-foreword");
        assert_eq!(slugify("  C&H: 2012/14 "), "c-h-2012-14");
        assert_eq!(slugify("!!!"), "section");
    }
}
