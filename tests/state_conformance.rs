//! The crawl state's contract (`newscrawl::state`), one suite run against
//! every backend: SQLite, PostgreSQL (when `NEWSCRAWL_TEST_POSTGRES` names a
//! server; each test says loudly that it is skipped otherwise) and the
//! in-memory test double; a backend added later gets its own `conformance!`
//! line. Checks that need two crawlers on one state run where the backend
//! shares one ([`Backend::peer`]).

mod common;
#[path = "state_conformance/drift.rs"]
mod drift;

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

fn frontier_orders_and_deduplicates(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    let mut source = page("http://h/feed");
    source.kind = UrlKind::Feed;
    source.priority = 0;
    source.depth = 0;
    let mut deep = page("http://h/deep");
    deep.depth = 3;
    let hosts = add(
        &mut s,
        vec![
            page("http://h/b"),
            deep,
            page("http://h/a"),
            page("http://h/b"),
            source,
            page("http://g/x"),
        ],
    );
    assert_eq!(hosts, ["g", "h"]);
    let mut with_work = s.hosts_with_work().unwrap();
    with_work.sort();
    assert_eq!(with_work, ["g", "h"]);
    // Priority first, then depth, then arrival.
    assert_eq!(
        drain(&mut s, "h"),
        ["http://h/feed", "http://h/b", "http://h/a", "http://h/deep"]
    );
    assert_eq!(s.hosts_with_work().unwrap(), ["g"]);
    // A URL seen before is not queued again, unless forced.
    let c = drain(&mut s, "g");
    assert_eq!(c, ["http://g/x"]);
    assert!(add(&mut s, vec![page("http://g/x")]).is_empty());
    let mut forced = page("http://g/x");
    forced.force = true;
    assert_eq!(add(&mut s, vec![forced.clone()]), Vec::<String>::new());
    assert!(
        drain(&mut s, "g").is_empty(),
        "still claimed: not queued twice"
    );
}

fn claims_need_the_lease_and_hand_out_each_entry_once(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    let urls: Vec<String> = (0..20).map(|i| format!("http://h/{i:02}")).collect();
    add(&mut s, urls.iter().map(|u| page(u)).collect());
    assert_eq!(s.claim_next("h").unwrap(), None, "claimed without a lease");
    assert_eq!(drain(&mut s, "h"), urls);
    // Released, the host's unfinished claims return.
    s.release_host("h").unwrap();
    assert_eq!(s.claim_next("h").unwrap(), None, "claimed after release");
    assert_eq!(drain(&mut s, "h"), urls);
}

fn endings_record_status_validators_and_aliases(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    add(&mut s, vec![page("http://h/a"), page("http://h/canonical")]);
    s.lease_host("h", LONG).unwrap().unwrap();
    let c = s.claim_next("h").unwrap().unwrap();
    assert_eq!(c.url, "http://h/a");
    assert_eq!(
        s.claim_content("hash-a", "http://h/canonical").unwrap(),
        ContentClaim::Owned
    );
    end(
        &mut s,
        &c,
        Ending::written("hash-a".into())
            .http(200)
            .validators(Some("\"v1\"".into()), None),
        Some("http://h/canonical"),
    );
    let info = s.url_info("http://h/a").unwrap().unwrap();
    assert_eq!(info.status, UrlStatus::Written);
    assert_eq!(info.content_hash.as_deref(), Some("hash-a"));
    assert!(info.fetched_at.is_some());
    assert_eq!(status(&mut s, "http://h/canonical"), UrlStatus::Written);
    // The alias left the frontier.
    assert_eq!(s.claim_next("h").unwrap(), None);
    assert_eq!(s.url_info("http://h/never").unwrap(), None);
    // A written URL stays written whatever ends later; its validators are
    // handed to the next claim.
    let mut again = page("http://h/a");
    again.force = true;
    add(&mut s, vec![again]);
    let c = s.claim_next("h").unwrap().unwrap();
    assert_eq!(c.etag.as_deref(), Some("\"v1\""));
    assert!(c.is_conditional());
    end(
        &mut s,
        &c,
        Ending::skipped(Reason::Unchanged).http(200),
        None,
    );
    assert_eq!(status(&mut s, "http://h/a"), UrlStatus::Written);
    assert_eq!(s.stats().unwrap().written, 2);
}

