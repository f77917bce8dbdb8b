//! The theme: Tera templates and static files.
//!
//! The default theme in `themes/default/` is compiled into the binary, so a
//! site without a `themes/` folder builds. A site's own
//! `themes/<name>/templates/*.html` and `themes/<name>/static/**` replace the
//! built-in files one at a time (and may add new ones).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::Tera;

/// What a template is rendered with. Only this module names the template
/// engine, so a change of engine touches this file and the theme alone.
pub use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Spanned;

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, embedded at compile time.
const TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "macros.html",
    "home.html",
    "site_index.html",
    "document.html",
    "glossary.html",
    "structure.html",
    "standards.html",
    "milestone_table.html",
    "document_body.html",
    "print.html",
);

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
];

pub struct Theme {
    tera: Tera,
    /// Files for the output's `static/` folder, sorted by path.
    pub statics: Vec<(String, Vec<u8>)>,
    /// A hash of every template and static file, for [`crate::cache`].
    pub fingerprint: String,
}

/// Build the theme named in site.yaml (or `default`), with the site's overrides.
pub fn load_theme(
    root: &Path,
    name: Option<&Spanned<String>>,
    diags: &mut Diagnostics,
) -> Option<Theme> {
    let theme_name = name.map_or("default", |n| n.value.as_str());
    let dir = PathBuf::from("themes").join(theme_name);
    if theme_name != "default" && !root.join(&dir).is_dir() {
        diags.push(
            Diagnostic::new(
                "content/site.yaml",
                format!("the theme `{theme_name}` does not exist"),
            )
            .at(name.and_then(crate::diagnostics::pos))
            .help(format!(
                "create themes/{theme_name}/, or remove `theme` to use the built-in default theme"
            )),
        );
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
    for (name, rel) in theme_files(root, &dir.join("templates"), diags) {
        if let Ok(text) = crate::files::read_text(root, &rel).map_err(|e| diags.push(e.into())) {
            replace(&mut templates, name, text);
        }
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
    tera.autoescape_on(vec![".html"]);
    // Pages depend on the site's files alone: that keeps builds
    // reproducible and lets rebuilds trust their fingerprints.
    tera.register_function("get_env", |_: &HashMap<String, tera::Value>| {
        Err(tera::Error::msg(
            "get_env is not available in boardpress themes: pages are made from the site's files alone",
        ))
    });
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.push(Diagnostic::new(
            &dir,
            format!("the theme's templates do not compile: {}", error_chain(&e)),
        ));
        return None;
    }
    Some(Theme {
        tera,
        statics,
        fingerprint: print.finish().unwrap_or_default(),
    })
}

impl Theme {
    /// Render one template; an error comes back as its whole chain of causes.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, String> {
        self.tera
            .render(template, context)
            .map_err(|e| error_chain(&e))
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

/// Tera nests the useful part of an error in its sources.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}
