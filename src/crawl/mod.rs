//! The crawler behind `newscrawl crawl`: sources (seeds, configured sites),
//! scope, politeness, discovery, extraction and exactly-once output over a
//! [`CrawlState`].
//!
//! - [`urlnorm`]: URL identity.
//! - [`discover`]: sitemaps and feeds (quick-xml), `{yyyy}` templates.
//! - [`item`]: one frontier item fetched and classified (politeness,
//!   robots.txt and redirect rules come from [`crate::fetch`]).
//! - [`decide`]: what to do with a page (pure decisions).
//! - [`scheduler`]: the loop, batching output and state commits.
//! - [`summary`]: counters, progress, the end summary.
//! - [`walls`]: soft blocks (bot challenges, consent walls) told apart.

pub mod decide;
pub mod discover;
pub mod fingerprint;
pub mod item;
pub mod pool;
pub mod scheduler;
pub mod summary;
pub mod urlnorm;
pub mod walls;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use url::Url;

use crate::commands::ExitError;
pub use crate::fetch::Scope;
use crate::fetch::{FetchOptions, Fetcher};
use crate::output::warc_files::{WarcOutput, WarcTarget};
use crate::output::OutputTarget;
use crate::selectors::SiteRegistry;
use crate::state::{Access, Batch, NewUrl, StateLocation, UrlKind};
pub use scheduler::{CrawlOutput, Crawler, StopReason};

/// Settings of a crawl run.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    /// Seed URLs.
    pub seeds: Vec<String>,
    /// Configured sites to crawl (names).
    pub sites: Vec<String>,
    /// Crawl every configured site.
    pub all_sites: bool,
    /// Output path template (`-` for stdout).
    pub out: String,
    /// Write Parquet part files into the `--out` folder (`--format parquet`).
    pub parquet: bool,
    /// Folder of the WARC files recording every fetch (`--warc`).
    pub warc: Option<std::path::PathBuf>,
    /// Where the crawl state lives.
    pub state: StateLocation,
    /// Requests per second per host.
    pub rate: f64,
    /// Requests in flight overall.
    pub concurrency: usize,
    /// Fetch budget (0 = none).
    pub max_pages: u64,
    /// Most link hops from a source.
    pub max_depth: u32,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// User-Agent.
    pub user_agent: String,
    /// Stop cleanly after this long.
    pub max_duration: Option<Duration>,
    /// Skip articles published before this.
    pub since: Option<DateTime<Utc>>,
    /// Re-fetch written articles last fetched longer ago than this.
    pub refetch_after: Option<Duration>,
    /// Who this crawler is on a shared state (`--worker`; `None`: this
    /// machine's default).
    pub worker: Option<String>,
    /// How long a host lease lasts unless renewed (`--lease-secs`).
    pub lease: Duration,
}

/// Parses a duration such as `90`, `30s`, `15m`, `2h`, `2d`, `1w`.
pub fn parse_duration(s: &str) -> Result<Duration> {
    let t = s.trim();
    let (num, unit) = t.split_at(
        t.find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(t.len()),
    );
    let n: f64 = num
        .parse()
        .with_context(|| format!("{s:?}: not a duration (e.g. 30m, 2h, 2d)"))?;
    let secs = match unit.trim() {
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "w" => 604_800.0,
        u => bail!("{s:?}: unknown duration unit {u:?} (s, m, h, d, w)"),
    };
    let total = n * secs;
    if !total.is_finite() || !(0.0..=1e10).contains(&total) {
        bail!("{s:?}: duration out of range");
    }
    Ok(Duration::from_secs_f64(total))
}

/// Parses `--since`: an RFC 3339 time, a date, or a duration back from now.
pub fn parse_since(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    let d = parse_duration(s).with_context(|| {
        format!("--since {s:?}: expected an RFC 3339 date or a duration like 2d")
    })?;
    Ok(now - chrono::Duration::from_std(d)?)
}

fn source(url: &Url, kind: UrlKind) -> Option<NewUrl> {
    let u = urlnorm::normalize(url)?;
    let priority = if matches!(kind, UrlKind::Feed | UrlKind::Sitemap) {
        0
    } else {
        1
    };
    Some(NewUrl {
        host: urlnorm::host_key(&u),
        url: u.to_string(),
        depth: 0,
        kind,
        priority,
        hops: 0,
        force: true,
    })
}

