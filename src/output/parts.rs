//! A crawl's Parquet output: part files `DIR/part-<run>-<n>.parquet`, each
//! complete once renamed into place.
//!
//! A Parquet file cannot be appended to, and a crawl commits a batch every
//! fraction of a second, so the records of the part being filled are first
//! made durable in a staging file beside the parts (`DIR/.staging-<run>-<n>.jsonl`,
//! one JSON record per line, synced at every batch). When the staging file
//! reaches [`PART_ROWS`] rows or [`PART_STAGED_BYTES`] bytes, and at the end
//! of a run, its records are written as part `n` (temporary name, sync,
//! rename, folder sync) and a new staging file is begun.
//!
//! The checkpoint (JSON) lists the complete parts, the staging file and its
//! committed length. Opened from it, the sink removes every part the list
//! does not hold, every temporary file and every other staging file, cuts
//! the staging file back to its committed length, and turns what it holds
//! (records committed by a run that was killed) into a part: the folder
//! holds each committed article exactly once, in the parts.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::durable::{
    append_synced, open_cut_back, open_folder, remove_uncommitted, run_id, sync_dir,
};
use super::parquet::ParquetWriter;
use super::{jsonl, RecordEncoder, RecordSink};
use crate::limits::{PARQUET_PART_ROWS, PARQUET_PART_STAGED_BYTES};
use crate::record::Record;
use crate::state::{Checkpoint, OutputOwner};

/// Rows after which a part is closed.
pub const PART_ROWS: u64 = PARQUET_PART_ROWS;
/// Staged JSON bytes after which a part is closed.
pub const PART_STAGED_BYTES: u64 = PARQUET_PART_STAGED_BYTES;

/// When a part is closed.
#[derive(Debug, Clone, Copy)]
pub struct PartSize {
    /// Most rows in a part.
    pub rows: u64,
    /// Most staged bytes (JSON) behind a part.
    pub bytes: u64,
}

impl Default for PartSize {
    fn default() -> Self {
        Self {
            rows: PART_ROWS,
            bytes: PART_STAGED_BYTES,
        }
    }
}

/// The committed position of a parts folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct PartsCheckpoint {
    /// Complete parts, in the order written.
    parts: Vec<String>,
    /// The staging file of the next part, if begun.
    staging: Option<String>,
    /// Its committed length.
    len: u64,
}

/// The staging file being filled.
#[derive(Debug)]
struct Staging {
    name: String,
    file: File,
    len: u64,
    rows: u64,
}

/// Part files in a folder, with exactly-once checkpoints.
#[derive(Debug)]
pub struct ParquetParts {
    key: String,
    dir: PathBuf,
    size: PartSize,
    /// This sink's run id, in its part names.
    run: String,
    /// Number of the next part.
    next: u32,
    parts: Vec<String>,
    staging: Option<Staging>,
    /// Staging files whose records went into a part, kept until a
    /// checkpoint without them is committed.
    obsolete: Vec<String>,
    pending: Vec<u8>,
    pending_rows: u64,
}

fn is_part(name: &str) -> bool {
    name.starts_with("part-") && name.ends_with(".parquet")
}

fn is_ours_temporary(name: &str) -> bool {
    name.starts_with(".part-") && name.contains(".parquet.tmp-")
}

fn is_staging(name: &str) -> bool {
    name.starts_with(".staging-") && name.ends_with(".jsonl")
}

impl ParquetParts {
    /// Opens the folder `dir` for `owner` from the committed checkpoint.
    pub fn open(dir: &Path, committed: Option<&Checkpoint>, owner: &OutputOwner) -> Result<Self> {
        Self::open_sized(dir, committed, owner, PartSize::default())
    }

    /// [`ParquetParts::open`] with another part size.
    pub fn open_sized(
        dir: &Path,
        committed: Option<&Checkpoint>,
        owner: &OutputOwner,
        size: PartSize,
    ) -> Result<Self> {
        let key = dir.display().to_string();
        let (committed, names) = open_folder::<PartsCheckpoint>(
            dir,
            committed,
            owner,
            "Parquet parts (was this --out a JSONL file?)",
        )?;
        let cp = match committed {
            Some(cp) => cp,
            // No checkpoint: complete parts already there are kept as they
            // are (another state's, or an earlier one's); nothing is staged.
            None => PartsCheckpoint {
                parts: names.iter().filter(|n| is_part(n)).cloned().collect(),
                ..Default::default()
            },
        };
        for name in &names {
            let stale = (is_part(name) && !cp.parts.contains(name))
                || is_ours_temporary(name)
                || (is_staging(name) && cp.staging.as_deref() != Some(name.as_str()));
            if stale {
                remove_uncommitted(dir, name)?;
            }
        }
        let missing: Vec<&String> = cp.parts.iter().filter(|p| !names.contains(p)).collect();
        if !missing.is_empty() {
            tracing::warn!("{key}: committed parts missing (removed by hand?): {missing:?}");
        }
        let mut sink = Self {
            key,
            dir: dir.to_path_buf(),
            size,
            run: run_id(),
            next: 0,
            parts: cp.parts,
            staging: None,
            obsolete: Vec::new(),
            pending: Vec::new(),
            pending_rows: 0,
        };
        if let Some(name) = cp.staging {
            sink.resume_staging(name, cp.len)?;
            // Records a killed run committed become a part now.
            sink.close_part()?;
        }
        Ok(sink)
    }

