//! A page's main content extracted as a given page type, and the features
//! of such an extraction's output (words, paragraphs, short lines, link
//! density, ...), for choosing among the extractions of a page the
//! classifier doubts (training/README.md, "Choosing by the output").

use scraper::Html;

use super::blocks::{self, ScoredBlock};
use super::metadata::Metadata;
use super::page_type::PageType;
use super::text::{BlockKind, Paragraph};
use super::typed;

/// What extracting a page's main content as some type needs.
pub(crate) struct ContentInput<'a> {
    /// The parsed page.
    pub doc: &'a Html,
    /// Its metadata.
    pub meta: &'a Metadata,
    /// The generic extractor's paragraphs.
    pub generic: &'a [Paragraph],
    /// Whether a typed body and the block model may replace the generic
    /// body (no site config matched and the record will be written).
    pub typed_allowed: bool,
    /// Whether the block model extracts the types it applies to.
    pub block_model: blocks::Use,
    /// Keep every page's scored blocks (training dumps).
    pub keep_blocks: bool,
    /// The page's visible text in characters ([`typed::TypedInput::page_chars`]).
    pub page_chars: usize,
}

/// The main content of the page extracted as `as_type`, classified with
/// `confidence`: the block model's body, else the typed extractor's, else
/// None (the generic body stays); and the scored blocks when the block
/// model ran.
pub(crate) fn content_as(
    input: &ContentInput<'_>,
    as_type: PageType,
    confidence: f32,
) -> (Option<Vec<Paragraph>>, Vec<ScoredBlock>) {
    let typed_type = if confidence >= typed::MIN_CONFIDENCE {
        as_type
    } else {
        PageType::Article
    };
    let typed_input = typed::TypedInput {
        doc: input.doc,
        meta: input.meta,
        generic: input.generic,
        page_chars: input.page_chars,
    };
    let typed = input
        .typed_allowed
        .then(|| typed::typed_body(typed_type, &typed_input))
        .flatten()
        .filter(|typed| !typed.is_empty());
    // The block model, for the page types where it beats the rules.
    let use_blocks = input.typed_allowed && input.block_model.applies(as_type, confidence);
    // A product's typed body, with the blocks the model doubts left out.
    let filter_blocks = input.typed_allowed && input.block_model.filters(as_type, confidence);
    let scored = if use_blocks || filter_blocks || input.keep_blocks {
        let ctx = blocks::BlockContext {
            generic: input.generic,
            typed: typed.as_deref().unwrap_or(&[]),
            page_type: as_type,
            confidence,
        };
        blocks::score_page(input.doc, &ctx)
    } else {
        Vec::new()
    };
    let from_blocks = if use_blocks {
        let body = blocks::blocks_body_with(&scored, &blocks::Thresholds::of(as_type));
        Some(match as_type {
            PageType::Listing | PageType::Collection => {
                typed::cards::complete_cards(input.doc, &scored, body)
            }
            _ => body,
        })
    } else if filter_blocks {
        Some(typed::product::from_blocks(&scored, input.meta))
    } else {
        None
    };
    (from_blocks.filter(|b| !b.is_empty()).or(typed), scored)
}

/// The names of [`output_features`], in order.
pub const OUTPUT_NAMES: [&str; 10] = [
    "ln_words",
    "ln_paragraphs",
    "short_share",
    "link_density",
    "list_share",
    "heading_share",
    "ln_words_per_paragraph",
    "log_ratio_generic",
    "empty",
    "same_as_generic",
];

/// Features of an extraction's output `body`, against the generic
/// extractor's `generic` body: ln(1 + words), ln(1 + paragraphs), the
/// share of paragraphs of fewer than 5 words, the link density (linked
/// characters over characters), the shares of list items and headings
/// among the paragraphs, ln(1 + words per paragraph), ln((1 + words) /
/// (1 + the generic body's words)), whether it is empty, and whether it
/// is the generic body.
pub fn output_features(body: &[Paragraph], generic: &[Paragraph]) -> [f32; 10] {
    let words =
        |ps: &[Paragraph]| -> usize { ps.iter().map(|p| p.text.split_whitespace().count()).sum() };
    let n = body.len();
    let w = words(body);
    let gw = words(generic);
    let (mut short, mut list, mut heading, mut chars, mut links) = (0, 0, 0, 0usize, 0usize);
    for p in body {
        if p.text.split_whitespace().nth(4).is_none() {
            short += 1;
        }
        match p.kind {
            BlockKind::ListItem => list += 1,
            BlockKind::Heading(_) => heading += 1,
            _ => {}
        }
        chars += p.text.chars().count();
        links += p.link_chars;
    }
    let share = |k: usize| if n == 0 { 0.0 } else { k as f32 / n as f32 };
    [
        (w as f32).ln_1p(),
        (n as f32).ln_1p(),
        share(short),
        if chars == 0 {
            0.0
        } else {
            links as f32 / chars as f32
        },
        share(list),
        share(heading),
        if n == 0 {
            0.0
        } else {
            (w as f32 / n as f32).ln_1p()
        },
        ((1.0 + w as f32) / (1.0 + gw as f32)).ln(),
        f32::from(n == 0),
        f32::from(body == generic),
    ]
}

/// One extraction of a page kept for a training dump
/// ([`super::ExtractOptions::keep_candidates`]).
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The type it was extracted as (None: the extraction `extract` chose).
    pub as_type: Option<PageType>,
    /// Its [`output_features`].
    pub features: [f32; 10],
    /// Its body text.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_features_describe_the_body_against_the_generic_one() {
        let generic = vec![Paragraph::new(
            "one two three four five six",
            BlockKind::Text,
            0,
        )];
        let body = vec![
            Paragraph::new("Menu", BlockKind::ListItem, 4),
            Paragraph::new("A heading here", BlockKind::Heading(2), 0),
            generic[0].clone(),
        ];
        let f = output_features(&body, &generic);
        assert_eq!(f.len(), OUTPUT_NAMES.len());
        assert!((f[0] - 10f32.ln_1p()).abs() < 1e-6, "10 words");
        assert!((f[1] - 3f32.ln_1p()).abs() < 1e-6, "3 paragraphs");
        assert!((f[2] - 2.0 / 3.0).abs() < 1e-6, "2 short paragraphs");
        assert!(
            (f[3] - 4.0 / 45.0).abs() < 1e-6,
            "4 linked of 45 characters"
        );
        assert!((f[4] - 1.0 / 3.0).abs() < 1e-6 && (f[5] - 1.0 / 3.0).abs() < 1e-6);
        assert!((f[7] - (11f32 / 7.0).ln()).abs() < 1e-6);
        assert_eq!((f[8], f[9]), (0.0, 0.0));
        let same = output_features(&generic, &generic);
        assert_eq!((same[7], same[9]), (0.0, 1.0));
        assert_eq!(output_features(&[], &generic)[8], 1.0);
    }
}
