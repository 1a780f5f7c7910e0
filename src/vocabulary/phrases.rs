//! Paragraph phrases of boilerplate, in many languages: byline openers,
//! whole-paragraph widget texts (inline related links, comment forms,
//! share and subscribe calls) and the lines that announce a related tail.

use super::forward_set::ForwardSet;
use std::sync::LazyLock;

/// Words that introduce a byline ("By Jane Doe", "Di Mario Rossi"), as
/// regex alternatives.
pub const BYLINE_PREFIXES: &[&str] = &[
    "by",
    "written by",
    "words by",
    "di",
    "a cura di",
    "von",
    "par",
    "por",
    "door",
    "av",
    "af",
    "od",
    "autor",
    "autorin",
    "author",
    "text",
    "texto",
    "testo",
    "από",
    "від",
    "от",
    "tekst",
    "kirjoittaja",
    "yazan",
    "reportage",
    "redaktion",
    "redazione",
    "rédaction",
    "автор",
    "авторы",
    "автори",
    "yazar",
    "skrevet af",
    "skrevet av",
    "skrivet av",
    "geschreven door",
    "écrit par",
    "escrito por",
    "scritto da",
    "napisal",
    "napsal",
    "írta",
    "tác giả",
];

/// Paragraph patterns that are never article text: inline related links,
/// comment forms, share and subscribe calls, in several languages.
pub const BOILERPLATE_PARAGRAPHS: &[&str] = &[
    // after at most three marks (arrows, bullets, dashes), and before a
    // space, a mark or the end (an ASCII `\b` misses "også:"; Unicode
    // classes would triple the set's compile time)
    r#"^[\s►▶▸>•·*|#–—-]{0,3}(READ|Read|LEGGI|Leggi|LEGGI ANCHE|Leggi anche|Read more|READ MORE|Read also|Also read|ALSO READ|See also|Lesen Sie auch|Lesen Sie mehr|Lesen Sie hier|Weiterlesen|Mehr zum Thema|Auch interessant|Das könnte Sie auch interessieren|À lire aussi|A lire aussi|Lire aussi|Lea también|Lee también|Leia também|Leia mais|Czytaj też|Czytaj także|Läs också|Læs også|Les også|Lees ook|Lue myös|Le puede interesar|Te puede interesar|También te puede interesar|Puede interesarte|Te recomendamos|Mira también|Ver también|Voir aussi|Lisez aussi|Vedi anche|Leggi pure|Przeczytaj też|Przeczytaj także|Zobacz też|Zobacz także|Auch lesenswert|Passend zum Thema|Ebenfalls interessant)([\s:.,;!?)…–—/»›"-]|$)"#,
    r"^(Share|Teilen|Condividi|Partager|Compartir|Compartilhar|Del|Dela|Delen|Udostępnij)( this| on| su| sur| en| auf)?( article| story| post)?[:\s]*(Facebook|Twitter|X|WhatsApp|E-?mail|LinkedIn|Telegram|$)",
    r"^(Subscribe|Abonnieren|Iscriviti|Abonnez-vous|Suscríbete|Sign up) (to|for|zum|alla|à|a) (our|unseren|la nostra|notre|nuestro)? ?(newsletter|Newsletter)",
    r"^(Accept|Akzeptieren|Accetta|Accepter|Aceptar) (all )?(cookies|Cookies)",
    r"^(This|Questo|Diese) (site|website|sito) uses cookies",
    r"^(Advertisement|ADVERTISEMENT|Anzeige|Werbung|WERBUNG|Pubblicità|Publicité|Publicidad)$",
    r"^Zum Artikel$",
    // image credits and captions left as lines
    r"^\(?(Beitragsbild|Titelbild|Bildquelle|Bild|Fotos?|Photos?|Image|Credit|Crédit photo|Credito|Foto di copertina|Imagen|Zdjęcie)\s*:\s*.{1,90}$",
    r"^\((Credit|Foto|Photo|Image|Bild|Fotos?)\s*:[^)]{1,100}\)$",
    r"^Bild anzeigen Bild schließen$",
    // credits on a line of their own
    r"^((Photo|Image|Photograph|Picture)s? )?[Cc]ourtesy( of)?(?-u:\b).{0,60}$",
    // advertising disclosures opening a line ("*Werbung.", "ANZEIGE - ")
    r"^(\*(Werbung|Anzeige|Advertisement)|ANZEIGE|WERBUNG|ADVERTISEMENT)\s*[.:|–-]\s|^(Werbung|Anzeige)\.\s",
    // reprint and liability notices
    r"^(This (article|story|content|material) is (the )?(copyrighted|copyright|property)|Written permission (must|is required)|(Reproduction|Republication|Redistribution) (in whole or in part )?(is )?(strictly )?prohibited|Alle Angaben ohne Gewähr)",
    // (notices of a site not responsible for its comments, and photo agency
    // credits on a line of their own: see [`WORD_GATED_BOILERPLATE`])
    // feedback, share and subscription prompts
    r"^(Fanden Sie diesen Artikel (nützlich|hilfreich)|War dieser Artikel hilfreich|Was this (article|page|post) helpful|Möchten Sie (den|diesen) Artikel teilen|Artikel teilen|Share this( article| post| story)?)(?-u:\b).{0,40}$",
    r"^(If you (enjoyed|liked|appreciate) (reading )?this|Do you want to be informed|Sign up (here|now|for)|Gefällt (dir|Ihnen) unser|Unterstützen Sie unsere? |Support our (work|journalism)|Pour accéder en illimité|Abonnez-vous|Jetzt abonnieren|Zapraszamy (też )?do subskrypcji)",
    r"^(Klicken Sie auf den (unteren )?Button|Mit diesem Button|Mit dem Laden des Inhalts akzeptieren|Click (the button|here) to load|Ich bin damit einverstanden, dass mir (externe )?Inhalte|Empfohlener redaktioneller Inhalt|Externer Inhalt)",
    // placeholders of embeds that wait for consent (video, social posts)
    r"^(An dieser Stelle (findest du|finden Sie) (einen )?externen Inhalt|Ein Klick für den Datenschutz|Personenbezogene Daten können an Drittplattformen übermittelt werden|Wir benötigen Ihre Zustimmung,? um (den|diesen|externe) |Externe Inhalte (aktivieren|anzeigen|laden)|Zustimmen und (Inhalt )?laden|This (content|embed) is (provided|hosted) by a third[- ]party|To (view|see) this (content|video|embed),? (you need|please))",
    r"^(Ten tekst przeczytasz w|Lesezeit|Reading time|Temps de lecture|Tempo di lettura)(?-u:\b).{0,40}$",
    r"^(?i:vea también|mira|puedes ver|lea también|veja também|saiba mais|schon gelesen)\s*[:?]",
    r"^(Follow|Folgen Sie|Folge|Síguenos|Siga|Suivez)(?-u:\b).{0,60}(?-u:\b)(on|auf|en|no|sur) (Twitter|Facebook|Instagram|YouTube|Telegram|WhatsApp|Google News)(?-u:\b)",
    r"^(Subscribe|Suscríbete|Assine|Abonnieren Sie) (now|today|ahora|já|jetzt)(?-u:\b)",
    r"^For the latest (news|stories|updates|breaking news)(?-u:\b)",
    // copyright lines
    r"^(©|\(c\)|Copyright(?-u:\b)|Alle Rechte vorbehalten|All rights reserved|Tous droits réservés|Materiał chroniony prawem autorskim).{0,200}$",
];

