//! The crawl's outputs within a batch: the records and WARC records
//! appended and synced before the commit (on a blocking thread, see
//! [`super::commit`]), the checkpoints that moved put in the batch, told to
//! the sinks once committed, and both outputs cut back to their committed
//! checkpoints when a commit is refused.

use anyhow::{Context, Result};

use super::commit::Staged;
use super::Crawler;
use crate::fetch::{Capture, Fetcher};
use crate::output::warc_files::WarcOutput;
use crate::output::RecordSink;
use crate::state::Checkpoint;

/// The records' sink and the `--warc` files: moved together to the thread
/// that syncs them.
pub(super) struct Outputs {
    /// The records' sink.
    pub sink: Box<dyn RecordSink>,
    /// The `--warc` output, when asked for.
    pub warc: Option<WarcOutput>,
}

/// The outputs back from a sync, and how each sync went.
pub(super) struct Synced {
    /// The outputs.
    pub outputs: Outputs,
    /// The records' sync.
    pub records: Result<()>,
    /// The WARC files' sync: their checkpoint when it moved.
    pub archive: Result<Option<(String, Checkpoint)>>,
}

impl Outputs {
    /// Appends the batch's records and WARC records (not durable yet).
    pub fn append(&mut self, staged: &Staged) {
        for (_, encoded) in &staged.records {
            self.sink.append(encoded);
        }
        if let Some(warc) = &mut self.warc {
            for (_, members) in &staged.warc_records {
                warc.files.append(members);
            }
        }
    }

    /// Makes everything appended durable. The two outputs are synced at
    /// once (each sync waits for the disk).
    pub fn sync(mut self) -> Synced {
        let (sink, warc) = (&mut self.sink, &mut self.warc);
        let (records, archive) = std::thread::scope(|scope| {
            let archive = warc.as_mut().map(|w| scope.spawn(|| w.sync()));
            let records = sink.sync();
            let archive =
                archive.map_or(Ok(None), |t| t.join().expect("a WARC sync does not panic"));
            (records, archive)
        });
        Synced {
            outputs: self,
            records,
            archive,
        }
    }
}

impl Crawler {
    /// The outputs, taken to be synced.
    pub(super) fn take_outputs(&mut self) -> Result<Outputs> {
        self.outputs
            .take()
            .context("the outputs are away for a sync (a second commit began)")
    }

    /// The outputs are back from a sync.
    pub(super) fn put_outputs(&mut self, outputs: Outputs) {
        self.outputs = Some(outputs);
    }

    /// The outputs, when no sync has them.
    fn outputs_mut(&mut self) -> Result<&mut Outputs> {
        self.outputs
            .as_mut()
            .context("the outputs are away for a sync")
    }

    /// Appends the staged records and WARC records, makes them durable
    /// here, and puts the checkpoints that moved (or all, after a rewind)
    /// in the batch.
    pub(super) fn write_outputs(&mut self, rewound: bool) -> Result<()> {
        let mut outputs = self.take_outputs()?;
        outputs.append(&self.staged);
        let Synced {
            outputs,
            records,
            archive,
        } = outputs.sync();
        self.put_outputs(outputs);
        records?;
        self.stage_checkpoints(archive, rewound)
    }

    /// Puts in the batch the checkpoints that moved (or all, after a
    /// rewind) once the records are synced; `archive` is the WARC files'
    /// sync.
    pub(super) fn stage_checkpoints(
        &mut self,
        archive: Result<Option<(String, Checkpoint)>>,
        rewound: bool,
    ) -> Result<()> {
        let committed = self.committed.clone();
        let sink = &self.outputs_mut()?.sink;
        let moved = match (sink.key(), sink.checkpoint()) {
            (Some(key), Some(checkpoint)) if rewound || committed.as_ref() != Some(&checkpoint) => {
                Some((key.to_string(), checkpoint))
            }
            _ => None,
        };
        let checkpoints = &mut self.staged.batch.checkpoints;
        checkpoints.clear();
        checkpoints.extend(moved);
        checkpoints.extend(archive?);
        Ok(())
    }

    /// The batch was committed: its checkpoints are the outputs' committed
    /// ones now.
    pub(super) fn outputs_committed(&mut self) -> Result<()> {
        let outputs = self
            .outputs
            .as_mut()
            .context("the outputs are away for a sync at a commit")?;
        for (key, c) in std::mem::take(&mut self.staged.batch.checkpoints) {
            match &mut outputs.warc {
                Some(warc) if warc.files.key() == key => warc.committed(c),
                _ => {
                    outputs.sink.committed(&c);
                    self.committed = Some(c);
                }
            }
        }
        self.staged.records.clear();
        self.staged.warc_records.clear();
        Ok(())
    }

    /// Opens the outputs again from their committed checkpoints, which
    /// cuts off the records appended since (none of them committed).
    pub(super) fn rewind_output(&mut self) -> Result<()> {
        let owner = self.state.owner().clone();
        let (target, committed) = (self.target.clone(), self.committed.clone());
        let outputs = self.outputs_mut()?;
        if let Some(warc) = &mut outputs.warc {
            warc.rewind(&owner)?;
        }
        if outputs.sink.key().is_none() {
            // Standard output cannot be taken back (at-least-once).
            return Ok(());
        }
        outputs.sink = target.open(committed.as_ref(), &owner)?;
        Ok(())
    }

    /// Completes what the run leaves open in the outputs (a Parquet part).
    pub(super) fn finish_outputs(&mut self) -> Result<()> {
        self.outputs_mut()?.sink.finish()
    }

    /// The client for one job: recording its exchanges when `--warc` is on
    /// (the records travel back with the job's result).
    pub(super) fn job_fetcher(&self) -> (Fetcher, Option<Capture>) {
        if self.archiving {
            let (f, c) = self.fetcher.capturing();
            (f, Some(c))
        } else {
            (self.fetcher.clone(), None)
        }
    }
}
