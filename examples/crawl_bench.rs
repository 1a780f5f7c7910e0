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
//! `-- postgres` runs that section alone; `-- throughput-links` runs the
//! throughput crawl on articles that each link 50 others). Loopback
//! addresses only.

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum::Router;

// Shared with the tests (the example uses part of it).
#[allow(dead_code)]
#[path = "../tests/common/pg.rs"]
mod pg;
#[path = "crawl_bench/postgres.rs"]
mod postgres;
use postgres::bench_postgres;

type Log = Arc<Mutex<Vec<(Instant, String)>>>;

fn article(host: usize, i: usize) -> String {
    article_linking(host, i, 0, 1)
}

/// An article followed by `links` links to the next articles of its host
/// of `pages` (related stories, as real sites print on every article).
fn article_linking(host: usize, i: usize, links: usize, pages: usize) -> String {
    let related: String = (1..=links)
        .map(|k| format!("<li><a href=/a/{}>Related {k}</a></li>", (i + k) % pages))
        .collect();
    let para = format!(
        "<p>Report {i} from host {host}: the council met on Tuesday to discuss the budget, and the debate ran late into the evening as members weighed every line of the proposal in detail.</p>"
    );
    let body: String = std::iter::repeat_n(para, 100).collect();
    format!("<!doctype html><html lang=en><head><title>Story {host}-{i}</title><meta property=og:type content=article></head><body><article><h1>Story {host}-{i}</h1>{body}</article><aside><ul>{related}</ul></aside></body></html>")
}

fn listing(n: usize) -> String {
    let items: String = (0..n)
        .map(|i| format!("<li><a href=/a/{i}>Headline {i}</a></li>"))
        .collect();
    format!("<!doctype html><html><head><title>Home</title><meta property=og:type content=website></head><body><ul>{items}</ul></body></html>")
}

fn sitemap(base: &str, n: usize) -> String {
    let urls: String = (0..n)
        .map(|i| format!("<url><loc>{base}/a/{i}</loc></url>"))
        .collect();
    format!("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>")
}

async fn serve(
    rt: &tokio::runtime::Runtime,
    ip: &str,
    idx: usize,
    pages: usize,
    log: Log,
) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind(format!("{ip}:0"))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().fallback(move |req: Request| {
        let log = log.clone();
        async move {
            let path = req.uri().path().to_string();
            log.lock()
                .unwrap()
                .push((Instant::now(), format!("{addr}{path}")));
            let inm = req.headers().get("if-none-match").is_some();
            let (status, ct, body) = match path.as_str() {
                "/robots.txt" => (404, "text/plain", String::new()),
                "/" | "/sitemap.xml" if inm => (304, "text/html", String::new()),
                "/" => (200, "text/html", listing(pages)),
                "/sitemap.xml" => (
                    200,
                    "application/xml",
                    sitemap(&format!("http://{addr}"), pages),
                ),
                p => {
                    let i: usize = p.trim_start_matches("/a/").parse().unwrap_or(0);
                    (200, "text/html", article(idx, i))
                }
            };
            Response::builder()
                .status(status)
                .header("content-type", ct)
                .header("etag", "\"v1\"")
                .body(Body::from(body))
                .unwrap()
        }
    });
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn bin() -> String {
    std::env::var("NEWSCRAWL_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/newscrawl").to_string()
    })
}

/// Runs a crawl; returns its wall time, its stderr and its own peak RSS
/// (KiB). The peak is the child's VmHWM, polled: `RUSAGE_CHILDREN`'s
/// `ru_maxrss` counts, through exec, the RSS this process had when it
/// forked (a gigabyte after reading earlier outputs), not the crawler's.
fn crawl(args: &[String]) -> (Duration, String, i64) {
    let t = Instant::now();
    let mut child = Command::new(bin())
        .arg("crawl")
        .args(args)
        .env("NO_PROXY", "*")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let hwm = poll_hwm(&mut child);
    let el = t.elapsed();
    (el, reader.join().unwrap(), hwm as i64)
}

