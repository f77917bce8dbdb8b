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
/// control character; serde_json escapes nothing else). Sixteen bytes at a
/// time, then the last few as part of the last sixteen (bytes already
/// found plain, so only a new one can be special), as the HTML escaper's
/// `next_special` does; one by one only in a text shorter than sixteen.
fn needs_escaping(bytes: &[u8]) -> bool {
    let (chunks, rest) = bytes.as_chunks::<16>();
    if chunks.iter().any(special_in) {
        return true;
    }
    if rest.is_empty() {
        return false;
    }
    let last = bytes.len().saturating_sub(16);
    match bytes
        .get(last..)
        .and_then(|b| <&[u8; 16]>::try_from(b).ok())
    {
        Some(window) => special_in(window),
        None if bytes.len() >= 8 => {
            // Most values are short (ids, dates, names): eight bytes at a
            // time, the first eight and the last eight.
            let word = |at: usize| {
                let eight = <[u8; 8]>::try_from(&bytes[at..at + 8]).unwrap_or([b' '; 8]);
                u64::from_le_bytes(eight)
            };
            special_in_word(word(0)) || special_in_word(word(bytes.len() - 8))
        }
        None => rest.iter().any(|&b| special(b)),
    }
}

/// Whether any of eight bytes is special: the classic tests for a byte
/// below a value and a zero byte, which are exact as to whether any is
/// (a borrow only ever crosses from a byte that already counts).
#[inline]
fn special_in_word(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH != 0;
    below(w, 0x20)
        || below(w ^ (ONES * u64::from(b'"')), 1)
        || below(w ^ (ONES * u64::from(b'\\')), 1)
}

/// A fold without an early exit, so the compiler tests the sixteen at once.
#[inline]
fn special_in(chunk: &[u8; 16]) -> bool {
    chunk.iter().fold(false, |found, &b| found | special(b))
}

#[inline]
fn special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_special_byte_is_found_wherever_it_is() {
        // Bytes next to the special ones, and those of other characters.
        let plain = [
            b'a', b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xa9, 0xc3, 0xff,
        ];
        for len in 0..48 {
            for filler in plain {
                assert!(!needs_escaping(&vec![filler; len]), "{len} of {filler:#x}");
                for at in 0..len {
                    for special in [b'"', b'\\', b'\n', 0x1f, 0] {
                        let mut bytes = vec![filler; len];
                        bytes[at] = special;
                        assert!(needs_escaping(&bytes), "{special:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

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
