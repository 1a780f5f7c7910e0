//! Page-level features for the page-type classifier, computed in one walk
//! of the parsed DOM plus the page's metadata and URL. This is the one
//! implementation: the training data is dumped from it
//! (`examples/dump_page_features.rs`), and inference reads the same values.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use ego_tree::iter::Edge;
use scraper::node::Node;
use scraper::Html;
use url::Url;

use crate::extract::article::{prose_length, ArticleSignals};
use crate::extract::metadata::{Metadata, ARTICLE_TYPES};

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

fn log1p(n: usize) -> f32 {
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

const FORUM_HINTS: &[&str] = &[
    "post",
    "reply",
    "replies",
    "thread",
    "topic",
    "forum",
    "message",
    "username",
    "user-",
    "avatar",
    "signature",
    "answer",
    "vote",
];
const PRODUCT_HINTS: &[&str] = &[
    "product",
    "price",
    "cart",
    "sku",
    "basket",
    "checkout",
    "stock",
    "variant",
    "quantity",
    "add-to",
    "addtocart",
];
const CARD_HINTS: &[&str] = &[
    "card", "tile", "grid", "item", "teaser", "listing", "result", "entry",
];
const DOCS_HINTS: &[&str] = &[
    "toc",
    "docs",
    "doc-",
    "sidebar",
    "menu",
    "breadcrumb",
    "highlight",
    "language-",
    "api",
    "admonition",
    "version",
];
const SERVICE_HINTS: &[&str] = &[
    "hero",
    "feature",
    "pricing",
    "testimonial",
    "cta",
    "benefit",
    "service",
    "plan",
    "client",
    "partner",
];
const COMMENT_HINTS: &[&str] = &["comment"];

/// The hint lists, in the order of the `hint_*` features.
const HINT_LISTS: [&[&str]; 6] = [
    FORUM_HINTS,
    PRODUCT_HINTS,
    CARD_HINTS,
    DOCS_HINTS,
    SERVICE_HINTS,
    COMMENT_HINTS,
];

/// All hints in one case-insensitive automaton, and the list of each.
static HINTS: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let (patterns, lists): (Vec<&str>, Vec<usize>) = HINT_LISTS
        .iter()
        .enumerate()
        .flat_map(|(i, list)| list.iter().map(move |h| (*h, i)))
        .unzip();
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        // A full DFA: these few short patterns make a small one, and it is
        // the fastest to search over hundreds of thousands of short values.
        .kind(Some(AhoCorasickKind::DFA))
        .build(patterns)
        .expect("the hint lists are valid patterns");
    (automaton, lists)
});

/// Marks in `found` the hint lists with a hint inside `value` (any case).
fn hint_lists_in(value: &str, found: &mut [bool; 6]) {
    if value.is_empty() {
        return; // most elements have no class or no id
    }
    let (automaton, lists) = &*HINTS;
    for m in automaton.find_overlapping_iter(value) {
        found[lists[m.pattern().as_usize()]] = true;
    }
}

/// Running counts of the DOM walk.
#[derive(Default)]
struct Walk {
    text_chars: usize,
    link_chars: usize,
    prose_chars: usize,
    prose_paras: usize,
    longest_para: usize,
    links: usize,
    articles: usize,
    headings: usize,
    h1s: usize,
    code_blocks: usize,
    tables: usize,
    list_items: usize,
    forms: usize,
    cart_forms: usize,
    buttons: usize,
    prices: usize,
    currency: usize,
    times: usize,
    images: usize,
    navs: usize,
    asides: usize,
    hints: [usize; 6],
    single_post: bool,
    wp_post_link: bool,
}

const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];

/// Counts currency marks and prices (a currency mark next to a digit) in a
/// text.
fn count_prices(text: &str) -> (usize, usize) {
    let mut marks = 0;
    let mut prices = 0;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₽' | '₩') {
            marks += 1;
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            if next.is_some_and(char::is_ascii_digit) || prev.is_some_and(char::is_ascii_digit) {
                prices += 1;
            }
        }
    }
    (marks, prices)
}

