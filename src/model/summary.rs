//! The compact part of a checked document that pages spanning documents
//! and boards need (a board's list of documents with their progress, and
//! later pages per lead and trackers): its heading facts, its status key,
//! and every milestone with its priority, leads, timescale and status.
//!
//! A summary is made from every document rendered, and kept in the rebuild
//! record, so a rebuild that reuses a document's pages still has it without
//! loading the document again.

use serde::{Deserialize, Serialize};

use super::DocumentKind;
use super::checked::{self, Milestone};
use crate::timescale::{Date, Dated};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub slug: String,
    pub title: String,
    pub kind: DocumentKind,
    /// The folder of the plan a report reports on (its milestones are the
    /// plan's, shown in the report's progress tables).
    #[serde(default)]
    pub reports_on: Option<String>,
    /// As written.
    pub period: String,
    pub published: Option<Dated>,
    #[serde(default)]
    pub updated: Option<Dated>,
    pub as_at: Option<Date>,
    /// Inline Markdown, as written.
    pub summary: Option<String>,
    /// What the plan calls a milestone, for counts ("12 actions").
    pub milestone_term: String,
    /// Its plural: "Key milestones".
    pub milestones_term: String,
    pub statuses: Vec<StatusSummary>,
    pub priorities: Vec<PrioritySummary>,
    pub milestones: Vec<MilestoneSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSummary {
    pub id: String,
    pub label: String,
    pub meaning: Option<String>,
    pub name: String,
    pub word: Option<String>,
    pub colour: String,
    pub complete: bool,
    /// Its tag as the theme draws it (HTML), filled in when the document
    /// is rendered, for the site-wide pages to show as they are.
    #[serde(default)]
    pub tag: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrioritySummary {
    pub anchor: String,
    pub number: Option<String>,
    pub title: String,
    /// The title as plain words, made once where the document is rendered
    /// (which knows Markdown) for every page that lists it, and kept with
    /// the summary.
    pub plain: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneSummary {
    pub anchor: Option<String>,
    /// Inline Markdown, as written.
    pub text: String,
    /// Index into [`DocumentSummary::priorities`].
    pub priority: usize,
    pub leads: Vec<String>,
    pub monitored_by: Vec<String>,
    /// As written, and in its short machine form (`2013-03`).
    pub timescale: Option<(String, String)>,
    /// The last day the timescale allows (see `Timescale::due_by`).
    pub due: Option<Date>,
    /// Index into [`DocumentSummary::statuses`].
    pub status: Option<usize>,
    /// The text as plain words, made once where the document is rendered
    /// (which knows Markdown) and kept with the summary: a milestone is
    /// listed on several pages and in the open data.
    pub plain: String,
    /// The standards it cites: (framework, standard) indexes into the
    /// board's frameworks (the board file is part of every document's
    /// fingerprint, so a kept summary's indexes still hold).
    #[serde(default)]
    pub standards: Vec<(usize, usize)>,
}

impl DocumentSummary {
    /// The summary of a document; a report on a plan (`reported`, found
    /// among the board's documents) has the plan's milestones, each with
    /// the status the report gives it.
    pub fn of(doc: &checked::Document, reported: Option<&checked::Document>) -> DocumentSummary {
        let progress = doc
            .report
            .as_ref()
            .zip(reported.filter(|p| p.plan.is_some()));
        let plan = match progress {
            Some((_, plan_doc)) => plan_doc.plan.as_ref(),
            None => doc.plan.as_ref(),
        };
        DocumentSummary {
            slug: doc.slug.clone(),
            title: doc.title.clone(),
            kind: doc.kind,
            reports_on: progress.map(|(_, plan_doc)| plan_doc.slug.clone()),
            period: doc.period.text.clone(),
            published: doc.published,
            updated: doc.updated,
            as_at: doc.as_at,
            summary: doc.summary.clone(),
            milestone_term: plan.map_or_else(|| "Milestone".into(), |p| p.terms.milestone.clone()),
            milestones_term: plan
                .map_or_else(|| "Milestones".into(), |p| p.terms.milestones.clone()),
            statuses: doc
                .status_key
                .statuses
                .iter()
                .map(|s| StatusSummary {
                    id: s.id.clone(),
                    label: s.label.clone(),
                    meaning: s.meaning.clone(),
                    name: s.name.clone(),
                    word: s.word.clone(),
                    colour: s.colour.as_str().to_string(),
                    complete: s.complete,
                    tag: String::new(),
                })
                .collect(),
            priorities: plan
                .map(|p| {
                    p.priorities
                        .iter()
                        .map(|p| PrioritySummary {
                            anchor: p.anchor.clone(),
                            number: p.number.clone(),
                            title: p.title.clone(),
                            plain: String::new(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            milestones: match progress {
                Some((report, plan_doc)) => plan_doc
                    .milestones()
                    .map(|(i, m)| {
                        let status = m.id.as_deref().and_then(|id| report.milestones.get(id));
                        MilestoneSummary {
                            status: status.and_then(|p| p.status),
                            ..milestone(i, m)
                        }
                    })
                    .collect(),
                None => doc.milestones().map(|(i, m)| milestone(i, m)).collect(),
            },
        }
    }

    /// How many milestones have each status, in the key's order, and how
    /// many have none.
    /// A milestone's id on this document's page.
    pub fn anchor(&self, m: &MilestoneSummary) -> Option<String> {
        let id = m.anchor.as_deref()?;
        Some(match self.reports_on {
            Some(_) => format!("progress-{id}"),
            None => id.to_string(),
        })
    }

    pub fn status_counts(&self) -> (Vec<usize>, usize) {
        let mut counts = vec![0; self.statuses.len()];
        let mut none = 0;
        for m in &self.milestones {
            match m.status {
                Some(i) => counts[i] += 1,
                None => none += 1,
            }
        }
        (counts, none)
    }
}

fn milestone(priority: usize, m: &Milestone) -> MilestoneSummary {
    MilestoneSummary {
        anchor: m.id.clone(),
        text: m.text.clone(),
        priority,
        leads: m.leads.clone(),
        monitored_by: m.monitored_by.clone(),
        timescale: m.timescale.as_ref().map(|t| (t.text.clone(), t.machine())),
        due: m.timescale.as_ref().and_then(|t| t.due_by()),
        status: m.status,
        plain: String::new(),
        standards: m
            .standards
            .iter()
            .map(|s| (s.framework, s.standard))
            .collect(),
    }
}
