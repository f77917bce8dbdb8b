//! The content model, in two forms.
//!
//! The types in this file are what a site's YAML files say, as written:
//! `load` deserialises files straight into them (serde catches typos, wrong
//! types and missing fields). Fields that validation must point back at are
//! [`Spanned`], so its errors carry a line and column.
//!
//! [`checked`] is what `validate` makes of them and the renderer consumes as
//! it is: periods and dates parsed, statuses resolved against the
//! document's key, leads inherited, anchors and colours assigned.
//! [`summary`] is the compact part of a checked document that pages
//! spanning documents need, kept in the rebuild record for documents that
//! are not loaded again.
//!
//! Every field is documented with an example in `docs/content-format.md`.

pub mod checked;
pub mod summary;

pub use crate::spanned::Spanned;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// `content/site.yaml`: settings for the whole site. Optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown on the site's home page when it lists several boards.
    pub title: Option<String>,
    /// Introductory Markdown on a multi-board home page.
    pub description: Option<String>,
    /// Theme folder name under `themes/`; `default` is built in.
    pub theme: Option<Spanned<String>>,
    /// Language of the pages (BCP 47), `en-GB` by default.
    pub language: Option<String>,
    /// Pages a council's own website may already provide.
    #[serde(default)]
    pub pages: SitePages,
    /// The site's public web address, for `sitemap.xml` and `feed.xml`.
    pub url: Option<Spanned<String>>,
    /// Other websites whose images, video and frames pages may load
    /// (by host name, e.g. `www.youtube-nocookie.com`); none by default.
    #[serde(default)]
    pub remote_hosts: Vec<String>,
}

/// `pages:` in `site.yaml`: which of the site's general pages to make.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitePages {
    /// `404.html` at the site's root.
    #[serde(default = "yes")]
    pub not_found: bool,
    /// Each board's `accessibility/index.html`, linked from every footer.
    #[serde(default = "yes")]
    pub accessibility_statement: bool,
}

impl Default for SitePages {
    fn default() -> Self {
        SitePages {
            not_found: true,
            accessibility_statement: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// `accessibility:` in `board.yaml`: what the board's accessibility
/// statement says beyond what boardpress knows of its own pages.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityInfo {
    /// An email address or web address for reporting a problem.
    pub contact: Option<Spanned<String>>,
    /// When the statement was last reviewed (YYYY-MM-DD).
    pub last_reviewed: Option<Spanned<String>>,
    /// Parts of the site known not to meet the standard (inline Markdown).
    #[serde(default)]
    pub known_issues: Vec<String>,
    /// The council's own accessibility statement.
    pub council_statement: Option<Spanned<String>>,
    /// How the site was tested, by whom and when (inline Markdown).
    pub tested: Option<String>,
}

/// `board.yaml`: a safeguarding board's identity.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Board {
    pub name: String,
    pub short_name: Option<String>,
    #[serde(default)]
    pub areas: Names,
    /// The vision, often a quotation (Markdown).
    pub vision: Option<String>,
    /// Heading over the principles, e.g. "Statement of principles".
    pub principles_title: Option<String>,
    #[serde(default)]
    pub principles: Vec<Principle>,
    /// Which standards framework principles' `standards` refer to, when the
    /// board has more than one.
    pub principles_framework: Option<Spanned<String>>,
    #[serde(default)]
    pub members: Vec<Member>,
    /// Leads written in more than one way.
    #[serde(default)]
    pub leads: Vec<LeadAliases>,
    /// Markdown introducing the structure page.
    pub structure_intro: Option<String>,
    #[serde(default)]
    pub structure: Vec<Group>,
    #[serde(default)]
    pub glossary: Vec<GlossaryEntry>,
    #[serde(default)]
    pub standards: Vec<Framework>,
    /// Image file (relative to the board's folder) shown in the header.
    pub logo: Option<Spanned<String>>,
    /// Let raw HTML in this board's Markdown through unsanitised.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// What the board's accessibility statement says.
    pub accessibility: Option<AccessibilityInfo>,
}

/// A principle, possibly with a bold lead-in, sub-principles and the
/// standards that evidence it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Principle {
    pub lead: Option<String>,
    pub text: Option<String>,
    #[serde(default)]
    pub standards: Vec<Spanned<String>>,
    #[serde(default)]
    pub items: Vec<Principle>,
}

