//! [`CrawlState`] in memory: the test double of the crawl state. Handles
//! made by [`MemoryState::peer`] share one state like crawlers sharing a
//! server database (leases exclusive between them, expiring, claims failing
//! over); [`MemoryState::restart`] is the same crawler started again after
//! a kill. Nothing survives the process.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::limits::{FEED_YIELD_WINDOW, LONG_PAUSE, ROBOTS_MAX_AGE};

use super::{
    now_ms, Batch, Checkpoint, Claim, ClaimsLost, ContentClaim, CrawlState, HostLease, Outcome,
    OutputOwner, SiteDrift, Stats, UrlInfo, UrlKind, UrlStatus,
};

mod shared;

use shared::{Entry, Lease, Run, Seen, Shared};

/// One crawler's handle on an in-memory state.
#[derive(Debug)]
pub struct MemoryState {
    shared: Arc<Mutex<Shared>>,
    worker: u64,
    owner: OutputOwner,
    /// Hosts this handle believes it leases.
    held: HashSet<String>,
}

impl Default for MemoryState {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryState {
    /// A new, empty state with one crawler's handle on it.
    pub fn new() -> Self {
        Self::handle(Arc::default(), None)
    }

    /// Another crawler's handle on the same state.
    pub fn peer(&self) -> Self {
        Self::handle(self.shared.clone(), None)
    }

    /// The same crawler's handle after a restart (its claims and leases as a
    /// killed process left them).
    pub fn restart(self) -> Self {
        Self::handle(self.shared.clone(), Some(self.worker))
    }

