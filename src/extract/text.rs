//! Text assembly: turns element subtrees into paragraphs in reading order.
//!
//! Block elements start new paragraphs, `<br>` is a line break, runs of
//! whitespace collapse to one space, non-content elements (script, style,
//! forms, buttons, svg, ...) and hidden elements are skipped, and headings
//! become paragraphs of their own.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::node::Node;

/// What kind of block a paragraph came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// An ordinary paragraph or block of text.
    Text,
    /// A heading (`h1`-`h6`), with its level.
    Heading(u8),
    /// A list item.
    ListItem,
    /// A quotation.
    Quote,
    /// Preformatted text.
    Pre,
    /// A table cell.
    Cell,
    /// A figure caption.
    Caption,
}

/// One paragraph of assembled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The text: whitespace collapsed, lines trimmed.
    pub text: String,
    /// The block it came from.
    pub kind: BlockKind,
    /// Characters of the text that were inside links.
    pub link_chars: usize,
}

impl Paragraph {
    /// A paragraph of `text` from a block of `kind`, `link_chars` of its
    /// characters inside links.
    pub fn new(text: &str, kind: BlockKind, link_chars: usize) -> Self {
        Paragraph {
            text: text.to_string(),
            kind,
            link_chars,
        }
    }

    /// Share of the text's characters inside links (0 to 1).
    pub fn link_density(&self) -> f64 {
        let total = self.text.chars().count();
        if total == 0 {
            0.0
        } else {
            self.link_chars as f64 / total as f64
        }
    }
}

/// For a tree walk that skips a subtree (`skipping` holds its root): true
/// while inside it, clearing `skipping` at the root's closing edge.
pub(crate) fn leaves_skipped(
    skipping: &mut Option<ego_tree::NodeId>,
    closing: ego_tree::NodeId,
) -> bool {
    match *skipping {
        Some(root) => {
            if root == closing {
                *skipping = None;
            }
            true
        }
        None => false,
    }
}

/// Elements whose content is never article text.
pub fn is_skipped_element(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "form"
            | "button"
            | "svg"
            | "iframe"
            | "select"
            | "textarea"
            | "input"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "map"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "math"
            | "dialog"
            | "frameset"
            | "frame"
    )
}

/// A ruby reading (`<rt>`, furigana) that its ruby gives no parentheses
/// for (`<rp>`): as plain text it would run into the characters it reads
/// ("最近さいきん"), so it is left out. With `<rp>`, the text keeps the
/// reading in its parentheses, as a browser without ruby shows it.
/// `last_ruby` remembers the answer for the last ruby looked at, so a ruby
/// of many readings is scanned once.
fn is_bare_ruby_reading(
    node: NodeRef<'_, Node>,
    name: &str,
    last_ruby: &mut Option<(ego_tree::NodeId, bool)>,
) -> bool {
    if name != "rt" {
        return false;
    }
    let Some(ruby) = node.parent() else {
        return true;
    };
    let has_rp = match *last_ruby {
        Some((id, has_rp)) if id == ruby.id() => has_rp,
        _ => {
            let has_rp = ruby
                .children()
                .any(|c| c.value().as_element().is_some_and(|e| e.name() == "rp"));
            *last_ruby = Some((ruby.id(), has_rp));
            has_rp
        }
    };
    !has_rp
}

/// Elements that start and end a paragraph.
pub fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "figure"
            | "figcaption"
            | "address"
            | "hr"
            | "details"
            | "summary"
            | "center"
            | "fieldset"
            | "legend"
            | "body"
            | "html"
            | "hgroup"
            | "picture"
    )
}

/// True when an element is hidden by markup (`hidden`, `aria-hidden`,
/// inline `display:none` / `visibility:hidden`).
pub fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() && !is_streamed_segment(el.id()) {
        return true;
    }
    if el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

