//! Link discovery for the crawler: `<a href>` resolved against `<base>`
//! (links marked `rel=nofollow` left out: share buttons, comment reply
//! links, paid links), and RSS/Atom feeds linked with `<link rel=alternate>`.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use url::Url;

static BASE: LazyLock<Selector> = LazyLock::new(|| Selector::parse("base[href]").expect("static"));
static A: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("static"));
static ALT: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("link[rel][type][href]").expect("static"));

/// Links found on a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageLinks {
    /// `<a href>` targets (http and https only, not `rel=nofollow`),
    /// resolved, in document order.
    pub links: Vec<Url>,
    /// Linked RSS and Atom feeds.
    pub feeds: Vec<Url>,
}

/// The URL relative links resolve against: `<base href>` when present.
pub fn base_url(doc: &Html, page_url: &Url) -> Url {
    doc.select(&BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page_url.join(h.trim()).ok())
        .unwrap_or_else(|| page_url.clone())
}

/// Collects the page's links and feeds.
pub fn page_links(doc: &Html, page_url: &Url) -> PageLinks {
    let base = base_url(doc, page_url);
    let resolve = |href: &str| -> Option<Url> {
        let href = href.trim();
        if href.is_empty() || href.starts_with('#') {
            return None;
        }
        let mut u = base.join(href).ok()?;
        if u.scheme() != "http" && u.scheme() != "https" {
            return None;
        }
        u.set_fragment(None);
        Some(u)
    };
    let mut out = PageLinks::default();
    for a in doc.select(&A) {
        if has_rel(a.value(), "nofollow") {
            continue;
        }
        if let Some(u) = a.value().attr("href").and_then(resolve) {
            out.links.push(u);
        }
    }
    for l in doc.select(&ALT) {
        let v = l.value();
        let rel_alt = has_rel(v, "alternate");
        let ty = v.attr("type").unwrap_or("").to_ascii_lowercase();
        if rel_alt && (ty.contains("rss") || ty.contains("atom")) {
            if let Some(u) = v.attr("href").and_then(resolve) {
                out.feeds.push(u);
            }
        }
    }
    out
}

/// True when the element's `rel` lists `token` (case-insensitively).
fn has_rel(e: &scraper::node::Element, token: &str) -> bool {
    e.attr("rel").is_some_and(|r| {
        r.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case(token))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_document;

    #[test]
    fn resolves_against_base_finds_feeds_and_skips_nofollow() {
        let doc = parse_document(
            r#"<head><base href="https://cdn.example.com/dir/"><link rel="alternate" type="application/rss+xml" href="/feed"></head>
            <body><a href="a.html#x">a</a><a href="mailto:x@y">m</a><a href="https://other.org/">o</a>
            <a rel="nofollow" href="?share=x">s</a><a rel="External NoFollow ugc" href="?replytocom=3">r</a></body>"#,
        );
        let page: Url = "https://example.com/page".parse().unwrap();
        let l = page_links(&doc, &page);
        let links: Vec<&str> = l.links.iter().map(Url::as_str).collect();
        assert_eq!(
            links,
            ["https://cdn.example.com/dir/a.html", "https://other.org/"]
        );
        assert_eq!(l.feeds[0].as_str(), "https://cdn.example.com/feed");
    }
}
