//! `newscrawl eval`: scores a corpus by the metrics of its kind, on its
//! tuning part, its validation part and both (per page type where the
//! corpus has types), and times extraction (decode + parse + extract +
//! serialise, file reading excluded).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Context, Result};

use crate::cli::{BlockModelArg, EvalArgs, PartArg};
use crate::corpus::{self, Corpus, PageScore, Part, Totals};
use crate::extract::{blocks, ExtractOptions};

use super::load_sites;

/// One scored page.
struct Scored<'a> {
    id: &'a str,
    part: Part,
    page_type: Option<&'a str>,
    score: PageScore,
    error: Option<&'a str>,
}

/// Runs `eval`; returns the exit status.
pub fn run(args: EvalArgs) -> Result<i32> {
    if args.part == PartArg::Tuning && args.min_validation_f1.is_some() {
        eprintln!("newscrawl: eval: --min-validation-f1 needs the validation part (--part validation or all)");
        return Ok(2);
    }
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot set up the worker threads")?;
    }
    let sites = load_sites(args.source.selectors.as_deref(), args.source.no_selectors)?;
    let corpus = Corpus::load(&args.corpus)?;
    let only = match args.part {
        PartArg::Tuning => Some(Part::Tuning),
        PartArg::Validation => Some(Part::Validation),
        PartArg::All => None,
    };
    let indices = corpus.indices(only);
    let opts = ExtractOptions {
        use_selectors: !args.source.no_selectors,
        block_model: match args.block_model {
            BlockModelArg::Always => blocks::Use::Always,
            BlockModelArg::Never => blocks::Use::Never,
        },
        ..Default::default()
    };
    let wall = std::time::Instant::now();
    let outcomes = corpus::run(&corpus, &indices, &sites, &opts, args.oracle_page_type);
    let wall = wall.elapsed().as_secs_f64();
    if let Some(path) = &args.predictions {
        write_predictions(path, &corpus, &outcomes)?;
    }
    let scored: Vec<Scored> = outcomes
        .iter()
        .map(|o| {
            let e = &corpus.entries[o.index];
            Scored {
                id: &e.id,
                part: corpus.parts[o.index],
                page_type: e.page_type.as_deref(),
                score: PageScore::of(corpus.kind, e, o.record.as_ref()),
                error: o.error.as_deref(),
            }
        })
        .collect();

    print_header(&args, &corpus);
    print_pages(&args, &scored);
    let parts: Vec<Option<Part>> = match only {
        Some(p) => vec![Some(p)],
        None => vec![Some(Part::Tuning), Some(Part::Validation), None],
    };
    let totals = |part: Option<Part>, page_type: Option<&str>| {
        let mut t = Totals::new(corpus.kind);
        let mut pages = 0;
        let mut failed = 0;
        for s in scored.iter().filter(|s| {
            part.is_none_or(|p| s.part == p) && page_type.is_none_or(|ty| s.page_type == Some(ty))
        }) {
            t.add(&s.score);
            pages += 1;
            failed += usize::from(s.error.is_some());
        }
        (t, pages, failed)
    };
    print_parts(&corpus, &parts, &totals);
    print_page_types(&scored, &parts, &totals);
    if args.oracle_page_type {
        println!("page types: the corpus's own (--oracle-page-type); not a result to report");
    } else {
        let typed: Vec<_> = outcomes
            .iter()
            .filter_map(|o| {
                let gold = corpus.entries[o.index].page_type.as_deref()?.parse().ok()?;
                Some((corpus.parts[o.index], gold, o.page_type))
            })
            .collect();
        super::eval_types::print_classification(&typed, &parts);
    }

    let seconds: f64 = outcomes.iter().map(|o| o.seconds).sum();
    let bytes: usize = outcomes.iter().map(|o| o.bytes).sum();
    println!(
        "speed: {:.1} pages/s and {:.1} MB/s per core (extraction time {:.2} s summed over threads); eval {:.1} pages/s (wall {:.2} s on {} threads, reading included)",
        outcomes.len() as f64 / seconds.max(1e-9),
        bytes as f64 / 1e6 / seconds.max(1e-9),
        seconds,
        outcomes.len() as f64 / wall.max(1e-9),
        wall,
        rayon::current_num_threads()
    );

    let mut status = 0;
    let gates = [
        (args.min_f1, only, "--min-f1"),
        (
            args.min_validation_f1,
            Some(Part::Validation),
            "--min-validation-f1",
        ),
    ];
    for (min, part, flag) in gates {
        let Some(min) = min else { continue };
        let (t, _, _) = totals(part, None);
        let f1 = t.f1();
        if f1 < min {
            eprintln!(
                "newscrawl: eval: {} {} {f1:.4} is below {flag} {min}",
                part_name(part),
                t.metric_name()
            );
            status = 1;
        }
    }
    Ok(status)
}

