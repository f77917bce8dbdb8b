//! The view of a report's progress against its plan, made from the plan's
//! milestones and the report's `progress.yaml`: the year at a glance,
//! progress under each priority, where progress was limited, what is
//! overdue, what carries forward, and what changed since earlier reports on
//! the same plan. Nothing here is typed by the author except the ratings and
//! notes; every count comes from them.

use std::path::Path;

use serde::Serialize;

use super::StatusTags;
use super::document::{DateView, DocContext, block_options};
use crate::diagnostics::Position;
use crate::model::checked::Terms;
use crate::model::checked::{self, Board, Colour, Document, Located, Milestone, Report};
use crate::render::Problems;
use crate::render::charts::{Category, Counting, Figure, FigureView};
use crate::render::markdown::{self, Fragment, inline};

/// A status as a page shows it; owned, as it may come from another
/// document's key.
#[derive(Serialize, Clone, PartialEq, Eq)]
pub struct StatusCell {
    pub id: String,
    pub label: String,
    pub name: String,
    pub word: Option<String>,
    pub colour: String,
    pub complete: bool,
    pub limited: bool,
    /// Its tag (HTML), drawn once by the theme (see [`StatusTags`]).
    #[serde(serialize_with = "crate::render::templates::html")]
    pub tag: String,
}

impl StatusCell {
    /// Its tag in running text: "“Complete” (Blue)".
    fn quoted(&self) -> String {
        match &self.word {
            Some(word) => format!("“{}” ({word})", self.name),
            None => format!("“{}”", self.name),
        }
    }

    /// Rating `index` of `doc`'s key, with its tag.
    fn of(doc: &Document, index: Option<usize>, tags: &StatusTags) -> Option<StatusCell> {
        let index = index?;
        let s = &doc.status_key.statuses[index];
        Some(StatusCell {
            id: s.id.clone(),
            label: s.label.clone(),
            name: s.name.clone(),
            word: s.word.clone(),
            colour: s.colour.as_str().to_string(),
            complete: s.complete,
            limited: s.limited,
            tag: tags.of(doc).get(index).cloned().unwrap_or_default(),
        })
    }
}

/// A link to another document of the board, from a document's page.
#[derive(Serialize, Clone)]
pub struct DocumentLink {
    pub title: String,
    pub href: String,
    pub as_at: Option<DateView>,
}

pub fn link(doc: &Document) -> DocumentLink {
    DocumentLink {
        title: doc.title.clone(),
        href: format!("../{}/index.html", doc.slug),
        as_at: doc.as_at.map(DateView::new),
    }
}

/// The reports on a plan, earliest first.
pub fn reports_on<'a>(plan: &Document, board: &'a Board) -> Vec<&'a Document> {
    let mut reports: Vec<&Document> = board
        .documents
        .iter()
        .filter(|d| d.report.as_ref().is_some_and(|r| r.plan == plan.slug))
        .collect();
    reports.sort_by_key(|d| (d.as_at, d.slug.clone()));
    reports
}

/// What one report says of one milestone, for the plan's page.
#[derive(Serialize, Clone)]
pub struct ReportedProgress {
    pub report: String,
    pub href: String,
    pub status: Option<StatusCell>,
}

/// What each report on a plan says of the milestone `id`.
pub fn reported(
    reports: &[&Document],
    id: Option<&str>,
    tags: &StatusTags,
) -> Vec<ReportedProgress> {
    let Some(id) = id else {
        return Vec::new();
    };
    reports
        .iter()
        .filter_map(|doc| {
            let report = doc.report.as_ref()?;
            let status = report.milestones.get(id).and_then(|p| p.status);
            Some(ReportedProgress {
                report: doc.title.clone(),
                href: format!("../{}/index.html#progress-{id}", doc.slug),
                status: StatusCell::of(doc, status, tags),
            })
        })
        .collect()
}

