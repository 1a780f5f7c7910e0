//! What in a forum thread's walked region belongs to its posts and what
//! does not: posters' signatures, and the comment sections beside the
//! posts (a Q&A site's remarks under its question and answers).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::region::MAX_HEADING_CHARS;
use super::repeated::Layout;
use crate::extract::generic::dom::{Attrs, Page, NONE};
use crate::vocabulary::is_comment_element;

/// The comment sections beside a thread's posts (the remarks under a
/// Q&A site's question and answers), when the posts themselves are not
/// comments: the walk's chrome that the posts' layout let through because
/// it names comments (see [`Layout::of`]). A thread whose posts are
/// comments, sit in a comment section or hold most of their text in
/// elements named as comments (`comment-content`) keeps them all, nested
/// replies included.
pub(super) fn side_comments(
    page: &Page<'_>,
    layout: &Layout,
    items: &[u32],
) -> Vec<ego_tree::NodeId> {
    // Every element's verdict once: the checks below ask again and again.
    let comment: Vec<bool> = page
        .elems
        .iter()
        .map(|e| {
            e.chrome
                && e.element().is_some_and(|el| {
                    let a = Attrs::of(el);
                    is_comment_element(a.class, a.id)
                })
        })
        .collect();
    let in_comments = |mut i: u32| loop {
        if i == NONE {
            return false;
        }
        if comment[i as usize] {
            return true;
        }
        i = page.elems[i as usize].parent;
    };
    // Each item's text, and its text inside its outermost comment-named
    // elements.
    let item_texts: Vec<(u64, u64)> = items
        .iter()
        .map(|&item| {
            let (mut i, end) = (item + 1, page.elems[item as usize].end);
            let mut chars = 0;
            while i < end {
                if comment[i as usize] {
                    chars += layout.text(page, i).0;
                    i = page.elems[i as usize].end;
                } else {
                    i += 1;
                }
            }
            (layout.text(page, item).0, chars)
        })
        .collect();
    let comment_posts = item_texts
        .iter()
        .filter(|&&(text, in_comment)| 2 * in_comment > text)
        .count();
    if 2 * comment_posts > items.len() || items.iter().any(|&i| in_comments(i)) {
        return Vec::new();
    }
    let sections: Vec<u32> = (0..page.elems.len() as u32)
        .filter(|&i| !layout.blocked[i as usize] && comment[i as usize])
        .collect();
    // Remarks are asides: comment sections holding twice the posts' own
    // text are the thread's replies (a forum that files them as comments).
    let comment_text: u64 = sections
        .iter()
        .filter(|&&i| !in_comments(page.elems[i as usize].parent))
        .map(|&i| layout.text(page, i).0)
        .sum();
    let post_text: u64 = item_texts
        .iter()
        .map(|&(text, in_comment)| text.saturating_sub(in_comment))
        .sum();
    if comment_text >= 2 * post_text {
        return Vec::new();
    }
    sections
        .into_iter()
        .map(|i| page.elems[i as usize].node.id())
        .collect()
}

/// Un-flags the forms that the walk made chrome for holding at most one
/// short paragraph (a search or reply form): in a thread, a post's text may
/// sit in a form (old Reddit's comments, each in its editing form; a
/// thread of short posts inside a moderation form). The walk's chrome by
/// tag or class (`search-form`, `login`) stays; a reply form's own text is
/// labels and buttons, which are never output.
pub(super) fn forms_hold_posts(page: &mut Page<'_>) {
    for e in &mut page.elems {
        if e.weak && e.chrome && e.name() == "form" {
            e.chrome = false;
        }
    }
}

/// A poster's signature (`signature`, `memberSignature`,
/// `message-signature`, `post-signature` in a class or id): the same
/// lines under each of their posts, not what the post says.
pub(super) fn is_signature(el: &scraper::node::Element) -> bool {
    let named = |v: Option<&str>| v.is_some_and(|v| v.to_ascii_lowercase().contains("signature"));
    named(el.attr("class")) || named(el.attr("id")) || named(el.attr("data-role"))
}

