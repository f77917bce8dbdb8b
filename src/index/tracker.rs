//! The tracker: one table of every plan milestone of the board (the whole
//! site when it has one board), with the latest rating of each, its leads
//! and their agencies, when it is due and whether it is overdue.
//!
//! The page works without JavaScript: the common filters (each status,
//! overdue, each document) are links to views the stylesheet shows by
//! their `#view-…` fragment, so they need no extra pages and work from
//! disk; a document's tracker is its view (`#view-document-<folder>`). With
//! JavaScript (`static/tracker.js`) every filter applies in place, counts
//! update and the state lives in the URL's query string, so a partner can
//! share the link. Rows carry what the script filters on as `data-`
//! attributes; the script knows nothing of plans.

use std::sync::Arc;

use ahash::AHashMap;
use serde::Serialize;

use super::BoardIndex;
use super::latest::{Latest, latest_reports, overdue, priority_heading, rating};
use super::leads::LeadPages;
use super::rows::{rows_html, write_due, write_link, write_maybe_link, write_rating};
use super::status_view;
use crate::diagnostics::Diagnostic;
use crate::model::checked::Directory;
use crate::model::summary::{DocumentSummary, MilestoneSummary, StatusSummary};
use crate::render::pages::BoardPages;
use crate::render::templates::{Shared, escape_into};
use crate::render::views::StatusView;
use crate::render::{Page, template_error};
use crate::slug::slugify;

#[derive(Serialize)]
struct Row<'a> {
    text: &'a str,
    href: Option<String>,
    document: &'a str,
    priority: &'a str,
    leads: Vec<Link<'a>>,
    monitored_by: Vec<Link<'a>>,
    agencies: Vec<Link<'a>>,
    timescale: Option<&'a str>,
    status: Option<StatusView<'a>>,
    /// The report that gave the rating, when it is not the document's own.
    rated_in: Option<Link<'a>>,
    overdue: Option<String>,
    /// What the script filters on.
    data: RowData<'a>,
}

#[derive(Serialize)]
struct RowData<'a> {
    document: &'a str,
    priority: &'a str,
    status: &'a str,
    /// Space-separated keys of its leads and monitoring groups.
    leads: String,
    agencies: String,
    /// The last day the timescale allows (`2013-03-31`), if it has one.
    due: String,
    overdue: bool,
}

/// A page a row links to: a lead's, an agency's or a report's. Templates
/// are given its `name` and `href`.
#[derive(Clone, Serialize)]
struct Link<'a> {
    name: &'a str,
    /// Made once for each lead and agency, and shared by every row that
    /// links it.
    #[serde(serialize_with = "text")]
    href: Arc<str>,
    /// A lead's or agency's page folder: what the filters match it by.
    #[serde(skip)]
    key: &'a str,
    /// The link as the built-in row writes it, made once: a lead is linked
    /// from every row of their milestones.
    #[serde(skip)]
    html: Arc<str>,
}

fn text<S: serde::Serializer>(text: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(text)
}

impl<'a> Link<'a> {
    fn new(name: &'a str, href: String, key: &'a str) -> Self {
        let mut html = String::new();
        write_link(&href, name, &mut html);
        Link {
            name,
            href: href.into(),
            key,
            html: html.into(),
        }
    }
}

/// One value a filter can take, with how many rows have it.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub key: String,
    pub label: String,
    pub count: usize,
}

#[derive(Serialize, Default)]
struct Filters {
    statuses: Vec<Choice>,
    leads: Vec<Choice>,
    agencies: Vec<Choice>,
    priorities: Vec<Choice>,
    documents: Vec<Choice>,
    overdue: usize,
}

