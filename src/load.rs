//! Reading a site's `content/` folder into the [`model`](crate::model).
//!
//! Layout, with one board:
//! ```text
//! content/site.yaml                     optional site settings
//! content/board.yaml                    the board
//! content/documents/<slug>/document.yaml
//! content/documents/<slug>/plan.yaml    optional
//! content/documents/<slug>/*.md         narrative sections
//! ```
//! With several boards, each board is a folder `content/boards/<slug>/`
//! holding its own `board.yaml` and `documents/`.
//!
//! Every file is read through [`crate::files`], which refuses symbolic links
//! and paths outside the site, strips a byte-order mark, turns CRLF into LF
//! and reports invalid UTF-8 or an empty file with a position. YAML errors
//! become [`Diagnostic`]s through [`crate::yaml`]. Loading carries on past a
//! bad file so that one build reports every problem.
//!
//! With the previous build's record ([`crate::cache::Reuse`]), every
//! document is fingerprinted before it is read; one unchanged since that
//! build is not read at all, and comes back as a [`ReusedDocument`] with the
//! record's summary of it.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::cache::{BoardPrint, Entry, Member, ReadFiles, Reuse, family_prints};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::files::{check_inside, read_text, text_of};
use crate::model::summary::DocumentSummary;
use crate::model::*;
use crate::slug::{RESERVED_FOLDERS, slugify};
use crate::yaml::parse_yaml;

/// A board with its documents, as read from its folder.
#[derive(Debug)]
pub struct LoadedBoard {
    /// Folder name, used in URLs when a site has several boards.
    pub slug: String,
    /// The board's folder, relative to the site root.
    pub dir: PathBuf,
    /// `board.yaml`, relative to the site root.
    pub file: PathBuf,
    pub board: Board,
    /// Documents read in full, to be checked and rendered.
    pub documents: Vec<LoadedDocument>,
    /// Documents unchanged since the previous build, not read again.
    pub reused: Vec<ReusedDocument>,
    /// When every document is kept: the board's site-wide files from the
    /// previous build, which are then kept as they are.
    pub kept_files: Option<Vec<crate::cache::Output>>,
    /// Otherwise: the board's site-wide files from the previous build and
    /// the summaries they were made from, kept if this build's summaries
    /// come out the same (an edit that changed no summary, such as a
    /// section's wording).
    pub previous: Option<crate::cache::Previous>,
    /// The fingerprint of the board's own files, recorded with its
    /// summaries (`None` for `check`).
    pub board_print: Option<String>,
}

/// A document with its plan and sections, as read.
#[derive(Debug)]
pub struct LoadedDocument {
    pub slug: String,
    pub dir: PathBuf,
    pub document: Document,
    /// `plan.yaml` (relative to the root) and what it says.
    pub plan: Option<(PathBuf, Plan)>,
    /// A report's `progress.yaml` and what it says.
    pub progress: Option<(PathBuf, Progress)>,
    pub sections: Vec<LoadedSection>,
    /// Everything its pages are made from, hashed (see [`crate::cache`]);
    /// `None` when nothing is being written (`check`).
    pub fingerprint: Option<String>,
}

/// A narrative section: a Markdown file's front matter and body.
#[derive(Debug)]
pub struct LoadedSection {
    pub slug: String,
    pub file: PathBuf,
    pub meta: SectionMeta,
    pub body: String,
    /// Line of the file on which the body starts, for error positions.
    pub body_line: usize,
}

/// A document unchanged since the previous build: its pages are kept and
/// the record says what site-wide pages need of it.
#[derive(Debug)]
pub struct ReusedDocument {
    pub slug: String,
    pub entry: Entry,
    /// What pages spanning documents need of it, as the last build made it.
    pub summary: DocumentSummary,
}

/// Where the site's parts live on disk.
pub struct SitePaths {
    pub root: PathBuf,
}

impl SitePaths {
    pub fn content(&self) -> PathBuf {
        self.root.join("content")
    }
}

/// The site's settings and where its boards are, before any board is read.
pub struct SitePlan {
    pub config: SiteConfig,
    /// `site.yaml` as it was read (empty without one), for fingerprints:
    /// the very text the settings came from, even if the file changes later.
    pub config_text: String,
    /// (slug, folder relative to the root) for each board, in name order.
    /// With one board the slug is empty and the folder is `content`.
    pub boards: Vec<(String, PathBuf)>,
}

