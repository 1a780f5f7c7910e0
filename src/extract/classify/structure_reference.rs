//! The page-type walk as it was first written (element names compared as
//! strings, every class and id searched for hints): the definition that
//! [`super::structure::walk`] must equal on every page, so that the model
//! sees the same feature values it was trained on.

use ego_tree::iter::Edge;
use scraper::node::Node;
use scraper::Html;

use super::structure::{
    count_prices, has_currency_mark, hint_lists_in, text_prose_length, walk, ClassHints, Walk,
};

const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];

/// The walk by element names.
pub(super) fn walk_by_names(doc: &Html) -> Walk {
    let mut w = Walk::default();
    let mut hidden = 0usize;
    let mut in_link = 0usize;
    // Open paragraph-like blocks: (chars, link chars) of their text.
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if HIDDEN.contains(&name) {
                        hidden += 1;
                    }
                    if name == "link" && el.attr("rel") == Some("alternate") {
                        let href = el.attr("href").unwrap_or("");
                        w.wp_post_link |= href.contains("/wp-json/wp/v2/posts/");
                    }
                    if hidden > 0 {
                        continue;
                    }
                    match name {
                        "a" => {
                            in_link += 1;
                            w.links += 1;
                        }
                        "p" | "li" | "dd" | "blockquote" | "td" => blocks.push((0, 0)),
                        "article" => w.articles += 1,
                        "h1" => {
                            w.h1s += 1;
                            w.headings += 1;
                        }
                        "h2" | "h3" | "h4" | "h5" | "h6" => w.headings += 1,
                        "pre" => w.code_blocks += 1,
                        "table" => w.tables += 1,
                        "form" => {
                            w.forms += 1;
                            let action = el.attr("action").unwrap_or("").to_ascii_lowercase();
                            let class = el.attr("class").unwrap_or("").to_ascii_lowercase();
                            if action.contains("cart")
                                || class.contains("cart")
                                || action.contains("basket")
                            {
                                w.cart_forms += 1;
                            }
                        }
                        "button" => w.buttons += 1,
                        "time" => w.times += 1,
                        "img" => w.images += 1,
                        "nav" => w.navs += 1,
                        "aside" => w.asides += 1,
                        _ => {}
                    }
                    if matches!(name, "li") {
                        w.list_items += 1;
                    }
                    // One pass over the attributes (`attr` interns its argument).
                    let (mut class, mut id) = (None, None);
                    for (attr, value) in el.attrs() {
                        match attr {
                            "class" => _ = class.get_or_insert(value),
                            "id" => _ = id.get_or_insert(value),
                            _ => {}
                        }
                    }
                    let (class, id) = (class.unwrap_or(""), id.unwrap_or(""));
                    // No hint holds a space, so class and id are searched
                    // apart rather than joined.
                    let mut found = [false; 6];
                    hint_lists_in(class, &mut found);
                    hint_lists_in(id, &mut found);
                    for (count, hit) in w.hints.iter_mut().zip(found) {
                        *count += usize::from(hit);
                    }
                    if name == "body" {
                        let hay = format!("{class} {id}").to_ascii_lowercase();
                        w.single_post |= hay.contains("single-post") || hay.contains("postid-");
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    let n = text_prose_length(t);
                    if n == 0 {
                        continue;
                    }
                    w.text_chars += n;
                    if in_link > 0 {
                        w.link_chars += n;
                    }
                    if let Some(b) = blocks.last_mut() {
                        b.0 += n;
                        if in_link > 0 {
                            b.1 += n;
                        }
                    }
                    if has_currency_mark(t) {
                        let (marks, prices) = count_prices(t);
                        w.currency += marks;
                        w.prices += prices;
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Some(el) = node.value().as_element() else {
                    continue;
                };
                let name = el.name();
                if HIDDEN.contains(&name) {
                    hidden = hidden.saturating_sub(1);
                    continue;
                }
                if hidden > 0 {
                    continue;
                }
                match name {
                    "a" => in_link = in_link.saturating_sub(1),
                    "p" | "li" | "dd" | "blockquote" | "td" => {
                        if let Some((chars, link)) = blocks.pop() {
                            if chars >= 80 && link * 10 < chars * 3 {
                                w.prose_chars += chars;
                                w.prose_paras += 1;
                            }
                            w.longest_para = w.longest_para.max(chars);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    w
}

#[test]
fn the_walk_counts_what_the_walk_by_names_counts() {
    let mut pages: Vec<String> = [
        "<html><head><title>t</title><link rel=alternate href='/wp-json/wp/v2/posts/7'></head>\
         <body class='single-post Postid-3'><article><h1>A</h1><p>costs $5 or 5 €</p>\
         <form action='/Cart/add' class='x'><button>b</button></form><script>var a='$1';</script>\
         <svg><a href=/x>in svg</a></svg><nav><a href=/y>nav link</a></nav><aside>aside</aside>\
         <table><tr><td>cell<td>cell</table><pre>code</pre><time>t</time><img src=x>\
         <div class='product-card price' id='COMMENTS'><li>item<li>item</div>\
         <div class='product-card price'>again</div></article></body></html>",
        "<p><a>unclosed <li>x<dd>y<blockquote>z",
        "<template><p>hidden</p></template><noscript><p class=card>n</p></noscript><p>after</p>",
        "",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    pages.extend(fixture_pages());
    for page in &pages {
        let doc = crate::parse::parse_document(page);
        assert_eq!(
            walk(&doc, &mut ClassHints::default()),
            walk_by_names(&doc),
            "{}",
            &page[..page.len().min(80)]
        );
    }
    // The first page exercises the rarer counts, and a class list seen
    // twice counts twice.
    let doc = crate::parse::parse_document(&pages[0]);
    let first = walk(&doc, &mut ClassHints::default());
    assert!(first.single_post && first.wp_post_link);
    assert_eq!((first.cart_forms, first.prices, first.navs), (1, 2, 1));
    assert_eq!((first.hints[1], first.hints[2], first.hints[5]), (2, 2, 1));
}

/// The kicker elements as the metadata first found them, in a walk of
/// their own: the root element's descendants with a class, id or
/// `data-cy` value naming a kicker.
fn kickers_by_descent(doc: &Html) -> Vec<ego_tree::NodeId> {
    let mut hints = ClassHints::default();
    let data_cy = markup5ever::LocalName::from("data-cy");
    doc.root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .filter(|e| hints.names_kicker_in(e.value(), &data_cy))
        .map(|e| e.id())
        .collect()
}

#[test]
fn the_walk_finds_the_kickers_a_walk_of_their_own_finds() {
    let mut pages: Vec<String> = [
        "<html><head><meta class=kicker><script id=topline></script></head><body>\
         <span class='article-Kicker'>Politics</span><p class='plain' id='kicker'>Sport</p>\
         <div class='a' class='kicker'>one class</div><b id='x' data-cy='eyebrow'>Economy</b>\
         <i data-cy='eyebrow'>Culture</i><em title='kicker'>no</em>\
         <svg><g class=kicker><text>in svg</text></g></svg>\
         <noscript><p class=kicker>n</p></noscript></body></html>",
        "",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    pages.extend(fixture_pages());
    let mut found = 0;
    for page in &pages {
        let doc = crate::parse::parse_document(page);
        let walked = super::structure::page_structure(
            &doc,
            &mut ClassHints::default(),
            &mut crate::extract::node_facts::NodeFacts::default(),
        )
        .kickers;
        assert_eq!(
            walked,
            kickers_by_descent(&doc),
            "{}",
            &page[..page.len().min(80)]
        );
        found += walked.len();
    }
    assert!(found >= 7, "{found}");
}

/// Every HTML page under `fixtures/`, decoded: the pages on which the
/// walks are compared (at least nine, or the fixtures were not found).
pub(super) fn fixture_pages() -> Vec<String> {
    let mut pages = Vec::new();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for dir in std::fs::read_dir(&fixtures).expect("fixtures").flatten() {
        for file in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if file.path().extension().is_some_and(|e| e == "html") {
                let bytes = std::fs::read(file.path()).expect("fixture");
                pages.push(crate::decode::decode_html(&bytes, None, None).text);
            }
        }
    }
    assert!(pages.len() > 8, "the fixtures were found");
    pages
}