/// What the tracker's rows are made from.
struct Place<'a> {
    index: &'a BoardIndex,
    latest: &'a Latest<'a>,
    /// Each lead's page link, in the order of `leads.leads`.
    lead_links: Vec<Link<'a>>,
    /// Each agency's page link, in the order of the directory's agencies.
    agency_links: Vec<Link<'a>>,
    /// Each name a milestone gives a lead by: its place in `lead_links`
    /// (if it has a page) and its agency's (if any), looked up once.
    names: AHashMap<&'a str, (Option<usize>, Option<usize>)>,
    /// What rows repeat, made once: each priority's heading and filter key
    /// by (document, priority), each status's key by its label, each
    /// report's link by its folder.
    priorities: AHashMap<(&'a str, usize), (String, String)>,
    status_keys: AHashMap<&'a str, String>,
    reports: AHashMap<&'a str, Link<'a>>,
}

/// The board's tracker: every plan's milestones with their latest rating
/// (a report's milestones are its plan's). Each document's tracker is its
/// view of it (`#view-document-<folder>`), which needs no page of its own.
pub(super) fn tracker_page(
    pages: &BoardPages,
    index: &BoardIndex,
    leads: &LeadPages,
) -> Result<Page, Diagnostic> {
    let latest = latest_reports(index);
    let directory = &pages.board.directory;
    let place = Place {
        index,
        latest: &latest,
        lead_links: leads
            .leads
            .iter()
            .map(|(slug, name, _)| Link::new(name, format!("../leads/{slug}/index.html"), slug))
            .collect(),
        agency_links: directory
            .agencies
            .iter()
            .map(|a| {
                Link::new(
                    &a.name,
                    format!("../agencies/{}/index.html", a.slug),
                    &a.slug,
                )
            })
            .collect(),
        names: lead_names(index, directory, leads),
        priorities: priorities(index),
        status_keys: status_keys(index),
        reports: index
            .documents
            .iter()
            .filter(|d| d.reports_on.is_some())
            .map(|d| {
                let href = ["../", &d.slug, "/index.html"].concat();
                (d.slug.as_str(), Link::new(&d.title, href, &d.slug))
            })
            .collect(),
    };
    let rows: Vec<Row> = index
        .milestones()
        .filter(|(d, _)| d.reports_on.is_none())
        .map(|(d, m)| row(&place, d, m))
        .collect();
    let filters = filters(&rows, &place);
    let path = format!("{}tracker/index.html", pages.prefix);
    let agencies = !filters.agencies.is_empty();
    let rows_html = rows_html(
        pages.theme(),
        ROW,
        &rows,
        &[("agencies", agencies)],
        |r, out| write_row(r, agencies, out),
    )
    .map_err(|e| template_error(ROW, &path, &e))?;
    let links = pages.links(1);
    let mut context = pages.head_context(&links);
    context.insert("current", "tracker");
    context.insert("total", &rows.len());
    context.insert("rows_html", &Shared::html(&rows_html));
    context.insert("filters", &filters);
    context.insert("script", &format!("{}static/tracker.js", links.root));
    Ok(Page {
        path,
        template: "tracker.html",
        context,
    })
}

/// The template of one row.
const ROW: &str = "tracker_row.html";

