//! Arbitration between a site config's body and the generic extractor's,
//! both read from the same parsed page: [`compare`] measures how they
//! differ, [`arbitrate`] (a pure function of those measures) decides which
//! the record gets.

use std::collections::HashSet;

use ego_tree::NodeId;
use scraper::Html;

use super::generic::clean::normalize;
use super::generic::ChromeSet;
use super::text::{Assembler, Paragraph};

/// How a config's body and the generic body differ on one page.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Comparison {
    /// Characters of the config's body.
    pub site_chars: usize,
    /// Characters of the generic body.
    pub generic_chars: usize,
    /// Share of the config's characters that the generic body holds too.
    pub site_shared: f64,
    /// Characters of the config's paragraphs that the merge leaves out
    /// (see [`ParagraphMarks::droppable`]).
    pub droppable_chars: usize,
    /// Characters of prose (sentences, not link lines) the generic body
    /// holds before its first paragraph that the config's body holds too:
    /// the article's opening, when the config selected a later block.
    pub generic_lead_chars: usize,
    /// Likewise after its last paragraph that the config's body holds: the
    /// article's rest, when the config selected a box inside it.
    pub generic_tail_chars: usize,
}

/// Per paragraph of the config's body: what the generic extractor and the
/// vocabulary say about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParagraphMarks {
    /// The generic body holds the paragraph too.
    pub shared: Vec<bool>,
    /// The paragraph lies in an element the generic walk judged chrome
    /// (by tag, role or the class/id vocabulary).
    pub marked: Vec<bool>,
    /// The paragraph is one only the config holds and looks like a widget
    /// the old template did not have: a link line (mostly links, not a
    /// sentence) anywhere, or, after the last paragraph both bodies hold,
    /// a marked or all-link one (related stories, newsletter boxes and
    /// comments added inside the old container).
    pub droppable: Vec<bool>,
}

/// Characters of a paragraph.
pub(super) fn chars(p: &Paragraph) -> usize {
    p.text.chars().count()
}

fn ends_sentence(p: &Paragraph) -> bool {
    p.text.trim_end().ends_with([
        '.', '!', '?', '"', '”', '»', '。', '！', '？', ':', ')', '।', '؟', '۔',
    ])
}

/// Link density above which a paragraph is mostly links.
const LINK_DENSE: f64 = 0.5;

/// Link density above which a paragraph is all links (a teaser, a promo),
/// even when it reads as a sentence.
pub(super) const ALL_LINKS: f64 = 0.9;

/// Mostly links and not a sentence: a related-story title, a "more" link.
pub(super) fn is_link_line(p: &Paragraph) -> bool {
    p.link_density() > LINK_DENSE && !ends_sentence(p)
}

/// Normalised texts, for containment checks across paragraph boundaries.
pub(super) struct Normalised {
    set: HashSet<String>,
    joined: String,
}

impl Normalised {
    /// The normalised text of `paragraphs`.
    pub(super) fn of(paragraphs: &[Paragraph]) -> Self {
        let norms: Vec<String> = paragraphs.iter().map(|p| normalize(&p.text)).collect();
        Self {
            joined: norms.concat(),
            set: norms.into_iter().collect(),
        }
    }

    /// True when `norm` is one of the paragraphs, or (when long enough to
    /// mean something) part of the text.
    pub(super) fn holds(&self, norm: &str) -> bool {
        norm.is_empty()
            || self.set.contains(norm)
            || (norm.len() >= 12 && self.joined.contains(norm))
    }
}

/// Marks each of the config's paragraphs (see [`ParagraphMarks`]). A
/// paragraph is marked when assembling the config's `roots` again without
/// the `chrome` elements loses or changes it.
pub fn mark_paragraphs(
    doc: &Html,
    roots: &[NodeId],
    site: &[Paragraph],
    generic: &[Paragraph],
    chrome: &ChromeSet,
) -> ParagraphMarks {
    let generic_norm = Normalised::of(generic);
    let mut unmarked = Assembler::new();
    for &id in roots {
        let Some(root) = doc.tree.get(id) else {
            continue;
        };
        let in_chrome = chrome.contains(&id) || root.ancestors().any(|a| chrome.contains(&a.id()));
        if !in_chrome {
            unmarked.add_subtree(root, |node, _| chrome.contains(&node.id()));
        }
    }
    let unmarked_norm = Normalised::of(&unmarked.finish());
    let mut marks = ParagraphMarks::default();
    for p in site {
        let norm = normalize(&p.text);
        marks.shared.push(generic_norm.holds(&norm));
        marks.marked.push(!unmarked_norm.holds(&norm));
    }
    with_droppable(site, marks)
}