/// A segment of React's streamed server rendering: `<div hidden
/// id="S:0">` holds content rendered late, which the page's inline script
/// moves into place at once. Its `hidden` attribute does not hide it.
pub fn is_streamed_segment(id: Option<&str>) -> bool {
    id.and_then(|id| id.strip_prefix("S:"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The kind of paragraph an element's text makes (by its tag name).
pub(crate) fn kind_of(name: &str) -> BlockKind {
    match name {
        "h1" => BlockKind::Heading(1),
        "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "blockquote" => BlockKind::Quote,
        "pre" => BlockKind::Pre,
        "td" | "th" => BlockKind::Cell,
        "figcaption" | "caption" => BlockKind::Caption,
        _ => BlockKind::Text,
    }
}

/// Accumulates paragraphs while walking a tree.
#[derive(Debug, Default)]
pub struct Assembler {
    paragraphs: Vec<Paragraph>,
    buf: String,
    link_chars: usize,
    kinds: Vec<BlockKind>,
    pending_space: bool,
    link_depth: usize,
    pre_depth: usize,
}

impl Assembler {
    /// A new, empty assembler.
    pub fn new() -> Self {
        Self::default()
    }

    fn current_kind(&self) -> BlockKind {
        self.kinds
            .iter()
            .rev()
            .find(|k| **k != BlockKind::Text)
            .copied()
            .unwrap_or(BlockKind::Text)
    }

    /// Ends the current paragraph, if it holds any text.
    pub fn flush(&mut self) {
        let text = tidy_lines(&self.buf);
        if !text.is_empty() {
            let link_chars = self.link_chars.min(text.chars().count());
            self.paragraphs.push(Paragraph {
                text,
                kind: self.current_kind(),
                link_chars,
            });
        }
        self.buf.clear();
        self.link_chars = 0;
        self.pending_space = false;
    }

    fn push_text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            self.buf.push_str(text);
            if self.link_depth > 0 {
                self.link_chars += text.chars().count();
            }
            return;
        }
        // A run of words between single spaces is pushed whole: what the
        // loop below would push word by word (most text nodes are such
        // runs, and the loop cost about 25 instructions per byte).
        let words = text.trim_matches(' ');
        if !words.is_empty() && is_single_spaced(words) {
            if text.starts_with(' ') {
                self.pending_space = true;
            }
            self.push_word(words);
            if text.ends_with(' ') {
                self.pending_space = true;
            }
            return;
        }
        self.push_words_one_by_one(text);
    }

    /// Appends `text` word by word, white space collapsed.
    fn push_words_one_by_one(&mut self, text: &str) {
        // Word by word, byte by byte: only non-ASCII bytes are decoded.
        let bytes = text.as_bytes();
        let mut word_start: Option<usize> = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (space, len) = if b.is_ascii() {
                (matches!(b, b' ' | b'\t'..=b'\r'), 1)
            } else {
                match text[i..].chars().next() {
                    Some(c) => (c.is_whitespace(), c.len_utf8()),
                    None => break,
                }
            };
            if space {
                if let Some(s) = word_start.take() {
                    self.push_word(&text[s..i]);
                }
                self.pending_space = true;
            } else if word_start.is_none() {
                word_start = Some(i);
            }
            i += len;
        }
        if let Some(s) = word_start {
            self.push_word(&text[s..]);
        }
    }

    /// Appends a word (or words between single spaces), after a space when
    /// whitespace came before it.
    fn push_word(&mut self, word: &str) {
        if self.pending_space && !self.buf.is_empty() && !self.buf.ends_with('\n') {
            self.buf.push(' ');
            if self.link_depth > 0 {
                self.link_chars += 1;
            }
        }
        self.pending_space = false;
        self.buf.push_str(word);
        if self.link_depth > 0 {
            self.link_chars += word.chars().count();
        }
    }

    /// A `<br>`: a line break; two in a row end the paragraph.
    fn line_break(&mut self) {
        if self.buf.ends_with('\n') {
            self.flush();
            return;
        }
        if !self.buf.is_empty() {
            self.buf.push('\n');
        }
        self.pending_space = false;
    }

    /// Adds the text of `root`'s subtree; `skip` says which elements to leave
    /// out (with their content), in addition to the non-content elements.
    pub fn add_subtree<F>(&mut self, root: NodeRef<'_, Node>, mut skip: F)
    where
        F: FnMut(NodeRef<'_, Node>, &scraper::node::Element) -> bool,
    {
        // The root was chosen by the caller: only what it holds is judged hidden.
        let root_id = root.id();
        self.add_subtree_filtered(root, |node, el| {
            is_skipped_element(el.name())
                || (node.id() != root_id && is_hidden(el))
                || skip(node, el)
        })
    }

    /// Adds the text of `root`'s subtree; `skip` alone decides which
    /// elements are left out (the caller handles non-content elements).
    pub fn add_subtree_filtered<F>(&mut self, root: NodeRef<'_, Node>, mut skip: F)
    where
        F: FnMut(NodeRef<'_, Node>, &scraper::node::Element) -> bool,
    {
        let mut skipping: Option<ego_tree::NodeId> = None;
        let mut last_ruby = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => self.push_text(t),
                        Node::Element(el) => {
                            let name = el.name();
                            if skip(node, el) || is_bare_ruby_reading(node, name, &mut last_ruby) {
                                skipping = Some(node.id());
                                continue;
                            }
                            if name == "br" {
                                self.line_break();
                            } else if name == "a" {
                                self.link_depth += 1;
                            } else if name == "pre" {
                                self.flush();
                                self.pre_depth += 1;
                            } else if name == "img" {
                                // Images carry no text; their alt text is not body text.
                            } else if is_block_element(name) || matches!(name, "td" | "th") {
                                self.flush();
                            }
                            if is_block_element(name) {
                                self.kinds.push(kind_of(name));
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if leaves_skipped(&mut skipping, node.id()) {
                        continue;
                    }
                    if let Node::Element(el) = node.value() {
                        let name = el.name();
                        if name == "a" {
                            self.link_depth = self.link_depth.saturating_sub(1);
                        } else if name == "pre" {
                            self.pre_depth = self.pre_depth.saturating_sub(1);
                        }
                        if is_block_element(name) {
                            self.flush();
                            self.kinds.pop();
                        }
                    }
                }
            }
        }
        self.flush();
    }

    /// The paragraphs assembled so far.
    pub fn finish(mut self) -> Vec<Paragraph> {
        self.flush();
        self.paragraphs
    }
}

/// Trims each line, drops empty lines, and trims the whole.
pub(crate) fn tidy_lines(s: &str) -> String {
    if !s.contains('\n') {
        return s.trim().to_string();
    }
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// True when the only white space in `text` is single ASCII spaces: no two
/// in a row, no other white-space character (control characters, and the
/// Unicode spaces, whose UTF-8 forms open with one of four lead bytes).
fn is_single_spaced(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && memchr::memchr2(0x0B, 0x0C, bytes).is_none()
        && memchr::memmem::find(bytes, b"  ").is_none()
        && (text.is_ascii()
            || !memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
                .chain(memchr::memchr_iter(0xE3, bytes))
                .any(|at| text[at..].starts_with(char::is_whitespace)))
}

/// Joins paragraphs into a body: one blank line between paragraphs.
pub fn join_paragraphs<'a>(paragraphs: impl IntoIterator<Item = &'a Paragraph>) -> String {
    let mut body = String::new();
    for p in paragraphs {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(&p.text);
    }
    body
}

/// The collapsed text of one subtree (for titles, bylines, dates).
pub fn inline_text(root: NodeRef<'_, Node>) -> String {
    let mut a = Assembler::new();
    a.add_subtree(root, |_, _| false);
    a.finish()
        .into_iter()
        .map(|p| p.text.replace('\n', " "))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_document;
    use scraper::Selector;

    fn body_of(html: &str) -> Vec<Paragraph> {
        let doc = parse_document(html);
        let sel = Selector::parse("#a").unwrap();
        let root = doc.select(&sel).next().unwrap();
        let mut a = Assembler::new();
        a.add_subtree(*root, |_, _| false);
        a.finish()
    }

    #[test]
    fn single_spaced_runs_are_pushed_as_word_by_word() {
        let nodes = [
            "Plain words here",
            " lead",
            "trail ",
            " both ",
            " ",
            "",
            "two  spaces",
            "tab\there",
            "line\nbreak",
            "nbsp\u{a0}here",
            "ideographic\u{3000}space",
            "em\u{2003}space",
            "curly ‘quotes’ – and © «guillemets»",
            "Ünïcödé wörds",
            "x",
        ];
        // Every pair of nodes in a row, outside and inside a link, after
        // nothing, a word, a space and a line break.
        for first in nodes {
            for second in nodes {
                for before in ["", "w", "w ", "w\n"] {
                    for link_depth in [0, 1] {
                        let run = |fast: bool| {
                            let mut a = Assembler {
                                link_depth,
                                ..Assembler::default()
                            };
                            a.push_words_one_by_one(before.trim_end_matches('\n'));
                            if before.ends_with('\n') {
                                a.line_break();
                            }
                            for t in [first, second] {
                                if fast {
                                    a.push_text(t);
                                } else {
                                    a.push_words_one_by_one(t);
                                }
                            }
                            (a.buf.clone(), a.link_chars, a.pending_space)
                        };
                        assert_eq!(run(true), run(false), "{before:?} {first:?} {second:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn blocks_breaks_and_whitespace() {
        let ps = body_of(
            "<div id=a><h2> Title  here </h2><p>One\n  two <b>three</b>four</p><p>line<br>next</p>\
             <script>var x</script><form>Leave a reply <button>Send</button></form><ul><li>i1</li><li>i2</li></ul></div>",
        );
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Title here", "One two threefour", "line\nnext", "i1", "i2"]
        );
        assert_eq!(ps[0].kind, BlockKind::Heading(2));
        assert_eq!(ps[3].kind, BlockKind::ListItem);
    }

    #[test]
    fn hidden_and_links() {
        let ps = body_of("<div id=a><p>see <a href=x>the link</a></p><p hidden>secret</p><p style='display: none'>gone</p></div>");
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].link_chars, " the link".len());
    }

    #[test]
    fn ruby_readings_only_in_their_parentheses() {
        let ps = body_of("<div id=a><p><ruby>最近<rt>さいきん</rt></ruby>、法律</p><p><ruby>尹錫悦<rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>大統領</p></div>");
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["最近、法律", "尹錫悦（ユンソンニョル）大統領"]);
    }

    #[test]
    fn join_uses_blank_lines() {
        let ps = body_of("<div id=a><p>a</p><p>b</p></div>");
        assert_eq!(join_paragraphs(&ps), "a\n\nb");
    }
}
