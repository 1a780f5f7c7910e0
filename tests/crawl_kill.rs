//! Exactly-once output across SIGKILL and SIGTERM: kill the crawler at many
//! points, restart it with the same arguments, and check every article is in
//! the output once, with no partial line.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

const ARTICLES: usize = 40;

fn site() -> Server {
    Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => {
            let links: Vec<String> = (0..ARTICLES).map(|i| format!("/a{i}")).collect();
            html(listing(
                &links.iter().map(String::as_str).collect::<Vec<_>>(),
            ))
        }
        p => html(article(&format!("Story {p}"), &["/"])),
    })
}

/// `crawl` and its arguments: `seed` at `--rate rate`, four at a time.
fn args<'a>(seed: &'a str, out: &'a Path, state: &'a Path, rate: &'a str) -> Vec<&'a str> {
    let mut a = vec!["crawl"];
    a.extend(crawl_args(
        &[seed],
        out,
        state,
        &["--rate", rate, "--concurrency", "4"],
    ));
    a
}

fn assert_exactly_once(out: &std::path::Path, s: &Server) {
    let recs = records(out);
    let got = urls(&recs);
    let mut want: Vec<String> = (0..ARTICLES).map(|i| s.url(&format!("/a{i}"))).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn sigkill_cycles_lose_and_duplicate_nothing() {
    let s = site();
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let a = args(&seed, &out, &st, "40");
    let mut rng = fastrand::Rng::with_seed(7);
    let mut interrupted = 0;
    for i in 0..20 {
        let mut child = bin()
            .args(&a)
            .current_dir(d.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.u64(30..200)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        interrupted += usize::from(status.code().is_none());
        // Whatever the moment, the committed part never holds a duplicate.
        let recs = records_tolerant(&out);
        let mut u = recs.clone();
        u.sort();
        u.dedup();
        assert_eq!(u.len(), recs.len(), "duplicate after kill {i}");
    }
    assert!(
        interrupted >= 10,
        "only {interrupted} runs were killed mid-crawl"
    );
    let o2 = crawl(d.path(), &a[1..]);
    assert_eq!(o2.status.code(), Some(0), "{}", stderr(&o2));
    assert_exactly_once(&out, &s);
}

/// URLs of whole lines (a partial tail may exist right after a SIGKILL; the
/// next start removes it).
fn records_tolerant(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["url"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn sigterm_stops_within_5s_consistently_and_resumes() {
    let s = site();
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let a = args(&seed, &out, &st, "10");
    let child = bin()
        .args(&a)
        .current_dir(d.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let t = Instant::now();
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let res = wait_limit(child, Duration::from_secs(10));
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(res.status.code(), Some(143), "{}", stderr(&res));
    let partial = records(&out).len();
    assert!(partial > 0 && partial < ARTICLES, "{partial}");
    let o2 = crawl(d.path(), &a[1..]);
    assert_eq!(o2.status.code(), Some(0), "{}", stderr(&o2));
    assert_exactly_once(&out, &s);
}

#[test]
fn max_duration_stops_cleanly_with_status_0() {
    let s = site();
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let mut a = args(&seed, &out, &st, "20");
    a.extend(["--max-duration", "1"]);
    let t = Instant::now();
    let r = crawl(d.path(), &a[1..]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert!(t.elapsed() < Duration::from_secs(5));
    assert!(records(&out).len() < ARTICLES);
    let r = crawl(d.path(), &a[1..a.len() - 2]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_exactly_once(&out, &s);
}
