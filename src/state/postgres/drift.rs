//! Drift counts on PostgreSQL: run numbers shared by crawlers whose runs
//! overlap, the counts a commit adds to its worker's run, and the
//! histories read back.

use std::collections::BTreeMap;

use anyhow::Result;
use tokio_postgres::{Client, Transaction};

use crate::selectors::drift::DriftCounts;
use crate::state::drift::{prune_sql, DriftTable, SELECT_LENGTHS, SELECT_RUNS};
use crate::state::SiteDrift;

/// Marks `worker`'s run active; returns the fetches already counted in it.
/// A run resumed keeps its number; a new one joins the run of a live
/// worker at work, else takes the next number (and older drift counts are
/// pruned). Run starts are serialised by the `run_seq` row's lock, so that
/// crawlers started together share a number.
pub(super) async fn begin_run(tx: &Transaction<'_>, worker: &str) -> Result<i64> {
    tx.execute(
        "SELECT value FROM meta WHERE key = 'run_seq' FOR UPDATE",
        &[],
    )
    .await?;
    let row = tx
        .query_one(
            "SELECT run_active, run_fetches FROM workers WHERE worker = $1",
            &[&worker],
        )
        .await?;
    if row.get::<_, bool>(0) {
        return Ok(row.get(1));
    }
    let joined: Option<i64> = tx
        .query_one(
            "SELECT MAX(run_id) FROM workers
             WHERE run_active AND alive_until > newscrawl_now_ms() AND worker <> $1",
            &[&worker],
        )
        .await?
        .get(0);
    let run = match joined {
        Some(run) => run,
        None => {
            let run: i64 = tx
                .query_one(
                    "UPDATE meta SET value = (CAST(value AS BIGINT) + 1)::text
                     WHERE key = 'run_seq' RETURNING CAST(value AS BIGINT)",
                    &[],
                )
                .await?
                .get(0);
            tx.batch_execute(&prune_sql()).await?;
            run
        }
    };
    tx.execute(
        "UPDATE workers SET run_active = TRUE, run_fetches = 0, run_id = $2 WHERE worker = $1",
        &[&worker, &run],
    )
    .await?;
    Ok(0)
}

/// Adds a batch's drift counts to `worker`'s run, sites in name order (so
/// that two workers' commits lock the rows in one order).
pub(super) async fn add(
    tx: &Transaction<'_>,
    worker: &str,
    drift: &[(String, DriftCounts)],
) -> Result<()> {
    if drift.is_empty() {
        return Ok(());
    }
    let mut merged: BTreeMap<&str, DriftCounts> = BTreeMap::new();
    for (site, c) in drift {
        merged.entry(site).or_default().merge(c);
    }
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let sites: Vec<&str> = merged.keys().copied().collect();
    let pages: Vec<i64> = merged.values().map(|c| n(c.pages)).collect();
    let lost: Vec<i64> = merged.values().map(|c| n(c.lost)).collect();
    let fell_back: Vec<i64> = merged.values().map(|c| n(c.fell_back)).collect();
    tx.execute(
        "INSERT INTO drift(site, run, pages, lost, fell_back)
         SELECT t.site, w.run_id, t.pages, t.lost, t.fell_back
         FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
              WITH ORDINALITY AS t(site, pages, lost, fell_back, i)
         JOIN workers w ON w.worker = $1 ORDER BY t.i
         ON CONFLICT (site, run) DO UPDATE SET pages = drift.pages + excluded.pages,
           lost = drift.lost + excluded.lost, fell_back = drift.fell_back + excluded.fell_back",
        &[&worker, &sites, &pages, &lost, &fell_back],
    )
    .await?;
    let (mut b_sites, mut buckets, mut b_pages) = (Vec::new(), Vec::new(), Vec::new());
    for (site, c) in &merged {
        for (bucket, pages) in c.lengths.buckets() {
            b_sites.push(*site);
            buckets.push(bucket as i64);
            b_pages.push(n(pages));
        }
    }
    tx.execute(
        "INSERT INTO drift_lengths(site, run, bucket, pages)
         SELECT t.site, w.run_id, t.bucket, t.pages
         FROM unnest($2::text[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS t(site, bucket, pages, i)
         JOIN workers w ON w.worker = $1 ORDER BY t.i
         ON CONFLICT (site, run, bucket) DO UPDATE SET pages = drift_lengths.pages + excluded.pages",
        &[&worker, &b_sites, &buckets, &b_pages],
    )
    .await?;
    Ok(())
}

/// Every site's history; `worker` (empty for a handle not crawling) marks
/// its active run as the current one.
pub(super) async fn history(client: &Client, worker: &str) -> Result<Vec<SiteDrift>> {
    let n = |v: i64| v.max(0) as u64;
    let mut table = DriftTable::default();
    for r in client.query(SELECT_RUNS, &[]).await? {
        table.add_totals(r.get(0), r.get(1), n(r.get(2)), n(r.get(3)), n(r.get(4)));
    }
    for r in client.query(SELECT_LENGTHS, &[]).await? {
        table.add_bucket(r.get(0), r.get(1), r.get(2), n(r.get(3)));
    }
    let current: Option<i64> = client
        .query_opt(
            "SELECT run_id FROM workers WHERE worker = $1 AND run_active",
            &[&worker],
        )
        .await?
        .map(|r| r.get(0));
    Ok(table.history(current))
}
