//! Who leads what: a page per lead and per agency, as a partner reading
//! them sees it, checked against the plans' own pages.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use scraper::Html;

/// Lead name → page, from the index.
fn lead_index(out: &Path) -> BTreeMap<String, String> {
    let index = page(out, "leads/index.html");
    index
        .select(&sel("section, main"))
        .next()
        .unwrap()
        .select(&sel("table tbody th a"))
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect()
}

/// Every milestone link on a lead or agency page (`th`), or every link to
/// what the latest report says of one (`td`).
fn linked_in(out: &Path, rel: &str, cell: &str) -> BTreeSet<String> {
    let html = page(out, rel);
    html.select(&sel(&format!("main table.milestones {cell} a")))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

/// For each lead named in a plan page's milestone table, the milestone
/// links a lead page should have (from the leads folder, two levels down).
fn linked(out: &Path, rel: &str) -> BTreeSet<String> {
    linked_in(out, rel, "th")
}

fn plan_leads(html: &Html, doc: &str, column: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in html.select(&sel("table.milestones tbody tr")) {
        let Some(id) = row.value().attr("id") else {
            continue;
        };
        let Some(cell) = row
            .select(&sel(&format!("td[data-label='{column}']")))
            .next()
        else {
            continue;
        };
        for name in text(cell).split("; ").filter(|n| !n.is_empty()) {
            out.entry(name.to_string())
                .or_default()
                .insert(format!("../../{doc}/index.html#{id}"));
        }
    }
    out
}

#[test]
fn every_milestone_is_on_the_page_of_each_of_its_leads() {
    let (_dir, out) = build_into_temp(&repo());
    let plan = page(&out, "business-plan-2012-13/index.html");
    let index = lead_index(&out);
    let mut expected = plan_leads(&plan, "business-plan-2012-13", "Lead officer");
    for (name, links) in plan_leads(&plan, "business-plan-2012-13", "Monitored by") {
        expected.entry(name).or_default().extend(links);
    }
    assert!(expected.len() > 10, "{expected:?}");
    for (name, links) in &expected {
        // The plan writes the QA group three ways: one page has them all.
        let shown = if name.contains("QA Sub") && !name.contains("HSAB") {
            "QA Sub-Group"
        } else {
            name.as_str()
        };
        let href = index
            .get(shown)
            .unwrap_or_else(|| panic!("{shown} is not in the index: {index:?}"));
        let on_page = linked(&out, &format!("leads/{href}"));
        for link in links {
            assert!(on_page.contains(link), "{name}'s page lacks {link}");
        }
        // Each milestone is listed once, under its plan, with what the
        // annual report says of it.
        assert!(
            on_page
                .iter()
                .all(|l| l.starts_with("../../business-plan-2012-13/")),
            "{on_page:?}"
        );
        let reported = linked_in(&out, &format!("leads/{href}"), "td");
        for link in links {
            let id = link.rsplit('#').next().unwrap();
            let report = format!("../../annual-report-2012-13/index.html#progress-{id}");
            assert!(reported.contains(&report), "{name}'s page lacks {report}");
        }
    }
    assert!(
        !index.contains_key("HSCB QA Sub Group"),
        "an alias has no page of its own"
    );
}

#[test]
fn the_index_counts_match_the_pages() {
    let (_dir, out) = build_into_temp(&repo());
    let index = page(&out, "leads/index.html");
    for row in index.select(&sel("#leads ~ table tbody tr")) {
        let href = attr_of(row, "th a", "href");
        let cells: Vec<usize> = row
            .select(&sel("td"))
            .map(|c| text(c).parse().unwrap())
            .collect();
        let lead = page(&out, &format!("leads/{href}"));
        let roles: Vec<String> = lead.select(&sel("td[data-label=Role]")).map(text).collect();
        let leads = roles.iter().filter(|r| *r == "Leads").count();
        let monitors = roles.iter().filter(|r| *r == "Monitors").count();
        assert_eq!(cells, [leads, monitors], "{href}");
    }
}

#[test]
fn overdue_is_judged_against_each_documents_as_at_date() {
    let (_dir, out) = build_into_temp(&repo());
    let index = lead_index(&out);
    let lead = page(&out, &format!("leads/{}", index["Debbie McMillan"]));
    let rows: Vec<String> = lead.select(&sel("main tbody tr")).map(text).collect();
    // The plan has no as-at date and no ratings. The annual report, as at
    // 31 March 2013, rates the December 2012 milestone at risk: it was late
    // by then, and the page says so, by the report's date.
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert!(
        rows[0].contains("Dec 2012; 3 months overdue at 31 March 2013"),
        "{rows:#?}"
    );
    assert!(
        rows[0].ends_with("No status At risk (Amber); Annual Report 2012-2013"),
        "{rows:#?}"
    );
    // A complete milestone is never overdue.
    let lead = page(&out, &format!("leads/{}", index["Tina McGrath"]));
    let rows: Vec<String> = lead.select(&sel("main tbody tr")).map(text).collect();
    let model = rows
        .iter()
        .find(|r| r.contains("Model for Herefordshire MASH"))
        .unwrap();
    assert!(!model.contains("overdue"), "{model}");
}

/// Agencies: a board's members list their leads; an agency's page has every
/// milestone of its people and groups.
#[test]
fn an_agency_page_rolls_up_its_leads() {
    let dir = tempfile::tempdir().unwrap();
    let root = example_with_agency(dir.path());
    let (_out_dir, out) = build_into_temp(&root);
    let index = lead_index(&out);
    let agency = linked(&out, "agencies/police/index.html");
    let mut expected = BTreeSet::new();
    for name in ["Tina McGrath", "Paul Meredith"] {
        let page = linked(&out, &format!("leads/{}", index[name]));
        assert!(!page.is_empty());
        expected.extend(page);
    }
    assert_eq!(agency, expected);
    let lead = page(&out, &format!("leads/{}", index["Tina McGrath"]));
    assert!(
        common::text(lead.select(&sel("main")).next().unwrap())
            .contains("Part of West Mercia Police.")
    );
    let listed = page(&out, "leads/index.html");
    let agencies: Vec<String> = listed
        .select(&sel("#agencies + table tbody th a"))
        .map(common::text)
        .collect();
    assert_eq!(agencies, ["West Mercia Police"]);
}

/// The same agency (by its page folder) on two boards of a site gets a
/// page at the site's root with every milestone of its people and groups
/// on each board, linked from the site's index.
#[test]
fn an_agency_on_several_boards_has_one_page_for_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = two_board_site(dir.path());
    // Matched by name: one board gives the agency an id of its own.
    for (board, id, lead) in [
        (
            "northamptonshire",
            "\n    id: police",
            "Chair Quality Assurance Committee",
        ),
        ("city-and-hackney", "", "Quality Assurance Sub-committee"),
    ] {
        let file = root.join("content/boards").join(board).join("board.yaml");
        let mut text = std::fs::read_to_string(&file).unwrap();
        text.push_str(&format!(
            "\nmembers:\n  - name: Partnership Police{id}\n    leads: [{lead}]\n"
        ));
        std::fs::write(&file, text).unwrap();
    }
    let (_out_dir, out) = build_into_temp(&root);
    // These plans' milestones have no ids, so rows are compared by text.
    let rows = |rel: &str| -> Vec<String> {
        let mut rows: Vec<String> = page(&out, rel)
            .select(&sel("main table.milestones tbody th"))
            .map(common::text)
            .collect();
        rows.sort();
        rows
    };
    let mut expected = Vec::new();
    for own in [
        "northamptonshire/agencies/police/index.html",
        "city-and-hackney/agencies/partnership-police/index.html",
    ] {
        let board = own;
        let own = rows(own);
        assert!(!own.is_empty(), "{board}");
        expected.extend(own);
    }
    expected.sort();
    assert_eq!(rows("agencies/partnership-police/index.html"), expected);
    // Its links reach the boards' pages.
    let site = page(&out, "agencies/partnership-police/index.html");
    let links: Vec<&str> = site
        .select(&sel("main a[href]"))
        .map(|a| a.value().attr("href").unwrap())
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert!(links.len() >= 4, "{links:?}");
    for link in links {
        let file = link.trim_start_matches("../../").split('#').next().unwrap();
        assert!(out.join(file).is_file(), "{link}");
    }
    let index = page(&out, "index.html");
    let listed: Vec<String> = index
        .select(&sel(
            "main li a[href='agencies/partnership-police/index.html']",
        ))
        .map(|a| common::text(a))
        .collect();
    assert_eq!(listed, ["Partnership Police"]);
}

