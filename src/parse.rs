//! HTML parsing with bounded nesting depth and a bounded number of nodes.
//!
//! html5ever's tree builder spends time proportional to the depth of the
//! stack of open elements on many tokens, so 100,000 nested `<div>`s take
//! tens of seconds. This module sits between the tokenizer and the tree
//! builder and drops start tags (and their end tags) nested deeper than
//! [`MAX_NESTING_DEPTH`]; their text still reaches the deepest kept element.
//!
//! Every DOM node costs about 128 bytes, so a page of `x<br>` would cost
//! 50 times its size. The same filter keeps the tree within a node budget
//! proportional to the page ([`node_budget`]): beyond it, tags are replaced
//! by a space (text stays, structure goes), and comments never reach the
//! tree. The document is tokenized once.
//!
//! The text of scripts and styles is never read (JSON-LD metadata aside), so
//! the same filter drops it instead of copying it into the tree: a third of
//! a news page's bytes are code. Where it can tell where that text ends
//! ([`raw_text`]), it removes it from the input before the tokenizer walks
//! it.

mod raw_text;
mod svg;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::interface::TreeSink;
use html5ever::tendril::{ByteTendril, StrTendril};
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{local_name, LocalName};
use markup5ever::TokenizerResult;
use scraper::{Html, HtmlTreeSink};

use self::raw_text::raw_text_end;
use self::svg::{SvgFilter, Verdict};
use crate::limits::{
    BYTES_PER_DOM_NODE, DOM_NODE_HEADROOM, MAX_NESTING_DEPTH, MIN_DOM_NODE_BUDGET,
};

/// Parses a whole HTML document into a DOM, nesting bounded by
/// [`MAX_NESTING_DEPTH`] and nodes by [`node_budget`].
pub fn parse_document(text: &str) -> Html {
    parse_bounded(text, MAX_NESTING_DEPTH, node_budget(text.len()))
}

/// [`parse_document`] reading its input in place: no copy of the page.
pub fn parse_document_buffer(text: StrTendril) -> Html {
    let budget = node_budget(text.len());
    parse_counting(text, MAX_NESTING_DEPTH, budget).0
}

/// `buffer` as the parser's input when `text` is its bytes (the very same
/// memory, which the decoder validated as UTF-8, [`str`] being valid UTF-8),
/// shared, not copied; `None` when `text` is anything else (a conversion).
pub fn text_buffer(buffer: &ByteTendril, text: &str) -> Option<StrTendril> {
    if buffer.as_ptr() != text.as_ptr() || buffer.len() != text.len() {
        return None;
    }
    // SAFETY: the buffer's bytes are `text`'s, valid UTF-8.
    Some(unsafe { buffer.clone().reinterpret_without_validating() })
}

/// The most DOM nodes a page of `len` bytes gets built with tags:
/// [`MIN_DOM_NODE_BUDGET`], or one per [`BYTES_PER_DOM_NODE`] bytes of a
/// larger page.
pub fn node_budget(len: usize) -> usize {
    MIN_DOM_NODE_BUDGET.max(len / BYTES_PER_DOM_NODE)
}

/// The DOM's starting capacity: two nodes per `<` (an element and the text
/// after it), but never more than the budget allows, so a large page's
/// tree is allocated once instead of doubling.
fn initial_capacity(text: &str, budget: usize) -> usize {
    let tags = memchr::memchr_iter(b'<', text.as_bytes()).count();
    (2 * tags + 64).min(budget.saturating_add(DOM_NODE_HEADROOM + 2 * MAX_NESTING_DEPTH))
}

/// Parses a document keeping at most `max_depth` levels of nested elements
/// and building no element once the tree holds `budget` nodes.
pub fn parse_bounded(text: &str, max_depth: usize, budget: usize) -> Html {
    parse_counting(StrTendril::from_slice(text), max_depth, budget).0
}

