//! The `newscrawl` binary: parses the command line, runs the command, maps
//! errors to SPEC's exit statuses (0 ok, 1 failed, 2 usage).

use std::io::IsTerminal;
use std::os::raw::{c_int, c_long};

use clap::Parser;
use newscrawl::cli::{Cli, Command};
use newscrawl::commands::{self, ExitError};

/// mimalloc 2 instead of glibc's allocator: about 5% fewer instructions
/// per page, most of them in the parse's many small strings (README,
/// "Performance").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_allow_large_os_pages` in mimalloc 2's `mi_option_e`.
const MI_OPTION_ALLOW_LARGE_OS_PAGES: c_int = 6;
/// `mi_option_purge_delay` in mimalloc 2's `mi_option_e` (milliseconds).
/// (Both numbers are mimalloc 2.3's: re-check them when `libmimalloc-sys`
/// is updated.)
const MI_OPTION_PURGE_DELAY: c_int = 15;

extern "C" {
    /// Sets one of mimalloc's options (linked from `libmimalloc-sys`).
    fn mi_option_set(option: c_int, value: c_long);
}

/// Sets mimalloc's options before its first allocation, as the
/// `MIMALLOC_*` environment variables would: the memory it maps is advised
/// as transparent huge pages (where the system allows them only when asked,
/// `madvise`), and freed memory goes back to the system after a second
/// unused instead of 10 ms. With the defaults, every fresh 4 KiB page of
/// the trees faulted in on its own and prompt purges made them fault again:
/// system time 0.10-0.14 s against glibc's 0.02 s over the publishers pages
/// on one core, more than the user time mimalloc saves; with these, 0.02 s.
extern "C" fn tune_allocator() {
    // SAFETY: plain setters of mimalloc's option table, valid at any time.
    unsafe {
        mi_option_set(MI_OPTION_ALLOW_LARGE_OS_PAGES, 1);
        mi_option_set(MI_OPTION_PURGE_DELAY, 1000);
    }
}

/// Runs [`tune_allocator`] before `main` and before any allocation: a
/// prioritised `.init_array` entry comes before the runtime's own
/// initialisers, and mimalloc reserves its arena at the first allocation,
/// so options that shape the arena are too late in `main`.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00101"]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

fn main() {
    #[cfg(not(target_os = "linux"))]
    tune_allocator();
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
