//! One frontier item: fetched by the shared fetch policy without following
//! redirects (the scheduler queues each hop after [`crate::fetch::check_hop`]),
//! then classified: not modified, redirect, sitemap/feed, page (extracted off
//! the async threads), skipped or failed; and the message a finished task
//! sends back to the scheduler.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::header::{ETAG, LAST_MODIFIED};
use url::Url;

use super::discover::{parse_xml, XmlDoc};
use super::fingerprint::{content_hash, near_key};
use super::pool::ExtractPool;
use super::walls::is_challenge;
use crate::extract::{extract_page, ExtractOptions, ExtractedPage, PageInput};
use crate::fetch::content::{body_kind, maybe_gunzip};
use crate::fetch::{answer, Answer, FetchError, Fetcher, HopError, Robots};
use crate::limits::MAX_BODY_BYTES;
use crate::output::RecordEncoder;
use crate::selectors::SiteRegistry;
use crate::state::{Claim, Reason};

/// What the scheduler needs of an article besides the page itself, computed
/// on the extraction thread (empty for pages that are not articles).
#[derive(Debug, Default)]
pub struct Fingerprints {
    /// Exact content hash of the body (hex).
    pub hash: String,
    /// Near-duplicate key of the body.
    pub near: u64,
    /// The record as the output's sink encoded it.
    pub encoded: Vec<u8>,
}

/// What a fetch produced.
#[derive(Debug)]
pub enum ItemResult {
    /// 304: unchanged since the validators were stored.
    NotModified,
    /// A 3xx: its target, resolved, or why it has none.
    Redirect {
        /// The resolved target (to be checked by [`crate::fetch::check_hop`]).
        target: Result<Url, HopError>,
        /// The status.
        status: u16,
    },
    /// A sitemap or feed.
    Xml {
        /// Its entries.
        doc: XmlDoc,
        /// Validators.
        etag: Option<String>,
        /// Validators.
        last_modified: Option<String>,
    },
    /// An HTML page, extracted.
    Page {
        /// The extracted page.
        page: Box<ExtractedPage>,
        /// Its body's fingerprints and its JSONL line.
        prints: Fingerprints,
        /// Validators.
        etag: Option<String>,
        /// Validators.
        last_modified: Option<String>,
    },
    /// A bot wall's challenge instead of the page.
    Challenge {
        /// HTTP status.
        status: u16,
    },
    /// A response that gives nothing to do.
    Skipped {
        /// Why.
        reason: Reason,
        /// HTTP status.
        status: u16,
    },
    /// A failure.
    Failed {
        /// Why.
        reason: Reason,
        /// The full message (names the URL).
        message: String,
        /// Worth retrying.
        transient: bool,
        /// A `Retry-After` wait, when the server sent one.
        retry_after: Option<Duration>,
        /// HTTP status, when a response arrived.
        status: Option<u16>,
    },
}

/// A finished job, sent back to the scheduler.
// An item is most messages: boxing it would cost an allocation a page.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum WorkResult {
    /// robots.txt of a host.
    Robots {
        /// The host key.
        host: String,
        /// The interpreted file.
        robots: Robots,
        /// When the request was actually sent.
        sent_at: Instant,
        /// WARC records of its fetches (`--warc`; empty otherwise).
        warc: Vec<u8>,
    },
    /// The response to a page's request was read and its extraction
    /// starts: the host is free (its [`WorkResult::Item`] follows).
    Released {
        /// The host key.
        host: String,
        /// When the request was actually sent.
        sent_at: Instant,
    },
    /// A frontier entry.
    Item {
        /// The claim.
        claim: Claim,
        /// What happened.
        result: ItemResult,
        /// When the response arrived.
        fetched_at: DateTime<Utc>,
        /// When the request was actually sent (task start can lag dispatch).
        sent_at: Instant,
        /// WARC records of its fetch (`--warc`; empty otherwise).
        warc: Vec<u8>,
        /// A [`WorkResult::Released`] was sent for it.
        released: bool,
        /// Its request's number among its host's (results are handled in
        /// that order).
        seq: u64,
    },
}

