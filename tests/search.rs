//! The board's search index: every document, section and plan milestone,
//! each linking to an id that is on its page. (tests/browser/partners.test.js
//! searches it in Chromium.)

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::*;

/// The search entries of every document (`<document>/search.js`, which
/// the search page loads), by link from the board's root.
fn entries(out: &Path) -> serde_json::Map<String, serde_json::Value> {
    let scripts: Vec<String> = page(out, "search/index.html")
        .select(&sel("script[src]"))
        .map(|s| s.value().attr("src").unwrap().to_string())
        .collect();
    let mut by_link = serde_json::Map::new();
    for dir in fs::read_dir(out).unwrap() {
        let dir = dir.unwrap().path();
        // The theme's own static/search.js is the page's script.
        if dir.ends_with("static") {
            continue;
        }
        let file = dir.join("search.js");
        let Ok(script) = fs::read_to_string(&file) else {
            continue;
        };
        let folder = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let src = format!("../{folder}/search.js");
        assert!(
            scripts.contains(&src),
            "the search page does not load {src}"
        );
        let json = script
            .strip_prefix("window.boardpressSearch = (window.boardpressSearch || []).concat(")
            .and_then(|s| s.trim_end().strip_suffix(");"))
            .expect("a script adding to window.boardpressSearch");
        let data: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
        for e in data {
            let link = e["r"].as_str().unwrap().to_string();
            assert!(by_link.insert(link.clone(), e).is_none(), "{link} twice");
        }
    }
    by_link
}

#[test]
fn every_milestone_and_section_is_found_at_its_place() {
    let (_dir, out) = build_into_temp(&repo());
    let entries = entries(&out);
    let plan = page(&out, "business-plan-2012-13/index.html");
    let milestones: BTreeSet<String> = plan
        .select(&sel("table.milestones tbody tr[id]"))
        .map(|tr| {
            format!(
                "business-plan-2012-13/index.html#{}",
                tr.value().attr("id").unwrap()
            )
        })
        .collect();
    assert_eq!(milestones.len(), 27);
    for m in &milestones {
        assert!(entries.contains_key(m), "{m} is not searchable");
    }
    for section in plan.select(&sel("main section.narrative")) {
        let id = section.value().attr("aria-labelledby").unwrap();
        let href = format!("business-plan-2012-13/index.html#{id}");
        assert!(entries.contains_key(&href), "{href} is not searchable");
    }
    for href in entries.keys() {
        let (file, id) = href.split_once('#').unwrap_or((href, ""));
        let html = fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{href}: {e}"));
        if !id.is_empty() {
            assert!(
                html.contains(&format!(" id=\"{id}\"")),
                "{href}: no such id"
            );
        }
    }
    // A report's milestones are its plan's: each is listed once.
    assert!(!entries.keys().any(|k| k.contains("#progress-")));
    let mash = &entries["business-plan-2012-13/index.html#mash-model"];
    assert_eq!(mash["t"], "Model for Herefordshire MASH agreed.");
    assert!(mash["x"].as_str().unwrap().starts_with("Led by "));
}

#[test]
fn markup_in_a_title_stays_text_in_the_search_entries() {
    // Results are made with textContent in search.js; the index itself is
    // JSON, so text with markup stays text.
    let dir = tempfile::tempdir().unwrap();
    let root = example_edited(
        dir.path(),
        "documents/business-plan-2012-13/document.yaml",
        "title: Business Plan 2012-2013",
        "title: \"</script><b>x</b> Business Plan\"",
    );
    let (_out_dir, out) = build_into_temp(&root);
    let found = entries(&out);
    let title = found["business-plan-2012-13/index.html"]["t"]
        .as_str()
        .unwrap();
    assert!(title.starts_with("</script><b>x</b>"), "{title}");
}
