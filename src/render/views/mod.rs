//! What templates see: small views of the model with Markdown already turned
//! into HTML. Plain strings are borrowed from the model and escaped by Tera;
//! fields ending in `_html` are rendered here (inline Markdown with HTML
//! escaped, or sanitised block Markdown) and are the only ones templates
//! mark `safe`.

mod document;
mod figure;
mod glance;
mod plan;
mod priorities;
mod report;

pub use document::{DateView, DocContext, DocumentView, document_view};

use serde::Serialize;

use super::markdown::inline;
use super::templates::{Shared, escape_into, escaped};
use crate::model::checked::{self, Board, Principle, StandardRef as Cited};
use crate::model::{Framework, GlossaryEntry, Group, Member};
use crate::slug::slugify;

#[derive(Serialize)]
pub struct BoardView<'a> {
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub areas: &'a [String],
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub vision_html: Option<String>,
    pub principles_title: &'a str,
    pub principles: Vec<PrincipleView>,
    pub members: Vec<MemberGroup<'a>>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub structure_intro_html: Option<String>,
    pub structure: Vec<GroupView<'a>>,
    pub glossary: &'a [GlossaryEntry],
    pub frameworks: Vec<FrameworkView<'a>>,
    pub logo: Option<String>,
}

#[derive(Serialize)]
pub struct PrincipleView {
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub lead_html: Option<String>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub text_html: Option<String>,
    pub standards: Vec<StandardRef>,
    pub items: Vec<PrincipleView>,
}

/// A citation of a standard, linking to its text on the standards page.
#[derive(Serialize, Clone)]
pub struct StandardRef {
    pub label: String,
    pub href: String,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub text_html: String,
    /// The standard's words without markup, for a tooltip.
    pub text: String,
}

#[derive(Serialize)]
pub struct MemberGroup<'a> {
    pub sector: Option<&'a str>,
    pub members: Vec<MemberView<'a>>,
}

#[derive(Serialize)]
pub struct MemberView<'a> {
    pub name: &'a str,
    pub url: Option<&'a str>,
}

#[derive(Serialize)]
pub struct GroupView<'a> {
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub chair: Option<&'a str>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub description_html: Option<String>,
    pub groups: Vec<GroupView<'a>>,
}

#[derive(Serialize)]
pub struct FrameworkView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub description_html: Option<String>,
    pub standards: Vec<StandardView<'a>>,
}

#[derive(Serialize)]
pub struct StandardView<'a> {
    pub number: &'a str,
    pub anchor: String,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub text_html: String,
}

/// Resolves checked citations to their standards' words and links.
pub struct StandardIndex<'a> {
    frameworks: &'a [Framework],
    /// The relative URL of the standards page.
    page: String,
}

impl<'a> StandardIndex<'a> {
    pub fn new(board: &'a Board, page: String) -> Self {
        StandardIndex {
            frameworks: &board.frameworks,
            page,
        }
    }

    pub fn refs(&self, cited: &[Cited]) -> Vec<StandardRef> {
        cited
            .iter()
            .map(|c| {
                let fw = &self.frameworks[c.framework];
                let s = &fw.standards[c.standard];
                StandardRef {
                    label: format!("{} {}", framework_short(fw), s.number.value),
                    href: format!("{}#{}", self.page, standard_anchor(fw, &s.number.value)),
                    text_html: inline(&s.text),
                    text: super::markdown::plain(&s.text),
                }
            })
            .collect()
    }
}

fn framework_short(fw: &Framework) -> &str {
    fw.short_name.as_deref().unwrap_or(&fw.name)
}

