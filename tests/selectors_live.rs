//! `newscrawl selectors check --live`: each config's `[[test]]` pages are
//! fetched politely from a loopback server and their snippets checked.

mod common;

use std::time::Duration;

use common::{bin, html, reply, stderr, Server};

/// An article page in a `div.story` container, with a related-links box
/// inside it and a comment section below.
fn story_page(text: &str) -> String {
    let paras: String = (0..5)
        .map(|i| format!("<p>{text}, paragraph {i}, which tells the readers what happened and why it matters to them.</p>"))
        .collect();
    format!(
        "<!doctype html><html lang=en><head><title>Story</title><meta property=\"og:type\" content=\"article\"></head>\
         <body><div class=story>{paras}<div class=related><a href=/x>Another story you might like</a></div></div>\
         <div class=comments><p>First!</p></div></body></html>"
    )
}

fn config(name: &str, host: &str, tests: &str) -> String {
    format!(
        "name = \"{name}\"\nhosts = [\"{host}\"]\n[extract]\nbody = [\".story\"]\ndrop = [\".related\"]\n{tests}"
    )
}

fn site(hit: &common::Hit) -> common::Reply {
    match hit.path.as_str() {
        "/robots.txt" => reply(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/good" => html(story_page("The bridge reopened on Monday")),
        "/changed" => html(story_page("The council met on Tuesday")),
        _ => reply(404, "text/plain", "not found"),
    }
}

#[test]
fn live_tests_pass_and_fail_per_config_and_snippet_politely() {
    let server = Server::start("127.0.0.1", site);
    let second = Server::start("127.0.0.2", site);
    let host = server.host();
    let dir = tempfile::tempdir().unwrap();
    let base = format!("http://{host}");
    std::fs::write(
        dir.path().join("good.toml"),
        config(
            "good",
            &host,
            &format!(
                "[[test]]\nurl = \"{base}/good\"\ncontains = [\"The bridge reopened\"]\nnot_contains = [\"Another story\", \"First!\"]\n"
            ),
        ),
    )
    .unwrap();
    let other = second.host();
    std::fs::write(
        dir.path().join("bad.toml"),
        config(
            "bad",
            &other,
            &format!(
                "[[test]]\nurl = \"http://{other}/changed\"\ncontains = [\"The bridge reopened\"]\nnot_contains = [\"Tuesday\"]\n\
                 [[test]]\nurl = \"http://{other}/private/page\"\ncontains = [\"anything\"]\n"
            ),
        ),
    )
    .unwrap();
    let sel = dir.path().to_str().unwrap();
    let live = |extra: &[&str]| {
        bin()
            .args(["selectors", "check", "--live", "--selectors", sel])
            .args(extra)
            .output()
            .unwrap()
    };
    let o = live(&[]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}\n{}", stderr(&o));
    let lines: Vec<&str> = out.lines().collect();
    let find = |prefix: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starts with {prefix:?}: {out}"))
    };
    let good = find(&format!("ok   good {base}/good (site:good)"));
    assert_eq!(lines[good + 1], "  ok   contains \"The bridge reopened\"");
    assert_eq!(lines[good + 2], "  ok   not_contains \"Another story\"");
    assert_eq!(lines[good + 3], "  ok   not_contains \"First!\"");
    let changed = find(&format!("FAIL bad http://{other}/changed"));
    assert_eq!(
        lines[changed + 1],
        "  FAIL contains \"The bridge reopened\""
    );
    assert_eq!(lines[changed + 2], "  FAIL not_contains \"Tuesday\"");
    let private = find(&format!("FAIL bad http://{other}/private/page"));
    assert!(
        lines[private].ends_with("disallowed by robots.txt"),
        "{out}"
    );
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("summary: 3 tests of 2 configs: 1 passed, 2 failed"),
        "{out}"
    );
    // Polite: robots.txt once per host, the disallowed page never asked,
    // requests to one host a second apart.
    for s in [&server, &second] {
        assert_eq!(s.count("/robots.txt"), 1, "{:?}", s.paths());
        assert!(
            s.min_gap() >= Duration::from_millis(900),
            "{:?}",
            s.min_gap()
        );
    }
    assert_eq!(second.count("/private/page"), 0);

    // --site narrows the check to one config; all its tests pass.
    let o = live(&["--site", "good"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", stderr(&o));
    assert!(out.contains("summary: 1 tests of 1 configs: 1 passed, 0 failed"));

    let o = live(&["--site", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--site nope"), "{}", stderr(&o));
}

#[test]
fn check_needs_a_corpus_or_live() {
    let o = bin().args(["selectors", "check"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = bin()
        .args(["selectors", "check", "--simulate-redesign", "--live"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// A redesigned page: the story in a new container, with a widget of the
/// site's own (in words no vocabulary knows) that the config still drops.
fn moved_page(hit: &common::Hit) -> common::Reply {
    if hit.path == "/robots.txt" {
        return reply(404, "text/plain", "not found");
    }
    let paras: String = (0..5)
        .map(|i| format!("<p>The tram reached the harbour, paragraph {i}, which tells the readers what happened and why it matters to them.</p>"))
        .collect();
    html(format!(
        "<!doctype html><html lang=en><head><title>Story</title></head><body><main><div class=article-text>{paras}\
         <div class=hn-xq><p>The harbour festival returns on the first weekend of July, with music on the quay and boat trips for children.</p></div>\
         </div></main></body></html>"
    ))
}

#[test]
fn a_config_whose_rules_only_cleaned_the_generic_body_fails_its_live_test() {
    let server = Server::start("127.0.0.1", moved_page);
    let host = server.host();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("moved.toml"),
        format!(
            "name = \"moved\"\nhosts = [\"{host}\"]\n[extract]\nbody = [\".story\"]\ndrop = [\".hn-xq\"]\n\
             [[test]]\nurl = \"http://{host}/a\"\ncontains = [\"The tram reached the harbour\"]\nnot_contains = [\"festival\"]\n"
        ),
    )
    .unwrap();
    let o = bin()
        .args(["selectors", "check", "--live", "--selectors"])
        .arg(dir.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}\n{}", stderr(&o));
    assert!(
        out.contains(&format!("FAIL moved http://{host}/a (generic+site:moved)")),
        "{out}"
    );
    assert!(
        out.contains("  FAIL the config was not used: fell back to generic extraction: body selectors matched nothing"),
        "{out}"
    );
}
