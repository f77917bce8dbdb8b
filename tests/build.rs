//! Whole builds as a user runs them: the command line, exit codes, the
//! output folder's safety rules, determinism and hostile content.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

fn boardpress(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_boardpress"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn starter(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    boardpress::init::init(&root).unwrap();
    root
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        // The rebuild record fingerprints the input's bytes, which differ
        // where the site must not (CRLF files); it is not a page.
        .filter(|e| {
            !e.path()
                .strip_prefix(dir)
                .unwrap()
                .starts_with(".boardpress-cache")
        })
        .filter(|e| {
            !e.path()
                .strip_prefix(dir)
                .unwrap()
                .starts_with(".boardpress-summaries")
        })
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn init_then_build_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = boardpress(&["init", "site"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = boardpress(&["init", "site"], dir.path());
    assert_eq!(
        again.status.code(),
        Some(2),
        "init refuses a folder that is not empty"
    );

    let built = boardpress(&["build"], &dir.path().join("site"));
    let stdout = String::from_utf8_lossy(&built.stdout);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(
        stdout.starts_with("Built 2 documents into 14 pages"),
        "{stdout}"
    );
    let home = page(&dir.path().join("site/output"), "index.html");
    assert_eq!(
        text(home.select(&sel("h1")).next().unwrap()),
        "Example Safeguarding Children Partnership"
    );

    let checked = boardpress(&["check"], &dir.path().join("site"));
    assert!(checked.status.success());
    assert!(String::from_utf8_lossy(&checked.stdout).starts_with("No problems found"));
}

#[test]
fn exit_codes_say_what_went_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    assert_eq!(
        boardpress(&["build", "--no-such-flag"], &root)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        boardpress(&["build", "--output", "content"], &root)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        boardpress(&["build", "--output", "."], &root).status.code(),
        Some(2)
    );
    fs::write(root.join("content/board.yaml"), "nme: x\n").unwrap();
    let failed = boardpress(&["check"], &root);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("content/board.yaml:1:1: unknown field `nme`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `name`?"), "{stderr}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    assert!(boardpress(&["build"], &root).status.success());
    let before = snapshot(&root.join("output"));
    let plan = root.join("content/documents/business-plan-2025-26/plan.yaml");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(
        &plan,
        text.replace("Tackle neglect earlier", "Changed title")
            .replace("status: amber", "status: mauve"),
    )
    .unwrap();
    assert_eq!(boardpress(&["build"], &root).status.code(), Some(1));
    assert_eq!(snapshot(&root.join("output")), before);
}

#[test]
fn rebuilds_write_only_changes_and_remove_stale_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    assert!(boardpress(&["build"], &root).status.success());
    let second = boardpress(&["build"], &root);
    assert!(String::from_utf8_lossy(&second.stdout).contains("0 written, 30 unchanged, 0 removed"));
    fs::write(root.join("output/notes-by-hand.txt"), "mine").unwrap();
    let board = root.join("content/board.yaml");
    let text = fs::read_to_string(&board).unwrap();
    let cut = text.find("glossary:").unwrap();
    fs::write(&board, &text[..cut]).unwrap();
    let third = boardpress(&["build"], &root);
    assert!(
        String::from_utf8_lossy(&third.stdout).contains("1 removed"),
        "{}",
        String::from_utf8_lossy(&third.stdout)
    );
    assert!(!root.join("output/glossary").exists());
    assert!(
        root.join("output/notes-by-hand.txt").exists(),
        "files boardpress did not write are kept"
    );
}

