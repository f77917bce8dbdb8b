//! Snapshots of what a reader gets: for every page of the three example
//! sites, its `<main>` element, and for every chart, its SVG (in a separate
//! `…__charts` snapshot per page). A change to a
//! template, the Markdown rendering or a chart shows up as a diff of
//! `tests/snapshots/*.snap` to review.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --test snapshots`
//! (or `cargo insta review` with cargo-insta), then read `git diff`. Locally a
//! difference writes `*.snap.new` beside the snapshot and fails; with `CI` set
//! insta writes nothing and fails. A snapshot whose page is no longer made
//! fails too, so the folder never keeps snapshots of pages that are gone.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use common::*;
use scraper::Html;

/// Stands in for a chart's SVG in a page's snapshot; the SVG itself is in
/// the page's `…__charts` snapshot, so that a chart change is one diff.
const CHART_PLACEHOLDER: &str = "<svg class=\"chart__svg\"><!-- in the __charts snapshot --></svg>";

/// The HTML pages under `out`, as sorted paths relative to it.
fn pages(out: &Path) -> Vec<String> {
    let mut found: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    found.sort();
    // Lead and agency pages share one template and differ only in their
    // rows (which tests/leads.rs checks): the first of each is kept. So do
    // a document's tracker and the board's (tests/tracker.rs): the board's
    // is kept.
    let mut seen = BTreeSet::new();
    found.retain(|rel| {
        let parts: Vec<&str> = rel.split('/').collect();
        match parts[..] {
            [folder @ ("leads" | "agencies"), _, "index.html"] => seen.insert(folder.to_string()),
            [_, "tracker", "index.html"] => false,
            _ => true,
        }
    });
    found
}

/// A snapshot name from a site and a page path: `site__folder__page`.
fn name(site: &str, rel: &str) -> String {
    let stem = rel.strip_suffix(".html").unwrap_or(rel);
    format!("{site}__{}", stem.replace('/', "__"))
}

/// The page's `<main>` with each chart's SVG replaced by a placeholder, and
/// the SVGs themselves, in page order.
fn main_and_charts(html: &Html, rel: &str) -> (String, Vec<String>) {
    let main_sel = sel("main");
    let mut mains = html.select(&main_sel);
    let main = mains
        .next()
        .unwrap_or_else(|| panic!("{rel} has no <main>"));
    assert!(mains.next().is_none(), "{rel} has more than one <main>");
    let mut markup = main.html();
    let charts: Vec<String> = main
        .select(&sel("svg.chart__svg"))
        .map(|s| s.html())
        .collect();
    for svg in &charts {
        markup = markup.replacen(svg.as_str(), CHART_PLACEHOLDER, 1);
    }
    (markup, charts)
}

fn snapshot_site(site: &str, root: &Path) {
    let (_tmp, out) = build_into_temp(root);
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.set_prepend_module_to_snapshot(false);
    let mut names = BTreeSet::new();
    let mut failed = Vec::new();
    let pages = pages(&out);
    assert!(!pages.is_empty(), "{site}: no pages");
    for rel in &pages {
        let html = Html::parse_document(&fs::read_to_string(out.join(rel)).unwrap());
        let (main, charts) = main_and_charts(&html, rel);
        let mut snaps = vec![(name(site, rel), main)];
        if !charts.is_empty() {
            snaps.push((format!("{}__charts", name(site, rel)), charts.join("\n\n")));
        }
        for (snap, value) in snaps {
            // Every page is compared even when one differs, so that one run
            // writes every `.snap.new` to review.
            settings.set_description(format!("{site}: {rel}"));
            let ok = catch_unwind(AssertUnwindSafe(|| {
                settings.bind(|| insta::assert_snapshot!(snap.as_str(), value));
            }));
            if ok.is_err() {
                failed.push(snap.clone());
            }
            names.insert(snap);
        }
    }
    let prefix = format!("{site}__");
    let stale: Vec<String> = fs::read_dir(repo().join("tests/snapshots"))
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter_map(|f| f.strip_suffix(".snap").map(str::to_string))
        .filter(|n| n.starts_with(&prefix) && !names.contains(n))
        .collect();
    assert!(
        failed.is_empty(),
        "{site}: {} snapshot(s) differ: {failed:?}. If the change is intended, accept it with \
         `INSTA_UPDATE=always cargo test --test snapshots` and review `git diff tests/snapshots`",
        failed.len()
    );
    assert!(
        stale.is_empty(),
        "{site}: tests/snapshots/ holds snapshots this test no longer makes (a page or its charts are gone); delete them: {stale:?}"
    );
}

#[test]
fn herefordshire_pages() {
    snapshot_site("herefordshire", &repo());
}

#[test]
fn northamptonshire_pages() {
    snapshot_site(
        "northamptonshire",
        &repo().join("tests/sites/northamptonshire"),
    );
}

#[test]
fn city_and_hackney_pages() {
    snapshot_site(
        "city-and-hackney",
        &repo().join("tests/sites/city-and-hackney"),
    );
}
