//! Chromium's PDF brought up to WeasyPrint's. Chromium cannot number the
//! contents (CSS `target-counter`), so the print version is printed, the
//! page each contents entry's target fell on is read back from the PDF's
//! named destinations, and it is printed again with those numbers written
//! in. The numbers take the room their placeholders took, so the pages do
//! not move; if they do, another pass settles them. Chromium also leaves
//! the author and subject out of the PDF's properties: they are added.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Duration;

use super::reader::{self, Pdf};
use super::{Engine, run_engine};
use crate::render::PrintJob;

/// Passes after the first, at most, for the numbers to settle.
const MORE_PASSES: usize = 2;

/// Print `source` to `target` with numbered contents and full metadata;
/// the words say what could not be done, when something could not.
pub(super) fn print(
    engine: &Engine,
    job: &PrintJob,
    source: &Path,
    target: &Path,
    log: &Path,
    timeout: Duration,
) -> Result<Option<String>, String> {
    let html = fs::read_to_string(source)
        .map_err(|e| format!("could not read {}: {e}", source.display()))?;
    let targets = contents_targets(&html);
    let pass = source.with_file_name(format!("{}.pdf-pass.html", job.slug));
    let result = passes(engine, &html, &targets, &pass, target, log, timeout);
    let _ = fs::remove_file(&pass);
    let note = result?;
    let bytes = fs::read(target).map_err(|e| format!("could not read the PDF back: {e}"))?;
    // The title Chromium took from the page's <title> stays, as WeasyPrint's does.
    let fields = [
        ("Author", job.author.as_str()),
        ("Subject", job.subject.as_str()),
    ];
    let with_info = Pdf::open(&bytes).and_then(|pdf| reader::with_info(&pdf, &bytes, &fields));
    match with_info {
        Some(updated) => {
            fs::write(target, updated).map_err(|e| format!("could not write the PDF: {e}"))?;
            Ok(note)
        }
        None => Ok(Some(join(
            note,
            "its author and subject could not be added",
        ))),
    }
}

fn passes(
    engine: &Engine,
    html: &str,
    targets: &[String],
    pass: &Path,
    target: &Path,
    log: &Path,
    timeout: Duration,
) -> Result<Option<String>, String> {
    if targets.is_empty() {
        return run_engine(engine, write(pass, html)?, target, log, timeout).map(|()| None);
    }
    let mut numbers: BTreeMap<String, String> =
        targets.iter().map(|t| (t.clone(), "00".into())).collect();
    for _ in 0..=MORE_PASSES {
        let page = with_numbers(html, &numbers);
        run_engine(engine, write(pass, &page)?, target, log, timeout)?;
        let Some(found) = read_pages(target) else {
            return Ok(Some(
                "its contents have no page numbers: the first pass's PDF could not be read".into(),
            ));
        };
        let next: BTreeMap<String, String> = targets
            .iter()
            .map(|t| {
                let page = found.get(t).map_or(String::new(), usize::to_string);
                (t.clone(), page)
            })
            .collect();
        if next == numbers {
            return Ok(None);
        }
        numbers = next;
    }
    Ok(Some(
        "its contents' page numbers may be off by a page: they did not settle".into(),
    ))
}

fn write<'p>(path: &'p Path, html: &str) -> Result<&'p Path, String> {
    fs::write(path, html).map_err(|e| format!("could not write {}: {e}", path.display()))?;
    Ok(path)
}

fn read_pages(pdf: &Path) -> Option<BTreeMap<String, usize>> {
    let bytes = fs::read(pdf).ok()?;
    Pdf::open(&bytes)?.destination_pages()
}

fn join(note: Option<String>, more: &str) -> String {
    match note {
        Some(n) => format!("{n}; {more}"),
        None => more.to_string(),
    }
}

/// The ids the contents list links to, in order.
fn contents_targets(html: &str) -> Vec<String> {
    let Some(start) = html.find("<nav class=\"contents\"") else {
        return Vec::new();
    };
    let nav = &html[start..];
    let nav = &nav[..nav.find("</nav>").unwrap_or(nav.len())];
    nav.split("href=\"#")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The page with each contents entry's page number written after
/// it, behind a dotted leader, as WeasyPrint draws them.
fn with_numbers(html: &str, numbers: &BTreeMap<String, String>) -> String {
    let mut css = String::from(
        ".contents li > a { display: flex; align-items: baseline; }\n\
         .contents li > a::before { content: \"\"; order: 1; flex: 1 1 auto; min-width: 6mm; margin: 0 1.5mm; border-bottom: 1pt dotted #505a5f; }\n\
         .contents li > a::after { order: 2; font-variant-numeric: tabular-nums; }\n",
    );
    for (id, page) in numbers {
        css.push_str(&format!(
            ".contents li > a[href=\"#{}\"]::after {{ content: \"{}\"; }}\n",
            css_escape(id),
            page
        ));
    }
    let style = format!("<style>\n{css}</style>\n");
    match html.find("</head>") {
        Some(at) => format!("{}{style}{}", &html[..at], &html[at..]),
        None => format!("{style}{html}"),
    }
}

/// An id inside a CSS string: anything but letters, digits, `-` and `_`
/// written as a CSS escape.
fn css_escape(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_string()
            } else {
                format!("\\{:x} ", c as u32)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contents_targets_are_read_in_order() {
        let html = "<a href=\"#x\">no</a><nav class=\"contents\" aria-labelledby=\"c\"><ol>\
            <li><a href=\"#plan\">Plan</a><ol><li><a href=\"#pia1\">One</a></li></ol></li>\
            </ol></nav><a href=\"#y\">no</a>";
        assert_eq!(contents_targets(html), ["plan", "pia1"]);
    }

    #[test]
    fn numbers_go_in_a_style_before_the_head_ends() {
        let numbers = BTreeMap::from([("pia1".to_string(), "7".to_string())]);
        let page = with_numbers("<head><title>t</title></head><body></body>", &numbers);
        let style = &page[page.find("<style>").unwrap()..page.find("</head>").unwrap()];
        assert!(
            style.contains("a[href=\"#pia1\"]::after { content: \"7\"; }"),
            "{style}"
        );
        assert_eq!(css_escape("a\"b"), "a\\22 b");
    }
}
