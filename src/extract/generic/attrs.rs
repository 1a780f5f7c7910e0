//! What an element's attributes say about it: the few attributes the
//! extractor reads (class, id, role) and whether the element is hidden
//! (by tag, by the `hidden`/`aria-hidden` attributes, by a hiding utility
//! class or an inline style).

use markup5ever::local_name;
use scraper::node::Element;

use crate::extract::text::is_streamed_segment;

/// Elements whose text never counts (and is never assembled).
pub fn is_invisible(el: &Element) -> bool {
    is_invisible_tag(el.name()) || Attrs::of(el).hidden
}

/// Tags whose text never counts (see [`is_invisible`]).
pub(super) fn is_invisible_tag(name: &str) -> bool {
    // The assembler's non-content elements, except the containers that
    // some sites wrap whole pages in (ASP.NET forms, framesets).
    matches!(name, "option" | "label")
        || (crate::extract::text::is_skipped_element(name)
            && !matches!(name, "form" | "frameset" | "frame"))
}

/// The attributes the extractor reads, found in one pass over the
/// element's attributes (`Element::attr` interns its argument each call).
#[derive(Debug, Default, Clone, Copy)]
pub struct Attrs<'a> {
    /// `class`.
    pub class: Option<&'a str>,
    /// `id`.
    pub id: Option<&'a str>,
    /// `role`.
    pub role: &'a str,
    /// Hidden by `hidden`, `aria-hidden=true` or an inline style.
    pub hidden: bool,
    /// A modal dialog (`aria-modal=true`): an overlay over the page.
    pub modal: bool,
    /// The page's author as a microdata item (`itemprop=author`): a
    /// byline or an author box, not the story.
    pub author_item: bool,
}

impl<'a> Attrs<'a> {
    /// Reads an element's attributes.
    pub fn of(el: &'a Element) -> Self {
        Self::of_with(el, class_hides)
    }

    /// [`Attrs::of`], asking `class_hides` whether the class value hides
    /// the element (a walk of the page remembers it per distinct value:
    /// pages repeat their class lists).
    pub fn of_with(el: &'a Element, mut class_hides: impl FnMut(&'a str) -> bool) -> Self {
        let mut a = Attrs::default();
        let mut hidden_attr = false;
        // Names compared as interned atoms: no name is looked up as text,
        // and only the values read are.
        for (name, value) in &el.attrs {
            match name.local {
                local_name!("class") => {
                    a.class = Some(value);
                    a.hidden |= class_hides(value);
                }
                local_name!("id") => a.id = Some(value),
                local_name!("role") => a.role = value,
                local_name!("hidden") => hidden_attr = true,
                local_name!("aria-hidden") => a.hidden |= &**value == "true",
                local_name!("aria-modal") => a.modal = &**value == "true",
                local_name!("itemprop") => {
                    a.author_item |= value.split_ascii_whitespace().any(|v| v == "author")
                }
                local_name!("style") => a.hidden |= style_hides(value),
                _ => {}
            }
        }
        a.hidden |= hidden_attr && !is_streamed_segment(a.id);
        a
    }
}

/// True for a content element hidden by a utility class only (see
/// [`is_hiding_class`]): what a page's anti-flicker wrapper
/// (`<div class="root hide">`, shown by a script once the page is styled)
/// looks like.
pub fn is_hidden_by_class(el: &Element) -> bool {
    !is_invisible_tag(el.name()) && el.attr("class").is_some_and(class_hides)
}

/// Whether a class value holds a hiding utility class (see
/// [`is_hiding_class`]).
pub fn class_hides(class: &str) -> bool {
    // Every hiding class holds a `d` (a test keeps it so): a value without
    // one, most of them, is answered by one byte search rather than split.
    memchr::memchr(b'd', class.as_bytes()).is_some()
        && class.split_ascii_whitespace().any(is_hiding_class)
}

/// Whether a class value names a call to action: a `cta` part (any ASCII
/// case) of one of its tokens (`blog-cta`, `cta_box`, `inline-cta--dark`),
/// parts split at `-` and `_`, tokens at ASCII whitespace. Found as a `c`
/// with `ta` after it and a boundary on both sides, rather than by
/// splitting (which decoded every character: 2% of the generic walk).
pub(super) fn names_call_to_action(class: &str) -> bool {
    let bytes = class.as_bytes();
    let boundary =
        |b: Option<&u8>| b.is_none_or(|&b| matches!(b, b'-' | b'_') || b.is_ascii_whitespace());
    memchr::memchr2_iter(b'c', b'C', bytes).any(|i| {
        bytes
            .get(i + 1..i + 3)
            .is_some_and(|ta| ta.eq_ignore_ascii_case(b"ta"))
            && boundary(i.checked_sub(1).and_then(|j| bytes.get(j)))
            && boundary(bytes.get(i + 3))
    })
}

