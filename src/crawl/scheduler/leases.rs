//! Host leases as the crawl loop keeps them: leasing a host with work (or
//! waiting for another crawler's lease), the pause and robots.txt a lease
//! brings, renewals, and what happens when a lease is lost.
//!
//! A request starts only while this crawler's lease of its host has at
//! least `--timeout` + [`LEASE_SLACK`] left, counted from when the lease was
//! asked for (the database's expiry is later than that), so a request always
//! ends before another crawler can take the host over. Renewals come early
//! enough that this never idles a host that is held.
//!
//! On a shared state each crawler holds about its share of the hosts with
//! work (their number over the crawlers at work, rounded up): the first to
//! start does not keep every host, and one that ran out of hosts gets some
//! from the others, which give idle hosts back when they hold more than
//! their share.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::super::summary::Summary;
use super::Crawler;
use crate::fetch::{Robots, RobotsState};
use crate::limits::{LEASE_SLACK, MAX_HOST_PAUSE};
use crate::selectors::drift::DriftCounts;
use crate::state::{now_ms, RobotsFile};

/// Longest wait before a host leased by another crawler is asked for again,
/// and between two looks for hosts other crawlers added or left (shared
/// states).
const LEASE_RETRY: Duration = Duration::from_secs(5);

/// What one host's results counted since the last commit: merged into the
/// run's summary when they are committed, dropped if the lease is lost
/// first (another crawler fetches those pages again and counts them).
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// The counts.
    pub summary: Summary,
    /// Fetches counted towards `--max-pages`.
    pub fetches: u64,
}

/// How often leases are renewed for a lease of `lease` and requests of at
/// most `timeout`: a third of the lease, and soon enough that a lease always
/// has room for a whole request.
pub(super) fn renew_every(lease: Duration, timeout: Duration) -> Duration {
    let room = lease.saturating_sub(timeout + LEASE_SLACK) / 2;
    (lease / 3).min(room).max(Duration::from_millis(100))
}

/// How long a host leased by another crawler waits before it is asked for
/// again (a quarter of a lease, at most [`LEASE_RETRY`]).
pub(super) fn lease_retry(lease: Duration) -> Duration {
    (lease / 4).clamp(Duration::from_millis(100), LEASE_RETRY)
}

/// A robots.txt as the other crawlers of a shared state may use it (a
/// server error or an unreachable file is not shared).
pub(super) fn shareable(robots: &Robots) -> Option<RobotsFile> {
    match robots {
        Robots::AllowAll => Some(RobotsFile::Missing),
        Robots::Rules(rules) => Some(RobotsFile::Body(rules.source.clone())),
        Robots::DisallowAll { .. } => None,
    }
}

fn from_shared(file: RobotsFile) -> Robots {
    match file {
        RobotsFile::Missing => Robots::AllowAll,
        RobotsFile::Body(body) => Robots::from_body(&body),
    }
}

impl Crawler {
    /// Notes that `key` has work: leases it (or waits for another
    /// crawler's lease to end) and sets up its politeness from what the
    /// lease brings (stored pause, shared robots.txt, a takeover's wait).
    pub(super) fn mark_work(&mut self, key: &str) -> Result<()> {
        if !self.leased.contains(key) {
            let asked = Instant::now();
            if self.leased.len() >= self.lease_cap {
                // Its share is held: the host waits (for another crawler,
                // or for a share that grows).
                self.lease_waiting
                    .insert(key.to_string(), asked + lease_retry(self.cfg.lease));
                return Ok(());
            }
            let Some(lease) = self.state.lease_host(key, self.cfg.lease)? else {
                self.lease_waiting
                    .insert(key.to_string(), asked + lease_retry(self.cfg.lease));
                return Ok(());
            };
            self.lease_waiting.remove(key);
            self.leased.insert(key.to_string());
            self.lease_until
                .insert(key.to_string(), asked + self.cfg.lease);
            let pause = lease.pause_until.map(|until| self.cap_pause(key, until));
            let h = self.host_entry(key);
            if let Some(until) = pause {
                let wait = until - now_ms();
                if wait > 0 {
                    h.pause_until(Instant::now() + Duration::from_millis(wait as u64));
                }
            }
            if let (Some(file), RobotsState::Unknown) = (lease.robots, &h.robots) {
                let robots = from_shared(file);
                if let Some(d) = robots.crawl_delay() {
                    h.apply_crawl_delay(d);
                }
                h.robots = RobotsState::Ready(robots);
            }
            if lease.taken_over {
                // The last holder's last request may be missing from the
                // stored pause: one full spacing from now.
                let spacing = h.interval;
                h.pause_until(Instant::now() + spacing);
            }
        }
        self.keep_lease(key);
        self.host_entry(key).has_work = true;
        Ok(())
    }

    /// A stored pause no later than [`MAX_HOST_PAUSE`] from now (a clock
    /// step must not silence a host for days); a capped pause is stored back.
    fn cap_pause(&mut self, key: &str, until: i64) -> i64 {
        let now = now_ms();
        let max = now + MAX_HOST_PAUSE.as_millis() as i64;
        if until <= max {
            return until;
        }
        tracing::warn!(
            "{key}: stored pause of {} h is over the maximum of {} h (a clock step?): capped",
            (until - now) / 3_600_000,
            MAX_HOST_PAUSE.as_secs() / 3600
        );
        self.pauses.insert(key.to_string(), max);
        max
    }

