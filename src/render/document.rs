//! The view of one document: its narrative sections and its plan, in order,
//! with the contents list and the status counts the template shows.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::charts;
use super::markdown::{self, BlockOptions, inline};
use super::views::{StandardIndex, StandardRef, StatusView};
use super::{PageLinks, Problems, slugify};
use crate::diagnostics::Position;
use crate::model::*;

#[derive(Serialize)]
pub struct DocumentView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub kind: &'static str,
    pub period: &'a str,
    pub published: Option<DateView>,
    pub as_at: Option<DateView>,
    pub summary_html: Option<String>,
    pub status_key_title: &'a str,
    pub statuses: &'a [StatusView<'a>],
    pub parts: Vec<Part<'a>>,
    pub contents: Vec<ContentsEntry>,
    pub milestone_count: usize,
    /// Rendered figures for the document's `charts`.
    pub key_figures: Vec<String>,
    /// The PDF's file name, when PDFs are being made.
    pub pdf: Option<String>,
}

#[derive(Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

impl DateView {
    pub fn new(date: crate::timescale::Date) -> Self {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        DateView {
            iso: date.to_string(),
            text: format!(
                "{} {} {}",
                date.day,
                MONTHS[date.month as usize - 1],
                date.year
            ),
        }
    }
}

#[derive(Serialize)]
pub struct ContentsEntry {
    pub title: String,
    pub anchor: String,
    pub children: Vec<ContentsEntry>,
}

/// A narrative section or the plan, in the order the document gives.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Part<'a> {
    Section(SectionView<'a>),
    Plan(PlanView<'a>),
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub anchor: &'a str,
    pub title: &'a str,
    pub html: String,
    pub signed_by: &'a [Person],
    pub endorsed_by: &'a [Person],
}

#[derive(Serialize)]
pub struct PlanView<'a> {
    pub anchor: &'static str,
    pub title: &'a str,
    pub intro_html: Option<String>,
    pub terms: &'a Terms,
    pub key_outcome_area: Option<&'a str>,
    pub matrix: Option<MatrixView<'a>>,
    pub groups: Vec<FamilyGroup<'a>>,
    pub footnotes: Vec<FootnoteView>,
    pub columns: Columns,
    pub any_revised: bool,
    pub any_carried_over: bool,
    /// Milestones by status for each priority (set after the view is built).
    pub status_chart_html: Option<String>,
}

/// Which milestone columns this plan uses, so empty ones are left out.
#[derive(Serialize, Default, Clone, Copy)]
pub struct Columns {
    pub leads: bool,
    pub monitored_by: bool,
    pub timescale: bool,
    pub status: bool,
    pub standards: bool,
    pub notes: bool,
}

#[derive(Serialize)]
pub struct MatrixView<'a> {
    pub title: &'a str,
    pub core_business: &'a [String],
}

#[derive(Serialize)]
pub struct FamilyGroup<'a> {
    pub title: Option<&'a str>,
    pub anchor: Option<String>,
    pub description_html: Option<String>,
    pub priorities: Vec<PriorityView<'a>>,
}

#[derive(Serialize)]
pub struct PriorityView<'a> {
    pub anchor: String,
    pub number: Option<&'a str>,
    pub title: &'a str,
    pub title_html: String,
    /// Caption for the table of milestones directly under the priority.
    pub caption: String,
    pub outcome_html: Option<String>,
    pub description_html: Option<String>,
    pub leads: &'a [String],
    pub footnotes: Vec<FootnoteRef>,
    pub objectives: Vec<ObjectiveView<'a>>,
    pub milestones: Vec<MilestoneView<'a>>,
    pub milestone_count: usize,
    pub status_counts: Vec<StatusCount<'a>>,
}

#[derive(Serialize)]
pub struct ObjectiveView<'a> {
    pub anchor: String,
    pub number: Option<&'a str>,
    pub title: &'a str,
    pub title_html: String,
    /// Caption for the objective's table of milestones.
    pub caption: String,
    pub description_html: Option<String>,
    pub year: Option<&'a str>,
    pub impact_measures_html: Vec<String>,
    pub carried_over: bool,
    pub footnotes: Vec<FootnoteRef>,
    pub milestones: Vec<MilestoneView<'a>>,
}

