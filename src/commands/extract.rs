//! `newscrawl extract`: one record per input, in input order.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use rayon::prelude::*;
use url::Url;

use crate::cli::{ExtractArgs, Format};
use crate::corpus::read_html_file;
use crate::extract::{extract_page, ExtractError, ExtractOptions, PageInput};
use crate::fetch::{default_user_agent, FetchOptions, Fetched, Fetcher};
use crate::limits::{MAX_BODY_BYTES, MAX_REDIRECTS};
use crate::robots::Robots;
use crate::selectors::SiteRegistry;

use super::{load_sites, ExitError};

/// One input, loaded.
struct Loaded {
    bytes: Vec<u8>,
    content_type: Option<String>,
    url: Option<Url>,
    fetched_at: Option<chrono::DateTime<chrono::Utc>>,
    local_label: Option<String>,
}

enum Source<'a> {
    Stdin,
    Url(Url),
    File(&'a Path),
}

fn classify(input: &str) -> Source<'_> {
    if input == "-" {
        return Source::Stdin;
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        if let Ok(u) = Url::parse(input) {
            return Source::Url(u);
        }
    }
    Source::File(Path::new(input))
}

/// Fetches URL inputs politely: one robots.txt per host, then the page.
struct UrlLoader {
    runtime: tokio::runtime::Runtime,
    fetcher: Fetcher,
    robots: std::collections::HashMap<String, Robots>,
    /// When each host may next be contacted: at most one request per second
    /// (or the robots.txt Crawl-delay) to a host, as in a crawl.
    next_allowed: std::collections::HashMap<String, std::time::Instant>,
}

impl UrlLoader {
    fn new(args: &ExtractArgs) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let fetcher = Fetcher::new(FetchOptions {
            user_agent: args.user_agent.clone().unwrap_or_else(default_user_agent),
            timeout: Duration::from_secs(args.timeout.max(1)),
            // Redirects are followed here, hop by hop, so that each new
            // host's robots.txt is read and obeyed before it is asked.
            follow_redirects: false,
            ..FetchOptions::default()
        })?;
        Ok(Self {
            runtime,
            fetcher,
            robots: Default::default(),
            next_allowed: Default::default(),
        })
    }

    /// Fetches one URL (no redirect followed) once its host's robots.txt,
    /// read on first contact, allows it.
    fn fetch_allowed(&mut self, url: &Url) -> Result<Fetched> {
        let origin = url.origin().ascii_serialization();
        if !self.robots.contains_key(&origin) {
            self.pace(&origin);
            let r = self.runtime.block_on(self.fetcher.robots_for(url));
            self.robots.insert(origin.clone(), r);
        }
        if !self.robots[&origin].is_allowed(url.as_str()) {
            anyhow::bail!("{url}: disallowed by robots.txt");
        }
        self.pace(&origin);
        Ok(self.runtime.block_on(self.fetcher.get(url, &[]))?)
    }

    /// Waits until `origin` may be contacted again, then books the next slot.
    fn pace(&mut self, origin: &str) {
        let delay = self
            .robots
            .get(origin)
            .and_then(Robots::crawl_delay)
            .map_or(Duration::from_secs(1), |d| {
                Duration::from_secs_f64(d.max(1.0))
            });
        let now = std::time::Instant::now();
        if let Some(&at) = self.next_allowed.get(origin) {
            if at > now {
                std::thread::sleep(at - now);
            }
        }
        self.next_allowed
            .insert(origin.to_string(), std::time::Instant::now() + delay);
    }

    fn load(&mut self, url: &Url) -> Result<Loaded> {
        let mut url = url.clone();
        let mut hops = 0;
        let r = loop {
            let r = self.fetch_allowed(&url)?;
            let location = r
                .headers
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| url.join(l.trim()).ok());
            match location {
                Some(next) if (300..400).contains(&r.status) => {
                    hops += 1;
                    if hops > MAX_REDIRECTS {
                        anyhow::bail!("more than {MAX_REDIRECTS} redirects");
                    }
                    url = next;
                }
                _ => break r,
            }
        };
        if !(200..300).contains(&r.status) {
            anyhow::bail!("HTTP {}", r.status);
        }
        let ct = r.content_type().map(str::to_string);
        if let Some(ct) = &ct {
            let mime = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if !mime.is_empty() && !mime.contains("html") && !mime.starts_with("text/plain") {
                anyhow::bail!("not HTML (Content-Type: {mime})");
            }
        }
        Ok(Loaded {
            bytes: r.body,
            content_type: ct,
            url: Some(r.url),
            fetched_at: Some(r.fetched_at),
            local_label: None,
        })
    }
}

