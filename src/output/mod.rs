//! Where a crawl's records go: the [`RecordSink`] seam, and the choice of a
//! sink from `--out`, checked before a crawl starts.
//!
//! A sink turns records into bytes with an encoder it hands out (called on
//! the extraction threads, so the scheduler thread only appends bytes),
//! appends them, makes them durable, and reports a [`Checkpoint`] that the
//! crawl state commits with the batch; opened again from that checkpoint it
//! drops whatever was not committed. The checkpoint is the sink's own: a
//! JSONL file's byte length; a writer of part files would list them.
//!
//! Every output file has one owner, the crawl state writing it
//! ([`owner`]); no other state writes or repairs it.

pub mod atomic;
pub mod durable;
pub mod jsonl;
pub mod owner;
pub mod parquet;
pub mod parts;
pub mod records;
pub mod warc_files;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, Local};

use crate::record::Record;
use crate::state::{Checkpoint, OutputOwner};

/// Encodes a record into the bytes a sink appends (thread-safe, cheap to
/// clone: extraction threads call it).
pub type RecordEncoder = Arc<dyn Fn(&Record) -> Vec<u8> + Send + Sync>;

/// A destination of records with exactly-once checkpoints.
pub trait RecordSink: Send {
    /// The output's key in the crawl state; `None` when nothing is
    /// committed for it (stdout: at-least-once).
    fn key(&self) -> Option<&str>;
    /// The encoder whose bytes [`RecordSink::append`] takes.
    fn encoder(&self) -> RecordEncoder;
    /// Appends one encoded record (not durable yet).
    fn append(&mut self, encoded: &[u8]);
    /// Makes everything appended durable; on error nothing of it stays
    /// behind and the checkpoint is unchanged.
    fn sync(&mut self) -> Result<()>;
    /// The checkpoint covering everything made durable so far.
    fn checkpoint(&self) -> Option<Checkpoint>;
    /// Told that the state committed `checkpoint` (one this sink
    /// reported): files it no longer needs may go.
    fn committed(&mut self, checkpoint: &Checkpoint) {
        let _ = checkpoint;
    }
    /// Completes what a run leaves open (a Parquet part), after the last
    /// sync; the checkpoint may change and is committed after it.
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// An `--out` that cannot be an output: a usage error, found before the
/// crawl starts.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadOutput(pub String);

/// The output a crawl writes, chosen and checked from `--out`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// `-`: standard output.
    Stdout,
    /// A JSONL file.
    Jsonl {
        /// The path as given (placeholders expanded): the key older state
        /// files used.
        named: String,
        /// The file it names, symlinks resolved: its key in the state.
        path: PathBuf,
    },
    /// A folder of Parquet part files.
    Parquet {
        /// The folder, symlinks resolved: its key in the state.
        dir: PathBuf,
    },
}

impl OutputTarget {
    /// Chooses the output for `--out template` at `now`: Parquet part
    /// files in a folder when `parquet` is asked for or the path ends in
    /// `.parquet`, a JSONL file otherwise. Refuses a FIFO, a device or
    /// process file (pointing to `--out -`), a directory for JSONL, a file
    /// for Parquet, and any of `state_files` under any name.
    pub fn choose(
        template: &str,
        now: DateTime<Local>,
        state_files: &[PathBuf],
        parquet: bool,
    ) -> Result<Self, BadOutput> {
        let named = expand_out_path(template, now)?;
        if named == "-" {
            if parquet {
                return Err(BadOutput(
                    "--format parquet: needs --out DIR (a folder of part files), not standard output".into(),
                ));
            }
            return Ok(Self::Stdout);
        }
        if parquet || named.ends_with(".parquet") || named.ends_with(".parquet/") {
            let dir = crate::paths::resolve(Path::new(&named));
            if dir.exists() && !dir.is_dir() {
                return Err(BadOutput(format!(
                    "--out {named}: Parquet output is a folder of part files (DIR/part-*.parquet), and this is not a folder"
                )));
            }
            return Ok(Self::Parquet { dir });
        }
        let given = Path::new(&named);
        let path = crate::paths::resolve(given);
        let use_stdout = "; use --out - to write to standard output";
        // The process's own descriptors (whatever they point to today).
        let own_fd = [
            "/dev/stdout",
            "/dev/stderr",
            "/dev/stdin",
            "/dev/fd",
            "/proc",
        ]
        .iter()
        .any(|p| given.starts_with(p))
            || path.starts_with("/proc");
        if own_fd {
            return Err(BadOutput(format!(
                "--out {named}: a file descriptor of the process, not a file{use_stdout}"
            )));
        }
        if let Ok(meta) = std::fs::metadata(&path) {
            if meta.is_dir() {
                return Err(BadOutput(format!("--out {named}: is a directory")));
            }
            if !meta.is_file() {
                return Err(BadOutput(format!(
                    "--out {named}: not a regular file (a FIFO, socket or device){use_stdout}"
                )));
            }
        }
        if let Some(f) = state_files
            .iter()
            .find(|f| crate::paths::resolve(f) == path)
        {
            return Err(BadOutput(format!(
                "--out {named}: is the crawl state's file {} (state, journal or lock); choose another output path",
                f.display()
            )));
        }
        Ok(Self::Jsonl { named, path })
    }