/// Waits for `child`, polling its VmHWM (KiB); returns the last seen.
fn poll_hwm(child: &mut std::process::Child) -> u64 {
    let mut hwm = 0;
    let status = format!("/proc/{}/status", child.id());
    while child.try_wait().unwrap().is_none() {
        if let Ok(s) = std::fs::read_to_string(&status) {
            if let Some(l) = s.lines().find(|l| l.starts_with("VmHWM:")) {
                hwm = l
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(hwm);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    hwm
}

/// CPU time (user + system) of the children reaped so far: a crawl's share
/// is the difference around it (nginx is reaped only when it stops).
fn children_cpu() -> Duration {
    // SAFETY: plain getrusage on children.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru);
        ru
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Runs a crawl, polling the child's VmHWM (KiB) until it exits.
fn crawl_polling_rss(args: &[String]) -> (Duration, u64) {
    let t = Instant::now();
    let mut child = Command::new(bin())
        .arg("crawl")
        .args(args)
        .env("NO_PROXY", "*")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let hwm = poll_hwm(&mut child);
    (t.elapsed(), hwm)
}

/// Lines of the file `p`, read in pieces (an output of 200 MB read whole
/// would grow this process, and the RSS of the crawls it forks next).
fn lines(p: &std::path::Path) -> usize {
    use std::io::BufRead;
    std::fs::File::open(p)
        .map(|f| std::io::BufReader::new(f).split(b'\n').count())
        .unwrap_or(0)
}

/// The throughput crawl's arguments: `seeds` at `--rate 200 --concurrency 64`.
fn throughput_args(seeds: &[String], out: &std::path::Path, state: &str) -> Vec<String> {
    let mut args: Vec<String> = seeds
        .iter()
        .flat_map(|s| ["--seed".to_string(), s.clone()])
        .collect();
    args.extend(
        [
            "--rate",
            "200",
            "--concurrency",
            "64",
            "--out",
            out.to_str().unwrap(),
            "--state",
            state,
        ]
        .map(String::from),
    );
    args
}

/// Crawls `seeds` at `--rate 200 --concurrency 64` into a fresh state (and
/// with `--warc` when `warc`); returns the articles written, the wall time,
/// stderr, the crawler's peak RSS (KiB) and its CPU time.
fn throughput(
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

/// The throughput crawl without and with `--warc`, one after the other on
/// the same server: prints both figures and their ratio, and the CPU time
/// per article of the crawler and (when it is nginx) of the server: on a
/// loaded machine wall-clock rates are noise, CPU per article is not.
fn throughput_pair(
    dir: &std::path::Path,
    seeds: &[String],
    served_by: &str,
    nginx: Option<&Nginx>,
) {
    let mut rates = [0.0; 2];
    for (i, warc) in [false, true].into_iter().enumerate() {
        let server = nginx.map(Nginx::cpu);
        let (n, el, err, rss, cpu) = throughput(dir, seeds, warc);
        let server = nginx.map(Nginx::cpu).zip(server).map(|(b, a)| b - a);
        rates[i] = n as f64 / el.as_secs_f64();
        let per = |d: Duration| 1e3 * d.as_secs_f64() / n.max(1) as f64;
        println!(
            "throughput ({served_by}{}): {n} articles (about 20 KB each) from 20 hosts in {:.1} s = {:.0} articles/s; peak RSS of the crawler {} MB",
            if warc { ", --warc" } else { "" },
            el.as_secs_f64(),
            rates[i],
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
    }
    println!(
        "throughput: --warc keeps {:.0}% of the throughput without it",
        100.0 * rates[1] / rates[0]
    );
}

/// An nginx process that is stopped when dropped.
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM, so that the master stops its workers too (SIGKILL would
        // leave them serving).
        // SAFETY: plain kill(2) on our own child.
        unsafe { libc::kill(self.0.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.0.wait();
    }
}

impl Nginx {
    /// CPU time (user + system) so far of the master and its workers.
    fn cpu(&self) -> Duration {
        let master = self.0.id().to_string();
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
        let mut ticks = 0u64;
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // Fields after the command name (which may hold spaces):
            // state ppid ... utime(12th) stime(13th).
            let Some((_, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            let f: Vec<&str> = rest.split_whitespace().collect();
            let pid = entry.file_name();
            if (pid.to_str() == Some(master.as_str()) || f.get(1) == Some(&master.as_str()))
                && f.len() > 12
            {
                ticks += f[11].parse::<u64>().unwrap_or(0) + f[12].parse::<u64>().unwrap_or(0);
            }
        }
        Duration::from_secs_f64(ticks as f64 / hz)
    }
}

/// Writes `hosts` static sites of `pages` articles each under `dir` and
/// serves them with nginx on 127.0.1.10, 127.0.1.11, ... (a new port for
/// each site, so that a server being stopped is never asked).
/// Returns `None` when nginx is not installed or does not start.
fn nginx_site(root: &std::path::Path, hosts: usize, pages: usize) -> Option<(Nginx, Vec<String>)> {
    nginx_site_linking(root, hosts, pages, 0)
}

/// [`nginx_site`] whose articles each link `links` other articles.
fn nginx_site_linking(
    root: &std::path::Path,
    hosts: usize,
    pages: usize,
    links: usize,
) -> Option<(Nginx, Vec<String>)> {
    static NEXT_PORT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(18080);
    let port = NEXT_PORT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let bin = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let mut servers = String::new();
    let mut seeds = vec![];
    for h in 0..hosts {
        let site = root.join(format!("site{h}"));
        std::fs::create_dir_all(site.join("a")).ok()?;
        std::fs::write(site.join("index.html"), listing(pages)).ok()?;
        for i in 0..pages {
            let page = article_linking(h, i, links, pages);
            std::fs::write(site.join("a").join(i.to_string()), page).ok()?;
        }
        let ip = format!("127.0.1.{}", 10 + h);
        servers.push_str(&format!(
            "server {{ listen {ip}:{port}; root {}; default_type text/html; access_log off; }}\n",
            site.display()
        ));
        seeds.push(format!("http://{ip}:{port}/"));
    }
    let conf = root.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "worker_processes 1;\nerror_log {}/error.log;\npid {}/nginx.pid;\nevents {{ worker_connections 1024; }}\nhttp {{ keepalive_requests 100000; {servers} }}\n",
            root.display(),
            root.display()
        ),
    )
    .ok()?;
    let child = Command::new(bin)
        .args([
            "-p",
            root.to_str()?,
            "-c",
            conf.to_str()?,
            "-g",
            "daemon off;",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let nginx = Nginx(child);
    for _ in 0..50 {
        if std::net::TcpStream::connect(format!("127.0.1.10:{port}")).is_ok() {
            return Some((nginx, seeds));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// Serves `hosts` in-process sites of `articles` articles each on
/// `{prefix}.10`, `{prefix}.11`, ...; returns their home pages (the seeds).
fn serve_hosts(
    rt: &tokio::runtime::Runtime,
    prefix: &str,
    hosts: usize,
    articles: usize,
) -> Vec<String> {
    let log: Log = Arc::default();
    (0..hosts)
        .map(|h| {
            let a = rt.block_on(serve(
                rt,
                &format!("{prefix}.{}", 10 + h),
                h,
                articles,
                log.clone(),
            ));
            format!("http://{a}/")
        })
        .collect()
}

/// Section 2: throughput over 20 hosts.
fn bench_throughput(rt: &tokio::runtime::Runtime, dir: &std::path::Path) {
    // 2. Throughput, served by nginx when it is installed (as the issue
    // measures it), else by the in-process server.
    match nginx_site(&dir.join("nginx"), 20, 500) {
        Some((nginx, seeds)) => {
            throughput_pair(dir, &seeds, "nginx", Some(&nginx));
            drop(nginx);
        }
        None => {
            let seeds = serve_hosts(rt, "127.0.1", 20, 500);
            throughput_pair(
                dir,
                &seeds,
                "in-process server; install nginx to measure as the issue does",
                None,
            );
        }
    }
}

/// Section 2 with links: the throughput crawl of articles that each link
/// 50 others of their host (most of them queued already by the home page
/// or an earlier article): CPU per article of the crawler and of nginx.
fn bench_throughput_links(dir: &std::path::Path) {
    let Some((nginx, seeds)) = nginx_site_linking(&dir.join("nginx-links"), 20, 500, 50) else {
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
fn bench_scale(dir: &std::path::Path) {
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

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    match std::env::args().nth(1).as_deref() {
        Some("throughput") => {
            bench_throughput(&rt, dir.path());
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

    bench_throughput(&rt, dir.path());

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
