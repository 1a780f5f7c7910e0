//! The HTTP exchanges of a fetch, captured as WARC/1.1 `request` and
//! `response` records (each its own gzip member) for `crawl --warc`.
//!
//! reqwest gives neither the bytes it sent nor the bytes it received: the
//! request record is rebuilt from what the client sends (method, target,
//! `Host`, the client's `User-Agent`, `Accept` and `Accept-Encoding`, and the
//! request's own headers), and the response record holds the status line,
//! the headers as received and the payload **after** the client undid
//! `Content-Encoding` and chunking, as Common Crawl stores its payloads:
//! the client removes `Content-Encoding` and `Content-Length` from the
//! headers when it decodes a body; `Transfer-Encoding` is kept as
//! `X-Crawler-Transfer-Encoding`, a received `Content-Length` that differs
//! from the stored payload as `X-Crawler-Content-Length`, and
//! `Content-Length` is the stored payload's length. A payload cut at a limit
//! (a robots.txt, a body over the cap) is marked `WARC-Truncated: length`.
//! HTTP/2 exchanges are written as HTTP/1.1 messages. Both digests are
//! computed over the stored bytes.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, CONTENT_LENGTH, TRANSFER_ENCODING};
use url::Url;

use crate::warc::WarcRecord;

/// Where the records of one job's fetches accumulate (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// Takes the records captured so far (gzip members, in fetch order).
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn push(&self, bytes: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
    }
}

/// One exchange to record.
pub struct Exchange<'a> {
    /// The URL asked for.
    pub url: &'a Url,
    /// The request's own headers (the client adds `User-Agent`, `Accept`
    /// and `Accept-Encoding`).
    pub request_headers: &'a HeaderMap,
    /// The client's user agent.
    pub user_agent: &'a str,
    /// Status of the response.
    pub status: u16,
    /// Response headers as the client reports them.
    pub response_headers: &'a HeaderMap,
    /// The payload as stored (decoded).
    pub body: &'a [u8],
    /// The payload was cut at a limit.
    pub truncated: bool,
    /// The server's address.
    pub remote: Option<SocketAddr>,
    /// When the response arrived.
    pub date: DateTime<Utc>,
}

/// What the client sends besides the request's own headers.
const ACCEPT: &str = "*/*";
/// The encodings the client accepts (reqwest's gzip, brotli and deflate).
const ACCEPT_ENCODING: &str = "gzip, br, deflate";

impl Capture {
    /// Records `x` as a `response` record and its `request` record.
    pub fn record(&self, x: &Exchange<'_>) {
        let (http, payload_offset) = response_bytes(x);
        let mut response = WarcRecord::response(x.url.as_str(), x.date, http, payload_offset);
        if let Some(addr) = x.remote {
            response
                .fields
                .push(("WARC-IP-Address".into(), addr.ip().to_string()));
        }
        if x.truncated {
            response
                .fields
                .push(("WARC-Truncated".into(), "length".into()));
        }
        let request = WarcRecord::request_for(&response, x.url.as_str(), request_bytes(x));
        let mut out = Vec::with_capacity(x.body.len() / 3 + 1024);
        for r in [&response, &request] {
            // Writing to a Vec cannot fail.
            let _ = r.write_gzip_level(&mut out, flate2::Compression::fast());
        }
        self.push(&out);
    }
}

fn request_bytes(x: &Exchange<'_>) -> Vec<u8> {
    let mut target = x.url.path().to_string();
    if let Some(q) = x.url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host = match x.url.port() {
        Some(p) => format!("{}:{p}", x.url.host_str().unwrap_or_default()),
        None => x.url.host_str().unwrap_or_default().to_string(),
    };
    let mut head = format!(
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {}\r\nAccept: {ACCEPT}\r\nAccept-Encoding: {ACCEPT_ENCODING}\r\n",
        x.user_agent
    );
    for (name, value) in x.request_headers {
        push_header(&mut head, name.as_str(), value.as_bytes());
    }
    head.push_str("\r\n");
    head.into_bytes()
}

