//! A report on a plan: `reports_on` in its `document.yaml` and the progress
//! in its `progress.yaml`, checked against the plan it names once every
//! document of the board is checked; and the parts of an annual report the
//! statutory guidance expects, which are warned about, not refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{IdSet, unknown_ref};
use crate::diagnostics::{Diagnostic, Diagnostics, Position, did_you_mean, pos};
use crate::model::checked::{self, Located};
use crate::model::{self, DocumentKind, Spanned};
use crate::timescale::{PERIOD_FORMS, Period};

/// What a report says of its plan, waiting for the plan to be checked.
pub(super) struct Pending {
    /// The report's `document.yaml`.
    file: PathBuf,
    reports_on: model::ReportsOn,
    progress: Option<(PathBuf, model::Progress)>,
}

/// The parts of an annual report that Working Together to Safeguard
/// Children expects, by the id a section's `covers` gives, with what each
/// means. The progress boardpress makes from a report's `progress.yaml`
/// gives the first two.
pub const TOPICS: [(&str, &str); 5] = [
    (
        "priorities",
        "what the partners did against their published priorities, and how effective it was",
    ),
    (
        "limited-progress",
        "where there was little or no progress, and why",
    ),
    (
        "impact-and-training",
        "evidence of the impact of the work, including training",
    ),
    (
        "learning-from-reviews",
        "what was learnt from local and national child safeguarding practice reviews",
    ),
    (
        "voice-of-children-and-families",
        "how the views of children and families were sought and used",
    ),
];

/// The topics a report's generated progress part gives.
const GENERATED: [&str; 2] = ["priorities", "limited-progress"];

/// Pair a document's `reports_on` and `progress.yaml`; either without the
/// other is a mistake.
pub(super) fn pending(
    file: &Path,
    reports_on: Option<model::ReportsOn>,
    progress: Option<(PathBuf, model::Progress)>,
    diags: &mut Diagnostics,
) -> Option<Pending> {
    match (reports_on, progress) {
        (Some(reports_on), progress) => Some(Pending {
            file: file.to_path_buf(),
            reports_on,
            progress,
        }),
        (None, Some((progress_file, _))) => {
            diags.push(
                Diagnostic::new(progress_file, "progress.yaml is read only by a report that names the plan it reports on")
                    .help("add `reports_on:` with `plan: <the plan's folder name>` to this document's document.yaml"),
            );
            None
        }
        (None, None) => None,
    }
}

/// A section's `covers`, each one of [`TOPICS`]. The front matter is read
/// from the file's second line, so its positions are one line down.
pub(super) fn topics(
    covers: &[Spanned<String>],
    file: &Path,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let known: Vec<&str> = TOPICS.iter().map(|(id, _)| *id).collect();
    let mut out = Vec::new();
    for topic in covers {
        if known.contains(&topic.value.as_str()) {
            out.push(topic.value.clone());
        } else {
            let mut d = unknown_ref(file, topic, "report topic", &known);
            d.position = d.position.map(|p| Position::new(p.line + 1, p.column));
            diags.push(d);
        }
    }
    out
}

/// Check each report against the plan it names and give it its progress.
///
/// A plan whose own files have mistakes (already reported) gives the
/// reports on it no second error: `root` and the board's `dir` say whether
/// the plan's folder and plan.yaml exist.
pub(super) fn attach(
    docs: &mut [checked::Document],
    reports: Vec<(usize, Pending)>,
    (root, dir): (&Path, &Path),
    diags: &mut Diagnostics,
) {
    let reporting: Vec<usize> = reports.iter().map(|(i, _)| *i).collect();
    for (i, pending) in reports {
        let folder = dir.join("documents").join(&pending.reports_on.plan.value);
        let broken = |doc_missing: bool| {
            let there = root.join(&folder);
            match doc_missing {
                true => there.join("document.yaml").is_file(),
                false => there.join("plan.yaml").is_file(),
            }
        };
        let Some(plan_index) = find_plan(docs, i, &reporting, &pending, &broken, diags) else {
            continue;
        };
        let plan_doc = &docs[plan_index];
        let report_doc = &docs[i];
        let key = if report_doc.status_key.statuses.is_empty() {
            plan_doc.status_key.clone()
        } else {
            report_doc.status_key.clone()
        };
        let check = ReportCheck {
            report: report_doc,
            plan: plan_doc,
            key: &key,
            diags: &mut *diags,
        };
        let Some(report) = check.report(pending) else {
            continue;
        };
        docs[i].status_key = key;
        docs[i].report = Some(report);
    }
}

