//! The one fetch policy of newscrawl, shared by `extract URL` and the
//! crawler:
//!
//! - [`client`]: HTTP GET with the limits (timeout, body cap after
//!   decompression, user agent); it never follows a redirect itself.
//! - [`robots`]: a host's robots.txt, fetched once (redirects followed, the
//!   first 500 KiB obeyed) and compiled once ([`robots_rules`]).
//! - [`host`]: per-host politeness, keyed by lower-cased host plus
//!   non-default port: spacing (1/R, a site's `rate`, `Crawl-delay`),
//!   `Retry-After` pauses, back-off.
//! - [`answer`]: what a response means; redirect hops read and checked
//!   (scheme, loop, count, scope).
//! - [`capture`]: exchanges recorded as WARC records (`crawl --warc`).
//! - [`content`]: content-type rules and gzip inflation within the cap.
//! - [`scope`]: which hosts may be contacted.
//! - [`polite`]: these steps driven for one URL at a time (`extract`); the
//!   crawler's scheduler drives the same steps for many hosts at once.

pub mod answer;
pub mod capture;
pub mod client;
pub mod content;
pub mod host;
pub mod polite;
pub mod robots;
pub mod robots_rules;
pub mod scope;

pub use answer::{answer, check_hop, location_target, Answer, HopError};
pub use capture::Capture;
pub use client::{
    check_user_agent, default_user_agent, FetchError, FetchOptions, Fetched, Fetcher,
};
pub use host::{host_key, Host, RobotsState};
pub use polite::{Page, PoliteClient, PoliteError};
pub use robots::{fetch_robots, Robots, ROBOTS_TOKEN};
pub use scope::Scope;
