//! The inside of inline `<svg>` images, dropped by the token filter.
//!
//! No extractor reads what an `<svg>` holds (its subtree is skipped as
//! page text), yet icons make about 7% of a news page's tags. Once the tree
//! builder has opened an `<svg>` element, [`SvgFilter`] drops the tokens
//! that html5ever would have placed inside it: the element itself stays,
//! empty.
//!
//! The filter follows the rules for tokens in foreign content closely
//! enough never to swallow the page: a start tag that breaks out of
//! foreign content (`<p>`, `<div>`, `<font color>`, ...), an end tag of no
//! element opened inside the image (the `</svg>` itself, or an ancestor's
//! end tag on a page that never closes it), `<foreignObject>` (whose
//! content is HTML) and a tag that switches the tokenizer's state all end
//! the dropping, and reach the tree builder as they would have.

use html5ever::tokenizer::{Tag, TagKind, Token};
use html5ever::{local_name, LocalName};

/// What to do with a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// It would land inside the image: drop it.
    Drop,
    /// Not inside an image (or the image ends here): pass it on.
    Pass,
}

/// The filter's state: the elements opened (and dropped) inside the image
/// being skipped, if any.
#[derive(Debug, Default)]
pub(super) struct SvgFilter {
    /// `Some` while inside an `<svg>` whose content is dropped.
    open: Option<Vec<LocalName>>,
    /// How many of the `open` elements are a `<title>` or `<desc>` (text
    /// integration points), counted so that a tag never scans `open`.
    text_points: usize,
}

/// Whether an element of an image is a text integration point.
fn is_text_point(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"title") || name.eq_ignore_ascii_case(b"desc")
}

impl SvgFilter {
    /// Starts dropping the content of the `<svg>` element the tree builder
    /// has just opened.
    pub(super) fn enter(&mut self) {
        self.open = Some(Vec::new());
        self.text_points = 0;
    }

    /// Whether an admitted start tag opens an image whose content may be
    /// dropped (the caller checks that the tree builder opened a foreign
    /// element for it).
    pub(super) fn opens_image(tag: &Tag) -> bool {
        tag.kind == TagKind::StartTag && !tag.self_closing && tag.name == local_name!("svg")
    }

    /// Decides a token's fate; leaves the image when the token ends it.
    ///
    /// Inlined: it runs on every token of the page, and outside an image
    /// (nearly every token) the answer is one test; the call itself cost
    /// more than that.
    #[inline]
    pub(super) fn verdict(&mut self, token: &Token) -> Verdict {
        if self.open.is_none() {
            return Verdict::Pass;
        }
        self.verdict_inside(token)
    }

    /// [`Self::verdict`] for a token met inside an image.
    fn verdict_inside(&mut self, token: &Token) -> Verdict {
        let Some(open) = self.open.as_mut() else {
            return Verdict::Pass;
        };
        let verdict = match token {
            Token::CharacterTokens(_) | Token::NullCharacterToken | Token::CommentToken(_) => {
                Verdict::Drop
            }
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    if breaks_out(tag)
                        || &*tag.name == "foreignobject"
                        || (self.text_points > 0 && switches_tokenizer(&tag.name))
                    {
                        Verdict::Pass
                    } else {
                        if !tag.self_closing {
                            self.text_points += usize::from(is_text_point(tag.name.as_bytes()));
                            open.push(tag.name.clone());
                        }
                        Verdict::Drop
                    }
                }
                TagKind::EndTag => match open.iter().rposition(|n| *n == tag.name) {
                    Some(pos) => {
                        let closed = open[pos..].iter().map(|n| is_text_point(n.as_bytes()));
                        self.text_points -= closed.filter(|&t| t).count();
                        open.truncate(pos);
                        Verdict::Drop
                    }
                    None => Verdict::Pass,
                },
            },
            Token::DoctypeToken(_) | Token::EOFToken | Token::ParseError(_) => Verdict::Pass,
        };
        if verdict == Verdict::Pass && !matches!(token, Token::ParseError(_)) {
            self.open = None;
        }
        verdict
    }
}

/// Start tags that leave foreign content in html5ever's tree builder (the
/// HTML spec's list), beside `<font>` with `color`, `face` or `size`.
const BREAKOUT_TAGS: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Whether a start tag leaves foreign content.
fn breaks_out(tag: &Tag) -> bool {
    if tag.name == local_name!("font") {
        return tag.attrs.iter().any(|a| {
            matches!(
                a.name.local,
                local_name!("color") | local_name!("face") | local_name!("size")
            )
        });
    }
    BREAKOUT_TAGS.contains(&&*tag.name)
}

/// Start tags whose HTML rules switch the tokenizer to raw text (inside an
/// image's `<title>` or `<desc>`, content follows the HTML rules), and the
/// ones that touch elements outside the image.
fn switches_tokenizer(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("textarea")
            | local_name!("title")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("plaintext")
            | local_name!("html")
            | local_name!("body")
            | local_name!("frameset")
            | local_name!("svg")
            | local_name!("math")
    )
}

