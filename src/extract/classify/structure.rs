//! The page's structure for the page-type features: one walk of the parsed
//! DOM counting text, links, prose paragraphs, element kinds, prices and the
//! class/id hints of each page type, and the repeated sibling groups
//! ([`SiblingGroups`], told of every node the walk passes).
//!
//! Element names are compared as interned atoms (one integer comparison)
//! rather than as strings, and each distinct class or id value of a page is
//! searched for hints once: pages repeat their class lists.

use std::sync::LazyLock;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use markup5ever::{local_name, LocalName};
use rustc_hash::FxHashMap;
use scraper::node::{Element, Node};
use scraper::Html;

use super::siblings::SiblingGroups;
#[cfg(any(doc, test))]
use crate::extract::article::prose_length;
use crate::extract::generic::text_count::{self, TextCount};
use crate::extract::node_facts::NodeFacts;
use crate::vocabulary::{LiteralSet, KICKER_HINTS};

const FORUM_HINTS: &[&str] = &[
    "post",
    "reply",
    "replies",
    "thread",
    "topic",
    "forum",
    "message",
    "username",
    "user-",
    "avatar",
    "signature",
    "answer",
    "vote",
];
const PRODUCT_HINTS: &[&str] = &[
    "product",
    "price",
    "cart",
    "sku",
    "basket",
    "checkout",
    "stock",
    "variant",
    "quantity",
    "add-to",
    "addtocart",
];
const CARD_HINTS: &[&str] = &[
    "card", "tile", "grid", "item", "teaser", "listing", "result", "entry",
];
const DOCS_HINTS: &[&str] = &[
    "toc",
    "docs",
    "doc-",
    "sidebar",
    "menu",
    "breadcrumb",
    "highlight",
    "language-",
    "api",
    "admonition",
    "version",
];
const SERVICE_HINTS: &[&str] = &[
    "hero",
    "feature",
    "pricing",
    "testimonial",
    "cta",
    "benefit",
    "service",
    "plan",
    "client",
    "partner",
];
const COMMENT_HINTS: &[&str] = &["comment"];

/// The hint lists, in the order of the `hint_*` features.
const HINT_LISTS: [&[&str]; 6] = [
    FORUM_HINTS,
    PRODUCT_HINTS,
    CARD_HINTS,
    DOCS_HINTS,
    SERVICE_HINTS,
    COMMENT_HINTS,
];

/// The list index of the kicker hints in [`HINTS`], after the page-type
/// lists.
const KICKER_LIST: usize = HINT_LISTS.len();

/// All hints in one case-insensitive literal set, and the list of each: the
/// page-type hint lists, then the metadata's kicker hints ([`KICKER_HINTS`]),
/// which are searched in the same class and id values (one walk of the DFA
/// per value serves both).
static HINTS: LazyLock<(LiteralSet, Vec<usize>)> = LazyLock::new(|| {
    let (patterns, lists): (Vec<&str>, Vec<usize>) = HINT_LISTS
        .iter()
        .copied()
        .chain([KICKER_HINTS])
        .enumerate()
        .flat_map(|(i, list)| list.iter().map(move |h| (*h, i)))
        .unzip();
    // A bare DFA walk: these few short patterns make a small DFA, and the
    // values searched (hundreds of thousands of them) are short.
    (LiteralSet::new(patterns, true), lists)
});

/// The hint lists with a hint inside `value` (any case), as bits: bit `i`
/// for list `i` of [`HINT_LISTS`], bit [`KICKER_LIST`] for a kicker hint.
fn hint_bits(value: &str) -> u8 {
    let (set, lists) = &*HINTS;
    let mut bits = 0u8;
    set.for_each_match(value, |p| bits |= 1 << lists[p.as_usize()]);
    bits
}

/// Marks in `found` the hint lists with a hint inside `value` (any case):
/// the reference walk's search (the walk reads [`ClassHints`]).
#[cfg(test)]
pub(super) fn hint_lists_in(value: &str, found: &mut [bool; 6]) {
    if value.is_empty() {
        return; // most elements have no class or no id
    }
    let bits = hint_bits(value);
    for (i, hit) in found.iter_mut().enumerate() {
        *hit |= bits >> i & 1 == 1;
    }
}

