//! CSV files for spreadsheets, as every CSV boardpress writes is made
//! (the actions of `index::open_data`, each chart's data): UTF-8 with a
//! byte order mark, so Excel on Windows reads accents and dashes
//! correctly; CRLF line ends; and any text cell a spreadsheet would take
//! for a formula (starting `=`, `+`, `-`, `@`, tab or carriage return)
//! starting with `'` instead, as OWASP advises against CSV injection.
//! A leaf module: it knows nothing of plans.

use std::borrow::Cow;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One cell: text to make safe, or a number boardpress formatted itself
/// (a negative number starts with `-` and is still a number).
pub enum Cell<'a> {
    Text(&'a str),
    Number(String),
}

/// The CSV file of a header and rows.
pub fn csv<'a>(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell<'a>>>) -> Vec<u8> {
    csv_with_row_ends(header, rows, 0).0
}

/// The CSV file of a header and rows, and where the header and each row end
/// in it, so another file can reuse the rows without writing them again.
/// `size` is about how long the file will be, so a long one is written
/// into room made once rather than grown and copied as it fills.
pub fn csv_with_row_ends<'a>(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell<'a>>>,
    size: usize,
) -> (Vec<u8>, Vec<usize>) {
    let mut file = Vec::with_capacity(size.max(BOM.len()));
    file.extend_from_slice(BOM);
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(file);
    let mut ends = Vec::new();
    // Writing to memory cannot fail.
    let _ = out.write_record(header.iter().map(|h| bytes(spreadsheet_safe(h))));
    let _ = out.flush();
    ends.push(out.get_ref().len());
    for row in rows {
        let _ = out.write_record(row.iter().map(|c| match c {
            Cell::Text(t) => bytes(spreadsheet_safe(t)),
            Cell::Number(n) => Cow::Borrowed(n.as_bytes()),
        }));
        let _ = out.flush();
        ends.push(out.get_ref().len());
    }
    (out.into_inner().unwrap_or_default(), ends)
}

/// Whether a text cell is written exactly as it is: neither quoted nor
/// made safe.
pub fn written_as_is(cell: &str) -> bool {
    !cell.is_empty()
        && !cell
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        && matches!(spreadsheet_safe(cell), Cow::Borrowed(_))
}

/// A cell's bytes, copied only if making it safe changed it.
fn bytes(cell: Cow<'_, str>) -> Cow<'_, [u8]> {
    match cell {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    }
}

/// A cell a spreadsheet would run as a formula, made text with a `'`.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_other_cells_are_untouched() {
        for cell in ["=SUM(A1:A2)", "+1", "-2", "@cmd", "\tx", "\rx"] {
            assert_eq!(spreadsheet_safe(cell), format!("'{cell}"));
        }
        for cell in ["", "Audit 30 cases", "a=b", "2013-03", "'quoted"] {
            assert_eq!(spreadsheet_safe(cell), cell);
        }
    }

    #[test]
    fn numbers_stay_numbers_and_text_is_made_safe() {
        let bytes = csv(
            &["Period", "=Area"],
            [vec![Cell::Text("-2021"), Cell::Number("-1.5".into())]],
        );
        assert_eq!(bytes, b"\xEF\xBB\xBFPeriod,'=Area\r\n'-2021,-1.5\r\n");
    }
}
