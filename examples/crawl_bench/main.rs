//! Crawl benchmarks on loopback, printing figures:
//!
//! 1. politeness: 4 hosts x 500 pages at `--rate 50`, smallest gap between
//!    two requests to one host, measured server-side;
//! 2. throughput: 20 hosts x 500 articles of about 20 KB (static files served
//!    by nginx when it is installed, as the issue measures it) at `--rate 200
//!    --concurrency 64`, articles per second and peak RSS, without and with
//!    `--warc` (and the ratio);
//! 3. re-run: a 1,000-article site with a sitemap, crawled, then crawled
//!    again unchanged at `--rate 100`: requests and time of the second run;
//! 4. state growth: 1M frontier entries written through the state API;
//! 5. frontier: a listing of 10,000 or 100,000 links, 2,000 fetched, peak RSS;
//! 6. scale: 10,000 then 100,000 articles from 20 nginx-served hosts: time,
//!    articles/s, peak RSS and state size;
//! 7. postgres (when `NEWSCRAWL_TEST_POSTGRES` names a server, e.g. one
//!    started by `scripts/pg-test-cluster.sh start`): the throughput crawl
//!    on an SQLite state, then on a PostgreSQL state with 1, 2 and 3 worker
//!    processes at once; and claiming from a 1,000,000-URL frontier.
//!
//! Run with `cargo build --release && cargo run --release --example crawl_bench`
//! (`NEWSCRAWL_BIN` overrides the binary path; `-- throughput`, `-- scale` or
//! `-- postgres` runs that section alone; `-- throughput-plain` runs the
//! throughput crawl without its `--warc` twin, e.g. to compare with a binary
//! older than `--warc`; `-- throughput-links` runs the throughput crawl on
//! articles that each link 50 others; `CRAWL_BENCH_PAGES=N` crawls N articles
//! a host instead of 500 in the throughput sections). Loopback addresses only.

use std::sync::Arc;
use std::time::{Duration, Instant};

// Shared with the tests (the example uses part of it).
#[allow(dead_code)]
#[path = "../../tests/common/pg.rs"]
mod pg;
mod postgres;
mod run;
mod site;
mod throughput;

