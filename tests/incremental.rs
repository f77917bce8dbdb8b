//! Rebuilds keep the pages of unchanged documents: after any edit, the
//! output must be byte for byte what a fresh build makes, and only the
//! documents the edit touched are rendered again.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use boardpress::{BuildOptions, BuildReport, build};
use common::*;

/// Two boards; Northamptonshire has two documents, so one can change alone.
fn region(dir: &Path) -> PathBuf {
    let root = two_board_site(dir);
    let docs = root.join("content/boards/northamptonshire/documents");
    copy_tree(
        &docs.join("business-plan-2010-11"),
        &docs.join("business-plan-copy"),
    );
    root
}

/// The region built once into a fresh output folder: (its temporary folder,
/// the site root, the output).
fn built_region() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = region(dir.path());
    let out = dir.path().join("output");
    build_to(&root, &out, false);
    (dir, root, out)
}

fn build_to(root: &Path, out: &Path, fresh: bool) -> BuildReport {
    let mut opts = BuildOptions::new(Some(root.to_path_buf()), Some(out.to_path_buf()));
    opts.fresh = fresh;
    build(&opts).unwrap_or_else(|e| panic!("build failed:\n{e}"))
}

/// Every file of the output but boardpress's own records.
fn site_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().display().to_string();
            (rel, fs::read(e.path()).unwrap())
        })
        .filter(|(rel, _)| !rel.starts_with(".boardpress"))
        .collect();
    files.sort();
    files
}

/// Rebuild incrementally and check the result against a fresh build.
fn rebuild(root: &Path, out: &Path) -> BuildReport {
    let report = build_to(root, out, false);
    let fresh = tempfile::tempdir().unwrap();
    build_to(root, fresh.path(), true);
    let (kept, made) = (site_files(out), site_files(fresh.path()));
    assert_eq!(kept.len(), made.len());
    for ((path, a), (_, b)) in kept.iter().zip(&made) {
        assert!(a == b, "{path} differs from a fresh build");
    }
    report
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn first_status(out: &Path, doc: &str) -> String {
    let page = page(out, &format!("northamptonshire/{doc}/index.html"));
    text(
        page.select(&sel("table.milestones .status__label"))
            .next()
            .unwrap(),
    )
}

#[test]
fn only_edited_documents_are_rendered_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = region(dir.path());
    let out = dir.path().join("output");
    let first = build_to(&root, &out, false);
    assert_eq!((first.documents, first.reused), (3, 0));
    let second = rebuild(&root, &out);
    assert_eq!(second.reused, 3);
    assert_eq!(second.write.written, 0);
    assert!(second.summary().contains("3 documents (all unchanged)"));

    // A status changes in one document: that document alone is rendered.
    assert_eq!(first_status(&out, "business-plan-copy"), "Not started");
    let plan = root.join("content/boards/northamptonshire/documents/business-plan-copy/plan.yaml");
    edit(&plan, "status: blue", "status: red");
    let third = rebuild(&root, &out);
    assert_eq!(third.reused, 2);
    assert_eq!(
        first_status(&out, "business-plan-copy"),
        "Will not be achieved"
    );
    assert_eq!(first_status(&out, "business-plan-2010-11"), "Not started");

    // --fresh renders everything, and changes nothing.
    let fresh = build_to(&root, &out, true);
    assert_eq!((fresh.reused, fresh.write.written), (0, 0));
}

#[test]
fn board_data_site_and_theme_changes_render_their_documents_again() {
    let (_dir, root, out) = built_region();
    let board = root.join("content/boards/northamptonshire");

    // The board's name is on its documents' pages; the other board is kept.
    edit(
        &board.join("board.yaml"),
        "Board Northamptonshire",
        "Partnership Northamptonshire",
    );
    let report = rebuild(&root, &out);
    assert_eq!(report.reused, 1);
    let doc = page(&out, "northamptonshire/business-plan-copy/index.html");
    assert!(
        doc.html()
            .contains("Safeguarding Children Partnership Northamptonshire")
    );

    // A figure in a data file.
    edit(&board.join("data/cla-dfe-layout.csv"), ",985,59", ",985,58");
    assert_eq!(rebuild(&root, &out).reused, 1);

    // Site settings and the theme reach every page.
    fs::write(
        root.join("content/site.yaml"),
        "title: Plans in the region\n",
    )
    .unwrap();
    assert_eq!(rebuild(&root, &out).reused, 0);
    assert_eq!(rebuild(&root, &out).reused, 3);
    let css = root.join("themes/default/static/style.css");
    fs::create_dir_all(css.parent().unwrap()).unwrap();
    fs::write(&css, "body { color: black }\n").unwrap();
    assert_eq!(rebuild(&root, &out).reused, 0);
}