/// The prose length of a text without its whitespace (the sum of
/// [`prose_length`] over its words), in one byte pass for ASCII text.
fn text_prose_length(text: &str) -> usize {
    if text.is_ascii() {
        // The ASCII characters of Unicode's White_Space (char::is_whitespace).
        return text
            .bytes()
            .filter(|b| !matches!(b, b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b' '))
            .count();
    }
    text.split_whitespace().map(prose_length).sum()
}

/// Whether a text holds one of the currency marks of [`count_prices`]:
/// `$`, or the UTF-8 of `£ ¥` (lead byte C2) or `€ ₹ ₽ ₩` (E2 82), found
/// by a vectorised search for their first bytes.
fn has_currency_mark(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'$', 0xC2, 0xE2, bytes).any(|i| match bytes[i] {
        b'$' => true,
        0xC2 => matches!(bytes.get(i + 1), Some(0xA3 | 0xA5)),
        _ => {
            bytes.get(i + 1) == Some(&0x82)
                && matches!(bytes.get(i + 2), Some(0xAC | 0xB9 | 0xBD | 0xA9))
        }
    })
}

/// Repeated siblings: for every element, its children grouped by tag and
/// class; returns the largest group and the number of groups of 4 or more
/// that hold links (an `<a>` among a child's first 64 nodes, itself
/// included, in document order).
///
/// The nodes are laid out in document order once, with the size of each
/// one's subtree and the next `<a>` from each position, so that a child's
/// link test is one comparison instead of a walk of 64 nodes.
fn repeated_siblings(doc: &Html) -> (usize, usize) {
    let mut max = 0;
    let mut groups = 0;
    let mut seen: Vec<(&str, &str, usize, bool)> = Vec::new();
    // Every node once: the document's tree, and any subtree the tree
    // builder left detached.
    for top in doc.tree.nodes().filter(|n| n.parent().is_none()) {
        let order = DocumentOrder::of(top);
        for (p, node) in order.nodes.iter().enumerate() {
            if !node.value().is_element() || !node.has_children() {
                continue;
            }
            seen.clear();
            let (mut c, end) = (p + 1, p + order.size[p]);
            while c < end {
                let child = order.nodes[c];
                let child_size = order.size[c];
                if let Some(el) = child.value().as_element() {
                    // The first class attribute (`attr` interns its argument).
                    let class = el
                        .attrs()
                        .find_map(|(name, value)| (name == "class").then_some(value));
                    let key = (el.name(), class.unwrap_or(""));
                    let linked = order.next_link[c] < c + child_size.min(64);
                    match seen.iter_mut().find(|s| s.0 == key.0 && s.1 == key.1) {
                        Some(s) => {
                            s.2 += 1;
                            s.3 |= linked;
                        }
                        None => seen.push((key.0, key.1, 1, linked)),
                    }
                }
                c += child_size;
            }
            for &(name, _, n, linked) in &seen {
                if matches!(
                    name,
                    "option"
                        | "tr"
                        | "td"
                        | "th"
                        | "br"
                        | "p"
                        | "span"
                        | "script"
                        | "meta"
                        | "link"
                ) {
                    continue;
                }
                max = max.max(n);
                if n >= 4 && linked {
                    groups += 1;
                }
            }
        }
    }
    (max, groups)
}

/// A subtree in document order: its nodes, the size of each one's subtree
/// (itself included), and for each position the first position at or after
/// it that holds an `<a>` (the length when none does).
struct DocumentOrder<'a> {
    nodes: Vec<ego_tree::NodeRef<'a, Node>>,
    size: Vec<usize>,
    next_link: Vec<usize>,
}

impl<'a> DocumentOrder<'a> {
    /// Lays out the subtree of `top`.
    fn of(top: ego_tree::NodeRef<'a, Node>) -> Self {
        let (mut nodes, mut size, mut open) = (Vec::new(), Vec::new(), Vec::new());
        for edge in top.traverse() {
            match edge {
                Edge::Open(node) => {
                    open.push(nodes.len());
                    nodes.push(node);
                    size.push(0);
                }
                Edge::Close(_) => {
                    if let Some(p) = open.pop() {
                        size[p] = nodes.len() - p;
                    }
                }
            }
        }
        let mut next_link = vec![nodes.len(); nodes.len()];
        let mut next = nodes.len();
        for (i, node) in nodes.iter().enumerate().rev() {
            if node.value().as_element().is_some_and(|e| e.name() == "a") {
                next = i;
            }
            next_link[i] = next;
        }
        Self {
            nodes,
            size,
            next_link,
        }
    }
}

