//! Data series for charts: a board's `data/` folder, read into [`Dataset`]s.
//!
//! Each series is a YAML description (`data/<id>.yaml`) beside its figures.
//! Two layouts of figures are read:
//! - a *wide* CSV of our own: a `period` column, then one column per area;
//! - the Department for Education's published CSV layout, read as it is
//!   (`time_period`, `geographic_level`, `la_name`, `new_la_code`,
//!   `old_la_code`, measure columns such as `CPP_At31` or `rate_per_10000`),
//!   with the local authority, its statistical neighbours (named, or taken from
//!   the DfE's statistical-neighbour model file) and England chosen in the YAML.
//!
//! Cells holding the DfE's codes (`c`, `z`, `:`, `u`, `k`, `x`, or empty)
//! become gaps with a note, never zeros. Every problem is a diagnostic naming
//! the file, the CSV row and the column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::load::{parse_yaml, read_text};
use crate::model::Spanned;
use crate::validate::pos;

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

fn parse_cell(raw: &str) -> Option<Cell> {
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
    broken: &mut std::collections::BTreeSet<String>,
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
    for name in names {
        let id = name
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml")
            .to_string();
        let file = dir.join(&name);
        broken.insert(id.clone());
        let text = match read_text(root, &file) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let Some(spec) = parse_yaml::<SeriesSpec>(&file, &text, 0, diags) else {
            continue;
        };
        let reader = Reader {
            root,
            dir: &dir,
            file: &file,
            diags,
        };
        if let Some(ds) = reader.dataset(id.clone(), spec) {
            broken.remove(&id);
            out.insert(id, ds);
        }
    }
    out
}

struct Reader<'a> {
    root: &'a Path,
    dir: &'a Path,
    file: &'a Path,
    diags: &'a mut Diagnostics,
}

/// A CSV file read into rows, with its header.
struct Table {
    file: PathBuf,
    /// The file's lines, to point at a field's real column in errors.
    lines: Vec<String>,
    header: Vec<String>,
    /// (line number in the file, fields)
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Where field `col` (0-based) of file line `line` starts, counting
    /// characters and honouring quoted fields with commas inside.
    fn position(&self, line: usize, col: usize) -> Position {
        let text = self
            .lines
            .get(line.saturating_sub(1))
            .map_or("", String::as_str);
        let (mut field, mut quoted) = (0, false);
        for (i, c) in text.chars().enumerate() {
            if field == col {
                return Position::new(line, i + 1);
            }
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => field += 1,
                _ => {}
            }
        }
        Position::new(line, text.chars().count() + 1)
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h.trim() == name)
    }
}