fn part_name(part: Option<Part>) -> &'static str {
    part.map_or("all", Part::name)
}

fn write_predictions(
    path: &std::path::Path,
    corpus: &Corpus,
    outcomes: &[corpus::PageOutcome],
) -> Result<()> {
    let fail = |e: std::io::Error| anyhow::anyhow!("{}: cannot write: {e}", path.display());
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path)
            .with_context(|| format!("{}: cannot create", path.display()))?,
    );
    for o in outcomes {
        let id = &corpus.entries[o.index].id;
        let v = match &o.record {
            Some(r) => {
                let mut v = serde_json::to_value(r)?;
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("id".into(), id.clone().into());
                }
                v
            }
            None => serde_json::json!({"id": id, "body": ""}),
        };
        writeln!(f, "{v}").map_err(fail)?;
    }
    f.flush().map_err(fail)
}

fn print_header(args: &EvalArgs, corpus: &Corpus) {
    let (tp, td) = corpus.part_size(Part::Tuning);
    let (vp, vd) = corpus.part_size(Part::Validation);
    println!(
        "corpus {} ({} kind): {} pages; split by registrable domain: tuning {tp} pages ({td} domains), validation {vp} pages ({vd} domains){}",
        args.corpus.display(),
        corpus.kind.name(),
        corpus.entries.len(),
        match args.part {
            PartArg::All => String::new(),
            p => format!("; scoring the {} part", part_name(Some(part_of(p)))),
        }
    );
}

fn part_of(p: PartArg) -> Part {
    if p == PartArg::Tuning {
        Part::Tuning
    } else {
        Part::Validation
    }
}

fn page_line(s: &Scored) -> String {
    format!(
        "{:.3}  {}  {}{}  {}{}",
        s.score.f1(),
        s.id,
        s.part.name(),
        s.page_type.map(|t| format!(" {t}")).unwrap_or_default(),
        s.score.detail(),
        s.error.map(|e| format!("  error: {e}")).unwrap_or_default()
    )
}

fn print_pages(args: &EvalArgs, scored: &[Scored]) {
    if args.per_page {
        for s in scored {
            println!("{}", page_line(s));
        }
    }
    if args.worst > 0 {
        let mut ranked: Vec<&Scored> = scored.iter().collect();
        ranked.sort_by(|a, b| a.score.f1().total_cmp(&b.score.f1()).then(a.id.cmp(b.id)));
        println!("worst {} pages:", args.worst.min(ranked.len()));
        for s in ranked.iter().take(args.worst) {
            println!("  {}", page_line(s));
        }
    }
}

type TotalsOf<'t> = dyn Fn(Option<Part>, Option<&str>) -> (Totals, usize, usize) + 't;

fn print_parts(corpus: &Corpus, parts: &[Option<Part>], totals: &TotalsOf) {
    let headers = Totals::new(corpus.kind).headers();
    let mut line = format!("{:12} {:>6} {:>6}", "part", "pages", "failed");
    for h in headers {
        line.push_str(&format!(" {:>10}", h));
    }
    println!("{line}");
    for &part in parts {
        let (t, pages, failed) = totals(part, None);
        let mut line = format!("{:12} {pages:>6} {failed:>6}", part_name(part));
        for v in t.columns() {
            line.push_str(&format!(" {v:>10.4}"));
        }
        println!("{line}");
    }
}

fn print_page_types(scored: &[Scored], parts: &[Option<Part>], totals: &TotalsOf) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in scored {
        if let Some(t) = s.page_type {
            *counts.entry(t).or_insert(0) += 1;
        }
    }
    if counts.is_empty() {
        return;
    }
    let mut types: Vec<(&str, usize)> = counts.into_iter().collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let metric = totals(None, None).0.metric_name();
    let mut line = format!("{:16}", format!("{metric} by type"));
    for &p in parts {
        line.push_str(&format!(" {:>16}", part_name(p)));
    }
    println!("{line}");
    for (ty, _) in types {
        let mut line = format!("{ty:16}");
        for &p in parts {
            let (t, pages, _) = totals(p, Some(ty));
            let cell = if pages == 0 {
                "-".to_string()
            } else {
                format!("{:.4} ({pages})", t.f1())
            };
            line.push_str(&format!(" {cell:>16}"));
        }
        println!("{line}");
    }
}