/// A row as the built-in `tracker_row.html` renders it.
fn write_row(r: &Row, agencies: bool, out: &mut String) {
    let d = &r.data;
    let attributes = [
        ("<tr data-document=\"", d.document),
        ("\" data-priority=\"", d.priority),
        ("\" data-status=\"", d.status),
        ("\" data-leads=\"", &d.leads),
        ("\" data-agencies=\"", &d.agencies),
        ("\" data-due=\"", &d.due),
    ];
    for (before, value) in attributes {
        out.push_str(before);
        escape_into(value, out);
    }
    out.push('"');
    if d.overdue {
        out.push_str(" data-overdue=\"\"");
    }
    out.push_str(">\n      <th scope=\"row\" class=\"milestone__text\">");
    write_maybe_link(r.href.as_deref(), r.text, out);
    out.push_str("</th>\n      <td data-label=\"Document\">");
    escape_into(r.document, out);
    out.push_str("</td>\n      <td data-label=\"Priority\">");
    escape_into(r.priority, out);
    out.push_str("</td>\n      <td data-label=\"Lead\">");
    write_links(&r.leads, "<br>", out);
    if !r.monitored_by.is_empty() {
        if !r.leads.is_empty() {
            out.push_str("<br>");
        }
        out.push_str("<span class=\"muted\">Monitored by ");
        write_links(&r.monitored_by, ", ", out);
        out.push_str("</span>");
    }
    out.push_str("</td>\n      ");
    if agencies {
        out.push_str("<td data-label=\"Agency\">");
        write_links(&r.agencies, "<br>", out);
        out.push_str("</td>");
    }
    out.push_str("\n      <td data-label=\"Due\">");
    write_due(r.timescale, r.overdue.as_deref(), out);
    out.push_str("</td>\n      <td data-label=\"Rating\">");
    match &r.status {
        Some(s) => {
            write_rating(s, out);
            if let Some(report) = &r.rated_in {
                out.push_str("<br><span class=\"muted\">In ");
                write_link(&report.href, report.name, out);
                out.push_str("</span>");
            }
        }
        None => out.push_str("<span class=\"muted\">No status</span>"),
    }
    out.push_str("</td>\n    </tr>");
}

fn write_links(links: &[Link], between: &str, out: &mut String) {
    for (i, l) in links.iter().enumerate() {
        if i > 0 {
            out.push_str(between);
        }
        out.push_str(&l.html);
    }
}

fn row<'a>(place: &'a Place<'a>, doc: &'a DocumentSummary, m: &'a MilestoneSummary) -> Row<'a> {
    // A plan's milestone shows its latest report's rating.
    let reported = m
        .anchor
        .as_deref()
        .and_then(|id| place.latest.get(&(doc.slug.as_str(), id)).copied());
    let (rated_by, status) = rating(doc, m, reported);
    let overdue = overdue(doc, m, reported);
    let leads = links(place, &m.leads);
    let monitored_by = links(place, &m.monitored_by);
    let agencies = agencies(place, m);
    // The filters' keys, space-separated, as `join(" ")` would give them.
    let keys = |links: &mut dyn Iterator<Item = &Link>| {
        let mut keys = String::new();
        for (i, l) in links.enumerate() {
            if i > 0 {
                keys.push(' ');
            }
            keys.push_str(l.key);
        }
        keys
    };
    // Every plan milestone's priority is in the table, made from them.
    let (heading, priority_key) = place
        .priorities
        .get(&(doc.slug.as_str(), m.priority))
        .map_or(("", ""), |(heading, key)| (heading.as_str(), key.as_str()));
    let data = RowData {
        document: &doc.slug,
        priority: priority_key,
        status: status.map_or("none", |s| status_key(place, s)),
        leads: keys(&mut leads.iter().chain(&monitored_by)),
        agencies: keys(&mut agencies.iter()),
        due: m.due.map(|d| d.to_string()).unwrap_or_default(),
        overdue: overdue.is_some(),
    };
    Row {
        text: &m.plain,
        href: doc
            .anchor(m)
            .map(|a| ["../", &doc.slug, "/index.html#", &a].concat()),
        document: &doc.title,
        priority: heading,
        leads,
        monitored_by,
        agencies,
        timescale: m.timescale.as_ref().map(|(text, _)| text.as_str()),
        status: status.map(status_view),
        rated_in: (!std::ptr::eq(rated_by, doc))
            .then(|| place.reports.get(rated_by.slug.as_str()).cloned())
            .flatten(),
        overdue,
        data,
    }
}

