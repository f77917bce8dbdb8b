//! The YAML fast path (`src/yaml/fast.rs`) against serde-saphyr: whenever it gives a value, the value
//! (with every location a `Spanned` holds) must be the one serde-saphyr
//! gives for the same text; and it must give one for ordinary files, or it
//! would save nothing.

use std::fmt::Debug;
use std::path::Path;

use serde::de::DeserializeOwned;

use boardpress::data::SeriesSpec;
use boardpress::model::{Board, Document, Plan, Progress, SectionMeta, SiteConfig};
use boardpress::yaml::{fast_path, options};

/// Whether the fast path read `text` as a `T`; fails if what it read
/// differs from serde-saphyr's reading, or if serde-saphyr refuses it.
fn agrees<T: DeserializeOwned + Debug>(text: &str) -> bool {
    let Some(fast) = fast_path::<T>(text) else {
        return false;
    };
    let slow = serde_saphyr::from_str_with_options::<T>(text, options());
    match slow {
        Ok(slow) => {
            let (fast, slow) = (format!("{fast:#?}"), format!("{slow:#?}"));
            if let Some(at) = fast.lines().zip(slow.lines()).position(|(a, b)| a != b) {
                let around = |s: &str| {
                    s.lines()
                        .skip(at.saturating_sub(12))
                        .take(14)
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                panic!(
                    "the fast path read this differently:\n{text}\n--- fast:\n{}\n--- serde-saphyr:\n{}",
                    around(&fast),
                    around(&slow)
                );
            }
            assert_eq!(fast, slow, "{text}");
        }
        Err(e) => panic!("the fast path read what serde-saphyr refuses ({e}):\n{text}"),
    }
    true
}

/// A file of the repository read as what its name says it is.
fn agrees_as_named(path: &Path, text: &str) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    match name {
        "site.yaml" => agrees::<SiteConfig>(text),
        "board.yaml" => agrees::<Board>(text),
        "document.yaml" => agrees::<Document>(text),
        "plan.yaml" => agrees::<Plan>(text),
        "progress.yaml" => agrees::<Progress>(text),
        _ if name.ends_with(".md") => match text.strip_prefix("---\n") {
            Some(rest) => rest
                .split_once("\n---")
                .is_some_and(|(front, _)| agrees::<SectionMeta>(front)),
            None => false,
        },
        _ if parent == Some("data") && name.ends_with(".yaml") => agrees::<SeriesSpec>(text),
        _ => false,
    }
}

