//! The crawl state behind one interface ([`CrawlState`]): the frontier and
//! its claims, host leases and pauses, the URLs seen with their validators,
//! content-hash ownership, output checkpoints and run counters.
//!
//! Backends: [`sqlite::SqliteState`] (an embedded database in WAL mode, one
//! process at a time under a [`StateLock`]), [`postgres::PgState`] (a
//! PostgreSQL database shared by crawlers on several machines, each a
//! worker holding per-host leases) and [`memory::MemoryState`] (the test
//! double, shareable between handles like a server database). Which one a
//! run uses is decided in one place, [`StateLocation::parse`] and [`open`],
//! from `--state`. No SQL lives outside the backends (and [`migrate`], which
//! copies one into the other).
//!
//! The contract (checked for every backend by `tests/state_conformance.rs`):
//!
//! - A claim hands out each frontier entry once; entries claimed and not
//!   committed return to the frontier when the run begins again or when the
//!   host's lease is lost.
//! - A host's URLs are claimed only under its lease. A lease lasts `ttl`
//!   unless renewed; an expired lease may be taken by another handle, and
//!   then the old holder's claims of that host return to the frontier.
//! - [`CrawlState::commit`] applies a [`Batch`] atomically: claim results,
//!   new URLs, pauses, and the output checkpoints that cover the batch's
//!   records. The caller makes the records durable first, so an output never
//!   holds a committed record twice and a checkpoint never covers a record
//!   the state does not know as written. A result of a claim no longer held
//!   is not applied; if it wrote a record the whole commit is refused with
//!   [`ClaimsLost`], so that record is never checkpointed.
//! - Drift counts ([`Batch::drift`]) add up per site and run; each site
//!   keeps its last [`DRIFT_RUNS`](crate::limits::DRIFT_RUNS) runs.
//! - Content ownership is claimed through a unique key
//!   ([`CrawlState::claim_content`]), never checked and then acted on; a
//!   claim is durable no later than the commit that writes its URL.

pub mod drift;
pub mod lock;
pub mod memory;
pub mod migrate;
pub mod model;
pub mod postgres;
pub mod sqlite;
pub mod status;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Result};

pub use lock::StateLock;
pub use memory::MemoryState;
pub use model::{
    Batch, Checkpoint, Claim, ClaimResult, ClaimsLost, ContentClaim, DriftRun, Ending, HostLease,
    NewUrl, Outcome, OutputOwner, RobotsFile, SiteDrift, Stats, UrlInfo, UrlKind,
};
pub use postgres::PgState;
pub use sqlite::SqliteState;
pub use status::{Reason, UrlStatus};

/// The crawl state: what the crawler asks of it.
pub trait CrawlState {
    /// Who writes outputs under this state (recorded beside each output).
    fn owner(&self) -> &OutputOwner;
    /// Starts a run: releases claims of a killed run, queues the feeds to
    /// poll again (every [`UrlKind::Feed`] visited before, and each
    /// [`UrlKind::LinkedFeed`] that yielded new URLs within
    /// [`FEED_YIELD_WINDOW`](crate::limits::FEED_YIELD_WINDOW)), returns the
    /// fetch count already spent by an interrupted run (0 when the last run
    /// completed).
    fn begin_run(&mut self) -> Result<u64>;
    /// Records that the run ended and releases its leases; after a completed
    /// run the next one starts its counts afresh, after an interrupted one it
    /// keeps them.
    fn end_run(&mut self, completed: bool) -> Result<()>;
    /// Queues re-fetches of written articles last fetched before `before_ms`.
    fn queue_refetch(&mut self, before_ms: i64) -> Result<u64>;
    /// Hosts whose frontier entries this handle could claim now or once
    /// another holder's lease ends: unclaimed entries (leased or not), and
    /// entries claimed by another holder, unless that holder leases the
    /// host and has paused it for longer than
    /// [`LONG_PAUSE`](crate::limits::LONG_PAUSE) (its work is left for a
    /// later run, which nobody should wait for). Sorted.
    fn hosts_with_work(&mut self) -> Result<Vec<String>>;
    /// How many frontier entries (claimed or not) a host has: the crawler
    /// keeps it under [`MAX_FRONTIER_PER_HOST`](crate::limits::MAX_FRONTIER_PER_HOST).
    fn frontier_len(&mut self, host: &str) -> Result<u64>;
    /// Leases a host for `ttl`: `None` while another holder's lease lasts.
    /// Leasing a host already held renews it.
    fn lease_host(&mut self, host: &str, ttl: Duration) -> Result<Option<HostLease>>;
    /// Extends every lease this handle holds by `ttl` from now; returns the
    /// hosts whose lease was lost (expired and taken by another holder).
    fn renew_leases(&mut self, ttl: Duration) -> Result<Vec<String>>;
    /// Gives a host's lease back (its claims not yet committed return to the
    /// frontier).
    fn release_host(&mut self, host: &str) -> Result<()>;
    /// Claims the next entry of a leased host (highest priority, shallowest
    /// first); `None` when it has none or the lease is not held.
    fn claim_next(&mut self, host: &str) -> Result<Option<Claim>>;
    /// What is known about a URL.
    fn url_info(&mut self, url: &str) -> Result<Option<UrlInfo>>;
    /// Claims a body's content hash for `url` (exact-duplicate detection).
    fn claim_content(&mut self, hash: &str, url: &str) -> Result<ContentClaim>;
    /// The committed checkpoint of an output (by its key), if any. Outputs
    /// belong to one crawler: a shared backend keeps checkpoints under the
    /// crawler's [`OutputOwner`] id, as two machines may use one path.
    fn checkpoint(&mut self, output: &str) -> Result<Option<Checkpoint>>;
    /// Applies a batch atomically; returns the hosts that got new frontier
    /// entries. Results of claims this handle no longer holds are left
    /// out; if one of them wrote a record, nothing is applied and the error
    /// is [`ClaimsLost`] (found with `downcast_ref`).
    /// A new URL of kind [`UrlKind::Feed`] already known as a
    /// [`UrlKind::LinkedFeed`] becomes a polled feed (a home page links it).
    fn commit(&mut self, batch: &Batch) -> Result<Vec<String>>;
    /// Counts for `state stats`.
    fn stats(&mut self) -> Result<Stats>;
    /// Per configured site (sorted by name), the drift counts its pages
    /// added in each of its last [`DRIFT_RUNS`](crate::limits::DRIFT_RUNS)
    /// runs, oldest first. A batch's [`Batch::drift`] adds to the run the
    /// committing handle is in: a run resumed after an interruption keeps
    /// its number, a run begun after a completed one gets the next, and on
    /// a shared state a crawler beginning while others are in a run joins
    /// theirs.
    fn drift_history(&mut self) -> Result<Vec<SiteDrift>>;
    /// Forgets finished URLs last touched before `before_ms`; returns how
    /// many were removed.
    fn prune(&mut self, before_ms: i64) -> Result<u64>;
    /// True when other crawlers may work on this state at the same time (a
    /// shared database): the crawler then looks again, from time to time,
    /// for hosts they added or left behind.
    fn shared(&self) -> bool {
        false
    }
    /// How many crawlers work on this state now, this one included (each
    /// leases about its share of the hosts with work).
    fn crawlers(&mut self) -> Result<usize> {
        Ok(1)
    }
}

