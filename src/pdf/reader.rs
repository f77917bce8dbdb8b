//! Just enough of a PDF reader to learn, from a PDF Chromium wrote, the
//! page each named destination (each element id a link points at) falls
//! on, and to add document metadata by an incremental update.
//!
//! Chromium (Skia) writes a classic cross-reference table and keeps its
//! dictionaries out of compressed object streams, so the catalog, the page
//! tree and the `/Dests` dictionary can be read object by object. Anything
//! else (an xref stream, an object stream, a broken offset) is reported as
//! unreadable, and the caller keeps the PDF it has. A general PDF crate
//! would bring decryption and a dozen decoders to read three dictionaries.

use std::collections::BTreeMap;

/// A PDF value, as far as these dictionaries need.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Name(String),
    Number(f64),
    Ref(u32),
    Array(Vec<Value>),
    Dict(BTreeMap<String, Value>),
    Str(Vec<u8>),
    Other,
}

impl Value {
    fn dict(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Dict(d) => Some(d),
            _ => None,
        }
    }

    fn reference(&self) -> Option<u32> {
        match self {
            Value::Ref(n) => Some(*n),
            _ => None,
        }
    }
}

pub struct Pdf<'a> {
    bytes: &'a [u8],
    /// Each object's byte offset, by number.
    offsets: BTreeMap<u32, usize>,
    pub trailer: BTreeMap<String, Value>,
    /// Where the cross-reference table starts.
    pub xref_at: usize,
}

