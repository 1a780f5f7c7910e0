//! Page-type inference cost against parsing, over a corpus (default the
//! publishers corpus beside the repository), one thread:
//!
//! ```text
//! cargo run --release --example bench_page_type [-- CORPUS_DIR]
//! ```
//!
//! Times, best of 3 rounds, html5ever parsing of every page and, on the
//! parsed pages, the classifier's features plus the model's prediction;
//! prints their ratio. Exits 0 with a message when the corpus is absent.

use std::path::{Path, PathBuf};
use std::time::Instant;

use newscrawl::corpus::Corpus;
use newscrawl::decode::decode_html;
use newscrawl::extract::classify::{classify, page_features};
use newscrawl::extract::metadata::page_metadata;
use newscrawl::parse::parse_document;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/publishers")
        });
    if !dir.join("index.jsonl").exists() {
        println!("bench_page_type: no corpus at {} (skipped)", dir.display());
        return;
    }
    let corpus = Corpus::load(&dir).expect("corpus loads");
    let texts: Vec<(String, Option<url::Url>)> = corpus
        .entries
        .iter()
        .filter_map(|e| {
            let bytes = corpus.read_page(e).ok()?;
            Some((
                decode_html(&bytes, None, None).text,
                url::Url::parse(e.url.trim()).ok(),
            ))
        })
        .collect();
    let (mut parse_best, mut classify_best) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        let start = Instant::now();
        let docs: Vec<_> = texts.iter().map(|(t, _)| parse_document(t)).collect();
        parse_best = parse_best.min(start.elapsed().as_secs_f64());
        let metas: Vec<_> = docs.iter().map(page_metadata).collect();
        let start = Instant::now();
        for ((doc, meta), (_, url)) in docs.iter().zip(&metas).zip(&texts) {
            std::hint::black_box(classify(&page_features(doc, meta, url.as_ref())));
        }
        classify_best = classify_best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{} pages: parse {:.3} s, page-type features + model {:.3} s ({:.1}% of parsing)",
        texts.len(),
        parse_best,
        classify_best,
        100.0 * classify_best / parse_best
    );
}
