//! The Department for Education's published CSV layout, read as it is:
//! rows picked by area (the local authority, its statistical neighbours
//! summarised as a median or mean, England), the measure column kept.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use csv::StringRecord;

use super::read::{Reader, Table, gap_notes};
use super::{Cell, DfeSpec, Measure, PopulationSpec, Role, Series, Summary};
use crate::diagnostics::{Diagnostic, did_you_mean, pos};
use crate::files::display_path;
use crate::model::Spanned;

impl Reader<'_> {
    /// The DfE's layout: pick rows by area, keep the measure column (or,
    /// with `per_10000`, the rate made from it and a population).
    pub(super) fn dfe(
        &mut self,
        spec: &DfeSpec,
        measure: Measure,
    ) -> Option<(Vec<String>, Vec<Series>, Vec<String>)> {
        if let Some(per) = &spec.per_10000
            && measure != Measure::RatePer10000
        {
            self.diags.push(
                Diagnostic::new(
                    self.file,
                    format!(
                        "`per_10000` makes a rate per 10,000, but the series' measure is {}",
                        measure.label().to_lowercase()
                    ),
                )
                .at(pos(per))
                .help("write `measure: rate-per-10000`, or remove `per_10000` to chart the count as it is"),
            );
            return None;
        }
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
        let population = match &spec.per_10000 {
            Some(per) => Some(self.population_table(&per.value)?),
            None => None,
        };
        let pop = population
            .as_ref()
            .zip(spec.per_10000.as_ref())
            .map(|(t, per)| Population::new(t, &per.value.column.value, &per.value.filter));
        let rates = pop.as_ref();
        let dfe = DfeTable::new(&table, &spec.column.value, &spec.filter);
        let Some(la) = dfe.find_la(&spec.local_authority.value) else {
            self.diags.push(
                Diagnostic::new(self.file, format!("no local authority called `{}` in {}", spec.local_authority.value, display_path(&table.file)))
                    .at(pos(&spec.local_authority))
                    .help("use the name as the file writes it (e.g. \"Herefordshire, County of\") or its new_la_code (E06000019) or old_la_code (884)"),
            );
            return None;
        };
        let periods = self.from(dfe.periods(), spec.from.as_ref())?;
        let mut notes = Vec::new();
        // Areas with years the population file has no figure for.
        let mut no_population: Vec<(String, Vec<String>)> = Vec::new();
        if let Some(per) = &spec.per_10000 {
            notes.push(calculated_note(spec, &per.value));
        }
        let (local_cells, gaps) =
            self.dfe_cells(&dfe, rates, &periods, |row| dfe.is_la(row, &la.codes))?;
        let label = spec.label.clone().unwrap_or_else(|| la.name.clone());
        notes.extend(area_notes(&label, &periods, &local_cells, &gaps));
        no_population.push((label.clone(), gaps));
        let mut series = vec![Series {
            label,
            role: Role::Local,
            cells: local_cells,
        }];
        let neighbours = self.neighbour_codes(spec, &la)?;
        self.check_named_neighbours(&dfe, &spec.neighbours)?;
        if !neighbours.is_empty() {
            let (cells, more, gaps) = self.neighbour_summary(
                &dfe,
                rates,
                &periods,
                &neighbours,
                spec.neighbours_summary,
            )?;
            notes.extend(more);
            let word = match spec.neighbours_summary {
                Summary::Median => "median",
                Summary::Mean => "mean",
            };
            let label = format!("Statistical neighbours ({word})");
            no_population.push((label.clone(), gaps));
            series.push(Series {
                label,
                role: Role::Neighbours,
                cells,
            });
        }
        if spec.england {
            let (cells, gaps) =
                self.dfe_cells(&dfe, rates, &periods, |row| dfe.level(row) == "National")?;
            notes.extend(area_notes("England", &periods, &cells, &gaps));
            no_population.push(("England".into(), gaps));
            series.push(Series {
                label: "England".into(),
                role: Role::England,
                cells,
            });
        }
        if let Some(per) = &spec.per_10000 {
            notes.extend(population_notes(&per.value.file.value, no_population));
        }
        Some((periods, series, notes))
    }

    /// The population file of a derived rate, with the columns it needs.
    fn population_table(&mut self, per: &PopulationSpec) -> Option<Arc<Table>> {
        let table = self.table(&per.file)?;
        let needed = [
            "time_period",
            "geographic_level",
            "new_la_code",
            "old_la_code",
        ];
        for name in needed
            .iter()
            .copied()
            .chain(std::iter::once(per.column.value.as_str()))
            .chain(per.filter.keys().map(String::as_str))
        {
            if table.column(name).is_none() {
                let at = if name == per.column.value {
                    pos(&per.column)
                } else {
                    pos(&per.file)
                };
                self.missing_column(&table, name, at);
                return None;
            }
        }
        Some(table)
    }

    /// One area's cells, picked by `pick`, as counts or (with `rates`, the
    /// population file) rates per 10,000; and the periods that became gaps
    /// because the population file has no figure for them.
    /// The periods from `from` on; a `from` the file does not have is a
    /// mistake.
    fn from(
        &mut self,
        periods: Vec<String>,
        from: Option<&Spanned<String>>,
    ) -> Option<Vec<String>> {
        let Some(from) = from else {
            return Some(periods);
        };
        match periods.iter().position(|p| *p == from.value.trim()) {
            Some(i) => Some(periods[i..].to_vec()),
            None => {
                self.diags.push(
                    Diagnostic::new(
                        self.file,
                        format!("the file has no period `{}` to start from", from.value),
                    )
                    .at(pos(from))
                    .help(format!("the periods are: {}", periods.join(", "))),
                );
                None
            }
        }
    }

    fn dfe_cells(
        &mut self,
        dfe: &DfeTable,
        rates: Option<&Population>,
        periods: &[String],
        pick: impl Fn(&StringRecord) -> bool,
    ) -> Option<(Vec<Cell>, Vec<String>)> {
        let mut cells = Vec::new();
        let mut no_population = Vec::new();
        for period in periods {
            let Some((line, row)) = dfe.rows_for(period).find(|(_, row)| pick(row)) else {
                cells.push(Cell::Missing(String::new()));
                continue;
            };
            let raw = row.get(dfe.measure).unwrap_or("");
            let cell = match (self.cell(dfe.table, *line, dfe.measure, raw)?, rates) {
                (Cell::Value(count), Some(pop)) => match self.rate(dfe, pop, period, row, count)? {
                    Some(rate) => Cell::Value(rate),
                    None => {
                        no_population.push(period.clone());
                        Cell::Missing(String::new())
                    }
                },
                (cell, _) => cell,
            };
            cells.push(cell);
        }
        Some((cells, no_population))
    }

    /// `count`, from `row` of the count file, per 10,000 of the population
    /// of the same area in the same period, rounded to one decimal place.
    /// `Some(None)` when the population file has no figure for it (no row,
    /// a code, or zero); `None` after reporting a population that is not a
    /// number.
    fn rate(
        &mut self,
        dfe: &DfeTable,
        pop: &Population,
        period: &str,
        row: &StringRecord,
        count: f64,
    ) -> Option<Option<f64>> {
        let Some(&(line, r)) = pop.find(dfe, period, row) else {
            return Some(None);
        };
        let (table, measure) = (pop.dfe.table, pop.dfe.measure);
        let raw = r.get(measure).unwrap_or("");
        Some(match self.cell(table, line, measure, raw)? {
            Cell::Value(people) if people > 0.0 => Some(round1(count / people * 10_000.0)),
            _ => None,
        })
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
            let names: Vec<&str> = names.into_iter().collect();
            let help = did_you_mean(&n.value, &names).unwrap_or_else(|| {
                "use the authority's la_name as the file writes it, or its new_la_code or old_la_code".into()
            });
            self.diags.push(
                Diagnostic::new(
                    self.file,
                    format!(
                        "no local authority called `{}` in {}",
                        n.value,
                        display_path(&dfe.table.file)
                    ),
                )
                .at(pos(n))
                .help(help),
            );
            ok = false;
        }
        ok.then_some(())
    }

    /// The neighbours' median or mean for each period, the notes on
    /// periods some neighbours lack, and (with `rates`) the periods with no
    /// rate at all because the population file has none for them.
    fn neighbour_summary(
        &mut self,
        dfe: &DfeTable,
        rates: Option<&Population>,
        periods: &[String],
        neighbours: &[String],
        how: Summary,
    ) -> Option<(Vec<Cell>, Vec<String>, Vec<String>)> {
        let mut cells = Vec::new();
        let mut notes = Vec::new();
        let mut no_population = Vec::new();
        // A summary is given at its figures' precision: the median of 66
        // and 67 published as whole numbers is 67, not 66.5. Rates are
        // worked out to one decimal place.
        let mut decimals = if rates.is_some() { 1 } else { 0 };
        for period in periods {
            let mut values = Vec::new();
            let mut without_population = 0;
            for n in neighbours {
                let found = dfe
                    .rows_for(period)
                    .find(|(_, row)| dfe.matches_name_or_code(row, n));
                if let Some((line, row)) = found {
                    let raw = row.get(dfe.measure).unwrap_or("");
                    if rates.is_none() {
                        decimals = decimals.max(decimals_of(raw));
                    }
                    if let Some(v) = self.cell(dfe.table, *line, dfe.measure, raw)?.value() {
                        match rates {
                            None => values.push(v),
                            Some(pop) => match self.rate(dfe, pop, period, row, v)? {
                                Some(rate) => values.push(rate),
                                None => without_population += 1,
                            },
                        }
                    }
                }
            }
            if values.len() < neighbours.len() && !values.is_empty() {
                let others = if rates.is_some() {
                    "the others are suppressed, not published or have no population figure"
                } else {
                    "the others are suppressed or not published"
                };
                notes.push(format!(
                    "Statistical neighbours, {period}: figures for {} of {} neighbours ({others}).",
                    values.len(),
                    neighbours.len()
                ));
            }
            if values.is_empty() && without_population > 0 {
                no_population.push(period.clone());
            }
            cells.push(
                summarise(&mut values, how)
                    .map(|v| round_to(v, decimals))
                    .map_or(Cell::Missing(String::new()), Cell::Value),
            );
        }
        Some((cells, notes, no_population))
    }
}

