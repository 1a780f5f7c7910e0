//! Page sources: files, stdin, URLs and WARC archives all yield pages
//! (bytes, URL, headers, fetch time) to the same pipeline.
//!
//! [`PageSource`] walks the inputs in order and yields [`Event`]s: one page
//! per file, stdin or URL input, one per HTML response of an archive, and
//! the records skipped on the way with their reason. What an input is, is
//! decided by its content, not its name: a file or stdin that starts with
//! `WARC/` (or gzip holding `WARC/`) is an archive.

pub mod archive;
pub mod filter;
pub mod summary;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use url::Url;

use crate::limits::MAX_BODY_BYTES;
use crate::warc::WarcReader;
pub use archive::ArchivePages;
pub use filter::{DateWindow, SiteFilter};
pub use summary::{ExtractSummary, SkipReason};

/// A buffered byte stream that can be handed to another thread.
pub type Stream = Box<dyn BufRead + Send>;

/// Buffer size of file and decompression readers.
const READ_BUFFER: usize = 64 * 1024;

/// One page to extract, whatever brought it.
#[derive(Debug, Clone)]
pub struct Page {
    /// The raw bytes (any charset), decompressed and dechunked.
    pub bytes: Vec<u8>,
    /// The HTTP `Content-Type`, when the page came over HTTP.
    pub content_type: Option<String>,
    /// The page's address (fetched URL, `WARC-Target-URI` or `--url`).
    pub url: Option<Url>,
    /// When it was fetched (`WARC-Date` for archive records).
    pub fetched_at: Option<DateTime<Utc>>,
    /// The record's `url` when no address is known (`file:///...`, `stdin:`).
    pub local_label: Option<String>,
    /// Names the page in messages: the input, and the record for archives.
    pub label: String,
    /// Where it came from.
    pub origin: Origin,
}

/// Where a page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A whole input: a file, stdin or a URL.
    Input,
    /// A record of a WARC archive.
    Archive,
}

/// What a [`PageSource`] yields, in input order.
#[derive(Debug)]
pub enum Event {
    /// A page to extract.
    Page(Page),
    /// A WARC archive opened; its records follow.
    ArchiveOpened,
    /// A WARC record (or a URL input, for `--site`) passed over before
    /// extraction, and why.
    Skipped(SkipReason, Origin),
    /// An input (or what is left of an archive) that could not be read; the
    /// error names it.
    Failed(anyhow::Error),
    /// An archive read to its end.
    ArchiveRead,
}

/// What an input argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input<'a> {
    /// `-`: standard input.
    Stdin,
    /// An http(s) URL.
    Url(Url),
    /// A path.
    File(&'a Path),
}

/// Tells an input argument's kind from its text.
pub fn classify(input: &str) -> Input<'_> {
    if input == "-" {
        return Input::Stdin;
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        if let Ok(u) = Url::parse(input) {
            return Input::Url(u);
        }
    }
    Input::File(Path::new(input))
}

/// True when a path's name says it is a WARC archive.
pub fn is_warc_name(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.ends_with(".warc") || p.ends_with(".warc.gz")
}

/// A stream opened and looked at: a WARC archive (decompressed as needed)
/// or anything else.
pub enum Sniffed {
    /// Starts with `WARC/`, possibly inside gzip.
    Warc(Stream),
    /// Not an archive: the stream, decompressed when it was gzip.
    Other(Stream),
}

/// Looks at the first bytes of a stream (after gzip decompression when it
/// starts with the gzip magic) without consuming them.
pub fn sniff(raw: impl Read + Send + 'static) -> std::io::Result<Sniffed> {
    let mut buffered = BufReader::with_capacity(READ_BUFFER, raw);
    if buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let mut inner =
            BufReader::with_capacity(READ_BUFFER, flate2::read::MultiGzDecoder::new(buffered));
        let warc = inner.fill_buf()?.starts_with(b"WARC/");
        let stream: Stream = Box::new(inner);
        return Ok(if warc {
            Sniffed::Warc(stream)
        } else {
            Sniffed::Other(stream)
        });
    }
    let warc = buffered.fill_buf()?.starts_with(b"WARC/");
    let stream: Stream = Box::new(buffered);
    Ok(if warc {
        Sniffed::Warc(stream)
    } else {
        Sniffed::Other(stream)
    })
}

/// Walks the inputs in order and yields their pages.
///
/// `load_url` fetches a URL input (politely: that is the caller's
/// business) and returns its page.
pub struct PageSource<'a, F> {
    inputs: &'a [String],
    next: usize,
    archive: Option<ArchivePages<'a, Stream>>,
    given_url: Option<&'a Url>,
    site: &'a SiteFilter<'a>,
    load_url: F,
}

impl<'a, F: FnMut(&Url) -> Result<Page>> PageSource<'a, F> {
    /// A source over `inputs`; `given_url` is `--url` (single input only).
    pub fn new(
        inputs: &'a [String],
        given_url: Option<&'a Url>,
        site: &'a SiteFilter<'a>,
        load_url: F,
    ) -> Self {
        Self {
            inputs,
            next: 0,
            archive: None,
            given_url,
            site,
            load_url,
        }
    }

