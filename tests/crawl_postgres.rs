//! `newscrawl crawl --state postgres://...` end to end, against the server
//! in `NEWSCRAWL_TEST_POSTGRES` (each test says loudly that it is skipped
//! when it is not set): exactly-once output across runs and kills, a worker
//! name held by one process at a time, `state stats | prune` on
//! PostgreSQL, and `state migrate` from an SQLite file.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;

const ARTICLES: usize = 30;

fn site() -> Server {
    Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(200, "text/plain", "User-agent: *\nDisallow: /private\n"),
        "/" => {
            let mut links: Vec<String> = (0..ARTICLES).map(|i| format!("/a{i}")).collect();
            links.push("/private/x".into());
            html(listing(
                &links.iter().map(String::as_str).collect::<Vec<_>>(),
            ))
        }
        p => html(article(&format!("Story {p}"), &["/"])),
    })
}

fn want(s: &Server) -> Vec<String> {
    let mut w: Vec<String> = (0..ARTICLES).map(|i| s.url(&format!("/a{i}"))).collect();
    w.sort();
    w
}

use common::pg::FreshState as PgState;

/// A fresh state, the site, a folder with `out.jsonl` and the seed.
struct Setup {
    pg: PgState,
    s: Server,
    d: tempfile::TempDir,
    out: std::path::PathBuf,
    seed: String,
}

fn setup(test: &str) -> Option<Setup> {
    let pg = PgState::new(&format!("crawl_postgres::{test}"))?;
    let s = site();
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out.jsonl");
    let seed = s.url("/");
    Some(Setup {
        pg,
        s,
        d,
        out,
        seed,
    })
}

/// `crawl` arguments for `seed` on the PostgreSQL state as `worker`.
fn args<'a>(
    seed: &'a str,
    out: &'a str,
    state: &'a str,
    worker: &'a str,
    rate: &'a str,
) -> Vec<&'a str> {
    vec![
        "--seed",
        seed,
        "--out",
        out,
        "--state",
        state,
        "--worker",
        worker,
        "--rate",
        rate,
        "--concurrency",
        "4",
    ]
}

fn stats(state: &str) -> String {
    let o = bin()
        .args(["state", "stats", "--state", state])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_crawl_on_postgres_writes_each_article_once_and_a_rerun_nothing() {
    let Some(Setup {
        pg,
        s,
        d,
        out,
        seed,
    }) = setup("a_crawl_on_postgres_writes_each_article_once_and_a_rerun_nothing")
    else {
        return;
    };
    let a = args(&seed, out.to_str().unwrap(), &pg.url, "w1", "50");
    let r = crawl(d.path(), &a);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(urls(&records(&out)), want(&s));
    assert_eq!(s.count("/robots.txt"), 1);
    assert_eq!(s.count("/private/x"), 0, "robots.txt obeyed");
    // Nothing beside the output but its owner record: no lock file.
    let mut files: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["out.jsonl", "out.jsonl.newscrawl-owner"]);
    // Again: the seed is asked again, robots.txt comes from the state (an
    // hour fresh), no article is fetched or written twice.
    let r = crawl(d.path(), &a);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(urls(&records(&out)), want(&s));
    assert_eq!(s.count("/robots.txt"), 1, "shared robots.txt reused");
    assert_eq!(s.count("/a0"), 1);
    let st = stats(&pg.url);
    assert!(st.contains(&format!("written {ARTICLES}\n")), "{st}");
    assert!(st.contains("queued 0\n"), "{st}");
    assert!(st.contains(&format!("host {}: known", s.host())), "{st}");
    // Pruning forgets finished URLs (everything but nothing queued).
    let o = bin()
        .args(["state", "prune", "--state", &pg.url, "--older-than", "0s"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("pruned"), "{}", stderr(&o));
    assert!(stats(&pg.url).starts_with("urls 0\n"));
}

#[test]
fn a_worker_name_is_held_by_one_process_and_freed_by_its_death() {
    let Some(Setup {
        pg,
        s,
        d,
        out,
        seed,
    }) = setup("a_worker_name_is_held_by_one_process_and_freed_by_its_death")
    else {
        return;
    };
    let out2 = d.path().join("out2.jsonl");
    let slow = args(&seed, out.to_str().unwrap(), &pg.url, "w1", "4");
    let mut first = crawl_command(d.path(), &slow)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it works (the server saw it), then start a second w1.
    while s.count("/") == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let same = args(&seed, out2.to_str().unwrap(), &pg.url, "w1", "4");
    let r = crawl(d.path(), &same);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("worker w1 is in use by pid"),
        "{}",
        stderr(&r)
    );
    // SIGKILL: the name is free at once on the same machine (its pid is
    // gone); the restart cuts the uncommitted tail and finishes the crawl.
    first.kill().unwrap();
    first.wait().unwrap();
    let r = crawl(d.path(), &slow);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(urls(&records(&out)), want(&s));
    assert!(!out2.exists() || records(&out2).is_empty());
}

