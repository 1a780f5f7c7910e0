//! Turning fetch results into state outcomes, new frontier entries and
//! records: redirects (each hop queued after a scope check), sitemaps and
//! feeds, pages (canonical identity, article decision, `--since`, exact
//! duplicates, re-fetches) and failures (retries, Retry-After).

use std::time::Instant;

use anyhow::Result;
use chrono::{DateTime, Utc};
use url::Url;

use super::super::decide::{
    decide_content, decide_page, not_modified, Known, NotModified, PageDecision, PageFacts, Policy,
};
use super::super::item::{Fingerprints, ItemResult, WorkResult};
use super::super::urlnorm::normalize;
use super::super::walls::{challenge_pause, is_consent_page, is_consent_redirect};
use super::discovery::SOURCE_PRIORITY;
use super::Crawler;
use crate::extract::dates::parse_date;
use crate::extract::ExtractedPage;
use crate::fetch::host::backoff;
use crate::fetch::{check_hop, HopError, Robots};
use crate::limits::MAX_RETRIES;
use crate::state::{Claim, ClaimResult, Ending, Outcome, Reason, UrlKind, UrlStatus};

impl Crawler {
    /// Records how `claim` ended, for the next commit.
    pub(super) fn end(&mut self, claim: &Claim, ending: Ending) {
        self.end_with_alias(claim, ending, None);
    }

    /// [`Crawler::end`], recording `alias` (the canonical URL the page
    /// named) with the same ending.
    pub(super) fn end_with_alias(&mut self, claim: &Claim, ending: Ending, alias: Option<String>) {
        if ending.counted {
            self.fetches += 1;
        }
        self.staged.batch.results.push(ClaimResult {
            claim_id: claim.id,
            url: claim.url.clone(),
            outcome: Outcome::Ended(ending),
            alias,
        });
    }

    /// Keeps a job's WARC records for the batch, unless its host's lease
    /// was lost meanwhile (its result is dropped too).
    fn keep_warc(&mut self, host: &str, warc: Vec<u8>) {
        if !warc.is_empty() && self.leased.contains(host) {
            self.staged.warc_records.push((host.to_string(), warc));
        }
    }

    pub(super) fn handle(&mut self, r: WorkResult) -> Result<()> {
        if !matches!(r, WorkResult::Released { .. }) {
            self.in_flight = self.in_flight.saturating_sub(1);
        }
        match r {
            WorkResult::Released { host, sent_at } => {
                if let Some(h) = self.hosts.get_mut(&host) {
                    h.response_read(sent_at);
                }
                self.note_request(&host);
            }
            WorkResult::Robots {
                host,
                robots,
                sent_at,
                warc,
            } => {
                self.keep_warc(&host, warc);
                self.summary.robots += 1;
                let Some(h) = self.hosts.get_mut(&host) else {
                    return Ok(());
                };
                // The first request to a host opens its connection, which
                // delays it by an unknown time after `sent_at`: the next one
                // waits a full spacing from the answer instead (once per
                // host and run).
                h.request_sent(Instant::now().max(sent_at));
                if let Robots::DisallowAll { reason } = &robots {
                    tracing::warn!(
                        "{host}: robots.txt unavailable ({reason}): host skipped this run"
                    );
                    self.summary.fail(Reason::RobotsUnavailable, &host);
                }
                let sitemaps: Vec<String> = robots.sitemaps().to_vec();
                if let Some(file) = super::leases::shareable(&robots) {
                    // For the other crawlers of a shared state.
                    self.staged.batch.robots.push((host.clone(), file));
                }
                if let Some(h) = self.hosts.get_mut(&host) {
                    h.set_robots(robots);
                }
                self.note_request(&host);
                for s in sitemaps {
                    if let Ok(u) = Url::parse(&s) {
                        self.queue(&u, 0, UrlKind::Sitemap, SOURCE_PRIORITY, 0, true)?;
                    }
                }
            }
            WorkResult::Item {
                claim,
                result,
                fetched_at,
                sent_at,
                warc,
                released,
                seq,
            } => {
                let done = Done {
                    claim,
                    result,
                    fetched_at,
                    sent_at,
                    warc,
                    released,
                };
                let host = done.claim.host.clone();
                let order = self.in_order.entry(host.clone()).or_default();
                if let Err(done) = order.accept(seq, done) {
                    // Its request was abandoned with its host's lease.
                    self.host_done(&done);
                    return Ok(());
                }
                self.waiting += 1;
                while let Some(done) = self.in_order.get_mut(&host).and_then(|o| o.pop_due()) {
                    self.waiting = self.waiting.saturating_sub(1);
                    self.handle_done(done)?;
                }
            }
        }
        Ok(())
    }

