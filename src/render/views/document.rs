//! The view of one document: its narrative sections and its plan, in order,
//! with the contents list and the status counts the template shows.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::Rating;
use super::plan::{FamilyGroup, PlanView, plan_view};
use super::report::{DocumentLink, ReportView, report_view, reports_on};
use crate::data::BoardData;
use crate::diagnostics::Position;
use crate::model::Person;
use crate::model::checked::Terms;
use crate::model::checked::{self, Board, Colour, Section};
use crate::render::charts::{Category, Counting, Figure, FigureView};
use crate::render::markdown::Fragment;
use crate::render::markdown::{self, BlockOptions, inline};
use crate::render::templates::{HtmlOnly, Shared};
use crate::render::{PageLinks, Problems};
use crate::slug::slugify;

#[derive(Serialize)]
pub struct DocumentView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub kind: &'static str,
    pub period: &'a str,
    pub published: Option<DateView>,
    pub updated: Option<DateView>,
    pub as_at: Option<DateView>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub summary_html: Option<String>,
    pub status_key_title: &'a str,
    pub statuses: &'a [Rating<'a>],
    /// Where the status key is shown.
    pub key_place: KeyPlace,
    pub parts: Vec<Part<'a>>,
    pub contents: Vec<ContentsEntry>,
    pub milestone_count: usize,
    /// What the plan calls its milestones: "Key milestones".
    pub milestones_term: String,
    /// Figures for the document's `charts`, as templates see them: each
    /// drawn and made into Tera's values once for all a board's documents.
    pub key_figures: Vec<Shared>,
    /// A plan's milestones on one page, by priority, rating and lead.
    pub glance: Option<crate::render::templates::Written<super::glance::Glance<'a>>>,
    /// The PDF's file name, when PDFs are being made.
    pub pdf: Option<String>,
    /// For a plan: the reports on it, earliest first.
    pub reports: Vec<DocumentLink>,
    /// For a report: the plan it reports on.
    pub reports_on: Option<DocumentLink>,
    /// Each section's words for the search, in the document's order of
    /// sections: from the parse that made its HTML (not for the theme).
    #[serde(skip)]
    pub search_words: Vec<String>,
}

#[derive(Serialize, Clone)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

