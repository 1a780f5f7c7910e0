//! The HTTP response inside a WARC `response` record: its head parsed with
//! httparse, its payload turned back into the bytes a browser would see
//! (`Transfer-Encoding: chunked` and `Content-Encoding` undone), bounded.

use std::io::Read;

use thiserror::Error;

use crate::limits::{MAX_HEADER_FIELDS, MAX_HTTP_HEAD_BYTES};

/// Why a stored HTTP response gave no payload.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PayloadError {
    /// The block does not start with a parseable HTTP response head.
    #[error("bad HTTP response head: {0}")]
    BadHead(String),
    /// The payload is larger than the limit once decoded.
    #[error("payload larger than {0} bytes")]
    TooLarge(usize),
    /// A `Content-Encoding` newscrawl cannot undo.
    #[error("unsupported Content-Encoding {0:?}")]
    UnsupportedEncoding(String),
    /// The payload does not decode with its stated `Content-Encoding`.
    #[error("payload does not decode as {0}")]
    BadEncoding(String),
}

/// A stored HTTP response head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    /// The status code.
    pub status: u16,
    /// Header fields in their order.
    pub headers: Vec<(String, String)>,
    /// Where the payload starts in the block.
    pub payload_offset: usize,
}

impl ResponseHead {
    /// The first header of that name (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        super::field(&self.headers, name)
    }

    /// Every value of a list-valued header, lower-cased and split at commas.
    fn tokens(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// The media type of `Content-Type` (lower-cased, without parameters).
    pub fn mime(&self) -> Option<String> {
        let ct = self.get("Content-Type")?;
        let mime = ct.split(';').next().unwrap_or("").trim();
        (!mime.is_empty()).then(|| mime.to_ascii_lowercase())
    }
}

/// Parses the HTTP response head at the start of a `response` record's block.
pub fn parse_head(block: &[u8]) -> Result<ResponseHead, PayloadError> {
    let limit = block.len().min(MAX_HTTP_HEAD_BYTES);
    let head = &block[..limit];
    // httparse knows HTTP/1.x status lines only; archives of HTTP/2 fetches
    // write `HTTP/2 200`. The status line is rewritten for parsing.
    let rewritten;
    let (head, shift) = match http2_status_line(head) {
        Some(version_len) => {
            let mut copy = b"HTTP/1.1".to_vec();
            copy.extend_from_slice(&head[version_len..]);
            rewritten = copy;
            (
                &rewritten[..],
                version_len as isize - "HTTP/1.1".len() as isize,
            )
        }
        None => (head, 0),
    };
    let mut slots = vec![httparse::EMPTY_HEADER; MAX_HEADER_FIELDS];
    let mut response = httparse::Response::new(&mut slots);
    let len = match response.parse(head) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => {
            return Err(PayloadError::BadHead(if limit < block.len() {
                format!("longer than {MAX_HTTP_HEAD_BYTES} bytes")
            } else {
                "truncated".into()
            }))
        }
        Err(e) => return Err(PayloadError::BadHead(e.to_string())),
    };
    Ok(ResponseHead {
        status: response.code.unwrap_or(0),
        headers: response
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).trim().to_string(),
                )
            })
            .collect(),
        payload_offset: (len as isize + shift) as usize,
    })
}

/// The length of the version token when the status line says HTTP/2 or 3.
fn http2_status_line(head: &[u8]) -> Option<usize> {
    for v in [&b"HTTP/2.0"[..], b"HTTP/2", b"HTTP/3.0", b"HTTP/3"] {
        if head.starts_with(v) && head.get(v.len()) == Some(&b' ') {
            return Some(v.len());
        }
    }
    None
}

/// The payload as a browser would see it: dechunked, content-encodings
/// undone, at most `limit` bytes.
///
/// Archives differ in what they store: some keep the bytes as sent, some
/// decode them but keep the headers. A payload that does not decode as its
/// headers say, but already looks like markup, is taken as it is.
pub fn decode_payload(
    head: &ResponseHead,
    mut block: Vec<u8>,
    limit: usize,
) -> Result<Vec<u8>, PayloadError> {
    block.drain(..head.payload_offset.min(block.len()));
    let mut body = if head
        .tokens("Transfer-Encoding")
        .iter()
        .any(|t| t == "chunked")
    {
        dechunk(&block).unwrap_or(block)
    } else {
        block
    };
    for coding in head.tokens("Content-Encoding").iter().rev() {
        body = match decode_one(coding, &body, limit) {
            Ok(decoded) => decoded,
            Err(PayloadError::BadEncoding(_)) if looks_like_markup(&body) => body,
            Err(e) => return Err(e),
        };
    }
    if body.len() > limit {
        return Err(PayloadError::TooLarge(limit));
    }
    Ok(body)
}

/// Undoes `Transfer-Encoding: chunked`; `None` when the data is not chunked
/// at all. A stream cut short keeps the chunks read so far.
fn dechunk(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut pos = 0;
    let mut first = true;
    while pos < raw.len() {
        let (used, size) = match httparse::parse_chunk_size(&raw[pos..]) {
            Ok(httparse::Status::Complete(found)) => found,
            _ if first => return None,
            _ => break,
        };
        first = false;
        pos += used;
        if size == 0 {
            break;
        }
        let end = pos.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
        out.extend_from_slice(&raw[pos..end.min(raw.len())]);
        pos = end.saturating_add(2); // the CRLF after the chunk
    }
    Some(out)
}