    /// The host's side of a finished request: free again (a source's), or
    /// one page fewer being extracted.
    fn host_done(&mut self, done: &Done) {
        if let Some(h) = self.hosts.get_mut(&done.claim.host) {
            if done.released {
                h.page_done();
            } else {
                h.request_sent(done.sent_at);
            }
        }
    }

    /// Abandons the results of `host`'s requests so far (its lease was
    /// lost: its claims went to another crawler).
    pub(super) fn abandon_results(&mut self, host: &str) {
        let waiting = match self.in_order.get_mut(host) {
            Some(o) => o.abandon(),
            None => return,
        };
        for done in waiting {
            self.waiting = self.waiting.saturating_sub(1);
            self.host_done(&done);
        }
    }

    /// A finished request, in its host's request order.
    fn handle_done(&mut self, done: Done) -> Result<()> {
        self.host_done(&done);
        let Done {
            claim,
            result,
            fetched_at,
            warc,
            ..
        } = done;
        self.keep_warc(&claim.host, warc);
        // The spacing from when the request actually left, for the
        // next holder of the host.
        self.note_request(&claim.host);
        let answered = !matches!(
            result,
            ItemResult::Challenge { .. } | ItemResult::Failed { status: None, .. }
        );
        if answered {
            self.host_answered(&claim.host);
        }
        // A lost lease's claims went to another crawler.
        if self.leased.contains(&claim.host) {
            // Counted apart until committed: a lease lost before
            // the commit takes its counts away with it.
            let host = claim.host.clone();
            let run = std::mem::take(&mut self.summary);
            let fetches = self.fetches;
            let handled = self.handle_item(claim, result, fetched_at);
            let part = std::mem::replace(&mut self.summary, run);
            let pending = self.staged.pending.entry(host).or_default();
            pending.summary.merge(part);
            pending.fetches += self.fetches.saturating_sub(fetches);
            handled?;
        }
        Ok(())
    }

    fn handle_item(
        &mut self,
        claim: Claim,
        result: ItemResult,
        _fetched_at: DateTime<Utc>,
    ) -> Result<()> {
        match result {
            ItemResult::NotModified => match not_modified(&claim) {
                NotModified::Unchanged => {
                    self.any_success = true;
                    self.summary.fetched += 1;
                    self.summary.skip(Reason::NotModified);
                    let ending = Ending::no_record(UrlStatus::Visited, Reason::NotModified);
                    self.end(&claim, ending.http(304));
                }
                NotModified::Unasked => self.handle_failure(
                    &claim,
                    Failure {
                        reason: Reason::NotModifiedUnasked,
                        message: format!("{}: HTTP 304 to a request without validators", claim.url),
                        transient: true,
                        retry_after: None,
                        status: Some(304),
                    },
                )?,
            },
            ItemResult::Challenge { status } => self.handle_challenge(&claim, status),
            ItemResult::Redirect { target, status } => {
                if target.as_ref().is_ok_and(is_consent_redirect) {
                    self.any_success = true;
                    self.consent_wall(&claim, status);
                    return Ok(());
                }
                let from = Url::parse(&claim.url).ok();
                let hop = target.and_then(|t| match &from {
                    Some(from) => check_hop(from, t, claim.hops, &self.scope),
                    None => Ok(t),
                });
                let queued = match &hop {
                    Ok(next) => self.queue(
                        next,
                        claim.depth,
                        claim.kind,
                        -1,
                        claim.hops + 1,
                        claim.kind.is_source(),
                    )?,
                    Err(_) => false,
                };
                match hop {
                    Ok(_) if queued => self.end(&claim, Ending::redirected()),
                    // `queue` counted the skip.
                    Ok(_) => self.end(&claim, Ending::skipped(Reason::RedirectOutOfScope)),
                    Err(HopError::OutOfScope { .. }) => {
                        self.summary.skip(Reason::OutOfScope);
                        self.end(&claim, Ending::skipped(Reason::RedirectOutOfScope));
                    }
                    Err(e) => {
                        tracing::info!("{}: {e}", claim.url);
                        self.summary.fail(e.reason(), &claim.host);
                        self.end(&claim, Ending::failed(e.reason()).http(status));
                    }
                }
            }
            ItemResult::Xml {
                doc,
                etag,
                last_modified,
            } => {
                self.any_success = true;
                self.summary.fetched += 1;
                let (yielded, cut) = self.queue_entries(&claim, &doc)?;
                // A document read in part is read again next run, whatever
                // its validators say.
                let (etag, last_modified) = if cut {
                    (None, None)
                } else {
                    (etag, last_modified)
                };
                self.end(
                    &claim,
                    Ending::visited()
                        .http(200)
                        .validators(etag, last_modified)
                        .yielded(yielded),
                );
            }
            ItemResult::Page {
                page,
                prints,
                etag,
                last_modified,
            } => {
                self.any_success = true;
                self.summary.fetched += 1;
                self.handle_page(&claim, *page, prints, etag, last_modified)?;
            }
            ItemResult::Skipped { reason, status } => {
                self.any_success = true;
                self.summary.fetched += 1;
                self.summary.skip(reason);
                self.end(&claim, Ending::skipped(reason).http(status));
            }
            ItemResult::Failed {
                reason,
                message,
                transient,
                retry_after,
                status,
            } => self.handle_failure(
                &claim,
                Failure {
                    reason,
                    message,
                    transient,
                    retry_after,
                    status,
                },
            )?,
        }
        Ok(())
    }

