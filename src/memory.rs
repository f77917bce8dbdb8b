//! What a long-running preview remembers of each board between rebuilds.
//!
//! A build on its own finds unchanged documents by fingerprinting every
//! input file and reading back each board's summaries (see [`crate::cache`]).
//! The preview knows more: its watcher says which files changed. A board
//! whose folder holds none of the changes since the last successful build
//! is given back whole from here (the files it made, its record entries,
//! its listing for the site-wide pages, its warnings) without reading
//! anything. Anything that could affect every board (the theme,
//! `site.yaml`, a board added or removed, a change of which agencies
//! several boards share) makes the next build an ordinary one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::cache::Entry;
use crate::diagnostics::Diagnostic;
use crate::index::BoardListing;
use crate::render::PrintJob;

/// One board as its last successful build left it.
#[derive(Debug, Clone)]
pub struct Board {
    pub listing: BoardListing,
    /// Every file the board's documents and pages made.
    pub files: Vec<String>,
    pub pages: usize,
    pub documents: usize,
    pub built: Vec<(String, Entry)>,
    pub print_jobs: Vec<PrintJob>,
    pub warnings: Vec<Diagnostic>,
}

/// The site as the boards were remembered, so that a change to it is seen.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Shape {
    boards: Vec<String>,
    multi: bool,
    shared: BTreeSet<String>,
}

#[derive(Debug, Default)]
struct State {
    boards: BTreeMap<String, Board>,
    shape: Shape,
    /// Files changed since the last successful build (absolute, resolved).
    pending: Vec<PathBuf>,
    /// What the build under way has made, kept once it succeeds.
    staged: BTreeMap<String, Board>,
    staged_shape: Shape,
    /// How many boards the latest build was given back.
    recalled: usize,
}

/// The preview's memory of its last successful build.
#[derive(Debug)]
pub struct Memory {
    root: PathBuf,
    state: Mutex<State>,
}

impl Memory {
    pub fn new(root: &Path) -> Memory {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Memory {
            root: std::fs::canonicalize(&root).unwrap_or(root),
            state: Default::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Files that changed since the last build.
    pub fn changed(&self, paths: &[PathBuf]) {
        self.lock().pending.extend(paths.iter().cloned());
    }

    /// The boards that may be given back as remembered in a build of
    /// `boards` (slug, folder relative to the root): none unless the site's
    /// shape is as remembered and every change since is inside a board's
    /// folder, and then each board whose folder holds no change.
    pub fn recall(
        &self,
        boards: &[(String, PathBuf)],
        multi: bool,
        shared: &BTreeSet<String>,
    ) -> BTreeMap<String, Board> {
        let mut state = self.lock();
        let shape = Shape {
            boards: boards.iter().map(|(s, _)| s.clone()).collect(),
            multi,
            shared: shared.clone(),
        };
        state.staged.clear();
        state.staged_shape = shape.clone();
        state.recalled = 0;
        if shape != state.shape {
            return BTreeMap::new();
        }
        let folders: Vec<(&str, PathBuf)> = boards
            .iter()
            .map(|(slug, dir)| (slug.as_str(), self.root.join(dir)))
            .collect();
        let touched: Option<BTreeSet<&str>> = state
            .pending
            .iter()
            .map(|p| {
                folders
                    .iter()
                    .find(|(_, dir)| p.starts_with(dir))
                    .map(|(s, _)| *s)
            })
            .collect();
        let Some(touched) = touched else {
            return BTreeMap::new();
        };
        let recalled: BTreeMap<String, Board> = state
            .boards
            .iter()
            .filter(|(slug, _)| !touched.contains(slug.as_str()))
            .map(|(slug, board)| (slug.clone(), board.clone()))
            .collect();
        state.recalled = recalled.len();
        recalled
    }

    /// How many boards the latest build was given back unread.
    pub fn recalled(&self) -> usize {
        self.lock().recalled
    }

    /// A board of the build under way, to remember if the build succeeds.
    pub fn stage(&self, slug: &str, board: Board) {
        self.lock().staged.insert(slug.to_string(), board);
    }

    /// The build succeeded and its output is in place: remember its boards.
    pub fn commit(&self) {
        let mut state = self.lock();
        state.boards = std::mem::take(&mut state.staged);
        state.shape = state.staged_shape.clone();
        state.pending.clear();
    }

    /// The build failed: the output is as the last successful one left it,
    /// and the changes are still to be built.
    pub fn discard(&self) {
        self.lock().staged.clear();
    }
}
