//! Reusing unchanged documents from the previous build.
//!
//! Most rebuilds follow a small edit: one status changed, one section
//! reworded. A build therefore records, in `output/.boardpress-cache`, a
//! fingerprint of everything each document's pages were made from, and the
//! pages it wrote. On the next build a document whose fingerprint is the same,
//! and whose pages are still in the output exactly as written (the same
//! length and XXH3 hash), is not parsed, checked or rendered again: its pages
//! are kept. Anything else renders it afresh, and `build --fresh` ignores the
//! record altogether. What pages spanning documents need of a kept document
//! comes from its [`Summaries`], kept per board beside the record.
//!
//! A document's fingerprint covers:
//! - boardpress itself (its version and a hash of its sources), the theme's
//!   templates and static files, `site.yaml` and the build's PDF links;
//! - its board: every file in the board's folder except the documents
//!   (`board.yaml`, `data/` and its CSV files), and the logo wherever it is;
//! - every file in its own folder (`document.yaml`, `plan.yaml`, sections,
//!   images).
//!
//! Nothing outside those can change a document's pages: content files are
//! read only from inside the site, a document's links and images may not
//! leave its folder (see `files::check_inside`), and templates cannot read the
//! environment. Files are hashed before they are read for use, so an edit
//! saved during a build makes the next build render again.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use twox_hash::XxHash3_128;

use crate::files::{check_inside, display_path};
use crate::model::summary::DocumentSummary;

/// The record's file name, inside the output folder.
pub const CACHE: &str = ".boardpress-cache";

/// Bumped whenever the record's meaning changes, so old records are ignored.
const FORMAT: u32 = 9;

/// What the previous build made of each document, by its output folder
/// (`<document>` or `<board>/<document>`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    format: u32,
    pub documents: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    /// How many of `outputs` were rendered (pages and their charts' data);
    /// the rest are copied images.
    pub pages: usize,
    pub outputs: Vec<Output>,
}

impl Entry {
    /// How many of the rendered files are web pages.
    pub fn html_pages(&self) -> usize {
        self.outputs
            .iter()
            .take(self.pages)
            .filter(|o| o.path.ends_with(".html"))
            .count()
    }
}

/// A file as this build left it in the output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub path: String,
    pub len: u64,
    /// XXH3-128 of the bytes: the record stays the same for the same input
    /// (no times in it), and an edit by hand is noticed whatever its length.
    pub hash: String,
}

impl Output {
    pub fn new(path: String, bytes: &[u8]) -> Output {
        Output {
            path,
            len: bytes.len() as u64,
            hash: hash(bytes),
        }
    }

    /// Whether the file is still in `out` exactly as written. `out` is
    /// `None` for a folder private to this process (the preview's), whose
    /// files are as the last build wrote them and need not be read back.
    fn untouched(&self, out: Option<&Path>) -> bool {
        let Some(out) = out else { return true };
        let target = out.join(&self.path);
        fs::symlink_metadata(&target).is_ok_and(|m| m.is_file() && m.len() == self.len)
            && fs::read(&target).is_ok_and(|bytes| hash(&bytes) == self.hash)
    }
}

fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", XxHash3_128::oneshot(bytes))
}

