//! What a crawl does with what it fetched: pure decisions from the page's
//! facts and what the state knows, no I/O. The scheduler gathers the facts,
//! asks, and carries the answer out.
//!
//! A page is judged in two steps: [`decide_page`] (is it an article, too
//! old, already written, changed since?) and, for a page to write,
//! [`decide_content`] on the state's answer to claiming its body's hash
//! (the same body under another URL is written once).

use chrono::{DateTime, Utc};

use crate::state::{Claim, ContentClaim, Reason, UrlInfo, UrlStatus};

/// The facts of one extracted page.
#[derive(Debug, Clone, Copy)]
pub struct PageFacts<'a> {
    /// The URL fetched.
    pub url: &'a str,
    /// The URL it counts as: its in-scope canonical, else [`PageFacts::url`].
    pub key: &'a str,
    /// Judged an article.
    pub is_article: bool,
    /// Its text is only a consent form (see [`crate::crawl::walls`]).
    pub consent_wall: bool,
    /// Its publication time, when known.
    pub published: Option<DateTime<Utc>>,
    /// Its body's content hash.
    pub hash: &'a str,
}

/// What the state (and the batch not yet committed) knows of the page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Known<'a> {
    /// About [`PageFacts::key`].
    pub key: Option<&'a UrlInfo>,
    /// About [`PageFacts::url`], when it differs from the key.
    pub url: Option<&'a UrlInfo>,
    /// The key was written earlier in this batch.
    pub key_in_batch: bool,
}

/// The run's options that bear on the decision.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// `--since`: articles published before are skipped.
    pub since: Option<DateTime<Utc>>,
    /// `--refetch-after` is on: a written article whose body changed is
    /// written again.
    pub refetch: bool,
}

/// What to do with a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageDecision {
    /// Write no record; record the URL with this status and reason (the
    /// summary counts a skip for the reason).
    NoRecord(UrlStatus, Reason),
    /// Write its record: after [`decide_page`], once its body's hash is
    /// claimed for the key and [`decide_content`] agrees.
    Write,
}

/// Judges a page from its facts, what is known and the run's policy.
pub fn decide_page(page: &PageFacts<'_>, known: &Known<'_>, policy: &Policy) -> PageDecision {
    use PageDecision::*;
    if page.consent_wall {
        return NoRecord(UrlStatus::Skipped, Reason::ConsentWall);
    }
    if !page.is_article {
        return NoRecord(UrlStatus::Visited, Reason::NotAnArticle);
    }
    if let (Some(since), Some(published)) = (policy.since, page.published) {
        if published < since {
            return NoRecord(UrlStatus::Skipped, Reason::OlderThanSince);
        }
    }
    if known.key_in_batch {
        return NoRecord(UrlStatus::Skipped, Reason::DuplicateUrl);
    }
    let written = |i: Option<&UrlInfo>| i.is_some_and(|i| i.status == UrlStatus::Written);
    if !(written(known.key) || written(known.url)) {
        return Write;
    }
    if !policy.refetch {
        return NoRecord(UrlStatus::Skipped, Reason::DuplicateUrl);
    }
    let previous = known
        .url
        .and_then(|i| i.content_hash.as_deref())
        .or_else(|| known.key.and_then(|i| i.content_hash.as_deref()));
    if previous == Some(page.hash) {
        NoRecord(UrlStatus::Skipped, Reason::Unchanged)
    } else {
        Write
    }
}

/// Judges a page to write by who owns its body's hash after it was claimed
/// for the key: written unless another page owns it (the fetched URL itself
/// counts as the page).
pub fn decide_content(claim: &ContentClaim, page: &PageFacts<'_>) -> PageDecision {
    match claim {
        ContentClaim::OwnedBy(owner) if owner != page.url => {
            PageDecision::NoRecord(UrlStatus::Skipped, Reason::DuplicateContent)
        }
        _ => PageDecision::Write,
    }
}

/// What a 304 means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotModified {
    /// The answer to a conditional request: unchanged since the last fetch.
    Unchanged,
    /// The answer to a request sent without validators: a broken server or
    /// cache, not an unchanged page; a failure to retry.
    Unasked,
}

