//! `newscrawl extract`: one record per page, in input order (archive
//! records in archive order), extracted on all cores.
//!
//! Inputs become pages through [`crate::input::PageSource`] on a reading
//! thread; pages are extracted in parallel in chunks and their records
//! written in order, so the output does not depend on the number of threads.
//! On one thread the same chunks are read, extracted and written by that
//! thread alone (no reading thread, no pool).

use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use url::Url;

use crate::cli::{ExtractArgs, Format};
use crate::extract::{extract_page, ExtractError, ExtractOptions, PageInput};
use crate::fetch::host::DEFAULT_RATE;
use crate::fetch::{FetchOptions, Fetcher, PoliteClient, Scope};
use crate::input::{
    is_warc_name, DateWindow, Event, ExtractSummary, Origin, Page, PageBytes, PageSource,
    SiteFilter, SkipReason,
};
use crate::output::records::RecordOutput;
use crate::record::Record;
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

impl Loaded {
    /// The loaded input as a page for the pipeline.
    fn into_page(self, label: &str) -> Page {
        Page {
            bytes: self.bytes.into(),
            content_type: self.content_type,
            url: self.url,
            fetched_at: self.fetched_at,
            local_label: self.local_label,
            label: label.to_string(),
            origin: Origin::Input,
        }
    }
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
        Some(u) => Some(page_url(u).map_err(usage)?),
        None => None,
    };
    let flags = check_run_flags(&RunFlags {
        timeout: args.timeout,
        user_agent: args.user_agent.as_deref(),
        ..RunFlags::default()
    })
    .map_err(usage)?;
    if given_url.is_some() && args.inputs.iter().any(|i| is_warc_name(i)) {
        return Err(usage(
            "--url cannot be used with a WARC archive (its records name their URLs)".into(),
        ));
    }
    if args.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(usage("stdin (-) can be read only once".into()));
    }
    let out = args.out.as_deref().filter(|p| *p != Path::new("-"));
    if let Some(dir) = out.filter(|p| p.is_dir() || p.as_os_str().to_string_lossy().ends_with('/'))
    {
        return Err(usage(format!(
            "--out {}: names a folder; extract writes one file (for example --out {}/records.jsonl, or .parquet)",
            dir.display(),
            dir.display().to_string().trim_end_matches('/')
        )));
    }
    let format = output_format(args.format, out)?;
    let window = DateWindow::parse(
        args.since.as_deref(),
        args.until.as_deref(),
        chrono::Utc::now(),
    )
    .map_err(|e| usage(format!("{e:#}")))?;
    let sites = Arc::new(load_sites(
        args.source.selectors.as_deref(),
        args.source.no_selectors,
    )?);
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
    let threads = pool_threads();
    let chunk_len = threads * 8;
    let mut sink = Sink {
        output: &mut output,
        summary: &mut summary,
        inputs_ok: &mut inputs_ok,
        site_filter: &site_filter,
        window: &window,
    };
    let finished = if threads == 1 {
        // One core: a reading thread gains nothing, and each page's buffers
        // are then freed by the thread that allocated them, which the
        // allocator reuses at once (freed across threads, they made the
        // reader keep faulting in fresh memory).
        let mut events = page_events(&args, given_url.as_ref(), &site_filter, &flags, &sites);
        let mut ended = false;
        let mut finished = true;
        while !ended && finished {
            let mut outcomes = Vec::with_capacity(chunk_len);
            for event in events.by_ref().take(chunk_len) {
                outcomes.push(extract_event(event, &sites, &opts));
            }
            ended = outcomes.len() < chunk_len;
            finished = sink.write(outcomes)?;
        }
        finished
    } else {
        std::thread::scope(|scope| -> Result<bool> {
            let (tx, rx) = sync_channel::<Event>(chunk_len);
            let (args, given_url, site_filter) = (&args, given_url.as_ref(), &site_filter);
            let (flags, url_sites) = (&flags, &sites);
            scope.spawn(move || {
                for event in page_events(args, given_url, site_filter, flags, url_sites) {
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
                if !sink.write(outcomes)? {
                    return Ok(false);
                }
            }
            Ok(true)
        })?
    };
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

/// The number of threads rayon's global pool has, or would have, without
/// starting it (its `RAYON_NUM_THREADS`, else the CPUs this process may
/// run on): on one core no pool is started at all, and its idle worker
/// would cost a thread and a fresh page of memory.
fn pool_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The inputs' events, URL inputs fetched politely one at a time.
fn page_events<'a>(
    args: &'a ExtractArgs,
    given_url: Option<&'a Url>,
    site_filter: &'a SiteFilter<'a>,
    flags: &'a CheckedFlags,
    sites: &'a Arc<SiteRegistry>,
) -> impl Iterator<Item = Event> + 'a {
    let mut loader: Option<UrlLoader> = None;
    let load_url = move |url: &Url| -> Result<Page> {
        if loader.is_none() {
            loader = Some(UrlLoader::new(flags, sites.clone())?);
        }
        let loaded = loader.as_mut().expect("just set").load(url)?;
        Ok(loaded.into_page(url.as_str()))
    };
    PageSource::new(&args.inputs, given_url, site_filter, load_url)
}

/// Where outcomes go: counted, and their records written in order.
struct Sink<'s, 'f> {
    output: &'s mut RecordOutput,
    summary: &'s mut ExtractSummary,
    inputs_ok: &'s mut u64,
    site_filter: &'s SiteFilter<'f>,
    window: &'s DateWindow,
}

impl Sink<'_, '_> {
    /// Accounts for a chunk of outcomes and writes their records, then
    /// flushes; `false` when the reader of the output went away.
    fn write(&mut self, outcomes: Vec<Outcome>) -> Result<bool> {
        for outcome in outcomes {
            let record = account(
                outcome,
                self.summary,
                self.inputs_ok,
                self.site_filter,
                self.window,
            );
            if let Some(record) = record {
                if let Err(e) = self.output.write(&record) {
                    if is_broken_pipe(&e) {
                        return Ok(false);
                    }
                    return Err(e);
                }
                self.summary.written += 1;
            }
        }
        if let Err(e) = self.output.flush() {
            if is_broken_pipe(&e) {
                return Ok(false);
            }
            return Err(e);
        }
        Ok(true)
    }
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
    let Event::Page(mut page) = event else {
        return Outcome::Passed(event);
    };
    let bytes = std::mem::replace(&mut page.bytes, PageBytes::Vec(Vec::new())).into_local();
    let input = PageInput {
        bytes: &bytes,
        buffer: bytes.buffer(),
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
