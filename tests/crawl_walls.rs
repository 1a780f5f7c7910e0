//! Soft blocks (issue 12): a bot challenge, a consent wall and a paywall
//! never become records of wall text; they are counted by reason in the
//! summary, a challenge pauses its host (stored for the next runs), and a
//! paywalled article is written marked `paywalled`.

mod common;

use common::*;

const CONSENT_FORM: &str = "<!doctype html><html lang=en><head><title>Before you continue</title><meta property=\"og:type\" content=\"article\"></head><body><main>\
    <p>We value your privacy</p>\
    <p>We and our partners store and access information on a device, such as cookies, and process personal data, such as unique identifiers, for personalised ads and content, ad and content measurement, and audience insights.</p>\
    <p>You may accept all, reject all or manage your choices below, and change your consent at any time in our privacy policy, where you can also object to processing based on legitimate interest.</p>\
    <p><button>Accept all</button> <button>Reject all</button></p></main></body></html>";

fn paywalled_article(title: &str) -> String {
    article(title, &[]).replacen(
        "<title>",
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"isAccessibleForFree\":false,\"hasPart\":{\"@type\":\"WebPageElement\",\"isAccessibleForFree\":false,\"cssSelector\":\".paywall\"}}</script><title>",
        1,
    )
}

#[test]
fn walls_are_counted_and_never_written() {
    let s = Server::start("127.0.0.1", |h| match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&["/open", "/paid", "/consent-form", "/to-consent"])),
        "/paid" => html(paywalled_article("Paid story")),
        "/consent-form" => html(CONSENT_FORM),
        "/to-consent" => Reply::Full(
            302,
            vec![(
                "location".into(),
                "https://consent.example.com/v2/collectConsent?sessionId=3".into(),
            )],
            vec![],
        ),
        p => html(article(p, &[])),
    });
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let args = crawl_args(&[&seed], &out, &st, &["--rate", "1000"]);
    let o = crawl(d.path(), &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let recs = records(&out);
    assert_eq!(urls(&recs), [s.url("/open"), s.url("/paid")], "{err}");
    for r in &recs {
        let paid = r["url"].as_str().unwrap().ends_with("/paid");
        assert_eq!(r["paywalled"], paid, "{r}");
    }
    assert_eq!(summary_count(&err, "consent wall"), Some(2), "{err}");
    assert_eq!(summary_count(&err, "paywall"), Some(1), "{err}");
    assert!(err.contains("consent wall instead of the page"), "{err}");
    // The consent host itself was never asked (out of scope).
    assert_eq!(summary_count(&err, "redirect out of scope"), None, "{err}");
}

#[test]
fn a_challenge_pauses_the_host_for_this_run_and_the_next() {
    let s = Server::start("127.0.0.1", |h| {
        match h.path.as_str() {
        "/robots.txt" => reply(404, "text/plain", ""),
        "/" => html(listing(&["/a", "/b", "/c"])),
        "/b" => Reply::Full(
            403,
            vec![
                ("content-type".into(), "text/html".into()),
                ("cf-mitigated".into(), "challenge".into()),
            ],
            b"<html><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>".to_vec(),
        ),
        p => html(article(p, &[])),
    }
    });
    let (d, out, st) = workdir();
    let seed = s.url("/");
    let args = crawl_args(&[&seed], &out, &st, &["--rate", "1000"]);
    let o = crawl(d.path(), &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(summary_count(&err, "bot challenge"), Some(1), "{err}");
    // Nothing after the challenge: /c waits with /b.
    assert_eq!(s.count("/b"), 1);
    assert_eq!(s.count("/c"), 0, "{:?}", s.paths());
    assert_eq!(urls(&records(&out)), [s.url("/a")]);
    assert!(
        err.contains(&format!(
            "paused hosts left for a later run: {} for",
            s.host()
        )),
        "{err}"
    );
    let stats = state_stats(&st);
    assert!(
        stats.contains(&format!("paused {} until", s.host())),
        "{stats}"
    );
    // The next run leaves the paused host alone.
    let before = s.paths().len();
    let o = crawl(d.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.paths().len(), before, "{:?}", s.paths());
}
