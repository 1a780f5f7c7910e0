//! The crawl loop: leases hosts from the state, claims their frontier
//! entries host by host (round-robin, one request in flight per host,
//! spacing kept by [`Host`]), fetches them on tokio tasks, turns results
//! into records, new frontier entries and claim results, and commits them in
//! small batches after the sink made the records durable (a batch's sync
//! runs beside the loop, which fills the next batch meanwhile: commit.rs).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tokio::sync::mpsc;
use url::Url;

use super::item::{fetch_item, ItemReply, PageWork, WorkResult};
use super::pool::ExtractPool;
use super::summary::{Progress, Summary};
use super::{CrawlConfig, Scope, StopSignals};
use crate::extract::ExtractOptions;
use crate::fetch::{fetch_robots, Fetcher, Host, Robots, RobotsState};
use crate::limits::{COMMIT_EVERY, COMMIT_RECORDS, LONG_PAUSE, STOP_DRAIN};
use crate::output::warc_files::WarcOutput;
use crate::output::{OutputTarget, RecordEncoder, RecordSink};
use crate::selectors::SiteRegistry;
use crate::state::{
    now_ms, Checkpoint, Claim, ClaimResult, CrawlState, Ending, NewUrl, Outcome, Reason,
};

mod commit;
mod discovery;
mod leases;
mod order;
mod outputs;
mod results;
mod wake;

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Nothing left to fetch this run.
    Exhausted,
    /// `--max-pages` reached.
    MaxPages,
    /// `--max-duration` elapsed.
    MaxDuration,
    /// SIGINT.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

/// The output a crawl writes: its sink, how to open it again, and the
/// checkpoint the state last committed for it (a commit refused for lost
/// claims cuts the sink back to it).
pub struct CrawlOutput {
    /// What `--out` names.
    pub target: OutputTarget,
    /// The sink open on it.
    pub sink: Box<dyn RecordSink>,
    /// Its committed checkpoint (`None` for stdout).
    pub committed: Option<Checkpoint>,
    /// The `--warc` output, when asked for.
    pub warc: Option<WarcOutput>,
}

/// The crawler: configuration, state, output and the per-host table.
pub struct Crawler {
    cfg: Arc<CrawlConfig>,
    state: Box<dyn CrawlState>,
    /// The records' sink and the `--warc` files (`None` while a sync has
    /// them).
    outputs: Option<outputs::Outputs>,
    /// True when `--warc` is on (fetches record their exchanges).
    archiving: bool,
    /// What `--out` names, to open the sink again.
    target: OutputTarget,
    /// The sink's checkpoint as last committed.
    committed: Option<Checkpoint>,
    /// The sink's encoder, called on the extraction threads.
    encoder: RecordEncoder,
    fetcher: Fetcher,
    sites: Arc<SiteRegistry>,
    /// Extraction options shared by all pages of the crawl.
    extract: ExtractOptions,
    /// Pages extracted at once: one per core.
    extract_pool: Arc<ExtractPool>,
    scope: Scope,
    hosts: HashMap<String, Host>,
    /// Hosts this crawler holds the lease of.
    leased: HashSet<String>,
    /// Per leased host, when its lease ends at the earliest (counted from
    /// when it was asked for or last renewed).
    lease_until: HashMap<String, Instant>,
    /// How often leases are renewed.
    renew_every: Duration,
    /// Most hosts to hold (a shared state's share; no limit alone).
    lease_cap: usize,
    /// A lease ran short of room for a request: renew now.
    renew_due: bool,
    /// When to look again for hosts other crawlers added or left (shared
    /// states).
    next_poll: Instant,
    /// Hosts with work leased by another crawler: when to ask again.
    lease_waiting: HashMap<String, Instant>,
    last_renewal: Instant,
    parked: HashMap<String, Claim>,
    order: Vec<String>,
    /// Per host, its results in the order of its requests.
    in_order: HashMap<String, order::InOrder<results::Done>>,
    rr: usize,
    in_flight: usize,
    /// Results of pages that came before an earlier request's of their
    /// host and wait for it (`order`): fetched, not yet counted in
    /// `fetches`, so still counted against --max-pages.
    waiting: usize,
    fetches: u64,
    /// The open batch: what the next commit applies.
    staged: commit::Staged,
    /// The batch being committed, its outputs syncing.
    frozen: Option<commit::Frozen>,
    /// The sync of the frozen batch's outputs.
    syncing: Option<tokio::task::JoinHandle<outputs::Synced>>,
    pauses: HashMap<String, i64>,
    /// URLs queued with `force` this run: a source is read once per run,
    /// whatever lists it again (sitemap indexes citing each other).
    forced: HashSet<String>,
    /// Near-duplicate keys of bodies written this run.
    near: HashSet<u64>,
    /// Frontier room per host, and the run's budget of new URLs.
    room: discovery::Room,
    /// Page URLs queued this run, passed over when met again.
    seen: discovery::Seen,
    /// Per host: bot challenges answered in a row (stored with the host).
    challenges: HashMap<String, u32>,
    /// Hosts whose consent wall was reported.
    consent_warned: HashSet<String>,
    last_flush: Instant,
    /// Counters for the end summary.
    pub summary: Summary,
    any_success: bool,
    tx: mpsc::UnboundedSender<WorkResult>,
    rx: mpsc::UnboundedReceiver<WorkResult>,
}

