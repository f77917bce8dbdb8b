//! Markdown to HTML: narrative sections (block Markdown, raw HTML sanitised
//! unless the board allows it) and short prose fields from YAML (inline
//! Markdown, where any HTML is shown as text).
//!
//! Links to another section's Markdown file (`context.md`) become links to
//! that section on the page; links and images pointing at local files are
//! checked to exist inside the site and recorded so the writer copies them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html,
};

use serde::Serialize;

use super::charts::{Figure, FigureView};
use crate::data::{ChartKind, Dataset};
use crate::slug::slugify;

/// Settings for one block of Markdown.
pub struct BlockOptions<'a> {
    /// Prefix for generated heading and footnote ids, unique on the page.
    pub id_prefix: &'a str,
    /// The shallowest heading in the text becomes this level (2-6).
    pub base_level: u8,
    pub allow_raw_html: bool,
    /// Section file stems in this document and their anchors.
    pub sections: &'a BTreeMap<String, String>,
    /// Folder of the Markdown file, relative to the site root.
    pub dir: &'a Path,
    pub root: &'a Path,
    /// From the page being rendered to the output root ("../"), for asset links.
    pub to_root: &'a str,
    /// The board's data series, for ```chart blocks.
    pub datasets: &'a BTreeMap<String, Dataset>,
    /// Series whose files had mistakes, already reported.
    pub broken_data: &'a std::collections::BTreeSet<String>,
}

/// A problem in the Markdown, with its byte offset in the source.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Default)]
pub struct Block {
    /// The HTML, with a placeholder where each chart goes.
    pub html: String,
    pub problems: Vec<Problem>,
    /// Local files linked or shown, relative to the site root.
    pub assets: Vec<PathBuf>,
    /// Chart figures waiting to replace their placeholders.
    charts: Vec<FigureView>,
    nonce: u64,
}

/// A piece of a rendered block: HTML, or a chart for the theme's
/// `figure.html` to show in its place.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Fragment {
    Html { html: String },
    Figure { figure: Box<FigureView> },
}

impl Block {
    /// The block as fragments, each chart in its place.
    pub fn fragments(&mut self) -> Vec<Fragment> {
        let mut rest = std::mem::take(&mut self.html);
        let mut out = Vec::new();
        for (i, figure) in std::mem::take(&mut self.charts).into_iter().enumerate() {
            let marker = placeholder(self.nonce, i);
            if let Some((before, after)) = rest.split_once(&marker) {
                if !before.is_empty() {
                    out.push(Fragment::Html {
                        html: before.to_string(),
                    });
                }
                out.push(Fragment::Figure {
                    figure: Box::new(figure),
                });
                rest = after.to_string();
            }
        }
        if !rest.is_empty() {
            out.push(Fragment::Html { html: rest });
        }
        out
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
}

/// Render a narrative section or a long prose field.
pub fn block(text: &str, opts: &BlockOptions) -> Block {
    let mut out = Block {
        nonce: {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut h);
            h.finish()
        },
        ..Block::default()
    };
    let shift = heading_shift(text, opts.base_level);
    let mut ids = IdMaker::new(opts.id_prefix);
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(usize, Vec<Event>)> = None;
    let mut chart: Option<(usize, String)> = None;
    // Whether the author wrote any HTML; without it there is nothing to
    // sanitise, as pulldown-cmark escapes all text and attributes itself.
    let mut raw_html = false;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        raw_html |= matches!(event, Event::Html(_) | Event::InlineHtml(_));
        if let Some((offset, body)) = chart.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let offset = *offset;
                    let body = std::mem::take(body);
                    chart = None;
                    events.push(chart_placeholder(&body, offset, opts, &mut out));
                }
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event
            && info.trim() == "chart"
        {
            chart = Some((range.start, String::new()));
            continue;
        }
        let event = match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let level = shifted(level, shift);
                heading = Some((events.len(), Vec::new()));
                // `{#id .class}` is kept; other attributes (`{onclick=…}`)
                // are dropped, as the sanitiser would.
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs: Vec::new(),
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                let level = shifted(level, shift);
                if let Some((start, text_events)) = heading.take() {
                    set_heading_id(&mut events[start], &text_events, &mut ids);
                }
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = local_link(dest_url, range.start, opts, &mut out);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = local_link(dest_url, range.start, opts, &mut out);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::FootnoteReference(label) => footnote_reference(&label, &mut ids),
            Event::Start(Tag::FootnoteDefinition(label)) => Event::Html(
                format!(
                    "<div class=\"footnote\" id=\"{}\"><span class=\"footnote__label\">{}</span>",
                    ids.footnote(&label),
                    ids.footnote_number(&label)
                )
                .into(),
            ),
            Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>".into()),
            other => other,
        };
        if let Some((_, text_events)) = heading.as_mut()
            && matches!(event, Event::Text(_) | Event::Code(_))
        {
            text_events.push(event.clone());
        }
        events.push(event);
    }
    let mut html_out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    out.html = if opts.allow_raw_html || !raw_html {
        html_out
    } else {
        sanitise(&html_out)
    };
    // Charts go in after sanitising (see `fragments`): their SVG is ours,
    // not the author's.
    out
}

