//! Validation: the loaded model becomes the [checked model](crate::model::checked).
//!
//! Each rule pushes a [`Diagnostic`] and carries on, so a build reports every
//! problem at once. What passes is returned as checked types the renderer
//! uses as they are: nothing after this stage parses text or checks a rule.
//! A document whose own heading facts are wrong (an unreadable period) is
//! left out of the checked board once its mistakes are reported.
//!
//! To add a rule: write a function taking the item and the diagnostics,
//! call it from the walk in this module or in [`document`], and add a row
//! to the bad-input table in `tests/errors.rs`.

mod directory;
mod document;
mod report;

pub use document::plan_terms;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, did_you_mean, pos};
use crate::files::{check_inside, display_path};
use crate::load::LoadedBoard;
use crate::model::checked::{self, StandardRef};
use crate::model::{AccessibilityInfo, Board, Principle, Spanned};
use crate::slug::slugify;

/// Check one board and the documents loaded in full.
pub fn validate_board(root: &Path, loaded: LoadedBoard, diags: &mut Diagnostics) -> checked::Board {
    let LoadedBoard {
        slug,
        dir,
        file,
        board,
        documents,
        ..
    } = loaded;
    let frameworks = Frameworks::check(&board, &file, diags);
    let principles_framework = frameworks.pick(board.principles_framework.as_ref(), &file, diags);
    let principles = board
        .principles
        .iter()
        .map(|p| principle(p, principles_framework, &frameworks, &file, diags))
        .collect();
    for member in &board.members {
        if let Some(url) = &member.url {
            check_url(url, &file, diags);
        }
    }
    let directory = directory::directory(&board, &file, diags);
    let logo = board
        .logo
        .as_ref()
        .and_then(|l| check_asset(root, &dir.join(&l.value), &file, pos(l), diags));
    let accessibility = board
        .accessibility
        .as_ref()
        .map(|a| accessibility(a, &file, diags))
        .unwrap_or_default();
    let mut checked_docs = Vec::new();
    let mut reports = Vec::new();
    for d in documents {
        if let Some((doc, pending)) = document::check(d, &frameworks, diags) {
            reports.extend(pending.map(|p| (checked_docs.len(), p)));
            checked_docs.push(doc);
        }
    }
    let reporting: Vec<usize> = reports.iter().map(|(i, _)| *i).collect();
    report::attach(&mut checked_docs, reports, (root, &dir), diags);
    for (i, doc) in checked_docs.iter().enumerate() {
        report::statutory_topics(doc, reporting.contains(&i), diags);
    }
    checked::Board {
        slug,
        file,
        name: board.name,
        short_name: board.short_name,
        areas: board.areas.0,
        vision: board.vision,
        principles_title: board
            .principles_title
            .unwrap_or_else(|| "Principles".into()),
        principles,
        directory,
        members: board.members,
        structure_intro: board.structure_intro,
        structure: board.structure,
        glossary: board.glossary,
        frameworks: board.standards,
        logo,
        allow_raw_html: board.allow_raw_html,
        accessibility,
        documents: checked_docs,
    }
}

/// A file an author points at (a logo): inside the site and present.
fn check_asset(
    root: &Path,
    rel: &Path,
    from: &Path,
    at: Option<Position>,
    diags: &mut Diagnostics,
) -> Option<PathBuf> {
    let problem = match check_inside(root, rel) {
        Err(e) => Some((e.message, e.help.unwrap_or_default())),
        Ok(()) if !root.join(rel).is_file() => Some((
            format!("the file `{}` does not exist", display_path(rel)),
            "put the file there or correct the path (it is relative to the YAML file's folder)"
                .into(),
        )),
        Ok(()) => None,
    };
    match problem {
        Some((message, help)) => {
            diags.push(Diagnostic::new(from, message).at(at).help(help));
            None
        }
        None => Some(rel.to_path_buf()),
    }
}

fn principle(
    p: &Principle,
    framework: Option<usize>,
    frameworks: &Frameworks,
    file: &Path,
    diags: &mut Diagnostics,
) -> checked::Principle {
    if p.lead.is_none() && p.text.is_none() {
        diags.push(
            Diagnostic::new(file, "a principle has neither `lead` nor `text`")
                .help("give the principle its wording in `text`"),
        );
    }
    checked::Principle {
        lead: p.lead.clone(),
        text: p.text.clone(),
        standards: frameworks.refs(&p.standards, framework, file, "principles_framework", diags),
        items: p
            .items
            .iter()
            .map(|i| principle(i, framework, frameworks, file, diags))
            .collect(),
    }
}

