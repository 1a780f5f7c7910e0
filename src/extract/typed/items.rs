//! The main content of pages made of items: a forum thread's posts, a
//! listing's cards, a collection's entries.
//!
//! The items are the page's best group of alike siblings (see
//! [`super::repeated`]); the content is the region holding them, grown
//! upward over ancestors that add little text of their own (a thread's
//! title and question, a listing's heading and intro), without chrome.
//!
//! On listings and collections the block model writes the body; the cards
//! only feed its `in_typed` features (wcxb-dev tuning word F1, 0.8607 as
//! is: `EXPAND_RATIO` 2 0.8606, 5 0.8607; `MIN_GENERIC_COVER` 0.5 0.8607,
//! 0.95 0.8608). The rules alone (`eval --block-model never`) give
//! listing 0.5885 / 0.5043 and collection 0.5860 / 0.5790 (tuning /
//! validation) against the model's 0.7193 / 0.7035 and 0.6861 / 0.6139.

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use scraper::Html;

use super::posts::{
    after_last_post, forms_hold_posts, heads_other_threads, is_post_date, is_signature,
    link_lists_before_first_post, post_dates, side_comments, MAX_OTHER_THREADS_SHARE,
};
use super::region::headed_sections;
use super::repeated::{best_group, Layout};
use crate::extract::generic::dom::{self, Page, NONE};
use crate::extract::text::{Assembler, BlockKind, Paragraph};
use crate::parse::parse_document;

/// How much text an ancestor may hold, relative to the region so far, to
/// join the region: what it adds beside the items is their heading, lead or
/// opening post, not another part of the page (wcxb-dev tuning part: 1.3,
/// 2, 3, 5 give listing word F1 0.615, 0.630, 0.653, 0.661 and forum
/// 0.736, 0.741, 0.741, 0.740; 3 stops before whole-page regions).
const EXPAND_RATIO: f64 = 3.0;

/// The share of the generic (article) body's words the items' region must
/// hold for its text to replace it: items that leave out what the generic
/// extractor found are the wrong group (a menu of cards beside the page's
/// text). The region's whole text counts, with what its kept text leaves
/// out on purpose (posters' signatures, template lines): a thread whose
/// signatures the generic body kept is still the thread (wcxb-dev
/// validation forum word F1 0.6857 -> 0.7118).
const MIN_GENERIC_COVER: f64 = 0.8;

/// What a page's items are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A thread's posts (at least 2): their posters' signatures, their
    /// template lines up to numbers and values ("Posts: 4032", "Reply 7")
    /// and the link lists beside them (related threads) are left out.
    Posts,
    /// A listing's or collection's cards (at least 3): only lines repeated
    /// word for word in most cards are their template (a card's date or
    /// price is content).
    Cards,
}

impl ItemKind {
    /// The fewest alike items that make a group.
    fn min_items(self) -> usize {
        match self {
            Self::Posts => 2,
            Self::Cards => 3,
        }
    }
}

/// The paragraphs of the page's items and what introduces them, or `None`
/// when the page has no group of enough alike items.
pub fn items_body(doc: &Html, generic: &[Paragraph], kind: ItemKind) -> Option<Vec<Paragraph>> {
    let found = find_items(doc, kind)?;
    (covered_share(generic, &found.region) >= MIN_GENERIC_COVER).then_some(found.kept)
}

/// The items' region: what is kept of it, and all its visible text (the
/// region as it stands, with the signatures, template lines and side
/// comments that the kept text leaves out on purpose).
struct Found {
    kept: Vec<Paragraph>,
    region: Vec<Paragraph>,
}

/// The share of `inner`'s words (by count) that occur in `outer`.
fn covered_share(inner: &[Paragraph], outer: &[Paragraph]) -> f64 {
    let words = |ps: &[Paragraph]| -> Vec<String> {
        ps.iter()
            .flat_map(|p| p.text.split_whitespace())
            .map(str::to_lowercase)
            .collect()
    };
    let inner = words(inner);
    if inner.is_empty() {
        return 1.0;
    }
    let outer: HashSet<String> = words(outer).into_iter().collect();
    inner.iter().filter(|w| outer.contains(*w)).count() as f64 / inner.len() as f64
}

