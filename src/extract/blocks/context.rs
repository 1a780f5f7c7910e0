//! Block features that look beyond a block's own element: the group of
//! alike siblings it belongs to (a card of a grid, an item of a listing,
//! a link of a menu) and how far it lies from what the generic and the
//! typed extractors kept. Linear in the page.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::Block;
use crate::extract::generic::dom::{Attrs, Page, NONE};
use crate::extract::typed::repeated::signature;

/// Alike siblings (same parent, tag and class signature) needed to call
/// them a repeated group.
const MIN_GROUP: u32 = 3;

/// Ancestors (the element itself included) searched for a repeated group.
/// Utility-class templates nest a card's title 7 or more levels below the
/// card (`article > div > div > div > div > a > h3`), so it has no group
/// here while the card's price has one. A deeper search WITHOUT retraining
/// the model was measured and not kept (wcxb-dev, tuning / validation,
/// 0.8854 / 0.8756 before): 8 levels 0.8858 / 0.8753 (listing validation
/// 0.7869 -> 0.7807), 12 levels 0.8858 / 0.8756 (listing 0.7804), 12 for
/// the features only 0.8857 / 0.8756 (listing 0.7804, service 0.7715 ->
/// 0.7756), 12 for the doubted groups only 0.8855 / 0.8755, 12 or 8 on
/// collections only 0.8854 / 0.8756; deeper levels clamped to 5 changed
/// nothing. Retrained on the tuning dump (train_blocks.py --align, same
/// settings) with the search at 10 levels: 0.8855 / 0.8748 (collection
/// 0.7147 / 0.7338 -> 0.7094 / 0.7272, listing 0.7790 / 0.7788, service
/// 0.8722 / 0.7795, product 0.7508 / 0.6828); the retrained control at 6
/// levels 0.8853 / 0.8752 (collection 0.7094 / 0.7259): retraining today
/// loses by itself, and the deeper search gains little over it.
const MAX_LEVELS: u32 = 6;

/// Blocks on each side of a block in its neighbourhood window.
const WINDOW: usize = 3;

/// The repeated group nearest above a block: its size, how far up it is,
/// its share of the page's text, its link density and the block's item's
/// place in it. All zero (levels [`MAX_LEVELS`]) when there is none.
#[derive(Debug, Clone, Copy, Default)]
pub struct Repetition {
    /// `ln(1 + items)`.
    pub log_items: f32,
    /// Levels from the block's element up to the item (0: the block is
    /// the item).
    pub levels: f32,
    /// The group's characters over the page's.
    pub share: f32,
    /// Linked share of the group's text.
    pub link_density: f32,
    /// The item's index in the group over (items - 1).
    pub position: f32,
}

/// Per element: its group's (size, chars, linked chars) and its index in
/// the group.
struct Groups {
    of: Vec<Option<(u32, u32)>>,
    stats: Vec<(u32, u64, u64)>,
}

