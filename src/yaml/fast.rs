//! A fast path for the plain YAML that content files are nearly always
//! written in: block mappings and sequences, one-line scalars (plain,
//! single- or double-quoted), literal and folded block scalars, and
//! one-line flow lists and mappings such as `leads: ["Head of Early Help"]`
//! or a status key's `{id: blue, label: Blue}`.
//!
//! It reads a file into a small tree in one pass over its lines and
//! deserialises the typed model from that tree, giving the same values and
//! the same [`Spanned`](crate::spanned::Spanned) lines and columns as
//! serde-saphyr.
//! It never reports an error: anything outside that subset, anything
//! doubtful (a plain `yes` or `null` where text is wanted, a tab, an
//! anchor, a multi-line plain scalar) and every mistake (an unknown field,
//! a missing one, a repeated key) makes it give up, and the caller reads
//! the file again with serde-saphyr, whose errors and hints are the ones
//! users see. So errors cannot differ; values are checked against
//! serde-saphyr by `tests/yaml_fast.rs`, file by file and over generated
//! files.
//!
//! Why: deserialising plans through serde-saphyr's event parser took about
//! a fifth of a first build's instructions (about 300 per byte of YAML).

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

/// The typed value of `text`, or `None` when the fast path cannot vouch
/// for giving exactly what serde-saphyr gives.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let root = Parser::new(text)?.document()?;
    T::deserialize(De(&root)).ok()
}

/// Well under serde-saphyr's budget (250,000 nodes, depth 64), so that a
/// file it would refuse is always left to it.
const MAX_NODES: usize = 100_000;
const MAX_DEPTH: usize = 32;

/// Where a node starts, as serde-saphyr's locations give it: line and
/// column from 1, the column in characters.
#[derive(Debug, Clone, Copy, PartialEq)]
struct At {
    line: u32,
    column: u32,
}

