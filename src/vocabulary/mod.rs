//! The one vocabulary of boilerplate: class/id hints and paragraph phrases,
//! in many languages. Tuning the generic extractor is editing these lists.

mod forward_set;
mod hint_lists;
mod literals;
mod phrases;

use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::sync::LazyLock;

pub use hint_lists::{
    BOILERPLATE_HINTS, CHROME_HINTS, COMMENT_HINTS, CONTENT_HINTS, KICKER_HINTS, LEAD_HINTS,
    WEAK_CHROME_HINTS,
};
pub use literals::LiteralSet;
pub use phrases::{
    is_boilerplate_paragraph, is_hard_tail_marker, is_login_heading, is_tail_marker,
    BOILERPLATE_PARAGRAPHS, BYLINE_PREFIXES, CONSENT_ACTIONS, CONSENT_TERMS, HARD_TAIL_MARKERS,
    LOGIN_HEADINGS, TAIL_MARKERS,
};

/// True when a class or id names a comment section (see [`COMMENT_HINTS`]).
pub fn is_comment_element(class: Option<&str>, id: Option<&str>) -> bool {
    [class, id].into_iter().flatten().any(|attr| {
        attr.split_ascii_whitespace().any(|token| {
            let lower = token.to_ascii_lowercase();
            COMMENT_HINTS.iter().any(|h| token_has_hint(&lower, h))
        })
    })
}

/// True when a class or id names an article lead (see [`LEAD_HINTS`]).
pub fn is_lead_element(class: Option<&str>, id: Option<&str>) -> bool {
    [class, id].into_iter().flatten().any(|attr| {
        attr.split_ascii_whitespace().any(|token| {
            let lower = token.to_ascii_lowercase();
            LEAD_HINTS.iter().any(|h| token_has_hint(&lower, h))
        })
    })
}

/// How strongly an element's class or id names chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChromeHint {
    /// No chrome hint (or content hints outweigh it).
    None,
    /// A weak hint: chrome unless the element holds prose.
    Weak,
    /// A strong hint: chrome unless it holds most of the page's prose.
    Strong,
}

/// What one class/id token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TokenKind {
    /// Boilerplate for scoring only ([`BOILERPLATE_HINTS`]).
    Scoring,
    /// [`WEAK_CHROME_HINTS`].
    Weak,
    /// [`CHROME_HINTS`].
    Strong,
}

/// Looked up once per class/id token part and prefix, so with a fast hash.
/// The table holds only our own words (pages only look up in it, never
/// insert), so a weak hash cannot be turned against it.
static HINTS: LazyLock<FxHashMap<&'static str, TokenKind>> = LazyLock::new(|| {
    let mut m = FxHashMap::default();
    for (list, kind) in [
        (BOILERPLATE_HINTS, TokenKind::Scoring),
        (WEAK_CHROME_HINTS, TokenKind::Weak),
        (CHROME_HINTS, TokenKind::Strong),
    ] {
        for h in list {
            m.insert(*h, kind);
        }
    }
    m
});

/// The first five bytes of every hint of five bytes or more: a token part
/// whose first five bytes are not among them starts with no such hint, so
/// [`token_kind`] looks up none of its prefixes.
static HINT_STARTS: LazyLock<FxHashSet<[u8; 5]>> = LazyLock::new(|| {
    HINTS
        .keys()
        .filter_map(|h| h.as_bytes().first_chunk::<5>().copied())
        .collect()
});

/// A literal set searched as substrings: a DFA walked byte by byte. The
/// class/id tokens it reads are a few bytes long, too short for a
/// prefilter's set-up to pay (with one, or as a regex, a search cost
/// several times more), or even the crate's search set-up (see
/// [`LiteralSet`]).
fn literal_set<I, P>(literals: I) -> LiteralSet
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    LiteralSet::new(literals, false)
}

/// Hyphenated hints (`read-more`), one literal set per kind.
static HYPHENATED: LazyLock<Vec<(LiteralSet, TokenKind)>> = LazyLock::new(|| {
    [TokenKind::Strong, TokenKind::Weak, TokenKind::Scoring]
        .into_iter()
        .filter_map(|kind| {
            let hints: Vec<&str> = HINTS
                .iter()
                .filter(|(h, k)| h.contains('-') && **k == kind)
                .map(|(h, _)| *h)
                .collect();
            (!hints.is_empty()).then(|| (literal_set(hints), kind))
        })
        .collect()
});

/// Content hints as one literal set (substring match).
static CONTENT: LazyLock<LiteralSet> = LazyLock::new(|| literal_set(CONTENT_HINTS));

