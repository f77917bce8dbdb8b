//! Figures and tables in the text, as a reader gets them: a figure quoted
//! with `{{value …}}` is the one in the chart's table on the same page,
//! `{{change …}}` says the change in words, a rate derived with `per_10000`
//! is the DfE's count over its population, and a ```table block is an
//! accessible, escaped HTML table.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use scraper::{ElementRef, Html};

const DOC: &str = "content/documents/business-plan-2025-26";
const DFE: [&str; 3] = [
    "cla_number_and_rate_per_10k_children.csv",
    "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "sn_model_2025_wide.csv",
];

/// The looked-after rate as published, against the SN model and England.
const CLA: &str = "title: Herefordshire looks after more children than similar areas
measure: rate-per-10000
source: Department for Education
dfe:
  file: cla_number_and_rate_per_10k_children.csv
  column: rate_per_10000
  filter:
    population_type: Children looked after on 31 March each year
  local_authority: \"Herefordshire, County of\"
  neighbours_from: sn_model_2025_wide.csv
  england: true
";

/// The child protection rate, made from the D5 count and the CLA file's
/// population.
const CPP: &str = "title: Fewer children on plans than at the 2022 peak
measure: rate-per-10000
source: Department for Education
dfe:
  file: d5_cpps_at31march_by_duration_2013_to_2025.csv
  column: CPP_At31
  per_10000:
    file: cla_number_and_rate_per_10k_children.csv
    column: population_estimate
    filter:
      population_type: Children looked after on 31 March each year
  local_authority: \"Herefordshire, County of\"
  neighbours_from: sn_model_2025_wide.csv
  england: true
";

/// A starter site with the DfE files and the two series in its data
/// folder, and `intro` as the body of its introduction.
fn site(dir: &Path, intro: &str) -> PathBuf {
    let root = dir.join("site");
    boardpress::init::init(&root).unwrap();
    let data = root.join("content/data");
    fs::create_dir_all(&data).unwrap();
    for f in DFE {
        fs::copy(repo().join("tests/data/dfe").join(f), data.join(f)).unwrap();
    }
    fs::write(data.join("cla.yaml"), CLA).unwrap();
    fs::write(data.join("cpp.yaml"), CPP).unwrap();
    let file = root.join(DOC).join("10-introduction.md");
    let text = fs::read_to_string(&file).unwrap();
    let front = &text[..text.rfind("---\n").unwrap() + 4];
    fs::write(&file, format!("{front}{intro}")).unwrap();
    root
}

fn introduction(html: &Html) -> ElementRef<'_> {
    html.select(&sel("section.narrative"))
        .find(|s| s.value().attr("aria-labelledby") == Some("10-introduction"))
        .expect("the introduction")
}

/// A chart's data table: its header row and its body rows, as text.
fn chart_table(fig: ElementRef) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = fig
        .select(&sel("details table thead th"))
        .map(text)
        .collect();
    let rows = fig
        .select(&sel("details table tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect();
    (headers, rows)
}

fn cell(table: &(Vec<String>, Vec<Vec<String>>), column: &str, period: &str) -> String {
    let i = table
        .0
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}: {:?}", table.0));
    let row = table
        .1
        .iter()
        .find(|r| r[0] == period)
        .unwrap_or_else(|| panic!("no period {period}"));
    row[i].clone()
}

fn items(section: ElementRef) -> Vec<String> {
    section.select(&sel("li")).map(text).collect()
}

#[test]
fn a_quoted_value_is_the_figure_in_the_charts_table() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "Our rate of looked-after children:\n\n\
         - {{value cla local 2025}}\n\
         - {{value cla \"Statistical neighbours (median)\" 2025}}\n\
         - {{ value   cla england\n   2021 }}\n\
         - {{value cla \"Herefordshire, County of\" 2023}}\n\
         - {{change cla local 2025}}\n\
         - {{change cla england 2025}}\n\
         - `{{value cla local 2025}}`\n\n\
         ```chart\ncla\n```\n",
    );
    let (_tmp, out) = build_into_temp(&root);
    let html = page(&out, "business-plan-2025-26/index.html");
    let intro = introduction(&html);
    let fig = intro
        .select(&sel("figure.chart"))
        .next()
        .expect("the chart");
    let table = chart_table(fig);
    let quoted = items(intro);
    assert_eq!(quoted[0], cell(&table, "Herefordshire, County of", "2025"));
    assert_eq!(quoted[0], "100");
    assert_eq!(
        quoted[1],
        cell(&table, "Statistical neighbours (median)", "2025")
    );
    assert_eq!(quoted[2], cell(&table, "England", "2021"));
    assert_eq!(quoted[3], cell(&table, "Herefordshire, County of", "2023"));
    assert_eq!(quoted[4], "down 13 from 113 in 2024");
    assert_eq!(
        quoted[4],
        format!(
            "down 13 from {} in 2024",
            cell(&table, "Herefordshire, County of", "2024")
        )
    );
    assert_eq!(quoted[5], "down 2 from 69 in 2024");
    assert_eq!(
        quoted[6], "{{value cla local 2025}}",
        "code is left as written"
    );
}