impl Crawler {
    /// Builds a crawler (and starts its extraction threads); `fetches` is the
    /// count an interrupted run already spent.
    pub fn new(
        cfg: Arc<CrawlConfig>,
        state: Box<dyn CrawlState>,
        output: CrawlOutput,
        fetcher: Fetcher,
        sites: Arc<SiteRegistry>,
        scope: Scope,
        fetches: u64,
    ) -> Result<Self> {
        let (tx, rx) = mpsc::unbounded_channel();
        let renew_every = leases::renew_every(cfg.lease, cfg.timeout);
        let room = discovery::Room::for_run(cfg.max_pages);
        Ok(Self {
            cfg,
            state,
            encoder: output.sink.encoder(),
            archiving: output.warc.is_some(),
            outputs: Some(outputs::Outputs {
                sink: output.sink,
                warc: output.warc,
            }),
            target: output.target,
            committed: output.committed,
            fetcher,
            sites,
            extract: ExtractOptions {
                use_selectors: true,
                collect_links: true,
                language_memo: Some(Arc::default()),
                page_type: None,
                keep_blocks: false,
                block_model: crate::extract::blocks::Use::Always,
                articles_only: true,
                keep_candidates: false,
            },
            extract_pool: Arc::new(ExtractPool::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )?),
            scope,
            hosts: HashMap::new(),
            leased: HashSet::new(),
            lease_until: HashMap::new(),
            renew_every,
            lease_cap: usize::MAX,
            renew_due: false,
            next_poll: Instant::now(),
            lease_waiting: HashMap::new(),
            last_renewal: Instant::now(),
            parked: HashMap::new(),
            order: Vec::new(),
            in_order: HashMap::new(),
            rr: 0,
            in_flight: 0,
            waiting: 0,
            fetches,
            staged: commit::Staged::default(),
            frozen: None,
            syncing: None,
            pauses: HashMap::new(),
            forced: HashSet::new(),
            near: HashSet::new(),
            room,
            seen: discovery::Seen::default(),
            challenges: HashMap::new(),
            consent_warned: HashSet::new(),
            last_flush: Instant::now(),
            summary: Summary::default(),
            any_success: false,
            tx,
            rx,
        })
    }

    /// Gives the state back (to end the run).
    pub fn into_state(self) -> Box<dyn CrawlState> {
        self.state
    }

    /// True when at least one fetch got a usable answer.
    pub fn any_success(&self) -> bool {
        self.any_success
    }

    /// The host's scheduling entry, created with its spacing and headers.
    fn host_entry(&mut self, key: &str) -> &mut Host {
        if !self.hosts.contains_key(key) {
            let h = Host::for_site(key, self.cfg.rate, &self.sites);
            self.hosts.insert(key.to_string(), h);
            self.order.push(key.to_string());
        }
        self.hosts.get_mut(key).expect("inserted above")
    }

    /// Hosts left with work but paused beyond the end of the run, with the
    /// seconds they still wait.
    fn paused_hosts(&self, now: Instant) -> BTreeMap<String, u64> {
        self.hosts
            .iter()
            .filter(|(k, h)| {
                (h.has_work || self.parked.contains_key(*k)) && h.next_allowed > now + LONG_PAUSE
            })
            .map(|(k, h)| (k.clone(), (h.next_allowed - now).as_secs()))
            .collect()
    }

    /// Queues the sources and runs until done or stopped (by `signals`,
    /// listened to since the command started, or a limit).
    pub async fn run(
        &mut self,
        sources: Vec<NewUrl>,
        signals: &mut StopSignals,
    ) -> Result<StopReason> {
        self.forced.extend(sources.iter().map(|s| s.url.clone()));
        self.staged.batch.new_urls = sources;
        self.commit_now().await?;
        for h in self.state.hosts_with_work()? {
            if self.scope.contains_host(&h) {
                self.mark_work(&h)?;
            }
        }
        let started = Instant::now();
        let deadline = self.cfg.max_duration.and_then(|d| started.checked_add(d));
        let mut progress = Progress::new(Duration::from_secs(10));
        let mut stop: Option<(StopReason, Instant)> = None;
        let mut timer = wake::Wake::new().context("cannot create the crawl's timer")?;
        loop {
            while let Ok(r) = self.rx.try_recv() {
                self.handle(r)?;
            }
            if self.renewal_due() {
                self.renew_leases()?;
            }
            if !self.committing() && self.should_flush() {
                self.begin_commit()?;
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
                    self.look_for_work(now)?;
                    wake = self.dispatch(now)?.min(wake);
                    if self.in_flight == 0
                        && !self.committing()
                        && self.batch_is_empty()
                        && !self.any_work(now)
                    {
                        stop = Some((StopReason::Exhausted, now));
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
            let syncing = &mut self.syncing;
            tokio::select! {
                synced = async {
                    match syncing.as_mut() {
                        Some(sync) => sync.await,
                        None => std::future::pending().await,
                    }
                }, if syncing.is_some() => {
                    self.syncing = None;
                    self.finish_commit(synced.context("the output sync thread failed")?)?;
                }
                r = self.rx.recv() => {
                    if let Some(r) = r {
                        self.handle(r)?;
                    }
                }
                woke = timer.until(wake) => {
                    woke.context("the crawl's timer failed")?;
                }
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
        self.commit_now().await?;
        // A part left open is closed, and its checkpoint committed.
        self.finish_outputs()?;
        self.commit_now().await?;
        progress.finish();
        self.summary.paused_hosts = self.paused_hosts(Instant::now());
        Ok(stop.map_or(StopReason::Exhausted, |s| s.0))
    }

    fn batch_is_empty(&self) -> bool {
        self.staged.records.is_empty()
            && self.staged.warc_records.is_empty()
            && self.staged.batch.results.is_empty()
            && self.staged.batch.new_urls.is_empty()
            && self.staged.retry_hosts.is_empty()
    }

    fn any_work(&self, now: Instant) -> bool {
        self.hosts
            .values()
            .any(|h| h.busy || (h.has_work && h.next_allowed <= now + LONG_PAUSE))
            || !self.parked.is_empty()
            || !self.lease_waiting.is_empty()
    }

    fn should_flush(&self) -> bool {
        // Hosts to give back wait for a commit (which stores their pause).
        if self.batch_is_empty() && self.pauses.is_empty() && self.staged.to_release.is_empty() {
            return false;
        }
        self.staged.records.len() >= COMMIT_RECORDS
            || self.staged.batch.results.len() >= 4 * COMMIT_RECORDS
            || self.in_flight == 0
            || self.last_flush.elapsed() >= COMMIT_EVERY
    }

    /// A host ran out of work: its lease goes back after the next commit.
    fn out_of_work(&mut self, key: &str) {
        if let Some(h) = self.hosts.get_mut(key) {
            h.has_work = false;
        }
        if !self.staged.to_release.iter().any(|h| h == key) {
            self.staged.to_release.push(key.to_string());
        }
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
            if self.cfg.max_pages > 0
                && self.fetches + (self.in_flight + self.waiting) as u64 >= self.cfg.max_pages
            {
                break;
            }
            let key = self.order[(self.rr + i) % n].clone();
            let h = self.hosts.get_mut(&key).expect("ordered hosts exist");
            if h.busy
                || h.drained
                || !(h.has_work || self.parked.contains_key(&key))
                || !self.leased.contains(&key)
                || self.frontier_incomplete(&key)
            {
                continue;
            }
            if !self.lease_covers(&key, now) {
                // Too little lease left for a whole request: renew first.
                self.renew_due = true;
                continue;
            }
            let h = self.hosts.get_mut(&key).expect("ordered hosts exist");
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
                        self.out_of_work(&key);
                        continue;
                    };
                    let Ok(url) = Url::parse(&claim.url) else {
                        self.summary.skip(Reason::BadUrl);
                        self.end(&claim, Ending::skipped(Reason::BadUrl).uncounted());
                        continue;
                    };
                    self.parked.insert(key.clone(), claim);
                    h.robots = RobotsState::Fetching;
                    h.start_request(now);
                    let spacing = h.interval;
                    self.note_request(&key);
                    self.in_flight += 1;
                    let (fetcher, capture) = self.job_fetcher();
                    let tx = self.tx.clone();
                    let scope = self.scope.clone();
                    tokio::spawn(async move {
                        let sent_at = Instant::now();
                        let robots = fetch_robots(&fetcher, &url, &scope, spacing).await;
                        let _ = tx.send(WorkResult::Robots {
                            host: key,
                            robots,
                            sent_at,
                            warc: capture.map(|c| c.take()).unwrap_or_default(),
                        });
                    });
                }
                RobotsState::Ready(robots) => {
                    let robots = robots.clone();
                    if robots.disallows_all() {
                        // Leave the frontier for a later run.
                        if let Some(c) = self.parked.remove(&key) {
                            self.staged.batch.results.push(ClaimResult {
                                claim_id: c.id,
                                url: c.url,
                                outcome: Outcome::Release,
                                alias: None,
                            });
                        }
                        self.out_of_work(&key);
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
                        let h = self.hosts.get_mut(key).expect("host exists");
                        if h.extracting > 0 {
                            h.drained = true;
                        } else {
                            self.out_of_work(key);
                        }
                        return Ok(());
                    }
                },
            };
            if !robots.is_allowed(&claim.url) {
                self.summary.skip(Reason::Robots);
                self.end(&claim, Ending::skipped(Reason::Robots).uncounted());
                continue;
            }
            let h = self.hosts.get_mut(key).expect("host exists");
            h.start_request(now);
            let headers = h.headers.clone();
            self.note_request(key);
            self.in_flight += 1;
            let (fetcher, capture) = self.job_fetcher();
            let (tx, sites) = (self.tx.clone(), self.sites.clone());
            let (opts, encode) = (self.extract.clone(), self.encoder.clone());
            let pool = self.extract_pool.clone();
            let seq = match self.in_order.get_mut(key) {
                Some(o) => o.issue(),
                None => self.in_order.entry(key.to_string()).or_default().issue(),
            };
            tokio::spawn(async move {
                // A page's host is free once its response is read; a
                // source's stays busy until its links are queued (a
                // sitemap's children are read one by one, in order).
                let mut reply = ItemReply::new(tx, claim, seq, Instant::now());
                let work = PageWork {
                    sites,
                    opts,
                    encode,
                };
                let (claim, on_read) = reply.parts();
                let result = fetch_item(&fetcher, work, &pool, claim, &headers, on_read).await;
                reply.send(result, capture.map(|c| c.take()).unwrap_or_default());
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
