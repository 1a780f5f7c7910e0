//! The values that cross the [`CrawlState`](super::CrawlState) interface:
//! frontier entries, claims, host leases, how claims end, the batch a
//! commit applies, output checkpoints and statistics.

use super::status::{Reason, UrlStatus};
use crate::selectors::drift::{DriftCounts, RunCounts};

/// What a frontier entry is expected to be (it decides priority and which
/// entries are revisited on every run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlKind {
    /// A page (article or listing).
    Page = 0,
    /// A seed given on the command line.
    Seed = 1,
    /// A configured start page.
    Start = 2,
    /// An RSS or Atom feed.
    Feed = 3,
    /// A sitemap (index or urlset).
    Sitemap = 4,
    /// An RSS or Atom feed linked from a page that is not a home or source
    /// page (a post's comments feed, a tag's or an author's feed): read when
    /// found, polled again by later runs only while it yields new URLs
    /// ([`FEED_YIELD_WINDOW`](crate::limits::FEED_YIELD_WINDOW)).
    LinkedFeed = 5,
}

impl UrlKind {
    /// The stored code.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// From the stored code (unknown codes are pages).
    pub fn from_code(c: i64) -> Self {
        match c {
            1 => Self::Seed,
            2 => Self::Start,
            3 => Self::Feed,
            4 => Self::Sitemap,
            5 => Self::LinkedFeed,
            _ => Self::Page,
        }
    }

    /// Sources (seeds, start pages, feeds, sitemaps) are revisited on every
    /// run with conditional requests; a linked feed is not one.
    pub fn is_source(self) -> bool {
        !matches!(self, Self::Page | Self::LinkedFeed)
    }
}

/// A URL to add to the frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUrl {
    /// The normalised URL.
    pub url: String,
    /// Its host key.
    pub host: String,
    /// Link hops from a source.
    pub depth: u32,
    /// What it is expected to be.
    pub kind: UrlKind,
    /// Lower is fetched first.
    pub priority: i64,
    /// Redirect hops already taken to reach it.
    pub hops: u32,
    /// Queue it even if it was seen before (sources, redirect targets of
    /// sources, refetches).
    pub force: bool,
}

/// A frontier entry claimed for fetching. Only the holder of its host's
/// lease fetches it; a claim whose lease is lost goes back to the frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Frontier id.
    pub id: i64,
    /// The normalised URL.
    pub url: String,
    /// Its host key.
    pub host: String,
    /// Link hops from a source.
    pub depth: u32,
    /// What it is expected to be.
    pub kind: UrlKind,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Redirect hops taken to reach it.
    pub hops: u32,
    /// `ETag` of the last fetch, for a conditional request.
    pub etag: Option<String>,
    /// `Last-Modified` of the last fetch.
    pub last_modified: Option<String>,
}

impl Claim {
    /// True when the request carries validators (a 304 can only answer those).
    pub fn is_conditional(&self) -> bool {
        self.etag.is_some() || self.last_modified.is_some()
    }
}

/// A host leased to one crawler: only the holder claims and fetches its
/// URLs until the lease expires or is released.
#[derive(Debug, Clone, PartialEq)]
pub struct HostLease {
    /// The host key.
    pub host: String,
    /// The earliest time (unix ms, this machine's clock) the host may be
    /// contacted, as stored (Retry-After, Crawl-delay and spacing of earlier
    /// holders and runs).
    pub pause_until: Option<i64>,
    /// The lease was taken over from another holder whose lease expired
    /// (a crawler that died or stalled): its last request may not be in
    /// `pause_until`, so the new holder waits one full spacing first.
    pub taken_over: bool,
    /// The host's robots.txt as another crawler (or an earlier run) fetched
    /// it, while fresh ([`ROBOTS_MAX_AGE`](crate::limits::ROBOTS_MAX_AGE));
    /// `None` when it must be fetched. Backends that keep robots.txt per
    /// run (SQLite) never return one.
    pub robots: Option<RobotsFile>,
    /// Bot challenges the host answered in a row, as stored (each doubles
    /// the next pause).
    pub challenges: u32,
}

impl HostLease {
    /// A lease with nothing stored about the host but its pause.
    pub fn new(host: &str, pause_until: Option<i64>) -> Self {
        Self {
            host: host.to_string(),
            pause_until,
            taken_over: false,
            robots: None,
            challenges: 0,
        }
    }
}

