//! Pages that are not articles keep all their main content: every post of
//! a thread, every answer of a Q&A page, every card of a listing, every
//! entry of a collection, a product's description and specifications, every
//! section of a service page, documentation without its sidebar and table
//! of contents; none of the page's chrome. Each case is a page we wrote
//! (`fixtures/typed-<case>/page.html`, modelled on a common template) and
//! the body newscrawl must make of it (`expected-body.txt`), extracted with
//! the page type forced, as `eval --oracle-page-type` does: these test the
//! per-type extraction, not the classifier.
//! `BLESS_TYPED_FIXTURES=1 cargo test --test typed_pages` rewrites the
//! expected bodies after a deliberate change.

use std::path::{Path, PathBuf};

use newscrawl::extract::{extract_page, ExtractOptions, PageInput, PageType};
use newscrawl::selectors::SiteRegistry;

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format!("typed-{case}"))
}

/// The body of the case's page extracted as `page_type`, checked against
/// its expected body; `items` must all be there and `chrome` must not.
fn check(case: &str, page_type: PageType, items: &[&str], chrome: &[&str]) {
    let dir = case_dir(case);
    let bytes = std::fs::read(dir.join("page.html")).unwrap();
    let opts = ExtractOptions {
        use_selectors: false,
        page_type: Some(page_type),
        ..Default::default()
    };
    let page = extract_page(&PageInput::new(&bytes), &SiteRegistry::empty(), &opts).unwrap();
    let body = &page.record.body;
    for item in items {
        assert!(body.contains(item), "{case}: {item:?} missing from\n{body}");
    }
    for junk in chrome {
        assert!(
            !body.contains(junk),
            "{case}: chrome {junk:?} kept in\n{body}"
        );
    }
    let expected_file = dir.join("expected-body.txt");
    // After a deliberate change, `BLESS_TYPED_FIXTURES=1` rewrites the
    // expected bodies (review the diff before committing it).
    if std::env::var_os("BLESS_TYPED_FIXTURES").is_some() {
        std::fs::write(&expected_file, format!("{body}\n")).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_file).unwrap();
    assert_eq!(body, expected.trim_end(), "{case}: whole body");
}

#[test]
fn a_forum_thread_keeps_all_four_posts_of_its_three_users() {
    check(
        "forum-thread",
        PageType::Forum,
        &[
            "My first workbench has leg tenons",
            "Shim them. Glue a strip of veneer",
            "drawbore the joints",
            "Veneer shims and oak pins did it",
            "maplechips",
            "oldjointer",
            "sawdustsue",
        ],
        &[
            "Board index",
            "Register",
            "4 posts",
            "Page 1 of 1",
            "Powered by phpBB",
            "Skip to content",
            "Measure twice, swear once.",
            "Post Reply",
        ],
    );
}

#[test]
fn a_question_page_keeps_the_question_and_every_answer() {
    check(
        "qa-page",
        PageType::Forum,
        &[
            "smelled sharply of acetone",
            "Is the starter dying",
            "the yeast and bacteria are starving",
            "Keeping it in a cooler spot",
        ],
        &[
            "Hot Network Questions",
            // A remark under the question, not a post.
            "What flour ratio do you feed?",
            "How often should I feed a rye starter?",
            "Unanswered",
            "Site design",
            "Post Your Answer",
        ],
    );
}

#[test]
fn a_category_listing_keeps_all_eight_cards_and_drops_pagination_and_sidebar() {
    check(
        "category-listing",
        PageType::Listing,
        &[
            "Cycling",
            "The Valley Classic returns after four years",
            "Organisers confirmed a June date",
            "Towpath resurfaced between the two locks",
            "Junior squad doubles in a season",
            "A night ride for the hospice raises record sum",
            "The bike library opens its second workshop",
            "Hill climb record falls on a wet morning",
            "School streets trial closes roads at drop-off",
            "At eighty, still riding the valley every week",
            "A founder of the club on sixty years",
        ],
        &[
            "Next",
            "Most read",
            "Flood defences tested",
            "Newsletter",
            "All rights reserved",
            "Opinion",
        ],
    );
}

#[test]
fn a_recipe_collection_keeps_every_recipe_with_its_description() {
    check(
        "recipe-collection",
        PageType::Collection,
        &[
            "Weeknight soups",
            "Red lentil and lemon soup",
            "Lentils collapse into a silky base",
            "Miso noodle soup with greens",
            "Smoky tomato and white bean soup",
            "Chicken and orzo soup",
            "Pea and mint soup",
            "Sweetcorn chowder",
            "Potato thickens it",
        ],
        &["Popular this week", "Banana bread", "Privacy", "About"],
    );
}

#[test]
fn a_product_keeps_its_description_and_hidden_specifications() {
    // The hidden tab; not the JSON-LD description the page does not show
    // (the page describes itself: the metadata's summary is for search
    // engines).
    check(
        "product",
        PageType::Product,
        &["Recycled ripstop nylon"],
        &[
            "A light, weatherproof pack",
            "Free shipping",
            "Packs",
            "Add to cart",
            "You may also like",
            "Daypack 20 L",
            "newsletter",
            "€129.00",
            "Returns",
        ],
    );
}

#[test]
fn a_service_page_keeps_every_section() {
    check(
        "service",
        PageType::Service,
        &[],
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
fn documentation_loses_its_sidebar_and_table_of_contents() {
    check(
        "docs",
        PageType::Documentation,
        &[],
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
