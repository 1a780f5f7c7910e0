//! The record written for each article: one JSON object per line.
//!
//! Field meanings are documented in the README and in
//! `schema/record.schema.json`; the order of fields here is the order in the
//! JSON output.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::extract::page_type::PageType;

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
    /// The kind of page the body comes from (`article`, `listing`, ...).
    #[serde(default)]
    pub page_type: PageType,
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

/// One field of the record and how to read it: the one table that maps
/// record fields to columns (Parquet output). A new record field is one line
/// here; a test checks the table against the JSON output.
#[derive(Clone, Copy)]
pub enum Field {
    /// A string that is always present.
    Text(&'static str, fn(&Record) -> &str),
    /// A string or null.
    OptText(&'static str, fn(&Record) -> Option<&str>),
    /// A list of strings.
    TextList(&'static str, fn(&Record) -> &[String]),
    /// A boolean.
    Flag(&'static str, fn(&Record) -> bool),
}

impl Field {
    /// The field's name, as in the JSON record.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Text(n, _) | Self::OptText(n, _) | Self::TextList(n, _) | Self::Flag(n, _) => n,
        }
    }
}

/// Every field of [`Record`], in JSON order.
pub const FIELDS: &[Field] = &[
    Field::Text("id", |r| &r.id),
    Field::Text("url", |r| &r.url),
    Field::Text("site", |r| &r.site),
    Field::OptText("title", |r| r.title.as_deref()),
    Field::TextList("authors", |r| &r.authors),
    Field::OptText("published", |r| r.published.as_deref()),
    Field::OptText("modified", |r| r.modified.as_deref()),
    Field::OptText("language", |r| r.language.as_deref()),
    Field::OptText("description", |r| r.description.as_deref()),
    Field::Text("body", |r| &r.body),
    Field::Text("extractor", |r| &r.extractor),
    Field::OptText("fetched_at", |r| r.fetched_at.as_deref()),
    Field::Text("page_type", |r| r.page_type.name()),
    Field::Flag("paywalled", |r| r.paywalled),
];

impl Record {
    /// Serialises the record as one JSON line, newline included.
    pub fn to_json_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("a Record always serialises");
        line.push('\n');
        line
    }

    /// [`Record::to_json_line`] as bytes, written into a buffer sized once
    /// from [`Record::json_size_hint`] (the crawler encodes every article:
    /// grown from serde_json's 128 bytes, a 10 KB line was copied 7 times).
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut line = Vec::with_capacity(self.json_size_hint());
        serde_json::to_writer(&mut line, self).expect("a Record always serialises");
        line.push(b'\n');
        line
    }

    /// An upper bound of the JSON line's length for usual texts: the
    /// strings' lengths, the field names and punctuation, and room for
    /// escapes (a paragraph break `\n\n` takes 4 bytes, a quote 2).
    pub fn json_size_hint(&self) -> usize {
        let opt = |s: &Option<String>| s.as_deref().map_or(0, str::len);
        let texts = self.id.len()
            + self.url.len()
            + self.site.len()
            + opt(&self.title)
            + self.authors.iter().map(|a| a.len() + 3).sum::<usize>()
            + opt(&self.published)
            + opt(&self.modified)
            + opt(&self.language)
            + opt(&self.description)
            + self.body.len()
            + self.extractor.len()
            + opt(&self.fetched_at);
        // Names, quotes, colons, commas, nulls, page_type, paywalled: under
        // 256 bytes; escapes: a quarter of the text (a paragraph break every
        // 16 bytes) is generous. Room never written is never touched.
        texts + texts / 4 + 256
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

    #[test]
    fn field_table_lists_every_json_field_in_order() {
        let r: Record = serde_json::from_str(
            r#"{"id":"i","url":"u","site":"s","title":null,"authors":[],"published":null,
            "modified":null,"language":null,"description":null,"body":"b","extractor":"e",
            "fetched_at":null,"page_type":"listing","paywalled":false}"#,
        )
        .unwrap();
        let line = r.to_json_line();
        let json: serde_json::Value = serde_json::from_str(&line).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let mut names: Vec<&str> = FIELDS.iter().map(Field::name).collect();
        let at: Vec<usize> = names
            .iter()
            .map(|n| line.find(&format!("\"{n}\":")).unwrap())
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "FIELDS out of JSON order"
        );
        keys.sort_unstable();
        names.sort_unstable();
        assert_eq!(names, keys, "record::FIELDS must list every Record field");
    }

    #[test]
    fn json_bytes_are_the_line_in_one_allocation() {
        let mut r: Record = serde_json::from_str(
            r#"{"id":"i","url":"https://example.com/a","site":"s","title":"A \"title\"",
            "authors":["Ann","Bo"],"published":null,"modified":null,"language":"en",
            "description":"d","body":"b","extractor":"generic","fetched_at":null,
            "page_type":"article","paywalled":false}"#,
        )
        .unwrap();
        r.body = "Para \"one\"\tend.\n\nÜber zwei.\n\n".repeat(300);
        let bytes = r.to_json_bytes();
        assert_eq!(bytes, r.to_json_line().into_bytes());
        // Sized once: never grown (growing doubles the capacity).
        assert_eq!(bytes.capacity(), r.json_size_hint());
    }
}
