//! The crawl rules of SPEC on hostile or unusual servers: robots.txt,
//! politeness measured server-side, Retry-After, redirects, limits,
//! charsets, sitemaps and feeds.

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;

fn run(
    seed: &str,
    extra: &[&str],
) -> (tempfile::TempDir, std::path::PathBuf, std::process::Output) {
    let (d, out, st) = workdir();
    let o = crawl(d.path(), &crawl_args(&[seed], &out, &st, extra));
    (d, out, o)
}

#[test]
fn robots_disallow_is_obeyed() {
    let s = Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/" => html(listing(&["/private/a", "/pub/a"])),
        "/pub/a" => html(article("Public", &[])),
        _ => html(article("Secret", &[])),
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.paths()[0], "/robots.txt");
    assert_eq!(s.count("/private/a"), 0);
    assert_eq!(records(&out).len(), 1);
    assert_eq!(
        summary_count(&stderr(&o), "robots"),
        Some(1),
        "{}",
        stderr(&o)
    );
}

#[test]
fn robots_5xx_disallows_host() {
    let s = Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(503, "text/plain", "down"),
        _ => html(article("X", &[])),
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200"]);
    assert_eq!(s.paths(), ["/robots.txt"]);
    assert!(records(&out).is_empty());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

/// Asserts that `n` requests reached `s` spaced by at least `interval`, as
/// far as a loaded machine lets the server see it: arrival times carry the
/// scheduling jitter of both processes (tens of ms with busy loops on two
/// cores), so no gap may be under half the interval (a crawler ignoring the
/// spacing sends them a few ms apart) and the whole run may be short by at
/// most one interval (a crawler spacing them 10% too tightly fails that).
fn assert_spaced(s: &Server, n: usize, interval: Duration) {
    let hits = s.hits.lock().unwrap().clone();
    assert_eq!(hits.len(), n, "{:?}", s.paths());
    let gaps: Vec<Duration> = hits.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        gaps.iter().all(|g| *g >= interval / 2),
        "a gap under half of {interval:?}: {gaps:?}"
    );
    let span = hits[n - 1].at - hits[0].at;
    assert!(
        span >= interval * (n as u32 - 2),
        "{n} requests in {span:?}, spacing {interval:?}: {gaps:?}"
    );
}

#[test]
fn crawl_delay_and_rate_spacing_measured_server_side() {
    let links: Vec<String> = (0..8).map(|i| format!("/a{i}")).collect();
    let l2 = links.clone();
    // Crawl-delay (0.25 s) slower than --rate (100/s) wins.
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(200, "text/plain", "User-agent: *\nCrawl-delay: 0.25\n"),
        "/" => html(listing(
            &l2.iter().map(String::as_str).collect::<Vec<_>>()[..3],
        )),
        p => html(article(p, &[])),
    });
    let (_d, _out, o) = run(&s.url("/"), &["--rate", "100"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_spaced(&s, 5, Duration::from_millis(250));

    // Without Crawl-delay: spacing >= 1/R (R = 5 -> 200 ms), whatever the
    // concurrency.
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(
            &links.iter().map(String::as_str).collect::<Vec<_>>(),
        )),
        p => html(article(p, &[])),
    });
    let (_d, _out, o) = run(&s.url("/"), &["--rate", "5", "--concurrency", "8"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_spaced(&s, 10, Duration::from_millis(200));
}

#[test]
fn retry_after_is_honoured_and_retried() {
    let n = Arc::new(AtomicUsize::new(0));
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&["/a"])),
        "/a" if n.fetch_add(1, Ordering::SeqCst) == 0 => Reply::Full(
            503,
            vec![("retry-after".into(), "1".into())],
            b"busy".to_vec(),
        ),
        p => html(article(p, &[])),
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "100"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), 1);
    let hits = s.hits.lock().unwrap().clone();
    let a: Vec<_> = hits.iter().filter(|h| h.path == "/a").collect();
    assert_eq!(a.len(), 2);
    assert!(a[1].at.duration_since(a[0].at) >= Duration::from_millis(990));
}

#[test]
fn redirects_in_scope_out_of_scope_and_loops() {
    let other = Server::start("127.0.0.2", |_| html(article("Elsewhere", &[])));
    let elsewhere = other.url("/x");
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&["/old", "/away", "/loop1"])),
        "/old" => Reply::Full(301, vec![("location".into(), "/new".into())], vec![]),
        "/away" => Reply::Full(302, vec![("location".into(), elsewhere.clone())], vec![]),
        "/loop1" => Reply::Full(302, vec![("location".into(), "/loop2".into())], vec![]),
        "/loop2" => Reply::Full(302, vec![("location".into(), "/loop1".into())], vec![]),
        p => html(article(p, &[])),
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(other.paths().is_empty(), "out-of-scope host contacted");
    assert_eq!(urls(&records(&out)), [s.url("/new")]);
    assert!(s.count("/loop1") <= 2 && s.count("/loop2") <= 2);
}

