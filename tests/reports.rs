//! Annual reports made from the plan they report on: what a reader of the
//! built pages sees, checked against the example's own progress.yaml (read
//! here as the build reads it, not retyped).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use boardpress::diagnostics::Diagnostics;
use boardpress::model::{Document, Plan, Progress};
use boardpress::yaml::parse_yaml;
use common::*;
use scraper::Html;

const REPORT: &str = "content/documents/annual-report-2012-13";
const PLAN: &str = "content/documents/business-plan-2012-13";

fn yaml<T: serde::de::DeserializeOwned>(root: &Path, rel: &str) -> T {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let mut diags = Diagnostics::default();
    parse_yaml(Path::new(rel), &text, 0, &mut diags).unwrap_or_else(|| panic!("{diags}"))
}

/// The example report's statuses by milestone id, and which status ids
/// count as limited and as complete.
struct Expected {
    status: BTreeMap<String, String>,
    limited: BTreeSet<String>,
    complete: BTreeSet<String>,
    plan_ids: Vec<String>,
}

fn expected(root: &Path, report: &str) -> Expected {
    let progress: Progress = yaml(root, &format!("{report}/progress.yaml"));
    let doc: Document = yaml(root, &format!("{report}/document.yaml"));
    let plan: Plan = yaml(root, &format!("{PLAN}/plan.yaml"));
    let key = doc.status_key.expect("the example report has its own key");
    let ids = |pick: fn(&boardpress::model::Status) -> bool| {
        key.statuses
            .iter()
            .filter(|s| pick(s))
            .map(|s| s.id.value.clone())
            .collect()
    };
    let plan_ids = plan
        .priorities
        .iter()
        .flat_map(|p| {
            p.milestones
                .iter()
                .chain(p.objectives.iter().flat_map(|o| &o.milestones))
        })
        .filter_map(|m| m.id.as_ref().map(|id| id.value.clone()))
        .collect();
    Expected {
        status: progress
            .milestones
            .iter()
            .filter_map(|m| Some((m.id.value.clone(), m.status.as_ref()?.value.clone())))
            .collect(),
        limited: ids(|s| s.limited),
        complete: ids(|s| s.complete),
        plan_ids,
    }
}

fn built_example() -> (tempfile::TempDir, std::path::PathBuf) {
    build_into_temp(&repo())
}

