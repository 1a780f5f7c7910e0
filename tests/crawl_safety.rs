//! What a crawl must never do to files it does not own: another state's
//! output, bytes it did not write, the state file itself; and the start-up
//! checks that keep such runs from ever beginning (a FIFO or a device as
//! `--out`, a symlinked `--state` passing the lock). Also: errors on a full
//! disk name the file, a 304 to an unconditional request is retried, and a
//! host pause loaded from the state is capped and reported.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;

/// A site of articles `/a0` .. `/a{n-1}` listed on `/`.
fn site(ip: &str, n: usize) -> Server {
    let name = ip.to_string();
    Server::start(ip, move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => {
            let links: Vec<String> = (0..n).map(|i| format!("/a{i}")).collect();
            html(listing(
                &links.iter().map(String::as_str).collect::<Vec<_>>(),
            ))
        }
        p => html(article(&format!("Story {p} on {name}"), &["/"])),
    })
}

/// `crawl` run in `dir`, output captured, within the usual time limit.
fn run(dir: &Path, seed: &str, out: &Path, state: &Path, extra: &[&str]) -> Output {
    let mut extra = extra.to_vec();
    extra.extend(["--rate", "200"]);
    crawl(dir, &crawl_args(&[seed], out, state, &extra))
}

#[test]
fn a_second_state_cannot_take_over_an_output() {
    let one = site("127.0.0.1", 3);
    let two = site("127.0.0.2", 2);
    let (d, out, a) = workdir();
    let b = d.path().join("other.db");
    let o = run(d.path(), &one.url("/"), &out, &a, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = std::fs::read(&out).unwrap();
    assert_eq!(records(&out).len(), 3);

    // Another state on the same output is refused before it fetches anything.
    let o = run(d.path(), &two.url("/"), &out, &b, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains(&*out.to_string_lossy()) && e.contains("state.db"),
        "the refusal names the output and its owner: {e}"
    );
    assert!(two.paths().is_empty(), "{:?}", two.paths());
    assert_eq!(std::fs::read(&out).unwrap(), first);

    // The owner runs on as before.
    let o = run(d.path(), &one.url("/"), &out, &a, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read(&out).unwrap(), first);

    // Once the owner's state file is gone, another state takes the output
    // over and keeps what is there.
    std::fs::remove_file(&a).unwrap();
    let o = run(d.path(), &two.url("/"), &out, &b, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let now = std::fs::read(&out).unwrap();
    assert!(now.starts_with(&first));
    assert_eq!(records(&out).len(), 5);
    // As does a new state created where the old one was.
    let o = run(d.path(), &one.url("/"), &out, &a, &[]);
    assert_eq!(o.status.code(), Some(1), "b is alive: {}", stderr(&o));
    for f in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{f}", b.display()));
    }
    let o = run(d.path(), &two.url("/"), &out, &b, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(&out).unwrap().starts_with(&now));
}

#[test]
fn bytes_this_state_did_not_write_are_never_truncated() {
    let s = site("127.0.0.1", 2);
    let (d, out, st) = workdir();
    // Whole lines someone else wrote: kept, and the articles follow them.
    std::fs::write(&out, "{\"note\":\"written by hand\"}\n").unwrap();
    let o = run(d.path(), &s.url("/"), &out, &st, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let recs = records(&out);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["note"], "written by hand");

    // A partial line someone else wrote: not cut off, the run refuses.
    let (d, out, st) = workdir();
    let foreign = "{\"note\":\"whole\"}\n{\"note\":\"half a li";
    std::fs::write(&out, foreign).unwrap();
    let o = run(d.path(), &s.url("/"), &out, &st, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("partial line"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), foreign);
}

#[test]
fn a_symlinked_state_path_takes_the_same_lock() {
    let s = site("127.0.0.1", 1);
    let (d, out, st) = workdir();
    let link = d.path().join("link.db");
    std::os::unix::fs::symlink(&st, &link).unwrap();
    let o = run(d.path(), &s.url("/"), &out, &st, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let _held = newscrawl::state::StateLock::acquire(&st).unwrap();
    let before = s.paths().len();
    let o = run(d.path(), &s.url("/"), &out, &link, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("state in use by pid {}", std::process::id())),
        "{}",
        stderr(&o)
    );
    assert_eq!(s.paths().len(), before);
}

#[test]
fn out_on_the_state_file_or_its_companions_is_rejected_at_start() {
    let s = site("127.0.0.1", 2);
    let (d, out, st) = workdir();
    let o = run(d.path(), &s.url("/"), &out, &st, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let hits = s.paths().len();
    let state_name = st.to_string_lossy().into_owned();
    let link = d.path().join("link.jsonl");
    std::os::unix::fs::symlink(&st, &link).unwrap();
    let wal_link = d.path().join("wal-link.jsonl");
    std::os::unix::fs::symlink(format!("{state_name}-wal"), &wal_link).unwrap();
    let bad = [
        st.clone(),
        format!("{state_name}-wal").into(),
        format!("{state_name}-shm").into(),
        format!("{state_name}.lock").into(),
        link,
        wal_link,
    ];
    let db_before = std::fs::read(&st).unwrap();
    for b in &bad {
        let o = run(d.path(), &s.url("/"), b, &st, &[]);
        assert_eq!(o.status.code(), Some(2), "{}: {}", b.display(), stderr(&o));
        assert!(
            stderr(&o).contains("state"),
            "{}: {}",
            b.display(),
            stderr(&o)
        );
        assert_eq!(s.paths().len(), hits, "{} fetched", b.display());
    }
    assert_eq!(std::fs::read(&st).unwrap(), db_before);
    let o = run(d.path(), &s.url("/"), &out, &st, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), 2);
}

#[test]
fn a_fifo_or_dev_stdout_as_out_is_rejected_at_start() {
    let s = site("127.0.0.1", 1);
    let (d, _out, st) = workdir();
    let fifo = d.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for out in [fifo.as_path(), Path::new("/dev/stdout")] {
        let o = run(d.path(), &s.url("/"), out, &st, &[]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {}",
            out.display(),
            stderr(&o)
        );
        assert!(
            stderr(&o).contains("--out -"),
            "{}: {}",
            out.display(),
            stderr(&o)
        );
        assert!(s.paths().is_empty(), "{} fetched", out.display());
    }
}

#[test]
fn not_modified_to_a_request_without_validators_is_retried() {
    let asked = Arc::new(AtomicUsize::new(0));
    let a2 = asked.clone();
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        // A broken cache answers the first, unconditional request with 304.
        "/a" if a2.fetch_add(1, Ordering::SeqCst) == 0 => Reply::Full(304, vec![], vec![]),
        p => html(article(p, &[])),
    });
    let (d, out, st) = workdir();
    let o = run(d.path(), &s.url("/a"), &out, &st, &["--max-depth", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(asked.load(Ordering::SeqCst), 2, "{:?}", s.paths());
    assert_eq!(urls(&records(&out)), [s.url("/a")]);
}

/// `crawl` with the file size limited to `limit` bytes (a full disk for
/// every file the process writes beyond it).
fn crawl_with_fsize_limit(dir: &Path, args: &[&str], limit: u64) -> Output {
    let mut c = crawl_command(dir, args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        c.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Over the limit, write(2) fails with EFBIG instead of killing.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    output_within_limit(c)
}

#[test]
fn a_full_disk_names_the_file_and_loses_nothing() {
    let s = site("127.0.0.1", 30);
    let seed = s.url("/");
    // The output fills up: its error names it.
    let (d, out, st) = workdir();
    let limit = 256 * 1024;
    let filler = "{}\n".repeat((limit as usize - 600) / 3);
    std::fs::write(&out, &filler).unwrap();
    let one = s.url("/a0");
    let args = crawl_args(&[&one], &out, &st, &["--rate", "200", "--max-depth", "0"]);
    let o = crawl_with_fsize_limit(d.path(), &args, limit);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{}: write failed", out.display())),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), filler);
    // The article was not marked written: with room, it is.
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let last: serde_json::Value = serde_json::from_str(&text[filler.len()..]).unwrap();
    assert_eq!(last["url"], one);

    // The state fills up (above the 32 KiB its -shm file takes at open, so
    // that a commit is what fails): its error names it, and the output
    // keeps whole, committed lines only.
    let (d, out, st) = workdir();
    let o = crawl(
        d.path(),
        &crawl_args(&[&seed], &out, &st, &["--rate", "200", "--max-pages", "3"]),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let args = crawl_args(&[&seed], &out, &st, &["--rate", "200"]);
    let o = crawl_with_fsize_limit(d.path(), &args, 48 * 1024);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&*st.to_string_lossy()),
        "the error names the state file: {}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    // Nothing lost: a run without the limit completes the crawl exactly once.
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut want: Vec<String> = (0..30).map(|i| s.url(&format!("/a{i}"))).collect();
    want.sort();
    assert_eq!(urls(&records(&out)), want);
}

/// The output fills up in the middle of a crawl (a sync fails while the
/// next batch is being fetched and extracted, with earlier batches
/// committed): the run stops with an error naming the file, the output keeps
/// its committed lines only, and the next run writes every article exactly
/// once.
#[test]
fn a_sync_failing_mid_crawl_loses_and_duplicates_nothing() {
    let s = site("127.0.0.1", 30);
    let seed = s.url("/");
    // 20 requests a second: the 30 articles take about 1.5 s, several
    // commits (one every 250 ms at most), so one commits before the disk
    // fills even on an idle machine that fetches fast.
    fn args<'a>(seed: &'a str, out: &'a Path, st: &'a Path) -> Vec<&'a str> {
        crawl_args(&[seed], out, st, &["--rate", "20", "--concurrency", "4"])
    }
    // The size of the whole crawl's records.
    let (d, out, st) = workdir();
    let o = crawl(d.path(), &args(&seed, &out, &st));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let whole = std::fs::metadata(&out).unwrap().len();
    // Room for about half of them, under a limit that leaves the state's
    // files (and its write-ahead log) room to grow.
    let limit = 16 * 1024 * 1024;
    let (d, out, st) = workdir();
    let filler = "{}\n".repeat((limit - whole / 2) as usize / 3);
    std::fs::write(&out, &filler).unwrap();
    let o = crawl_with_fsize_limit(d.path(), &args(&seed, &out, &st), limit);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{}: write failed", out.display())),
        "{}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with(&filler) && text.ends_with('\n'));
    let first: Vec<String> = urls(&records_after(&text, filler.len()));
    assert!(
        !first.is_empty(),
        "no batch was committed before the disk filled"
    );
    assert!(
        first.len() < 30,
        "the disk never filled: {} records",
        first.len()
    );
    // With room, the rest is written, each article once.
    let o = crawl(d.path(), &args(&seed, &out, &st));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let mut want: Vec<String> = (0..30).map(|i| s.url(&format!("/a{i}"))).collect();
    want.sort();
    assert_eq!(urls(&records_after(&text, filler.len())), want);
}