/// The hints in each distinct class, id or `data-cy` value of a page, found
/// once per value (pages repeat their class lists) and shared by the
/// metadata (kickers) and the page-type walk (hint lists) of the page.
/// Each distinct value gets a slot, its number in order of first sight,
/// which the walk records for the generic walk (see [`NodeFacts`]).
#[derive(Default)]
pub(crate) struct ClassHints<'a> {
    /// Value → (its hint bits, its slot).
    bits: FxHashMap<&'a str, (u8, u32)>,
}

impl<'a> ClassHints<'a> {
    /// The hint bits of `value` (see [`hint_bits`]).
    #[inline]
    fn bits(&mut self, value: &'a str) -> u8 {
        self.bits_and_slot(value).map_or(0, |(bits, _)| bits)
    }

    /// The hint bits of `value` and its slot; none for an empty value.
    #[inline]
    fn bits_and_slot(&mut self, value: &'a str) -> Option<(u8, u32)> {
        if value.is_empty() {
            return None; // most elements have no class or no id
        }
        let next = self.bits.len() as u32;
        Some(
            *self
                .bits
                .entry(value)
                .or_insert_with(|| (hint_bits(value), next)),
        )
    }

    /// Whether `value` holds a kicker hint ([`KICKER_HINTS`], any ASCII
    /// case).
    pub(crate) fn names_kicker(&mut self, value: &'a str) -> bool {
        self.bits(value) >> KICKER_LIST & 1 == 1
    }

    /// Whether any class, id or `data-cy` value of `el` names a kicker
    /// ([`Self::names_kicker`]); `data_cy` is the interned `data-cy`.
    pub(crate) fn names_kicker_in(&mut self, el: &'a Element, data_cy: &LocalName) -> bool {
        el.attrs.iter().any(|(name, value)| {
            let name = &name.local;
            (*name == local_name!("class") || *name == local_name!("id") || name == data_cy)
                && self.names_kicker(value)
        })
    }
}

/// What the page-type walk finds: its counts, the repeated sibling groups
/// and the page's kicker elements.
pub(crate) struct PageStructure {
    /// The walk's counts.
    pub(super) walk: Walk,
    /// The largest repeated sibling group and the number of linked groups
    /// of 4 or more (see [`SiblingGroups::finish`]).
    pub(super) repeats: (usize, usize),
    /// The elements with a class, id or `data-cy` value that names a
    /// kicker ([`ClassHints::names_kicker_in`]), in document order, hidden
    /// ones (in `head`, `script`, ...) included: the metadata's kicker
    /// candidates, found in this walk rather than in a walk of their own.
    pub(crate) kickers: Vec<NodeId>,
}

/// Walks the page once ([`walk_with_groups`]) for the page-type features
/// and the metadata's kicker elements.
pub(crate) fn page_structure<'a>(
    doc: &'a Html,
    hints: &mut ClassHints<'a>,
    facts: &mut NodeFacts,
) -> PageStructure {
    let mut groups = SiblingGroups::default();
    let mut kickers = Vec::new();
    let walk = walk_with_groups(doc, hints, &mut groups, facts, &mut kickers);
    PageStructure {
        walk,
        repeats: groups.finish(doc),
        kickers,
    }
}

/// Running counts of the DOM walk.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Walk {
    pub(super) text_chars: usize,
    pub(super) link_chars: usize,
    pub(super) prose_chars: usize,
    pub(super) prose_paras: usize,
    pub(super) longest_para: usize,
    pub(super) links: usize,
    pub(super) articles: usize,
    pub(super) headings: usize,
    pub(super) h1s: usize,
    pub(super) code_blocks: usize,
    pub(super) tables: usize,
    pub(super) list_items: usize,
    pub(super) forms: usize,
    pub(super) cart_forms: usize,
    pub(super) buttons: usize,
    pub(super) prices: usize,
    pub(super) currency: usize,
    pub(super) times: usize,
    pub(super) images: usize,
    pub(super) navs: usize,
    pub(super) asides: usize,
    pub(super) hints: [usize; 6],
    pub(super) single_post: bool,
    pub(super) wp_post_link: bool,
}

