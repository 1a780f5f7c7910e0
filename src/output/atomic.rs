//! A file that appears whole or not at all: written under a temporary name
//! beside its destination, synced, then renamed into place (and the folder
//! synced, so the rename survives a power loss). Dropped without
//! [`TempFile::commit`], the temporary file is removed and an existing
//! destination is left as it was.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The temporary file of a destination being written.
#[derive(Debug)]
pub struct TempFile {
    dest: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl TempFile {
    /// Creates `.<name>.tmp-<pid>` beside `dest` (and `dest`'s folder when
    /// missing); returns it and the open file.
    pub fn create(dest: &Path) -> Result<(Self, File)> {
        let name = dest
            .file_name()
            .with_context(|| format!("{}: not a file name", dest.display()))?
            .to_string_lossy();
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let file =
            File::create(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
        Ok((
            Self {
                dest: dest.to_path_buf(),
                tmp,
                committed: false,
            },
            file,
        ))
    }

    /// The destination.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Syncs `file` (the one [`TempFile::create`] returned, fully written)
    /// and renames it into place.
    pub fn commit(mut self, file: File) -> Result<()> {
        file.sync_all()
            .with_context(|| format!("{}: cannot sync", self.tmp.display()))?;
        drop(file);
        std::fs::rename(&self.tmp, &self.dest).with_context(|| {
            format!(
                "{}: cannot rename into place as {}",
                self.tmp.display(),
                self.dest.display()
            )
        })?;
        self.committed = true;
        if let Some(dir) = self.dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            // Best effort: not every file system syncs directories.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn appears_on_commit_and_never_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/out.jsonl");
        let (t, mut f) = TempFile::create(&dest).unwrap();
        f.write_all(b"one\n").unwrap();
        assert!(!dest.exists());
        t.commit(f).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"one\n");

        // An abandoned rewrite leaves the old file and no temporary.
        let (t, mut f) = TempFile::create(&dest).unwrap();
        f.write_all(b"two\n").unwrap();
        drop((t, f));
        assert_eq!(std::fs::read(&dest).unwrap(), b"one\n");
        assert_eq!(
            std::fs::read_dir(dest.parent().unwrap()).unwrap().count(),
            1
        );
    }
}
