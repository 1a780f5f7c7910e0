//! The article's place on the page as a site config's field selectors
//! know it: after a redesign the body selector may match the wrong block
//! while the headline selector still finds the headline. The article text
//! follows its headline, so the text below the headline, in the smallest
//! block around it that holds some, is the body a config can still give
//! when its body selector fails and the generic extractor found nothing.

use std::collections::HashSet;

use ego_tree::NodeId;
use scraper::{ElementRef, Html};

use super::arbitrate::{chars, is_link_line, ALL_LINKS};
use super::generic::ChromeSet;
use super::text::{Assembler, Paragraph};
use crate::selectors::{FieldKind, FieldSelector, SiteConfig};
use crate::vocabulary::is_boilerplate_paragraph;

/// Characters the text below the headline must reach (link lines not
/// counted) for its block to be the article's.
pub const MIN_ANCHORED_CHARS: usize = 200;

/// How many ancestors of the anchor are tried: an article block is near
/// its headline (and each try walks the block, so a deeply nested page
/// must not make this quadratic).
pub const MAX_ANCHOR_LEVELS: usize = 12;

/// The first element in the page's `<body>` that one of the config's CSS
/// field selectors matches, in the order title, published, authors (a
/// selector reading an attribute of a `<meta>` element locates nothing).
pub fn anchor_element(doc: &Html, site: &SiteConfig) -> Option<NodeId> {
    let rules = &site.extract;
    [&rules.title, &rules.published, &rules.authors]
        .into_iter()
        .flat_map(|list| list.iter())
        .find_map(|field| first_in_body(doc, field))
}

fn first_in_body(doc: &Html, field: &FieldSelector) -> Option<NodeId> {
    let FieldKind::Css { selector, .. } = &field.kind else {
        return None;
    };
    doc.select(selector)
        .find(|e| {
            e.ancestors()
                .any(|a| a.value().as_element().is_some_and(|el| el.name() == "body"))
        })
        .map(|e| e.id())
}

