//! Repeated siblings, counted inside the page-type walk: for every element,
//! its children grouped by tag and class; the largest group and the number
//! of groups of 4 or more that hold links (an `<a>` among a child's first
//! 64 nodes, itself included, in document order).
//!
//! The walk tells [`SiblingGroups`] of every node it opens and closes, so
//! the groups need no walk of their own: a closing child knows its size
//! (nodes opened since it opened) and its first `<a>` (the first link
//! opened since it opened), and joins its parent's groups, which sit on top
//! of a shared stack (a child's own groups are gone by the time it closes).

use ego_tree::iter::Edge;
use markup5ever::{local_name, LocalName};
use scraper::node::Node;
use scraper::Html;

/// Nodes of a child, in document order from the child itself, within which
/// a link makes the child a linked one.
const LINK_REACH: usize = 64;

/// An open node with children: where it opened and what was seen before it.
struct Open {
    /// Its position in document order.
    pos: usize,
    /// An element (not a document or a fragment, whose children are
    /// grouped by no one).
    element: bool,
    /// Links opened before it.
    links_before: usize,
    /// Where its children's groups start in [`SiblingGroups::seen`].
    groups_from: usize,
}

/// A node that is no element and has no children: [`SiblingGroups::step`]
/// only counts its position.
fn is_plain_leaf(node: &ego_tree::NodeRef<'_, Node>) -> bool {
    !node.value().is_element() && !node.has_children()
}

/// One group of siblings: tag, first class value, size, and whether one of
/// them is linked.
type Group<'a> = (&'a LocalName, &'a str, usize, bool);

/// The running counts of the repeated sibling groups of a walk.
#[derive(Default)]
pub(super) struct SiblingGroups<'a> {
    /// Nodes opened so far (the next node's position).
    pos: usize,
    /// Positions of the `<a>` elements opened so far.
    links: Vec<usize>,
    /// The open elements, outermost first.
    open: Vec<Open>,
    /// The groups of the children of each open element, outermost first.
    seen: Vec<Group<'a>>,
    /// The largest group.
    max: usize,
    /// Linked groups of 4 or more.
    linked_groups: usize,
}

impl<'a> SiblingGroups<'a> {
    /// Tells the groups of one step of a walk.
    #[inline]
    pub(super) fn step(&mut self, edge: &Edge<'a, Node>) {
        // A leaf that is no element (a text, a comment: about half the
        // nodes) only takes a position, here without a call.
        match edge {
            Edge::Open(node) if is_plain_leaf(node) => self.pos += 1,
            Edge::Close(node) if is_plain_leaf(node) => {}
            _ => self.step_node(edge),
        }
    }

    /// [`Self::step`] for an element or a node with children.
    fn step_node(&mut self, edge: &Edge<'a, Node>) {
        match edge {
            Edge::Open(node) => {
                let pos = self.pos;
                self.pos += 1;
                let el = node.value().as_element();
                // A document or a template's fragment is opened too: its
                // children are no element's siblings.
                if el.is_some() || node.has_children() {
                    self.open.push(Open {
                        pos,
                        element: el.is_some(),
                        links_before: self.links.len(),
                        groups_from: self.seen.len(),
                    });
                }
                if el.is_some_and(|el| el.name.local == local_name!("a")) {
                    self.links.push(pos);
                }
            }
            Edge::Close(node) => {
                let Some(el) = node.value().as_element() else {
                    if node.has_children() {
                        self.open.pop();
                    }
                    return;
                };
                let Some(open) = self.open.pop() else {
                    return;
                };
                self.count_children(open.groups_from);
                let Some(parent) = self.open.last().filter(|p| p.element) else {
                    return;
                };
                let size = self.pos - open.pos;
                let linked = self
                    .links
                    .get(open.links_before)
                    .is_some_and(|&first| first < open.pos + size.min(LINK_REACH));
                // The first class attribute, by interned name.
                let class = el
                    .attrs
                    .iter()
                    .find_map(|(name, value)| {
                        (name.local == local_name!("class")).then_some(&**value)
                    })
                    .unwrap_or("");
                let name = &el.name.local;
                match self.seen[parent.groups_from..]
                    .iter_mut()
                    .find(|s| s.0 == name && s.1 == class)
                {
                    Some(s) => {
                        s.2 += 1;
                        s.3 |= linked;
                    }
                    None => self.seen.push((name, class, 1, linked)),
                }
            }
        }
    }

    /// Counts the groups of a closing element's children (from `from` in
    /// [`Self::seen`]) and forgets them.
    fn count_children(&mut self, from: usize) {
        for &(name, _, n, linked) in &self.seen[from..] {
            if matches!(
                *name,
                local_name!("option")
                    | local_name!("tr")
                    | local_name!("td")
                    | local_name!("th")
                    | local_name!("br")
                    | local_name!("p")
                    | local_name!("span")
                    | local_name!("script")
                    | local_name!("meta")
                    | local_name!("link")
            ) {
                continue;
            }
            self.max = self.max.max(n);
            if n >= 4 && linked {
                self.linked_groups += 1;
            }
        }
        self.seen.truncate(from);
    }

    /// Walks the subtrees the tree builder left detached from the document
    /// (the walk of the document does not reach them), then returns the
    /// largest group and the number of linked groups of 4 or more.
    pub(super) fn finish(mut self, doc: &'a Html) -> (usize, usize) {
        let root = doc.tree.root().id();
        for top in doc.tree.nodes().filter(|n| n.parent().is_none()) {
            if top.id() != root {
                for edge in top.traverse() {
                    self.step(&edge);
                }
            }
        }
        (self.max, self.linked_groups)
    }
}