#[test]
fn refuses_an_output_folder_holding_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    fs::create_dir_all(dir.path().join("documents")).unwrap();
    fs::write(dir.path().join("documents/report.docx"), "precious").unwrap();
    let out = boardpress(&["build", "--output", "../documents"], &root);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not make"));
    assert_eq!(
        fs::read_to_string(dir.path().join("documents/report.docx")).unwrap(),
        "precious"
    );
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    // Northamptonshire has both kinds of chart: a DfE series and the status chart.
    let (_a, first) = build_into_temp(&repo().join("tests/sites/northamptonshire"));
    let (_b, second) = build_into_temp(&repo().join("tests/sites/northamptonshire"));
    let (one, two) = (snapshot(&first), snapshot(&second));
    assert!(one.len() > 3);
    assert!(one == two, "two builds differ");
    let record = |out: &Path| fs::read(out.join(".boardpress-cache")).unwrap();
    assert!(record(&first) == record(&second), "two records differ");
}

#[test]
fn windows_line_endings_and_byte_order_marks_build_the_same_site() {
    let dir = tempfile::tempdir().unwrap();
    let unix = starter(&dir.path().join("unix"));
    let windows = starter(&dir.path().join("windows"));
    for entry in walkdir::WalkDir::new(windows.join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = fs::read_to_string(entry.path()).unwrap();
            let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
            fs::write(entry.path(), crlf).unwrap();
        }
    }
    let (_a, out_unix) = build_into_temp(&unix);
    let (_b, out_windows) = build_into_temp(&windows);
    assert!(snapshot(&out_unix) == snapshot(&out_windows));
}

#[test]
fn hostile_content_is_inert() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let board = root.join("content/board.yaml");
    let yaml = fs::read_to_string(&board).unwrap().replace(
        "name: Example Safeguarding Children Partnership",
        "name: \"Board <script>alert(1)</script> </script><img src=x onerror=alert(2)>\"",
    );
    fs::write(&board, yaml).unwrap();
    let intro = root.join("content/documents/business-plan-2025-26/10-introduction.md");
    let mut md = fs::read_to_string(&intro).unwrap();
    md.push_str("\n<script>alert(3)</script>\n\n[click](javascript:alert(4)) <a href=\"#\" onclick=\"alert(5)\">x</a>\n");
    fs::write(&intro, md).unwrap();
    let (_tmp, out) = build_into_temp(&root);
    for rel in ["index.html", "business-plan-2025-26/index.html"] {
        let html = page(&out, rel);
        // A document page's one script is the theme's print button.
        let scripts: Vec<&str> = html
            .select(&sel("script"))
            .map(|s| s.value().attr("src").unwrap_or("inline"))
            .collect();
        let ours: &[&str] = if rel == "index.html" {
            &[]
        } else {
            &["../static/print.js"]
        };
        assert_eq!(scripts, ours, "{rel}");
        assert_eq!(
            html.select(&sel("img[onerror], [onclick]")).count(),
            0,
            "{rel}"
        );
        assert_eq!(
            html.select(&sel("a[href^='javascript']")).count(),
            0,
            "{rel}"
        );
        let h = html
            .select(&sel("header .site-header__name"))
            .next()
            .unwrap();
        assert!(
            text(h).contains("<script>alert(1)</script>"),
            "the name is shown as text"
        );
    }
}

#[test]
fn several_boards_get_a_site_index_and_a_home_each() {
    let dir = tempfile::tempdir().unwrap();
    let root = two_board_site(dir.path());
    fs::write(
        root.join("content/site.yaml"),
        "title: Safeguarding plans in the region\n",
    )
    .unwrap();
    let (_tmp, out) = build_into_temp(&root);
    let index = page(&out, "index.html");
    let boards: Vec<String> = index.select(&sel("main h3 a")).map(text).collect();
    // Boards in folder-name order.
    assert_eq!(
        boards,
        [
            "City & Hackney Safeguarding Children Board",
            "Local Safeguarding Children Board Northamptonshire"
        ]
    );
    let doc = page(&out, "northamptonshire/business-plan-2010-11/index.html");
    let css = attr_of(doc.root_element(), "link[rel=stylesheet]", "href");
    assert_eq!(css, "../../static/style.css");
    assert!(out.join("city-and-hackney/standards/index.html").is_file());
}

