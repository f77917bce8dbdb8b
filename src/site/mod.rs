//! Writing the rendered site to the output folder.
//!
//! Called only after the whole site has rendered without error, so a failed
//! build never touches the previous output. Files whose bytes have not
//! changed are left alone (creating and rewriting files is the slow part of a
//! build on many disks, and a web server's caches stay valid); files from the
//! previous build that are no longer produced are removed.
//!
//! The folder keeps a manifest (`.boardpress-manifest`) of the files
//! boardpress wrote. Only files listed there are ever deleted, and a
//! non-empty folder without a manifest is refused: boardpress never deletes
//! anything it did not write.

mod switch;

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::render::OutputFile;
use switch::failed;

pub const MANIFEST: &str = ".boardpress-manifest";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files in the site (not counting PDFs).
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Why an output folder cannot be used.
#[derive(Debug)]
pub struct OutputRefused(pub String);

impl std::fmt::Display for OutputRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Refuse an output folder that would overwrite or delete the site's own files.
pub fn check_output_path(root: &Path, output: &Path) -> Result<(), OutputRefused> {
    let out = resolved(&absolute(output));
    let root = resolved(&absolute(root));
    let shown = out.display();
    if out.parent().is_none() {
        return Err(OutputRefused(format!(
            "refusing to use {shown} as the output folder: it is the root of a disk"
        )));
    }
    if out == root {
        return Err(OutputRefused(format!(
            "refusing to use the site root {shown} as the output folder"
        )));
    }
    for protected in ["content", "themes"] {
        let dir = root.join(protected);
        if dir.starts_with(&out) {
            return Err(OutputRefused(format!(
                "refusing to use {shown} as the output folder: it contains the site's {protected}/ folder"
            )));
        }
        if out.starts_with(&dir) {
            return Err(OutputRefused(format!(
                "refusing to use {shown} as the output folder: it is inside the site's {protected}/ folder"
            )));
        }
    }
    if out.is_file() {
        return Err(OutputRefused(format!(
            "refusing to use {shown} as the output folder: it is a file"
        )));
    }
    if let Ok(meta) = fs::symlink_metadata(absolute(output))
        && meta.file_type().is_symlink()
    {
        return Err(OutputRefused(format!(
            "refusing to use {shown} as the output folder: it is a symbolic link"
        )));
    }
    if has_foreign_files(&out) {
        return Err(OutputRefused(format!(
            "refusing to write into {shown}: it already holds files that boardpress did not make (there is no {MANIFEST}); choose an empty or new folder"
        )));
    }
    Ok(())
}

/// The path with its deepest existing folder resolved through symbolic
/// links, so that a link cannot smuggle the output into `content/`.
fn resolved(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

/// Make a path absolute and lexically clean (without touching the disk, so
/// a folder that does not exist yet can be checked).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn has_foreign_files(out: &Path) -> bool {
    let Ok(entries) = fs::read_dir(out) else {
        return false;
    };
    // A first build that was killed while switching leaves its files with
    // the journal that lets the next build take them out again.
    if out.join(STAGING).join(switch::JOURNAL).is_file() {
        return false;
    }
    let mut names = entries
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n != STAGING && n != LOCK);
    names.next().is_some() && !out.join(MANIFEST).is_file()
}

/// Held by the build writing to an output folder, so that two builds (a
/// scheduled publish and a person, or two terminals) never write it at
/// once. The operating system's file lock (`File::try_lock`, in the
/// standard library since Rust 1.89) is released when its process ends, so
/// a build that was killed never leaves a lock behind that blocks the next.
pub const LOCK: &str = ".boardpress-lock";

/// The output folder's lock, released when dropped.
pub struct OutputLock {
    _file: fs::File,
    out: PathBuf,
    /// The build made the output folder (to remove again if it fails).
    created: bool,
}

/// Why the lock could not be taken.
pub enum LockError {
    Busy(String),
    Io(io::Error, PathBuf),
}

