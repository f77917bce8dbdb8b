//! The theme: Tera 2 templates and static files.
//!
//! The default theme in `themes/default/` is compiled into the binary, so a
//! site without a `themes/` folder builds. A site's own
//! `themes/<name>/templates/*.html` and `themes/<name>/static/**` replace the
//! built-in files one at a time (and may add new ones). Components (Tera 2's
//! reusable pieces, in `components.html`) are global to the theme: templates
//! call them without importing anything.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use tera::{ErrorKind, Kwargs, State, Tera, Value};

/// What a template is rendered with. Only this module names the template
/// engine, so a change of engine touches this file and the theme alone.
pub use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::Spanned;

/// A view made into the templates' value once, to be given to many pages
/// or many rows: each context it is serialised into takes the same value
/// (Tera passes a value through, sharing its contents) rather than
/// building the view's map again. For templates only: serialised any
/// other way, its map's keys would come in no fixed order.
#[derive(Clone)]
pub struct Shared(Value);

impl Shared {
    pub fn new<T: serde::Serialize>(view: &T) -> Shared {
        // A view is strings, numbers and options: making it cannot fail.
        Shared(Value::try_from_serializable(view).unwrap_or_else(|_| Value::none()))
    }

    /// HTML that boardpress made, which templates print as it is.
    pub fn html(text: &str) -> Shared {
        Shared(Value::safe_string(text))
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Shared(..)")
    }
}

impl serde::Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Serialises HTML that boardpress made (a status tag, a milestone's
/// rendered words) as a string templates print as it is, so a theme need
/// not write `| safe` for it (which copies the string on every use). Any
/// other serialiser sees a plain string.
pub fn html<T, S>(text: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: AsRef<str> + ?Sized,
    S: serde::Serializer,
{
    serde::Serialize::serialize(&Value::safe_string(text.as_ref()), serializer)
}

/// A part of a page that boardpress wrote as the built-in templates draw
/// it, as templates get it in place of its view: `{html}` alone, which the
/// built-in templates print, rather than every field of the view made into
/// Tera's values for nothing.
pub struct HtmlOnly<'s>(pub &'s str);

impl serde::Serialize for HtmlOnly<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("html", &Value::safe_string(self.0))?;
        map.end()
    }
}

/// A view, with the HTML boardpress wrote for it where the built-in
/// templates would draw it: templates get that HTML alone ([`HtmlOnly`])
/// when there is some, and the view to draw when not.
pub struct Written<V> {
    pub view: V,
    html: Option<String>,
}

impl<V> Written<V> {
    /// `view`, written by `write` when `written` (the caller's word that
    /// the templates that would draw it are the built-in ones).
    pub fn new(view: V, written: bool, write: impl FnOnce(&V, &mut String)) -> Written<V> {
        let html = written.then(|| {
            let mut out = String::new();
            write(&view, &mut out);
            out
        });
        Written { view, html }
    }
}

impl<V: serde::Serialize> serde::Serialize for Written<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.html {
            Some(html) => HtmlOnly(html).serialize(serializer),
            None => self.view.serialize(serializer),
        }
    }
}

/// [`html`] for HTML a view may not have.
pub fn html_opt<S: serde::Serializer>(
    text: &Option<String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match text {
        Some(text) => html(text, serializer),
        None => serializer.serialize_none(),
    }
}

/// [`html`] for a list of pieces of HTML.
pub fn html_list<S: serde::Serializer>(texts: &[String], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(texts.iter().map(|t| Value::safe_string(t)))
}

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, embedded at compile time.
const TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "components.html",
    "home.html",
    "site_index.html",
    "document.html",
    "glossary.html",
    "structure.html",
    "standards.html",
    "milestone_table.html",
    "priorities.html",
    "milestone_row.html",
    "report.html",
    "leads.html",
    "lead.html",
    "lead_row.html",
    "tracker.html",
    "tracker_row.html",
    "search.html",
    "site_agency.html",
    "site_tracker.html",
    "document_body.html",
    "status_tag.html",
    "accessibility.html",
    "404.html",
);

