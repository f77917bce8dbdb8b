//! Open data: every milestone as a row of `actions.csv` and `actions.json`,
//! for each document, each board and (on a multi-board site) the whole site.
//!
//! Rows are made from [`DocumentSummary`]s, so documents kept from the
//! previous build are included exactly as a fresh build would have them.
//! The columns are fixed ([`COLUMNS`], documented in
//! `docs/content-format.md`, "Open data"); a milestone without an `id` gets
//! one from its place (`<document>/<priority anchor>/<n>`), which stays the
//! same from build to build while the plan does.
//!
//! The CSV is for spreadsheets, made safe as [`crate::spreadsheet`] says;
//! the JSON has the values as they are.

use std::borrow::Cow;

use serde::Serialize;

use super::BoardIndex;
use crate::model::summary::DocumentSummary;
use crate::render::OutputFile;
use crate::spreadsheet::{self, Cell, written_as_is};

/// The files' names, in each folder that has them.
pub const CSV: &str = "actions.csv";
pub const JSON: &str = "actions.json";

/// The CSV's header row, in the order of [`Action`]'s fields.
pub const COLUMNS: [&str; 17] = [
    "board",
    "document",
    "document_title",
    "kind",
    "period",
    "as_at",
    "priority_number",
    "priority",
    "milestone_id",
    "milestone",
    "leads",
    "monitored_by",
    "timescale",
    "due",
    "status_id",
    "status_label",
    "url",
];

/// One milestone, as both files give it. `url` is relative to the site's
/// root here, and made relative to each file's folder when written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action<'a> {
    pub board: Cow<'a, str>,
    pub document: Cow<'a, str>,
    pub document_title: Cow<'a, str>,
    pub kind: Cow<'a, str>,
    pub period: Cow<'a, str>,
    pub as_at: Option<Cow<'a, str>>,
    pub priority_number: Option<Cow<'a, str>>,
    pub priority: Option<Cow<'a, str>>,
    pub milestone_id: Cow<'a, str>,
    pub milestone: Cow<'a, str>,
    pub leads: Option<Cow<'a, str>>,
    pub monitored_by: Option<Cow<'a, str>>,
    pub timescale: Option<Cow<'a, str>>,
    pub due: Option<Cow<'a, str>>,
    pub status_id: Option<Cow<'a, str>>,
    pub status_label: Option<Cow<'a, str>>,
    pub url: Cow<'a, str>,
}

impl Action<'_> {
    fn cells(&self) -> [Option<&str>; 17] {
        [
            Some(&self.board),
            Some(&self.document),
            Some(&self.document_title),
            Some(&self.kind),
            Some(&self.period),
            self.as_at.as_deref(),
            self.priority_number.as_deref(),
            self.priority.as_deref(),
            Some(&self.milestone_id),
            Some(&self.milestone),
            self.leads.as_deref(),
            self.monitored_by.as_deref(),
            self.timescale.as_deref(),
            self.due.as_deref(),
            self.status_id.as_deref(),
            self.status_label.as_deref(),
            Some(&self.url),
        ]
    }
}

/// The rows of one document, each `url` relative to the document's folder.
/// Each row borrows what it shares with the document (`kind` is the
/// document's kind as its `document.yaml` writes it, see [`kind_id`]).
pub fn document_actions<'a>(
    board: &'a str,
    d: &'a DocumentSummary,
    kind: &'a str,
) -> Vec<Action<'a>> {
    // A report shows its plan's milestones in its progress tables, whose
    // rows have `progress-` ids.
    let row_id = if d.reports_on.is_some() {
        "progress-"
    } else {
        ""
    };
    let mut counts = vec![0usize; d.priorities.len()];
    d.milestones
        .iter()
        .map(|m| {
            let priority = d.priorities.get(m.priority);
            let n = counts.get_mut(m.priority).map_or(1, |c| {
                *c += 1;
                *c
            });
            let milestone_id = match &m.anchor {
                Some(id) => Cow::Borrowed(id.as_str()),
                None => Cow::Owned(format!(
                    "{}/{}/{n}",
                    d.slug,
                    priority.map_or("priority", |p| p.anchor.as_str())
                )),
            };
            let url = match &m.anchor {
                Some(id) => Cow::Owned(["index.html#", row_id, id].concat()),
                None => Cow::Borrowed("index.html"),
            };
            let status = m.status.and_then(|i| d.statuses.get(i));
            let text = |s: &'a String| Cow::Borrowed(s.as_str());
            Action {
                board: Cow::Borrowed(board),
                document: text(&d.slug),
                document_title: text(&d.title),
                kind: Cow::Borrowed(kind),
                period: text(&d.period),
                as_at: d.as_at.map(|a| Cow::Owned(a.to_string())),
                priority_number: priority.and_then(|p| p.number.as_ref()).map(text),
                priority: priority.map(|p| text(&p.plain)),
                milestone_id,
                milestone: text(&m.plain),
                leads: joined(&m.leads),
                monitored_by: joined(&m.monitored_by),
                timescale: m.timescale.as_ref().map(|(t, _)| text(t)),
                due: m.timescale.as_ref().map(|(_, due)| text(due)),
                status_id: status.map(|s| text(&s.id)),
                status_label: status.map(|s| text(&s.label)),
                url,
            }
        })
        .collect()
}