impl Record {
    /// The record in `out`, or an empty one when there is none or it cannot
    /// be read (the build then renders everything).
    pub fn read(out: &Path) -> Record {
        fs::read(out.join(CACHE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Record>(&bytes).ok())
            .filter(|r| r.format == FORMAT)
            .unwrap_or_default()
    }

    /// The previous entry for `folder` if its fingerprint matches and its
    /// files are untouched in `out`.
    pub fn reusable(&self, out: Option<&Path>, folder: &str, fingerprint: &str) -> Option<&Entry> {
        let entry = self.documents.get(folder)?;
        let untouched =
            entry.fingerprint == fingerprint && entry.outputs.iter().all(|o| o.untouched(out));
        untouched.then_some(entry)
    }

    /// The record of a finished build, to be written with the site: each
    /// document's output folder, fingerprint and files. The same input
    /// gives the same record.
    pub fn bytes(built: Vec<(String, Entry)>) -> std::io::Result<Vec<u8>> {
        let record = Record {
            format: FORMAT,
            documents: built.into_iter().collect(),
        };
        serde_json::to_vec(&record).map_err(std::io::Error::other)
    }
}

/// The folder, inside the output folder, of each board's document
/// summaries (see [`Summaries`]).
pub const SUMMARIES: &str = ".boardpress-summaries";

/// What pages spanning documents need of a board's documents, kept for the
/// next build so that those pages can be made without loading documents
/// that did not change. One file per board, so that each board's thread
/// reads only its own and memory holds one board's at a time. Each summary
/// is kept with the fingerprint of the inputs it was made from and used
/// only while the record's fingerprint for its document is the same. A
/// board's file is written with the site, in the same switch (see
/// [`Summaries::file`]), so a failed build leaves the previous ones.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Summaries {
    format: u32,
    documents: BTreeMap<String, (String, DocumentSummary)>,
    /// The files the site-wide stage made for the board (its home page,
    /// lead pages, open data): kept as they are by a build that renders
    /// none of the board's documents and finds the same documents.
    #[serde(default)]
    pub board_files: Vec<Output>,
    /// The fingerprint of the board's own files (`board.yaml`, `data/`,
    /// the logo, with the site's) when `board_files` were made.
    #[serde(default)]
    pub board_print: Option<String>,
}

impl Summaries {
    fn path(out: &Path, board: &str) -> std::path::PathBuf {
        out.join(Self::file(board))
    }

    fn file_name(board: &str) -> String {
        let name = if board.is_empty() { "board" } else { board };
        format!("{name}.bin")
    }

    /// The board's summaries from the previous build (none if unreadable).
    pub fn read(out: &Path, board: &str) -> Summaries {
        fs::read(Self::path(out, board))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Summaries>(&bytes).ok())
            .filter(|s| s.format == FORMAT)
            .unwrap_or_default()
    }

    /// The summary of a document, if it was made from these inputs.
    pub fn get(&self, slug: &str, fingerprint: &str) -> Option<&DocumentSummary> {
        self.documents
            .get(slug)
            .filter(|(print, _)| print == fingerprint)
            .map(|(_, summary)| summary)
    }

    /// The board's site-wide files, if a build that keeps every one of
    /// `slugs` (and has no other document) may keep them too: the same
    /// documents, unchanged, make the same pages, and each file must still
    /// be in `out` exactly as written.
    pub fn kept_board_files(&self, out: Option<&Path>, slugs: &[&str]) -> Option<Vec<Output>> {
        let same = slugs.len() == self.documents.len()
            && slugs.iter().all(|s| self.documents.contains_key(*s));
        let untouched = self.board_files.iter().all(|o| o.untouched(out));
        (same && !self.board_files.is_empty() && untouched).then(|| self.board_files.clone())
    }

    /// The board's site-wide files and its documents' summaries, if the
    /// files were made from the same board files (`print`), for exactly
    /// the documents `slugs`, and are untouched: a build whose documents'
    /// summaries all come out the same may keep the files, since those
    /// pages are made from nothing else.
    fn previous(&self, out: Option<&Path>, print: &str, slugs: &[&str]) -> Option<Previous> {
        let same = self.board_print.as_deref() == Some(print)
            && slugs.len() == self.documents.len()
            && slugs.iter().all(|s| self.documents.contains_key(*s));
        let untouched = self.board_files.iter().all(|o| o.untouched(out));
        (same && !self.board_files.is_empty() && untouched).then(|| Previous {
            files: self.board_files.clone(),
            summaries: self.documents.values().map(|(_, s)| s.clone()).collect(),
        })
    }

    /// Where the board's file is kept, inside the output folder.
    pub fn file(board: &str) -> String {
        format!("{SUMMARIES}/{}", Self::file_name(board))
    }
}

/// What a build keeps of a board for the next: the fingerprint of each
/// document whose summary is kept, and the board's site-wide files. The
/// summaries themselves are the ones the board's pages were made from,
/// borrowed when the file is written rather than copied beside them.
#[derive(Debug, Default)]
pub struct Kept {
    /// Each document's fingerprint, by its folder.
    fingerprints: BTreeMap<String, String>,
    pub board_files: Vec<Output>,
    pub board_print: Option<String>,
}