impl SitePlan {
    /// Several boards get a site index and a folder each; one board's home
    /// is the site's home.
    pub fn is_multi_board(&self) -> bool {
        self.boards.len() > 1
    }
}

/// Read `site.yaml` and find the boards. Each board is then loaded on its
/// own with [`load_board`] (several at once, in parallel), so a national
/// site never sits in memory whole.
/// Returns `None` only when there is no content folder at all.
/// Folders at the root of a multi-board site that are the site's own, so
/// no board may be called so.
const SITE_FOLDERS: [&str; 3] = ["static", "agencies", "tracker"];

pub fn plan_site(paths: &SitePaths, diags: &mut Diagnostics) -> Option<SitePlan> {
    let content = paths.content();
    if !content.is_dir() {
        diags.push(
            Diagnostic::new("content", "there is no `content` folder in the site root").help(
                "run boardpress from the site's folder, pass --root, or create a site with `boardpress init DIR`",
            ),
        );
        return None;
    }
    let loader = Loader {
        root: &paths.root,
        reuse: None,
    };
    let (config, config_text) = loader.site_config(diags);
    let boards = loader.board_folders(diags);
    Some(SitePlan {
        config,
        config_text,
        boards,
    })
}

/// Load one board with its documents, reporting problems to `diags`.
/// With `reuse`, every document is fingerprinted, and one unchanged since the
/// previous build is not read (see [`crate::cache`]).
/// The agencies that more than one board of a multi-board site names with
/// leads in its `board.yaml`, by name (made into a web address: an `id`
/// is the board's own, and boards may give different organisations the
/// same one), for the site's pages spanning boards. Each board file's members are read quickly here,
/// before the boards are loaded in parallel; a board file with a mistake
/// names none, and its own load reports the mistake.
pub fn shared_agencies(
    root: &Path,
    boards: &[(String, PathBuf)],
) -> std::collections::BTreeSet<String> {
    #[derive(serde::Deserialize)]
    struct Members {
        #[serde(default)]
        members: Vec<MemberNames>,
    }
    #[derive(serde::Deserialize)]
    struct MemberNames {
        name: String,
        #[serde(default)]
        leads: Vec<serde::de::IgnoredAny>,
    }
    let mut seen: std::collections::BTreeMap<String, usize> = Default::default();
    for (_, dir) in boards {
        let Ok(text) = read_text(root, &dir.join("board.yaml")) else {
            continue;
        };
        let Some(board) = crate::yaml::peek::<Members>(&text) else {
            continue;
        };
        let mut slugs: Vec<String> = board
            .members
            .into_iter()
            .filter(|m| !m.leads.is_empty())
            .map(|m| slugify(&m.name))
            .collect();
        slugs.sort();
        slugs.dedup();
        for slug in slugs {
            *seen.entry(slug).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(slug, _)| slug)
        .collect()
}

pub fn load_board(
    root: &Path,
    slug: &str,
    dir: &Path,
    reuse: Option<&Reuse>,
    diags: &mut Diagnostics,
) -> Option<LoadedBoard> {
    Loader { root, reuse }.board(dir, slug, diags)
}

struct Loader<'a> {
    root: &'a Path,
    reuse: Option<&'a Reuse<'a>>,
}

/// A document read in full, or kept from the previous build.
// Short-lived, one per document: boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    Full(LoadedDocument),
    Reused(ReusedDocument),
}

