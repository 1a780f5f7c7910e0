//! Where the article's text ends: comment sections and recommendation
//! feeds after it, "related articles" lines, and the weak lines, headings
//! and author biographies left at its edges (the cleaner's last steps, see
//! [`super::clean::clean`]).

use super::clean::{is_heading, is_prose, Evidence};
use super::excerpt_feed::excerpt_feed_start;
use super::feed::{headed_feed_start, teaser_feed_start};
use super::headed_lists::introduces_list;
use super::tables::is_data_table;
use crate::extract::text::{BlockKind, Paragraph};
use crate::vocabulary::is_tail_marker;

/// A paragraph too weak to stand at the edge of the text.
fn is_weak(p: &Paragraph) -> bool {
    let n = p.text.chars().count();
    let ends_sentence = p
        .text
        .trim_end()
        .ends_with(['.', '!', '?', '"', '”', '»', '。', ':', ')']);
    p.link_density() > 0.3 || (n < 40 && !ends_sentence) || (n < 15)
}

/// Table cells in a row at the end of the text that make a data table of
/// the text (a list of films), not a stray layout cell.
const MIN_TAIL_TABLE_CELLS: usize = 6;

/// True when the last paragraph is a plain (few links) item of a list or
/// a cell of a table of the text: the run of such items it ends holds a
/// strong item (a sentence, or 40 characters and more), or follows a line
/// that introduces it, or is a table of several cells.
fn ends_a_list(kept: &[(Paragraph, bool)]) -> bool {
    let plain_item = |p: &Paragraph| {
        matches!(p.kind, BlockKind::ListItem | BlockKind::Cell) && p.link_density() <= 0.3
    };
    let table: Vec<&Paragraph> = kept
        .iter()
        .rev()
        .take_while(|(p, _)| p.kind == BlockKind::Cell)
        .map(|(p, _)| p)
        .collect();
    if is_data_table(&table) {
        return true;
    }
    let run = kept.iter().rev().take_while(|(p, _)| plain_item(p)).count();
    if run < 2 {
        return false;
    }
    let items = &kept[kept.len() - run..];
    let before = kept.len() - run;
    let cells = items
        .iter()
        .filter(|(p, _)| p.kind == BlockKind::Cell)
        .count();
    items.iter().any(|(p, _)| !is_weak(p))
        || before > 0 && introduces_list(&kept[before - 1].0)
        || cells >= MIN_TAIL_TABLE_CELLS
}

/// Where the text's tail may begin: after the first third of its
/// paragraphs, or, sooner, after a third of its characters. A comment
/// section or a feed of teasers after a short article may hold more
/// paragraphs than the article (a commenter's name, date and "Reply" line
/// each), yet the article's long paragraphs come first.
fn late_start(kept: &[(Paragraph, bool)]) -> usize {
    let by_count = kept.len() / 3 + 1;
    let total: usize = kept.iter().map(|(p, _)| p.text.len()).sum();
    let mut before = 0;
    for (i, (p, _)) in kept.iter().enumerate().take(by_count) {
        if before * 3 > total {
            return i;
        }
        before += p.text.len();
    }
    by_count
}

/// Cuts the text at the first comment section or recommendation feed
/// (`hard_tails`: where their headings stood, as counts of paragraphs kept
/// before them) or "related articles" line after its first part; drops
/// such lines that head an in-text box.
pub(super) fn end_text(kept: &mut Vec<(Paragraph, bool)>, hard_tails: Vec<usize>) {
    // A "related articles" line after the first third ends the text,
    // unless article prose follows it: then it heads an in-text box (its
    // link list is already gone) and only the line itself goes.
    // (One pass: a removed line never changes what follows it.)
    let n = kept.len();
    // Comments and recommendation feeds end the text even though prose
    // (readers' comments, teasers) follows their heading.
    // Their heading may come before a third of the paragraphs when the
    // article's paragraphs are long and theirs short ([`late_start`]); a
    // feed without such a heading needs the third of the paragraphs (a
    // guide's linked steps after a short intro are its text).
    let late = late_start(kept);
    let mut end = hard_tails.into_iter().find(|&i| i >= late).unwrap_or(n);
    kept.truncate(end);
    // A feed of teaser cards (linked headlines) after the text ends it,
    // whatever its heading says.
    if let Some(feed) = teaser_feed_start(kept, n / 3 + 1) {
        end = feed;
        kept.truncate(end);
    }
    // So does one under a heading announcing more stories, whatever its
    // teasers hold.
    if let Some(feed) = headed_feed_start(kept, late) {
        end = feed;
        kept.truncate(end);
    }
    // And a feed of excerpts cut short, whatever its headlines.
    if let Some(feed) = excerpt_feed_start(kept, late) {
        end = feed;
        kept.truncate(end);
    }
    let n = kept.len();
    let mut markers = vec![false; n];
    for i in n / 3 + 1..n {
        let (p, c) = &kept[i];
        // The JSON-LD article body confirms a marker that stands inside the
        // text; one with nothing after it heads a related box whose links
        // are gone (some CMSs put that heading into the article body too).
        if !is_tail_marker(&p.text) || (*c && i + 1 < n) {
            continue;
        }
        if kept[i + 1..].iter().take(3).any(|(p, _)| is_prose(p)) {
            markers[i] = true;
        } else {
            end = i;
            break;
        }
    }
    kept.truncate(end);
    let mut i = 0;
    kept.retain(|_| {
        i += 1;
        !markers[i - 1]
    });
}

/// Drops the weak paragraphs at the start and, at the end, the weak lines,
/// headings and authors' biographies.
pub(super) fn trim_edges(kept: &mut Vec<(Paragraph, bool)>, ev: &Evidence) {
    // Edges: weak paragraphs go; trailing headings (nothing under them) too.
    let weak_lead = |left: usize, (p, c): &(Paragraph, bool)| {
        !c && is_weak(p) && !(is_heading(p) && p.link_density() < 0.3 && left > 1)
    };
    let lead = (0..kept.len())
        .find(|&i| !weak_lead(kept.len() - i, &kept[i]))
        .unwrap_or(kept.len());
    kept.drain(..lead);
    // The authors' biographies at the end ("Anna has covered ...") go,
    // and the weak lines and headings then left at the end.
    while kept
        .last()
        .is_some_and(|(p, c)| !c && (is_weak(p) || is_heading(p) || ev.opens_with_an_author(p)))
    {
        // The short last item of a list of the text (before a share bar)
        // is as much the article as the items before it.
        if ends_a_list(kept) {
            break;
        }
        kept.pop();
    }
}