#[derive(Serialize)]
pub struct MilestoneView<'a> {
    pub anchor: Option<String>,
    pub text_html: String,
    pub leads: &'a [String],
    pub monitored_by: &'a [String],
    pub timescale: Option<&'a str>,
    pub timescale_machine: Option<String>,
    pub status: Option<&'a StatusView<'a>>,
    pub revised: bool,
    pub carried_over: bool,
    pub standards: Vec<StandardRef>,
    pub notes_html: Option<String>,
    pub footnotes: Vec<FootnoteRef>,
}

#[derive(Serialize)]
pub struct StatusCount<'a> {
    pub status: Option<&'a StatusView<'a>>,
    pub count: usize,
}

#[derive(Serialize)]
pub struct FootnoteView {
    pub number: usize,
    pub anchor: String,
    pub text_html: String,
}

#[derive(Serialize, Clone)]
pub struct FootnoteRef {
    pub number: usize,
    pub href: String,
}

/// Everything the document view needs from outside the document.
pub struct DocContext<'a> {
    pub board: &'a Board,
    pub datasets: &'a BTreeMap<String, crate::data::Dataset>,
    pub broken_data: &'a std::collections::BTreeSet<String>,
    pub links: &'a PageLinks,
    pub root: &'a Path,
    pub chart_cache: &'a super::ChartCache,
}

pub fn document_view<'a>(
    doc: &'a LoadedDocument,
    statuses: &'a [StatusView<'a>],
    ctx: &DocContext<'a>,
    problems: &mut Problems,
) -> DocumentView<'a> {
    let d = &doc.document;
    let mut parts: Vec<(i64, Part)> = Vec::new();
    let sections: BTreeMap<String, String> = doc
        .sections
        .iter()
        .map(|s| (file_stem(&s.file), s.slug.clone()))
        .collect();
    for s in &doc.sections {
        parts.push((
            s.meta.order,
            Part::Section(section_view(s, &sections, ctx, problems)),
        ));
    }
    let mut milestone_count = 0;
    if let Some(plan) = &doc.plan {
        let mut view = plan_view(plan, d, statuses, ctx, doc, problems);
        view.status_chart_html = status_chart(&view, d, statuses, problems, &doc.dir);
        milestone_count = view
            .groups
            .iter()
            .flat_map(|g| &g.priorities)
            .map(|p| p.milestone_count)
            .sum();
        parts.push((plan.order.unwrap_or(i64::MAX), Part::Plan(view)));
    }
    parts.sort_by_key(|(order, _)| *order);
    let parts: Vec<Part> = parts.into_iter().map(|(_, p)| p).collect();
    DocumentView {
        slug: &doc.slug,
        title: &d.title,
        kind: d.kind.label(),
        period: &d.period,
        published: d.published_date.map(DateView::new),
        as_at: d.as_at_date.map(DateView::new),
        summary_html: d.summary.as_deref().map(inline),
        status_key_title: d
            .status_key
            .as_ref()
            .and_then(|k| k.title.as_deref())
            .unwrap_or("Status key"),
        statuses,
        contents: contents(&parts),
        parts,
        milestone_count,
        key_figures: key_figures(d, ctx, problems, &doc.dir),
        pdf: None,
    }
}

/// The document's headline series, drawn after the contents list.
fn key_figures(d: &Document, ctx: &DocContext, problems: &mut Problems, dir: &Path) -> Vec<String> {
    d.charts
        .iter()
        .filter_map(|id| ctx.datasets.get(&id.value))
        .filter_map(|ds| {
            let chart_id = format!("key-figure-{}", slugify(&ds.id));
            let key = (crate::diagnostics::display_path(&ds.file), chart_id.clone());
            if let Some(hit) = ctx
                .chart_cache
                .lock()
                .ok()
                .and_then(|c| c.get(&key).cloned())
            {
                return Some(hit);
            }
            charts::figure(ds, None, &chart_id)
                .inspect(|figure| {
                    if let Ok(mut c) = ctx.chart_cache.lock() {
                        c.insert(key.clone(), figure.clone());
                    }
                })
                .map_err(|e| {
                    problems.push(crate::diagnostics::Diagnostic::new(
                        dir.join("document.yaml"),
                        e,
                    ))
                })
                .ok()
        })
        .collect()
}

