//! Drawing a [`Figure`] as inline SVG with plotters, into [`SvgWriter`](super::backend::SvgWriter).
//!
//! plotters lays out the plot area and draws gridlines, markers, columns and
//! bars; axis labels and series lines are written here as SVG text and paths
//! (plotters needs a font library to draw text, which we leave out), so each
//! series is exactly one `<path class="series">`. Series differ by colour,
//! dash pattern and marker shape, never by colour alone; bar segments carry
//! their count (and their status where it fits) as text.

use std::fmt::Write;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::backend::{Svg, Writer};
use super::{Figure, Kind};
use crate::data::Cell;
use crate::model::checked::Colour;
use crate::render::templates::escape as esc;

/// Dash patterns, one per series, so lines differ without colour.
const DASHES: [&str; 6] = ["", "10 5", "3 4", "12 4 3 4", "6 6", "2 2"];
const MARKERS: [Marker; 6] = [
    Marker::Circle,
    Marker::Triangle,
    Marker::Square,
    Marker::Diamond,
    Marker::Circle,
    Marker::Triangle,
];

/// A size to draw at. Each chart is drawn twice, wide and narrow; the page
/// shows the one that fits at its own pixel size (see style.css), so its
/// text is the same size on a phone as on a desktop rather than scaled with
/// the picture, and the narrow one thins its labels to fit.
#[derive(Clone, Copy)]
struct Canvas {
    name: &'static str,
    width: u32,
    height: u32,
    /// Text height in pixels.
    font: u32,
}

const WIDE: Canvas = Canvas {
    name: "wide",
    width: 480,
    height: 300,
    font: 15,
};
const NARROW: Canvas = Canvas {
    name: "narrow",
    width: 288,
    height: 240,
    font: 14,
};

impl Canvas {
    fn font(&self) -> String {
        format!(
            "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" font-size=\"{}\" fill=\"#0b0c0c\"",
            self.font
        )
    }

    /// About how wide `text` is drawn, in pixels (a sans-serif's average).
    fn text_width(&self, text: &str) -> i32 {
        (text.chars().count() as f64 * self.font as f64 * 0.56).ceil() as i32
    }
}
const GRID: RGBColor = RGBColor(0xd8, 0xd8, 0xd8);
const INK: RGBColor = RGBColor(0x0b, 0x0c, 0x0c);

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Triangle,
    Square,
    Diamond,
}

/// The figure's SVGs, wide then narrow, each labelled by its title and
/// summary.
pub(super) fn draw(f: &Figure) -> Result<String, String> {
    draw_with::<Writer>(f)
}

/// [`draw`] with the backend `B`.
fn draw_with<B: Svg>(f: &Figure) -> Result<String, String> {
    let mut out = String::with_capacity(2 * SVG_SIZE);
    for canvas in [WIDE, NARROW] {
        let svg = match f.kind {
            Kind::Line => line_svg::<B>(f, canvas)?,
            Kind::Column => column_svg::<B>(f, canvas)?,
            Kind::StackedBars => bars_svg::<B>(f, canvas)?,
        };
        wrap_svg(&mut out, &svg, f, canvas);
    }
    Ok(out)
}

/// Where each category sits along a time axis, in years, when every label
/// reads as a period and they run forwards: "2011" is 2011, "2011-12" (a
/// financial year) 2011.25, "Q2 2011-12" 2011.5. `None` puts categories
/// evenly, as for priorities.
fn time_positions(f: &Figure) -> Option<Vec<f64>> {
    let xs: Vec<f64> = f
        .categories
        .iter()
        .map(|c| period_position(&c.label))
        .collect::<Option<_>>()?;
    xs.windows(2).all(|w| w[0] < w[1]).then_some(xs)
}