/// Each priority's heading and filter key, by document and priority: for
/// every priority of each plan and any other its milestones name, so that
/// every row finds its own.
fn priorities(index: &BoardIndex) -> AHashMap<(&str, usize), (String, String)> {
    let plans = index.documents.iter().filter(|d| d.reports_on.is_none());
    plans
        .flat_map(|d| {
            let named = d.milestones.iter().map(|m| m.priority + 1).max();
            let count = named.unwrap_or(0).max(d.priorities.len());
            (0..count).map(move |i| {
                let made = (priority_heading(d, i), format!("{}:{i}", d.slug));
                ((d.slug.as_str(), i), made)
            })
        })
        .collect()
}

/// Each status label's key, as the rows' `data-status` and the filters
/// give it.
fn status_keys(index: &BoardIndex) -> AHashMap<&str, String> {
    index
        .documents
        .iter()
        .flat_map(|d| &d.statuses)
        .map(|s| (s.label.as_str(), slugify(&s.label)))
        .collect()
}

/// A status's key: every status of the board's documents is in the
/// table, which was made from them.
fn status_key<'a>(place: &'a Place, s: &StatusSummary) -> &'a str {
    place
        .status_keys
        .get(s.label.as_str())
        .map_or("none", String::as_str)
}

/// Each name the board's plans give a lead by: its page's place in
/// `leads` and its agency, for [`Place::names`].
fn lead_names<'a>(
    index: &'a BoardIndex,
    directory: &Directory,
    leads: &LeadPages,
) -> AHashMap<&'a str, (Option<usize>, Option<usize>)> {
    let mut names = AHashMap::new();
    let plans = index.milestones().filter(|(d, _)| d.reports_on.is_none());
    for (_, m) in plans {
        for w in m.leads.iter().chain(&m.monitored_by) {
            names.entry(w.as_str()).or_insert_with(|| {
                let (key, _, agency) = directory.lead(w);
                (leads.keys.get(&key).copied(), agency)
            });
        }
    }
    names
}

/// Leads as links to their pages, each once.
fn links<'a>(place: &Place<'a>, written: &[String]) -> Vec<Link<'a>> {
    let mut out: Vec<Link> = Vec::with_capacity(written.len());
    for w in written {
        let Some(&(Some(i), _)) = place.names.get(w.as_str()) else {
            continue;
        };
        let link = &place.lead_links[i];
        if !out.iter().any(|l| l.key == link.key) {
            out.push(link.clone());
        }
    }
    out
}

/// The agencies of a milestone's leads and monitoring groups, each once.
fn agencies<'a>(place: &Place<'a>, m: &MilestoneSummary) -> Vec<Link<'a>> {
    let mut found: Vec<usize> = m
        .leads
        .iter()
        .chain(&m.monitored_by)
        .filter_map(|w| place.names.get(w.as_str()).and_then(|&(_, agency)| agency))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
        .into_iter()
        .map(|i| place.agency_links[i].clone())
        .collect()
}

/// Every value each filter can take, in the order readers expect: statuses
/// in their key's order, leads and agencies by name, priorities in plan
/// order.
fn filters(rows: &[Row], place: &Place) -> Filters {
    let mut f = Filters {
        overdue: rows.iter().filter(|r| r.data.overdue).count(),
        ..Filters::default()
    };
    f.statuses = by_status(
        rows.iter().map(|r| r.status.as_ref()),
        place.index,
        &place.status_keys,
    );
    f.leads = named(rows, |r| r.leads.iter().chain(&r.monitored_by).collect());
    f.agencies = named(rows, |r| r.agencies.iter().collect());
    let mut priorities: Vec<Choice> = Vec::new();
    for r in rows {
        match priorities.iter_mut().find(|c| c.key == r.data.priority) {
            Some(c) => c.count += 1,
            None => priorities.push(Choice {
                key: r.data.priority.to_string(),
                label: format!("{}: {}", r.document, r.priority),
                count: 1,
            }),
        }
    }
    f.priorities = priorities;
    f.documents = place
        .index
        .documents
        .iter()
        .filter(|d| d.reports_on.is_none() && !d.milestones.is_empty())
        .map(|d| Choice {
            key: d.slug.clone(),
            label: d.title.clone(),
            count: d.milestones.len(),
        })
        .collect();
    f
}