impl OutputLock {
    /// Take the lock on `out` (made if need be), waiting up to `wait` for
    /// another build to finish.
    pub fn acquire(out: &Path, wait: std::time::Duration) -> Result<OutputLock, LockError> {
        let created = !out.exists();
        fs::create_dir_all(out).map_err(|e| LockError::Io(e, out.to_path_buf()))?;
        let path = out.join(LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| LockError::Io(e, path.clone()))?;
        let until = std::time::Instant::now() + wait;
        let mut said = false;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(OutputLock {
                        _file: file,
                        out: out.to_path_buf(),
                        created,
                    });
                }
                Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < until => {
                    if !said {
                        eprintln!("Waiting for another build of {} to finish…", out.display());
                        said = true;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(LockError::Busy(format!(
                        "another boardpress build is writing to {} (it holds {LOCK} there); nothing was changed. Run this build again once that one has finished",
                        out.display()
                    )));
                }
                Err(fs::TryLockError::Error(e)) => return Err(LockError::Io(e, path)),
            }
        }
    }

    /// The build failed: a folder it made for itself, holding nothing but
    /// the lock, is removed again.
    pub fn failed(self) {
        if self.created {
            let out = self.out.clone();
            drop(self);
            let _ = fs::remove_file(out.join(LOCK));
            let _ = fs::remove_dir(&out);
        }
    }
}

/// Where changed files wait, inside the output folder, until the whole site
/// has rendered. Removed again whether the build succeeds or fails; one an
/// interrupted build left is dealt with by the next (see [`switch`]).
pub const STAGING: &str = ".boardpress-staging";

/// Receives the built site file by file, from several threads at once.
///
/// A file whose bytes equal the one already in the output folder is only
/// counted; a changed or new file is written to the staging folder. Only
/// [`Staging::commit`], called once everything rendered, touches the output
/// itself, through the transaction in [`switch`]. [`Staging::abort`] leaves
/// the output exactly as it was. Memory stays flat however large the site,
/// because no file is held after it has been handed over.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Where the new and changed files are staged, inside `dir`.
    new_dir: PathBuf,
    created_out: bool,
    /// An interrupted build's switch was undone when this build began.
    pub recovered: bool,
    /// Files that could not be staged, with what was being done: I/O
    /// errors, reported apart from mistakes in the content.
    failures: Mutex<Vec<String>>,
    /// The site's files.
    files: Mutex<BTreeSet<String>>,
    /// The build's own records (see [`Staging::put_record`]).
    records: Mutex<BTreeSet<String>>,
    staged: Mutex<Vec<String>>,
    /// Folders already made in the staging folder, so that each is made
    /// once rather than once per file in it.
    folders: Mutex<std::collections::HashSet<PathBuf>>,
    unchanged: AtomicUsize,
    /// Files of the site written (staged), for the report.
    written: AtomicUsize,
}

/// Whether `out` is empty but for the build's lock file.
fn holds_only_the_lock(out: &Path) -> bool {
    fs::read_dir(out).is_ok_and(|mut entries| {
        entries.all(|e| e.is_ok_and(|e| e.file_name() == std::ffi::OsStr::new(LOCK)))
    })
}

impl Staging {
    /// Prepare to write into `out`, first undoing whatever an interrupted
    /// build left (its switch half made, its staged files).
    pub fn begin(out: &Path) -> io::Result<Staging> {
        Self::begin_with(out, &mut |_| Ok(()))
    }