/// Functions a theme author may know from Tera 1 or `tera-contrib` that
/// would make pages depend on more than the site's files. Tera 2 itself has
/// none of them (its only functions are `range` and `throw`, and no filter
/// reads the environment, a file or the clock); they are defined here so
/// that a template calling one compiles and then fails with this message,
/// rather than with "Unknown function".
const UNAVAILABLE: &[(&str, &str)] = &[
    (
        "get_env",
        "get_env is not available in boardpress themes: pages are made from the site's files alone",
    ),
    (
        "now",
        "now is not available in boardpress themes: pages are made from the site's files alone, so a rebuild of unchanged files gives the same pages",
    ),
];

/// The default theme's static files, copied to `static/` in the output.
const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "print.css",
        include_bytes!("../../themes/default/static/print.css"),
    ),
    (
        "tracker.js",
        include_bytes!("../../themes/default/static/tracker.js"),
    ),
    (
        "print.js",
        include_bytes!("../../themes/default/static/print.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    // elasticlunr.js 0.9.5 as published on npm (MIT licence, in its header).
    (
        "elasticlunr.min.js",
        include_bytes!("../../themes/default/static/elasticlunr.min.js"),
    ),
];

/// How a table's rows are laid out: what comes before and after each, as
/// a `{% for %}` loop's body indented so puts them.
pub struct RowLayout {
    pub before: &'static str,
    pub after: &'static str,
}

pub struct Theme {
    tera: Tera,
    /// The size of the last page rendered from each template, to size the
    /// next one's buffer: growing a page of hundreds of kilobytes by
    /// doubling copied it several times (about 2% of a build's work).
    sizes: HashMap<String, AtomicUsize>,
    /// Files for the output's `static/` folder, sorted by path.
    pub statics: Vec<(String, Vec<u8>)>,
    /// A hash of every template and static file, for [`crate::cache`].
    pub fingerprint: String,
    /// The templates the site's theme supplies itself.
    own: Vec<String>,
    /// Whether [`KEY_FIGURE`] compiled (a theme may have no `figure`
    /// component, if its pages never call it).
    key_figure: bool,
}

/// A template of boardpress's own that renders one figure with the theme's
/// `figure` component, as `document_body.html` calls it for a key figure.
const KEY_FIGURE: &str = "boardpress-key-figure.html";

/// Build the theme named in site.yaml (or `default`), with the site's overrides.
/// A mistake in site.yaml's `theme:`, at its value.
fn theme_problem(name: Option<&Spanned<String>>, message: String, help: String) -> Diagnostic {
    Diagnostic::new("content/site.yaml", message)
        .at(name.and_then(crate::diagnostics::pos))
        .help(help)
}

pub fn load_theme(
    root: &Path,
    name: Option<&Spanned<String>>,
    diags: &mut Diagnostics,
) -> Option<Theme> {
    let theme_name = name.map_or("default", |n| n.value.as_str());
    if theme_name.contains(['/', '\\', ':']) || theme_name.starts_with('.') {
        let folder = theme_name
            .rsplit(['/', '\\', ':'])
            .find(|p| !p.is_empty() && !p.starts_with('.'))
            .unwrap_or("council");
        diags.push(theme_problem(
            name,
            format!("`{theme_name}` is a path, but a theme is named by its folder in themes/"),
            format!(
                "put the theme in themes/{folder}/ in the site's folder and write `theme: {folder}`; a theme elsewhere on the computer is never read"
            ),
        ));
        return None;
    }
    let dir = PathBuf::from("themes").join(theme_name);
    if theme_name != "default" && !root.join(&dir).is_dir() {
        diags.push(theme_problem(
            name,
            format!("the theme `{theme_name}` does not exist"),
            format!(
                "create themes/{theme_name}/, or remove `theme` to use the built-in default theme"
            ),
        ));
        return None;
    }
    let mut templates: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut statics: Vec<(String, Vec<u8>)> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    // The templates the site supplies itself, to tell an author whether a
    // template that does not compile is theirs or a built-in one.
    let mut own = Vec::new();
    for (name, rel) in theme_files(root, &dir.join("templates"), diags) {
        if let Ok(text) = crate::files::read_text(root, &rel).map_err(|e| diags.push(e.into())) {
            own.push(name.clone());
            replace(&mut templates, name, text);
        }
    }
    if own.iter().any(|n| n == "print.html") {
        diags.warn(
            Diagnostic::new(dir.join("templates/print.html"), "this template is no longer used: a document's page is its own print version, and PDFs are made from it")
                .help("move what it changed into the theme's static/print.css, which the document page links for print, then delete print.html"),
        );
    }
    for (name, rel) in theme_files(root, &dir.join("static"), diags) {
        if let Ok(bytes) = crate::files::read_bytes(root, &rel).map_err(|e| diags.push(e.into())) {
            replace(&mut statics, name, bytes);
        }
    }
    statics.sort_by(|a, b| a.0.cmp(&b.0));
    let mut print = crate::cache::Fingerprint::new();
    for (name, text) in &templates {
        print.add(&format!("templates/{name}"), text.as_bytes());
    }
    for (name, bytes) in &statics {
        print.add(&format!("static/{name}"), bytes);
    }
    let mut tera = Tera::default();
    tera.autoescape_on([".html"]);
    tera.set_escape_fn(escape_html);
    // Pages depend on the site's files alone: that keeps builds
    // reproducible and lets rebuilds trust their fingerprints.
    for &(function, why) in UNAVAILABLE {
        tera.register_function(function, move |_: Kwargs, _: &State| {
            Err::<Value, _>(tera::Error::message(why))
        });
    }
    // With boardpress's own template, compiled in the same batch (a batch
    // is checked as a whole, so a second would check them all again); then
    // without it, if the theme has no `figure` component or has a mistake.
    let theirs = || templates.iter().map(|(n, t)| (n.as_str(), t.as_str()));
    let ours = std::iter::once((KEY_FIGURE, "{{<figure f={f} />}}"));
    let key_figure = tera.add_raw_templates(theirs().chain(ours)).is_ok();
    if !key_figure && let Err(e) = tera.add_raw_templates(theirs()) {
        diags.extend(compile_diagnostics(&dir, &e, &templates, &own));
        return None;
    }
    let sizes = templates
        .iter()
        .map(|(name, _)| (name.clone(), AtomicUsize::new(0)))
        .collect();
    Some(Theme {
        tera,
        sizes,
        statics,
        fingerprint: print.finish().unwrap_or_default(),
        own,
        key_figure,
    })
}

impl Theme {
    /// Whether `template` is the built-in one: the site's theme does not
    /// supply its own.
    pub fn is_builtin(&self, template: &str) -> bool {
        !self.own.iter().any(|n| n == template)
    }

    /// A key figure as the theme's `figure` component shows it, rendered
    /// once for all of a board's documents rather than once per document
    /// (the built-in `document_body.html` prints it when it is there). None
    /// when the component fails: the document's page then calls it itself,
    /// and reports the error where it is called.
    pub fn key_figure_html<T: serde::Serialize>(&self, figure: &T) -> Option<String> {
        if !self.key_figure {
            return None;
        }
        let mut context = Context::new();
        context.insert("f", figure);
        self.tera.render(KEY_FIGURE, &context).ok()
    }

    /// Render one template. An error names the template where it happened
    /// (a component's or an included template's, not only the page's) with
    /// its line and column, and where it was called from.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, String> {
        self.tera
            .render(template, context)
            .map_err(|e| render_error(&e))
    }

    /// Render one template onto the end of `out`, as [`Theme::render`]
    /// does. Pages are written as bytes, so this skips the check that the
    /// output is UTF-8 (it is: every template and value is a `str`).
    pub fn render_into(
        &self,
        template: &str,
        context: &Context,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        let size = self.sizes.get(template);
        let start = out.len();
        // An eighth more, for a page a little longer than the last and the
        // end of a shell that may follow.
        let last = size.map_or(0, |s| s.load(Ordering::Relaxed));
        out.reserve(last + last / 8);
        self.tera
            .render_to(template, context, &mut *out)
            .map_err(|e| render_error(&e))?;
        if let Some(s) = size {
            s.store(out.len() - start, Ordering::Relaxed);
        }
        // A page much shorter than the last one (a lead's after an agency's,
        // from the same template) gives back the room it did not use, as
        // pages are kept until they are written.
        if out.capacity() > out.len() + out.len() / 4 + 4096 {
            out.shrink_to_fit();
        }
        Ok(())
    }

    /// `rows` as `template` renders each, given `r` and whatever `context`
    /// holds, laid out as `layout` says; written by `write` instead while
    /// `builtin` (the caller's word that `template`, and anything it calls,
    /// is the built-in one that `write` writes byte for byte). Tables a
    /// national site lists by the hundred thousand are made so: making
    /// every row into Tera's values and reading them back through its
    /// interpreter was about three tenths of a build's instructions.
    pub fn rows_html<R: serde::Serialize>(
        &self,
        (template, builtin): (&str, bool),
        rows: &[R],
        context: &mut Context,
        layout: RowLayout,
        write: impl Fn(&R, &mut String),
    ) -> Result<String, String> {
        let mut out = String::with_capacity(1024);
        let mut own = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            out.push_str(layout.before);
            if builtin {
                write(r, &mut out);
            } else {
                context.insert("r", r);
                own.clear();
                self.render_into(template, context, &mut own)?;
                out.push_str(&String::from_utf8_lossy(&own));
            }
            out.push_str(layout.after);
            if i == 0 {
                // Room for the rest at the first row's length and an eighth
                // more, rather than growing (and copying) as the table fills.
                out.reserve(out.len() * (rows.len() - 1) * 9 / 8);
            }
        }
        Ok(out)
    }
}

