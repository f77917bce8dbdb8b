//! The Department for Education's published CSV layout, read as it is:
//! rows picked by area (the local authority, its statistical neighbours
//! summarised as a median or mean, England), the measure column kept.

use std::collections::BTreeMap;

use super::read::{Reader, Table, gap_notes};
use super::{Cell, DfeSpec, Measure, Role, Series, Summary};
use crate::diagnostics::{Diagnostic, did_you_mean, pos};
use crate::files::display_path;
use crate::model::Spanned;

impl Reader<'_> {
    /// The DfE's layout: pick rows by area, keep the measure column.
    pub(super) fn dfe(
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
                Diagnostic::new(self.file, format!("no local authority called `{}` in {}", spec.local_authority.value, display_path(&table.file)))
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
