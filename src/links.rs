//! `boardpress check --links`: every link, anchor and asset reference in
//! the built pages, checked against the built site.
//!
//! Links written in Markdown are already checked where they are written
//! (with the file, line and column); this check covers everything else a
//! page holds, above all what the theme's templates make: menus, contents
//! lists, tracker views, data downloads, stylesheets, scripts and images.
//! Pages are read with html5gum, a tokenizer that follows the HTML
//! standard, so a link is found wherever a browser would find it.

use std::collections::{BTreeMap, BTreeSet};

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// The attributes that name another file or a place in one, by tag.
const REFERENCES: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("use", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("script", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("track", "src"),
    ("object", "data"),
    ("form", "action"),
];

/// One broken reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page holding it, as a path in the site.
    pub page: String,
    /// The reference as written, and where (`<a href>`).
    pub target: String,
    pub element: String,
    /// What is wrong with it.
    pub why: String,
    /// How many times the page holds it.
    pub times: usize,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let times = match self.times {
            1 => String::new(),
            n => format!(" ({n} times)"),
        };
        write!(
            f,
            "error: {}: broken {} \"{}\"{times}: {}",
            self.page, self.element, self.target, self.why
        )
    }
}

/// What the check found.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    /// References followed (links, anchors and assets).
    pub checked: usize,
    pub broken: Vec<Broken>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in &self.broken {
            writeln!(f, "{b}")?;
        }
        let n = self.broken.len();
        write!(
            f,
            "\n{n} broken link{} found in the {} page{} that would be built.",
            if n == 1 { "" } else { "s" },
            self.pages,
            if self.pages == 1 { "" } else { "s" }
        )
    }
}

/// Gathers the whole built site in memory, for the check.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<BTreeMap<String, Vec<u8>>>);

impl Collect {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl crate::render::Sink for Collect {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }

    /// Only a rebuild keeps files, and the check renders every file.
    fn keep(&self, _: &str) {}

    /// The check keeps no records.
    fn put_record(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn keep_record(&self, _: &str) {}
}

/// A reference found in a page.
struct Reference {
    element: String,
    target: String,
}

/// What a page holds: the ids a link may point at, and its references.
#[derive(Default)]
struct Scan {
    ids: BTreeSet<String>,
    references: Vec<Reference>,
}

/// Check every reference in the site's HTML pages and stylesheets.
/// `files` is the whole built site, by path.
pub fn check(files: &BTreeMap<String, Vec<u8>>) -> Report {
    let scans: BTreeMap<&str, Scan> = files
        .iter()
        .filter_map(|(path, bytes)| {
            let scan = match extension(path) {
                "html" => scan_html(bytes),
                "css" => scan_css(bytes),
                _ => return None,
            };
            Some((path.as_str(), scan))
        })
        .collect();
    let mut report = Report {
        pages: scans.keys().filter(|p| extension(p) == "html").count(),
        ..Default::default()
    };
    for (page, scan) in &scans {
        let mut found: Vec<Broken> = Vec::new();
        for r in &scan.references {
            report.checked += 1;
            let Some(why) = problem(page, &r.target, files, &scans) else {
                continue;
            };
            match found
                .iter_mut()
                .find(|b| b.target == r.target && b.element == r.element)
            {
                Some(b) => b.times += 1,
                None => found.push(Broken {
                    page: page.to_string(),
                    target: r.target.clone(),
                    element: r.element.clone(),
                    why,
                    times: 1,
                }),
            }
        }
        report.broken.extend(found);
    }
    report
}

fn extension(path: &str) -> &str {
    path.rsplit_once('.').map_or("", |(_, ext)| ext)
}

/// The ids and references of one page.
fn scan_html(bytes: &[u8]) -> Scan {
    let mut emitter = DefaultEmitter::default();
    // Script and style bodies are text, not markup, as in a browser.
    emitter.naively_switch_states(true);
    let mut scan = Scan::default();
    for token in Tokenizer::new_with_emitter(bytes, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        for (attr, value) in &tag.attributes {
            let attr = String::from_utf8_lossy(attr).to_ascii_lowercase();
            let value = String::from_utf8_lossy(&value.value).to_string();
            if attr == "id" || (name == "a" && attr == "name") {
                scan.ids.insert(value);
                continue;
            }
            let refers = REFERENCES.iter().any(|(t, a)| {
                *t == name && (*a == attr || (name == "use" && attr == "xlink:href"))
            });
            if !refers {
                continue;
            }
            let element = format!("<{name} {attr}>");
            let targets = match attr.as_str() {
                "srcset" => srcset(&value),
                _ => vec![value.trim().to_string()],
            };
            scan.references
                .extend(targets.into_iter().map(|target| Reference {
                    element: element.clone(),
                    target,
                }));
        }
    }
    scan
}

/// The addresses in a `srcset` ("a.png 1x, b.png 2x").
fn srcset(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The `url(…)` references of a stylesheet (and of `@import`).
fn scan_css(bytes: &[u8]) -> Scan {
    let text = String::from_utf8_lossy(bytes);
    let mut scan = Scan::default();
    let mut rest: &str = &text;
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = rest[..end].trim().trim_matches(['"', '\'']).to_string();
        scan.references.push(Reference {
            element: "url()".to_string(),
            target,
        });
        rest = &rest[end..];
    }
    scan
}

/// What is wrong with `target` on `page`, if anything.
fn problem(
    page: &str,
    target: &str,
    files: &BTreeMap<String, Vec<u8>>,
    scans: &BTreeMap<&str, Scan>,
) -> Option<String> {
    if target.is_empty() || leaves_for_another_site(target) {
        return None;
    }
    let (address, fragment) = match target.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (target, None),
    };
    let path = address.split('?').next().unwrap_or_default();
    let file = match path {
        "" => page.to_string(),
        _ => match resolve(page, path) {
            Some(file) => file,
            None => return Some("it points outside the site".to_string()),
        },
    };
    if !files.contains_key(&file) {
        return Some(format!("there is no file {file} in the site"));
    }
    let fragment = percent_encoding::percent_decode_str(fragment?)
        .decode_utf8_lossy()
        .to_string();
    if fragment.is_empty() || extension(&file) != "html" {
        return None;
    }
    let ids = &scans.get(file.as_str())?.ids;
    match ids.contains(&fragment) {
        true => None,
        false => Some(format!("{file} has no element with id=\"{fragment}\"")),
    }
}

