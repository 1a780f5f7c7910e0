//! Sections 2 and 6: throughput over 20 hosts (with and without `--warc`,
//! and with links), and how a crawl grows from 10,000 to 100,000 articles.

use std::time::Duration;

use super::run::{children_cpu, crawl, crawl_polling_rss, lines, throughput_args};
use super::site::{nginx_site, nginx_site_linking, serve_hosts, Nginx};

/// Crawls `seeds` at `--rate 200 --concurrency 64` into a fresh state (and
/// with `--warc` when `warc`); returns the articles written, the wall time,
/// stderr, the crawler's peak RSS (KiB) and its CPU time.
pub fn throughput(
    dir: &std::path::Path,
    seeds: &[String],
    warc: bool,
) -> (usize, Duration, String, i64, Duration) {
    let run = dir.join(if warc { "t-warc" } else { "t" });
    std::fs::create_dir_all(&run).unwrap();
    let out = run.join("t.jsonl");
    let mut args = throughput_args(seeds, &out, run.join("t.db").to_str().unwrap());
    if warc {
        args.extend(["--warc".into(), run.join("warc").display().to_string()]);
    }
    let cpu = children_cpu();
    let (el, err, rss) = crawl(&args);
    (lines(&out), el, err, rss, children_cpu() - cpu)
}

/// One throughput crawl (with `--warc` when `warc`) on `seeds`: prints its
/// articles/s, peak RSS and CPU time per article of the crawler and (when
/// it is nginx) of the server; returns the articles/s. On a loaded machine
/// wall-clock rates are noise, CPU per article is not.
fn throughput_run(
    dir: &std::path::Path,
    seeds: &[String],
    served_by: &str,
    nginx: Option<&Nginx>,
    warc: bool,
) -> f64 {
    let server = nginx.map(Nginx::cpu);
    let (n, el, err, rss, cpu) = throughput(dir, seeds, warc);
    let server = nginx.map(Nginx::cpu).zip(server).map(|(b, a)| b - a);
    let rate = n as f64 / el.as_secs_f64();
    let per = |d: Duration| 1e3 * d.as_secs_f64() / n.max(1) as f64;
    println!(
        "throughput ({served_by}{}): {n} articles (about 20 KB each) from 20 hosts in {:.1} s = {:.0} articles/s; peak RSS of the crawler {} MB",
        if warc { ", --warc" } else { "" },
        el.as_secs_f64(),
        rate,
        rss / 1024
    );
    println!(
        "throughput CPU per article{}: crawler {:.3} ms{}; crawler cores busy {:.2} (CPU s / wall s)",
        if warc { " (--warc)" } else { "" },
        per(cpu),
        server.map_or(String::new(), |s| format!(", nginx {:.3} ms", per(s))),
        cpu.as_secs_f64() / el.as_secs_f64()
    );
    eprint!("{err}");
    rate
}

/// The throughput crawl without `--warc` and, when `with_warc`, with it,
/// one after the other on the same server, and the ratio of the two rates.
pub fn throughput_pair(
    dir: &std::path::Path,
    seeds: &[String],
    served_by: &str,
    nginx: Option<&Nginx>,
    with_warc: bool,
) {
    let plain = throughput_run(dir, seeds, served_by, nginx, false);
    if with_warc {
        let warc = throughput_run(dir, seeds, served_by, nginx, true);
        println!(
            "throughput: --warc keeps {:.0}% of the throughput without it",
            100.0 * warc / plain
        );
    }
}

/// Section 2: throughput over 20 hosts (and with `--warc` when `with_warc`;
/// a binary older than `--warc` is measured without).
pub fn bench_throughput(rt: &tokio::runtime::Runtime, dir: &std::path::Path, with_warc: bool) {
    let pages = pages_per_host();
    // 2. Throughput, served by nginx when it is installed (as the issue
    // measures it), else by the in-process server.
    match nginx_site(&dir.join("nginx"), 20, pages) {
        Some((nginx, seeds)) => {
            throughput_pair(dir, &seeds, "nginx", Some(&nginx), with_warc);
            drop(nginx);
        }
        None => {
            let seeds = serve_hosts(rt, "127.0.1", 20, pages);
            throughput_pair(
                dir,
                &seeds,
                "in-process server; install nginx to measure as the issue does",
                None,
                with_warc,
            );
        }
    }
}

/// Articles per host of the throughput crawls: 500, or `CRAWL_BENCH_PAGES`
/// (a smaller crawl, e.g. one whose instructions callgrind counts, run with
/// a wrapper script as `NEWSCRAWL_BIN`).
fn pages_per_host() -> usize {
    std::env::var("CRAWL_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(500)
}

/// Section 2 with links: the throughput crawl of articles that each link
/// 50 others of their host (most of them queued already by the home page
/// or an earlier article): CPU per article of the crawler and of nginx.
pub fn bench_throughput_links(dir: &std::path::Path) {
    let pages = pages_per_host();
    let Some((nginx, seeds)) = nginx_site_linking(&dir.join("nginx-links"), 20, pages, 50) else {
        println!("throughput-links: nginx is not installed; skipped");
        return;
    };
    let server = nginx.cpu();
    let (n, el, err, rss, cpu) = throughput(dir, &seeds, false);
    let server = nginx.cpu() - server;
    let per = |d: Duration| 1e3 * d.as_secs_f64() / n.max(1) as f64;
    println!(
        "throughput-links (nginx, 50 links an article): {n} articles in {:.1} s = {:.0} articles/s; peak RSS of the crawler {} MB",
        el.as_secs_f64(),
        n as f64 / el.as_secs_f64(),
        rss / 1024
    );
    println!(
        "throughput-links CPU per article: crawler {:.3} ms, nginx {:.3} ms; crawler cores busy {:.2}",
        per(cpu),
        per(server),
        cpu.as_secs_f64() / el.as_secs_f64()
    );
    eprint!("{err}");
}

/// Section 6: how crawl time, memory and state grow from 10,000 to 100,000
/// articles (20 hosts served by nginx, `--rate 200 --concurrency 64`).
pub fn bench_scale(dir: &std::path::Path) {
    for pages in [500usize, 5000] {
        let root = dir.join(format!("scale{pages}"));
        let Some((nginx, seeds)) = nginx_site(&root, 20, pages) else {
            println!("scale: nginx is not installed; skipped");
            return;
        };
        let out = root.join("s.jsonl");
        let state = root.join("s.db");
        let args = throughput_args(&seeds, &out, state.to_str().unwrap());
        let (el, hwm) = crawl_polling_rss(&args);
        let n = lines(&out);
        let size = std::fs::metadata(&state).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(format!("{}-wal", state.display()))
                .map(|m| m.len())
                .unwrap_or(0);
        println!(
            "scale: {n} articles from 20 hosts in {:.1} s = {:.0} articles/s; peak RSS {} MB; state {:.1} MB",
            el.as_secs_f64(),
            n as f64 / el.as_secs_f64(),
            hwm / 1024,
            size as f64 / 1e6
        );
        drop(nginx);
        let _ = std::fs::remove_dir_all(&root);
    }
}