fn replace<T>(list: &mut Vec<(String, T)>, name: String, value: T) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => list.push((name, value)),
    }
}

/// Files under a theme folder as (name relative to that folder, path relative to root).
fn theme_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    if !root.join(dir).is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root.join(dir))
        .follow_links(false)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        if entry.path_is_symlink() {
            diags.push(Diagnostic::new(rel, "symbolic links are not followed"));
            continue;
        }
        if entry.file_type().is_file()
            && let Ok(name) = entry.path().strip_prefix(root.join(dir))
        {
            out.push((crate::files::display_path(name), rel.to_path_buf()));
        }
    }
    out
}

/// `text` escaped as templates escape a value, as a string of its own.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// `text` escaped onto the end of `out`, as templates escape a value
/// ([`escape_html`], without its buffering for a writer behind `dyn`): for
/// the rows boardpress writes itself.
pub fn escape_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(at) = next_special(&bytes[start..]) {
        let i = start + at;
        // Only ASCII bytes are replaced, so `i` is on a character boundary.
        out.push_str(&text[start..i]);
        out.push_str(entity_str(bytes[i]));
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// Text escaped for HTML and SVG, as templates escape it: the one escaper
/// of boardpress's own markup (chart labels inside SVG).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// Tera 1's HTML escaping, which Tera 2's default differs from (`'` became
/// `&#39;` and `/` is no longer escaped): kept so that pages stay byte for
/// byte what they were, and so that every page a rebuild keeps matches one
/// it renders again.
fn escape_html(input: &str, out: &mut dyn Write) -> io::Result<()> {
    let bytes = input.as_bytes();
    let Some(first) = next_special(bytes) else {
        return out.write_all(bytes);
    };
    // The escaped text is gathered on the stack and written in one go:
    // written piece by piece around each entity, a link's slashes made
    // each of its values many writes through `dyn Write`.
    let mut buf = Gathered {
        out,
        buf: [0; GATHERED],
        len: 0,
    };
    let mut start = 0;
    let mut next = Some(first);
    while let Some(at) = next {
        let i = start + at;
        // Only ASCII bytes are replaced, so each slice is whole UTF-8.
        buf.push(&bytes[start..i])?;
        buf.push(entity(bytes[i]).unwrap_or_default())?;
        start = i + 1;
        next = next_special(&bytes[start..]);
    }
    buf.push(&bytes[start..])?;
    buf.flush()
}

/// Where the first byte HTML escapes is. Every value a page shows is
/// searched so, most of them short and finding none: sixteen bytes are
/// tested at a time, straight from the text; the last few as part of the
/// last sixteen (bytes already found plain, so only a new one can be
/// special), or one by one in a text shorter than that. (Copying the last
/// few into sixteen zeros instead cost a call to `memcpy` and a stalled
/// load per value: 3% of a first build.)
fn next_special(bytes: &[u8]) -> Option<usize> {
    let (chunks, rest) = bytes.as_chunks::<16>();
    for (n, chunk) in chunks.iter().enumerate() {
        if let Some(i) = special_in(chunk) {
            return Some(n * 16 + i);
        }
    }
    if rest.is_empty() {
        return None;
    }
    let last = bytes.len().saturating_sub(16);
    match bytes
        .get(last..)
        .and_then(|b| <&[u8; 16]>::try_from(b).ok())
    {
        Some(window) => special_in(window).map(|i| last + i),
        None => rest.iter().position(|&b| is_special(b)),
    }
}

/// The first special byte of sixteen. Written as one comparison per
/// special byte across the sixteen, with no branch, so the compiler makes
/// it a few vector instructions (about 30 for the sixteen, against four or
/// more a byte tested one by one).
#[inline]
fn special_in(chunk: &[u8; 16]) -> Option<usize> {
    let mut found = [0u8; 16];
    for special in SPECIAL {
        for (f, &b) in found.iter_mut().zip(chunk) {
            *f |= u8::from(b == special).wrapping_neg();
        }
    }
    let found = u128::from_le_bytes(found);
    (found != 0).then(|| found.trailing_zeros() as usize / 8)
}

fn is_special(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'/')
}