/// A post's furniture that no reader takes for what the post says,
/// whatever the forum software names it:
/// - a control's label (`role="button"`: XenForo's "Click to expand..."
///   under a long quote);
/// - a label for screen readers only in a camel-case utility class
///   (XenForo's `u-srOnly` "Thread starter"; `sr-only` and
///   `visually-hidden` are chrome for the walk already);
/// - the note that a post was edited (`message-lastEdit`, `lastedit`,
///   `last-edit` in a class: "Last edited: Jul 25, 2024"), and what the
///   forum itself leaves out of a quoted post (Invision's
///   `data-excludequote`: "Edited May 22 by ...").
///
/// None of them is in any tuning reference of wcxb-dev (22 threads had
/// them): wcxb-dev forum word F1 0.8351 / 0.7241 -> 0.8364 / 0.7245 with
/// Invision's `ipsHide` hidden (tuning / validation).
pub(super) fn is_post_furniture(el: &scraper::node::Element) -> bool {
    if el.attr("role") == Some("button") || el.attr("data-excludequote").is_some() {
        return true;
    }
    let has = |token: &str, part: &[u8]| {
        token
            .as_bytes()
            .windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part))
    };
    el.attr("class").is_some_and(|class| {
        class.split_ascii_whitespace().any(|token| {
            has(token, b"lastedit")
                || has(token, b"last-edit")
                || has(token, b"last_edit")
                || token
                    .get(token.len().saturating_sub(6)..)
                    .is_some_and(|end| end.eq_ignore_ascii_case("sronly"))
        })
    })
}

/// Headings of a thread's lists of other threads (the whole line, trailing
/// punctuation allowed): "Similar threads", "Related discussions",
/// "Explore related questions". Not "Recommended posts", which some forums
/// put over the thread's own posts.
const OTHER_THREADS_HEADINGS: &str = concat!(
    r"(?i)^((explore |check out )?(other )?(similar|related|suggested) ",
    r"(threads|topics|discussions|questions)",
    r"|see similar questions( with these tags)?)\W*$"
);

/// [`OTHER_THREADS_HEADINGS`], compiled once.
static OTHER_THREADS_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(OTHER_THREADS_HEADINGS).expect("static regex"));

/// Largest share of the thread's text a list of other threads may hold.
pub(super) const MAX_OTHER_THREADS_SHARE: f64 = 1.0 / 3.0;

/// True when a short line heads a list of other threads.
pub(super) fn heads_other_threads(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= MAX_HEADING_CHARS && OTHER_THREADS_HEADING.is_match(t)
}

/// The elements of `region` that come after the thread's `last` post and
/// are not inside it: a reply form, "You must log in to answer", a
/// forum's notification help and footer links. The region grows over
/// ancestors for the thread's title and opening post, which stand before
/// the posts; what follows the last post is the page around the thread
/// (wcxb-dev, forum word F1 tuning / validation 0.8220 / 0.7118 -> 0.8255
/// / 0.7166; listings and collections lose by it: the text under a grid
/// may be the listing's own).
pub(super) fn after_last_post(page: &Page<'_>, region: u32, last: u32) -> Vec<ego_tree::NodeId> {
    let path = path_up(page, region, last);
    let after = page.elems[last as usize].end;
    let end = page.elems[region as usize].end;
    (after..end)
        .filter(|&i| path.contains(&page.elems[i as usize].parent))
        .map(|i| page.elems[i as usize].node.id())
        .collect()
}

/// Link share from which an element of the region before the thread's
/// first post, beside the posts' ancestors, is a link list (related
/// threads, a subforum's rules and links), unless it holds an `<h1>` or
/// `<h2>` (the thread's title is often a link). Wcxb-dev forum word F1
/// tuning / validation 0.8255 / 0.7166 -> 0.8257 / 0.7173 (0.7: 0.8256 /
/// 0.7168).
const MIN_LEADING_LIST_LINK_DENSITY: f32 = 0.5;

/// The link lists of `region` before the thread's `first` post (see
/// [`MIN_LEADING_LIST_LINK_DENSITY`]): the thread's title and opening
/// post stay.
pub(super) fn link_lists_before_first_post(
    page: &Page<'_>,
    region: u32,
    first: u32,
) -> Vec<ego_tree::NodeId> {
    let path = path_up(page, region, first);
    (region + 1..first)
        .filter(|i| !path.contains(i))
        .map(|i| (i, &page.elems[i as usize]))
        .filter(|(_, e)| path.contains(&e.parent) && e.chars > 0)
        .filter(|(_, e)| e.link_density() >= MIN_LEADING_LIST_LINK_DENSITY)
        .filter(|&(i, e)| !(i..e.end).any(|j| matches!(page.elems[j as usize].name(), "h1" | "h2")))
        .map(|(_, e)| e.node.id())
        .collect()
}

