//! Prints one tuning page's scored blocks (the model's score, `T` inside
//! the typed body or `-`, kind, the named features, text), for studying
//! the block model's filtering of a typed body; `all` instead of a page id
//! gives one JSON line per tuning page (id, type, confidence, body, blocks
//! with score `s`, `in_typed` `t`, kind `k` and text `x`). Tuning pages
//! only: the validation part is for judging.
//!
//! ```text
//! cargo run --release --example debug_blocks -- CORPUS_DIR PAGE_ID [FEATURE...]
//! cargo run --release --example debug_blocks -- CORPUS_DIR all > blocks.jsonl
//! ```

use std::path::PathBuf;

use newscrawl::corpus::{Corpus, Part};
use newscrawl::extract::blocks::features::{IN_TYPED, NAMES};
use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(id)) = (args.first(), args.get(1)) else {
        eprintln!("usage: debug_blocks CORPUS_DIR PAGE_ID");
        std::process::exit(2);
    };
    let show: Vec<usize> = args[2..]
        .iter()
        .filter_map(|n| NAMES.iter().position(|x| x == n))
        .collect();
    let corpus = match Corpus::load(&PathBuf::from(dir)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("debug_blocks: {e:#}");
            std::process::exit(1);
        }
    };
    if id == "all" {
        dump_all(&corpus);
        return;
    }
    let Some(index) = corpus
        .indices(Some(Part::Tuning))
        .into_iter()
        .find(|&i| corpus.entries[i].id == *id)
    else {
        eprintln!("debug_blocks: {id} is no tuning page");
        std::process::exit(2);
    };
    let entry = &corpus.entries[index];
    let bytes = match corpus.read_page(entry) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("debug_blocks: {id}: {e:#}");
            std::process::exit(1);
        }
    };
    let opts = ExtractOptions {
        use_selectors: false,
        keep_blocks: true,
        ..Default::default()
    };
    let mut input = PageInput::new(&bytes);
    input.url = url::Url::parse(entry.url.trim()).ok();
    let page = match extract_page(&input, &SiteRegistry::empty(), &opts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("debug_blocks: {id}: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "type {} confidence {:.2}",
        page.record.page_type.name(),
        page.page_type_confidence
    );
    for b in &page.blocks {
        let f = b.features.values();
        let extra: Vec<String> = show
            .iter()
            .map(|&i| format!("{}={:.2}", NAMES[i], f[i]))
            .collect();
        let text: String = b.block.text.chars().take(100).collect();
        println!(
            "{:.2} {} {:?} {} | {}",
            b.score,
            if f[IN_TYPED] > 0.5 { "T" } else { "-" },
            b.block.kind,
            extra.join(" "),
            text.replace('\n', " ")
        );
    }
}

/// One JSON line per tuning page: its id, type, confidence and scored blocks.
fn dump_all(corpus: &Corpus) {
    let opts = ExtractOptions {
        use_selectors: false,
        keep_blocks: true,
        ..Default::default()
    };
    for index in corpus.indices(Some(Part::Tuning)) {
        let entry = &corpus.entries[index];
        let Ok(bytes) = corpus.read_page(entry) else {
            continue;
        };
        let mut input = PageInput::new(&bytes);
        input.url = url::Url::parse(entry.url.trim()).ok();
        let Ok(page) = extract_page(&input, &SiteRegistry::empty(), &opts) else {
            continue;
        };
        let blocks: Vec<_> = page
            .blocks
            .iter()
            .map(|b| {
                serde_json::json!({"s": b.score, "t": b.features.values()[IN_TYPED],
                    "k": format!("{:?}", b.block.kind), "x": b.block.text})
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({"id": entry.id, "type": page.record.page_type.name(),
                "conf": page.page_type_confidence, "body": page.record.body, "blocks": blocks})
        );
    }
}
