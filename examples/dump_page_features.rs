//! Dumps the page-type classifier's features of a corpus part as JSONL, for
//! training the page-type model (`training/`).
//!
//! ```text
//! cargo run --release --example dump_page_features -- CORPUS_DIR tuning [LABEL] > features.jsonl
//! ```
//!
//! One line per page: `{"id", "corpus", "page_type", "features": [...]}`,
//! with the feature names first on a `{"names": [...]}` line. The page type
//! is the corpus entry's own, else `LABEL` (e.g. `article` for the
//! publishers corpus, all of whose pages are articles); pages with neither
//! are left out. Features are computed exactly as `extract` computes them
//! (generic extraction, no site configs). Only the tuning part is dumped:
//! the validation part is for judging, never for training.

use std::path::PathBuf;

use newscrawl::corpus::{Corpus, Part};
use newscrawl::extract::classify::features::NAMES;
use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(part)) = (args.first(), args.get(1)) else {
        eprintln!("usage: dump_page_features CORPUS_DIR tuning [LABEL]");
        std::process::exit(2);
    };
    if part != "tuning" {
        eprintln!("dump_page_features: only the tuning part is dumped (the validation part is for judging)");
        std::process::exit(2);
    }
    let label = args.get(2).cloned();
    let dir = PathBuf::from(dir);
    let corpus = match Corpus::load(&dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dump_page_features: {e:#}");
            std::process::exit(1);
        }
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let opts = ExtractOptions {
        use_selectors: false,
        ..Default::default()
    };
    println!("{}", json!({ "names": NAMES }));
    for index in corpus.indices(Some(Part::Tuning)) {
        let entry = &corpus.entries[index];
        let Some(page_type) = entry.page_type.clone().or_else(|| label.clone()) else {
            continue;
        };
        let bytes = match corpus.read_page(entry) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("dump_page_features: {}: {e:#}", entry.id);
                continue;
            }
        };
        let mut input = PageInput::new(&bytes);
        input.url = url::Url::parse(entry.url.trim()).ok();
        match extract_page(&input, &SiteRegistry::empty(), &opts) {
            Ok(page) => println!(
                "{}",
                json!({
                    "id": entry.id,
                    "corpus": name,
                    "page_type": page_type,
                    "features": page.features.values(),
                })
            ),
            Err(e) => eprintln!("dump_page_features: {}: {e}", entry.id),
        }
    }
}