fn retries_and_releases_return_entries(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    add(&mut s, vec![page("http://h/a")]);
    s.lease_host("h", LONG).unwrap().unwrap();
    let c = s.claim_next("h").unwrap().unwrap();
    assert_eq!(c.attempts, 0);
    outcome(&mut s, &c, Outcome::Retry);
    let c = s.claim_next("h").unwrap().unwrap();
    assert_eq!(c.attempts, 1);
    outcome(&mut s, &c, Outcome::Release);
    let c = s.claim_next("h").unwrap().unwrap();
    assert_eq!((c.url.as_str(), c.attempts), ("http://h/a", 1));
    end(
        &mut s,
        &c,
        Ending::failed(Reason::Http(503)).http(503),
        None,
    );
    assert_eq!(status(&mut s, "http://h/a"), UrlStatus::Failed);
    assert_eq!(s.stats().unwrap().failed, 1);
}

fn content_is_owned_through_a_unique_key(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    assert_eq!(
        s.claim_content("x", "http://h/a").unwrap(),
        ContentClaim::Owned
    );
    assert_eq!(
        s.claim_content("x", "http://h/a").unwrap(),
        ContentClaim::Owned
    );
    assert_eq!(
        s.claim_content("x", "http://h/b").unwrap(),
        ContentClaim::OwnedBy("http://h/a".into())
    );
    // Durable once committed.
    s.commit(&Batch::default()).unwrap();
    let mut s = b.reopen(s);
    assert_eq!(
        s.claim_content("x", "http://h/b").unwrap(),
        ContentClaim::OwnedBy("http://h/a".into())
    );
    if let Some(mut peer) = b.peer(&s) {
        assert_eq!(
            peer.claim_content("x", "http://h/c").unwrap(),
            ContentClaim::OwnedBy("http://h/a".into())
        );
        assert_eq!(
            peer.claim_content("y", "http://h/c").unwrap(),
            ContentClaim::Owned
        );
        assert_eq!(
            s.claim_content("y", "http://h/a").unwrap(),
            ContentClaim::OwnedBy("http://h/c".into())
        );
    }
}

fn checkpoints_are_per_output_and_commit_with_the_batch(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    assert_eq!(s.checkpoint("/out/a.jsonl").unwrap(), None);
    add(&mut s, vec![page("http://h/a")]);
    s.lease_host("h", LONG).unwrap().unwrap();
    let c = s.claim_next("h").unwrap().unwrap();
    s.commit(&Batch {
        results: vec![ClaimResult {
            claim_id: c.id,
            url: c.url.clone(),
            outcome: Outcome::Ended(Ending::written("h1".into())),
            alias: None,
        }],
        checkpoints: vec![
            ("/out/a.jsonl".into(), Checkpoint("1234".into())),
            ("/out/parts".into(), Checkpoint("[\"part-1\"]".into())),
        ],
        ..Default::default()
    })
    .unwrap();
    let mut s = b.reopen(s);
    assert_eq!(
        s.checkpoint("/out/a.jsonl").unwrap(),
        Some(Checkpoint("1234".into()))
    );
    assert_eq!(
        s.checkpoint("/out/parts").unwrap(),
        Some(Checkpoint("[\"part-1\"]".into()))
    );
    // Another crawler's output of the same name is another output.
    if let Some(mut peer) = b.peer(&s) {
        assert_eq!(peer.checkpoint("/out/a.jsonl").unwrap(), None);
    }
    assert_eq!(status(&mut s, "http://h/a"), UrlStatus::Written);
}

fn a_killed_run_resumes_with_its_count_and_claims(b: &mut impl Backend) {
    let mut s = b.open();
    assert_eq!(s.begin_run().unwrap(), 0);
    add(
        &mut s,
        vec![page("http://h/a"), page("http://h/b"), page("http://h/c")],
    );
    s.lease_host("h", LONG).unwrap().unwrap();
    let a = s.claim_next("h").unwrap().unwrap();
    end(&mut s, &a, Ending::visited().http(200), None);
    let redirect = s.claim_next("h").unwrap().unwrap();
    end(&mut s, &redirect, Ending::redirected(), None);
    let _in_flight = s.claim_next("h").unwrap().unwrap();
    // Killed: the uncommitted claim returns, the counted fetch is kept
    // (the uncounted redirect is not).
    let mut s = b.reopen(s);
    assert_eq!(s.begin_run().unwrap(), 1);
    assert_eq!(drain(&mut s, "h"), ["http://h/c"]);
    s.end_run(true).unwrap();
    assert_eq!(
        s.begin_run().unwrap(),
        0,
        "a completed run resets the count"
    );
}

