//! Feeds of cut excerpts after the article ("Latest posts", "Most
//! popular"): each card a label or headline and the first lines of another
//! story cut short with an ellipsis ("... the council said that the…").
//! An article's own text is never cut that way, so a run of them at the
//! end of the text ends it, whatever its heading says and whether or not
//! its headlines are links. Excerpts trimmed to a word count with no
//! ellipsis count too when they stop mid-sentence and are all (nearly)
//! the same number of words long.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::{is_heading, is_prose};
use crate::extract::text::{BlockKind, Paragraph};

/// A line that ends cut short: an ellipsis (three dots, "…", "[…]"),
/// maybe followed by a "read more" link text.
static CUT_SHORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\.\.\.|…|\[\s*(?:…|\.\.\.)\s*\])\s*(?:\(?(?:read|continue reading|more)(?: more)?\)?\s*[›»→]?)?$")
        .expect("static regex")
});

/// Excerpts, at least, in the run that makes a feed.
const MIN_FEED_EXCERPTS: usize = 3;

/// The longest line of a card besides its excerpt (a headline, a label, a
/// price, a date): longer lines are the article's.
const MAX_CARD_LINE_CHARS: usize = 120;

/// Words, at least, of an excerpt (a short "Loading..." is a widget's).
const MIN_EXCERPT_WORDS: usize = 6;

/// The start of a story cut short with an ellipsis: a teaser's excerpt.
fn is_excerpt(p: &Paragraph) -> bool {
    matches!(p.kind, BlockKind::Text | BlockKind::ListItem)
        && p.text
            .split_whitespace()
            .nth(MIN_EXCERPT_WORDS - 1)
            .is_some()
        && CUT_SHORT.is_match(p.text.trim_end())
}

/// Words, at least, of an excerpt cut by a word count with no ellipsis.
const MIN_CUT_EXCERPT_WORDS: usize = 15;

/// Spread, at most, of the word counts of excerpts cut with no ellipsis.
const MAX_CUT_SPREAD: usize = 2;

/// An excerpt cut at a word count with no ellipsis (page builders' post
/// widgets trim each teaser to N words and may leave the "…" out): a
/// paragraph of some words that stops mid-sentence, on a word or a comma.
/// Many such lines of one length make a feed ([`MAX_CUT_SPREAD`]); one
/// alone is any unpunctuated line.
fn is_cut_excerpt(p: &Paragraph) -> bool {
    p.kind == BlockKind::Text
        && p.text
            .split_whitespace()
            .nth(MIN_CUT_EXCERPT_WORDS - 1)
            .is_some()
        && p.text
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, ',' | ';'))
}

/// A short line of a card (its headline, label, price or date) or the
/// feed's heading: no sentence (a listing's one-line descriptions between
/// excerpts are no feed's cards).
fn is_card_line(p: &Paragraph) -> bool {
    p.text.chars().count() <= MAX_CARD_LINE_CHARS
        && (is_heading(p) || !p.text.trim_end().ends_with(['.', '!']))
}

/// A heading or a short line that does not end a sentence: a feed's title.
fn is_label(p: &Paragraph) -> bool {
    is_heading(p)
        || (p.text.chars().count() <= 60 && !p.text.trim_end().ends_with(['.', '!', '?', ':']))
}

