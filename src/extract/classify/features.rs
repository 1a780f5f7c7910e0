//! Page-level features for the page-type classifier, computed in one walk
//! of the parsed DOM plus the page's metadata and URL. This is the one
//! implementation: the training data is dumped from it
//! (`examples/dump_page_features.rs`), and inference reads the same values.

use scraper::Html;
use url::Url;

use super::structure::{page_structure, ClassHints, PageStructure};
use crate::extract::article::ArticleSignals;
use crate::extract::metadata::{Metadata, ARTICLE_TYPES};
use crate::extract::node_facts::NodeFacts;

/// Names of the features, in the order of [`PageFeatures::values`].
pub const NAMES: &[&str] = &[
    // URL shape
    "url_depth",
    "url_query",
    "url_root",
    "url_date",
    "url_slug_words",
    "url_forum",
    "url_docs",
    "url_product",
    "url_collection",
    "url_listing",
    "url_service",
    "url_article",
    // metadata
    "og_article",
    "og_product",
    "og_website",
    "ld_article",
    "ld_tech",
    "ld_product",
    "ld_forum",
    "ld_itemlist",
    "ld_collection",
    "ld_faq",
    "ld_service",
    "ld_recipe",
    "meta_published",
    "meta_authors",
    // structure
    "log_text_chars",
    "link_density",
    "prose_share",
    "prose_paras",
    "longest_para",
    "log_links",
    "articles",
    "headings",
    "h1s",
    "code_blocks",
    "tables",
    "list_items_per_kchar",
    "forms",
    "cart_forms",
    "buttons",
    "prices",
    "currency_marks",
    "times",
    "images_per_kchar",
    "navs",
    "asides",
    "max_repeat",
    "repeat_groups",
    // class/id hints
    "hint_forum",
    "hint_product",
    "hint_card",
    "hint_docs",
    "hint_service",
    "hint_comment",
    "hint_single_post",
    "wp_post_link",
    // what extraction found
    "body_prose_chars",
    "body_prose_paras",
];

/// The features of one page, in the order of [`NAMES`].
#[derive(Debug, Clone, PartialEq)]
pub struct PageFeatures {
    values: Vec<f32>,
}

impl PageFeatures {
    /// The values, one per name of [`NAMES`].
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// One feature's value by name (None for an unknown name).
    pub fn get(&self, name: &str) -> Option<f32> {
        NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| self.values[i])
    }

    fn set(&mut self, name: &str, v: f32) {
        let i = NAMES
            .iter()
            .position(|n| *n == name)
            .expect("a feature name of NAMES");
        self.values[i] = v;
    }

    /// The page's visible text outside links, in characters as the walk
    /// counts them (a wide CJK character as three), recovered from
    /// `log_text_chars` and `link_density`.
    pub fn unlinked_text_chars(&self) -> usize {
        let chars = self.get("log_text_chars").map_or(0.0, f32::exp_m1);
        let linked = self.get("link_density").unwrap_or(0.0).clamp(0.0, 1.0);
        (chars * (1.0 - linked)).round() as usize
    }

    /// Whether the markup names the page a single post (WordPress body
    /// classes or REST link).
    pub fn single_post(&self) -> bool {
        self.get("hint_single_post").unwrap_or(0.0) > 0.0
            || self.get("wp_post_link").unwrap_or(0.0) > 0.0
    }

    /// Adds what the extraction found (prose paragraphs in the chosen body).
    pub fn set_extraction(&mut self, signals: &ArticleSignals) {
        self.set("body_prose_chars", log1p(signals.prose_chars));
        self.set("body_prose_paras", signals.prose_paragraphs.min(50) as f32);
    }
}

pub(super) fn log1p(n: usize) -> f32 {
    (n as f32).ln_1p()
}

fn flag(b: bool) -> f32 {
    if b {
        1.0
    } else {
        0.0
    }
}

fn path_has(path: &str, parts: &[&str]) -> bool {
    parts.iter().any(|p| path.contains(p))
}

