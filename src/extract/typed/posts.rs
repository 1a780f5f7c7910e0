//! What in a forum thread's walked region belongs to its posts and what
//! does not: posters' signatures, and the comment sections beside the
//! posts (a Q&A site's remarks under its question and answers).

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

/// A poster's signature (`signature`, `memberSignature`,
/// `message-signature`, `post-signature` in a class or id): the same
/// lines under each of their posts, not what the post says.
pub(super) fn is_signature(el: &scraper::node::Element) -> bool {
    let named = |v: Option<&str>| v.is_some_and(|v| v.to_ascii_lowercase().contains("signature"));
    named(el.attr("class")) || named(el.attr("id")) || named(el.attr("data-role"))
}
