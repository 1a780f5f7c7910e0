//! The state lock: an exclusive `flock` on `<state>.lock` holding the
//! owner's pid. The kernel releases it when the process dies, so a stale
//! lock never blocks the next run. The lock file sits beside the state
//! file's resolved path, so every name of one state (a symlink, a relative
//! path) takes the same lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Held for the whole run; dropping it releases the lock.
#[derive(Debug)]
pub struct StateLock {
    _file: File,
    path: PathBuf,
}

impl StateLock {
    /// Takes the lock of the state file `state` (by its resolved path), or
    /// fails naming the pid that holds it.
    pub fn acquire(state: &Path) -> Result<Self> {
        let mut name = crate::paths::resolve(state).into_os_string();
        name.push(".lock");
        let path = PathBuf::from(name);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("{}: cannot open lock file", path.display()))?;
        // SAFETY: flock on a valid, owned file descriptor.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            bail!(
                "{}: state in use by pid {}",
                state.display(),
                if holder.is_empty() { "?" } else { holder }
            );
        }
        (|| {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            write!(file, "{}", std::process::id())?;
            file.flush()
        })()
        .with_context(|| format!("{}: cannot write lock file", path.display()))?;
        Ok(Self { _file: file, path })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_fails_and_release_frees() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("s.db");
        let a = StateLock::acquire(&state).unwrap();
        let e = StateLock::acquire(&state).unwrap_err().to_string();
        assert!(
            e.contains(&format!("state in use by pid {}", std::process::id())),
            "{e}"
        );
        drop(a);
        StateLock::acquire(&state).unwrap();
    }

    #[test]
    fn a_symlink_to_the_state_takes_the_same_lock() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("s.db");
        std::fs::write(&state, "").unwrap();
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&state, &link).unwrap();
        let _a = StateLock::acquire(&state).unwrap();
        assert!(StateLock::acquire(&link).is_err());
    }
}
