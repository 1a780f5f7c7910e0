//! One connection to PostgreSQL, usable from synchronous code anywhere
//! (inside the crawler's tokio runtime or outside any runtime).
//!
//! tokio-postgres splits a connection in two: the `Connection` does the
//! socket I/O and must run on a tokio runtime; the `Client` only talks to it
//! over channels. The connection runs on a thread of its own (a one-thread
//! runtime), so the client's futures can be driven to completion with a
//! plain `block_on` on the calling thread, like SQLite's blocking calls.

use std::future::Future;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest a statement may run (lock waits included) before it fails: a
/// stuck database stops the crawler with an error rather than a hang.
const STATEMENT_TIMEOUT: &str = "60s";
/// How often a transaction that lost a deadlock or serialization race is
/// run again.
const RETRIES: usize = 5;

/// A connected client and the URL it reached (without password).
pub(super) struct Db {
    /// The client; its connection lives on its own thread.
    pub client: Client,
    /// The connection URL without its password, for messages.
    pub label: String,
}

impl Db {
    /// Connects to `url` (a `postgres://` URL as libpq reads it).
    pub fn connect(url: &str) -> Result<Self> {
        let label = crate::state::redact(url);
        let mut config: tokio_postgres::Config = url
            .parse()
            .with_context(|| format!("{label}: not a PostgreSQL connection URL"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("newscrawl");
        }
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let thread_label = label.clone();
        std::thread::Builder::new()
            .name("newscrawl-postgres".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(anyhow!(e)));
                        return;
                    }
                };
                rt.block_on(async move {
                    match config.connect(NoTls).await {
                        Ok((client, connection)) => {
                            let _ = tx.send(Ok(client));
                            if let Err(e) = connection.await {
                                tracing::warn!("{thread_label}: connection lost: {e}");
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e.into()));
                        }
                    }
                });
            })
            .with_context(|| format!("{label}: cannot start the connection thread"))?;
        let client = rx
            .recv()
            .map_err(|_| anyhow!("the connection thread ended"))
            .and_then(|r| r)
            .with_context(|| format!("{label}: cannot connect"))?;
        let db = Self { client, label };
        db.run(
            db.client
                .batch_execute(&format!("SET statement_timeout = '{STATEMENT_TIMEOUT}'")),
        )
        .with_context(|| format!("{}: cannot set up the session", db.label))?;
        Ok(db)
    }

    /// Drives a client future to completion on this thread.
    pub fn run<F: Future>(&self, f: F) -> F::Output {
        wait(f)
    }
}

/// Drives a client future to completion on this thread (for futures that
/// borrow the client mutably: transactions).
pub(in crate::state) fn wait<F: Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// Runs `op` (a whole transaction) again while it fails with a deadlock or
/// a serialization failure: two crawlers touching the same rows in another
/// order, which PostgreSQL resolves by aborting one of them.
pub(super) fn retrying<T>(mut op: impl FnMut() -> Result<T>) -> Result<T> {
    let mut attempt = 0;
    loop {
        match op() {
            Err(e) if attempt < RETRIES && is_race(&e) => {
                attempt += 1;
                tracing::debug!("transaction lost a race, run again: {e:#}");
                std::thread::sleep(Duration::from_millis(fastrand::u64(1..20) * attempt as u64));
            }
            r => return r,
        }
    }
}

/// True for a deadlock or serialization failure anywhere in the chain.
fn is_race(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<tokio_postgres::Error>()
            .and_then(|e| e.code())
            .is_some_and(|c| {
                *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
            })
    })
}