/// Where a feed of excerpts at the end of the text begins, at or after
/// `from` and after some prose: the run of excerpts and short card lines
/// that ends the text (nothing in it the article body confirms) holds at
/// least [`MIN_FEED_EXCERPTS`] excerpts, a quarter of its lines at least,
/// and a line (a headline, a label) between the first two; the feed
/// starts with the first card (as many lines before its excerpt as there
/// are between the first two excerpts) and its title, when a label stands
/// right before it.
pub fn excerpt_feed_start(kept: &[(Paragraph, bool)], from: usize) -> Option<usize> {
    feed_start(kept, from, is_excerpt).or_else(|| {
        let start = feed_start(kept, from, is_cut_excerpt)?;
        // Cut at one word count: the excerpts are (nearly) as long.
        let words = kept[start..]
            .iter()
            .filter(|(p, _)| is_cut_excerpt(p))
            .map(|(p, _)| p.text.split_whitespace().count());
        let (min, max) = words.fold((usize::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
        (max.saturating_sub(min) <= MAX_CUT_SPREAD).then_some(start)
    })
}

/// [`excerpt_feed_start`] with `is_excerpt` telling the excerpts.
fn feed_start(
    kept: &[(Paragraph, bool)],
    from: usize,
    is_excerpt: fn(&Paragraph) -> bool,
) -> Option<usize> {
    let mut excerpts: Vec<usize> = Vec::new();
    let mut run_start = kept.len();
    while run_start > from {
        let (p, confirmed) = &kept[run_start - 1];
        if *confirmed {
            break;
        }
        if is_excerpt(p) {
            excerpts.push(run_start - 1);
        } else if !is_card_line(p) {
            break;
        }
        run_start -= 1;
    }
    if excerpts.len() < MIN_FEED_EXCERPTS {
        return None;
    }
    // Backwards: the last two are the first excerpts of the feed.
    let first = excerpts[excerpts.len() - 1];
    let second = excerpts[excerpts.len() - 2];
    // A card has its headline or label: excerpts one after the other are
    // a listing's descriptions whose titles (links) are gone.
    if second - first < 2 {
        return None;
    }
    let card_lines = (second - first - 1).min(first - run_start);
    let mut start = first - card_lines;
    if start > run_start && is_label(&kept[start - 1].0) {
        start -= 1;
    }
    // The feed follows the article's prose: cards with nothing but cards
    // before them are a listing's.
    let after_prose = kept[..start].iter().any(|(p, _)| is_prose(p));
    (after_prose && excerpts.len() * 4 >= kept.len() - start).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str, kind: BlockKind) -> (Paragraph, bool) {
        let p = Paragraph {
            text: text.to_string(),
            kind,
            link_chars: 0,
        };
        (p, false)
    }

    const PROSE: &str = "The council voted on Tuesday to extend the tram line, after a debate that lasted most of the evening, went on past midnight and ended in a narrow vote.";

    fn prose(n: usize) -> Vec<(Paragraph, bool)> {
        (0..n).map(|_| para(PROSE, BlockKind::Text)).collect()
    }

    fn card(ps: &mut Vec<(Paragraph, bool)>, label: &str) {
        ps.push(para(label, BlockKind::Text));
        ps.push(para("A new bakery opened in the old station building, and the queue on the first morning went round the...", BlockKind::Text));
    }

    #[test]
    fn a_feed_of_cut_excerpts_after_the_article_starts_at_its_title() {
        let mut ps = prose(4);
        ps.push(para("Thanks for reading", BlockKind::Text));
        ps.push(para("Latest posts", BlockKind::Heading(2)));
        for label in ["Town news", "Culture", "Town news"] {
            card(&mut ps, label);
        }
        assert_eq!(excerpt_feed_start(&ps, 2), Some(5));
        // Two excerpts are no feed.
        ps.truncate(ps.len() - 2);
        assert_eq!(excerpt_feed_start(&ps, 2), None);
    }

    #[test]
    fn excerpts_the_article_body_confirms_or_from_the_start_are_no_feed() {
        let mut ps = prose(2);
        for label in ["Town news", "Culture", "Town news"] {
            card(&mut ps, label);
        }
        assert_eq!(excerpt_feed_start(&ps, 1), Some(2));
        // A listing of cards with no prose before them.
        assert_eq!(excerpt_feed_start(&ps[2..], 0), None);
        let last = ps.len() - 1;
        ps[last].1 = true;
        assert_eq!(excerpt_feed_start(&ps, 1), None);
    }

    #[test]
    fn excerpts_one_after_the_other_are_a_listing() {
        let mut ps = prose(3);
        for _ in 0..4 {
            ps.push(para("A new bakery opened in the old station building, and the queue on the first morning went round the…", BlockKind::ListItem));
        }
        assert_eq!(excerpt_feed_start(&ps, 1), None);
    }

    #[test]
    fn a_sentence_that_trails_off_inside_the_text_is_no_excerpt() {
        let mut ps = prose(3);
        ps.push(para(
            "And then… nothing happened for a very long while…",
            BlockKind::Text,
        ));
        ps.extend(prose(2));
        assert_eq!(excerpt_feed_start(&ps, 1), None);
    }
    #[test]
    fn a_feed_of_excerpts_cut_to_one_word_count_ends_the_text() {
        let cut = [
            "When the agency denies your claim it can feel like a dead end and many applicants wonder what comes next, while the path to",
            "Navigating the process can be overwhelming while dealing with a condition and the system is complex with many forms and rules, so",
            "The landscape of the laws can be overwhelming especially when you are already dealing with a debilitating condition or an injury at",
        ];
        let mut ps = prose(4);
        for (headline, excerpt) in [
            "Can you sue the agency?",
            "Why choose a lawyer?",
            "The laws in brief",
        ]
        .iter()
        .zip(cut)
        {
            ps.push(para(headline, BlockKind::Heading(3)));
            ps.push(para(excerpt, BlockKind::Text));
        }
        assert_eq!(excerpt_feed_start(&ps, 2), Some(4));
        // Unpunctuated lines of different lengths are no feed.
        let last = ps.len() - 1;
        ps[last]
            .0
            .text
            .push_str(" the end of the hearing, the appeal and the new decision that follows it");
        assert_eq!(excerpt_feed_start(&ps, 2), None);
    }
}
