//! A fixed pool of extraction threads, one per core, fed by a channel.
//!
//! Parsing and extraction are CPU work and must stay off the async threads.
//! `spawn_blocking` behind a semaphore of slots did that, at the price of a
//! permit hand-off and the blocking pool's bookkeeping per page; here each
//! job is queued once and its result comes back on a oneshot channel.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, Result};

type Job = Box<dyn FnOnce() + Send>;

/// Threads that run jobs in the order they were queued; they stop when the
/// pool is dropped, after the jobs already queued.
pub struct ExtractPool {
    jobs: Mutex<Sender<Job>>,
}

/// A job panicked, or the pool could not run it.
#[derive(Debug, PartialEq, Eq)]
pub struct JobFailed;

impl ExtractPool {
    /// Starts `threads` threads (at least one).
    pub fn new(threads: usize) -> Result<Self> {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("extract-{i}"))
                .spawn(move || work(&rx))
                .context("starting an extraction thread")?;
        }
        Ok(Self {
            jobs: Mutex::new(tx),
        })
    }

    /// Runs `f` on one of the pool's threads and waits for its result.
    pub async fn run<T, F>(&self, f: F) -> Result<T, JobFailed>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(catch_unwind(AssertUnwindSafe(f)));
        });
        let sent = self
            .jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(job);
        if sent.is_err() {
            return Err(JobFailed);
        }
        match rx.await {
            Ok(Ok(v)) => Ok(v),
            _ => Err(JobFailed),
        }
    }
}

/// One thread's loop: the next job, until the pool is gone.
fn work(rx: &Mutex<Receiver<Job>>) {
    loop {
        let job = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_jobs_and_survives_a_panicking_one() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let pool = ExtractPool::new(2).unwrap();
        rt.block_on(async {
            assert_eq!(pool.run(|| 6 * 7).await, Ok(42));
            assert_eq!(
                pool.run(|| -> u8 { panic!("bad page") }).await,
                Err(JobFailed)
            );
            let names =
                futures_util::future::join_all((0..8).map(|i| {
                    pool.run(move || (i, std::thread::current().name().map(String::from)))
                }))
                .await;
            for (i, r) in names.into_iter().enumerate() {
                let (j, name) = r.unwrap();
                assert_eq!(j, i);
                assert!(name.unwrap().starts_with("extract-"));
            }
        });
    }
}
