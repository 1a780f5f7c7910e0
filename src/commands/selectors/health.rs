//! `newscrawl selectors health --state PATH|URL`: per site, how often its
//! config lost to or fell back to generic extraction over the runs the
//! crawl state keeps, and whether the last run drifted from the ones
//! before (the rule of [`crate::selectors::drift`]).

use anyhow::Result;
use serde::Serialize;

use crate::cli::{HealthArgs, HealthFormat};
use crate::selectors::drift::{describe, drift, Drift, RunCounts};
use crate::state::{Access, SiteDrift, StateLocation};

/// One run of a site, as printed in JSON.
#[derive(Debug, Serialize)]
struct RunRow {
    run: i64,
    pages: u64,
    lost: u64,
    fell_back: u64,
    median_chars: u64,
}

/// One site's line.
#[derive(Debug, Serialize)]
struct SiteHealth {
    site: String,
    /// Runs kept.
    runs: usize,
    /// Pages over those runs.
    pages: u64,
    /// Share of them whose config lost the arbitration.
    lost_share: f64,
    /// Share of them whose config fell back.
    fell_back_share: f64,
    /// Median body length over those runs (characters).
    median_chars: u64,
    /// The last run.
    last: RunRow,
    /// The runs before it: pages, and how many the config lost or fell
    /// back on.
    before_pages: u64,
    before_not_used: u64,
    /// `losing`, `length`, `steady` or `-` (too few pages).
    drift: &'static str,
    /// What the crawl summary would say of it, when drifting.
    note: Option<String>,
    /// Every run kept, oldest first.
    history: Vec<RunRow>,
}

impl SiteHealth {
    fn of(s: &SiteDrift) -> Option<Self> {
        let (latest, before) = s.latest_and_before()?;
        let mut all = crate::selectors::drift::DriftCounts::default();
        for r in &s.runs {
            all.merge(&r.counts);
        }
        let share = |n: u64| n as f64 / all.pages.max(1) as f64;
        let row = |run: i64, c: &RunCounts| RunRow {
            run,
            pages: c.pages,
            lost: c.lost,
            fell_back: c.fell_back,
            median_chars: c.median_chars,
        };
        let verdict = match drift(&before, &latest) {
            Drift::NotEnoughData => "-",
            Drift::Steady => "steady",
            Drift::Losing { .. } => "losing",
            Drift::LengthShift { .. } => "length",
        };
        Some(Self {
            site: s.site.clone(),
            runs: s.runs.len(),
            pages: all.pages,
            lost_share: share(all.lost),
            fell_back_share: share(all.fell_back),
            median_chars: all.lengths.median(),
            last: row(s.runs.last()?.run, &latest),
            before_pages: before.iter().map(|r| r.pages).sum(),
            before_not_used: before.iter().map(RunCounts::not_used).sum(),
            drift: verdict,
            note: describe(&s.site, &before, &latest),
            history: s
                .runs
                .iter()
                .map(|r| row(r.run, &r.counts.run_counts()))
                .collect(),
        })
    }
}

/// Prints the health table (or JSON lines) of the state's sites.
pub fn health(args: &HealthArgs) -> Result<i32> {
    let location = StateLocation::parse(&args.state);
    let mut state = crate::state::open(&location, Access::Inspect)?;
    let history = state.drift_history()?;
    let sites: Vec<SiteHealth> = history
        .iter()
        .filter(|s| args.site.is_empty() || args.site.contains(&s.site))
        .filter_map(SiteHealth::of)
        .collect();
    if sites.is_empty() {
        let which = if args.site.is_empty() {
            String::new()
        } else {
            format!(" for {}", args.site.join(", "))
        };
        eprintln!(
            "newscrawl: {location}: no drift counts{which} yet (they are kept by crawls of sites with configs)"
        );
        return Ok(0);
    }
    match args.format {
        HealthFormat::Json => {
            for s in &sites {
                println!("{}", serde_json::to_string(s)?);
            }
        }
        HealthFormat::Table => print!("{}", table(&sites)),
    }
    Ok(0)
}

/// The table: a header and a line per site.
fn table(sites: &[SiteHealth]) -> String {
    let percent = |x: f64| format!("{:.0}%", x * 100.0);
    let rows: Vec<[String; 9]> = sites
        .iter()
        .map(|s| {
            [
                s.site.clone(),
                s.runs.to_string(),
                s.pages.to_string(),
                percent(s.lost_share),
                percent(s.fell_back_share),
                s.median_chars.to_string(),
                format!(
                    "{}/{}, median {}",
                    s.last.lost + s.last.fell_back,
                    s.last.pages,
                    s.last.median_chars
                ),
                format!("{}/{}", s.before_not_used, s.before_pages),
                s.drift.to_string(),
            ]
        })
        .collect();
    let header = [
        "SITE",
        "RUNS",
        "PAGES",
        "LOST",
        "FELL BACK",
        "MEDIAN",
        "LAST RUN (not used/pages)",
        "BEFORE",
        "DRIFT",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            // Names and texts to the left, numbers to the right.
            let left = matches!(i, 0 | 6 | 7 | 8);
            let pad = w.saturating_sub(cell.chars().count());
            if i > 0 {
                out.push_str("  ");
            }
            if left {
                out.push_str(cell);
                if i + 1 < cells.len() {
                    out.push_str(&" ".repeat(pad));
                }
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(header.to_vec());
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selectors::drift::{DriftCounts, DriftSample, PageFate};
    use crate::state::DriftRun;

    fn run(run: i64, used: u64, lost: u64, chars: usize) -> DriftRun {
        let mut counts = DriftCounts::default();
        for i in 0..used + lost {
            counts.add(&DriftSample {
                site: String::new(),
                fate: if i < used {
                    PageFate::Used
                } else {
                    PageFate::Lost
                },
                body_chars: chars,
            });
        }
        DriftRun {
            run,
            counts,
            current: false,
        }
    }

    #[test]
    fn a_line_per_site_with_its_last_run_against_the_ones_before() {
        let history = [
            SiteDrift {
                site: "ilpost".into(),
                runs: vec![run(1, 10, 0, 3000), run(2, 10, 0, 3000), run(3, 2, 8, 3000)],
            },
            SiteDrift {
                site: "zeit".into(),
                runs: vec![run(3, 2, 0, 1000)],
            },
        ];
        let sites: Vec<SiteHealth> = history.iter().filter_map(SiteHealth::of).collect();
        let text = table(&sites);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("SITE    RUNS  PAGES  LOST"), "{text}");
        let ilpost: Vec<&str> = lines[1].split_whitespace().collect();
        // 3000 characters, as the histogram reads them back.
        let median = run(1, 1, 0, 3000).counts.lengths.median().to_string();
        // site, runs, pages, lost %, fell back %, median, last run, before, drift
        assert_eq!(
            &ilpost[..6],
            ["ilpost", "3", "30", "27%", "0%", median.as_str()]
        );
        assert!(
            lines[1].contains(&format!("8/10, median {median}")),
            "{text}"
        );
        assert!(lines[1].contains("0/20"), "{text}");
        assert!(lines[1].ends_with("losing"), "{text}");
        assert!(lines[2].ends_with(" -"), "too few pages: {text}");
        assert_eq!(
            sites[0].note.as_deref(),
            Some("ilpost (lost 8 of 10 pages this run, 0 of 20 before)")
        );
        let json: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&sites[0]).unwrap()).unwrap();
        assert_eq!(json["drift"], "losing");
        assert_eq!(json["history"].as_array().unwrap().len(), 3);
        assert_eq!(json["last"]["lost"], 8);
    }
}