/// A board's open data: a pair of files in each document's folder and a
/// pair at the board's root (`prefix`) with all its documents. A site of
/// several boards has no pair of its own: a national site's would hold
/// every milestone in memory at once, where each board's is made and
/// written in turn.
pub fn board_files(index: &BoardIndex, prefix: &str) -> Vec<OutputFile> {
    let kinds: Vec<String> = index.documents.iter().map(|d| kind_id(d.kind)).collect();
    let documents: Vec<(&DocumentSummary, Vec<Action>)> = index
        .documents
        .iter()
        .zip(&kinds)
        .map(|(d, kind)| (d, document_actions(&index.name, d, kind)))
        .collect();
    let pairs: Vec<Encoded> = documents
        .iter()
        .map(|(_, rows)| Encoded::new(rows))
        .collect();
    // The board's pair holds every document's rows, each link a folder
    // longer: sized at the start, rather than grown and copied as it fills.
    let links: usize = documents
        .iter()
        .map(|(d, rows)| rows.len() * (d.slug.len() + 1))
        .sum();
    let mut board = BoardPair::new(
        pairs.iter().map(|p| p.json.len()).sum::<usize>() + links,
        pairs.iter().map(|p| p.csv.len()).sum::<usize>() + links,
    );
    let mut files = Vec::with_capacity(2 * pairs.len() + 2);
    for ((d, rows), pair) in documents.iter().zip(pairs) {
        board.add(&d.slug, rows, &pair);
        files.extend(pair.files(&format!("{prefix}{}/", d.slug)));
    }
    files.extend(board.files(prefix));
    files
}

/// One folder's pair of files, with where each row ends in the CSV.
/// Names as one cell: "Police; Health".
fn joined(names: &[String]) -> Option<Cow<'_, str>> {
    match names {
        [] => None,
        [one] => Some(Cow::Borrowed(one.as_str())),
        _ => Some(Cow::Owned(names.join("; "))),
    }
}

