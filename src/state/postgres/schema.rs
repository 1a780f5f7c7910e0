//! The PostgreSQL schema and its versioned migrations, like the SQLite
//! ones: the version is kept in `newscrawl_schema`; opening applies every
//! later migration in one transaction under an advisory lock (crawlers
//! starting together migrate once), and a newer schema is refused.
//!
//! Tables live in the first schema of the connection's `search_path`, so
//! one database can hold several crawl states (`?options=-csearch_path%3DNAME`
//! in the URL). Times that crawlers compare with one another (leases, host
//! pauses, robots.txt age) are the database's clock, read with
//! `newscrawl_now_ms()`; a crawler's own clock never meets another's.

use anyhow::{bail, Result};
use tokio_postgres::Client;

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = 3;

/// Any constant shared by all newscrawl builds: the advisory lock taken
/// while the schema is created or upgraded.
const MIGRATION_LOCK: i64 = 0x6e65_7773_6372_6177;

/// Version 1: the SQLite schema (version 2) plus what crawlers share:
/// claims and leases by worker, checkpoints per worker, registered workers
/// and shared robots.txt files.
const V1: &str = "
CREATE FUNCTION newscrawl_now_ms() RETURNS BIGINT LANGUAGE sql VOLATILE
  AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('state_id', md5(random()::text || clock_timestamp()::text));
CREATE TABLE urls(
  url TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  kind BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  reason TEXT,
  http_status BIGINT,
  etag TEXT,
  last_modified TEXT,
  content_hash TEXT,
  first_seen BIGINT NOT NULL,
  fetched_at BIGINT,
  written_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX urls_host ON urls(host);
CREATE INDEX urls_written ON urls(status, fetched_at);
CREATE INDEX urls_sources ON urls(kind, status) WHERE kind <> 0;
CREATE TABLE frontier(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  host TEXT NOT NULL,
  depth BIGINT NOT NULL,
  kind BIGINT NOT NULL,
  priority BIGINT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  hops BIGINT NOT NULL DEFAULT 0,
  claimed_by TEXT
);
CREATE INDEX frontier_next ON frontier(host, priority, depth, id) WHERE claimed_by IS NULL;
CREATE INDEX frontier_claimed ON frontier(claimed_by, host) WHERE claimed_by IS NOT NULL;
CREATE TABLE hosts(
  host TEXT PRIMARY KEY,
  pause_until BIGINT,
  lease_owner TEXT,
  lease_until BIGINT,
  robots_body TEXT,
  robots_at BIGINT
);
CREATE INDEX hosts_leased ON hosts(lease_owner) WHERE lease_owner IS NOT NULL;
CREATE TABLE content(hash TEXT PRIMARY KEY, url TEXT NOT NULL);
CREATE TABLE checkpoints(
  worker TEXT NOT NULL,
  output TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  PRIMARY KEY (worker, output)
);
CREATE TABLE workers(
  worker TEXT PRIMARY KEY,
  token TEXT,
  machine TEXT,
  pid BIGINT,
  alive_until BIGINT,
  run_active BOOLEAN NOT NULL DEFAULT FALSE,
  run_fetches BIGINT NOT NULL DEFAULT 0
);
";

/// Version 2, as SQLite's version 3: feeds found on pages are polled again
/// only while they yield new URLs (`yielded_at`, kind 5 "linked feed"), and
/// bot challenges in a row per host (`hosts.challenges`).
const V2: &str = "
ALTER TABLE urls ADD COLUMN yielded_at BIGINT;
ALTER TABLE hosts ADD COLUMN challenges BIGINT NOT NULL DEFAULT 0;
UPDATE urls SET kind = 5 WHERE kind = 3;
UPDATE frontier SET kind = 5 WHERE kind = 3;
";

/// Version 3, as SQLite's version 4: drift counts per configured site and
/// run (`drift`, `drift_lengths`); runs get numbers (`meta.run_seq`, the
/// last one given out; `workers.run_id`, the run a worker is in), shared by
/// workers whose runs overlap.
const V3: &str = "
CREATE TABLE drift(
  site TEXT NOT NULL,
  run BIGINT NOT NULL,
  pages BIGINT NOT NULL,
  lost BIGINT NOT NULL,
  fell_back BIGINT NOT NULL,
  PRIMARY KEY (site, run)
);
CREATE TABLE drift_lengths(
  site TEXT NOT NULL,
  run BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  pages BIGINT NOT NULL,
  PRIMARY KEY (site, run, bucket)
);
INSERT INTO meta(key, value) VALUES ('run_seq', '0') ON CONFLICT (key) DO NOTHING;
ALTER TABLE workers ADD COLUMN run_id BIGINT NOT NULL DEFAULT 0;
";

/// Migration `i` takes a state from version `i` to `i + 1`.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [V1, V2, V3];

/// Brings the schema to [`SCHEMA_VERSION`] (creating it in an empty
/// schema); returns the state's id.
pub(super) async fn migrate(client: &mut Client) -> Result<String> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS newscrawl_schema(version BIGINT NOT NULL)")
        .await?;
    let version: i64 = tx
        .query_opt("SELECT version FROM newscrawl_schema", &[])
        .await?
        .map_or(0, |r| r.get(0));
    if version > SCHEMA_VERSION {
        bail!(
            "schema version {version} is newer than this newscrawl understands ({SCHEMA_VERSION})"
        );
    }
    if version < 0 {
        bail!("unknown schema version {version}");
    }
    for sql in MIGRATIONS.iter().skip(version as usize) {
        tx.batch_execute(sql).await?;
    }
    if version < SCHEMA_VERSION {
        tx.execute("DELETE FROM newscrawl_schema", &[]).await?;
        tx.execute(
            "INSERT INTO newscrawl_schema(version) VALUES ($1)",
            &[&SCHEMA_VERSION],
        )
        .await?;
    }
    let id: String = tx
        .query_one("SELECT value FROM meta WHERE key = 'state_id'", &[])
        .await?
        .get(0);
    tx.commit().await?;
    Ok(id)
}
