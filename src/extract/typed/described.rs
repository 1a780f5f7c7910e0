//! A product's description from the page's JSON-LD metadata
//! (`Product.description`), for pages whose description a script renders,
//! and the test whether the page already shows it.

use scraper::Html;
use serde_json::{Map, Value};

use crate::extract::metadata::{decode_entities, Metadata};
use crate::extract::text::{Assembler, BlockKind, Paragraph};

/// JSON-LD types whose `description` is a product's.
const PRODUCT_TYPES: &[&str] = &[
    "Product",
    "ProductGroup",
    "IndividualProduct",
    "ProductModel",
];

/// Characters of the description compared with the region's text to tell
/// whether the page already shows it.
const PROBE_CHARS: usize = 60;

/// Puts `description`'s paragraphs after the product's name (or first)
/// unless the start of it is in `shown`.
pub(super) fn insert_unless_shown(paragraphs: &mut Vec<Paragraph>, description: &str, shown: &str) {
    let probe: String = normalized(description).chars().take(PROBE_CHARS).collect();
    if !probe.is_empty() && !normalized(shown).contains(&probe) {
        // After the product's name when the body starts with it.
        let at = usize::from(
            paragraphs
                .first()
                .is_some_and(|p| p.kind == BlockKind::Heading(1)),
        );
        paragraphs.splice(at..at, description_paragraphs(description));
    }
}

/// The `description` of the page's first JSON-LD product.
pub fn jsonld_description(meta: &Metadata) -> Option<String> {
    meta.jsonld_objects
        .iter()
        .filter(|o| is_product(o))
        .find_map(|o| match o.get("description")? {
            Value::String(s) if !s.trim().is_empty() => Some(decode_entities(s.trim())),
            _ => None,
        })
}

fn is_product(obj: &Map<String, Value>) -> bool {
    match obj.get("@type") {
        Some(Value::String(t)) => PRODUCT_TYPES.contains(&t.as_str()),
        Some(Value::Array(types)) => types
            .iter()
            .any(|t| t.as_str().is_some_and(|t| PRODUCT_TYPES.contains(&t))),
        _ => false,
    }
}

/// A description's paragraphs: HTML markup in it is parsed and assembled
/// like page text; plain text is split at blank lines.
fn description_paragraphs(description: &str) -> Vec<Paragraph> {
    if description.contains('<') {
        let fragment = Html::parse_fragment(description);
        let mut assembler = Assembler::new();
        assembler.add_subtree(*fragment.root_element(), |_, _| false);
        return assembler.finish();
    }
    description
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Paragraph {
            text: p.to_string(),
            kind: BlockKind::Text,
            link_chars: 0,
        })
        .collect()
}

/// Words only, lower-cased, one space between them (for containment).
pub(super) fn normalized(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}
