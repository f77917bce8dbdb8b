//! Reading files inside the site root, and nowhere else. A leaf: loading,
//! data series, themes and diagnostics all read through it.
//!
//! Every path is relative to the site root; absolute paths, `..` and symbolic
//! links anywhere along the path are refused. Text is UTF-8 only, a
//! byte-order mark is dropped and CRLF becomes LF, so files saved on a
//! council Windows laptop read the same as anywhere else.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Why a file could not be read, in words for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The path as given, relative to the site root.
    pub path: PathBuf,
    pub message: String,
    pub help: Option<String>,
    /// Line and column (from 1) where the problem is, if it is in the text.
    pub at: Option<(usize, usize)>,
}

impl FileError {
    fn new(path: &Path, message: impl Into<String>) -> Self {
        FileError {
            path: path.to_path_buf(),
            message: message.into(),
            help: None,
            at: None,
        }
    }

    fn help(mut self, help: &str) -> Self {
        self.help = Some(help.to_string());
        self
    }
}

/// Read a file inside the site as text: no symbolic links, no escaping the
/// root, UTF-8 only; a byte-order mark is dropped and CRLF becomes LF.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, FileError> {
    let bytes = read_bytes(root, rel)?;
    text_of(rel, &bytes)
}

/// A file's bytes, already read from inside the site, as text: what
/// [`read_text`] does after reading.
pub fn text_of(rel: &Path, bytes: &[u8]) -> Result<String, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let mut err = FileError::new(rel, "the file is not valid UTF-8 text")
                .help("save the file as UTF-8 (in Word or Notepad: Save As, Encoding: UTF-8)");
            err.at = Some((line, column));
            return Err(err);
        }
    };
    if let Some(err) = untrusted_character(rel, text) {
        return Err(err);
    }
    if text.trim().is_empty() {
        return Err(FileError::new(rel, "the file is empty")
            .help("fill it in (see docs/content-format.md) or delete it"));
    }
    // Windows editors write CRLF; most files have none, so skip the copies.
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text.to_string())
    }
}

/// The first character no page should carry, as an error at its line and
/// column: a control character (other than tab and the line ends), which
/// browsers and PDFs show as nothing or as a box, or a bidirectional
/// embedding, override or isolate, which makes text display in another
/// order than it is stored in ("Trojan Source"). Both are invisible in
/// most editors, so the message says exactly where.
fn untrusted_character(rel: &Path, text: &str) -> Option<FileError> {
    let at = first_untrusted(text.as_bytes())?;
    let c = text[at..].chars().next()?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let code = format!("U+{:04X}", u32::from(c));
    let what = match c {
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => format!(
            "the text holds an invisible direction-changing character ({code}), which makes it display in a different order from how it is written"
        ),
        _ => format!("the text holds an invisible control character ({code})"),
    };
    let count = text.chars().filter(|c| is_untrusted(*c)).count();
    let more = match count {
        1 => String::new(),
        n => format!(" (the file has {n} of these)"),
    };
    let mut err = FileError::new(rel, format!("{what}{more}")).help(
        "delete it: put the cursor just after the position shown and press Backspace, or retype the words around it. Such characters usually come from copying text out of another program",
    );
    err.at = Some((line, column));
    Some(err)
}

