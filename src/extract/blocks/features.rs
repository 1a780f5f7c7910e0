//! Features of a page's text blocks for the block model, computed from the
//! one walk of the body, linear in the page.

use std::collections::HashMap;

use super::context::{nearness, repetition};
use super::{Block, BlockContext};
use crate::extract::generic::dom::{Attrs, Page, NONE};
use crate::extract::page_type::PageType;
use crate::extract::text::{BlockKind, Paragraph};
use crate::metric::tokens;

/// The features' names, in the order of [`BlockFeatures::values`] (the
/// model file lists them too; a mismatch means it must be retrained).
pub const NAMES: &[&str] = &[
    "log_chars",
    "log_words",
    "link_density",
    "punct_per_word",
    "sentence_end",
    "is_heading",
    "is_list_item",
    "is_cell",
    "is_pre",
    "is_p",
    "is_div",
    "log_depth",
    "position",
    "class_weight",
    "weak_hint",
    "pruned",
    "in_main",
    "in_article",
    "in_nav",
    "in_aside",
    "in_header",
    "in_footer",
    "in_form",
    "parent_log_chars",
    "parent_link_density",
    "grand_log_chars",
    "grand_link_density",
    "share_of_page",
    "in_generic",
    "in_typed",
    "prev_log_chars",
    "prev_link_density",
    "prev_in_generic",
    "prev_in_typed",
    "prev_is_heading",
    "next_log_chars",
    "next_link_density",
    "next_in_generic",
    "next_in_typed",
    "next_is_heading",
    "type_article",
    "type_listing",
    "type_forum",
    "type_product",
    "type_collection",
    "type_documentation",
    "type_service",
    "type_confidence",
    "page_log_chars",
    "log_blocks",
    "generic_empty",
    "typed_empty",
    "rep_log_items",
    "rep_levels",
    "rep_share",
    "rep_link_density",
    "rep_position",
    "generic_window",
    "generic_gap",
    "generic_span",
    "typed_window",
    "typed_gap",
    "typed_span",
];

