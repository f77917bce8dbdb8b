//! `sitemap.xml` and `feed.xml`: made only with the site's address in
//! site.yaml, well-formed XML, escaped, and dated from the documents.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn starter(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    boardpress::init::init(&root).unwrap();
    root
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .and_then(|c| c.text())
}

#[test]
fn without_the_sites_address_there_is_no_sitemap_or_feed() {
    let dir = tempfile::tempdir().unwrap();
    let (_out_dir, out) = build_into_temp(&starter(dir.path()));
    assert!(!out.join("sitemap.xml").exists());
    assert!(!out.join("feed.xml").exists());
}

#[test]
fn the_sitemap_lists_every_page_and_the_feed_every_dated_document() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    fs::write(
        root.join("content/site.yaml"),
        "title: \"Plans <&> reports\"\nurl: https://example.gov.uk/a&b\n",
    )
    .unwrap();
    let (_out_dir, out) = build_into_temp(&root);
    let base = "https://example.gov.uk/a&b/";

    let text = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let sitemaps = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((sitemaps, "urlset")));
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((sitemaps, "loc")))
        .filter_map(|n| n.text())
        .collect();
    let pages: Vec<String> = locs
        .iter()
        .map(|l| {
            l.strip_prefix(base)
                .unwrap_or_else(|| panic!("{l}"))
                .to_string()
        })
        .collect();
    for page in &pages {
        assert!(out.join(page).is_file(), "{page}");
    }
    for page in [
        "index.html",
        "business-plan-2025-26/index.html",
        "annual-report-2025-26/index.html",
        "accessibility/index.html",
    ] {
        assert!(pages.iter().any(|p| p == page), "{pages:?}");
    }
    assert!(!pages.iter().any(|p| p == "404.html"));

    let text = fs::read_to_string(out.join("feed.xml")).unwrap();
    let feed = roxmltree::Document::parse(&text).unwrap();
    let top = feed.root_element();
    assert!(top.has_tag_name((ATOM, "feed")));
    assert_eq!(child_text(top, "title"), Some("Plans <&> reports"));
    assert_eq!(child_text(top, "id"), Some(base));
    let entries: Vec<_> = top
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    let said: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                child_text(*e, "title").unwrap(),
                child_text(*e, "updated").unwrap(),
            )
        })
        .collect();
    // Newest first: the report's as_at (it has no published date), then
    // the plan's published date.
    assert_eq!(
        said,
        [
            ("Annual Report 2025-2026", "2026-03-31T00:00:00Z"),
            ("Business Plan 2025-2026", "2025-04-01T00:00:00Z"),
        ]
    );
    assert_eq!(child_text(top, "updated"), Some("2026-03-31T00:00:00Z"));
    for e in &entries {
        let href = e
            .children()
            .find(|c| c.has_tag_name((ATOM, "link")))
            .and_then(|l| l.attribute("href"))
            .unwrap();
        assert!(
            out.join(href.strip_prefix(base).unwrap()).is_file(),
            "{href}"
        );
        assert!(e.descendants().any(|n| n.has_tag_name((ATOM, "name"))));
    }
}

#[test]
fn a_site_of_several_boards_has_one_sitemap_and_feed_at_its_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = two_board_site(dir.path());
    fs::write(
        root.join("content/site.yaml"),
        "url: https://example.gov.uk\n",
    )
    .unwrap();
    let (_out_dir, out) = build_into_temp(&root);
    let text = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.gov.uk/index.html"));
    assert!(
        locs.contains(&"https://example.gov.uk/northamptonshire/business-plan-2010-11/index.html")
    );
    assert!(locs.contains(&"https://example.gov.uk/city-and-hackney/index.html"));
    let text = fs::read_to_string(out.join("feed.xml")).unwrap();
    roxmltree::Document::parse(&text).unwrap();
}