#[test]
fn every_page_is_accessible_in_structure() {
    let (_tmp, out) = build_into_temp(&repo());
    for rel in [
        "index.html",
        "business-plan-2012-13/index.html",
        "glossary/index.html",
        "structure/index.html",
    ] {
        let html = page(&out, rel);
        let lang = html
            .select(&sel("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang");
        assert_eq!(lang, Some("en-GB"), "{rel}");
        let first_link = html.select(&sel("body a")).next().unwrap();
        assert_eq!(
            first_link.value().attr("href"),
            Some("#main-content"),
            "{rel}: skip link first"
        );
        assert_eq!(html.select(&sel("main#main-content")).count(), 1, "{rel}");
        assert_eq!(html.select(&sel("h1")).count(), 1, "{rel}");
        let levels: Vec<u8> = html
            .select(&sel("main h1, main h2, main h3, main h4, main h5, main h6"))
            .map(|h| h.value().name()[1..].parse().unwrap())
            .collect();
        for pair in levels.windows(2) {
            assert!(
                pair[1] <= pair[0] + 1,
                "{rel}: heading level jumps from {} to {}",
                pair[0],
                pair[1]
            );
        }
        for table in html.select(&sel("table")) {
            assert!(
                table.select(&sel("caption")).next().is_some(),
                "{rel}: table without caption"
            );
            for th in table.select(&sel("th")) {
                assert!(
                    th.value().attr("scope").is_some(),
                    "{rel}: th without scope"
                );
            }
        }
        for a in html.select(&sel("a[href]")) {
            let href = a.value().attr("href").unwrap();
            assert!(!href.starts_with('/'), "{rel}: absolute link {href}");
            if !href.starts_with('#') && !href.contains("://") {
                let target = out
                    .join(Path::new(rel).parent().unwrap())
                    .join(href.split('#').next().unwrap());
                assert!(target.is_file(), "{rel}: broken link {href}");
            }
        }
    }
}

#[test]
fn images_in_markdown_are_published_and_linked() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let doc = root.join("content/documents/business-plan-2025-26");
    fs::write(doc.join("chart.png"), b"\x89PNG fake").unwrap();
    let intro = doc.join("10-introduction.md");
    let md = fs::read_to_string(&intro).unwrap() + "\n![Children on plans](chart.png)\n";
    fs::write(&intro, md).unwrap();
    let (_tmp, out) = build_into_temp(&root);
    let html = page(&out, "business-plan-2025-26/index.html");
    let src = html
        .select(&sel("main img"))
        .next()
        .unwrap()
        .value()
        .attr("src")
        .unwrap()
        .to_string();
    assert_eq!(src, "../assets/documents/business-plan-2025-26/chart.png");
    assert!(out.join("business-plan-2025-26").join(&src).is_file());
}

/// A milestone's own number is shown as the plan prints it, before its text.
#[test]
fn a_milestone_shows_the_number_the_plan_prints() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let plan = root.join("content/documents/business-plan-2025-26/plan.yaml");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(
        &plan,
        text.replace(
            "          - id: toolkit-training\n",
            "          - id: toolkit-training\n            number: \"1.1a\"\n",
        ),
    )
    .unwrap();
    assert!(boardpress(&["build"], &root).status.success());
    let html = fs::read_to_string(root.join("output/business-plan-2025-26/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let row = doc
        .select(&scraper::Selector::parse("tr#toolkit-training th").unwrap())
        .next()
        .expect("the milestone's row");
    let words: String = row.text().collect();
    assert!(
        words
            .trim_start()
            .starts_with("1.1a Train 200 practitioners"),
        "{words}"
    );
}

/// A document published in a month, later updated, with its own vision and
/// principles: the page says so in words and lists them in its contents.
#[test]
fn a_document_gives_its_month_its_update_and_its_own_vision() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let doc = root.join("content/documents/business-plan-2025-26/document.yaml");
    let text = fs::read_to_string(&doc).unwrap();
    let text = text.replace(
        "published: 2025-04-01\n",
        "published: April 2025\nupdated: 2025-09-30\n\
         vision: Children in Exampleshire are safe this year.\n\
         principles_title: How we will work\n\
         principles:\n  - lead: Together\n    text: partners plan as one.\n",
    );
    fs::write(&doc, text).unwrap();
    let built = boardpress(&["build"], &root);
    assert!(built.status.success(), "{}", printed(&built));
    let page = page(&root.join("output"), "business-plan-2025-26/index.html");
    let meta = text_of_all(&page, "dl.meta");
    assert!(meta.contains("April 2025"), "{meta}");
    assert!(
        meta.contains("Updated") && meta.contains("30 September 2025"),
        "{meta}"
    );
    let contents = text_of_all(&page, "nav.contents");
    assert!(
        contents.contains("Our vision") && contents.contains("How we will work"),
        "{contents}"
    );
    let vision = text_of_all(&page, "#vision ~ blockquote, #vision + blockquote");
    assert!(vision.contains("safe this year"), "{vision}");
    let body = text_of_all(&page, "main");
    assert!(body.contains("Together partners plan as one."), "{body}");
    // The cover, shown on paper, gives both dates in words.
    let cover = text_of_all(&page, ".cover .cover__date");
    assert!(
        cover.contains("Published April 2025, updated 30 September 2025"),
        "{cover}"
    );
}

