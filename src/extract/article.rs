//! Is this page an article? Judged from markup (`og:type`, JSON-LD
//! `@type`), the site's article URL patterns, and the extracted text itself
//! (connected prose rather than a list of links). URL shape alone is never
//! enough.

use super::metadata::{Metadata, ARTICLE_TYPES};
use super::text::{BlockKind, Paragraph};

/// Signals for the article decision.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleSignals {
    /// The markup declares an article (og:type article, JSON-LD article type).
    pub declared_article: bool,
    /// The markup declares a non-article (og:type website, JSON-LD
    /// CollectionPage / ItemList / SearchResultsPage).
    pub declared_listing: bool,
    /// The URL matches the site config's article patterns.
    pub url_matches_pattern: bool,
    /// Characters in prose paragraphs (long, few links).
    pub prose_chars: usize,
    /// Number of prose paragraphs.
    pub prose_paragraphs: usize,
}

/// Gathers the signals from metadata and the extracted paragraphs.
pub fn signals(
    meta: &Metadata,
    paragraphs: &[Paragraph],
    url_matches_pattern: bool,
) -> ArticleSignals {
    let og = meta.og_type.as_deref().unwrap_or("").to_ascii_lowercase();
    let declared_article = og == "article"
        || og.ends_with(":article")
        || meta
            .jsonld_types
            .iter()
            .any(|t| ARTICLE_TYPES.contains(&t.as_str()));
    let declared_listing = !declared_article
        && (og == "website"
            || meta.jsonld_types.iter().any(|t| {
                matches!(
                    t.as_str(),
                    "CollectionPage" | "ItemList" | "SearchResultsPage" | "WebSite"
                )
            }));
    let mut s = ArticleSignals {
        declared_article,
        declared_listing,
        url_matches_pattern,
        ..Default::default()
    };
    for p in paragraphs {
        let n = p.text.chars().count();
        if matches!(p.kind, BlockKind::Text | BlockKind::Quote) && n >= 80 && p.link_density() < 0.3
        {
            s.prose_chars += n;
            s.prose_paragraphs += 1;
        }
    }
    s
}

/// The decision: an article has connected prose, and either the markup or
/// the site's URL patterns say so, or there is so much prose that it must be.
pub fn is_article(s: &ArticleSignals) -> bool {
    let some_prose = s.prose_paragraphs >= 2 && s.prose_chars >= 400;
    let lots_of_prose = s.prose_paragraphs >= 5 && s.prose_chars >= 1500;
    if s.declared_listing && !s.url_matches_pattern {
        return lots_of_prose && s.prose_chars >= 3000;
    }
    if s.declared_article || s.url_matches_pattern {
        return some_prose || (s.prose_paragraphs >= 1 && s.prose_chars >= 250);
    }
    lots_of_prose
}
