//! [`CrawlState`] on a PostgreSQL database shared by several crawlers
//! ("workers"), each on its own machine or process with its own output.
//!
//! - A worker leases a host (`FOR UPDATE SKIP LOCKED` on its row: two
//!   workers asking at once never wait for each other) and only the holder
//!   claims the host's frontier entries. The lease's expiry and the host's
//!   next allowed request (`pause_until`: spacing, Crawl-delay, Retry-After)
//!   live in the host's row, in the database's clock, so politeness holds
//!   across workers whatever their clocks say; robots.txt files are shared
//!   there too.
//! - A worker that dies loses its leases when they expire; the next holder
//!   takes its uncommitted claims back into the frontier. What it committed
//!   is never fetched again.
//! - Each worker commits its own output checkpoints, under its worker id;
//!   a result whose claim was lost is not applied, and a lost claim that
//!   wrote a record refuses the commit ([`ClaimsLost`](crate::state::ClaimsLost))
//!   so the record is never checkpointed twice across workers.
//! - Content hashes are owned through a unique key (`INSERT ... ON CONFLICT`),
//!   each claim committed at once.
//!
//! No lock file: a worker id is held by one process at a time through its
//! registration ([`worker`]).
//!
//! The SQL lives in `statements` (prepared once per connection), a commit's
//! writes in `batch`, drift counts in `drift`, and `state stats` / `state
//! prune` in `maintenance`.

mod batch;
pub(in crate::state) mod conn;
mod drift;
mod maintenance;
pub mod schema;
mod statements;
pub mod worker;

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use tokio_postgres::{Row, Statement};

use super::{
    host_of, now_ms, Batch, Checkpoint, Claim, ContentClaim, CrawlState, HostLease, OutputOwner,
    RobotsFile, SiteDrift, Stats, UrlInfo, UrlKind, UrlStatus,
};
use crate::limits::{FEED_YIELD_WINDOW, HOST_LEASE, LONG_PAUSE, ROBOTS_MAX_AGE};
use conn::{retrying, wait, Db};
use statements::Statements;
pub use worker::WorkerId;

/// Frontier entries of one host claimed by one query.
const CLAIM_AHEAD: i64 = 8;

/// A handle on a PostgreSQL crawl state: one connection, and for a crawl
/// one registered worker.
pub struct PgState {
    db: Db,
    st: Statements,
    owner: OutputOwner,
    /// The worker this handle crawls as and its registration token; `None`
    /// when opened to inspect or prune.
    worker: Option<(WorkerId, String)>,
    /// Entries claimed ahead, per host, handed out one by one.
    claimed_ahead: HashMap<String, VecDeque<Claim>>,
    /// Hosts this handle leases.
    held: HashSet<String>,
}

impl std::fmt::Debug for PgState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgState")
            .field("url", &self.db.label)
            .field("worker", &self.worker.as_ref().map(|w| &w.0))
            .finish()
    }
}

impl PgState {
    /// Connects to the state at `url` (creating or upgrading its schema),
    /// without a worker: to inspect or prune it.
    pub fn open(url: &str) -> Result<Self> {
        let mut db = Db::connect(url)?;
        let id = wait(schema::migrate(&mut db.client))
            .with_context(|| format!("{}: cannot create or upgrade the crawl state", db.label))?;
        let st = db
            .run(Statements::prepare(&db.client))
            .with_context(|| format!("{}: cannot prepare statements", db.label))?;
        let owner = OutputOwner {
            id: format!("postgres:{id}"),
            label: format!("PostgreSQL state {}", db.label),
            file: None,
        };
        Ok(Self {
            db,
            st,
            owner,
            worker: None,
            claimed_ahead: HashMap::new(),
            held: HashSet::new(),
        })
    }

