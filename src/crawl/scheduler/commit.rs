//! Commits, pipelined: a batch is frozen (its records appended to the
//! outputs), the outputs are synced on a blocking thread while the loop
//! keeps fetching and extracting into the next batch, and the frozen batch
//! is committed with the outputs' new checkpoints once the sync returns.
//!
//! One batch is frozen at a time, so the outputs hold the committed bytes
//! and at most the frozen batch's after them. A record's frontier row is
//! marked done in the transaction that records the output's length after
//! its sync; a crash before that commit leaves bytes the next run cuts off
//! and claims it fetches again. A host whose lease is lost while its
//! records sync is dropped from the frozen batch, and the outputs are cut
//! back and written again without it before the commit.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use anyhow::{Context, Result};
use url::Url;

use super::super::urlnorm::host_key;
use super::leases::Pending;
use super::outputs::Synced;
use super::Crawler;
use crate::state::{Batch, ClaimsLost};

/// What one batch gathers until its commit.
#[derive(Default)]
pub(super) struct Staged {
    /// What the state commits.
    pub batch: Batch,
    /// Encoded records, with their hosts.
    pub records: Vec<(String, Vec<u8>)>,
    /// WARC records (gzip members) of the batch's fetches, with their hosts.
    pub warc_records: Vec<(String, Vec<u8>)>,
    /// URLs (keys) written in the batch.
    pub keys: HashSet<String>,
    /// Per host, counts of the batch's results.
    pub pending: HashMap<String, Pending>,
    /// Hosts out of work, released after the commit (which stores their
    /// pause for the next holder).
    pub to_release: Vec<String>,
    /// Hosts with claims the batch gives back: their work is marked again
    /// after the commit.
    pub retry_hosts: Vec<String>,
}

impl Staged {
    /// Drops what the batch holds of `host` (whose lease was lost); returns
    /// whether records of it were among the batch's, and the fetches its
    /// results had counted.
    pub fn drop_host(&mut self, host: &str) -> (bool, u64) {
        let before = self.records.len() + self.warc_records.len();
        self.records.retain(|(h, _)| h != host);
        self.warc_records.retain(|(h, _)| h != host);
        let had_records = before != self.records.len() + self.warc_records.len();
        self.to_release.retain(|h| h != host);
        let of_host = |url: &str| Url::parse(url).is_ok_and(|u| host_key(&u) == host);
        self.batch.results.retain(|r| !of_host(&r.url));
        self.batch.host_pauses.retain(|(h, _)| h != host);
        self.batch.robots.retain(|(h, _)| h != host);
        let fetches = self.pending.remove(host).map_or(0, |p| p.fetches);
        (had_records, fetches)
    }
}

/// A batch whose outputs are syncing.
pub(super) struct Frozen {
    /// The batch.
    pub staged: Staged,
    /// A host's records were dropped from it after they were appended: the
    /// outputs are cut back and written again before the commit.
    pub rewrite: bool,
    /// Hosts it queues new URLs for.
    pub new_url_hosts: HashSet<String>,
}

/// What a commit of a frozen batch leaves to do once the open batch is back.
struct Committed {
    /// Hosts the commit found new work for.
    new_hosts: Vec<String>,
    /// Hosts whose claims were lost.
    lost: Vec<String>,
    /// Hosts to give back.
    to_release: Vec<String>,
    /// Hosts whose work is marked again.
    retry_hosts: Vec<String>,
}

impl Crawler {
    /// True when `key` was written in the open or the frozen batch (the
    /// state does not know it yet).
    pub(super) fn key_staged(&self, key: &str) -> bool {
        self.staged.keys.contains(key)
            || self
                .frozen
                .as_ref()
                .is_some_and(|f| f.staged.keys.contains(key))
    }

    /// True when `key` is to be given back after a commit.
    pub(super) fn releasing(&self, key: &str) -> bool {
        self.staged.to_release.iter().any(|h| h == key)
            || self
                .frozen
                .as_ref()
                .is_some_and(|f| f.staged.to_release.iter().any(|h| h == key))
    }

    /// `key` has work again: it is not given back after any commit.
    pub(super) fn keep_lease(&mut self, key: &str) {
        self.staged.to_release.retain(|h| h != key);
        if let Some(f) = &mut self.frozen {
            f.staged.to_release.retain(|h| h != key);
        }
    }

    /// Drops `host`'s part of the open and the frozen batch.
    pub(super) fn drop_staged(&mut self, host: &str) {
        let (_, fetches) = self.staged.drop_host(host);
        self.fetches = self.fetches.saturating_sub(fetches);
        if let Some(f) = &mut self.frozen {
            let (had_records, fetches) = f.staged.drop_host(host);
            self.fetches = self.fetches.saturating_sub(fetches);
            f.rewrite |= had_records;
        }
    }

