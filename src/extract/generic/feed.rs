//! Feeds of teaser cards after the article ("Top Themen der Redaktion",
//! "More from the section"): linked headlines with a teaser line each,
//! which end the text whatever their heading says.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::{is_heading, is_prose};
use crate::extract::text::{BlockKind, Paragraph};
use crate::vocabulary::{is_hard_tail_marker, is_tail_marker};

/// A full date in digits or a time of day (shared with the cleaner's
/// dateline test).
pub(super) const DATE_OR_TIME: &str =
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b";

/// A time of day, a full date or a relative time: the stamp of a feed's
/// headline.
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i){DATE_OR_TIME}|\b\d+\s?(?:min|mins|minutes|hrs?|hours?)\s+ago\b"
    ))
    .expect("static regex")
});

/// Whether a line holds a stamp ([`STAMP`]).
pub(super) fn is_stamped(text: &str) -> bool {
    may_hold_digit(text) && STAMP.is_match(text)
}

/// False when no `\d` of a regex can match in `text`: it holds no decimal
/// digit, ASCII or not (`char::is_numeric` holds every Unicode decimal
/// digit, and other numerals).
///
/// [`STAMP`] and the cleaner's dateline cannot match without a digit, and
/// most lines hold none; their Unicode word boundaries send every line
/// with a non-ASCII letter to the regex's slowest engine, which cost
/// about 20,000 instructions a line in a list of headlines.
pub(super) fn may_hold_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        || (!text.is_ascii() && text.chars().any(char::is_numeric))
}

/// Dropped lines, at least, under a heading that make a box of stamped
/// headlines.
const MIN_BOX_LINES: usize = 3;

/// The link lines and datelines dropped since the last kept paragraph.
/// Under a heading (or a short label), a run of them that is half stamped
/// is a box of timestamped linked headlines ("Live", "Latest news") in the
/// text, whatever its class says: its heading goes with its lines.
#[derive(Debug, Default)]
pub struct DroppedRun {
    lines: usize,
    stamped: usize,
}

impl DroppedRun {
    /// Counts a dropped link line or dateline.
    pub fn dropped(&mut self, p: &Paragraph) {
        self.lines += 1;
        self.stamped += usize::from(is_stamped(&p.text));
    }

    /// Whether `last` (the last kept paragraph) heads a box of stamped
    /// headlines made of the dropped run; the run starts anew either way.
    pub fn heads_a_box(&mut self, last: Option<&Paragraph>) -> bool {
        let run = std::mem::take(self);
        let label = |p: &Paragraph| {
            is_heading(p)
                || (p.kind == BlockKind::Text
                    && p.link_chars == 0
                    && p.text.split_whitespace().count() <= 4
                    && !p.text.trim_end().ends_with(['.', '!', '?', ':']))
        };
        run.lines >= MIN_BOX_LINES && run.stamped * 2 >= run.lines && last.is_some_and(label)
    }
}

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

/// A heading that announces more stories ("More from the newsroom",
/// "Latest in Sport"), besides the related-content lines of the
/// vocabulary.
static MORE_STORIES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(more|latest|other|recent) (from|in|on|stories|articles|news|posts)\b[^.!?]{0,40}$",
    )
    .expect("static regex")
});

/// Where a feed under its heading begins at or after `from`: a heading
/// that announces related or more stories ([`is_tail_marker`],
/// [`is_hard_tail_marker`], [`MORE_STORIES`]), right followed by a linked
/// headline, with linked headlines at least [`MIN_FEED_HEADLINES`] and
/// most of the headings from there on and nothing the article body
/// confirms. Unlike [`teaser_feed_start`], the teasers may be prose (a
/// two-line excerpt per story): the heading says what they are.
pub fn headed_feed_start(kept: &[(Paragraph, bool)], from: usize) -> Option<usize> {
    // Backwards, as in [`teaser_feed_start`]: the counts from each
    // position to the end.
    let (mut linked, mut headings) = (0, 0);
    let mut start = None;
    for i in (from..kept.len()).rev() {
        let (p, confirmed) = &kept[i];
        if *confirmed {
            break;
        }
        if !is_heading(p) {
            continue;
        }
        if is_linked_heading(p) {
            linked += 1;
        } else if linked >= MIN_FEED_HEADLINES
            && linked * 2 > headings
            && kept
                .get(i + 1)
                .is_some_and(|(next, _)| is_linked_heading(next))
            && announces_stories(&p.text)
        {
            start = Some(i);
        }
        headings += 1;
    }
    start
}

