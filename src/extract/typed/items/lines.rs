//! What the items of a page say: the lines of their template (labels,
//! buttons, counters said in most items) and lines said again word for
//! word (a quoted post, a block rendered twice).

use std::collections::HashSet;

use rustc_hash::FxHashMap;

use super::super::posts::{is_post_date, post_dates};
use super::ItemKind;
use crate::extract::generic::dom::Page;
use crate::extract::text::{Assembler, BlockKind, Paragraph};

/// Fewest words of a post's line that, said again word for word, is a
/// copy: a reply quoting an earlier post, a poster's rank under each of
/// their posts. One-word lines recur in a thread as content (a poster's
/// name on each of their posts). Wcxb-dev, oracle page types, forum word
/// F1 tuning / validation: 4 words 0.8139 / 0.6754, 2 words 0.8169 / 0.6817.
pub(super) const MIN_REPEATED_POST_WORDS: usize = 2;

/// Leaves out every line of at least `min_words` words that repeats an
/// earlier line word for word, keeping its first occurrence; table cells
/// always stay ("Yes" in each row of a specifications table). Wcxb-dev
/// tuning part, oracle page types: forum word F1 0.7921 -> 0.8147 with 4
/// words; product 0.6987 -> 0.7033 with 4 words, about 0.004 more with 1
/// (a product page's blocks rendered twice, for phones and for desktops,
/// down to their labels and headings).
pub(in crate::extract::typed) fn drop_repeated_lines(
    paragraphs: &mut Vec<Paragraph>,
    min_words: usize,
) {
    drop_repeated_lines_but(paragraphs, min_words, |_| false);
}

/// [`drop_repeated_lines`], keeping every line that `kept` accepts (each
/// post's date, said again in the next post of the same day).
///
/// A reply's quote of an earlier post goes with it, and the references
/// split on quotes about evenly, by site, not by forum software (XenForo
/// `data-quote`, Invision `data-ipsquote`, phpBB `<cite>` both ways; "X
/// said:" lines in 28 tuning references, left out of 35). Measured on
/// wcxb-dev forum word F1 (tuning / validation, 0.8387 / 0.7256): quote
/// lines (`BlockKind::Quote`) kept though repeated 0.8268 / 0.6900 (some
/// forums wrap each whole post in a `<blockquote>`, whose byline lines
/// then recur); every `<blockquote>` of the posts left out 0.8180 /
/// 0.7250 (vBulletin's posts are `blockquote.postcontent`).
pub(super) fn drop_repeated_lines_but(
    paragraphs: &mut Vec<Paragraph>,
    min_words: usize,
    kept: impl Fn(&Paragraph) -> bool,
) {
    let mut seen: HashSet<&str> = HashSet::new();
    let keep: Vec<bool> = paragraphs
        .iter()
        .map(|p| {
            p.kind == BlockKind::Cell
                || kept(p)
                || p.text.split_whitespace().count() < min_words
                || seen.insert(p.text.as_str())
        })
        .collect();
    let mut keep = keep.into_iter();
    paragraphs.retain(|_| keep.next().unwrap_or(true));
}

/// Most spaces in a poster's name before its post's date on one line.
const MAX_NAME_SPACES: usize = 4;

/// Link share above which a paragraph outside the items is a link list
/// (related threads, a forum's menu), not the items' heading or lead.
const MAX_OUTSIDE_LINK_DENSITY: f64 = 0.5;

/// What the items say: their template's lines (see [`template_key`]) and
/// every line of theirs.
pub(super) struct ItemLines {
    kind: ItemKind,
    /// Keys of the short lines that recur in most items.
    template: HashSet<String>,
    /// All lines of the items.
    pub(super) texts: HashSet<String>,
    /// A thread's posts' dates (see [`post_dates`]), never template.
    pub(super) dates: HashSet<String>,
    /// A thread's posters' names (see [`super::posters::bylines`]), never
    /// template nor copies.
    pub(super) names: HashSet<String>,
}

