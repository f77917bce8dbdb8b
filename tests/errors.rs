//! Bad input: every kind of content mistake gets a located, helpful error,
//! all of a build's errors come together, and none panics.
//!
//! Each case starts from the starter site (`boardpress init`), changes one
//! file, runs `check`, and asserts the file, line, column and wording.

mod common;

use std::fs;
use std::path::Path;

use boardpress::{BuildOptions, Error, check, init};

const DOC: &str = "content/documents/business-plan-2025-26";

enum Change {
    /// Replace the first occurrence of a string in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Write a file (creating or overwriting it).
    Write(&'static str, &'static [u8]),
    /// Append to a file.
    Append(&'static str, &'static str),
    /// Write a file made by a function (for contents too long to spell out).
    Generate(&'static str, fn() -> Vec<u8>),
}

struct Case {
    name: &'static str,
    changes: &'static [Change],
    /// File (relative to the site root), `line:column` or "" when none, and
    /// words the message or help must contain.
    file: &'static str,
    at: &'static str,
    says: &'static [&'static str],
}

fn apply(root: &Path, change: &Change) {
    let path = |rel: &str| {
        let rel = rel.replace("DOC", DOC);
        root.join(rel)
    };
    match change {
        Change::Replace(file, from, to) => {
            let p = path(file);
            let text = fs::read_to_string(&p).unwrap();
            assert!(text.contains(from), "{file} has no {from:?}");
            fs::write(&p, text.replacen(from, to, 1)).unwrap();
        }
        Change::Write(file, bytes) => {
            let p = path(file);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
        Change::Generate(file, make) => fs::write(path(file), make()).unwrap(),
        Change::Append(file, extra) => {
            let p = path(file);
            let text = fs::read_to_string(&p).unwrap();
            fs::write(p, text + extra).unwrap();
        }
    }
}

fn run(case: &Case) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    init::init(&root).unwrap();
    for change in case.changes {
        apply(&root, change);
    }
    match check(&BuildOptions::new(Some(root), None)) {
        Ok(_) => panic!("{}: check passed but should have failed", case.name),
        Err(Error::Content(diags)) => diags
            .sorted()
            .into_iter()
            .map(|d| {
                let at = d
                    .position
                    .map(|p| format!("{}:{}", p.line, p.column))
                    .unwrap_or_default();
                let said = format!("{} {}", d.message, d.help.clone().unwrap_or_default());
                (boardpress::diagnostics::display_path(&d.file), at, said)
            })
            .collect(),
        Err(other) => panic!("{}: unexpected error {other}", case.name),
    }
}

const PLAN: &str = "DOC/plan.yaml";
const BOARD: &str = "content/board.yaml";
const DOCUMENT: &str = "DOC/document.yaml";
const INTRO: &str = "DOC/10-introduction.md";
const REPORT_DOC: &str = "content/documents/annual-report-2025-26/document.yaml";
const PROGRESS: &str = "content/documents/annual-report-2025-26/progress.yaml";
const FOREWORD: &str = "content/documents/annual-report-2025-26/10-foreword.md";