/// Milestone ids linked from the items of `section` (`#progress-<id>`).
fn linked_ids(html: &Html, section: &str, css: &str) -> BTreeSet<String> {
    html.select(&sel(&format!("{section} {css}")))
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|h| h.strip_prefix("#progress-"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_limited_progress_section_lists_exactly_the_limited_milestones() {
    let (_dir, out) = built_example();
    let html = page(&out, "annual-report-2012-13/index.html");
    let want = expected(&repo(), REPORT);
    let limited: BTreeSet<String> = want
        .status
        .iter()
        .filter(|(_, s)| want.limited.contains(*s))
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        limited.len() >= 3,
        "the example has limited progress to show"
    );
    let shown = linked_ids(
        &html,
        "section[aria-labelledby=limited-progress]",
        ".progress-list__head a",
    );
    assert_eq!(shown, limited);
    // Each is listed with its reason, the note from progress.yaml.
    let section = html
        .select(&sel("section[aria-labelledby=limited-progress]"))
        .next()
        .unwrap();
    assert!(
        text(section).contains("could not agree a shared forum"),
        "{}",
        text(section)
    );
}

#[test]
fn counts_at_a_glance_match_the_progress_file() {
    let (_dir, out) = built_example();
    let html = page(&out, "annual-report-2012-13/index.html");
    let want = expected(&repo(), REPORT);
    let glance = html
        .select(&sel("section[aria-labelledby=at-a-glance]"))
        .next()
        .unwrap();
    let sentence = text(glance.select(&sel("p.lead")).next().unwrap());
    let total = want.plan_ids.len();
    let complete = want
        .status
        .values()
        .filter(|s| want.complete.contains(*s))
        .count();
    let no_update = total - want.status.len();
    assert!(
        sentence.starts_with(&format!(
            "Of the {total} key milestones in the plan, {complete} are rated \"Complete\" (Blue)"
        )),
        "{sentence}"
    );
    assert!(
        sentence.contains(&format!("{no_update} have no update")),
        "{sentence}"
    );
    // The chart's table: one row per priority, the statuses across; its
    // columns add up to the counts in the file.
    let table = glance
        .select(&sel("table"))
        .next()
        .expect("the chart's data table");
    let headers: Vec<String> = table.select(&sel("thead th")).map(text).collect();
    for (i, header) in headers.iter().enumerate().skip(1) {
        let sum: usize = table
            .select(&sel("tbody tr"))
            .map(|row| {
                let cells: Vec<String> = row.select(&sel("td")).map(text).collect();
                cells[i - 1].parse::<usize>().unwrap()
            })
            .sum();
        let expected = if header == "No update" {
            no_update
        } else {
            // "Complete (Blue)": the key's ids are its colour words.
            let word = header.rsplit_once(" (").map_or(header.as_str(), |(_, w)| w);
            let id = word.trim_end_matches(')').to_lowercase();
            want.status.values().filter(|s| **s == id).count()
        };
        assert_eq!(sum, expected, "{header}");
    }
}

#[test]
fn a_milestone_the_report_omits_shows_no_update() {
    let (_dir, out) = built_example();
    let html = page(&out, "annual-report-2012-13/index.html");
    let want = expected(&repo(), REPORT);
    let omitted: Vec<&String> = want
        .plan_ids
        .iter()
        .filter(|id| !want.status.contains_key(*id))
        .collect();
    assert!(
        !omitted.is_empty(),
        "the example leaves milestones out on purpose"
    );
    for id in want.plan_ids.iter() {
        let row = html
            .select(&sel(&format!("tr#progress-{id}")))
            .next()
            .unwrap_or_else(|| panic!("no row for {id}: never silently dropped"));
        let rating = text(row.select(&sel("td[data-label=Status]")).next().unwrap());
        if omitted.contains(&id) {
            assert_eq!(rating, "No update", "{id}");
        } else {
            assert_ne!(rating, "No update", "{id}");
        }
    }
}

#[test]
fn the_plan_and_the_report_link_to_each_other_milestone_by_milestone() {
    let (_dir, out) = built_example();
    let plan = page(&out, "business-plan-2012-13/index.html");
    let report = page(&out, "annual-report-2012-13/index.html");
    let want = expected(&repo(), REPORT);
    let related = plan
        .select(&sel("aside.related a"))
        .next()
        .expect("the plan names its report");
    assert_eq!(
        related.value().attr("href"),
        Some("../annual-report-2012-13/index.html")
    );
    for id in &want.plan_ids {
        let href = format!("../annual-report-2012-13/index.html#progress-{id}");
        let from_plan = plan
            .select(&sel(&format!("tr#{id} .milestone__progress a")))
            .next()
            .unwrap_or_else(|| panic!("the plan's milestone {id} links to its progress"));
        assert_eq!(from_plan.value().attr("href"), Some(href.as_str()));
        let back = format!("../business-plan-2012-13/index.html#{id}");
        let link = report
            .select(&sel(&format!("tr#progress-{id} a.milestone__plan-link")))
            .next()
            .unwrap();
        assert_eq!(link.value().attr("href"), Some(back.as_str()));
    }
}

#[test]
fn overdue_milestones_are_those_due_and_not_complete() {
    let (_dir, out) = built_example();
    let html = page(&out, "annual-report-2012-13/index.html");
    let want = expected(&repo(), REPORT);
    let overdue = html
        .select(&sel("section[aria-labelledby=overdue] tbody tr"))
        .count();
    // Due by the as-at date, by the plan's timescales, and not complete.
    let plan: Plan = yaml(&repo(), &format!("{PLAN}/plan.yaml"));
    let as_at = boardpress::timescale::Date::new(2013, 3, 31).unwrap();
    let due: BTreeSet<String> = plan
        .priorities
        .iter()
        .flat_map(|p| p.objectives.iter().flat_map(|o| &o.milestones))
        .filter(|m| {
            let t = m
                .timescale
                .as_ref()
                .map(|t| t.value.as_str())
                .unwrap_or("Ongoing");
            boardpress::timescale::Timescale::parse(t)
                .unwrap()
                .due_by()
                .is_some_and(|d| d < as_at)
        })
        .filter_map(|m| m.id.as_ref().map(|id| id.value.clone()))
        .collect();
    let not_complete = due
        .iter()
        .filter(|id| {
            !want
                .status
                .get(*id)
                .is_some_and(|s| want.complete.contains(s))
        })
        .count();
    assert!(
        due.len() < want.plan_ids.len(),
        "one milestone is due later"
    );
    assert_eq!(overdue, not_complete);
    let words = text(
        html.select(&sel("tr#progress-caf-timely td[data-label=Timescales]"))
            .next()
            .unwrap(),
    );
    assert_eq!(words, "Dec 2012; 3 months overdue");
}

/// A second, earlier report on the same plan: the annual report then says
/// what changed since it.
#[test]
fn a_second_report_on_the_plan_shows_each_changed_status() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&repo().join("content"), &root.join("content"));
    let mid = root.join("content/documents/mid-year-review-2012");
    std::fs::create_dir_all(&mid).unwrap();
    let document = std::fs::read_to_string(repo().join(REPORT).join("document.yaml"))
        .unwrap()
        .replace(
            "title: Annual Report 2012-2013",
            "title: Mid-year review 2012",
        )
        .replace("kind: annual-report", "kind: other")
        .replace("as_at: \"2013-03-31\"", "as_at: \"2012-09-30\"");
    std::fs::write(mid.join("document.yaml"), document).unwrap();
    // Mid-year, three milestones had other ratings, and one had none.
    std::fs::write(
        mid.join("progress.yaml"),
        "milestones:\n  - id: mash-model\n    status: green\n  - id: da-links\n    status: amber\n  - id: cp-hub\n    status: blue\n  - id: caf-timely\n    status: green\n",
    )
    .unwrap();
    let (_out_dir, out) = build_into_temp(&root);
    let html = page(&out, "annual-report-2012-13/index.html");
    let changes = html
        .select(&sel("section[aria-labelledby=changes]"))
        .next()
        .expect("a changes section");
    assert!(text(changes).contains("Changes since Mid-year review 2012"));
    let changed: BTreeSet<String> = changes
        .select(&sel("ul.changes a"))
        .filter_map(|a| {
            a.value()
                .attr("href")?
                .strip_prefix("#progress-")
                .map(str::to_string)
        })
        .collect();
    // mash-model green -> blue, da-links amber -> red, caf-timely green ->
    // amber; cp-hub is blue in both; every other milestone went from no
    // update to a rating, except the two the annual report omits too.
    let want = expected(&repo(), REPORT);
    let mid_year: BTreeMap<&str, &str> = [
        ("mash-model", "green"),
        ("da-links", "amber"),
        ("cp-hub", "blue"),
        ("caf-timely", "green"),
    ]
    .into();
    let expected_changed: BTreeSet<String> = want
        .plan_ids
        .iter()
        .filter(|id| mid_year.get(id.as_str()).copied() != want.status.get(*id).map(String::as_str))
        .cloned()
        .collect();
    assert_eq!(changed, expected_changed);
    assert!(!changed.contains("cp-hub"));
    let item = changes
        .select(&sel("ul.changes li"))
        .find(|li| text(*li).contains("Model for Herefordshire MASH"))
        .unwrap();
    assert_eq!(
        text(item),
        "Model for Herefordshire MASH agreed.: On track (Green) → Complete (Blue)"
    );
    // The plan now names both reports.
    let plan = page(&out, "business-plan-2012-13/index.html");
    let names: Vec<String> = plan.select(&sel("aside.related a")).map(text).collect();
    assert_eq!(names, ["Mid-year review 2012", "Annual Report 2012-2013"]);
}

