//! Charset decoding in the WHATWG order: byte-order mark, then the HTTP
//! `Content-Type` charset, then a `<meta charset>` / `http-equiv` declaration
//! in the first 1024 bytes, then detection (chardetng).
//!
//! Declarations are checked against the bytes: a header charset under which
//! the bytes do not decode loses to a `<meta>` charset under which they do;
//! a UTF-8 declaration on mostly non-UTF-8 bytes yields to detection; a
//! legacy declaration on valid multi-byte UTF-8 yields to UTF-8; a UTF-16
//! header on bytes without NULs (ASCII-compatible bytes) is ignored.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use regex::bytes::Regex;
use std::sync::LazyLock;

use crate::limits::META_PRESCAN_BYTES;

/// Where the encoding of a decoded document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type` header.
    ContentType,
    /// A `<meta>` declaration in the first 1024 bytes.
    Meta,
    /// Statistical detection.
    Detected,
}

/// A document decoded to UTF-8.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, with malformed sequences replaced by U+FFFD.
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Where that encoding came from.
    pub source: CharsetSource,
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.+\-]+)"#)
        .expect("static regex")
});

static CT_CHARSET: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"(?i)charset\s*=\s*["']?\s*([a-z0-9_:.+\-]+)"#).expect("static regex")
});

/// True for UTF-16 (either byte order).
pub fn is_utf16(enc: &'static Encoding) -> bool {
    enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE
}

/// Maps a label declared in the document to the encoding a browser would
/// use for it.
fn encoding_for_meta_label(label: &[u8]) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label)?;
    // WHATWG: a UTF-16 named by a <meta> is read by an ASCII-compatible
    // prescan, so the bytes are not UTF-16: it means UTF-8.
    if is_utf16(enc) {
        return Some(UTF_8);
    }
    if enc == encoding_rs::X_USER_DEFINED {
        return Some(WINDOWS_1252);
    }
    Some(enc)
}

/// The charset named in a `Content-Type` header value, if any and known.
/// Unlike a `<meta>`, the header can declare UTF-16 (the transport layer
/// says how the bytes are encoded).
pub fn content_type_charset(content_type: &str) -> Option<&'static Encoding> {
    let caps = CT_CHARSET.captures(content_type)?;
    let enc = Encoding::for_label(caps[1].as_bytes())?;
    if enc == encoding_rs::X_USER_DEFINED {
        return Some(WINDOWS_1252);
    }
    Some(enc)
}

/// The charset the HTTP header declares for `bytes`, when the bytes can be
/// in it: a UTF-16 declaration on bytes without a NUL in their first 1024
/// (markup in UTF-16 has one in every ASCII character) is ignored.
pub fn declared_header_charset(
    content_type: Option<&str>,
    bytes: &[u8],
) -> Option<&'static Encoding> {
    let enc = content_type.and_then(content_type_charset)?;
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    if is_utf16(enc) && !head.contains(&0) {
        return None;
    }
    Some(enc)
}

/// The charset declared by a `<meta>` element in the first 1024 bytes.
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    META_CHARSET
        .captures_iter(head)
        .find_map(|caps| encoding_for_meta_label(&caps[1]))
}

/// True when `bytes` decode under `enc` without a malformed sequence.
fn decodes_cleanly(enc: &'static Encoding, bytes: &[u8], utf8_valid: bool) -> bool {
    if enc == UTF_8 {
        return utf8_valid;
    }
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
}

/// True when `bytes` fit `enc`: they decode cleanly, or, for UTF-8, their
/// well-formed multi-byte characters outnumber a few malformed sequences.
fn fits(enc: &'static Encoding, bytes: &[u8], utf8_valid: bool) -> bool {
    if enc == UTF_8 {
        return !utf8_declaration_is_wrong(bytes, utf8_valid);
    }
    decodes_cleanly(enc, bytes, utf8_valid)
}

/// Guesses the encoding of undeclared bytes (`utf8_valid`: whether they
/// are valid UTF-8); `tld` (e.g. `b"it"`) helps.
fn detect(bytes: &[u8], utf8_valid: bool, tld: Option<&[u8]>) -> &'static Encoding {
    if utf8_valid {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(tld, true)
}