    fn begin_with(out: &Path, hook: switch::Hook) -> io::Result<Staging> {
        // The build's lock is taken first, and makes the folder: one that
        // holds nothing else is as new as one that did not exist.
        let created_out = !out.exists() || holds_only_the_lock(out);
        fs::create_dir_all(out)?;
        let dir = out.join(STAGING);
        let recovered = switch::recover(out, &dir, hook)?;
        // What versions before the switch kept beside the summaries.
        let _ = fs::remove_dir_all(out.join(".boardpress-summaries.new"));
        let new_dir = dir.join(switch::NEW);
        fs::create_dir_all(&new_dir)?;
        let folders = Mutex::new([new_dir.clone()].into_iter().collect());
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            new_dir,
            created_out,
            recovered,
            failures: Default::default(),
            files: Default::default(),
            records: Default::default(),
            staged: Default::default(),
            folders,
            unchanged: Default::default(),
            written: Default::default(),
        })
    }

    /// Take one file of the site. A failure is kept, to be reported by
    /// [`Staging::failures`], as well as returned.
    pub fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let result = self.stage(path, bytes, &self.files);
        self.note_failure(path, &result);
        match result {
            Ok(false) => self.unchanged.fetch_add(1, Ordering::Relaxed),
            Ok(true) => self.written.fetch_add(1, Ordering::Relaxed),
            Err(_) => 0,
        };
        result.map(|_| ())
    }

    /// Take one of the build's own records (`.boardpress-cache`, a board's
    /// summaries): written with the site, in the same switch, so that they
    /// always describe the site that is there, but not counted as pages.
    pub fn put_record(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let result = self.stage(path, bytes, &self.records);
        self.note_failure(path, &result);
        result.map(|_| ())
    }

    /// Keep one of the build's records as the previous build left it.
    pub fn keep_record(&self, path: &str) {
        locked(&self.records).insert(path.to_string());
    }

    fn note_failure(&self, path: &str, result: &io::Result<bool>) {
        if let Err(e) = result {
            locked(&self.failures).push(format!("{path}: {e}"));
        }
    }

    /// What could not be written, each with its file and the operation
    /// that failed (empty when all went well).
    pub fn failures(&self) -> Vec<String> {
        locked(&self.failures).clone()
    }

    /// Stage `path` unless the output already holds these bytes; whether it
    /// was staged.
    fn stage(&self, path: &str, bytes: &[u8], into: &Mutex<BTreeSet<String>>) -> io::Result<bool> {
        let rel = Path::new(path);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(io::Error::other(format!(
                "refusing to write {path}: not a plain relative path"
            )));
        }
        locked(into).insert(path.to_string());
        // An output folder this build created holds nothing to compare with.
        if !self.created_out && self.holds(rel, bytes) {
            return Ok(false);
        }
        let staged = self.new_dir.join(rel);
        if let Some(parent) = staged.parent() {
            self.make_folders(parent)?;
        }
        fs::write(&staged, bytes).map_err(|e| failed("write", &staged, e))?;
        locked(&self.staged).push(path.to_string());
        Ok(true)
    }

    /// Whether the output already holds `rel` with exactly these bytes.
    fn holds(&self, rel: &Path, bytes: &[u8]) -> bool {
        let target = self.out.join(rel);
        fs::metadata(&target).is_ok_and(|m| m.len() == bytes.len() as u64)
            && fs::read(&target).is_ok_and(|old| old == bytes)
    }

    /// Make `folder` in the staging folder, with the folders above it that
    /// no file has needed yet, from the top down: a `mkdir` each, where
    /// `create_dir_all` first fails on each folder whose parent is missing
    /// (a third of a first build's `mkdir` calls, each with a `stat`). Two
    /// threads may make the same folder: the second finds it there.
    fn make_folders(&self, folder: &Path) -> io::Result<()> {
        let missing: Vec<PathBuf> = {
            let made = locked(&self.folders);
            let missing = folder.ancestors().take_while(|a| !made.contains(*a));
            missing.map(Path::to_path_buf).collect()
        };
        for dir in missing.iter().rev() {
            match fs::create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => return Err(failed("make the folder", dir, e)),
            }
        }
        locked(&self.folders).extend(missing);
        Ok(())
    }

    /// Keep a file of the previous build as it is: it stays in the manifest
    /// and is not removed as stale.
    pub fn keep(&self, path: &str) {
        if locked(&self.files).insert(path.to_string()) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Everything rendered: switch the output folder to the new site, or
    /// leave it exactly as it was if that fails.
    pub fn commit(self) -> io::Result<WriteReport> {
        self.prepare()?.run(&mut |_| Ok(()))
    }

    /// Work out the switch: the new manifest staged with the site, the
    /// steps planned. Nothing in the output has changed yet.
    fn prepare(self) -> io::Result<Prepared> {
        let previous = read_manifest(&self.out);
        let files = std::mem::take(&mut *locked(&self.files));
        let records = std::mem::take(&mut *locked(&self.records));
        let mut current: BTreeSet<&str> =
            files.iter().chain(&records).map(String::as_str).collect();
        // A document's PDF is made by `pdf` or `build --pdf`, not by every
        // build: keep it while its document is still published.
        let kept: Vec<&str> = previous
            .iter()
            .map(String::as_str)
            .filter(|p| is_pdf_of_current(p, &current))
            .collect();
        current.extend(&kept);
        let stale: Vec<String> = previous
            .iter()
            .filter(|p| !current.contains(p.as_str()) && is_plain(p))
            .cloned()
            .collect();
        let manifest = manifest_text(current.iter().copied());
        if fs::read_to_string(self.out.join(MANIFEST)).ok().as_deref() != Some(&manifest) {
            self.put_record(MANIFEST, manifest.as_bytes())?;
        }
        let mut staged = std::mem::take(&mut *locked(&self.staged));
        // Paths are unique: an unstable sort gives the same order, faster.
        staged.sort_unstable();
        match switch::plan(&self.out, &staged, &stale) {
            Ok(steps) => Ok(Prepared {
                steps,
                report: WriteReport {
                    files: files.len(),
                    // Every staged file was written, alone or in a new folder.
                    written: self.written.load(Ordering::Relaxed),
                    unchanged: self.unchanged.load(Ordering::Relaxed),
                    removed: 0,
                },
                staging: self,
            }),
            Err(e) => {
                let _ = fs::remove_dir_all(&self.dir);
                Err(e)
            }
        }
    }

    /// Something failed: forget the staged files; the output is as it was.
    pub fn abort(self) {
        let _ = fs::remove_dir_all(&self.dir);
        if self.created_out {
            let _ = fs::remove_dir(&self.out);
        }
    }
}