/// Marks where a chart goes until the HTML has been sanitised.
/// The nonce comes from the text itself, so an author cannot type a marker
/// that matches (it would change the text and so the nonce).
fn placeholder(nonce: u64, i: usize) -> String {
    format!("<p>[[boardpress-chart-{nonce:016x}-{i}]]</p>")
}

/// What a ```chart block says: a series id, or `series:` and `kind:`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartDirective {
    series: String,
    kind: Option<ChartKind>,
}

fn chart_placeholder<'a>(
    body: &str,
    offset: usize,
    opts: &BlockOptions,
    out: &mut Block,
) -> Event<'a> {
    let trimmed = body.trim();
    let directive = if trimmed.contains(':') {
        serde_saphyr::from_str::<ChartDirective>(trimmed)
            .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
    } else {
        Ok(ChartDirective {
            series: trimmed.to_string(),
            kind: None,
        })
    };
    let problem = |message: String, help: String| Problem {
        offset,
        message,
        help,
    };
    let directive = match directive {
        Ok(d) => d,
        Err(e) => {
            out.problems.push(problem(
                format!("cannot read this chart block: {e}"),
                CHART_HELP.into(),
            ));
            return Event::Html("".into());
        }
    };
    if opts.broken_data.contains(&directive.series) {
        return Event::Html("".into());
    }
    let Some(ds) = opts.datasets.get(&directive.series) else {
        let known: Vec<&str> = opts.datasets.keys().map(String::as_str).collect();
        let help = crate::diagnostics::did_you_mean(&directive.series, &known).unwrap_or_else(|| {
            match known[..] {
                [] => "add the series to the board's data/ folder (a .yaml description beside its .csv)"
                    .into(),
                _ => format!("the series are: {}", known.join(", ")),
            }
        });
        out.problems.push(problem(
            format!("there is no data series `{}`", directive.series),
            help,
        ));
        return Event::Html("".into());
    };
    let id = format!("{}-chart-{}", opts.id_prefix, out.charts.len() + 1);
    match Figure::trend(ds, directive.kind, &id).view() {
        Ok(figure) => {
            out.charts.push(figure);
            Event::Html(format!("{}\n", placeholder(out.nonce, out.charts.len() - 1)).into())
        }
        Err(e) => {
            out.problems.push(problem(e, String::new()));
            Event::Html("".into())
        }
    }
}

const CHART_HELP: &str =
    "write the series id alone, or `series: <id>` and optionally `kind: line` or `kind: column`";

/// Render a short prose field from YAML. Markdown emphasis, links and code
/// work; any HTML is shown as text. A single paragraph loses its `<p>`.
pub fn inline(text: &str) -> String {
    // Most milestone texts are plain sentences: skip the parser for them.
    if is_plain(text) {
        return text.trim().to_string();
    }
    let text = literal_start(text.trim_start());
    let events = Parser::new_ext(&text, options()).map(|event| match event {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Heading {
            level, id, classes, ..
        }) => Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs: Vec::new(),
        }),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image { dest_url, .. }) if !is_safe_url(&dest_url) => {
            Event::Start(Tag::Image {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(""),
                title: CowStr::from(""),
                id: CowStr::from(""),
            })
        }
        other => other,
    });
    let mut out = String::with_capacity(text.len() + 16);
    html::push_html(&mut out, events);
    let trimmed = out.trim_end();
    let single = trimmed.starts_with("<p>")
        && trimmed.ends_with("</p>")
        && trimmed.matches("<p>").count() == 1;
    if single {
        trimmed[3..trimmed.len() - 4].to_string()
    } else {
        trimmed.to_string()
    }
}

/// A title such as "1. Tackle neglect" or "- Train staff" is words, not a
/// list: escape a list, heading or quote marker at the very start.
fn literal_start(text: &str) -> std::borrow::Cow<'_, str> {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let rest = &text[digits..];
    let marker = if digits > 0 {
        (rest.starts_with(". ") || rest.starts_with(") ")).then_some(digits)
    } else {
        ["# ", "#", "> ", "- ", "+ ", "* "]
            .iter()
            .any(|m| text.starts_with(m))
            .then_some(0)
    };
    match marker {
        Some(at) => std::borrow::Cow::Owned(format!("{}\\{}", &text[..at], &text[at..])),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Text that Markdown (with smart punctuation) would leave exactly as it is:
/// letters, digits, spaces and punctuation with no Markdown or HTML meaning,
/// on one line, with no run of dots or dashes to turn into an ellipsis or dash.
fn is_plain(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && !t.contains("..")
        && !t.contains("--")
        && !t.starts_with(|c: char| c.is_ascii_digit() || c == '+')
        && t.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | ',' | '.' | ';' | ':' | '(' | ')' | '/' | '%' | '?' | '\u{2019}'
                )
        })
}