impl Loader<'_> {
    /// The site settings, and the text they were read from.
    fn site_config(&self, diags: &mut Diagnostics) -> (SiteConfig, String) {
        let rel = PathBuf::from("content/site.yaml");
        if !self.root.join(&rel).exists() {
            return (SiteConfig::default(), String::new());
        }
        let Some(text) = self.text(&rel, &mut ReadFiles::new(), diags) else {
            return (SiteConfig::default(), String::new());
        };
        let config = parse_yaml(&rel, &text, 0, diags).unwrap_or_default();
        (config, text)
    }

    fn board_folders(&self, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
        let single = PathBuf::from("content");
        let multi = PathBuf::from("content/boards");
        let has_single = self.root.join("content/board.yaml").exists();
        let has_multi = self.root.join(&multi).is_dir();
        match (has_single, has_multi) {
            (true, true) => {
                diags.push(
                    Diagnostic::new("content/boards", "the site has both `content/board.yaml` and a `content/boards/` folder")
                        .help("keep one board in content/board.yaml, or move it into content/boards/<name>/"),
                );
                Vec::new()
            }
            (true, false) => vec![(String::new(), single)],
            (false, true) => {
                let mut boards = self.subfolders(&multi, diags);
                boards.retain(|(name, dir)| {
                    let free = !SITE_FOLDERS.contains(&name.as_str());
                    if !free {
                        diags.push(
                            Diagnostic::new(dir, format!("a board folder cannot be called `{name}`"))
                                .help(format!("the site uses `{name}/` for its own pages; rename the folder, e.g. `{name}-board`")),
                        );
                    }
                    free
                });
                boards
            }
            (false, false) => {
                diags.push(
                    Diagnostic::new("content/board.yaml", "the site has no board: `content/board.yaml` is missing")
                        .help("create content/board.yaml (see docs/content-format.md), or one folder per board under content/boards/"),
                );
                Vec::new()
            }
        }
    }

    fn board(&self, dir: &Path, slug: &str, diags: &mut Diagnostics) -> Option<LoadedBoard> {
        self.misnamed(dir, &["board.yaml", "site.yaml"], diags);
        let file = dir.join("board.yaml");
        if !self.root.join(&file).is_file() {
            diags.push(Diagnostic::new(
                &file,
                "this board folder has no `board.yaml`",
            ));
            return None;
        }
        // The board's files are fingerprinted before they are read, so an
        // edit saved during the build is seen by the next build too.
        let board_print = self.reuse.map(|r| r.board(self.root, slug, dir));
        // Documents are loaded even when board.yaml is broken, so their own
        // mistakes are reported in the same run.
        let board: Option<Board> = self.yaml_file(&file, &mut ReadFiles::new(), diags);
        let board_print = board_print.map(|b| b.with_logo(self.root, dir, board.as_ref()));
        let mut documents = Vec::new();
        let mut reused = Vec::new();
        for doc in self.documents(dir, slug, board_print.as_ref(), diags) {
            match doc {
                Loaded::Full(d) => documents.push(d),
                Loaded::Reused(d) => reused.push(d),
            }
        }
        let kept_files = match (&board_print, documents.is_empty() && !reused.is_empty()) {
            (Some(print), true) => {
                let slugs: Vec<&str> = reused.iter().map(|r| r.slug.as_str()).collect();
                print.kept_board_files(&slugs)
            }
            _ => None,
        };
        let previous = match (&board_print, &kept_files) {
            (Some(print), None) => {
                let slugs: Vec<&str> = (documents.iter().map(|d| d.slug.as_str()))
                    .chain(reused.iter().map(|r| r.slug.as_str()))
                    .collect();
                print.previous(&slugs)
            }
            _ => None,
        };
        let board_print = board_print.and_then(|p| p.board_print());
        Some(LoadedBoard {
            slug: slug.to_string(),
            dir: dir.to_path_buf(),
            file,
            board: board?,
            documents,
            reused,
            kept_files,
            previous,
            board_print,
        })
    }

    /// The board's documents, read in parallel (they are independent), in
    /// folder order, with each one's diagnostics kept in that order.
    fn documents(
        &self,
        dir: &Path,
        board_slug: &str,
        board_print: Option<&BoardPrint>,
        diags: &mut Diagnostics,
    ) -> Vec<Loaded> {
        let docs_dir = dir.join("documents");
        if !self.root.join(&docs_dir).is_dir() {
            return Vec::new();
        }
        let folders: Vec<(String, PathBuf)> = self
            .subfolders(&docs_dir, diags)
            .into_iter()
            .filter(|(slug, dir)| free_folder_name(slug, dir, diags))
            .collect();
        let (prints, read) = match board_print {
            Some(b) => {
                let (prints, read) = self.prints(b, &folders);
                (Some(prints), read)
            }
            None => (None, vec![ReadFiles::new(); folders.len()]),
        };
        let loaded: Vec<(Option<Loaded>, Diagnostics)> = folders
            .into_par_iter()
            .zip(read)
            .enumerate()
            .map(|(i, ((doc_slug, dir), read))| {
                let mut local = Diagnostics::default();
                let doc = match (board_print, &prints) {
                    (Some(board), Some(prints)) => {
                        let print = prints[i].as_deref();
                        let board = (board, board_slug);
                        self.kept_or_loaded(&dir, doc_slug, board, print, read, &mut local)
                    }
                    _ => self
                        .document(&dir, doc_slug, read, &mut local)
                        .map(Loaded::Full),
                };
                (doc, local)
            })
            .collect();
        let mut documents = Vec::new();
        for (doc, local) in loaded {
            diags.merge(local);
            documents.extend(doc);
        }
        documents
    }

    /// Every document's fingerprint, a plan and its reports sharing one
    /// (see [`crate::cache::family_prints`]), and the content files each
    /// one's fingerprint read.
    fn prints(
        &self,
        board: &BoardPrint,
        folders: &[(String, PathBuf)],
    ) -> (Vec<Option<String>>, Vec<ReadFiles>) {
        let own: Vec<(Option<String>, ReadFiles, Option<String>)> = folders
            .par_iter()
            .map(|(slug, dir)| {
                let (print, mut read) = board.own(self.root, dir, slug);
                // The walk follows no link inside the folder; the folder's
                // own path is checked here once, as reading each file
                // would check it, before anything it read is used.
                if check_inside(self.root, dir).is_err() {
                    read.clear();
                }
                let reports_on = self.reports_on(dir, &read);
                (print, read, reports_on)
            })
            .collect();
        let mut read = Vec::with_capacity(own.len());
        let members: Vec<Member> = folders
            .iter()
            .zip(own)
            .map(|((slug, _), (print, files, reports_on))| {
                read.push(files);
                Member {
                    slug,
                    print,
                    reports_on,
                }
            })
            .collect();
        (family_prints(&members), read)
    }

    /// The plan a document reports on, read quickly for its fingerprint;
    /// mistakes in the file are left for the full reading to report.
    fn reports_on(&self, dir: &Path, read: &ReadFiles) -> Option<String> {
        #[derive(serde::Deserialize)]
        struct Links {
            reports_on: Option<Named>,
        }
        #[derive(serde::Deserialize)]
        struct Named {
            plan: String,
        }
        let file = dir.join("document.yaml");
        let text = match read.get(&file) {
            Some(bytes) => text_of(&file, bytes),
            None => read_text(self.root, &file),
        }
        .ok()?;
        // Most documents are plans: don't parse them for a field they lack.
        if !text.contains("reports_on") {
            return None;
        }
        let links: Links = crate::yaml::peek(&text)?;
        links.reports_on.map(|r| r.plan)
    }

    /// Load a document, taking its files from `read` (what fingerprinting
    /// its folder read, see [`Self::prints`]) rather than reading them
    /// again.
    fn document(
        &self,
        dir: &Path,
        slug: String,
        mut read: ReadFiles,
        diags: &mut Diagnostics,
    ) -> Option<LoadedDocument> {
        let read = &mut read;
        self.misnamed(dir, &["document.yaml", "plan.yaml", "progress.yaml"], diags);
        let doc_file = dir.join("document.yaml");
        if !read.contains_key(&doc_file) && !self.root.join(&doc_file).is_file() {
            diags.push(
                Diagnostic::new(&doc_file, "this document folder has no `document.yaml`")
                    .help("every folder under documents/ is a document and needs a document.yaml"),
            );
            return None;
        }
        let document = self.yaml_file::<Document>(&doc_file, read, diags);
        let plan = self.optional_yaml::<Plan>(&dir.join("plan.yaml"), read, diags);
        let progress = self.optional_yaml::<Progress>(&dir.join("progress.yaml"), read, diags);
        let sections = self.sections(dir, read, diags);
        Some(LoadedDocument {
            slug,
            dir: dir.to_path_buf(),
            document: document?,
            plan,
            progress,
            sections,
            fingerprint: None,
        })
    }

    /// Keep a document unchanged since the previous build, or else load it
    /// with its fingerprint for this build's record.
    fn kept_or_loaded(
        &self,
        dir: &Path,
        slug: String,
        (board_print, board_slug): (&BoardPrint, &str),
        print: Option<&str>,
        read: ReadFiles,
        diags: &mut Diagnostics,
    ) -> Option<Loaded> {
        if let Some((entry, summary)) = print.and_then(|p| board_print.kept(board_slug, &slug, p)) {
            return Some(Loaded::Reused(ReusedDocument {
                slug,
                entry,
                summary,
            }));
        }
        self.document(dir, slug, read, diags).map(|mut d| {
            d.fingerprint = print.map(str::to_string);
            Loaded::Full(d)
        })
    }

    fn sections(
        &self,
        dir: &Path,
        read: &mut ReadFiles,
        diags: &mut Diagnostics,
    ) -> Vec<LoadedSection> {
        let mut sections: Vec<LoadedSection> = self
            .files_with_extension(dir, "md", diags)
            .into_iter()
            .filter_map(|file| self.section(&file, read, diags))
            .collect();
        sections.sort_by(|a, b| (a.meta.order, &a.slug).cmp(&(b.meta.order, &b.slug)));
        sections
    }

    fn section(
        &self,
        file: &Path,
        read: &mut ReadFiles,
        diags: &mut Diagnostics,
    ) -> Option<LoadedSection> {
        let text = self.text(file, read, diags)?;
        let Some((front, body, body_line)) = split_front_matter(&text) else {
            diags.push(
                Diagnostic::new(file, "this Markdown file has no front matter")
                    .at(Some(Position::new(1, 1)))
                    .help("start the file with a `---` line, then `title: …` and `order: …`, then another `---` line"),
            );
            return None;
        };
        let meta: SectionMeta = parse_yaml(file, front, 1, diags)?;
        let slug = file.file_stem()?.to_string_lossy().to_string();
        Some(LoadedSection {
            slug: slugify(&slug),
            file: file.to_path_buf(),
            meta,
            body: body.to_string(),
            body_line,
        })
    }

    /// A file that a document may have, with what it says.
    fn optional_yaml<T: DeserializeOwned>(
        &self,
        rel: &Path,
        read: &mut ReadFiles,
        diags: &mut Diagnostics,
    ) -> Option<(PathBuf, T)> {
        if !read.contains_key(rel) && !self.root.join(rel).exists() {
            return None;
        }
        let value = self.yaml_file::<T>(rel, read, diags)?;
        Some((rel.to_path_buf(), value))
    }

    fn yaml_file<T: DeserializeOwned>(
        &self,
        rel: &Path,
        read: &mut ReadFiles,
        diags: &mut Diagnostics,
    ) -> Option<T> {
        let text = self.text(rel, read, diags)?;
        parse_yaml(rel, &text, 0, diags)
    }

    /// A file's text: from `read` if fingerprinting read it, else from disk.
    fn text(&self, rel: &Path, read: &mut ReadFiles, diags: &mut Diagnostics) -> Option<String> {
        let text = match read.remove(rel) {
            Some(bytes) => text_of(rel, &bytes),
            None => read_text(self.root, rel),
        };
        match text {
            Ok(text) => Some(text),
            Err(e) => {
                diags.push(e.into());
                None
            }
        }
    }

    /// Files that look meant for boardpress but would be ignored because of
    /// their spelling (`plan.yml`, `Intro.MD`): report them, don't drop them.
    fn misnamed(&self, dir: &Path, expected: &[&str], diags: &mut Diagnostics) {
        for (name, ft) in self.entries(dir, &mut Diagnostics::default()) {
            if !ft.is_file() {
                continue;
            }
            let lower = name.to_lowercase();
            let wanted = if lower.ends_with(".md") && !name.ends_with(".md") {
                Some(format!("{}.md", &name[..name.len() - 3]))
            } else if let Some(stem) = lower
                .strip_suffix(".yml")
                .or_else(|| lower.strip_suffix(".yaml").filter(|_| lower != name))
            {
                expected
                    .iter()
                    .find(|e| e.trim_end_matches(".yaml") == stem)
                    .map(|e| e.to_string())
            } else {
                None
            };
            if let Some(wanted) = wanted {
                diags.push(
                    Diagnostic::new(
                        dir.join(&name),
                        format!("`{name}` is not read: boardpress looks for `{wanted}`"),
                    )
                    .help(format!("rename the file to `{wanted}`")),
                );
            }
        }
    }

    /// Sub-folders of `dir` (relative), sorted by name, as (slug, path).
    fn subfolders(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
        self.entries(dir, diags)
            .into_iter()
            .filter(|(_, ft)| ft.is_dir())
            .filter_map(|(name, _)| {
                let slug = slugify(&name);
                if slug != name {
                    diags.push(
                        Diagnostic::new(
                            dir.join(&name),
                            format!("the folder name `{name}` cannot be used in a web address"),
                        )
                        .help(format!(
                            "rename the folder to `{slug}` (lower-case letters, digits and hyphens)"
                        )),
                    );
                    return None;
                }
                Some((name.clone(), dir.join(name)))
            })
            .collect()
    }

    fn files_with_extension(&self, dir: &Path, ext: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
        self.entries(dir, diags)
            .into_iter()
            .filter(|(name, ft)| ft.is_file() && name.ends_with(&format!(".{ext}")))
            .map(|(name, _)| dir.join(name))
            .collect()
    }

    /// Directory entries sorted by name; symbolic links are reported, not followed.
    fn entries(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, fs::FileType)> {
        let read = match fs::read_dir(self.root.join(dir)) {
            Ok(read) => read,
            Err(e) => {
                diags.push(Diagnostic::new(
                    dir,
                    format!("cannot read this folder: {e}"),
                ));
                return Vec::new();
            }
        };
        let mut entries = Vec::new();
        for entry in read.flatten() {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                diags.push(not_utf8_name(dir, &entry.file_name()));
                continue;
            };
            let Ok(ft) = entry.file_type() else { continue };
            if name.starts_with('.') {
                continue;
            }
            if ft.is_symlink() {
                diags.push(
                    Diagnostic::new(dir.join(&name), "symbolic links are not followed")
                        .help("copy the file or folder into the site instead of linking to it"),
                );
                continue;
            }
            entries.push((name, ft));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }
}

