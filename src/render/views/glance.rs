//! The plan on a page: at the top of a plan's document, how many milestones
//! each priority has at each rating, with totals, and who leads them, so a
//! board member sees the whole plan before its detail.

use serde::Serialize;

use super::document::priority_heading;
use super::plan::{MilestoneView, PlanView, PriorityView};
use super::{Counted, Rating};
use crate::model::checked::{Directory, LeadLookup, Terms};
use crate::render::markdown::plain;
use crate::render::templates::{Theme, Written, escape_into, escaped};

/// The plan on a page as templates are given it (`d.glance`): while
/// `document_body.html` and `components.html` are the built-in ones, only
/// `html`, the `plan_on_a_page` component's rendering of it, written here
/// byte for byte ([`write_glance`]; held to the component by
/// tests/build.rs), which the built-in `document_body.html` prints: drawing
/// it through Tera for every plan was over a hundredth of a build. A theme's
/// own either template is given the whole view, as before.
pub fn glance_view<'a>(view: Glance<'a>, theme: &Theme) -> Written<Glance<'a>> {
    let written = theme.is_builtin("document_body.html") && theme.is_builtin("components.html");
    Written::new(view, written, write_glance)
}

#[derive(Serialize)]
pub struct Glance<'a> {
    pub terms: &'a Terms,
    /// "Milestones by priority and progress BRAG rating".
    pub caption: String,
    /// The unrated column's heading: "No status".
    pub unrated_label: String,
    /// The ratings some milestone has, in the key's order: the columns.
    pub statuses: Vec<&'a Rating<'a>>,
    /// Some milestones have no rating: a "No status" column.
    pub unrated: bool,
    pub rows: Vec<GlanceRow>,
    pub total: GlanceRow,
    /// Each lead with how many milestones they lead, most first.
    pub leads: Vec<LeadCount>,
    /// The board's "Who leads what", where it has one.
    pub leads_page: Option<&'a str>,
}

#[derive(Serialize)]
pub struct GlanceRow {
    /// "Priority 1: Tackle neglect earlier".
    pub label: String,
    /// The priority's place on the page.
    pub anchor: Option<String>,
    pub milestones: usize,
    /// One count per column of [`Glance::statuses`], then the unrated.
    pub counts: Vec<usize>,
}

#[derive(Serialize)]
pub struct LeadCount {
    pub name: String,
    pub count: usize,
}

/// The plan's summary; `None` for a plan without milestones.
pub fn glance<'a>(
    plan: &PlanView<'a>,
    statuses: &'a [Rating<'a>],
    directory: &Directory,
    leads_page: Option<&'a str>,
) -> Option<Glance<'a>> {
    let priorities: Vec<&PriorityView> = plan.groups.iter().flat_map(|g| &g.priorities).collect();
    let all: Vec<&MilestoneView> = priorities.iter().flat_map(|p| milestones(p)).collect();
    if all.is_empty() {
        return None;
    }
    let used: Vec<usize> = (0..statuses.len())
        .filter(|&i| all.iter().any(|m| rated(m, statuses, i)))
        .collect();
    let unrated = !statuses.is_empty() && all.iter().any(|m| m.status.is_none());
    let row = |label: String, anchor: Option<String>, ms: &[&MilestoneView]| {
        let mut counts: Vec<usize> = used
            .iter()
            .map(|&i| ms.iter().filter(|m| rated(m, statuses, i)).count())
            .collect();
        if unrated {
            counts.push(ms.iter().filter(|m| m.status.is_none()).count());
        }
        GlanceRow {
            label,
            anchor,
            milestones: ms.len(),
            counts,
        }
    };
    let rows = priorities
        .iter()
        .map(|p| {
            let label = priority_heading(plan.terms, p.number, &plain(p.title));
            row(label, Some(p.anchor.to_string()), &milestones(p))
        })
        .collect();
    let t = plan.terms;
    let mut caption = format!("{} by {}", t.milestones, super::in_sentence(&t.priority));
    if !used.is_empty() {
        caption.push_str(&format!(" and {}", super::in_sentence(&t.status)));
    }
    Some(Glance {
        terms: plan.terms,
        caption,
        unrated_label: format!("No {}", super::in_sentence(&t.status)),
        statuses: used.iter().map(|&i| &statuses[i]).collect(),
        unrated,
        rows,
        total: row(
            format!("All {}", super::in_sentence(&plan.terms.priorities)),
            None,
            &all,
        ),
        leads: leads(&all, directory),
        leads_page,
    })
}

fn milestones<'v, 'a>(p: &'v PriorityView<'a>) -> Vec<&'v MilestoneView<'a>> {
    p.milestones
        .iter()
        .chain(p.objectives.iter().flat_map(|o| &o.milestones))
        .collect()
}

fn rated(m: &MilestoneView, statuses: &[Rating], i: usize) -> bool {
    m.status.is_some_and(|s| std::ptr::eq(s, &statuses[i]))
}