#[test]
fn a_board_cannot_take_the_sites_own_folder_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = two_board_site(dir.path());
    std::fs::rename(
        root.join("content/boards/northamptonshire"),
        root.join("content/boards/agencies"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_boardpress"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("a board folder cannot be called `agencies`"),
        "{stderr}"
    );
}

/// The built-in theme's lead and agency rows are written by boardpress
/// itself, not through Tera: they must be the rows `lead_row.html` renders
/// (see `rows_as_the_template_renders`). Over a board with an agency and
/// reports, and two boards sharing an agency (the site's own agency page),
/// so every branch of the row is taken.
#[test]
fn the_rows_boardpress_writes_are_the_rows_the_template_renders() {
    let dir = tempfile::tempdir().unwrap();
    let example = example_with_agency(dir.path());
    let region = two_board_site(dir.path());
    for (board, lead) in [
        ("northamptonshire", "Chair Quality Assurance Committee"),
        ("city-and-hackney", "Quality Assurance Sub-committee"),
    ] {
        let file = region.join("content/boards").join(board).join("board.yaml");
        let mut text = std::fs::read_to_string(&file).unwrap();
        text.push_str(&format!(
            "\nmembers:\n  - name: Partnership Police\n    leads: [{lead}]\n"
        ));
        std::fs::write(&file, text).unwrap();
    }
    let mut seen = String::new();
    let mut marks = 0;
    for (root, site) in [(example, "example"), (region, "region")] {
        let (pages, marked) =
            rows_as_the_template_renders(dir.path(), &root, site, "lead_row.html");
        marks += marked;
        for (path, page) in pages {
            if path.contains("leads/") || path.contains("agencies/") {
                seen.push_str(&page);
            }
        }
    }
    assert!(marks > 100, "only {marks} rows");
    for part in [
        "<td data-label=\"Lead\">",
        "<td data-label=\"Role\">Leads</td>",
        "<td data-label=\"Role\">Monitors</td>",
        "<td data-label=\"Latest report\"><span class=\"status\"",
        "<span class=\"muted\">No update</span>",
        "<span class=\"muted\">No status</span>",
        "<strong class=\"overdue\">",
        "<th scope=\"row\" class=\"milestone__text\"><a href=",
        "<th scope=\"row\" class=\"milestone__text\">A",
        "&#x27;",
    ] {
        assert!(seen.contains(part), "no row has {part:?}");
    }
}

