//! Three crawler processes on one PostgreSQL state (the server in
//! `NEWSCRAWL_TEST_POSTGRES`; each test says loudly that it is skipped when
//! it is not set), 20 loopback hosts of 150 articles each, one worker
//! SIGKILLed mid-crawl after a number of articles served to it (counted by
//! the servers, not timed). At the end:
//!
//! - every article is in exactly one worker's output (the killed worker is
//!   started again, as systemd would, which cuts its uncommitted tail);
//! - no host ever had two requests in flight, nor two requests arriving
//!   closer than 1/R less [`JITTER`];
//! - the killed worker's hosts were finished by the others, and not before
//!   its leases expired.
//!
//! The worker killed is the first one served `kill_after` articles (hosts
//! are spread over the workers by the crawlers' fair share).
//!
//! `ten_kills_at_random_moments` (ignored; `.ci/run` runs it with
//! `--ignored`) repeats the crawl ten times with the kill at a random count.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use common::*;

const HOSTS: usize = 20;
const ARTICLES: usize = 150;
const WORKERS: usize = 3;
/// Requests per second per host.
const RATE: u64 = 4;
/// How far two requests' arrivals at a host may come closer than 1/R (here
/// 250 ms). The crawler spaces the moments its requests leave; the way from
/// its task to the server's handler takes more or less time each time, and
/// a crawler process (or this test's servers) that the machine leaves
/// without a core for a moment (three crawlers, PostgreSQL and the servers
/// share two cores, and other work may run beside them) delays whatever it
/// had just sent: measured on a machine with a load of 10 (other builds
/// running), the smallest gaps were 138 ms within one crawler (a 60 ms
/// stall of one process) and never under 1/R between two crawlers (a host
/// passing from one to another); with three parallel builds beside it,
/// 119 ms within one crawler (an 81 ms stall); with a load of 8 (debug
/// binaries, two release builds beside them), 47 ms at 200 ms spacing (a
/// 153 ms stall, at one moment on four hosts). What this test is for, two
/// crawlers at one host at once, shows gaps near zero: a request closer
/// than 50 ms to the previous one is counted.
const JITTER: Duration = Duration::from_millis(200);

/// How long after the kill a request the victim had already sent may still
/// be read by a server (it was in the socket, not sent by a dead process).
const ON_THE_WIRE: Duration = Duration::from_secs(1);
/// `--lease-secs` and `--timeout` of the workers (a short lease, so the
/// killed worker's hosts pass to the others within seconds).
const LEASE_SECS: u64 = 4;
const TIMEOUT_SECS: u64 = 2;
/// How long a request is held by the server (so that two requests in
/// flight at once would overlap visibly).
const SERVICE: Duration = Duration::from_millis(5);

/// One request as a host saw it.
#[derive(Debug, Clone)]
struct Hit {
    arrived: Instant,
    /// Which worker (from its User-Agent), 0 for an unknown agent.
    worker: usize,
    path: String,
}

#[derive(Default)]
struct HostLog {
    hits: Vec<Hit>,
    in_flight: usize,
    max_in_flight: usize,
}

/// One request in flight at a host: it ends when the answer is made or when
/// the server drops the request because its client went away (a killed
/// worker's request), whichever comes first.
struct InFlight(Arc<Mutex<HostLog>>);

impl InFlight {
    fn begin(log: Arc<Mutex<HostLog>>) -> Self {
        let mut l = log.lock().unwrap();
        l.in_flight += 1;
        l.max_in_flight = l.max_in_flight.max(l.in_flight);
        drop(l);
        Self(log)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.lock().unwrap().in_flight -= 1;
    }
}

/// The 20 hosts, their logs and the articles served per worker.
struct Sites {
    addrs: Vec<SocketAddr>,
    logs: Vec<Arc<Mutex<HostLog>>>,
    articles_served: Arc<[AtomicUsize; WORKERS + 1]>,
    _rt: tokio::runtime::Runtime,
}

fn listing() -> String {
    let items: String = (0..ARTICLES)
        .map(|i| format!("<li><a href=\"/a/{i}\">Headline {i}</a></li>"))
        .collect();
    format!("<!doctype html><html><head><title>Home</title><meta property=\"og:type\" content=\"website\"></head><body><ul>{items}</ul></body></html>")
}