fn groups(page: &Page<'_>) -> Groups {
    let mut ids: FxHashMap<(u32, &str, Cow<'_, str>), u32> = FxHashMap::default();
    let mut stats: Vec<(u32, u64, u64)> = Vec::new();
    let mut of = vec![None; page.elems.len()];
    for (i, e) in page.elems.iter().enumerate() {
        let Some(el) = e.element() else { continue };
        if e.parent == NONE || e.chars == 0 {
            continue;
        }
        let (tag, token) = signature(el.name(), Attrs::of(el).class);
        let next = stats.len() as u32;
        let id = *ids.entry((e.parent, tag, token)).or_insert(next);
        if id == next {
            stats.push((0, 0, 0));
        }
        let s = &mut stats[id as usize];
        of[i] = Some((id, s.0));
        s.0 += 1;
        s.1 += u64::from(e.chars);
        s.2 += u64::from(e.link_chars);
    }
    Groups { of, stats }
}

/// The repetition features of every block.
pub fn repetition(page: &Page<'_>, blocks: &[Block]) -> Vec<Repetition> {
    let g = groups(page);
    let page_chars = page.elems.first().map_or(0, |e| e.chars).max(1) as f32;
    blocks
        .iter()
        .map(|b| match nearest(&g, page, b) {
            Some((level, id, index)) => {
                let (n, chars, link) = g.stats[id as usize];
                Repetition {
                    log_items: (n as f32).ln_1p(),
                    levels: level as f32,
                    share: chars as f32 / page_chars,
                    link_density: link as f32 / chars.max(1) as f32,
                    position: index as f32 / (n - 1) as f32,
                }
            }
            None => Repetition {
                levels: MAX_LEVELS as f32,
                ..Repetition::default()
            },
        })
        .collect()
}

/// The repeated group nearest above block `b` (the one of
/// [`repetition`]): the levels up to its item, the group's id and the
/// item's index in it.
fn nearest(g: &Groups, page: &Page<'_>, b: &Block) -> Option<(u32, u32, u32)> {
    let mut i = b.elem;
    for level in 0..MAX_LEVELS {
        if i == NONE {
            break;
        }
        if let Some((id, index)) = g.of[i as usize] {
            if g.stats[id as usize].0 >= MIN_GROUP {
                return Some((level, id, index));
            }
        }
        i = page.elems[i as usize].parent;
    }
    None
}

/// Per block, the id of its nearest repeated group (the one its
/// repetition features describe), `None` outside any: blocks of one
/// grid's cards or one menu's links share an id.
pub fn nearest_groups(page: &Page<'_>, blocks: &[Block]) -> Vec<Option<u32>> {
    let g = groups(page);
    blocks
        .iter()
        .map(|b| nearest(&g, page, b).map(|(_, id, _)| id))
        .collect()
}

/// Where a block lies relative to the blocks an extractor kept (those
/// with `kept[k]`): the kept share of its neighbours (up to [`WINDOW`] on
/// each side, itself excluded), `ln(1 + distance)` in blocks to the
/// nearest kept one (`ln(1 + blocks)` when none is), and whether it lies
/// between the first and the last kept block.
pub fn nearness(kept: &[bool]) -> Vec<[f32; 3]> {
    let n = kept.len();
    let far = (n as f32).ln_1p();
    // Distance to the nearest kept block before and after each block.
    let mut before = vec![usize::MAX; n];
    let mut last = None;
    for k in 0..n {
        if kept[k] {
            last = Some(k);
        }
        if let Some(l) = last {
            before[k] = k - l;
        }
    }
    let mut after = vec![usize::MAX; n];
    let mut next = None;
    for k in (0..n).rev() {
        if kept[k] {
            next = Some(k);
        }
        if let Some(x) = next {
            after[k] = x - k;
        }
    }
    let mut prefix = vec![0u32; n + 1];
    for k in 0..n {
        prefix[k + 1] = prefix[k] + u32::from(kept[k]);
    }
    (0..n)
        .map(|k| {
            let (lo, hi) = (k.saturating_sub(WINDOW), (k + WINDOW + 1).min(n));
            let around = prefix[hi] - prefix[lo] - u32::from(kept[k]);
            let window = (hi - lo - 1).max(1) as f32;
            let d = before[k].min(after[k]);
            [
                around as f32 / window,
                if d == usize::MAX {
                    far
                } else {
                    (d as f32).ln_1p()
                },
                f32::from(before[k] != usize::MAX && after[k] != usize::MAX),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::blocks::page_blocks;
    use crate::extract::generic::{self, dom};
    use crate::parse::parse_document;

    #[test]
    fn a_card_of_a_grid_is_in_a_group_a_lone_paragraph_is_not() {
        let doc = parse_document(
            "<body><p>An introduction to the list that follows here.</p><div class=grid>\
             <div class=card><h3>First</h3><p>One text</p></div>\
             <div class=card><h3>Second</h3><p>Two text</p></div>\
             <div class=card><h3>Third</h3><p>Three text</p></div></div></body>",
        );
        let page = dom::walk(*generic::body_element(&doc));
        let blocks = page_blocks(&page);
        let rep = repetition(&page, &blocks);
        let by_text = |t: &str| rep[blocks.iter().position(|b| b.text == t).unwrap()];
        assert_eq!(
            by_text("An introduction to the list that follows here.").log_items,
            0.0
        );
        let third = by_text("Three text");
        assert_eq!(third.log_items, 4f32.ln());
        assert_eq!(third.levels, 1.0);
        assert_eq!(third.position, 1.0);
        assert_eq!(by_text("First").position, 0.0);
    }

    #[test]
    fn nearness_counts_blocks_to_the_nearest_kept_one() {
        let kept = [false, true, false, false, false, true, false];
        let near = nearness(&kept);
        assert_eq!(near[0], [1.0 / 3.0, 2f32.ln(), 0.0]);
        assert_eq!(near[3][1], 3f32.ln());
        assert_eq!(near[3][2], 1.0);
        assert_eq!(near[6][2], 0.0);
        assert_eq!(nearness(&[false, false])[0], [0.0, 3f32.ln(), 0.0]);
    }
}