/// The index of the plan a report names: a document of the board, with a
/// plan, that is not itself a report.
fn find_plan(
    docs: &[checked::Document],
    report: usize,
    reporting: &[usize],
    pending: &Pending,
    broken: &dyn Fn(bool) -> bool,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let named = &pending.reports_on.plan;
    let Some(found) = docs.iter().position(|d| d.slug == named.value) else {
        if broken(true) {
            return None; // the plan's own mistakes are reported
        }
        let plans: Vec<&str> = docs
            .iter()
            .filter(|d| d.plan.is_some())
            .map(|d| d.slug.as_str())
            .collect();
        let help = did_you_mean(&named.value, &plans).unwrap_or_else(|| match plans[..] {
            [] => "no document of this board has a plan.yaml; write the plan first".into(),
            _ => format!("name the plan by its document folder: {}", plans.join(", ")),
        });
        diags.push(
            Diagnostic::new(
                &pending.file,
                format!("there is no document `{}` to report on", named.value),
            )
            .at(pos(named))
            .help(help),
        );
        return None;
    };
    let problem = if found == report {
        Some("a report cannot report on itself")
    } else if reporting.contains(&found) {
        Some("this names another report; a report reports on a plan")
    } else if docs[found].plan.is_none() {
        if broken(false) {
            return None;
        }
        Some("this document has no plan.yaml, so it has no milestones to report on")
    } else {
        None
    };
    if let Some(problem) = problem {
        diags.push(
            Diagnostic::new(&pending.file, format!("`{}`: {problem}", named.value))
                .at(pos(named))
                .help("name the folder of the plan whose milestones this report gives progress on"),
        );
        return None;
    }
    Some(found)
}

/// The walk over one report's progress, against its plan.
struct ReportCheck<'a> {
    report: &'a checked::Document,
    plan: &'a checked::Document,
    key: &'a checked::StatusKey,
    diags: &'a mut Diagnostics,
}