/// The JSON records of `text` after its first `skip` bytes.
fn records_after(text: &str, skip: usize) -> Vec<serde_json::Value> {
    text[skip..]
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_stored_pause_is_capped_and_reported() {
    let s = site("127.0.0.1", 1);
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let o = run(d.path(), &seed, &out, &st, &["--max-pages", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A clock step (or an old bug) left a pause 30 days ahead.
    let month = chrono::Utc::now().timestamp_millis() + 30 * 86_400_000;
    let db = rusqlite::Connection::open(&st).unwrap();
    let n = db
        .execute(
            "UPDATE hosts SET pause_until=?1 WHERE host=?2",
            rusqlite::params![month, s.host()],
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(db);
    let o = run(d.path(), &seed, &out, &st, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("paused") && e.contains(&s.host()),
        "the summary reports the paused host: {e}"
    );
    let text = state_stats(&st);
    let line = text
        .lines()
        .find(|l| l.starts_with("paused ") && l.contains(&s.host()))
        .unwrap_or_else(|| panic!("no paused host in state stats: {text}"));
    // Capped at the documented maximum (one day): "... for 86400 s" at most.
    let secs: u64 = line
        .rsplit("for ")
        .next()
        .and_then(|t| t.trim_end_matches(" s").parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        secs <= newscrawl::limits::MAX_HOST_PAUSE.as_secs(),
        "{line}"
    );
}