fn period_position(label: &str) -> Option<f64> {
    let label = label.trim();
    let year = |s: &str| -> Option<f64> {
        (s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    // "2011-12", "2011/12", "2011-2012": a year from April.
    let split_year = |s: &str| -> Option<f64> {
        let (a, b) = s.split_once(['-', '/', '\u{2013}'])?;
        let start = year(a)?;
        let end: u32 = b.parse().ok()?;
        let follows = match b.len() {
            2 => end == (start as u32 + 1) % 100,
            4 => end == start as u32 + 1,
            _ => false,
        };
        follows.then_some(start + 0.25)
    };
    if let Some(y) = year(label) {
        return Some(y);
    }
    if let Some(y) = split_year(label) {
        return Some(y);
    }
    // "Q1 2011-12" (a quarter of a financial year) or "Q1 2011".
    let (q, rest) = label.split_once(' ')?;
    let quarter: f64 = q.strip_prefix('Q')?.parse().ok()?;
    if !(1.0..=4.0).contains(&quarter) {
        return None;
    }
    let start = split_year(rest).or_else(|| year(rest))?;
    Some(start + (quarter - 1.0) * 0.25)
}

/// An x label's extent, centred under its point unless that would run off
/// the picture, when it is set against the edge instead.
struct Label {
    left: i32,
    right: i32,
    /// Where its text is anchored, and how.
    anchor: (i32, &'static str),
}

impl Label {
    fn place(centre: i32, width: i32, picture: i32) -> Label {
        let half = width / 2;
        if centre + half > picture - 2 {
            let right = picture - 2;
            Label {
                left: right - width,
                right,
                anchor: (right, "end"),
            }
        } else if centre - half < 2 {
            Label {
                left: 2,
                right: 2 + width,
                anchor: (2, "start"),
            }
        } else {
            Label {
                left: centre - half,
                right: centre + half,
                anchor: (centre, "middle"),
            }
        }
    }
}

/// Which x labels to write: as many as fit without touching, the last
/// always (the latest period is the one readers look for).
fn labels_that_fit(placed: &[Label]) -> Vec<bool> {
    let mut keep = vec![false; placed.len()];
    let mut left_edge = i32::MAX;
    for i in (0..placed.len()).rev() {
        if placed[i].right + 8 <= left_edge {
            keep[i] = true;
            left_edge = placed[i].left;
        }
    }
    keep
}

/// A step for about five gridlines: 1, 2, 2.5 or 5 times a power of ten.
fn nice_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
}

/// The value range to draw, always including zero.
fn value_range(f: &Figure) -> (f64, f64) {
    f.series
        .iter()
        .flat_map(|s| s.cells.iter().filter_map(Cell::value))
        .fold((0.0, 0.0), |(lo, hi), v| (f64::min(lo, v), f64::max(hi, v)))
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draw the frame (white ground, gridlines, y labels, x labels) and hand the
/// chart to `draw` for the data. Returns plotters' SVG plus our own text.
fn plot<B: Svg>(
    f: &Figure,
    (canvas, right): (Canvas, u32),
    (x, xs): ((f64, f64), &[f64]),
    draw: impl FnOnce(&mut Chart<B::Backend<'_>>, &mut String) -> Result<(), String>,
) -> Result<String, String> {
    // Falls below zero (a change, a difference) get room below the axis.
    let (lo, hi) = value_range(f);
    let step = nice_step(hi - lo);
    let ymin = (lo / step).floor() * step;
    let ymax = ((hi / step).ceil() * step).max(ymin + step);
    let font = canvas.font();
    let widest_y = [ymin, ymax]
        .iter()
        .map(|v| canvas.text_width(&f.measure.format(*v)))
        .max()
        .unwrap_or(0);
    let (mut svg, mut text) = buffers();
    {
        let root = B::backend(&mut svg, (canvas.width, canvas.height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_left((widest_y + 14) as u32)
            .margin_right(right)
            .margin_top(canvas.font)
            .margin_bottom(canvas.font * 5 / 2)
            .build_cartesian_2d(x.0..x.1, ymin..ymax)
            .map_err(err)?;
        let mut tick = ymin;
        while tick <= ymax + step / 1000.0 {
            let at_zero = tick.abs() < step / 1000.0;
            let tick_value = if at_zero { 0.0 } else { tick };
            let colour = if at_zero { INK } else { GRID };
            chart
                .draw_series(LineSeries::new(
                    [(x.0, tick), (x.1, tick)],
                    colour.stroke_width(1),
                ))
                .map_err(err)?;
            let (px, py) = chart.backend_coord(&(x.0, tick));
            let _ = write!(
                text,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" {font}>{}</text>",
                px - 8,
                py,
                f.measure.format(tick_value)
            );
            tick += step;
        }
        let placed: Vec<Label> = f
            .categories
            .iter()
            .zip(xs)
            .map(|(c, &at)| {
                let centre = chart.backend_coord(&(at, ymin)).0;
                Label::place(centre, canvas.text_width(&c.label), canvas.width as i32)
            })
            .collect();
        let keep = labels_that_fit(&placed);
        for ((c, label), shown) in f.categories.iter().zip(&placed).zip(keep) {
            if shown {
                let py = chart.backend_coord(&(0.0, ymin)).1;
                let (x, anchor) = label.anchor;
                let _ = write!(
                    text,
                    "<text x=\"{x}\" y=\"{}\" text-anchor=\"{anchor}\" {font}>{}</text>",
                    py as u32 + canvas.font * 3 / 2 + 2,
                    esc(&c.label)
                );
            }
        }
        draw(&mut chart, &mut text)?;
        root.present().map_err(err)?;
    }
    Ok(with_text(svg, &text))
}

/// About the size of a chart's SVG, to write each into a buffer that
/// needs no growing: growing one from nothing copied it many times over.
const SVG_SIZE: usize = 8 * 1024;

/// Buffers for plotters' SVG and for the text written over it.
fn buffers() -> (String, String) {
    (
        String::with_capacity(SVG_SIZE),
        String::with_capacity(SVG_SIZE / 4),
    )
}

/// The SVG with the text put in before its end.
fn with_text(mut svg: String, text: &str) -> String {
    // Plotters writes one `</svg>`, at the end (text in it is escaped).
    if let Some(end) = svg.rfind("</svg>") {
        svg.insert_str(end, text);
    }
    svg
}

fn err(e: impl std::fmt::Debug) -> String {
    format!("the chart could not be drawn: {e:?}")
}

fn line_svg<B: Svg>(f: &Figure, canvas: Canvas) -> Result<String, String> {
    let n = f.categories.len();
    let xs = time_positions(f).unwrap_or_else(|| (0..n).map(|i| i as f64).collect());
    let (first, last) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(0.0),
    );
    let pad = ((last - first) * 0.04).max(0.4);
    // Each line named at its end, where the names fit beside the plot; the
    // legend above names them all the same.
    let widest = f
        .series
        .iter()
        .map(|s| canvas.text_width(&s.label))
        .max()
        .unwrap_or(0);
    let direct = f.series.len() <= 4 && widest <= canvas.width as i32 * 3 / 10;
    let right = if direct {
        widest as u32 + 14
    } else {
        canvas.font
    };
    plot::<B>(
        f,
        (canvas, right),
        ((first - pad, last + pad), &xs),
        |chart, text| {
            let mut ends: Vec<(i32, i32, &str)> = Vec::new();
            for (i, s) in f.series.iter().enumerate() {
                if let (Some(&x), Some(v)) = (xs.last(), s.cells.last().and_then(Cell::value)) {
                    let (px, py) = chart.backend_coord(&(x, v));
                    ends.push((px, py, &s.label));
                }
                let colour = s.colour.as_str();
                let rgb = rgb(&s.colour);
                let mut d = String::new();
                let mut pen_down = false;
                for (&x, cell) in xs.iter().zip(&s.cells) {
                    match cell.value() {
                        Some(v) => {
                            let (px, py) = chart.backend_coord(&(x, v));
                            let _ = write!(d, "{}{px} {py} ", if pen_down { "L" } else { "M" });
                            pen_down = true;
                            draw_marker(chart, MARKERS[i % MARKERS.len()], (x, v), rgb)?;
                        }
                        None => pen_down = false,
                    }
                }
                let dash = DASHES[i % DASHES.len()];
                let dash_attr = if dash.is_empty() {
                    String::new()
                } else {
                    format!(" stroke-dasharray=\"{dash}\"")
                };
                let _ = write!(
                    text,
                    "<path class=\"series\" data-series=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"3\" stroke-linejoin=\"round\"{dash_attr}/>",
                    esc(&s.label),
                    d.trim_end()
                );
            }
            if direct {
                end_labels(ends, canvas, text);
            }
            Ok(())
        },
    )
}

/// Names at the lines' ends, moved apart just enough not to touch, and
/// the whole stack moved up if that pushed the last below the plot (where
/// the x-axis labels are).
fn end_labels(mut ends: Vec<(i32, i32, &str)>, canvas: Canvas, text: &mut String) {
    ends.sort_by_key(|e| e.1);
    let gap = canvas.font as i32 + 2;
    let font = canvas.font();
    let mut below = i32::MIN;
    let mut placed: Vec<(i32, i32, &str)> = Vec::with_capacity(ends.len());
    for (px, py, label) in ends {
        let y = py.max(below.saturating_add(gap));
        below = y;
        placed.push((px, y, label));
    }
    let plot_bottom = canvas.height as i32 - (canvas.font * 5 / 2) as i32;
    let lift = below.saturating_sub(plot_bottom).max(0);
    for (px, y, label) in placed {
        let y = y - lift;
        let _ = write!(
            text,
            "<text class=\"chart__end-label\" x=\"{}\" y=\"{y}\" text-anchor=\"start\" dominant-baseline=\"middle\" {font}>{}</text>",
            px + 10,
            esc(label)
        );
    }
}

fn draw_marker<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    marker: Marker,
    at: (f64, f64),
    rgb: RGBColor,
) -> Result<(), String> {
    // Shapes are in pixels around the point, so markers keep their size.
    let shape: Vec<(i32, i32)> = match marker {
        Marker::Circle => {
            let dot = EmptyElement::at(at) + Circle::new((0, 0), 5, rgb.filled());
            return chart
                .draw_series(std::iter::once(dot))
                .map(|_| ())
                .map_err(err);
        }
        Marker::Triangle => vec![(0, -7), (7, 5), (-7, 5)],
        Marker::Square => vec![(-5, -5), (5, -5), (5, 5), (-5, 5)],
        Marker::Diamond => vec![(0, -7), (7, 0), (0, 7), (-7, 0)],
    };
    let mark = EmptyElement::at(at) + Polygon::new(shape, rgb.filled());
    chart
        .draw_series(std::iter::once(mark))
        .map(|_| ())
        .map_err(err)
}

/// Columns stand side by side, one slot per category: a column's width
/// is not a length of time.
fn column_svg<B: Svg>(f: &Figure, canvas: Canvas) -> Result<String, String> {
    let n = f.categories.len();
    let k = f.series.len().max(1) as f64;
    let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
    plot::<B>(
        f,
        (canvas, canvas.font),
        ((-0.5, n as f64 - 0.5), &xs),
        |chart, _text| {
            let width = 0.8 / k;
            for (i, s) in f.series.iter().enumerate() {
                let rgb = rgb(&s.colour);
                for (x, cell) in s.cells.iter().enumerate() {
                    if let Some(v) = cell.value() {
                        let left = x as f64 - 0.4 + i as f64 * width;
                        chart
                            .draw_series(std::iter::once(Rectangle::new(
                                [(left, 0.0), (left + width * 0.92, v)],
                                rgb.filled(),
                            )))
                            .map_err(err)?;
                    }
                }
            }
            Ok(())
        },
    )
}

fn bars_svg<B: Svg>(f: &Figure, canvas: Canvas) -> Result<String, String> {
    let rows = &f.categories;
    let count =
        |s: &super::Series, r: usize| s.cells.get(r).and_then(Cell::value).unwrap_or(0.0) as usize;
    let font = canvas.font();
    let row_height = canvas.font * 3;
    let height = 24 + row_height * rows.len().max(1) as u32;
    let max: usize = (0..rows.len())
        .map(|r| f.series.iter().map(|s| count(s, r)).sum())
        .max()
        .unwrap_or(0)
        .max(1);
    // Room for the longest row label ("Priority improvement area 1"),
    // within limits; the data table names every row in full.
    let longest = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    let margin = (longest as u32 * canvas.font * 56 / 100 + 16).clamp(72, canvas.width * 2 / 5);
    // Segment labels take their own colour.
    let bold_font = font.replace(" fill=\"#0b0c0c\"", "");
    let (mut svg, mut text) = buffers();
    {
        let root = B::backend(&mut svg, (canvas.width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_left(margin)
            .margin_right(20)
            .margin_top(12)
            .margin_bottom(12)
            .build_cartesian_2d(0f64..max as f64, 0f64..rows.len().max(1) as f64)
            .map_err(err)?;
        for (r, row) in rows.iter().enumerate() {
            let y0 = rows.len() as f64 - r as f64 - 0.85;
            let y1 = y0 + 0.7;
            let mut start = 0.0;
            for s in &f.series {
                let count = count(s, r);
                if count == 0 {
                    continue;
                }
                let end = start + count as f64;
                let rgb = rgb(&s.colour);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(start, y0), (end, y1)],
                        rgb.filled(),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(start, y0), (end, y1)],
                        WHITE.stroke_width(2),
                    )))
                    .map_err(err)?;
                let (px, py) = chart.backend_coord(&((start + end) / 2.0, (y0 + y1) / 2.0));
                let ink = if is_dark(rgb) { "#ffffff" } else { "#0b0c0c" };
                // The status name too where the segment is wide enough.
                let (left, _) = chart.backend_coord(&(start, y0));
                let (right, _) = chart.backend_coord(&(end, y0));
                let named = format!("{} {count}", s.label);
                // Bold text is wider than plain: room for it, with a margin.
                let fits = |words: &str| canvas.text_width(words) * 11 / 10 + 8 <= right - left;
                let words = if fits(&named) {
                    Some(named)
                } else {
                    fits(&count.to_string()).then(|| count.to_string())
                };
                // A segment too thin for its count leaves it to the data
                // table and the summary rather than overprint its neighbour.
                if let Some(words) = words {
                    let _ = write!(
                        text,
                        "<text x=\"{px}\" y=\"{py}\" text-anchor=\"middle\" dominant-baseline=\"middle\" {} fill=\"{ink}\" font-weight=\"700\">{}</text>",
                        bold_font,
                        esc(&words)
                    );
                }
                start = end;
            }
            let (_, py) = chart.backend_coord(&(0.0, (y0 + y1) / 2.0));
            let _ = write!(
                text,
                "<text x=\"{}\" y=\"{py}\" text-anchor=\"end\" dominant-baseline=\"middle\" {font}>{}</text>",
                margin - 8,
                esc(&row.label)
            );
        }
        root.present().map_err(err)?;
    }
    Ok(with_text(svg, &text))
}

/// Replace plotters' `<svg>` with one labelled by the figure's title and
/// summary, shown at its own pixel width (narrower only when its column
/// is). Ids inside SVG must be XML names (no leading digit), hence the
/// prefix.
fn wrap_svg(out: &mut String, svg: &str, f: &Figure, canvas: Canvas) {
    let (head, body) = svg.split_once('>').unwrap_or(("", svg));
    let view_box = head
        .split("viewBox=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("0 0 480 300");
    let id = format!("svg-{}-{}", f.id, canvas.name);
    let _ = write!(
        out,
        "<svg class=\"chart__svg chart__svg--{}\" viewBox=\"{view_box}\" width=\"{}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        canvas.name,
        canvas.width,
        esc(&f.title),
        esc(&f.summary),
    );
    out.push_str(body.trim_start());
}

/// The small picture beside a series' name in the legend: its line, dash
/// and marker, its column colour, or its status colour.
pub(super) fn legend_key(kind: Kind, i: usize, colour: &Colour) -> String {
    let colour = colour.as_str();
    match kind {
        Kind::Line => {
            let dash = DASHES[i % DASHES.len()];
            let dash_attr = if dash.is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{dash}\"")
            };
            let marker = match MARKERS[i % MARKERS.len()] {
                Marker::Circle => format!("<circle cx=\"20\" cy=\"8\" r=\"5\" fill=\"{colour}\"/>"),
                Marker::Triangle => {
                    format!("<polygon points=\"20,1 27,13 13,13\" fill=\"{colour}\"/>")
                }
                Marker::Square => {
                    format!("<rect x=\"15\" y=\"3\" width=\"10\" height=\"10\" fill=\"{colour}\"/>")
                }
                Marker::Diamond => {
                    format!("<polygon points=\"20,1 27,8 20,15 13,8\" fill=\"{colour}\"/>")
                }
            };
            format!(
                "<svg width=\"40\" height=\"16\" viewBox=\"0 0 40 16\" aria-hidden=\"true\" focusable=\"false\"><line x1=\"0\" y1=\"8\" x2=\"40\" y2=\"8\" stroke=\"{colour}\" stroke-width=\"3\"{dash_attr}/>{marker}</svg>"
            )
        }
        Kind::Column => format!(
            "<svg width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"16\" height=\"16\" fill=\"{colour}\"/></svg>"
        ),
        Kind::StackedBars => format!(
            "<span class=\"status__swatch\" style=\"background-color: {}\" aria-hidden=\"true\"></span>",
            esc(colour)
        ),
    }
}

