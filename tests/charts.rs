//! Charts as a reader gets them: each SVG is well-formed, labelled, has one
//! line per area, and the table under it holds the CSV's numbers.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use scraper::{ElementRef, Html};

/// Check one figure's SVG and return its data table as rows of cell text.
fn check_figure(fig: ElementRef, areas: usize) -> Vec<Vec<String>> {
    let svg = fig.select(&sel("svg.chart__svg")).next().expect("an SVG");
    let xml = svg.html();
    let doc = roxmltree::Document::parse(&xml)
        .unwrap_or_else(|e| panic!("SVG is not well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .expect("<title>");
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .expect("<desc>");
    assert!(!title.text().unwrap_or("").is_empty() && !desc.text().unwrap_or("").is_empty());
    let labelled_by = root.attribute("aria-labelledby").unwrap();
    for id in labelled_by.split(' ') {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "aria-labelledby points at {id}"
        );
    }
    let paths = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("series"))
        .count();
    assert_eq!(paths, areas, "one series path per area");
    assert!(
        fig.select(&sel("figcaption .chart__title"))
            .next()
            .is_some()
    );
    assert!(fig.select(&sel(".chart__source")).next().is_some());
    let summary = text(fig.select(&sel(".chart__summary")).next().unwrap());
    assert!(summary.len() > 20, "a summary sentence: {summary}");
    fig.select(&sel("details table tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect()
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn herefordshire_context_has_both_charts_with_the_csv_figures() {
    let (_tmp, out) = build_into_temp(&repo());
    let html = page(&out, "business-plan-2012-13/index.html");
    let context = html
        .select(&sel("section.narrative"))
        .find(|s| s.value().attr("aria-labelledby") == Some("30-context"))
        .unwrap();
    let figures: Vec<ElementRef> = context.select(&sel("figure.chart")).collect();
    assert_eq!(figures.len(), 2);
    for (fig, name, areas) in [(figures[0], "cp-plans", 1), (figures[1], "lac-trend", 3)] {
        let table = check_figure(fig, areas);
        assert_eq!(
            table,
            csv_rows(&repo().join(format!("content/data/{name}.csv"))),
            "{name}: table = CSV"
        );
    }
    let summary = text(figures[0].select(&sel(".chart__summary")).next().unwrap());
    assert_eq!(
        summary,
        "Herefordshire: rose from 128 in 2008 to a peak of 235 in 2011, then fell to 160 in Q1 2011-12."
    );
    assert!(
        text(figures[1].select(&sel(".chart__source")).next().unwrap()).contains("illustrative")
    );
    let ids: Vec<&str> = html
        .select(&sel("[id]"))
        .map(|e| e.value().attr("id").unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "ids are unique on the page");
}

#[test]
fn dfe_layout_with_suppressed_cells_becomes_gaps_and_notes() {
    let (_tmp, out) = build_into_temp(&repo().join("tests/sites/northamptonshire"));
    let html = page(&out, "business-plan-2010-11/index.html");
    let fig = html
        .select(&sel("section.key-figures figure.chart"))
        .next()
        .expect("key figure");
    let table = check_figure(fig, 3);
    assert_eq!(
        table[0],
        ["2017", "59", "48", "62"],
        "median of 36 and 59 (47.5), given as whole numbers like its figures; Herefordshire suppressed"
    );
    assert_eq!(
        table[2],
        ["2019", "no figure", "67", "65"],
        "not available is a gap, not zero"
    );
    let notes = text(fig.select(&sel(".chart__notes")).next().unwrap());
    assert!(
        notes.contains("Northamptonshire, 2019: no figure, not available"),
        "{notes}"
    );
    assert!(notes.contains("figures for 2 of 3 neighbours"), "{notes}");
}

#[test]
fn status_chart_counts_milestones_by_the_documents_own_key() {
    let (_tmp, out) = build_into_temp(&repo().join("tests/sites/northamptonshire"));
    let html = page(&out, "business-plan-2010-11/index.html");
    let fig = html
        .select(&sel("#status-chart"))
        .next()
        .expect("status chart");
    let title = text(fig.select(&sel(".chart__title")).next().unwrap());
    assert_eq!(title, "63 of 64 milestones: Not started (Blue)");
    let rows: Vec<Vec<String>> = fig
        .select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect();
    assert_eq!(rows[0][1..], ["14", "0", "0", "1"]);
    let legend: Vec<String> = fig.select(&sel(".chart__legend li")).map(text).collect();
    assert_eq!(
        legend,
        ["Not started (Blue)", "On track (Green)"],
        "statuses named by meaning and colour word, none that no milestone has"
    );
    let svg = fig.select(&sel("svg")).next().unwrap().html();
    roxmltree::Document::parse(&svg).expect("well-formed");
    assert!(
        svg.contains(">Not started (Blue) 28<"),
        "segments carry status and count where they fit"
    );
}

/// The Department for Education's own files, read as published
/// (`tests/data/dfe/`): a board against its statistical neighbours (from the
/// SN model) and England.
#[test]
fn real_dfe_files_are_read_as_published() {
    let dfe = repo().join("tests/data/dfe");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    boardpress::init::init(&root).unwrap();
    let data = root.join("content/data");
    fs::create_dir_all(&data).unwrap();
    for f in [
        "cla_number_and_rate_per_10k_children.csv",
        "d5_cpps_at31march_by_duration_2013_to_2025.csv",
        "sn_model_2025_wide.csv",
    ] {
        fs::copy(dfe.join(f), data.join(f)).unwrap_or_else(|e| panic!("tests/data/dfe/{f}: {e}"));
    }
    fs::write(
        data.join("cla.yaml"),
        "title: Herefordshire looks after more children than similar areas\nmeasure: rate-per-10000\nsource: Department for Education\ndfe:\n  file: cla_number_and_rate_per_10k_children.csv\n  column: rate_per_10000\n  filter: {population_type: Children looked after on 31 March each year}\n  local_authority: \"Herefordshire, County of\"\n  neighbours_from: sn_model_2025_wide.csv\n  england: true\n",
    )
    .unwrap();
    fs::write(
        data.join("cpp.yaml"),
        "title: Fewer children on plans\nmeasure: count\nsource: Department for Education\ndfe:\n  file: d5_cpps_at31march_by_duration_2013_to_2025.csv\n  column: CPP_At31\n  local_authority: E06000019\n  neighbours_from: sn_model_2025_wide.csv\n",
    )
    .unwrap();
    let doc = root.join("content/documents/business-plan-2025-26/document.yaml");
    let yaml = fs::read_to_string(&doc)
        .unwrap()
        .replace("status_key:", "charts: [cla, cpp]\nstatus_key:");
    fs::write(&doc, yaml).unwrap();
    let (_tmp, out) = build_into_temp(&root);
    let html: Html = page(&out, "business-plan-2025-26/index.html");
    let figs: Vec<ElementRef> = html.select(&sel("section.key-figures figure")).collect();
    let cla = check_figure(figs[0], 3);
    let last = cla.last().unwrap();
    assert_eq!(
        (last[0].as_str(), last[1].as_str(), last[3].as_str()),
        ("2025", "100", "67")
    );
    let cpp = check_figure(figs[1], 2);
    assert_eq!(cpp.first().unwrap()[0], "2013");
    let y2025 = cpp.iter().find(|r| r[0] == "2025").unwrap();
    assert_eq!(y2025[1], "139");
}

#[test]
fn an_adults_board_names_its_own_measure() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    boardpress::init::init(&root).unwrap();
    let data = root.join("content/data");
    fs::create_dir_all(&data).unwrap();
    fs::write(data.join("s42.yaml"), "title: More section 42 enquiries\nmeasure: rate-per-10000\nmeasure_label: Rate per 100,000 adults\nsource: Illustrative\nareas:\n  - column: local\n").unwrap();
    fs::write(data.join("s42.csv"), "period,local\n2023,210\n2024,240\n").unwrap();
    let doc = root.join("content/documents/business-plan-2025-26/document.yaml");
    let yaml = fs::read_to_string(&doc)
        .unwrap()
        .replace("status_key:", "charts: [s42]\nstatus_key:");
    fs::write(&doc, yaml).unwrap();
    let (_tmp, out) = build_into_temp(&root);
    let html = page(&out, "business-plan-2025-26/index.html");
    let fig = html
        .select(&sel("section.key-figures figure"))
        .next()
        .unwrap();
    let subtitle = text(fig.select(&sel(".chart__subtitle")).next().unwrap());
    assert!(
        subtitle.starts_with("Rate per 100,000 adults"),
        "{subtitle}"
    );
    assert!(!fig.html().contains("10,000 children"));
}

/// Every chart's data table has a CSV beside the page with the same
/// headers and rows: numbers as numbers (no thousands separators or `%`),
/// codes as published, nothing where the table says "no figure".
#[test]
fn each_charts_data_downloads_as_the_csv_of_its_table() {
    let (_dir, out) = build_into_temp(&repo());
    let mut checked = 0;
    for doc in ["business-plan-2012-13", "annual-report-2012-13"] {
        {
            let html = page(&out, &format!("{doc}/index.html"));
            for fig in html.select(&sel("figure.chart")) {
                let href = attr_of(fig, ".chart__download a", "href");
                let bytes = fs::read(out.join(doc).join(&href))
                    .unwrap_or_else(|e| panic!("{doc}/{href}: {e}"));
                let body = bytes
                    .strip_prefix(b"\xEF\xBB\xBF")
                    .expect("a byte order mark");
                let mut reader = csv::Reader::from_reader(body);
                let header: Vec<String> =
                    reader.headers().unwrap().iter().map(String::from).collect();
                let shown: Vec<String> = fig.select(&sel("thead th")).map(text).collect();
                assert_eq!(header, shown, "{doc}/{href}");
                let rows: Vec<Vec<String>> = reader
                    .records()
                    .map(|r| r.unwrap().iter().map(String::from).collect())
                    .collect();
                let table: Vec<Vec<String>> = fig
                    .select(&sel("tbody tr"))
                    .map(|tr| {
                        tr.select(&sel("th, td"))
                            .map(|c| {
                                let t = text(c);
                                let n = t.replace(',', "").trim_end_matches('%').to_string();
                                match t.as_str() {
                                    "no figure" => String::new(),
                                    _ if n.parse::<f64>().is_ok() => n,
                                    _ => t,
                                }
                            })
                            .collect()
                    })
                    .collect();
                assert_eq!(rows, table, "{doc}/{href}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "{checked} charts");
}
