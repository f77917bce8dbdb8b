//! Who leads what: a page per lead and per agency listing every milestone
//! they lead or monitor across the board's documents, and an index of
//! them. Made from the documents' summaries, so a rebuild that keeps most
//! documents makes the same pages as a fresh build. Overdue is judged
//! against each document's own as-at date, never the build's clock.

use std::collections::BTreeMap;

use serde::Serialize;

use super::BoardIndex;
use super::latest::{Latest, latest_reports, overdue, priority_heading, status_of};
use super::rows::{rows_html, write_due, write_maybe_link, write_rating};
use super::status_view;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::checked::{Directory, LeadLookup};
use crate::model::summary::{DocumentSummary, MilestoneSummary};
use crate::render::pages::BoardPages;
use crate::render::templates::{Shared, Theme, escape_into};
use crate::render::views::{DateView, StatusView};
use crate::render::{Page, template_error};
use crate::slug::slugify;

/// What a milestone asks of someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
enum Role {
    Leads,
    Monitors,
}

/// One milestone as a lead's or agency's page lists it.
#[derive(Serialize)]
struct Row<'a> {
    /// Plain words: the whole text is a link to the milestone, and a link
    /// the text holds cannot sit inside another.
    text: &'a str,
    href: Option<String>,
    role: Role,
    /// The lead, on an agency's page.
    lead: &'a str,
    timescale: Option<&'a str>,
    status: Option<StatusView<'a>>,
    /// What the latest report on the plan says of it.
    reported: Option<Reported<'a>>,
    overdue: Option<String>,
}

#[derive(Serialize)]
struct Reported<'a> {
    report: &'a str,
    href: Option<String>,
    status: Option<StatusView<'a>>,
}

/// A document's part of a page: its milestones by priority.
#[derive(Serialize)]
struct DocumentRows<'a> {
    title: &'a str,
    period: &'a str,
    href: String,
    as_at: Option<DateView>,
    priorities: Vec<PriorityRows>,
    count: usize,
    /// Whether a report on this plan gives any of these milestones' progress.
    reported: bool,
}

#[derive(Serialize)]
struct PriorityRows {
    heading: String,
    /// The table's rows, as [`ROW`] renders them.
    #[serde(serialize_with = "crate::render::templates::html")]
    rows_html: String,
}

/// The template of one row.
const ROW: &str = "lead_row.html";

/// How a page's tables are made: its rows' links start with `base`;
/// `agency` is whether they have a Lead column (an agency's page).
struct Tables<'t, 'a> {
    theme: &'t Theme,
    latest: &'t Latest<'a>,
    base: &'t str,
    agency: bool,
}

/// Whose page it is.
#[derive(Serialize)]
struct Who<'a> {
    name: &'a str,
    /// "lead" or "agency".
    kind: &'static str,
    /// For a lead: its agency's name and page.
    agency: Option<(&'a str, String)>,
    /// For an agency: its leads and their pages.
    leads: Vec<(&'a str, String)>,
    sector: Option<&'a str>,
}

/// A line of the index.
#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    href: String,
    leads: usize,
    monitors: usize,
    agency: Option<&'a str>,
}

/// A milestone someone leads or monitors: its place in the board's order
/// (documents newest first, milestones in plan order), document, milestone
/// and what is asked.
type Found<'a> = (usize, &'a DocumentSummary, &'a MilestoneSummary, Role);

/// Every milestone each lead leads or monitors, by the lead's page slug.
struct Work<'a> {
    /// (slug, name, agency) in name order.
    leads: Vec<(String, &'a str, Option<usize>)>,
    rows: Vec<Vec<Found<'a>>>,
    /// Each lead's place in `leads`, by its key (see `Directory::lead`).
    keys: BTreeMap<String, usize>,
}

/// Each lead's page, by the lead's key, for the trackers' links.
pub(super) struct LeadPages<'a> {
    pub leads: Vec<(String, &'a str, Option<usize>)>,
    pub keys: BTreeMap<String, usize>,
}