    /// Opens input `input` and returns its first event.
    fn open(&mut self, input: &'a str) -> Event {
        match classify(input) {
            Input::Url(url) => {
                if !self.site.allows_url(&url) {
                    return Event::Skipped(SkipReason::Site, Origin::Input);
                }
                match (self.load_url)(&url) {
                    Ok(page) => Event::Page(page),
                    // Name the URL once: fetch errors usually name it already.
                    Err(e) if format!("{e:#}").starts_with(input) => Event::Failed(e),
                    Err(e) => Event::Failed(e.context(input.to_string())),
                }
            }
            Input::File(path) => {
                let named = |e: anyhow::Error| anyhow::anyhow!("{}: {e:#}", path.display());
                let file = match File::open(path) {
                    Ok(f) => f,
                    Err(e) => {
                        return Event::Failed(named(anyhow::Error::new(e).context("cannot open")))
                    }
                };
                match sniff(file) {
                    Ok(Sniffed::Warc(stream)) => self.start_archive(input, stream),
                    Ok(Sniffed::Other(stream)) => match read_bounded(stream) {
                        Ok(bytes) => self.local_page(input, bytes, file_label(path)),
                        Err(e) => Event::Failed(named(e)),
                    },
                    Err(e) => Event::Failed(named(anyhow::Error::new(e).context("cannot read"))),
                }
            }
            Input::Stdin => match sniff(std::io::stdin()) {
                Ok(Sniffed::Warc(stream)) => self.start_archive(input, stream),
                Ok(Sniffed::Other(stream)) => match read_bounded(stream) {
                    Ok(bytes) => self.local_page(input, bytes, Some("stdin:".into())),
                    Err(e) => Event::Failed(e.context("stdin")),
                },
                Err(e) => Event::Failed(anyhow::Error::from(e).context("stdin")),
            },
        }
    }

    fn start_archive(&mut self, input: &'a str, stream: Stream) -> Event {
        if self.given_url.is_some() {
            return Event::Failed(anyhow::anyhow!(
                "{input}: --url cannot be used with a WARC archive (its records name their URLs)"
            ));
        }
        self.archive = Some(ArchivePages::new(input, WarcReader::new(stream), self.site));
        Event::ArchiveOpened
    }

    fn local_page(&self, input: &str, bytes: Vec<u8>, local_label: Option<String>) -> Event {
        Event::Page(Page {
            bytes,
            content_type: None,
            url: self.given_url.cloned(),
            fetched_at: None,
            local_label,
            label: input.to_string(),
            origin: Origin::Input,
        })
    }
}

impl<'a, F: FnMut(&Url) -> Result<Page>> Iterator for PageSource<'a, F> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if let Some(archive) = &mut self.archive {
            let event = archive.next_event();
            if matches!(event, Event::ArchiveRead | Event::Failed(_)) {
                self.archive = None;
            }
            return Some(event);
        }
        let input = self.inputs.get(self.next)?;
        self.next += 1;
        Some(self.open(input))
    }
}

/// `file://<absolute path>`, the record URL of a local file without one.
fn file_label(path: &Path) -> Option<String> {
    std::fs::canonicalize(path)
        .ok()
        .and_then(|abs| Url::from_file_path(abs).ok())
        .map(|u| u.to_string())
}

/// Reads a whole page from a stream, refusing more than the body limit.
fn read_bounded(stream: Stream) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    stream
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .context("cannot read")?;
    if buf.len() > MAX_BODY_BYTES {
        anyhow::bail!("larger than {MAX_BODY_BYTES} bytes");
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn sniffing_finds_warc_plain_and_gzipped() {
        let plain = b"WARC/1.1\r\nContent-Length: 0\r\n\r\n\r\n\r\n".to_vec();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).unwrap();
        let gz = gz.finish().unwrap();
        assert!(matches!(
            sniff(std::io::Cursor::new(plain.clone())).unwrap(),
            Sniffed::Warc(_)
        ));
        assert!(matches!(
            sniff(std::io::Cursor::new(gz)).unwrap(),
            Sniffed::Warc(_)
        ));
        let mut gz_html = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz_html.write_all(b"<html>page</html>").unwrap();
        let Sniffed::Other(mut s) = sniff(std::io::Cursor::new(gz_html.finish().unwrap())).unwrap()
        else {
            panic!("gzip HTML is no archive");
        };
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        assert_eq!(text, "<html>page</html>");
    }

    #[test]
    fn input_kinds() {
        assert_eq!(classify("-"), Input::Stdin);
        assert!(matches!(classify("https://a.example/x"), Input::Url(_)));
        assert_eq!(classify("x.warc.gz"), Input::File(Path::new("x.warc.gz")));
        assert!(is_warc_name("CC-NEWS-20240501.warc.gz"));
        assert!(!is_warc_name("page.html.gz"));
    }
}
