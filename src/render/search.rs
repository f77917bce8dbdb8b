//! What a document gives the board's search: `<document>/search.js`, its
//! entries (the document, each section of narrative, each milestone of a
//! plan), each with its exact link, its words and what a result shows.
//! The board's search page (made by the site-wide stage) loads every
//! document's file and indexes them in the browser with elasticlunr.js.
//!
//! Each file is made with its document, so a rebuild keeps the files of
//! documents it keeps, as it keeps their pages. It is a script that adds
//! its entries to `window.boardpressSearch`, rather than JSON fetched by
//! the page, so that search works on any static host and from a folder
//! opened from disk, where browsers refuse `fetch` (which Pagefind needs).

use serde::Serialize;

use super::markdown;
use crate::model::checked;
use crate::model::summary::DocumentSummary;

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

/// The document's `search.js`. `section_words` are its sections' words,
/// in order, as rendering them gave them ([`markdown::words`]).
pub fn fragment(
    doc: &checked::Document,
    summary: &DocumentSummary,
    section_words: Vec<String>,
) -> Vec<u8> {
    let mut entries = Vec::new();
    add_document(&mut entries, doc, summary, section_words);
    // Written into room made once for the words and each entry's keys.
    let words: usize = entries
        .iter()
        .map(|e| e.r.len() + e.t.len() + e.b.len() + e.w.len() + e.x.len() + 40)
        .sum();
    let mut out = Vec::with_capacity(HEAD.len() + words + words / 16 + 8);
    out.extend_from_slice(HEAD.as_bytes());
    write_entries(&entries, &mut out);
    out.extend_from_slice(b");\n");
    out
}

/// The entries as a JSON array, as serde_json writes it without spaces,
/// each key written as it is rather than escaped anew for every entry.
fn write_entries(entries: &[Entry], out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        for (key, value) in [
            (&b"{\"r\":"[..], &e.r),
            (b",\"t\":", &e.t),
            (b",\"b\":", &e.b),
            (b",\"w\":", &e.w),
            (b",\"x\":", &e.x),
        ] {
            out.extend_from_slice(key);
            crate::json::write_str(out, value);
        }
        out.push(b'}');
    }
    out.push(b']');
}

/// What each `search.js` begins with, before its entries.
const HEAD: &str = "window.boardpressSearch = (window.boardpressSearch || []).concat(";

fn add_document(
    entries: &mut Vec<Entry>,
    source: &checked::Document,
    doc: &DocumentSummary,
    section_words: Vec<String>,
) {
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
    let mut section_words = section_words.into_iter();
    for s in &source.sections {
        let body = section_words
            .next()
            .unwrap_or_else(|| markdown::words(&s.body));
        let x = excerpt(&body, &s.title);
        add(
            [page.as_str(), "#", &s.anchor].concat(),
            s.title.clone(),
            body,
            ["Section · ", &doc.title].concat(),
            x,
        );
    }
    // A report's milestones are its plan's: they are found in the plan.
    if doc.reports_on.is_some() {
        return;
    }
    // Where each milestone is: "Milestone · Business Plan 2012-13 · 1.
    // Safety", made once per priority rather than once per milestone.
    let places: Vec<String> = doc
        .priorities
        .iter()
        .map(|p| {
            let title = &p.plain;
            let priority = match &p.number {
                Some(n) => format!("{n}. {title}"),
                None => title.clone(),
            };
            [
                doc.milestone_term.as_str(),
                " · ",
                &doc.title,
                " · ",
                &priority,
            ]
            .concat()
        })
        .collect();
    let fallback = [doc.milestone_term.as_str(), " · ", &doc.title, " · "].concat();
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
            x.push(["Led by ", &m.leads.join(", ")].concat());
        }
        if let Some(when) = when {
            x.push(["Due ", when].concat());
        }
        add(
            [page.as_str(), "#", &anchor].concat(),
            m.plain.clone(),
            [&people.join(" "), " ", when.unwrap_or("")].concat(),
            places.get(m.priority).unwrap_or(&fallback).clone(),
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
    fn entries_are_written_as_serde_json_writes_them() {
        let entry = |r: &str, t: &str| Entry {
            r: r.into(),
            t: t.into(),
            b: "Led by \"Police\"\nand Health \\ Ynys Môn".into(),
            w: "Milestone · Plan".into(),
            x: String::new(),
        };
        for entries in [
            vec![],
            vec![entry("a/index.html#m", "One")],
            vec![entry("b", "Two\t"), entry("c", "")],
        ] {
            let mut ours = Vec::new();
            write_entries(&entries, &mut ours);
            assert_eq!(
                String::from_utf8(ours),
                String::from_utf8(serde_json::to_vec(&entries).unwrap())
            );
        }
    }

    #[test]
    fn excerpts_cut_at_a_word_and_skip_the_title() {
        assert_eq!(excerpt("Safety", "Safety"), "");
        let long = "word ".repeat(60);
        let cut = excerpt(&long, "t");
        assert!(cut.ends_with("word…") && cut.chars().count() <= EXCERPT_CHARS + 1);
    }
}