#[derive(Serialize)]
pub struct ReportView<'a> {
    pub anchor: &'static str,
    pub title: &'a str,
    pub plan: DocumentLink,
    pub as_at: DateView,
    /// The year of the plan reported on, when the plan covers several.
    pub year: Option<&'a str>,
    pub terms: &'a Terms,
    pub intro: Vec<Fragment>,
    pub glance: Glance,
    pub priorities: Vec<PriorityProgress>,
    /// Milestones whose status counts as limited progress.
    pub limited: Vec<ProgressRow>,
    /// The statuses that count as limited, for the sentence above the list.
    pub limited_statuses: Vec<StatusCell>,
    /// Due by the as-at date and not complete.
    pub overdue: Vec<ProgressRow>,
    /// Not complete: they carry forward.
    pub carried: Vec<ProgressRow>,
    /// Where the carried milestones go: "2013-14" or "the next plan".
    pub carried_into: String,
    pub history: Option<History>,
}

#[derive(Serialize)]
pub struct Glance {
    pub total: usize,
    /// "Of the 27 key milestones, 14 are rated …".
    pub sentence: String,
    pub counts: Vec<Count>,
    pub chart: Option<FigureView>,
}

#[derive(Serialize)]
pub struct Count {
    /// `None` for "no update".
    pub status: Option<StatusCell>,
    pub count: usize,
}

#[derive(Serialize)]
pub struct PriorityProgress {
    pub anchor: String,
    pub heading: String,
    /// The title as written (inline Markdown).
    pub title: String,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub title_html: String,
    pub plan_href: String,
    /// How effective the work was (the report's own words).
    pub summary: Vec<Fragment>,
    pub counts: Vec<Count>,
    pub milestones: Vec<ProgressRow>,
}

#[derive(Serialize, Clone)]
pub struct ProgressRow {
    pub anchor: Option<String>,
    pub plan_href: Option<String>,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub text_html: String,
    /// The text holds paragraphs or a list, so is shown in a `<div>`.
    pub text_block: bool,
    /// The words alone, for a link to the milestone.
    pub text: String,
    /// "Priority improvement area 1".
    pub priority: String,
    pub leads: Vec<String>,
    pub timescale: Option<String>,
    pub timescale_machine: Option<String>,
    pub status: Option<StatusCell>,
    pub note: Vec<Fragment>,
    pub evidence: Vec<Fragment>,
    /// "3 months overdue", when due by the as-at date and not complete.
    pub overdue: Option<String>,
    /// Due after the as-at date.
    pub not_yet_due: bool,
    /// The status in each earlier report, earliest first.
    pub history: Vec<Option<StatusCell>>,
    /// The status in the latest earlier report, when it differs.
    pub was: Option<Option<StatusCell>>,
}

#[derive(Serialize)]
pub struct History {
    /// The earlier reports, earliest first.
    pub reports: Vec<DocumentLink>,
    pub previous: DocumentLink,
    /// Milestones whose status differs from the previous report's.
    pub changed: Vec<ProgressRow>,
    pub rows: Vec<ProgressRow>,
    pub chart: Option<FigureView>,
}

/// Build the progress part of a report on `plan`.
pub fn report_view<'a>(
    doc: &'a Document,
    report: &'a Report,
    ctx: &DocContext<'a>,
    problems: &mut Problems,
) -> Option<ReportView<'a>> {
    let plan_doc = ctx.board.documents.iter().find(|d| d.slug == report.plan)?;
    let plan = plan_doc.plan.as_ref()?;
    let earlier: Vec<&Document> = reports_on(plan_doc, ctx.board)
        .into_iter()
        .filter(|d| d.as_at < doc.as_at && d.slug != doc.slug)
        .collect();
    let maker = RowMaker {
        doc,
        report,
        plan_doc,
        earlier: &earlier,
        ctx,
    };
    let mut rows_by_priority: Vec<Vec<ProgressRow>> = vec![Vec::new(); plan.priorities.len()];
    for (i, m) in plan.milestones() {
        let row = maker.row(i, m, &plan.terms, problems);
        rows_by_priority[i].push(row);
    }
    let all: Vec<&ProgressRow> = rows_by_priority.iter().flatten().collect();
    let keep = |f: &dyn Fn(&ProgressRow) -> bool| -> Vec<ProgressRow> {
        all.iter().filter(|r| f(r)).map(|r| (*r).clone()).collect()
    };
    let limited = keep(&|r| r.status.as_ref().is_some_and(|s| s.limited));
    let overdue = keep(&|r| r.overdue.is_some());
    let carried = keep(&|r| !r.status.as_ref().is_some_and(|s| s.complete));
    let glance = glance(doc, plan_doc, &rows_by_priority, ctx.tags, problems);
    let history = history(doc, &earlier, &all, &plan.terms, problems);
    let priorities = plan
        .priorities
        .iter()
        .zip(rows_by_priority)
        .map(|(p, rows)| maker.priority(p, &plan.terms, rows, problems))
        .collect();
    Some(ReportView {
        anchor: "progress",
        title: &report.title,
        plan: link(plan_doc),
        as_at: DateView::new(report.as_at),
        year: report.year.as_ref().map(|y| y.text.as_str()),
        terms: &plan.terms,
        intro: report
            .intro
            .as_ref()
            .map(|t| maker.markdown(t, "progress-intro", problems))
            .unwrap_or_default(),
        glance,
        priorities,
        limited,
        limited_statuses: statuses(doc, ctx.tags)
            .into_iter()
            .filter(|s| s.limited)
            .collect(),
        overdue,
        carried,
        carried_into: carried_into(report),
        history,
    })
}

