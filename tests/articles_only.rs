//! `ExtractOptions::articles_only`, the crawler's extraction: a page that
//! is not an article (the crawler writes no record of it) skips the
//! per-type extractors and the block model; everything the crawler reads of
//! it (the article decision, page type, links, canonical URL, metadata) is
//! unchanged, and an article's record is the same byte for byte. Pages are
//! the handmade `fixtures/typed-*` pages, their type left to the classifier.

use newscrawl::extract::{extract_page, ExtractOptions, ExtractedPage, PageInput};
use newscrawl::selectors::SiteRegistry;

const CASES: &[&str] = &[
    "category-listing",
    "docs",
    "forum-thread",
    "product",
    "qa-page",
    "recipe-collection",
    "service",
];

fn extract(case: &str, articles_only: bool) -> ExtractedPage {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format!("typed-{case}"))
        .join("page.html");
    let bytes = std::fs::read(path).unwrap();
    let url = url::Url::parse(&format!("https://www.example.org/{case}/")).unwrap();
    let input = PageInput {
        url: Some(url),
        ..PageInput::new(&bytes)
    };
    let opts = ExtractOptions {
        use_selectors: false,
        collect_links: true,
        articles_only,
        ..Default::default()
    };
    extract_page(&input, &SiteRegistry::empty(), &opts).unwrap()
}

#[test]
fn a_page_that_is_not_an_article_keeps_its_generic_body_and_all_the_crawler_reads() {
    let mut generic_bodies = Vec::new();
    for case in CASES {
        let (full, crawl) = (extract(case, false), extract(case, true));
        assert_eq!(full.is_article(), crawl.is_article(), "{case}");
        assert_eq!(full.record.page_type, crawl.record.page_type, "{case}");
        assert_eq!(
            full.page_type_confidence, crawl.page_type_confidence,
            "{case}"
        );
        assert_eq!(full.links, crawl.links, "{case}");
        assert_eq!(full.canonical, crawl.canonical, "{case}");
        assert_eq!(full.record.title, crawl.record.title, "{case}");
        assert_eq!(full.record.published, crawl.record.published, "{case}");
        if full.is_article() {
            assert_eq!(full.record, crawl.record, "{case}");
        } else {
            assert!(crawl.blocks.is_empty(), "{case}");
            if crawl.record.body != full.record.body {
                generic_bodies.push(*case);
            }
        }
    }
    assert_eq!(generic_bodies, EXPECTED_GENERIC);
}

/// The cases classified as something else than an article whose typed body
/// differs from the generic one.
const EXPECTED_GENERIC: &[&str] = &[
    "category-listing",
    "docs",
    "forum-thread",
    "product",
    "recipe-collection",
    "service",
];