/// The population file of a derived rate, its rows found by period and
/// area once rather than searched for every figure.
struct Population<'a> {
    dfe: DfeTable<'a>,
    /// Local authority rows by period, then by old or new code: the first
    /// row for each, as elsewhere.
    authorities: HashMap<&'a str, HashMap<&'a str, (usize, &'a StringRecord)>>,
    /// England's row for each period.
    national: HashMap<&'a str, (usize, &'a StringRecord)>,
}

impl<'a> Population<'a> {
    fn new(table: &'a Table, column: &str, filter: &BTreeMap<String, String>) -> Self {
        let dfe = DfeTable::new(table, column, filter);
        let mut authorities = HashMap::new();
        let mut national = HashMap::new();
        for (line, row) in table.rows.iter().filter(|(_, r)| dfe.passes(r)) {
            let period = dfe.field(row, dfe.period);
            let found = (*line, row);
            match dfe.level(row) {
                "National" => {
                    national.entry(period).or_insert(found);
                }
                "Local authority" => {
                    for code in [dfe.field(row, dfe.old_code), dfe.field(row, dfe.new_code)] {
                        if !code.is_empty() {
                            authorities
                                .entry(period)
                                .or_insert_with(HashMap::new)
                                .entry(code)
                                .or_insert(found);
                        }
                    }
                }
                _ => {}
            }
        }
        Population {
            dfe,
            authorities,
            national,
        }
    }

