//! A plan's priorities as the built-in `priorities.html` renders them (with
//! `milestone_table.html` and the `footnote_refs` and
//! `priority_description` components as components.html draws them),
//! written here byte for byte: every plan's priorities, objectives and
//! tables went through Tera's interpreter, about a fiftieth of a build's
//! work. `document_body.html` prints the result as `plan.priorities_html`;
//! a theme's own `priorities.html` (or `milestone_table.html`, or
//! `components.html`) is rendered as usual. The layout strings are the
//! template's own text between its tags, blank lines and indents included.
//! Tests hold this writer to the template (tests/build.rs).

use super::Counted;
use super::plan::{FamilyGroup, FootnoteRef, ObjectiveView, PriorityView, StatusCount};
use crate::model::checked::{Columns, Terms};
use crate::render::templates::{Theme, escape_into, escaped};

/// The templates whose output [`write_priorities`] stands for.
const TEMPLATES: [&str; 3] = ["priorities.html", "milestone_table.html", "components.html"];

/// Whether the theme renders the priorities with the built-in templates.
pub fn builtin(theme: &Theme) -> bool {
    TEMPLATES.iter().all(|t| theme.is_builtin(t))
}

/// The plan's priorities under their families, as `priorities.html` gives
/// them (its loop over `plan.groups`).
pub fn write_priorities(groups: &[FamilyGroup], t: &Terms, c: Columns, out: &mut String) {
    let fixed = Fixed {
        table: TableHead::new(t, c),
        counted: Counted::new(t),
        no_status: escaped(&t.status.to_lowercase()),
    };
    for g in groups {
        out.push_str("\n  ");
        let hp = match g.title.filter(|s| !s.is_empty()) {
            Some(title) => {
                out.push_str("\n  <h3 id=\"");
                escape_into(g.anchor.unwrap_or_default(), out);
                out.push_str("\" class=\"family\">");
                escape_into(title, out);
                out.push_str("</h3>\n  ");
                if let Some(d) = nonempty(&g.description_html) {
                    out.push_str("<div class=\"prose\">");
                    out.push_str(d);
                    out.push_str("</div>");
                }
                out.push_str("\n  \n  ");
                4
            }
            None => {
                out.push_str("\n  \n  ");
                3
            }
        };
        out.push_str("\n  ");
        for p in &g.priorities {
            write_priority(p, hp, t, &fixed, out);
        }
        out.push_str("\n  ");
    }
    out.push('\n');
}

fn write_priority(p: &PriorityView, hp: u8, t: &Terms, fixed: &Fixed, out: &mut String) {
    out.push_str("\n  <section class=\"priority\" aria-labelledby=\"");
    escape_into(p.anchor, out);
    out.push_str("\">\n    <h");
    push_digit(hp, out);
    out.push_str(" id=\"");
    escape_into(p.anchor, out);
    out.push_str("\" class=\"priority__title\"><span class=\"priority__number\">");
    escape_into(&t.priority, out);
    if let Some(number) = p.number.filter(|n| !n.is_empty()) {
        out.push(' ');
        escape_into(number, out);
    }
    out.push_str("</span> ");
    out.push_str(&p.title_html);
    write_footnote_refs(&p.footnotes, out);
    out.push_str("</h");
    push_digit(hp, out);
    out.push('>');
    // The next lines open with `{%-`, which takes the line break before.
    if p.description_first {
        write_description(p, out);
    }
    out.push_str("\n    ");
    if let Some(outcome) = nonempty(&p.outcome_html) {
        out.push_str("<div class=\"prose\"><strong>");
        escape_into(&t.outcome, out);
        out.push_str(":</strong> ");
        out.push_str(outcome);
        out.push_str("</div>");
    }
    if !p.description_first {
        write_description(p, out);
    }
    out.push_str("\n    ");
    write_leads(p.leads, &t.lead, out);
    out.push_str("\n    ");
    if !p.status_counts.is_empty() {
        write_status_summary(p, t, fixed, out);
    } else if p.milestone_count > 0 {
        out.push_str("\n    <p class=\"muted\">");
        fixed.counted.write(p.milestone_count, out);
        out.push_str("</p>\n    ");
    }
    out.push_str("\n\n    ");
    fixed
        .table
        .write_if_rows(&p.caption, &p.milestones_html, "\n    ", out);
    out.push_str("\n\n    ");
    for o in &p.objectives {
        write_objective(o, hp + 1, t, &fixed.table, out);
    }
    out.push_str("\n  </section>\n  ");
}