fn gather<'a>(index: &'a BoardIndex, directory: &'a Directory) -> Work<'a> {
    type Lead<'a> = (&'a str, Option<usize>, Vec<Found<'a>>);
    let plans = || index.milestones().filter(|(d, _)| d.reports_on.is_none());
    // Every name looked up first, so each milestone's leads are matched by
    // borrowed keys: a key copied per milestone and lead was most of this.
    let names = plans().flat_map(|(_, m)| m.leads.iter().chain(&m.monitored_by));
    let lookup = LeadLookup::new(directory).all(names.map(String::as_str));
    let mut by_key: BTreeMap<&str, Lead> = BTreeMap::new();
    for (seq, (doc, m)) in plans().enumerate() {
        let named = m
            .leads
            .iter()
            .map(|n| (n, Role::Leads))
            .chain(m.monitored_by.iter().map(|n| (n, Role::Monitors)));
        let mut seen: Vec<(&str, Role)> = Vec::new();
        for (written, role) in named {
            let Some((key, name, agency)) = lookup.found(written) else {
                continue;
            };
            if key.is_empty() || seen.contains(&(key.as_str(), role)) {
                continue;
            }
            seen.push((key, role));
            // The name board.yaml gives, or the first spelling met.
            let shown = name.unwrap_or(written.trim());
            by_key
                .entry(key)
                .or_insert((shown, *agency, Vec::new()))
                .2
                .push((seq, doc, m, role));
        }
    }
    let mut found: Vec<(String, Lead)> = by_key
        .into_iter()
        .map(|(key, lead)| (key.to_string(), lead))
        .collect();
    found.sort_by(|(_, a), (_, b)| (a.0.to_lowercase(), a.0).cmp(&(b.0.to_lowercase(), b.0)));
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut work = Work {
        leads: Vec::new(),
        rows: Vec::new(),
        keys: BTreeMap::new(),
    };
    for (key, (name, agency, rows)) in found {
        work.keys.insert(key, work.leads.len());
        // Two names may make the same web address: number the later ones.
        let base = slugify(name);
        let n = taken.entry(base.clone()).or_insert(0);
        *n += 1;
        let slug = if *n == 1 { base } else { format!("{base}-{n}") };
        work.leads.push((slug, name, agency));
        work.rows.push(rows);
    }
    work
}

/// The leads index, a page per lead and a page per agency with milestones;
/// and where each lead's page is, for the trackers.
pub(super) fn lead_pages<'a>(
    pages: &BoardPages<'a>,
    index: &'a BoardIndex,
    diags: &mut Diagnostics,
) -> (Vec<Page>, LeadPages<'a>) {
    let directory = &pages.board.directory;
    let work = gather(index, &pages.board.directory);
    let latest = latest_reports(index);
    let agency_href =
        |i: usize, up: &str| format!("{up}agencies/{}/index.html", directory.agencies[i].slug);
    let mut out = Vec::new();
    let mut tables = Tables {
        theme: pages.theme(),
        latest: &latest,
        base: "../../",
        agency: false,
    };
    // The lead pages.
    for ((slug, name, agency), rows) in work.leads.iter().zip(&work.rows) {
        let who = Who {
            name,
            kind: "lead",
            agency: agency.map(|i| {
                (
                    directory.agencies[i].name.as_str(),
                    agency_href(i, "../../"),
                )
            }),
            leads: Vec::new(),
            sector: None,
        };
        let path = format!("leads/{slug}/index.html");
        let rows: Vec<_> = rows
            .iter()
            .map(|&(q, d, m, r)| (q, d, m, r, *name))
            .collect();
        match page(pages, &path, &who, documents(rows, &tables)) {
            Ok(page) => out.push(page),
            Err(e) => diags.push(e),
        }
    }
    // The agency pages: every milestone of their leads.
    tables.agency = true;
    let mut agencies = Vec::new();
    for (i, agency) in directory.agencies.iter().enumerate() {
        let members: Vec<usize> = (0..work.leads.len())
            .filter(|&l| work.leads[l].2 == Some(i))
            .collect();
        if members.is_empty() {
            continue;
        }
        let mut rows = Vec::new();
        for &l in &members {
            rows.extend(
                work.rows[l]
                    .iter()
                    .map(|&(q, d, m, r)| (q, d, m, r, work.leads[l].1)),
            );
        }
        let who = Who {
            name: &agency.name,
            kind: "agency",
            agency: None,
            leads: members
                .iter()
                .map(|&l| {
                    (
                        work.leads[l].1,
                        format!("../../leads/{}/index.html", work.leads[l].0),
                    )
                })
                .collect(),
            sector: agency.sector.as_deref(),
        };
        let count = |role| rows.iter().filter(|r| r.3 == role).count();
        agencies.push(Entry {
            name: &agency.name,
            href: agency_href(i, "../"),
            leads: count(Role::Leads),
            monitors: count(Role::Monitors),
            agency: agency.sector.as_deref(),
        });
        let path = format!("agencies/{}/index.html", agency.slug);
        match page(pages, &path, &who, documents(rows, &tables)) {
            Ok(page) => out.push(page),
            Err(e) => diags.push(e),
        }
    }
    let leads: Vec<Entry> = work
        .leads
        .iter()
        .zip(&work.rows)
        .map(|((slug, name, agency), rows)| Entry {
            name,
            href: format!("{slug}/index.html"),
            leads: rows.iter().filter(|r| r.3 == Role::Leads).count(),
            monitors: rows.iter().filter(|r| r.3 == Role::Monitors).count(),
            agency: agency.map(|i| directory.agencies[i].name.as_str()),
        })
        .collect();
    let links = pages.links(1);
    let mut context = pages.head_context(&links);
    context.insert("current", "leads");
    context.insert("leads", &leads);
    context.insert("agencies", &agencies);
    out.push(Page {
        path: format!("{}leads/index.html", pages.prefix),
        template: "leads.html",
        context,
    });
    let places = LeadPages {
        leads: work.leads,
        keys: work.keys,
    };
    (out, places)
}

