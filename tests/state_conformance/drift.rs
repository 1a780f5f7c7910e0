//! Drift counts in the state: added up per site and run, a resumed run
//! keeping its number, the last runs kept, overlapping runs of two crawlers
//! sharing one.

use newscrawl::limits::DRIFT_RUNS;
use newscrawl::selectors::drift::{DriftCounts, DriftSample, PageFate};
use newscrawl::state::{Batch, CrawlState, SiteDrift};

use super::Backend;

/// Counts of `used`, `lost` and `fell_back` pages of `chars` characters.
fn tally(used: u64, lost: u64, fell_back: u64, chars: usize) -> DriftCounts {
    let mut c = DriftCounts::default();
    for (n, fate) in [
        (used, PageFate::Used),
        (lost, PageFate::Lost),
        (fell_back, PageFate::FellBack),
    ] {
        for _ in 0..n {
            c.add(&DriftSample {
                site: String::new(),
                fate,
                body_chars: chars,
            });
        }
    }
    c
}

fn commit(s: &mut impl CrawlState, drift: &[(&str, DriftCounts)]) {
    s.commit(&Batch {
        drift: drift.iter().map(|(s, c)| (s.to_string(), *c)).collect(),
        ..Default::default()
    })
    .unwrap();
}

/// A site's runs as (pages, lost, fell back, current).
type Runs = Vec<(u64, u64, u64, bool)>;

/// Per site: its runs.
fn runs(s: &mut impl CrawlState) -> Vec<(String, Runs)> {
    s.drift_history()
        .unwrap()
        .into_iter()
        .map(|SiteDrift { site, runs }| {
            let runs = runs
                .iter()
                .map(|r| (r.counts.pages, r.counts.lost, r.counts.fell_back, r.current))
                .collect();
            (site, runs)
        })
        .collect()
}

pub fn drift_counts_add_up_per_site_and_run(b: &mut impl Backend) {
    let mut s = b.open();
    assert!(s.drift_history().unwrap().is_empty());
    s.begin_run().unwrap();
    commit(&mut s, &[("ilpost", tally(1, 1, 0, 3000))]);
    commit(
        &mut s,
        &[
            ("ilpost", tally(1, 0, 0, 900)),
            ("zeit", tally(0, 0, 1, 200)),
        ],
    );
    assert_eq!(
        runs(&mut s),
        [
            ("ilpost".to_string(), vec![(3, 1, 0, true)]),
            ("zeit".to_string(), vec![(1, 0, 1, true)]),
        ]
    );
    // The lengths come back as they were added.
    let mut want = tally(1, 1, 0, 3000);
    want.merge(&tally(1, 0, 0, 900));
    assert_eq!(s.drift_history().unwrap()[0].runs[0].counts, want);

    // Killed and started again: the same run goes on.
    let mut s = b.reopen(s);
    s.begin_run().unwrap();
    commit(&mut s, &[("ilpost", tally(1, 0, 0, 3000))]);
    assert_eq!(runs(&mut s)[0].1, [(4, 1, 0, true)]);
    s.end_run(true).unwrap();
    assert_eq!(runs(&mut s)[0].1, [(4, 1, 0, false)], "no run in progress");

    // The next run has counts of its own, after the earlier ones.
    s.begin_run().unwrap();
    commit(&mut s, &[("ilpost", tally(0, 5, 0, 3000))]);
    let history = s.drift_history().unwrap();
    assert_eq!(
        runs(&mut s)[0].1,
        [(4, 1, 0, false), (5, 5, 0, true)],
        "oldest first"
    );
    assert!(history[0].runs[0].run < history[0].runs[1].run);
    assert_eq!(runs(&mut s)[1].1, [(1, 0, 1, false)], "zeit had no pages");
}

pub fn drift_keeps_the_last_runs_of_each_site(b: &mut impl Backend) {
    let mut s = b.open();
    for i in 0..DRIFT_RUNS + 2 {
        s.begin_run().unwrap();
        commit(&mut s, &[("ilpost", tally(i as u64 + 1, 0, 0, 1000))]);
        if i == 0 {
            commit(&mut s, &[("zeit", tally(1, 0, 0, 1000))]);
        }
        s.end_run(true).unwrap();
    }
    let history = runs(&mut s);
    let ilpost = &history[0].1;
    assert_eq!(ilpost.len(), DRIFT_RUNS);
    assert_eq!(ilpost[0].0, 3, "the two oldest runs are forgotten");
    assert_eq!(ilpost[DRIFT_RUNS - 1].0, DRIFT_RUNS as u64 + 2);
    assert_eq!(history[1].1, [(1, 0, 0, false)], "zeit's only run is kept");
}

pub fn overlapping_runs_of_two_crawlers_share_one(b: &mut impl Backend) {
    let mut s = b.open();
    let Some(mut peer) = b.peer(&s) else { return };
    s.begin_run().unwrap();
    peer.begin_run().unwrap();
    commit(&mut s, &[("ilpost", tally(2, 0, 0, 1000))]);
    commit(&mut peer, &[("ilpost", tally(0, 1, 0, 1000))]);
    assert_eq!(runs(&mut s)[0].1, [(3, 1, 0, true)]);
    assert_eq!(runs(&mut peer)[0].1, [(3, 1, 0, true)]);
    s.end_run(true).unwrap();
    peer.end_run(true).unwrap();
    // Later runs, apart in time, are runs of their own.
    s.begin_run().unwrap();
    commit(&mut s, &[("ilpost", tally(1, 0, 0, 1000))]);
    s.end_run(true).unwrap();
    peer.begin_run().unwrap();
    commit(&mut peer, &[("ilpost", tally(1, 0, 0, 1000))]);
    assert_eq!(
        runs(&mut peer)[0].1,
        [(3, 1, 0, false), (1, 0, 0, false), (1, 0, 0, true)]
    );
}
