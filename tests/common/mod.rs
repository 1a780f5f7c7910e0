//! Loopback test servers (127.0.0.x only) and helpers to run the built binary.
#![allow(dead_code)]

pub mod datasets;
pub mod pg;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Router;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    /// When it arrived.
    pub at: Instant,
    /// Path and query.
    pub path: String,
    /// Request headers.
    pub headers: HeaderMap,
}

/// What a handler answers.
pub enum Reply {
    /// A whole response.
    Full(u16, Vec<(String, String)>, Vec<u8>),
    /// A body trickled one byte per 300 ms, forever.
    Trickle,
    /// A body of this many bytes, streamed.
    Huge(usize),
}

/// Shorthand for a 200 HTML reply.
pub fn html(body: impl Into<String>) -> Reply {
    Reply::Full(
        200,
        vec![("content-type".into(), "text/html; charset=utf-8".into())],
        body.into().into_bytes(),
    )
}

/// Shorthand for a reply with a status, content type and body.
pub fn reply(status: u16, ct: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Full(
        status,
        vec![("content-type".into(), ct.into())],
        body.into(),
    )
}

type Handler = dyn Fn(&Hit) -> Reply + Send + Sync;

/// A running loopback server.
pub struct Server {
    /// Its address.
    pub addr: SocketAddr,
    /// Requests seen.
    pub hits: Arc<Mutex<Vec<Hit>>>,
    _rt: tokio::runtime::Runtime,
}

impl Server {
    /// Starts a server on `ip` (a 127.x address) with a handler.
    pub fn start(ip: &str, handler: impl Fn(&Hit) -> Reply + Send + Sync + 'static) -> Self {
        assert!(ip.starts_with("127."), "tests use loopback only");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let listener = rt
            .block_on(tokio::net::TcpListener::bind(format!("{ip}:0")))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let h2 = hits.clone();
        let app = Router::new().fallback(move |req: Request| {
            let hits = h2.clone();
            let handler = handler.clone();
            async move {
                let path = req
                    .uri()
                    .path_and_query()
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                let hit = Hit {
                    at: Instant::now(),
                    path,
                    headers: req.headers().clone(),
                };
                hits.lock().unwrap().push(hit.clone());
                match handler(&hit) {
                    Reply::Full(status, headers, body) => {
                        let mut r =
                            Response::builder().status(StatusCode::from_u16(status).unwrap());
                        for (k, v) in headers {
                            r = r.header(k, v);
                        }
                        r.body(Body::from(body)).unwrap()
                    }
                    Reply::Trickle => {
                        let stream = futures_util::stream::unfold((), |()| async {
                            tokio::time::sleep(Duration::from_millis(300)).await;
                            Some((
                                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b" ")),
                                (),
                            ))
                        });
                        Response::builder()
                            .header("content-type", "text/html")
                            .body(Body::from_stream(stream))
                            .unwrap()
                    }
                    Reply::Huge(n) => {
                        let chunk = axum::body::Bytes::from(vec![b'a'; 64 * 1024]);
                        let count = n.div_ceil(64 * 1024);
                        let stream = futures_util::stream::iter(
                            (0..count).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
                        );
                        Response::builder()
                            .header("content-type", "text/html")
                            .body(Body::from_stream(stream))
                            .unwrap()
                    }
                }
            }
        });
        rt.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            addr,
            hits,
            _rt: rt,
        }
    }

    /// `http://addr` + path.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The host key (`ip:port`).
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// Paths requested, in order.
    pub fn paths(&self) -> Vec<String> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .map(|h| h.path.clone())
            .collect()
    }

    /// How many times a path was requested.
    pub fn count(&self, path: &str) -> usize {
        self.paths().iter().filter(|p| *p == path).count()
    }

    /// Smallest gap between consecutive requests.
    pub fn min_gap(&self) -> Duration {
        let hits = self.hits.lock().unwrap();
        hits.windows(2)
            .map(|w| w[1].at.duration_since(w[0].at))
            .min()
            .unwrap_or(Duration::MAX)
    }
}