/// Computes the page's features (the extraction-based ones stay zero
/// until [`PageFeatures::set_extraction`]).
pub fn page_features(doc: &Html, meta: &Metadata, url: Option<&Url>) -> PageFeatures {
    let mut f = PageFeatures {
        values: vec![0.0; NAMES.len()],
    };
    url_features(&mut f, url);
    meta_features(&mut f, meta);
    let w = walk(doc);
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
    let (max_repeat, groups) = repeated_siblings(doc);
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

fn walk(doc: &Html) -> Walk {
    let mut w = Walk::default();
    let mut hidden = 0usize;
    let mut in_link = 0usize;
    // Open paragraph-like blocks: (chars, link chars) of their text.
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if HIDDEN.contains(&name) {
                        hidden += 1;
                    }
                    if name == "link" && el.attr("rel") == Some("alternate") {
                        let href = el.attr("href").unwrap_or("");
                        w.wp_post_link |= href.contains("/wp-json/wp/v2/posts/");
                    }
                    if hidden > 0 {
                        continue;
                    }
                    match name {
                        "a" => {
                            in_link += 1;
                            w.links += 1;
                        }
                        "p" | "li" | "dd" | "blockquote" | "td" => blocks.push((0, 0)),
                        "article" => w.articles += 1,
                        "h1" => {
                            w.h1s += 1;
                            w.headings += 1;
                        }
                        "h2" | "h3" | "h4" | "h5" | "h6" => w.headings += 1,
                        "pre" => w.code_blocks += 1,
                        "table" => w.tables += 1,
                        "form" => {
                            w.forms += 1;
                            let action = el.attr("action").unwrap_or("").to_ascii_lowercase();
                            let class = el.attr("class").unwrap_or("").to_ascii_lowercase();
                            if action.contains("cart")
                                || class.contains("cart")
                                || action.contains("basket")
                            {
                                w.cart_forms += 1;
                            }
                        }
                        "button" => w.buttons += 1,
                        "time" => w.times += 1,
                        "img" => w.images += 1,
                        "nav" => w.navs += 1,
                        "aside" => w.asides += 1,
                        _ => {}
                    }
                    if matches!(name, "li") {
                        w.list_items += 1;
                    }
                    // One pass over the attributes (`attr` interns its argument).
                    let (mut class, mut id) = (None, None);
                    for (attr, value) in el.attrs() {
                        match attr {
                            "class" => _ = class.get_or_insert(value),
                            "id" => _ = id.get_or_insert(value),
                            _ => {}
                        }
                    }
                    let (class, id) = (class.unwrap_or(""), id.unwrap_or(""));
                    // No hint holds a space, so class and id are searched
                    // apart rather than joined.
                    let mut found = [false; 6];
                    hint_lists_in(class, &mut found);
                    hint_lists_in(id, &mut found);
                    for (count, hit) in w.hints.iter_mut().zip(found) {
                        *count += usize::from(hit);
                    }
                    if name == "body" {
                        let hay = format!("{class} {id}").to_ascii_lowercase();
                        w.single_post |= hay.contains("single-post") || hay.contains("postid-");
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    let n = text_prose_length(t);
                    if n == 0 {
                        continue;
                    }
                    w.text_chars += n;
                    if in_link > 0 {
                        w.link_chars += n;
                    }
                    if let Some(b) = blocks.last_mut() {
                        b.0 += n;
                        if in_link > 0 {
                            b.1 += n;
                        }
                    }
                    if has_currency_mark(t) {
                        let (marks, prices) = count_prices(t);
                        w.currency += marks;
                        w.prices += prices;
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Some(el) = node.value().as_element() else {
                    continue;
                };
                let name = el.name();
                if HIDDEN.contains(&name) {
                    hidden = hidden.saturating_sub(1);
                    continue;
                }
                if hidden > 0 {
                    continue;
                }
                match name {
                    "a" => in_link = in_link.saturating_sub(1),
                    "p" | "li" | "dd" | "blockquote" | "td" => {
                        if let Some((chars, link)) = blocks.pop() {
                            if chars >= 80 && link * 10 < chars * 3 {
                                w.prose_chars += chars;
                                w.prose_paras += 1;
                            }
                            w.longest_para = w.longest_para.max(chars);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKS: [char; 7] = ['$', '€', '£', '¥', '₹', '₽', '₩'];

    #[test]
    fn currency_marks_are_found_as_the_char_search_finds_them() {
        for text in [
            "costs $5",
            "5 €",
            "£3",
            "¥ 100",
            "₹ 9",
            "₽1",
            "₩ 2",
            "no price here",
            "quotes ’ “ ” – and ¢ © ₤ ₠",
            "",
            "trailing \u{c2}",
        ] {
            assert_eq!(has_currency_mark(text), text.contains(MARKS), "{text:?}");
        }
    }

    #[test]
    fn prose_length_of_a_text_is_the_sum_over_its_words() {
        for text in [
            "  one two\tthree\n\r\x0b\x0cfour  ",
            "\x1c\x1d not whitespace in Unicode",
            "",
            "   ",
            "naïve café 東京 text\u{a0}with nbsp",
        ] {
            let words: usize = text.split_whitespace().map(prose_length).sum();
            assert_eq!(text_prose_length(text), words, "{text:?}");
        }
    }

    /// The plain definition: every child's first 64 nodes walked.
    fn repeated_siblings_walked(doc: &Html) -> (usize, usize) {
        let (mut max, mut groups) = (0, 0);
        for node in doc.tree.nodes().filter(|n| n.value().is_element()) {
            let mut seen: Vec<(&str, &str, usize, bool)> = Vec::new();
            for child in node.children() {
                let Some(el) = child.value().as_element() else {
                    continue;
                };
                let key = (el.name(), el.attr("class").unwrap_or(""));
                let linked = child
                    .descendants()
                    .take(64)
                    .any(|d| d.value().as_element().is_some_and(|e| e.name() == "a"));
                match seen.iter_mut().find(|s| s.0 == key.0 && s.1 == key.1) {
                    Some(s) => {
                        s.2 += 1;
                        s.3 |= linked;
                    }
                    None => seen.push((key.0, key.1, 1, linked)),
                }
            }
            for &(name, _, n, linked) in &seen {
                let skipped = [
                    "option", "tr", "td", "th", "br", "p", "span", "script", "meta", "link",
                ];
                if !skipped.contains(&name) {
                    max = max.max(n);
                    groups += usize::from(n >= 4 && linked);
                }
            }
        }
        (max, groups)
    }

    #[test]
    fn repeated_siblings_match_the_walked_definition() {
        // Links at the 64-node edge: a card whose link is its 64th node
        // counts, one whose link is its 65th does not.
        let card = |filler: usize| {
            format!(
                "<div class='card'>{}<a href='/x'>x</a></div>",
                "<i></i>".repeat(filler)
            )
        };
        let edge = format!(
            "<body><section>{}</section><section>{}</section></body>",
            card(62).repeat(5),
            card(63).repeat(5)
        );
        let mut pages = vec![
            edge,
            "<ul><li><a href=/1>1</a><li><a href=/2>2</a><li>3<li><a>4</a><li>5</ul>".to_string(),
            "<table><tr><td><a>x</a><td>y</table><p><b>a<p>b</b>c".to_string(),
            String::new(),
        ];
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for dir in std::fs::read_dir(&fixtures).expect("fixtures").flatten() {
            for file in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if file.path().extension().is_some_and(|e| e == "html") {
                    let bytes = std::fs::read(file.path()).expect("fixture");
                    pages.push(crate::decode::decode_html(&bytes, None, None).text);
                }
            }
        }
        assert!(pages.len() > 8, "the fixtures were found");
        for page in &pages {
            let doc = crate::parse::parse_document(page);
            assert_eq!(
                repeated_siblings(&doc),
                repeated_siblings_walked(&doc),
                "{}",
                &page[..page.len().min(80)]
            );
        }
        // The cards with their link in reach make the one linked group; the
        // largest group is a card's 63 fillers.
        let doc = crate::parse::parse_document(&pages[0]);
        assert_eq!(repeated_siblings(&doc), (63, 1));
    }

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