/// Openings of login and sign-up headings ("Sign in", "Log in to your
/// account"), lower-case: a modal's heading, never a headline.
pub const LOGIN_HEADINGS: &[&str] = &[
    "sign in",
    "signin",
    "sign up",
    "log in",
    "login",
    "log on",
    "create an account",
    "create your account",
    "anmelden",
    "einloggen",
    "registrieren",
    "se connecter",
    "identifiez-vous",
    "accedi",
    "iscriviti",
    "iniciar sesión",
    "inicia sesión",
    "logg inn",
    "logga in",
    "log ind",
    "inloggen",
    "zaloguj",
];

/// True for a short login or sign-up heading (at most eight words
/// opening with one of [`LOGIN_HEADINGS`]).
pub fn is_login_heading(text: &str) -> bool {
    let t = text.trim();
    if t.split_whitespace().count() > 8 {
        return false;
    }
    let lower = t.to_lowercase();
    LOGIN_HEADINGS.iter().any(|h| {
        lower
            .strip_prefix(h)
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    })
}

/// Short lines after which the rest of a text is related links, shop
/// recommendations or further reading (matched near the end only).
pub const TAIL_MARKERS: &[&str] = &[
    r"(?i)^(ähnliche (beiträge|artikel|themen)|das (thema )?könnte (dich|sie) auch interessieren|mehr zum thema|weitere (artikel|beiträge|themen|informationen|tourentipps|nachrichten|meldungen)( (in|zu|zum|zur|aus|über|von) [^.!?]{1,30})?|zum weiterlesen|weiterführende (links|literatur|artikel|informationen)|(sie|du) (könnten|könntest) (auch|ebenfalls) [^.!?]{0,40}interessier(t|en)( sein)?|you (may|might) also be interested in|das könnte sie auch interessieren|empfehlungen aus|auch interessant|related( articles| posts| stories| content| reading)?|you (may|might) also (like|enjoy)|more (from|on|stories|articles)(?-u:\b)|read (more|next)(?-u:\b)|explore further|recommended( for you| articles)?|vous aimerez aussi|à lire (aussi|également)|sur le même sujet|leggi anche|potrebbe interessarti|ti potrebbe interessare|articoli correlati|te puede interesar|también te puede interesar|artículos relacionados|noticias relacionadas|zobacz (też|także)|przeczytaj (też|także)|czytaj (też|także|więcej)|läs (mer|också)|les (mer|også)|lees (meer|ook)|quellenangaben|quellen)\s*:?$",
];