impl ReportCheck<'_> {
    fn report(mut self, pending: Pending) -> Option<checked::Report> {
        let Pending {
            file,
            reports_on,
            progress,
        } = pending;
        let year = reports_on.year.as_ref().and_then(|y| self.year(y, &file));
        let as_at = self.report.as_at;
        if as_at.is_none() {
            self.diags.push(
                Diagnostic::new(
                    &file,
                    "a report on a plan needs `as_at`: the date its statuses describe",
                )
                .at(pos(&reports_on.plan))
                .help("add e.g. `as_at: \"2013-03-31\"` for the end of the year reported on"),
            );
        }
        if self.key.statuses.is_empty() {
            self.diags.push(
                Diagnostic::new(&file, "neither this report nor its plan has a status key")
                    .at(pos(&reports_on.plan))
                    .help("add `status_key:` to this document.yaml, with the ratings progress is given in"),
            );
        }
        let (progress_file, progress) = progress.unwrap_or_else(|| {
            (
                self.report.dir.join("progress.yaml"),
                model::Progress::default(),
            )
        });
        self.warn_unnamed_milestones(&progress_file);
        let priorities = self.priorities(&progress, &progress_file);
        let milestones = self.milestones(&progress, &progress_file);
        Some(checked::Report {
            plan: self.plan.slug.clone(),
            year,
            as_at: as_at?,
            title: progress
                .title
                .clone()
                .unwrap_or_else(|| "Progress against our priorities".into()),
            order: progress.order.unwrap_or(i64::MAX),
            intro: progress.intro.as_ref().map(|t| located(t, &progress_file)),
            file: progress_file,
            priorities,
            milestones,
        })
    }

    /// The year of a plan of several years that the report covers.
    fn year(&mut self, year: &Spanned<String>, file: &Path) -> Option<Period> {
        let period = match Period::parse(&year.value) {
            Ok(p) => p,
            Err(why) => {
                self.diags.push(
                    Diagnostic::new(file, why)
                        .at(pos(year))
                        .help(format!("write the year as {PERIOD_FORMS}")),
                );
                return None;
            }
        };
        let plan = &self.plan.period;
        if period.start < plan.start || period.end > plan.end {
            self.diags.push(
                Diagnostic::new(
                    file,
                    format!(
                        "the year {} is not part of the plan's period, {}",
                        year.value, plan.text
                    ),
                )
                .at(pos(year))
                .help("give a year the plan covers, or report on the right plan"),
            );
            return None;
        }
        Some(period)
    }

    /// A milestone without an id cannot be named in progress.yaml.
    fn warn_unnamed_milestones(&mut self, file: &Path) {
        let unnamed = self
            .plan
            .milestones()
            .filter(|(_, m)| m.id.is_none())
            .count();
        if unnamed == 0 {
            return;
        }
        let plan_file = self
            .plan
            .plan
            .as_ref()
            .map_or_else(|| file.to_path_buf(), |p| p.file.clone());
        self.diags.warn(
            Diagnostic::new(
                plan_file,
                format!(
                    "{unnamed} milestone{} of the plan {} no id, so the report on it shows {} as \"no update\"",
                    if unnamed == 1 { "" } else { "s" },
                    if unnamed == 1 { "has" } else { "have" },
                    if unnamed == 1 { "it" } else { "them" },
                ),
            )
            .help("give every milestone a short `id:` (lower-case letters, digits and hyphens) and name it in progress.yaml"),
        );
    }

    fn priorities(&mut self, progress: &model::Progress, file: &Path) -> BTreeMap<String, Located> {
        let anchors: Vec<&str> = self
            .plan
            .plan
            .iter()
            .flat_map(|p| &p.priorities)
            .map(|p| p.anchor.as_str())
            .collect();
        let mut seen = IdSet::default();
        let mut out = BTreeMap::new();
        for p in &progress.priorities {
            if !anchors.contains(&p.id.value.as_str()) {
                self.diags
                    .push(unknown_ref(file, &p.id, "priority of the plan", &anchors));
            } else if seen.insert(&p.id, file, "priority", self.diags) {
                out.insert(p.id.value.clone(), located(&p.summary, file));
            }
        }
        out
    }

    fn milestones(
        &mut self,
        progress: &model::Progress,
        file: &Path,
    ) -> BTreeMap<String, checked::MilestoneProgress> {
        let ids: Vec<&str> = self
            .plan
            .milestones()
            .filter_map(|(_, m)| m.id.as_deref())
            .collect();
        let mut seen = IdSet::default();
        let mut out = BTreeMap::new();
        for m in &progress.milestones {
            if !ids.contains(&m.id.value.as_str()) {
                self.diags
                    .push(unknown_ref(file, &m.id, "milestone of the plan", &ids));
                continue;
            }
            if !seen.insert(&m.id, file, "milestone", self.diags) {
                continue;
            }
            let status = m.status.as_ref().and_then(|s| self.status(s, file));
            if status.is_some_and(|i| self.key.statuses[i].limited) && m.note.is_none() {
                self.diags.warn(
                    Diagnostic::new(file, format!("`{}` is rated as limited progress but gives no reason", m.id.value))
                        .at(pos(&m.id))
                        .help("add a `note:` saying why progress was limited and what happens next; the report lists it under \"Where progress was limited\""),
                );
            }
            out.insert(
                m.id.value.clone(),
                checked::MilestoneProgress {
                    status,
                    note: m.note.as_ref().map(|t| located(t, file)),
                    evidence: m.evidence.as_ref().map(|t| located(t, file)),
                },
            );
        }
        out
    }

    fn status(&mut self, status: &Spanned<String>, file: &Path) -> Option<usize> {
        let statuses = &self.key.statuses;
        let found = statuses.iter().position(|s| {
            let wanted = status.value.trim();
            s.id.eq_ignore_ascii_case(wanted) || s.label.eq_ignore_ascii_case(wanted)
        });
        if found.is_none() && !statuses.is_empty() {
            let known: Vec<&str> = statuses.iter().map(|s| s.id.as_str()).collect();
            let help = did_you_mean(&status.value, &known)
                .unwrap_or_else(|| format!("the report's statuses are: {}", known.join(", ")));
            self.diags.push(
                Diagnostic::new(
                    file,
                    format!("`{}` is not a status in the report's key", status.value),
                )
                .at(pos(status))
                .help(help),
            );
        }
        found
    }
}

fn located(text: &Spanned<String>, file: &Path) -> Located {
    Located {
        text: text.value.clone(),
        file: file.to_path_buf(),
        start: pos(text),
    }
}

/// Warn when an annual report lacks a part the guidance expects.
/// `reports_on` says whether it names a plan (whose progress part gives
/// the generated topics, even when the plan named had mistakes).
pub(super) fn statutory_topics(doc: &checked::Document, reports_on: bool, diags: &mut Diagnostics) {
    if doc.kind != DocumentKind::AnnualReport {
        return;
    }
    let covered = |topic: &str| {
        (reports_on && GENERATED.contains(&topic))
            || doc
                .sections
                .iter()
                .any(|s| s.covers.iter().any(|c| c == topic))
    };
    for (topic, meaning) in TOPICS {
        if covered(topic) {
            continue;
        }
        let how = if GENERATED.contains(&topic) {
            format!(
                "report on the plan with `reports_on:` and progress.yaml, which gives this, or add `covers: [{topic}]` to the front matter of the section that does"
            )
        } else {
            format!("write a section on it and add `covers: [{topic}]` to its front matter")
        };
        diags.warn(
            Diagnostic::new(
                doc.dir.join("document.yaml"),
                format!("the annual report has no section on {meaning} (`{topic}`)"),
            )
            .help(how),
        );
    }
}
