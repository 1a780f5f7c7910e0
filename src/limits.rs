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

/// Default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Largest robots.txt read (Google reads 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;
