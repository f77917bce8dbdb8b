//! Data series for charts: a board's `data/` folder, read into [`Dataset`]s.
//!
//! Each series is a YAML description (`data/<id>.yaml`) beside its figures.
//! Two layouts of figures are read:
//! - a *wide* CSV of our own: a `period` column, then one column per area;
//! - the Department for Education's published CSV layout, read as it is
//!   (`time_period`, `geographic_level`, `la_name`, `new_la_code`,
//!   `old_la_code`, measure columns such as `CPP_At31` or `rate_per_10000`),
//!   with the local authority, its statistical neighbours (named, or taken from
//!   the DfE's statistical-neighbour model file) and England chosen in the YAML;
//!   a count can be made a rate per 10,000 with the population in another DfE
//!   file (`per_10000`), each area's rate worked out before neighbours are
//!   summarised.
//!
//! [`table`] reads the files of ```table blocks (a CSV, or a YAML table in a
//! sub-folder) for the renderer to show as tables.
//!
//! Cells holding the DfE's codes (`c`, `z`, `:`, `u`, `k`, `x`, or empty)
//! become gaps with a note, never zeros. Every problem is a diagnostic naming
//! the file, the CSV row and the column.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

mod dfe;
mod read;
pub mod table;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean, pos};
use crate::files::read_text;
use crate::model::Spanned;
use crate::model::checked;
use crate::yaml::parse_yaml;
use read::Reader;

/// What a series measures. Compared areas must share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    Count,
    #[serde(rename = "rate-per-10000")]
    RatePer10000,
    Percentage,
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Count => "Number",
            Measure::RatePer10000 => "Rate per 10,000 children",
            Measure::Percentage => "Percentage",
        }
    }

    /// A value as the page shows it: "1,234", "45.5", "12.5%".
    pub fn format(self, v: f64) -> String {
        let text = format_number(v);
        match self {
            Measure::Percentage => format!("{text}%"),
            _ => text,
        }
    }
}

/// Thousands separators; whole numbers without decimals, others rounded to two places.
pub fn format_number(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    // Most figures on a page are small whole numbers (counts, axis ticks),
    // written without the general path's five strings.
    if rounded.fract() == 0.0 && rounded.is_sign_positive() && rounded < 1000.0 {
        return itoa::Buffer::new().format(rounded as u16).to_string();
    }
    grouped(rounded)
}

/// [`format_number`] of a number already rounded to two places.
fn grouped(rounded: f64) -> String {
    let mut text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    };
    let (int, frac) = match text.find('.') {
        Some(i) => (text[..i].to_string(), text[i..].to_string()),
        None => (text.clone(), String::new()),
    };
    let (sign, digits) = int
        .strip_prefix('-')
        .map_or(("", int.as_str()), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    text = format!("{sign}{grouped}{frac}");
    text
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    #[default]
    Line,
    Column,
}

/// The part an area plays on a chart: the board's own area first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    #[default]
    Local,
    Neighbours,
    Region,
    England,
    Other,
}

/// `data/<id>.yaml`: what a series is and where its figures are.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSpec {
    /// States the finding: "Fewer children are on plans than at the 2011 peak".
    pub title: String,
    pub measure: Measure,
    /// How the measure is named on the chart, when the default ("Number",
    /// "Rate per 10,000 children", "Percentage") does not fit, e.g.
    /// "Rate per 100,000 adults" for a Safeguarding Adults Board.
    pub measure_label: Option<String>,
    /// e.g. "children on child protection plans at 31 March".
    pub subject: Option<String>,
    /// The place the chart is about, for the subtitle.
    pub place: Option<String>,
    pub source: String,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub kind: ChartKind,
    /// Wide layout: the CSV file (default `<id>.csv`) and its area columns.
    pub csv: Option<Spanned<String>>,
    #[serde(default)]
    pub areas: Vec<AreaSpec>,
    /// DfE layout.
    pub dfe: Option<DfeSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    pub column: Spanned<String>,
    pub label: Option<String>,
    #[serde(default)]
    pub role: Role,
    /// Only when this area's figures are in another measure (an error).
    pub measure: Option<Spanned<Measure>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DfeSpec {
    /// The published CSV file, in the data folder.
    pub file: Spanned<String>,
    /// The measure column, e.g. `CPP_At31` or `rate_per_10000`.
    pub column: Spanned<String>,
    /// Other columns that must match, e.g. `population_type`.
    #[serde(default)]
    pub filter: BTreeMap<String, String>,
    /// The local authority, by `la_name`, `new_la_code` or `old_la_code`.
    pub local_authority: Spanned<String>,
    /// Label for the local authority (default: its name in the file).
    pub label: Option<String>,
    /// Statistical neighbours by name or code.
    #[serde(default)]
    pub neighbours: Vec<Spanned<String>>,
    /// Or the DfE statistical-neighbour model file (`SN_1` … `SN_10`).
    pub neighbours_from: Option<Spanned<String>>,
    /// How the neighbours are summarised: `median` (default) or `mean`.
    #[serde(default)]
    pub neighbours_summary: Summary,
    #[serde(default)]
    pub england: bool,
    /// The first period to show, e.g. `"2021"`: earlier ones are left out
    /// (when a rate can only be made from then on).
    pub from: Option<Spanned<String>>,
    /// Make the rate from this count: divide by a population column in
    /// another DfE file and multiply by 10,000 (`measure: rate-per-10000`).
    pub per_10000: Option<Spanned<PopulationSpec>>,
}

