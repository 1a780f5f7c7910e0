//! Content rules, the same for a crawl and for `extract URL`: a gzip file
//! body is inflated within the body cap; a body may be HTML (HTML or XHTML
//! types, `text/plain`, or no type at all: the extractor sniffs the markup),
//! a feed or sitemap (XML types, or an XML start), or neither.

use std::io::Read;

use flate2::read::MultiGzDecoder;

use crate::limits::XML_SNIFF_BYTES;

/// What a body may be, judged from its `Content-Type` and its first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyKind {
    /// The media type, lower-cased, without parameters (empty when none).
    pub mime: String,
    /// May be an HTML page.
    pub html: bool,
    /// May be a sitemap or an RSS/Atom feed.
    pub feed: bool,
}

/// True for media types that only say "a gzip file" (the inflated body
/// says what it is).
fn is_gzip_type(mime: &str) -> bool {
    matches!(
        mime,
        "application/gzip" | "application/x-gzip" | "application/octet-stream"
    )
}

/// Judges a (decompressed) body by its `Content-Type` value and first bytes.
pub fn body_kind(content_type: Option<&str>, body: &[u8]) -> BodyKind {
    let mime = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let unknown = mime.is_empty() || is_gzip_type(&mime);
    let html = unknown || mime.contains("html") || mime == "text/plain";
    let xml_type = mime.contains("xml") || mime.contains("rss") || mime.contains("atom");
    let feed = xml_type || looks_like_xml(body);
    BodyKind { mime, html, feed }
}

/// Inflates a gzip body (sniffed by its magic bytes) within `limit` bytes;
/// returns the body unchanged when it is not gzip. `Err` when the inflated
/// size would exceed the limit or the stream is corrupt.
pub fn maybe_gunzip(body: Vec<u8>, limit: usize) -> Result<Vec<u8>, String> {
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(body);
    }
    let mut out = Vec::new();
    let mut dec = MultiGzDecoder::new(&body[..]).take(limit as u64 + 1);
    dec.read_to_end(&mut out)
        .map_err(|e| format!("corrupt gzip: {e}"))?;
    if out.len() > limit {
        return Err(format!(
            "gzip body larger than {limit} bytes after decompression"
        ));
    }
    Ok(out)
}

/// True when the body looks like XML (a declaration or a sitemap/feed root
/// near the start).
pub fn looks_like_xml(body: &[u8]) -> bool {
    let head = &body[..body.len().min(XML_SNIFF_BYTES)];
    let head = String::from_utf8_lossy(head);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<?xml")
        || ["<rss", "<feed", "<urlset", "<sitemapindex", "<rdf:RDF"]
            .iter()
            .any(|p| t.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn kinds_by_type_and_start() {
        let k = body_kind(Some("text/html; charset=utf-8"), b"<html>");
        assert!(k.html && !k.feed);
        assert_eq!(k.mime, "text/html");
        let k = body_kind(
            Some("application/xhtml+xml"),
            b"<?xml version='1.0'?><html>",
        );
        assert!(k.html && k.feed);
        let k = body_kind(Some("application/rss+xml"), b"<rss>");
        assert!(!k.html && k.feed);
        let k = body_kind(None, b"<urlset>");
        assert!(k.html && k.feed);
        let k = body_kind(Some("image/png"), b"\x89PNG");
        assert!(!k.html && !k.feed);
        assert_eq!(k.mime, "image/png");
        assert!(body_kind(Some("TEXT/PLAIN"), b"hello").html);
        assert!(body_kind(Some("application/x-gzip"), b"<html>").html);
    }

    #[test]
    fn gzip_within_limit() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&vec![b'a'; 100_000]).unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(maybe_gunzip(gz.clone(), 200_000).unwrap().len(), 100_000);
        assert!(maybe_gunzip(gz, 1000).is_err());
        assert_eq!(maybe_gunzip(b"plain".to_vec(), 10).unwrap(), b"plain");
    }
}
