//! A chart as the built-in `figure` component (components.html) draws it,
//! written here byte for byte: a plan's status chart on every plan's page
//! and a board's key figures went through Tera's interpreter, with every
//! figure's SVG and table made into Tera's values first. While
//! `components.html` (and, for the status chart, `document_body.html`) is
//! the built-in one, pages print what this writes; a theme's own is given
//! the figure to draw. Tests hold this writer to the component
//! (tests/build.rs).

use crate::render::charts::{CellView, FigureView};
use crate::render::templates::{Theme, Written, escape_into};

/// Whether the theme draws figures with the built-in component.
pub fn builtin(theme: &Theme) -> bool {
    theme.is_builtin("components.html")
}

/// A chart on a document's page as templates get it: only `html`, the
/// chart as written here, while `document_body.html` and
/// `components.html` are the built-in ones; else the figure to draw.
pub fn chart_view(figure: FigureView, theme: &Theme) -> Written<FigureView> {
    let written = builtin(theme) && theme.is_builtin("document_body.html");
    Written::new(figure, written, write_figure)
}

/// The `figure` component's rendering of `f`.
pub fn write_figure(f: &FigureView, out: &mut String) {
    out.reserve(f.svg_html.len() + 2048);
    out.push_str("<figure class=\"chart\" id=\"");
    escape_into(&f.id, out);
    out.push_str("\"><figcaption><span class=\"chart__title\">");
    escape_into(&f.title, out);
    out.push_str("</span> <span class=\"chart__subtitle\">");
    escape_into(&f.subtitle, out);
    out.push_str("</span></figcaption>");
    if !f.legend.is_empty() {
        out.push_str("<ul class=\"chart__legend\">");
        for item in &f.legend {
            out.push_str("<li>");
            out.push_str(&item.key_html);
            out.push(' ');
            escape_into(&item.label, out);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str(&f.svg_html);
    out.push_str("<p class=\"chart__summary\">");
    escape_into(&f.summary, out);
    out.push_str("</p>");
    if let Some(source) = f.source.as_deref().filter(|s| !s.is_empty()) {
        out.push_str("<p class=\"chart__source\">Source: ");
        escape_into(source, out);
        out.push_str("</p>");
    }
    write_table(f, out);
    if !f.notes.is_empty() {
        out.push_str("<ul class=\"chart__notes\">");
        for note in &f.notes {
            out.push_str("<li>");
            escape_into(note, out);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("<p class=\"chart__download\"><a href=\"");
    escape_into(&f.data_file, out);
    out.push_str("\" download>Download this data as CSV</a></p>\n</details></figure>");
}

/// The figures as a table, in a `<details>` left open.
fn write_table(f: &FigureView, out: &mut String) {
    let t = &f.table;
    out.push_str("<details class=\"chart__data\"><summary>Show the data as a table</summary><table class=\"table\" id=\"");
    escape_into(&t.id, out);
    out.push_str("\"><caption>");
    escape_into(&t.caption, out);
    out.push_str("</caption><thead><tr>");
    for h in &t.headers {
        out.push_str("<th scope=\"col\">");
        escape_into(h, out);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr><th scope=\"row\">");
        escape_into(&row.header, out);
        out.push_str("</th>");
        for c in &row.cells {
            write_cell(c, out);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn write_cell(c: &CellView, out: &mut String) {
    out.push_str("<td>");
    match c.why.as_deref().filter(|w| !w.is_empty()) {
        Some(why) => {
            out.push_str("<abbr title=\"");
            escape_into(why, out);
            out.push_str("\">");
            escape_into(&c.text, out);
            out.push_str("</abbr>");
        }
        None if !c.text.is_empty() => escape_into(&c.text, out),
        None => out.push_str("<span class=\"muted\">no figure</span>"),
    }
    out.push_str("</td>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::charts::{LegendItem, RowView, TableView};

    fn cell(text: &str, why: Option<&str>) -> CellView {
        CellView {
            text: text.into(),
            why: why.map(Into::into),
        }
    }

    /// A figure taking every branch of the component, with text to escape.
    fn figure(source: Option<&str>, notes: &[&str], legend: bool) -> FigureView {
        FigureView {
            id: "cp-<plans>".into(),
            title: "Children & families".into(),
            subtitle: "Rate per 10,000".into(),
            legend: match legend {
                true => vec![LegendItem {
                    key_html: "<span class=\"key\"></span>".into(),
                    label: "England \"average\"".into(),
                }],
                false => Vec::new(),
            },
            svg_html: "<svg><title>x</title></svg>".into(),
            summary: "Up from 40 to 45.".into(),
            source: source.map(Into::into),
            table: TableView {
                id: "cp-data".into(),
                caption: "Children's plans".into(),
                headers: vec!["Year".into(), "Here & now".into()],
                rows: vec![RowView {
                    header: "2019/20".into(),
                    cells: vec![
                        cell("45", None),
                        cell("c", Some("Suppressed: <6")),
                        cell("", None),
                        cell("7", Some("")),
                    ],
                }],
            },
            notes: notes.iter().map(|n| n.to_string()).collect(),
            data_file: "data/cp-plans.csv".into(),
            csv: Vec::new(),
            html: None,
        }
    }

    /// The writer gives what the built-in component renders through Tera.
    #[test]
    fn figures_are_written_as_the_builtin_component_draws_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut diags = crate::diagnostics::Diagnostics::default();
        let theme = crate::render::templates::load_theme(dir.path(), None, &mut diags).unwrap();
        assert!(builtin(&theme));
        for f in [
            figure(Some("DfE & ONS"), &["Rounded <to> 5."], true),
            figure(None, &[], false),
            figure(Some(""), &["One.", "Two."], true),
        ] {
            let mut written = String::new();
            write_figure(&f, &mut written);
            assert_eq!(Some(written), theme.key_figure_html(&f));
        }
    }
}