fn url_features(f: &mut PageFeatures, url: Option<&Url>) {
    let Some(url) = url else { return };
    let path = url.path().to_ascii_lowercase();
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    f.set("url_depth", segments.len().min(10) as f32);
    f.set(
        "url_query",
        flag(url.query().is_some_and(|q| !q.is_empty())),
    );
    f.set("url_root", flag(segments.is_empty()));
    let date = segments.windows(2).any(|w| {
        w[0].len() == 4
            && w[0].starts_with(['1', '2'])
            && w[0].bytes().all(|b| b.is_ascii_digit())
            && w[1].len() <= 2
            && w[1].bytes().all(|b| b.is_ascii_digit())
    });
    f.set("url_date", flag(date));
    let slug = segments.last().copied().unwrap_or("");
    let slug = slug.rsplit_once('.').map_or(slug, |(s, _)| s);
    f.set(
        "url_slug_words",
        (slug.split(['-', '_']).filter(|w| w.len() > 1).count()).min(20) as f32,
    );
    let p = format!("{path}/");
    f.set(
        "url_forum",
        flag(
            path_has(
                &p,
                &[
                    "/forum",
                    "/thread",
                    "/topic",
                    "/t/",
                    "/community/",
                    "/discussion",
                    "/questions/",
                    "/viewtopic",
                    "/showthread",
                    "/board",
                ],
            ) || host.starts_with("forum")
                || host.starts_with("community")
                || host.contains("stackexchange")
                || host.contains("stackoverflow"),
        ),
    );
    f.set(
        "url_docs",
        flag(
            path_has(
                &p,
                &[
                    "/docs/",
                    "/doc/",
                    "/documentation/",
                    "/api/",
                    "/reference/",
                    "/manual/",
                    "/guide/",
                    "/guides/",
                    "/tutorial",
                    "/wiki/",
                    "/learn/",
                    "/library/",
                    "/sdk/",
                ],
            ) || host.starts_with("docs.")
                || host.starts_with("developer")
                || host.starts_with("dev."),
        ),
    );
    f.set(
        "url_product",
        flag(path_has(
            &p,
            &[
                "/product/",
                "/products/",
                "/p/",
                "/item/",
                "/dp/",
                "/shop/",
                "/store/",
                "/buy/",
            ],
        )),
    );
    f.set(
        "url_collection",
        flag(path_has(
            &p,
            &[
                "/collections/",
                "/collection/",
                "/category/",
                "/categories/",
                "/gallery",
                "/best-",
                "/top-",
                "/list",
            ],
        )),
    );
    f.set(
        "url_listing",
        flag(path_has(
            &p,
            &[
                "/tag/",
                "/tags/",
                "/search",
                "/archive",
                "/page/",
                "/author/",
                "/section/",
                "/topics/",
                "/latest",
            ],
        )),
    );
    f.set(
        "url_service",
        flag(path_has(
            &p,
            &[
                "/service",
                "/about",
                "/pricing",
                "/solutions/",
                "/features",
                "/contact",
                "/company",
                "/what-we-do",
                "/industries",
            ],
        )),
    );
    f.set(
        "url_article",
        flag(path_has(
            &p,
            &[
                "/news/",
                "/blog/",
                "/article",
                "/story/",
                "/post/",
                "/posts/",
                "/stories/",
            ],
        )),
    );
}

fn meta_features(f: &mut PageFeatures, meta: &Metadata) {
    let og = meta.og_type.as_deref().unwrap_or("").to_ascii_lowercase();
    f.set(
        "og_article",
        flag(og == "article" || og.ends_with(":article")),
    );
    f.set("og_product", flag(og.contains("product")));
    f.set("og_website", flag(og == "website"));
    let has = |types: &[&str]| {
        meta.jsonld_types
            .iter()
            .any(|t| types.contains(&t.as_str()))
    };
    f.set(
        "ld_article",
        flag(
            meta.jsonld_types
                .iter()
                .any(|t| ARTICLE_TYPES.contains(&t.as_str()) && t != "TechArticle"),
        ),
    );
    f.set(
        "ld_tech",
        flag(has(&["TechArticle", "APIReference", "SoftwareSourceCode"])),
    );
    f.set(
        "ld_product",
        flag(has(&[
            "Product",
            "Offer",
            "AggregateOffer",
            "ProductGroup",
            "IndividualProduct",
        ])),
    );
    f.set(
        "ld_forum",
        flag(has(&[
            "DiscussionForumPosting",
            "QAPage",
            "Question",
            "Answer",
            "Comment",
        ])),
    );
    f.set("ld_itemlist", flag(has(&["ItemList", "OfferCatalog"])));
    f.set(
        "ld_collection",
        flag(has(&["CollectionPage", "SearchResultsPage"])),
    );
    f.set("ld_faq", flag(has(&["FAQPage"])));
    f.set(
        "ld_service",
        flag(has(&[
            "Service",
            "ProfessionalService",
            "LocalBusiness",
            "Organization",
            "Corporation",
            "AboutPage",
            "ContactPage",
        ])),
    );
    f.set(
        "ld_recipe",
        flag(has(&["Recipe", "HowTo", "Event", "Course"])),
    );
    f.set("meta_published", flag(meta.published.is_some()));
    f.set("meta_authors", flag(!meta.authors.is_empty()));
}

