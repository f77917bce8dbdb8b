//! A board's pages: what every page template receives, the board's own
//! pages (glossary, structure, accessibility), and keeping the pages of
//! documents unchanged since the previous build.

use std::path::Path;

use serde::Serialize;

use super::markdown;
use super::templates::{Context, Theme};
use super::views::{BoardView, DateView, board_view};
use super::{ChartCache, Page, PageLinks, RenderedSite, Sink};
use crate::data::BoardData;
use crate::load::ReusedDocument;
use crate::model::checked::{Accessibility, Board};
use crate::model::summary::DocumentSummary;

/// What every page template receives besides its own view.
#[derive(Serialize)]
pub struct Common<'a, B: Serialize> {
    pub lang: &'a str,
    pub site_title: &'a str,
    pub links: &'a PageLinks,
    /// The whole board on its own pages; just its name and logo on a
    /// document's pages, which do not need the rest.
    pub board: Option<&'a B>,
    pub multi_board: bool,
}

/// What a page shows of its board when it is not one of the board's own
/// pages: its name and logo, for the header and breadcrumbs. Pages made
/// for every document, lead or tracker take this rather than the whole
/// board (principles, members, structure, glossary, standards).
#[derive(Serialize)]
pub struct BoardHead<'a> {
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub logo: Option<String>,
}

/// One board's part of the site, and what its pages share.
pub struct BoardPages<'a> {
    pub(super) site_title: &'a str,
    pub(super) lang: &'a str,
    pub(super) multi: bool,
    /// `<board>/` on a multi-board site, else empty.
    pub prefix: String,
    pub(super) board_depth: usize,
    pub board: &'a Board,
    pub(super) data: &'a BoardData,
    /// The logo's URL from the output root.
    pub(super) logo: Option<String>,
    pub(super) root: &'a Path,
    pub(super) pdf_links: Option<&'a [String]>,
    pub(super) theme: &'a Theme,
    pub(super) cache: ChartCache,
    /// Make the accessibility statement, and link it from every footer.
    pub(super) statement: bool,
    /// Make `404.html` (a one-board site's, at the board's root).
    pub(super) not_found: bool,
    /// Hosts whose resources pages may load (`remote_hosts` in site.yaml).
    pub(super) remote_hosts: &'a [String],
    /// The tags of every document's ratings.
    pub(super) tags: super::views::StatusTags,
}

impl BoardPages<'_> {
    /// The theme the pages are rendered with.
    pub fn theme(&self) -> &Theme {
        self.theme
    }

    /// Links from a page `depth` folders below the board's home.
    pub fn links(&self, depth: usize) -> PageLinks {
        PageLinks::new(self.board, self.board_depth, depth, self.statement)
    }

    /// The glossary, structure and accessibility pages the board has content
    /// for (the standards page, which lists what cites each standard, is
    /// made with the pages spanning documents).
    pub(super) fn board_pages(&self) -> Vec<Page> {
        let links = self.links(1);
        let view = self.view(&links);
        let mut pages = Vec::new();
        for (name, template, wanted) in [
            ("glossary", "glossary.html", links.glossary.is_some()),
            ("structure", "structure.html", links.structure.is_some()),
            (
                "accessibility",
                "accessibility.html",
                links.accessibility.is_some(),
            ),
        ] {
            if wanted {
                let mut context = self.context(&links, &view);
                context.insert("current", name);
                if name == "accessibility" {
                    context.insert("statement", &accessibility_view(&self.board.accessibility));
                }
                pages.push(Page {
                    path: format!("{}{name}/index.html", self.prefix),
                    template,
                    context,
                });
            }
        }
        if self.not_found {
            let links = self.links(0);
            let view = self.view(&links);
            let mut context = self.context(&links, &view);
            context.insert("current", "not_found");
            pages.push(Page {
                path: format!("{}404.html", self.prefix),
                template: "404.html",
                context,
            });
        }
        pages
    }

    /// The board as pages at `links`' depth see it (links to the logo and
    /// the standards page are relative to the page).
    pub fn view(&self, links: &PageLinks) -> BoardView<'_> {
        let standards_page = links.standards.clone().unwrap_or_default();
        let logo = self.logo.as_ref().map(|l| format!("{}{l}", links.root));
        board_view(self.board, &standards_page, logo)
    }

    /// The board's name and logo, as pages at `links`' depth see them.
    pub fn head(&self, links: &PageLinks) -> BoardHead<'_> {
        BoardHead {
            name: &self.board.name,
            short_name: self.board.short_name.as_deref(),
            logo: self.logo.as_ref().map(|l| format!("{}{l}", links.root)),
        }
    }

    /// A page's context with what every page shares and the board's name
    /// and logo (see [`BoardHead`]).
    pub fn head_context(&self, links: &PageLinks) -> Context {
        self.context(links, &self.head(links))
    }

    /// A page's context with what every page shares.
    pub fn context<B: Serialize>(&self, links: &PageLinks, view: &B) -> Context {
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

    /// Keep an unchanged document's files as the previous build left them,
    /// and record them again; its summary comes from the last build.
    pub(super) fn keep(
        &self,
        r: ReusedDocument,
        sink: &dyn Sink,
        out: &mut RenderedSite,
    ) -> (String, DocumentSummary) {
        for o in &r.entry.outputs {
            sink.keep(&o.path);
        }
        out.pages += r.entry.html_pages();
        out.files += r.entry.pages;
        out.reused += 1;
        let fingerprint = r.entry.fingerprint.clone();
        out.built
            .push((format!("{}{}", self.prefix, r.slug), r.entry));
        (fingerprint, r.summary)
    }
}

/// What the accessibility statement template sees of the board's settings.
#[derive(Serialize)]
struct AccessibilityView<'a> {
    contact: Option<Contact<'a>>,
    last_reviewed: Option<DateView>,
    #[serde(serialize_with = "crate::render::templates::html_list")]
    known_issues_html: Vec<String>,
    council_statement: Option<&'a str>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    tested_html: Option<String>,
}

/// How to report a problem: the address as shown, and its link.
#[derive(Serialize)]
struct Contact<'a> {
    text: &'a str,
    href: &'a str,
}

fn accessibility_view(a: &Accessibility) -> AccessibilityView<'_> {
    AccessibilityView {
        contact: a
            .contact
            .as_ref()
            .map(|(text, href)| Contact { text, href }),
        last_reviewed: a.last_reviewed.map(DateView::new),
        known_issues_html: a.known_issues.iter().map(|i| markdown::inline(i)).collect(),
        council_statement: a.council_statement.as_deref(),
        tested_html: a.tested.as_deref().map(markdown::inline),
    }
}