/// A news article page with enough prose to count as one.
pub fn article(title: &str, links: &[&str]) -> String {
    let links: String = links
        .iter()
        .map(|l| format!("<a href=\"{l}\">link</a> "))
        .collect();
    let para = |i: usize| {
        format!(
            "<p>{title}: paragraph {i} of this report describes in some detail what happened, who said what, and why it matters to the readers of this newspaper today.</p>"
        )
    };
    let body: String = (0..6).map(para).collect();
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title><meta property=\"og:type\" content=\"article\"></head>\
         <body><nav>{links}</nav><article><h1>{title}</h1>{body}</article></body></html>"
    )
}

/// A listing page (not an article) linking to `links`.
pub fn listing(links: &[&str]) -> String {
    let items: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">Headline for {l}</a></li>"))
        .collect();
    format!("<!doctype html><html><head><title>Home</title><meta property=\"og:type\" content=\"website\"></head><body><ul>{items}</ul></body></html>")
}

/// The built binary.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newscrawl"));
    c.env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY");
    c.env("NO_PROXY", "*");
    c
}

/// `newscrawl crawl` with args, run in `dir`.
pub fn crawl_command(dir: &Path, args: &[&str]) -> Command {
    let mut c = bin();
    c.arg("crawl").args(args).current_dir(dir);
    c
}

/// Runs a command with its output captured, within a time limit.
pub fn output_within_limit(mut c: Command) -> Output {
    let child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_limit(child, Duration::from_secs(60))
}

/// What `newscrawl state stats --state STATE` prints.
pub fn state_stats(state: &Path) -> String {
    let o = bin()
        .args(["state", "stats", "--state", state.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs `newscrawl crawl` with args, within a time limit.
pub fn crawl(dir: &Path, args: &[&str]) -> Output {
    output_within_limit(crawl_command(dir, args))
}

/// The arguments of `crawl --seed S... --out OUT --state STATE`, then `extra`.
pub fn crawl_args<'a>(
    seeds: &[&'a str],
    out: &'a Path,
    state: &'a Path,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = Vec::new();
    for s in seeds {
        args.extend(["--seed", s]);
    }
    args.extend([
        "--out",
        out.to_str().expect("a UTF-8 temp path"),
        "--state",
        state.to_str().expect("a UTF-8 temp path"),
    ]);
    args.extend_from_slice(extra);
    args
}

/// Waits for a child, killing it after `limit`.
pub fn wait_limit(mut child: Child, limit: Duration) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "timed out; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The records of a JSONL file (asserting every line is whole JSON).
pub fn records(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "partial last line in {}",
        path.display()
    );
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

/// The `url` fields of records.
pub fn urls(recs: &[serde_json::Value]) -> Vec<String> {
    let mut v: Vec<String> = recs
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// A temp dir with `out.jsonl` and `state.db` paths.
pub fn workdir() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out.jsonl");
    let st = d.path().join("state.db");
    (d, out, st)
}

/// The configs of the fixture sites (invented `*.example` hosts, which the
/// built-in set must not hold): `fixtures/selectors`.
pub fn fixture_selectors() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/selectors")
        .display()
        .to_string()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The count the end summary gives for `reason` in its skipped, failed or
/// walls lists (`  skipped N: reason N, reason N`), None when it is not listed.
/// Exact: "robots" never matches "robots.txt unavailable", nor 1 match 10.
pub fn summary_count(stderr: &str, reason: &str) -> Option<u64> {
    stderr
        .lines()
        .filter(|l| {
            l.starts_with("  skipped ") || l.starts_with("  failed ") || l.starts_with("  walls ")
        })
        .filter_map(|l| l.split_once(": ").map(|(_, list)| list))
        .flat_map(|list| list.split(", "))
        .filter_map(|item| item.rsplit_once(' '))
        .find(|(name, _)| *name == reason)
        .map(|(_, n)| n.parse().expect("a count"))
}

/// Writes fixture `NAME`'s page gzip-compressed to `dest` (a corpus page).
pub fn gzip_fixture_page(fixture: &str, dest: &Path) {
    let page = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture)
        .join("page.html");
    let mut gz =
        flate2::write::GzEncoder::new(std::fs::File::create(dest).unwrap(), Default::default());
    std::io::Write::write_all(&mut gz, &std::fs::read(page).unwrap()).unwrap();
    gz.finish().unwrap();
}
