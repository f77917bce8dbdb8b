//! The tracker: one table of the board's milestones, with a view per
//! document, as a partner sees it without JavaScript, checked against the
//! plans' pages and open data. (tests/browser/partners.test.js drives the
//! filters.)

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::*;
use scraper::{ElementRef, Html};

const PLAN: &str = "business-plan-2012-13";
const REPORT: &str = "annual-report-2012-13";

struct Row {
    href: String,
    document: String,
    status: String,
    /// What the rating's tag says: "At risk".
    name: String,
    /// The board's label for it: "Amber".
    label: String,
    leads: Vec<String>,
    agencies: Vec<String>,
    overdue: bool,
    due: String,
}

fn first_text(el: scraper::ElementRef, css: &str) -> String {
    el.select(&sel(css)).next().map(text).unwrap_or_default()
}

fn rows(html: &Html) -> Vec<Row> {
    html.select(&sel(".tracker-table tbody tr"))
        .map(|tr| {
            let data = |name: &str| tr.value().attr(name).unwrap_or_default().to_string();
            let words = |name: &str| data(name).split_whitespace().map(String::from).collect();
            Row {
                href: attr_of(tr, "th a", "href"),
                document: data("data-document"),
                status: data("data-status"),
                name: first_text(tr, "td[data-label=Rating] .status__label"),
                // The board's own word follows the tag's words in brackets
                // when it adds to them; otherwise the tag is the label.
                label: match first_text(tr, "td[data-label=Rating] .status__word") {
                    w if w.is_empty() => first_text(tr, "td[data-label=Rating] .status__label"),
                    w => w.trim_matches(['(', ')']).to_string(),
                },
                leads: words("data-leads"),
                agencies: words("data-agencies"),
                overdue: tr.value().attr("data-overdue").is_some(),
                due: data("data-due"),
            }
        })
        .collect()
}

/// Each document's tracker is its view of the board's: its page links
/// the view, which holds just its milestones (a report's is its plan's).
#[test]
fn each_documents_tracker_is_its_view_of_the_boards() {
    let (_dir, out) = build_into_temp(&repo());
    let html = page(&out, "tracker/index.html");
    let rows = rows(&html);
    let style = text(html.select(&sel("head style")).next().unwrap());
    for doc in [PLAN, REPORT] {
        let document = page(&out, &format!("{doc}/index.html"));
        let link = document
            .select(&sel("main .print-link a"))
            .find(|a| text(*a) == "Milestone tracker")
            .map(|a| a.value().attr("href").unwrap().to_string())
            .unwrap();
        assert_eq!(
            link,
            format!("../tracker/index.html#view-document-{PLAN}"),
            "{doc}"
        );
    }
    let view = format!("view-document-{PLAN}");
    assert!(html.select(&sel(&format!("#{view}"))).next().is_some());
    assert!(style.contains(&format!(
        ":has(#{view}:target) tbody tr:not([data-document=\"{PLAN}\"])"
    )));
    let plan_rows = rows.iter().filter(|r| r.document == PLAN).count();
    assert_eq!(plan_rows, 27);
    let count = text(
        html.select(&sel(&format!(".view-count--document-{PLAN}")))
            .next()
            .unwrap(),
    );
    assert_eq!(
        count,
        "Showing the 27 milestones of Business Plan 2012-2013."
    );
    for r in &rows {
        let expected = match r.label.as_str() {
            "" => "none".to_string(),
            l => slug(l),
        };
        assert_eq!(r.status, expected, "{}", r.href);
    }
}

