//! Tests of the dom walk (`dom.rs`).

use super::*;
use crate::parse::parse_document;

#[test]
fn stats_and_chrome() {
    let doc = parse_document(
        "<body><nav><a href=/>Home</a> <a href=/x>News</a></nav>\
         <div id=main><p>First words, of the story.</p><p>See <a href=y>this</a>.</p></div>\
         <div class=share-bar>Share on Facebook</div></body>",
    );
    let page = walk(*doc.root_element());
    let body = &page.elems[page.elems.iter().position(|e| e.name() == "body").unwrap()];
    assert_eq!(body.chars, "Firstwords,ofthestory.Seethis.".len() as u32);
    assert_eq!(body.link_chars, 4);
    let nav = page.elems.iter().find(|e| e.name() == "nav").unwrap();
    assert!(nav.chrome && nav.pruned);
    assert_eq!(nav.chars, 8);
    let p = page.elems.iter().find(|e| e.name() == "p").unwrap();
    assert_eq!(p.own_chars, 22);
    assert_eq!(p.own_punct, 2);
}

#[test]
fn a_slide_gallery_is_chrome_whatever_its_captions() {
    let para =
        "<p>A long paragraph of real prose, with commas, and full stops. It goes on and on.</p>";
    let slides: String = (1..=6)
        .map(|i| format!("<div class=item><span>{i}/50</span><p>Another story entirely: a bridge closed in a town far away, and the detour is long and slow.</p></div>"))
        .collect();
    let html = format!(
        "<body><div class=story>{}<div>{slides}</div>{}</div></body>",
        para.repeat(4),
        para
    );
    let doc = parse_document(&html);
    let page = walk(*doc.root_element());
    let gallery = page
        .elems
        .iter()
        .find(|e| e.counters.count_ones() >= 3)
        .unwrap();
    assert!(gallery.chrome && gallery.pruned);
    assert_eq!(gallery.counters, 0b111_1110);
    // Ratings out of five are no gallery.
    let ratings: String = (1..=6)
        .map(|i| format!("<div class=item><span>{}/5</span><p>Host number {i} is fast and cheap, and the support team answers within the hour.</p></div>", i % 5 + 1))
        .collect();
    let doc = parse_document(&format!("<body><div>{ratings}</div></body>"));
    assert!(!walk(*doc.root_element()).elems.iter().any(|e| e.chrome));
}

#[test]
fn hiding_classes_and_styles() {
    let doc = parse_document("<body><p class='x hidden'>a</p><p class=d-none>b</p><p style='DISPLAY: none'>c</p><p class=hidden-xs>d</p></body>");
    let hidden: Vec<bool> = doc
        .tree
        .nodes()
        .filter_map(|n| n.value().as_element())
        .filter(|e| e.name() == "p")
        .map(is_invisible)
        .collect();
    assert_eq!(hidden, [true, true, true, false]);
}

#[test]
fn chrome_holding_the_prose_is_kept() {
    let para =
        "<p>A long paragraph of real prose, with commas, and full stops. It goes on and on.</p>";
    let html = format!(
        "<body><form id=aspnetForm><div>{}</div></form><nav>x</nav></body>",
        para.repeat(5)
    );
    let doc = parse_document(&html);
    let page = walk(*doc.root_element());
    let form = page.elems.iter().find(|e| e.name() == "form").unwrap();
    assert!(!form.chrome && !form.pruned);
    let body = page.elems.iter().find(|e| e.name() == "body").unwrap();
    assert!(body.chars > 300);
}

#[test]
fn highlighted_code_comments_are_no_chrome() {
    // highlight.js and Prism mark a code comment with a "comment" class:
    // part of the code, not a reader comment section.
    let doc = parse_document(
        "<body><article><p>Stage and commit your work like this.</p>\
         <pre><code><span class=hljs-comment># stage every modified file</span>\
         git add -A</code></pre><pre><span class='token comment'>// the entry point</span>\
         fn main() {}</pre></article><div class=comments>Great post!</div></body>",
    );
    let page = walk(*doc.root_element());
    let comments: Vec<bool> = page
        .elems
        .iter()
        .filter(|e| {
            e.element()
                .and_then(|el| el.attr("class"))
                .is_some_and(|c| c.contains("comment"))
        })
        .map(|e| e.pruned)
        .collect();
    assert_eq!(comments, [false, false, true]);
}

#[test]
fn a_call_to_action_box_inside_the_article_is_chrome() {
    let para =
        "<p>A long paragraph of real prose, with commas, and full stops. It goes on and on.</p>";
    let html = format!(
        "<body><article><div class=entry-content>{}\
         <div class='blog-cta'><p>Ready to grow? Book a free demo today.</p></div></div></article>\
         <div class='hero-cta'><p>Start your free trial now.</p></div></body>",
        para.repeat(4)
    );
    let doc = parse_document(&html);
    let page = walk(*doc.root_element());
    let pruned = |class: &str| {
        page.elems
            .iter()
            .find(|e| e.element().and_then(|el| el.attr("class")) == Some(class))
            .map(|e| e.pruned)
    };
    assert_eq!(pruned("blog-cta"), Some(true));
    // Outside an article (a service page's hero) it is left to the scoring.
    assert_eq!(pruned("hero-cta"), Some(false));
    assert!(names_call_to_action("x inline-cta--dark") && names_call_to_action("CTA_box"));
    // As the value's tokens and parts, split, read it.
    let by_parts = |class: &str| {
        class.split_ascii_whitespace().any(|token| {
            token
                .split(['-', '_'])
                .any(|part| part.eq_ignore_ascii_case("cta"))
        })
    };
    for class in [
        "",
        "cta",
        "CTA",
        "cTa",
        "cta-",
        "-cta",
        "_cta_",
        "a cta",
        "cta\tb",
        "x\ncta\r",
        "ctax",
        "xcta",
        "ct",
        "c",
        "cc-cta",
        "ccta",
        "cta-cta",
        "é-cta",
        "cta-é",
        "écta",
        "ctaé",
        "c\u{0}ta",
        "c-ta",
        "ctacta",
        "a-b-cta_c",
        "\x0bcta",
        "cta\x0c",
    ] {
        assert_eq!(names_call_to_action(class), by_parts(class), "{class:?}");
    }
    assert!(!names_call_to_action("octagon actor"));
}
