//! Switching the output folder from the old site to the new one, as a
//! transaction.
//!
//! When the switch starts, every changed file of the new site waits in the
//! staging folder's `new/`. The switch first writes a journal of the steps
//! it is about to take, then takes them: files the new site no longer has
//! are moved aside into `old/`, each folder the old site did not have is
//! moved in whole with everything staged under it, and each other changed
//! file has its old version moved aside and the new one moved in (a rename
//! each). A first build is thus a rename for each top folder, not for each
//! file. Removing the journal is the moment the new site becomes the site;
//! the staging folder, with the old versions, goes after that.
//!
//! If a step fails, the steps are undone from the journal in reverse and
//! the old site is back, exactly. If the build is killed, the next build
//! finds the journal and undoes it in the same way before it starts. Each
//! undo looks at the disk to see how far its step got, so undoing again (a
//! build killed while undoing) is harmless.
//!
//! Why a journal of renames rather than building a whole new folder beside
//! the old and swapping the two: see README ("How a build replaces the
//! site"). In short, its cost follows the files that changed, not the size
//! of the site, and the output folder itself is never moved, so a web
//! server or a mounted share pointing at it keeps working.
//!
//! A rename is atomic only within one file system. Where one cannot be made
//! (a sub-folder of the output is another disk mounted there), the file is
//! copied to a temporary name beside its target and renamed from there, so
//! that no reader ever sees half a file.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The journal, inside the staging folder.
pub const JOURNAL: &str = "journal";
/// The staged files of the new site, inside the staging folder.
pub const NEW: &str = "new";
/// The old site's versions of the files the switch replaced or removed.
const OLD: &str = "old";
/// A file being copied across disks, beside its target.
const PARTIAL: &str = ".boardpress-partial-";
const FORMAT: u32 = 1;

/// One step of the switch, in the order they are taken: removals, then
/// files and whole new folders. (`MakeDir` is no longer planned, as a
/// missing folder now comes in whole, but a journal left by an earlier
/// version may hold it, to be undone.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", content = "path", rename_all = "lowercase")]
pub enum Step {
    /// A file of the old site that the new one does not have.
    Remove(String),
    /// A folder the new site needs that the old one does not have.
    MakeDir(String),
    /// A file only the new site has.
    Add(String),
    /// A folder only the new site has, moved in whole with everything
    /// staged under it: one rename rather than one for each of its files
    /// and folders (a first build's whole site).
    AddDir(String),
    /// A file both have, changed.
    Replace(String),
}

#[derive(Serialize, Deserialize)]
struct Journal {
    format: u32,
    steps: Vec<Step>,
}

