//! Block features from the page's outline: the block's heading level, the
//! section it sits in (the blocks from one heading to the next), how far
//! it lies from the page's first `<h1>`, how often its text repeats on the
//! page (a menu shown twice, a card's "Read more") and whether it is a
//! known boilerplate phrase. Linear in the blocks.

use rustc_hash::FxHashMap;

use super::Block;
use crate::extract::text::BlockKind;
use crate::vocabulary::{
    is_boilerplate_paragraph, is_hard_tail_marker, is_login_heading, is_tail_marker,
};

/// The outline features of one block (see [`outline`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Outline {
    /// Its heading level (1-6), 0 when it is no heading.
    pub heading_level: f32,
    /// `ln(1 + n)`: n other blocks on the page have the same text (case
    /// and surrounding whitespace ignored).
    pub dup_log: f32,
    /// 1 when the page has an `<h1>` block.
    pub has_h1: f32,
    /// Signed `ln(1 + |k - h|)`, k the block's index and h the first
    /// `<h1>` block's (negative before it, 0 without one).
    pub h1_offset: f32,
    /// The level of the nearest heading before the block (0: none).
    pub section_level: f32,
    /// `ln(1 + blocks)` back to that heading (`ln(2 + k)` without one).
    pub section_gap: f32,
    /// The block's share of its section's text (the section: the blocks
    /// from the heading at or before it up to the next heading).
    pub section_share: f32,
    /// 1 for a known boilerplate line (a copyright notice, a comment
    /// form's line, a "Related articles" or login heading).
    pub boilerplate: f32,
}

fn level(kind: BlockKind) -> Option<u8> {
    match kind {
        BlockKind::Heading(n) => Some(n),
        _ => None,
    }
}

fn signed_log(d: isize) -> f32 {
    let m = (d.unsigned_abs() as f32).ln_1p();
    if d < 0 {
        -m
    } else {
        m
    }
}

/// The outline features of every block, in the blocks' order.
pub fn outline(blocks: &[Block]) -> Vec<Outline> {
    let mut seen: FxHashMap<String, u32> = FxHashMap::default();
    let keys: Vec<String> = blocks
        .iter()
        .map(|b| b.text.trim().to_lowercase())
        .collect();
    for k in &keys {
        *seen.entry(k.clone()).or_insert(0) += 1;
    }
    let h1 = blocks.iter().position(|b| level(b.kind) == Some(1));
    // Sections: a heading opens one; each block's section index and the
    // sections' lengths in bytes.
    let mut section_of = Vec::with_capacity(blocks.len());
    let mut section_len: Vec<usize> = vec![0];
    for b in blocks {
        if level(b.kind).is_some() {
            section_len.push(0);
        }
        let s = section_len.len() - 1;
        section_len[s] += b.text.len();
        section_of.push(s);
    }
    let mut last_heading: Option<(usize, u8)> = None;
    blocks
        .iter()
        .enumerate()
        .map(|(k, b)| {
            let before = last_heading;
            if let Some(n) = level(b.kind) {
                last_heading = Some((k, n));
            }
            let t = b.text.trim();
            let boilerplate = is_boilerplate_paragraph(t)
                || is_tail_marker(t)
                || is_hard_tail_marker(t)
                || is_login_heading(t);
            Outline {
                heading_level: f32::from(level(b.kind).unwrap_or(0)),
                dup_log: ((seen[&keys[k]] - 1) as f32).ln_1p(),
                has_h1: f32::from(h1.is_some()),
                h1_offset: h1.map_or(0.0, |h| signed_log(k as isize - h as isize)),
                section_level: f32::from(before.map_or(0, |(_, n)| n)),
                section_gap: before
                    .map_or(((k + 1) as f32).ln_1p(), |(h, _)| ((k - h) as f32).ln_1p()),
                section_share: b.text.len() as f32 / section_len[section_of[k]].max(1) as f32,
                boilerplate: f32::from(boilerplate),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, kind: BlockKind) -> Block {
        Block {
            elem: 0,
            text: text.to_string(),
            kind,
        }
    }

    #[test]
    fn sections_headings_and_repeats_are_measured() {
        let blocks = [
            block("Home", BlockKind::ListItem),
            block("Plans", BlockKind::Heading(1)),
            block("Basic costs nothing.", BlockKind::Text),
            block("Pro", BlockKind::Heading(2)),
            block("Pro costs ten.", BlockKind::Text),
            block("More", BlockKind::Text),
            block(" home ", BlockKind::ListItem),
            block("All rights reserved.", BlockKind::Text),
        ];
        let o = outline(&blocks);
        assert_eq!(o[0].dup_log, 2f32.ln());
        assert_eq!(o[6].dup_log, 2f32.ln());
        assert_eq!(o[2].dup_log, 0.0);
        assert_eq!(o[0].h1_offset, -(2f32.ln()));
        assert_eq!(o[1].h1_offset, 0.0);
        assert_eq!(o[4].h1_offset, 4f32.ln());
        assert!(o.iter().all(|x| x.has_h1 == 1.0));
        assert_eq!(o[1].heading_level, 1.0);
        assert_eq!(o[3].heading_level, 2.0);
        assert_eq!(o[2].heading_level, 0.0);
        // Before any heading: no section level, gap from the page's start.
        assert_eq!(o[0].section_level, 0.0);
        assert_eq!(o[0].section_gap, 1f32.ln_1p());
        // A heading's section level is the previous heading's.
        assert_eq!(o[3].section_level, 1.0);
        assert_eq!(o[5].section_level, 2.0);
        assert_eq!(o[5].section_gap, 2f32.ln_1p());
        // "Pro" section: "Pro" (3) + "Pro costs ten." (14) + "More" (4)
        // + " home " (6) + "All rights reserved." (20) = 47 bytes.
        assert_eq!(o[4].section_share, 14.0 / 47.0);
        assert_eq!(o[0].section_share, 1.0);
        assert_eq!(o[7].boilerplate, 1.0);
        assert_eq!(o[4].boilerplate, 0.0);
    }

    #[test]
    fn a_page_without_h1_has_no_offset() {
        let o = outline(&[
            block("A", BlockKind::Text),
            block("B", BlockKind::Heading(2)),
        ]);
        assert_eq!(o[0].has_h1, 0.0);
        assert_eq!(o[1].h1_offset, 0.0);
        assert_eq!(o[1].section_level, 0.0);
    }
}
