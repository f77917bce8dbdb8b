//! One document: its heading facts, status key, sections and plan.

use std::path::Path;

use super::report::Pending;
use super::{Frameworks, IdSet, check_slug, unknown_ref};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean, pos};
use crate::load::{LoadedDocument, LoadedSection};
use crate::model::checked::{self, Colour, Columns};
use crate::model::{self, Spanned};
use crate::slug::{PAGE_IDS, slugify};
use crate::timescale::{ACCEPTED, DATED_FORMS, Date, Dated, PERIOD_FORMS, Period, Timescale};

/// Check a document; `None` when its period cannot be read (its other
/// mistakes are reported all the same). A report on a plan comes back with
/// what it says of the plan, to be checked against the plan once every
/// document is checked.
pub(super) fn check(
    doc: LoadedDocument,
    frameworks: &Frameworks,
    diags: &mut Diagnostics,
) -> Option<(checked::Document, Option<Pending>)> {
    let file = doc.dir.join("document.yaml");
    let d = doc.document;
    let pending = super::report::pending(&file, d.reports_on, doc.progress, diags);
    let period = match Period::parse(&d.period.value) {
        Ok(period) => Some(period),
        Err(why) => {
            diags.push(
                Diagnostic::new(&file, why)
                    .at(pos(&d.period))
                    .help(format!("write the period as {PERIOD_FORMS}")),
            );
            None
        }
    };
    let published = d.published.as_ref().and_then(|s| dated(s, &file, diags));
    let updated = d.updated.as_ref().and_then(|s| dated(s, &file, diags));
    if let (Some(p), Some(u), Some(at)) = (published, updated, d.updated.as_ref())
        && u.is_before(&p)
    {
        diags.push(
            Diagnostic::new(&file, format!("`updated: {}` is before `published`", at.value))
                .at(pos(at))
                .help("`updated` is when the published document was last revised: give a date after its publication"),
        );
    }
    let as_at = d.as_at.as_ref().and_then(|s| iso_date(s, &file, diags));
    let status_key = status_key(d.status_key.as_ref(), &file, diags);
    let framework = frameworks.pick(d.standards.as_ref(), &file, diags);
    let statement = statement(
        (d.vision, d.principles_title, &d.principles, d.vision_order),
        framework,
        frameworks,
        &file,
        diags,
    );
    if pending.is_some() && doc.plan.is_some() {
        diags.push(
            Diagnostic::new(doc.dir.join("plan.yaml"), "a report on a plan cannot have a plan of its own")
                .help("put the next plan in a document folder of its own, and keep this folder for the report"),
        );
    }
    let mut anchors = page_anchors(doc.plan.as_ref().map(|(_, p)| p));
    let sections: Vec<checked::Section> = doc
        .sections
        .into_iter()
        .map(|s| section(s, &mut anchors, diags))
        .collect();
    let section_links = sections
        .iter()
        .map(|s| (file_stem(&s.file), s.anchor.clone()))
        .collect();
    let plan = doc.plan.map(|(plan_file, plan)| {
        PlanCheck {
            file: &plan_file,
            statuses: &status_key.statuses,
            framework,
            frameworks,
            ids: anchors,
            diags,
        }
        .plan(plan)
    });
    let checked = checked::Document {
        slug: doc.slug,
        dir: doc.dir,
        title: d.title,
        kind: d.kind,
        period: period?,
        published,
        updated,
        as_at,
        summary: d.summary,
        statement,
        status_key,
        charts: d.charts,
        sections,
        plan,
        section_links,
        report: None,
        fingerprint: doc.fingerprint,
    };
    Some((checked, pending))
}