/// Counts currency marks and prices (a currency mark next to a digit) in a
/// text.
pub(crate) fn count_prices(text: &str) -> (usize, usize) {
    let mut marks = 0;
    let mut prices = 0;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₽' | '₩') {
            marks += 1;
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            if next.is_some_and(char::is_ascii_digit) || prev.is_some_and(char::is_ascii_digit) {
                prices += 1;
            }
        }
    }
    (marks, prices)
}

/// The prose length of a text without its whitespace (the sum of
/// [`prose_length`] over its words: wide characters weigh three), counted
/// without decoding most characters (see [`text_count`]).
#[cfg(test)]
pub(super) fn text_prose_length(text: &str) -> usize {
    prose_length_of(text_count::count(text))
}

/// The prose length of a text of counts `n` (see [`text_prose_length`]).
fn prose_length_of(n: TextCount) -> usize {
    n.chars + 2 * n.wide
}

/// Whether a text holds one of the currency marks of [`count_prices`]:
/// `$`, or the UTF-8 of `£ ¥` (lead byte C2) or `€ ₹ ₽ ₩` (E2 82), found
/// by a vectorised search for their first bytes.
pub(super) fn has_currency_mark(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'$', 0xC2, 0xE2, bytes).any(|i| match bytes[i] {
        b'$' => true,
        0xC2 => matches!(bytes.get(i + 1), Some(0xA3 | 0xA5)),
        _ => {
            bytes.get(i + 1) == Some(&0x82)
                && matches!(bytes.get(i + 2), Some(0xAC | 0xB9 | 0xBD | 0xA9))
        }
    })
}

/// The largest repeated sibling group and the number of linked groups of
/// 4 or more (see [`SiblingGroups`]), counted by the walk.
#[cfg(test)]
pub(super) fn repeated_siblings(doc: &Html) -> (usize, usize) {
    let mut groups = SiblingGroups::default();
    let mut facts = NodeFacts::default();
    let mut kickers = Vec::new();
    walk_with_groups(
        doc,
        &mut ClassHints::default(),
        &mut groups,
        &mut facts,
        &mut kickers,
    );
    groups.finish(doc)
}

/// Whether an element's subtree is not page text (scripts, styles, the
/// head, ...).
fn is_hidden(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("svg")
            | local_name!("head")
    )
}

/// Whether an element is paragraph-like (its text makes one block).
fn is_paragraph_like(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("li")
            | local_name!("dd")
            | local_name!("blockquote")
            | local_name!("td")
    )
}

/// [`walk_with_groups`] without the sibling groups.
#[cfg(test)]
pub(super) fn walk<'a>(doc: &'a Html, hints: &mut ClassHints<'a>) -> Walk {
    let mut facts = NodeFacts::default();
    let mut groups = SiblingGroups::default();
    walk_with_groups(doc, hints, &mut groups, &mut facts, &mut Vec::new())
}

