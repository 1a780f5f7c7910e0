//! `newscrawl extract`: one record per page, in input order (archive
//! records in archive order), extracted on all cores.
//!
//! Inputs become pages through [`crate::input::PageSource`] on a reading
//! thread; pages are extracted in parallel in chunks and their records
//! written in order, so the output does not depend on the number of threads.

use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::time::Duration;

use anyhow::Result;
use rayon::prelude::*;
use url::Url;

use crate::cli::{ExtractArgs, Format};
use crate::extract::{extract_page, ExtractError, ExtractOptions, PageInput};
use crate::fetch::{default_user_agent, FetchOptions, Fetched, Fetcher};
use crate::input::{
    is_warc_name, DateWindow, Event, ExtractSummary, Origin, Page, PageSource, SiteFilter,
    SkipReason,
};
use crate::limits::MAX_REDIRECTS;
use crate::output::records::RecordOutput;
use crate::record::Record;
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

impl Loaded {
    /// The loaded input as a page for the pipeline.
    fn into_page(self, label: &str) -> Page {
        Page {
            bytes: self.bytes,
            content_type: self.content_type,
            url: self.url,
            fetched_at: self.fetched_at,
            local_label: self.local_label,
            label: label.to_string(),
            origin: Origin::Input,
        }
    }
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

/// What became of one event once extracted.
enum Outcome {
    /// A record, and the page it came from.
    Record {
        record: Record,
        label: String,
        origin: Origin,
        /// Whether `--site` was judged before extraction (the address was known).
        site_judged: bool,
        /// Why a site config was passed over for generic extraction.
        fallback: Option<String>,
    },
    /// A page extraction made no record of.
    Rejected {
        label: String,
        origin: Origin,
        error: ExtractError,
    },
    /// Anything else the source said.
    Passed(Event),
}

/// Runs `extract`; returns the exit status.
pub fn run(args: ExtractArgs) -> Result<i32> {
    if args.url.is_some() && args.inputs.len() > 1 {
        return Err(usage("--url can only be used with a single input".into()));
    }
    let given_url = match &args.url {
        Some(u) => {
            Some(Url::parse(u).map_err(|e| usage(format!("--url {u}: not a valid URL: {e}")))?)
        }
        None => None,
    };
    if given_url.is_some() && args.inputs.iter().any(|i| is_warc_name(i)) {
        return Err(usage(
            "--url cannot be used with a WARC archive (its records name their URLs)".into(),
        ));
    }
    if args.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(usage("stdin (-) can be read only once".into()));
    }
    let out = args.out.as_deref().filter(|p| *p != Path::new("-"));
    let format = output_format(args.format, out)?;
    let window = DateWindow::parse(
        args.since.as_deref(),
        args.until.as_deref(),
        chrono::Utc::now(),
    )
    .map_err(|e| usage(format!("{e:#}")))?;
    let sites = load_sites(args.source.selectors.as_deref(), args.source.no_selectors)?;
    // --site names configs even when extraction ignores them.
    let named_sites;
    let site_registry = if args.source.no_selectors && !args.site.is_empty() {
        named_sites = load_sites(None, false)?;
        &named_sites
    } else {
        &sites
    };
    let site_filter =
        SiteFilter::new(&args.site, site_registry).map_err(|e| usage(format!("{e:#}")))?;
    let mut output = match out {
        Some(path) => RecordOutput::file(path, format)?,
        None => RecordOutput::stdout(format)?,
    };
    let opts = ExtractOptions {
        use_selectors: !args.source.no_selectors,
        ..Default::default()
    };
    let mut summary = ExtractSummary {
        inputs: args.inputs.len() as u64,
        ..Default::default()
    };
    let mut inputs_ok = 0u64;
    let chunk_len = rayon::current_num_threads().max(1) * 8;
    let finished = std::thread::scope(|scope| -> Result<bool> {
        let (tx, rx) = sync_channel::<Event>(chunk_len);
        let (args, given_url, site_filter) = (&args, given_url.as_ref(), &site_filter);
        scope.spawn(move || {
            let mut loader: Option<UrlLoader> = None;
            let load_url = |url: &Url| -> Result<Page> {
                if loader.is_none() {
                    loader = Some(UrlLoader::new(args)?);
                }
                let loaded = loader.as_mut().expect("just set").load(url)?;
                Ok(loaded.into_page(url.as_str()))
            };
            for event in PageSource::new(&args.inputs, given_url, site_filter, load_url) {
                if tx.send(event).is_err() {
                    break; // the writer stopped
                }
            }
        });
        let mut chunk = Vec::with_capacity(chunk_len);
        while let Ok(first) = rx.recv() {
            chunk.push(first);
            while chunk.len() < chunk_len {
                match rx.try_recv() {
                    Ok(event) => chunk.push(event),
                    Err(_) => break,
                }
            }
            let outcomes: Vec<Outcome> = chunk
                .par_drain(..)
                .map(|event| extract_event(event, &sites, &opts))
                .collect();
            for outcome in outcomes {
                match account(outcome, &mut summary, &mut inputs_ok, site_filter, &window) {
                    Some(record) => {
                        if let Err(e) = output.write(&record) {
                            if is_broken_pipe(&e) {
                                return Ok(false);
                            }
                            return Err(e);
                        }
                        summary.written += 1;
                    }
                    None => continue,
                }
            }
            if let Err(e) = output.flush() {
                if is_broken_pipe(&e) {
                    return Ok(false);
                }
                return Err(e);
            }
        }
        Ok(true)
    })?;
    if !finished {
        return Ok(0);
    }
    let failed = summary.written == 0 && inputs_ok == 0;
    // A run where every input failed leaves an existing --out file alone.
    if !failed {
        output.finish()?;
    }
    let filtered = !site_filter.is_open() || window.since.is_some() || window.until.is_some();
    if summary.archives > 0 || filtered || out.is_some() {
        eprintln!("newscrawl: extract: {summary}");
    }
    Ok(if failed { 1 } else { 0 })
}