impl DateView {
    /// A published or updated date, as the document gives it: "April 2017"
    /// for a month, "12 April 2017" for a day.
    pub fn dated(dated: crate::timescale::Dated) -> Self {
        let day = DateView::new(dated.date);
        match dated.month_only {
            false => day,
            true => DateView {
                iso: dated.to_string(),
                text: day
                    .text
                    .split_once(' ')
                    .map_or(day.text.clone(), |(_, m)| m.to_string()),
            },
        }
    }

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
        // "12 April 2017", pieced together: made for every dated milestone
        // of a lead's page, where `format!` was a few tenths of a percent
        // of a build.
        let mut digits = itoa::Buffer::new();
        let month = MONTHS[date.month as usize - 1];
        let mut text = String::with_capacity(month.len() + 8);
        text.push_str(digits.format(date.day));
        text.push(' ');
        text.push_str(month);
        text.push(' ');
        text.push_str(digits.format(date.year));
        DateView {
            iso: date.to_string(),
            text,
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
    Statement(StatementView<'a>),
    Plan(Box<PlanView<'a>>),
    Report(Box<ReportView<'a>>),
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub anchor: &'a str,
    pub title: &'a str,
    /// The section's HTML, with its charts in place.
    pub fragments: Vec<Fragment>,
    pub signed_by: &'a [Person],
    pub endorsed_by: &'a [Person],
}

/// The document's own vision and principles.
#[derive(Serialize)]
pub struct StatementView<'a> {
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub vision_html: Option<String>,
    pub principles_title: &'a str,
    pub principles: Vec<super::PrincipleView>,
}

impl StatementView<'_> {
    /// Its headings, for the contents: "Our vision", then the principles'.
    fn contents(&self) -> Vec<ContentsEntry> {
        let entry = |title: &str, anchor: &str| ContentsEntry {
            title: title.into(),
            anchor: anchor.into(),
            children: vec![],
        };
        let mut entries = Vec::new();
        if self.vision_html.is_some() {
            entries.push(entry("Our vision", "vision"));
        }
        if !self.principles.is_empty() {
            entries.push(entry(self.principles_title, "principles"));
        }
        entries
    }
}

fn statement_view<'a>(s: &'a checked::Statement, ctx: &DocContext<'a>) -> StatementView<'a> {
    let index = super::StandardIndex::new(
        ctx.board,
        format!("{}standards/index.html", ctx.links.board_root),
    );
    StatementView {
        vision_html: s.vision.as_deref().map(inline),
        principles_title: &s.principles_title,
        principles: s
            .principles
            .iter()
            .map(|p| super::principle_view(p, &index))
            .collect(),
    }
}

/// Everything the document view needs from outside the document.
pub struct DocContext<'a> {
    pub board: &'a Board,
    pub data: &'a BoardData,
    pub links: &'a PageLinks,
    pub root: &'a Path,
    pub chart_cache: &'a crate::render::ChartCache,
    pub remote_hosts: &'a [String],
    /// The tags of every document's ratings.
    pub tags: &'a super::StatusTags,
    pub theme: &'a crate::render::templates::Theme,
}

/// How a block of Markdown in this document is rendered.
pub(super) fn block_options<'a>(
    id_prefix: &'a str,
    dir: &'a Path,
    doc: &'a checked::Document,
    ctx: &DocContext<'a>,
) -> BlockOptions<'a> {
    BlockOptions {
        id_prefix,
        base_level: 3,
        allow_raw_html: ctx.board.allow_raw_html,
        sections: &doc.section_links,
        dir,
        root: ctx.root,
        to_root: &ctx.links.root,
        datasets: &ctx.data.series,
        broken_data: &ctx.data.broken,
        data_dir: &ctx.data.dir,
        remote_hosts: ctx.remote_hosts,
    }
}

pub fn document_view<'a>(
    doc: &'a checked::Document,
    statuses: &'a [Rating<'a>],
    ctx: &DocContext<'a>,
    problems: &mut Problems,
) -> DocumentView<'a> {
    let mut parts: Vec<(i64, Part)> = Vec::new();
    let mut search_words = Vec::with_capacity(doc.sections.len());
    for s in &doc.sections {
        let (view, words) = section_view(s, doc, ctx, problems);
        parts.push((s.order, Part::Section(view)));
        search_words.push(words);
    }
    if let Some(s) = &doc.statement {
        parts.push((s.order, Part::Statement(statement_view(s, ctx))));
    }
    let mut milestone_count = 0;
    let mut glance = None;
    let mut milestones_term = "Milestones".to_string();
    if let Some(plan) = &doc.plan {
        milestones_term.clone_from(&plan.terms.milestones);
        let mut view = plan_view(plan, doc, statuses, ctx, problems);
        view.status_chart = status_chart(&view, doc, statuses, problems)
            .map(|chart| super::figure::chart_view(chart, ctx.theme));
        glance = super::glance::glance(
            &view,
            statuses,
            &ctx.board.directory,
            ctx.links.leads.as_deref(),
        )
        .map(|g| super::glance::glance_view(g, ctx.theme));
        milestone_count = view
            .groups
            .iter()
            .flat_map(|g| &g.priorities)
            .map(|p| p.milestone_count)
            .sum();
        parts.push((plan.order, Part::Plan(Box::new(view))));
    }
    let mut reports_on_plan = None;
    if let Some(report) = &doc.report
        && let Some(view) = report_view(doc, report, ctx, problems)
    {
        milestone_count = view.glance.total;
        milestones_term.clone_from(&view.terms.milestones);
        reports_on_plan = Some(view.plan.clone());
        parts.push((report.order, Part::Report(Box::new(view))));
    }
    parts.sort_by_key(|(order, _)| *order);
    let parts: Vec<Part> = parts.into_iter().map(|(_, p)| p).collect();
    let key_place = key_place(&parts, statuses);
    let mut contents = contents(&parts);
    add_key_to_contents(&mut contents, &parts, key_place, &doc.status_key.title);
    DocumentView {
        slug: &doc.slug,
        title: &doc.title,
        kind: doc.kind.label(),
        period: &doc.period.text,
        published: doc.published.map(DateView::dated),
        updated: doc.updated.map(DateView::dated),
        as_at: doc.as_at.map(DateView::new),
        summary_html: doc.summary.as_deref().map(inline),
        status_key_title: &doc.status_key.title,
        statuses,
        key_place,
        contents,
        parts,
        milestone_count,
        milestones_term,
        key_figures: key_figures(doc, ctx, problems),
        glance,
        pdf: None,
        reports: reports_on(doc, ctx.board)
            .into_iter()
            .map(super::report::link)
            .collect(),
        reports_on: reports_on_plan,
        search_words,
    }
}

