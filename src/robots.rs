//! robots.txt: rules via the `robotstxt` crate (Google's matcher), with
//! `Crawl-delay` and `Sitemap:` read through its parse-handler interface.
//!
//! A 4xx robots.txt allows everything; a 5xx or unreachable one disallows
//! everything. A panic inside the matcher (robotstxt 0.3 panics on some real
//! files) counts as an unparsable file: allow all.

use std::panic::{catch_unwind, AssertUnwindSafe};

use robotstxt::{DefaultMatcher, RobotsParseHandler};

/// The robots token newscrawl obeys.
pub const ROBOTS_TOKEN: &str = "newscrawl";

/// What a host's robots.txt says.
#[derive(Debug, Clone, PartialEq)]
pub enum Robots {
    /// No usable file (4xx, unparsable): everything allowed.
    AllowAll,
    /// Server error or unreachable: nothing allowed for this run.
    DisallowAll,
    /// A parsed file.
    Rules {
        /// The file's text (the matcher reads it on each check).
        body: String,
        /// `Crawl-delay` for our token (or `*`), in seconds.
        crawl_delay: Option<f64>,
        /// `Sitemap:` URLs.
        sitemaps: Vec<String>,
    },
}

#[derive(Default)]
struct Collector {
    group_agents: Vec<String>,
    in_rules: bool,
    specific_delay: Option<f64>,
    global_delay: Option<f64>,
    sitemaps: Vec<String>,
}

impl RobotsParseHandler for Collector {
    fn handle_robots_start(&mut self) {}
    fn handle_robots_end(&mut self) {}
    fn handle_user_agent(&mut self, _line: u32, user_agent: &str) {
        if self.in_rules {
            self.group_agents.clear();
            self.in_rules = false;
        }
        self.group_agents
            .push(user_agent.trim().to_ascii_lowercase());
    }
    fn handle_allow(&mut self, _line: u32, _value: &str) {
        self.in_rules = true;
    }
    fn handle_disallow(&mut self, _line: u32, _value: &str) {
        self.in_rules = true;
    }
    fn handle_sitemap(&mut self, _line: u32, value: &str) {
        let v = value.trim();
        if !v.is_empty() {
            self.sitemaps.push(v.to_string());
        }
    }
    fn handle_unknown_action(&mut self, _line: u32, action: &str, value: &str) {
        if !action.eq_ignore_ascii_case("crawl-delay") {
            return;
        }
        self.in_rules = true;
        let Ok(delay) = value.trim().parse::<f64>() else {
            return;
        };
        if !(delay.is_finite() && delay >= 0.0) {
            return;
        }
        let delay = delay.min(3600.0);
        for agent in &self.group_agents {
            if agent == "*" {
                self.global_delay.get_or_insert(delay);
            } else if agent.starts_with(ROBOTS_TOKEN) {
                self.specific_delay.get_or_insert(delay);
            }
        }
    }
}

impl Robots {
    /// Interprets a robots.txt response by its HTTP status and body.
    pub fn from_response(status: u16, body: &str) -> Self {
        match status {
            200..=299 => Self::from_body(body),
            // A redirect the caller chose not to follow (the crawler keeps
            // every hop in scope) leaves the file unavailable: RFC 9309 treats
            // that like a 4xx.
            300..=499 => Self::AllowAll,
            _ => Self::DisallowAll,
        }
    }

    /// Parses a robots.txt body.
    pub fn from_body(body: &str) -> Self {
        let mut c = Collector::default();
        let parsed = catch_unwind(AssertUnwindSafe(|| {
            robotstxt::parse_robotstxt(body, &mut c)
        }));
        if parsed.is_err() {
            return Self::AllowAll;
        }
        Self::Rules {
            body: body.to_string(),
            crawl_delay: c.specific_delay.or(c.global_delay),
            sitemaps: c.sitemaps,
        }
    }

    /// True when `url` may be fetched by `newscrawl`.
    pub fn is_allowed(&self, url: &str) -> bool {
        match self {
            Self::AllowAll => true,
            Self::DisallowAll => false,
            Self::Rules { body, .. } => catch_unwind(AssertUnwindSafe(|| {
                let mut m = DefaultMatcher::default();
                m.one_agent_allowed_by_robots(body, ROBOTS_TOKEN, url)
            }))
            .unwrap_or(true),
        }
    }

    /// The Crawl-delay, when the file gives one.
    pub fn crawl_delay(&self) -> Option<f64> {
        match self {
            Self::Rules { crawl_delay, .. } => *crawl_delay,
            _ => None,
        }
    }

    /// The `Sitemap:` URLs.
    pub fn sitemaps(&self) -> &[String] {
        match self {
            Self::Rules { sitemaps, .. } => sitemaps,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: newscrawl\nDisallow: /nc-only/\nCrawl-delay: 5\n\nSitemap: https://example.com/sitemap.xml\n";

    #[test]
    fn rules_delay_and_sitemaps() {
        let r = Robots::from_body(FILE);
        assert!(!r.is_allowed("https://example.com/nc-only/a"));
        // The specific group replaces the `*` group for us.
        assert!(r.is_allowed("https://example.com/private/a"));
        assert_eq!(r.crawl_delay(), Some(5.0));
        assert_eq!(r.sitemaps(), ["https://example.com/sitemap.xml"]);
    }

    #[test]
    fn status_rules() {
        assert!(Robots::from_response(404, "").is_allowed("https://x/a"));
        assert!(!Robots::from_response(503, "").is_allowed("https://x/a"));
        let star = Robots::from_body("User-agent: *\nDisallow: /\n");
        assert!(!star.is_allowed("https://x/a"));
        assert_eq!(star.crawl_delay(), None);
    }
}
