//! One module per command of the binary.

pub mod crawl;
pub mod eval;
pub mod eval_types;
pub mod extract;
pub mod flags;
pub mod selectors;
pub mod state;

use std::path::Path;

use anyhow::Result;

use crate::selectors::SiteRegistry;

/// Loads the configs a command runs with: none, a folder, or the built-in ones.
pub fn load_sites(dir: Option<&Path>, no_selectors: bool) -> Result<SiteRegistry> {
    if no_selectors {
        return Ok(SiteRegistry::empty());
    }
    Ok(match dir {
        Some(dir) => SiteRegistry::load_dir(dir)?,
        None => SiteRegistry::builtin()?,
    })
}

/// A failure of a command that maps to an exit status.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ExitError {
    /// The exit status.
    pub code: i32,
    /// The message (already printed when empty).
    pub message: String,
}
