//! What a response means, the same for a crawl and for `extract URL`: not
//! modified, a redirect hop (its `Location` read as a browser reads it, then
//! checked: scheme, loop, hop count, scope), a failure (transient or not,
//! with its `Retry-After`), or a body.

use std::time::Duration;

use percent_encoding::{percent_encode, CONTROLS};
use reqwest::header::{LOCATION, RETRY_AFTER};
use thiserror::Error;
use url::Url;

use super::client::Fetched;
use super::host::parse_retry_after;
use super::scope::Scope;
use crate::limits::MAX_REDIRECTS;
use crate::state::Reason;

/// Why a redirect is not followed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HopError {
    /// A 3xx without a `Location` that resolves to a URL.
    #[error("HTTP {status} without a usable Location")]
    NoLocation {
        /// The status.
        status: u16,
    },
    /// `javascript:`, `file:`, `data:`, ...
    #[error("redirect to a non-HTTP scheme ({scheme}:)")]
    NotHttp {
        /// The target's scheme.
        scheme: String,
    },
    /// The target is the URL itself.
    #[error("redirect to itself")]
    Loop,
    /// More than [`MAX_REDIRECTS`] hops.
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooMany,
    /// The target's host is outside the scope.
    #[error("redirect out of scope to {target}")]
    OutOfScope {
        /// The target.
        target: String,
    },
}

impl HopError {
    /// The reason recorded in the crawl state and counted in the summary.
    pub fn reason(&self) -> Reason {
        match self {
            Self::NoLocation { status } => Reason::Http(*status),
            Self::NotHttp { .. } => Reason::RedirectNotHttp,
            Self::Loop | Self::TooMany => Reason::TooManyRedirects,
            Self::OutOfScope { .. } => Reason::RedirectOutOfScope,
        }
    }
}

/// What a response means.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// 304: unchanged since the validators sent.
    NotModified,
    /// A 3xx: its target, resolved (not yet checked by [`check_hop`]).
    Redirect(Result<Url, HopError>),
    /// Any other non-2xx status.
    Failed {
        /// The status.
        status: u16,
        /// Worth retrying (5xx, 429).
        transient: bool,
        /// The `Retry-After` wait of a 429 or 503.
        retry_after: Option<Duration>,
    },
    /// A 2xx: the body is the page.
    Body,
}

/// Reads a response's status (and `Location`, `Retry-After`).
pub fn answer(r: &Fetched) -> Answer {
    match r.status {
        304 => Answer::NotModified,
        300..=399 => Answer::Redirect(
            r.headers
                .get(LOCATION)
                .and_then(|l| location_target(&r.url, l.as_bytes()))
                .ok_or(HopError::NoLocation { status: r.status }),
        ),
        200..=299 => Answer::Body,
        status => Answer::Failed {
            status,
            transient: status == 429 || status >= 500,
            retry_after: if status == 429 || status == 503 {
                r.header(RETRY_AFTER).and_then(|v| parse_retry_after(&v))
            } else {
                None
            },
        },
    }
}

/// Resolves a `Location` value against the URL that answered. Raw bytes
/// outside ASCII (servers send UTF-8 or Latin-1 paths unescaped) are
/// percent-encoded first, as browsers do.
pub fn location_target(base: &Url, raw: &[u8]) -> Option<Url> {
    let start = raw.iter().position(|b| !b.is_ascii_whitespace())?;
    let end = raw.iter().rposition(|b| !b.is_ascii_whitespace())?;
    let escaped = percent_encode(&raw[start..=end], CONTROLS).to_string();
    base.join(&escaped).ok()
}

/// Checks one redirect hop from `from` to `target`, `hops` hops having been
/// taken to reach `from`: the target must be http(s), not `from` itself,
/// within [`MAX_REDIRECTS`] and in `scope`.
pub fn check_hop(from: &Url, target: Url, hops: u32, scope: &Scope) -> Result<Url, HopError> {
    if !matches!(target.scheme(), "http" | "https") {
        return Err(HopError::NotHttp {
            scheme: target.scheme().to_string(),
        });
    }
    let without_fragment = |u: &Url| {
        let mut u = u.clone();
        u.set_fragment(None);
        u
    };
    if without_fragment(from) == without_fragment(&target) {
        return Err(HopError::Loop);
    }
    if hops as usize >= MAX_REDIRECTS {
        return Err(HopError::TooMany);
    }
    if !scope.contains(&target) {
        return Err(HopError::OutOfScope {
            target: target.to_string(),
        });
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        "http://example.com/a/b".parse().unwrap()
    }

    #[test]
    fn raw_non_ascii_locations_are_percent_encoded() {
        let t = location_target(&base(), "/città/é".as_bytes()).unwrap();
        assert_eq!(t.as_str(), "http://example.com/citt%C3%A0/%C3%A9");
        // Latin-1 bytes, not UTF-8: each byte escaped as it is.
        let t = location_target(&base(), b"/caf\xe9 ").unwrap();
        assert_eq!(t.as_str(), "http://example.com/caf%E9");
        let t = location_target(&base(), b"c?q=1").unwrap();
        assert_eq!(t.as_str(), "http://example.com/a/c?q=1");
        assert_eq!(location_target(&base(), b"   "), None);
        assert_eq!(location_target(&base(), b"http://[bad"), None);
    }

    #[test]
    fn hops_are_checked() {
        let any = Scope::any();
        let js: Url = "javascript:alert(1)".parse().unwrap();
        assert_eq!(
            check_hop(&base(), js, 0, &any),
            Err(HopError::NotHttp {
                scheme: "javascript".into()
            })
        );
        let file: Url = "file:///etc/passwd".parse().unwrap();
        assert!(matches!(
            check_hop(&base(), file, 0, &any),
            Err(HopError::NotHttp { .. })
        ));
        let same: Url = "http://example.com/a/b#x".parse().unwrap();
        assert_eq!(check_hop(&base(), same, 0, &any), Err(HopError::Loop));
        let next: Url = "https://other.example/c".parse().unwrap();
        assert_eq!(check_hop(&base(), next.clone(), 0, &any), Ok(next.clone()));
        assert_eq!(
            check_hop(&base(), next.clone(), MAX_REDIRECTS as u32, &any),
            Err(HopError::TooMany)
        );
        let narrow = Scope::new(
            ["example.com".to_string()].into(),
            Default::default(),
            Default::default(),
        );
        assert!(matches!(
            check_hop(&base(), next, 0, &narrow),
            Err(HopError::OutOfScope { .. })
        ));
    }
}
