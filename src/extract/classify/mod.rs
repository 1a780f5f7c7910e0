//! Page-type classification: what kind of page is this (article, listing,
//! forum, product, collection, documentation, service)?
//!
//! [`features`] computes page-level features from the parsed DOM, the
//! metadata and the URL; [`model`] is the learned model built into the
//! binary (it beats the hand-written [`rules`] on wcxb-dev's validation
//! part: README, "Page types"); [`classify`] is the decision every
//! record's `page_type` comes from.

pub mod features;
pub mod model;
pub mod rules;
mod siblings;
mod structure;
#[cfg(test)]
mod structure_reference;

pub(crate) use features::page_features_of;
pub use features::{page_features, PageFeatures};
pub(crate) use structure::{count_prices, page_structure, ClassHints};

use super::page_type::PageType;

/// Classifies a page from its features: the page type and a confidence in
/// 0..=1 (the model's probability).
pub fn classify(features: &PageFeatures) -> (PageType, f32) {
    match &*model::BUILTIN {
        Some(m) => m.predict(features),
        None => rules::classify_by_rules(features),
    }
}

/// The page type to extract a page as instead of `current`, the type its
/// classification would extract it as: one whose extractor promises a
/// clearly better body given the classes' probabilities
/// (`Model::extraction_type`). None without the model's utility matrix.
pub fn extraction_type(features: &PageFeatures, current: PageType) -> Option<PageType> {
    model::BUILTIN.as_ref()?.extraction_type(features, current)
}
