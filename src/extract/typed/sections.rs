//! Sections of a region: the parts headed by a heading that a typed
//! extractor accepts (a product's "other products", a thread's "other
//! threads"), and the region's footers and sidebars.

use scraper::node::Element;
use scraper::ElementRef;

use super::repeated::Layout;
use crate::extract::generic::dom::{Page, NONE};

/// Longest line (characters) read as a section heading.
pub(super) const MAX_HEADING_CHARS: usize = 60;

/// The sections inside element `root` whose heading `heads` accepts: each
/// such heading (an `h1`-`h6`, `role="heading"`, an element whose class
/// or id names a title, or any element without links whose whole text
/// `heads` accepts: script-styled pages head sections with a `<span>`)
/// grown to its outermost container that starts with it and holds at most
/// `max_share` of `root`'s text (a heading whose container holds more is
/// the section alone).
pub(super) fn headed_sections(
    page: &Page<'_>,
    layout: &Layout,
    root: u32,
    max_share: f64,
    heads: impl Fn(&str) -> bool,
) -> Vec<u32> {
    let max_chars = max_share * layout.text(page, root).0 as f64;
    let mut sections = Vec::new();
    let mut i = root as usize + 1;
    let end = page.elems[root as usize].end as usize;
    while i < end {
        let e = &page.elems[i];
        let (chars, link) = layout.text(page, i as u32);
        let heading = !layout.blocked[i]
            && chars > 0
            && chars as usize <= MAX_HEADING_CHARS
            && e.element()
                .is_some_and(|el| link == 0 || is_heading_element(el))
            && ElementRef::wrap(e.node).is_some_and(|r| heads(&r.text().collect::<String>()));
        if !heading {
            i += 1;
            continue;
        }
        let mut section = i as u32;
        loop {
            let parent = page.elems[section as usize].parent;
            if parent == NONE || parent <= root {
                break;
            }
            let before = layout.text_before(parent, i as u32);
            if before > 0 || layout.text(page, parent).0 as f64 > max_chars {
                break;
            }
            section = parent;
        }
        sections.push(section);
        i = page.elems[section as usize].end as usize;
    }
    sections
}

/// Visible characters the region must keep beside its footers and
/// sidebars for them to be left out (less: the page's text is in them).
const MIN_KEPT_CHARS: u64 = 200;

/// The page's footers and sidebars inside the region `root` (`<footer>`
/// and `<aside>` outside an article, an element whose class or id starts
/// with `sidebar`): shop-wide testimonials, a store's reviews widget, its
/// newsletter box. The walk keeps them as content when they hold more
/// prose than the page (a product's description is short), but a product
/// is not described in the page's footer or beside it. None when the
/// region has little text beside them.
pub(super) fn furniture(page: &Page<'_>, layout: &Layout, root: u32) -> Vec<u32> {
    let sidebar = |v: Option<&str>| {
        v.is_some_and(|v| {
            v.split_ascii_whitespace()
                .any(|t| t.to_ascii_lowercase().starts_with("sidebar"))
        })
    };
    let in_article = |mut i: u32| loop {
        i = page.elems[i as usize].parent;
        if i == NONE {
            return false;
        }
        if page.elems[i as usize].name() == "article" {
            return true;
        }
    };
    let mut blocks = Vec::new();
    let mut chars = 0;
    let mut i = root as usize + 1;
    let end = page.elems[root as usize].end as usize;
    while i < end {
        let e = &page.elems[i];
        let furniture = e.element().is_some_and(|el| {
            (matches!(el.name(), "footer" | "aside") && !in_article(i as u32))
                || sidebar(el.attr("class"))
                || sidebar(el.attr("id"))
        });
        if furniture {
            blocks.push(i as u32);
            chars += layout.text(page, i as u32).0;
            i = e.end as usize;
        } else {
            i += 1;
        }
    }
    if layout.text(page, root).0.saturating_sub(chars) < MIN_KEPT_CHARS {
        return Vec::new();
    }
    blocks
}

/// An element that heads a section: `h1`-`h6`, `role="heading"`, or a
/// class or id naming a title or heading.
fn is_heading_element(el: &Element) -> bool {
    matches!(el.name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        || el.attr("role") == Some("heading")
        || [el.attr("class"), el.attr("id")]
            .into_iter()
            .flatten()
            .any(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("title") || v.contains("heading")
            })
}