/// A plan's term as it reads inside a sentence: "Progress BRAG rating"
/// gives "progress BRAG rating", so acronyms keep their capitals.
pub(super) fn in_sentence(term: &str) -> String {
    term.split(' ')
        .map(|word| {
            let capitals = word.chars().filter(|c| c.is_uppercase()).count();
            if capitals > 1 {
                word.to_string()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn standard_anchor(fw: &Framework, number: &str) -> String {
    format!("{}-{}", slugify(&fw.id.value), slugify(number))
}

pub fn board_view<'a>(
    board: &'a Board,
    standards_page: &str,
    logo: Option<String>,
) -> BoardView<'a> {
    let index = StandardIndex::new(board, standards_page.to_string());
    BoardView {
        name: &board.name,
        short_name: board.short_name.as_deref(),
        areas: &board.areas,
        vision_html: board.vision.as_deref().map(inline),
        principles_title: &board.principles_title,
        principles: board
            .principles
            .iter()
            .map(|p| principle_view(p, &index))
            .collect(),
        members: member_groups(&board.members),
        structure_intro_html: board.structure_intro.as_deref().map(inline),
        structure: board.structure.iter().map(group_view).collect(),
        glossary: &board.glossary,
        frameworks: board.frameworks.iter().map(framework_view).collect(),
        logo,
    }
}

pub(super) fn principle_view(p: &Principle, index: &StandardIndex) -> PrincipleView {
    PrincipleView {
        lead_html: p.lead.as_deref().map(inline),
        text_html: p.text.as_deref().map(inline),
        standards: index.refs(&p.standards),
        items: p.items.iter().map(|i| principle_view(i, index)).collect(),
    }
}

/// Members grouped by sector, keeping the order sectors first appear in.
fn member_groups(members: &[Member]) -> Vec<MemberGroup<'_>> {
    let mut groups: Vec<MemberGroup> = Vec::new();
    for m in members {
        let sector = m.sector.as_deref();
        let view = MemberView {
            name: &m.name,
            url: m.url.as_ref().map(|u| u.value.as_str()),
        };
        match groups.iter_mut().find(|g| g.sector == sector) {
            Some(g) => g.members.push(view),
            None => groups.push(MemberGroup {
                sector,
                members: vec![view],
            }),
        }
    }
    groups
}

fn group_view(g: &Group) -> GroupView<'_> {
    GroupView {
        name: &g.name,
        short_name: g.short_name.as_deref(),
        chair: g.chair.as_deref(),
        description_html: g.description.as_deref().map(inline),
        groups: g.groups.iter().map(group_view).collect(),
    }
}

fn framework_view(fw: &Framework) -> FrameworkView<'_> {
    FrameworkView {
        id: &fw.id.value,
        name: &fw.name,
        short_name: framework_short(fw),
        description_html: fw.description.as_deref().map(inline),
        standards: fw
            .standards
            .iter()
            .map(|s| StandardView {
                number: &s.number.value,
                anchor: standard_anchor(fw, &s.number.value),
                text_html: inline(&s.text),
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct StatusView<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub meaning: Option<&'a str>,
    /// What its tag says ("Not started"); see [`checked::Status::name`].
    pub name: &'a str,
    /// The board's word for it ("Blue"), when it adds to the name.
    pub word: Option<&'a str>,
    pub colour: &'a str,
    /// Its tag (HTML), as the theme's `status` component draws it: drawn
    /// once per rating of a document, not once per milestone; empty while
    /// it is being drawn.
    #[serde(serialize_with = "crate::render::templates::html")]
    pub tag: &'a str,
}

impl<'a> StatusView<'a> {
    /// The view of a rating of the key, with its tag as drawn.
    pub fn new(s: &'a checked::Status, tag: &'a str) -> StatusView<'a> {
        StatusView {
            id: &s.id,
            label: &s.label,
            meaning: s.meaning.as_deref(),
            name: &s.name,
            word: s.word.as_deref(),
            colour: s.colour.as_str(),
            tag,
        }
    }

    /// Its tag as the built-in `status_tag.html` draws it (the `status`
    /// component of components.html), byte for byte: drawing every
    /// document's tags through Tera was about a hundredth of a build.
    pub fn write_tag(&self, out: &mut String) {
        out.push_str(
            "<span class=\"status\"><span class=\"status__swatch\" style=\"background-color: ",
        );
        escape_into(self.colour, out);
        out.push_str("\" aria-hidden=\"true\"></span><span class=\"status__label\">");
        escape_into(self.name, out);
        out.push_str("</span>");
        if let Some(word) = self.word.filter(|w| !w.is_empty()) {
            out.push_str(" <span class=\"status__word\">(");
            escape_into(word, out);
            out.push_str(")</span>");
        }
        out.push_str("</span>");
    }
}

/// "15 milestones" and "1 milestone", as `{{ n }} {% if n != 1 %}{{
/// t.milestones | lower }}{% else %}{{ t.milestone | lower }}{% endif %}`
/// writes them, the plan's terms lowered and escaped once rather than for
/// every count.
pub(super) struct Counted {
    one: String,
    many: String,
}

impl Counted {
    pub(super) fn new(t: &checked::Terms) -> Counted {
        Counted {
            one: escaped(&t.milestone.to_lowercase()),
            many: escaped(&t.milestones.to_lowercase()),
        }
    }

    pub(super) fn write(&self, count: usize, out: &mut String) {
        out.push_str(itoa::Buffer::new().format(count));
        out.push(' ');
        out.push_str(match count {
            1 => &self.one,
            _ => &self.many,
        });
    }
}

/// A document's rating as its milestones show it: the view, and the view
/// made into the templates' value once, which every milestone with this
/// rating shares rather than each building its own copy of the map and
/// its tag (about 1% of a build).
pub struct Rating<'a> {
    pub view: StatusView<'a>,
    shared: Shared,
}

