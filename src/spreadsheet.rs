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
///
/// Written here rather than by the csv crate's writer (which wrote every
/// field through its state machine and buffer: 4% of a national build,
/// whose open data is 65 MB of CSV), byte for byte as that writer writes:
/// a field is quoted when it holds a comma, a quote or a line break, a
/// quote inside doubled; a record that would be empty is `""`. A test
/// holds the two to the same bytes.
pub fn csv_with_row_ends<'a>(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell<'a>>>,
    size: usize,
) -> (Vec<u8>, Vec<usize>) {
    let mut file = Vec::with_capacity(size.max(BOM.len()));
    file.extend_from_slice(BOM);
    let mut ends = Vec::new();
    write_record(&mut file, header.iter().map(|h| spreadsheet_safe(h)));
    ends.push(file.len());
    for row in rows {
        write_record(
            &mut file,
            row.iter().map(|c| match c {
                Cell::Text(t) => spreadsheet_safe(t),
                Cell::Number(n) => Cow::Borrowed(n.as_str()),
            }),
        );
        ends.push(file.len());
    }
    (file, ends)
}

/// One record and its CRLF.
fn write_record<'a>(out: &mut Vec<u8>, fields: impl Iterator<Item = Cow<'a, str>>) {
    let start = out.len();
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_field(out, field.as_bytes());
    }
    // An empty record would read back as no record at all.
    if out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.extend_from_slice(b"\r\n");
}

fn write_field(out: &mut Vec<u8>, field: &[u8]) {
    if !needs_quotes(field) {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for piece in field.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(piece);
        if piece.ends_with(b"\"") {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// Whether a field holds a comma, a quote or a line break.
fn needs_quotes(field: &[u8]) -> bool {
    crate::scan::any(field, 0, [b',', b'"', b'\r', b'\n'])
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

    /// The file as the csv crate's writer makes it, which this module's
    /// writer replaced.
    fn by_the_csv_crate(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BOM.to_vec());
        let safe = |t: &str| spreadsheet_safe(t).into_owned();
        out.write_record(header.iter().map(|h| safe(h))).unwrap();
        for row in rows {
            out.write_record(row.iter().map(|c| safe(c))).unwrap();
        }
        out.into_inner().unwrap()
    }

    proptest::proptest! {
        #[test]
        fn files_are_written_as_the_csv_crate_writes_them(
            width in 1usize..4,
            cells in proptest::collection::vec("[a ,\"\r\n=+@é-]{0,6}", 0..24),
        ) {
            let header: Vec<&str> = ["Period", "=Area", "a,b\"c"][..width].to_vec();
            let rows: Vec<Vec<String>> = cells.chunks_exact(width).map(<[String]>::to_vec).collect();
            let (ours, ends) = csv_with_row_ends(
                &header,
                rows.iter().map(|r| r.iter().map(|c| Cell::Text(c)).collect()),
                0,
            );
            proptest::prop_assert_eq!(&ours, &by_the_csv_crate(&header, &rows));
            proptest::prop_assert_eq!(ends.len(), rows.len() + 1);
            proptest::prop_assert!(ends.last() == Some(&ours.len()));
            proptest::prop_assert!(ends.iter().all(|&e| ours[..e].ends_with(b"\r\n")));
        }
    }

    #[test]
    fn a_record_of_one_empty_field_is_quoted_as_the_csv_crate_quotes_it() {
        let rows = vec![vec![String::new()], vec!["x".to_string()]];
        let (ours, _) = csv_with_row_ends(
            &[""],
            rows.iter()
                .map(|r| r.iter().map(|c| Cell::Text(c)).collect()),
            0,
        );
        assert_eq!(ours, by_the_csv_crate(&[""], &rows));
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
