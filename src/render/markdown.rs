//! Markdown to HTML: narrative sections (block Markdown, raw HTML sanitised
//! unless the board allows it) and short prose fields from YAML (inline
//! Markdown, where any HTML is shown as text).
//!
//! Links to another section's Markdown file (`context.md`) become links to
//! that section on the page; links and images pointing at local files are
//! checked to exist inside the site and recorded so the writer copies them.

mod figures;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html,
};

use serde::Serialize;

use super::charts::{Figure, FigureView};
use super::templates::escape;
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
    /// The board's data series, for ```chart blocks and figures quoted in
    /// the text.
    pub datasets: &'a BTreeMap<String, Dataset>,
    /// Series whose files had mistakes, already reported.
    pub broken_data: &'a std::collections::BTreeSet<String>,
    /// The board's data folder, relative to the site root, for ```table
    /// blocks.
    pub data_dir: &'a Path,
    /// Other websites whose images and frames may be loaded (site.yaml).
    pub remote_hosts: &'a [String],
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
    /// The HTML, with a placeholder where each chart or data table goes.
    pub html: String,
    pub problems: Vec<Problem>,
    /// Local files linked or shown, relative to the site root.
    pub assets: Vec<PathBuf>,
    /// Charts and data tables waiting to replace their placeholders. They
    /// are ours, not the author's, so they go in after sanitising: the
    /// sanitiser would strip a data table's `scope` attributes.
    inserts: Vec<Fragment>,
    nonce: u64,
    /// Its words for the search, as [`words`] gives them, taken from the
    /// same parse as the HTML rather than parsing the text again.
    pub words: String,
}

/// A piece of a rendered block: HTML, or a chart for the theme's
/// `figure.html` to show in its place.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Fragment {
    Html {
        #[serde(serialize_with = "crate::render::templates::html")]
        html: String,
    },
    Figure {
        figure: Box<FigureView>,
    },
}

impl Fragment {
    fn is_figure(&self) -> bool {
        matches!(self, Fragment::Figure { .. })
    }
}

impl Block {
    /// The block as fragments, each chart in its place; data tables become
    /// part of the HTML around them.
    pub fn fragments(&mut self) -> Vec<Fragment> {
        let mut rest = std::mem::take(&mut self.html);
        let mut out: Vec<Fragment> = Vec::new();
        let push_html = |out: &mut Vec<Fragment>, html: &str| {
            if html.is_empty() {
                return;
            }
            match out.last_mut() {
                Some(Fragment::Html { html: last }) => last.push_str(html),
                _ => out.push(Fragment::Html {
                    html: html.to_string(),
                }),
            }
        };
        for (i, insert) in std::mem::take(&mut self.inserts).into_iter().enumerate() {
            let marker = placeholder(self.nonce, i);
            if let Some((before, after)) = rest.split_once(&marker) {
                push_html(&mut out, before);
                match insert {
                    Fragment::Html { html } => push_html(&mut out, &html),
                    figure => out.push(figure),
                }
                rest = after.to_string();
            }
        }
        push_html(&mut out, &rest);
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
    // The shallowest heading, to move every heading by once all are seen.
    let mut shallowest: Option<HeadingLevel> = None;
    let mut ids = IdMaker::new(opts.id_prefix);
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(usize, Vec<Event>)> = None;
    // A ```chart or ```table block being read: which, where, and its body.
    let mut fenced: Option<(Fenced, usize, String)> = None;
    // Inside another code block, where `{{…}}` is left as written.
    let mut in_code = false;
    // Text (and soft line breaks) not yet pushed: pulldown-cmark splits a
    // run of text at quotes and other marks, so a figure reference is
    // looked for in the run as a whole.
    let mut pending: Vec<(Event, Range<usize>)> = Vec::new();
    // Whether the author wrote any HTML; without it there is nothing to
    // sanitise, as pulldown-cmark escapes all text and attributes itself.
    let mut raw_html = false;
    let mut words = Words::default();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        raw_html |= matches!(event, Event::Html(_) | Event::InlineHtml(_));
        words.note(&event);
        if let Some((kind, offset, body)) = fenced.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (kind, offset, body) = (*kind, *offset, std::mem::take(body));
                    fenced = None;
                    events.push(match kind {
                        Fenced::Chart => chart_placeholder(&body, offset, opts, &mut out),
                        Fenced::Table => table_placeholder(&body, offset, opts, &mut out),
                    });
                }
                _ => {}
            }
            continue;
        }
        if !in_code && matches!(event, Event::Text(_) | Event::SoftBreak) {
            pending.push((event, range));
            continue;
        }
        for e in quote_figures(std::mem::take(&mut pending), opts, &mut out) {
            push_event(e, &mut events, &mut heading);
        }
        if let Event::Start(Tag::CodeBlock(kind)) = &event {
            let info = match kind {
                CodeBlockKind::Fenced(info) => info.trim(),
                CodeBlockKind::Indented => "",
            };
            let kind = match info {
                "chart" => Some(Fenced::Chart),
                "table" => Some(Fenced::Table),
                _ => None,
            };
            if let Some(kind) = kind {
                fenced = Some((kind, range.start, String::new()));
                continue;
            }
            in_code = true;
        }
        if let Event::End(TagEnd::CodeBlock) = &event {
            in_code = false;
        }
        let event = match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                shallowest = Some(shallowest.map_or(level, |s| s.min(level)));
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
        push_event(event, &mut events, &mut heading);
    }
    for e in quote_figures(pending, opts, &mut out) {
        push_event(e, &mut events, &mut heading);
    }
    shift_headings(&mut events, shallowest, opts.base_level);
    let mut html_out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    for (element, url, host) in remote_resources(&html_out, opts.remote_hosts) {
        out.problems.push(Problem {
            offset: text.find(url.as_str()).unwrap_or(0),
            message: format!(
                "the {element} `{url}` would be loaded from another website ({host}): a page that loads files from other sites tells them who is reading it, and cannot be read offline"
            ),
            help: format!(
                "save the file in the document's folder and use its file name instead; or, if the board has agreed to it, allow the site in site.yaml with `remote_hosts: [{host}]`"
            ),
        });
    }
    out.html = if opts.allow_raw_html || !raw_html {
        html_out
    } else {
        sanitise(&html_out)
    };
    out.words = words.finish();
    // Charts and data tables go in after sanitising (see `fragments`):
    // their markup is ours, not the author's.
    out
}

