//! A hint list read against class/id tokens in one walk of a DFA.
//!
//! A class/id token carries a hint when the hint is one of its `-`/`_`
//! parts, starts a part and is five bytes or longer (`related` in
//! `relatedarticles`), or is hyphenated and occurs anywhere in it (see
//! [`super::token_has_hint`]). Looking each part and each of its prefixes
//! up in a table, and each hyphenated hint in the token, costs a hash per
//! prefix and a walk per list; here every hint of a list is found in one
//! walk of an Aho-Corasick DFA over the token, each occurrence then checked
//! against the part boundaries around it.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::Anchored;

/// How a hint must sit in a token to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// As a whole part, or at the start of a part when five bytes or
    /// longer; a hyphenated hint anywhere.
    Part,
    /// Anywhere in the token (a substring).
    Anywhere,
}

/// One hint of a [`TokenHints`] set.
#[derive(Debug)]
struct Hint<V> {
    len: usize,
    /// The (rule, value) pairs of the lists that hold this literal.
    entries: Vec<(Rule, V)>,
}

/// Hints matched in any ASCII case against class/id tokens (see the
/// module's doc).
#[derive(Debug)]
pub struct TokenHints<V> {
    dfa: DFA,
    start: StateID,
    hints: Vec<Hint<V>>,
}

/// What [`TokenHints::for_each_token`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenEvent<'t, V> {
    /// A hint in the current token.
    Hint(V),
    /// The end of a token (the token itself).
    End(&'t str),
}

/// Bytes that end a part of a class/id token (or the token itself, when a
/// whole attribute value is read).
fn is_part_boundary(b: u8) -> bool {
    b == b'-' || b == b'_' || b.is_ascii_whitespace()
}

impl<V: Copy> TokenHints<V> {
    /// The set of `hints` (lower-case ASCII literals), each with its rule
    /// and the value it reports.
    pub fn new(hints: impl IntoIterator<Item = (&'static str, Rule, V)>) -> Self {
        let mut literals: Vec<&'static str> = Vec::new();
        let mut table: Vec<Hint<V>> = Vec::new();
        for (literal, rule, value) in hints {
            // A hyphenated hint spans parts: it counts anywhere.
            let rule = if literal.contains('-') {
                Rule::Anywhere
            } else {
                rule
            };
            match literals.iter().position(|l| *l == literal) {
                Some(i) => table[i].entries.push((rule, value)),
                None => {
                    literals.push(literal);
                    table.push(Hint {
                        len: literal.len(),
                        entries: vec![(rule, value)],
                    });
                }
            }
        }
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&literals)
            .expect("hint lists are valid patterns");
        let start = dfa
            .start_state(Anchored::No)
            .expect("a DFA built unanchored has an unanchored start state");
        Self {
            dfa,
            start,
            hints: table,
        }
    }

    /// Calls `found` with the value of every hint `token` carries, once
    /// per occurrence. `token` may be a whole attribute value: ASCII
    /// whitespace separates its tokens as `-` and `_` separate parts.
    pub fn for_each(&self, token: &str, mut found: impl FnMut(V)) {
        let bytes = token.as_bytes();
        let mut sid = self.start;
        for (i, &b) in bytes.iter().enumerate() {
            sid = self.dfa.next_state(Anchored::No, sid, b);
            if !self.dfa.is_special(sid) {
                continue;
            }
            if self.dfa.is_dead(sid) {
                return;
            }
            if !self.dfa.is_match(sid) {
                continue;
            }
            self.matches_ending_at(sid, bytes, i + 1, &mut found);
        }
    }