impl Reader<'_> {
    fn dataset(mut self, id: String, spec: SeriesSpec) -> Option<Dataset> {
        let (periods, series, notes) = match (&spec.dfe, spec.areas.is_empty()) {
            (Some(dfe), true) => self.dfe(dfe, spec.measure)?,
            (None, false) => self.wide(&id, &spec)?,
            (Some(_), false) => {
                self.diags.push(
                    Diagnostic::new(self.file, "a series has either `areas` (our own CSV layout) or `dfe` (the DfE's layout), not both")
                        .help("remove one of them"),
                );
                return None;
            }
            (None, true) => {
                self.diags.push(
                    Diagnostic::new(self.file, "the series says neither where its figures are nor which areas to show")
                        .help("add `areas:` with a `column` for each area of the CSV, or a `dfe:` section"),
                );
                return None;
            }
        };
        let local_has_values = series
            .first()
            .is_some_and(|s| s.cells.iter().any(|c| c.value().is_some()));
        if !local_has_values {
            self.diags.push(
                Diagnostic::new(
                    self.file,
                    "the series has no figures: every cell is empty or suppressed",
                )
                .help("check the CSV holds numbers for this area"),
            );
            return None;
        }
        Some(Dataset {
            id,
            file: self.file.to_path_buf(),
            spec,
            periods,
            series,
            data_notes: notes,
        })
    }

    fn table(&mut self, name: &Spanned<String>) -> Option<Table> {
        let rel = self.dir.join(&name.value);
        let text = match read_text(self.root, &rel) {
            Ok(t) => t,
            Err(mut d) => {
                if !self.root.join(&rel).exists() {
                    d = Diagnostic::new(
                        self.file,
                        format!("the data file `{}` does not exist", name.value),
                    )
                    .at(pos(name))
                    .help(format!(
                        "put the CSV file in {}",
                        crate::diagnostics::display_path(self.dir)
                    ));
                }
                self.diags.push(d);
                return None;
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => {
                self.diags.push(Diagnostic::new(
                    &rel,
                    format!("cannot read the CSV header: {e}"),
                ));
                return None;
            }
        };
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line() as usize);
                    rows.push((line, r.iter().map(str::to_string).collect()));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    self.diags.push(
                        Diagnostic::new(&rel, format!("cannot read this CSV row: {e}"))
                            .at(Some(Position::new(line, 1))),
                    );
                    return None;
                }
            }
        }
        Some(Table {
            file: rel,
            lines: text.lines().map(str::to_string).collect(),
            header,
            rows,
        })
    }

    fn missing_column(&mut self, table: &Table, column: &str, at: Option<Position>) {
        let names: Vec<&str> = table.header.iter().map(String::as_str).collect();
        let help = match crate::diagnostics::suggest(column, names.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the columns are: {}", names.join(", ")),
        };
        self.diags.push(
            Diagnostic::new(
                self.file,
                format!(
                    "`{}` has no column `{column}`",
                    crate::diagnostics::display_path(&table.file)
                ),
            )
            .at(at)
            .help(help),
        );
    }

    /// Our own layout: `period,<area>,<area>…`.
    fn wide(
        &mut self,
        id: &str,
        spec: &SeriesSpec,
    ) -> Option<(Vec<String>, Vec<Series>, Vec<String>)> {
        let csv_name = spec.csv.clone().unwrap_or_else(|| Spanned {
            value: format!("{id}.csv"),
            referenced: spec.areas[0].column.referenced,
            defined: spec.areas[0].column.defined,
        });
        let table = self.table(&csv_name)?;
        let Some(period_col) = table.column("period") else {
            self.diags.push(
                Diagnostic::new(&table.file, "the first row needs a `period` column")
                    .at(Some(Position::new(1, 1)))
                    .help("start the file with a header such as: period,Herefordshire,England"),
            );
            return None;
        };
        if spec.measure == Measure::Count
            && let Some(england) = spec.areas.iter().find(|a| a.role == Role::England)
            && spec.areas.iter().any(|a| a.role == Role::Local)
        {
            self.diags.push(
                Diagnostic::new(
                    self.file,
                    "England's count cannot be compared with one area's count",
                )
                .at(pos(&england.column))
                .help(
                    "chart a rate (`measure: rate-per-10000`), or leave England out of this chart",
                ),
            );
            return None;
        }
        let mut columns = Vec::new();
        for area in &spec.areas {
            if let Some(m) = &area.measure
                && m.value != spec.measure
            {
                self.diags.push(
                        Diagnostic::new(self.file, format!(
                            "`{}` is measured as {} but the chart's measure is {}",
                            area.column.value, m.value.label().to_lowercase(), spec.measure.label().to_lowercase()
                        ))
                        .at(pos(m))
                        .help("compare areas in the same measure (for example all rates per 10,000), or chart them separately"),
                    );
                return None;
            }
            match table.column(&area.column.value) {
                Some(i) => columns.push(i),
                None => {
                    self.missing_column(&table, &area.column.value, pos(&area.column));
                    return None;
                }
            }
        }
        let periods = self.periods(&table, period_col)?;
        let mut series = Vec::new();
        let mut notes = Vec::new();
        for (area, col) in spec.areas.iter().zip(columns) {
            let mut cells = Vec::new();
            for (line, fields) in &table.rows {
                let raw = fields.get(col).map(String::as_str).unwrap_or("");
                cells.push(self.cell(&table, *line, col, raw)?);
            }
            let label = area
                .label
                .clone()
                .unwrap_or_else(|| area.column.value.clone());
            notes.extend(gap_notes(&label, &periods, &cells));
            series.push(Series {
                label,
                role: area.role,
                cells,
            });
        }
        series.sort_by_key(|s| s.role);
        Some((periods, series, notes))
    }

    fn cell(&mut self, table: &Table, line: usize, col: usize, raw: &str) -> Option<Cell> {
        let cell = parse_cell(raw);
        if cell.is_none() {
            let header = table.header.get(col).map_or("", String::as_str);
            self.diags.push(
                Diagnostic::new(&table.file, format!("`{}` in column `{header}` is not a number", raw.trim()))
                    .at(Some(table.position(line, col)))
                    .help("write a number (1234 or 45.5), or one of the DfE's codes for a missing figure: c, z, :, u, k, x"),
            );
        }
        cell
    }

    /// Periods in file order: no repeats, years never going backwards.
    fn periods(&mut self, table: &Table, col: usize) -> Option<Vec<String>> {
        let mut periods: Vec<String> = Vec::new();
        let mut last_year = i32::MIN;
        for (line, fields) in &table.rows {
            let p = fields
                .get(col)
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            let at = Some(table.position(*line, col));
            if periods.contains(&p) {
                self.diags.push(
                    Diagnostic::new(&table.file, format!("the period `{p}` appears twice"))
                        .at(at)
                        .help("give each period one row"),
                );
                return None;
            }
            let year = leading_year(&p);
            if let Some(y) = year {
                if y < last_year {
                    self.diags.push(
                        Diagnostic::new(
                            &table.file,
                            format!("the period `{p}` comes after a later one"),
                        )
                        .at(at)
                        .help("list the periods from earliest to latest"),
                    );
                    return None;
                }
                last_year = y;
            }
            periods.push(p);
        }
        if periods.is_empty() {
            self.diags.push(Diagnostic::new(
                &table.file,
                "the CSV has a header but no rows of figures",
            ));
            return None;
        }
        Some(periods)
    }

    /// The DfE's layout: pick rows by area, keep the measure column.
    fn dfe(
        &mut self,
        spec: &DfeSpec,
        measure: Measure,
    ) -> Option<(Vec<String>, Vec<Series>, Vec<String>)> {
        let table = self.table(&spec.file)?;
        let needed = [
            "time_period",
            "geographic_level",
            "la_name",
            "new_la_code",
            "old_la_code",
        ];
        for name in needed
            .iter()
            .copied()
            .chain(std::iter::once(spec.column.value.as_str()))
            .chain(spec.filter.keys().map(String::as_str))
        {
            if table.column(name).is_none() {
                let at = if name == spec.column.value {
                    pos(&spec.column)
                } else {
                    pos(&spec.file)
                };
                self.missing_column(&table, name, at);
                return None;
            }
        }
        if spec.england && measure == Measure::Count {
            self.diags.push(
                Diagnostic::new(self.file, "England's count cannot be compared with one local authority's count")
                    .at(pos(&spec.column))
                    .help("chart a rate (for example `rate_per_10000`, with `measure: rate-per-10000`), or set `england: false`"),
            );
            return None;
        }
        let dfe = DfeTable::new(&table, &spec.column.value, &spec.filter);
        let Some(la) = dfe.find_la(&spec.local_authority.value) else {
            self.diags.push(
                Diagnostic::new(self.file, format!("no local authority called `{}` in {}", spec.local_authority.value, crate::diagnostics::display_path(&table.file)))
                    .at(pos(&spec.local_authority))
                    .help("use the name as the file writes it (e.g. \"Herefordshire, County of\") or its new_la_code (E06000019) or old_la_code (884)"),
            );
            return None;
        };
        let periods = dfe.periods();
        let mut notes = Vec::new();
        let local_cells = self.dfe_cells(&dfe, &periods, |row| dfe.is_la(row, &la.codes))?;
        let label = spec.label.clone().unwrap_or_else(|| la.name.clone());
        notes.extend(gap_notes(&label, &periods, &local_cells));
        let mut series = vec![Series {
            label,
            role: Role::Local,
            cells: local_cells,
        }];
        let neighbours = self.neighbour_codes(spec, &la)?;
        self.check_named_neighbours(&dfe, &spec.neighbours)?;
        if !neighbours.is_empty() {
            let (cells, more) =
                self.neighbour_summary(&dfe, &periods, &neighbours, spec.neighbours_summary)?;
            notes.extend(more);
            let word = match spec.neighbours_summary {
                Summary::Median => "median",
                Summary::Mean => "mean",
            };
            series.push(Series {
                label: format!("Statistical neighbours ({word})"),
                role: Role::Neighbours,
                cells,
            });
        }
        if spec.england {
            let cells = self.dfe_cells(&dfe, &periods, |row| dfe.level(row) == "National")?;
            notes.extend(gap_notes("England", &periods, &cells));
            series.push(Series {
                label: "England".into(),
                role: Role::England,
                cells,
            });
        }
        Some((periods, series, notes))
    }

    fn dfe_cells(
        &mut self,
        dfe: &DfeTable,
        periods: &[String],
        pick: impl Fn(&[String]) -> bool,
    ) -> Option<Vec<Cell>> {
        let mut cells = Vec::new();
        for period in periods {
            match dfe.rows_for(period).find(|(_, row)| pick(row)) {
                Some((line, row)) => {
                    let raw = row.get(dfe.measure).map(String::as_str).unwrap_or("");
                    cells.push(self.cell(dfe.table, *line, dfe.measure, raw)?);
                }
                None => cells.push(Cell::Missing(String::new())),
            }
        }
        Some(cells)
    }

    /// The neighbours' codes, named in the YAML or read from the SN model.
    fn neighbour_codes(&mut self, spec: &DfeSpec, la: &LaMatch) -> Option<Vec<String>> {
        let mut codes: Vec<String> = spec.neighbours.iter().map(|n| n.value.clone()).collect();
        if let Some(model) = &spec.neighbours_from {
            let table = self.table(model)?;
            let Some(code_col) = table.column("old_la_code") else {
                self.missing_column(&table, "old_la_code", pos(model));
                return None;
            };
            let row = table.rows.iter().find(|(_, r)| {
                r.get(code_col)
                    .is_some_and(|c| la.codes.contains(&c.trim().to_string()))
            });
            let Some((_, row)) = row else {
                self.diags.push(
                    Diagnostic::new(
                        self.file,
                        format!("`{}` is not in the statistical neighbour model", la.name),
                    )
                    .at(pos(model))
                    .help("name the neighbours with `neighbours:` instead"),
                );
                return None;
            };
            for i in 1..=10 {
                if let Some(c) = table.column(&format!("SN_{i}"))
                    && let Some(code) = row.get(c).filter(|s| !s.trim().is_empty())
                {
                    codes.push(code.trim().to_string());
                }
            }
        }
        Some(codes)
    }

    /// A neighbour named in the YAML must be in the file; a misspelt name
    /// would otherwise look like a suppressed figure.
    fn check_named_neighbours(&mut self, dfe: &DfeTable, named: &[Spanned<String>]) -> Option<()> {
        let mut ok = true;
        for n in named {
            if dfe
                .table
                .rows
                .iter()
                .any(|(_, r)| dfe.matches_name_or_code(r, &n.value))
            {
                continue;
            }
            let names: std::collections::BTreeSet<&str> = dfe
                .table
                .rows
                .iter()
                .map(|(_, r)| dfe.field(r, dfe.name))
                .filter(|s| !s.is_empty())
                .collect();
            let help = match crate::diagnostics::suggest(&n.value, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "use the authority's la_name as the file writes it, or its new_la_code or old_la_code".into(),
            };
            self.diags.push(
                Diagnostic::new(
                    self.file,
                    format!(
                        "no local authority called `{}` in {}",
                        n.value,
                        crate::diagnostics::display_path(&dfe.table.file)
                    ),
                )
                .at(pos(n))
                .help(help),
            );
            ok = false;
        }
        ok.then_some(())
    }

    fn neighbour_summary(
        &mut self,
        dfe: &DfeTable,
        periods: &[String],
        neighbours: &[String],
        how: Summary,
    ) -> Option<(Vec<Cell>, Vec<String>)> {
        let mut cells = Vec::new();
        let mut notes = Vec::new();
        for period in periods {
            let mut values = Vec::new();
            for n in neighbours {
                let found = dfe
                    .rows_for(period)
                    .find(|(_, row)| dfe.matches_name_or_code(row, n));
                if let Some((line, row)) = found {
                    let raw = row.get(dfe.measure).map(String::as_str).unwrap_or("");
                    if let Some(v) = self.cell(dfe.table, *line, dfe.measure, raw)?.value() {
                        values.push(v);
                    }
                }
            }
            if values.len() < neighbours.len() && !values.is_empty() {
                notes.push(format!(
                    "Statistical neighbours, {period}: figures for {} of {} neighbours (the others are suppressed or not published).",
                    values.len(),
                    neighbours.len()
                ));
            }
            cells.push(
                summarise(&mut values, how).map_or(Cell::Missing(String::new()), Cell::Value),
            );
        }
        Some((cells, notes))
    }
}