/// A document's kind as `document.yaml` writes it (`business-plan`).
fn kind_id(kind: crate::model::DocumentKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

struct Encoded {
    json: Vec<u8>,
    csv: Vec<u8>,
    csv_ends: Vec<usize>,
}

impl Encoded {
    fn new(rows: &[Action]) -> Self {
        // Room for both files made once: the values, and each row's keys,
        // quotes and indents (about 420 bytes in the JSON) or commas.
        let values: usize = rows
            .iter()
            .map(|r| r.cells().iter().flatten().map(|c| c.len()).sum::<usize>())
            .sum();
        let mut json = Vec::with_capacity(values + values / 8 + rows.len() * 430 + 8);
        write_json(rows, &mut json);
        json.push(b'\n');
        let cells = rows.iter().map(|row| {
            row.cells()
                .into_iter()
                .map(|c| Cell::Text(c.unwrap_or("")))
                .collect()
        });
        let size = values + values / 8 + rows.len() * 24 + 256;
        let (csv, csv_ends) = spreadsheet::csv_with_row_ends(&COLUMNS, cells, size);
        Encoded {
            json,
            csv,
            csv_ends,
        }
    }

    /// The JSON array's elements, without its brackets.
    fn json_elements(&self) -> &[u8] {
        // `[\n` and `\n]\n` around them; an empty array is `[]\n`.
        self.json
            .get(2..self.json.len().saturating_sub(3))
            .unwrap_or(&[])
    }

    /// The CSV's rows, without its byte order mark and header.
    fn csv_rows(&self) -> &[u8] {
        &self.csv[self.csv_ends[0]..]
    }

    /// `actions.csv` and `actions.json` in `folder` (empty, or ending in
    /// `/`), whose rows' links are relative to it.
    fn files(self, folder: &str) -> [OutputFile; 2] {
        [
            OutputFile {
                path: format!("{folder}{CSV}"),
                bytes: self.csv,
            },
            OutputFile {
                path: format!("{folder}{JSON}"),
                bytes: self.json,
            },
        ]
    }
}

/// The board's pair, made from its documents' rows as they were written
/// for the documents' folders, with each link put under the document's
/// folder: serialising every row a second time was about 3% of a
/// build's work.
struct BoardPair {
    /// `[` and the elements so far.
    json: Vec<u8>,
    /// The header and the rows so far.
    csv: Vec<u8>,
    /// Whether any document has added rows yet.
    rows: bool,
}

impl BoardPair {
    fn new(json: usize, csv: usize) -> Self {
        let mut pair = BoardPair {
            json: Vec::with_capacity(json + 8),
            csv: Vec::with_capacity(csv + 512),
            rows: false,
        };
        pair.json.extend_from_slice(b"[\n");
        let (header, _) = spreadsheet::csv_with_row_ends(&COLUMNS, std::iter::empty(), 0);
        pair.csv.extend_from_slice(&header);
        pair
    }

    fn add(&mut self, slug: &str, rows: &[Action], pair: &Encoded) {
        if rows.is_empty() {
            return;
        }
        let folder = format!("{slug}/");
        // A link is the last value of a row in both files, so the folder
        // goes in where it starts, if the folder's name and every link are
        // written as they are; otherwise the rows are written again.
        let plain = written_as_is(&folder) && rows.iter().all(|r| written_as_is(&r.url));
        if !plain {
            let moved: Vec<Action> = rows
                .iter()
                .map(|r| Action {
                    url: Cow::Owned(format!("{folder}{}", r.url)),
                    ..r.clone()
                })
                .collect();
            let pair = Encoded::new(&moved);
            self.push_json(pair.json_elements(), &[]);
            self.csv.extend_from_slice(pair.csv_rows());
            return;
        }
        self.push_json(pair.json_elements(), folder.as_bytes());
        let mut from = pair.csv_ends[0];
        for (row, &end) in rows.iter().zip(&pair.csv_ends[1..]) {
            let url = end - CRLF.len() - row.url.len();
            self.csv.extend_from_slice(&pair.csv[from..url]);
            self.csv.extend_from_slice(folder.as_bytes());
            self.csv.extend_from_slice(&pair.csv[url..end]);
            from = end;
        }
    }

    /// Appends a document's elements, `folder` put in front of each link.
    fn push_json(&mut self, elements: &[u8], folder: &[u8]) {
        if self.rows {
            self.json.extend_from_slice(b",\n");
        }
        self.rows = true;
        let mut from = 0;
        if !folder.is_empty() {
            // Only a key has an unescaped quote; `url` is the last key.
            for at in memchr::memmem::find_iter(elements, JSON_URL) {
                let url = at + JSON_URL.len();
                self.json.extend_from_slice(&elements[from..url]);
                self.json.extend_from_slice(folder);
                from = url;
            }
        }
        self.json.extend_from_slice(&elements[from..]);
    }

    fn files(mut self, folder: &str) -> [OutputFile; 2] {
        if self.rows {
            self.json.extend_from_slice(b"\n]\n");
        } else {
            self.json = b"[]\n".to_vec();
        }
        Encoded {
            json: self.json,
            csv: self.csv,
            csv_ends: Vec::new(),
        }
        .files(folder)
    }
}

/// `rows` as a JSON array, byte for byte as serde_json's pretty printer
/// writes them, but with each key written as it is rather than escaped
/// anew on every row, and each value as [`crate::json`] writes it.
fn write_json(rows: &[Action], out: &mut Vec<u8>) {
    if rows.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    out.push(b'[');
    for (i, row) in rows.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n  {" } else { b",\n  {" });
        for (j, (key, value)) in COLUMNS.iter().zip(row.cells()).enumerate() {
            out.extend_from_slice(if j == 0 { b"\n    \"" } else { b",\n    \"" });
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\": ");
            match value {
                Some(value) => crate::json::write_str(out, value),
                None => out.extend_from_slice(b"null"),
            }
        }
        out.extend_from_slice(b"\n  }");
    }
    out.extend_from_slice(b"\n]");
}

/// How each CSV row ends.
const CRLF: &str = "\r\n";
/// What comes before a row's link in the pretty-printed JSON array.
const JSON_URL: &[u8] = b"\n    \"url\": \"";

#[cfg(test)]
mod tests {
    use super::*;

    fn action(document: &str, n: usize, url: &str) -> Action<'static> {
        let text = |s: &str| Some(Cow::Owned(s.to_string()));
        Action {
            board: "Ynys Môn".into(),
            document: Cow::Owned(document.into()),
            document_title: "Plan, \"2025\"\r\nto 2026".into(),
            kind: "plan".into(),
            period: "2025 to 2026".into(),
            as_at: if n.is_multiple_of(2) {
                text("2026-03-31")
            } else {
                None
            },
            priority_number: text("1"),
            priority: text("=SUM(A1) \\ \"url\": \"x"),
            milestone_id: format!("{document}/p/{n}").into(),
            milestone: format!("Milestone {n}\n    \"url\": \"not a key").into(),
            leads: text("Police; Health"),
            monitored_by: None,
            timescale: text("-Q1"),
            due: text("2026-06-30"),
            status_id: text("green"),
            status_label: text("On track, \u{2014} fine"),
            url: Cow::Owned(url.into()),
        }
    }

    #[test]
    fn json_is_written_as_serde_json_pretty_prints_it() {
        let mut odd = action("a\"b", 2, "index.html#x/\\y");
        odd.leads = None;
        odd.milestone = Cow::Borrowed("Line one\nline two, \u{1} and “quotes” </script>");
        for rows in [
            vec![],
            vec![action("p", 1, "index.html")],
            vec![odd, action("q", 3, "x")],
        ] {
            let mut ours = Vec::new();
            write_json(&rows, &mut ours);
            let theirs = serde_json::to_vec_pretty(&rows).unwrap();
            assert_eq!(String::from_utf8(ours), String::from_utf8(theirs));
        }
    }

    /// The board's pair as it would be written from scratch.
    fn written_again(docs: &[(&str, Vec<Action>)]) -> [OutputFile; 2] {
        let all: Vec<Action> = docs
            .iter()
            .flat_map(|(slug, rows)| {
                rows.iter().map(move |r| Action {
                    url: format!("{slug}/{}", r.url).into(),
                    ..r.clone()
                })
            })
            .collect();
        Encoded::new(&all).files("")
    }

    #[test]
    fn the_boards_pair_is_the_documents_rows_with_links_moved() {
        let docs = [
            (
                "plan",
                vec![
                    action("plan", 1, "index.html#a"),
                    action("plan", 2, "index.html"),
                ],
            ),
            ("empty", vec![]),
            // A link a spreadsheet would quote is written again.
            (
                "report",
                vec![
                    action("report", 1, "index.html#a,b"),
                    action("report", 2, "index.html#\"q"),
                ],
            ),
            ("last", vec![action("last", 1, "index.html#progress-z")]),
        ];
        for n in 0..=docs.len() {
            let mut board = BoardPair::new(0, 0);
            for (slug, rows) in &docs[..n] {
                board.add(slug, rows, &Encoded::new(rows));
            }
            let [csv, json] = board.files("");
            let [want_csv, want_json] = written_again(&docs[..n]);
            assert_eq!(
                String::from_utf8(json.bytes),
                String::from_utf8(want_json.bytes)
            );
            assert_eq!(
                String::from_utf8(csv.bytes),
                String::from_utf8(want_csv.bytes)
            );
        }
    }
}
