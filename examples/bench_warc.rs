//! WARC input speed: pages/s of `newscrawl extract` on a `.warc.gz` of the
//! publishers corpus pages against the same pages as `.html.gz` files.
//!
//! ```text
//! cargo build --release --bin newscrawl --example bench_warc
//! taskset -c 0 target/release/examples/bench_warc [CORPUS_DIR [ROUNDS]]    # one core
//! target/release/examples/bench_warc --write OUT.warc.gz [CORPUS_DIR]       # the archive only
//! target/release/examples/bench_warc --check [CORPUS_DIR]                   # round trip, exit 1 on a difference
//! ```
//!
//! `--check` runs the binary on the archive and compares every record with
//! the one the library makes of the same page read as a file with its URL
//! (as `extract --url URL FILE` does): they must be equal apart from
//! `fetched_at`.
//!
//! Builds the archive in a temporary folder (never kept): for each page of
//! the corpus (default `../shared/corpus/publishers`) a `response` record
//! (HTTP head with `Content-Type` and `Content-Length`, the page as payload,
//! `WARC-Date` from the crawl date) and its `request` record, one gzip member
//! per record as in CC-NEWS. Then runs the release binary on the archive and
//! on the corpus's own `.html.gz` files, alternately, ROUNDS times (default
//! 3), and prints the best pages/s of each and their ratio (the target is at
//! least 0.9). Both runs are made twice: with site configs (the archive's
//! records carry their URL, the files their canonical link) and with
//! `--no-selectors` (the same generic work on both sides). Exits 0 with a
//! message when the corpus is absent.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::{DateTime, NaiveDateTime, Utc};
use newscrawl::corpus::Corpus;
use newscrawl::warc::WarcRecord;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.first().map(String::as_str) == Some("--check");
    if check {
        args.remove(0);
    }
    let write_only = if args.first().map(String::as_str) == Some("--write") {
        let Some(path) = args.get(1).map(PathBuf::from) else {
            eprintln!("usage: bench_warc --write OUT.warc.gz [CORPUS_DIR]");
            std::process::exit(2);
        };
        args.drain(..2);
        Some(path)
    } else {
        None
    };
    let dir = args.first().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/publishers")
    });
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    if !dir.join("index.jsonl").exists() {
        println!("bench_warc: no corpus at {} (skipped)", dir.display());
        return;
    }
    let corpus = Corpus::load(&dir).expect("corpus loads");
    if let Some(path) = write_only {
        let pages = write_archive(&corpus, &dir, &path).len();
        println!("bench_warc: {pages} pages written to {}", path.display());
        return;
    }
    let bin = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("newscrawl")))
        .filter(|p| p.exists())
        .unwrap_or_else(|| {
            eprintln!("bench_warc: build the binary first: cargo build --release --bin newscrawl");
            std::process::exit(2);
        });
    let tmp = tempfile::tempdir().expect("temporary folder");
    let archive = tmp.path().join("publishers.warc.gz");
    let files = write_archive(&corpus, &dir, &archive);
    let pages = files.len();
    if check {
        std::process::exit(round_trip(&bin, &archive, &corpus, &files));
    }
    let size = std::fs::metadata(&archive).map(|m| m.len()).unwrap_or(0);
    println!(
        "bench_warc: {pages} pages; archive {:.1} MB ({} records); binary {}",
        size as f64 / 1e6,
        pages * 2,
        bin.display()
    );
    for selectors in [true, false] {
        let flag: &[&str] = if selectors { &[] } else { &["--no-selectors"] };
        let mut best_files = f64::MAX;
        let mut best_warc = f64::MAX;
        let mut counts = (0, 0);
        for _ in 0..rounds {
            let file_args: Vec<&str> = files.iter().map(|(_, f)| f.to_str().unwrap()).collect();
            let (t, n) = time_extract(&bin, flag, &file_args);
            best_files = best_files.min(t);
            counts.0 = n;
            let (t, n) = time_extract(&bin, flag, &[archive.to_str().unwrap()]);
            best_warc = best_warc.min(t);
            counts.1 = n;
        }
        let (pf, pw) = (pages as f64 / best_files, pages as f64 / best_warc);
        println!(
            "{}: .html.gz files {pf:.1} pages/s ({} records, best {best_files:.2} s); .warc.gz {pw:.1} pages/s ({} records, best {best_warc:.2} s); warc/files = {:.3}",
            if selectors { "site configs " } else { "--no-selectors" },
            counts.0,
            counts.1,
            pw / pf
        );
    }
}

