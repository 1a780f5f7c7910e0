//! `newscrawl eval` on small corpora built from our fixtures: the wcxb kind
//! (word metric, page types), the tuning/validation split, `--part`, the
//! gates, predictions, and indexes that mix kinds of pages.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

mod common;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

use common::stderr;

/// Copies a fixture's page into the corpus as `NAME.html.gz`.
fn add_page(dir: &Path, fixture: &str, name: &str) -> String {
    let html = format!("{name}.html.gz");
    common::gzip_fixture_page(fixture, &dir.join(&html));
    html
}

/// The body a fixture's page gives with the built-in configs.
fn fixture_body(fixture: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(fixture).join("expected.json")).unwrap(),
    )
    .unwrap();
    spec["record"]["body"].as_str().unwrap().to_string()
}

fn write_index(dir: &Path, lines: &[serde_json::Value]) {
    let mut index = std::fs::File::create(dir.join("index.jsonl")).unwrap();
    for l in lines {
        writeln!(index, "{l}").unwrap();
    }
}

/// Three pages: one of the tuning part, extracted exactly (word F1 1); two
/// of the validation part (registrable domains `herald.example` and
/// `example.com` hash below 30), whose references share no word with the
/// page (F1 0).
fn wcxb_corpus(dir: &Path) {
    let a = add_page(dir, "it-wordpress-read", "a");
    let b = add_page(dir, "jsonld-newsarticle", "b");
    let c = add_page(dir, "it-magazine-theme", "c");
    write_index(
        dir,
        &[
            serde_json::json!({"id": "a", "url": "https://www.notizie-quotidiane.example/2022/01/22/blinken-lavrov-ginevra/",
                "html": a, "page_type": "article",
                "expected": {"body": fixture_body("it-wordpress-read"), "title": null, "authors": [], "published": null},
                "with": ["Blinken"], "without": ["zzzqqq"]}),
            serde_json::json!({"id": "b", "url": "https://news.herald.example/2023/06/14/x",
                "html": b, "page_type": "forum",
                "expected": {"body": "Zqxv wvyk", "title": null, "authors": [], "published": null},
                "with": [], "without": []}),
            serde_json::json!({"id": "c", "url": "https://example.com/mondo/y",
                "html": c, "page_type": "article",
                "expected": {"body": "Qqqz", "title": null, "authors": [], "published": null},
                "with": [], "without": []}),
        ],
    );
}

fn row<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no row {name} in:\n{out}"))
}

#[test]
fn wcxb_corpus_is_scored_by_words_per_part_and_page_type() {
    let dir = tempfile::tempdir().unwrap();
    wcxb_corpus(dir.path());
    let corpus = dir.path().to_str().unwrap();
    let o = run(&["eval", "--corpus", corpus, "--worst", "1"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(
        out.contains("(wcxb kind): 3 pages; split by registrable domain: tuning 1 pages (1 domains), validation 2 pages (2 domains)"),
        "{out}"
    );
    // part, pages, failed, word F1, P, R, snippet F1, ...
    let cells = |name| {
        row(&out, name)
            .split_whitespace()
            .skip(1)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        cells("tuning")[..6],
        ["1", "0", "1.0000", "1.0000", "1.0000", "1.0000"]
    );
    assert_eq!(cells("validation")[..3], ["2", "0", "0.0000"]);
    assert_eq!(cells("all")[..3], ["3", "0", "0.3333"]);
    let article = cells("article").join(" ");
    assert_eq!(article, "1.0000 (1) 0.0000 (1) 0.5000 (2)");
    assert_eq!(cells("forum").join(" "), "- 0.0000 (1) 0.0000 (1)");
    let worst: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("worst"))
        .collect();
    assert!(
        worst[1]
            .trim_start()
            .starts_with("0.000  b  validation forum"),
        "{out}"
    );
}

#[test]
fn one_part_is_scored_and_gated_alone() {
    let dir = tempfile::tempdir().unwrap();
    wcxb_corpus(dir.path());
    let corpus = dir.path().to_str().unwrap();
    let predictions = dir.path().join("predictions.jsonl");
    let o = run(&[
        "eval",
        "--corpus",
        corpus,
        "--part",
        "validation",
        "--predictions",
        predictions.to_str().unwrap(),
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("scoring the validation part"), "{out}");
    assert!(row(&out, "validation").contains(" 2 "));
    assert!(!out.lines().any(|l| l.starts_with("tuning ")), "{out}");
    let ids: Vec<String> = std::fs::read_to_string(&predictions)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"b\"", "\"c\""]);

    // Gates: all is 0.333, validation 0, tuning 1.
    let o = run(&["eval", "--corpus", corpus, "--min-f1", "0.3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "eval",
        "--corpus",
        corpus,
        "--min-f1",
        "0.3",
        "--min-validation-f1",
        "0.5",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("validation word F1 0.0000 is below --min-validation-f1 0.5"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "eval", "--corpus", corpus, "--part", "tuning", "--min-f1", "0.99",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "eval",
        "--corpus",
        corpus,
        "--part",
        "tuning",
        "--min-validation-f1",
        "0.1",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// Issue 12: an index mixing pages with and without `expected` made `eval`
/// and `selectors check` panic (exit 101).
#[test]
fn an_index_mixing_kinds_of_pages_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = add_page(dir.path(), "it-wordpress-read", "a");
    let url = "https://www.notizie-quotidiane.example/2022/01/22/blinken-lavrov-ginevra/";
    let expected = serde_json::json!({"body": fixture_body("it-wordpress-read"), "title": null, "authors": [], "published": null});
    write_index(
        dir.path(),
        &[
            serde_json::json!({"id": "with-expected", "url": url, "html": a, "expected": expected}),
            serde_json::json!({"id": "snippets-only", "url": url, "html": a, "with": ["Blinken"], "without": []}),
        ],
    );
    let corpus = dir.path().to_str().unwrap();
    let index = dir.path().join("index.jsonl");
    for args in [
        &["eval", "--corpus", corpus][..],
        &["selectors", "check", "--corpus", corpus][..],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!(
                "{}:2: page `snippets-only` has no `expected`",
                index.display()
            )),
            "{args:?}: {err}"
        );
    }
    // A publishers line followed by a wcxb line (a `page_type`) is mixed too.
    write_index(
        dir.path(),
        &[
            serde_json::json!({"id": "p", "url": url, "html": a, "expected": expected}),
            serde_json::json!({"id": "w", "url": url, "html": a, "expected": expected, "page_type": "article"}),
        ],
    );
    let o = run(&["eval", "--corpus", corpus]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("index.jsonl:2: page `w` has `expected` and a `page_type`"));
}

/// `eval ... | head -1`: the report ends quietly when its reader goes away
/// (it panicked on the closed pipe, exit 101).
#[test]
fn a_closed_pipe_ends_the_report_quietly() {
    let dir = tempfile::tempdir().unwrap();
    wcxb_corpus(dir.path());
    let corpus = dir.path().to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args(["eval", "--corpus", corpus, "--worst", "3"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing: close the pipe at once, as `head -0` would.
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(o.status.code(), Some(101), "{err}");
}
