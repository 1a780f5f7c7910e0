//! The SQL a [`PgState`](super::PgState) runs, prepared once per
//! connection: one named statement per query, so that the state's methods
//! read as what they do.

use anyhow::Result;
use futures_util::future::try_join_all;
use tokio_postgres::Statement;

/// The prepared statements (prepared once per connection).
pub(super) struct Statements {
    pub(super) claim: Statement,
    pub(super) url_info: Statement,
    pub(super) content_insert: Statement,
    pub(super) content_owner: Statement,
    pub(super) checkpoint: Statement,
    pub(super) host_row: Statement,
    pub(super) lease: Statement,
    pub(super) renew: Statement,
    pub(super) release: Statement,
    pub(super) hosts_with_work: Statement,
    pub(super) pause: Statement,
    pub(super) robots: Statement,
    pub(super) lock_claims: Statement,
    pub(super) delete_claim: Statement,
    pub(super) add_url: Statement,
    pub(super) retry_claim: Statement,
    pub(super) release_claim: Statement,
    pub(super) end_url: Statement,
    pub(super) delete_alias: Statement,
    pub(super) add_fetches: Statement,
    pub(super) put_checkpoint: Statement,
    pub(super) crawlers: Statement,
    pub(super) challenges: Statement,
    pub(super) to_polled: Statement,
    pub(super) frontier_len: Statement,
    pub(super) unclaim: Statement,
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
    /// Prepares every statement on `client`.
    pub(super) async fn prepare(client: &tokio_postgres::Client) -> Result<Self> {
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
