//! Who wrote each post of a thread, and when: the poster's name and the
//! post's date from the post's own byline, which the walk makes chrome
//! with the rest of the poster's box (avatar, rank, join date, post
//! count).
//!
//! Wcxb-dev forum word F1 tuning / validation 0.8367 / 0.7246 -> 0.8383 /
//! 0.7256; names alone 0.8372 / 0.7247, dates alone 0.8373 / 0.7256. The
//! references differ by site, not by forum software: of two Discourse
//! threads of one template, one keeps each post's name and date, the
//! other neither, a third the name only. Showing the whole byline box
//! instead loses (see [`super::posts::post_dates`]).

use std::collections::HashSet;

use super::repeated::Layout;
use crate::extract::generic::dom::{Page, NONE};

/// Longest poster's name (characters): a name, not a line of prose.
const MAX_NAME_CHARS: usize = 40;

/// Most words of a poster's name ("Deleted member 621715", "Park Lane Mark
/// Twain").
const MAX_NAME_WORDS: usize = 4;

/// Longest date of a post (bytes), as [`super::posts::post_dates`] reads it.
const MAX_DATE_CHARS: usize = 80;

/// A thread's bylines: in each post, the element holding its poster's name
/// and the `<time>` of its date, outside quoted posts.
#[derive(Debug, Default)]
pub(super) struct Bylines {
    /// The elements to show (names and dates), with their subtrees.
    pub(super) shown: Vec<u32>,
    /// The posters' names, whitespace collapsed.
    pub(super) names: HashSet<String>,
}

/// Finds each post's byline (see [`Bylines`]): the first element of the
/// post, outside quotes, that names a poster (`itemprop="author"` or its
/// `itemprop="name"`, `rel="author"`, a class token naming an author, a
/// user name or a poster, or a link to a member's profile) and holds a
/// short name; and the post's first `<time>` with a digit.
pub(super) fn bylines(page: &Page<'_>, items: &[u32]) -> Bylines {
    let mut found = Bylines::default();
    for &item in items {
        let end = page.elems[item as usize].end;
        let (mut name, mut date) = (None, None);
        // The end of the author-marked element being read, whose name may
        // be a descendant (`itemprop="name"` in `itemprop="author"`).
        let mut in_author = 0;
        let mut i = item + 1;
        while i < end && (name.is_none() || date.is_none()) {
            let e = &page.elems[i as usize];
            let Some(el) = e.element() else {
                i += 1;
                continue;
            };
            if is_quote_or_avatar(el) {
                i = e.end;
                continue;
            }
            if name.is_none()
                && (names_poster(el) || (i < in_author && el.attr("itemprop") == Some("name")))
            {
                match short_name(e.node) {
                    Some(text) => name = Some((i, text)),
                    None => in_author = in_author.max(e.end),
                }
            }
            if date.is_none() && el.name() == "time" {
                let text = collapsed_text(e.node, MAX_DATE_CHARS + 1);
                if text.len() <= MAX_DATE_CHARS && text.chars().any(|c| c.is_ascii_digit()) {
                    date = Some(i);
                }
            }
            i += 1;
        }
        if let Some((i, text)) = name {
            found.shown.push(i);
            found.names.insert(text);
        }
        found.shown.extend(date);
    }
    found
}

/// The chrome that showing `shown` elements lifts: each one's subtree and
/// its ancestors up to (not including) the first one that is not blocked.
/// The ancestors' other children stay blocked (each holds its own flag).
pub(super) fn lifted(page: &Page<'_>, layout: &Layout, shown: &[u32]) -> Vec<ego_tree::NodeId> {
    let mut lifted = Vec::new();
    for &i in shown {
        let end = page.elems[i as usize].end;
        lifted.extend((i..end).map(|j| page.elems[j as usize].node.id()));
        let mut up = page.elems[i as usize].parent;
        while up != NONE && layout.blocked[up as usize] {
            lifted.push(page.elems[up as usize].node.id());
            up = page.elems[up as usize].parent;
        }
    }
    lifted
}

/// True for a quoted post (`<blockquote>`, a class naming a quote), whose
/// poster is not the post's, and for an avatar (a class naming one), whose
/// text is the poster's initial at most.
fn is_quote_or_avatar(el: &scraper::node::Element) -> bool {
    el.name() == "blockquote"
        || el
            .attr("class")
            .is_some_and(|c| contains_ignore_case(c, "quote") || contains_ignore_case(c, "avatar"))
}

