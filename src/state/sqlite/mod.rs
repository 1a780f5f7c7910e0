//! [`CrawlState`] on an embedded SQLite database (bundled), WAL mode.
//!
//! Exactly-once output rests on one rule: an output's checkpoint after a
//! batch of records is stored in the same transaction that marks those
//! articles written (and removes them from the frontier), after the output
//! was made durable. `synchronous=NORMAL` may lose the last transactions on
//! power loss, but never one without the others, so the output tail they
//! covered is cut off on the next start and its articles fetched again.
//!
//! One process holds the state at a time (the [`StateLock`]), so a host
//! lease is granted whenever asked and never lost; claims and content-hash
//! claims ride in one write transaction with the next commit.

mod batch;
mod checkpoint;
pub mod schema;

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::config::DbConfig;
use rusqlite::{params, Connection, OptionalExtension};

use super::drift::DriftTable;
use super::{
    host_of, now_ms, Batch, Checkpoint, Claim, ContentClaim, CrawlState, HostLease, OutputOwner,
    SiteDrift, StateLock, Stats, UrlInfo, UrlKind, UrlStatus,
};
use crate::limits::FEED_YIELD_WINDOW;
pub use schema::SCHEMA_VERSION;

/// The SQLite state file.
pub struct SqliteState {
    /// A crawl's (a locked state's) WAL checkpoints, off its thread.
    checkpointer: Option<checkpoint::Checkpointer>,
    conn: Connection,
    path: String,
    owner: OutputOwner,
    /// A write transaction is open, begun by a claim. Claims are run state
    /// only (every run starts by releasing them), so they need not be
    /// durable on their own: they ride along with the next [`commit`]
    /// instead of costing a WAL commit each.
    ///
    /// [`commit`]: CrawlState::commit
    tx_open: bool,
    /// Entries claimed ahead, per host, handed out one by one: one query
    /// claims [`CLAIM_AHEAD`] entries instead of one.
    claimed_ahead: HashMap<String, VecDeque<Claim>>,
    /// Hosts leased by this run.
    leased: HashSet<String>,
    /// Held for as long as the state is open for a crawl.
    _lock: Option<StateLock>,
}

/// Frontier entries of one host claimed by one query.
const CLAIM_AHEAD: usize = 8;

/// The next [`CLAIM_AHEAD`] (`?2`) entries of host `?1`.
const CLAIM_SQL: &str =
    "SELECT f.id, f.url, f.host, f.depth, f.kind, f.attempts, f.hops, u.etag, u.last_modified, f.priority
     FROM frontier f LEFT JOIN urls u ON u.url=f.url
     WHERE f.host=?1 AND f.claimed=0 ORDER BY f.priority, f.depth, f.id LIMIT ?2";

/// Marks [`CLAIM_AHEAD`] frontier entries claimed, by id.
const CLAIM_MARK_SQL: &str = "UPDATE frontier SET claimed=1 WHERE id IN (?1,?2,?3,?4,?5,?6,?7,?8)";
const _: () = assert!(CLAIM_AHEAD == 8, "CLAIM_MARK_SQL lists 8 ids");

impl std::fmt::Debug for SqliteState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteState")
            .field("path", &self.path)
            .finish()
    }
}

impl Drop for SqliteState {
    fn drop(&mut self) {
        // The checkpoint connection closes first: the crawl's, the last,
        // then checkpoints the WAL whole and removes it.
        if let Some(c) = &mut self.checkpointer {
            c.stop(&mut self.conn);
        }
    }
}

