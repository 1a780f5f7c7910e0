//! Generic main-content extraction for pages without a site config.
//!
//! One walk of the DOM ([`dom::walk`]) flags chrome (by tag, role and the
//! class/id vocabulary) and counts text, links and punctuation per element;
//! [`score`] picks the container of the article (readability-style, with
//! split articles recovered from sibling containers); the container's text
//! is assembled once, skipping chrome; [`clean`] classifies the paragraphs
//! (jusText-style) with the page's metadata and JSON-LD `articleBody` as
//! evidence; a repeated copy of the text (one per screen size) is read
//! once ([`repeats`]).

pub mod article_body;
pub mod attrs;
pub mod biography;
pub mod clean;
pub mod dom;
pub mod enumeration;
pub mod excerpt_feed;
pub mod feed;
pub mod headed_lists;
pub mod normalize;
pub mod repeats;
pub mod score;
mod slides;
pub mod tables;
pub mod tail;
pub(crate) mod text_count;

use std::cell::OnceCell;

use rustc_hash::FxHashSet;
use scraper::{ElementRef, Html, Node};

use super::metadata::Metadata;
use super::node_facts::NodeFacts;
use super::text::{Assembler, Paragraph};
use crate::extract::typed::disclosure::Disclosed;
use crate::extract::typed::region::is_hidden_panel;
use clean::Evidence;
use dom::Attrs;

/// Finds the main content and returns its paragraphs (no metadata known).
pub fn extract_paragraphs(doc: &Html) -> Vec<Paragraph> {
    extract_paragraphs_with(doc, &Metadata::default())
}

/// The generic extractor's result on one page.
#[derive(Debug, Clone, Default)]
pub struct GenericBody {
    /// The article's paragraphs.
    pub paragraphs: Vec<Paragraph>,
    /// The elements the walk judged page chrome (by tag, role or the
    /// class/id vocabulary, and not holding the page's prose).
    pub chrome: ChromeSet,
}

/// A set of elements judged chrome. (Hashed by Fx: a node id is a small
/// number, and the default hasher cost more than the walk's own
/// statistics of those elements.)
pub type ChromeSet = FxHashSet<ego_tree::NodeId>;

/// Finds the main content and returns its paragraphs, using the page's
/// metadata (title, authors, JSON-LD article body) as evidence.
pub fn extract_paragraphs_with(doc: &Html, meta: &Metadata) -> Vec<Paragraph> {
    generic_body(doc, meta).paragraphs
}

/// The page's `<body>` element (the root element when it has none).
pub fn body_element(doc: &Html) -> ElementRef<'_> {
    let root = doc.root_element();
    root.children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "body")
        .unwrap_or(root)
}

/// The elements a walk judged chrome.
pub fn chrome_ids(page: &dom::Page<'_>) -> ChromeSet {
    let chrome = || page.elems.iter().filter(|e| e.chrome);
    let mut set = ChromeSet::with_capacity_and_hasher(chrome().count(), Default::default());
    set.extend(chrome().map(|e| e.node.id()));
    set
}

/// Finds the main content, with the page's metadata as evidence; returns
/// its paragraphs and the elements judged chrome.
pub fn generic_body(doc: &Html, meta: &Metadata) -> GenericBody {
    generic_body_with(doc, meta, &NodeFacts::default())
}

/// [`generic_body`], reading what the page-type walk recorded of the
/// page's nodes in `facts` (the same body, counted once).
pub fn generic_body_with(doc: &Html, meta: &Metadata, facts: &NodeFacts) -> GenericBody {
    let found = generic_body_showing(doc, meta, |_| false, facts);
    if text_chars(&found.paragraphs) >= MIN_VISIBLE_TEXT {
        return found;
    }
    // Little or no visible text: the page may be wrapped whole in an
    // anti-flicker wrapper that its scripts show; read it as shown.
    let shown = generic_body_showing(doc, meta, attrs::is_hidden_by_class, facts);
    if text_chars(&shown.paragraphs) > text_chars(&found.paragraphs) {
        shown
    } else {
        found
    }
}

