//! Main content of pages that are not articles: a forum's posts, a
//! listing's or collection's items, a product's description and
//! specifications, a service page's sections, documentation without its
//! navigation.
//!
//! [`typed_body`] runs after the page type is known (see
//! [`super::classify`]); it reads the same parsed tree as the generic
//! extractor, and its paragraphs replace the generic (article) body when
//! it finds the page type's main content. Articles keep the generic body.

pub mod cards;
mod described;
pub mod disclosure;
mod items;
mod posters;
mod posts;
pub mod product;
pub mod region;
pub(crate) mod repeated;
mod sections;
pub mod widgets;

use scraper::Html;

use super::metadata::Metadata;
use super::page_type::PageType;
use super::text::Paragraph;
use items::ItemKind;
use region::MainRegion;

/// Classifier confidence from which a page's type replaces its article
/// body (below it, the page is extracted as an article: measured on
/// wcxb-dev, 0.75 keeps misclassified news pages whole for 0.005 of word
/// F1).
///
/// A lower gate for products alone (their typed body and the block
/// model's filter from 0.5, 0.4 or 0.3) gains on wcxb-dev's tuning part
/// and loses on its validation part (tuning / validation 0.8850 / 0.8754
/// -> 0.8854 / 0.8752, 0.8858 / 0.8745, 0.8859 / 0.8745; product 0.7523 /
/// 0.6891 -> 0.7577 / 0.6864, 0.7632 / 0.6779, 0.7643 / 0.6779): the
/// doubted product pages hold prose, and keeping their generic body when
/// it is prose undoes the whole change.
pub const MIN_CONFIDENCE: f32 = 0.75;

/// What the per-type extraction gets: the parsed page, its metadata and
/// the generic extractor's (article) paragraphs.
#[derive(Debug, Clone, Copy)]
pub struct TypedInput<'a> {
    /// The parsed page (after a site config's `drop` rules, when one matched).
    pub doc: &'a Html,
    /// The page's metadata (title, JSON-LD, ...).
    pub meta: &'a Metadata,
    /// The generic extractor's paragraphs.
    pub generic: &'a [Paragraph],
    /// The page's visible text, in characters as the page-type walk counts
    /// them ([`crate::extract::classify::PageFeatures::text_chars`]).
    pub page_chars: usize,
}

/// The main content of a page of type `page_type`, or `None` to keep the
/// generic body (articles with an article body).
///
/// A page of any type on which the article extractor found nothing gets
/// its main region's text (short sections, link-heavy but real content
/// that the article extractor rejects), when it has any, and so does one
/// whose typed extractor kept nothing.
pub fn typed_body(page_type: PageType, input: &TypedInput<'_>) -> Option<Vec<Paragraph>> {
    let typed = match page_type {
        PageType::Article => thread_beside_article(input),
        PageType::Forum => items::items_body(input.doc, input.generic, ItemKind::Posts),
        PageType::Listing | PageType::Collection => {
            items::items_body(input.doc, input.generic, ItemKind::Cards)
        }
        PageType::Product => Some(product::product_body(input)),
        // A service page is all its sections (hero, features, pricing,
        // FAQ); documentation is its main region without the sidebar and
        // table of contents (chrome to the walk). A feature box's parts
        // (`promo-title` in a `promo` with prose) go with the box.
        PageType::Documentation | PageType::Service => {
            Some(MainRegion::find_judging(input.doc, true).paragraphs())
        }
    };
    // A typed extractor that found its structure but kept nothing of it
    // (a grid whose cards are all template lines, shown while the page's
    // content waits hidden for a script) falls back as one that found
    // nothing.
    typed.filter(|t| !t.is_empty()).or_else(|| {
        input
            .generic
            .is_empty()
            .then(|| MainRegion::find(input.doc).paragraphs())
    })
}