/// True when an element names a post's poster.
fn names_poster(el: &scraper::node::Element) -> bool {
    if matches!(el.attr("itemprop"), Some("author" | "creator")) || el.attr("rel") == Some("author")
    {
        return true;
    }
    let named = el.attr("class").is_some_and(|class| {
        class.split_ascii_whitespace().any(|token| {
            ["author", "username", "user-name", "poster"]
                .iter()
                .any(|part| contains_ignore_case(token, part))
        })
    });
    named || (el.name() == "a" && el.attr("href").is_some_and(is_profile_link))
}

/// True for the address of a member's profile page on common forum
/// software (Discourse `/u/`, XenForo `/members/`, phpBB
/// `memberlist.php?mode=viewprofile`, vBulletin `member.php`, Invision
/// `/profile/`, Q&A sites' `/users/`).
fn is_profile_link(href: &str) -> bool {
    [
        "/u/",
        "/members/",
        "/member/",
        "member.php",
        "mode=viewprofile",
        "/profile/",
        "/users/",
        "/user/",
    ]
    .iter()
    .any(|part| contains_ignore_case(href, part))
}

/// The element's text when it is a short name: 1 to [`MAX_NAME_WORDS`]
/// words, at most [`MAX_NAME_CHARS`] characters, one of them a letter or
/// a digit, and no avatar or quote inside (its name is further down).
fn short_name(node: ego_tree::NodeRef<'_, scraper::Node>) -> Option<String> {
    let text = collapsed_text(node, MAX_NAME_CHARS * 4 + 1);
    let short = text.chars().count() <= MAX_NAME_CHARS
        && text.split(' ').count() <= MAX_NAME_WORDS
        && text.chars().any(char::is_alphanumeric);
    // A short text's subtree is small: looking through it stays cheap.
    let holds_avatar = || {
        node.descendants()
            .filter_map(|n| n.value().as_element())
            .any(is_quote_or_avatar)
    };
    (short && !holds_avatar()).then_some(text)
}

/// The text of `node`'s subtree, whitespace collapsed, stopping once it
/// passes `cap` bytes.
fn collapsed_text(node: ego_tree::NodeRef<'_, scraper::Node>, cap: usize) -> String {
    let mut text = String::new();
    for piece in node.descendants().filter_map(|n| n.value().as_text()) {
        for word in piece.split_whitespace() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
            if text.len() > cap {
                return text;
            }
        }
    }
    text
}

/// ASCII case-insensitive substring test.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::super::items::{item_texts, ItemKind};

    #[test]
    fn each_posts_poster_and_date_are_kept() {
        // A Discourse-like thread read without scripts: each post's byline
        // (the poster's name and the post's date) sits in a `meta` box the
        // walk makes chrome, with a letter avatar and the post's like
        // count; a quoted post names its own poster.
        let post = |who: &str, day: u32, quote: &str, said: &str| {
            format!(
                "<div class=crawler-post><div class=crawler-post-meta><span class=creator \
                 itemprop=author><a href=/u/{who} class=avatar>{}</a> \
                 <a href=/u/{who}><span itemprop=name>{who}</span></a></span> \
                 <span class=crawler-post-infos><time datetime=2025-04-{day}>April {day}, 2025, \
                 12:02pm</time><span class=post-likes>3 Likes</span></span></div>\
                 <div class=post>{quote}<p>{said}</p></div></div>",
                who.to_uppercase()
            )
        };
        let quote = "<blockquote><div class=title><a href=/u/zed>zed</a>:</div>\
                     <p>Try the desktop mode.</p></blockquote>";
        let html = format!(
            "<body><div class=topic>{}{}{}</div></body>",
            post(
                "ann",
                18,
                "",
                "Videos play dubbed, not in their own language."
            ),
            post(
                "bob",
                19,
                "",
                "The audio track menu shows in the desktop mode."
            ),
            post(
                "ann",
                20,
                quote,
                "Thanks, that brings the audio track back."
            )
        );
        let texts = item_texts(&html, ItemKind::Posts);
        assert_eq!(
            texts,
            [
                "ann April 18, 2025, 12:02pm",
                "Videos play dubbed, not in their own language.",
                "bob April 19, 2025, 12:02pm",
                "The audio track menu shows in the desktop mode.",
                "ann April 20, 2025, 12:02pm",
                "zed:",
                "Try the desktop mode.",
                "Thanks, that brings the audio track back.",
            ]
        );
    }
}
