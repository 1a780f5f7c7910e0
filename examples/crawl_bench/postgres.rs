//! Section 7 of the crawl benchmarks: the throughput crawl on SQLite and on
//! PostgreSQL with 1, 2 and 3 worker processes at once, and claiming from a
//! 1,000,000-URL frontier on PostgreSQL.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{bin, lines, nginx_site, pg, serve_hosts, thousand_urls, throughput_args};

/// Crawls `seeds` with `workers` processes at once on the state `state`
/// (`--worker bench-N`, each its own output, named after `label`: an
/// output belongs to one state); returns the articles written by all and
/// the time until the last one ended.
fn crawl_workers(
    dir: &std::path::Path,
    seeds: &[String],
    (state, label): (&str, &str),
    workers: usize,
) -> (usize, Duration) {
    let t = Instant::now();
    let outs: Vec<std::path::PathBuf> = (1..=workers)
        .map(|w| dir.join(format!("{label}-{workers}-{w}.jsonl")))
        .collect();
    let children: Vec<std::process::Child> = outs
        .iter()
        .enumerate()
        .map(|(i, out)| {
            Command::new(bin())
                .arg("crawl")
                .args(throughput_args(seeds, out, state))
                .args(["--worker", &format!("bench-{}", i + 1)])
                .env("NO_PROXY", "*")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "a worker failed: {}\n{}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
    }
    (outs.iter().map(|o| lines(o)).sum(), t.elapsed())
}

/// Section 7: the throughput crawl on SQLite and on PostgreSQL with 1, 2
/// and 3 workers; claiming from a 1,000,000-URL frontier on PostgreSQL.
pub(super) fn bench_postgres(rt: &tokio::runtime::Runtime, dir: &std::path::Path) {
    let Ok(server) = std::env::var("NEWSCRAWL_TEST_POSTGRES") else {
        println!("postgres: NEWSCRAWL_TEST_POSTGRES is not set; skipped (scripts/pg-test-cluster.sh start prints a URL)");
        return;
    };
    let nginx = nginx_site(&dir.join("pg-nginx"), 20, 500);
    let seeds: Vec<String> = match &nginx {
        Some((_, seeds)) => seeds.clone(),
        None => serve_hosts(rt, "127.0.4", 20, 500),
    };
    let served_by = if nginx.is_some() {
        "nginx"
    } else {
        "in-process server"
    };
    let sqlite = dir.join("pg-sqlite.db");
    let (n, el) = crawl_workers(dir, &seeds, (sqlite.to_str().unwrap(), "sqlite"), 1);
    let sqlite_rate = n as f64 / el.as_secs_f64();
    println!(
        "postgres: throughput ({served_by}, 20 hosts x 500 articles, --rate 200 --concurrency 64): SQLite state {n} articles in {:.1} s = {sqlite_rate:.0} articles/s",
        el.as_secs_f64()
    );
    for workers in 1..=3 {
        let (schema, state) = pg::fresh_state(&server);
        let (n, el) = crawl_workers(dir, &seeds, (&state, "pg"), workers);
        let rate = n as f64 / el.as_secs_f64();
        println!(
            "postgres: throughput with {workers} worker(s) on PostgreSQL: {n} articles in {:.1} s = {rate:.0} articles/s ({:.2}x SQLite)",
            el.as_secs_f64(),
            rate / sqlite_rate
        );
        pg::drop_schema(&server, &schema);
    }
    drop(nginx);
    bench_pg_claims(&server);
}

/// Claiming from a 1,000,000-URL frontier on PostgreSQL, through the state
/// API as the crawler does: the first claim of each of 50 hosts (a query;
/// the next seven come from the batch it claimed).
fn bench_pg_claims(server: &str) {
    use newscrawl::state::postgres::WorkerId;
    use newscrawl::state::{Batch, CrawlState, PgState};
    let (schema, url) = pg::fresh_state(server);
    let mut st = PgState::open_worker(&url, &WorkerId::parse("bench").unwrap()).unwrap();
    st.begin_run().unwrap();
    let t = Instant::now();
    for chunk in 0..1000 {
        st.commit(&Batch {
            new_urls: thousand_urls(chunk * 1000),
            ..Default::default()
        })
        .unwrap();
    }
    println!(
        "postgres: 1,000,000 URLs queued through commits of 1,000 in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut took: Vec<f64> = (0..50)
        .map(|h| {
            let host = format!("www.example{h}.com");
            st.lease_host(&host, Duration::from_secs(60))
                .unwrap()
                .unwrap();
            let t = Instant::now();
            assert!(st.claim_next(&host).unwrap().is_some());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    took.sort_by(f64::total_cmp);
    println!(
        "postgres: claim from a 1M-URL frontier: median {:.2} ms, slowest {:.2} ms (50 hosts, 8 entries per query)",
        took[took.len() / 2],
        took[took.len() - 1]
    );
    st.end_run(true).unwrap();
    drop(st);
    pg::drop_schema(server, &schema);
}
