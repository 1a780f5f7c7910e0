//! Tests of the page-type walk's helpers (currency marks, prose length, prices).

use super::*;

const MARKS: [char; 7] = ['$', '€', '£', '¥', '₹', '₽', '₩'];

#[test]
fn currency_marks_are_found_as_the_char_search_finds_them() {
    for text in [
        "costs $5",
        "5 €",
        "£3",
        "¥ 100",
        "₹ 9",
        "₽1",
        "₩ 2",
        "no price here",
        "quotes ’ “ ” – and ¢ © ₤ ₠",
        "",
        "trailing \u{c2}",
    ] {
        assert_eq!(has_currency_mark(text), text.contains(MARKS), "{text:?}");
    }
}

#[test]
fn prose_length_of_a_text_is_the_sum_over_its_words() {
    for text in [
        "  one two\tthree\n\r\x0b\x0cfour  ",
        "\x1c\x1d not whitespace in Unicode",
        "",
        "   ",
        "naïve café 東京 text\u{a0}with nbsp",
        "\u{3000}全角\u{2009}thin\u{85}next\u{2028}line 한국어 ｶﾅ",
    ] {
        let words: usize = text.split_whitespace().map(prose_length).sum();
        assert_eq!(text_prose_length(text), words, "{text:?}");
    }
}

/// The plain definition: every child's first 64 nodes walked.
fn repeated_siblings_walked(doc: &Html) -> (usize, usize) {
    let (mut max, mut groups) = (0, 0);
    for node in doc.tree.nodes().filter(|n| n.value().is_element()) {
        let mut seen: Vec<(&str, &str, usize, bool)> = Vec::new();
        for child in node.children() {
            let Some(el) = child.value().as_element() else {
                continue;
            };
            let key = (el.name(), el.attr("class").unwrap_or(""));
            let linked = child
                .descendants()
                .take(64)
                .any(|d| d.value().as_element().is_some_and(|e| e.name() == "a"));
            match seen.iter_mut().find(|s| s.0 == key.0 && s.1 == key.1) {
                Some(s) => {
                    s.2 += 1;
                    s.3 |= linked;
                }
                None => seen.push((key.0, key.1, 1, linked)),
            }
        }
        for &(name, _, n, linked) in &seen {
            let skipped = [
                "option", "tr", "td", "th", "br", "p", "span", "script", "meta", "link",
            ];
            if !skipped.contains(&name) {
                max = max.max(n);
                groups += usize::from(n >= 4 && linked);
            }
        }
    }
    (max, groups)
}

#[test]
fn repeated_siblings_match_the_walked_definition() {
    // Links at the 64-node edge: a card whose link is its 64th node
    // counts, one whose link is its 65th does not.
    let card = |filler: usize| {
        format!(
            "<div class='card'>{}<a href='/x'>x</a></div>",
            "<i></i>".repeat(filler)
        )
    };
    let edge = format!(
        "<body><section>{}</section><section>{}</section></body>",
        card(62).repeat(5),
        card(63).repeat(5)
    );
    let mut pages = vec![
        edge,
        "<ul><li><a href=/1>1</a><li><a href=/2>2</a><li>3<li><a>4</a><li>5</ul>".to_string(),
        "<table><tr><td><a>x</a><td>y</table><p><b>a<p>b</b>c".to_string(),
        // A template's children sit in its fragment: no element's group.
        format!(
            "<body><template>{}</template></body>",
            "<a href=/x>x</a>".repeat(5)
        ),
        String::new(),
    ];
    pages.extend(super::super::structure_reference::fixture_pages());
    for page in &pages {
        let doc = crate::parse::parse_document(page);
        assert_eq!(
            repeated_siblings(&doc),
            repeated_siblings_walked(&doc),
            "{}",
            &page[..page.len().min(80)]
        );
    }
    // The cards with their link in reach make the one linked group; the
    // largest group is a card's 63 fillers.
    let doc = crate::parse::parse_document(&pages[0]);
    assert_eq!(repeated_siblings(&doc), (63, 1));
}

#[test]
fn a_value_holds_kicker_and_page_type_hints_at_once() {
    // One search of the shared set finds both, overlapping or not.
    let mut hints = ClassHints::default();
    assert!(hints.names_kicker("Teaser__Kicker"));
    assert!(hints.names_kicker("eyebrow-card"));
    assert!(!hints.names_kicker("teaser"));
    let mut found = [false; 6];
    hint_lists_in("Teaser__Kicker", &mut found);
    assert_eq!(found, [false, false, true, false, false, false]);
    let doc = crate::parse::parse_document("<p class='Teaser__Kicker'>a</p><p class=teaser>b</p>");
    assert_eq!(walk(&doc, &mut hints).hints[2], 2);
}
