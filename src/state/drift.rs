//! Drift counts as the backends keep them: per (site, run) a tally of pages,
//! lost and fell back, plus a length histogram. [`DriftTable`] is the
//! memory backend's store, and what the SQL backends read their rows into
//! to give [`SiteDrift`] histories; the SQL text shared by both lives here
//! too.

use std::collections::BTreeMap;

use super::model::{DriftRun, SiteDrift};
use crate::limits::DRIFT_RUNS;
use crate::selectors::drift::DriftCounts;

/// Forgets, per site, the runs older than its [`DRIFT_RUNS`] newest ones
/// (SQLite and PostgreSQL, run as a batch).
pub(super) fn prune_sql() -> String {
    format!(
        "DELETE FROM drift WHERE run NOT IN
           (SELECT d.run FROM drift d WHERE d.site = drift.site ORDER BY d.run DESC LIMIT {DRIFT_RUNS});
         DELETE FROM drift_lengths WHERE NOT EXISTS
           (SELECT 1 FROM drift d WHERE d.site = drift_lengths.site AND d.run = drift_lengths.run);"
    )
}

/// Reads every run's totals: (site, run, pages, lost, fell_back).
pub(super) const SELECT_RUNS: &str = "SELECT site, run, pages, lost, fell_back FROM drift";

/// Reads every run's length buckets: (site, run, bucket, pages).
pub(super) const SELECT_LENGTHS: &str = "SELECT site, run, bucket, pages FROM drift_lengths";

/// Drift counts per (site, run).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DriftTable {
    rows: BTreeMap<(String, i64), DriftCounts>,
}

impl DriftTable {
    /// Adds a batch's counts to run `run`.
    pub fn add(&mut self, run: i64, batch: &[(String, DriftCounts)]) {
        for (site, counts) in batch {
            self.rows
                .entry((site.clone(), run))
                .or_default()
                .merge(counts);
        }
    }

    /// Adds a stored row's totals.
    pub fn add_totals(&mut self, site: String, run: i64, pages: u64, lost: u64, fell_back: u64) {
        let c = self.rows.entry((site, run)).or_default();
        c.pages += pages;
        c.lost += lost;
        c.fell_back += fell_back;
    }

    /// Adds a stored length bucket (one a later build added is ignored).
    pub fn add_bucket(&mut self, site: String, run: i64, bucket: i64, pages: u64) {
        let c = self.rows.entry((site, run)).or_default();
        if let Ok(b) = usize::try_from(bucket) {
            c.lengths.add_to_bucket(b, pages);
        }
    }

    /// Forgets, per site, the runs older than its [`DRIFT_RUNS`] newest.
    pub fn prune(&mut self) {
        let mut kept: BTreeMap<String, usize> = BTreeMap::new();
        // Newest first within each site.
        let keys: Vec<(String, i64)> = self.rows.keys().rev().cloned().collect();
        for key in keys {
            let n = kept.entry(key.0.clone()).or_default();
            *n += 1;
            if *n > DRIFT_RUNS {
                self.rows.remove(&key);
            }
        }
    }

    /// Per site (sorted), its last [`DRIFT_RUNS`] runs, oldest first;
    /// `current` is the run this handle's crawler is in, if any.
    pub fn history(&self, current: Option<i64>) -> Vec<SiteDrift> {
        let mut out: Vec<SiteDrift> = Vec::new();
        for ((site, run), counts) in &self.rows {
            if out.last().is_none_or(|s| &s.site != site) {
                out.push(SiteDrift {
                    site: site.clone(),
                    runs: Vec::new(),
                });
            }
            if let Some(s) = out.last_mut() {
                s.runs.push(DriftRun {
                    run: *run,
                    counts: *counts,
                    current: current == Some(*run),
                });
            }
        }
        for s in &mut out {
            let excess = s.runs.len().saturating_sub(DRIFT_RUNS);
            s.runs.drain(..excess);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selectors::drift::{DriftSample, PageFate};

    fn counts(pages: u64, lost: u64) -> DriftCounts {
        let mut c = DriftCounts::default();
        for i in 0..pages {
            c.add(&DriftSample {
                site: String::new(),
                fate: if i < lost {
                    PageFate::Lost
                } else {
                    PageFate::Used
                },
                body_chars: 1000,
            });
        }
        c
    }

    #[test]
    fn batches_of_one_run_add_up_and_runs_stay_apart() {
        let mut t = DriftTable::default();
        t.add(1, &[("a".into(), counts(2, 0)), ("b".into(), counts(1, 1))]);
        t.add(1, &[("a".into(), counts(3, 1))]);
        t.add(2, &[("a".into(), counts(4, 4))]);
        let h = t.history(Some(2));
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].site, "a");
        let a: Vec<(i64, u64, u64, bool)> = h[0]
            .runs
            .iter()
            .map(|r| (r.run, r.counts.pages, r.counts.lost, r.current))
            .collect();
        assert_eq!(a, [(1, 5, 1, false), (2, 4, 4, true)]);
        assert_eq!(h[0].runs[0].counts.lengths.total(), 5);
        assert_eq!((h[1].site.as_str(), h[1].runs.len()), ("b", 1));
    }

    #[test]
    fn only_the_newest_runs_of_each_site_are_kept() {
        let mut t = DriftTable::default();
        let runs = DRIFT_RUNS as i64 + 5;
        for run in 1..=runs {
            t.add(run, &[("a".into(), counts(1, 0))]);
        }
        t.add(1, &[("b".into(), counts(1, 0))]);
        assert_eq!(t.history(None)[0].runs.len(), DRIFT_RUNS);
        assert_eq!(t.history(None)[0].runs[0].run, 6);
        t.prune();
        assert_eq!(t.rows.len(), DRIFT_RUNS + 1, "b's only run stays");
        assert_eq!(t.history(None)[0].runs[0].run, 6);
    }
}
