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

/// A PASSIVE checkpoint by the committing connection, from its WAL hook.
/// It fails with SQLITE_BUSY while the checkpoint thread is copying (only
/// one checkpoint runs at a time); the WAL is then being copied anyway, and
/// the next commit asks again. An error returned from the hook would make
/// the COMMIT that ran it report a failure although it happened: a crawl
/// stopped with "cannot commit" once a WAL passed [`INLINE_PAGES`] during a
/// background checkpoint.
fn checkpoint_inline(wal: &mut Wal) {
    if let Err(e) = wal.checkpoint_v2(CheckpointMode::PASSIVE) {
        tracing::debug!("state checkpoint skipped: {e}");
    }
}

impl Checkpointer {
    /// Opens a second connection to `path` on a thread of its own and turns
    /// `conn`'s automatic checkpoints into requests to it.
    pub fn start(conn: &mut Connection, path: &Path) -> Result<Self> {
        Self::start_with(conn, path, INLINE_PAGES)
    }

    /// [`Checkpointer::start`], checkpointing inline from `inline_pages`
    /// WAL pages on.
    fn start_with(conn: &mut Connection, path: &Path, inline_pages: c_int) -> Result<Self> {
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
            if pages >= inline_pages {
                checkpoint_inline(wal);
            } else if pages - asked_at >= CHECKPOINT_PAGES {
                asked_at = pages;
                // Full: a checkpoint is already asked for.
                if let Err(TrySendError::Disconnected(())) = tx.try_send(()) {
                    checkpoint_inline(wal);
                }
            }
            // Never an error: the commit that called the hook has happened,
            // and an error here would make it report a failure.
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

#[cfg(test)]
mod tests {
    use std::sync::{Condvar, Mutex};

    use super::*;

    /// 0: no checkpoint waits; 1: one waits in [`wait_for_release`]; 2: released.
    static HOLD: (Mutex<u8>, Condvar) = (Mutex::new(0), Condvar::new());

    /// A busy handler that holds its connection's checkpoint until released.
    fn wait_for_release(_: i32) -> bool {
        let (state, changed) = &HOLD;
        let mut s = state.lock().unwrap();
        if *s == 0 {
            *s = 1;
            changed.notify_all();
        }
        while *s == 1 {
            s = changed.wait(s).unwrap();
        }
        false
    }

    #[test]
    fn a_commit_whose_checkpoint_finds_another_running_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t(x)").unwrap();
        let mut checkpointer = Checkpointer::start_with(&mut conn, &path, 1).unwrap();
        // The write lock held, another connection's FULL checkpoint takes
        // the checkpoint lock and waits for the writer in its busy handler.
        conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
            .unwrap();
        let holder = std::thread::spawn({
            let path = path.clone();
            move || {
                let mut other = Connection::open(&path).unwrap();
                // Reads the header: a connection that has not seen the
                // database in WAL mode checkpoints nothing.
                let _: i64 = other
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                    .unwrap();
                other.busy_handler(Some(wait_for_release)).unwrap();
                let _ = other.wal_checkpoint_v2(Some("main"), CheckpointMode::FULL);
            }
        });
        let (state, changed) = &HOLD;
        let mut s = state.lock().unwrap();
        while *s == 0 {
            s = changed.wait(s).unwrap();
        }
        drop(s);
        // The commit's own checkpoint (WAL past `inline_pages`) is refused
        // with SQLITE_BUSY: the commit still happened, and says so.
        let committed = conn.execute_batch("COMMIT");
        *state.lock().unwrap() = 2;
        changed.notify_all();
        holder.join().unwrap();
        committed.expect("the commit reports its success");
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
        checkpointer.stop(&mut conn);
    }
}