/// Below this many characters of text, the elements hidden by a utility
/// class are read too (see [`generic_body`]).
const MIN_VISIBLE_TEXT: usize = 200;

fn text_chars(paragraphs: &[Paragraph]) -> usize {
    paragraphs.iter().map(|p| p.text.len()).sum()
}

/// [`generic_body`], with the hidden elements that `shown` accepts read as
/// visible.
fn generic_body_showing(
    doc: &Html,
    meta: &Metadata,
    shown: fn(&scraper::node::Element) -> bool,
    facts: &NodeFacts,
) -> GenericBody {
    let body = body_element(doc);
    let mut page = dom::walk_with_facts(*body, shown, facts);
    score::score(&mut page);
    let roots = score::choose_roots(&page);
    let chrome = chrome_ids(&page);
    let mut assembler = Assembler::new();
    let roots: Vec<_> = if roots.is_empty() {
        vec![*body]
    } else {
        roots.iter().map(|&i| page.elems[i as usize].node).collect()
    };
    for root in roots {
        // Found at the first hidden element only: most roots have none, and
        // the search walks the whole subtree twice.
        let disclosed = OnceCell::new();
        let disclosed = || disclosed.get_or_init(|| Disclosed::find(root));
        assembler.add_subtree_filtered(root, |node, el| {
            (dom::is_invisible(el) && !shown(el) && !is_closed_panel(el, disclosed))
                || chrome.contains(&node.id())
                || is_thumbnail_card(node, el)
        });
    }
    let evidence = Evidence::from_metadata(meta);
    let mut paragraphs = clean::clean(assembler.finish(), &evidence);
    if clean::article_body_is_better(&paragraphs, &evidence) {
        if let Some(raw) = &meta.article_body {
            paragraphs = article_body::article_body_paragraphs(raw);
        }
    }
    let paragraphs = repeats::drop_repeated_runs(paragraphs);
    GenericBody { paragraphs, chrome }
}

/// A hidden section of the text that a click opens, read like the rest:
/// a tab panel or a collapsed accordion section ([`is_hidden_panel`]),
/// one a disclosure button opens ([`Disclosed`]), or a labelled region
/// (`role="region"` with `aria-labelledby`: an accordion's panel, named
/// by its heading). Never an element whose text never counts (a script).
/// (`disclosed` finds the panels, when they are asked about.)
fn is_closed_panel<'a>(
    el: &scraper::node::Element,
    disclosed: impl FnOnce() -> &'a Disclosed,
) -> bool {
    if attrs::is_invisible_tag(el.name()) {
        return false;
    }
    let a = Attrs::of(el);
    !a.modal
        && ((a.role == "region" && el.attr("aria-labelledby").is_some())
            || is_hidden_panel(el)
            || disclosed().contains(el))
}

/// Nodes, at most, of a teaser card (a larger item is no card; the bound
/// keeps the check linear on nested lists).
const MAX_CARD_NODES: usize = 64;

