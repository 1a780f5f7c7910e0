//! Pages that are not articles, written by us on common templates: a shop
//! product page (JSON-LD and tabs), a SaaS service page (hero, features,
//! pricing, FAQ) and a documentation page (sidebar and "On this page"
//! table of contents). Each is extracted as its page type and its whole
//! body compared with `fixtures/<case>/expected-body.txt`; the chrome
//! around the content is checked to be gone.

use std::path::Path;

use newscrawl::extract::{extract_page, ExtractOptions, PageInput, PageType};
use newscrawl::selectors::SiteRegistry;

fn body(case: &str, page_type: PageType) -> (String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(case);
    let bytes = std::fs::read(dir.join("page.html")).unwrap();
    let expected = std::fs::read_to_string(dir.join("expected-body.txt")).unwrap();
    let opts = ExtractOptions {
        use_selectors: false,
        page_type: Some(page_type),
        ..Default::default()
    };
    let page = extract_page(&PageInput::new(&bytes), &SiteRegistry::empty(), &opts).unwrap();
    assert_eq!(page.record.page_type, page_type);
    (page.record.body, expected)
}

fn assert_absent(body: &str, texts: &[&str]) {
    for text in texts {
        assert!(!body.contains(text), "{text:?} kept in:\n{body}");
    }
}

#[test]
fn product_keeps_description_and_hidden_specifications() {
    let (got, expected) = body("typed-product", PageType::Product);
    assert_eq!(got, expected);
    // The JSON-LD description the page does not show, and the hidden tab.
    assert!(got.contains("Backpack\n\nA light, weatherproof pack"));
    assert!(got.contains("Recycled ripstop nylon"));
    assert_absent(
        &got,
        &[
            "Free shipping",
            "Packs",
            "Add to cart",
            "You may also like",
            "Daypack 20 L",
            "newsletter",
            "Returns",
        ],
    );
}

#[test]
fn service_keeps_every_section() {
    let (got, expected) = body("typed-service", PageType::Service);
    assert_eq!(got, expected);
    assert_absent(
        &got,
        &[
            "cookies",
            "Log in",
            "Start free trial",
            "Careers",
            "Ledgerly Ltd",
        ],
    );
}

#[test]
fn documentation_without_sidebar_and_table_of_contents() {
    let (got, expected) = body("typed-docs", PageType::Documentation);
    assert_eq!(got, expected);
    assert_absent(
        &got,
        &[
            "Getting started",
            "Installation",
            "HTTP API",
            "On this page",
            "Search the docs",
            "Copyright",
        ],
    );
}