impl ItemLines {
    pub(super) fn of<F>(page: &Page<'_>, items: &[u32], kind: ItemKind, skip: F) -> Self
    where
        F: Fn(ego_tree::NodeRef<'_, scraper::Node>, &scraper::node::Element) -> bool + Copy,
    {
        let mut texts = HashSet::new();
        let mut per_item = Vec::with_capacity(items.len());
        for &item in items {
            let mut assembler = Assembler::new();
            assembler.add_subtree_filtered(page.elems[item as usize].node, skip);
            let lines: Vec<String> = assembler.finish().into_iter().map(|p| p.text).collect();
            per_item.push(lines.clone());
            texts.extend(lines);
        }
        let dates = match kind {
            ItemKind::Posts => post_dates(page, items),
            ItemKind::Cards => HashSet::new(),
        };
        Self {
            kind,
            template: template_lines(&per_item, kind),
            texts,
            dates,
            names: HashSet::new(),
        }
    }

    /// Whether a line is a post's byline: its date, its poster's name, or
    /// the name and the date on one line.
    pub(super) fn is_byline(&self, line: &str) -> bool {
        is_post_date(line, &self.dates)
            || self.names.contains(line)
            || line
                .match_indices(' ')
                .take(MAX_NAME_SPACES)
                .any(|(at, _)| {
                    self.names.contains(&line[..at]) && is_post_date(&line[at + 1..], &self.dates)
                })
    }

    /// Whether a paragraph of the region is content: not a template line
    /// of the items, and, outside a thread's posts, not a link list.
    pub(super) fn keeps(&self, p: &Paragraph) -> bool {
        if self.is_byline(&p.text) {
            return true;
        }
        if template_key(&p.text, self.kind).is_some_and(|key| self.template.contains(&key)) {
            return false;
        }
        self.kind == ItemKind::Cards
            || self.texts.contains(&p.text)
            || matches!(p.kind, BlockKind::Heading(_))
            || p.link_density() <= MAX_OUTSIDE_LINK_DENSITY
    }
}

/// Longest label (characters, before a colon) that a line's shape keeps
/// alone: "Posts: 4032" and "Posts: 65703" are one template line.
const MAX_LABEL_CHARS: usize = 20;

/// What a short line is compared by to find the items' template, or
/// `None` for a line too long to be a template's: the line itself in
/// cards; in posts, its label when it starts with one ("Joined:"), else
/// the line with each run of digits as `#` ("Reply #", "#" for a vote
/// count or a poster's age).
fn template_key(text: &str, kind: ItemKind) -> Option<String> {
    if text.chars().count() > MAX_TEMPLATE_CHARS {
        return None;
    }
    if kind == ItemKind::Cards {
        return Some(text.to_string());
    }
    if let Some((label, _)) = text.split_once(':') {
        if !label.is_empty()
            && label.chars().count() <= MAX_LABEL_CHARS
            && label.chars().any(char::is_alphabetic)
            && !label.chars().any(|c| c.is_ascii_digit())
        {
            return Some(format!("{label}:"));
        }
    }
    let mut shape = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !shape.ends_with('#') {
                shape.push('#');
            }
        } else {
            shape.push(c);
        }
    }
    Some(shape)
}

/// Longest line (characters) that can be a template's label.
const MAX_TEMPLATE_CHARS: usize = 40;

/// Share of the items a short line must recur in to be the template's
/// (a poster's "Joined", "Messages", "Full Member"; a card's "Read more"),
/// not a post's text; at least [`MIN_TEMPLATE_ITEMS`] items.
const MIN_TEMPLATE_SHARE: f64 = 0.6;

/// [`MIN_TEMPLATE_SHARE`] for a thread's posts: a poster's rank or badge
/// line ("Spokesperson", "Ex-Nation") recurs in the posts of the posters
/// who hold it, often half of the thread. Wcxb-dev forum word F1 tuning /
/// validation: 0.6 0.8328 / 0.7229, 0.5 0.8330 / 0.7231, 0.4 0.8333 /
/// 0.7226 (posters' names go as template lines in a thread of few
/// posters).
const MIN_POST_TEMPLATE_SHARE: f64 = 0.5;

/// Posts a labelled line's label must recur in to be the template's,
/// whatever their share of the thread: a poster's optional profile fields
/// ("Location: Leeds", "Primary OS: Fedora", "Programs: BA Gold"),
/// filled in by some posters only, are the poster's box, not what the
/// post says. Wcxb-dev forum word F1 tuning / validation 0.8387 / 0.7256
/// -> 0.8392 / 0.7261; only labels followed by a value (a bare "Output:"
/// over three answers' code kept) 0.8391 / 0.7257.
const MIN_LABELLED_POSTS: usize = 3;

/// Items a line must recur in to be the template's.
const MIN_TEMPLATE_ITEMS: usize = 3;

/// The keys (see [`template_key`]) of the short lines that recur in most
/// of the items (each item's lines given): the items' template (labels,
/// buttons, badges, counters), not what each item says.
pub(in crate::extract::typed) fn template_lines(
    items: &[Vec<String>],
    kind: ItemKind,
) -> HashSet<String> {
    let mut counts: FxHashMap<String, usize> = FxHashMap::default();
    for lines in items {
        let keys: HashSet<String> = lines.iter().filter_map(|t| template_key(t, kind)).collect();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
    }
    let share = match kind {
        ItemKind::Posts => MIN_POST_TEMPLATE_SHARE,
        ItemKind::Cards => MIN_TEMPLATE_SHARE,
    };
    let min = (share * items.len() as f64)
        .ceil()
        .max(MIN_TEMPLATE_ITEMS as f64) as usize;
    // A labelled line's key ends with its label's colon (see
    // [`template_key`]).
    let labelled = |key: &str, n: usize| {
        kind == ItemKind::Posts && key.ends_with(':') && n >= MIN_LABELLED_POSTS
    };
    counts
        .into_iter()
        .filter(|(key, n)| *n >= min || labelled(key, *n))
        .map(|(line, _)| line)
        .collect()
}