/// How many times the generic body's words a thread's posts must hold to
/// replace it on a page typed as an article (see [`thread_beside_article`]).
/// Wcxb-dev tuning / validation 0.8868 / 0.8764 -> 0.8881 / 0.8790
/// (article 0.9517 / 0.9594 -> 0.9517 / 0.9621, forum 0.8464 / 0.7299 ->
/// 0.8545 / 0.7299, listing 0.7702 / 0.7878 -> 0.7793 / 0.7878, service
/// 0.8715 / 0.7764 -> 0.8716 / 0.7867), generic 0.9417 / 0.9371 ->
/// 0.9418 / 0.9377, publishers records identical. 2 times: wcxb-dev
/// 0.8879 / 0.8792, publishers 0.9630 / 0.9665, generic 0.9407 / 0.9363;
/// 8 times: wcxb-dev 0.8875 / 0.8764. Posts that merely
/// cover the generic body with what introduces them (a news article
/// above its comments) lose: wcxb-dev 0.8848 / 0.8788, publishers tuning
/// 0.9638 -> 0.9582, generic validation 0.9371 -> 0.9363.
const MIN_THREAD_TO_ARTICLE_WORDS: usize = 4;

/// Most words of a generic body that may be one post taken for the
/// article: a longer body is no single post, and a multi-megabyte page's
/// second walk for posts would pass the memory bound (tests/peak_memory.rs:
/// 23.7 times a 5 MB page of table rows, against 20 allowed).
const MAX_POST_WORDS: usize = 5_000;

/// How many times the generic body's characters the page's visible text
/// must hold before a thread is looked for on a page typed as an article
/// (below [`MIN_THREAD_TO_ARTICLE_WORDS`], as words and characters differ).
const MIN_PAGE_TO_BODY_CHARS: usize = 4;