/// Short lines that end the article wherever prose follows them: an
/// author box's heading, a reader comment section's heading and a feed of
/// recommendations (matched near the end only). Comments are prose, so unlike [`TAIL_MARKERS`] the text
/// after these never rescues them.
pub const HARD_TAIL_MARKERS: &[&str] = &[
    r"(?i)^(\d+\s+(comments?|kommentare?|commenti|commentaires?|comentarios?|comentários?|reacties|kommentarer|komentarzy?|коментарі|комментари[ейя])|(comments?|kommentare|commenti|commentaires|comentarios|reader comments|leserkommentare)\s*\(\d+\))\s*:?$",
    r"(?i)^(leave a (comment|reply)|post a comment|add (a |new )?comment|join the (discussion|conversation)|what do you think\??|schreibe einen kommentar|kommentar (schreiben|verfassen)|lascia un commento|laisser un commentaire|deja un comentario|deixe um comentário)\s*:?$",
    r"(?i)^(about the author|about the authors|über den autor|über die autorin|über die autoren|zum autor|zur autorin|sull'autore|à propos de l'auteur|sobre el autor|sobre la autora|sobre o autor|o autorze|over de auteur)\s*:?$",
    r"(?i)^(recommended for you|recommended stories|you (may|might) also (like|enjoy)|more (stories|articles|news) (for you|from us|like this)|most (read|popular|viewed)|trending( now| stories)?|empfohlen für sie|das könnte sie auch interessieren|potrebbe interessarti anche|recommandé pour vous|recomendado para (ti|você|usted))\s*:?$",
];

/// Lines of a comment form (its help text and notices) and its openers:
/// never article text, and the article has ended where they stand.
pub const COMMENT_FORM_LINES: &[&str] = &[
    r"^(Leave a (Reply|Comment)|Lascia un commento|Your email address will not be published|Il tuo indirizzo email non sarà pubblicato)",
    r"^(Allowed HTML tags|You may use these HTML tags|Erlaubte HTML-Tags|Tag HTML consentiti|Balises HTML autorisées|Etiquetas HTML permitidas|Lines and paragraphs break automatically|Web page addresses and (e-mail|email) addresses turn into links)",
    // A comment section's heading as WordPress themes print it, the post's
    // title quoted: "3 thoughts on “Title”", "One Response to "Title"",
    // "2 Gedanken zu „Titel“".
    r#"^(?i:\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?i:responses? (to|on)|thoughts? on|repl(y|ies) (to|on)|comments? (to|on)|gedanken zu|pensieri su|réflexions? (sur|au sujet de)|comentarios? (en|a)|respuestas? a) ?["“”„«‘'’]"#,
    r"^(Save my name, email, and website|Notify me of (follow-up comments|new posts)|Comments are closed|Comments? (are|is) moderated|You must be logged in to post a comment|Required fields are marked|This site uses Akismet|Kommentare sind geschlossen|I commenti sono chiusi|Les commentaires sont fermés)",
];

