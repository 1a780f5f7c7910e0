//! robots.txt (RFC 9309): fetched once per host, following up to
//! [`MAX_ROBOTS_REDIRECTS`] redirects within the scope, the first
//! [`MAX_ROBOTS_BYTES`] read and obeyed; parsed once into a [`RuleSet`]
//! (see [`super::robots_rules`]) that answers each URL without re-reading
//! the file.
//!
//! A 4xx robots.txt (or one behind too many redirects) allows everything; a
//! 5xx or unreachable one disallows everything for the run, and so does one
//! whose redirect leaves the scope (its rules cannot be read, and a crawl
//! never asks a host outside its scope).

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::answer::location_target;
use super::client::Fetcher;
use super::robots_rules::RuleSet;
use super::scope::Scope;
use crate::limits::{MAX_ROBOTS_BYTES, MAX_ROBOTS_REDIRECTS};

/// The robots token newscrawl obeys.
pub const ROBOTS_TOKEN: &str = "newscrawl";

/// What a host's robots.txt says.
#[derive(Debug, Clone, PartialEq)]
pub enum Robots {
    /// No usable file (4xx, too many redirects): everything allowed.
    AllowAll,
    /// Server error, unreachable, or a redirect out of scope: nothing
    /// allowed for this run.
    DisallowAll {
        /// Why (names the robots.txt URL).
        reason: String,
    },
    /// A parsed file.
    Rules(Arc<RuleSet>),
}

impl Robots {
    /// Interprets a robots.txt response by its HTTP status and body (a
    /// redirect is followed by [`fetch_robots`] before this).
    pub fn from_response(status: u16, url: &Url, body: &[u8]) -> Self {
        match status {
            200..=299 => Self::from_body(&String::from_utf8_lossy(whole_lines(body))),
            300..=499 => Self::AllowAll,
            _ => Self::DisallowAll {
                reason: format!("{url}: HTTP {status}"),
            },
        }
    }

    /// Parses a robots.txt body.
    pub fn from_body(body: &str) -> Self {
        Self::Rules(Arc::new(RuleSet::parse(body, ROBOTS_TOKEN)))
    }

    /// True when `url` may be fetched by `newscrawl`.
    pub fn is_allowed(&self, url: &str) -> bool {
        match self {
            Self::AllowAll => true,
            Self::DisallowAll { .. } => false,
            Self::Rules(rules) => rules.is_allowed(url),
        }
    }

    /// True when nothing on the host may be fetched this run.
    pub fn disallows_all(&self) -> bool {
        matches!(self, Self::DisallowAll { .. })
    }

    /// The Crawl-delay, when the file gives one (already capped).
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Self::Rules(rules) => rules.crawl_delay,
            _ => None,
        }
    }

    /// The `Sitemap:` URLs.
    pub fn sitemaps(&self) -> &[String] {
        match self {
            Self::Rules(rules) => &rules.sitemaps,
            _ => &[],
        }
    }
}

/// A body cut to whole lines: a robots.txt read up to the size limit may
/// end inside a line, and half a rule (`Allow: /a` of `Allow: /abc`) must
/// not be obeyed.
fn whole_lines(body: &[u8]) -> &[u8] {
    if body.len() < MAX_ROBOTS_BYTES {
        return body;
    }
    match body.iter().rposition(|&b| b == b'\n') {
        Some(i) => &body[..=i],
        None => &[],
    }
}

/// The robots.txt URL of `url`'s host.
pub fn robots_url(url: &Url) -> Url {
    let mut robots = url.clone();
    robots.set_path("/robots.txt");
    robots.set_query(None);
    robots.set_fragment(None);
    robots
}

/// Fetches and interprets the robots.txt of `url`'s host. Redirects are
/// followed (at most [`MAX_ROBOTS_REDIRECTS`], each hop `spacing` after the
/// previous one) while they stay in `scope`.
pub async fn fetch_robots(
    fetcher: &Fetcher,
    url: &Url,
    scope: &Scope,
    spacing: Duration,
) -> Robots {
    let mut target = robots_url(url);
    for hop in 0..=MAX_ROBOTS_REDIRECTS {
        if hop > 0 {
            tokio::time::sleep(spacing).await;
        }
        let r = match fetcher.get_truncated(&target, MAX_ROBOTS_BYTES).await {
            Ok(r) => r,
            Err(e) => {
                return Robots::DisallowAll {
                    reason: e.to_string(),
                }
            }
        };
        if !(300..400).contains(&r.status) {
            return Robots::from_response(r.status, &target, &r.body);
        }
        let next = r
            .headers
            .get(reqwest::header::LOCATION)
            .and_then(|l| location_target(&target, l.as_bytes()));
        match next {
            // A redirect that leads nowhere usable: the file is unavailable.
            None => return Robots::AllowAll,
            Some(next) if !scope.contains(&next) => {
                return Robots::DisallowAll {
                    reason: format!("{target}: redirects out of scope to {next}"),
                }
            }
            Some(next) => target = next,
        }
    }
    // RFC 9309 2.3.1.2: after five redirects the file may count as unavailable.
    Robots::AllowAll
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_rules() {
        let u: Url = "https://x/robots.txt".parse().unwrap();
        assert!(Robots::from_response(404, &u, b"").is_allowed("https://x/a"));
        let down = Robots::from_response(503, &u, b"");
        assert!(!down.is_allowed("https://x/a"));
        assert!(down.disallows_all());
        let star = Robots::from_response(200, &u, b"User-agent: *\nDisallow: /\n");
        assert!(!star.is_allowed("https://x/a"));
        assert_eq!(star.crawl_delay(), None);
    }

    #[test]
    fn a_file_cut_at_the_limit_keeps_whole_lines_only() {
        let mut body = b"User-agent: *\nDisallow: /p\n#".to_vec();
        // The last rule starts 11 bytes before the limit: the cut leaves
        // `Allow: /pub`, which would allow /pub/secret.
        body.resize(MAX_ROBOTS_BYTES - 12, b'x');
        body.extend_from_slice(b"\nAllow: /pub/ok/page.html\n");
        assert!(body.len() > MAX_ROBOTS_BYTES);
        body.truncate(MAX_ROBOTS_BYTES);
        let r = Robots::from_response(200, &"http://x/robots.txt".parse().unwrap(), &body);
        assert!(!r.is_allowed("http://x/pub/secret"));
        assert!(!r.is_allowed("http://x/private"));
        assert!(r.is_allowed("http://x/other"));
    }
}
