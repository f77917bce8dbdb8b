//! No input makes boardpress panic: property tests over the timescale parser,
//! the YAML loader, the CSV reader and Markdown rendering. Each runs a
//! bounded number of generated cases (proptest), so the suite stays quick.

use std::collections::BTreeMap;
use std::path::Path;

use boardpress::diagnostics::Diagnostics;
use boardpress::model::{Board, Document, Plan, SectionMeta};
use boardpress::render::markdown::{self, BlockOptions};
use boardpress::timescale::Timescale;
use proptest::prelude::*;

/// A fixed seed keeps CI repeatable. Before a release, search much further
/// with `BOARDPRESS_LONG_PROPERTIES=N cargo test --release --test properties`,
/// which runs N times as many cases of each property, from a seed that
/// changes each run (`BOARDPRESS_LONG_PROPERTIES=100` takes a few minutes).
fn config(cases: u32) -> ProptestConfig {
    let long: Option<u32> = std::env::var("BOARDPRESS_LONG_PROPERTIES")
        .ok()
        .and_then(|n| n.parse().ok());
    let rng_seed = match long {
        Some(_) => proptest::test_runner::RngSeed::Random,
        None => proptest::test_runner::RngSeed::Fixed(0x5afe_b0a2d),
    };
    ProptestConfig {
        cases: cases.saturating_mul(long.unwrap_or(1).max(1)),
        rng_seed,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that looks like plan content: YAML punctuation, indentation, tabs,
/// quotes, HTML, non-ASCII and the words the format uses.
fn plan_like() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "priorities:",
        "- ",
        "  ",
        "\t",
        "\n",
        "id: ",
        "title: ",
        "milestones:",
        "text: ",
        "leads: ",
        "timescale: ",
        "status: ",
        "[",
        "]",
        "{",
        "}",
        ":",
        "\"",
        "'",
        "&a",
        "*a",
        "!tag",
        "#",
        "|",
        ">",
        "<script>",
        "é",
        "—",
        "0",
        "2013",
        "March",
        "Ongoing",
        "---",
        "...",
        "~",
        "null",
        "true",
        "\u{feff}",
    ]);
    prop::collection::vec(atoms, 0..80).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn timescales_never_panic(text in ".{0,40}") {
        let _ = Timescale::parse(&text);
    }

    #[test]
    fn timescales_people_write_are_understood(
        month in prop::sample::select(vec!["January", "Feb", "March", "Sept", "October", "Dec"]),
        year in 1990i32..2100,
        onwards in any::<bool>(),
        from in any::<bool>(),
    ) {
        let mut text = format!("{month} {year}");
        if from { text = format!("From {text}"); }
        if onwards { text.push_str(" onwards"); }
        let parsed = Timescale::parse(&text).expect("accepted");
        prop_assert_eq!(&parsed.text, &text);
        prop_assert_eq!(parsed.machine().starts_with("from "), from || onwards);
    }

    #[test]
    fn yaml_loader_never_panics(text in plan_like()) {
        let mut diags = Diagnostics::default();
        let file = Path::new("content/plan.yaml");
        let _ = boardpress::yaml::parse_yaml::<Plan>(file, &text, 0, &mut diags);
        let _ = boardpress::yaml::parse_yaml::<Board>(file, &text, 0, &mut diags);
        let _ = boardpress::yaml::parse_yaml::<Document>(file, &text, 0, &mut diags);
        let _ = boardpress::yaml::parse_yaml::<SectionMeta>(file, &text, 3, &mut diags);
        let _ = diags.render();
    }

    #[test]
    fn markdown_never_panics_and_stays_safe(text in ".{0,300}", tags in prop::collection::vec(
        prop::sample::select(vec!["<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
            "# H", "[^1]", "[^1]: note", "| a |\n|---|\n| b |", "```chart\nnone\n```", "![i](../../x.png)", "[s](other.md)",
            "```table\nnone.csv\n```", "{{value none local 2025}}", "{{change \u{201c}a b", "`{{value}}`", "{{<script>}}"]), 0..6)) {
        let text = format!("{text}\n{}", tags.join("\n\n"));
        let sections = BTreeMap::new();
        let datasets = BTreeMap::new();
        let root = std::env::temp_dir();
        let opts = BlockOptions {
            id_prefix: "s",
            base_level: 3,
            allow_raw_html: false,
            sections: &sections,
            dir: Path::new("content"),
            root: &root,
            to_root: "../",
            datasets: &datasets,
            broken_data: &Default::default(),
            data_dir: Path::new("content/data"),
            remote_hosts: &[],
        };
        let block = markdown::block(&text, &opts);
        let lower = block.html.to_lowercase();
        prop_assert!(!lower.contains("<script"), "{}", block.html);
        // The words may appear as text; they must never be a link or an attribute.
        prop_assert!(!lower.contains("href=\"javascript"), "{}", block.html);
        prop_assert!(!lower.contains(" onerror="), "{}", block.html);
        let inline = markdown::inline(&text);
        prop_assert!(!inline.to_lowercase().contains("<script"));
    }
}

proptest! {
    #![proptest_config(config(40))]

    /// CSV files of any shape in a board's data folder give diagnostics, not panics.
    #[test]
    fn csv_reader_never_panics(
        header in prop::sample::select(vec!["period,local", "period,local,england", "local,period", "time_period,geographic_level,old_la_code,la_name,new_la_code,CPP_At31", ""]),
        rows in prop::collection::vec(prop::collection::vec(
            prop::sample::select(vec!["2020", "2021", "2019", "12", "c", ":", "", "x", "\"a,b\"", "1e400", "-3", "NaN", "Local authority", "National", "E1", "999"]), 0..7), 0..8),
        dfe in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("content/data");
        std::fs::create_dir_all(&data).unwrap();
        let body: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
        std::fs::write(data.join("s.csv"), format!("{header}\n{}\n", body.join("\n"))).unwrap();
        let yaml = if dfe {
            "title: T\nmeasure: count\nsource: S\ndfe:\n  file: s.csv\n  column: CPP_At31\n  local_authority: \"999\"\n  neighbours: [E1]\n"
        } else {
            "title: T\nmeasure: count\nsource: S\nareas:\n  - column: local\n  - column: england\n    role: england\n"
        };
        std::fs::write(data.join("s.yaml"), yaml).unwrap();
        let mut diags = Diagnostics::default();
        let loaded = boardpress::data::load_data(dir.path(), Path::new("content"), &mut Default::default(), &mut diags);
        for ds in loaded.values() {
            let _ = boardpress::render::charts::Figure::trend(ds, None, "c").view();
            let _ = boardpress::render::charts::trend_summary(ds);
        }
    }
}
