//! `boardpress new plan|report|section NAME`: a new document or section,
//! written from a template that builds as it is, so a business manager
//! starts from something valid and replaces the words.
//!
//! A plan gets a document, a plan of one priority and an introduction. A
//! report names the board's newest plan (or the one given), covers its
//! period, and lists every milestone of that plan in `progress.yaml` ready
//! for its rating, with the sections the statutory guidance expects. A
//! section takes the next free `order` (the next ten after the document's
//! sections and plan) and a file name that shows it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::files::display_path;
use crate::model::{DocumentKind, Plan};
use crate::slug::slugify;
use crate::timescale::Period;

/// What `new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plan,
    Report,
    Section,
}

/// Where and what to make.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub kind: Kind,
    /// The document folder's name, or the section's.
    pub name: String,
    /// For a site of several boards: which board.
    pub board: Option<String>,
    /// For a section: the document it goes in. For a report: the plan it
    /// reports on (the newest plan by default).
    pub document: Option<String>,
    /// Today, for a plan's period when its name holds no year.
    pub today: crate::timescale::Date,
}

/// The files made, relative to the root, for the CLI to list.
pub fn new(opts: &NewOptions) -> Result<Vec<PathBuf>, String> {
    let name = checked_name(&opts.name)?;
    let board = board_folder(&opts.root, opts.board.as_deref())?;
    let documents = board.join("documents");
    let files = match opts.kind {
        Kind::Plan => plan_files(&name, opts.today, &board_name(&opts.root, &board)),
        Kind::Report => report_files(&opts.root, &documents, &name, opts)?,
        Kind::Section => return new_section(&opts.root, &documents, &name, opts),
    };
    let dir = documents.join(&name);
    if opts.root.join(&dir).exists() {
        return Err(format!(
            "{} already exists: choose another name, or edit the files in it",
            display_path(&dir)
        ));
    }
    write_all(&opts.root, &dir, files)
}

/// A name that is already a folder name for the web (`annual-report-2026-27`).
fn checked_name(name: &str) -> Result<String, String> {
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(format!(
            "`{name}` cannot be used as a name: use letters and digits, e.g. business-plan-2026-27"
        ));
    }
    if slug != name {
        return Err(format!(
            "`{name}` cannot be used in a web address: use `{slug}` (lower-case letters, digits and hyphens)"
        ));
    }
    Ok(slug)
}

/// The board's folder relative to the root: `content/` for a site of one
/// board, `content/boards/<board>/` for a site of several.
fn board_folder(root: &Path, board: Option<&str>) -> Result<PathBuf, String> {
    let content = PathBuf::from("content");
    if root.join("content/board.yaml").is_file() {
        return match board {
            None => Ok(content),
            Some(b) => Err(format!(
                "this site has one board (content/board.yaml), so there is no board `{b}`: leave out --board"
            )),
        };
    }
    let boards_dir = root.join("content/boards");
    let mut boards: Vec<String> = fs::read_dir(&boards_dir)
        .map_err(|_| {
            format!(
                "there is no boardpress site in {}: it has no content/board.yaml nor content/boards/. Make one with boardpress init",
                crate::site::absolute(root).display()
            )
        })?
        .flatten()
        .filter(|e| e.path().join("board.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    boards.sort();
    let pick = match (board, &boards[..]) {
        (Some(b), _) if boards.iter().any(|x| x == b) => b.to_string(),
        (None, [only]) => only.clone(),
        (Some(b), _) => {
            return Err(format!(
                "there is no board `{b}`; the boards are: {}",
                boards.join(", ")
            ));
        }
        (None, _) => {
            return Err(format!(
                "this site has several boards: say which with --board ({})",
                boards.join(", ")
            ));
        }
    };
    Ok(content.join("boards").join(pick))
}

/// The words of a folder name, as a title: `business-plan-2026-27` →
/// "Business Plan 2026-27".
fn title(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for part in name.split('-') {
        let joins_years = part.chars().all(|c| c.is_ascii_digit())
            && words
                .last()
                .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()));
        match words.last_mut() {
            Some(last) if joins_years => {
                last.push('-');
                last.push_str(part);
            }
            _ => {
                let mut chars = part.chars();
                let word = match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                };
                words.push(word);
            }
        }
    }
    words.join(" ")
}

