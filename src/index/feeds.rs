//! `sitemap.xml` and the Atom feed `feed.xml`, made only when `site.yaml`
//! gives the site's public address (`url:`), since both need full web
//! addresses.
//!
//! The sitemap lists every web page the build made or kept (not the 404
//! page). The feed has an entry per document with a
//! date: its `published` date, else its `as_at`; a document with neither is
//! left out, and the feed's own `updated` is its newest entry's, so neither
//! file ever depends on the clock.

use crate::model::summary::DocumentSummary;
use crate::render::{OutputFile, markdown};
use crate::timescale::Date;

pub const SITEMAP: &str = "sitemap.xml";
pub const FEED: &str = "feed.xml";

/// A document as the feed gives it.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub board: String,
    pub title: String,
    /// The document's page from the site root.
    pub path: String,
    pub updated: Date,
    /// Plain text.
    pub summary: Option<String>,
}

/// A board's entries, `prefix` being its folder from the site root.
pub fn entries(board: &str, prefix: &str, documents: &[DocumentSummary]) -> Vec<FeedEntry> {
    documents
        .iter()
        .filter_map(|d| {
            Some(FeedEntry {
                board: board.to_string(),
                title: d.title.clone(),
                path: format!("{prefix}{}/index.html", d.slug),
                updated: d.updated.or(d.published).map(|d| d.date).or(d.as_at)?,
                summary: d.summary.as_deref().map(markdown::plain),
            })
        })
        .collect()
}

/// Text escaped for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// `sitemap.xml`: every page in `pages` (paths from the site root), in
/// path order, under `base` (ending in `/`).
pub fn sitemap(base: &str, pages: &[String]) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut pages: Vec<&String> = pages
        .iter()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    pages.sort();
    pages.dedup();
    for page in pages {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{page}"))
        ));
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: SITEMAP.into(),
        bytes: xml.into_bytes(),
    }
}

/// `feed.xml`: the documents newest first, or nothing without any dated
/// document (a feed must say when it was last updated).
pub fn feed(base: &str, title: &str, entries: &[FeedEntry]) -> Option<OutputFile> {
    let mut entries: Vec<&FeedEntry> = entries.iter().collect();
    entries.sort_by(|a, b| {
        (b.updated, &a.path)
            .cmp(&(a.updated, &b.path))
            .then_with(|| a.title.cmp(&b.title))
    });
    let newest = entries.first()?.updated;
    let stamp = |d: Date| format!("{d}T00:00:00Z");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    let e = xml_escape;
    xml.push_str(&format!("  <title>{}</title>\n", e(title)));
    xml.push_str(&format!("  <id>{}</id>\n", e(base)));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}index.html\"/>\n",
        e(base)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{FEED}\"/>\n",
        e(base)
    ));
    xml.push_str(&format!("  <updated>{}</updated>\n", stamp(newest)));
    for entry in entries {
        let url = e(&format!("{base}{}", entry.path));
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", e(&entry.title)));
        xml.push_str(&format!("    <id>{url}</id>\n"));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"
        ));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            stamp(entry.updated)
        ));
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            e(&entry.board)
        ));
        if let Some(summary) = &entry.summary {
            xml.push_str(&format!("    <summary>{}</summary>\n", e(summary)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Some(OutputFile {
        path: FEED.into(),
        bytes: xml.into_bytes(),
    })
}
