//! `boardpress new` makes documents and sections that build as they are,
//! and `boardpress check --links` names each broken link with its page.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn boardpress(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boardpress"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn starter() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_boardpress"))
        .arg("init")
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::printed(&out));
    (dir, root)
}

#[test]
fn new_documents_and_sections_build_and_a_report_lists_its_plans_milestones() {
    let (_dir, root) = starter();
    let board_file = root.join("content/board.yaml");
    let board = std::fs::read_to_string(&board_file).unwrap();
    let board = board.replacen(
        "name: Example Safeguarding Children Partnership",
        "name: Ynys Môn Safeguarding Board",
        1,
    );
    std::fs::write(&board_file, board).unwrap();
    for args in [
        &["new", "plan", "business-plan-2026-27"][..],
        &["new", "report", "annual-report-2026-27"],
        &[
            "new",
            "section",
            "learning-from-reviews",
            "--document",
            "business-plan-2026-27",
        ],
    ] {
        let out = boardpress(&root, args);
        assert!(out.status.success(), "{args:?}: {}", common::printed(&out));
    }
    let docs = root.join("content/documents");
    let report = std::fs::read_to_string(docs.join("annual-report-2026-27/document.yaml")).unwrap();
    assert!(report.contains("plan: business-plan-2026-27"), "{report}");
    assert!(report.contains("as_at: 2027-03-31"), "{report}");
    let progress =
        std::fs::read_to_string(docs.join("annual-report-2026-27/progress.yaml")).unwrap();
    assert!(progress.contains("- id: milestone-one"), "{progress}");
    let intro =
        std::fs::read_to_string(docs.join("business-plan-2026-27/10-introduction.md")).unwrap();
    assert!(intro.contains("**Ynys Môn Safeguarding Board**"), "{intro}");
    // After the introduction (10) and the plan (20): the next ten.
    let section = docs.join("business-plan-2026-27/30-learning-from-reviews.md");
    let text = std::fs::read_to_string(&section).unwrap();
    assert!(
        text.contains("title: Learning from reviews\norder: 30\n"),
        "{text}"
    );

    let out = boardpress(&root, &["check", "--links"]);
    assert!(out.status.success(), "{}", common::printed(&out));
    assert!(
        common::printed(&out).contains("4 document(s)"),
        "{}",
        common::printed(&out)
    );
    let (_out_dir, out) = common::build_into_temp(&root);
    let page = common::page(&out, "business-plan-2026-27/index.html");
    let headings: Vec<String> = page.select(&common::sel("h2")).map(common::text).collect();
    assert!(
        headings.iter().any(|h| h == "Learning from reviews"),
        "{headings:?}"
    );
}

#[test]
fn new_refuses_names_and_places_it_cannot_use() {
    let (_dir, root) = starter();
    for (args, says) in [
        (&["new", "plan", "Business Plan"][..], "use `business-plan`"),
        (&["new", "plan", "business-plan-2025-26"], "already exists"),
        (&["new", "section", "extra"], "--document FOLDER"),
        (
            &["new", "section", "extra", "--document", "nope"],
            "there is no document",
        ),
        (
            &["new", "report", "r", "--plan", "nope"],
            "there is no plan `nope`",
        ),
        (&["new", "plan", "p", "--board", "x"], "leave out --board"),
    ] {
        let out = boardpress(&root, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            common::printed(&out).contains(says),
            "{args:?}: {}",
            common::printed(&out)
        );
    }
}

#[test]
fn check_links_names_the_page_and_the_broken_target() {
    let (_dir, root) = starter();
    let intro = root.join("content/documents/business-plan-2025-26/10-introduction.md");
    let mut text = std::fs::read_to_string(&intro).unwrap();
    text.push_str(
        "\nSee [the missing part](#no-such-part) and <a href=\"../old-plan/index.html\">an old page</a>.\n",
    );
    std::fs::write(&intro, text).unwrap();
    // The ordinary check does not follow links out of the Markdown.
    assert!(boardpress(&root, &["check"]).status.success());
    let out = boardpress(&root, &["check", "--links"]);
    assert_eq!(out.status.code(), Some(1));
    let said = common::printed(&out);
    assert!(said.contains("error: business-plan-2025-26/index.html: broken <a href> \"#no-such-part\": business-plan-2025-26/index.html has no element with id=\"no-such-part\""), "{said}");
    assert!(said.contains("error: business-plan-2025-26/index.html: broken <a href> \"../old-plan/index.html\": there is no file old-plan/index.html in the site"), "{said}");
    assert!(said.contains("broken links found in the"), "{said}");
}

#[test]
fn the_example_site_has_no_broken_links() {
    let out = boardpress(&common::repo(), &["check", "--links"]);
    assert!(out.status.success(), "{}", common::printed(&out));
    assert!(
        common::printed(&out).contains("lead somewhere"),
        "{}",
        common::printed(&out)
    );
}

/// A link written with `%20` finds the file with a space in its name, and
/// the page links to the published copy so that it resolves.
#[test]
fn a_link_with_percent_20_finds_a_file_with_a_space() {
    let (_dir, root) = starter();
    let doc = root.join("content/documents/business-plan-2025-26");
    std::fs::write(doc.join("annual report.pdf"), b"%PDF-1.4\n").unwrap();
    let intro = doc.join("10-introduction.md");
    let mut text = std::fs::read_to_string(&intro).unwrap();
    text.push_str("\nRead [last year's report](annual%20report.pdf).\n");
    std::fs::write(&intro, text).unwrap();
    let out = boardpress(&root, &["check", "--links"]);
    assert!(out.status.success(), "{}", common::printed(&out));
    let (_out_dir, site) = common::build_into_temp(&root);
    assert!(
        site.join("assets/documents/business-plan-2025-26/annual report.pdf")
            .is_file()
    );
    let page = std::fs::read_to_string(site.join("business-plan-2025-26/index.html")).unwrap();
    assert!(
        page.contains("href=\"../assets/documents/business-plan-2025-26/annual%20report.pdf\"")
    );
}