/// [`parse_bounded`], also returning how many bytes of script and style
/// text were removed from the input before the tokenizer read them.
fn parse_counting(text: StrTendril, max_depth: usize, budget: usize) -> (Html, usize) {
    let mut html = Html::new_document();
    html.tree =
        ego_tree::Tree::with_capacity(scraper::Node::Document, initial_capacity(&text, budget));
    let builder = TreeBuilder::new(HtmlTreeSink::new(html), TreeBuilderOpts::default());
    let input = Rc::new(BufferQueue::default());
    let sink = Limiter {
        input: Rc::clone(&input),
        inner: builder,
        open: RefCell::new(Vec::with_capacity(64)),
        excess: Cell::new(0),
        in_code: Cell::new(false),
        skipped: Cell::new(0),
        svg: RefCell::default(),
        max_depth,
        budget,
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    input.push_back(text);
    // Script and encoding-indicator pauses are resumed at once: scripts are
    // not run and the text is already decoded.
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let skipped = tokenizer.sink.skipped.get();
    (tokenizer.sink.inner.sink.finish(), skipped)
}

/// Elements that never have content (no end tag expected).
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "frame"
            | "basefont"
            | "bgsound"
            | "image"
    )
}

/// Elements whose start tag implicitly closes an open element of the same
/// name (`<p>one<p>two`), so they do not deepen the tree.
fn closes_same_name(name: &str) -> bool {
    matches!(
        name,
        "p" | "li" | "dt" | "dd" | "option" | "tr" | "td" | "th" | "a"
    )
}

/// Whether a tag opens a script whose text no extractor reads: every
/// script but JSON-LD metadata (`application/ld+json`).
///
/// Names are compared as interned atoms (one integer comparison each, on
/// every tag of the page), not as text.
#[inline]
fn is_unread_script(tag: &Tag) -> bool {
    tag.kind == TagKind::StartTag
        && (tag.name == local_name!("style")
            || tag.name == local_name!("script")
                && !tag.attrs.iter().any(|a| {
                    a.name.local == local_name!("type")
                        && a.value.trim().eq_ignore_ascii_case("application/ld+json")
                }))
}

/// The tree builder the limiter feeds.
type Builder = TreeBuilder<ego_tree::NodeId, HtmlTreeSink>;

/// A token filter in front of the tree builder: it approximates the stack
/// of open elements to drop tags that would nest deeper than `max_depth`,
/// drops comments, and keeps the tree within its node budget.
struct Limiter {
    inner: Builder,
    /// The tokenizer's input, to remove the text of scripts and styles
    /// from it.
    input: Rc<BufferQueue>,
    open: RefCell<Vec<LocalName>>,
    /// Start tags dropped beyond the depth limit and not yet closed.
    excess: Cell<usize>,
    /// Inside a script whose text nothing reads (any script but JSON-LD):
    /// its characters are dropped instead of copied into the tree.
    in_code: Cell<bool>,
    /// Bytes of script, style and image content removed from the input.
    skipped: Cell<usize>,
    /// Drops the content of inline images ([`svg`]).
    svg: RefCell<SvgFilter>,
    max_depth: usize,
    /// Nodes after which no start tag is admitted; end tags still close
    /// open elements until [`DOM_NODE_HEADROOM`] more nodes exist (the
    /// tree builder re-creates formatting elements on its own).
    budget: usize,
}

impl Limiter {
    /// Nodes in the tree so far.
    fn nodes(&self) -> usize {
        self.inner.sink.0.borrow().tree.nodes().len()
    }

    /// Whether a tag may still reach the tree builder, by the node budget.
    fn within_budget(&self, kind: TagKind) -> bool {
        let nodes = self.nodes();
        match kind {
            TagKind::StartTag => nodes < self.budget,
            TagKind::EndTag => nodes < self.budget.saturating_add(DOM_NODE_HEADROOM),
        }
    }