/// The bytes [`entity`] replaces.
const SPECIAL: [u8; 6] = [b'&', b'<', b'>', b'"', b'\'', b'/'];

/// What a byte is written as in HTML, if not as itself.
fn entity(b: u8) -> Option<&'static [u8]> {
    Some(entity_str(b))
        .filter(|e| !e.is_empty())
        .map(str::as_bytes)
}

/// [`entity`] as text; `""` for a byte that is not replaced.
fn entity_str(b: u8) -> &'static str {
    match b {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#x27;",
        b'/' => "&#x2F;",
        _ => "",
    }
}

const GATHERED: usize = 128;

/// Bytes on their way to `out`, kept until there are [`GATHERED`].
struct Gathered<'a> {
    out: &'a mut dyn Write,
    buf: [u8; GATHERED],
    len: usize,
}

impl Gathered<'_> {
    fn push(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.len + bytes.len() > GATHERED {
            self.flush()?;
            if bytes.len() > GATHERED {
                return self.out.write_all(bytes);
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        let len = std::mem::take(&mut self.len);
        self.out.write_all(&self.buf[..len])
    }
}

/// One problem that Tera 2 located in a template.
#[derive(Debug, PartialEq, Eq)]
struct Located {
    message: String,
    template: String,
    at: Position,
    /// Where a component or included template was called from, innermost first.
    called_from: Vec<String>,
}

/// Tera 2 reports a problem as `error: <message>`, then ` --> <template>:<line>:<column>`,
/// the quoted line and any `note: called from <template>:<line>:<column>`.
/// Several reports (all the unknown filters, components… of a theme) come
/// joined in one message; this reads each of them.
fn read_reports(text: &str) -> Vec<Located> {
    let mut found: Vec<Located> = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let Some(place) = line.trim_start().strip_prefix("--> ") {
            if let (Some(message), Some((template, at))) = (message.take(), read_place(place)) {
                found.push(Located {
                    message,
                    template,
                    at,
                    called_from: Vec::new(),
                });
            }
        } else if let Some(place) = line.strip_prefix("note: called from ")
            && let Some(last) = found.last_mut()
        {
            last.called_from.push(place.to_string());
        }
    }
    found
}