static COMMENT_FORM_SET: LazyLock<ForwardSet> =
    LazyLock::new(|| ForwardSet::new(COMMENT_FORM_LINES).expect("static regexes"));

/// True for a line of a comment form ([`COMMENT_FORM_LINES`]).
pub fn is_comment_form_line(text: &str) -> bool {
    COMMENT_FORM_SET.is_match(text.trim())
}

/// Copyright notices that stand anywhere in a short line ("Reddit Inc ©
/// 2020. All rights reserved"), or open a reprint notice of any length
/// ("© 2022, Example News. This article is the copyrighted property of").
pub const COPYRIGHT_NOTICES: &[&str] = &[
    r"^[^.!?]{0,60}(©|\(c\)|Copyright)\s*((19|20)\d{2}|by )[^!?]{0,80}$",
    r"^[^.!?]{0,80}(All rights reserved|Alle Rechte vorbehalten|Tous droits réservés|Todos los derechos reservados|Tutti i diritti riservati)\.?$",
    r"^(©|\(c\)|Copyright)\s*(19|20)\d{2}\b.{0,100}\b(copyright(ed)? property|permission|reprint|reproduc)",
];

/// How many of [`COPYRIGHT_NOTICES`] (the first ones) need no word
/// boundary: one forward DFA ([`ForwardSet`]). The last, a reprint
/// notice, needs a Unicode word boundary; it is compiled apart, and only
/// once a line could match it ([`could_be_reprint_notice`]): compiling
/// the three as one `regex::RegexSet` cost 12 M instructions at the start
/// of every process, for a pattern that matches almost no page.
const PLAIN_COPYRIGHT_NOTICES: usize = 2;

static COPYRIGHT_NOTICE_SET: LazyLock<ForwardSet> = LazyLock::new(|| {
    ForwardSet::new(&COPYRIGHT_NOTICES[..PLAIN_COPYRIGHT_NOTICES]).expect("static regexes")
});

static REPRINT_NOTICE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(COPYRIGHT_NOTICES[PLAIN_COPYRIGHT_NOTICES]).expect("static regex")
});

/// What a line needs to match the reprint notice of [`COPYRIGHT_NOTICES`]
/// (its last pattern): to open with its mark, and to hold one of its
/// closing words.
fn could_be_reprint_notice(line: &str) -> bool {
    ["©", "(c)", "Copyright"]
        .iter()
        .any(|m| line.starts_with(m))
        && ["copyright", "permission", "reprint", "reproduc"]
            .iter()
            .any(|w| line.contains(w))
}

/// Longest line (in bytes) read as a copyright notice.
const MAX_COPYRIGHT_NOTICE_BYTES: usize = 1000;

/// Words one of [`COPYRIGHT_NOTICES`] needs: a line without any of them
/// is not searched (the set's bounded repetitions make its automaton slow
/// to build and to run, and almost no line is a notice).
const COPYRIGHT_NOTICE_WORDS: &[&str] = &[
    "©",
    "(c)",
    "Copyright",
    "reserv",
    "réserv",
    "vorbehalten",
    "riservati",
];

/// Every word of [`COPYRIGHT_NOTICE_WORDS`], in one automaton (one scan
/// instead of one per word).
static COPYRIGHT_WORD_FINDER: LazyLock<aho_corasick::AhoCorasick> =
    LazyLock::new(|| word_finder(COPYRIGHT_NOTICE_WORDS));

/// True for a copyright notice ([`COPYRIGHT_NOTICES`]).
pub fn is_copyright_notice(text: &str) -> bool {
    if text.len() > MAX_COPYRIGHT_NOTICE_BYTES || !COPYRIGHT_WORD_FINDER.is_match(text) {
        return false;
    }
    let line = text.trim();
    COPYRIGHT_NOTICE_SET.is_match(line)
        || could_be_reprint_notice(line) && REPRINT_NOTICE.is_match(line)
}

static HARD_TAIL_MARKER_SET: LazyLock<ForwardSet> =
    LazyLock::new(|| ForwardSet::new(HARD_TAIL_MARKERS).expect("static regexes"));

/// True when a short line heads reader comments or a recommendation feed,
/// or a line belongs to a comment form: the article has ended, whatever
/// follows.
pub fn is_hard_tail_marker(text: &str) -> bool {
    let t = text.trim();
    (at_most_chars(t, 60) && HARD_TAIL_MARKER_SET.is_match(t)) || is_comment_form_line(t)
}