/// `url:` in site.yaml: the site's public address, ending in `/`, or
/// `None` (with an error unless absent) when it is not a web address.
pub fn site_url(config: &crate::model::SiteConfig, diags: &mut Diagnostics) -> Option<String> {
    let url = config.url.as_ref()?;
    let file = Path::new("content/site.yaml");
    let before = diags.len();
    check_url(url, file, diags);
    if diags.len() != before {
        return None;
    }
    let text = url.value.trim();
    if text.to_lowercase().starts_with("mailto:") || text.contains(['?', '#']) {
        diags.push(
            Diagnostic::new(file, format!("`{}` is not the address of a website", url.value))
                .at(pos(url))
                .help("give the address of the site's home folder, e.g. https://www.exampleshire.gov.uk/safeguarding/"),
        );
        return None;
    }
    Some(if text.ends_with('/') {
        text.to_string()
    } else {
        format!("{text}/")
    })
}

/// `accessibility:` in board.yaml: a contact that is an email or web
/// address, a real date, a web address for the council's statement.
fn accessibility(
    a: &AccessibilityInfo,
    file: &Path,
    diags: &mut Diagnostics,
) -> checked::Accessibility {
    let contact = a.contact.as_ref().and_then(|c| {
        let text = c.value.trim();
        let email = !text.contains(':') && text.contains('@');
        if email {
            let (user, domain) = text.split_once('@').unwrap_or_default();
            let ok = !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(|ch| {
                    ch.is_whitespace() || ch.is_control() || "\"<>`,;()[]\\".contains(ch)
                })
                && text.matches('@').count() == 1;
            if !ok {
                diags.push(
                    Diagnostic::new(file, format!("`{}` is not an email address", c.value))
                        .at(pos(c))
                        .help("write the address as name@example.gov.uk, or give a web address starting https://"),
                );
                return None;
            }
            return Some((text.to_string(), format!("mailto:{text}")));
        }
        let before = diags.len();
        check_url(c, file, diags);
        let contact = text.strip_prefix("mailto:").unwrap_or(text);
        (diags.len() == before).then(|| (contact.to_string(), text.to_string()))
    });
    let last_reviewed = a.last_reviewed.as_ref().and_then(|d| {
        let date = crate::timescale::Date::parse_iso(d.value.trim());
        if date.is_none() {
            diags.push(
                Diagnostic::new(file, format!("`{}` is not a date", d.value))
                    .at(pos(d))
                    .help("write dates as year-month-day, e.g. 2026-03-31"),
            );
        }
        date
    });
    let council_statement = a.council_statement.as_ref().and_then(|u| {
        let before = diags.len();
        check_url(u, file, diags);
        (diags.len() == before).then(|| u.value.trim().to_string())
    });
    checked::Accessibility {
        contact,
        last_reviewed,
        known_issues: a.known_issues.clone(),
        council_statement,
        tested: a.tested.clone(),
    }
}

fn check_url(url: &Spanned<String>, file: &Path, diags: &mut Diagnostics) {
    let bad = url
        .value
        .trim()
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'));
    if let Some(c) = bad {
        let what = if c.is_whitespace() {
            "a space".to_string()
        } else {
            format!("`{c}`")
        };
        diags.push(
            Diagnostic::new(
                file,
                format!("the web address `{}` contains {what}", url.value),
            )
            .at(pos(url))
            .help("copy the address from the browser's address bar; a space is written %20"),
        );
        return;
    }
    let lower = url.value.trim().to_lowercase();
    if !(lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:"))
    {
        diags.push(
            Diagnostic::new(file, format!("`{}` is not a web address", url.value))
                .at(pos(url))
                .help("write the full address, starting https://"),
        );
    }
}

/// The board's standards frameworks: each one's id and standard numbers,
/// in the board's order.
struct Frameworks(Vec<(String, Vec<String>)>);

impl Frameworks {
    fn check(board: &Board, file: &Path, diags: &mut Diagnostics) -> Frameworks {
        let mut ids = IdSet::default();
        let mut out = Vec::new();
        for fw in &board.standards {
            if !ids.insert(&fw.id, file, "standards framework", diags) {
                // A repeated framework keeps its place, so indexes stay
                // those of `board.standards`, but nothing resolves to it.
                out.push((String::new(), Vec::new()));
                continue;
            }
            let mut seen = IdSet::default();
            for s in &fw.standards {
                seen.insert(&s.number, file, "standard number", diags);
            }
            let numbers = fw
                .standards
                .iter()
                .map(|s| s.number.value.clone())
                .collect();
            out.push((fw.id.value.clone(), numbers));
        }
        Frameworks(out)
    }

    fn ids(&self) -> Vec<&str> {
        self.0
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| !id.is_empty())
            .collect()
    }

    /// The framework that standard references resolve against: the one
    /// named, or the board's only framework.
    fn pick(
        &self,
        named: Option<&Spanned<String>>,
        file: &Path,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        match named {
            Some(id) => {
                let found = self.0.iter().position(|(f, _)| *f == id.value);
                if found.is_none() {
                    diags.push(unknown_ref(file, id, "standards framework", &self.ids()));
                }
                found
            }
            None if self.0.len() == 1 => Some(0),
            None => None,
        }
    }

    /// Resolve citations of standards; `field` is the setting that names
    /// the framework, for the help.
    fn refs(
        &self,
        refs: &[Spanned<String>],
        framework: Option<usize>,
        file: &Path,
        field: &str,
        diags: &mut Diagnostics,
    ) -> Vec<StandardRef> {
        let Some(first) = refs.first() else {
            return Vec::new();
        };
        let Some(fw) = framework else {
            let help = if self.0.is_empty() {
                "add the framework and its numbered standards under `standards:` in board.yaml"
                    .to_string()
            } else {
                format!(
                    "name the framework with `{field}` (one of: {})",
                    self.ids().join(", ")
                )
            };
            diags.push(
                Diagnostic::new(
                    file,
                    "standards are cited but no standards framework applies",
                )
                .at(pos(first))
                .help(help),
            );
            return Vec::new();
        };
        let (id, numbers) = &self.0[fw];
        let mut out = Vec::new();
        for r in refs {
            match numbers.iter().position(|n| *n == r.value) {
                Some(standard) => out.push(StandardRef {
                    framework: fw,
                    standard,
                }),
                None => diags.push(
                    Diagnostic::new(
                        file,
                        format!("standard `{}` is not in the `{id}` framework", r.value),
                    )
                    .at(pos(r))
                    .help(format!(
                        "the framework's standards are: {}",
                        numbers.join(", ")
                    )),
                ),
            }
        }
        out
    }
}

