//! The page pipeline: decode → parse (once) → site config or generic
//! extraction → text assembly → metadata → [`Record`].

pub mod abstain;
pub mod access;
pub mod anchor;
pub mod arbitrate;
pub mod article;
pub mod authors;
pub mod blocks;
pub mod body;
pub mod chooser;
pub mod classify;
pub mod dates;
pub mod generic;
pub mod language;
pub mod links;
pub mod metadata;
pub mod node_facts;
pub mod page_type;
pub mod site;
pub mod site_rules;
pub mod text;
pub mod title;
pub mod typed;

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, SecondsFormat, Utc};
use html5ever::tendril::ByteTendril;
use regex::Regex;
use thiserror::Error;
use url::Url;

use crate::decode::{declared_header_charset, decode_html_borrowed, is_utf16};
use crate::limits::{BINARY_SNIFF_BYTES, MARKUP_SNIFF_BYTES};
use crate::parse::{parse_document, parse_document_buffer, text_buffer};
use crate::record::{record_id, Record};
use crate::selectors::drift::{DriftSample, PageFate};
use crate::selectors::{SiteConfig, SiteRegistry};
pub use article::{is_article, ArticleSignals};
use body::ChosenBody;
pub use body::{ConfigHelp, ConfigOutcome};
pub use language::{choose_language, detect_language, LanguageMemo};
pub use links::PageLinks;
pub use metadata::Metadata;
pub use page_type::PageType;
pub use text::Paragraph;

/// One page to extract: its bytes and what is known about where they came from.
#[derive(Debug, Clone)]
pub struct PageInput<'a> {
    /// The raw bytes (any charset).
    pub bytes: &'a [u8],
    /// The HTTP `Content-Type`, when fetched.
    pub content_type: Option<&'a str>,
    /// The page's address (final URL after redirects, or `--url`).
    pub url: Option<Url>,
    /// When it was fetched (None for local input).
    pub fetched_at: Option<DateTime<Utc>>,
    /// The `url` of the record when neither `url` nor a canonical link is
    /// known (`file:///abs/path` or `stdin:`).
    pub local_label: Option<String>,
    /// `bytes` in the parser's own buffer type, when the reader put them in
    /// one: a UTF-8 page is then parsed in place instead of copied.
    pub buffer: Option<&'a ByteTendril>,
}

impl<'a> PageInput<'a> {
    /// A page from bytes, nothing else known.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            content_type: None,
            url: None,
            fetched_at: None,
            local_label: None,
            buffer: None,
        }
    }

    /// Sets the page's URL.
    pub fn with_url(mut self, url: Url) -> Self {
        self.url = Some(url);
        self
    }
}

/// Options of the pipeline.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Use per-site configs (false: generic extraction only).
    pub use_selectors: bool,
    /// Collect the page's links and feeds (for the crawler).
    pub collect_links: bool,
    /// Per-host memory of confirmed language declarations (a crawl shares
    /// one across its pages); `None` checks every page's declaration.
    pub language_memo: Option<Arc<LanguageMemo>>,
    /// Forces the page type instead of classifying the page (`eval
    /// --oracle-page-type` passes a corpus's gold type, to develop per-type
    /// extraction against; never used for reported figures).
    pub page_type: Option<PageType>,
    /// Keeps every page's scored text blocks in
    /// [`ExtractedPage::blocks`] (for training the block model; off in
    /// normal runs, where only pages the block model extracts are scored).
    pub keep_blocks: bool,
    /// Whether the block model extracts the page types it applies to
    /// (`eval --block-model never` measures what it changes).
    pub block_model: blocks::Use,
    /// Only an article's record is used (the crawler writes articles
    /// only): a page that is not one ([`ExtractedPage::is_article`]) skips
    /// the per-type extractors and the block model, and its record keeps
    /// the generic body. Its links, metadata and page type are unchanged.
    pub articles_only: bool,
    /// Extracts every page without a site config as each page type too,
    /// keeping each extraction's output in [`ExtractedPage::candidates`]
    /// (for training the chooser; off in normal runs).
    pub keep_candidates: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        Self {
            use_selectors: true,
            collect_links: false,
            language_memo: None,
            page_type: None,
            keep_blocks: false,
            block_model: blocks::Use::Always,
            articles_only: false,
            keep_candidates: false,
        }
    }
}

