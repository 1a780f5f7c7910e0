//! Running the crawler binary: its arguments, wall time, stderr, peak RSS
//! and CPU time.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn bin() -> String {
    std::env::var("NEWSCRAWL_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/newscrawl").to_string()
    })
}

/// Starts `crawl args` (standard output discarded, standard error to
/// `stderr`).
fn spawn_crawl(args: &[String], stderr: Stdio) -> std::process::Child {
    Command::new(bin())
        .arg("crawl")
        .args(args)
        .env("NO_PROXY", "*")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// Runs a crawl; returns its wall time, its stderr and its own peak RSS
/// (KiB). The peak is the child's VmHWM, polled: `RUSAGE_CHILDREN`'s
/// `ru_maxrss` counts, through exec, the RSS this process had when it
/// forked (a gigabyte after reading earlier outputs), not the crawler's.
/// A crawl that fails ends the benchmark with its stderr and status 1: its
/// figures would be those of a partial crawl.
pub fn crawl(args: &[String]) -> (Duration, String, i64) {
    let t = Instant::now();
    let mut child = spawn_crawl(args, Stdio::piped());
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let (hwm, status) = poll_hwm(&mut child);
    let el = t.elapsed();
    let err = reader.join().unwrap();
    exit_unless_success(status, &err);
    (el, err, hwm as i64)
}

/// Exits with status 1, printing `stderr`, when a crawl did not succeed.
fn exit_unless_success(status: std::process::ExitStatus, stderr: &str) {
    if !status.success() {
        eprint!("{stderr}");
        eprintln!("crawl_bench: the crawl failed ({status}); its figures would mean nothing");
        std::process::exit(1);
    }
}

/// Waits for `child`, polling its VmHWM (KiB); returns the last seen and
/// the child's exit status.
pub fn poll_hwm(child: &mut std::process::Child) -> (u64, std::process::ExitStatus) {
    let mut hwm = 0;
    let status = format!("/proc/{}/status", child.id());
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            return (hwm, exit);
        }
        if let Ok(s) = std::fs::read_to_string(&status) {
            if let Some(l) = s.lines().find(|l| l.starts_with("VmHWM:")) {
                hwm = l
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(hwm);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// CPU time (user + system) of the children reaped so far: a crawl's share
/// is the difference around it (nginx is reaped only when it stops).
pub fn children_cpu() -> Duration {
    // SAFETY: plain getrusage on children.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru);
        ru
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Runs a crawl, polling the child's VmHWM (KiB) until it exits.
pub fn crawl_polling_rss(args: &[String]) -> (Duration, u64) {
    let t = Instant::now();
    let mut child = spawn_crawl(args, Stdio::null());
    let (hwm, status) = poll_hwm(&mut child);
    exit_unless_success(status, "");
    (t.elapsed(), hwm)
}

/// Lines of the file `p`, read in pieces (an output of 200 MB read whole
/// would grow this process, and the RSS of the crawls it forks next).
pub fn lines(p: &std::path::Path) -> usize {
    use std::io::BufRead;
    std::fs::File::open(p)
        .map(|f| std::io::BufReader::new(f).split(b'\n').count())
        .unwrap_or(0)
}

/// The throughput crawl's arguments: `seeds` at `--rate 200 --concurrency 64`.
pub fn throughput_args(seeds: &[String], out: &std::path::Path, state: &str) -> Vec<String> {
    let mut args: Vec<String> = seeds
        .iter()
        .flat_map(|s| ["--seed".to_string(), s.clone()])
        .collect();
    args.extend(
        [
            "--rate",
            "200",
            "--concurrency",
            "64",
            "--out",
            out.to_str().unwrap(),
            "--state",
            state,
        ]
        .map(String::from),
    );
    args
}
