//! Hosts shared between crawlers: pauses carried by the lease, leases
//! exclusive, expiring and failing over, takeovers flagged with robots.txt
//! shared, peers waiting for claimed hosts only.

use super::*;

pub(super) fn pauses_come_with_the_lease(b: &mut impl Backend) {
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

pub(super) fn leases_are_exclusive_expire_and_fail_over(b: &mut impl Backend) {
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

pub(super) fn takeovers_are_flagged_and_robots_shared(b: &mut impl Backend) {
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

pub(super) fn peers_wait_for_claimed_hosts_but_not_for_parked_ones(b: &mut impl Backend) {
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