/// The document's own vision and principles, when it gives either.
fn statement(
    (vision, title, principles, order): (
        Option<String>,
        Option<String>,
        &[model::Principle],
        Option<i64>,
    ),
    framework: Option<usize>,
    frameworks: &Frameworks,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<checked::Statement> {
    if vision.is_none() && principles.is_empty() {
        return None;
    }
    Some(checked::Statement {
        vision,
        principles_title: title.unwrap_or_else(|| "Principles".into()),
        principles: principles
            .iter()
            .map(|p| super::principle(p, framework, frameworks, file, diags))
            .collect(),
        order: order.unwrap_or(i64::MIN),
    })
}

/// The ids the page uses itself, and `priority-N` for priorities without
/// an id, which sections and plan items may not take.
fn page_anchors(plan: Option<&model::Plan>) -> IdSet {
    let mut anchors = IdSet::default();
    for reserved in PAGE_IDS {
        anchors.reserve(reserved);
    }
    for (i, p) in plan.iter().flat_map(|p| p.priorities.iter().enumerate()) {
        if p.id.is_none() {
            anchors.reserve(format!("priority-{}", i + 1));
        }
    }
    anchors
}

fn section(s: LoadedSection, anchors: &mut IdSet, diags: &mut Diagnostics) -> checked::Section {
    anchors.insert_plain(&s.slug, &s.file, diags);
    let covers = super::report::topics(&s.meta.covers, &s.file, diags);
    checked::Section {
        anchor: s.slug,
        file: s.file,
        title: s.meta.title,
        order: s.meta.order,
        signed_by: s.meta.signed_by,
        endorsed_by: s.meta.endorsed_by,
        covers,
        body: s.body,
        body_line: s.body_line,
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn dated(s: &Spanned<String>, file: &Path, diags: &mut Diagnostics) -> Option<Dated> {
    let date = Dated::parse(&s.value);
    if date.is_none() {
        diags.push(
            Diagnostic::new(file, format!("`{}` is not a date or a month", s.value))
                .at(pos(s))
                .help(format!("write {DATED_FORMS}")),
        );
    }
    date
}

fn iso_date(s: &Spanned<String>, file: &Path, diags: &mut Diagnostics) -> Option<Date> {
    let date = Date::parse_iso(&s.value);
    if date.is_none() {
        diags.push(
            Diagnostic::new(file, format!("`{}` is not a date", s.value))
                .at(pos(s))
                .help("write dates as year-month-day, e.g. 2012-06-30"),
        );
    }
    date
}

fn status_key(
    key: Option<&model::StatusKey>,
    file: &Path,
    diags: &mut Diagnostics,
) -> checked::StatusKey {
    let Some(key) = key else {
        return checked::StatusKey {
            title: "Status key".into(),
            statuses: Vec::new(),
        };
    };
    let mut seen = IdSet::default();
    let mut statuses = Vec::new();
    for status in &key.statuses {
        seen.insert(&status.id, file, "status", diags);
        let name = status_name(status, file, diags);
        statuses.push(checked::Status {
            id: status.id.value.clone(),
            label: status.label.clone(),
            meaning: status.meaning.clone(),
            word: status_word(&status.label, &name),
            name,
            colour: status_colour(status, file, diags),
            complete: status.complete,
            limited: status.limited,
        });
        if status.complete && status.limited {
            diags.push(
                Diagnostic::new(file, format!("the status `{}` is both complete and limited progress", status.id.value))
                    .at(pos(&status.id))
                    .help("a finished milestone is not limited progress: keep `complete: true` or `limited: true`, not both"),
            );
        }
    }
    checked::StatusKey {
        title: key.title.clone().unwrap_or_else(|| "Status key".into()),
        statuses,
    }
}

/// The plan's terms with every plural filled in.
pub fn plan_terms(t: &model::Terms) -> checked::Terms {
    let plural = |given: &Option<String>, singular: &str| {
        given.clone().unwrap_or_else(|| plural_of(singular))
    };
    checked::Terms {
        priorities: plural(&t.priorities, &t.priority),
        objectives: plural(&t.objectives, &t.objective),
        milestones: plural(&t.milestones, &t.milestone),
        priority: t.priority.clone(),
        objective: t.objective.clone(),
        milestone: t.milestone.clone(),
        lead: t.lead.clone(),
        monitored_by: t.monitored_by.clone(),
        timescale: t.timescale.clone(),
        status: t.status.clone(),
        impact_measures: t.impact_measures.clone(),
        standards: t.standards.clone(),
        outcome: t.outcome.clone(),
        revised: t.revised.clone(),
        carried_over: t.carried_over.clone(),
    }
}

/// English's regular plural of a term's last word: "Priority area" gives
/// "Priority areas", "Priority" "Priorities", "Focus" "Focuses". Irregular
/// ones are given in the plan.
fn plural_of(term: &str) -> String {
    let lower = term.to_lowercase();
    let consonant_y =
        lower.ends_with('y') && !lower[..lower.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &term[..term.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{term}es")
    } else {
        format!("{term}s")
    }
}

/// Tags longer than this are worth a shorter `tag`: they are repeated on
/// every milestone.
const LONG_TAG: usize = 40;

/// The words on a status's tag: its `tag`, else its meaning, else its label.
fn status_name(s: &model::Status, file: &Path, diags: &mut Diagnostics) -> String {
    let name = s
        .tag
        .as_deref()
        .or(s.meaning.as_deref())
        .unwrap_or(&s.label)
        .trim();
    if s.tag.is_none() && name.chars().count() > LONG_TAG {
        diags.warn(
            Diagnostic::new(
                file,
                format!(
                    "the status `{}` has no `tag`, so every milestone rated `{}` shows its whole meaning, \"{name}\"",
                    s.id.value, s.label
                ),
            )
            .at(pos(&s.id))
            .help("add `tag:` with the few words a reader needs on each milestone, e.g. `tag: At risk`"),
        );
    }
    name.to_string()
}

/// The label, when it adds to the name: "Blue" beside "Not started", but
/// nothing beside a name that is the label or already says it.
fn status_word(label: &str, name: &str) -> Option<String> {
    let label = label.trim();
    let says_it = name.to_lowercase().contains(&label.to_lowercase());
    (!says_it).then(|| label.to_string())
}

/// The status's own colour, or one named by its id or label, or grey.
fn status_colour(s: &model::Status, file: &Path, diags: &mut Diagnostics) -> Colour {
    if let Some(colour) = &s.colour {
        match Colour::parse(&colour.value) {
            Some(c) => return c,
            None => diags.push(
                Diagnostic::new(file, format!("`{}` is not a colour", colour.value))
                    .at(pos(colour))
                    .help("write colours as # and six hex digits, e.g. #00703c"),
            ),
        }
    }
    let text = format!("{} {}", s.id.value, s.label).to_lowercase();
    // Whole words only: "Deferred" is not red.
    let words: Vec<&str> = text.split(|c: char| !c.is_ascii_alphabetic()).collect();
    const NAMED: [(&str, &str); 7] = [
        ("red", "#d4351c"),
        ("amber", "#f47738"),
        ("green", "#00703c"),
        ("blue", "#1d70b8"),
        ("purple", "#4c2c92"),
        ("black", "#0b0c0c"),
        ("yellow", "#ffdd00"),
    ];
    let hex = NAMED
        .iter()
        .find(|(word, _)| words.contains(word))
        .map_or("#505a5f", |(_, hex)| hex);
    Colour::parse(hex).expect("the named colours are valid")
}

/// The walk over one plan, turning each item into its checked form.
struct PlanCheck<'a> {
    file: &'a Path,
    statuses: &'a [checked::Status],
    framework: Option<usize>,
    frameworks: &'a Frameworks,
    /// Anchors on the page so far.
    ids: IdSet,
    diags: &'a mut Diagnostics,
}

impl PlanCheck<'_> {
    fn plan(mut self, plan: model::Plan) -> checked::Plan {
        let columns = columns(&plan);
        let any_revised = raw_milestones(&plan).any(|m| m.revised);
        // The key explains the plain tag; an item with its own words
        // explains itself.
        let any_carried_over = raw_milestones(&plan).any(|m| m.carried_over.is_yes())
            || plan
                .priorities
                .iter()
                .flat_map(|p| &p.objectives)
                .any(|o| o.carried_over.is_yes());
        let mut families = IdSet::default();
        for f in &plan.families {
            families.insert(&f.id, self.file, "family", self.diags);
        }
        let mut notes = IdSet::default();
        for f in &plan.footnotes {
            notes.insert(&f.id, self.file, "footnote", self.diags);
        }
        if plan.priorities.is_empty() {
            self.diags.push(
                Diagnostic::new(self.file, "the plan has no priorities")
                    .help("add at least one entry under `priorities:`, or delete plan.yaml"),
            );
        }
        let family_ids: Vec<&str> = plan.families.iter().map(|f| f.id.value.as_str()).collect();
        let note_ids: Vec<&str> = plan.footnotes.iter().map(|f| f.id.value.as_str()).collect();
        let priorities: Vec<checked::Priority> = plan
            .priorities
            .iter()
            .enumerate()
            .map(|(i, p)| self.priority(i, p, &family_ids, &note_ids))
            .collect();
        self.unmarked_footnotes(&plan, &priorities);
        let terms = plan_terms(&plan.terms);
        checked::Plan {
            file: self.file.to_path_buf(),
            title: plan
                .title
                .clone()
                .unwrap_or_else(|| terms.priorities.clone()),
            order: plan.order.unwrap_or(i64::MAX),
            intro: plan.intro.as_ref().map(|intro| checked::Located {
                text: intro.value.clone(),
                file: self.file.to_path_buf(),
                start: pos(intro),
            }),
            key_outcome_area: plan.key_outcome_area.clone(),
            families: plan
                .families
                .iter()
                .map(|f| checked::Family {
                    anchor: format!("family-{}", slugify(&f.id.value)),
                    title: f.title.clone(),
                    description: f.description.clone(),
                })
                .collect(),
            priorities,
            matrix: plan.matrix.as_ref().map(|m| checked::Matrix {
                title: m
                    .title
                    .clone()
                    .unwrap_or_else(|| "Priorities at a glance".into()),
                core_business: m.core_business.clone(),
            }),
            footnotes: plan
                .footnotes
                .iter()
                .enumerate()
                .map(|(i, f)| checked::Footnote {
                    anchor: format!("note-{}", slugify(&f.id.value)),
                    number: i + 1,
                    text: f.text.clone(),
                })
                .collect(),
            columns,
            any_revised,
            any_carried_over,
            terms,
        }
    }

    fn priority(
        &mut self,
        index: usize,
        p: &model::Priority,
        families: &[&str],
        notes: &[&str],
    ) -> checked::Priority {
        self.id(p.id.as_ref(), "priority");
        let family = p.family.as_ref().and_then(|family| {
            let found = families.iter().position(|f| *f == family.value);
            if found.is_none() {
                let d = unknown_ref(self.file, family, "family", families);
                self.diags.push(d);
            }
            found
        });
        if p.objectives.is_empty()
            && p.milestones.is_empty()
            && p.outcome.is_none()
            && p.description.is_none()
        {
            self.diags.push(
                Diagnostic::new(self.file, format!("the priority \"{}\" is empty", p.title))
                    .at(p.id.as_ref().and_then(pos))
                    .help("give it `objectives`, `milestones`, an `outcome` or a `description`"),
            );
        }
        let anchor =
            p.id.as_ref()
                .map(|id| id.value.clone())
                .unwrap_or_else(|| format!("priority-{}", index + 1));
        let objectives = p
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| self.objective(&anchor, i, o, notes))
            .collect();
        checked::Priority {
            number: p.number.clone(),
            title: p.title.clone(),
            family,
            outcome: p.outcome.clone(),
            description: p.description.clone(),
            description_label: p.description_label.clone(),
            description_first: p.description_first,
            leads: p.leads.0.clone(),
            footnotes: self.footnote_refs(&p.footnotes, notes),
            objectives,
            milestones: p
                .milestones
                .iter()
                .map(|m| self.milestone(m, None, notes))
                .collect(),
            anchor,
        }
    }

    fn objective(
        &mut self,
        priority_anchor: &str,
        index: usize,
        o: &model::Objective,
        notes: &[&str],
    ) -> checked::Objective {
        self.id(o.id.as_ref(), "objective");
        checked::Objective {
            anchor: o
                .id
                .as_ref()
                .map(|id| id.value.clone())
                .unwrap_or_else(|| format!("{priority_anchor}-{}", index + 1)),
            number: o.number.clone(),
            title: o.title.clone(),
            description: o.description.clone(),
            year: o.year.clone(),
            impact_measures: o.impact_measures.clone(),
            carried_over: o.carried_over.tag(),
            footnotes: self.footnote_refs(&o.footnotes, notes),
            milestones: o
                .milestones
                .iter()
                .map(|m| self.milestone(m, Some(o), notes))
                .collect(),
        }
    }

    fn milestone(
        &mut self,
        m: &model::Milestone,
        objective: Option<&model::Objective>,
        notes: &[&str],
    ) -> checked::Milestone {
        self.id(m.id.as_ref(), "milestone");
        // A milestone that names no lead or monitor has its objective's.
        let inherit = |own: &model::Names, theirs: Option<&model::Names>| match theirs {
            Some(t) if own.is_empty() => t.0.clone(),
            _ => own.0.clone(),
        };
        checked::Milestone {
            id: m.id.as_ref().map(|id| id.value.clone()),
            number: m
                .number
                .as_ref()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
            text: m.text.clone(),
            leads: inherit(&m.leads, objective.map(|o| &o.leads)),
            monitored_by: inherit(&m.monitored_by, objective.map(|o| &o.monitored_by)),
            timescale: m.timescale.as_ref().and_then(|ts| self.timescale(ts)),
            status: m.status.as_ref().and_then(|s| self.status(s)),
            revised: m.revised,
            carried_over: m.carried_over.tag(),
            standards: self.frameworks.refs(
                &m.standards,
                self.framework,
                self.file,
                "standards",
                self.diags,
            ),
            notes: m.notes.clone(),
            footnotes: self.footnote_refs(&m.footnotes, notes),
        }
    }

    fn timescale(&mut self, ts: &Spanned<String>) -> Option<Timescale> {
        Timescale::parse(&ts.value)
            .map_err(|why| {
                self.diags.push(
                    Diagnostic::new(self.file, why)
                        .at(pos(ts))
                        .help(format!("write the timescale as {ACCEPTED}")),
                )
            })
            .ok()
    }

    /// The status's place in the key, matched by id or label in any case.
    fn status(&mut self, status: &Spanned<String>) -> Option<usize> {
        let written = status.value.trim();
        let found = self
            .statuses
            .iter()
            .position(|s| same_in_any_case(&s.id, written) || same_in_any_case(&s.label, written));
        if found.is_none() {
            let wanted = written.to_lowercase();
            let message = if self.statuses.is_empty() {
                format!(
                    "the status `{}` cannot be used: this document has no status key",
                    status.value
                )
            } else {
                format!("`{}` is not a status in this document's key", status.value)
            };
            let ids: Vec<String> = self.statuses.iter().map(|s| s.id.to_lowercase()).collect();
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let list = ids.join(", ");
            let help = match did_you_mean(&wanted, &ids) {
                _ if ids.is_empty() => {
                    "add `status_key:` with its statuses to document.yaml, or remove the status"
                        .to_string()
                }
                Some(hint) => format!("{hint} The allowed values are: {list}"),
                None => format!("the allowed values are: {list}"),
            };
            self.diags.push(
                Diagnostic::new(self.file, message)
                    .at(pos(status))
                    .help(help),
            );
        }
        found
    }

    fn id(&mut self, id: Option<&Spanned<String>>, what: &str) {
        if let Some(id) = id {
            self.ids.insert(id, self.file, what, self.diags);
            check_slug(id, self.file, self.diags);
        }
    }

    /// A footnote nothing marks is never seen in context: most likely a
    /// forgotten `footnotes: [id]` on the item it belongs to.
    fn unmarked_footnotes(&mut self, plan: &model::Plan, priorities: &[checked::Priority]) {
        let mut marked = std::collections::BTreeSet::<usize>::new();
        for p in priorities {
            marked.extend(&p.footnotes);
            for o in &p.objectives {
                marked.extend(&o.footnotes);
            }
            for m in p.all_milestones() {
                marked.extend(&m.footnotes);
            }
        }
        for (i, f) in plan.footnotes.iter().enumerate() {
            if !marked.contains(&i) {
                self.diags.warn(
                    Diagnostic::new(self.file, format!("footnote `{}` is never marked", f.id.value))
                        .at(pos(&f.id))
                        .help(format!(
                            "add `footnotes: [{}]` to the priority, objective or milestone it belongs to, or delete it",
                            f.id.value
                        )),
                );
            }
        }
    }

    fn footnote_refs(&mut self, refs: &[Spanned<String>], notes: &[&str]) -> Vec<usize> {
        let mut out = Vec::new();
        for r in refs {
            match notes.iter().position(|n| *n == r.value) {
                Some(i) => out.push(i),
                None => {
                    let d = unknown_ref(self.file, r, "footnote", notes);
                    self.diags.push(d);
                }
            }
        }
        out
    }
}

fn raw_milestones(plan: &model::Plan) -> impl Iterator<Item = &model::Milestone> {
    plan.priorities.iter().flat_map(|p| {
        p.milestones
            .iter()
            .chain(p.objectives.iter().flat_map(|o| &o.milestones))
    })
}

fn columns(plan: &model::Plan) -> Columns {
    let mut c = Columns::default();
    for o in plan.priorities.iter().flat_map(|p| &p.objectives) {
        c.leads |= !o.leads.is_empty();
        c.monitored_by |= !o.monitored_by.is_empty();
    }
    for m in raw_milestones(plan) {
        c.leads |= !m.leads.is_empty();
        c.monitored_by |= !m.monitored_by.is_empty();
        c.timescale |= m.timescale.is_some();
        c.status |= m.status.is_some();
        c.standards |= !m.standards.is_empty();
        c.notes |= m.notes.is_some();
    }
    c
}

/// Whether `a` and `b` are the same words in any case, as their
/// `to_lowercase` forms compare; without making them when both are ASCII,
/// as nearly every status is: one is looked up for every milestone.
fn same_in_any_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

#[cfg(test)]
mod term_tests {
    use super::*;

    #[test]
    fn plurals_follow_the_last_word() {
        let cases = [
            ("Priority", "Priorities"),
            ("Priority improvement area", "Priority improvement areas"),
            ("Key milestone", "Key milestones"),
            ("Focus", "Focuses"),
            ("Key way", "Key ways"),
            ("Strategic objective", "Strategic objectives"),
        ];
        for (one, many) in cases {
            assert_eq!(plural_of(one), many);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_in_any_case;

    #[test]
    fn statuses_match_in_any_case_as_lower_case_forms_compare() {
        for (a, b) in [
            ("Amber", "amber"),
            ("On Track", "on track"),
            ("Ämber", "äMBER"),
            ("Ἀ", "ἀ"),
        ] {
            assert!(same_in_any_case(a, b), "{a} {b}");
            assert_eq!(same_in_any_case(a, b), a.to_lowercase() == b.to_lowercase());
        }
        for (a, b) in [("Amber", "Amber "), ("Red", "Rød"), ("blue", "bleu")] {
            assert!(!same_in_any_case(a, b), "{a} {b}");
        }
    }
}
