//! Pattern sets only asked whether a line matches one of them: a forward
//! lazy DFA alone.
//!
//! `regex::RegexSet` compiles for every set a reverse automaton, a PikeVM,
//! a backtracker and a prefilter besides its forward lazy DFA, to report
//! where matches are; `is_match` needs the forward DFA only, which builds
//! in well under half the time (the phrase sets were 1.4% of an extract
//! run's instructions, all of it start-up).
//!
//! Most of what is left of the build is compiling classes that hold every
//! non-ASCII character (`.`, `[^.!?]`) under bounded repetitions
//! (`.{0,200}`): each copy becomes a UTF-8 automaton of about a dozen
//! states. Such a class is compiled as one "character unit" of bytes
//! instead ([`with_char_units`]): same answers on any `&str`, a third of
//! the states.
//!
//! (Measured, not kept (speed21b): a full DFA built ahead of time and
//! loaded at start-up would cost nothing to build, but the determinised
//! paragraph set (`BOILERPLATE_PARAGRAPHS` and the comment
//! form lines) takes 1.6 GB: its bounded repetitions multiply states.)

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, Hir, HirKind, Repetition,
};
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;

/// Makes a search cache for the set's DFA.
type MakeCache = Box<dyn Fn() -> Cache + Send + Sync + RefUnwindSafe + UnwindSafe>;

/// A set of patterns asked only "does any match?", with the semantics of
/// `regex::RegexSet::is_match` (same syntax, Unicode on).
pub(super) struct ForwardSet {
    dfa: DFA,
    /// For each byte, whether a text opening with it can match
    /// ([`possible_first_bytes`]).
    first_bytes: [bool; 256],
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
        let error = |e: &dyn std::fmt::Display| format!("pattern set {patterns:?}: {e}");
        // (What `DFA::builder().build_many` does, with the patterns
        // rewritten between parsing and compiling.)
        let hirs = regex_automata::util::syntax::parse_many(&patterns).map_err(|e| error(&e))?;
        let hirs: Vec<Hir> = hirs.into_iter().map(with_char_units).collect();
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_many_from_hir(&hirs)
            .map_err(|e| error(&e))?;
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .map_err(|e| error(&e))?;
        let first_bytes = possible_first_bytes(&dfa);
        // (Measured, not kept (speed23): each thread's cache started as a
        // copy of the one `possible_first_bytes` filled, to determinise
        // the start state's transitions once. The searches' determinising
        // fell 15.75 M -> 15.14 M instructions over the publishers pages,
        // the copies cost 0.8 M: neutral.)
        let for_caches = dfa.clone();
        let make: MakeCache = Box::new(move || for_caches.create_cache());
        Ok(Self {
            dfa,
            first_bytes,
            caches: Pool::new(make),
            patterns,
            fallback: OnceLock::new(),
        })
    }

    /// True when any pattern matches somewhere in `text`.
    pub(super) fn is_match(&self, text: &str) -> bool {
        // A text whose first byte leads the search to the dead state does
        // not match: the answer the search would give, without its setup.
        if let Some(&first) = text.as_bytes().first() {
            if !self.first_bytes[usize::from(first)] {
                return false;
            }
        }
        let mut cache = self.caches.get();
        match self.walk(&mut cache, text) {
            Some(found) => found,
            None => self
                .fallback
                .get_or_init(|| regex::RegexSet::new(&self.patterns).ok())
                .as_ref()
                .is_some_and(|set| set.is_match(text)),
        }
    }

    /// Whether the DFA matches somewhere in `text`, walked byte by byte
    /// from its start state until it matches or dies (`None` when the DFA
    /// gives up or meets a quit byte: neither happens as configured).
    ///
    /// The DFA's own search (`try_search_fwd`) does the same with more
    /// setup per call (its input's checks, a prefilter, match offsets):
    /// most lines are rejected within a few bytes, where the setup was
    /// most of the cost.
    fn walk(&self, cache: &mut Cache, text: &str) -> Option<bool> {
        let mut state = self
            .dfa
            .start_state_forward(cache, &Input::new(text))
            .ok()?;
        // (Match states are delayed by one byte: a match ending at the end
        // of the text shows in the end-of-input transition.)
        for &byte in text.as_bytes() {
            state = self.dfa.next_state(cache, state, byte).ok()?;
            if state.is_tagged() {
                if state.is_match() {
                    return Some(true);
                }
                if state.is_dead() {
                    return Some(false);
                }
                if state.is_quit() {
                    return None;
                }
            }
        }
        let state = self.dfa.next_eoi_state(cache, state).ok()?;
        Some(state.is_match())
    }
}

