//! Charts: one description of a figure, one renderer.
//!
//! Every chart, whether a trend from a data series or milestones by status
//! from a plan, is first a [`Figure`]: its kind, a title stating the finding,
//! a subtitle (measure, place, period), the categories along its axis
//! (periods, or priorities), its series with their colours and cells, the
//! measure its values are in, its source and notes. [`Figure::view`] turns
//! that into what the theme's `figure.html` template shows: the legend, the
//! SVG drawn by [`svg`] (`role="img"` with `<title>` and `<desc>`), a
//! one-sentence summary made from the data, the source, and the figures as
//! a table with headers. A new kind of chart touches this module and that
//! template alone.

mod backend;
mod svg;

use serde::Serialize;

use crate::data::{CODES, Cell, ChartKind, Dataset, Measure};
use crate::model::checked::Colour;
use crate::spreadsheet;

/// What is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A line per series across the categories.
    Line,
    /// Grouped columns per category.
    Column,
    /// A horizontal bar per category, one segment per series (statuses).
    StackedBars,
}

/// A chart, described once, before it is drawn.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Unique on the page.
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub subtitle: String,
    /// What the categories are, for the table's first column ("Period").
    pub category_name: String,
    pub categories: Vec<Category>,
    pub series: Vec<Series>,
    pub measure: Measure,
    /// The measure as the table's caption names it.
    pub measure_label: Option<String>,
    pub source: Option<String>,
    pub notes: Vec<String>,
    /// The sentence saying what the chart shows.
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct Category {
    /// On the axis: "2012", "Priority 1".
    pub label: String,
    /// In the table: the period, or the priority's heading.
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub colour: Colour,
    /// One per category.
    pub cells: Vec<Cell>,
}

impl Series {
    fn total(&self) -> f64 {
        self.cells.iter().filter_map(Cell::value).sum()
    }
}

/// What a status chart counts and what its bars are, singular and plural,
/// in the plan's own terms: "key milestone(s)" across "priority
/// improvement area(s)".
#[derive(Debug, Clone, Copy)]
pub struct Counting<'a> {
    pub item: (&'a str, &'a str),
    pub row: (&'a str, &'a str),
}

impl Counting<'_> {
    fn items(&self, n: usize) -> String {
        let (one, many) = self.item;
        format!("{n} {}", if n == 1 { one } else { many }.to_lowercase())
    }

    fn rows(&self, n: usize) -> String {
        let (one, many) = self.row;
        format!("{n} {}", if n == 1 { one } else { many }.to_lowercase())
    }
}

/// The Government Analysis Function's categorical palette, in order.
pub const PALETTE: [(u8, u8, u8); 6] = [
    (0x12, 0x43, 0x6d),
    (0x28, 0xa1, 0x97),
    (0x80, 0x16, 0x50),
    (0xf4, 0x6a, 0x25),
    (0x3d, 0x3d, 0x3d),
    (0xa2, 0x85, 0xd1),
];

fn palette(i: usize) -> Colour {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    Colour::from_rgb(r, g, b)
}

impl Figure {
    /// A data series over time, as a line or column chart.
    pub fn trend(ds: &Dataset, kind: Option<ChartKind>, id: &str) -> Figure {
        let kind = match kind.unwrap_or(ds.spec.kind) {
            ChartKind::Line => Kind::Line,
            ChartKind::Column => Kind::Column,
        };
        Figure {
            id: id.to_string(),
            kind,
            title: ds.spec.title.clone(),
            subtitle: ds.subtitle(),
            category_name: "Period".into(),
            categories: ds
                .periods
                .iter()
                .map(|p| Category {
                    label: p.clone(),
                    name: p.clone(),
                })
                .collect(),
            series: ds
                .series
                .iter()
                .enumerate()
                .map(|(i, s)| Series {
                    label: s.label.clone(),
                    colour: palette(i),
                    cells: s.cells.clone(),
                })
                .collect(),
            measure: ds.spec.measure,
            measure_label: Some(ds.measure_label().to_string()),
            source: Some(ds.spec.source.clone()),
            notes: ds
                .spec
                .notes
                .iter()
                .chain(&ds.data_notes)
                .cloned()
                .collect(),
            summary: trend_summary(ds),
        }
    }

    /// Counts by status for each row (priority), as stacked bars.
    /// `statuses` are (label, colour); each row's counts are in that order.
    pub fn status(
        id: &str,
        (title, subtitle): (String, String),
        counting: Counting,
        statuses: &[(String, Colour)],
        rows: Vec<(Category, Vec<usize>)>,
    ) -> Figure {
        let series = statuses
            .iter()
            .enumerate()
            .map(|(i, (label, colour))| Series {
                label: label.clone(),
                colour: colour.clone(),
                cells: rows
                    .iter()
                    .map(|(_, counts)| Cell::Value(counts[i] as f64))
                    .collect(),
            })
            .collect();
        let mut figure = Figure {
            id: id.to_string(),
            kind: Kind::StackedBars,
            title,
            subtitle,
            category_name: counting.row.0.to_string(),
            categories: rows.into_iter().map(|(c, _)| c).collect(),
            series,
            measure: Measure::Count,
            measure_label: None,
            source: None,
            notes: Vec::new(),
            summary: String::new(),
        };
        figure.summary = status_summary(&figure, counting);
        figure
    }

