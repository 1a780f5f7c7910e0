//! Paragraph classification inside the chosen container (jusText-style):
//! boilerplate phrases, link lists, captions, bylines and datelines go
//! wherever they are; short or link-heavy paragraphs go at the edges;
//! headings and lists inside the text stay. JSON-LD `articleBody` is
//! evidence: a paragraph it contains is kept, and when the container misses
//! most of it, the article body itself is used.

use std::cell::Cell;
use std::sync::LazyLock;

use regex::Regex;

use super::article_body::article_body_text;
use super::biography::{first_names, opens_with_first_name};
use super::enumeration::enumeration_lines_where;
use super::feed::{may_hold_digit, DroppedRun, DATE_OR_TIME};
use super::headed_lists::{headed_list_items, introduces_list, mixed_list_items};
pub use super::normalize::normalize;
use super::normalize::LazyNorm;
use super::tables::data_table_cells;
use super::tail::{end_text, trim_edges};
use crate::extract::metadata::Metadata;
use crate::extract::text::{BlockKind, Paragraph};
use crate::limits::{MAX_EVIDENCE_AUTHORS, MAX_EVIDENCE_SCAN_BYTES};
use crate::vocabulary::{is_boilerplate_paragraph, is_hard_tail_marker, BYLINE_PREFIXES};

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s*(?:{})\s*[:\s]\s*\p{{Lu}}",
        BYLINE_PREFIXES.join("|")
    ))
    .expect("static regex")
});
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)({DATE_OR_TIME}|\b(19|20)\d{{2}}\b)")).expect("static regex")
});

/// What the cleaner knows about the page.
#[derive(Debug, Default)]
pub struct Evidence {
    title: String,
    /// The first [`MAX_EVIDENCE_AUTHORS`] authors' names (normalised).
    authors: Vec<String>,
    article_body: Option<String>,
    /// The authors' first names (lower-cased, 3 characters or more).
    first_names: Vec<String>,
    /// Bytes of article body that substring searches may still scan (see
    /// [`MAX_EVIDENCE_SCAN_BYTES`]).
    scan_budget: Cell<usize>,
}

impl Evidence {
    /// Evidence from the page's normalised title and authors and its
    /// JSON-LD article body (raw).
    pub fn new(title: String, authors: Vec<String>, article_body: Option<&str>) -> Self {
        let article_body = article_body
            .map(|raw| normalize(&article_body_text(raw)))
            .filter(|b| b.chars().count() >= 200);
        // A paper may list thousands: each short line is compared with a
        // bounded number of names.
        let authors = authors
            .into_iter()
            .filter(|a| a.len() >= 4)
            .take(MAX_EVIDENCE_AUTHORS)
            .collect();
        Self {
            title,
            authors,
            article_body,
            first_names: Vec::new(),
            scan_budget: Cell::new(MAX_EVIDENCE_SCAN_BYTES),
        }
    }

    /// The same evidence, knowing the authors' names as written (their
    /// first names start an author's biography). Only a person's name
    /// counts: one to three capitalised words, not opening with an article
    /// (a team, a brand or a paper: "The Planetary Press", "ACME Official").
    pub fn with_author_names<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Self {
        self.first_names = first_names(names.into_iter().take(MAX_EVIDENCE_AUTHORS));
        self
    }

    /// Whether a paragraph of sentences opens with an author's first name
    /// ("Anna has covered ...", "Anna Smith is ..."): a biography.
    pub(super) fn opens_with_an_author(&self, p: &Paragraph) -> bool {
        opens_with_first_name(p, &self.first_names)
    }

    /// Evidence from the page metadata.
    pub fn from_metadata(meta: &Metadata) -> Self {
        Self::new(
            meta.title
                .as_deref()
                .or(meta.h1.as_deref())
                .map(normalize)
                .unwrap_or_default(),
            meta.authors.iter().map(|a| normalize(a)).collect(),
            meta.article_body.as_deref(),
        )
        .with_author_names(meta.authors.iter().map(String::as_str))
    }

    /// Whether a normalised line names one of the authors.
    fn names_an_author(&self, norm: &str) -> bool {
        self.authors.iter().any(|a| norm.contains(a.as_str()))
    }

