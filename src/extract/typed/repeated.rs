//! Repeated sibling structure: the posts of a thread, the cards of a
//! listing, the items of a collection.
//!
//! Everything here reads [`dom::walk`]'s flat element table once: which
//! elements are chrome (and so never items, nor inside one), how much text
//! each subtree holds (prefix sums over the per-block counts, so any
//! subtree's text is two look-ups), and the groups of siblings that share a
//! tag and class signature. The best group is the one with the most text
//! spread evenly over its items: a menu's items are short links, a page's
//! layout containers are few and uneven, a thread's posts and a listing's
//! cards are many and alike.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::region::is_dialog;
use crate::extract::generic::dom::{Attrs, Page, NONE};
use crate::vocabulary::is_comment_element;

/// Text a sibling needs to count as an item (visible characters, links
/// included): a product card's name and price, not an icon or a spacer.
const MIN_ITEM_CHARS: u64 = 10;

/// Linked characters count this much toward an item's weight: a card's
/// title is a link and belongs to the item, but a menu of bare links is
/// worth less than prose.
const LINK_WEIGHT: f64 = 0.4;

/// An item's weight is capped at this many times the group's median, so
/// that one huge member (a layout container holding the whole page) does
/// not make a group of unlike siblings look like a list.
const MEDIAN_CAP: f64 = 3.0;

/// Class tokens that alternate or mark position among alike items; they are
/// not part of an item's signature (`row odd` and `row even` are one kind).
const POSITIONAL_CLASSES: &[&str] = &[
    "odd", "even", "first", "last", "active", "alt", "current", "selected", "clearfix", "new",
    "read", "unread",
];

/// Which elements may be items and what counts as their text.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Per element: chrome, or inside chrome (never an item, never output).
    pub blocked: Vec<bool>,
    /// Prefix sums of the visible characters whose nearest block is an
    /// element that is not blocked (pre-order, so a subtree is a range).
    text_prefix: Vec<u64>,
    /// The same for linked characters.
    link_prefix: Vec<u64>,
}

impl Layout {
    /// Reads the walked page: chrome as the walk judged it, except reader
    /// comments when `keep_comments` (a thread's posts are often marked up
    /// as comments), and closed dialogs (a cookie centre's alike sections
    /// are no thread).
    pub fn of(page: &Page<'_>, keep_comments: bool) -> Self {
        let n = page.elems.len();
        let mut blocked = vec![false; n];
        let mut text_prefix = Vec::with_capacity(n + 1);
        let mut link_prefix = Vec::with_capacity(n + 1);
        let (mut text, mut link) = (0u64, 0u64);
        text_prefix.push(0);
        link_prefix.push(0);
        for (i, e) in page.elems.iter().enumerate() {
            let inherited = e.parent != NONE && blocked[e.parent as usize];
            let chrome = e.element().is_some_and(is_dialog)
                || e.chrome
                    && !(keep_comments
                        && e.element().is_some_and(|el| {
                            let a = Attrs::of(el);
                            is_comment_element(a.class, a.id)
                        }));
            blocked[i] = inherited || chrome;
            if !blocked[i] {
                text += u64::from(e.own_chars);
                link += u64::from(e.own_link);
            }
            text_prefix.push(text);
            link_prefix.push(link);
        }
        Self {
            blocked,
            text_prefix,
            link_prefix,
        }
    }

    /// Visible characters (all, linked) in element `i`'s kept subtree.
    pub fn text(&self, page: &Page<'_>, i: u32) -> (u64, u64) {
        let (start, end) = (i as usize, page.elems[i as usize].end as usize);
        (
            self.text_prefix[end] - self.text_prefix[start],
            self.link_prefix[end] - self.link_prefix[start],
        )
    }

    /// Visible characters inside element `outer` before its descendant
    /// `inner` (pre-order; counted by nearest block, so `outer`'s own
    /// inline text counts as before wherever it stands).
    pub fn text_before(&self, outer: u32, inner: u32) -> u64 {
        self.text_prefix[inner as usize].saturating_sub(self.text_prefix[outer as usize])
    }
}

/// A group of alike siblings: the page's items.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The element holding the items.
    pub parent: u32,
    /// The items (element indices, in page order).
    pub items: Vec<u32>,
    /// How much evenly spread text the items hold.
    pub score: f64,
}

/// Siblings of one kind: their parent, tag and class token (see
/// [`signature`]); a group's members with text and their weights are
/// gathered under it.
type GroupKey<'a> = (u32, &'a str, Cow<'a, str>);