fn load_local(input: &str, path: Option<&Path>, url: Option<&Url>) -> Result<Loaded> {
    let bytes = match path {
        Some(p) => read_html_file(p)
            .map_err(|e| anyhow::anyhow!("{}", strip_prefix(&format!("{e:#}"), input)))?,
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_BODY_BYTES as u64 + 1)
                .read_to_end(&mut buf)?;
            if buf.len() > MAX_BODY_BYTES {
                anyhow::bail!("larger than {MAX_BODY_BYTES} bytes");
            }
            buf
        }
    };
    let local_label = match path {
        Some(p) => std::fs::canonicalize(p)
            .ok()
            .and_then(|abs| Url::from_file_path(abs).ok())
            .map(|u| u.to_string()),
        None => Some("stdin:".to_string()),
    };
    Ok(Loaded {
        bytes,
        content_type: None,
        url: url.cloned(),
        fetched_at: None,
        local_label,
    })
}

/// Error messages from file reading already name the path; avoid naming it twice.
fn strip_prefix(message: &str, input: &str) -> String {
    message
        .strip_prefix(input)
        .map(|m| m.trim_start_matches(':').trim().to_string())
        .unwrap_or_else(|| message.to_string())
}

/// Runs `extract`; returns the exit status.
pub fn run(args: ExtractArgs) -> Result<i32> {
    if args.url.is_some() && args.inputs.len() > 1 {
        return Err(ExitError {
            code: 2,
            message: "--url can only be used with a single input".into(),
        }
        .into());
    }
    let given_url = match &args.url {
        Some(u) => Some(Url::parse(u).map_err(|e| ExitError {
            code: 2,
            message: format!("--url {u}: not a valid URL: {e}"),
        })?),
        None => None,
    };
    if args.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(ExitError {
            code: 2,
            message: "stdin (-) can be read only once".into(),
        }
        .into());
    }
    let sites = load_sites(args.source.selectors.as_deref(), args.source.no_selectors)?;
    let opts = ExtractOptions {
        use_selectors: !args.source.no_selectors,
        ..Default::default()
    };
    let mut loader: Option<UrlLoader> = None;
    let stdout = std::io::stdout();
    let mut written = 0usize;
    let mut first_text = true;
    let chunk_len = rayon::current_num_threads().max(1) * 8;
    for chunk in args.inputs.chunks(chunk_len) {
        let mut loaded: Vec<(usize, Result<Loaded>)> = Vec::with_capacity(chunk.len());
        for (i, input) in chunk.iter().enumerate() {
            let result = match classify(input) {
                Source::Url(u) => {
                    if loader.is_none() {
                        loader = Some(UrlLoader::new(&args)?);
                    }
                    loader.as_mut().expect("just set").load(&u)
                }
                Source::File(p) => load_local(input, Some(p), given_url.as_ref()),
                Source::Stdin => load_local(input, None, given_url.as_ref()),
            };
            loaded.push((i, result));
        }
        let results: Vec<(usize, Result<String>)> = loaded
            .into_par_iter()
            .map(|(i, l)| {
                (
                    i,
                    l.and_then(|l| extract_one(&chunk[i], l, &sites, &opts, args.format)),
                )
            })
            .collect();
        let mut out = stdout.lock();
        for (i, result) in results {
            match result {
                Ok(text) => {
                    if args.format == Format::Text && !first_text {
                        out.write_all(b"\x0c\n")?;
                    }
                    first_text = false;
                    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                        if e.kind() == std::io::ErrorKind::BrokenPipe {
                            return Ok(0);
                        }
                        return Err(e.into());
                    }
                    written += 1;
                }
                Err(e) => eprintln!("newscrawl: {}: {e:#}", chunk[i]),
            }
        }
    }
    Ok(if written == 0 { 1 } else { 0 })
}

fn extract_one(
    input: &str,
    l: Loaded,
    sites: &SiteRegistry,
    opts: &ExtractOptions,
    format: Format,
) -> Result<String> {
    let page = PageInput {
        bytes: &l.bytes,
        content_type: l.content_type.as_deref(),
        url: l.url,
        fetched_at: l.fetched_at,
        local_label: l.local_label,
    };
    let extracted = extract_page(&page, sites, opts)?;
    if !extracted.has_text() {
        return Err(ExtractError::NoText.into());
    }
    if let (Some(reason), Some(site)) = (&extracted.fallback, &extracted.site) {
        eprintln!(
            "newscrawl: warning: {input}: site config `{}` ({}): {reason}; used generic extraction",
            site.name, site.file
        );
    }
    Ok(match format {
        Format::Json => extracted.record.to_json_line(),
        Format::Text => {
            let mut body = extracted.record.body;
            body.push('\n');
            body
        }
    })
}
