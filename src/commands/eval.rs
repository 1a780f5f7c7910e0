//! `newscrawl eval`: scores a corpus with the README metrics and times
//! extraction (decode + parse + extract + serialise, file reading excluded).

use std::io::Write;

use anyhow::{Context, Result};

use crate::cli::EvalArgs;
use crate::corpus::{self, rate, Corpus, FieldTotals};
use crate::extract::ExtractOptions;
use crate::metric::SnippetCounts;

use super::load_sites;

/// Runs `eval`; returns the exit status.
pub fn run(args: EvalArgs) -> Result<i32> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot set up the worker threads")?;
    }
    let sites = load_sites(args.source.selectors.as_deref(), args.source.no_selectors)?;
    let corpus = Corpus::load(&args.corpus)?;
    let indices: Vec<usize> = (0..corpus.entries.len()).collect();
    let opts = ExtractOptions {
        use_selectors: !args.source.no_selectors,
        ..Default::default()
    };
    let wall = std::time::Instant::now();
    let outcomes = corpus::run(&corpus, &indices, &sites, &opts);
    let wall = wall.elapsed().as_secs_f64();
    let seconds: f64 = outcomes.iter().map(|o| o.seconds).sum();
    let bytes: usize = outcomes.iter().map(|o| o.bytes).sum();
    let failed = outcomes.iter().filter(|o| o.record.is_none()).count();

    if let Some(path) = &args.predictions {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create", path.display()))?,
        );
        for o in &outcomes {
            let mut v = serde_json::to_value(&o.record)?;
            if let Some(obj) = v.as_object_mut() {
                obj.insert("id".into(), corpus.entries[o.index].id.clone().into());
            } else {
                v = serde_json::json!({"id": corpus.entries[o.index].id, "body": ""});
            }
            writeln!(f, "{v}")?;
        }
    }

    let mut ranked: Vec<(f64, String, String)> = Vec::new();
    let f1;
    if corpus.has_expected_bodies() {
        let mut totals = FieldTotals::default();
        for o in &outcomes {
            let e = &corpus.entries[o.index];
            let s =
                corpus::score_expected(e.expected.as_ref().expect("publishers"), o.record.as_ref());
            totals.add(&s);
            let detail = format!(
                "P {:.3} R {:.3} title {} authors {} published {}{}",
                s.body.precision().unwrap_or(0.0),
                s.body.recall().unwrap_or(0.0),
                yes(s.title),
                yes(s.authors),
                yes(s.published),
                o.error
                    .as_ref()
                    .map(|e| format!(" error: {e}"))
                    .unwrap_or_default()
            );
            ranked.push((s.body.f1(), e.id.clone(), detail));
        }
        print_pages(&args, &mut ranked);
        f1 = totals.body.f1();
        println!(
            "corpus {}: {} pages; body F1 {:.4} (P {:.4} R {:.4}, exact {:.3}); title {:.3}, authors {:.3}, published {:.3}; {} failed",
            args.corpus.display(),
            outcomes.len(),
            totals.body.f1(),
            totals.body.precision(),
            totals.body.recall(),
            totals.body.accuracy(),
            rate(totals.title),
            rate(totals.authors),
            rate(totals.published),
            failed
        );
    } else {
        let mut totals = SnippetCounts::default();
        for o in &outcomes {
            let e = &corpus.entries[o.index];
            let c = corpus::score_snippets(e, o.record.as_ref());
            totals.add(&c);
            let page_f1 = c.f1();
            ranked.push((
                page_f1,
                e.id.clone(),
                format!(
                    "tp {} fp {} fn {}{}",
                    c.tp,
                    c.fp,
                    c.fn_,
                    o.error
                        .as_ref()
                        .map(|e| format!(" error: {e}"))
                        .unwrap_or_default()
                ),
            ));
        }
        print_pages(&args, &mut ranked);
        f1 = totals.f1();
        println!(
            "corpus {}: {} pages; snippet F1 {:.4} (P {:.4} R {:.4}, accuracy {:.4}); {} failed",
            args.corpus.display(),
            outcomes.len(),
            totals.f1(),
            totals.precision(),
            totals.recall(),
            totals.accuracy(),
            failed
        );
    }
    println!(
        "speed: {:.1} pages/s and {:.1} MB/s per core (extraction time {:.2} s summed over threads), wall {:.2} s on {} threads",
        outcomes.len() as f64 / seconds.max(1e-9),
        bytes as f64 / 1e6 / seconds.max(1e-9),
        seconds,
        wall,
        rayon::current_num_threads()
    );
    if let Some(min) = args.min_f1 {
        if f1 < min {
            eprintln!("newscrawl: eval: F1 {f1:.4} is below --min-f1 {min}");
            return Ok(1);
        }
    }
    Ok(0)
}

fn yes(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "ok",
        Some(false) => "MISS",
        None => "-",
    }
}

fn print_pages(args: &EvalArgs, ranked: &mut [(f64, String, String)]) {
    if args.per_page {
        for (f1, id, detail) in ranked.iter() {
            println!("{f1:.3}  {id}  {detail}");
        }
    }
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    if args.worst > 0 {
        println!("worst {} pages:", args.worst.min(ranked.len()));
        for (f1, id, detail) in ranked.iter().take(args.worst) {
            println!("  {f1:.3}  {id}  {detail}");
        }
    }
}
