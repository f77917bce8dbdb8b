//! Rules that span more than one field: run after loading, before rendering.
//!
//! Each check pushes a [`Diagnostic`] and carries on, so a build reports every
//! problem at once. Validation also fills in the parsed values the renderer
//! uses (`Milestone::parsed_timescale`, `Milestone::status_index`, document
//! dates), so the renderer never has to re-check anything.
//!
//! To add a rule: write a function taking the item and a `&mut Checker`, call
//! it from the walk below, and add a row to the bad-input table test in
//! `tests/errors.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Position, suggest};
use crate::model::*;
use crate::timescale::{ACCEPTED, Date, Timescale};

/// Check one board and its documents, filling in parsed values.
pub fn validate_board(board_site: &mut BoardSite, diags: &mut Diagnostics) {
    let frameworks = frameworks(&board_site.board, &board_site.file, diags);
    check_board(&board_site.board, &board_site.file, &frameworks, diags);
    for doc in &mut board_site.documents {
        check_document(
            doc,
            &frameworks,
            &board_site.data,
            &board_site.broken_data,
            diags,
        );
    }
}

/// The position a spanned value was written at, if known.
pub fn pos<T>(s: &Spanned<T>) -> Option<Position> {
    let line = s.referenced.line() as usize;
    (line > 0).then(|| Position::new(line, s.referenced.column() as usize))
}

/// Standard numbers of each framework, by framework id.
type Frameworks = BTreeMap<String, Vec<String>>;

fn frameworks(board: &Board, file: &Path, diags: &mut Diagnostics) -> Frameworks {
    let mut out = Frameworks::new();
    for fw in &board.standards {
        if out.contains_key(&fw.id.value) {
            diags.push(duplicate(file, &fw.id, "standards framework"));
            continue;
        }
        let mut seen = IdSet::default();
        for s in &fw.standards {
            seen.insert(&s.number, file, "standard number", diags);
        }
        let numbers = fw
            .standards
            .iter()
            .map(|s| s.number.value.clone())
            .collect();
        out.insert(fw.id.value.clone(), numbers);
    }
    out
}

fn check_board(board: &Board, file: &Path, frameworks: &Frameworks, diags: &mut Diagnostics) {
    let framework = pick_framework(board.principles_framework.as_ref(), frameworks, file, diags);
    let mut stack: Vec<&Principle> = board.principles.iter().collect();
    while let Some(p) = stack.pop() {
        if p.lead.is_none() && p.text.is_none() {
            diags.push(
                Diagnostic::new(file, "a principle has neither `lead` nor `text`")
                    .help("give the principle its wording in `text`"),
            );
        }
        if !p.standards.is_empty() {
            check_standard_refs(
                &p.standards,
                framework.as_deref(),
                frameworks,
                file,
                "principles_framework",
                diags,
            );
        }
        stack.extend(p.items.iter());
    }
    for member in &board.members {
        if let Some(url) = &member.url {
            check_url(url, file, diags);
        }
    }
}

