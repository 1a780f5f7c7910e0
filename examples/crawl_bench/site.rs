//! The sites the crawl benchmarks crawl: generated articles, listings and
//! sitemaps, served in process (axum) or as static files by nginx.

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum::Router;

/// Requests the in-process servers answered: when, and the address and path.
pub type Log = Arc<Mutex<Vec<(Instant, String)>>>;

pub fn article(host: usize, i: usize) -> String {
    article_linking(host, i, 0, 1)
}

/// An article followed by `links` links to the next articles of its host
/// of `pages` (related stories, as real sites print on every article).
pub fn article_linking(host: usize, i: usize, links: usize, pages: usize) -> String {
    let related: String = (1..=links)
        .map(|k| format!("<li><a href=/a/{}>Related {k}</a></li>", (i + k) % pages))
        .collect();
    let para = format!(
        "<p>Report {i} from host {host}: the council met on Tuesday to discuss the budget, and the debate ran late into the evening as members weighed every line of the proposal in detail.</p>"
    );
    let body: String = std::iter::repeat_n(para, 100).collect();
    format!("<!doctype html><html lang=en><head><title>Story {host}-{i}</title><meta property=og:type content=article></head><body><article><h1>Story {host}-{i}</h1>{body}</article><aside><ul>{related}</ul></aside></body></html>")
}

pub fn listing(n: usize) -> String {
    let items: String = (0..n)
        .map(|i| format!("<li><a href=/a/{i}>Headline {i}</a></li>"))
        .collect();
    format!("<!doctype html><html><head><title>Home</title><meta property=og:type content=website></head><body><ul>{items}</ul></body></html>")
}

pub fn sitemap(base: &str, n: usize) -> String {
    let urls: String = (0..n)
        .map(|i| format!("<url><loc>{base}/a/{i}</loc></url>"))
        .collect();
    format!("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>")
}

pub async fn serve(
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

/// An nginx process that is stopped when dropped.
pub struct Nginx(std::process::Child);

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
    pub fn cpu(&self) -> Duration {
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
pub fn nginx_site(
    root: &std::path::Path,
    hosts: usize,
    pages: usize,
) -> Option<(Nginx, Vec<String>)> {
    nginx_site_linking(root, hosts, pages, 0)
}

/// [`nginx_site`] whose articles each link `links` other articles.
pub fn nginx_site_linking(
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
pub fn serve_hosts(
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
