//! Tables for ```table blocks: a CSV file, or a YAML file with `columns:`
//! and `rows:`, in the board's data folder, read into rows of text. The
//! renderer makes the HTML; this module only reads and checks.
//!
//! YAML tables live in a sub-folder (`data/tables/`): a `.yaml` file directly
//! in `data/` is a series description (see [`super::load_data`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Diagnostics;
use crate::files::{check_inside, display_path, read_text};
use crate::yaml::parse_yaml;

/// A table as its file gives it: a header row, then rows of the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// The file, relative to the data folder, as the block names it.
    pub file: PathBuf,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Why a table could not be read, in words for the person who wrote the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub message: String,
    pub help: String,
}

impl TableError {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        TableError {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// `file:` of a YAML table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YamlTable {
    columns: Vec<String>,
    rows: Vec<Vec<Option<Scalar>>>,
}

/// A cell of a YAML table, shown as written.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Whole(i64),
    Number(f64),
    Yes(bool),
    Text(String),
}

impl Scalar {
    fn text(self) -> String {
        match self {
            Scalar::Whole(n) => n.to_string(),
            Scalar::Number(n) => n.to_string(),
            Scalar::Yes(b) => if b { "Yes" } else { "No" }.to_string(),
            Scalar::Text(t) => t.trim().to_string(),
        }
    }
}

/// Read the table `name` (a path inside `data_dir`, which is relative to
/// the site `root`): a `.csv`, or a `.yaml`/`.yml` in a sub-folder.
pub fn read_table(root: &Path, data_dir: &Path, name: &str) -> Result<DataTable, TableError> {
    let file = PathBuf::from(name.trim());
    let shown = display_path(&file);
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let yaml = matches!(ext.as_str(), "yaml" | "yml");
    if !yaml && ext != "csv" {
        return Err(TableError::new(
            format!("`{shown}` is not a table file this block can read"),
            "name a .csv file (from a spreadsheet: Save As, CSV UTF-8), or a .yaml file with `columns:` and `rows:` in a sub-folder such as tables/",
        ));
    }
    let in_data_itself = file.parent().is_none_or(|p| p.as_os_str().is_empty());
    if yaml && in_data_itself {
        return Err(TableError::new(
            format!(
                "`{shown}` is directly in the data folder, where every .yaml file describes a chart series"
            ),
            format!(
                "move the table into a sub-folder, such as {}, and write `file: tables/{shown}`",
                display_path(&data_dir.join("tables").join(&file))
            ),
        ));
    }
    let rel = data_dir.join(&file);
    if let Err(e) = check_inside(root, &rel) {
        return Err(TableError::new(
            format!("the table `{shown}` cannot be read: {}", e.message),
            "give the file's path from the data folder, without `..`, and copy the file in rather than linking to it",
        ));
    }
    let text = match read_text(root, &rel) {
        Ok(t) => t,
        Err(_) if !root.join(&rel).exists() => {
            return Err(TableError::new(
                format!("the table file `{shown}` does not exist"),
                format!(
                    "put the file in {} (or a sub-folder of it) and give its path from there",
                    display_path(data_dir)
                ),
            ));
        }
        Err(e) => {
            return Err(TableError::new(
                format!("cannot read the table `{shown}`: {}", e.message),
                e.help.unwrap_or_default(),
            ));
        }
    };
    let table = if yaml {
        from_yaml(&rel, &text, &shown)?
    } else {
        from_csv(&text, &shown)?
    };
    Ok(DataTable {
        file,
        columns: table.0,
        rows: table.1,
    })
}

type Rows = (Vec<String>, Vec<Vec<String>>);

const SAME_LENGTH: &str = "give every row as many cells as there are columns; leave a cell empty when there is nothing to put in it";