/// The document's headline series, drawn after the contents list.
fn key_figures(doc: &checked::Document, ctx: &DocContext, problems: &mut Problems) -> Vec<Shared> {
    doc.charts
        .iter()
        .filter_map(|id| ctx.data.series.get(&id.value))
        .filter_map(|ds| {
            let chart_id = format!("key-figure-{}", slugify(&ds.id));
            let key = (crate::files::display_path(&ds.file), chart_id.clone());
            let cached = ctx
                .chart_cache
                .lock()
                .ok()
                .and_then(|c| c.get(&key).cloned());
            if let Some((figure, shared)) = cached {
                problems.data_file(&figure);
                return Some(shared);
            }
            let made = Figure::trend(ds, None, &chart_id).view();
            let mut figure = problems.figure(made, doc.dir.join("document.yaml"))?;
            figure.html = match super::figure::builtin(ctx.theme) {
                true => {
                    let mut html = String::new();
                    super::figure::write_figure(&figure, &mut html);
                    Some(html)
                }
                false => ctx.theme.key_figure_html(&figure),
            };
            // The built-in document_body.html prints `html` alone.
            let shared = match figure.html.as_deref() {
                Some(html) if ctx.theme.is_builtin("document_body.html") => {
                    Shared::new(&HtmlOnly(html))
                }
                _ => Shared::new(&figure),
            };
            if let Ok(mut c) = ctx.chart_cache.lock() {
                c.insert(key, (Arc::new(figure), shared.clone()));
            }
            Some(shared)
        })
        .collect()
}

/// A status chart counts milestones across priorities, in the plan's terms.
pub fn counting(terms: &Terms) -> Counting<'_> {
    Counting {
        item: (&terms.milestone, &terms.milestones),
        row: (&terms.priority, &terms.priorities),
    }
}

