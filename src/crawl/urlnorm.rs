//! URL identity: the normalised form under which a URL is queued, compared
//! and remembered.
//!
//! Fragments, default ports and tracking parameters (`utm_*`, `fbclid`,
//! `gclid`) are removed, the remaining query parameters sorted, the host
//! lower-cased (the `url` crate already does that for special schemes).

use url::Url;

/// True for query parameters that only track the visitor.
pub fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_") || n == "fbclid" || n == "gclid"
}

/// Normalises an http(s) URL; None for other schemes or URLs without a host.
pub fn normalize(url: &Url) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    let mut u = url.clone();
    u.set_fragment(None);
    // `Url` already drops the scheme's default port when parsing.
    if let Some(host) = u.host_str() {
        let lower = host.to_ascii_lowercase();
        let trimmed = lower.trim_end_matches('.');
        if trimmed != host && !trimmed.is_empty() {
            let _ = u.set_host(Some(trimmed));
        }
    }
    if u.query().is_some() {
        let mut pairs: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| !is_tracking_param(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        pairs.sort();
        if pairs.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    if u.path().is_empty() {
        u.set_path("/");
    }
    Some(u)
}

/// Parses and normalises a URL string.
pub fn parse_normalized(s: &str) -> Option<Url> {
    Url::parse(s.trim()).ok().as_ref().and_then(normalize)
}

/// The politeness and scope key of a URL: lower-case host plus the port
/// when it is not the scheme's default.
pub fn host_key(url: &Url) -> String {
    crate::extract::host_with_port(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        parse_normalized(s)
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn identity_rules() {
        assert_eq!(n("HTTP://Example.COM:80/a#frag"), "http://example.com/a");
        assert_eq!(n("https://example.com:443"), "https://example.com/");
        assert_eq!(
            n("https://example.com/a?utm_source=x&b=2&a=1&fbclid=z&gclid=q&UTM_medium=m"),
            "https://example.com/a?a=1&b=2"
        );
        assert_eq!(
            n("https://example.com/a?utm_source=x"),
            "https://example.com/a"
        );
        assert_eq!(n("http://127.0.0.1:8080/x"), "http://127.0.0.1:8080/x");
        assert_eq!(n("mailto:a@b"), "");
        assert_eq!(n("https://example.com./a"), "https://example.com/a");
    }

    #[test]
    fn host_keys() {
        let u = parse_normalized("http://127.0.0.2:9000/a").unwrap();
        assert_eq!(host_key(&u), "127.0.0.2:9000");
        let u = parse_normalized("https://WWW.Example.com/a").unwrap();
        assert_eq!(host_key(&u), "www.example.com");
    }
}