/// `<template>:<line>:<column>` (a template's name may itself hold a `:`).
fn read_place(place: &str) -> Option<(String, Position)> {
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let template = parts.next()?;
    Some((template.to_string(), Position::new(line, column)))
}

/// The problems Tera 2 located in an error: its own report when it has one
/// (a syntax or render error), else the reports joined in its message.
fn located(e: &tera::Error) -> Vec<Located> {
    let text = error_chain(e);
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            vec![Located {
                message: report.message().to_string(),
                template: report.filename().to_string(),
                // Tera counts columns from 0.
                at: Position::new(span.start_line, span.start_col + 1),
                // The calls are only in the report's text.
                called_from: read_reports(&text)
                    .into_iter()
                    .next()
                    .map(|r| r.called_from)
                    .unwrap_or_default(),
            }]
        }
        _ => read_reports(&text),
    }
}

/// A render error as one line: Tera 2's message, the template, line and
/// column it points at, and the chain of calls that led there.
fn render_error(e: &tera::Error) -> String {
    let Some(first) = located(e).into_iter().next() else {
        return error_chain(e);
    };
    let mut out = format!(
        "{} (in {}, line {}, column {}",
        first.message, first.template, first.at.line, first.at.column
    );
    for place in &first.called_from {
        out.push_str(&format!("; called from {place}"));
    }
    out.push(')');
    out
}

