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
//! Every file is read through [`read_text`], which refuses symbolic links and
//! paths outside the site, strips a byte-order mark, turns CRLF into LF and
//! reports invalid UTF-8 or an empty file with a position. YAML errors become
//! [`Diagnostic`]s with a line, a column and a "did you mean" where a field
//! name is misspelt. Loading carries on past a bad file so that one build
//! reports every problem.

use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, suggest};
use crate::model::*;

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

/// Load one board with its documents and data, reporting problems to `diags`.
/// With `reuse`, every document is fingerprinted, and one unchanged since the
/// previous build is only half loaded (see [`crate::cache`]).
pub fn load_board(
    root: &Path,
    slug: &str,
    dir: &Path,
    reuse: Option<&crate::cache::Reuse>,
    diags: &mut Diagnostics,
) -> Option<BoardSite> {
    Loader { root, reuse }.board(dir, slug, diags)
}

struct Loader<'a> {
    root: &'a Path,
    reuse: Option<&'a crate::cache::Reuse<'a>>,
}

impl Loader<'_> {
    /// The site settings, and the text they were read from.
    fn site_config(&self, diags: &mut Diagnostics) -> (SiteConfig, String) {
        let rel = PathBuf::from("content/site.yaml");
        if !self.root.join(&rel).exists() {
            return (SiteConfig::default(), String::new());
        }
        let Some(text) = self.text(&rel, diags) else {
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
            (false, true) => self.subfolders(&multi, diags),
            (false, false) => {
                diags.push(
                    Diagnostic::new("content/board.yaml", "the site has no board: `content/board.yaml` is missing")
                        .help("create content/board.yaml (see docs/content-format.md), or one folder per board under content/boards/"),
                );
                Vec::new()
            }
        }
    }

    fn board(&self, dir: &Path, slug: &str, diags: &mut Diagnostics) -> Option<BoardSite> {
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
        let board: Option<Board> = self.yaml_file(&file, diags);
        let board_print = board_print.map(|b| b.with_logo(self.root, dir, board.as_ref()));
        let docs_dir = dir.join("documents");
        let documents = if self.root.join(&docs_dir).is_dir() {
            let folders: Vec<(String, PathBuf)> = self
                .subfolders(&docs_dir, diags)
                .into_iter()
                .filter(|(slug, dir)| not_reserved(slug, dir, diags))
                .collect();
            // Documents are independent: read and parse them in parallel,
            // keeping their order and each one's diagnostics.
            let loaded: Vec<(Option<LoadedDocument>, Diagnostics)> = folders
                .into_par_iter()
                .map(|(doc_slug, dir)| {
                    let mut local = Diagnostics::default();
                    let board = board_print.as_ref().map(|b| (b, slug));
                    let doc = self.fingerprinted_document(&dir, doc_slug, board, &mut local);
                    (doc, local)
                })
                .collect();
            let mut documents = Vec::new();
            for (doc, local) in loaded {
                diags.merge(local);
                documents.extend(doc);
            }
            documents
        } else {
            Vec::new()
        };
        let mut broken_data = std::collections::BTreeSet::new();
        let data = crate::data::load_data(self.root, dir, &mut broken_data, diags);
        Some(BoardSite {
            slug: slug.to_string(),
            file,
            board: board?,
            documents,
            data,
            broken_data,
        })
    }

    fn document(
        &self,
        dir: &Path,
        slug: String,
        diags: &mut Diagnostics,
    ) -> Option<LoadedDocument> {
        self.misnamed(dir, &["document.yaml", "plan.yaml"], diags);
        let doc_file = dir.join("document.yaml");
        if !self.root.join(&doc_file).is_file() {
            diags.push(
                Diagnostic::new(&doc_file, "this document folder has no `document.yaml`")
                    .help("every folder under documents/ is a document and needs a document.yaml"),
            );
            return None;
        }
        let document = self.yaml_file::<Document>(&doc_file, diags);
        let plan_file = dir.join("plan.yaml");
        let (plan, plan_file) = if self.root.join(&plan_file).exists() {
            (self.yaml_file::<Plan>(&plan_file, diags), Some(plan_file))
        } else {
            (None, None)
        };
        let sections = self.sections(dir, diags);
        Some(LoadedDocument {
            slug,
            dir: dir.to_path_buf(),
            document: document?,
            plan,
            plan_file,
            sections,
            fingerprint: None,
            reused: None,
        })
    }

    /// Load a document, or with a board fingerprint (and the board's slug),
    /// fingerprint it first and only half load it if it is unchanged.
    fn fingerprinted_document(
        &self,
        dir: &Path,
        slug: String,
        board: Option<(&crate::cache::BoardPrint, &str)>,
        diags: &mut Diagnostics,
    ) -> Option<LoadedDocument> {
        let Some((board_print, board_slug)) = board else {
            return self.document(dir, slug, diags);
        };
        match board_print.document(self.root, dir, board_slug, &slug) {
            (Some(print), Some(entry)) => self.reused_document(dir, slug, print, entry, diags),
            (print, _) => self.document(dir, slug, diags).map(|mut d| {
                d.fingerprint = print;
                d
            }),
        }
    }

    /// A document unchanged since the last build: only `document.yaml`,
    /// which the board's pages list, is read.
    fn reused_document(
        &self,
        dir: &Path,
        slug: String,
        fingerprint: String,
        entry: crate::cache::Entry,
        diags: &mut Diagnostics,
    ) -> Option<LoadedDocument> {
        let document = self.yaml_file::<Document>(&dir.join("document.yaml"), diags)?;
        Some(LoadedDocument {
            slug,
            dir: dir.to_path_buf(),
            document,
            plan: None,
            plan_file: None,
            sections: Vec::new(),
            fingerprint: Some(fingerprint),
            reused: Some(entry),
        })
    }

    fn sections(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<Section> {
        let mut sections: Vec<Section> = self
            .files_with_extension(dir, "md", diags)
            .into_iter()
            .filter_map(|file| self.section(&file, diags))
            .collect();
        sections.sort_by(|a, b| (a.meta.order, &a.slug).cmp(&(b.meta.order, &b.slug)));
        sections
    }

    fn section(&self, file: &Path, diags: &mut Diagnostics) -> Option<Section> {
        let text = self.text(file, diags)?;
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
        Some(Section {
            slug: crate::render::slugify(&slug),
            file: file.to_path_buf(),
            meta,
            body: body.to_string(),
            body_line,
        })
    }

    fn yaml_file<T: DeserializeOwned>(&self, rel: &Path, diags: &mut Diagnostics) -> Option<T> {
        let text = self.text(rel, diags)?;
        parse_yaml(rel, &text, 0, diags)
    }

    fn text(&self, rel: &Path, diags: &mut Diagnostics) -> Option<String> {
        match read_text(self.root, rel) {
            Ok(text) => Some(text),
            Err(d) => {
                diags.push(d);
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
                let slug = crate::render::slugify(&name);
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
            let name = entry.file_name().to_string_lossy().to_string();
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

/// Folder names the site's own pages use; a document may not take them.
const RESERVED: [&str; 5] = ["glossary", "structure", "standards", "static", "assets"];

fn not_reserved(slug: &str, dir: &Path, diags: &mut Diagnostics) -> bool {
    let free = !RESERVED.contains(&slug);
    if !free {
        diags.push(
            Diagnostic::new(dir, format!("a document folder cannot be called `{slug}`"))
                .help(format!("the site uses `{slug}/` for its own pages; rename the folder, e.g. `{slug}-2025`")),
        );
    }
    free
}

/// Read a file inside the site as text: no symbolic links, no escaping the
/// root, UTF-8 only; a byte-order mark is dropped and CRLF becomes LF.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = read_bytes(root, rel)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(Diagnostic::new(rel, "the file is not valid UTF-8 text")
                .at(Some(Position::new(line, column)))
                .help("save the file as UTF-8 (in Word or Notepad: Save As, Encoding: UTF-8)"));
        }
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::new(rel, "the file is empty")
            .help("fill it in (see docs/content-format.md) or delete it"));
    }
    // Windows editors write CRLF; most files have none, so skip the copies.
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text.to_string())
    }
}

