//! A product's body from the block model's scored blocks: the typed
//! body filtered by the model, each long paragraph once, and the JSON-LD
//! description when the page shows almost nothing.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashSet, FxHasher};

use crate::extract::blocks::{self, ScoredBlock, Thresholds};
use crate::extract::metadata::Metadata;
use crate::extract::text::{BlockKind, Paragraph};
use crate::extract::typed::described::{insert_unless_shown, jsonld_description};

/// A product's body from the block model's `scored` blocks (the model
/// filtering the typed body: [`blocks::filters`]), each long paragraph
/// once (see [`drop_contained`]). The JSON-LD description goes after the
/// product's name when the body shows (almost) nothing else and no block
/// of the page shows it: a page whose description a script renders. A
/// page that shows its own description and specifications does not get
/// the metadata's (a shop's summary for search engines, which the page
/// itself does not show; a description the page shows and the model left
/// out stays out).
pub fn from_blocks(scored: &[ScoredBlock], meta: &Metadata) -> Vec<Paragraph> {
    let mut paragraphs = blocks::blocks_body_with(scored, &Thresholds::FILTER);
    drop_contained(&mut paragraphs);
    drop_preamble(&mut paragraphs);
    let shown_words: usize = paragraphs
        .iter()
        .map(|p| p.text.split_whitespace().count())
        .sum();
    if shown_words >= MAX_WORDS_FOR_METADATA {
        return paragraphs;
    }
    if let Some(description) = jsonld_description(meta) {
        let page: Vec<&str> = scored.iter().map(|s| s.block.text.as_str()).collect();
        insert_unless_shown(&mut paragraphs, &description, &page.join("\n"));
    }
    paragraphs
}

/// Largest share of the body's words that the lines before the product's
/// name may hold to be left out (more: the `<h1>` is not the name that
/// opens the product, the body is not a product's).
const MAX_PREAMBLE_SHARE: f64 = 0.25;

/// Leaves out the lines before the body's first `<h1>` (the product's
/// name) when they hold at most [`MAX_PREAMBLE_SHARE`] of its words: the
/// shop's banners and notices above the product ("Free shipping on orders
/// over $75", "You are now shopping in AUD", "This item is currently out
/// of stock"), a store picker, a gallery's "image 1 of 11". On wcxb-dev's
/// tuning products the expected text starts at the name or after it.
fn drop_preamble(paragraphs: &mut Vec<Paragraph>) {
    let Some(at) = paragraphs
        .iter()
        .position(|p| p.kind == BlockKind::Heading(1))
    else {
        return;
    };
    let words =
        |ps: &[Paragraph]| -> usize { ps.iter().map(|p| p.text.split_whitespace().count()).sum() };
    let before = words(&paragraphs[..at]);
    if before > 0 && before as f64 <= MAX_PREAMBLE_SHARE * words(paragraphs) as f64 {
        paragraphs.drain(..at);
    }
}

/// Words of the body from which a product page describes itself and the
/// JSON-LD description is not added (on wcxb-dev's tuning products, the
/// expected text left it out on 13 pages whose bodies had 41 to 1,800
/// words; it was the whole text of one page whose body had 4 words).
const MAX_WORDS_FOR_METADATA: usize = 30;

/// Words from which a paragraph said again is left out, and the length
/// of the word runs compared.
const MIN_CONTAINED_WORDS: usize = 8;

