//! The kind of page a record comes from: an article, or one of the other
//! page types whose main content is not a single story (SPEC's record
//! field `page_type`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What kind of page the main content comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PageType {
    /// One story, post or essay: connected prose under one headline.
    #[default]
    Article,
    /// A list of links to other pages (home, section, tag, search, archive).
    Listing,
    /// A discussion: a thread of posts by several users, or a Q&A page.
    Forum,
    /// One product for sale: name, price, description, specifications.
    Product,
    /// A collection of items shown on the page itself (a gallery, a list
    /// of recipes or films with their descriptions, a category of products).
    Collection,
    /// Technical documentation: a reference or guide page beside its
    /// navigation.
    Documentation,
    /// A page presenting an organisation or its services (about, pricing,
    /// landing pages).
    Service,
}

impl PageType {
    /// Every page type, in the order of SPEC.md's list.
    pub const ALL: [PageType; 7] = [
        PageType::Article,
        PageType::Listing,
        PageType::Forum,
        PageType::Product,
        PageType::Collection,
        PageType::Documentation,
        PageType::Service,
    ];

    /// The type's name, as in the record (`article`, `listing`, ...).
    pub fn name(self) -> &'static str {
        match self {
            PageType::Article => "article",
            PageType::Listing => "listing",
            PageType::Forum => "forum",
            PageType::Product => "product",
            PageType::Collection => "collection",
            PageType::Documentation => "documentation",
            PageType::Service => "service",
        }
    }

    /// The type's position in [`PageType::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for PageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of the page types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown page type `{0}` (expected one of article, listing, forum, product, collection, documentation, service)")]
pub struct UnknownPageType(pub String);

impl FromStr for PageType {
    type Err = UnknownPageType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PageType::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| UnknownPageType(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for t in PageType::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.name()));
            assert_eq!(serde_json::from_str::<PageType>(&json).unwrap(), t);
            assert_eq!(t.name().parse::<PageType>().unwrap(), t);
            assert_eq!(PageType::ALL[t.index()], t);
        }
        assert!("blog".parse::<PageType>().is_err());
    }
}
