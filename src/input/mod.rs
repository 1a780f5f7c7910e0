//! Page sources: files, stdin, URLs and WARC archives all yield pages
//! (bytes, URL, headers, fetch time) to the same pipeline.
//!
//! [`PageSource`] walks the inputs in order and yields [`Event`]s: one page
//! per file, stdin or URL input, one per HTML response of an archive, and
//! the records skipped on the way with their reason. What an input is, is
//! decided by its content, not its name: a file or stdin that starts with
//! `WARC/` (or gzip holding `WARC/`) is an archive.

pub mod archive;
pub mod bytes;
pub mod filter;
mod gunzip;
pub mod summary;

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use url::Url;

use crate::limits::MAX_BODY_BYTES;
use crate::warc::WarcReader;
pub use archive::ArchivePages;
pub use bytes::{LocalBytes, PageBytes};
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
    pub bytes: PageBytes,
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
                let mut file = match File::open(path) {
                    Ok(f) => f,
                    Err(e) => {
                        return Event::Failed(named(anyhow::Error::new(e).context("cannot open")))
                    }
                };
                if let Some(buffer) = whole_gzip_page(&mut file) {
                    return self.local_page(input, PageBytes::Buffer(buffer), file_label(path));
                }
                let size = content_size_hint(&mut file);
                match sniff(file) {
                    Ok(Sniffed::Warc(stream)) => self.start_archive(input, stream),
                    Ok(Sniffed::Other(stream)) => match read_bounded(stream, size) {
                        Ok(bytes) => self.local_page(input, bytes.into(), file_label(path)),
                        Err(e) => Event::Failed(named(e)),
                    },
                    Err(e) => Event::Failed(named(anyhow::Error::new(e).context("cannot read"))),
                }
            }
            Input::Stdin => match sniff(std::io::stdin()) {
                Ok(Sniffed::Warc(stream)) => self.start_archive(input, stream),
                Ok(Sniffed::Other(stream)) => match read_bounded(stream, 0) {
                    Ok(bytes) => self.local_page(input, bytes.into(), Some("stdin:".into())),
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

    fn local_page(&self, input: &str, bytes: PageBytes, local_label: Option<String>) -> Event {
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

/// A small gzip file that is one member holding a page (not a WARC
/// archive), read whole and inflated in one call into a buffer the parser
/// reads in place; `None` (the file left at its start) for anything else,
/// which the streaming path reads and reports.
fn whole_gzip_page(file: &mut File) -> Option<bytes::SendableBuffer> {
    let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
    if len > MAX_BODY_BYTES {
        return None;
    }
    let mut compressed = Vec::with_capacity(len);
    let read = file
        .by_ref()
        .take(MAX_BODY_BYTES as u64)
        .read_to_end(&mut compressed);
    let page = read
        .ok()
        .and_then(|_| gunzip::gunzip_single_member(&compressed, MAX_BODY_BYTES))
        .filter(|page| !page.starts_with(b"WARC/"));
    if page.is_none() {
        // On a failed seek the sniffer reports the read error itself.
        let _ = file.rewind();
    }
    page
}

/// How many bytes a file most likely holds once decompressed: a gzip
/// file's ISIZE trailer (the size of its last member, modulo 2^32), any
/// other file's length; 0 when unknown. Only a hint for sizing the buffer
/// once (a wrong one costs a reallocation, never a byte): the reader is
/// bounded by [`MAX_BODY_BYTES`] whatever it says. Leaves the file at its start.
fn content_size_hint(file: &mut File) -> usize {
    let mut hint = || -> std::io::Result<usize> {
        let len = file.metadata()?.len();
        let mut magic = [0u8; 2];
        let gzip = len >= 18 && file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
        let size = if gzip {
            let mut isize = [0u8; 4];
            file.seek(SeekFrom::End(-4))?;
            file.read_exact(&mut isize)?;
            u64::from(u32::from_le_bytes(isize))
        } else {
            len
        };
        Ok(usize::try_from(size).unwrap_or(usize::MAX))
    };
    let size = hint().unwrap_or(0);
    // On a failed seek the sniffer reports the read error itself.
    let _ = file.rewind();
    size
}

/// Reads a whole page from a stream, refusing more than the body limit;
/// `size_hint` (decompressed bytes expected, 0 when unknown) sizes the
/// buffer up to that limit.
fn read_bounded(stream: Stream, size_hint: usize) -> Result<Vec<u8>> {
    // One byte more than the limit tells a page over it.
    let mut buf = Vec::with_capacity(size_hint.min(MAX_BODY_BYTES + 1));
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

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    }

    /// Reads a file as `extract` does: sized by its hint, then bounded.
    fn read_file(path: &Path) -> (usize, Result<Vec<u8>>) {
        let mut file = File::open(path).unwrap();
        if let Some(page) = whole_gzip_page(&mut file) {
            return (page.len(), Ok(page.to_vec()));
        }
        let hint = content_size_hint(&mut file);
        let Sniffed::Other(stream) = sniff(file).unwrap() else {
            panic!("no archive here");
        };
        (hint, read_bounded(stream, hint))
    }

    #[test]
    fn size_hint_sizes_the_buffer_but_never_decides_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let page = b"<html><p>one page</p></html>".repeat(100);
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        // A plain file: its length; a gzip file: its ISIZE trailer.
        let (hint, read) = read_file(&write("plain.html", &page));
        assert_eq!((hint, read.unwrap()), (page.len(), page.clone()));
        let (hint, read) = read_file(&write("page.html.gz", &gzip(&page)));
        assert_eq!((hint, read.unwrap()), (page.len(), page.clone()));
        // Two members: the trailer tells the last one's size only; all is read.
        let two = [gzip(&page[..1000]), gzip(&page[1000..])].concat();
        let (hint, read) = read_file(&write("two.html.gz", &two));
        assert_eq!((hint, read.unwrap()), (page.len() - 1000, page.clone()));
        // A lying trailer (too small, too large) changes nothing read.
        for lie in [1u32, u32::MAX] {
            let mut bytes = gzip(&page);
            let n = bytes.len();
            bytes[n - 4..].copy_from_slice(&lie.to_le_bytes());
            let (hint, read) = read_file(&write("lie.html.gz", &bytes));
            assert_eq!(hint, lie as usize);
            // The trailer is checked once the data is read: a wrong size
            // is a corrupt stream, reported as such.
            let err = read.unwrap_err();
            assert!(format!("{err:#}").contains("cannot read"), "{err:#}");
        }
        // Over the body limit: refused, however small the trailer says it is.
        let mut big = gzip(&vec![b' '; MAX_BODY_BYTES + 10]);
        let n = big.len();
        big[n - 4..].copy_from_slice(&100u32.to_le_bytes());
        let (_, read) = read_file(&write("big.html.gz", &big));
        let err = read.unwrap_err();
        assert!(format!("{err:#}").contains("larger than"), "{err:#}");
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