/// How many milestones have each rating (`None`: no status), keyed as the
/// rows' `data-status`, in the order of the status keys (newest
/// document's first), with "No status" last.
fn by_status<'a>(
    ratings: impl Iterator<Item = Option<&'a StatusView<'a>>>,
    index: &BoardIndex,
    keys: &AHashMap<&str, String>,
) -> Vec<Choice> {
    let mut statuses: Vec<Choice> = Vec::new();
    let mut none = 0;
    for rating in ratings {
        let Some(s) = rating else {
            none += 1;
            continue;
        };
        let key = keys.get(s.label).map_or("none", String::as_str);
        match statuses.iter_mut().find(|c| c.key == key) {
            Some(c) => c.count += 1,
            None => statuses.push(Choice {
                key: key.to_string(),
                label: status_words(s),
                count: 1,
            }),
        }
    }
    let order: Vec<String> = index
        .documents
        .iter()
        .flat_map(|d| &d.statuses)
        .map(|s| slugify(&s.label))
        .collect();
    statuses.sort_by_key(|c| order.iter().position(|k| *k == c.key));
    if none > 0 {
        statuses.push(Choice {
            key: "none".into(),
            label: "No status".into(),
            count: none,
        });
    }
    statuses
}

/// A status as a view's name: what its tag says, then the board's word
/// ("Not started (Blue)").
fn status_words(s: &StatusView) -> String {
    match s.word {
        Some(word) => format!("{} ({word})", s.name),
        None => s.name.to_string(),
    }
}

/// Leads or agencies as filter choices, by name, with how many rows name
/// each (a lead who both leads and monitors a milestone counts once).
fn named<'a>(rows: &'a [Row<'a>], of: impl Fn(&'a Row<'a>) -> Vec<&'a Link<'a>>) -> Vec<Choice> {
    // Looked up for every link of every row; the order comes from the sort.
    let mut by_key: AHashMap<&str, Choice> = AHashMap::new();
    for r in rows {
        let mut seen: Vec<&str> = Vec::new();
        for l in of(r) {
            if seen.contains(&l.key) {
                continue;
            }
            seen.push(l.key);
            by_key
                .entry(l.key)
                .or_insert_with(|| Choice {
                    key: l.key.to_string(),
                    label: l.name.to_string(),
                    count: 0,
                })
                .count += 1;
        }
    }
    let mut out: Vec<Choice> = by_key.into_values().collect();
    out.sort_by(|a, b| (a.label.to_lowercase(), &a.key).cmp(&(b.label.to_lowercase(), &b.key)));
    out
}

/// A board's milestones by latest rating, for the site's tracker of a
/// multi-board site: counts only, linking to the board tracker's views.
#[derive(Debug, Clone, Serialize)]
pub struct TrackerCounts {
    pub total: usize,
    pub overdue: usize,
    /// As the board tracker's status views count them.
    pub statuses: Vec<Choice>,
}

/// The counts the board's tracker shows in its views, made without its
/// rows.
pub(super) fn counts(index: &BoardIndex) -> TrackerCounts {
    let latest = latest_reports(index);
    let mut overdue_count = 0;
    let mut ratings = Vec::new();
    for (doc, m) in index.milestones().filter(|(d, _)| d.reports_on.is_none()) {
        let reported = m
            .anchor
            .as_deref()
            .and_then(|id| latest.get(&(doc.slug.as_str(), id)).copied());
        overdue_count += usize::from(overdue(doc, m, reported).is_some());
        ratings.push(rating(doc, m, reported).1.map(status_view));
    }
    TrackerCounts {
        total: ratings.len(),
        overdue: overdue_count,
        statuses: by_status(
            ratings.iter().map(Option::as_ref),
            index,
            &status_keys(index),
        ),
    }
}
