//! Pages with no main content in their HTML: a script-rendered shell whose
//! only text is its navigation (an empty app mount between a menu and a
//! footer). Such a page gives no body, and callers report "no article text
//! found", rather than a record of menu links.
//!
//! The test is conservative, because abstaining on a page with real content
//! loses all of it: the body must be a few words, and the page must show no
//! text at all outside its chrome (navigation, header, footer, menus),
//! hidden wrappers read as shown. (The block model's paragraphs do not
//! say which of their characters are links, so the body's own link text
//! is no evidence here.)

use scraper::Html;

use super::generic::{attrs, body_element, dom};
use super::node_facts::NodeFacts;
use super::text::Paragraph;

/// Most words a body made of navigation links can have for the page to be
/// judged empty (a shell's leftover menu lines; a real page's short body of
/// links, a list of documents, is longer or has text outside chrome).
const MAX_CHROME_WORDS: usize = 12;

/// True when the extracted `body` is only the page's chrome: a few words,
/// on a page whose text outside navigation, header, footer and menus is
/// nothing (see the module documentation). `facts`: what the page-type
/// walk recorded of the page's nodes (an empty table will do).
pub fn shows_no_main_content(doc: &Html, body: &[Paragraph], facts: &NodeFacts) -> bool {
    // Counted up to one past the limit: a long article's body is not read
    // through (counting all of it was 0.6% of extracting the publishers pages).
    let words = body
        .iter()
        .flat_map(|p| p.text.split_whitespace())
        .take(MAX_CHROME_WORDS + 1)
        .count();
    if words == 0 || words > MAX_CHROME_WORDS {
        return false;
    }
    // Walked as the generic extractor reads a page with little visible
    // text: elements hidden by a utility class count as shown.
    let page = dom::walk_with_facts(*body_element(doc), attrs::is_hidden_by_class, facts);
    page.elems.first().is_none_or(|root| root.chars == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::BlockKind;
    use crate::extract::{extract_page, ExtractOptions, PageInput, PageType};
    use crate::parse::parse_document;
    use crate::selectors::SiteRegistry;

    fn para(text: &str, link_chars: usize) -> Paragraph {
        Paragraph {
            text: text.to_string(),
            kind: BlockKind::Text,
            link_chars,
        }
    }

    const SHELL: &str = "<html><body><header><nav><a href=/>Home</a> <a href=/shop>Shop</a>\
        </nav></header><div id=root></div><noscript>Please enable JavaScript to use this \
        site.</noscript><footer><p><a href=/about>About our company</a></p>\
        <p><a href=/jobs>Careers</a></p></footer></body></html>";

    #[test]
    fn a_shell_whose_body_is_its_footer_links_shows_nothing() {
        let doc = parse_document(SHELL);
        let body = [para("About our company", 15), para("Careers", 7)];
        assert!(shows_no_main_content(&doc, &body, &NodeFacts::default()));
    }

    #[test]
    fn a_longer_body_is_content() {
        let doc = parse_document(SHELL);
        assert!(shows_no_main_content(
            &doc,
            &[para("Opening hours", 0)],
            &NodeFacts::default()
        ));
        let long = "one two three four five six seven eight nine ten eleven twelve thirteen";
        assert!(!shows_no_main_content(
            &doc,
            &[para(long, 60)],
            &NodeFacts::default()
        ));
        assert!(!shows_no_main_content(&doc, &[], &NodeFacts::default()));
    }

    #[test]
    fn links_beside_text_outside_chrome_are_content() {
        let doc = parse_document(
            "<body><nav><a href=/>Home</a></nav><main><ul><li><a href=/a.pdf>Annual report</a>\
             </li></ul><p>Updated in May.</p></main></body>",
        );
        assert!(!shows_no_main_content(
            &doc,
            &[para("Annual report", 12)],
            &NodeFacts::default()
        ));
    }

    /// The pipeline's body of a page, with its type forced.
    fn body_of(html: &str, page_type: Option<PageType>) -> String {
        let opts = ExtractOptions {
            use_selectors: false,
            page_type,
            ..Default::default()
        };
        extract_page(
            &PageInput::new(html.as_bytes()),
            &SiteRegistry::empty(),
            &opts,
        )
        .unwrap()
        .record
        .body
    }

    #[test]
    fn the_pipeline_gives_a_shell_no_body() {
        let shell = include_str!("../../fixtures/app-shell/page.html");
        for page_type in [None, Some(PageType::Listing), Some(PageType::Collection)] {
            assert_eq!(body_of(shell, page_type), "");
        }
    }

    #[test]
    fn short_real_pages_keep_their_body() {
        let product = "<body><nav><a href=/>Home</a></nav><main><h1>Wool socks</h1>\
            <p>Warm merino socks.</p><p><a href=/cart>Add to cart</a></p></main>\
            <footer><a href=/about>About</a></footer></body>";
        assert_eq!(
            body_of(product, Some(PageType::Product)),
            "Wool socks\n\nWarm merino socks."
        );
        let thread = "<body><nav><a href=/>Forum</a></nav><div class=thread>\
            <div class=post><a href=/u/ann>ann</a><p>Does it fit?</p></div>\
            <div class=post><a href=/u/bob>bob</a><p>Yes, it does.</p></div></div></body>";
        let body = body_of(thread, Some(PageType::Forum));
        assert!(body.contains("Does it fit?") && body.contains("Yes, it does."));
        let words = "The council voted on Tuesday to keep the town library open. ".repeat(17);
        let news = format!(
            "<body><nav><a href=/>News</a></nav><article><h1>Library stays open</h1>\
             <p>{}</p></article></body>",
            words.trim()
        );
        assert_eq!(
            body_of(&news, None),
            format!("Library stays open\n\n{}", words.trim())
        );
    }
}