    /// The population row for the area of `row` (of the count file `dfe`)
    /// in `period`: England's, or the authority's by old or new code.
    fn find(
        &self,
        dfe: &DfeTable,
        period: &str,
        row: &StringRecord,
    ) -> Option<&(usize, &'a StringRecord)> {
        if dfe.level(row) == "National" {
            return self.national.get(period);
        }
        let by_code = self.authorities.get(period)?;
        [dfe.old_code, dfe.new_code]
            .iter()
            .map(|&i| dfe.field(row, i))
            .filter(|code| !code.is_empty())
            .find_map(|code| by_code.get(code))
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// How many decimal places a published figure is given to ("66.5": 1).
pub(super) fn decimals_of(raw: &str) -> u32 {
    raw.trim().split_once('.').map_or(0, |(_, frac)| {
        frac.chars().take_while(char::is_ascii_digit).count() as u32
    })
}

/// `v` to `places` decimal places, halves away from zero as published
/// statistics round.
pub(super) fn round_to(v: f64, places: u32) -> f64 {
    let scale = 10f64.powi(places as i32);
    (v * scale).round() / scale
}

/// The note saying how a derived rate is made.
fn calculated_note(spec: &DfeSpec, per: &PopulationSpec) -> String {
    let filter = |f: &BTreeMap<String, String>| {
        if f.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> = f
                .iter()
                .map(|(k, v)| format!("{k} \u{201c}{v}\u{201d}"))
                .collect();
            format!(" (rows with {})", parts.join(" and "))
        }
    };
    format!(
        "Rates per 10,000 are calculated from column {} of {}{} and column {} of {}{}: the first divided by the second, times 10,000, rounded to one decimal place.",
        spec.column.value,
        spec.file.value,
        filter(&spec.filter),
        per.column.value,
        per.file.value,
        filter(&per.filter),
    )
}

/// Gap notes for one area's cells, leaving out the periods that have no
/// rate for want of a population (those get [`population_notes`]).
fn area_notes(
    label: &str,
    periods: &[String],
    cells: &[Cell],
    no_population: &[String],
) -> Vec<String> {
    let (periods, cells): (Vec<String>, Vec<Cell>) = periods
        .iter()
        .zip(cells)
        .filter(|(p, _)| !no_population.contains(p))
        .map(|(p, c)| (p.clone(), c.clone()))
        .unzip();
    gap_notes(label, &periods, &cells)
}

/// "Herefordshire and England, 2013, 2014: no rate, as cla.csv has no
/// population figure for those years." Areas missing the same years share
/// one note.
fn population_notes(file: &str, areas: Vec<(String, Vec<String>)>) -> Vec<String> {
    let mut groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for (label, periods) in areas.into_iter().filter(|(_, p)| !p.is_empty()) {
        match groups.iter_mut().find(|(_, p)| *p == periods) {
            Some((labels, _)) => labels.push(label),
            None => groups.push((vec![label], periods)),
        }
    }
    groups
        .into_iter()
        .map(|(labels, periods)| {
            let who = match labels.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => labels.join(""),
            };
            let when = if periods.len() == 1 {
                "that year"
            } else {
                "those years"
            };
            format!(
                "{who}, {}: no rate, as {file} has no population figure for {when}.",
                periods.join(", ")
            )
        })
        .collect()
}