impl<'a> Pdf<'a> {
    pub fn open(bytes: &'a [u8]) -> Option<Pdf<'a>> {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        let at = find_last(tail, b"startxref")?;
        let mut p = Parser::new(tail, at + b"startxref".len());
        let xref_at = p.number()? as usize;
        let mut offsets = BTreeMap::new();
        let trailer = xref_section(bytes, xref_at, &mut offsets)?;
        // Earlier sections, of a file updated incrementally; a newer entry
        // for an object wins.
        let mut prev = trailer.get("Prev").cloned();
        let mut seen = vec![xref_at];
        while let Some(Value::Number(at)) = prev {
            let at = at as usize;
            if seen.contains(&at) {
                return None;
            }
            seen.push(at);
            prev = xref_section(bytes, at, &mut offsets)?.get("Prev").cloned();
        }
        Some(Pdf {
            bytes,
            offsets,
            trailer,
            xref_at,
        })
    }

    /// Object `n`'s value (a stream's dictionary, without its data).
    pub fn object(&self, n: u32) -> Option<Value> {
        let mut p = Parser::new(self.bytes, *self.offsets.get(&n)?);
        if p.number()? as u32 != n {
            return None;
        }
        p.number()?;
        if !p.keyword(b"obj") {
            return None;
        }
        p.value()
    }

    fn resolve(&self, v: &Value) -> Option<Value> {
        match v {
            Value::Ref(n) => self.object(*n),
            other => Some(other.clone()),
        }
    }

    /// The number the next new object would take.
    pub fn size(&self) -> u32 {
        match self.trailer.get("Size") {
            Some(Value::Number(n)) => *n as u32,
            _ => self.offsets.keys().max().map_or(1, |m| m + 1),
        }
    }

    /// Page object numbers in page order.
    fn pages(&self) -> Option<Vec<u32>> {
        let root = self.resolve(self.trailer.get("Root")?)?;
        let mut pages = Vec::new();
        self.collect_pages(root.dict()?.get("Pages")?.reference()?, &mut pages, 0)?;
        Some(pages)
    }

    fn collect_pages(&self, node: u32, pages: &mut Vec<u32>, depth: usize) -> Option<()> {
        if depth > 32 {
            return None;
        }
        let value = self.object(node)?;
        let dict = value.dict()?;
        match dict.get("Kids") {
            Some(Value::Array(kids)) => {
                for kid in kids {
                    self.collect_pages(kid.reference()?, pages, depth + 1)?;
                }
            }
            _ => pages.push(node),
        }
        Some(())
    }

    /// Each named destination's page, counted from 1.
    pub fn destination_pages(&self) -> Option<BTreeMap<String, usize>> {
        let pages = self.pages()?;
        let root = self.resolve(self.trailer.get("Root")?)?;
        let dests = match root.dict()?.get("Dests") {
            Some(v) => self.resolve(v)?,
            None => return Some(BTreeMap::new()),
        };
        let mut out = BTreeMap::new();
        for (name, dest) in dests.dict()? {
            let dest = self.resolve(dest)?;
            let array = match &dest {
                Value::Array(a) => a.clone(),
                Value::Dict(d) => match d.get("D") {
                    Some(Value::Array(a)) => a.clone(),
                    _ => continue,
                },
                _ => continue,
            };
            let Some(page) = array.first().and_then(Value::reference) else {
                continue;
            };
            if let Some(i) = pages.iter().position(|&p| p == page) {
                out.insert(name.clone(), i + 1);
            }
        }
        Some(out)
    }
}

/// Read the cross-reference section at `at` into `offsets` (keeping the
/// entries already there) and return its trailer.
fn xref_section(
    bytes: &[u8],
    at: usize,
    offsets: &mut BTreeMap<u32, usize>,
) -> Option<BTreeMap<String, Value>> {
    let mut p = Parser::new(bytes, at);
    if !p.keyword(b"xref") {
        return None;
    }
    loop {
        p.skip_space();
        if p.keyword(b"trailer") {
            break;
        }
        let first = p.number()? as u32;
        let count = p.number()? as u32;
        for n in first..first.checked_add(count)? {
            let offset = p.number()? as usize;
            let _generation = p.number()?;
            p.skip_space();
            if p.byte()? == b'n' {
                offsets.entry(n).or_insert(offset);
            }
        }
    }
    p.value()?.dict().cloned()
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// A cursor over PDF syntax.
struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn new(bytes: &'a [u8], at: usize) -> Self {
        Parser { bytes, at }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.at += 1;
                }
            } else if b.is_ascii_whitespace() || b == 0 {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn keyword(&mut self, word: &[u8]) -> bool {
        self.skip_space();
        if self.bytes[self.at.min(self.bytes.len())..].starts_with(word) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    fn number(&mut self) -> Option<f64> {
        self.skip_space();
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
        {
            self.at += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.at])
            .ok()?
            .parse()
            .ok()
    }

    fn value(&mut self) -> Option<Value> {
        self.skip_space();
        match self.peek()? {
            b'/' => self.name().map(Value::Name),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek()? == b']' {
                        self.at += 1;
                        return Some(Value::Array(items));
                    }
                    items.push(self.value()?);
                }
            }
            b'<' if self.bytes.get(self.at + 1) == Some(&b'<') => {
                self.at += 2;
                let mut dict = BTreeMap::new();
                loop {
                    self.skip_space();
                    if self.bytes[self.at..].starts_with(b">>") {
                        self.at += 2;
                        return Some(Value::Dict(dict));
                    }
                    let key = self.name()?;
                    let value = self.value()?;
                    dict.insert(key, value);
                }
            }
            b'<' => {
                let end = self.at + self.bytes[self.at..].iter().position(|&b| b == b'>')?;
                let digits: Vec<u8> = self.bytes[self.at + 1..end]
                    .iter()
                    .copied()
                    .filter(u8::is_ascii_hexdigit)
                    .collect();
                self.at = end + 1;
                let bytes = digits
                    .chunks(2)
                    .map(|pair| {
                        let hex = std::str::from_utf8(pair).ok()?;
                        // A lone last digit is followed by an implied 0.
                        u8::from_str_radix(&format!("{hex:0<2}"), 16).ok()
                    })
                    .collect::<Option<Vec<u8>>>()?;
                Some(Value::Str(bytes))
            }
            b'(' => self.literal().map(Value::Str),
            b if b.is_ascii_digit() || b == b'-' || b == b'+' || b == b'.' => {
                let n = self.number()?;
                // `12 0 R` is a reference; look ahead without consuming.
                let save = self.at;
                if let Some(_generation) = self.number()
                    && self.keyword(b"R")
                {
                    return Some(Value::Ref(n as u32));
                }
                self.at = save;
                Some(Value::Number(n))
            }
            _ => {
                // true, false, null: a bare word.
                while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                    self.at += 1;
                }
                Some(Value::Other)
            }
        }
    }

    /// A name, its `#xx` escapes decoded.
    fn name(&mut self) -> Option<String> {
        self.skip_space();
        if self.byte()? != b'/' {
            return None;
        }
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() || b"/[]<>()%{}".contains(&b) {
                break;
            }
            self.at += 1;
            if b == b'#' {
                let hex = std::str::from_utf8(self.bytes.get(self.at..self.at + 2)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                self.at += 2;
            } else {
                out.push(b);
            }
        }
        String::from_utf8(out).ok()
    }

    /// A literal string `( ... )`, with nested parentheses and escapes.
    fn literal(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let mut depth = 1;
        let mut out = Vec::new();
        loop {
            let b = self.byte()?;
            match b {
                b'\\' => {
                    let e = self.byte()?;
                    out.push(match e {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        other => other,
                    });
                }
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(out);
                    }
                    out.push(b);
                }
                other => out.push(other),
            }
        }
    }
}