fn summarise(values: &mut [f64], how: Summary) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(match how {
        Summary::Mean => values.iter().sum::<f64>() / values.len() as f64,
        Summary::Median => {
            let n = values.len();
            if n % 2 == 1 {
                values[n / 2]
            } else {
                (values[n / 2 - 1] + values[n / 2]) / 2.0
            }
        }
    })
}

/// Notes saying which periods an area has no figure for, and why.
fn gap_notes(label: &str, periods: &[String], cells: &[Cell]) -> Vec<String> {
    let mut by_code: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (p, c) in periods.iter().zip(cells) {
        if let Cell::Missing(code) = c {
            by_code.entry(code.as_str()).or_default().push(p);
        }
    }
    by_code
        .into_iter()
        .map(|(code, ps)| {
            let why = CODES
                .iter()
                .find(|(c, _)| *c == code)
                .map_or("not available", |(_, w)| w);
            let shown = if code.is_empty() {
                String::new()
            } else {
                format!(" (shown as \u{201c}{code}\u{201d} in the source)")
            };
            if code.is_empty() {
                format!("{label}, {}: no figure given.", ps.join(", "))
            } else {
                format!("{label}, {}: no figure, {why}{shown}.", ps.join(", "))
            }
        })
        .collect()
}

fn leading_year(period: &str) -> Option<i32> {
    period
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() >= 4)
        .and_then(|run| run[..4].parse().ok())
}

