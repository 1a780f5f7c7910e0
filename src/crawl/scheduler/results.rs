//! Turning fetch results into state outcomes, new frontier entries and
//! records: redirects (each hop queued after a scope check), sitemaps and
//! feeds, pages (canonical identity, article decision, `--since`, exact
//! duplicates, re-fetches) and failures (retries, Retry-After).

use std::time::Instant;

use anyhow::Result;
use chrono::{DateTime, Utc};
use url::Url;

use super::super::discover::XmlKind;
use super::super::item::{Fingerprints, ItemResult, WorkResult};
use super::super::urlnorm::{host_key, normalize};
use super::Crawler;
use crate::extract::dates::parse_date;
use crate::extract::{ExtractedPage, PageLinks};
use crate::fetch::host::backoff;
use crate::fetch::{check_hop, HopError, Robots};
use crate::limits::MAX_RETRIES;
use crate::state::{Claim, CrawlState, Done, Finished, NewUrl, Outcome, UrlKind};

/// Where a sitemap's or feed's entries go: (kind, depth, priority).
fn discover_kind(k: XmlKind) -> (UrlKind, u32, i64) {
    match k {
        XmlKind::SitemapIndex => (UrlKind::Sitemap, 0, 0),
        _ => (UrlKind::Page, 1, 2),
    }
}

impl<S: CrawlState> Crawler<S> {
    /// Records how `claim` ended, for the next commit.
    pub(super) fn finish(&mut self, claim: &Claim, end: Finished) {
        self.finish_with_alias(claim, end, None);
    }

    /// [`Crawler::finish`], recording `alias` (the canonical URL the page
    /// named) with the same ending.
    pub(super) fn finish_with_alias(
        &mut self,
        claim: &Claim,
        end: Finished,
        alias: Option<String>,
    ) {
        if end.counted {
            self.fetches += 1;
        }
        self.batch.done.push(Done {
            claim_id: claim.id,
            url: claim.url.clone(),
            outcome: Outcome::Finished(end),
            alias,
        });
    }

    pub(super) fn queue(
        &mut self,
        url: &Url,
        depth: u32,
        kind: UrlKind,
        priority: i64,
        hops: u32,
        force: bool,
    ) -> bool {
        let Some(u) = normalize(url) else {
            return false;
        };
        if !self.scope.contains(&u) {
            self.summary.skip("scope");
            return false;
        }
        if force && !self.forced.insert(u.to_string()) {
            return true;
        }
        self.batch.new_urls.push(NewUrl {
            host: host_key(&u),
            url: u.to_string(),
            depth,
            kind,
            priority,
            hops,
            force,
        });
        true
    }