fn pauses_come_with_the_lease(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    assert_eq!(s.lease_host("h", LONG).unwrap().unwrap().pause_until, None);
    let later = newscrawl::state::now_ms() + 60_000;
    s.commit(&Batch {
        host_pauses: vec![("h".into(), later)],
        host_challenges: vec![("h".into(), 2), ("g".into(), 1)],
        ..Default::default()
    })
    .unwrap();
    s.commit(&Batch {
        host_challenges: vec![("g".into(), 0)],
        ..Default::default()
    })
    .unwrap();
    s.end_run(true).unwrap();
    let mut s = b.reopen(s);
    s.begin_run().unwrap();
    let lease = s.lease_host("h", LONG).unwrap().unwrap();
    // Within a second: a shared backend keeps pauses in the database's
    // clock and turns them into this machine's, never earlier.
    let near = |t: Option<i64>| t.is_some_and(|t| (later..later + 1000).contains(&t));
    assert_eq!((lease.host.as_str(), lease.challenges), ("h", 2));
    assert_eq!(s.lease_host("g", LONG).unwrap().unwrap().challenges, 0);
    assert!(
        near(lease.pause_until),
        "{:?} vs {later}",
        lease.pause_until
    );
    let paused = s.stats().unwrap().paused;
    assert_eq!(paused.len(), 1);
    assert_eq!(paused[0].0, "h");
    assert!(near(Some(paused[0].1)), "{paused:?} vs {later}");
}

fn feeds_are_revisited_and_written_articles_refetched(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    let mut feed = page("http://h/feed");
    feed.kind = UrlKind::Feed;
    feed.depth = 0;
    add(&mut s, vec![feed, page("http://h/a"), page("http://h/b")]);
    s.lease_host("h", LONG).unwrap().unwrap();
    let claims: Vec<Claim> = std::iter::from_fn(|| s.claim_next("h").unwrap()).collect();
    end(&mut s, &claims[0], Ending::visited().http(200), None);
    end(&mut s, &claims[1], Ending::written("h1".into()), None);
    end(&mut s, &claims[2], Ending::skipped(Reason::NotHtml), None);
    s.end_run(true).unwrap();
    let mut s = b.reopen(s);
    s.begin_run().unwrap();
    assert_eq!(drain(&mut s, "h"), ["http://h/feed"]);
    let n = s.queue_refetch(newscrawl::state::now_ms() + 1000).unwrap();
    assert_eq!(n, 1);
    s.release_host("h").unwrap();
    assert_eq!(drain(&mut s, "h"), ["http://h/feed", "http://h/a"]);
}

fn linked_feeds_are_polled_while_they_yield(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    let linked = |url: &str| NewUrl {
        kind: UrlKind::LinkedFeed,
        ..page(url)
    };
    add(
        &mut s,
        vec![
            linked("http://h/quiet/feed"),
            linked("http://h/busy/feed"),
            linked("http://h/home/feed"),
        ],
    );
    assert_eq!(s.frontier_len("h").unwrap(), 3);
    assert_eq!(s.frontier_len("g").unwrap(), 0);
    s.lease_host("h", LONG).unwrap().unwrap();
    let claims: Vec<Claim> = std::iter::from_fn(|| s.claim_next("h").unwrap()).collect();
    assert_eq!(s.frontier_len("h").unwrap(), 3, "claimed entries count");
    for c in &claims {
        let busy = c.url.contains("busy");
        end(&mut s, c, Ending::visited().http(200).yielded(busy), None);
    }
    assert_eq!(s.frontier_len("h").unwrap(), 0);
    // A home page links one of them: it becomes a polled feed.
    add(
        &mut s,
        vec![NewUrl {
            kind: UrlKind::Feed,
            ..page("http://h/home/feed")
        }],
    );
    s.end_run(true).unwrap();
    let mut s = b.reopen(s);
    s.begin_run().unwrap();
    let mut polled = drain(&mut s, "h");
    polled.sort();
    assert_eq!(polled, ["http://h/busy/feed", "http://h/home/feed"]);
}