impl Sites {
    fn start() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let served: Arc<[AtomicUsize; WORKERS + 1]> = Arc::new(Default::default());
        let listing = Arc::new(listing());
        let mut addrs = Vec::new();
        let mut logs = Vec::new();
        for h in 0..HOSTS {
            let log: Arc<Mutex<HostLog>> = Arc::default();
            let listener = rt
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .unwrap();
            let addr = listener.local_addr().unwrap();
            let (log2, served2, listing2) = (log.clone(), served.clone(), listing.clone());
            let app = Router::new().fallback(move |req: Request| {
                let (log, served, listing) = (log2.clone(), served2.clone(), listing2.clone());
                async move {
                    let path = req.uri().path().to_string();
                    let ua = req
                        .headers()
                        .get("user-agent")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    let worker = (1..=WORKERS)
                        .find(|w| ua.ends_with(&format!("-w{w}")))
                        .unwrap_or(0);
                    let in_flight = InFlight::begin(log.clone());
                    {
                        let mut l = log.lock().unwrap();
                        l.hits.push(Hit {
                            arrived: Instant::now(),
                            worker,
                            path: path.clone(),
                        });
                    }
                    tokio::time::sleep(SERVICE).await;
                    let body = match path.as_str() {
                        "/robots.txt" => "User-agent: *\nAllow: /\n".to_string(),
                        "/" => listing.to_string(),
                        p => {
                            served[worker].fetch_add(1, Ordering::SeqCst);
                            article(&format!("Story {h} {p}"), &["/"])
                        }
                    };
                    let ct = if path == "/robots.txt" {
                        "text/plain"
                    } else {
                        "text/html"
                    };
                    drop(in_flight);
                    Response::builder()
                        .header("content-type", ct)
                        .body(Body::from(body))
                        .unwrap()
                }
            });
            rt.spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
            addrs.push(addr);
            logs.push(log);
        }
        Self {
            addrs,
            logs,
            articles_served: served,
            _rt: rt,
        }
    }

    fn served(&self, worker: usize) -> usize {
        self.articles_served[worker].load(Ordering::SeqCst)
    }

    fn all_articles(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .addrs
            .iter()
            .flat_map(|a| (0..ARTICLES).map(move |i| format!("http://{a}/a/{i}")))
            .collect();
        v.sort();
        v
    }
}

