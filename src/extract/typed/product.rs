//! A product page's main content: its description and specifications.
//!
//! The page's main region with its hidden tab panels (a specifications
//! table behind a "Specifications" tab counts), and the JSON-LD
//! `Product.description` ahead of it when the page's visible text does
//! not hold it (shops that render the description from script). Other
//! products shown beside this one are left out: priced or linked card
//! groups, review blocks, and sections headed "Related products",
//! "Customers who viewed this item also viewed" and the like; so are lines
//! that are a bare price (the buy box's figure: the expected text of a
//! product is what it is, not what it costs).

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use ego_tree::NodeId;
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use scraper::ElementRef;

use super::described::{insert_unless_shown, jsonld_description};
use super::items::drop_repeated_lines;
use super::region::{furniture, headed_sections, MainRegion, MAX_HEADING_CHARS};
use super::repeated::{link_cards, Layout};
use super::TypedInput;
use crate::extract::blocks::{self, ScoredBlock, Thresholds};
use crate::extract::classify::count_prices;
use crate::extract::generic::dom::{Page, NONE};
use crate::extract::metadata::Metadata;
use crate::extract::text::{BlockKind, Paragraph};

/// The product's description and specifications.
pub fn product_body(input: &TypedInput<'_>) -> Vec<Paragraph> {
    let region = MainRegion::find(input.doc);
    let layout = Layout::of(&region.page, false);
    let cards: HashSet<NodeId> = link_cards(&region.page, &layout, MIN_CARDS)
        .into_iter()
        .chain(price_cards(&region.page, &layout, region.root))
        .chain(review_blocks(&region.page, &layout, region.root))
        .chain(furniture(&region.page, &layout, region.root))
        .chain(headed_sections(
            &region.page,
            &layout,
            region.root,
            MAX_OTHER_PRODUCTS_SHARE,
            heads_other_products,
        ))
        .map(|i| region.page.elems[i as usize].node.id())
        .collect();
    let mut paragraphs = region.paragraphs_without(&cards);
    paragraphs.retain(|p| matches!(p.kind, BlockKind::Heading(_)) || !is_bare_price(&p.text));
    if let Some(description) = jsonld_description(input.meta) {
        let shown = crate::extract::text::join_paragraphs(&paragraphs);
        insert_unless_shown(&mut paragraphs, &description, &shown);
    }
    // Any line a product page shows twice is one block rendered twice.
    drop_repeated_lines(&mut paragraphs, 1);
    paragraphs
}

/// A product's body from the block model's `scored` blocks (the model
/// filtering the typed body: [`blocks::filters`]), each long paragraph
/// once (see [`drop_contained`]). The JSON-LD description goes after the
/// product's name when the body shows (almost) nothing else and no block
/// of the page shows it: a page whose description a script renders. A
/// page that shows its own description and specifications does not get
/// the metadata's (a shop's summary for search engines, which the page
/// itself does not show; a description the page shows and the model left
/// out stays out).
pub fn from_blocks(scored: &[ScoredBlock], meta: &Metadata) -> Vec<Paragraph> {
    let mut paragraphs = blocks::blocks_body_with(scored, &Thresholds::FILTER);
    drop_contained(&mut paragraphs);
    let shown_words: usize = paragraphs
        .iter()
        .map(|p| p.text.split_whitespace().count())
        .sum();
    if shown_words >= MAX_WORDS_FOR_METADATA {
        return paragraphs;
    }
    if let Some(description) = jsonld_description(meta) {
        let page: Vec<&str> = scored.iter().map(|s| s.block.text.as_str()).collect();
        insert_unless_shown(&mut paragraphs, &description, &page.join("\n"));
    }
    paragraphs
}

/// Words of the body from which a product page describes itself and the
/// JSON-LD description is not added (on wcxb-dev's tuning products, the
/// expected text left it out on 13 pages whose bodies had 41 to 1,800
/// words; it was the whole text of one page whose body had 4 words).
const MAX_WORDS_FOR_METADATA: usize = 30;