#[test]
fn huge_page_gzip_bomb_and_trickle_are_cut_off() {
    let bomb = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&vec![b' '; 64 * 1024 * 1024]).unwrap();
        e.finish().unwrap()
    };
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&["/huge", "/bomb", "/slow", "/ok"])),
        "/huge" => Reply::Huge(30 * 1024 * 1024),
        "/bomb" => Reply::Full(
            200,
            vec![
                ("content-type".into(), "text/html".into()),
                ("content-encoding".into(), "gzip".into()),
            ],
            bomb.clone(),
        ),
        "/slow" => Reply::Trickle,
        p => html(article(p, &[])),
    });
    let t = std::time::Instant::now();
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200", "--timeout", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(urls(&records(&out)), [s.url("/ok")]);
    let e = stderr(&o);
    assert_eq!(summary_count(&e, "too large"), Some(2), "{e}");
    assert_eq!(summary_count(&e, "timeout"), Some(1), "{e}");
    // The trickle is retried 3 times at 2 s each plus back-off (about 12 s);
    // nothing hangs. The margin holds on a loaded machine.
    assert!(t.elapsed() < Duration::from_secs(60), "{:?}", t.elapsed());
}

#[test]
fn charsets_are_decoded() {
    let page = article("Caf\u{e9}", &[]).replace("charset=utf-8", "charset=windows-1252");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&page);
    let bytes = bytes.into_owned();
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        _ => reply(200, "text/html", bytes.clone()),
    });
    let (_d, out, o) = run(&s.url("/cafe"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = records(&out);
    assert_eq!(r[0]["title"], "Caf\u{e9}");
}

fn gz(data: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data.as_bytes()).unwrap();
    e.finish().unwrap()
}

