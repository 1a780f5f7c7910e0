//! Cron behaviour over several runs: configured sites (dated feed templates,
//! extra headers), conditional requests, Retry-After binding later runs,
//! --refetch-after, dated --out names and the `state` command. (A failed
//! output write: `crawl_safety.rs`.)

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;

fn config_dir(host: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("xx")).unwrap();
    std::fs::write(
        d.path().join("xx/local.toml"),
        format!(
            "name = \"local\"\nhosts = [\"{host}\"]\nlanguage = \"en\"\nrate = 500.0\n\
             [headers]\nCookie = \"consent=yes\"\n\
             [discover]\nfeeds = [\"http://{host}/feed-{{yyyy}}-{{mm}}.xml\"]\nstart = [\"http://{host}/\"]\n\
             article = ['^http://{host}/story/']\n"
        ),
    )
    .unwrap();
    d
}

#[test]
fn configured_site_feeds_headers_and_conditional_rerun() {
    let month = chrono::Utc::now().format("/feed-%Y-%m.xml").to_string();
    let m2 = month.clone();
    let s = Server::start("127.0.0.1", move |h| {
        if h.headers.get("cookie").is_none_or(|c| c != "consent=yes") {
            return reply(403, "text/plain", "consent wall");
        }
        let base = format!(
            "http://{}",
            h.headers.get("host").unwrap().to_str().unwrap()
        );
        match h.path.as_str() {
            "/robots.txt" => reply(404, "text/plain", ""),
            p if p == m2 => {
                if h.headers.get("if-modified-since").is_some() {
                    return Reply::Full(304, vec![], vec![]);
                }
                Reply::Full(
                    200,
                    vec![
                        ("content-type".into(), "application/rss+xml".into()),
                        ("last-modified".into(), "Wed, 01 May 2024 10:00:00 GMT".into()),
                    ],
                    format!("<rss><channel><item><link>{base}/story/1</link></item><item><link>{base}/story/2</link></item></channel></rss>").into_bytes(),
                )
            }
            "/" => html(listing(&["/story/3"])),
            p if p.starts_with("/story/") => html(article(p, &[])),
            _ => reply(404, "text/plain", ""),
        }
    });
    let conf = config_dir(&s.host());
    let (d, out, st) = workdir();
    let args = crawl_args(
        &[],
        &out,
        &st,
        &[
            "--site",
            "local",
            "--selectors",
            conf.path().to_str().unwrap(),
            "--rate",
            "200",
        ],
    );
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let recs = records(&out);
    assert_eq!(
        urls(&recs),
        [s.url("/story/1"), s.url("/story/2"), s.url("/story/3")]
    );
    assert_eq!(recs[0]["site"], "local");
    let before = s.paths().len();
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), 3);
    let mut second: Vec<String> = s.paths()[before..].to_vec();
    second.sort();
    // robots, this month's and last month's feed, the start page: nothing else.
    assert_eq!(second.len(), 4, "{second:?}");
    assert!(
        second
            .iter()
            .all(|p| p == "/" || p == "/robots.txt" || p.starts_with("/feed-")),
        "{second:?}"
    );

    let text = state_stats(&st);
    // Whole lines: "written 3" must not match "written 30".
    assert!(text.lines().any(|l| l == "written 3"), "{text}");
    let host_line = format!("host {}: ", s.host());
    let host = text
        .lines()
        .find(|l| l.starts_with(&host_line))
        .unwrap_or_else(|| panic!("no line for the host: {text}"));
    assert!(host.contains(", written 3, "), "{host}");
    let prune = bin()
        .args([
            "state",
            "prune",
            "--older-than",
            "0s",
            "--state",
            st.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        prune.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&prune.stderr)
    );
    assert!(String::from_utf8_lossy(&prune.stderr).contains("pruned"));
}

#[test]
fn retry_after_binds_the_next_run() {
    let s = Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&["/a"])),
        _ => Reply::Full(
            429,
            vec![("retry-after".into(), "3600".into())],
            b"slow down".to_vec(),
        ),
    });
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let args = crawl_args(&[&seed], &out, &st, &["--rate", "100"]);
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.count("/a"), 1);
    let n = s.paths().len();
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.paths().len(), n, "host contacted before its Retry-After");
}

#[test]
fn refetch_after_emits_changed_articles_only() {
    let version = Arc::new(AtomicUsize::new(1));
    let v2 = version.clone();
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        _ => html(article(
            &format!("Story version {}", v2.load(Ordering::SeqCst)),
            &[],
        )),
    });
    let (d, _out, st) = workdir();
    let out = d.path().join("news-%Y.jsonl");
    let real = d
        .path()
        .join(chrono::Local::now().format("news-%Y.jsonl").to_string());
    let seed = s.url("/story");
    let args = crawl_args(
        &[&seed],
        &out,
        &st,
        &["--rate", "100", "--refetch-after", "0s"],
    );
    assert_eq!(crawl(d.path(), &args).status.code(), Some(0));
    assert_eq!(records(&real).len(), 1);
    assert_eq!(crawl(d.path(), &args).status.code(), Some(0));
    assert_eq!(records(&real).len(), 1, "unchanged article written again");
    version.store(2, Ordering::SeqCst);
    assert_eq!(crawl(d.path(), &args).status.code(), Some(0));
    let recs = records(&real);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["url"], recs[1]["url"]);
    assert_eq!(recs[1]["title"], "Story version 2");
}

#[test]
fn crawl_delay_binds_the_next_run() {
    let s = Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(200, "text/plain", "User-agent: *\nCrawl-delay: 2\n"),
        p => html(article(p, &[])),
    });
    let (d, out, st) = workdir();
    let seed = s.url("/a");
    let args = crawl_args(&[&seed], &out, &st, &["--rate", "100", "--max-depth", "0"]);
    assert_eq!(crawl(d.path(), &args).status.code(), Some(0));
    assert_eq!(crawl(d.path(), &args).status.code(), Some(0));
    let hits = s.hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 4);
    // Arrival times carry the scheduling jitter of a loaded machine: a
    // quarter of the delay is allowed (a second run that ignored the stored
    // delay would start within its own start-up time, well under 1.5 s).
    assert!(
        s.min_gap() >= std::time::Duration::from_millis(1500),
        "{:?}",
        s.min_gap()
    );
}