/// `per_10000:` in `dfe:`: where the population for a derived rate is. Rows
/// are matched to the count's by `time_period` and area (a local
/// authority's `old_la_code` or `new_la_code`; England's `National` row).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationSpec {
    /// The DfE file holding the population, in the data folder.
    pub file: Spanned<String>,
    /// Its population column, e.g. `population_estimate`.
    pub column: Spanned<String>,
    /// Other columns that must match, e.g. `population_type`.
    #[serde(default)]
    pub filter: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Summary {
    #[default]
    Median,
    Mean,
}

/// One cell of a series: a number, or a gap with the code that made it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Value(f64),
    Missing(String),
}

impl Cell {
    pub fn value(&self) -> Option<f64> {
        match self {
            Cell::Value(v) => Some(*v),
            Cell::Missing(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub role: Role,
    pub cells: Vec<Cell>,
}

/// A series ready to chart.
#[derive(Debug)]
pub struct Dataset {
    pub id: String,
    pub file: PathBuf,
    pub spec: SeriesSpec,
    pub periods: Vec<String>,
    pub series: Vec<Series>,
    /// Notes generated from the data (suppressed cells, missing neighbours).
    pub data_notes: Vec<String>,
}

impl Dataset {
    /// The measure as the chart names it.
    pub fn measure_label(&self) -> &str {
        self.spec
            .measure_label
            .as_deref()
            .unwrap_or(self.spec.measure.label())
    }

    /// "Rate per 10,000 children, Herefordshire, 2008 to 2012".
    pub fn subtitle(&self) -> String {
        let mut parts = vec![match &self.spec.subject {
            Some(s) => format!("{}: {s}", self.measure_label()),
            None => self.measure_label().to_string(),
        }];
        if let Some(place) = &self.spec.place {
            parts.push(place.clone());
        }
        if let (Some(first), Some(last)) = (self.periods.first(), self.periods.last()) {
            parts.push(if first == last {
                first.clone()
            } else {
                format!("{first} to {last}")
            });
        }
        parts.join(", ")
    }
}

/// Codes the DfE puts in cells instead of numbers, and what they mean.
pub const CODES: [(&str, &str); 7] = [
    ("c", "suppressed to protect confidentiality"),
    ("z", "not applicable"),
    (":", "not available"),
    ("u", "low reliability"),
    ("k", "fewer than 0.5%"),
    ("x", "not available for another reason"),
    ("", "no figure given"),
];

pub(crate) fn parse_cell(raw: &str) -> Option<Cell> {
    let t = raw.trim();
    if let Some((code, _)) = CODES.iter().find(|(c, _)| c.eq_ignore_ascii_case(t)) {
        return Some(Cell::Missing(code.to_string()));
    }
    t.replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Cell::Value)
}

/// Load every series in `<board dir>/data/`, keyed by id (the file stem).
/// Series that could not be read are left out and their ids added to
/// `broken`, so that references to them do not report a second error.
pub fn load_data(
    root: &Path,
    board_dir: &Path,
    broken: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Dataset> {
    let dir = board_dir.join("data");
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
        return out;
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| (n.ends_with(".yaml") || n.ends_with(".yml")) && !n.starts_with('.'))
        .collect();
    names.sort();
    // Each series is read on its own (a DfE file is hundreds of kilobytes
    // of CSV), then added in name order, so errors come out the same.
    let tables = read::Tables::default();
    let loaded: Vec<(String, Option<Dataset>, Diagnostics)> = names
        .par_iter()
        .map(|name| {
            let mut found = Diagnostics::default();
            let (id, dataset) = load_series(root, &dir, name, &tables, &mut found);
            (id, dataset, found)
        })
        .collect();
    for (id, dataset, found) in loaded {
        diags.merge(found);
        match dataset {
            Some(ds) => {
                out.insert(id, ds);
            }
            None => {
                broken.insert(id);
            }
        }
    }
    out
}

/// One series file of `dir`, by its id, if it could be read.
fn load_series(
    root: &Path,
    dir: &Path,
    name: &str,
    tables: &read::Tables,
    diags: &mut Diagnostics,
) -> (String, Option<Dataset>) {
    let id = name
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .to_string();
    let file = dir.join(name);
    let text = match read_text(root, &file) {
        Ok(t) => t,
        Err(e) => {
            diags.push(e.into());
            return (id, None);
        }
    };
    if looks_like_table(&text) {
        let moved = dir.join("tables").join(name);
        diags.push(
            Diagnostic::new(&file, "this file is a table (`columns:` and `rows:`), but every .yaml file directly in the data folder describes a chart series")
                .help(format!(
                    "move it into a sub-folder, such as {}, and name it from there in the table block: `file: tables/{name}`",
                    crate::files::display_path(&moved)
                )),
        );
        return (id, None);
    }
    let Some(spec) = parse_yaml::<SeriesSpec>(&file, &text, 0, diags) else {
        return (id, None);
    };
    let reader = Reader {
        root,
        dir,
        file: &file,
        diags,
        tables,
    };
    let dataset = reader.dataset(id.clone(), spec);
    (id, dataset)
}

/// A table for a ```table block (`columns:` and `rows:` at the top level)
/// rather than a series description.
fn looks_like_table(text: &str) -> bool {
    let top = |key: &str| text.lines().any(|l| l.starts_with(key));
    top("columns:") && top("rows:") && !top("title:")
}

/// A board's data series, by id, and the ids of those whose files had
/// mistakes (already reported, so references to them add no second error).
#[derive(Debug, Default)]
pub struct BoardData {
    pub series: BTreeMap<String, Dataset>,
    pub broken: BTreeSet<String>,
    /// The board's data folder, relative to the site root, where ```table
    /// blocks find their files.
    pub dir: PathBuf,
}

impl BoardData {
    /// Load the series in `<board dir>/data/` and check that every key
    /// figure a document names is one of them.
    pub fn load(
        root: &Path,
        board: &checked::Board,
        board_dir: &Path,
        diags: &mut Diagnostics,
    ) -> BoardData {
        let mut broken = BTreeSet::new();
        let series = load_data(root, board_dir, &mut broken, diags);
        let data = BoardData {
            series,
            broken,
            dir: board_dir.join("data"),
        };
        for doc in &board.documents {
            let file = doc.dir.join("document.yaml");
            for id in &doc.charts {
                if !data.series.contains_key(&id.value) && !data.broken.contains(&id.value) {
                    diags.push(data.unknown(&file, id));
                }
            }
        }
        data
    }

    fn unknown(&self, file: &Path, id: &Spanned<String>) -> Diagnostic {
        let known: Vec<&str> = self.series.keys().map(String::as_str).collect();
        let help = did_you_mean(&id.value, &known).unwrap_or_else(|| match known[..] {
            [] => "no data series is defined; define it first".to_string(),
            _ => format!("the known ids are: {}", known.join(", ")),
        });
        Diagnostic::new(file, format!("unknown data series `{}`", id.value))
            .at(pos(id))
            .help(help)
    }
}

#[cfg(test)]
mod tests {
    use super::dfe::summarise;
    use super::read::leading_year;
    use super::*;

    proptest::proptest! {
        /// Small whole numbers take a short cut that writes what the
        /// general path writes, -0 and all.
        #[test]
        fn small_whole_numbers_are_written_as_any_number_is(
            v in proptest::prop_oneof![
                proptest::strategy::Strategy::prop_map(0u32..1200, f64::from),
                -1200.0..1200.0f64,
                proptest::sample::select(vec![0.0, -0.0, -0.001, 0.004, 999.996, 999.994, 1000.0, 1e9]),
            ]
        ) {
            let rounded = (v * 100.0).round() / 100.0;
            proptest::prop_assert_eq!(format_number(v), grouped(rounded));
        }
    }

    #[test]
    fn numbers_keep_their_separators_and_places() {
        for (v, text) in [
            (0.0, "0"),
            (7.0, "7"),
            (999.0, "999"),
            (1000.0, "1,000"),
            (-0.001, "-0"),
            (12.5, "12.5"),
            (1234567.891, "1,234,567.89"),
        ] {
            assert_eq!(format_number(v), text, "{v}");
        }
    }

    /// Two series reading one CSV share it, whether it reads well or not:
    /// each series still gets its figures, or its own report of the problem.
    #[test]
    fn series_share_a_csv_and_each_reports_its_problems() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("content/data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(
            data.join("s.csv"),
            "period,local,england\n2020,1,2\n2021,3,4\n",
        )
        .unwrap();
        let series = |file: &str| {
            format!(
                "title: T\nmeasure: rate-per-10000\nsource: S\ncsv: {file}\nareas:\n  - column: local\n  - column: england\n    role: england\n"
            )
        };
        for (name, file) in [
            ("a", "s.csv"),
            ("b", "s.csv"),
            ("c", "gone.csv"),
            ("d", "gone.csv"),
        ] {
            std::fs::write(data.join(format!("{name}.yaml")), series(file)).unwrap();
        }
        let mut diags = Diagnostics::default();
        let mut broken = BTreeSet::new();
        let loaded = load_data(dir.path(), Path::new("content"), &mut broken, &mut diags);
        let report = diags.render();
        assert_eq!(loaded.keys().collect::<Vec<_>>(), ["a", "b"], "{report}");
        assert_eq!(
            format!("{:?}", loaded["a"].series),
            format!("{:?}", loaded["b"].series)
        );
        assert_eq!(broken.iter().collect::<Vec<_>>(), ["c", "d"]);
        assert_eq!(diags.len(), 2, "{report}");
        for name in ["c.yaml", "d.yaml"] {
            assert!(report.contains(name), "{report}");
        }
        assert!(
            report.contains("the data file `gone.csv` does not exist"),
            "{report}"
        );
    }

    #[test]
    fn codes_become_gaps_and_numbers_parse() {
        assert_eq!(parse_cell("1,234"), Some(Cell::Value(1234.0)));
        assert_eq!(parse_cell(" 45.5 "), Some(Cell::Value(45.5)));
        assert_eq!(parse_cell("c"), Some(Cell::Missing("c".into())));
        assert_eq!(parse_cell(":"), Some(Cell::Missing(":".into())));
        assert_eq!(parse_cell(""), Some(Cell::Missing("".into())));
        assert_eq!(parse_cell("twelve"), None);
        assert_eq!(parse_cell("NaN"), None);
    }

    #[test]
    fn numbers_are_grouped_for_reading() {
        assert_eq!(format_number(49420.0), "49,420");
        assert_eq!(format_number(45.5), "45.5");
        assert_eq!(format_number(-1234567.0), "-1,234,567");
        assert_eq!(Measure::Percentage.format(12.5), "12.5%");
    }

    #[test]
    fn medians_and_means() {
        assert_eq!(summarise(&mut [3.0, 1.0, 2.0], Summary::Median), Some(2.0));
        assert_eq!(
            summarise(&mut [4.0, 1.0, 2.0, 3.0], Summary::Median),
            Some(2.5)
        );
        assert_eq!(summarise(&mut [1.0, 2.0], Summary::Mean), Some(1.5));
        assert_eq!(summarise(&mut [], Summary::Mean), None);
    }

    #[test]
    fn summaries_keep_their_figures_precision() {
        use super::dfe::{decimals_of, round_to};
        assert_eq!(decimals_of("66"), 0);
        assert_eq!(decimals_of(" 45.50 "), 2);
        assert_eq!(round_to(66.5, 0), 67.0);
        assert_eq!(round_to(45.25, 1), 45.3);
        assert_eq!(round_to(-2.5, 0), -3.0);
    }

    #[test]
    fn years_are_read_from_period_labels() {
        assert_eq!(leading_year("2011"), Some(2011));
        assert_eq!(leading_year("Q1 2011-12"), Some(2011));
        assert_eq!(leading_year("201213"), Some(2012));
        assert_eq!(leading_year("baseline"), None);
    }
}
