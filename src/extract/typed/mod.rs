//! Main content of pages that are not articles: a forum's posts, a
//! listing's or collection's items, a product's description and
//! specifications, a service page's sections, documentation without its
//! navigation.
//!
//! [`typed_body`] runs after the page type is known (see
//! [`super::classify`]); it reads the same parsed tree as the generic
//! extractor, and its paragraphs replace the generic (article) body when
//! it finds the page type's main content. Articles keep the generic body.

mod items;
mod repeated;

use scraper::Html;

use super::metadata::Metadata;
use super::page_type::PageType;
use super::text::Paragraph;

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
}

/// The main content of a page of type `page_type`, or `None` to keep the
/// generic body (always for articles).
pub fn typed_body(page_type: PageType, input: &TypedInput<'_>) -> Option<Vec<Paragraph>> {
    match page_type {
        PageType::Article => None,
        PageType::Forum => items::items_body(input.doc, input.generic, 2),
        PageType::Listing | PageType::Collection => items::items_body(input.doc, input.generic, 3),
        PageType::Product | PageType::Documentation | PageType::Service => None,
    }
}