/// Sends a page or source job's [`WorkResult::Item`]. Dropped unsent (its
/// task panicked or was cancelled), it sends a failure instead: the host's
/// later results, handled in request order, never wait for it forever.
pub struct ItemReply {
    tx: tokio::sync::mpsc::UnboundedSender<WorkResult>,
    /// `None` once sent.
    claim: Option<Claim>,
    seq: u64,
    sent_at: Instant,
    /// Called once the response is read (a page's host is then free; see
    /// [`fetch_item`]); `None` for sources, and once called.
    on_read: Option<Box<dyn FnOnce() + Send>>,
    source: bool,
}

impl ItemReply {
    /// A reply to request `seq` of `claim`'s host, sent at `sent_at`; a
    /// page's reply first sends [`WorkResult::Released`] when its response
    /// is read.
    pub fn new(
        tx: tokio::sync::mpsc::UnboundedSender<WorkResult>,
        claim: Claim,
        seq: u64,
        sent_at: Instant,
    ) -> Self {
        let source = claim.kind.is_source();
        let on_read: Option<Box<dyn FnOnce() + Send>> = if source {
            None
        } else {
            let (tx, host) = (tx.clone(), claim.host.clone());
            Some(Box::new(move || {
                let _ = tx.send(WorkResult::Released { host, sent_at });
            }))
        };
        Self {
            tx,
            claim: Some(claim),
            seq,
            sent_at,
            on_read,
            source,
        }
    }

    /// The claim replied to, and the callback for when its response is
    /// read.
    #[allow(clippy::type_complexity)]
    pub fn parts(&mut self) -> (&Claim, &mut Option<Box<dyn FnOnce() + Send>>) {
        let claim = self
            .claim
            .as_ref()
            .expect("a reply holds its claim until sent");
        (claim, &mut self.on_read)
    }

    /// Sends the result.
    pub fn send(mut self, result: ItemResult, warc: Vec<u8>) {
        self.send_now(result, warc);
    }

    fn send_now(&mut self, result: ItemResult, warc: Vec<u8>) {
        let Some(claim) = self.claim.take() else {
            return;
        };
        let _ = self.tx.send(WorkResult::Item {
            released: !self.source && self.on_read.is_none(),
            claim,
            result,
            fetched_at: Utc::now(),
            sent_at: self.sent_at,
            warc,
            seq: self.seq,
        });
    }
}

impl Drop for ItemReply {
    fn drop(&mut self) {
        let Some(url) = self.claim.as_ref().map(|c| c.url.clone()) else {
            return;
        };
        let result = ItemResult::Failed {
            reason: Reason::ExtractionPanicked,
            message: format!("{url}: its fetch ended without a result"),
            transient: false,
            retry_after: None,
            status: None,
        };
        self.send_now(result, Vec::new());
    }
}

fn failure(e: &FetchError) -> ItemResult {
    ItemResult::Failed {
        reason: e.reason(),
        message: e.to_string(),
        transient: e.is_transient(),
        retry_after: None,
        status: None,
    }
}

/// How a page is extracted: the site configs, the options, the output's
/// record encoder.
pub struct PageWork {
    /// The site configs.
    pub sites: Arc<SiteRegistry>,
    /// The extraction options.
    pub opts: ExtractOptions,
    /// The output's record encoder.
    pub encode: RecordEncoder,
}