/// A lead's or agency's page, or what went wrong rendering its rows.
fn page(
    pages: &BoardPages,
    path: &str,
    who: &Who,
    documents: Result<Vec<DocumentRows>, String>,
) -> Result<Page, Diagnostic> {
    let path = format!("{}{path}", pages.prefix);
    let documents = documents.map_err(|e| template_error(ROW, &path, &e))?;
    let links = pages.links(2);
    let mut context = pages.head_context(&links);
    context.insert("current", "leads");
    context.insert("who", who);
    context.insert("total", &documents.iter().map(|d| d.count).sum::<usize>());
    context.insert("document_count", &documents.len());
    // The built-in lead.html prints the documents as written here; a
    // theme's own is given them to draw.
    let theme = pages.theme();
    if theme.is_builtin("lead.html") && theme.is_builtin("components.html") {
        let mut html = String::new();
        write_lead_documents(&documents, who.kind == "agency", &mut html);
        context.insert("documents_html", &Shared::html(&html));
    } else {
        context.insert("documents", &documents);
    }
    Ok(Page {
        path,
        template: "lead.html",
        context,
    })
}

/// Rows grouped by document (newest first), then priority, in the plan's
/// order; on an agency's page a milestone two of its leads share is listed
/// for each. Each table's rows are rendered as [`ROW`] gives them.
fn documents<'a>(
    mut rows: Vec<(
        usize,
        &'a DocumentSummary,
        &'a MilestoneSummary,
        Role,
        &'a str,
    )>,
    tables: &Tables<'_, 'a>,
) -> Result<Vec<DocumentRows<'a>>, String> {
    rows.sort_by_key(|r| r.0);
    let mut out: Vec<DocumentRows> = Vec::new();
    // Each document's tables' rows, to render once its tables are known.
    let mut grouped: Vec<Vec<Vec<Row>>> = Vec::new();
    let mut current: Option<&str> = None;
    // The document and priority of the last group: a heading is made once
    // per group, not once per row.
    let mut group_of: Option<(&str, usize)> = None;
    for (_, doc, m, role, lead) in rows {
        if current != Some(doc.slug.as_str()) {
            current = Some(&doc.slug);
            group_of = None;
            out.push(DocumentRows {
                title: &doc.title,
                period: &doc.period,
                href: [tables.base, &doc.slug, "/index.html"].concat(),
                as_at: doc.as_at.map(DateView::new),
                priorities: Vec::new(),
                count: 0,
                reported: false,
            });
            grouped.push(Vec::new());
        }
        let group = out.last_mut().expect("a document was just pushed");
        let groups = grouped.last_mut().expect("a document was just pushed");
        group.count += 1;
        if group_of != Some((doc.slug.as_str(), m.priority)) {
            group_of = Some((doc.slug.as_str(), m.priority));
            let heading = priority_heading(doc, m.priority);
            if group.priorities.last().is_none_or(|p| p.heading != heading) {
                group.priorities.push(PriorityRows {
                    heading,
                    rows_html: String::new(),
                });
                groups.push(Vec::new());
            }
        }
        let reported = m
            .anchor
            .as_deref()
            .and_then(|id| tables.latest.get(&(doc.slug.as_str(), id)))
            .copied();
        group.reported |= reported.is_some();
        let row = row(doc, m, role, lead, reported, tables);
        groups.last_mut().expect("just pushed").push(row);
    }
    for (document, groups) in out.iter_mut().zip(grouped) {
        let flags = [("agency", tables.agency), ("reported", document.reported)];
        for (priority, rows) in document.priorities.iter_mut().zip(groups) {
            priority.rows_html = rows_html(tables.theme, ROW, &rows, &flags, |r, out| {
                write_row(r, flags[0].1, flags[1].1, out)
            })?;
        }
    }
    Ok(out)
}

