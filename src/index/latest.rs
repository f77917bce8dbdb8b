//! What is known of each milestone now: the latest report's rating of a
//! plan's milestone, and whether it is overdue, judged against the as-at
//! date of the document that rated it, never the build's clock. Shared by
//! the pages per lead and the trackers, so both say the same.

use std::collections::BTreeMap;

use super::BoardIndex;
use crate::model::summary::{DocumentSummary, MilestoneSummary, StatusSummary};
use crate::render::views::DateView;
use crate::timescale::overdue_words;

/// The latest report on each plan's milestone, by (plan, milestone id):
/// a lead's page lists each milestone once, under its plan, with it.
pub(super) type Latest<'a> =
    BTreeMap<(&'a str, &'a str), (&'a DocumentSummary, &'a MilestoneSummary)>;

pub(super) fn latest_reports(index: &BoardIndex) -> Latest<'_> {
    let mut latest: Latest = BTreeMap::new();
    for (doc, m) in index.milestones() {
        let (Some(plan), Some(id)) = (doc.reports_on.as_deref(), m.anchor.as_deref()) else {
            continue;
        };
        let entry = latest.entry((plan, id)).or_insert((doc, m));
        if (doc.as_at, &doc.slug) > (entry.0.as_at, &entry.0.slug) {
            *entry = (doc, m);
        }
    }
    latest
}

pub(super) fn priority_heading(doc: &DocumentSummary, index: usize) -> String {
    match doc.priorities.get(index) {
        Some(p) => match &p.number {
            Some(n) => [n.as_str(), ". ", &p.plain].concat(),
            None => p.plain.clone(),
        },
        None => String::new(),
    }
}

pub(super) fn status_of<'a>(
    doc: &'a DocumentSummary,
    m: &MilestoneSummary,
) -> Option<&'a StatusSummary> {
    m.status.map(|i| &doc.statuses[i])
}

/// A report's rating of a plan's milestone: the report and its milestone.
pub(super) type Rated<'a> = (&'a DocumentSummary, &'a MilestoneSummary);

/// The latest rating of a milestone: the latest report's when there is
/// one, else the document's own.
pub(super) fn rating<'a>(
    doc: &'a DocumentSummary,
    m: &'a MilestoneSummary,
    reported: Option<Rated<'a>>,
) -> (&'a DocumentSummary, Option<&'a StatusSummary>) {
    match reported {
        Some((report, rm)) => (report, status_of(report, rm)),
        None => (doc, status_of(doc, m)),
    }
}

/// "3 months overdue at 31 March 2013", when a milestone is due before
/// the as-at date of whatever rated it last and is not complete.
pub(super) fn overdue(
    doc: &DocumentSummary,
    m: &MilestoneSummary,
    reported: Option<Rated>,
) -> Option<String> {
    let (judged, rating) = rating(doc, m, reported);
    let complete = rating.is_some_and(|s| s.complete);
    match (m.due, judged.as_at) {
        (Some(due), Some(at)) if due < at && !complete => Some(format!(
            "{} at {}",
            overdue_words(due, at),
            DateView::new(at).text
        )),
        _ => None,
    }
}