/// One change to the disk, shown to the hook before it is made.
#[derive(Debug)]
// What each change is on is read only by the tests' hooks.
#[allow(dead_code)]
pub enum Op<'a> {
    Write(&'a Path),
    Rename(&'a Path, &'a Path),
    Copy(&'a Path, &'a Path),
    MakeDir(&'a Path),
    RemoveFile(&'a Path),
    RemoveDir(&'a Path),
}

/// Called before every change to the disk. The build's hook does nothing;
/// the tests' hooks fail a chosen change (or panic, which stops the switch
/// where it is, as a kill would) to check that every state it can be left
/// in is undone.
pub type Hook<'a> = &'a mut dyn FnMut(&Op) -> io::Result<()>;

/// The steps that take the output folder from the old site to the new:
/// `staged` are the changed files waiting in the staging folder, `stale`
/// the old site's files the new one does not have. A problem that would
/// stop the switch part way (a sub-folder that is a symbolic link, a
/// folder where the new site has a file) is found here, before anything
/// changes.
pub fn plan(out: &Path, staged: &[String], stale: &[String]) -> io::Result<Vec<Step>> {
    let removed: BTreeSet<&str> = stale
        .iter()
        .map(String::as_str)
        .filter(|p| is_plain_file(out, p))
        .collect();
    // Looked up for every folder above every staged file (tens of
    // thousands on a first build): hashed rather than ordered.
    let mut moved: HashSet<String> = HashSet::new();
    let mut checked = HashSet::new();
    let mut files = Vec::new();
    for path in staged {
        if ancestors(path).any(|dir| moved.contains(dir)) {
            continue;
        }
        // The outermost missing folder comes in whole, with this file and
        // every other staged under it (all new, as their folder is).
        if let Some(dir) = missing_folder(out, path, &removed, &mut checked)? {
            files.push(Step::AddDir(dir.clone()));
            moved.insert(dir);
            continue;
        }
        let target = out.join(path);
        files.push(match fs::symlink_metadata(&target) {
            Err(_) => Step::Add(path.clone()),
            Ok(meta) if meta.is_dir() => {
                return Err(io::Error::other(format!(
                    "{} is a folder, where the new site has a file; remove or rename the folder",
                    target.display()
                )));
            }
            Ok(_) => Step::Replace(path.clone()),
        });
    }
    let mut steps: Vec<Step> = removed
        .into_iter()
        .map(|p| Step::Remove(p.to_string()))
        .collect();
    steps.extend(files);
    Ok(steps)
}

/// The folders holding `path`, outermost first: `a`, `a/b` for `a/b/c`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(|(i, _)| &path[..i])
}

/// A file listed in the old manifest that is there to remove: a plain file,
/// not reached through a symbolic link (which could point anywhere).
fn is_plain_file(out: &Path, rel: &str) -> bool {
    let mut here = out.to_path_buf();
    for part in Path::new(rel).components() {
        here.push(part);
        if fs::symlink_metadata(&here).is_ok_and(|m| m.file_type().is_symlink()) {
            return false;
        }
    }
    fs::symlink_metadata(&here).is_ok_and(|m| m.is_file())
}

/// The outermost folder above `path` that does not exist yet (or is a file
/// the switch removes first), if any; refusing to pass through a symbolic
/// link or a file that stays. Folders in `checked` were passed already (a
/// site has many files to a folder); those passed now are added to it.
/// Nothing below a missing folder can exist, so the search stops there.
fn missing_folder(
    out: &Path,
    path: &str,
    removed: &BTreeSet<&str>,
    checked: &mut HashSet<String>,
) -> io::Result<Option<String>> {
    for rel in ancestors(path) {
        if checked.contains(rel) {
            continue;
        }
        let here = out.join(rel);
        match fs::symlink_metadata(&here) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(io::Error::other(format!(
                    "{} is a symbolic link; boardpress does not write through links in the output folder. Replace it with an ordinary folder, or remove it and build again",
                    here.display()
                )));
            }
            Ok(meta) if meta.is_dir() => {}
            Ok(_) if removed.contains(rel) => return Ok(Some(rel.to_string())),
            Ok(_) => {
                return Err(io::Error::other(format!(
                    "{} is a file, where the new site needs a folder; remove or rename it",
                    here.display()
                )));
            }
            Err(_) => return Ok(Some(rel.to_string())),
        }
        checked.insert(rel.to_string());
    }
    Ok(None)
}

/// Take `steps`, from the files waiting in `staging`. On success the new
/// site is in place and the staging folder is gone. On failure the old
/// site is put back and the staging folder removed; if even that fails,
/// the journal stays for the next build to finish the undoing, and the
/// error says so.
pub fn run(out: &Path, staging: &Path, steps: &[Step], hook: Hook) -> io::Result<()> {
    let mut disk = Disk { out, staging, hook };
    if let Err(e) = disk.write_journal(steps) {
        // Nothing was changed yet.
        let _ = fs::remove_dir_all(staging);
        return Err(e);
    }
    if let Err(e) = disk.forward(steps) {
        return Err(match disk.undo(steps) {
            Ok(()) => {
                let _ = fs::remove_dir_all(staging);
                e
            }
            Err(undo) => io::Error::new(
                e.kind(),
                format!(
                    "{e}; and putting the previous site back failed too ({undo}): the next build will put it back"
                ),
            ),
        });
    }
    disk.remove_all(staging).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "the new site is in place, but {e}; the next build removes it, or delete it by hand before uploading"
            ),
        )
    })
}

/// The switch up to where `hook` first fails, and no further: what a kill
/// at that moment leaves on the disk.
#[cfg(test)]
pub fn interrupted(out: &Path, staging: &Path, steps: &[Step], hook: Hook) {
    let mut disk = Disk { out, staging, hook };
    let _ = disk.write_journal(steps).and_then(|()| disk.forward(steps));
}

