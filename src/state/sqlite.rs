//! [`CrawlState`] on an embedded SQLite database (bundled), WAL mode.
//!
//! Exactly-once output rests on one rule: the output file's length after a
//! batch of lines is stored in the same transaction that marks those
//! articles written (and removes them from the frontier), after the output
//! was synced. `synchronous=NORMAL` may lose the last transactions on power
//! loss, but never one without the others, so the output tail they covered
//! is truncated on the next start and its articles fetched again.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::Path;

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, OptionalExtension};

use super::{now_ms, Batch, Claim, CrawlState, Outcome, Stats, UrlInfo, UrlKind};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA_V1: &str = "
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE urls(
  url TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  kind INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  reason TEXT,
  http_status INTEGER,
  etag TEXT,
  last_modified TEXT,
  content_hash TEXT,
  first_seen INTEGER NOT NULL,
  fetched_at INTEGER,
  written_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX urls_hash ON urls(content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX urls_host ON urls(host);
CREATE INDEX urls_written ON urls(status, fetched_at);
CREATE TABLE frontier(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL UNIQUE,
  host TEXT NOT NULL,
  depth INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  hops INTEGER NOT NULL DEFAULT 0,
  claimed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX frontier_next ON frontier(host, claimed, priority, depth, id);
CREATE TABLE hosts(host TEXT PRIMARY KEY, pause_until INTEGER NOT NULL);
CREATE TABLE outputs(path TEXT PRIMARY KEY, length INTEGER NOT NULL);
";

/// The SQLite state file.
pub struct SqliteState {
    conn: Connection,
    path: String,
    /// A write transaction is open, begun by a claim. Claims are run state
    /// only (every run starts by releasing them), so they need not be
    /// durable on their own: they ride along with the next [`commit`]
    /// instead of costing a WAL commit each.
    ///
    /// [`commit`]: CrawlState::commit
    claims_open: bool,
    /// Entries claimed ahead, per host, handed out one by one: one query
    /// claims [`CLAIM_AHEAD`] entries instead of one.
    claimed_ahead: HashMap<String, VecDeque<Claim>>,
}

/// The host key of a URL as the frontier stores it (empty when unparsable).
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| crate::extract::host_with_port(&u))
        .unwrap_or_default()
}

/// Frontier entries of one host claimed by one query.
const CLAIM_AHEAD: usize = 8;

impl std::fmt::Debug for SqliteState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteState")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteState {
    /// Opens (creating or migrating) the state file at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let name = path.display().to_string();
        let conn =
            Connection::open(path).with_context(|| format!("{name}: cannot open state file"))?;
        let mut s = Self {
            conn,
            path: name,
            claims_open: false,
            claimed_ahead: HashMap::new(),
        };
        s.init()
            .with_context(|| format!("{}: cannot use state file", s.path))?;
        Ok(s)
    }

    fn init(&mut self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        match version {
            0 => {
                let tx = self.conn.transaction()?;
                tx.execute_batch(SCHEMA_V1)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
                tx.commit()?;
            }
            SCHEMA_VERSION => {}
            v if v > SCHEMA_VERSION => {
                bail!("schema version {v} is newer than this newscrawl understands ({SCHEMA_VERSION})")
            }
            v => bail!("unknown schema version {v}"),
        }
        Ok(())
    }

    fn meta_i64(&self, key: &str) -> Result<i64> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key=?1", [key], |r| r.get(0))
            .optional()?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// The statements of [`CrawlState::commit`], inside its transaction.
    fn write_batch(&self, batch: &Batch) -> Result<Vec<String>> {
        let now = now_ms();
        let mut hosts = BTreeSet::new();
        let tx = &self.conn;
        {
            let mut add_url = tx.prepare_cached(
                "INSERT OR IGNORE INTO urls(url,host,kind,status,first_seen,updated_at) VALUES(?1,?2,?4,'queued',?3,?3)",
            )?;
            let mut add_frontier = tx.prepare_cached(
                "INSERT OR IGNORE INTO frontier(url,host,depth,kind,priority,hops) VALUES(?1,?2,?3,?4,?5,?6)",
            )?;
            for n in &batch.new_urls {
                let fresh = add_url.execute(params![n.url, n.host, now, n.kind.code()])? == 1;
                if (fresh || n.force)
                    && add_frontier.execute(params![
                        n.url,
                        n.host,
                        n.depth,
                        n.kind.code(),
                        n.priority,
                        n.hops
                    ])? == 1
                {
                    hosts.insert(n.host.clone());
                }
            }
            let mut finish = tx.prepare_cached(
                "INSERT INTO urls(url,host,status,reason,http_status,etag,last_modified,content_hash,first_seen,fetched_at,written_at,updated_at)
                 VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?9,CASE WHEN ?3='written' THEN ?9 END,?9)
                 ON CONFLICT(url) DO UPDATE SET
                   status=CASE WHEN status='written' THEN 'written' ELSE excluded.status END,
                   reason=excluded.reason, http_status=COALESCE(excluded.http_status,http_status),
                   etag=COALESCE(excluded.etag,etag), last_modified=COALESCE(excluded.last_modified,last_modified),
                   content_hash=COALESCE(excluded.content_hash,content_hash),
                   fetched_at=excluded.fetched_at, written_at=COALESCE(excluded.written_at,written_at),
                   updated_at=excluded.updated_at",
            )?;
            let mut del = tx.prepare_cached("DELETE FROM frontier WHERE id=?1")?;
            let mut del_alias =
                tx.prepare_cached("DELETE FROM frontier WHERE url=?1 AND claimed=0")?;
            let mut retry = tx
                .prepare_cached("UPDATE frontier SET claimed=0, attempts=attempts+1 WHERE id=?1")?;
            let mut release = tx.prepare_cached("UPDATE frontier SET claimed=0 WHERE id=?1")?;
            let mut counted = 0i64;
            for d in &batch.done {
                match &d.outcome {
                    Outcome::Retry => {
                        retry.execute([d.claim_id])?;
                    }
                    Outcome::Release => {
                        release.execute([d.claim_id])?;
                    }
                    Outcome::Finished(f) => {
                        // The URL with all the fetch learnt; its alias with
                        // the status only.
                        let mut store = |url: &str, full: bool| {
                            finish.execute(params![
                                url,
                                host_of(url),
                                f.status,
                                f.reason,
                                f.http_status,
                                f.etag.as_ref().filter(|_| full),
                                f.last_modified.as_ref().filter(|_| full),
                                f.content_hash.as_ref().filter(|_| full),
                                now
                            ])
                        };
                        store(&d.url, true)?;
                        if let Some(alias) = &d.alias {
                            store(alias, false)?;
                        }
                        del.execute([d.claim_id])?;
                        if let Some(alias) = &d.alias {
                            del_alias.execute([alias])?;
                        }
                        counted += i64::from(f.counted);
                    }
                }
            }
            if counted > 0 {
                tx.execute(
                    "INSERT INTO meta(key,value) VALUES('run_fetches',?1)
                     ON CONFLICT(key) DO UPDATE SET value=CAST(value AS INTEGER)+?1",
                    [counted],
                )?;
            }
            let mut pause = tx.prepare_cached(
                "INSERT INTO hosts(host,pause_until) VALUES(?1,?2)
                 ON CONFLICT(host) DO UPDATE SET pause_until=excluded.pause_until",
            )?;
            for (h, until) in &batch.host_pauses {
                pause.execute(params![h, until])?;
            }
            if let Some((path, len)) = &batch.output {
                tx.execute(
                    "INSERT INTO outputs(path,length) VALUES(?1,?2) ON CONFLICT(path) DO UPDATE SET length=excluded.length",
                    params![path, *len as i64],
                )?;
            }
        }
        Ok(hosts.into_iter().collect())
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

    /// Commits the transaction claims left open, before a write of its own.
    fn settle(&mut self) -> Result<()> {
        if self.claims_open {
            self.claims_open = false;
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    fn set_meta(&self, key: &str, value: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key,value) VALUES(?1,?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            params![key, value.to_string()],
        )?;
        Ok(())
    }
}