pub(super) fn summarise(values: &mut [f64], how: Summary) -> Option<f64> {
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

pub(super) struct LaMatch {
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
    /// The rows that pass the filters, by period (indexes into `table.rows`):
    /// each figure is looked up by period, so rows are grouped once.
    by_period: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> DfeTable<'a> {
    fn new(table: &'a Table, measure: &str, filter: &BTreeMap<String, String>) -> Self {
        let col = |n: &str| table.column(n).unwrap_or(0);
        let mut dfe = DfeTable {
            table,
            period: col("time_period"),
            level: col("geographic_level"),
            name: col("la_name"),
            new_code: col("new_la_code"),
            old_code: col("old_la_code"),
            measure: col(measure),
            filters: filter.iter().map(|(k, v)| (col(k), v.clone())).collect(),
            by_period: BTreeMap::new(),
        };
        let mut by_period: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        for (i, (_, row)) in table.rows.iter().enumerate() {
            if dfe.passes(row) {
                let period = row.get(dfe.period).map_or("", |s| s.trim());
                by_period.entry(period).or_default().push(i);
            }
        }
        dfe.by_period = by_period;
        dfe
    }

    fn field<'r>(&self, row: &'r StringRecord, i: usize) -> &'r str {
        row.get(i).map_or("", |s| s.trim())
    }

    fn level<'r>(&self, row: &'r StringRecord) -> &'r str {
        self.field(row, self.level)
    }

    fn passes(&self, row: &StringRecord) -> bool {
        self.filters.iter().all(|(i, v)| self.field(row, *i) == v)
    }

    /// Rows for one period that pass the filters.
    fn rows_for<'s>(
        &'s self,
        period: &'s str,
    ) -> impl Iterator<Item = &'s (usize, StringRecord)> + 's {
        self.by_period
            .get(period)
            .into_iter()
            .flatten()
            .map(|&i| &self.table.rows[i])
    }

    /// Periods present, earliest first.
    fn periods(&self) -> Vec<String> {
        self.by_period.keys().map(|p| p.to_string()).collect()
    }

    fn matches_name_or_code(&self, row: &StringRecord, wanted: &str) -> bool {
        self.level(row) == "Local authority"
            && [self.name, self.new_code, self.old_code]
                .iter()
                .any(|&i| self.field(row, i).eq_ignore_ascii_case(wanted.trim()))
    }

    fn is_la(&self, row: &StringRecord, codes: &[String]) -> bool {
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
