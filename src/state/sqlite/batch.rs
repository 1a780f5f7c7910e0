//! The statements of one commit, run inside its transaction.

use std::collections::BTreeSet;

use anyhow::Result;
use rusqlite::{params, Connection};

use crate::state::{host_of, now_ms, Batch, Outcome, UrlKind, UrlStatus};

/// Applies `batch` on `tx` (a connection inside a transaction); returns the
/// hosts that got new frontier entries.
pub(super) fn write(tx: &Connection, batch: &Batch) -> Result<Vec<String>> {
    let now = now_ms();
    let mut hosts = BTreeSet::new();
    let mut add_url = tx.prepare_cached(
        "INSERT OR IGNORE INTO urls(url,host,kind,status,first_seen,updated_at) VALUES(?1,?2,?4,?5,?3,?3)",
    )?;
    let mut add_frontier = tx.prepare_cached(
        "INSERT OR IGNORE INTO frontier(url,host,depth,kind,priority,hops) VALUES(?1,?2,?3,?4,?5,?6)",
    )?;
    let mut to_polled = tx.prepare_cached("UPDATE urls SET kind=?2 WHERE url=?1 AND kind=?3")?;
    for n in &batch.new_urls {
        let fresh = add_url.execute(params![
            n.url,
            n.host,
            now,
            n.kind.code(),
            UrlStatus::Queued
        ])? == 1;
        if !fresh && n.kind == UrlKind::Feed {
            to_polled.execute(params![
                n.url,
                UrlKind::Feed.code(),
                UrlKind::LinkedFeed.code()
            ])?;
        }
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
    // A written URL stays written (an alias, a later skip of the same URL).
    let mut end = tx.prepare_cached(
        "INSERT INTO urls(url,host,status,reason,http_status,etag,last_modified,content_hash,first_seen,fetched_at,written_at,updated_at,yielded_at)
         VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?9,CASE WHEN ?3=?10 THEN ?9 END,?9,CASE WHEN ?11 THEN ?9 END)
         ON CONFLICT(url) DO UPDATE SET
           status=CASE WHEN status=?10 THEN status ELSE excluded.status END,
           reason=excluded.reason, http_status=COALESCE(excluded.http_status,http_status),
           etag=COALESCE(excluded.etag,etag), last_modified=COALESCE(excluded.last_modified,last_modified),
           content_hash=COALESCE(excluded.content_hash,content_hash),
           fetched_at=excluded.fetched_at, written_at=COALESCE(excluded.written_at,written_at),
           updated_at=excluded.updated_at, yielded_at=COALESCE(excluded.yielded_at,yielded_at)",
    )?;
    let mut del = tx.prepare_cached("DELETE FROM frontier WHERE id=?1")?;
    let mut del_alias = tx.prepare_cached("DELETE FROM frontier WHERE url=?1 AND claimed=0")?;
    let mut retry =
        tx.prepare_cached("UPDATE frontier SET claimed=0, attempts=attempts+1 WHERE id=?1")?;
    let mut release = tx.prepare_cached("UPDATE frontier SET claimed=0 WHERE id=?1")?;
    let mut counted = 0i64;
    for d in &batch.results {
        match &d.outcome {
            Outcome::Retry => {
                retry.execute([d.claim_id])?;
            }
            Outcome::Release => {
                release.execute([d.claim_id])?;
            }
            Outcome::Ended(f) => {
                // The URL with all the fetch learnt; its alias with the
                // status only.
                let mut store = |url: &str, full: bool| {
                    end.execute(params![
                        url,
                        host_of(url),
                        f.status,
                        f.reason,
                        f.http_status,
                        f.etag.as_ref().filter(|_| full),
                        f.last_modified.as_ref().filter(|_| full),
                        f.content_hash.as_ref().filter(|_| full),
                        now,
                        UrlStatus::Written,
                        f.yielded && full,
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
    let mut challenges = tx.prepare_cached(
        "INSERT INTO hosts(host,pause_until,challenges) VALUES(?1,0,?2)
         ON CONFLICT(host) DO UPDATE SET challenges=excluded.challenges",
    )?;
    for (h, n) in &batch.host_challenges {
        challenges.execute(params![h, n])?;
    }
    let mut checkpoint = tx.prepare_cached(
        "INSERT INTO checkpoints(output,checkpoint) VALUES(?1,?2)
         ON CONFLICT(output) DO UPDATE SET checkpoint=excluded.checkpoint",
    )?;
    for (output, c) in &batch.checkpoints {
        checkpoint.execute([output, &c.0])?;
    }
    add_drift(tx, batch)?;
    Ok(hosts.into_iter().collect())
}

/// Adds the batch's drift counts to the current run's.
fn add_drift(tx: &Connection, batch: &Batch) -> Result<()> {
    if batch.drift.is_empty() {
        return Ok(());
    }
    let run: i64 = tx.query_row(
        "SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM meta WHERE key='run_id'",
        [],
        |r| r.get(0),
    )?;
    let mut totals = tx.prepare_cached(
        "INSERT INTO drift(site,run,pages,lost,fell_back) VALUES(?1,?2,?3,?4,?5)
         ON CONFLICT(site,run) DO UPDATE SET pages=pages+excluded.pages,
           lost=lost+excluded.lost, fell_back=fell_back+excluded.fell_back",
    )?;
    let mut lengths = tx.prepare_cached(
        "INSERT INTO drift_lengths(site,run,bucket,pages) VALUES(?1,?2,?3,?4)
         ON CONFLICT(site,run,bucket) DO UPDATE SET pages=pages+excluded.pages",
    )?;
    for (site, c) in &batch.drift {
        totals.execute(params![
            site,
            run,
            c.pages as i64,
            c.lost as i64,
            c.fell_back as i64
        ])?;
        for (bucket, n) in c.lengths.buckets() {
            lengths.execute(params![site, run, bucket as i64, n as i64])?;
        }
    }
    Ok(())
}