    /// A bot challenge: the URL goes back to the frontier and the host is
    /// paused, twice as long as after the challenge before (stored, so
    /// later runs keep doubling), at most a day.
    fn handle_challenge(&mut self, claim: &Claim, status: u16) {
        self.summary.fetched += 1;
        self.summary.wall(Reason::Challenge);
        let n = self.challenges.get(&claim.host).copied().unwrap_or(0) + 1;
        self.challenges.insert(claim.host.clone(), n);
        self.staged
            .batch
            .host_challenges
            .push((claim.host.clone(), n));
        let pause = challenge_pause(n);
        tracing::warn!(
            "{}: bot challenge (HTTP {status}, challenge {n} in a row): {} paused for {} s",
            claim.url,
            claim.host,
            pause.as_secs()
        );
        if let Some(h) = self.hosts.get_mut(&claim.host) {
            h.pause_until(Instant::now() + pause);
        }
        self.staged.batch.results.push(ClaimResult {
            claim_id: claim.id,
            url: claim.url.clone(),
            outcome: Outcome::Release,
            alias: None,
        });
        self.staged.retry_hosts.push(claim.host.clone());
        self.note_request(&claim.host);
    }

    /// A redirect to a consent page: the page is left out.
    fn consent_wall(&mut self, claim: &Claim, status: u16) {
        self.summary.fetched += 1;
        self.summary.wall(Reason::ConsentWall);
        self.consent_warning(&claim.host, &claim.url);
        self.end(claim, Ending::skipped(Reason::ConsentWall).http(status));
    }

    /// Says once per host what a consent wall needs.
    fn consent_warning(&mut self, host: &str, url: &str) {
        if self.consent_warned.insert(host.to_string()) {
            tracing::warn!(
                "{url}: consent wall instead of the page; a site config for {host} can send the consent cookie (`headers = {{ Cookie = \"...\" }}`)"
            );
        }
    }

    /// A host answered something other than a challenge: its count of
    /// challenges in a row starts again.
    fn host_answered(&mut self, host: &str) {
        if self.challenges.remove(host).is_some() {
            self.staged
                .batch
                .host_challenges
                .push((host.to_string(), 0));
        }
    }