/// A row as the built-in `lead_row.html` renders it.
fn write_row(r: &Row, agency: bool, reported: bool, out: &mut String) {
    out.push_str("<tr>\n      <th scope=\"row\" class=\"milestone__text\">");
    write_maybe_link(r.href.as_deref(), r.text, out);
    out.push_str("</th>\n      ");
    if agency {
        out.push_str("<td data-label=\"Lead\">");
        escape_into(r.lead, out);
        out.push_str("</td>");
    }
    out.push_str(match r.role {
        Role::Leads => "\n      <td data-label=\"Role\">Leads</td>",
        Role::Monitors => "\n      <td data-label=\"Role\">Monitors</td>",
    });
    out.push_str("\n      <td data-label=\"Timescale\">");
    write_due(r.timescale, r.overdue.as_deref(), out);
    out.push_str("</td>\n      <td data-label=\"Status\">");
    match &r.status {
        Some(s) => write_rating(s, out),
        None => out.push_str("<span class=\"muted\">No status</span>"),
    }
    out.push_str("</td>\n      ");
    if reported {
        out.push_str("<td data-label=\"Latest report\">");
        if let Some(x) = &r.reported {
            match &x.status {
                Some(s) => out.push_str(s.tag),
                None => out.push_str("<span class=\"muted\">No update</span>"),
            }
            out.push_str("<br>");
            write_maybe_link(x.href.as_deref(), x.report, out);
        }
        out.push_str("</td>");
    }
    out.push_str("\n    </tr>");
}

fn row<'a>(
    doc: &'a DocumentSummary,
    m: &'a MilestoneSummary,
    role: Role,
    lead: &'a str,
    reported: Option<(&'a DocumentSummary, &'a MilestoneSummary)>,
    tables: &Tables,
) -> Row<'a> {
    let base = tables.base;
    let overdue = overdue(doc, m, reported);
    Row {
        text: &m.plain,
        href: doc
            .anchor(m)
            .map(|a| [base, &doc.slug, "/index.html#", &a].concat()),
        role,
        lead,
        timescale: m.timescale.as_ref().map(|(text, _)| text.as_str()),
        status: status_of(doc, m).map(status_view),
        reported: reported.map(|(report, rm)| Reported {
            report: &report.title,
            href: report
                .anchor(rm)
                .map(|a| [base, &report.slug, "/index.html#", &a].concat()),
            status: status_of(report, rm).map(status_view),
        }),
        overdue,
    }
}

/// A board's part of the site's page for an agency on several boards: its
/// milestones as the board's own agency page lists them, linked from the
/// site's `agencies/<slug>/` folder.
#[derive(Debug, Clone, Serialize)]
pub struct SharedAgency {
    pub slug: String,
    pub name: String,
    pub board: String,
    /// The board's own page for the agency.
    pub board_href: String,
    pub total: usize,
    /// The rows by document and priority, as `lead.html` shows them.
    pub documents: Shared,
}

