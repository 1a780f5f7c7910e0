//! Per-host politeness, the same for a crawl and for `extract URL`: one
//! next-allowed time per host (spacing of at least 1/R, or the robots.txt
//! `Crawl-delay`, or the site's `rate`, whichever is slowest; retries and
//! redirect hops included), pauses from `Retry-After`, and retry back-off
//! with jitter. A host is keyed by its lower-cased name plus its port when
//! not the default ([`host_key`]).
//!
//! A keyed rate limiter applies one quota to every key; hosts here differ
//! (Crawl-delay, Retry-After), so each host holds its own governor limiter
//! (quota: one request per interval, no burst) checked when a request is
//! dispatched, plus a next-allowed time measured from when the previous
//! request actually left (a task can start later than it was dispatched)
//! and at most one request in flight.

use std::num::NonZeroU32;
use std::time::{Duration, Instant, SystemTime};

use governor::{Quota, RateLimiter};
use url::Url;

use super::robots::Robots;
use crate::limits::{MAX_CRAWL_DELAY, MAX_RATE, MAX_RETRY_AFTER};
use crate::selectors::SiteRegistry;

/// The default per-host rate: one request per second.
pub const DEFAULT_RATE: f64 = 1.0;

/// Checks a per-host rate (`--rate`, a site's `rate`): between one request
/// per [`MAX_CRAWL_DELAY`] and [`MAX_RATE`] requests per second.
pub fn check_rate(rate: f64) -> Result<(), String> {
    let slowest = 1.0 / MAX_CRAWL_DELAY.as_secs_f64();
    if rate.is_finite() && (slowest..=MAX_RATE).contains(&rate) {
        return Ok(());
    }
    Err(format!(
        "{rate:?}: must be between {slowest:.6} (one request per {} s) and {MAX_RATE} requests per second",
        MAX_CRAWL_DELAY.as_secs()
    ))
}

/// The politeness, scope and robots.txt key of a URL: lower-case host plus
/// the port when it is not the scheme's default.
pub fn host_key(url: &Url) -> String {
    crate::extract::host_with_port(url)
}

/// The spacing between requests for a rate in requests per second, at most
/// [`MAX_CRAWL_DELAY`] (rates are validated where they enter; this keeps
/// the arithmetic safe whatever comes).
fn interval_for_rate(rate: f64) -> Duration {
    let slowest = MAX_CRAWL_DELAY.as_secs_f64();
    let secs = if rate > 0.0 {
        (1.0 / rate).min(slowest)
    } else {
        slowest
    };
    Duration::from_secs_f64(secs)
}

/// A host's robots.txt as far as this run knows it.
#[derive(Debug, Clone)]
pub enum RobotsState {
    /// Not fetched yet.
    Unknown,
    /// The fetch is in flight.
    Fetching,
    /// Fetched and interpreted.
    Ready(Robots),
}

/// One host's scheduling state.
#[derive(Debug)]
pub struct Host {
    /// The host key (lower-case host, port when not default).
    pub key: String,
    /// robots.txt.
    pub robots: RobotsState,
    /// A request to this host is in flight.
    pub busy: bool,
    /// No request starts before this.
    pub next_allowed: Instant,
    /// The spacing between request starts.
    pub interval: Duration,
    /// The frontier may hold unclaimed entries of this host.
    pub has_work: bool,
    /// Pages of this host whose response was read and whose extraction
    /// has not ended: the host is free for its next request meanwhile.
    pub extracting: u32,
    /// The frontier had nothing left for this host while some of its pages
    /// were extracting (their links may add more): not asked again until
    /// they end.
    pub drained: bool,
    /// Extra request headers from the site config.
    pub headers: Vec<(String, String)>,
    /// Errors seen on this host (for the summary).
    pub errors: u64,
    /// One request per interval, never a burst.
    limiter: governor::DefaultDirectRateLimiter,
}

/// A limiter allowing one request per `interval`, with no burst.
fn limiter_for(interval: Duration) -> governor::DefaultDirectRateLimiter {
    let period = interval.max(Duration::from_micros(1));
    let quota = Quota::with_period(period)
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::MIN);
    RateLimiter::direct(quota)
}

impl Host {
    /// Host `key` as the policy treats it: requests 1/`rate` apart, or
    /// slower when the site config matching the host has a slower `rate`,
    /// with that config's extra request headers.
    pub fn for_site(key: &str, rate: f64, sites: &SiteRegistry) -> Self {
        let site = sites.for_host(key);
        let mut interval = interval_for_rate(rate);
        if let Some(site_rate) = site.and_then(|s| s.rate) {
            interval = interval.max(interval_for_rate(site_rate));
        }
        let headers = site.map(|s| s.headers.clone()).unwrap_or_default();
        Self::new(key.to_string(), interval, headers)
    }

    /// A host with a base spacing of `interval`.
    pub fn new(key: String, interval: Duration, headers: Vec<(String, String)>) -> Self {
        Self {
            key,
            robots: RobotsState::Unknown,
            busy: false,
            next_allowed: Instant::now(),
            interval,
            has_work: false,
            extracting: 0,
            drained: false,
            headers,
            errors: 0,
            limiter: limiter_for(interval),
        }
    }