#[test]
fn pages_changed_or_deleted_by_hand_are_made_again() {
    let (_dir, root, out) = built_region();
    let page = out.join("northamptonshire/business-plan-copy/index.html");
    let deleted = out.join("city-and-hackney/business-plan-2012-14/search.js");
    let original = fs::read(&page).unwrap();
    fs::write(&page, "edited on the web server").unwrap();
    fs::remove_file(&deleted).unwrap();
    let report = rebuild(&root, &out);
    assert_eq!(report.reused, 1);
    assert_eq!(fs::read(&page).unwrap(), original);
    assert!(deleted.is_file());
}

#[test]
fn a_failed_build_records_nothing_and_the_next_good_one_catches_up() {
    let (_dir, root, out) = built_region();
    let record = fs::read(out.join(".boardpress-cache")).unwrap();
    let plan = root.join("content/boards/northamptonshire/documents/business-plan-copy/plan.yaml");
    edit(&plan, "status: blue", "status: mauve");
    let opts = BuildOptions::new(Some(root.clone()), Some(out.clone()));
    // The other board changes too and renders fine, but its summaries are
    // not kept until the whole site has been written.
    let other = root.join("content/boards/city-and-hackney/documents/business-plan-2012-14");
    edit(
        &other.join("plan.yaml"),
        "timescale: March 2012",
        "timescale: May 2012",
    );
    let summaries = out.join(".boardpress-summaries/city-and-hackney.bin");
    let kept = fs::read(&summaries).unwrap();
    assert!(build(&opts).is_err());
    assert_eq!(fs::read(out.join(".boardpress-cache")).unwrap(), record);
    assert_eq!(fs::read(&summaries).unwrap(), kept);
    assert!(!out.join(".boardpress-summaries.new").exists());
    edit(&plan, "status: mauve", "status: green");
    // Both edited documents are rendered; the third is kept.
    assert_eq!(rebuild(&root, &out).reused, 1);
    assert_eq!(first_status(&out, "business-plan-copy"), "On track");
    assert_ne!(fs::read(&summaries).unwrap(), kept);
}

/// Each document card on a board's home page: its link and its progress.
fn home_cards(out: &Path) -> Vec<(String, String)> {
    let page = page(out, "northamptonshire/index.html");
    page.select(&sel(".document-card"))
        .map(|card| {
            let href = attr_of(card, "h3 a", "href");
            let progress = card
                .select(&sel(".status-summary"))
                .next()
                .map(text)
                .unwrap_or_default();
            (href, progress)
        })
        .collect()
}

#[test]
fn site_wide_pages_see_documents_that_were_not_rendered_again() {
    let (_dir, root, out) = built_region();
    let before = home_cards(&out);
    assert_eq!(before.len(), 2, "{before:?}");
    assert!(
        before.iter().all(|(_, p)| p.starts_with("64 milestones")),
        "{before:?}"
    );
    let plan = root.join("content/boards/northamptonshire/documents/business-plan-copy/plan.yaml");
    edit(&plan, "status: blue", "status: red");
    // One document is rendered; the home page lists both, the other from
    // the rebuild record, exactly as a fresh build does.
    let report = rebuild(&root, &out);
    assert_eq!(report.reused, 2);
    let after = home_cards(&out);
    let copy = |cards: &[(String, String)]| {
        cards
            .iter()
            .find(|(href, _)| href.starts_with("business-plan-copy/"))
            .unwrap()
            .1
            .clone()
    };
    let other = |cards: &[(String, String)]| {
        cards
            .iter()
            .find(|(href, _)| href.starts_with("business-plan-2010-11/"))
            .unwrap()
            .1
            .clone()
    };
    assert_ne!(copy(&after), copy(&before));
    assert!(
        copy(&after).contains("Will not be achieved (Red) 1"),
        "{after:?}"
    );
    assert_eq!(other(&after), other(&before));
}