/// `pdf` with its document information (title, author, subject) set, by an
/// incremental update appended to the file: the original bytes are kept.
pub fn with_info(pdf: &Pdf, bytes: &[u8], fields: &[(&str, &str)]) -> Option<Vec<u8>> {
    let n = pdf.size();
    let root = pdf.trailer.get("Root")?.reference()?;
    let mut old: BTreeMap<String, Value> = match pdf.trailer.get("Info") {
        Some(v) => pdf
            .resolve(v)
            .and_then(|v| v.dict().cloned())
            .unwrap_or_default(),
        None => BTreeMap::new(),
    };
    for (key, value) in fields {
        old.insert((*key).to_string(), Value::Str(value.as_bytes().to_vec()));
    }
    let mut out = bytes.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let offset = out.len();
    out.extend(format!("{n} 0 obj\n<<").as_bytes());
    for (key, value) in &old {
        out.extend(format!("/{key} ").as_bytes());
        write_value(value, &mut out);
        out.push(b'\n');
    }
    out.extend(b">>\nendobj\n");
    let xref = out.len();
    out.extend(
        format!(
            "xref\n0 1\n0000000000 65535 f \n{n} 1\n{offset:010} 00000 n \ntrailer\n<</Size {}\n/Root {root} 0 R\n/Info {n} 0 R\n/Prev {}>>\nstartxref\n{xref}\n%%EOF\n",
            n + 1,
            pdf.xref_at
        )
        .as_bytes(),
    );
    Some(out)
}

/// Write back the values an information dictionary holds: text as UTF-16
/// (so any title survives), dates and other strings as they were.
fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Str(bytes) if bytes.starts_with(&[0xfe, 0xff]) => {
            out.push(b'<');
            for b in bytes {
                out.extend(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Value::Str(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) if !text.is_ascii() => {
                out.extend(b"<FEFF");
                for unit in text.encode_utf16() {
                    out.extend(format!("{unit:04X}").as_bytes());
                }
                out.push(b'>');
            }
            _ => {
                out.push(b'(');
                for &b in bytes {
                    if matches!(b, b'(' | b')' | b'\\') {
                        out.push(b'\\');
                    }
                    out.push(b);
                }
                out.push(b')');
            }
        },
        Value::Name(n) => out.extend(format!("/{n}").as_bytes()),
        Value::Number(n) => out.extend(format!("{n}").as_bytes()),
        Value::Ref(r) => out.extend(format!("{r} 0 R").as_bytes()),
        _ => out.extend(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF laid out as Chromium lays one out: two pages under a tree, a
    /// `/Dests` dictionary, a classic xref table.
    fn sample() -> Vec<u8> {
        let objects = [
            "<</Type /Catalog /Pages 2 0 R /Dests 5 0 R>>",
            "<</Type /Pages /Count 2 /Kids [3 0 R 4 0 R]>>",
            "<</Type /Page /Parent 2 0 R>>",
            "<</Type /Page /Parent 2 0 R>>",
            "<</intro [3 0 R /XYZ 0 841.9 0]\n/pia#2D1 [4 0 R /XYZ 0 841.9 0]>>",
            "<</Title (Plan \\(draft\\)) /Producer (Skia/PDF m156)>>",
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend(
            format!("trailer\n<</Size 7\n/Root 1 0 R\n/Info 6 0 R>>\nstartxref\n{xref}\n%%EOF")
                .as_bytes(),
        );
        out
    }

    #[test]
    fn named_destinations_give_their_pages() {
        let bytes = sample();
        let pdf = Pdf::open(&bytes).expect("readable");
        let pages = pdf.destination_pages().expect("dests");
        assert_eq!(pages.get("intro"), Some(&1));
        assert_eq!(pages.get("pia-1"), Some(&2));
    }

    #[test]
    fn metadata_is_added_by_an_update_the_reader_reads_back() {
        let bytes = sample();
        let pdf = Pdf::open(&bytes).unwrap();
        let updated = with_info(&pdf, &bytes, &[("Author", "Herefordshire Board – HSCB")]).unwrap();
        assert!(updated.starts_with(&bytes));
        let again = Pdf::open(&updated).expect("still readable");
        let info = again.resolve(again.trailer.get("Info").unwrap()).unwrap();
        let info = info.dict().unwrap();
        assert_eq!(
            info.get("Title"),
            Some(&Value::Str(b"Plan (draft)".to_vec()))
        );
        let mut author = vec![0xfe, 0xff];
        for unit in "Herefordshire Board – HSCB".encode_utf16() {
            author.extend(unit.to_be_bytes());
        }
        assert_eq!(
            info.get("Author"),
            Some(&Value::Str(author)),
            "UTF-16, as PDF text may be"
        );
        assert_eq!(
            info.get("Producer"),
            Some(&Value::Str(b"Skia/PDF m156".to_vec()))
        );
        assert_eq!(again.destination_pages().unwrap().get("pia-1"), Some(&2));
    }

    #[test]
    fn what_it_cannot_read_is_none_not_a_panic() {
        assert!(Pdf::open(b"").is_none());
        assert!(Pdf::open(b"%PDF-1.7\nstartxref\n999999\n%%EOF").is_none());
        let mut bytes = sample();
        bytes.truncate(bytes.len() / 2);
        assert!(Pdf::open(&bytes).is_none());
    }
}