/// Writes the archive; returns the pages (corpus entry index, `.html.gz`
/// file) in archive order.
fn write_archive(corpus: &Corpus, dir: &Path, archive: &Path) -> Vec<(usize, PathBuf)> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(archive).expect("archive"));
    let info = WarcRecord::warcinfo(
        "publishers.warc.gz",
        Utc::now(),
        &[("software", "newscrawl bench_warc")],
    );
    info.write_gzip(&mut out).expect("write");
    // The crawl date is not part of the corpus model: read it from the index.
    let dates: std::collections::HashMap<String, String> =
        std::fs::read_to_string(dir.join("index.jsonl"))
            .expect("index")
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| {
                Some((
                    v["id"].as_str()?.to_string(),
                    v["crawl_date"].as_str()?.to_string(),
                ))
            })
            .collect();
    let mut files = Vec::new();
    for (index, entry) in corpus.entries.iter().enumerate() {
        let Ok(page) = corpus.read_page(entry) else {
            continue;
        };
        let date = dates
            .get(&entry.id)
            .map_or_else(Utc::now, |d| crawl_date(d));
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            page.len()
        )
        .into_bytes();
        let offset = http.len();
        http.extend_from_slice(&page);
        let response = WarcRecord::response(&entry.url, date, http, offset);
        let url = url::Url::parse(&entry.url).expect("corpus URLs parse");
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: newscrawl\r\n\r\n",
            &url[url::Position::BeforePath..],
            url.host_str().unwrap_or("")
        );
        let request = WarcRecord::request_for(&response, &entry.url, request.into_bytes());
        response.write_gzip(&mut out).expect("write");
        request.write_gzip(&mut out).expect("write");
        files.push((index, dir.join(&entry.html)));
    }
    files
}

fn crawl_date(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").map(|n| n.and_utc()))
        .unwrap_or_else(|_| Utc::now())
}

/// Runs `newscrawl extract` on the inputs; returns seconds and records.
fn time_extract(bin: &Path, flags: &[&str], inputs: &[&str]) -> (f64, usize) {
    let start = Instant::now();
    let out = Command::new(bin)
        .arg("extract")
        .args(flags)
        .args(inputs)
        .stderr(Stdio::null())
        .output()
        .expect("newscrawl runs");
    let secs = start.elapsed().as_secs_f64();
    let records = out.stdout.iter().filter(|&&b| b == b'\n').count();
    (secs, records)
}

/// Compares the archive's records with the pages extracted as files; returns
/// the exit status.
fn round_trip(bin: &Path, archive: &Path, corpus: &Corpus, files: &[(usize, PathBuf)]) -> i32 {
    use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
    let out = Command::new(bin)
        .arg("extract")
        .arg(archive)
        .stderr(Stdio::inherit())
        .output()
        .expect("newscrawl runs");
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON record"))
        .collect();
    let sites = newscrawl::selectors::SiteRegistry::builtin().expect("configs");
    let (mut same, mut differ) = (0, 0);
    let mut records = records.into_iter();
    for (index, file) in files {
        let entry = &corpus.entries[*index];
        let bytes = newscrawl::corpus::read_html_file(file).expect("page");
        let input = PageInput::new(&bytes).with_url(entry.url.parse().expect("URL"));
        let Ok(page) = extract_page(&input, &sites, &ExtractOptions::default()) else {
            continue;
        };
        if page.record.body.is_empty() {
            continue;
        }
        let want = serde_json::to_value(&page.record).expect("record");
        let Some(mut got) = records.next() else {
            println!("round trip: {}: no record from the archive", entry.id);
            differ += 1;
            continue;
        };
        got["fetched_at"] = serde_json::Value::Null;
        if got == want {
            same += 1;
        } else {
            differ += 1;
            println!(
                "round trip: {}: the archive's record differs from the file's",
                entry.id
            );
        }
    }
    println!("round trip: {same} records equal, {differ} differ");
    i32::from(differ > 0 || same == 0)
}
