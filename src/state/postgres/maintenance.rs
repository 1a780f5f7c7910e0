//! Reading and pruning a PostgreSQL state outside a crawl: the counts of
//! `state stats` and `state prune`.

use anyhow::Result;
use tokio_postgres::Row;

use super::conn::wait;
use super::{local_time, PgState};
use crate::limits::ROBOTS_MAX_AGE;
use crate::state::Stats;

impl PgState {
    /// Counts for `state stats`.
    pub(super) fn do_stats(&mut self) -> Result<Stats> {
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
                .map(|r| (r.get(0), local_time(r.get::<_, i64>(1))))
                .collect(),
            workers: workers
                .iter()
                .map(|r| (r.get(0), r.get(1), n(r, 2)))
                .collect(),
        })
    }

    /// Forgets URLs not updated since `before_ms` (and what only they held).
    pub(super) fn do_prune(&mut self, before_ms: i64) -> Result<u64> {
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
}