/// Judges a 304 to `claim`'s request.
pub fn not_modified(claim: &Claim) -> NotModified {
    if claim.is_conditional() {
        NotModified::Unchanged
    } else {
        NotModified::Unasked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::UrlKind;
    use PageDecision::*;

    fn info(status: UrlStatus, hash: Option<&str>) -> UrlInfo {
        UrlInfo {
            status,
            content_hash: hash.map(str::to_string),
            fetched_at: Some(0),
        }
    }

    fn at(s: &str) -> Option<DateTime<Utc>> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn pages_are_judged_by_a_table() {
        let written_h1 = info(UrlStatus::Written, Some("h1"));
        let queued = info(UrlStatus::Queued, None);
        let article = PageFacts {
            url: "u",
            key: "u",
            is_article: true,
            consent_wall: false,
            published: at("2024-05-01T00:00:00Z"),
            hash: "h1",
        };
        let changed = PageFacts {
            hash: "h2",
            ..article
        };
        let listing = PageFacts {
            is_article: false,
            ..article
        };
        let none = Known::default();
        let key_written = Known {
            key: Some(&written_h1),
            ..none
        };
        let url_written = Known {
            key: Some(&queued),
            url: Some(&written_h1),
            ..none
        };
        let in_batch = Known {
            key_in_batch: true,
            ..none
        };
        let plain = Policy::default();
        let since = Policy {
            since: at("2024-06-01T00:00:00Z"),
            ..plain
        };
        let refetch = Policy {
            refetch: true,
            ..plain
        };
        let skipped = |r| NoRecord(UrlStatus::Skipped, r);
        let table: [(&str, PageFacts, Known, Policy, PageDecision); 11] = [
            ("new article", article, none, plain, Write),
            (
                "consent form at an article's URL",
                PageFacts {
                    consent_wall: true,
                    ..article
                },
                none,
                plain,
                skipped(Reason::ConsentWall),
            ),
            (
                "listing",
                listing,
                none,
                plain,
                NoRecord(UrlStatus::Visited, Reason::NotAnArticle),
            ),
            (
                "listing, old",
                listing,
                none,
                since,
                NoRecord(UrlStatus::Visited, Reason::NotAnArticle),
            ),
            (
                "too old",
                article,
                none,
                since,
                skipped(Reason::OlderThanSince),
            ),
            (
                "undated, --since",
                PageFacts {
                    published: None,
                    ..article
                },
                none,
                since,
                Write,
            ),
            (
                "key in batch",
                article,
                in_batch,
                plain,
                skipped(Reason::DuplicateUrl),
            ),
            (
                "key written",
                article,
                key_written,
                plain,
                skipped(Reason::DuplicateUrl),
            ),
            (
                "url written, refetch, same body",
                article,
                url_written,
                refetch,
                skipped(Reason::Unchanged),
            ),
            (
                "key written, refetch, new body",
                changed,
                key_written,
                refetch,
                Write,
            ),
            (
                "key written, no refetch, new body",
                changed,
                key_written,
                plain,
                skipped(Reason::DuplicateUrl),
            ),
        ];
        for (name, page, known, policy, want) in table {
            assert_eq!(decide_page(&page, &known, &policy), want, "{name}");
        }
    }

    #[test]
    fn content_owned_elsewhere_is_a_duplicate() {
        let page = PageFacts {
            url: "http://h/amp",
            key: "http://h/a",
            is_article: true,
            consent_wall: false,
            published: None,
            hash: "h",
        };
        let table = [
            (ContentClaim::Owned, Write),
            (ContentClaim::OwnedBy("http://h/amp".into()), Write),
            (
                ContentClaim::OwnedBy("http://h/b".into()),
                NoRecord(UrlStatus::Skipped, Reason::DuplicateContent),
            ),
        ];
        for (claim, want) in table {
            assert_eq!(decide_content(&claim, &page), want, "{claim:?}");
        }
    }

    #[test]
    fn a_304_is_unchanged_only_when_asked() {
        let mut claim = Claim {
            id: 1,
            url: "http://h/".into(),
            host: "h".into(),
            depth: 0,
            kind: UrlKind::Seed,
            attempts: 0,
            hops: 0,
            etag: None,
            last_modified: None,
        };
        assert_eq!(not_modified(&claim), NotModified::Unasked);
        claim.last_modified = Some("Wed, 01 May 2024 10:00:00 GMT".into());
        assert_eq!(not_modified(&claim), NotModified::Unchanged);
        claim.last_modified = None;
        claim.etag = Some("\"v1\"".into());
        assert_eq!(not_modified(&claim), NotModified::Unchanged);
    }
}