/// Words from which a paragraph said again is left out, and the length
/// of the word runs compared.
const MIN_CONTAINED_WORDS: usize = 8;

/// Leaves out a paragraph of [`MIN_CONTAINED_WORDS`] words or more whose
/// every run of that many words the kept paragraphs before it already
/// show: the same description rendered for phones and for desktops, a
/// teaser said again at the start of the full text. Table cells stay (a
/// value may recur). Linear in the body's words (hashed word runs).
fn drop_contained(paragraphs: &mut Vec<Paragraph>) {
    let mut seen: FxHashSet<u64> = FxHashSet::default();
    paragraphs.retain(|p| {
        let words: Vec<String> = p
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if p.kind == BlockKind::Cell || words.len() < MIN_CONTAINED_WORDS {
            return true;
        }
        let runs: Vec<u64> = words
            .windows(MIN_CONTAINED_WORDS)
            .map(|run| {
                let mut h = FxHasher::default();
                run.hash(&mut h);
                h.finish()
            })
            .collect();
        if runs.iter().all(|r| seen.contains(r)) {
            return false;
        }
        seen.extend(runs);
        true
    });
}

/// Words (with a letter) a line may hold beside its prices to be a bare
/// price ("$79.99", "Price $79.99", "From: £2.98").
const MAX_PRICE_LINE_WORDS: usize = 1;

/// True for a line that is a price and nothing more: the buy box's figure,
/// another product's tile or an edition's price, not a description (a
/// price with its terms, "$24.95 each with the stand", stays).
fn is_bare_price(text: &str) -> bool {
    count_prices(text).1 > 0
        && text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
            <= MAX_PRICE_LINE_WORDS
}

/// Alike link cards from which a group is other products (related,
/// recently viewed), not part of this one.
const MIN_CARDS: usize = 3;

/// Longest text (visible characters) of a priced card: another product's
/// tile (name, price, shipping, seller), not a description.
const MAX_PRICE_CARD_CHARS: u64 = 400;

/// Share of a group's members with text that must show a price.
const MIN_PRICED_SHARE: f64 = 0.6;

/// Largest share of the region's text a group of priced cards may hold to
/// be other products: more is the page's own content (this product's
/// editions and what each includes, or a listing taken for a product).
const MAX_PRICED_GROUP_SHARE: f64 = 1.0 / 3.0;

/// The members of every group of at least [`MIN_CARDS`] alike siblings
/// (same parent, tag and class) that are short and mostly show a price:
/// other products ("people who viewed this also viewed", sponsored items)
/// or this one's price in other currencies, whether or not the cards are
/// links; unless they hold a large share of the region `root`'s text.
fn price_cards(page: &Page<'_>, layout: &Layout, root: u32) -> Vec<u32> {
    let max_chars = MAX_PRICED_GROUP_SHARE * layout.text(page, root).0 as f64;
    // Per group: its priced members and how many members have text.
    let mut groups: FxHashMap<(u32, &str, &str), (Vec<u32>, usize)> = FxHashMap::default();
    for (i, e) in page.elems.iter().enumerate() {
        let Some(el) = e.element() else { continue };
        if e.parent == NONE || layout.blocked[i] {
            continue;
        }
        let chars = layout.text(page, i as u32).0;
        if chars == 0 {
            continue;
        }
        let entry = groups
            .entry((e.parent, el.name(), el.attr("class").unwrap_or("")))
            .or_default();
        entry.1 += 1;
        if chars <= MAX_PRICE_CARD_CHARS {
            let text: String = ElementRef::wrap(e.node)
                .map(|r| r.text().collect())
                .unwrap_or_default();
            if count_prices(&text).1 > 0 {
                entry.0.push(i as u32);
            }
        }
    }
    groups
        .into_values()
        .filter(|(priced, with_text)| {
            priced.len() >= MIN_CARDS
                && priced.len() as f64 >= MIN_PRICED_SHARE * *with_text as f64
                && priced.iter().map(|&i| layout.text(page, i).0).sum::<u64>() as f64 <= max_chars
        })
        .flat_map(|(priced, _)| priced)
        .collect()
}

