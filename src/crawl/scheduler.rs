//! The crawl loop: claims frontier entries host by host (round-robin, one
//! request in flight per host, spacing kept by [`Host`]), fetches them on
//! tokio tasks, turns results into records, new frontier entries and state
//! outcomes, and commits them in small batches after the output is synced.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::Utc;
use tokio::sync::mpsc;
use url::Url;

use super::item::{fetch_item, WorkResult};
use super::summary::{Progress, Summary};
use super::{CrawlConfig, Scope, StopSignals};
use crate::extract::ExtractOptions;
use crate::fetch::{fetch_robots, Fetcher, Host, Robots, RobotsState};
use crate::limits::{LONG_PAUSE, STOP_DRAIN};
use crate::output::Sink;
use crate::selectors::SiteRegistry;
use crate::state::{now_ms, Batch, Claim, CrawlState, Done, Finished, NewUrl, Outcome};

mod results;

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Nothing left to fetch.
    Finished,
    /// `--max-pages` reached.
    MaxPages,
    /// `--max-duration` elapsed.
    MaxDuration,
    /// SIGINT.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

/// The crawler: configuration, state, output and the per-host table.
pub struct Crawler<S: CrawlState> {
    cfg: Arc<CrawlConfig>,
    state: S,
    sink: Sink,
    fetcher: Fetcher,
    sites: Arc<SiteRegistry>,
    /// Extraction options shared by all pages of the crawl.
    extract: ExtractOptions,
    scope: Scope,
    hosts: HashMap<String, Host>,
    parked: HashMap<String, Claim>,
    order: Vec<String>,
    rr: usize,
    in_flight: usize,
    fetches: u64,
    batch: Batch,
    lines: Vec<String>,
    pauses: HashMap<String, i64>,
    retry_hosts: Vec<String>,
    pending_urls: HashSet<String>,
    pending_hashes: HashSet<String>,
    /// URLs queued with `force` this run: a source is read once per run,
    /// whatever lists it again (sitemap indexes citing each other).
    forced: HashSet<String>,
    /// Near-duplicate keys of bodies written this run.
    near: HashSet<u64>,
    last_flush: Instant,
    /// Counters for the end summary.
    pub summary: Summary,
    any_success: bool,
    tx: mpsc::UnboundedSender<WorkResult>,
    rx: mpsc::UnboundedReceiver<WorkResult>,
}

