//! A site config's rules applied to the generic body, for pages where the
//! config's body lost the arbitration or fell back (a redesign moved the
//! article): the `drop` rules (widgets keep their classes when the article
//! container moves) and the `drop_text` rules still know the site.
//!
//! A stale `drop` rule may match the new article container, or a block
//! holding much of it: every dropped element is judged against the generic
//! body, and one that holds more than [`MAX_ELEMENT_SHARE`] of its text is
//! ignored; when the elements kept would remove more than
//! [`MAX_TOTAL_SHARE`] of it together, none is applied.

use ego_tree::NodeId;
use scraper::Html;

use super::arbitrate::{chars, Normalised};
use super::generic::body_element;
use super::generic::clean::normalize;
use super::text::{Assembler, Paragraph};
use crate::selectors::SiteConfig;

/// Largest share of the generic body's characters one dropped element may
/// hold for its rule to apply.
pub const MAX_ELEMENT_SHARE: f64 = 0.2;

/// Largest share of the generic body's characters the applied rules may
/// remove together (`drop` and `drop_text`).
pub const MAX_TOTAL_SHARE: f64 = 0.3;

/// The normalised text of the element `id` of `doc` (detached or not).
fn text_of(doc: &Html, id: NodeId) -> Option<Normalised> {
    let node = doc.tree.get(id)?;
    let mut assembler = Assembler::new();
    assembler.add_subtree(node, |_, _| false);
    Some(Normalised::of(&assembler.finish()))
}

/// The generic body with the config's rules applied: without the paragraphs
/// the elements its `drop` rules removed (`dropped`, detached from `doc`)
/// hold and the page left after the drops does not (a lead repeated in a
/// dropped teaser stays), guarded as the module says, and without those its
/// `drop_text` rules match. None when the rules remove nothing (or too
/// much).
pub fn apply_site_rules(
    doc: &Html,
    dropped: &[NodeId],
    generic: &[Paragraph],
    site: &SiteConfig,
) -> Option<Vec<Paragraph>> {
    let total: usize = generic.iter().map(chars).sum();
    if total == 0 {
        return None;
    }
    let norms: Vec<String> = generic.iter().map(|p| normalize(&p.text)).collect();
    let mut removed = vec![false; generic.len()];
    let dropped_texts: Vec<Normalised> =
        dropped.iter().filter_map(|&id| text_of(doc, id)).collect();
    if dropped_texts.is_empty() && site.extract.drop_text.is_empty() {
        return None;
    }
    let left = text_of(doc, body_element(doc).id());
    let only_dropped: Vec<bool> = norms
        .iter()
        .map(|n| left.as_ref().is_none_or(|l| !l.holds(n)))
        .collect();
    for text in &dropped_texts {
        let held: Vec<usize> = (0..generic.len())
            .filter(|&i| only_dropped[i] && !norms[i].is_empty() && text.holds(&norms[i]))
            .collect();
        let held_chars: usize = held.iter().map(|&i| chars(&generic[i])).sum();
        if held_chars as f64 > MAX_ELEMENT_SHARE * total as f64 {
            continue;
        }
        for i in held {
            removed[i] = true;
        }
    }
    for (i, p) in generic.iter().enumerate() {
        if site.extract.drop_text.iter().any(|re| re.is_match(&p.text)) {
            removed[i] = true;
        }
    }
    let removed_chars: usize = (0..generic.len())
        .filter(|&i| removed[i])
        .map(|i| chars(&generic[i]))
        .sum();
    if removed_chars == 0 || removed_chars as f64 > MAX_TOTAL_SHARE * total as f64 {
        return None;
    }
    Some(
        generic
            .iter()
            .zip(&removed)
            .filter(|(_, &r)| !r)
            .map(|(p, _)| p.clone())
            .collect(),
    )
}