fn write_objective(o: &ObjectiveView, h: u8, t: &Terms, table: &TableHead, out: &mut String) {
    out.push_str("\n    <section class=\"objective\" aria-labelledby=\"");
    escape_into(o.anchor, out);
    out.push_str("\">\n      <h");
    push_digit(h, out);
    out.push_str(" id=\"");
    escape_into(o.anchor, out);
    out.push_str("\" class=\"objective__title\">");
    match o.number.filter(|n| !n.is_empty()) {
        Some(number) => {
            out.push_str("<span class=\"objective__number\">");
            escape_into(number, out);
            out.push_str("</span> ");
        }
        None => {
            out.push_str("<span class=\"objective__term\">");
            escape_into(&t.objective, out);
            out.push_str(":</span> ");
        }
    }
    out.push_str(&o.title_html);
    write_footnote_refs(&o.footnotes, out);
    out.push_str("</h");
    push_digit(h, out);
    out.push_str(">\n      ");
    write_wrapped("<p class=\"muted\">", o.year, "</p>", out);
    out.push_str("\n      ");
    write_wrapped(
        "<p><strong class=\"tag\">",
        o.carried_over,
        "</strong></p>",
        out,
    );
    out.push_str("\n      ");
    if let Some(d) = nonempty(&o.description_html) {
        out.push_str("<div class=\"prose\">");
        out.push_str(d);
        out.push_str("</div>");
    }
    out.push_str("\n      ");
    if !o.impact_measures_html.is_empty() {
        out.push_str("\n      <div class=\"impact\">\n        <p class=\"impact__title\"><strong>");
        escape_into(&t.impact_measures, out);
        out.push_str("</strong></p>\n        <ul>");
        for im in &o.impact_measures_html {
            out.push_str("<li>");
            out.push_str(im);
            out.push_str("</li>");
        }
        out.push_str("</ul>\n      </div>\n      ");
    }
    out.push_str("\n      ");
    table.write_if_rows(&o.caption, &o.milestones_html, "\n      ", out);
    out.push_str("\n    </section>\n    ");
}

/// The `priority_description` component, where the priority has one.
fn write_description(p: &PriorityView, out: &mut String) {
    let Some(description) = nonempty(&p.description_html) else {
        return;
    };
    out.push_str("<div class=\"prose priority__description\">");
    if let Some(label) = p.description_label.filter(|l| !l.is_empty()) {
        out.push_str("<p class=\"priority__label\"><strong>");
        escape_into(label, out);
        out.push_str("</strong></p>");
    }
    out.push_str(description);
    out.push_str("</div>");
}

/// One lead as a line, several as a list.
fn write_leads(leads: &[String], term: &str, out: &mut String) {
    match leads {
        [] => {}
        [lead] => {
            out.push_str("<p><strong>");
            escape_into(term, out);
            out.push_str(":</strong> ");
            escape_into(lead, out);
            out.push_str("</p>");
        }
        leads => {
            out.push_str("<div class=\"leads-list\"><p><strong>");
            escape_into(term, out);
            out.push_str(":</strong></p><ul>");
            for lead in leads {
                out.push_str("<li>");
                escape_into(lead, out);
                out.push_str("</li>");
            }
            out.push_str("</ul></div>");
        }
    }
}

fn write_status_summary(p: &PriorityView, t: &Terms, fixed: &Fixed, out: &mut String) {
    out.push_str("\n    <div class=\"status-summary\">\n      <p class=\"status-summary__title\">");
    fixed.counted.write(p.milestone_count, out);
    out.push_str(". ");
    escape_into(&t.status, out);
    out.push_str(":</p>\n      <ul class=\"status-summary__list\">\n      ");
    for c in p.status_counts.iter().filter(|c| c.count > 0) {
        write_count(c, &fixed.no_status, out);
    }
    out.push_str("\n      </ul>\n    </div>\n    ");
}

