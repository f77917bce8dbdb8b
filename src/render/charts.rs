//! Charts as accessible inline SVG, drawn with plotters' SVG backend.
//!
//! Every chart is a `<figure>`: a caption whose title states the finding and
//! whose subtitle gives the measure, place and period; a legend; the SVG
//! (`role="img"` with `<title>` and `<desc>`); a one-sentence summary made
//! from the data; the source; and the figures as a table. Series are told
//! apart by colour (the Analysis Function palette, in order), dash pattern
//! and marker shape; statuses by their label and count as well as colour.
//!
//! plotters lays out the plot area and draws gridlines, markers, columns and
//! bars; axis labels and series lines are written here as SVG text and paths
//! (plotters needs a font library to draw text, which we leave out), so each
//! area is exactly one `<path class="series">`.

use std::fmt::Write;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::data::{CODES, Cell, ChartKind, Dataset, Measure};

/// The Government Analysis Function's categorical palette, in order.
pub const PALETTE: [&str; 6] = [
    "#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1",
];
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

// Small enough that text stays legible when the SVG shrinks to a 320 px phone.
const WIDTH: u32 = 480;
const HEIGHT: u32 = 320;
const FONT: &str = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" font-size=\"20\" fill=\"#0b0c0c\"";
const GRID: RGBColor = RGBColor(0xd8, 0xd8, 0xd8);
const INK: RGBColor = RGBColor(0x0b, 0x0c, 0x0c);

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Triangle,
    Square,
    Diamond,
}

/// Render a data series as a figure. `id` must be unique on the page.
pub fn figure(ds: &Dataset, kind: Option<ChartKind>, id: &str) -> Result<String, String> {
    let kind = kind.unwrap_or(ds.spec.kind);
    let svg = match kind {
        ChartKind::Line => line_svg(ds, id)?,
        ChartKind::Column => column_svg(ds, id)?,
    };
    let summary = summary(ds);
    let mut html = figure_start(id, &ds.spec.title, &ds.subtitle());
    html.push_str(&legend(ds, kind));
    push_picture(&mut html, &svg, id, &ds.spec.title, &summary);
    let _ = write!(
        html,
        "<p class=\"chart__source\">Source: {}</p>",
        esc(&ds.spec.source)
    );
    html.push_str(&data_table(ds, id));
    html.push_str("</figure>");
    Ok(html)
}

/// `<figure>` and its caption: the title states the finding, the subtitle
/// gives the measure, place and period.
fn figure_start(id: &str, title: &str, subtitle: &str) -> String {
    format!(
        "<figure class=\"chart\" id=\"{id}\"><figcaption><span class=\"chart__title\">{}</span> <span class=\"chart__subtitle\">{}</span></figcaption>",
        esc(title),
        esc(subtitle)
    )
}

/// The SVG, labelled by the title and summary, and the summary in words.
fn push_picture(html: &mut String, svg: &str, id: &str, title: &str, summary: &str) {
    html.push_str(&wrap_svg(svg, id, title, summary));
    let _ = write!(html, "<p class=\"chart__summary\">{}</p>", esc(summary));
}

/// One row of a status chart: a label (e.g. "Priority 1") and a count per status.
pub struct StatusRow {
    pub label: String,
    pub title: String,
    pub counts: Vec<usize>,
}

/// A status, as the chart shows it.
pub struct StatusKind {
    pub label: String,
    pub colour: String,
}

