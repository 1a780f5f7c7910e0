//! The frontier: order and deduplication, claims under a lease handed out
//! once, endings with their validators and aliases, retries and releases,
//! a killed run resumed, feeds revisited and linked feeds polled while they
//! yield.

use super::*;

pub(super) fn frontier_orders_and_deduplicates(b: &mut impl Backend) {
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

pub(super) fn claims_need_the_lease_and_hand_out_each_entry_once(b: &mut impl Backend) {
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

pub(super) fn endings_record_status_validators_and_aliases(b: &mut impl Backend) {
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

pub(super) fn retries_and_releases_return_entries(b: &mut impl Backend) {
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

pub(super) fn a_killed_run_resumes_with_its_count_and_claims(b: &mut impl Backend) {
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

pub(super) fn feeds_are_revisited_and_written_articles_refetched(b: &mut impl Backend) {
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

pub(super) fn linked_feeds_are_polled_while_they_yield(b: &mut impl Backend) {
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
