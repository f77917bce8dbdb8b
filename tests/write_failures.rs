//! A disk that fails while the site is written: the build says which file
//! and what it was doing, counts it as a write failure rather than a
//! mistake in the content, leaves the published site as it was with no
//! staging folder in it, and the next build succeeds.

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