/// A section's heading, in sentence case as GOV.UK writes headings:
/// `learning-from-reviews` → "Learning from reviews".
fn sentence(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The period a name gives (`…-2026-27`), or else the financial year of
/// `today`.
fn period_of(name: &str, today: crate::timescale::Date) -> Period {
    let years: Vec<&str> = name
        .split('-')
        .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let from_name = match years[..] {
        [.., a, b] if a.len() == 4 => Period::parse(&format!("{a}-{b}")).ok(),
        [.., a] if a.len() == 4 => Period::parse(a).ok(),
        _ => None,
    };
    from_name.unwrap_or_else(|| {
        let start = if today.month >= 4 {
            today.year
        } else {
            today.year - 1
        };
        let text = format!("{start}-{:02}", (start + 1) % 100);
        Period::parse(&text).expect("a financial year is a period")
    })
}

type Files = Vec<(&'static str, String)>;

/// The board's name from its `board.yaml`, for the new plan's words.
fn board_name(root: &Path, board: &Path) -> String {
    #[derive(Deserialize)]
    struct Named {
        name: String,
    }
    fs::read_to_string(root.join(board).join("board.yaml"))
        .ok()
        .and_then(|text| serde_saphyr::from_str::<Named>(text.trim_start_matches('\u{feff}')).ok())
        .map_or_else(|| "the partnership".to_string(), |b| b.name)
}

fn plan_files(name: &str, today: crate::timescale::Date, board: &str) -> Files {
    let period = period_of(name, today);
    let kind = if name.contains("strategic") || name.contains("strategy") {
        "strategic-plan"
    } else if name.contains("action") {
        "action-plan"
    } else {
        "business-plan"
    };
    let document = format!(
        include_str!("starter/new/plan-document.yaml"),
        title = title(name),
        kind = kind,
        period = period.text,
        start = period.start,
    );
    vec![
        ("document.yaml", document),
        (
            "plan.yaml",
            format!(
                include_str!("starter/new/plan.yaml"),
                end_year = period.end.year
            ),
        ),
        (
            "10-introduction.md",
            include_str!("starter/introduction.md")
                .replace("Example Safeguarding Children Partnership", board),
        ),
    ]
}

/// The plan a report reports on: the one named, or the board's newest
/// document with a `plan.yaml` (by its period's end, then by name).
fn plan_reported_on(
    root: &Path,
    documents: &Path,
    named: Option<&str>,
) -> Result<(String, Period, Plan), String> {
    let mut plans: Vec<(String, Period)> = Vec::new();
    for entry in fs::read_dir(root.join(documents))
        .into_iter()
        .flatten()
        .flatten()
    {
        let folder = entry.file_name().to_string_lossy().to_string();
        let dir = entry.path();
        if !dir.join("plan.yaml").is_file() || named.is_some_and(|n| n != folder) {
            continue;
        }
        if let Some(period) = document_period(&dir.join("document.yaml")) {
            plans.push((folder, period));
        }
    }
    plans.sort_by(|a, b| (a.1.end, &a.0).cmp(&(b.1.end, &b.0)));
    let Some((folder, period)) = plans.pop() else {
        return Err(match named {
            Some(n) => format!(
                "there is no plan `{n}` (a document folder with a plan.yaml and a readable document.yaml) in {}",
                display_path(documents)
            ),
            None => format!(
                "a report gives progress on a plan, and there is no plan in {} yet: make one first with boardpress new plan NAME",
                display_path(documents)
            ),
        });
    };
    let file = root.join(documents).join(&folder).join("plan.yaml");
    let text = crate::files::read_text(root, &documents.join(&folder).join("plan.yaml"))
        .map_err(|e| format!("{}: {}", display_path(&e.path), e.message))?;
    let mut diags = crate::diagnostics::Diagnostics::default();
    let plan = crate::yaml::parse_yaml::<Plan>(&file, &text, 0, &mut diags).ok_or_else(|| {
        format!(
            "{} has mistakes; fix them first (boardpress check shows them)",
            display_path(&documents.join(&folder).join("plan.yaml"))
        )
    })?;
    Ok((folder, period, plan))
}

fn document_period(file: &Path) -> Option<Period> {
    #[derive(Deserialize)]
    struct Head {
        period: String,
        kind: DocumentKind,
    }
    let text = fs::read_to_string(file).ok()?;
    let head: Head = serde_saphyr::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    let planned = !matches!(head.kind, DocumentKind::AnnualReport);
    planned.then(|| Period::parse(&head.period).ok()).flatten()
}

fn report_files(
    root: &Path,
    documents: &Path,
    name: &str,
    opts: &NewOptions,
) -> Result<Files, String> {
    let (plan, period, model) = plan_reported_on(root, documents, opts.document.as_deref())?;
    // A report on a plan of several years covers its last year by default.
    let year = match period.end.year - period.start.year {
        n if n > 1 && period.financial => {
            let y = period.end.year - 1;
            format!("\n  year: \"{y}-{:02}\"", (y + 1) % 100)
        }
        _ => String::new(),
    };
    let report_period = match year.is_empty() {
        true => period.text.clone(),
        false => format!("{}-{:02}", period.end.year - 1, period.end.year % 100),
    };
    let document = format!(
        include_str!("starter/new/report-document.yaml"),
        title = title(name),
        period = report_period,
        as_at = period.end,
        plan = plan,
        year = year,
    );
    Ok(vec![
        ("document.yaml", document),
        ("progress.yaml", progress(&model)),
        (
            "10-foreword.md",
            include_str!("starter/report/foreword.md").to_string(),
        ),
        (
            "30-impact-and-training.md",
            include_str!("starter/report/impact.md").to_string(),
        ),
        (
            "40-learning-from-reviews.md",
            include_str!("starter/report/reviews.md").to_string(),
        ),
        (
            "50-voice-of-children.md",
            include_str!("starter/report/voice.md").to_string(),
        ),
    ])
}

/// Every milestone of the plan with an id, ready for its rating.
fn progress(plan: &Plan) -> String {
    let mut out = String::from(include_str!("starter/new/progress-head.yaml"));
    let mut any = false;
    for priority in &plan.priorities {
        let milestones = priority
            .milestones
            .iter()
            .chain(priority.objectives.iter().flat_map(|o| o.milestones.iter()));
        for m in milestones {
            let Some(id) = &m.id else { continue };
            let text: String = m.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let text: String = text.chars().take(100).collect();
            out.push_str(&format!(
                "  # {text}\n  - id: {}\n    status:\n    note:\n",
                id.value
            ));
            any = true;
        }
    }
    if !any {
        out.push_str("  # The plan's milestones have no ids yet: give each an `id:` in plan.yaml, then list them here.\n  []\n");
    }
    out
}

fn new_section(
    root: &Path,
    documents: &Path,
    name: &str,
    opts: &NewOptions,
) -> Result<Vec<PathBuf>, String> {
    let Some(document) = &opts.document else {
        return Err(
            "say which document the section goes in: boardpress new section NAME --document FOLDER"
                .to_string(),
        );
    };
    let dir = documents.join(document);
    if !root.join(&dir).join("document.yaml").is_file() {
        return Err(format!(
            "there is no document {} (a folder with a document.yaml)",
            display_path(&dir)
        ));
    }
    let order = next_order(&root.join(&dir));
    let file = dir.join(format!("{order}-{name}.md"));
    let taken = fs::read_dir(root.join(&dir))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.trim_end_matches(".md")
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start_matches('-')
                == name
                && n.ends_with(".md")
        });
    if taken {
        return Err(format!(
            "{} already has a section named {name}",
            display_path(&dir)
        ));
    }
    let text = format!(
        "---\ntitle: {}\norder: {order}\n---\nWrite this section here, in Markdown.\n",
        sentence(name)
    );
    fs::write(root.join(&file), text)
        .map_err(|e| format!("could not write {}: {e}", display_path(&file)))?;
    Ok(vec![file])
}

