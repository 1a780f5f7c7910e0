//! JSONL sinks: one JSON record per line, to a file or to stdout.
//!
//! The file sink's checkpoint is its byte length. It appends whole lines,
//! syncs them, and only then reports the new length for the state to
//! commit; on open it cuts off anything beyond the committed length (an
//! uncommitted tail left by a kill), and a failed or short write is repaired
//! at once by truncating back. It never truncates bytes it did not write:
//! without a committed length it continues after what is there, and refuses
//! a file ending in a partial line. Stdout is at-least-once (a line can be
//! written twice after a kill).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use super::durable::append_synced;
use super::{owner, RecordEncoder, RecordSink};
use crate::state::{Checkpoint, OutputOwner};

/// The JSONL encoder: the record as one line, newline included.
pub fn encoder() -> RecordEncoder {
    Arc::new(|record| record.to_json_bytes())
}

/// An appended JSONL file.
#[derive(Debug)]
pub struct JsonlFile {
    /// Its resolved path, also its key in the state.
    key: String,
    path: PathBuf,
    file: File,
    /// Length made durable (the checkpoint).
    len: u64,
    /// Lines appended since the last sync.
    pending: Vec<u8>,
}

impl JsonlFile {
    /// Opens `path` for `owner`, from the checkpoint the state last
    /// committed for it (a longer file is cut back to it: the tail was never
    /// committed).
    pub fn open(path: &Path, committed: Option<&Checkpoint>, owner: &OutputOwner) -> Result<Self> {
        let name = path.display().to_string();
        let committed = committed
            .map(|c| {
                c.0.parse::<u64>().with_context(|| {
                    format!(
                        "{name}: the state's checkpoint {:?} is not a JSONL length",
                        c.0
                    )
                })
            })
            .transpose()?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create directory", parent.display()))?;
        }
        owner::claim(path, owner)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .with_context(|| format!("{name}: cannot open output"))?;
        let actual = file
            .metadata()
            .with_context(|| format!("{name}: cannot stat output"))?
            .len();
        let len = match committed {
            Some(c) if actual > c => {
                file.set_len(c)
                    .and_then(|()| file.sync_all())
                    .with_context(|| format!("{name}: cannot truncate uncommitted tail"))?;
                tracing::warn!("{name}: removed {} bytes not committed by the last run (their articles are fetched again)", actual - c);
                c
            }
            // Shorter than committed (rotated or edited by hand): continue
            // from what is there, dropping a partial last line of ours.
            Some(_) => {
                let whole = last_whole_line_end(&file, actual)
                    .with_context(|| format!("{name}: cannot read output"))?;
                if whole < actual {
                    file.set_len(whole)
                        .with_context(|| format!("{name}: cannot truncate partial line"))?;
                }
                whole
            }
            // Nothing of it committed by this state: every byte is someone
            // else's, kept as it is.
            None => {
                let whole = last_whole_line_end(&file, actual)
                    .with_context(|| format!("{name}: cannot read output"))?;
                if whole < actual {
                    bail!("{name}: ends with a partial line this crawl state did not write; complete or remove it, or choose another --out");
                }
                whole
            }
        };
        Ok(Self {
            key: name,
            path: path.to_path_buf(),
            file,
            len,
            pending: Vec::new(),
        })
    }
}

impl RecordSink for JsonlFile {
    fn key(&self) -> Option<&str> {
        Some(&self.key)
    }

    fn encoder(&self) -> RecordEncoder {
        encoder()
    }

    fn append(&mut self, encoded: &[u8]) {
        self.pending.extend_from_slice(encoded);
    }

    fn sync(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        // The buffer is kept (cleared) for the next batch: grown afresh
        // each time, its megabytes were copied and faulted in again.
        let r = append_synced(&self.file, self.len, &self.pending, &self.path);
        if r.is_ok() {
            self.len += self.pending.len() as u64;
        }
        self.pending.clear();
        r
    }

    fn checkpoint(&self) -> Option<Checkpoint> {
        Some(Checkpoint(self.len.to_string()))
    }
}

/// Standard output: lines written as they are synced, nothing to commit.
#[derive(Debug, Default)]
pub struct JsonlStdout {
    pending: Vec<u8>,
}

