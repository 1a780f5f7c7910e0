//! `newscrawl selectors list | check`.

mod common;

use std::io::Write;

use common::fixture_selectors;
use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn list_prints_name_hosts_and_file() {
    let o = run(&["selectors", "list"]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let wp = out
        .lines()
        .find(|l| l.starts_with("wordpress "))
        .expect("the wordpress base");
    assert!(
        wp.contains("(base config)") && wp.contains("selectors/_base/wordpress.toml"),
        "{wp}"
    );
    assert!(
        !out.contains(".example"),
        "no built-in config is for an invented host: {out}"
    );
    let o = run(&["selectors", "list", "--selectors", &fixture_selectors()]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let site = out
        .lines()
        .find(|l| l.starts_with("notizie-quotidiane "))
        .unwrap();
    assert!(
        site.contains("www.notizie-quotidiane.example")
            && site.contains("fixtures/selectors/it/notizie-quotidiane.toml"),
        "{site}"
    );
}

#[test]
fn list_reports_an_invalid_config_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "name = \"bad\"\nhosts = [\"bad.example\"]\n[extract]\nbody = [\"div[\"]\n",
    )
    .unwrap();
    let o = run(&[
        "selectors",
        "list",
        "--selectors",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("bad.toml:4: extract.body[0]: invalid CSS selector"),
        "{err}"
    );
}

/// A two-page corpus in the shared format, built from our fixtures.
fn tiny_corpus(dir: &std::path::Path, body_of_second: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let pages = [
        (
            "it/Quotidiane",
            "it-wordpress-read",
            "https://www.notizie-quotidiane.example/2022/01/22/blinken-lavrov-ginevra/",
        ),
        (
            "it/Cronaca",
            "it-magazine-theme",
            "https://www.cronaca-oggi.example/mondo/blinken-lavrov-ginevra-risposte-scritte/",
        ),
    ];
    let mut index = std::fs::File::create(dir.join("index.jsonl")).unwrap();
    for (i, (id, fixture, url)) in pages.iter().enumerate() {
        let spec: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root.join(fixture).join("expected.json")).unwrap(),
        )
        .unwrap();
        let rec = &spec["record"];
        let html = format!("{i}.html.gz");
        common::gzip_fixture_page(fixture, &dir.join(&html));
        let body = if i == 1 {
            body_of_second.to_string()
        } else {
            rec["body"].as_str().unwrap().to_string()
        };
        let line = serde_json::json!({"id": id, "url": url, "html": html, "expected": {
            "title": rec["title"], "authors": rec["authors"], "published": rec["published"], "body": body}});
        writeln!(index, "{line}").unwrap();
    }
}

#[test]
fn check_scores_sites_and_gates_on_min_f1() {
    let dir = tempfile::tempdir().unwrap();
    tiny_corpus(
        dir.path(),
        "A completely different expected body that shares nothing with the page at all.",
    );
    let sel = fixture_selectors();
    let check = |extra: &[&str]| {
        let mut args = vec![
            "selectors",
            "check",
            "--selectors",
            &sel,
            "--corpus",
            dir.path().to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let o = check(&[]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let line = out
        .lines()
        .find(|l| l.starts_with("notizie-quotidiane"))
        .unwrap();
    assert!(line.contains(" 1.000 "), "{line}");
    let line = out.lines().find(|l| l.starts_with("cronaca-oggi")).unwrap();
    assert!(line.contains(" 0.000 "), "{line}");
    let summary = out.lines().last().unwrap();
    assert!(
        summary.starts_with("summary: 2 pages, 2 sites"),
        "{summary}"
    );
    assert_eq!(check(&["--min-f1", "0.9"]).status.code(), Some(1));
    let o = check(&["--min-f1", "0.9", "--site", "notizie-quotidiane"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn check_on_a_missing_corpus_names_it() {
    let o = run(&["selectors", "check", "--corpus", "/nonexistent/corpus"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8(o.stderr)
        .unwrap()
        .contains("/nonexistent/corpus/index.jsonl"));
}