/// Headings of sections that show other products than the page's:
/// recommendation rails, "frequently bought together" boxes, what other
/// buyers looked at (the whole line, trailing punctuation allowed).
const OTHER_PRODUCTS_HEADINGS: &str = concat!(
    r"(?i)^(",
    r"(explore |shop )?related (products|items)",
    r"|you (may|might|will) also (like|love|be interested in)",
    r"|similar (items|products)",
    r"|(customers|people|shoppers) (who|also) (bought|viewed|purchased|searched)[^.!?]{0,40}",
    r"|frequently bought together|recently viewed( items| products)?",
    r"|complete the look|shop the look|recommended (for you|products|items)",
    r"|(sponsored|more) (items|products)",
    r"|ähnliche (artikel|produkte)|das könnte (dir|ihnen) auch gefallen",
    r"|vous (aimerez|aimeriez|pourriez aimer) aussi|produits similaires",
    r"|te puede interesar|productos relacionados|prodotti correlati",
    r")\W*$"
);

/// [`OTHER_PRODUCTS_HEADINGS`], compiled once.
static OTHER_PRODUCTS_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(OTHER_PRODUCTS_HEADINGS).expect("static regex"));

/// True when a short line heads a section of other products.
fn heads_other_products(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= MAX_HEADING_CHARS && OTHER_PRODUCTS_HEADING.is_match(t)
}

/// Largest share of the region's text a section of other products may
/// hold (more: the heading's container is the page's content).
const MAX_OTHER_PRODUCTS_SHARE: f64 = 1.0 / 3.0;

/// Largest share of the region's text a block named as reviews may hold to
/// be left out (more: the region itself is a review page's body).
const MAX_REVIEWS_SHARE: f64 = 0.5;

