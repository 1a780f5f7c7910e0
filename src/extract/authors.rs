//! Author names: bylines split into one name each, "By"/"Di"/"Von"
//! prefixes stripped, credits, e-mails and slugs dropped; and authors read
//! from byline markup when the metadata names none.

use std::collections::HashSet;
use std::sync::LazyLock;

use markup5ever::{local_name, ns};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use super::metadata::sel;
use super::text::inline_text;
use crate::vocabulary::BYLINE_PREFIXES;

/// A byline's opening word: the vocabulary's byline prefixes (longest
/// first, so "written by" wins over "by"), and the credit and newsroom
/// words of bylines in metadata.
static BYLINE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    let mut words: Vec<&str> = BYLINE_PREFIXES.to_vec();
    words.extend([
        "autorin/autor",
        "foto",
        "photo",
        "责编",
        "编辑",
        "記者",
        "기자",
    ]);
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alts: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    Regex::new(&format!(r"(?i)^\s*(?:{})\s*[:：\s]\s*", alts.join("|"))).expect("static regex")
});
static AUTHOR_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|;|\||&|、|，|\s\band\b\s|\s\bund\b\s|\s\be\b\s|\s\bet\b\s|\s\by\b\s|\s\ben\b\s|\s\bog\b\s|\s\boch\b\s|\s\bi\b\s)\s*")
        .expect("static regex")
});

/// Splits and cleans bylines: one name each, "By"/"Di"/"Von" and similar
/// prefixes stripped, duplicates and non-names (URLs, long phrases) dropped.
pub fn normalize_authors(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    // Domain-like names ("sportschau.de") are the publisher standing in as
    // author: kept when they are all there is, dropped beside real names.
    let mut domains: Vec<String> = Vec::new();
    let mut seen_domains: HashSet<String> = HashSet::new();
    for entry in raw {
        let collapsed = entry.split_whitespace().collect::<Vec<_>>().join(" ");
        let wrapped = (collapsed.starts_with('(') || collapsed.starts_with('（'))
            && (collapsed.ends_with(')') || collapsed.ends_with('）'));
        let collapsed = if wrapped {
            collapsed
                .trim_start_matches(['(', '（'])
                .trim_end_matches([')', '）'])
                .to_string()
        } else {
            collapsed
        };
        let stripped = strip_byline_prefix(&collapsed);
        for part in AUTHOR_SPLIT.split(&stripped) {
            let name = strip_byline_prefix(part.trim());
            let name = name
                .trim()
                .trim_matches(|c: char| c == ',' || c == '.' || c == '|' || c == '-' || c == '/');
            let name = TRAILING_PAREN.replace(name.trim(), "");
            let name = name.trim();
            if is_domain(name) {
                if seen_domains.insert(name.to_ascii_lowercase()) {
                    domains.push(name.to_string());
                }
                continue;
            }
            if name.is_empty()
                || is_not_a_name(name)
                || name.contains("://")
                || name.starts_with('@')
                || name.chars().count() > 60
                || name.split_whitespace().count() > 6
                || !name.chars().any(char::is_alphabetic)
            {
                continue;
            }
            if seen.insert(name.to_lowercase()) {
                out.push(name.to_string());
            }
        }
    }
    if out.is_empty() {
        return domains;
    }
    out
}

/// One word ending in a dot and an alphabetic top-level domain: `mbl.is`.
fn is_domain(name: &str) -> bool {
    !name.contains(char::is_whitespace)
        && !name.contains('@')
        && name.rsplit_once('.').is_some_and(|(head, tld)| {
            !head.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        })
}

/// The classes of [`is_byline_element`] (class names match case-sensitively,
/// as CSS class selectors do in a no-quirks document, which is how
/// `scraper` matches them).
fn is_byline_class(class: &str) -> bool {
    matches!(
        class,
        "byline"
            | "author"
            | "author-name"
            | "article-author"
            | "post-author"
            | "entry-author"
            | "autor"
            | "autore"
            | "auteur"
            | "wp-block-post-author__name"
            | "wp-block-post-author-name"
    )
}

