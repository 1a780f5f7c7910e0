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

use scraper::Html;

use super::posters;
use super::posts::{
    after_last_post, forms_hold_posts, heads_other_threads, is_post_furniture, is_signature,
    link_lists_before_first_post, path_up, side_comments, MAX_OTHER_THREADS_SHARE,
};
use super::region::headed_sections;
use super::repeated::{best_group, Layout};
use crate::extract::generic::dom::{self, Page, NONE};
use crate::extract::text::{Assembler, Paragraph};
use crate::parse::parse_document;
pub(super) use lines::{drop_repeated_lines, template_lines};
use lines::{drop_repeated_lines_but, ItemLines, MIN_REPEATED_POST_WORDS};

mod lines;

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

/// A thread's posts on a page typed as an article: the paragraphs of
/// [`items_body`] as posts, when the posts themselves (not what
/// introduces them) hold [`MIN_GENERIC_COVER`] of the generic body's
/// words: the generic extractor took one post for the article, where a
/// news article's comments leave the article outside their posts.
/// A share of 0.6 instead loses: wcxb-dev tuning / validation 0.8881 /
/// 0.8790 -> 0.8852 / 0.8790 (article tuning 0.9517 -> 0.9462), generic
/// 0.9418 / 0.9377 -> 0.9415 / 0.9372.
pub fn thread_in_article(doc: &Html, generic: &[Paragraph]) -> Option<Vec<Paragraph>> {
    let found = find_items(doc, ItemKind::Posts)?;
    let posts: Vec<Paragraph> = found
        .posts
        .iter()
        .map(|t| Paragraph {
            text: t.clone(),
            kind: crate::extract::text::BlockKind::Text,
            link_chars: 0,
        })
        .collect();
    (covered_share(generic, &posts) >= MIN_GENERIC_COVER).then_some(found.kept)
}

/// The items' region: what is kept of it, and all its visible text (the
/// region as it stands, with the signatures, template lines and side
/// comments that the kept text leaves out on purpose).
struct Found {
    kept: Vec<Paragraph>,
    region: Vec<Paragraph>,
    /// The lines of the items themselves.
    posts: Vec<String>,
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
    let bylines = match kind {
        ItemKind::Posts => posters::bylines(page, &group.items),
        ItemKind::Cards => posters::Bylines::default(),
    };
    for id in posters::lifted(page, &layout, &bylines.shown) {
        blocked.remove(&id);
    }
    if let Some(title) = group
        .items
        .first()
        .and_then(|&f| title_before(page, region, f))
    {
        blocked.extend(before(page, region, title));
        // A thread's title is the record's title, not its body's first
        // line: the references leave it out (see [`title_before`]).
        if kind == ItemKind::Posts {
            blocked.insert(page.elems[title as usize].node.id());
        }
    }
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
            || (kind == ItemKind::Posts && (is_signature(el) || is_post_furniture(el)))
    };
    let mut lines = ItemLines::of(page, &group.items, kind, skip);
    lines.names = bylines.names;
    let mut assembler = Assembler::new();
    assembler.add_subtree_filtered(page.elems[region as usize].node, skip);
    let mut paragraphs = assembler.finish();
    paragraphs.retain(|p| lines.keeps(p));
    if kind == ItemKind::Posts {
        drop_repeated_lines_but(&mut paragraphs, MIN_REPEATED_POST_WORDS, |p| {
            lines.is_byline(&p.text)
        });
    }
    let mut whole = Assembler::new();
    whole.add_subtree_filtered(page.elems[region as usize].node, |_, el| {
        dom::is_invisible(el)
    });
    Some(Found {
        kept: paragraphs,
        region: whole.finish(),
        posts: lines.texts.into_iter().collect(),
    })
}

/// The region's first `<h1>`, when it comes before the `first` item: a
/// thread's title, a listing's heading. What stands before it (see
/// [`before`]) is left out, and so is a thread's title: the wcxb-dev
/// references omit it in 69 of the 79 tuning threads with an `<h1>`.
fn title_before(page: &Page<'_>, region: u32, first: u32) -> Option<u32> {
    (region + 1..first).find(|&i| {
        let e = &page.elems[i as usize];
        e.name() == "h1" && e.chars > 0
    })
}

/// The elements of `region` that stand before its `title` (see
/// [`title_before`]), not holding it: a site's banner, notices, a "You
/// are not logged in" box, breadcrumbs-like lines above a thread's title
/// or a listing's heading are the page around the items, not their
/// content. Wcxb-dev tuning / validation word F1: forum 0.8392 / 0.7261
/// -> 0.8441 / 0.7274; on cards too, collection 0.7147 / 0.7338 ->
/// 0.7153 / 0.7342, listing 0.7700 / 0.7869 -> 0.7702 / 0.7878.
fn before(page: &Page<'_>, region: u32, title: u32) -> Vec<ego_tree::NodeId> {
    let path = path_up(page, region, title);
    (region + 1..title)
        .filter(|i| !path.contains(i))
        .map(|i| &page.elems[i as usize])
        .filter(|e| path.contains(&e.parent))
        .map(|e| e.node.id())
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

/// The texts of the paragraphs [`items_body`] makes of `html` as items of
/// `kind` (for tests here and in the modules that feed the Posts path).
#[cfg(test)]
pub(super) fn item_texts(html: &str, kind: ItemKind) -> Vec<String> {
    let doc = crate::parse::parse_document(html);
    items_body(&doc, &[], kind)
        .unwrap()
        .into_iter()
        .map(|p| p.text)
        .collect()
}

#[cfg(test)]
mod tests;
