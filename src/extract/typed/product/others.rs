//! Other products and buyers' words shown beside a product: groups of
//! priced cards, sections headed "Related products" and the like, and
//! review blocks. [`super::product_body`] leaves them out.

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashMap;
use scraper::ElementRef;

use crate::extract::classify::count_prices;
use crate::extract::generic::dom::{Page, NONE};
use crate::extract::typed::region::MAX_HEADING_CHARS;
use crate::extract::typed::repeated::Layout;
use crate::extract::typed::widgets::class_words;

/// Alike link cards from which a group is other products (related,
/// recently viewed), not part of this one.
pub(super) const MIN_CARDS: usize = 3;

/// Longest text (visible characters) of a priced card: another product's
/// tile (name, price, shipping, seller), not a description.
const MAX_PRICE_CARD_CHARS: u64 = 400;

/// Share of a group's members with text that must show a price.
const MIN_PRICED_SHARE: f64 = 0.6;

/// Largest share of the region's text a group of priced cards may hold to
/// be other products: more is the page's own content (this product's
/// editions and what each includes, or a listing taken for a product).
const MAX_PRICED_GROUP_SHARE: f64 = 1.0 / 3.0;

/// The members of every group of at least [`MIN_CARDS`] alike siblings
/// (same parent, tag and class) that are short and mostly show a price:
/// other products ("people who viewed this also viewed", sponsored items)
/// or this one's price in other currencies, whether or not the cards are
/// links; unless they hold a large share of the region `root`'s text.
pub(super) fn price_cards(page: &Page<'_>, layout: &Layout, root: u32) -> Vec<u32> {
    let max_chars = MAX_PRICED_GROUP_SHARE * layout.text(page, root).0 as f64;
    // Per group: its priced members and how many members have text.
    let mut groups: FxHashMap<(u32, &str, &str), (Vec<u32>, usize)> = FxHashMap::default();
    for (i, e) in page.elems.iter().enumerate() {
        let Some(el) = e.element() else { continue };
        if e.parent == NONE || layout.blocked[i] {
            continue;
        }
        let chars = layout.text(page, i as u32).0;
        if chars == 0 {
            continue;
        }
        let entry = groups
            .entry((e.parent, el.name(), el.attr("class").unwrap_or("")))
            .or_default();
        entry.1 += 1;
        if chars <= MAX_PRICE_CARD_CHARS {
            let text: String = ElementRef::wrap(e.node)
                .map(|r| r.text().collect())
                .unwrap_or_default();
            if count_prices(&text).1 > 0 {
                entry.0.push(i as u32);
            }
        }
    }
    groups
        .into_values()
        .filter(|(priced, with_text)| {
            priced.len() >= MIN_CARDS
                && priced.len() as f64 >= MIN_PRICED_SHARE * *with_text as f64
                && priced.iter().map(|&i| layout.text(page, i).0).sum::<u64>() as f64 <= max_chars
        })
        .flat_map(|(priced, _)| priced)
        .collect()
}

/// Headings of sections that show other products than the page's:
/// recommendation rails, "frequently bought together" boxes, what other
/// buyers looked at (the whole line, trailing punctuation allowed).
const OTHER_PRODUCTS_HEADINGS: &str = concat!(
    r"(?i)^(",
    r"(explore |shop )?related (products|items)",
    r"|you (may|might|will) also (like|love|be interested in)",
    r"|similar (items|products)",
    r"|(customers|people|shoppers) (who|also) (bought|viewed|purchased|searched)[^.!?]{0,40}",
    r"|frequently bought together|recently viewed( items| products)?",
    r"|complete the look|shop the look|recommended (for you|products|items)",
    r"|(sponsored|more) (items|products)",
    r"|ähnliche (artikel|produkte)|das könnte (dir|ihnen) auch gefallen",
    r"|vous (aimerez|aimeriez|pourriez aimer) aussi|produits similaires",
    r"|te puede interesar|productos relacionados|prodotti correlati",
    r")\W*$"
);

/// [`OTHER_PRODUCTS_HEADINGS`], compiled once.
static OTHER_PRODUCTS_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(OTHER_PRODUCTS_HEADINGS).expect("static regex"));

/// True when a short line heads a section of other products.
pub(super) fn heads_other_products(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= MAX_HEADING_CHARS && OTHER_PRODUCTS_HEADING.is_match(t)
}

