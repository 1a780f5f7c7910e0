//! What the page-type walk (the classifier's structure walk) learns of
//! each node, kept for the generic extractor's walk of the same nodes: the
//! character counts of each text node, and for each element the slot of
//! its class value among the page's distinct class values (see
//! [`crate::extract::classify::ClassHints`]). Each text is counted once
//! and each element's class value looked up once, where the two walks
//! each did it before.
//!
//! The table is dense: indexed by the node's position in the tree's node
//! array ([`node_index`]), so a read is an array load, not a hash look-up.
//! A node the first walk did not reach (inside `<head>`, a `<script>` or a
//! `<template>`) has no entry: its reader counts or looks it up itself.

use std::hash::{Hash, Hasher};

use ego_tree::{NodeId, Tree};
use scraper::Node;

use super::generic::text_count::TextCount;

/// No class slot recorded (see [`NodeFacts::class_slot`]).
const NO_SLOT: u32 = u32::MAX;

/// A text node's counts, or none yet ([`Self::UNKNOWN`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    chars: u32,
    punct: u32,
    wide: u32,
}

impl Counts {
    /// Not counted by the first walk. (No text of a page within the input
    /// limit has `u32::MAX` characters.)
    const UNKNOWN: Self = Self {
        chars: u32::MAX,
        punct: 0,
        wide: 0,
    };
}

/// The facts of one page's nodes (see the module documentation). The
/// default table is empty: it records nothing and knows nothing, so every
/// reader falls back to its own counting.
#[derive(Debug, Default)]
pub struct NodeFacts {
    /// Per node index: the counts of a text node.
    texts: Vec<Counts>,
    /// Per node index: the slot of an element's class value.
    class_slots: Vec<u32>,
    /// Distinct class values given a slot (slots are `0..slots`).
    slots: u32,
}

impl NodeFacts {
    /// An empty table for the nodes of `tree`, to be filled by its walk.
    pub fn for_tree(tree: &Tree<Node>) -> Self {
        let len = tree.values().len();
        Self {
            texts: vec![Counts::UNKNOWN; len],
            class_slots: vec![NO_SLOT; len],
            slots: 0,
        }
    }

    /// Whether the table was made for `tree` (a table of another page
    /// would be read wrong; an empty one is never read).
    pub fn fits(&self, tree: &Tree<Node>) -> bool {
        !self.texts.is_empty() && self.texts.len() == tree.values().len()
    }

    /// Records the counts of text node `id`.
    pub(crate) fn record_text(&mut self, id: NodeId, n: TextCount) {
        if let Some(entry) = self.texts.get_mut(node_index(id)) {
            // Truncated as the generic walk's counts always were.
            *entry = Counts {
                chars: n.chars as u32,
                punct: n.punct as u32,
                wide: n.wide as u32,
            };
        }
    }

    /// The counts of text node `id`, when recorded.
    pub(crate) fn text(&self, id: NodeId) -> Option<TextCount> {
        let c = self.texts.get(node_index(id))?;
        (*c != Counts::UNKNOWN).then_some(TextCount {
            chars: c.chars as usize,
            punct: c.punct as usize,
            wide: c.wide as usize,
        })
    }

    /// Records that element `id`'s only class value has `slot`.
    pub fn record_class(&mut self, id: NodeId, slot: u32) {
        if let Some(entry) = self.class_slots.get_mut(node_index(id)) {
            *entry = slot;
            self.slots = self.slots.max(slot.saturating_add(1));
        }
    }

    /// The slot of element `id`'s class value, when recorded: two elements
    /// with the same slot have the same class value.
    pub fn class_slot(&self, id: NodeId) -> Option<u32> {
        self.class_slots
            .get(node_index(id))
            .copied()
            .filter(|&s| s != NO_SLOT)
    }

    /// The number of class slots (one past the largest recorded).
    pub fn slots(&self) -> usize {
        self.slots as usize
    }
}

/// The position of a node in its tree's node array, in `0..len`.
///
/// ego_tree's `NodeId` is that position plus one, kept private; its `Hash`
/// writes the number as one `usize`, which this reads back. (Were that to
/// change, the test below fails; a number out of the table's range reads
/// as no entry.)
pub(crate) fn node_index(id: NodeId) -> usize {
    /// A hasher that keeps the last `usize` written.
    struct LastUsize(usize);
    impl Hasher for LastUsize {
        fn finish(&self) -> u64 {
            self.0 as u64
        }
        fn write(&mut self, _: &[u8]) {
            self.0 = 0;
        }
        fn write_usize(&mut self, n: usize) {
            self.0 = n;
        }
    }
    let mut h = LastUsize(0);
    id.hash(&mut h);
    h.0.wrapping_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::generic::text_count;
    use crate::parse::parse_document;

    #[test]
    fn node_indexes_are_positions_in_the_node_array() {
        let doc = parse_document("<p>One <b>two</b></p><!-- c --><ul><li>three</li></ul>");
        for (i, node) in doc.tree.nodes().enumerate() {
            assert_eq!(node_index(node.id()), i);
        }
    }

    #[test]
    fn facts_are_read_back_for_their_tree_only() {
        let doc = parse_document("<p class=a>One <b class=b>two</b></p><i>three</i>");
        let mut facts = NodeFacts::for_tree(&doc.tree);
        assert!(facts.fits(&doc.tree));
        let texts: Vec<_> = doc.tree.nodes().filter(|n| n.value().is_text()).collect();
        let first = texts[0];
        let counted = text_count::count("One ");
        facts.record_text(first.id(), counted);
        assert_eq!(facts.text(first.id()), Some(counted));
        assert_eq!(facts.text(texts[1].id()), None);
        let b = doc
            .tree
            .nodes()
            .find(|n| n.value().as_element().is_some_and(|e| e.name() == "b"));
        let b = b.expect("b element").id();
        assert_eq!(facts.class_slot(b), None);
        facts.record_class(b, 3);
        assert_eq!((facts.class_slot(b), facts.slots()), (Some(3), 4));

        let other = parse_document("<p>x</p>");
        assert!(!facts.fits(&other.tree));
        assert!(!NodeFacts::default().fits(&doc.tree));
        // An empty table records nothing.
        let mut empty = NodeFacts::default();
        empty.record_text(first.id(), counted);
        assert_eq!(empty.text(first.id()), None);
    }
}