/// Each milestone's status in an `actions.csv`, by document.
fn action_statuses(out: &Path, rel: &str) -> Vec<(String, String)> {
    let (header, rows) = actions_csv(out, rel);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (doc, status) = (col("document"), col("status_id"));
    rows.iter()
        .map(|r| (r[doc].clone(), r[status].clone()))
        .collect()
}

/// The open data files are made in the site-wide stage: after one
/// document is rendered again they still hold the kept documents' rows
/// (`rebuild` checks every file against a fresh build).
#[test]
fn open_data_holds_documents_that_were_not_rendered_again() {
    let (_dir, root, out) = built_region();
    let files = [
        "northamptonshire/actions.csv",
        "northamptonshire/business-plan-2010-11/actions.csv",
        "northamptonshire/business-plan-copy/actions.csv",
        "city-and-hackney/actions.csv",
    ];
    let before: Vec<_> = files.iter().map(|f| action_statuses(&out, f)).collect();
    let plan = root.join("content/boards/northamptonshire/documents/business-plan-copy/plan.yaml");
    edit(&plan, "status: blue", "status: red");
    assert_eq!(rebuild(&root, &out).reused, 2);
    let after: Vec<_> = files.iter().map(|f| action_statuses(&out, f)).collect();
    for (i, file) in files.iter().enumerate() {
        let copy_rows = |rows: &[(String, String)]| -> Vec<String> {
            rows.iter()
                .filter(|(d, _)| d == "business-plan-copy")
                .map(|(_, s)| s.clone())
                .collect()
        };
        let others = |rows: &[(String, String)]| -> Vec<(String, String)> {
            rows.iter()
                .filter(|(d, _)| d != "business-plan-copy")
                .cloned()
                .collect()
        };
        assert_eq!(after[i].len(), before[i].len(), "{file}");
        assert_eq!(others(&after[i]), others(&before[i]), "{file}");
        let (was, now) = (copy_rows(&before[i]), copy_rows(&after[i]));
        if !was.is_empty() {
            assert_eq!(
                was.iter().filter(|s| *s == "red").count() + 1,
                now.iter().filter(|s| *s == "red").count(),
                "{file}"
            );
        }
    }
    assert!(!after[0].is_empty() && after[0].len() > after[1].len());
}

/// A board whose documents are all kept keeps its home, lead pages and
/// open data too, unless one of them was changed or deleted by hand.
#[test]
fn a_board_with_nothing_changed_keeps_its_site_wide_files() {
    let (_dir, root, out) = built_region();
    let report = rebuild(&root, &out);
    assert_eq!(report.write.written, 0);
    let lead = out.join("city-and-hackney/leads/index.html");
    fs::write(&lead, "edited by hand").unwrap();
    fs::remove_file(out.join("northamptonshire/actions.json")).unwrap();
    let report = rebuild(&root, &out);
    assert_eq!(report.reused, report.documents);
    assert!(report.write.written >= 2, "{report:?}");
    assert!(
        fs::read_to_string(&lead)
            .unwrap()
            .contains("Who leads what")
    );
    assert!(out.join("northamptonshire/actions.json").is_file());
}

/// A plan's page shows what its reports say, so editing only a report's
/// progress renders the plan again too; a document outside the family is
/// kept.
#[test]
fn a_plan_and_its_reports_are_rendered_again_together() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    boardpress::init::init(&root).unwrap();
    let docs = root.join("content/documents");
    copy_tree(
        &docs.join("business-plan-2025-26"),
        &docs.join("business-plan-copy"),
    );
    let out = dir.path().join("output");
    build_to(&root, &out, false);
    let progress = docs.join("annual-report-2025-26/progress.yaml");
    edit(&progress, "status: at-risk", "status: not-achieved");
    let report = rebuild(&root, &out);
    assert_eq!(report.documents, 3);
    assert_eq!(report.reused, 1, "only the unrelated copy is kept");
    let plan = page(&out, "business-plan-2025-26/index.html");
    let said: Vec<String> = plan
        .select(&sel("tr#toolkit-audit .milestone__progress"))
        .map(text)
        .collect();
    assert_eq!(
        said,
        ["Annual Report 2025-2026: Will not be achieved (Red)"]
    );
    // Editing the plan renders the report again too.
    edit(
        &docs.join("business-plan-2025-26/plan.yaml"),
        "Audit 30 cases",
        "Audit 40 cases",
    );
    let report = rebuild(&root, &out);
    assert_eq!(report.reused, 1);
    let annual = page(&out, "annual-report-2025-26/index.html");
    assert!(
        text(
            annual
                .select(&sel("tr#progress-toolkit-audit"))
                .next()
                .unwrap()
        )
        .contains("Audit 40 cases")
    );
}