impl<'a> std::ops::Deref for Rating<'a> {
    type Target = StatusView<'a>;
    fn deref(&self) -> &StatusView<'a> {
        &self.view
    }
}

impl Serialize for Rating<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.shared.serialize(serializer)
    }
}

/// The tags of each document's ratings (HTML, in its key's order), by the
/// document's folder name: drawn by the theme once per rating before the
/// board's documents render, since a page shows other documents' ratings
/// too (a plan, its reports').
#[derive(Default)]
pub struct StatusTags(pub std::collections::HashMap<String, Vec<String>>);

impl StatusTags {
    pub fn of(&self, doc: &checked::Document) -> &[String] {
        self.0.get(&doc.slug).map_or(&[], Vec::as_slice)
    }
}

/// The views of `key`'s statuses, each with its tag from `tags` (in the
/// key's order; empty when there are fewer).
pub fn status_views<'a>(key: &'a checked::StatusKey, tags: &'a [String]) -> Vec<Rating<'a>> {
    key.statuses
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let view = StatusView::new(s, tags.get(i).map_or("", String::as_str));
            let shared = Shared::new(&view);
            Rating { view, shared }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// A tag written by boardpress is the tag the built-in template draws.
    #[test]
    fn status_tags_are_written_as_the_builtin_template_draws_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut diags = crate::diagnostics::Diagnostics::default();
        let theme = crate::render::templates::load_theme(dir.path(), None, &mut diags).unwrap();
        for word in [Some("Red & \"amber\""), Some(""), None] {
            let view = super::StatusView {
                id: "red",
                label: "Red",
                meaning: Some("Off track"),
                name: "Off <track>",
                word,
                colour: "#d4351c",
                tag: "",
            };
            let mut context = crate::render::templates::Context::new();
            context.insert("s", &view);
            let mut written = String::new();
            view.write_tag(&mut written);
            assert_eq!(Ok(written), theme.render("status_tag.html", &context));
        }
    }

    #[test]
    fn terms_in_a_sentence_keep_their_acronyms() {
        assert_eq!(
            super::in_sentence("Progress BRAG rating"),
            "progress BRAG rating"
        );
        assert_eq!(
            super::in_sentence("Priority improvement area"),
            "priority improvement area"
        );
        assert_eq!(super::in_sentence("LSCB priority"), "LSCB priority");
    }
}