    fn handle(shared: Arc<Mutex<Shared>>, worker: Option<u64>) -> Self {
        let worker = worker.unwrap_or_else(|| {
            let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
            s.next_worker += 1;
            s.next_worker
        });
        Self {
            shared,
            worker,
            owner: OutputOwner {
                id: format!("memory-{worker}"),
                label: format!("in-memory state, worker {worker}"),
                file: None,
            },
            held: HashSet::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // A panic elsewhere cannot leave the maps half-updated in a way
        // that matters to a test double.
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl CrawlState for MemoryState {
    fn owner(&self) -> &OutputOwner {
        &self.owner
    }

    fn begin_run(&mut self) -> Result<u64> {
        let worker = self.worker;
        self.held.clear();
        let mut s = self.lock();
        // Claims of a killed run return; its leases stay until they expire
        // or this crawler leases the host again (as a takeover).
        s.unclaim_all(worker, None);
        let recent = now_ms() - FEED_YIELD_WINDOW.as_millis() as i64;
        let polled = |u: &Seen| {
            u.kind == UrlKind::Feed
                || (u.kind == UrlKind::LinkedFeed && u.yielded_at.is_some_and(|t| t >= recent))
        };
        let feeds: Vec<(String, String, UrlKind)> = s
            .urls
            .iter()
            .filter(|(_, u)| polled(u) && u.status == UrlStatus::Visited)
            .map(|(url, u)| (url.clone(), u.host.clone(), u.kind))
            .collect();
        for (url, host, kind) in feeds {
            s.queue_url(&url, &host, kind, 0, 0);
        }
        let run = s.runs.get(&worker).copied().unwrap_or_default();
        if run.active {
            return Ok(run.fetches);
        }
        // Join the run of a crawler at work, else begin the next one.
        let joined = s
            .runs
            .iter()
            .filter(|(w, r)| **w != worker && r.active)
            .map(|(_, r)| r.id)
            .max();
        let id = match joined {
            Some(id) => id,
            None => {
                s.run_seq += 1;
                s.drift.prune();
                s.run_seq
            }
        };
        s.runs.insert(
            worker,
            Run {
                active: true,
                fetches: 0,
                id,
            },
        );
        Ok(0)
    }

    fn end_run(&mut self, completed: bool) -> Result<()> {
        let worker = self.worker;
        self.held.clear();
        let mut s = self.lock();
        s.unclaim_all(worker, None);
        s.leases.retain(|_, l| l.worker != worker);
        if completed {
            s.runs.insert(worker, Run::default());
        }
        Ok(())
    }

    fn queue_refetch(&mut self, before_ms: i64) -> Result<u64> {
        let mut s = self.lock();
        let due: Vec<(String, String)> = s
            .urls
            .iter()
            .filter(|(_, u)| {
                u.status == UrlStatus::Written && u.fetched_at.is_some_and(|t| t < before_ms)
            })
            .map(|(url, u)| (url.clone(), u.host.clone()))
            .collect();
        let mut n = 0;
        for (url, host) in due {
            if !s.by_url.contains_key(&url) {
                s.queue_url(&url, &host, UrlKind::Page, 1, 2);
                n += 1;
            }
        }
        Ok(n)
    }

    fn hosts_with_work(&mut self) -> Result<Vec<String>> {
        let worker = self.worker;
        let s = self.lock();
        let (now, now_ms) = (Instant::now(), now_ms());
        let long = LONG_PAUSE.as_millis() as i64;
        let mut hosts: BTreeSet<String> = s
            .unclaimed
            .iter()
            .filter(|(_, q)| !q.is_empty())
            .map(|(h, _)| h.clone())
            .collect();
        hosts.extend(
            s.entries
                .values()
                .filter(|e| e.claimed_by.is_some_and(|w| w != worker))
                .map(|e| e.host.clone()),
        );
        // Not a host another live holder left paused for a later run.
        hosts.retain(|h| {
            let parked = s
                .leases
                .get(h)
                .is_some_and(|l| l.worker != worker && l.expires > now)
                && s.pauses.get(h).is_some_and(|p| *p > now_ms + long);
            !parked
        });
        Ok(hosts.into_iter().collect())
    }

    fn frontier_len(&mut self, host: &str) -> Result<u64> {
        let s = self.lock();
        Ok(s.entries.values().filter(|e| e.host == host).count() as u64)
    }

    fn lease_host(&mut self, host: &str, ttl: Duration) -> Result<Option<HostLease>> {
        let worker = self.worker;
        let now = Instant::now();
        let mut s = self.lock();
        let old = s.leases.get(host).copied();
        match old {
            Some(l) if l.worker != worker && l.expires > now => return Ok(None),
            // An expired lease of another crawler: its claims fail over.
            Some(l) if l.worker != worker => s.unclaim_all(l.worker, Some(host)),
            _ => {}
        }
        // Taken from another holder, or from this crawler before a restart:
        // that holder's last request may not be in the stored pause.
        let taken_over = old.is_some_and(|l| l.worker != worker || !self.held.contains(host));
        s.leases.insert(
            host.to_string(),
            Lease {
                worker,
                expires: now + ttl,
            },
        );
        let pause_until = s.pauses.get(host).copied();
        let robots = s
            .robots
            .get(host)
            .filter(|(_, at)| at.elapsed() < ROBOTS_MAX_AGE)
            .map(|(f, _)| f.clone());
        let challenges = s.challenges.get(host).copied().unwrap_or(0);
        drop(s);
        self.held.insert(host.to_string());
        Ok(Some(HostLease {
            host: host.to_string(),
            pause_until,
            taken_over,
            robots,
            challenges,
        }))
    }

    fn renew_leases(&mut self, ttl: Duration) -> Result<Vec<String>> {
        let worker = self.worker;
        let now = Instant::now();
        let mut s = self.lock();
        let mut lost = Vec::new();
        for host in &self.held {
            match s.leases.get_mut(host) {
                Some(l) if l.worker == worker => l.expires = now + ttl,
                _ => lost.push(host.clone()),
            }
        }
        drop(s);
        for h in &lost {
            self.held.remove(h);
        }
        lost.sort();
        Ok(lost)
    }

    fn release_host(&mut self, host: &str) -> Result<()> {
        let worker = self.worker;
        self.held.remove(host);
        let mut s = self.lock();
        if s.leases.get(host).is_some_and(|l| l.worker == worker) {
            s.leases.remove(host);
            s.unclaim_all(worker, Some(host));
        }
        Ok(())
    }

    fn claim_next(&mut self, host: &str) -> Result<Option<Claim>> {
        let worker = self.worker;
        let mut s = self.lock();
        if !s.holds(worker, host, Instant::now()) {
            return Ok(None);
        }
        let Some(first) = s.unclaimed.get_mut(host).and_then(|q| q.pop_first()) else {
            return Ok(None);
        };
        let id = first.2;
        let url = {
            let e = s.entries.get_mut(&id).expect("queued entries exist");
            e.claimed_by = Some(worker);
            e.url.clone()
        };
        let (etag, last_modified) = s
            .urls
            .get(&url)
            .map(|u| (u.etag.clone(), u.last_modified.clone()))
            .unwrap_or_default();
        let e = &s.entries[&id];
        Ok(Some(Claim {
            id,
            url,
            host: e.host.clone(),
            depth: e.depth,
            kind: e.kind,
            attempts: e.attempts,
            hops: e.hops,
            etag,
            last_modified,
        }))
    }

    fn url_info(&mut self, url: &str) -> Result<Option<UrlInfo>> {
        Ok(self.lock().urls.get(url).map(|u| UrlInfo {
            status: u.status,
            content_hash: u.content_hash.clone(),
            fetched_at: u.fetched_at,
        }))
    }

    fn claim_content(&mut self, hash: &str, url: &str) -> Result<ContentClaim> {
        let mut s = self.lock();
        let owner = s
            .content
            .entry(hash.to_string())
            .or_insert_with(|| url.to_string());
        Ok(if owner == url {
            ContentClaim::Owned
        } else {
            ContentClaim::OwnedBy(owner.clone())
        })
    }

    fn checkpoint(&mut self, output: &str) -> Result<Option<Checkpoint>> {
        let key = (self.worker, output.to_string());
        Ok(self.lock().checkpoints.get(&key).cloned())
    }

    fn commit(&mut self, batch: &Batch) -> Result<Vec<String>> {
        let worker = self.worker;
        let now = now_ms();
        let mut s = self.lock();
        let holds =
            |s: &Shared, id: i64| s.entries.get(&id).and_then(|e| e.claimed_by) == Some(worker);
        // A lost claim that wrote a record refuses the whole batch.
        let lost: BTreeSet<String> = batch
            .results
            .iter()
            .filter(|r| !holds(&s, r.claim_id))
            .filter(|r| matches!(&r.outcome, Outcome::Ended(e) if e.status == UrlStatus::Written))
            .map(|r| super::host_of(&r.url))
            .collect();
        if !lost.is_empty() {
            return Err(ClaimsLost {
                hosts: lost.into_iter().collect(),
            }
            .into());
        }
        let mut hosts = BTreeSet::new();
        for n in &batch.new_urls {
            let fresh = !s.urls.contains_key(&n.url);
            if fresh {
                s.urls
                    .insert(n.url.clone(), Seen::queued(n.host.clone(), n.kind, now));
            } else if n.kind == UrlKind::Feed {
                if let Some(u) = s.urls.get_mut(&n.url) {
                    if u.kind == UrlKind::LinkedFeed {
                        u.kind = UrlKind::Feed;
                    }
                }
            }
            if (fresh || n.force)
                && s.add_entry(Entry {
                    url: n.url.clone(),
                    host: n.host.clone(),
                    depth: n.depth,
                    kind: n.kind,
                    priority: n.priority,
                    attempts: 0,
                    hops: n.hops,
                    claimed_by: None,
                })
            {
                hosts.insert(n.host.clone());
            }
        }
        let mut counted = 0;
        for r in &batch.results {
            // Results of claims no longer held (failed over) are left out.
            if !holds(&s, r.claim_id) {
                continue;
            }
            match &r.outcome {
                Outcome::Retry => {
                    if let Some(e) = s.entries.get_mut(&r.claim_id) {
                        e.attempts += 1;
                    }
                    s.unclaim(r.claim_id);
                }
                Outcome::Release => s.unclaim(r.claim_id),
                Outcome::Ended(end) => {
                    for (url, full) in [(Some(&r.url), true), (r.alias.as_ref(), false)] {
                        let Some(url) = url else { continue };
                        let host = super::host_of(url);
                        let seen = s
                            .urls
                            .entry(url.clone())
                            .or_insert_with(|| Seen::queued(host, UrlKind::Page, now));
                        if seen.status != UrlStatus::Written {
                            seen.status = end.status;
                        }
                        if full {
                            seen.etag = end.etag.clone().or(seen.etag.take());
                            seen.last_modified =
                                end.last_modified.clone().or(seen.last_modified.take());
                            seen.content_hash =
                                end.content_hash.clone().or(seen.content_hash.take());
                        }
                        if full && end.yielded {
                            seen.yielded_at = Some(now);
                        }
                        seen.fetched_at = Some(now);
                        seen.updated_at = now;
                    }
                    s.remove_entry(r.claim_id);
                    if let Some(alias) = &r.alias {
                        if let Some(id) = s.by_url.get(alias).copied() {
                            if s.entries[&id].claimed_by.is_none() {
                                s.remove_entry(id);
                            }
                        }
                    }
                    counted += u64::from(end.counted);
                }
            }
        }
        let run = s.runs.entry(worker).or_default();
        run.fetches += counted;
        let run = run.id;
        s.drift.add(run, &batch.drift);
        for (h, until) in &batch.host_pauses {
            s.pauses.insert(h.clone(), *until);
        }
        for (h, n) in &batch.host_challenges {
            s.challenges.insert(h.clone(), *n);
        }
        for (output, c) in &batch.checkpoints {
            s.checkpoints.insert((worker, output.clone()), c.clone());
        }
        for (host, file) in &batch.robots {
            s.robots
                .insert(host.clone(), (file.clone(), Instant::now()));
        }
        Ok(hosts.into_iter().collect())
    }

    fn stats(&mut self) -> Result<Stats> {
        let s = self.lock();
        let count = |st: UrlStatus| s.urls.values().filter(|u| u.status == st).count() as u64;
        let mut per_host: HashMap<&str, (u64, u64, u64)> = HashMap::new();
        for u in s.urls.values() {
            let e = per_host.entry(&u.host).or_default();
            e.0 += 1;
            e.1 += u64::from(u.status == UrlStatus::Written);
            e.2 += u64::from(u.status == UrlStatus::Failed);
        }
        let mut per_host: Vec<(String, u64, u64, u64)> = per_host
            .into_iter()
            .map(|(h, (k, w, f))| (h.to_string(), k, w, f))
            .collect();
        per_host.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        per_host.truncate(100);
        let now = now_ms();
        let mut paused: Vec<(String, i64)> = s
            .pauses
            .iter()
            .filter(|(_, t)| **t > now)
            .map(|(h, t)| (h.clone(), *t))
            .collect();
        paused.sort();
        Ok(Stats {
            urls: s.urls.len() as u64,
            written: count(UrlStatus::Written),
            failed: count(UrlStatus::Failed),
            queued: s.entries.len() as u64,
            per_host,
            paused,
            workers: Vec::new(),
        })
    }

    fn drift_history(&mut self) -> Result<Vec<SiteDrift>> {
        let s = self.lock();
        let current = s.runs.get(&self.worker).filter(|r| r.active).map(|r| r.id);
        Ok(s.drift.history(current))
    }

    fn shared(&self) -> bool {
        true
    }

    fn crawlers(&mut self) -> Result<usize> {
        Ok(self
            .lock()
            .runs
            .values()
            .filter(|r| r.active)
            .count()
            .max(1))
    }

    fn prune(&mut self, before_ms: i64) -> Result<u64> {
        let mut s = self.lock();
        let old: Vec<String> = s
            .urls
            .iter()
            .filter(|(url, u)| {
                u.updated_at < before_ms
                    && u.status != UrlStatus::Queued
                    && !s.by_url.contains_key(*url)
            })
            .map(|(url, _)| url.clone())
            .collect();
        for url in &old {
            s.urls.remove(url);
        }
        let Shared { content, urls, .. } = &mut *s;
        content.retain(|_, url| urls.contains_key(url));
        let now = now_ms();
        s.pauses.retain(|_, t| *t >= now);
        Ok(old.len() as u64)
    }
}
