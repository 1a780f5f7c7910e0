//! Tests of [`super`]: the walk's statistics and chrome marks on small pages.

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
fn slide_counters() {
    for (t, n) in [
        ("1/50", 1),
        (" 3 / 12 ", 3),
        ("2 of 9", 2),
        ("4 von 20", 4),
        ("\u{b}\n 5/8", 5),
        ("\u{a0}6 / 9\u{a0}", 6),
    ] {
        assert_eq!(slide_number(t), Some(n), "{t}");
    }
    for t in [
        "24/7",
        "0/50",
        "4/5",
        "1/2",
        "1/2/2024",
        "50",
        "of 50",
        "3/4 cup flour",
    ] {
        assert_eq!(slide_number(t), None, "{t}");
    }
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