/// Walks the page once and counts what the page-level features need,
/// reading class and id hints through the page's `hints`; tells `groups`
/// of every node (the repeated siblings, counted in the same walk) and
/// records in `facts` the counts of each text and the class slot of each
/// element it reads, for the generic walk, and in `kickers` the kicker
/// elements (see [`PageStructure::kickers`]).
pub(super) fn walk_with_groups<'a>(
    doc: &'a Html,
    hints: &mut ClassHints<'a>,
    groups: &mut SiblingGroups<'a>,
    facts: &mut NodeFacts,
    kickers: &mut Vec<NodeId>,
) -> Walk {
    // Interned once: attribute names compare as integers.
    let data_cy = LocalName::from("data-cy");
    let mut w = Walk::default();
    let mut hidden = 0usize;
    let mut in_link = 0usize;
    // Open paragraph-like blocks: (chars, link chars) of their text.
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for edge in doc.tree.root().traverse() {
        groups.step(&edge);
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = &el.name.local;
                    if is_hidden(name) {
                        hidden += 1;
                    }
                    if *name == local_name!("link") && el.attr("rel") == Some("alternate") {
                        let href = el.attr("href").unwrap_or("");
                        w.wp_post_link |= href.contains("/wp-json/wp/v2/posts/");
                    }
                    if hidden > 0 {
                        if hints.names_kicker_in(el, &data_cy) {
                            kickers.push(node.id());
                        }
                        continue;
                    }
                    if is_paragraph_like(name) {
                        blocks.push((0, 0));
                    }
                    match *name {
                        local_name!("a") => {
                            in_link += 1;
                            w.links += 1;
                        }
                        local_name!("li") => w.list_items += 1,
                        local_name!("article") => w.articles += 1,
                        local_name!("h1") => {
                            w.h1s += 1;
                            w.headings += 1;
                        }
                        local_name!("h2")
                        | local_name!("h3")
                        | local_name!("h4")
                        | local_name!("h5")
                        | local_name!("h6") => w.headings += 1,
                        local_name!("pre") => w.code_blocks += 1,
                        local_name!("table") => w.tables += 1,
                        local_name!("form") => {
                            w.forms += 1;
                            let action = el.attr("action").unwrap_or("").to_ascii_lowercase();
                            let class = el.attr("class").unwrap_or("").to_ascii_lowercase();
                            if action.contains("cart")
                                || class.contains("cart")
                                || action.contains("basket")
                            {
                                w.cart_forms += 1;
                            }
                        }
                        local_name!("button") => w.buttons += 1,
                        local_name!("time") => w.times += 1,
                        local_name!("img") => w.images += 1,
                        local_name!("nav") => w.navs += 1,
                        local_name!("aside") => w.asides += 1,
                        _ => {}
                    }
                    // One pass over the attributes, comparing interned names.
                    let (mut class, mut id) = (None, None);
                    let mut classes = 0;
                    // Whether a value beyond the first class and id may
                    // name a kicker (a second id, a `data-cy`).
                    let mut more = false;
                    for (attr, value) in &el.attrs {
                        if attr.local == local_name!("class") {
                            class.get_or_insert(&**value);
                            classes += 1;
                        } else if attr.local == local_name!("id") {
                            more |= id.is_some();
                            id.get_or_insert(&**value);
                        } else if attr.local == data_cy {
                            more = true;
                        }
                    }
                    let (class, id) = (class.unwrap_or(""), id.unwrap_or(""));
                    // No hint holds a space, so class and id are searched
                    // apart rather than joined.
                    let class_bits = match hints.bits_and_slot(class) {
                        Some((bits, slot)) => {
                            // The generic walk reads an element's every
                            // class attribute: only a lone one is its slot.
                            if classes == 1 {
                                facts.record_class(node.id(), slot);
                            }
                            bits
                        }
                        None => 0,
                    };
                    let found = class_bits | hints.bits(id);
                    for (i, count) in w.hints.iter_mut().enumerate() {
                        *count += usize::from(found >> i & 1);
                    }
                    // The first class and id are all there is to search
                    // on most elements: their bits answer.
                    let kicker = if classes > 1 || more {
                        hints.names_kicker_in(el, &data_cy)
                    } else {
                        found >> KICKER_LIST & 1 == 1
                    };
                    if kicker {
                        kickers.push(node.id());
                    }
                    if *name == local_name!("body") {
                        let hay = format!("{class} {id}").to_ascii_lowercase();
                        w.single_post |= hay.contains("single-post") || hay.contains("postid-");
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    let counted = text_count::count(t);
                    facts.record_text(node.id(), counted);
                    let n = prose_length_of(counted);
                    if n == 0 {
                        continue;
                    }
                    w.text_chars += n;
                    if in_link > 0 {
                        w.link_chars += n;
                    }
                    if let Some(b) = blocks.last_mut() {
                        b.0 += n;
                        if in_link > 0 {
                            b.1 += n;
                        }
                    }
                    if has_currency_mark(t) {
                        let (marks, prices) = count_prices(t);
                        w.currency += marks;
                        w.prices += prices;
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Some(el) = node.value().as_element() else {
                    continue;
                };
                let name = &el.name.local;
                if is_hidden(name) {
                    hidden = hidden.saturating_sub(1);
                    continue;
                }
                if hidden > 0 {
                    continue;
                }
                if *name == local_name!("a") {
                    in_link = in_link.saturating_sub(1);
                } else if is_paragraph_like(name) {
                    if let Some((chars, link)) = blocks.pop() {
                        if chars >= 80 && link * 10 < chars * 3 {
                            w.prose_chars += chars;
                            w.prose_paras += 1;
                        }
                        w.longest_para = w.longest_para.max(chars);
                    }
                }
            }
        }
    }
    w
}

#[cfg(test)]
#[path = "structure_tests.rs"]
mod tests;