/// A theme that does not compile: one diagnostic for each problem Tera 2
/// located, naming the template file to edit and pointing at the line and
/// column; anything unlocated is reported against the theme folder.
fn compile_diagnostics(
    dir: &Path,
    e: &tera::Error,
    templates: &[(String, String)],
    own: &[String],
) -> Vec<Diagnostic> {
    let mut found = located(e);
    if let ErrorKind::MissingParent { current, parent } = e.kind() {
        found.push(Located {
            message: format!("it extends `{parent}`, which is not a template of the theme"),
            template: current.clone(),
            // `extends` comes first in a template.
            at: Position::new(1, 1),
            called_from: Vec::new(),
        });
    }
    if found.is_empty() {
        return vec![Diagnostic::new(
            dir,
            format!("the theme's templates do not compile: {}", error_chain(e)),
        )];
    }
    found
        .into_iter()
        .map(|p| {
            let source = templates
                .iter()
                .find(|(n, _)| *n == p.template)
                .map_or("", |(_, t)| t.as_str());
            let theirs = own.contains(&p.template);
            let d = Diagnostic::new(
                dir.join("templates").join(&p.template),
                format!(
                    "{} does not compile: {}",
                    if theirs { "the template" } else { "the built-in template" },
                    p.message
                ),
            )
            .at(Some(p.at));
            if source.contains("{% macro") || source.contains("{% import") {
                d.help(
                    "boardpress themes use Tera 2, which has no macros: define a component \
                     (`{% component name(arg) %}…{% endcomponent name %}`, as in the built-in \
                     components.html) and call it as `{{<name arg={value} />}}`, without an import",
                )
            } else if theirs {
                d.help("compare it with the built-in template of the same name (themes/default/templates in boardpress's sources)")
            } else {
                d.help(format!(
                    "the built-in {} uses what it names from your theme's templates: keep every \
                     component of the built-in components.html in yours, or override {} too",
                    p.template, p.template
                ))
            }
        })
        .collect()
}

