//! The crawl's outputs within a batch: the records and WARC records
//! appended and synced before the commit, the checkpoints that moved put in
//! the batch, told to the sinks once committed, and both outputs cut back to
//! their committed checkpoints when a commit is refused.

use anyhow::Result;

use super::Crawler;
use crate::fetch::{Capture, Fetcher};

impl Crawler {
    /// Appends the batch's records and WARC records, makes them durable,
    /// and puts the checkpoints that moved (or all, after a rewind) in the
    /// batch.
    pub(super) fn write_outputs(&mut self, rewound: bool) -> Result<()> {
        for (_, encoded) in &self.records {
            self.sink.append(encoded);
        }
        if let Some(warc) = &mut self.warc {
            for (_, members) in &self.warc_records {
                warc.files.append(members);
            }
        }
        // The two outputs are written and synced at once (each sync waits
        // for the disk).
        let (sink, warc) = (&mut self.sink, &mut self.warc);
        let (records, archive) = std::thread::scope(|scope| {
            let archive = warc.as_mut().map(|w| scope.spawn(|| w.sync()));
            let records = sink.sync();
            let archive = archive.map(|t| t.join().expect("a WARC sync does not panic"));
            (records, archive)
        });
        records?;
        self.batch.checkpoints.clear();
        if let (Some(key), Some(checkpoint)) = (self.sink.key(), self.sink.checkpoint()) {
            if rewound || self.committed.as_ref() != Some(&checkpoint) {
                self.batch.checkpoints.push((key.to_string(), checkpoint));
            }
        }
        if let Some(moved) = archive.transpose()?.flatten() {
            self.batch.checkpoints.push(moved);
        }
        Ok(())
    }

    /// The batch was committed: its checkpoints are the outputs' committed
    /// ones now.
    pub(super) fn outputs_committed(&mut self) {
        for (key, c) in std::mem::take(&mut self.batch.checkpoints) {
            match &mut self.warc {
                Some(warc) if warc.files.key() == key => warc.committed(c),
                _ => {
                    self.sink.committed(&c);
                    self.committed = Some(c);
                }
            }
        }
        self.records.clear();
        self.warc_records.clear();
    }

    /// Opens the outputs again from their committed checkpoints, which
    /// cuts off the records appended since (none of them committed).
    pub(super) fn rewind_output(&mut self) -> Result<()> {
        if let Some(warc) = &mut self.warc {
            warc.rewind(self.state.owner())?;
        }
        if self.sink.key().is_none() {
            // Standard output cannot be taken back (at-least-once).
            return Ok(());
        }
        self.sink = self
            .target
            .open(self.committed.as_ref(), self.state.owner())?;
        Ok(())
    }

    /// The client for one job: recording its exchanges when `--warc` is on
    /// (the records travel back with the job's result).
    pub(super) fn job_fetcher(&self) -> (Fetcher, Option<Capture>) {
        match self.warc {
            Some(_) => {
                let (f, c) = self.fetcher.capturing();
                (f, Some(c))
            }
            None => (self.fetcher.clone(), None),
        }
    }
}