struct LaMatch {
    name: String,
    /// la_name, new_la_code and old_la_code of the authority.
    codes: Vec<String>,
}

/// A DfE file with its key columns found.
struct DfeTable<'a> {
    table: &'a Table,
    period: usize,
    level: usize,
    name: usize,
    new_code: usize,
    old_code: usize,
    measure: usize,
    filters: Vec<(usize, String)>,
}

impl<'a> DfeTable<'a> {
    fn new(table: &'a Table, measure: &str, filter: &BTreeMap<String, String>) -> Self {
        let col = |n: &str| table.column(n).unwrap_or(0);
        DfeTable {
            table,
            period: col("time_period"),
            level: col("geographic_level"),
            name: col("la_name"),
            new_code: col("new_la_code"),
            old_code: col("old_la_code"),
            measure: col(measure),
            filters: filter.iter().map(|(k, v)| (col(k), v.clone())).collect(),
        }
    }

    fn field<'r>(&self, row: &'r [String], i: usize) -> &'r str {
        row.get(i).map_or("", |s| s.trim())
    }

    fn level<'r>(&self, row: &'r [String]) -> &'r str {
        self.field(row, self.level)
    }

    fn passes(&self, row: &[String]) -> bool {
        self.filters.iter().all(|(i, v)| self.field(row, *i) == v)
    }

    /// Rows for one period that pass the filters.
    fn rows_for<'s>(
        &'s self,
        period: &'s str,
    ) -> impl Iterator<Item = &'s (usize, Vec<String>)> + 's {
        self.table
            .rows
            .iter()
            .filter(move |(_, r)| self.field(r, self.period) == period && self.passes(r))
    }

    /// Periods present, earliest first.
    fn periods(&self) -> Vec<String> {
        let mut ps: Vec<String> = self
            .table
            .rows
            .iter()
            .filter(|(_, r)| self.passes(r))
            .map(|(_, r)| self.field(r, self.period).to_string())
            .collect();
        ps.sort();
        ps.dedup();
        ps
    }

    fn matches_name_or_code(&self, row: &[String], wanted: &str) -> bool {
        self.level(row) == "Local authority"
            && [self.name, self.new_code, self.old_code]
                .iter()
                .any(|&i| self.field(row, i).eq_ignore_ascii_case(wanted.trim()))
    }

    fn is_la(&self, row: &[String], codes: &[String]) -> bool {
        self.level(row) == "Local authority"
            && codes
                .iter()
                .any(|c| self.field(row, self.old_code) == c || self.field(row, self.new_code) == c)
    }

    fn find_la(&self, wanted: &str) -> Option<LaMatch> {
        let (_, row) = self
            .table
            .rows
            .iter()
            .rev()
            .find(|(_, r)| self.matches_name_or_code(r, wanted))?;
        let name = self.field(row, self.name).to_string();
        let codes = [self.old_code, self.new_code]
            .iter()
            .map(|&i| self.field(row, i).to_string())
            .filter(|c| !c.is_empty())
            .collect();
        Some(LaMatch { name, codes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn years_are_read_from_period_labels() {
        assert_eq!(leading_year("2011"), Some(2011));
        assert_eq!(leading_year("Q1 2011-12"), Some(2011));
        assert_eq!(leading_year("201213"), Some(2012));
        assert_eq!(leading_year("baseline"), None);
    }
}