/// True when `t` has at most `max` characters, counted only when its bytes
/// do not tell (a character is one to four bytes): a paragraph's
/// characters cost more to count than the marker sets' search.
fn at_most_chars(t: &str, max: usize) -> bool {
    t.len() <= max || (t.len() <= 4 * max && t.chars().count() <= max)
}

static TAIL_MARKER_SET: LazyLock<ForwardSet> =
    LazyLock::new(|| ForwardSet::new(TAIL_MARKERS).expect("static regexes"));

/// True when a short line announces the related-content tail of a page.
pub fn is_tail_marker(text: &str) -> bool {
    let t = text.trim();
    at_most_chars(t, 60) && TAIL_MARKER_SET.is_match(t)
}

/// [`BOILERPLATE_PARAGRAPHS`] and [`COMMENT_FORM_LINES`] in one set: one
/// search of a paragraph instead of two. (These sets are forward DFAs;
/// the last of [`COPYRIGHT_NOTICES`] stays a `regex::Regex`: it needs a
/// Unicode word boundary.)
static BOILERPLATE_PARAGRAPH_SET: LazyLock<ForwardSet> = LazyLock::new(|| {
    ForwardSet::new(BOILERPLATE_PARAGRAPHS.iter().chain(COMMENT_FORM_LINES))
        .expect("static regexes")
});

/// More paragraph patterns that are never article text, like
/// [`BOILERPLATE_PARAGRAPHS`], but opening with up to 60 characters of
/// anything: each is searched only in lines holding one of the words it
/// needs (the open prefix made the whole set's lazy automaton scan 60
/// characters of every paragraph and keep building states: 3% of the
/// extraction process's time).
pub const WORD_GATED_BOILERPLATE: &[(&[&str], &str)] = &[
    // liability notices ("Example News is not responsible for the content")
    (
        &[" is not responsible for the "],
        r"^[^.!?]{0,60} is not responsible for the (opinions|content|views)(?-u:\b)",
    ),
    // photo agency credits on a line of their own
    (
        &[
            "dpa",
            "Getty Images",
            "AFP",
            "Reuters",
            "AP Photo",
            "imago",
            "picture-alliance",
            "picture alliance",
            "Shutterstock",
            "iStock",
            "Keystone",
            "ANSA",
            "EPA",
            "KEYSTONE",
        ],
        r"^[^.!?]{0,60}(?-u:\b)(dpa|Getty Images|AFP|Reuters|AP Photo|imago( images)?|picture[- ]alliance|Shutterstock|iStock(photo)?|Keystone|ANSA|EPA|KEYSTONE)(?-u:\b)[^.!?,]{0,30}$",
    ),
];

/// An automaton that tells whether a line holds any of `words`.
///
/// Leftmost-first, although only `is_match` is asked: whether any word
/// occurs does not depend on the match kind, and only leftmost automata get
/// the vectorised (Teddy) prefilter; the standard kind ran the automaton
/// byte by byte over every paragraph.
fn word_finder<'a>(words: impl IntoIterator<Item = &'a &'a str>) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(words)
        .expect("static words")
}

/// Every word of [`WORD_GATED_BOILERPLATE`], in one automaton.
static GATE_WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    word_finder(
        WORD_GATED_BOILERPLATE
            .iter()
            .flat_map(|(words, _)| words.iter()),
    )
});

static WORD_GATED_SET: LazyLock<ForwardSet> = LazyLock::new(|| {
    ForwardSet::new(WORD_GATED_BOILERPLATE.iter().map(|(_, re)| re)).expect("static regexes")
});

/// True when a (trimmed) line matches one of [`WORD_GATED_BOILERPLATE`]:
/// none can match without one of the words, so lines without any are not
/// searched.
fn is_word_gated_boilerplate(t: &str) -> bool {
    GATE_WORDS.is_match(t) && WORD_GATED_SET.is_match(t)
}