/// True when bytes declared as UTF-8 are mostly something else: more
/// malformed sequences than well-formed multi-byte characters.
fn utf8_declaration_is_wrong(bytes: &[u8], valid_utf8: bool) -> bool {
    if valid_utf8 {
        return false;
    }
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            bad += 1;
        }
    }
    bad > good
}

/// Decodes an HTML document to UTF-8 text.
///
/// `content_type` is the HTTP header value when the bytes came over HTTP;
/// `tld` is the URL's top-level domain, a hint for detection.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>, tld: Option<&str>) -> Decoded {
    let d = decode_html_borrowed(bytes, content_type, tld);
    Decoded {
        text: d.text.into_owned(),
        encoding: d.encoding,
        source: d.source,
    }
}

/// [`Decoded`] borrowing the page's bytes when they are the text already
/// (valid UTF-8, most pages): no copy of the page.
pub struct DecodedRef<'a> {
    /// The text, with malformed sequences replaced by U+FFFD.
    pub text: Cow<'a, str>,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Where that encoding came from.
    pub source: CharsetSource,
}

/// [`decode_html`] without copying a page that is valid UTF-8 text.
pub fn decode_html_borrowed<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    tld: Option<&str>,
) -> DecodedRef<'a> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return DecodedRef {
            text,
            encoding: enc,
            source: CharsetSource::Bom,
        };
    }
    // Validated once: the choice of encoding and the conversion both need it.
    // simdutf8 gives the standard library's answer in a fraction of its
    // instructions (a whole page is validated, ~1% of an extract run).
    let utf8 = simdutf8::basic::from_utf8(bytes).ok();
    let header = declared_header_charset(content_type, bytes);
    let meta = || meta_charset(bytes);
    let declared = match header {
        // A wrong header (a server default) under which the bytes do not
        // decode, and a <meta> under which they do: the page knows better.
        Some(h) if !decodes_cleanly(h, bytes, utf8.is_some()) => match meta() {
            Some(m) if m != h && fits(m, bytes, utf8.is_some()) => Some((m, CharsetSource::Meta)),
            _ => Some((h, CharsetSource::ContentType)),
        },
        Some(h) => Some((h, CharsetSource::ContentType)),
        None => meta().map(|m| (m, CharsetSource::Meta)),
    };
    let (encoding, source) = match declared {
        Some((enc, _)) if enc == UTF_8 && utf8_declaration_is_wrong(bytes, utf8.is_some()) => (
            detect(bytes, utf8.is_some(), tld.map(str::as_bytes)),
            CharsetSource::Detected,
        ),
        // A legacy declaration on bytes that are valid UTF-8 with multi-byte
        // sequences: the declaration is stale (pages re-encoded by a CMS or a
        // proxy); text in Latin-1 or GBK is almost never valid UTF-8 as well.
        Some((enc, _)) if enc != UTF_8 && utf8.is_some_and(|t| !t.is_ascii()) => {
            (UTF_8, CharsetSource::Detected)
        }
        Some(found) => found,
        None => (
            detect(bytes, utf8.is_some(), tld.map(str::as_bytes)),
            CharsetSource::Detected,
        ),
    };
    let text = if encoding == UTF_8 {
        // Validation alone is much faster than the lossy conversion.
        match utf8 {
            Some(valid) => Cow::Borrowed(valid),
            None => String::from_utf8_lossy(bytes),
        }
    } else {
        encoding.decode_without_bom_handling(bytes).0
    };
    DecodedRef {
        text,
        encoding,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_decoding_copies_only_what_it_converts() {
        let utf8 = "<meta charset=utf-8><p>Straße</p>".as_bytes();
        let d = decode_html_borrowed(utf8, None, None);
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(d.text, decode_html(utf8, None, None).text);
        let latin1 = b"<meta charset=iso-8859-1><p>Stra\xdfe</p>";
        let d = decode_html_borrowed(latin1, None, None);
        assert!(matches!(d.text, Cow::Owned(_)));
        assert_eq!(d.text, "<meta charset=iso-8859-1><p>Straße</p>");
        assert_eq!(d.text, decode_html(latin1, None, None).text);
    }

    #[test]
    fn meta_charset_windows_1252() {
        let mut bytes = b"<html><head><meta charset=\"windows-1252\"></head><body>".to_vec();
        bytes.extend_from_slice(&[0x63, 0x61, 0x66, 0xE8, 0x20, 0x80, 0x20, 0xE0]);
        let d = decode_html(&bytes, None, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.ends_with("cafè € à"), "{}", d.text);
    }

    #[test]
    fn http_equiv_is_read() {
        let bytes =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">\xe9";
        let d = decode_html(bytes, None, None);
        assert_eq!(d.encoding, WINDOWS_1252);
        assert!(d.text.ends_with('é'));
    }

    #[test]
    fn content_type_beats_meta_and_bom_beats_all() {
        let bytes = b"<meta charset=utf-8>\xe9";
        let d = decode_html(bytes, Some("text/html; charset=iso-8859-1"), None);
        assert_eq!(d.source, CharsetSource::ContentType);
        assert!(d.text.ends_with('é'));
        let bom = b"\xEF\xBB\xBF<meta charset=iso-8859-1>\xC3\xA9";
        let d = decode_html(bom, Some("text/html; charset=iso-8859-1"), None);
        assert_eq!(d.source, CharsetSource::Bom);
        assert!(d.text.ends_with('é'));
    }

    #[test]
    fn undeclared_latin1_is_detected() {
        let text = "Perché la città è più bella d'estate, però costa di più. Così è.";
        let (bytes, _, _) = WINDOWS_1252.encode(text);
        let d = decode_html(&bytes, None, Some("it"));
        assert_eq!(d.source, CharsetSource::Detected);
        assert_eq!(d.text, text);
    }

    #[test]
    fn false_utf8_declaration_falls_back_to_detection() {
        let text = "<meta charset=utf-8><p>Größe und Übermaß, schön und häßlich, Äpfel.</p>";
        let (bytes, _, _) = WINDOWS_1252.encode(text);
        let d = decode_html(&bytes, None, Some("de"));
        assert!(d.text.contains("Größe und Übermaß"), "{}", d.text);
    }

    #[test]
    fn stale_legacy_declaration_over_utf8_bytes() {
        let d = decode_html(
            "<meta charset=iso-8859-1><p>für Österreich</p>".as_bytes(),
            None,
            None,
        );
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("für Österreich"));
        let d = decode_html("<meta charset=gb2312><p>人民网</p>".as_bytes(), None, None);
        assert!(d.text.contains("人民网"));
    }

    #[test]
    fn stale_latin_declaration_on_utf8_bytes() {
        let d = decode_html(
            "<meta charset=iso-8859-15><p>sanción</p>".as_bytes(),
            None,
            None,
        );
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.ends_with("sanción</p>"));
    }

    #[test]
    fn utf16_declared_by_the_header_is_decoded() {
        let text = "<html><body><p>Grüße aus Köln, 東京</p></body></html>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode_html(&le, Some("text/html; charset=utf-16le"), None);
        assert_eq!(d.text, text);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = decode_html(&be, Some("text/html; charset=UTF-16BE"), None);
        assert_eq!(d.text, text);
        // A UTF-16 header on ASCII-compatible bytes is a misconfiguration.
        let d = decode_html(text.as_bytes(), Some("text/html; charset=utf-16"), None);
        assert_eq!(d.text, text);
    }

    #[test]
    fn a_meta_that_decodes_cleanly_beats_a_header_that_does_not() {
        // A Shift_JIS header (a server default), a UTF-8 page with one stray
        // byte: Shift_JIS reports errors, the meta's UTF-8 fits the bytes.
        let mut bytes = "<meta charset=utf-8><p>Grüße aus Köln und Zürich, schöne Grüße</p>"
            .as_bytes()
            .to_vec();
        bytes.push(0xff);
        let d = decode_html(&bytes, Some("text/html; charset=shift_jis"), None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.contains("Grüße aus Köln und Zürich"), "{}", d.text);
        // A UTF-8 header on Latin-1 bytes, a windows-1252 meta.
        let (latin, _, _) = WINDOWS_1252.encode("<meta charset=windows-1252><p>déjà vu, café</p>");
        let d = decode_html(&latin, Some("text/html; charset=utf-8"), None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.contains("déjà vu, café"), "{}", d.text);
        // A header the bytes fit keeps its word.
        let d = decode_html(&latin, Some("text/html; charset=iso-8859-15"), None);
        assert_eq!(d.source, CharsetSource::ContentType);
    }

    #[test]
    fn utf16_label_means_utf8() {
        let d = decode_html("<meta charset=utf-16>é".as_bytes(), None, None);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.ends_with('é'));
    }
}