/// A Tera error with the causes it nests in its sources.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        escape_html(text, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    proptest::proptest! {
        /// The rows boardpress writes itself escape as Tera's escape
        /// function does, whatever the text: long or short, with entities
        /// anywhere (at a sixteen-byte chunk's edge too) and any Unicode.
        #[test]
        fn escaping_into_a_string_is_the_templates_escaping(
            text in "([a-z &<>\"'/]{0,40}|\\PC{0,40}){1,4}"
        ) {
            let mut out = "before".to_string();
            escape_into(&text, &mut out);
            proptest::prop_assert_eq!(out, format!("before{}", escaped(&text)));
        }
    }

    #[test]
    fn html_boardpress_made_prints_as_it_is_with_or_without_safe() {
        #[derive(serde::Serialize)]
        struct View<'a> {
            #[serde(serialize_with = "html")]
            tag: &'a str,
            text: &'a str,
        }
        let markup = "<span class=\"status\">On track / Green</span>";
        let view = View {
            tag: markup,
            text: markup,
        };
        let mut tera = Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_template("t.html", "{{ v.tag }}|{{ v.tag | safe }}|{{ v.text }}")
            .unwrap();
        let mut context = Context::new();
        context.insert("v", &view);
        let page = tera.render("t.html", &context).unwrap();
        assert_eq!(page, format!("{markup}|{markup}|{}", escaped(markup)));
        // Anywhere else (a summary, a search entry) it is a plain string.
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            serde_json::to_string(&serde_json::json!({"tag": markup, "text": markup})).unwrap()
        );
    }

    #[test]
    fn escaping_is_tera_1s() {
        assert_eq!(
            escaped(r#"<a href='../x'>Tom & "Jerry"</a>"#),
            "&lt;a href=&#x27;..&#x2F;x&#x27;&gt;Tom &amp; &quot;Jerry&quot;&lt;&#x2F;a&gt;"
        );
        assert_eq!(escaped("Café – naïve"), "Café – naïve");
        assert_eq!(escaped(""), "");
    }

    #[test]
    fn the_bytes_searched_for_are_the_bytes_replaced() {
        for b in 0..=u8::MAX {
            assert_eq!(SPECIAL.contains(&b), entity(b).is_some(), "{b}");
            assert_eq!(SPECIAL.contains(&b), is_special(b), "{b}");
        }
    }

    proptest::proptest! {
        /// The escaper searches sixteen bytes at a time: it finds every
        /// special byte wherever it falls, as a byte-by-byte escaper would.
        #[test]
        fn escaping_matches_escaping_byte_by_byte(text in "[a-z &<>\"'/é.]{0,70}") {
            let by_byte: String = text
                .chars()
                .map(|c| {
                    let mut b = [0; 4];
                    let bytes = c.encode_utf8(&mut b).as_bytes();
                    let replaced = entity(bytes[0]).unwrap_or(bytes);
                    String::from_utf8(replaced.to_vec()).unwrap()
                })
                .collect();
            proptest::prop_assert_eq!(escaped(&text), by_byte);
        }
    }

    /// A site whose theme folder holds these templates.
    fn site(templates: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&folder).unwrap();
        for (name, text) in templates {
            std::fs::write(folder.join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn a_template_that_does_not_compile_is_named_and_located() {
        let dir = site(&[
            (
                "home.html",
                "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n",
            ),
            ("extra.html", "<p>\n  {{ x | shout }}</p>\n{{<nothing />}}"),
        ]);
        let mut diags = Diagnostics::default();
        assert!(load_theme(dir.path(), None, &mut diags).is_none());
        let found: Vec<(String, String)> = diags
            .sorted()
            .iter()
            .map(|d| (d.location(), d.message.clone()))
            .collect();
        assert_eq!(
            found,
            [(
                "themes/default/templates/home.html:2:4".to_string(),
                "the template does not compile: Unknown tag".to_string()
            )],
            "{diags}"
        );
        assert!(diags.render().contains("which has no macros"), "{diags}");

        // Once it parses, every unknown name is reported at once.
        let dir = site(&[("extra.html", "<p>\n  {{ x | shout }}</p>\n{{<nothing />}}")]);
        let mut diags = Diagnostics::default();
        assert!(load_theme(dir.path(), None, &mut diags).is_none());
        let found: Vec<String> = diags
            .sorted()
            .iter()
            .map(|d| format!("{}: {}", d.location(), d.message))
            .collect();
        assert_eq!(
            found,
            [
                "themes/default/templates/extra.html:2:10: the template does not compile: Unknown filter `shout`",
                "themes/default/templates/extra.html:3:3: the template does not compile: Unknown component `nothing`",
            ],
            "{diags}"
        );
    }

    #[test]
    fn a_template_extending_a_missing_one_is_named() {
        let dir = site(&[("page.html", "{% extends \"layout.html\" %}")]);
        let mut diags = Diagnostics::default();
        assert!(load_theme(dir.path(), None, &mut diags).is_none());
        let found: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 1, "{diags}");
        assert!(
            found[0].starts_with(
                "themes/default/templates/page.html:1:1: the template does not compile: it extends `layout.html`"
            ),
            "{diags}"
        );
    }

    #[test]
    fn a_built_in_template_missing_a_component_says_so() {
        let dir = site(&[("components.html", "{# none #}")]);
        let mut diags = Diagnostics::default();
        assert!(load_theme(dir.path(), None, &mut diags).is_none());
        // Where the call is moves as the built-in home.html changes.
        let line = TEMPLATES
            .iter()
            .find(|(n, _)| *n == "home.html")
            .and_then(|(_, t)| t.lines().position(|l| l.contains("{{<principles ")))
            .expect("home.html calls principles")
            + 1;
        let home = diags
            .sorted()
            .into_iter()
            .find(|d| {
                d.message.ends_with("Unknown component `principles`")
                    && d.file == Path::new("themes/default/templates/home.html")
            })
            .cloned()
            .unwrap_or_else(|| panic!("{diags}"));
        assert_eq!(home.file, Path::new("themes/default/templates/home.html"));
        assert_eq!(home.position.map(|p| p.line), Some(line));
        assert!(
            home.message
                .starts_with("the built-in template does not compile"),
            "{home}"
        );
        assert!(
            home.help
                .unwrap_or_default()
                .contains("keep every component"),
            "{diags}"
        );
    }

    #[test]
    fn a_render_error_names_the_template_the_place_and_the_call() {
        let dir = site(&[
            (
                "cards.html",
                "{% component card(item: map) %}\n<b>{{ item.nmae }}</b>{% endcomponent card %}",
            ),
            ("page.html", "<div>\n  {{<card item={thing} />}}</div>"),
        ]);
        let mut diags = Diagnostics::default();
        let theme = load_theme(dir.path(), None, &mut diags).unwrap_or_else(|| panic!("{diags}"));
        let mut context = Context::new();
        context.insert("thing", &serde_json::json!({"name": "x"}));
        let e = theme.render("page.html", &context).unwrap_err();
        assert_eq!(
            e,
            "Field `nmae` is not defined. Available fields: name \
             (in cards.html, line 2, column 12; called from page.html:2:5)"
        );
    }

    #[test]
    fn templates_cannot_read_the_environment_or_the_clock() {
        for (function, why) in UNAVAILABLE {
            let dir = site(&[("page.html", &format!("{{{{ {function}(name=\"HOME\") }}}}"))]);
            let mut diags = Diagnostics::default();
            let theme =
                load_theme(dir.path(), None, &mut diags).unwrap_or_else(|| panic!("{diags}"));
            let e = theme.render("page.html", &Context::new()).unwrap_err();
            assert!(e.starts_with(why), "{e}");
        }
    }

    #[test]
    fn a_board_without_a_short_name_is_escaped_once() {
        // Tera 1's `default` escaped its fallback twice: "O&amp;#x27;Brien".
        let mut diags = Diagnostics::default();
        let theme = load_theme(Path::new("/nonexistent"), None, &mut diags).unwrap();
        let mut context = Context::new();
        context.insert(
            "page",
            &serde_json::json!({
                "lang": "en-GB",
                "site_title": "S",
                "multi_board": false,
                "links": {"stylesheet": "s.css", "board_home": "../index.html", "site_home": "../index.html",
                          "glossary": "index.html", "structure": null, "standards": null},
                "board": {"name": "O'Brien & Sons", "short_name": null, "logo": null,
                          "glossary": [{"term": "A/B", "meaning": "<b>"}]},
            }),
        );
        context.insert("current", "glossary");
        let html = theme.render("glossary.html", &context).unwrap();
        assert!(
            html.contains("terms used in O&#x27;Brien &amp; Sons's plans"),
            "{html}"
        );
        assert!(
            html.contains("<dt>A&#x2F;B</dt><dd>&lt;b&gt;</dd>"),
            "{html}"
        );
        context.insert(
            "page",
            &serde_json::json!({
                "lang": "en-GB", "site_title": "S", "multi_board": false,
                "links": {"stylesheet": "s.css", "board_home": "../index.html", "site_home": "../index.html",
                          "glossary": "index.html", "structure": null, "standards": null},
                "board": {"name": "O'Brien & Sons", "short_name": "OBS", "logo": null, "glossary": []},
            }),
        );
        let html = theme.render("glossary.html", &context).unwrap();
        assert!(html.contains("terms used in OBS's plans"), "{html}");
    }
}
