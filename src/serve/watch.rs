//! Watching the site's files: `content/` and `themes/` (each recursively)
//! and the site folder itself (so that a `themes/` folder made later, or a
//! `content/` folder replaced whole, is watched too).
//!
//! notify reports each change as the system gives it; a save is often
//! several (an editor writes a temporary file and renames it over the
//! original, or saves several files together). Changes are gathered until
//! every watched file has been quiet for [`QUIET`], then handed on as one
//! batch, one rebuild. The notify debouncer crates were tried and not used:
//! they time each file separately, so the temporary file and the file it
//! replaced could fall into two batches and give two rebuilds.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// How long the files must be quiet before a rebuild starts. Short, since
/// the whole preview should follow a save within about 50 ms, and an
/// editor's save-by-rename takes well under a millisecond.
const QUIET: Duration = Duration::from_millis(10);

/// Saves that never pause (a script writing files in a loop) still give a
/// rebuild this often.
const LONGEST: Duration = Duration::from_millis(500);

/// The folders of the site that a build reads.
const WATCHED: [&str; 2] = ["content", "themes"];

/// The files that changed since the last rebuild, as absolute paths.
pub type Changes = Vec<PathBuf>;

/// Start watching. Each item of [`Batches`] is one rebuild's worth of
/// changes; the watcher stops when the [`Guard`] is dropped.
pub fn start(root: &Path) -> notify::Result<(Batches, Guard)> {
    let (tx, rx) = mpsc::channel();
    let root = watched_root(root);
    let inside = root.clone();
    let mut watcher = RecommendedWatcher::new(
        move |event: notify::Result<Event>| {
            // A watcher error (a folder removed under it) is followed by
            // events for whatever replaced it; only changes matter here, and
            // only those to what a build reads (not, say, `output/` beside
            // `content/`).
            let Ok(event) = event else { return };
            if !is_change(&event.kind) {
                return;
            }
            let changes: Changes = event
                .paths
                .into_iter()
                .filter(|p| WATCHED.iter().any(|f| p.starts_with(inside.join(f))))
                .collect();
            if !changes.is_empty() {
                let _ = tx.send(changes);
            }
        },
        notify::Config::default(),
    )?;
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    let mut guard = Guard { watcher, root };
    for folder in WATCHED {
        guard.rewatch(folder);
    }
    Ok((Batches { rx }, guard))
}

/// Whether an event changes what a build would read. Linux reports files
/// being opened and read too, and a rebuild reads every file it watches:
/// counted as changes, each rebuild would set off the next.
fn is_change(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// Keeps the watcher alive.
pub struct Guard {
    watcher: RecommendedWatcher,
    root: PathBuf,
}

impl Guard {
    /// Watch `content/` or `themes/` (again): it may have been made or
    /// replaced since. A folder that does not exist is not watched.
    fn rewatch(&mut self, folder: &str) {
        let dir = self.root.join(folder);
        let _ = self.watcher.unwatch(&dir);
        if dir.is_dir() {
            let _ = self.watcher.watch(&dir, RecursiveMode::Recursive);
        }
    }

    /// Watch again any watched folder that a batch shows was made, removed
    /// or renamed.
    pub fn follow(&mut self, changes: &Changes) {
        for folder in WATCHED {
            let dir = self.root.join(folder);
            if changes.iter().any(|p| p == &dir) {
                self.rewatch(folder);
            }
        }
    }
}

/// The batches of changes, one per rebuild.
pub struct Batches {
    rx: mpsc::Receiver<Changes>,
}

impl Iterator for Batches {
    type Item = Changes;

    /// Wait for a change, then for the files to be quiet. Changes made
    /// during a rebuild wait in the channel and make one more rebuild, not
    /// one for each save.
    fn next(&mut self) -> Option<Changes> {
        let mut changes = self.rx.recv().ok()?;
        let until = std::time::Instant::now() + LONGEST;
        while std::time::Instant::now() < until {
            match self.rx.recv_timeout(QUIET) {
                Ok(more) => changes.extend(more),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
        changes.sort();
        changes.dedup();
        Some(changes)
    }
}

/// The root as the watcher reports paths under it: resolved through
/// symbolic links (macOS reports `/private/tmp` for `/tmp`).
fn watched_root(root: &Path) -> PathBuf {
    let root = crate::site::absolute(root);
    std::fs::canonicalize(&root).unwrap_or(root)
}

/// "content/documents/plan/10-foreword.md" or "3 files", for the terminal.
/// An editor's temporary files are gone by now: the files still there are
/// the ones the user saved.
pub fn describe(root: &Path, changes: &Changes) -> String {
    let root = watched_root(root);
    let existing: Vec<&PathBuf> = changes.iter().filter(|p| p.exists()).collect();
    let shown: Vec<&PathBuf> = match existing.is_empty() {
        true => changes.iter().collect(),
        false => existing,
    };
    match &shown[..] {
        [] => "a change".to_string(),
        [one] => match one.strip_prefix(&root) {
            Ok(rel) => rel.display().to_string().replace('\\', "/"),
            Err(_) => one.display().to_string(),
        },
        many => format!("{} files", many.len()),
    }
}