/// Tags whose repeated siblings can be items (block containers and links;
/// a run of `<p>` is prose, not a list).
fn is_item_tag(name: &str) -> bool {
    matches!(
        name,
        "div" | "li" | "article" | "section" | "tr" | "tbody" | "table" | "a" | "dl" | "details"
    )
}

/// An element's signature among its siblings: its tag and its first class
/// token that is not positional, with digits dropped (`bg1`/`bg2`,
/// `post-17`/`post-18`).
pub(crate) fn signature<'a>(name: &'a str, class: Option<&'a str>) -> (&'a str, Cow<'a, str>) {
    let token = class
        .into_iter()
        .flat_map(str::split_ascii_whitespace)
        .find(|t| !POSITIONAL_CLASSES.contains(&t.to_ascii_lowercase().as_str()))
        .unwrap_or("");
    let token = if token.bytes().any(|b| b.is_ascii_digit()) {
        Cow::Owned(token.chars().filter(|c| !c.is_ascii_digit()).collect())
    } else {
        Cow::Borrowed(token)
    };
    (name, token)
}

/// An element that may be one item of a group of alike siblings: an item
/// tag outside the blocked regions, with some text.
struct CandidateItem<'a> {
    index: u32,
    key: GroupKey<'a>,
    chars: u64,
    link: u64,
}

/// The page's candidate items in page order, each with its group key
/// (parent, tag, class signature) and its text and linked characters.
fn candidate_items<'a>(
    page: &'a Page<'_>,
    layout: &'a Layout,
) -> impl Iterator<Item = CandidateItem<'a>> + 'a {
    page.elems.iter().enumerate().filter_map(move |(i, e)| {
        if e.parent == NONE || layout.blocked[i] || !is_item_tag(e.name()) {
            return None;
        }
        let el = e.element()?;
        let (chars, link) = layout.text(page, i as u32);
        if chars < MIN_ITEM_CHARS {
            return None;
        }
        let (tag, token) = signature(el.name(), Attrs::of(el).class);
        Some(CandidateItem {
            index: i as u32,
            key: (e.parent, tag, token),
            chars,
            link,
        })
    })
}

/// Every group of alike siblings with at least `min_items` items that
/// have text, each scored by how much evenly spread text its items hold
/// (in no particular order).
pub fn all_groups(page: &Page<'_>, layout: &Layout, min_items: usize) -> Vec<Group> {
    let mut groups: FxHashMap<GroupKey<'_>, (Vec<u32>, Vec<f64>)> = FxHashMap::default();
    for item in candidate_items(page, layout) {
        let weight = (item.chars - item.link) as f64 + LINK_WEIGHT * item.link as f64;
        let entry = groups.entry(item.key).or_default();
        entry.0.push(item.index);
        entry.1.push(weight);
    }
    groups
        .into_iter()
        .filter(|(_, (items, _))| items.len() >= min_items)
        .map(|((parent, _, _), (items, mut weights))| {
            let cap = MEDIAN_CAP * median(&mut weights.clone());
            let score = weights.iter_mut().map(|w| w.min(cap)).sum();
            Group {
                parent,
                items,
                score,
            }
        })
        .collect()
}

/// The group of alike siblings holding the most evenly spread text, with
/// at least `min_items` items that have text; `None` when the page has none.
pub fn best_group(page: &Page<'_>, layout: &Layout, min_items: usize) -> Option<Group> {
    all_groups(page, layout, min_items)
        .into_iter()
        // Ties go to the earlier group, so the choice does not depend on
        // the map's order.
        .max_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then_with(|| b.items.first().cmp(&a.items.first()))
        })
}

/// Longest text (visible characters) of a link card: a product tile's
/// name, price and badge, not a review or a post.
const MAX_CARD_CHARS: u64 = 300;

/// Unlinked characters a link card shows beside its link (a price, a
/// rating, a seller).
const MIN_UNLINKED_CHARS: u64 = 3;

/// Share of a card group's text that must be linked: each card's title
/// links to its own page.
const MIN_CARD_LINK_SHARE: f64 = 0.25;

/// The items of every group of link cards on the page: at least
/// `min_items` alike siblings, each short and holding a link, whose text is
/// largely linked (a product page's "related products" and "recently
/// viewed" carousels, breadcrumbs), in page order.
pub fn link_cards(page: &Page<'_>, layout: &Layout, min_items: usize) -> Vec<u32> {
    let mut groups: FxHashMap<GroupKey<'_>, (Vec<u32>, u64, u64)> = FxHashMap::default();
    for CandidateItem {
        index,
        key,
        chars,
        link,
    } in candidate_items(page, layout)
    {
        let entry = groups.entry(key).or_default();
        // A card too long, without a link or with nothing beside it (a
        // swatch, a tag, an option of this product) spoils its group.
        if chars > MAX_CARD_CHARS || link == 0 || chars - link < MIN_UNLINKED_CHARS {
            entry.1 = u64::MAX;
            continue;
        }
        entry.0.push(index);
        entry.1 = entry.1.saturating_add(chars);
        entry.2 += link;
    }
    let mut cards: Vec<u32> = groups
        .into_values()
        .filter(|(items, chars, link)| {
            items.len() >= min_items
                && *chars != u64::MAX
                && *link as f64 >= MIN_CARD_LINK_SHARE * *chars as f64
        })
        .flat_map(|(items, _, _)| items)
        .collect();
    cards.sort_unstable();
    cards
}