    /// Takes the host's governor permit for a request starting now; `Err`
    /// carries how long to wait. A permit taken for a request that then is
    /// not sent only delays the next one.
    pub fn take_permit(&self) -> Result<(), Duration> {
        self.limiter.check().map_err(|not_until| {
            not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ))
        })
    }

    /// Marks a request as starting now: busy, and the next one no earlier
    /// than one interval later.
    pub fn start_request(&mut self, now: Instant) {
        self.busy = true;
        self.next_allowed = self.next_allowed.max(now + self.interval);
    }

    /// The request started by [`Host::start_request`] is over; it actually
    /// left at `sent_at` (a task can start later than it was dispatched), so
    /// the next one waits a full interval from then.
    pub fn request_sent(&mut self, sent_at: Instant) {
        self.busy = false;
        self.next_allowed = self.next_allowed.max(sent_at + self.interval);
    }

    /// The response of the request started by [`Host::start_request`] was
    /// read (it left at `sent_at`); its page is being extracted, which
    /// [`Host::page_done`] ends. The host may serve its next request.
    pub fn response_read(&mut self, sent_at: Instant) {
        self.request_sent(sent_at);
        self.extracting += 1;
    }

    /// A page counted by [`Host::response_read`] was handled.
    pub fn page_done(&mut self) {
        self.extracting = self.extracting.saturating_sub(1);
        if self.extracting == 0 {
            self.drained = false;
        }
    }

    /// Applies a robots.txt `Crawl-delay` (when slower than the current
    /// spacing; at most [`MAX_CRAWL_DELAY`]).
    pub fn apply_crawl_delay(&mut self, delay: Duration) {
        let d = delay.min(MAX_CRAWL_DELAY);
        if d > self.interval {
            // The request that fetched robots.txt started one old interval ago at most.
            self.next_allowed += d - self.interval;
            self.interval = d;
            self.limiter = limiter_for(d);
        }
    }

    /// No request to this host before `until`.
    pub fn pause_until(&mut self, until: Instant) {
        self.next_allowed = self.next_allowed.max(until);
    }

    /// True when a request may start now.
    pub fn ready(&self, now: Instant) -> bool {
        !self.busy && self.next_allowed <= now
    }

    /// Stores the host's robots.txt, applying its `Crawl-delay`.
    pub fn set_robots(&mut self, robots: Robots) {
        if let Some(d) = robots.crawl_delay() {
            self.apply_crawl_delay(d);
        }
        self.robots = RobotsState::Ready(robots);
    }
}

/// Parses `Retry-After` (delta seconds or an HTTP-date) into a wait from now;
/// capped at [`MAX_RETRY_AFTER`].
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    let d = if let Ok(secs) = v.parse::<u64>() {
        Duration::from_secs(secs)
    } else {
        let when = httpdate::parse_http_date(v).ok()?;
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO)
    };
    Some(d.min(MAX_RETRY_AFTER))
}

/// Back-off before retry number `attempt` (1-based): 0.5 s doubling, at
/// least the host's spacing, with up to 25 % jitter.
pub fn backoff(attempt: u32, interval: Duration) -> Duration {
    let base = Duration::from_millis(500) * 2u32.saturating_pow(attempt.saturating_sub(1).min(6));
    let base = base.max(interval);
    let jitter = base.mul_f64(fastrand::f64() * 0.25);
    base + jitter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn governor_permits_one_request_per_interval() {
        let h = Host::new("h".into(), Duration::from_millis(200), Vec::new());
        assert!(h.take_permit().is_ok());
        let wait = h.take_permit().unwrap_err();
        assert!(
            wait > Duration::from_millis(100) && wait <= Duration::from_millis(200),
            "{wait:?}"
        );
    }

    #[test]
    fn a_host_is_free_while_its_pages_are_extracted() {
        let step = Duration::from_millis(100);
        let mut h = Host::new("h".into(), step, vec![]);
        let t = Instant::now();
        h.start_request(t);
        h.response_read(t);
        assert!(!h.busy);
        assert_eq!(h.extracting, 1);
        assert!(!h.ready(t + step / 2));
        assert!(h.ready(t + step));
        h.start_request(t + step);
        h.response_read(t + step);
        assert_eq!(h.extracting, 2);
        h.drained = true;
        h.page_done();
        assert!(h.drained);
        h.page_done();
        assert!(!h.drained);
        assert_eq!(h.extracting, 0);
        h.page_done();
        assert_eq!(h.extracting, 0);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        let later = SystemTime::now() + Duration::from_secs(120);
        let d = parse_retry_after(&httpdate::fmt_http_date(later)).unwrap();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(120),
            "{d:?}"
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn spacing_and_backoff_grow() {
        let mut h = Host::new("h".into(), Duration::from_millis(100), vec![]);
        let t = Instant::now();
        h.start_request(t);
        assert!(!h.ready(t));
        h.busy = false;
        assert!(h.ready(t + Duration::from_millis(100)));
        h.apply_crawl_delay(Duration::from_secs(2));
        assert!(!h.ready(t + Duration::from_millis(1500)));
        assert!(
            backoff(2, Duration::ZERO)
                > backoff(1, Duration::ZERO).mul_f64(1.25) - Duration::from_millis(1)
        );
        assert!(backoff(1, Duration::from_secs(3)) >= Duration::from_secs(3));
    }
}
