//! The board's search: a page with a search box, and an index of every
//! document, milestone and section of narrative, each linking to its exact
//! place (`plan/index.html#caf-timely`).
//!
//! The build writes what is to be found (`search/index.js`: each entry's
//! link, title, text and what a result shows) and the search page indexes
//! it in the browser with elasticlunr.js (`static/`) when it opens: a
//! board's narrative and milestones index there in a fraction of a second,
//! where building the inverted index here took most of a national first
//! build's site-wide stage. It is a script file rather than JSON fetched by
//! the page, so that search works on any static host and from a folder
//! opened from disk, where browsers refuse `fetch` (which Pagefind needs).
//! Made from the documents' summaries like the other pages spanning
//! documents, so a rebuild that keeps most documents makes the same file.

use serde::Serialize;

use super::BoardIndex;
use super::latest::priority_heading;
use crate::model::summary::DocumentSummary;
use crate::render::markdown;
use crate::render::pages::BoardPages;
use crate::render::{OutputFile, Page};

/// One thing to find, and what its result shows (short field names: the
/// file holds one per milestone).
#[derive(Serialize)]
struct Entry {
    /// Its link from the board's folder.
    r: String,
    /// Title.
    t: String,
    /// The words searched besides the title.
    b: String,
    /// What it is and where: "Milestone · Business Plan 2012-13 · 1. Safety".
    w: String,
    /// The opening words of its text, if more than the title.
    x: String,
}

/// Words kept of a section for a result's excerpt.
const EXCERPT_CHARS: usize = 200;

/// The search page and its index.
pub fn search_files(pages: &BoardPages, index: &BoardIndex) -> (Page, OutputFile) {
    let mut entries = Vec::new();
    for doc in &index.documents {
        add_document(&mut entries, doc);
    }
    // A script, not JSON, so that a page opened from disk can load it.
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
    let script = format!("window.boardpressSearch = {json};\n");
    let links = pages.links(1);
    let mut context = pages.head_context(&links);
    context.insert("current", "search");
    context.insert("entries", &entries.len());
    context.insert(
        "scripts",
        &[
            format!("{}static/elasticlunr.min.js", links.root),
            "index.js".to_string(),
            format!("{}static/search.js", links.root),
        ],
    );
    let page = Page {
        path: format!("{}search/index.html", pages.prefix),
        template: "search.html",
        context,
    };
    let file = OutputFile {
        path: format!("{}search/index.js", pages.prefix),
        bytes: script.into_bytes(),
    };
    (page, file)
}

fn add_document(entries: &mut Vec<Entry>, doc: &DocumentSummary) {
    let page = format!("{}/index.html", doc.slug);
    let summary = doc
        .summary
        .as_deref()
        .map(markdown::plain)
        .unwrap_or_default();
    let mut add = |r: String, t: String, b: String, w: String, x: String| {
        entries.push(Entry { r, t, b, w, x });
    };
    let opening = excerpt(&summary, &doc.title);
    add(
        page.clone(),
        doc.title.clone(),
        format!("{} {summary}", doc.period),
        format!("{} · {}", doc.kind.label(), doc.period),
        opening,
    );
    for s in &doc.sections {
        let body = markdown::words(&s.body);
        let x = excerpt(&body, &s.title);
        add(
            format!("{page}#{}", s.anchor),
            s.title.clone(),
            body,
            format!("Section · {}", doc.title),
            x,
        );
    }
    // A report's milestones are its plan's: they are found in the plan.
    if doc.reports_on.is_some() {
        return;
    }
    for m in &doc.milestones {
        let Some(anchor) = doc.anchor(m) else {
            continue;
        };
        let people: Vec<&str> = m
            .leads
            .iter()
            .chain(&m.monitored_by)
            .map(String::as_str)
            .collect();
        let when = m.timescale.as_ref().map(|(t, _)| t.as_str());
        let mut x = Vec::new();
        if !m.leads.is_empty() {
            x.push(format!("Led by {}", m.leads.join(", ")));
        }
        if let Some(when) = when {
            x.push(format!("Due {when}"));
        }
        add(
            format!("{page}#{anchor}"),
            m.plain.clone(),
            format!("{} {}", people.join(" "), when.unwrap_or("")),
            format!(
                "{} · {} · {}",
                doc.milestone_term,
                doc.title,
                priority_heading(doc, m.priority)
            ),
            x.join(" · "),
        );
    }
}

/// The opening of a text, cut at a word, unless it only repeats the title.
fn excerpt(body: &str, title: &str) -> String {
    let body = body.trim();
    if body.is_empty() || body == title {
        return String::new();
    }
    if body.chars().count() <= EXCERPT_CHARS {
        return body.to_string();
    }
    let cut: String = body.chars().take(EXCERPT_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_a_word_and_skip_the_title() {
        assert_eq!(excerpt("Safety", "Safety"), "");
        let long = "word ".repeat(60);
        let cut = excerpt(&long, "t");
        assert!(cut.ends_with("word…") && cut.chars().count() <= EXCERPT_CHARS + 1);
    }
}
