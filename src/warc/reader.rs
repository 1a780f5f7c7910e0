//! Reading WARC records one at a time from a byte stream.
//!
//! The reader never holds more than one record's header block; a record's
//! block (its content) is read whole only when the caller asks for it and it
//! fits the caller's limit, and is otherwise skipped unread. Memory does not
//! grow with the archive. Compression is the caller's business: a
//! `.warc.gz` (one gzip member per record, as WARC writers make them) is
//! read through flate2's `MultiGzDecoder`, which goes on past the end of the
//! first member.

use std::io::{BufRead, Read};

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::limits::{MAX_HEADER_FIELDS, MAX_WARC_HEADER_BYTES};

/// A malformed or unreadable archive; the message names the record.
#[derive(Debug, Error)]
pub enum WarcError {
    /// Reading (or decompressing) failed.
    #[error("record {record} (byte {offset}): {source}")]
    Io {
        /// The record's number, from 1.
        record: u64,
        /// Its offset in the uncompressed stream.
        offset: u64,
        /// The read error.
        source: std::io::Error,
    },
    /// The header block is not a WARC header block.
    #[error("record {record} (byte {offset}): {message}")]
    Malformed {
        /// The record's number, from 1.
        record: u64,
        /// Its offset in the uncompressed stream.
        offset: u64,
        /// What is wrong.
        message: String,
    },
}

/// The named fields of one WARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcHeaders {
    /// The version from the first line, e.g. `1.1`.
    pub version: String,
    /// The fields in their order (names as written).
    pub fields: Vec<(String, String)>,
    /// The length of the record's block, from `Content-Length`.
    pub content_length: u64,
}

impl WarcHeaders {
    /// The first field of that name (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        super::field(&self.fields, name)
    }

    /// `WARC-Type`, lower-cased (`response`, `request`, `revisit`, ...).
    pub fn record_type(&self) -> String {
        self.get("WARC-Type")
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// `WARC-Target-URI`, without the angle brackets some writers put around it.
    pub fn target_uri(&self) -> Option<&str> {
        self.get("WARC-Target-URI")
            .map(|u| u.trim().trim_start_matches('<').trim_end_matches('>'))
    }

    /// `WARC-Date` as a time (RFC 3339, fractions of a second allowed).
    pub fn date(&self) -> Option<DateTime<Utc>> {
        let d = self.get("WARC-Date")?;
        DateTime::parse_from_rfc3339(d.trim())
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }
}

/// Reads WARC records in order from a buffered stream.
#[derive(Debug)]
pub struct WarcReader<R> {
    inner: R,
    /// Bytes of the current record's block not yet consumed.
    remaining: u64,
    /// Records started so far.
    number: u64,
    /// Uncompressed bytes consumed so far.
    consumed: u64,
    /// Offset of the current record.
    record_offset: u64,
}

impl<R: BufRead> WarcReader<R> {
    /// A reader over an uncompressed WARC stream.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            remaining: 0,
            number: 0,
            consumed: 0,
            record_offset: 0,
        }
    }

    /// The current record's number, from 1 (0 before the first).
    pub fn record_number(&self) -> u64 {
        self.number
    }

    /// Reads the next record's header block, first skipping whatever the
    /// caller left unread of the previous record. `None` at the end.
    pub fn next_record(&mut self) -> Result<Option<WarcHeaders>, WarcError> {
        self.skip_block()?;
        // Records are separated by CRLF CRLF; tolerate any run of line ends.
        loop {
            let at = self.position();
            let buf = self.inner.fill_buf().map_err(|e| io_error(at, e))?;
            if buf.is_empty() {
                return Ok(None);
            }
            let blank = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if blank == 0 {
                break;
            }
            self.inner.consume(blank);
            self.consumed += blank as u64;
        }
        self.number += 1;
        self.record_offset = self.consumed;
        let block = self.read_header_block()?;
        let headers = self.parse_header_block(&block)?;
        self.remaining = headers.content_length;
        Ok(Some(headers))
    }

    /// Reads the current record's whole block when it is at most `limit`
    /// bytes long; a longer block is skipped unread and `None` returned.
    pub fn read_block(&mut self, limit: usize) -> Result<Option<Vec<u8>>, WarcError> {
        if self.remaining > limit as u64 {
            self.skip_block()?;
            return Ok(None);
        }
        let mut block = Vec::with_capacity(self.remaining as usize);
        let want = self.remaining;
        let got = (&mut self.inner)
            .take(want)
            .read_to_end(&mut block)
            .map_err(|e| self.io(e))? as u64;
        self.consumed += got;
        self.remaining -= got;
        if got < want {
            return Err(self.truncated());
        }
        Ok(Some(block))
    }

    /// Skips what is left of the current record's block.
    pub fn skip_block(&mut self) -> Result<(), WarcError> {
        while self.remaining > 0 {
            let at = self.position();
            let available = self.inner.fill_buf().map_err(|e| io_error(at, e))?.len();
            if available == 0 {
                return Err(self.truncated());
            }
            let n = available.min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
            self.inner.consume(n);
            self.consumed += n as u64;
            self.remaining -= n as u64;
        }
        Ok(())
    }

    /// Reads lines up to and including the blank line that ends the header block.
    fn read_header_block(&mut self) -> Result<Vec<u8>, WarcError> {
        let mut block = Vec::with_capacity(1024);
        loop {
            let room = (MAX_WARC_HEADER_BYTES + 1).saturating_sub(block.len()) as u64;
            let start = block.len();
            let n = (&mut self.inner)
                .take(room)
                .read_until(b'\n', &mut block)
                .map_err(|e| self.io(e))?;
            self.consumed += n as u64;
            if block.len() > MAX_WARC_HEADER_BYTES {
                return Err(self.malformed(format!(
                    "header block longer than {MAX_WARC_HEADER_BYTES} bytes"
                )));
            }
            if n == 0 || !block.ends_with(b"\n") {
                return Err(self.truncated());
            }
            let line = &block[start..];
            if start > 0 && (line == b"\r\n" || line == b"\n") {
                return Ok(block);
            }
        }
    }

    fn parse_header_block(&self, block: &[u8]) -> Result<WarcHeaders, WarcError> {
        let first_end = block.iter().position(|&b| b == b'\n').unwrap_or(0) + 1;
        let first = String::from_utf8_lossy(&block[..first_end]);
        let version = first
            .trim_end()
            .strip_prefix("WARC/")
            .ok_or_else(|| {
                self.malformed(format!(
                    "not a WARC record: starts with {:?}",
                    first.trim_end().chars().take(40).collect::<String>()
                ))
            })?
            .to_string();
        let mut slots = vec![httparse::EMPTY_HEADER; MAX_HEADER_FIELDS];
        let parsed = httparse::parse_headers(&block[first_end..], &mut slots)
            .map_err(|e| self.malformed(format!("bad header field: {e}")))?;
        let httparse::Status::Complete((_, parsed)) = parsed else {
            return Err(self.truncated());
        };
        let fields: Vec<(String, String)> = parsed
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).trim().to_string(),
                )
            })
            .collect();
        let length = super::field(&fields, "Content-Length")
            .ok_or_else(|| self.malformed("no Content-Length field".into()))?;
        let content_length = length
            .parse::<u64>()
            .map_err(|_| self.malformed(format!("Content-Length {length:?} is not a number")))?;
        Ok(WarcHeaders {
            version,
            fields,
            content_length,
        })
    }

    /// The current record's number and offset, for error messages.
    fn position(&self) -> (u64, u64) {
        (self.number.max(1), self.record_offset)
    }

    fn io(&self, source: std::io::Error) -> WarcError {
        io_error(self.position(), source)
    }

    fn malformed(&self, message: String) -> WarcError {
        WarcError::Malformed {
            record: self.number,
            offset: self.record_offset,
            message,
        }
    }

    fn truncated(&self) -> WarcError {
        self.malformed("archive ends inside the record (truncated)".into())
    }
}