fn check_url(url: &Spanned<String>, file: &Path, diags: &mut Diagnostics) {
    let bad = url
        .value
        .trim()
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'));
    if let Some(c) = bad {
        let what = if c.is_whitespace() {
            "a space".to_string()
        } else {
            format!("`{c}`")
        };
        diags.push(
            Diagnostic::new(
                file,
                format!("the web address `{}` contains {what}", url.value),
            )
            .at(pos(url))
            .help("copy the address from the browser's address bar; a space is written %20"),
        );
        return;
    }
    let lower = url.value.trim().to_lowercase();
    if !(lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:"))
    {
        diags.push(
            Diagnostic::new(file, format!("`{}` is not a web address", url.value))
                .at(pos(url))
                .help("write the full address, starting https://"),
        );
    }
}

/// The framework that standard references resolve against: the one named, or
/// the board's only framework.
fn pick_framework(
    named: Option<&Spanned<String>>,
    frameworks: &Frameworks,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<String> {
    match named {
        Some(id) if frameworks.contains_key(&id.value) => Some(id.value.clone()),
        Some(id) => {
            diags.push(unknown_ref(
                file,
                id,
                "standards framework",
                frameworks.keys().map(String::as_str),
            ));
            None
        }
        None if frameworks.len() == 1 => frameworks.keys().next().cloned(),
        None => None,
    }
}

fn check_standard_refs(
    refs: &[Spanned<String>],
    framework: Option<&str>,
    frameworks: &Frameworks,
    file: &Path,
    field: &str,
    diags: &mut Diagnostics,
) {
    let Some(fw) = framework else {
        let help = if frameworks.is_empty() {
            "add the framework and its numbered standards under `standards:` in board.yaml"
                .to_string()
        } else {
            format!(
                "name the framework with `{field}` (one of: {})",
                join_keys(frameworks)
            )
        };
        diags.push(
            Diagnostic::new(
                file,
                "standards are cited but no standards framework applies",
            )
            .at(pos(&refs[0]))
            .help(help),
        );
        return;
    };
    let numbers = &frameworks[fw];
    for r in refs {
        if !numbers.contains(&r.value) {
            diags.push(
                Diagnostic::new(
                    file,
                    format!("standard `{}` is not in the `{fw}` framework", r.value),
                )
                .at(pos(r))
                .help(format!(
                    "the framework's standards are: {}",
                    numbers.join(", ")
                )),
            );
        }
    }
}

fn join_keys(frameworks: &Frameworks) -> String {
    frameworks.keys().cloned().collect::<Vec<_>>().join(", ")
}

fn check_document(
    doc: &mut LoadedDocument,
    frameworks: &Frameworks,
    data: &BTreeMap<String, crate::data::Dataset>,
    broken: &std::collections::BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    let file = doc.dir.join("document.yaml");
    for id in &doc.document.charts {
        if !data.contains_key(&id.value) && !broken.contains(&id.value) {
            diags.push(unknown_ref(
                &file,
                id,
                "data series",
                data.keys().map(String::as_str),
            ));
        }
    }
    let d = &mut doc.document;
    d.published_date = d.published.as_ref().and_then(|s| iso_date(s, &file, diags));
    d.as_at_date = d.as_at.as_ref().and_then(|s| iso_date(s, &file, diags));
    let statuses = check_status_key(d, &file, diags);
    let framework = pick_framework(d.standards.as_ref(), frameworks, &file, diags);
    let mut anchors = IdSet::default();
    for reserved in PAGE_IDS {
        anchors.seen.insert(
            reserved.to_string(),
            (PathBuf::from("the page itself"), None),
        );
    }
    if let Some(plan) = &doc.plan {
        // Priorities without an id are given `priority-N`.
        for (i, p) in plan.priorities.iter().enumerate() {
            if p.id.is_none() {
                anchors.seen.insert(
                    format!("priority-{}", i + 1),
                    (PathBuf::from("the page itself"), None),
                );
            }
        }
    }
    for section in &doc.sections {
        anchors.insert_plain(&section.slug, &section.file, diags);
    }
    if let (Some(plan), Some(plan_file)) = (&mut doc.plan, &doc.plan_file) {
        let mut ctx = PlanCheck {
            file: plan_file,
            statuses: &statuses,
            framework: framework.as_deref(),
            frameworks,
            ids: anchors,
            families: plan.families.iter().map(|f| f.id.value.clone()).collect(),
            footnotes: plan.footnotes.iter().map(|f| f.id.value.clone()).collect(),
            diags,
        };
        ctx.plan(plan);
    }
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

/// Each status's lower-cased id and label, in key order.
type StatusNames = Vec<(String, String)>;

fn check_status_key(d: &Document, file: &Path, diags: &mut Diagnostics) -> StatusNames {
    let Some(key) = &d.status_key else {
        return Vec::new();
    };
    let mut seen = IdSet::default();
    for status in &key.statuses {
        seen.insert(&status.id, file, "status", diags);
        if let Some(colour) = &status.colour
            && !is_hex_colour(&colour.value)
        {
            diags.push(
                Diagnostic::new(file, format!("`{}` is not a colour", colour.value))
                    .at(pos(colour))
                    .help("write colours as # and six hex digits, e.g. #00703c"),
            );
        }
    }
    key.statuses
        .iter()
        .map(|s| (s.id.value.to_lowercase(), s.label.to_lowercase()))
        .collect()
}

pub fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

struct PlanCheck<'a> {
    file: &'a Path,
    statuses: &'a StatusNames,
    framework: Option<&'a str>,
    frameworks: &'a Frameworks,
    ids: IdSet,
    families: Vec<String>,
    footnotes: Vec<String>,
    diags: &'a mut Diagnostics,
}

impl PlanCheck<'_> {
    fn plan(&mut self, plan: &mut Plan) {
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
        for p in &mut plan.priorities {
            self.priority(p);
        }
    }

    fn priority(&mut self, p: &mut Priority) {
        self.id(p.id.as_ref(), "priority");
        if let Some(family) = &p.family
            && !self.families.contains(&family.value)
        {
            let d = unknown_ref(
                self.file,
                family,
                "family",
                self.families.iter().map(String::as_str),
            );
            self.diags.push(d);
        }
        self.footnote_refs(&p.footnotes);
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
        for o in &mut p.objectives {
            self.id(o.id.as_ref(), "objective");
            self.footnote_refs(&o.footnotes);
            for m in &mut o.milestones {
                self.milestone(m);
            }
        }
        for m in &mut p.milestones {
            self.milestone(m);
        }
    }

    fn milestone(&mut self, m: &mut Milestone) {
        self.id(m.id.as_ref(), "milestone");
        self.footnote_refs(&m.footnotes);
        if let Some(ts) = &m.timescale {
            match Timescale::parse(&ts.value) {
                Ok(parsed) => m.parsed_timescale = Some(parsed),
                Err(why) => self.diags.push(
                    Diagnostic::new(self.file, why)
                        .at(pos(ts))
                        .help(format!("write the timescale as {ACCEPTED}")),
                ),
            }
        }
        if let Some(status) = &m.status {
            m.status_index = self.status(status);
        }
        if !m.standards.is_empty() {
            check_standard_refs(
                &m.standards,
                self.framework,
                self.frameworks,
                self.file,
                "standards",
                self.diags,
            );
        }
    }

    fn status(&mut self, status: &Spanned<String>) -> Option<usize> {
        let wanted = status.value.trim().to_lowercase();
        let found = self
            .statuses
            .iter()
            .position(|(id, label)| *id == wanted || *label == wanted);
        if found.is_none() {
            let message = if self.statuses.is_empty() {
                format!(
                    "the status `{}` cannot be used: this document has no status key",
                    status.value
                )
            } else {
                format!("`{}` is not a status in this document's key", status.value)
            };
            let ids: Vec<&str> = self.statuses.iter().map(|(id, _)| id.as_str()).collect();
            let help = match suggest(&wanted, ids.iter().copied()) {
                _ if ids.is_empty() => {
                    "add `status_key:` with its statuses to document.yaml, or remove the status"
                        .to_string()
                }
                Some(best) => format!(
                    "did you mean `{best}`? The allowed values are: {}",
                    ids.join(", ")
                ),
                None => format!("the allowed values are: {}", ids.join(", ")),
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
            if crate::render::slugify(&id.value) != id.value {
                self.diags.push(
                    Diagnostic::new(
                        self.file,
                        format!("the id `{}` cannot be used in a web address", id.value),
                    )
                    .at(pos(id))
                    .help(format!(
                        "use lower-case letters, digits and hyphens, e.g. `{}`",
                        crate::render::slugify(&id.value)
                    )),
                );
            }
        }
    }

    fn footnote_refs(&mut self, refs: &[Spanned<String>]) {
        for r in refs {
            if !self.footnotes.contains(&r.value) {
                let d = unknown_ref(
                    self.file,
                    r,
                    "footnote",
                    self.footnotes.iter().map(String::as_str),
                );
                self.diags.push(d);
            }
        }
    }
}

/// Ids the document page uses itself; sections and plan items may not take them.
const PAGE_IDS: [&str; 6] = [
    "main-content",
    "contents-title",
    "key-figures",
    "plan",
    "status-chart",
    "status-key",
];

/// Ids seen so far in one scope, with where each was first written.
#[derive(Default)]
struct IdSet {
    seen: BTreeMap<String, (PathBuf, Option<Position>)>,
}

impl IdSet {
    fn insert(&mut self, id: &Spanned<String>, file: &Path, what: &str, diags: &mut Diagnostics) {
        if let Some((first_file, first)) = self.seen.get(&id.value) {
            let mut d = duplicate(file, id, what);
            let at = crate::diagnostics::display_path(first_file);
            let line = first.map(|p| format!(":{}", p.line)).unwrap_or_default();
            d.help = Some(format!(
                "it is first used at {at}{line}; give each {what} its own id"
            ));
            diags.push(d);
        } else {
            self.seen
                .insert(id.value.clone(), (file.to_path_buf(), pos(id)));
        }
    }

    /// Register a name that has no span (a section's file name).
    fn insert_plain(&mut self, id: &str, file: &Path, diags: &mut Diagnostics) {
        if self.seen.contains_key(id) {
            diags.push(
                Diagnostic::new(
                    file,
                    format!("the section name `{id}` is already used on the document's page"),
                )
                .help(format!(
                    "rename the file, e.g. with a number in front: `10-{id}.md`"
                )),
            );
        } else {
            self.seen.insert(id.to_string(), (file.to_path_buf(), None));
        }
    }
}

fn duplicate(file: &Path, id: &Spanned<String>, what: &str) -> Diagnostic {
    Diagnostic::new(file, format!("duplicate {what} id `{}`", id.value))
        .at(pos(id))
        .help(format!("give each {what} its own id"))
}

fn unknown_ref<'a>(
    file: &Path,
    r: &Spanned<String>,
    what: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let list: Vec<&str> = known.clone().into_iter().collect();
    let help = match suggest(&r.value, known) {
        Some(best) => format!("did you mean `{best}`?"),
        None if list.is_empty() => format!("no {what} is defined; define it first"),
        None => format!("the known ids are: {}", list.join(", ")),
    };
    Diagnostic::new(file, format!("unknown {what} `{}`", r.value))
        .at(pos(r))
        .help(help)
}