/// Utility classes that hide an element at every screen size (Bootstrap
/// 3 `hidden`, Bootstrap 4 `d-none`, common `is-hidden`/`hide`, Invision
/// Community's `ipsHide`: a thread's empty "Featured Replies" box, its
/// reply and quote templates). A class
/// list that shows the element again at a breakpoint (`hidden lg:block`,
/// `d-none d-md-block`) still counts as hidden, on purpose: such elements
/// are mostly the desktop twin of a block kept in its mobile form, or
/// desktop-only navigation (reading them as visible lowered wcxb-dev
/// tuning 0.8208 -> 0.8194 and publishers 0.9559 -> 0.9551).
fn is_hiding_class(token: &str) -> bool {
    HIDING_CLASSES.contains(&token)
}

/// The classes of [`is_hiding_class`].
const HIDING_CLASSES: [&str; 8] = [
    "hidden",
    "d-none",
    "is-hidden",
    "hide",
    "u-hidden",
    "display-none",
    "js-hidden",
    "ipsHide",
];

/// True when an inline style hides the element.
fn style_hides(style: &str) -> bool {
    if !style.contains("none") && !style.contains("hidden") {
        return false;
    }
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    s.contains("display:none") || s.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::{class_hides, HIDING_CLASSES};
    use crate::extract::generic::extract_paragraphs;
    use crate::parse::parse_document;

    #[test]
    fn every_hiding_class_holds_a_d_and_hides() {
        // (What `class_hides` searches first.)
        assert!(HIDING_CLASSES.iter().all(|c| c.contains('d')));
        for class in HIDING_CLASSES {
            assert!(class_hides(class) && class_hides(&format!("a {class}\tb")));
        }
        for class in [
            "",
            "hid",
            "d-flex",
            "Hidden",
            "hidden-xs",
            "ipshide",
            "x hide-y",
        ] {
            assert!(!class_hides(class), "{class}");
        }
    }

    const PARA: &str = "<p>The council voted on Tuesday to keep the library open on Sundays, after a petition signed by many readers.</p>";

    #[test]
    fn a_react_streamed_segment_is_read_but_a_hidden_block_is_not() {
        // React's streaming renderer sends the article late, in
        // `<div hidden id="S:0">`, and its inline script moves it into place.
        let html = format!(
            "<body><div id=root><!--$?--><template id=B:0></template><p>Loading...</p><!--/$--></div>\
             <div hidden id=S:0><main><article><h1>Library</h1>{}</article></main></div>\
             <div hidden id=modal><p>Sign in to save this article to your reading list, it only takes a minute.</p></div>\
             <script>$RC(\"B:0\",\"S:0\")</script></body>",
            PARA.repeat(4)
        );
        let got: Vec<String> = extract_paragraphs(&parse_document(&html))
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            got.iter().filter(|t| t.starts_with("The council")).count(),
            4,
            "{got:?}"
        );
        assert!(!got.iter().any(|t| t.starts_with("Sign in")), "{got:?}");
    }

    #[test]
    fn a_page_wrapped_whole_in_an_anti_flicker_wrapper_is_read() {
        // A script shows `.root` once the page is styled; until then it
        // is hidden like any `hide` block.
        let html = format!(
            "<body><div class=\"main-preloader hide\"></div><div class=\"root hide\"><main><article><h1>Library</h1>{}</article></main></div></body>",
            PARA.repeat(4)
        );
        let got = extract_paragraphs(&parse_document(&html));
        assert_eq!(got.len(), 4, "{got:?}");
        // On a page with visible text, a `hide` block stays hidden.
        let html = format!(
            "<body><article>{}<div class=hide><p>Sign in to save this article to your reading list, it only takes a minute.</p></div></article></body>",
            PARA.repeat(4)
        );
        let got = extract_paragraphs(&parse_document(&html));
        assert!(
            !got.iter().any(|p| p.text.starts_with("Sign in")),
            "{got:?}"
        );
    }

    #[test]
    fn a_modal_dialog_is_not_the_article() {
        let html = format!(
            "<body><article>{}</article>\
             <div class=capping aria-modal=true><p>You can read this newspaper on one device at a time, so reading here signs you out on the other one.</p>\
             <p>Why this message? Because another person, or you, is reading with this account on another device.</p></div>\
             <section role=alertdialog><p>Your subscription does not include this article, please contact our sales team for more information.</p></section></body>",
            PARA.repeat(4)
        );
        let got: Vec<String> = extract_paragraphs(&parse_document(&html))
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(got, vec![PARA[3..PARA.len() - 4].to_string(); 4]);
    }

    #[test]
    fn an_author_item_is_no_part_of_the_story() {
        // A plugin's author box: the author's microdata item (a picture,
        // the name, a paragraph of biography) after the article.
        let html = format!(
            "<body><div class=entry>{}<div class=bio-wrap itemscope itemtype=http://schema.org/Person itemprop=author>\
             <img src=/a.jpg alt=''><div><a href=/people/ann>Ann Smith</a></div>\
             <div itemprop=description><p>Ann has covered local politics since 2015, and before that she taught history at the town's high school.</p></div></div></div></body>",
            PARA.repeat(4)
        );
        let got: Vec<String> = extract_paragraphs(&parse_document(&html))
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(got, vec![PARA[3..PARA.len() - 4].to_string(); 4]);
    }
}
