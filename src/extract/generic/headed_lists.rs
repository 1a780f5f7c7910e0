//! Lists the text introduces: by a sentence ending in a colon ("The
//! documents are public:") or by a subheading ("Further reading", "What
//! you need"). Their items may be all links (sources, tools, places), yet
//! they are the article's. A feed of teasers under a heading looks the
//! same, so a heading's list must not be timestamped headlines, a table of
//! contents (items repeating the headings that follow) or a directory of
//! links; one after the article's end goes with the weak edge anyway.

use std::collections::HashMap;

use super::feed::is_stamped;
use crate::extract::text::{BlockKind, Paragraph};
use crate::vocabulary::is_tail_marker;

/// Items, at least, of a list a heading introduces.
const MIN_ITEMS: usize = 2;

/// Items, at most, of such a list (more make a directory of links: a
/// source list of forty items is the text's, a thousand towns are not).
const MAX_ITEMS: usize = 100;

/// A line of text that announces a list: a sentence of some words ending
/// in a colon.
pub(super) fn introduces_list(p: &Paragraph) -> bool {
    p.kind == BlockKind::Text
        && p.text.trim_end().ends_with(':')
        && p.text.split_whitespace().count() >= 3
        && p.link_density() < 0.3
        && !is_tail_marker(p.text.trim_end().trim_end_matches(':'))
}

/// A heading that may introduce a list of the text: a subheading with few
/// links that does not announce related content.
fn introduces(p: &Paragraph) -> bool {
    matches!(p.kind, BlockKind::Heading(level) if level >= 2)
        && p.link_density() < 0.3
        && !is_tail_marker(p.text.trim_end().trim_end_matches(':'))
}

/// How headings and items are compared.
fn heading_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// A table of contents: most of the items repeat a heading that follows
/// (one at index `end` or later; `last_heading` gives each heading's last
/// index, so the test is linear in the items).
fn repeats_headings(
    items: &[Paragraph],
    end: usize,
    last_heading: &HashMap<String, usize>,
) -> bool {
    let repeated = items
        .iter()
        .filter(|p| last_heading.get(&heading_key(&p.text)) >= Some(&end))
        .count();
    repeated * 2 > items.len()
}

/// Per paragraph: whether it is an item of a list a heading introduces
/// (see the module doc): a run of [`MIN_ITEMS`] to [`MAX_ITEMS`] list
/// items right under such a heading, at most a third of them stamped with
/// a time or a date, and not a table of contents.
pub fn headed_list_items(paragraphs: &[Paragraph]) -> Vec<bool> {
    let mut marks = vec![false; paragraphs.len()];
    let mut last_heading: Option<HashMap<String, usize>> = None;
    let mut i = 0;
    while i < paragraphs.len() {
        if !introduces(&paragraphs[i]) {
            i += 1;
            continue;
        }
        let start = i + 1;
        let end = paragraphs[start..]
            .iter()
            .position(|p| p.kind != BlockKind::ListItem)
            .map_or(paragraphs.len(), |k| start + k);
        let items = &paragraphs[start..end];
        if (MIN_ITEMS..=MAX_ITEMS).contains(&items.len()) {
            let stamped = items.iter().filter(|p| is_stamped(&p.text)).count();
            // Built once, on the first list that needs it.
            let last_heading = last_heading.get_or_insert_with(|| {
                paragraphs
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| matches!(p.kind, BlockKind::Heading(_)))
                    .map(|(at, p)| (heading_key(&p.text), at))
                    .collect()
            });
            if stamped * 3 <= items.len() && !repeats_headings(items, end, last_heading) {
                marks[start..end].iter_mut().for_each(|m| *m = true);
            }
        }
        i = end;
    }
    marks
}

/// Words and characters, at least, of a linked item of a mixed list:
/// shorter links are buttons ("Add to Cart", "Google Maps", "Show more").
const MIN_LINKED_ITEM_WORDS: usize = 4;
const MIN_LINKED_ITEM_CHARS: usize = 25;

/// A linked item worded like a line of the list, not a button.
fn is_worded(p: &Paragraph) -> bool {
    p.text.split_whitespace().count() >= MIN_LINKED_ITEM_WORDS
        && p.text.trim().chars().count() >= MIN_LINKED_ITEM_CHARS
}