/// What an interrupted build left in `staging`, dealt with: an unfinished
/// switch is undone, so the old site is back (`Ok(true)`), and the staging
/// folder is removed.
pub fn recover(out: &Path, staging: &Path, hook: Hook) -> io::Result<bool> {
    if fs::symlink_metadata(staging).is_err() {
        return Ok(false);
    }
    let journal = staging.join(JOURNAL);
    let mut disk = Disk { out, staging, hook };
    let undone = match fs::read(&journal) {
        Ok(bytes) => {
            let journal: Journal = serde_json::from_slice(&bytes)
                .ok()
                .filter(|j: &Journal| j.format == FORMAT)
                .ok_or_else(|| {
                    io::Error::other(format!(
                        "{} is not a journal this version of boardpress can read, so the interrupted build it records cannot be undone; delete the output folder and build again",
                        journal.display()
                    ))
                })?;
            disk.undo(&journal.steps)?;
            true
        }
        Err(_) => false,
    };
    disk.remove_all(staging)?;
    Ok(undone)
}

/// The disk as the switch changes it, every change shown to the hook first.
struct Disk<'a, 'h> {
    out: &'a Path,
    staging: &'a Path,
    hook: Hook<'h>,
}

impl Disk<'_, '_> {
    fn new_file(&self, path: &str) -> PathBuf {
        self.staging.join(NEW).join(path)
    }

    fn old_file(&self, path: &str) -> PathBuf {
        self.staging.join(OLD).join(path)
    }

    /// Written whole to a temporary name and renamed, so that a journal
    /// is there complete or not at all.
    fn write_journal(&mut self, steps: &[Step]) -> io::Result<()> {
        let journal = Journal {
            format: FORMAT,
            steps: steps.to_vec(),
        };
        let bytes = serde_json::to_vec(&journal).map_err(io::Error::other)?;
        let path = self.staging.join(JOURNAL);
        let partial = self.staging.join(format!("{JOURNAL}.partial"));
        (self.hook)(&Op::Write(&partial))?;
        fs::write(&partial, bytes).map_err(|e| failed("write", &partial, e))?;
        self.rename(&partial, &path)
    }

    /// The steps, then the empty folders pruned, then the journal removed:
    /// from that moment the new site is the site.
    fn forward(&mut self, steps: &[Step]) -> io::Result<()> {
        self.apply(steps)?;
        self.prune(steps)?;
        self.remove_file(&self.staging.join(JOURNAL))
    }

    fn apply(&mut self, steps: &[Step]) -> io::Result<()> {
        for step in steps {
            match step {
                Step::Remove(p) => {
                    let target = self.out.join(p);
                    self.set_aside(&target, &self.old_file(p), true)?;
                }
                Step::MakeDir(d) => self.make_dir(&self.out.join(d))?,
                Step::Add(p) => self.put_in(&self.new_file(p), &self.out.join(p))?,
                Step::AddDir(d) => self.put_in_dir(&self.new_file(d), &self.out.join(d))?,
                Step::Replace(p) => {
                    let target = self.out.join(p);
                    self.set_aside(&target, &self.old_file(p), false)?;
                    self.put_in(&self.new_file(p), &target)?;
                }
            }
        }
        Ok(())
    }

    /// Remove the folders that removing files emptied.
    fn prune(&mut self, steps: &[Step]) -> io::Result<()> {
        for step in steps {
            let Step::Remove(p) = step else { continue };
            let mut dir = self.out.join(p).parent().map(Path::to_path_buf);
            while let Some(d) = dir {
                if d == self.out || !is_empty_dir(&d) {
                    break;
                }
                (self.hook)(&Op::RemoveDir(&d))?;
                fs::remove_dir(&d).map_err(|e| failed("remove the empty folder", &d, e))?;
                dir = d.parent().map(Path::to_path_buf);
            }
        }
        Ok(())
    }

