//! Cuts a walked page into text blocks in document order.
//!
//! A block is a run of text whose nearest block element is the same: a
//! paragraph, a heading, a list item, or the text a `div` holds between
//! its nested blocks. A card `<div>30 min<h3>Title</h3>Serves 4</div>`
//! gives three blocks, "30 min", "Title", "Serves 4", in that order.
//! `<pre>` blocks keep their line breaks; a `<br>` is a line break.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::node::{Element, Node};

use super::Block;
use crate::extract::generic::dom::Page;
use crate::extract::text::{is_skipped_element, kind_of, leaves_skipped, tidy_lines};
use crate::extract::typed::region::is_disclosure_button;

/// An open element of the traversal.
struct Frame {
    /// The walk index of the innermost block element (this one included).
    block: u32,
    /// Whether this element owns a block (it is its own nearest block).
    owns: bool,
    /// Text here is left out of the block (chrome or a form inside it).
    excluded: bool,
    /// Inside a `<pre>`: whitespace kept.
    pre: bool,
}

/// The text being gathered for the innermost open block.
#[derive(Default)]
struct Segment {
    buf: String,
    pending_space: bool,
    /// An inline element opened or closed since the last word: see
    /// [`Segment::push_words`].
    boundary: bool,
}

impl Segment {
    fn push_words(&mut self, text: &str) {
        if text.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        let mut words = text.split_whitespace().peekable();
        while let Some(word) = words.next() {
            let parted = self.boundary && parts_words(&self.buf, word);
            self.boundary = false;
            if (self.pending_space || parted) && !self.buf.is_empty() && !self.buf.ends_with('\n') {
                self.buf.push(' ');
            }
            self.buf.push_str(word);
            self.pending_space = words.peek().is_some();
        }
        if text.ends_with(char::is_whitespace) {
            self.pending_space = true;
        }
    }

    fn push_raw(&mut self, text: &str) {
        self.buf.push_str(text);
        self.pending_space = false;
        self.boundary = false;
    }

    /// An inline element opens or closes here.
    fn element_edge(&mut self) {
        self.boundary = true;
    }

    fn line_break(&mut self) {
        if !self.buf.is_empty() && !self.buf.ends_with('\n') {
            self.buf.push('\n');
        }
        self.pending_space = false;
    }

    /// Ends the segment: a block of element `elem` when it holds text.
    fn flush(&mut self, page: &Page<'_>, elem: u32, out: &mut Vec<Block>) {
        let text = tidy_lines(&self.buf);
        self.buf.clear();
        self.pending_space = false;
        self.boundary = false;
        if !text.is_empty() {
            out.push(Block {
                elem,
                text,
                kind: kind_of(page.elems[elem as usize].name()),
            });
        }
    }
}

/// Whether the text before an inline element's edge (`before`) and the
/// word after it (`word`), with no space between them in the source, are
/// two words: a card's lines are often inline elements that its style
/// sets apart (`<a>Jane Doe</a><span>Professor of Physics</span>`, a
/// rank `<span>1</span><span>Boston</span>`, a chart's axis of years),
/// which a reader sees as words of their own. A letter or digit before a
/// capital or a digit parts them; a small letter after the edge continues
/// the word (`<b>T</b>he`, a highlighted `<em>mach</em>ine`), and so does
/// punctuation on either side (`<a>link</a>,`). Superscripts and
/// subscripts never part (see [`is_inline_edge`]).
fn parts_words(before: &str, word: &str) -> bool {
    let (Some(last), Some(first)) = (before.chars().next_back(), word.chars().next()) else {
        return false;
    };
    last.is_alphanumeric() && (first.is_uppercase() || first.is_ascii_digit())
}

/// Whether an inline element the walk made chrome is a byline or a date
/// (`<a rel=author>`, `class="card__author"`, `itemprop=author`, a
/// `<time>`): left out of an article's text, it is a listing's teaser's
/// own line (who wrote it, when), and block elements of the same names
/// are blocks anyway.
fn is_byline(el: &Element) -> bool {
    const MARKS: [&str; 4] = ["author", "byline", "date", "time"];
    let names_one = |value: Option<&str>| {
        value.is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            MARKS.iter().any(|m| v.contains(m))
        })
    };
    el.name() == "time"
        || el.attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("author"))
        })
        || names_one(el.attr("class"))
        || names_one(el.attr("id"))
        || names_one(el.attr("itemprop"))
}

/// Whether opening or closing inline element `name` may part the words
/// around it (see [`parts_words`]): not a footnote mark or a formula's
/// index (`<sup>`, `<sub>`), nor a line break (handled as one).
fn is_inline_edge(name: &str) -> bool {
    !matches!(name, "sup" | "sub" | "br" | "wbr")
}