    /// Reopens the committed staging file, cut back to `len`.
    fn resume_staging(&mut self, name: String, len: u64) -> Result<()> {
        let path = self.dir.join(&name);
        if len == 0 && !path.exists() {
            return Ok(());
        }
        let file = open_cut_back(&path, len)?;
        let rows =
            count_lines(&file, len).with_context(|| format!("{}: cannot read", path.display()))?;
        self.staging = Some(Staging {
            name,
            file,
            len,
            rows,
        });
        Ok(())
    }

    /// Writes the staged records as the next part and begins no staging
    /// file (the next sync does); the staging file is removed once the
    /// checkpoint without it is committed.
    fn close_part(&mut self) -> Result<()> {
        let Some(staging) = self.staging.as_ref().filter(|s| s.rows > 0) else {
            return Ok(());
        };
        let name = format!("part-{}-{:05}.parquet", self.run, self.next);
        write_part(
            &self.dir.join(&staging.name),
            staging.len,
            &self.dir.join(&name),
        )?;
        let staging = self.staging.take().expect("checked above");
        self.next += 1;
        self.parts.push(name);
        self.obsolete.push(staging.name);
        Ok(())
    }

    /// Begins the staging file of the next part.
    fn begin_staging(&mut self) -> Result<&mut Staging> {
        if self.staging.is_none() {
            let name = format!(".staging-{}-{:05}.jsonl", self.run, self.next);
            let path = self.dir.join(&name);
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
                .with_context(|| format!("{}: cannot create", path.display()))?;
            sync_dir(&self.dir);
            self.staging = Some(Staging {
                name,
                file,
                len: 0,
                rows: 0,
            });
        }
        Ok(self.staging.as_mut().expect("set above"))
    }
}

impl RecordSink for ParquetParts {
    fn key(&self) -> Option<&str> {
        Some(&self.key)
    }

    fn encoder(&self) -> RecordEncoder {
        jsonl::encoder()
    }

    fn append(&mut self, encoded: &[u8]) {
        self.pending.extend_from_slice(encoded);
        self.pending_rows += 1;
    }

    fn sync(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let rows = std::mem::take(&mut self.pending_rows);
        let (dir, size) = (self.dir.clone(), self.size);
        let staging = self.begin_staging()?;
        append_synced(
            &staging.file,
            staging.len,
            &pending,
            &dir.join(&staging.name),
        )?;
        staging.len += pending.len() as u64;
        staging.rows += rows;
        if staging.rows >= size.rows || staging.len >= size.bytes {
            self.close_part()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.close_part()
    }

    fn committed(&mut self, checkpoint: &Checkpoint) {
        let Ok(cp) = serde_json::from_str::<PartsCheckpoint>(&checkpoint.0) else {
            return;
        };
        // Staging files whose records are in a committed part.
        let dir = &self.dir;
        self.obsolete.retain(|name| {
            let done = cp.staging.as_deref() != Some(name.as_str());
            if done {
                let _ = std::fs::remove_file(dir.join(name));
            }
            !done
        });
    }

    fn checkpoint(&self) -> Option<Checkpoint> {
        let cp = PartsCheckpoint {
            parts: self.parts.clone(),
            staging: self.staging.as_ref().map(|s| s.name.clone()),
            len: self.staging.as_ref().map_or(0, |s| s.len),
        };
        Some(Checkpoint(
            serde_json::to_string(&cp).expect("a checkpoint serialises"),
        ))
    }
}

/// Writes the first `len` bytes of the staging file `staged` (JSON lines)
/// as the Parquet file `dest` (complete once renamed into place).
fn write_part(staged: &Path, len: u64, dest: &Path) -> Result<()> {
    let mut writer = ParquetWriter::create(dest)?;
    let file = File::open(staged).with_context(|| format!("{}: cannot open", staged.display()))?;
    let reader = BufReader::with_capacity(1 << 20, file.take(len));
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{}: cannot read", staged.display()))?;
        let record: Record = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}: not a record", staged.display(), i + 1))?;
        writer.append(&record)?;
    }
    writer.finish()?;
    Ok(())
}