/// Turning the general pages off in site.yaml renders every document again
/// (each footer links the statement) and removes the pages; turning them
/// back on brings them back, as a fresh build would.
#[test]
fn the_404_page_and_statements_follow_site_yaml_on_rebuild() {
    let (_dir, root, out) = built_region();
    let doc = "northamptonshire/business-plan-copy/index.html";
    let footer = |out: &Path| {
        page(out, doc)
            .select(&sel(".site-footer a"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(out.join("404.html").is_file());
    assert!(
        out.join("northamptonshire/accessibility/index.html")
            .is_file()
    );
    assert_eq!(footer(&out), ["../accessibility/index.html"]);
    let site = root.join("content/site.yaml");
    fs::write(
        &site,
        "pages: { not_found: false, accessibility_statement: false }\n",
    )
    .unwrap();
    assert_eq!(rebuild(&root, &out).reused, 0);
    assert!(!out.join("404.html").exists());
    assert!(!out.join("northamptonshire/accessibility").exists());
    assert!(footer(&out).is_empty());
    fs::remove_file(&site).unwrap();
    rebuild(&root, &out);
    assert!(out.join("404.html").is_file());
    assert!(
        out.join("city-and-hackney/accessibility/index.html")
            .is_file()
    );
    assert_eq!(footer(&out), ["../accessibility/index.html"]);
    // An unchanged rebuild writes nothing, the general pages included.
    assert_eq!(rebuild(&root, &out).write.written, 0);
}

/// The sitemap and feed are made in the site-wide stage from every page
/// and summary, so a rebuild that keeps documents has them all.
#[test]
fn the_sitemap_and_feed_hold_documents_that_were_not_rendered_again() {
    let (_dir, root, out) = built_region();
    fs::write(
        root.join("content/site.yaml"),
        "url: https://example.gov.uk/boards/\n",
    )
    .unwrap();
    rebuild(&root, &out);
    let sitemap = || fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let feed = || fs::read_to_string(out.join("feed.xml")).unwrap();
    let (map_before, feed_before) = (sitemap(), feed());
    let plan = root.join("content/boards/northamptonshire/documents/business-plan-copy/plan.yaml");
    edit(&plan, "status: blue", "status: red");
    assert_eq!(rebuild(&root, &out).reused, 2);
    assert_eq!(sitemap(), map_before);
    assert_eq!(feed(), feed_before);
    for kept in [
        "northamptonshire/business-plan-2010-11/index.html",
        "city-and-hackney/business-plan-2012-14/index.html",
    ] {
        assert!(sitemap().contains(&format!("https://example.gov.uk/boards/{kept}")));
    }
}

/// Rewording a section changes no document summary, so the board's pages
/// made from the summaries (home, leads, tracker, open data) are kept
/// rather than made again. Kept or remade, their bytes are the same, so what
/// this test can see is that only the document's own files are written and
/// the site is exactly what a fresh build makes; the time saved is measured
/// by `examples/serve_bench.rs` (README).
#[test]
fn a_reworded_section_writes_only_its_documents_files() {
    let (_dir, root, out) = built_region();
    let intro = root
        .join("content/boards/northamptonshire/documents/business-plan-copy/10-introduction.md");
    let text = fs::read_to_string(&intro).unwrap();
    fs::write(
        &intro,
        format!("{text}\nA sentence added to the introduction.\n"),
    )
    .unwrap();
    let report = rebuild(&root, &out);
    assert_eq!(report.reused, report.documents - 1);
    // Both boards' pages made from summaries were kept, the edited
    // document's board's too.
    assert_eq!(report.boards_kept, 2);
    // The page and its search entries.
    assert_eq!(report.write.written, 2, "{}", report.summary());
    let page =
        fs::read_to_string(out.join("northamptonshire/business-plan-copy/index.html")).unwrap();
    assert!(page.contains("A sentence added to the introduction."));
}
