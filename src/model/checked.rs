//! The checked model: what `validate` returns and the renderer consumes as
//! it is. Every value here has passed its rules: periods and dates are
//! parsed, statuses point into the document's own key, standards into the
//! board's frameworks, footnotes into the plan's notes; leads and monitors
//! are inherited from objectives once; every anchor is assigned once and
//! unique on its page; colours are real colours. Nothing after validation
//! parses text or checks a rule again.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{DocumentKind, Framework, GlossaryEntry, Group, Member, Person};
use crate::diagnostics::Position;
use crate::timescale::{Date, Dated, Period, Timescale};

/// A board with the documents that are rendered in this build.
#[derive(Debug)]
pub struct Board {
    /// Folder name, used in URLs when a site has several boards.
    pub slug: String,
    /// `board.yaml`, relative to the site root.
    pub file: PathBuf,
    pub name: String,
    pub short_name: Option<String>,
    pub areas: Vec<String>,
    /// The vision (inline Markdown).
    pub vision: Option<String>,
    pub principles_title: String,
    pub principles: Vec<Principle>,
    pub members: Vec<Member>,
    /// Who leads what: agencies, and the names each lead is written under.
    pub directory: Directory,
    pub structure_intro: Option<String>,
    pub structure: Vec<Group>,
    pub glossary: Vec<GlossaryEntry>,
    pub frameworks: Vec<Framework>,
    /// The logo, relative to the site root; it exists inside the site.
    pub logo: Option<PathBuf>,
    pub allow_raw_html: bool,
    pub accessibility: Accessibility,
    pub documents: Vec<Document>,
}

/// The board's agencies and its leads' other spellings, checked: each
/// lead belongs to at most one agency, and each spelling to one lead.
/// Leads are known by [`crate::slug::lead_key`], so names that differ only
/// in case, spacing or punctuation are one lead.
#[derive(Debug, Default)]
pub struct Directory {
    pub agencies: Vec<Agency>,
    /// An alias's key, and the key of the lead it stands for.
    pub aliases: BTreeMap<String, String>,
    /// The name a lead's page shows, where `board.yaml` gives one.
    pub names: BTreeMap<String, String>,
    /// A lead's agency, an index into `agencies`.
    pub agency: BTreeMap<String, usize>,
}

impl Directory {
    /// The lead a name written in a plan stands for: its key, the name
    /// board.yaml gives it, and its agency.
    pub fn lead(&self, written: &str) -> (String, Option<&str>, Option<usize>) {
        let key = crate::slug::lead_key(written);
        let key = self.aliases.get(&key).cloned().unwrap_or(key);
        let name = self.names.get(&key).map(String::as_str);
        let agency = self.agency.get(&key).copied();
        (key, name, agency)
    }
}

/// What [`Directory::lead`] finds for a name as written.
pub type Lead<'a> = (String, Option<&'a str>, Option<usize>);

/// [`Directory::lead`] with each name as written looked up once: plans
/// repeat a few names on every milestone, and a name's key is made by
/// folding its case and punctuation.
pub struct LeadLookup<'a> {
    directory: &'a Directory,
    found: ahash::AHashMap<&'a str, Lead<'a>>,
}

impl<'a> LeadLookup<'a> {
    pub fn new(directory: &'a Directory) -> Self {
        LeadLookup {
            directory,
            found: ahash::AHashMap::new(),
        }
    }

    pub fn lead(&mut self, written: &'a str) -> &Lead<'a> {
        let directory = self.directory;
        self.found
            .entry(written)
            .or_insert_with(|| directory.lead(written))
    }

    /// Every name in `names` looked up, then each found by [`Self::found`]
    /// without a mutable borrow, so that keys can be borrowed together.
    pub fn all(mut self, names: impl IntoIterator<Item = &'a str>) -> Self {
        for written in names {
            self.lead(written);
        }
        self
    }

    /// A name looked up before (by [`Self::lead`] or [`Self::all`]).
    pub fn found(&self, written: &str) -> Option<&Lead<'a>> {
        self.found.get(written)
    }
}

/// A partner agency with leads, with its page's folder name.
#[derive(Debug)]
pub struct Agency {
    pub slug: String,
    pub name: String,
    pub sector: Option<String>,
}

/// What the board's accessibility statement says of it.
#[derive(Debug, Clone, Default)]
pub struct Accessibility {
    /// How to report a problem: (as shown, link), e.g. (`access@x.gov.uk`,
    /// `mailto:access@x.gov.uk`).
    pub contact: Option<(String, String)>,
    pub last_reviewed: Option<Date>,
    /// Inline Markdown.
    pub known_issues: Vec<String>,
    pub council_statement: Option<String>,
    /// Inline Markdown.
    pub tested: Option<String>,
}

/// A citation of a standard: indexes into [`Board::frameworks`] and that
/// framework's standards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardRef {
    pub framework: usize,
    pub standard: usize,
}

