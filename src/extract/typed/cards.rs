//! A listing's or collection's cards kept whole: when the block model
//! keeps part of a card (its title, a promotion line), the card's other
//! lines (its name, price, summary) are the listing's content too.
//!
//! The model judges each block alone, and a card's name is often a bare
//! link and its price a short figure, which it may score as chrome while
//! it keeps the card's other lines. Each card of a group of alike
//! siblings of which the model kept a line (not one of the cards'
//! template, said in most of them) keeps all its lines but the template's.
//! When the model kept lines of a third of a group's cards (two at least),
//! every card of the group is kept so. Only on pages where the model kept
//! at most half of the page's text: a page it kept mostly whole has its
//! cards already, and what it left out of them there (prices, dates,
//! tags) is mostly not content.

use scraper::node::Element;
use scraper::Html;

use super::disclosure::Disclosed;
use super::items::{template_lines, ItemKind};
use super::region::{is_disclosure_button, is_hidden_panel};
use super::repeated::{all_groups, Layout};
use crate::extract::blocks::ScoredBlock;
use crate::extract::generic::attrs::is_hidden_by_class;
use crate::extract::generic::{self, dom, dom::Page};
use crate::extract::text::Paragraph;

/// The fewest alike cards that make a group.
const MIN_CARDS: usize = 3;

/// Longest card (visible characters): a tile or a teaser, not a section
/// of the page holding paragraphs of its own.
const MAX_CARD_CHARS: u64 = 600;

/// Largest share of the page's block text the model may keep for its
/// cards to be completed (wcxb-dev, tuning / validation word F1: no gate
/// 0.8767 / 0.8693, 0.7 0.8769 / 0.8693, 0.5 0.8771 / 0.8698, 0.3
/// 0.8770 / 0.8693; without completion 0.8773 / 0.8679). Session 20, 0.7
/// against 0.5: 0.8854 / 0.8756 -> 0.8855 / 0.8754 (listing validation
/// 0.7869 -> 0.7837), not kept.
const MAX_KEPT_SHARE: f64 = 0.5;

/// Share of a group's cards the model must have kept a line of for all
/// its cards to be kept (at least [`MIN_KEPT_CARDS`]): the model scores
/// each card alone and drops some of a grid's cards whole (bare links,
/// cards further down). Wcxb-dev, tuning / validation word F1 (measured
/// before redundant links were read): 0.25 0.8784 / 0.8698, 0.34 0.8785 /
/// 0.8698, 0.5 0.8784 / 0.8698 (0.5 with at least 3 cards 0.8783 /
/// 0.8698); without 0.8784 / 0.8697. A kept-text gate of 0.7 instead of
/// [`MAX_KEPT_SHARE`] with 0.34: 0.8783 / 0.8693.
const MIN_KEPT_CARD_SHARE: f64 = 0.34;

/// Fewest cards kept for a group to be kept whole: one kept card of a
/// sidebar's grid does not pull in the others.
const MIN_KEPT_CARDS: usize = 2;

/// `body` (the block model's paragraphs for a listing or a collection, a
/// subsequence of `scored`'s blocks) with the lines of every card it
/// holds part of, in page order.
pub fn complete_cards(doc: &Html, scored: &[ScoredBlock], body: Vec<Paragraph>) -> Vec<Paragraph> {
    if body.is_empty() {
        return body;
    }
    let kept = aligned(scored, &body);
    let chars = |keep: &dyn Fn(usize) -> bool| -> usize {
        (0..scored.len())
            .filter(|&i| keep(i))
            .map(|i| scored[i].block.text.len())
            .sum()
    };
    let (kept_chars, all_chars) = (chars(&|i| kept[i]), chars(&|_| true));
    if kept_chars as f64 > MAX_KEPT_SHARE * all_chars as f64 {
        return body;
    }
    // The walk the blocks were cut from (see `blocks::score_page`).
    let root = *generic::body_element(doc);
    let disclosed = Disclosed::find(root);
    let page = dom::walk_showing(root, |el| {
        is_hidden_panel(el)
            || is_disclosure_button(el)
            || disclosed.contains(el)
            || is_redundant_link(el)
    });
    let added = card_blocks(&page, scored, &kept);
    if !added.iter().any(|&a| a) {
        return body;
    }
    scored
        .iter()
        .zip(kept.iter().zip(&added))
        .filter(|(_, (&k, &a))| k || a)
        .map(|(s, _)| Paragraph {
            text: s.block.text.clone(),
            kind: s.block.kind,
            link_chars: 0,
        })
        .collect()
}