/// Milestones by status for each priority, as a stacked bar chart, when the
/// document has a status key.
fn status_chart(
    plan: &PlanView,
    d: &Document,
    statuses: &[StatusView],
    problems: &mut Problems,
    dir: &Path,
) -> Option<String> {
    if statuses.is_empty() || plan.groups.iter().all(|g| g.priorities.is_empty()) {
        return None;
    }
    let kinds: Vec<charts::StatusKind> = statuses
        .iter()
        .map(|s| charts::StatusKind {
            label: s.label.to_string(),
            colour: s.colour.clone(),
        })
        .collect();
    let rows: Vec<charts::StatusRow> = plan
        .groups
        .iter()
        .flat_map(|g| &g.priorities)
        .enumerate()
        .map(|(i, p)| charts::StatusRow {
            label: format!(
                "{} {}",
                plan.terms.priority,
                p.number.map_or((i + 1).to_string(), str::to_string)
            ),
            title: priority_heading(plan.terms, p.number, &markdown::plain(p.title)),
            counts: statuses
                .iter()
                .map(|s| {
                    p.status_counts
                        .iter()
                        .find(|c| c.status.is_some_and(|x| x.id == s.id))
                        .map_or(0, |c| c.count)
                })
                .collect(),
        })
        .collect();
    let mut totals: Vec<(usize, &str)> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| (rows.iter().map(|r| r.counts[i]).sum(), k.label.as_str()))
        .collect();
    let all: usize = totals.iter().map(|t| t.0).sum();
    if all == 0 {
        return None;
    }
    totals.sort_by_key(|t| std::cmp::Reverse(t.0));
    let title = format!(
        "{} of {all} {}s are rated {}",
        totals[0].0,
        plan.terms.milestone.to_lowercase(),
        totals[0].1
    );
    let mut subtitle = format!(
        "{}s by {}, for each {}",
        plan.terms.milestone,
        plan.terms.status,
        plan.terms.priority.to_lowercase()
    );
    if let Some(date) = d.as_at_date {
        subtitle.push_str(&format!(", as at {}", DateView::new(date).text));
    }
    charts::status_figure(&title, &subtitle, &kinds, &rows, "status-chart")
        .map_err(|e| {
            problems.push(crate::diagnostics::Diagnostic::new(
                dir.join("plan.yaml"),
                e,
            ))
        })
        .ok()
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn section_view<'a>(
    s: &'a Section,
    sections: &BTreeMap<String, String>,
    ctx: &DocContext,
    problems: &mut Problems,
) -> SectionView<'a> {
    let dir = s.file.parent().unwrap_or(Path::new(""));
    let opts = BlockOptions {
        id_prefix: &s.slug,
        base_level: 3,
        allow_raw_html: ctx.board.allow_raw_html,
        sections,
        dir,
        root: ctx.root,
        to_root: &ctx.links.root,
        datasets: ctx.datasets,
        broken_data: ctx.broken_data,
    };
    let block = markdown::block(&s.body, &opts);
    problems.markdown(
        &s.file,
        &s.body,
        Position::new(s.body_line, 1),
        block.problems,
    );
    problems.assets.extend(block.assets);
    SectionView {
        anchor: &s.slug,
        title: &s.meta.title,
        html: block.html,
        signed_by: &s.meta.signed_by,
        endorsed_by: &s.meta.endorsed_by,
    }
}

fn contents(parts: &[Part]) -> Vec<ContentsEntry> {
    parts
        .iter()
        .map(|part| match part {
            Part::Section(s) => ContentsEntry {
                title: s.title.to_string(),
                anchor: s.anchor.to_string(),
                children: vec![],
            },
            Part::Plan(p) => ContentsEntry {
                title: p.title.to_string(),
                anchor: p.anchor.to_string(),
                children: p
                    .groups
                    .iter()
                    .flat_map(|g| &g.priorities)
                    .map(|pr| ContentsEntry {
                        title: priority_heading(p.terms, pr.number, &markdown::plain(pr.title)),
                        anchor: pr.anchor.clone(),
                        children: vec![],
                    })
                    .collect(),
            },
        })
        .collect()
}

fn priority_heading(terms: &Terms, number: Option<&str>, title: &str) -> String {
    match number {
        Some(n) => format!("{} {n}: {title}", terms.priority),
        None => title.to_string(),
    }
}

