//! The site-wide stage: pages that span documents and boards.
//!
//! Once a board's documents are rendered (or kept from the previous build),
//! every one of them has a [`DocumentSummary`]: from its checked model when
//! it was rendered, from the rebuild record when it was kept. A
//! [`BoardIndex`] gathers them, newest first, with every milestone (its
//! document, priority, leads, timescale and status) and every lead, and
//! makes the board's home page (each document with its progress by status)
//! and the pages spanning its documents (lead and agency pages, the
//! tracker, the standards page, the search page); `site` makes the pages of
//! a multi-board site that belong to no one board; [`open_data`] makes every milestone's row of the documents',
//! boards' `actions.csv` and `actions.json`. Because summaries come from the record too, a rebuild that
//! renders one document still makes these pages exactly as a fresh build.

mod latest;
mod leads;
mod rows;
mod search;
mod site;
mod standards;
mod tracker;

pub use search::search_page;
pub use site::{site_agency_pages, site_home, site_not_found, site_tracker};
pub use standards::standards_page;

/// The board's rows for its agencies that other boards name too (by page
/// folder), for the site's pages spanning boards.
pub fn shared_agencies(
    pages: &BoardPages,
    index: &BoardIndex,
    shared: &std::collections::BTreeSet<String>,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Vec<leads::SharedAgency> {
    leads::shared_agencies(pages, index, shared, diags)
}

/// What partners browse: the pages per lead and agency, their index, and
/// the tracker.
pub fn partner_pages(
    pages: &BoardPages,
    index: &BoardIndex,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Vec<Page> {
    let (mut out, leads) = leads::lead_pages(pages, index, diags);
    match tracker::tracker_page(pages, index, &leads) {
        Ok(page) => out.push(page),
        Err(e) => diags.push(e),
    }
    out
}
pub mod feeds;
pub mod open_data;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::checked::Board;
use crate::model::summary::{DocumentSummary, MilestoneSummary, StatusSummary};
use crate::render::pages::BoardPages;
use crate::render::views::{DateView, StatusView};
use crate::render::{Page, markdown};

/// One board's documents, newest first, with what spans them.
#[derive(Debug)]
pub struct BoardIndex {
    pub slug: String,
    pub name: String,
    pub areas: Vec<String>,
    pub documents: Vec<DocumentSummary>,
}

impl BoardIndex {
    pub fn new(board: &Board, mut documents: Vec<DocumentSummary>) -> BoardIndex {
        newest_first(&mut documents);
        BoardIndex {
            slug: board.slug.clone(),
            name: board.name.clone(),
            areas: board.areas.clone(),
            documents,
        }
    }

    /// Every milestone of every document, with its document.
    pub fn milestones(&self) -> impl Iterator<Item = (&DocumentSummary, &MilestoneSummary)> {
        self.documents
            .iter()
            .flat_map(|d| d.milestones.iter().map(move |m| (d, m)))
    }

    /// Every lead and monitoring group named, with how many milestones
    /// each leads or monitors, in name order.
    pub fn leads(&self) -> BTreeMap<&str, usize> {
        let mut leads = BTreeMap::new();
        for (_, m) in self.milestones() {
            for name in m.leads.iter().chain(&m.monitored_by) {
                *leads.entry(name.as_str()).or_default() += 1;
            }
        }
        leads
    }
}

impl BoardIndex {
    /// What the site's index lists of the board, without the milestones,
    /// so a national site holds a line per document rather than every plan.
    pub fn listing(
        &self,
        feed: Vec<feeds::FeedEntry>,
        agencies: Vec<leads::SharedAgency>,
    ) -> BoardListing {
        BoardListing {
            feed,
            agencies,
            tracker: tracker::counts(self),
            slug: self.slug.clone(),
            name: self.name.clone(),
            areas: self.areas.clone(),
            documents: self
                .documents
                .iter()
                .map(|d| (d.title.clone(), d.period.clone(), d.slug.clone()))
                .collect(),
        }
    }
}

/// A board as a multi-board site's index lists it.
#[derive(Debug, Clone)]
pub struct BoardListing {
    pub slug: String,
    pub name: String,
    pub areas: Vec<String>,
    /// (title, period, folder), newest first.
    pub documents: Vec<(String, String, String)>,
    /// The board's dated documents, for `feed.xml`.
    pub feed: Vec<feeds::FeedEntry>,
    /// Its agencies that other boards of the site name too, with their
    /// milestones.
    pub agencies: Vec<leads::SharedAgency>,
    /// Its milestones by latest rating, for the site's tracker.
    pub tracker: tracker::TrackerCounts,
}

/// Newest first: by publication date, then period, then title.
fn newest_first(documents: &mut [DocumentSummary]) {
    documents.sort_by(|a, b| {
        (b.published, &b.period)
            .cmp(&(a.published, &a.period))
            .then_with(|| a.title.cmp(&b.title))
    });
}

/// A document on its board's home page.
#[derive(Serialize)]
struct DocLink<'a> {
    title: &'a str,
    kind: &'static str,
    period: &'a str,
    published: Option<DateView>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    summary_html: Option<String>,
    href: String,
    progress: Option<Progress<'a>>,
}

/// How many milestones a document has, and how many have each status.
#[derive(Serialize)]
struct Progress<'a> {
    total: usize,
    /// What the plan calls them, for "60 milestones".
    term: String,
    counts: Vec<StatusCount<'a>>,
    /// Milestones with no status.
    none: usize,
}

