//! Page metadata from markup: JSON-LD (`NewsArticle`, `Article`, `@graph`),
//! OpenGraph and `article:*` meta, other common meta names, `<time>`,
//! `<html lang>`; normalised (authors split into names, dates to RFC 3339).

use ego_tree::NodeId;
use markup5ever::{local_name, ns, LocalName};
use scraper::node::Element;

use super::authors::{byline_authors, normalize_authors};
use super::title::{choose_title, is_login_heading, TitleContext};
use crate::extract::classify::{page_structure, ClassHints};
use crate::extract::node_facts::NodeFacts;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::dates::normalize_date;
use super::text::inline_text;
use crate::limits::MAX_JSONLD_OBJECTS;

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
    /// Every name the page gives the site (`og:site_name`, the JSON-LD
    /// publisher).
    pub site_names: Vec<String>,
    /// The page's section (`article:section`, JSON-LD `articleSection`).
    pub sections: Vec<String>,
    /// The texts of its kicker elements (see [`ClassHints::names_kicker`]).
    pub kickers: Vec<String>,
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

/// Compiles a selector written in the code (known to be valid).
pub(crate) fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// The elements metadata is read from, gathered in one pass over the
/// document's nodes in the order (and with the filter) of `Html::select`:
/// the tree's node order, attached nodes only.
#[derive(Default)]
struct MarkupElements<'a> {
    /// `meta`.
    metas: Vec<ElementRef<'a>>,
    /// `script[type]`.
    scripts: Vec<ElementRef<'a>>,
    /// `link[rel][href]`.
    links: Vec<ElementRef<'a>>,
    /// `h1`.
    h1s: Vec<ElementRef<'a>>,
    /// The first `title`.
    title: Option<ElementRef<'a>>,
    /// The first `time[datetime]`'s `datetime`.
    time: Option<&'a str>,
}

impl<'a> MarkupElements<'a> {
    fn of(doc: &'a Html) -> Self {
        let mut found = Self::default();
        for node in doc.tree.nodes() {
            let Some(e) = ElementRef::wrap(node) else {
                continue;
            };
            if e.parent().is_none() {
                continue;
            }
            let v = e.value();
            // Interned names: one integer comparison each.
            match v.name.local {
                local_name!("meta") => found.metas.push(e),
                local_name!("script") if plain_attr(v, &local_name!("type")).is_some() => {
                    found.scripts.push(e)
                }
                local_name!("link")
                    if plain_attr(v, &local_name!("rel")).is_some()
                        && plain_attr(v, &local_name!("href")).is_some() =>
                {
                    found.links.push(e)
                }
                local_name!("h1") => found.h1s.push(e),
                local_name!("title") if found.title.is_none() => found.title = Some(e),
                local_name!("time") if found.time.is_none() => {
                    found.time = plain_attr(v, &local_name!("datetime"))
                }
                _ => {}
            }
        }
        found
    }
}

/// The texts of the kicker elements `kickers` (in document order, as the
/// page-type walk found them: its `PageStructure::kickers`).
fn kicker_texts(doc: &Html, kickers: &[NodeId]) -> Vec<String> {
    kickers
        .iter()
        .filter_map(|&id| doc.tree.get(id).and_then(ElementRef::wrap))
        // A kicker is a line, not a container: its text is not assembled
        // when it holds many nodes.
        .filter(|e| e.descendants().nth(MAX_KICKER_NODES).is_none())
        .map(|k| inline_text(*k))
        .filter(|t| !t.is_empty() && t.chars().count() <= MAX_KICKER_CHARS)
        .take(MAX_KICKERS)
        .collect()
}

/// The value of an element's attribute `name` in no namespace, as
/// `Element::attr` finds it, comparing interned names: `attr` interns its
/// argument on every call (a hash of the text), which cost more than the
/// search.
fn plain_attr<'a>(el: &'a Element, name: &LocalName) -> Option<&'a str> {
    el.attrs
        .iter()
        .find(|(n, _)| n.local == *name && n.ns == ns!() && n.prefix.is_none())
        .map(|(_, value)| &**value)
}

/// A `<meta>`'s `content`, and the name it is filed under: its `property`,
/// else its `name`, `itemprop` or `http-equiv`; one pass over the
/// attributes (see [`plain_attr`]).
fn meta_content_and_key(el: &Element) -> (Option<&str>, Option<&str>) {
    let (mut content, mut property, mut name, mut itemprop, mut http_equiv) =
        (None, None, None, None, None);
    for (n, value) in &el.attrs {
        if n.ns != ns!() || n.prefix.is_some() {
            continue;
        }
        let slot = match n.local {
            local_name!("content") => &mut content,
            local_name!("property") => &mut property,
            local_name!("name") => &mut name,
            local_name!("itemprop") => &mut itemprop,
            local_name!("http-equiv") => &mut http_equiv,
            _ => continue,
        };
        // Names are unique within an element (the tokenizer drops
        // repeats), so the first is the only one.
        slot.get_or_insert(&**value);
    }
    let key = property.or(name).or(itemprop).or(http_equiv);
    (content, key)
}

