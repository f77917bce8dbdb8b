//! YAML into typed values, with every failure turned into a located
//! [`Diagnostic`] and a hint for the usual mistakes (a misspelt field gets
//! "did you mean", a tab in the indentation is pointed at). A leaf: the
//! content loader and the data series both parse through it.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, did_you_mean};

mod fast;

/// The fast path alone: the value, or `None` where `parse_yaml` would read
/// the text with serde-saphyr. For the tests that hold the two to the same
/// values.
pub fn fast_path<T: DeserializeOwned>(text: &str) -> Option<T> {
    fast::from_str(text)
}

/// A quick reading of a field or two before the full one: the value, or
/// `None` for a file with a mistake, which the full reading (`parse_yaml`)
/// reports.
pub fn peek<T: DeserializeOwned>(text: &str) -> Option<T> {
    fast::from_str(text).or_else(|| serde_saphyr::from_str_with_options(text, options()).ok())
}

/// Deserialise YAML, turning a failure into a diagnostic. `line_offset` is
/// added to reported lines (front matter starts after a `---` line).
pub fn parse_yaml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    line_offset: usize,
    diags: &mut Diagnostics,
) -> Option<T> {
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::new(file, "the YAML is empty").at(Some(Position::new(line_offset + 1, 1))),
        );
        return None;
    }
    // Most files take the fast path; whatever it does not vouch for, and
    // every mistake, is read by serde-saphyr, whose errors users see.
    if let Some(value) = fast::from_str(text) {
        return Some(value);
    }
    match serde_saphyr::from_str_with_options::<T>(text, options()) {
        Ok(value) => Some(value),
        Err(e) => {
            let position = e
                .location()
                .map(|l| Position::new(l.line() as usize + line_offset, l.column() as usize));
            let (message, help) = explain_yaml_error(&e.to_string());
            // The parser notices a tab, or too many aliases, late; point at
            // the first one instead.
            let position = if mentions_tab(&message) {
                first_indent_tab(text, line_offset).or(position)
            } else if message.contains("aliases") {
                first_alias(text, line_offset).or(position)
            } else {
                position
            };
            let mut d = Diagnostic::new(file, message).at(position);
            d.help = help;
            diags.push(d);
            None
        }
    }
}

/// How content YAML is read: booleans only as `true` and `false` (YAML 1.1
/// also read `yes`, `no`, `on` and `off`, so `Norway: no` became false),
/// and no tags such as `!!python/object` (plain YAML only; a tag is never
/// obeyed, so one is most likely pasted from elsewhere). The default budget
/// (nesting depth, aliases, events) stays, so a file built to exhaust
/// memory is refused.
pub fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.reject_unsupported_tags = true;
    options
}

fn mentions_tab(message: &str) -> bool {
    message.contains("a tab") || message.contains("tabs ")
}

/// Where the first tab in a line's indentation is.
fn first_indent_tab(text: &str, line_offset: usize) -> Option<Position> {
    text.lines().enumerate().find_map(|(i, line)| {
        let indent: &str = &line[..line.len() - line.trim_start().len()];
        indent
            .find('\t')
            .map(|col| Position::new(i + 1 + line_offset, col + 1))
    })
}

/// Where the first alias (`*name`) is.
fn first_alias(text: &str, line_offset: usize) -> Option<Position> {
    text.lines().enumerate().find_map(|(i, line)| {
        let code = line.split(" #").next().unwrap_or(line);
        let at = code.char_indices().find(|&(j, c)| {
            c == '*'
                && code[..j].ends_with([' ', '[', ',', '\t'])
                && code[j + 1..].starts_with(|n: char| n.is_alphanumeric())
        })?;
        Some(Position::new(
            i + 1 + line_offset,
            code[..at.0].chars().count() + 1,
        ))
    })
}