/// The fenced blocks that are not code.
#[derive(Debug, Clone, Copy)]
enum Fenced {
    Chart,
    Table,
}

/// Add an event, noting a heading's words for its id.
fn push_event<'a>(
    event: Event<'a>,
    events: &mut Vec<Event<'a>>,
    heading: &mut Option<(usize, Vec<Event<'a>>)>,
) {
    if let Some((_, text_events)) = heading.as_mut()
        && matches!(event, Event::Text(_) | Event::Code(_))
    {
        text_events.push(event.clone());
    }
    events.push(event);
}

/// A run of text with each `{{value …}}` and `{{change …}}` replaced by
/// its words (escaped later, as all text is). A run without one is passed
/// on untouched; a reference that cannot be resolved is left as written,
/// with a problem at its place in the source.
fn quote_figures<'a>(
    run: Vec<(Event<'a>, Range<usize>)>,
    opts: &BlockOptions,
    out: &mut Block,
) -> Vec<Event<'a>> {
    let has_braces = run
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains('{')));
    if !has_braces {
        return run.into_iter().map(|(e, _)| e).collect();
    }
    // The run's text, and where each piece came from in the source.
    let mut text = String::new();
    let mut pieces: Vec<(usize, Range<usize>)> = Vec::new();
    for (event, range) in &run {
        pieces.push((text.len(), range.clone()));
        match event {
            Event::Text(t) => text.push_str(t),
            _ => text.push('\n'),
        }
    }
    let found = figures::find(&text);
    if found.is_empty() {
        return run.into_iter().map(|(e, _)| e).collect();
    }
    let source_offset = |at: usize| {
        let (start, range) = pieces
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .cloned()
            .unwrap_or((0, 0..0));
        range.start + (at - start).min(range.len())
    };
    let mut result = String::with_capacity(text.len());
    let mut last = 0;
    for f in found {
        result.push_str(&text[last..f.start]);
        let written = &text[f.start..f.end];
        let words = f
            .directive
            .and_then(|d| figures::resolve(&d, opts.datasets, opts.broken_data));
        match words {
            Ok(Some(words)) => result.push_str(&words),
            Ok(None) => result.push_str(written),
            Err(p) => {
                out.problems.push(Problem {
                    offset: source_offset(f.start),
                    message: p.message,
                    help: p.help,
                });
                result.push_str(written);
            }
        }
        last = f.end;
    }
    result.push_str(&text[last..]);
    vec![Event::Text(result.into())]
}

/// Marks where a chart or data table goes until the HTML has been
/// sanitised. The nonce comes from the text itself, so an author cannot
/// type a marker that matches (it would change the text and so the nonce).
fn placeholder(nonce: u64, i: usize) -> String {
    format!("<p>[[boardpress-insert-{nonce:016x}-{i}]]</p>")
}