/// A stacked horizontal bar per row, one segment per status, each segment
/// labelled with its count; the legend and table carry the status names.
pub fn status_figure(
    title: &str,
    subtitle: &str,
    statuses: &[StatusKind],
    rows: &[StatusRow],
    id: &str,
) -> Result<String, String> {
    let svg = status_svg(statuses, rows)?;
    let summary = status_summary(statuses, rows);
    let mut html = figure_start(id, title, subtitle);
    html.push_str("<ul class=\"chart__legend\">");
    for s in statuses {
        let _ = write!(
            html,
            "<li><span class=\"status__swatch\" style=\"background-color: {}\" aria-hidden=\"true\"></span>{}</li>",
            esc(&s.colour),
            esc(&s.label)
        );
    }
    html.push_str("</ul>");
    push_picture(&mut html, &svg, id, title, &summary);
    let _ = write!(
        html,
        "<details class=\"chart__data\"><summary>Show the data as a table</summary><table class=\"table\"><caption>{}</caption><thead><tr><th scope=\"col\">Priority</th>",
        esc(title)
    );
    for s in statuses {
        let _ = write!(html, "<th scope=\"col\">{}</th>", esc(&s.label));
    }
    html.push_str("</tr></thead><tbody>");
    for r in rows {
        let _ = write!(html, "<tr><th scope=\"row\">{}</th>", esc(&r.title));
        for c in &r.counts {
            let _ = write!(html, "<td>{c}</td>");
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></details></figure>");
    Ok(html)
}

fn status_summary(statuses: &[StatusKind], rows: &[StatusRow]) -> String {
    let mut totals = vec![0; statuses.len()];
    for r in rows {
        for (t, c) in totals.iter_mut().zip(&r.counts) {
            *t += c;
        }
    }
    let all: usize = totals.iter().sum();
    let parts: Vec<String> = statuses
        .iter()
        .zip(&totals)
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| format!("{n} {}", s.label))
        .collect();
    format!(
        "{all} milestone{} across {} priorit{}: {}.",
        plural(all),
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" },
        parts.join(", ")
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The sentence that says what the chart shows, from the first series
/// (the board's own area), then how the others compare at the end.
pub fn summary(ds: &Dataset) -> String {
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
        let _ = write!(
            text,
            " In {last_period}: {} {}, {}.",
            local.label,
            m.format(*last_value),
            others.join(", ")
        );
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
fn value_range(ds: &Dataset) -> (f64, f64) {
    ds.series
        .iter()
        .flat_map(|s| s.cells.iter().filter_map(Cell::value))
        .fold((0.0, 0.0), |(lo, hi), v| (f64::min(lo, v), f64::max(hi, v)))
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draw the frame (white ground, gridlines, y labels, x labels) and hand the
/// chart to `draw` for the data. Returns plotters' SVG plus our own text.
fn plot(
    ds: &Dataset,
    x: (f64, f64),
    draw: impl FnOnce(&mut Chart, &mut String) -> Result<(), String>,
) -> Result<String, String> {
    // Falls below zero (a change, a difference) get room below the axis.
    let (lo, hi) = value_range(ds);
    let step = nice_step(hi - lo);
    let ymin = (lo / step).floor() * step;
    let ymax = ((hi / step).ceil() * step).max(ymin + step);
    let mut svg = String::new();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_left(72)
            .margin_right(20)
            .margin_top(16)
            .margin_bottom(48)
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
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" {FONT}>{}</text>",
                px - 8,
                py,
                ds.spec.measure.format(tick_value)
            );
            tick += step;
        }
        let every = (ds.periods.len() as f64 / 5.0).ceil().max(1.0) as usize;
        for (i, p) in ds.periods.iter().enumerate() {
            if i % every == 0 || i == ds.periods.len() - 1 {
                let (px, py) = chart.backend_coord(&(i as f64, ymin));
                let _ = write!(
                    text,
                    "<text x=\"{px}\" y=\"{}\" text-anchor=\"middle\" {FONT}>{}</text>",
                    py + 30,
                    esc(p)
                );
            }
        }
        draw(&mut chart, &mut text)?;
        root.present().map_err(err)?;
    }
    Ok(svg.replacen("</svg>", &format!("{text}</svg>"), 1))
}

fn err(e: impl std::fmt::Debug) -> String {
    format!("the chart could not be drawn: {e:?}")
}

fn line_svg(ds: &Dataset, _id: &str) -> Result<String, String> {
    let n = ds.periods.len() as f64;
    plot(ds, (-0.4, n - 0.6), |chart, text| {
        for (i, s) in ds.series.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let rgb = hex_rgb(colour);
            let mut d = String::new();
            let mut pen_down = false;
            for (x, cell) in s.cells.iter().enumerate() {
                match cell.value() {
                    Some(v) => {
                        let (px, py) = chart.backend_coord(&(x as f64, v));
                        let _ = write!(d, "{}{px} {py} ", if pen_down { "L" } else { "M" });
                        pen_down = true;
                        draw_marker(chart, MARKERS[i % MARKERS.len()], (x as f64, v), rgb)?;
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
        Ok(())
    })
}

fn draw_marker(
    chart: &mut Chart,
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

fn column_svg(ds: &Dataset, _id: &str) -> Result<String, String> {
    let n = ds.periods.len() as f64;
    let k = ds.series.len().max(1) as f64;
    plot(ds, (-0.5, n - 0.5), |chart, _text| {
        let width = 0.8 / k;
        for (i, s) in ds.series.iter().enumerate() {
            let rgb = hex_rgb(PALETTE[i % PALETTE.len()]);
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
    })
}

fn status_svg(statuses: &[StatusKind], rows: &[StatusRow]) -> Result<String, String> {
    let row_height = 44u32;
    let height = 24 + row_height * rows.len().max(1) as u32;
    let max: usize = rows
        .iter()
        .map(|r| r.counts.iter().sum())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = String::new();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_left(130)
            .margin_right(20)
            .margin_top(12)
            .margin_bottom(12)
            .build_cartesian_2d(0f64..max as f64, 0f64..rows.len().max(1) as f64)
            .map_err(err)?;
        for (r, row) in rows.iter().enumerate() {
            let y0 = rows.len() as f64 - r as f64 - 0.85;
            let y1 = y0 + 0.7;
            let mut start = 0.0;
            for (s, count) in statuses.iter().zip(&row.counts) {
                if *count == 0 {
                    continue;
                }
                let end = start + *count as f64;
                let rgb = hex_rgb(&s.colour);
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
                let words = if (right - left) as usize > named.chars().count() * 12 + 12 {
                    named
                } else {
                    count.to_string()
                };
                let _ = write!(
                    text,
                    "<text x=\"{px}\" y=\"{py}\" text-anchor=\"middle\" dominant-baseline=\"middle\" {} fill=\"{ink}\" font-weight=\"700\">{}</text>",
                    FONT.replace(" fill=\"#0b0c0c\"", ""),
                    esc(&words)
                );
                start = end;
            }
            let (_, py) = chart.backend_coord(&(0.0, (y0 + y1) / 2.0));
            let _ = write!(
                text,
                "<text x=\"122\" y=\"{py}\" text-anchor=\"end\" dominant-baseline=\"middle\" {FONT}>{}</text>",
                esc(&row.label)
            );
        }
        root.present().map_err(err)?;
    }
    Ok(svg.replacen("</svg>", &format!("{text}</svg>"), 1))
}

/// Replace plotters' fixed-size `<svg>` with a scalable, labelled one.
/// Ids inside SVG must be XML names (no leading digit), hence the prefix.
fn wrap_svg(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let body = svg.split_once('>').map_or(svg, |(_, rest)| rest);
    let view_box = svg
        .split("viewBox=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("0 0 480 320");
    format!(
        "<svg class=\"chart__svg\" viewBox=\"{view_box}\" width=\"100%\" role=\"img\" aria-labelledby=\"svg-{id}-title svg-{id}-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"svg-{id}-title\">{}</title><desc id=\"svg-{id}-desc\">{}</desc>{}",
        esc(title),
        esc(desc),
        body.trim_start()
    )
}

fn legend(ds: &Dataset, kind: ChartKind) -> String {
    let mut html = String::from("<ul class=\"chart__legend\">");
    for (i, s) in ds.series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let key = match kind {
            ChartKind::Line => {
                let dash = DASHES[i % DASHES.len()];
                let dash_attr = if dash.is_empty() {
                    String::new()
                } else {
                    format!(" stroke-dasharray=\"{dash}\"")
                };
                let marker = match MARKERS[i % MARKERS.len()] {
                    Marker::Circle => {
                        format!("<circle cx=\"20\" cy=\"8\" r=\"5\" fill=\"{colour}\"/>")
                    }
                    Marker::Triangle => {
                        format!("<polygon points=\"20,1 27,13 13,13\" fill=\"{colour}\"/>")
                    }
                    Marker::Square => format!(
                        "<rect x=\"15\" y=\"3\" width=\"10\" height=\"10\" fill=\"{colour}\"/>"
                    ),
                    Marker::Diamond => {
                        format!("<polygon points=\"20,1 27,8 20,15 13,8\" fill=\"{colour}\"/>")
                    }
                };
                format!(
                    "<svg width=\"40\" height=\"16\" viewBox=\"0 0 40 16\" aria-hidden=\"true\" focusable=\"false\"><line x1=\"0\" y1=\"8\" x2=\"40\" y2=\"8\" stroke=\"{colour}\" stroke-width=\"3\"{dash_attr}/>{marker}</svg>"
                )
            }
            ChartKind::Column => format!(
                "<svg width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"16\" height=\"16\" fill=\"{colour}\"/></svg>"
            ),
        };
        let _ = write!(html, "<li>{key} {}</li>", esc(&s.label));
    }
    html.push_str("</ul>");
    html
}

fn data_table(ds: &Dataset, id: &str) -> String {
    let mut html = format!(
        "<details class=\"chart__data\"><summary>Show the data as a table</summary><table class=\"table\" id=\"{id}-data\"><caption>{} ({})</caption><thead><tr><th scope=\"col\">Period</th>",
        esc(&ds.spec.title),
        esc(&ds.measure_label().to_lowercase())
    );
    for s in &ds.series {
        let _ = write!(html, "<th scope=\"col\">{}</th>", esc(&s.label));
    }
    html.push_str("</tr></thead><tbody>");
    for (i, p) in ds.periods.iter().enumerate() {
        let _ = write!(html, "<tr><th scope=\"row\">{}</th>", esc(p));
        for s in &ds.series {
            let cell = match s.cells.get(i) {
                Some(Cell::Value(v)) => ds.spec.measure.format(*v),
                Some(Cell::Missing(code)) if !code.is_empty() => {
                    let why = CODES
                        .iter()
                        .find(|(c, _)| c == code)
                        .map_or("", |(_, w)| *w);
                    format!("<abbr title=\"{}\">{}</abbr>", esc(why), esc(code))
                }
                _ => "<span class=\"muted\">no figure</span>".to_string(),
            };
            let _ = write!(html, "<td>{cell}</td>");
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    let notes: Vec<&String> = ds.spec.notes.iter().chain(&ds.data_notes).collect();
    if !notes.is_empty() {
        html.push_str("<ul class=\"chart__notes\">");
        for n in notes {
            let _ = write!(html, "<li>{}</li>", esc(n));
        }
        html.push_str("</ul>");
    }
    html.push_str("</details>");
    html
}

fn hex_rgb(hex: &str) -> RGBColor {
    let h = hex.trim_start_matches('#');
    let part = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("50"), 16).unwrap_or(0x50);
    RGBColor(part(0), part(2), part(4))
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

/// Escape text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
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

    fn dataset(values: &[f64]) -> Dataset {
        use crate::data::{Role, Series, SeriesSpec};
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
        let svg = line_svg(&dataset(&[5.0, -3.0, 4.0]), "c").unwrap();
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
            assert!((0..HEIGHT as i32).contains(&y), "{d}");
        }
        assert!(
            svg.contains(">-4%<") || svg.contains(">-5%<") || svg.contains(">-3%<"),
            "an axis label below zero"
        );
        assert!(!svg.contains(">-0%<"));
    }

    #[test]
    fn text_colour_contrasts_with_the_segment() {
        assert!(is_dark(hex_rgb("#12436D")));
        assert!(!is_dark(hex_rgb("#ffdd00")));
    }
}