/// Read a file inside the site as bytes, refusing links and paths that leave it.
pub fn read_bytes(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    check_inside(root, rel)?;
    fs::read(root.join(rel)).map_err(|e| Diagnostic::new(rel, format!("cannot read the file: {e}")))
}

/// Refuse absolute paths, `..`, and symbolic links anywhere along `rel`.
pub fn check_inside(root: &Path, rel: &Path) -> Result<(), Diagnostic> {
    let mut here = root.to_path_buf();
    for part in rel.components() {
        match part {
            Component::Normal(name) => here.push(name),
            Component::CurDir => {}
            _ => {
                return Err(Diagnostic::new(rel, "the path leaves the site folder").help(
                    "use a path relative to the file, inside the site, without `..`; to link to a page elsewhere on the council's website, write its full address starting https://",
                ));
            }
        }
        if let Ok(meta) = fs::symlink_metadata(&here)
            && meta.file_type().is_symlink()
        {
            return Err(Diagnostic::new(rel, "symbolic links are not followed")
                .help("copy the file into the site instead of linking to it"));
        }
    }
    Ok(())
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

/// Deserialise YAML, turning a failure into a diagnostic. `line_offset` is
/// added to reported lines (front matter starts after a `---` line).
pub fn parse_yaml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    line_offset: usize,
    diags: &mut Diagnostics,
) -> Option<T> {
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::new(file, "the YAML is empty").at(Some(Position::new(line_offset + 1, 1))),
        );
        return None;
    }
    match serde_saphyr::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(e) => {
            let position = e
                .location()
                .map(|l| Position::new(l.line() as usize + line_offset, l.column() as usize));
            let (message, help) = explain_yaml_error(&e.to_string());
            // The parser notices a tab late; point at the tab itself.
            let position = if mentions_tab(&message) {
                first_indent_tab(text, line_offset).or(position)
            } else {
                position
            };
            let mut d = Diagnostic::new(file, message).at(position);
            d.help = help;
            diags.push(d);
            None
        }
    }
}