    /// Whether `norm` occurs in the article body; `None` once the scan
    /// budget is spent (each search is charged the body's length).
    fn article_body_contains(&self, norm: &str) -> Option<bool> {
        let ab = self.article_body.as_deref()?;
        let left = self.scan_budget.get().checked_sub(ab.len())?;
        self.scan_budget.set(left);
        // memchr's vectorised search: the body is searched once per
        // paragraph, and `str::contains` took 1.7% of the whole process.
        Some(contains_bytes(ab.as_bytes(), norm.as_bytes()))
    }

    /// Whether the (normalised) paragraph is confirmed by the article body:
    /// its form is computed only when there is one.
    fn in_article_body(&self, norm: &mut LazyNorm) -> bool {
        if self.article_body.is_none() {
            return false;
        }
        let norm = norm.get();
        norm.len() >= 12 && self.article_body_contains(norm) == Some(true)
    }
}

/// Bytes of a needle that [`contains_bytes`] searches for; the rest is
/// compared where they occur.
const SEARCHED_PREFIX: usize = 32;

/// Occurrences of the prefix that [`contains_bytes`] compares before it
/// searches for the whole needle (a bound on repetitive texts).
const MAX_PREFIX_CANDIDATES: usize = 16;

/// Whether `needle` occurs in `haystack`. A searcher's cost to build grows
/// with its needle, and for a paragraph in an article body it was more
/// than the search (about 16,000 instructions a paragraph on the
/// publishers pages, against 3,000 for the search): a long
/// needle's first [`SEARCHED_PREFIX`] bytes are searched for instead, and
/// the rest compared at each occurrence. Every occurrence of the needle
/// opens with one of its prefix, so the answer is the same.
fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    use memchr::memmem;
    if needle.len() <= SEARCHED_PREFIX {
        return memmem::find(haystack, needle).is_some();
    }
    let (prefix, rest) = needle.split_at(SEARCHED_PREFIX);
    let finder = memmem::Finder::new(prefix);
    let mut from = 0;
    for _ in 0..MAX_PREFIX_CANDIDATES {
        let Some(at) = finder.find(&haystack[from..]).map(|i| from + i) else {
            return false;
        };
        if haystack[at + SEARCHED_PREFIX..].starts_with(rest) {
            return true;
        }
        // Occurrences may overlap: the next one may start one byte on.
        from = at + 1;
    }
    memmem::find(&haystack[from..], needle).is_some()
}

/// A heading of any level.
pub(super) fn is_heading(p: &Paragraph) -> bool {
    matches!(p.kind, BlockKind::Heading(_))
}

/// A line that names the author or the date rather than telling the story.
fn is_byline_or_dateline(p: &Paragraph, norm: &mut LazyNorm, ev: &Evidence) -> bool {
    let n = p.text.chars().count();
    if n > 120 {
        return false;
    }
    if BYLINE.is_match(&p.text) && p.text.split_whitespace().count() <= 12 {
        return true;
    }
    if n <= 80 && !ev.authors.is_empty() && ev.names_an_author(norm.get()) {
        return true;
    }
    // A short line made mostly of a date / time. (The regex last: its
    // Unicode word boundaries send a line with a non-ASCII letter to the
    // slow engine.)
    n <= 60
        && !p.text.trim_end().ends_with(['.', '!', '?'])
        && p.text.split_whitespace().count() <= 8
        && may_hold_digit(&p.text)
        && DATELINE.is_match(&p.text)
}

/// A heading or short line that holds the title (kicker + title) or that
/// the title holds.
fn is_headline_variant(p: &Paragraph, norm: &str, title: &str) -> bool {
    if title.len() < 20 || norm.len() < 20 || p.text.chars().count() > 250 {
        return false;
    }
    let short_line = is_heading(p)
        || !p
            .text
            .trim_end()
            .ends_with(['.', '!', '?', '"', '”', '»', '“']);
    // Lengths first: a title longer than the page's lines is never scanned.
    short_line
        && ((title.len() <= norm.len() && norm.contains(title))
            || (norm.len() * 2 >= title.len() && title.contains(norm)))
}

/// A long paragraph of sentences with few links: article text.
pub(super) fn is_prose(p: &Paragraph) -> bool {
    p.kind == BlockKind::Text
        && p.text.chars().count() >= 150
        && p.link_density() < 0.1
        && p.text
            .trim_end()
            .ends_with(['.', '!', '?', '"', '”', '»', '。'])
}

