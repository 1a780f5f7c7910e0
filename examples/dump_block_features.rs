//! Dumps the block model's features of a corpus's tuning part as JSONL, for
//! training the block model (`training/train_blocks.py`).
//!
//! ```text
//! cargo run --release --example dump_block_features -- CORPUS_DIR tuning > blocks.jsonl
//! ```
//!
//! A `{"names": [...]}` line, then one line per page: `{"id", "page_type"
//! (gold), "predicted", "body" (the body extract gives today), "blocks":
//! [{"text", "features"}]}`. Features are computed exactly as `extract`
//! computes them (generic extraction, no site configs, the classifier's
//! page type). Only the tuning part is dumped: the validation part is for
//! judging, never for training.

use std::path::PathBuf;

use newscrawl::corpus::{Corpus, Part};
use newscrawl::extract::blocks::features::NAMES;
use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(part)) = (args.first(), args.get(1)) else {
        eprintln!("usage: dump_block_features CORPUS_DIR tuning");
        std::process::exit(2);
    };
    if part != "tuning" {
        eprintln!("dump_block_features: only the tuning part is dumped (the validation part is for judging)");
        std::process::exit(2);
    }
    let corpus = match Corpus::load(&PathBuf::from(dir)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dump_block_features: {e:#}");
            std::process::exit(1);
        }
    };
    let opts = ExtractOptions {
        use_selectors: false,
        keep_blocks: true,
        ..Default::default()
    };
    println!("{}", json!({ "names": NAMES }));
    for index in corpus.indices(Some(Part::Tuning)) {
        let entry = &corpus.entries[index];
        let bytes = match corpus.read_page(entry) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("dump_block_features: {}: {e:#}", entry.id);
                continue;
            }
        };
        let mut input = PageInput::new(&bytes);
        input.url = url::Url::parse(entry.url.trim()).ok();
        match extract_page(&input, &SiteRegistry::empty(), &opts) {
            Ok(page) => {
                let blocks: Vec<_> = page
                    .blocks
                    .iter()
                    .map(|b| json!({ "text": b.block.text, "features": b.features.values() }))
                    .collect();
                println!(
                    "{}",
                    json!({
                        "id": entry.id,
                        "page_type": entry.page_type,
                        "predicted": page.record.page_type.name(),
                        "confidence": page.page_type_confidence,
                        "body": page.record.body,
                        "blocks": blocks,
                    })
                )
            }
            Err(e) => eprintln!("dump_block_features: {}: {e}", entry.id),
        }
    }
}