impl<S: CrawlState> Crawler<S> {
    /// Builds a crawler; `fetches` is the count an interrupted run already spent.
    pub fn new(
        cfg: Arc<CrawlConfig>,
        state: S,
        sink: Sink,
        fetcher: Fetcher,
        sites: Arc<SiteRegistry>,
        scope: Scope,
        fetches: u64,
    ) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            cfg,
            state,
            sink,
            fetcher,
            sites,
            extract: ExtractOptions {
                use_selectors: true,
                collect_links: true,
                language_memo: Some(Arc::default()),
            },
            scope,
            hosts: HashMap::new(),
            parked: HashMap::new(),
            order: Vec::new(),
            rr: 0,
            in_flight: 0,
            fetches,
            batch: Batch::default(),
            lines: Vec::new(),
            pauses: HashMap::new(),
            retry_hosts: Vec::new(),
            pending_urls: HashSet::new(),
            pending_hashes: HashSet::new(),
            forced: HashSet::new(),
            near: HashSet::new(),
            last_flush: Instant::now(),
            summary: Summary::default(),
            any_success: false,
            tx,
            rx,
        }
    }

    /// Gives the state back (to end the run).
    pub fn into_state(self) -> S {
        self.state
    }

    /// True when at least one fetch got a usable answer.
    pub fn any_success(&self) -> bool {
        self.any_success
    }

    fn ensure_host(&mut self, key: &str) -> Result<&mut Host> {
        if !self.hosts.contains_key(key) {
            let mut h = Host::for_site(key, self.cfg.rate, &self.sites);
            if let Some(until) = self.state.host_pause(key)? {
                let wait = until - now_ms();
                if wait > 0 {
                    h.pause_until(Instant::now() + Duration::from_millis(wait as u64));
                }
            }
            self.hosts.insert(key.to_string(), h);
            self.order.push(key.to_string());
        }
        Ok(self.hosts.get_mut(key).expect("inserted above"))
    }

    /// Queues the sources and runs until done or stopped (by `signals`,
    /// listened to since the command started, or a limit).
    pub async fn run(
        &mut self,
        sources: Vec<NewUrl>,
        signals: &mut StopSignals,
    ) -> Result<StopReason> {
        self.forced.extend(sources.iter().map(|s| s.url.clone()));
        self.batch.new_urls = sources;
        self.flush()?;
        for h in self.state.hosts_with_work()? {
            if self.scope.contains_host(&h) {
                self.ensure_host(&h)?.has_work = true;
            }
        }
        let started = Instant::now();
        let deadline = self.cfg.max_duration.and_then(|d| started.checked_add(d));
        let mut progress = Progress::new(Duration::from_secs(10));
        let mut stop: Option<(StopReason, Instant)> = None;
        loop {
            while let Ok(r) = self.rx.try_recv() {
                self.handle(r)?;
            }
            if self.should_flush() {
                self.flush()?;
            }
            let now = Instant::now();
            if stop.is_none() {
                // A signal that came before the loop listened (while configs
                // compiled or the state opened) stops it before any fetch.
                if let Some(reason) = signals.pending() {
                    stop = Some((reason, now + STOP_DRAIN));
                } else if deadline.is_some_and(|d| now >= d) {
                    stop = Some((StopReason::MaxDuration, now + STOP_DRAIN));
                } else if self.cfg.max_pages > 0
                    && self.fetches >= self.cfg.max_pages
                    && self.in_flight == 0
                {
                    stop = Some((StopReason::MaxPages, now));
                }
            }
            let mut wake = now + Duration::from_millis(50);
            match stop {
                Some((_, until)) => {
                    if self.in_flight == 0 || now >= until {
                        break;
                    }
                }
                None => {
                    wake = self.dispatch(now)?.min(wake);
                    if self.in_flight == 0 && self.batch_is_empty() && !self.any_work(now) {
                        stop = Some((StopReason::Finished, now));
                        break;
                    }
                }
            }
            if let Some(d) = deadline {
                wake = wake.min(d);
            }
            progress.update(
                &self.summary,
                self.hosts.values().filter(|h| h.has_work).count(),
                self.in_flight,
            );
            tokio::select! {
                r = self.rx.recv() => {
                    if let Some(r) = r {
                        self.handle(r)?;
                    }
                }
                _ = tokio::time::sleep_until(wake.into()) => {}
                _ = signals.interrupt.recv() => {
                    stop.get_or_insert((StopReason::Interrupt, Instant::now() + STOP_DRAIN));
                }
                _ = signals.terminate.recv() => {
                    stop.get_or_insert((StopReason::Terminate, Instant::now() + STOP_DRAIN));
                }
            }
        }
        while let Ok(r) = self.rx.try_recv() {
            self.handle(r)?;
        }
        self.flush()?;
        progress.finish();
        Ok(stop.map_or(StopReason::Finished, |s| s.0))
    }

    fn batch_is_empty(&self) -> bool {
        self.lines.is_empty()
            && self.batch.done.is_empty()
            && self.batch.new_urls.is_empty()
            && self.retry_hosts.is_empty()
    }

    fn any_work(&self, now: Instant) -> bool {
        self.hosts
            .values()
            .any(|h| h.busy || (h.has_work && h.next_allowed <= now + LONG_PAUSE))
            || !self.parked.is_empty()
    }

    fn should_flush(&self) -> bool {
        if self.batch_is_empty() && self.pauses.is_empty() {
            return false;
        }
        self.lines.len() >= 64
            || self.batch.done.len() >= 256
            || self.in_flight == 0
            || self.last_flush.elapsed() >= Duration::from_millis(100)
    }

    /// Writes pending lines (synced), then commits the batch with the new
    /// output length in one transaction.
    fn flush(&mut self) -> Result<()> {
        if !self.lines.is_empty() {
            let len = self.sink.write_lines(&self.lines)?;
            if !matches!(self.sink, Sink::Stdout) {
                self.batch.output = Some((self.sink.key(), len));
            }
        }
        self.batch.host_pauses = self.pauses.drain().collect();
        let new_hosts = self.state.commit(&self.batch)?;
        for h in new_hosts {
            self.ensure_host(&h)?.has_work = true;
        }
        for h in std::mem::take(&mut self.retry_hosts) {
            self.ensure_host(&h)?.has_work = true;
        }
        self.batch = Batch::default();
        self.lines.clear();
        self.pending_urls.clear();
        self.pending_hashes.clear();
        self.last_flush = Instant::now();
        Ok(())
    }

    /// Starts requests on ready hosts, round-robin; returns when to look again.
    fn dispatch(&mut self, now: Instant) -> Result<Instant> {
        let mut wake = now + Duration::from_millis(50);
        let n = self.order.len();
        if n == 0 {
            return Ok(wake);
        }
        self.rr = (self.rr + 1) % n;
        for i in 0..n {
            if self.in_flight >= self.cfg.concurrency {
                break;
            }
            if self.cfg.max_pages > 0 && self.fetches + self.in_flight as u64 >= self.cfg.max_pages
            {
                break;
            }
            let key = self.order[(self.rr + i) % n].clone();
            let h = self.hosts.get_mut(&key).expect("ordered hosts exist");
            if h.busy || !(h.has_work || self.parked.contains_key(&key)) {
                continue;
            }
            if h.next_allowed > now {
                wake = wake.min(h.next_allowed);
                continue;
            }
            if let Err(wait) = h.take_permit() {
                wake = wake.min(now + wait);
                continue;
            }
            match &h.robots {
                RobotsState::Fetching => continue,
                RobotsState::Unknown => {
                    let Some(claim) = self.state.claim_next(&key)? else {
                        h.has_work = false;
                        continue;
                    };
                    let Ok(url) = Url::parse(&claim.url) else {
                        self.summary.skip("bad url");
                        self.finish(
                            &claim,
                            Finished::new("skipped").reason("bad url").uncounted(),
                        );
                        continue;
                    };
                    self.parked.insert(key.clone(), claim);
                    h.robots = RobotsState::Fetching;
                    h.start_request(now);
                    let spacing = h.interval;
                    self.note_request(&key);
                    self.in_flight += 1;
                    let (fetcher, tx) = (self.fetcher.clone(), self.tx.clone());
                    let scope = self.scope.clone();
                    tokio::spawn(async move {
                        let sent_at = Instant::now();
                        let robots = fetch_robots(&fetcher, &url, &scope, spacing).await;
                        let _ = tx.send(WorkResult::Robots {
                            host: key,
                            robots,
                            sent_at,
                        });
                    });
                }
                RobotsState::Ready(robots) => {
                    let robots = robots.clone();
                    if robots.disallows_all() {
                        // Leave the frontier for a later run.
                        if let Some(c) = self.parked.remove(&key) {
                            self.batch.done.push(Done {
                                claim_id: c.id,
                                url: c.url,
                                outcome: Outcome::Release,
                                alias: None,
                            });
                        }
                        h.has_work = false;
                        continue;
                    }
                    self.start_next(&key, &robots, now)?;
                }
            }
        }
        Ok(wake)
    }

    fn start_next(&mut self, key: &str, robots: &Robots, now: Instant) -> Result<()> {
        for _ in 0..256 {
            let claim = match self.parked.remove(key) {
                Some(c) => c,
                None => match self.state.claim_next(key)? {
                    Some(c) => c,
                    None => {
                        if let Some(h) = self.hosts.get_mut(key) {
                            h.has_work = false;
                        }
                        return Ok(());
                    }
                },
            };
            if !robots.is_allowed(&claim.url) {
                self.summary.skip("robots");
                self.finish(
                    &claim,
                    Finished::new("skipped").reason("robots").uncounted(),
                );
                continue;
            }
            let h = self.hosts.get_mut(key).expect("host exists");
            h.start_request(now);
            let headers = h.headers.clone();
            self.note_request(key);
            self.in_flight += 1;
            let (fetcher, tx, sites) = (self.fetcher.clone(), self.tx.clone(), self.sites.clone());
            let opts = self.extract.clone();
            tokio::spawn(async move {
                let sent_at = Instant::now();
                let result = fetch_item(&fetcher, sites, opts, &claim, &headers).await;
                let _ = tx.send(WorkResult::Item {
                    claim,
                    result,
                    fetched_at: Utc::now(),
                    sent_at,
                });
            });
            return Ok(());
        }
        Ok(())
    }

    /// Remembers the host's next allowed time for later runs.
    fn note_request(&mut self, key: &str) {
        if let Some(h) = self.hosts.get(key) {
            let wait = h.next_allowed.saturating_duration_since(Instant::now());
            self.pauses
                .insert(key.to_string(), now_ms() + wait.as_millis() as i64);
        }
    }
}