#[test]
fn the_repository_s_content_reads_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fast = Vec::new();
    for dir in ["content", "tests/sites"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            if agrees_as_named(entry.path(), &text) {
                fast.push(entry.path().strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    // The example's own plan and documents are the common shape.
    for expected in [
        "content/documents/business-plan-2012-13/plan.yaml",
        "content/documents/business-plan-2012-13/document.yaml",
        "content/board.yaml",
    ] {
        assert!(
            fast.iter().any(|p| p == Path::new(expected)),
            "{expected} did not take the fast path; taken by {fast:?}"
        );
    }
}

/// A plan with `{}` where a scalar goes, in each place a scalar can be.
const PLACES: &[&str] = &[
    "title: {}\npriorities: []\n",
    "priorities:\n  - title: {}\n",
    "priorities:\n  - title: T\n    number: {}\n",
    "priorities:\n  - title: T\n    id: {}\n",
    "priorities:\n- title: T\n  leads: {}\n",
    "priorities:\n  - title: T\n    leads: [{}, B]\n",
    "priorities:\n  - title: T\n    leads:\n      - {}\n",
    "priorities:\n  - title: T\n    leads:\n    - {}\n",
    "priorities:\n  - title: T\n    milestones:\n      - text: {}\n",
    "priorities:\n  - title: T\n    milestones:\n      - text: M\n        timescale: {}\n",
    "priorities:\n  - title: T\n    milestones:\n      - text: M\n        revised: {}\n",
    "priorities:\n  - title: T\n    objectives:\n      - title: O\n        carried_over: {}\n",
    "order: {}\npriorities: []\n",
    "priorities:\n  - {title: {}, id: p1}\n",
    "priorities:\n  - {title: T, id: {} }\n",
];

/// Scalars that YAML reads in surprising ways, and ordinary ones.
const SCALARS: &[&str] = &[
    "Plain words",
    "Words, with commas; and (brackets) [and more]",
    "Café – £5 ‘quoted’ 😀",
    "C# and a#b",
    "ends with a colon:",
    "a: b",
    "x # a comment",
    "\"double\"",
    "\"with 'single' inside\"",
    "\"escaped \\\" quote\"",
    "'single'",
    "'it''s'",
    "''",
    "\"\"",
    "'unclosed",
    "\"unclosed",
    "\"1\"",
    "1",
    "1.1",
    "1.10",
    "012",
    "-3",
    "2015",
    "2015-16",
    "2016-03-31",
    "31/03/2016",
    "1e3",
    ".5",
    "0x1F",
    "+1",
    "true",
    "false",
    "True",
    "yes",
    "no",
    "No",
    "on",
    "y",
    "null",
    "~",
    "Null",
    ".inf",
    "nan",
    "- dash",
    "-dash",
    "? q",
    "!tag x",
    "&anchor x",
    "*alias",
    "|",
    ">",
    "%",
    "@",
    "`",
    "{a: b}",
    "[]",
    "[a, b]",
    "x\u{a0}y",
    "\"é\"",
];

#[test]
fn scalars_in_every_place_read_the_same_both_ways() {
    let mut fast = 0;
    for place in PLACES {
        for scalar in SCALARS {
            let text = place.replace("{}", scalar);
            fast += usize::from(agrees::<Plan>(&text));
            // The same with comments, blank lines and trailing spaces.
            let noisy = format!("# top\n\n{}", text.replace('\n', "  # note\n\n"));
            fast += usize::from(agrees::<Plan>(&noisy));
        }
    }
    assert!(fast > PLACES.len() * 10, "only {fast} took the fast path");
}

#[test]
fn shapes_read_the_same_both_ways_or_are_left_to_serde_saphyr() {
    let shapes = [
        // Read by the fast path.
        ("priorities:\n  - title: A\n  - title: B\n", true),
        ("priorities:\n-   title: A\n    number: '2'\n", true),
        ("  priorities:\n    - title: A\n", true),
        ("priorities: [ ]\n", true),
        ("priorities:\n  - title: A\n    leads:\n", true),
        (
            "priorities:\n  - title: A\n    leads: [ \"X\" ,'Y' ]\n",
            true,
        ),
        ("title: Café\nintro: Ça va\npriorities: []\n", true),
        ("title:   spaced   \npriorities: []\n", true),
        (
            "intro: |\n  Line one\n    two\n\n  three\npriorities: []\n",
            true,
        ),
        (
            "intro: |-\n  Line one\n  # not a comment\n\n\npriorities: []\n",
            true,
        ),
        (
            "intro: >\n  Line one\n  two\n\n\n  three\n\npriorities: []\n",
            true,
        ),
        ("intro: >-  # a note\n  Café\n  two\npriorities: []\n", true),
        ("intro: |\n  a\n\n# c\npriorities: []\n", true),
        ("intro: >-\n  a\n  # c\n # d\n\n# e\npriorities: []\n", true),
        (
            "priorities:\n  - title: T\n    leads: [Kathy O'Mahony, \"A\"]\n",
            true,
        ),
        (
            "priorities:\n  - title: T\n    milestones:\n      - text: |\n          A\n          B\n        status: red\n",
            true,
        ),
        (
            "priorities:\n  - title: T\n    leads:\n      - >\n        A\n        B\n    number: '1'\n",
            true,
        ),
        (
            "intro: >\n  Line one\n    more\n  two\npriorities: []\n",
            false,
        ),
        ("intro: |+\n  kept\n\npriorities: []\n", false),
        ("intro: |2\n   two\npriorities: []\n", false),
        ("intro: |\n\n  after a blank\npriorities: []\n", false),
        ("intro: |\n  a\n   \n  b\npriorities: []\n", false),
        ("intro: |\n  a\n b\npriorities: []\n", false),
        ("priorities: []\nintro: |\n  at the end\n", true),
        ("priorities: []\nintro: >-\n  at the end\n\n\n", true),
        ("priorities: []\nintro: >-\n  at the very end", true),
        ("priorities: []\nintro: |\n  no line break at the end", true),
        ("priorities: []\nintro: >\n  folded\n  at the end", true),
        ("priorities: []\nintro: |\n  blank lines after\n\n\n", true),
        ("priorities: []\nintro: |-\n  a\n\n  b\n", true),
        ("priorities: []\nintro: |\n  a\n  # not a comment\n", true),
        // Left to serde-saphyr.
        (
            "priorities:\n  - title: A\n  - title: A\n    title: B\n",
            false,
        ),
        ("priorities:\n  - title: A\n    colour: red\n", false),
        ("priorities:\n  - number: '1'\n", false),
        ("title: a\r\npriorities: []\r\n", false),
        ("\u{feff}priorities: []\n", false),
        ("priorities:\n\t- title: A\n", false),
        ("title: two\n  lines\npriorities: []\n", false),
        ("title: |\n  block\npriorities: []\n", true),
        ("---\npriorities: []\n", false),
        ("priorities:\n  - title: A\n   - title: B\n", false),
        ("priorities:\n  - title: A\n      number: '1'\n", false),
        ("priorities:\n  -\n", false),
        ("priorities:\n  - - title: A\n", false),
        ("priorities: [a\n", false),
        ("\"priorities\": []\n", false),
        ("title: x\ntitle: y\npriorities: []\n", false),
        ("priorities: []\nmatrix: {a: b}\n", false),
        ("priorities: []\n...\n", false),
    ];
    for (text, taken) in shapes {
        assert_eq!(agrees::<Plan>(text), taken, "{text}");
    }
}

/// Random plans built from the places and scalars above, several scalars
/// each, with the indentation varied: any the fast path reads must read
/// the same both ways.
#[test]
fn generated_plans_read_the_same_both_ways() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    // Mostly ordinary scalars, now and then any of them, so that some plans
    // take the fast path and some do not.
    let scalar = |next: &mut dyn FnMut(usize) -> usize| match next(8) {
        0 => SCALARS[next(SCALARS.len())],
        _ => SCALARS[next(3)],
    };
    let mut fast = 0;
    for _ in 0..400 {
        let indent = " ".repeat(1 + next(4));
        let mut text = String::from("title: Plan\npriorities:\n");
        for p in 0..1 + next(3) {
            text += &format!("{indent}- title: P{p} {}\n", SCALARS[next(3)]);
            text += &format!("{indent}  number: {}\n", scalar(&mut next));
            text += &format!("{indent}  leads: [{}]\n", scalar(&mut next));
            text += &format!("{indent}  milestones:\n");
            for _ in 0..1 + next(3) {
                text += &format!("{indent}  - text: {}\n", scalar(&mut next));
                text += &format!("{indent}    status: {}\n", scalar(&mut next));
                text += &format!("{indent}    leads:\n{indent}    - {}\n", scalar(&mut next));
                if next(3) == 0 {
                    let block = ["|", "|-", ">", ">-"][next(4)];
                    let lines = ["a", "b c", "", "  d", "é"];
                    text += &format!("{indent}    notes: {block}\n");
                    for _ in 0..1 + next(4) {
                        text += &format!("{indent}      {}\n", lines[next(lines.len())]);
                    }
                }
            }
        }
        fast += usize::from(agrees::<Plan>(&text));
    }
    assert!(fast > 20, "only {fast} of 400 took the fast path");
}

/// A document's settings as the benchmark corpus writes them: dates, a
/// flow list and a status key of flow mappings.
#[test]
fn a_document_with_a_status_key_of_flow_mappings_reads_the_same_both_ways() {
    let text = "title: Business Plan 2010-2011
kind: business-plan
period: \"2010-11\"
published: 2010-04-01
as_at: 2010-09-30
charts: [cp-plans, looked-after]
status_key:
  title: BRAG rating
  statuses:
    - {id: blue, label: Blue, meaning: Not yet started}
    - {id: red, label: Red, meaning: Will not be achieved}
    - { id: amber, label: Amber, meaning: 'At risk' }
";
    assert!(agrees::<Document>(text));
}

/// The repository's YAML files, each changed at random in small ways a
/// person editing by hand might make (a character typed or deleted, a line
/// indented or outdented, two lines swapped, a comment added): whatever
/// the fast path reads must read the same both ways.
#[test]
fn hand_edited_files_read_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files: Vec<(std::path::PathBuf, String)> = ["content", "tests/sites"]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)).sort_by_file_name())
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    assert!(files.len() >= 10);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let typed = [
        " ", ":", "-", "#", "'", "\"", "|", ">", "[", "]", "{", "}", ",", "é", "a", "1", "\n",
    ];
    let (mut fast, mut tried) = (0, 0);
    for round in 0..1000 {
        let (path, text) = &files[round % files.len()];
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for _ in 0..1 + next(3) {
            let i = next(lines.len());
            let line = lines[i].clone();
            lines[i] = match next(6) {
                0 => {
                    let at = line
                        .char_indices()
                        .nth(next(line.chars().count() + 1))
                        .map_or(line.len(), |(b, _)| b);
                    [&line[..at], typed[next(typed.len())], &line[at..]].concat()
                }
                1 => {
                    let mut chars: Vec<char> = line.chars().collect();
                    if !chars.is_empty() {
                        chars.remove(next(chars.len()));
                    }
                    chars.into_iter().collect()
                }
                2 => format!("  {line}"),
                3 => line.strip_prefix("  ").unwrap_or(&line).to_string(),
                4 => format!("{line}  # a note"),
                _ => {
                    let j = next(lines.len());
                    let other = lines[j].clone();
                    lines[j] = line;
                    other
                }
            };
        }
        let edited = lines.join("\n") + "\n";
        tried += 1;
        fast += usize::from(agrees_as_named(path, &edited));
    }
    // Many edits break a file; enough leave one the fast path reads.
    assert!(
        fast > tried / 10,
        "only {fast} of {tried} took the fast path"
    );
}