/// Fills in [`ParagraphMarks::droppable`] from the other marks.
fn with_droppable(site: &[Paragraph], mut marks: ParagraphMarks) -> ParagraphMarks {
    let last_shared = marks.shared.iter().rposition(|&s| s);
    marks.droppable = site
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let tail = last_shared.is_some_and(|l| i > l);
            !marks.shared[i]
                && (is_link_line(p) || (tail && (marks.marked[i] || p.link_density() > ALL_LINKS)))
        })
        .collect();
    marks
}

/// Measures how the config's body (`site`, with its marks) and the
/// generic body differ.
pub fn compare(site: &[Paragraph], marks: &ParagraphMarks, generic: &[Paragraph]) -> Comparison {
    let site_chars: usize = site.iter().map(chars).sum();
    let mut shared = 0;
    let mut droppable_chars = 0;
    for (i, p) in site.iter().enumerate() {
        if marks.shared[i] {
            shared += chars(p);
        }
        if marks.droppable[i] {
            droppable_chars += chars(p);
        }
    }
    Comparison {
        site_chars,
        generic_chars: generic.iter().map(chars).sum(),
        generic_lead_chars: lead_before_site(site, generic.iter()),
        generic_tail_chars: lead_before_site(site, generic.iter().rev()),
        site_shared: if site_chars == 0 {
            0.0
        } else {
            shared as f64 / site_chars as f64
        },
        droppable_chars,
    }
}

/// Characters of the generic body's prose paragraphs (ending a sentence,
/// not mostly links) before the first of its paragraphs that `site` holds,
/// in the order `generic` gives them (reversed: after the last).
fn lead_before_site<'a>(site: &[Paragraph], generic: impl Iterator<Item = &'a Paragraph>) -> usize {
    let site_norm = Normalised::of(site);
    let mut lead = 0;
    for p in generic {
        let norm = normalize(&p.text);
        if norm.len() >= 12 && site_norm.holds(&norm) {
            return lead;
        }
        if ends_sentence(p) && p.link_density() <= LINK_DENSE {
            lead += chars(p);
        }
    }
    0
}

/// Which body the record gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Winner {
    /// The config's body.
    Site,
    /// The generic extractor's body.
    Generic,
    /// The config's body without its droppable paragraphs
    /// (`site:<name>+generic`).
    Merged,
}

/// The decision and the rule that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// The winner.
    pub winner: Winner,
    /// Why, in a few words (for logs and `selectors check`).
    pub reason: &'static str,
}

/// Below this share of the config's text found in the generic body, the
/// two disagree on where the article is.
pub const MIN_SHARED: f64 = 0.5;

/// A generic body shorter than this (in characters) is no article.
pub const MIN_GENERIC_CHARS: usize = 200;

/// A config's body this many times shorter than the generic body holds a
/// small part of the article.
pub const SHORTER: usize = 5;

/// A config's body this many times shorter than the generic body, with
/// prose on both sides of it, is a box inside the article.
pub const INSIDE_SHORTER: usize = 3;

/// Prose (in characters) the generic body must hold before the config's
/// text for the config to have missed the article's opening.
pub const MIN_LEAD_CHARS: usize = 600;

/// ... and the config's text is shorter than this many times that prose.
pub const LEAD_SHARE: usize = 2;

/// At most this share of the config's text may be droppable for the merge:
/// widgets are a small part of a body. More is part of the article the
/// generic extractor dropped (a list of linked places or names).
pub const MAX_DROPPABLE_SHARE: f64 = 0.25;