/// Milestones by status for each priority, as a stacked bar chart, when the
/// document has a status key.
fn status_chart(
    plan: &PlanView,
    doc: &checked::Document,
    statuses: &[Rating],
    problems: &mut Problems,
) -> Option<FigureView> {
    if statuses.is_empty() || plan.groups.iter().all(|g| g.priorities.is_empty()) {
        return None;
    }
    let kinds: Vec<(String, Colour)> = doc
        .status_key
        .statuses
        .iter()
        .map(|s| (s.tag_text(), s.colour.clone()))
        .collect();
    let rows: Vec<(Category, Vec<usize>)> = plan
        .groups
        .iter()
        .flat_map(|g| &g.priorities)
        .enumerate()
        .map(|(i, p)| {
            let category = Category {
                label: format!(
                    "{} {}",
                    plan.terms.priority,
                    p.number.map_or((i + 1).to_string(), str::to_string)
                ),
                name: priority_heading(plan.terms, p.number, &markdown::plain(p.title)),
            };
            let counts = statuses
                .iter()
                .map(|s| {
                    p.status_counts
                        .iter()
                        .find(|c| c.status.is_some_and(|x| x.id == s.id))
                        .map_or(0, |c| c.count)
                })
                .collect();
            (category, counts)
        })
        .collect();
    let mut totals: Vec<(usize, &str)> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| (rows.iter().map(|r| r.1[i]).sum(), k.0.as_str()))
        .collect();
    let all: usize = totals.iter().map(|t| t.0).sum();
    if all == 0 {
        return None;
    }
    totals.sort_by_key(|t| std::cmp::Reverse(t.0));
    let title = format!(
        "{} of {all} {}: {}",
        totals[0].0,
        super::in_sentence(&plan.terms.milestones),
        totals[0].1
    );
    let mut subtitle = format!(
        "{} by {}, for each {}",
        plan.terms.milestones,
        super::in_sentence(&plan.terms.status),
        super::in_sentence(&plan.terms.priority)
    );
    if let Some(date) = doc.as_at {
        subtitle.push_str(&format!(", as at {}", DateView::new(date).text));
    }
    let made = Figure::status(
        "status-chart",
        (title, subtitle),
        counting(plan.terms),
        &kinds,
        rows,
    )
    .view();
    problems.figure(made, doc.dir.join("plan.yaml"))
}

fn section_view<'a>(
    s: &'a Section,
    doc: &'a checked::Document,
    ctx: &DocContext<'a>,
    problems: &mut Problems,
) -> (SectionView<'a>, String) {
    let dir = s.file.parent().unwrap_or(Path::new(""));
    let mut block = markdown::block(&s.body, &block_options(&s.anchor, dir, doc, ctx));
    problems.markdown(
        &s.file,
        &s.body,
        Position::new(s.body_line, 1),
        std::mem::take(&mut block.problems),
    );
    problems.assets.extend(std::mem::take(&mut block.assets));
    let fragments = block.fragments();
    problems.fragments(&fragments);
    let view = SectionView {
        anchor: &s.anchor,
        title: &s.title,
        fragments,
        signed_by: &s.signed_by,
        endorsed_by: &s.endorsed_by,
    };
    (view, block.words)
}

fn contents(parts: &[Part]) -> Vec<ContentsEntry> {
    parts
        .iter()
        .flat_map(|part| match part {
            Part::Section(s) => vec![ContentsEntry {
                title: s.title.to_string(),
                anchor: s.anchor.to_string(),
                children: vec![],
            }],
            Part::Statement(s) => s.contents(),
            Part::Plan(p) => vec![ContentsEntry {
                title: p.title.to_string(),
                anchor: p.anchor.to_string(),
                children: plan_contents(p),
            }],
            Part::Report(r) => vec![ContentsEntry {
                title: r.title.to_string(),
                anchor: r.anchor.to_string(),
                children: report_contents(r),
            }],
        })
        .collect()
}

/// The plan's priorities, under their family's heading where the plan has
/// families, so that numbering restarting in each family stays clear.
fn plan_contents(p: &PlanView) -> Vec<ContentsEntry> {
    let priorities = |g: &FamilyGroup| -> Vec<ContentsEntry> {
        g.priorities
            .iter()
            .map(|pr| ContentsEntry {
                title: priority_heading(p.terms, pr.number, &markdown::plain(pr.title)),
                anchor: pr.anchor.to_string(),
                children: vec![],
            })
            .collect()
    };
    p.groups
        .iter()
        .flat_map(|g| match (g.title, g.anchor) {
            (Some(title), Some(anchor)) => vec![ContentsEntry {
                title: title.to_string(),
                anchor: anchor.to_string(),
                children: priorities(g),
            }],
            _ => priorities(g),
        })
        .collect()
}