/// Fetches and classifies one frontier entry; an article's record is
/// encoded with `encode` on the extraction thread. `on_read`, when given,
/// is called (and taken) once the response is read and its body is about
/// to be parsed. Parsing runs on `pool`
/// (a thread per core): with 64 requests in flight, 64 extraction threads
/// at once would only take turns on the cores, each switch costing CPU and
/// cache.
pub async fn fetch_item(
    fetcher: &Fetcher,
    work: PageWork,
    pool: &ExtractPool,
    claim: &Claim,
    headers: &[(String, String)],
    on_read: &mut Option<Box<dyn FnOnce() + Send>>,
) -> ItemResult {
    let Ok(url) = Url::parse(&claim.url) else {
        return ItemResult::Skipped {
            reason: Reason::BadUrl,
            status: 0,
        };
    };
    let mut extra: Vec<(String, String)> = headers.to_vec();
    if let Some(e) = &claim.etag {
        extra.push(("If-None-Match".into(), e.clone()));
    }
    if let Some(lm) = &claim.last_modified {
        extra.push(("If-Modified-Since".into(), lm.clone()));
    }
    let r = match fetcher.get(&url, &extra).await {
        Ok(r) => r,
        Err(e) => return failure(&e),
    };
    let status = r.status;
    if is_challenge(status, &r.headers, &r.body) {
        return ItemResult::Challenge { status };
    }
    match answer(&r) {
        Answer::NotModified => return ItemResult::NotModified,
        Answer::Redirect(target) => return ItemResult::Redirect { target, status },
        Answer::Failed {
            status,
            transient,
            retry_after,
        } => {
            return ItemResult::Failed {
                reason: Reason::Http(status),
                message: format!("{url}: HTTP {status}"),
                transient,
                retry_after,
                status: Some(status),
            }
        }
        Answer::Body => {}
    }
    let etag = r.header(ETAG);
    let last_modified = r.header(LAST_MODIFIED);
    let content_type = r.content_type().map(str::to_string);
    let fetched_at = r.fetched_at;
    let final_url = r.url.clone();
    let body = match maybe_gunzip(r.body, MAX_BODY_BYTES) {
        Ok(b) => b,
        Err(e) => {
            return ItemResult::Failed {
                reason: Reason::TooLarge,
                message: format!("{url}: {e}"),
                transient: false,
                retry_after: None,
                status: Some(status),
            }
        }
    };
    let kind = body_kind(content_type.as_deref(), &body);
    if let Some(read) = on_read.take() {
        read();
    }
    // Parsing and extraction are CPU work: keep them off the async threads.
    let PageWork {
        sites,
        opts,
        encode,
    } = work;
    let job = pool.run(move || {
        if kind.feed {
            if let Some(doc) = parse_xml(&body) {
                return Ok(Err(doc));
            }
        }
        if !kind.html {
            return Err(Reason::NotHtml);
        }
        let input = PageInput {
            bytes: &body,
            content_type: content_type.as_deref(),
            url: Some(final_url),
            fetched_at: Some(fetched_at),
            local_label: None,
            buffer: None,
        };
        match extract_page(&input, &sites, &opts) {
            Ok(page) => {
                // Work for every written article, done here on the
                // extraction threads rather than on the scheduler.
                let prints = if page.is_article() {
                    Fingerprints {
                        hash: content_hash(&page.record.body),
                        near: near_key(&page.record.body),
                        encoded: encode(&page.record),
                    }
                } else {
                    Fingerprints::default()
                };
                Ok(Ok((Box::new(page), prints)))
            }
            Err(_) => Err(Reason::NotHtml),
        }
    });
    match job.await {
        Ok(Ok(Ok((page, prints)))) => ItemResult::Page {
            page,
            prints,
            etag,
            last_modified,
        },
        Ok(Ok(Err(doc))) => ItemResult::Xml {
            doc,
            etag,
            last_modified,
        },
        Ok(Err(reason)) => ItemResult::Skipped { reason, status },
        Err(_) => ItemResult::Failed {
            reason: Reason::ExtractionPanicked,
            message: format!("{url}: extraction panicked"),
            transient: false,
            retry_after: None,
            status: Some(status),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::UrlKind;

    fn claim() -> Claim {
        Claim {
            id: 7,
            url: "http://127.0.0.1/a".into(),
            host: "127.0.0.1".into(),
            depth: 1,
            kind: UrlKind::Page,
            attempts: 0,
            hops: 0,
            etag: None,
            last_modified: None,
        }
    }

    #[test]
    fn a_reply_dropped_unsent_sends_a_failure() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut reply = ItemReply::new(tx, claim(), 3, Instant::now());
        // The response was read: the host was told it is free.
        let (_, on_read) = reply.parts();
        on_read.take().expect("a page's reply frees its host")();
        drop(reply);
        assert!(matches!(rx.try_recv(), Ok(WorkResult::Released { .. })));
        match rx.try_recv() {
            Ok(WorkResult::Item {
                claim: c,
                result: ItemResult::Failed { reason, status, .. },
                seq,
                released,
                ..
            }) => {
                assert_eq!((c.id, seq, released), (7, 3, true));
                assert_eq!((reason, status), (Reason::ExtractionPanicked, None));
            }
            other => panic!("{other:?}"),
        }
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn a_sent_reply_sends_once() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let reply = ItemReply::new(tx, claim(), 0, Instant::now());
        reply.send(ItemResult::NotModified, Vec::new());
        match rx.try_recv() {
            Ok(WorkResult::Item {
                result: ItemResult::NotModified,
                released,
                ..
            }) => assert!(!released),
            other => panic!("{other:?}"),
        }
        assert!(rx.try_recv().is_err());
    }
}