/// A link with a scheme (`https:`, `mailto:`, `data:`) or to another host
/// (`//host/…`): not this site's to check.
fn leaves_for_another_site(target: &str) -> bool {
    if target.starts_with("//") {
        return true;
    }
    let scheme = target.split(':').next().unwrap_or_default();
    target.contains(':')
        && !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The site path a link on `page` names: relative to the page's folder, or
/// to the site's root when it starts with `/`; a folder means its
/// `index.html`. `None` when it climbs out of the site.
fn resolve(page: &str, path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut parts: Vec<&str> = match decoded.starts_with('/') {
        true => Vec::new(),
        false => page.split('/').collect(),
    };
    if !decoded.starts_with('/') {
        parts.pop();
    }
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    if decoded.ends_with('/') || parts.is_empty() {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages
            .iter()
            .map(|(p, html)| (p.to_string(), html.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn links_resolve_against_the_page_folder_or_the_root() {
        assert_eq!(
            resolve("a/b/index.html", "../c.html").as_deref(),
            Some("a/c.html")
        );
        assert_eq!(
            resolve("a/index.html", "./").as_deref(),
            Some("a/index.html")
        );
        assert_eq!(
            resolve("a/index.html", "/x/").as_deref(),
            Some("x/index.html")
        );
        assert_eq!(resolve("a/index.html", "../../x.html"), None);
        assert_eq!(
            resolve("index.html", "a%20b.png").as_deref(),
            Some("a b.png")
        );
    }

    #[test]
    fn broken_links_anchors_and_assets_are_named_with_their_page() {
        let files = site(&[
            (
                "index.html",
                r##"<a href="plan/index.html#p1">ok</a><a href="plan/index.html#nope">x</a>
                <a href="gone.html">x</a><a href="gone.html">again</a><img src="logo.png" alt="">
                <a href="https://example.org/">out</a><a href="mailto:a@b.c">mail</a><a href="#top">top</a>
                <script>var s = '<a href="not-a-link.html">';</script><p id="top"></p>"##,
            ),
            (
                "plan/index.html",
                r#"<h2 id="p1">P1</h2><link rel="stylesheet" href="../style.css">"#,
            ),
            ("style.css", "body { background: url('missing.png') }"),
        ]);
        let report = check(&files);
        let shown: Vec<String> = report.broken.iter().map(|b| b.to_string()).collect();
        assert_eq!(
            shown,
            [
                "error: index.html: broken <a href> \"plan/index.html#nope\": plan/index.html has no element with id=\"nope\"",
                "error: index.html: broken <a href> \"gone.html\" (2 times): there is no file gone.html in the site",
                "error: index.html: broken <img src> \"logo.png\": there is no file logo.png in the site",
                "error: style.css: broken url() \"missing.png\": there is no file missing.png in the site",
            ]
        );
        assert_eq!(report.pages, 2);
    }
}