/// Classifies the container's paragraphs and returns the article's.
pub fn clean(paragraphs: Vec<Paragraph>, ev: &Evidence) -> Vec<Paragraph> {
    let mut kept: Vec<(Paragraph, bool)> = Vec::with_capacity(paragraphs.len());
    let mut title_seen = false;
    // Where a comment section or a recommendation feed begins (the count
    // of paragraphs kept before it), and whether the last kept paragraph
    // introduced a list (or is an item of such a list).
    let mut hard_tails: Vec<usize> = Vec::new();
    let mut introduced_list = false;
    let mut dropped = DroppedRun::default();
    // (An enumeration mark spares a link-dense line only: the others are
    // not read as lines of names.)
    let enumerations =
        enumeration_lines_where(&paragraphs, |p| p.link_chars > 0 && p.link_density() > 0.5);
    let tables = data_table_cells(&paragraphs);
    let headed: Vec<bool> = headed_list_items(&paragraphs)
        .into_iter()
        .zip(mixed_list_items(&paragraphs))
        .map(|(h, m)| h || m)
        .collect();
    let marks = enumerations.into_iter().zip(tables).zip(headed);
    let mut norm_buf = String::new();
    for (p, ((enumeration, in_table), headed)) in paragraphs.into_iter().zip(marks) {
        let mut norm = LazyNorm::new(&p.text, &mut norm_buf);
        if norm.is_empty() {
            continue;
        }
        let confirmed = ev.in_article_body(&mut norm);
        if !confirmed && is_hard_tail_marker(&p.text) {
            hard_tails.push(kept.len());
        }
        let introduced = introduced_list && p.kind == BlockKind::ListItem;
        introduced_list = introduced || introduces_list(&p);
        let in_list = introduced || headed;
        if !title_seen && !ev.title.is_empty() && kept.len() < 8 && norm.get() == ev.title {
            title_seen = true;
            continue;
        }
        // The headline again near the top, with a kicker or a variant.
        if kept.len() < 3 && is_headline_variant(&p, norm.get(), &ev.title) {
            continue;
        }
        if p.kind == BlockKind::Heading(1) && kept.is_empty() {
            continue;
        }
        if matches!(p.kind, BlockKind::Caption) || is_boilerplate_paragraph(&p.text) {
            continue;
        }
        // Link-heavy lines are link lists, unless they are the items of a
        // list the text introduces ("Sources:", "The winners are:") or
        // labelled enumerations of names ("Saga: Kanzaki, Shiroishi").
        // A data table's cells are judged as its table (see [`tables`]).
        if !confirmed
            && !is_heading(&p)
            && !in_list
            && !in_table
            && !enumeration
            && p.link_density() > 0.5
        {
            dropped.dropped(&p);
            continue;
        }
        if !confirmed && !in_list && !in_table && is_byline_or_dateline(&p, &mut norm, ev) {
            dropped.dropped(&p);
            continue;
        }
        // A box of stamped headlines goes with its heading ([`DroppedRun`]).
        if dropped.heads_a_box(kept.last().map(|(p, _)| p)) {
            kept.pop();
            hard_tails
                .iter_mut()
                .for_each(|t| *t = (*t).min(kept.len()));
        }
        kept.push((p, confirmed));
    }
    end_text(&mut kept, hard_tails);
    trim_edges(&mut kept, ev);
    kept.into_iter().map(|(p, _)| p).collect()
}

/// True when the container holds little of the JSON-LD article body, so
/// the article body is the better text.
pub fn article_body_is_better(out: &[Paragraph], ev: &Evidence) -> bool {
    article_body_covers_little(out, ev).unwrap_or(false)
}

