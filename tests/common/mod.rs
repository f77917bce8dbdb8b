//! Helpers shared by the integration tests: build a site into a temporary
//! folder and read its pages as parsed HTML.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use boardpress::{BuildOptions, build};
use scraper::{ElementRef, Html, Selector};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build the site at `root` into a fresh temporary folder.
pub fn build_into_temp(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let opts = BuildOptions::new(Some(root.to_path_buf()), Some(out.clone()));
    if let Err(e) = build(&opts) {
        panic!("building {} failed:\n{e}", root.display());
    }
    (dir, out)
}

pub fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The attribute `name` of the first element under `el` that matches `css`.
pub fn attr_of(el: ElementRef, css: &str, name: &str) -> String {
    let found = el.select(&sel(css)).next();
    let found = found.unwrap_or_else(|| panic!("nothing matches {css}"));
    let value = found.value().attr(name);
    value
        .unwrap_or_else(|| panic!("{css} has no {name}"))
        .to_string()
}

/// An element's visible words: whitespace collapsed, typographic quotes made
/// plain (smart punctuation turns ' into ’), visually hidden text left out.
pub fn text(el: ElementRef) -> String {
    let mut out = String::new();
    collect_text(el, &mut out);
    normalise(&out)
}

fn collect_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        if let Some(e) = ElementRef::wrap(child) {
            if e.value().classes().any(|c| c == "visually-hidden") {
                continue;
            }
            let name = e.value().name();
            if name == "br" {
                out.push_str("; ");
            }
            let block = matches!(name, "td" | "th" | "li" | "p" | "div" | "dt" | "dd" | "tr");
            if block {
                out.push(' ');
            }
            collect_text(e, out);
            if block {
                out.push(' ');
            }
        } else if let Some(t) = child.value().as_text() {
            out.push_str(t);
        }
    }
}

