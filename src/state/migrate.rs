//! `newscrawl state migrate --from newscrawl.db --to postgres://...`: moves
//! an SQLite crawl state into an empty PostgreSQL one, in one PostgreSQL
//! transaction (a failed move leaves it empty): every URL with its status
//! and validators, the frontier in its order (claims returned), host pauses
//! (turned into the database's clock), content hashes, drift counts with
//! their run numbers, and the outputs' checkpoints and run counters under
//! the worker that goes on crawling.
//! The outputs' owner records are handed to that worker, so it continues
//! the same `--out` files exactly where the SQLite state stopped. The
//! SQLite file is only read (under its lock: no crawl may run on it).

use std::path::Path;

use anyhow::{bail, Context, Result};
use rusqlite::{Connection, OpenFlags};
use tokio_postgres::types::ToSql;
use tokio_postgres::Transaction;

use super::postgres::{conn::wait, WorkerId};
use super::{now_ms, CrawlState, PgState, SqliteState};

/// Rows sent per statement.
const CHUNK: usize = 5000;

/// What a migration moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    /// URLs known.
    pub urls: u64,
    /// Frontier entries.
    pub queued: u64,
    /// Hosts with a stored pause.
    pub hosts: u64,
    /// Content hashes.
    pub content: u64,
    /// Output checkpoints.
    pub checkpoints: u64,
    /// Outputs whose owner record now names the worker.
    pub handed_over: u64,
}

/// Moves the SQLite state at `from` into the empty PostgreSQL state at
/// `to`, for `worker` (who continues its outputs).
pub fn sqlite_to_postgres(from: &Path, to: &str, worker: &WorkerId) -> Result<Moved> {
    if !from.exists() {
        bail!("{}: no such state file", from.display());
    }
    // Held until the end: no crawl runs on the file meanwhile.
    let sqlite = SqliteState::open_locked(from)?;
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("{}: cannot open state file", from.display()))?;
    let mut pg = PgState::open_worker(to, worker)?;
    let label = pg.label().to_string();
    let owner = pg.owner().clone();
    let read = |what: &str| format!("{}: cannot read {what}", from.display());
    let tables = Tables::read(&src).with_context(|| read("the state"))?;
    let moved = wait(copy(pg.client_mut(), &tables, worker))
        .with_context(|| format!("{label}: cannot copy the state in"))?;
    let mut moved = moved;
    for (output, _) in &tables.checkpoints {
        if crate::output::owner::hand_over(Path::new(output), sqlite.owner(), &owner)? {
            moved.handed_over += 1;
        }
    }
    Ok(moved)
}

/// Everything read from the SQLite file.
#[derive(Default)]
struct Tables {
    urls: Vec<UrlRow>,
    frontier: Vec<FrontierRow>,
    hosts: Vec<(String, i64)>,
    content: Vec<(String, String)>,
    checkpoints: Vec<(String, String)>,
    run_active: bool,
    run_fetches: i64,
    /// The run in progress or the last one.
    run_id: i64,
    /// (site, run, pages, lost, fell_back).
    drift: Vec<(String, i64, i64, i64, i64)>,
    /// (site, run, bucket, pages).
    drift_lengths: Vec<(String, i64, i64, i64)>,
}

struct UrlRow {
    url: String,
    host: String,
    kind: i64,
    status: String,
    reason: Option<String>,
    http_status: Option<i64>,
    etag: Option<String>,
    last_modified: Option<String>,
    content_hash: Option<String>,
    first_seen: i64,
    fetched_at: Option<i64>,
    written_at: Option<i64>,
    updated_at: i64,
}

struct FrontierRow {
    url: String,
    host: String,
    depth: i64,
    kind: i64,
    priority: i64,
    attempts: i64,
    hops: i64,
}

