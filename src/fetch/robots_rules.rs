//! A robots.txt compiled once into the rules that bind one agent.
//!
//! The `robotstxt` crate (Google's parser, ported) reads the file through its
//! parse-handler interface; the handler keeps the groups that name our token
//! and the `*` groups, as Google's matcher does, plus `Crawl-delay` and
//! `Sitemap:`. Each URL is then answered from the kept rules: the longest
//! matching pattern wins, `Allow` on a tie; rules of a group naming our token
//! replace the `*` groups. (The crate's own matcher re-parses the whole file
//! for every URL, 6 ms per URL on a 530 KB file, and its wildcard matcher
//! grows quadratically in memory with `*`-heavy patterns.)
//!
//! Plain patterns (most of a large file) sit in a hash map, so a URL costs
//! one lookup per prefix of its path; only patterns with `*` or a final `$`
//! are tried one by one.

use std::time::Duration;

use rustc_hash::FxHashMap;

use robotstxt::{get_path_params_query, RobotsParseHandler};

use crate::limits::MAX_CRAWL_DELAY;

/// One `Allow` or `Disallow` line with a wildcard.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    /// The path pattern, percent-escaped by the parser (`*` any run of
    /// characters, a final `$` the end of the path).
    pattern: String,
    /// `Allow` (true) or `Disallow`.
    allow: bool,
}

/// The rules of one set of groups.
#[derive(Debug, Clone, Default, PartialEq)]
struct Rules {
    /// Plain prefixes: (some `Allow` has it, some `Disallow` has it).
    plain: FxHashMap<String, (bool, bool)>,
    /// Patterns with `*` or a final `$`.
    wild: Vec<Rule>,
    /// How many lines.
    count: usize,
}

impl Rules {
    fn push(&mut self, pattern: &str, allow: bool) {
        self.count += 1;
        if pattern.is_empty() {
            // An empty pattern matches with priority 0: no rule at all.
            return;
        }
        if pattern.contains('*') || pattern.ends_with('$') {
            self.wild.push(Rule {
                pattern: pattern.to_string(),
                allow,
            });
            return;
        }
        let e = self.plain.entry(pattern.to_string()).or_default();
        if allow {
            e.0 = true;
        } else {
            e.1 = true;
        }
    }

    /// The longest matching `Allow` and `Disallow` patterns' lengths (0
    /// when none matches).
    fn priorities(&self, path: &str) -> (usize, usize) {
        let (mut allow, mut disallow) = (0, 0);
        if !self.plain.is_empty() {
            for len in (1..=path.len()).rev() {
                if allow > 0 && disallow > 0 {
                    break;
                }
                let Some(prefix) = path.get(..len) else {
                    continue;
                };
                if let Some(&(a, d)) = self.plain.get(prefix) {
                    if a && allow == 0 {
                        allow = len;
                    }
                    if d && disallow == 0 {
                        disallow = len;
                    }
                }
            }
        }
        for r in &self.wild {
            let best = if r.allow { &mut allow } else { &mut disallow };
            if r.pattern.len() > *best && pattern_matches(&r.pattern, path) {
                *best = r.pattern.len();
            }
        }
        (allow, disallow)
    }
}

/// The rules of one robots.txt that bind one agent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSet {
    /// Rules of groups naming the agent.
    specific: Rules,
    /// Rules of `*` groups.
    global: Rules,
    /// Some group names the agent (even one without rules): the `*` groups
    /// then do not apply.
    names_agent: bool,
    /// `Crawl-delay` of the agent's group, else of a `*` group, capped at
    /// [`MAX_CRAWL_DELAY`].
    pub crawl_delay: Option<Duration>,
    /// `Sitemap:` URLs.
    pub sitemaps: Vec<String>,
    /// The text parsed (the part obeyed), for the other crawlers of a
    /// shared state, which parse it again.
    pub source: String,
}

impl RuleSet {
    /// Parses `body` for the agent token `agent` (e.g. `newscrawl`).
    pub fn parse(body: &str, agent: &str) -> Self {
        let mut c = Collector {
            agent,
            set: RuleSet::default(),
            in_specific: false,
            in_global: false,
            after_rules: false,
            specific_delay: None,
            global_delay: None,
        };
        robotstxt::parse_robotstxt(body, &mut c);
        let mut set = c.set;
        set.crawl_delay = c.specific_delay.or(c.global_delay);
        set.source = body.to_string();
        set
    }

    /// True when the agent may fetch `url` (an absolute, percent-encoded URL).
    pub fn is_allowed(&self, url: &str) -> bool {
        let path = get_path_params_query(url);
        if path == "/robots.txt" {
            return true;
        }
        let (allow, disallow) = self.specific.priorities(&path);
        if allow > 0 || disallow > 0 {
            return allow >= disallow;
        }
        if self.names_agent {
            return true;
        }
        let (allow, disallow) = self.global.priorities(&path);
        allow >= disallow
    }

    /// How many `Allow`/`Disallow` rules bind the agent.
    pub fn len(&self) -> usize {
        if self.names_agent {
            self.specific.count
        } else {
            self.global.count
        }
    }

