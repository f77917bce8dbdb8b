//! A disk that fails while the site is written, or a build stopped part
//! way: the build says which file and what it was doing, counts it as a
//! write failure rather than a mistake in the content, and leaves the
//! published site as it was with no staging folder in it; and the next
//! build succeeds. (Every moment of the switch from the old site to the new
//! is covered by the tests in `src/site/mod.rs`; these are the real thing.)

mod common;

use std::process::Command;

/// A full disk, made with a file-size limit of 1 KiB (`ulimit -f 2`, in
/// 512-byte blocks; the signal a process gets at the limit is ignored, so
/// each write fails with "File too large" as it would on a full disk).
#[cfg(unix)]
#[test]
fn a_full_disk_while_writing_is_an_io_error_and_the_site_stays_as_it_was() {
    let Some([sh]) = common::tools("a_full_disk_while_writing", ["sh"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&common::repo().join("content"), &root.join("content"));
    let out = dir.path().join("out");
    let bin = env!("CARGO_BIN_EXE_boardpress");
    let build = |limited: bool| {
        let limit = if limited {
            "trap '' XFSZ; ulimit -f 2; "
        } else {
            ""
        };
        Command::new(&sh)
            .arg("-c")
            .arg(format!(
                "{limit}exec \"$0\" build --root \"$1\" --output \"$2\""
            ))
            .arg(bin)
            .arg(&root)
            .arg(&out)
            .output()
            .unwrap()
    };
    assert!(build(false).status.success());
    let before = common::files_of(&out);
    let foreword = root.join("content/documents/business-plan-2012-13/10-foreword.md");
    let text = std::fs::read_to_string(&foreword).unwrap();
    std::fs::write(
        &foreword,
        text.replacen("title: Foreword", "title: A new foreword", 1),
    )
    .unwrap();

    let failed = build(true);
    let said = String::from_utf8_lossy(&failed.stderr).to_string();
    assert_eq!(failed.status.code(), Some(1), "{said}");
    assert!(said.contains("could not write "), "{said}");
    assert!(said.contains(".boardpress-staging"), "{said}");
    assert!(said.contains("could not be written (a problem with the disk or its permissions, not with the content); the published site was not changed"), "{said}");
    assert!(
        !said.contains("errors found"),
        "counted as content mistakes: {said}"
    );
    assert_eq!(common::files_of(&out), before, "the published site changed");
    assert!(!out.join(".boardpress-staging").exists());

    let next = build(false);
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    let page = std::fs::read_to_string(out.join("business-plan-2012-13/index.html")).unwrap();
    assert!(page.contains("A new foreword"));
}

/// The example built into `out`, then its board renamed so that every
/// page changes: returns the site root, the old site's files and the
/// new site's (built from the old one, as a publish would).
fn old_and_new(dir: &std::path::Path, out: &std::path::Path) -> (std::path::PathBuf, Files, Files) {
    let root = dir.join("site");
    common::copy_tree(&common::repo().join("content"), &root.join("content"));
    build(&root, out).unwrap();
    let old = common::files_of(out);
    let board = root.join("content/board.yaml");
    let text = std::fs::read_to_string(&board).unwrap();
    std::fs::write(&board, text.replacen("name: ", "name: Renamed ", 1)).unwrap();
    let reference = dir.join("reference");
    common::copy_tree(out, &reference);
    build(&root, &reference).unwrap();
    let new = common::files_of(&reference);
    assert_ne!(old, new);
    (root, old, new)
}

type Files = Vec<(String, Vec<u8>)>;

fn build_command(root: &std::path::Path, out: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_boardpress"));
    command
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out);
    command
}

fn build(root: &std::path::Path, out: &std::path::Path) -> Result<String, String> {
    let done = build_command(root, out).output().unwrap();
    let said = common::printed(&done);
    if done.status.success() {
        Ok(said)
    } else {
        Err(said)
    }
}

/// The site's files as a reader or an upload sees them, leaving out the
/// build's hidden records (those are checked by the build after).
fn visible(files: &Files) -> Vec<&(String, Vec<u8>)> {
    files
        .iter()
        .filter(|(p, _)| !p.starts_with(".boardpress-"))
        .collect()
}

