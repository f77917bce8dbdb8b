//! Writing JSON strings quickly. Most strings in the open data and search
//! files need no escaping, yet serde_json looks each byte up in its escape
//! table; this looks at sixteen bytes at a time and hands serde_json only
//! the strings that do need escaping, so the bytes written are the same.

/// `text` as a JSON string, exactly as `serde_json::to_writer` writes it.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    if needs_escaping(text.as_bytes()) {
        // Writing to memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
        return;
    }
    out.reserve(text.len() + 2);
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

/// The pieces one after another as one JSON string: the same bytes as
/// [`write_str`] of them joined, without joining them first (JSON escapes
/// each character on its own, so the pieces can be escaped apart).
pub fn write_parts(out: &mut Vec<u8>, parts: &[&str]) {
    out.push(b'"');
    for part in parts {
        if needs_escaping(part.as_bytes()) {
            let start = out.len();
            let _ = serde_json::to_writer(&mut *out, part);
            // Without the quotes serde_json put around the piece.
            out.pop();
            out.remove(start);
        } else {
            out.extend_from_slice(part.as_bytes());
        }
    }
    out.push(b'"');
}

/// Whether JSON escapes any of these bytes (a quote, a backslash or a
/// control character; serde_json escapes nothing else).
fn needs_escaping(bytes: &[u8]) -> bool {
    crate::scan::any(bytes, 0x20, [b'"', b'\\'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut texts: Vec<String> = (0u8..128).map(|b| format!("{:>20}", b as char)).collect();
        texts.extend(
            [
                "",
                "plain words, and more plain words to fill two chunks",
                "“curly” – dash, Ynys Môn, 中文, \u{2028} and \u{7f}",
                "ends with a quote\"",
                "a backslash \\ in the middle of thirty-two bytes",
                "tab\there and a new line\n",
            ]
            .map(String::from),
        );
        for text in &texts {
            let mut ours = Vec::new();
            write_str(&mut ours, text);
            assert_eq!(ours, serde_json::to_vec(text).unwrap(), "{text:?}");
            // And cut into pieces at every character boundary.
            for (at, _) in text.char_indices() {
                let mut pieces = Vec::new();
                write_parts(&mut pieces, &[&text[..at], &text[at..], ""]);
                assert_eq!(pieces, ours, "{text:?} cut at {at}");
            }
        }
    }
}
