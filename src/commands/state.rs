//! `newscrawl state stats | prune`: inspect and trim a crawl state.

use anyhow::Result;
use clap::Subcommand;

use crate::state::{now_ms, Access, StateLocation};

/// `newscrawl state ...`.
#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Print URLs known, written, failed and queued, per host, and paused hosts.
    Stats {
        /// Crawl state: an SQLite file (a path or sqlite:PATH).
        #[arg(long, value_name = "PATH", default_value = "newscrawl.db")]
        state: String,
    },
    /// Forget finished URLs not touched for DURATION (e.g. 90d).
    Prune {
        /// Crawl state: an SQLite file (a path or sqlite:PATH).
        #[arg(long, value_name = "PATH", default_value = "newscrawl.db")]
        state: String,
        /// Age beyond which finished URLs are forgotten.
        #[arg(long, value_name = "DURATION")]
        older_than: String,
    },
}

/// Runs a `state` command.
pub fn run(cmd: StateCommand) -> Result<i32> {
    match cmd {
        StateCommand::Stats { state } => {
            let mut s = crate::state::open(&StateLocation::parse(&state), Access::Inspect)?;
            let st = s.stats()?;
            println!(
                "urls {}\nwritten {}\nfailed {}\nqueued {}",
                st.urls, st.written, st.failed, st.queued
            );
            for (host, known, written, failed) in st.per_host {
                println!("host {host}: known {known}, written {written}, failed {failed}");
            }
            let now = now_ms();
            for (host, until) in st.paused {
                let at = chrono::DateTime::from_timestamp_millis(until)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default();
                println!(
                    "paused {host} until {at} for {} s",
                    (until - now).max(0) / 1000
                );
            }
            Ok(0)
        }
        StateCommand::Prune { state, older_than } => {
            let age = crate::crawl::parse_duration(&older_than).map_err(|e| super::ExitError {
                code: 2,
                message: format!("--older-than: {e:#}"),
            })?;
            let location = StateLocation::parse(&state);
            let mut s = crate::state::open(&location, Access::Crawl)?;
            let n = s.prune(now_ms() - age.as_millis() as i64)?;
            eprintln!("newscrawl: {location}: pruned {n} URLs");
            Ok(0)
        }
    }
}