    /// True when no rule binds the agent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// True when `pattern` matches the start of `path`: `*` stands for any run
/// of characters, a final `$` for the end of the path. The pieces between
/// stars are placed leftmost, one `find` each, so the time is linear in the
/// path for each piece (a leftmost placement never loses a match for a
/// pattern whose only wildcard is `*`).
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = path.strip_prefix(first) else {
        return false;
    };
    let mut last: Option<&str> = None;
    for piece in pieces {
        if let Some(prev) = last.replace(piece) {
            match rest.find(prev) {
                Some(i) => rest = &rest[i + prev.len()..],
                None => return false,
            }
        }
    }
    match (last, anchored) {
        (None, true) => rest.is_empty(),
        (None, false) => true,
        (Some(tail), true) => rest.ends_with(tail),
        (Some(tail), false) => rest.contains(tail),
    }
}

/// The parse handler: Google's grouping rules (a user-agent line after a
/// rule starts a new group; `*` followed by nothing or a space is the
/// global agent; an agent line matches our token up to its first character
/// outside `[A-Za-z_-]`, ignoring case).
struct Collector<'a> {
    agent: &'a str,
    set: RuleSet,
    in_specific: bool,
    in_global: bool,
    after_rules: bool,
    specific_delay: Option<Duration>,
    global_delay: Option<Duration>,
}

impl Collector<'_> {
    fn push(&mut self, pattern: &str, allow: bool) {
        if self.in_specific {
            self.set.specific.push(pattern, allow);
        } else if self.in_global {
            self.set.global.push(pattern, allow);
        }
    }

    fn in_group(&self) -> bool {
        self.in_specific || self.in_global
    }
}