/// The dates of a thread's posts: the texts of the `<time>` elements in
/// its `items`, whitespace collapsed ("Dec 30, 2023", "November 8, 2024,
/// 7:33pm"). A post's date recurs from post to post in shape, often word
/// for word, yet it is what the post says of itself, not the thread's
/// template (see [`is_post_date`]). The posters' bylines that the walk
/// makes chrome (`itemprop="author"`, `p.author`, a `<header>`, `meta`
/// classes), shown in posts as well, lose: wcxb-dev forum word F1 tuning /
/// validation 0.8351 / 0.7241 -> 0.8309 / 0.7195 (some sites' references
/// keep a post's byline, others of the same forum software drop it).
pub(super) fn post_dates(page: &Page<'_>, items: &[u32]) -> HashSet<String> {
    let mut dates = HashSet::new();
    for &item in items {
        let end = page.elems[item as usize].end;
        for e in &page.elems[item as usize..end as usize] {
            if e.name() != "time" {
                continue;
            }
            let mut text = String::new();
            for piece in e.node.descendants().filter_map(|n| n.value().as_text()) {
                for word in piece.split_whitespace() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(word);
                }
            }
            if text.len() <= MAX_DATE_BYTES && text.chars().any(|c| c.is_ascii_digit()) {
                dates.insert(text);
            }
        }
    }
    dates
}

/// Longest `<time>` text (bytes) that is a post's date, not a block of
/// text a template wrapped in one.
const MAX_DATE_BYTES: usize = 80;

/// True when `line` is a post's date (see [`post_dates`]): the date
/// itself, or the date after or before one word ("Posted March 5, 2024",
/// "answered May 2, 2009 at 0:09"). A labelled value ("Joined: Feb 2017")
/// is the poster's details, not the post's date.
pub(super) fn is_post_date(line: &str, dates: &HashSet<String>) -> bool {
    if dates.is_empty() {
        return false;
    }
    if dates.contains(line) {
        return true;
    }
    match (line.split_once(' '), line.rsplit_once(' ')) {
        (Some((first, rest)), Some((head, last))) => {
            (!first.ends_with(':') && dates.contains(rest))
                || (!last.ends_with(':') && dates.contains(head))
        }
        _ => false,
    }
}