/// A teaser card in a list: a small item that holds a picture and whose
/// text is all links (a thumbnail and a linked headline to another page).
/// Left out of the text: in a list under a subheading its links would
/// otherwise pass for the article's (see [`headed_lists`]).
fn is_thumbnail_card(node: ego_tree::NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
    use ego_tree::iter::Edge;
    if el.name() != "li" {
        return false;
    }
    let (mut picture, mut text, mut linked, mut links) = (false, 0usize, 0usize, 0usize);
    let mut nodes = 0;
    for edge in node.traverse() {
        match edge {
            Edge::Open(d) => {
                nodes += 1;
                if nodes > MAX_CARD_NODES {
                    return false;
                }
                match d.value() {
                    Node::Element(e) if matches!(e.name(), "img" | "picture") => picture = true,
                    Node::Element(e) if e.name() == "a" => links += 1,
                    Node::Text(t) => {
                        let n = t.trim().chars().count();
                        text += n;
                        if links > 0 {
                            linked += n;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(d) => {
                if d.value().as_element().is_some_and(|e| e.name() == "a") {
                    links -= 1;
                }
            }
        }
    }
    picture && text > 0 && linked * 10 >= text * 9
}

/// The texts of the paragraphs the generic extractor keeps from `html`
/// (for tests).
#[cfg(test)]
pub(crate) fn paragraph_texts(html: &str) -> Vec<String> {
    extract_paragraphs(&crate::parse::parse_document(html))
        .into_iter()
        .map(|p| p.text)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnail_cards_under_a_subheading_are_no_list_of_the_text() {
        let prose = "<p>The council voted on Tuesday to extend the tram line, after a debate that lasted most of the evening and ended in a narrow vote.</p>";
        let card = |t: &str| {
            format!("<li><a href=/v/{t}><img src=/i.jpg alt=''><span>{t} in the old town</span></a></li>")
        };
        let item = |t: &str| format!("<li><a href=/d/{t}>{t} in the old town</a></li>");
        let html = format!(
            "<body><article>{prose}{prose}<h3>Fires in the night</h3><ul>{}{}</ul>{prose}\
             <h3>Where the figures come from</h3><ul>{}{}</ul>{prose}</article></body>",
            card("Floods"),
            card("Storms"),
            item("Surveys"),
            item("Budgets"),
        );
        let got = paragraph_texts(&html);
        assert!(!got.iter().any(|t| t.starts_with("Floods")), "{got:?}");
        assert!(
            got.contains(&"Surveys in the old town".to_string()),
            "{got:?}"
        );
        assert_eq!(got.len(), 8, "{got:?}");
    }
    #[test]
    fn a_text_rendered_once_per_screen_size_is_read_once() {
        let variant = |class: &str| {
            format!(
                "<div class='variant {class}'><h2>Where the tram will stop</h2>\
                 <p>The council voted on Tuesday to extend the tram line from the station to the harbour and the new housing estate.</p>\
                 <p>The debate lasted most of the evening and ended in a narrow vote, with two members of the majority abstaining.</p>\
                 <p>Work on the new stops starts in spring, the transport authority said, and the first trams should run next year.</p></div>"
            )
        };
        let html = format!(
            "<body><main><section>{}{}{}</section></main></body>",
            variant("hidden-phone"),
            variant("hidden-desktop"),
            variant("hidden-tablet"),
        );
        let got = paragraph_texts(&html);
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], "Where the tram will stop");
    }

    #[test]
    fn collapsed_sections_of_the_text_are_read() {
        let prose = "<p>The council voted on Tuesday to extend the tram line, after a debate that lasted most of the evening and ended in a narrow vote.</p>";
        let step = |n: u32, text: &str| {
            format!(
                "<div><a role=button aria-controls=s{n}><span role=heading>Step {n}</span></a>\
                 <div id=s{n} role=region aria-labelledby=h{n} style='display:none'><p>{text}</p></div></div>"
            )
        };
        let html = format!(
            "<body><article>{prose}{prose}{}{}\
             <div role=tabpanel hidden><p>Ask the depot for a map of the new stops before the line opens.</p></div>\
             <div style='display:none'><p>A hidden note that no click ever shows to the reader.</p></div>\
             {prose}</article></body>",
            step(1, "Check the timetable of the line at the stop, since the trams run less often at night."),
            step(2, "Buy a ticket from the machine on the platform before boarding the tram."),
        );
        let got = paragraph_texts(&html);
        assert!(
            got.iter().any(|t| t.starts_with("Check the timetable")),
            "{got:?}"
        );
        assert!(got.iter().any(|t| t.starts_with("Buy a ticket")), "{got:?}");
        assert!(
            got.iter().any(|t| t.starts_with("Ask the depot")),
            "{got:?}"
        );
        assert!(
            !got.iter().any(|t| t.starts_with("A hidden note")),
            "{got:?}"
        );
    }
}