const CASES: &[Case] = &[
    Case {
        name: "a right-to-left override in a milestone",
        changes: &[Change::Replace(PLAN, "Train 200 practitioners", "Train 200 \u{202E}practitioners")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "16:29",
        says: &["invisible direction-changing character (U+202E)", "delete it"],
    },
    Case {
        name: "a bidi isolate in a section",
        changes: &[Change::Replace(INTRO, "what the **", "what the \u{2067}**")],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "8:29",
        says: &["direction-changing character (U+2067)"],
    },
    Case {
        name: "a control character in a section",
        changes: &[Change::Replace(INTRO, "what the **", "what the \u{7}\u{7}**")],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "8:29",
        says: &["invisible control character (U+0007) (the file has 2 of these)", "copying text"],
    },
    Case {
        name: "two images whose names differ only in case",
        changes: &[
            Change::Write("DOC/Chart.png", b"\x89PNG\r\n\x1a\n"),
            Change::Write("DOC/chart.png", b"\x89PNG\r\n\x1a\n"),
            Change::Append(INTRO, "\n![The old chart](Chart.png) ![The new chart](chart.png)\n"),
        ],
        file: "content/documents/business-plan-2025-26/Chart.png",
        at: "",
        says: &[
            "names differ only in capital letters: assets/documents/business-plan-2025-26/Chart.png and assets/documents/business-plan-2025-26/chart.png",
            "rename one of content/documents/business-plan-2025-26/Chart.png and content/documents/business-plan-2025-26/chart.png",
        ],
    },
    Case {
        name: "an image from another website",
        changes: &[Change::Append(INTRO, "\n![A chart](https://example.org/chart.png)\n")],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:12",
        says: &["the image `https://example.org/chart.png` would be loaded from another website (example.org)", "remote_hosts: [example.org]"],
    },
    Case {
        name: "a frame from another website in raw HTML",
        changes: &[Change::Append(INTRO, "\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n")],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:14",
        says: &["the frame `https://www.youtube.com/embed/x` would be loaded from another website (www.youtube.com)"],
    },
    Case {
        name: "a YAML tag",
        changes: &[Change::Replace(PLAN, "title: Our priorities", "title: !!python/object:os.system Our priorities")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "1:",
        says: &["the YAML tag `!!python/object:os.system` is not allowed", "plain YAML"],
    },
    Case {
        name: "yes for true",
        changes: &[Change::Replace(REPORT_DOC, "      complete: true", "      complete: yes")],
        file: "content/documents/annual-report-2025-26/document.yaml",
        at: "17:17",
        says: &["takes `true` or `false`", "yes, no, on and off are not read"],
    },
    Case {
        name: "YAML nested too deeply",
        changes: &[Change::Generate(PLAN, || {
            format!("priorities: {}{}\n", "[".repeat(2000), "]".repeat(2000)).into_bytes()
        })],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "1:",
        says: &["nested too deeply to read safely", "a run of `[`"],
    },
    Case {
        name: "an alias storm",
        changes: &[Change::Replace(PLAN, "leads: Business Manager", "leads: &lead Business Manager\n        monitored_by: [*lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead, *lead]")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "32:24",
        says: &["too many aliases", "write the values out in full"],
    },
    Case {
        name: "a theme given as a path",
        changes: &[Change::Write("content/site.yaml", b"theme: ../../etc\n")],
        file: "content/site.yaml",
        at: "1:8",
        says: &["`../../etc` is a path, but a theme is named by its folder in themes/", "themes/etc/"],
    },
    Case {
        name: "a NUL in document.yaml",
        changes: &[Change::Replace(DOCUMENT, "title: Business", "title: \u{0}Business")],
        file: "content/documents/business-plan-2025-26/document.yaml",
        at: "1:8",
        says: &["invisible control character (U+0000)"],
    },
    Case {
        name: "a lead of two agencies",
        changes: &[
            Change::Replace(BOARD, "    sector: Local authority\n", "    sector: Local authority\n    leads: [Business Manager]\n"),
            Change::Replace(BOARD, "    sector: Police\n", "    sector: Police\n    leads: [business manager]\n"),
        ],
        file: "content/board.yaml",
        at: "20:13",
        says: &["`business manager` is a lead of two agencies: Exampleshire Council and Exampleshire Police", "one agency only"],
    },
    Case {
        name: "two agencies with one page",
        changes: &[
            Change::Replace(BOARD, "    sector: Local authority\n", "    sector: Local authority\n    id: exampleshire\n    leads: [Business Manager]\n"),
            Change::Replace(BOARD, "    sector: Police\n", "    sector: Police\n    id: exampleshire\n    leads: [QA Sub-group]\n"),
        ],
        file: "content/board.yaml",
        at: "21:9",
        says: &["would share the page `agencies/exampleshire/`", "its own `id:`"],
    },
    Case {
        name: "an alias that is another lead",
        changes: &[Change::Replace(BOARD, "structure:\n", "leads:\n  - name: QA Sub-group\n    aliases: [Business Manager]\n  - name: Business Manager\nstructure:\n")],
        file: "content/board.yaml",
        at: "23:15",
        says: &["the alias `Business Manager` is the name of another lead"],
    },
    Case {
        name: "progress on an unknown milestone",
        changes: &[Change::Replace(PROGRESS, "id: toolkit-audit", "id: toolkit-audt")],
        file: PROGRESS,
        at: "12:9",
        says: &["unknown milestone of the plan `toolkit-audt`", "did you mean `toolkit-audit`?"],
    },
    Case {
        name: "progress status outside the report's key",
        changes: &[Change::Replace(PROGRESS, "status: at-risk", "status: purple")],
        file: PROGRESS,
        at: "13:13",
        says: &["`purple` is not a status in the report's key", "complete, on-track, at-risk, not-achieved"],
    },
    Case {
        name: "a report naming a missing plan",
        changes: &[Change::Replace(REPORT_DOC, "plan: business-plan-2025-26", "plan: business-plan-2024-25")],
        file: REPORT_DOC,
        at: "9:9",
        says: &["there is no document `business-plan-2024-25` to report on", "did you mean `business-plan-2025-26`?"],
    },
    Case {
        name: "a report without an as-at date",
        changes: &[Change::Replace(REPORT_DOC, "as_at: 2026-03-31\n", "")],
        file: REPORT_DOC,
        at: "8:9",
        says: &["needs `as_at`"],
    },
    Case {
        name: "a year outside the plan",
        changes: &[Change::Replace(REPORT_DOC, "plan: business-plan-2025-26", "plan: business-plan-2025-26\n  year: 2027-28")],
        file: REPORT_DOC,
        at: "10:9",
        says: &["the year 2027-28 is not part of the plan's period"],
    },
    Case {
        name: "progress twice for one milestone",
        changes: &[Change::Replace(PROGRESS, "id: advisory-group", "id: toolkit-training")],
        file: PROGRESS,
        at: "15:9",
        says: &["duplicate milestone id `toolkit-training`"],
    },
    Case {
        name: "progress without reports_on",
        changes: &[Change::Replace(REPORT_DOC, "reports_on:\n  plan: business-plan-2025-26\n", "")],
        file: PROGRESS,
        at: "",
        says: &["progress.yaml is read only by a report that names the plan", "reports_on:"],
    },
    Case {
        name: "an unknown report topic",
        changes: &[Change::Replace(FOREWORD, "order: 10", "order: 10\ncovers: [learning]")],
        file: FOREWORD,
        at: "4:10",
        says: &["unknown report topic `learning`", "learning-from-reviews"],
    },
    Case {
        name: "malformed YAML",
        changes: &[Change::Replace(
            BOARD,
            "areas: [Exampleshire]",
            "areas: [Exampleshire\nvision: x",
        )],
        file: "content/board.yaml",
        at: "6:",
        says: &["illegal placement of ':' indicator", "double quotes"],
    },
    Case {
        name: "tab in indentation",
        changes: &[Change::Replace(PLAN, "  - id: voice", "\t- id: voice")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "25:1",
        says: &["tab", "indent with spaces"],
    },
    Case {
        name: "missing required field",
        changes: &[Change::Replace(
            BOARD,
            "name: Example Safeguarding Children Partnership\n",
            "",
        )],
        file: "content/board.yaml",
        at: "",
        says: &["missing field `name`"],
    },
    Case {
        name: "wrong type",
        changes: &[Change::Replace(
            PLAN,
            "status: amber",
            "status: amber\n            revised: perhaps",
        )],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "25:22",
        says: &["this field takes `true` or `false`", "write true or false"],
    },
    Case {
        name: "misspelt field",
        changes: &[Change::Replace(
            PLAN,
            "timescale: March 2026",
            "timscale: March 2026",
        )],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "23:13",
        says: &["unknown field `timscale`", "did you mean `timescale`?"],
    },
    Case {
        name: "misspelt board field",
        changes: &[Change::Replace(BOARD, "glossary:", "glosary:")],
        file: "content/board.yaml",
        at: "28:1",
        says: &["unknown field `glosary`", "did you mean `glossary`?"],
    },
    Case {
        name: "duplicate id",
        changes: &[Change::Replace(PLAN, "id: voice", "id: neglect")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "25:9",
        says: &[
            "duplicate priority id `neglect`",
            "first used at content/documents/business-plan-2025-26/plan.yaml:7",
        ],
    },
    Case {
        name: "unreadable timescale",
        changes: &[Change::Replace(
            PLAN,
            "September 2025",
            "Septembre-ish 2025",
        )],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "18:24",
        says: &[
            "cannot read the timescale \"Septembre-ish 2025\"",
            "From July 2010 onwards",
        ],
    },
    Case {
        name: "status outside the key",
        changes: &[Change::Replace(PLAN, "status: amber", "status: purple")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "24:21",
        says: &[
            "`purple` is not a status in this document's key",
            "green, amber, red",
        ],
    },
    Case {
        name: "misspelt status",
        changes: &[Change::Replace(PLAN, "status: amber", "status: ambre")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "24:21",
        says: &["did you mean `amber`?"],
    },
    Case {
        name: "status without a key",
        changes: &[Change::Write(
            DOCUMENT,
            b"title: Plan\nkind: business-plan\nperiod: 2025-26\n",
        )],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "19:21",
        says: &[
            "the status `green` cannot be used: this document has no status key",
            "add `status_key:`",
        ],
    },
    Case {
        name: "unknown family",
        changes: &[Change::Replace(
            PLAN,
            "    title: Tackle neglect earlier",
            "    title: Tackle neglect earlier\n    family: young-peple",
        )],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "10:13",
        says: &["unknown family `young-peple`"],
    },
    Case {
        name: "unknown footnote",
        changes: &[Change::Replace(
            PLAN,
            "    title: Tackle neglect earlier",
            "    title: Tackle neglect earlier\n    footnotes: [note-1]",
        )],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "10:17",
        says: &["unknown footnote `note-1`"],
    },
    Case {
        name: "unknown standard",
        changes: &[
            Change::Append(
                BOARD,
                "standards:\n  - id: sait\n    name: Self Assessment and Improvement Tool\n    short_name: SAIT\n    standards:\n      - number: 1\n        text: The Board has clear objectives\n",
            ),
            Change::Replace(
                PLAN,
                "status: green\n          - id",
                "status: green\n            standards: [1, 22]\n          - id",
            ),
        ],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "20:28",
        says: &[
            "standard `22` is not in the `sait` framework",
            "the framework's standards are: 1",
        ],
    },
    Case {
        name: "standards without a framework",
        changes: &[Change::Replace(
            PLAN,
            "status: green\n          - id",
            "status: green\n            standards: [4]\n          - id",
        )],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "20:25",
        says: &[
            "no standards framework applies",
            "under `standards:` in board.yaml",
        ],
    },
    Case {
        name: "link to a missing Markdown file",
        changes: &[Change::Append(INTRO, "\nSee [the context](context.md).\n")],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:5",
        says: &["`context.md`, which is not a section of this document"],
    },
    Case {
        name: "missing image",
        changes: &[Change::Append(
            INTRO,
            "\n![Structure chart](structure.png)\n",
        )],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:1",
        says: &["the file `structure.png` does not exist"],
    },
    Case {
        name: "link leaving the site",
        changes: &[Change::Append(
            INTRO,
            "\n[secrets](../../../../etc/passwd)\n",
        )],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:1",
        says: &["leaves the site folder"],
    },
    Case {
        name: "missing logo",
        changes: &[Change::Append(BOARD, "logo: images/logo.png\n")],
        file: "content/board.yaml",
        at: "35:7",
        says: &["`content/images/logo.png` does not exist"],
    },
    Case {
        name: "invalid UTF-8",
        changes: &[Change::Write(
            INTRO,
            b"---\ntitle: Intro\norder: 1\n---\nCaf\xe9 culture\n",
        )],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "5:4",
        says: &["not valid UTF-8", "Save As"],
    },
    Case {
        name: "empty file",
        changes: &[Change::Write(DOCUMENT, b"\n\n")],
        file: "content/documents/business-plan-2025-26/document.yaml",
        at: "",
        says: &["the file is empty"],
    },
    Case {
        name: "bad date",
        changes: &[Change::Replace(
            DOCUMENT,
            "published: 2025-04-01",
            "published: 2025-13-01",
        )],
        file: "content/documents/business-plan-2025-26/document.yaml",
        at: "4:12",
        says: &["`2025-13-01` is not a date or a month", "April 2017"],
    },
    Case {
        name: "bad colour",
        changes: &[Change::Replace(
            DOCUMENT,
            "      label: Green\n",
            "      label: Green\n      colour: green\n",
        )],
        file: "content/documents/business-plan-2025-26/document.yaml",
        at: "12:15",
        says: &["`green` is not a colour", "#00703c"],
    },
    Case {
        name: "unknown document kind",
        changes: &[Change::Replace(
            DOCUMENT,
            "kind: business-plan",
            "kind: buisness-plan",
        )],
        file: "content/documents/business-plan-2025-26/document.yaml",
        at: "2:7",
        says: &[
            "unknown variant `buisness-plan`",
            "did you mean `business-plan`?",
        ],
    },
    Case {
        name: "Markdown without front matter",
        changes: &[Change::Write(
            INTRO,
            b"# Introduction\n\nNo front matter here.\n",
        )],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "1:1",
        says: &["no front matter", "`---`"],
    },
    Case {
        name: "misspelt front matter",
        changes: &[Change::Replace(INTRO, "order: 10", "ordre: 10")],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "3:1",
        says: &["unknown field `ordre`", "did you mean `order`?"],
    },
    Case {
        name: "duplicate key",
        changes: &[Change::Replace(
            BOARD,
            "short_name: ESCP",
            "short_name: ESCP\nshort_name: ESP",
        )],
        file: "content/board.yaml",
        at: "5:1",
        says: &["duplicate mapping key", "each key may appear once"],
    },
    Case {
        name: "folder name unfit for a web address",
        changes: &[Change::Write(
            "content/documents/Annual Report/document.yaml",
            b"title: x\n",
        )],
        file: "content/documents/Annual Report",
        at: "",
        says: &["cannot be used in a web address", "annual-report"],
    },
    Case {
        name: "document folder without document.yaml",
        changes: &[Change::Write(
            "content/documents/annual-report-2025/10-intro.md",
            b"---\ntitle: x\n---\nx\n",
        )],
        file: "content/documents/annual-report-2025/document.yaml",
        at: "",
        says: &["no `document.yaml`"],
    },
    Case {
        name: "document folder named like a site page",
        changes: &[Change::Write(
            "content/documents/glossary/document.yaml",
            b"title: x\n",
        )],
        file: "content/documents/glossary",
        at: "",
        says: &["a document folder cannot be called `glossary`"],
    },
    Case {
        name: "unknown series in a chart block",
        changes: &[
            Change::Write("content/data/cp.yaml", SERIES),
            Change::Write("content/data/cp.csv", b"period,local\n2020,12\n2021,14\n"),
            Change::Append(INTRO, "\n```chart\ncp-plans\n```\n"),
        ],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:1",
        says: &["there is no data series `cp-plans`", "the series are: cp"],
    },
    Case {
        name: "non-numeric cell",
        changes: &[Change::Write("content/data/cp.yaml", SERIES), Change::Write("content/data/cp.csv", b"period,local\n2020,12\n2021,twelve\n")],
        file: "content/data/cp.csv",
        at: "3:6",
        says: &["`twelve` in column `local` is not a number", "c, z, :, u, k, x"],
    },
    Case {
        name: "duplicate period",
        changes: &[Change::Write("content/data/cp.yaml", SERIES), Change::Write("content/data/cp.csv", b"period,local\n2020,12\n2020,14\n")],
        file: "content/data/cp.csv",
        at: "3:1",
        says: &["the period `2020` appears twice"],
    },
    Case {
        name: "period out of order",
        changes: &[Change::Write("content/data/cp.yaml", SERIES), Change::Write("content/data/cp.csv", b"period,local\n2021,12\n2020,14\n")],
        file: "content/data/cp.csv",
        at: "3:1",
        says: &["the period `2020` comes after a later one", "earliest to latest"],
    },
    Case {
        name: "empty series",
        changes: &[Change::Write("content/data/cp.yaml", SERIES), Change::Write("content/data/cp.csv", b"period,local\n2020,c\n2021,:\n")],
        file: "content/data/cp.yaml",
        at: "",
        says: &["the series has no figures"],
    },
    Case {
        name: "missing column",
        changes: &[Change::Write("content/data/cp.yaml", SERIES), Change::Write("content/data/cp.csv", b"period,locl\n2020,12\n")],
        file: "content/data/cp.yaml",
        at: "5:13",
        says: &["`content/data/cp.csv` has no column `local`", "did you mean `locl`?"],
    },
    Case {
        name: "mismatched units between compared areas",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: count\nsource: S\nareas:\n  - column: local\n  - column: england\n    measure: rate-per-10000\n"),
            Change::Write("content/data/cp.csv", b"period,local,england\n2020,12,40\n"),
        ],
        file: "content/data/cp.yaml",
        at: "7:14",
        says: &["`england` is measured as rate per 10,000 children but the chart's measure is number", "same measure"],
    },
    Case {
        name: "England's count beside one authority's",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: count\nsource: S\ndfe:\n  file: d5.csv\n  column: CPP_At31\n  local_authority: Exampleshire\n  england: true\n"),
            Change::Write("content/data/d5.csv", b"time_period,geographic_level,old_la_code,la_name,new_la_code,CPP_At31\n2025,National,,,,49420\n2025,Local authority,999,Exampleshire,E0999,120\n"),
        ],
        file: "content/data/cp.yaml",
        at: "6:11",
        says: &["England's count cannot be compared", "rate_per_10000"],
    },
    Case {
        name: "a first period the file does not have",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: count\nsource: S\ndfe:\n  file: d5.csv\n  column: CPP_At31\n  local_authority: Exampleshire\n  from: \"2019\"\n"),
            Change::Write("content/data/d5.csv", b"time_period,geographic_level,old_la_code,la_name,new_la_code,CPP_At31\n2024,Local authority,999,Exampleshire,E0999,110\n2025,Local authority,999,Exampleshire,E0999,120\n"),
        ],
        file: "content/data/cp.yaml",
        at: "8:9",
        says: &["the file has no period `2019` to start from", "the periods are: 2024, 2025"],
    },
    Case {
        name: "unknown local authority",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: count\nsource: S\ndfe:\n  file: d5.csv\n  column: CPP_At31\n  local_authority: Examplshire\n"),
            Change::Write("content/data/d5.csv", b"time_period,geographic_level,old_la_code,la_name,new_la_code,CPP_At31\n2025,Local authority,999,Exampleshire,E0999,120\n"),
        ],
        file: "content/data/cp.yaml",
        at: "7:20",
        says: &["no local authority called `Examplshire`", "new_la_code"],
    },
    Case {
        name: "misspelt statistical neighbour",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: count\nsource: S\ndfe:\n  file: d5.csv\n  column: CPP_At31\n  local_authority: Exampleshire\n  neighbours: [Otherhsire]\n"),
            Change::Write("content/data/d5.csv", b"time_period,geographic_level,old_la_code,la_name,new_la_code,CPP_At31\n2025,Local authority,999,Exampleshire,E0999,120\n2025,Local authority,998,Othershire,E0998,c\n"),
        ],
        file: "content/data/cp.yaml",
        at: "8:16",
        says: &["no local authority called `Otherhsire`", "did you mean `Othershire`?"],
    },
    Case {
        name: "web address with a space",
        changes: &[Change::Replace(BOARD, "  - name: Exampleshire Police\n", "  - name: Exampleshire Police\n    url: https://example.org/our police\n")],
        file: "content/board.yaml",
        at: "18:10",
        says: &["contains a space", "%20"],
    },
    Case {
        name: "England's count beside one area's, in our own layout",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: count\nsource: S\nareas:\n  - column: local\n  - column: england\n    role: england\n"),
            Change::Write("content/data/cp.csv", b"period,local,england\n2020,12,49000\n"),
        ],
        file: "content/data/cp.yaml",
        at: "6:13",
        says: &["England's count cannot be compared"],
    },
    Case {
        name: "broken link in the plan's intro",
        changes: &[Change::Replace(PLAN, "order: 20\n", "order: 20\nintro: |\n  Our plan.\n  See [the context](context.md).\n")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "5:7",
        says: &["`context.md`, which is not a section of this document"],
    },
    Case {
        name: "section named like a part of the page",
        changes: &[Change::Write("DOC/plan.md", b"---\ntitle: Our plan\norder: 5\n---\nText.\n")],
        file: "content/documents/business-plan-2025-26/plan.md",
        at: "",
        says: &["the section name `plan` is already used", "10-plan.md"],
    },
    Case {
        name: "priority id taken by an unnamed priority",
        changes: &[Change::Replace(PLAN, "id: voice", "id: priority-1"), Change::Replace(PLAN, "  - id: neglect\n    number", "  - number")],
        file: "content/documents/business-plan-2025-26/plan.yaml",
        at: "24:9",
        says: &["duplicate priority id `priority-1`"],
    },
    Case {
        name: "plan saved as .yml",
        changes: &[Change::Write("DOC/plan.yml", b"title: x\n")],
        file: "content/documents/business-plan-2025-26/plan.yml",
        at: "",
        says: &["`plan.yml` is not read", "rename the file to `plan.yaml`"],
    },
    Case {
        name: "section saved as .MD",
        changes: &[Change::Write("DOC/20-Context.MD", b"---\ntitle: x\n---\n")],
        file: "content/documents/business-plan-2025-26/20-Context.MD",
        at: "",
        says: &["is not read", "`20-Context.md`"],
    },
    Case {
        name: "unknown key figure",
        changes: &[
            Change::Write("content/data/cp.yaml", SERIES),
            Change::Write("content/data/cp.csv", b"period,local\n2020,12\n"),
            Change::Replace(DOCUMENT, "status_key:", "charts: [pc]\nstatus_key:"),
        ],
        file: "content/documents/business-plan-2025-26/document.yaml",
        at: "7:10",
        says: &["unknown data series `pc`"],
    },
    Case {
        name: "a theme reading the environment",
        changes: &[Change::Write(
            "themes/default/templates/home.html",
            b"{% extends \"base.html\" %}{% block content %}{{ get_env(name=\"HOME\") }}{% endblock content %}",
        )],
        file: "themes/<theme>/templates/home.html",
        at: "",
        says: &["get_env is not available"],
    },
    Case {
        name: "a theme's tracker row that fails to render",
        changes: &[Change::Write(
            "themes/default/templates/tracker_row.html",
            b"<tr><td>{{ r.nope }}</td></tr>",
        )],
        file: "themes/<theme>/templates/tracker_row.html",
        at: "",
        says: &["rendering tracker/index.html failed", "nope"],
    },
    Case {
        name: "a theme's lead row that fails to render",
        changes: &[Change::Write(
            "themes/default/templates/lead_row.html",
            b"<tr><td>{{ r.nope }}</td></tr>",
        )],
        file: "themes/<theme>/templates/lead_row.html",
        at: "",
        says: &["rendering leads/", "nope"],
    },
    Case {
        name: "a theme's milestone row that fails to render",
        changes: &[Change::Write(
            "themes/default/templates/milestone_row.html",
            b"<tr><td>{{ r.nope }}</td></tr>",
        )],
        file: "themes/<theme>/templates/milestone_row.html",
        at: "",
        says: &["rendering business-plan-2025-26 failed", "nope"],
    },
    Case {
        name: "unknown series in a figure reference",
        changes: &[
            Change::Write("content/data/cp.yaml", SERIES),
            Change::Write("content/data/cp.csv", b"period,local\n2020,12\n2021,14\n"),
            Change::Append(INTRO, "\nThe figure is {{value cp-plan local 2021}}.\n"),
        ],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:15",
        says: &["there is no data series `cp-plan`", "did you mean `cp`?"],
    },
    Case {
        name: "unknown area in a figure reference",
        changes: &[
            Change::Write("content/data/cp.yaml", SERIES),
            Change::Write("content/data/cp.csv", b"period,local\n2020,12\n2021,14\n"),
            Change::Append(INTRO, "\nIn England it is {{value cp england 2021}}.\n"),
        ],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:18",
        says: &["the series `cp` has no area `england`", "its areas are: local, or by name \"local\""],
    },
    Case {
        name: "unknown period in a figure reference",
        changes: &[
            Change::Write("content/data/cp.yaml", SERIES),
            Change::Write("content/data/cp.csv", b"period,local\n2020,12\n2021,14\n"),
            Change::Append(INTRO, "\nNow {{change cp local 2025}}.\n"),
        ],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:5",
        says: &["the series `cp` has no period `2025`", "the periods of `cp` are: 2020, 2021"],
    },
    Case {
        name: "suppressed figure in a figure reference",
        changes: &[
            Change::Write("content/data/cp.yaml", SERIES),
            Change::Write("content/data/cp.csv", b"period,local\n2020,c\n2021,14\n"),
            Change::Append(INTRO, "\nIt was {{change cp local 2021}}.\n"),
        ],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:8",
        says: &["`cp` has no figure for local in 2020, the period before 2021: suppressed to protect confidentiality"],
    },
    Case {
        name: "malformed figure reference",
        changes: &[
            Change::Write("content/data/cp.yaml", SERIES),
            Change::Write("content/data/cp.csv", b"period,local\n2020,12\n"),
            Change::Append(INTRO, "\nIt was {{vaule cp local 2020}}.\n"),
        ],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:8",
        says: &["must start with `value` or `change`", "did you mean `value`?"],
    },
    Case {
        name: "missing table file",
        changes: &[Change::Append(INTRO, "\n```table\nfile: training.csv\ncaption: Training\n```\n")],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:1",
        says: &["the table file `training.csv` does not exist", "content/data"],
    },
    Case {
        name: "ragged table",
        changes: &[
            Change::Write("content/data/training.csv", b"Agency,Courses\nPolice,12\nHealth\n"),
            Change::Append(INTRO, "\n```table\ntraining.csv\n```\n"),
        ],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:1",
        says: &["line 3 of `training.csv` has 1 cell, but the first row has 2 columns"],
    },
    Case {
        name: "misspelt field in a table block",
        changes: &[
            Change::Write("content/data/training.csv", b"Agency,Courses\nPolice,12\n"),
            Change::Append(INTRO, "\n```table\nfile: training.csv\ncaptoin: Training\n```\n"),
        ],
        file: "content/documents/business-plan-2025-26/10-introduction.md",
        at: "11:1",
        says: &["cannot read this table block", "unknown field `captoin`"],
    },
    Case {
        name: "a YAML table directly in the data folder",
        changes: &[Change::Write("content/data/training.yaml", b"columns: [Agency, Courses]\nrows:\n  - [Police, 12]\n")],
        file: "content/data/training.yaml",
        at: "",
        says: &["describes a chart series", "content/data/tables/training.yaml"],
    },
    Case {
        name: "a rate made from a count that stays a count",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: count\nsource: S\ndfe:\n  file: d5.csv\n  column: CPP_At31\n  local_authority: Exampleshire\n  per_10000:\n    file: pop.csv\n    column: population_estimate\n"),
            Change::Write("content/data/d5.csv", b"time_period,geographic_level,old_la_code,la_name,new_la_code,CPP_At31\n2025,Local authority,999,Exampleshire,E0999,120\n"),
        ],
        file: "content/data/cp.yaml",
        at: "9:5",
        says: &["`per_10000` makes a rate per 10,000, but the series' measure is number", "measure: rate-per-10000"],
    },
    Case {
        name: "a population column that is not there",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: rate-per-10000\nsource: S\ndfe:\n  file: d5.csv\n  column: CPP_At31\n  local_authority: Exampleshire\n  per_10000:\n    file: pop.csv\n    column: populaton_estimate\n"),
            Change::Write("content/data/d5.csv", b"time_period,geographic_level,old_la_code,la_name,new_la_code,CPP_At31\n2025,Local authority,999,Exampleshire,E0999,120\n"),
            Change::Write("content/data/pop.csv", b"time_period,geographic_level,old_la_code,new_la_code,population_estimate\n2025,Local authority,999,E0999,40000\n"),
        ],
        file: "content/data/cp.yaml",
        at: "10:13",
        says: &["`content/data/pop.csv` has no column `populaton_estimate`", "did you mean `population_estimate`?"],
    },
    Case {
        name: "a population file that is not there",
        changes: &[
            Change::Write("content/data/cp.yaml", b"title: T\nmeasure: rate-per-10000\nsource: S\ndfe:\n  file: d5.csv\n  column: CPP_At31\n  local_authority: Exampleshire\n  per_10000:\n    file: pop.csv\n    column: population_estimate\n"),
            Change::Write("content/data/d5.csv", b"time_period,geographic_level,old_la_code,la_name,new_la_code,CPP_At31\n2025,Local authority,999,Exampleshire,E0999,120\n"),
        ],
        file: "content/data/cp.yaml",
        at: "9:11",
        says: &["the data file `pop.csv` does not exist"],
    },
    Case {
        name: "an accessibility contact that is not an email address",
        changes: &[Change::Replace(BOARD, "contact: safeguarding@example.gov.uk", "contact: safeguarding@example")],
        file: BOARD,
        at: "34:12",
        says: &["`safeguarding@example` is not an email address", "name@example.gov.uk"],
    },
    Case {
        name: "an accessibility contact that is not a web address",
        changes: &[Change::Replace(BOARD, "contact: safeguarding@example.gov.uk", "contact: www.example.gov.uk/contact")],
        file: BOARD,
        at: "34:12",
        says: &["`www.example.gov.uk/contact` is not a web address", "https://"],
    },
    Case {
        name: "an accessibility review date that is not a date",
        changes: &[Change::Append(BOARD, "  last_reviewed: 31/03/2026\n")],
        file: BOARD,
        at: "35:18",
        says: &["`31/03/2026` is not a date", "year-month-day"],
    },
    Case {
        name: "a council statement with a space in its address",
        changes: &[Change::Append(BOARD, "  council_statement: https://example.gov.uk/access ibility\n")],
        file: BOARD,
        at: "35:22",
        says: &["contains a space"],
    },
    Case {
        name: "a misspelt accessibility field",
        changes: &[Change::Append(BOARD, "  known_issue: [PDFs]\n")],
        file: BOARD,
        at: "35:3",
        says: &["known_issue", "known_issues"],
    },
    Case {
        name: "a misspelt page setting in site.yaml",
        changes: &[Change::Write("content/site.yaml", b"title: T\npages:\n  not_fond: false\n")],
        file: "content/site.yaml",
        at: "3:3",
        says: &["not_fond", "not_found"],
    },
    Case {
        name: "a page setting that is not true or false",
        changes: &[Change::Write("content/site.yaml", b"pages: { accessibility_statement: maybe }\n")],
        file: "content/site.yaml",
        at: "1:35",
        says: &["write true or false"],
    },
    Case {
        name: "a document folder called accessibility",
        changes: &[Change::Write("content/documents/accessibility/document.yaml", b"title: T\nkind: other\nperiod: 2025-26\n")],
        file: "content/documents/accessibility",
        at: "",
        says: &["a document folder cannot be called `accessibility`"],
    },
    Case {
        name: "a site address that is not a web address",
        changes: &[Change::Write("content/site.yaml", b"title: T\nurl: www.example.gov.uk\n")],
        file: "content/site.yaml",
        at: "2:6",
        says: &["`www.example.gov.uk` is not a web address", "https://"],
    },
    Case {
        name: "a site address that is an email address",
        changes: &[Change::Write("content/site.yaml", b"url: mailto:web@example.gov.uk\n")],
        file: "content/site.yaml",
        at: "1:6",
        says: &["is not the address of a website", "https://www.exampleshire.gov.uk/safeguarding/"],
    },
];

