//! What templates see: small views of the model with Markdown already turned
//! into HTML. Plain strings are borrowed from the model and escaped by Tera;
//! fields ending in `_html` are rendered here (inline Markdown with HTML
//! escaped, or sanitised block Markdown) and are the only ones templates
//! mark `safe`.

use serde::Serialize;

use super::markdown::inline;
use crate::model::*;
use crate::validate::is_hex_colour;

#[derive(Serialize)]
pub struct BoardView<'a> {
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub areas: &'a [String],
    pub vision_html: Option<String>,
    pub principles_title: &'a str,
    pub principles: Vec<PrincipleView>,
    pub members: Vec<MemberGroup<'a>>,
    pub structure_intro_html: Option<String>,
    pub structure: Vec<GroupView<'a>>,
    pub glossary: &'a [GlossaryEntry],
    pub frameworks: Vec<FrameworkView<'a>>,
    pub logo: Option<String>,
}

#[derive(Serialize)]
pub struct PrincipleView {
    pub lead_html: Option<String>,
    pub text_html: Option<String>,
    pub standards: Vec<StandardRef>,
    pub items: Vec<PrincipleView>,
}

/// A citation of a standard, linking to its text on the standards page.
#[derive(Serialize, Clone)]
pub struct StandardRef {
    pub label: String,
    pub href: String,
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
    pub description_html: Option<String>,
    pub groups: Vec<GroupView<'a>>,
}

#[derive(Serialize)]
pub struct FrameworkView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub description_html: Option<String>,
    pub standards: Vec<StandardView<'a>>,
}

#[derive(Serialize)]
pub struct StandardView<'a> {
    pub number: &'a str,
    pub anchor: String,
    pub text_html: String,
}

/// Frameworks' standards looked up by (framework id, number).
pub struct StandardIndex<'a> {
    board: &'a Board,
}

impl<'a> StandardIndex<'a> {
    pub fn new(board: &'a Board) -> Self {
        StandardIndex { board }
    }

    fn framework(&self, id: Option<&str>) -> Option<&'a Framework> {
        match id {
            Some(id) => self.board.standards.iter().find(|f| f.id.value == id),
            None if self.board.standards.len() == 1 => self.board.standards.first(),
            None => None,
        }
    }

    /// Resolve citations; `standards_page` is the relative URL of the standards page.
    pub fn refs(
        &self,
        framework: Option<&str>,
        numbers: &[Spanned<String>],
        standards_page: &str,
    ) -> Vec<StandardRef> {
        let Some(fw) = self.framework(framework) else {
            return Vec::new();
        };
        numbers
            .iter()
            .filter_map(|n| fw.standards.iter().find(|s| s.number.value == n.value))
            .map(|s| StandardRef {
                label: format!("{} {}", framework_short(fw), s.number.value),
                href: format!("{standards_page}#{}", standard_anchor(fw, &s.number.value)),
                text_html: inline(&s.text),
                text: super::markdown::plain(&s.text),
            })
            .collect()
    }
}

fn framework_short(fw: &Framework) -> &str {
    fw.short_name.as_deref().unwrap_or(&fw.name)
}

pub fn standard_anchor(fw: &Framework, number: &str) -> String {
    format!(
        "{}-{}",
        super::slugify(&fw.id.value),
        super::slugify(number)
    )
}

pub fn board_view<'a>(
    board: &'a Board,
    standards_page: &str,
    logo: Option<String>,
) -> BoardView<'a> {
    let index = StandardIndex::new(board);
    let framework = board
        .principles_framework
        .as_ref()
        .map(|f| f.value.as_str());
    BoardView {
        name: &board.name,
        short_name: board.short_name.as_deref(),
        areas: &board.areas.0,
        vision_html: board.vision.as_deref().map(inline),
        principles_title: board.principles_title.as_deref().unwrap_or("Principles"),
        principles: board
            .principles
            .iter()
            .map(|p| principle_view(p, &index, framework, standards_page))
            .collect(),
        members: member_groups(&board.members),
        structure_intro_html: board.structure_intro.as_deref().map(inline),
        structure: board.structure.iter().map(group_view).collect(),
        glossary: &board.glossary,
        frameworks: board.standards.iter().map(framework_view).collect(),
        logo,
    }
}

fn principle_view(
    p: &Principle,
    index: &StandardIndex,
    fw: Option<&str>,
    page: &str,
) -> PrincipleView {
    PrincipleView {
        lead_html: p.lead.as_deref().map(inline),
        text_html: p.text.as_deref().map(inline),
        standards: index.refs(fw, &p.standards, page),
        items: p
            .items
            .iter()
            .map(|i| principle_view(i, index, fw, page))
            .collect(),
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
    pub colour: String,
}

pub fn status_views(doc: &Document) -> Vec<StatusView<'_>> {
    let Some(key) = &doc.status_key else {
        return Vec::new();
    };
    key.statuses
        .iter()
        .map(|s| StatusView {
            id: &s.id.value,
            label: &s.label,
            meaning: s.meaning.as_deref(),
            colour: status_colour(s),
        })
        .collect()
}

/// The status's own colour, or one named by its id or label, or grey.
fn status_colour(s: &Status) -> String {
    if let Some(c) = s.colour.as_ref().filter(|c| is_hex_colour(&c.value)) {
        return c.value.to_lowercase();
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
    NAMED
        .iter()
        .find(|(word, _)| words.contains(word))
        .map_or("#505a5f", |(_, hex)| hex)
        .to_string()
}