/// The strongest hint a lower-cased class/id token carries: a hint equal to
/// one of its `-`/`_` parts, a hint of five or more letters that starts a
/// part (`related` in `relatedarticles`), or a hyphenated hint inside it.
fn token_kind(token: &str) -> Option<TokenKind> {
    if token == "header" {
        return Some(TokenKind::Strong);
    }
    let mut best: Option<TokenKind> = None;
    for part in token.split(['-', '_']) {
        if let Some(k) = HINTS.get(part) {
            best = best.max(Some(*k));
        }
        let may_start_a_hint = part
            .as_bytes()
            .first_chunk::<5>()
            .is_some_and(|start| HINT_STARTS.contains(start));
        if part.len() > 5 && may_start_a_hint {
            for l in 5..part.len() {
                if !part.is_char_boundary(l) {
                    continue;
                }
                if let Some(k) = HINTS.get(&part[..l]) {
                    best = best.max(Some(*k));
                }
            }
        }
    }
    if token.contains('-') {
        for (re, k) in HYPHENATED.iter() {
            if Some(*k) > best && re.is_match(token) {
                best = Some(*k);
            }
        }
    }
    best
}

/// True when a class/id token names boilerplate (whole parts of the token,
/// so `header` matches `site-header` but `ads` does not match `heads`).
pub fn token_has_hint(token: &str, hint: &str) -> bool {
    token
        .split(['-', '_'])
        .any(|part| part == hint || (hint.len() >= 5 && part.starts_with(hint)))
        || (hint.contains('-') && token.contains(hint))
}

/// An element's class/id read once: the chrome hint and the scoring weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassHints {
    /// Whether (and how strongly) it names chrome.
    pub chrome: ChromeHint,
    /// Scoring weight: -25 per boilerplate token, +25 per content token,
    /// clamped to -50..=50.
    pub weight: i32,
}

/// Attribute values whose [`HintCounts`] a thread remembers.
const HINT_MEMO_LIMIT: usize = 4096;

/// Class/id tokens whose [`TokenHint`] a thread remembers.
const TOKEN_MEMO_LIMIT: usize = 16384;

thread_local! {
    /// Attribute value → its counts, per thread (see [`HintCounts::of`]).
    static HINT_MEMO: RefCell<FxHashMap<Box<str>, HintCounts>> = RefCell::default();
    /// Token (as written, any case) → what it names, per thread (see
    /// [`HintCounts::count`]).
    static TOKEN_MEMO: RefCell<FxHashMap<Box<str>, TokenHint>> = RefCell::default();
}

/// What one class/id token counts as in [`HintCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenHint {
    /// A hint of this kind (see [`token_kind`]).
    Kind(TokenKind),
    /// No boilerplate hint, but a content hint.
    Content,
    /// Nothing.
    Nothing,
}

impl TokenHint {
    /// Reads one token (any case) against the vocabulary.
    fn of(token: &str, lower: &mut String) -> Self {
        lower.clear();
        lower.push_str(token);
        lower.make_ascii_lowercase();
        match token_kind(lower) {
            Some(k) => Self::Kind(k),
            None if CONTENT.is_match(lower.as_str()) => Self::Content,
            None => Self::Nothing,
        }
    }
}

/// Token counts of one class or id attribute, by what they name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HintCounts {
    strong: i32,
    weak: i32,
    scoring: i32,
    content: i32,
}

impl HintCounts {
    /// Counts the tokens of one attribute value.
    ///
    /// A page repeats the same few class values on thousands of elements,
    /// so each thread remembers the counts of the values it has read
    /// (at most [`HINT_MEMO_LIMIT`] of them, then it starts afresh).
    pub fn of(attr: &str) -> Self {
        if attr.is_empty() || attr.len() > 512 {
            return Self::default();
        }
        HINT_MEMO.with(|memo| {
            if let Some(c) = memo.borrow().get(attr) {
                return *c;
            }
            let c = Self::count(attr);
            let mut memo = memo.borrow_mut();
            if memo.len() >= HINT_MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(attr.into(), c);
            c
        })
    }

