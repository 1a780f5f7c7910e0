//! The crawl state's contract (`newscrawl::state`), one suite run against
//! every backend: SQLite, PostgreSQL (when `NEWSCRAWL_TEST_POSTGRES` names a
//! server; each test says loudly that it is skipped otherwise) and the
//! in-memory test double; a backend added later gets its own `conformance!`
//! line. Checks that need two crawlers on one state run where the backend
//! shares one ([`Backend::peer`]).

mod common;
#[path = "state_conformance/drift.rs"]
mod drift;
#[path = "state_conformance/frontier.rs"]
mod frontier;
#[path = "state_conformance/sharing.rs"]
mod sharing;
#[path = "state_conformance/writes.rs"]
mod writes;

use std::time::Duration;

use newscrawl::state::postgres::WorkerId;
use newscrawl::state::{
    Batch, Checkpoint, Claim, ClaimResult, ClaimsLost, ContentClaim, CrawlState, Ending,
    MemoryState, NewUrl, Outcome, PgState, Reason, RobotsFile, SqliteState, UrlKind, UrlStatus,
};

/// How a backend is opened, reopened and shared for the suite.
trait Backend {
    /// Its state type.
    type State: CrawlState;
    /// A fresh, empty state.
    fn open(&mut self) -> Self::State;
    /// The same state opened again by the same crawler restarted (the old
    /// handle dropped first, as after a kill).
    fn reopen(&mut self, old: Self::State) -> Self::State;
    /// A second crawler's handle on the same state, where the backend
    /// shares one between crawlers.
    fn peer(&mut self, of: &Self::State) -> Option<Self::State>;
}

struct Sqlite {
    dir: tempfile::TempDir,
}

impl Backend for Sqlite {
    type State = SqliteState;
    fn open(&mut self) -> SqliteState {
        SqliteState::open(&self.dir.path().join("state.db")).unwrap()
    }
    fn reopen(&mut self, old: SqliteState) -> SqliteState {
        drop(old);
        self.open()
    }
    fn peer(&mut self, _: &SqliteState) -> Option<SqliteState> {
        None
    }
}

/// A schema of its own per state on the test server; handles are workers.
struct Postgres {
    server: String,
    schemas: Vec<String>,
    url: String,
    workers: u32,
}

impl Postgres {
    fn new(server: String) -> Self {
        Self {
            server,
            schemas: Vec::new(),
            url: String::new(),
            workers: 0,
        }
    }

    fn worker(&mut self) -> PgState {
        self.workers += 1;
        let w = WorkerId::parse(&format!("worker-{}", self.workers)).unwrap();
        PgState::open_worker(&self.url, &w).unwrap()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        for s in &self.schemas {
            common::pg::drop_schema(&self.server, s);
        }
    }
}

impl Backend for Postgres {
    type State = PgState;
    fn open(&mut self) -> PgState {
        let (schema, url) = common::pg::fresh_state(&self.server);
        self.schemas.push(schema);
        self.url = url;
        self.worker()
    }
    fn reopen(&mut self, old: PgState) -> PgState {
        // The same worker id, as a restarted crawler has.
        let w = old.worker().unwrap().clone();
        drop(old);
        PgState::open_worker(&self.url, &w).unwrap()
    }
    fn peer(&mut self, _: &PgState) -> Option<PgState> {
        Some(self.worker())
    }
}

struct Memory;

impl Backend for Memory {
    type State = MemoryState;
    fn open(&mut self) -> MemoryState {
        MemoryState::new()
    }
    fn reopen(&mut self, old: MemoryState) -> MemoryState {
        old.restart()
    }
    fn peer(&mut self, of: &MemoryState) -> Option<MemoryState> {
        Some(of.peer())
    }
}

const LONG: Duration = Duration::from_secs(3600);

fn page(url: &str) -> NewUrl {
    NewUrl {
        url: url.into(),
        host: host(url),
        depth: 1,
        kind: UrlKind::Page,
        priority: 2,
        hops: 0,
        force: false,
    }
}

fn host(url: &str) -> String {
    url.split('/').nth(2).unwrap().to_string()
}

fn add(s: &mut impl CrawlState, urls: Vec<NewUrl>) -> Vec<String> {
    s.commit(&Batch {
        new_urls: urls,
        ..Default::default()
    })
    .unwrap()
}

fn end(s: &mut impl CrawlState, claim: &Claim, ending: Ending, alias: Option<&str>) {
    s.commit(&Batch {
        results: vec![ClaimResult {
            claim_id: claim.id,
            url: claim.url.clone(),
            outcome: Outcome::Ended(ending),
            alias: alias.map(str::to_string),
        }],
        ..Default::default()
    })
    .unwrap();
}