#[derive(Debug)]
enum Node<'a> {
    /// A plain scalar, as written (trimmed).
    Plain(&'a str, At),
    /// A scalar that is text however it is read: a quoted one (its
    /// location includes the quotes) or a block scalar.
    Text(Cow<'a, str>, At),
    /// A key with nothing after it.
    Empty,
    Seq(Vec<Node<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// One line that holds something: its number, indentation (the column
/// its text starts at, less one) and text after the indentation.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: u32,
    indent: usize,
    text: &'a str,
}

struct Parser<'a> {
    /// Every line of the file, for block scalars.
    raw: Vec<&'a str>,
    lines: Vec<Line<'a>>,
    next: usize,
    ascii: bool,
    nodes: usize,
}

fn char_count(s: &str, ascii: bool) -> usize {
    if ascii { s.len() } else { s.chars().count() }
}

impl<'a> Parser<'a> {
    /// Split the file into lines that hold something; `None` for what the
    /// fast path leaves alone anywhere in a file.
    fn new(text: &'a str) -> Option<Self> {
        if memchr::memchr2(b'\t', b'\r', text.as_bytes()).is_some() || text.contains('\u{feff}') {
            return None;
        }
        let ascii = text.is_ascii();
        let mut lines = Vec::with_capacity(text.len() / 24);
        let mut raws = Vec::with_capacity(text.len() / 24);
        let mut byte = 0;
        // Lines as `split('\n')` gives them, found with the memchr crate's
        // search (a first build reads 24 MB of YAML a line at a time).
        let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
        for (i, end) in ends.enumerate() {
            let raw = text.get(byte..end)?;
            raws.push(raw);
            let body = raw.trim_start_matches(' ');
            let indent = raw.len() - body.len();
            let trimmed = body.trim_end_matches(' ');
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                if raw.starts_with("---") || raw.starts_with("...") || raw.starts_with('%') {
                    return None;
                }
                lines.push(Line {
                    number: u32::try_from(i + 1).ok()?,
                    indent,
                    text: trimmed,
                });
            }
            byte += raw.len() + 1;
        }
        u32::try_from(text.len()).ok()?;
        Some(Parser {
            raw: raws,
            lines,
            next: 0,
            ascii,
            nodes: 0,
        })
    }

    fn document(mut self) -> Option<Node<'a>> {
        let indent = self.lines.first()?.indent;
        let node = self.block(indent, 0)?;
        (self.next == self.lines.len()).then_some(node)
    }

    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.next).copied()
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// The block that starts at the next line, indented `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.count()?;
        let line = self.peek()?;
        if is_item(line.text) {
            self.seq(indent, depth)
        } else {
            self.map(indent, depth)
        }
    }

    fn map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut entries: Vec<(&'a str, Node<'a>)> = Vec::with_capacity(8);
        while let Some(line) = self.peek().filter(|l| l.indent == indent) {
            let (key, rest) = split_key(line.text)?;
            if entries.iter().any(|(k, _)| *k == key) {
                return None;
            }
            self.next += 1;
            let value = if rest.is_empty() {
                match self.peek() {
                    Some(l) if l.indent > indent => self.block(l.indent, depth + 1)?,
                    Some(l) if l.indent == indent && is_item(l.text) => {
                        self.seq(indent, depth + 1)?
                    }
                    _ => Node::Empty,
                }
            } else if let Some(style) = block_indicator(rest) {
                self.count()?;
                self.block_scalar(line.number, indent, style)?
            } else {
                let offset = line.text.len() - rest.len();
                self.count()?;
                self.inline(line, offset)?
            };
            if self.peek().is_some_and(|l| l.indent > indent) {
                return None;
            }
            entries.push((key, value));
        }
        Some(Node::Map(entries))
    }

    fn seq(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut items = Vec::with_capacity(8);
        while let Some(line) = self
            .peek()
            .filter(|l| l.indent == indent && is_item(l.text))
        {
            let after = &line.text[1..];
            let rest = after.trim_start_matches(' ');
            let item = if rest.is_empty() || rest.starts_with('#') {
                self.next += 1;
                match self.peek() {
                    Some(l) if l.indent > indent => self.block(l.indent, depth + 1)?,
                    _ => return None,
                }
            } else if split_key(rest).is_some() {
                // `- key: value` starts a mapping at the key's column.
                let skip = line.text.len() - rest.len();
                let inner = self.shifted(line, skip);
                self.lines[self.next] = inner;
                self.block(inner.indent, depth + 1)?
            } else if is_item(rest) {
                return None;
            } else if let Some(style) = block_indicator(rest) {
                self.next += 1;
                self.count()?;
                self.block_scalar(line.number, indent, style)?
            } else {
                self.next += 1;
                self.count()?;
                self.inline(line, line.text.len() - rest.len())?
            };
            if self.peek().is_some_and(|l| l.indent > indent) {
                return None;
            }
            items.push(item);
        }
        Some(Node::Seq(items))
    }

    /// A literal (`|`) or folded (`>`) block scalar after line `number`,
    /// inside a node indented `parent`. Only the common forms: no blank or
    /// more-indented first line, no indentation or keep indicator, nothing
    /// folded across more-indented lines, no spaces on blank lines or (when
    /// folded) at a line's end.
    fn block_scalar(&mut self, number: u32, parent: usize, style: Style) -> Option<Node<'a>> {
        let start = number as usize;
        let first = *self.raw.get(start)?;
        let indent = spaces(first);
        if indent <= parent || indent == first.len() {
            return None;
        }
        let mut parts: Vec<&'a str> = Vec::new();
        let mut i = start;
        while let Some(raw) = self.raw.get(i) {
            let margin = spaces(raw);
            if raw.is_empty() {
                parts.push("");
            } else if margin == raw.len()
                || (style.folded && (margin > indent || raw.ends_with(' ')))
            {
                return None;
            } else if margin < indent {
                break;
            } else {
                parts.push(&raw[indent..]);
            }
            i += 1;
        }
        while parts.last() == Some(&"") {
            parts.pop();
        }
        let mut value = if style.folded {
            folded(&parts)
        } else {
            parts.join("\n")
        };
        if !style.strip {
            value.push('\n');
        }
        while self.peek().is_some_and(|l| (l.number as usize) <= i) {
            self.next += 1;
        }
        let at = At {
            line: number + 1,
            column: indent as u32 + 1,
        };
        Some(Node::Text(Cow::Owned(value), at))
    }

    /// The line from `skip` bytes into its text, as if it were indented there.
    fn shifted(&self, line: Line<'a>, skip: usize) -> Line<'a> {
        let skipped = char_count(&line.text[..skip], self.ascii);
        Line {
            number: line.number,
            indent: line.indent + skipped,
            text: &line.text[skip..],
        }
    }

    /// The scalar or flow list that ends a line, `offset` bytes into its text.
    fn inline(&self, line: Line<'a>, offset: usize) -> Option<Node<'a>> {
        let text = &line.text[offset..];
        let (node, used) = match text.as_bytes()[0] {
            b'[' => self.flow(line, offset)?,
            b'{' => self.flow_map(line, offset)?,
            b'"' | b'\'' => self.quoted(line, offset)?,
            _ => {
                let end = comment_at(text).unwrap_or(text.len());
                let plain = text[..end].trim_end_matches(' ');
                if !plain_ok(plain, false) {
                    return None;
                }
                (Node::Plain(plain, self.at(line, offset)), end)
            }
        };
        only_comment(&text[used..]).then_some(node)
    }

    /// A quoted scalar at `offset`, and the bytes it takes.
    fn quoted(&self, line: Line<'a>, offset: usize) -> Option<(Node<'a>, usize)> {
        let text = &line.text[offset..];
        let quote = text.as_bytes()[0];
        let body = &text[1..];
        let (value, len) = if quote == b'"' {
            let close = body.find(['"', '\\'])?;
            if body.as_bytes()[close] == b'\\' {
                return None;
            }
            (Cow::Borrowed(&body[..close]), close + 2)
        } else {
            let mut value = String::new();
            let mut rest = body;
            loop {
                let close = rest.find('\'')?;
                value.push_str(&rest[..close]);
                if rest[close + 1..].starts_with('\'') {
                    value.push('\'');
                    rest = &rest[close + 2..];
                } else {
                    rest = &rest[close + 1..];
                    break;
                }
            }
            let len = text.len() - rest.len();
            if value.len() == len - 2 {
                (Cow::Borrowed(&body[..len - 2]), len)
            } else {
                (Cow::Owned(value), len)
            }
        };
        Some((Node::Text(value, self.at(line, offset)), len))
    }

    /// A one-line flow list of scalars at `offset`, and the bytes it takes.
    fn flow(&self, line: Line<'a>, offset: usize) -> Option<(Node<'a>, usize)> {
        let text = &line.text[offset..];
        let mut items = Vec::new();
        let mut at = 1;
        loop {
            at += spaces(&text[at..]);
            if text[at..].starts_with(']') && items.is_empty() {
                return Some((Node::Seq(items), at + 1));
            }
            let (item, used) = self.flow_scalar(line, offset + at, b']')?;
            items.push(item);
            at += used;
            at += spaces(&text[at..]);
            match text.as_bytes().get(at)? {
                b',' => at += 1,
                b']' => return Some((Node::Seq(items), at + 1)),
                _ => return None,
            }
        }
    }

    /// A one-line flow mapping of plain keys to scalars at `offset`, such
    /// as a status key's `{id: blue, label: Blue}`, and the bytes it takes.
    fn flow_map(&self, line: Line<'a>, offset: usize) -> Option<(Node<'a>, usize)> {
        let text = &line.text[offset..];
        let mut entries: Vec<(&'a str, Node<'a>)> = Vec::new();
        let mut at = 1;
        loop {
            at += spaces(&text[at..]);
            if text[at..].starts_with('}') && entries.is_empty() {
                return Some((Node::Map(entries), at + 1));
            }
            let (key, rest) = split_key(&text[at..])?;
            if rest.is_empty() || entries.iter().any(|(k, _)| *k == key) {
                return None;
            }
            at = text.len() - rest.len();
            let (value, used) = self.flow_scalar(line, offset + at, b'}')?;
            entries.push((key, value));
            at += used;
            at += spaces(&text[at..]);
            match text.as_bytes().get(at)? {
                b',' => at += 1,
                b'}' => return Some((Node::Map(entries), at + 1)),
                _ => return None,
            }
        }
    }

    /// A quoted or plain scalar inside a flow collection that `close`
    /// ends, at `offset`, and the bytes it takes.
    fn flow_scalar(&self, line: Line<'a>, offset: usize, close: u8) -> Option<(Node<'a>, usize)> {
        let rest = &line.text[offset..];
        match rest.as_bytes().first()? {
            b'"' | b'\'' => self.quoted(line, offset),
            _ => {
                let end = rest.find([',', close as char])?;
                let plain = rest[..end].trim_end_matches(' ');
                if !plain_ok(plain, true) {
                    return None;
                }
                let node = Node::Plain(plain, self.at(line, offset));
                Some((node, plain.len()))
            }
        }
    }

    /// The location of what starts `offset` bytes into a line's text.
    fn at(&self, line: Line<'a>, offset: usize) -> At {
        let before = char_count(&line.text[..offset], self.ascii);
        // It fits: the file's length was checked to fit a u32.
        let column = (line.indent + before + 1) as u32;
        At {
            line: line.number,
            column,
        }
    }
}

/// How a block scalar is written: folded (`>`) or literal (`|`), and
/// whether its final line break is stripped (`-`).
#[derive(Clone, Copy)]
struct Style {
    folded: bool,
    strip: bool,
}

/// `|`, `|-`, `>` or `>-`, perhaps followed by a comment.
fn block_indicator(rest: &str) -> Option<Style> {
    let folded = match rest.as_bytes().first()? {
        b'|' => false,
        b'>' => true,
        _ => return None,
    };
    let strip = rest.as_bytes().get(1) == Some(&b'-');
    let after = &rest[1 + usize::from(strip)..];
    only_comment(after).then_some(Style { folded, strip })
}

/// Folded lines: one line break between two lines becomes a space, and
/// each blank line between them a line break.
fn folded(parts: &[&str]) -> String {
    let mut out = String::new();
    let mut blanks = 0;
    for part in parts {
        if part.is_empty() {
            blanks += 1;
            continue;
        }
        if !out.is_empty() {
            match blanks {
                0 => out.push(' '),
                n => out.extend(std::iter::repeat_n('\n', n)),
            }
        }
        out.push_str(part);
        blanks = 0;
    }
    out
}

fn spaces(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

/// A sequence item: `-` then a space or the end of the line.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Nothing but spaces and perhaps a comment.
fn only_comment(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    // A `#` straight after a scalar is not a comment in YAML.
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// `key: rest` or `key:` with a plain key of letters, digits, `_` and `-`;
/// the rest has its leading spaces and any lone comment taken off.
/// Where a comment starts in a plain scalar's line: the first ` #`. (A
/// search for the `#` alone, which is rare, rather than for the pair,
/// which sets up a substring search on every line.)
fn comment_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes)
        .find(|&i| i > 0 && bytes[i - 1] == b' ')
        .map(|i| i - 1)
}

fn split_key(text: &str) -> Option<(&str, &str)> {
    // By bytes: a character outside ASCII stops the key at its first byte,
    // as it would by characters, without decoding every key's characters.
    let end = text
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    if end == 0 || text.as_bytes()[end] != b':' {
        return None;
    }
    let key = &text[..end];
    if classify(key) != Plain::Text {
        return None;
    }
    let after = &text[end + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let rest = after.trim_start_matches(' ');
    let rest = if rest.starts_with('#') { "" } else { rest };
    Some((key, rest))
}

/// Whether a plain scalar means the same text however YAML reads it: no
/// indicator at its start, nothing that would end it early or make it a
/// key, and (inside a flow list) none of the flow indicators.
fn plain_ok(plain: &str, in_flow: bool) -> bool {
    let Some(first) = plain.chars().next() else {
        return false;
    };
    if "[]{},&*!|>'\"%@`#".contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') && (plain.len() == 1 || plain[1..].starts_with(' ')) {
        return false;
    }
    if plain.ends_with(':') || has_indicator(plain.as_bytes()) {
        return false;
    }
    !(in_flow && plain.contains(['[', ']', '{', '}', ',', ':', '#']))
}

/// Whether a plain scalar has `: ` or ` #` in it, which would end it: one
/// pass for both (two substring searches were 0.7% of a build).
fn has_indicator(b: &[u8]) -> bool {
    memchr::memchr2_iter(b':', b'#', b).any(|at| match b[at] {
        b':' => b.get(at + 1) == Some(&b' '),
        _ => at > 0 && b[at - 1] == b' ',
    })
}

/// What a plain scalar is under YAML 1.2's core schema, as far as the fast
/// path needs: text it vouches for, null, a boolean, or something else
/// (numbers, `yes`, `.inf`), which it leaves to serde-saphyr.
#[derive(PartialEq)]
enum Plain {
    Text,
    Null,
    Bool(bool),
    Other,
}

fn classify(s: &str) -> Plain {
    match s {
        "~" | "null" | "Null" | "NULL" => Plain::Null,
        "true" | "True" | "TRUE" => Plain::Bool(true),
        "false" | "False" | "FALSE" => Plain::Bool(false),
        _ => {
            let first = s.chars().next().unwrap_or('0');
            // YAML 1.1's booleans and the special floats' words, in any case.
            let word = s.len() <= 3
                && ["yes", "no", "on", "off", "y", "n", "nan", "inf"]
                    .iter()
                    .any(|w| s.eq_ignore_ascii_case(w));
            if first.is_alphabetic() && !word {
                Plain::Text
            } else {
                Plain::Other
            }
        }
    }
}

/// A decimal integer written plainly: an optional `-` and digits, no
/// leading zero.
fn integer(s: &str) -> Option<&str> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    plain.then_some(s)
}

