//! The modules form a stack in the order the data flows, and each imports
//! only from the modules below it: a reference that goes up the stack (or
//! sideways, which would allow a loop) fails this test, naming the file and
//! line. The order is the one `src/lib.rs` documents.

use std::fs;
use std::path::{Path, PathBuf};

/// Bottom first. Leaf helpers may use the leaves before them.
const STACK: [&str; 23] = [
    "slug",
    "scan",
    "spreadsheet",
    "json",
    "files",
    "spanned",
    "diagnostics",
    "yaml",
    "timescale",
    "model",
    "cache",
    "load",
    "validate",
    "data",
    "render",
    "index",
    "memory",
    "site",
    "links",
    "pdf",
    "init",
    "scaffold",
    "serve",
];

fn rank(module: &str) -> Option<usize> {
    STACK.iter().position(|m| *m == module)
}

/// The top-level module a source file belongs to, and its module path
/// (`src/render/views/plan.rs` → `["render", "views", "plan"]`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The top-level modules a line refers to through `crate::` or through
/// enough `super::` to reach the crate root.
fn references(line: &str, path: &[String], in_tests: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let before = &rest[..i];
        let after = &rest[i + "crate::".len()..];
        // `boardpress::crate::` never occurs; skip identifiers ending in "crate".
        if !before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            found.extend(targets(after));
        }
        rest = after;
    }
    // `super::` chains that climb out of the top-level module. In an inline
    // test module `super` is the file's own module, so those are left out.
    if in_tests {
        return found;
    }
    let mut rest = line;
    while let Some(i) = rest.find("super::") {
        let mut after = &rest[i..];
        let mut depth = 0;
        while let Some(r) = after.strip_prefix("super::") {
            depth += 1;
            after = r;
        }
        // A file at `path` (length n) reaches the crate root after n supers,
        // or n-1 for the module's own `mod.rs`-less top file.
        if depth >= path.len() {
            found.extend(targets(after));
        }
        rest = &rest[i + "super::".len() * depth..];
    }
    found
}

/// `render::x` → `render`; `{load, model::Board}` → `load`, `model`.
fn targets(after: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    if let Some(group) = after.strip_prefix('{') {
        let inner = group.split('}').next().unwrap_or("");
        return inner
            .split(',')
            .map(ident)
            .filter(|s| !s.is_empty())
            .collect();
    }
    vec![ident(after)]
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_import_only_from_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let path = module_path(&src, file);
        let top = path[0].as_str();
        if top == "lib" || top == "main" {
            continue; // the crate root runs the stages; the binary calls it
        }
        let Some(own) = rank(top) else {
            wrong.push(format!(
                "{}: module `{top}` is not in the stack in tests/layers.rs (and lib.rs's docs)",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(file).unwrap();
        let mut in_tests = false;
        for (n, line) in text.lines().enumerate() {
            in_tests |= line.trim() == "#[cfg(test)]";
            let code = line.split("//").next().unwrap_or("");
            for target in references(code, &path, in_tests) {
                if target == top || target.is_empty() {
                    continue;
                }
                match rank(&target) {
                    Some(r) if r < own => {}
                    Some(_) => wrong.push(format!(
                        "{}:{}: `{top}` uses `{target}`, which is not below it",
                        file.strip_prefix(&src).unwrap().display(),
                        n + 1
                    )),
                    // The crate root's own items sit above every module.
                    None => wrong.push(format!(
                        "{}:{}: `{top}` uses `crate::{target}`, which is not a module below it",
                        file.strip_prefix(&src).unwrap().display(),
                        n + 1
                    )),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_upward_imports() {
    let path = vec!["data".to_string(), "read".to_string()];
    assert_eq!(
        references("use crate::render::charts;", &path, false),
        ["render"]
    );
    assert_eq!(
        references("use crate::{load, model::Spanned};", &path, false),
        ["load", "model"]
    );
    assert_eq!(
        references("use super::super::index::X;", &path, false),
        ["index"]
    );
    assert!(references("use super::Reader;", &path, false).is_empty());
    assert!(rank("load") < rank("validate"));
}