/// A thread's posts on a page typed as an article, when they hold the
/// generic body (see [`items::items_body`]) and [`MIN_THREAD_TO_ARTICLE_WORDS`]
/// times its words: the generic extractor took one post for the article.
fn thread_beside_article(input: &TypedInput<'_>) -> Option<Vec<Paragraph>> {
    let words =
        |ps: &[Paragraph]| -> usize { ps.iter().map(|p| p.text.split_whitespace().count()).sum() };
    let generic = words(input.generic);
    if generic == 0 || generic > MAX_POST_WORDS {
        return None;
    }
    // A body of connected prose on a page without room, outside links,
    // for posts holding several times its text is an article: no thread
    // is looked for (the search costs about 5% of a news page's time).
    if crate::extract::article::holds_prose(input.generic) {
        let body_chars: usize = input
            .generic
            .iter()
            .map(|p| crate::extract::article::prose_length(&p.text))
            .sum();
        if input.page_chars < MIN_PAGE_TO_BODY_CHARS * body_chars {
            return None;
        }
    }
    items::thread_in_article(input.doc, input.generic)
        .filter(|posts| words(posts) >= MIN_THREAD_TO_ARTICLE_WORDS * generic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::BlockKind;
    use crate::parse::parse_document;

    const PAGE: &str = "<body><nav><a href=/>Home</a></nav><main><h1>Opening hours</h1>\
        <p>Monday to Friday</p><p>9 to 17</p></main><footer>Contact</footer></body>";

    /// The texts of `html`'s typed body as `page_type` (the generic body
    /// empty), or None when the typed extractor found nothing.
    fn typed_texts(html: &str, page_type: PageType) -> Option<Vec<String>> {
        let doc = parse_document(html);
        let meta = Metadata::default();
        let input = TypedInput {
            doc: &doc,
            meta: &meta,
            generic: &[],
            page_chars: usize::MAX,
        };
        typed_body(page_type, &input).map(|body| body.into_iter().map(|p| p.text).collect())
    }

    #[test]
    fn articles_with_text_keep_the_generic_body() {
        assert_eq!(as_article(PAGE, "Monday to Friday"), None);
    }

    /// The typed body of `html` as an article whose generic body is
    /// `generic` (one paragraph).
    fn as_article(html: &str, generic: &str) -> Option<Vec<String>> {
        let doc = parse_document(html);
        let meta = Metadata::default();
        let generic = [Paragraph {
            text: generic.to_string(),
            kind: BlockKind::Text,
            link_chars: 0,
        }];
        let input = TypedInput {
            doc: &doc,
            meta: &meta,
            generic: &generic,
            page_chars: usize::MAX,
        };
        typed_body(PageType::Article, &input).map(|b| b.into_iter().map(|p| p.text).collect())
    }

    /// Four posts of a thread about a lathe, each of some twenty words.
    fn lathe_posts() -> String {
        let said = [
            "Which lathe should a beginner buy for turning bowls and spindles in a small garage workshop?",
            "A small benchtop one, bought used if you can find it, with a variable speed motor and a long bed.",
            "Mine came with a chuck and two tool rests, which was plenty for the first year of turning bowls.",
            "Check the bed and the bearings for wear before buying, and budget for sharpening the gouges too.",
        ];
        said.iter()
            .zip(["ann", "bob", "cy", "dee"])
            .map(|(s, who)| {
                format!("<div class=post><p>{who}</p><div class=body><p>{s}</p></div></div>")
            })
            .collect()
    }

    #[test]
    fn a_thread_taken_for_an_article_gets_its_posts() {
        let first = "Which lathe should a beginner buy for turning bowls and spindles in a small garage workshop?";
        let html = format!("<body><div class=thread>{}</div></body>", lathe_posts());
        let texts = as_article(&html, first).unwrap();
        assert_eq!(texts.len(), 8, "{texts:?}");
        assert!(
            texts.iter().any(|t| t.starts_with("Check the bed")),
            "{texts:?}"
        );
    }

    #[test]
    fn an_article_with_comments_keeps_its_body() {
        // The posts (comments) are not where the article stands.
        let article = "The town opened its first public woodworking shop on Monday, \
            with four lathes and a teacher.";
        let html = format!(
            "<body><div class=page><p>{article}</p><div class=comments>{}</div></div></body>",
            lathe_posts()
        );
        assert_eq!(as_article(&html, article), None);
    }

    #[test]
    fn a_page_without_article_text_gets_its_main_region() {
        for page_type in [PageType::Article, PageType::Listing] {
            let texts = typed_texts(PAGE, page_type).unwrap();
            assert_eq!(texts, ["Opening hours", "Monday to Friday", "9 to 17"]);
        }
    }

    #[test]
    fn a_service_pages_feature_box_keeps_its_parts_with_its_prose() {
        // Alone, the title and the short line (weak chrome by their
        // class, without prose) would be left out; the box holds prose.
        let html = "<body><nav><a href=/>Home</a></nav><main><h1>Bookkeeping</h1>\
            <div class=promo><h3 class=promo-title>Monthly close</h3>\
            <p>We reconcile your accounts every month, file your sales tax on time and send \
            you a plain report of where your money went, with notes on what to change.</p>\
            <p>Your bookkeeper answers questions by phone or mail within one working day, \
            and meets you once a quarter to plan the next one.</p>\
            <p class=promo-note>From 90 a month</p></div></main></body>";
        let texts = typed_texts(html, PageType::Service).unwrap();
        for kept in ["Monthly close", "From 90 a month"] {
            assert!(texts.contains(&kept.to_string()), "{kept}: {texts:?}");
        }
        assert!(!texts.iter().any(|t| t.contains("Home")), "{texts:?}");
    }

    #[test]
    fn cards_that_keep_nothing_fall_back_to_the_main_region() {
        // Three alike cards, each only a template line: the cards keep
        // nothing, and the page's content is in its hidden wrapper.
        let card = "<div class=card><p>Add to cart now</p></div>";
        let html = format!(
            "<body><div class=grid>{card}{card}{card}</div><div style='display:none'>\
             <h1>Coffee</h1><p>Dark roast beans, ground for drip machines and French presses.</p>\
             </div></body>"
        );
        let texts = typed_texts(&html, PageType::Collection).unwrap();
        assert_eq!(
            texts,
            [
                "Add to cart now",
                "Add to cart now",
                "Add to cart now",
                "Coffee",
                "Dark roast beans, ground for drip machines and French presses."
            ]
        );
    }
}