#[derive(Debug)]
pub struct Principle {
    pub lead: Option<String>,
    pub text: Option<String>,
    pub standards: Vec<StandardRef>,
    pub items: Vec<Principle>,
}

/// A document's vision and principles, shown as one part of it.
#[derive(Debug)]
pub struct Statement {
    pub vision: Option<String>,
    pub principles_title: String,
    pub principles: Vec<Principle>,
    /// Where it sits among the sections.
    pub order: i64,
}

/// A plan or report, with its narrative and plan.
#[derive(Debug)]
pub struct Document {
    pub slug: String,
    /// The document's folder, relative to the site root.
    pub dir: PathBuf,
    pub title: String,
    pub kind: DocumentKind,
    pub period: Period,
    pub published: Option<Dated>,
    pub updated: Option<Dated>,
    pub as_at: Option<Date>,
    /// A sentence or two for the list of documents (inline Markdown).
    pub summary: Option<String>,
    /// The document's own vision and principles, when it has them.
    pub statement: Option<Statement>,
    pub status_key: StatusKey,
    /// Data series shown as key figures, by id (checked against the
    /// board's series by the data stage, which loads them).
    pub charts: Vec<super::Spanned<String>>,
    pub sections: Vec<Section>,
    pub plan: Option<Plan>,
    /// Section file stems and their anchors, for links between sections.
    pub section_links: BTreeMap<String, String>,
    /// For a report on a plan: the progress it gives on each milestone.
    pub report: Option<Report>,
    /// Everything the document's pages are made from, hashed, for the
    /// rebuild record; `None` when nothing is recorded (`check`).
    pub fingerprint: Option<String>,
}

/// A report's progress against the plan it reports on (`progress.yaml`).
/// Every id in it names a milestone or priority of that plan, and every
/// status is in the report's key.
#[derive(Debug)]
pub struct Report {
    /// The plan's document slug: a document of the same board, checked in
    /// the same build, that has a plan.
    pub plan: String,
    /// For a plan of several years, the year reported on (inside the
    /// plan's period).
    pub year: Option<Period>,
    /// The date the statuses describe (the document's `as_at`).
    pub as_at: Date,
    /// `progress.yaml`, relative to the site root.
    pub file: PathBuf,
    /// Heading of the progress part.
    pub title: String,
    /// Where the progress part sits among the sections (by their `order`).
    pub order: i64,
    pub intro: Option<Located>,
    /// How effective the work on each priority was, by priority anchor.
    pub priorities: BTreeMap<String, Located>,
    /// Progress by milestone id; a milestone not here has "no update".
    pub milestones: BTreeMap<String, MilestoneProgress>,
}

#[derive(Debug)]
pub struct MilestoneProgress {
    /// Index into the report's [`StatusKey::statuses`].
    pub status: Option<usize>,
    pub note: Option<Located>,
    pub evidence: Option<Located>,
}

impl Document {
    /// Every milestone of the plan, in order, with the index of its priority.
    pub fn milestones(&self) -> impl Iterator<Item = (usize, &Milestone)> {
        self.plan.iter().flat_map(|plan| plan.milestones())
    }
}

/// The document's ratings key; empty when it has none.
#[derive(Debug, Clone)]
pub struct StatusKey {
    /// e.g. "Progress BRAG rating"; "Status key" by default.
    pub title: String,
    pub statuses: Vec<Status>,
}

#[derive(Debug, Clone)]
pub struct Status {
    pub id: String,
    pub label: String,
    /// What the status means in this plan: "Not yet started".
    pub meaning: Option<String>,
    /// What its tag says, in plain words: the key's `tag`, else its
    /// meaning, else its label ("Not started").
    pub name: String,
    /// The board's own word for it ("Blue"), shown after the name when it
    /// says something the name does not.
    pub word: Option<String>,
    pub colour: Colour,
    /// A milestone with this status is done.
    pub complete: bool,
    /// This status means little or no progress.
    pub limited: bool,
}

impl Status {
    /// The tag's words as text: "Not started (Blue)".
    pub fn tag_text(&self) -> String {
        match &self.word {
            Some(word) => format!("{} ({word})", self.name),
            None => self.name.clone(),
        }
    }
}

/// A colour as `#rrggbb`, lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colour(String);

impl Colour {
    /// `#rrggbb` in any case, or `None`.
    pub fn parse(text: &str) -> Option<Colour> {
        let ok = text.len() == 7
            && text.starts_with('#')
            && text[1..].chars().all(|c| c.is_ascii_hexdigit());
        ok.then(|| Colour(text.to_lowercase()))
    }