/// The items of the page (or of its `<noscript>` content, when the page is
/// rendered by scripts) and what introduces them.
fn find_items(doc: &Html, kind: ItemKind) -> Option<Found> {
    // From the root: the walk leaves `<head>` out as it does any
    // non-content element.
    let root = doc.root_element();
    let page = walk(*root, kind);
    if let Some(paragraphs) = page_items(&page, kind) {
        return Some(paragraphs);
    }
    if page.total_chars >= SCRIPT_ONLY_CHARS {
        return None;
    }
    // A script-rendered page (a Discourse thread) shows its content to
    // readers without scripts only: in `<noscript>`, which the parser (with
    // scripting on, as browsers) keeps as raw markup.
    root.descendants()
        .filter(|n| {
            n.value()
                .as_element()
                .is_some_and(|e| e.name() == "noscript")
        })
        .filter_map(|n| {
            let markup: String = n
                .children()
                .filter_map(|c| c.value().as_text().map(|t| &**t))
                .collect();
            (markup.len() >= SCRIPT_ONLY_CHARS as usize).then_some(markup)
        })
        .filter_map(|markup| {
            let inner = parse_document(&markup);
            let root = inner.root_element();
            page_items(&walk(*root, kind), kind)
        })
        .max_by_key(|found| found.kept.iter().map(|p| p.text.len()).sum::<usize>())
}

/// The walked tree of `root`; a thread's forms that the walk judged chrome
/// for their little prose are not (see [`forms_hold_posts`]).
fn walk(root: ego_tree::NodeRef<'_, scraper::Node>, kind: ItemKind) -> Page<'_> {
    let mut page = dom::walk(root);
    if kind == ItemKind::Posts {
        forms_hold_posts(&mut page);
    }
    page
}

/// Visible characters below which a page's content is looked for in its
/// `<noscript>` elements.
const SCRIPT_ONLY_CHARS: u32 = 500;

/// The items of one walked tree and what introduces them.
fn page_items(page: &Page<'_>, kind: ItemKind) -> Option<Found> {
    let layout = Layout::of(page, true);
    let group = best_group(page, &layout, kind.min_items())?;
    let region = grow_region(page, &layout, group.parent);
    let mut blocked: HashSet<ego_tree::NodeId> = page
        .elems
        .iter()
        .zip(&layout.blocked)
        .filter(|(_, &b)| b)
        .map(|(e, _)| e.node.id())
        .collect();
    if kind == ItemKind::Posts {
        if let (Some(&first), Some(&last)) = (group.items.first(), group.items.last()) {
            blocked.extend(after_last_post(page, region, last));
            blocked.extend(link_lists_before_first_post(page, region, first));
        }
        blocked.extend(side_comments(page, &layout, &group.items));
        let other_threads = headed_sections(
            page,
            &layout,
            region,
            MAX_OTHER_THREADS_SHARE,
            heads_other_threads,
        );
        blocked.extend(
            other_threads
                .iter()
                .map(|&i| page.elems[i as usize].node.id()),
        );
    }
    let skip = |node: ego_tree::NodeRef<'_, scraper::Node>, el: &scraper::node::Element| {
        dom::is_invisible(el)
            || blocked.contains(&node.id())
            || (kind == ItemKind::Posts && is_signature(el))
    };
    let lines = ItemLines::of(page, &group.items, kind, skip);
    let mut assembler = Assembler::new();
    assembler.add_subtree_filtered(page.elems[region as usize].node, skip);
    let mut paragraphs = assembler.finish();
    paragraphs.retain(|p| lines.keeps(p));
    if kind == ItemKind::Posts {
        drop_repeated_lines_but(&mut paragraphs, MIN_REPEATED_POST_WORDS, |p| {
            is_post_date(&p.text, &lines.dates)
        });
    }
    let mut whole = Assembler::new();
    whole.add_subtree_filtered(page.elems[region as usize].node, |_, el| {
        dom::is_invisible(el)
    });
    Some(Found {
        kept: paragraphs,
        region: whole.finish(),
    })
}

/// Fewest words of a post's line that, said again word for word, is a
/// copy: a reply quoting an earlier post, a poster's rank under each of
/// their posts. One-word lines recur in a thread as content (a poster's
/// name on each of their posts). Wcxb-dev, oracle page types, forum word
/// F1 tuning / validation: 4 words 0.8139 / 0.6754, 2 words 0.8169 / 0.6817.
const MIN_REPEATED_POST_WORDS: usize = 2;