/// Why the fast path gave up; never shown.
#[derive(Debug)]
struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("left to serde-saphyr")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

struct De<'n, 'a>(&'n Node<'a>);

impl<'de> de::Deserializer<'de> for De<'_, 'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Empty => v.visit_unit(),
            Node::Plain(s, _) => match classify(s) {
                Plain::Null => v.visit_unit(),
                Plain::Bool(b) => v.visit_bool(b),
                Plain::Text => v.visit_borrowed_str(s),
                Plain::Other => Err(GiveUp),
            },
            Node::Text(s, _) => visit_text(s, v),
            Node::Seq(items) => v.visit_seq(SeqDeserializer::new(items.iter().map(De))),
            Node::Map(entries) => v.visit_map(MapDeserializer::new(
                entries.iter().map(|(k, n)| (Key(k), De(n))),
            )),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Plain(s, _) => match classify(s) {
                Plain::Bool(b) => v.visit_bool(b),
                _ => Err(GiveUp),
            },
            _ => Err(GiveUp),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        let s = plain_number(self.0).and_then(integer).ok_or(GiveUp)?;
        v.visit_i64(s.parse().map_err(|_| GiveUp)?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        let s = plain_number(self.0).and_then(integer).ok_or(GiveUp)?;
        v.visit_u64(s.parse().map_err(|_| GiveUp)?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        let s = plain_number(self.0).ok_or(GiveUp)?;
        let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
        let plain = integer(whole).is_some()
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit());
        if !plain {
            return Err(GiveUp);
        }
        v.visit_f64(s.parse().map_err(|_| GiveUp)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Plain(s, _) if matches!(classify(s), Plain::Text | Plain::Other) => {
                v.visit_borrowed_str(s)
            }
            Node::Text(s, _) => visit_text(s, v),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Empty => v.visit_none(),
            Node::Plain(s, _) if classify(s) == Plain::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, GiveUp> {
        if name != crate::spanned::NAME {
            return v.visit_newtype_struct(self);
        }
        match self.0 {
            Node::Plain(_, at) | Node::Text(_, at) => v.visit_newtype_struct(SpannedScalar {
                node: self.0,
                at: *at,
            }),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Seq(_) => self.deserialize_any(v),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Map(_) => self.deserialize_any(v),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_map(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, GiveUp> {
        match self.0 {
            Node::Plain(s, _) if classify(s) == Plain::Text => {
                v.visit_enum(IntoDeserializer::<GiveUp>::into_deserializer(*s))
            }
            Node::Text(s, _) => {
                v.visit_enum(IntoDeserializer::<GiveUp>::into_deserializer(s.as_ref()))
            }
            _ => Err(GiveUp),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        v.visit_unit()
    }

    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_i64(v)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_i64(v)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_i64(v)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_u64(v)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_u64(v)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_u64(v)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_f64(v)
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(v)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(v)
    }

    // Left to serde-saphyr: no content type reads these.
    fn deserialize_char<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
}

fn visit_text<'de, V: Visitor<'de>>(s: &Cow<'de, str>, v: V) -> Result<V::Value, GiveUp> {
    match s {
        Cow::Borrowed(b) => v.visit_borrowed_str(b),
        Cow::Owned(o) => v.visit_str(o),
    }
}

fn plain_number<'a>(node: &Node<'a>) -> Option<&'a str> {
    match node {
        Node::Plain(s, _) => Some(s),
        _ => None,
    }
}

impl<'de> IntoDeserializer<'de, GiveUp> for De<'_, 'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// A mapping's key, given to serde as borrowed text.
struct Key<'a>(&'a str);

impl<'de> IntoDeserializer<'de, GiveUp> for Key<'de> {
    type Deserializer = de::value::BorrowedStrDeserializer<'de, GiveUp>;
    fn into_deserializer(self) -> Self::Deserializer {
        de::value::BorrowedStrDeserializer::new(self.0)
    }
}

/// A scalar read as a [`Spanned`](crate::spanned::Spanned): the sequence
/// `[value, line, column]` its `Deserialize` takes from this reader.
struct SpannedScalar<'n, 'a> {
    node: &'n Node<'a>,
    at: At,
}

impl<'de> de::Deserializer<'de> for SpannedScalar<'_, 'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, GiveUp> {
        v.visit_seq(SpannedParts {
            node: self.node,
            at: self.at,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct SpannedParts<'n, 'a> {
    node: &'n Node<'a>,
    at: At,
    next: u8,
}

impl<'de> de::SeqAccess<'de> for SpannedParts<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, GiveUp> {
        self.next += 1;
        let part = match self.next {
            1 => seed.deserialize(De(self.node)),
            2 => seed.deserialize(self.at.line.into_deserializer()),
            3 => seed.deserialize(self.at.column.into_deserializer()),
            _ => return Ok(None),
        };
        part.map(Some)
    }
}