/// The lower median (of two values, the smaller: a group of two blocks, one
/// holding a thread's posts, is not two alike items).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values
        .get(values.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::generic::dom;
    use crate::parse::parse_document;

    fn card_texts(html: &str) -> Vec<String> {
        let doc = parse_document(html);
        let page = dom::walk(*doc.root_element());
        let layout = Layout::of(&page, false);
        link_cards(&page, &layout, 3)
            .into_iter()
            .map(|i| {
                let el = scraper::ElementRef::wrap(page.elems[i as usize].node).unwrap();
                let text: String = el.text().collect();
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect()
    }

    #[test]
    fn product_cards_are_link_cards_swatches_and_prose_are_not() {
        let html = "<body><div class=tiles>\
            <div class=card><a href=/p/1>Blue linen shirt</a><span>$40</span></div>\
            <div class=card><a href=/p/2>Grey wool jumper</a><span>$60</span></div>\
            <div class=card><a href=/p/3>Cotton chinos, beige</a><span>$55</span></div></div>\
            <ul class=colours><li><a href=?c=1>Avignon Velvet Cocoa</a></li>\
            <li><a href=?c=2>Avignon Velvet Indigo</a></li><li><a href=?c=3>Calaggio Linen</a></li></ul>\
            <div class=features><div class=f>Soft merino wool that keeps its shape.</div>\
            <div class=f>Machine washable at thirty degrees.</div>\
            <div class=f>Made in Portugal from recycled yarn.</div></div></body>";
        assert_eq!(
            card_texts(html),
            [
                "Blue linen shirt$40",
                "Grey wool jumper$60",
                "Cotton chinos, beige$55"
            ]
        );
    }

    #[test]
    fn a_long_item_spoils_a_card_group() {
        let long = "A review that goes on about the fit and the fabric and the colour \
            and the delivery, long enough that no product card would ever hold it, \
            with a link to the reviewer's profile at the end of it, written over \
            several sentences of praise for the shop and its friendly staff, and \
            then some more on how it washes.";
        let html = format!(
            "<body><div><div class=r><a href=/u/1>Ann</a> said: great</div>\
             <div class=r><a href=/u/2>Bob</a> said: fine</div>\
             <div class=r><a href=/u/3>Cy</a> {long}</div></div></body>"
        );
        assert!(card_texts(&html).is_empty());
    }

    #[test]
    fn no_group_inside_a_dialog() {
        let doc = parse_document(
            "<body><div class=posts><div class=post>First post of the thread here.</div>\
             <div class=post>A reply to the first post.</div></div>\
             <div role=dialog><div class=cat>Strictly necessary cookies are always on.</div>\
             <div class=cat>Analytics cookies help us count the visits.</div>\
             <div class=cat>Targeting cookies follow you to other sites.</div></div></body>",
        );
        assert_eq!(best_group_of(&doc), (Some("posts".to_string()), 2));
    }

    /// The class of the best group's parent, and its number of items.
    fn best_group_of(doc: &scraper::Html) -> (Option<String>, usize) {
        let page = dom::walk(*doc.root_element());
        let layout = Layout::of(&page, true);
        let group = best_group(&page, &layout, 2).unwrap();
        let class = page.elems[group.parent as usize]
            .element()
            .and_then(|el| el.attr("class"))
            .map(str::to_string);
        (class, group.items.len())
    }

    #[test]
    fn two_blocks_one_holding_the_posts_are_not_the_group() {
        let doc = parse_document(
            "<body><div class=block><h2>Glue for oak</h2><div class=posts>\
             <article class=post>Which glue holds oak joints best outdoors in the rain?</article>\
             <article class=post>A polyurethane glue, it foams into the gaps of the joint.</article>\
             <article class=post>Epoxy if the joint is loose, otherwise polyurethane.</article>\
             </div></div><div class=block>Share this thread</div></body>",
        );
        assert_eq!(best_group_of(&doc), (Some("posts".to_string()), 3));
    }
}