/// A switch worked out and not yet made.
struct Prepared {
    staging: Staging,
    steps: Vec<switch::Step>,
    /// What the switch will have done, but for the files it removes.
    report: WriteReport,
}

impl Prepared {
    fn run(self, hook: switch::Hook) -> io::Result<WriteReport> {
        switch::run(&self.staging.out, &self.staging.dir, &self.steps, hook)?;
        let removed = self
            .steps
            .iter()
            .filter(|s| matches!(s, switch::Step::Remove(p) if !is_record(p)))
            .count();
        Ok(WriteReport {
            removed,
            ..self.report
        })
    }
}

/// One of the build's own records rather than a page of the site.
fn is_record(path: &str) -> bool {
    path.starts_with(".boardpress-")
}

/// A plain relative path (a manifest entry that is not is ignored, so an
/// edited manifest cannot make a build delete anything outside).
fn is_plain(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        Staging::put(self, path, bytes)
    }
    fn keep(&self, path: &str) {
        Staging::keep(self, path)
    }
    fn put_record(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        Staging::put_record(self, path, bytes)
    }
    fn keep_record(&self, path: &str) {
        Staging::keep_record(self, path)
    }
}

/// Bring `out` in line with `files` in one go (for callers that have the
/// whole site in memory).
pub fn write_site(out: &Path, files: &[OutputFile]) -> io::Result<WriteReport> {
    let staging = Staging::begin(out)?;
    for f in files {
        if let Err(e) = staging.put(&f.path, &f.bytes) {
            staging.abort();
            return Err(e);
        }
    }
    staging.commit()
}

/// `x/y.pdf` whose document page `x/index.html` is still produced.
fn is_pdf_of_current(path: &str, current: &BTreeSet<&str>) -> bool {
    let Some((folder, _)) = path.rsplit_once('/') else {
        return false;
    };
    path.ends_with(".pdf") && current.contains(format!("{folder}/index.html").as_str())
}

/// Add files made outside `write_site` (the PDFs) to the manifest.
pub fn record(out: &Path, paths: &[&str]) -> io::Result<()> {
    let mut all: BTreeSet<String> = read_manifest(out).into_iter().collect();
    all.extend(paths.iter().map(|p| p.to_string()));
    let text = manifest_text(all.iter().map(String::as_str));
    let path = out.join(MANIFEST);
    if fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    // Whole or not at all: a manifest cut short would let the next build
    // forget files it made.
    let partial = out.join(format!("{MANIFEST}.partial"));
    fs::write(&partial, text).map_err(|e| failed("write", &partial, e))?;
    fs::rename(&partial, &path).map_err(|e| failed("replace", &path, e))
}

fn manifest_text<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for p in paths {
        text.push_str(p);
        text.push('\n');
    }
    text
}

