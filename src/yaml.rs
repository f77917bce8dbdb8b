//! YAML into typed values, with every failure turned into a located
//! [`Diagnostic`] and a hint for the usual mistakes (a misspelt field gets
//! "did you mean", a tab in the indentation is pointed at). A leaf: the
//! content loader and the data series both parse through it.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, did_you_mean};

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
    match serde_saphyr::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(e) => {
            let position = e
                .location()
                .map(|l| Position::new(l.line() as usize + line_offset, l.column() as usize));
            let (message, help) = explain_yaml_error(&e.to_string());
            // The parser notices a tab late; point at the tab itself.
            let position = if mentions_tab(&message) {
                first_indent_tab(text, line_offset).or(position)
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

/// The first line of serde-saphyr's message without its "line N column M"
/// prefix, and a hint for the common mistakes.
fn explain_yaml_error(full: &str) -> (String, Option<String>) {
    let first = full.lines().next().unwrap_or(full);
    let message = strip_location_prefix(first).to_string();
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