/// Leaves out every line of at least `min_words` words that repeats an
/// earlier line word for word, keeping its first occurrence; table cells
/// always stay ("Yes" in each row of a specifications table). Wcxb-dev
/// tuning part, oracle page types: forum word F1 0.7921 -> 0.8147 with 4
/// words; product 0.6987 -> 0.7033 with 4 words, about 0.004 more with 1
/// (a product page's blocks rendered twice, for phones and for desktops,
/// down to their labels and headings).
pub(super) fn drop_repeated_lines(paragraphs: &mut Vec<Paragraph>, min_words: usize) {
    drop_repeated_lines_but(paragraphs, min_words, |_| false);
}

/// [`drop_repeated_lines`], keeping every line that `kept` accepts (each
/// post's date, said again in the next post of the same day).
fn drop_repeated_lines_but(
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

/// Link share above which a paragraph outside the items is a link list
/// (related threads, a forum's menu), not the items' heading or lead.
const MAX_OUTSIDE_LINK_DENSITY: f64 = 0.5;

/// What the items say: their template's lines (see [`template_key`]) and
/// every line of theirs.
struct ItemLines {
    kind: ItemKind,
    /// Keys of the short lines that recur in most items.
    template: HashSet<String>,
    /// All lines of the items.
    texts: HashSet<String>,
    /// A thread's posts' dates (see [`post_dates`]), never template.
    dates: HashSet<String>,
}

impl ItemLines {
    fn of<F>(page: &Page<'_>, items: &[u32], kind: ItemKind, skip: F) -> Self
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
        }
    }

    /// Whether a paragraph of the region is content: not a template line
    /// of the items, and, outside a thread's posts, not a link list.
    fn keeps(&self, p: &Paragraph) -> bool {
        if is_post_date(&p.text, &self.dates) {
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

/// Items a line must recur in to be the template's.
const MIN_TEMPLATE_ITEMS: usize = 3;

/// The keys (see [`template_key`]) of the short lines that recur in most
/// of the items (each item's lines given): the items' template (labels,
/// buttons, badges, counters), not what each item says.
pub(super) fn template_lines(items: &[Vec<String>], kind: ItemKind) -> HashSet<String> {
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
    counts
        .into_iter()
        .filter(|&(_, n)| n >= min)
        .map(|(line, _)| line)
        .collect()
}

/// Climbs from `start` while the parent holds at most [`EXPAND_RATIO`]
/// times the region's text.
fn grow_region(page: &Page<'_>, layout: &Layout, start: u32) -> u32 {
    let mut region = start;
    let mut chars = layout.text(page, region).0 as f64;
    loop {
        let parent = page.elems[region as usize].parent;
        if parent == NONE || layout.blocked[parent as usize] {
            return region;
        }
        let parent_chars = layout.text(page, parent).0 as f64;
        if parent_chars > EXPAND_RATIO * chars {
            return region;
        }
        region = parent;
        chars = parent_chars;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_posts_template_lines_are_left_out() {
        let post = |user: &str, text: &str| {
            format!(
                "<div class=post><div class=user><p>{user}</p><p>Joined</p><p>Messages</p></div>\
                 <div class=body><p>{text}</p></div></div>"
            )
        };
        let html = format!(
            "<body><div class=thread>{}{}{}{}</div></body>",
            post("ann", "Has anyone tried the new lathe from the show?"),
            post("bob", "Yes, mine arrived last week and it runs quietly."),
            post("ann", "Good to hear, I will order one then."),
            post("cy", "Mind the belt tension on the first runs.")
        );
        let doc = parse_document(&html);
        let texts: Vec<String> = items_body(&doc, &[], ItemKind::Posts)
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert!(
            !texts.iter().any(|t| t == "Joined" || t == "Messages"),
            "{texts:?}"
        );
        assert_eq!(texts.iter().filter(|t| *t == "ann").count(), 2, "{texts:?}");
        assert!(texts.contains(&"Mind the belt tension on the first runs.".to_string()));
    }

    #[test]
    fn a_rank_line_in_half_the_posts_is_template() {
        let post = |user: &str, rank: &str, text: &str| {
            format!(
                "<div class=post><div class=user><p>{user}</p><p>{rank}</p></div>\
                 <div class=body><p>{text}</p></div></div>"
            )
        };
        let html = format!(
            "<body><div class=thread>{}{}{}{}{}{}</div></body>",
            post("ann", "Veteran", "Which lathe should a beginner buy?"),
            post("bob", "Veteran", "A small benchtop one, used if you can."),
            post("cy", "Newcomer", "Mine came with a chuck and two rests."),
            post("dee", "Moderator", "Check the bed for wear before buying."),
            post("eve", "Veteran", "And budget for sharpening the gouges."),
            post("fay", "Apprentice", "Thanks, all of this helps a lot.")
        );
        let texts = thread_texts(&html, ItemKind::Posts);
        assert_eq!(
            texts,
            [
                "ann",
                "Which lathe should a beginner buy?",
                "bob",
                "A small benchtop one, used if you can.",
                "cy",
                "Newcomer",
                "Mine came with a chuck and two rests.",
                "dee",
                "Moderator",
                "Check the bed for wear before buying.",
                "eve",
                "And budget for sharpening the gouges.",
                "fay",
                "Apprentice",
                "Thanks, all of this helps a lot.",
            ]
        );
    }

    fn thread_texts(html: &str, kind: ItemKind) -> Vec<String> {
        let doc = parse_document(html);
        items_body(&doc, &[], kind)
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    /// A phpBB-like thread: poster details as "label: value" lines, a
    /// reply counter, signatures, and a list of related threads.
    fn thread() -> String {
        let post = |n: usize, user: &str, posts: usize, text: &str| {
            format!(
                "<div class=post><dl class=postprofile><dt>{user}</dt><dd>Posts: {posts}</dd>\
                 <dd>Founded: Oct 0{n}, 2011</dd></dl><p>Reply {n}</p><div class=content><p>{text}</p></div>\
                 <div class=signature><p>{user}'s garden, proudly growing tomatoes since 1998.</p></div></div>"
            )
        };
        format!(
            "<body><div class=page><h1>Tomato varieties for a cold spring</h1>{}{}{}{}\
             <div class=related><h3>Related discussions</h3><ul>\
             <li><a href=/t/1>Peppers in pots on a balcony</a></li>\
             <li><a href=/t/2>Greenhouse heating on a budget</a></li></ul></div></div></body>",
            post(
                1,
                "ann",
                4032,
                "Which tomatoes ripen first when the spring is cold?"
            ),
            post(
                2,
                "bob",
                65703,
                "Early Girl has never failed me, even in a wet May."
            ),
            post(3, "ann", 4033, "Thanks, I will sow some next week then."),
            post(
                4,
                "cy",
                17,
                "Sub Arctic Plenty is quicker still, if smaller."
            )
        )
    }

    #[test]
    fn posts_lose_their_signatures_template_values_and_related_links() {
        let texts = thread_texts(&thread(), ItemKind::Posts);
        for gone in [
            "Posts: 4032",
            "Founded: Oct 01, 2011",
            "Reply 2",
            "Peppers in pots on a balcony",
        ] {
            assert!(!texts.iter().any(|t| t == gone), "{gone} kept: {texts:?}");
        }
        assert!(
            !texts.iter().any(|t| t.contains("proudly growing")),
            "{texts:?}"
        );
        assert_eq!(
            texts.first().map(String::as_str),
            Some("Tomato varieties for a cold spring")
        );
        assert!(texts.contains(&"Sub Arctic Plenty is quicker still, if smaller.".to_string()));
        assert_eq!(texts.iter().filter(|t| *t == "ann").count(), 2, "{texts:?}");
    }

    #[test]
    fn a_quoted_post_is_said_once() {
        let post = |user: &str, quote: &str, text: &str| {
            format!(
                "<div class=post><p>{user}</p><blockquote><p>{quote}</p></blockquote>\
                 <div class=body><p>{text}</p></div></div>"
            )
        };
        let question = "Which saw blade cuts oak without burning it?";
        let html = format!(
            "<body><div class=thread>{}{}{}</div></body>",
            post("ann", "", question),
            post(
                "bob",
                question,
                "A sharp rip blade with fewer teeth, fed steadily."
            ),
            post("ann", "", "Thanks, that worked.")
        );
        let texts = thread_texts(&html, ItemKind::Posts);
        assert_eq!(
            texts.iter().filter(|t| *t == question).count(),
            1,
            "{texts:?}"
        );
        assert_eq!(texts.iter().filter(|t| *t == "ann").count(), 2, "{texts:?}");
        assert!(
            texts.contains(&"Thanks, that worked.".to_string()),
            "{texts:?}"
        );
    }

    #[test]
    fn comment_sections_holding_most_of_the_thread_are_its_replies() {
        let reply = |text: &str| format!("<li class=comment><p>{text}</p></li>");
        let long = "I moved from banking to a strategy firm two years ago and the hours \
                    are shorter, the culture flatter and the exits just as broad as before.";
        let html = format!(
            "<body><div id=main><div class=posts>\
             <div class=post><p>Is consulting worth it for the hours?</p></div>\
             <div class=post><p>Asking for a friend who starts next year.</p></div></div>\
             <div class=comments><ul>{}{}</ul></div></div></body>",
            reply(long),
            reply(&long.replace("banking", "auditing"))
        );
        let texts = thread_texts(&html, ItemKind::Posts);
        assert!(
            texts.iter().any(|t| t.starts_with("I moved from banking")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("I moved from auditing")),
            "{texts:?}"
        );
    }

    #[test]
    fn remarks_beside_a_questions_answers_are_left_out() {
        let remarks = |text: &str| {
            format!(
                "<div class=comments><ul><li class=comment>{text} Commented May 2</li></ul></div>"
            )
        };
        let answer = |text: &str, remark: &str| {
            format!(
                "<div class=answer><div class=answer-body><p>{text}</p></div>{}</div>",
                remarks(remark)
            )
        };
        let html = format!(
            "<body><div id=main><div class=question><h1>Why does my bread not rise?</h1>\
             <p>The dough stays flat after two hours in a warm kitchen.</p>{}</div>\
             <div class=answers>{}{}</div></div></body>",
            remarks("Which flour do you use?"),
            answer(
                "Your yeast is probably dead; test it in warm sugared water first.",
                "This fixed it for me."
            ),
            answer(
                "Salt touching the yeast directly slows it down a great deal.",
                "Only in large amounts."
            )
        );
        let texts = thread_texts(&html, ItemKind::Posts);
        assert_eq!(
            texts,
            [
                "Why does my bread not rise?",
                "The dough stays flat after two hours in a warm kitchen.",
                "Your yeast is probably dead; test it in warm sugared water first.",
                "Salt touching the yeast directly slows it down a great deal.",
            ]
        );
    }

    #[test]
    fn replies_nested_in_comment_posts_are_kept() {
        let reply = |user: &str, text: &str, nested: &str| {
            format!("<div class=comment><p>{user}</p><p>{text}</p><div class=children>{nested}</div></div>")
        };
        let html = format!(
            "<body><div class=thread>{}{}</div></body>",
            reply(
                "ann",
                "Hair cells regrowing would change hearing aids forever.",
                &reply("bob", "Only if it works in adults as well.", "")
            ),
            reply("cy", "The mouse results look promising so far.", "")
        );
        let texts = thread_texts(&html, ItemKind::Posts);
        assert!(
            texts.contains(&"Only if it works in adults as well.".to_string()),
            "{texts:?}"
        );
    }

    #[test]
    fn posts_whose_text_is_named_as_comments_are_kept() {
        let post = |user: &str, text: &str| {
            format!(
                "<div class=post><p>{user}</p><div class=comment-content><p>{text}</p></div></div>"
            )
        };
        let html = format!(
            "<body><div class=thread>{}{}{}</div></body>",
            post("ann", "Is a consulting career worth the long hours?"),
            post(
                "bob",
                "It was for me: I learned more in two years than in five."
            ),
            post("cy", "Only if you plan to leave for industry later.")
        );
        let texts = thread_texts(&html, ItemKind::Posts);
        assert!(
            texts.contains(&"Only if you plan to leave for industry later.".to_string()),
            "{texts:?}"
        );
    }

    #[test]
    fn signatures_the_generic_body_kept_do_not_reject_the_posts() {
        let signature = "Community leader, designer and developer of shop themes, \
            ask me about breadcrumbs, wishlists, currencies and popups for your store";
        let post = |user: &str, text: &str| {
            format!(
                "<div class=post><p>{user}</p><div class=body><p>{text}</p></div>\
                 <div class=signature><p>{signature}</p></div></div>"
            )
        };
        let texts = [
            "Is there a roadmap for new features?",
            "Not a public one, sorry.",
            "Thanks, that settles it.",
        ];
        let html = format!(
            "<body><div class=thread>{}{}{}</div></body>",
            post("ann", texts[0]),
            post("bob", texts[1]),
            post("ann", texts[2])
        );
        let doc = parse_document(&html);
        // The generic body: each post's text and its poster's signature.
        let generic: Vec<Paragraph> = texts
            .iter()
            .flat_map(|t| [*t, signature])
            .map(|t| Paragraph {
                text: t.to_string(),
                kind: BlockKind::Text,
                link_chars: 0,
            })
            .collect();
        let got: Vec<String> = items_body(&doc, &generic, ItemKind::Posts)
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            got,
            ["ann", texts[0], "bob", texts[1], "ann", texts[2]],
            "{got:?}"
        );
    }

    #[test]
    fn what_follows_the_last_post_is_left_out() {
        let post = |user: &str, text: &str| {
            format!("<div class=post><p>{user}</p><div class=body><p>{text}</p></div></div>")
        };
        let html = format!(
            "<body><div class=page><h1>Which glue holds oak to steel?</h1>\
             <p>I need to fix an oak shelf to a steel frame without screws.</p>\
             <div class=posts>{}{}{}</div>\
             <p>You must sign in to answer this question.</p>\
             <div class=help><p>Allow notifications in your browser to hear of new replies.</p></div>\
             </div></body>",
            post("ann", "A two-part epoxy, with the steel sanded first."),
            post("bob", "Construction adhesive works too, if the shelf is light."),
            post("cy", "Epoxy here as well; clamp it overnight.")
        );
        let texts = thread_texts(&html, ItemKind::Posts);
        assert_eq!(
            texts,
            [
                "Which glue holds oak to steel?",
                "I need to fix an oak shelf to a steel frame without screws.",
                "ann",
                "A two-part epoxy, with the steel sanded first.",
                "bob",
                "Construction adhesive works too, if the shelf is light.",
                "cy",
                "Epoxy here as well; clamp it overnight.",
            ]
        );
    }

    #[test]
    fn link_lists_before_the_first_post_are_left_out() {
        let post = |user: &str, text: &str| {
            format!("<div class=post><p>{user}</p><div class=body><p>{text}</p></div></div>")
        };
        let html = format!(
            "<body><div class=page><div class=title><h1><a href=/t/9>Which glue holds oak to steel?</a></h1></div>\
             <div class=rules><p>Posting rules</p><ul><li><a href=/r/1>Be kind to other woodworkers</a></li>\
             <li><a href=/r/2>Search the forum before you ask</a></li>\
             <li><a href=/r/3>No sales posts outside the market</a></li></ul></div>\
             <p>I need to fix an oak shelf to a steel frame without screws.</p>\
             <div class=posts>{}{}{}</div></div></body>",
            post("ann", "A two-part epoxy, with the steel sanded first."),
            post("bob", "Construction adhesive works too, if the shelf is light."),
            post("cy", "Epoxy here as well; clamp it overnight.")
        );
        let texts = thread_texts(&html, ItemKind::Posts);
        assert_eq!(
            texts,
            [
                "Which glue holds oak to steel?",
                "I need to fix an oak shelf to a steel frame without screws.",
                "ann",
                "A two-part epoxy, with the steel sanded first.",
                "bob",
                "Construction adhesive works too, if the shelf is light.",
                "cy",
                "Epoxy here as well; clamp it overnight.",
            ]
        );
    }

    #[test]
    fn cards_keep_their_varying_values() {
        let card = |name: &str, price: &str| {
            format!("<div class=card><h3>{name}</h3><p>Price: {price}</p><p>Added 2024</p></div>")
        };
        let html = format!(
            "<body><div class=grid>{}{}{}</div></body>",
            card("Blue kettle", "12 euros"),
            card("Red kettle", "14 euros"),
            card("Green kettle", "19 euros")
        );
        let texts = thread_texts(&html, ItemKind::Cards);
        assert!(texts.contains(&"Price: 14 euros".to_string()), "{texts:?}");
        assert!(!texts.contains(&"Added 2024".to_string()), "{texts:?}");
    }
}
