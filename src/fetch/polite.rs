//! The polite client of `extract URL`: the crawler's rules, applied to one
//! URL at a time. Each host's robots.txt is read once, before anything
//! else on it ([`fetch_robots`]); requests to a host are spaced by its
//! [`Host`] (1/R, the site's `rate`, `Crawl-delay`); transient failures are
//! retried with the crawler's back-off; redirects are followed hop by hop,
//! each hop checked ([`check_hop`]) and then treated as a request of its own
//! (its host's robots.txt, its host's spacing); the body must pass the
//! content rules. The crawler drives the same steps from its scheduler.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use thiserror::Error;
use url::Url;

use super::answer::{answer, check_hop, Answer, HopError};
use super::client::{FetchError, Fetched, Fetcher};
use super::content::{body_kind, maybe_gunzip};
use super::host::{backoff, host_key, Host, RobotsState};
use super::robots::{fetch_robots, Robots};
use super::scope::Scope;
use crate::limits::{LONG_PAUSE, MAX_BODY_BYTES, MAX_RETRIES};
use crate::selectors::SiteRegistry;

/// Why a URL gave no page; each names the URL.
#[derive(Debug, Error)]
pub enum PoliteError {
    /// The host's robots.txt disallows the URL.
    #[error("{url}: disallowed by robots.txt")]
    Disallowed {
        /// The URL.
        url: String,
    },
    /// The host's robots.txt could not be read (5xx, unreachable, a
    /// redirect out of scope): nothing on the host is fetched.
    #[error("{url}: not fetched: robots.txt unavailable ({reason})")]
    RobotsUnavailable {
        /// The URL.
        url: String,
        /// Why the robots.txt is unavailable.
        reason: String,
    },
    /// The request failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// A status other than 2xx (after retries for transient ones).
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
    },
    /// A redirect that is not followed.
    #[error("{url}: {error}")]
    Redirect {
        /// The URL that redirected.
        url: String,
        /// Why the hop is not taken.
        error: HopError,
    },
    /// The host asked for a pause longer than [`LONG_PAUSE`].
    #[error("{url}: the host asks to wait {secs} s before the next request")]
    Paused {
        /// The URL.
        url: String,
        /// How long.
        secs: u64,
    },
    /// The body is not an HTML page (or a corrupt or oversized gzip file).
    #[error("{url}: {message}")]
    NotHtml {
        /// The URL.
        url: String,
        /// What it is.
        message: String,
    },
}

/// A fetched HTML page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The final URL, after redirects.
    pub url: Url,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// When it arrived.
    pub fetched_at: DateTime<Utc>,
}

/// A polite client for pages asked for one by one.
pub struct PoliteClient {
    fetcher: Fetcher,
    scope: Scope,
    rate: f64,
    sites: Arc<SiteRegistry>,
    hosts: HashMap<String, Host>,
}

impl PoliteClient {
    /// A client spacing requests to a host at least 1/`rate` apart (or as
    /// the host's site config or robots.txt asks), within `scope`.
    pub fn new(fetcher: Fetcher, scope: Scope, rate: f64, sites: Arc<SiteRegistry>) -> Self {
        Self {
            fetcher,
            scope,
            rate,
            sites,
            hosts: HashMap::new(),
        }
    }

    /// Fetches the HTML page at `url`, following redirects.
    pub async fn get_page(&mut self, url: &Url) -> Result<Page, PoliteError> {
        let mut url = url.clone();
        let mut hops = 0;
        loop {
            let r = self.get_allowed(&url).await?;
            match answer(&r) {
                Answer::Redirect(target) => {
                    url = target
                        .and_then(|t| check_hop(&url, t, hops, &self.scope))
                        .map_err(|error| PoliteError::Redirect {
                            url: url.to_string(),
                            error,
                        })?;
                    hops += 1;
                }
                Answer::Body => return page(r),
                Answer::NotModified | Answer::Failed { .. } => {
                    return Err(PoliteError::Status {
                        url: url.to_string(),
                        status: r.status,
                    })
                }
            }
        }
    }