/// `hir` with every class that holds all non-ASCII characters (`.`,
/// `[^)]`, `[^.!?]`) as a character unit of bytes: one of the class's
/// ASCII bytes or a UTF-8 lead byte, then any continuation bytes.
///
/// In valid UTF-8 (every text searched is a `&str`) such a unit matches
/// exactly one character of the class: a lead byte with the continuation
/// bytes after it is one non-ASCII character, all of which the class
/// holds; and as a unit never starts on a continuation byte, a match can
/// only end inside a character where it could as well end after it. So
/// whether a pattern matches somewhere is unchanged, while the unit
/// compiles to 3 states where the class's UTF-8 automaton takes about a
/// dozen, under repetitions such as `.{0,200}` that copy it each time.
fn with_char_units(hir: Hir) -> Hir {
    if !has_all_non_ascii_class(&hir) {
        return hir;
    }
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(class)) => char_unit(&class),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(with_char_units(*rep.sub)),
            ..rep
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(with_char_units(*cap.sub)),
            ..cap
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(with_char_units).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(with_char_units).collect())
        }
        // (Only the kinds above can hold such a class.)
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Class(class) => Hir::class(class),
    }
}

/// Whether `hir` holds a class that [`with_char_units`] rewrites (most
/// patterns hold none and are kept as parsed).
fn has_all_non_ascii_class(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => holds_all_non_ascii(class),
        kind => kind.subs().iter().any(has_all_non_ascii_class),
    }
}

/// Whether `class` holds every non-ASCII character (U+0080 to U+10FFFF,
/// surrogates aside: they are no characters).
fn holds_all_non_ascii(class: &ClassUnicode) -> bool {
    // The first code point from U+0080 on that the ranges (sorted,
    // disjoint) do not cover.
    let mut next = 0x80u32;
    for range in class.ranges() {
        let (start, end) = (u32::from(range.start()), u32::from(range.end()));
        if end < next {
            continue;
        }
        if start > next {
            break;
        }
        next = end + 1;
        if next == 0xD800 {
            next = 0xE000;
        }
    }
    next > 0x10FFFF
}

/// The character unit of a class that holds all non-ASCII characters
/// (see [`with_char_units`]).
fn char_unit(class: &ClassUnicode) -> Hir {
    let mut first: Vec<ClassBytesRange> = class
        .ranges()
        .iter()
        .filter_map(|r| {
            let start = u8::try_from(u32::from(r.start()))
                .ok()
                .filter(u8::is_ascii)?;
            let end = u8::try_from(u32::from(r.end()).min(0x7F)).ok()?;
            Some(ClassBytesRange::new(start, end))
        })
        .collect();
    first.push(ClassBytesRange::new(0xC0, 0xFF));
    let continuation = ClassBytes::new([ClassBytesRange::new(0x80, 0xBF)]);
    Hir::concat(vec![
        Hir::class(Class::Bytes(ClassBytes::new(first))),
        Hir::repetition(Repetition {
            min: 0,
            max: None,
            greedy: true,
            sub: Box::new(Hir::class(Class::Bytes(continuation))),
        }),
    ])
}