fn spawn_worker(dir: &Path, sites: &Sites, state: &str, w: usize) -> Child {
    let mut args: Vec<String> = sites
        .addrs
        .iter()
        .flat_map(|a| ["--seed".to_string(), format!("http://{a}/")])
        .collect();
    let out = dir.join(format!("out-w{w}.jsonl"));
    args.extend(
        [
            "--out",
            out.to_str().unwrap(),
            "--state",
            state,
            "--worker",
            &format!("w{w}"),
            "--user-agent",
            &format!("newscrawl-test-w{w}"),
            "--rate",
            &RATE.to_string(),
            "--concurrency",
            "16",
            "--lease-secs",
            &LEASE_SECS.to_string(),
            "--timeout",
            &TIMEOUT_SECS.to_string(),
        ]
        .map(String::from),
    );
    let mut c = crawl_command(dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    // The crawlers yield the cores to the servers, so that the servers'
    // clocks see requests arrive when they arrive.
    // SAFETY: setpriority in the child before exec, no allocation.
    unsafe {
        c.pre_exec(|| {
            libc::setpriority(libc::PRIO_PROCESS, 0, 10);
            Ok(())
        });
    }
    c.stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// What one crawl with a kill measured.
#[derive(Debug)]
#[allow(dead_code)] // read through Debug, in the reports
struct Run {
    kill_after: usize,
    victim: usize,
    /// Articles served to each worker (the victim's until its death).
    served: [usize; WORKERS],
    articles: usize,
    duplicated: usize,
    lost: usize,
    max_in_flight: usize,
    min_gap: Duration,
    /// The smallest gap between requests of two different workers.
    min_gap_across: Duration,
    close_gaps: usize,
    /// Hosts it held when killed.
    held: usize,
    /// Of those, hosts that had work left and were finished by the others.
    taken_over: usize,
    /// The first request of another worker to one of them, after the kill.
    earliest_takeover: Duration,
    /// robots.txt requests (shared through the state: once per host, twice
    /// where the victim died before committing it).
    robots: usize,
    secs: f64,
}

/// Crawls with three workers, kills the first one served `kill_after`
/// articles, and measures.
fn crawl_with_a_kill(server: &str, kill_after: usize) -> Run {
    let (schema, state) = common::pg::fresh_state(server);
    let sites = Sites::start();
    let d = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut children: Vec<Child> = (1..=WORKERS)
        .map(|w| spawn_worker(d.path(), &sites, &state, w))
        .collect();
    // The first worker served `kill_after` articles dies.
    let victim = loop {
        if let Some(w) = (1..=WORKERS).find(|w| sites.served(*w) >= kill_after) {
            break w;
        }
        for (i, c) in children.iter_mut().enumerate() {
            if let Some(status) = c.try_wait().unwrap() {
                panic!(
                    "worker {} ended ({status}) before any reached {kill_after} articles",
                    i + 1
                );
            }
        }
        assert!(started.elapsed() < Duration::from_secs(120), "too slow");
        std::thread::sleep(Duration::from_millis(2));
    };
    children[victim - 1].kill().unwrap();
    let killed_at = Instant::now();
    children[victim - 1].wait().unwrap();
    // The hosts it held when it died (its leases run on until they expire).
    let held: BTreeSet<String> = common::pg::strings(
        &state,
        &format!("SELECT host FROM hosts WHERE lease_owner = 'w{victim}'"),
    )
    .into_iter()
    .collect();
    for (i, c) in children.into_iter().enumerate() {
        if i + 1 != victim {
            let o = wait_limit(c, Duration::from_secs(300));
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    // The killed worker started again: its uncommitted tail is cut (it
    // reads its seeds again, nothing else).
    let restarted_at = Instant::now();
    let o = wait_limit(
        spawn_worker(d.path(), &sites, &state, victim),
        Duration::from_secs(120),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for w in 1..=WORKERS {
        for u in urls(&records(&d.path().join(format!("out-w{w}.jsonl")))) {
            *seen.entry(u).or_default() += 1;
        }
    }
    let want = sites.all_articles();
    let got: BTreeSet<&String> = seen.keys().collect();
    let lost = want.iter().filter(|u| !got.contains(u)).count();
    let duplicated = seen.values().filter(|n| **n > 1).count();
    let spacing = Duration::from_millis(1000 / RATE);
    let (mut max_in_flight, mut min_gap, mut close_gaps) = (0, Duration::MAX, 0);
    let mut min_gap_across = Duration::MAX;
    let (mut taken_over, mut earliest_takeover, mut robots) = (0, Duration::MAX, 0);
    for (log, addr) in sites.logs.iter().zip(&sites.addrs) {
        let l = log.lock().unwrap();
        max_in_flight = max_in_flight.max(l.max_in_flight);
        let robots_here = l.hits.iter().filter(|h| h.path == "/robots.txt").count();
        assert!(
            (1..=2).contains(&robots_here),
            "robots.txt asked {robots_here} times"
        );
        robots += robots_here;
        let mut hits = l.hits.clone();
        hits.sort_by_key(|h| h.arrived);
        for w in hits.windows(2) {
            let gap = w[1].arrived - w[0].arrived;
            min_gap = min_gap.min(gap);
            if w[0].worker != w[1].worker {
                min_gap_across = min_gap_across.min(gap);
            }
            close_gaps += usize::from(gap + JITTER < spacing);
            if gap + JITTER < spacing {
                report(&format!(
                    "close: {gap:?} between w{} {} and w{} {} on {addr}",
                    w[0].worker, w[0].path, w[1].worker, w[1].path
                ));
            }
        }
        // A host the victim held when it died, with work left: taken over
        // by another worker once the lease expired.
        let after: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.arrived >= killed_at && h.arrived < restarted_at)
            .collect();
        if held.contains(&addr.to_string()) && after.iter().any(|h| h.path.starts_with("/a/")) {
            taken_over += 1;
            earliest_takeover = earliest_takeover.min(after[0].arrived - killed_at);
        }
        // A request the victim wrote before the kill may still be read from
        // the socket just after it (a loaded machine delays the server):
        // nothing later than that.
        assert!(
            after
                .iter()
                .all(|h| h.worker != victim || h.arrived < killed_at + ON_THE_WIRE),
            "worker {victim} after its death"
        );
    }
    common::pg::drop_schema(server, &schema);
    Run {
        kill_after,
        victim,
        served: [sites.served(1), sites.served(2), sites.served(3)],
        articles: seen.len(),
        duplicated,
        lost,
        max_in_flight,
        min_gap,
        min_gap_across,
        close_gaps,
        held: held.len(),
        taken_over,
        earliest_takeover,
        robots,
        secs,
    }
}

fn assert_run(r: &Run) {
    let report = format!("{r:?}");
    assert_eq!((r.lost, r.duplicated), (0, 0), "{report}");
    assert_eq!(r.articles, HOSTS * ARTICLES, "{report}");
    assert_eq!(r.max_in_flight, 1, "{report}");
    assert_eq!(r.close_gaps, 0, "{report}");
    assert!(
        r.taken_over > 0,
        "no host of the killed worker was left to take over: {report}"
    );
    // Not before the killed worker's leases could expire: its last renewal
    // was at most a renewal interval (half a second here) before the kill.
    assert!(
        r.earliest_takeover >= Duration::from_secs(LEASE_SECS) - Duration::from_secs(1),
        "{report}"
    );
}

/// Visible whatever the test harness captures.
fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn three_workers_one_killed_every_article_once_and_polite() {
    let Some(server) = common::pg::url_or_skip(
        "pg_workers::three_workers_one_killed_every_article_once_and_polite",
    ) else {
        return;
    };
    let r = crawl_with_a_kill(&server, 200);
    report(&format!("pg_workers: {r:?}"));
    assert_run(&r);
}

#[test]
#[ignore = "ten crawls of 3,000 articles (a few minutes): run with --ignored"]
fn ten_kills_at_random_moments() {
    let Some(server) = common::pg::url_or_skip("pg_workers::ten_kills_at_random_moments") else {
        return;
    };
    // NEWSCRAWL_PG_KILL_RUNS=N for fewer (CI) or more repetitions.
    let runs = std::env::var("NEWSCRAWL_PG_KILL_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    let mut rng = fastrand::Rng::new();
    for i in 0..runs {
        let r = crawl_with_a_kill(&server, rng.usize(50..700));
        report(&format!("pg_workers run {}: {r:?}", i + 1));
        assert_run(&r);
    }
}
