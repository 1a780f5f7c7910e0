//! Page metadata from markup: JSON-LD (`NewsArticle`, `Article`, `@graph`),
//! OpenGraph and `article:*` meta, other common meta names, `<time>`,
//! `<html lang>`; normalised (authors split into names, dates to RFC 3339).

use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};
use serde_json::Value;

use super::dates::normalize_date;
use super::text::inline_text;

/// Metadata read from a page's markup, before any site config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// Headline (site-name suffix removed).
    pub title: Option<String>,
    /// Author names.
    pub authors: Vec<String>,
    /// Publication time, RFC 3339.
    pub published: Option<String>,
    /// Modification time, RFC 3339.
    pub modified: Option<String>,
    /// Language from the markup (`<html lang>`, `og:locale`, JSON-LD).
    pub language: Option<String>,
    /// Meta / OpenGraph description.
    pub description: Option<String>,
    /// `og:site_name` or JSON-LD publisher name.
    pub site_name: Option<String>,
    /// `<link rel=canonical>` href (unresolved), or `og:url`.
    pub canonical: Option<String>,
    /// `og:type`.
    pub og_type: Option<String>,
    /// JSON-LD `@type` values found on the page.
    pub jsonld_types: Vec<String>,
    /// The page's JSON-LD objects (top level and `@graph` members), in
    /// document order, for `jsonld:KEY` field selectors.
    pub jsonld_objects: Vec<serde_json::Map<String, Value>>,
    /// JSON-LD `articleBody`, when present.
    pub article_body: Option<String>,
    /// Text of the first `<h1>`.
    pub h1: Option<String>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

static META: LazyLock<Selector> = LazyLock::new(|| sel("meta"));
static JSONLD: LazyLock<Selector> = LazyLock::new(|| sel("script[type]"));
static LINK_CANONICAL: LazyLock<Selector> = LazyLock::new(|| sel("link[rel][href]"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time[datetime]"));

/// JSON-LD types that describe an article.
pub const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
];

/// Reads the page's metadata.
pub fn page_metadata(doc: &Html) -> Metadata {
    let mut m = Metadata::default();
    let mut meta = MetaValues::default();
    for el in doc.select(&META) {
        let v = el.value();
        let Some(content) = v.attr("content").map(str::trim).filter(|c| !c.is_empty()) else {
            continue;
        };
        let key = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"))
            .or_else(|| v.attr("http-equiv"))
            .unwrap_or("")
            .to_ascii_lowercase();
        meta.take(&key, content);
    }
    // JSON-LD: the first article-like object wins.
    let mut ld = LdArticle::default();
    for script in doc.select(&JSONLD) {
        let ty = script.value().attr("type").unwrap_or("");
        if !ty.eq_ignore_ascii_case("application/ld+json") {
            continue;
        }
        let raw: String = script.text().collect();
        let Some(value) = parse_json_lenient(&raw) else {
            continue;
        };
        collect_ld(&value, &mut ld, &mut m.jsonld_types, 0);
        collect_objects(&value, &mut m.jsonld_objects, 0);
    }
    for link in doc.select(&LINK_CANONICAL) {
        let rel = link.value().attr("rel").unwrap_or("");
        if rel
            .split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("canonical"))
        {
            m.canonical = link.value().attr("href").map(|h| h.trim().to_string());
            break;
        }
    }
    if m.canonical.is_none() {
        m.canonical = meta.og_url.clone();
    }
    m.h1 = doc
        .select(&H1)
        .map(|h| inline_text(*h))
        .find(|t| !t.is_empty());
    let html_title = doc.select(&TITLE).next().map(|t| {
        t.text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    });
    m.site_name = meta.site_name.clone().or(ld.publisher.clone());
    m.title = choose_title(
        ld.headline.as_deref(),
        meta.title.as_deref(),
        m.h1.as_deref(),
        html_title.as_deref(),
        m.site_name.as_deref(),
    );
    m.title = m.title.map(|t| decode_entities(&t));
    m.authors = if !ld.authors.is_empty() {
        normalize_authors(&ld.authors)
    } else {
        normalize_authors(&meta.authors)
    };
    if m.authors.is_empty() {
        m.authors = byline_authors(doc);
    }
    // A publisher listed among real bylines is not an author.
    if m.authors.len() > 1 {
        if let Some(site) = m.site_name.as_deref().map(str::to_lowercase) {
            m.authors.retain(|a| a.to_lowercase() != site);
        }
    }
    let first_time = doc
        .select(&TIME)
        .find_map(|t| t.value().attr("datetime"))
        .map(str::to_string);
    m.published = super::dates::best_date(
        [ld.published.clone(), meta.published.clone(), first_time]
            .into_iter()
            .flatten(),
    );
    m.modified = ld
        .modified
        .as_deref()
        .and_then(normalize_date)
        .or_else(|| meta.modified.as_deref().and_then(normalize_date));
    m.description = meta.description.clone().or(ld.description.clone());
    m.og_type = meta.og_type.clone();
    m.article_body = ld.article_body.clone();
    let html_lang = doc.root_element().value().attr("lang").map(str::to_string);
    m.language = html_lang
        .or(meta.language.clone())
        .or(ld.language.clone())
        .and_then(|l| normalize_language(&l));
    m
}

