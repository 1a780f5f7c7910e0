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
    /// Extract articles from URLs, files (.html, .html.gz) or stdin (-).
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
    after_help = "Exit status: 0 when at least one input gave a record, 1 when every input failed, 2 on usage errors.\n\nExamples:\n  newscrawl extract https://www.example.com/2024/05/01/story\n  newscrawl extract --url https://www.example.com/story page.html.gz\n  curl -s URL | newscrawl extract --url URL -"
)]
pub struct ExtractArgs {
    /// http(s) URLs, files (.html, .html.gz) or - for stdin.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,
    /// The page's address when the input is a file or stdin (picks the site
    /// config, resolves links). Only with a single input.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    #[command(flatten)]
    pub source: SelectorSource,
    /// json: one record per line; text: the body only.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
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
    /// Print name, hosts and file of every config.
    List {
        /// Config folder (default: the built-in configs).
        #[arg(long, value_name = "DIR")]
        selectors: Option<PathBuf>,
    },
    /// Extract every corpus page whose host has a config and print per-site scores.
    Check(CheckArgs),
}

/// `newscrawl selectors check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Evaluation corpus folder (with index.jsonl), e.g. ../shared/corpus/publishers.
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,
    /// Config folder (default: the built-in configs).
    #[arg(long, value_name = "DIR")]
    pub selectors: Option<PathBuf>,
    /// Exit 1 when the corpus body F1 is below this.
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,
    /// Only these sites (repeatable).
    #[arg(long, value_name = "NAME")]
    pub site: Vec<String>,
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
}
