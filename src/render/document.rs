//! A document's page, which is also its A4 print version (the theme's
//! print.css lays it out for paper), and what the rebuild record keeps of it.

use serde::Serialize;

use super::pages::BoardPages;
use super::templates::{Context, Theme};
use super::views::{
    DateView, DocContext, DocumentView, StatusTags, StatusView, document_view, status_views,
};
use super::{OutputFile, Problems, Sink, asset_url, put, template_error};
use crate::cache::{Entry, Output};
use crate::model::checked::{Board, Document};
use crate::model::summary::DocumentSummary;

/// What a document's page shell needs of the document; the body comes
/// rendered from `document_body.html`.
#[derive(Serialize)]
struct DocumentHead<'a> {
    title: &'a str,
    kind: &'static str,
    period: &'a str,
    published: Option<DateView>,
    updated: Option<DateView>,
    as_at: Option<DateView>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    summary_html: Option<String>,
    milestone_count: usize,
    milestones_term: &'a str,
    pdf: Option<String>,
    /// The board's tracker, at this document's view (a report's is its
    /// plan's, whose milestones it rates).
    tracker: Option<String>,
    /// The running headers of the page on paper (CSS).
    running_heads: String,
}

/// A document rendered: how many pages went to the sink, the problems
/// found, its summary for site-wide pages, and what to record of it.
pub(super) struct Rendered {
    /// Web pages.
    pub pages: usize,
    /// Every file rendered: the pages and their charts' data.
    pub files: usize,
    pub problems: Problems,
    pub summary: DocumentSummary,
    pub recorded: Option<(String, Entry)>,
}

/// The tag of each rating of each of `board`'s documents, drawn by the
/// theme's `status` component (through `status_tag.html`) once each: every
/// page then shows a rating's tag as it is, where calling the component for
/// each milestone on each page took a twentieth of a build. A theme whose
/// component fails is reported once, at the first document.
pub(super) fn status_tags(theme: &Theme, board: &Board, problems: &mut Problems) -> StatusTags {
    let mut tags = StatusTags::default();
    let mut context = Context::new();
    let builtin = theme.is_builtin("status_tag.html") && theme.is_builtin("components.html");
    for doc in &board.documents {
        let mut drawn = Vec::new();
        if builtin {
            for s in &doc.status_key.statuses {
                let mut tag = String::new();
                StatusView::new(s, "").write_tag(&mut tag);
                drawn.push(tag);
            }
            tags.0.insert(doc.slug.clone(), drawn);
            continue;
        }
        for s in status_views(&doc.status_key, &[]) {
            context.insert("s", &s);
            match theme.render("status_tag.html", &context) {
                Ok(tag) => drawn.push(tag),
                Err(e) => {
                    problems.push(template_error("status_tag.html", &doc.slug, &e));
                    return tags;
                }
            }
        }
        tags.0.insert(doc.slug.clone(), drawn);
    }
    tags
}

