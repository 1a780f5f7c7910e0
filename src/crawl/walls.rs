//! Soft blocks: answers that look like a page but stand between the crawler
//! and the article, told apart by pure checks so that their text never
//! becomes a record.
//!
//! - A bot **challenge**: Cloudflare's `cf-mitigated: challenge` header, or
//!   a 403/503 whose body carries a known bot wall's markers. The host is
//!   paused, doubling on each challenge in a row ([`challenge_pause`]).
//! - A **consent wall**: a redirect to a consent host or page
//!   ([`is_consent_redirect`]), or a page whose text is only a consent form
//!   ([`is_consent_page`]). The remedy is a site config's `headers` (a
//!   consent cookie).
//! - A **paywall** (JSON-LD `isAccessibleForFree: false`) still gives a
//!   record, marked `paywalled` (see [`crate::extract::access`]).

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use crate::limits::{CHALLENGE_PAUSE, CHALLENGE_SNIFF_BYTES, MAX_HOST_PAUSE};
use crate::vocabulary::{CONSENT_ACTIONS, CONSENT_TERMS};

/// Markers of bot walls' challenge pages (lower case), found in the start
/// of a 403 or 503 body: Cloudflare, DataDome, PerimeterX, Imperva
/// (Incapsula), Sucuri, DDoS-Guard, Akamai, and generic wording.
const CHALLENGE_MARKERS: &[&str] = &[
    "cf-chl",
    "challenge-platform",
    "cf_chl_opt",
    "<title>just a moment...</title>",
    "checking your browser before accessing",
    "captcha-delivery.com",
    "px-captcha",
    "_incapsula_resource",
    "incapsula incident id",
    "sucuri website firewall",
    "ddos-guard",
    "_abck",
    "verify you are human",
    "are you a robot",
];

/// True when an answer is a bot wall's challenge rather than the page.
pub fn is_challenge(status: u16, headers: &HeaderMap, body: &[u8]) -> bool {
    let cf = headers
        .get("cf-mitigated")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"challenge"));
    if cf {
        return true;
    }
    if !matches!(status, 403 | 503) {
        return false;
    }
    let head = &body[..body.len().min(CHALLENGE_SNIFF_BYTES)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    CHALLENGE_MARKERS.iter().any(|m| text.contains(m))
}

/// The pause after the `n`th challenge in a row from a host (1-based):
/// [`CHALLENGE_PAUSE`], doubling, at most [`MAX_HOST_PAUSE`].
pub fn challenge_pause(n: u32) -> Duration {
    let factor = 2u32.saturating_pow(n.saturating_sub(1).min(16));
    CHALLENGE_PAUSE.saturating_mul(factor).min(MAX_HOST_PAUSE)
}

/// Path segments of consent pages that redirects lead to.
const CONSENT_PATHS: &[&str] = &[
    "consent",
    "cookie-consent",
    "cookieconsent",
    "gdpr",
    "privacy-gate",
    "collectconsent",
];

/// True when a redirect target is a consent wall: a host with a label
/// about consent (`consent.example.com`, `consent-eu.example.net`), or a
/// consent path (`/consent`, `/gdpr`, ...).
pub fn is_consent_redirect(target: &Url) -> bool {
    let host = target.host_str().unwrap_or("").to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    // The registrable part (last two labels) names the site, not a wall.
    let sub = &labels[..labels.len().saturating_sub(2)];
    if sub.iter().any(|l| l.contains("consent")) {
        return true;
    }
    target.path_segments().is_some_and(|mut segs| {
        segs.any(|s| {
            let s = s.to_ascii_lowercase();
            CONSENT_PATHS.contains(&s.as_str())
        })
    })
}

/// Longest text taken for a consent form alone; an article about consent
/// rules is longer.
const CONSENT_PAGE_MAX_CHARS: usize = 2500;