fn statuses(doc: &Document, tags: &StatusTags) -> Vec<StatusCell> {
    (0..doc.status_key.statuses.len())
        .filter_map(|i| StatusCell::of(doc, Some(i), tags))
        .collect()
}

/// The year after the one reported on, or the plan that follows.
fn carried_into(report: &Report) -> String {
    match &report.year {
        Some(year) if year.financial => {
            let start = year.end.year;
            format!("{start}-{:02}", (start + 1) % 100)
        }
        Some(year) => (year.end.year + 1).to_string(),
        None => "the next plan".into(),
    }
}

/// What every row needs.
struct RowMaker<'a, 'c> {
    doc: &'a Document,
    report: &'a Report,
    plan_doc: &'a Document,
    earlier: &'c [&'a Document],
    ctx: &'c DocContext<'a>,
}

impl RowMaker<'_, '_> {
    fn row(
        &self,
        priority: usize,
        m: &Milestone,
        terms: &Terms,
        problems: &mut Problems,
    ) -> ProgressRow {
        let progress =
            m.id.as_deref()
                .and_then(|id| self.report.milestones.get(id));
        let status = StatusCell::of(self.doc, progress.and_then(|p| p.status), self.ctx.tags);
        let complete = status.as_ref().is_some_and(|s| s.complete);
        let due = m.timescale.as_ref().and_then(|t| t.due_by());
        let overdue = due
            .filter(|d| *d < self.report.as_at && !complete)
            .map(|d| crate::timescale::overdue_words(d, self.report.as_at));
        let prefix = m.id.as_deref().map(|id| format!("progress-{id}"));
        let block = |located: &Option<Located>, what: &str, problems: &mut Problems| {
            let id = format!("{}-{what}", prefix.as_deref().unwrap_or("progress"));
            located
                .as_ref()
                .map(|t| self.markdown(t, &id, problems))
                .unwrap_or_default()
        };
        let history: Vec<Option<StatusCell>> = self
            .earlier
            .iter()
            .map(|d| {
                let r = d.report.as_ref();
                let s = r.and_then(|r| m.id.as_deref().and_then(|id| r.milestones.get(id)));
                StatusCell::of(d, s.and_then(|p| p.status), self.ctx.tags)
            })
            .collect();
        let was = history
            .last()
            .cloned()
            .filter(|prev| prev.as_ref().map(|s| &s.id) != status.as_ref().map(|s| &s.id));
        let number = self
            .plan_doc
            .plan
            .as_ref()
            .and_then(|p| p.priorities[priority].number.clone());
        let text_html = inline(&m.text);
        ProgressRow {
            plan_href: m
                .id
                .as_deref()
                .map(|id| format!("../{}/index.html#{id}", self.plan_doc.slug)),
            anchor: prefix.clone(),
            text_block: markdown::has_blocks(&text_html),
            text_html,
            text: markdown::plain(&m.text),
            priority: match number {
                Some(n) => format!("{} {n}", terms.priority),
                None => format!("{} {}", terms.priority, priority + 1),
            },
            leads: m.leads.clone(),
            timescale: m.timescale.as_ref().map(|t| t.text.clone()),
            timescale_machine: m.timescale.as_ref().map(|t| t.machine()),
            not_yet_due: due.is_some_and(|d| d > self.report.as_at),
            note: block(&progress.and_then(|p| p.note.clone()), "note", problems),
            evidence: block(
                &progress.and_then(|p| p.evidence.clone()),
                "evidence",
                problems,
            ),
            status,
            overdue,
            history,
            was,
        }
    }