impl RecordSink for JsonlStdout {
    fn key(&self) -> Option<&str> {
        None
    }

    fn encoder(&self) -> RecordEncoder {
        encoder()
    }

    fn append(&mut self, encoded: &[u8]) {
        self.pending.extend_from_slice(encoded);
    }

    fn sync(&mut self) -> Result<()> {
        let mut out = std::io::stdout().lock();
        let r = out.write_all(&self.pending).and_then(|()| out.flush());
        self.pending.clear();
        r.context("stdout: write failed")
    }

    fn checkpoint(&self) -> Option<Checkpoint> {
        None
    }
}

fn last_whole_line_end(file: &File, len: u64) -> std::io::Result<u64> {
    let mut end = len;
    let mut buf = [0u8; 4096];
    while end > 0 {
        let start = end.saturating_sub(buf.len() as u64);
        let n = (end - start) as usize;
        file.read_exact_at(&mut buf[..n], start)?;
        if let Some(i) = buf[..n].iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::output::owner::tests::me;

    fn cp(n: u64) -> Checkpoint {
        Checkpoint(n.to_string())
    }

    #[test]
    fn cuts_the_uncommitted_tail_and_a_partial_line_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o.jsonl");
        std::fs::write(&p, "a\nb\nc").unwrap();
        let s = JsonlFile::open(&p, Some(&cp(2)), &me()).unwrap();
        assert_eq!(s.checkpoint(), Some(cp(2)));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a\n");
        drop(s);
        std::fs::write(&p, "a\nb\nc").unwrap();
        let mut s = JsonlFile::open(&p, Some(&cp(100)), &me()).unwrap();
        assert_eq!(s.checkpoint(), Some(cp(4)));
        s.append(b"d\n");
        assert_eq!(s.checkpoint(), Some(cp(4)), "not durable before sync");
        s.sync().unwrap();
        assert_eq!(s.checkpoint(), Some(cp(6)));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a\nb\nd\n");
    }

    #[test]
    fn a_sync_keeps_the_buffer_for_the_next_batch() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o.jsonl");
        let mut s = JsonlFile::open(&p, None, &me()).unwrap();
        let line = [b'x'; 4095]
            .iter()
            .chain(b"\n")
            .copied()
            .collect::<Vec<u8>>();
        for _ in 0..4 {
            s.append(&line);
        }
        s.sync().unwrap();
        assert_eq!(s.checkpoint(), Some(cp(16384)));
        assert!(s.pending.is_empty());
        assert!(s.pending.capacity() >= 16384, "{}", s.pending.capacity());
        s.append(b"y\n");
        s.sync().unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().len(), 16386);
    }

    #[test]
    fn never_cuts_bytes_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o.jsonl");
        std::fs::write(&p, "theirs\n").unwrap();
        let mut s = JsonlFile::open(&p, None, &me()).unwrap();
        assert_eq!(s.checkpoint(), Some(cp(7)));
        s.append(b"mine\n");
        s.sync().unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "theirs\nmine\n");
        let q = dir.path().join("partial.jsonl");
        std::fs::write(&q, "theirs\nhalf").unwrap();
        let e = JsonlFile::open(&q, None, &me()).unwrap_err().to_string();
        assert!(e.contains("partial line"), "{e}");
        assert_eq!(std::fs::read_to_string(&q).unwrap(), "theirs\nhalf");
        let e = format!(
            "{:#}",
            JsonlFile::open(&p, Some(&Checkpoint("[]".into())), &me()).unwrap_err()
        );
        assert!(e.contains("not a JSONL length"), "{e}");
    }

    #[test]
    fn a_failed_write_is_truncated_back_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o.jsonl");
        let mut s = JsonlFile::open(&p, None, &me()).unwrap();
        s.append(b"one\n");
        s.sync().unwrap();
        // A read-only handle makes the next write fail.
        s.file = File::open(&p).unwrap();
        s.append(b"two\n");
        let e = format!("{:#}", s.sync().unwrap_err());
        assert!(e.contains("o.jsonl: write failed"), "{e}");
        assert_eq!(s.checkpoint(), Some(cp(4)));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one\n");
    }
}
