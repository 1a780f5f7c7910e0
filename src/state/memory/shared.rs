//! What all handles of an in-memory state share: the frontier, the URLs
//! seen, leases, pauses, content hashes, checkpoints, runs and drift counts.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use crate::state::drift::DriftTable;
use crate::state::{Checkpoint, RobotsFile, UrlKind, UrlStatus};

/// A frontier entry.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) url: String,
    pub(super) host: String,
    pub(super) depth: u32,
    pub(super) kind: UrlKind,
    pub(super) priority: i64,
    pub(super) attempts: u32,
    pub(super) hops: u32,
    /// The worker holding the claim.
    pub(super) claimed_by: Option<u64>,
}

impl Entry {
    /// Its place in its host's queue.
    pub(super) fn order(&self, id: i64) -> (i64, u32, i64) {
        (self.priority, self.depth, id)
    }
}

/// A URL seen.
#[derive(Debug, Clone)]
pub(super) struct Seen {
    pub(super) host: String,
    pub(super) kind: UrlKind,
    pub(super) status: UrlStatus,
    pub(super) etag: Option<String>,
    pub(super) last_modified: Option<String>,
    pub(super) content_hash: Option<String>,
    pub(super) fetched_at: Option<i64>,
    pub(super) updated_at: i64,
    /// When it last listed URLs new to the state (a feed).
    pub(super) yielded_at: Option<i64>,
}

impl Seen {
    /// A URL just discovered.
    pub(super) fn queued(host: String, kind: UrlKind, now: i64) -> Self {
        Self {
            host,
            kind,
            status: UrlStatus::Queued,
            etag: None,
            last_modified: None,
            content_hash: None,
            fetched_at: None,
            updated_at: now,
            yielded_at: None,
        }
    }
}

/// A host's lease.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lease {
    pub(super) worker: u64,
    pub(super) expires: Instant,
}

/// What all handles share.
#[derive(Debug, Default)]
pub(super) struct Shared {
    pub(super) next_worker: u64,
    pub(super) next_id: i64,
    pub(super) urls: HashMap<String, Seen>,
    pub(super) entries: HashMap<i64, Entry>,
    pub(super) by_url: HashMap<String, i64>,
    /// Unclaimed entries per host, in claim order.
    pub(super) unclaimed: HashMap<String, BTreeSet<(i64, u32, i64)>>,
    pub(super) pauses: HashMap<String, i64>,
    /// Per host: bot challenges in a row.
    pub(super) challenges: HashMap<String, u32>,
    pub(super) leases: HashMap<String, Lease>,
    /// Shared robots.txt files, with when they were stored.
    pub(super) robots: HashMap<String, (RobotsFile, Instant)>,
    pub(super) content: HashMap<String, String>,
    /// Per crawler and output key.
    pub(super) checkpoints: HashMap<(u64, String), Checkpoint>,
    /// Per worker: its run.
    pub(super) runs: HashMap<u64, Run>,
    /// The last run number given out.
    pub(super) run_seq: i64,
    /// Drift counts per site and run.
    pub(super) drift: DriftTable,
}

/// A crawler's run.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Run {
    /// Begun and not completed.
    pub(super) active: bool,
    /// Fetches counted in it.
    pub(super) fetches: u64,
    /// Its number (shared by crawlers whose runs overlap).
    pub(super) id: i64,
}

impl Shared {
    pub(super) fn add_entry(&mut self, entry: Entry) -> bool {
        if self.by_url.contains_key(&entry.url) {
            return false;
        }
        self.next_id += 1;
        let id = self.next_id;
        self.by_url.insert(entry.url.clone(), id);
        self.unclaimed
            .entry(entry.host.clone())
            .or_default()
            .insert(entry.order(id));
        self.entries.insert(id, entry);
        true
    }

    pub(super) fn remove_entry(&mut self, id: i64) {
        if let Some(e) = self.entries.remove(&id) {
            self.by_url.remove(&e.url);
            if let Some(q) = self.unclaimed.get_mut(&e.host) {
                q.remove(&e.order(id));
            }
        }
    }

    /// Puts a claimed entry back in its host's queue.
    pub(super) fn unclaim(&mut self, id: i64) {
        if let Some(e) = self.entries.get_mut(&id) {
            if e.claimed_by.take().is_some() {
                let order = e.order(id);
                self.unclaimed
                    .entry(e.host.clone())
                    .or_default()
                    .insert(order);
            }
        }
    }

    /// Returns every claim `worker` holds (on `host`, or on any host).
    pub(super) fn unclaim_all(&mut self, worker: u64, host: Option<&str>) {
        let ids: Vec<i64> = self
            .entries
            .iter()
            .filter(|(_, e)| e.claimed_by == Some(worker) && host.is_none_or(|h| e.host == h))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.unclaim(id);
        }
    }

    pub(super) fn holds(&self, worker: u64, host: &str, now: Instant) -> bool {
        self.leases
            .get(host)
            .is_some_and(|l| l.worker == worker && l.expires > now)
    }

    pub(super) fn queue_url(
        &mut self,
        url: &str,
        host: &str,
        kind: UrlKind,
        depth: u32,
        priority: i64,
    ) {
        self.add_entry(Entry {
            url: url.to_string(),
            host: host.to_string(),
            depth,
            kind,
            priority,
            attempts: 0,
            hops: 0,
            claimed_by: None,
        });
    }
}