/// A robots.txt as fetched, shared between crawlers of one state. A server
/// error or an unreachable file (nothing allowed for the run) is never
/// shared: each crawler asks again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RobotsFile {
    /// No file (4xx, or a redirect not followed): everything allowed.
    Missing,
    /// The file's text.
    Body(String),
}

/// A commit refused because claims whose records it covers were lost:
/// another crawler took over their hosts (after this one's leases expired)
/// and will fetch them again. Nothing of the batch was applied; the caller
/// drops those hosts' results and records (cutting its output back to the
/// last committed checkpoint) and commits the rest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("claims lost to another crawler on {}", hosts.join(", "))]
pub struct ClaimsLost {
    /// The hosts whose claims were lost.
    pub hosts: Vec<String>,
}

/// Who owns a body's content hash (exact-duplicate detection). Claimed
/// through a unique key: of two URLs claiming one hash, exactly one owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentClaim {
    /// The claiming URL owns the hash (newly, or since an earlier claim).
    Owned,
    /// Another URL owns it.
    OwnedBy(String),
}

/// What is known about a URL.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlInfo {
    /// Where it stands.
    pub status: UrlStatus,
    /// Content hash of the body last written for it.
    pub content_hash: Option<String>,
    /// Unix ms of the last fetch.
    pub fetched_at: Option<i64>,
}

/// How a claimed entry ended, as the state records it. Built with the
/// constructor of its status; it counts towards `--max-pages` unless
/// [`Ending::uncounted`].
#[derive(Debug, Clone, PartialEq)]
pub struct Ending {
    /// New status of the URL.
    pub status: UrlStatus,
    /// Why (skips and failures; [`Reason::Redirect`] for a redirect visited).
    pub reason: Option<Reason>,
    /// HTTP status, when a response arrived.
    pub http_status: Option<u16>,
    /// Validators to remember (ETag).
    pub etag: Option<String>,
    /// Validators to remember (Last-Modified).
    pub last_modified: Option<String>,
    /// Content hash of the written body.
    pub content_hash: Option<String>,
    /// Whether this fetch counts toward `--max-pages`.
    pub counted: bool,
    /// A feed that listed URLs the state did not know: a linked feed is
    /// polled by later runs while it keeps doing so.
    pub yielded: bool,
}

impl Ending {
    fn new(status: UrlStatus, reason: Option<Reason>) -> Self {
        Self {
            status,
            reason,
            http_status: None,
            etag: None,
            last_modified: None,
            content_hash: None,
            counted: true,
            yielded: false,
        }
    }

    /// Handled without a record (a listing, a feed, a 304).
    pub fn visited() -> Self {
        Self::new(UrlStatus::Visited, None)
    }

    /// A redirect, handed on to its target (not a fetch of its own).
    pub fn redirected() -> Self {
        Self::new(UrlStatus::Visited, Some(Reason::Redirect)).uncounted()
    }

    /// Its article was written, with this body hash.
    pub fn written(content_hash: String) -> Self {
        let mut e = Self::new(UrlStatus::Written, None);
        e.content_hash = Some(content_hash);
        e
    }

    /// No record, for a reason: a page skipped or only visited.
    pub fn no_record(status: UrlStatus, reason: Reason) -> Self {
        Self::new(status, Some(reason))
    }

    /// Left out on purpose.
    pub fn skipped(reason: Reason) -> Self {
        Self::new(UrlStatus::Skipped, Some(reason))
    }

    /// Given up.
    pub fn failed(reason: Reason) -> Self {
        Self::new(UrlStatus::Failed, Some(reason))
    }

    /// The HTTP status of the response.
    pub fn http(self, status: u16) -> Self {
        self.http_opt(Some(status))
    }

    /// The HTTP status, when there was a response.
    pub fn http_opt(mut self, status: Option<u16>) -> Self {
        self.http_status = status;
        self
    }

    /// The response's validators, for conditional requests next time.
    pub fn validators(mut self, etag: Option<String>, last_modified: Option<String>) -> Self {
        self.etag = etag;
        self.last_modified = last_modified;
        self
    }

    /// Whether it counts as a fetch towards `--max-pages`.
    pub fn counted(mut self, counted: bool) -> Self {
        self.counted = counted;
        self
    }

