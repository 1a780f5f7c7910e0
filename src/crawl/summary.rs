//! Run counters, the progress display (an indicatif bar when stderr is a
//! terminal, periodic plain lines otherwise) and the end summary.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::state::Reason;

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Responses received for pages, feeds and sitemaps.
    pub fetched: u64,
    /// robots.txt files fetched.
    pub robots: u64,
    /// Articles written.
    pub written: u64,
    /// Skips by reason.
    pub skipped: BTreeMap<Reason, u64>,
    /// Failures by reason.
    pub failed: BTreeMap<Reason, u64>,
    /// Soft blocks by reason: bot challenges, consent walls, paywalled
    /// articles (written, marked).
    pub walls: BTreeMap<Reason, u64>,
    /// Errors per host.
    pub host_errors: BTreeMap<String, u64>,
    /// Retries scheduled.
    pub retries: u64,
    /// Articles written whose text matched another one of this run but for
    /// case, punctuation and spacing.
    pub near_duplicates: u64,
    /// Per configured site: (pages extracted with its config, pages where
    /// the config's body was unusable and generic extraction stood in).
    pub site_fallbacks: BTreeMap<String, (u64, u64)>,
    /// Hosts with work left for a later run because they are paused
    /// (Retry-After, Crawl-delay, a stored pause): seconds still to wait.
    pub paused_hosts: BTreeMap<String, u64>,
}

impl Summary {
    /// Counts a skip.
    pub fn skip(&mut self, reason: Reason) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    /// Counts a soft block (a wall).
    pub fn wall(&mut self, reason: Reason) {
        *self.walls.entry(reason).or_default() += 1;
    }

    /// Counts a failure on a host.
    pub fn fail(&mut self, reason: Reason, host: &str) {
        *self.failed.entry(reason).or_default() += 1;
        *self.host_errors.entry(host.to_string()).or_default() += 1;
    }

    /// Counts a page extracted under a site config, and whether the config
    /// fell back to generic extraction (a sign of a site redesign).
    pub fn site_page(&mut self, site: &str, fell_back: bool) {
        let e = self.site_fallbacks.entry(site.to_string()).or_default();
        e.0 += 1;
        if fell_back {
            e.1 += 1;
        }
    }

    /// Sites whose configs fell back on at least one page: `name fallbacks/pages`.
    pub fn broken_configs(&self) -> Vec<String> {
        self.site_fallbacks
            .iter()
            .filter(|(_, (_, fb))| *fb > 0)
            .map(|(name, (pages, fb))| format!("{name} {fb}/{pages}"))
            .collect()
    }

    /// Adds the counts of `other` (a part of the run counted apart: the
    /// results of one host until they are committed).
    pub fn merge(&mut self, other: Summary) {
        self.fetched += other.fetched;
        self.robots += other.robots;
        self.written += other.written;
        self.retries += other.retries;
        self.near_duplicates += other.near_duplicates;
        for (r, n) in other.skipped {
            *self.skipped.entry(r).or_default() += n;
        }
        for (r, n) in other.failed {
            *self.failed.entry(r).or_default() += n;
        }
        for (r, n) in other.walls {
            *self.walls.entry(r).or_default() += n;
        }
        for (h, n) in other.host_errors {
            *self.host_errors.entry(h).or_default() += n;
        }
        for (site, (pages, fb)) in other.site_fallbacks {
            let e = self.site_fallbacks.entry(site).or_default();
            e.0 += pages;
            e.1 += fb;
        }
        self.paused_hosts.extend(other.paused_hosts);
    }

    /// Total failures.
    pub fn failed_total(&self) -> u64 {
        self.failed.values().sum()
    }