#[derive(Default)]
struct MetaValues {
    title: Option<String>,
    site_name: Option<String>,
    og_url: Option<String>,
    og_type: Option<String>,
    description: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    language: Option<String>,
    authors: Vec<String>,
}

impl MetaValues {
    fn take(&mut self, key: &str, content: &str) {
        let set = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = Some(content.to_string());
            }
        };
        match key {
            "og:title" | "twitter:title" => set(&mut self.title),
            "og:site_name" | "application-name" => set(&mut self.site_name),
            "og:url" => set(&mut self.og_url),
            "og:type" => set(&mut self.og_type),
            "description" | "og:description" | "twitter:description" => set(&mut self.description),
            "article:published_time"
            | "og:article:published_time"
            | "datepublished"
            | "date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "dc.date.issued"
            | "dc.date"
            | "dcterms.created"
            | "parsely-pub-date"
            | "sailthru.date"
            | "article.published"
            | "published_time"
            | "cxenseparse:recs:publishtime"
            | "date.available"
            | "last-modified-never" => set(&mut self.published),
            "article:modified_time"
            | "og:updated_time"
            | "datemodified"
            | "dcterms.modified"
            | "last-modified" => set(&mut self.modified),
            "og:locale" | "content-language" | "language" | "dc.language" => {
                set(&mut self.language)
            }
            "author" | "article:author" | "parsely-author" | "sailthru.author" | "dc.creator"
            | "byl" | "cxenseparse:author"
                if !content.starts_with("http") =>
            {
                self.authors.push(content.to_string());
            }
            _ => {}
        }
    }
}

#[derive(Default)]
struct LdArticle {
    found: bool,
    headline: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    modified: Option<String>,
    description: Option<String>,
    language: Option<String>,
    publisher: Option<String>,
    article_body: Option<String>,
}

/// Parses JSON-LD, tolerating the control characters some sites leave in strings.
fn parse_json_lenient(raw: &str) -> Option<Value> {
    // Wrappers pages put around the JSON: HTML comments and (commented) CDATA.
    let mut trimmed = raw.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("//<![CDATA[", "//]]>"),
        ("<![CDATA[", "]]>"),
    ] {
        trimmed = trimmed.strip_prefix(open).unwrap_or(trimmed).trim();
        trimmed = trimmed.strip_suffix(close).unwrap_or(trimmed).trim();
    }
    if let Ok(v) = serde_json::from_str(trimmed) {
        return Some(v);
    }
    let cleaned: String = trimmed
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str(&cleaned).ok()
}