/// `updated` that cannot be read, or falls before `published`, is an error
/// at its line.
#[test]
fn an_unreadable_or_early_update_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let doc = root.join("content/documents/business-plan-2025-26/document.yaml");
    let text = fs::read_to_string(&doc).unwrap();
    fs::write(
        &doc,
        text.replace(
            "published: 2025-04-01\n",
            "published: 2025-04-01\nupdated: Sprung 2025\n",
        ),
    )
    .unwrap();
    let out = printed(&boardpress(&["check"], &root));
    assert!(
        out.contains("document.yaml:5:") && out.contains("`Sprung 2025` is not a date or a month"),
        "{out}"
    );
    fs::write(
        &doc,
        text.replace(
            "published: 2025-04-01\n",
            "published: 2025-04-01\nupdated: March 2025\n",
        ),
    )
    .unwrap();
    let out = printed(&boardpress(&["check"], &root));
    assert!(
        out.contains("document.yaml:5:") && out.contains("is before `published`"),
        "{out}"
    );
}

fn text_of_all(page: &scraper::Html, css: &str) -> String {
    let words: Vec<String> = page.select(&sel(css)).map(text).collect();
    normalise(&words.join(" "))
}

/// A milestone written with paragraphs, a list and footnotes: the page
/// nests them validly, each field's footnotes are its own, and a plan
/// footnote nothing marks is a warning at its id.
#[test]
fn milestone_text_with_lists_and_footnotes_is_valid_html() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let plan = root.join("content/documents/business-plan-2025-26/plan.yaml");
    let yaml = fs::read_to_string(&plan).unwrap();
    let yaml = yaml
        .replace(
            "            text: Train 200 practitioners in the neglect toolkit.\n",
            "            text: |\n              Train 200 practitioners[^1] in:\n\n              - the toolkit\n              - its audit\n\n              [^1]: From every agency.\n",
        )
        .replace(
            "            text: Audit 30 cases for use of the toolkit.\n",
            "            text: \"Audit 30 cases[^1].\\n\\n[^1]: Chosen at random.\"\n",
        );
    let yaml = format!("{yaml}footnotes:\n  - id: spare\n    text: Nothing marks this.\n");
    fs::write(&plan, yaml).unwrap();
    let built = boardpress(&["build"], &root);
    let said = printed(&built);
    assert!(built.status.success(), "{said}");
    let line = fs::read_to_string(&plan)
        .unwrap()
        .lines()
        .position(|l| l.contains("id: spare"))
        .unwrap()
        + 1;
    assert!(
        said.contains(&format!(
            "plan.yaml:{line}:9: footnote `spare` is never marked"
        )),
        "{said}"
    );
    let html = fs::read_to_string(root.join("output/business-plan-2025-26/index.html")).unwrap();
    for bad in [
        "<span class=\"milestone__body\"><p>",
        "<span class=\"milestone__body\"><ul>",
    ] {
        assert!(!html.contains(bad), "{bad} in the page");
    }
    let page = scraper::Html::parse_document(&html);
    let items: Vec<String> = page
        .select(&sel("tr#toolkit-training div.milestone__body li"))
        .map(text)
        .collect();
    assert_eq!(items, ["the toolkit", "its audit"]);
    let note = |row: &str| text_of_all(&page, &format!("tr#{row} .footnote"));
    assert_eq!(note("toolkit-training"), "1 From every agency.");
    assert_eq!(note("toolkit-audit"), "1 Chosen at random.");
    let mut ids: Vec<String> = page
        .select(&sel("[id]"))
        .map(|e| e.value().attr("id").unwrap().to_string())
        .collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all, "ids repeat on the page");
}