#[test]
fn sitemaps_index_gz_news_and_since() {
    let s = Server::start("127.0.0.1", |h| {
        let base = format!(
            "http://{}",
            h.headers.get("host").unwrap().to_str().unwrap()
        );
        match h.path.as_str() {
            "/robots.txt" => reply(200, "text/plain", format!("User-agent: *\nAllow: /\nSitemap: {base}/index.xml\n")),
            "/index.xml" => reply(200, "application/xml", format!(
                "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                 <sitemap><loc>{base}/s1.xml.gz</loc></sitemap><sitemap><loc>{base}/news.xml</loc></sitemap></sitemapindex>")),
            "/s1.xml.gz" => reply(200, "application/gzip", gz(&format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{base}/a1</loc><lastmod>2099-01-01</lastmod></url>\
                 <url><loc>{base}/old</loc><lastmod>2001-01-01</lastmod></url></urlset>"))),
            "/news.xml" => reply(200, "application/xml", format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\
                 <url><loc>{base}/n1</loc><news:news><news:publication_date>2099-01-02T00:00:00Z</news:publication_date></news:news></url></urlset>")),
            "/" => html(listing(&[])),
            p => html(article(p, &[])),
        }
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200", "--since", "30d"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(urls(&records(&out)), [s.url("/a1"), s.url("/n1")]);
    assert_eq!(s.count("/old"), 0, "--since must skip before fetching");
}

#[test]
fn rss_and_atom_seeds() {
    let s = Server::start("127.0.0.1", |h| {
        let base = format!(
            "http://{}",
            h.headers.get("host").unwrap().to_str().unwrap()
        );
        match h.path.as_str() {
            "/robots.txt" => reply(404, "text/plain", ""),
            "/rss" => reply(200, "application/rss+xml", format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>{base}/</link>\
                 <item><title>A</title><link>{base}/r1</link><pubDate>Wed, 01 May 2024 10:00:00 +0000</pubDate></item></channel></rss>")),
            "/atom" => reply(200, "application/atom+xml", format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>B</title><link href=\"{base}/t1\"/><updated>2024-05-01T00:00:00Z</updated></entry></feed>")),
            p => html(article(p, &[])),
        }
    });
    let (d, out, st) = workdir();
    let o = crawl(
        d.path(),
        &crawl_args(
            &[&s.url("/rss"), &s.url("/atom")],
            &out,
            &st,
            &["--rate", "200"],
        ),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(urls(&records(&out)), [s.url("/r1"), s.url("/t1")]);
}

#[test]
fn exact_duplicate_bodies_written_once() {
    let s = Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&["/a", "/print/a", "/upper"])),
        "/upper" => html(article("SAME STORY", &[])),
        _ => html(article("Same story", &[])),
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), 2);
    assert_eq!(
        summary_count(&stderr(&o), "duplicate content"),
        Some(1),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o)
            .lines()
            .any(|l| l.trim() == "near-duplicates written: 1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn sitemap_indexes_citing_each_other_are_read_once() {
    let s = Server::start("127.0.0.1", |h| {
        let base = format!(
            "http://{}",
            h.headers.get("host").unwrap().to_str().unwrap()
        );
        let index = |other: &str| {
            reply(
                200,
                "application/xml",
                format!(
                    "<sitemapindex><sitemap><loc>{base}/{other}</loc></sitemap>\
                     <sitemap><loc>{base}/urls.xml</loc></sitemap></sitemapindex>"
                ),
            )
        };
        match h.path.as_str() {
            "/robots.txt" => reply(404, "text/plain", ""),
            "/a.xml" => index("b.xml"),
            "/b.xml" => index("a.xml"),
            "/urls.xml" => reply(
                200,
                "application/xml",
                format!("<urlset><url><loc>{base}/story</loc></url></urlset>"),
            ),
            p => html(article(p, &[])),
        }
    });
    let (_d, out, o) = run(&s.url("/a.xml"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), 1);
    assert_eq!(
        (s.count("/a.xml"), s.count("/b.xml"), s.count("/urls.xml")),
        (1, 1, 1)
    );
}

#[test]
fn a_robots_txt_over_512_kib_is_obeyed() {
    // The rule comes first, then 600 KiB of comments: the first 500 KiB
    // are read and obeyed (it used to count as "allow all").
    let mut file = String::from("User-agent: *\nDisallow: /private/\n");
    while file.len() < 600 * 1024 {
        file.push_str("# a long robots.txt keeps going with comments and more comments\n");
    }
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(200, "text/plain", file.clone()),
        "/" => html(listing(&["/private/a", "/pub/a"])),
        p => html(article(p, &[])),
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.count("/private/a"), 0, "disallowed page fetched");
    assert_eq!(urls(&records(&out)), [s.url("/pub/a")]);
}

#[test]
fn a_redirected_robots_txt_is_followed_and_obeyed() {
    // Five hops, as RFC 9309 asks crawlers to follow at least.
    let s = Server::start("127.0.0.1", |h| {
        let hop = |to: &str| Reply::Full(301, vec![("location".into(), to.into())], vec![]);
        match h.path.as_str() {
            "/robots.txt" => hop("/r1"),
            "/r1" => hop("/r2"),
            "/r2" => hop("/r3"),
            "/r3" => hop("/r4"),
            "/r4" => hop("/rules.txt"),
            "/rules.txt" => reply(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
            "/" => html(listing(&["/private/a", "/pub/a"])),
            p => html(article(p, &[])),
        }
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.count("/rules.txt"), 1);
    assert_eq!(s.count("/private/a"), 0, "disallowed page fetched");
    assert_eq!(urls(&records(&out)), [s.url("/pub/a")]);
    assert_eq!(
        s.paths()[..6],
        ["/robots.txt", "/r1", "/r2", "/r3", "/r4", "/rules.txt"]
    );
}

#[test]
fn redirects_to_other_schemes_are_reported_as_such() {
    let s = Server::start("127.0.0.1", |h| {
        let to = |l: &str| Reply::Full(302, vec![("location".into(), l.into())], vec![]);
        match h.path.as_str() {
            "/robots.txt" => reply(404, "text/plain", ""),
            "/" => html(listing(&["/js", "/file", "/data", "/ok"])),
            "/js" => to("javascript:alert(1)"),
            "/file" => to("file:///etc/passwd"),
            "/data" => to("data:text/html,<p>hi</p>"),
            p => html(article(p, &[])),
        }
    });
    let (_d, out, o) = run(&s.url("/"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(urls(&records(&out)), [s.url("/ok")]);
    let e = stderr(&o);
    assert_eq!(
        summary_count(&e, "redirect to non-http scheme"),
        Some(3),
        "{e}"
    );
    assert_eq!(summary_count(&e, "robots"), None, "{e}");
    assert_eq!(summary_count(&e, "scope"), None, "{e}");
}

#[test]
fn utf16_declared_in_the_header_is_a_page() {
    let page = article("Gr\u{fc}\u{df}e aus K\u{f6}ln", &[]).replace("<meta charset=utf-8>", "");
    let le: Vec<u8> = page.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let s = Server::start("127.0.0.1", move |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        _ => reply(200, "text/html; charset=utf-16le", le.clone()),
    });
    let (_d, out, o) = run(&s.url("/story"), &["--rate", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = records(&out);
    assert_eq!(r.len(), 1, "{}", stderr(&o));
    assert_eq!(r[0]["title"], "Gr\u{fc}\u{df}e aus K\u{f6}ln");
}
