//! The page's main region and all of its text: what service pages,
//! documentation and products are made of when the article extractor's
//! one prose block is too little.
//!
//! One [`dom::walk`] of the body gives the chrome marks (navigation,
//! header, footer, sidebars, share bars, ...) and per-element text counts;
//! the region is the page's `<main>` (or `role="main"`) when it holds a
//! fair share of the page's text, else the whole body. Its text is
//! assembled once, chrome left out, and the paragraphs that are link
//! lists (menus, tables of contents, product carousels) or repeats are
//! dropped.
//!
//! On service pages (and confident documentation) the block model writes
//! the body; this region only feeds its `in_typed` features, so its
//! constants barely move the result (wcxb-dev tuning word F1, 0.8607 as
//! is: `MAIN_MIN_SHARE` 0.1 0.8607, 0.5 0.8601; `MAX_LINK_DENSITY` 0.3
//! 0.8607, 0.7 0.8607). The rules alone (`eval --block-model never`) give
//! service 0.7883 / 0.7138 (tuning / validation) against the model's
//! 0.8484 / 0.7524.

use std::collections::HashSet;

use ego_tree::{NodeId, NodeRef};
use scraper::node::{Element, Node};
use scraper::{ElementRef, Html};

use super::disclosure::Disclosed;
use super::repeated::Layout;
use crate::extract::generic;
use crate::extract::generic::dom::{self, Attrs, Page, NONE};
use crate::extract::text::{Assembler, BlockKind, Paragraph};

/// Share of the body's kept text a `<main>` must hold to be the region
/// (below it, the `<main>` is a fragment: a hero, a search box).
const MAIN_MIN_SHARE: f32 = 0.25;

/// Link share above which a paragraph is a link list, not content.
const MAX_LINK_DENSITY: f64 = 0.5;

/// Paragraphs at least this long (chars) are dropped when they repeat an
/// earlier one (the same block shown twice for two screen sizes); shorter
/// ones (table cells, "Yes") repeat legitimately.
const MIN_REPEAT_CHARS: usize = 40;

/// Visible characters (outside chrome) the region must hold to be read
/// as shown; below, a hidden wrapper of the page's text is read too (see
/// [`MainRegion::find`]).
const MIN_VISIBLE_CHARS: u32 = 200;

/// Share of the page's text (hidden text included) that one hidden
/// element must hold to be read as the page's wrapper.
const MIN_WRAPPER_SHARE: f32 = 0.5;

/// The walked body of a page and the index of its main region.
#[derive(Debug)]
pub struct MainRegion<'a> {
    /// The body's elements with statistics and chrome marks.
    pub page: Page<'a>,
    /// Index (in `page.elems`) of the region's root.
    pub root: u32,
    /// The hidden wrapper walked as shown, if any (see [`Self::find`]).
    revealed: Option<NodeId>,
    /// Collapsed sections that disclosure buttons open (read as shown).
    disclosed: Disclosed,
}

impl<'a> MainRegion<'a> {
    /// Walks the page's body and finds its main region. On a page whose
    /// region shows (almost) no text, the one hidden element that holds
    /// most of the page's text is walked as shown: an anti-flicker
    /// wrapper (`style="visibility:hidden"`, shown by a script once the
    /// page is styled), a container a script unlocks, content marked
    /// `aria-hidden` under a dialog open when the page was saved. A page
    /// whose text is scattered in hidden menus and drawers, or has none,
    /// still gives nothing.
    pub fn find(doc: &'a Html) -> Self {
        let body = *generic::body_element(doc);
        let page = dom::walk(body);
        let root = main_element(&page).unwrap_or(0);
        let shown = Self {
            page,
            root,
            revealed: None,
            disclosed: Disclosed::find(body),
        };
        if shown.chars() >= MIN_VISIBLE_CHARS {
            return shown;
        }
        let Some(wrapper) = hidden_wrapper(body) else {
            return shown;
        };
        let page = dom::walk_showing(body, |el| std::ptr::eq(el, wrapper.value()));
        let root = main_element(&page).unwrap_or(0);
        let revealed = Self {
            page,
            root,
            revealed: Some(wrapper.id()),
            disclosed: Disclosed::default(),
        };
        if revealed.chars() > shown.chars() {
            Self {
                disclosed: shown.disclosed,
                ..revealed
            }
        } else {
            shown
        }
    }