fn read_manifest(out: &Path) -> Vec<String> {
    fs::read_to_string(out.join(MANIFEST))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn rewrites_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let first = write_site(
            &out,
            &[file("index.html", "a"), file("old/index.html", "b")],
        )
        .unwrap();
        assert_eq!(
            first,
            WriteReport {
                files: 2,
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        let second = write_site(
            &out,
            &[file("index.html", "a"), file("new/index.html", "c")],
        )
        .unwrap();
        assert_eq!(
            second,
            WriteReport {
                files: 2,
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!out.join("old").exists());
        assert_eq!(fs::read_to_string(out.join("new/index.html")).unwrap(), "c");
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_path(root, Path::new("/")).is_err());
        assert!(check_output_path(root, root).is_err());
        assert!(check_output_path(root, &root.join("content/out")).is_err());
        assert!(check_output_path(root, &root.join("..")).is_err());
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join("docs/notes.txt"), "mine").unwrap();
        assert!(check_output_path(root, &root.join("docs")).is_err());
        assert!(check_output_path(root, &root.join("output")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn links_cannot_smuggle_the_output_into_content_or_deletions_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        std::os::unix::fs::symlink(&root, dir.path().join("link")).unwrap();
        assert!(check_output_path(&root, &dir.path().join("link/content/x")).is_err());

        let out = dir.path().join("out");
        write_site(
            &out,
            &[file("a/index.html", "a"), file("b/index.html", "b")],
        )
        .unwrap();
        let victim = dir.path().join("victim");
        fs::create_dir_all(&victim).unwrap();
        fs::write(victim.join("index.html"), "keep").unwrap();
        fs::remove_dir_all(out.join("b")).unwrap();
        std::os::unix::fs::symlink(&victim, out.join("b")).unwrap();
        write_site(&out, &[file("a/index.html", "a")]).unwrap();
        assert_eq!(
            fs::read_to_string(victim.join("index.html")).unwrap(),
            "keep"
        );
    }

    /// A site folder's every file (with its bytes) and folder, but not the
    /// lock: what a reader or an upload would see.
    type Tree = BTreeMap<String, Option<Vec<u8>>>;

    fn tree(out: &Path) -> Tree {
        let mut found = Tree::new();
        let mut todo = vec![out.to_path_buf()];
        while let Some(dir) = todo.pop() {
            for entry in fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                let rel = path
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                if rel == LOCK {
                    continue;
                }
                let kind = entry.file_type().unwrap();
                if kind.is_symlink() {
                    let to = fs::read_link(&path).unwrap();
                    found.insert(rel, Some(to.to_string_lossy().as_bytes().to_vec()));
                } else if kind.is_dir() {
                    found.insert(rel, None);
                    todo.push(path);
                } else {
                    found.insert(rel, Some(fs::read(&path).unwrap()));
                }
            }
        }
        found
    }

    /// Two versions of a site between which every kind of step happens: a
    /// page replaced, one unchanged, one added to a folder that stays, a
    /// folder emptied and pruned, a file that becomes a folder, new nested
    /// folders (each moved in whole), and the build's records.
    fn site(new: bool) -> (Vec<OutputFile>, [(&'static str, &'static str); 2]) {
        if new {
            (
                vec![
                    file("index.html", "new home"),
                    file("a/page.html", "same"),
                    file("a/new.html", "new beside the same"),
                    file("f/index.html", "f is now a folder"),
                    file("n/m/deep.html", "deep"),
                ],
                [
                    (".boardpress-cache", "new record"),
                    (".boardpress-summaries/board.bin", "new summaries"),
                ],
            )
        } else {
            (
                vec![
                    file("index.html", "old home"),
                    file("a/page.html", "same"),
                    file("a/b/gone.html", "gone"),
                    file("f", "a file"),
                ],
                [
                    (".boardpress-cache", "old record"),
                    (".boardpress-summaries/board.bin", "old summaries"),
                ],
            )
        }
    }

    fn stage(out: &Path, new: bool) -> Staging {
        let staging = Staging::begin(out).unwrap();
        let (files, records) = site(new);
        for f in files {
            staging.put(&f.path, &f.bytes).unwrap();
        }
        for (path, text) in records {
            staging.put_record(path, text.as_bytes()).unwrap();
        }
        staging
    }

    /// The old and the new site as clean builds leave them.
    fn expected() -> (Tree, Tree) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        stage(&out, false).commit().unwrap();
        let old = tree(&out);
        stage(&out, true).commit().unwrap();
        (old, tree(&out))
    }

    /// A hook that fails the `at`th change, and (`across`) makes every
    /// rename between the staging folder and the site fail as it does
    /// across disks, so the copying path is taken.
    fn faults<'a>(
        staging: &'a Path,
        at: usize,
        across: bool,
        seen: &'a mut Vec<String>,
    ) -> impl FnMut(&switch::Op) -> io::Result<()> + 'a {
        move |op| {
            seen.push(format!("{op:?}"));
            if seen.len() - 1 == at {
                return Err(io::Error::other("injected failure"));
            }
            match op {
                switch::Op::Rename(from, to)
                    if across && from.starts_with(staging) != to.starts_with(staging) =>
                {
                    Err(io::Error::from(io::ErrorKind::CrossesDevices))
                }
                _ => Ok(()),
            }
        }
    }

    /// How many changes a whole switch makes, and which of them is
    /// removing the journal: the moment the new site becomes the site.
    fn changes(across: bool) -> (usize, usize) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        stage(&out, false).commit().unwrap();
        let prepared = stage(&out, true).prepare().unwrap();
        let staging = out.join(STAGING);
        let mut seen = Vec::new();
        prepared
            .run(&mut faults(&staging, usize::MAX, across, &mut seen))
            .unwrap();
        let commit = seen
            .iter()
            .position(|op| op.starts_with("RemoveFile") && op.ends_with("journal\")"))
            .unwrap();
        (seen.len(), commit)
    }

    #[test]
    fn a_switch_killed_at_any_change_is_undone_by_the_next_build() {
        let (old, new) = expected();
        for across in [false, true] {
            let (total, commit) = changes(across);
            assert!(total > 20, "{total} changes");
            for at in 0..=total {
                let dir = tempfile::tempdir().unwrap();
                let out = dir.path().join("out");
                stage(&out, false).commit().unwrap();
                let prepared = stage(&out, true).prepare().unwrap();
                let staging = out.join(STAGING);
                let journal = staging.join(switch::JOURNAL);
                let mut seen = Vec::new();
                let mut hook = faults(&staging, at, across, &mut seen);
                switch::interrupted(&out, &staging, &prepared.steps, &mut hook);
                let unfinished = journal.exists();
                let next = Staging::begin(&out).unwrap();
                assert_eq!(next.recovered, unfinished);
                next.abort();
                let after = tree(&out);
                let want = if at > commit { &new } else { &old };
                if after != *want {
                    for (k, v) in want.iter() {
                        if after.get(k) != Some(v) {
                            eprintln!(
                                "{k}: want {:?} got {:?}",
                                v.as_ref().map(|b| String::from_utf8_lossy(b).to_string()),
                                after.get(k)
                            );
                        }
                    }
                }
                assert!(
                    after == *want,
                    "killed at change {at} of {total} (across disks: {across}): {:?}",
                    after.keys().collect::<Vec<_>>()
                );
                stage(&out, true).commit().unwrap();
                assert!(tree(&out) == new, "the build after a kill at change {at}");
            }
        }
    }

    #[test]
    fn a_switch_that_fails_at_any_change_puts_the_old_site_back() {
        let (old, new) = expected();
        for across in [false, true] {
            let (total, _) = changes(across);
            for at in 0..=total {
                let dir = tempfile::tempdir().unwrap();
                let out = dir.path().join("out");
                stage(&out, false).commit().unwrap();
                let prepared = stage(&out, true).prepare().unwrap();
                let staging = out.join(STAGING);
                let mut seen = Vec::new();
                let result = prepared.run(&mut faults(&staging, at, across, &mut seen));
                let after = tree(&out);
                match result {
                    Ok(_) => assert!(at >= total && after == new),
                    // Only removing the staging folder comes after the
                    // switch: the new site stands and the next build tidies.
                    Err(e) if e.to_string().contains("the new site is in place") => {
                        Staging::begin(&out).unwrap().abort();
                        assert!(tree(&out) == new, "failed at change {at}: {e}");
                    }
                    Err(e) => {
                        assert!(e.to_string().contains("injected failure"), "{e}");
                        assert!(
                            after == old,
                            "failed at change {at} (across disks: {across}): {e}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn undoing_survives_being_killed_itself() {
        let (old, new) = expected();
        let (total, commit) = changes(false);
        for at in (0..total).step_by(3) {
            for undo_at in 0..total {
                let dir = tempfile::tempdir().unwrap();
                let out = dir.path().join("out");
                stage(&out, false).commit().unwrap();
                let prepared = stage(&out, true).prepare().unwrap();
                let staging = out.join(STAGING);
                let mut seen = Vec::new();
                switch::interrupted(
                    &out,
                    &staging,
                    &prepared.steps,
                    &mut faults(&staging, at, false, &mut seen),
                );
                let mut seen = Vec::new();
                let _ = Staging::begin_with(&out, &mut faults(&staging, undo_at, false, &mut seen));
                Staging::begin(&out).unwrap().abort();
                let want = if at > commit { &new } else { &old };
                assert!(
                    tree(&out) == *want,
                    "killed at {at}, then undoing killed at {undo_at}"
                );
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_replaced_by_a_link_stops_the_switch_before_it_starts() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        stage(&out, false).commit().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::rename(out.join("a"), elsewhere.join("a")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("a"), out.join("a")).unwrap();
        let before = tree(&out);
        let staging = Staging::begin(&out).unwrap();
        staging.put("a/page.html", b"changed").unwrap();
        staging.put("index.html", b"changed too").unwrap();
        let e = staging.commit().unwrap_err().to_string();
        assert!(e.contains("is a symbolic link"), "{e}");
        assert!(tree(&out) == before);
        assert_eq!(
            fs::read_to_string(elsewhere.join("a/page.html")).unwrap(),
            "same"
        );
    }

    /// Shapes the switch cannot take part way are refused before it starts,
    /// each with what to do, and the folder is left as it was.
    #[test]
    fn shapes_the_switch_cannot_take_are_refused_first() {
        // The old site's files, the new site's one file, the message.
        type Case = (
            &'static [(&'static str, &'static str)],
            &'static str,
            &'static str,
        );
        let cases: [Case; 3] = [
            // A page's folder became a file.
            (
                &[("x/index.html", "page")],
                "x",
                "is a folder, where the new site has a file; remove or rename the folder",
            ),
            // A file someone put there is in the way of a new folder.
            (
                &[],
                "notes/index.html",
                "is a file, where the new site needs a folder; remove or rename it",
            ),
            // A sub-folder is a link to somewhere else.
            (
                &[],
                "linked/index.html",
                "is a symbolic link; boardpress does not write through links",
            ),
        ];
        for (old, new, message) in cases {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            let old: Vec<OutputFile> = old.iter().map(|(p, t)| file(p, t)).collect();
            write_site(&out, &old).unwrap();
            fs::write(out.join("notes"), "mine").unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(dir.path(), out.join("linked")).unwrap();
            #[cfg(not(unix))]
            if new.starts_with("linked") {
                continue;
            }
            let before = tree(&out);
            let e = write_site(&out, &[file(new, "new")])
                .unwrap_err()
                .to_string();
            assert!(e.contains(message), "{new}: {e}");
            assert!(tree(&out) == before, "{new}: the folder changed");
        }
    }

    #[test]
    fn a_journal_that_cannot_be_read_is_an_error_saying_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_site(&out, &[file("index.html", "home")]).unwrap();
        fs::create_dir_all(out.join(STAGING)).unwrap();
        fs::write(out.join(STAGING).join(switch::JOURNAL), "{ cut sho").unwrap();
        let e = Staging::begin(&out).err().unwrap().to_string();
        assert!(
            e.contains("is not a journal this version of boardpress can read"),
            "{e}"
        );
        assert!(
            e.contains("delete the output folder and build again"),
            "{e}"
        );
    }

    /// A first build killed while switching left files without a manifest:
    /// the folder is still accepted, and the next build takes them out.
    #[test]
    fn a_first_build_killed_while_switching_does_not_lock_the_folder_out() {
        // Every change of a first build's switch up to removing its journal.
        let changes = {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            let prepared = stage(&out, true).prepare().unwrap();
            let mut seen = Vec::new();
            prepared
                .run(&mut faults(
                    &out.join(STAGING),
                    usize::MAX,
                    false,
                    &mut seen,
                ))
                .unwrap();
            seen.iter()
                .position(|op| op.starts_with("RemoveFile") && op.ends_with("journal\")"))
                .unwrap()
        };
        assert!(changes > 5, "{changes} changes");
        for at in 0..=changes {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("site");
            fs::create_dir_all(root.join("content")).unwrap();
            let out = dir.path().join("out");
            let prepared = stage(&out, true).prepare().unwrap();
            let staging = out.join(STAGING);
            let mut seen = Vec::new();
            let mut hook = faults(&staging, at, false, &mut seen);
            switch::interrupted(&out, &staging, &prepared.steps, &mut hook);
            assert!(check_output_path(&root, &out).is_ok(), "killed at {at}");
            Staging::begin(&out).unwrap().abort();
            assert!(
                tree(&out).is_empty(),
                "killed at {at}: {:?}",
                tree(&out).keys()
            );
        }
    }
}