fn stats_and_prune(b: &mut impl Backend) {
    let mut s = b.open();
    s.begin_run().unwrap();
    add(
        &mut s,
        vec![page("http://h/a"), page("http://h/b"), page("http://g/c")],
    );
    s.lease_host("h", LONG).unwrap().unwrap();
    let a = s.claim_next("h").unwrap().unwrap();
    assert_eq!(s.claim_content("h1", &a.url).unwrap(), ContentClaim::Owned);
    end(&mut s, &a, Ending::written("h1".into()), None);
    let st = s.stats().unwrap();
    assert_eq!((st.urls, st.written, st.failed, st.queued), (3, 1, 0, 2));
    assert_eq!(st.per_host[0], ("h".to_string(), 2, 1, 0));
    // Only finished URLs are forgotten, with their content claims.
    assert_eq!(s.prune(newscrawl::state::now_ms() + 1000).unwrap(), 1);
    assert_eq!(s.url_info("http://h/a").unwrap(), None);
    assert!(s.url_info("http://h/b").unwrap().is_some());
    assert_eq!(
        s.claim_content("h1", "http://h/z").unwrap(),
        ContentClaim::Owned
    );
}

fn leases_are_exclusive_expire_and_fail_over(b: &mut impl Backend) {
    let mut a = b.open();
    let Some(mut c) = b.peer(&a) else {
        return; // one crawler at a time: nothing to share
    };
    a.begin_run().unwrap();
    c.begin_run().unwrap();
    add(&mut a, vec![page("http://h/1"), page("http://h/2")]);
    assert!(a.lease_host("h", LONG).unwrap().is_some());
    assert_eq!(c.lease_host("h", LONG).unwrap(), None, "two holders");
    assert_eq!(c.claim_next("h").unwrap(), None);
    let claimed = a.claim_next("h").unwrap().unwrap();
    assert_eq!(claimed.url, "http://h/1");
    a.release_host("h").unwrap();
    // Released: the other crawler takes it, the unfinished claim included.
    assert!(c.lease_host("h", LONG).unwrap().is_some());
    let taken = c.claim_next("h").unwrap().unwrap();
    assert_eq!(taken.url, "http://h/1");
    c.release_host("h").unwrap();

    // A lease not renewed expires; the next holder gets its claims.
    assert!(a
        .lease_host("h", Duration::from_millis(1))
        .unwrap()
        .is_some());
    let stale = a.claim_next("h").unwrap().unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert!(
        c.lease_host("h", LONG).unwrap().is_some(),
        "expired lease kept"
    );
    assert_eq!(c.claim_next("h").unwrap().unwrap().url, stale.url);
    assert_eq!(a.renew_leases(LONG).unwrap(), ["h"], "the loss is reported");
    assert_eq!(a.claim_next("h").unwrap(), None);
    // The old holder's late record is refused with the whole batch (its
    // checkpoint must not cover it), naming the host lost.
    let late = Batch {
        results: vec![ClaimResult {
            claim_id: stale.id,
            url: stale.url.clone(),
            outcome: Outcome::Ended(Ending::written("late".into())),
            alias: None,
        }],
        checkpoints: vec![("/out/a.jsonl".into(), Checkpoint("99".into()))],
        ..Default::default()
    };
    let e = a.commit(&late).unwrap_err();
    assert_eq!(
        e.downcast_ref::<ClaimsLost>(),
        Some(&ClaimsLost {
            hosts: vec!["h".into()]
        }),
        "{e:#}"
    );
    assert_eq!(a.checkpoint("/out/a.jsonl").unwrap(), None);
    assert_eq!(status(&mut c, &stale.url), UrlStatus::Queued);
    // A late result without a record is left out quietly.
    end(&mut a, &stale, Ending::visited(), None);
    assert_eq!(status(&mut c, &stale.url), UrlStatus::Queued);
    // A lease held and renewed is not lost.
    assert!(c.renew_leases(LONG).unwrap().is_empty());
}

fn takeovers_are_flagged_and_robots_shared(b: &mut impl Backend) {
    let mut a = b.open();
    let Some(mut c) = b.peer(&a) else {
        return;
    };
    a.begin_run().unwrap();
    c.begin_run().unwrap();
    let first = a.lease_host("h", LONG).unwrap().unwrap();
    assert!(!first.taken_over);
    assert_eq!(first.robots, None);
    let robots = RobotsFile::Body("User-agent: *\nCrawl-delay: 2\n".into());
    s_commit_robots(&mut a, "h", robots.clone());
    a.release_host("h").unwrap();
    // Released cleanly: no takeover; the robots.txt comes with the lease.
    let got = c
        .lease_host("h", Duration::from_millis(1))
        .unwrap()
        .unwrap();
    assert!(!got.taken_over);
    assert_eq!(got.robots, Some(robots));
    // Expired under c: a takes it over.
    std::thread::sleep(Duration::from_millis(50));
    assert!(a.lease_host("h", LONG).unwrap().unwrap().taken_over);
    // A restarted crawler leasing what it held before its restart also
    // waits, as after any takeover.
    let mut a = b.reopen(a);
    a.begin_run().unwrap();
    assert!(a.lease_host("h", LONG).unwrap().unwrap().taken_over);
    assert!(
        !a.lease_host("h", LONG).unwrap().unwrap().taken_over,
        "a renewal"
    );
}