    /// Connects to the state at `url` for a crawl as `worker`, which no
    /// other live process may be using.
    pub fn open_worker(url: &str, worker: &WorkerId) -> Result<Self> {
        let mut s = Self::open(url)?;
        let ttl = HOST_LEASE.as_millis() as i64;
        let token =
            s.db.run(worker::register(&s.db.client, worker, ttl))
                .with_context(|| format!("{}: cannot register worker {worker}", s.db.label))?;
        // Outputs are owned per worker of this state (never presumed gone:
        // no local file tells whether a worker lives on).
        s.owner.id = format!("{}/{worker}", s.owner.id);
        s.owner.label = format!("worker {worker} of {}", s.owner.label);
        s.worker = Some((worker.clone(), token));
        Ok(s)
    }

    /// The worker this handle crawls as (`None` when opened to inspect or
    /// prune).
    pub fn worker(&self) -> Option<&WorkerId> {
        self.worker.as_ref().map(|w| &w.0)
    }

    /// The client, for copying a state in ([`crate::state::migrate`]); its
    /// futures are driven with [`conn::wait`].
    pub(in crate::state) fn client_mut(&mut self) -> &mut tokio_postgres::Client {
        &mut self.db.client
    }

    /// The database's URL without password.
    pub fn label(&self) -> &str {
        &self.db.label
    }

    /// "`url`: `what`", for errors: every error names the database.
    fn ctx(&self, what: &str) -> String {
        format!("{}: {what}", self.db.label)
    }

    /// The worker id, or "" for a handle that is not crawling.
    fn me(&self) -> &str {
        self.worker.as_ref().map_or("", |w| w.0.as_str())
    }

    fn require_worker(&self) -> Result<()> {
        if self.worker.is_none() {
            bail!("opened without a worker: cannot crawl");
        }
        Ok(())
    }

    fn query(
        &self,
        st: &Statement,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        Ok(self.db.run(self.db.client.query(st, params))?)
    }

    fn do_begin_run(&mut self) -> Result<u64> {
        self.require_worker()?;
        self.claimed_ahead.clear();
        self.held.clear();
        let me = self.me().to_string();
        let recent = now_ms() - FEED_YIELD_WINDOW.as_millis() as i64;
        let db = &mut self.db;
        retrying(|| {
            wait(async {
                let tx = db.client.transaction().await?;
                // Claims of a killed run return; its leases stay until they
                // expire or this worker leases the host again (then it waits
                // one spacing, as after any takeover).
                tx.execute(
                    "UPDATE frontier SET claimed_by = NULL WHERE claimed_by = $1",
                    &[&me],
                )
                .await?;
                // Polled feeds, and linked feeds that yielded new URLs
                // lately: revisit them (conditionally).
                tx.execute(
                    "INSERT INTO frontier(url, host, depth, kind, priority, hops)
                     SELECT url, host, 0, kind, 0, 0 FROM urls WHERE status = $2
                       AND (kind = $1 OR (kind = $3 AND yielded_at >= $4))
                     ON CONFLICT (url) DO NOTHING",
                    &[
                        &UrlKind::Feed.code(),
                        &UrlStatus::Visited.as_str(),
                        &UrlKind::LinkedFeed.code(),
                        &recent,
                    ],
                )
                .await?;
                let fetches = drift::begin_run(&tx, &me).await?;
                tx.commit().await?;
                Ok(fetches.max(0) as u64)
            })
        })
    }