/// A link hidden from screen readers only (`aria-hidden=true` with
/// `tabindex=-1`, and nothing else hiding it): a card's second link to
/// the page its title links to, around its image or its summary, left
/// out of the accessibility tree as redundant but shown to every reader.
/// The block model's walk reads it (see `blocks::score_page`), so that a
/// card kept in part gets its summary too.
pub fn is_redundant_link(el: &Element) -> bool {
    el.name() == "a"
        && el.attr("aria-hidden") == Some("true")
        && el.attr("tabindex") == Some("-1")
        && el.attr("hidden").is_none()
        && el
            .attr("style")
            .is_none_or(|s| !s.contains("none") && !s.contains("hidden"))
        && !is_hidden_by_class(el)
}

/// Which of `scored`'s blocks `body` holds, matched in order by text.
fn aligned(scored: &[ScoredBlock], body: &[Paragraph]) -> Vec<bool> {
    let mut next = body.iter().peekable();
    scored
        .iter()
        .map(|s| {
            let hit = next.peek().is_some_and(|p| p.text == s.block.text);
            if hit {
                next.next();
            }
            hit
        })
        .collect()
}

/// Per block of `scored` (cut from `page`): whether it is a line of a card
/// of which the model `kept` another line, neither of them a line of the
/// cards' template.
fn card_blocks(page: &Page<'_>, scored: &[ScoredBlock], kept: &[bool]) -> Vec<bool> {
    let layout = Layout::of(page, false);
    let mut added = vec![false; scored.len()];
    // Blocks in walk order: a card's blocks are a run of them.
    let elems: Vec<u32> = scored.iter().map(|s| s.block.elem).collect();
    for group in all_groups(page, &layout, MIN_CARDS) {
        if group
            .items
            .iter()
            .any(|&i| layout.text(page, i).0 > MAX_CARD_CHARS)
        {
            continue;
        }
        let ranges: Vec<std::ops::Range<usize>> = group
            .items
            .iter()
            .map(|&i| {
                let end = page.elems[i as usize].end;
                elems.partition_point(|&e| e < i)..elems.partition_point(|&e| e < end)
            })
            .collect();
        let per_item: Vec<Vec<String>> = ranges
            .iter()
            .map(|r| {
                scored[r.clone()]
                    .iter()
                    .map(|s| s.block.text.clone())
                    .collect()
            })
            .collect();
        let template = template_lines(&per_item, ItemKind::Cards);
        let content = |b: &usize| !template.contains(&scored[*b].block.text);
        let kept_card: Vec<bool> = ranges
            .iter()
            .map(|r| r.clone().filter(content).any(|b| kept[b]))
            .collect();
        let kept_cards = kept_card.iter().filter(|&&k| k).count();
        let whole = kept_cards >= MIN_KEPT_CARDS
            && kept_cards as f64 >= MIN_KEPT_CARD_SHARE * ranges.len() as f64;
        for (r, k) in ranges.into_iter().zip(kept_card) {
            if whole || k {
                for b in r.filter(content) {
                    added[b] = true;
                }
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::blocks::{features::BlockFeatures, page_blocks, score_page, BlockContext};
    use crate::extract::page_type::PageType;
    use crate::extract::text::BlockKind;
    use crate::parse::parse_document;

    /// The texts of the blocks `card_blocks` adds when the model kept the
    /// blocks whose text is in `kept`.
    fn added_texts(html: &str, kept: &[&str]) -> Vec<String> {
        let doc = parse_document(html);
        let page = dom::walk(*generic::body_element(&doc));
        let scored: Vec<ScoredBlock> = page_blocks(&page)
            .into_iter()
            .map(|block| ScoredBlock {
                block,
                features: BlockFeatures(Vec::new()),
                score: 0.0,
            })
            .collect();
        let kept: Vec<bool> = scored
            .iter()
            .map(|s| kept.contains(&s.block.text.as_str()))
            .collect();
        card_blocks(&page, &scored, &kept)
            .into_iter()
            .zip(&scored)
            .filter(|(a, _)| *a)
            .map(|(_, s)| s.block.text.clone())
            .collect()
    }

    #[test]
    fn a_card_partly_kept_is_kept_whole_but_its_template() {
        let card = |name: &str, price: &str, promo: &str| {
            format!(
                "<div class=card><h3><a href=/p>{name}</a></h3><p>{price}</p>\
                 <p>{promo}</p><p>Learn more</p></div>"
            )
        };
        let html = format!(
            "<body><div class=grid>{}{}{}{}</div></body>",
            card(
                "Folding treadmill",
                "$1,299.00",
                "Save $100 with code SPRING"
            ),
            card("Rowing machine", "$899.00", "Free delivery this week"),
            card("Exercise bike", "$499.00", "Save $50 with code SPRING"),
            card("Weight bench", "$199.00", "Two colours in stock")
        );
        // The model kept the first card's promotion and the template's
        // "Learn more", nothing of the others.
        let added = added_texts(&html, &["Save $100 with code SPRING", "Learn more"]);
        assert_eq!(
            added,
            [
                "Folding treadmill",
                "$1,299.00",
                "Save $100 with code SPRING",
            ]
        );
        // Two cards of four kept: the whole grid is the listing's.
        let added = added_texts(
            &html,
            &["Save $100 with code SPRING", "Free delivery this week"],
        );
        assert_eq!(
            added,
            [
                "Folding treadmill",
                "$1,299.00",
                "Save $100 with code SPRING",
                "Rowing machine",
                "$899.00",
                "Free delivery this week",
                "Exercise bike",
                "$499.00",
                "Save $50 with code SPRING",
                "Weight bench",
                "$199.00",
                "Two colours in stock",
            ]
        );
    }

    #[test]
    fn only_a_link_hidden_from_screen_readers_alone_is_redundant() {
        let doc = parse_document(
            "<body><a id=a aria-hidden=true tabindex=-1 href=/p>A</a>\
             <a id=b aria-hidden=true href=/p>B</a>\
             <a id=c aria-hidden=true tabindex=-1 style='display: none' href=/p>C</a>\
             <a id=d aria-hidden=true tabindex=-1 class='hidden' href=/p>D</a>\
             <div id=e aria-hidden=true tabindex=-1>E</div></body>",
        );
        let redundant: Vec<&str> = doc
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .filter(|el| is_redundant_link(el.value()))
            .filter_map(|el| el.value().id())
            .collect();
        assert_eq!(redundant, ["a"]);
    }

    #[test]
    fn a_summary_in_a_redundant_link_completes_its_card() {
        let card = |title: &str, summary: &str| {
            format!(
                "<article class=river><h2><a href=/a>{title}</a></h2>\
                 <p class=desc><a href=/a aria-hidden=true tabindex=-1>{summary}</a></p></article>"
            )
        };
        let html = format!(
            "<body><main><section class=news>{}{}{}</section></main></body>",
            card(
                "New firmware for the studio headphones",
                "The update adds a lossless mode over the cable and fixes the \
                 battery readout that some owners reported after the last release."
            ),
            card(
                "Solar earbuds that charge in daylight",
                "A ring of cells around each bud tops up the battery outdoors, \
                 and the case holds another week of listening when the sky is grey."
            ),
            card(
                "The wired adapter is discontinued",
                "Owners who still use wired headphones with older phones have to \
                 find a third-party adapter now that the original is no longer sold."
            )
        );
        let doc = parse_document(&html);
        let ctx = BlockContext {
            generic: &[],
            typed: &[],
            page_type: PageType::Collection,
            confidence: 1.0,
        };
        let scored = score_page(&doc, &ctx);
        // The model kept the titles only.
        let body: Vec<Paragraph> = scored
            .iter()
            .filter(|s| matches!(s.block.kind, BlockKind::Heading(_)))
            .map(|s| Paragraph {
                text: s.block.text.clone(),
                kind: s.block.kind,
                link_chars: 0,
            })
            .collect();
        let texts: Vec<String> = complete_cards(&doc, &scored, body)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(texts.len(), 6, "{texts:?}");
        assert!(
            texts[1].starts_with("The update adds a lossless mode"),
            "{texts:?}"
        );
        assert!(texts[5].starts_with("Owners who still use"), "{texts:?}");
    }

    #[test]
    fn a_kept_template_line_alone_completes_no_card() {
        let card =
            |name: &str| format!("<li class=tile><a href=/c>{name}</a><p>View collection</p></li>");
        let html = format!(
            "<body><ul class=tiles>{}{}{}</ul></body>",
            card("Solar panels"),
            card("Lithium batteries"),
            card("Power stations")
        );
        assert!(added_texts(&html, &["View collection"]).is_empty());
    }
}
