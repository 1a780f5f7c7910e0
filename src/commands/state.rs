//! `newscrawl state stats | prune | migrate`: inspect and trim a crawl
//! state, or move an SQLite one into PostgreSQL.

use anyhow::Result;
use clap::Subcommand;

use std::path::PathBuf;

use crate::state::{now_ms, Access, StateLocation};

/// `newscrawl state ...`.
#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Print URLs known, written, failed and queued, per host, paused hosts
    /// and (on a shared state) the workers at work.
    Stats {
        /// Crawl state: an SQLite file (a path or sqlite:PATH) or postgres://...
        #[arg(long, value_name = "PATH|URL", default_value = "newscrawl.db")]
        state: String,
    },
    /// Forget finished URLs not touched for DURATION (e.g. 90d).
    Prune {
        /// Crawl state: an SQLite file (a path or sqlite:PATH) or postgres://...
        #[arg(long, value_name = "PATH|URL", default_value = "newscrawl.db")]
        state: String,
        /// Age beyond which finished URLs are forgotten.
        #[arg(long, value_name = "DURATION")]
        older_than: String,
    },
    /// Move an SQLite state into an empty PostgreSQL one (for several crawlers).
    Migrate {
        /// The SQLite state file (a path or sqlite:PATH).
        #[arg(long, value_name = "PATH")]
        from: String,
        /// The PostgreSQL state: postgres://...
        #[arg(long, value_name = "URL")]
        to: String,
        /// The worker that goes on writing the SQLite state's outputs
        /// (default: this machine's default worker name).
        #[arg(long, value_name = "NAME")]
        worker: Option<String>,
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
            for (worker, place, leases) in st.workers {
                println!("worker {worker} ({place}): {leases} hosts leased");
            }
            Ok(0)
        }
        StateCommand::Migrate { from, to, worker } => migrate(&from, &to, worker.as_deref()),
        StateCommand::Prune { state, older_than } => {
            let age = crate::crawl::parse_duration(&older_than).map_err(|e| super::ExitError {
                code: 2,
                message: format!("--older-than: {e:#}"),
            })?;
            let location = StateLocation::parse(&state);
            let mut s = crate::state::open(&location, Access::Maintain)?;
            let n = s.prune(now_ms() - age.as_millis() as i64)?;
            eprintln!("newscrawl: {location}: pruned {n} URLs");
            Ok(0)
        }
    }
}

/// `state migrate`: SQLite file to PostgreSQL.
fn migrate(from: &str, to: &str, worker: Option<&str>) -> Result<i32> {
    let usage = |message: String| super::ExitError { code: 2, message };
    let StateLocation::Sqlite(from) = StateLocation::parse(from) else {
        return Err(usage(format!("--from {from}: must be an SQLite state file")).into());
    };
    let StateLocation::Postgres(url) = StateLocation::parse(to) else {
        return Err(usage(format!("--to {to}: must be a postgres:// URL")).into());
    };
    let worker = match worker {
        Some(w) => {
            crate::state::postgres::WorkerId::parse(w).map_err(|e| usage(format!("{e:#}")))?
        }
        None => crate::state::postgres::WorkerId::default_for_machine(),
    };
    let moved = crate::state::migrate::sqlite_to_postgres(&PathBuf::from(&from), &url, &worker)?;
    eprintln!(
        "newscrawl: moved {} into {}: {} URLs, {} queued, {} host pauses, {} content hashes, {} output checkpoints for worker {worker} ({} outputs handed to it); crawl on with --state {} --worker {worker}",
        from.display(),
        crate::state::redact(&url),
        moved.urls,
        moved.queued,
        moved.hosts,
        moved.content,
        moved.checkpoints,
        moved.handed_over,
        crate::state::redact(&url),
    );
    Ok(0)
}