fn types_of(obj: &serde_json::Map<String, Value>) -> Vec<String> {
    match obj.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Most JSON-LD objects kept per page.
const MAX_JSONLD_OBJECTS: usize = 32;

fn collect_objects(value: &Value, out: &mut Vec<serde_json::Map<String, Value>>, depth: usize) {
    if depth > 3 || out.len() >= MAX_JSONLD_OBJECTS {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_objects(v, out, depth + 1)),
        Value::Object(obj) => {
            if obj.contains_key("@type") {
                out.push(obj.clone());
            }
            if let Some(graph) = obj.get("@graph") {
                collect_objects(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Values of `key` in the page's JSON-LD: from the first article-typed
/// object that has it, else from the first object that has it. People
/// (`author`, `creator`) give their names.
pub fn jsonld_values(meta: &Metadata, key: &str) -> Vec<String> {
    let is_article = |o: &serde_json::Map<String, Value>| {
        types_of(o)
            .iter()
            .any(|t| ARTICLE_TYPES.contains(&t.as_str()))
    };
    let found = meta
        .jsonld_objects
        .iter()
        .find(|o| is_article(o) && o.contains_key(key))
        .or_else(|| meta.jsonld_objects.iter().find(|o| o.contains_key(key)));
    let Some(obj) = found else { return Vec::new() };
    if matches!(key, "author" | "creator" | "contributor" | "editor") {
        let mut out = Vec::new();
        people(&obj[key], &mut out, 0);
        return out;
    }
    str_field(obj, key).into_iter().collect()
}

fn collect_ld(value: &Value, ld: &mut LdArticle, types: &mut Vec<String>, depth: usize) {
    if depth > 6 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect_ld(item, ld, types, depth + 1);
            }
        }
        Value::Object(obj) => {
            let t = types_of(obj);
            types.extend(t.iter().cloned());
            if !ld.found && t.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                ld.found = true;
                ld.headline = str_field(obj, "headline").or_else(|| str_field(obj, "name"));
                ld.published =
                    str_field(obj, "datePublished").or_else(|| str_field(obj, "dateCreated"));
                ld.modified = str_field(obj, "dateModified");
                ld.description = str_field(obj, "description");
                ld.language = str_field(obj, "inLanguage");
                ld.article_body = str_field(obj, "articleBody");
                if let Some(author) = obj.get("author").or_else(|| obj.get("creator")) {
                    people(author, &mut ld.authors, 0);
                }
                if let Some(Value::Object(p)) = obj.get("publisher") {
                    ld.publisher = str_field(p, "name");
                }
            }
            if let Some(graph) = obj.get("@graph") {
                collect_ld(graph, ld, types, depth + 1);
            }
            if !ld.found {
                if let Some(main) = obj.get("mainEntity") {
                    collect_ld(main, ld, types, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn str_field(obj: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(a) => a
            .iter()
            .find_map(|v| v.as_str().map(|s| s.trim().to_string())),
        Value::Object(o) => o.get("@value").and_then(|v| v.as_str()).map(str::to_string),
        _ => None,
    }
}

fn people(value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 3 {
        return;
    }
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| people(v, out, depth + 1)),
        Value::Object(o) => {
            if let Some(name) = str_field(o, "name") {
                out.push(name);
            }
        }
        _ => {}
    }
}

static BYLINE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(written by|by|di|von|par|por|door|av|af|від|от|text|texto|testo|autorin/autor|autor(?:in)?|author|foto|photo|责编|编辑|記者|기자)\s*[:：\s]\s*")
        .expect("static regex")
});
static AUTHOR_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|;|\||&|、|，|\s\band\b\s|\s\bund\b\s|\s\be\b\s|\s\bet\b\s|\s\by\b\s|\s\ben\b\s|\s\bog\b\s|\s\boch\b\s|\s\bi\b\s)\s*")
        .expect("static regex")
});

