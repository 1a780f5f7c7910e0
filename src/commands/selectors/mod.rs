//! `newscrawl selectors list | check | health`.

mod check;
mod health;
mod live;

use anyhow::Result;

use crate::cli::SelectorsCommand;

use super::load_sites;

/// Runs a `selectors` subcommand; returns the exit status.
pub fn run(cmd: SelectorsCommand) -> Result<i32> {
    match cmd {
        SelectorsCommand::List { selectors } => list(selectors.as_deref()),
        SelectorsCommand::Check(args) if args.live => live::check_live(&args),
        SelectorsCommand::Check(args) => check::check_corpus(&args),
        SelectorsCommand::Health(args) => health::health(&args),
    }
}

/// Prints every config, after compiling them all (an invalid one is an
/// error naming its file, line and key).
fn list(dir: Option<&std::path::Path>) -> Result<i32> {
    let sites = load_sites(dir, false)?;
    sites.validate()?;
    let width = sites.iter().map(|s| s.name.len()).max().unwrap_or(4).max(4);
    println!("{:width$}  {:50}  FILE", "NAME", "HOSTS");
    for s in sites.iter() {
        let hosts = if s.is_base() {
            "(base config)".to_string()
        } else {
            s.hosts.join(",")
        };
        println!("{:width$}  {:50}  {}", s.name, hosts, s.file);
    }
    Ok(0)
}