/// Decides between the config's body and the generic body:
///
/// 1. little overlap (less than [`MIN_SHARED`] of the config's text in the
///    generic body): the generic body, unless it is shorter than
///    [`MIN_GENERIC_CHARS`] (the generic extractor found no article);
/// 2. the generic body holds at least [`MIN_LEAD_CHARS`] of prose before
///    the config's text, and the config's text is shorter than
///    [`LEAD_SHARE`] times that prose: the config selected a block inside
///    or below the article (a box, a transcript, a most-read list), the
///    generic body;
/// 3. the generic body holds prose both before and after the config's text,
///    at least [`MIN_LEAD_CHARS`] together, and the config's text is
///    [`INSIDE_SHORTER`] times shorter than the generic body: the config
///    selected a box in the middle of the article, the generic body;
/// 4. the config's text [`SHORTER`] times shorter than the generic body:
///    the generic body;
/// 5. more than [`MAX_DROPPABLE_SHARE`] of the config's text droppable:
///    the config's body (those lines are the article's, not widgets);
/// 6. the config's body holds droppable paragraphs: the merge;
/// 7. otherwise the config's body.
pub fn arbitrate(c: &Comparison) -> Verdict {
    let verdict = |winner, reason| Verdict { winner, reason };
    if c.site_shared < MIN_SHARED {
        if c.generic_chars < MIN_GENERIC_CHARS {
            return verdict(Winner::Site, "the generic extractor found no article");
        }
        return verdict(
            Winner::Generic,
            "the config's text is not the article the generic extractor found",
        );
    }
    if c.generic_lead_chars >= MIN_LEAD_CHARS && c.generic_lead_chars * LEAD_SHARE > c.site_chars {
        return verdict(
            Winner::Generic,
            "the config's text starts after the article's opening",
        );
    }
    let around = c.generic_lead_chars + c.generic_tail_chars;
    if c.generic_lead_chars > 0
        && c.generic_tail_chars > 0
        && around >= MIN_LEAD_CHARS
        && c.site_chars * INSIDE_SHORTER < c.generic_chars
    {
        return verdict(
            Winner::Generic,
            "the config's text is a box inside the article",
        );
    }
    if c.site_chars * SHORTER < c.generic_chars {
        return verdict(
            Winner::Generic,
            "the config's text is a small part of the generic body",
        );
    }
    if c.droppable_chars as f64 > MAX_DROPPABLE_SHARE * c.site_chars as f64 {
        return verdict(
            Winner::Site,
            "the config's link lines are too much of its text to be widgets",
        );
    }
    if c.droppable_chars > 0 {
        return verdict(
            Winner::Merged,
            "the config's text without link lines and widgets below the article",
        );
    }
    verdict(
        Winner::Site,
        "the config's body agrees with the generic body",
    )
}

