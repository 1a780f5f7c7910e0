//! One fetch: a robots.txt or a frontier entry, fetched without following
//! redirects (the scheduler queues each hop after checking scope), then
//! classified: not modified, redirect, sitemap/feed, page (extracted off the
//! async threads), skipped or failed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::header::{ETAG, LAST_MODIFIED, LOCATION, RETRY_AFTER};
use url::Url;

use super::discover::{looks_like_xml, maybe_gunzip, parse_xml, XmlDoc};
use super::fingerprint::{content_hash, near_key};
use super::politeness::parse_retry_after;
use crate::extract::{extract_page, ExtractOptions, ExtractedPage, PageInput};
use crate::fetch::{FetchError, Fetcher};
use crate::limits::MAX_BODY_BYTES;
use crate::output::RecordEncoder;
use crate::robots::Robots;
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
    /// A 3xx with a `Location`.
    Redirect {
        /// The resolved target.
        target: Url,
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
    },
}

fn header(r: &crate::fetch::Fetched, name: reqwest::header::HeaderName) -> Option<String> {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn failure(e: &FetchError) -> ItemResult {
    let reason = match e {
        FetchError::Timeout { .. } => Reason::Timeout,
        FetchError::TooLarge { .. } => Reason::TooLarge,
        FetchError::TooManyRedirects { .. } => Reason::TooManyRedirects,
        FetchError::Status { status, .. } => Reason::Http(*status),
        FetchError::Network { .. } => Reason::Network,
        FetchError::Disallowed { .. } => Reason::Robots,
    };
    ItemResult::Failed {
        reason,
        message: e.to_string(),
        transient: e.is_transient(),
        retry_after: None,
        status: None,
    }
}

/// Fetches and classifies one frontier entry; an article's record is
/// encoded with `encode` on the extraction thread.
pub async fn fetch_item(
    fetcher: &Fetcher,
    sites: Arc<SiteRegistry>,
    opts: ExtractOptions,
    encode: RecordEncoder,
    claim: &Claim,
    headers: &[(String, String)],
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
    if status == 304 {
        return ItemResult::NotModified;
    }
    if (300..400).contains(&status) {
        return match header(&r, LOCATION).and_then(|l| url.join(l.trim()).ok()) {
            Some(target) => ItemResult::Redirect { target },
            None => ItemResult::Failed {
                reason: Reason::Http(status),
                message: format!("{url}: HTTP {status} without a usable Location"),
                transient: false,
                retry_after: None,
                status: Some(status),
            },
        };
    }
    if !(200..300).contains(&status) {
        let retry_after = if status == 429 || status == 503 {
            header(&r, RETRY_AFTER).and_then(|v| parse_retry_after(&v))
        } else {
            None
        };
        return ItemResult::Failed {
            reason: Reason::Http(status),
            message: format!("{url}: HTTP {status}"),
            transient: status == 429 || status >= 500,
            retry_after,
            status: Some(status),
        };
    }
    let etag = header(&r, ETAG);
    let last_modified = header(&r, LAST_MODIFIED);
    let content_type = r.content_type().map(str::to_ascii_lowercase);
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
    let ct = content_type.as_deref().unwrap_or("");
    let xmlish =
        ct.contains("xml") || ct.contains("rss") || ct.contains("atom") || looks_like_xml(&body);
    let htmlish = ct.is_empty() || ct.contains("html") || ct.starts_with("text/plain");
    // Parsing and extraction are CPU work: keep them off the async threads.
    let job = tokio::task::spawn_blocking(move || {
        if xmlish {
            if let Some(doc) = parse_xml(&body) {
                return Ok(Err(doc));
            }
        }
        if !htmlish && !ct_is_xhtml(content_type.as_deref()) {
            return Err(Reason::NotHtml);
        }
        let input = PageInput {
            bytes: &body,
            content_type: content_type.as_deref(),
            url: Some(final_url),
            fetched_at: Some(fetched_at),
            local_label: None,
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

fn ct_is_xhtml(ct: Option<&str>) -> bool {
    ct.is_some_and(|c| c.contains("xhtml"))
}

/// Fetches a host's robots.txt (no redirects followed: a 3xx counts as
/// unavailable, i.e. allow all).
pub async fn fetch_robots(fetcher: &Fetcher, any_url: &Url) -> Robots {
    fetcher.robots_for(any_url).await
}
