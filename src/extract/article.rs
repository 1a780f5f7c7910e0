//! Is this page an article? Judged from markup (`og:type`, JSON-LD
//! `@type`), the site's article URL patterns, and the extracted text itself
//! (connected prose rather than a list of links). URL shape alone is never
//! enough.

use super::generic::text_count::is_wide;
use super::metadata::{Metadata, ARTICLE_TYPES};
use super::page_type::PageType;
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
    /// The markup names the page a single post (WordPress's `single-post`
    /// / `postid-N` body classes, or a REST link to `wp-json/wp/v2/posts/N`).
    pub single_post: bool,
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
        let n = prose_length(&p.text);
        if matches!(p.kind, BlockKind::Text | BlockKind::Quote) && n >= 80 && p.link_density() < 0.3
        {
            s.prose_chars += n;
            s.prose_paragraphs += 1;
        }
    }
    s
}

/// Least prose paragraphs (table cells included) of a body that is
/// connected prose, see [`holds_prose`].
const MIN_PROSE_BODY_PARAGRAPHS: usize = 3;

/// True when a body holds [`MIN_PROSE_BODY_PARAGRAPHS`] paragraphs of
/// prose: long, few links, in text, quotes or table cells (old table-layout
/// pages set their article in cells).
pub fn holds_prose(paragraphs: &[Paragraph]) -> bool {
    paragraphs
        .iter()
        .filter(|p| {
            matches!(p.kind, BlockKind::Text | BlockKind::Quote | BlockKind::Cell)
                && prose_length(&p.text) >= 80
                && p.link_density() < 0.3
        })
        .take(MIN_PROSE_BODY_PARAGRAPHS)
        .count()
        >= MIN_PROSE_BODY_PARAGRAPHS
}