    /// Returns false when the tag must be dropped.
    fn admit(&self, kind: TagKind, name: &LocalName, self_closing: bool) -> bool {
        let mut open = self.open.borrow_mut();
        match kind {
            TagKind::StartTag => {
                if is_void(name) || self_closing {
                    return true;
                }
                if closes_same_name(name) && open.last() == Some(name) {
                    return true;
                }
                if open.len() >= self.max_depth {
                    self.excess.set(self.excess.get() + 1);
                    return false;
                }
                open.push(name.clone());
                true
            }
            TagKind::EndTag => {
                if let Some(pos) = open.iter().rposition(|n| n == name) {
                    // Elements dropped beyond the limit close first.
                    if self.excess.get() > 0
                        && pos + 1 == open.len()
                        && open.len() >= self.max_depth
                    {
                        self.excess.set(self.excess.get() - 1);
                        return false;
                    }
                    open.truncate(pos);
                    true
                } else if self.excess.get() > 0 {
                    self.excess.set(self.excess.get() - 1);
                    false
                } else {
                    true
                }
            }
        }
    }

    /// Removes the text of the script (or style) the tokenizer is about to
    /// read from the input, when [`raw_text_end`] can tell where it ends.
    fn skip_raw_text(&self, script: bool) {
        if let Some(mut chunk) = self.input.peek_front_chunk_mut() {
            let end = raw_text_end(&chunk, script).and_then(|end| u32::try_from(end).ok());
            if let Some(end) = end {
                // The end tag's `<` is ASCII: the offset is a char boundary.
                if chunk.try_pop_front(end).is_ok() {
                    self.skipped.set(self.skipped.get() + end as usize);
                }
            }
        }
    }
}

impl Limiter {
    /// Removes the content of the image just opened from the input, when
    /// [`svg::image_end`] can tell where it ends: the tokenizer's next
    /// characters are its `</svg>` end tag.
    fn skip_image(&self) {
        if let Some(mut chunk) = self.input.peek_front_chunk_mut() {
            let end = svg::image_end(&chunk).and_then(|end| u32::try_from(end).ok());
            if let Some(end) = end {
                // The end tag's `<` is ASCII: the offset is a char boundary.
                if chunk.try_pop_front(end).is_ok() {
                    self.skipped.set(self.skipped.get() + end as usize);
                }
            }
        }
    }
}

impl TokenSink for Limiter {
    type Handle = ego_tree::NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Self::Handle> {
        if self.svg.borrow_mut().verdict(&token) == Verdict::Drop {
            return TokenSinkResult::Continue;
        }
        match &token {
            Token::CommentToken(_) => return TokenSinkResult::Continue,
            Token::CharacterTokens(_) | Token::NullCharacterToken if self.in_code.get() => {
                return TokenSinkResult::Continue;
            }
            Token::TagToken(tag) => {
                // In script data the only tag is the script's end tag.
                self.in_code.set(false);
                if !self.within_budget(tag.kind) {
                    // Over budget: the words on both sides stay apart.
                    let space = Token::CharacterTokens(StrTendril::from_slice(" "));
                    return self.inner.process_token(space, line_number);
                }
                if !self.admit(tag.kind, &tag.name, tag.self_closing) {
                    return TokenSinkResult::Continue;
                }
                if SvgFilter::opens_image(tag) {
                    let result = self.inner.process_token(token, line_number);
                    // Only an element the tree builder opened as SVG.
                    if self
                        .inner
                        .adjusted_current_node_present_but_not_in_html_namespace()
                    {
                        self.svg.borrow_mut().enter();
                        self.skip_image();
                    }
                    return result;
                }
                if is_unread_script(tag) {
                    let script = tag.name == local_name!("script");
                    let result = self.inner.process_token(token, line_number);
                    // Only a script the tree builder reads as script data
                    // (not one inside SVG or MathML) has raw text to skip.
                    let raw = matches!(
                        result,
                        TokenSinkResult::RawData(RawKind::ScriptData | RawKind::Rawtext)
                    );
                    self.in_code.set(raw);
                    if raw {
                        self.skip_raw_text(script);
                    }
                    return result;
                }
            }
            _ => {}
        }
        self.inner.process_token(token, line_number)
    }