/// A partner agency of the board.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    /// The agency's id in web addresses (`agencies/<id>/`); from its name
    /// by default.
    pub id: Option<Spanned<String>>,
    /// A grouping such as "Health" or "Education".
    pub sector: Option<String>,
    pub url: Option<Spanned<String>>,
    /// The people and groups of this agency that lead or monitor
    /// milestones, as plans name them.
    #[serde(default)]
    pub leads: Vec<Spanned<String>>,
}

/// A lead that plans write in more than one way.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadAliases {
    /// The name shown on the lead's page.
    pub name: Spanned<String>,
    /// Other ways plans write it: "QA Sub-Group", "Quality Assurance Sub Group".
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

/// A part of the board's structure: the board itself, a sub-group, a panel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    pub short_name: Option<String>,
    pub chair: Option<String>,
    /// What the group does (Markdown).
    pub description: Option<String>,
    #[serde(default)]
    pub groups: Vec<Group>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub term: String,
    pub meaning: String,
}

/// A standards framework such as the LSCB Self Assessment and Improvement
/// Tool (SAIT), whose numbered standards milestones and principles cite.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: Spanned<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub description: Option<String>,
    pub standards: Vec<Standard>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub number: Spanned<String>,
    /// Markdown (inline), e.g. "The membership … *Working Together*".
    pub text: String,
}

/// `document.yaml`: a business plan, annual report or similar.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub title: String,
    pub kind: DocumentKind,
    /// As written, e.g. "2012-2013" or "April 2012 to March 2014".
    pub period: Spanned<String>,
    /// Publication date, `YYYY-MM-DD`, or a month (`YYYY-MM`, "April 2017").
    pub published: Option<Spanned<String>>,
    /// When the published document was last revised, in the same forms.
    pub updated: Option<Spanned<String>>,
    /// The date the statuses describe, `YYYY-MM-DD`.
    pub as_at: Option<Spanned<String>>,
    /// A sentence or two for the list of documents (Markdown).
    pub summary: Option<String>,
    /// The document's own vision (inline Markdown), when it has one beside
    /// the board's.
    pub vision: Option<String>,
    /// Heading over the document's principles; "Principles" by default.
    pub principles_title: Option<String>,
    #[serde(default)]
    pub principles: Vec<Principle>,
    /// Where the vision and principles sit among the sections (by their
    /// `order`); before all of them by default.
    pub vision_order: Option<i64>,
    pub status_key: Option<StatusKey>,
    /// Which of the board's frameworks milestones' `standards` refer to.
    pub standards: Option<Spanned<String>>,
    /// Data series (ids in the board's `data/` folder) shown as the
    /// document's key figures, after its contents list.
    #[serde(default)]
    pub charts: Vec<Spanned<String>>,
    /// For a report: the plan it reports on. The milestones' progress is
    /// then in the report's `progress.yaml`.
    pub reports_on: Option<ReportsOn>,
}

/// The plan a report gives progress against.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportsOn {
    /// The plan's document folder name, e.g. `business-plan-2012-13`.
    pub plan: Spanned<String>,
    /// For a plan of several years: the year reported on, e.g. "2013-14".
    pub year: Option<Spanned<String>>,
}