/// Length of a text in Latin-script-equivalent characters: a Chinese,
/// Japanese or Korean character carries about as much as three Latin ones,
/// so CJK prose is not mistaken for a list of short lines.
pub fn prose_length(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    // Counting characters needs no decoding (`count` skips continuation
    // bytes a word at a time), and every wide character's UTF-8 starts
    // with a lead byte in E3..=EF: a text without one (accented Latin,
    // Cyrillic, typographic quotes at E2) has none to decode.
    let chars = text.chars().count();
    if !text.bytes().any(|b| (0xE3..=0xEF).contains(&b)) {
        return chars;
    }
    chars + 2 * text.chars().filter(|&c| is_wide(c)).count()
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

/// Least probability at which a page classified as another type than
/// article is not an article, whatever its prose (a forum thread, a
/// product page or a listing with long teasers has prose too).
pub const NON_ARTICLE_CONFIDENCE: f32 = 0.8;

/// The crawler's decision: the prose signals of [`is_article`], with the
/// page type. A page confidently classified as a listing, forum, product,
/// ... is not an article (unless the site's article URL patterns say it
/// is); a page classified as an article that the markup names a single
/// post needs only a short news item's prose.
pub fn is_article_page(s: &ArticleSignals, page_type: PageType, confidence: f32) -> bool {
    match page_type {
        PageType::Article => {
            is_article(s) || (s.single_post && s.prose_paragraphs >= 2 && s.prose_chars >= 400)
        }
        _ if confidence >= NON_ARTICLE_CONFIDENCE && !s.url_matches_pattern => false,
        _ => is_article(s),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cjk_characters_count_as_three() {
        assert_eq!(prose_length("abc"), 3);
        assert_eq!(prose_length("東京都"), 9);
        assert_eq!(prose_length("서울"), 6);
    }

    #[test]
    fn prose_length_equals_the_length_by_decoding_every_character() {
        let by_chars = |t: &str| -> usize {
            t.chars()
                .map(|c| if super::is_wide(c) { 3 } else { 1 })
                .sum()
        };
        let samples = [
            "Grüße aus Köln, «Zitat» — “quotes” … €5",
            "Привет, мир",
            "mixed 東京 and ﾃｽﾄ and 한국어 and 豈",
        ];
        for s in samples {
            assert_eq!(super::prose_length(s), by_chars(s), "{s:?}");
        }
        // Every character of the planes with three-byte UTF-8, around
        // each wide range's bounds among them.
        let all: String = (0x0800..0x1_0000u32).filter_map(char::from_u32).collect();
        assert_eq!(super::prose_length(&all), by_chars(&all));
    }

    #[test]
    fn prose_in_table_cells_counts_as_a_prose_body() {
        use super::holds_prose;
        use crate::extract::text::{BlockKind, Paragraph};
        let long = "The council voted on Tuesday to extend the tram line after years of debate.";
        let para = |kind, link_chars| Paragraph {
            text: format!("{long} {long}"),
            kind,
            link_chars,
        };
        let cells = vec![para(BlockKind::Cell, 0); 3];
        assert!(holds_prose(&cells));
        assert!(!holds_prose(&cells[..2]));
        // Linked lines and list items are not prose.
        assert!(!holds_prose(&[
            para(BlockKind::Text, 0),
            para(BlockKind::Text, 0),
            para(BlockKind::Text, 100),
        ]));
        assert!(!holds_prose(&[
            para(BlockKind::Text, 0),
            para(BlockKind::ListItem, 0),
            para(BlockKind::Quote, 0),
        ]));
    }

    use super::prose_length;
    use crate::extract::{extract_page, ExtractOptions, PageInput};
    use crate::selectors::SiteRegistry;

    const PARA: &str = "<p>The council voted on Tuesday to extend the tram line, a decision that follows years of debate, two public consultations and a long campaign by residents.</p>";

    fn article(html: &str) -> bool {
        let input = PageInput::new(html.as_bytes())
            .with_url("https://news.example.com/city/tram".parse().unwrap());
        match extract_page(&input, &SiteRegistry::empty(), &ExtractOptions::default()) {
            Ok(page) => page.is_article(),
            Err(_) => false,
        }
    }

    fn listing_items(n: usize) -> String {
        (0..n)
            .map(|i| format!("<li><a href=/s/{i}>Headline number {i} about the council and the tram line</a></li>"))
            .collect()
    }

    #[test]
    fn declared_article_with_prose() {
        let html = format!("<html><head><meta property=og:type content=article></head><body><article><h1>Tram</h1>{}</article></body></html>", PARA.repeat(3));
        assert!(article(&html));
    }

    #[test]
    fn jsonld_news_article_with_prose() {
        let html = format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Tram"}}</script></head><body><div>{}</div></body></html>"#,
            PARA.repeat(3)
        );
        assert!(article(&html));
    }

    #[test]
    fn undeclared_long_prose_is_an_article() {
        let html = format!(
            "<html><body><div class=content>{}</div></body></html>",
            PARA.repeat(12)
        );
        assert!(article(&html));
    }

    #[test]
    fn home_page_listing_is_not() {
        let html = format!("<html><head><meta property=og:type content=website></head><body><ul>{}</ul></body></html>", listing_items(60));
        assert!(!article(&html));
    }

    #[test]
    fn section_page_with_teasers_is_not() {
        let teasers: String = (0..20)
            .map(|i| format!("<div class=teaser><h2><a href=/s/{i}>Headline {i}</a></h2><p>A short teaser line for story {i}.</p></div>"))
            .collect();
        let html = format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"CollectionPage"}}</script></head><body>{teasers}</body></html>"#
        );
        assert!(!article(&html));
    }

    fn wordpress_page(file: &str, url: &str) -> bool {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(root.join("fixtures/wordpress-block-theme").join(file)).unwrap();
        let input = PageInput::new(&bytes).with_url(url.parse().unwrap());
        extract_page(&input, &SiteRegistry::empty(), &ExtractOptions::default())
            .unwrap()
            .is_article()
    }

    #[test]
    fn a_short_wordpress_post_is_an_article_and_its_listings_are_not() {
        // No og:type, no JSON-LD: a 179-word post is known by its
        // single-post markup (issue 12).
        let base = "http://127.0.0.2:8080";
        assert!(wordpress_page(
            "short-post/page.html",
            &format!("{base}/2024/03/05/river-rises-two-metres-as-rain-hits-leeds/")
        ));
        assert!(wordpress_page(
            "post/page.html",
            &format!(
                "{base}/2024/02/07/artigiani-di-trento-un-anno-di-crescita-ma-mancano-tecnici/"
            )
        ));
        assert!(!wordpress_page("home.html", &format!("{base}/")));
        assert!(!wordpress_page(
            "category.html",
            &format!("{base}/category/economia/")
        ));
        assert!(!wordpress_page(
            "author.html",
            &format!("{base}/author/marco-testa/")
        ));
    }

    #[test]
    fn declared_article_without_text_is_not() {
        let html = format!("<html><head><meta property=og:type content=article></head><body><ul>{}</ul></body></html>", listing_items(10));
        assert!(!article(&html));
    }
}
