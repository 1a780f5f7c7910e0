//! The SQLite schema and its versioned migrations. A state file records its
//! version in `user_version`; opening applies every later migration in its
//! own transaction, so an old state file opens (and is upgraded) and a newer
//! one is refused.

use anyhow::{bail, Result};
use rusqlite::{Connection, OptionalExtension};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = 4;

/// Version 1: the first released schema.
pub const V1: &str = "
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

/// Version 2: one word per status (`done` becomes `visited`, the stored
/// `too old` becomes the summary's `older than --since`); content hashes
/// owned through a unique key (`content`) instead of looked up in `urls`;
/// output checkpoints opaque text defined by the sink (`checkpoints`, a
/// JSONL file's byte length as before).
const V2: &str = "
UPDATE urls SET status='visited' WHERE status='done';
UPDATE urls SET reason='older than --since' WHERE reason='too old';
CREATE TABLE content(hash TEXT PRIMARY KEY, url TEXT NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO content(hash, url)
  SELECT content_hash, url FROM urls WHERE content_hash IS NOT NULL ORDER BY written_at;
DROP INDEX urls_hash;
CREATE TABLE checkpoints(output TEXT PRIMARY KEY, checkpoint TEXT NOT NULL);
INSERT INTO checkpoints(output, checkpoint) SELECT path, CAST(length AS TEXT) FROM outputs;
DROP TABLE outputs;
";

/// Version 3: feeds found on pages are polled again only while they yield
/// new URLs (`yielded_at`, kind 5 "linked feed"); bot challenges in a row
/// per host (`hosts.challenges`). Which stored feeds a home
/// page links is not known, so every feed starts as a linked one: the
/// configured ones and a home page's are made polled feeds again when the
/// next run queues them.
const V3: &str = "
ALTER TABLE urls ADD COLUMN yielded_at INTEGER;
ALTER TABLE hosts ADD COLUMN challenges INTEGER NOT NULL DEFAULT 0;
UPDATE urls SET kind=5 WHERE kind=3;
UPDATE frontier SET kind=5 WHERE kind=3;
";

/// Version 4: drift counts per configured site and run (`drift`, and the
/// body-length histogram in `drift_lengths`); runs get numbers
/// (`meta.run_id`, the run in progress or the last one).
const V4: &str = "
CREATE TABLE drift(
  site TEXT NOT NULL,
  run INTEGER NOT NULL,
  pages INTEGER NOT NULL,
  lost INTEGER NOT NULL,
  fell_back INTEGER NOT NULL,
  PRIMARY KEY (site, run)
) WITHOUT ROWID;
CREATE TABLE drift_lengths(
  site TEXT NOT NULL,
  run INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  pages INTEGER NOT NULL,
  PRIMARY KEY (site, run, bucket)
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta(key, value) VALUES('run_id', '0');
";

/// Migration `i` takes a state file from version `i` to `i + 1`.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [V1, V2, V3, V4];

/// Brings the schema to [`SCHEMA_VERSION`], and gives the state its id.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        bail!(
            "schema version {version} is newer than this newscrawl understands ({SCHEMA_VERSION})"
        );
    }
    if version < 0 {
        bail!("unknown schema version {version}");
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if i == 1 {
            resolve_output_keys(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Version 1 keyed outputs by `--out` as written (relative to the working
/// directory of the run); later versions by the file it names. Resolved
/// against the working directory of the run that upgrades the state.
fn resolve_output_keys(tx: &Connection) -> Result<()> {
    let keys: Vec<String> = tx
        .prepare("SELECT output FROM checkpoints")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for key in keys {
        let resolved = crate::paths::resolve(std::path::Path::new(&key))
            .display()
            .to_string();
        if resolved != key {
            tx.execute(
                "UPDATE OR REPLACE checkpoints SET output=?2 WHERE output=?1",
                [&key, &resolved],
            )?;
        }
    }
    Ok(())
}

/// The state's stable id (created on first use): what it records as the
/// owner of its outputs.
pub fn state_id(conn: &Connection) -> Result<String> {
    let id: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key='state_id'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(id) = id {
        return Ok(id);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos() as u64;
    let id = format!(
        "{:016x}{:016x}",
        fastrand::u64(..) ^ now,
        fastrand::u64(..) ^ u64::from(std::process::id())
    );
    conn.execute("INSERT INTO meta(key, value) VALUES('state_id', ?1)", [&id])?;
    Ok(id)
}