/// `item` and its ancestors up to `region`.
pub(super) fn path_up(page: &Page<'_>, region: u32, item: u32) -> HashSet<u32> {
    let mut path = HashSet::new();
    let mut ancestor = item;
    while ancestor != NONE {
        path.insert(ancestor);
        if ancestor == region {
            break;
        }
        ancestor = page.elems[ancestor as usize].parent;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::super::items::{item_texts, ItemKind};
    use super::*;

    fn thread(after: &str) -> Vec<String> {
        let post = |who: &str, said: &str| {
            format!("<div class=post><span class=author>{who}</span><p>{said}</p></div>")
        };
        let html = format!(
            "<body><main><h1>Which glue for oak?</h1><div class=posts>{}{}{}</div>{after}</main></body>",
            post("ana", "Which glue holds oak joints best outdoors, where it rains most of the year?"),
            post("ben", "A polyurethane glue: it foams into the gaps and does not mind the rain at all."),
            post("cy", "Epoxy if the joint is loose, polyurethane otherwise; both outlast the wood itself.")
        );
        post_texts(&html)
    }

    /// The texts of the paragraphs the Posts path makes of `html`.
    fn post_texts(html: &str) -> Vec<String> {
        item_texts(html, ItemKind::Posts)
    }

    #[test]
    fn a_list_of_similar_threads_is_left_out() {
        let texts = thread(
            "<div class=block><h3>Similar threads</h3><ul><li>Glue for pine?</li>\
             <li>Oak outside</li></ul></div>",
        );
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("Similar") || t.contains("pine") || t == "Oak outside"),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.starts_with("Epoxy")), "{texts:?}");
    }

    #[test]
    fn a_list_of_similar_threads_under_a_span_is_left_out() {
        let texts = thread(
            "<div class=c-x1><div class=c-x2><span class=c-x3>Check out other related \
             discussions</span></div><div class=c-x4><p>Glue for pine?</p><p>Oak outside</p>\
             </div></div>",
        );
        assert_eq!(
            texts,
            [
                "ana",
                "Which glue holds oak joints best outdoors, where it rains most of the year?",
                "ben",
                "A polyurethane glue: it foams into the gaps and does not mind the rain at all.",
                "cy",
                "Epoxy if the joint is loose, polyurethane otherwise; both outlast the wood itself."
            ]
        );
    }

    #[test]
    fn posts_held_in_forms_are_kept() {
        // Old Reddit: each comment's text sits in its editing form.
        let comment = |who: &str, said: &str| {
            format!(
                "<div class=thing><p class=tagline>{who} 12 points</p><form action=# class=usertext>\
                 <input type=hidden name=id><div class=md><p>{said}</p></div></form>\
                 <ul class=buttons><li><a href=/p>permalink</a></li></ul></div>"
            )
        };
        let html = format!(
            "<body><div class=sitetable>{}{}{}</div></body>",
            comment("ana", "Might this also cure tinnitus one day?"),
            comment(
                "ben",
                "Different cells, sadly, but the method may carry over."
            ),
            comment("cy", "The mouse results look promising so far.")
        );
        let texts = post_texts(&html);
        assert_eq!(
            texts,
            [
                "ana 12 points",
                "Might this also cure tinnitus one day?",
                "ben 12 points",
                "Different cells, sadly, but the method may carry over.",
                "cy 12 points",
                "The mouse results look promising so far.",
            ]
        );
    }

    #[test]
    fn the_posts_dates_are_kept() {
        // A XenForo-like thread: each post's date in a `<time>`, most of
        // them the same day; the posters' joined dates are labelled.
        let post = |who: &str, day: u32, said: &str| {
            format!(
                "<article class=message><div class=user><h4>{who}</h4><dl><dt>Joined:</dt>\
                 <dd>Feb {day}, 2017</dd></dl></div><header><a href=/p><time datetime=2023-12-30>\
                 Dec {day}, 2023</time></a></header><div class=body><p>{said}</p></div></article>"
            )
        };
        let html = format!(
            "<body><div class=thread>{}{}{}{}</div></body>",
            post("ann", 30, "Do you plan a budget for fragrances next year?"),
            post("bob", 30, "Samples only, with a few bottles for birthdays."),
            post(
                "cy",
                30,
                "No budget: I replenish my favourites when they run low."
            ),
            post(
                "dee",
                31,
                "A bottle a month, and decants of everything new."
            )
        );
        let texts = post_texts(&html);
        assert_eq!(
            texts,
            [
                "ann",
                "Dec 30, 2023",
                "Do you plan a budget for fragrances next year?",
                "bob",
                "Dec 30, 2023",
                "Samples only, with a few bottles for birthdays.",
                "cy",
                "Dec 30, 2023",
                "No budget: I replenish my favourites when they run low.",
                "dee",
                "Dec 31, 2023",
                "A bottle a month, and decants of everything new.",
            ]
        );
    }

    #[test]
    fn a_posts_furniture_is_left_out() {
        // A XenForo-like thread: a screen-reader label over the thread, a
        // long quote's expand button, an edit note; an Invision-like edit
        // note the forum leaves out of quotes; its hidden featured replies.
        let post = |who: &str, said: &str, extra: &str| {
            format!(
                "<article class=message><h4>{who}</h4><div class=body><p>{said}</p>{extra}</div></article>"
            )
        };
        let html = format!(
            "<body><div class=p-body><div class=p-description><span class=u-srOnly>Thread starter</span> \
             <a href=/m/ann>ann</a></div><div class=thread>{}{}{}<section class=ipsHide><p>Featured \
             Replies</p></section></div></div></body>",
            post(
                "ann",
                "Do you plan a budget for fragrances next year?",
                "<div class=message-lastEdit>Last edited: Jul 25, 2024</div>"
            ),
            post(
                "bob",
                "Samples only, with a few bottles for birthdays.",
                "<blockquote><p>Do you plan a budget?</p><div class=bbCodeBlock-expandLink>\
                 <a role=button tabindex=0>Click to expand...</a></div></blockquote>"
            ),
            post(
                "cy",
                "No budget: I replenish my favourites when they run low.",
                "<span class=ipsType_light data-excludequote>Edited July 26 by cy</span>"
            ),
        );
        let texts = post_texts(&html);
        for furniture in [
            "Thread starter",
            "Last edited",
            "Click to expand",
            "Edited July",
        ] {
            assert!(
                !texts.iter().any(|t| t.contains(furniture)),
                "{furniture}: {texts:?}"
            );
        }
        assert!(
            texts.iter().any(|t| t.starts_with("No budget")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.starts_with("Samples")), "{texts:?}");
    }

    #[test]
    fn a_post_date_is_the_date_or_one_word_and_the_date() {
        let dates: HashSet<String> = ["May 2, 2009 at 0:09".to_string()].into();
        assert!(is_post_date("May 2, 2009 at 0:09", &dates));
        assert!(is_post_date("answered May 2, 2009 at 0:09", &dates));
        assert!(!is_post_date("Joined: May 2, 2009 at 0:09", &dates));
        assert!(!is_post_date("May 3, 2009", &dates));
    }

    #[test]
    fn other_threads_headings_are_whole_lines() {
        for heading in [
            "Similar threads",
            "Explore related questions",
            "Related discussions:",
        ] {
            assert!(heads_other_threads(heading), "{heading}");
        }
        for line in [
            "Recommended Posts",
            "Similar threads were closed last week.",
        ] {
            assert!(!heads_other_threads(line), "{line}");
        }
    }
}
