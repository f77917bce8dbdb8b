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

use super::markdown;
use crate::model::checked;
use crate::model::summary::DocumentSummary;

/// Words kept of a section for a result's excerpt.
const EXCERPT_CHARS: usize = 200;

/// The document's `search.js`. `section_words` are its sections' words,
/// in order, as rendering them gave them ([`markdown::words`]).
pub fn fragment(
    doc: &checked::Document,
    summary: &DocumentSummary,
    section_words: Vec<String>,
) -> Vec<u8> {
    // Room for the sections' words and a few hundred bytes a milestone.
    let words: usize = section_words.iter().map(String::len).sum();
    let room = HEAD.len() + 2 * words + 400 * summary.milestones.len() + 1024;
    let mut entries = Entries {
        out: Vec::with_capacity(room),
        count: 0,
    };
    entries.out.extend_from_slice(HEAD.as_bytes());
    entries.out.push(b'[');
    add_document(&mut entries, doc, summary, section_words);
    entries.out.extend_from_slice(b"]);\n");
    entries.out
}

/// What each `search.js` begins with, before its entries.
const HEAD: &str = "window.boardpressSearch = (window.boardpressSearch || []).concat(";

/// The entries, written as JSON as they are made (as serde_json writes an
/// array of objects without spaces). Each is one thing to find and what
/// its result shows, under short keys as the file holds one per milestone:
/// `r` its link from the board's folder, `t` its title, `b` the words
/// searched besides the title, `w` what it is and where ("Milestone ·
/// Business Plan 2012-13 · 1. Safety"), `x` the opening words of its text
/// if more than the title. Each field is given in pieces, written one
/// after another, so that no text is put together only to be copied out.
struct Entries {
    out: Vec<u8>,
    count: usize,
}

impl Entries {
    fn add(&mut self, fields: [&[&str]; 5]) {
        if self.count > 0 {
            self.out.push(b',');
        }
        self.count += 1;
        let keys: [&[u8]; 5] = [b"{\"r\":", b",\"t\":", b",\"b\":", b",\"w\":", b",\"x\":"];
        for (key, parts) in keys.into_iter().zip(fields) {
            self.out.extend_from_slice(key);
            crate::json::write_parts(&mut self.out, parts);
        }
        self.out.push(b'}');
    }
}

fn add_document(
    entries: &mut Entries,
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
    let opening = excerpt(&summary, &doc.title);
    entries.add([
        &[&page],
        &[&doc.title],
        &[&doc.period, " ", &summary],
        &[doc.kind.label(), " · ", &doc.period],
        &[&opening],
    ]);
    let mut section_words = section_words.into_iter();
    for s in &source.sections {
        let body = section_words
            .next()
            .unwrap_or_else(|| markdown::words(&s.body));
        let x = excerpt(&body, &s.title);
        entries.add([
            &[&page, "#", &s.anchor],
            &[&s.title],
            &[&body],
            &["Section · ", &doc.title],
            &[&x],
        ]);
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
    // The pieces of a milestone's words and of its excerpt, kept between
    // milestones so that they are made room for once.
    let (mut words, mut shown): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for m in &doc.milestones {
        let Some(anchor) = doc.anchor(m) else {
            continue;
        };
        let when = m.timescale.as_ref().map(|(t, _)| t.as_str());
        // Leads and those who monitor, a space between each, then the date.
        words.clear();
        for (i, name) in m.leads.iter().chain(&m.monitored_by).enumerate() {
            if i > 0 {
                words.push(" ");
            }
            words.push(name);
        }
        words.extend([" ", when.unwrap_or("")]);
        // "Led by Police, Health · Due March 2026".
        shown.clear();
        for (i, lead) in m.leads.iter().enumerate() {
            shown.extend([if i == 0 { "Led by " } else { ", " }, lead.as_str()]);
        }
        if let Some(when) = when {
            if !shown.is_empty() {
                shown.push(" · ");
            }
            shown.extend(["Due ", when]);
        }
        entries.add([
            &[&page, "#", &anchor],
            &[&m.plain],
            &words,
            &[places.get(m.priority).unwrap_or(&fallback)],
            &shown,
        ]);
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

    /// An entry as serde_json would write it, to hold [`Entries`] to.
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        r: &'a str,
        t: &'a str,
        b: &'a str,
        w: &'a str,
        x: &'a str,
    }

    #[test]
    fn entries_are_written_as_serde_json_writes_them() {
        let awkward = "Led by \"Police\"\nand Health \\ Ynys Môn\t";
        let cases: Vec<Vec<[Vec<&str>; 5]>> = vec![
            vec![],
            vec![[
                vec!["a/index.html", "#", "m"],
                vec!["One"],
                vec![],
                vec!["Milestone · Plan"],
                vec![""],
            ]],
            vec![
                [
                    vec!["b"],
                    vec!["Two\t"],
                    vec![awkward, " ", "x\"y"],
                    vec!["w"],
                    vec!["Due ", "\u{7}"],
                ],
                [vec!["c"], vec![""], vec!["\\", "\""], vec![], vec!["plain"]],
            ],
        ];
        for case in cases {
            let mut entries = Entries {
                out: vec![b'['],
                count: 0,
            };
            let mut expected = Vec::new();
            for [r, t, b, w, x] in &case {
                entries.add([r, t, b, w, x]);
                let (r, t, b, w, x) = (r.concat(), t.concat(), b.concat(), w.concat(), x.concat());
                expected.push(
                    serde_json::to_string(&Entry {
                        r: &r,
                        t: &t,
                        b: &b,
                        w: &w,
                        x: &x,
                    })
                    .unwrap(),
                );
            }
            entries.out.push(b']');
            assert_eq!(
                String::from_utf8(entries.out).unwrap(),
                format!("[{}]", expected.join(","))
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
