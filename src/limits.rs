//! Every hard limit newscrawl applies, in one place.
//!
//! Bounded everywhere: a hostile or broken input (a page, a robots.txt, a
//! sitemap, a server's headers, a config, a command line) can cost at most
//! these amounts of bytes, hops, retries, entries, nesting and time.

use std::time::Duration;

// ---- HTTP ----

/// Largest body accepted, counted after decompression (10 MiB).
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Most redirects followed for one page, feed or sitemap request.
pub const MAX_REDIRECTS: usize = 10;

/// Most retries of a transient failure (timeouts, 5xx, 429).
pub const MAX_RETRIES: u32 = 3;

/// Default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest whole-request timeout accepted (`--timeout`): one hour.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

/// Longest wait for a connection to open (within the request timeout).
pub const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest `Retry-After` honoured; a longer one is cut to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

// ---- robots.txt (RFC 9309) ----

/// How much of a robots.txt is read and obeyed: RFC 9309 asks for at least
/// 500 KiB; the rest of a larger file is ignored (its last partial line too).
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// Most redirects followed to reach a robots.txt (RFC 9309: at least five);
/// beyond them the file counts as unavailable (allow all).
pub const MAX_ROBOTS_REDIRECTS: usize = 5;

/// Longest robots.txt `Crawl-delay` obeyed; a larger value is cut to this.
/// Also the slowest per-host spacing a `rate` may ask for.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(3600);

// ---- politeness and run time ----

/// Fastest per-host rate accepted (`--rate`, a site's `rate`), in requests
/// per second; the slowest is one request per [`MAX_CRAWL_DELAY`].
pub const MAX_RATE: f64 = 10_000.0;

/// A host whose next request is further away than this is left for a later
/// run (a crawl; on a shared state nobody waits for its holder to finish
/// it), or its input fails (`extract`).
pub const LONG_PAUSE: Duration = Duration::from_secs(60);

/// Records a crawl commits at once at most: each commit waits for the
/// output's fsync (a fixed cost of several ms plus the bytes), during which
/// the scheduler dispatches nothing, so fewer, larger commits keep the
/// cores busier. A SIGKILL loses at most this many fetches (fetched again).
pub const COMMIT_RECORDS: usize = 256;

/// Longest time a crawl's results wait for their commit.
pub const COMMIT_EVERY: Duration = Duration::from_millis(250);

/// How long in-flight requests may finish after SIGINT, SIGTERM or
/// `--max-duration`; with the final flush it keeps "stops within 5 s".
pub const STOP_DRAIN: Duration = Duration::from_millis(3000);

/// Pause of a host after a bot challenge (a 403/503 challenge page,
/// `cf-mitigated: challenge`), doubled for each further challenge in a
/// row, up to [`MAX_HOST_PAUSE`]; stored like `Retry-After` pauses.
pub const CHALLENGE_PAUSE: Duration = Duration::from_secs(600);

/// How much of a 403/503 body is searched for a bot wall's markers.
pub const CHALLENGE_SNIFF_BYTES: usize = 64 * 1024;

/// Longest `--max-duration` accepted: 10 years.
pub const MAX_RUN_DURATION: Duration = Duration::from_secs(10 * 365 * 86_400);

// ---- discovery ----

/// Most entries read from one sitemap or feed (the sitemap protocol allows 50,000).
pub const MAX_FEED_ENTRIES: usize = 50_000;

/// Deepest XML nesting followed in a sitemap or feed.
pub const MAX_XML_DEPTH: usize = 64;

/// Longest text kept for one sitemap or feed field (a `<loc>`, a date).
pub const MAX_XML_TEXT_BYTES: usize = 8192;

/// How many bytes at the start of a body are looked at to tell a sitemap
/// or feed (an XML declaration or root element).
pub const XML_SNIFF_BYTES: usize = 512;

/// Most URLs one `{yyyy}`/`{mm}`/`{dd}` feed or sitemap template expands
/// to over a `--since` window.
pub const MAX_TEMPLATE_PERIODS: usize = 400;

/// Most frontier entries one host may have (queued or claimed): a URL
/// discovered beyond it is not recorded, so a later sitemap read or link
/// finds it again once the frontier has drained. Bounds the state file
/// whatever a site lists (a sitemap index of 10,000 sitemaps of 50,000
/// URLs each).
pub const MAX_FRONTIER_PER_HOST: u64 = 100_000;

/// Most child sitemaps taken from one sitemap index (newest first when the
/// index dates them).
pub const MAX_SITEMAP_CHILDREN: usize = 1_000;

/// With `--max-pages N`, a run queues at most N times this many new URLs
/// (sitemap and feed entries, links): discovery is budgeted like fetches.
pub const QUEUED_PER_FETCH: u64 = 100;

/// Most page URLs a crawl remembers having queued this run (as found and as
/// normalised), so that a link met again (a site's navigation, on every
/// page) is passed over without normalising it or asking the state; the
/// memory is cleared when full (about 25 MB of URLs).
pub const MAX_SEEN_URLS: usize = 200_000;

/// A feed linked from a page (not a home or source page) is polled by later
/// runs only while it listed new URLs within this window: 30 days.
pub const FEED_YIELD_WINDOW: Duration = Duration::from_secs(30 * 86_400);