/// Ten more than the highest `order` of the document's sections, plan and
/// progress, rounded down to a ten.
fn next_order(dir: &Path) -> i64 {
    #[derive(Deserialize)]
    struct Order {
        order: Option<i64>,
    }
    let mut highest = 0;
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Ok(text) = fs::read_to_string(entry.path()) else {
            continue;
        };
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let yaml = match name.as_str() {
            "plan.yaml" | "progress.yaml" => text,
            n if n.ends_with(".md") => front_matter(&text).unwrap_or_default(),
            _ => continue,
        };
        if let Ok(Order { order: Some(n) }) = serde_saphyr::from_str::<Order>(&yaml) {
            highest = highest.max(n);
        }
    }
    (highest / 10 + 1) * 10
}

fn front_matter(text: &str) -> Option<String> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---")?;
    Some(rest[..end].to_string())
}

fn write_all(root: &Path, dir: &Path, files: Files) -> Result<Vec<PathBuf>, String> {
    let write = |path: &Path, text: &str| -> io::Result<()> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, text)
    };
    let mut made = Vec::new();
    for (name, text) in files {
        let rel = dir.join(name);
        write(&root.join(&rel), &text)
            .map_err(|e| format!("could not write {}: {e}", display_path(&rel)))?;
        made.push(rel);
    }
    Ok(made)
}

/// Today's date (UTC), from the system clock: only `new` uses the clock,
/// to date a plan whose name gives no year; builds never do.
pub fn today() -> crate::timescale::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Howard Hinnant's days-to-civil algorithm.
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    crate::timescale::Date::new(year, month, day).expect("the clock gives a real date")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_titles_and_periods() {
        assert_eq!(title("business-plan-2026-27"), "Business Plan 2026-27");
        assert_eq!(title("annual-report-2026"), "Annual Report 2026");
        assert_eq!(sentence("learning-from-reviews"), "Learning from reviews");
        let today = crate::timescale::Date::new(2026, 12, 2).unwrap();
        assert_eq!(period_of("business-plan-2026-27", today).text, "2026-27");
        assert_eq!(period_of("strategy", today).text, "2026-27");
        let spring = crate::timescale::Date::new(2027, 2, 1).unwrap();
        assert_eq!(period_of("plan", spring).text, "2026-27");
    }
}
