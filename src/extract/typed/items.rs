//! The main content of pages made of items: a forum thread's posts, a
//! listing's cards, a collection's entries.
//!
//! The items are the page's best group of alike siblings (see
//! [`super::repeated`]); the content is the region holding them, grown
//! upward over ancestors that add little text of their own (a thread's
//! title and question, a listing's heading and intro), without chrome.

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use scraper::Html;

use super::repeated::{best_group, Layout};
use crate::extract::generic::dom::{self, Page, NONE};
use crate::extract::text::{Assembler, Paragraph};
use crate::parse::parse_document;

/// How much text an ancestor may hold, relative to the region so far, to
/// join the region: what it adds beside the items is their heading, lead or
/// opening post, not another part of the page (wcxb-dev tuning part: 1.3,
/// 2, 3, 5 give listing word F1 0.615, 0.630, 0.653, 0.661 and forum
/// 0.736, 0.741, 0.741, 0.740; 3 stops before whole-page regions).
const EXPAND_RATIO: f64 = 3.0;

/// The share of the generic (article) body's words the items' text must
/// hold to replace it: items that leave out what the generic extractor
/// found are the wrong group (a menu of cards beside the page's text).
const MIN_GENERIC_COVER: f64 = 0.8;

/// The paragraphs of the page's items and what introduces them, or `None`
/// when the page has no group of at least `min_items` alike items.
pub fn items_body(doc: &Html, generic: &[Paragraph], min_items: usize) -> Option<Vec<Paragraph>> {
    let items = find_items(doc, min_items)?;
    (covered_share(generic, &items) >= MIN_GENERIC_COVER).then_some(items)
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
fn find_items(doc: &Html, min_items: usize) -> Option<Vec<Paragraph>> {
    // From the root: the walk leaves `<head>` out as it does any
    // non-content element.
    let root = doc.root_element();
    let page = dom::walk(*root);
    if let Some(paragraphs) = page_items(&page, min_items) {
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
            page_items(&dom::walk(*root), min_items)
        })
        .max_by_key(|paragraphs| paragraphs.iter().map(|p| p.text.len()).sum::<usize>())
}

/// Visible characters below which a page's content is looked for in its
/// `<noscript>` elements.
const SCRIPT_ONLY_CHARS: u32 = 500;

/// The items of one walked tree and what introduces them.
fn page_items(page: &Page<'_>, min_items: usize) -> Option<Vec<Paragraph>> {
    let layout = Layout::of(page, true);
    let group = best_group(page, &layout, min_items)?;
    let region = grow_region(page, &layout, group.parent);
    let blocked: HashSet<ego_tree::NodeId> = page
        .elems
        .iter()
        .zip(&layout.blocked)
        .filter(|(_, &b)| b)
        .map(|(e, _)| e.node.id())
        .collect();
    let skip = |node: ego_tree::NodeRef<'_, scraper::Node>, el: &scraper::node::Element| {
        dom::is_invisible(el) || blocked.contains(&node.id())
    };
    let template = template_lines(page, &group.items, skip);
    let mut assembler = Assembler::new();
    assembler.add_subtree_filtered(page.elems[region as usize].node, skip);
    let mut paragraphs = assembler.finish();
    paragraphs.retain(|p| !template.contains(&p.text));
    Some(paragraphs)
}

/// Longest line (characters) that can be a template's label.
const MAX_TEMPLATE_CHARS: usize = 40;

/// Share of the items a short line must recur in to be the template's
/// (a poster's "Joined", "Messages", "Full Member"; a card's "Read more"),
/// not a post's text; at least [`MIN_TEMPLATE_ITEMS`] items.
const MIN_TEMPLATE_SHARE: f64 = 0.6;

/// Items a line must recur in to be the template's.
const MIN_TEMPLATE_ITEMS: usize = 3;

/// The short lines that recur in most of the items: the items' template
/// (labels, buttons, badges), not what each item says.
fn template_lines<F>(page: &Page<'_>, items: &[u32], skip: F) -> HashSet<String>
where
    F: Fn(ego_tree::NodeRef<'_, scraper::Node>, &scraper::node::Element) -> bool + Copy,
{
    let mut counts: FxHashMap<String, usize> = FxHashMap::default();
    for &item in items {
        let mut assembler = Assembler::new();
        assembler.add_subtree_filtered(page.elems[item as usize].node, skip);
        let lines: HashSet<String> = assembler
            .finish()
            .into_iter()
            .map(|p| p.text)
            .filter(|t| t.chars().count() <= MAX_TEMPLATE_CHARS)
            .collect();
        for line in lines {
            *counts.entry(line).or_default() += 1;
        }
    }
    let min = (MIN_TEMPLATE_SHARE * items.len() as f64)
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
        let texts: Vec<String> = items_body(&doc, &[], 2)
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
}