impl CrawlState for SqliteState {
    fn begin_run(&mut self) -> Result<u64> {
        self.settle()?;
        self.claimed_ahead.clear();
        self.conn
            .execute("UPDATE frontier SET claimed=0 WHERE claimed<>0", [])?;
        // Feeds found on pages are sources too: revisit them (conditionally).
        self.conn.execute(
            "INSERT OR IGNORE INTO frontier(url,host,depth,kind,priority,hops)
             SELECT url, host, 0, kind, 0, 0 FROM urls WHERE kind=?1 AND status='done'",
            [UrlKind::Feed.code()],
        )?;
        let fetches = if self.meta_i64("run_active")? == 1 {
            self.meta_i64("run_fetches")?.max(0) as u64
        } else {
            self.set_meta("run_fetches", 0)?;
            0
        };
        self.set_meta("run_active", 1)?;
        Ok(fetches)
    }

    fn end_run(&mut self, completed: bool) -> Result<()> {
        self.settle()?;
        if completed {
            self.set_meta("run_active", 0)?;
            self.set_meta("run_fetches", 0)?;
        }
        self.conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE);")?;
        Ok(())
    }

    fn queue_refetch(&mut self, before_ms: i64) -> Result<u64> {
        self.settle()?;
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO frontier(url,host,depth,kind,priority,hops)
             SELECT url, host, 1, 0, 2, 0 FROM urls WHERE status='written' AND fetched_at < ?1",
            [before_ms],
        )?;
        Ok(n as u64)
    }

    fn hosts_with_work(&mut self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT host FROM frontier WHERE claimed=0")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn claim_next(&mut self, host: &str) -> Result<Option<Claim>> {
        if let Some(c) = self
            .claimed_ahead
            .get_mut(host)
            .and_then(VecDeque::pop_front)
        {
            return Ok(Some(c));
        }
        let claims: Vec<Claim> = self
            .conn
            .prepare_cached(
                "SELECT f.id, f.url, f.host, f.depth, f.kind, f.attempts, f.hops, u.etag, u.last_modified
                 FROM frontier f LEFT JOIN urls u ON u.url=f.url
                 WHERE f.host=?1 AND f.claimed=0 ORDER BY f.priority, f.depth, f.id LIMIT ?2",
            )?
            .query_map(params![host, CLAIM_AHEAD as i64], |r| {
                Ok(Claim {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    host: r.get(2)?,
                    depth: r.get::<_, i64>(3)?.max(0) as u32,
                    kind: UrlKind::from_code(r.get(4)?),
                    attempts: r.get::<_, i64>(5)?.max(0) as u32,
                    hops: r.get::<_, i64>(6)?.max(0) as u32,
                    etag: r.get(7)?,
                    last_modified: r.get(8)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        if claims.is_empty() {
            return Ok(None);
        }
        if !self.claims_open {
            self.conn.execute_batch("BEGIN")?;
            self.claims_open = true;
        }
        {
            let mut claim = self
                .conn
                .prepare_cached("UPDATE frontier SET claimed=1 WHERE id=?1")?;
            for c in &claims {
                claim.execute([c.id])?;
            }
        }
        let mut claims: VecDeque<Claim> = claims.into();
        let first = claims.pop_front();
        self.claimed_ahead.insert(host.to_string(), claims);
        Ok(first)
    }

    fn url_info(&mut self, url: &str) -> Result<Option<UrlInfo>> {
        Ok(self
            .conn
            .prepare_cached("SELECT status, content_hash, fetched_at FROM urls WHERE url=?1")?
            .query_row([url], |r| {
                Ok(UrlInfo {
                    status: r.get(0)?,
                    content_hash: r.get(1)?,
                    fetched_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn hash_owner(&mut self, hash: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT url FROM urls WHERE content_hash=?1 LIMIT 1")?
            .query_row([hash], |r| r.get(0))
            .optional()?)
    }

    fn host_pause(&mut self, host: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT pause_until FROM hosts WHERE host=?1")?
            .query_row([host], |r| r.get(0))
            .optional()?)
    }

    fn output_length(&mut self, path: &str) -> Result<Option<u64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT length FROM outputs WHERE path=?1")?
            .query_row([path], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|n| n.max(0) as u64))
    }

    fn commit(&mut self, batch: &Batch) -> Result<Vec<String>> {
        // One transaction: the claims made since the last commit, then the batch.
        if !self.claims_open {
            self.conn.execute_batch("BEGIN")?;
        }
        self.claims_open = false;
        // An alias of a page just finished is not fetched again, even when
        // it was already claimed ahead.
        let dropped: Vec<i64> = batch
            .done
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
            .and_then(|()| self.write_batch(batch));
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

    fn stats(&mut self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as u64)
        };
        let mut s = Stats {
            urls: count("SELECT COUNT(*) FROM urls")?,
            written: count("SELECT COUNT(*) FROM urls WHERE status='written'")?,
            failed: count("SELECT COUNT(*) FROM urls WHERE status='failed'")?,
            queued: count("SELECT COUNT(*) FROM frontier")?,
            per_host: Vec::new(),
        };
        let mut st = self.conn.prepare(
            "SELECT host, COUNT(*), SUM(status='written'), SUM(status='failed') FROM urls
             GROUP BY host ORDER BY COUNT(*) DESC LIMIT 100",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?.max(0) as u64,
                r.get::<_, i64>(2)?.max(0) as u64,
                r.get::<_, i64>(3)?.max(0) as u64,
            ))
        })?;
        s.per_host = rows.collect::<Result<_, _>>()?;
        Ok(s)
    }

    fn prune(&mut self, before_ms: i64) -> Result<u64> {
        self.settle()?;
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "DELETE FROM urls WHERE updated_at < ?1 AND status <> 'queued'
             AND NOT EXISTS (SELECT 1 FROM frontier f WHERE f.url = urls.url)",
            [before_ms],
        )?;
        tx.execute("DELETE FROM hosts WHERE pause_until < ?1", [now_ms()])?;
        tx.commit()?;
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Done, Finished, NewUrl};

    fn new(url: &str, force: bool) -> NewUrl {
        NewUrl {
            url: url.into(),
            host: "h".into(),
            depth: 1,
            kind: UrlKind::Page,
            priority: 2,
            hops: 0,
            force,
        }
    }

    #[test]
    fn claims_ahead_are_handed_out_once_each_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteState::open(&dir.path().join("s.db")).unwrap();
        s.begin_run().unwrap();
        let urls: Vec<String> = (0..20).map(|i| format!("http://h/{i:02}")).collect();
        s.commit(&Batch {
            new_urls: urls.iter().map(|u| new(u, false)).collect(),
            ..Default::default()
        })
        .unwrap();
        let mut got = Vec::new();
        while let Some(c) = s.claim_next("h").unwrap() {
            got.push(c.url);
        }
        assert_eq!(got, urls);
        // A new run releases what was claimed (ahead or not).
        s.end_run(false).unwrap();
        s.begin_run().unwrap();
        assert_eq!(s.claim_next("h").unwrap().unwrap().url, "http://h/00");
    }

    #[test]
    fn frontier_commit_and_resume() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut s = SqliteState::open(&path).unwrap();
        assert_eq!(s.begin_run().unwrap(), 0);
        let b = Batch {
            new_urls: vec![
                new("http://h/a", false),
                new("http://h/b", false),
                new("http://h/a", false),
            ],
            ..Default::default()
        };
        assert_eq!(s.commit(&b).unwrap(), ["h"]);
        let c = s.claim_next("h").unwrap().unwrap();
        assert_eq!(c.url, "http://h/a");
        let done = Batch {
            done: vec![Done {
                claim_id: c.id,
                url: c.url.clone(),
                outcome: Outcome::Finished(
                    Finished::new("written")
                        .http(200)
                        .validators(Some("\"x\"".into()), None)
                        .content_hash("abc".into()),
                ),
                alias: Some("http://h/b".into()),
            }],
            output: Some(("out".into(), 42)),
            ..Default::default()
        };
        s.commit(&done).unwrap();
        assert_eq!(s.output_length("out").unwrap(), Some(42));
        assert_eq!(s.hash_owner("abc").unwrap().as_deref(), Some("http://h/a"));
        // The alias left the frontier.
        assert!(s.claim_next("h").unwrap().is_none());
        // Seen URLs are not queued again unless forced.
        s.commit(&Batch {
            new_urls: vec![new("http://h/a", false)],
            ..Default::default()
        })
        .unwrap();
        assert!(s.claim_next("h").unwrap().is_none());
        s.commit(&Batch {
            new_urls: vec![new("http://h/a", true)],
            ..Default::default()
        })
        .unwrap();
        let c = s.claim_next("h").unwrap().unwrap();
        assert_eq!(c.etag.as_deref(), Some("\"x\""));
        drop(s);
        // A killed run: the claim is released and the count kept.
        let mut s = SqliteState::open(&path).unwrap();
        assert_eq!(s.begin_run().unwrap(), 1);
        assert!(s.claim_next("h").unwrap().is_some());
        s.end_run(true).unwrap();
        assert_eq!(s.begin_run().unwrap(), 0);
        assert_eq!(s.stats().unwrap().written, 2);
    }
}
