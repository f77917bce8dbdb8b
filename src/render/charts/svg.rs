//! Drawing a [`Figure`] as inline SVG with plotters' SVG backend.
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

/// The figure's SVG: scalable, labelled by its title and summary.
pub(super) fn draw(f: &Figure) -> Result<String, String> {
    let svg = match f.kind {
        Kind::Line => line_svg(f)?,
        Kind::Column => column_svg(f)?,
        Kind::StackedBars => bars_svg(f)?,
    };
    Ok(wrap_svg(&svg, &f.id, &f.title, &f.summary))
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

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draw the frame (white ground, gridlines, y labels, x labels) and hand the
/// chart to `draw` for the data. Returns plotters' SVG plus our own text.
fn plot(
    f: &Figure,
    x: (f64, f64),
    draw: impl FnOnce(&mut Chart, &mut String) -> Result<(), String>,
) -> Result<String, String> {
    // Falls below zero (a change, a difference) get room below the axis.
    let (lo, hi) = value_range(f);
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
                f.measure.format(tick_value)
            );
            tick += step;
        }
        let every = (f.categories.len() as f64 / 5.0).ceil().max(1.0) as usize;
        for (i, c) in f.categories.iter().enumerate() {
            if i % every == 0 || i == f.categories.len() - 1 {
                let (px, py) = chart.backend_coord(&(i as f64, ymin));
                let _ = write!(
                    text,
                    "<text x=\"{px}\" y=\"{}\" text-anchor=\"middle\" {FONT}>{}</text>",
                    py + 30,
                    esc(&c.label)
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

fn line_svg(f: &Figure) -> Result<String, String> {
    let n = f.categories.len() as f64;
    plot(f, (-0.4, n - 0.6), |chart, text| {
        for (i, s) in f.series.iter().enumerate() {
            let colour = s.colour.as_str();
            let rgb = rgb(&s.colour);
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

fn column_svg(f: &Figure) -> Result<String, String> {
    let n = f.categories.len() as f64;
    let k = f.series.len().max(1) as f64;
    plot(f, (-0.5, n - 0.5), |chart, _text| {
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
    })
}

fn bars_svg(f: &Figure) -> Result<String, String> {
    let rows = &f.categories;
    let count =
        |s: &super::Series, r: usize| s.cells.get(r).and_then(Cell::value).unwrap_or(0.0) as usize;
    let row_height = 44u32;
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
    let margin = (longest as u32 * 11 + 16).clamp(72, 200);
    let mut svg = String::new();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
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
                "<text x=\"{}\" y=\"{py}\" text-anchor=\"end\" dominant-baseline=\"middle\" {FONT}>{}</text>",
                margin - 8,
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
        let svg = line_svg(&Figure::trend(&dataset(&[5.0, -3.0, 4.0]), None, "c")).unwrap();
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
        assert!(is_dark(rgb(&Colour::from_rgb(0x12, 0x43, 0x6d))));
        assert!(!is_dark(rgb(&Colour::from_rgb(0xff, 0xdd, 0))));
    }
}