/// Where the first character [`is_untrusted`] is in UTF-8 `bytes`, found
/// from the bytes that may start one ([`MAY_START`]): every file of the
/// site is checked, the Department for Education's CSVs among them, and
/// decoding each character to ask whether it is a control was most of a
/// plan's reading.
/// Controls are C0, DEL and C1 (U+0080 to U+009F, `C2 80` to `C2 9F`); the
/// direction characters are `E2 80 AA` to `E2 80 AE` and `E2 81 A6` to
/// `E2 81 A9`. A lead byte never occurs inside a character, so a match is
/// always at a character's start.
fn first_untrusted(bytes: &[u8]) -> Option<usize> {
    let next = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut from = 0;
    while from < bytes.len() {
        from = skip_printable_ascii(bytes, from);
        // Then one table look-up per byte, to the end of the next eight.
        let end = (from + 8).min(bytes.len());
        let Some(found) = bytes[from..end]
            .iter()
            .position(|&b| MAY_START[usize::from(b)])
        else {
            from = end;
            continue;
        };
        let i = from + found;
        let untrusted = match bytes[i] {
            0xC2 => matches!(next(i + 1), 0x80..=0x9F),
            0xE2 => matches!(
                (next(i + 1), next(i + 2)),
                (0x80, 0xAA..=0xAE) | (0x81, 0xA6..=0xA9)
            ),
            _ => true,
        };
        if untrusted {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// Where the first eight bytes from `from` that are not all printable
/// ASCII (`0x20` to `0x7E`) begin: most of a file, read eight bytes at a
/// time.
fn skip_printable_ascii(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(from..from + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // A byte below 0x20 borrows into its high bit (bytes of 0x80 and
        // above are caught by the second test); adding one to 0x7F sets it.
        let below_space = x.wrapping_sub(0x20 * ONES) & !x & HIGH;
        let del_or_high = (x | x.wrapping_add(ONES)) & HIGH;
        if below_space | del_or_high != 0 {
            break;
        }
        from += 8;
    }
    from
}

/// The bytes that are, or may begin, a character [`first_untrusted`]
/// looks for: C0 controls but tab and the line ends, DEL, and the lead
/// bytes `C2` and `E2`.
const MAY_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xE2] = true;
    table
};

fn is_untrusted(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// Read a file inside the site as bytes, refusing links and paths that leave it.
pub fn read_bytes(root: &Path, rel: &Path) -> Result<Vec<u8>, FileError> {
    check_inside(root, rel)?;
    fs::read(root.join(rel)).map_err(|e| FileError::new(rel, format!("cannot read the file: {e}")))
}

/// Refuse absolute paths, `..`, and symbolic links anywhere along `rel`.
pub fn check_inside(root: &Path, rel: &Path) -> Result<(), FileError> {
    let mut here = root.to_path_buf();
    for part in rel.components() {
        match part {
            Component::Normal(name) => here.push(name),
            Component::CurDir => {}
            _ => {
                return Err(FileError::new(rel, "the path leaves the site folder").help(
                    "use a path relative to the file, inside the site, without `..`; to link to a page elsewhere on the council's website, write its full address starting https://",
                ));
            }
        }
        if let Ok(meta) = fs::symlink_metadata(&here)
            && meta.file_type().is_symlink()
        {
            return Err(FileError::new(rel, "symbolic links are not followed")
                .help("copy the file into the site instead of linking to it"));
        }
    }
    Ok(())
}

/// Paths are shown with forward slashes on every platform so messages (and
/// tests of them) read the same on Windows.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn untrusted_characters_are_found_byte_by_byte_as_by_character() {
        let mut text = String::from("Plan – “quoted”, café, 50%\tend\r\n");
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            text.push(c);
        }
        let mut from = 0;
        while let Some(at) = super::first_untrusted(&text.as_bytes()[from..]) {
            let (expected, c) = text[from..]
                .char_indices()
                .find(|(_, c)| super::is_untrusted(*c))
                .unwrap();
            assert_eq!(at, expected, "{c:?}");
            from += at + c.len_utf8();
        }
        assert!(!text[from..].chars().any(super::is_untrusted));
    }

    #[test]
    fn untrusted_characters_are_found_at_any_place_in_a_run_of_plain_text() {
        for k in 0..20 {
            let plain = "x".repeat(k);
            for c in [
                '\u{0}', '\u{7}', '\u{1f}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2069}',
            ] {
                let text = format!("{plain}{c}{}", "y".repeat(20));
                assert_eq!(
                    super::first_untrusted(text.as_bytes()),
                    Some(k),
                    "{k} {c:?}"
                );
            }
            for c in ['\t', '\n', '\r', 'é', '“', '\u{2028}', '~'] {
                let text = format!("{plain}{c}{}", "y".repeat(20));
                assert_eq!(super::first_untrusted(text.as_bytes()), None, "{k} {c:?}");
            }
        }
    }

    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("a.yaml"),
            b"\xEF\xBB\xBFname: x\r\nb: y\r\n",
        )
        .unwrap();
        assert_eq!(
            read_text(dir.path(), Path::new("a.yaml")).unwrap(),
            "name: x\nb: y\n"
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.yaml"), b"name: x\nb: caf\xE9\n").unwrap();
        let e = read_text(dir.path(), Path::new("a.yaml")).unwrap_err();
        assert_eq!(e.at, Some((2, 7)));
    }

    #[test]
    fn paths_may_not_leave_the_site() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_inside(dir.path(), Path::new("../secret")).is_err());
        assert!(check_inside(dir.path(), Path::new("/etc/passwd")).is_err());
        assert!(check_inside(dir.path(), Path::new("content/a.md")).is_ok());
    }
}
