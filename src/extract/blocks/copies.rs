//! Text a page shows more than once for its layout, not for its reader:
//! a section written out again for each screen size (site builders render
//! a desktop, a tablet and a phone variant side by side and let CSS media
//! queries show one), and a ticker that repeats one phrase to scroll it.
//!
//! The walk cannot read media queries, so the variants all look visible;
//! [`layout_copies`] finds them by structure: a sibling subtree whose
//! blocks repeat an earlier sibling's.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::Block;
use crate::extract::generic::dom::{Page, NONE};

/// Characters of block text a subtree needs before it is compared with
/// its earlier siblings (short ones, a card's "Learn more", repeat
/// legitimately).
const MIN_COPY_CHARS: usize = 100;

/// Blocks a subtree needs to be a copy (a single paragraph repeated by
/// its sibling is a pattern of documentation: the same note under each
/// language's tab).
const MIN_COPY_BLOCKS: usize = 2;

/// Blocks the comparison may visit on one page (each level of nesting
/// visits a block again): a hostile page's deep and wide tree stops
/// there instead of making the pass quadratic.
const VISIT_BUDGET: usize = 200_000;

/// Words a block needs before it is tested as a ticker.
const MIN_TICKER_WORDS: usize = 20;

/// Distinct words per word below which a block is a ticker.
const MAX_TICKER_VARIETY: f64 = 0.2;

/// Most distinct words a ticker's phrase has (a long text's vocabulary
/// grows slower than its length: its variety alone does not tell).
const MAX_TICKER_DISTINCT: usize = 6;

/// For each block of `blocks` (cut from `page`, scored `scores`), whether
/// it repeats the page's text for its layout: it lies in a subtree of at
/// least [`MIN_COPY_CHARS`] characters and [`MIN_COPY_BLOCKS`] blocks
/// every one of which repeats a block of one earlier sibling subtree (of
/// the two, the one with the lower mean score is the copy), or it is one
/// short phrase repeated ([`is_ticker`]). Near copies are not copies: two
/// event cards share a description but not their dates, two comparison
/// tables their row labels but not every cell.
pub fn layout_copies(page: &Page<'_>, blocks: &[Block], scores: &[f32]) -> Vec<bool> {
    let n = page.elems.len();
    let mut copy = vec![false; blocks.len()];
    if n == 0 || blocks.is_empty() {
        return copy;
    }
    // Each element's range of blocks: a subtree's blocks are contiguous
    // in document order. Children come after their parents in the walk,
    // so one backward pass carries the ranges up.
    let mut lo = vec![u32::MAX; n];
    let mut hi = vec![0u32; n];
    for (k, b) in blocks.iter().enumerate() {
        let e = b.elem as usize;
        if e < n {
            lo[e] = lo[e].min(k as u32);
            hi[e] = hi[e].max(k as u32 + 1);
        }
    }
    for i in (1..n).rev() {
        let p = page.elems[i].parent;
        if p != NONE && (p as usize) < i {
            let p = p as usize;
            lo[p] = lo[p].min(lo[i]);
            hi[p] = hi[p].max(hi[i]);
        }
    }
    let hashes: Vec<u64> = blocks
        .iter()
        .map(|b| {
            let mut h = DefaultHasher::new();
            b.text.hash(&mut h);
            h.finish()
        })
        .collect();
    // Characters of the blocks before each block: a subtree's in O(1).
    let mut chars_before = Vec::with_capacity(blocks.len() + 1);
    chars_before.push(0usize);
    for b in blocks {
        chars_before.push(chars_before[chars_before.len() - 1] + b.text.len());
    }
    let range = |i: usize| (lo[i] as usize)..(hi[i] as usize).max(lo[i] as usize);
    let mut dropped = vec![false; n];
    let mut visits = 0usize;
    let mut i = 0;
    'outer: while i < n {
        if dropped[i] {
            i = page.elems[i].end as usize;
            continue;
        }
        // The children of `i` holding enough text to be compared.
        let mut kids = Vec::new();
        let mut c = i + 1;
        while c < page.elems[i].end as usize && c < n {
            if lo[c] != u32::MAX
                && chars_before[hi[c] as usize] - chars_before[lo[c] as usize] >= MIN_COPY_CHARS
            {
                kids.push(c);
            }
            c = (page.elems[c].end as usize).max(c + 1);
        }
        if kids.len() >= 2 {
            // Each block text seen under an earlier child: how often, and
            // the first child that showed it.
            let mut seen: HashMap<u64, (u32, usize)> = HashMap::new();
            for &c in &kids {
                let r = range(c);
                visits += r.len();
                if visits > VISIT_BUDGET {
                    break 'outer;
                }
                let mut own: HashMap<u64, u32> = HashMap::new();
                for k in r.clone() {
                    *own.entry(hashes[k]).or_insert(0) += 1;
                }
                let mut repeated_blocks = 0usize;
                let mut sources: HashSet<usize> = HashSet::new();
                for (h, &count) in &own {
                    if let Some(&(earlier, source)) = seen.get(h) {
                        repeated_blocks += count.min(earlier) as usize;
                        sources.insert(source);
                    }
                }
                let is_copy =
                    r.len() >= MIN_COPY_BLOCKS && repeated_blocks == r.len() && sources.len() == 1;
                if is_copy {
                    // Of the two variants, the one the model trusts less goes.
                    let original = sources.into_iter().next().unwrap_or(c);
                    let mean = |e: usize| {
                        let r = range(e);
                        let n = r.len().max(1) as f32;
                        scores.get(r).map_or(0.0, |s| s.iter().sum::<f32>()) / n
                    };
                    if mean(original) < mean(c) {
                        dropped[original] = true;
                    } else {
                        dropped[c] = true;
                    }
                } else {
                    for (h, count) in own {
                        seen.entry(h).or_insert((0, c)).0 += count;
                    }
                }
            }
        }
        i += 1;
    }
    // A block is a copy when an element it lies in was dropped.
    let mut inside = vec![false; n];
    for e in 0..n {
        let p = page.elems[e].parent;
        inside[e] = dropped[e] || (p != NONE && (p as usize) < e && inside[p as usize]);
    }
    for (k, b) in blocks.iter().enumerate() {
        copy[k] = inside.get(b.elem as usize).copied().unwrap_or(false) || is_ticker(&b.text);
    }
    copy
}