/// The board's rows for each of its agencies that other boards of the
/// site name too (`shared`, by name made into a web address).
pub(super) fn shared_agencies(
    pages: &BoardPages,
    index: &BoardIndex,
    shared: &std::collections::BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<SharedAgency> {
    let directory = &pages.board.directory;
    let key = |a: &crate::model::checked::Agency| slugify(&a.name);
    if !directory.agencies.iter().any(|a| shared.contains(&key(a))) {
        return Vec::new();
    }
    let work = gather(index, directory);
    let latest = latest_reports(index);
    let base = format!("../../{}", pages.prefix);
    let tables = Tables {
        theme: pages.theme(),
        latest: &latest,
        base: &base,
        agency: true,
    };
    let mut out = Vec::new();
    for (i, agency) in directory.agencies.iter().enumerate() {
        if !shared.contains(&key(agency)) {
            continue;
        }
        let mut rows = Vec::new();
        for (l, lead) in work.leads.iter().enumerate() {
            if lead.2 == Some(i) {
                rows.extend(
                    work.rows[l]
                        .iter()
                        .map(|&(q, d, m, r)| (q, d, m, r, lead.1)),
                );
            }
        }
        let documents = match documents(rows, &tables) {
            Ok(documents) => documents,
            Err(e) => {
                let page = format!("agencies/{}/index.html", key(agency));
                diags.push(template_error(ROW, &page, &e));
                continue;
            }
        };
        out.push(SharedAgency {
            slug: key(agency),
            name: agency.name.clone(),
            board: pages.board.name.clone(),
            board_href: format!("{base}agencies/{}/index.html", agency.slug),
            total: documents.iter().map(|d| d.count).sum(),
            documents: Shared::new(&documents),
        });
    }
    out
}

/// The built-in `lead_documents` component's rendering of a lead's or
/// agency's page (level 2, no prefix), byte for byte: through Tera it was
/// about a twentieth of a build's instructions, and making the documents
/// into Tera's values a fiftieth more. Held to the component by
/// tests/leads.rs.
fn write_lead_documents(documents: &[DocumentRows], agency: bool, out: &mut String) {
    let size: usize = documents
        .iter()
        .flat_map(|d| &d.priorities)
        .map(|p| p.rows_html.len() + 600)
        .sum();
    out.reserve(size + documents.len() * 300);
    out.push('\n');
    for (i, d) in documents.iter().enumerate() {
        let mut number = itoa::Buffer::new();
        let number = number.format(i + 1);
        out.push_str("\n<section aria-labelledby=\"doc-");
        out.push_str(number);
        out.push_str("\">\n  <h2 id=\"doc-");
        out.push_str(number);
        out.push_str("\"><a href=\"");
        escape_into(&d.href, out);
        out.push_str("\">");
        escape_into(d.title, out);
        out.push_str("</a>");
        if !d.title.contains(d.period) {
            out.push_str(" <span class=\"muted\">");
            escape_into(d.period, out);
            out.push_str("</span>");
        }
        out.push_str("</h2>\n  ");
        if let Some(as_at) = &d.as_at {
            out.push_str("<p class=\"muted\">Status as at <time datetime=\"");
            escape_into(&as_at.iso, out);
            out.push_str("\">");
            escape_into(&as_at.text, out);
            out.push_str("</time>.</p>");
        }
        out.push_str("\n  ");
        for p in &d.priorities {
            write_lead_table(d, p, agency, out);
        }
        out.push_str("\n</section>\n");
    }
    out.push('\n');
}

fn write_lead_table(d: &DocumentRows, p: &PriorityRows, agency: bool, out: &mut String) {
    out.push_str("\n  ");
    if !p.heading.is_empty() {
        out.push_str("<h3>");
        escape_into(&p.heading, out);
        out.push_str("</h3>");
    }
    out.push_str("\n  <table class=\"table milestones\">\n    <caption class=\"visually-hidden\">Milestones of ");
    escape_into(d.title, out);
    if !p.heading.is_empty() {
        out.push_str(", ");
        escape_into(&p.heading, out);
    }
    out.push_str("</caption>\n    <thead><tr><th scope=\"col\">Milestone</th>");
    if agency {
        out.push_str("<th scope=\"col\">Lead</th>");
    }
    out.push_str(
        "<th scope=\"col\">Role</th><th scope=\"col\">Timescale</th><th scope=\"col\">Status</th>",
    );
    if d.reported {
        out.push_str("<th scope=\"col\">Latest report</th>");
    }
    out.push_str("</tr></thead>\n    <tbody>\n    ");
    out.push_str(&p.rows_html);
    out.push_str("\n    </tbody>\n  </table>\n  ");
}
