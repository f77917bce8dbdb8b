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

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::render::OutputFile;

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
    // A staging folder and new summaries are what a crashed first build
    // leaves.
    let mut names = entries
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n != STAGING && n != crate::cache::NEW_SUMMARIES && n != LOCK);
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
/// has rendered. Removed again whether the build succeeds or fails.
pub const STAGING: &str = ".boardpress-staging";

/// Receives the built site file by file, from several threads at once.
///
/// A file whose bytes equal the one already in the output folder is only
/// counted; a changed or new file is written to the staging folder. Only
/// [`Staging::commit`], called once everything rendered, touches the output
/// itself: it moves the staged files in (a rename each) and removes the
/// files of the previous build that were not produced again. [`Staging::abort`]
/// leaves the output exactly as it was. Memory stays flat however large the
/// site, because no file is held after it has been handed over.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    created_out: bool,
    /// Files that could not be staged, with what was being done: I/O
    /// errors, reported apart from mistakes in the content.
    failures: std::sync::Mutex<Vec<String>>,
    files: std::sync::Mutex<BTreeSet<String>>,
    staged: std::sync::Mutex<Vec<String>>,
    unchanged: std::sync::atomic::AtomicUsize,
}

impl Staging {
    /// Prepare to write into `out`, clearing any staging left by a crash.
    pub fn begin(out: &Path) -> io::Result<Staging> {
        let created_out = !out.exists();
        fs::create_dir_all(out)?;
        let dir = out.join(STAGING);
        if fs::symlink_metadata(&dir).is_ok() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        crate::cache::Summaries::discard_new(out);
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            created_out,
            failures: Default::default(),
            files: Default::default(),
            staged: Default::default(),
            unchanged: Default::default(),
        })
    }

    /// Take one file of the site. A failure is kept, to be reported by
    /// [`Staging::failures`], as well as returned.
    pub fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let result = self.stage(path, bytes);
        if let Err(e) = &result {
            let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
            failures.push(format!("{path}: {e}"));
        }
        result
    }

    /// What could not be written, each with its file and the operation
    /// that failed (empty when all went well).
    pub fn failures(&self) -> Vec<String> {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn stage(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let rel = Path::new(path);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(io::Error::other(format!(
                "refusing to write {path}: not a plain relative path"
            )));
        }
        self.lock_files().insert(path.to_string());
        let target = self.out.join(rel);
        let same = fs::metadata(&target).is_ok_and(|m| m.len() == bytes.len() as u64)
            && fs::read(&target).is_ok_and(|old| old == bytes);
        if same {
            self.unchanged
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Ok(());
        }
        let staged = self.dir.join(rel);
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent).map_err(|e| failed("make the folder", parent, e))?;
        }
        fs::write(&staged, bytes).map_err(|e| failed("write", &staged, e))?;
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
        Ok(())
    }

    /// Keep a file of the previous build as it is: it stays in the manifest
    /// and is not removed as stale.
    pub fn keep(&self, path: &str) {
        if self.lock_files().insert(path.to_string()) {
            self.unchanged
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    fn lock_files(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Everything rendered: move the changes in and remove what is gone.
    /// If that fails part way, the staging folder goes anyway (it must not
    /// be uploaded with the site); the next build finishes the update.
    pub fn commit(self) -> io::Result<WriteReport> {
        let result = self.move_in();
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
            crate::cache::Summaries::discard_new(&self.out);
        }
        result
    }

    fn move_in(&self) -> io::Result<WriteReport> {
        let previous = read_manifest(&self.out);
        let mut staged =
            std::mem::take(&mut *self.staged.lock().unwrap_or_else(|e| e.into_inner()));
        staged.sort();
        let mut made_dirs = BTreeSet::new();
        for path in &staged {
            let target = self.out.join(path);
            if let Some(parent) = target.parent()
                && made_dirs.insert(parent.to_path_buf())
            {
                create_dirs_inside(&self.out, parent)?;
            }
            fs::rename(self.dir.join(path), &target)
                .map_err(|e| failed("move the new page into place at", &target, e))?;
        }
        let files = std::mem::take(&mut *self.lock_files());
        let site_files = files.len();
        let mut current: BTreeSet<&str> = files.iter().map(String::as_str).collect();
        // A document's PDF is made by `pdf` or `build --pdf`, not by every
        // build: keep it while its document is still published.
        let kept: Vec<&str> = previous
            .iter()
            .map(String::as_str)
            .filter(|p| is_pdf_of_current(p, &current))
            .collect();
        let mut removed = 0;
        for stale in previous
            .iter()
            .filter(|p| !current.contains(p.as_str()) && !kept.contains(&p.as_str()))
        {
            if remove_inside(&self.out, stale)
                .map_err(|e| failed("remove the old file", &self.out.join(stale), e))?
            {
                removed += 1;
            }
        }
        current.extend(kept);
        write_manifest(&self.out, current.iter().copied())
            .map_err(|e| failed("write", &self.out.join(MANIFEST), e))?;
        fs::remove_dir_all(&self.dir).map_err(|e| failed("remove", &self.dir, e))?;
        Ok(WriteReport {
            files: site_files,
            written: staged.len(),
            unchanged: self.unchanged.load(std::sync::atomic::Ordering::Relaxed),
            removed,
        })
    }

    /// Something failed: forget the staged files; the output is as it was.
    pub fn abort(self) {
        let _ = fs::remove_dir_all(&self.dir);
        crate::cache::Summaries::discard_new(&self.out);
        if self.created_out {
            let _ = fs::remove_dir(&self.out);
        }
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        Staging::put(self, path, bytes)
    }
    fn keep(&self, path: &str) {
        Staging::keep(self, path)
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
    write_manifest(out, all.iter().map(String::as_str))
}

/// Write the manifest, sorted, and only when it changed.
fn write_manifest<'a>(out: &Path, paths: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let text: String = paths.map(|p| format!("{p}\n")).collect();
    let path = out.join(MANIFEST);
    if fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fs::write(path, text)
}

fn read_manifest(out: &Path) -> Vec<String> {
    fs::read_to_string(out.join(MANIFEST))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// An I/O error with the operation and the file it was on, as the person
/// reading it needs them: "could not write /srv/site/x.html: disk full".
fn failed(doing: &str, path: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("could not {doing} {}: {e}", path.display()),
    )
}

/// Create `dir` (inside `out`), refusing to pass through a symbolic link.
fn create_dirs_inside(out: &Path, dir: &Path) -> io::Result<()> {
    let rel = dir
        .strip_prefix(out)
        .map_err(|_| io::Error::other("path outside the output folder"))?;
    let mut here = out.to_path_buf();
    for part in rel.components() {
        here.push(part);
        match fs::symlink_metadata(&here) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(io::Error::other(format!(
                    "{} is a symbolic link; not writing through it",
                    here.display()
                )));
            }
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => fs::remove_file(&here).and_then(|_| fs::create_dir(&here))?,
            Err(_) => fs::create_dir(&here)?,
        }
    }
    Ok(())
}

/// Remove a file listed in the old manifest, and its folders if now empty.
/// Entries that are not plain relative paths are ignored.
fn remove_inside(out: &Path, rel: &str) -> io::Result<bool> {
    let rel = Path::new(rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Ok(false);
    }
    // Never through a symbolic link: a linked folder inside the output
    // would otherwise let a stale entry delete files elsewhere.
    let mut here = out.to_path_buf();
    for part in rel.components() {
        here.push(part);
        if fs::symlink_metadata(&here).is_ok_and(|m| m.file_type().is_symlink()) {
            return Ok(false);
        }
    }
    let target = out.join(rel);
    match fs::symlink_metadata(&target) {
        Ok(meta) if meta.is_file() => fs::remove_file(&target)?,
        _ => return Ok(false),
    }
    let mut dir = target.parent();
    while let Some(d) = dir {
        if d == out || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
