//! The pages of a WARC archive: every `response` record holding a 200 HTML
//! HTTP response becomes a [`Page`]; every other record is passed over,
//! before its block is read where its header fields decide, with the reason.

use std::io::BufRead;

use url::Url;

use super::{Event, Origin, Page, SiteFilter, SkipReason};
use crate::limits::{MAX_BODY_BYTES, MAX_HTTP_HEAD_BYTES};
use crate::warc::http::{decode_payload, looks_like_markup, parse_head, PayloadError};
use crate::warc::{WarcHeaders, WarcReader};

/// Yields the events of one archive, record by record.
pub struct ArchivePages<'a, R> {
    input: String,
    reader: WarcReader<R>,
    site: &'a SiteFilter<'a>,
}

/// What a record is, judged from its header fields alone.
enum Verdict {
    /// Passed over without reading its block.
    Skip(SkipReason),
    /// An HTTP response to read, from this address.
    Read(Url),
}

impl<'a, R: BufRead> ArchivePages<'a, R> {
    /// Pages of the archive named `input` (for messages), read by `reader`.
    pub fn new(input: &str, reader: WarcReader<R>, site: &'a SiteFilter<'a>) -> Self {
        Self {
            input: input.to_string(),
            reader,
            site,
        }
    }

    /// The next event: a page, a skipped record, the end of the archive
    /// ([`Event::ArchiveRead`]) or a read error ([`Event::Failed`]), after
    /// which the archive yields nothing more.
    pub fn next_event(&mut self) -> Event {
        let headers = match self.reader.next_record() {
            Ok(Some(h)) => h,
            Ok(None) => return Event::ArchiveRead,
            Err(e) => return self.failed(e),
        };
        let url = match self.judge(&headers) {
            Verdict::Skip(reason) => return skip(reason),
            Verdict::Read(url) => url,
        };
        let block = match self.reader.read_block(MAX_BODY_BYTES + MAX_HTTP_HEAD_BYTES) {
            Ok(Some(block)) => block,
            Ok(None) => return skip(SkipReason::TooLarge),
            Err(e) => return self.failed(e),
        };
        let head = match parse_head(&block) {
            Ok(head) => head,
            Err(_) => return skip(SkipReason::BadHttp),
        };
        if head.status != 200 {
            return skip(SkipReason::Status);
        }
        let mime = head.mime();
        if mime.as_deref().is_some_and(|m| !m.contains("html")) {
            return skip(SkipReason::NotHtml);
        }
        let content_type = head.get("Content-Type").map(str::to_string);
        let bytes = match decode_payload(&head, block, MAX_BODY_BYTES) {
            Ok(bytes) => bytes,
            Err(PayloadError::TooLarge(_)) => return skip(SkipReason::TooLarge),
            Err(_) => return skip(SkipReason::BadPayload),
        };
        if mime.is_none() && !looks_like_markup(&bytes) {
            return skip(SkipReason::NotHtml);
        }
        Event::Page(Page {
            bytes: bytes.into(),
            content_type,
            fetched_at: headers.date(),
            label: format!(
                "{} record {} ({url})",
                self.input,
                self.reader.record_number()
            ),
            url: Some(url),
            local_label: None,
            origin: Origin::Archive,
        })
    }

    /// Decides from the header fields whether the record's block is read.
    fn judge(&self, headers: &WarcHeaders) -> Verdict {
        let kind = headers.record_type();
        if kind != "response" {
            return Verdict::Skip(SkipReason::for_record_type(&kind));
        }
        // Writers that leave out the record's Content-Type store HTTP too.
        let is_http = headers
            .get("Content-Type")
            .is_none_or(|ct| ct.to_ascii_lowercase().starts_with("application/http"));
        let url = headers
            .target_uri()
            .and_then(|u| Url::parse(u).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        match url {
            Some(url) if is_http => {
                if self.site.allows_url(&url) {
                    Verdict::Read(url)
                } else {
                    Verdict::Skip(SkipReason::Site)
                }
            }
            _ => Verdict::Skip(SkipReason::NotHttp),
        }
    }

    fn failed(&self, e: crate::warc::WarcError) -> Event {
        Event::Failed(anyhow::anyhow!("{}: {e}", self.input))
    }
}

/// A record passed over.
fn skip(reason: SkipReason) -> Event {
    Event::Skipped(reason, Origin::Archive)
}