/// Position of `name` in [`NAMES`], found at compile time (a name that is
/// not there fails the build).
const fn index_of(name: &str) -> usize {
    let mut i = 0;
    while i < NAMES.len() {
        let (a, b) = (NAMES[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("not a block feature name");
}

/// Index of `in_typed`: the share of the block's words the typed body kept.
pub const IN_TYPED: usize = index_of("in_typed");
/// Index of `link_density`: the linked share of the block element's own text.
pub const LINK_DENSITY: usize = index_of("link_density");
/// Index of `typed_empty`: 1 when the typed extractor found nothing.
pub const TYPED_EMPTY: usize = index_of("typed_empty");
/// Index of `type_service`: 1 when the page is extracted as a service page.
pub const TYPE_SERVICE: usize = index_of("type_service");
/// Index of `rep_log_items`: `ln(1 + n)` for the n alike siblings of the
/// block's nearest repeated group, 0 outside any.
pub const REP_LOG_ITEMS: usize = index_of("rep_log_items");

/// One block's feature values.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockFeatures(pub Vec<f32>);

impl BlockFeatures {
    /// The values, in the order of [`NAMES`].
    pub fn values(&self) -> &[f32] {
        &self.0
    }
}

/// Ancestor flags (the element itself included).
const MAIN: u8 = 1;
const ARTICLE: u8 = 2;
const NAV: u8 = 4;
const ASIDE: u8 = 8;
const HEADER: u8 = 16;
const FOOTER: u8 = 32;
const FORM: u8 = 64;

/// The flags an element adds for its subtree.
fn own_flags(name: &str, role: &str) -> u8 {
    let by_name = match name {
        "main" => MAIN,
        "article" => ARTICLE,
        "nav" => NAV,
        "aside" => ASIDE,
        "header" => HEADER,
        "footer" => FOOTER,
        "form" => FORM,
        _ => 0,
    };
    let by_role = match role {
        "main" => MAIN,
        "navigation" => NAV,
        "complementary" => ASIDE,
        "banner" => HEADER,
        "contentinfo" => FOOTER,
        _ => 0,
    };
    by_name | by_role
}

/// The lower-cased words of paragraphs, counted.
fn word_bag(paragraphs: &[Paragraph]) -> HashMap<String, u32> {
    let mut bag = HashMap::new();
    for p in paragraphs {
        for t in tokens(&p.text.to_lowercase()) {
            *bag.entry(t.to_string()).or_insert(0) += 1;
        }
    }
    bag
}

/// Share of `words` found in `bag`, taking each found word out of it (so
/// a menu repeated twice matches a body that holds it once only once).
fn take_share(words: &[&str], bag: &mut HashMap<String, u32>) -> f32 {
    if words.is_empty() {
        return 0.0;
    }
    let mut found = 0usize;
    for w in words {
        if let Some(n) = bag.get_mut(*w).filter(|n| **n > 0) {
            *n -= 1;
            found += 1;
        }
    }
    found as f32 / words.len() as f32
}

fn log(x: u32) -> f32 {
    (x as f32).ln_1p()
}

/// The features of every block of a walked page (in the blocks' order).
pub fn block_features(
    page: &Page<'_>,
    blocks: &[Block],
    ctx: &BlockContext<'_>,
) -> Vec<BlockFeatures> {
    let n = page.elems.len().max(1) as f32;
    let mut flags = vec![0u8; page.elems.len()];
    let mut depth = vec![0u32; page.elems.len()];
    for (i, e) in page.elems.iter().enumerate() {
        let (name, role) = match e.element() {
            Some(el) => (el.name(), Attrs::of(el).role),
            None => ("", ""),
        };
        let inherited = if e.parent == NONE {
            0
        } else {
            depth[i] = depth[e.parent as usize] + 1;
            flags[e.parent as usize]
        };
        flags[i] = inherited | own_flags(name, role);
    }
    let page_chars = page.elems.first().map_or(0, |e| e.chars).max(1);
    let (mut generic_bag, mut typed_bag) = (word_bag(ctx.generic), word_bag(ctx.typed));
    // Per block: (log chars, link density, in generic, in typed, heading).
    let own: Vec<[f32; 5]> = blocks
        .iter()
        .map(|b| {
            let e = &page.elems[b.elem as usize];
            let lower = b.text.to_lowercase();
            let words = tokens(&lower);
            [
                log(e.own_chars),
                e.own_link as f32 / e.own_chars.max(1) as f32,
                take_share(&words, &mut generic_bag),
                take_share(&words, &mut typed_bag),
                f32::from(matches!(b.kind, BlockKind::Heading(_))),
            ]
        })
        .collect();
    let none = [0.0, 0.0, 0.0, 0.0, 0.0];
    let rep = repetition(page, blocks);
    let near_generic = nearness(&own.iter().map(|o| o[2] >= 0.5).collect::<Vec<_>>());
    let near_typed = nearness(&own.iter().map(|o| o[3] >= 0.5).collect::<Vec<_>>());
    let type_index = ctx.page_type.index();
    blocks
        .iter()
        .enumerate()
        .map(|(k, b)| {
            let i = b.elem as usize;
            let e = &page.elems[i];
            let name = e.name();
            let words = b.text.split_whitespace().count() as u32;
            let ends = b.text.trim_end().ends_with(['.', '!', '?', '。', '؟', ':']);
            let parent = (e.parent != NONE).then(|| &page.elems[e.parent as usize]);
            let grand = parent
                .filter(|p| p.parent != NONE)
                .map(|p| &page.elems[p.parent as usize]);
            let prev = if k > 0 { own[k - 1] } else { none };
            let next = own.get(k + 1).copied().unwrap_or(none);
            let f = flags[i];
            let flag = |bit: u8| f32::from(f & bit != 0);
            let mut v = vec![
                own[k][0],
                log(words),
                own[k][1],
                e.own_punct as f32 / words.max(1) as f32,
                f32::from(ends),
                own[k][4],
                f32::from(b.kind == BlockKind::ListItem),
                f32::from(b.kind == BlockKind::Cell),
                f32::from(b.kind == BlockKind::Pre),
                f32::from(name == "p"),
                f32::from(name == "div"),
                log(depth[i]),
                i as f32 / n,
                e.weight as f32,
                f32::from(e.weak),
                f32::from(e.pruned),
                flag(MAIN),
                flag(ARTICLE),
                flag(NAV),
                flag(ASIDE),
                flag(HEADER),
                flag(FOOTER),
                flag(FORM),
                parent.map_or(0.0, |p| log(p.chars)),
                parent.map_or(1.0, |p| p.link_density()),
                grand.map_or(0.0, |g| log(g.chars)),
                grand.map_or(1.0, |g| g.link_density()),
                e.own_chars as f32 / page_chars as f32,
                own[k][2],
                own[k][3],
            ];
            v.extend_from_slice(&prev);
            v.extend_from_slice(&next);
            v.extend(
                PageType::ALL
                    .iter()
                    .map(|t| f32::from(t.index() == type_index)),
            );
            v.push(ctx.confidence);
            v.push(log(page_chars));
            v.push(log(blocks.len() as u32));
            v.push(f32::from(ctx.generic.is_empty()));
            v.push(f32::from(ctx.typed.is_empty()));
            let r = rep[k];
            v.extend([r.log_items, r.levels, r.share, r.link_density, r.position]);
            v.extend_from_slice(&near_generic[k]);
            v.extend_from_slice(&near_typed[k]);
            debug_assert_eq!(v.len(), NAMES.len());
            BlockFeatures(v)
        })
        .collect()
}
