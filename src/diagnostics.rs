//! Problems in a site's content, reported to the person who wrote it.
//!
//! Every stage (loading, validation, rendering) pushes [`Diagnostic`]s into one
//! [`Diagnostics`] list instead of stopping at the first problem, so an author
//! fixes everything in one run. Each diagnostic names the file (relative to the
//! site root), the line and column where known, what is wrong and how to fix it.
//! [`Diagnostics::render`] prints them with a snippet of the offending line.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::files::FileError;
pub use crate::files::display_path;
use crate::spanned::Spanned;

/// A line and column in a source file, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn new(line: usize, column: usize) -> Self {
        Position {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// One problem with the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub file: PathBuf,
    pub position: Option<Position>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            position: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column`, or just the file when the position is unknown.
    pub fn location(&self) -> String {
        let file = display_path(&self.file);
        match self.position {
            Some(p) => format!("{file}:{}:{}", p.line, p.column),
            None => file,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl From<FileError> for Diagnostic {
    fn from(e: FileError) -> Self {
        Diagnostic {
            file: e.path,
            position: e.at.map(|(line, column)| Position::new(line, column)),
            message: e.message,
            help: e.help,
        }
    }
}

/// The position a spanned YAML value was written at, if known.
pub fn pos<T>(s: &Spanned<T>) -> Option<Position> {
    (s.line > 0).then(|| Position::new(s.line as usize, s.column as usize))
}

/// All the problems found in one build, plus the text of the files they point
/// into so they can be shown with a snippet.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Things worth fixing that do not stop a build (a report without a
    /// section the guidance expects); shown apart from errors.
    warnings: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, String>,
    /// The site root, to read a file again when a diagnostic quotes it
    /// (cheaper than keeping every file's text for the rare failed build).
    root: Option<PathBuf>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Add a warning: reported, but the build goes on.
    pub fn warn(&mut self, diagnostic: Diagnostic) {
        self.warnings.push(diagnostic);
    }

    /// The warnings in a stable order, without repeats.
    pub fn warnings(&self) -> Vec<&Diagnostic> {
        sorted(&self.warnings)
    }

    /// Keep only the warnings (of a build that succeeded).
    pub fn take_warnings(&mut self) -> Diagnostics {
        Diagnostics {
            warnings: std::mem::take(&mut self.warnings),
            root: self.root.clone(),
            sources: self.sources.clone(),
            ..Diagnostics::default()
        }
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Where to find the files diagnostics name, to quote them.
    pub fn set_root(&mut self, root: &Path) {
        self.root = Some(root.to_path_buf());
    }

    /// Add another list's diagnostics (from work done in parallel).
    pub fn merge(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.warnings.extend(other.warnings);
        self.sources.extend(other.sources);
    }

    /// Remember a file's (normalised) text so diagnostics can quote it.
    pub fn add_source(&mut self, file: &Path, text: &str) {
        self.sources.insert(file.to_path_buf(), text.to_string());
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The errors in a stable order: by file, then position.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        sorted(&self.items)
    }

    /// Everything, as plain text for a terminal: the errors, ending with a
    /// count, then any warnings apart.
    pub fn render(&self) -> String {
        let renderer = Renderer::plain();
        let mut out = String::new();
        let sorted = self.sorted();
        for d in &sorted {
            out.push_str(&self.render_one(&renderer, d, Level::ERROR));
            out.push_str("\n\n");
        }
        let n = sorted.len();
        out.push_str(&format!(
            "{n} error{} found; nothing was written.",
            if n == 1 { "" } else { "s" }
        ));
        if !self.warnings.is_empty() {
            out.push_str("\n\n");
            out.push_str(&self.render_warnings());
        }
        out
    }

    /// The warnings alone, as plain text, ending with a count; empty when
    /// there are none.
    pub fn render_warnings(&self) -> String {
        let renderer = Renderer::plain();
        let warnings = self.warnings();
        if warnings.is_empty() {
            return String::new();
        }
        let mut out = String::new();
        for d in &warnings {
            out.push_str(&self.render_one(&renderer, d, Level::WARNING));
            out.push_str("\n\n");
        }
        let n = warnings.len();
        out.push_str(&format!(
            "{n} warning{} (the site can be built, but see above).",
            if n == 1 { "" } else { "s" }
        ));
        out
    }

    fn render_one(&self, renderer: &Renderer, d: &Diagnostic, level: Level) -> String {
        let path = display_path(&d.file);
        let title = format!("{}: {}", d.location(), d.message);
        let mut group = Group::with_title(level.primary_title(&title));
        let text = self.sources.get(&d.file).cloned().or_else(|| {
            let root = self.root.as_ref()?;
            crate::files::read_text(root, &d.file).ok()
        });
        if let (Some(pos), Some(text)) = (d.position, text.as_deref())
            && let Some((line_text, span)) = line_span(text, pos)
        {
            group = group.element(
                Snippet::source(line_text)
                    .line_start(pos.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            );
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help));
        }
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

fn sorted(items: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut items: Vec<&Diagnostic> = items.iter().collect();
    items.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    items.dedup();
    items
}

/// The text of the line at `pos` and the byte range to underline in it.
fn line_span(text: &str, pos: Position) -> Option<(&str, std::ops::Range<usize>)> {
    let line = text.lines().nth(pos.line - 1)?;
    let start = line
        .char_indices()
        .nth(pos.column - 1)
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let end = line[start..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, _)| start + i)
        .unwrap_or(line.len());
    let end = if end == start {
        (start + 1).min(line.len())
    } else {
        end
    };
    Some((line, start..end))
}

/// The closest of `candidates` to `word`, if it is close enough to be a
/// likely typo. Used for "did you mean …?" hints.
fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" when one of `known` is a likely typo of `word`.
/// Every such hint in boardpress comes from here.
pub fn did_you_mean(word: &str, known: &[&str]) -> Option<String> {
    suggest(word, known.iter().copied()).map(|best| format!("did you mean `{best}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_spellings_only() {
        let fields = ["owner", "timescale", "status"];
        assert_eq!(suggest("ownr", fields), Some("owner"));
        assert_eq!(suggest("timscale", fields), Some("timescale"));
        assert_eq!(suggest("colour", fields), None);
    }

    #[test]
    fn renders_location_snippet_and_help() {
        let mut all = Diagnostics::default();
        let file = PathBuf::from("content/plan.yaml");
        all.add_source(&file, "title: x\n  ownr: b\n");
        all.push(
            Diagnostic::new(&file, "unknown field `ownr`")
                .at(Some(Position::new(2, 3)))
                .help("did you mean `owner`?"),
        );
        let text = all.render();
        assert!(
            text.contains("content/plan.yaml:2:3: unknown field `ownr`"),
            "{text}"
        );
        assert!(text.contains("ownr: b"), "{text}");
        assert!(text.contains("did you mean `owner`?"), "{text}");
        assert!(text.ends_with("1 error found; nothing was written."));
    }
}