/// The output format: `--format`, else Parquet for an `--out` path ending
/// in `.parquet`, else JSON lines.
fn output_format(format: Option<Format>, out: Option<&Path>) -> Result<Format> {
    let parquet_name = out.is_some_and(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
    });
    match (format, out) {
        (Some(Format::Parquet), None) => Err(usage(
            "--format parquet needs --out FILE (Parquet is not written to stdout)".into(),
        )),
        (Some(f), _) => Ok(f),
        (None, _) if parquet_name => Ok(Format::Parquet),
        (None, _) => Ok(Format::Json),
    }
}

/// Extracts a page event; other events pass through.
fn extract_event(event: Event, sites: &SiteRegistry, opts: &ExtractOptions) -> Outcome {
    let Event::Page(page) = event else {
        return Outcome::Passed(event);
    };
    let input = PageInput {
        bytes: &page.bytes,
        content_type: page.content_type.as_deref(),
        url: page.url.clone(),
        fetched_at: page.fetched_at,
        local_label: page.local_label.clone(),
    };
    let result = extract_page(&input, sites, opts).and_then(|p| {
        if p.has_text() {
            Ok(p)
        } else {
            Err(ExtractError::NoText)
        }
    });
    match result {
        Ok(extracted) => Outcome::Record {
            fallback: extracted
                .fallback
                .as_ref()
                .zip(extracted.site.as_ref())
                .map(|(reason, site)| {
                    format!(
                        "site config `{}` ({}): {reason}; used generic extraction",
                        site.name, site.file
                    )
                }),
            record: extracted.record,
            site_judged: page.url.is_some(),
            label: page.label,
            origin: page.origin,
        },
        Err(error) => Outcome::Rejected {
            label: page.label,
            origin: page.origin,
            error,
        },
    }
}

/// Counts an outcome and reports what the user must see; returns the record
/// when it is to be written.
fn account(
    outcome: Outcome,
    summary: &mut ExtractSummary,
    inputs_ok: &mut u64,
    site_filter: &SiteFilter<'_>,
    window: &DateWindow,
) -> Option<Record> {
    match outcome {
        Outcome::Record {
            record,
            label,
            origin,
            site_judged,
            fallback,
        } => {
            summary.extracted += 1;
            match origin {
                Origin::Archive => {
                    summary.records_read += 1;
                    summary.html += 1;
                    if let Some(f) = fallback {
                        tracing::info!("{label}: {f}");
                    }
                }
                Origin::Input => {
                    *inputs_ok += 1;
                    if let Some(f) = fallback {
                        eprintln!("newscrawl: warning: {label}: {f}");
                    }
                }
            }
            let reason = if !site_judged && !site_filter.allows_record(&record) {
                Some(SkipReason::Site)
            } else {
                window.judge(&record)
            };
            match reason {
                Some(reason) => {
                    summary.skip(reason);
                    None
                }
                None => Some(record),
            }
        }
        Outcome::Rejected {
            label,
            origin,
            error,
        } => {
            match origin {
                Origin::Archive => {
                    summary.records_read += 1;
                    summary.html += 1;
                    summary.skip(SkipReason::for_extract_error(&error));
                    tracing::debug!("{label}: {error}");
                }
                Origin::Input => {
                    summary.failed += 1;
                    eprintln!("newscrawl: {label}: {error}");
                }
            }
            None
        }
        Outcome::Passed(event) => {
            match event {
                Event::ArchiveOpened => summary.archives += 1,
                Event::ArchiveRead => *inputs_ok += 1,
                Event::Skipped(reason, origin) => {
                    if origin == Origin::Archive {
                        summary.records_read += 1;
                    } else {
                        *inputs_ok += 1;
                    }
                    summary.skip(reason);
                }
                Event::Failed(e) => {
                    summary.failed += 1;
                    eprintln!("newscrawl: {e:#}");
                }
                Event::Page(_) => unreachable!("pages are extracted"),
            }
            None
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn usage(message: String) -> anyhow::Error {
    ExitError { code: 2, message }.into()
}