/// The outermost blocks whose class or id names reviews (`reviews`,
/// `customer-review`, `game_review_summary`; not `preview`): what buyers
/// say about the product, not its description or specifications.
fn review_blocks(page: &Page<'_>, layout: &Layout, root: u32) -> Vec<u32> {
    let max_chars = MAX_REVIEWS_SHARE * layout.text(page, root).0 as f64;
    let names_reviews = |v: Option<&str>| {
        v.is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("review") && !v.contains("preview")
        })
    };
    let mut blocks = Vec::new();
    let mut i = root as usize + 1;
    let end = page.elems[root as usize].end as usize;
    while i < end {
        let e = &page.elems[i];
        let named = e
            .element()
            .is_some_and(|el| names_reviews(el.attr("class")) || names_reviews(el.attr("id")));
        if named && (layout.text(page, i as u32).0 as f64) <= max_chars {
            blocks.push(i as u32);
            // Past its subtree: the outermost block is enough.
            i = e.end as usize;
        } else {
            i += 1;
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_document;

    fn body(html: &str) -> Vec<String> {
        let doc = parse_document(html);
        let meta = Metadata::default();
        let input = TypedInput {
            doc: &doc,
            meta: &meta,
            generic: &[],
        };
        product_body(&input).into_iter().map(|p| p.text).collect()
    }

    const DESCRIPTION: &str = "<h1>Oak desk lamp</h1><p>A lamp turned from a single piece of oak, \
        with a linen shade and a dimmer on its cord. It lights a desk evenly without glare, and its \
        brass switch is made to last for decades of daily use in a study or a workshop.</p>\
        <table><tr><td>Height</td><td>42 cm</td></tr><tr><td>Weight</td><td>1.2 kg</td></tr></table>";

    #[test]
    fn other_products_with_prices_are_left_out_even_unlinked() {
        let tile = |name: &str, price: &str| {
            format!("<div class=tile><span>{name}</span><span>${price}</span><span>+ $9 delivery</span></div>")
        };
        let html = format!(
            "<body><main>{DESCRIPTION}<h2>People who viewed this item also viewed</h2><div class=row>{}{}{}</div></main></body>",
            tile("Brass floor lamp", "120.00"),
            tile("Walnut reading light", "89.50"),
            tile("Pine bedside lamp", "45.00")
        );
        let texts = body(&html);
        assert!(
            texts.iter().any(|t| t.starts_with("A lamp turned")),
            "{texts:?}"
        );
        assert!(texts.contains(&"42 cm".to_string()), "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("Walnut")), "{texts:?}");
    }

    #[test]
    fn priced_editions_holding_the_content_are_kept() {
        let edition = |name: &str, price: &str, what: &str| {
            format!("<div class=edition><h3>{name}</h3><p>{price}€</p><p>{what}</p></div>")
        };
        let html = format!(
            "<body><main><h1>Garden game</h1>{}{}{}</main></body>",
            edition(
                "Standard",
                "19,99",
                "The base game with all four seasons and the greenhouse."
            ),
            edition(
                "Deluxe",
                "29,99",
                "The base game, the orchard expansion and the soundtrack."
            ),
            edition(
                "Complete",
                "39,99",
                "Everything above with the winter market and two tool packs."
            )
        );
        let texts = body(&html);
        assert!(
            texts.iter().any(|t| t.contains("winter market")),
            "{texts:?}"
        );
    }

    #[test]
    fn a_block_shown_twice_is_kept_once_table_cells_stay() {
        let details = "<h2>Details</h2><p>Turned by hand in our workshop.</p>";
        let html = format!(
            "<body><main>{DESCRIPTION}<div class=mobile>{details}</div><div class=desktop>{details}</div>\
             <table><tr><td>Dimmer</td><td>Yes</td></tr><tr><td>Shade</td><td>Yes</td></tr></table></main></body>"
        );
        let texts = body(&html);
        for once in ["Details", "Turned by hand in our workshop."] {
            assert_eq!(texts.iter().filter(|t| *t == once).count(), 1, "{texts:?}");
        }
        assert_eq!(texts.iter().filter(|t| *t == "Yes").count(), 2, "{texts:?}");
    }

    #[test]
    fn sections_of_other_products_are_left_out_up_to_their_container() {
        let html = format!(
            "<body><main>{DESCRIPTION}<section><div class=rail-head><h2>Customers who viewed this \
             item also viewed:</h2></div><div class=rail><p>Walnut reading light.</p><p>Pine bedside lamp with a paper shade.</p></div>\
             </section><h2>Care</h2><p>Wipe the oak with a dry cloth.</p></main></body>"
        );
        let texts = body(&html);
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("also viewed") || t.contains("Walnut") || t.contains("Pine")),
            "{texts:?}"
        );
        for kept in ["Care", "Wipe the oak with a dry cloth.", "42 cm"] {
            assert!(texts.contains(&kept.to_string()), "{kept}: {texts:?}");
        }
    }

    #[test]
    fn a_heading_of_other_products_that_opens_the_content_goes_alone() {
        // Its container holds the product's own text: only the line goes.
        let html =
            format!("<body><main><div><h3>Related products</h3>{DESCRIPTION}</div></main></body>");
        let texts = body(&html);
        assert!(
            !texts.contains(&"Related products".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("A lamp turned")),
            "{texts:?}"
        );
        assert!(texts.contains(&"42 cm".to_string()), "{texts:?}");
    }

    #[test]
    fn bare_prices_are_left_out_prices_with_terms_stay() {
        let html = format!(
            "<body><main>{DESCRIPTION}<div class=buy><p>Price $ 79.99</p><button>Add to cart</button></div>\
             <div class=alt><span>€49,00</span></div><p>From: £2.98</p>\
             <p>Add a brass stand for $24.95 with the lamp.</p></main></body>"
        );
        let texts = body(&html);
        assert_eq!(
            texts[texts.len() - 2..],
            ["1.2 kg", "Add a brass stand for $24.95 with the lamp."]
        );
        assert!(!texts
            .iter()
            .any(|t| t.contains("79.99") || t.contains("49,00") || t.contains("2.98")));
    }

    /// A scored block: inside the typed body or not, with its score.
    fn scored(text: &str, kind: BlockKind, in_typed: bool, score: f32) -> ScoredBlock {
        let mut features = vec![0.0; blocks::features::NAMES.len()];
        features[blocks::features::IN_TYPED] = f32::from(u8::from(in_typed));
        ScoredBlock {
            block: blocks::Block {
                elem: 0,
                text: text.to_string(),
                kind,
            },
            features: blocks::features::BlockFeatures(features),
            score,
        }
    }

    fn product_meta(description: &str) -> Metadata {
        let mut meta = Metadata::default();
        let obj = serde_json::json!({"@type": "Product", "description": description});
        meta.jsonld_objects
            .push(obj.as_object().expect("an object").clone());
        meta
    }

    #[test]
    fn the_block_model_filters_the_typed_body_and_adds_nothing_outside_it() {
        let page = [
            scored("Oak desk lamp", BlockKind::Heading(1), true, 0.9),
            scored("A lamp turned from oak.", BlockKind::Text, true, 0.25),
            scored("Free delivery over $50", BlockKind::Text, true, 0.1),
            scored("Brass floor lamp", BlockKind::Text, false, 0.99),
        ];
        let texts = |meta: &Metadata| -> Vec<String> {
            from_blocks(&page, meta)
                .into_iter()
                .map(|p| p.text)
                .collect()
        };
        assert_eq!(
            texts(&Metadata::default()),
            ["Oak desk lamp", "A lamp turned from oak."]
        );
        // The JSON-LD description no block shows, after the name.
        assert_eq!(
            texts(&product_meta("Turned by hand in our workshop.")),
            [
                "Oak desk lamp",
                "Turned by hand in our workshop.",
                "A lamp turned from oak."
            ]
        );
        // One the page shows (the model left it out): not brought back.
        assert_eq!(
            texts(&product_meta("Free delivery over $50")),
            ["Oak desk lamp", "A lamp turned from oak."]
        );
    }

    #[test]
    fn a_page_describing_itself_does_not_get_the_metadata_description() {
        let long = "A lamp turned from a single piece of oak, with a linen shade and a dimmer \
                    on its cord, that lights a desk evenly without glare for decades of daily use.";
        let page = [
            scored("Oak desk lamp", BlockKind::Heading(1), true, 0.9),
            scored(long, BlockKind::Text, true, 0.8),
        ];
        let texts: Vec<String> =
            from_blocks(&page, &product_meta("Turned by hand in our workshop."))
                .into_iter()
                .map(|p| p.text)
                .collect();
        assert_eq!(texts, ["Oak desk lamp", long]);
    }

    #[test]
    fn a_paragraph_said_again_is_kept_once_cells_and_short_lines_stay() {
        let full = "A lamp turned from a single piece of oak, with a linen shade and a dimmer \
                    on its cord.";
        let teaser = "A lamp turned from a single piece of oak, with a linen shade";
        let page = [
            scored("Oak desk lamp", BlockKind::Heading(1), true, 0.9),
            scored(full, BlockKind::Text, true, 0.8),
            scored("In stock", BlockKind::Text, true, 0.8),
            scored(full, BlockKind::Text, true, 0.8),
            scored(teaser, BlockKind::Text, true, 0.8),
            scored("In stock", BlockKind::Text, true, 0.8),
            scored(
                "The shade is linen from a mill in the north, woven for us.",
                BlockKind::Text,
                true,
                0.8,
            ),
            scored(teaser, BlockKind::Cell, true, 0.8),
        ];
        let texts: Vec<String> = from_blocks(&page, &Metadata::default())
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            texts,
            [
                "Oak desk lamp",
                full,
                "In stock",
                "In stock",
                "The shade is linen from a mill in the north, woven for us.",
                teaser
            ]
        );
    }

    #[test]
    fn bare_price_lines() {
        for line in [
            "$110",
            "Price $ 79.99",
            "19,50€",
            "£94.90 -17%",
            "$34.99$49.99Save $15",
        ] {
            assert!(is_bare_price(line), "{line}");
        }
        for line in [
            "(£2.98 inc. VAT)",
            "Free shipping on orders over $50",
            "Price on request",
            "2 kg",
        ] {
            assert!(!is_bare_price(line), "{line}");
        }
    }

    #[test]
    fn other_products_headings_are_whole_lines() {
        for heading in [
            "Related products",
            "You may also like…",
            "Frequently Bought Together",
            "People who viewed this item also viewed",
            "Ähnliche Artikel",
        ] {
            assert!(heads_other_products(heading), "{heading}");
        }
        for line in [
            "Related products are shipped separately.",
            "Similar items in other colours are sold out, but this lamp is made to order.",
            "Description",
        ] {
            assert!(!heads_other_products(line), "{line}");
        }
    }

    #[test]
    fn reviews_are_left_out_previews_are_not() {
        let html = format!(
            "<body><main>{DESCRIPTION}<div class=image-preview><p>Shown lit on a walnut desk.</p></div>\
             <section id=customer-reviews><h2>8 Reviews</h2><div class=review-text><p>Arrived \
             quickly and lights my whole desk, five stars from me.</p></div></section></main></body>"
        );
        let texts = body(&html);
        assert!(
            texts.contains(&"Shown lit on a walnut desk.".to_string()),
            "{texts:?}"
        );
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("Reviews") || t.contains("five stars")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("A lamp turned")),
            "{texts:?}"
        );
    }

    #[test]
    fn a_footer_or_sidebar_with_prose_is_left_out() {
        let quote = |who: &str| {
            format!(
                "<div class=quote><p>Lovely shop, my order came wrapped with care and a note, \
                 I will be back for more gifts next winter.</p><h4>{who}</h4></div>"
            )
        };
        let html = format!(
            "<body><div class=site><div class=product>{DESCRIPTION}</div>\
             <div class=sidebar-widgets><p>Join our newsletter for the news of the workshop, new \
             lamps, and a discount on your next order, sent once a month.</p><p>Our workshop is \
             open for visits on Saturdays, bring your old lamps along and we will mend them.</p>\
             </div><footer>{}{}{}</footer></div></body>",
            quote("Ann"),
            quote("Bo"),
            quote("Cy")
        );
        let texts = body(&html);
        assert_eq!(
            texts,
            [
                "Oak desk lamp",
                "A lamp turned from a single piece of oak, with a linen shade and a dimmer on its \
                 cord. It lights a desk evenly without glare, and its brass switch is made to last \
                 for decades of daily use in a study or a workshop.",
                "Height",
                "42 cm",
                "Weight",
                "1.2 kg"
            ]
        );
    }

    #[test]
    fn a_page_whose_text_is_in_its_footer_keeps_it() {
        let html = "<body><div class=site><h1>Oak desk lamp</h1><footer><p>A lamp turned from a \
                    single piece of oak, with a linen shade and a dimmer on its cord.</p><p>It \
                    lights a desk evenly without glare, for decades of daily use in a study.</p></footer>\
                    </div></body>";
        assert_eq!(
            body(html),
            [
                "Oak desk lamp",
                "A lamp turned from a single piece of oak, with a linen shade and a dimmer on its cord.",
                "It lights a desk evenly without glare, for decades of daily use in a study."
            ]
        );
    }
}
