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

mod batch;
pub(in crate::state) mod conn;
mod drift;
pub mod schema;
pub mod worker;

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use futures_util::future::try_join_all;
use tokio_postgres::{Row, Statement};

use super::{
    host_of, now_ms, Batch, Checkpoint, Claim, ContentClaim, CrawlState, HostLease, OutputOwner,
    RobotsFile, SiteDrift, Stats, UrlInfo, UrlKind, UrlStatus,
};
use crate::limits::{FEED_YIELD_WINDOW, HOST_LEASE, LONG_PAUSE, ROBOTS_MAX_AGE};
use conn::{retrying, wait, Db};
pub use worker::WorkerId;

/// Frontier entries of one host claimed by one query.
const CLAIM_AHEAD: i64 = 8;

/// The prepared statements (prepared once per connection).
pub(super) struct Statements {
    claim: Statement,
    url_info: Statement,
    content_insert: Statement,
    content_owner: Statement,
    checkpoint: Statement,
    host_row: Statement,
    lease: Statement,
    renew: Statement,
    release: Statement,
    hosts_with_work: Statement,
    pause: Statement,
    robots: Statement,
    lock_claims: Statement,
    delete_claim: Statement,
    add_url: Statement,
    retry_claim: Statement,
    release_claim: Statement,
    end_url: Statement,
    delete_alias: Statement,
    add_fetches: Statement,
    put_checkpoint: Statement,
    crawlers: Statement,
    challenges: Statement,
    to_polled: Statement,
    frontier_len: Statement,
    unclaim: Statement,
}