    /// Characters of the region's text outside chrome.
    fn chars(&self) -> u32 {
        self.page
            .elems
            .get(self.root as usize)
            .map_or(0, |e| e.chars)
    }

    /// The region's paragraphs: its text without chrome, link lists and
    /// repeated blocks. Hidden tab panels and collapsed accordion sections
    /// are kept (a product's specifications, a service page's FAQ
    /// answers, see [`Disclosed`]): a click shows them.
    pub fn paragraphs(&self) -> Vec<Paragraph> {
        self.paragraphs_without(&HashSet::new())
    }

    /// [`Self::paragraphs`] without the subtrees of `left_out` as well.
    pub fn paragraphs_without(&self, left_out: &HashSet<NodeId>) -> Vec<Paragraph> {
        let Some(root) = self.page.elems.get(self.root as usize) else {
            return Vec::new();
        };
        let chrome = generic::chrome_ids(&self.page);
        let mut assembler = Assembler::new();
        assembler.add_subtree_filtered(root.node, |node, el| {
            chrome.contains(&node.id())
                || left_out.contains(&node.id())
                || is_dialog(el)
                || (dom::is_invisible(el)
                    && self.revealed != Some(node.id())
                    && !is_hidden_panel(el)
                    && !is_disclosure_button(el)
                    && !self.disclosed.contains(el))
        });
        keep_content(assembler.finish())
    }
}

/// The page's `<main>` (or `role="main"`) element holding the most text,
/// when it holds a fair share of the body's.
fn main_element(page: &Page<'_>) -> Option<u32> {
    let total = page.elems.first()?.chars;
    page.elems
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.pruned && e.chars > 0)
        .filter(|(_, e)| {
            e.name() == "main" || e.element().is_some_and(|el| Attrs::of(el).role == "main")
        })
        .filter(|(_, e)| e.chars as f32 >= total as f32 * MAIN_MIN_SHARE)
        .max_by_key(|(_, e)| e.chars)
        .map(|(i, _)| i as u32)
}

/// A content element hidden by its attributes (`hidden`, `aria-hidden`,
/// an inline style or a hiding class), not a dialog nor an element whose
/// content is never text (scripts, forms, buttons).
fn is_hidden_content(el: &Element) -> bool {
    !is_dialog(el)
        && !crate::extract::text::is_skipped_element(el.name())
        && !matches!(el.name(), "option" | "label")
        && Attrs::of(el).hidden
}

/// The outermost hidden content element ([`is_hidden_content`]) holding
/// the most text (outside chrome), when it holds [`MIN_WRAPPER_SHARE`] of
/// all the body's text (chrome included) read with every such element
/// shown.
fn hidden_wrapper(body: NodeRef<'_, Node>) -> Option<ElementRef<'_>> {
    let all = dom::walk_showing(body, is_hidden_content);
    let total = all.total_chars;
    let mut best: Option<(u32, usize)> = None;
    let mut i = 1;
    while i < all.elems.len() {
        let e = &all.elems[i];
        if e.element().is_some_and(is_hidden_content) {
            let chars = e.chars;
            if best.is_none_or(|(c, _)| chars > c) {
                best = Some((chars, i));
            }
            i = e.end as usize;
        } else {
            i += 1;
        }
    }
    let (chars, i) = best?;
    (chars as f32 >= total as f32 * MIN_WRAPPER_SHARE)
        .then(|| ElementRef::wrap(all.elems[i].node))
        .flatten()
}

/// A hidden element that a click shows: a tab panel or a collapsed
/// accordion section (`role="tabpanel"`, or a class naming one).
pub fn is_hidden_panel(el: &Element) -> bool {
    if matches!(el.name(), "div" | "section" | "article" | "details" | "dd")
        && Attrs::of(el).role == "tabpanel"
    {
        return true;
    }
    el.attr("class").is_some_and(|class| {
        class.split_ascii_whitespace().any(|token| {
            let t = token.to_ascii_lowercase();
            t.starts_with("tab-pane")
                || t.starts_with("tab-panel")
                || t.starts_with("tabs-panel")
                || t.starts_with("tab-content")
                || t.starts_with("tabcontent")
                || t.starts_with("accordion-content")
                || t.starts_with("accordion-body")
                || t.starts_with("accordion-panel")
                || t == "collapse"
                || t.starts_with("panel-collapse")
                || names_panel(token)
        })
    })
}

/// Words of a class token naming a disclosure widget.
const DISCLOSURE_WORDS: &[&str] = &[
    "accordion",
    "collapse",
    "collapsible",
    "expandable",
    "expander",
    "faq",
    "tab",
    "tabs",
    "toggle",
];

/// Words of a class token naming the part of the widget that opens.
const PANEL_WORDS: &[&str] = &[
    "answer", "body", "content", "contents", "inner", "pane", "panel",
];

/// A class token whose words (split at `-`, `_` and lower-to-upper case
/// changes: BEM and CSS-module names) name a disclosure widget's panel:
/// `c-accordion__panel`, `accordionBody`, `faq__answer`, `tab__content`.
fn names_panel(token: &str) -> bool {
    let (mut widget, mut panel) = (false, false);
    for word in class_words(token) {
        widget |= DISCLOSURE_WORDS
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w));
        panel |= PANEL_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w));
    }
    widget && panel
}

