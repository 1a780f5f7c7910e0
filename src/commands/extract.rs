//! `newscrawl extract`: one record per input, in input order.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use url::Url;

use crate::cli::{ExtractArgs, Format};
use crate::corpus::read_html_file;
use crate::extract::{extract_page, ExtractError, ExtractOptions, PageInput};
use crate::fetch::host::DEFAULT_RATE;
use crate::fetch::{FetchOptions, Fetcher, PoliteClient, Scope};
use crate::limits::MAX_BODY_BYTES;
use crate::selectors::SiteRegistry;

use super::flags::{check_run_flags, CheckedFlags, RunFlags};
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

/// Fetches URL inputs with the shared polite client (robots.txt per host,
/// spacing, redirects hop by hop, content rules), one at a time.
struct UrlLoader {
    runtime: tokio::runtime::Runtime,
    client: PoliteClient,
}

impl UrlLoader {
    fn new(flags: &CheckedFlags, sites: Arc<SiteRegistry>) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let fetcher = Fetcher::new(FetchOptions {
            user_agent: flags.user_agent.clone(),
            timeout: flags.timeout,
            ..FetchOptions::default()
        })?;
        let client = PoliteClient::new(fetcher, Scope::any(), DEFAULT_RATE, sites);
        Ok(Self { runtime, client })
    }

    fn load(&mut self, url: &Url) -> Result<Loaded> {
        let page = self.runtime.block_on(self.client.get_page(url))?;
        Ok(Loaded {
            bytes: page.body,
            content_type: page.content_type,
            url: Some(page.url),
            fetched_at: Some(page.fetched_at),
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
        Some(u) => Some(page_url(u).map_err(|message| ExitError { code: 2, message })?),
        None => None,
    };
    let flags = check_run_flags(&RunFlags {
        timeout: args.timeout,
        user_agent: args.user_agent.as_deref(),
        ..RunFlags::default()
    })
    .map_err(|message| ExitError { code: 2, message })?;
    if args.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(ExitError {
            code: 2,
            message: "stdin (-) can be read only once".into(),
        }
        .into());
    }
    let sites = Arc::new(load_sites(
        args.source.selectors.as_deref(),
        args.source.no_selectors,
    )?);
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
                        loader = Some(UrlLoader::new(&flags, sites.clone())?);
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
                Err(e) => eprintln!(
                    "newscrawl: {}: {}",
                    chunk[i],
                    strip_prefix(&format!("{e:#}"), &chunk[i])
                ),
            }
        }
    }
    Ok(if written == 0 { 1 } else { 0 })
}

/// Checks `--url`: an absolute http(s) URL with a host.
fn page_url(given: &str) -> Result<Url, String> {
    let u = Url::parse(given).map_err(|e| format!("--url {given}: not a valid URL: {e}"))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "--url {given}: not an http(s) URL (the page's address on the web)"
        ));
    }
    Ok(u)
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