/// Per paragraph: whether it is an item of a mixed list of the text: a
/// run of [`MIN_ITEMS`] to [`MAX_ITEMS`] list items inside the text (not
/// its first or last paragraphs), at least half of them plain (few links),
/// at most a third stamped with a time or a date, its linked items worded
/// as lines (four words and 25 characters; shorter ones are buttons). Its
/// linked items ("Any jobs running on larger runners", linking the
/// runners' page) are as much the list's as the plain ones.
///
/// Measured and dropped: every list standing between two sentences of the
/// text, linked or not, keeps the in-text "read also" lists of news pages
/// (linked headlines of other stories) and shops' "Buy on ..." buttons:
/// wcxb-dev tuning 0.8829 unchanged, generic tuning 0.9412 -> 0.9409,
/// publishers tuning 0.9638 -> 0.9636.
pub fn mixed_list_items(paragraphs: &[Paragraph]) -> Vec<bool> {
    let mut marks = vec![false; paragraphs.len()];
    let mut i = 1;
    while i < paragraphs.len() {
        if paragraphs[i].kind != BlockKind::ListItem {
            i += 1;
            continue;
        }
        let start = i;
        let end = paragraphs[start..]
            .iter()
            .position(|p| p.kind != BlockKind::ListItem)
            .map_or(paragraphs.len(), |k| start + k);
        let items = &paragraphs[start..end];
        let stamped = items.iter().filter(|p| is_stamped(&p.text)).count();
        let plain = items.iter().filter(|p| p.link_density() <= 0.5).count();
        let linked_items = items.iter().filter(|p| p.link_density() > 0.5);
        let worded = linked_items.clone().all(is_worded);
        if (MIN_ITEMS..=MAX_ITEMS).contains(&items.len())
            && end < paragraphs.len()
            && plain < items.len()
            && worded
            && plain * 2 >= items.len()
            && stamped * 3 <= items.len()
        {
            marks[start..end].iter_mut().for_each(|m| *m = true);
        }
        i = end;
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str, kind: BlockKind, linked: bool) -> Paragraph {
        Paragraph {
            text: text.to_string(),
            kind,
            link_chars: if linked { text.chars().count() } else { 0 },
        }
    }

    const PROSE: &str = "The council voted on Tuesday to extend the tram line, after a debate that lasted most of the evening and ended in a narrow vote.";

    fn page(heading: &str, items: &[&str]) -> Vec<Paragraph> {
        let mut ps = vec![para(PROSE, BlockKind::Text, false)];
        ps.push(para(heading, BlockKind::Heading(2), false));
        ps.extend(items.iter().map(|t| para(t, BlockKind::ListItem, true)));
        ps.push(para(PROSE, BlockKind::Text, false));
        ps
    }

    const SOURCES: [&str; 2] = ["Transport survey, spring edition", "City budget, chapter 4"];

    #[test]
    fn linked_items_under_a_subheading_are_the_texts() {
        let ps = page("Where the figures come from", &SOURCES);
        assert_eq!(headed_list_items(&ps), [false, false, true, true, false]);
    }

    /// Prose, then a plain list item and a linked one.
    fn prose_then_mixed_list() -> Vec<Paragraph> {
        vec![
            para(PROSE, BlockKind::Text, false),
            para("Jobs on private runners", BlockKind::ListItem, false),
            para("Any jobs on the larger runners", BlockKind::ListItem, true),
        ]
    }

    #[test]
    fn linked_items_of_a_list_of_plain_items_are_the_lists() {
        let mut ps = prose_then_mixed_list();
        ps.push(para("Jobs on hosted runners", BlockKind::ListItem, false));
        ps.push(para(PROSE, BlockKind::Text, false));
        assert_eq!(mixed_list_items(&ps), [false, true, true, true, false]);
        // A list of links alone ("read also" headlines) is not.
        let mut ps = vec![para(PROSE, BlockKind::Text, false)];
        ps.extend(SOURCES.iter().map(|t| para(t, BlockKind::ListItem, true)));
        ps.push(para(PROSE, BlockKind::Text, false));
        assert_eq!(mixed_list_items(&ps), [false; 4]);
        // Nor buttons between plain items.
        let mut ps = vec![para(PROSE, BlockKind::Text, false)];
        ps.push(para("1515 Main Street", BlockKind::ListItem, false));
        ps.push(para("Google Maps", BlockKind::ListItem, true));
        ps.push(para(PROSE, BlockKind::Text, false));
        assert_eq!(mixed_list_items(&ps), [false; 4]);
        // Nor one that ends the text.
        let ps = prose_then_mixed_list();
        assert_eq!(mixed_list_items(&ps), [false; 3]);
    }

    #[test]
    fn stamped_headlines_related_links_and_contents_are_not() {
        let stamped = ["Bridge closed 14:05", "Mayor resigns 13:40", "Cup draw"];
        let ps = page("Latest", &stamped);
        assert_eq!(headed_list_items(&ps), [false; 6]);
        // A heading that announces related content.
        let ps = page("Related articles:", &SOURCES);
        assert_eq!(headed_list_items(&ps), [false; 5]);
        // A table of contents: the items are the headings below.
        let mut ps = page("Contents", &["The vote", "The cost"]);
        ps.push(para("The vote", BlockKind::Heading(2), false));
        ps.push(para("The cost", BlockKind::Heading(2), false));
        assert_eq!(headed_list_items(&ps), [false; 7]);
        // A directory of links.
        let towns: Vec<String> = (0..=MAX_ITEMS)
            .map(|i| format!("Town {i} movers"))
            .collect();
        let towns: Vec<&str> = towns.iter().map(String::as_str).collect();
        let ps = page("Movers near you", &towns);
        assert!(!headed_list_items(&ps).contains(&true));
    }
}
