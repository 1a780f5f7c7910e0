//! A crawl's WARC output (`crawl --warc DIR`): the fetches' records, each
//! its own gzip member, appended to `DIR/newscrawl-<run>-<n>.warc.gz`, each
//! file opening with a `warcinfo` record and rolled before it would pass
//! [`WARC_FILE_BYTES`].
//!
//! Exactly once, as the JSONL output: records are appended and synced, and
//! only then is the checkpoint (the list of files and the committed length
//! of the last one) committed with the batch whose fetches they record.
//! Opened from a checkpoint, the folder loses every WARC file of ours the
//! list does not hold and the last file's uncommitted tail: no partial
//! record, and no record of a fetch the state did not commit.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::durable::{
    append_synced, open_cut_back, open_folder, remove_uncommitted, run_id, sync_dir,
};
use crate::limits::WARC_FILE_BYTES;
use crate::state::{Checkpoint, OutputOwner};
use crate::warc::WarcRecord;

/// Where `--warc` writes: a folder, checked before the crawl starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcTarget {
    /// The folder, symlinks resolved: its key in the crawl state.
    pub dir: PathBuf,
}

impl WarcTarget {
    /// The target for `--warc dir`; refuses a path that is not a folder.
    pub fn choose(dir: &Path) -> Result<Self, super::BadOutput> {
        let resolved = crate::paths::resolve(dir);
        if resolved.exists() && !resolved.is_dir() {
            return Err(super::BadOutput(format!(
                "--warc {}: not a folder (WARC files are written into a folder)",
                dir.display()
            )));
        }
        Ok(Self { dir: resolved })
    }

    /// The output's key in the crawl state.
    pub fn key(&self) -> String {
        self.dir.display().to_string()
    }

    /// Opens the WARC files for `owner` from the committed checkpoint.
    pub fn open(&self, committed: Option<&Checkpoint>, owner: &OutputOwner) -> Result<WarcFiles> {
        WarcFiles::open(&self.dir, committed, owner, WARC_FILE_BYTES)
    }
}

/// The committed position of a WARC folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct WarcCheckpoint {
    /// Files written, in order; the last is being filled.
    files: Vec<String>,
    /// Committed length of the last file.
    len: u64,
}

/// The file being filled.
#[derive(Debug)]
struct Current {
    name: String,
    file: File,
    len: u64,
    /// It holds records besides its `warcinfo`.
    has_records: bool,
}

/// WARC files in a folder, with exactly-once checkpoints.
#[derive(Debug)]
pub struct WarcFiles {
    key: String,
    dir: PathBuf,
    limit: u64,
    run: String,
    next: u32,
    files: Vec<String>,
    current: Option<Current>,
    pending: Vec<u8>,
}

fn is_ours(name: &str) -> bool {
    name.starts_with("newscrawl-") && name.ends_with(".warc.gz")
}

impl WarcFiles {
    /// Opens `dir` for `owner` from the committed checkpoint; files roll
    /// at `limit` bytes.
    pub fn open(
        dir: &Path,
        committed: Option<&Checkpoint>,
        owner: &OutputOwner,
        limit: u64,
    ) -> Result<Self> {
        let key = dir.display().to_string();
        let (committed, names) =
            open_folder::<WarcCheckpoint>(dir, committed, owner, "WARC files")?;
        let mut sink = Self {
            key: key.clone(),
            dir: dir.to_path_buf(),
            limit,
            run: run_id(),
            next: 0,
            files: Vec::new(),
            current: None,
            pending: Vec::new(),
        };
        let Some(cp) = committed else {
            // Nothing committed by this state: files already there are kept
            // as they are and a new file is begun.
            return Ok(sink);
        };
        for name in names.iter().filter(|n| is_ours(n) && !cp.files.contains(n)) {
            remove_uncommitted(dir, name)?;
        }
        if let Some(last) = cp.files.last() {
            sink.current = Some(Current {
                name: last.clone(),
                file: open_cut_back(&dir.join(last), cp.len)?,
                len: cp.len,
                has_records: true,
            });
        }
        sink.files = cp.files;
        Ok(sink)
    }

    /// The output's key in the crawl state.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Appends records (gzip members) to write at the next sync.
    pub fn append(&mut self, members: &[u8]) {
        self.pending.extend_from_slice(members);
    }

