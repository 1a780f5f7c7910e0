//! What a crawl writes through the state: content hashes owned through a
//! unique key, output checkpoints committed with their batch, and the
//! counts and pruning of `state stats` / `state prune`.

use super::*;

pub(super) fn content_is_owned_through_a_unique_key(b: &mut impl Backend) {
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

pub(super) fn checkpoints_are_per_output_and_commit_with_the_batch(b: &mut impl Backend) {
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

pub(super) fn stats_and_prune(b: &mut impl Backend) {
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