/// True when a paragraph's text is a known boilerplate phrase, a line of
/// a comment form or an image caption ending in its credit.
pub fn is_boilerplate_paragraph(text: &str) -> bool {
    let t = text.trim();
    // (Comment form lines are in the first set.) One automaton for the
    // words of the three tests after it, searched before them, was slower:
    // it lost the vectorised prefilter each of the three has, and cost
    // more than the three searches (about 2,000 instructions for a line of
    // 170 bytes instead of 1,200).
    BOILERPLATE_PARAGRAPH_SET.is_match(t)
        || is_word_gated_boilerplate(t)
        || is_credited_caption(t)
        || is_copyright_notice(t)
}

/// The marks that open an image credit at the end of a caption.
const CREDIT_MARKS: &[&str] = &[
    "©",
    "(c)",
    "Foto:",
    "Fotos:",
    "FOTO:",
    "Photo:",
    "photo:",
    "PHOTO:",
    "Photos:",
    "Bild:",
    "Credit:",
    "Credits:",
    "Crédit photo",
    "Image:",
    "Imagen:",
    "Zdjęcie:",
    "Courtesy of",
    "Courtesy:",
];

/// Longest caption (in characters) read as one ending in a credit.
const MAX_CAPTION_CHARS: usize = 250;

/// True for a caption line that ends in its image credit ("Marco
/// Odermatt, Ski-Star. © AFP / Marco Bertorello", "Roman Prymula, photo:
/// Archives"): a short line whose last credit mark follows a separator
/// (or is `©`) and is followed by a short name, not a sentence.
fn is_credited_caption(t: &str) -> bool {
    // (A line of no more bytes than that has no more characters: only a
    // longer one is counted.)
    if t.len() > 4 * MAX_CAPTION_CHARS
        || (t.len() > MAX_CAPTION_CHARS && t.chars().count() > MAX_CAPTION_CHARS)
    {
        return false;
    }
    // One search for all the marks first: most lines hold none, and each
    // mark's own search from the end costs as much as this one.
    CREDIT_MARK_FINDER.is_match(t) && ends_in_credit(t)
}

/// Every mark of [`CREDIT_MARKS`], in one automaton.
static CREDIT_MARK_FINDER: LazyLock<aho_corasick::AhoCorasick> =
    LazyLock::new(|| word_finder(CREDIT_MARKS));

/// The test of [`is_credited_caption`] on a line that holds a credit mark.
fn ends_in_credit(t: &str) -> bool {
    CREDIT_MARKS.iter().any(|mark| {
        let Some(at) = t.rfind(mark) else {
            return false;
        };
        let before = t[..at].trim_end();
        let credit = t[at + mark.len()..].trim();
        let separated = *mark == "©"
            || before.is_empty()
            || before.ends_with(['.', '|', ',', ';', ')', '(', '–', '—', '-', '/']);
        separated
            && !before.is_empty()
            && !credit.is_empty()
            && credit.chars().count() <= 60
            && credit.split_whitespace().count() <= 8
            && !credit.contains(['!', '?', '"', '“', '„'])
            && !credit.contains(". ")
    })
}

/// Words of a consent form's topic (lower case), in several languages: a
/// page whose short text is mostly these, with a [`CONSENT_ACTIONS`]
/// button, is a consent wall, not an article.
pub const CONSENT_TERMS: &[&str] = &[
    "cookie",
    "consent",
    "your privacy",
    "privacy policy",
    "personal data",
    "our partners",
    "legitimate interest",
    "vendors",
    "consenso",
    "dati personali",
    "nostri partner",
    "legittimo interesse",
    "einwilligung",
    "datenschutz",
    "personenbezogene daten",
    "unsere partner",
    "berechtigtes interesse",
    "consentement",
    "données personnelles",
    "nos partenaires",
    "intérêt légitime",
    "consentimiento",
    "datos personales",
    "nuestros socios",
    "interés legítimo",
];