// ---- pages ----

/// Deepest element nesting kept by the HTML parser; deeper start tags are
/// dropped (their text is kept in the deepest allowed element). html5ever's
/// tree builder is quadratic in nesting depth, so this bounds parse time.
pub const MAX_NESTING_DEPTH: usize = 512;

/// DOM nodes any page may have, however small: four times the most nodes
/// of any page of the development corpora (34,450).
pub const MIN_DOM_NODE_BUDGET: usize = 131_072;

/// Page bytes per DOM node above [`MIN_DOM_NODE_BUDGET`]: a node costs
/// about 128 bytes, so at one node per 16 bytes the tree stays within 8
/// times the page (real pages use 13 to 100 bytes per node, only small
/// ones below 16). Beyond the budget the parser builds no more elements:
/// the text is kept, the structure is not.
pub const BYTES_PER_DOM_NODE: usize = 16;

/// Nodes the tree builder may still add past the budget while end tags
/// close open elements (it re-creates formatting elements on its own);
/// after that, tags are ignored altogether.
pub const DOM_NODE_HEADROOM: usize = 4096;

/// Bytes of JSON-LD `articleBody` the generic cleaner may scan in all when
/// it looks its paragraphs up there (each lookup scans the whole body):
/// a real page needs a few megabytes; a page with a huge article body and
/// as many paragraphs would otherwise cost their product. Past it, the
/// remaining paragraphs are judged without that evidence.
pub const MAX_EVIDENCE_SCAN_BYTES: usize = 64 * 1024 * 1024;

/// Author names the generic cleaner compares each short line with, to drop
/// bylines (the first ones the page lists; the record keeps them all).
pub const MAX_EVIDENCE_AUTHORS: usize = 128;

/// How many bytes at the start of a document are searched for a
/// `<meta charset>` declaration (the WHATWG prescan length).
pub const META_PRESCAN_BYTES: usize = 1024;

/// How many bytes at the start of an input are looked at for control
/// characters (binary data).
pub const BINARY_SNIFF_BYTES: usize = 4096;

/// How much decoded text at the start of a page is searched for HTML markup.
pub const MARKUP_SNIFF_BYTES: usize = 64 * 1024;

/// Most JSON-LD objects read from one page.
pub const MAX_JSONLD_OBJECTS: usize = 32;

/// Most hosts whose language declaration a crawl remembers.
pub const MAX_LANGUAGE_HOSTS: usize = 100_000;

// ---- crawl state ----

/// Longest pause of a host taken from the crawl state (Retry-After and
/// Crawl-delay stored by earlier runs): one day, the longest Retry-After
/// honoured. A later stored time (a clock step) is cut back to it, with a
/// warning; a host paused beyond a run is named in its summary.
pub const MAX_HOST_PAUSE: Duration = MAX_RETRY_AFTER;

/// How long a host lease lasts unless renewed, by default (`--lease-secs`;
/// at least `--timeout` + [`LEASE_SLACK`] + 1 s, so the default grows with a
/// longer timeout): a crawler that dies loses its hosts to the others of a
/// shared state after this long.
pub const HOST_LEASE: Duration = Duration::from_secs(45);

/// A request starts only under a lease with at least the request timeout
/// plus this much time left, so a request always ends before its lease can
/// pass to another crawler (the slack covers task start and timer lag).
pub const LEASE_SLACK: Duration = Duration::from_secs(1);

/// How long a robots.txt fetched by one crawler of a shared state is used
/// by the others (and by later runs) before it is fetched again.
pub const ROBOTS_MAX_AGE: Duration = Duration::from_secs(3600);

/// Runs of each site whose drift counts the state keeps (and `selectors
/// health` and the crawl summary judge by): older runs are forgotten when
/// a new run begins.
pub const DRIFT_RUNS: usize = 30;

// ---- messages ----

/// Longest piece of input (a selector, a header value) quoted in an error
/// message; a longer one is cut, with an ellipsis and its length.
pub const MAX_QUOTED_CHARS: usize = 120;

// ---- WARC archives ----

/// Largest WARC record header block read (named fields up to the blank
/// line); a longer one is a malformed archive.
pub const MAX_WARC_HEADER_BYTES: usize = 256 * 1024;

/// Largest HTTP response head (status line and headers) accepted inside a
/// WARC `response` record; the record's block may exceed
/// [`MAX_BODY_BYTES`] by this much before it is skipped unread.
pub const MAX_HTTP_HEAD_BYTES: usize = 256 * 1024;

/// Most header fields in one WARC header block or one HTTP response head.
pub const MAX_HEADER_FIELDS: usize = 256;

/// Largest WARC file a crawl writes (`crawl --warc`): a record that would
/// take a file past it begins the next file (as Common Crawl's ~1 GB files).
pub const WARC_FILE_BYTES: u64 = 1024 * 1024 * 1024;

// ---- Parquet output ----

/// Most rows in one part file of a crawl's Parquet output.
pub const PARQUET_PART_ROWS: u64 = 100_000;

/// Most staged record bytes (JSON) behind one part file of a crawl's
/// Parquet output (a part of news articles compresses to about a fifth).
pub const PARQUET_PART_STAGED_BYTES: u64 = 256 * 1024 * 1024;
