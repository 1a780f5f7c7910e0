//! Feeds of teaser cards after the article ("Top Themen der Redaktion",
//! "More from the section"): linked headlines with a teaser line each,
//! which end the text whatever their heading says.

use super::clean::{is_heading, is_prose};
use crate::extract::text::Paragraph;

/// A heading that is a link (a teaser card's headline).
pub fn is_linked_heading(p: &Paragraph) -> bool {
    is_heading(p) && p.link_density() > 0.5
}

/// Linked headings that make a feed of teaser cards.
const MIN_FEED_HEADLINES: usize = 2;

/// Where a feed of teaser cards begins at or after `from`: the first linked
/// heading that no prose and no paragraph the article body confirms
/// follows, and from which on linked headings are at least
/// [`MIN_FEED_HEADLINES`] and most of the headings. Feeds ("Top Themen der
/// Redaktion", "More from the section") link every headline and tease in a
/// line; a listicle links its items' headings too, but writes prose under
/// them. A text with linked headings before the feed (a listing, a page
/// of anchor headings) has none.
pub fn teaser_feed_start(kept: &[(Paragraph, bool)], from: usize) -> Option<usize> {
    let mut linked = 0;
    let mut headings = 0;
    let mut start = None;
    // Backwards: the counts of headings from each position to the end.
    for i in (from..kept.len()).rev() {
        let (p, confirmed) = &kept[i];
        if *confirmed || is_prose(p) {
            break;
        }
        if is_heading(p) {
            headings += 1;
            if is_linked_heading(p) {
                linked += 1;
                if linked >= MIN_FEED_HEADLINES && linked * 2 > headings {
                    start = Some(i);
                }
            }
        }
    }
    let start = start?;
    (!kept[..start].iter().any(|(p, _)| is_linked_heading(p))).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::BlockKind;

    fn para(text: &str, kind: BlockKind, link_chars: usize) -> (Paragraph, bool) {
        let p = Paragraph {
            text: text.to_string(),
            kind,
            link_chars,
        };
        (p, false)
    }

    const PROSE: &str = "The council voted on Tuesday to extend the tram line, after a debate that lasted most of the evening, went on past midnight and ended in a narrow vote.";
    const TEASER: &str =
        "The second row of the national team celebrated wins abroad last week. 31.01.2022";

    fn prose(n: usize) -> Vec<(Paragraph, bool)> {
        (0..n).map(|_| para(PROSE, BlockKind::Text, 0)).collect()
    }

    fn linked(headline: &str, level: u8) -> (Paragraph, bool) {
        para(
            headline,
            BlockKind::Heading(level),
            headline.chars().count(),
        )
    }

    #[test]
    fn a_feed_of_linked_headlines_after_the_article_starts_at_its_first_headline() {
        let mut ps = prose(3);
        ps.push(para(
            "Top stories of the newsroom",
            BlockKind::Heading(2),
            0,
        ));
        for headline in ["Star returns in March", "Week ahead: who, when, where?"] {
            ps.push(linked(headline, 3));
            ps.push(para(TEASER, BlockKind::Text, 0));
        }
        assert_eq!(teaser_feed_start(&ps, 1), Some(4));
        // The text the article body confirms is no feed.
        let last = ps.len() - 1;
        ps[last].1 = true;
        assert_eq!(teaser_feed_start(&ps, 1), None);
    }

    #[test]
    fn one_linked_subheading_is_no_feed() {
        let mut ps = prose(3);
        ps.push(linked("See the map", 2));
        ps.push(para(TEASER, BlockKind::Text, 0));
        assert_eq!(teaser_feed_start(&ps, 1), None);
    }

    #[test]
    fn a_listicle_with_prose_under_its_linked_headings_is_no_feed() {
        let mut ps = prose(3);
        for headline in ["The Jones Assembly", "Stitch", "Flint"] {
            ps.push(linked(headline, 4));
            ps.extend(prose(1));
        }
        assert_eq!(teaser_feed_start(&ps, 1), None);
    }

    #[test]
    fn a_listing_of_linked_headlines_from_its_start_is_no_feed() {
        let mut ps = Vec::new();
        for headline in [
            "Star returns in March",
            "Week ahead",
            "New president",
            "Cup draw",
        ] {
            ps.push(linked(headline, 3));
            ps.push(para(TEASER, BlockKind::Text, 0));
        }
        assert_eq!(teaser_feed_start(&ps, 3), None);
    }
}
