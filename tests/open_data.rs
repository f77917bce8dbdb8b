//! Open data: `actions.csv` and `actions.json` for each document, board and
//! multi-board site, read back as a spreadsheet or a program would.

mod common;

use std::fs;
use std::path::Path;

use common::*;

const COLUMNS: [&str; 17] = [
    "board",
    "document",
    "document_title",
    "kind",
    "period",
    "as_at",
    "priority_number",
    "priority",
    "milestone_id",
    "milestone",
    "leads",
    "monitored_by",
    "timescale",
    "due",
    "status_id",
    "status_label",
    "url",
];

fn starter(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    boardpress::init::init(&root).unwrap();
    root
}

/// The CSV's rows must be the JSON's, cell for cell: a missing value is an
/// empty cell, and a cell a spreadsheet would run as a formula gets a `'`.
fn same_records(out: &Path, folder: &str) -> Vec<Vec<String>> {
    let (header, rows) = actions_csv(out, &format!("{folder}actions.csv"));
    assert_eq!(header, COLUMNS);
    let json = actions_json(out, &format!("{folder}actions.json"));
    assert_eq!(rows.len(), json.len(), "{folder}");
    for (row, object) in rows.iter().zip(&json) {
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        let mut sorted = COLUMNS.to_vec();
        sorted.sort();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort();
        assert_eq!(keys_sorted, sorted);
        for (column, cell) in COLUMNS.iter().zip(row) {
            let value = match &object[*column] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => panic!("{column} is {other}, not text"),
            };
            let safe = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{value}")
            } else {
                value
            };
            assert_eq!(*cell, safe, "{folder}: {column}");
        }
    }
    rows
}

fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = COLUMNS.iter().position(|c| *c == name).unwrap();
    rows.iter().map(|r| r[i].clone()).collect()
}

/// The count a document's page gives of its milestones.
fn milestone_count(out: &Path, page_path: &str) -> usize {
    let page = page(out, page_path);
    let meta = page
        .select(&sel(".meta div"))
        .find(|d| text(*d).starts_with("Milestones"))
        .expect("no milestone count");
    text(meta)
        .trim_start_matches("Milestones")
        .trim()
        .parse()
        .unwrap()
}

/// Every row's link leads to an existing page, and its `#` to an element
/// on that page.
fn links_resolve(out: &Path, folder: &str, rows: &[Vec<String>]) {
    for url in column(rows, "url") {
        let (file, fragment) = url.split_once('#').unwrap_or((&url, ""));
        let target = format!("{folder}{file}");
        assert!(out.join(&target).is_file(), "{folder}actions.csv: {url}");
        if !fragment.is_empty() {
            let page = page(out, &target);
            assert!(
                page.select(&sel(&format!("[id=\"{fragment}\"]")))
                    .next()
                    .is_some(),
                "{target} has no #{fragment}"
            );
        }
    }
}

#[test]
fn each_document_and_the_board_have_the_same_rows_in_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let (_out_dir, out) = build_into_temp(&starter(dir.path()));
    let mut all = 0;
    for doc in ["business-plan-2025-26", "annual-report-2025-26"] {
        let folder = format!("{doc}/");
        let rows = same_records(&out, &folder);
        assert_eq!(
            rows.len(),
            milestone_count(&out, &format!("{doc}/index.html"))
        );
        assert!(column(&rows, "document").iter().all(|d| d == doc));
        links_resolve(&out, &folder, &rows);
        all += rows.len();
        // The document's page links both files.
        let page = page(&out, &format!("{doc}/index.html"));
        let hrefs: Vec<&str> = page
            .select(&sel(".print-link a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(hrefs.contains(&"actions.csv") && hrefs.contains(&"actions.json"));
    }
    let rows = same_records(&out, "");
    assert_eq!(rows.len(), all);
    links_resolve(&out, "", &rows);
    let home = page(&out, "index.html");
    let links: Vec<String> = home.select(&sel(".open-data a")).map(text).collect();
    assert_eq!(
        links,
        [
            "Download the actions as CSV",
            "Download the actions as JSON"
        ]
    );
    // A one-board site's root is the board's: no second pair of files.
    let plan = column(
        &same_records(&out, "business-plan-2025-26/"),
        "milestone_id",
    );
    assert_eq!(
        plan,
        ["toolkit-training", "toolkit-audit", "advisory-group"]
    );
    let report = same_records(&out, "annual-report-2025-26/");
    assert_eq!(column(&report, "status_id")[0], "complete");
    assert_eq!(column(&report, "as_at")[0], "2026-03-31");
}

#[test]
fn a_formula_in_a_milestone_or_lead_is_only_text_in_a_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let plan = root.join("content/documents/business-plan-2025-26/plan.yaml");
    let text = fs::read_to_string(&plan).unwrap();
    assert!(text.contains("Audit 30 cases"));
    let text = text
        .replacen("Audit 30 cases", "=SUM(A1:A9) cases", 1)
        .replacen("QA Sub-group", "\"@QA Sub-group\"", 1);
    fs::write(&plan, text).unwrap();
    let (_out_dir, out) = build_into_temp(&root);
    let rows = same_records(&out, "business-plan-2025-26/");
    let milestones = column(&rows, "milestone");
    assert!(
        milestones.contains(&"'=SUM(A1:A9) cases for use of the toolkit.".to_string()),
        "{milestones:?}"
    );
    assert!(column(&rows, "leads").iter().any(|l| l.starts_with("'@QA")));
    let json = actions_json(&out, "business-plan-2025-26/actions.json");
    assert!(
        json.iter()
            .any(|r| r["milestone"] == "=SUM(A1:A9) cases for use of the toolkit.")
    );
    // No cell of any file is left that a spreadsheet would run.
    for folder in ["", "business-plan-2025-26/", "annual-report-2025-26/"] {
        let (_, rows) = actions_csv(&out, &format!("{folder}actions.csv"));
        for cell in rows.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
    }
}

#[test]
fn a_site_of_several_boards_has_each_boards_rows_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (_out_dir, out) = build_into_temp(&two_board_site(dir.path()));
    let mut all = 0;
    for board in ["northamptonshire", "city-and-hackney"] {
        let rows = same_records(&out, &format!("{board}/"));
        assert!(!rows.is_empty());
        links_resolve(&out, &format!("{board}/"), &rows);
        all += rows.len();
        for doc in column(&rows, "document") {
            let doc_rows = same_records(&out, &format!("{board}/{doc}/"));
            assert_eq!(
                doc_rows.len(),
                milestone_count(&out, &format!("{board}/{doc}/index.html"))
            );
        }
    }
    assert!(all > 0);
    // No site-wide pair: it would hold every board's rows in memory.
    assert!(!out.join("actions.csv").exists());
    let rows = same_records(&out, "northamptonshire/");
    // Ids are unique within a document, made from the place of those
    // without their own.
    let ids = column(&rows, "milestone_id");
    let docs = column(&rows, "document");
    let derived: Vec<&String> = ids.iter().filter(|id| id.contains('/')).collect();
    assert!(!derived.is_empty());
    for id in &derived {
        let parts: Vec<&str> = id.split('/').collect();
        assert_eq!(parts.len(), 3, "{id}");
        assert!(docs.iter().any(|d| d == parts[0]), "{id}");
        assert!(parts[2].parse::<usize>().unwrap() >= 1, "{id}");
    }
    assert!(derived.iter().any(|id| id.ends_with("/1")));
    let mut seen = std::collections::BTreeSet::new();
    for (doc, id) in docs.iter().zip(&ids) {
        assert!(seen.insert((doc, id)), "{doc}: {id} twice");
    }
}
