//! Discovery within bounds (issue 12, "Runaway crawls and politeness"): a
//! huge sitemap index neither grows the state without end nor starves
//! articles; depth counts through feeds and sitemaps found by links; a
//! WordPress-like site's per-post feeds and `rel=nofollow` links do not
//! multiply the requests of a crawl and of its re-runs.

mod common;

use common::*;

fn rss(items: &[String]) -> Reply {
    let items: String = items
        .iter()
        .map(|u| format!("<item><title>t</title><link>{u}</link></item>"))
        .collect();
    reply(
        200,
        "application/rss+xml",
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>f</title>{items}</channel></rss>"),
    )
}

fn xml(body: String) -> Reply {
    reply(
        200,
        "application/xml",
        format!("<?xml version=\"1.0\"?>{body}"),
    )
}

fn sitemap_index(children: impl Iterator<Item = String>) -> Reply {
    let list: String = children
        .map(|c| format!("<sitemap><loc>{c}</loc></sitemap>"))
        .collect();
    xml(format!(
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{list}</sitemapindex>"
    ))
}

/// A page whose `<head>` links `feeds`, with prose and `links`.
fn page_with_feeds(title: &str, feeds: &[&str], links: &[&str]) -> Reply {
    let head: String = feeds
        .iter()
        .map(|f| format!("<link rel=\"alternate\" type=\"application/rss+xml\" href=\"{f}\">"))
        .collect();
    html(article(title, links).replacen("<title>", &format!("{head}<title>"), 1))
}

