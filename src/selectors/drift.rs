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

/// Buckets of [`LengthHistogram`].
pub const LENGTH_BUCKETS: usize = 49;

/// Lower bound, in characters, of the histogram's second bucket (the first
/// holds shorter bodies).
const FIRST_BOUND: f64 = 64.0;

/// Buckets per doubling of the body length.
const PER_DOUBLING: f64 = 4.0;

/// Body lengths of a run's pages, in buckets a quarter of a doubling wide
/// (bucket 0: under 64 characters; bucket `i`: from `64 * 2^((i-1)/4)` to
/// `64 * 2^(i/4)`; the last one open): runs and crawlers add theirs
/// together, which exact medians cannot, and the median read back is within
/// 10% of the exact one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LengthHistogram([u64; LENGTH_BUCKETS]);

impl Default for LengthHistogram {
    fn default() -> Self {
        Self([0; LENGTH_BUCKETS])
    }
}

impl LengthHistogram {
    /// The bucket of a body of `chars` characters.
    pub fn bucket(chars: u64) -> usize {
        if (chars as f64) < FIRST_BOUND {
            return 0;
        }
        let i = 1.0 + (PER_DOUBLING * (chars as f64 / FIRST_BOUND).log2()).floor();
        (i as usize).min(LENGTH_BUCKETS - 1)
    }

    /// Counts a body of `chars` characters.
    pub fn add_length(&mut self, chars: u64) {
        self.0[Self::bucket(chars)] += 1;
    }

    /// Adds `pages` to bucket `bucket` (as stored); false for a bucket
    /// this build does not know (nothing is added).
    pub fn add_to_bucket(&mut self, bucket: usize, pages: u64) -> bool {
        match self.0.get_mut(bucket) {
            Some(n) => {
                *n += pages;
                true
            }
            None => false,
        }
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &Self) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// The buckets holding pages: (bucket, pages), in bucket order.
    pub fn buckets(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.0.iter().copied().enumerate().filter(|(_, n)| *n > 0)
    }

    /// Pages counted.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// The median length, in characters (0 when empty): the geometric
    /// middle of the bucket holding the middle page (the upper one of two,
    /// as [`RunCounts::of`] takes).
    pub fn median(&self) -> u64 {
        let total = self.total();
        if total == 0 {
            return 0;
        }
        let mut seen = 0;
        for (i, n) in self.buckets() {
            seen += n;
            if seen > total / 2 {
                return Self::middle(i);
            }
        }
        0
    }

    fn middle(bucket: usize) -> u64 {
        match bucket {
            0 => (FIRST_BOUND / 2.0) as u64,
            b if b == LENGTH_BUCKETS - 1 => Self::lower_bound(b),
            b => (FIRST_BOUND * ((b as f64 - 0.5) / PER_DOUBLING).exp2()).round() as u64,
        }
    }

    fn lower_bound(bucket: usize) -> u64 {
        (FIRST_BOUND * ((bucket as f64 - 1.0) / PER_DOUBLING).exp2()).round() as u64
    }
}

/// A site's drift counts as the crawl state adds them up (per batch, per
/// run): pages, lost, fell back, and the body lengths in a histogram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DriftCounts {
    /// Pages extracted with the site's config.
    pub pages: u64,
    /// Of which the generic body won the arbitration.
    pub lost: u64,
    /// Of which the config fell back.
    pub fell_back: u64,
    /// Their body lengths.
    pub lengths: LengthHistogram,
}

impl DriftCounts {
    /// Counts one page.
    pub fn add(&mut self, sample: &DriftSample) {
        self.pages += 1;
        match sample.fate {
            PageFate::Used => {}
            PageFate::Lost => self.lost += 1,
            PageFate::FellBack => self.fell_back += 1,
        }
        self.lengths.add_length(sample.body_chars as u64);
    }

    /// Adds another tally of the same site.
    pub fn merge(&mut self, other: &Self) {
        self.pages += other.pages;
        self.lost += other.lost;
        self.fell_back += other.fell_back;
        self.lengths.merge(&other.lengths);
    }

    /// What [`drift`] judges (the median read from the histogram).
    pub fn run_counts(&self) -> RunCounts {
        RunCounts {
            pages: self.pages,
            lost: self.lost,
            fell_back: self.fell_back,
            median_chars: self.lengths.median(),
        }
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

/// A site whose latest run drifted, as the crawl summary and
/// `selectors health` word it: `ilpost (lost 12 of 20 pages this run, 0 of
/// 150 before)` or `ilpost (median body 900 characters this run, 3000
/// before)`; None when the run is steady or too small to judge.
pub fn describe(site: &str, history: &[RunCounts], latest: &RunCounts) -> Option<String> {
    match drift(history, latest) {
        Drift::Losing { .. } => {
            let past_pages: u64 = history.iter().map(|r| r.pages).sum();
            let past_not_used: u64 = history.iter().map(RunCounts::not_used).sum();
            Some(format!(
                "{site} (lost {} of {} pages this run, {past_not_used} of {past_pages} before)",
                latest.not_used(),
                latest.pages
            ))
        }
        Drift::LengthShift { median, usual } => Some(format!(
            "{site} (median body {median} characters this run, {usual} before)"
        )),
        Drift::NotEnoughData | Drift::Steady => None,
    }
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

    #[test]
    fn tallies_add_up_across_batches_and_read_back_a_close_median() {
        let s = |fate, body_chars| DriftSample {
            site: "x".into(),
            fate,
            body_chars,
        };
        let (mut first, mut second) = (DriftCounts::default(), DriftCounts::default());
        for len in [900, 1000, 1100] {
            first.add(&s(PageFate::Used, len));
        }
        second.add(&s(PageFate::Lost, 3000));
        second.add(&s(PageFate::FellBack, 40));
        first.merge(&second);
        let counts = first.run_counts();
        assert_eq!((counts.pages, counts.lost, counts.fell_back), (5, 1, 1));
        assert_eq!(first.lengths.total(), 5);
        // The exact median is 1000.
        assert!((910..=1100).contains(&counts.median_chars), "{counts:?}");
    }

    #[test]
    fn histogram_medians_stay_within_ten_percent() {
        for chars in [64u64, 65, 100, 999, 1000, 2500, 12_345, 150_000] {
            let mut h = LengthHistogram::default();
            h.add_length(chars);
            let m = h.median() as f64;
            assert!(
                (m / chars as f64 - 1.0).abs() <= 0.1,
                "{chars} read back as {m}"
            );
        }
        let mut h = LengthHistogram::default();
        h.add_length(10);
        assert_eq!(h.median(), 32);
        h.add_length(u64::MAX);
        assert_eq!(LengthHistogram::bucket(u64::MAX), LENGTH_BUCKETS - 1);
        assert!(!h.add_to_bucket(LENGTH_BUCKETS, 1));
        assert_eq!(LengthHistogram::default().median(), 0);
    }

    #[test]
    fn descriptions_name_the_site_and_both_shares() {
        let history = [run(40, 0, 0, 3000), run(40, 1, 0, 3000)];
        assert_eq!(
            describe("ilpost", &history, &run(20, 10, 2, 3000)).as_deref(),
            Some("ilpost (lost 12 of 20 pages this run, 1 of 80 before)")
        );
        assert_eq!(
            describe("ilpost", &history, &run(20, 0, 0, 900)).as_deref(),
            Some("ilpost (median body 900 characters this run, 3000 before)")
        );
        assert_eq!(describe("ilpost", &history, &run(20, 1, 0, 3000)), None);
    }
}