    fn priority(
        &self,
        p: &checked::Priority,
        terms: &Terms,
        rows: Vec<ProgressRow>,
        problems: &mut Problems,
    ) -> PriorityProgress {
        let anchor = format!("progress-{}", p.anchor);
        PriorityProgress {
            heading: match &p.number {
                Some(n) => format!("{} {n}", terms.priority),
                None => terms.priority.clone(),
            },
            title: p.title.clone(),
            title_html: inline(&p.title),
            plan_href: format!("../{}/index.html#{}", self.plan_doc.slug, p.anchor),
            summary: self
                .report
                .priorities
                .get(&p.anchor)
                .map(|t| self.markdown(t, &format!("{anchor}-summary"), problems))
                .unwrap_or_default(),
            counts: counts(self.doc, rows.iter(), self.ctx.tags),
            milestones: rows,
            anchor,
        }
    }

    /// A progress note or evidence: Markdown, which may hold charts, links
    /// and figures quoted from the data.
    fn markdown(&self, text: &Located, id: &str, problems: &mut Problems) -> Vec<Fragment> {
        let dir = text.file.parent().unwrap_or(Path::new(""));
        let opts = block_options(id, dir, self.doc, self.ctx);
        let mut block = markdown::block(&text.text, &opts);
        let start = text.start.unwrap_or(Position::new(1, 1));
        problems.markdown(
            &text.file,
            &text.text,
            start,
            std::mem::take(&mut block.problems),
        );
        problems.assets.extend(std::mem::take(&mut block.assets));
        let fragments = block.fragments();
        problems.fragments(&fragments);
        fragments
    }
}

/// How many rows have each status of the document's key, then "no update".
fn counts<'r>(
    doc: &Document,
    rows: impl Iterator<Item = &'r ProgressRow>,
    tags: &StatusTags,
) -> Vec<Count> {
    let mut counts: Vec<Count> = statuses(doc, tags)
        .into_iter()
        .map(|s| Count {
            status: Some(s),
            count: 0,
        })
        .collect();
    let mut none = 0;
    for row in rows {
        match row
            .status
            .as_ref()
            .and_then(|s| counts.iter().position(|c| c.status.as_ref() == Some(s)))
        {
            Some(i) => counts[i].count += 1,
            None => none += 1,
        }
    }
    if none > 0 {
        counts.push(Count {
            status: None,
            count: none,
        });
    }
    counts
}