/// The built-in `lead.html` is given each lead's and agency's documents as
/// boardpress writes them (`documents_html`), not through the
/// `lead_documents` component: they must be what the component renders,
/// which a site's own copy of `lead.html` calls. Over a board with an
/// agency and reports, and two boards.
#[test]
fn the_documents_boardpress_writes_on_lead_pages_are_what_the_component_renders() {
    let dir = tempfile::tempdir().unwrap();
    let example = example_with_agency(dir.path());
    // A second plan, whose title does not give its period, with a date its
    // statuses are as at, sharing a lead with the first.
    let next = example.join("content/documents/next-plan");
    std::fs::create_dir_all(&next).unwrap();
    std::fs::write(
        next.join("document.yaml"),
        "title: The next plan\nkind: business-plan\nperiod: 2013-2014\nas_at: 2013-06-30\n",
    )
    .unwrap();
    std::fs::write(
        next.join("plan.yaml"),
        "title: Plan\npriorities:\n  - id: one\n    title: One\n    milestones:\n      - text: Audit.\n        leads: [QA Sub-Group]\n",
    )
    .unwrap();
    let region = two_board_site(dir.path());
    let mut seen = String::new();
    let mut marks = 0;
    for (root, site) in [(example, "example"), (region, "region")] {
        let (pages, marked) =
            as_the_template_renders(dir.path(), &root, site, "lead.html", "</h1>");
        marks += marked;
        for (path, page) in pages {
            if path.contains("leads/") || path.contains("agencies/") {
                seen.push_str(&page);
            }
        }
    }
    assert!(marks > 20, "only {marks} pages");
    for part in [
        "<section aria-labelledby=\"doc-2\">\n  <h2 id=\"doc-2\"><a href=\"",
        "</a> <span class=\"muted\">",
        "<p class=\"muted\">Status as at <time datetime=\"",
        "<th scope=\"col\">Milestone</th><th scope=\"col\">Lead</th><th scope=\"col\">Role</th>",
        "<th scope=\"col\">Latest report</th></tr></thead>",
        "\n  <h3>",
        "</caption>\n    <thead><tr><th scope=\"col\">Milestone</th><th scope=\"col\">Role</th>",
        "milestones led or monitored by the agency's people and groups, in ",
    ] {
        assert!(seen.contains(part), "no lead page has {part:?}");
    }
}