#[derive(Serialize)]
struct StatusCount<'a> {
    status: StatusView<'a>,
    count: usize,
}

fn progress(d: &DocumentSummary) -> Option<Progress<'_>> {
    if d.milestones.is_empty() || d.statuses.is_empty() {
        return None;
    }
    let (counts, none) = d.status_counts();
    let counts = d
        .statuses
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, count)| StatusCount {
            status: status_view(s),
            count,
        })
        .collect();
    Some(Progress {
        total: d.milestones.len(),
        term: d.milestones_term.to_lowercase(),
        counts,
        none,
    })
}

/// A kept document's status as templates show it.
fn status_view(s: &StatusSummary) -> StatusView<'_> {
    StatusView {
        id: &s.id,
        label: &s.label,
        meaning: s.meaning.as_deref(),
        name: &s.name,
        word: s.word.as_deref(),
        colour: &s.colour,
        tag: &s.tag,
    }
}

/// The board's home page: its vision, its documents newest first with
/// their progress, and its principles.
pub fn board_home(pages: &BoardPages, index: &BoardIndex) -> Page {
    let links = pages.links(0);
    let view = pages.view(&links);
    let mut context = pages.context(&links, &view);
    context.insert("current", "home");
    let docs: Vec<DocLink> = index
        .documents
        .iter()
        .map(|d| DocLink {
            title: &d.title,
            kind: d.kind.label(),
            period: &d.period,
            published: d.published.map(DateView::dated),
            summary_html: d.summary.as_deref().map(markdown::inline),
            href: format!("{}/index.html", d.slug),
            progress: progress(d),
        })
        .collect();
    context.insert("documents", &docs);
    // The board's open data files, when it has any milestones.
    context.insert("actions", &index.milestones().next().is_some());
    Page {
        path: format!("{}index.html", pages.prefix),
        template: "home.html",
        context,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentKind;
    use crate::model::summary::{MilestoneSummary, StatusSummary};
    use crate::timescale::Date;

    fn summary(slug: &str, published: Option<Date>, leads: &[&[&str]]) -> DocumentSummary {
        DocumentSummary {
            slug: slug.into(),
            title: slug.to_uppercase(),
            kind: DocumentKind::BusinessPlan,
            reports_on: None,
            period: "2025-26".into(),
            published: published.map(|date| crate::timescale::Dated {
                date,
                month_only: false,
            }),
            updated: None,
            as_at: None,
            summary: None,
            milestone_term: "Action".into(),
            milestones_term: "Actions".into(),
            statuses: vec![StatusSummary {
                id: "g".into(),
                label: "Green".into(),
                meaning: None,
                name: "Green".into(),
                word: None,
                colour: "#00703c".into(),
                complete: false,
                tag: String::new(),
            }],
            priorities: vec![],
            milestones: leads
                .iter()
                .enumerate()
                .map(|(i, l)| MilestoneSummary {
                    anchor: None,
                    text: "x".into(),
                    priority: 0,
                    leads: l.iter().map(|s| s.to_string()).collect(),
                    monitored_by: vec![],
                    timescale: None,
                    due: None,
                    status: (i % 2 == 0).then_some(0),
                    plain: String::new(),
                    standards: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn documents_come_newest_first_with_every_milestone_and_lead() {
        let index = BoardIndex {
            slug: String::new(),
            name: "B".into(),
            areas: vec![],
            documents: vec![
                summary(
                    "old",
                    Date::new(2020, 4, 1),
                    &[&["Police"], &["Health", "Police"]],
                ),
                summary("new", Date::new(2024, 4, 1), &[&["Council"]]),
            ],
        };
        let mut sorted = index.documents.clone();
        newest_first(&mut sorted);
        assert_eq!(sorted[0].slug, "new");
        assert_eq!(index.milestones().count(), 3);
        let leads: Vec<(&str, usize)> = index.leads().into_iter().collect();
        assert_eq!(leads, [("Council", 1), ("Health", 1), ("Police", 2)]);
        let p = progress(&index.documents[0]).unwrap();
        assert_eq!((p.total, p.none, p.term.as_str()), (2, 1, "actions"));
        assert_eq!(p.counts[0].count, 1);
    }
}
