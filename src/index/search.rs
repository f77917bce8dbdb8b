//! The board's search page: a search box, and every document's search
//! entries (`<document>/search.js`, made with the document by
//! `render::search`) loaded by script tags and indexed in the browser with
//! elasticlunr.js (`static/`) when the page opens. A board's narrative and
//! milestones index there in a fraction of a second, where building the
//! inverted index at build time took most of a national first build's
//! site-wide stage.

use super::BoardIndex;
use crate::render::Page;
use crate::render::pages::BoardPages;

/// The search page, loading the search entries of every document.
pub fn search_page(pages: &BoardPages, index: &BoardIndex) -> Page {
    let links = pages.links(1);
    let mut context = pages.head_context(&links);
    context.insert("current", "search");
    context.insert("documents", &index.documents.len());
    let mut scripts = vec![format!("{}static/elasticlunr.min.js", links.root)];
    scripts.extend(
        index
            .documents
            .iter()
            .map(|d| format!("../{}/search.js", d.slug)),
    );
    scripts.push(format!("{}static/search.js", links.root));
    context.insert("scripts", &scripts);
    Page {
        path: format!("{}search/index.html", pages.prefix),
        template: "search.html",
        context,
    }
}