    /// Begins a new file, its `warcinfo` record first.
    fn roll(&mut self) -> Result<()> {
        let name = format!("newscrawl-{}-{:05}.warc.gz", self.run, self.next);
        self.next += 1;
        let path = self.dir.join(&name);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("{}: cannot create", path.display()))?;
        let software = format!("newscrawl/{}", env!("CARGO_PKG_VERSION"));
        let info = WarcRecord::warcinfo(
            &name,
            chrono::Utc::now(),
            &[
                ("software", software.as_str()),
                ("format", "WARC File Format 1.1"),
                ("conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"),
                ("http-payload", "decoded: Content-Encoding and chunking undone by the client; X-Crawler-Transfer-Encoding and X-Crawler-Content-Length keep the received values; request records rebuilt from what the client sends"),
            ],
        );
        let mut head = Vec::new();
        info.write_gzip(&mut head)?;
        append_synced(&file, 0, &head, &path)?;
        sync_dir(&self.dir);
        self.files.push(name.clone());
        self.current = Some(Current {
            name,
            file,
            len: head.len() as u64,
            has_records: false,
        });
        Ok(())
    }

    /// Writes and syncs what was appended; on error nothing of it stays and
    /// the checkpoint is unchanged.
    pub fn sync(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let full = self.current.as_ref().is_none_or(|c| {
            // A file holding only its warcinfo takes the batch whatever its size.
            c.has_records && c.len + pending.len() as u64 > self.limit
        });
        if full {
            self.roll()?;
        }
        let c = self.current.as_mut().expect("rolled above");
        append_synced(&c.file, c.len, &pending, &self.dir.join(&c.name))?;
        c.len += pending.len() as u64;
        c.has_records = true;
        Ok(())
    }

    /// The checkpoint covering everything synced.
    pub fn checkpoint(&self) -> Checkpoint {
        let cp = WarcCheckpoint {
            files: self.files.clone(),
            len: self.current.as_ref().map_or(0, |c| c.len),
        };
        Checkpoint(serde_json::to_string(&cp).expect("a checkpoint serialises"))
    }
}

/// A crawl's `--warc` output: its target, its files, and the checkpoint
/// the state last committed for them.
#[derive(Debug)]
pub struct WarcOutput {
    /// What `--warc` names.
    pub target: WarcTarget,
    /// The files open on it.
    pub files: WarcFiles,
    /// The checkpoint last committed.
    pub committed: Option<Checkpoint>,
}

impl WarcOutput {
    /// Syncs what was appended; returns the checkpoint to commit with the
    /// batch when it moved.
    pub fn sync(&mut self) -> Result<Option<(String, Checkpoint)>> {
        self.files.sync()?;
        let cp = self.files.checkpoint();
        Ok((self.committed.as_ref() != Some(&cp)).then(|| (self.target.key(), cp)))
    }

    /// Notes that `checkpoint` was committed.
    pub fn committed(&mut self, checkpoint: Checkpoint) {
        self.committed = Some(checkpoint);
    }

    /// Opens the files again from the committed checkpoint, which removes
    /// what was written since (a commit was refused).
    pub fn rewind(&mut self, owner: &OutputOwner) -> Result<()> {
        self.files = self.target.open(self.committed.as_ref(), owner)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warc::reader::WarcReader;

    use crate::output::owner::tests::me;

    fn member(uri: &str) -> Vec<u8> {
        let http = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".to_vec();
        let r = WarcRecord::response(uri, chrono::Utc::now(), http, 38);
        let mut out = Vec::new();
        r.write_gzip(&mut out).unwrap();
        out
    }

    /// (record type, target URI) of every record in the folder's files,
    /// in checkpoint order.
    fn read_all(dir: &Path) -> Vec<Vec<(String, String)>> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| is_ours(n))
            .collect();
        names.sort();
        names
            .iter()
            .map(|n| {
                let f = File::open(dir.join(n)).unwrap();
                let gz = flate2::read::MultiGzDecoder::new(f);
                let mut r = WarcReader::new(std::io::BufReader::new(gz));
                let mut out = Vec::new();
                while let Some(h) = r.next_record().unwrap() {
                    out.push((
                        h.record_type().to_string(),
                        h.get("WARC-Target-URI").unwrap_or_default().to_string(),
                    ));
                }
                out
            })
            .collect()
    }

    #[test]
    fn uncommitted_records_and_files_are_removed_on_open() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("warc");
        let one = member("http://x/1").len() as u64;
        // Room for the warcinfo and two records per file.
        let limit = 600 + 2 * one;
        let mut w = WarcFiles::open(&dir, None, &me(), limit).unwrap();
        w.append(&member("http://x/1"));
        w.sync().unwrap();
        let committed = w.checkpoint();
        // Not committed: one more record in this file, then a new file.
        w.append(&member("http://x/2"));
        w.sync().unwrap();
        w.append(&member("http://x/3"));
        w.append(&member("http://x/4"));
        w.sync().unwrap();
        assert_eq!(read_all(&dir).len(), 2, "rolled at the limit");
        drop(w);
        let mut w = WarcFiles::open(&dir, Some(&committed), &me(), limit).unwrap();
        assert_eq!(w.checkpoint(), committed);
        let files = read_all(&dir);
        assert_eq!(files.len(), 1);
        let uris: Vec<&str> = files[0].iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(uris, ["", "http://x/1"]);
        assert_eq!(files[0][0].0, "warcinfo");
        w.append(&member("http://x/5"));
        w.sync().unwrap();
        let files = read_all(&dir);
        assert_eq!(files[0].len(), 3);
        let e = format!(
            "{:#}",
            WarcFiles::open(&dir, Some(&Checkpoint("12".into())), &me(), limit).unwrap_err()
        );
        assert!(e.contains("not a list of WARC files"), "{e}");
    }
}