/// True for a byline element: the selector `[rel~=author],
/// [itemprop~=author], .byline, .author, ...` ([`is_byline_class`]),
/// matched by hand.
///
/// The selector's matching cost about a thousand instructions per element
/// of the document (a matching context and thirteen selectors per
/// element), a twentieth of extracting an article whose metadata names no
/// author; this is one pass over the element's attributes. It keeps the
/// selector's rules: `~=` splits at ASCII white space; `rel`'s value
/// matches ASCII-case-insensitively on HTML elements (HTML lists it among
/// the case-insensitive attributes), `itemprop`'s and classes
/// case-sensitively; attribute selectors without a namespace read only
/// attributes in no namespace, classes come from any `class` attribute.
fn is_byline_element(e: &scraper::node::Element) -> bool {
    let html = e.name.ns == ns!(html);
    e.attrs.iter().any(|(name, value)| match name.local {
        local_name!("class") => value.split_ascii_whitespace().any(is_byline_class),
        local_name!("rel") if name.ns == ns!() => value.split_ascii_whitespace().any(|t| {
            if html {
                t.eq_ignore_ascii_case("author")
            } else {
                t == "author"
            }
        }),
        local_name!("itemprop") if name.ns == ns!() => {
            value.split_ascii_whitespace().any(|t| t == "author")
        }
        _ => false,
    })
}

/// The document's byline elements ([`is_byline_element`]) in the order and
/// with the filter of `Html::select`: the tree's node order, attached
/// nodes only.
fn byline_elements(doc: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.parent().is_some() && is_byline_element(e.value()))
}

static ITEMPROP_NAME: LazyLock<Selector> = LazyLock::new(|| sel("[itemprop~=name]"));

/// Authors from byline markup (`rel=author`, `itemprop=author`, byline and
/// author classes, WordPress block themes' post-author blocks), when the metadata names none: the first element that
/// yields names.
pub(crate) fn byline_authors(doc: &Html) -> Vec<String> {
    for el in byline_elements(doc).take(20) {
        let text = match el.select(&ITEMPROP_NAME).next() {
            Some(name) => name
                .value()
                .attr("content")
                .map(str::to_string)
                .unwrap_or_else(|| inline_text(*name)),
            None => el
                .value()
                .attr("content")
                .map(str::to_string)
                .unwrap_or_else(|| inline_text(*el)),
        };
        if text.is_empty() || text.chars().count() > 80 {
            continue;
        }
        let names = normalize_authors(&[text]);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// A trailing code in parentheses: "Elena Oberholzer (obe)", "(cog.)".
static TRAILING_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\([^)]{1,12}\)\.?$").expect("static regex"));

/// Image and source credits: "Image: Getty Images", "Foto: dpa".
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(image|images|photo|photos|foto|fotos|bild|bilder|credit|credits|picture|source|quelle|fonte|getty)\b")
        .expect("static regex")
});

/// True for strings that are not a person's name: e-mail addresses, URL
/// slugs (`jane-doe`), image credits.
fn is_not_a_name(name: &str) -> bool {
    let one_word = !name.contains(char::is_whitespace);
    CREDIT.is_match(name)
        || name.contains('@')
        || name.starts_with('(')
        || (one_word && name.contains('-') && !name.chars().any(char::is_uppercase))
}

