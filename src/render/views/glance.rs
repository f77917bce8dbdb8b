//! The plan on a page: at the top of a plan's document, how many milestones
//! each priority has at each rating, with totals, and who leads them, so a
//! board member sees the whole plan before its detail.

use serde::Serialize;

use super::Rating;
use super::document::priority_heading;
use super::plan::{MilestoneView, PlanView, PriorityView};
use crate::model::checked::{Directory, LeadLookup, Terms};
use crate::render::markdown::plain;

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
