//! `crawl --warc DIR`: every fetch of a crawl (robots.txt, feeds, pages,
//! redirect hops, 304s) as a WARC response record with its request record,
//! read back to the end of every file with every digest checked; and the
//! usage errors of `--warc` and `--format parquet`.

mod common;

use std::io::Write;

use common::*;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

fn site() -> Server {
    Server::start("127.0.0.1", |h| {
        let host = h.headers.get("host").unwrap().to_str().unwrap().to_string();
        match h.path.as_str() {
            "/robots.txt" => reply(200, "text/plain", "User-agent: *\nAllow: /\n"),
            "/" => {
                if h.headers.contains_key("if-none-match") {
                    return Reply::Full(304, vec![("etag".into(), "\"v1\"".into())], vec![]);
                }
                let page = listing(&["/old", "/gz"]).replacen(
                    "<title>",
                    "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed/\"><title>",
                    1,
                );
                let mut r = html(page);
                if let Reply::Full(_, headers, _) = &mut r {
                    headers.push(("etag".into(), "\"v1\"".into()));
                }
                r
            }
            "/feed/" => reply(
                200,
                "application/rss+xml",
                format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title><item><title>A</title><link>http://{host}/a1</link></item></channel></rss>"),
            ),
            "/old" => Reply::Full(301, vec![("location".into(), "/a2".into())], vec![]),
            "/a1" => html(article("Alpha", &[])),
            "/a2" => html(article("Bravo", &[])),
            "/gz" => Reply::Full(
                200,
                vec![
                    ("content-type".into(), "text/html; charset=utf-8".into()),
                    ("content-encoding".into(), "gzip".into()),
                ],
                gzip(article("Gamma", &[]).as_bytes()),
            ),
            _ => reply(404, "text/html", "<html><body>not found</body></html>"),
        }
    })
}

#[test]
fn every_fetch_is_a_response_and_its_request() {
    let s = site();
    let (d, out, st) = workdir();
    let warc = d.path().join("warc");
    let seed = s.url("/");
    let args = crawl_args(
        &[&seed],
        &out,
        &st,
        &["--rate", "200", "--warc", warc.to_str().unwrap()],
    );
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), 3, "{}", stderr(&o));
    let recs = datasets::warc_records(&warc);
    let responses: Vec<(String, u16)> = recs
        .iter()
        .filter(|r| r.kind == "response")
        .map(|r| (r.uri.trim_start_matches(&s.url("")).to_string(), r.status))
        .collect();
    let mut got = responses.clone();
    got.sort();
    let mut want: Vec<(String, u16)> = [
        ("/robots.txt", 200),
        ("/", 200),
        ("/feed/", 200),
        ("/old", 301),
        ("/a1", 200),
        ("/a2", 200),
        ("/gz", 200),
    ]
    .iter()
    .map(|(p, st)| (p.to_string(), *st))
    .collect();
    want.sort();
    assert_eq!(got, want, "one response per fetch");
    assert_eq!(s.paths().len(), want.len(), "{:?}", s.paths());
    // Each response with the request that got it.
    for r in recs.iter().filter(|r| r.kind == "response") {
        let reqs: Vec<_> = recs
            .iter()
            .filter(|q| q.kind == "request" && q.concurrent_to.as_deref() == Some(&r.id))
            .collect();
        assert_eq!(reqs.len(), 1, "{}", r.uri);
        assert_eq!(reqs[0].uri, r.uri);
        let head = String::from_utf8_lossy(&reqs[0].block);
        assert!(head.starts_with("GET /"), "{head}");
        assert!(head.contains("\r\nUser-Agent: newscrawl/"), "{head}");
    }
    // The decoded payload, with headers that say so.
    let gz = recs
        .iter()
        .find(|r| r.kind == "response" && r.uri.ends_with("/gz"))
        .unwrap();
    let at = datasets::head_end(&gz.block);
    let head = String::from_utf8_lossy(&gz.block[..at]).to_lowercase();
    let payload = &gz.block[at..];
    assert!(!head.contains("content-encoding"), "{head}");
    assert!(
        head.contains(&format!("\r\ncontent-length: {}\r\n", payload.len())),
        "{head}"
    );
    assert_eq!(payload, article("Gamma", &[]).as_bytes());

    // A second run asks for the seed again, conditionally: its 304 is
    // recorded too, after the first run's records.
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let again = datasets::warc_records(&warc);
    assert!(again.len() > recs.len());
    let last = again.iter().rev().find(|r| r.kind == "response").unwrap();
    assert_eq!((last.uri.as_str(), last.status), (seed.as_str(), 304));
}

#[test]
fn bad_warc_and_parquet_outputs_are_usage_errors() {
    let s = site();
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let file = d.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let args = crawl_args(&[&seed], &out, &st, &["--warc", file.to_str().unwrap()]);
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--warc") && stderr(&o).contains("a-file"),
        "{}",
        stderr(&o)
    );
    let args = crawl_args(&[&seed], &file, &st, &["--format", "parquet"]);
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a folder"), "{}", stderr(&o));
    let o = crawl(
        d.path(),
        &[
            "--seed",
            &seed,
            "--out",
            "-",
            "--format",
            "parquet",
            "--state",
            st.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format parquet"), "{}", stderr(&o));
    assert!(s.paths().is_empty(), "nothing fetched: {:?}", s.paths());
}