/// A small series description in our own CSV layout.
const SERIES: &[u8] = b"title: T\nmeasure: count\nsource: S\nareas:\n  - column: local\n";

#[test]
fn every_bad_input_gets_a_located_helpful_error() {
    let mut failures = Vec::new();
    for case in CASES {
        let found = std::panic::catch_unwind(|| run(case));
        let Ok(diags) = found else {
            failures.push(format!("{}: panicked", case.name));
            continue;
        };
        let hit = diags.iter().any(|(file, at, said)| {
            file == case.file
                && at.starts_with(case.at)
                && case.says.iter().all(|w| said.contains(w))
        });
        if !hit {
            failures.push(format!(
                "{}: expected {} {} {:?}, got {diags:#?}",
                case.name, case.file, case.at, case.says
            ));
        }
    }
    assert!(CASES.len() >= 20);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    init::init(&root).unwrap();
    apply(
        &root,
        &Change::Replace(PLAN, "status: amber", "status: purple"),
    );
    apply(&root, &Change::Replace(PLAN, "September 2025", "someday"));
    apply(
        &root,
        &Change::Replace(DOCUMENT, "published: 2025-04-01", "published: 1 April"),
    );
    let Err(Error::Content(diags)) = check(&BuildOptions::new(Some(root), None)) else {
        panic!("should fail")
    };
    assert_eq!(diags.len(), 3, "{diags}");
    let text = diags.render();
    assert!(
        text.ends_with("3 errors found; nothing was written."),
        "{text}"
    );
    assert!(text.contains("document.yaml:4:12"), "{text}");
    assert!(text.contains("plan.yaml:18:24"), "{text}");
    assert!(text.contains("plan.yaml:24:21"), "{text}");
}