    /// True when `key`'s lease leaves room for a whole request starting now.
    pub(super) fn lease_covers(&self, key: &str, now: Instant) -> bool {
        self.lease_until
            .get(key)
            .is_some_and(|until| *until >= now + self.cfg.timeout + LEASE_SLACK)
    }

    /// True when the leases should be renewed now.
    pub(super) fn renewal_due(&self) -> bool {
        self.renew_due || self.last_renewal.elapsed() >= self.renew_every
    }

    /// Asks again for the hosts another crawler held, once their time came;
    /// on a shared state also looks, now and then, for hosts with work that
    /// other crawlers added or left behind (a crawler that died).
    pub(super) fn look_for_work(&mut self, now: Instant) -> Result<()> {
        let poll = self.state.shared() && now >= self.next_poll;
        let due: Vec<String> = self
            .lease_waiting
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(h, _)| h.clone())
            .collect();
        if due.is_empty() && !poll {
            return Ok(());
        }
        let with_work = self.state.hosts_with_work()?;
        for h in due {
            if with_work.contains(&h) {
                self.mark_work(&h)?;
            } else {
                self.lease_waiting.remove(&h);
            }
        }
        if poll {
            self.next_poll = now + lease_retry(self.cfg.lease);
            let crawlers = self.state.crawlers()?.max(1);
            self.lease_cap = with_work.len().div_ceil(crawlers).max(1);
            self.shed_surplus();
            for h in with_work {
                let known = self.leased.contains(&h) || self.lease_waiting.contains_key(&h);
                if !known && self.scope.contains_host(&h) {
                    self.mark_work(&h)?;
                }
            }
        }
        Ok(())
    }

    /// Gives back hosts held beyond this crawler's share (idle ones only:
    /// nothing in flight, robots.txt known), after the next commit; they
    /// stay on the list of hosts to ask for again.
    fn shed_surplus(&mut self) {
        let held: Vec<String> = self
            .leased
            .iter()
            .filter(|h| !self.releasing(h))
            .cloned()
            .collect();
        let Some(surplus) = held.len().checked_sub(self.lease_cap).filter(|n| *n > 0) else {
            return;
        };
        let mut idle: Vec<String> = held
            .into_iter()
            .filter(|k| {
                !self.parked.contains_key(k)
                    && self.hosts.get(k).is_some_and(|h| {
                        !h.busy && h.extracting == 0 && matches!(h.robots, RobotsState::Ready(_))
                    })
            })
            .collect();
        idle.sort();
        let retry = Instant::now() + lease_retry(self.cfg.lease);
        for key in idle.into_iter().take(surplus) {
            tracing::debug!(
                "{key}: given back, over this crawler's share of {}",
                self.lease_cap
            );
            if let Some(h) = self.hosts.get_mut(&key) {
                h.has_work = false;
            }
            self.staged.to_release.push(key.clone());
            self.lease_waiting.insert(key, retry);
        }
    }

    /// Renews the leases; a lost lease's host stops here.
    pub(super) fn renew_leases(&mut self) -> Result<()> {
        let asked = Instant::now();
        self.last_renewal = asked;
        self.renew_due = false;
        let lost = self.state.renew_leases(self.cfg.lease)?;
        for h in &self.leased {
            self.lease_until.insert(h.clone(), asked + self.cfg.lease);
        }
        for host in lost {
            tracing::warn!(
                "{host}: lease lost to another crawler; its results not yet written are dropped"
            );
            self.lose_host(&host);
        }
        Ok(())
    }

    /// Forgets a host whose lease was lost: its claims went to another
    /// crawler, so its results, records and counts not yet committed are
    /// dropped (that crawler fetches those pages again), and its lease is
    /// asked for again later.
    pub(super) fn lose_host(&mut self, host: &str) {
        self.leased.remove(host);
        self.lease_until.remove(host);
        self.parked.remove(host);
        self.abandon_results(host);
        self.drop_staged(host);
        self.pauses.remove(host);
        if let Some(h) = self.hosts.get_mut(host) {
            h.has_work = false;
        }
        self.lease_waiting.insert(
            host.to_string(),
            Instant::now() + lease_retry(self.cfg.lease),
        );
    }

    /// The drift counts of the results the next commit applies: every
    /// host's pending pages, per site.
    pub(super) fn pending_drift(&self) -> Vec<(String, DriftCounts)> {
        let mut all: BTreeMap<String, DriftCounts> = BTreeMap::new();
        for p in self.staged.pending.values() {
            for (site, counts) in &p.summary.sites {
                all.entry(site.clone()).or_default().merge(counts);
            }
        }
        all.into_iter().collect()
    }

    /// Counts what the commit just made final: every host's pending counts.
    pub(super) fn settle_pending(&mut self) {
        for (_, p) in self.staged.pending.drain() {
            self.summary.merge(p.summary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewals_leave_room_for_a_whole_request() {
        let s = Duration::from_secs;
        // The defaults: a 45 s lease, 30 s requests.
        let every = renew_every(s(45), s(30));
        assert!(every <= s(7), "{every:?}");
        // Just renewed, a lease must cover a request until the next renewal.
        assert!(s(45) - every >= s(30) + LEASE_SLACK);
        assert_eq!(renew_every(s(300), s(30)), s(100));
        assert_eq!(lease_retry(s(45)), s(5));
        assert_eq!(lease_retry(s(4)), Duration::from_secs(1));
    }
}
