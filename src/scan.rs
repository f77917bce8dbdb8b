//! Looking for a few kinds of byte in a text quickly. The JSON and CSV
//! writers ask of every value they write whether it needs escaping or
//! quoting; most values do not, and most are short (ids, dates, names).
//! A leaf module.

/// Whether any byte of `bytes` is below `below` or one of `equal`.
///
/// Sixteen bytes at a time with no branch, which the compiler makes a few
/// vector instructions; then the last few as part of the last sixteen
/// (bytes already found plain, so only a new one can count); a text of
/// eight to fifteen bytes as two overlapping words of eight; one by one
/// only in a shorter one. (A `matches!` of the bytes instead of the
/// comparisons became a table lookup the compiler did not vectorise.)
#[inline]
pub fn any<const N: usize>(bytes: &[u8], below: u8, equal: [u8; N]) -> bool {
    let one = |b: u8| (b < below) | equal.iter().fold(false, |f, &e| f | (b == e));
    let sixteen = |c: &[u8; 16]| c.iter().fold(false, |f, &b| f | one(b));
    let (chunks, rest) = bytes.as_chunks::<16>();
    if chunks.iter().any(sixteen) {
        return true;
    }
    if rest.is_empty() {
        return false;
    }
    let last = bytes.len().saturating_sub(16);
    if let Some(window) = bytes
        .get(last..)
        .and_then(|b| <&[u8; 16]>::try_from(b).ok())
    {
        return sixteen(window);
    }
    if bytes.len() < 8 {
        return rest.iter().any(|&b| one(b));
    }
    let word = |at: usize| {
        u64::from_le_bytes(<[u8; 8]>::try_from(&bytes[at..at + 8]).unwrap_or([b'a'; 8]))
    };
    [word(0), word(bytes.len() - 8)]
        .into_iter()
        .any(|w| in_word(w, below, &equal))
}

/// Whether any of eight bytes counts: the classic tests for a byte below a
/// value and for a zero byte (a byte equal to another once the two are
/// xored), which are exact as to whether there is one: a borrow only ever
/// runs up from a byte that already counts.
#[inline]
fn in_word(w: u64, below: u8, equal: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Exact for any `n` up to 128; nothing is below 0.
    let has_below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH != 0;
    has_below(w, below)
        || equal
            .iter()
            .any(|&e| has_below(w ^ (ONES * u64::from(e)), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Byte by byte, as the answer must be.
    fn by_bytes(bytes: &[u8], below: u8, equal: &[u8]) -> bool {
        bytes.iter().any(|b| *b < below || equal.contains(b))
    }

    /// Each byte that counts at every place of texts of 0 to 47 bytes, among
    /// bytes next to them and bytes of other characters; for JSON's escapes
    /// and for CSV's quoting.
    #[test]
    fn a_byte_that_counts_is_found_wherever_it_is() {
        let fillers = [
            b'a', b' ', b'!', b'#', b'+', b',', b'-', b'.', b'/', b'<', b'[', b']', 0x0b, 0x0e,
            0x7f, 0x80, 0xa9, 0xc3, 0xff,
        ];
        let json = |b: &[u8]| any(b, 0x20, [b'"', b'\\']);
        let csv = |b: &[u8]| any(b, 0, [b',', b'"', b'\r', b'\n']);
        for len in 0..48 {
            for filler in fillers {
                let plain = vec![filler; len];
                assert_eq!(
                    json(&plain),
                    by_bytes(&plain, 0x20, b"\"\\"),
                    "{len} of {filler:#x}"
                );
                assert_eq!(
                    csv(&plain),
                    by_bytes(&plain, 0, b",\"\r\n"),
                    "{len} of {filler:#x}"
                );
                for at in 0..len {
                    for special in [b'"', b'\\', b'\n', b'\r', b',', 0x1f, 0] {
                        let mut bytes = plain.clone();
                        bytes[at] = special;
                        let said = format!("{special:#x} at {at} of {len} of {filler:#x}");
                        assert_eq!(json(&bytes), by_bytes(&bytes, 0x20, b"\"\\"), "{said}");
                        assert_eq!(csv(&bytes), by_bytes(&bytes, 0, b",\"\r\n"), "{said}");
                    }
                }
            }
        }
    }
}