#[test]
fn a_broken_series_is_reported_once_not_again_where_it_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    init::init(&root).unwrap();
    apply(&root, &Change::Write("content/data/cp.yaml", SERIES));
    apply(
        &root,
        &Change::Write("content/data/cp.csv", b"period,local\n2020,twelve\n"),
    );
    apply(
        &root,
        &Change::Replace(DOCUMENT, "status_key:", "charts: [cp]\nstatus_key:"),
    );
    apply(
        &root,
        &Change::Append(
            INTRO,
            "\nIt was {{value cp local 2020}}, {{change cp local 2020}}.\n",
        ),
    );
    let Err(Error::Content(diags)) = check(&BuildOptions::new(Some(root), None)) else {
        panic!("should fail")
    };
    assert_eq!(diags.len(), 1, "{diags}");
    assert!(
        diags
            .render()
            .contains("`twelve` in column `local` is not a number")
    );
}

/// The data series are read in parallel: each broken one is still reported
/// at its own file and line, once, and a good one beside them is used.
#[test]
fn every_broken_series_is_reported_and_a_good_one_beside_them_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    init::init(&root).unwrap();
    fs::create_dir_all(root.join("content/data")).unwrap();
    for (name, csv) in [
        ("a", &b"period,local\n2020,twelve\n"[..]),
        ("b", &b"period,local\n2020,12\n2021,14\n"[..]),
        ("c", &b"period,local\n2020,12\n2020,14\n"[..]),
    ] {
        let yaml = String::from_utf8_lossy(SERIES).replace("title: T", &format!("title: {name}"));
        fs::write(root.join(format!("content/data/{name}.yaml")), yaml).unwrap();
        fs::write(root.join(format!("content/data/{name}.csv")), csv).unwrap();
    }
    fs::write(root.join("content/data/d.yaml"), b"title: [unclosed\n").unwrap();
    apply(
        &root,
        &Change::Replace(DOCUMENT, "status_key:", "charts: [a, b, c, d]\nstatus_key:"),
    );
    let Err(Error::Content(diags)) = check(&BuildOptions::new(Some(root), None)) else {
        panic!("should fail")
    };
    let text = diags.render();
    assert_eq!(diags.len(), 3, "{text}");
    assert!(text.contains("content/data/a.csv:2:"), "{text}");
    assert!(text.contains("content/data/c.csv:3:"), "{text}");
    assert!(text.contains("content/data/d.yaml:1:"), "{text}");
    assert!(
        !text.contains("b.csv") && !text.contains("b.yaml"),
        "{text}"
    );
}