impl Kept {
    /// Keep the summary of the document in `slug`, made from inputs with
    /// this fingerprint.
    pub fn insert(&mut self, slug: String, fingerprint: String) {
        self.fingerprints.insert(slug, fingerprint);
    }

    /// The board's file, to be written with the site at [`Summaries::file`]
    /// and read back as [`Summaries`]: the summaries among `summaries` whose
    /// documents have a fingerprint. In postcard's compact form: JSON was
    /// 1.3% of a first build's work to write, and reading it back a fifth
    /// of an unchanged rebuild's.
    pub fn bytes(&self, summaries: &[DocumentSummary]) -> std::io::Result<Vec<u8>> {
        /// [`Summaries`] as borrowed: the same fields in the same order,
        /// so the same bytes. A field added to one must be added to the
        /// other: postcard names no fields, and the test reading this back
        /// fails if they differ.
        #[derive(Serialize)]
        struct Written<'a> {
            format: u32,
            documents: BTreeMap<&'a str, (&'a str, &'a DocumentSummary)>,
            board_files: &'a [Output],
            board_print: Option<&'a str>,
        }
        let documents = summaries
            .iter()
            .filter_map(|s| {
                let print = self.fingerprints.get(&s.slug)?;
                Some((s.slug.as_str(), (print.as_str(), s)))
            })
            .collect();
        let written = Written {
            format: FORMAT,
            documents,
            board_files: &self.board_files,
            board_print: self.board_print.as_deref(),
        };
        postcard::to_allocvec(&written).map_err(std::io::Error::other)
    }
}

/// A board's site-wide files as the previous build made them, with the
/// summaries they were made from (in folder order).
#[derive(Debug)]
pub struct Previous {
    pub files: Vec<Output>,
    pub summaries: Vec<DocumentSummary>,
}

/// What loading needs to fingerprint documents and find reusable ones.
pub struct Reuse<'a> {
    /// The previous build's record (empty for `build --fresh`).
    pub record: Record,
    pub out: &'a Path,
    /// The output folder is this process's own (`serve`): no one else
    /// changes its files, so they are not read back to check them.
    pub private: bool,
    /// The part of every fingerprint that the whole site shares.
    pub site: Fingerprint,
    /// Whether documents' folders are under their board's (`<board>/<doc>`).
    pub multi: bool,
}

impl Reuse<'_> {
    /// The folder whose files are checked before they are kept, if any.
    fn checked_out(&self) -> Option<&Path> {
        (!self.private).then_some(self.out)
    }

    /// The board's part of its documents' fingerprints: its folder, less
    /// the documents.
    pub fn board(&self, root: &Path, slug: &str, dir: &Path) -> BoardPrint<'_> {
        let mut print = self.site.clone();
        print.add("board", slug.as_bytes());
        print.add_tree(root, dir, Some(&dir.join("documents")));
        let summaries = Summaries::read(self.out, slug);
        BoardPrint {
            reuse: self,
            print,
            summaries,
        }
    }
}

/// The content files (YAML and Markdown) that fingerprinting a document's
/// folder read, by path from the site root: loading the document takes its
/// files from here rather than reading and checking each one again. Images
/// and other files are not kept.
pub type ReadFiles = std::collections::HashMap<PathBuf, Vec<u8>>;

fn is_content(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".md")
}

/// A board's fingerprint, to which each document adds its own folder.
pub struct BoardPrint<'a> {
    reuse: &'a Reuse<'a>,
    print: Fingerprint,
    /// The board's document summaries from the previous build.
    summaries: Summaries,
}