/// A priority's description under the plan's own label, before its
/// outcome when the author says so; an item carried over in the plan's own
/// words says them; the outcome's label is the plan's term.
#[test]
fn a_priority_says_what_it_says_in_the_plans_order_and_words() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let plan = root.join("content/documents/business-plan-2025-26/plan.yaml");
    let yaml = fs::read_to_string(&plan)
        .unwrap()
        .replace(
            "  objective: Objective\n",
            "  objective: Objective\n  outcome: What will be different\n",
        )
        .replace(
            "    outcome: Children living with neglect are helped sooner.\n",
            "    outcome: Children living with neglect are helped sooner.\n    \
             description: Neglect was raised at every school council.\n    \
             description_label: What children told us\n    description_first: true\n",
        )
        .replace(
            "        text: Set up a young people's advisory group.\n",
            "        text: Set up a young people's advisory group.\n        \
             carried_over: Carried over from 2024-25\n",
        );
    fs::write(&plan, yaml).unwrap();
    let built = boardpress(&["build"], &root);
    assert!(built.status.success(), "{}", printed(&built));
    let page = page(&root.join("output"), "business-plan-2025-26/index.html");
    let priority = text_of_all(&page, "section.priority:has(#neglect)");
    let told = priority
        .find("What children told us Neglect was raised")
        .expect(&priority);
    let outcome = priority
        .find("What will be different: Children living with neglect")
        .expect(&priority);
    assert!(told < outcome, "{priority}");
    let row = text_of_all(&page, "tr#advisory-group .tag");
    assert_eq!(row, "Carried over from 2024-25");
    // Its own words explain it: the key gives no legend for a plain tag.
    let key = text_of_all(&page, "main");
    assert!(!key.contains("Carried over from last year"), "{key}");
}

/// The plan on a page: each priority's milestones by rating, with totals,
/// and who leads them, at the top of the plan and in its contents.
#[test]
fn a_plan_shows_itself_on_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let built = boardpress(&["build"], &root);
    assert!(built.status.success(), "{}", printed(&built));
    let page = page(&root.join("output"), "business-plan-2025-26/index.html");
    let contents = text_of_all(&page, "nav.contents > ol > li:first-child");
    assert_eq!(contents, "Plan on a page");
    let table = page
        .select(&sel("#plan-on-a-page ~ table"))
        .next()
        .expect("the plan on a page's table");
    let cells = |css: &str| -> Vec<String> { table.select(&sel(css)).map(text).collect() };
    assert_eq!(cells("caption"), ["Milestones by priority and status"]);
    assert_eq!(
        cells("thead th"),
        [
            "Priority",
            "Milestones",
            "On track (Green)",
            "At risk (Amber)"
        ]
    );
    assert_eq!(
        cells("tbody tr:first-child > *"),
        ["Priority 1: Tackle neglect earlier", "2", "1", "1"]
    );
    assert_eq!(attr_of(table, "tbody tr:first-child a", "href"), "#neglect");
    assert_eq!(cells("tfoot tr > *"), ["All priorities", "3", "2", "1"]);
    let leads: Vec<String> = page.select(&sel(".glance-leads li")).map(text).collect();
    assert_eq!(leads.len(), 4, "{leads:?}");
    assert!(
        leads.contains(&"QA Sub-group 1 milestone".to_string()),
        "{leads:?}"
    );
}