/// `progress.yaml`: a report's year-end progress on each milestone of the
/// plan it reports on, by the milestones' ids.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Heading for the generated progress part.
    pub title: Option<String>,
    /// Where the progress part sits among the sections (by their `order`).
    pub order: Option<i64>,
    /// Markdown before the year at a glance.
    pub intro: Option<Spanned<String>>,
    /// How effective the work on each priority was (Markdown), by the
    /// priority's id.
    #[serde(default)]
    pub priorities: Vec<PriorityProgress>,
    #[serde(default)]
    pub milestones: Vec<MilestoneProgress>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityProgress {
    /// The priority's `id` in the plan.
    pub id: Spanned<String>,
    /// What was achieved and how effective it was (Markdown).
    pub summary: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneProgress {
    /// The milestone's `id` in the plan.
    pub id: Spanned<String>,
    /// A status id from the report's key (or the plan's, if it has none).
    pub status: Option<Spanned<String>>,
    /// A short progress note (Markdown).
    pub note: Option<Spanned<String>>,
    /// Evidence of impact: Markdown, which may hold charts and links.
    pub evidence: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    BusinessPlan,
    StrategicPlan,
    AnnualReport,
    ActionPlan,
    Other,
}

impl DocumentKind {
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::BusinessPlan => "Business plan",
            DocumentKind::StrategicPlan => "Strategic plan",
            DocumentKind::AnnualReport => "Annual report",
            DocumentKind::ActionPlan => "Action plan",
            DocumentKind::Other => "Document",
        }
    }
}

/// A document's own ratings key, e.g. BRAG where Blue = not yet started.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusKey {
    /// e.g. "Progress BRAG rating".
    pub title: Option<String>,
    pub statuses: Vec<Status>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub id: Spanned<String>,
    pub label: String,
    /// What the status means in this plan: "Not yet started".
    pub meaning: Option<String>,
    /// The few words each milestone's tag says: "Not started".
    pub tag: Option<String>,
    /// `#rrggbb`; defaults from a colour word in the id or label.
    pub colour: Option<Spanned<String>>,
    /// Whether a milestone with this status is done.
    #[serde(default)]
    pub complete: bool,
    /// Whether this status means little or no progress ("at risk", "will
    /// not be achieved"), which a report must explain.
    #[serde(default)]
    pub limited: bool,
}

/// `plan.yaml`: the priorities of a document.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Heading for the plan part of the document.
    pub title: Option<String>,
    /// Where the plan sits among the narrative sections (by their `order`).
    pub order: Option<i64>,
    /// Markdown before the priorities.
    pub intro: Option<Spanned<String>>,
    #[serde(default)]
    pub terms: Terms,
    pub key_outcome_area: Option<String>,
    #[serde(default)]
    pub families: Vec<Family>,
    pub priorities: Vec<Priority>,
    pub matrix: Option<Matrix>,
    #[serde(default)]
    pub footnotes: Vec<Footnote>,
}

/// What this plan calls its parts. Plans say "strategic objective",
/// "priority improvement area", "action area", "key milestone", "owner".
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Terms {
    pub priority: String,
    /// Plurals default to the singular made plural ("Priority" gives
    /// "Priorities"); a plan gives its own where English is irregular.
    pub priorities: Option<String>,
    pub objective: String,
    pub objectives: Option<String>,
    pub milestone: String,
    pub milestones: Option<String>,
    pub lead: String,
    pub monitored_by: String,
    pub timescale: String,
    pub status: String,
    pub impact_measures: String,
    pub standards: String,
    /// The label before a priority's outcome: "Outcome".
    pub outcome: String,
    /// Legend for milestones marked `revised`.
    pub revised: String,
    /// Legend for objectives and milestones marked `carried_over`.
    pub carried_over: String,
}

impl Default for Terms {
    fn default() -> Self {
        Terms {
            priority: "Priority".into(),
            priorities: None,
            objective: "Objective".into(),
            objectives: None,
            milestone: "Milestone".into(),
            milestones: None,
            lead: "Lead".into(),
            monitored_by: "Monitored by".into(),
            timescale: "Timescale".into(),
            status: "Status".into(),
            impact_measures: "Impact measures".into(),
            standards: "Standards".into(),
            outcome: "Outcome".into(),
            revised: "Revised milestone".into(),
            carried_over: "Carried over from last year".into(),
        }
    }
}