    pub fn from_rgb(red: u8, green: u8, blue: u8) -> Colour {
        Colour(format!("#{red:02x}{green:02x}{blue:02x}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The red, green and blue parts.
    pub fn rgb(&self) -> (u8, u8, u8) {
        let part = |i: usize| u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0);
        (part(1), part(3), part(5))
    }
}

/// A narrative section, from a Markdown file.
#[derive(Debug)]
pub struct Section {
    /// The section's id on the page, from its file name.
    pub anchor: String,
    pub file: PathBuf,
    pub title: String,
    pub order: i64,
    pub signed_by: Vec<Person>,
    pub endorsed_by: Vec<Person>,
    /// The parts of an annual report the section gives (topic ids).
    pub covers: Vec<String>,
    pub body: String,
    /// Line of the file on which the body starts, for error positions.
    pub body_line: usize,
}

/// Text with where it starts in its file, for Markdown problems found
/// while rendering.
#[derive(Debug, Clone)]
pub struct Located {
    pub text: String,
    pub file: PathBuf,
    pub start: Option<Position>,
}

#[derive(Debug)]
pub struct Plan {
    pub file: PathBuf,
    pub title: String,
    /// Where the plan sits among the sections (by their `order`).
    pub order: i64,
    pub intro: Option<Located>,
    pub terms: Terms,
    pub key_outcome_area: Option<String>,
    pub families: Vec<Family>,
    pub priorities: Vec<Priority>,
    pub matrix: Option<Matrix>,
    pub footnotes: Vec<Footnote>,
    /// Which milestone columns the plan uses.
    pub columns: Columns,
    pub any_revised: bool,
    pub any_carried_over: bool,
}

impl Plan {
    /// Every milestone, in order, with the index of its priority.
    pub fn milestones(&self) -> impl Iterator<Item = (usize, &Milestone)> {
        self.priorities
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.all_milestones().map(move |m| (i, m)))
    }
}

/// What the plan calls its parts, each singular and plural: "Priority
/// improvement area", "Priority improvement areas".
#[derive(Debug, Clone, serde::Serialize)]
pub struct Terms {
    pub priority: String,
    pub priorities: String,
    pub objective: String,
    pub objectives: String,
    pub milestone: String,
    pub milestones: String,
    pub lead: String,
    pub monitored_by: String,
    pub timescale: String,
    pub status: String,
    pub impact_measures: String,
    pub standards: String,
    pub outcome: String,
    pub revised: String,
    pub carried_over: String,
}

/// Which milestone columns a plan uses, so empty ones are left out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Columns {
    pub leads: bool,
    pub monitored_by: bool,
    pub timescale: bool,
    pub status: bool,
    pub standards: bool,
    pub notes: bool,
}

#[derive(Debug)]
pub struct Family {
    pub anchor: String,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug)]
pub struct Matrix {
    pub title: String,
    pub core_business: Vec<String>,
}

#[derive(Debug)]
pub struct Footnote {
    pub anchor: String,
    /// As shown: 1, 2, 3 in the plan's order.
    pub number: usize,
    pub text: String,
}

#[derive(Debug)]
pub struct Priority {
    pub anchor: String,
    /// As printed: "1", "PIA 2", "A".
    pub number: Option<String>,
    pub title: String,
    /// Index into [`Plan::families`].
    pub family: Option<usize>,
    pub outcome: Option<String>,
    pub description: Option<String>,
    pub description_label: Option<String>,
    pub description_first: bool,
    pub leads: Vec<String>,
    /// Indexes into [`Plan::footnotes`].
    pub footnotes: Vec<usize>,
    pub objectives: Vec<Objective>,
    /// Milestones directly under the priority.
    pub milestones: Vec<Milestone>,
}

impl Priority {
    /// The priority's own milestones, then its objectives'.
    pub fn all_milestones(&self) -> impl Iterator<Item = &Milestone> {
        self.milestones
            .iter()
            .chain(self.objectives.iter().flat_map(|o| &o.milestones))
    }
}

#[derive(Debug)]
pub struct Objective {
    pub anchor: String,
    pub number: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub year: Option<String>,
    pub impact_measures: Vec<String>,
    /// The words of its "carried over" tag, when it has one.
    pub carried_over: Option<String>,
    pub footnotes: Vec<usize>,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug)]
pub struct Milestone {
    /// The author's stable id, which is also its anchor.
    pub id: Option<String>,
    /// As the plan prints it: "1.2a".
    pub number: Option<String>,
    pub text: String,
    /// The milestone's own, or else its objective's.
    pub leads: Vec<String>,
    pub monitored_by: Vec<String>,
    pub timescale: Option<Timescale>,
    /// Index into the document's [`StatusKey::statuses`].
    pub status: Option<usize>,
    pub revised: bool,
    /// The words of its "carried over" tag, when it has one.
    pub carried_over: Option<String>,
    pub standards: Vec<StandardRef>,
    pub notes: Option<String>,
    pub footnotes: Vec<usize>,
}
