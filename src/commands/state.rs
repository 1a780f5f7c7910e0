//! `newscrawl state stats | prune`: inspect and trim a crawl state file.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use crate::state::{now_ms, CrawlState, SqliteState, StateLock};

/// `newscrawl state ...`.
#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Print URLs known, written, failed and queued, per host.
    Stats {
        /// Crawl state file.
        #[arg(long, value_name = "PATH", default_value = "newscrawl.db")]
        state: PathBuf,
    },
    /// Forget finished URLs not touched for DURATION (e.g. 90d).
    Prune {
        /// Crawl state file.
        #[arg(long, value_name = "PATH", default_value = "newscrawl.db")]
        state: PathBuf,
        /// Age beyond which finished URLs are forgotten.
        #[arg(long, value_name = "DURATION")]
        older_than: String,
    },
}

/// Runs a `state` command.
pub fn run(cmd: StateCommand) -> Result<i32> {
    match cmd {
        StateCommand::Stats { state } => {
            if !state.exists() {
                anyhow::bail!("{}: no such state file", state.display());
            }
            let mut s = SqliteState::open(&state)?;
            let st = s.stats()?;
            println!(
                "urls {}\nwritten {}\nfailed {}\nqueued {}",
                st.urls, st.written, st.failed, st.queued
            );
            for (host, known, written, failed) in st.per_host {
                println!("host {host}: known {known}, written {written}, failed {failed}");
            }
            Ok(0)
        }
        StateCommand::Prune { state, older_than } => {
            let age = crate::crawl::parse_duration(&older_than).map_err(|e| super::ExitError {
                code: 2,
                message: format!("--older-than: {e:#}"),
            })?;
            let _lock = StateLock::acquire(&state)?;
            let mut s = SqliteState::open(&state)?;
            let n = s.prune(now_ms() - age.as_millis() as i64)?;
            eprintln!("newscrawl: {}: pruned {n} URLs", state.display());
            Ok(0)
        }
    }
}