/// Where the status key is shown: beside the document's first status
/// chart (the plan's, or the report's year at a glance), else at the end.
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum KeyPlace {
    None,
    Plan,
    Report,
    End,
}

fn key_place(parts: &[Part], statuses: &[Rating]) -> KeyPlace {
    if statuses.is_empty() {
        return KeyPlace::None;
    }
    let first_chart = parts.iter().find_map(|part| match part {
        Part::Plan(p) if p.status_chart.is_some() => Some(KeyPlace::Plan),
        Part::Report(r) if r.glance.chart.is_some() => Some(KeyPlace::Report),
        _ => None,
    });
    first_chart.unwrap_or(KeyPlace::End)
}

/// The contents entry for the key, in the part that shows it.
fn add_key_to_contents(
    contents: &mut Vec<ContentsEntry>,
    parts: &[Part],
    place: KeyPlace,
    title: &str,
) {
    let entry = ContentsEntry {
        title: title.to_string(),
        anchor: "status-key".into(),
        children: vec![],
    };
    // The part whose chart the key sits beside, found in the contents by
    // its anchor (a statement gives the contents two entries or none).
    let holder = parts
        .iter()
        .find_map(|part| match part {
            Part::Plan(p) if place == KeyPlace::Plan && p.status_chart.is_some() => Some(p.anchor),
            Part::Report(r) if place == KeyPlace::Report && r.glance.chart.is_some() => {
                Some(r.anchor)
            }
            _ => None,
        })
        .and_then(|anchor| contents.iter().position(|c| c.anchor == anchor));
    match (place, holder) {
        (KeyPlace::None, _) => {}
        (KeyPlace::Plan, Some(i)) => contents[i].children.insert(0, entry),
        // After "The year at a glance", whose chart it sits beside.
        (KeyPlace::Report, Some(i)) => {
            let children = &mut contents[i].children;
            children.insert(children.len().min(1), entry);
        }
        _ => contents.push(entry),
    }
}

/// The report's own headings, those it shows.
fn report_contents(r: &ReportView) -> Vec<ContentsEntry> {
    let entry = |title: String, anchor: &str| ContentsEntry {
        title,
        anchor: anchor.to_string(),
        children: vec![],
    };
    let mut out = vec![entry("The year at a glance".into(), "at-a-glance")];
    out.extend(r.priorities.iter().map(|p| {
        entry(
            format!("{}: {}", p.heading, markdown::plain(&p.title)),
            &p.anchor,
        )
    }));
    out.push(entry(
        "Where progress was limited".into(),
        "limited-progress",
    ));
    out.push(entry("Overdue".into(), "overdue"));
    out.push(entry("Carried forward".into(), "carried-forward"));
    if let Some(h) = &r.history {
        out.push(entry(
            format!("Changes since {}", h.previous.title),
            "changes",
        ));
    }
    out
}

/// "Priority 1: Tackle neglect", as the contents, the status chart and
/// the plan on a page name a priority.
pub(super) fn priority_heading(terms: &Terms, number: Option<&str>, title: &str) -> String {
    match number {
        Some(n) => format!("{} {n}: {title}", terms.priority),
        None => title.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::DateView;
    use crate::timescale::{Date, Dated};

    #[test]
    fn dates_read_as_written_in_words() {
        let date = |year, month, day| Date { year, month, day };
        let day = DateView::new(date(2017, 4, 12));
        assert_eq!(
            (day.iso.as_str(), day.text.as_str()),
            ("2017-04-12", "12 April 2017")
        );
        let early = DateView::new(date(987, 12, 1));
        assert_eq!(
            (early.iso.as_str(), early.text.as_str()),
            ("0987-12-01", "1 December 987")
        );
        let month = DateView::dated(Dated {
            date: date(2023, 1, 1),
            month_only: true,
        });
        assert_eq!(
            (month.iso.as_str(), month.text.as_str()),
            ("2023-01", "January 2023")
        );
    }
}
