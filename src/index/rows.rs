//! Table rows the site-wide pages list by the hundred (the tracker's, each
//! lead's and agency's), each rendered by a row template of the theme
//! (`tracker_row.html`, `lead_row.html`) and handed to the page template
//! as HTML (see [`Theme::rows_html`]). While a row template is the
//! built-in one, its rows are written here instead, byte for byte as the
//! template would render them: making every row into the templates' values
//! and reading them back through Tera's interpreter was about a fifth of a
//! build's instructions. Tests hold each writer to its template
//! (tests/tracker.rs, tests/leads.rs).

use serde::Serialize;

use crate::render::templates::{Context, RowLayout, Theme, escape_into};
use crate::render::views::StatusView;

/// `rows` as `template` renders each, given `r` and `flags`, every row on
/// its own line (as a `{% for %}` loop over them indented four spaces
/// lays them out); by `write` while the template is the built-in one.
pub(super) fn rows_html<R: Serialize>(
    theme: &Theme,
    template: &str,
    rows: &[R],
    flags: &[(&'static str, bool)],
    write: impl Fn(&R, &mut String),
) -> Result<String, String> {
    let mut context = Context::new();
    for (name, value) in flags {
        context.insert(*name, value);
    }
    let layout = RowLayout {
        before: "\n    ",
        after: "\n    ",
    };
    let builtin = theme.is_builtin(template);
    theme.rows_html((template, builtin), rows, &mut context, layout, write)
}

/// `<a href="…">…</a>`, both escaped.
pub(super) fn write_link(href: &str, text: &str, out: &mut String) {
    out.push_str("<a href=\"");
    escape_into(href, out);
    out.push_str("\">");
    escape_into(text, out);
    out.push_str("</a>");
}

/// A link, or the text alone when there is no link (or an empty one), as
/// `{% if href %}<a href="…">…</a>{% else %}…{% endif %}` writes it.
pub(super) fn write_maybe_link(href: Option<&str>, text: &str, out: &mut String) {
    match href.filter(|h| !h.is_empty()) {
        Some(href) => write_link(href, text, out),
        None => escape_into(text, out),
    }
}

/// A timescale, then what says it is overdue (the rows' due cells).
pub(super) fn write_due(timescale: Option<&str>, overdue: Option<&str>, out: &mut String) {
    if let Some(timescale) = timescale {
        escape_into(timescale, out);
    }
    if let Some(overdue) = overdue.filter(|o| !o.is_empty()) {
        out.push_str("<br><strong class=\"overdue\">");
        escape_into(overdue, out);
        out.push_str("</strong>");
    }
}

/// A rating's tag, then what it means where that is more than the tag's
/// words.
pub(super) fn write_rating(s: &StatusView, out: &mut String) {
    out.push_str(s.tag);
    if let Some(meaning) = s.meaning.filter(|m| !m.is_empty() && *m != s.name) {
        out.push_str("<br><span class=\"muted\">");
        escape_into(meaning, out);
        out.push_str("</span>");
    }
}