/// The words of a Markdown snippet without its markup, for captions,
/// contents entries and page titles.
pub fn plain(text: &str) -> String {
    Parser::new_ext(text, options())
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                Some(t.to_string())
            }
            Event::SoftBreak | Event::HardBreak => Some(" ".to_string()),
            _ => None,
        })
        .collect()
}

/// Web addresses with a scheme other than http(s)/mailto are not linked.
pub fn is_safe_url(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(
                scheme.to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto"
            )
        }
        _ => true,
    }
}

fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("td", ["style"])
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .clean(html)
        .to_string()
}

/// Rewrite a relative link: `other.md` → `#other`; a local file is checked
/// and recorded as an asset. Web links are left alone.
fn local_link<'a>(
    url: CowStr<'a>,
    offset: usize,
    opts: &BlockOptions,
    out: &mut Block,
) -> CowStr<'a> {
    if !is_safe_url(&url) {
        return CowStr::from("#");
    }
    if url.is_empty() || url.starts_with('#') || url.contains(':') || url.starts_with("//") {
        return url;
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (url.to_string(), None),
    };
    if let Some(stem) = path.strip_suffix(".md") {
        return match opts.sections.get(stem) {
            Some(anchor) => {
                CowStr::from(format!("#{}", fragment.unwrap_or_else(|| anchor.clone())))
            }
            None => {
                out.problems.push(Problem {
                    offset,
                    message: format!(
                        "the link points to `{path}`, which is not a section of this document"
                    ),
                    help: format!("link to one of: {}", known_sections(opts.sections)),
                });
                url
            }
        };
    }
    let rel = opts.dir.join(&path);
    match crate::files::check_inside(opts.root, &rel) {
        Err(d) => out.problems.push(Problem {
            offset,
            message: format!(
                "the link `{path}` {}",
                d.message.trim_start_matches("the path ")
            ),
            help: d.help.unwrap_or_default(),
        }),
        Ok(()) if !opts.root.join(&rel).is_file() => out.problems.push(Problem {
            offset,
            message: format!("the file `{path}` does not exist"),
            help: format!(
                "put the file in {} or correct the name",
                crate::files::display_path(opts.dir)
            ),
        }),
        Ok(()) => {
            // The file is published under assets/; link to it from the page.
            let href = format!("{}{}", opts.to_root, super::asset_url(&rel));
            out.assets.push(rel);
            return CowStr::from(href);
        }
    }
    url
}

fn known_sections(sections: &BTreeMap<String, String>) -> String {
    sections
        .keys()
        .map(|s| format!("{s}.md"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn footnote_reference<'a>(label: &str, ids: &mut IdMaker) -> Event<'a> {
    let n = ids.footnote_number(label);
    Event::Html(
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#{}\" id=\"{}-ref\">{n}</a></sup>",
            ids.footnote(label),
            ids.footnote(label)
        )
        .into(),
    )
}

/// Makes heading and footnote ids unique within one block.
struct IdMaker {
    prefix: String,
    used: BTreeMap<String, usize>,
    footnotes: Vec<String>,
}

impl IdMaker {
    fn new(prefix: &str) -> Self {
        IdMaker {
            prefix: prefix.to_string(),
            used: BTreeMap::new(),
            footnotes: Vec::new(),
        }
    }

    fn heading(&mut self, text: &str) -> String {
        let base = format!("{}-{}", self.prefix, slugify(text));
        let n = self.used.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    }

    fn footnote(&self, label: &str) -> String {
        format!("{}-fn-{}", self.prefix, slugify(label))
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        match self.footnotes.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.footnotes.push(label.to_string());
                self.footnotes.len()
            }
        }
    }
}

fn set_heading_id(start: &mut Event, text_events: &[Event], ids: &mut IdMaker) {
    if let Event::Start(Tag::Heading { id, .. }) = start
        && id.is_none()
    {
        let text: String = text_events
            .iter()
            .map(|e| match e {
                Event::Text(t) | Event::Code(t) => t.as_ref(),
                _ => "",
            })
            .collect();
        *id = Some(CowStr::from(ids.heading(&text)));
    }
}

