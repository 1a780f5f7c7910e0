//! The one vocabulary of boilerplate: class/id hints and paragraph phrases,
//! in many languages. Tuning the generic extractor is editing these lists.

mod forward_set;
mod hint_lists;
mod literals;
mod phrases;
mod token_hints;

use rustc_hash::FxHashMap;
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
use token_hints::{Rule, TokenEvent, TokenHints};

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
    // The whole value in one walk: whitespace ends a token as `-` ends a part.
    [class, id].into_iter().flatten().any(|attr| LEAD.any(attr))
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

/// Every chrome hint (with its kind) and content hint, read against a
/// token in one walk (see [`TokenHints`]). A token's kind is the strongest
/// of its chrome hints ([`Rule::Part`]: `related` in `relatedarticles`,
/// not `ads` in `heads`); a content hint counts anywhere in it.
static TOKEN_HINTS: LazyLock<TokenHints<TokenHint>> = LazyLock::new(|| {
    let chrome = HINTS
        .iter()
        .map(|(h, k)| (*h, Rule::Part, TokenHint::Kind(*k)));
    let content = CONTENT_HINTS
        .iter()
        .map(|h| (*h, Rule::Anywhere, TokenHint::Content));
    TokenHints::new(chrome.chain(content))
});

/// [`LEAD_HINTS`] as one set (see [`is_lead_element`]).
static LEAD: LazyLock<TokenHints<()>> =
    LazyLock::new(|| TokenHints::new(LEAD_HINTS.iter().map(|h| (*h, Rule::Part, ()))));

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

thread_local! {
    /// Attribute value → its counts, per thread (see [`HintCounts::of`]).
    static HINT_MEMO: RefCell<FxHashMap<Box<str>, HintCounts>> = RefCell::default();
}

/// What one class/id token counts as in [`HintCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenHint {
    /// A chrome hint of this kind.
    Kind(TokenKind),
    /// No boilerplate hint, but a content hint.
    Content,
    /// Nothing.
    Nothing,
}

impl TokenHint {
    /// Reads one token (any case) against the vocabulary: the strongest
    /// chrome hint it carries (a bare `header` is strong), else a content
    /// hint, else nothing.
    #[cfg(test)]
    fn of(token: &str) -> Self {
        let mut best: Option<TokenKind> = None;
        let mut content = false;
        TOKEN_HINTS.for_each(token, |hint| match hint {
            Self::Kind(k) => best = best.max(Some(k)),
            _ => content = true,
        });
        Self::from_found(token, best, content)
    }

    /// What a token names, given the strongest chrome hint found in it and
    /// whether a content hint was (see [`TokenHint::of`]).
    fn from_found(token: &str, best: Option<TokenKind>, content: bool) -> Self {
        if token.eq_ignore_ascii_case("header") {
            return Self::Kind(TokenKind::Strong);
        }
        match best {
            Some(k) => Self::Kind(k),
            None if content => Self::Content,
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

    /// [`HintCounts::of`] without the memo. (Tokens are not remembered:
    /// reading one in [`TOKEN_HINTS`] costs about what a table look-up of
    /// it would, and most tokens a memo misses are new anyway: ids.)
    fn count(attr: &str) -> Self {
        // Each token's hints as [`TokenHint::of`] reads them, in one walk
        // of the value.
        let mut c = Self::default();
        let mut best: Option<TokenKind> = None;
        let mut content = false;
        TOKEN_HINTS.for_each_token(attr, |event| match event {
            TokenEvent::Hint(TokenHint::Kind(k)) => best = best.max(Some(k)),
            TokenEvent::Hint(_) => content = true,
            TokenEvent::End(token) => {
                c.add(TokenHint::from_found(token, best.take(), content));
                content = false;
            }
        });
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
        // Measured, not kept (article19): CSS text utility classes
        // (`text-lg`, `md:text-5xl`, `text-gray-700`: Tailwind, Bootstrap)
        // count as content tokens here, so a promo box styled with four
        // of them gets +50 and can outscore a short article. Not counting
        // them, for candidates only (chrome and block features unchanged),
        // gained wcxb-dev's tuning articles (0.9511 -> 0.9527) but lost its
        // validation part (0.8754 -> 0.8749: typed and block extractors
        // read the generic body) and a generic validation snippet (0.9366
        // -> 0.9361); for every use of the weight it lost more (0.8745).
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

    /// What a token names by the rule as first written: each list's hints
    /// tried one by one ([`token_has_hint`]), a content hint anywhere.
    fn token_hint_by_the_rule(token: &str) -> TokenHint {
        let lower = token.to_ascii_lowercase();
        if lower == "header" {
            return TokenHint::Kind(TokenKind::Strong);
        }
        let best = HINTS
            .iter()
            .filter(|(h, _)| token_has_hint(&lower, h))
            .map(|(_, k)| *k)
            .max();
        match best {
            Some(k) => TokenHint::Kind(k),
            None if CONTENT_HINTS.iter().any(|h| lower.contains(h)) => TokenHint::Content,
            None => TokenHint::Nothing,
        }
    }

    #[test]
    fn tokens_read_in_one_walk_name_what_the_rule_says() {
        let mut tokens: Vec<String> = [
            "Site-Header",
            "header",
            "HEADER",
            "article-header",
            "relatedArticles",
            "unrelated",
            "heads",
            "post-123",
            "entry-content",
            "read-more-link",
            "share_buttons",
            "nav",
            "navbar",
            "main-nav",
            "col-md-4",
            "",
            "ad",
            "ads_slot",
            "loading",
            "sidebar-widget",
            "contenu-größe-nav",
            "x-ad-x",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        // Every hint alone, as a part, as a prefix and inside a word.
        for h in HINTS.keys().chain(CONTENT_HINTS) {
            tokens.extend([
                h.to_string(),
                h.to_uppercase(),
                format!("x-{h}"),
                format!("{h}_y"),
                format!("{h}s"),
                format!("z{h}"),
                format!("a-{h}ing-b"),
            ]);
        }
        for t in &tokens {
            assert_eq!(TokenHint::of(t), token_hint_by_the_rule(t), "{t:?}");
        }
        // A whole value, read in one walk, counts its tokens one by one.
        for (i, pair) in tokens.windows(3).enumerate() {
            let sep = [" ", "\t", "  ", "\n "][i % 4];
            let value = format!(" {}{sep}{}{sep}{}", pair[0], pair[1], pair[2]);
            let mut by_token = HintCounts::default();
            value
                .split_ascii_whitespace()
                .for_each(|t| by_token.add(token_hint_by_the_rule(t)));
            assert_eq!(HintCounts::count(&value), by_token, "{value:?}");
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
    }

    #[test]
    fn lead_elements_by_the_rule() {
        for v in [
            "article-lead",
            "Lead",
            "leader",
            "x abstract-y",
            "sub-headline",
            "post-subheadline2",
            "misleading",
            "teaser-text-box",
            "teaser text",
        ] {
            let by_rule = v.split_ascii_whitespace().any(|t| {
                let lower = t.to_ascii_lowercase();
                LEAD_HINTS.iter().any(|h| token_has_hint(&lower, h))
            });
            assert_eq!(is_lead_element(Some(v), None), by_rule, "{v:?}");
            assert_eq!(is_lead_element(None, Some(v)), by_rule, "{v:?}");
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
