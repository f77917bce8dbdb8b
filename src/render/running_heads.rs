//! A document's running headers on paper, as CSS written for its page:
//! its title at the top left of every page after the cover, and at the top
//! right the title of the part (a section, the plan, the contents) the page
//! belongs to.
//!
//! Each part is given a named page with its own margin box. Both engines
//! support named pages and margin boxes with literal text; Chromium does
//! not support the `string-set` and `string()` a stylesheet alone would use.

use super::views::DocumentView;

/// The CSS for `view`'s running headers.
pub fn css(view: &DocumentView) -> String {
    let mut parts: Vec<(&str, &str)> = Vec::new();
    if view.glance.is_some() {
        parts.push(("plan-on-a-page", "Plan on a page"));
    }
    if !view.key_figures.is_empty() {
        parts.push(("key-figures", "Key figures"));
    }
    parts.extend(
        view.contents
            .iter()
            .map(|c| (c.anchor.as_str(), c.title.as_str())),
    );
    let mut css = format!(
        "@page {{ @top-left {{ content: {}; }} }}\n\
         main > nav.contents, main > aside.related {{ page: contents; }}\n\
         @page contents {{ @top-right {{ content: \"Contents\"; }} }}\n",
        css_string(view.title)
    );
    // The cover stays bare: said again, as the rule above would win over
    // print.css's own `:first` in a cascade that puts this style last.
    css.push_str("@page :first { @top-left { content: none; } @top-right { content: none; } }\n");
    for (i, (anchor, title)) in parts.iter().enumerate() {
        css.push_str(&format!(
            "main > section[aria-labelledby={}] {{ page: part-{n}; }}\n\
             @page part-{n} {{ @top-right {{ content: {}; }} }}\n",
            css_string(anchor),
            css_string(title),
            n = i + 1
        ));
    }
    css
}

/// `text` as a CSS string: quotes and backslashes escaped, and `<` too, so
/// that no title can close the `<style>` element it is written into.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn titles_cannot_leave_their_string_or_the_style_element() {
        assert_eq!(css_string("Plan 2012-13"), "\"Plan 2012-13\"");
        assert_eq!(
            css_string("A \"quote\" \\ </style>"),
            "\"A \\22 quote\\22  \\5c  \\3c /style\\3e \""
        );
        assert_eq!(css_string("two\nlines"), "\"two\\a lines\"");
    }
}