/// The words of a class token: runs of ASCII letters, cut where a
/// lower-case letter is followed by an upper-case one.
pub(super) fn class_words(token: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev_lower = false;
    for (i, c) in token.char_indices() {
        if c.is_ascii_alphabetic() {
            match start {
                Some(s) if prev_lower && c.is_ascii_uppercase() => {
                    words.push(&token[s..i]);
                    start = Some(i);
                }
                Some(_) => {}
                None => start = Some(i),
            }
            prev_lower = c.is_ascii_lowercase();
        } else {
            if let Some(s) = start.take() {
                words.push(&token[s..i]);
            }
            prev_lower = false;
        }
    }
    if let Some(s) = start {
        words.push(&token[s..]);
    }
    words
}

/// A dialog: a modal's policy text, a cookie centre, a newsletter pop-up
/// (`role="dialog"` or `"alertdialog"`, `aria-modal="true"`; `<dialog>`
/// elements are invisible to the walk already). Pages ship them closed or
/// over their content; they are not the content.
pub fn is_dialog(el: &Element) -> bool {
    matches!(el.attr("role"), Some("dialog" | "alertdialog"))
        || el.attr("aria-modal") == Some("true")
}

/// A button that shows a tab panel or an accordion section: its label
/// is the section's heading (a FAQ's question, "Specifications").
pub fn is_disclosure_button(el: &Element) -> bool {
    el.name() == "button"
        && el.attrs().any(|(name, value)| {
            matches!(name, "aria-expanded" | "aria-controls") || (name == "role" && value == "tab")
        })
}

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