/// A document folder may not take a name the site uses for its own pages.
fn free_folder_name(slug: &str, dir: &Path, diags: &mut Diagnostics) -> bool {
    let free = !RESERVED_FOLDERS.contains(&slug);
    if !free {
        diags.push(
            Diagnostic::new(dir, format!("a document folder cannot be called `{slug}`"))
                .help(format!("the site uses `{slug}/` for its own pages; rename the folder, e.g. `{slug}-2025`")),
        );
    }
    free
}

/// Split `---` front matter from a Markdown file: (front, body, body's first line).
pub fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let end = if rest.starts_with("---\n") || rest == "---" {
        0
    } else {
        rest.find("\n---\n")
            .map(|i| i + 1)
            .or_else(|| rest.ends_with("\n---").then(|| rest.len() - 3))?
    };
    let front = &rest[..end];
    let body = rest[end..].strip_prefix("---").unwrap_or("");
    let body = body.strip_prefix('\n').unwrap_or(body);
    let body_line = front.matches('\n').count() + 3;
    Some((front, body, body_line))
}

/// A file or folder whose name is not UTF-8 text (made by an old program,
/// or copied from a disk in another encoding): it cannot be named in a web
/// address, so it is an error, with the bytes that are not text shown.
fn not_utf8_name(dir: &Path, name: &std::ffi::OsStr) -> Diagnostic {
    let shown = name.to_string_lossy().to_string();
    let escaped: String = name
        .as_encoded_bytes()
        .utf8_chunks()
        .map(|chunk| {
            let bad: String = chunk
                .invalid()
                .iter()
                .map(|b| format!("\\x{b:02X}"))
                .collect();
            format!("{}{bad}", chunk.valid())
        })
        .collect();
    Diagnostic::new(
        dir.join(&shown),
        format!(
            "the name `{escaped}` is not valid text (UTF-8), so it cannot be part of a web address"
        ),
    )
    .help("rename it using letters, digits and hyphens, e.g. in File Explorer or Finder")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let (front, body, line) =
            split_front_matter("---\ntitle: A\norder: 1\n---\n# Hi\n").unwrap();
        assert_eq!(front, "title: A\norder: 1\n");
        assert_eq!(body, "# Hi\n");
        assert_eq!(line, 5);
        assert!(split_front_matter("# no front matter").is_none());
    }
}