#[test]
fn the_boards_tracker_gives_each_plan_milestone_its_latest_rating() {
    let (_dir, out) = build_into_temp(&repo());
    let board = rows(&page(&out, "tracker/index.html"));
    // The plan's milestones once (the report's are the plan's), linking
    // the plan, each with the annual report's rating: the plan itself has
    // none.
    assert_eq!(board.len(), 27);
    let (header, csv) = actions_csv(&out, &format!("{REPORT}/actions.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let reported: BTreeMap<String, String> = csv
        .iter()
        .map(|r| {
            (
                r[col("milestone_id")].clone(),
                r[col("status_label")].clone(),
            )
        })
        .collect();
    for r in &board {
        assert!(
            r.href.starts_with(&format!("../{PLAN}/index.html#")),
            "{}",
            r.href
        );
        let id = r.href.rsplit('#').next().unwrap();
        assert_eq!(r.label, reported[id], "{id}");
    }
    // The plan's as-at date is the report's: what was due by 31 March 2013
    // and not complete is overdue, and nothing else is.
    for r in &board {
        let complete = r.name == "Complete";
        let due_before = !r.due.is_empty() && r.due.as_str() < "2013-03-31";
        assert_eq!(r.overdue, due_before && !complete, "{} {}", r.href, r.due);
    }
    assert!(board.iter().any(|r| r.overdue));
}

#[test]
fn every_view_and_filter_counts_the_rows_it_shows() {
    let (_dir, out) = build_into_temp(&repo());
    {
        let rel = "tracker/index.html";
        let html = page(&out, rel);
        let rows = rows(&html);
        let count_in = |label: &str| -> usize {
            let n = label.rsplit('(').next().unwrap().trim_end_matches(')');
            n.parse().unwrap()
        };
        // The views are links to #view-KEY, each with the stylesheet's rule.
        let style = text(html.select(&sel("head style")).next().unwrap());
        for a in html.select(&sel(".tracker-views a[data-view]")) {
            let view = a.value().attr("data-view").unwrap();
            let shown = match view.split_once('-') {
                None if view.is_empty() => rows.len(),
                None => rows.iter().filter(|r| r.overdue).count(),
                Some(("status", key)) => rows.iter().filter(|r| r.status == key).count(),
                Some(("document", key)) => rows.iter().filter(|r| r.document == key).count(),
                Some(_) => panic!("{rel}: unknown view {view}"),
            };
            assert_eq!(count_in(&text(a)), shown, "{rel}: view {view:?}");
            if !view.is_empty() {
                assert_eq!(a.value().attr("href"), Some(&*format!("#view-{view}")));
                assert!(html.select(&sel(&format!("#view-{view}"))).next().is_some());
                assert!(
                    style.contains(&format!("#view-{view}:target")),
                    "{rel}: {view}"
                );
            }
        }
        let options = |name: &str| -> Vec<(String, usize)> {
            html.select(&sel(&format!("select[name={name}] option")))
                .filter(|o| !o.value().attr("value").unwrap().is_empty())
                .map(|o| {
                    (
                        o.value().attr("value").unwrap().to_string(),
                        count_in(&text(o)),
                    )
                })
                .collect()
        };
        for (key, n) in options("status") {
            assert_eq!(rows.iter().filter(|r| r.status == key).count(), n, "{key}");
        }
        let leads = options("lead");
        assert!(leads.len() > 10, "{leads:?}");
        for (key, n) in leads {
            assert_eq!(
                rows.iter().filter(|r| r.leads.contains(&key)).count(),
                n,
                "{key}"
            );
            // A lead's key is its page's folder.
            assert!(
                out.join("leads").join(&key).join("index.html").is_file(),
                "{key}"
            );
        }
    }
}

/// Every link in a tracker reaches a page, and every fragment an id on it.
#[test]
fn every_link_in_a_tracker_resolves() {
    let (_dir, out) = build_into_temp(&repo());
    {
        let rel = "tracker/index.html";
        let html = page(&out, rel);
        let here = out.join(rel);
        let dir = here.parent().unwrap();
        let mut checked = 0;
        for a in html.select(&sel("main a[href], script[src]")) {
            let href = a.value().attr("href").or(a.value().attr("src")).unwrap();
            let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
            let target = if file.is_empty() {
                here.clone()
            } else {
                dir.join(file)
            };
            assert!(target.is_file(), "{rel}: {href} is not a file");
            if !fragment.is_empty() && !fragment.contains('=') {
                let ids = ids(&target);
                assert!(ids.contains(fragment), "{rel}: no #{fragment} in {file}");
            }
            checked += 1;
        }
        assert!(checked > 27, "{rel}: {checked}");
    }
}

fn ids(path: &Path) -> BTreeSet<String> {
    let html = Html::parse_document(&fs::read_to_string(path).unwrap());
    html.select(&sel("[id]"))
        .map(|e: ElementRef| e.value().attr("id").unwrap().to_string())
        .collect()
}

/// With agencies declared, each row names the agencies of its leads and
/// the agency filter counts them.
#[test]
fn rows_name_their_leads_agencies() {
    let dir = tempfile::tempdir().unwrap();
    let root = example_edited(
        dir.path(),
        "board.yaml",
        "  - name: West Mercia Police\n",
        "  - name: West Mercia Police\n    id: police\n    leads: [Tina McGrath]\n",
    );
    let (_out_dir, out) = build_into_temp(&root);
    let html = page(&out, "tracker/index.html");
    let rows = rows(&html);
    let police: Vec<&Row> = rows
        .iter()
        .filter(|r| r.agencies.contains(&"police".into()))
        .collect();
    assert!(!police.is_empty());
    let agency = page(&out, "agencies/police/index.html");
    let on_agency_page = agency
        .select(&sel("main table.milestones tbody tr"))
        .count();
    assert_eq!(police.len(), on_agency_page);
    let option = html
        .select(&sel("select[name=agency] option[value=police]"))
        .next()
        .map(common::text)
        .unwrap();
    assert_eq!(option, format!("West Mercia Police ({})", police.len()));
    assert!(
        police
            .iter()
            .all(|r| r.leads.iter().any(|l| l.starts_with("tina-mcgrath")))
    );
}

/// A status label as the tracker's filter key ("Amber: at risk" →
/// `amber-at-risk`).
fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.to_lowercase().chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A site of several boards has a tracker of its own: each board's counts
/// by rating and overdue, each linking to that view of the board's tracker,
/// with the same count as the view says.
#[test]
fn a_multi_board_sites_tracker_counts_each_boards_views() {
    let dir = tempfile::tempdir().unwrap();
    let root = two_board_site(dir.path());
    let (_out_dir, out) = build_into_temp(&root);
    let site = page(&out, "tracker/index.html");
    let mut checked = 0;
    for tr in site.select(&sel("main tbody tr")) {
        let board_href = attr_of(tr, "th a", "href");
        let board = board_href
            .trim_start_matches("../")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let tracker = page(&out, &format!("{board}/tracker/index.html"));
        let total = tracker.select(&sel(".tracker-table tbody tr")).count();
        let cells: Vec<String> = tr.select(&sel("td")).map(common::text).collect();
        assert_eq!(cells[0], total.to_string(), "{board}");
        for a in tr.select(&sel("td a")) {
            let href = a.value().attr("href").unwrap();
            let view = href.rsplit('#').next().unwrap();
            let link = tracker
                .select(&sel(&format!(".tracker-views a[href='#{view}']")))
                .next()
                .unwrap_or_else(|| panic!("{board} has no view {view}"));
            let n = text(link)
                .rsplit('(')
                .next()
                .unwrap()
                .trim_end_matches(')')
                .to_string();
            assert_eq!(text(a), n, "{board} {view}");
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked}");
    let index = page(&out, "index.html");
    assert!(
        index
            .select(&sel("main a[href='tracker/index.html']"))
            .next()
            .is_some()
    );
}

/// The built-in theme's tracker rows are written by boardpress itself, not
/// through Tera: they must be the rows `tracker_row.html` renders (see
/// `rows_as_the_template_renders`). Over sites with and without agencies,
/// links, ratings, reports that rate a plan's milestones, overdue
/// milestones and monitoring groups.
#[test]
fn the_rows_boardpress_writes_are_the_rows_the_template_renders() {
    let dir = tempfile::tempdir().unwrap();
    let example = example_with_agency(dir.path());
    let mut seen = String::new();
    let sites = std::iter::once((example, "example")).chain(test_sites());
    for (root, site) in sites {
        let (pages, marks) =
            rows_as_the_template_renders(dir.path(), &root, site, "tracker_row.html");
        let tracker = &pages
            .iter()
            .find(|(p, _)| p == "tracker/index.html")
            .unwrap()
            .1;
        let rows = tracker.matches("<tr data-document").count();
        assert!(rows > 0, "{site}: no rows");
        assert_eq!(marks, rows, "{site}");
        seen.push_str(tracker);
    }
    // Every branch of the row was taken somewhere.
    for part in [
        "data-label=\"Agency\"",
        "data-overdue=\"\"",
        "<span class=\"muted\">In <a href=",
        "<span class=\"muted\">No status</span>",
        "<span class=\"muted\">Monitored by ",
        "<th scope=\"row\" class=\"milestone__text\"><a href=",
        "<th scope=\"row\" class=\"milestone__text\">A",
        "&#x27;",
        "&amp;",
    ] {
        assert!(seen.contains(part), "no row has {part:?}");
    }
}