/// Keep a chart or table for after sanitising; its placeholder meanwhile.
fn insert<'a>(fragment: Fragment, out: &mut Block) -> Event<'a> {
    out.inserts.push(fragment);
    Event::Html(format!("{}\n", placeholder(out.nonce, out.inserts.len() - 1)).into())
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
    let directive = directive(body, |name| {
        Ok(ChartDirective {
            series: name.to_string(),
            kind: None,
        })
    });
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
    let charts = out.inserts.iter().filter(|f| f.is_figure()).count();
    let id = format!("{}-chart-{}", opts.id_prefix, charts + 1);
    match Figure::trend(ds, directive.kind, &id).view() {
        Ok(figure) => insert(
            Fragment::Figure {
                figure: Box::new(figure),
            },
            out,
        ),
        Err(e) => {
            out.problems.push(problem(e, String::new()));
            Event::Html("".into())
        }
    }
}

/// What a fenced block says: YAML fields, or one name alone (`alone`).
fn directive<T: serde::de::DeserializeOwned>(
    body: &str,
    alone: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, String> {
    let trimmed = body.trim();
    if trimmed.contains(':') {
        serde_saphyr::from_str_with_options::<T>(trimmed, crate::yaml::options())
            .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
    } else {
        alone(trimmed)
    }
}

const CHART_HELP: &str =
    "write the series id alone, or `series: <id>` and optionally `kind: line` or `kind: column`";

/// What a ```table block says: a file name, or `file:` and `caption:`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TableDirective {
    file: String,
    caption: Option<String>,
}

const TABLE_HELP: &str = "write the file name alone (`training.csv`), or `file: training.csv` and optionally `caption: …`";

/// A data table from a file in the board's data folder, as HTML with
/// column and row headers.
fn table_placeholder<'a>(
    body: &str,
    offset: usize,
    opts: &BlockOptions,
    out: &mut Block,
) -> Event<'a> {
    let directive = directive(body, |name| {
        if name.is_empty() || name.contains('\n') {
            return Err("give one file name".to_string());
        }
        Ok(TableDirective {
            file: name.to_string(),
            caption: None,
        })
    });
    let directive = match directive {
        Ok(d) => d,
        Err(e) => {
            out.problems.push(Problem {
                offset,
                message: format!("cannot read this table block: {e}"),
                help: TABLE_HELP.into(),
            });
            return Event::Html("".into());
        }
    };
    match crate::data::table::read_table(opts.root, opts.data_dir, &directive.file) {
        Ok(table) => {
            let tables = out.inserts.iter().filter(|f| !f.is_figure()).count();
            let id = format!("{}-table-{}", opts.id_prefix, tables + 1);
            let caption = directive.caption.unwrap_or_else(|| {
                table
                    .file
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().to_string())
            });
            insert(
                Fragment::Html {
                    html: table_html(&table, &caption, &id),
                },
                out,
            )
        }
        Err(e) => {
            out.problems.push(Problem {
                offset,
                message: e.message,
                help: e.help,
            });
            Event::Html("".into())
        }
    }
}

/// A data table: a caption, column headers, each row headed by its first
/// cell; figures right-aligned. Every cell is escaped.
fn table_html(table: &crate::data::table::DataTable, caption: &str, id: &str) -> String {
    use crate::data::table::is_numeric;
    let numeric_column: Vec<bool> = (0..table.columns.len())
        .map(|i| {
            let cells: Vec<&str> = table
                .rows
                .iter()
                .filter_map(|r| r.get(i).map(String::as_str))
                .filter(|c| !c.is_empty())
                .collect();
            !cells.is_empty() && cells.iter().all(|c| is_numeric(c))
        })
        .collect();
    let class = |numeric: bool| if numeric { " class=\"numeric\"" } else { "" };
    let mut html = format!(
        // A wide table scrolls in its own box (focusable, so the keyboard
        // can scroll it) rather than making the page scroll sideways.
        "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-caption\">\n<table class=\"table data-table\" id=\"{id}\">\n<caption id=\"{id}-caption\">{}</caption>\n<thead>\n<tr>",
        escape(caption),
        id = escape(id),
    );
    for (i, h) in table.columns.iter().enumerate() {
        html.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            class(numeric_column[i]),
            escape(h)
        ));
    }
    html.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &table.rows {
        html.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let end = if i == 0 { "th" } else { "td" };
            html.push_str(&format!(
                "<{tag}{}>{}</{end}>",
                class(is_numeric(cell)),
                escape(cell)
            ));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n</div>\n");
    html
}

