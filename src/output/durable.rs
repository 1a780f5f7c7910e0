//! File steps the checkpointed sinks share: appending bytes durably (or
//! not at all), reopening a file cut back to its committed length, and
//! naming a run's files.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::Path;

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

use crate::state::{Checkpoint, OutputOwner};

/// Opens the output folder `dir` for `owner`: reads the committed
/// checkpoint (JSON; `what` names what it lists in the error when it is not
/// one), creates the folder and claims it; returns the checkpoint and the
/// folder's file names, sorted.
pub fn open_folder<T: DeserializeOwned>(
    dir: &Path,
    committed: Option<&Checkpoint>,
    owner: &OutputOwner,
    what: &str,
) -> Result<(Option<T>, Vec<String>)> {
    let key = dir.display();
    let committed = committed
        .map(|c| {
            serde_json::from_str(&c.0).with_context(|| {
                format!(
                    "{key}: the state's checkpoint {:?} is not a list of {what}",
                    c.0
                )
            })
        })
        .transpose()?;
    std::fs::create_dir_all(dir).with_context(|| format!("{key}: cannot create directory"))?;
    super::owner::claim(dir, owner)?;
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("{key}: cannot list"))? {
        let entry = entry.with_context(|| format!("{key}: cannot list"))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok((committed, names))
}

/// Removes the file `name` of `dir`, which the state did not commit.
pub fn remove_uncommitted(dir: &Path, name: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::remove_file(&path)
        .with_context(|| format!("{}: cannot remove uncommitted file", path.display()))?;
    tracing::warn!(
        "{}: removed (not committed by the last run)",
        path.display()
    );
    Ok(())
}

/// Writes `bytes` at offset `at` of `file` and syncs them; on failure the
/// file is cut back to `at`, so nothing of them stays. Errors name `path`.
pub fn append_synced(file: &File, at: u64, bytes: &[u8], path: &Path) -> Result<()> {
    let result = file.write_all_at(bytes, at).and_then(|()| file.sync_data());
    if let Err(e) = result {
        let _ = file.set_len(at);
        let _ = file.sync_all();
        return Err(e).with_context(|| {
            format!(
                "{}: write failed (truncated back to {at} bytes)",
                path.display()
            )
        });
    }
    Ok(())
}

/// Opens the committed file `path` for appending after its first `len`
/// bytes, cutting off (and syncing) an uncommitted tail; a file shorter
/// than committed is an error (bytes the state counts on are gone).
pub fn open_cut_back(path: &Path, len: u64) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .with_context(|| format!("{}: the committed file cannot be opened", path.display()))?;
    let actual = file
        .metadata()
        .with_context(|| format!("{}: cannot stat", path.display()))?
        .len();
    anyhow::ensure!(
        actual >= len,
        "{}: shorter ({actual} bytes) than committed ({len} bytes)",
        path.display()
    );
    if actual > len {
        file.set_len(len)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("{}: cannot truncate uncommitted tail", path.display()))?;
        tracing::warn!(
            "{}: removed {} bytes not committed by the last run",
            path.display(),
            actual - len
        );
    }
    Ok(file)
}

/// A run id for file names: UTC time (so that names sort by run) and a
/// random suffix.
pub fn run_id() -> String {
    format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

/// Syncs a folder so that a file created or renamed in it survives a power
/// loss (best effort: not every file system syncs folders).
pub fn sync_dir(dir: &Path) {
    let _ = File::open(dir).and_then(|d| d.sync_all());
}