fn io_error((record, offset): (u64, u64), source: std::io::Error) -> WarcError {
    WarcError::Io {
        record,
        offset,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: <https://example.com/a>\r\nWARC-Date: 2024-05-01T10:00:00.5Z\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    #[test]
    fn reads_records_in_order_and_skips_unread_blocks() {
        let mut data = record("warcinfo", b"software: test\r\n");
        data.extend(record("response", b"HTTP/1.1 200 OK\r\n\r\n<p>hi</p>"));
        data.extend(record("request", b"GET / HTTP/1.1\r\n\r\n"));
        let mut r = WarcReader::new(&data[..]);
        let h = r.next_record().unwrap().unwrap();
        assert_eq!(h.record_type(), "warcinfo");
        assert_eq!(h.version, "1.1");
        // Block left unread: the next call skips it.
        let h = r.next_record().unwrap().unwrap();
        assert_eq!(h.record_type(), "response");
        assert_eq!(h.target_uri(), Some("https://example.com/a"));
        assert_eq!(
            h.date().unwrap().to_rfc3339(),
            "2024-05-01T10:00:00.500+00:00"
        );
        assert_eq!(
            r.read_block(1000).unwrap().unwrap(),
            b"HTTP/1.1 200 OK\r\n\r\n<p>hi</p>"
        );
        let h = r.next_record().unwrap().unwrap();
        assert_eq!(h.get("warc-type"), Some("request"));
        assert_eq!(r.record_number(), 3);
        assert!(r.next_record().unwrap().is_none());
    }

    #[test]
    fn a_block_over_the_limit_is_skipped_and_reading_goes_on() {
        let mut data = record("response", &[b'x'; 5000]);
        data.extend(record("response", b"small"));
        let mut r = WarcReader::new(&data[..]);
        r.next_record().unwrap().unwrap();
        assert_eq!(r.read_block(4999).unwrap(), None);
        r.next_record().unwrap().unwrap();
        assert_eq!(r.read_block(4999).unwrap().unwrap(), b"small");
    }

    #[test]
    fn truncation_and_garbage_are_errors_naming_the_record() {
        let mut data = record("response", b"0123456789");
        data.extend(record("response", b"0123456789"));
        data.truncate(data.len() - 8);
        let mut r = WarcReader::new(&data[..]);
        r.next_record().unwrap().unwrap();
        r.next_record().unwrap().unwrap();
        let e = r.read_block(100).unwrap_err().to_string();
        assert!(e.starts_with("record 2 (byte "), "{e}");
        assert!(e.contains("truncated"), "{e}");

        let mut r = WarcReader::new(&b"<html><body>not an archive\r\n\r\n"[..]);
        let e = r.next_record().unwrap_err().to_string();
        assert!(e.contains("not a WARC record"), "{e}");

        let mut r = WarcReader::new(&b"WARC/1.0\r\nWARC-Type: response\r\n\r\n"[..]);
        let e = r.next_record().unwrap_err().to_string();
        assert!(e.contains("no Content-Length"), "{e}");
    }

    #[test]
    fn an_endless_header_line_is_bounded() {
        let mut data = b"WARC/1.0\r\nX: ".to_vec();
        data.resize(MAX_WARC_HEADER_BYTES * 2, b'a');
        let mut r = WarcReader::new(&data[..]);
        let e = r.next_record().unwrap_err().to_string();
        assert!(e.contains("longer than"), "{e}");
    }
}
