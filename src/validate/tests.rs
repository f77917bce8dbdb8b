//! Rules checked on small models made from YAML text, without files.

use std::path::{Path, PathBuf};

use super::validate_board;
use crate::diagnostics::{Diagnostics, Position};
use crate::load::{LoadedBoard, LoadedDocument};
use crate::model::checked;
use crate::yaml::parse_yaml;

const BOARD: &str = "name: Exampleshire Safeguarding Children Partnership\n";

const DOCUMENT: &str = "title: Business plan
kind: business-plan
period: 2025-26
as_at: 2025-09-30
status_key:
  statuses:
    - {id: green, label: On track}
    - {id: red, label: Off track, colour: '#AA0000'}
";

const PLAN: &str = "priorities:
  - title: Neglect
    objectives:
      - title: Train staff
        leads: Training Sub Group
        milestones:
          - id: m1
            text: Run courses
            status: ON TRACK
            timescale: March 2026
          - text: Audit
            leads: Police
            status: red
  - id: voice
    title: Voice of the child
    milestones:
      - text: Survey
";

fn board(document: &str, plan: &str, slug: &str) -> (checked::Board, Diagnostics) {
    let mut diags = Diagnostics::default();
    let file = Path::new("content/documents/d/document.yaml");
    let dir = PathBuf::from(format!("content/documents/{slug}"));
    let loaded = LoadedBoard {
        slug: String::new(),
        dir: PathBuf::from("content"),
        file: PathBuf::from("content/board.yaml"),
        board: parse_yaml(Path::new("board.yaml"), BOARD, 0, &mut diags).unwrap(),
        documents: vec![LoadedDocument {
            slug: slug.to_string(),
            dir: dir.clone(),
            document: parse_yaml(file, document, 0, &mut diags).unwrap(),
            plan: Some((
                dir.join("plan.yaml"),
                parse_yaml(file, plan, 0, &mut diags).unwrap(),
            )),
            progress: None,
            sections: Vec::new(),
            fingerprint: None,
        }],
        reused: Vec::new(),
        kept_files: None,
        previous: None,
        board_print: None,
    };
    assert!(diags.is_empty(), "{diags}");
    let root = tempfile::tempdir().unwrap();
    let checked = validate_board(root.path(), loaded, &mut diags);
    (checked, diags)
}

#[test]
fn values_are_parsed_resolved_and_inherited_once() {
    let (b, diags) = board(DOCUMENT, PLAN, "d");
    assert!(diags.is_empty(), "{diags}");
    let d = &b.documents[0];
    assert_eq!(d.period.start.to_string(), "2025-04-01");
    assert_eq!(d.period.end.to_string(), "2026-03-31");
    assert_eq!(d.as_at.unwrap().to_string(), "2025-09-30");
    let colours: Vec<&str> = d
        .status_key
        .statuses
        .iter()
        .map(|s| s.colour.as_str())
        .collect();
    assert_eq!(
        colours,
        ["#00703c", "#aa0000"],
        "a colour word, and #AA0000 lower-cased"
    );
    let plan = d.plan.as_ref().unwrap();
    assert_eq!(plan.priorities[0].anchor, "priority-1");
    assert_eq!(plan.priorities[0].objectives[0].anchor, "priority-1-1");
    assert_eq!(plan.priorities[1].anchor, "voice");
    let ms: Vec<&checked::Milestone> = plan.milestones().map(|(_, m)| m).collect();
    assert_eq!(
        ms[0].leads,
        ["Training Sub Group"],
        "inherited from the objective"
    );
    assert_eq!(ms[1].leads, ["Police"], "its own lead wins");
    assert_eq!(ms[0].status, Some(0), "matched by label, in any case");
    assert_eq!(ms[1].status, Some(1));
    assert_eq!(ms[0].timescale.as_ref().unwrap().machine(), "2026-03");
    assert!(plan.columns.leads && plan.columns.status && plan.columns.timescale);
    assert!(!plan.columns.standards);
}

#[test]
fn a_status_outside_the_key_is_located() {
    let plan = PLAN.replace("status: red", "status: purple");
    let (_, diags) = board(DOCUMENT, &plan, "d");
    let found = diags.sorted();
    assert_eq!(found.len(), 1, "{diags}");
    assert_eq!(found[0].position, Some(Position::new(13, 21)));
    assert!(found[0].message.contains("`purple` is not a status"));
    assert!(found[0].help.as_deref().unwrap().contains("green, red"));
}

#[test]
fn an_unreadable_period_leaves_the_document_out() {
    let document = DOCUMENT.replace("period: 2025-26", "period: next year");
    let (b, diags) = board(&document, PLAN, "d");
    assert!(b.documents.is_empty());
    let found = diags.sorted();
    assert_eq!(found[0].position, Some(Position::new(3, 9)));
    assert!(found[0].help.as_deref().unwrap().contains("2015 to 2018"));
}

#[test]
fn page_ids_are_refused() {
    let plan = PLAN.replace("id: voice", "id: key-figures");
    let (_, diags) = board(DOCUMENT, &plan, "d");
    assert!(
        diags.sorted()[0]
            .message
            .contains("duplicate priority id `key-figures`")
    );
}