impl BoardPrint<'_> {
    /// Add the logo, which may sit in a document's folder that the board's
    /// walk left out.
    pub fn with_logo(
        mut self,
        root: &Path,
        dir: &Path,
        board: Option<&crate::model::Board>,
    ) -> Self {
        if let Some(logo) = board.and_then(|b| b.logo.as_ref()) {
            let rel = dir.join(&logo.value);
            if check_inside(root, &rel).is_ok() {
                match fs::read(root.join(rel)) {
                    Ok(bytes) => self.print.add("logo", &bytes),
                    Err(_) => self.print.complete = false,
                }
            }
        }
        self
    }

    /// The fingerprint of the document's own folder with the board's
    /// (none if a file could not be read). Documents linked by reports are
    /// then given one fingerprint together, by [`family_prints`].
    /// The content files read for it come back with it (see [`ReadFiles`]).
    pub fn own(&self, root: &Path, dir: &Path, slug: &str) -> (Option<String>, ReadFiles) {
        let mut print = self.print.clone();
        print.add("document", slug.as_bytes());
        let mut files = ReadFiles::new();
        print.add_tree_keeping(root, dir, None, Some(&mut files));
        (print.finish(), files)
    }

    /// The board's site-wide files from the previous build, when this
    /// build keeps exactly the documents `slugs` and renders none.
    pub fn kept_board_files(&self, slugs: &[&str]) -> Option<Vec<Output>> {
        self.summaries
            .kept_board_files(self.reuse.checked_out(), slugs)
    }

    /// The board's own part of the fingerprint (none if a file could not
    /// be read).
    pub fn board_print(&self) -> Option<String> {
        self.print.finish()
    }

    /// The board's site-wide files and the summaries they were made from,
    /// if this build has the same board files and documents `slugs`.
    pub fn previous(&self, slugs: &[&str]) -> Option<Previous> {
        let print = self.board_print()?;
        self.summaries
            .previous(self.reuse.checked_out(), &print, slugs)
    }

    /// The previous entry and summary of a document, if they were made
    /// from inputs with this fingerprint and its files are untouched.
    pub fn kept(
        &self,
        board_slug: &str,
        slug: &str,
        print: &str,
    ) -> Option<(Entry, DocumentSummary)> {
        let folder = if self.reuse.multi {
            format!("{board_slug}/{slug}")
        } else {
            slug.to_string()
        };
        let entry = self
            .reuse
            .record
            .reusable(self.reuse.checked_out(), &folder, print);
        let summary = self.summaries.get(slug, print);
        entry.zip(summary).map(|(e, s)| (e.clone(), s.clone()))
    }
}

/// One document of a board for [`family_prints`]: its folder name, its own
/// fingerprint, and the plan it reports on, if any.
pub struct Member<'a> {
    pub slug: &'a str,
    pub print: Option<String>,
    pub reports_on: Option<String>,
}

/// A plan's page shows the progress its reports give, and a report is made
/// from its plan and the earlier reports on it: so a plan and every report
/// on it share one fingerprint, covering all their folders, and an edit to
/// any of them renders them all again. A document in no such family keeps
/// its own fingerprint.
pub fn family_prints(members: &[Member]) -> Vec<Option<String>> {
    let index: BTreeMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.slug, i))
        .collect();
    // Each report points at its plan; a plan is its family's root.
    let root_of = |i: usize| {
        members[i]
            .reports_on
            .as_deref()
            .and_then(|plan| index.get(plan).copied())
            .unwrap_or(i)
    };
    let mut families: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..members.len() {
        families.entry(root_of(i)).or_default().push(i);
    }
    let mut prints: Vec<Option<String>> = members.iter().map(|m| m.print.clone()).collect();
    for family in families.values().filter(|f| f.len() > 1) {
        let mut print = Fingerprint::new();
        for &i in family {
            match &members[i].print {
                Some(own) => print.add(members[i].slug, own.as_bytes()),
                None => print.complete = false,
            }
        }
        let shared = print.finish();
        for &i in family {
            prints[i] = shared.clone();
        }
    }
    prints
}

/// A running hash of a document's inputs (XXH3, 128 bits).
#[derive(Clone)]
pub struct Fingerprint {
    hash: XxHash3_128,
    /// False once a file or folder could not be read: such a fingerprint
    /// vouches for nothing, and its document is neither reused nor recorded.
    complete: bool,
}

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint::new()
    }
}

impl Fingerprint {
    pub fn new() -> Self {
        let mut hash = XxHash3_128::new();
        hash.write(env!("CARGO_PKG_VERSION").as_bytes());
        Fingerprint {
            hash,
            complete: true,
        }
    }

