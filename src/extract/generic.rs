//! Generic main-content extraction for pages without a site config.
//!
//! Readability-style: paragraphs score their container (and, at half
//! weight, the container's parent) by length and punctuation; class/id hints
//! adjust; the best container wins, and its paragraphs are filtered for link
//! lists and boilerplate phrases.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::node::Node;
use scraper::{ElementRef, Html};

use super::text::{Assembler, BlockKind, Paragraph};
use crate::vocabulary::{class_id_weight, is_boilerplate_element, is_boilerplate_paragraph};

/// Tags that never hold the article (pruned before scoring).
fn is_chrome_tag(name: &str) -> bool {
    matches!(name, "nav" | "aside" | "footer" | "header" | "menu")
}

/// Finds the main content and returns its paragraphs.
pub fn extract_paragraphs(doc: &Html) -> Vec<Paragraph> {
    let root = doc.root_element();
    let body = root
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
        .unwrap_or(root);
    let best = best_container(body);
    let mut assembler = Assembler::new();
    let container = best.unwrap_or(body);
    assembler.add_subtree(*container, |node, el| {
        node.id() != container.id()
            && (is_chrome_tag(el.name()) || is_boilerplate_element(el.attr("class"), el.attr("id")))
    });
    clean_paragraphs(assembler.finish())
}

/// Scores containers by the paragraphs they hold; returns the best.
fn best_container(body: ElementRef<'_>) -> Option<ElementRef<'_>> {
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    let mut pruned: Option<NodeId> = None;
    for edge in body.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => {
                if pruned.is_some() {
                    continue;
                }
                let Node::Element(el) = node.value() else {
                    continue;
                };
                let name = el.name();
                if is_chrome_tag(name)
                    || super::text::is_skipped_element(name)
                    || is_boilerplate_element(el.attr("class"), el.attr("id"))
                {
                    pruned = Some(node.id());
                    continue;
                }
                if !matches!(name, "p" | "pre" | "td" | "blockquote" | "h2" | "h3") {
                    continue;
                }
                let Some(p) = ElementRef::wrap(node) else {
                    continue;
                };
                let text: String = p.text().collect();
                let len = text.trim().chars().count();
                if len < 25 {
                    continue;
                }
                let commas = text.matches([',', '，', '、', '.']).count() as f64;
                let score = 1.0 + commas + (len as f64 / 100.0).min(3.0);
                if let Some(parent) = node.parent() {
                    *scores.entry(parent.id()).or_default() += score;
                    if let Some(grand) = parent.parent() {
                        *scores.entry(grand.id()).or_default() += score / 2.0;
                    }
                }
            }
            ego_tree::iter::Edge::Close(node) => {
                if pruned == Some(node.id()) {
                    pruned = None;
                }
            }
        }
    }
    let tree = body.tree();
    scores
        .into_iter()
        .filter_map(|(id, score)| {
            let el = ElementRef::wrap(tree.get(id)?)?;
            let weight = class_id_weight(el.value().attr("class"), el.value().attr("id")) as f64;
            let density = link_density(el);
            Some((el, (score + weight) * (1.0 - density)))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(el, _)| el)
}

fn link_density(el: ElementRef<'_>) -> f64 {
    let mut total = 0usize;
    let mut linked = 0usize;
    for node in el.descendants() {
        if let Node::Text(t) = node.value() {
            let n = t.trim().chars().count();
            total += n;
            if node
                .ancestors()
                .take_while(|a| a.id() != el.id())
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "a"))
            {
                linked += n;
            }
        }
    }
    if total == 0 {
        1.0
    } else {
        linked as f64 / total as f64
    }
}

/// Drops link lists and boilerplate phrases from a container's paragraphs.
pub fn clean_paragraphs(paragraphs: Vec<Paragraph>) -> Vec<Paragraph> {
    paragraphs
        .into_iter()
        .filter(|p| {
            if is_boilerplate_paragraph(&p.text) {
                return false;
            }
            let heading = matches!(p.kind, BlockKind::Heading(_));
            p.link_density() <= 0.5 || heading
        })
        .collect()
}
