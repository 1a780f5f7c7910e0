//! `newscrawl crawl`: the flags of SPEC.md (the crawler itself is being built).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

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
    /// JSONL output, appended to; - for stdout.
    #[arg(long, value_name = "PATH", default_value = "-")]
    pub out: String,
    /// Crawl state file.
    #[arg(long, value_name = "PATH", default_value = "newscrawl.db")]
    pub state: PathBuf,
    /// Most requests per second to any one host.
    #[arg(long, value_name = "R", default_value_t = 1.0)]
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
}

/// Runs a crawl.
pub fn run(_args: CrawlArgs) -> Result<i32> {
    Err(super::ExitError {
        code: 1,
        message: "crawl: not yet implemented".into(),
    }
    .into())
}
