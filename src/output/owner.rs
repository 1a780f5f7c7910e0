//! Who owns an output file: a side file `<output>.newscrawl-owner` names the
//! crawl state that writes it. A state never writes (or repairs) an output
//! another live state owns, so two states sharing one `--out` cannot cut each
//! other's records off.
//!
//! An owner whose state file is gone (deleted, or replaced by a new state at
//! the same path) is taken over: the new state has no checkpoint for the
//! file, so it keeps every byte there and appends after them.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::state::OutputOwner;

/// The side file recording the owner of `output`.
pub fn owner_file(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".newscrawl-owner");
    PathBuf::from(name)
}

/// The side file's content.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    /// The owner's id.
    owner: String,
    /// The owner's label, for messages.
    state: String,
    /// The owner's state file, when it lives in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    state_file: Option<PathBuf>,
}

impl Record {
    fn of(owner: &OutputOwner) -> Self {
        Self {
            owner: owner.id.clone(),
            state: owner.label.clone(),
            state_file: owner.file.clone(),
        }
    }

    /// True when the state that wrote this record can never write again:
    /// its file is gone, or is now `claimant`'s own (a new state there).
    fn is_gone(&self, claimant: &OutputOwner) -> bool {
        self.state_file
            .as_ref()
            .is_some_and(|f| Some(f) == claimant.file.as_ref() || !f.exists())
    }
}

/// Records `owner` as the owner of `output`, or checks that it is already;
/// fails naming the other owner otherwise.
pub fn claim(output: &Path, owner: &OutputOwner) -> Result<()> {
    let side = owner_file(output);
    let unreadable = || {
        format!(
            "{}: unreadable owner record of {}; remove it if no other crawl state writes that file",
            side.display(),
            output.display()
        )
    };
    let current: Option<Record> = match std::fs::read(&side) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).with_context(unreadable)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot read owner record", side.display()))
        }
    };
    match current {
        Some(rec) if rec.owner == owner.id => return Ok(()),
        Some(rec) if !rec.is_gone(owner) => bail!(
            "{}: written by another crawl state ({}); give this state its own --out, or remove {} if that state is gone",
            output.display(),
            rec.state,
            side.display()
        ),
        Some(rec) => {
            tracing::warn!(
                "{}: its crawl state {} is gone; {} takes it over and keeps what is there",
                output.display(),
                rec.state,
                owner.label
            );
            write(&side, owner, Place::Replace)?;
        }
        None => write(&side, owner, Place::New)?,
    }
    // Another state may have raced this one: whoever is recorded now owns it.
    let now: Record = serde_json::from_slice(
        &std::fs::read(&side).with_context(|| format!("{}: cannot read", side.display()))?,
    )
    .with_context(unreadable)?;
    if now.owner != owner.id {
        bail!(
            "{}: taken by another crawl state ({}) at the same moment",
            output.display(),
            now.state
        );
    }
    Ok(())
}

/// Hands `output` from `from` to `to` when `from` owns it (a state moved to
/// another backend, `newscrawl state migrate`); returns whether it did.
/// An output owned by anyone else, or by no one, is left alone.
pub fn hand_over(output: &Path, from: &OutputOwner, to: &OutputOwner) -> Result<bool> {
    let side = owner_file(output);
    let current: Record = match std::fs::read(&side) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(r) => r,
            Err(_) => return Ok(false),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot read owner record", side.display()))
        }
    };
    if current.owner != from.id {
        return Ok(false);
    }
    write(&side, to, Place::Replace)?;
    Ok(true)
}

/// How the side file is put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Only if there is none (a hard link, which fails on an existing one).
    New,
    /// Over the one there (a rename).
    Replace,
}

/// Writes the side file whole or not at all: under a temporary name, then
/// moved into place.
fn write(side: &Path, owner: &OutputOwner, place: Place) -> Result<()> {
    let mut tmp = side.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&serde_json::to_vec(&Record::of(owner))?)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        match place {
            Place::Replace => std::fs::rename(&tmp, side),
            Place::New => match std::fs::hard_link(&tmp, side) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
                _ => Ok(()),
            },
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    written.with_context(|| format!("{}: cannot record the output's owner", side.display()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An owner for sink tests.
    pub(crate) fn me() -> OutputOwner {
        owner("me", None)
    }

    fn owner(id: &str, file: Option<PathBuf>) -> OutputOwner {
        OutputOwner {
            id: id.into(),
            label: format!("/states/{id}.db"),
            file,
        }
    }

    #[test]
    fn first_claim_wins_and_the_owner_may_claim_again() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out.jsonl");
        claim(&out, &owner("a", None)).unwrap();
        claim(&out, &owner("a", None)).unwrap();
        let e = claim(&out, &owner("b", None)).unwrap_err().to_string();
        assert!(e.contains("/states/a.db") && e.contains("out.jsonl"), "{e}");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
        std::fs::write(owner_file(&out), "garbage").unwrap();
        let e = format!("{:#}", claim(&out, &owner("a", None)).unwrap_err());
        assert!(e.contains("unreadable owner record"), "{e}");
    }

    #[test]
    fn an_output_is_handed_over_only_by_its_owner() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out.jsonl");
        let (a, b, c) = (owner("a", None), owner("b", None), owner("c", None));
        assert!(!hand_over(&out, &a, &b).unwrap(), "no owner yet");
        claim(&out, &a).unwrap();
        assert!(!hand_over(&out, &c, &b).unwrap(), "not c's to give");
        assert!(hand_over(&out, &a, &b).unwrap());
        claim(&out, &b).unwrap();
        assert!(claim(&out, &a).is_err());
    }

    #[test]
    fn a_gone_or_replaced_state_is_taken_over_a_live_one_is_not() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out.jsonl");
        let a_file = d.path().join("a.db");
        std::fs::write(&a_file, "").unwrap();
        claim(&out, &owner("a", Some(a_file.clone()))).unwrap();
        // Alive at its path: refused.
        let b_file = d.path().join("b.db");
        assert!(claim(&out, &owner("b", Some(b_file.clone()))).is_err());
        // A new state at a's path replaced it.
        claim(&out, &owner("a2", Some(a_file.clone()))).unwrap();
        // Its file deleted: gone.
        std::fs::remove_file(&a_file).unwrap();
        claim(&out, &owner("b", Some(b_file))).unwrap();
        // An owner without a state file is never presumed gone.
        let out2 = d.path().join("out2.jsonl");
        claim(&out2, &owner("shared", None)).unwrap();
        assert!(claim(&out2, &owner("c", Some(d.path().join("c.db")))).is_err());
    }
}