/// A theme made before the document page became its own print version may
/// still have a `print.html`: the build goes on and says it is not used.
#[test]
fn a_themes_old_print_template_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("print.html"), "<p>{{ document.title }}</p>").unwrap();
    let built = boardpress(&["build"], &root);
    let said = printed(&built);
    assert!(built.status.success(), "{said}");
    assert!(
        said.contains("themes/default/templates/print.html")
            && said.contains("this template is no longer used")
            && said.contains("static/print.css"),
        "{said}"
    );
    assert!(
        !root
            .join("output/business-plan-2025-26/print.html")
            .exists()
    );
}

/// A theme's own `status` component draws every rating's tag: on the
/// document's page, the lead's page, the tracker and the home page (the tag
/// is drawn once per rating and shown as it is everywhere).
#[test]
fn a_themes_status_component_draws_every_tag() {
    let dir = tempfile::tempdir().unwrap();
    let root = starter(dir.path());
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    let components = fs::read_to_string(repo().join("themes/default/templates/components.html"))
        .unwrap()
        .replacen(
            "<span class=\"status\">",
            "<span class=\"status status--ours\">",
            1,
        );
    fs::write(templates.join("components.html"), components).unwrap();
    let built = boardpress(&["build"], &root);
    assert!(built.status.success(), "{}", printed(&built));
    let out = root.join("output");
    for rel in [
        "index.html",
        "business-plan-2025-26/index.html",
        "annual-report-2025-26/index.html",
        "tracker/index.html",
    ] {
        let html = page(&out, rel);
        let ours = html.select(&sel(".status--ours")).count();
        let plain = html
            .select(&sel(".status:not(.status--ours):not(.status--none)"))
            .count();
        assert!(
            ours > 0 && plain == 0,
            "{rel}: {ours} tags of ours, {plain} others"
        );
    }
}

/// A plan's milestone rows are written by boardpress itself while the
/// theme's `milestone_row.html` and `components.html` are the built-in
/// ones: they must be the rows the template renders (see
/// `rows_as_the_template_renders`). Over the example (given a revised,
/// carried-over milestone with notes and a footnote, and one whose text is
/// a list) and the test sites, so every branch of the row is taken.
#[test]
fn the_milestone_rows_boardpress_writes_are_the_rows_the_template_renders() {
    let dir = tempfile::tempdir().unwrap();
    let example = example_edited(
        dir.path(),
        "documents/business-plan-2012-13/plan.yaml",
        "            monitored_by: HSAB PQA Sub Group\n            timescale: December 2012\n",
        "            monitored_by: HSAB PQA Sub Group\n            timescale: December 2012\n            \
         revised: true\n            carried_over: true\n            notes: \"Checked *twice* & agreed.\"\n            \
         footnotes: [sait]\n          - number: 4.2a\n            text: |\n              Two steps:\n\n              - one\n              - two\n\
         \nfootnotes:\n  - id: sait\n    text: The <SAIT> tool.\n",
    );
    let mut seen = String::new();
    let mut marks = 0;
    let sites = std::iter::once((example, "example")).chain(test_sites());
    for (root, site) in sites {
        let (pages, marked) =
            rows_as_the_template_renders(dir.path(), &root, site, "milestone_row.html");
        marks += marked;
        for (_, page) in pages {
            seen.push_str(&page);
        }
    }
    assert!(marks > 100, "only {marks} rows");
    for part in [
        "<tr id=\"",
        "<span class=\"milestone__number\">",
        "<div class=\"milestone__body\"><p>",
        "<abbr class=\"revised\" title=\"",
        "</span> <span class=\"tag\">",
        "<sup class=\"footnote-ref\">",
        "<br><span class=\"standard-refs\">",
        "<div class=\"milestone__notes\">",
        "<p class=\"milestone__progress\">",
        "</a>: <span class=\"status status--none\">",
        "<span data-when=\"",
        "&amp;",
    ] {
        assert!(seen.contains(part), "no row has {part:?}");
    }
}