fn outcome(s: &mut impl CrawlState, claim: &Claim, outcome: Outcome) {
    s.commit(&Batch {
        results: vec![ClaimResult {
            claim_id: claim.id,
            url: claim.url.clone(),
            outcome,
            alias: None,
        }],
        ..Default::default()
    })
    .unwrap();
}

/// Where `url` stands.
fn status(s: &mut impl CrawlState, url: &str) -> UrlStatus {
    s.url_info(url).unwrap().expect("a known URL").status
}

/// Every entry of `host` claimable now, in claim order.
fn drain(s: &mut impl CrawlState, host: &str) -> Vec<String> {
    s.lease_host(host, LONG).unwrap().expect("lease");
    let mut urls = Vec::new();
    while let Some(c) = s.claim_next(host).unwrap() {
        urls.push(c.url);
    }
    urls
}

macro_rules! conformance {
    ($backend:ident, $make:expr) => {
        mod $backend {
            use super::*;

            fn backend() -> Option<impl Backend> {
                $make
            }

            #[test]
            fn frontier_orders_and_deduplicates() {
                if let Some(mut b) = backend() {
                    super::frontier::frontier_orders_and_deduplicates(&mut b);
                }
            }
            #[test]
            fn claims_need_the_lease_and_hand_out_each_entry_once() {
                if let Some(mut b) = backend() {
                    super::frontier::claims_need_the_lease_and_hand_out_each_entry_once(&mut b);
                }
            }
            #[test]
            fn endings_record_status_validators_and_aliases() {
                if let Some(mut b) = backend() {
                    super::frontier::endings_record_status_validators_and_aliases(&mut b);
                }
            }
            #[test]
            fn retries_and_releases_return_entries() {
                if let Some(mut b) = backend() {
                    super::frontier::retries_and_releases_return_entries(&mut b);
                }
            }
            #[test]
            fn content_is_owned_through_a_unique_key() {
                if let Some(mut b) = backend() {
                    super::writes::content_is_owned_through_a_unique_key(&mut b);
                }
            }
            #[test]
            fn checkpoints_are_per_output_and_commit_with_the_batch() {
                if let Some(mut b) = backend() {
                    super::writes::checkpoints_are_per_output_and_commit_with_the_batch(&mut b);
                }
            }
            #[test]
            fn a_killed_run_resumes_with_its_count_and_claims() {
                if let Some(mut b) = backend() {
                    super::frontier::a_killed_run_resumes_with_its_count_and_claims(&mut b);
                }
            }
            #[test]
            fn pauses_come_with_the_lease() {
                if let Some(mut b) = backend() {
                    super::sharing::pauses_come_with_the_lease(&mut b);
                }
            }
            #[test]
            fn feeds_are_revisited_and_written_articles_refetched() {
                if let Some(mut b) = backend() {
                    super::frontier::feeds_are_revisited_and_written_articles_refetched(&mut b);
                }
            }
            #[test]
            fn linked_feeds_are_polled_while_they_yield() {
                if let Some(mut b) = backend() {
                    super::frontier::linked_feeds_are_polled_while_they_yield(&mut b);
                }
            }
            #[test]
            fn stats_and_prune() {
                if let Some(mut b) = backend() {
                    super::writes::stats_and_prune(&mut b);
                }
            }
            #[test]
            fn leases_are_exclusive_expire_and_fail_over() {
                if let Some(mut b) = backend() {
                    super::sharing::leases_are_exclusive_expire_and_fail_over(&mut b);
                }
            }
            #[test]
            fn takeovers_are_flagged_and_robots_shared() {
                if let Some(mut b) = backend() {
                    super::sharing::takeovers_are_flagged_and_robots_shared(&mut b);
                }
            }
            #[test]
            fn peers_wait_for_claimed_hosts_but_not_for_parked_ones() {
                if let Some(mut b) = backend() {
                    super::sharing::peers_wait_for_claimed_hosts_but_not_for_parked_ones(&mut b);
                }
            }
            #[test]
            fn drift_counts_add_up_per_site_and_run() {
                if let Some(mut b) = backend() {
                    super::drift::drift_counts_add_up_per_site_and_run(&mut b);
                }
            }
            #[test]
            fn drift_keeps_the_last_runs_of_each_site() {
                if let Some(mut b) = backend() {
                    super::drift::drift_keeps_the_last_runs_of_each_site(&mut b);
                }
            }
            #[test]
            fn overlapping_runs_of_two_crawlers_share_one() {
                if let Some(mut b) = backend() {
                    super::drift::overlapping_runs_of_two_crawlers_share_one(&mut b);
                }
            }
        }
    };
}

conformance!(
    sqlite,
    Some(Sqlite {
        dir: tempfile::tempdir().unwrap()
    })
);
conformance!(
    postgres,
    common::pg::url_or_skip("state_conformance::postgres").map(Postgres::new)
);
conformance!(memory, Some(Memory));