/// True when a page's text (paragraphs separated by blank lines) is only a
/// consent form: short, with a consent button ([`CONSENT_ACTIONS`]), two
/// different [`CONSENT_TERMS`] or more, and most paragraphs speaking of
/// them or being buttons.
pub fn is_consent_page(body: &str) -> bool {
    // Counted up to the limit only: this runs on the scheduler thread for
    // every page.
    if body.is_empty() || body.chars().nth(CONSENT_PAGE_MAX_CHARS).is_some() {
        return false;
    }
    let text = body.to_lowercase();
    let has = |list: &[&str], p: &str| list.iter().any(|t| p.contains(t));
    if !has(CONSENT_ACTIONS, &text) {
        return false;
    }
    if CONSENT_TERMS.iter().filter(|t| text.contains(*t)).count() < 2 {
        return false;
    }
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let consent = paragraphs
        .iter()
        .filter(|p| has(CONSENT_TERMS, p) || has(CONSENT_ACTIONS, p))
        .count();
    consent * 10 >= paragraphs.len() * 6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn challenges_by_header_or_markers_on_403_and_503() {
        let none = headers(&[]);
        let cf = headers(&[("cf-mitigated", "challenge")]);
        let wall = b"<html><head><title>Just a moment...</title></head><body><div id=cf-chl-widget></div></body></html>";
        let datadome = b"<html><script src='https://ct.captcha-delivery.com/c.js'></script></html>";
        let table: [(&str, u16, &HeaderMap, &[u8], bool); 7] = [
            ("cloudflare header", 403, &cf, b"", true),
            ("cloudflare header on 200", 200, &cf, b"<p>x</p>", true),
            ("cloudflare page", 503, &none, wall, true),
            ("datadome", 403, &none, datadome, true),
            ("plain 403", 403, &none, b"<h1>Forbidden</h1>", false),
            ("markers on 200", 200, &none, wall, false),
            ("plain 503", 503, &none, b"Service Unavailable", false),
        ];
        for (name, status, h, body, want) in table {
            assert_eq!(is_challenge(status, h, body), want, "{name}");
        }
    }

    #[test]
    fn challenge_pauses_double_up_to_a_day() {
        assert_eq!(challenge_pause(1), CHALLENGE_PAUSE);
        assert_eq!(challenge_pause(2), CHALLENGE_PAUSE * 2);
        assert_eq!(challenge_pause(3), CHALLENGE_PAUSE * 4);
        assert_eq!(challenge_pause(40), MAX_HOST_PAUSE);
    }

    #[test]
    fn consent_redirects() {
        let table = [
            (
                "https://consent.yahoo.com/v2/collectConsent?sessionId=1",
                true,
            ),
            (
                "https://consent.google.com/ml?continue=https://news.google.com/",
                true,
            ),
            ("https://www.example.com/gdpr?redirect=%2Fa", true),
            ("https://www.example.com/privacy-gate/?r=1", true),
            ("https://www.example.com/2024/05/01/story", false),
            // The site's own name is not a wall.
            ("https://consentmag.com/2024/story", false),
            ("https://www.example.com/consent-rules-explained", false),
        ];
        for (url, want) in table {
            assert_eq!(is_consent_redirect(&url.parse().unwrap()), want, "{url}");
        }
    }

    #[test]
    fn consent_forms_are_not_articles_about_consent() {
        let form = "We value your privacy\n\nWe and our partners store and access information on a device, such as cookies, and process personal data for personalised ads and content.\n\nYou can accept all, reject all or manage your consent choices at any time in the privacy policy.\n\nAccept all";
        assert!(is_consent_page(form));
        let it = "Noi e i nostri partner utilizziamo cookie e trattiamo dati personali.\n\nPuoi esprimere il tuo consenso: accetta tutto o rifiuta tutto.";
        assert!(is_consent_page(it));
        let para = "The regulator said on Tuesday that publishers must ask for consent before setting cookies, and that a banner with only an accept button does not meet the law's test for freely given consent under the rules on personal data.";
        let article = [para; 12].join("\n\n");
        assert!(!is_consent_page(&article), "long: an article");
        let news = "The council approved the budget after a long debate.\n\nMembers weighed every line of the proposal.\n\nThe vote was close.";
        assert!(!is_consent_page(news));
        assert!(!is_consent_page(""));
    }
}