/// "Of the 27 key milestones in the plan, 14 are rated Blue: complete, 8
/// Green and 3 Amber; 2 have no update."
fn glance_sentence(total: usize, terms: &Terms, counts: &[Count]) -> String {
    let plural = |n: usize| {
        if n == 1 {
            super::in_sentence(&terms.milestone)
        } else {
            super::in_sentence(&terms.milestones)
        }
    };
    let rated: Vec<String> = counts
        .iter()
        .filter(|c| c.count > 0)
        .filter_map(|c| c.status.as_ref().map(|s| (c.count, s.quoted())))
        .enumerate()
        .map(|(i, (n, tag))| match (i, n) {
            (0, 1) => format!("1 is rated {tag}"),
            (0, n) => format!("{n} are rated {tag}"),
            (_, n) => format!("{n} {tag}"),
        })
        .collect();
    let none = counts
        .iter()
        .find(|c| c.status.is_none())
        .map_or(0, |c| c.count);
    let mut sentence = format!("Of the {total} {} in the plan", plural(total));
    match rated.len() {
        0 => sentence.push_str(", none has a rating yet"),
        _ => sentence.push_str(&format!(", {}", join_and(&rated))),
    }
    if none > 0 && !rated.is_empty() {
        sentence.push_str(&format!(
            "; {none} {} no update",
            if none == 1 { "has" } else { "have" }
        ));
    }
    sentence.push('.');
    sentence
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn glance(
    doc: &Document,
    plan_doc: &Document,
    rows: &[Vec<ProgressRow>],
    tags: &StatusTags,
    problems: &mut Problems,
) -> Glance {
    let plan = plan_doc.plan.as_ref().expect("a report's plan has a plan");
    let total = rows.iter().map(Vec::len).sum();
    let counts = counts(doc, rows.iter().flatten(), tags);
    let sentence = glance_sentence(total, &plan.terms, &counts);
    let kinds = kinds(doc, &counts);
    let chart_rows: Vec<(Category, Vec<usize>)> = plan
        .priorities
        .iter()
        .zip(rows)
        .enumerate()
        .map(|(i, (p, rows))| {
            let number = p.number.clone().unwrap_or_else(|| (i + 1).to_string());
            let category = Category {
                label: format!("{} {number}", short_term(&plan.terms.priority)),
                name: format!(
                    "{} {number}: {}",
                    plan.terms.priority,
                    markdown::plain(&p.title)
                ),
            };
            let by_status = counts_in_order(doc, rows.iter(), kinds.len());
            (category, by_status)
        })
        .collect();
    let chart = (total > 0 && !doc.status_key.statuses.is_empty()).then(|| {
        let subtitle = format!(
            "{} by year-end {}, for each {}, as at {}",
            plan.terms.milestones,
            super::in_sentence(&plan.terms.status),
            super::in_sentence(&plan.terms.priority),
            DateView::new(doc.as_at.expect("a report has an as-at date")).text
        );
        let title = glance_title(doc, total, &plan.terms, &counts);
        let counting = super::document::counting(&plan.terms);
        let made = Figure::status(
            "progress-chart",
            (title, subtitle),
            counting,
            &kinds,
            chart_rows,
        );
        let made = made.view();
        problems.figure(made, doc.dir.join("progress.yaml"))
    });
    Glance {
        total,
        sentence,
        counts,
        chart: chart.flatten(),
    }
}

/// The chart's finding: how many are complete, or else the commonest rating.
fn glance_title(doc: &Document, total: usize, terms: &Terms, counts: &[Count]) -> String {
    let plural = super::in_sentence(&terms.milestones);
    let complete: usize = counts
        .iter()
        .filter(|c| c.status.as_ref().is_some_and(|s| s.complete))
        .map(|c| c.count)
        .sum();
    if doc.status_key.statuses.iter().any(|s| s.complete) {
        return format!("{complete} of {total} {plural} are complete");
    }
    match counts
        .iter()
        .filter(|c| c.status.is_some())
        .max_by_key(|c| c.count)
    {
        Some(Count {
            status: Some(s),
            count,
        }) => format!("{count} of {total} {plural}: {}", s.name),
        _ => format!("{total} {plural}"),
    }
}

/// The chart's series: the key's statuses, then "No update" when any
/// milestone has none.
fn kinds(doc: &Document, counts: &[Count]) -> Vec<(String, Colour)> {
    let mut kinds: Vec<(String, Colour)> = doc
        .status_key
        .statuses
        .iter()
        .map(|s| (s.tag_text(), s.colour.clone()))
        .collect();
    if counts.iter().any(|c| c.status.is_none()) {
        kinds.push(("No update".into(), Colour::from_rgb(0xb1, 0xb4, 0xb6)));
    }
    kinds
}

/// Counts in the key's order, with "no update" last when `len` has room.
fn counts_in_order<'r>(
    doc: &Document,
    rows: impl Iterator<Item = &'r ProgressRow>,
    len: usize,
) -> Vec<usize> {
    let mut out = vec![0; len];
    for row in rows {
        let i = row
            .status
            .as_ref()
            .and_then(|s| doc.status_key.statuses.iter().position(|k| k.id == s.id))
            .unwrap_or(doc.status_key.statuses.len());
        if let Some(slot) = out.get_mut(i) {
            *slot += 1;
        }
    }
    out
}

/// What changed since the earlier reports on the same plan.
fn history(
    doc: &Document,
    earlier: &[&Document],
    rows: &[&ProgressRow],
    terms: &Terms,
    problems: &mut Problems,
) -> Option<History> {
    let previous = earlier.last()?;
    let changed: Vec<ProgressRow> = rows
        .iter()
        .filter(|r| r.was.is_some())
        .map(|r| (*r).clone())
        .collect();
    let chart = problems.figure(
        history_chart(doc, earlier, rows, terms).view(),
        doc.dir.join("progress.yaml"),
    );
    Some(History {
        reports: earlier.iter().map(|d| link(d)).collect(),
        previous: link(previous),
        changed,
        rows: rows.iter().map(|r| (*r).clone()).collect(),
        chart,
    })
}