    /// [`HintCounts::of`] without the memo of whole values.
    ///
    /// Values the attribute memo misses are mostly new combinations of
    /// tokens it has seen (utility classes, `post-123` beside `post`), so
    /// each thread also remembers what each token names (at most
    /// [`TOKEN_MEMO_LIMIT`] tokens, then it starts afresh).
    fn count(attr: &str) -> Self {
        TOKEN_MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            let mut c = Self::default();
            let mut lower = String::new();
            for token in attr.split_ascii_whitespace() {
                let hint = match memo.get(token) {
                    Some(h) => *h,
                    None => {
                        let h = TokenHint::of(token, &mut lower);
                        if memo.len() >= TOKEN_MEMO_LIMIT {
                            memo.clear();
                        }
                        memo.insert(token.into(), h);
                        h
                    }
                };
                c.add(hint);
            }
            c
        })
    }

    /// [`HintCounts::count`] without any memo (the reference it must equal).
    #[cfg(test)]
    fn count_afresh(attr: &str) -> Self {
        let mut c = Self::default();
        let mut lower = String::new();
        for token in attr.split_ascii_whitespace() {
            c.add(TokenHint::of(token, &mut lower));
        }
        c
    }

    /// Counts one token.
    fn add(&mut self, hint: TokenHint) {
        match hint {
            TokenHint::Kind(TokenKind::Strong) => self.strong += 1,
            TokenHint::Kind(TokenKind::Weak) => self.weak += 1,
            TokenHint::Kind(TokenKind::Scoring) => self.scoring += 1,
            TokenHint::Content => self.content += 1,
            TokenHint::Nothing => {}
        }
    }

    /// The hints of an element whose class and id gave these counts.
    pub fn hints(self, other: Self) -> ClassHints {
        let strong = self.strong + other.strong;
        let weak = self.weak + other.weak;
        let scoring = self.scoring + other.scoring;
        let content = self.content + other.content;
        let chrome = if strong > content {
            ChromeHint::Strong
        } else if strong + weak > content {
            ChromeHint::Weak
        } else {
            ChromeHint::None
        };
        let weight = (25 * (content - strong - weak - scoring)).clamp(-50, 50);
        ClassHints { chrome, weight }
    }
}

/// Reads an element's class and id against the vocabulary.
pub fn class_hints(class: Option<&str>, id: Option<&str>) -> ClassHints {
    let c = class.map(HintCounts::of).unwrap_or_default();
    let i = id.map(HintCounts::of).unwrap_or_default();
    c.hints(i)
}

/// Classifies an element's class and id (see [`ChromeHint`]).
pub fn chrome_hint(class: Option<&str>, id: Option<&str>) -> ChromeHint {
    class_hints(class, id).chrome
}

/// Scores an element's class and id: negative for chrome, positive for content.
pub fn class_id_weight(class: Option<&str>, id: Option<&str>) -> i32 {
    class_hints(class, id).weight
}

/// True when an element's class or id names chrome to prune: more class
/// tokens name chrome ([`CHROME_HINTS`]) than name content. A bare `header`
/// token is chrome; `article-header` is not (it may hold the lead).
pub fn is_chrome_element(class: Option<&str>, id: Option<&str>) -> bool {
    chrome_hint(class, id) == ChromeHint::Strong
}