use postgres::bench_postgres;
use run::{bin, crawl, crawl_polling_rss, lines, throughput_args};
use site::{nginx_site, serve, serve_hosts, Log};
use throughput::{bench_scale, bench_throughput, bench_throughput_links};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    match std::env::args().nth(1).as_deref() {
        Some("throughput") => {
            bench_throughput(&rt, dir.path(), true);
            return;
        }
        Some("throughput-plain") => {
            bench_throughput(&rt, dir.path(), false);
            return;
        }
        Some("throughput-links") => {
            bench_throughput_links(dir.path());
            return;
        }
        Some("scale") => {
            bench_scale(dir.path());
            return;
        }
        Some("postgres") => {
            bench_postgres(&rt, dir.path());
            return;
        }
        _ => {}
    }

    // 1. Politeness.
    let log: Log = Arc::default();
    let mut args = vec![];
    for h in 0..4 {
        let a = rt.block_on(serve(
            &rt,
            &format!("127.0.0.{}", 10 + h),
            h,
            500,
            log.clone(),
        ));
        args.extend(["--seed".to_string(), format!("http://{a}/")]);
    }
    let out = dir.path().join("p.jsonl");
    args.extend(
        [
            "--rate",
            "50",
            "--concurrency",
            "16",
            "--out",
            out.to_str().unwrap(),
            "--state",
        ]
        .map(String::from),
    );
    args.push(dir.path().join("p.db").display().to_string());
    let (el, err, _) = crawl(&args);
    let hits = log.lock().unwrap().clone();
    let mut min_gap = Duration::MAX;
    let mut under = 0;
    for h in 0..4 {
        let prefix = format!("127.0.0.{}", 10 + h);
        let t: Vec<Instant> = hits
            .iter()
            .filter(|x| x.1.starts_with(&prefix))
            .map(|x| x.0)
            .collect();
        for w in t.windows(2) {
            let g = w[1] - w[0];
            min_gap = min_gap.min(g);
            if g < Duration::from_millis(15) {
                under += 1;
            }
        }
    }
    println!(
        "politeness: {} requests to 4 hosts at --rate 50 in {:.1} s; smallest gap {:.1} ms (1/R = 20 ms); gaps under 20 ms - 5 ms jitter: {under}",
        hits.len(),
        el.as_secs_f64(),
        min_gap.as_secs_f64() * 1000.0
    );
    eprint!("{err}");

    bench_throughput(&rt, dir.path(), true);

    // 3. Re-run over an unchanged 1,000-article site.
    let log: Log = Arc::default();
    let a = rt.block_on(serve(&rt, "127.0.2.1", 0, 1000, log.clone()));
    let out = dir.path().join("r.jsonl");
    let args: Vec<String> = [
        "--seed",
        &format!("http://{a}/sitemap.xml"),
        "--rate",
        "100",
        "--concurrency",
        "16",
        "--out",
        out.to_str().unwrap(),
        "--state",
        &dir.path().join("r.db").display().to_string(),
    ]
    .map(String::from)
    .to_vec();
    let (el1, _, _) = crawl(&args);
    let first = log.lock().unwrap().len();
    let (el2, err, _) = crawl(&args);
    let second = log.lock().unwrap().len() - first;
    println!(
        "re-run: first run {} articles, {first} requests in {:.1} s; unchanged second run {second} requests in {:.2} s, {} articles total",
        lines(&out),
        el1.as_secs_f64(),
        el2.as_secs_f64(),
        lines(&out)
    );
    eprint!("{err}");

    // 5. Frontier size: a listing of N links, 2,000 fetches, RSS polled.
    for n in [10_000usize, 100_000] {
        let log: Log = Arc::default();
        let a = rt.block_on(serve(
            &rt,
            &format!("127.0.3.{}", n / 10_000),
            0,
            n,
            log.clone(),
        ));
        let out = dir.path().join(format!("f{n}.jsonl"));
        let args: Vec<String> = [
            "--seed",
            &format!("http://{a}/"),
            "--rate",
            "1000",
            "--max-pages",
            "2000",
            "--out",
            out.to_str().unwrap(),
            "--state",
            &dir.path().join(format!("f{n}.db")).display().to_string(),
        ]
        .map(String::from)
        .to_vec();
        let (el, hwm) = crawl_polling_rss(&args);
        println!(
            "frontier: {n} URLs queued, 2,000 fetched in {:.1} s, peak RSS {} MB",
            el.as_secs_f64(),
            hwm / 1024
        );
    }

    // 4. State growth: frontier entries written through the state trait.
    use newscrawl::state::{Batch, CrawlState, SqliteState};
    let path = dir.path().join("growth.db");
    let mut st = SqliteState::open(&path).unwrap();
    let t = Instant::now();
    for step in 0..10 {
        for chunk in 0..100 {
            st.commit(&Batch {
                new_urls: thousand_urls(step * 100_000 + chunk * 1000),
                ..Default::default()
            })
            .unwrap();
        }
        if step == 0 || step == 9 {
            let size: u64 = ["", "-wal"]
                .iter()
                .map(|s| {
                    std::fs::metadata(format!("{}{s}", path.display()))
                        .map(|m| m.len())
                        .unwrap_or(0)
                })
                .sum();
            println!(
                "state: {} queued URLs -> {:.1} MB on disk ({:.1} s so far)",
                (step + 1) * 100_000,
                size as f64 / 1e6,
                t.elapsed().as_secs_f64()
            );
        }
    }
    st.begin_run().unwrap();
    st.lease_host("www.example7.com", Duration::from_secs(60))
        .unwrap();
    let t = Instant::now();
    let c = st.claim_next("www.example7.com").unwrap();
    println!(
        "state: claim from a 1M-URL frontier took {:.2} ms ({})",
        t.elapsed().as_secs_f64() * 1000.0,
        c.is_some()
    );

    // 6. Growth from 10,000 to 100,000 articles.
    bench_scale(dir.path());

    // 7. PostgreSQL.
    bench_postgres(&rt, dir.path());
}

/// 1,000 frontier entries numbered from `first`, over 50 hosts.
fn thousand_urls(first: usize) -> Vec<newscrawl::state::NewUrl> {
    (first..first + 1000)
        .map(|n| newscrawl::state::NewUrl {
            url: format!(
                "https://www.example{}.com/2024/05/01/some-article-slug-{n}",
                n % 50
            ),
            host: format!("www.example{}.com", n % 50),
            depth: 1,
            kind: newscrawl::state::UrlKind::Page,
            priority: 2,
            hops: 0,
            force: false,
        })
        .collect()
}
