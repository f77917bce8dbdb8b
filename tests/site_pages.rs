//! The site's general pages: `404.html` and each board's accessibility
//! statement, linked from every page's footer, and the `site.yaml`
//! settings that turn them off.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn starter(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    boardpress::init::init(&root).unwrap();
    root
}

fn html_pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            rel.display().to_string().replace('\\', "/")
        })
        .collect();
    pages.sort();
    pages
}

/// Where a link on the page `from` leads, from the output root.
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for step in href.split('/') {
        match step {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Every page's footer link to the statement, resolved from the output root.
fn footer_links(out: &Path) -> Vec<(String, Option<String>)> {
    html_pages(out)
        .into_iter()
        .map(|p| {
            let page = page(out, &p);
            let link = page
                .select(&sel(".site-footer a"))
                .find(|a| text(*a) == "Accessibility statement")
                .map(|a| resolve(&p, a.value().attr("href").unwrap()));
            (p, link)
        })
        .collect()
}

#[test]
fn a_one_board_site_has_a_404_page_and_a_statement_linked_from_every_footer() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let (_out_dir, out) = build_into_temp(&root);
    let missing = page(&out, "404.html");
    assert_eq!(
        text(missing.select(&sel("h1")).next().unwrap()),
        "Page not found"
    );
    // In the site's layout, with the board's navigation, and links home.
    assert!(missing.select(&sel(".site-nav")).next().is_some());
    let home = missing
        .select(&sel("main a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(home, ["index.html"]);

    let links = footer_links(&out);
    assert!(links.len() >= 6, "{links:?}");
    for (page_path, link) in &links {
        assert_eq!(
            link.as_deref(),
            Some("accessibility/index.html"),
            "{page_path}"
        );
    }
    let statement = page(&out, "accessibility/index.html");
    let headings: Vec<String> = statement.select(&sel("h2, h3")).map(text).collect();
    for heading in [
        "How to report a problem or ask for another format",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ] {
        assert!(headings.iter().any(|h| h == heading), "{headings:?}");
    }
    let words = text(statement.select(&sel("main")).next().unwrap());
    // Never more than boardpress can promise.
    assert!(words.contains("partially compliant"), "{words}");
    assert!(!words.contains("fully compliant"));
    assert!(words.contains("has not yet been tested"));
    assert!(words.contains("Equality and Human Rights Commission"));
    assert_eq!(
        attr_of(
            statement.select(&sel("main")).next().unwrap(),
            "a[href^=\"mailto:\"]",
            "href"
        ),
        "mailto:safeguarding@example.gov.uk"
    );
}

#[test]
fn the_statement_says_what_board_yaml_gives_it_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let board = root.join("content/board.yaml");
    let text_before = fs::read_to_string(&board).unwrap();
    let text_after = text_before.replace(
        "  contact: safeguarding@example.gov.uk\n",
        "  contact: https://example.gov.uk/contact?a=1&b=2\n  last_reviewed: 2026-03-31\n  council_statement: https://example.gov.uk/accessibility\n  tested: Checked by the council's web team with **NVDA** in March 2026.\n  known_issues:\n    - \"Some older charts' descriptions are too short <script>alert(1)</script>\"\n",
    );
    assert_ne!(text_before, text_after);
    fs::write(&board, text_after).unwrap();
    let (_out_dir, out) = build_into_temp(&root);
    let html = fs::read_to_string(out.join("accessibility/index.html")).unwrap();
    assert!(!html.contains("<script>"), "raw HTML got through");
    let statement = page(&out, "accessibility/index.html");
    let main = statement.select(&sel("main")).next().unwrap();
    let issues: Vec<String> = main
        .select(&sel("#non-accessible + p + ul li"))
        .map(text)
        .collect();
    assert_eq!(issues.len(), 1, "{html}");
    assert!(issues[0].starts_with("Some older charts' descriptions are too short"));
    assert_eq!(
        attr_of(main, "a[href*=\"contact\"]", "href"),
        "https://example.gov.uk/contact?a=1&b=2"
    );
    assert_eq!(
        attr_of(main, "a[href$=\"/accessibility\"]", "href"),
        "https://example.gov.uk/accessibility"
    );
    assert_eq!(attr_of(main, "time", "datetime"), "2026-03-31");
    assert_eq!(text(main.select(&sel("strong")).next().unwrap()), "NVDA");
    assert!(!text(main).contains("has not yet been tested"));
}

#[test]
fn site_yaml_turns_either_page_off() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    fs::write(
        root.join("content/site.yaml"),
        "pages:\n  not_found: false\n  accessibility_statement: false\n",
    )
    .unwrap();
    let (_out_dir, out) = build_into_temp(&root);
    assert!(!out.join("404.html").exists());
    assert!(!out.join("accessibility").exists());
    for (page_path, link) in footer_links(&out) {
        assert_eq!(link, None, "{page_path}");
    }
    // One off, the other still made.
    fs::write(
        root.join("content/site.yaml"),
        "pages: { not_found: false }\n",
    )
    .unwrap();
    let (_out_dir, out) = build_into_temp(&root);
    assert!(!out.join("404.html").exists());
    assert!(out.join("accessibility/index.html").is_file());
}

#[test]
fn a_site_of_several_boards_has_one_404_page_and_a_statement_per_board() {
    let dir = tempfile::tempdir().unwrap();
    let (_out_dir, out) = build_into_temp(&two_board_site(dir.path()));
    let missing = page(&out, "404.html");
    assert_eq!(
        text(missing.select(&sel("h1")).next().unwrap()),
        "Page not found"
    );
    assert_eq!(
        attr_of(missing.root_element(), "main a", "href"),
        "index.html"
    );
    for board in ["northamptonshire", "city-and-hackney"] {
        assert!(!out.join(format!("{board}/404.html")).exists());
        let statement = page(&out, &format!("{board}/accessibility/index.html"));
        // No contact in these boards' board.yaml: the statement says so
        // plainly rather than inventing one.
        assert!(
            statement
                .select(&sel("main a[href^=\"mailto:\"]"))
                .next()
                .is_none()
        );
    }
    for (page_path, link) in footer_links(&out) {
        match page_path.split_once('/') {
            // The site's own pages (its tracker, shared agencies') belong
            // to no one board either.
            Some(("tracker" | "agencies", _)) => assert_eq!(link, None, "{page_path}"),
            Some((board, _)) => assert_eq!(
                link,
                Some(format!("{board}/accessibility/index.html")),
                "{page_path}"
            ),
            // The site's index and 404 page belong to no one board.
            None => assert_eq!(link, None, "{page_path}"),
        }
    }
}
