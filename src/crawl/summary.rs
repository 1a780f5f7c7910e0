//! Run counters, the progress display (an indicatif bar when stderr is a
//! terminal, periodic plain lines otherwise) and the end summary.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::selectors::drift::{describe, DriftCounts, DriftSample};
use crate::state::{Reason, SiteDrift};

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
    /// Per configured site: its article pages, how many of them its config
    /// lost to the generic extractor or fell back on, and their lengths
    /// (what the state's drift counts add up).
    pub sites: BTreeMap<String, DriftCounts>,
    /// Sites whose config drifted from its own history in this run, as
    /// [`describe`] words them.
    pub drifting: Vec<String>,
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

    /// Counts an article page extracted under a site config: whether the
    /// config was used, lost the arbitration or fell back (signs of a site
    /// redesign), and its body length.
    pub fn site_page(&mut self, sample: &DriftSample) {
        self.sites
            .entry(sample.site.clone())
            .or_default()
            .add(sample);
    }

    /// Sites whose configs lost or fell back on at least one page:
    /// `name not-used/pages`.
    pub fn broken_configs(&self) -> Vec<String> {
        self.sites
            .iter()
            .filter(|(_, c)| c.lost + c.fell_back > 0)
            .map(|(name, c)| format!("{name} {}/{}", c.lost + c.fell_back, c.pages))
            .collect()
    }

    /// Notes the sites whose run, as the state holds it (this crawler's
    /// pages and, on a shared state, those of the crawlers in the same
    /// run), drifted from their earlier runs.
    pub fn note_drift(&mut self, history: &[SiteDrift]) {
        self.drifting = history
            .iter()
            .filter(|s| s.in_current_run())
            .filter_map(|s| {
                let (latest, before) = s.latest_and_before()?;
                describe(&s.site, &before, &latest)
            })
            .collect();
    }

    /// Adds the counts of `other` (a part of the run counted apart: the
    /// results of one host until they are committed).
    pub fn merge(&mut self, other: Summary) {
        // Destructured whole: a new counter cannot be forgotten here.
        let Summary {
            fetched,
            robots,
            written,
            skipped,
            failed,
            walls,
            host_errors,
            retries,
            near_duplicates,
            sites,
            drifting,
            paused_hosts,
        } = other;
        self.fetched += fetched;
        self.robots += robots;
        self.written += written;
        self.retries += retries;
        self.near_duplicates += near_duplicates;
        for (r, n) in skipped {
            *self.skipped.entry(r).or_default() += n;
        }
        for (r, n) in failed {
            *self.failed.entry(r).or_default() += n;
        }
        for (r, n) in walls {
            *self.walls.entry(r).or_default() += n;
        }
        for (h, n) in host_errors {
            *self.host_errors.entry(h).or_default() += n;
        }
        for (site, counts) in sites {
            self.sites.entry(site).or_default().merge(&counts);
        }
        self.drifting.extend(drifting);
        self.paused_hosts.extend(paused_hosts);
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
                "  site configs that look broken (pages where generic extraction stood in or won): {}\n",
                broken.join(", ")
            ));
        }
        if !self.drifting.is_empty() {
            s.push_str(&format!(
                "  configs drifting from their own history: {}\n",
                self.drifting.join(", ")
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
    use crate::selectors::drift::PageFate;
    use crate::state::DriftRun;

    fn sample(site: &str, fate: PageFate) -> DriftSample {
        DriftSample {
            site: site.into(),
            fate,
            body_chars: 2000,
        }
    }

    fn run_of(run: i64, used: usize, lost: usize, current: bool) -> DriftRun {
        let mut counts = DriftCounts::default();
        for i in 0..used + lost {
            let fate = if i < used {
                PageFate::Used
            } else {
                PageFate::Lost
            };
            counts.add(&sample("", fate));
        }
        DriftRun {
            run,
            counts,
            current,
        }
    }

    #[test]
    fn a_config_losing_in_the_current_run_is_named() {
        let site = |name: &str, runs| SiteDrift {
            site: name.into(),
            runs,
        };
        let history = [
            site(
                "ilpost",
                vec![run_of(1, 20, 0, false), run_of(2, 8, 12, true)],
            ),
            // Lost as much in an earlier run, not in this one.
            site(
                "zeit",
                vec![run_of(1, 20, 0, false), run_of(2, 0, 20, false)],
            ),
            site(
                "steady",
                vec![run_of(1, 20, 0, false), run_of(2, 19, 1, true)],
            ),
        ];
        let mut s = Summary::default();
        s.note_drift(&history);
        assert_eq!(
            s.drifting,
            ["ilpost (lost 12 of 20 pages this run, 0 of 20 before)"]
        );
        let text = s.render(Duration::from_secs(1), "finished");
        assert!(
            text.contains("  configs drifting from their own history: ilpost (lost 12 of 20"),
            "{text}"
        );
    }

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
        part.site_page(&sample("s", PageFate::FellBack));
        part.wall(Reason::Challenge);
        whole.merge(part);
        assert_eq!(whole.walls[&Reason::Challenge], 1);
        assert_eq!((whole.written, whole.fetched), (3, 3));
        assert_eq!(whole.skipped[&Reason::NotAnArticle], 2);
        assert_eq!(whole.failed_total(), 1);
        assert_eq!(whole.host_errors["h"], 1);
        assert_eq!(whole.broken_configs(), ["s 1/1"]);
    }

    #[test]
    fn broken_configs_are_listed_in_the_summary() {
        let mut s = Summary::default();
        s.site_page(&sample("good", PageFate::Used));
        s.site_page(&sample("redesigned", PageFate::FellBack));
        s.site_page(&sample("redesigned", PageFate::Used));
        s.site_page(&sample("redesigned", PageFate::Lost));
        assert_eq!(s.broken_configs(), ["redesigned 2/3"]);
        let text = s.render(Duration::from_secs(1), "finished");
        assert!(
            text.contains("look broken") && text.contains("redesigned 2/3"),
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