fn count_lines(file: &File, len: u64) -> std::io::Result<u64> {
    let mut rows = 0;
    let mut buf = vec![0u8; 1 << 16];
    let mut at = 0;
    while at < len {
        let n = ((len - at) as usize).min(buf.len());
        file.read_exact_at(&mut buf[..n], at)?;
        rows += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        at += n as u64;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::parquet::read_rows;

    use crate::output::owner::tests::me;

    fn line(n: usize) -> Vec<u8> {
        let r = Record {
            id: format!("{n:016x}"),
            url: format!("https://example.com/{n}"),
            site: "example.com".into(),
            title: Some(format!("Title {n}")),
            authors: vec![],
            published: None,
            modified: None,
            language: None,
            description: None,
            body: format!("Body {n}."),
            extractor: "generic".into(),
            fetched_at: None,
            page_type: crate::extract::page_type::PageType::Article,
            paywalled: false,
        };
        r.to_json_line().into_bytes()
    }

    /// Every row's URL number, part by part (sorted: run ids of one second
    /// do not sort by time); and the names of
    /// files other than parts (staging, temporary).
    fn contents(dir: &Path) -> (Vec<Vec<usize>>, Vec<String>) {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut parts: Vec<Vec<usize>> = names
            .iter()
            .filter(|n| is_part(n))
            .map(|n| {
                read_rows(&dir.join(n))
                    .unwrap()
                    .iter()
                    .map(|r| r["url"].as_str().unwrap()[20..].parse().unwrap())
                    .collect()
            })
            .collect();
        parts.sort();
        (parts, names.into_iter().filter(|n| !is_part(n)).collect())
    }

    #[test]
    fn parts_close_at_the_size_and_at_the_end() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("out");
        let size = PartSize {
            rows: 3,
            bytes: 1 << 30,
        };
        let mut s = ParquetParts::open_sized(&dir, None, &me(), size).unwrap();
        for n in 0..4 {
            s.append(&line(n));
        }
        s.sync().unwrap();
        s.append(&line(4));
        s.sync().unwrap();
        s.finish().unwrap();
        let (_, others) = contents(&dir);
        assert_eq!(others.len(), 2, "staging files kept until committed");
        // The state commits the checkpoint: the staging files go.
        s.committed(&s.checkpoint().unwrap());
        let (parts, others) = contents(&dir);
        assert_eq!(parts, vec![vec![0, 1, 2, 3], vec![4]]);
        assert!(others.is_empty(), "{others:?}");
    }

    #[test]
    fn a_kill_leaves_each_committed_record_once_in_the_parts() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("out");
        let size = PartSize {
            rows: 2,
            bytes: 1 << 30,
        };
        let mut s = ParquetParts::open_sized(&dir, None, &me(), size).unwrap();
        s.append(&line(0));
        s.append(&line(1));
        s.sync().unwrap();
        s.append(&line(2));
        s.sync().unwrap();
        let committed = s.checkpoint().unwrap();
        // Not committed: a record staged and a part closed.
        s.append(&line(3));
        s.sync().unwrap();
        s.append(&line(4));
        s.sync().unwrap();
        assert_eq!(contents(&dir).0.len(), 2);
        drop(s); // killed
        let s = ParquetParts::open_sized(&dir, Some(&committed), &me(), size).unwrap();
        // The committed staged record became a part of its own; the
        // uncommitted part and records are gone.
        let (parts, others) = contents(&dir);
        assert_eq!(parts, vec![vec![0, 1], vec![2]]);
        assert_eq!(
            others.len(),
            1,
            "the committed staging file until the next commit: {others:?}"
        );
        drop(s); // killed before the new checkpoint was committed
        let mut s = ParquetParts::open_sized(&dir, Some(&committed), &me(), size).unwrap();
        assert_eq!(contents(&dir).0, vec![vec![0, 1], vec![2]]);
        assert_ne!(s.checkpoint().unwrap(), committed);
        s.append(&line(5));
        s.sync().unwrap();
        s.finish().unwrap();
        s.committed(&s.checkpoint().unwrap());
        let (parts, others) = contents(&dir);
        assert_eq!(parts, vec![vec![0, 1], vec![2], vec![5]]);
        assert!(others.is_empty(), "{others:?}");
        let e = format!(
            "{:#}",
            ParquetParts::open(&dir, Some(&Checkpoint("12".into())), &me()).unwrap_err()
        );
        assert!(e.contains("not a list of Parquet parts"), "{e}");
    }
}
