//! The statements of one commit, run inside its transaction and pipelined
//! (sent together, applied in order): pauses and robots.txt first (host rows
//! are always locked before frontier rows, as a lease takeover does), then
//! the claims the results end (locked in id order), new URLs, results,
//! the run's fetch count and the output checkpoints.

use std::collections::{BTreeSet, HashSet};

use anyhow::Result;
use futures_util::future::try_join_all;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Row, Statement, Transaction};

use super::Statements;
use crate::state::{host_of, now_ms, Batch, ClaimsLost, Outcome, RobotsFile, UrlKind, UrlStatus};

/// One statement with its parameters, to be sent in a pipeline.
struct Step<'a> {
    statement: &'a Statement,
    params: Vec<Box<dyn ToSql + Sync + Send + 'a>>,
    /// Its rows are hosts that got new frontier entries.
    new_hosts: bool,
}

impl<'a> Step<'a> {
    fn new(statement: &'a Statement, params: Vec<Box<dyn ToSql + Sync + Send + 'a>>) -> Self {
        Self {
            statement,
            params,
            new_hosts: false,
        }
    }
}

/// Sends `steps` as one pipeline; returns the rows of each.
async fn pipeline(tx: &Transaction<'_>, steps: &[Step<'_>]) -> Result<Vec<Vec<Row>>> {
    let futures = steps.iter().map(|s| {
        let params: Vec<&(dyn ToSql + Sync)> = s
            .params
            .iter()
            .map(|p| p.as_ref() as &(dyn ToSql + Sync))
            .collect();
        async move { tx.query(s.statement, &params).await }
    });
    Ok(try_join_all(futures).await?)
}

/// Applies `batch` for `worker` on `tx`; returns the hosts that got new
/// frontier entries, or [`ClaimsLost`] when a result that wrote a record
/// belongs to a claim the worker no longer holds (then the caller rolls
/// back). `dropped` are claims of aliases also ended by the batch.
pub(super) async fn write(
    tx: &Transaction<'_>,
    st: &Statements,
    worker: &str,
    batch: &Batch,
    dropped: &[i64],
) -> Result<Vec<String>> {
    let now = now_ms();
    // 1. Host rows, in host order.
    let mut hosts_first = Vec::new();
    let mut pauses: Vec<&(String, i64)> = batch.host_pauses.iter().collect();
    pauses.sort();
    for (host, until) in pauses {
        let delta = until - now;
        hosts_first.push(Step::new(
            &st.pause,
            vec![Box::new(host.as_str()), Box::new(delta), Box::new(worker)],
        ));
    }
    let mut challenges: Vec<&(String, u32)> = batch.host_challenges.iter().collect();
    challenges.sort();
    for (host, n) in challenges {
        hosts_first.push(Step::new(
            &st.challenges,
            vec![
                Box::new(host.as_str()),
                Box::new(i64::from(*n)),
                Box::new(worker),
            ],
        ));
    }
    for (host, file) in &batch.robots {
        let body = match file {
            RobotsFile::Missing => None,
            RobotsFile::Body(b) => Some(b.as_str()),
        };
        hosts_first.push(Step::new(
            &st.robots,
            vec![Box::new(host.as_str()), Box::new(body), Box::new(worker)],
        ));
    }
    pipeline(tx, &hosts_first).await?;

    // 2. The claims the results end, locked; a lost one that wrote a record
    // refuses the commit.
    let mut ids: Vec<i64> = batch.results.iter().map(|r| r.claim_id).collect();
    ids.extend_from_slice(dropped);
    let held: HashSet<i64> = if ids.is_empty() {
        HashSet::new()
    } else {
        tx.query(&st.lock_claims, &[&ids, &worker])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    let lost: BTreeSet<String> = batch
        .results
        .iter()
        .filter(|r| !held.contains(&r.claim_id))
        .filter(|r| matches!(&r.outcome, Outcome::Ended(e) if e.status == UrlStatus::Written))
        .map(|r| host_of(&r.url))
        .collect();
    if !lost.is_empty() {
        return Err(ClaimsLost {
            hosts: lost.into_iter().collect(),
        }
        .into());
    }

    // 3. Everything else, in the order SQLite applies it.
    let mut steps = Vec::new();
    for id in dropped.iter().filter(|id| held.contains(id)) {
        steps.push(Step::new(&st.delete_claim, vec![Box::new(*id)]));
    }
    for n in &batch.new_urls {
        let mut step = Step::new(
            &st.add_url,
            vec![
                Box::new(n.url.as_str()),
                Box::new(n.host.as_str()),
                Box::new(i64::from(n.depth)),
                Box::new(n.kind.code()),
                Box::new(n.priority),
                Box::new(i64::from(n.hops)),
                Box::new(now),
                Box::new(n.force),
            ],
        );
        step.new_hosts = true;
        steps.push(step);
        if n.kind == UrlKind::Feed {
            // Known as a linked feed: now a polled one.
            steps.push(Step::new(
                &st.to_polled,
                vec![
                    Box::new(n.url.as_str()),
                    Box::new(UrlKind::Feed.code()),
                    Box::new(UrlKind::LinkedFeed.code()),
                ],
            ));
        }
    }
    let mut counted = 0i64;
    for r in batch.results.iter().filter(|r| held.contains(&r.claim_id)) {
        match &r.outcome {
            Outcome::Retry => steps.push(Step::new(&st.retry_claim, vec![Box::new(r.claim_id)])),
            Outcome::Release => {
                steps.push(Step::new(&st.release_claim, vec![Box::new(r.claim_id)]))
            }
            Outcome::Ended(f) => {
                // The URL with all the fetch learnt; its alias with the status only.
                for (url, full) in [(Some(&r.url), true), (r.alias.as_ref(), false)] {
                    let Some(url) = url else { continue };
                    steps.push(Step::new(
                        &st.end_url,
                        vec![
                            Box::new(url.as_str()),
                            Box::new(host_of(url)),
                            Box::new(f.status.as_str()),
                            Box::new(f.reason.map(|r| r.to_string())),
                            Box::new(f.http_status.map(i64::from)),
                            Box::new(f.etag.as_deref().filter(|_| full)),
                            Box::new(f.last_modified.as_deref().filter(|_| full)),
                            Box::new(f.content_hash.as_deref().filter(|_| full)),
                            Box::new(now),
                            Box::new(f.yielded && full),
                        ],
                    ));
                }
                steps.push(Step::new(&st.delete_claim, vec![Box::new(r.claim_id)]));
                if let Some(alias) = &r.alias {
                    steps.push(Step::new(&st.delete_alias, vec![Box::new(alias.as_str())]));
                }
                counted += i64::from(f.counted);
            }
        }
    }
    if counted > 0 {
        steps.push(Step::new(
            &st.add_fetches,
            vec![Box::new(worker), Box::new(counted)],
        ));
    }
    for (output, c) in &batch.checkpoints {
        steps.push(Step::new(
            &st.put_checkpoint,
            vec![
                Box::new(worker),
                Box::new(output.as_str()),
                Box::new(c.0.as_str()),
            ],
        ));
    }
    let rows = pipeline(tx, &steps).await?;
    let hosts: BTreeSet<String> = steps
        .iter()
        .zip(&rows)
        .filter(|(s, _)| s.new_hosts)
        .flat_map(|(_, rows)| rows.iter().map(|r| r.get::<_, String>(0)))
        .collect();
    // 4. Drift counts, last (sites in name order).
    super::drift::add(tx, worker, &batch.drift).await?;
    Ok(hosts.into_iter().collect())
}
