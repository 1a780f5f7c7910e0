//! Crawl end to end on loopback servers: discovery, scope, identity,
//! incremental re-runs and conditional requests.

mod common;

use common::*;

fn site() -> Server {
    Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", "no"),
        "/" => {
            if h.headers
                .get("if-none-match")
                .is_some_and(|v| v == "\"home-v1\"")
            {
                return Reply::Full(304, vec![], vec![]);
            }
            let mut r = html(listing(&[
                "/a1",
                "/a2?utm_source=x&fbclid=y",
                "/a2",
                "/a3#comments",
                "/section",
                "/a1-amp",
            ]));
            if let Reply::Full(_, h, _) = &mut r {
                h.push(("etag".into(), "\"home-v1\"".into()));
            }
            r
        }
        "/section" => html(listing(&["/a3", "/a4"])),
        "/a1" => html(article("Alpha", &["/"])),
        "/a1-amp" => {
            html(article("Alpha", &[]).replace("<head>", "<head><link rel=canonical href=\"/a1\">"))
        }
        "/a2" => html(article("Bravo", &[])),
        "/a3" => html(article("Charlie", &[])),
        "/a4" => html(article("Delta", &[])),
        _ => reply(404, "text/html", "<html><body>not found</body></html>"),
    })
}

#[test]
fn crawls_articles_once_and_rerun_is_incremental() {
    let s = site();
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let args = crawl_args(&[&seed], &out, &st, &["--rate", "200"]);
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let recs = records(&out);
    let host = s.host();
    let want: Vec<String> = ["a1", "a2", "a3", "a4"]
        .iter()
        .map(|p| format!("http://{host}/{p}"))
        .collect();
    assert_eq!(urls(&recs), want, "{}", stderr(&o));
    // Tracking parameters and fragments never reach the server as separate URLs.
    assert_eq!(s.count("/a2"), 1);
    assert!(!s
        .paths()
        .iter()
        .any(|p| p.contains("utm_") || p.contains("fbclid")));
    assert_eq!(s.count("/robots.txt"), 1);
    assert!(
        stderr(&o).contains(", written 4 articles,"),
        "{}",
        stderr(&o)
    );

    // Second run: only the seed, conditionally; nothing new written.
    let before = s.paths().len();
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), 4);
    let new: Vec<String> = s.paths()[before..].to_vec();
    assert_eq!(new, ["/robots.txt", "/"], "second run requested {new:?}");
    let last = s.hits.lock().unwrap().last().unwrap().clone();
    assert_eq!(last.headers.get("if-none-match").unwrap(), "\"home-v1\"");
}

#[test]
fn max_depth_and_max_pages() {
    let s = site();
    let (d, out, st) = workdir();
    let o = crawl(
        d.path(),
        &crawl_args(
            &[&s.url("/")],
            &out,
            &st,
            &["--rate", "200", "--max-depth", "1"],
        ),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.count("/a4"), 0, "depth 2 page fetched");
    let (d2, out2, st2) = workdir();
    let o = crawl(
        d2.path(),
        &crawl_args(
            &[&s.url("/")],
            &out2,
            &st2,
            &["--rate", "200", "--max-pages", "3"],
        ),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(": fetched 3 pages "), "{}", stderr(&o));
}

#[test]
fn lock_blocks_second_run() {
    let s = site();
    let (d, out, st) = workdir();
    let _held = newscrawl::state::StateLock::acquire(&st).unwrap();
    let o = crawl(d.path(), &crawl_args(&[&s.url("/")], &out, &st, &[]));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("state in use by pid {}", std::process::id())),
        "{}",
        stderr(&o)
    );
    assert!(s.paths().is_empty());
}

#[test]
fn stdout_output_by_default() {
    let s = site();
    let (d, _out, st) = workdir();
    let o = crawl(
        d.path(),
        &[
            "--seed",
            &s.url("/a1"),
            "--state",
            st.to_str().unwrap(),
            "--rate",
            "200",
            "--max-depth",
            "0",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("\"title\":\"Alpha\""), "{text}");
}

/// Two pages of one host with the same text: the first is slow to extract
/// (many empty elements in a template), the second quick; the host is free once
/// a response is read, so the second's extraction ends first. Results are
/// handled in request order: the first page is the record, the second the
/// duplicate, whatever ended first, in every run.
#[test]
fn duplicates_resolve_in_request_order() {
    let padding = "<div></div>".repeat(300_000);
    let slow = article("Same story", &[]).replace(
        "</article>",
        &format!("</article><template>{padding}</template>"),
    );
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&["/slow", "/quick"])),
        "/slow" => html(slow.clone()),
        "/quick" => html(article("Same story", &[])),
        _ => reply(404, "text/html", "<html><body>not found</body></html>"),
    });
    for run in 0..2 {
        let (d, out, st) = workdir();
        let o = crawl(
            d.path(),
            &crawl_args(&[&s.url("/")], &out, &st, &["--rate", "200"]),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            urls(&records(&out)),
            [s.url("/slow")],
            "run {run}: {}",
            stderr(&o)
        );
        assert_eq!(
            summary_count(&stderr(&o), "duplicate content"),
            Some(1),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(s.count("/slow"), 2);
    assert_eq!(s.count("/quick"), 2);
}
