//! The three real plans in the repository build with nothing lost: every
//! milestone's text, leads, timescale and status from the seed appears in the
//! built page, under the right priority, in order.
//!
//! `tests/expected/<site>.tsv` lists the milestones as transcribed from the
//! seed documents (independently of the YAML). Each row's text is also looked
//! up in the seed itself, when the seeds are beside the repository.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use scraper::ElementRef;

#[derive(Debug, PartialEq, Eq)]
struct Row {
    priority: String,
    text: String,
    leads: String,
    timescale: String,
    status: String,
}

fn expected(name: &str) -> Vec<Row> {
    let tsv = std::fs::read_to_string(repo().join(format!("tests/expected/{name}.tsv"))).unwrap();
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let col = |i: usize| normalise(cols.get(i).copied().unwrap_or(""));
            Row {
                priority: col(0),
                text: col(1),
                leads: col(2),
                timescale: col(3),
                status: col(4),
            }
        })
        .collect()
}

/// Read every milestone row from a document page, with its priority number.
fn rendered(out: &Path, doc: &str) -> Vec<Row> {
    let html = page(out, &format!("{doc}/index.html"));
    let mut rows = Vec::new();
    for priority in html.select(&sel("section.priority")) {
        let number = text(priority.select(&sel(".priority__number")).next().unwrap());
        let number = number.rsplit(' ').next().unwrap().to_string();
        for table in priority.select(&sel("table.milestones")) {
            let headers: Vec<String> = table.select(&sel("thead th")).map(text).collect();
            for tr in table.select(&sel("tbody tr")) {
                rows.push(read_row(&number, &headers, tr));
            }
        }
    }
    rows
}

/// The rating as the plan prints it: a tag reads "Not started (Blue)", its
/// meaning then the board's own word, which the seed has.
fn board_word(tag: &str) -> String {
    match tag.rsplit_once(" (") {
        Some((_, word)) => word.trim_end_matches(')').to_string(),
        None => tag.to_string(),
    }
}

fn read_row(priority: &str, headers: &[String], tr: ElementRef) -> Row {
    let cells: BTreeMap<&str, String> = headers
        .iter()
        .skip(1)
        .zip(tr.select(&sel("td")))
        .map(|(h, td)| (h.as_str(), text(td)))
        .collect();
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| cells.get(n).cloned())
            .unwrap_or_default()
    };
    Row {
        priority: priority.to_string(),
        text: text(tr.select(&sel(".milestone__body")).next().unwrap()),
        leads: find(&["Lead officer", "Owner(s)", "Lead person or group", "Lead"]),
        timescale: find(&[
            "Timescales",
            "Completion date",
            "Timescale for completion",
            "Timescale",
        ]),
        status: board_word(&find(&["Progress BRAG rating", "Status"])),
    }
}

fn check_site(root: &Path, doc: &str, name: &str, seed: &str) {
    let (_tmp, out) = build_into_temp(root);
    let want = expected(name);
    let got = rendered(&out, doc);
    assert!(!want.is_empty());
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "{name}: milestone {} differs", i + 1);
    }
    assert_eq!(got.len(), want.len(), "{name}: number of milestones");
    check_against_seed(&want, seed);
}

/// Each milestone's opening words appear in the seed text as published.
fn check_against_seed(rows: &[Row], seed: &str) {
    let path = repo().join("tests/data/seeds").join(seed);
    let seed_text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Compared without spaces: PDF extraction splits words ("21 st").
    let squash = |s: &str| normalise(s).replace([' ', '*'], "");
    let seed_text = squash(&seed_text);
    for row in rows {
        let opening: String = row.text.split(' ').take(6).collect::<Vec<_>>().join(" ");
        assert!(
            seed_text.contains(&squash(&opening)),
            "not in {seed}: {opening:?}"
        );
    }
}

#[test]
fn herefordshire_example_has_every_milestone() {
    check_site(
        &repo(),
        "business-plan-2012-13",
        "herefordshire",
        "003_a062e2d7082c826b.txt",
    );
}

#[test]
fn northamptonshire_has_every_milestone_and_brag_rating() {
    let root = repo().join("tests/sites/northamptonshire");
    check_site(
        &root,
        "business-plan-2010-11",
        "northamptonshire",
        "002_dff4bd064c97a26a.txt",
    );
}

#[test]
fn city_and_hackney_has_every_milestone() {
    let root = repo().join("tests/sites/city-and-hackney");
    check_site(
        &root,
        "business-plan-2012-14",
        "city-and-hackney",
        "000_8275b6ca046bb7a6.txt",
    );
}