/// Why a page gave no record.
#[derive(Debug, Error, PartialEq)]
pub enum ExtractError {
    /// Zero bytes, or only whitespace.
    #[error("empty input")]
    Empty,
    /// Binary data (NUL bytes, control characters).
    #[error("binary data, not an HTML page")]
    Binary,
    /// Text without HTML markup.
    #[error("not HTML (no markup found)")]
    NotHtml,
    /// The page holds no article text (returned by callers that check
    /// [`ExtractedPage::has_text`]).
    #[error("no article text found")]
    NoText,
}

/// The result of the pipeline for one page.
#[derive(Debug, Clone)]
pub struct ExtractedPage {
    /// The record.
    pub record: Record,
    /// The article decision's inputs.
    pub signals: ArticleSignals,
    /// How sure the classifier is of the record's `page_type` (0..=1; 1
    /// when [`ExtractOptions::page_type`] forced it).
    pub page_type_confidence: f32,
    /// The page-level features the page type was judged on.
    pub features: classify::PageFeatures,
    /// The page's canonical URL, resolved, when it has one.
    pub canonical: Option<Url>,
    /// Links and feeds (when [`ExtractOptions::collect_links`]).
    pub links: PageLinks,
    /// The site config that matched, if any.
    pub site: Option<Arc<SiteConfig>>,
    /// Set when a site config's body was unusable and generic extraction
    /// was used instead: the reason.
    pub fallback: Option<String>,
    /// With a site config: whether its body won, was merged, lost the
    /// arbitration or fell back.
    pub outcome: Option<ConfigOutcome>,
    /// The page's scored text blocks, when the block model extracted the
    /// page or [`ExtractOptions::keep_blocks`] asked for them.
    pub blocks: Vec<blocks::ScoredBlock>,
    /// With [`ExtractOptions::keep_candidates`]: the chosen extraction,
    /// then the page extracted as each page type.
    pub candidates: Vec<chooser::Candidate>,
    /// With [`ExtractOptions::keep_candidates`]: whether the generic body
    /// is connected prose ([`article::holds_prose`]; false otherwise).
    pub generic_prose: bool,
}

impl ExtractedPage {
    /// Whether any body text was found (a record needs some).
    pub fn has_text(&self) -> bool {
        !self.record.body.is_empty()
    }

    /// Whether the page is an article: its prose and markup with its page
    /// type (see [`article::is_article_page`]).
    pub fn is_article(&self) -> bool {
        article::is_article_page(
            &self.signals,
            self.record.page_type,
            self.page_type_confidence,
        )
    }

    /// What the drift statistics record of this page: the site config's
    /// name, whether it was used, lost or fell back, and the body length
    /// (None without a config).
    pub fn drift_sample(&self) -> Option<DriftSample> {
        let (site, outcome) = (self.site.as_ref()?, self.outcome.as_ref()?);
        Some(DriftSample {
            site: site.name.clone(),
            fate: match outcome {
                ConfigOutcome::Won | ConfigOutcome::Merged => PageFate::Used,
                ConfigOutcome::Lost(_) => PageFate::Lost,
                ConfigOutcome::FellBack(_) => PageFate::FellBack,
            },
            body_chars: self.record.body.chars().count(),
        })
    }
}

static HTML_MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(!doctype|html|head|body|p|div|article|title|meta|table|span|a|h[1-6]|br|section|main|script)[\s>/]")
        .expect("static regex")
});

/// Rejects inputs that are not HTML pages before parsing them.
/// `content_type` is the HTTP header value, when known: a UTF-16 charset
/// there (like a UTF-16 byte-order mark) explains NUL bytes.
pub fn check_input(bytes: &[u8], content_type: Option<&str>) -> Result<(), ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    // Control bytes other than \n, \r, \t and \x0c, counted by chunks in
    // byte counters (which vectorise, where a filtered count took 11
    // instructions a byte).
    let controls: usize = head
        .chunks(255)
        .map(|chunk| {
            let n = chunk.iter().fold(0u8, |n, &b| {
                n + u8::from(b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
            });
            usize::from(n)
        })
        .sum();
    // UTF-16 documents carry NULs legitimately; a BOM or the header says so.
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || declared_header_charset(content_type, bytes).is_some_and(is_utf16);
    if !utf16 && controls * 100 > head.len() {
        return Err(ExtractError::Binary);
    }
    Ok(())
}