    /// Put the old site back: each step undone, last first, as far as the
    /// disk shows it got.
    fn undo(&mut self, steps: &[Step]) -> io::Result<()> {
        for step in steps.iter().rev() {
            match step {
                Step::Add(p) => {
                    let target = self.out.join(p);
                    self.remove_partial(&target)?;
                    if fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
                        self.remove_file(&target)?;
                    }
                }
                Step::Replace(p) | Step::Remove(p) => {
                    let target = self.out.join(p);
                    self.remove_partial(&target)?;
                    let old = self.old_file(p);
                    if fs::symlink_metadata(&old).is_ok() {
                        if let Some(parent) = target.parent() {
                            self.make_dirs(parent)?;
                        }
                        self.put_in(&old, &target)?;
                    }
                }
                Step::AddDir(d) => {
                    // A folder the old site did not have, with only what
                    // this switch put in it.
                    let dir = self.out.join(d);
                    if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
                        self.remove_all(&dir)?;
                    }
                }
                Step::MakeDir(d) => {
                    let dir = self.out.join(d);
                    if is_empty_dir(&dir) {
                        (self.hook)(&Op::RemoveDir(&dir))?;
                        fs::remove_dir(&dir).map_err(|e| failed("remove", &dir, e))?;
                    }
                }
            }
        }
        self.remove_file(&self.staging.join(JOURNAL))
    }

    /// Move `from` (a file of the old site) to `to` in the staging folder,
    /// keeping it there in case the switch is undone. Across disks it is
    /// copied, and the original removed only if `remove` (a file being
    /// replaced stays readable until its new version is renamed over it).
    fn set_aside(&mut self, from: &Path, to: &Path, remove: bool) -> io::Result<()> {
        if let Some(parent) = to.parent() {
            self.make_dirs(parent)?;
        }
        match self.rename(from, to) {
            Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
                self.copy_in(from, to)?;
                if remove {
                    self.remove_file(from)?;
                }
                Ok(())
            }
            other => other,
        }
    }

    /// Move `from` to `to`, replacing what is there in one step.
    fn put_in(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        match self.rename(from, to) {
            Err(e) if e.kind() == io::ErrorKind::CrossesDevices => self.copy_in(from, to),
            other => other,
        }
    }

    /// Move the folder `from` to `to`, which does not exist. Across disks
    /// the folder is made and each thing in it moved in turn.
    fn put_in_dir(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        match self.rename(from, to) {
            Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
                self.make_dir(to)?;
                let mut entries: Vec<_> = fs::read_dir(from)
                    .and_then(|dir| dir.collect::<io::Result<Vec<_>>>())
                    .map_err(|e| failed("read", from, e))?;
                entries.sort_by_key(|e| e.file_name());
                for entry in entries {
                    let (from, to) = (entry.path(), to.join(entry.file_name()));
                    if entry.file_type().is_ok_and(|t| t.is_dir()) {
                        self.put_in_dir(&from, &to)?;
                    } else {
                        self.put_in(&from, &to)?;
                    }
                }
                Ok(())
            }
            other => other,
        }
    }

    /// Copy `from` to a temporary name beside `to`, then rename it there.
    fn copy_in(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        let partial = partial_of(to);
        (self.hook)(&Op::Copy(from, &partial))?;
        fs::copy(from, &partial).map_err(|e| failed("copy", from, e))?;
        (self.hook)(&Op::Rename(&partial, to))?;
        fs::rename(&partial, to).map_err(|e| failed("put in place", to, e))
    }

    fn remove_partial(&mut self, target: &Path) -> io::Result<()> {
        let partial = partial_of(target);
        if fs::symlink_metadata(&partial).is_ok() {
            self.remove_file(&partial)?;
        }
        Ok(())
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        (self.hook)(&Op::Rename(from, to))?;
        fs::rename(from, to).map_err(|e| {
            // Named by the file of the site it was about.
            if !from.starts_with(self.staging) {
                failed("move aside (to replace or remove it)", from, e)
            } else if !to.starts_with(self.staging) {
                failed("put in place", to, e)
            } else {
                failed("move", from, e)
            }
        })
    }

    fn make_dir(&mut self, dir: &Path) -> io::Result<()> {
        (self.hook)(&Op::MakeDir(dir))?;
        fs::create_dir(dir).map_err(|e| failed("make the folder", dir, e))
    }

    fn make_dirs(&mut self, dir: &Path) -> io::Result<()> {
        if dir.is_dir() {
            return Ok(());
        }
        if let Some(parent) = dir.parent() {
            self.make_dirs(parent)?;
        }
        self.make_dir(dir)
    }

    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        (self.hook)(&Op::RemoveFile(path))?;
        fs::remove_file(path).map_err(|e| failed("remove", path, e))
    }

    fn remove_all(&mut self, dir: &Path) -> io::Result<()> {
        (self.hook)(&Op::RemoveDir(dir))?;
        let what = if dir.starts_with(self.staging) {
            "remove the staging folder"
        } else {
            "remove the new folder"
        };
        fs::remove_dir_all(dir).map_err(|e| failed(what, dir, e))
    }
}

fn partial_of(target: &Path) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!("{PARTIAL}{name}"))
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// An I/O error with the operation and the file it was on, as the person
/// reading it needs them: "could not write /srv/site/x.html: disk full".
pub fn failed(doing: &str, path: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("could not {doing} {}: {e}", path.display()),
    )
}
