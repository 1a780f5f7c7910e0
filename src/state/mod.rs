//! The crawl state behind one narrow interface ([`CrawlState`]): the
//! frontier, the URLs seen with their validators and content hashes, per-host
//! pauses, the committed length of each output file, and run counters.
//!
//! [`sqlite::SqliteState`] answers today (an embedded database in WAL mode);
//! a shared server database can implement the same trait later. No SQL lives
//! outside the implementation.

pub mod lock;
pub mod sqlite;

use anyhow::Result;

pub use lock::StateLock;
pub use sqlite::SqliteState;

/// What a frontier entry is expected to be (it decides priority and which
/// entries are revisited on every run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            _ => Self::Page,
        }
    }

    /// Sources (seeds, start pages, feeds, sitemaps) are depth 0 and revisited
    /// on every run with conditional requests.
    pub fn is_source(self) -> bool {
        self != Self::Page
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

/// A frontier entry claimed for fetching.
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

/// What is known about a URL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlInfo {
    /// `queued`, `done`, `written`, `failed`, `skipped`.
    pub status: String,
    /// Content hash of the body last written for it.
    pub content_hash: Option<String>,
    /// Unix ms of the last fetch.
    pub fetched_at: Option<i64>,
}

/// How a fetched entry ended, as the state records it. Built with
/// [`Finished::new`] and the methods below; it counts towards `--max-pages`
/// unless [`Finished::uncounted`].
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// New status of the URL: `done`, `written`, `skipped` or `failed`.
    pub status: &'static str,
    /// Reason code (skips and failures).
    pub reason: Option<String>,
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
}

impl Finished {
    /// An ending with this status, counted, nothing else known.
    pub fn new(status: &'static str) -> Self {
        Self {
            status,
            reason: None,
            http_status: None,
            etag: None,
            last_modified: None,
            content_hash: None,
            counted: true,
        }
    }

    /// Why it ended so.
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
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

    /// The written body's content hash.
    pub fn content_hash(mut self, hash: String) -> Self {
        self.content_hash = Some(hash);
        self
    }

    /// Whether it counts as a fetch towards `--max-pages`.
    pub fn counted(mut self, counted: bool) -> Self {
        self.counted = counted;
        self
    }

    /// Not a fetch: counts nothing towards `--max-pages`.
    pub fn uncounted(self) -> Self {
        self.counted(false)
    }
}

/// How one claimed entry ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Fetched and handled.
    Finished(Finished),
    /// Put back for a retry (attempts + 1).
    Retry,
    /// Put back untouched (the host cannot be crawled this run).
    Release,
}

/// One entry's result, applied in a commit.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    /// The claimed entry.
    pub claim_id: i64,
    /// Its URL.
    pub url: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Another URL that now counts as this one (an in-scope canonical):
    /// marked with the same status and removed from the frontier.
    pub alias: Option<String>,
}

/// Everything committed atomically after the output was synced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Finished or retried entries.
    pub done: Vec<Done>,
    /// Newly discovered URLs.
    pub new_urls: Vec<NewUrl>,
    /// Per-host earliest next request (unix ms).
    pub host_pauses: Vec<(String, i64)>,
    /// Output file and its length after the batch's lines.
    pub output: Option<(String, u64)>,
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
}

/// The crawl state: what the crawler asks of it.
pub trait CrawlState {
    /// Starts a run: releases claims of a killed run, returns the fetch count
    /// already spent by an interrupted run (0 when the last run completed).
    fn begin_run(&mut self) -> Result<u64>;
    /// Records that the run ended; after a completed run the next one starts
    /// its counts afresh, after an interrupted one it keeps them.
    fn end_run(&mut self, completed: bool) -> Result<()>;
    /// Queues re-fetches of written articles last fetched before `before_ms`.
    fn queue_refetch(&mut self, before_ms: i64) -> Result<u64>;
    /// Hosts that have unclaimed frontier entries.
    fn hosts_with_work(&mut self) -> Result<Vec<String>>;
    /// Claims the next entry of a host (highest priority, shallowest first).
    fn claim_next(&mut self, host: &str) -> Result<Option<Claim>>;
    /// What is known about a URL.
    fn url_info(&mut self, url: &str) -> Result<Option<UrlInfo>>;
    /// The URL whose written body had this content hash, if any.
    fn hash_owner(&mut self, hash: &str) -> Result<Option<String>>;
    /// The earliest time (unix ms) a host may be contacted, if stored.
    fn host_pause(&mut self, host: &str) -> Result<Option<i64>>;
    /// The committed length of an output file, if known.
    fn output_length(&mut self, path: &str) -> Result<Option<u64>>;
    /// Applies a batch in one transaction; returns the hosts that got new
    /// frontier entries.
    fn commit(&mut self, batch: &Batch) -> Result<Vec<String>>;
    /// Counts for `state stats`.
    fn stats(&mut self) -> Result<Stats>;
    /// Forgets finished URLs last touched before `before_ms`; returns how
    /// many were removed.
    fn prune(&mut self, before_ms: i64) -> Result<u64>;
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
