//! What a fetch adds to the frontier, within bounds: a sitemap's or feed's
//! entries and a page's links and feeds, one hop deeper than what listed
//! them (so page -> feed -> page and index -> index chains end at
//! `--max-depth`); a sitemap index's children read one by one between the
//! articles they list; per-host frontier room
//! ([`MAX_FRONTIER_PER_HOST`]) and, with `--max-pages`, a run's budget of
//! new URLs ([`QUEUED_PER_FETCH`] per page allowed).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Result;
use rustc_hash::FxHashSet;
use url::Url;

use super::super::discover::{XmlDoc, XmlKind};
use super::super::urlnorm::{host_key, normalize};
use super::Crawler;
use crate::extract::PageLinks;
use crate::limits::{MAX_FRONTIER_PER_HOST, MAX_SEEN_URLS, MAX_SITEMAP_CHILDREN, QUEUED_PER_FETCH};
use crate::state::{Claim, NewUrl, Reason, UrlKind};

/// Priority of sources read first (robots.txt `Sitemap:`, a home page's feeds).
pub(super) const SOURCE_PRIORITY: i64 = 0;
/// Priority of pages expected to be articles (listed by a sitemap or feed,
/// or matching a site's article patterns).
pub(super) const ARTICLE_PRIORITY: i64 = 2;
/// Priority of other links.
pub(super) const LINK_PRIORITY: i64 = 3;
/// How many entries of a linked feed are looked up to tell whether it
/// listed anything new.
const YIELD_LOOKUPS: usize = 200;
/// Least time between two exact counts of a full host's frontier.
const RECOUNT_EVERY: Duration = Duration::from_secs(1);

/// Frontier room per host, counted without asking the state for every URL:
/// the state's count when a host is first seen, plus every URL queued
/// since (an over-estimate, as some were known already), counted again
/// exactly when the estimate reaches the cap (at most every
/// [`RECOUNT_EVERY`]); and the run's budget of new URLs.
#[derive(Debug)]
pub(super) struct Room {
    /// Most entries per host.
    cap: u64,
    /// Most new URLs this run (`--max-pages` times [`QUEUED_PER_FETCH`]).
    budget: Option<u64>,
    /// Per host: estimated frontier entries, and when they were last counted.
    hosts: HashMap<String, (u64, Instant)>,
    /// New URLs queued this run.
    queued: u64,
}

impl Room {
    /// Room for a run with `--max-pages max_pages` (0: no budget).
    pub(super) fn for_run(max_pages: u64) -> Self {
        Self::new(
            MAX_FRONTIER_PER_HOST,
            (max_pages > 0).then(|| max_pages.saturating_mul(QUEUED_PER_FETCH)),
        )
    }

    fn new(cap: u64, budget: Option<u64>) -> Self {
        Self {
            cap,
            budget,
            hosts: HashMap::new(),
            queued: 0,
        }
    }

    /// Takes one place in `host`'s frontier and in the run's budget;
    /// `count` counts the host's entries exactly (the state's and the
    /// batch's). `Err(reason)` when there is none.
    fn admit(
        &mut self,
        host: &str,
        now: Instant,
        mut count: impl FnMut() -> Result<u64>,
    ) -> Result<Result<(), Reason>> {
        if self.budget.is_some_and(|b| self.queued >= b) {
            return Ok(Err(Reason::QueueBudget));
        }
        let (mut n, mut counted) = match self.hosts.get(host) {
            Some(&e) => e,
            None => (count()?, now),
        };
        if n >= self.cap && now.duration_since(counted) >= RECOUNT_EVERY {
            // The estimate counts URLs that were known already.
            n = count()?;
            counted = now;
        }
        if n >= self.cap {
            self.hosts.insert(host.to_string(), (n, counted));
            return Ok(Err(Reason::FrontierFull));
        }
        self.hosts.insert(host.to_string(), (n + 1, counted));
        self.queued += 1;
        Ok(Ok(()))
    }
}