fn from_csv(text: &str, shown: &str) -> Result<Rows, TableError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| {
            TableError::new(
                format!("cannot read the first row of `{shown}`: {e}"),
                "save the file from a spreadsheet as CSV UTF-8",
            )
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            TableError::new(
                format!("cannot read line {line} of `{shown}`: {e}"),
                "save the file from a spreadsheet as CSV UTF-8",
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != columns.len() {
            return Err(TableError::new(
                format!(
                    "line {line} of `{shown}` has {} cell{}, but the first row has {} column{}",
                    record.len(),
                    plural(record.len()),
                    columns.len(),
                    plural(columns.len())
                ),
                SAME_LENGTH,
            ));
        }
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    check_shape(&columns, &rows, shown)?;
    Ok((columns, rows))
}

fn from_yaml(rel: &Path, text: &str, shown: &str) -> Result<Rows, TableError> {
    let mut diags = Diagnostics::default();
    let Some(table) = parse_yaml::<YamlTable>(rel, text, 0, &mut diags) else {
        let first = diags.sorted().into_iter().next().cloned();
        return Err(match first {
            Some(d) => {
                let at = d
                    .position
                    .map(|p| format!(" (line {}, column {})", p.line, p.column))
                    .unwrap_or_default();
                TableError::new(
                    format!("cannot read the table `{shown}`{at}: {}", d.message),
                    d.help.unwrap_or_else(|| YAML_HELP.to_string()),
                )
            }
            None => TableError::new(format!("cannot read the table `{shown}`"), YAML_HELP),
        });
    };
    let columns: Vec<String> = table.columns.iter().map(|c| c.trim().to_string()).collect();
    let mut rows = Vec::new();
    for (i, row) in table.rows.into_iter().enumerate() {
        if row.len() != columns.len() {
            return Err(TableError::new(
                format!(
                    "row {} of `{shown}` has {} cell{}, but `columns` names {}",
                    i + 1,
                    row.len(),
                    plural(row.len()),
                    columns.len()
                ),
                SAME_LENGTH,
            ));
        }
        rows.push(
            row.into_iter()
                .map(|c| c.map(Scalar::text).unwrap_or_default())
                .collect(),
        );
    }
    check_shape(&columns, &rows, shown)?;
    Ok((columns, rows))
}

const YAML_HELP: &str =
    "write `columns: [Agency, Courses]` and `rows:` with one list per row, e.g. `- [Police, 12]`";

fn check_shape(columns: &[String], rows: &[Vec<String>], shown: &str) -> Result<(), TableError> {
    if columns.iter().all(String::is_empty) {
        return Err(TableError::new(
            format!("`{shown}` has no column headings"),
            "make the first row (or `columns:`) the headings of the columns",
        ));
    }
    if rows.is_empty() {
        return Err(TableError::new(
            format!("`{shown}` has headings but no rows"),
            "add a row for each line of the table",
        ));
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Whether a cell is a figure, to be right-aligned: `1,234`, `-3`, `45.5`,
/// `12%`, `£1,200`. Not a DfE code, a date or words.
pub fn is_numeric(cell: &str) -> bool {
    let t = cell.trim();
    let t = t.strip_prefix(['-', '+', '\u{2212}']).unwrap_or(t);
    let t = t.strip_prefix('£').unwrap_or(t);
    let t = t.strip_suffix('%').unwrap_or(t);
    let digits = t.chars().filter(char::is_ascii_digit).count();
    digits > 0
        && t.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && t.matches('.').count() <= 1
        && !t.contains(",,")
        && t.split('.').next().is_some_and(|int| {
            // Thousands commas, if any, come every three digits.
            let groups: Vec<&str> = int.split(',').collect();
            groups.len() == 1
                || (!groups[0].is_empty()
                    && groups[0].len() <= 3
                    && groups[1..].iter().all(|g| g.len() == 3))
        })
        && !t.split('.').nth(1).is_some_and(|f| f.contains(','))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join("content/data").join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    fn read(dir: &tempfile::TempDir, name: &str) -> Result<DataTable, TableError> {
        read_table(dir.path(), Path::new("content/data"), name)
    }

    #[test]
    fn csv_and_yaml_tables_read_the_same() {
        let dir = site(&[
            (
                "training.csv",
                "Agency,Courses,People trained\nPolice,12,\"1,340\"\nHealth, 8 ,210\n",
            ),
            (
                "tables/training.yaml",
                "columns: [Agency, Courses, People trained]\nrows:\n  - [Police, 12, \"1,340\"]\n  - [Health, 8, 210]\n",
            ),
        ]);
        let csv = read(&dir, "training.csv").unwrap();
        let yaml = read(&dir, "tables/training.yaml").unwrap();
        assert_eq!(csv.columns, ["Agency", "Courses", "People trained"]);
        assert_eq!(csv.rows[0], ["Police", "12", "1,340"]);
        assert_eq!(csv.rows[1], ["Health", "8", "210"]);
        assert_eq!((csv.columns, csv.rows), (yaml.columns, yaml.rows));
    }

    #[test]
    fn yaml_cells_are_shown_as_written() {
        let dir = site(&[(
            "tables/t.yaml",
            "columns: [A, B, C, D]\nrows:\n  - [x, 45.5, ~, true]\n",
        )]);
        assert_eq!(
            read(&dir, "tables/t.yaml").unwrap().rows[0],
            ["x", "45.5", "", "Yes"]
        );
    }

    #[test]
    fn mistakes_are_explained() {
        let dir = site(&[
            ("ragged.csv", "A,B\n1,2\n3\n"),
            ("empty.csv", "A,B\n"),
            ("top.yaml", "columns: [A]\nrows: [[1]]\n"),
            ("tables/bad.yaml", "columns: [A]\nrow: [[1]]\n"),
        ]);
        let err = |name| read(&dir, name).unwrap_err();
        assert!(
            err("ragged.csv")
                .message
                .contains("line 3 of `ragged.csv` has 1 cell, but the first row has 2 columns")
        );
        assert!(
            err("empty.csv")
                .message
                .contains("has headings but no rows")
        );
        assert!(
            err("missing.csv")
                .message
                .contains("`missing.csv` does not exist")
        );
        assert!(err("top.yaml").help.contains("tables/top.yaml"));
        assert!(
            err("tables/bad.yaml").message.contains("line 2"),
            "{:?}",
            err("tables/bad.yaml")
        );
        assert!(err("notes.txt").message.contains("not a table file"));
        assert!(
            err("../../etc/passwd.csv")
                .message
                .contains("leaves the site")
        );
    }

    #[test]
    fn figures_are_told_from_words() {
        for yes in [
            "12",
            "1,234",
            "-3",
            "45.5",
            "12%",
            "£1,200",
            ".5",
            "1,234,567.25",
        ] {
            assert!(is_numeric(yes), "{yes}");
        }
        for no in [
            "",
            "c",
            "Police",
            "2024-25",
            "1,2,3",
            "12 people",
            "1.2.3",
            "12,34",
            "n/a",
        ] {
            assert!(!is_numeric(no), "{no}");
        }
    }
}