/// Computes the page's features (the extraction-based ones stay zero
/// until [`PageFeatures::set_extraction`]).
pub fn page_features(doc: &Html, meta: &Metadata, url: Option<&Url>) -> PageFeatures {
    let mut facts = NodeFacts::default();
    let structure = page_structure(doc, &mut ClassHints::default(), &mut facts);
    page_features_of(&structure, meta, url)
}

/// [`page_features`] from the page's walk (see
/// [`super::structure::page_structure`], which reads class and id hints
/// through the page's [`ClassHints`] and records what the generic walk
/// reads again in its [`NodeFacts`]).
pub(crate) fn page_features_of(
    structure: &PageStructure,
    meta: &Metadata,
    url: Option<&Url>,
) -> PageFeatures {
    let mut f = PageFeatures {
        values: vec![0.0; NAMES.len()],
    };
    url_features(&mut f, url);
    meta_features(&mut f, meta);
    let w = &structure.walk;
    let text = w.text_chars.max(1) as f32;
    let kchars = text / 1000.0;
    f.set("log_text_chars", log1p(w.text_chars));
    f.set("link_density", w.link_chars as f32 / text);
    f.set("prose_share", w.prose_chars as f32 / text);
    f.set("prose_paras", w.prose_paras.min(100) as f32);
    f.set("longest_para", log1p(w.longest_para));
    f.set("log_links", log1p(w.links));
    f.set("articles", w.articles.min(50) as f32);
    f.set("headings", w.headings.min(100) as f32);
    f.set("h1s", w.h1s.min(10) as f32);
    f.set("code_blocks", w.code_blocks.min(50) as f32);
    f.set("tables", w.tables.min(20) as f32);
    f.set(
        "list_items_per_kchar",
        w.list_items as f32 / kchars.max(0.5),
    );
    f.set("forms", w.forms.min(20) as f32);
    f.set("cart_forms", w.cart_forms.min(10) as f32);
    f.set("buttons", log1p(w.buttons));
    f.set("prices", log1p(w.prices));
    f.set("currency_marks", log1p(w.currency));
    f.set("times", w.times.min(100) as f32);
    f.set("images_per_kchar", w.images as f32 / kchars.max(0.5));
    f.set("navs", w.navs.min(20) as f32);
    f.set("asides", w.asides.min(20) as f32);
    let (max_repeat, groups) = structure.repeats;
    f.set("max_repeat", log1p(max_repeat));
    f.set("repeat_groups", groups.min(50) as f32);
    for (i, name) in [
        "hint_forum",
        "hint_product",
        "hint_card",
        "hint_docs",
        "hint_service",
        "hint_comment",
    ]
    .into_iter()
    .enumerate()
    {
        f.set(name, log1p(w.hints[i]));
    }
    f.set("hint_single_post", flag(w.single_post));
    f.set("wp_post_link", flag(w.wp_post_link));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_count_elements_once_per_list_in_any_case() {
        let doc = crate::parse::parse_document(
            "<body><div class='Product-Card' id='x'>a</div><div id='COMMENTS'>b</div><p class='price price'>c</p></body>",
        );
        let f = page_features(&doc, &Metadata::default(), None);
        // product: Product-Card, price; card: Product-Card; comment: COMMENTS.
        assert_eq!(f.get("hint_product"), Some(log1p(2)));
        assert_eq!(f.get("hint_card"), Some(log1p(1)));
        assert_eq!(f.get("hint_comment"), Some(log1p(1)));
        assert_eq!(f.get("hint_forum"), Some(log1p(0)));
    }
}