/// Page URLs queued this run, as found and as normalised: queued again,
/// such a URL would change nothing (the state keeps the first entry), so a
/// link met again is passed over before it is normalised, scoped, counted
/// against the frontier's room and looked up by the state. At most
/// [`MAX_SEEN_URLS`]: cleared when full (then URLs are only queued again).
#[derive(Debug)]
pub(super) struct Seen {
    urls: FxHashSet<String>,
    /// Most URLs kept.
    cap: usize,
}

impl Default for Seen {
    fn default() -> Self {
        Self::new(MAX_SEEN_URLS)
    }
}

impl Seen {
    fn new(cap: usize) -> Self {
        Self {
            urls: FxHashSet::default(),
            cap,
        }
    }

    /// Whether `url` was queued as a page this run.
    pub(super) fn contains(&self, url: &str) -> bool {
        self.urls.contains(url)
    }

    /// Remembers that `url` was queued as a page.
    pub(super) fn insert(&mut self, url: &str) {
        if self.urls.contains(url) {
            return;
        }
        if self.urls.len() >= self.cap {
            self.urls.clear();
        }
        self.urls.insert(url.to_string());
    }
}

/// Why a URL was not queued.
enum Refusal {
    /// Out of scope or not a URL.
    Skipped,
    /// No room.
    Full(Reason),
}

