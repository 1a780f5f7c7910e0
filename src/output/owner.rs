//! Who owns an output file: a side file `<output>.newscrawl-owner` names the
//! crawl state that writes it. A state never writes (or repairs) an output
//! another state owns, so two states sharing one `--out` cannot cut each
//! other's records off.

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
    /// The owner's label (the state file), for messages.
    state: String,
}

/// Records `owner` as the owner of `output`, or checks that it is already;
/// fails naming the other owner otherwise.
pub fn claim(output: &Path, owner: &OutputOwner) -> Result<()> {
    let side = owner_file(output);
    match std::fs::read(&side) {
        Ok(bytes) => {
            let rec: Record = serde_json::from_slice(&bytes).with_context(|| {
                format!(
                    "{}: unreadable owner record of {}; remove it if no other crawl state writes that file",
                    side.display(),
                    output.display()
                )
            })?;
            if rec.owner != owner.id {
                bail!(
                    "{}: written by another crawl state ({}); give this state its own --out, or remove {} if that state is gone",
                    output.display(),
                    rec.state,
                    side.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create(&side, owner)?;
            // Another state may have won the race to create it.
            claim(output, owner)
        }
        Err(e) => Err(e).with_context(|| format!("{}: cannot read owner record", side.display())),
    }
}

/// Creates the side file whole or not at all: written under a temporary
/// name, then hard-linked into place (which fails if it exists).
fn create(side: &Path, owner: &OutputOwner) -> Result<()> {
    let mut tmp = side.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let rec = Record {
        owner: owner.id.clone(),
        state: owner.label.clone(),
    };
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&serde_json::to_vec(&rec)?)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        match std::fs::hard_link(&tmp, side) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
            _ => Ok(()),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    written.with_context(|| format!("{}: cannot record the output's owner", side.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(id: &str) -> OutputOwner {
        OutputOwner {
            id: id.into(),
            label: format!("/states/{id}.db"),
        }
    }

    #[test]
    fn first_claim_wins_and_the_owner_may_claim_again() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out.jsonl");
        claim(&out, &owner("a")).unwrap();
        claim(&out, &owner("a")).unwrap();
        let e = claim(&out, &owner("b")).unwrap_err().to_string();
        assert!(e.contains("/states/a.db") && e.contains("out.jsonl"), "{e}");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
        std::fs::write(owner_file(&out), "garbage").unwrap();
        let e = format!("{:#}", claim(&out, &owner("a")).unwrap_err());
        assert!(e.contains("unreadable owner record"), "{e}");
    }
}