fn response_bytes(x: &Exchange<'_>) -> (Vec<u8>, usize) {
    let reason = reqwest::StatusCode::from_u16(x.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", x.status);
    for (name, value) in x.response_headers {
        if name == TRANSFER_ENCODING {
            push_header(&mut head, "X-Crawler-Transfer-Encoding", value.as_bytes());
        } else if name == CONTENT_LENGTH {
            if value.to_str().ok() != Some(x.body.len().to_string().as_str()) {
                push_header(&mut head, "X-Crawler-Content-Length", value.as_bytes());
            }
        } else {
            push_header(&mut head, name.as_str(), value.as_bytes());
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", x.body.len()));
    let mut http = head.into_bytes();
    let offset = http.len();
    http.extend_from_slice(x.body);
    (http, offset)
}

/// Appends `name: value` with the value's bytes as Latin-1 (header values
/// are bytes; a CR or LF could not have been received in one).
fn push_header(head: &mut String, name: &str, value: &[u8]) {
    head.push_str(name);
    head.push_str(": ");
    head.extend(
        value
            .iter()
            .filter(|&&b| b != b'\r' && b != b'\n')
            .map(|&b| b as char),
    );
    head.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warc::reader::WarcReader;
    use crate::warc::writer::sha1_digest;

    #[test]
    fn an_exchange_becomes_a_response_and_its_request() {
        let url: Url = "http://127.0.0.1:8080/a/b?x=1".parse().unwrap();
        let mut req = HeaderMap::new();
        req.insert("if-none-match", "\"v1\"".parse().unwrap());
        let mut resp = HeaderMap::new();
        resp.insert("content-type", "text/html".parse().unwrap());
        resp.insert("transfer-encoding", "chunked".parse().unwrap());
        resp.insert("content-length", "999".parse().unwrap());
        let cap = Capture::default();
        cap.record(&Exchange {
            url: &url,
            request_headers: &req,
            user_agent: "newscrawl/test",
            status: 200,
            response_headers: &resp,
            body: b"<p>hi</p>",
            truncated: true,
            remote: Some("127.0.0.1:8080".parse().unwrap()),
            date: "2024-05-01T10:00:00Z".parse().unwrap(),
        });
        let bytes = cap.take();
        assert!(cap.take().is_empty(), "taken once");
        let gz = flate2::read::MultiGzDecoder::new(&bytes[..]);
        let mut reader = WarcReader::new(std::io::BufReader::new(gz));
        let h = reader.next_record().unwrap().unwrap();
        assert_eq!(h.record_type(), "response");
        assert_eq!(h.get("WARC-Truncated"), Some("length"));
        assert_eq!(h.get("WARC-IP-Address"), Some("127.0.0.1"));
        assert_eq!(
            h.get("WARC-Payload-Digest"),
            Some(sha1_digest(b"<p>hi</p>").as_str())
        );
        let response_id = h.get("WARC-Record-ID").unwrap().to_string();
        let block = String::from_utf8(reader.read_block(1 << 20).unwrap().unwrap()).unwrap();
        assert!(block.starts_with("HTTP/1.1 200 OK\r\n"), "{block}");
        assert!(
            block.contains("X-Crawler-Transfer-Encoding: chunked\r\n"),
            "{block}"
        );
        assert!(
            block.contains("X-Crawler-Content-Length: 999\r\n"),
            "{block}"
        );
        assert!(
            block.ends_with("Content-Length: 9\r\n\r\n<p>hi</p>"),
            "{block}"
        );
        let h = reader.next_record().unwrap().unwrap();
        assert_eq!(h.record_type(), "request");
        assert_eq!(h.get("WARC-Concurrent-To"), Some(response_id.as_str()));
        let block = String::from_utf8(reader.read_block(1 << 20).unwrap().unwrap()).unwrap();
        assert!(
            block.starts_with(
                "GET /a/b?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: newscrawl/test\r\n"
            ),
            "{block}"
        );
        assert!(block.ends_with("if-none-match: \"v1\"\r\n\r\n"), "{block}");
        assert!(reader.next_record().unwrap().is_none());
    }
}
