//! One build at a time per output folder: a build finding another one at
//! work waits briefly, then exits 2 without touching the output; a lock
//! left by a killed build never blocks; two builds started together leave
//! exactly the site one build makes.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn build(root: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boardpress"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

/// Every file of the output but the lock, by path.
fn files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = common::files_of(out);
    files.retain(|(rel, _)| rel != ".boardpress-lock");
    files
}

/// Another process holding the lock as a running build would (Python's
/// `fcntl.flock`, the same lock the standard library takes on Unix).
#[cfg(unix)]
fn hold_lock(out: &Path) -> Option<std::process::Child> {
    let [python] = common::tools("a_build_waits_for_another", ["python3"])?;
    let script = "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.flock(f, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(600)\n";
    let mut child = Command::new(python)
        .args(["-c", script])
        .arg(out.join(".boardpress-lock"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line.trim(), "held");
    Some(child)
}

#[cfg(unix)]
#[test]
fn a_build_waits_for_another_then_refuses_and_a_killed_builds_lock_never_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let root = common::repo();
    assert!(build(&root, &out).status.success());
    let before = files(&out);

    let Some(mut other) = hold_lock(&out) else {
        return;
    };
    let started = Instant::now();
    let refused = build(&root, &out);
    let waited = started.elapsed();
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        common::printed(&refused)
    );
    let words = common::printed(&refused);
    assert!(words.contains("Waiting for another build of"), "{words}");
    assert!(
        words.contains("another boardpress build is writing to"),
        "{words}"
    );
    assert!(waited >= Duration::from_secs(4), "gave up after {waited:?}");
    assert_eq!(files(&out), before, "the refused build changed the output");

    // The holder is killed, as a crashed build would be: its lock goes with it.
    other.kill().unwrap();
    other.wait().unwrap();
    let next = build(&root, &out);
    assert!(next.status.success(), "{}", common::printed(&next));
    assert_eq!(files(&out), before);
}

#[test]
fn two_builds_started_together_leave_the_site_one_build_makes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&common::repo().join("content"), &root.join("content"));
    let reference = dir.path().join("reference");
    assert!(build(&root, &reference).status.success());
    let expected = files(&reference);
    let out = dir.path().join("out");
    for round in 0..5 {
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_boardpress"))
                .args(["build", "--root"])
                .arg(&root)
                .arg("--output")
                .arg(&out)
                .output()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(spawn);
            let b = s.spawn(spawn);
            (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
        });
        for r in [&a, &b] {
            assert!(
                matches!(r.status.code(), Some(0 | 2)),
                "round {round}: {}",
                common::printed(r)
            );
        }
        assert!(
            a.status.success() || b.status.success(),
            "round {round}: neither built"
        );
        assert_eq!(
            files(&out),
            expected,
            "round {round}: the output is not one build's site"
        );
    }
}