fn decode_one(coding: &str, data: &[u8], limit: usize) -> Result<Vec<u8>, PayloadError> {
    let bad = || PayloadError::BadEncoding(coding.to_string());
    match coding {
        "identity" => Ok(data.to_vec()),
        "gzip" | "x-gzip" => {
            if !data.starts_with(&[0x1f, 0x8b]) {
                return Err(bad());
            }
            read_bounded(flate2::read::MultiGzDecoder::new(data), limit)
                .map_err(|e| e.unwrap_or_else(bad))
        }
        "deflate" => {
            // RFC 9110 deflate is zlib-wrapped; many servers send raw deflate.
            read_bounded(flate2::read::ZlibDecoder::new(data), limit)
                .or_else(|e| match e {
                    Some(too_large) => Err(Some(too_large)),
                    None => read_bounded(flate2::read::DeflateDecoder::new(data), limit),
                })
                .map_err(|e| e.unwrap_or_else(bad))
        }
        "br" => read_bounded(
            brotli_decompressor::Decompressor::new(data, 64 * 1024),
            limit,
        )
        .map_err(|e| e.unwrap_or_else(bad)),
        other => Err(PayloadError::UnsupportedEncoding(other.to_string())),
    }
}

/// Reads a decoder to the end, at most `limit` bytes. `Err(Some(..))` when
/// the output is too large, `Err(None)` when the data does not decode.
fn read_bounded(decoder: impl Read, limit: usize) -> Result<Vec<u8>, Option<PayloadError>> {
    let mut out = Vec::new();
    decoder
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| None)?;
    if out.len() > limit {
        return Err(Some(PayloadError::TooLarge(limit)));
    }
    Ok(out)
}

/// True when the bytes start (after whitespace or a BOM) with `<`.
pub fn looks_like_markup(data: &[u8]) -> bool {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    data.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn block(headers: &str, payload: &[u8]) -> Vec<u8> {
        let mut b = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        b.extend_from_slice(payload);
        b
    }

    #[test]
    fn head_fields_and_payload_offset() {
        let b = block(
            "Content-Type: text/html; charset=ISO-8859-1\r\n",
            b"<p>x</p>",
        );
        let h = parse_head(&b).unwrap();
        assert_eq!(h.status, 200);
        assert_eq!(h.mime().as_deref(), Some("text/html"));
        assert_eq!(h.get("content-type"), Some("text/html; charset=ISO-8859-1"));
        assert_eq!(decode_payload(&h, b.clone(), 100).unwrap(), b"<p>x</p>");
    }

    #[test]
    fn http2_status_lines_parse() {
        let b = b"HTTP/2 404\r\ncontent-type: text/html\r\n\r\n<p>gone</p>";
        let h = parse_head(b).unwrap();
        assert_eq!(h.status, 404);
        assert_eq!(decode_payload(&h, b.to_vec(), 100).unwrap(), b"<p>gone</p>");
    }

    #[test]
    fn chunked_then_gzip_is_undone() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<html><p>hello chunks</p></html>").unwrap();
        let gz = gz.finish().unwrap();
        let (a, b) = gz.split_at(10);
        let mut chunked = format!("{:x}\r\n", a.len()).into_bytes();
        chunked.extend_from_slice(a);
        chunked.extend_from_slice(format!("\r\n{:X};ext=1\r\n", b.len()).as_bytes());
        chunked.extend_from_slice(b);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let blk = block(
            "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            &chunked,
        );
        let h = parse_head(&blk).unwrap();
        assert_eq!(
            decode_payload(&h, blk.clone(), 1000).unwrap(),
            b"<html><p>hello chunks</p></html>"
        );
    }

    #[test]
    fn deflate_both_wrappings_and_brotli() {
        let text = b"<p>deflated text</p>";
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(text).unwrap();
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        d.write_all(text).unwrap();
        for payload in [z.finish().unwrap(), d.finish().unwrap()] {
            let blk = block("Content-Encoding: deflate\r\n", &payload);
            let h = parse_head(&blk).unwrap();
            assert_eq!(decode_payload(&h, blk.clone(), 1000).unwrap(), text);
        }
        let mut br = Vec::new();
        brotli::BrotliCompress(
            &mut &b"<p>br</p>"[..],
            &mut br,
            &brotli::enc::BrotliEncoderParams::default(),
        )
        .unwrap();
        let blk = block("Content-Encoding: br\r\n", &br);
        let h = parse_head(&blk).unwrap();
        assert_eq!(decode_payload(&h, blk.clone(), 1000).unwrap(), b"<p>br</p>");
    }

    #[test]
    fn already_decoded_payloads_are_taken_as_they_are() {
        let blk = block(
            "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            b"<html>stored decoded</html>",
        );
        let h = parse_head(&blk).unwrap();
        assert_eq!(
            decode_payload(&h, blk.clone(), 1000).unwrap(),
            b"<html>stored decoded</html>"
        );
    }

    #[test]
    fn limits_and_unknown_encodings() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&vec![b'a'; 100_000]).unwrap();
        let blk = block("Content-Encoding: gzip\r\n", &gz.finish().unwrap());
        let h = parse_head(&blk).unwrap();
        assert_eq!(
            decode_payload(&h, blk.clone(), 1000),
            Err(PayloadError::TooLarge(1000))
        );
        let blk = block("Content-Encoding: compress\r\n", b"\x1f\x9d...");
        let h = parse_head(&blk).unwrap();
        assert_eq!(
            decode_payload(&h, blk.clone(), 1000),
            Err(PayloadError::UnsupportedEncoding("compress".into()))
        );
        assert!(matches!(
            parse_head(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"),
            Err(PayloadError::BadHead(_))
        ));
    }
}