/// A sitemap's or feed's entries as the frontier takes them: resolved, in
/// the order to queue them (a sitemap index's children newest first, at
/// most [`MAX_SITEMAP_CHILDREN`]); the second value tells whether some were
/// left out.
fn entries_to_queue(
    doc: &XmlDoc,
    base: Option<&Url>,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> (Vec<Url>, usize, bool) {
    let mut entries: Vec<_> = doc.entries.iter().collect();
    let mut too_old = 0;
    entries.retain(|e| {
        let old = matches!((since, e.date), (Some(s), Some(d)) if d < s);
        too_old += usize::from(old);
        !old
    });
    let mut cut = false;
    if doc.kind == XmlKind::SitemapIndex {
        // Stable: undated children keep their order, after the dated ones.
        entries.sort_by_key(|e| std::cmp::Reverse(e.date));
        cut = entries.len() > MAX_SITEMAP_CHILDREN;
        entries.truncate(MAX_SITEMAP_CHILDREN);
    }
    let urls = entries
        .into_iter()
        .filter_map(|e| match base {
            Some(b) => b.join(&e.url).ok(),
            None => Url::parse(&e.url).ok(),
        })
        .collect();
    (urls, too_old, cut)
}

impl Crawler {
    /// Queues `url` for the next commit: refused when out of scope, and
    /// (unless `force`d: sources and their redirects) when its host's
    /// frontier or the run's budget is full. A forced URL is queued once
    /// per run. Returns whether it was queued (or already forced).
    pub(super) fn queue(
        &mut self,
        url: &Url,
        depth: u32,
        kind: UrlKind,
        priority: i64,
        hops: u32,
        force: bool,
    ) -> Result<bool> {
        match self.try_queue(url, depth, kind, priority, hops, force)? {
            Ok(()) => Ok(true),
            Err(Refusal::Full(reason)) => {
                self.summary.skip(reason);
                Ok(false)
            }
            Err(Refusal::Skipped) => Ok(false),
        }
    }

    fn try_queue(
        &mut self,
        url: &Url,
        depth: u32,
        kind: UrlKind,
        priority: i64,
        hops: u32,
        force: bool,
    ) -> Result<Result<(), Refusal>> {
        let Some(u) = normalize(url) else {
            return Ok(Err(Refusal::Skipped));
        };
        if !self.scope.contains(&u) {
            self.summary.skip(Reason::OutOfScope);
            return Ok(Err(Refusal::Skipped));
        }
        // Queued as a page already (not forced: a forced URL is queued again).
        let page = kind == UrlKind::Page && !force;
        if page && self.seen.contains(u.as_str()) {
            return Ok(Ok(()));
        }
        let host = host_key(&u);
        if force {
            if !self.forced.insert(u.to_string()) {
                return Ok(Ok(()));
            }
        } else if let Err(reason) = self.make_room(&host)? {
            return Ok(Err(Refusal::Full(reason)));
        }
        if page {
            self.seen.insert(u.as_str());
        }
        self.staged.batch.new_urls.push(NewUrl {
            host,
            url: u.to_string(),
            depth,
            kind,
            priority,
            hops,
            force,
        });
        Ok(Ok(()))
    }

    /// Takes one place in `host`'s frontier and in the run's budget.
    fn make_room(&mut self, host: &str) -> Result<Result<(), Reason>> {
        let Self {
            room,
            state,
            staged,
            frozen,
            ..
        } = self;
        room.admit(host, Instant::now(), || {
            // URLs of the open and the frozen batch are not in the state yet.
            let pending = std::iter::once(&*staged)
                .chain(frozen.as_ref().map(|f| &f.staged))
                .flat_map(|s| &s.batch.new_urls)
                .filter(|u| u.host == host)
                .count();
            Ok(state.frontier_len(host)? + pending as u64)
        })
    }

    /// Queues a sitemap's or feed's entries one hop deeper than `claim`
    /// (none at `--max-depth`); returns whether it listed a URL the state
    /// did not know (for a linked feed), and whether entries were left out
    /// (then its validators are not kept, so that the next run reads it
    /// again).
    pub(super) fn queue_entries(&mut self, claim: &Claim, doc: &XmlDoc) -> Result<(bool, bool)> {
        let base = Url::parse(&claim.url).ok();
        let (urls, too_old, mut cut) = entries_to_queue(doc, base.as_ref(), self.cfg.since);
        for _ in 0..too_old {
            self.summary.skip(Reason::OlderThanSince);
        }
        if claim.depth >= self.cfg.max_depth {
            return Ok((false, false));
        }
        let depth = claim.depth + 1;
        let mut yielded = false;
        if claim.kind == UrlKind::LinkedFeed {
            for u in urls.iter().take(YIELD_LOOKUPS) {
                let Some(n) = normalize(u) else { continue };
                if self.state.url_info(n.as_str())?.is_none() {
                    yielded = true;
                    break;
                }
            }
        }
        for (i, u) in urls.iter().enumerate() {
            let queued = match doc.kind {
                // Child sitemaps are read one after the other, each after
                // the articles of the one before (they sort after them).
                XmlKind::SitemapIndex => {
                    let prio = ARTICLE_PRIORITY + i as i64;
                    self.queue(u, depth, UrlKind::Sitemap, prio, 0, true)?
                }
                _ => self.queue(u, depth, UrlKind::Page, ARTICLE_PRIORITY, 0, false)?,
            };
            cut |= !queued;
        }
        Ok((yielded, cut))
    }

    /// Queues a page's links and linked feeds one hop deeper (none at
    /// `--max-depth`). Feeds linked from a source page or a site's root are
    /// polled by later runs; others are read once (and again only while
    /// they yield new URLs).
    pub(super) fn follow(&mut self, claim: &Claim, links: &PageLinks) -> Result<()> {
        if claim.depth >= self.cfg.max_depth {
            return Ok(());
        }
        let depth = claim.depth + 1;
        let home = claim.kind.is_source()
            || Url::parse(&claim.url).is_ok_and(|u| u.path() == "/" && u.query().is_none());
        for f in &links.feeds {
            if home {
                self.queue(f, depth, UrlKind::Feed, SOURCE_PRIORITY, 0, false)?;
            } else {
                self.queue(f, depth, UrlKind::LinkedFeed, ARTICLE_PRIORITY, 0, false)?;
            }
        }
        for l in &links.links {
            // Most links of a page (navigation, related stories) were
            // queued from an earlier page.
            if self.seen.contains(l.as_str()) {
                continue;
            }
            let prio = match self.sites.for_url(l) {
                Some(s) if s.is_article_url(l.as_str()) => ARTICLE_PRIORITY,
                _ => LINK_PRIORITY,
            };
            if self.queue(l, depth, UrlKind::Page, prio, 0, false)? {
                self.seen.insert(l.as_str());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::discover::Entry;

    fn entry(url: &str, date: Option<&str>) -> Entry {
        Entry {
            url: url.into(),
            date: date.map(|d| d.parse().unwrap()),
        }
    }

    #[test]
    fn room_is_capped_per_host_and_counted_again_when_full() {
        let mut room = Room::new(3, None);
        let t0 = Instant::now();
        let mut counts = 0;
        let mut admit = |room: &mut Room, host: &str, at: Instant, exact: u64| {
            room.admit(host, at, || {
                counts += 1;
                Ok(exact)
            })
            .unwrap()
        };
        // The state holds one entry of h: two more fit.
        assert_eq!(admit(&mut room, "h", t0, 1), Ok(()));
        assert_eq!(admit(&mut room, "h", t0, 1), Ok(()));
        assert_eq!(admit(&mut room, "h", t0, 1), Err(Reason::FrontierFull));
        assert_eq!(admit(&mut room, "g", t0, 0), Ok(()));
        // Later, counted again: two of the three were known already.
        let later = t0 + RECOUNT_EVERY;
        assert_eq!(admit(&mut room, "h", later, 2), Ok(()));
        assert_eq!(admit(&mut room, "h", later, 2), Err(Reason::FrontierFull));
        assert_eq!(
            counts, 3,
            "counted when first seen (h, g) and once when full"
        );
    }

    #[test]
    fn seen_urls_are_bounded() {
        let mut seen = Seen::new(2);
        seen.insert("http://h/a");
        seen.insert("http://h/a");
        seen.insert("http://h/b");
        assert!(seen.contains("http://h/a") && seen.contains("http://h/b"));
        // Full: forgotten, then remembered again one by one.
        seen.insert("http://h/c");
        assert!(seen.contains("http://h/c"));
        assert!(!seen.contains("http://h/a") && !seen.contains("http://h/b"));
    }

    #[test]
    fn a_run_queues_within_its_budget() {
        let mut room = Room::for_run(1);
        let now = Instant::now();
        for _ in 0..QUEUED_PER_FETCH {
            assert_eq!(room.admit("h", now, || Ok(0)).unwrap(), Ok(()));
        }
        assert_eq!(
            room.admit("g", now, || Ok(0)).unwrap(),
            Err(Reason::QueueBudget)
        );
    }

    #[test]
    fn index_children_newest_first_and_capped() {
        let mut entries = vec![
            entry("/undated", None),
            entry("/old", Some("2024-01-01T00:00:00Z")),
            entry("/new", Some("2024-03-01T00:00:00Z")),
        ];
        let doc = XmlDoc {
            kind: XmlKind::SitemapIndex,
            entries: entries.clone(),
        };
        let base: Url = "http://h/i.xml".parse().unwrap();
        let (urls, _, cut) = entries_to_queue(&doc, Some(&base), None);
        let paths: Vec<&str> = urls.iter().map(Url::path).collect();
        assert_eq!(paths, ["/new", "/old", "/undated"]);
        assert!(!cut);
        entries.extend((0..MAX_SITEMAP_CHILDREN).map(|i| entry(&format!("/s{i}"), None)));
        let doc = XmlDoc {
            kind: XmlKind::SitemapIndex,
            entries,
        };
        let (urls, _, cut) = entries_to_queue(&doc, Some(&base), None);
        assert_eq!(urls.len(), MAX_SITEMAP_CHILDREN);
        assert!(cut);
    }

    #[test]
    fn entries_older_than_since_are_left_out_and_counted() {
        let doc = XmlDoc {
            kind: XmlKind::UrlSet,
            entries: vec![
                entry("http://h/old", Some("2024-01-01T00:00:00Z")),
                entry("http://h/new", Some("2024-03-01T00:00:00Z")),
                entry("http://h/undated", None),
            ],
        };
        let since = "2024-02-01T00:00:00Z".parse().ok();
        let (urls, too_old, cut) = entries_to_queue(&doc, None, since);
        let paths: Vec<&str> = urls.iter().map(Url::path).collect();
        assert_eq!((paths, too_old, cut), (vec!["/new", "/undated"], 1, false));
    }
}