/// Milestones per lead, a lead written two ways ("QA Sub-Group", "QA
/// sub group") or under an alias counted once, under the name board.yaml
/// gives or the first spelling met.
fn leads(all: &[&MilestoneView], directory: &Directory) -> Vec<LeadCount> {
    let mut counts: Vec<(&str, LeadCount)> = Vec::new();
    // Every name looked up first, so keys are borrowed, not copied per
    // milestone and lead.
    let names = all.iter().flat_map(|m| m.leads.iter().map(String::as_str));
    let lookup = LeadLookup::new(directory).all(names);
    for m in all {
        let mut seen: Vec<&str> = Vec::new();
        for written in m.leads {
            let Some((key, name, _)) = lookup.found(written) else {
                continue;
            };
            if key.is_empty() || seen.contains(&key.as_str()) {
                continue;
            }
            seen.push(key);
            match counts.iter_mut().find(|(k, _)| k == key) {
                Some((_, c)) => c.count += 1,
                None => counts.push((
                    key,
                    LeadCount {
                        name: name.unwrap_or(written.trim()).to_string(),
                        count: 1,
                    },
                )),
            }
        }
    }
    let mut leads: Vec<LeadCount> = counts.into_iter().map(|(_, c)| c).collect();
    leads.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    leads
}

/// The built-in `plan_on_a_page` component's rendering of `g`.
fn write_glance(g: &Glance, out: &mut String) {
    let t = g.terms;
    out.push_str("\n\n<section class=\"glance\" aria-labelledby=\"plan-on-a-page\">\n  <h2 id=\"plan-on-a-page\">Plan on a page</h2>\n  <table class=\"table glance-table\">\n    <caption>");
    escape_into(&g.caption, out);
    out.push_str("</caption>\n    <thead><tr><th scope=\"col\">");
    escape_into(&t.priority, out);
    out.push_str("</th><th scope=\"col\" class=\"numeric\">");
    escape_into(&t.milestones, out);
    out.push_str("</th>");
    for s in &g.statuses {
        out.push_str("<th scope=\"col\" class=\"numeric\">");
        out.push_str(s.tag);
        out.push_str("</th>");
    }
    if g.unrated {
        out.push_str("<th scope=\"col\" class=\"numeric\">");
        escape_into(&g.unrated_label, out);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n    <tbody>\n    ");
    // Each cell's label: its rating's name, or the unrated column's.
    let mut labels: Vec<String> = g.statuses.iter().map(|s| escaped(s.name)).collect();
    labels.push(escaped(&g.unrated_label));
    let milestones = escaped(&t.milestones);
    for r in &g.rows {
        out.push_str("<tr><th scope=\"row\"><a href=\"#");
        escape_into(r.anchor.as_deref().unwrap_or_default(), out);
        out.push_str("\">");
        escape_into(&r.label, out);
        out.push_str("</a></th>");
        write_counts(r, &milestones, &labels, out);
        out.push_str("</tr>\n    ");
    }
    out.push_str("\n    </tbody>\n    ");
    if g.rows.len() > 1 {
        out.push_str("<tfoot><tr><th scope=\"row\">");
        escape_into(&g.total.label, out);
        out.push_str("</th>");
        write_counts(&g.total, &milestones, &labels, out);
        out.push_str("</tr></tfoot>");
    }
    out.push_str("\n  </table>\n  ");
    if !g.leads.is_empty() {
        write_leads(g, out);
    }
    out.push_str("\n</section>\n");
}

/// A row's milestones and its count at each rating, each cell labelled.
fn write_counts(r: &GlanceRow, milestones: &str, labels: &[String], out: &mut String) {
    out.push_str("<td class=\"numeric\" data-label=\"");
    out.push_str(milestones);
    out.push_str("\">");
    out.push_str(itoa::Buffer::new().format(r.milestones));
    out.push_str("</td>");
    for (i, c) in r.counts.iter().enumerate() {
        out.push_str("<td class=\"numeric\" data-label=\"");
        out.push_str(&labels[i.min(labels.len() - 1)]);
        out.push_str("\">");
        out.push_str(itoa::Buffer::new().format(*c));
        out.push_str("</td>");
    }
}

fn write_leads(g: &Glance, out: &mut String) {
    let t = g.terms;
    out.push_str(
        "\n  <h3 class=\"glance__title\">Who leads them</h3>\n  <ul class=\"glance-leads\">\n  ",
    );
    let counted = Counted::new(t);
    for l in &g.leads {
        out.push_str("<li>");
        escape_into(&l.name, out);
        out.push_str(" <span class=\"glance-leads__count\">");
        counted.write(l.count, out);
        out.push_str("</span></li>");
    }
    out.push_str("\n  </ul>\n  ");
    if let Some(page) = g.leads_page.filter(|p| !p.is_empty()) {
        out.push_str("<p><a href=\"");
        escape_into(page, out);
        out.push_str(
            "\">Who leads what</a> lists each lead's milestones across the board's plans.</p>",
        );
    }
    out.push_str("\n  ");
}