#[test]
fn herefordshire_narrative_matrix_and_signatures() {
    let (_tmp, out) = build_into_temp(&repo());
    let html = page(&out, "business-plan-2012-13/index.html");
    let body = text(html.select(&sel("main")).next().unwrap());
    for words in [
        "David McCallum",
        "Endorsed by Jo Davidson, Director of People's Services",
        "reaching a peak of 235",
        "This represents a decrease of 31.9%",
        "What did we do well last year?",
        "Increased effectiveness of multi-agency child protection arrangements in Herefordshire",
        "Quality assurance and learning from audit",
    ] {
        assert!(body.contains(words), "missing: {words}");
    }
    let matrix = html
        .select(&sel("table.matrix"))
        .next()
        .expect("priorities matrix");
    assert_eq!(
        matrix.select(&sel("tr")).count(),
        4,
        "outcome, priorities, action areas, core business"
    );
    let contents: Vec<String> = html.select(&sel("nav.contents a")).map(text).collect();
    assert!(
        contents.iter().any(|c| c.starts_with("Foreword")),
        "{contents:?}"
    );
    assert!(
        contents
            .iter()
            .any(|c| c.contains("Joint safeguarding arrangements")),
        "{contents:?}"
    );
}

/// Blue means "not yet started" in Northamptonshire's key: every tag says
/// so in words, the colour word second, and the key comes before the first
/// table of ratings rather than after them all.
#[test]
fn status_tags_say_what_each_rating_means() {
    let (_tmp, out) = build_into_temp(&repo().join("tests/sites/northamptonshire"));
    let html = page(&out, "business-plan-2010-11/index.html");
    let tags: BTreeSet<String> = html
        .select(&sel("table.milestones td .status"))
        .map(text)
        .collect();
    assert_eq!(
        tags,
        BTreeSet::from([
            "Not started (Blue)".to_string(),
            "On track (Green)".to_string()
        ])
    );
    let order: Vec<String> = html
        .select(&sel("#status-key, table.milestones"))
        .map(|e| e.value().name().to_string())
        .collect();
    assert_eq!(order.first().map(String::as_str), Some("h3"), "{order:?}");
    assert_eq!(html.select(&sel("#status-key")).count(), 1);
}

#[test]
fn northamptonshire_key_counts_and_glossary() {
    let (_tmp, out) = build_into_temp(&repo().join("tests/sites/northamptonshire"));
    let html = page(&out, "business-plan-2010-11/index.html");
    let key: Vec<String> = html
        .select(&sel(
            "#status-key + table tbody tr, section.status-key tbody tr",
        ))
        .map(text)
        .collect();
    assert!(
        key.iter()
            .any(|r| r == "Not started (Blue) Not yet started"),
        "{key:?}"
    );
    let first = html.select(&sel("section.priority")).next().unwrap();
    let summary = text(first.select(&sel(".status-summary")).next().unwrap());
    assert!(summary.contains("15 milestones"), "{summary}");
    assert!(summary.contains("Not started (Blue) 14"), "{summary}");
    assert!(summary.contains("On track (Green) 1"), "{summary}");
    let glossary = page(&out, "glossary/index.html");
    let terms: Vec<String> = glossary.select(&sel("dt")).map(text).collect();
    assert!(terms.contains(&"CYPPB".to_string()), "{terms:?}");
}

#[test]
fn city_and_hackney_standards_revisions_and_principles() {
    let (_tmp, out) = build_into_temp(&repo().join("tests/sites/city-and-hackney"));
    let html = page(&out, "business-plan-2012-14/index.html");
    let first_row = html
        .select(&sel("table.milestones tbody tr"))
        .next()
        .unwrap();
    let refs: Vec<String> = first_row
        .select(&sel(".standard-refs a"))
        .map(text)
        .collect();
    assert_eq!(refs, ["SAIT 14"]);
    let revised = html.select(&sel("abbr.revised")).count();
    assert_eq!(revised, 16);
    let standards = page(&out, "standards/index.html");
    assert_eq!(standards.select(&sel("tbody tr[id]")).count(), 21);
    let home = page(&out, "index.html");
    let principles = home.select(&sel("ul.principles > li")).count();
    assert_eq!(principles, 6);
    assert!(
        text(home.select(&sel(".vision")).next().unwrap()).contains("safest possible environment")
    );
}