    /// True when the frozen batch queues new URLs for `key`: its frontier
    /// is not whole until that commit, so the host waits for it (a claim
    /// now could take a later entry before the new ones, e.g. a sitemap
    /// before the articles the last one listed).
    pub(super) fn frontier_incomplete(&self, key: &str) -> bool {
        self.frozen
            .as_ref()
            .is_some_and(|f| f.new_url_hosts.contains(key))
    }

    /// True when a batch is frozen (its outputs syncing).
    pub(super) fn committing(&self) -> bool {
        self.frozen.is_some()
    }

    /// Freezes the open batch: appends its records to the outputs and
    /// starts their sync on a blocking thread. Leases are renewed first
    /// when due, so records are written only under leases with most of
    /// their time left. Call only when no batch is frozen.
    pub(super) fn begin_commit(&mut self) -> Result<()> {
        debug_assert!(self.frozen.is_none(), "one batch is frozen at a time");
        if self.renewal_due() {
            self.renew_leases()?;
        }
        self.staged.batch.host_pauses = self.pauses.drain().collect();
        let mut outputs = self.take_outputs()?;
        outputs.append(&self.staged);
        let staged = std::mem::take(&mut self.staged);
        let new_url_hosts = staged
            .batch
            .new_urls
            .iter()
            .map(|u| u.host.clone())
            .collect();
        self.frozen = Some(Frozen {
            staged,
            rewrite: false,
            new_url_hosts,
        });
        self.syncing = Some(tokio::task::spawn_blocking(move || outputs.sync()));
        self.last_flush = Instant::now();
        Ok(())
    }

    /// Waits for the frozen batch's sync, if any, and commits the batch.
    pub(super) async fn end_commit(&mut self) -> Result<()> {
        if let Some(sync) = self.syncing.take() {
            let synced = sync.await.context("the output sync thread failed")?;
            self.finish_commit(synced)?;
        }
        Ok(())
    }

    /// Commits the open batch now (after the frozen one).
    pub(super) async fn commit_now(&mut self) -> Result<()> {
        self.end_commit().await?;
        self.begin_commit()?;
        self.end_commit().await
    }

    /// The frozen batch's outputs are synced: commits it with their
    /// checkpoints, then gives back the hosts out of work and marks the
    /// hosts with new work.
    pub(super) fn finish_commit(&mut self, synced: Synced) -> Result<()> {
        let Synced {
            outputs,
            records,
            archive,
        } = synced;
        self.put_outputs(outputs);
        let mut frozen = self
            .frozen
            .take()
            .context("an output sync without a frozen batch")?;
        records?;
        // The frozen batch is the staged one while it commits (what a lost
        // claim drops is then dropped from it); the open one waits aside.
        std::mem::swap(&mut self.staged, &mut frozen.staged);
        let committed = self.commit_staged(archive, frozen.rewrite);
        std::mem::swap(&mut self.staged, &mut frozen.staged);
        let committed = committed?;
        for host in &committed.lost {
            // Its results in the open batch go too.
            self.lose_host(host);
        }
        for h in committed.to_release {
            if self.leased.remove(&h) {
                self.lease_until.remove(&h);
                self.state.release_host(&h)?;
            }
        }
        for h in committed.new_hosts.into_iter().chain(committed.retry_hosts) {
            self.mark_work(&h)?;
        }
        Ok(())
    }

    /// Commits the staged batch with the outputs' checkpoints (`archive`:
    /// the WARC files' sync). A commit refused because claims were lost (a
    /// stall let another crawler take their hosts over) cuts the outputs
    /// back to their committed checkpoints, drops those hosts' part of the
    /// batch and commits the rest, written again.
    fn commit_staged(
        &mut self,
        archive: Result<Option<(String, crate::state::Checkpoint)>>,
        rewrite: bool,
    ) -> Result<Committed> {
        let mut lost_hosts = Vec::new();
        if rewrite {
            archive?;
            self.rewind_output()?;
            self.write_outputs(true)?;
        } else {
            self.stage_checkpoints(archive, false)?;
        }
        let new_hosts = loop {
            // Rebuilt on each try: a lost host's counts are dropped.
            self.staged.batch.drift = self.pending_drift();
            match self.state.commit(&self.staged.batch) {
                Ok(hosts) => break hosts,
                Err(e) => {
                    let Some(lost) = e.downcast_ref::<ClaimsLost>().cloned() else {
                        return Err(e);
                    };
                    tracing::warn!("{lost}: their results not yet written are dropped");
                    self.rewind_output()?;
                    for host in &lost.hosts {
                        self.state.release_host(host)?;
                        self.lose_host(host);
                        lost_hosts.push(host.clone());
                    }
                    self.write_outputs(true)?;
                }
            }
        };
        self.outputs_committed()?;
        self.settle_pending();
        Ok(Committed {
            new_hosts,
            lost: lost_hosts,
            to_release: std::mem::take(&mut self.staged.to_release),
            retry_hosts: std::mem::take(&mut self.staged.retry_hosts),
        })
    }
}