fn plan_view<'a>(
    plan: &'a Plan,
    d: &'a Document,
    statuses: &'a [StatusView<'a>],
    ctx: &DocContext<'a>,
    doc: &'a LoadedDocument,
    problems: &mut Problems,
) -> PlanView<'a> {
    let footnote_numbers: BTreeMap<&str, usize> = plan
        .footnotes
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.value.as_str(), i + 1))
        .collect();
    let builder = PlanBuilder {
        terms: &plan.terms,
        statuses,
        index: StandardIndex::new(ctx.board),
        framework: d.standards.as_ref().map(|s| s.value.as_str()),
        standards_page: format!("{}standards/index.html", ctx.links.board_root),
        footnotes: footnote_numbers,
    };
    let sections: BTreeMap<String, String> = doc
        .sections
        .iter()
        .map(|s| (file_stem(&s.file), s.slug.clone()))
        .collect();
    let intro_html = plan.intro.as_ref().map(|intro| {
        let opts = BlockOptions {
            id_prefix: "plan",
            base_level: 3,
            allow_raw_html: ctx.board.allow_raw_html,
            sections: &sections,
            dir: &doc.dir,
            root: ctx.root,
            to_root: &ctx.links.root,
            datasets: ctx.datasets,
            broken_data: ctx.broken_data,
        };
        let block = markdown::block(&intro.value, &opts);
        if let (Some(file), Some(start)) = (&doc.plan_file, crate::validate::pos(intro)) {
            problems.markdown(file, &intro.value, start, block.problems);
        }
        problems.assets.extend(block.assets);
        block.html
    });
    PlanView {
        anchor: "plan",
        title: plan.title.as_deref().unwrap_or(&plan.terms.priorities),
        intro_html,
        terms: &plan.terms,
        key_outcome_area: plan.key_outcome_area.as_deref(),
        matrix: plan.matrix.as_ref().map(|m| MatrixView {
            title: m.title.as_deref().unwrap_or("Priorities at a glance"),
            core_business: &m.core_business,
        }),
        groups: builder.groups(plan),
        footnotes: plan
            .footnotes
            .iter()
            .enumerate()
            .map(|(i, f)| FootnoteView {
                number: i + 1,
                anchor: footnote_anchor(&f.id.value),
                text_html: inline(&f.text),
            })
            .collect(),
        columns: columns(plan),
        any_revised: all_milestones(plan).any(|m| m.revised),
        status_chart_html: None,
        any_carried_over: all_milestones(plan).any(|m| m.carried_over)
            || plan
                .priorities
                .iter()
                .flat_map(|p| &p.objectives)
                .any(|o| o.carried_over),
    }
}

fn footnote_anchor(id: &str) -> String {
    format!("note-{}", slugify(id))
}

fn all_milestones(plan: &Plan) -> impl Iterator<Item = &Milestone> {
    plan.priorities.iter().flat_map(|p| {
        p.milestones
            .iter()
            .chain(p.objectives.iter().flat_map(|o| &o.milestones))
    })
}

fn columns(plan: &Plan) -> Columns {
    let mut c = Columns::default();
    for p in &plan.priorities {
        for o in &p.objectives {
            c.leads |= !o.leads.is_empty();
            c.monitored_by |= !o.monitored_by.is_empty();
        }
    }
    for m in all_milestones(plan) {
        c.leads |= !m.leads.is_empty();
        c.monitored_by |= !m.monitored_by.is_empty();
        c.timescale |= m.timescale.is_some();
        c.status |= m.status.is_some();
        c.standards |= !m.standards.is_empty();
        c.notes |= m.notes.is_some();
    }
    c
}

struct PlanBuilder<'a> {
    terms: &'a Terms,
    statuses: &'a [StatusView<'a>],
    index: StandardIndex<'a>,
    framework: Option<&'a str>,
    standards_page: String,
    footnotes: BTreeMap<&'a str, usize>,
}