#[test]
fn changes_are_said_in_words_in_sections_and_the_plan_intro() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "- {{change share local 2023}}\n- {{change share local 2024}}\n- {{change share local 2025}}\n- {{change share \"Exampleshire\" 2022}}\n",
    );
    let data = root.join("content/data");
    fs::write(
        data.join("share.yaml"),
        "title: T\nmeasure: percentage\nsource: S\nareas:\n  - column: local\n    label: Exampleshire\n",
    )
    .unwrap();
    fs::write(
        data.join("share.csv"),
        "period,local\n2021,10\n2022,12.5\n2023,12.5\n2024,13.5\n2025,11\n",
    )
    .unwrap();
    let plan = root.join(DOC).join("plan.yaml");
    let yaml = fs::read_to_string(&plan)
        .unwrap()
        .replacen("order: 20\n", "order: 20\nintro: |\n  The share was {{value share local 2025}}, {{change share local 2025}}.\n", 1);
    fs::write(&plan, yaml).unwrap();
    let (_tmp, out) = build_into_temp(&root);
    let html = page(&out, "business-plan-2025-26/index.html");
    assert_eq!(
        items(introduction(&html)),
        [
            "unchanged from 2022",
            "up 1 percentage point from 12.5% in 2023",
            "down 2.5 percentage points from 13.5% in 2024",
            "up 2.5 percentage points from 10% in 2021",
        ]
    );
    let plan = html.select(&sel("section.plan")).next().expect("the plan");
    assert!(
        text(plan).contains("The share was 11%, down 2.5 percentage points from 13.5% in 2024."),
        "{}",
        text(plan)
    );
}