fn rgb(colour: &Colour) -> RGBColor {
    let (r, g, b) = colour.rgb();
    RGBColor(r, g, b)
}

/// Whether white text reads better than black on this colour (WCAG luminance).
fn is_dark(c: RGBColor) -> bool {
    let lin = |v: u8| {
        let s = v as f64 / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    (1.05) / (l + 0.05) > (l + 0.05) / 0.05
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_give_about_five_gridlines() {
        assert_eq!(nice_step(235.0), 50.0);
        assert_eq!(nice_step(60.0), 20.0);
        assert_eq!(nice_step(9.0), 2.0);
        assert_eq!(nice_step(0.0), 1.0);
    }

    fn dataset(values: &[f64]) -> crate::data::Dataset {
        use crate::data::{ChartKind, Dataset, Measure, Role, Series, SeriesSpec};
        Dataset {
            id: "t".into(),
            file: "content/data/t.yaml".into(),
            spec: SeriesSpec {
                title: "Change".into(),
                measure: Measure::Percentage,
                measure_label: None,
                subject: None,
                place: None,
                source: "S".into(),
                notes: vec![],
                kind: ChartKind::Line,
                csv: None,
                areas: vec![],
                dfe: None,
            },
            periods: (0..values.len()).map(|i| format!("{}", 2020 + i)).collect(),
            series: vec![Series {
                label: "Here".into(),
                role: Role::Local,
                cells: values.iter().map(|v| Cell::Value(*v)).collect(),
            }],
            data_notes: vec![],
        }
    }

    #[test]
    fn values_below_zero_stay_inside_the_chart() {
        let svg = line_svg::<Writer>(&Figure::trend(&dataset(&[5.0, -3.0, 4.0]), None, "c"), WIDE)
            .unwrap();
        let d = svg
            .split("class=\"series\"")
            .nth(1)
            .unwrap()
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        for y in d
            .split(['M', 'L'])
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.split_whitespace().nth(1).unwrap().parse::<i32>().unwrap())
        {
            assert!((0..WIDE.height as i32).contains(&y), "{d}");
        }
        assert!(
            svg.contains(">-4%<") || svg.contains(">-5%<") || svg.contains(">-3%<"),
            "an axis label below zero"
        );
        assert!(!svg.contains(">-0%<"));
    }

    #[test]
    fn periods_sit_on_a_time_axis() {
        for (label, at) in [
            ("2011", 2011.0),
            ("2011-12", 2011.25),
            ("2011/12", 2011.25),
            ("2011-2012", 2011.25),
            ("Q1 2011-12", 2011.25),
            ("Q3 2011-12", 2011.75),
            ("Q2 2012", 2012.25),
        ] {
            assert_eq!(period_position(label), Some(at), "{label}");
        }
        for label in ["2011-13", "Priority 1", "Q5 2011", "March 2012", "201112"] {
            assert_eq!(period_position(label), None, "{label}");
        }
    }

    #[test]
    fn a_quarter_after_a_year_is_a_quarter_of_a_year_along() {
        let mut ds = dataset(&[1.0, 2.0, 3.0, 4.0]);
        ds.periods = vec![
            "2009".into(),
            "2010".into(),
            "2011".into(),
            "Q1 2011-12".into(),
        ];
        let svg = line_svg::<Writer>(&Figure::trend(&ds, None, "c"), WIDE).unwrap();
        let d = svg.split("class=\"series\"").nth(1).unwrap();
        let d = d.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let xs: Vec<i32> = d
            .split(['M', 'L'])
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.split_whitespace().next().unwrap().parse().unwrap())
            .collect();
        let year = xs[1] - xs[0];
        let quarter = xs[3] - xs[2];
        assert!((year - (xs[2] - xs[1])).abs() <= 1, "{xs:?}");
        assert!(
            (quarter * 4 - year).abs() <= 4,
            "a quarter drawn as {quarter} px against a year's {year}"
        );
        // "2011" would touch "Q1 2011-12": the latest period keeps its label.
        assert!(svg.contains(">Q1 2011-12<"));
        assert!(!svg.contains(">2011<"), "{svg}");
    }

    #[test]
    fn lines_are_named_at_their_ends_where_the_names_fit() {
        let svg = line_svg::<Writer>(&Figure::trend(&dataset(&[5.0, 6.0, 7.0]), None, "c"), WIDE)
            .unwrap();
        assert_eq!(svg.matches("class=\"chart__end-label\"").count(), 1);
        assert!(svg.contains(">Here</text>"));
        let mut long = dataset(&[5.0, 6.0, 7.0]);
        long.series[0].label = "Statistical neighbours (median of ten)".into();
        let svg = line_svg::<Writer>(&Figure::trend(&long, None, "c"), NARROW).unwrap();
        assert!(
            !svg.contains("chart__end-label"),
            "too long to fit beside a narrow chart"
        );
    }

    #[test]
    fn end_labels_move_apart_rather_than_touch() {
        let mut text = String::new();
        end_labels(vec![(400, 100, "A"), (400, 104, "B")], WIDE, &mut text);
        let ys: Vec<i32> = text
            .split(" y=\"")
            .skip(1)
            .map(|t| t.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(ys, [100, 100 + WIDE.font as i32 + 2]);
    }

    #[test]
    fn end_labels_at_the_bottom_stay_above_the_axis_labels() {
        let bottom = WIDE.height as i32 - (WIDE.font * 5 / 2) as i32;
        let mut text = String::new();
        end_labels(
            vec![(400, bottom, "A"), (400, bottom, "B")],
            WIDE,
            &mut text,
        );
        let ys: Vec<i32> = text
            .split(" y=\"")
            .skip(1)
            .map(|t| t.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(ys, [bottom - WIDE.font as i32 - 2, bottom]);
    }

    #[test]
    fn labels_that_would_touch_are_thinned_from_the_left() {
        let placed: Vec<Label> = [20, 40, 70, 110]
            .iter()
            .map(|&c| Label::place(c, 30, 200))
            .collect();
        assert_eq!(labels_that_fit(&placed), [true, false, true, true]);
        // Set against the right edge, the last label pushes out the one
        // before it.
        let edge: Vec<Label> = [120, 170, 195]
            .iter()
            .map(|&c| Label::place(c, 40, 200))
            .collect();
        assert_eq!(edge[2].anchor, (198, "end"));
        assert_eq!(labels_that_fit(&edge), [true, false, true]);
    }

    #[test]
    fn text_colour_contrasts_with_the_segment() {
        assert!(is_dark(rgb(&Colour::from_rgb(0x12, 0x43, 0x6d))));
        assert!(!is_dark(rgb(&Colour::from_rgb(0xff, 0xdd, 0))));
    }

    /// A figure of `kind` with a series per column of `values` (`None` a
    /// gap), its categories labelled by `labels` in turn.
    fn figure(kind: Kind, values: &[Vec<Option<f64>>], labels: &[&str]) -> Figure {
        let categories = values.first().map_or(0, Vec::len);
        Figure {
            id: "f".into(),
            kind,
            title: "Title".into(),
            subtitle: String::new(),
            category_name: "Period".into(),
            categories: (0..categories)
                .map(|i| super::super::Category {
                    label: labels[i % labels.len()].to_string(),
                    name: format!("{i}"),
                })
                .collect(),
            series: values
                .iter()
                .enumerate()
                .map(|(i, cells)| super::super::Series {
                    label: format!("Series {i} & <more>"),
                    colour: super::super::palette(i),
                    cells: cells
                        .iter()
                        .map(|v| v.map_or(Cell::Missing("x".into()), Cell::Value))
                        .collect(),
                })
                .collect(),
            measure: crate::data::Measure::Count,
            measure_label: None,
            source: None,
            notes: vec![],
            summary: "Summary".into(),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// boardpress's backend writes every chart exactly as plotters-svg
        /// would: lines with each marker shape and gaps, columns above and
        /// below zero, and stacked bars of counts.
        #[test]
        fn the_writer_draws_what_plotters_svg_draws(
            kind in 0..3usize,
            series in 1..7usize,
            values in proptest::collection::vec(proptest::option::weighted(0.9, -50.0..400.0f64), 1..60),
            labels in proptest::sample::subsequence(
                vec!["2011", "2011-12", "Q2 2012-13", "2014", "Priority 1", "A much longer priority name"], 1..4),
        ) {
            let kind = [Kind::Line, Kind::Column, Kind::StackedBars][kind];
            let per = (values.len() / series).max(1);
            let table: Vec<Vec<Option<f64>>> = values
                .chunks(per)
                .take(series)
                .map(|c| {
                    let mut c: Vec<_> = c.iter().map(|v| match kind {
                        Kind::StackedBars => Some(v.unwrap_or(0.0).abs().floor() % 40.0),
                        _ => *v,
                    }).collect();
                    c.resize(per, None);
                    c
                })
                .collect();
            let f = figure(kind, &table, &labels);
            let ours = draw_with::<Writer>(&f).unwrap();
            let theirs = draw_with::<super::super::backend::PlottersSvg>(&f).unwrap();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }
}
