//! The standards page: each framework's standards with the principles and
//! milestones that cite them, across the board's documents, and for each
//! plan a coverage matrix (standards × priorities) that shows at a glance
//! which standards the plan leaves uncovered.
//!
//! Made from the documents' summaries like the other pages spanning
//! documents, so a rebuild that keeps most documents makes the same page.
//! A report's milestones are its plan's, so only plans are counted.

use serde::Serialize;

use super::BoardIndex;
use crate::model::Framework;
use crate::model::checked::Principle;
use crate::model::summary::{DocumentSummary, MilestoneSummary};
use crate::render::Page;
use crate::render::markdown::{self, inline};
use crate::render::pages::BoardPages;
use crate::render::views::standard_anchor;

#[derive(Serialize)]
struct FrameworkCoverage {
    id: String,
    name: String,
    short_name: String,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    description_html: Option<String>,
    standards: Vec<StandardCoverage>,
    plans: Vec<Matrix>,
}

#[derive(Serialize)]
struct StandardCoverage {
    number: String,
    label: String,
    anchor: String,
    #[serde(serialize_with = "crate::render::templates::html")]
    text_html: String,
    /// Principles citing it, in plain words.
    principles: Vec<String>,
    milestones: Vec<Citation>,
}

/// A milestone citing a standard.
#[derive(Serialize)]
struct Citation {
    text: String,
    href: String,
    document: String,
    priority: String,
}

/// One plan's milestones per standard and priority.
#[derive(Serialize)]
struct Matrix {
    title: String,
    period: String,
    href: String,
    priorities: Vec<Column>,
    rows: Vec<MatrixRow>,
    covered: usize,
    /// The standards no milestone of the plan cites.
    uncovered: Vec<Uncovered>,
}

#[derive(Serialize)]
struct Uncovered {
    label: String,
    anchor: String,
}

#[derive(Serialize)]
struct Column {
    /// The plan's number, or its place ("3").
    label: String,
    title: String,
    href: String,
}

#[derive(Serialize)]
struct MatrixRow {
    label: String,
    anchor: String,
    counts: Vec<usize>,
    total: usize,
}

/// The standards page, when the board has a standards framework.
pub fn standards_page(pages: &BoardPages, index: &BoardIndex) -> Option<Page> {
    let board = pages.board;
    board.frameworks.first()?;
    let frameworks: Vec<FrameworkCoverage> = board
        .frameworks
        .iter()
        .enumerate()
        .map(|(f, fw)| coverage(f, fw, &board.principles, index))
        .collect();
    let links = pages.links(1);
    let view = pages.view(&links);
    let mut context = pages.context(&links, &view);
    context.insert("current", "standards");
    context.insert("frameworks", &frameworks);
    Some(Page {
        path: format!("{}standards/index.html", pages.prefix),
        template: "standards.html",
        context,
    })
}

fn coverage(
    f: usize,
    fw: &Framework,
    principles: &[Principle],
    index: &BoardIndex,
) -> FrameworkCoverage {
    let short = fw.short_name.clone().unwrap_or_else(|| fw.name.clone());
    let plans: Vec<&DocumentSummary> = index
        .documents
        .iter()
        .filter(|d| d.reports_on.is_none())
        .collect();
    let standards = fw
        .standards
        .iter()
        .enumerate()
        .map(|(s, standard)| {
            let mut cited = Vec::new();
            citing_principles(principles, (f, s), &mut cited);
            StandardCoverage {
                number: standard.number.value.clone(),
                label: format!("{short} {}", standard.number.value),
                anchor: standard_anchor(fw, &standard.number.value),
                text_html: inline(&standard.text),
                principles: cited,
                milestones: plans
                    .iter()
                    .flat_map(|d| citing(d, (f, s)).map(move |m| citation(d, m)))
                    .collect(),
            }
        })
        .collect();
    let matrices = plans
        .iter()
        .filter(|d| d.milestones.iter().any(|m| cites_framework(m, f)))
        .map(|d| matrix(d, f, fw, &short))
        .collect();
    FrameworkCoverage {
        id: fw.id.value.clone(),
        name: fw.name.clone(),
        short_name: short,
        description_html: fw.description.as_deref().map(inline),
        standards,
        plans: matrices,
    }
}

fn cites_framework(m: &MilestoneSummary, f: usize) -> bool {
    m.standards.iter().any(|&(mf, _)| mf == f)
}

fn citing(
    d: &DocumentSummary,
    standard: (usize, usize),
) -> impl Iterator<Item = &MilestoneSummary> {
    d.milestones
        .iter()
        .filter(move |m| m.standards.contains(&standard))
}

/// The principles (and their items) citing a standard, as plain words.
fn citing_principles(principles: &[Principle], standard: (usize, usize), out: &mut Vec<String>) {
    for p in principles {
        if p.standards
            .iter()
            .any(|r| (r.framework, r.standard) == standard)
        {
            let words: Vec<String> = [&p.lead, &p.text]
                .into_iter()
                .flatten()
                .map(|t| markdown::plain(t))
                .collect();
            out.push(words.join(" "));
        }
        citing_principles(&p.items, standard, out);
    }
}

fn citation(d: &DocumentSummary, m: &MilestoneSummary) -> Citation {
    let priority = d.priorities.get(m.priority);
    // A milestone without an id has no anchor of its own: link its priority.
    let anchor = d
        .anchor(m)
        .or_else(|| priority.map(|p| p.anchor.clone()))
        .map(|a| format!("#{a}"))
        .unwrap_or_default();
    Citation {
        text: m.plain.clone(),
        href: format!("../{}/index.html{anchor}", d.slug),
        document: d.title.clone(),
        priority: priority.map_or_else(String::new, |p| priority_name(p, m.priority)),
    }
}

fn priority_name(p: &crate::model::summary::PrioritySummary, place: usize) -> String {
    let title = &p.plain;
    match &p.number {
        Some(n) => format!("{n}. {title}"),
        None => format!("{}. {title}", place + 1),
    }
}

fn matrix(d: &DocumentSummary, f: usize, fw: &Framework, short: &str) -> Matrix {
    let width = d.priorities.len();
    let rows: Vec<MatrixRow> = fw
        .standards
        .iter()
        .enumerate()
        .map(|(s, standard)| {
            let mut counts = vec![0; width];
            for m in citing(d, (f, s)) {
                if let Some(c) = counts.get_mut(m.priority) {
                    *c += 1;
                }
            }
            MatrixRow {
                label: format!("{short} {}", standard.number.value),
                anchor: standard_anchor(fw, &standard.number.value),
                total: counts.iter().sum(),
                counts,
            }
        })
        .collect();
    let uncovered: Vec<Uncovered> = rows
        .iter()
        .filter(|r| r.total == 0)
        .map(|r| Uncovered {
            label: r.label.clone(),
            anchor: r.anchor.clone(),
        })
        .collect();
    Matrix {
        title: d.title.clone(),
        period: d.period.clone(),
        href: format!("../{}/index.html", d.slug),
        priorities: d
            .priorities
            .iter()
            .enumerate()
            .map(|(i, p)| Column {
                label: p.number.clone().unwrap_or_else(|| (i + 1).to_string()),
                title: p.plain.clone(),
                href: format!("../{}/index.html#{}", d.slug, p.anchor),
            })
            .collect(),
        covered: rows.len() - uncovered.len(),
        rows,
        uncovered,
    }
}