    pub(super) fn handle(&mut self, r: WorkResult) -> Result<()> {
        self.in_flight = self.in_flight.saturating_sub(1);
        match r {
            WorkResult::Robots {
                host,
                robots,
                sent_at,
            } => {
                self.summary.robots += 1;
                if let Robots::DisallowAll { reason } = &robots {
                    tracing::warn!(
                        "{host}: robots.txt unavailable ({reason}): host skipped this run"
                    );
                    self.summary.fail("robots.txt unavailable", &host);
                }
                let sitemaps: Vec<String> = robots.sitemaps().to_vec();
                let h = self.ensure_host(&host)?;
                h.request_sent(sent_at);
                h.set_robots(robots);
                self.note_request(&host);
                for s in sitemaps {
                    if let Ok(u) = Url::parse(&s) {
                        self.queue(&u, 0, UrlKind::Sitemap, 0, 0, true);
                    }
                }
            }
            WorkResult::Item {
                claim,
                result,
                fetched_at,
                sent_at,
            } => {
                if let Some(h) = self.hosts.get_mut(&claim.host) {
                    h.request_sent(sent_at);
                }
                self.handle_item(claim, result, fetched_at)?;
            }
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
            ItemResult::NotModified => {
                self.any_success = true;
                self.summary.fetched += 1;
                self.summary.skip("not modified");
                self.finish(&claim, Finished::new("done").http(304));
            }
            ItemResult::Redirect { target, status } => {
                let from = Url::parse(&claim.url).ok();
                let hop = target.and_then(|t| match &from {
                    Some(from) => check_hop(from, t, claim.hops, &self.scope),
                    None => Ok(t),
                });
                match hop {
                    Ok(next)
                        if self.queue(
                            &next,
                            claim.depth,
                            claim.kind,
                            -1,
                            claim.hops + 1,
                            claim.kind.is_source(),
                        ) =>
                    {
                        self.finish(&claim, Finished::new("done").reason("redirect").uncounted());
                    }
                    Ok(_) | Err(HopError::OutOfScope { .. }) => {
                        self.summary.skip("scope");
                        self.finish(
                            &claim,
                            Finished::new("skipped").reason("redirect out of scope"),
                        );
                    }
                    Err(e) => {
                        tracing::info!("{}: {e}", claim.url);
                        self.summary.fail(e.reason(), &claim.host);
                        self.finish(
                            &claim,
                            Finished::new("failed").reason(e.reason()).http(status),
                        );
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
                let base = Url::parse(&claim.url).ok();
                let (kind, depth, prio) = discover_kind(doc.kind);
                for e in doc.entries {
                    if let (Some(since), Some(d)) = (self.cfg.since, e.date) {
                        if d < since {
                            self.summary.skip("older than --since");
                            continue;
                        }
                    }
                    let u = match &base {
                        Some(b) => b.join(&e.url).ok(),
                        None => Url::parse(&e.url).ok(),
                    };
                    if let Some(u) = u {
                        self.queue(&u, depth, kind, prio, 0, kind.is_source());
                    }
                }
                self.finish(
                    &claim,
                    Finished::new("done")
                        .http(200)
                        .validators(etag, last_modified),
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
                self.finish(&claim, Finished::new("skipped").reason(reason).http(status));
            }
            ItemResult::Failed {
                reason,
                message,
                transient,
                retry_after,
                status,
            } => {
                if status.is_some() {
                    self.summary.fetched += 1;
                }
                let now = Instant::now();
                let h = self.ensure_host(&claim.host)?;
                h.errors += 1;
                if let Some(wait) = retry_after {
                    h.pause_until(now + wait);
                }
                if transient && claim.attempts < MAX_RETRIES {
                    let wait = backoff(claim.attempts + 1, h.interval);
                    h.pause_until(now + wait);
                    self.summary.retries += 1;
                    tracing::info!(
                        "{message}: retry {} in {:.1} s",
                        claim.attempts + 1,
                        wait.as_secs_f64()
                    );
                    self.retry_hosts.push(claim.host.clone());
                    self.batch.done.push(Done {
                        claim_id: claim.id,
                        url: claim.url.clone(),
                        outcome: Outcome::Retry,
                        alias: None,
                    });
                } else {
                    tracing::warn!("{message}");
                    self.summary.fail(&reason, &claim.host);
                    self.finish(
                        &claim,
                        Finished::new("failed")
                            .reason(reason)
                            .http_opt(status)
                            .counted(status.is_some()),
                    );
                }
                self.note_request(&claim.host);
            }
        }
        Ok(())
    }

    /// Queues a page's links (within `--max-depth`) and linked feeds.
    fn follow(&mut self, claim: &Claim, links: &PageLinks) {
        if claim.depth < self.cfg.max_depth {
            for l in &links.links {
                let prio = match self.sites.for_url(l) {
                    Some(s) if s.is_article_url(l.as_str()) => 2,
                    _ => 3,
                };
                self.queue(l, claim.depth + 1, UrlKind::Page, prio, 0, false);
            }
        }
        for f in &links.feeds {
            self.queue(f, 0, UrlKind::Feed, 0, 0, false);
        }
    }

    fn handle_page(
        &mut self,
        claim: &Claim,
        page: ExtractedPage,
        Fingerprints { hash, near, line }: Fingerprints,
        etag: Option<String>,
        last_modified: Option<String>,
    ) -> Result<()> {
        self.follow(claim, &page.links);
        if let Some(site) = &page.site {
            self.summary.site_page(&site.name, page.fallback.is_some());
        }
        let canonical = page
            .canonical
            .as_ref()
            .and_then(normalize)
            .filter(|u| self.scope.contains(u))
            .map(|u| u.to_string());
        let key = canonical.unwrap_or_else(|| claim.url.clone());
        let alias = (key != claim.url).then(|| key.clone());
        let too_old = self.cfg.since.is_some_and(|since| {
            page.record
                .published
                .as_deref()
                .and_then(parse_date)
                .is_some_and(|p| p.with_timezone(&Utc) < since)
        });
        // (stored status, stored reason, summary reason) of a page that gives no record.
        let skip = if !page.is_article() {
            Some(("done", "not an article", "not an article"))
        } else if too_old {
            Some(("skipped", "too old", "older than --since"))
        } else {
            None
        };
        if let Some((status, reason, counted_as)) = skip {
            self.summary.skip(counted_as);
            self.finish_with_alias(
                claim,
                Finished::new(status)
                    .reason(reason)
                    .http(200)
                    .validators(etag, last_modified),
                alias,
            );
            return Ok(());
        }
        let info_key = self.state.url_info(&key)?;
        let info_claim = if alias.is_some() {
            self.state.url_info(&claim.url)?
        } else {
            None
        };
        let written =
            |i: &Option<crate::state::UrlInfo>| i.as_ref().is_some_and(|i| i.status == "written");
        let already = written(&info_key) || written(&info_claim);
        let dup_content = self.pending_hashes.contains(&hash)
            || self
                .state
                .hash_owner(&hash)?
                .is_some_and(|o| o != key && o != claim.url);
        let skip = if self.pending_urls.contains(&key) {
            Some("duplicate url")
        } else if already {
            let prev = info_claim
                .as_ref()
                .and_then(|i| i.content_hash.clone())
                .or_else(|| info_key.as_ref().and_then(|i| i.content_hash.clone()));
            if self.cfg.refetch_after.is_some()
                && prev.as_deref() != Some(hash.as_str())
                && !dup_content
            {
                None
            } else if self.cfg.refetch_after.is_some() {
                Some("unchanged")
            } else {
                Some("duplicate url")
            }
        } else if dup_content {
            Some("duplicate content")
        } else {
            None
        };
        if let Some(reason) = skip {
            self.summary.skip(reason);
            self.finish_with_alias(
                claim,
                Finished::new("skipped")
                    .reason(reason)
                    .http(200)
                    .validators(etag, last_modified),
                alias,
            );
            return Ok(());
        }
        if !self.near.insert(near) {
            // Same words, different punctuation or case: written, but counted.
            self.summary.near_duplicates += 1;
        }
        self.lines.push(line);
        self.pending_urls.insert(key);
        self.pending_hashes.insert(hash.clone());
        self.summary.written += 1;
        self.finish_with_alias(
            claim,
            Finished::new("written")
                .http(200)
                .validators(etag, last_modified)
                .content_hash(hash),
            alias,
        );
        Ok(())
    }
}