/// Where a crawl state lives, as `--state` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// An SQLite file: a plain path or `sqlite:PATH`.
    Sqlite(PathBuf),
    /// A PostgreSQL database: `postgres://...` or `postgresql://...`.
    Postgres(String),
}

impl StateLocation {
    /// Reads a `--state` value.
    pub fn parse(s: &str) -> Self {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Self::Postgres(s.to_string());
        }
        Self::Sqlite(PathBuf::from(s.strip_prefix("sqlite:").unwrap_or(s)))
    }

    /// The files the state lives in (an output must never be one of them):
    /// for SQLite the database, its `-wal`, `-shm` and `-journal` files and
    /// its lock, both as named and after resolving symlinks.
    pub fn files(&self) -> Vec<PathBuf> {
        let Self::Sqlite(path) = self else {
            return Vec::new();
        };
        let mut bases = vec![path.clone(), crate::paths::resolve(path)];
        bases.dedup();
        let mut files = Vec::new();
        for base in bases {
            files.push(base.clone());
            for suffix in ["-wal", "-shm", "-journal", ".lock"] {
                let mut name = base.clone().into_os_string();
                name.push(suffix);
                files.push(PathBuf::from(name));
            }
        }
        files
    }
}

impl std::fmt::Display for StateLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(p) => write!(f, "{}", p.display()),
            Self::Postgres(url) => f.write_str(url),
        }
    }
}

/// How a state is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access<'a> {
    /// For a crawl: exclusive where the backend needs it (the SQLite lock;
    /// on PostgreSQL the worker id, `None` for this machine's default),
    /// created when missing.
    Crawl {
        /// `--worker`: who this crawler is on a shared state.
        worker: Option<&'a str>,
    },
    /// For a prune: exclusive where the backend needs it (the SQLite lock),
    /// created when missing.
    Maintain,
    /// For reading statistics: must exist, taken no lock.
    Inspect,
}

/// Opens the state `--state` names: the one place a backend is chosen.
pub fn open(location: &StateLocation, access: Access) -> Result<Box<dyn CrawlState>> {
    match location {
        StateLocation::Sqlite(path) => Ok(Box::new(open_sqlite(path, access)?)),
        StateLocation::Postgres(url) => Ok(Box::new(match access {
            Access::Crawl { worker } => {
                let worker = match worker {
                    Some(w) => postgres::WorkerId::parse(w)?,
                    None => postgres::WorkerId::default_for_machine(),
                };
                PgState::open_worker(url, &worker)?
            }
            Access::Maintain | Access::Inspect => PgState::open(url)?,
        })),
    }
}

fn open_sqlite(path: &Path, access: Access) -> Result<SqliteState> {
    match access {
        Access::Crawl { .. } | Access::Maintain => SqliteState::open_locked(path),
        Access::Inspect => {
            if !path.exists() {
                bail!("{}: no such state file", path.display());
            }
            SqliteState::open(path)
        }
    }
}

/// A connection URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// The host key of a URL as the frontier stores it (empty when unparsable).
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| crate::extract::host_with_port(&u))
        .unwrap_or_default()
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_from_state_flag() {
        assert_eq!(
            StateLocation::parse("news.db"),
            StateLocation::Sqlite("news.db".into())
        );
        assert_eq!(
            StateLocation::parse("sqlite:/srv/news.db"),
            StateLocation::Sqlite("/srv/news.db".into())
        );
        assert_eq!(
            StateLocation::parse("postgres://u@h/db"),
            StateLocation::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            redact("postgresql://u:secret@h/db"),
            "postgresql://u:***@h/db"
        );
    }
}
