//! Dumps, for each TUNING page of a corpus, the page extracted as each page
//! type and as `extract` chooses, with each extraction's output features
//! and its F1 by the corpus's metric, for training the chooser
//! (training/README.md, "Choosing by the output").
//!
//! ```text
//! cargo run --release --example dump_candidates -- CORPUS_DIR tuning [--bodies] > candidates.jsonl
//! ```
//!
//! (`--bodies`: each candidate's body text too, under `"body"`.)
//!
//! One line per page: `{"id", "site", "gold", "classified", "confidence",
//! "prose_article", "generic_prose", "p": {type: probability}, "expected": {type: expected
//! F1}, "candidates": [{"as": type or "chosen", "features": [...], "f1"}]}`,
//! with the feature names first on a `{"names": [...]}` line. Generic
//! extraction, no site configs, as `eval --no-selectors`. Only the tuning
//! part is dumped: the validation part is for judging, never for training.

use std::collections::BTreeMap;
use std::path::PathBuf;

use newscrawl::corpus::split::registrable_domain;
use newscrawl::corpus::{Corpus, PageScore, Part};
use newscrawl::extract::chooser::OUTPUT_NAMES;
use newscrawl::extract::classify::model::BUILTIN;
use newscrawl::extract::typed::MIN_CONFIDENCE;
use newscrawl::extract::{
    blocks, extract_page, ExtractOptions, ExtractedPage, PageInput, PageType,
};
use newscrawl::selectors::SiteRegistry;
use rayon::prelude::*;
use serde_json::json;

/// Whether `extract` extracts the page as an article before the utility
/// matrix's re-typing (the `current` type of `extract_page`).
fn extracted_as_article(page: &ExtractedPage) -> bool {
    let (t, p) = (page.record.page_type, page.page_type_confidence);
    let current = if p >= MIN_CONFIDENCE || blocks::applies(t, p) {
        t
    } else {
        PageType::Article
    };
    current == PageType::Article
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(part)) = (args.first(), args.get(1)) else {
        eprintln!("usage: dump_candidates CORPUS_DIR tuning [--bodies]");
        std::process::exit(2);
    };
    if part != "tuning" {
        eprintln!(
            "dump_candidates: only the tuning part is dumped (the validation part is for judging)"
        );
        std::process::exit(2);
    }
    let bodies = args.get(2).is_some_and(|a| a == "--bodies");
    let corpus = match Corpus::load(&PathBuf::from(dir)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dump_candidates: {e:#}");
            std::process::exit(1);
        }
    };
    let Some(model) = BUILTIN.as_ref() else {
        eprintln!("dump_candidates: the page-type model does not load");
        std::process::exit(1);
    };
    let opts = ExtractOptions {
        use_selectors: false,
        keep_candidates: true,
        ..Default::default()
    };
    println!("{}", json!({ "names": OUTPUT_NAMES }));
    let lines: Vec<Option<String>> = corpus
        .indices(Some(Part::Tuning))
        .par_iter()
        .map(|&index| {
            let entry = &corpus.entries[index];
            let bytes = corpus
                .read_page(entry)
                .map_err(|e| eprintln!("dump_candidates: {}: {e:#}", entry.id))
                .ok()?;
            let mut input = PageInput::new(&bytes);
            input.url = url::Url::parse(entry.url.trim()).ok();
            let page = extract_page(&input, &SiteRegistry::empty(), &opts)
                .map_err(|e| eprintln!("dump_candidates: {}: {e}", entry.id))
                .ok()?;
            let by_type = |v: Vec<(PageType, f32)>| {
                v.into_iter()
                    .map(|(t, x)| (t.to_string(), x))
                    .collect::<BTreeMap<_, _>>()
            };
            let candidates: Vec<_> = page
                .candidates
                .iter()
                .map(|c| {
                    let mut record = page.record.clone();
                    record.body = c.body.clone();
                    let f1 = PageScore::of(corpus.kind, entry, Some(&record)).f1();
                    let mut line = json!({
                        "as": c.as_type.map_or("chosen".to_string(), |t| t.to_string()),
                        "features": c.features,
                        "f1": f1,
                    });
                    if bodies {
                        line["body"] = json!(c.body);
                    }
                    line
                })
                .collect();
            Some(
                json!({
                    "id": entry.id,
                    "site": registrable_domain(&entry.url),
                    "gold": entry.page_type,
                    "classified": page.record.page_type.to_string(),
                    "confidence": page.page_type_confidence,
                    "prose_article": extracted_as_article(&page) && page.generic_prose,
                    "generic_prose": page.generic_prose,
                    "p": by_type(model.probabilities_by_type(&page.features)),
                    "expected": model.expected_f1(&page.features).map(by_type),
                    "candidates": candidates,
                })
                .to_string(),
            )
        })
        .collect();
    for line in lines.into_iter().flatten() {
        println!("{line}");
    }
}