fn s_commit_robots(s: &mut impl CrawlState, host: &str, file: RobotsFile) {
    s.commit(&Batch {
        robots: vec![(host.into(), file)],
        ..Default::default()
    })
    .unwrap();
}

fn peers_wait_for_claimed_hosts_but_not_for_parked_ones(b: &mut impl Backend) {
    let mut a = b.open();
    let Some(mut c) = b.peer(&a) else {
        return;
    };
    a.begin_run().unwrap();
    c.begin_run().unwrap();
    add(&mut a, vec![page("http://h/1"), page("http://g/1")]);
    a.lease_host("h", LONG).unwrap().unwrap();
    a.claim_next("h").unwrap().unwrap();
    // h's only entry is claimed by a: work for c (a may die), not for a.
    assert_eq!(a.hosts_with_work().unwrap(), ["g"]);
    assert_eq!(c.hosts_with_work().unwrap(), ["g", "h"]);
    // a parks g for later (a pause beyond the long pause): c does not wait.
    a.lease_host("g", LONG).unwrap().unwrap();
    a.commit(&Batch {
        host_pauses: vec![("g".into(), newscrawl::state::now_ms() + 3_600_000)],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(c.hosts_with_work().unwrap(), ["h"]);
    assert_eq!(a.hosts_with_work().unwrap(), ["g"], "its own parked host");
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
                    super::frontier_orders_and_deduplicates(&mut b);
                }
            }
            #[test]
            fn claims_need_the_lease_and_hand_out_each_entry_once() {
                if let Some(mut b) = backend() {
                    super::claims_need_the_lease_and_hand_out_each_entry_once(&mut b);
                }
            }
            #[test]
            fn endings_record_status_validators_and_aliases() {
                if let Some(mut b) = backend() {
                    super::endings_record_status_validators_and_aliases(&mut b);
                }
            }
            #[test]
            fn retries_and_releases_return_entries() {
                if let Some(mut b) = backend() {
                    super::retries_and_releases_return_entries(&mut b);
                }
            }
            #[test]
            fn content_is_owned_through_a_unique_key() {
                if let Some(mut b) = backend() {
                    super::content_is_owned_through_a_unique_key(&mut b);
                }
            }
            #[test]
            fn checkpoints_are_per_output_and_commit_with_the_batch() {
                if let Some(mut b) = backend() {
                    super::checkpoints_are_per_output_and_commit_with_the_batch(&mut b);
                }
            }
            #[test]
            fn a_killed_run_resumes_with_its_count_and_claims() {
                if let Some(mut b) = backend() {
                    super::a_killed_run_resumes_with_its_count_and_claims(&mut b);
                }
            }
            #[test]
            fn pauses_come_with_the_lease() {
                if let Some(mut b) = backend() {
                    super::pauses_come_with_the_lease(&mut b);
                }
            }
            #[test]
            fn feeds_are_revisited_and_written_articles_refetched() {
                if let Some(mut b) = backend() {
                    super::feeds_are_revisited_and_written_articles_refetched(&mut b);
                }
            }
            #[test]
            fn linked_feeds_are_polled_while_they_yield() {
                if let Some(mut b) = backend() {
                    super::linked_feeds_are_polled_while_they_yield(&mut b);
                }
            }
            #[test]
            fn stats_and_prune() {
                if let Some(mut b) = backend() {
                    super::stats_and_prune(&mut b);
                }
            }
            #[test]
            fn leases_are_exclusive_expire_and_fail_over() {
                if let Some(mut b) = backend() {
                    super::leases_are_exclusive_expire_and_fail_over(&mut b);
                }
            }
            #[test]
            fn takeovers_are_flagged_and_robots_shared() {
                if let Some(mut b) = backend() {
                    super::takeovers_are_flagged_and_robots_shared(&mut b);
                }
            }
            #[test]
            fn peers_wait_for_claimed_hosts_but_not_for_parked_ones() {
                if let Some(mut b) = backend() {
                    super::peers_wait_for_claimed_hosts_but_not_for_parked_ones(&mut b);
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
