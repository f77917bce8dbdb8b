//! Gives the program a fingerprint of its own sources, so that a rebuild
//! renders everything again after boardpress itself changed (see
//! `src/cache.rs`), yet a copy of the same program keeps the record valid.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

fn main() {
    let mut hasher = DefaultHasher::new();
    for part in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src",
        "themes/default",
    ] {
        println!("cargo:rerun-if-changed={part}");
        add(Path::new(part), &mut hasher);
    }
    println!(
        "cargo:rustc-env=BOARDPRESS_SOURCE_HASH={:016x}",
        hasher.finish()
    );
}

/// Add a file, or every file under a folder in name order, by path and bytes.
fn add(path: &Path, hasher: &mut DefaultHasher) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for entry in entries {
            add(&entry, hasher);
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        let name = path.to_string_lossy().replace('\\', "/");
        hasher.write(name.as_bytes());
        hasher.write_usize(bytes.len());
        hasher.write(&bytes);
    }
}