/// Drops link lists (a heading stays: a feature card's linked title) and
/// repeated long paragraphs.
fn keep_content(paragraphs: Vec<Paragraph>) -> Vec<Paragraph> {
    let mut seen: HashSet<String> = HashSet::new();
    paragraphs
        .into_iter()
        .filter(|p| matches!(p.kind, BlockKind::Heading(_)) || p.link_density() <= MAX_LINK_DENSITY)
        .filter(|p| p.text.chars().count() < MIN_REPEAT_CHARS || seen.insert(p.text.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_document;

    fn texts(html: &str) -> Vec<String> {
        let doc = parse_document(html);
        MainRegion::find(&doc)
            .paragraphs()
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn main_element_without_chrome() {
        let html = "<body><header><a href=/>Home</a> Shop</header>\
            <main><h1>Plans</h1><p>Short hero line.</p><nav><a href=/a>Menu</a></nav>\
            <section><h2>Pricing</h2><p>Ten euros a month.</p></section></main>\
            <footer>Copyright</footer></body>";
        assert_eq!(
            texts(html),
            ["Plans", "Short hero line.", "Pricing", "Ten euros a month."]
        );
    }

    #[test]
    fn a_small_main_is_not_the_region() {
        let html = "<body><main><p>Search</p></main><div><p>The whole content of the page, \
            in a div of its own, long enough to outweigh the small main element.</p></div></body>";
        let got = texts(html);
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn link_lists_and_repeats_dropped() {
        let long = "A paragraph long enough to count as a repeat when it comes twice.";
        let html = format!(
            "<body><div><p>{long}</p><ul><li><a href=/a>Other product one</a></li></ul>\
             <p>{long}</p><p>Yes</p><p>Yes</p></div></body>"
        );
        assert_eq!(texts(&html), [long, "Yes", "Yes"]);
    }

    #[test]
    fn hidden_panels_kept_other_hidden_blocks_not() {
        let html = "<body><div><p>Shown description of the thing.</p>\
            <div class='tab-pane fade' style='display:none'><p>Weight: 2 kg</p></div>\
            <div class='c-accordion__panel' style='display:none'><p>Oak, oiled.</p></div>\
            <div class=faqAnswer hidden><p>Yes, in blue.</p></div>\
            <div style='display:none'><p>Cart drawer</p></div></div></body>";
        assert_eq!(
            texts(html),
            [
                "Shown description of the thing.",
                "Weight: 2 kg",
                "Oak, oiled.",
                "Yes, in blue."
            ]
        );
    }

    #[test]
    fn class_words_split_bem_and_camel_case() {
        assert_eq!(
            class_words("enrollment-accordion__itemContent2x-é-tabPanel"),
            [
                "enrollment",
                "accordion",
                "item",
                "Content",
                "x",
                "tab",
                "Panel"
            ]
        );
        for panel in [
            "c-accordion__panel",
            "accordionBody",
            "faq__answer",
            "tab__content",
        ] {
            assert!(names_panel(panel), "{panel}");
        }
        for other in [
            "tabular",
            "accordion",
            "content",
            "table-body",
            "toggle-button",
        ] {
            assert!(!names_panel(other), "{other}");
        }
    }

    #[test]
    fn sections_a_disclosure_button_opens_are_kept() {
        // No class names a panel: the button and aria-controls do.
        let html = "<body><header><button aria-expanded=false aria-controls=menu>Menu</button>\
            <div id=menu hidden><p>Shop all</p></div></header><main><h1>Fire pit</h1>\
            <button aria-expanded=false>Description</button>\
            <div class=chakra-collapse style='display:none;height:0px'><p>Steel, 15 kg.</p></div>\
            <button aria-expanded=false aria-controls=p2>Returns</button>\
            <div><div id=p2 hidden><p>Thirty days.</p></div></div>\
            <div style='display:none'><p>Cart drawer</p></div></main></body>";
        assert_eq!(
            texts(html),
            [
                "Fire pit",
                "Description",
                "Steel, 15 kg.",
                "Returns",
                "Thirty days."
            ]
        );
    }

    const PROSE: &str = "<p>How the service works, what it costs and who it is for, \
        told in a paragraph long enough to be the page's text on its own, and then some \
        more words so that it clearly outweighs the page's menu and its footer.</p>";

    #[test]
    fn a_page_wrapped_whole_in_a_hidden_wrapper_is_read_as_shown() {
        let html = format!(
            "<body><div style='visibility:hidden'><nav><a href=/>Home</a></nav>\
             <div><h1>Plans</h1>{PROSE}<div hidden><p>Cart drawer</p></div></div>\
             </div><footer>Contact</footer></body>"
        );
        let got = texts(&html);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], "Plans");
        assert!(got[1].starts_with("How the service works"), "{got:?}");
    }

    #[test]
    fn scattered_hidden_blocks_stay_hidden() {
        // No hidden element holds most of the page's text: a menu and a
        // drawer are not the page's content.
        let html = "<body><div hidden><p>Menu: shop, about, contact, our story</p></div>\
            <div style='display:none'><p>Your cart is empty, keep shopping</p></div>\
            <p>Short visible line</p></body>";
        assert_eq!(texts(html), ["Short visible line"]);
    }

    #[test]
    fn a_small_hidden_block_beside_visible_text_stays_hidden() {
        // The region shows little of its own, but the page's text is
        // visible elsewhere (chrome): the hidden block is not its wrapper.
        let html = format!(
            "<body><header>{PROSE}{PROSE}</header><main><p>Item</p></main>\
             <div style='display:none'><p>Sign up for our newsletter today.</p></div></body>"
        );
        assert!(texts(&html).iter().all(|t| !t.contains("newsletter")));
    }

    #[test]
    fn dialogs_left_out() {
        let html = "<body><div><p>What the product is and does.</p>\
            <div role=dialog aria-modal=true><p>Privacy policy: we store cookies.</p></div>\
            <div role=alertdialog><p>Sign up for our newsletter</p></div></div></body>";
        assert_eq!(texts(html), ["What the product is and does."]);
    }
}