impl<'a> PlanBuilder<'a> {
    /// Priorities grouped under their families, in the families' order;
    /// priorities without a family come first, in their own group.
    fn groups(&self, plan: &'a Plan) -> Vec<FamilyGroup<'a>> {
        let mut groups = Vec::new();
        let unfamilied: Vec<PriorityView> = plan
            .priorities
            .iter()
            .enumerate()
            .filter(|(_, p)| p.family.is_none())
            .map(|(i, p)| self.priority(i, p))
            .collect();
        if !unfamilied.is_empty() {
            groups.push(FamilyGroup {
                title: None,
                anchor: None,
                description_html: None,
                priorities: unfamilied,
            });
        }
        for family in &plan.families {
            let priorities = plan
                .priorities
                .iter()
                .enumerate()
                .filter(|(_, p)| p.family.as_ref().map(|f| &f.value) == Some(&family.id.value))
                .map(|(i, p)| self.priority(i, p))
                .collect();
            groups.push(FamilyGroup {
                title: Some(&family.title),
                anchor: Some(format!("family-{}", slugify(&family.id.value))),
                description_html: family.description.as_deref().map(inline),
                priorities,
            });
        }
        groups
    }

    fn priority(&self, index: usize, p: &'a Priority) -> PriorityView<'a> {
        let anchor =
            p.id.as_ref()
                .map(|id| id.value.clone())
                .unwrap_or_else(|| format!("priority-{}", index + 1));
        let objectives: Vec<ObjectiveView> = p
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| self.objective(&anchor, i, o))
            .collect();
        let milestones: Vec<MilestoneView> = p
            .milestones
            .iter()
            .map(|m| self.milestone(m, None))
            .collect();
        let all: Vec<&MilestoneView> = milestones
            .iter()
            .chain(objectives.iter().flat_map(|o| &o.milestones))
            .collect();
        PriorityView {
            number: p.number.as_deref(),
            title: &p.title,
            title_html: inline(&p.title),
            caption: format!("{}s: {}", self.terms.milestone, markdown::plain(&p.title)),
            outcome_html: p.outcome.as_deref().map(inline),
            description_html: p.description.as_deref().map(inline),
            leads: &p.leads.0,
            footnotes: self.footnote_refs(&p.footnotes),
            milestone_count: all.len(),
            status_counts: self.status_counts(&all),
            objectives,
            milestones,
            anchor,
        }
    }

    fn status_counts(&self, milestones: &[&MilestoneView<'a>]) -> Vec<StatusCount<'a>> {
        if self.statuses.is_empty() {
            return Vec::new();
        }
        let mut counts: Vec<StatusCount> = self
            .statuses
            .iter()
            .map(|s| StatusCount {
                status: Some(s),
                count: 0,
            })
            .collect();
        let mut none = 0;
        for m in milestones {
            match m
                .status
                .and_then(|s| self.statuses.iter().position(|x| std::ptr::eq(x, s)))
            {
                Some(i) => counts[i].count += 1,
                None => none += 1,
            }
        }
        if none > 0 {
            counts.push(StatusCount {
                status: None,
                count: none,
            });
        }
        counts
    }

    fn objective(
        &self,
        priority_anchor: &str,
        index: usize,
        o: &'a Objective,
    ) -> ObjectiveView<'a> {
        let anchor =
            o.id.as_ref()
                .map(|id| id.value.clone())
                .unwrap_or_else(|| format!("{priority_anchor}-{}", index + 1));
        ObjectiveView {
            number: o.number.as_deref(),
            title: &o.title,
            title_html: inline(&o.title),
            caption: match &o.number {
                Some(n) => format!(
                    "{}s: {n} {}",
                    self.terms.milestone,
                    markdown::plain(&o.title)
                ),
                None => format!("{}s: {}", self.terms.milestone, markdown::plain(&o.title)),
            },
            description_html: o.description.as_deref().map(inline),
            year: o.year.as_deref(),
            impact_measures_html: o.impact_measures.iter().map(|m| inline(m)).collect(),
            carried_over: o.carried_over,
            footnotes: self.footnote_refs(&o.footnotes),
            milestones: o
                .milestones
                .iter()
                .map(|m| self.milestone(m, Some(o)))
                .collect(),
            anchor,
        }
    }

    fn milestone(&self, m: &'a Milestone, objective: Option<&'a Objective>) -> MilestoneView<'a> {
        let leads = match objective {
            Some(o) if m.leads.is_empty() => &o.leads.0,
            _ => &m.leads.0,
        };
        let monitored_by = match objective {
            Some(o) if m.monitored_by.is_empty() => &o.monitored_by.0,
            _ => &m.monitored_by.0,
        };
        MilestoneView {
            anchor: m.id.as_ref().map(|id| id.value.clone()),
            text_html: inline(&m.text),
            leads,
            monitored_by,
            timescale: m.parsed_timescale.as_ref().map(|t| t.text.as_str()),
            timescale_machine: m.parsed_timescale.as_ref().map(|t| t.machine()),
            status: m.status_index.and_then(|i| self.statuses.get(i)),
            revised: m.revised,
            carried_over: m.carried_over,
            standards: self
                .index
                .refs(self.framework, &m.standards, &self.standards_page),
            notes_html: m.notes.as_deref().map(inline),
            footnotes: self.footnote_refs(&m.footnotes),
        }
    }

    fn footnote_refs(&self, refs: &[Spanned<String>]) -> Vec<FootnoteRef> {
        refs.iter()
            .filter_map(|r| {
                let number = *self.footnotes.get(r.value.as_str())?;
                let href = format!("#{}", footnote_anchor(&r.value));
                Some(FootnoteRef { number, href })
            })
            .collect()
    }
}