/// For each byte, whether a text opening with it can match: false when the
/// DFA goes from its start state (a search from the start of a text) to
/// the dead state on it, true otherwise (and for every byte when a state
/// cannot be computed).
///
/// The phrase sets are anchored at the start of a line (`^`), so most
/// lines are rejected by their first byte, without a cache from the pool
/// and a start state.
fn possible_first_bytes(dfa: &DFA) -> [bool; 256] {
    let mut possible = [true; 256];
    let mut cache = dfa.create_cache();
    let Ok(start) = dfa.start_state_forward(&mut cache, &Input::new("")) else {
        return possible;
    };
    for (byte, possible) in (0..=u8::MAX).zip(possible.iter_mut()) {
        if let Ok(next) = dfa.next_state(&mut cache, start, byte) {
            *possible = !next.is_dead();
        }
    }
    possible
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
            "x",
            "Rea",
            "(",
            "Ä",
        ] {
            assert_eq!(set.is_match(text), reference.is_match(text), "{text:?}");
        }
        assert!(set.is_match("Bild: ÄÖÜäöüßéè"));
        assert!(!set.is_match("Bild: ÄÖÜäöüßéèxy"));
    }

    #[test]
    fn the_walk_answers_as_the_search_does() {
        let patterns = [
            r"^(Read more|Leggi anche)\s*:",
            r"^\(?(Foto|Bild)\s*:\s*.{1,10}$",
            r"^Share this(?-u:\b).{0,5}$",
            r"^(?i:vea también)\s*[:?]",
            r"^x?$",
            r"inside",
        ];
        let set = ForwardSet::new(patterns).unwrap();
        for text in [
            "",
            "x",
            "xy",
            "Read more: this",
            "Read more",
            "Foto: dpa",
            "Foto: far too long to be a credit",
            "Share this",
            "Share this!",
            "Share thistle",
            "VEA TAMBIÉN?",
            "a line with inside it",
            "a line without",
        ] {
            let mut cache = set.dfa.create_cache();
            let searched = set
                .dfa
                .try_search_fwd(&mut cache, &Input::new(text).earliest(true))
                .unwrap()
                .is_some();
            assert_eq!(set.walk(&mut cache, text), Some(searched), "{text:?}");
        }
    }

    #[test]
    fn only_first_bytes_of_anchored_patterns_are_possible() {
        let anchored = ForwardSet::new([r"^(Read|Leggi)", r"^(?i:vea)", r"^\(?Foto"]).unwrap();
        let possible: Vec<u8> = (0..=u8::MAX)
            .filter(|&b| anchored.first_bytes[usize::from(b)])
            .collect();
        assert_eq!(possible, b"(FLRVv");
        // An unanchored pattern can start anywhere.
        let unanchored = ForwardSet::new([r"^Read", r"inside"]).unwrap();
        assert!(unanchored.first_bytes.iter().all(|&p| p));
    }

    #[test]
    fn classes_of_every_non_ascii_character_become_units() {
        let rewritten = |pattern: &str| {
            let hir = regex_automata::util::syntax::parse(pattern).unwrap();
            with_char_units(hir.clone()) != hir
        };
        for pattern in [".", "[^)]", "[^.!?]", "(?s:.)", "x.{0,3}$", "(a|[^b])"] {
            assert!(rewritten(pattern), "{pattern}");
        }
        for pattern in [
            r"\s",
            r"\w",
            "[a-zä]",
            r"[^\x{10FFFF}]",
            "(?-u:[a-z])",
            "abc",
        ] {
            assert!(!rewritten(pattern), "{pattern}");
        }
        // The units answer as the classes did, around the bounds of their
        // repetitions, on characters of one to four bytes.
        let patterns = [
            r"^©.{0,3}$",
            r"^[^.!?]{0,4} is not",
            r"^\((Foto|Bild)\s*:[^)]{1,3}\)$",
            r"^x.y",
            r"é.$",
        ];
        let set = ForwardSet::new(patterns).unwrap();
        let reference = regex::RegexSet::new(patterns).unwrap();
        for text in [
            "©",
            "©ä€𝄞",
            "©ä€𝄞x",
            "©\n",
            "©a\nb",
            "ä€𝄞 is not",
            "ä€𝄞x is not",
            "ä.€ is not",
            "(Foto:é€𝄞)",
            "(Foto:é€𝄞x)",
            "(Bild: ))",
            "xéy",
            "x\ny",
            "x€y",
            "x𝄞y",
            "xy",
            "éé",
            "é𝄞",
            "é",
            "aé\n",
            "",
        ] {
            assert_eq!(set.is_match(text), reference.is_match(text), "{text:?}");
        }
    }

    #[test]
    fn a_unicode_word_boundary_is_refused() {
        assert!(ForwardSet::new([r"\bword\b"]).is_err());
        assert!(ForwardSet::new([r"(?-u:\b)word(?-u:\b)"]).is_ok());
    }
}
