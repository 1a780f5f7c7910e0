//! The command line: `newscrawl extract | crawl | selectors | eval`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::commands::crawl::CrawlArgs;
pub use crate::commands::state::StateCommand;

/// A polite news crawler and boilerplate remover: one clean JSONL record per article.
#[derive(Debug, Parser)]
#[command(name = "newscrawl", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract articles from URLs, files (.html, .html.gz), WARC archives or stdin (-).
    Extract(ExtractArgs),
    /// Crawl sites politely and write one JSONL record per new article.
    Crawl(CrawlArgs),
    /// List or check the per-site selector configs.
    #[command(subcommand)]
    Selectors(SelectorsCommand),
    /// Score extraction on an evaluation corpus and time it.
    Eval(EvalArgs),
    /// Inspect or prune a crawl state file.
    #[command(subcommand)]
    State(StateCommand),
}

/// Output format of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON record per input, one line each.
    Json,
    /// The body text only; several bodies separated by a form-feed line.
    Text,
    /// Parquet, one column per record field (needs `--out`).
    Parquet,
}

/// Where site configs come from.
#[derive(Debug, Clone, Args)]
pub struct SelectorSource {
    /// Per-site config folder (replaces the configs built into the binary).
    #[arg(long, value_name = "DIR", conflicts_with = "no_selectors")]
    pub selectors: Option<PathBuf>,
    /// Ignore per-site configs: generic extraction only.
    #[arg(long)]
    pub no_selectors: bool,
}

/// `newscrawl extract`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when a record was written or an input was read whole (the filters may keep nothing), 1 when every input failed, 2 on usage errors.\n\nExamples:\n  newscrawl extract https://www.example.com/2024/05/01/story\n  newscrawl extract --url https://www.example.com/story page.html.gz\n  curl -s URL | newscrawl extract --url URL -\n  newscrawl extract CC-NEWS-*.warc.gz --since 2024-05-01 --out news.parquet"
)]
pub struct ExtractArgs {
    /// http(s) URLs, files (.html, .html.gz, WARC archives .warc, .warc.gz)
    /// or - for stdin (a page or a WARC archive).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,
    /// The page's address when the input is a file or stdin (picks the site
    /// config, resolves links). Only with a single input; not for archives.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    #[command(flatten)]
    pub source: SelectorSource,
    /// json: one record per line; text: the body only; parquet: one column
    /// per field (needs --out). Default: parquet when --out ends in
    /// .parquet, else json.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the records to this file instead of stdout; it is written
    /// whole and replaces any file there when the run ends.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Only records published at or after WHEN (RFC 3339 date or a duration
    /// like 2d); records without a publication time are kept.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only records published at or before WHEN (RFC 3339 date or a
    /// duration like 2d); records without a publication time are kept.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// Only pages of this site (repeatable): a site config name or a host
    /// (which also matches its www. form and subdomains).
    #[arg(long, value_name = "NAME")]
    pub site: Vec<String>,
    /// Request timeout in seconds for URL inputs.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// User-Agent for URL inputs.
    #[arg(long, value_name = "UA")]
    pub user_agent: Option<String>,
}

/// `newscrawl selectors ...`.
#[derive(Debug, Subcommand)]
pub enum SelectorsCommand {
    /// Print name, hosts and file of every config (after validating them all).
    List {
        /// Config folder (default: the built-in configs).
        #[arg(long, value_name = "DIR")]
        selectors: Option<PathBuf>,
    },
    /// Check configs against a corpus (--corpus: per-page scores) or against
    /// their live test pages (--live: the `[[test]]` snippets).
    Check(CheckArgs),
    /// Per site, how often its config lost to or fell back to generic
    /// extraction over the crawl state's runs, and whether it is drifting.
    Health(HealthArgs),
}

/// `newscrawl selectors health`.
#[derive(Debug, Args)]
#[command(
    after_help = "Reads the drift counts crawls keep in their state (the last runs of each site; see README, \"Drift\"). DRIFT is `losing` when the config lost or fell back on a clearly larger share of the last run's pages than before, `length` when the last run's median body length halved or doubled, `steady`, or `-` with too few pages to judge.\n\nExit status: 0; 1 when the state cannot be read (a missing state file); 2 on usage errors.\n\nExamples:\n  newscrawl selectors health --state newscrawl.db\n  newscrawl selectors health --state postgres://crawler@db/news --site ilpost --format json"
)]
pub struct HealthArgs {
    /// Crawl state: an SQLite file (a path or sqlite:PATH) or postgres://...
    #[arg(long, value_name = "PATH|URL", default_value = "newscrawl.db")]
    pub state: String,
    /// Only these sites (config names; repeatable).
    #[arg(long, value_name = "NAME")]
    pub site: Vec<String>,
    /// `table` (default) or `json` (one object per site and line, with
    /// every stored run).
    #[arg(long, value_enum, default_value = "table")]
    pub format: HealthFormat,
}