    /// The values of the hints matched in state `sid`, which ends at byte
    /// `end` of `bytes`, that their rule counts there (a part hint needs
    /// a part boundary before it, and after it when shorter than 5 bytes).
    #[inline]
    fn matches_ending_at(&self, sid: StateID, bytes: &[u8], end: usize, found: &mut impl FnMut(V)) {
        for m in 0..self.dfa.match_len(sid) {
            let hint = &self.hints[self.dfa.match_pattern(sid, m).as_usize()];
            let start = end - hint.len;
            let starts_part = start == 0 || is_part_boundary(bytes[start - 1]);
            let ends_part = end == bytes.len() || is_part_boundary(bytes[end]);
            for &(rule, value) in &hint.entries {
                let counts = match rule {
                    Rule::Anywhere => true,
                    Rule::Part => starts_part && (hint.len >= 5 || ends_part),
                };
                if counts {
                    found(value);
                }
            }
        }
    }

    /// [`TokenHints::for_each`] over a whole attribute value, told where
    /// its tokens end: `event` gets [`TokenEvent::Hint`] for each hint in a
    /// token, then [`TokenEvent::End`] with the token (one walk of the
    /// value, where splitting it at whitespace first walked it twice).
    pub fn for_each_token<'t>(&self, value: &'t str, mut event: impl FnMut(TokenEvent<'t, V>)) {
        let bytes = value.as_bytes();
        let mut sid = self.start;
        let mut token_start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if b.is_ascii_whitespace() {
                if token_start < i {
                    event(TokenEvent::End(&value[token_start..i]));
                }
                token_start = i + 1;
                // No hint holds whitespace: the walk starts afresh.
                sid = self.start;
                continue;
            }
            sid = self.dfa.next_state(Anchored::No, sid, b);
            if !self.dfa.is_special(sid) || !self.dfa.is_match(sid) {
                continue;
            }
            self.matches_ending_at(sid, bytes, i + 1, &mut |value| {
                event(TokenEvent::Hint(value))
            });
        }
        if token_start < bytes.len() {
            event(TokenEvent::End(&value[token_start..]));
        }
    }

    /// Whether `token` carries a hint of the set.
    pub fn any(&self, token: &str) -> bool {
        let mut any = false;
        self.for_each(token, |_| any = true);
        any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule of [`Rule::Part`] as first written (per part and prefix).
    fn part_rule(token: &str, hint: &str) -> bool {
        let token = token.to_ascii_lowercase();
        token
            .split(['-', '_'])
            .any(|part| part == hint || (hint.len() >= 5 && part.starts_with(hint)))
            || (hint.contains('-') && token.contains(hint))
    }

    #[test]
    fn hints_count_as_the_part_rule_says() {
        let hints = ["nav", "related", "read-more", "ad", "share", "relatedpost"];
        let set = TokenHints::new(hints.iter().enumerate().map(|(i, h)| (*h, Rule::Part, i)));
        let anywhere = TokenHints::new([("post", Rule::Anywhere, 0)]);
        for token in [
            "",
            "nav",
            "NAV",
            "main-nav",
            "navbar",
            "relatedArticles",
            "unrelated",
            "x-read-more-link",
            "readmore",
            "ad_slot",
            "head",
            "shared",
            "share-ad",
            "relatedposts",
            "näv-ad",
            "ad-ad",
        ] {
            let mut got = vec![false; hints.len()];
            set.for_each(token, |i| got[i] = true);
            let want: Vec<bool> = hints.iter().map(|h| part_rule(token, h)).collect();
            assert_eq!(got, want, "{token:?}");
            assert_eq!(
                anywhere.any(token),
                token.to_ascii_lowercase().contains("post"),
                "{token:?}"
            );
        }
        // A whole attribute value: whitespace separates tokens.
        assert!(set.any("col-4 nav"));
        assert!(!set.any("heads col-4"));
        assert!(set.any("x\tad y"));
    }

    #[test]
    fn a_literal_in_two_lists_reports_both() {
        let set = TokenHints::new([("nav", Rule::Part, 1), ("nav", Rule::Anywhere, 2)]);
        let mut got = Vec::new();
        set.for_each("navbar", |v| got.push(v));
        assert_eq!(got, [2]);
        got.clear();
        set.for_each("top-nav", |v| got.push(v));
        assert_eq!(got, [1, 2]);
    }
}