fn mentions_tab(message: &str) -> bool {
    message.contains("a tab") || message.contains("tabs ")
}

/// Where the first tab in a line's indentation is.
fn first_indent_tab(text: &str, line_offset: usize) -> Option<Position> {
    text.lines().enumerate().find_map(|(i, line)| {
        let indent: &str = &line[..line.len() - line.trim_start().len()];
        indent
            .find('\t')
            .map(|col| Position::new(i + 1 + line_offset, col + 1))
    })
}

/// The first line of serde-saphyr's message without its "line N column M"
/// prefix, and a hint for the common mistakes.
fn explain_yaml_error(full: &str) -> (String, Option<String>) {
    let first = full.lines().next().unwrap_or(full);
    let message = strip_location_prefix(first).to_string();
    let help = hint_for(&message);
    let message = message
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(&message)
        .to_string();
    (message, help)
}

fn strip_location_prefix(line: &str) -> &str {
    let line = line.strip_prefix("error: ").unwrap_or(line);
    if let Some(rest) = line.strip_prefix("line ")
        && let Some((_, msg)) = rest.split_once(": ")
    {
        return msg;
    }
    line
}

fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`')?;
        let expected = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .trim_start_matches(", there are no fields");
        let fields: Vec<&str> = expected
            .split(',')
            .map(|f| f.trim().trim_matches('`'))
            .filter(|f| !f.is_empty())
            .collect();
        return Some(match suggest(field, fields.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if fields.is_empty() => "remove this field".to_string(),
            None => format!("the fields allowed here are: {}", fields.join(", ")),
        });
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (word, expected) = rest.split_once('`')?;
        let options: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(',')
            .map(|f| f.trim().trim_matches('`'))
            .collect();
        return Some(match suggest(word, options.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("use one of: {}", options.join(", ")),
        });
    }
    if message.starts_with("missing field") {
        return Some("add the field (see docs/content-format.md for what it holds)".into());
    }
    if message.contains("invalid boolean") {
        return Some("write true or false".into());
    }
    if mentions_tab(message) {
        return Some("indent with spaces, not tabs (set your editor to insert spaces)".into());
    }
    if message.starts_with("duplicate mapping key") {
        return Some(
            "each key may appear once in a mapping: remove or rename the repeated one".into(),
        );
    }
    if message.contains("indicator")
        || message.contains("while scanning")
        || message.contains("did not find expected")
    {
        return Some("check the quoting and indentation on this line and the one above; put text that contains `: ` or starts with a quote, `[` or `*` in double quotes".into());
    }
    if message.contains("expected sequence") {
        return Some(
            "this field takes a list: write each item on its own line starting with `- `".into(),
        );
    }
    None
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

    #[test]
    fn misspelt_fields_get_a_suggestion() {
        let (msg, help) = explain_yaml_error(
            "error: line 4 column 5: unknown field `ownr`, expected one of text, owner, timescale",
        );
        assert_eq!(
            msg,
            "unknown field `ownr`, expected one of text, owner, timescale"
        );
        assert_eq!(help.as_deref(), Some("did you mean `owner`?"));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("a.yaml"),
            b"\xEF\xBB\xBFname: x\r\nb: y\r\n",
        )
        .unwrap();
        assert_eq!(
            read_text(dir.path(), Path::new("a.yaml")).unwrap(),
            "name: x\nb: y\n"
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.yaml"), b"name: x\nb: caf\xE9\n").unwrap();
        let d = read_text(dir.path(), Path::new("a.yaml")).unwrap_err();
        assert_eq!(d.position, Some(Position::new(2, 7)));
    }

    #[test]
    fn paths_may_not_leave_the_site() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_inside(dir.path(), Path::new("../secret")).is_err());
        assert!(check_inside(dir.path(), Path::new("/etc/passwd")).is_err());
        assert!(check_inside(dir.path(), Path::new("content/a.md")).is_ok());
    }
}