/// A report without a part the statutory guidance expects still builds,
/// and `check` says what is missing, apart from errors.
#[test]
fn a_missing_statutory_section_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    boardpress::init::init(&root).unwrap();
    let report = root.join("content/documents/annual-report-2025-26");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_boardpress"))
            .args(args)
            .current_dir(&root)
            .output()
            .unwrap()
    };
    let clean = run(&["check"]);
    assert!(String::from_utf8_lossy(&clean.stdout).starts_with("No problems found"));
    assert!(!String::from_utf8_lossy(&clean.stderr).contains("warning"));
    std::fs::remove_file(report.join("40-learning-from-reviews.md")).unwrap();
    let checked = run(&["check"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr),
    );
    assert!(checked.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("No errors found (1 warning)"),
        "{stdout}"
    );
    assert!(stderr.contains("warning: content/documents/annual-report-2025-26/document.yaml: the annual report has no section on what was learnt from local and national child safeguarding practice reviews (`learning-from-reviews`)"), "{stderr}");
    assert!(
        stderr.contains("covers: [learning-from-reviews]"),
        "{stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");
    let built = run(&["build"]);
    assert!(built.status.success());
    assert!(String::from_utf8_lossy(&built.stderr).contains("1 warning"));
}

/// The performance section quotes its headline figures from the data, so
/// each equals the chart's table cell for the same area and year.
#[test]
fn a_figure_quoted_in_the_report_equals_its_charts_table_cell() {
    let (_dir, out) = built_example();
    let html = page(&out, "annual-report-2012-13/index.html");
    let section = html
        .select(&sel("section[aria-labelledby='30-performance']"))
        .next()
        .expect("the performance section");
    let paragraphs: Vec<String> = section.select(&sel("p")).map(text).collect();
    let quoted = |starts: &str, ends: &str| -> String {
        let p = paragraphs
            .iter()
            .find(|p| p.contains(ends))
            .unwrap_or_else(|| panic!("no paragraph with {ends:?}: {paragraphs:#?}"));
        let from = p.find(starts).map_or(0, |i| i + starts.len());
        let to = p.find(ends).unwrap();
        p[from..to].trim().to_string()
    };
    let cell = |figure: usize, area: &str, year: &str| -> String {
        let table = section
            .select(&sel("figure.chart table"))
            .nth(figure)
            .expect("the chart's table");
        let headers: Vec<String> = table.select(&sel("thead th")).map(text).collect();
        let column = headers.iter().position(|h| h == area).unwrap();
        let row = table
            .select(&sel("tbody tr"))
            .find(|r| text(r.select(&sel("th")).next().unwrap()) == year)
            .unwrap();
        text(row.select(&sel("td")).nth(column - 1).unwrap())
    };
    let looked_after = quoted(
        "At 31 March 2025,",
        " in every 10,000 children in Herefordshire were looked after",
    );
    assert_eq!(looked_after, cell(0, "Herefordshire", "2025"));
    let england = format!("England's rate, {}.", cell(0, "England", "2025"));
    assert!(paragraphs.iter().any(|p| p.contains(&england)), "{england}");
    let on_plans = quoted(
        "",
        " in every 10,000 children were the subject of a child protection plan",
    );
    assert_eq!(on_plans, cell(1, "Herefordshire", "2025"));
    let change = format!("from {} in 2024", cell(1, "Herefordshire", "2024"));
    assert!(paragraphs.iter().any(|p| p.contains(&change)), "{change}");
}

/// A rating whose tag would be a whole sentence (a long meaning and no
/// `tag`) is a warning at its id, suggesting a tag; the build goes on.
#[test]
fn a_long_tag_is_a_warning_suggesting_a_short_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    boardpress::init::init(&root).unwrap();
    let doc = root.join("content/documents/annual-report-2025-26/document.yaml");
    let yaml = std::fs::read_to_string(&doc).unwrap();
    let (line, _) = yaml
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim() == "tag: At risk")
        .expect("the starter's at-risk tag");
    let yaml = yaml.replace("      tag: At risk\n", "").replace(
        "meaning: At risk of not being achieved",
        "meaning: In progress but at risk of not being achieved by its date",
    );
    std::fs::write(&doc, yaml).unwrap();
    let checked = std::process::Command::new(env!("CARGO_BIN_EXE_boardpress"))
        .arg("check")
        .current_dir(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(checked.status.success(), "{stderr}");
    // The id is two lines above the tag that was removed.
    let at = format!(
        "document.yaml:{}:11: the status `at-risk` has no `tag`",
        line - 1
    );
    assert!(stderr.contains(&at), "{stderr}");
    assert!(stderr.contains("add `tag:`"), "{stderr}");
}
