//! `newscrawl selectors check --corpus DIR [--simulate-redesign]`: per-page
//! scores of the configs on an evaluation corpus.

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::corpus::score::mark;
use crate::corpus::{self, rate, Corpus, FieldTotals, PageOutcome};
use crate::extract::{extract_page, ExtractOptions, PageInput};
use crate::selectors::{redesign, SiteRegistry};

use super::load_sites;

/// Scores every corpus page whose host has a config; returns the exit status.
pub fn check_corpus(args: &CheckArgs) -> Result<i32> {
    let Some(dir) = args.corpus.as_deref() else {
        anyhow::bail!("selectors check: give --corpus DIR or --live");
    };
    let sites = load_sites(args.selectors.as_deref(), false)?;
    let corpus = Corpus::load(dir)?;
    if !corpus.kind.has_expected() {
        anyhow::bail!(
            "{}: this corpus has no expected bodies; use `newscrawl eval` for snippet corpora",
            dir.display()
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
            dir.display()
        );
    }
    let outcomes = if args.simulate_redesign {
        run_redesigned(&corpus, &indices, &sites)
    } else {
        corpus::run(&corpus, &indices, &sites, &ExtractOptions::default(), false)
    };
    let mut totals = FieldTotals::default();
    let (mut fallbacks, mut anchored, mut lost, mut merged) = (0, 0, 0, 0);
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
        // A page with a config whose record is generic (with the config's
        // rules applied or not): it fell back or lost.
        if o.fallback.is_some() {
            fallbacks += 1;
            if extractor.starts_with("anchor+") {
                anchored += 1;
            }
        } else if extractor == "generic" || extractor.starts_with("generic+") {
            lost += 1;
        } else if extractor.ends_with("+generic") {
            merged += 1;
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
        "summary: {} pages, {} sites{}: body F1 {:.4} (P {:.4} R {:.4}, exact {:.3}); title {:.3} ({}/{}), authors {:.3} ({}/{}), published {:.3} ({}/{}); {} fell back ({} of them to the text below the config's headline), {} lost to the generic body, {} merged",
        totals.body.pages(),
        rows.iter().map(|r| &r.0).collect::<std::collections::BTreeSet<_>>().len(),
        if args.simulate_redesign {
            " (simulated redesign)"
        } else {
            ""
        },
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
        fallbacks,
        anchored,
        lost,
        merged
    );
    if let Some(min) = args.min_f1 {
        if f1 < min {
            eprintln!("newscrawl: selectors check: body F1 {f1:.4} is below --min-f1 {min}");
            return Ok(1);
        }
    }
    Ok(0)
}

/// Extracts each page with its config's body selectors pointed at the
/// page's longest block that is not the article (see
/// [`redesign::redesigned`]); a page without such a block keeps its config.
fn run_redesigned(corpus: &Corpus, indices: &[usize], sites: &SiteRegistry) -> Vec<PageOutcome> {
    indices
        .par_iter()
        .map(|&index| {
            let entry = &corpus.entries[index];
            let failed = |error: String| PageOutcome {
                index,
                record: None,
                error: Some(error),
                fallback: None,
                is_article: false,
                page_type: None,
                seconds: 0.0,
                bytes: 0,
            };
            let bytes = match corpus.read_page(entry) {
                Ok(b) => b,
                Err(e) => return failed(format!("{e:#}")),
            };
            let url = url::Url::parse(entry.url.trim()).ok();
            let site = url.as_ref().and_then(|u| sites.for_url(u));
            let expected = entry.expected.as_ref().map_or("", |e| e.body.as_str());
            let broken = site.and_then(|s| redesign::redesigned_for_page(s, &bytes, expected));
            let single;
            let registry = match broken {
                Some(b) => {
                    single = SiteRegistry::single(b);
                    &single
                }
                None => sites,
            };
            let mut input = PageInput::new(&bytes);
            input.url = url;
            match extract_page(&input, registry, &ExtractOptions::default()) {
                Ok(page) => PageOutcome {
                    index,
                    is_article: page.is_article(),
                    page_type: Some(page.record.page_type),
                    record: page.has_text().then_some(page.record),
                    error: None,
                    fallback: page.fallback,
                    seconds: 0.0,
                    bytes: bytes.len(),
                },
                Err(e) => failed(e.to_string()),
            }
        })
        .collect()
}