#[test]
fn sigkills_of_a_postgres_crawler_lose_and_duplicate_nothing() {
    let Some(Setup {
        pg,
        s,
        d,
        out,
        seed,
    }) = setup("sigkills_of_a_postgres_crawler_lose_and_duplicate_nothing")
    else {
        return;
    };
    let a = args(&seed, out.to_str().unwrap(), &pg.url, "w1", "40");
    let mut rng = fastrand::Rng::with_seed(11);
    for _ in 0..8 {
        let before = s.paths().len();
        let mut child = crawl_command(d.path(), &a)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Killed after a few requests served, whatever the timing.
        let n = rng.usize(2..8);
        while s.paths().len() < before + n && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill();
        child.wait().unwrap();
    }
    let r = crawl(d.path(), &a);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(urls(&records(&out)), want(&s));
}

#[test]
fn an_sqlite_state_moves_to_postgres_and_its_crawl_goes_on() {
    let Some(pg) =
        PgState::new("crawl_postgres::an_sqlite_state_moves_to_postgres_and_its_crawl_goes_on")
    else {
        return;
    };
    let s = site();
    let (d, out, db) = workdir();
    let seed = s.url("/");
    let r = crawl(
        d.path(),
        &crawl_args(&[&seed], &out, &db, &["--rate", "50", "--max-pages", "12"]),
    );
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let half = records(&out).len();
    assert!(half > 0 && half < ARTICLES, "{half}");
    let sqlite_stats = state_stats(&db);
    let o = bin()
        .args([
            "state",
            "migrate",
            "--from",
            db.to_str().unwrap(),
            "--to",
            &pg.url,
            "--worker",
            "w1",
        ])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 outputs handed to it"),
        "{}",
        stderr(&o)
    );
    // The same counts, on PostgreSQL.
    let pg_stats = stats(&pg.url);
    assert_eq!(
        pg_stats.lines().take(4).collect::<Vec<_>>(),
        sqlite_stats.lines().take(4).collect::<Vec<_>>()
    );
    // Into a state already in use: refused, naming it.
    let o = bin()
        .args([
            "state",
            "migrate",
            "--from",
            db.to_str().unwrap(),
            "--to",
            &pg.url,
            "--worker",
            "w2",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("already holds a crawl state"),
        "{}",
        stderr(&o)
    );
    // The crawl goes on on PostgreSQL into the same output, exactly once.
    let fetched_before = s.paths().iter().filter(|p| p.starts_with("/a")).count();
    let a = args(&seed, out.to_str().unwrap(), &pg.url, "w1", "50");
    let r = crawl(d.path(), &a);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(urls(&records(&out)), want(&s));
    let fetched = s.paths().iter().filter(|p| p.starts_with("/a")).count();
    assert_eq!(
        fetched, ARTICLES,
        "no article fetched twice ({fetched_before} before)"
    );
}
