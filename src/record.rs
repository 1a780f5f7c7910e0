//! The record written for each article: one JSON object per line.
//!
//! Field meanings are documented in the README and in
//! `schema/record.schema.json`; the order of fields here is the order in the
//! JSON output.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One extracted article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Stable identifier: the first 16 hex digits of SHA-256 of `url`.
    pub id: String,
    /// The article's URL: canonical when known, else the final URL after
    /// redirects (or `file://...` / `stdin:` for local input).
    pub url: String,
    /// The site config's name, or the host (with a non-default port), or
    /// `local` for local input without a URL.
    pub site: String,
    /// Headline.
    pub title: Option<String>,
    /// Bylines, one name each.
    pub authors: Vec<String>,
    /// Publication time, RFC 3339.
    pub published: Option<String>,
    /// Last modification time, RFC 3339, when the page states one.
    pub modified: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// The page's own short description (meta description / og:description).
    pub description: Option<String>,
    /// Article text: paragraphs separated by one blank line.
    pub body: String,
    /// `site:<name>` when a site config produced the body, else `generic`.
    pub extractor: String,
    /// RFC 3339 time of the fetch; null for file and stdin input.
    pub fetched_at: Option<String>,
    /// The page says its text is not freely accessible (JSON-LD
    /// `isAccessibleForFree: false`): the body may be partial.
    #[serde(default)]
    pub paywalled: bool,
}

/// The stable record id for a URL: 16 lower-case hex digits of its SHA-256.
pub fn record_id(url: &str) -> String {
    let digest = Sha256::digest(url.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

impl Record {
    /// Serialises the record as one JSON line, newline included.
    pub fn to_json_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("a Record always serialises");
        line.push('\n');
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_stable_and_short() {
        let a = record_id("https://example.com/a");
        assert_eq!(a.len(), 16);
        assert_eq!(a, record_id("https://example.com/a"));
        assert_ne!(a, record_id("https://example.com/b"));
    }
}