impl SqliteState {
    /// Opens (creating or migrating) the state file at `path`, without the
    /// lock (for inspection, or when the caller holds it).
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, None)
    }

    /// Takes the state's lock, then opens it: for a crawl or a prune.
    pub fn open_locked(path: &Path) -> Result<Self> {
        let lock = StateLock::acquire(path)?;
        Self::open_with(path, Some(lock))
    }

    fn open_with(path: &Path, lock: Option<StateLock>) -> Result<Self> {
        let name = path.display().to_string();
        let mut conn =
            Connection::open(path).with_context(|| format!("{name}: cannot open state file"))?;
        let id = Self::init(&mut conn).with_context(|| format!("{name}: cannot use state file"))?;
        // A crawl cycles through about 25 cached statements (claims, lookups
        // and a commit's); the default cache of 16 would prepare some again
        // at every commit.
        conn.set_prepared_statement_cache_capacity(64);
        let checkpointer = match lock {
            Some(_) => Some(
                checkpoint::Checkpointer::start(&mut conn, path)
                    .with_context(|| format!("{name}: cannot use state file"))?,
            ),
            None => None,
        };
        let file = crate::paths::resolve(path);
        Ok(Self {
            checkpointer,
            conn,
            owner: OutputOwner {
                id,
                label: file.display().to_string(),
                file: Some(file),
            },
            path: name,
            tx_open: false,
            claimed_ahead: HashMap::new(),
            leased: HashSet::new(),
            _lock: lock,
        })
    }

    fn init(conn: &mut Connection) -> Result<String> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // Plans that do not depend on bound values. Otherwise SQLite marks
        // a parameter whose value the planner looked at (a `LIMIT ?`, an
        // `x=?` it estimates) as "prepare again when bound anew", and the
        // statement cache clears every statement's bindings when it takes
        // it back: each cached statement with such a parameter (the claim
        // query among them) was prepared again at every use.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(conn)?;
        schema::state_id(conn)
    }

    /// "`path`: `what`", for errors: every error names the state file.
    fn ctx(&self, what: &str) -> String {
        format!("{}: {what}", self.path)
    }

    fn meta_i64(&self, key: &str) -> Result<i64> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key=?1", [key], |r| r.get(0))
            .optional()?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    fn set_meta(&self, key: &str, value: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key,value) VALUES(?1,?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            params![key, value.to_string()],
        )?;
        Ok(())
    }

    /// Opens the write transaction claims ride in, if not open yet.
    fn open_tx(&mut self) -> Result<()> {
        if !self.tx_open {
            self.conn.execute_batch("BEGIN")?;
            self.tx_open = true;
        }
        Ok(())
    }

    /// Commits the transaction claims left open, before a write of its own.
    fn settle(&mut self) -> Result<()> {
        if self.tx_open {
            self.tx_open = false;
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    /// Removes `url` from the entries claimed ahead; returns their ids.
    fn drop_claimed_ahead(&mut self, url: &str) -> Vec<i64> {
        let host = host_of(url);
        let Some(queue) = self.claimed_ahead.get_mut(&host) else {
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

    fn do_begin_run(&mut self) -> Result<u64> {
        self.settle()?;
        self.claimed_ahead.clear();
        self.leased.clear();
        self.conn
            .execute("UPDATE frontier SET claimed=0 WHERE claimed<>0", [])?;
        // Polled feeds, and linked feeds that yielded new URLs lately: revisit
        // them (conditionally).
        let recent = now_ms() - FEED_YIELD_WINDOW.as_millis() as i64;
        self.conn.execute(
            "INSERT OR IGNORE INTO frontier(url,host,depth,kind,priority,hops)
             SELECT url, host, 0, kind, 0, 0 FROM urls WHERE status=?2
             AND (kind=?1 OR (kind=?3 AND yielded_at >= ?4))",
            params![
                UrlKind::Feed.code(),
                UrlStatus::Visited,
                UrlKind::LinkedFeed.code(),
                recent
            ],
        )?;
        let fetches = if self.meta_i64("run_active")? == 1 {
            self.meta_i64("run_fetches")?.max(0) as u64
        } else {
            self.set_meta("run_fetches", 0)?;
            self.set_meta("run_id", self.meta_i64("run_id")? + 1)?;
            self.conn.execute_batch(&super::drift::prune_sql())?;
            0
        };
        self.set_meta("run_active", 1)?;
        Ok(fetches)
    }

    fn do_end_run(&mut self, completed: bool) -> Result<()> {
        self.settle()?;
        self.claimed_ahead.clear();
        self.leased.clear();
        if completed {
            self.set_meta("run_active", 0)?;
            self.set_meta("run_fetches", 0)?;
        }
        self.conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE);")?;
        Ok(())
    }

    fn do_claim_next(&mut self, host: &str) -> Result<Option<Claim>> {
        if !self.leased.contains(host) {
            return Ok(None);
        }
        if let Some(c) = self
            .claimed_ahead
            .get_mut(host)
            .and_then(VecDeque::pop_front)
        {
            return Ok(Some(c));
        }
        let rows: Vec<(i64, Claim)> = self
            .conn
            .prepare_cached(CLAIM_SQL)?
            .query_map(params![host, CLAIM_AHEAD as i64], |r| {
                let claim = Claim {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    host: r.get(2)?,
                    depth: r.get::<_, i64>(3)?.max(0) as u32,
                    kind: UrlKind::from_code(r.get(4)?),
                    attempts: r.get::<_, i64>(5)?.max(0) as u32,
                    hops: r.get::<_, i64>(6)?.max(0) as u32,
                    etag: r.get(7)?,
                    last_modified: r.get(8)?,
                };
                Ok((r.get(9)?, claim))
            })?
            .collect::<Result<_, _>>()?;
        // Claimed ahead: entries of the first one's priority only, so that
        // what the first one adds (a sitemap's articles, sorted before the
        // next sitemap) is claimed before what follows it.
        let first_priority = rows.first().map(|r| r.0);
        let claims: Vec<Claim> = rows
            .into_iter()
            .take_while(|r| Some(r.0) == first_priority)
            .map(|r| r.1)
            .collect();
        if claims.is_empty() {
            return Ok(None);
        }
        self.open_tx()?;
        // One statement for the whole claim (the list padded with its first
        // id, so that one cached statement serves every length).
        let ids: Vec<i64> = (0..CLAIM_AHEAD)
            .map(|i| claims.get(i).unwrap_or(&claims[0]).id)
            .collect();
        self.conn
            .prepare_cached(CLAIM_MARK_SQL)?
            .execute(rusqlite::params_from_iter(ids))?;
        let mut claims: VecDeque<Claim> = claims.into();
        let first = claims.pop_front();
        self.claimed_ahead.insert(host.to_string(), claims);
        Ok(first)
    }

    fn do_release_host(&mut self, host: &str) -> Result<()> {
        self.leased.remove(host);
        self.claimed_ahead.remove(host);
        self.open_tx()?;
        self.conn
            .prepare_cached("UPDATE frontier SET claimed=0 WHERE host=?1 AND claimed<>0")?
            .execute([host])?;
        Ok(())
    }

    fn do_lease_host(&mut self, host: &str) -> Result<Option<HostLease>> {
        let stored: Option<(i64, i64)> = self
            .conn
            .prepare_cached("SELECT pause_until, challenges FROM hosts WHERE host=?1")?
            .query_row([host], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        self.leased.insert(host.to_string());
        // One process at a time: no lease to take over, and robots.txt is
        // read once per run.
        let mut lease = HostLease::new(host, stored.map(|s| s.0));
        lease.challenges = stored.map_or(0, |s| s.1.clamp(0, i64::from(u32::MAX)) as u32);
        Ok(Some(lease))
    }

    fn do_claim_content(&mut self, hash: &str, url: &str) -> Result<ContentClaim> {
        // In the open transaction: committed with the batch that writes the
        // URL, or rolled back with it.
        self.open_tx()?;
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT INTO content(hash,url) VALUES(?1,?2) ON CONFLICT(hash) DO NOTHING",
            )?
            .execute([hash, url])?;
        if inserted == 1 {
            return Ok(ContentClaim::Owned);
        }
        let owner: String = self
            .conn
            .prepare_cached("SELECT url FROM content WHERE hash=?1")?
            .query_row([hash], |r| r.get(0))?;
        Ok(if owner == url {
            ContentClaim::Owned
        } else {
            ContentClaim::OwnedBy(owner)
        })
    }

    fn do_commit(&mut self, batch: &Batch) -> Result<Vec<String>> {
        // One transaction: the claims made since the last commit, then the batch.
        self.open_tx()?;
        self.tx_open = false;
        // An alias of a page just finished is not fetched again, even when
        // it was already claimed ahead.
        let dropped: Vec<i64> = batch
            .results
            .iter()
            .filter_map(|d| d.alias.as_deref())
            .flat_map(|alias| self.drop_claimed_ahead(alias))
            .collect();
        let written = dropped
            .iter()
            .try_for_each(|id| {
                self.conn
                    .prepare_cached("DELETE FROM frontier WHERE id=?1")?
                    .execute([id])
                    .map(drop)
            })
            .map_err(anyhow::Error::from)
            .and_then(|()| batch::write(&self.conn, batch));
        match written {
            Ok(hosts) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(hosts)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn do_stats(&mut self) -> Result<Stats> {
        let count = |sql: &str, status: Option<UrlStatus>| -> Result<u64> {
            let n: i64 = match status {
                Some(s) => self.conn.query_row(sql, [s], |r| r.get(0))?,
                None => self.conn.query_row(sql, [], |r| r.get(0))?,
            };
            Ok(n.max(0) as u64)
        };
        let by_status = "SELECT COUNT(*) FROM urls WHERE status=?1";
        let mut s = Stats {
            urls: count("SELECT COUNT(*) FROM urls", None)?,
            written: count(by_status, Some(UrlStatus::Written))?,
            failed: count(by_status, Some(UrlStatus::Failed))?,
            queued: count("SELECT COUNT(*) FROM frontier", None)?,
            per_host: Vec::new(),
            paused: Vec::new(),
            workers: Vec::new(),
        };
        let mut st = self.conn.prepare(
            "SELECT host, COUNT(*), SUM(status=?1), SUM(status=?2) FROM urls
             GROUP BY host ORDER BY COUNT(*) DESC LIMIT 100",
        )?;
        let rows = st.query_map([UrlStatus::Written, UrlStatus::Failed], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?.max(0) as u64,
                r.get::<_, i64>(2)?.max(0) as u64,
                r.get::<_, i64>(3)?.max(0) as u64,
            ))
        })?;
        s.per_host = rows.collect::<Result<_, _>>()?;
        let mut st = self
            .conn
            .prepare("SELECT host, pause_until FROM hosts WHERE pause_until > ?1 ORDER BY host")?;
        let rows = st.query_map([now_ms()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        s.paused = rows.collect::<Result<_, _>>()?;
        Ok(s)
    }

    fn do_prune(&mut self, before_ms: i64) -> Result<u64> {
        self.settle()?;
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "DELETE FROM urls WHERE updated_at < ?1 AND status <> ?2
             AND NOT EXISTS (SELECT 1 FROM frontier f WHERE f.url = urls.url)",
            params![before_ms, UrlStatus::Queued],
        )?;
        tx.execute(
            "DELETE FROM content WHERE NOT EXISTS (SELECT 1 FROM urls u WHERE u.url = content.url)",
            [],
        )?;
        tx.execute(
            "DELETE FROM hosts WHERE pause_until < ?1 AND challenges = 0",
            [now_ms()],
        )?;
        tx.commit()?;
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(n as u64)
    }
}

impl CrawlState for SqliteState {
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
        let r = self.settle().and_then(|()| {
            Ok(self.conn.execute(
                "INSERT OR IGNORE INTO frontier(url,host,depth,kind,priority,hops)
                 SELECT url, host, 1, 0, 2, 0 FROM urls WHERE status=?1 AND fetched_at < ?2",
                params![UrlStatus::Written, before_ms],
            )? as u64)
        });
        r.with_context(|| self.ctx("cannot queue re-fetches"))
    }

    fn hosts_with_work(&mut self) -> Result<Vec<String>> {
        let r = (|| -> Result<Vec<String>> {
            let mut st = self
                .conn
                .prepare("SELECT DISTINCT host FROM frontier WHERE claimed=0")?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })();
        r.with_context(|| self.ctx("cannot list hosts"))
    }

    fn frontier_len(&mut self, host: &str) -> Result<u64> {
        let r = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM frontier WHERE host=?1")
            .and_then(|mut st| st.query_row([host], |r| r.get::<_, i64>(0)));
        r.map(|n| n.max(0) as u64)
            .with_context(|| self.ctx(&format!("cannot count the frontier of {host}")))
    }

    fn lease_host(&mut self, host: &str, _ttl: Duration) -> Result<Option<HostLease>> {
        self.do_lease_host(host)
            .with_context(|| self.ctx(&format!("cannot lease host {host}")))
    }

    fn renew_leases(&mut self, _ttl: Duration) -> Result<Vec<String>> {
        // The state lock keeps every other process out: nothing is ever lost.
        Ok(Vec::new())
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
        let r = self
            .conn
            .prepare_cached("SELECT status, content_hash, fetched_at FROM urls WHERE url=?1")
            .and_then(|mut st| {
                st.query_row([url], |r| {
                    Ok(UrlInfo {
                        status: r.get(0)?,
                        content_hash: r.get(1)?,
                        fetched_at: r.get(2)?,
                    })
                })
                .optional()
            });
        r.with_context(|| self.ctx(&format!("cannot read {url}")))
    }

    fn claim_content(&mut self, hash: &str, url: &str) -> Result<ContentClaim> {
        self.do_claim_content(hash, url)
            .with_context(|| self.ctx(&format!("cannot claim the content of {url}")))
    }

    fn checkpoint(&mut self, output: &str) -> Result<Option<Checkpoint>> {
        let r = self
            .conn
            .prepare_cached("SELECT checkpoint FROM checkpoints WHERE output=?1")
            .and_then(|mut st| st.query_row([output], |r| r.get(0)).optional());
        r.map(|c| c.map(Checkpoint))
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
        self.do_drift_history()
            .with_context(|| self.ctx("cannot read the drift counts"))
    }
}

impl SqliteState {
    fn do_drift_history(&mut self) -> Result<Vec<SiteDrift>> {
        let mut table = DriftTable::default();
        let n = |v: i64| v.max(0) as u64;
        let mut runs = self.conn.prepare(super::drift::SELECT_RUNS)?;
        let mut rows = runs.query([])?;
        while let Some(r) = rows.next()? {
            table.add_totals(
                r.get(0)?,
                r.get(1)?,
                n(r.get(2)?),
                n(r.get(3)?),
                n(r.get(4)?),
            );
        }
        let mut lengths = self.conn.prepare(super::drift::SELECT_LENGTHS)?;
        let mut rows = lengths.query([])?;
        while let Some(r) = rows.next()? {
            table.add_bucket(r.get(0)?, r.get(1)?, r.get(2)?, n(r.get(3)?));
        }
        let current = (self.meta_i64("run_active")? == 1)
            .then(|| self.meta_i64("run_id"))
            .transpose()?;
        Ok(table.history(current))
    }
}

#[cfg(test)]
mod tests;