/// The page's text blocks in document order (see the module doc). Only
/// walked elements count: what the walk left out (hidden, scripts) is
/// left out with its subtree; chrome and form controls inside a block
/// are left out of its text, but blocks nested in them are blocks.
pub fn page_blocks(page: &Page<'_>) -> Vec<Block> {
    let Some(root) = page.elems.first() else {
        return Vec::new();
    };
    let index: HashMap<NodeId, u32> = page
        .elems
        .iter()
        .enumerate()
        .map(|(i, e)| (e.node.id(), i as u32))
        .collect();
    let mut blocks = Vec::new();
    let mut open: Vec<Frame> = Vec::new();
    let mut seg = Segment::default();
    let mut skipping: Option<NodeId> = None;
    for edge in root.node.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(el) => {
                        let Some(&j) = index.get(&node.id()) else {
                            skipping = Some(node.id());
                            continue;
                        };
                        let e = &page.elems[j as usize];
                        let name = el.name();
                        let frame = match open.last() {
                            Some(t) if e.block != j => {
                                let left_out = (e.chrome && !is_byline(el))
                                    || (is_skipped_element(name) && !is_disclosure_button(el));
                                if name == "br" && !t.excluded {
                                    seg.line_break();
                                }
                                if is_inline_edge(name) {
                                    seg.element_edge();
                                }
                                Frame {
                                    block: t.block,
                                    owns: false,
                                    excluded: t.excluded || left_out,
                                    pre: t.pre || name == "pre",
                                }
                            }
                            top => {
                                if let Some(t) = top {
                                    seg.flush(page, t.block, &mut blocks);
                                }
                                Frame {
                                    block: j,
                                    owns: true,
                                    excluded: false,
                                    pre: name == "pre",
                                }
                            }
                        };
                        open.push(frame);
                    }
                    Node::Text(t) => match open.last() {
                        Some(f) if !f.excluded && f.pre => seg.push_raw(t),
                        Some(f) if !f.excluded => seg.push_words(t),
                        _ => {}
                    },
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if leaves_skipped(&mut skipping, node.id()) {
                    continue;
                }
                if !index.contains_key(&node.id()) {
                    continue;
                }
                if let Some(f) = open.pop() {
                    if f.owns {
                        seg.flush(page, f.block, &mut blocks);
                    } else if let Node::Element(el) = node.value() {
                        if is_inline_edge(el.name()) {
                            seg.element_edge();
                        }
                    }
                }
            }
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::generic::{self, dom};
    use crate::extract::text::BlockKind;
    use crate::parse::parse_document;

    fn texts(html: &str) -> Vec<String> {
        let doc = parse_document(html);
        let page = dom::walk(*generic::body_element(&doc));
        page_blocks(&page).into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn inline_elements_set_apart_are_words_of_their_own() {
        let texts = texts(
            "<body><ul><li><a href=/p>Jane Doe</a><span>Professor of Physics</span>\
             <span>Email: uni.edu</span></li>\
             <li><span>1</span><span>BOS</span><a href=/t>Boston</a></li>\
             <li><span>2019</span><span>2020</span><span>2021</span></li></ul>\
             <p><b>T</b>he <em>mach</em>ine read <a href=/x>the manual</a>, \
             H<sub>2</sub>O and x<sup>2</sup>.</p></body>",
        );
        assert_eq!(
            texts,
            [
                "Jane Doe Professor of Physics Email: uni.edu",
                "1 BOS Boston",
                "2019 2020 2021",
                "The machine read the manual, H2O and x2."
            ]
        );
    }

    #[test]
    fn a_teasers_byline_and_date_are_its_text_other_chrome_is_not() {
        let texts = texts(
            "<body><article class=card><h3><a href=/a>Trams return to the old town</a></h3>\
             <div class=card-meta><a class=card__author rel=author href=/u/ann>Ann Lee</a> \
             &amp; <span class=byline-name>Bo Chen</span> · <time>March 6, 2026</time>\
             <a class=share-button href=/s>Share</a></div></article></body>",
        );
        assert_eq!(
            texts,
            [
                "Trams return to the old town",
                "Ann Lee & Bo Chen · March 6, 2026"
            ]
        );
    }

    #[test]
    fn blocks_are_the_elements_owning_text_in_document_order() {
        let doc = parse_document(
            "<body><nav><a href=/>Home</a></nav><div>Intro <b>bold</b>, text\
             <p>First <a href=x>linked</a> para.</p>tail<script>var x;</script>\
             <span hidden>secret</span></div><ul><li>One<br>Two</li></ul>\
             <h2>Heading</h2></body>",
        );
        let page = dom::walk(*generic::body_element(&doc));
        let blocks = page_blocks(&page);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Home",
                "Intro bold, text",
                "First linked para.",
                "tail",
                "One\nTwo",
                "Heading"
            ]
        );
        assert_eq!(blocks[4].kind, BlockKind::ListItem);
        assert_eq!(blocks[5].kind, BlockKind::Heading(2));
    }

    #[test]
    fn a_cards_own_text_keeps_its_place_around_nested_blocks() {
        let got = texts(
            "<body><div class=card><span>30 min</span><h3>Lemon tart</h3>\
             <span>Serves 4</span><p>Sharp and sweet.</p></div></body>",
        );
        assert_eq!(
            got,
            ["30 min", "Lemon tart", "Serves 4", "Sharp and sweet."]
        );
    }

    #[test]
    fn pre_blocks_keep_their_line_breaks() {
        let got = texts(
            "<body><p>Run:</p><pre><code>cargo build\n  --release\n\ncargo test</code></pre></body>",
        );
        assert_eq!(got, ["Run:", "cargo build\n--release\ncargo test"]);
    }

    #[test]
    fn chrome_and_form_controls_inside_a_block_are_left_out_of_its_text() {
        let got = texts(
            "<body><div>Price 10 <button>Buy now</button><span class=share-buttons>Share</span>\
             <form><p>Newsletter</p></form></div></body>",
        );
        assert_eq!(got, ["Price 10", "Newsletter"]);
    }
}