fn article_body_covers_little(out: &[Paragraph], ev: &Evidence) -> Option<bool> {
    let ab_norm = ev.article_body.as_ref()?;
    let mut covered = 0usize;
    let mut total = 0usize;
    for p in out {
        let n = normalize(&p.text);
        total += n.len();
        // Out of scan budget, the container's text stands.
        if ev.article_body_contains(&n)? {
            covered += n.len();
        }
    }
    let coverage = covered as f64 / ab_norm.len().max(1) as f64;
    Some(coverage < 0.4 && ab_norm.len() as f64 >= total as f64 * 0.6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widgets_bylines_and_edges_go() {
        let ev = Evidence::new(normalize("The headline"), vec![normalize("Jane Doe")], None);
        let ps = vec![
            Paragraph::new("The headline", BlockKind::Heading(1), 0),
            Paragraph::new("By Jane Doe", BlockKind::Text, 0),
            Paragraph::new("22.04.2024 | 15:54", BlockKind::Text, 0),
            Paragraph::new(
                "First paragraph of the story, with enough words to count.",
                BlockKind::Text,
                0,
            ),
            Paragraph::new("READ Something else entirely", BlockKind::Text, 0),
            Paragraph::new("A subheading", BlockKind::Heading(2), 0),
            Paragraph::new("Second paragraph, still the story.", BlockKind::Text, 0),
            Paragraph::new("A photo caption", BlockKind::Caption, 0),
            Paragraph::new("Leave a Reply", BlockKind::Heading(3), 0),
            Paragraph::new("Tags", BlockKind::Text, 0),
        ];
        let got: Vec<String> = clean(ps, &ev).into_iter().map(|p| p.text).collect();
        assert_eq!(
            got,
            [
                "First paragraph of the story, with enough words to count.",
                "A subheading",
                "Second paragraph, still the story."
            ]
        );
    }

    fn texts(ps: Vec<Paragraph>) -> Vec<String> {
        clean(ps, &Evidence::default())
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    fn prose(n: usize) -> Vec<Paragraph> {
        (0..n)
            .map(|_| Paragraph::new(PROSE, BlockKind::Text, 0))
            .collect()
    }

    const PROSE: &str = "The council voted on Tuesday to extend the tram line, after a debate that lasted most of the evening and ended in a narrow vote.";

    #[test]
    fn comments_and_their_form_end_the_article() {
        let comment = "I have lived on this street for twenty years, and nobody ever asked us what we think about the tram, which is a shame.";
        let mut ps = prose(4);
        ps.push(Paragraph::new("3 Comments", BlockKind::Heading(3), 0));
        ps.extend((0..3).map(|_| Paragraph::new(comment, BlockKind::Text, 0)));
        ps.push(Paragraph::new(
            "Allowed HTML tags: <a> <em> <strong> <cite> <blockquote>",
            BlockKind::Text,
            0,
        ));
        assert_eq!(texts(ps), vec![PROSE; 4]);
        // The form's help text alone (no heading) ends it too.
        let mut ps = prose(4);
        ps.push(Paragraph::new(
            "Lines and paragraphs break automatically.",
            BlockKind::Text,
            0,
        ));
        ps.push(Paragraph::new(comment, BlockKind::Text, 0));
        assert_eq!(texts(ps), vec![PROSE; 4]);
    }

    #[test]
    fn a_recommendation_feed_after_the_article_goes() {
        let teaser = "A new bakery opened in the old station building, and the queue on the first morning went round the block twice.";
        let mut ps = prose(3);
        ps.push(Paragraph::new(
            "Recommended for you",
            BlockKind::Heading(2),
            0,
        ));
        ps.extend((0..4).map(|_| Paragraph::new(teaser, BlockKind::Text, 0)));
        assert_eq!(texts(ps), vec![PROSE; 3]);
    }

    #[test]
    fn a_feed_of_linked_headlines_after_the_article_goes() {
        let mut ps = prose(3);
        ps.push(Paragraph::new("Top stories", BlockKind::Heading(2), 0));
        for headline in ["Star returns in March", "Week ahead: who, when, where?"] {
            ps.push(Paragraph::new(
                headline,
                BlockKind::Heading(3),
                headline.len(),
            ));
            ps.push(Paragraph::new(
                "Wins abroad last week. 31.01.2022",
                BlockKind::Text,
                0,
            ));
        }
        assert_eq!(texts(ps), vec![PROSE; 3]);
    }

    #[test]
    fn an_author_box_after_the_article_goes() {
        let bio = "Jane Doe has written about wine and food for twenty-five years, and works as a freelance author in Munich.";
        let mut ps = prose(3);
        ps.push(Paragraph::new("Über den Autor", BlockKind::Heading(3), 0));
        ps.push(Paragraph::new(bio, BlockKind::Text, 0));
        assert_eq!(texts(ps), vec![PROSE; 3]);
    }

    #[test]
    fn an_introduced_list_of_links_inside_the_text_stays() {
        let ps = vec![
            Paragraph::new(PROSE, BlockKind::Text, 0),
            Paragraph::new("The report draws on three sources:", BlockKind::Text, 0),
            Paragraph::new("Transport survey, spring edition", BlockKind::ListItem, 32),
            Paragraph::new("City budget, chapter 4", BlockKind::ListItem, 22),
            Paragraph::new(PROSE, BlockKind::Text, 0),
            Paragraph::new("Popular: Tram strike news", BlockKind::ListItem, 16),
            Paragraph::new(PROSE, BlockKind::Text, 0),
        ];
        let got = texts(ps);
        assert!(
            got.contains(&"Transport survey, spring edition".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"City budget, chapter 4".to_string()),
            "{got:?}"
        );
        // A link-heavy item nobody introduced is still a link list.
        assert!(!got.iter().any(|t| t.starts_with("Popular")), "{got:?}");
    }

    #[test]
    fn the_short_last_item_of_a_list_stays() {
        let ps = vec![
            Paragraph::new(PROSE, BlockKind::Text, 0),
            Paragraph::new(
                "Bring a warm jacket, since the evenings get cold in the hills.",
                BlockKind::ListItem,
                0,
            ),
            Paragraph::new("Pack a torch", BlockKind::ListItem, 0),
            Paragraph::new("Share", BlockKind::Text, 0),
        ];
        let got = texts(ps);
        assert_eq!(got.last().map(String::as_str), Some("Pack a torch"));
        // A trailing run of short buttons is not a list of the text.
        let ps = vec![
            Paragraph::new(PROSE, BlockKind::Text, 0),
            Paragraph::new("Print", BlockKind::ListItem, 0),
            Paragraph::new("Email", BlockKind::ListItem, 0),
        ];
        assert_eq!(texts(ps), [PROSE]);
    }

    #[test]
    fn a_related_heading_the_article_body_holds_goes_at_the_end_only() {
        let marker = "Weitere Tourentipps in Schweden";
        let body = format!("{PROSE} {marker} {PROSE}");
        let ev = Evidence::new(String::new(), vec![], Some(&body));
        let mut ps = prose(3);
        ps.push(Paragraph::new(marker, BlockKind::Heading(3), 0));
        // Its links (the related teasers) are gone.
        ps.push(Paragraph::new("Ski tour in the north", BlockKind::Text, 21));
        let got: Vec<String> = clean(ps, &ev).into_iter().map(|p| p.text).collect();
        assert_eq!(got, vec![PROSE; 3]);
        // Inside the text, the confirmed heading stays.
        let mut ps = prose(3);
        ps.push(Paragraph::new(marker, BlockKind::Heading(3), 0));
        ps.push(Paragraph::new(PROSE, BlockKind::Text, 0));
        let got: Vec<String> = clean(ps, &ev).into_iter().map(|p| p.text).collect();
        assert_eq!(got.len(), 5);
        assert_eq!(got[3], marker);
    }

    #[test]
    fn long_needles_are_found_where_their_prefix_repeats() {
        let needle = format!("{}b", "a".repeat(40));
        for hay in [
            format!("{}b", "a".repeat(100)),
            format!("x{needle}y"),
            format!("{}b{}", "a".repeat(39), "a".repeat(40)),
        ] {
            assert_eq!(
                contains_bytes(hay.as_bytes(), needle.as_bytes()),
                hay.contains(&needle),
                "{hay}"
            );
        }
        let prose = PROSE.as_bytes();
        assert!(contains_bytes(prose, &prose[5..90]));
        assert!(!contains_bytes(&prose[..89], &prose[5..90]));
        assert!(contains_bytes(prose, b"tram"));
        assert!(!contains_bytes(b"", b"tram"));
    }

    #[test]
    fn article_body_confirms_short_paragraphs() {
        let body = "Short one here. And then a much longer paragraph follows here. ".repeat(4);
        let ev = Evidence::new(String::new(), vec![], Some(&body));
        let ps = vec![
            Paragraph::new("Short one here", BlockKind::Text, 0),
            Paragraph::new(
                "And then a much longer paragraph follows here.",
                BlockKind::Text,
                0,
            ),
        ];
        assert_eq!(clean(ps, &ev).len(), 2);
    }
}