/// How `selectors health` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HealthFormat {
    /// A table, a line per site.
    Table,
    /// JSON lines, an object per site.
    Json,
}

/// `newscrawl selectors check`.
#[derive(Debug, Args)]
#[command(
    group(clap::ArgGroup::new("against").required(true).args(["corpus", "live"])),
    after_help = "Exit status: 0 when every check passed, 1 when a check failed (a live test, or --min-f1), 2 on usage errors.\n\nExamples:\n  newscrawl selectors check --corpus ../shared/corpus/publishers --min-f1 0.99\n  newscrawl selectors check --corpus ../shared/corpus/publishers --simulate-redesign\n  newscrawl selectors check --live --site ilpost"
)]
pub struct CheckArgs {
    /// Evaluation corpus folder (with index.jsonl), e.g. ../shared/corpus/publishers.
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Fetch each config's `[[test]]` pages (politely: robots.txt, one
    /// request per second per host or its Crawl-delay, the site's `rate`)
    /// and check their `contains` / `not_contains` snippets.
    #[arg(long)]
    pub live: bool,
    /// With --corpus: replace every config's body selectors by one matching
    /// the page's longest block that is not the article, to measure what
    /// the arbitration with the generic extractor saves after a redesign.
    #[arg(long, conflicts_with = "live")]
    pub simulate_redesign: bool,
    /// Config folder (default: the built-in configs).
    #[arg(long, value_name = "DIR")]
    pub selectors: Option<PathBuf>,
    /// Exit 1 when the corpus body F1 is below this.
    #[arg(long, value_name = "X", conflicts_with = "live")]
    pub min_f1: Option<f64>,
    /// Only these sites (repeatable).
    #[arg(long, value_name = "NAME")]
    pub site: Vec<String>,
    /// Request timeout in seconds for --live.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// User-Agent for --live.
    #[arg(long, value_name = "UA")]
    pub user_agent: Option<String>,
}

/// `eval --block-model`: when the block model extracts a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BlockModelArg {
    /// As `extract` does: for listings, collections, service pages and
    /// confident documentation.
    Always,
    /// Never: the rules' bodies only.
    Never,
}

/// The part of a corpus `eval` scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartArg {
    /// Pages to tune on.
    Tuning,
    /// Pages to judge on (never tuned on).
    Validation,
    /// Both parts (figures for each are printed too).
    All,
}

/// `newscrawl eval`.
#[derive(Debug, Args)]
#[command(
    after_help = "The corpus kind comes from its index: publishers (expected title, authors, time, body: shingle metric and field matches), generic (with/without snippets: snippet metric), wcxb (expected body and page_type: word metric overall and per page type, snippet metric beside it).\n\nEvery corpus is split by registrable domain into a tuning part and a validation part (about 30% of the domains); see README, \"Measuring quality\".\n\nExit status: 0; 1 when a gate (--min-f1, --min-validation-f1) is not met or the corpus cannot be read; 2 on usage errors (--min-validation-f1 with --part tuning)."
)]
pub struct EvalArgs {
    /// Evaluation corpus folder (with index.jsonl), e.g. ../shared/corpus/wcxb-dev.
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,
    #[command(flatten)]
    pub source: SelectorSource,
    /// Score one part of the corpus only.
    #[arg(long, value_enum, default_value = "all")]
    pub part: PartArg,
    /// Print a line per page.
    #[arg(long)]
    pub per_page: bool,
    /// How many of the worst pages to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub worst: usize,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Exit 1 when the F1 of the scored part (shingle, snippet or word F1,
    /// by the corpus kind) is below this.
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,
    /// Exit 1 when the F1 of the validation part is below this.
    #[arg(long, value_name = "X")]
    pub min_validation_f1: Option<f64>,
    /// Write the predictions of the scored pages as JSONL ({"id", ...record}) to this file.
    #[arg(long, value_name = "PATH")]
    pub predictions: Option<PathBuf>,
    /// Extract every page as the page type the corpus gives it instead of
    /// classifying it (to develop per-type extraction; never for reported figures).
    #[arg(long)]
    pub oracle_page_type: bool,
    /// Whether the block model extracts the page types it applies to:
    /// `always` (as `extract` does) or `never` (the rules' bodies only,
    /// to measure what it changes; never for reported figures).
    #[arg(long, value_enum, default_value = "always")]
    pub block_model: BlockModelArg,
}