    /// The end summary, several lines.
    pub fn render(&self, elapsed: Duration, stopped: &str) -> String {
        let list = |m: &BTreeMap<Reason, u64>| {
            if m.is_empty() {
                "none".to_string()
            } else {
                m.iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let mut s = format!(
            "newscrawl: crawl {stopped} after {:.1} s: fetched {} pages (+{} robots.txt), written {} articles, {} retries\n",
            elapsed.as_secs_f64(),
            self.fetched,
            self.robots,
            self.written,
            self.retries
        );
        s.push_str(&format!(
            "  skipped {}: {}\n",
            self.skipped.values().sum::<u64>(),
            list(&self.skipped)
        ));
        s.push_str(&format!(
            "  failed {}: {}\n",
            self.failed_total(),
            list(&self.failed)
        ));
        if !self.walls.is_empty() {
            s.push_str(&format!(
                "  walls {}: {}\n",
                self.walls.values().sum::<u64>(),
                list(&self.walls)
            ));
        }
        if self.near_duplicates > 0 {
            s.push_str(&format!(
                "  near-duplicates written: {}\n",
                self.near_duplicates
            ));
        }
        let broken = self.broken_configs();
        if !broken.is_empty() {
            s.push_str(&format!(
                "  site configs that look broken (pages that fell back to generic extraction): {}\n",
                broken.join(", ")
            ));
        }
        if !self.host_errors.is_empty() {
            let mut hosts: Vec<_> = self.host_errors.iter().collect();
            hosts.sort_by(|a, b| b.1.cmp(a.1));
            let top: Vec<String> = hosts
                .iter()
                .take(20)
                .map(|(h, n)| format!("{h} {n}"))
                .collect();
            s.push_str(&format!("  errors per host: {}\n", top.join(", ")));
        }
        if !self.paused_hosts.is_empty() {
            let hosts: Vec<String> = self
                .paused_hosts
                .iter()
                .take(20)
                .map(|(h, secs)| format!("{h} for {secs} s"))
                .collect();
            s.push_str(&format!(
                "  paused hosts left for a later run: {}{}\n",
                hosts.join(", "),
                if self.paused_hosts.len() > 20 {
                    ", ..."
                } else {
                    ""
                }
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merged_part_counts_as_if_counted_here() {
        let mut whole = Summary {
            written: 2,
            ..Default::default()
        };
        whole.skip(Reason::NotAnArticle);
        let mut part = Summary {
            written: 1,
            fetched: 3,
            ..Default::default()
        };
        part.skip(Reason::NotAnArticle);
        part.fail(Reason::Timeout, "h");
        part.site_page("s", true);
        part.wall(Reason::Paywall);
        whole.merge(part);
        assert_eq!((whole.written, whole.fetched), (3, 3));
        assert_eq!(whole.skipped[&Reason::NotAnArticle], 2);
        assert_eq!(whole.failed_total(), 1);
        assert_eq!(whole.host_errors["h"], 1);
        assert_eq!(whole.broken_configs(), ["s 1/1"]);
        assert_eq!(whole.walls[&Reason::Paywall], 1);
    }

    #[test]
    fn broken_configs_are_listed_in_the_summary() {
        let mut s = Summary::default();
        s.site_page("good", false);
        s.site_page("redesigned", true);
        s.site_page("redesigned", false);
        assert_eq!(s.broken_configs(), ["redesigned 1/2"]);
        let text = s.render(Duration::from_secs(1), "finished");
        assert!(
            text.contains("look broken") && text.contains("redesigned 1/2"),
            "{text}"
        );
    }

    #[test]
    fn reasons_and_paused_hosts_are_listed() {
        let mut s = Summary::default();
        s.skip(Reason::NotAnArticle);
        s.skip(Reason::NotAnArticle);
        s.fail(Reason::Http(503), "h");
        s.wall(Reason::Challenge);
        s.wall(Reason::Paywall);
        s.paused_hosts.insert("h".into(), 3600);
        let text = s.render(Duration::from_secs(1), "finished");
        assert!(
            text.contains("walls 2: bot challenge 1, paywall 1\n"),
            "{text}"
        );
        assert!(text.contains("skipped 2: not an article 2\n"), "{text}");
        assert!(text.contains("failed 1: http 503 1\n"), "{text}");
        assert!(
            text.contains("paused hosts left for a later run: h for 3600 s\n"),
            "{text}"
        );
    }
}

/// Progress on stderr.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    last_line: Instant,
    every: Duration,
}

impl Progress {
    /// A bar when stderr is a terminal, else a line every `every`.
    pub fn new(every: Duration) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new_spinner();
            b.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        let now = Instant::now();
        Self {
            bar,
            started: now,
            last_line: now,
            every,
        }
    }

    /// Updates the display.
    pub fn update(&mut self, s: &Summary, queued_hosts: usize, in_flight: usize) {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let msg = format!(
            "fetched {} | written {} | errors {} | in flight {in_flight} | hosts with work {queued_hosts} | {:.1} pages/s",
            s.fetched,
            s.written,
            s.failed_total(),
            s.fetched as f64 / secs
        );
        match &self.bar {
            Some(b) => b.set_message(msg),
            None if self.last_line.elapsed() >= self.every => {
                self.last_line = Instant::now();
                eprintln!("newscrawl: {msg}");
            }
            None => {}
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