impl BoardPages<'_> {
    /// Render a document and hand its pages to the sink.
    pub(super) fn document_files(&self, d: &Document, sink: &dyn Sink) -> Rendered {
        let folder = format!("{}{}", self.prefix, d.slug);
        let (mut files, mut problems, section_words) = self.document(d);
        let plan = d
            .report
            .as_ref()
            .and_then(|r| self.board.documents.iter().find(|p| p.slug == r.plan));
        let mut summary = DocumentSummary::of(d, plan);
        // Plain words for the search entries here, and for the site-wide
        // pages and open data after.
        for p in &mut summary.priorities {
            p.plain = super::markdown::plain(&p.title);
        }
        for m in &mut summary.milestones {
            m.plain = super::markdown::plain(&m.text);
        }
        for (status, tag) in summary.statuses.iter_mut().zip(self.tags.of(d)) {
            status.tag.clone_from(tag);
        }
        if !files.is_empty() {
            files.push(OutputFile {
                path: format!("{folder}/search.js"),
                bytes: super::search::fragment(d, &summary, section_words),
            });
        }
        let made = files.len();
        let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        let mut outputs: Vec<Output> = files
            .iter()
            .map(|f| Output::new(f.path.clone(), &f.bytes))
            .collect();
        // Images are copied from the document's folder as they are.
        for rel in &problems.assets {
            let bytes = crate::files::read_bytes(self.root, rel).unwrap_or_default();
            outputs.push(Output::new(asset_url(rel), &bytes));
        }
        for f in files {
            put(sink, f, &mut problems);
        }
        let recorded = d.fingerprint.clone().map(|fingerprint| {
            let entry = Entry {
                fingerprint,
                pages: made,
                outputs,
            };
            (folder, entry)
        });
        Rendered {
            pages,
            files: made,
            problems,
            summary,
            recorded,
        }
    }

    /// Whether this build links the document's PDF.
    fn pdf_link(&self, doc: &Document) -> Option<String> {
        let wanted = self.pdf_links?;
        let named = wanted
            .iter()
            .any(|w| *w == doc.slug || *w == format!("{}{}", self.prefix, doc.slug));
        (wanted.is_empty() || named).then(|| format!("{}.pdf", doc.slug))
    }

    /// Render a document's page from its view: the body, then the shell
    /// around it. Also gives each section's words for the search.
    fn document(&self, doc: &Document) -> (Vec<OutputFile>, Problems, Vec<String>) {
        let mut problems = Problems::default();
        let links = self.links(1);
        let statuses = status_views(&doc.status_key, self.tags.of(doc));
        let ctx = DocContext {
            board: self.board,
            data: self.data,
            links: &links,
            root: self.root,
            chart_cache: &self.cache,
            remote_hosts: self.remote_hosts,
            tags: &self.tags,
            theme: self.theme,
        };
        let mut view: DocumentView = document_view(doc, &statuses, &ctx, &mut problems);
        view.pdf = self.pdf_link(doc);
        if !problems.diagnostics.is_empty() {
            return (Vec::new(), problems, Vec::new());
        }
        let section_words = std::mem::take(&mut view.search_words);
        let head = DocumentHead {
            title: view.title,
            kind: view.kind,
            period: view.period,
            published: doc.published.map(DateView::dated),
            updated: doc.updated.map(DateView::dated),
            as_at: doc.as_at.map(DateView::new),
            summary_html: view.summary_html.clone(),
            milestone_count: view.milestone_count,
            milestones_term: &view.milestones_term,
            pdf: view.pdf.clone(),
            tracker: links.tracker.as_ref().map(|t| {
                let plan = doc
                    .report
                    .as_ref()
                    .map_or(doc.slug.as_str(), |r| r.plan.as_str());
                format!("{t}#view-document-{plan}")
            }),
            running_heads: super::running_heads::css(&view),
        };
        let board = self.head(&links);
        let folder = format!("{}{}", self.prefix, doc.slug);
        let mut files: Vec<OutputFile> = std::mem::take(&mut problems.data_files)
            .into_iter()
            .map(|(name, bytes)| OutputFile {
                path: format!("{folder}/{name}"),
                bytes,
            })
            .collect();
        let mut context = self.context(&links, &board);
        context.insert("current", "document");
        context.insert("document", &head);
        // The shell gets a marker, and the body is rendered in its place:
        // on its own, so that a long body is written once, not copied
        // through a context.
        context.insert("body_html", BODY_MARKER);
        let shell = self.theme.render("document.html", &context);
        let mut body_context = Context::new();
        body_context.insert("document", &view);
        let page = self.page(shell.as_deref().unwrap_or(""), &body_context);
        match (page, shell) {
            (Err(e), _) => {
                problems.push(template_error("document_body.html", &doc.slug, &e));
                return (Vec::new(), problems, section_words);
            }
            (Ok(_), Err(e)) => problems.push(template_error("document.html", &folder, &e)),
            (Ok(bytes), Ok(_)) => files.push(OutputFile {
                path: format!("{folder}/index.html"),
                bytes,
            }),
        }
        (files, problems, section_words)
    }

    /// The shell with the body rendered where it has the marker (once; a
    /// theme that leaves the body out gets none, but its errors all the
    /// same).
    fn page(&self, shell: &str, body: &Context) -> Result<Vec<u8>, String> {
        let mut page = Vec::new();
        let Some((before, after)) = shell.split_once(BODY_MARKER) else {
            self.theme
                .render_into("document_body.html", body, &mut page)?;
            return Ok(shell.as_bytes().to_vec());
        };
        page.reserve(shell.len());
        page.extend_from_slice(before.as_bytes());
        self.theme
            .render_into("document_body.html", body, &mut page)?;
        page.extend_from_slice(after.as_bytes());
        Ok(page)
    }
}

const BODY_MARKER: &str = "<!--boardpress:document-body-->";