fn write_count(c: &StatusCount, no_status: &str, out: &mut String) {
    out.push_str("<li>");
    match c.status {
        Some(s) => out.push_str(s.tag),
        None => {
            out.push_str("<span class=\"status\"><span class=\"status__label\">No ");
            out.push_str(no_status);
            out.push_str("</span></span>");
        }
    }
    out.push_str(" <span class=\"status-summary__count\">");
    out.push_str(itoa::Buffer::new().format(c.count));
    out.push_str("</span></li>");
}

/// The `footnote_refs` component.
pub(super) fn write_footnote_refs(refs: &[FootnoteRef], out: &mut String) {
    for f in refs {
        let mut number = itoa::Buffer::new();
        let number = number.format(f.number);
        out.push_str("<sup class=\"footnote-ref\"><a href=\"");
        escape_into(&f.href, out);
        out.push_str("\" aria-label=\"Note ");
        out.push_str(number);
        out.push_str("\">");
        out.push_str(number);
        out.push_str("</a></sup>");
    }
}

/// `{% if x %}<open>{{ x }}<close>{% endif %}`.
fn write_wrapped(open: &str, text: Option<&str>, close: &str, out: &mut String) {
    if let Some(text) = text.filter(|t| !t.is_empty()) {
        out.push_str(open);
        escape_into(text, out);
        out.push_str(close);
    }
}

/// A heading level (2 to 6).
fn push_digit(level: u8, out: &mut String) {
    out.push(char::from(b'0' + level));
}

/// HTML a view may have, as `{% if x %}` sees it.
fn nonempty(html: &Option<String>) -> Option<&str> {
    html.as_deref().filter(|h| !h.is_empty())
}

/// What every priority of a plan writes the same, made once per plan.
struct Fixed {
    table: TableHead,
    counted: Counted,
    /// `t.status | lower`, escaped: "No status".
    no_status: String,
}

/// `milestone_table.html`: its head is the plan's, the same for every
/// table, so it is made once; each table adds its caption and rows.
struct TableHead {
    /// From `<thead>` to `<tbody>`, the indent before the rows included.
    head: String,
}

impl TableHead {
    fn new(t: &Terms, c: Columns) -> TableHead {
        let mut head = String::from("</caption>\n  <thead>\n    <tr>\n      <th scope=\"col\">");
        escape_into(&t.milestone, &mut head);
        head.push_str("</th>\n      ");
        for (shown, term) in [
            (c.leads, &t.lead),
            (c.monitored_by, &t.monitored_by),
            (c.timescale, &t.timescale),
            (c.status, &t.status),
        ] {
            if shown {
                head.push_str("<th scope=\"col\">");
                escape_into(term, &mut head);
                head.push_str("</th>");
            }
            head.push_str("\n      ");
        }
        // The last column's line ends the row rather than opening another.
        head.truncate(head.len() - "      ".len());
        head.push_str("    </tr>\n  </thead>\n  <tbody>\n  ");
        TableHead { head }
    }

    /// `{% if x.milestones_html %}`, its two `set`s and the include, each
    /// on a line of its own after `line` (a line break and the indent).
    fn write_if_rows(&self, caption: &str, rows_html: &str, line: &str, out: &mut String) {
        if rows_html.is_empty() {
            return;
        }
        for _ in 0..3 {
            out.push_str(line);
        }
        self.write(caption, rows_html, out);
        out.push_str(line);
    }

    fn write(&self, caption: &str, rows_html: &str, out: &mut String) {
        out.push_str("\n<table class=\"table milestones\">\n  <caption class=\"visually-hidden\">");
        escape_into(caption, out);
        out.push_str(&self.head);
        out.push_str(rows_html);
        out.push_str("\n  </tbody>\n</table>\n");
    }
}
