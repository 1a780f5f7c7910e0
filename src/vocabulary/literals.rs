//! A set of literals searched as substrings of short values (class and id
//! tokens), walking an Aho-Corasick DFA byte by byte.
//!
//! The crate's search API (`AhoCorasick::is_match`, `find_overlapping_iter`)
//! sets up a search per call (input checks, start state, the search loop's
//! dispatch), which costs more than the walk itself over values of a few
//! bytes; here a search is the bare loop over the DFA's transitions.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, PatternID};

/// Literals found anywhere in a value (see the module's doc).
#[derive(Debug)]
pub struct LiteralSet {
    dfa: DFA,
    start: StateID,
}

impl LiteralSet {
    /// The set of `literals`, matched in any ASCII case when
    /// `ascii_case_insensitive`.
    pub fn new<I, P>(literals: I, ascii_case_insensitive: bool) -> Self
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let dfa = DFA::builder()
            .ascii_case_insensitive(ascii_case_insensitive)
            .prefilter(false)
            .build(literals)
            .expect("literal sets are valid patterns");
        let start = dfa
            .start_state(Anchored::No)
            .expect("a DFA built unanchored has an unanchored start state");
        Self { dfa, start }
    }

    /// Whether a literal of the set occurs in `value`.
    pub fn is_match(&self, value: &str) -> bool {
        let mut sid = self.start;
        for &b in value.as_bytes() {
            sid = self.dfa.next_state(Anchored::No, sid, b);
            if self.dfa.is_special(sid) {
                if self.dfa.is_match(sid) {
                    return true;
                }
                if self.dfa.is_dead(sid) {
                    return false;
                }
            }
        }
        false
    }

    /// Calls `found` with every literal occurring in `value`, once per
    /// occurrence, overlapping ones included (as `find_overlapping_iter`).
    pub fn for_each_match(&self, value: &str, mut found: impl FnMut(PatternID)) {
        let mut sid = self.start;
        for &b in value.as_bytes() {
            sid = self.dfa.next_state(Anchored::No, sid, b);
            if self.dfa.is_special(sid) {
                if self.dfa.is_match(sid) {
                    for i in 0..self.dfa.match_len(sid) {
                        found(self.dfa.match_pattern(sid, i));
                    }
                } else if self.dfa.is_dead(sid) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    #[test]
    fn matches_as_the_crate_search_does() {
        let literals = ["post", "postid", "tid-", "card", "car", "ca", "-x"];
        let reference = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(literals)
            .unwrap();
        let set = LiteralSet::new(literals, true);
        for value in [
            "",
            "c",
            "single-POSTID-5",
            "product-card",
            "scar",
            "a-x",
            "nothing here",
            "ca",
            "Ca-Xpostidcard",
        ] {
            assert_eq!(set.is_match(value), reference.is_match(value), "{value:?}");
            let mut got = Vec::new();
            set.for_each_match(value, |p| got.push(p));
            let want: Vec<PatternID> = reference
                .find_overlapping_iter(value)
                .map(|m| m.pattern())
                .collect();
            assert_eq!(got, want, "{value:?}");
        }
        // Case-sensitive when asked.
        let set = LiteralSet::new(literals, false);
        assert!(!set.is_match("CARD") && set.is_match("card"));
    }
}
