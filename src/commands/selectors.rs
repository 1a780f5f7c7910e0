//! `newscrawl selectors list | check`.

use std::collections::BTreeMap;

use anyhow::Result;

use crate::cli::{CheckArgs, SelectorsCommand};
use crate::corpus::score::mark;
use crate::corpus::{self, rate, Corpus, FieldTotals};
use crate::extract::ExtractOptions;

use super::load_sites;

/// Runs a `selectors` subcommand; returns the exit status.
pub fn run(cmd: SelectorsCommand) -> Result<i32> {
    match cmd {
        SelectorsCommand::List { selectors } => list(selectors.as_deref()),
        SelectorsCommand::Check(args) => check(args),
    }
}

fn list(dir: Option<&std::path::Path>) -> Result<i32> {
    let sites = load_sites(dir, false)?;
    let width = sites.iter().map(|s| s.name.len()).max().unwrap_or(4).max(4);
    println!("{:width$}  {:50}  FILE", "NAME", "HOSTS");
    for s in sites.iter() {
        let hosts = if s.is_base() {
            "(base config)".to_string()
        } else {
            s.hosts.join(",")
        };
        println!("{:width$}  {:50}  {}", s.name, hosts, s.file);
    }
    Ok(0)
}

fn check(args: CheckArgs) -> Result<i32> {
    let sites = load_sites(args.selectors.as_deref(), false)?;
    let corpus = Corpus::load(&args.corpus)?;
    if !corpus.kind.has_expected() {
        anyhow::bail!(
            "{}: this corpus has no expected bodies; use `newscrawl eval` for snippet corpora",
            args.corpus.display()
        );
    }
    let mut indices = Vec::new();
    let mut site_of = BTreeMap::new();
    for (i, e) in corpus.entries.iter().enumerate() {
        let Ok(url) = url::Url::parse(e.url.trim()) else {
            continue;
        };
        let Some(site) = sites.for_url(&url).filter(|s| !s.is_base()) else {
            continue;
        };
        if !args.site.is_empty() && !args.site.contains(&site.name) {
            continue;
        }
        site_of.insert(i, site.name.clone());
        indices.push(i);
    }
    if indices.is_empty() {
        anyhow::bail!(
            "{}: no page of this corpus has a site config",
            args.corpus.display()
        );
    }
    let outcomes = corpus::run(&corpus, &indices, &sites, &ExtractOptions::default());
    let mut totals = FieldTotals::default();
    let mut fallbacks = 0;
    let mut pattern_misses = Vec::new();
    let mut rows = Vec::new();
    for o in &outcomes {
        let entry = &corpus.entries[o.index];
        // Every page has `expected`: the corpus kind says so.
        let Some(expected) = entry.expected.as_ref() else {
            continue;
        };
        let s = corpus::score_expected(expected, o.record.as_ref());
        totals.add(&s);
        let extractor = o.record.as_ref().map_or("-", |r| r.extractor.as_str());
        let site = sites
            .by_name(&site_of[&o.index])
            .expect("site of a checked page");
        if !site.discover.article.is_empty() && !site.is_article_url(entry.url.trim()) {
            pattern_misses.push(format!("{} ({})", site.name, entry.url.trim()));
        }
        if o.fallback.is_some() || (o.record.is_some() && extractor == "generic") {
            fallbacks += 1;
        }
        let note = o
            .error
            .clone()
            .or_else(|| o.fallback.clone().map(|f| format!("fallback: {f}")))
            .unwrap_or_default();
        rows.push((
            site_of[&o.index].clone(),
            entry.id.clone(),
            s,
            extractor.to_string(),
            note,
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    println!(
        "{:24} {:28} {:>6} {:>6} {:>6}  {:5} {:7} {:9}  EXTRACTOR",
        "SITE", "PAGE", "F1", "P", "R", "TITLE", "AUTHORS", "PUBLISHED"
    );
    for (site, id, s, extractor, note) in &rows {
        println!(
            "{:24} {:28} {:>6.3} {:>6.3} {:>6.3}  {:5} {:7} {:9}  {}{}",
            site,
            id,
            s.body.f1(),
            s.body.precision().unwrap_or(0.0),
            s.body.recall().unwrap_or(0.0),
            mark(s.title),
            mark(s.authors),
            mark(s.published),
            extractor,
            if note.is_empty() {
                String::new()
            } else {
                format!("  ({note})")
            }
        );
    }
    let not_articles: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.record.is_some() && !o.is_article)
        .map(|o| corpus.entries[o.index].id.as_str())
        .collect();
    if !not_articles.is_empty() {
        println!(
            "article detection: {} pages not judged articles (a crawl would skip them): {}",
            not_articles.len(),
            not_articles.join(", ")
        );
    }
    if !pattern_misses.is_empty() {
        println!(
            "article patterns: {} page URLs match none of their site's `article` patterns: {}",
            pattern_misses.len(),
            pattern_misses.join(", ")
        );
    }
    let f1 = totals.body.f1();
    println!(
        "summary: {} pages, {} sites: body F1 {:.4} (P {:.4} R {:.4}, exact {:.3}); title {:.3} ({}/{}), authors {:.3} ({}/{}), published {:.3} ({}/{}); {} fell back to generic",
        totals.body.pages(),
        rows.iter().map(|r| &r.0).collect::<std::collections::BTreeSet<_>>().len(),
        f1,
        totals.body.precision(),
        totals.body.recall(),
        totals.body.accuracy(),
        rate(totals.title),
        totals.title.0,
        totals.title.1,
        rate(totals.authors),
        totals.authors.0,
        totals.authors.1,
        rate(totals.published),
        totals.published.0,
        totals.published.1,
        fallbacks
    );
    if let Some(min) = args.min_f1 {
        if f1 < min {
            eprintln!("newscrawl: selectors check: body F1 {f1:.4} is below --min-f1 {min}");
            return Ok(1);
        }
    }
    Ok(0)
}