/// Ids seen so far in one scope, with where each was first written.
/// A hash map: it is only asked whether it holds an id (every milestone's,
/// in a sorted map, was 1% of a national build), never listed.
#[derive(Default)]
struct IdSet {
    seen: ahash::AHashMap<String, (Arc<Path>, Option<Position>)>,
    /// The file of the last id: ids come a file at a time, so each shares
    /// its file's name rather than copying it.
    file: Option<Arc<Path>>,
}

impl IdSet {
    /// Names the page keeps for itself, which nothing may take.
    fn reserve(&mut self, id: impl Into<String>) {
        self.seen
            .insert(id.into(), (Arc::from(Path::new("the page itself")), None));
    }

    fn shared(&mut self, file: &Path) -> Arc<Path> {
        match &self.file {
            Some(last) if last.as_os_str() == file.as_os_str() => last.clone(),
            _ => self.file.insert(Arc::from(file)).clone(),
        }
    }

    /// Add an id; a repeat is reported and gives `false`.
    fn insert(
        &mut self,
        id: &Spanned<String>,
        file: &Path,
        what: &str,
        diags: &mut Diagnostics,
    ) -> bool {
        if let Some((first_file, first)) = self.seen.get(&id.value) {
            let at = display_path(first_file);
            let line = first.map(|p| format!(":{}", p.line)).unwrap_or_default();
            diags.push(
                Diagnostic::new(file, format!("duplicate {what} id `{}`", id.value))
                    .at(pos(id))
                    .help(format!(
                        "it is first used at {at}{line}; give each {what} its own id"
                    )),
            );
            return false;
        }
        let file = self.shared(file);
        self.seen.insert(id.value.clone(), (file, pos(id)));
        true
    }

    /// Register a name that has no span (a section's file name).
    fn insert_plain(&mut self, id: &str, file: &Path, diags: &mut Diagnostics) {
        if self.seen.contains_key(id) {
            diags.push(
                Diagnostic::new(
                    file,
                    format!("the section name `{id}` is already used on the document's page"),
                )
                .help(format!(
                    "rename the file, e.g. with a number in front: `10-{id}.md`"
                )),
            );
        } else {
            let file = self.shared(file);
            self.seen.insert(id.to_string(), (file, None));
        }
    }
}

/// An id that must be usable as a web address and an HTML id.
fn check_slug(id: &Spanned<String>, file: &Path, diags: &mut Diagnostics) {
    let slug = slugify(&id.value);
    if slug != id.value {
        diags.push(
            Diagnostic::new(
                file,
                format!("the id `{}` cannot be used in a web address", id.value),
            )
            .at(pos(id))
            .help(format!(
                "use lower-case letters, digits and hyphens, e.g. `{slug}`"
            )),
        );
    }
}

fn unknown_ref(file: &Path, r: &Spanned<String>, what: &str, known: &[&str]) -> Diagnostic {
    let help = did_you_mean(&r.value, known).unwrap_or_else(|| match known {
        [] => format!("no {what} is defined; define it first"),
        _ => format!("the known ids are: {}", known.join(", ")),
    });
    Diagnostic::new(file, format!("unknown {what} `{}`", r.value))
        .at(pos(r))
        .help(help)
}
