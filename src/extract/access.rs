//! Is the page's text freely accessible? A page that says it is not
//! (JSON-LD `isAccessibleForFree: false` on the page's object or on one of
//! its `hasPart` sections, as publishers mark paywalled text for search
//! engines) gives a record marked `paywalled`: its body may be partial.

use serde_json::{Map, Value};

use super::metadata::Metadata;

/// True when the value says "not free": `false`, or the text `"false"`
/// (any case), as schema.org's Boolean is often written.
fn says_not_free(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    }
}

fn object_not_free(obj: &Map<String, Value>) -> bool {
    if obj.get("isAccessibleForFree").is_some_and(says_not_free) {
        return true;
    }
    let parts = match obj.get("hasPart") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    };
    parts
        .into_iter()
        .any(|p| p.get("isAccessibleForFree").is_some_and(says_not_free))
}

/// True when the page's JSON-LD says its text is not freely accessible.
pub fn is_paywalled(meta: &Metadata) -> bool {
    meta.jsonld_objects.iter().any(object_not_free)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::metadata::page_metadata;
    use crate::parse::parse_document;

    fn paywalled(ld: &str) -> bool {
        let html = format!("<html><head><script type=\"application/ld+json\">{ld}</script></head><body></body></html>");
        is_paywalled(&page_metadata(&parse_document(&html)))
    }

    #[test]
    fn jsonld_access_flags() {
        let table = [
            (
                r#"{"@type":"NewsArticle","isAccessibleForFree":false}"#,
                true,
            ),
            (
                r#"{"@type":"NewsArticle","isAccessibleForFree":"False"}"#,
                true,
            ),
            (
                r#"{"@type":"NewsArticle","isAccessibleForFree":false,"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".paywall"}}"#,
                true,
            ),
            (
                r#"{"@type":"NewsArticle","hasPart":[{"@type":"WebPageElement","isAccessibleForFree":"false"}]}"#,
                true,
            ),
            (
                r#"{"@graph":[{"@type":"WebSite"},{"@type":"Article","isAccessibleForFree":false}]}"#,
                true,
            ),
            (
                r#"{"@type":"NewsArticle","isAccessibleForFree":true}"#,
                false,
            ),
            (r#"{"@type":"NewsArticle"}"#, false),
        ];
        for (ld, want) in table {
            assert_eq!(paywalled(ld), want, "{ld}");
        }
    }
}