    fn end(&self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Selector;

    fn depth_of_deepest(html: &Html) -> usize {
        html.tree
            .nodes()
            .map(|n| n.ancestors().count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn ordinary_documents_parse_as_html5ever_does() {
        let src = "<html><head><title>T</title></head><body><div><p>a<p>b</div><ul><li>x<li>y</ul></body></html>";
        let ours = parse_document(src);
        let theirs = Html::parse_document(src);
        assert_eq!(ours.html(), theirs.html());
    }

    #[test]
    fn a_page_in_the_parsers_buffer_is_parsed_in_place() {
        let src = "<body><p>Zürich<script>x()</script></p><p>two</p></body>";
        let buffer = ByteTendril::from_slice(src.as_bytes());
        let text = std::str::from_utf8(&buffer).unwrap();
        let shared = text_buffer(&buffer, text).unwrap();
        assert_eq!(shared.as_ptr(), buffer.as_ptr());
        assert_eq!(
            parse_document_buffer(shared).html(),
            parse_document(src).html()
        );
        // Other text (a conversion, a part of the page) is not the buffer.
        assert!(text_buffer(&buffer, src).is_none());
        assert!(text_buffer(&buffer, &text[..10]).is_none());
    }

    #[test]
    fn deep_nesting_is_bounded_and_text_kept() {
        let n = 100_000;
        let src = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let html = parse_document(&src);
        // The bounded depth is what bounds the time (html5ever is quadratic
        // in it); tests/bad_input.rs checks that the time grows linearly.
        assert!(depth_of_deepest(&html) <= MAX_NESTING_DEPTH + 4);
        let body = html
            .select(&Selector::parse("body").unwrap())
            .next()
            .unwrap();
        assert_eq!(body.text().collect::<String>(), "deep text");
    }

    #[test]
    fn the_node_budget_keeps_text_and_drops_structure() {
        let src = format!(
            "<body><p>kept</p>{}<p>last</p></body>",
            "x<br>".repeat(10_000)
        );
        let unbounded = parse_bounded(&src, MAX_NESTING_DEPTH, usize::MAX);
        assert!(unbounded.tree.nodes().len() > 20_000);
        let html = parse_bounded(&src, MAX_NESTING_DEPTH, 1_000);
        assert!(html.tree.nodes().len() <= 1_000 + DOM_NODE_HEADROOM);
        let text: String = html.root_element().text().collect();
        assert!(text.starts_with("kept"), "{}", &text[..20]);
        assert!(
            text.trim_end().ends_with("last"),
            "{}",
            &text[text.len() - 20..]
        );
        assert!(text.contains("x x x"));
        assert_eq!(text.matches('x').count(), 10_000);
    }

    #[test]
    fn comments_never_reach_the_tree() {
        let html = parse_document("<body><p>a<!-- one -->b</p><!-- two --></body>");
        assert!(html.tree.nodes().all(|n| !n.value().is_comment()));
        let p = html.select(&Selector::parse("p").unwrap()).next().unwrap();
        assert_eq!(p.text().collect::<String>(), "ab");
    }

    #[test]
    fn only_json_ld_scripts_keep_their_text() {
        let src = "<head><style>p { color: red }</style><script>if (a < b) x();</script>\
                   <script type=' Application/LD+JSON'>{\"a\": 1}</script></head>\
                   <body><p>x</p><script>document.write('<p>no</p>')</script><p>y</p>\
                   <svg><script>svg text</script></svg></body>";
        let html = parse_document(src);
        let texts = |css: &str| -> Vec<String> {
            html.select(&Selector::parse(css).unwrap())
                .map(|e| e.text().collect())
                .collect()
        };
        assert_eq!(texts("style"), [""]);
        assert_eq!(texts("head > script"), ["", "{\"a\": 1}"]);
        assert_eq!(texts("body > script"), [""]);
        assert_eq!(texts("p"), ["x", "y"]);
        // A script inside SVG is not script data: it goes with the rest of
        // the image's content.
        assert!(texts("svg script").is_empty());
        // Otherwise the tree is html5ever's own.
        let theirs = Html::parse_document(src).html();
        let mut expected = theirs.clone();
        for code in [
            "p { color: red }",
            "if (a < b) x();",
            "document.write('<p>no</p>')",
            "<script>svg text</script>",
        ] {
            assert!(theirs.contains(code), "{theirs}");
            expected = expected.replace(code, "");
        }
        assert_eq!(html.html(), expected);
    }

    #[test]
    fn script_text_the_tokenizer_need_not_read_is_skipped() {
        let scripts = [
            "<script>if (a < b) x('</p>');</script>",
            "<script src=x></SCRIPT >",
            "<style>p::before { content: '<b>' }</style>",
            // Escaped script data: the tokenizer reads it (its text is
            // still dropped from the tree).
            "<script><!-- document.write('<script>x</script>'); --></script>",
            "<script>var a = 1;",
        ];
        let src = format!("<body><p>a</p>{}<p>b</p></body>", scripts.join(""));
        let (html, skipped) = parse_counting(src.as_str().into(), MAX_NESTING_DEPTH, usize::MAX);
        assert_eq!(
            skipped,
            "if (a < b) x('</p>');".len() + "p::before { content: '<b>' }".len()
        );
        let expected = Html::parse_document(
            "<body><p>a</p><script></script><script src=x></script><style></style>\
             <script></script><script></script></body>",
        );
        assert_eq!(html.html(), expected.html());
    }

    #[test]
    fn the_inside_of_inline_images_is_dropped() {
        let src = "<body><p>a</p><svg viewBox='0 0 1 1'><title>Icon</title><g><path d='M0'/>\
                   <text>svg text</text></g><svg><rect/></svg><![CDATA[x]]></svg><p>b</p></body>";
        let expected = "<body><p>a</p><svg viewBox='0 0 1 1'></svg><p>b</p></body>";
        assert_eq!(
            parse_document(src).html(),
            Html::parse_document(expected).html()
        );
    }

    #[test]
    fn an_image_plainly_closed_is_skipped_before_the_tokenizer() {
        let inside = "<title>Icon</title><path d='M0 1'/><g><use href='#a'></use></g>";
        let src = format!("<body><p>a</p><svg viewBox='0 0 1 1'>{inside}</svg><p>b</p></body>");
        let (html, skipped) = parse_counting(src.as_str().into(), MAX_NESTING_DEPTH, usize::MAX);
        assert_eq!(skipped, inside.len());
        let expected = "<body><p>a</p><svg viewBox='0 0 1 1'></svg><p>b</p></body>";
        assert_eq!(html.html(), Html::parse_document(expected).html());
    }

    #[test]
    fn an_unclosed_image_does_not_swallow_the_page() {
        // html5ever leaves foreign content at an HTML start tag such as
        // <p>, at the end tag of an element around the image, and keeps
        // the HTML inside <foreignObject>.
        let cases = [
            (
                "<body><div><svg><path d=x><p>after</p></div><p>next</p></body>",
                "<body><div><svg></svg><p>after</p></div><p>next</p></body>",
            ),
            (
                "<body><div><svg><g>icon</div><p>next</p></body>",
                "<body><div><svg></svg></div><p>next</p></body>",
            ),
            (
                "<body><svg><g><font color=red>red</font></g></svg></body>",
                "<body><svg></svg><font color=red>red</font></body>",
            ),
            (
                "<body><svg><title>a<style>p{}</style></title></svg><p>next</p></body>",
                "<body><svg><style>p{}</style></svg><p>next</p></body>",
            ),
            (
                "<body><svg><foreignObject><p>html</p></foreignObject></svg>tail</body>",
                "<body><svg><foreignObject><p>html</p></foreignObject></svg>tail</body>",
            ),
        ];
        for (src, expected) in cases {
            assert_eq!(
                parse_document(src).html(),
                Html::parse_document(expected).html(),
                "{src}"
            );
        }
    }

    #[test]
    fn content_after_a_deep_block_stays_at_its_level() {
        let n = 2_000;
        let src = format!(
            "<body><main>{}deep{}</main><p id=after>after</p></body>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let html = parse_document(&src);
        let p = html
            .select(&Selector::parse("body > p#after").unwrap())
            .next();
        assert!(p.is_some(), "the paragraph after the deep block moved");
    }
}