impl Tables {
    fn read(c: &Connection) -> rusqlite::Result<Self> {
        let mut t = Tables::default();
        let mut st = c.prepare(
            "SELECT url, host, kind, status, reason, http_status, etag, last_modified,
                    content_hash, first_seen, fetched_at, written_at, updated_at FROM urls",
        )?;
        t.urls = st
            .query_map([], |r| {
                Ok(UrlRow {
                    url: r.get(0)?,
                    host: r.get(1)?,
                    kind: r.get(2)?,
                    status: r.get(3)?,
                    reason: r.get(4)?,
                    http_status: r.get(5)?,
                    etag: r.get(6)?,
                    last_modified: r.get(7)?,
                    content_hash: r.get(8)?,
                    first_seen: r.get(9)?,
                    fetched_at: r.get(10)?,
                    written_at: r.get(11)?,
                    updated_at: r.get(12)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = c.prepare(
            "SELECT url, host, depth, kind, priority, attempts, hops FROM frontier ORDER BY id",
        )?;
        t.frontier = st
            .query_map([], |r| {
                Ok(FrontierRow {
                    url: r.get(0)?,
                    host: r.get(1)?,
                    depth: r.get(2)?,
                    kind: r.get(3)?,
                    priority: r.get(4)?,
                    attempts: r.get(5)?,
                    hops: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let pairs = |sql: &str| -> rusqlite::Result<Vec<(String, String)>> {
            c.prepare(sql)?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        };
        t.hosts = c
            .prepare("SELECT host, pause_until FROM hosts")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        t.content = pairs("SELECT hash, url FROM content")?;
        t.checkpoints = pairs("SELECT output, checkpoint FROM checkpoints")?;
        let meta = pairs("SELECT key, value FROM meta")?;
        let get = |k: &str| {
            meta.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        t.run_active = get("run_active") == Some("1");
        t.run_fetches = get("run_fetches").and_then(|v| v.parse().ok()).unwrap_or(0);
        t.run_id = get("run_id").and_then(|v| v.parse().ok()).unwrap_or(0);
        t.drift = c
            .prepare(super::drift::SELECT_RUNS)?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        t.drift_lengths = c
            .prepare(super::drift::SELECT_LENGTHS)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(t)
    }
}

/// Runs `sql` once per chunk of `rows`, with the columns `columns` makes of
/// each chunk (one array parameter per column).
async fn insert_chunks<T>(
    tx: &Transaction<'_>,
    sql: &str,
    rows: &[T],
    columns: impl Fn(&[T]) -> Vec<Box<dyn ToSql + Sync + Send + '_>>,
) -> Result<u64> {
    let st = tx.prepare(sql).await?;
    let mut n = 0;
    for chunk in rows.chunks(CHUNK) {
        let cols = columns(chunk);
        let params: Vec<&(dyn ToSql + Sync)> = cols
            .iter()
            .map(|c| c.as_ref() as &(dyn ToSql + Sync))
            .collect();
        n += tx.execute(&st, &params).await?;
    }
    Ok(n)
}

/// Copies the drift counts, and the run numbers on from the SQLite ones.
async fn copy_drift(tx: &Transaction<'_>, t: &Tables) -> Result<()> {
    insert_chunks(
        tx,
        "INSERT INTO drift(site, run, pages, lost, fell_back)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])",
        &t.drift,
        |c| {
            vec![
                Box::new(c.iter().map(|r| r.0.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.1).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.2).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.3).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.4).collect::<Vec<_>>()),
            ]
        },
    )
    .await?;
    insert_chunks(
        tx,
        "INSERT INTO drift_lengths(site, run, bucket, pages)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[])",
        &t.drift_lengths,
        |c| {
            vec![
                Box::new(c.iter().map(|r| r.0.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.1).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.2).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.3).collect::<Vec<_>>()),
            ]
        },
    )
    .await?;
    tx.execute(
        "UPDATE meta SET value = $1 WHERE key = 'run_seq'",
        &[&t.run_id.to_string()],
    )
    .await?;
    Ok(())
}

/// Copies `t` into the (empty) state of `client` in one transaction.
async fn copy(client: &mut tokio_postgres::Client, t: &Tables, worker: &WorkerId) -> Result<Moved> {
    let tx = client.transaction().await?;
    let used: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM urls) OR EXISTS (SELECT 1 FROM frontier)",
            &[],
        )
        .await?
        .get(0);
    if used {
        bail!("it already holds a crawl state; migrate into an empty database (or schema)");
    }
    let urls = insert_chunks(
        &tx,
        "INSERT INTO urls(url, host, kind, status, reason, http_status, etag, last_modified,
                          content_hash, first_seen, fetched_at, written_at, updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],
                              $6::bigint[], $7::text[], $8::text[], $9::text[], $10::bigint[],
                              $11::bigint[], $12::bigint[], $13::bigint[])",
        &t.urls,
        |c| {
            vec![
                Box::new(c.iter().map(|r| r.url.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.host.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.kind).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.status.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.reason.as_deref()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.http_status).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.etag.as_deref()).collect::<Vec<_>>()),
                Box::new(
                    c.iter()
                        .map(|r| r.last_modified.as_deref())
                        .collect::<Vec<_>>(),
                ),
                Box::new(
                    c.iter()
                        .map(|r| r.content_hash.as_deref())
                        .collect::<Vec<_>>(),
                ),
                Box::new(c.iter().map(|r| r.first_seen).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.fetched_at).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.written_at).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.updated_at).collect::<Vec<_>>()),
            ]
        },
    )
    .await?;
    // In the SQLite order, so that ids (the last tie-break of claims) keep it.
    let queued = insert_chunks(
        &tx,
        "INSERT INTO frontier(url, host, depth, kind, priority, attempts, hops)
         SELECT url, host, depth, kind, priority, attempts, hops
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[],
                     $6::bigint[], $7::bigint[]) WITH ORDINALITY
              AS t(url, host, depth, kind, priority, attempts, hops, n)
         ORDER BY n",
        &t.frontier,
        |c| {
            vec![
                Box::new(c.iter().map(|r| r.url.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.host.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.depth).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.kind).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.priority).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.attempts).collect::<Vec<_>>()),
                Box::new(c.iter().map(|r| r.hops).collect::<Vec<_>>()),
            ]
        },
    )
    .await?;
    // Pauses were this machine's clock: kept as time left, in the database's.
    let now = now_ms();
    let hosts = insert_chunks(
        &tx,
        "INSERT INTO hosts(host, pause_until)
         SELECT host, newscrawl_now_ms() + left_ms FROM unnest($1::text[], $2::bigint[]) AS t(host, left_ms)",
        &t.hosts,
        |c| {
            vec![
                Box::new(c.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|(_, until)| until - now).collect::<Vec<_>>()),
            ]
        },
    )
    .await?;
    let content = insert_chunks(
        &tx,
        "INSERT INTO content(hash, url) SELECT * FROM unnest($1::text[], $2::text[])",
        &t.content,
        |c| {
            vec![
                Box::new(c.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|(_, u)| u.as_str()).collect::<Vec<_>>()),
            ]
        },
    )
    .await?;
    let me = worker.as_str();
    let checkpoints = insert_chunks(
        &tx,
        "INSERT INTO checkpoints(worker, output, checkpoint)
         SELECT $1, output, checkpoint FROM unnest($2::text[], $3::text[]) AS t(output, checkpoint)",
        &t.checkpoints,
        |c| {
            vec![
                Box::new(me.to_string()),
                Box::new(c.iter().map(|(o, _)| o.as_str()).collect::<Vec<_>>()),
                Box::new(c.iter().map(|(_, cp)| cp.as_str()).collect::<Vec<_>>()),
            ]
        },
    )
    .await?;
    copy_drift(&tx, t).await?;
    tx.execute(
        "UPDATE workers SET run_active = $2, run_fetches = $3, run_id = $4 WHERE worker = $1",
        &[&me, &t.run_active, &t.run_fetches, &t.run_id],
    )
    .await?;
    tx.commit().await?;
    Ok(Moved {
        urls,
        queued,
        hosts,
        content,
        checkpoints,
        handed_over: 0,
    })
}