pub fn normalise(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{2013}', "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file under `out` with its bytes, by path relative to it (with
/// `/`), in path order: to compare a built site before and after.
pub fn files_of(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// What a command printed, standard output then standard error.
pub fn printed(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Copy a directory tree (for tests that change a site).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A site with two boards, copied from `tests/sites/` into `dir/region`.
pub fn two_board_site(dir: &Path) -> PathBuf {
    let root = dir.join("region");
    for (slug, site) in [
        ("northamptonshire", "tests/sites/northamptonshire"),
        ("city-and-hackney", "tests/sites/city-and-hackney"),
    ] {
        copy_tree(
            &repo().join(site).join("content"),
            &root.join("content/boards").join(slug),
        );
    }
    root
}

/// External programs the tests use, each with what to install to get it.
/// Chromium is looked for under each name that boardpress itself tries.
const TOOLS: &[(&str, &[&str], &str)] = &[
    (
        "weasyprint",
        &["weasyprint"],
        "`python3 -m pip install weasyprint` (or `apt-get install weasyprint`)",
    ),
    (
        "chromium",
        &["chromium", "chromium-browser", "google-chrome"],
        "`apt-get install chromium`",
    ),
    ("pdfinfo", &["pdfinfo"], "`apt-get install poppler-utils`"),
    (
        "pdftotext",
        &["pdftotext"],
        "`apt-get install poppler-utils`",
    ),
    ("pdffonts", &["pdffonts"], "`apt-get install poppler-utils`"),
    ("qpdf", &["qpdf"], "`apt-get install qpdf`"),
    ("python3", &["python3"], "`apt-get install python3`"),
    ("sh", &["sh"], "a POSIX shell (`apt-get install dash`)"),
    ("chattr", &["chattr"], "`apt-get install e2fsprogs`"),
];

/// Whether this is a CI run: `CI` set to anything but empty, `0` or `false`
/// (CI services set `CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// Find the external programs a test needs, by the names in [`TOOLS`]. In CI
/// a missing one fails the test, naming what to install; elsewhere the test
/// prints why it is skipped (past the test harness's capture, so that it
/// shows in a passing run) and gets `None`:
///
/// ```ignore
/// let Some([pdfinfo]) = tools("the_test_name", ["pdfinfo"]) else { return };
/// ```
pub fn tools<const N: usize>(test: &str, names: [&str; N]) -> Option<[PathBuf; N]> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in names {
        let (_, candidates, install) = TOOLS
            .iter()
            .find(|(n, _, _)| *n == name)
            .unwrap_or_else(|| panic!("tests/common: no install hint for the tool `{name}`"));
        match candidates.iter().find_map(|c| which::which(c).ok()) {
            Some(path) => found.push(path),
            None => missing.push(format!("{name} (install it with {install})")),
        }
    }
    if missing.is_empty() {
        return Some(found.try_into().unwrap());
    }
    let missing = missing.join("; ");
    if in_ci() {
        panic!("{test}: CI=true and these are not on PATH: {missing}");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: not on PATH: {missing}. In CI (CI=true) this fails."
    );
    None
}

/// An `actions.csv` as a spreadsheet reads it: its header and rows, after
/// checking it starts with the UTF-8 byte order mark.
pub fn actions_csv(out: &Path, rel: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or_else(|| panic!("{rel} has no byte order mark"));
    let mut reader = csv::Reader::from_reader(body);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// An `actions.json`: one object per milestone.
pub fn actions_json(out: &Path, rel: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value
        .as_array()
        .unwrap_or_else(|| panic!("{rel} is not a list"))
        .iter()
        .map(|row| row.as_object().unwrap().clone())
        .collect()
}

/// A copy of the example site in `dir`, with `from` replaced by `to` in one
/// of its content files (`rel`, under `content/`); returns the site root.
#[allow(dead_code)]
pub fn example_edited(dir: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
    let root = dir.join("site");
    copy_tree(&repo().join("content"), &root.join("content"));
    let file = root.join("content").join(rel);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&file, text.replace(from, to)).unwrap();
    root
}

/// The example, in `dir`, with West Mercia Police an agency (`police`,
/// sector Police) whose leads are Tina McGrath and Paul Meredith (written
/// with a doubled space, as a lead alias).
pub fn example_with_agency(dir: &Path) -> PathBuf {
    example_edited(
        dir,
        "board.yaml",
        "  - name: West Mercia Police\n",
        "  - name: West Mercia Police\n    id: police\n    sector: Police\n    leads: [Tina McGrath, \"paul  meredith\"]\n",
    )
}

/// The two real plans kept as whole sites in `tests/sites/`, each with
/// its name, for tests that build every site they can.
pub fn test_sites() -> [(PathBuf, &'static str); 2] {
    ["city-and-hackney", "northamptonshire"]
        .map(|name| (repo().join("tests/sites").join(name), name))
}

/// The mark [`rows_as_the_template_renders`] puts after each row.
pub const ROW_MARK: &str = "<!--own-->";

/// A row template's rows are written by boardpress while the theme's is the
/// built-in one; they must be what the template renders. Builds `root` as
/// it is, and again (in `dir`, as `site`) with a copy of the built-in
/// `template` of the site's own, with [`ROW_MARK`] after each row, which
/// Tera renders. Every page must differ by the marks alone. Gives the
/// built-in build's pages, by path, and how many rows were marked.
pub fn rows_as_the_template_renders(
    dir: &Path,
    root: &Path,
    site: &str,
    template: &str,
) -> (Vec<(String, String)>, usize) {
    as_the_template_renders(dir, root, site, template, "\n    </tr>")
}

/// [`rows_as_the_template_renders`] for any part of a page that boardpress
/// writes while `template` is the built-in one: the mark goes after each
/// `after` in the template's copy.
pub fn as_the_template_renders(
    dir: &Path,
    root: &Path,
    site: &str,
    template: &str,
    after: &str,
) -> (Vec<(String, String)>, usize) {
    let text = std::fs::read_to_string(repo().join("themes/default/templates").join(template))
        .unwrap()
        .replace(after, &format!("{after}{ROW_MARK}"));
    let (_a, built_in) = build_into_temp(root);
    let own = dir.join(format!("own-{site}"));
    copy_tree(&root.join("content"), &own.join("content"));
    let folder = own.join("themes/default/templates");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(template), text).unwrap();
    let (_b, rendered) = build_into_temp(&own);
    let (expected, got) = (files_of(&built_in), files_of(&rendered));
    let paths = |files: &[(String, Vec<u8>)]| -> Vec<String> {
        files.iter().map(|(p, _)| p.clone()).collect()
    };
    assert_eq!(paths(&expected), paths(&got), "{site}");
    let mut pages = Vec::new();
    let mut marks = 0;
    for ((path, want), (_, have)) in expected.into_iter().zip(got) {
        if !path.ends_with(".html") {
            continue;
        }
        let (want, have) = (
            String::from_utf8(want).unwrap(),
            String::from_utf8(have).unwrap(),
        );
        marks += have.matches(ROW_MARK).count();
        assert!(
            have.replace(ROW_MARK, "") == want,
            "{site}: {path} differs beyond the marks"
        );
        pages.push((path, want));
    }
    (pages, marks)
}