/// The DfE's CSV files as rows of named fields.
fn dfe_rows(name: &str) -> Vec<std::collections::HashMap<String, String>> {
    let text = fs::read_to_string(repo().join("tests/data/dfe").join(name)).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// CPP_At31 / population_estimate × 10,000, to one decimal place, for the
/// area `pick` chooses in `year`; `None` when either is not a number.
fn derived_rate(
    d5: &[std::collections::HashMap<String, String>],
    cla: &[std::collections::HashMap<String, String>],
    year: &str,
    pick: impl Fn(&std::collections::HashMap<String, String>) -> bool,
) -> Option<f64> {
    let count: f64 = d5.iter().find(|r| r["time_period"] == year && pick(r))?["CPP_At31"]
        .parse()
        .ok()?;
    let people: f64 = cla.iter().find(|r| {
        r["time_period"] == year
            && r["population_type"] == "Children looked after on 31 March each year"
            && pick(r)
    })?["population_estimate"]
        .parse()
        .ok()?;
    Some((count / people * 10_000.0 * 10.0).round() / 10.0)
}

/// As the page shows a figure: whole numbers without decimals.
fn shown(v: f64) -> String {
    let v = (v * 100.0).round() / 100.0;
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

#[test]
fn a_derived_rate_is_the_count_over_the_population() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "Children on plans per 10,000: {{value cpp local 2025}}.\n\n```chart\ncpp\n```\n",
    );
    let (_tmp, out) = build_into_temp(&root);
    let html = page(&out, "business-plan-2025-26/index.html");
    let intro = introduction(&html);
    let fig = intro
        .select(&sel("figure.chart"))
        .next()
        .expect("the chart");
    let table = chart_table(fig);
    let (d5, cla) = (
        dfe_rows("d5_cpps_at31march_by_duration_2013_to_2025.csv"),
        dfe_rows("cla_number_and_rate_per_10k_children.csv"),
    );
    let la = |code: &'static str| {
        move |r: &std::collections::HashMap<String, String>| {
            r["geographic_level"] == "Local authority" && r["old_la_code"] == code
        }
    };
    let hereford = derived_rate(&d5, &cla, "2025", la("884")).unwrap();
    assert_eq!(
        cell(&table, "Herefordshire, County of", "2025"),
        shown(hereford)
    );
    assert!(text(intro).contains(&format!(
        "Children on plans per 10,000: {}.",
        shown(hereford)
    )));
    let england = derived_rate(&d5, &cla, "2025", |r| r["geographic_level"] == "National").unwrap();
    assert_eq!(cell(&table, "England", "2025"), shown(england));
    // Each neighbour's rate first, then their median.
    let sn = dfe_rows("sn_model_2025_wide.csv");
    let model = sn.iter().find(|r| r["old_la_code"] == "884").unwrap();
    let mut rates: Vec<f64> = (1..=10)
        .filter_map(|i| {
            let code = model[&format!("SN_{i}")].clone();
            derived_rate(&d5, &cla, "2025", move |r| {
                r["geographic_level"] == "Local authority" && r["old_la_code"] == code
            })
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    let n = rates.len();
    let median = if n % 2 == 1 {
        rates[n / 2]
    } else {
        (rates[n / 2 - 1] + rates[n / 2]) / 2.0
    };
    assert_eq!(
        cell(&table, "Statistical neighbours (median)", "2025"),
        shown(median)
    );
    // Before 2021 the CLA file has no population: a gap, never a zero.
    assert_eq!(
        cell(&table, "Herefordshire, County of", "2020"),
        "no figure"
    );
    let notes = text(fig.select(&sel(".chart__notes")).next().unwrap());
    assert!(
        notes.contains(
            "calculated from column CPP_At31 of d5_cpps_at31march_by_duration_2013_to_2025.csv"
        ) && notes
            .contains("column population_estimate of cla_number_and_rate_per_10k_children.csv"),
        "{notes}"
    );
    assert!(
        notes.contains("2019, 2020: no rate, as cla_number_and_rate_per_10k_children.csv has no population figure for those years"),
        "{notes}"
    );
}

#[test]
fn a_table_block_is_an_accessible_escaped_table() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(
        dir.path(),
        "Training this year:\n\n```table\nfile: training.csv\ncaption: Training delivered by agency, 2024-25\n```\n\nPartners:\n\n```table\ntables/partners.yaml\n```\n",
    );
    let data = root.join("content/data");
    fs::write(
        data.join("training.csv"),
        "Agency,Courses,People trained\nPolice,12,340\nHealth,8,\"1,210\"\n<script>alert(1)</script>,c,&amp;\n",
    )
    .unwrap();
    fs::create_dir_all(data.join("tables")).unwrap();
    fs::write(
        data.join("tables/partners.yaml"),
        "columns: [Partner, Staff]\nrows:\n  - [Police, 120]\n  - [\"Schools & colleges\", 45.5]\n",
    )
    .unwrap();
    let (_tmp, out) = build_into_temp(&root);
    let source = fs::read_to_string(out.join("business-plan-2025-26/index.html")).unwrap();
    assert!(!source.contains("<script>alert"), "the cell is escaped");
    let html = Html::parse_document(&source);
    let intro = introduction(&html);
    let tables: Vec<ElementRef> = intro.select(&sel("table.table.data-table")).collect();
    assert_eq!(tables.len(), 2);
    let t = tables[0];
    assert_eq!(
        text(t.select(&sel("caption")).next().unwrap()),
        "Training delivered by agency, 2024-25"
    );
    let cols: Vec<String> = t.select(&sel("thead th[scope=col]")).map(text).collect();
    assert_eq!(cols, ["Agency", "Courses", "People trained"]);
    let rows: Vec<String> = t.select(&sel("tbody th[scope=row]")).map(text).collect();
    assert_eq!(rows, ["Police", "Health", "<script>alert(1)</script>"]);
    assert!(t.select(&sel("script")).next().is_none());
    let numeric: Vec<String> = t.select(&sel("tbody td.numeric")).map(text).collect();
    assert_eq!(numeric, ["12", "340", "8", "1,210"]);
    let last: Vec<String> = t.select(&sel("tbody tr:last-child td")).map(text).collect();
    assert_eq!(last, ["c", "&amp;"], "text is shown as written");
    let p = tables[1];
    assert_eq!(
        text(p.select(&sel("caption")).next().unwrap()),
        "partners.yaml"
    );
    let cells: Vec<String> = p.select(&sel("tbody th, tbody td")).map(text).collect();
    assert_eq!(cells, ["Police", "120", "Schools & colleges", "45.5"]);
    assert_eq!(
        p.select(&sel("thead th.numeric"))
            .map(text)
            .collect::<Vec<_>>(),
        ["Staff"],
        "a column of figures is right-aligned, heading too"
    );
}