    /// Add a named value; the lengths keep `("ab", "c")` apart from `("a", "bc")`.
    pub fn add(&mut self, name: &str, bytes: &[u8]) {
        for part in [name.as_bytes(), bytes] {
            self.hash.write(&(part.len() as u64).to_le_bytes());
            self.hash.write(part);
        }
    }

    /// Add every file under `root/dir` by path and contents, in name order,
    /// leaving out the folder `skip` (relative to `root`). Symbolic links are
    /// added by name only: loading refuses them, so they never reach a page.
    pub fn add_tree(&mut self, root: &Path, dir: &Path, skip: Option<&Path>) {
        self.add_tree_keeping(root, dir, skip, None);
    }

    /// [`Self::add_tree`], keeping the content files it read in `keep`.
    fn add_tree_keeping(
        &mut self,
        root: &Path,
        dir: &Path,
        skip: Option<&Path>,
        mut keep: Option<&mut ReadFiles>,
    ) {
        let skip = skip.map(|s| root.join(s));
        let walk = walkdir::WalkDir::new(root.join(dir))
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| Some(e.path()) != skip.as_deref());
        for entry in walk {
            let Ok(entry) = entry else {
                self.complete = false;
                continue;
            };
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let name = display_path(rel);
            if entry.path_is_symlink() {
                self.add(&name, b"symbolic link");
            } else if entry.file_type().is_file() {
                match fs::read(entry.path()) {
                    Ok(bytes) => {
                        self.add(&name, &bytes);
                        if let Some(keep) = keep.as_deref_mut().filter(|_| is_content(&name)) {
                            keep.insert(rel.to_path_buf(), bytes);
                        }
                    }
                    Err(_) => self.complete = false,
                }
            }
        }
    }

    /// boardpress itself, by a hash of the sources it was built from (made
    /// by `build.rs`): a changed boardpress renders everything afresh.
    pub fn add_program(&mut self) {
        self.add("program", env!("BOARDPRESS_SOURCE_HASH").as_bytes());
    }

    /// The fingerprint, or `None` when something could not be read.
    pub fn finish(&self) -> Option<String> {
        self.complete
            .then(|| format!("{:032x}", self.hash.finish_128()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record's hashes are XXH3-128 as xxHash defines it (values from
    /// its reference implementation, as `xxhash-rust` gives them too), so
    /// a record stays readable whichever SIMD code hashed it; the running
    /// hash of a fingerprint, fed in pieces, ends where one call does.
    #[test]
    fn hashes_are_xxh3_128_one_shot_and_in_pieces() {
        let long: Vec<u8> = (0..100_000u32).map(|i| (i * 31 % 251) as u8).collect();
        assert_eq!(hash(b""), "99aa06d3014798d86001c324468d497f");
        assert_eq!(hash(b"boardpress"), "1db53b4255864f509fb044e49b301a3d");
        assert_eq!(hash(&long), "28684b2ad44cd4a402df1e985a776b74");
        for piece in [1, 7, 64, 240, 1000, 4096] {
            let mut running = XxHash3_128::new();
            long.chunks(piece).for_each(|c| running.write(c));
            assert_eq!(
                format!("{:032x}", running.finish_128()),
                hash(&long),
                "pieces of {piece}"
            );
        }
    }

    /// A document's summary with only its folder and title set.
    fn summary(slug: &str) -> DocumentSummary {
        DocumentSummary {
            slug: slug.into(),
            title: slug.to_uppercase(),
            kind: crate::model::DocumentKind::BusinessPlan,
            reports_on: None,
            period: "2025-26".into(),
            published: None,
            updated: None,
            as_at: None,
            summary: None,
            milestone_term: "Action".into(),
            milestones_term: "Actions".into(),
            statuses: vec![],
            priorities: vec![],
            milestones: vec![],
        }
    }

    #[test]
    fn kept_summaries_read_back_as_written_and_only_those_with_a_fingerprint() {
        let mut kept = Kept::default();
        kept.insert("b".into(), "print-b".into());
        kept.insert("a".into(), "print-a".into());
        kept.board_files = vec![Output::new("index.html".into(), b"<p>home</p>")];
        kept.board_print = Some("board".into());
        // Not in folder order, and one document ("c") not kept.
        let summaries = [summary("c"), summary("b"), summary("a")];
        let bytes = kept.bytes(&summaries).unwrap();
        let read: Summaries = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(read.format, FORMAT);
        assert_eq!(read.get("a", "print-a"), Some(&summaries[2]));
        assert_eq!(read.get("b", "print-b"), Some(&summaries[1]));
        assert_eq!(read.get("b", "print-a"), None);
        assert!(!read.documents.contains_key("c"));
        assert_eq!(read.board_files, kept.board_files);
        assert_eq!(read.board_print.as_deref(), Some("board"));
        // The same bytes as the owned form it is read into.
        assert_eq!(postcard::to_allocvec(&read).unwrap(), bytes);
    }

    #[test]
    fn fingerprints_follow_contents_and_names() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/documents/d")).unwrap();
        fs::write(root.join("b/board.yaml"), "name: X\n").unwrap();
        fs::write(root.join("b/documents/d/plan.yaml"), "a\n").unwrap();
        let board = |root: &Path| {
            let mut f = Fingerprint::new();
            f.add_tree(root, Path::new("b"), Some(Path::new("b/documents")));
            f.finish()
        };
        let before = board(root);
        // Documents are left out of the board's fingerprint.
        fs::write(root.join("b/documents/d/plan.yaml"), "b\n").unwrap();
        assert_eq!(board(root), before);
        fs::write(root.join("b/board.yaml"), "name: Y\n").unwrap();
        assert_ne!(board(root), before);
        let mut a = Fingerprint::new();
        a.add("ab", b"c");
        let mut b = Fingerprint::new();
        b.add("a", b"bc");
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn a_plan_and_its_reports_share_one_fingerprint() {
        let member = |slug, print: &str, on: Option<&str>| Member {
            slug,
            print: Some(print.to_string()),
            reports_on: on.map(str::to_string),
        };
        let prints = family_prints(&[
            member("plan", "p", None),
            member("report", "r", Some("plan")),
            member("other", "o", None),
            member("stray", "s", Some("missing")),
        ]);
        assert_eq!(prints[0], prints[1]);
        assert_ne!(prints[0].as_deref(), Some("p"));
        assert_eq!(prints[2].as_deref(), Some("o"));
        assert_eq!(prints[3].as_deref(), Some("s"));
        let edited = family_prints(&[
            member("plan", "p", None),
            member("report", "r2", Some("plan")),
        ]);
        assert_ne!(
            edited[0], prints[0],
            "an edited report renders its plan again"
        );
        let mut unreadable = member("report", "r", Some("plan"));
        unreadable.print = None;
        let prints = family_prints(&[member("plan", "p", None), unreadable]);
        assert_eq!(prints, vec![None, None]);
    }

    #[test]
    fn entries_are_reused_only_while_their_files_are_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir_all(out.join("d")).unwrap();
        fs::write(out.join("d/index.html"), "page").unwrap();
        let entry = Entry {
            fingerprint: "f".into(),
            pages: 1,
            outputs: vec![Output::new("d/index.html".into(), b"page")],
        };
        fs::write(
            out.join(CACHE),
            Record::bytes(vec![("d".into(), entry)]).unwrap(),
        )
        .unwrap();
        let record = Record::read(out);
        assert!(record.reusable(Some(out), "d", "f").is_some());
        assert!(record.reusable(Some(out), "d", "g").is_none());
        assert!(record.reusable(Some(out), "e", "f").is_none());
        fs::write(out.join("d/index.html"), "edited by hand").unwrap();
        assert!(record.reusable(Some(out), "d", "f").is_none());
        fs::write(out.join("d/index.html"), "PAGE").unwrap();
        assert!(
            record.reusable(Some(out), "d", "f").is_none(),
            "same length"
        );
        fs::remove_file(out.join("d/index.html")).unwrap();
        assert!(record.reusable(Some(out), "d", "f").is_none());
        fs::write(out.join(CACHE), "not json").unwrap();
        assert!(Record::read(out).documents.is_empty());
    }
}