/// Render a short prose field from YAML. Markdown emphasis, links and code
/// work; any HTML is shown as text. A single paragraph loses its `<p>`.
///
/// A footnote (`[^1]`) is numbered within its field and its note shown at
/// the field's end, beside the words it belongs to, with no id or link: a
/// field can appear more than once on a page (a milestone in several of a
/// report's tables), and two fields may both write `[^1]`.
pub fn inline(text: &str) -> String {
    // Most milestone texts are plain sentences: skip the parser for them.
    if is_plain(text) {
        return text.trim().to_string();
    }
    let text = literal_start(text.trim_start());
    let mut notes: BTreeMap<String, usize> = BTreeMap::new();
    let mut number = move |label: &str| {
        let next = notes.len() + 1;
        *notes.entry(label.to_string()).or_insert(next)
    };
    let events = Parser::new_ext(&text, options()).map(|event| match event {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::FootnoteReference(label) => {
            Event::Html(format!("<sup class=\"footnote-ref\">{}</sup>", number(&label)).into())
        }
        Event::Start(Tag::FootnoteDefinition(label)) => Event::Html(
            format!(
                "<div class=\"footnote\"><span class=\"footnote__label\">{}</span>",
                number(&label)
            )
            .into(),
        ),
        Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>".into()),
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

/// Whether rendered inline Markdown holds blocks (paragraphs, lists, a
/// footnote), so that it needs a `<div>` around it rather than a `<span>`.
pub fn has_blocks(html: &str) -> bool {
    // What may follow a `<` that opens a block: one pass over the `<`s
    // rather than a search of the whole text for each tag.
    const BLOCKS: [&str; 14] = [
        "p>",
        "ul>",
        "ol",
        "div",
        "blockquote>",
        "table>",
        "pre>",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ];
    memchr::memchr_iter(b'<', html.as_bytes()).any(|at| {
        let after = &html.as_bytes()[at + 1..];
        BLOCKS.iter().any(|tag| after.starts_with(tag.as_bytes()))
    })
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
    if t.is_empty() || t.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-') {
        return false;
    }
    // One pass: every character plain, and no `..` or `--` (smart
    // punctuation's ellipsis and dashes). A lone hyphen inside a sentence
    // ("multi-agency", "2012-13") means nothing to Markdown; one at the
    // start could be a list, and is ruled out above.
    let bytes = t.as_bytes();
    let mut previous = b' ';
    let mut i = 0;
    // Sixteen bytes at a time while they are plain ASCII; the rest, or a
    // chunk with anything else in it, byte by byte.
    while let Some(chunk) = bytes
        .get(i..i + 16)
        .and_then(|c| <&[u8; 16]>::try_from(c).ok())
    {
        if !plain_chunk(chunk, previous) {
            break;
        }
        previous = chunk[15];
        i += 16;
    }
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if !plain_byte(b) || doubled(b, previous) {
                return false;
            }
            previous = b;
            i += 1;
        } else {
            // `i` is always at the start of a character.
            let c = t
                .get(i..)
                .and_then(|r| r.chars().next())
                .unwrap_or_default();
            if !(c.is_alphanumeric() || c == '\u{2019}') {
                return false;
            }
            previous = 0;
            i += c.len_utf8();
        }
    }
    true
}

/// Whether sixteen bytes are all plain ASCII with no `..` or `--`, the
/// byte before them being `previous`: what the byte loop of [`is_plain`]
/// decides, with no branch per byte, so that the compiler compares all
/// sixteen at once. Most of a plan's words are ASCII, and this is asked of
/// every milestone's text several times a build.
fn plain_chunk(chunk: &[u8; 16], previous: u8) -> bool {
    let mut before = [previous; 16];
    before[1..].copy_from_slice(&chunk[..15]);
    let bad = chunk
        .iter()
        .zip(&before)
        .fold(false, |bad, (&b, &p)| bad | !plain_byte(b) | doubled(b, p));
    !bad
}

/// The ASCII characters a plain sentence may hold: letters, digits, the
/// space and punctuation that means nothing to Markdown inside a line
/// (`( ) , - . / : ; % ?`). False for every byte over 127.
fn plain_byte(b: u8) -> bool {
    let within = |low: u8, high: u8| b.wrapping_sub(low) <= high - low;
    // `,` to `;` is `, - . /`, the digits, `:` and `;`.
    within(b'a', b'z')
        | within(b'A', b'Z')
        | within(b',', b';')
        | within(b'(', b')')
        | (b == b' ')
        | (b == b'%')
        | (b == b'?')
}

/// A second `.` or `-` in a row: smart punctuation's ellipsis and dashes.
fn doubled(b: u8, previous: u8) -> bool {
    ((b == b'.') | (b == b'-')) & (b == previous)
}

/// The words of a Markdown snippet without its markup, for captions,
/// contents entries and page titles.
pub fn plain(text: &str) -> String {
    // Every milestone's words are wanted on several pages: a plain sentence
    // is its own words (leading spaces could make it a code block).
    if is_plain(text) && !text.starts_with(char::is_whitespace) {
        return text.trim_end().to_string();
    }
    parsed_plain(text)
}