/// A line announcing related or more stories (see [`headed_feed_start`]).
fn announces_stories(text: &str) -> bool {
    let t = text.trim().trim_end_matches(':');
    t.chars().count() <= 60
        && (is_tail_marker(t) || is_hard_tail_marker(t) || MORE_STORIES.is_match(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::BlockKind;

    #[test]
    fn only_lines_that_may_hold_a_digit_are_searched_for_a_stamp() {
        let lines = [
            "12:30",
            "vor 5 min",
            "3 hours ago",
            "Aktualisiert am 02.12.2026, 14:05 Uhr",
            "٢٠٢٦-١٢-٠٢",
            "١٤:٠٥",
            "Grüße aus München",
            "Weitere Nachrichten",
            "Ⅻ Jahrhundert",
            "",
        ];
        for line in lines {
            assert_eq!(is_stamped(line), STAMP.is_match(line), "{line:?}");
            if STAMP.is_match(line) {
                assert!(may_hold_digit(line), "{line:?}");
            }
        }
        // Digits of any script count, as `\d` matches them.
        assert!(is_stamped("١٤:٠٥"));
        assert!(!may_hold_digit("Grüße aus München"));
        assert!(!may_hold_digit("Weitere Nachrichten"));
    }

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
    fn a_feed_with_excerpts_under_a_more_stories_heading_starts_at_its_heading() {
        let mut ps = prose(3);
        ps.push(para("More from the Valley Post", BlockKind::Heading(2), 0));
        for headline in ["Star returns in March", "Week ahead: who, when, where?"] {
            ps.push(linked(headline, 3));
            ps.extend(prose(1));
        }
        assert_eq!(headed_feed_start(&ps, 1), Some(3));
        // Under a heading of the text, linked headings over prose are a
        // listicle's items.
        ps[3] = para("Where to eat", BlockKind::Heading(2), 0);
        assert_eq!(headed_feed_start(&ps, 1), None);
        // Text the article body confirms is no feed.
        ps[3] = para("More from the Valley Post", BlockKind::Heading(2), 0);
        let last = ps.len() - 1;
        ps[last].1 = true;
        assert_eq!(headed_feed_start(&ps, 1), None);
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
    fn a_heading_over_dropped_stamped_headlines_heads_a_box() {
        let heading = para("Live", BlockKind::Heading(3), 0).0;
        let mut run = DroppedRun::default();
        for line in [
            "10:42 Bridge closed",
            "10:15 Mayor resigns",
            "09:58 Cup draw",
        ] {
            run.dropped(&para(line, BlockKind::ListItem, line.len()).0);
        }
        assert!(run.heads_a_box(Some(&heading)));
        // The run starts anew, and unstamped links are a link list.
        assert!(!run.heads_a_box(Some(&heading)));
        for line in ["Bridge closed", "Mayor resigns", "Cup draw"] {
            run.dropped(&para(line, BlockKind::ListItem, line.len()).0);
        }
        assert!(!run.heads_a_box(Some(&heading)));
        // Prose is no box's label.
        for line in [
            "10:42 Bridge closed",
            "10:15 Mayor resigns",
            "09:58 Cup draw",
        ] {
            run.dropped(&para(line, BlockKind::ListItem, line.len()).0);
        }
        assert!(!run.heads_a_box(Some(&para(PROSE, BlockKind::Text, 0).0)));
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
