//! Repeated groups judged as a whole: a listing's or collection's menu,
//! carousel or footer columns the block model doubts are left out
//! together, the page's own grid spared.

use super::Block;

/// Mean score (over a group's words) under which a repeated group's
/// blocks are all left out on a listing or a collection, the page's main
/// group excepted (see [`doubted_groups`]). Wcxb-dev, tuning / validation
/// word F1: 0.8850 / 0.8754 -> 0.8853 / 0.8755 (collection 0.7111 /
/// 0.7327 -> 0.7147 / 0.7338, listing 0.7712 / 0.7855 -> 0.7700 /
/// 0.7869), generic 0.9412 / 0.9366 -> 0.9414 / 0.9371, publishers
/// unchanged. Without sparing the main group: 0.15 0.8851 / 0.8754 (two
/// tuning pages move), 0.25 0.8852 / 0.8754 but 26 tuning pages move both
/// ways: a collection's own grid that the model doubts (mean 0.13-0.16)
/// went too, a whole page's content.
pub(super) const DOUBTED_GROUP_MEAN: f32 = 0.3;

/// Per block, whether it belongs to a repeated group (`groups`: each
/// block's nearest group, see [`super::context::nearest_groups`]) whose blocks'
/// mean score, weighted by their words, is under `threshold`: a menu, a
/// carousel of other products, a footer's link columns. The model judges
/// each block alone, and keeps a few of such a group's items at scores
/// just over its thresholds (a card's "2 Colors", a menu's longer link);
/// the group as a whole says what they are. The group whose words'
/// scores sum highest is the page's own grid or list and is never left
/// out (a shop's product grid the model doubts card by card).
pub(super) fn doubted_groups(
    blocks: &[Block],
    groups: &[Option<u32>],
    scores: &[f32],
    threshold: f32,
) -> Vec<bool> {
    let words = |b: &Block| b.text.split_whitespace().count().max(1) as f32;
    let mut sums: rustc_hash::FxHashMap<u32, (f32, f32)> = rustc_hash::FxHashMap::default();
    for ((b, g), s) in blocks.iter().zip(groups).zip(scores) {
        if let Some(g) = g {
            let e = sums.entry(*g).or_insert((0.0, 0.0));
            let w = words(b);
            e.0 += w * s;
            e.1 += w;
        }
    }
    // The group holding the most of the model's belief (its words' scores
    // summed) is the page's own grid or list: it stays whatever its mean.
    let main = sums
        .iter()
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(b.0.cmp(a.0)))
        .map(|(&g, _)| g);
    groups
        .iter()
        .map(|g| {
            g.is_some_and(|g| {
                Some(g) != main && sums.get(&g).is_some_and(|&(s, w)| s < threshold * w)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::BlockKind;

    #[test]
    fn a_group_doubted_as_a_whole_is_left_out_whole() {
        let block = |text: &str| Block {
            elem: 0,
            text: text.to_string(),
            kind: BlockKind::ListItem,
        };
        let blocks = [
            block("Shop all sale"),
            block("Hats"),
            block("Socks"),
            block("Merino wool blend calf socks, four pairs"),
            block("Cotton ankle socks, six pairs"),
            block("Linen no-show socks"),
            block("Free delivery"),
        ];
        // A menu (group 0) of which the model kept one link, a grid of
        // cards (group 1) it doubts in part but believes in most of all
        // groups (the page's own grid: it stays), a line of no group.
        let groups = [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), None];
        let scores = [0.2, 0.05, 0.05, 0.3, 0.1, 0.1, 0.01];
        let doubted = doubted_groups(&blocks, &groups, &scores, DOUBTED_GROUP_MEAN);
        assert_eq!(doubted, [true, true, true, false, false, false, false]);
    }
}
