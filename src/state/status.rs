//! The words of the crawl: where a URL stands ([`UrlStatus`]) and why a
//! fetch gave no record or failed ([`Reason`]). The state stores them, the
//! end summary counts them, each under one name.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// Where a URL stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlStatus {
    /// Known, waiting in the frontier (or never fetched).
    Queued,
    /// Fetched and handled without a record: a listing, a feed or sitemap
    /// read, a redirect followed, an unchanged source.
    Visited,
    /// Its article was written to the output.
    Written,
    /// Fetched (or judged) and deliberately left out, for a [`Reason`].
    Skipped,
    /// Gave up on it, for a [`Reason`].
    Failed,
}

impl UrlStatus {
    /// The stored word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Visited => "visited",
            Self::Written => "written",
            Self::Skipped => "skipped",
            Self::Failed => "failed",
        }
    }
}

impl fmt::Display for UrlStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UrlStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "queued" => Self::Queued,
            "visited" => Self::Visited,
            "written" => Self::Written,
            "skipped" => Self::Skipped,
            "failed" => Self::Failed,
            other => return Err(format!("unknown URL status {other:?}")),
        })
    }
}

/// Why a URL gave no record, or failed. Skips and failures share one list:
/// the status says which it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// The frontier held something that is not a URL.
    BadUrl,
    /// robots.txt disallows it.
    Robots,
    /// Its host is outside the crawl's scope.
    OutOfScope,
    /// A redirect left the crawl's scope.
    RedirectOutOfScope,
    /// A redirect to `javascript:`, `file:`, `data:` or another non-HTTP scheme.
    RedirectNotHttp,
    /// A redirect, queued as its target.
    Redirect,
    /// 304 to a conditional request: unchanged since the last fetch.
    NotModified,
    /// A page that is not an article (a listing, a section front).
    NotAnArticle,
    /// Published before `--since`.
    OlderThanSince,
    /// Its URL (or its canonical) was written already.
    DuplicateUrl,
    /// The same body was written under another URL.
    DuplicateContent,
    /// Re-fetched, and its body has not changed.
    Unchanged,
    /// The response is not HTML.
    NotHtml,
    /// The request timed out.
    Timeout,
    /// The body is over the size limit.
    TooLarge,
    /// Too many redirects, or a redirect to itself.
    TooManyRedirects,
    /// An HTTP error status.
    Http(u16),
    /// A connection or protocol error.
    Network,
    /// 304 to a request sent without validators: a broken cache, not an
    /// unchanged page.
    NotModifiedUnasked,
    /// Extraction panicked on the page.
    ExtractionPanicked,
    /// robots.txt answered 5xx or was unreachable: the host is skipped.
    RobotsUnavailable,
    /// Its host's frontier holds [`MAX_FRONTIER_PER_HOST`] entries already:
    /// not queued (found again later).
    ///
    /// [`MAX_FRONTIER_PER_HOST`]: crate::limits::MAX_FRONTIER_PER_HOST
    FrontierFull,
    /// The run queued all the new URLs its `--max-pages` allows.
    QueueBudget,
    /// A bot wall's challenge instead of the page: the host is paused.
    Challenge,
    /// A consent wall instead of the page (a redirect to a consent page, or
    /// a page that is only a consent form).
    ConsentWall,
    /// The page says its text is not freely accessible: written, marked
    /// `paywalled`.
    Paywall,
}

impl Reason {
    /// Every reason with a fixed word, for round-trip checks.
    pub const FIXED: [Reason; 25] = [
        Self::BadUrl,
        Self::Robots,
        Self::OutOfScope,
        Self::RedirectOutOfScope,
        Self::RedirectNotHttp,
        Self::Redirect,
        Self::NotModified,
        Self::NotAnArticle,
        Self::OlderThanSince,
        Self::DuplicateUrl,
        Self::DuplicateContent,
        Self::Unchanged,
        Self::NotHtml,
        Self::Timeout,
        Self::TooLarge,
        Self::TooManyRedirects,
        Self::Network,
        Self::NotModifiedUnasked,
        Self::ExtractionPanicked,
        Self::RobotsUnavailable,
        Self::FrontierFull,
        Self::QueueBudget,
        Self::Challenge,
        Self::ConsentWall,
        Self::Paywall,
    ];

    /// The word of a reason without a parameter (all but [`Reason::Http`]).
    const fn word(self) -> Option<&'static str> {
        Some(match self {
            Self::BadUrl => "bad url",
            Self::Robots => "robots",
            Self::OutOfScope => "scope",
            Self::RedirectOutOfScope => "redirect out of scope",
            Self::RedirectNotHttp => "redirect to non-http scheme",
            Self::Redirect => "redirect",
            Self::NotModified => "not modified",
            Self::NotAnArticle => "not an article",
            Self::OlderThanSince => "older than --since",
            Self::DuplicateUrl => "duplicate url",
            Self::DuplicateContent => "duplicate content",
            Self::Unchanged => "unchanged",
            Self::NotHtml => "not html",
            Self::Timeout => "timeout",
            Self::TooLarge => "too large",
            Self::TooManyRedirects => "too many redirects",
            Self::Network => "network",
            Self::NotModifiedUnasked => "304 without validators",
            Self::ExtractionPanicked => "extraction panicked",
            Self::RobotsUnavailable => "robots.txt unavailable",
            Self::FrontierFull => "frontier full",
            Self::QueueBudget => "over the --max-pages queue budget",
            Self::Challenge => "bot challenge",
            Self::ConsentWall => "consent wall",
            Self::Paywall => "paywall",
            Self::Http(_) => return None,
        })
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.word()) {
            (_, Some(w)) => f.write_str(w),
            (Self::Http(s), None) => write!(f, "http {s}"),
            (_, None) => unreachable!("only Http has no fixed word"),
        }
    }
}

impl FromStr for Reason {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(code) = s.strip_prefix("http ") {
            return code
                .parse()
                .map(Self::Http)
                .map_err(|_| format!("bad HTTP status in reason {s:?}"));
        }
        Self::FIXED
            .into_iter()
            .find(|r| r.word() == Some(s))
            .ok_or_else(|| format!("unknown reason {s:?}"))
    }
}

impl ToSql for UrlStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(
            self.as_str().as_bytes(),
        )))
    }
}

impl ToSql for Reason {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.word() {
            Some(w) => ToSqlOutput::Borrowed(ValueRef::Text(w.as_bytes())),
            None => ToSqlOutput::from(self.to_string()),
        })
    }
}

macro_rules! from_sql_text {
    ($t:ty) => {
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e: String| FromSqlError::Other(e.into()))
            }
        }
    };
}

from_sql_text!(UrlStatus);
from_sql_text!(Reason);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_are_distinct() {
        let mut words = std::collections::HashSet::new();
        for r in Reason::FIXED.into_iter().chain([Reason::Http(404)]) {
            let w = r.to_string();
            assert_eq!(w.parse::<Reason>(), Ok(r), "{w}");
            assert!(words.insert(w.clone()), "{w} used twice");
        }
        for s in [
            UrlStatus::Queued,
            UrlStatus::Visited,
            UrlStatus::Written,
            UrlStatus::Skipped,
            UrlStatus::Failed,
        ] {
            assert_eq!(s.as_str().parse::<UrlStatus>(), Ok(s));
        }
        assert!("done".parse::<UrlStatus>().is_err());
        assert!("http x".parse::<Reason>().is_err());
    }
}