/// True when an element's class or id marks it as page chrome.
pub fn is_boilerplate_element(class: Option<&str>, id: Option<&str>) -> bool {
    class_id_weight(class, id) < 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_hint_counts_are_the_counted_ones() {
        let values = [
            "site-header nav",
            "Article-Body content",
            "sidebar",
            "",
            "post entry-content",
        ];
        for v in values {
            let counted = HintCounts::count(v);
            assert_eq!(HintCounts::of(v), counted, "{v:?} first read");
            assert_eq!(HintCounts::of(v), counted, "{v:?} remembered");
        }
        assert!(HintCounts::of("site-header nav").strong > 0);
        // Past the memo's limit it starts afresh and still counts right.
        for i in 0..HINT_MEMO_LIMIT + 10 {
            let v = format!("c{i} sidebar");
            assert_eq!(HintCounts::of(&v), HintCounts::count(&v));
        }
        assert_eq!(HintCounts::of("sidebar"), HintCounts::count("sidebar"));
    }

    #[test]
    fn remembered_token_hints_are_the_read_ones() {
        // The same tokens in new combinations and cases, read twice (the
        // second time from the token memo), equal a reading afresh.
        let values = [
            "Site-Header nav",
            "nav site-header",
            "NAV Sidebar article-body",
            "post-123 entry-content related-posts",
            "entry-content",
            "read-more-link share_buttons",
        ];
        for _ in 0..2 {
            for v in values {
                assert_eq!(HintCounts::count(v), HintCounts::count_afresh(v), "{v:?}");
            }
        }
        assert_eq!(
            HintCounts::count("Site-Header nav"),
            HintCounts {
                strong: 2,
                weak: 0,
                scoring: 0,
                content: 0
            }
        );
        // Past the token memo's limit it starts afresh and still reads right.
        for i in 0..TOKEN_MEMO_LIMIT + 10 {
            let v = format!("t{i} sidebar");
            assert_eq!(HintCounts::count(&v), HintCounts::count_afresh(&v));
        }
    }

    #[test]
    fn phrases_in_several_languages() {
        for p in [
            "READ  Will Smith risponde al divieto",
            "Leggi anche: il resto",
            "Lascia un commento",
            "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *",
            "Leave a Reply",
            "Lesen Sie auch: Mehr",
            "Beitragsbild: Titelseite der FAZ vom 2.4.2019, Ausriss.",
            "(Credit: Clayton Aldern / Grist)",
            "Fanden Sie diesen Artikel nützlich?",
            "© 2024 Il Blog",
            "Friso Gentsch/dpa",
            "Getty Images",
            "► Read more: the tram line",
            "ALSO READ: the rest",
            "Lesen Sie hier: Was die Koalition plant",
            "Weiterlesen",
            "Das könnte Sie auch interessieren",
            "Zum Artikel",
            "Werbung",
            "Les også: Regjeringen legger fram budsjettet",
            "Czytaj też",
            "Le puede interesar: JEP abrirá tres nuevos macrocasos",
            "Voir aussi : la réforme des retraites",
            // captions ending in their credit
            "Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO",
            "Lee Elder war beim Masters 1975 der Zuschauermagnet. | © Augusta National/Getty Images",
            "Roman Prymula, photo: Archives du Gouvernement tchèque",
            "Courtesy of brand",
            "The new bridge at dusk. Courtesy of the city archive",
            "*Werbung. Dieser Beitrag enthält Werbung für eine Marke.",
            "ANZEIGE - Heute mal ausgehen?",
            "This article is the copyrighted property of the Daily Planet.",
            "The Daily Planet is not responsible for the opinions of contributors.",
            // placeholders of embeds waiting for consent
            "An dieser Stelle findest du einen externen Inhalt von YouTube, der den Artikel ergänzt.",
            "Ein Klick für den Datenschutz",
            "This content is provided by a third party and may use cookies.",
            "To view this video, please enable JavaScript",
        ] {
            assert!(is_boilerplate_paragraph(p), "{p}");
        }
        assert!(!is_boilerplate_paragraph(
            "Reading the news is good for you."
        ));
        assert!(!is_boilerplate_paragraph(
            "„Read my lips“, sagte er, und alle lachten."
        ));
        assert!(!is_boilerplate_paragraph("Werbung ist teuer geworden."));
        assert!(!is_boilerplate_paragraph(
            "Dopo l’incontro di Lavrov, Blinken ha avvertito"
        ));
        assert!(!is_boilerplate_paragraph("Bild: so titelte die Zeitung am Montag, und der Streit zwischen den Parteien im Landtag begann erneut, heftiger als zuvor."));
        assert!(!is_boilerplate_paragraph(
            "AFP, MANILA, Philippines, said on Monday that the talks would resume."
        ));
        assert!(!is_boilerplate_paragraph(
            "An dieser Stelle findet sich ein Denkmal für die Opfer des Krieges."
        ));
        assert!(!is_boilerplate_paragraph(
            "Er sagte der Bild: Wir machen weiter"
        ));
        assert!(!is_boilerplate_paragraph(
            "The Foundation's photo: a long sentence follows here. And then another one."
        ));
        assert!(!is_boilerplate_paragraph(
            "Werbung – Zielgruppe und Bedürfnisse"
        ));
        assert!(is_tail_marker("Ähnliche Beiträge"));
        assert!(is_tail_marker("Vous aimerez aussi"));
        assert!(is_tail_marker("Zum Weiterlesen:"));
        assert!(is_tail_marker("Weitere Tourentipps in Schweden"));
        assert!(is_tail_marker(
            "Sie könnten auch an folgenden Artikeln interessiert sein"
        ));
        assert!(!is_tail_marker(
            "Weitere Tourentipps in Schweden gibt es im Heft."
        ));
        assert!(is_hard_tail_marker("About the author"));
        assert!(!is_hard_tail_marker(
            "About the author's new novel, critics disagree"
        ));
        assert!(!is_tail_marker(
            "Related stories of the war are told by the survivors"
        ));
    }

    #[test]
    fn class_hints() {
        assert!(class_id_weight(Some("entry-content"), None) > 0);
        assert!(class_id_weight(Some("share-bar"), None) < 0);
        assert!(class_id_weight(None, Some("comments")) < 0);
        assert_eq!(class_id_weight(Some("heads"), None), 0);
        assert!(is_chrome_element(Some("share-bar"), None));
        assert!(is_chrome_element(None, Some("header")));
        assert!(!is_chrome_element(Some("article-header"), None));
        assert!(is_chrome_element(Some("relatedArticles"), None));
        assert!(!is_chrome_element(Some("entry-content has-share"), None));
        assert!(!is_chrome_element(Some("loading"), None));
    }
}
