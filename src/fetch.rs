//! HTTP fetching: reqwest with rustls and gzip/brotli/deflate, a whole-request
//! timeout, a body cap counted after decompression, the newscrawl user agent
//! and at most [`MAX_REDIRECTS`] redirects.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use thiserror::Error;
use url::Url;

use crate::limits::{MAX_BODY_BYTES, MAX_REDIRECTS, MAX_ROBOTS_BYTES};
use crate::robots::Robots;

/// The default user agent: `newscrawl/<version>`.
pub fn default_user_agent() -> String {
    format!("newscrawl/{}", env!("CARGO_PKG_VERSION"))
}

/// A failed fetch; the message names the URL.
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
    /// More redirects than allowed.
    #[error("{url}: more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects {
        /// The URL.
        url: String,
    },
    /// A non-success HTTP status.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
    },
    /// Connection, TLS or protocol failure.
    #[error("{url}: {message}")]
    Network {
        /// The URL.
        url: String,
        /// What happened.
        message: String,
    },
    /// robots.txt forbids the URL.
    #[error("{url}: disallowed by robots.txt")]
    Disallowed {
        /// The URL.
        url: String,
    },
}

impl FetchError {
    /// True for failures worth retrying (timeouts, network errors, 5xx, 429).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Network { .. } => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// A fetched response with its body read (within the cap).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The final URL (after any followed redirects).
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
}

/// Settings of a [`Fetcher`].
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// User-Agent header.
    pub user_agent: String,
    /// Whole-request timeout (headers and body).
    pub timeout: Duration,
    /// Follow redirects (up to [`MAX_REDIRECTS`]); when false, 3xx responses
    /// are returned for the caller to follow hop by hop.
    pub follow_redirects: bool,
    /// Largest body accepted.
    pub max_body: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            user_agent: default_user_agent(),
            timeout: crate::limits::DEFAULT_TIMEOUT,
            follow_redirects: true,
            max_body: MAX_BODY_BYTES,
        }
    }
}

/// An HTTP client with newscrawl's limits.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    opts: FetchOptions,
}

impl Fetcher {
    /// Builds the client (honours the standard proxy environment variables).
    pub fn new(opts: FetchOptions) -> anyhow::Result<Self> {
        let policy = if opts.follow_redirects {
            reqwest::redirect::Policy::limited(MAX_REDIRECTS)
        } else {
            reqwest::redirect::Policy::none()
        };
        let client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
            .redirect(policy)
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()?;
        Ok(Self { client, opts })
    }

    /// The options this fetcher was built with.
    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// GETs `url` with extra headers, reading at most the body cap.
    /// Any status is returned (the caller judges it); errors are transport
    /// failures, timeouts and oversized bodies.
    pub async fn get(&self, url: &Url, extra: &[(String, String)]) -> Result<Fetched, FetchError> {
        self.get_with_limit(url, extra, self.opts.max_body).await
    }

    async fn get_with_limit(
        &self,
        url: &Url,
        extra: &[(String, String)],
        limit: usize,
    ) -> Result<Fetched, FetchError> {
        let mut req = self.client.get(url.clone());
        for (k, v) in extra {
            if let (Ok(name), Ok(value)) =
                (HeaderName::try_from(k.as_str()), HeaderValue::from_str(v))
            {
                req = req.header(name, value);
            }
        }
        let mut resp = req.send().await.map_err(|e| self.map_err(url, e))?;
        if resp.content_length().is_some_and(|n| n as usize > limit) {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        let status = resp.status().as_u16();
        let final_url = resp.url().clone();
        let headers = resp.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.map_err(url, e))? {
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            url: final_url,
            status,
            headers,
            body,
            fetched_at: Utc::now(),
        })
    }

    fn map_err(&self, url: &Url, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout {
                url: url.to_string(),
                secs: self.opts.timeout.as_secs(),
            }
        } else if e.is_redirect() {
            FetchError::TooManyRedirects {
                url: url.to_string(),
            }
        } else {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            FetchError::Network {
                url: url.to_string(),
                message,
            }
        }
    }

    /// Fetches and interprets `url`'s host's robots.txt.
    pub async fn robots_for(&self, url: &Url) -> Robots {
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        match self
            .get_with_limit(&robots_url, &[], MAX_ROBOTS_BYTES)
            .await
        {
            Ok(r) => Robots::from_response(r.status, &String::from_utf8_lossy(&r.body)),
            Err(FetchError::TooLarge { .. }) => Robots::AllowAll,
            Err(_) => Robots::DisallowAll,
        }
    }

    /// Fetches a page for `extract`: robots.txt first, then the page; a
    /// non-2xx status is an error.
    pub async fn fetch_page_politely(&self, url: &Url) -> Result<Fetched, FetchError> {
        let robots = self.robots_for(url).await;
        if !robots.is_allowed(url.as_str()) {
            return Err(FetchError::Disallowed {
                url: url.to_string(),
            });
        }
        let r = self.get(url, &[]).await?;
        if !(200..300).contains(&r.status) {
            return Err(FetchError::Status {
                url: url.to_string(),
                status: r.status,
            });
        }
        Ok(r)
    }
}
