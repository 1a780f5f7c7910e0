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

mod others;
mod scored;

pub use scored::from_blocks;

use std::collections::HashSet;

use ego_tree::NodeId;

use super::described::{insert_unless_shown, jsonld_description};
use super::items::drop_repeated_lines;
use super::region::{furniture, headed_sections, MainRegion};
use super::repeated::{link_cards, Layout};
use super::TypedInput;
use crate::extract::classify::count_prices;
use crate::extract::text::{BlockKind, Paragraph};
use others::{
    heads_other_products, price_cards, review_blocks, tooltips, MAX_OTHER_PRODUCTS_SHARE, MIN_CARDS,
};

/// The product's description and specifications.
pub fn product_body(input: &TypedInput<'_>) -> Vec<Paragraph> {
    let region = MainRegion::find(input.doc);
    let layout = Layout::of(&region.page, false);
    let cards: HashSet<NodeId> = link_cards(&region.page, &layout, MIN_CARDS)
        .into_iter()
        .chain(price_cards(&region.page, &layout, region.root))
        .chain(review_blocks(&region.page, &layout, region.root))
        .chain(tooltips(&region.page, region.root))
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::metadata::Metadata;
    use crate::parse::parse_document;

    fn body(html: &str) -> Vec<String> {
        let doc = parse_document(html);
        let meta = Metadata::default();
        let input = TypedInput {
            doc: &doc,
            meta: &meta,
            generic: &[],
            page_chars: usize::MAX,
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
    fn tooltip_texts_are_left_out_their_terms_stay() {
        let html = format!(
            "<body><main>{DESCRIPTION}<table><tr><td>Impedance<tool-tip class=tool-tip>\
             <span class=tool-tip__content>Usually between 8 and 600 ohm; most headphones have 32 \
             ohm and need no amplifier.</span></tool-tip></td><td>37 ohm</td></tr></table></main></body>"
        );
        let texts = body(&html);
        assert!(!texts.iter().any(|t| t.contains("Usually")), "{texts:?}");
        for kept in ["Impedance", "37 ohm", "42 cm"] {
            assert!(texts.contains(&kept.to_string()), "{kept}: {texts:?}");
        }
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