    /// One request to `url` once its host's robots.txt allows it, at the
    /// host's pace, transient failures retried.
    async fn get_allowed(&mut self, url: &Url) -> Result<Fetched, PoliteError> {
        let key = host_key(url);
        self.read_robots(url, &key).await?;
        if let RobotsState::Ready(robots) = &self.host(&key).robots {
            if let Robots::DisallowAll { reason } = robots {
                return Err(PoliteError::RobotsUnavailable {
                    url: url.to_string(),
                    reason: reason.clone(),
                });
            }
            if !robots.is_allowed(url.as_str()) {
                return Err(PoliteError::Disallowed {
                    url: url.to_string(),
                });
            }
        }
        let mut attempt = 0;
        loop {
            self.wait_turn(url, &key).await?;
            let host = self.host(&key);
            let headers = host.headers.clone();
            let sent_at = Instant::now();
            host.start_request(sent_at);
            let result = self.fetcher.get(url, &headers).await;
            let host = self.host(&key);
            host.request_sent(sent_at);
            let retry = match &result {
                Err(e) => e.is_transient().then_some(None),
                Ok(r) => match answer(r) {
                    Answer::Failed {
                        transient: true,
                        retry_after,
                        ..
                    } => Some(retry_after),
                    _ => None,
                },
            };
            match retry {
                Some(retry_after) if attempt < MAX_RETRIES => {
                    attempt += 1;
                    let wait = backoff(attempt, host.interval).max(retry_after.unwrap_or_default());
                    host.pause_until(Instant::now() + wait);
                    tracing::info!("{url}: retry {attempt} in {:.1} s", wait.as_secs_f64());
                }
                _ => return Ok(result?),
            }
        }
    }

    /// Reads the robots.txt of `url`'s host on first contact.
    async fn read_robots(&mut self, url: &Url, key: &str) -> Result<(), PoliteError> {
        if !matches!(self.host(key).robots, RobotsState::Unknown) {
            return Ok(());
        }
        self.wait_turn(url, key).await?;
        let host = self.host(key);
        let sent_at = Instant::now();
        host.start_request(sent_at);
        let spacing = host.interval;
        let robots = fetch_robots(&self.fetcher, url, &self.scope, spacing).await;
        let host = self.host(key);
        host.request_sent(sent_at);
        host.set_robots(robots);
        Ok(())
    }

    /// Waits until host `key` may be asked again; fails when that is more
    /// than [`LONG_PAUSE`] away.
    async fn wait_turn(&mut self, url: &Url, key: &str) -> Result<(), PoliteError> {
        loop {
            let host = self.host(key);
            let now = Instant::now();
            let wait = match host.next_allowed.checked_duration_since(now) {
                Some(wait) if !wait.is_zero() => wait,
                _ => match host.take_permit() {
                    Ok(()) => return Ok(()),
                    Err(wait) => wait,
                },
            };
            if wait > LONG_PAUSE {
                return Err(PoliteError::Paused {
                    url: url.to_string(),
                    secs: wait.as_secs(),
                });
            }
            tokio::time::sleep(wait).await;
        }
    }

    fn host(&mut self, key: &str) -> &mut Host {
        let (rate, sites) = (self.rate, &self.sites);
        self.hosts
            .entry(key.to_string())
            .or_insert_with(|| Host::for_site(key, rate, sites))
    }
}

/// The page of a 2xx response, when the content rules accept it.
fn page(r: Fetched) -> Result<Page, PoliteError> {
    let url = r.url.to_string();
    let content_type = r.content_type().map(str::to_string);
    let body = maybe_gunzip(r.body, MAX_BODY_BYTES).map_err(|message| PoliteError::NotHtml {
        url: url.clone(),
        message,
    })?;
    let kind = body_kind(content_type.as_deref(), &body);
    if !kind.html {
        return Err(PoliteError::NotHtml {
            url,
            message: format!("not HTML (Content-Type: {})", kind.mime),
        });
    }
    Ok(Page {
        url: r.url,
        content_type,
        body,
        fetched_at: r.fetched_at,
    })
}
