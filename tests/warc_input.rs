//! WARC input, against archives written by an independent writer (warcio;
//! `scripts/warc-fixtures/make_fixtures.py` made `fixtures/warc/` and its
//! manifest): every HTML response is extracted exactly as the same page is
//! from a file, everything else is skipped and counted by reason.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn archive(name: &str) -> PathBuf {
    root().join("fixtures/warc").join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn run_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newscrawl"));
    cmd.args(args).envs(env.iter().copied());
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn records(o: &Output) -> Vec<Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record per line"))
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The manifest entries of one archive, in record order.
fn manifest(name: &str) -> Vec<Value> {
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(archive("manifest.json")).unwrap()).unwrap();
    m[name].as_array().unwrap().clone()
}

fn time(v: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap()
}

#[test]
fn every_html_response_gives_the_record_of_the_same_page_as_a_file() {
    // The file side in-process (as `extract --url URL FILE` does it), the
    // archive side through the binary.
    let sites = SiteRegistry::builtin().unwrap();
    for name in ["pages.warc.gz", "plain.warc"] {
        let entries = manifest(name);
        let o = run(&["extract", archive(name).to_str().unwrap()]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let got = records(&o);
        let pages: Vec<&Value> = entries.iter().filter(|e| e.get("page").is_some()).collect();
        assert_eq!(
            got.len(),
            pages.len(),
            "{name}: one record per HTML response"
        );
        for (record, entry) in got.iter().zip(&pages) {
            let bytes = std::fs::read(root().join(entry["page"].as_str().unwrap())).unwrap();
            let url = entry["url"].as_str().unwrap();
            let input = PageInput::new(&bytes).with_url(url.parse().unwrap());
            let page = extract_page(&input, &sites, &ExtractOptions::default()).unwrap();
            let want = serde_json::to_value(&page.record).unwrap();
            let mut record = record.clone();
            assert_eq!(time(&record["fetched_at"]), time(&entry["date"]), "{url}");
            assert!(want["fetched_at"].is_null());
            record["fetched_at"] = Value::Null;
            assert_eq!(record, want, "{name}: {url} ({entry})");
        }
    }
}

#[test]
fn the_summary_counts_records_and_skips_by_reason() {
    let entries = manifest("pages.warc.gz");
    let o = run(&["extract", archive("pages.warc.gz").to_str().unwrap()]);
    let err = stderr(&o);
    let html = entries.iter().filter(|e| e.get("page").is_some()).count();
    assert!(
        err.contains(&format!(
            "1 input (1 WARC): {} records read, {html} HTML; {html} extracted, {html} written",
            entries.len()
        )),
        "{err}"
    );
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &entries {
        if let Some(reason) = e.get("skip") {
            *skipped.entry(reason.as_str().unwrap()).or_default() += 1;
        }
    }
    assert!(skipped.len() >= 5, "the fixture skips several kinds");
    for (reason, n) in skipped {
        assert!(
            err.contains(&format!("{reason} {n}")),
            "{reason} {n}: {err}"
        );
    }
}

#[test]
fn stdin_carries_an_archive_gzipped_or_plain() {
    for name in ["pages.warc.gz", "plain.warc"] {
        let from_file = run(&["extract", archive(name).to_str().unwrap()]);
        let bytes = std::fs::read(archive(name)).unwrap();
        let from_stdin = run_with(&["extract", "-"], &[], Some(&bytes));
        assert!(from_stdin.status.success(), "{}", stderr(&from_stdin));
        assert_eq!(records(&from_stdin), records(&from_file), "{name}");
    }
}

#[test]
fn several_archives_keep_their_order_whatever_the_threads() {
    let (a, b) = (archive("pages.warc.gz"), archive("plain.warc"));
    let args = [
        "extract",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        a.to_str().unwrap(),
    ];
    let one = run_with(&args, &[("RAYON_NUM_THREADS", "1")], None);
    let many = run_with(&args, &[("RAYON_NUM_THREADS", "4")], None);
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(one.stdout, many.stdout);
    let urls: Vec<String> = records(&one)
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_string())
        .collect();
    let mut want: Vec<String> = Vec::new();
    for name in ["pages.warc.gz", "plain.warc", "pages.warc.gz"] {
        for e in manifest(name).iter().filter(|e| e.get("page").is_some()) {
            want.push(e["url"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(urls, want);
}

#[test]
fn site_and_date_filters() {
    let a = archive("pages.warc.gz");
    let a = a.to_str().unwrap();
    // The fixture sites' configs (invented hosts, not built in).
    let sel = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/selectors");
    let all = records(&run(&["extract", "--selectors", sel, a]));

    // A config name, and a host (two captures of it).
    let o = run(&[
        "extract",
        "--selectors",
        sel,
        "--site",
        "notizie-quotidiane",
        a,
    ]);
    let got = records(&o);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["site"], "notizie-quotidiane");
    assert!(
        stderr(&o).contains(&format!("--site {}", all.len() - 1)),
        "{}",
        stderr(&o)
    );
    let got = records(&run(&[
        "extract",
        "--selectors",
        sel,
        "--site",
        "vecchio-sito.example",
        a,
    ]));
    assert_eq!(got.len(), 2);

    let o = run(&["extract", "--selectors", sel, "--site", "nosuchname", a]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--site nosuchname"), "{}", stderr(&o));

    // Published times decide; undated records are kept.
    let since = chrono::DateTime::parse_from_rfc3339("2022-01-22T10:00:00Z").unwrap();
    let until = chrono::DateTime::parse_from_rfc3339("2023-01-01T00:00:00Z").unwrap();
    let o = run(&[
        "extract",
        "--selectors",
        sel,
        "--since",
        "2022-01-22T10:00:00Z",
        "--until",
        "2023-01-01T00:00:00Z",
        a,
        archive("plain.warc").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut everything = all.clone();
    everything.extend(records(&run(&[
        "extract",
        archive("plain.warc").to_str().unwrap(),
    ])));
    let want: Vec<&Value> = everything
        .iter()
        .filter(|r| {
            r["published"].is_null() || {
                let p = time(&r["published"]);
                p >= since && p <= until
            }
        })
        .collect();
    let got = records(&o);
    assert_eq!(got.iter().collect::<Vec<_>>(), want);
    assert!(
        got.len() < everything.len() - 1,
        "the window excludes some records"
    );
    assert!(got.iter().any(|r| r["published"].is_null()));
}

#[test]
fn a_truncated_archive_keeps_the_records_before_the_cut_and_names_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(archive("pages.warc.gz")).unwrap();
    let cut = dir.path().join("cut.warc.gz");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let o = run(&["extract", cut.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}: record ", cut.display())),
        "{err}"
    );
    let got = records(&o);
    assert!(!got.is_empty() && got.len() < 6, "{}", got.len());
    assert_eq!(o.status.code(), Some(0));
    assert!(err.contains("1 failed"), "{err}");
}

#[test]
fn records_over_the_body_limit_are_skipped_and_counted() {
    use newscrawl::warc::WarcRecord;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.warc.gz");
    let date = "2024-05-01T10:00:00Z".parse().unwrap();
    let mut file = std::fs::File::create(&path).unwrap();
    let page = |body: &[u8]| {
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        let offset = http.len();
        http.extend_from_slice(body);
        (http, offset)
    };
    let mut huge = b"<html><body><p>".to_vec();
    huge.resize(11 * 1024 * 1024, b'a');
    let (http, offset) = page(&huge);
    WarcRecord::response("https://big.example/a", date, http, offset)
        .write_gzip(&mut file)
        .unwrap();
    let body = "<html><body><article><p>A paragraph of the story that is long enough to count as prose, with commas, words and a full stop.</p><p>Another paragraph follows it, also long enough to count as article text for the extractor.</p></article></body></html>";
    let (http, offset) = page(body.as_bytes());
    WarcRecord::response("https://big.example/b", date, http, offset)
        .write_gzip(&mut file)
        .unwrap();
    drop(file);
    let o = run(&["extract", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = records(&o);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["url"], "https://big.example/b");
    assert!(stderr(&o).contains("over 10 MiB 1"), "{}", stderr(&o));
}

#[test]
fn url_flag_is_refused_for_an_archive() {
    let o = run(&[
        "extract",
        "--url",
        "https://example.com/",
        archive("pages.warc.gz").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--url cannot be used with a WARC archive"));
}