/// How many levels to move headings so the shallowest becomes `base`.
fn heading_shift(text: &str, base: u8) -> i8 {
    let min = Parser::new_ext(text, options())
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as u8),
            _ => None,
        })
        .min();
    min.map_or(0, |m| base as i8 - m as i8)
}

fn shifted(level: HeadingLevel, shift: i8) -> HeadingLevel {
    let n = (level as i8 + shift).clamp(1, 6) as usize;
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, raw: bool) -> Block {
        let sections = BTreeMap::from([("context".to_string(), "context".to_string())]);
        let dir = Path::new("content");
        let root = std::env::temp_dir();
        block(
            text,
            &BlockOptions {
                id_prefix: "intro",
                base_level: 3,
                allow_raw_html: raw,
                sections: &sections,
                dir,
                root: &root,
                to_root: "../",
                datasets: &BTreeMap::new(),
                broken_data: &Default::default(),
            },
        )
    }

    #[test]
    fn headings_are_shifted_and_given_unique_ids() {
        let html = render("# National\n\ntext\n\n## Local\n\n# National\n", false).html;
        assert!(
            html.contains("<h3 id=\"intro-national\">National</h3>"),
            "{html}"
        );
        assert!(html.contains("<h4 id=\"intro-local\">Local</h4>"), "{html}");
        assert!(html.contains("id=\"intro-national-2\""), "{html}");
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_are_dropped() {
        let text = "## Click me {#here .note onmouseover=alert(1) style=\"top:0\"}\n";
        for html in [
            render(text, false).html,
            inline(&format!("Intro.\n\n{text}")),
        ] {
            assert!(html.contains("id=\"here\""), "{html}");
            assert!(html.contains("class=\"note\""), "{html}");
            assert!(
                !html.contains("onmouseover") && !html.contains("style"),
                "{html}"
            );
        }
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let text =
            "Hi <script>alert(1)</script> <b onclick=\"x()\">there</b> [x](javascript:alert(1))";
        let safe = render(text, false).html;
        assert!(!safe.contains("<script"), "{safe}");
        assert!(!safe.contains("onclick"), "{safe}");
        assert!(!safe.contains("javascript:"), "{safe}");
        assert!(safe.contains("<b>there</b>"), "{safe}");
        assert!(
            render("<span class=\"x\">ok</span>", true)
                .html
                .contains("<span class=\"x\">ok</span>")
        );
    }

    #[test]
    fn tables_footnotes_and_smart_quotes() {
        let html = render(
            "He said \"yes\".[^a]\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n[^a]: A note.\n",
            false,
        )
        .html;
        assert!(html.contains("\u{201c}yes\u{201d}"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("href=\"#intro-fn-a\""), "{html}");
        assert!(html.contains("id=\"intro-fn-a\""), "{html}");
    }

    #[test]
    fn section_links_resolve_and_missing_files_are_problems() {
        let b = render(
            "[see](context.md) [gone](nowhere.md) ![pic](missing.png) [up](../../etc/passwd)",
            false,
        );
        assert!(b.html.contains("href=\"#context\""), "{}", b.html);
        assert_eq!(b.problems.len(), 3, "{:?}", b.problems);
        assert!(b.problems[0].message.contains("nowhere.md"));
        assert!(b.problems[1].message.contains("missing.png"));
        assert!(b.problems[2].message.contains("leaves the site"));
    }

    #[test]
    fn plain_text_takes_the_fast_path_with_the_same_result() {
        for text in [
            "Model for Herefordshire MASH agreed.",
            "Train 200 practitioners (by March).",
            "Ask: who leads?",
        ] {
            assert!(is_plain(text), "{text}");
            let slow = {
                let mut out = String::new();
                html::push_html(&mut out, Parser::new_ext(text, options()));
                out.trim_end()
                    .trim_start_matches("<p>")
                    .trim_end_matches("</p>")
                    .to_string()
            };
            assert_eq!(inline(text), slow);
        }
        for text in [
            "1. A list",
            "It's",
            "Wait...",
            "a -- b",
            "*em*",
            "<b>",
            "a & b",
            "# heading",
        ] {
            assert!(!is_plain(text), "{text}");
        }
    }

    #[test]
    fn titles_that_look_like_lists_stay_words() {
        assert_eq!(inline("1. Tackle neglect"), "1. Tackle neglect");
        assert_eq!(inline("- Train staff"), "- Train staff");
        assert_eq!(inline("# of referrals"), "# of referrals");
        assert!(inline("Measures:\n\n- one\n- two").contains("<li>one</li>"));
    }

    #[test]
    fn inline_fields_escape_html_and_drop_the_paragraph() {
        assert_eq!(
            inline("The *Working Together* guide"),
            "The <em>Working Together</em> guide"
        );
        assert_eq!(
            inline("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert!(!inline("[x](javascript:alert(1))").contains("javascript"));
    }
}