    fn do_end_run(&mut self, completed: bool) -> Result<()> {
        self.require_worker()?;
        self.claimed_ahead.clear();
        self.held.clear();
        let me = self.me().to_string();
        let db = &mut self.db;
        retrying(|| {
            wait(async {
                let tx = db.client.transaction().await?;
                tx.execute(
                    "UPDATE frontier SET claimed_by = NULL WHERE claimed_by = $1",
                    &[&me],
                )
                .await?;
                tx.execute(
                    "UPDATE hosts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1",
                    &[&me],
                )
                .await?;
                if completed {
                    tx.execute(
                        "UPDATE workers SET run_active = FALSE, run_fetches = 0 WHERE worker = $1",
                        &[&me],
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            })
        })
    }

    fn do_lease_host(&mut self, host: &str, ttl: Duration) -> Result<Option<HostLease>> {
        self.require_worker()?;
        let me = self.me().to_string();
        let ttl = ttl.as_millis() as i64;
        let max_age = ROBOTS_MAX_AGE.as_millis() as i64;
        let (db, st) = (&mut self.db, &self.st);
        let row = retrying(|| {
            wait(async {
                db.client.execute(&st.host_row, &[&host]).await?;
                let tx = db.client.transaction().await?;
                let row = tx
                    .query_opt(&st.lease, &[&host, &me, &ttl, &max_age])
                    .await?;
                tx.commit().await?;
                Ok(row)
            })
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        let old_owner: Option<String> = row.get(0);
        let pause_left: Option<i64> = row.get(1);
        let robots_body: Option<String> = row.get(2);
        let robots_fresh: bool = row.get(3);
        let challenges: i64 = row.get(4);
        let taken_over = old_owner.is_some_and(|o| o != me || !self.held.contains(host));
        self.held.insert(host.to_string());
        Ok(Some(HostLease {
            host: host.to_string(),
            pause_until: pause_left.map(local_time),
            taken_over,
            robots: robots_fresh.then(|| robots_body.map_or(RobotsFile::Missing, RobotsFile::Body)),
            challenges: challenges.clamp(0, i64::from(u32::MAX)) as u32,
        }))
    }

    fn do_renew_leases(&mut self, ttl: Duration) -> Result<Vec<String>> {
        let Some((worker, token)) = &self.worker else {
            return Ok(Vec::new());
        };
        let ttl = ttl.as_millis() as i64;
        self.db
            .run(worker::renew(&self.db.client, worker, token, ttl))?;
        if self.held.is_empty() {
            return Ok(Vec::new());
        }
        let held: Vec<&str> = self.held.iter().map(String::as_str).collect();
        let kept: HashSet<String> = self
            .query(&self.st.renew, &[&worker.as_str(), &ttl, &held])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut lost: Vec<String> = self
            .held
            .iter()
            .filter(|h| !kept.contains(*h))
            .cloned()
            .collect();
        lost.sort();
        for h in &lost {
            self.held.remove(h);
            self.claimed_ahead.remove(h);
        }
        Ok(lost)
    }

    fn do_release_host(&mut self, host: &str) -> Result<()> {
        self.held.remove(host);
        self.claimed_ahead.remove(host);
        let me = self.me();
        self.query(&self.st.release, &[&host, &me])?;
        Ok(())
    }

    fn do_claim_next(&mut self, host: &str) -> Result<Option<Claim>> {
        if !self.held.contains(host) {
            return Ok(None);
        }
        if let Some(c) = self
            .claimed_ahead
            .get_mut(host)
            .and_then(VecDeque::pop_front)
        {
            return Ok(Some(c));
        }
        let me = self.me();
        let rows = self.query(&self.st.claim, &[&host, &me, &CLAIM_AHEAD])?;
        // Handed out: entries of the first one's priority only, so that what
        // the first one adds (a sitemap's articles, sorted before the next
        // sitemap) comes before what follows it; the rest go back.
        let first_priority: Option<i64> = rows.first().map(|r| r.get(9));
        let (rows, back): (Vec<&Row>, Vec<&Row>) = rows
            .iter()
            .partition(|r| Some(r.get::<_, i64>(9)) == first_priority);
        if !back.is_empty() {
            let ids: Vec<i64> = back.iter().map(|r| r.get(0)).collect();
            self.query(&self.st.unclaim, &[&ids, &me])?;
        }
        let mut claims: VecDeque<Claim> = rows
            .iter()
            .map(|r| Claim {
                id: r.get(0),
                url: r.get(1),
                host: r.get(2),
                depth: r.get::<_, i64>(3).clamp(0, i64::from(u32::MAX)) as u32,
                kind: UrlKind::from_code(r.get(4)),
                attempts: r.get::<_, i64>(5).clamp(0, i64::from(u32::MAX)) as u32,
                hops: r.get::<_, i64>(6).clamp(0, i64::from(u32::MAX)) as u32,
                etag: r.get(7),
                last_modified: r.get(8),
            })
            .collect();
        let first = claims.pop_front();
        self.claimed_ahead.insert(host.to_string(), claims);
        Ok(first)
    }

    fn do_claim_content(&mut self, hash: &str, url: &str) -> Result<ContentClaim> {
        // Committed at once: of two workers claiming one hash, the unique
        // key lets exactly one insert; the other reads the owner (a fresh
        // statement sees the row the first one committed).
        for _ in 0..3 {
            let inserted = self.db.run(
                self.db
                    .client
                    .execute(&self.st.content_insert, &[&hash, &url]),
            )?;
            if inserted == 1 {
                return Ok(ContentClaim::Owned);
            }
            if let Some(row) = self.query(&self.st.content_owner, &[&hash])?.first() {
                let owner: String = row.get(0);
                return Ok(if owner == url {
                    ContentClaim::Owned
                } else {
                    ContentClaim::OwnedBy(owner)
                });
            }
            // Pruned between the two statements: claim it again.
        }
        bail!("content hash {hash} keeps changing owner")
    }

    /// Removes `url` from the entries claimed ahead; returns their ids.
    fn drop_claimed_ahead(&mut self, url: &str) -> Vec<i64> {
        let Some(queue) = self.claimed_ahead.get_mut(&host_of(url)) else {
            return Vec::new();
        };
        let ids = queue
            .iter()
            .filter(|c| c.url == url)
            .map(|c| c.id)
            .collect();
        queue.retain(|c| c.url != url);
        ids
    }

    fn do_commit(&mut self, batch: &Batch) -> Result<Vec<String>> {
        self.require_worker()?;
        // An alias of a page just finished is not fetched again, even when
        // it was already claimed ahead.
        let dropped: Vec<i64> = batch
            .results
            .iter()
            .filter_map(|d| d.alias.as_deref())
            .flat_map(|alias| self.drop_claimed_ahead(alias))
            .collect();
        let me = self.me().to_string();
        let (db, st) = (&mut self.db, &self.st);
        retrying(|| {
            wait(async {
                let tx = db.client.transaction().await?;
                let hosts = batch::write(&tx, st, &me, batch, &dropped).await?;
                tx.commit().await?;
                Ok(hosts)
            })
        })
    }

    fn do_hosts_with_work(&mut self) -> Result<Vec<String>> {
        let long = LONG_PAUSE.as_millis() as i64;
        let me = self.me();
        Ok(self
            .query(&self.st.hosts_with_work, &[&me, &long])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }
}

impl Drop for PgState {
    fn drop(&mut self) {
        if let Some((worker, token)) = &self.worker {
            // The id is free at once (a killed process's expires instead).
            let _ = self
                .db
                .run(worker::unregister(&self.db.client, worker, token));
        }
    }
}

impl CrawlState for PgState {
    fn owner(&self) -> &OutputOwner {
        &self.owner
    }

    fn begin_run(&mut self) -> Result<u64> {
        self.do_begin_run()
            .with_context(|| self.ctx("cannot begin the run"))
    }

    fn end_run(&mut self, completed: bool) -> Result<()> {
        self.do_end_run(completed)
            .with_context(|| self.ctx("cannot end the run"))
    }

    fn queue_refetch(&mut self, before_ms: i64) -> Result<u64> {
        let r = self.db.run(self.db.client.execute(
            "INSERT INTO frontier(url, host, depth, kind, priority, hops)
             SELECT url, host, 1, 0, 2, 0 FROM urls WHERE status = $1 AND fetched_at < $2
             ON CONFLICT (url) DO NOTHING",
            &[&UrlStatus::Written.as_str(), &before_ms],
        ));
        r.map_err(anyhow::Error::from)
            .with_context(|| self.ctx("cannot queue re-fetches"))
    }

    fn hosts_with_work(&mut self) -> Result<Vec<String>> {
        self.do_hosts_with_work()
            .with_context(|| self.ctx("cannot list hosts"))
    }

    fn frontier_len(&mut self, host: &str) -> Result<u64> {
        let rows = self
            .query(&self.st.frontier_len, &[&host])
            .with_context(|| self.ctx(&format!("cannot count the frontier of {host}")))?;
        Ok(rows.first().map_or(0, |r| r.get::<_, i64>(0).max(0) as u64))
    }

    fn lease_host(&mut self, host: &str, ttl: Duration) -> Result<Option<HostLease>> {
        self.do_lease_host(host, ttl)
            .with_context(|| self.ctx(&format!("cannot lease host {host}")))
    }

    fn renew_leases(&mut self, ttl: Duration) -> Result<Vec<String>> {
        self.do_renew_leases(ttl)
            .with_context(|| self.ctx("cannot renew leases"))
    }

    fn release_host(&mut self, host: &str) -> Result<()> {
        self.do_release_host(host)
            .with_context(|| self.ctx(&format!("cannot release host {host}")))
    }

    fn claim_next(&mut self, host: &str) -> Result<Option<Claim>> {
        self.do_claim_next(host)
            .with_context(|| self.ctx(&format!("cannot claim a URL of {host}")))
    }

    fn url_info(&mut self, url: &str) -> Result<Option<UrlInfo>> {
        let r = self.query(&self.st.url_info, &[&url]).and_then(|rows| {
            rows.first()
                .map(|r| {
                    let status: String = r.get(0);
                    Ok(UrlInfo {
                        status: status.parse().map_err(anyhow::Error::msg)?,
                        content_hash: r.get(1),
                        fetched_at: r.get(2),
                    })
                })
                .transpose()
        });
        r.with_context(|| self.ctx(&format!("cannot read {url}")))
    }

    fn claim_content(&mut self, hash: &str, url: &str) -> Result<ContentClaim> {
        self.do_claim_content(hash, url)
            .with_context(|| self.ctx(&format!("cannot claim the content of {url}")))
    }

    fn checkpoint(&mut self, output: &str) -> Result<Option<Checkpoint>> {
        let me = self.me();
        let r = self.query(&self.st.checkpoint, &[&me, &output]);
        r.map(|rows| rows.first().map(|r| Checkpoint(r.get(0))))
            .with_context(|| self.ctx(&format!("cannot read the checkpoint of {output}")))
    }

    fn commit(&mut self, batch: &Batch) -> Result<Vec<String>> {
        self.do_commit(batch)
            .with_context(|| self.ctx("cannot commit"))
    }

    fn stats(&mut self) -> Result<Stats> {
        self.do_stats()
            .with_context(|| self.ctx("cannot read statistics"))
    }

    fn prune(&mut self, before_ms: i64) -> Result<u64> {
        self.do_prune(before_ms)
            .with_context(|| self.ctx("cannot prune"))
    }

    fn drift_history(&mut self) -> Result<Vec<SiteDrift>> {
        let r = self.db.run(drift::history(&self.db.client, self.me()));
        r.with_context(|| self.ctx("cannot read the drift counts"))
    }

    fn shared(&self) -> bool {
        true
    }

    fn crawlers(&mut self) -> Result<usize> {
        let r = self.query(&self.st.crawlers, &[]);
        r.map(|rows| {
            rows.first()
                .map_or(1, |r| r.get::<_, i64>(0).max(1) as usize)
        })
        .with_context(|| self.ctx("cannot count the workers"))
    }
}

/// A time `left` milliseconds after the database's clock's now, on this
/// machine's clock, never earlier than the database meant: both clocks
/// are read in whole milliseconds (the database's rounded, this
/// machine's truncated), so one millisecond covers the rounding.
pub(super) fn local_time(left: i64) -> i64 {
    now_ms().saturating_add(left).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_named_without_its_password() {
        // Port 1 on loopback: refused at once.
        let e = format!(
            "{:#}",
            PgState::open("postgres://u:secret@127.0.0.1:1/db").unwrap_err()
        );
        assert!(e.contains("postgres://u:***@127.0.0.1:1/db"), "{e}");
        assert!(e.contains("cannot connect"), "{e}");
        assert!(!e.contains("secret"), "{e}");
        let e = format!(
            "{:#}",
            PgState::open("postgres://u@h:notaport/db").unwrap_err()
        );
        assert!(e.contains("not a PostgreSQL connection URL"), "{e}");
    }
}