/// Largest share of the region's text a section of other products may
/// hold (more: the heading's container is the page's content).
pub(super) const MAX_OTHER_PRODUCTS_SHARE: f64 = 1.0 / 3.0;

/// Largest share of the region's text a block named as reviews may hold to
/// be left out (more: the region itself is a review page's body).
const MAX_REVIEWS_SHARE: f64 = 0.5;

/// The outermost blocks whose class or id names reviews (`reviews`,
/// `customer-review`, `game_review_summary`; not `preview`): what buyers
/// say about the product, not its description or specifications.
pub(super) fn review_blocks(page: &Page<'_>, layout: &Layout, root: u32) -> Vec<u32> {
    let max_chars = MAX_REVIEWS_SHARE * layout.text(page, root).0 as f64;
    let names_reviews = |v: Option<&str>| {
        v.is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("review") && !v.contains("preview")
        })
    };
    let mut blocks = Vec::new();
    let mut i = root as usize + 1;
    let end = page.elems[root as usize].end as usize;
    while i < end {
        let e = &page.elems[i];
        let named = e
            .element()
            .is_some_and(|el| names_reviews(el.attr("class")) || names_reviews(el.attr("id")));
        if named && (layout.text(page, i as u32).0 as f64) <= max_chars {
            blocks.push(i as u32);
            // Past its subtree: the outermost block is enough.
            i = e.end as usize;
        } else {
            i += 1;
        }
    }
    blocks
}
/// Words of a class token naming the text a tooltip shows on hover.
const TOOLTIP_TEXT_WORDS: &[&str] = &["body", "content", "inner", "panel", "text"];

/// A tooltip's text: `role="tooltip"`, or a class token whose words name a
/// tooltip and its text (`tool-tip__content`, `tooltipText`,
/// `icon-tooltip-text`; not the `tooltip` trigger that wraps the term it
/// explains). Hover help (what "impedance" or "open-back" means), not what
/// the page says about the product. Products only: on wcxb-dev's tuning
/// articles some annotators keep a tooltip's text (glossary pop-ups of two
/// pages hold 292 expected words), on products 6 of 510 words.
fn is_tooltip_text(el: &scraper::node::Element) -> bool {
    if el.attr("role") == Some("tooltip") {
        return true;
    }
    el.attr("class").is_some_and(|class| {
        class.split_ascii_whitespace().any(|token| {
            let words = class_words(token);
            let tip = words.iter().enumerate().any(|(i, w)| {
                w.eq_ignore_ascii_case("tooltip")
                    || (w.eq_ignore_ascii_case("tool")
                        && words
                            .get(i + 1)
                            .is_some_and(|n| n.eq_ignore_ascii_case("tip")))
            });
            tip && words
                .iter()
                .any(|w| TOOLTIP_TEXT_WORDS.iter().any(|t| w.eq_ignore_ascii_case(t)))
        })
    })
}

/// The outermost tooltip texts under the region `root` (see
/// [`is_tooltip_text`]).
pub(super) fn tooltips(page: &Page<'_>, root: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut i = root as usize + 1;
    let end = page.elems[root as usize].end as usize;
    while i < end {
        let e = &page.elems[i];
        if e.element().is_some_and(is_tooltip_text) {
            found.push(i as u32);
            // Past its subtree: the outermost is enough.
            i = e.end as usize;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tooltip_texts_not_their_triggers() {
        let doc = scraper::Html::parse_fragment(
            "<span class=tool-tip__content></span><span class=icon-tooltip-text></span>\
             <div role=tooltip></div><span class=tooltipText></span>\
             <span class=tooltip></span><span class=tool-tip__label></span><span class=toolbar-text></span>",
        );
        let tips: Vec<bool> = doc
            .root_element()
            .children()
            .filter_map(scraper::ElementRef::wrap)
            .map(|e| is_tooltip_text(e.value()))
            .collect();
        assert_eq!(tips, [true, true, true, true, false, false, false]);
    }

    #[test]
    fn other_products_headings_are_whole_lines() {
        for heading in [
            "Related products",
            "You may also like…",
            "Frequently Bought Together",
            "People who viewed this item also viewed",
            "Ähnliche Artikel",
        ] {
            assert!(heads_other_products(heading), "{heading}");
        }
        for line in [
            "Related products are shipped separately.",
            "Similar items in other colours are sold out, but this lamp is made to order.",
            "Description",
        ] {
            assert!(!heads_other_products(line), "{line}");
        }
    }
}