const SQL: [&str; 26] = [
    // claim
    "WITH c AS (
       UPDATE frontier f SET claimed_by = $2
       WHERE f.id IN (SELECT id FROM frontier WHERE host = $1 AND claimed_by IS NULL
                      ORDER BY priority, depth, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         AND EXISTS (SELECT 1 FROM hosts WHERE host = $1 AND lease_owner = $2)
       RETURNING f.id, f.url, f.host, f.depth, f.kind, f.attempts, f.hops, f.priority)
     SELECT c.id, c.url, c.host, c.depth, c.kind, c.attempts, c.hops, u.etag, u.last_modified,
            c.priority
     FROM c LEFT JOIN urls u ON u.url = c.url ORDER BY c.priority, c.depth, c.id",
    // url_info
    "SELECT status, content_hash, fetched_at FROM urls WHERE url = $1",
    // content_insert
    "INSERT INTO content(hash, url) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING",
    // content_owner
    "SELECT url FROM content WHERE hash = $1",
    // checkpoint
    "SELECT checkpoint FROM checkpoints WHERE worker = $1 AND output = $2",
    // host_row
    "INSERT INTO hosts(host) VALUES ($1) ON CONFLICT (host) DO NOTHING",
    // lease: the row locked or skipped; taken when free, ours or expired;
    // an expired holder's claims back in the frontier (locked in id order).
    "WITH old AS (
       SELECT host, lease_owner, lease_until FROM hosts WHERE host = $1 FOR UPDATE SKIP LOCKED),
     got AS (
       UPDATE hosts h SET lease_owner = $2, lease_until = newscrawl_now_ms() + $3
       FROM old WHERE h.host = old.host
         AND (old.lease_owner IS NULL OR old.lease_owner = $2 OR old.lease_until <= newscrawl_now_ms())
       RETURNING old.lease_owner AS old_owner, h.pause_until, h.robots_body, h.robots_at,
                 h.challenges),
     freed AS (
       UPDATE frontier SET claimed_by = NULL
       WHERE id IN (SELECT id FROM frontier
                    WHERE host = $1 AND claimed_by IS NOT NULL AND claimed_by <> $2
                      AND EXISTS (SELECT 1 FROM got)
                    ORDER BY id FOR UPDATE)
       RETURNING 1)
     SELECT old_owner, pause_until - newscrawl_now_ms(), robots_body,
            robots_at IS NOT NULL AND robots_at > newscrawl_now_ms() - $4, challenges
     FROM got",
    // renew
    "UPDATE hosts SET lease_until = newscrawl_now_ms() + $2
     WHERE lease_owner = $1 AND host = ANY($3) RETURNING host",
    // release
    "WITH r AS (UPDATE hosts SET lease_owner = NULL, lease_until = NULL
                WHERE host = $1 AND lease_owner = $2 RETURNING host)
     UPDATE frontier SET claimed_by = NULL
     WHERE host = $1 AND claimed_by = $2 AND EXISTS (SELECT 1 FROM r)",
    // hosts_with_work: distinct hosts of unclaimed entries by a loose index
    // scan, plus hosts of others' claims; without hosts another live holder
    // has paused beyond the long pause.
    "WITH RECURSIVE u AS (
       (SELECT host FROM frontier WHERE claimed_by IS NULL ORDER BY host LIMIT 1)
       UNION ALL
       SELECT (SELECT f.host FROM frontier f WHERE f.claimed_by IS NULL AND f.host > u.host
               ORDER BY f.host LIMIT 1)
       FROM u WHERE u.host IS NOT NULL),
     candidates AS (
       SELECT host FROM u WHERE host IS NOT NULL
       UNION
       SELECT host FROM frontier WHERE claimed_by IS NOT NULL AND claimed_by <> $1)
     SELECT c.host FROM candidates c LEFT JOIN hosts x ON x.host = c.host
     WHERE x.host IS NULL OR x.lease_owner IS NULL OR x.lease_owner = $1
        OR x.lease_until <= newscrawl_now_ms()
        OR COALESCE(x.pause_until, 0) <= newscrawl_now_ms() + $2
     ORDER BY c.host",
    // pause
    "UPDATE hosts SET pause_until = newscrawl_now_ms() + $2 WHERE host = $1 AND lease_owner = $3",
    // robots
    "UPDATE hosts SET robots_body = $2, robots_at = newscrawl_now_ms()
     WHERE host = $1 AND lease_owner = $3",
    // lock_claims
    "SELECT id FROM frontier WHERE id = ANY($1) AND claimed_by = $2 ORDER BY id FOR UPDATE",
    // delete_claim
    "DELETE FROM frontier WHERE id = $1",
    // add_url: known once; queued when new or forced.
    "WITH fresh AS (
       INSERT INTO urls(url, host, kind, status, first_seen, updated_at)
       VALUES ($1, $2, $4, 'queued', $7, $7) ON CONFLICT (url) DO NOTHING RETURNING 1)
     INSERT INTO frontier(url, host, depth, kind, priority, hops)
     SELECT $1::text, $2::text, $3::bigint, $4::bigint, $5::bigint, $6::bigint
     WHERE $8::boolean OR EXISTS (SELECT 1 FROM fresh)
     ON CONFLICT (url) DO NOTHING RETURNING host",
    // retry_claim
    "UPDATE frontier SET claimed_by = NULL, attempts = attempts + 1 WHERE id = $1",
    // release_claim
    "UPDATE frontier SET claimed_by = NULL WHERE id = $1",
    // end_url: a written URL stays written.
    "INSERT INTO urls(url, host, status, reason, http_status, etag, last_modified, content_hash,
                      first_seen, fetched_at, written_at, updated_at, yielded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9,
             CASE WHEN $3::text = 'written' THEN $9::bigint END, $9,
             CASE WHEN $10::boolean THEN $9::bigint END)
     ON CONFLICT (url) DO UPDATE SET
       status = CASE WHEN urls.status = 'written' THEN urls.status ELSE excluded.status END,
       reason = excluded.reason,
       http_status = COALESCE(excluded.http_status, urls.http_status),
       etag = COALESCE(excluded.etag, urls.etag),
       last_modified = COALESCE(excluded.last_modified, urls.last_modified),
       content_hash = COALESCE(excluded.content_hash, urls.content_hash),
       fetched_at = excluded.fetched_at,
       written_at = COALESCE(excluded.written_at, urls.written_at),
       updated_at = excluded.updated_at,
       yielded_at = COALESCE(excluded.yielded_at, urls.yielded_at)",
    // delete_alias
    "DELETE FROM frontier WHERE url = $1 AND claimed_by IS NULL",
    // add_fetches
    "UPDATE workers SET run_fetches = run_fetches + $2 WHERE worker = $1",
    // put_checkpoint
    "INSERT INTO checkpoints(worker, output, checkpoint) VALUES ($1, $2, $3)
     ON CONFLICT (worker, output) DO UPDATE SET checkpoint = excluded.checkpoint",
    // crawlers
    "SELECT COUNT(*) FROM workers WHERE alive_until > newscrawl_now_ms() AND run_active",
    // challenges
    "UPDATE hosts SET challenges = $2 WHERE host = $1 AND lease_owner = $3",
    // to_polled: a linked feed listed as a feed (a home page links it).
    "UPDATE urls SET kind = $2 WHERE url = $1 AND kind = $3",
    // frontier_len
    "SELECT COUNT(*) FROM frontier WHERE host = $1",
    // unclaim: claimed ahead but not handed out.
    "UPDATE frontier SET claimed_by = NULL WHERE id = ANY($1) AND claimed_by = $2",
];