/// A plan that takes every branch of `priorities.html`: families (one
/// with a description), priorities with a description before and after
/// the outcome (one labelled), one lead and several, footnotes, an
/// unrated milestone counted as "No status", objectives with and without
/// numbers, a year, a carried-over tag, a description and impact
/// measures, and terms that need escaping; and a plan with no status key,
/// whose priorities give their count alone ("1 step").
const EVERY_BRANCH_DOCUMENT: &str = "title: Every branch\nkind: business-plan\nperiod: 2030-31\n\
status_key:\n  title: Rating\n  statuses:\n    - id: green\n      label: Green\n      meaning: On track\n      tag: On track\n    \
- id: red\n      label: Red\n      meaning: Off track\n";
const EVERY_BRANCH_PLAN: &str = r#"title: Our plan
terms:
  priority: Aim & goal
  milestone: Key <Step>
  milestones: Key <Steps>
  status: R&D Rating
  outcome: What changes
  impact_measures: How we'll know
families:
  - id: voice
    title: What children told us
    description: Chosen by the *Youth Forum*.
  - id: own
    title: The board's own
footnotes:
  - id: n1
    text: A note.
priorities:
  - id: loose
    title: A priority of no family
    description: Why it *matters*.
    description_label: Why this one
    description_first: true
    outcome: Fewer children harmed.
    leads: [Business Manager]
    footnotes: [n1]
    milestones:
      - text: Rated.
        status: green
        leads: [Chair]
      - text: Not rated.
  - id: heard
    number: "2"
    title: Children are heard
    family: voice
    outcome: Children say they were heard.
    description: After the outcome.
    leads: [Business Manager, Chair]
    objectives:
      - title: An objective without a number
        year: "2030/31"
        carried_over: Carried over from 2029/30
        description: Its *description*.
        impact_measures: [Fewer complaints, More feedback]
        footnotes: [n1]
        milestones:
          - text: Ask them.
            status: red
      - number: "2.2"
        title: A numbered objective
        milestones:
          - text: Tell them.
            status: green
  - id: own-one
    number: "3"
    title: The board's own priority
    family: own
    description: A description alone.
"#;
const NO_KEY_PLAN: &str = "title: Steps\nterms:\n  milestone: Step\n  milestones: Steps\npriorities:\n  - id: one\n    title: One\n    milestones:\n      - text: Only one.\n  - id: two\n    title: Two\n    milestones:\n      - text: First.\n      - text: Second.\n";