/// Works out the sources and the scope of a run.
pub fn plan(cfg: &CrawlConfig, registry: Arc<SiteRegistry>) -> Result<(Vec<NewUrl>, Scope)> {
    let mut sources = Vec::new();
    let mut hosts = HashSet::new();
    let mut sites = HashSet::new();
    for s in &cfg.seeds {
        let u = Url::parse(s.trim()).with_context(|| format!("--seed {s}: not a URL"))?;
        let n =
            source(&u, UrlKind::Seed).with_context(|| format!("--seed {s}: not an http(s) URL"))?;
        hosts.insert(n.host.clone());
        sources.push(n);
    }
    let mut chosen = Vec::new();
    if cfg.all_sites {
        chosen.extend(registry.iter().filter(|s| !s.is_base()).cloned());
    }
    for name in &cfg.sites {
        let site = registry
            .by_name(name)
            .with_context(|| format!("--site {name}: no site config has this name"))?;
        if site.is_base() {
            bail!("--site {name}: a base config (no hosts) cannot be crawled");
        }
        chosen.push(site.clone());
    }
    let now = Utc::now();
    for site in &chosen {
        sites.insert(site.name.clone());
        hosts.extend(site.hosts.iter().cloned());
        let d = &site.discover;
        let lists = [
            (&d.feeds, UrlKind::Feed, true),
            (&d.sitemaps, UrlKind::Sitemap, true),
            (&d.start, UrlKind::Start, false),
        ];
        for (list, kind, templated) in lists {
            for t in list {
                let urls = if templated {
                    discover::expand_template(t, now, cfg.since)
                } else {
                    vec![t.clone()]
                };
                for s in urls {
                    match Url::parse(&s).ok().and_then(|u| source(&u, kind)) {
                        Some(n) => {
                            hosts.insert(n.host.clone());
                            sources.push(n);
                        }
                        None => tracing::warn!(
                            "site {} ({}): bad discover URL {s}",
                            site.name,
                            site.file
                        ),
                    }
                }
            }
        }
    }
    if sources.is_empty() {
        bail!("nothing to crawl: give --seed URL, --site NAME or --all-sites (with sites that list feeds, sitemaps or start pages)");
    }
    Ok((sources, Scope::new(hosts, sites, registry)))
}

/// Exit status for a stop reason (SPEC: 130 after SIGINT, 143 after SIGTERM).
pub fn exit_code(stop: StopReason) -> i32 {
    match stop {
        StopReason::Interrupt => 130,
        StopReason::Terminate => 143,
        _ => 0,
    }
}

/// SIGINT and SIGTERM, caught from the start of `crawl` (before configs
/// compile and the state opens): a signal at any moment ends the run
/// cleanly with 130 or 143, never by the signal's default action.
pub struct StopSignals {
    /// SIGINT.
    pub interrupt: tokio::signal::unix::Signal,
    /// SIGTERM.
    pub terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    /// Starts catching SIGINT and SIGTERM (a signal that arrives before the
    /// crawl loop listens is kept for it).
    pub fn install(rt: &tokio::runtime::Runtime) -> Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        let _entered = rt.enter();
        Ok(Self {
            interrupt: signal(SignalKind::interrupt()).context("cannot catch SIGINT")?,
            terminate: signal(SignalKind::terminate()).context("cannot catch SIGTERM")?,
        })
    }

    /// The stop a signal received so far asks for, without waiting.
    pub fn pending(&mut self) -> Option<StopReason> {
        use futures_util::FutureExt;
        if self.terminate.recv().now_or_never().is_some() {
            return Some(StopReason::Terminate);
        }
        self.interrupt
            .recv()
            .now_or_never()
            .map(|_| StopReason::Interrupt)
    }
}

/// The runtime a crawl runs on, for a crawl on `state`.
///
/// On an SQLite state, one thread: the scheduler and the fetches' I/O
/// share the thread that runs the crawl (parsing and extraction have a
/// pool of their own, the output sync the blocking pool). Every result a
/// fetch sends the scheduler, and every fetch the scheduler starts, was a
/// wake-up of another thread with a worker per core, and those threads
/// took turns on the cores with the extraction pool: the crawl benchmark
/// spent about a tenth less CPU on one thread (user + system, 7 runs each
/// alternated on a loaded machine: 6.87 s -> 6.18 s for 10,000 articles).
/// On a PostgreSQL state the scheduler waits on the database's round
/// trips; the fetches keep worker threads there, to go on meanwhile.
pub fn runtime(state: &StateLocation) -> Result<tokio::runtime::Runtime> {
    let mut builder = match state {
        StateLocation::Sqlite(_) => tokio::runtime::Builder::new_current_thread(),
        StateLocation::Postgres(_) => tokio::runtime::Builder::new_multi_thread(),
    };
    builder
        .enable_all()
        .build()
        .context("cannot start the crawl's async runtime")
}