/// A family of priorities, e.g. "What children and young people told us".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: Spanned<String>,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    pub id: Option<Spanned<String>>,
    /// As printed: "1", "PIA 2", "A".
    pub number: Option<String>,
    pub title: String,
    pub family: Option<Spanned<String>>,
    /// The outcome sought (Markdown).
    pub outcome: Option<String>,
    pub description: Option<String>,
    /// A heading for the description: "What children told us".
    pub description_label: Option<String>,
    /// Show the description before the outcome (after it by default).
    #[serde(default)]
    pub description_first: bool,
    #[serde(default)]
    pub leads: Names,
    #[serde(default)]
    pub footnotes: Vec<Spanned<String>>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Milestones directly under the priority, for plans without objectives.
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// An objective, action area or year's priority under a priority.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: Option<Spanned<String>>,
    pub number: Option<String>,
    pub title: String,
    pub description: Option<String>,
    /// For year-by-year priorities: "2012/13".
    pub year: Option<String>,
    #[serde(default)]
    pub impact_measures: Vec<String>,
    #[serde(default)]
    pub carried_over: CarriedOver,
    /// Default leads for milestones that name none.
    #[serde(default)]
    pub leads: Names,
    /// Default monitoring group for milestones that name none.
    #[serde(default)]
    pub monitored_by: Names,
    #[serde(default)]
    pub footnotes: Vec<Spanned<String>>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub id: Option<Spanned<String>>,
    /// The number the plan prints before it: "1.2a".
    pub number: Option<String>,
    /// What will be done or achieved (Markdown, inline).
    pub text: String,
    #[serde(default)]
    pub leads: Names,
    #[serde(default)]
    pub monitored_by: Names,
    pub timescale: Option<Spanned<String>>,
    pub status: Option<Spanned<String>>,
    /// Marked as revised (shown with an asterisk).
    #[serde(default)]
    pub revised: bool,
    #[serde(default)]
    pub carried_over: CarriedOver,
    #[serde(default)]
    pub standards: Vec<Spanned<String>>,
    /// Progress notes or commentary (Markdown).
    pub notes: Option<String>,
    #[serde(default)]
    pub footnotes: Vec<Spanned<String>>,
}

/// The priorities matrix: key outcome area, priorities, their objectives
/// (drawn from the plan) and the board's core business.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    pub title: Option<String>,
    #[serde(default)]
    pub core_business: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    pub id: Spanned<String>,
    pub text: String,
}

/// Front matter of a narrative section (a Markdown file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    pub title: String,
    #[serde(default)]
    pub order: i64,
    /// Who signed it (a foreword), shown after the text.
    #[serde(default)]
    pub signed_by: Vec<Person>,
    /// Who endorsed it.
    #[serde(default)]
    pub endorsed_by: Vec<Person>,
    /// Which parts of an annual report the guidance expects this section
    /// gives, e.g. `[learning-from-reviews]`.
    #[serde(default)]
    pub covers: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
}

/// One or more names: `leads: Jo Bloggs` or `leads: [Jo Bloggs, QA Sub Group]`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Names(pub Vec<String>);

impl Names {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `carried_over: true`, or the plan's own words for it ("Carried over
/// from 2011/12"), on an objective or milestone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CarriedOver {
    #[default]
    No,
    Yes,
    Words(String),
}

impl CarriedOver {
    pub fn is_yes(&self) -> bool {
        *self == CarriedOver::Yes
    }

    /// What the item's tag says: its own words, else "Carried over".
    pub fn tag(&self) -> Option<String> {
        match self {
            CarriedOver::No => None,
            CarriedOver::Yes => Some("Carried over".into()),
            CarriedOver::Words(w) => Some(w.trim().to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for CarriedOver {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CarriedVisitor;
        impl<'de> Visitor<'de> for CarriedVisitor {
            type Value = CarriedOver;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "`true`, `false` or the words for its tag (\"Carried over from 2011/12\")",
                )
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<CarriedOver, E> {
                Ok(if v { CarriedOver::Yes } else { CarriedOver::No })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CarriedOver, E> {
                if v.trim().is_empty() {
                    return Err(E::custom(
                        "`carried_over` is empty: write `true`, or the words for its tag",
                    ));
                }
                Ok(CarriedOver::Words(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<CarriedOver, E> {
                Ok(CarriedOver::No)
            }
        }
        deserializer.deserialize_any(CarriedVisitor)
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = Names;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
                Ok(Names(vec![v.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Names, E> {
                Ok(Names::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(Names(names))
            }
        }
        deserializer.deserialize_any(NamesVisitor)
    }
}