/// One short phrase repeated to scroll across the screen ("Book now *
/// Book now * ..."): at least [`MIN_TICKER_WORDS`] words, of which at most
/// [`MAX_TICKER_DISTINCT`], and fewer than [`MAX_TICKER_VARIETY`] per
/// word, are distinct.
pub fn is_ticker(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < MIN_TICKER_WORDS {
        return false;
    }
    let distinct: HashSet<String> = words.iter().map(|w| w.to_lowercase()).collect();
    distinct.len() <= MAX_TICKER_DISTINCT
        && (distinct.len() as f64) < MAX_TICKER_VARIETY * words.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::blocks::page_blocks;
    use crate::extract::generic::{body_element, dom};
    use crate::parse::parse_document;

    fn copies(html: &str) -> Vec<(String, bool)> {
        let doc = parse_document(html);
        let page = dom::walk(*body_element(&doc));
        let blocks = page_blocks(&page);
        let scores = vec![0.5; blocks.len()];
        let copy = layout_copies(&page, &blocks, &scores);
        blocks.into_iter().map(|b| b.text).zip(copy).collect()
    }

    const SECTION: &str = "<h2>How it works</h2><p>Tell us what you need, we plan \
        the work with you, and we deliver it on time and on budget, every time.</p><p>Drew</p>";

    #[test]
    fn a_section_written_again_for_another_screen_size_is_a_copy() {
        // The phone variant lacks a caption: still a copy.
        let html = format!(
            "<body><main><h1>Plans</h1><div class=desktop>{SECTION}</div>\
             <div class=phone>{}</div><div><p>Prices start at ten euros a month, \
             billed monthly, cancel any time you like.</p></div></main></body>",
            SECTION.replace("<p>Drew</p>", "")
        );
        let got = copies(&html);
        let flagged: Vec<&str> = got
            .iter()
            .filter(|(_, c)| *c)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(
            flagged,
            [
                "How it works",
                "Tell us what you need, we plan the work with you, and we deliver it on time \
                 and on budget, every time."
            ]
        );
        assert_eq!(got.len(), 7, "{got:?}");
    }

    #[test]
    fn of_two_variants_the_one_scored_lower_is_the_copy() {
        let html = format!("<body><main><div>{SECTION}</div><div>{SECTION}</div></main></body>");
        let doc = parse_document(&html);
        let page = dom::walk(*body_element(&doc));
        let blocks = page_blocks(&page);
        assert_eq!(blocks.len(), 6);
        let scores = [0.1, 0.1, 0.1, 0.9, 0.9, 0.9];
        assert_eq!(
            layout_copies(&page, &blocks, &scores),
            [true, true, true, false, false, false]
        );
    }

    #[test]
    fn near_copies_and_single_repeated_paragraphs_are_not_copies() {
        // Event cards: one description, other dates and places.
        let card = |date: &str, place: &str| {
            format!(
                "<div><p>{date}</p><p>{place}</p><p>The yearly meeting of the people \
                 who keep the networks of small firms running, with talks and workshops.</p></div>"
            )
        };
        // The same note under each language's tab.
        let zone = "<div><p>For more information, including links to example code that \
                    you can refer to, see the reference of the bindings.</p></div>";
        let html = format!(
            "<body><main><section>{}{}</section><section>{zone}{zone}{zone}</section></main></body>",
            card("April 8", "Boston"),
            card("April 30", "Houston")
        );
        assert!(copies(&html).iter().all(|(_, c)| !c), "{:?}", copies(&html));
    }

    #[test]
    fn cards_that_share_short_lines_are_not_copies() {
        let card = |t: &str| {
            format!(
                "<div><h3>{t}</h3><p>What the {t} plan gives a team of ten people, \
                 told in one sentence.</p><p>Learn more</p><p>Learn more</p></div>"
            )
        };
        let html = format!(
            "<body><main>{}{}{}</main></body>",
            card("Basic"),
            card("Team"),
            card("Pro")
        );
        assert!(copies(&html).iter().all(|(_, c)| !c));
    }

    #[test]
    fn a_ticker_is_a_copy_prose_is_not() {
        assert!(is_ticker(&"Book now * ".repeat(12)));
        assert!(!is_ticker(
            "We design packaging that combines visual elegance with strategy, so \
             that every box on the shelf tells the brand's story to the people \
             who pick it up and read it."
        ));
        assert!(!is_ticker("Yes yes yes"));
        // A sentence said again and again is still a sentence.
        assert!(!is_ticker(
            &"The council voted on Tuesday to keep the town library open. ".repeat(17)
        ));
    }
}
