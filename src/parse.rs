//! HTML parsing with bounded nesting depth.
//!
//! html5ever's tree builder spends time proportional to the depth of the
//! stack of open elements on many tokens, so 100,000 nested `<div>`s take
//! tens of seconds. This module sits between the tokenizer and the tree
//! builder and drops start tags (and their end tags) nested deeper than
//! [`MAX_NESTING_DEPTH`]; their text still reaches the deepest kept element.
//! The document is tokenized once.

use std::cell::{Cell, RefCell};

use html5ever::interface::TreeSink;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::LocalName;
use markup5ever::TokenizerResult;
use scraper::{Html, HtmlTreeSink};

use crate::limits::MAX_NESTING_DEPTH;

/// Parses a whole HTML document into a DOM, nesting bounded by
/// [`MAX_NESTING_DEPTH`].
pub fn parse_document(text: &str) -> Html {
    parse_document_with_depth(text, MAX_NESTING_DEPTH)
}

/// Parses a document keeping at most `max_depth` levels of nested elements.
pub fn parse_document_with_depth(text: &str, max_depth: usize) -> Html {
    let builder = TreeBuilder::new(
        HtmlTreeSink::new(Html::new_document()),
        TreeBuilderOpts::default(),
    );
    let sink = DepthLimiter {
        inner: builder,
        open: RefCell::new(Vec::with_capacity(64)),
        excess: Cell::new(0),
        max_depth,
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    // Script and encoding-indicator pauses are resumed at once: scripts are
    // not run and the text is already decoded.
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    tokenizer.sink.inner.sink.finish()
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

/// A token filter that approximates the tree builder's stack of open
/// elements and drops tags that would nest deeper than `max_depth`.
struct DepthLimiter<S: TokenSink> {
    inner: S,
    open: RefCell<Vec<LocalName>>,
    /// Start tags dropped beyond the limit and not yet closed.
    excess: Cell<usize>,
    max_depth: usize,
}

impl<S: TokenSink> DepthLimiter<S> {
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
}

impl<S: TokenSink> TokenSink for DepthLimiter<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Self::Handle> {
        if let Token::TagToken(tag) = &token {
            if !self.admit(tag.kind, &tag.name, tag.self_closing) {
                return TokenSinkResult::Continue;
            }
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
    fn deep_nesting_is_bounded_and_text_kept() {
        let n = 100_000;
        let src = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let start = std::time::Instant::now();
        let html = parse_document(&src);
        // The depth bound is what keeps the parse linear; the time bound
        // only catches a hang, with a margin for a loaded 2-core machine.
        assert!(depth_of_deepest(&html) <= MAX_NESTING_DEPTH + 4);
        assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
        let body = html
            .select(&Selector::parse("body").unwrap())
            .next()
            .unwrap();
        assert_eq!(body.text().collect::<String>(), "deep text");
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
