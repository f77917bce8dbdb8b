//! Names that are safe in a web address and as an HTML id, and the names the
//! site keeps for its own pages. A leaf: every stage may use it.

/// Lower-case ASCII letters, digits and single hyphens: safe in a URL and an
/// id. Other scripts and accents are transliterated first, so "Ynys Môn"
/// becomes `ynys-mon` rather than losing its letters.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// Folder names the site's own pages use at a board's top level; a
/// document may not take them.
pub const RESERVED_FOLDERS: [&str; 10] = [
    "glossary",
    "structure",
    "standards",
    "static",
    "assets",
    "accessibility",
    "leads",
    "agencies",
    "tracker",
    "search",
];

/// The form of a lead's name that tells leads apart: names that differ
/// only in case, spacing or punctuation ("QA Sub-Group", "qa sub group")
/// are one lead.
pub fn lead_key(name: &str) -> String {
    // Every milestone's leads are keyed on every page that lists them: the
    // common case of an ASCII name is made in one pass, the same as below.
    if name.is_ascii() {
        let mut key = String::with_capacity(name.len());
        for word in name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(word);
        }
        key.make_ascii_lowercase();
        return key;
    }
    any_lead_key(name)
}

/// [`lead_key`] for any name, in whatever script.
fn any_lead_key(name: &str) -> String {
    let spaced: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ids a document's page uses itself; sections and plan items may not take
/// them.
pub const PAGE_IDS: [&str; 16] = [
    "main-content",
    // A document's own vision and principles.
    "vision",
    "principles",
    "contents-title",
    "key-figures",
    "plan-on-a-page",
    "plan",
    "status-chart",
    "status-key",
    "reports-title",
    // A report's progress part.
    "progress",
    "at-a-glance",
    "limited-progress",
    "overdue",
    "carried-forward",
    "changes",
];

#[cfg(test)]
mod tests {
    #[test]
    fn leads_written_differently_are_one() {
        assert_eq!(
            super::lead_key("QA Sub-Group"),
            super::lead_key(" qa  sub group ")
        );
        assert_ne!(super::lead_key("QA Sub Group"), super::lead_key("QA Group"));
    }

    #[test]
    fn ascii_names_are_keyed_as_any_other() {
        for name in [
            "Detective Inspector, Public Protection",
            "  QA   Sub-group ",
            "CDOP Chair (Health)",
            "Head of Early Help / LADO",
            "",
            "--",
            "Tab\tand\nnewline",
            "Year 2025-26 lead",
        ] {
            assert_eq!(super::lead_key(name), super::any_lead_key(name), "{name:?}");
        }
        assert_eq!(super::lead_key("Zoë's Team"), "zoë s team");
    }

    use super::slugify;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("Foreword by the Chair"), "foreword-by-the-chair");
        assert_eq!(slugify("10-foreword"), "10-foreword");
        assert_eq!(slugify("  C&H: 2012/14 "), "c-h-2012-14");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn slugs_transliterate() {
        assert_eq!(slugify("Ynys Môn"), "ynys-mon");
        assert_eq!(slugify("Café – naïve"), "cafe-naive");
    }
}