/// Runs a crawl to its end on `rt`, stopped early by `signals`; returns the
/// exit status.
pub fn crawl(
    cfg: CrawlConfig,
    registry: SiteRegistry,
    rt: tokio::runtime::Runtime,
    mut signals: StopSignals,
) -> Result<i32> {
    let registry = Arc::new(registry);
    let (sources, scope) = plan(&cfg, registry.clone())?;
    let bad_output = |e: crate::output::BadOutput| ExitError {
        code: 2,
        message: e.0,
    };
    let target = OutputTarget::choose(
        &cfg.out,
        chrono::Local::now(),
        &cfg.state.files(),
        cfg.parquet,
    )
    .map_err(bad_output)?;
    let warc_target = cfg
        .warc
        .as_deref()
        .map(WarcTarget::choose)
        .transpose()
        .map_err(bad_output)?;
    if let (Some(w), Some(key)) = (&warc_target, target.key()) {
        if w.key() == key {
            return Err(bad_output(crate::output::BadOutput(
                "--warc and --out name the same folder; give each its own".into(),
            ))
            .into());
        }
    }
    let mut state = crate::state::open(
        &cfg.state,
        Access::Crawl {
            worker: cfg.worker.as_deref(),
        },
    )?;
    let committed = match target.key() {
        Some(key) => state.checkpoint(&key)?,
        None => None,
    };
    let sink = target.open(committed.as_ref(), state.owner())?;
    let fetches = state.begin_run()?;
    if let Some(age) = cfg.refetch_after {
        let before = crate::state::now_ms() - age.as_millis() as i64;
        let n = state.queue_refetch(before)?;
        tracing::info!("queued {n} written articles for re-fetch");
    }
    let warc = match warc_target {
        Some(target) => {
            let committed = state.checkpoint(&target.key())?;
            let files = target.open(committed.as_ref(), state.owner())?;
            Some(WarcOutput {
                target,
                files,
                committed: None,
            })
        }
        None => None,
    };
    // Record the starting checkpoints before writing anything, so a kill
    // before the first commit leaves a tail that is known to be uncommitted.
    let mut start = Batch::default();
    if let (Some(key), Some(checkpoint)) = (sink.key(), sink.checkpoint()) {
        start.checkpoints.push((key.to_string(), checkpoint));
    }
    if let Some(w) = &warc {
        start
            .checkpoints
            .push((w.target.key(), w.files.checkpoint()));
    }
    let mut committed = None;
    let (mut warc, mut sink) = (warc, sink);
    if !start.checkpoints.is_empty() {
        state.commit(&start)?;
        for (key, checkpoint) in start.checkpoints {
            match &mut warc {
                Some(w) if w.target.key() == key => w.committed(checkpoint),
                _ => {
                    sink.committed(&checkpoint);
                    committed = Some(checkpoint);
                }
            }
        }
    }
    let output = CrawlOutput {
        target,
        sink,
        committed,
        warc,
    };
    let fetcher = Fetcher::new(FetchOptions {
        user_agent: cfg.user_agent.clone(),
        timeout: cfg.timeout,
        max_body: crate::limits::MAX_BODY_BYTES,
    })?;
    let cfg = Arc::new(cfg);
    let started = Instant::now();
    let mut crawler = Crawler::new(
        cfg.clone(),
        state,
        output,
        fetcher,
        registry,
        scope,
        fetches,
    )?;
    let result = rt.block_on(crawler.run(sources, &mut signals));
    rt.shutdown_timeout(Duration::from_millis(500));
    let stop = result?;
    let fetched = crawler.summary.fetched;
    let failed = crawler.summary.failed_total();
    let success = crawler.any_success();
    let label = match stop {
        StopReason::Exhausted => "finished",
        StopReason::MaxPages => "stopped at --max-pages",
        StopReason::MaxDuration => "stopped at --max-duration",
        StopReason::Interrupt => "interrupted (SIGINT)",
        StopReason::Terminate => "terminated (SIGTERM)",
    };
    let mut summary = std::mem::take(&mut crawler.summary);
    let mut state = crawler.into_state();
    // Read before the run ends: its counts are the current run's.
    match state.drift_history() {
        Ok(history) => summary.note_drift(&history),
        Err(e) => tracing::warn!("{e:#}"),
    }
    eprint!("{}", summary.render(started.elapsed(), label));
    let completed = matches!(stop, StopReason::Exhausted | StopReason::MaxPages);
    state.end_run(completed)?;
    if stop == StopReason::Exhausted && !success && failed > 0 && fetched == 0 {
        return Err(ExitError {
            code: 1,
            message: "every source failed".into(),
        }
        .into());
    }
    Ok(exit_code(stop))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thread_runs_a_crawl_on_sqlite_worker_threads_on_postgres() {
        use tokio::runtime::RuntimeFlavor;
        let flavor = |s: &str| {
            runtime(&StateLocation::parse(s))
                .unwrap()
                .handle()
                .runtime_flavor()
        };
        assert_eq!(flavor("news.db"), RuntimeFlavor::CurrentThread);
        assert_eq!(flavor("sqlite:news.db"), RuntimeFlavor::CurrentThread);
        assert_eq!(
            flavor("postgres://news@db/news"),
            RuntimeFlavor::MultiThread
        );
    }

    #[test]
    fn durations_and_since() {
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("2d").unwrap(), Duration::from_secs(172_800));
        assert_eq!(parse_duration("15m").unwrap(), Duration::from_secs(900));
        assert!(parse_duration("2 parsecs").is_err());
        let now = Utc::now();
        assert_eq!(
            parse_since("1h", now).unwrap(),
            now - chrono::Duration::hours(1)
        );
        assert_eq!(
            parse_since("2024-05-01", now).unwrap().to_rfc3339(),
            "2024-05-01T00:00:00+00:00"
        );
        assert!(parse_since("yesterday-ish", now).is_err());
    }
}