/// A plan's priorities are written by boardpress itself while the theme's
/// `priorities.html` (and `milestone_table.html`, `components.html`) are
/// the built-in ones, and its plan on a page while `components.html` (and
/// `document_body.html`) are: they must be what the templates render. Over
/// the example, the test sites and plans taking every branch of them.
#[test]
fn the_parts_of_a_plan_boardpress_writes_are_what_the_templates_render() {
    let dir = tempfile::tempdir().unwrap();
    let every = dir.path().join("every");
    copy_tree(&repo().join("content"), &every.join("content"));
    for (folder, document, plan) in [
        ("every-branch", EVERY_BRANCH_DOCUMENT, EVERY_BRANCH_PLAN),
        (
            "no-key",
            "title: No key\nkind: business-plan\nperiod: 2031-32\n",
            NO_KEY_PLAN,
        ),
    ] {
        let doc = every.join("content/documents").join(folder);
        fs::create_dir_all(&doc).unwrap();
        fs::write(doc.join("document.yaml"), document).unwrap();
        fs::write(doc.join("plan.yaml"), plan).unwrap();
    }
    let mut seen = String::new();
    let mut marks = 0;
    let sites = std::iter::once((every, "every")).chain(test_sites());
    for (root, site) in sites {
        for template in ["priorities.html", "components.html"] {
            let own = format!("{site}-{template}");
            let (pages, marked) =
                as_the_template_renders(dir.path(), &root, &own, template, "</section>");
            marks += marked;
            for (_, page) in pages {
                seen.push_str(&page);
            }
        }
    }
    assert!(marks > 40, "only {marks} sections marked");
    for part in [
        "<h3 id=\"family-voice\" class=\"family\">What children told us</h3>\n  <div class=\"prose\">Chosen by the <em>Youth Forum</em>.</div>",
        "<h3 id=\"loose\" class=\"priority__title\">",
        "<h4 id=\"heard\" class=\"priority__title\"><span class=\"priority__number\">Aim &amp; goal 2</span>",
        "<sup class=\"footnote-ref\">",
        "<div class=\"prose priority__description\"><p class=\"priority__label\"><strong>Why this one</strong></p>",
        "<div class=\"prose\"><strong>What changes:</strong> Children say they were heard.</div><div class=\"prose priority__description\">",
        "<p><strong>Lead:</strong> Business Manager</p>",
        "<div class=\"leads-list\">",
        "2 key &lt;steps&gt;. R&amp;D Rating:",
        "<span class=\"status__label\">No r&amp;d rating</span>",
        "<p class=\"muted\">1 step</p>",
        "<p class=\"muted\">2 steps</p>",
        "<span class=\"objective__term\">",
        "<span class=\"objective__number\">2.2</span>",
        "<p class=\"muted\">2030&#x2F;31</p>",
        "<p><strong class=\"tag\">Carried over from 2029&#x2F;30</strong></p>",
        "<strong>How we&#x27;ll know</strong>",
        "<th scope=\"col\">Key &lt;Step&gt;</th>",
        "<h5 id=\"heard-1\" class=\"objective__title\">",
        "<th scope=\"col\" class=\"numeric\">No R&amp;D rating</th></tr></thead>",
        "<td class=\"numeric\" data-label=\"No R&amp;D rating\">1</td>",
        "<tfoot><tr><th scope=\"row\">All ",
        "<li>Chair <span class=\"glance-leads__count\">1 key &lt;step&gt;</span></li>",
        "lists each lead's milestones across the board's plans.</p>",
    ] {
        assert!(seen.contains(part), "no page has {part:?}");
    }
}

/// A key figure is drawn by the theme's own `figure` component, though
/// boardpress renders it once for all of a board's documents; and a
/// `figure` component that fails is reported where the page calls it.
#[test]
fn a_themes_figure_component_draws_key_figures_and_its_errors_are_placed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&repo().join("tests/sites/northamptonshire"), &root);
    let templates = root.join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    let components =
        fs::read_to_string(repo().join("themes/default/templates/components.html")).unwrap();
    let ours = components.replacen(
        "<figure class=\"chart\"",
        "<figure class=\"chart chart--ours\"",
        1,
    );
    assert_ne!(ours, components);
    fs::write(templates.join("components.html"), ours).unwrap();
    let built = boardpress(&["build"], &root);
    assert!(built.status.success(), "{}", printed(&built));
    let html = page(&root.join("output"), "business-plan-2010-11/index.html");
    let key = html
        .select(&sel(".key-figures figure"))
        .map(|f| f.value().attr("class").unwrap_or("").to_string())
        .collect::<Vec<_>>();
    assert_eq!(key, ["chart chart--ours"]);

    let failing = components.replacen("{{ f.title }}", "{{ f.title.missing }}", 1);
    assert_ne!(failing, components);
    fs::write(templates.join("components.html"), failing).unwrap();
    let built = boardpress(&["build"], &root);
    let said = printed(&built);
    assert!(!built.status.success(), "{said}");
    assert!(
        said.contains("components.html") && !said.contains("boardpress-key-figure"),
        "{said}"
    );
}