#[test]
fn a_huge_sitemap_index_keeps_the_state_small_and_articles_come() {
    // 10,000 sitemaps of 50,000 URLs each, made on request.
    let s = Server::start("127.0.0.1", |h| {
        let p = h.path.as_str();
        if p == "/robots.txt" {
            return reply(404, "text/plain", "");
        }
        if p == "/index.xml" {
            return sitemap_index((0..10_000).map(|i| format!("/s/{i}.xml")));
        }
        if let Some(i) = p.strip_prefix("/s/").and_then(|r| r.strip_suffix(".xml")) {
            let urls: String = (0..50_000)
                .map(|j| format!("<url><loc>/s/{i}/a{j}</loc></url>"))
                .collect();
            return xml(format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>"
            ));
        }
        html(article(p, &[]))
    });
    let (d, out, st) = workdir();
    let seed = s.url("/index.xml");
    let args = crawl_args(
        &[&seed],
        &out,
        &st,
        &["--rate", "1000", "--max-pages", "300"],
    );
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The index, one child sitemap, and articles of that child for the rest.
    let sitemaps = s.paths().iter().filter(|p| p.ends_with(".xml")).count();
    assert_eq!(sitemaps, 2, "{}", stderr(&o));
    assert_eq!(records(&out).len(), 298, "{}", stderr(&o));
    // New URLs within the budget of --max-pages (100 per page): 30,000 of
    // the first child's 50,000 (the index's children, newest first and
    // capped at 1,000, are sources and read one by one).
    assert_eq!(
        summary_count(&stderr(&o), "over the --max-pages queue budget"),
        Some(20_000),
        "{}",
        stderr(&o)
    );
    let size = std::fs::metadata(&st).unwrap().len()
        + std::fs::metadata(d.path().join("state.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    assert!(size < 20_000_000, "state of {size} bytes");
}

#[test]
fn depth_counts_through_feeds_found_on_pages() {
    // Every page links a feed listing the next page: page -> feed -> page ...
    let s = Server::start("127.0.0.1", |h| {
        let p = h.path.as_str();
        if p == "/robots.txt" {
            return reply(404, "text/plain", "");
        }
        if let Some(n) = p.strip_prefix("/p").and_then(|r| r.strip_suffix("/feed")) {
            let next: u32 = n.parse::<u32>().unwrap() + 1;
            return rss(&[format!("/p{next}")]);
        }
        let feed = format!("{p}/feed");
        page_with_feeds(p, &[&feed], &[])
    });
    let (d, out, st) = workdir();
    let seed = s.url("/p0");
    let args = crawl_args(
        &[&seed],
        &out,
        &st,
        &["--rate", "1000", "--max-depth", "3", "--max-pages", "40"],
    );
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut paths = s.paths();
    paths.retain(|p| p != "/robots.txt");
    // p0 (depth 0), its feed (1), p1 (2), its feed (3): the feed's entry
    // would be depth 4.
    assert_eq!(paths, ["/p0", "/p0/feed", "/p1", "/p1/feed"]);
}

#[test]
fn depth_counts_through_sitemap_indexes() {
    // Each index lists a new index: /i0.xml -> /i1.xml -> ...
    let s = Server::start("127.0.0.1", |h| {
        let p = h.path.as_str();
        match p.strip_prefix("/i").and_then(|r| r.strip_suffix(".xml")) {
            Some(n) => {
                let next: u32 = n.parse::<u32>().unwrap() + 1;
                sitemap_index(std::iter::once(format!("/i{next}.xml")))
            }
            None => reply(404, "text/plain", ""),
        }
    });
    let (d, out, st) = workdir();
    let seed = s.url("/i0.xml");
    let args = crawl_args(
        &[&seed],
        &out,
        &st,
        &["--rate", "1000", "--max-depth", "2", "--max-pages", "40"],
    );
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let indexes: Vec<String> = s
        .paths()
        .into_iter()
        .filter(|p| p.starts_with("/i"))
        .collect();
    assert_eq!(indexes, ["/i0.xml", "/i1.xml", "/i2.xml"]);
}

/// A small WordPress-like site: a home page linking its feed and three
/// posts; each post links its own comments feed, a tag feed, a share link
/// and a reply link (both `rel=nofollow`).
fn wordpress_like(h: &Hit) -> Reply {
    let p = h.path.as_str();
    let posts = ["/2024/01/01/one/", "/2024/01/02/two/", "/2024/01/03/three/"];
    let conditional = h.headers.contains_key("if-none-match");
    match p {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&posts).replacen(
            "<title>",
            "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed/\"><title>",
            1,
        )),
        "/feed/" if conditional => Reply::Full(304, vec![], vec![]),
        "/feed/" => {
            let items: Vec<String> = posts.iter().map(|s| s.to_string()).collect();
            let mut r = rss(&items);
            if let Reply::Full(_, headers, _) = &mut r {
                headers.push(("etag".into(), "\"f1\"".into()));
            }
            r
        }
        "/tag/news/feed/" => rss(&posts.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        p if p.ends_with("/feed/") => rss(&[format!("{}#comment-1", p.trim_end_matches("feed/"))]),
        p => {
            let comments = format!("{p}feed/");
            let share = format!("{p}?share=facebook");
            let reply_to = format!("{p}?replytocom=7");
            let body = article(p, &[]).replace(
                    "</article>",
                    &format!("<a rel=\"nofollow\" href=\"{share}\">Share</a><a rel=\"nofollow\" class=\"comment-reply-link\" href=\"{reply_to}\">Reply</a></article>"),
                );
            let head = format!("<link rel=\"alternate\" type=\"application/rss+xml\" href=\"{comments}\"><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/tag/news/feed/\">");
            html(body.replacen("<title>", &format!("{head}<title>"), 1))
        }
    }
}

#[test]
fn per_post_feeds_are_read_once_and_nofollow_links_never() {
    let s = Server::start("127.0.0.1", wordpress_like);
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let args = crawl_args(&[&seed], &out, &st, &["--rate", "1000"]);
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), 3, "{}", stderr(&o));
    let first = s.paths();
    assert!(
        !first
            .iter()
            .any(|p| p.contains("share=") || p.contains("replytocom")),
        "{first:?}"
    );
    // Read once: the three comments feeds and the tag feed.
    assert_eq!(first.iter().filter(|p| p.ends_with("/feed/")).count(), 5);

    // Unchanged: the home page and its feed are asked again, no per-post
    // or tag feed.
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut second: Vec<String> = s.paths()[first.len()..].to_vec();
    second.sort();
    assert_eq!(second, ["/", "/feed/", "/robots.txt"], "{}", stderr(&o));
    let hits = s.hits.lock().unwrap();
    let feed = hits.iter().rev().find(|h| h.path == "/feed/").unwrap();
    assert_eq!(feed.headers["if-none-match"], "\"f1\"");
}
