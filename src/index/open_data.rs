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

use serde::Serialize;

use super::BoardIndex;
use crate::model::summary::DocumentSummary;
use crate::render::OutputFile;
use crate::spreadsheet::{self, Cell};

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
pub struct Action {
    pub board: String,
    pub document: String,
    pub document_title: String,
    pub kind: String,
    pub period: String,
    pub as_at: Option<String>,
    pub priority_number: Option<String>,
    pub priority: Option<String>,
    pub milestone_id: String,
    pub milestone: String,
    pub leads: Option<String>,
    pub monitored_by: Option<String>,
    pub timescale: Option<String>,
    pub due: Option<String>,
    pub status_id: Option<String>,
    pub status_label: Option<String>,
    pub url: String,
}

impl Action {
    fn cells(&self) -> [Option<&str>; 17] {
        [
            Some(self.board.as_str()),
            Some(self.document.as_str()),
            Some(self.document_title.as_str()),
            Some(self.kind.as_str()),
            Some(self.period.as_str()),
            self.as_at.as_deref(),
            self.priority_number.as_deref(),
            self.priority.as_deref(),
            Some(self.milestone_id.as_str()),
            Some(self.milestone.as_str()),
            self.leads.as_deref(),
            self.monitored_by.as_deref(),
            self.timescale.as_deref(),
            self.due.as_deref(),
            self.status_id.as_deref(),
            self.status_label.as_deref(),
            Some(self.url.as_str()),
        ]
    }
}

/// The rows of one document, each `url` relative to the document's folder.
pub fn document_actions(board: &str, d: &DocumentSummary) -> Vec<Action> {
    let kind = serde_json::to_value(d.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
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
                Some(id) => id.clone(),
                None => format!(
                    "{}/{}/{n}",
                    d.slug,
                    priority.map_or("priority", |p| p.anchor.as_str())
                ),
            };
            let url = match &m.anchor {
                Some(id) => format!("index.html#{row_id}{id}"),
                None => "index.html".to_string(),
            };
            let status = m.status.and_then(|i| d.statuses.get(i));
            let joined = |names: &[String]| (!names.is_empty()).then(|| names.join("; "));
            Action {
                board: board.to_string(),
                document: d.slug.clone(),
                document_title: d.title.clone(),
                kind: kind.clone(),
                period: d.period.clone(),
                as_at: d.as_at.map(|a| a.to_string()),
                priority_number: priority.and_then(|p| p.number.clone()),
                priority: priority.map(|p| p.plain.clone()),
                milestone_id,
                milestone: m.plain.clone(),
                leads: joined(&m.leads),
                monitored_by: joined(&m.monitored_by),
                timescale: m.timescale.as_ref().map(|(text, _)| text.clone()),
                due: m.timescale.as_ref().map(|(_, due)| due.clone()),
                status_id: status.map(|s| s.id.clone()),
                status_label: status.map(|s| s.label.clone()),
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
    let mut files = Vec::new();
    let mut all = Vec::new();
    for d in &index.documents {
        let mut rows = document_actions(&index.name, d);
        files.extend(pair(&format!("{prefix}{}/", d.slug), &rows));
        // From the board's folder, the links go into the document's.
        for r in &mut rows {
            r.url = format!("{}/{}", d.slug, r.url);
        }
        all.extend(rows);
    }
    files.extend(pair(prefix, &all));
    files
}

/// `actions.csv` and `actions.json` in `folder` (empty, or ending in `/`),
/// whose rows' links are relative to it.
fn pair(folder: &str, rows: &[Action]) -> [OutputFile; 2] {
    let mut json = serde_json::to_vec_pretty(rows).unwrap_or_default();
    json.push(b'\n');
    [
        OutputFile {
            path: format!("{folder}{CSV}"),
            bytes: csv_bytes(rows),
        },
        OutputFile {
            path: format!("{folder}{JSON}"),
            bytes: json,
        },
    ]
}

fn csv_bytes(rows: &[Action]) -> Vec<u8> {
    let rows = rows.iter().map(|row| {
        row.cells()
            .into_iter()
            .map(|c| Cell::Text(c.unwrap_or("")))
            .collect()
    });
    spreadsheet::csv(&COLUMNS, rows)
}