    /// A failed fetch: retried while transient and attempts remain (after
    /// a back-off, or the server's Retry-After), else recorded as failed.
    fn handle_failure(&mut self, claim: &Claim, f: Failure) -> Result<()> {
        if f.status.is_some() {
            self.summary.fetched += 1;
        }
        let now = Instant::now();
        let Some(h) = self.hosts.get_mut(&claim.host) else {
            return Ok(());
        };
        h.errors += 1;
        if let Some(wait) = f.retry_after {
            h.pause_until(now + wait);
        }
        if f.transient && claim.attempts < MAX_RETRIES {
            let wait = backoff(claim.attempts + 1, h.interval);
            h.pause_until(now + wait);
            self.summary.retries += 1;
            tracing::info!(
                "{}: retry {} in {:.1} s",
                f.message,
                claim.attempts + 1,
                wait.as_secs_f64()
            );
            self.staged.retry_hosts.push(claim.host.clone());
            self.staged.batch.results.push(ClaimResult {
                claim_id: claim.id,
                url: claim.url.clone(),
                outcome: Outcome::Retry,
                alias: None,
            });
        } else {
            tracing::warn!("{}", f.message);
            self.summary.fail(f.reason, &claim.host);
            self.end(
                claim,
                Ending::failed(f.reason)
                    .http_opt(f.status)
                    .counted(f.status.is_some()),
            );
        }
        self.note_request(&claim.host);
        Ok(())
    }

    fn handle_page(
        &mut self,
        claim: &Claim,
        page: ExtractedPage,
        Fingerprints {
            hash,
            near,
            encoded,
        }: Fingerprints,
        etag: Option<String>,
        last_modified: Option<String>,
    ) -> Result<()> {
        self.follow(claim, &page.links)?;
        // Drift counts article pages only: a config describes articles.
        if let Some(sample) = page.drift_sample().filter(|_| page.is_article()) {
            self.summary.site_page(&sample);
        }
        let key = page
            .canonical
            .as_ref()
            .and_then(normalize)
            .filter(|u| self.scope.contains(u))
            .map(|u| u.to_string())
            .unwrap_or_else(|| claim.url.clone());
        let alias = (key != claim.url).then(|| key.clone());
        let facts = PageFacts {
            url: &claim.url,
            key: &key,
            is_article: page.is_article(),
            consent_wall: is_consent_page(&page.record.body),
            published: page
                .record
                .published
                .as_deref()
                .and_then(parse_date)
                .map(|p| p.with_timezone(&Utc)),
            hash: &hash,
        };
        let policy = Policy {
            since: self.cfg.since,
            refetch: self.cfg.refetch_after.is_some(),
        };
        // Only an article to judge further needs what the state knows.
        let (info_key, info_url) = if facts.is_article {
            let url = match &alias {
                Some(_) => self.state.url_info(&claim.url)?,
                None => None,
            };
            (self.state.url_info(&key)?, url)
        } else {
            (None, None)
        };
        let known = Known {
            key: info_key.as_ref(),
            url: info_url.as_ref(),
            key_in_batch: self.key_staged(&key),
        };
        let mut decision = decide_page(&facts, &known, &policy);
        if decision == PageDecision::Write {
            let owner = self.state.claim_content(&hash, &key)?;
            decision = decide_content(&owner, &facts);
        }
        let ending = match decision {
            PageDecision::NoRecord(status, Reason::ConsentWall) => {
                self.consent_warning(&claim.host, &claim.url);
                self.summary.wall(Reason::ConsentWall);
                Ending::no_record(status, Reason::ConsentWall)
            }
            PageDecision::NoRecord(status, reason) => {
                self.summary.skip(reason);
                Ending::no_record(status, reason)
            }
            PageDecision::Write => {
                if !self.near.insert(near) {
                    // Same words, different punctuation or case: written, but counted.
                    self.summary.near_duplicates += 1;
                }
                if page.record.paywalled {
                    self.summary.wall(Reason::Paywall);
                }
                self.staged.records.push((claim.host.clone(), encoded));
                self.staged.keys.insert(key);
                self.summary.written += 1;
                Ending::written(hash)
            }
        };
        self.end_with_alias(
            claim,
            ending.http(200).validators(etag, last_modified),
            alias,
        );
        Ok(())
    }
}

/// A finished request waiting for its turn (see [`super::order`]).
pub(super) struct Done {
    claim: Claim,
    result: ItemResult,
    fetched_at: DateTime<Utc>,
    /// When the request was actually sent.
    sent_at: Instant,
    warc: Vec<u8>,
    /// Its host was freed when its response was read.
    released: bool,
}

/// A failed fetch, as [`ItemResult::Failed`] reports it.
struct Failure {
    reason: Reason,
    message: String,
    transient: bool,
    retry_after: Option<std::time::Duration>,
    status: Option<u16>,
}