/// The paragraphs after `anchor` in the smallest ancestor of it that holds
/// at least [`MIN_ANCHORED_CHARS`] of them outside link lines, among its
/// nearest [`MAX_ANCHOR_LEVELS`] (the `<body>` itself does not count: a
/// whole page is no article block), without
/// elements in `chrome`, paragraphs that are all links (a teaser, a share
/// bar), boilerplate phrases and the config's `drop_text` matches. Link
/// lines that are not all links stay: lists of places or names linked
/// inside the article.
/// None when no such ancestor exists.
pub fn anchored_body(
    doc: &Html,
    anchor: NodeId,
    chrome: &ChromeSet,
    site: &SiteConfig,
) -> Option<Vec<Paragraph>> {
    let anchor_node = doc.tree.get(anchor)?;
    let above: HashSet<NodeId> = anchor_node.ancestors().map(|a| a.id()).collect();
    for region in anchor_node
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take(MAX_ANCHOR_LEVELS)
    {
        if matches!(region.value().name(), "body" | "html") {
            return None;
        }
        if chrome.contains(&region.id()) {
            continue;
        }
        // Document order inside the region: what comes before the anchor
        // (and is not one of its ancestors) is above the headline.
        let mut before = true;
        let mut preceding: HashSet<NodeId> = HashSet::new();
        for node in region.descendants() {
            if node.id() == anchor {
                before = false;
            }
            if before && !above.contains(&node.id()) {
                preceding.insert(node.id());
            }
        }
        let mut assembler = Assembler::new();
        assembler.add_subtree(*region, |node, _| {
            node.id() == anchor || preceding.contains(&node.id()) || chrome.contains(&node.id())
        });
        let paragraphs: Vec<Paragraph> = assembler
            .finish()
            .into_iter()
            .filter(|p| p.link_density() <= ALL_LINKS)
            .filter(|p| !is_boilerplate_paragraph(&p.text))
            .filter(|p| !site.extract.drop_text.iter().any(|re| re.is_match(&p.text)))
            .collect();
        let prose: usize = paragraphs
            .iter()
            .filter(|p| !is_link_line(p))
            .map(chars)
            .sum();
        if prose >= MIN_ANCHORED_CHARS {
            return Some(paragraphs);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_document;
    use crate::selectors::SiteRegistry;

    fn config(extract: &str) -> std::sync::Arc<SiteConfig> {
        let toml = format!(
            "name = \"harbour\"\nhosts = [\"news.harbour.example\"]\n[extract]\nbody = [\".gone\"]\n{extract}\n"
        );
        let sites = SiteRegistry::from_sources([("harbour.toml".to_string(), toml)]).unwrap();
        sites.by_name("harbour").unwrap().clone()
    }

    const STOPS: &str = "<p>The council published the stops of the new tram line on Tuesday, after two years of planning.</p>\
        <p>North: <a href=/a>Harbour</a>, <a href=/b>Fish Quay</a>, <a href=/c>Market Hall</a>, Old Depot, Castle Hill</p>\
        <p>South: Station Square, <a href=/d>University</a>, Hospital, <a href=/e>Stadium</a>, Riverside Park</p>\
        <p>The first trams are expected to run in the spring of next year, the transport authority said.</p>";

    fn page() -> String {
        format!(
            "<html><head><meta property=og:title content='Tram stops'></head><body>\
             <p class=banner>Storm warning for the coast tonight: ferries cancelled.</p>\
             <div class=wrap><main><div class=head><h1>Where the tram will stop</h1><span class=by>By A. Writer</span></div>\
             <div class=share><a href=/s1>Share on one network</a> <a href=/s2>Share on another one</a></div>\
             <div class=text>{STOPS}</div></main>\
             <div class=more><a href=/m1>Bus fares to rise in spring</a> <a href=/m2>Harbour bridge closed</a></div></div>\
             </body></html>"
        )
    }

    #[test]
    fn the_headline_selector_locates_the_anchor_in_the_body() {
        let doc = parse_document(&page());
        // A `<meta>` attribute locates nothing; the next selector does.
        let site = config("title = [\"meta[property='og:title']@content\", \"main h1\"]");
        let anchor = anchor_element(&doc, &site).unwrap();
        let el = ElementRef::wrap(doc.tree.get(anchor).unwrap()).unwrap();
        assert_eq!(el.value().name(), "h1");
        assert!(anchor_element(&doc, &config("")).is_none());
    }

    #[test]
    fn the_text_below_the_headline_in_the_smallest_block_holding_some() {
        let doc = parse_document(&page());
        let site = config("title = [\"main h1\"]");
        let anchor = anchor_element(&doc, &site).unwrap();
        let body = anchored_body(&doc, anchor, &ChromeSet::default(), &site).unwrap();
        let texts: Vec<&str> = body.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts[0], "By A. Writer");
        assert!(
            texts[1].starts_with("The council published"),
            "the share bar (all links) is left out: {texts:?}"
        );
        assert!(texts[2].starts_with("North: Harbour, Fish Quay"));
        assert!(texts[4].starts_with("The first trams"));
        assert_eq!(texts.len(), 5, "nothing from outside <main>: {texts:?}");
        assert!(!texts.iter().any(|t| t.contains("Storm warning")));
    }

    #[test]
    fn chrome_is_left_out_and_a_block_without_text_below_the_headline_gives_nothing() {
        let doc = parse_document(&page());
        let site = config("title = [\"main h1\"]");
        let anchor = anchor_element(&doc, &site).unwrap();
        let text = doc
            .select(&scraper::Selector::parse(".text").unwrap())
            .next()
            .unwrap()
            .id();
        assert_eq!(
            anchored_body(&doc, anchor, &ChromeSet::from_iter([text]), &site),
            None,
            "without the article text no block up to <body> holds enough"
        );
        let short = parse_document(
            "<html><body><main><p>An intro above the headline that is long enough to count as a paragraph of text, and then some more words, and more words again, far above two hundred characters in total length.</p><h1>Title</h1><p>Short.</p></main></body></html>",
        );
        let anchor = anchor_element(&short, &site).unwrap();
        assert_eq!(
            anchored_body(&short, anchor, &ChromeSet::default(), &site),
            None
        );
    }

    #[test]
    fn the_block_is_looked_for_near_the_headline_only() {
        let site = config("title = [\"h1\"]");
        let deep = format!(
            "<html><body><div class=page>{}<h1>Title</h1>{}<p>{}</p></div></body></html>",
            "<div>".repeat(MAX_ANCHOR_LEVELS),
            "</div>".repeat(MAX_ANCHOR_LEVELS),
            "A paragraph of the article that only a block far above the headline holds. ".repeat(4)
        );
        let doc = parse_document(&deep);
        let anchor = anchor_element(&doc, &site).unwrap();
        assert_eq!(
            anchored_body(&doc, anchor, &ChromeSet::default(), &site),
            None
        );
    }
}
