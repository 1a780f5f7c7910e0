//! `newscrawl crawl`: the flags of SPEC.md, turned into a [`CrawlConfig`].

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::Args;

use crate::crawl::CrawlConfig;

/// `newscrawl crawl`.
#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// Start here (repeatable); the crawl stays on the seeds' hosts.
    #[arg(long, value_name = "URL")]
    pub seed: Vec<String>,
    /// Crawl a configured site from its feeds, sitemaps and start pages (repeatable).
    #[arg(long, value_name = "NAME")]
    pub site: Vec<String>,
    /// Crawl every configured site.
    #[arg(long)]
    pub all_sites: bool,
    /// Per-site config folder (default: the configs built into the binary).
    #[arg(long, value_name = "DIR")]
    pub selectors: Option<PathBuf>,
    /// JSONL output, appended to; - for stdout. With --format parquet (or
    /// a path ending in .parquet): a folder of Parquet part files
    /// DIR/part-*.parquet, each complete once it appears.
    #[arg(long, value_name = "PATH", default_value = "-")]
    pub out: String,
    /// Record format: json (JSONL, the default) or parquet (part files in
    /// the --out folder).
    #[arg(long, value_name = "FORMAT", value_parser = ["json", "parquet"])]
    pub format: Option<String>,
    /// Also write every fetch of the crawl (robots.txt, feeds, sitemaps,
    /// pages, redirects, 304s) as WARC/1.1 request and response records,
    /// gzip per record, into files DIR/newscrawl-*.warc.gz rolled at 1 GiB.
    #[arg(long, value_name = "DIR")]
    pub warc: Option<PathBuf>,
    /// Crawl state: an SQLite file (a path or sqlite:PATH), or a PostgreSQL
    /// database shared by several crawlers (postgres://...).
    #[arg(long, value_name = "PATH|URL", default_value = "newscrawl.db")]
    pub state: String,
    /// This crawler's name on a shared (PostgreSQL) state: its claims,
    /// leases and output checkpoints are kept under it. Default: the host
    /// name and a stable machine id.
    #[arg(long, value_name = "NAME")]
    pub worker: Option<String>,
    /// How long a host lease lasts unless renewed, in seconds: a crawler
    /// that dies loses its hosts to the others after this long. Default 45,
    /// or --timeout + 15 when longer; at least --timeout + 2.
    #[arg(long, value_name = "SECS")]
    pub lease_secs: Option<u64>,
    /// Most requests per second to any one host.
    #[arg(long, value_name = "R", default_value_t = crate::fetch::host::DEFAULT_RATE)]
    pub rate: f64,
    /// Most requests in flight overall.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
    /// Stop after N fetches (0 = no limit).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub max_pages: u64,
    /// Most link hops from a seed.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub max_depth: u32,
    /// Whole-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// User-Agent header (robots.txt rules are matched on `newscrawl`).
    #[arg(long, value_name = "UA")]
    pub user_agent: Option<String>,
    /// Stop cleanly after this many seconds; the next run resumes.
    #[arg(long, value_name = "SECS")]
    pub max_duration: Option<u64>,
    /// Skip articles published before WHEN (RFC 3339 date or a duration like 2d).
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Re-fetch articles written longer ago than this (e.g. 1d); an article
    /// whose body changed is written again as a new record.
    #[arg(long, value_name = "DURATION")]
    pub refetch_after: Option<String>,
}

/// Runs a crawl.
pub fn run(args: CrawlArgs) -> Result<i32> {
    // Signals first: a SIGTERM while configs compile or the state opens is
    // a clean stop (143) like any other.
    let rt = crate::crawl::runtime(&crate::state::StateLocation::parse(&args.state))?;
    let signals = crate::crawl::StopSignals::install(&rt)?;
    let checked = super::flags::check_run_flags(&super::flags::RunFlags {
        rate: Some(args.rate),
        timeout: args.timeout,
        max_duration: args.max_duration,
        user_agent: args.user_agent.as_deref(),
    })
    .map_err(usage)?;
    if args.concurrency == 0 {
        return Err(usage("--concurrency 0: must be at least 1".into()));
    }
    let now = chrono::Utc::now();
    let since = args
        .since
        .as_deref()
        .map(|s| crate::crawl::parse_since(s, now))
        .transpose()
        .map_err(|e| usage(format!("{e:#}")))?;
    let refetch_after = args
        .refetch_after
        .as_deref()
        .map(crate::crawl::parse_duration)
        .transpose()
        .map_err(|e| usage(format!("--refetch-after: {e:#}")))?;
    let lease = lease_duration(args.lease_secs, checked.timeout)?;
    let state = crate::state::StateLocation::parse(&args.state);
    if let Some(w) = &args.worker {
        match state {
            crate::state::StateLocation::Postgres(_) => {
                crate::state::postgres::WorkerId::parse(w).map_err(|e| usage(format!("{e:#}")))?;
            }
            crate::state::StateLocation::Sqlite(_) => {
                tracing::warn!(
                    "--worker {w}: only a shared (postgres://) state has workers; ignored"
                )
            }
        }
    }
    let sites = super::load_sites(args.selectors.as_deref(), false)?;
    let cfg = CrawlConfig {
        seeds: args.seed,
        sites: args.site,
        all_sites: args.all_sites,
        out: args.out,
        parquet: args.format.as_deref() == Some("parquet"),
        warc: args.warc,
        state,
        rate: args.rate,
        concurrency: args.concurrency,
        max_pages: args.max_pages,
        max_depth: args.max_depth,
        timeout: checked.timeout,
        user_agent: checked.user_agent,
        max_duration: checked.max_duration,
        since,
        refetch_after,
        worker: args.worker,
        lease,
    };
    crate::crawl::crawl(cfg, sites, rt, signals)
}

/// The host lease length: `--lease-secs`, or the default (grown with a long
/// `--timeout`); a lease must outlast a request by the lease slack.
fn lease_duration(secs: Option<u64>, timeout: Duration) -> Result<Duration> {
    use crate::limits::{HOST_LEASE, LEASE_SLACK};
    let least = timeout + LEASE_SLACK + Duration::from_secs(1);
    match secs {
        None => Ok(HOST_LEASE.max(timeout + Duration::from_secs(15))),
        Some(s) if Duration::from_secs(s) >= least => Ok(Duration::from_secs(s)),
        Some(s) => Err(usage(format!(
            "--lease-secs {s}: must be at least --timeout + {} ({} s), so that a request ends before its lease can pass to another crawler",
            LEASE_SLACK.as_secs() + 1,
            least.as_secs()
        ))),
    }
}

fn usage(message: String) -> anyhow::Error {
    super::ExitError { code: 2, message }.into()
}