/// A consent form's buttons (lower case).
pub const CONSENT_ACTIONS: &[&str] = &[
    "accept all",
    "accept cookies",
    "reject all",
    "i agree",
    "manage preferences",
    "manage options",
    "manage cookies",
    "continue without accepting",
    "accetta tutto",
    "accetta e chiudi",
    "rifiuta tutto",
    "continua senza accettare",
    "alle akzeptieren",
    "alle ablehnen",
    "akzeptieren und weiter",
    "tout accepter",
    "tout refuser",
    "accepter et fermer",
    "continuer sans accepter",
    "aceptar todo",
    "rechazar todo",
    "aceptar y cerrar",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copyright_notices_anywhere_in_a_short_line_are_boilerplate() {
        for line in [
            "Example Inc © 2020. All rights reserved",
            "Site by Example Studio, Copyright 2019 by Example GmbH",
            "Example Media Group – All rights reserved.",
            "Beispiel Verlag GmbH – Alle Rechte vorbehalten",
            "Exemple SA – Tous droits réservés",
            "Ejemplo SL – Todos los derechos reservados.",
            "Esempio Srl – Tutti i diritti riservati",
            "Example Ltd (c) 2021",
            "© 2022, Example News. This article is the copyrighted property of Example News. Written permission must be obtained before reprint in online or print media. Reprinting without permission is an infringement of the rights of the owner, and the owner will take legal action wherever it sees fit.",
        ] {
            assert!(is_copyright_notice(line), "{line}");
            assert!(is_boilerplate_paragraph(line), "{line}");
        }
        for line in [
            "The court ruled that the copyright of 2019 had expired.",
            "Copyright law changed in 2019, and publishers welcomed it. Authors did not.",
            "All rights reserved, the label said, but the museum lent the picture anyway.",
        ] {
            assert!(!is_copyright_notice(line), "{line}");
        }
    }

    /// Lines for the gated patterns: matches, near misses and lines the
    /// other patterns catch.
    const GATED_PROBES: &[&str] = &[
        "Foto: dpa",
        "Max Muster/dpa",
        "(Photo by Jane Doe/Getty Images)",
        "AFP",
        "REUTERS/John Doe",
        "Jane Doe / Reuters",
        "AP Photo/John Doe",
        "imago images/Sven Simon",
        "picture alliance / dpa",
        "picture-alliance",
        "Shutterstock",
        "iStockphoto",
        "KEYSTONE/Ennio Leanza",
        "ANSA/EPA",
        "Example News is not responsible for the content of external sites",
        "Example News is not responsible for the views of its readers.",
        "The agency dpa reported that the talks had failed. More followed.",
        "Reuters reported on Monday that the company had agreed to a deal worth billions, after weeks of talks",
        "The dpad of the controller",
        "Rendering by AFPX",
        "He is not responsible for the outcome",
        "Nobody is responsible for the content",
        "Read more: the whole story",
        "An ordinary paragraph of article prose, with a comma, and a full stop.",
        "",
    ];

    #[test]
    fn word_gated_patterns_match_as_one_set_with_the_others_does() {
        let all: Vec<&str> = BOILERPLATE_PARAGRAPHS
            .iter()
            .chain(COMMENT_FORM_LINES)
            .copied()
            .chain(WORD_GATED_BOILERPLATE.iter().map(|(_, re)| *re))
            .collect();
        let reference = regex::RegexSet::new(&all).unwrap();
        let mut gated = 0;
        for line in GATED_PROBES {
            let t = line.trim();
            let expected = reference.is_match(t);
            let got = BOILERPLATE_PARAGRAPH_SET.is_match(t) || is_word_gated_boilerplate(t);
            assert_eq!(got, expected, "{line}");
            gated += usize::from(is_word_gated_boilerplate(t));
        }
        // 13 agency credits and 2 liability notices; not the near misses
        // ("REUTERS" is not among the agencies' spellings)
        assert_eq!(gated, 15);
    }

    #[test]
    fn every_word_gated_pattern_needs_one_of_its_words() {
        for (words, re) in WORD_GATED_BOILERPLATE {
            let re = regex::Regex::new(re).unwrap();
            for line in GATED_PROBES {
                if re.is_match(line) {
                    assert!(words.iter().any(|w| line.contains(w)), "{line}");
                }
            }
        }
    }

    #[test]
    fn only_lines_with_a_credit_mark_are_searched_for_a_credit() {
        let lines = [
            "Marco Odermatt, Ski-Star. © AFP / Marco Bertorello",
            "Roman Prymula, photo: Archives",
            "The mayor at the opening. Courtesy of the city archive",
            "Le port au matin. Crédit photo Jean Dupont",
            "A caption without any credit at all, about the harbour at dawn",
            "",
        ];
        let credited: Vec<bool> = lines.iter().map(|l| is_credited_caption(l)).collect();
        assert_eq!(credited, [true, true, true, true, false, false]);
        for line in lines {
            if !CREDIT_MARK_FINDER.is_match(line) {
                assert!(!ends_in_credit(line), "{line}");
            }
        }
    }
}