    /// The figure as the theme shows it.
    pub fn view(&self) -> Result<FigureView, String> {
        let svg = svg::draw(self)?;
        Ok(FigureView {
            id: self.id.clone(),
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            legend: self
                .series
                .iter()
                .enumerate()
                .filter(|(_, s)| self.kind != Kind::StackedBars || s.total() > 0.0)
                .map(|(i, s)| LegendItem {
                    key_html: svg::legend_key(self.kind, i, &s.colour),
                    label: s.label.clone(),
                })
                .collect(),
            svg_html: svg,
            summary: self.summary.clone(),
            source: self.source.clone(),
            table: self.table(),
            notes: self.notes.clone(),
            data_file: format!("data/{}.csv", crate::slug::slugify(&self.id)),
            csv: self.csv(),
            html: None,
        })
    }

    /// The table's figures as a CSV file for a spreadsheet: the same
    /// headers and rows, numbers without thousands separators (rounded to
    /// two places, as the table shows them), a DfE code such as `c` as it
    /// is published, and nothing where there is no figure.
    fn csv(&self) -> Vec<u8> {
        let mut header = vec![self.category_name.as_str()];
        header.extend(self.series.iter().map(|s| s.label.as_str()));
        let rows = self.categories.iter().enumerate().map(|(i, c)| {
            let mut row = vec![spreadsheet::Cell::Text(&c.name)];
            row.extend(self.series.iter().map(|s| match s.cells.get(i) {
                Some(Cell::Value(v)) => {
                    spreadsheet::Cell::Number(format!("{}", (v * 100.0).round() / 100.0))
                }
                Some(Cell::Missing(code)) => spreadsheet::Cell::Text(code),
                None => spreadsheet::Cell::Text(""),
            }));
            row
        });
        spreadsheet::csv(&header, rows)
    }

    fn table(&self) -> TableView {
        let caption = match &self.measure_label {
            Some(m) => format!("{} ({})", self.title, m.to_lowercase()),
            None => self.title.clone(),
        };
        let mut headers = vec![self.category_name.clone()];
        headers.extend(self.series.iter().map(|s| s.label.clone()));
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| RowView {
                header: c.name.clone(),
                cells: self
                    .series
                    .iter()
                    .map(|s| self.cell_view(s.cells.get(i)))
                    .collect(),
            })
            .collect();
        TableView {
            id: format!("{}-data", self.id),
            caption,
            headers,
            rows,
        }
    }

    fn cell_view(&self, cell: Option<&Cell>) -> CellView {
        match cell {
            Some(Cell::Value(v)) => CellView {
                text: self.measure.format(*v),
                why: None,
            },
            // ":" (not available) reads as a stray colon on a page: the
            // table says "no figure", as it does where none was given.
            Some(Cell::Missing(code)) if !code.is_empty() && code != ":" => CellView {
                text: code.clone(),
                why: CODES
                    .iter()
                    .find(|(c, _)| c == code)
                    .map(|(_, w)| w.to_string()),
            },
            _ => CellView {
                text: String::new(),
                why: None,
            },
        }
    }
}

/// What `figure.html` receives. Only `svg_html` and legend keys are markup
/// (made here); every other field is text for the template to escape.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    pub legend: Vec<LegendItem>,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub svg_html: String,
    pub summary: String,
    pub source: Option<String>,
    pub table: TableView,
    pub notes: Vec<String>,
    /// The figures as CSV, beside the page (`data/<id>.csv`).
    pub data_file: String,
    #[serde(skip)]
    pub csv: Vec<u8>,
    /// A key figure as the theme's `figure` component shows it: the same
    /// for every document of the board, so rendered once for them all
    /// (see [`crate::render::templates::Theme::key_figure_html`]).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::render::templates::html_opt"
    )]
    pub html: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    /// A small picture of the line, marker or colour (hidden from screen
    /// readers: the label says it).
    #[serde(serialize_with = "crate::render::templates::html")]
    pub key_html: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub id: String,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<RowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub header: String,
    pub cells: Vec<CellView>,
}

/// A value as the table shows it; an empty `text` means no figure was
/// given, and `why` explains a DfE code such as `c`.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub text: String,
    pub why: Option<String>,
}

fn status_summary(f: &Figure, counting: Counting) -> String {
    let totals: Vec<usize> = f
        .series
        .iter()
        .map(|s| s.cells.iter().filter_map(Cell::value).sum::<f64>() as usize)
        .collect();
    let all: usize = totals.iter().sum();
    let parts: Vec<String> = f
        .series
        .iter()
        .zip(&totals)
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| format!("{n} {}", s.label))
        .collect();
    format!(
        "{} across {}: {}.",
        counting.items(all),
        counting.rows(f.categories.len()),
        parts.join(", ")
    )
}

