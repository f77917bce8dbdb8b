//! The pages of a site with several boards that belong to no one board:
//! its index, its 404 page, the tracker of its boards, and a page for each
//! agency that several boards list. Made from each board's
//! [`BoardListing`], once every board is done.

use std::collections::BTreeMap;

use serde::Serialize;

use super::BoardListing;
use super::leads::SharedAgency;
use crate::render::pages::Common;
use crate::render::templates::Context;
use crate::render::views::BoardView;
use crate::render::{Page, PageLinks, SiteRenderer, markdown};

/// The home page of a site with several boards: each board with its
/// documents, newest first.
pub fn site_home(renderer: &SiteRenderer, listings: &[BoardListing]) -> Page {
    #[derive(Serialize)]
    struct BoardLink<'a> {
        name: &'a str,
        areas: &'a [String],
        href: String,
        /// (title, period, link)
        documents: Vec<(&'a str, &'a str, String)>,
    }
    let boards: Vec<BoardLink> = listings
        .iter()
        .map(|b| BoardLink {
            name: &b.name,
            areas: &b.areas,
            href: format!("{}/index.html", b.slug),
            documents: b
                .documents
                .iter()
                .map(|(title, period, slug)| {
                    let href = format!("{}/{slug}/index.html", b.slug);
                    (title.as_str(), period.as_str(), href)
                })
                .collect(),
        })
        .collect();
    // Agencies on several boards, by name, with how many boards.
    let mut agencies: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for a in listings.iter().flat_map(|b| &b.agencies) {
        agencies.entry(&a.slug).or_insert((&a.name, 0)).1 += 1;
    }
    let mut agencies: Vec<(&str, String, usize)> = agencies
        .into_iter()
        .map(|(slug, (name, n))| (name, format!("agencies/{slug}/index.html"), n))
        .collect();
    agencies.sort();
    let links = PageLinks::site_index();
    let config = renderer.config;
    let mut context = site_context(renderer, &links);
    context.insert("current", "index");
    context.insert("boards", &boards);
    context.insert("agencies", &agencies);
    context.insert(
        "description_html",
        &config.description.as_deref().map(markdown::inline),
    );
    Page {
        path: "index.html".into(),
        template: "site_index.html",
        context,
    }
}

/// `404.html` at the root of a site with several boards, in the layout of
/// its index (a one-board site's is among its board's pages).
pub fn site_not_found(renderer: &SiteRenderer) -> Page {
    let links = PageLinks::site_index();
    let mut context = site_context(renderer, &links);
    context.insert("current", "not_found");
    Page {
        path: "404.html".into(),
        template: "404.html",
        context,
    }
}

/// A page per agency that several boards of the site name, with every
/// milestone its people and groups lead or monitor on each board
/// (`agencies/<slug>/index.html` at the site's root).
pub fn site_agency_pages(renderer: &SiteRenderer, boards: &[BoardListing]) -> Vec<Page> {
    let mut by_slug: BTreeMap<&str, Vec<&SharedAgency>> = BTreeMap::new();
    for b in boards {
        for a in &b.agencies {
            by_slug.entry(&a.slug).or_default().push(a);
        }
    }
    let links = PageLinks::site_page(2);
    by_slug
        .into_iter()
        .map(|(slug, parts)| {
            let mut context = site_context(renderer, &links);
            context.insert("current", "agency");
            context.insert("name", &parts[0].name);
            context.insert("total", &parts.iter().map(|p| p.total).sum::<usize>());
            context.insert("boards", &parts);
            Page {
                path: format!("agencies/{slug}/index.html"),
                template: "site_agency.html",
                context,
            }
        })
        .collect()
}

/// The tracker of a multi-board site: each board's milestones by latest
/// rating and overdue, each count linking to that view of the board's own
/// tracker (one table of every board's milestones would be too long to
/// read, and to hold in memory, on a national site).
pub fn site_tracker(renderer: &SiteRenderer, boards: &[BoardListing]) -> Page {
    #[derive(Serialize)]
    struct Column<'a> {
        key: &'a str,
        words: &'a str,
    }
    // Every status any board uses, in the order first met.
    let mut columns: Vec<Column> = Vec::new();
    for s in boards.iter().flat_map(|b| &b.tracker.statuses) {
        if !columns.iter().any(|c| c.key == s.key) {
            columns.push(Column {
                key: &s.key,
                words: &s.label,
            });
        }
    }
    // Milestones without a status come last, as on each board's tracker.
    columns.sort_by_key(|c| c.key == "none");
    #[derive(Serialize)]
    struct Line<'a> {
        name: &'a str,
        href: String,
        total: usize,
        overdue: usize,
        counts: Vec<usize>,
    }
    let lines: Vec<Line> = boards
        .iter()
        .map(|b| Line {
            name: &b.name,
            href: format!("../{}/tracker/index.html", b.slug),
            total: b.tracker.total,
            overdue: b.tracker.overdue,
            counts: columns
                .iter()
                .map(|c| {
                    b.tracker
                        .statuses
                        .iter()
                        .find(|s| s.key == c.key)
                        .map_or(0, |s| s.count)
                })
                .collect(),
        })
        .collect();
    let links = PageLinks::site_page(1);
    let mut context = site_context(renderer, &links);
    context.insert("current", "tracker");
    context.insert("columns", &columns);
    context.insert("boards", &lines);
    Page {
        path: "tracker/index.html".into(),
        template: "site_tracker.html",
        context,
    }
}

/// A context for the site's own pages, which belong to no board.
fn site_context(renderer: &SiteRenderer, links: &PageLinks) -> Context {
    let common: Common<BoardView> = Common {
        lang: renderer.lang,
        site_title: renderer
            .config
            .title
            .as_deref()
            .unwrap_or("Safeguarding boards"),
        links,
        board: None,
        multi_board: true,
    };
    let mut context = Context::new();
    context.insert("page", &common);
    context
}
