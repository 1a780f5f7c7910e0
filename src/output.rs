//! The JSONL output sink of the crawler.
//!
//! A file sink appends whole lines, syncs them, and only then reports the
//! new length for the state to commit; on open it truncates anything beyond
//! the last committed length (an uncommitted tail left by a kill), and a
//! failed or short write is repaired at once by truncating back. `-` writes
//! to stdout (at-least-once: a line can be written twice after a kill).

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{DateTime, Local};

/// Expands strftime placeholders (`%Y`, `%m`, `%d`, ...) in an output path;
/// a path without `%` is returned unchanged.
pub fn expand_out_path(template: &str, now: DateTime<Local>) -> Result<String> {
    if !template.contains('%') {
        return Ok(template.to_string());
    }
    let items: Vec<_> = chrono::format::StrftimeItems::new(template).collect();
    if items
        .iter()
        .any(|i| matches!(i, chrono::format::Item::Error))
    {
        anyhow::bail!("{template}: invalid strftime placeholder in --out");
    }
    Ok(now.format_with_items(items.into_iter()).to_string())
}

/// Where records go.
#[derive(Debug)]
pub enum Sink {
    /// Standard output.
    Stdout,
    /// An appended file with its committed length.
    File {
        /// The path (after placeholder expansion).
        path: PathBuf,
        /// The open file.
        file: File,
        /// Length covered by committed state.
        len: u64,
    },
}

impl Sink {
    /// Opens the sink. For a file, `committed` is the length the state last
    /// committed for it: a longer file is truncated back to it (the tail was
    /// never committed); returns the sink and the bytes removed.
    pub fn open(path: &str, committed: Option<u64>) -> Result<(Self, u64)> {
        if path == "-" {
            return Ok((Self::Stdout, 0));
        }
        let pb = PathBuf::from(path);
        if let Some(parent) = pb.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create directory", parent.display()))?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&pb)
            .with_context(|| format!("{path}: cannot open output"))?;
        let actual = file
            .metadata()
            .with_context(|| format!("{path}: cannot stat output"))?
            .len();
        let mut removed = 0;
        let len = match committed {
            Some(c) if actual > c => {
                file.set_len(c)
                    .with_context(|| format!("{path}: cannot truncate uncommitted tail"))?;
                file.sync_all()
                    .with_context(|| format!("{path}: cannot sync output"))?;
                removed = actual - c;
                c
            }
            // Shorter than committed (rotated or edited by hand) or unknown:
            // continue from what is there, dropping a partial last line.
            _ => {
                let whole = last_whole_line_end(&file, actual)
                    .with_context(|| format!("{path}: cannot read output"))?;
                if whole < actual {
                    file.set_len(whole)
                        .with_context(|| format!("{path}: cannot truncate partial line"))?;
                    removed = actual - whole;
                }
                whole
            }
        };
        Ok((
            Self::File {
                path: pb,
                file,
                len,
            },
            removed,
        ))
    }

    /// The path as stored in the state (`-` for stdout).
    pub fn key(&self) -> String {
        match self {
            Self::Stdout => "-".into(),
            Self::File { path, .. } => path.display().to_string(),
        }
    }

    /// The committed-or-written length (0 for stdout).
    pub fn len(&self) -> u64 {
        match self {
            Self::Stdout => 0,
            Self::File { len, .. } => *len,
        }
    }

    /// True when nothing was written to a file sink (always true for stdout).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends whole lines and makes them durable; returns the new length.
    /// On any error the file is truncated back to its previous length, so no
    /// partial line stays behind.
    pub fn write_lines(&mut self, lines: &[String]) -> Result<u64> {
        match self {
            Self::Stdout => {
                let mut out = std::io::stdout().lock();
                for l in lines {
                    out.write_all(l.as_bytes())
                        .context("stdout: write failed")?;
                }
                out.flush().context("stdout: write failed")?;
                Ok(0)
            }
            Self::File { path, file, len } => {
                let start = *len;
                let result = (|| -> std::io::Result<u64> {
                    file.seek(SeekFrom::Start(start))?;
                    let mut buf = Vec::with_capacity(lines.iter().map(String::len).sum());
                    for l in lines {
                        buf.extend_from_slice(l.as_bytes());
                    }
                    file.write_all(&buf)?;
                    file.sync_data()?;
                    Ok(start + buf.len() as u64)
                })();
                match result {
                    Ok(n) => {
                        *len = n;
                        Ok(n)
                    }
                    Err(e) => {
                        let _ = file.set_len(start);
                        let _ = file.sync_all();
                        Err(e).with_context(|| {
                            format!(
                                "{}: write failed (truncated back to {start} bytes)",
                                path.display()
                            )
                        })
                    }
                }
            }
        }
    }
}

fn last_whole_line_end(file: &File, len: u64) -> std::io::Result<u64> {
    use std::os::unix::fs::FileExt;
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

    #[test]
    fn truncates_uncommitted_tail_and_partial_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o.jsonl");
        std::fs::write(&p, "a\nb\nc").unwrap();
        let (s, removed) = Sink::open(p.to_str().unwrap(), Some(2)).unwrap();
        assert_eq!((s.len(), removed), (2, 3));
        drop(s);
        std::fs::write(&p, "a\nb\nc").unwrap();
        let (mut s, removed) = Sink::open(p.to_str().unwrap(), None).unwrap();
        assert_eq!((s.len(), removed), (4, 1));
        assert_eq!(s.write_lines(&["d\n".into()]).unwrap(), 6);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a\nb\nd\n");
    }

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
}

// Files written whole or not at all, and the Parquet writer; with the
// output module's split into output/, these lines move to output/mod.rs.
pub mod atomic;
pub mod parquet;
pub mod records;
