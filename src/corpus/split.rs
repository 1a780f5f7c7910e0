//! The fixed tuning/validation split of every evaluation corpus, disjoint
//! by site.
//!
//! **The rule.** A page's part is decided by its *registrable domain*
//! alone: the host of its `url` (lower-case, IDNs in punycode, as the `url`
//! crate gives it) reduced to eTLD+1 by the public suffix list of the
//! `psl` crate (pinned in `Cargo.toml`, so the list cannot move under the
//! split); the host itself when it has no registrable domain (an IP
//! address, `localhost`, a bare public suffix), and the whole `url` text,
//! trimmed, when it does not parse or has no host. The domain's SHA-256 is
//! taken, its first eight bytes read as a big-endian integer, and the page
//! is in the **validation** part when that integer modulo 100 is below 30,
//! else in the **tuning** part.
//!
//! So every page of a site lands in the same part, in every corpus, on
//! every machine and run; about 30% of the domains (not exactly 30% of the
//! pages) are for validation.

use sha2::{Digest, Sha256};
use url::{Host, Url};

/// Share of domains in the validation part, in percent.
pub const VALIDATION_PERCENT: u64 = 30;

/// The two parts of a corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Pages to develop and tune on.
    Tuning,
    /// Pages to judge a change on (never tuned on).
    Validation,
}

impl Part {
    /// The part's name, as `eval --part` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Part::Tuning => "tuning",
            Part::Validation => "validation",
        }
    }
}

/// The registrable domain (eTLD+1) of a page address; see the module
/// documentation for the fallbacks.
pub fn registrable_domain(url: &str) -> String {
    let url = url.trim();
    let Ok(parsed) = Url::parse(url) else {
        return url.to_string();
    };
    match parsed.host() {
        Some(Host::Domain(host)) => {
            let host = host.trim_end_matches('.');
            psl::domain_str(host).unwrap_or(host).to_string()
        }
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ip.to_string(),
        None => url.to_string(),
    }
}

/// The part of a registrable domain.
pub fn part_of_domain(domain: &str) -> Part {
    let digest = Sha256::digest(domain.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    if u64::from_be_bytes(first) % 100 < VALIDATION_PERCENT {
        Part::Validation
    } else {
        Part::Tuning
    }
}

/// The part of a page, from its address.
pub fn part_of_url(url: &str) -> Part {
    part_of_domain(&registrable_domain(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_reduced_to_etld_plus_one() {
        assert_eq!(
            registrable_domain("https://www.br.de/nachrichten/x"),
            "br.de"
        );
        assert_eq!(
            registrable_domain(" https://News.BBC.co.uk/a "),
            "bbc.co.uk"
        );
        assert_eq!(
            registrable_domain("https://a.b.example.com./x"),
            "example.com"
        );
        assert_eq!(
            registrable_domain("https://user.github.io/p"),
            "user.github.io"
        );
        assert_eq!(registrable_domain("http://127.0.0.1:8080/x"), "127.0.0.1");
        assert_eq!(registrable_domain("http://localhost/x"), "localhost");
        assert_eq!(registrable_domain("hard::page.html"), "hard::page.html");
    }

    #[test]
    fn parts_are_pinned() {
        // Computed once by the rule (also by hand: Python's
        // int.from_bytes(sha256(d).digest()[:8], "big") % 100 gives
        // 99, 41, 13, 14, 9, 91, 14); these must never change.
        let pinned = [
            ("br.de", Part::Tuning),
            ("bbc.co.uk", Part::Tuning),
            ("ilpost.it", Part::Validation),
            ("nytimes.com", Part::Validation),
            ("example.com", Part::Validation),
            ("lemonde.fr", Part::Tuning),
            ("reuters.com", Part::Validation),
        ];
        for (domain, part) in pinned {
            assert_eq!(part_of_domain(domain), part, "{domain}");
        }
    }

    #[test]
    fn every_page_of_a_site_is_in_one_part() {
        let a = part_of_url("https://www.example.org/2024/01/01/one");
        let b = part_of_url("https://blog.example.org/other?x=1");
        assert_eq!(a, b);
    }

    #[test]
    fn about_thirty_percent_of_domains_validate() {
        let n = 10_000;
        let validation = (0..n)
            .filter(|i| part_of_domain(&format!("site{i}.example")) == Part::Validation)
            .count();
        assert!((2_800..3_200).contains(&validation), "{validation}");
    }
}