#[test]
fn a_broken_board_file_does_not_hide_a_broken_plan() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    init::init(&root).unwrap();
    apply(&root, &Change::Replace(BOARD, "glossary:", "glosary:"));
    apply(
        &root,
        &Change::Replace(PLAN, "timescale: March 2026", "timscale: March 2026"),
    );
    let Err(Error::Content(diags)) = check(&BuildOptions::new(Some(root), None)) else {
        panic!("should fail")
    };
    let text = diags.render();
    assert!(text.contains("content/board.yaml:28:1"), "{text}");
    assert!(text.contains("plan.yaml:23:13"), "{text}");
}

/// A file name that is not UTF-8 (an old program's, or copied from a disk
/// in another encoding) is an error naming it with the bytes escaped.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_named_with_its_bytes_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    init::init(&root).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    let file = root.join(DOC.replace("DOC", "")).join(name);
    if fs::write(&file, "---\ntitle: x\n---\n").is_err() {
        return; // a file system that only takes UTF-8 names cannot hold one
    }
    let Err(Error::Content(diags)) = check(&BuildOptions::new(Some(root), None)) else {
        panic!("check passed");
    };
    let said = diags.to_string();
    assert!(
        said.contains("the name `caf\\xE9.md` is not valid text (UTF-8)"),
        "{said}"
    );
    assert!(
        said.contains("content/documents/business-plan-2025-26/caf"),
        "{said}"
    );
}

/// A folder on the way to a document that is a link to somewhere outside
/// the site: nothing in it is read, although fingerprinting the document's
/// folder (which the loader takes the files from) walks it.
#[cfg(unix)]
#[test]
fn a_linked_documents_folder_is_not_read_by_a_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    init::init(&root).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    fs::rename(root.join("content/documents"), &elsewhere).unwrap();
    let plan = elsewhere.join("business-plan-2025-26/plan.yaml");
    let secret = "Words kept outside the site";
    let text = fs::read_to_string(&plan).unwrap();
    let text = text.replacen("title: ", &format!("title: {secret} "), 1);
    fs::write(&plan, text).unwrap();
    std::os::unix::fs::symlink(&elsewhere, root.join("content/documents")).unwrap();
    let out = dir.path().join("output");
    let result = boardpress::build(&BuildOptions::new(Some(root), Some(out.clone())));
    let Err(Error::Content(diags)) = result else {
        panic!("the build passed");
    };
    let said = diags.to_string();
    assert!(said.contains("symbolic links are not followed"), "{said}");
    assert!(!said.contains(secret), "{said}");
    for (path, bytes) in common::files_of(&out) {
        assert!(!String::from_utf8_lossy(&bytes).contains(secret), "{path}");
    }
}