/// serde-saphyr's words for a file it refuses to read in full, in words a
/// business manager can act on.
fn explain_refusal(message: &str) -> Option<(String, String)> {
    if message.contains("budget breached: Alias") {
        return Some((
            "the file repeats values with too many aliases (`*name`, which stands for what an `&name` anchor holds), so reading it would take far more work than its size suggests".into(),
            "write the values out in full instead of repeating them with `*`: boardpress files need no anchors or aliases".into(),
        ));
    }
    if message.contains("budget breached: Depth") || message.contains("recursion limit") {
        return Some((
            "the file is nested too deeply to read safely: lists or mappings inside each other dozens of levels down".into(),
            "a boardpress file needs only a few levels; look for a run of `[` or `{`, or indentation that keeps growing".into(),
        ));
    }
    if message.contains("budget breached") {
        return Some((
            "the file is too large or too complex to read safely".into(),
            "split it, or remove repeated or generated parts; a plan's file is usually well under 1 MB".into(),
        ));
    }
    if let Some(rest) = message.strip_prefix("unsupported tag `") {
        let tag = rest.split('`').next().unwrap_or(rest);
        return Some((
            format!("the YAML tag `{tag}` is not allowed"),
            format!(
                "remove `{tag}`: boardpress reads plain YAML, and a tag asks a program to build something of its own, which boardpress never does"
            ),
        ));
    }
    if message.contains("invalid boolean") {
        return Some((
            "this field takes `true` or `false`".into(),
            "write true or false: yes, no, on and off are not read as true or false".into(),
        ));
    }
    None
}

/// The first line of serde-saphyr's message without its "line N column M"
/// prefix, and a hint for the common mistakes.
fn explain_yaml_error(full: &str) -> (String, Option<String>) {
    let first = full.lines().next().unwrap_or(full);
    let message = strip_location_prefix(first).to_string();
    if let Some((message, help)) = explain_refusal(&message) {
        return (message, Some(help));
    }
    let help = hint_for(&message);
    let message = message
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(&message)
        .to_string();
    (message, help)
}

fn strip_location_prefix(line: &str) -> &str {
    let line = line.strip_prefix("error: ").unwrap_or(line);
    if let Some(rest) = line.strip_prefix("line ")
        && let Some((_, msg)) = rest.split_once(": ")
    {
        return msg;
    }
    line
}

fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`')?;
        let expected = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .trim_start_matches(", there are no fields");
        let fields: Vec<&str> = expected
            .split(',')
            .map(|f| f.trim().trim_matches('`'))
            .filter(|f| !f.is_empty())
            .collect();
        return Some(
            did_you_mean(field, &fields).unwrap_or_else(|| match fields[..] {
                [] => "remove this field".to_string(),
                _ => format!("the fields allowed here are: {}", fields.join(", ")),
            }),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (word, expected) = rest.split_once('`')?;
        let options: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(',')
            .map(|f| f.trim().trim_matches('`'))
            .collect();
        return Some(
            did_you_mean(word, &options)
                .unwrap_or_else(|| format!("use one of: {}", options.join(", "))),
        );
    }
    if message.starts_with("missing field") {
        return Some("add the field (see docs/content-format.md for what it holds)".into());
    }
    if message.contains("invalid boolean") {
        return Some("write true or false".into());
    }
    if mentions_tab(message) {
        return Some("indent with spaces, not tabs (set your editor to insert spaces)".into());
    }
    if message.starts_with("duplicate mapping key") {
        return Some(
            "each key may appear once in a mapping: remove or rename the repeated one".into(),
        );
    }
    if message.contains("indicator")
        || message.contains("while scanning")
        || message.contains("did not find expected")
    {
        return Some("check the quoting and indentation on this line and the one above; put text that contains `: ` or starts with a quote, `[` or `*` in double quotes".into());
    }
    if message.contains("expected sequence") {
        return Some(
            "this field takes a list: write each item on its own line starting with `- `".into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_fields_get_a_suggestion() {
        let (msg, help) = explain_yaml_error(
            "error: line 4 column 5: unknown field `ownr`, expected one of text, owner, timescale",
        );
        assert_eq!(
            msg,
            "unknown field `ownr`, expected one of text, owner, timescale"
        );
        assert_eq!(help.as_deref(), Some("did you mean `owner`?"));
    }
}
