//! A simulated redesign, for measuring what a broken config costs: the
//! config's body selectors are replaced by one that matches the page's
//! longest block holding none of the article (a footer, a comment thread,
//! a related-stories grid), a selection that health checks on length alone
//! cannot tell from an article.

use std::collections::HashMap;

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::SiteConfig;
use crate::decode::decode_html;
use crate::extract::site::apply_drops;
use crate::extract::text::{is_skipped_element, Assembler};
use crate::metric::shingle_score;
use crate::parse::parse_document;

/// Largest share of a block's text that may be article text (and of the
/// article that may be in the block) for the block to count as "not the
/// article".
const MAX_ARTICLE_SHARE: f64 = 0.1;

/// How many of the longest blocks are tried before giving up.
const MAX_TRIED: usize = 64;

/// `site` redesigned for one page (its bytes, any charset): the wrong
/// block is looked for after the config's `drop` rules, so that they
/// cannot remove it.
pub fn redesigned_for_page(
    site: &SiteConfig,
    bytes: &[u8],
    expected_body: &str,
) -> Option<SiteConfig> {
    let text = decode_html(bytes, None, None).text;
    let mut doc = parse_document(&text);
    apply_drops(&mut doc, site);
    redesigned(site, &doc, expected_body)
}

/// `site` with its body selectors replaced by [`wrong_block_selector`]
/// (None when the page has no block without the article).
pub fn redesigned(site: &SiteConfig, doc: &Html, expected_body: &str) -> Option<SiteConfig> {
    let selector = wrong_block_selector(doc, expected_body)?;
    let mut broken = site.clone();
    broken.extract.body = vec![selector];
    Some(broken)
}

/// A selector (a `:nth-child` path from the root) matching the page's
/// longest element whose text is at most a tenth article text and holds at
/// most a tenth of `expected_body`.
pub fn wrong_block_selector(doc: &Html, expected_body: &str) -> Option<Selector> {
    let mut lengths: HashMap<ego_tree::NodeId, usize> = HashMap::new();
    text_len(doc.tree.root(), &mut lengths);
    let mut candidates: Vec<(usize, ElementRef<'_>)> = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| !matches!(e.value().name(), "html" | "body" | "head"))
        .filter(|e| {
            e.value()
                .name()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(|e| (lengths.get(&e.id()).copied().unwrap_or(0), e))
        .filter(|(n, _)| *n > 0)
        .collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (_, el) in candidates.into_iter().take(MAX_TRIED) {
        let mut a = Assembler::new();
        a.add_subtree(*el, |_, _| false);
        let text: Vec<String> = a.finish().into_iter().map(|p| p.text).collect();
        if text.is_empty() {
            continue;
        }
        let score = shingle_score(expected_body, &text.join("\n\n"));
        if score.recall().unwrap_or(0.0) > MAX_ARTICLE_SHARE
            || score.precision().unwrap_or(0.0) > MAX_ARTICLE_SHARE
        {
            continue;
        }
        let Some(selector) = path_selector(el) else {
            continue;
        };
        // The path must name this element and nothing else.
        let mut matched = doc.select(&selector);
        if matched.next().map(|m| m.id()) == Some(el.id()) && matched.next().is_none() {
            return Some(selector);
        }
    }
    None
}

/// Characters of visible text below each element (scripts and the like
/// left out), filled in for the whole subtree of `node`.
fn text_len(node: NodeRef<'_, Node>, out: &mut HashMap<ego_tree::NodeId, usize>) -> usize {
    let n = match node.value() {
        Node::Text(t) => return t.chars().filter(|c| !c.is_whitespace()).count(),
        Node::Element(e) if is_skipped_element(e.name()) => 0,
        _ => node.children().map(|c| text_len(c, out)).sum(),
    };
    out.insert(node.id(), n);
    n
}

/// `:root > body:nth-child(2) > div:nth-child(3)`: the element's path.
fn path_selector(el: ElementRef<'_>) -> Option<Selector> {
    let mut steps = Vec::new();
    let mut current = el;
    while let Some(parent) = current.parent().and_then(ElementRef::wrap) {
        let position = current
            .prev_siblings()
            .filter(|s| s.value().is_element())
            .count()
            + 1;
        steps.push(format!("{}:nth-child({position})", current.value().name()));
        current = parent;
    }
    steps.push(":root".to_string());
    steps.reverse();
    Selector::parse(&steps.join(" > ")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_document;

    #[test]
    fn the_longest_block_without_the_article_is_chosen() {
        let article = "The council voted on Tuesday to extend the tram line after years of debate.";
        let html = format!(
            "<html><body><div id=page><article><p>{article}</p></article>\
             <div class=comments><p>First comment, a long one about something else entirely, and then some more words.</p></div>\
             <footer><p>Short footer</p></footer></div></body></html>"
        );
        let doc = parse_document(&html);
        let sel = wrong_block_selector(&doc, article).unwrap();
        let chosen: Vec<_> = doc.select(&sel).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].value().attr("class"), Some("comments"));
    }

    #[test]
    fn a_page_that_is_all_article_has_no_wrong_block() {
        let article = "Only the article is on this page, nothing else at all.";
        let doc = parse_document(&format!("<html><body><p>{article}</p></body></html>"));
        assert!(wrong_block_selector(&doc, article).is_none());
    }
}
