//! Reading a series' CSV: our own wide layout (`period,<area>,<area>…`),
//! cells, periods and the notes for gaps. The DfE's layout is in
//! [`super::dfe`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::{CODES, Cell, Dataset, Measure, Role, Series, SeriesSpec, parse_cell};
use crate::diagnostics::{Diagnostic, Diagnostics, Position, did_you_mean, pos};
use crate::files::{display_path, read_text};
use crate::model::Spanned;

pub(super) struct Reader<'a> {
    pub(super) root: &'a Path,
    pub(super) dir: &'a Path,
    pub(super) file: &'a Path,
    pub(super) diags: &'a mut Diagnostics,
    pub(super) tables: &'a Tables,
}

/// The CSV files a board's series have read, each read once: series share
/// the DfE's files (the children's population a rate needs, the model of
/// statistical neighbours), and each of those is hundreds of kilobytes.
/// Series are read in parallel; one that asks for a file another is
/// reading waits for it. Only files read without a problem are shared, so
/// each series that names a broken file still reports it.
#[derive(Default)]
pub(super) struct Tables(Mutex<HashMap<PathBuf, Slot>>);

/// A file's table once it is read: `None` if it could not be.
type Slot = Arc<OnceLock<Option<Arc<Table>>>>;

impl Tables {
    fn slot(&self, file: &Path) -> Slot {
        let mut slots = self.0.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(file.to_path_buf()).or_default().clone()
    }
}

/// A CSV file read into rows, with its header.
pub(super) struct Table {
    pub(super) file: PathBuf,
    /// The file's text, to point at a field's real column in errors.
    pub(super) text: String,
    pub(super) header: Vec<String>,
    /// (line number in the file, fields). A record holds its fields in one
    /// buffer: DfE files run to thousands of rows of thirty fields, and a
    /// string for each field was most of the time a rebuild spent on them.
    pub(super) rows: Vec<(usize, csv::StringRecord)>,
}

impl Table {
    /// Where field `col` (0-based) of file line `line` starts, counting
    /// characters and honouring quoted fields with commas inside.
    pub(super) fn position(&self, line: usize, col: usize) -> Position {
        let text = self.text.lines().nth(line.saturating_sub(1)).unwrap_or("");
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

    pub(super) fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h.trim() == name)
    }
}

impl Reader<'_> {
    pub(super) fn dataset(mut self, id: String, spec: SeriesSpec) -> Option<Dataset> {
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

    /// The CSV file `name` (in the data folder), read or shared.
    pub(super) fn table(&mut self, name: &Spanned<String>) -> Option<Arc<Table>> {
        let rel = self.dir.join(&name.value);
        let slot = self.tables.slot(&rel);
        let mut read_here = false;
        let shared = slot.get_or_init(|| {
            read_here = true;
            self.read_table(name, rel.clone()).map(Arc::new)
        });
        match shared {
            Some(table) => Some(Arc::clone(table)),
            // Another series failed to read it: read it again, for this
            // series' own report of what is wrong.
            None if !read_here => self.read_table(name, rel).map(Arc::new),
            None => None,
        }
    }

    fn read_table(&mut self, name: &Spanned<String>, rel: PathBuf) -> Option<Table> {
        let text = match read_text(self.root, &rel) {
            Ok(t) => t,
            Err(e) => {
                let mut d: Diagnostic = e.into();
                if !self.root.join(&rel).exists() {
                    d = Diagnostic::new(
                        self.file,
                        format!("the data file `{}` does not exist", name.value),
                    )
                    .at(pos(name))
                    .help(format!("put the CSV file in {}", display_path(self.dir)));
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
                    rows.push((line, r));
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
            text,
            header,
            rows,
        })
    }

    pub(super) fn missing_column(&mut self, table: &Table, column: &str, at: Option<Position>) {
        let names: Vec<&str> = table.header.iter().map(String::as_str).collect();
        let help = did_you_mean(column, &names)
            .unwrap_or_else(|| format!("the columns are: {}", names.join(", ")));
        self.diags.push(
            Diagnostic::new(
                self.file,
                format!("`{}` has no column `{column}`", display_path(&table.file)),
            )
            .at(at)
            .help(help),
        );
    }

    /// Our own layout: `period,<area>,<area>…`.
    pub(super) fn wide(
        &mut self,
        id: &str,
        spec: &SeriesSpec,
    ) -> Option<(Vec<String>, Vec<Series>, Vec<String>)> {
        let csv_name = spec
            .csv
            .clone()
            .unwrap_or_else(|| Spanned::at(format!("{id}.csv"), &spec.areas[0].column));
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
                let raw = fields.get(col).unwrap_or("");
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

    pub(super) fn cell(
        &mut self,
        table: &Table,
        line: usize,
        col: usize,
        raw: &str,
    ) -> Option<Cell> {
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
    pub(super) fn periods(&mut self, table: &Table, col: usize) -> Option<Vec<String>> {
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
}

/// Notes saying which periods an area has no figure for, and why.
pub(super) fn gap_notes(label: &str, periods: &[String], cells: &[Cell]) -> Vec<String> {
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

pub(super) fn leading_year(period: &str) -> Option<i32> {
    period
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() >= 4)
        .and_then(|run| run[..4].parse().ok())
}