    /// A feed that listed URLs new to the state.
    pub fn yielded(mut self, yielded: bool) -> Self {
        self.yielded = yielded;
        self
    }

    /// Not a fetch: counts nothing towards `--max-pages`.
    pub fn uncounted(self) -> Self {
        self.counted(false)
    }
}

/// What becomes of one claimed entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It ended so; it leaves the frontier.
    Ended(Ending),
    /// Put back for a retry (attempts + 1).
    Retry,
    /// Put back untouched (the host cannot be crawled this run).
    Release,
}

/// One claim's result, applied in a commit.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimResult {
    /// The claimed entry.
    pub claim_id: i64,
    /// Its URL.
    pub url: String,
    /// What becomes of it.
    pub outcome: Outcome,
    /// Another URL that now counts as this one (an in-scope canonical):
    /// marked with the same status and removed from the frontier.
    pub alias: Option<String>,
}

/// An output's position as its sink defines it (JSONL: the byte length;
/// part files: their list). The state stores it without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint(pub String);

/// Who writes an output: the identity a state (and, on a shared state, its
/// worker) records on the outputs it owns, and a label for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputOwner {
    /// Stable, unique id.
    pub id: String,
    /// What a person recognises (the state file's path).
    pub label: String,
    /// The state file, when the state lives in one on this machine: an
    /// output whose owner's file is gone may be taken over.
    pub file: Option<std::path::PathBuf>,
}

/// Everything committed atomically after the outputs were made durable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Ended, retried or released claims.
    pub results: Vec<ClaimResult>,
    /// Newly discovered URLs.
    pub new_urls: Vec<NewUrl>,
    /// Per-host earliest next request (unix ms).
    pub host_pauses: Vec<(String, i64)>,
    /// Per host: bot challenges in a row (0 after an answer that was not one).
    pub host_challenges: Vec<(String, u32)>,
    /// Per output (its key): the checkpoint after the batch's records.
    pub checkpoints: Vec<(String, Checkpoint)>,
    /// robots.txt files fetched, for the other crawlers of a shared state.
    pub robots: Vec<(String, RobotsFile)>,
    /// Per configured site: the drift counts of the batch's pages, added to
    /// the run's (one entry per site).
    pub drift: Vec<(String, DriftCounts)>,
}

impl Batch {
    /// True when committing it would change nothing.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
            && self.new_urls.is_empty()
            && self.host_pauses.is_empty()
            && self.host_challenges.is_empty()
            && self.checkpoints.is_empty()
            && self.robots.is_empty()
            && self.drift.is_empty()
    }
}

/// One run of a site, as the state keeps its drift counts.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftRun {
    /// The run's number (increasing; on a shared state, crawlers whose runs
    /// overlap share one).
    pub run: i64,
    /// The site's counts in that run.
    pub counts: DriftCounts,
    /// The run this handle's crawler has begun and not completed.
    pub current: bool,
}

/// A site's drift history: its last
/// [`DRIFT_RUNS`](crate::limits::DRIFT_RUNS) runs with pages, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteDrift {
    /// The config's name.
    pub site: String,
    /// Its runs, oldest first.
    pub runs: Vec<DriftRun>,
}

impl SiteDrift {
    /// The newest run's counts and the earlier runs', as
    /// [`drift`](crate::selectors::drift::drift) judges them (None without runs).
    pub fn latest_and_before(&self) -> Option<(RunCounts, Vec<RunCounts>)> {
        let (latest, before) = self.runs.split_last()?;
        let before = before.iter().map(|r| r.counts.run_counts()).collect();
        Some((latest.counts.run_counts(), before))
    }

    /// Whether its newest run is the one the handle's crawler is in.
    pub fn in_current_run(&self) -> bool {
        self.runs.last().is_some_and(|r| r.current)
    }
}

/// Counts for `state stats`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// URLs known.
    pub urls: u64,
    /// Articles written.
    pub written: u64,
    /// URLs that failed.
    pub failed: u64,
    /// Frontier size.
    pub queued: u64,
    /// Per host: (host, known, written, failed).
    pub per_host: Vec<(String, u64, u64, u64)>,
    /// Hosts paused beyond now: (host, unix ms of the earliest next request).
    pub paused: Vec<(String, i64)>,
    /// Crawlers working on a shared state now: (worker id, where it runs,
    /// hosts it leases).
    pub workers: Vec<(String, String, u64)>,
}
