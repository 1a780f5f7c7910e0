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
    /// as comments).
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
            let chrome = e.chrome
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
fn signature<'a>(name: &'a str, class: Option<&'a str>) -> (&'a str, Cow<'a, str>) {
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

/// The group of alike siblings holding the most evenly spread text, with
/// at least `min_items` items that have text; `None` when the page has none.
pub fn best_group(page: &Page<'_>, layout: &Layout, min_items: usize) -> Option<Group> {
    let mut groups: FxHashMap<GroupKey<'_>, (Vec<u32>, Vec<f64>)> = FxHashMap::default();
    for (i, e) in page.elems.iter().enumerate() {
        if e.parent == NONE || layout.blocked[i] || !is_item_tag(e.name()) {
            continue;
        }
        let Some(el) = e.element() else { continue };
        let (chars, link) = layout.text(page, i as u32);
        if chars < MIN_ITEM_CHARS {
            continue;
        }
        let weight = (chars - link) as f64 + LINK_WEIGHT * link as f64;
        let (tag, token) = signature(el.name(), Attrs::of(el).class);
        let entry = groups.entry((e.parent, tag, token)).or_default();
        entry.0.push(i as u32);
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
        // Ties go to the earlier group, so the choice does not depend on
        // the map's order.
        .max_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then_with(|| b.items.first().cmp(&a.items.first()))
        })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
