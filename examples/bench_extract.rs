//! Extraction speed against its floor, html5ever parsing alone.
//!
//! ```text
//! cargo run --release --example bench_extract [-- CORPUS_DIR [ROUNDS]]
//! taskset -c 0 target/release/examples/bench_extract            # one core
//! /usr/bin/time -v target/release/examples/bench_extract --one FILE.html.gz   # peak memory of one page
//! ```
//!
//! Loads every page of the publishers corpus (default
//! `../shared/corpus/publishers` beside the repository) into memory, then
//! times `scraper::Html::parse_document` on the decoded text alone and the
//! full `extract_page` pipeline (decode + parse + extract + JSON
//! serialisation), single-threaded, best of several rounds. Exits 0 with a
//! message when the corpus is absent.

use std::path::{Path, PathBuf};
use std::time::Instant;

use newscrawl::corpus::{read_html_file, Corpus};
use newscrawl::decode::decode_html;
use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--one") {
        let Some(path) = args.get(1) else {
            eprintln!("usage: bench_extract --one FILE");
            std::process::exit(2);
        };
        one(Path::new(path));
        return;
    }
    let dir = args.first().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/publishers")
    });
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    if !dir.join("index.jsonl").exists() {
        println!("bench_extract: no corpus at {} (skipped)", dir.display());
        return;
    }
    let corpus = match Corpus::load(&dir) {
        Ok(c) => c,
        Err(e) => {
            println!(
                "bench_extract: cannot load {}: {e:#} (skipped)",
                dir.display()
            );
            return;
        }
    };
    let pages: Vec<(String, Vec<u8>)> = corpus
        .entries
        .iter()
        .filter_map(|e| corpus.read_page(e).ok().map(|b| (e.id.clone(), b)))
        .collect();
    let texts: Vec<String> = pages
        .iter()
        .map(|(_, b)| decode_html(b, None, None).text)
        .collect();
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let n = pages.len();
    println!(
        "{n} pages, {:.1} MB, best of {rounds} rounds, one thread",
        bytes as f64 / 1e6
    );

    let sites = SiteRegistry::empty();
    let opts = ExtractOptions {
        use_selectors: false,
        ..Default::default()
    };
    let mut parse_best = f64::MAX;
    let mut extract_best = f64::MAX;
    let mut bounded_best = f64::MAX;
    let mut sink = 0usize;
    for _ in 0..rounds {
        let t = Instant::now();
        for text in &texts {
            let doc = scraper::Html::parse_document(text);
            sink += doc.tree.nodes().count();
        }
        parse_best = parse_best.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for (_, b) in &pages {
            let text = decode_html(b, None, None).text;
            let doc = newscrawl::parse::parse_document(&text);
            sink += doc.tree.nodes().count();
        }
        bounded_best = bounded_best.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for (_, b) in &pages {
            if let Ok(page) = extract_page(&PageInput::new(b), &sites, &opts) {
                sink += serde_json::to_string(&page.record)
                    .map(|s| s.len())
                    .unwrap_or(0);
            }
        }
        extract_best = extract_best.min(t.elapsed().as_secs_f64());
    }
    let report = |what: &str, secs: f64| {
        println!(
            "{what:<28} {:>8.1} pages/s {:>8.1} MB/s ({secs:.3} s)",
            n as f64 / secs,
            bytes as f64 / 1e6 / secs
        );
    };
    report("html5ever parse alone", parse_best);
    report("decode + bounded parse", bounded_best);
    report("extract_page (full)", extract_best);
    println!(
        "ratio extract / parse: {:.2}x  (checksum {sink})",
        extract_best / parse_best
    );
    if let Some((id, b)) = pages.iter().max_by_key(|(_, b)| b.len()) {
        let file = corpus
            .entries
            .iter()
            .find(|e| &e.id == id)
            .map(|e| dir.join(&e.html))
            .unwrap_or_default();
        println!(
            "largest page: {id} ({:.1} MB); peak memory: /usr/bin/time -v {} --one {}",
            b.len() as f64 / 1e6,
            std::env::args().next().unwrap_or_default(),
            file.display()
        );
    }
}

/// Extracts one file (for measuring its peak memory from outside).
fn one(path: &Path) {
    let bytes = match read_html_file(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e:#}");
            std::process::exit(1);
        }
    };
    let opts = ExtractOptions {
        use_selectors: false,
        ..Default::default()
    };
    match extract_page(&PageInput::new(&bytes), &SiteRegistry::empty(), &opts) {
        Ok(p) => println!(
            "{}: {} bytes in, {} chars of body",
            path.display(),
            bytes.len(),
            p.record.body.len()
        ),
        Err(e) => println!("{}: {e}", path.display()),
    }
}