/// Most kicker texts kept per page, and their longest length.
const MAX_KICKERS: usize = 8;
const MAX_KICKER_CHARS: usize = 100;
const MAX_KICKER_NODES: usize = 16;

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
    let structure = page_structure(doc, &mut ClassHints::default(), &mut NodeFacts::default());
    page_metadata_with_kickers(doc, &structure.kickers)
}

/// [`page_metadata`], with the page's kicker elements as the page-type
/// walk found them (its `PageStructure::kickers`).
pub(crate) fn page_metadata_with_kickers(doc: &Html, kickers: &[NodeId]) -> Metadata {
    let mut m = Metadata::default();
    let mut meta = MetaValues::default();
    let found = MarkupElements::of(doc);
    for el in &found.metas {
        let (content, key) = meta_content_and_key(el.value());
        let Some(content) = content.map(str::trim).filter(|c| !c.is_empty()) else {
            continue;
        };
        meta.take(&key.unwrap_or("").to_ascii_lowercase(), content);
    }
    // JSON-LD: the first article-like object wins.
    let mut ld = LdArticle::default();
    for script in &found.scripts {
        let ty = plain_attr(script.value(), &local_name!("type")).unwrap_or("");
        if !ty.eq_ignore_ascii_case("application/ld+json") {
            continue;
        }
        let raw: String = script.text().collect();
        let Some(value) = parse_json_lenient(&raw) else {
            continue;
        };
        collect_ld(&value, &mut ld, &mut m.jsonld_types, 0);
        collect_objects(value, &mut m.jsonld_objects, 0);
    }
    for link in &found.links {
        let rel = plain_attr(link.value(), &local_name!("rel")).unwrap_or("");
        if rel
            .split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("canonical"))
        {
            m.canonical =
                plain_attr(link.value(), &local_name!("href")).map(|h| h.trim().to_string());
            break;
        }
    }
    if m.canonical.is_none() {
        m.canonical = meta.og_url.clone();
    }
    m.h1 = found
        .h1s
        .iter()
        .map(|h| inline_text(**h))
        .find(|t| !t.is_empty() && !is_login_heading(t));
    let html_title = found.title.map(|t| {
        t.text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    });
    m.site_name = meta.site_name.clone().or(ld.publisher.clone());
    m.site_names = [&meta.site_name, &ld.publisher]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    m.sections = [&meta.section, &ld.section]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    m.kickers = kicker_texts(doc, kickers);
    m.title = choose_title(
        ld.headline.as_deref(),
        meta.title.as_deref(),
        m.h1.as_deref(),
        html_title.as_deref(),
        &m.title_context(),
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
    let first_time = found.time.map(str::to_string);
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

impl Metadata {
    /// The site names and kickers a headline is cleaned with (see
    /// [`super::title::clean_title`]).
    pub fn title_context(&self) -> TitleContext {
        TitleContext {
            site_names: self.site_names.clone(),
            sections: self.sections.clone(),
            kickers: self.kickers.clone(),
        }
    }
}

#[derive(Default)]
struct MetaValues {
    section: Option<String>,
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
            "article:section" => set(&mut self.section),
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
    section: Option<String>,
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

/// Moves the objects of a parsed JSON-LD script that have a `@type` (at
/// the top, in arrays and in `@graph`) into `out`, in document order. (The
/// script's value is read once before, so its objects are taken, not
/// copied.)
fn collect_objects(value: Value, out: &mut Vec<serde_json::Map<String, Value>>, depth: usize) {
    if depth > 3 || out.len() >= MAX_JSONLD_OBJECTS {
        return;
    }
    match value {
        Value::Array(items) => items
            .into_iter()
            .for_each(|v| collect_objects(v, out, depth + 1)),
        Value::Object(mut obj) => {
            if obj.contains_key("@type") {
                // A typed object keeps its `@graph` (rare): its members
                // are copied.
                let graph = obj.get("@graph").cloned();
                out.push(obj);
                if let Some(graph) = graph {
                    collect_objects(graph, out, depth + 1);
                }
            } else if let Some(graph) = obj.remove("@graph") {
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
                ld.section = str_field(obj, "articleSection");
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
    fn kickers_are_read_from_class_id_and_data_cy_in_any_case() {
        let doc = parse_document(
            "<body><span class='article-Kicker'>Politics</span><p class='article-Kicker'>Sport</p>\
             <div class='plain'>not one</div><b id='TOPLINE'>Economy</b>\
             <i data-cy='eyebrow'>Culture</i><em title='kicker'>not a hint attribute</em></body>",
        );
        assert_eq!(
            page_metadata(&doc).kickers,
            ["Politics", "Sport", "Economy", "Culture"]
        );
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