/// Leaves out a paragraph of [`MIN_CONTAINED_WORDS`] words or more whose
/// every run of that many words the kept paragraphs before it already
/// show: the same description rendered for phones and for desktops, a
/// teaser said again at the start of the full text. Table cells stay (a
/// value may recur). Linear in the body's words (hashed word runs).
fn drop_contained(paragraphs: &mut Vec<Paragraph>) {
    let mut seen: FxHashSet<u64> = FxHashSet::default();
    paragraphs.retain(|p| {
        let words: Vec<String> = p
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if p.kind == BlockKind::Cell || words.len() < MIN_CONTAINED_WORDS {
            return true;
        }
        let runs: Vec<u64> = words
            .windows(MIN_CONTAINED_WORDS)
            .map(|run| {
                let mut h = FxHasher::default();
                run.hash(&mut h);
                h.finish()
            })
            .collect();
        if runs.iter().all(|r| seen.contains(r)) {
            return false;
        }
        seen.extend(runs);
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scored block: inside the typed body or not, with its score.
    fn scored(text: &str, kind: BlockKind, in_typed: bool, score: f32) -> ScoredBlock {
        let mut features = vec![0.0; blocks::features::NAMES.len()];
        features[blocks::features::IN_TYPED] = f32::from(u8::from(in_typed));
        ScoredBlock {
            block: blocks::Block {
                elem: 0,
                text: text.to_string(),
                kind,
            },
            features: blocks::features::BlockFeatures(features),
            score,
        }
    }

    fn product_meta(description: &str) -> Metadata {
        let mut meta = Metadata::default();
        let obj = serde_json::json!({"@type": "Product", "description": description});
        meta.jsonld_objects
            .push(obj.as_object().expect("an object").clone());
        meta
    }

    #[test]
    fn the_block_model_filters_the_typed_body_and_adds_nothing_outside_it() {
        let page = [
            scored("Oak desk lamp", BlockKind::Heading(1), true, 0.9),
            scored("A lamp turned from oak.", BlockKind::Text, true, 0.25),
            scored("Free delivery over $50", BlockKind::Text, true, 0.1),
            scored("Brass floor lamp", BlockKind::Text, false, 0.99),
        ];
        let texts = |meta: &Metadata| -> Vec<String> {
            from_blocks(&page, meta)
                .into_iter()
                .map(|p| p.text)
                .collect()
        };
        assert_eq!(
            texts(&Metadata::default()),
            ["Oak desk lamp", "A lamp turned from oak."]
        );
        // The JSON-LD description no block shows, after the name.
        assert_eq!(
            texts(&product_meta("Turned by hand in our workshop.")),
            [
                "Oak desk lamp",
                "Turned by hand in our workshop.",
                "A lamp turned from oak."
            ]
        );
        // One the page shows (the model left it out): not brought back.
        assert_eq!(
            texts(&product_meta("Free delivery over $50")),
            ["Oak desk lamp", "A lamp turned from oak."]
        );
    }

    #[test]
    fn the_lines_before_the_product_name_are_left_out_unless_they_are_the_body() {
        let long = "A lamp turned from a single piece of oak, with a linen shade and a dimmer \
                    on its cord, that lights a desk evenly without glare for decades of daily use.";
        let texts = |page: &[ScoredBlock]| -> Vec<String> {
            from_blocks(page, &Metadata::default())
                .into_iter()
                .map(|p| p.text)
                .collect()
        };
        let page = [
            scored(
                "Free shipping on orders over $75",
                BlockKind::Text,
                true,
                0.5,
            ),
            scored("Oak desk lamp", BlockKind::Heading(1), true, 0.9),
            scored(long, BlockKind::Text, true, 0.8),
        ];
        assert_eq!(texts(&page), ["Oak desk lamp", long]);
        // The name after most of the text: everything stays.
        let page = [
            scored(long, BlockKind::Text, true, 0.8),
            scored("Oak desk lamp", BlockKind::Heading(1), true, 0.9),
            scored("In stock", BlockKind::Text, true, 0.8),
        ];
        assert_eq!(texts(&page), [long, "Oak desk lamp", "In stock"]);
    }

    #[test]
    fn a_page_describing_itself_does_not_get_the_metadata_description() {
        let long = "A lamp turned from a single piece of oak, with a linen shade and a dimmer \
                    on its cord, that lights a desk evenly without glare for decades of daily use.";
        let page = [
            scored("Oak desk lamp", BlockKind::Heading(1), true, 0.9),
            scored(long, BlockKind::Text, true, 0.8),
        ];
        let texts: Vec<String> =
            from_blocks(&page, &product_meta("Turned by hand in our workshop."))
                .into_iter()
                .map(|p| p.text)
                .collect();
        assert_eq!(texts, ["Oak desk lamp", long]);
    }

    #[test]
    fn a_paragraph_said_again_is_kept_once_cells_and_short_lines_stay() {
        let full = "A lamp turned from a single piece of oak, with a linen shade and a dimmer \
                    on its cord.";
        let teaser = "A lamp turned from a single piece of oak, with a linen shade";
        let page = [
            scored("Oak desk lamp", BlockKind::Heading(1), true, 0.9),
            scored(full, BlockKind::Text, true, 0.8),
            scored("In stock", BlockKind::Text, true, 0.8),
            scored(full, BlockKind::Text, true, 0.8),
            scored(teaser, BlockKind::Text, true, 0.8),
            scored("In stock", BlockKind::Text, true, 0.8),
            scored(
                "The shade is linen from a mill in the north, woven for us.",
                BlockKind::Text,
                true,
                0.8,
            ),
            scored(teaser, BlockKind::Cell, true, 0.8),
        ];
        let texts: Vec<String> = from_blocks(&page, &Metadata::default())
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            texts,
            [
                "Oak desk lamp",
                full,
                "In stock",
                "In stock",
                "The shade is linen from a mill in the north, woven for us.",
                teaser
            ]
        );
    }
}