impl Statements {
    async fn prepare(client: &tokio_postgres::Client) -> Result<Self> {
        let all = try_join_all(SQL.iter().map(|sql| client.prepare(sql))).await?;
        let mut it = all.into_iter();
        let mut next = || it.next().expect("one statement per SQL text");
        Ok(Self {
            claim: next(),
            url_info: next(),
            content_insert: next(),
            content_owner: next(),
            checkpoint: next(),
            host_row: next(),
            lease: next(),
            renew: next(),
            release: next(),
            hosts_with_work: next(),
            pause: next(),
            robots: next(),
            lock_claims: next(),
            delete_claim: next(),
            add_url: next(),
            retry_claim: next(),
            release_claim: next(),
            end_url: next(),
            delete_alias: next(),
            add_fetches: next(),
            put_checkpoint: next(),
            crawlers: next(),
            challenges: next(),
            to_polled: next(),
            frontier_len: next(),
            unclaim: next(),
        })
    }
}

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
            // The database's clock turned into this machine's.
            pause_until: pause_left.map(|left| now_ms() + left),
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

    fn do_stats(&mut self) -> Result<Stats> {
        let n = |r: &Row, i: usize| r.get::<_, i64>(i).max(0) as u64;
        let db = &self.db;
        let (counts, queued, per_host, paused, workers) = db.run(async {
            futures_util::try_join!(
                db.client.query_one(
                    "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'written'),
                            COUNT(*) FILTER (WHERE status = 'failed') FROM urls",
                    &[],
                ),
                db.client.query_one("SELECT COUNT(*) FROM frontier", &[]),
                db.client.query(
                    "SELECT host, COUNT(*), COUNT(*) FILTER (WHERE status = 'written'),
                            COUNT(*) FILTER (WHERE status = 'failed')
                     FROM urls GROUP BY host ORDER BY COUNT(*) DESC, host LIMIT 100",
                    &[],
                ),
                db.client.query(
                    "SELECT host, pause_until - newscrawl_now_ms() FROM hosts
                     WHERE pause_until > newscrawl_now_ms() ORDER BY host",
                    &[],
                ),
                db.client.query(
                    "SELECT w.worker, COALESCE(w.machine, '?') || ' pid ' || COALESCE(w.pid, 0),
                            (SELECT COUNT(*) FROM hosts h
                             WHERE h.lease_owner = w.worker AND h.lease_until > newscrawl_now_ms())
                     FROM workers w WHERE w.alive_until > newscrawl_now_ms() ORDER BY w.worker",
                    &[],
                ),
            )
        })?;
        let now = now_ms();
        Ok(Stats {
            urls: n(&counts, 0),
            written: n(&counts, 1),
            failed: n(&counts, 2),
            queued: n(&queued, 0),
            per_host: per_host
                .iter()
                .map(|r| (r.get(0), n(r, 1), n(r, 2), n(r, 3)))
                .collect(),
            paused: paused
                .iter()
                .map(|r| (r.get(0), now + r.get::<_, i64>(1)))
                .collect(),
            workers: workers
                .iter()
                .map(|r| (r.get(0), r.get(1), n(r, 2)))
                .collect(),
        })
    }

    fn do_prune(&mut self, before_ms: i64) -> Result<u64> {
        let max_age = ROBOTS_MAX_AGE.as_millis() as i64;
        let db = &mut self.db;
        wait(async {
            let tx = db.client.transaction().await?;
            let n = tx
                .execute(
                    "DELETE FROM urls WHERE updated_at < $1 AND status <> 'queued'
                     AND NOT EXISTS (SELECT 1 FROM frontier f WHERE f.url = urls.url)",
                    &[&before_ms],
                )
                .await?;
            tx.execute(
                "DELETE FROM content c WHERE NOT EXISTS (SELECT 1 FROM urls u WHERE u.url = c.url)",
                &[],
            )
            .await?;
            tx.execute(
                "DELETE FROM hosts WHERE (lease_owner IS NULL OR lease_until < newscrawl_now_ms())
                   AND COALESCE(pause_until, 0) < newscrawl_now_ms() AND challenges = 0
                   AND COALESCE(robots_at, 0) < newscrawl_now_ms() - $1
                   AND NOT EXISTS (SELECT 1 FROM frontier f WHERE f.host = hosts.host)",
                &[&max_age],
            )
            .await?;
            tx.commit().await?;
            Ok(n)
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