/// The sentence that says what the chart shows, from the first series
/// (the board's own area), then how the others compare at the end.
pub fn trend_summary(ds: &Dataset) -> String {
    let Some(local) = ds.series.first() else {
        return String::new();
    };
    let m = ds.spec.measure;
    let points: Vec<(&str, f64)> = ds
        .periods
        .iter()
        .zip(&local.cells)
        .filter_map(|(p, c)| c.value().map(|v| (p.as_str(), v)))
        .collect();
    let mut text = format!("{}: {}", local.label, trend(&points, m));
    let Some((last_period, last_value)) = points.last() else {
        return text;
    };
    let index = ds
        .periods
        .iter()
        .position(|p| p == last_period)
        .unwrap_or(0);
    let others: Vec<String> = ds.series[1..]
        .iter()
        .filter_map(|s| {
            s.cells
                .get(index)
                .and_then(Cell::value)
                .map(|v| format!("{} {}", s.label, m.format(v)))
        })
        .collect();
    if !others.is_empty() {
        text.push_str(&format!(
            " In {last_period}: {} {}, {}.",
            local.label,
            m.format(*last_value),
            others.join(", ")
        ));
    }
    text
}

fn trend(points: &[(&str, f64)], m: Measure) -> String {
    let f = |v: f64| m.format(v);
    let (Some(&(p0, first)), Some(&(pn, last))) = (points.first(), points.last()) else {
        return "no figures.".into();
    };
    if points.len() == 1 {
        return format!("{} in {p0}.", f(first));
    }
    let (imax, &(pmax, max)) = points
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.1.total_cmp(&b.1.1))
        .unwrap_or((0, &points[0]));
    let (imin, &(pmin, min)) = points
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.1.total_cmp(&b.1.1))
        .unwrap_or((0, &points[0]));
    let interior = |i: usize| i > 0 && i < points.len() - 1;
    if interior(imax) && max > first && max > last {
        format!(
            "rose from {} in {p0} to a peak of {} in {pmax}, then fell to {} in {pn}.",
            f(first),
            f(max),
            f(last)
        )
    } else if interior(imin) && min < first && min < last {
        format!(
            "fell from {} in {p0} to a low of {} in {pmin}, then rose to {} in {pn}.",
            f(first),
            f(min),
            f(last)
        )
    } else if last > first {
        format!("rose from {} in {p0} to {} in {pn}.", f(first), f(last))
    } else if last < first {
        format!("fell from {} in {p0} to {} in {pn}.", f(first), f(last))
    } else {
        format!("{} in {p0} and in {pn}.", f(first))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_sentences_follow_the_shape() {
        let m = Measure::Count;
        let peak = [("2008", 120.0), ("2011", 235.0), ("2012", 160.0)];
        assert_eq!(
            trend(&peak, m),
            "rose from 120 in 2008 to a peak of 235 in 2011, then fell to 160 in 2012."
        );
        let dip = [("2020", 50.0), ("2021", 40.0), ("2022", 45.0)];
        assert_eq!(
            trend(&dip, m),
            "fell from 50 in 2020 to a low of 40 in 2021, then rose to 45 in 2022."
        );
        assert_eq!(
            trend(&[("2020", 1.0), ("2021", 2.0)], m),
            "rose from 1 in 2020 to 2 in 2021."
        );
    }

    #[test]
    fn status_figures_count_and_tabulate() {
        let row = |label: &str, counts: Vec<usize>| {
            let c = Category {
                label: label.into(),
                name: format!("{label}: title"),
            };
            (c, counts)
        };
        let counting = Counting {
            item: ("Key milestone", "Key milestones"),
            row: ("Priority area", "Priority areas"),
        };
        let f = Figure::status(
            "status-chart",
            ("t".into(), "s".into()),
            counting,
            &[
                ("Green".into(), Colour::from_rgb(0, 0x70, 0x3c)),
                ("Red".into(), Colour::from_rgb(0xd4, 0x35, 0x1c)),
            ],
            vec![row("Priority 1", vec![2, 1]), row("Priority 2", vec![0, 3])],
        );
        assert_eq!(
            f.summary,
            "6 key milestones across 2 priority areas: 2 Green, 4 Red."
        );
        let view = f.view().unwrap();
        assert_eq!(view.table.headers, ["Priority area", "Green", "Red"]);
        assert_eq!(view.table.rows[1].header, "Priority 2: title");
        assert_eq!(view.table.rows[1].cells[1].text, "3");
        assert!(
            view.svg_html
                .starts_with("<svg class=\"chart__svg chart__svg--wide\"")
        );
        assert_eq!(
            view.svg_html
                .matches("<svg class=\"chart__svg chart__svg--narrow\"")
                .count(),
            1
        );
    }
}
