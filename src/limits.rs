//! Every hard limit newscrawl applies, in one place.
//!
//! Bounded everywhere: a hostile or broken input can cost at most these
//! amounts of bytes, hops, retries and nesting.

use std::time::Duration;

/// Largest body accepted, counted after decompression (10 MiB).
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 10;

/// Most retries of a transient failure (timeouts, 5xx, 429).
pub const MAX_RETRIES: u32 = 3;

/// Deepest element nesting kept by the HTML parser; deeper start tags are
/// dropped (their text is kept in the deepest allowed element). html5ever's
/// tree builder is quadratic in nesting depth, so this bounds parse time.
pub const MAX_NESTING_DEPTH: usize = 512;

/// How many bytes at the start of a document are searched for a
/// `<meta charset>` declaration (the WHATWG prescan length).
pub const META_PRESCAN_BYTES: usize = 1024;

/// Default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Largest robots.txt read (Google reads 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// Longest pause of a host taken from the crawl state (Retry-After and
/// Crawl-delay stored by earlier runs): one day, the longest Retry-After
/// honoured. A later stored time (a clock step) is cut back to it, with a
/// warning; a host paused beyond a run is named in its summary.
pub const MAX_HOST_PAUSE: Duration = Duration::from_secs(86_400);

/// How long a host lease lasts unless renewed: a crawler that dies loses
/// its hosts to the others after this long.
pub const HOST_LEASE: Duration = Duration::from_secs(30);

/// Largest WARC record header block read (named fields up to the blank
/// line); a longer one is a malformed archive.
pub const MAX_WARC_HEADER_BYTES: usize = 256 * 1024;

/// Largest HTTP response head (status line and headers) accepted inside a
/// WARC `response` record; the record's block may exceed
/// [`MAX_BODY_BYTES`] by this much before it is skipped unread.
pub const MAX_HTTP_HEAD_BYTES: usize = 256 * 1024;

/// Most header fields in one WARC header block or one HTTP response head.
pub const MAX_HEADER_FIELDS: usize = 256;