/// Builds killed (SIGKILL: no chance to tidy up) at moments spread over a
/// whole build: each leaves the old site, or the new one, or a switch
/// with its journal, and the next build always finishes with the new site
/// exactly as an uninterrupted build makes it.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_a_site_the_next_build_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (root, old, new) = old_and_new(dir.path(), &out);
    let snapshot = dir.path().join("old");
    common::copy_tree(&out, &snapshot);
    let started = std::time::Instant::now();
    build(&root, &out).unwrap();
    let whole = started.elapsed();
    let mut journals = 0;
    for step in 0..10u32 {
        std::fs::remove_dir_all(&out).unwrap();
        common::copy_tree(&snapshot, &out);
        let mut child = build_command(&root, &out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * step / 10);
        let _ = child.kill();
        child.wait().unwrap();
        let left = common::files_of(&out);
        let journal = out.join(".boardpress-staging/journal").exists();
        journals += usize::from(journal);
        assert!(
            journal || visible(&left) == visible(&old) || visible(&left) == visible(&new),
            "killed after {:?} of {whole:?}: neither the old site nor the new, and no journal to undo",
            whole * step / 10
        );
        build(&root, &out).unwrap_or_else(|e| panic!("the build after a kill: {e}"));
        assert!(
            common::files_of(&out) == new,
            "the build after a kill at {step}/10"
        );
        assert!(!out.join(".boardpress-staging").exists());
    }
    eprintln!("{journals} of 10 kills stopped a switch part way");
}

/// Stops a sub-folder being changed (the immutable attribute, which holds
/// even for root; or its write permission for anyone else) until dropped.
#[cfg(unix)]
struct ReadOnly(std::path::PathBuf, Option<std::path::PathBuf>);

#[cfg(unix)]
impl ReadOnly {
    fn new(dir: &std::path::Path, chattr: std::path::PathBuf) -> ReadOnly {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let root = std::fs::metadata(dir).unwrap().uid() == 0;
        if root {
            let done = Command::new(&chattr).arg("+i").arg(dir).status().unwrap();
            assert!(done.success(), "chattr +i {}", dir.display());
            ReadOnly(dir.to_path_buf(), Some(chattr))
        } else {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
            ReadOnly(dir.to_path_buf(), None)
        }
    }
}

#[cfg(unix)]
impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        match &self.1 {
            Some(chattr) => {
                let _ = Command::new(chattr).arg("-i").arg(&self.0).status();
            }
            None => {
                let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
            }
        }
    }
}

/// One document's folder cannot be written: the build fails naming it,
/// after other pages had already been switched, and every one of those is
/// put back.
#[cfg(unix)]
#[test]
fn a_sub_folder_that_cannot_be_written_leaves_the_old_site_whole() {
    let Some([chattr]) = common::tools("a_sub_folder_that_cannot_be_written", ["chattr"]) else {
        return;
    };
    // On the disk the build itself uses (the immutable attribute needs a
    // file system that has it, as the target folder's does).
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let out = dir.path().join("out");
    let (root, old, new) = old_and_new(dir.path(), &out);
    let stuck = out.join("business-plan-2012-13");
    let guard = ReadOnly::new(&stuck, chattr);
    let said = build(&root, &out).unwrap_err();
    assert!(
        said.contains("could not move aside (to replace or remove it) "),
        "{said}"
    );
    assert!(said.contains("business-plan-2012-13"), "{said}");
    assert!(
        said.contains("the published site was not changed"),
        "{said}"
    );
    drop(guard);
    assert!(common::files_of(&out) == old, "the published site changed");
    assert!(!out.join(".boardpress-staging").exists());
    build(&root, &out).unwrap();
    assert!(common::files_of(&out) == new);
}

/// A document's folder in the published site replaced by a symbolic link
/// (to a folder elsewhere): nothing is written through it, nothing is
/// changed, and the message says what to do.
#[cfg(unix)]
#[test]
fn a_sub_folder_replaced_by_a_link_is_refused_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (root, _, _) = old_and_new(dir.path(), &out);
    let elsewhere = dir.path().join("elsewhere");
    std::fs::rename(out.join("business-plan-2012-13"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("business-plan-2012-13")).unwrap();
    let before = common::files_of(&out);
    let theirs = common::files_of(&elsewhere);
    let said = build(&root, &out).unwrap_err();
    assert!(said.contains("is a symbolic link"), "{said}");
    assert!(
        said.contains("Replace it with an ordinary folder"),
        "{said}"
    );
    assert!(common::files_of(&out) == before);
    assert!(common::files_of(&elsewhere) == theirs);
    assert!(!out.join(".boardpress-staging").exists());
}
