//! Drift: has a site's config started to lose? Per run, a crawl counts for
//! each site the pages its config gave, how many of them lost the
//! arbitration to the generic extractor or fell back to it, and their
//! body lengths ([`RunCounts`]); [`drift`] compares the latest run with
//! the site's own history, so that a cron user learns that a site changed
//! before anyone reads the output.

/// What became of a site config on one page, as drift counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFate {
    /// The config's body was used (whole or merged).
    Used,
    /// The generic body won the arbitration.
    Lost,
    /// The config's body was unusable (matched nothing, too little).
    FellBack,
}

/// One page of a configured site, as the crawl state records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftSample {
    /// The config's name.
    pub site: String,
    /// What became of the config.
    pub fate: PageFate,
    /// Characters of the record's body.
    pub body_chars: usize,
}

/// One run's counts for one site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// Pages extracted with the site's config.
    pub pages: u64,
    /// Of which the generic body won the arbitration.
    pub lost: u64,
    /// Of which the config fell back.
    pub fell_back: u64,
    /// Median body length of those pages, in characters.
    pub median_chars: u64,
}

impl RunCounts {
    /// Counts a run's samples of one site.
    pub fn of<'a>(samples: impl IntoIterator<Item = &'a DriftSample>) -> Self {
        let mut c = Self::default();
        let mut lengths = Vec::new();
        for s in samples {
            c.pages += 1;
            match s.fate {
                PageFate::Used => {}
                PageFate::Lost => c.lost += 1,
                PageFate::FellBack => c.fell_back += 1,
            }
            lengths.push(s.body_chars as u64);
        }
        lengths.sort_unstable();
        c.median_chars = lengths.get(lengths.len() / 2).copied().unwrap_or(0);
        c
    }

    /// Pages where the config was not used.
    pub fn not_used(&self) -> u64 {
        self.lost + self.fell_back
    }
}

/// The verdict on a site's latest run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drift {
    /// Too few pages, in the run or in the history, to judge.
    NotEnoughData,
    /// As usual.
    Steady,
    /// The config lost or fell back on a clearly larger share of pages
    /// than it usually does.
    Losing {
        /// Share of the latest run's pages.
        share: f64,
        /// The usual share, over the history.
        usual: f64,
    },
    /// Bodies became much shorter or longer than usual (the config may
    /// select another block that the arbitration did not catch).
    LengthShift {
        /// The latest run's median body length.
        median: u64,
        /// The usual median.
        usual: u64,
    },
}

/// Fewest pages, in the latest run and in the history, to judge by.
pub const MIN_PAGES: u64 = 5;

/// Smallest rise of the not-used share that counts as "started to lose".
pub const MIN_RISE: f64 = 0.2;

/// Factor by which the median body length must change to count.
pub const LENGTH_FACTOR: u64 = 2;

/// Judges `latest` against the site's `history` (earlier runs, any order):
/// losing when the share of pages where the config was not used exceeds
/// the usual share by [`MIN_RISE`] and by three standard errors of that
/// usual share over the run's pages; else a length shift when the median
/// body length moved by a factor of [`LENGTH_FACTOR`] from the median of
/// the earlier runs' medians.
pub fn drift(history: &[RunCounts], latest: &RunCounts) -> Drift {
    let past_pages: u64 = history.iter().map(|r| r.pages).sum();
    if latest.pages < MIN_PAGES || past_pages < MIN_PAGES {
        return Drift::NotEnoughData;
    }
    let past_not_used: u64 = history.iter().map(RunCounts::not_used).sum();
    // Laplace-smoothed, so that a spotless history is not a certainty.
    let usual = (past_not_used as f64 + 1.0) / (past_pages as f64 + 2.0);
    let share = latest.not_used() as f64 / latest.pages as f64;
    let spread = 3.0 * (usual * (1.0 - usual) / latest.pages as f64).sqrt();
    if share >= usual + MIN_RISE.max(spread) {
        return Drift::Losing { share, usual };
    }
    let mut medians: Vec<u64> = history
        .iter()
        .filter(|r| r.pages >= MIN_PAGES)
        .map(|r| r.median_chars)
        .collect();
    if medians.is_empty() {
        return Drift::Steady;
    }
    medians.sort_unstable();
    let usual_median = medians[medians.len() / 2];
    let median = latest.median_chars;
    if median * LENGTH_FACTOR < usual_median || median > usual_median * LENGTH_FACTOR {
        return Drift::LengthShift {
            median,
            usual: usual_median,
        };
    }
    Drift::Steady
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pages: u64, lost: u64, fell_back: u64, median_chars: u64) -> RunCounts {
        RunCounts {
            pages,
            lost,
            fell_back,
            median_chars,
        }
    }

    #[test]
    fn the_rule_as_a_table() {
        let steady_history = [
            run(40, 1, 0, 3000),
            run(50, 0, 1, 3200),
            run(45, 2, 0, 2900),
        ];
        let lossy_history = [run(40, 10, 2, 3000), run(50, 11, 3, 3100)];
        for (history, latest, want) in [
            // too little to judge
            (&steady_history[..], run(4, 4, 0, 3000), "none"),
            (&[run(3, 0, 0, 3000)][..], run(40, 30, 0, 3000), "none"),
            (&[][..], run(40, 30, 0, 3000), "none"),
            // as usual
            (&steady_history[..], run(40, 1, 1, 3100), "steady"),
            (&lossy_history[..], run(40, 12, 1, 3000), "steady"),
            // started to lose: fell back or lost the arbitration
            (&steady_history[..], run(40, 0, 12, 3000), "losing"),
            (&steady_history[..], run(40, 12, 0, 3000), "losing"),
            (&lossy_history[..], run(40, 25, 0, 3000), "losing"),
            // a small run needs a bigger rise
            (&steady_history[..], run(6, 1, 0, 3000), "steady"),
            (&steady_history[..], run(6, 3, 0, 3000), "losing"),
            // bodies halved or doubled
            (&steady_history[..], run(40, 1, 0, 1200), "length"),
            (&steady_history[..], run(40, 1, 0, 7000), "length"),
            (&steady_history[..], run(40, 1, 0, 1600), "steady"),
        ] {
            let got = match drift(history, &latest) {
                Drift::NotEnoughData => "none",
                Drift::Steady => "steady",
                Drift::Losing { .. } => "losing",
                Drift::LengthShift { .. } => "length",
            };
            assert_eq!(got, want, "{history:?} then {latest:?}");
        }
    }

    #[test]
    fn counts_of_a_run() {
        let s = |fate, body_chars| DriftSample {
            site: "x".into(),
            fate,
            body_chars,
        };
        let samples = [
            s(PageFate::Used, 100),
            s(PageFate::Lost, 300),
            s(PageFate::FellBack, 200),
            s(PageFate::Used, 5000),
        ];
        assert_eq!(RunCounts::of(&samples), run(4, 1, 1, 300));
        assert_eq!(RunCounts::of(&[]), RunCounts::default());
    }
}