impl RobotsParseHandler for Collector<'_> {
    fn handle_robots_start(&mut self) {}
    fn handle_robots_end(&mut self) {}

    fn handle_user_agent(&mut self, _line: u32, user_agent: &str) {
        if self.after_rules {
            self.in_specific = false;
            self.in_global = false;
            self.after_rules = false;
        }
        let ua = user_agent.trim();
        if ua.starts_with('*') && (ua.len() == 1 || ua[1..].starts_with(char::is_whitespace)) {
            self.in_global = true;
            return;
        }
        let end = ua
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
            .unwrap_or(ua.len());
        if ua[..end].eq_ignore_ascii_case(self.agent) {
            self.in_specific = true;
            self.set.names_agent = true;
        }
    }

    fn handle_allow(&mut self, _line: u32, value: &str) {
        if !self.in_group() {
            return;
        }
        self.after_rules = true;
        self.push(value, true);
        // Google: `.../index.htm(l)` also allows the directory itself.
        if let Some(slash) = value.rfind('/') {
            if value[slash..].starts_with("/index.htm") {
                let dir = format!("{}$", &value[..=slash]);
                self.push(&dir, true);
            }
        }
    }

    fn handle_disallow(&mut self, _line: u32, value: &str) {
        if !self.in_group() {
            return;
        }
        self.after_rules = true;
        self.push(value, false);
    }

    fn handle_sitemap(&mut self, _line: u32, value: &str) {
        self.after_rules = true;
        let v = value.trim();
        if !v.is_empty() {
            self.set.sitemaps.push(v.to_string());
        }
    }

    fn handle_unknown_action(&mut self, _line: u32, action: &str, value: &str) {
        self.after_rules = true;
        if !action.eq_ignore_ascii_case("crawl-delay") {
            return;
        }
        let Ok(secs) = value.trim().parse::<f64>() else {
            return;
        };
        if !(secs.is_finite() && secs >= 0.0) {
            return;
        }
        let delay = Duration::from_secs_f64(secs.min(MAX_CRAWL_DELAY.as_secs_f64()));
        if self.in_specific {
            self.specific_delay.get_or_insert(delay);
        } else if self.in_global {
            self.global_delay.get_or_insert(delay);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: newscrawl\nDisallow: /nc-only/\nCrawl-delay: 5\n\nSitemap: https://example.com/sitemap.xml\n";

    fn allowed(file: &str, url: &str) -> bool {
        RuleSet::parse(file, "newscrawl").is_allowed(url)
    }

    #[test]
    fn our_group_replaces_the_star_group() {
        let r = RuleSet::parse(FILE, "newscrawl");
        assert!(!r.is_allowed("https://example.com/nc-only/a"));
        assert!(r.is_allowed("https://example.com/private/a"));
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(5)));
        assert_eq!(r.sitemaps, ["https://example.com/sitemap.xml"]);
        let other = RuleSet::parse(FILE, "otherbot");
        assert!(!other.is_allowed("https://example.com/private/a"));
        assert_eq!(other.crawl_delay, Some(Duration::from_secs(2)));
    }

    #[test]
    fn longest_match_wins_and_allow_wins_ties() {
        let f =
            "User-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow: /a/b/c\nAllow: /x\nDisallow: /x\n";
        assert!(!allowed(f, "http://h/a/z"));
        assert!(allowed(f, "http://h/a/b/z"));
        assert!(!allowed(f, "http://h/a/b/c/z"));
        assert!(allowed(f, "http://h/x"));
        assert!(allowed(f, "http://h/robots.txt"));
    }

    #[test]
    fn wildcards_and_end_anchor() {
        let f = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*/print/*\nDisallow: /exact$\n";
        assert!(!allowed(f, "http://h/files/a.pdf"));
        assert!(allowed(f, "http://h/files/a.pdf?x=1"));
        assert!(!allowed(f, "http://h/2024/print/a"));
        assert!(allowed(f, "http://h/2024/printer/a"));
        assert!(!allowed(f, "http://h/exact"));
        assert!(allowed(f, "http://h/exactly"));
        assert!(pattern_matches("/a*b*c$", "/axxbyyc"));
        assert!(!pattern_matches("/a*b*c$", "/axxbyycd"));
        assert!(pattern_matches("/a*c$", "/abcbc"));
        assert!(pattern_matches("*", "/anything"));
        assert!(pattern_matches("/$", "/"));
        assert!(!pattern_matches("/$", "/a"));
    }

    #[test]
    fn groups_agent_tokens_and_index_html() {
        // Several agents share a group; a version suffix still names us.
        let f = "User-agent: foo\nUser-agent: NewsCrawl/2.0\nDisallow: /shared\n\nUser-agent: *\nDisallow: /\n";
        assert!(!allowed(f, "http://h/shared"));
        assert!(allowed(f, "http://h/other"));
        // A group naming us whose rules do not match: allowed, whatever `*` says.
        let f = "User-agent: newscrawl\nDisallow: /x\n\nUser-agent: *\nDisallow: /\n";
        assert!(allowed(f, "http://h/a"));
        assert!(!allowed(f, "http://h/x"));
        // Agent lines with no rule between them share one group (RFC 9309).
        let f = "User-agent: newscrawl\n\nUser-agent: *\nDisallow: /\n";
        assert!(!allowed(f, "http://h/a"));
        // Rules before any user-agent line bind nobody.
        assert!(allowed("Disallow: /\n", "http://h/a"));
        let f = "User-agent: *\nDisallow: /d/\nAllow: /d/index.html\n";
        assert!(allowed(f, "http://h/d/"));
        assert!(!allowed(f, "http://h/d/x"));
    }

    #[test]
    fn star_heavy_patterns_stay_linear() {
        let pattern = format!("/{}b$", "a*".repeat(5000));
        let f = format!("User-agent: *\nDisallow: {pattern}\n");
        let path = format!("/{}", "a".repeat(20_000));
        // Quadratic matching would take minutes here.
        assert!(allowed(&f, &format!("http://h{path}")));
    }

    #[test]
    fn same_answers_as_the_crates_matcher() {
        // Files and paths without '*'-heavy patterns, where the crate's own
        // (re-parsing) matcher is the reference (apart from /robots.txt,
        // which RFC 9309 always allows).
        let files = [
            FILE,
            "User-agent: *\nDisallow: /\nAllow: /public\nAllow: /$\n",
            "User-agent: NewsCrawl\nAllow: /a/\nDisallow: /a/b\n\nUser-agent: *\nDisallow: /a/\n",
            "User-agent: googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /x*y\nDisallow: /*.php$\n",
            "user-agent: *\ndisalow: /typo/\nAllow: /typo/ok\n# comment\nDisallow: /c?d=1\n",
            "User-agent: newscrawl\nUser-agent: other\nDisallow: /both/\nUser-agent: *\nDisallow: /\n",
            "User-agent: *\nDisallow: /d/\nAllow: /d/index.html\nDisallow: /caf\u{e9}/\n",
            "Disallow: /before-any-agent\nUser-agent: *\nDisallow:\n",
            "",
        ];
        let paths = [
            "/",
            "/a",
            "/a/",
            "/a/b",
            "/a/b/c",
            "/public",
            "/public/x",
            "/private/a",
            "/nc-only/a",
            "/x",
            "/xay",
            "/x/y/z",
            "/index.php",
            "/index.php?x",
            "/typo/a",
            "/typo/ok",
            "/c?d=1",
            "/c?d=2",
            "/both/a",
            "/d/",
            "/d/index.html",
            "/d/x",
            "/caf%C3%A9/a",
            "/before-any-agent",
        ];
        for file in files {
            let set = RuleSet::parse(file, "newscrawl");
            for path in paths {
                let url = format!("https://example.com{path}");
                let mut m = robotstxt::DefaultMatcher::default();
                let want = m.one_agent_allowed_by_robots(file, "newscrawl", &url);
                assert_eq!(set.is_allowed(&url), want, "{path} in {file:?}");
            }
        }
    }

    #[test]
    fn crawl_delay_is_capped() {
        let r = RuleSet::parse("User-agent: *\nCrawl-delay: 1e9\n", "newscrawl");
        assert_eq!(r.crawl_delay, Some(MAX_CRAWL_DELAY));
        let r = RuleSet::parse("User-agent: *\nCrawl-delay: soon\n", "newscrawl");
        assert_eq!(r.crawl_delay, None);
    }
}
