//! WAL checkpoints off the crawl's thread. SQLite's automatic checkpoint
//! runs inside the COMMIT that brings the WAL past 1000 pages: it syncs the
//! WAL, copies its pages into the database and syncs that, about 10 ms on
//! the thread that commits, which is the crawl's scheduler. A crawl's
//! connection hands that work to a thread with a connection of its own
//! instead: a PASSIVE checkpoint, which neither waits for nor blocks the
//! writer. Durability is unchanged: a commit is in the WAL either way, and
//! `synchronous=NORMAL` syncs the WAL before a checkpoint copies from it.

use std::ffi::c_int;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::hooks::Wal;
use rusqlite::wal::CheckpointMode;
use rusqlite::Connection;

/// WAL pages after a commit that ask for a checkpoint (SQLite's default
/// automatic checkpoint threshold).
pub const CHECKPOINT_PAGES: c_int = 1000;

/// WAL pages after which the committing connection checkpoints itself: the
/// background checkpoints could not keep up (the WAL only starts over once
/// all of it is copied).
const INLINE_PAGES: c_int = 16 * CHECKPOINT_PAGES;

/// The checkpoint thread of one state file.
pub struct Checkpointer {
    thread: Option<JoinHandle<()>>,
    done: Arc<AtomicU64>,
}

impl Checkpointer {
    /// Opens a second connection to `path` on a thread of its own and turns
    /// `conn`'s automatic checkpoints into requests to it.
    pub fn start(conn: &mut Connection, path: &Path) -> Result<Self> {
        let own = Connection::open(path).context("cannot open the checkpoint connection")?;
        own.busy_timeout(Duration::from_secs(5))?;
        // Reads the header: a connection that has not yet seen the database
        // in WAL mode checkpoints nothing.
        own.pragma_update(None, "journal_mode", "WAL")?;
        own.pragma_update(None, "synchronous", "NORMAL")?;
        let (tx, rx) = sync_channel::<()>(1);
        let done = Arc::new(AtomicU64::new(0));
        let counted = done.clone();
        let thread = std::thread::Builder::new()
            .name("state-checkpoint".into())
            .spawn(move || {
                // Ends when the hook (the only sender) is dropped.
                while rx.recv().is_ok() {
                    match own.wal_checkpoint_v2(Some("main"), CheckpointMode::PASSIVE) {
                        Ok(_) => {
                            counted.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => tracing::warn!("state checkpoint failed: {e}"),
                    }
                }
            })
            .context("cannot start the checkpoint thread")?;
        // The WAL's length when a checkpoint was last asked for: one is asked
        // for every CHECKPOINT_PAGES new pages (the WAL starts over only
        // when a write begins after a checkpoint copied all of it, so it
        // may stay long).
        let mut asked_at: c_int = 0;
        // Replaces the automatic checkpoint (itself a WAL hook).
        conn.wal_hook(Some(move |wal: &mut Wal, pages: c_int| {
            if pages < asked_at {
                asked_at = 0;
            }
            if pages >= INLINE_PAGES {
                wal.checkpoint_v2(CheckpointMode::PASSIVE)?;
            } else if pages - asked_at >= CHECKPOINT_PAGES {
                asked_at = pages;
                // Full: a checkpoint is already asked for.
                if let Err(TrySendError::Disconnected(())) = tx.try_send(()) {
                    wal.checkpoint_v2(CheckpointMode::PASSIVE)?;
                }
            }
            Ok(())
        }))?;
        Ok(Self {
            thread: Some(thread),
            done,
        })
    }

    /// Checkpoints the thread has run.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Removes `conn`'s hook (which ends the thread) and waits for the
    /// thread, so that its connection is closed before `conn`.
    pub fn stop(&mut self, conn: &mut Connection) {
        let _ = conn.wal_hook(None::<fn(&mut Wal, c_int) -> rusqlite::Result<()>>);
        tracing::debug!("{} state checkpoints", self.done());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
