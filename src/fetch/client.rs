//! The HTTP client: reqwest with rustls and gzip/brotli/deflate, a
//! whole-request timeout, a body cap counted after decompression and the
//! newscrawl user agent. It never follows a redirect itself: every hop is a
//! request of its own, checked by the policy ([`super::answer`]).

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use thiserror::Error;
use url::Url;

use super::capture::{Capture, Exchange};
use crate::limits::{MAX_BODY_BYTES, MAX_CONNECT_TIMEOUT};
use crate::state::Reason;

/// The default user agent: `newscrawl/<version>`.
pub fn default_user_agent() -> String {
    format!("newscrawl/{}", env!("CARGO_PKG_VERSION"))
}

/// Checks a `--user-agent` value: visible ASCII and spaces only (what an
/// HTTP header value may hold), not blank. The error says what is wrong.
pub fn check_user_agent(ua: &str) -> Result<(), String> {
    if ua.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if let Some(c) = ua.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(format!(
            "holds {c:?}: only visible ASCII characters and spaces are allowed"
        ));
    }
    Ok(())
}

/// A failed request; the message names the URL.
#[derive(Debug, Error)]
pub enum FetchError {
    /// The request took longer than the timeout.
    #[error("{url}: timed out after {secs} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout.
        secs: u64,
    },
    /// The body exceeded the cap (after decompression).
    #[error("{url}: body larger than {limit} bytes, abandoned")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// Connection, TLS or protocol failure.
    #[error("{url}: {message}")]
    Network {
        /// The URL.
        url: String,
        /// What happened.
        message: String,
    },
}

impl FetchError {
    /// True for failures worth retrying (timeouts, network errors).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::Network { .. })
    }

    /// The reason recorded in the crawl state and counted in the summary.
    pub fn reason(&self) -> Reason {
        match self {
            Self::Timeout { .. } => Reason::Timeout,
            Self::TooLarge { .. } => Reason::TooLarge,
            Self::Network { .. } => Reason::Network,
        }
    }
}

/// A response with its body read (within the cap).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for (no redirect is ever followed by the client).
    pub url: Url,
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// When the response arrived.
    pub fetched_at: DateTime<Utc>,
}

impl Fetched {
    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// A header as text, when present and visible ASCII.
    pub fn header(&self, name: HeaderName) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// Settings of a [`Fetcher`].
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// User-Agent header.
    pub user_agent: String,
    /// Whole-request timeout (headers and body).
    pub timeout: Duration,
    /// Largest body accepted.
    pub max_body: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            user_agent: default_user_agent(),
            timeout: crate::limits::DEFAULT_TIMEOUT,
            max_body: MAX_BODY_BYTES,
        }
    }
}

/// What to do with a body longer than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    /// Abandon the response ([`FetchError::TooLarge`]).
    Fail,
    /// Keep the first `limit` bytes (robots.txt).
    Truncate,
}

/// An HTTP client with newscrawl's limits.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    opts: FetchOptions,
    /// Where every exchange is recorded as WARC records (`crawl --warc`).
    capture: Option<Capture>,
}

impl Fetcher {
    /// Builds the client (honours the standard proxy environment variables).
    /// The user agent must pass [`check_user_agent`].
    pub fn new(opts: FetchOptions) -> anyhow::Result<Self> {
        check_user_agent(&opts.user_agent)
            .map_err(|e| anyhow::anyhow!("user agent {:?}: {e}", opts.user_agent))?;
        let client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout.min(MAX_CONNECT_TIMEOUT))
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()?;
        Ok(Self {
            client,
            opts,
            capture: None,
        })
    }

    /// The same client, recording every exchange it makes into a fresh
    /// [`Capture`] (one per job, so that its records travel with its result).
    pub fn capturing(&self) -> (Self, Capture) {
        let capture = Capture::default();
        let mut f = self.clone();
        f.capture = Some(capture.clone());
        (f, capture)
    }

    /// The options this fetcher was built with.
    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// GETs `url` with extra headers, reading at most the body cap.
    /// Any status is returned (the caller judges it); errors are transport
    /// failures, timeouts and oversized bodies.
    pub async fn get(&self, url: &Url, extra: &[(String, String)]) -> Result<Fetched, FetchError> {
        self.get_within(url, extra, self.opts.max_body, Overflow::Fail)
            .await
    }

    /// GETs `url` keeping only the first `limit` bytes of the body (for a
    /// robots.txt, of which only the start is obeyed).
    pub async fn get_truncated(&self, url: &Url, limit: usize) -> Result<Fetched, FetchError> {
        self.get_within(url, &[], limit, Overflow::Truncate).await
    }

    async fn get_within(
        &self,
        url: &Url,
        extra: &[(String, String)],
        limit: usize,
        overflow: Overflow,
    ) -> Result<Fetched, FetchError> {
        let mut req = self.client.get(url.clone());
        for (k, v) in extra {
            if let (Ok(name), Ok(value)) =
                (HeaderName::try_from(k.as_str()), HeaderValue::from_str(v))
            {
                req = req.header(name, value);
            }
        }
        let req = req.build().map_err(|e| self.map_err(url, e))?;
        let request_headers = self.capture.as_ref().map(|_| req.headers().clone());
        let mut resp = self
            .client
            .execute(req)
            .await
            .map_err(|e| self.map_err(url, e))?;
        let status = resp.status().as_u16();
        // Taken, not copied: the body is read from the response without them.
        let headers = std::mem::take(resp.headers_mut());
        let remote = resp.remote_addr();
        // Records what was received (the payload cut or not) when capturing.
        let record = |body: &[u8], truncated: bool| {
            if let (Some(capture), Some(request_headers)) = (&self.capture, &request_headers) {
                capture.record(&Exchange {
                    url,
                    request_headers,
                    user_agent: &self.opts.user_agent,
                    status,
                    response_headers: &headers,
                    body,
                    truncated,
                    remote,
                    date: Utc::now(),
                });
            }
        };
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit,
        };
        if overflow == Overflow::Fail && resp.content_length().is_some_and(|n| n as usize > limit) {
            record(&[], true);
            return Err(too_large());
        }
        // Sized once from the announced length (within the cap), rather
        // than grown and copied chunk by chunk.
        let mut body = Vec::with_capacity(
            resp.content_length()
                .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX).min(limit)),
        );
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.map_err(url, e))? {
            if body.len() + chunk.len() > limit {
                body.extend_from_slice(&chunk[..limit - body.len()]);
                truncated = true;
                if overflow == Overflow::Fail {
                    record(&body, true);
                    return Err(too_large());
                }
                break;
            }
            body.extend_from_slice(&chunk);
        }
        record(&body, truncated);
        Ok(Fetched {
            url: url.clone(),
            status,
            headers,
            body,
            fetched_at: Utc::now(),
        })
    }

    fn map_err(&self, url: &Url, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout {
                url: url.to_string(),
                secs: self.opts.timeout.as_secs(),
            };
        }
        FetchError::Network {
            url: url.to_string(),
            message: error_chain(&e),
        }
    }
}

/// The causes of a reqwest error, outermost first, without the URL reqwest
/// repeats in its own message and without a cause repeated by its wrapper.
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        // No cause: reqwest's own message, minus the "for url (...)" part.
        let text = e.to_string();
        return match text.find(" for url (") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_are_checked() {
        assert!(check_user_agent("newscrawl/0.1 (+https://example.com/bot)").is_ok());
        assert!(check_user_agent("bad\nua").is_err());
        assert!(check_user_agent("tab\there").is_err());
        assert!(check_user_agent("zero\u{200b}width").is_err());
        assert!(check_user_agent("  ").is_err());
    }
}
