//! The `newscrawl` binary: parses the command line, runs the command, maps
//! errors to SPEC's exit statuses (0 ok, 1 failed, 2 usage).

use std::io::IsTerminal;

use clap::Parser;
use newscrawl::cli::{Cli, Command};
use newscrawl::commands::{self, ExitError};

fn main() {
    let cli = Cli::parse();
    let level = if cli.quiet {
        "error"
    } else {
        match cli.verbose {
            0 => "warn",
            1 => "info",
            _ => "debug",
        }
    };
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("NEWSCRAWL_LOG").unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new(format!(
                "{level},html5ever=off,markup5ever=off,selectors=off"
            ))
        });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never in a log file.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
    let result = match cli.command {
        Command::Extract(args) => commands::extract::run(args),
        Command::Crawl(args) => commands::crawl::run(args),
        Command::Selectors(cmd) => {
            end_quietly_on_closed_pipe();
            commands::selectors::run(cmd)
        }
        Command::Eval(args) => {
            end_quietly_on_closed_pipe();
            commands::eval::run(args)
        }
        Command::State(cmd) => {
            end_quietly_on_closed_pipe();
            commands::state::run(cmd)
        }
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            let code = e.downcast_ref::<ExitError>().map_or(1, |x| x.code);
            eprintln!("newscrawl: {e:#}");
            code
        }
    };
    std::process::exit(code);
}

/// Report commands (`selectors`, `eval`, `state`) print tables: piped into
/// `head`, they end quietly as other Unix tools do, instead of panicking on
/// the closed pipe. (`extract` and `crawl` keep SIGPIPE ignored and report
/// a failed write as an error naming the output.)
fn end_quietly_on_closed_pipe() {
    // SAFETY: restoring the default disposition of one signal, before any
    // thread of ours exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