/// Milestones by status in each report, earliest first, this one last.
fn history_chart(
    doc: &Document,
    earlier: &[&Document],
    rows: &[&ProgressRow],
    terms: &Terms,
) -> Figure {
    let key = &doc.status_key.statuses;
    let mut kinds: Vec<(String, Colour)> = key
        .iter()
        .map(|s| (s.tag_text(), s.colour.clone()))
        .collect();
    kinds.push((
        "No update or another rating".into(),
        Colour::from_rgb(0xb1, 0xb4, 0xb6),
    ));
    let slot = |cell: &Option<StatusCell>| {
        cell.as_ref()
            .and_then(|s| key.iter().position(|k| k.id == s.id))
            .unwrap_or(key.len())
    };
    let category = |d: &Document| {
        let date = d.as_at.map(|a| DateView::new(a).text).unwrap_or_default();
        Category {
            label: date.clone(),
            name: format!("{} (as at {date})", d.title),
        }
    };
    let mut chart_rows = Vec::new();
    for (i, d) in earlier.iter().enumerate() {
        let mut counts = vec![0; kinds.len()];
        for r in rows {
            counts[slot(&r.history[i])] += 1;
        }
        chart_rows.push((category(d), counts));
    }
    let mut counts = vec![0; kinds.len()];
    for r in rows {
        counts[slot(&r.status)] += 1;
    }
    chart_rows.push((category(doc), counts));
    let complete: Vec<usize> = chart_rows
        .iter()
        .map(|(_, c)| {
            key.iter()
                .enumerate()
                .filter(|(_, s)| s.complete)
                .map(|(i, _)| c[i])
                .sum()
        })
        .collect();
    let first = complete.first().copied().unwrap_or(0);
    let last = complete.last().copied().unwrap_or(0);
    let title = format!(
        "{} complete {}: {first} in the first report, {last} in this one",
        terms.milestones,
        if last > first {
            "rose"
        } else if last < first {
            "fell"
        } else {
            "did not change"
        },
    );
    let subtitle = format!(
        "{} by {}, in each report on the plan",
        terms.milestones,
        super::in_sentence(&terms.status)
    );
    let counting = Counting {
        item: (&terms.milestone, &terms.milestones),
        row: ("Report", "Reports"),
    };
    Figure::status(
        "history-chart",
        (title, subtitle),
        counting,
        &kinds,
        chart_rows,
    )
}

/// A term short enough for a chart's axis: "Priority improvement area"
/// becomes "PIA", as plans abbreviate it; "Priority" stays.
fn short_term(term: &str) -> String {
    let words: Vec<&str> = term.split_whitespace().collect();
    if term.chars().count() <= 10 || words.len() < 2 {
        return term.to_string();
    }
    words
        .iter()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_terms_are_abbreviated_for_axes() {
        assert_eq!(short_term("Priority improvement area"), "PIA");
        assert_eq!(short_term("Priority"), "Priority");
        assert_eq!(short_term("Strategic objective"), "SO");
    }

    #[test]
    fn the_glance_sentence_counts_every_milestone() {
        let terms = crate::validate::plan_terms(&crate::model::Terms {
            milestone: "Key milestone".into(),
            ..Default::default()
        });
        let cell = |name: &str, word: Option<&str>| StatusCell {
            id: name.to_lowercase(),
            label: word.unwrap_or(name).into(),
            name: name.into(),
            word: word.map(str::to_string),
            colour: "#000000".into(),
            complete: false,
            limited: false,
            tag: String::new(),
        };
        let counts = vec![
            Count {
                status: Some(cell("Complete", None)),
                count: 2,
            },
            Count {
                status: Some(cell("At risk", Some("Amber"))),
                count: 1,
            },
            Count {
                status: Some(cell("Off track", Some("Red"))),
                count: 0,
            },
            Count {
                status: None,
                count: 1,
            },
        ];
        assert_eq!(
            glance_sentence(4, &terms, &counts),
            "Of the 4 key milestones in the plan, 2 are rated “Complete” and 1 “At risk” (Amber); 1 has no update."
        );
    }
}
