//! Pattern sets only asked whether a line matches one of them: a forward
//! lazy DFA alone.
//!
//! `regex::RegexSet` compiles for every set a reverse automaton, a PikeVM,
//! a backtracker and a prefilter besides its forward lazy DFA, to report
//! where matches are; `is_match` needs the forward DFA only, which builds
//! in well under half the time (the phrase sets were 1.4% of an extract
//! run's instructions, all of it start-up).

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind};
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;

/// Makes a search cache for the set's DFA.
type MakeCache = Box<dyn Fn() -> Cache + Send + Sync + RefUnwindSafe + UnwindSafe>;

/// A set of patterns asked only "does any match?", with the semantics of
/// `regex::RegexSet::is_match` (same syntax, Unicode on).
pub(super) struct ForwardSet {
    dfa: DFA,
    /// One lazy DFA cache per thread at a time.
    caches: Pool<Cache, MakeCache>,
    /// The patterns, for the fallback.
    patterns: Vec<String>,
    /// A `regex::RegexSet` of the same patterns, built only if the DFA ever
    /// fails a search (it cannot as configured: no Unicode word boundary,
    /// which the builder refuses, and a cache that never gives up).
    fallback: OnceLock<Option<regex::RegexSet>>,
}

impl ForwardSet {
    /// Compiles `patterns` (regex syntax) into one forward lazy DFA.
    pub(super) fn new<I, P>(patterns: I) -> Result<Self, String>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<str>,
    {
        let patterns: Vec<String> = patterns
            .into_iter()
            .map(|p| p.as_ref().to_string())
            .collect();
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .thompson(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_many(&patterns)
            .map_err(|e| format!("pattern set {patterns:?}: {e}"))?;
        let for_caches = dfa.clone();
        let make: MakeCache = Box::new(move || for_caches.create_cache());
        Ok(Self {
            dfa,
            caches: Pool::new(make),
            patterns,
            fallback: OnceLock::new(),
        })
    }

    /// True when any pattern matches somewhere in `text`.
    pub(super) fn is_match(&self, text: &str) -> bool {
        let mut cache = self.caches.get();
        match self
            .dfa
            .try_search_fwd(&mut cache, &Input::new(text).earliest(true))
        {
            Ok(found) => found.is_some(),
            Err(_) => self
                .fallback
                .get_or_init(|| regex::RegexSet::new(&self.patterns).ok())
                .as_ref()
                .is_some_and(|set| set.is_match(text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_as_a_regex_set_does() {
        let patterns = [
            r"^(Read more|Leggi anche)\s*:",
            r"^\(?(Foto|Bild)\s*:\s*.{1,10}$",
            r"^Share this(?-u:\b).{0,5}$",
            r"^(?i:vea también)\s*[:?]",
            r"inside",
        ];
        let set = ForwardSet::new(patterns).unwrap();
        let reference = regex::RegexSet::new(patterns).unwrap();
        for text in [
            "Read more: this",
            "Read more this",
            "Foto: dpa",
            "(Bild: zu lang für zehn)",
            "Bild: ÄÖÜäöüßéè",
            "Bild: ÄÖÜäöüßéèxy",
            "Share this",
            "Share this story",
            "Share thistle",
            "VEA TAMBIÉN: x",
            "a line with inside it",
            "",
            "nothing at all",
        ] {
            assert_eq!(set.is_match(text), reference.is_match(text), "{text:?}");
        }
        assert!(set.is_match("Bild: ÄÖÜäöüßéè"));
        assert!(!set.is_match("Bild: ÄÖÜäöüßéèxy"));
    }

    #[test]
    fn a_unicode_word_boundary_is_refused() {
        assert!(ForwardSet::new([r"\bword\b"]).is_err());
        assert!(ForwardSet::new([r"(?-u:\b)word(?-u:\b)"]).is_ok());
    }
}
