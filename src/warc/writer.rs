//! Writing WARC/1.1 records: `warcinfo`, `request` and `response` records
//! with `WARC-Payload-Digest` and `WARC-Concurrent-To`, each record its own
//! gzip member (the layout readers such as warcio and Common Crawl's tools
//! expect, so that a record can be read from its offset alone).

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use sha1::{Digest, Sha1};

/// One record to write: its type, named fields and block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// `WARC-Record-ID` (`<urn:uuid:...>`).
    pub id: String,
    /// Named fields after `WARC-Type`, `WARC-Record-ID` and `WARC-Date`
    /// (`Content-Length` is added when serialised).
    pub fields: Vec<(String, String)>,
    /// `WARC-Type`.
    pub kind: String,
    /// `WARC-Date`.
    pub date: DateTime<Utc>,
    /// The record's block.
    pub block: Vec<u8>,
}

/// A fresh `WARC-Record-ID`.
pub fn new_record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

/// A digest in the form WARC writers use: `sha1:` and base32.
pub fn sha1_digest(data: &[u8]) -> String {
    format!("sha1:{}", data_encoding::BASE32.encode(&Sha1::digest(data)))
}

fn warc_date(date: DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl WarcRecord {
    fn new(kind: &str, date: DateTime<Utc>, block: Vec<u8>) -> Self {
        Self {
            id: new_record_id(),
            fields: Vec::new(),
            kind: kind.to_string(),
            date,
            block,
        }
    }

    /// A `warcinfo` record describing the file: `software` and any other
    /// `name: value` lines.
    pub fn warcinfo(filename: &str, date: DateTime<Utc>, info: &[(&str, &str)]) -> Self {
        let block: String = info.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
        let mut r = Self::new("warcinfo", date, block.into_bytes());
        r.fields.push(("WARC-Filename".into(), filename.into()));
        r.fields
            .push(("Content-Type".into(), "application/warc-fields".into()));
        r
    }

    /// A `response` record: `http` is the response as received (status
    /// line, headers, blank line, payload); `payload_offset` is where its
    /// payload starts, for `WARC-Payload-Digest`.
    pub fn response(
        target_uri: &str,
        date: DateTime<Utc>,
        http: Vec<u8>,
        payload_offset: usize,
    ) -> Self {
        let digest = sha1_digest(&http[payload_offset.min(http.len())..]);
        let mut r = Self::new("response", date, http);
        r.fields.push(("WARC-Target-URI".into(), target_uri.into()));
        r.fields.push((
            "Content-Type".into(),
            "application/http; msgtype=response".into(),
        ));
        r.fields.push(("WARC-Payload-Digest".into(), digest));
        r
    }

    /// A `request` record for the request that got `response`.
    pub fn request_for(response: &WarcRecord, target_uri: &str, http: Vec<u8>) -> Self {
        let mut r = Self::new("request", response.date, http);
        r.fields.push(("WARC-Target-URI".into(), target_uri.into()));
        r.fields.push((
            "Content-Type".into(),
            "application/http; msgtype=request".into(),
        ));
        r.fields
            .push(("WARC-Concurrent-To".into(), response.id.clone()));
        r
    }

    /// The header block, up to and including its blank line.
    fn head(&self) -> String {
        let mut head = format!(
            "WARC/1.1\r\nWARC-Type: {}\r\nWARC-Record-ID: {}\r\nWARC-Date: {}\r\n",
            self.kind,
            self.id,
            warc_date(self.date)
        );
        for (name, value) in &self.fields {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str(&format!(
            "WARC-Block-Digest: {}\r\nContent-Length: {}\r\n\r\n",
            sha1_digest(&self.block),
            self.block.len()
        ));
        head
    }

    /// The record as bytes: header block, block, and the closing CRLF CRLF.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.head().into_bytes();
        out.reserve(self.block.len() + 4);
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// Writes the record as one gzip member; returns the bytes written.
    pub fn write_gzip(&self, out: &mut impl Write) -> std::io::Result<u64> {
        self.write_gzip_level(out, flate2::Compression::default())
    }

    /// [`WarcRecord::write_gzip`] at another compression level (a crawl
    /// writes at the fastest: its archive costs it CPU time per page).
    pub fn write_gzip_level(
        &self,
        out: &mut impl Write,
        level: flate2::Compression,
    ) -> std::io::Result<u64> {
        let mut gz =
            flate2::write::GzEncoder::new(Vec::with_capacity(self.block.len() / 2 + 512), level);
        gz.write_all(self.head().as_bytes())?;
        gz.write_all(&self.block)?;
        gz.write_all(b"\r\n\r\n")?;
        let member = gz.finish()?;
        out.write_all(&member)?;
        Ok(member.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warc::reader::WarcReader;

    #[test]
    fn records_written_as_gzip_members_read_back_in_order() {
        let date = "2024-05-01T10:00:00Z".parse().unwrap();
        let http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hello</p>".to_vec();
        let offset = http.len() - b"<p>hello</p>".len();
        let info = WarcRecord::warcinfo("t.warc.gz", date, &[("software", "newscrawl")]);
        let resp = WarcRecord::response("https://example.com/a", date, http.clone(), offset);
        let req = WarcRecord::request_for(
            &resp,
            "https://example.com/a",
            b"GET /a HTTP/1.1\r\n\r\n".to_vec(),
        );
        let mut file = Vec::new();
        for r in [&info, &resp, &req] {
            r.write_gzip(&mut file).unwrap();
        }
        let decoder = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(&file[..]));
        let mut reader = WarcReader::new(decoder);
        let mut kinds = Vec::new();
        while let Some(h) = reader.next_record().unwrap() {
            kinds.push(h.record_type());
            if h.record_type() == "response" {
                assert_eq!(
                    h.get("WARC-Payload-Digest"),
                    Some(sha1_digest(b"<p>hello</p>").as_str())
                );
                assert_eq!(h.date(), Some(date));
                assert_eq!(reader.read_block(1 << 20).unwrap().unwrap(), http);
            }
            if h.record_type() == "request" {
                assert_eq!(h.get("WARC-Concurrent-To"), Some(resp.id.as_str()));
            }
        }
        assert_eq!(kinds, ["warcinfo", "response", "request"]);
    }

    #[test]
    fn sha1_digest_is_base32() {
        // SHA-1 of the empty string, in base32 as warcio writes it.
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }
}