/// Runs the pipeline on one page.
pub fn extract_page(
    input: &PageInput<'_>,
    sites: &SiteRegistry,
    opts: &ExtractOptions,
) -> Result<ExtractedPage, ExtractError> {
    check_input(input.bytes, input.content_type)?;
    let tld = input
        .url
        .as_ref()
        .and_then(|u| u.host_str())
        .and_then(|h| h.rsplit('.').next())
        .map(str::to_string);
    let decoded = decode_html_borrowed(input.bytes, input.content_type, tld.as_deref());
    let head_len = decoded.text.len().min(MARKUP_SNIFF_BYTES);
    let head_end = (0..=head_len)
        .rev()
        .find(|&i| decoded.text.is_char_boundary(i))
        .unwrap_or(0);
    if !HTML_MARKUP.is_match(&decoded.text[..head_end]) {
        return Err(ExtractError::NotHtml);
    }
    let mut doc = match input.buffer.and_then(|b| text_buffer(b, &decoded.text)) {
        Some(text) => parse_document_buffer(text),
        None => parse_document(&decoded.text),
    };
    drop(decoded);
    // Class and id values are searched for hints once, in one walk for the
    // metadata's kickers and the page-type features alike. The walk reads
    // the tree before a config's drop rules change it, and records the
    // text counts and class values that the generic walk reads again.
    let mut class_hints = classify::ClassHints::default();
    let mut facts = node_facts::NodeFacts::for_tree(&doc.tree);
    let structure = classify::page_structure(&doc, &mut class_hints, &mut facts);
    let meta = metadata::page_metadata_with_kickers(&doc, &structure.kickers);

    let canonical = meta.canonical.as_deref().and_then(|c| match &input.url {
        Some(base) => base.join(c).ok(),
        None => Url::parse(c).ok(),
    });
    let canonical = canonical.filter(|u| matches!(u.scheme(), "http" | "https"));
    let page_url = input.url.clone().or_else(|| canonical.clone());
    let site = if opts.use_selectors {
        page_url
            .as_ref()
            .and_then(|u| sites.for_url(u))
            .filter(|s| !s.is_base())
            .cloned()
    } else {
        None
    };
    let links = match (&page_url, opts.collect_links) {
        (Some(u), true) => links::page_links(&doc, u),
        _ => PageLinks::default(),
    };

    let mut features = classify::page_features_of(&structure, &meta, page_url.as_ref());
    let fields = match &site {
        Some(site) => site::read_fields(&doc, &meta, site),
        None => site::SiteFields::default(),
    };
    let ChosenBody {
        paragraphs,
        outcome,
        help,
    } = body::choose_body(&mut doc, &meta, site.as_deref(), &facts);
    let url_matches = match (&site, &page_url) {
        (Some(s), Some(u)) => s.is_article_url(u.as_str()),
        _ => false,
    };
    let mut signals = article::signals(&meta, &paragraphs, url_matches);
    features.set_extraction(&signals);
    signals.single_post = features.single_post();
    let (page_type, page_type_confidence) = match opts.page_type {
        Some(forced) => (forced, 1.0),
        None => classify::classify(&features),
    };
    // Pages that are not articles: their type's main content (all posts,
    // all items, all sections) instead of the one article-like block.
    // A site config describes a news site's articles: its pages keep the
    // body arbitrated between the config and the generic extractor.
    // Only a type the classifier is fairly sure of replaces the article
    // body (a news page taken for documentation keeps it); a page without
    // article text gets its main region whatever its type.
    // The model's utility matrix may pick another extractor than the
    // record's type (a page between a listing and a service page extracted
    // as a collection), trusted as a forced type is.
    let current = if page_type_confidence >= typed::MIN_CONFIDENCE
        || blocks::applies(page_type, page_type_confidence)
    {
        page_type
    } else {
        PageType::Article
    };
    // A page whose generic body is connected prose keeps it: news pages the
    // classifier doubts (no metadata, a table layout) are not re-typed.
    let prose_article = current == PageType::Article && article::holds_prose(&paragraphs);
    let extract_as = (opts.page_type.is_none() && !prose_article)
        .then(|| classify::extraction_type(&features, current))
        .flatten();
    let (block_type, block_confidence) = match extract_as {
        Some(t) => (t, 1.0),
        None => (page_type, page_type_confidence),
    };
    // A page the caller will not write needs no main content of its type.
    let unwritten =
        opts.articles_only && !article::is_article_page(&signals, page_type, page_type_confidence);
    let content_input = chooser::ContentInput {
        doc: &doc,
        meta: &meta,
        generic: &paragraphs,
        typed_allowed: site.is_none() && !unwritten,
        block_model: opts.block_model,
        keep_blocks: opts.keep_blocks,
        page_chars: features.unlinked_text_chars(),
    };
    let (content, scored) = chooser::content_as(&content_input, block_type, block_confidence);
    let candidates = if opts.keep_candidates && site.is_none() {
        let candidate = |as_type: Option<PageType>, body: &[Paragraph]| {
            let mut body = body.to_vec();
            if abstain::shows_no_main_content(&doc, &body, &facts) {
                body.clear();
            }
            chooser::Candidate {
                as_type,
                features: chooser::output_features(&body, &paragraphs),
                body: text::join_paragraphs(&body),
            }
        };
        let mut all = vec![candidate(None, content.as_deref().unwrap_or(&paragraphs))];
        for t in PageType::ALL {
            let (c, _) = chooser::content_as(&content_input, t, 1.0);
            all.push(candidate(Some(t), c.as_deref().unwrap_or(&paragraphs)));
        }
        all
    } else {
        Vec::new()
    };
    let generic_prose = opts.keep_candidates && article::holds_prose(&paragraphs);
    let mut paragraphs = content.unwrap_or(paragraphs);
    // A script-rendered shell's leftover menu links are no main content.
    if site.is_none() && abstain::shows_no_main_content(&doc, &paragraphs, &facts) {
        paragraphs.clear();
    }
    // A page without text (a listing, a redirect page) still gives its links
    // and metadata; callers that need an article check `has_text`.
    let body = text::join_paragraphs(&paragraphs);

    let record_url = canonical
        .as_ref()
        .or(input.url.as_ref())
        .map(|u| u.to_string())
        .or_else(|| input.local_label.clone())
        .unwrap_or_else(|| "stdin:".to_string());
    let site_name = match (&site, &page_url) {
        (Some(s), _) => s.name.clone(),
        (None, Some(u)) => host_with_port(u),
        (None, None) => "local".to_string(),
    };
    let declared = meta
        .language
        .clone()
        .or_else(|| site.as_ref().and_then(|s| s.language.clone()));
    let language = match (&opts.language_memo, &page_url) {
        (Some(memo), Some(u)) => {
            language::choose_language_on_host(declared, &body, &host_with_port(u), memo)
        }
        _ => choose_language(declared, &body),
    };
    // A config's title and the metadata's, cleaned by one rule.
    let mut title_context = meta.title_context();
    if let Some(u) = &page_url {
        title_context = title_context.with_host(&host_with_port(u));
    }
    let title = fields
        .title
        .as_deref()
        .and_then(|t| title::clean_title(t, &title_context))
        .or_else(|| {
            meta.title
                .as_deref()
                .and_then(|t| title::clean_title(t, &title_context))
        });
    let record = Record {
        id: record_id(&record_url),
        url: record_url,
        site: site_name,
        title,
        authors: if fields.authors.is_empty() {
            meta.authors.clone()
        } else {
            fields.authors
        },
        published: fields.published.or(meta.published.clone()),
        modified: fields.modified.or(meta.modified.clone()),
        language,
        description: meta.description.clone(),
        body,
        extractor: match (&site, &outcome) {
            (Some(s), Some(o)) => o.extractor(&s.name, help),
            _ => "generic".to_string(),
        },
        fetched_at: input
            .fetched_at
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        page_type,
        paywalled: access::is_paywalled(&meta),
    };
    let fallback = match &outcome {
        Some(ConfigOutcome::FellBack(problem)) => Some(problem.to_string()),
        _ => None,
    };
    Ok(ExtractedPage {
        record,
        signals,
        page_type_confidence,
        features,
        canonical,
        links,
        site,
        fallback,
        outcome,
        blocks: scored,
        candidates,
        generic_prose,
    })
}

/// The host of a URL with its port when not the default (the `site` of
/// records without a config, and the crawler's unit of politeness).
pub fn host_with_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}
