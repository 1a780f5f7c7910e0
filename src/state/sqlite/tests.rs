//! SQLite specifics the conformance suite does not cover: claiming ahead,
//! migrations, the owner id.

use super::*;
use crate::state::NewUrl;

fn new(url: &str) -> NewUrl {
    NewUrl {
        url: url.into(),
        host: "h".into(),
        depth: 1,
        kind: UrlKind::Page,
        priority: 2,
        hops: 0,
        force: false,
    }
}

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn claims_ahead_are_handed_out_once_each_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteState::open(&dir.path().join("s.db")).unwrap();
    s.begin_run().unwrap();
    let urls: Vec<String> = (0..20).map(|i| format!("http://h/{i:02}")).collect();
    s.commit(&Batch {
        new_urls: urls.iter().map(|u| new(u)).collect(),
        ..Default::default()
    })
    .unwrap();
    s.lease_host("h", HOUR).unwrap().unwrap();
    let mut got = Vec::new();
    while let Some(c) = s.claim_next("h").unwrap() {
        got.push(c.url);
    }
    assert_eq!(got, urls);
    // A new run releases what was claimed (ahead or not).
    s.end_run(false).unwrap();
    s.begin_run().unwrap();
    s.lease_host("h", HOUR).unwrap().unwrap();
    assert_eq!(s.claim_next("h").unwrap().unwrap().url, "http://h/00");
    // Releasing the host returns its claims, handed out or ahead.
    s.release_host("h").unwrap();
    s.lease_host("h", HOUR).unwrap().unwrap();
    let again: Vec<String> = std::iter::from_fn(|| s.claim_next("h").unwrap())
        .map(|c| c.url)
        .collect();
    assert_eq!(again, urls);
}

#[test]
fn a_version_1_state_file_opens_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(schema::V1).unwrap();
        c.execute_batch(
            "PRAGMA user_version=1;
             INSERT INTO urls(url,host,status,content_hash,first_seen,fetched_at,written_at,updated_at)
               VALUES('http://h/a','h','written','abc',1,1,1,1);
             INSERT INTO urls(url,host,kind,status,first_seen,updated_at)
               VALUES('http://h/feed','h',3,'done',1,1);
             INSERT INTO urls(url,host,status,reason,first_seen,updated_at)
               VALUES('http://h/old','h','skipped','too old',1,1);
             INSERT INTO outputs(path,length) VALUES('out.jsonl', 42);",
        )
        .unwrap();
    }
    let mut s = SqliteState::open(&path).unwrap();
    // Keyed by the file the relative name meant, from here.
    let key = crate::paths::resolve(Path::new("out.jsonl"));
    assert_eq!(
        s.checkpoint(&key.display().to_string()).unwrap(),
        Some(Checkpoint("42".into()))
    );
    assert_eq!(
        s.url_info("http://h/feed").unwrap().unwrap().status,
        UrlStatus::Visited
    );
    // The written article owns its body's hash.
    assert_eq!(
        s.claim_content("abc", "http://h/b").unwrap(),
        ContentClaim::OwnedBy("http://h/a".into())
    );
    // The visited feed is a linked feed now, not polled...
    s.begin_run().unwrap();
    s.lease_host("h", HOUR).unwrap().unwrap();
    assert_eq!(s.claim_next("h").unwrap(), None);
    // ... until a home page (or a config) lists it as a feed again.
    s.commit(&Batch {
        new_urls: vec![NewUrl {
            url: "http://h/feed".into(),
            host: "h".into(),
            depth: 1,
            kind: UrlKind::Feed,
            priority: 0,
            hops: 0,
            force: false,
        }],
        ..Default::default()
    })
    .unwrap();
    s.end_run(true).unwrap();
    s.begin_run().unwrap();
    s.lease_host("h", HOUR).unwrap().unwrap();
    assert_eq!(s.claim_next("h").unwrap().unwrap().url, "http://h/feed");
    let reason: String = s
        .conn
        .query_row(
            "SELECT reason FROM urls WHERE url='http://h/old'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason.parse(), Ok(crate::state::Reason::OlderThanSince));
    let v: i64 = s
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn newer_schema_is_refused_and_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version=99;")
        .unwrap();
    let e = format!("{:#}", SqliteState::open(&path).unwrap_err());
    assert!(e.contains("new.db") && e.contains("newer"), "{e}");
}

#[test]
fn the_owner_id_is_stable_across_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let a = SqliteState::open(&path).unwrap().owner().clone();
    let b = SqliteState::open(&path).unwrap().owner().clone();
    assert_eq!(a, b);
    let other = SqliteState::open(&dir.path().join("t.db")).unwrap();
    assert_ne!(other.owner().id, a.id);
}

#[test]
fn claiming_reuses_its_prepared_statement() {
    // Re-preparing the claim query at every claim cost 1.5% of a crawl's CPU.
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteState::open(&dir.path().join("s.db")).unwrap();
    s.begin_run().unwrap();
    let urls: Vec<String> = (0..40).map(|i| format!("http://h/{i:02}")).collect();
    s.commit(&Batch {
        new_urls: urls.iter().map(|u| new(u)).collect(),
        ..Default::default()
    })
    .unwrap();
    s.lease_host("h", HOUR).unwrap().unwrap();
    let mut claimed = 0;
    while s.claim_next("h").unwrap().is_some() {
        claimed += 1;
    }
    assert_eq!(claimed, 40, "{} queries", 40 / CLAIM_AHEAD + 1);
    let st = s.conn.prepare_cached(CLAIM_SQL).unwrap();
    assert_eq!(
        st.get_status(rusqlite::StatementStatus::RePrepare),
        0,
        "the claim query was prepared again"
    );
}

#[test]
fn a_crawl_checkpoints_its_wal_on_a_thread_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let long = "x".repeat(200);
    {
        let mut s = SqliteState::open_locked(&path).unwrap();
        s.begin_run().unwrap();
        // Far more than CHECKPOINT_PAGES pages of WAL.
        for b in 0..100 {
            s.commit(&Batch {
                new_urls: (0..100)
                    .map(|i| new(&format!("http://h/{b}/{i}/{long}")))
                    .collect(),
                ..Default::default()
            })
            .unwrap();
        }
        let checkpoints = || s.checkpointer.as_ref().unwrap().done();
        for _ in 0..3000 {
            if checkpoints() > 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(checkpoints() > 0);
    }
    // Closed last, the crawl's connection checkpointed the rest and removed
    // the WAL; nothing was lost.
    assert!(!dir.path().join("c.db-wal").exists());
    let mut s = SqliteState::open(&path).unwrap();
    assert_eq!(s.stats().unwrap().urls, 10_000);
}
