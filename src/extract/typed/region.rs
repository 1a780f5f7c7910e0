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
use crate::extract::generic;
use crate::extract::generic::dom::{self, Attrs, Page};
use crate::extract::text::{Assembler, BlockKind, Paragraph};

pub(super) use super::sections::{furniture, headed_sections, MAX_HEADING_CHARS};
pub use super::widgets::{is_dialog, is_disclosure_button, is_hidden_panel};

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
pub const MIN_VISIBLE_CHARS: u32 = 200;

/// Share of the page's text outside chrome (hidden text included) that
/// one hidden element must hold to be read as the page's wrapper. Chrome
/// (mega-menus, footers, hidden or not) does not count: a shop's hidden
/// product wrapper beside menus holding two thirds of the page's text is
/// still the page's wrapper.
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
        Self::find_judging(doc, false)
    }

    /// [`Self::find`]; with `weak_whole`, a weak-hinted element inside a
    /// weak-hinted one is judged with it (see [`dom::walk_showing_weak_whole`]).
    pub fn find_judging(doc: &'a Html, weak_whole: bool) -> Self {
        let walk = |body, shown: &dyn Fn(&Element) -> bool| {
            if weak_whole {
                dom::walk_showing_weak_whole(body, shown)
            } else {
                dom::walk_showing(body, shown)
            }
        };
        let body = *generic::body_element(doc);
        let page = walk(body, &|_| false);
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
        let Some(wrapper) = hidden_wrapper(body, shown.page.total_chars) else {
            return shown;
        };
        let page = walk(body, &|el| std::ptr::eq(el, wrapper.value()));
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
/// the body's text outside chrome read with every such element shown,
/// and more than the `shown` characters
/// (chrome included) of the page as it is walked: a page showing its
/// text in chrome-marked containers is not hiding it.
pub fn hidden_wrapper(body: NodeRef<'_, Node>, shown: u32) -> Option<ElementRef<'_>> {
    let all = dom::walk_showing(body, is_hidden_content);
    let total = all.elems.first().map_or(0, |e| e.chars);
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
    // A few hidden words (a price, a status line) are no wrapper, however
    // little the page shows outside chrome.
    (chars > shown && chars as f32 >= total as f32 * MIN_WRAPPER_SHARE)
        .then(|| ElementRef::wrap(all.elems[i].node))
        .flatten()
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
    fn a_hidden_product_wrapper_beside_heavier_hidden_menus_is_read_as_shown() {
        // The shop's mega-menus (hidden too, chrome) hold more text than
        // the product's wrapper, which a script shows once the page loads.
        let menu = |name: &str| {
            format!(
                "<div class='mega-menu mega-menu-{name}' style='display:none'><ul>\
                 <li><a href=/a>{name} vitamins and minerals</a></li><li><a href=/b>{name} \
                 protein powders and bars</a></li><li><a href=/c>{name} herbs and teas</a></li>\
                 <li><a href=/d>{name} oils, creams and lotions</a></li></ul></div>"
            )
        };
        let html = format!(
            "<body><header>{}{}{}</header><p>Deliver to</p>\
             <div class='product-wrapper defer-block' style='display: none'><h1>Almond thins</h1>\
             {PROSE}{PROSE}</div><footer>{}</footer></body>",
            menu("Grocery"),
            menu("Supplements"),
            menu("Beauty"),
            menu("Sports")
        );
        let got = texts(&html);
        assert!(got.contains(&"Almond thins".to_string()), "{got:?}");
        assert!(!got.iter().any(|t| t.contains("vitamins")), "{got:?}");
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