/// The config's paragraphs without the droppable ones.
pub fn merge(site: Vec<Paragraph>, marks: &ParagraphMarks) -> Vec<Paragraph> {
    site.into_iter()
        .zip(&marks.droppable)
        .filter(|(_, &drop)| !drop)
        .map(|(p, _)| p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::BlockKind;

    fn c(
        site_chars: usize,
        generic_chars: usize,
        site_shared: f64,
        droppable_chars: usize,
    ) -> Comparison {
        Comparison {
            site_chars,
            generic_chars,
            site_shared,
            droppable_chars,
            generic_lead_chars: 0,
            generic_tail_chars: 0,
        }
    }

    #[test]
    fn the_rule_as_a_table() {
        use Winner::*;
        for (comparison, want) in [
            // agreement, whatever the generic body adds around it
            (c(5000, 5000, 1.0, 0), Site),
            (c(5000, 9000, 0.95, 0), Site),
            (c(1800, 3400, 1.0, 0), Site),
            // the config's body holds link lines or widgets only it selected
            (c(5000, 4500, 0.9, 300), Merged),
            // ... unless they are too much of its text to be widgets: lists
            // of linked names inside the article, which generic dropped
            (c(5000, 2900, 0.58, 2100), Site),
            // a block the generic extractor does not hold: a redesign
            (c(4000, 6000, 0.1, 0), Generic),
            (c(16000, 10000, 0.0, 0), Generic),
            (c(4000, 6000, 0.49, 800), Generic),
            // ... unless the generic extractor found no article at all
            (c(420, 22, 0.0, 0), Site),
            // a small part of the generic body
            (c(900, 6000, 1.0, 0), Generic),
            (c(1300, 6000, 1.0, 0), Site),
        ] {
            assert_eq!(arbitrate(&comparison).winner, want, "{comparison:?}");
        }
        // a block after the article's opening: a box inside the article, a
        // list below it; a short lead (a standfirst, a teaser) is no opening
        for (site_chars, generic_lead_chars, want) in [
            (1270, 3000, Generic),
            (4400, 4300, Generic),
            (5000, 2000, Site),
            (2000, 500, Site),
        ] {
            let comparison = Comparison {
                generic_lead_chars,
                ..c(site_chars, 9000, 1.0, 0)
            };
            assert_eq!(arbitrate(&comparison).winner, want, "{comparison:?}");
        }
        // a box in the middle of the article: prose on both sides, the
        // config's text a small part of the generic body; prose on one side
        // only, or a config holding most of the body, is no box
        for (site_chars, lead, tail, want) in [
            (1270, 400, 819, Generic),
            (1270, 0, 1200, Site),
            (1270, 400, 100, Site),
            (3500, 400, 819, Site),
        ] {
            let comparison = Comparison {
                generic_lead_chars: lead,
                generic_tail_chars: tail,
                ..c(site_chars, 5000, 1.0, 0)
            };
            assert_eq!(arbitrate(&comparison).winner, want, "{comparison:?}");
        }
    }

    fn para(text: &str, link_chars: usize) -> Paragraph {
        Paragraph {
            text: text.to_string(),
            kind: BlockKind::Text,
            link_chars,
        }
    }

    #[test]
    fn marks_drop_link_lines_anywhere_and_widgets_only_below_the_article() {
        let lead = para(
            "A lead paragraph that only the config holds, as a sentence.",
            0,
        );
        let shared = para(
            &"The story itself, which both extractors found on the page. ".repeat(4),
            0,
        );
        let inline = para("Another story: a headline linked", 24);
        let prose_links = para("A sentence mostly made of a link to earlier coverage.", 40);
        let teaser = para("Read the full coverage of the vote.", 35);
        let tail_prose = para("A reader comment below the article, written as prose.", 0);
        let site = vec![
            lead,
            shared.clone(),
            inline,
            prose_links,
            shared.clone(),
            teaser,
            tail_prose,
        ];
        let generic = vec![shared];
        let marks = ParagraphMarks {
            shared: vec![false, true, false, false, true, false, false],
            marked: vec![true, false, false, false, false, false, true],
            droppable: vec![],
        };
        let marks = with_droppable(&site, marks);
        assert_eq!(
            marks.droppable,
            [false, false, true, false, false, true, true],
            "a marked lead stays; a link line goes; a linked sentence stays inside the text; below the article an all-link or marked paragraph goes"
        );
        let cmp = compare(&site, &marks, &generic);
        assert_eq!(arbitrate(&cmp).winner, Winner::Merged);
        let merged = merge(site, &marks);
        assert_eq!(merged.len(), 4);
    }

    #[test]
    fn the_lead_counts_prose_before_the_configs_first_paragraph() {
        let opening = para(&"The article opens with this sentence. ".repeat(5), 0);
        let links = para("Most read: one headline, another headline", 40);
        let boxed = para(
            &"A box inside the article that the config chose. ".repeat(3),
            0,
        );
        let generic = [opening.clone(), links, boxed.clone()];
        assert_eq!(
            lead_before_site(std::slice::from_ref(&boxed), generic.iter()),
            opening.text.chars().count(),
            "prose before the config's text counts, link lines do not"
        );
        assert_eq!(lead_before_site(&[opening], generic.iter()), 0);
    }

    #[test]
    fn paragraphs_are_matched_across_splits_and_scripts() {
        let generic =
            Normalised::of(&[para("Erster Satz. Zweiter Satz, länger als der erste.", 0)]);
        assert!(generic.holds(&normalize("Zweiter Satz, länger als der erste.")));
        assert!(!generic.holds(&normalize("Ein anderer Satz, der fehlt.")));
        let ja = Normalised::of(&[para("気象庁は13日、震度5弱の地震があったと発表した。", 0)]);
        assert!(ja.holds(&normalize("震度5弱の地震があったと発表した")));
    }
}