fn parsed_plain(text: &str) -> String {
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

/// The words of a Markdown block, for search: its text with blocks apart,
/// leaving out code blocks (and so chart and table directives) and HTML.
/// A rendered [`Block`] has them already.
pub fn words(text: &str) -> String {
    let mut words = Words::default();
    for e in Parser::new_ext(text, options()) {
        words.note(&e);
    }
    words.finish()
}

/// The words of a block gathered from its events as they are parsed.
#[derive(Default)]
struct Words {
    text: String,
    in_code: bool,
}

impl Words {
    fn note(&mut self, e: &Event) {
        match e {
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Text(t) | Event::Code(t) if !self.in_code => self.text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !self.text.ends_with(' ') => {
                self.text.push(' ')
            }
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        let end = self.text.trim_end().len();
        self.text.truncate(end);
        self.text
    }
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

/// Raw HTML made safe. `style` attributes are dropped (a style can cover
/// the page with a fake notice or hide its content), except the column
/// alignment that Markdown tables themselves write on `th` and `td`.
fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .attribute_filter(|_, attribute, value| match attribute {
            "style" => is_table_alignment(value).then_some(value.into()),
            _ => Some(value.into()),
        })
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .clean(html)
        .to_string()
}

/// What a page would load from other websites: each element's resource
/// (`<img src>`, `<video poster>`, `<iframe src>`, …) whose address names
/// a host not in `allowed`, as (what it is, the address, the host). Links
/// (`<a href>`) only lead elsewhere when followed, so they are not counted.
fn remote_resources(html: &str, allowed: &[String]) -> Vec<(String, String, String)> {
    const LOADS: &[(&str, &[&str], &str)] = &[
        ("img", &["src", "srcset"], "image"),
        ("source", &["src", "srcset"], "media source"),
        ("video", &["src", "poster"], "video"),
        ("audio", &["src"], "audio"),
        ("track", &["src"], "caption track"),
        ("iframe", &["src"], "frame"),
        ("embed", &["src"], "embedded file"),
        ("object", &["data"], "embedded object"),
        ("script", &["src"], "script"),
        ("link", &["href"], "linked file"),
        ("input", &["src"], "image"),
    ];
    if !html.contains("//") {
        return Vec::new();
    }
    let mut found = Vec::new();
    for token in html5gum::Tokenizer::new(html).flatten() {
        let html5gum::Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        let Some((_, attrs, what)) = LOADS.iter().find(|(t, _, _)| *t == name) else {
            continue;
        };
        for (attr, value) in &tag.attributes {
            let attr = String::from_utf8_lossy(attr).to_ascii_lowercase();
            if !attrs.contains(&attr.as_str()) {
                continue;
            }
            let value = String::from_utf8_lossy(&value.value).to_string();
            let urls: Vec<&str> = match attr.as_str() {
                "srcset" => value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect(),
                _ => vec![value.trim()],
            };
            for url in urls {
                if let Some(host) = remote_host(url)
                    && !allowed.iter().any(|a| a.trim().eq_ignore_ascii_case(&host))
                {
                    found.push((what.to_string(), url.to_string(), host));
                }
            }
        }
    }
    found
}

/// The host an address would be fetched from, if it is on another site.
fn remote_host(url: &str) -> Option<String> {
    let absolute = match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    };
    let parsed = url::Url::parse(&absolute).ok()?;
    match parsed.scheme() {
        "http" | "https" | "ftp" | "ws" | "wss" => parsed.host_str().map(str::to_ascii_lowercase),
        _ => None,
    }
}

/// `text-align: left` and the like, as pulldown-cmark writes a column's
/// alignment, and nothing else.
fn is_table_alignment(style: &str) -> bool {
    matches!(
        style.trim().trim_end_matches(';'),
        "text-align: left" | "text-align: center" | "text-align: right"
    )
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
    // `annual%20report.pdf` names the file `annual report.pdf`, as in a browser.
    let path = percent_encoding::percent_decode_str(&path)
        .decode_utf8()
        .map_or(path.clone(), |p| p.into_owned());
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
            // A space is not allowed in an address: written as %20.
            let href = format!("{}{}", opts.to_root, super::asset_url(&rel)).replace(' ', "%20");
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
    /// Each footnote's number, in order of first reference (a map, so
    /// that a text with thousands of footnotes costs no more per note).
    footnotes: BTreeMap<String, usize>,
}

impl IdMaker {
    fn new(prefix: &str) -> Self {
        IdMaker {
            prefix: prefix.to_string(),
            used: BTreeMap::new(),
            footnotes: BTreeMap::new(),
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
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_string()).or_insert(next)
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

/// Move every heading by as many levels as make the shallowest `base`.
/// Done once the section is read, rather than by reading it twice.
fn shift_headings(events: &mut [Event], shallowest: Option<HeadingLevel>, base: u8) {
    let shift = shallowest.map_or(0, |m| base as i8 - m as i8);
    if shift == 0 {
        return;
    }
    for event in events {
        match event {
            Event::Start(Tag::Heading { level, .. }) | Event::End(TagEnd::Heading(level)) => {
                *level = shifted(*level, shift);
            }
            _ => {}
        }
    }
}

fn shifted(level: HeadingLevel, shift: i8) -> HeadingLevel {
    let n = (level as i8 + shift).clamp(1, 6) as usize;
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_from_other_sites_are_found_unless_their_host_is_allowed() {
        let html = r#"<img src="chart.png" alt=""><img srcset="a.png 1x, //cdn.example.org/b.png 2x" alt=""><video poster="https://media.example.org/p.jpg"></video><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe><a href="https://example.org/">a link</a><img src="data:image/png;base64,AA==" alt="">"#;
        let found = remote_resources(html, &["WWW.youtube-nocookie.com".to_string()]);
        let shown: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|(w, u, h)| (w.as_str(), u.as_str(), h.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("image", "//cdn.example.org/b.png", "cdn.example.org"),
                (
                    "video",
                    "https://media.example.org/p.jpg",
                    "media.example.org"
                ),
            ]
        );
    }

    #[test]
    fn raw_html_loses_its_styles_but_tables_keep_their_alignment() {
        let text = "| Agency | Staff |\n|:--|--:|\n| Police | 12 |\n\n<p style=\"position:fixed;inset:0\">Notice</p>\n\n<table><tr><td style=\"position:fixed;top:0;left:0;width:100vw;height:100vh\">x</td><td style=\"text-align: center\">y</td></tr></table>\n";
        let html = render(text, false).html;
        assert!(!html.contains("position"), "{html}");
        assert!(
            html.contains("<th style=\"text-align: left\">Agency</th>"),
            "{html}"
        );
        assert!(
            html.contains("<td style=\"text-align: right\">12</td>"),
            "{html}"
        );
        assert!(html.contains("<td>x</td>"), "{html}");
        assert!(
            html.contains("<td style=\"text-align: center\">y</td>"),
            "{html}"
        );
    }

    #[test]
    fn a_rendered_block_has_the_words_a_second_parse_would_find() {
        for text in [
            "",
            "Plain words.",
            "# Heading\n\nA paragraph with *emphasis*, `code` and a [link](x.html).\n",
            "- one\n- two\n  continued\n\n1. first\n2. second\n",
            "> quoted\n> lines\n\nHard  \nbreak\n",
            "Before\n\n```chart\nseries: cla-rate\n```\n\nAfter {{figure:1}}.\n",
            "```\nleft out\n```\n\n    indented code\n\nkept",
            "<div>raw <b>html</b></div>\n\nText[^1].\n\n[^1]: The note.\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nTrailing   ",
        ] {
            assert_eq!(render(text, false).words, words(text), "{text:?}");
            assert_eq!(render(text, true).words, words(text), "{text:?}");
        }
    }

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
                data_dir: Path::new("content/data"),
                remote_hosts: &[],
            },
        )
    }

    /// A series `cla-rate`: Herefordshire (local) and England, 2023 to 2025,
    /// with 2023 suppressed for Herefordshire.
    fn datasets() -> BTreeMap<String, Dataset> {
        use crate::data::{Cell, Measure, Role, Series, SeriesSpec};
        let spec: SeriesSpec =
            serde_saphyr::from_str("title: T\nmeasure: rate-per-10000\nsource: S\n").unwrap();
        let series = |label: &str, role, cells: Vec<Cell>| Series {
            label: label.into(),
            role,
            cells,
        };
        let ds = Dataset {
            id: "cla-rate".into(),
            file: PathBuf::from("content/data/cla-rate.yaml"),
            spec,
            periods: vec!["2023".into(), "2024".into(), "2025".into()],
            series: vec![
                series(
                    "Herefordshire",
                    Role::Local,
                    vec![
                        Cell::Missing("c".into()),
                        Cell::Value(113.0),
                        Cell::Value(100.0),
                    ],
                ),
                series(
                    "England",
                    Role::England,
                    vec![Cell::Value(70.0), Cell::Value(69.0), Cell::Value(67.0)],
                ),
            ],
            data_notes: vec![],
        };
        assert_eq!(ds.spec.measure, Measure::RatePer10000);
        BTreeMap::from([("cla-rate".to_string(), ds)])
    }

    fn render_with_data(text: &str) -> Block {
        let sections = BTreeMap::new();
        let root = std::env::temp_dir();
        let data = datasets();
        block(
            text,
            &BlockOptions {
                id_prefix: "intro",
                base_level: 3,
                allow_raw_html: false,
                sections: &sections,
                dir: Path::new("content"),
                root: &root,
                to_root: "../",
                datasets: &data,
                broken_data: &Default::default(),
                data_dir: Path::new("content/data"),
                remote_hosts: &[],
            },
        )
    }

    #[test]
    fn figures_are_quoted_in_the_text_but_not_in_code() {
        let b = render_with_data(
            "The rate was {{value cla-rate local 2025}}, {{change cla-rate local 2025}}; \"England\" {{ value  cla-rate \"England\"\n2025 }}.\n\n`{{value cla-rate local 2025}}`\n\n```\n{{value cla-rate local 2025}}\n```\n",
        );
        assert!(b.problems.is_empty(), "{:?}", b.problems);
        assert!(
            b.html.contains(
                "The rate was 100, down 13 from 113 in 2024; \u{201c}England\u{201d} 67."
            ),
            "{}",
            b.html
        );
        assert!(
            b.html
                .contains("<code>{{value cla-rate local 2025}}</code>"),
            "{}",
            b.html
        );
        assert!(
            b.html
                .contains("<pre><code>{{value cla-rate local 2025}}\n</code></pre>"),
            "{}",
            b.html
        );
    }

    #[test]
    fn figure_problems_point_at_the_reference() {
        let text = "Para.\n\nSee *this*: {{value cla-rate local 2023}} and {{change cla-rate england 2023}} and {{value cla-rte local 2025}}.\n";
        let b = render_with_data(text);
        let offsets: Vec<usize> = b.problems.iter().map(|p| p.offset).collect();
        let at = |needle: &str| text.find(needle).unwrap();
        assert_eq!(
            offsets,
            [
                at("{{value cla-rate local 2023"),
                at("{{change"),
                at("{{value cla-rte")
            ]
        );
        assert!(
            b.problems[0]
                .message
                .contains("no figure for Herefordshire in 2023: suppressed"),
            "{:?}",
            b.problems[0]
        );
        assert!(
            b.problems[1].message.contains("no earlier period"),
            "{:?}",
            b.problems[1]
        );
        assert!(
            b.problems[2].help.contains("did you mean `cla-rate`?"),
            "{:?}",
            b.problems[2]
        );
        // Left as written.
        assert!(
            b.html.contains("{{value cla-rate local 2023}}"),
            "{}",
            b.html
        );
    }

    #[test]
    fn a_data_table_has_headers_and_escaped_cells() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("content/data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(
            data.join("t.csv"),
            "Agency,People\nPolice,\"1,340\"\n<b>Health</b>,c\n",
        )
        .unwrap();
        let sections = BTreeMap::new();
        let b = block(
            "<i>raw</i>\n\n```table\nfile: t.csv\ncaption: Training & more\n```\n",
            &BlockOptions {
                id_prefix: "intro",
                base_level: 3,
                allow_raw_html: false,
                sections: &sections,
                dir: Path::new("content"),
                root: root.path(),
                to_root: "../",
                datasets: &BTreeMap::new(),
                broken_data: &Default::default(),
                data_dir: Path::new("content/data"),
                remote_hosts: &[],
            },
        );
        let mut b = b;
        assert!(b.problems.is_empty(), "{:?}", b.problems);
        let html: String = b
            .fragments()
            .into_iter()
            .map(|f| match f {
                Fragment::Html { html } => html,
                Fragment::Figure { .. } => unreachable!(),
            })
            .collect();
        assert!(
            html.contains("<caption id=\"intro-table-1-caption\">Training &amp; more</caption>"),
            "{html}"
        );
        assert!(
            html.contains("<th scope=\"col\">Agency</th><th scope=\"col\">People</th>"),
            "{html}"
        );
        assert!(
            html.contains("<th scope=\"row\">Police</th><td class=\"numeric\">1,340</td>"),
            "{html}"
        );
        assert!(
            html.contains("<th scope=\"row\">&lt;b&gt;Health&lt;&#x2F;b&gt;</th><td>c</td>"),
            "{html}"
        );
        assert!(html.contains("id=\"intro-table-1\""), "{html}");
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

    /// The shallowest heading is found over the whole section, wherever it
    /// comes, before any heading is moved: a section that opens deeper than
    /// it goes later keeps its headings' order.
    #[test]
    fn headings_move_by_the_shallowest_wherever_it_comes() {
        let html = render("#### Detail\n\ntext\n\n## Overview\n\n### Part\n", false).html;
        for h in [
            "<h5 id=\"intro-detail\">",
            "<h3 id=\"intro-overview\">",
            "<h4 id=\"intro-part\">",
        ] {
            assert!(html.contains(h), "no {h} in {html}");
        }
        let flat = render("Only text, no heading.\n", false).html;
        assert!(!flat.contains("<h"), "{flat}");
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
    fn a_fields_footnote_is_numbered_within_it_and_shown_at_its_end() {
        let html = inline(
            "Audit 30 cases[^s] by March[^m].\n\n[^m]: Year end.\n\n[^s]: Chosen at random.\n",
        );
        assert!(!html.contains(" id="), "{html}");
        assert!(!html.contains("href"), "{html}");
        let html = html.replace('\n', "");
        let first = html
            .find("<sup class=\"footnote-ref\">1</sup>")
            .expect(&html);
        let second = html
            .find("<sup class=\"footnote-ref\">2</sup>")
            .expect(&html);
        assert!(first < second, "{html}");
        assert!(
            html.contains("<span class=\"footnote__label\">1</span><p>Chosen at random.</p>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"footnote__label\">2</span><p>Year end.</p>"),
            "{html}"
        );
        assert!(has_blocks(&html));
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
            "Develop multi-agency audits for 2012-13",
            "A - B, self-harm",
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
            "Model for Herefordshire MASH agreed.",
            "Train 200 practitioners (by March).",
            "Ask: who leads?  ",
            "Review thresholds; 50% of cases / audits",
            "Zoë\u{2019}s team, Ynys Môn",
            "   Three spaces before",
            "Develop multi-agency audits for 2012-13",
            "A - B, self-harm",
        ] {
            assert_eq!(plain(text), parsed_plain(text), "{text:?}");
        }
        for text in [
            "1. A list",
            "It's",
            "Wait...",
            "a -- b",
            "a --- b",
            "- a list",
            "-- a",
            "---",
            "*em*",
            "<b>",
            "a & b",
            "# heading",
        ] {
            assert!(!is_plain(text), "{text}");
        }
    }

    /// Character by character, as `is_plain` was before it read bytes.
    fn is_plain_by_chars(text: &str) -> bool {
        let t = text.trim();
        if t.is_empty() || t.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-') {
            return false;
        }
        let mut previous = ' ';
        t.chars().all(|c| {
            let plain = c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | ',' | '.' | ';' | ':' | '(' | ')' | '/' | '%' | '?' | '-' | '\u{2019}'
                );
            let doubled = (c == '.' || c == '-') && previous == c;
            previous = c;
            plain && !doubled
        })
    }

    #[test]
    fn plain_is_told_by_bytes_as_by_characters() {
        let alphabet = [
            'a',
            'Z',
            '7',
            ' ',
            '.',
            '-',
            ',',
            ';',
            ':',
            '(',
            '/',
            '%',
            '?',
            '*',
            '#',
            '<',
            '&',
            '\'',
            '\u{2019}',
            '\u{2013}',
            'é',
            'ŵ',
            '中',
            '\u{1F600}',
            '\u{a0}',
            '\t',
            '\n',
        ];
        let mut count = 0;
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    let text: String = [a, b, c].iter().collect();
                    for text in [text.clone(), format!("x{text}x"), format!("{text}{text}")] {
                        assert_eq!(is_plain(&text), is_plain_by_chars(&text), "{text:?}");
                        count += 1;
                    }
                }
            }
        }
        assert!(count > 50_000);
    }

    #[test]
    fn the_plain_bytes_are_the_plain_ascii_characters() {
        for b in 0..=u8::MAX {
            let by_chars = b.is_ascii() && is_plain_by_chars(&format!("a{}a", char::from(b)));
            assert_eq!(plain_byte(b), by_chars, "{b}");
        }
    }

    proptest::proptest! {
        /// Long texts are read sixteen bytes at a time: a mark or a doubled
        /// dot anywhere, across a chunk's edge too, is found as it is
        /// character by character.
        #[test]
        fn long_texts_are_told_plain_as_by_characters(
            before in "[a-zA-Z0-9 .,;:()/%?-]{0,40}",
            mark in "[*#<&'\u{2019}\u{e9}\t.a-]",
            after in "[a-z .-]{0,40}",
        ) {
            let text = format!("{before}{mark}{after}");
            proptest::prop_assert_eq!(is_plain(&text), is_plain_by_chars(&text));
        }
    }

    #[test]
    fn blocks_are_found_as_by_searching_for_each_tag() {
        let tags = [
            "<p>",
            "<ul>",
            "<ol",
            "<div",
            "<blockquote>",
            "<table>",
            "<pre>",
            "<hr",
            "<h1",
            "<h2",
            "<h3",
            "<h4",
            "<h5",
            "<h6",
        ];
        let texts = [
            "plain <em>words</em> and <a href=\"x\">a link</a>",
            "<p>one</p>",
            "a <ol start=\"2\"><li>x</li></ol>",
            "text<hr>",
            "<h6 id=\"x\">",
            "<pre",
            "<table class=\"t\">",
            "<",
            "",
            "<span>2 < 3</span> <ul>",
        ];
        for text in texts {
            let searched = tags.iter().any(|tag| text.contains(tag));
            assert_eq!(has_blocks(text), searched, "{text}");
        }
    }

    #[test]
    fn titles_that_look_like_lists_stay_words() {
        assert_eq!(inline("1. Tackle neglect"), "1. Tackle neglect");
        assert_eq!(inline("- Train staff"), "- Train staff");
        assert_eq!(inline("# of referrals"), "# of referrals");
        assert!(inline("Measures:\n\n- one\n- two").contains("<li>one</li>"));
        assert!(has_blocks(&inline("Measures:\n\n- one\n- two")));
        assert!(!has_blocks(&inline("The *Working Together* guide <p>")));
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