/// Removes a leading "By", "Di", "Von"... when a name of at least two
/// words follows (so the surname "Di Maio" keeps its particle).
fn strip_byline_prefix(s: &str) -> String {
    if let Some(m) = BYLINE_PREFIX.find(s) {
        let rest = &s[m.end()..];
        if rest.split_whitespace().count() >= 2 || m.as_str().contains([':', '：']) {
            return rest.to_string();
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::metadata::{decode_entities, page_metadata};
    use crate::parse::parse_document;

    #[test]
    fn authors_are_split_and_prefixes_stripped() {
        let got = normalize_authors(&[
            "By Jane Doe and John Smith".into(),
            "Di Mario Rossi, Anna Bianchi".into(),
            "Von Max Müller".into(),
            "jane doe".into(),
        ]);
        assert_eq!(
            got,
            [
                "Jane Doe",
                "John Smith",
                "Mario Rossi",
                "Anna Bianchi",
                "Max Müller"
            ]
        );
        assert_eq!(normalize_authors(&["Di Maio".into()]), ["Di Maio"]);
        assert_eq!(
            normalize_authors(&["（责编：牛镛、岳弘彬）".into()]),
            ["牛镛", "岳弘彬"]
        );
        let noisy = [
            "Emma Mackenzie".into(),
            "emma-mackenzie".into(),
            "(Image: Getty Images)".into(),
            "Elena Oberholzer (obe)".into(),
            "mdr.de".into(),
            "j.doe@example.com".into(),
        ];
        assert_eq!(
            normalize_authors(&noisy),
            ["Emma Mackenzie", "Elena Oberholzer"]
        );
    }

    #[test]
    fn entities_and_byline_markup() {
        assert_eq!(
            decode_entities("R&amp;uuml;ckbau &#8216;x&#8217;"),
            "R&uuml;ckbau ‘x’"
        );
        let doc = parse_document("<html><body><p class=byline>By <a rel=author href=/a>Jane Doe</a></p><p>text</p></body></html>");
        assert_eq!(page_metadata(&doc).authors, ["Jane Doe"]);
    }

    #[test]
    fn byline_elements_are_those_the_selector_selects() {
        let selector = sel("[rel~=author], [itemprop~=author], .byline, .author, .author-name, .article-author, .post-author, .entry-author, .autor, .autore, .auteur, .wp-block-post-author__name, .wp-block-post-author-name");
        let page = "<html><body>\
             <a rel=Author id=1>a</a><a rel='me  author' id=2>b</a><a rel=authors id=3>c</a>\
             <span itemprop=author id=4>d</span><span itemprop=Author id=5>e</span>\
             <span itemprop='creator\tauthor' id=6>f</span><p class='x byline' id=7>g</p>\
             <p class=Byline id=8>h</p><div class='wp-block-post-author__name' id=9>i</div>\
             <p class=by-line id=10>j</p><p class=author-bio id=11>k</p><p id=12 data-rel=author>l</p>\
             <svg><a rel=Author id=13>m</a><a rel=author id=14>n</a><g class=autore id=15></g></svg>\
             <table><tr><td><span class=auteur id=16>o</span></td></tr></table>\
             <p><b><i class=post-author id=17>p</b>q</i></p></body></html>";
        let ids = |els: Vec<ElementRef>| -> Vec<String> {
            els.iter()
                .map(|e| e.value().attr("id").unwrap_or("?").to_string())
                .collect()
        };
        // This crate's parser drops inline images; scraper's keeps them
        // (on SVG elements `rel` matches case-sensitively). The
        // misnested `<i>` is cloned, with its attributes.
        for (doc, expected) in [
            (
                parse_document(page),
                &["1", "2", "4", "6", "7", "9", "16", "17", "17"][..],
            ),
            (
                Html::parse_document(page),
                &["1", "2", "4", "6", "7", "9", "14", "15", "16", "17", "17"][..],
            ),
        ] {
            let selected = ids(doc.select(&selector).collect());
            assert_eq!(ids(byline_elements(&doc).collect()), selected);
            assert_eq!(selected, expected);
        }
    }

    #[test]
    fn bylines_in_more_languages() {
        for (line, name) in [
            ("Por Juan Pérez", "Juan Pérez"),
            ("Par Marie Dupont", "Marie Dupont"),
            ("Av Kari Nordmann", "Kari Nordmann"),
            ("Af Jens Hansen", "Jens Hansen"),
            ("Od Jan Kowalski", "Jan Kowalski"),
            ("Door Piet de Vries", "Piet de Vries"),
            ("Автор: Иван Петров", "Иван Петров"),
            ("Escrito por Ana Lima", "Ana Lima"),
            ("Skrevet af Mette Frederiksen", "Mette Frederiksen"),
        ] {
            assert_eq!(normalize_authors(&[line.into()]), [name], "{line}");
        }
    }
}