    /// The output's key in the crawl state (`None` for stdout).
    pub fn key(&self) -> Option<String> {
        match self {
            Self::Stdout => None,
            Self::Jsonl { path, .. } => Some(path.display().to_string()),
            Self::Parquet { dir } => Some(dir.display().to_string()),
        }
    }

    /// The key a state written by an older version may hold instead.
    pub fn legacy_key(&self) -> Option<&str> {
        match self {
            Self::Stdout | Self::Parquet { .. } => None,
            Self::Jsonl { named, .. } => Some(named),
        }
    }

    /// Opens the sink for `owner` from the checkpoint its state committed.
    pub fn open(
        &self,
        committed: Option<&Checkpoint>,
        owner: &OutputOwner,
    ) -> Result<Box<dyn RecordSink>> {
        Ok(match self {
            Self::Stdout => Box::new(jsonl::JsonlStdout::default()),
            Self::Jsonl { path, .. } => Box::new(jsonl::JsonlFile::open(path, committed, owner)?),
            Self::Parquet { dir } => Box::new(parts::ParquetParts::open(dir, committed, owner)?),
        })
    }
}

/// Expands strftime placeholders (`%Y`, `%m`, `%d`, ...) in an output path;
/// a path without `%` is returned unchanged.
pub fn expand_out_path(template: &str, now: DateTime<Local>) -> Result<String, BadOutput> {
    if !template.contains('%') {
        return Ok(template.to_string());
    }
    let items: Vec<_> = chrono::format::StrftimeItems::new(template).collect();
    if items
        .iter()
        .any(|i| matches!(i, chrono::format::Item::Error))
    {
        return Err(BadOutput(format!(
            "--out {template}: invalid strftime placeholder"
        )));
    }
    Ok(now.format_with_items(items.into_iter()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_names() {
        let t = chrono::TimeZone::with_ymd_and_hms(&Local, 2024, 5, 1, 0, 0, 0).unwrap();
        assert_eq!(
            expand_out_path("a-%Y-%m-%d.jsonl", t).unwrap(),
            "a-2024-05-01.jsonl"
        );
        assert_eq!(expand_out_path("plain.jsonl", t).unwrap(), "plain.jsonl");
        assert!(expand_out_path("bad-%Q", t).is_err());
    }

    #[test]
    fn outputs_that_cannot_be_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let now = Local::now();
        let state = d.path().join("s.db");
        std::fs::write(&state, "").unwrap();
        let files = crate::state::StateLocation::Sqlite(state.clone()).files();
        let choose = |p: &Path| OutputTarget::choose(p.to_str().unwrap(), now, &files, false);
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&state, &link).unwrap();
        for bad in [
            state.clone(),
            link,
            d.path().join("s.db-wal"),
            d.path().to_path_buf(),
        ] {
            assert!(choose(&bad).is_err(), "{}", bad.display());
        }
        let e = choose(Path::new("/dev/stdout")).unwrap_err().to_string();
        assert!(e.contains("--out -"), "{e}");
        let ok = choose(&d.path().join("out.jsonl")).unwrap();
        assert_eq!(
            ok.key().unwrap(),
            d.path()
                .canonicalize()
                .unwrap()
                .join("out.jsonl")
                .display()
                .to_string()
        );
        assert_eq!(
            OutputTarget::choose("-", now, &files, false).unwrap(),
            OutputTarget::Stdout
        );
    }
}