/// Splits and cleans bylines: one name each, "By"/"Di"/"Von" and similar
/// prefixes stripped, duplicates and non-names (URLs, long phrases) dropped.
pub fn normalize_authors(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Domain-like names ("sportschau.de") are the publisher standing in as
    // author: kept when they are all there is, dropped beside real names.
    let mut domains: Vec<String> = Vec::new();
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
                if !domains.iter().any(|d| d.eq_ignore_ascii_case(name)) {
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
            if !out.iter().any(|n| n.to_lowercase() == name.to_lowercase()) {
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

static BYLINE_ELEMENTS: LazyLock<Selector> = LazyLock::new(|| {
    sel("[rel~=author], [itemprop~=author], .byline, .author, .author-name, .article-author, .post-author, .entry-author, .autor, .autore, .auteur")
});
static ITEMPROP_NAME: LazyLock<Selector> = LazyLock::new(|| sel("[itemprop~=name]"));

/// Authors from byline markup (`rel=author`, `itemprop=author`, byline and
/// author classes), when the metadata names none: the first element that
/// yields names.
fn byline_authors(doc: &Html) -> Vec<String> {
    for el in doc.select(&BYLINE_ELEMENTS).take(20) {
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

/// Decodes character references left in a text (`&amp;`, `&#8216;`,
/// `&uuml;`: markup that escaped them twice).
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') || !text.contains(';') {
        return text.to_string();
    }
    let frag = Html::parse_fragment(text);
    let decoded: String = frag.root_element().text().collect();
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
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

/// Picks the headline: JSON-LD headline, og:title, `<h1>` or `<title>`,
/// with a " - Site name" / " | Site name" suffix removed.
fn choose_title(
    ld: Option<&str>,
    og: Option<&str>,
    h1: Option<&str>,
    html_title: Option<&str>,
    site_name: Option<&str>,
) -> Option<String> {
    let clean = |t: &str| {
        strip_site_suffix(
            &t.split_whitespace().collect::<Vec<_>>().join(" "),
            site_name,
        )
    };
    let candidates = [ld, og, html_title];
    // An h1 that the metadata titles start with (or equal) is the cleanest form.
    if let Some(h1) = h1.map(|h| h.split_whitespace().collect::<Vec<_>>().join(" ")) {
        if !h1.is_empty()
            && candidates.iter().flatten().any(|c| {
                let c = c.split_whitespace().collect::<Vec<_>>().join(" ");
                c == h1 || c.starts_with(&h1)
            })
        {
            return Some(h1);
        }
    }
    candidates
        .iter()
        .flatten()
        .map(|t| clean(t))
        .find(|t| !t.is_empty())
        .or_else(|| h1.map(clean))
        .filter(|t| !t.is_empty())
}

/// Removes a trailing " - Site", " | Site", " :: Site" from a title.
pub fn strip_site_suffix(title: &str, site_name: Option<&str>) -> String {
    let title = title.trim();
    // "Site - Section - Headline" (or the reverse): with three or more
    // segments, one long segment among short ones is the headline.
    for sep in [
        " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " > ", " » ",
    ] {
        let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
        if parts.len() >= 3 {
            let words = |p: &str| p.split_whitespace().count();
            let (longest, rest): (Vec<&str>, Vec<&str>) = {
                let max = parts.iter().map(|p| words(p)).max().unwrap_or(0);
                parts.iter().partition(|p| words(p) == max)
            };
            if longest.len() == 1 && words(longest[0]) >= 4 && rest.iter().all(|p| words(p) <= 3) {
                return longest[0].to_string();
            }
        }
    }
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • "] {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            let tail_is_site = match site_name {
                Some(site) => {
                    let (t, s) = (tail.to_lowercase(), site.to_lowercase());
                    t.contains(&s) || s.contains(&t)
                }
                None => {
                    tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3
                }
            };
            if tail_is_site && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// Reduces a language tag (`it-IT`, `en_US`, `deu`) to ISO 639-1.
pub fn normalize_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.len() {
        2 if primary.chars().all(|c| c.is_ascii_lowercase()) => Some(primary),
        3 => isolang::Language::from_639_3(&primary)
            .and_then(|l| l.to_639_1())
            .map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn headline_among_site_and_section_segments() {
        assert_eq!(
            strip_site_suffix(
                "Comune - Notizie - Lavori in piazza: chiusa la strada",
                None
            ),
            "Lavori in piazza: chiusa la strada"
        );
        assert_eq!(
            strip_site_suffix("Blinken - Lavrov talks fail in Geneva", None),
            "Blinken - Lavrov talks fail in Geneva"
        );
    }

    #[test]
    fn title_suffix_is_removed() {
        assert_eq!(
            strip_site_suffix("Big news today - Il Post", Some("Il Post")),
            "Big news today"
        );
        assert_eq!(strip_site_suffix("A - B", None), "A - B");
    }

    #[test]
    fn jsonld_in_cdata_is_read() {
        let doc = parse_document(
            "<script type=\"application/ld+json\">\n//<![CDATA[\n{\"@type\":\"NewsArticle\",\"headline\":\"H\",\"datePublished\":\"2024-08-22T12:00:00+02:00\"}\n//]]>\n</script><time datetime=2024-08-22>x</time>",
        );
        let m = page_metadata(&doc);
        assert_eq!(m.published.as_deref(), Some("2024-08-22T12:00:00+02:00"));
    }

    #[test]
    fn jsonld_graph_and_meta() {
        let doc = parse_document(
            r#"<html lang="it-IT"><head>
            <meta property="og:title" content="Titolo - Sito">
            <meta property="og:site_name" content="Sito">
            <meta property="article:published_time" content="2024-01-02T03:04:05+01:00">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebPage","name":"x"},
              {"@type":"NewsArticle","headline":"Titolo","datePublished":"2024-01-02T03:04:05+01:00",
               "author":[{"@type":"Person","name":"Mario Rossi"},{"@type":"Person","name":"Anna Bianchi"}]}]}</script>
            </head><body><h1>Titolo</h1></body></html>"#,
        );
        let m = page_metadata(&doc);
        assert_eq!(m.title.as_deref(), Some("Titolo"));
        assert_eq!(m.authors, ["Mario Rossi", "Anna Bianchi"]);
        assert_eq!(m.published.as_deref(), Some("2024-01-02T03:04:05+01:00"));
        assert_eq!(m.language.as_deref(), Some("it"));
        assert!(m.jsonld_types.iter().any(|t| t == "NewsArticle"));
    }
}