/// The byte offset in `text` (the input right after an `<svg>` start tag)
/// of the `</svg>` end tag that closes the image, when everything before
/// it is plainly inside the image: start and end tags of elements opened
/// there (quoted attribute values read whole) and text. None (the tokens
/// are then filtered one by one) on anything else: a comment or CDATA
/// section, a start tag that may leave foreign content ([`BREAKOUT_TAGS`],
/// any `<font>`, `<foreignObject>`), markup inside `<title>` or `<desc>`,
/// an end tag of an element opened outside the image, or no end at all.
pub(super) fn image_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    let mut text_points = 0usize;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        match *bytes.get(lt + 1)? {
            b'/' => {
                let name = tag_name(bytes, lt + 2)?;
                let (after, _) = tag_end(bytes, lt + 2 + name.len())?;
                if let Some(pos) = open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                    text_points -= open[pos..].iter().filter(|n| is_text_point(n)).count();
                    open.truncate(pos);
                } else if name.eq_ignore_ascii_case(b"svg") {
                    return Some(lt);
                } else {
                    return None;
                }
                i = after;
            }
            c if c.is_ascii_alphabetic() => {
                let name = tag_name(bytes, lt + 1)?;
                let leaves = ["font", "foreignobject"]
                    .iter()
                    .chain(BREAKOUT_TAGS)
                    .any(|t| name.eq_ignore_ascii_case(t.as_bytes()));
                if text_points > 0 || leaves {
                    return None;
                }
                let (after, self_closing) = tag_end(bytes, lt + 1 + name.len())?;
                if !self_closing {
                    text_points += usize::from(is_text_point(name));
                    open.push(name);
                }
                i = after;
            }
            b'!' | b'?' => return None,
            _ => i = lt + 1, // a `<` of text
        }
    }
    None
}

/// Whether a byte is HTML whitespace (a carriage return becomes a line
/// feed before tokenizing).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The tag name starting at `start` (an ASCII letter, then anything up to
/// whitespace, `/` or `>`), or None when no letter starts one.
fn tag_name(bytes: &[u8], start: usize) -> Option<&[u8]> {
    if !bytes.get(start)?.is_ascii_alphabetic() {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')?;
    Some(&bytes[start..start + len])
}

/// Reads a tag's attributes from `i` (after its name) to its `>`: the
/// offset after the `>`, and whether the tag is self-closing (`/>`). None
/// when the input ends first, or a `<` stands outside a quoted value.
fn tag_end(bytes: &[u8], mut i: usize) -> Option<(usize, bool)> {
    loop {
        while is_space(*bytes.get(i)?) {
            i += 1;
        }
        match bytes[i] {
            b'>' => return Some((i + 1, false)),
            b'/' if bytes.get(i + 1) == Some(&b'>') => return Some((i + 2, true)),
            b'/' => i += 1,
            b'<' => return None,
            _ => {
                // An attribute name (its first byte may be `=`), then an
                // optional value.
                i += 1;
                while !matches!(*bytes.get(i)?, b'/' | b'>' | b'=' | b'<') && !is_space(bytes[i]) {
                    i += 1;
                }
                while is_space(*bytes.get(i)?) {
                    i += 1;
                }
                if bytes[i] != b'=' {
                    continue;
                }
                i += 1;
                while is_space(*bytes.get(i)?) {
                    i += 1;
                }
                match bytes[i] {
                    quote @ (b'"' | b'\'') => {
                        i += 1 + memchr::memchr(quote, &bytes[i + 1..])? + 1;
                    }
                    b'>' => {}
                    _ => {
                        while !matches!(*bytes.get(i)?, b'>' | b'<') && !is_space(bytes[i]) {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_ends_at_its_own_end_tag() {
        let cases = [
            (
                "<path d='M0 0'/><g><use href=\"#a\"></use></g></svg>x",
                Some(44),
            ),
            (
                "<title>a < b</title><path d=\"</svg>\"></path></SVG >",
                Some(44),
            ),
            ("<svg><rect/></svg></svg>", Some(18)),
            ("<path d=x>unclosed</svg>", Some(18)),
            ("<rect x=1 y = '2' / ></svg>", Some(21)),
        ];
        for (text, end) in cases {
            assert_eq!(image_end(text), end, "{text}");
        }
    }

    #[test]
    fn anything_that_may_leave_the_image_is_left_to_the_tokens() {
        for text in [
            "<path/><p>text</p></svg>",
            "<g><font size=2>x</font></g></svg>",
            "<foreignObject><div>x</div></foreignObject></svg>",
            "<title>a <b>b</b></title></svg>",
            "<!-- </svg> --></svg>",
            "<![CDATA[ </svg> ]]></svg>",
            "<g></div></svg>",
            "<g></p></svg>",
            "<path d='unclosed></svg>",
            "<path></path>",
        ] {
            assert_eq!(image_end(text), None, "{text}");
        }
    }
}
